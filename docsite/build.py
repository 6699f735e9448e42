"""Building a site: options, checks, and deciding whether there is anything to do."""

from __future__ import annotations

import errno
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docsite.cache import (
    CACHE_DIR,
    CACHE_VERSION,
    BuildCache,
    FileEntry,
    InputHasher,
    digest,
    engine_digest,
    hash_all_requested,
)
from docsite.config import CONFIG_NAMES, SiteConfig, load_config
from docsite.diagnostics import Diagnostic, DiagnosticError, Report, Severity, UsageError
from docsite.gitdates import head_commit
from docsite.projectfiles import MISSING
from docsite.reading import os_cause, read_fault
from docsite.retype_config import RETYPE_CONFIG_NAMES
from docsite.sources import Discovery, discover
from docsite.themefiles import static_dirs, template_dirs

# Marks a folder as docsite's output, so a build may replace it; any other is refused.
OUTPUT_MARKER = ".docsite"


def no_progress(stage: str, done: int = 0, total: int = 0) -> None:
    """The default progress listener: builds run silently."""


# A listener hears each stage of a build ("rendering", 120, 5000), for a progress line.
Progress = Callable[[str, int, int], None]


@dataclass
class BuildOptions:
    root: Path
    config_file: Path | None = None
    out: Path | None = None
    strict: bool = False
    jobs: int = 0  # worker processes; 0 means one per core
    use_cache: bool = True
    keep_live: bool = False  # keep the loaded site in the result, for watch mode
    search_index: bool = True  # `check` builds to throw away: no search index needed
    # Hash every input file rather than trust unchanged times (also DOCSITE_HASH_ALL=1).
    hash_all: bool = False
    progress: Progress = no_progress


@dataclass
class BuildResult:
    report: Report
    pages: int = 0
    rendered: int = 0  # pages rendered this time (the others were reused)
    seconds: float = 0.0
    output: Path | None = None
    written: bool = False
    had_site: bool = False  # the output folder held a built site before this build
    unchanged: bool = False  # nothing changed since the last build: nothing was written
    notes: list[str] = field(default_factory=list)  # for -v: how the cache was used
    # (source shown, output path, why) per page rendered this time, for `-v`.
    rendered_pages: list[tuple[str, str, str]] = field(default_factory=list)
    live: Any = None  # with keep_live: the pipeline's LiveState, for watch mode

    @property
    def ok(self) -> bool:
        return self.written


