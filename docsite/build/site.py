"""A build that has something to do, as a list of named steps: load the pages, build the nav
and the theme, render what changed, place files, publish the extras, index for search, and
swap the new site in. Each step is timed for `docsite build -v`."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from docsite.blog import apply_blog_settings
from docsite.build.faults import clash_diagnostic, template_diagnostic
from docsite.build.files import files_may_take, place_files
from docsite.build.inputs import InputScan, published_inputs, settle, take_read_files
from docsite.build.lastsite import (
    Keeping,
    ReusedSite,
    SiteToKeep,
    keep_site,
    pages_said,
    reuse_site,
    site_to_keep,
    worth_keeping,
)
from docsite.build.plan import PagePlan, plan_pages, site_include_inputs
from docsite.build.prepare import check_output_names, compile_templates_aside, make_chrome
from docsite.build.readahead import ReadAhead
from docsite.build.result import BuildResult
from docsite.cache import CACHE_DIR, BuildCache, CacheState, FileEntry, PageRecord, StagedPages
from docsite.checks import check_links, links_as_checked
from docsite.config import SiteConfig
from docsite.context import BuildContext, BuildOptions
from docsite.diagnostics import Diagnostic, Report, Severity
from docsite.keys import content_input, page_key, shared_keys
from docsite.navpatch import NavMemo
from docsite.output import OUTPUT_MARKER, FilesLooked, OutputClash, OutputFolder, marker_of
from docsite.pages import PageMemo, SettingsMemo, SiteContent, load_site
from docsite.publish import publish
from docsite.render import (
    PARALLEL_THRESHOLD,
    PageBuilder,
    PageJob,
    PageOutcome,
    build_pages,
    parse_pages,
    worth_workers,
)
from docsite.search import (
    STATE_PART,
    IndexFeeder,
    IndexOutcome,
    Patcher,
    SearchPage,
    SearchState,
    index_built_site,
    index_feeder,
    search_aside,
    search_pages,
    search_paths,
)
from docsite.sources import Discovery
from docsite.tags import SiteGroups, site_groups
from docsite.theme import has_sidebar

if TYPE_CHECKING:
    from docsite.build.live import LiveState


def render_site(
    config: SiteConfig,
    found: Discovery,
    scan: InputScan,
    cache: BuildCache,
    options: BuildOptions,
    report: Report,
    result: BuildResult,
    ahead: ReadAhead | None = None,
    looked: Callable[[], FilesLooked | None] | None = None,
) -> None:
    """Load pages, build the nav, render what changed and swap the new site in. `ahead`:
    a process reading the pages meanwhile; `looked`, the spare tree's pages as a process
    looked at them (build.scanning)."""
    with (
        _compiling_aside(config, cache, options, _worth_workers(options, found, scan.files)),
        _searching_aside(config, cache, options, scan.out, len(found.pages)) as patcher,
    ):
        _note_cache(cache, result)
        options.progress("reading pages", 0, len(found.pages))
        loaded = _load_pages(config, found, scan, cache, options, result, ahead)
        site, read = loaded.site, loaded.read
        report.extend(loaded.said)
        # A kept site taken again has the file names it was kept with, which the build that
        # kept it checked (it kept it with the site it wrote, without errors).
        if loaded.reused is None and not check_output_names(site, report):
            return  # such a page cannot be written: stop before anything is
        kept: Keeping | SiteToKeep | None = None
        try:
            with result.timed("navigation and theme"):
                chrome = make_chrome(
                    config, site, cache, report, scan.files, options.use_cache, loaded.nav_memo
                )
            kept = _kept_site(config, found, scan, cache, options, loaded)
            as_recorded = cache.state.marker == marker_of(scan.out)
            # Watch mode writes into its site between builds: what the last build left is not
            # known to be there.
            ledger = cache.state.spare if as_recorded and not options.keep_live else None
            pages_looked = looked() if looked is not None and ledger is not None else None
            with OutputFolder(scan.out, cache.spare, ledger, pages_looked) as output:
                ctx = BuildContext(
                    config=config,
                    options=options,
                    report=report,
                    cache=cache,
                    previous=cache.state,
                    files=scan.files,
                    hasher=scan.hasher,
                    site=site,
                    nav=chrome.nav,
                    theme=chrome.theme,
                    dates=chrome.dates,
                    output=output,
                    out=scan.out,
                    previous_output=scan.out if scan.out.is_dir() else None,
                    as_recorded=as_recorded,
                    groups=loaded.groups,
                )
                # The pages as read and the site, held by the result: a process that ends
                # after the build never frees them (at 5,000 pages, 10 ms object by object).
                # Not in watch mode, which keeps its last result while it serves.
                if not options.keep_live:
                    result.loaded.extend((read, ctx))
                _write_site(ctx, scan, chrome.site_html_files, read, result, patcher, kept)
        except jinja2.TemplateError as exc:
            report.add(template_diagnostic(exc, config))
        except OutputClash as clash:
            report.add(clash_diagnostic(clash, site))
        finally:
            if kept is not None:
                kept.close()


@dataclass
class _LoadedPages:
    """The site a build loaded, or took as the last full load kept it (`_reused_site`)."""

    site: SiteContent
    read: PageMemo
    nav_memo: NavMemo  # the kept sidebar, or none yet
    said: list[Diagnostic]  # what loading the site said
    groups: SiteGroups  # its tags and categories
    reused: ReusedSite | None


def _load_pages(
    config: SiteConfig,
    found: Discovery,
    scan: InputScan,
    cache: BuildCache,
    options: BuildOptions,
    result: BuildResult,
    ahead: ReadAhead | None,
) -> _LoadedPages:
    """Every page: the site kept by the last full load with the bodies changed since read
    again (docsite.build.lastsite), else every page as read (from the cache, or its file)."""
    with result.timed("reading pages"):
        reused = _reused_site(config, found, scan, cache, options, ahead)
        if reused is None:
            loading = Report()
            read = PageMemo(cache.load_pages_read(), scan.content_hash, ahead=ahead)
            site = load_site(found, loading, SettingsMemo(), config.urls, read)
        else:
            read, site = reused.read, reused.kept.site
            result.notes.append(reused.note())
    for rel, (path, read_hash) in read.read_otherwise.items():
        settle(scan.files, content_input(rel), read_hash, scan.hasher, Path(path))
    if reused is not None:
        kept = reused.kept
        return _LoadedPages(site, read, reused.nav_memo(), kept.said, kept.groups, reused)
    apply_blog_settings(site, config.blog, loading)
    return _LoadedPages(site, read, NavMemo(), loading.items, site_groups(site.pages), None)


def _reused_site(
    config: SiteConfig,
    found: Discovery,
    scan: InputScan,
    cache: BuildCache,
    options: BuildOptions,
    ahead: ReadAhead | None,
) -> ReusedSite | None:
    """The site as the last full load left it, when it is this build's but for bodies of
    pages (docsite.build.lastsite). Not while a process reads every page ahead (a build
    that reads them all), nor in watch mode, which keeps its site in memory."""
    if ahead is not None or options.keep_live or not cache.enabled:
        return None
    return reuse_site(config, found, scan, cache, cache.state.files)


def _kept_site(
    config: SiteConfig,
    found: Discovery,
    scan: InputScan,
    cache: BuildCache,
    options: BuildOptions,
    loaded: _LoadedPages,
) -> Keeping | SiteToKeep | None:
    """The site as loaded, kept for the cache (see `_reused_site`): one loaded whole, or
    taken with many pages read again. Not in watch mode, nor without a cache."""
    reused = loaded.reused
    if options.keep_live or not cache.enabled or not worth_keeping(reused):
        return None
    read_said = reused.head.read_said if reused is not None else pages_said(loaded.read)
    site = (loaded.site, loaded.nav_memo, loaded.groups)
    pickled = partial(site_to_keep, config, found, scan, site, loaded.said, read_said)
    return keep_site(cache, pickled, len(loaded.site.pages), aside=_workers(options) > 1)


@contextlib.contextmanager
def _compiling_aside(
    config: SiteConfig, cache: BuildCache, options: BuildOptions, many: bool
) -> Iterator[None]:
    """A fresh build of pages that are work for several cores (`many`) compiles the
    templates in a process of its own meanwhile (`compile_templates_aside`), ended with the
    build. Not in watch mode: its process has threads of its own to fork with, and its
    builds after the first find the templates compiled."""
    aside = compile_templates_aside(config, cache) if many and not options.keep_live else None
    try:
        yield
    finally:
        if aside is not None:
            aside.join()


@contextlib.contextmanager
def _searching_aside(
    config: SiteConfig, cache: BuildCache, options: BuildOptions, out: Path, pages: int
) -> Iterator[Patcher | None]:
    """A rebuild of a site large enough for several cores reads the last search index in a
    process of its own meanwhile, which patches the changed pages in once they are written
    (`search_aside`). Not in watch mode: its index is made in the background."""
    wanted = _core_to_spare(options, pages) and options.search_index and not options.keep_live
    aside = search_aside(config, cache, out if out.is_dir() else None, wanted)
    try:
        yield aside
    finally:
        if aside is not None:
            aside.close()


def _core_to_spare(options: BuildOptions, pages: int) -> bool:
    """Whether a build of this many pages has a core to spare for search work aside: a
    site whose index is large enough (it grows with the pages), and several cores."""
    return pages >= PARALLEL_THRESHOLD and _workers(options) > 1


def _worth_workers(options: BuildOptions, found: Discovery, files: dict[str, FileEntry]) -> bool:
    """Whether the pages found are work enough for worker processes (`render.worth_workers`,
    by the sizes of their files as the inputs found them), on several cores: then the
    templates are compiled aside while the pages are read."""

    def text() -> int:
        entries = (files.get(content_input(source.rel)) for source in found.pages)
        return sum(entry[1][0] for entry in entries if entry is not None)

    return _workers(options) > 1 and worth_workers(len(found.pages), text)


def _write_site(
    ctx: BuildContext,
    scan: InputScan,
    site_html_files: dict[str, str],
    read: PageMemo,
    result: BuildResult,
    patcher: Patcher | None = None,
    kept: Keeping | SiteToKeep | None = None,
) -> None:
    """The steps that fill the staging folder, then the swap. `patcher`: merges the
    changed pages into the last search index, elsewhere; `kept`: the site as loaded, for
    the cache (`_kept_site`)."""
    added, site_includes = site_include_inputs(ctx.config, ctx.files, ctx.hasher, site_html_files)
    ctx.files.update(added)
    shared = shared_keys(ctx.config, ctx.site, ctx.theme, ctx.files, site_includes, ctx.previous)
    feeder = _index_feeder(ctx)
    ahead: StagedPages | None = None
    try:
        with result.timed("rendering"):
            files_at = files_may_take(ctx.config, ctx.site)
            builder = _page_builder(ctx, files_at)
            plan = plan_pages(ctx, shared, lambda jobs: _parse_ahead(ctx, builder, jobs))
            records, copies = _render_pages(ctx, builder, plan, result, feeder, patcher)
            ctx.output.relist()  # the workers wrote into staging
            searched = _searched(ctx, records, files_at)
            # Pagefind makes its files, or the last index is patched, while the rest is written.
            if feeder is not None:
                feeder.finish(searched)
            elif patcher is not None:
                patcher.ask(searched, ctx.output.staging)
            link_checks = _link_checks(ctx, records, shared.site == ctx.previous.site_key)
            ctx.report.extend(link_checks)
        with result.timed("copying files"):
            place_files(ctx, records)
        with result.timed("generated files"):
            reused = set(plan.reused) if ctx.as_recorded else set()
            same_site = shared.site == ctx.previous.site_key and ctx.as_recorded
            publish(ctx, records, reused, same_site, copies)
            _write_assets(ctx)
        # A first build copies its folders for the next one while Pagefind indexes, and
        # writes what the cache keeps of the pages meanwhile.
        ctx.output.start_spare()
        aside = _core_to_spare(ctx.options, len(records)) and not ctx.options.keep_live
        ahead = ctx.cache.stage_pages(records, read.current, aside)
        search = _index(ctx, searched, result, feeder, patcher)
    except BaseException:
        if ahead is not None:
            ctx.cache.discard_pages(ahead)
        raise
    finally:
        if feeder is not None:
            feeder.close()
    try:
        ctx.output.write_text(OUTPUT_MARKER, "Written by docsite: each build replaces it.\n")
        ctx.options.progress("writing", 0, 0)
        if ctx.options.strict:
            ctx.report.make_strict()
        if ctx.report.errors:
            return
        state = CacheState(
            output=str(ctx.out),
            inputs_digest=scan.digest(),
            diagnostics=ctx.report.sorted(),
            pages=records,
            files=ctx.files,
            site_key=shared.site,
            structure_key=shared.structure,
            link_checks=link_checks,
            marker=marker_of(ctx.output.staging),  # the marker keeps its identity through the swap
            spare=None if ctx.options.keep_live else ctx.output.ledger(),
        )
        with result.timed("writing"):
            _swap_in(ctx, state, ahead, search, result, kept)
    finally:
        ctx.cache.discard_pages(ahead)  # what was not committed: the build failed
    if ctx.options.keep_live:
        result.live = _live_state(ctx, files_at)


def _live_state(ctx: BuildContext, files_at: frozenset[str]) -> LiveState:
    """What watch mode keeps of a successful build, to re-render pages alone."""
    from docsite.build.live import LiveState  # watch mode's alone: a build's loads without it

    return LiveState(
        ctx.config,
        ctx.site,
        ctx.nav,
        ctx.theme,
        ctx.cache.state,
        ctx.cache,
        ctx.out,
        ctx.dates,
        files_at,
    )


def _index_feeder(ctx: BuildContext) -> IndexFeeder | None:
    """A build that indexes every page gives each to Pagefind as soon as it is written (on
    more than one core, in runs that Pagefinds of their own index while the render goes on)."""
    return index_feeder(
        ctx.config,
        ctx.output.staging,
        ctx.previous_output,
        ctx.options.search_index and not ctx.options.keep_live,
        _workers(ctx.options) > 1,
    )


def _link_checks(
    ctx: BuildContext, records: dict[str, PageRecord], same_site: bool
) -> list[Diagnostic]:
    """The site-wide link checks: the last build's when nothing they read has changed."""
    if same_site and links_as_checked(records, ctx.previous.pages):
        return ctx.previous.link_checks
    return check_links(ctx.site, records, ctx.config.checks.anchors)


