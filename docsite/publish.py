"""What a deployed site needs beside its pages, for any static host.

Written after the pages, into the same output folder: tag pages, redirect pages for moved
permalinks (`redirect_from`) and a `_redirects` file, 404.html, sitemap.xml, robots.txt,
llms.txt with a Markdown copy of every page, and .nojekyll for GitHub Pages.

A file of the same name from static/ or content/ wins over a generated one.
"""

from __future__ import annotations

import html
import json
import os
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docsite.blog import Blog, rss_feed
from docsite.cache import PageRecord
from docsite.config import SiteConfig
from docsite.context import BuildContext
from docsite.diagnostics import Report
from docsite.frontmatter import PageSettings
from docsite.gitdates import PageDates
from docsite.keys import InputKind, inputs_from
from docsite.markdown.links import setting_href
from docsite.nav import NavItem, NavTree
from docsite.output import OutputFolder
from docsite.pages import Page, SiteContent, markdown_copy, slugify_segment
from docsite.sources import SourceFile
from docsite.tags import CATEGORIES_URL, TAGS_URL, Tag
from docsite.theme import Theme
from docsite.urls import EXTERNAL_URL, relative_href, site_path_problem

# Characters left as they are in sitemap URLs; everything else is percent-encoded.
_URL_SAFE = "/~!$&'()*+,;=:@%-._"
# Resolves a page's relative redirect href to a site path.
_SITE_ORIGIN = "https://site.invalid/"


@dataclass(frozen=True)
class Redirect:
    """A page that moved: its old address leads to the new one."""

    source: str  # site-relative URL that moved: 'old/' or 'old.html'
    target: str  # site-relative URL ('' is home), or a full URL to another site

    @property
    def external(self) -> bool:
        return bool(EXTERNAL_URL.match(self.target))


def publish(
    ctx: BuildContext,
    records: dict[str, PageRecord],
    reused: set[str],
    same_site: bool,
    copies: set[str],
) -> None:
    """Write every extra file of the site; called once all pages are in the output folder.
    `reused`: pages whose records (and so Markdown copies) are the last build's;
    `same_site`: nothing generated pages show has changed, so they are the last build's;
    `copies`: pages whose Markdown copies were written with them (render)."""
    site, theme, config, report = ctx.site, ctx.theme, ctx.config, ctx.report
    writer = _Writer(ctx.output, ctx.previous_output, report)
    static_before = _static_before(ctx)
    copied, unchanged = [], []
    for page in site.pages:
        if page.source.rel in copies or not page.has_markdown_copy:
            continue
        path = page.markdown_path
        copied.append((page, path))
        # Kept unless the last build had a file of static/ there (not a copy to keep).
        if page.source.rel in reused and not static_before(path):
            unchanged.append(path)
    kept = writer.keep_all(unchanged)
    for page, path in copied:
        if path in kept:
            continue
        record = records.get(page.source.rel)
        body = record.expanded if record is not None and record.expanded else page.body
        writer.write(path, markdown_copy(page, body))
    tags = ctx.groups.tags
    _write_tag_pages(TAG_PAGES, tags, site, theme, config, writer, report, same_site)
    categories = ctx.groups.categories
    _write_tag_pages(CATEGORY_PAGES, categories, site, theme, config, writer, report, same_site)
    if theme.blog is not None:
        _write_blog(theme.blog, site, theme, config, writer, report, same_site)
    redirects = moved_pages(site, report)
    for redirect in redirects:
        target_page = site.by_url.get(redirect.target)
        if target_page is not None:
            href = relative_href(redirect.source, redirect.target)
            writer.write(
                config.urls.output_path(redirect.source), theme.render_redirect(target_page, href)
            )
    pointing = redirect_pages(site)
    report_redirect_loops(site, pointing, report)
    redirects += pointing
    if redirects:
        writer.write("_redirects", redirects_file(redirects, config), optional=True)
    if not (same_site and writer.keep("404.html")):
        writer.write(
            "404.html",
            theme.render_extra(
                "404.html",
                virtual_page("404.html", theme.labels["Page_404_Title"]),
                root="./",
                base_path=site_path(config),
                has_tags=bool(tags),
                **_meta(theme.labels["Page_404_Title"], "", "", noindex=True),
            ),
            optional=True,
        )
    if config.url:  # its dates may come from file times, which same_site does not cover
        writer.write("sitemap.xml", sitemap(site, config, ctx.dates), optional=True)
    writer.write("robots.txt", robots_txt(config), optional=True)
    if config.cname:  # GitHub Pages' custom domain (Retype's `cname`)
        writer.write("CNAME", config.cname + "\n", optional=True)
    if not (same_site and writer.keep("llms.txt")):
        writer.write("llms.txt", llms_txt(site, ctx.nav, config), optional=True)
    if config.sidebar_filter and not (same_site and writer.keep(NAV_INDEX)):
        writer.write(NAV_INDEX, nav_index(ctx.nav), optional=True)
    writer.write(".nojekyll", "", optional=True)


