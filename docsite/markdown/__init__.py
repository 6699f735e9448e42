"""Markdown to HTML: one markdown-it-py instance with GFM and docsite's plugins."""

from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.gfm import gfm_plugin

from docsite.actions import ActionSet
from docsite.config import ChecksConfig, OutboundConfig
from docsite.diagnostics import Diagnostic
from docsite.icons import IconSet
from docsite.markdown.attributes import attributes_plugin
from docsite.markdown.code import code_plugin
from docsite.markdown.components import components_plugin
from docsite.markdown.components.wikilink import WIKI_PREFIX, wiki_pages
from docsite.markdown.context import RenderContext
from docsite.markdown.dispatch import dispatch_plugin
from docsite.markdown.guards import guards_plugin
from docsite.markdown.headings import TocEntry, headings_plugin
from docsite.markdown.html_renderer import HtmlRenderer
from docsite.markdown.library_rules import library_rules_plugin
from docsite.markdown.links import links_plugin, path_resolution
from docsite.markdown.tables import tables_plugin
from docsite.markdown.templating import (
    TemplateSetup,
    expand_page,
    page_folder,
    uses_templating,
    without_region_markers,
)
from docsite.pages import Page, SiteContent
from docsite.projectfiles import ProjectFiles


@dataclass
class Rendered:
    """A page's body rendered: its HTML and what the site needs to know of it."""

    html: str
    toc: list[TocEntry]
    anchors: list[str]  # every id in the body: headings, footnotes, components, raw HTML
    has_h1: bool
    diagnostics: list[Diagnostic]
    page_links: list[tuple[str, str, int, int]]  # (target rel, fragment, line, col)
    linked: list[str]  # source paths of the pages it links to (components' links too)
    icons: list[str]  # icon names the body uses, for the site's icons.css
    # Files the body read (includes, code snippets): project path -> content hash or "missing"
    files: dict[str, str] = field(default_factory=dict)
    mermaid: bool = False  # has a diagram: the page loads Mermaid
    expanded: str | None = None  # the body with its templating expanded, if that changed it
    backlinks_placed: bool = False  # `[!backlinks]` marks where the list goes
    backlinks_title: str = ""  # the title it gives the list
    reads: dict[str, str] = field(default_factory=dict)  # values its templating read
    published: list[str] = field(default_factory=list)  # left-out files it links to
    summarized: list[str] = field(default_factory=list)  # pages its cards summarize
    resolved: dict[str, tuple] = field(default_factory=dict)  # RenderContext.resolved
    code: dict[str, str] = field(default_factory=dict)  # highlighted blocks: RenderContext.code


# The renderer writes every attribute as id="..." (escaped), so a pattern finds them all.
_ID_ATTRIBUTE = re.compile(r'\sid="([^"]+)"')


def link_resolution(site: SiteContent, key: str) -> tuple:
    """What a link recorded in `Rendered.resolved` finds now: a wikilink's page name (the
    pages it may stand for), else a path or address (`links.path_resolution`)."""
    if key.startswith(WIKI_PREFIX):
        return wiki_pages(site, key.removeprefix(WIKI_PREFIX))
    return path_resolution(site, key)


def make_markdown(html: bool = True, hard_breaks: bool = False) -> MarkdownIt:
    """`html=False` escapes raw HTML in pages (docsite.yml: markdown: {html: false});
    `hard_breaks` makes each line break of a paragraph a <br> (Retype's lineBreaks: hard)."""
    md = MarkdownIt("commonmark", {"html": html, "breaks": hard_breaks}, renderer_cls=HtmlRenderer)
    md.use(gfm_plugin)
    md.use(tables_plugin)
    md.use(guards_plugin)
    md.use(deflist_plugin)
    md.use(attributes_plugin)
    md.use(headings_plugin)
    md.use(links_plugin)
    md.use(code_plugin)
    md.use(components_plugin)
    md.use(library_rules_plugin)  # last: it wraps rules the others added
    md.use(dispatch_plugin)  # last: it takes over the rules the others added
    return md