def _searched(
    ctx: BuildContext, records: dict[str, PageRecord], files_at: frozenset[str]
) -> list[SearchPage]:
    """The pages the search index takes; none when the build makes no index. A page whose
    path a file takes is not: the file is published there, and search would lead to it."""
    if not (ctx.options.search_index and ctx.config.search_enabled):
        return []
    return search_pages(ctx.site.pages, records, search_paths(ctx.config), files_at)


def _index(
    ctx: BuildContext,
    pages: list[SearchPage],
    result: BuildResult,
    feeder: IndexFeeder | None,
    patcher: Patcher | None = None,
) -> IndexOutcome | None:
    """The search index, when the build makes one."""
    if not ctx.options.search_index:
        return None
    ctx.options.progress("search index", 0, 0)
    with result.timed("search index"):
        search = index_built_site(
            pages,
            ctx.config,
            ctx.output,
            ctx.previous_output,
            ctx.report,
            None if ctx.options.keep_live else lambda: ctx.cache.load_part(STATE_PART, SearchState),
            ctx.options.keep_live,
            feeder,
            patcher,
        )
    _note_cache(ctx.cache, result)  # a search index it could not read
    result.notes.append(search.note())
    return search


def _page_builder(ctx: BuildContext, files_at: frozenset[str]) -> PageBuilder:
    """`files_at`: where a page's Markdown copy is not written with the page, with the pages'
    own files; `publish` writes the copies that go there, once the files are placed, and
    says so. A page's file is named as the directory index is (`index.html`), or by its
    permalink (`page.html`): a Markdown copy's path, which ends in .md, is another page's
    only where the directory index is named so."""
    pages_at = ctx.config.urls.index_name.endswith(".md")
    return PageBuilder(
        ctx.site,
        ctx.theme,
        ctx.output.staging,
        ctx.previous_output,
        ctx.previous.pages,
        ctx.cache,
        ctx.files,
        taken=files_at.union(page.output_path for page in ctx.site.pages if pages_at),
        fresh=not ctx.output.reused,
    )