def _static_before(ctx: BuildContext) -> Callable[[str], bool]:
    """Whether the last build published a file of the site's static/ at a path: the file it
    left there is not a page's Markdown copy to keep. (The folder is resolved once: a
    system call per part of its path, for each of 5,000 pages, cost 75 ms.)"""
    folder = (ctx.config.root / "static").resolve()
    return inputs_from(ctx.previous.files, InputKind.STATIC, folder).__contains__


class _Writer:
    """Writes generated files; one that is already there (from static/ or content/) wins."""

    def __init__(self, output: OutputFolder, previous_output: Path | None, report: Report):
        self.output = output
        self.previous_output = previous_output
        self.report = report
        # The last build's folder as a prefix: `keep` is asked of every page's Markdown copy.
        self._previous = os.path.join(previous_output, "") if previous_output else None

    def write(self, rel: str, text: str, optional: bool = False) -> None:
        """`optional`: a site may replace this file with its own (robots.txt, 404.html...);
        otherwise a file in the way is a warning."""
        if self.output.exists(rel):
            if not optional:
                self.report.warning(
                    rel,
                    0,
                    0,
                    f"docsite generates '{rel}', but a file of that name is published there",
                    "remove or rename the file in static/ or content/",
                )
            return
        self.output.write_text(rel, text, self.previous_output)

    def keep(self, rel: str) -> bool:
        """Link the last build's file, known to be unchanged, without reading it."""
        if self._previous is None or self.output.exists(rel):
            return False  # a file of static/ or content/ takes the place: write() says so
        return self.output.link_from(self._previous + rel, rel)

    def keep_all(self, rels: list[str]) -> set[str]:
        """`keep` of each of `rels`, the live site's own files mostly at once: those kept."""
        if self._previous is None:
            return set()
        others = self.output.keep_live(rels)
        kept = set(rels).difference(others)
        kept.update(rel for rel in others if self.keep(rel))
        return kept


# -- Tags ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupPages:
    """The pages docsite makes for tags, or for categories: an index and one per name."""

    base: str  # TAGS_URL or CATEGORIES_URL
    index_label: str  # the labels' key of the index page's title
    one_label: str  # of one group's page title
    see_all_label: str  # of the link back to the index
    what: str  # for messages


TAG_PAGES = GroupPages(
    TAGS_URL, "Page_Tags_Title", "Page_Tag_Title", "Page_Tag_SeeAll_Label", "tag"
)
CATEGORY_PAGES = GroupPages(
    CATEGORIES_URL,
    "Page_Categories_Title",
    "Page_Category_Title",
    "Page_Category_SeeAll_Label",
    "category",
)


