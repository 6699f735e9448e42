"""Rendering pages into the output folder, in one process or spread over all cores.

Each page is a job: reuse its parsed Markdown when its inputs are unchanged, render it through
the theme, and write it, or link the previous build's file when the bytes would be the same.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docsite.backlinks import Backlink
from docsite.cache import (
    BuildCache,
    PageRecord,
    digest,
    file_stat,
    link_targets,
    markdown_record,
    stat_of,
)
from docsite.diagnostics import Diagnostic
from docsite.keys import content_input, dependencies_of, snapshot
from docsite.labels import markdown_words
from docsite.markdown import MarkdownRenderer, Rendered, link_resolution
from docsite.markdown.links import setting_href
from docsite.markdown.templating import TemplateSetup
from docsite.output import atomic_write, clear_path, make_folders, same_bytes, same_inode
from docsite.pages import Page, SiteContent, markdown_copy
from docsite.search import indexed_html
from docsite.theme import Theme

# Below this many pages, starting worker processes costs more than it saves, unless the
# pages hold as much text as this many characters: 48 pages of about 2 KB. A page's cost
# follows its text, and a small site of long pages (code, tables) gains from the workers:
# 2FAuth's docs (28 pages, 170 KB) and docsite's own (45, 275 KB) build 5-6% faster.
PARALLEL_THRESHOLD = 48
PARALLEL_TEXT = 96_000
# The most pages in a worker's chunk: a build that stops for a newer change (watch mode)
# waits for the chunks being rendered, a tenth of a second or so at this size.
MAX_CHUNK = 24
# Workers run this much lower in the scheduler's eyes than the build's own process: while
# they render, the Pagefinds indexing the pages written so far and the thread merging their
# runs get the cores first, so less of the index is left once the last page is rendered
# (a 1,000-page cold build about 5-10% faster on 2 cores).
WORKER_NICENESS = 5


@dataclass
class PageJob:
    """What a worker needs to render one page: little to pickle."""

    rel: str
    markdown_key: str
    reuse_markdown: bool  # the cached parse is still valid for this page
    backlinks: tuple[Backlink, ...] = ()  # the pages that link to it, for its "See also"


@dataclass
class ParsedLinks:
    """What parsing a page ahead of rendering tells: the pages it links to, and what it
    depends on (the files it read are inputs of the build from then on)."""

    rel: str
    targets: list[str]
    dependencies: dict[str, tuple]
    markdown_key: str
    # The parse itself, kept for the page's render (None if it had errors: parsed again then).
    parsed: tuple[Rendered, dict[str, tuple]] | None = None
    # The parse as the cache keeps it, once it came from a worker: a worker pickles the parse
    # once, in that form. The main process stores those bytes, and keeps them as they are for
    # the page's render, which unpickles them in the worker that renders it.
    record: bytes | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        if self.parsed is not None:
            state["record"] = markdown_record(self.markdown_key, self.parsed)
            state["parsed"] = None
        return state


@dataclass
class PageOutcome:
    """What rendering one page wrote and found, sent back to the build's process."""

    rel: str
    output_path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    html_digest: str = ""
    search_digest: str = ""  # of the part of the page that search indexes
    output_stat: tuple[int, int] = (0, 0)
    icons: frozenset[str] = frozenset()
    dependencies: dict[str, tuple] = field(default_factory=dict)
    anchors: list[str] = field(default_factory=list)
    page_links: list[tuple[str, str, int, int]] = field(default_factory=list)
    body_icons: list[str] = field(default_factory=list)
    linked: bool = False  # the previous build's identical file was reused
    expanded: str | None = None  # the body with its templating expanded, for its .md copy
    markdown_copy: bool = False  # its Markdown copy was written beside it
    # The part of the page search reads (`indexed_html`), for Pagefind as the page arrives:
    # not read back from its file. None once given.
    indexed: str | None = None


