"""Links written as relative .md paths (or root paths) become relative URLs of the output."""

from __future__ import annotations

import posixpath
import urllib.parse
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import validateLink
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from docsite.config import ChecksConfig
from docsite.diagnostics import Diagnostic
from docsite.markdown.components.calls import parse_attributes
from docsite.markdown.context import RenderContext
from docsite.pages import Page, SiteContent
from docsite.suggest import ClosePaths
from docsite.tags import CATEGORIES_URL, TAGS_URL, tag_slug
from docsite.urls import EXTERNAL_URL, parsed_as_link, refused_url, relative_href, root_prefix


def links_plugin(md: MarkdownIt) -> None:
    # Links markdown-it would leave as text, but docsite refuses, are let through the parser
    # so that _rewrite_links can say where they are (and take their href away).
    md.validateLink = parsed_as_link  # type: ignore[method-assign]
    md.core.ruler.push("docsite_links", _rewrite_links)


def is_safe_link(url: str) -> bool:
    """markdown-it's check (it refuses file: too) and the URL policy, for the footer."""
    return validateLink(url) and refused_url(url, "", image=True) is None


def _rewrite_links(state: StateCore) -> None:
    ctx: RenderContext | None = state.env.get("docsite")
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        for token in block.children:
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else ""
            if not attr or not _allowed(token, attr, block, ctx):
                continue
            if ctx is not None:
                _rewrite(token, attr, block, ctx)
        if ctx is not None and ctx.outbound.enabled:
            block.children = _marked_outbound(block.children, ctx)


def _marked_outbound(children: list[Token], ctx: RenderContext) -> list[Token]:
    """Links to other sites, as Retype's `outbound` marks them: a target, more attributes
    and an icon beside the text."""
    outbound = ctx.outbound
    marked: list[Token] = []
    open_links: list[bool] = []  # for each open link, whether it is outbound
    for token in children:
        closes_outbound = token.type == "link_close" and open_links and open_links.pop()
        if closes_outbound and outbound.icon_align == "right":
            marked.append(_icon_token(ctx))
        marked.append(token)
        if token.type != "link_open":
            continue
        href = token.attrGet("href")
        external = isinstance(href, str) and href.startswith(("http://", "https://", "//"))
        is_outbound = external and outbound.applies(str(href).split("//", 1)[1])
        open_links.append(is_outbound)
        if is_outbound:
            if outbound.target:
                token.attrSet("target", outbound.target)
                token.attrSet("rel", "noopener")
            for name, value in parse_attributes(outbound.custom).items():
                if not name.lower().startswith("on"):  # no script, as everywhere
                    token.attrSet(name, value)
            if outbound.icon_align == "left":
                marked.append(_icon_token(ctx))
    return marked


def _icon_token(ctx: RenderContext) -> Token:
    token = Token("html_inline", "", 0)
    token.content = ctx.icon(ctx.outbound.icon, "icon outbound-icon")
    return token


def _allowed(token: Token, attr: str, block: Token, ctx: RenderContext | None) -> bool:
    """A link or image the URL policy refuses loses its href/src, with an error at it."""
    url = token.attrGet(attr)
    if not isinstance(url, str):
        return True
    what = "a link" if attr == "href" else "an image"
    refused = refused_url(url, what, image=attr == "src")
    if refused is None:
        return True
    del token.attrs[attr]
    if ctx is not None:
        ctx.error(block, url, refused.message, refused.hint)
    return False


def _rewrite(token: Token, attr: str, block: Token, ctx: RenderContext) -> None:
    raw = token.attrGet(attr)
    if isinstance(raw, str) and raw.startswith("#") and len(raw) > 1:
        needle = "(" + _as_written(raw, block)
        ctx.record_link(ctx.page.source.rel, urllib.parse.unquote(raw[1:]), block, needle)
        return
    if not isinstance(raw, str) or not raw or raw.startswith("#") or EXTERNAL_URL.match(raw):
        return
    found = resolve_link(raw, ctx, block, _as_written(raw, block), image=attr == "src")
    if found is not None:
        token.attrSet(attr, found.href)


