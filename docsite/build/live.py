"""Watch mode's fast path: re-render pages whose body alone changed, in place in the served
folder, from the site the last build loaded."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, replace
from pathlib import Path

from docsite.backlinks import any_backlinks, backlinks_by_page, reading_order
from docsite.build.inputs import read_files_inputs
from docsite.cache import BuildCache, CacheState, InputHasher
from docsite.config import SiteConfig
from docsite.diagnostics import Diagnostic
from docsite.gitdates import PageDates
from docsite.keys import live_markdown_key, published_file
from docsite.nav import NavTree
from docsite.output import atomic_write
from docsite.pages import Page, SiteContent
from docsite.render import PageBuilder, PageJob
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


@dataclass
class LiveOutcome:
    diagnostics: list[Diagnostic]
    changed_urls: list[str]
    seconds: float


def live_render(live: LiveState, pages: list[Page]) -> LiveOutcome:
    """Re-render pages in place in the served folder; a page with errors keeps its old file.
    Pages whose backlinks the new bodies' links change are re-rendered too."""
    started = time.perf_counter()
    builder = PageBuilder(
        live.site, live.theme, live.out, None, {}, live.cache, live.state.files, live=True
    )
    diagnostics: list[Diagnostic] = []
    changed: list[str] = []
    linked_before = [_targets(live, page) for page in pages]
    for page in pages:
        record = live.state.pages.get(page.source.rel)
        # A Markdown key of the body alone: the cache keeps this parse apart from builds'.
        job = PageJob(
            page.source.rel,
            live_markdown_key(page.body),
            False,
            record.backlinks if record is not None else (),
        )
        _render_in_place(live, builder, page, job, diagnostics, changed)
    # Others' "See also" lists change only when an edited page now links elsewhere: an edit
    # here keeps its title, and working every list out costs milliseconds per keystroke.
    if linked_before != [_targets(live, page) for page in pages]:
        for job in _backlinks_changed(live):
            page = live.site.by_source[job.rel]
            _render_in_place(live, builder, page, job, diagnostics, changed)
    return LiveOutcome(sorted(diagnostics), changed, time.perf_counter() - started)


def _targets(live: LiveState, page: Page) -> frozenset[str]:
    """The pages this page's recorded links go to."""
    record = live.state.pages.get(page.source.rel)
    return frozenset(target for target, *_ in record.page_links) if record else frozenset()


def _backlinks_changed(live: LiveState) -> list[PageJob]:
    """Jobs for the pages whose backlinks are not those they were rendered with."""
    backlinks = live.config.backlinks
    if not any_backlinks(live.site, backlinks):
        return []
    records = live.state.pages
    links = {rel: [target for target, *_ in r.page_links] for rel, r in records.items()}
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


def _render_in_place(
    live: LiveState,
    builder: PageBuilder,
    page: Page,
    job: PageJob,
    diagnostics: list[Diagnostic],
    changed: list[str],
) -> None:
    """Render one page into the served folder and update its record."""
    record = live.state.pages.get(page.source.rel)
    outcome = builder.build(job)
    diagnostics.extend(outcome.diagnostics)
    # Files the new body reads (a snippet just added) are watched from now on.
    live.state.files.update(
        read_files_inputs(live.config.root, outcome.dependencies, live.state.files, InputHasher({}))
    )
    _publish_linked(live, outcome.dependencies)
    if record is not None and outcome.html_digest:
        record = replace(
            record,
            dependencies=outcome.dependencies,
            page_links=outcome.page_links,
            backlinks=job.backlinks,
        )
    if outcome.html_digest and (record is None or record.html_digest != outcome.html_digest):
        changed.append(page.url)
        if record is not None:
            record = replace(
                record,
                html_digest=outcome.html_digest,
                search_digest=outcome.search_digest,
                output_stat=outcome.output_stat,
            )
    if record is not None:
        live.state.pages[page.source.rel] = record