def _workers(options: BuildOptions) -> int:
    return options.jobs or os.cpu_count() or 1


def _parse_ahead(
    ctx: BuildContext, builder: PageBuilder, jobs: list[PageJob]
) -> dict[str, list[str]]:
    """Parse pages whose links are unknown, before any page is rendered (for backlinks)."""
    ctx.options.progress("finding links", 0, len(jobs))

    def parsed(count: int) -> None:
        ctx.options.progress("finding links", count, len(jobs))

    pages = [ctx.site.by_source[job.rel] for job in jobs]
    found = parse_pages(builder, jobs, _workers(ctx.options), parsed, lambda: ctx.theme.warm(pages))
    for links in found:  # the files they read, for their render to see them unchanged
        take_read_files(ctx.config.root, links.dependencies, ctx.files, ctx.hasher)
    return {links.rel: links.targets for links in found}


def _render_pages(
    ctx: BuildContext,
    builder: PageBuilder,
    plan: PagePlan,
    result: BuildResult,
    feeder: IndexFeeder | None = None,
    patcher: Patcher | None = None,
) -> tuple[dict[str, PageRecord], set[str]]:
    """Render the planned jobs over all cores; the records of every page, reused or not,
    and the pages whose Markdown copies were written with them. `feeder` (a fresh index)
    or `patcher` (the last index patched) gets each page written without errors, as it
    comes."""
    # In output-path order, the order the search index numbers pages in: each page reaches
    # Pagefind about as soon as it is written (a page waits for those before it).
    jobs = sorted(plan.jobs, key=lambda job: ctx.site.by_source[job.rel].output_path)
    by_rel = {job.rel: job for job in jobs}
    rendered: dict[str, PageRecord] = {}
    copies: set[str] = set()

    def done(count: int) -> None:
        ctx.options.progress("rendering", count, len(jobs))

    def arrived(outcome: PageOutcome) -> None:
        """Each page is taken in as it comes, while the others render: what is left after
        the last one is shorter."""
        errors = any(d.severity is Severity.ERROR for d in outcome.diagnostics)
        if outcome.html_digest and not errors:
            page = ctx.site.by_source[outcome.rel]
            if feeder is not None:
                feeder.offer(page, outcome.output_path, outcome.indexed)
            elif patcher is not None and outcome.indexed is not None:
                patcher.offer(page, outcome.output_path, outcome.indexed, outcome.search_digest)
        outcome.indexed = None  # given: the outcomes are kept until the last page
        if outcome.markdown_copy:
            copies.add(outcome.rel)
        record = _taken_in(ctx, outcome, by_rel[outcome.rel], plan.base_keys[outcome.rel])
        if record is not None and not errors:
            rendered[outcome.rel] = record

    done(0)
    if feeder is not None:
        feeder.expect([ctx.site.by_source[job.rel] for job in jobs])
    for outcome in build_pages(builder, jobs, _workers(ctx.options), done, arrived):
        ctx.report.extend(outcome.diagnostics)  # in the jobs' order, whatever the workers
    if patcher is not None:
        patcher.offered()
    _note_rendered(ctx, plan, result)
    records = dict(plan.reused)
    records.update((job.rel, rendered[job.rel]) for job in jobs if job.rel in rendered)
    return records, copies