class PageBuilder:
    """Renders pages of one site into a staging folder; one per process."""

    def __init__(
        self,
        site: SiteContent,
        theme: Theme,
        staging: Path,
        previous_output: Path | None,
        previous: dict[str, PageRecord],
        cache: BuildCache,
        files: dict[str, tuple[str, tuple[int, int]]],
        live: bool = False,
        taken: frozenset[str] = frozenset(),
        fresh: bool = False,
    ):
        """`files`: the build's input hashes, to check what a cached parse depended on.
        `taken`: paths where a page's Markdown copy is not written beside it (another file
        of the site may go there: `publish` writes it, and says so); `live`, where neither a
        page nor its copy is written (a file of static/ or content/ is served there).
        `fresh`: `staging` was made empty for this build (not a spare tree)."""
        self.site = site
        self.files = files
        self.theme = theme
        self.staging = staging
        self.previous_output = previous_output
        self.previous = previous
        self.cache = cache
        # Live (watch mode) writes go straight into a served folder: each file is replaced
        # atomically, and a page with errors keeps its last good version.
        self.live = live
        self.taken = taken
        self.fresh = fresh
        self.made_folders: set[str] = set()
        self._markdown: MarkdownRenderer | None = None
        self.asset_paths = frozenset(a.rel for a in site.assets)
        # Bodies parsed ahead (in any process), for their render: page -> (Markdown key,
        # parse, or its record when a worker made it). Workers forked later inherit them: no
        # round trip through the disk.
        self.parsed_ahead: dict[str, tuple[str, tuple[Rendered, dict[str, tuple]] | bytes]] = {}

    @property
    def markdown(self) -> MarkdownRenderer:
        if self._markdown is None:  # built lazily: a rebuild may not parse anything
            config = self.theme.config
            self._markdown = MarkdownRenderer(
                self.site,
                self.theme.icons,
                html=config.markdown_html,
                code_line_numbers=config.code_line_numbers,
                hard_breaks=config.markdown_hard_breaks,
                outbound=config.outbound,
                checks=config.checks,
                words=markdown_words(self.theme.labels),
                actions=self.theme.actions,
                date_format=self.theme.date_format(),
                setup=self.theme.site_html.setup
                if self.theme.site_html is not None
                else TemplateSetup.for_site(config.root, config.content_dir, config, self.site),
            )
        return self._markdown

    def build(self, job: PageJob) -> PageOutcome:
        html, outcome = self.render_html(job)
        failed = any(d.severity.value == "error" for d in outcome.diagnostics)
        if html is not None and not (self.live and failed):
            self.write(outcome, html)
        return outcome

    def write(self, outcome: PageOutcome, html: str) -> None:
        """Write a rendered page, and its Markdown copy."""
        self._write(outcome, html)
        self._write_copy(self.site.by_source[outcome.rel], outcome)

    def render_html(self, job: PageJob) -> tuple[str | None, PageOutcome]:
        """The page's HTML (None for a redirect that goes nowhere), written nowhere."""
        page = self.site.by_source[job.rel]
        outcome = PageOutcome(job.rel, page.output_path)
        html: str | None = None
        if page.settings.redirect:
            checks = self.theme.config.checks
            if checks.links == "off":  # a redirect that goes nowhere writes no page: never silent
                checks = replace(checks, links="warning")
            target, problems, published = setting_href(
                page, "redirect", self.site, self.asset_paths, checks
            )
            outcome.diagnostics.extend(problems)
            outcome.dependencies = dependencies_of(self.site, (), {}, published=published)
            html = self.theme.render_redirect(page, target) if target is not None else None
        else:
            rendered, outcome.dependencies = self._rendered(page, job)
            outcome.diagnostics.extend(rendered.diagnostics)
            outcome.anchors = rendered.anchors
            outcome.page_links = rendered.page_links
            outcome.body_icons = rendered.icons
            outcome.expanded = rendered.expanded
            image = ""
            if page.settings.image:
                found, problems, published = setting_href(
                    page, "image", self.site, self.asset_paths, self.theme.config.checks
                )
                outcome.diagnostics.extend(problems)
                outcome.dependencies = {
                    **outcome.dependencies,
                    **dependencies_of(self.site, (), {}, published=published),
                }
                image = found or ""
            themed = self.theme.render_page(page, rendered, image, job.backlinks)
            html = themed.html
            outcome.icons = themed.icons
        outcome.icons = outcome.icons | frozenset(outcome.body_icons)
        return html, outcome

    def parse(self, job: PageJob) -> ParsedLinks:
        """Parse a page's body ahead of rendering, for the pages it links to: their backlinks
        must be known before they are rendered. The parse goes with the links, for
        `parse_pages` to keep it for the render (`keep_ahead`)."""
        rendered, dependencies = self._rendered(self.site.by_source[job.rel], job, ahead=True)
        targets = link_targets(rendered.page_links)
        failed = any(d.severity.value == "error" for d in rendered.diagnostics)
        return ParsedLinks(
            job.rel,
            targets,
            dependencies,
            job.markdown_key,
            None if failed else (rendered, dependencies),
        )

    def keep_ahead(self, links: ParsedLinks) -> None:
        """Keep a parse made ahead for the page's render, and in the cache for the next
        build (a parse whose dependencies change before it is used is refused then)."""
        kept = links.record if links.record is not None else links.parsed
        if kept is None:
            return
        self.parsed_ahead[links.rel] = (links.markdown_key, kept)
        self.cache.store_markdown(links.rel, links.markdown_key, links.parsed, links.record)
        links.parsed = links.record = None  # kept once

    def _rendered(
        self, page: Page, job: PageJob, ahead: bool = False
    ) -> tuple[Rendered, dict[str, tuple]]:
        """The parsed page and what it depends on; a cached parse is used only if what it
        depended on (linked pages, included files) is as it was then: the cache is shared
        with other output folders and with failed builds. `ahead`: parsed before rendering,
        kept by `keep_ahead` rather than here."""
        reused = self._reused_parse(job) if job.reuse_markdown else None
        if reused is not None:
            return reused
        rendered = self.markdown.render(page, self._code_before(page.source.rel))
        dependencies = dependencies_of(
            self.site,
            rendered.linked,
            rendered.files,
            rendered.reads,
            rendered.published,
            rendered.summarized,
            rendered.resolved,
        )
        failed = any(d.severity.value == "error" for d in rendered.diagnostics)
        if not ahead and not failed and self.cache.enabled:
            self.cache.store_markdown(job.rel, job.markdown_key, (rendered, dependencies))
        return rendered, dependencies

    def _code_before(self, rel: str) -> dict[str, str]:
        """The code blocks the page's last parse highlighted, when its file changed since: an
        edit leaves most as they were. None for a page parsed again for another reason (the
        config, an include): reading the last parse of each would cost most pages more than
        it spares."""
        record = self.previous.get(rel)
        entry = self.files.get(content_input(rel))
        if record is None or entry is None or record.source_digest == entry[0]:
            return {}
        return self.cache.code_of_last_parse(rel)

    def _reused_parse(self, job: PageJob) -> tuple[Rendered, dict[str, tuple]] | None:
        """The page's parse made ahead, else its cached one, if its key holds and what it
        depended on is as it was (one made ahead is in the cache already: `keep_ahead`)."""
        ahead = self.parsed_ahead.pop(job.rel, None)
        if ahead is not None and ahead[0] == job.markdown_key:
            parsed = pickle.loads(ahead[1])[1] if isinstance(ahead[1], bytes) else ahead[1]
        else:
            parsed = self.cache.load_markdown(job.rel, job.markdown_key)
        if parsed is None:
            return None
        dependencies = parsed[1]
        current = self.markdown.setup.current
        if dependencies != snapshot(self.site, self.files, dependencies, current, link_resolution):
            return None
        return parsed

    def _write(self, outcome: PageOutcome, html: str) -> None:
        data = html.encode("utf-8")
        outcome.html_digest = digest(data)
        outcome.indexed = indexed_html(html)
        outcome.search_digest = digest(outcome.indexed)
        path = os.path.join(self.staging, outcome.output_path)
        folder = os.path.dirname(path)
        if folder not in self.made_folders:  # one system call per folder, not per page
            make_folders(folder)
            self.made_folders.add(folder)
        record = self.previous.get(outcome.rel)
        if (
            record is not None
            and record.html_digest == outcome.html_digest
            and record.output_path == outcome.output_path
            and link_previous(self.previous_output, record, path, self.made_folders)
        ):
            outcome.linked = True
        elif self.live:
            if outcome.output_path not in self.taken:  # else a file of the site's is served there
                atomic_write(Path(path), data)
        else:
            self._clear(path)
            with open(path, "wb") as handle:
                handle.write(data)
        outcome.output_stat = file_stat(path)

    def _clear(self, path: str) -> None:
        """Make way for a file: a spare tree's file may be the live site's (never write into
        it). Staging made empty for this build has nothing in a page's way."""
        if not self.fresh:
            clear_path(path)

    def _write_copy(self, page: Page, outcome: PageOutcome) -> None:
        """The page's Markdown copy, written with the page, in the worker that has its body:
        what is left after the last page is rendered is shorter."""
        rel = page.markdown_path
        if not page.has_markdown_copy or rel in self.taken:
            return
        data = markdown_copy(page, outcome.expanded or page.body).encode("utf-8")
        path = os.path.join(self.staging, rel)
        folder = os.path.dirname(path)
        if folder not in self.made_folders:
            make_folders(folder)
            self.made_folders.add(folder)
        if self.live:
            atomic_write(Path(path), data)
        elif not link_same(self.previous_output, rel, data, path):
            self._clear(path)
            with open(path, "wb") as handle:
                handle.write(data)
        outcome.markdown_copy = True