def _write_tag_pages(
    kind: GroupPages,
    tags: list[Tag],
    site: SiteContent,
    theme: Theme,
    config: SiteConfig,
    writer: _Writer,
    report: Report,
    same_site: bool,
) -> None:
    if not tags:
        return
    taken = {url.lower() for url in site.by_url}
    labels = theme.labels
    shared = {"index_url": kind.base, "see_all": labels[kind.see_all_label]}
    for url, title, template, values in [
        (kind.base, labels[kind.index_label], "tags.html", {"tags": tags}),
        *[
            (tag.url, f"{labels[kind.one_label]}: {tag.name}", "tag.html", {"tag": tag})
            for tag in tags
        ],
    ]:
        if url.lower() in taken:
            page = site.by_url.get(url) or next(p for p in site.pages if p.url.lower() == url)
            report.warning(
                page.source.shown,
                0,
                0,
                f"this page is published at /{url}, where docsite puts the {kind.what} page; "
                f"the {kind.what} page is left out",
                "give the page another 'permalink' or file name",
            )
            continue
        if same_site and writer.keep(config.urls.output_path(url)):
            continue
        # As links write its address (`generator.trailingSlash`): its links start from it.
        address = config.urls.link_form(url)
        canonical = config.url + address if config.url else ""
        html = theme.render_extra(
            template,
            virtual_page(address, title),
            **values,
            **shared,
            **_meta(title, "", canonical),
        )
        writer.write(config.urls.output_path(url), html)


# -- The blog ------------------------------------------------------------------------------


def _write_blog(
    blog: Blog,
    site: SiteContent,
    theme: Theme,
    config: SiteConfig,
    writer: _Writer,
    report: Report,
    same_site: bool,
) -> None:
    """The blog's summary pages that no page of the site is (all but the first, when the
    blog folder has its own page), and its RSS feed."""
    pages = blog.summary_pages()
    for number in range(1, len(pages) + 1):
        url = blog.summary_url(number)
        if number == 1 and blog.index is not None:
            continue  # the blog folder's own page shows the first listing
        taken = site.by_url.get(url)
        if taken is not None:
            report.warning(
                taken.source.shown,
                0,
                0,
                f"this page is published at /{url}, where docsite puts a page of the blog's "
                "summary; that summary page is left out",
                "give the page another 'permalink', or the blog another 'base'",
            )
            continue
        output = config.urls.output_path(url)
        if same_site and writer.keep(output):
            continue
        title = (
            blog.title if number == 1 else f"{blog.title} ({theme.labels['Page_Page']} {number})"
        )
        address = config.urls.link_form(url)
        canonical = config.url + address if config.url else ""
        html = theme.render_extra(
            "blog.html",
            virtual_page(address, title),
            listing=theme.listing(number, address),
            **_meta(title, "", canonical),
        )
        writer.write(output, html)
    if not (same_site and writer.keep(blog.feed_url)):
        writer.write(blog.feed_url, rss_feed(blog, config))


def virtual_page(url: str, title: str) -> Page:
    """A Page for a generated page: no source, at the top of the sidebar."""
    source = SourceFile(rel=f"<generated>/{url}", os_path="", shown=url)
    return Page(source, PageSettings(), "", 1, "", False, url=url, label=title, title=title)


def _meta(title: str, description: str, canonical: str, noindex: bool = False) -> dict:
    return {
        "meta_title": title,
        "meta_description": description,
        "canonical": canonical,
        "image_url": "",
        "og_type": "website",
        "noindex": noindex,
    }


# -- Redirects -------------------------------------------------------------------------------


def moved_pages(site: SiteContent, report: Report) -> list[Redirect]:
    """`redirect_from` paths, checked: each becomes a small page leading to its page."""
    redirects: list[Redirect] = []
    published: dict[str, Page] = {}  # by address in lower case, made at the first redirect
    moved: dict[str, Page] = {}
    for page in site.pages:
        for raw in page.settings.redirect_from:
            if not published:
                published = {url.lower(): shown for url, shown in site.by_url.items()}
            where = page.settings.where("redirect_from", page.source.shown)
            old, problem = _old_url(raw)
            if problem:
                pass
            elif published.get(old.lower()) is page:
                problem = "it is this page's own address"
            elif old.lower() in published:
                problem = f"'{published[old.lower()].source.shown}' is published there"
            elif old.lower() in moved:
                problem = f"'{moved[old.lower()].source.shown}' already redirects from it"
            if problem:
                report.error(
                    where.file,
                    where.line,
                    where.col,
                    f"invalid redirect_from '{raw}': {problem}",
                    "list the page's old paths from the site root, e.g. redirect_from: "
                    "[/old/setup]",
                )
                continue
            moved[old.lower()] = page
            redirects.append(Redirect(old, page.url))
    return sorted(redirects, key=lambda r: r.source)