def _as_written(url: str, block: Token) -> str:
    """The URL as the source spells it, to place messages at: markdown-it percent-encodes
    what it normalises ('#^id' is '#%5Eid')."""
    return url if url in block.content else urllib.parse.unquote(url)


@dataclass(frozen=True)
class LinkTarget:
    """Where a link goes, as the page writes it."""

    href: str  # as the output writes it, relative to the page
    page: Page | None = None  # the page linked to, when it is one of the site's


def resolve_link(
    raw: str,
    ctx: RenderContext,
    block: Token | None,
    needle: str | None = None,
    image: bool = False,
) -> LinkTarget | None:
    """Where a link in the page's source goes, or None (after a diagnostic). A link to a
    page is recorded in `ctx.linked`: the page depends on what the link shows of it.
    `needle` is the text to place messages at, when the source does not spell `raw`. An
    image not found where written is looked for in Retype's fallback folders."""
    at = raw if needle is None else needle
    page = ctx.page
    path, _, fragment = raw.partition("#")
    path, _, query = path.partition("?")
    path = urllib.parse.unquote(path)
    if not path:
        return None
    if path.startswith("/"):
        target = posixpath.normpath(path.lstrip("/")) if path.strip("/") else ""
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page.source.rel), path))
    if target == ".":
        target = ""
    if target.startswith("../") or target == "..":
        ctx.error(
            block,
            at,
            f"link '{raw}' points outside the content folder",
            "link to pages and files inside content/, or use a full https:// URL",
        )
        return None
    suffix = ("?" + query if query else "") + ("#" + fragment if fragment else "")
    rooted = path.startswith("/")
    found = _page_at(ctx.site, target, rooted)
    if found is None:
        found = page_in_other_case(target, ctx.site)
        if found is not None:
            lowered = page.style.recase
            _other_case(ctx, block, at, raw, found.source.rel, rooted, lowered)
    if found is None or rooted:  # what it finds may change with other pages' settings
        key = "/" + target if rooted else target
        ctx.resolved[key] = path_resolution(ctx.site, key)
    if found is not None:
        ctx.linked.append(found.source.rel)
        ctx.record_link(found.source.rel, urllib.parse.unquote(fragment), block, at)
        if found is page and fragment and not query:
            return LinkTarget("#" + fragment, found)
        return LinkTarget(relative_href(page.url, found.url) + suffix, found)
    generated = _tag_page(target, ctx.site)
    if generated is not None:
        return LinkTarget(relative_href(page.url, generated) + suffix)
    if target.endswith(".md") and target in _site_names(ctx.site).markdown_copies:
        # A page's published Markdown copy (Retype's `{{ page.md }}`): a file.
        return LinkTarget(root_prefix(page.url) + urllib.parse.quote(target) + suffix)
    folder_html = None if target.endswith(".md") else _folder_html(target, ctx)
    if folder_html is not None:
        return LinkTarget(root_prefix(page.url) + urllib.parse.quote(folder_html) + suffix)
    if not target.endswith(".md") and target.rstrip("/") in ctx.site.folders:
        ctx.broken_link(
            block,
            at,
            f"link to folder '{raw}', which has no default page",
            f"link to a page inside it, or add {target.rstrip('/')}/index.md",
        )
        return None
    return _resolve_file(raw, target, path.startswith("/"), suffix, ctx, block, at, image)


def _folder_html(target: str, ctx: RenderContext) -> str | None:
    """A folder with no page but an HTML file of `directoryIndex.altNames` (index.html...):
    a link to the folder opens that file (its folder's URL, when it is the index name)."""
    style = ctx.page.style
    folder = target.strip("/")
    for name in style.alt_names:
        rel = f"{folder}/{name}" if folder else name
        if rel in ctx.asset_paths:
            if name == style.index_name and not style.append_index:
                return style.file_path(style.link_form(folder + "/" if folder else ""))
            return style.file_path(rel)
    return None