def build_site(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    report = Report()
    result = BuildResult(report)
    try:
        try:
            config = load_config(options.root.resolve(), options.config_file, report)
        except FileNotFoundError as exc:
            raise UsageError(f"{exc}; check the path given to --config") from None
        if not config.file and not config.content_dir.is_dir():
            raise UsageError(no_project_message(config.root))
        out = (options.out if options.out is not None else config.output_dir).resolve()
        result.output = out
        result.had_site = (out / OUTPUT_MARKER).is_file()
        check_output_folder(out, config)
        options.progress("reading pages", 0, 0)
        found = discover(
            config.content_dir,
            config.input,
            report,
            not_content(config, out),
            (config.root, config.content_dir),
        )
    except DiagnosticError as exc:
        report.extend(exc.diagnostics)
        return _finish(result, started)
    cache = BuildCache(config.root, out, enabled=options.use_cache)
    try:
        _build(config, found, out, cache, options, report, result)
    except OSError as exc:
        # A fault of the machine, not of the content: the old site is still in place.
        report.add(fault_diagnostic(exc, config.root, out))
        result.written = False
        cache.clean_temporary()
    return _finish(result, started)


def _build(
    config: SiteConfig,
    found: Discovery,
    out: Path,
    cache: BuildCache,
    options: BuildOptions,
    report: Report,
    result: BuildResult,
) -> None:
    """Decide whether there is anything to do, and do it."""
    result.notes.extend(cache.notes)
    previous = cache.inputs
    hasher = InputHasher(previous.files, options.hash_all or hash_all_requested())
    files = input_files(config, found, hasher, report)
    inputs_base = digest(
        CACHE_VERSION,
        engine_digest(),
        config,
        str(out),
        head_commit(config.content_dir),  # "last updated" dates come from git
        report.items,
    )
    inputs_digest = digest_inputs(inputs_base, files)
    result.pages = len(found.pages)
    if (
        previous.inputs_digest == inputs_digest
        and previous.output == str(out)
        and previous.marker is not None
        and previous.marker == marker_of(out)
    ):
        # Nothing that the site is made of changed: the site on disk is already this build.
        report.extend(previous.diagnostics)
        result.unchanged = True
        result.notes.append("nothing changed since the last build; the site was left as it is")
        apply_strict(report, options.strict)
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

    # Imported here: a build with nothing to do never loads the renderer.
    from docsite.pipeline import render_site

    render_site(config, found, out, files, hasher, inputs_base, cache, options, report, result)


def _finish(result: BuildResult, started: float) -> BuildResult:
    result.seconds = time.perf_counter() - started
    return result


def marker_of(out: Path) -> tuple[int, int, int] | None:
    """The identity of a built site: its marker file, written anew by every build."""
    try:
        stat = os.stat(out / OUTPUT_MARKER)
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


# When the project folder is the content folder (Retype's `input: .`), these are not pages.
PROJECT_FOLDERS = ("templates", "static", "node_modules")


def not_content(config: SiteConfig, out: Path) -> tuple[Path, ...]:
    """What lies in the content folder without being content: the output folder and the
    config file, and the project's own folders when the content folder is the project."""
    paths = [out, *([config.root / config.file] if config.file else [])]
    if config.content_dir.resolve() == config.root.resolve():
        paths += [config.root / name for name in PROJECT_FOLDERS]
    return tuple(paths)


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
    if out.is_dir() and not (out / OUTPUT_MARKER).is_file() and any(out.iterdir()):
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


def input_files(
    config: SiteConfig, found: Discovery, hasher: InputHasher, report: Report
) -> dict[str, FileEntry]:
    """Content hash (and signature) of every file the site is made of, by a namespaced name.

    A file that cannot be read is an error here, where it is found; a page's own is
    reported when it is read."""
    named: list[tuple[str, str | Path, str]] = []
    for source in (*found.pages, *found.settings.values(), *found.assets):
        named.append(("content:" + source.rel, source.os_path, source.shown))
    for prefix, folders in (
        ("templates:", template_dirs(config)),
        ("static:", static_dirs(config)),
    ):
        for folder in folders:
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and not any(p.startswith(".") for p in rel.split("/")):
                    named.append(
                        (prefix + rel + "@" + str(folder), path, shown_path(path, config.root))
                    )
    files: dict[str, FileEntry] = {}
    for name, path, shown in named:
        try:
            files[name] = hasher.entry(path, name)
        except OSError as exc:
            files[name] = (UNREADABLE, (0,))
            if not name.endswith(".md") or not name.startswith("content:"):
                report.add(read_fault(shown, exc))
    for name in hasher.known:
        if name.startswith(PROJECT_FILE):  # read by pages last time: includes, snippets
            files[name] = project_file_entry(config.root, name, hasher)
    return files


# The entry of an input file that could not be read (an error already says so).
UNREADABLE = "unreadable"

# Names of files that pages read besides their sources (includes, code snippets).
PROJECT_FILE = "project:"


def project_file_entry(root: Path, name: str, hasher: InputHasher) -> FileEntry:
    path = root / name.removeprefix(PROJECT_FILE)
    try:
        return hasher.entry(path, name) if path.is_file() else (MISSING, (0,))
    except OSError:
        return (MISSING, (0,))


def digest_inputs(base: str, files: dict[str, FileEntry]) -> str:
    """The hash that decides whether a build has anything to do."""
    return digest(base, sorted((name, entry[0]) for name, entry in files.items()))


def apply_strict(report: Report, strict: bool) -> None:
    if strict:
        report.items = [d.as_error() for d in report.items]


# What to do about a fault, by its cause.
FAULT_HINTS = {
    errno.ENOSPC: "free some disk space and build again",
    errno.EDQUOT: "free some space within your disk quota and build again",
    errno.EACCES: "check the permissions of the file and its folder",
    errno.EPERM: "check the permissions of the file and its folder",
    errno.EROFS: "the file system is read-only: build to another folder with --out",
    errno.ENAMETOOLONG: "shorten the file name or permalink that makes this path",
    errno.ENOENT: "a file or folder was deleted or moved during the build; build again",
    errno.EISDIR: "a folder is where docsite writes a file: remove it",
    errno.ENOTDIR: "a file is where docsite needs a folder: remove it",
}


def fault_diagnostic(exc: OSError, root: Path, out: Path) -> Diagnostic:
    """An error of the operating system as a diagnostic naming the file and the cause."""
    path = exc.filename if isinstance(exc.filename, str) else None
    cause = os_cause(exc)
    hint = FAULT_HINTS.get(exc.errno or 0, "build again; if it keeps failing, check the file")
    if path is None:
        return Diagnostic(
            shown_path(out, root), 0, 0, Severity.ERROR, f"cannot build: {cause}", hint
        )
    resolved = Path(os.path.abspath(path))
    staging = out.parent / f".{out.name}.tmp-{os.getpid()}"
    cache = root / CACHE_DIR
    if resolved == staging or resolved.is_relative_to(staging):
        shown = shown_path(out / resolved.relative_to(staging), root)
        what = "cannot write the site"
    elif resolved.is_relative_to(out.parent) and resolved.name.startswith(f".{out.name}."):
        shown, what = shown_path(resolved, root), "cannot write the site"
    elif resolved.is_relative_to(cache):
        shown = re.sub(r"(^|/)\.([^/]*)\.tmp-\d+$", r"\1\2", shown_path(resolved, root))
        what = "cannot write the build cache"
        if exc.errno in (errno.EISDIR, errno.ENOTDIR, errno.EEXIST):
            hint = f"delete {CACHE_DIR}/ (it is safe to delete) and build again"
    elif isinstance(exc, FileNotFoundError):
        return read_fault(shown_path(resolved, root), exc)
    else:
        shown, what = shown_path(resolved, root), "cannot read or write this file"
    return Diagnostic(shown, 0, 0, Severity.ERROR, f"{what}: {cause}", hint)


def shown_path(path: Path | str, root: Path) -> str:
    """A path as messages show it: from the project folder when inside it."""
    resolved = Path(os.path.abspath(path))
    try:
        return resolved.relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return resolved.as_posix()