def _old_url(raw: str) -> tuple[str, str]:
    """A redirect_from path as a site-relative URL, or a problem with it."""
    path = raw.strip()
    segments = [s for s in path.strip("/").split("/") if s]
    problem = site_path_problem(path)
    if problem:
        return "", problem
    if not segments:
        return "", "the home page cannot redirect to another page"
    joined = "/".join(segments)
    if joined.lower().endswith(".md"):
        # An old source file: the URL it was published at.
        parts = [slugify_segment(p) for p in joined[: -len(".md")].split("/")]
        if parts[-1] in ("index", "readme", "default"):
            parts = parts[:-1]
        return ("/".join(parts) + "/" if parts else ""), ""
    if joined.lower().endswith(".html"):
        return joined, ""
    return joined + "/", ""


def redirect_pages(site: SiteContent) -> list[Redirect]:
    """Pages with `redirect:` (already rendered as redirect pages), for _redirects."""
    redirects: list[Redirect] = []
    asset_paths = frozenset(asset.rel for asset in site.assets)
    for page in site.pages:
        if not page.settings.redirect:
            continue
        href, _, _ = setting_href(page, "redirect", site, asset_paths)  # reported at render
        if href is None:
            continue
        resolved = urllib.parse.urljoin(_SITE_ORIGIN + page.url, href)
        if resolved.startswith(_SITE_ORIGIN):
            redirects.append(Redirect(page.url, resolved[len(_SITE_ORIGIN) :]))
        else:
            redirects.append(Redirect(page.url, href))
    return redirects


def report_redirect_loops(site: SiteContent, redirects: list[Redirect], report: Report) -> None:
    """Redirects that never reach a page send the browser round for ever: an error each."""
    leads_to: dict[str, str] = {}
    for redirect in redirects:
        if not redirect.external:
            target = site.by_url.get(redirect.target.partition("#")[0].partition("?")[0])
            if target is not None and target.settings.redirect:
                leads_to[redirect.source] = target.url
    in_loops: set[str] = set()
    doomed: set[str] = set()  # pages whose redirects end in a loop
    done: set[str] = set()
    for start in sorted(leads_to):
        path: list[str] = []
        url = start
        while url in leads_to and url not in done and url not in path:
            path.append(url)
            url = leads_to[url]
        lead_in = path if url in doomed else []
        if url in path:
            loop = path[path.index(url) :]
            first = min(loop, key=lambda u: site.by_url[u].source.shown)
            loop = loop[loop.index(first) :] + loop[: loop.index(first)]
            loop_text = _chain(site, [*loop, first])
            _redirect_error(site, first, f"redirect loop: {loop_text}", report)
            in_loops.update(loop)
            lead_in = path[: path.index(url)]
        for source in lead_in:
            chain = [source]
            while chain[-1] not in in_loops:
                chain.append(leads_to[chain[-1]])
            chain_text = _chain(site, chain)
            _redirect_error(site, source, f"redirect chain {chain_text} ends in a loop", report)
        doomed.update(path if url in doomed or url in path else [])
        done.update(path)


def _chain(site: SiteContent, urls: list[str]) -> str:
    return " -> ".join(f"'{site.by_url[url].source.shown}'" for url in urls)


def _redirect_error(site: SiteContent, url: str, message: str, report: Report) -> None:
    page = site.by_url[url]
    where = page.settings.where("redirect", page.source.shown)
    report.error(
        where.file,
        where.line,
        where.col,
        message + "; no page is ever reached",
        "point one of these redirects at a page that is not itself a redirect",
    )