def link_same(previous_output: Path | None, rel: str, data: bytes, path: str) -> bool:
    """Reuse the previous build's file at `rel` (a hard link) if it holds `data`: an
    unchanged output is never rewritten."""
    if previous_output is None:
        return False
    old = os.path.join(previous_output, rel)
    if not same_bytes(old, data):
        return False
    try:
        if same_inode(old, path):
            return True  # the spare tree holds it already
        clear_path(path)
        os.link(old, path)
    except OSError:
        return False
    return True


def link_previous(
    previous_output: Path | None, record: PageRecord, path: str, made: set[str]
) -> bool:
    """Reuse the previous build's file (a hard link: same bytes, never rewritten).

    `made` holds the folders this build has made already: each is made once."""
    if previous_output is None:
        return False
    old = os.path.join(previous_output, record.output_path)
    try:
        found = os.stat(old)
        if stat_of(found) != record.output_stat:
            return False  # changed since docsite wrote it: do not trust it
        if same_inode(found, path):
            return True  # the spare tree holds it already
        folder = os.path.dirname(path)
        if folder not in made:
            make_folders(folder)
            made.add(folder)
        clear_path(path)
        os.link(old, path)
    except OSError:
        return False
    return True


_BUILDER: PageBuilder | None = None


def _start_worker() -> None:
    """gc.freeze: the worker's collections skip what it inherited, which would otherwise be
    walked (and so copied, page by page) again and again. Then it yields the cores to the
    build's own process and Pagefind (WORKER_NICENESS)."""
    gc.freeze()
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)


