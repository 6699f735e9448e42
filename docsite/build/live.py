"""Watch mode's fast path: re-render pages whose body alone changed, in place in the served
folder, from the site the last build loaded."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, replace
from pathlib import Path

from docsite.backlinks import any_backlinks, backlinks_by_page, reading_order
from docsite.build.inputs import take_read_files
from docsite.cache import BuildCache, CacheState, InputHasher, link_targets
from docsite.checks import check_links_near
from docsite.config import SiteConfig
from docsite.diagnostics import Diagnostic, Severity
from docsite.gitdates import PageDates
from docsite.keys import live_markdown_key, published_file
from docsite.nav import NavTree
from docsite.output import atomic_write
from docsite.pages import Page, SiteContent
from docsite.render import PageBuilder, PageJob, PageOutcome
from docsite.theme import Theme


@dataclass
class LiveState:
    """A successful build, kept in memory so watch mode can re-render single pages."""

    config: SiteConfig
    site: SiteContent
    nav: NavTree
    theme: Theme
    state: CacheState
    cache: BuildCache
    out: Path
    dates: PageDates  # as git gave them: a preview takes them as they were (a commit is rare)
    files_at: frozenset[str]  # where files may be published, in pages' places (files_may_take)


@dataclass
class LiveOutcome:
    """What re-rendering pages alone did, for watch mode's update."""

    diagnostics: list[Diagnostic]
    changed_urls: list[str]
    seconds: float


@dataclass
class _Rerender:
    """A page rendered again, not yet written."""

    page: Page
    job: PageJob
    html: str | None  # None: a redirect that goes nowhere
    outcome: PageOutcome

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.outcome.diagnostics)


def live_render(live: LiveState, pages: list[Page]) -> LiveOutcome:
    """Re-render pages in place in the served folder. A page with errors keeps its old file;
    so do they all when their links to anchors break, or other pages' links to the headings
    they changed, as a build with errors leaves the old site. Pages whose backlinks the new
    bodies' links change are re-rendered too."""
    started = time.perf_counter()
    builder = PageBuilder(
        live.site,
        live.theme,
        live.out,
        None,
        {},
        live.cache,
        live.state.files,
        live=True,
        taken=_files_taken(live, pages),
    )
    changed: list[str] = []
    linked_before = [_targets(live, page) for page in pages]
    rendered = [_render(live, builder, page) for page in pages]
    diagnostics = [d for again in rendered for d in again.outcome.diagnostics]
    checked = _anchor_checks(live, rendered)
    diagnostics += checked
    if not any(d.severity is Severity.ERROR for d in checked):
        for again in rendered:
            _place(live, builder, again, changed)
    # Others' "See also" lists change only when an edited page now links elsewhere: an edit
    # here keeps its title, and working every list out costs milliseconds per keystroke.
    if linked_before != [_targets(live, page) for page in pages]:
        jobs = _backlinks_changed(live)
        builder.taken = _files_taken(live, [live.site.by_source[job.rel] for job in jobs])
        for job in jobs:
            page = live.site.by_source[job.rel]
            again = _Rerender(page, job, *builder.render_html(job))
            diagnostics += again.outcome.diagnostics
            _place(live, builder, again, changed)
    return LiveOutcome(sorted(diagnostics), changed, time.perf_counter() - started)


def _files_taken(live: LiveState, pages: list[Page]) -> frozenset[str]:
    """The paths of these pages and of their Markdown copies where a file of static/ or
    content/ is published: the file is served there, and the page or copy not written."""
    paths = [path for page in pages for path in (page.output_path, page.markdown_path)]
    return live.files_at.intersection(paths)


def _render(live: LiveState, builder: PageBuilder, page: Page) -> _Rerender:
    """A page whose body changed, rendered again; the files it reads are watched from now on
    (a snippet just added), even when it is not written."""
    record = live.state.pages.get(page.source.rel)
    # A Markdown key of the body alone: the cache keeps this parse apart from builds'.
    job = PageJob(
        page.source.rel,
        live_markdown_key(page.body),
        False,
        record.backlinks if record is not None else (),
    )
    again = _Rerender(page, job, *builder.render_html(job))
    take_read_files(live.config.root, again.outcome.dependencies, live.state.files, InputHasher({}))
    return again


def _anchor_checks(live: LiveState, rendered: list[_Rerender]) -> list[Diagnostic]:
    """The build's link checks that these pages' new links and anchors change."""
    records = dict(live.state.pages)
    pages: list[str] = []
    moved: list[str] = []
    for again in rendered:
        rel, outcome = again.job.rel, again.outcome
        record = records.get(rel)
        if record is None or again.html is None or again.failed:
            continue  # not written: its links and anchors stay those of its last good file
        records[rel] = replace(record, page_links=outcome.page_links, anchors=outcome.anchors)
        pages.append(rel)
        if outcome.anchors != record.anchors:
            moved.append(rel)
    return check_links_near(live.site, records, live.config.checks.anchors, pages, moved)


def _targets(live: LiveState, page: Page) -> frozenset[str]:
    """The pages this page's recorded links go to."""
    record = live.state.pages.get(page.source.rel)
    return frozenset(link_targets(record.page_links)) if record else frozenset()


def _backlinks_changed(live: LiveState) -> list[PageJob]:
    """Jobs for the pages whose backlinks are not those they were rendered with."""
    backlinks = live.config.backlinks
    if not any_backlinks(live.site, backlinks):
        return []
    records = live.state.pages
    links = {rel: link_targets(r.page_links) for rel, r in records.items()}
    found = backlinks_by_page(live.site, links, backlinks, reading_order(live.site, live.nav))
    return [
        PageJob(rel, record.markdown_key, True, found.get(rel, ()))
        for rel, record in records.items()
        if record.backlinks != found.get(rel, ()) and rel in live.site.by_source
    ]


def _publish_linked(live: LiveState, dependencies: dict[str, tuple]) -> None:
    """Left-out files the new body links to, served from now on (the next build records
    them as the site's)."""
    for key in dependencies:
        linked = live.site.linkable.get(published_file(key) or "")
        target = live.out / linked.rel if linked is not None else None
        if linked is not None and target is not None and not target.exists():
            with contextlib.suppress(OSError):  # the next full build says why
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(target, linked.path.read_bytes())


def _place(live: LiveState, builder: PageBuilder, again: _Rerender, changed: list[str]) -> None:
    """Write a page rendered again into the served folder, unless it failed, and update its
    record."""
    if again.html is None or again.failed:
        return
    page, outcome = again.page, again.outcome
    builder.write(outcome, again.html)
    _publish_linked(live, outcome.dependencies)
    record = live.state.pages.get(page.source.rel)
    if record is None:
        return
    record = replace(
        record,
        dependencies=outcome.dependencies,
        page_links=outcome.page_links,
        anchors=outcome.anchors,
        backlinks=again.job.backlinks,
    )
    if record.html_digest != outcome.html_digest:
        changed.append(page.url)
        record = replace(
            record,
            html_digest=outcome.html_digest,
            search_digest=outcome.search_digest,
            output_stat=outcome.output_stat,
        )
    live.state.pages[page.source.rel] = record