def _taken_in(
    ctx: BuildContext, outcome: PageOutcome, job: PageJob, base_key: str
) -> PageRecord | None:
    """A rendered page's files in the output and its inputs in the build's; its record for
    the cache when it was written."""
    take_read_files(ctx.config.root, outcome.dependencies, ctx.files, ctx.hasher)
    ctx.files.update(published_inputs(ctx.site, outcome.dependencies, ctx.files, ctx.hasher))
    if outcome.markdown_copy:
        ctx.output.placed.add(ctx.site.by_source[outcome.rel].markdown_path)
    if not outcome.html_digest:
        return None
    ctx.output.placed.add(outcome.output_path)
    return PageRecord(
        markdown_key=job.markdown_key,
        dependencies=outcome.dependencies,
        page_key=page_key(base_key, outcome.dependencies),
        output_path=outcome.output_path,
        html_digest=outcome.html_digest,
        search_digest=outcome.search_digest,
        output_stat=outcome.output_stat,
        icons=outcome.icons,
        diagnostics=outcome.diagnostics,
        anchors=outcome.anchors,
        page_links=outcome.page_links,
        expanded=outcome.expanded,
        source_digest=ctx.files[content_input(outcome.rel)][0],
        backlinks=job.backlinks,
    )


def _note_rendered(ctx: BuildContext, plan: PagePlan, result: BuildResult) -> None:
    """What was rendered and why, for `-v`."""
    result.rendered = len(plan.jobs)
    shown = {rel: ctx.site.by_source[rel] for rel in plan.why}
    result.rendered_pages = [
        (shown[rel].source.shown, shown[rel].output_path, why) for rel, why in plan.why.items()
    ]
    if plan.jobs:
        pages = len(ctx.site.pages)
        result.notes.append(
            f"rendered {len(plan.jobs)} of {pages} pages ({pages - len(plan.jobs)} unchanged)"
        )