def _build_one(builder: PageBuilder, job: PageJob) -> PageOutcome:
    return builder.build(job)


def _parse_one(builder: PageBuilder, job: PageJob) -> ParsedLinks:
    return builder.parse(job)


def _run_chunk(work: Callable[[PageBuilder, PageJob], Any], jobs: list[PageJob]) -> list[Any]:
    assert _BUILDER is not None
    return [work(_BUILDER, job) for job in jobs]


def build_pages(
    builder: PageBuilder,
    jobs: list[PageJob],
    workers: int,
    done: Callable[[int], None] = lambda count: None,
    arrived: Callable[[PageOutcome], None] = lambda outcome: None,
) -> list[PageOutcome]:
    """Run the jobs; the result does not depend on the number of workers. `done` hears how
    many jobs are finished, for a progress line; `arrived` gets each page's outcome as soon
    as it is known (in no fixed order), to start on what follows a page's writing."""
    return _run_jobs(builder, jobs, workers, done, _build_one, arrived)


def parse_pages(
    builder: PageBuilder,
    jobs: list[PageJob],
    workers: int,
    done: Callable[[int], None] = lambda count: None,
    meanwhile: Callable[[], None] = lambda: None,
) -> list[ParsedLinks]:
    """Parse the pages of these jobs ahead of rendering; `builder` keeps their parses, each
    as it comes. `meanwhile` runs in this process while workers parse: what it makes, the
    render's workers (forked later) inherit."""
    return _run_jobs(builder, jobs, workers, done, _parse_one, builder.keep_ahead, meanwhile)