def redirects_file(redirects: list[Redirect], config: SiteConfig) -> str:
    """Netlify and Cloudflare Pages' `_redirects`: 'from to 301', paths from the domain root."""
    base = site_path(config)
    lines = []
    for redirect in sorted(redirects, key=lambda r: r.source):
        target = redirect.target if redirect.external else base + redirect.target
        lines.append(f"{_quote(base + redirect.source)} {_quote(target)} 301")
    return "\n".join(lines) + "\n"


# -- For search engines and machines ---------------------------------------------------------


def site_path(config: SiteConfig) -> str:
    """The path of `url` ('/docs/'), or '/' without one."""
    path = urllib.parse.urlsplit(config.url).path if config.url else "/"
    return path if path.endswith("/") else path + "/"


def is_listed(page: Page) -> bool:
    """Whether a search engine or a reader should find the page: public, not a redirect."""
    return page.settings.visibility == "public" and not page.settings.redirect


def listed_pages(site: SiteContent) -> list[Page]:
    """The pages a sitemap and llms.txt list."""
    return [page for page in site.pages if is_listed(page)]


def sitemap_dated_by_file(page: Page, config: SiteConfig, dates: PageDates) -> bool:
    """Whether the sitemap dates this page by its file's time (git has no commit of it):
    saving the page moves that date."""
    return bool(config.url) and is_listed(page) and not dates.last_updated(page.source.rel)


def sitemap(site: SiteContent, config: SiteConfig, dates: PageDates) -> str:
    entries = []
    for page in sorted(listed_pages(site), key=lambda p: p.url):
        loc = html.escape(config.url + _quote(page.url), quote=False)  # &, < and > for XML
        lastmod = dates.lastmod(page.source.rel, page.source.path)
        entries.append(
            f"  <url>\n    <loc>{loc}</loc>\n"
            + (f"    <lastmod>{lastmod}</lastmod>\n" if lastmod else "")
            + "  </url>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(entries)
        + "</urlset>\n"
    )


def robots_txt(config: SiteConfig) -> str:
    text = "User-agent: *\nAllow: /\n"
    if config.url:
        text += f"\nSitemap: {config.url}sitemap.xml\n"
    return text


NAV_INDEX = "nav.json"


def nav_index(nav: NavTree) -> str:
    """What the sidebar filter searches: every linked item of the sidebar, with the folders
    above it, in sidebar order; one file, so pages need not carry the whole tree."""
    entries = []
    pending = nav.root.children[::-1]
    while pending:
        item = pending.pop()
        if item.url is not None and (item.page is not None or not item.children):
            trail = " / ".join(a.label for a in item.ancestors())
            entries.append({"label": item.label, "url": item.url, "trail": trail})
        pending.extend(reversed(item.children))
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":")) + "\n"


def llms_txt(site: SiteContent, nav: NavTree, config: SiteConfig) -> str:
    """The llmstxt.org format: the site's title and summary, then its pages by section,
    each linked to its Markdown copy."""
    sections: dict[str, list[Page]] = {}
    seen: set[str] = set()
    public = {page.source.rel for page in listed_pages(site)}
    for item in nav.reading_order:
        page = item.page
        if page is None or page.source.rel not in public or page.source.rel in seen:
            continue
        seen.add(page.source.rel)
        sections.setdefault(_section(item), []).append(page)
    for page in sorted(listed_pages(site), key=lambda p: p.url):
        if page.source.rel not in seen:
            sections.setdefault("Other pages", []).append(page)
    lines = [f"# {config.title}", ""]
    if config.description:
        lines += [f"> {config.description}", ""]
    for name, pages in sections.items():
        lines += [f"## {name}", ""]
        for page in pages:
            link = (config.url if config.url else "") + _quote(page.markdown_path)
            description = page.settings.description
            entry = f"- [{_md_text(page.title)}]({link})"
            lines.append(entry + (f": {description}" if description else ""))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _section(item: NavItem) -> str:
    ancestors = item.ancestors()
    if ancestors:
        return ancestors[0].label
    if item.is_folder:
        return item.label
    return "Docs"


def _md_text(text: str) -> str:
    return re.sub(r"([\[\]\\])", r"\\\1", text)


def _quote(path: str) -> str:
    return urllib.parse.quote(path, safe=_URL_SAFE)
