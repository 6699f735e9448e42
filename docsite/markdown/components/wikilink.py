"""Wikilinks: `[[Page]]`, `[[Page|label]]`, `[[Page#heading]]` and `![[image.png|alt]]`.

The target is a file name found anywhere in the content folder, as Retype and Obsidian find it:
case, '-', '_' and spaces do not matter, and a folder's default page answers to the folder's
name. Once found, a page link goes through `resolve_link` like `[x](page.md)`, so it is recorded
in the page's links and written relative to the page.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections import defaultdict

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from docsite.markdown.components.calls import add_inline_rule
from docsite.markdown.context import RenderContext
from docsite.markdown.headings import slugify
from docsite.markdown.links import LinkTarget, resolve_link
from docsite.pages import SiteContent
from docsite.suggest import CloseWords

_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+)\]\]")
_INDEX_NAMES = ("index", "readme", "default")
# How a page's dependencies name a wikilink's page name (`RenderContext.resolved`).
WIKI_PREFIX = "[["
# The last site's names (a cache: a process renders one site's pages many times over).
_NAMES: list[tuple[SiteContent, frozenset[str], dict, dict, dict[str, CloseWords]]] = []
_PAGE_NAMES: list[tuple[SiteContent, dict[str, list[str]]]] = []


def wikilink_plugin(md: MarkdownIt) -> None:
    add_inline_rule(md, "[", _inline)
    add_inline_rule(md, "!", _inline)
    md.core.ruler.push("docsite_wikilink", _resolve_all)


def _inline(state: StateInline, silent: bool) -> bool:
    match = _WIKILINK.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {"image": bool(match.group(1)), "inner": match.group(2), "source": match[0]}
    state.pos = match.end()
    return True


def normalise(name: str) -> str:
    """'Getting_Started.md' and 'getting-started' -> 'getting started'."""
    name = name.strip()
    if name.lower().endswith(".md"):
        name = name[:-3]
    return " ".join(re.split(r"[\s_\-]+", name.lower())).strip()


def _names(site: SiteContent, asset_paths: frozenset[str]) -> tuple[dict, dict]:
    """Pages and files by normalised name (also by folder name for a default page)."""
    if _NAMES and _NAMES[0][0] is site and _NAMES[0][1] is asset_paths:
        return _NAMES[0][2], _NAMES[0][3]
    files: dict[str, list[str]] = defaultdict(list)
    for rel in sorted(asset_paths):
        files[posixpath.basename(rel).lower()].append(rel)
    _NAMES[:] = [(site, asset_paths, page_names(site), files, {})]
    return _NAMES[0][2], files


def page_names(site: SiteContent) -> dict[str, list[str]]:
    """The site's pages by normalised name (also by folder name for a default page), made
    once per site."""
    if _PAGE_NAMES and _PAGE_NAMES[0][0] is site:
        return _PAGE_NAMES[0][1]
    pages: dict[str, list[str]] = defaultdict(list)
    for page in site.pages:
        rel = page.source.rel
        stem = posixpath.splitext(posixpath.basename(rel))[0]
        pages[normalise(stem)].append(rel)
        folder = posixpath.dirname(rel)
        if stem.lower() in _INDEX_NAMES and folder:
            pages[normalise(posixpath.basename(folder))].append(rel)
    _PAGE_NAMES[:] = [(site, pages)]
    return pages


def wiki_pages(site: SiteContent, wanted: str) -> tuple[str, ...]:
    """The pages a wikilink's name (`wanted`, path-qualified or not) may stand for: one is
    the page, none or several an error. A page depends on them (`markdown.link_resolution`):
    a page added, removed or renamed elsewhere may mend the link or make it ambiguous."""
    candidates = page_names(site).get(normalise(posixpath.basename(wanted)), [])
    if "/" in wanted:  # a path-qualified name picks among the pages of that name
        tail = normalise(wanted)
        candidates = [rel for rel in candidates if _path_key(rel).endswith(tail)]
    return tuple(candidates)


def _close_names(site: SiteContent, asset_paths: frozenset[str], kind: str) -> CloseWords:
    """The names of the site's pages or files (`_names`), to find one close to a mistake."""
    pages, files = _names(site, asset_paths)
    known = _NAMES[0][4]
    if kind not in known:
        known[kind] = CloseWords(pages if kind == "page" else files)
    return known[kind]