def _write_assets(ctx: BuildContext) -> None:
    """The stylesheets the build makes: code highlighting, and the icons every page shows
    (a page's other icons are in its own head); the sidebars too long to repeat in each
    of their pages (generated pages show the top level's)."""
    ctx.output.write_text("assets/pygments.css", ctx.theme.highlight_css(), ctx.previous_output)
    shared = ctx.theme.icons.class_stylesheet(ctx.theme.asset_rules.shared_icons)
    ctx.output.write_text("assets/icons.css", shared, ctx.previous_output)
    folders = {
        page.folder
        for page in ctx.site.pages
        if has_sidebar(page.settings.layout) and not page.settings.redirect
    }
    for path, script in ctx.theme.shared_sidebars(folders | {""}).items():
        ctx.output.write_text(path, script, ctx.previous_output)


def _swap_in(
    ctx: BuildContext,
    state: CacheState,
    ahead: StagedPages,
    search: IndexOutcome | None,
    result: BuildResult,
    kept: Keeping | SiteToKeep | None = None,
) -> None:
    """Write the cache, swap the site in, then put the cache in place: what may fail (a full
    disk) comes before the swap, so a failed build always leaves the old site, and a build
    that swapped it in succeeds. `ahead`: the pages' part of the cache, written already;
    `kept`: the site as loaded, for the cache."""
    staged = ctx.cache.stage(state, ahead)
    try:
        if kept is not None:
            kept.stage(ctx.cache, staged)
        if search is not None and search.written_state is not None:  # written aside
            written = search.written_state()
            if written is not None:  # else the last state stays: not this index's, never patched
                ctx.cache.stage_written_part(staged, STATE_PART, written)
        elif search is not None and search.state is not None:
            ctx.cache.stage_part(staged, STATE_PART, search.state)
        elif search is not None and search.status == "indexed":
            # Placed without a state (by a Pagefind whose files docsite does not patch): the
            # last state's index is gone, though it may have the same key as this one.
            ctx.cache.drop_part(staged, STATE_PART)
        ctx.output.commit()
    except BaseException:
        staged.discard()
        raise
    result.written = True
    try:
        staged.commit()
    except OSError as exc:
        ctx.report.warning(
            CACHE_DIR,
            0,
            0,
            f"the site was built, but the build cache could not be saved: {exc.strerror or exc}",
            "the next build renders every page again; delete .docsite-cache/ if this repeats",
        )


def _note_cache(cache: BuildCache, result: BuildResult) -> None:
    """What the cache said about itself (a part it ignored) since the last call."""
    result.notes.extend(note for note in cache.notes if note not in result.notes)