def file_href(rel: str, ctx: RenderContext) -> str:
    """The href of a file of the content folder from the page: to where it is published."""
    return root_prefix(ctx.page.url) + urllib.parse.quote(ctx.page.style.file_path(rel))


def _resolve_file(
    raw: str,
    target: str,
    rooted: bool,
    suffix: str,
    ctx: RenderContext,
    block: Token | None,
    at: str,
    image: bool,
) -> LinkTarget | None:
    """A link to a file: one of the site's, or one left out of it (under `_includes/`, in
    `.gitbook/assets/`, excluded), published because a page links to it, as Retype does.
    A relative link in included text may also mean a file beside the included file."""
    for each in [target, *_beside_include(raw, target, rooted, ctx, block, at)]:
        found = None if each.endswith(".md") else find_file(each, ctx.asset_paths, image)
        if found is not None:
            if found not in _file_candidates(each, image):
                _other_case(ctx, block, at, raw, found, rooted, ctx.page.style.recase_files)
            return LinkTarget(file_href(found, ctx) + suffix)
        found = _linkable(each, ctx.site)
        if found is not None:
            if found != each:
                _other_case(ctx, block, at, raw, found, rooted, ctx.page.style.recase_files)
            ctx.published.append(found)
            return LinkTarget(file_href(found, ctx) + suffix)
    if target.endswith(".md"):
        ctx.broken_link(
            block, at, f"link to a page that does not exist: '{raw}'", _page_hint(target, ctx)
        )
    else:
        ctx.broken_link(
            block, at, f"link to a file that does not exist: '{raw}'", _file_hint(target, ctx)
        )
    return None


def _beside_include(
    raw: str, target: str, rooted: bool, ctx: RenderContext, block: Token | None, at: str
) -> list[str]:
    """The content path a relative link in included text names from the included file's
    folder, when that file is in the content folder and it differs from `target`."""
    if rooted or block is None:
        return []
    origin, _ = ctx.position(block, at)
    shown, rel = ctx.page.source.shown, ctx.page.source.rel
    content_prefix = shown[: len(shown) - len(rel)]
    if origin.file == shown or not origin.file.startswith(content_prefix):
        return []
    included = origin.file[len(content_prefix) :]
    path = urllib.parse.unquote(raw.partition("#")[0].partition("?")[0])
    beside = posixpath.normpath(posixpath.join(posixpath.dirname(included), path))
    return [] if beside.startswith("../") or beside == target else [beside]


def _linkable(target: str, site: SiteContent) -> str | None:
    """The file left out of the site that a link names (`site.linkable`): as written, or the
    one differing only in case."""
    if target in site.linkable:
        return target
    same = _site_names(site).linkable_lower.get(target.lower(), [])
    return same[0] if len(same) == 1 else None


def _other_case(
    ctx: RenderContext,
    block: Token | None,
    at: str,
    raw: str,
    actual: str,
    rooted: bool,
    lowered: bool,
) -> None:
    """A link that names a file in another case works on Windows and macOS disks, on
    Retype's server and, when the site publishes it in lower case (`lowered`), on the site;
    but not in every place the files are read: said, with the right spelling."""
    written = raw.partition("#")[0].partition("?")[0]
    if not written.lower().removesuffix("/").endswith(".md") and actual.endswith("/index.md"):
        actual = actual.removesuffix("/index.md") + ("/" if written.endswith("/") else "")
    here = posixpath.dirname(ctx.page.source.rel) or "."
    right = "/" + actual if rooted else posixpath.relpath(actual, here)
    why = (
        "the site publishes it in lower case, but the link breaks wherever the file is read as "
        "named (GitHub, `generator.recase: none`)"
        if lowered
        else "file names are case-sensitive on most web servers"
    )
    ctx.warning(
        block, at, f"link '{raw}' names '{actual}' in another case", f"write it as '{right}': {why}"
    )