def worth_workers(pages: int, text: Callable[[], int]) -> bool:
    """Whether this many pages are work enough to start processes for: many pages, or a few
    that hold much text (`text`: how much, asked only then)."""
    return pages >= PARALLEL_THRESHOLD or (pages > 1 and text() >= PARALLEL_TEXT)


def _run_jobs(
    builder: PageBuilder,
    jobs: list[PageJob],
    workers: int,
    done: Callable[[int], None],
    work: Callable[[PageBuilder, PageJob], Any],
    arrived: Callable[[Any], None] = lambda result: None,
    meanwhile: Callable[[], None] = lambda: None,
) -> list[Any]:
    """Each job's result of `work`, in the order of the jobs, over all cores when worth it;
    `arrived` sees each as it comes. `meanwhile` runs once the workers have their jobs
    (only when there are workers)."""
    global _BUILDER
    can_fork = "fork" in multiprocessing.get_all_start_methods()

    def text() -> int:
        return sum(len(builder.site.by_source[job.rel].body) for job in jobs)

    if workers <= 1 or not can_fork or not worth_workers(len(jobs), text):
        results = []
        for job in jobs:
            results.append(work(builder, job))
            arrived(results[-1])
            done(len(results))
        return results
    # Forked workers inherit the loaded site and theme instead of pickling them.
    _BUILDER = builder
    try:
        # Runs of neighbouring jobs, taken in order, so results come roughly in the jobs'
        # order (the search index is fed pages in that order): eight or more per worker,
        # of at most MAX_CHUNK jobs.
        size = min(MAX_CHUNK, -(-len(jobs) // (workers * 8)))
        chunks = [jobs[start : start + size] for start in range(0, len(jobs), size)]
        # Imported here: a build that renders a few pages never starts workers.
        from concurrent.futures import ProcessPoolExecutor, as_completed

        context = multiprocessing.get_context("fork")
        results = []
        with ProcessPoolExecutor(workers, context, initializer=_start_worker) as pool:
            futures = [pool.submit(_run_chunk, work, chunk) for chunk in chunks]
            try:
                meanwhile()
                for future in as_completed(futures):  # as each comes: its pages go on at once
                    chunk = future.result()
                    results.extend(chunk)
                    for result in chunk:
                        arrived(result)
                    done(len(results))
            except BaseException:
                for future in futures:  # a worker failed: the chunks not started never are
                    future.cancel()
                raise
    finally:
        _BUILDER = None
    order = {job.rel: index for index, job in enumerate(jobs)}
    return sorted(results, key=lambda result: order[result.rel])
