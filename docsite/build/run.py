"""`build_site`: options in, result out. Loads the config, checks the output folder, hashes
the inputs and decides whether there is anything to do; docsite.build.site does it."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from docsite.build.faults import fault_diagnostic
from docsite.build.inputs import InputScan, sitemap_times
from docsite.build.nochange import record_no_change, stamp_start
from docsite.build.readahead import ReadAhead, start_read_ahead
from docsite.build.result import BuildInterrupted, BuildResult
from docsite.build.scanning import ScanAside, find_inputs, worth_scanning_aside
from docsite.cache import (
    CACHE_VERSION,
    BuildCache,
    FileEntry,
    InputHasher,
    digest,
    engine_digest,
    hash_all_requested,
)
from docsite.config import CONFIG_NAMES, SiteConfig, load_config
from docsite.context import BuildOptions
from docsite.dates import build_time
from docsite.diagnostics import DiagnosticError, Report, UsageError
from docsite.gitdates import head_commit
from docsite.output import OUTPUT_MARKER, FilesLooked, is_retype_output, marker_of
from docsite.retype_config import RETYPE_CONFIG_NAMES
from docsite.sources import Discovery


def build_site(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    stamp = stamp_start(options, time.time_ns())
    report = Report()
    result = BuildResult(report)
    with contextlib.ExitStack() as held:  # the scan aside, if any: stopped when the build ends
        try:
            checked = _config_and_output(options, report, result)
            if checked is None:
                return _finish(result, started)
            config, out = checked
            options.progress("reading pages", 0, 0)
            cache = BuildCache(config.root, out, enabled=options.use_cache)
            hasher = InputHasher(cache.inputs.files, options.hash_all or hash_all_requested())
            aside = _scan_aside(config, out, hasher, cache, options)
            if aside is not None:
                held.enter_context(aside)
            found, files = find_inputs(config, out, hasher, report, result, aside, _import_renderer)
        except DiagnosticError as exc:
            report.extend(exc.diagnostics)
            return _finish(result, started)
        result.loaded.append(cache)
        looked = aside.files_looked if aside is not None else None
        try:
            _build(config, found, files, hasher, out, cache, options, report, result, looked)
            if result.written and not report.errors:
                record_no_change(
                    stamp, config, found, hasher, cache, result.pages, out, report.sorted()
                )
        except OSError as exc:
            # A fault of the machine, not of the content: the old site is still in place.
            report.add(fault_diagnostic(exc, config.root, out))
            result.written = False
            cache.clean_temporary()
        except BuildInterrupted:
            cache.clean_temporary()  # the staging folder goes with its OutputFolder
            raise
    return _finish(result, started)


def _config_and_output(
    options: BuildOptions, report: Report, result: BuildResult
) -> tuple[SiteConfig, Path] | None:
    """The config, and the output folder checked; None when the build stops at the config's
    errors (watch mode)."""
    try:
        config = load_config(
            options.root.resolve(), options.config_file, report, start=options.keep_live
        )
    except FileNotFoundError as exc:
        raise UsageError(f"{exc}; check the path given to --config") from None
    if not config.file and not config.content_dir.is_dir():
        raise UsageError(no_project_message(config.root))
    if report.errors and options.keep_live:
        # Watch mode says a config's errors at once (it keeps serving the last good site);
        # a build goes on, to say the pages' errors in the same run.
        return None
    out = (options.out if options.out is not None else config.output_dir).resolve()
    result.output = out
    result.had_site = (out / OUTPUT_MARKER).is_file()
    check_output_folder(out, config)
    return config, out


def _scan_aside(
    config: SiteConfig, out: Path, hasher: InputHasher, cache: BuildCache, options: BuildOptions
) -> ScanAside | None:
    """The process that finds and hashes the inputs while this one imports the renderer:
    for a rebuild of many files on several cores. Not in watch mode, whose process has
    threads of its own to fork with, and whose rebuilds are of the files changed."""
    if options.keep_live or not worth_scanning_aside(len(hasher.known), _cores(options)):
        return None
    return ScanAside.start(config, out, hasher, cache)


def _build(
    config: SiteConfig,
    found: Discovery,
    files: dict[str, FileEntry],
    hasher: InputHasher,
    out: Path,
    cache: BuildCache,
    options: BuildOptions,
    report: Report,
    result: BuildResult,
    looked: Callable[[], FilesLooked | None] | None = None,
) -> None:
    """Decide whether there is anything to do, and do it. `looked`: the spare tree's pages,
    as the scan aside looked at them (`ScanAside.files_looked`)."""
    result.notes.extend(cache.notes)
    previous = cache.inputs
    scan = InputScan(
        out,
        files,
        hasher,
        digest(
            CACHE_VERSION,
            engine_digest(),
            config,
            str(out),
            head_commit(config.content_dir),  # "last updated" dates come from git
            build_time().date().isoformat(),  # pages may show it: see if any did, each day
            report.items,
            # A left-out file is an input once a page links to it; one made again where a
            # page's link found nothing is seen by its name (the page's keys then follow).
            sorted(found.unlisted),
            sitemap_times(config, found, hasher),
        ),
    )
    inputs_digest = scan.digest()
    result.pages = len(found.pages)
    if (
        previous.inputs_digest == inputs_digest
        and previous.output == str(out)
        and previous.marker is not None
        and previous.marker == marker_of(out)
    ):
        # Nothing that the site is made of changed: the site on disk is already this build,
        # with its messages; those of the config and the files found are said already.
        said = set(report.items)
        report.extend(d for d in previous.diagnostics if d not in said)
        result.unchanged = True
        result.notes.append("nothing changed since the last build; the site was left as it is")
        if options.strict:
            report.make_strict()
        result.written = not report.errors
        if files != previous.files:
            # Files touched, or hashed again after a recent change, with the same contents:
            # their new times spare the next build reading them.
            previous.files = files
            try:
                cache.save_inputs(previous)
            except OSError:
                cache.clean_temporary()
        return

    ahead = _read_ahead(found, scan, cache, options)
    try:
        render = _import_renderer()
        render(config, found, scan, cache, options, report, result, ahead, looked)
    finally:
        if ahead is not None:
            ahead.close()


def _import_renderer() -> Callable[..., None]:
    """`render_site`, imported when first asked: a build with nothing to do never loads the
    renderer; one whose inputs are found aside loads it meanwhile."""
    from docsite.build.site import render_site

    return render_site


def _cores(options: BuildOptions) -> int:
    return options.jobs or os.cpu_count() or 1


def _read_ahead(
    found: Discovery, scan: InputScan, cache: BuildCache, options: BuildOptions
) -> ReadAhead | None:
    """A process that reads the pages while this one imports the renderer: for a build of
    many pages that the cache does not keep as read. Not in watch mode, whose process has
    threads of its own to fork with, and whose rebuilds read the few pages changed."""
    if options.keep_live:
        return None
    return start_read_ahead(found, scan.content_hash, _cores(options), cache.has_pages_read)


def _finish(result: BuildResult, started: float) -> BuildResult:
    result.seconds = time.perf_counter() - started
    return result


def no_project_message(root: Path) -> str:
    """What docsite looked for in a folder that holds no docs project, and what to do."""
    if (root / "mkdocs.yml").is_file():
        return (
            f"{root} holds a MkDocs project (mkdocs.yml), which docsite does not read; "
            "a docsite.yml and a content/ folder take its place: see 'Migrating from MkDocs' "
            "in docsite's documentation"
        )
    names = ", ".join((*CONFIG_NAMES, *RETYPE_CONFIG_NAMES))
    return (
        f"no docs project in {root}: looked for a config file ({names}) and a content/ "
        "folder; run 'docsite init' to start one here, or point to one with --config FILE"
    )


def check_output_folder(out: Path, config: SiteConfig) -> None:
    """Refuse to replace a folder that holds the sources: the swap would delete them.

    An output folder inside the content folder is fine: it is left out of the content, as
    Retype's `input: .` projects need."""
    root = config.root.resolve()
    protected = {
        "the project folder": root,
        "the content folder": config.content_dir.resolve(),
        "the templates folder": (root / "templates").resolve(),
        "the static folder": (root / "static").resolve(),
    }
    if out.exists() and not out.is_dir():
        raise UsageError(f"refusing to write the site to '{out}': it is a file, not a folder")
    if (
        out.is_dir()
        and not (out / OUTPUT_MARKER).is_file()
        and any(out.iterdir())
        and not is_retype_output(out)
    ):
        raise UsageError(
            f"refusing to replace '{out}': it holds files that docsite did not write, and a build "
            "replaces the whole folder; choose an empty or new folder, or delete it first"
        )
    for name, folder in protected.items():
        if out == folder or folder.is_relative_to(out):
            raise UsageError(
                f"refusing to write the site to '{out}': it is or contains {name}, "
                "which the build would replace; choose another --out or 'output'"
            )
        if out.is_relative_to(folder) and name in ("the templates folder", "the static folder"):
            raise UsageError(
                f"refusing to write the site to '{out}': it is inside {name}; "
                "choose another --out or 'output'"
            )