def _tag_page(target: str, site: SiteContent) -> str | None:
    """The URL of the tag or category page a link names (`/tags/guide/`, `/categories/`),
    as Retype makes them, when some page has that tag or category; else None."""
    path = target.strip("/")
    for base in (TAGS_URL, CATEGORIES_URL):
        if path != base.strip("/") and not path.startswith(base):
            continue
        # As Retype's examples write them: `/tags/{{ tag.title }}`, the name for the slug.
        slug = tag_slug(path.removeprefix(base)) if path.startswith(base) else ""
        slugs = _group_slugs(site)[base]
        if not slugs or (slug and slug not in slugs):
            return None
        return base + (slug + "/" if slug else "")
    return None


def _group_slugs(site: SiteContent) -> dict[str, frozenset[str]]:
    """Every tag's and category's slug, by the URL their pages are under (once per site:
    every page of a site may link to a tag)."""
    if not _GROUP_SLUGS or _GROUP_SLUGS[0][0] is not site:
        found = {
            TAGS_URL: frozenset(tag_slug(n) for p in site.pages for n in p.settings.tags),
            CATEGORIES_URL: frozenset(
                tag_slug(n) for p in site.pages for n in p.settings.categories
            ),
        }
        _GROUP_SLUGS[:] = [(site, found)]
    return _GROUP_SLUGS[0][1]


# The last site's tag and category slugs (a cache, as _SITE_NAMES is for pages).
_GROUP_SLUGS: list[tuple[SiteContent, dict[str, frozenset[str]]]] = []


# Where Retype looks for an image that is not where its path says, in this order.
IMAGE_FOLDERS = ("static", "images", "img", "resources", "attachments", "assets", "public")
# The last asset set's paths by lower case (a cache: one site's pages ask it many times).
_LOWER: list[tuple[frozenset[str], dict[str, list[str]]]] = []


def find_file(target: str, asset_paths: frozenset[str], image: bool = False) -> str | None:
    """The file a link means, as Retype finds it: the path as written, or the one file whose
    path differs only in case; for an image also in the fallback folders, in order."""
    for candidate in _file_candidates(target, image):
        if candidate in asset_paths:
            return candidate
        same = _by_lower_case(asset_paths).get(candidate.lower(), [])
        if len(same) == 1:
            return same[0]
    return None


def _file_candidates(target: str, image: bool) -> list[str]:
    candidates = [target]
    if image:
        for folder in IMAGE_FOLDERS:
            candidates += [f"{folder}/{target}", f"{folder}/{posixpath.basename(target)}"]
    return candidates


def _by_lower_case(asset_paths: frozenset[str]) -> dict[str, list[str]]:
    if not _LOWER or _LOWER[0][0] is not asset_paths:
        lower: dict[str, list[str]] = {}
        for rel in sorted(asset_paths):
            lower.setdefault(rel.lower(), []).append(rel)
        _LOWER[:] = [(asset_paths, lower)]
    return _LOWER[0][1]


def _file_hint(target: str, ctx: RenderContext) -> str:
    same = _by_lower_case(ctx.asset_paths).get(target.lower(), [])
    if len(same) > 1:
        return "several files differ from it only in case: " + ", ".join(f"/{s}" for s in same)
    return (
        "put the file inside content/ next to the page, or fix the path"
        " (images are also looked for in " + ", ".join(f"/{f}" for f in IMAGE_FOLDERS) + ")"
    )


def find_page(site: SiteContent, target: str, rooted: bool) -> Page | None:
    """The page a link's content-relative path names: its file, its folder's index, or
    (written from the root, `rooted`) its URL."""
    found = site.by_source.get(target) or site.by_source.get(target + "/index.md")
    if found is None and rooted:
        found = site.by_url.get(target + "/") or site.by_url.get(target)
        if target == "":
            found = site.by_url.get("")
    return found


def page_in_other_case(target: str, site: SiteContent) -> Page | None:
    """The one page whose path differs from the link's only in case, as Retype finds it."""
    key = target.lower()
    pages_lower = _site_names(site).pages_lower
    for candidate in (key, key + "/index.md") if not key.endswith(".md") else (key,):
        same = pages_lower.get(candidate, [])
        if len(same) == 1:
            return same[0]
    return None