class MarkdownRenderer:
    """Parses and renders page bodies; built once per process and reused."""

    def __init__(
        self,
        site: SiteContent,
        icons: IconSet | None = None,
        html: bool = True,
        setup: TemplateSetup | None = None,
        code_line_numbers: tuple[str, ...] = (),
        hard_breaks: bool = False,
        outbound: OutboundConfig | None = None,
        checks: ChecksConfig | None = None,
        words: tuple[tuple[str, str], ...] = (),
        actions: ActionSet | None = None,
        date_format: tuple[str, str] | None = None,
    ):
        self.md = make_markdown(html, hard_breaks)
        self.site = site
        self.icons = icons if icons is not None else IconSet()
        self.asset_paths = frozenset(a.rel for a in site.assets)
        self.setup = setup if setup is not None else _setup_around(site)
        self.code_line_numbers = frozenset(code_line_numbers)
        self.outbound = outbound or OutboundConfig()
        self.checks = checks or ChecksConfig()
        self.words = dict(words)
        self.actions = actions
        self.date_format = date_format

    def render(self, page: Page, code_before: dict[str, str] | None = None) -> Rendered:
        """`code_before`: the code blocks the page's last parse highlighted (`Rendered.code`)."""
        setup = self.setup
        files = ProjectFiles(setup.root, setup.content_dir)
        ctx = RenderContext(page, self.site, self.asset_paths, [], icons=self.icons, files=files)
        ctx.code_line_numbers = self.code_line_numbers
        ctx.outbound = self.outbound
        ctx.checks = self.checks
        ctx.actions = self.actions
        if self.date_format is not None:
            ctx.date_format = self.date_format
        if self.words:
            ctx.words = self.words
        if code_before:
            ctx.code_before = code_before
        body = without_region_markers(page.body)
        templated = setup.enabled and uses_templating(page)
        reads: dict[str, str] = {}
        top = setup.site_includes.get("top.md")
        bottom = setup.site_includes.get("bottom.md")
        if templated or top or bottom:
            body_line = page.body_line
            if templated and page.prelude:  # the frontmatter's template lines run first
                gap = page.body_line - page.yaml_line - page.prelude.count("\n")
                body, body_line = page.prelude + "\n" * gap + body, page.yaml_line
            expanded = expand_page(
                setup.templater(page, files),
                body,
                page.source.shown,
                body_line,
                page_folder(files, page.source.rel),
                templated,
                top,
                bottom,
                page.source.os_path,
            )
            body, ctx.origins = expanded.text, expanded.origins
            if templated and page.prelude:  # the lines that were frontmatter
                kept = body.lstrip("\n")
                ctx.origins = ctx.origins[len(body) - len(kept) :]
                body = kept
            ctx.diagnostics.extend(expanded.diagnostics)
            reads = expanded.reads
        ctx.lines = body.split("\n")
        env: dict = {"docsite": ctx}
        tokens = self.md.parse(body, env)
        html = self.md.renderer.render(tokens, self.md.options, env)
        return Rendered(
            html=html,
            toc=ctx.toc,
            anchors=sorted({html_module.unescape(i) for i in _ID_ATTRIBUTE.findall(html)}),
            has_h1=ctx.has_h1,
            diagnostics=ctx.diagnostics,
            page_links=ctx.page_links,
            linked=ctx.linked,
            summarized=sorted(set(ctx.summarized)),
            resolved=dict(sorted(ctx.resolved.items())),
            published=sorted(set(ctx.published)),
            icons=sorted(ctx.used_icons),
            files=dict(sorted(files.read.items())),
            mermaid=ctx.mermaid,
            expanded=body if body != page.body else None,
            backlinks_placed=ctx.backlinks_placed,
            backlinks_title=ctx.backlinks_title,
            reads=reads,
            code=ctx.code,
        )


def _setup_around(site: SiteContent) -> TemplateSetup:
    """Templating for a renderer made without a build (tests, tools): the content folder is
    where the pages are, the project its parent."""
    if not site.pages:
        return TemplateSetup(Path.cwd(), Path.cwd())
    source = site.pages[0].source
    content = Path(source.os_path[: len(source.os_path) - len(source.rel)])
    return TemplateSetup.for_site(content.parent, content)