def _resolve_all(state: StateCore) -> None:
    if "[[" not in state.src:  # no wikilink on the page
        return
    ctx: RenderContext | None = state.env.get("docsite")
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        if not any(token.type == "wikilink" for token in block.children):
            continue
        children: list[Token] = []
        for token in block.children:
            if token.type != "wikilink":
                children.append(token)
            elif token.meta["image"]:
                children.append(_image(token, block, ctx))
            else:
                children.extend(_link(token, block, ctx))
        block.children = children


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _link(token: Token, block: Token, ctx: RenderContext | None) -> list[Token]:
    inner = token.meta["inner"]
    target, _, label = inner.partition("|")
    name, _, anchors = target.partition("#")
    label_written = label.strip()
    label = label_written or target.strip().lstrip("#")
    fragment = wikilink_fragment(anchors)
    href, page = None, None
    if ctx is not None and not name.strip():
        href = "#" + fragment if fragment else None
        if fragment:
            ctx.record_link(ctx.page.source.rel, fragment, block, token.meta["source"])
    elif ctx is not None:
        found = page_target(name, fragment, ctx, block, token.meta["source"])
        href = found.href if found is not None else None
        page = found.page if found is not None else None
    if href is None:
        return [_text(label)]
    opening = Token("link_open", "a", 1)
    opening.attrSet("href", href)
    opening.attrSet("class", "wikilink")
    opening.meta = {"page": page, "labelled": bool(label_written)}
    return [opening, _text(label), Token("link_close", "a", -1)]


def page_target(
    name: str, fragment: str, ctx: RenderContext, block: Token | None, needle: str
) -> LinkTarget | None:
    """Where a wikilink's page name (and heading slug) leads; None after an error."""
    rel = _find(name, "page", block, ctx, needle)
    if rel is None:
        return None
    raw = "/" + urllib.parse.quote(rel) + ("#" + fragment if fragment else "")
    return resolve_link(raw, ctx, block, needle)


def component_target(raw: str, ctx: RenderContext, block: Token) -> LinkTarget | None:
    """A component's link written as a wikilink, `[!card]([[Page#Heading]])`."""
    name, _, anchors = raw.strip()[2:-2].partition("|")[0].partition("#")
    return page_target(name, wikilink_fragment(anchors), ctx, block, raw.strip())


def wikilink_fragment(anchors: str) -> str:
    """'General#Account' -> 'account' (the last heading's slug); '^block-id' stays itself."""
    last = anchors.split("#")[-1].strip()
    return last if last.startswith("^") else slugify(last)


def _image(token: Token, block: Token, ctx: RenderContext | None) -> Token:
    """An image token for `![[file|alt]]`; the written text when there is no such image."""
    target, _, alt = token.meta["inner"].partition("|")
    source = token.meta["source"]
    if ctx is None:
        return _text(source)
    if "#" in target or not posixpath.splitext(target.strip())[1] or target.endswith(".md"):
        ctx.error(
            block,
            source,
            f"'{source}' embeds a page or a block of one, which docsite does not do",
            f"link to it with [[{target.strip()}]], or share the text through an include",
        )
        return _text(source)
    rel = _find(target, "file", block, ctx, source)
    found = resolve_link("/" + urllib.parse.quote(rel), ctx, block, source) if rel else None
    if found is None:
        return _text(source)
    image = Token("image", "img", 0)
    image.children = [_text(alt.strip())] if alt.strip() else []
    image.content = alt.strip()
    image.attrs = {"src": found.href, "alt": ""}
    return image


def _find(name: str, kind: str, block: Token | None, ctx: RenderContext, needle: str) -> str | None:
    """The source path a wikilink's name stands for, or None after an error."""
    pages, files = _names(ctx.site, ctx.asset_paths)
    wanted = name.strip().strip("/")
    if kind == "page":
        key = normalise(posixpath.basename(wanted))
        candidates = list(wiki_pages(ctx.site, wanted))
        ctx.resolved[WIKI_PREFIX + wanted] = tuple(candidates)
    else:
        key = posixpath.basename(wanted).lower()
        candidates = files.get(key, [])
        if "/" in wanted:
            candidates = [rel for rel in candidates if rel.lower().endswith(wanted.lower())]
    if len(candidates) == 1:
        return candidates[0]
    what = "page" if kind == "page" else "file"
    if candidates:
        ctx.error(
            block,
            needle,
            f"wikilink '{needle}' is ambiguous: {len(candidates)} {what}s are named "
            f"'{wanted}': " + ", ".join(candidates),
            "write part of the path to pick one, e.g. [[" + _qualified(candidates[0]) + "]]",
        )
        return None
    names = pages if kind == "page" else files
    close = _close_names(ctx.site, ctx.asset_paths, kind).closest(key)
    hint = (
        f"did you mean [[{_shown_name(names[close[0]][0], kind)}]]?"
        if close
        else f"a wikilink names a {what} of the content folder by its file name"
    )
    ctx.broken_link(block, needle, f"wikilink '{needle}': no {what} is named '{wanted}'", hint)
    return None


def _shown_name(rel: str, kind: str) -> str:
    name = posixpath.basename(rel)
    return posixpath.splitext(name)[0] if kind == "page" else name


def _path_key(rel: str) -> str:
    return normalise(rel.replace("/", "\0")).replace("\0", "/")


def _qualified(rel: str) -> str:
    return posixpath.splitext(rel)[0]