@dataclass
class _SiteNames:
    """The site's names as links that miss look them up: made once per site, since each
    such link used to go through every page of the site."""

    pages_lower: dict[str, list[Page]]  # pages by their path in lower case
    markdown_copies: frozenset[str]  # where the pages' Markdown copies go
    linkable_lower: dict[str, list[str]]  # files left out of the site, in lower case
    close_pages: ClosePaths  # for "did you mean" (its index is made at the first miss)


def _site_names(site: SiteContent) -> _SiteNames:
    if not _SITE_NAMES or _SITE_NAMES[0][0] is not site:
        pages_lower: dict[str, list[Page]] = {}
        for rel, page in site.by_source.items():
            pages_lower.setdefault(rel.lower(), []).append(page)
        linkable_lower: dict[str, list[str]] = {}
        for rel in site.linkable:
            linkable_lower.setdefault(rel.lower(), []).append(rel)
        names = _SiteNames(
            pages_lower,
            frozenset(page.markdown_path for page in site.pages),
            linkable_lower,
            ClosePaths(site.by_source),
        )
        _SITE_NAMES[:] = [(site, names)]
    return _SITE_NAMES[0][1]


# The last site's names (a cache, as _LOWER is for files).
_SITE_NAMES: list[tuple[SiteContent, _SiteNames]] = []


def _page_at(site: SiteContent, target: str, rooted: bool) -> Page | None:
    """The page a link finds by its path (or address): `find_page`, or else the default
    page of the folder it names."""
    found = find_page(site, target, rooted)
    if found is None and not target.endswith(".md"):
        folder = site.folders.get(target.rstrip("/"))
        found = folder.index if folder is not None else None
    return found


def path_resolution(site: SiteContent, key: str) -> tuple:
    """What a link to `key` (a content path, '/' first when written from the root) finds
    among the site's pages and the pages docsite makes, as `resolve_link` looks: a page,
    a tag or category page, a page's Markdown copy; else the page its warning suggests, or
    the file left out of the site it names (published because it does). A page depends on
    it for a link that no page's file is (`markdown.link_resolution`), so that a page
    added, a permalink or a tag set elsewhere, or a left-out file made again, mends the
    link, or breaks it."""
    rooted = key.startswith("/")
    target = key[1:] if rooted else key
    found = _page_at(site, target, rooted) or page_in_other_case(target, site)
    if found is not None:
        return ("page", found.source.rel)
    generated = _tag_page(target, site)
    if generated is not None:
        return ("generated", generated)
    names = _site_names(site)
    if target.endswith(".md") and target in names.markdown_copies:
        return ("copy",)
    if target.endswith(".md"):
        return ("missing", names.close_pages.closest(target) or "")
    left_out = _linkable(target, site)
    return ("left out", left_out) if left_out is not None else ()


def _page_hint(target: str, ctx: RenderContext) -> str:
    close = _site_names(ctx.site).close_pages.closest(target)
    if close is not None:
        here = posixpath.dirname(ctx.page.source.rel) or "."
        return f"did you mean '{posixpath.relpath(close, here)}'?"
    return "links are relative to this page's file, e.g. ../guide/setup.md"


def setting_href(
    page: Page,
    key: str,
    site: SiteContent,
    asset_paths: frozenset[str],
    checks: ChecksConfig | None = None,
) -> tuple[str | None, list[Diagnostic], list[str]]:
    """A link-valued setting (redirect, image) resolved like a link in the page's body, its
    problems (reported as the site's `checks` say, as a body's are), placed at the setting,
    and the left-out file it publishes, if it names one."""
    raw = getattr(page.settings, key)
    if EXTERNAL_URL.match(raw):
        return raw, [], []
    ctx = RenderContext(page, site, asset_paths, [], checks=checks or ChecksConfig())
    found = resolve_link(raw, ctx, None)
    where = page.settings.where(key, page.source.shown)
    problems = [
        Diagnostic(where.file, where.line, where.col, d.severity, d.message, d.hint)
        for d in ctx.diagnostics
    ]
    return (found.href if found is not None else None), problems, ctx.published
