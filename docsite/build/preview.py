"""Watch mode's preview: the pages a reader has open, as the next build will make them,
rendered before that build from what the last one loaded and the files that changed.

A preview is written nowhere: the server answers with it from memory until the build that
follows has swapped the whole site in, so the served folder is only ever a build's output.
It reads again only the pages whose files changed (`LoadedPages`), and finds the files again
only when one was added or removed; a preview that errs is dropped (the build reports)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docsite.backlinks import Backlink, any_backlinks, backlinks_by_page, in_reading_order
from docsite.blog import apply_blog_settings
from docsite.build.files import files_may_take
from docsite.build.live import LiveState
from docsite.build.prepare import make_chrome
from docsite.build.scanning import not_content, path_rules
from docsite.cache import CacheState, link_targets
from docsite.config import BlogConfig, SiteConfig, load_config
from docsite.context import BuildOptions
from docsite.diagnostics import Report, Severity
from docsite.keys import DependencyValues, live_markdown_key
from docsite.markdown import link_resolution
from docsite.navpatch import NavMemo
from docsite.pages import (
    LoadedPages,
    Page,
    SettingsMemo,
    SiteContent,
    load_site,
    reload_pages,
)
from docsite.render import PageBuilder, PageJob
from docsite.sources import Discovery, discover, rediscover
from docsite.theme import Theme, has_sidebar
from docsite.urls import UrlStyle


@dataclass(frozen=True)
class PagePreview:
    """A file as the next build will write it: a page (its site URL), or a stylesheet or
    another file of the site (None)."""

    url: str | None
    output_path: str  # where it goes in the site
    html: bytes
    stylesheet: bool = False  # of static/: the tabs swap it in, without a reload


@dataclass
class PreviewMemory:
    """What previews keep between changes: pages as read, checked settings, files found."""

    loaded: LoadedPages = field(default_factory=LoadedPages)
    settings: SettingsMemo = field(default_factory=SettingsMemo)
    found: Discovery | None = None
    nav: NavMemo = field(default_factory=NavMemo)  # the last preview's sidebar
    # What the files were found under: the content folder, and what of it is content.
    found_for: tuple | None = None
    unfound: set[str] = field(default_factory=set)  # files added or removed since
    ready: bool = False  # every page is read: nothing to read ahead while nothing changes
    _links: tuple[CacheState, dict[str, list[str]], dict[str, set[str]]] | None = None
    _known: tuple[Discovery, frozenset[str]] | None = None
    # The site the last preview (or the reading ahead) loaded, and the files changed since:
    # the next preview reads those again and places them in it, when that is enough.
    _site: tuple[tuple[Path, UrlStyle, BlogConfig], Discovery, SiteContent] | None = None
    _changed: set[str] = field(default_factory=set)

    def recorded_links(self, live: LiveState) -> dict[str, list[str]]:
        """The pages each page links to, as the last build recorded them (read once a build)."""
        return self._recorded(live)[1]

    def records_changed(self) -> None:
        """The last build's records were replaced in place (pages re-rendered alone, which
        may link elsewhere now): their links are read again."""
        self._links = None

    def linking_to(self, live: LiveState, targets: set[str]) -> set[str]:
        """The pages that link to any of these, as the last build recorded them."""
        linked_from = self._recorded(live)[2]
        return set().union(*(linked_from.get(target, ()) for target in targets))

    def _recorded(
        self, live: LiveState
    ) -> tuple[CacheState, dict[str, list[str]], dict[str, set[str]]]:
        if self._links is None or self._links[0] is not live.state:
            records = live.state.pages.items()
            links = {rel: link_targets(r.page_links) for rel, r in records}
            linked_from: dict[str, set[str]] = {}
            for rel, targets in links.items():
                for target in targets:
                    linked_from.setdefault(target, set()).add(rel)
            self._links = (live.state, links, linked_from)
        return self._links

    def known_files(self) -> frozenset[str]:
        """The content files found (content-relative): a changed file not among them is new."""
        found = self.found
        if found is None:
            return frozenset()
        if self._known is None or self._known[0] is not found:
            rels = {source.rel for source in (*found.pages, *found.assets)} | set(found.settings)
            self._known = (found, frozenset(rels))
        return self._known[1]

    def forget(self, rels: set[str], files_changed: bool) -> None:
        """These content files changed (content-relative); `files_changed`: some were added
        or removed, so what was found is found again (`_find`)."""
        self.loaded.forget(rels)
        self._changed |= rels
        if files_changed:
            self.unfound |= rels
            self.ready = False

    def load_site(self, config: SiteConfig, found: Discovery, report: Report) -> SiteContent:
        """The pages as they are now (blog settings applied): the last site loaded with the
        changed files read again when only pages' own files changed, else read whole (the
        unchanged pages as read before)."""
        site = self.reloaded(config, found, report)
        if site is None:
            site = load_site(found, report, self.settings, config.urls, self.loaded)
            self.remember(config, found, site, report)
        return site

    def reloaded(self, config: SiteConfig, found: Discovery, report: Report) -> SiteContent | None:
        """The last site loaded with the changed files read again (blog settings applied);
        None when that is not enough, or no site is kept."""
        last = self._site
        if last is None or last[0] != _loading(config):
            return None
        args = (self.settings, config.urls, self.loaded)
        site = reload_pages(last[2], last[1], found, self._changed, report, *args)
        if site is not None:
            self.remember(config, found, site, report)
        return site

    def remember(
        self, config: SiteConfig, found: Discovery, site: SiteContent, report: Report
    ) -> None:
        """Apply the blog's settings, and keep a site loaded without errors for the next
        preview to start from."""
        apply_blog_settings(site, config.blog, report)
        self._site = None if report.errors else (_loading(config), found, site)
        self._changed = set()


def _loading(config: SiteConfig) -> tuple[Path, UrlStyle, BlogConfig]:
    """What of the config loading the pages reads: a change to the rest (the site's title,
    the theme's settings) leaves the pages as they were loaded."""
    return config.content_dir, config.urls, config.blog


class WarmUpInterrupted(Exception):
    """A change came while pages were read ahead: it goes first, the reading goes on later."""


@dataclass
class _ReadAhead(LoadedPages):
    """The preview memory's pages, read ahead one by one until `interrupt` says to stop."""

    interrupt: Callable[[], bool] = lambda: False

    def load(self, *args, **kwargs) -> Page | None:  # type: ignore[no-untyped-def]
        if self.interrupt():
            raise WarmUpInterrupted
        return super().load(*args, **kwargs)


def warm_up(
    options: BuildOptions,
    live: LiveState,
    memory: PreviewMemory,
    interrupt: Callable[[], bool] = lambda: False,
) -> bool:
    """Read every page once, so that the first preview reads only the changed ones; stops
    at once when `interrupt` says so (a change waits), keeping the pages read so far.
    Whether every page is read."""
    report = Report()
    config = load_config(options.root.resolve(), options.config_file, report, start=True)
    if report.errors:
        return True  # nothing to read ahead: the next build says what is wrong
    found = _find(config, live, memory, report)
    # Files came or went: the last site takes them in, keeping its folders for the sidebar's
    # patch; else every page is read (those read before as they were).
    if memory.reloaded(config, found, report) is not None:
        return True
    ahead = _ReadAhead(memory.loaded.pages, interrupt)  # the same pages, filled in place
    try:
        site = load_site(found, report, memory.settings, config.urls, ahead)
    except WarmUpInterrupted:
        return False
    memory.remember(config, found, site, report)
    return True


def preview_pages(
    options: BuildOptions,
    live: LiveState,
    memory: PreviewMemory,
    urls: list[str],
    changed: set[str],
    reuse_markdown: bool,
) -> list[PagePreview]:
    """The pages at these site URLs ('' for home, 'a/b/') as the next build will write
    them; none when the site does not build (the build says why), or a changed page
    (`changed`: content-relative paths) has errors: the reader sees the error at once.
    `reuse_markdown`: a body parsed before may be reused (no template or config changed)."""
    report = Report()
    loaded = _load(options, live, memory, report, changed)
    if loaded is None or report.errors:
        return []
    config, site, theme = loaded
    builder = PageBuilder(site, theme, live.out, None, {}, live.cache, live.state.files, True)
    shown = [
        site.by_url.get(url) or site.by_url.get(url.removesuffix("index.html")) for url in urls
    ]
    wanted = {page.source.rel for page in shown if page is not None}
    context = (config, site, theme, live, memory)
    # A changed page that is open is rendered with its backlinks as the last build's links
    # give them, and not again when the changed pages' links leave them as they were.
    guessed = _backlinks(wanted, {}, *context) if changed & wanted else {}
    fresh: dict[str, list[str]] = {}
    first: dict[str, str | None] = {}
    relinked = _relinked(site, live, changed) if any_backlinks(site, config.backlinks) else set()
    # The changed pages' links, and their errors; and the links of the pages whose links
    # find other pages now (a page not written till now), which the build parses again.
    for rel in sorted((changed | relinked) & site.by_source.keys()):
        first[rel], outcome = builder.render_html(_job(site, rel, reuse_markdown, guessed))
        if any(d.severity is Severity.ERROR for d in outcome.diagnostics):
            return []
        fresh[rel] = link_targets(outcome.page_links)
    backlinks = _backlinks(wanted, fresh, *context)
    previews: list[PagePreview] = []
    # A file of static/ or content/ published at a page's path wins: no page to preview there.
    taken = files_may_take(config, site)
    for page in shown:
        if page is None or page.output_path in taken:
            continue
        rel = page.source.rel
        html = first.get(rel)
        if rel not in first or backlinks.get(rel, ()) != guessed.get(rel, ()):
            html, outcome = builder.render_html(_job(site, rel, reuse_markdown, backlinks))
            if any(d.severity is Severity.ERROR for d in outcome.diagnostics):
                continue
        if html is None:
            continue
        data = html.encode("utf-8")
        if data != _served(live.out / page.output_path):  # else the tab shows it already
            previews.append(PagePreview(page.url, page.output_path, data))
    # The sidebars the pages load (the long ones), when the build has not written them yet.
    folders = {
        page.folder for page in shown if page is not None and has_sidebar(page.settings.layout)
    }
    for path, script in theme.shared_sidebars(folders).items():
        data = script.encode("utf-8")
        if data != _served(live.out / path):
            previews.append(PagePreview(None, path, data))
    return previews


def _relinked(site: SiteContent, live: LiveState, changed: set[str]) -> set[str]:
    """The unchanged pages that link elsewhere than the last build recorded: their links to
    no page's file find something else now, or a folder above made them withheld or not."""
    values = DependencyValues(site, live.state.files, None, link_resolution)
    built, now = live.site.by_source, site.by_source
    # A page withheld (private, protected) or shown again by a folder above it: its body,
    # and its links, are gone or back.
    withheld = {r for r in built.keys() & now.keys() if built[r].withheld != now[r].withheld}
    gone = built.keys() - now.keys()  # a link to one may find another page now
    return {
        rel
        for rel, record in live.state.pages.items()
        if rel not in changed
        and (rel in withheld or values.resolved_otherwise(record.dependencies, gone))
    }


def _backlinks(
    wanted: set[str],
    fresh: dict[str, list[str]],
    config: SiteConfig,
    site: SiteContent,
    theme: Theme,
    live: LiveState,
    memory: PreviewMemory,
) -> dict[str, tuple[Backlink, ...]]:
    """The wanted pages' backlinks: the last build's links, and the fresh ones of the pages
    rendered now in their place."""
    if not any_backlinks(site, config.backlinks):
        return {}
    links = _links_to(wanted, fresh, site, live, memory)
    order = in_reading_order([site.by_source[rel] for rel in links], site, theme.nav)
    return backlinks_by_page(site, links, config.backlinks, order)


def _links_to(
    wanted: set[str],
    fresh: dict[str, list[str]],
    site: SiteContent,
    live: LiveState,
    memory: PreviewMemory,
) -> dict[str, list[str]]:
    """The pages that link to the wanted ones, and which of those each links to: the last
    build's links, those of the pages rendered now (`fresh`) in their place."""
    recorded = memory.recorded_links(live)
    sources = (memory.linking_to(live, wanted) - fresh.keys()) | fresh.keys()
    links = {}
    for rel in sources & site.by_source.keys():
        targets = [t for t in (fresh[rel] if rel in fresh else recorded[rel]) if t in wanted]
        if targets:
            links[rel] = targets
    return links


def _served(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _job(
    site: SiteContent,
    rel: str,
    reuse_markdown: bool,
    backlinks: dict[str, tuple[Backlink, ...]] | None = None,
) -> PageJob:
    """A page's render in a preview: its body parsed once, under watch mode's own key."""
    body = site.by_source[rel].body
    found = (backlinks or {}).get(rel, ())
    return PageJob(rel, live_markdown_key(body), reuse_markdown, found)


def _load(
    options: BuildOptions,
    live: LiveState,
    memory: PreviewMemory,
    report: Report,
    changed: set[str],
) -> tuple[SiteConfig, SiteContent, Theme] | None:
    """The config, the pages and the theme as they are now, the unchanged pages as read before.
    `changed`: the only pages changed since the last build, whose icons alone are checked
    again unless the config changed what icons name."""
    config = load_config(options.root.resolve(), options.config_file, report, start=True)
    if report.errors:
        return None
    checked = changed if _icon_inputs(config) == _icon_inputs(live.config) else None
    site = memory.load_site(config, _find(config, live, memory, report), report)
    memory.ready = True
    files, use_cache = live.state.files, options.use_cache
    # Git's dates as the last build read them: the build corrects a preview made after a commit.
    args = (files, use_cache, memory.nav, checked, live.dates)
    chrome = make_chrome(config, site, live.cache, report, *args)
    return config, site, chrome.theme


def _icon_inputs(config: SiteConfig) -> tuple[Path, UrlStyle]:
    """What of the config the icons a page names are found by (make_theme's IconSet)."""
    return config.content_dir, config.urls


def _find(config: SiteConfig, live: LiveState, memory: PreviewMemory, report: Report) -> Discovery:
    """The content's files: as found before, with those added or removed since put in or
    taken out; walked again when that is not enough, or the config changed what is content
    (the folder, `exclude`, `include`...)."""
    excluded = not_content(config, live.out)
    confined = (config.root, config.content_dir)
    rules = path_rules(config)
    walked = (config.content_dir, config.input, excluded, confined, rules)
    found = memory.found if memory.found_for == walked else None
    if found is not None and memory.unfound:
        where = (config.content_dir, config.input, memory.unfound)
        found = rediscover(found, *where, excluded, rules)
    if found is None:
        found = discover(config.content_dir, config.input, report, excluded, confined, rules)
    memory.found, memory.found_for, memory.unfound = found, walked, set()
    return found
