"""The build's inputs, found and hashed: every file of the content folder (`sources.discover`)
and each input's hash and signature (`build.inputs.input_files`), before the build decides
whether it has anything to do.

A rebuild of a site of many files on several cores does this in a process forked for it
(`ScanAside`) while the build imports the renderer, which it needs unless nothing changed:
at 5,000 pages the scan takes about 40 ms and the import 80 to 110, and the build then
takes the process's answer (a pickle of 1.5 MB) in about a quarter of the scan's time.
Without an answer (the process could not start or failed, or the scan raised an error,
which scanning again here raises where the build expects it) the build scans itself. The
process then looks at the spare tree's page files for the plan (`ScanAside`)."""

from __future__ import annotations

import mmap
import multiprocessing
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from docsite.build.inputs import input_files
from docsite.build.result import BuildResult
from docsite.cache import CACHE_DIR, BuildCache, FileEntry, InputHasher, collector_paused
from docsite.config import SiteConfig
from docsite.diagnostics import Diagnostic, Report
from docsite.forking import start_aside
from docsite.output import FilesLooked, look_at_files
from docsite.sources import RETYPE_FILE_TYPES, Discovery, PathRules, discover

# Input files (as the last build found them) from which a scan aside is worth its process:
# at 1,000 an edit gains nothing measurable, at 5,000 about 13 ms (and 17 more by the look
# at the page files). Never for a first build,
# whose import of the renderer meanwhile overlaps the pages read ahead instead
# (build.readahead): at 1,000 pages a cold build with the scan aside was 45 ms slower.
SCAN_ASIDE_FILES = 2000

# When the project folder is the content folder (Retype's `input: .`), these are not pages.
PROJECT_FOLDERS = ("templates", "static", "node_modules")


def path_rules(config: SiteConfig) -> PathRules:
    """What is published of the content folder: a Retype project publishes the kinds of
    file Retype does (others when a page links to them); a docsite project every file."""
    return PathRules(
        config.exclude, config.include, RETYPE_FILE_TYPES if config.from_retype else None
    )


def not_content(config: SiteConfig, out: Path) -> tuple[Path, ...]:
    """What lies in the content folder without being content: the output folder and the
    config file, and the project's own folders when the content folder is the project."""
    paths = [out, config.root / CACHE_DIR, *([config.root / config.file] if config.file else [])]
    paths += [config.root / partial for partial in config.partials]
    if config.content_dir.resolve() == config.root.resolve():
        # A Retype project's static/ and templates/ are content: its pages' images point
        # to /static/.
        paths += [
            config.root / n
            for n in PROJECT_FOLDERS
            if not (config.from_retype and n in ("static", "templates"))
        ]
    return tuple(paths)


def scan_inputs(
    config: SiteConfig, out: Path, hasher: InputHasher, report: Report, result: BuildResult
) -> tuple[Discovery, dict[str, FileEntry]]:
    """The files found and the inputs hashed, here; each step timed into `result`."""
    with result.timed("finding files"):
        found = discover(
            config.content_dir,
            config.input,
            report,
            not_content(config, out),
            (config.root, config.content_dir),
            path_rules(config),
        )
    with result.timed("hashing inputs"):
        files = input_files(config, found, hasher, report)
    return found, files


def find_inputs(
    config: SiteConfig,
    out: Path,
    hasher: InputHasher,
    report: Report,
    result: BuildResult,
    aside: ScanAside | None,
    meanwhile: Callable[[], object],
) -> tuple[Discovery, dict[str, FileEntry]]:
    """`scan_inputs`: `aside`'s answer, taken after running `meanwhile`, else here. The
    answer comes as the scan here would leave things: what it said added to `report`, its
    steps to `result`, what the hasher saw to `hasher`."""
    if aside is None:
        return scan_inputs(config, out, hasher, report, result)
    meanwhile()
    scanned = aside.take()
    if scanned is None:
        return scan_inputs(config, out, hasher, report, result)
    report.extend(scanned.said)
    result.steps.extend(scanned.steps)
    hasher.seen.update(scanned.seen)
    hasher.racy.update(scanned.racy)
    return scanned.found, scanned.files


def worth_scanning_aside(known_files: int, cores: int) -> bool:
    """Whether a build whose last one found `known_files` inputs scans in a process of its
    own: several cores, and a site large enough to gain by it."""
    return cores > 1 and known_files >= SCAN_ASIDE_FILES


@dataclass
class Scanned:
    """What the process found, as it sends it to the build."""

    found: Discovery
    files: dict[str, FileEntry]
    said: list[Diagnostic]  # what finding and hashing said
    steps: list[tuple[str, float]]  # each step's seconds, for -v
    seen: dict[str, tuple[tuple[int, ...], str, bool] | None]  # the hasher's (InputHasher)
    racy: dict[str, str]


class ScanAside:
    """The process: started with the hasher as it is (the last build's inputs known, nothing
    seen yet); `take` its answer, then `files_looked` for what it did next; closed by the
    `with` block around the build, which stops it if it is still at work.

    Once it has answered, the process looks at the files of the spare tree that the last
    build's records name as pages' (`output.look_at_files`): the build's plan then need not
    look at each (5,000 lstat calls, about 14 ms of a one-page rebuild at 5,000 pages). It
    has the time: the scan takes about 45 ms, the look 40 with the records read, and the
    build imports the renderer for 80 to 110; a build that gets there first looks itself.
    The answers come through memory the two processes share (`_answer_room`), not a pipe,
    which holds 64 KB: the process puts each there and goes on (or ends) at once. While it
    lives, each page of memory the build writes to is copied first (the fork shares them):
    its look costs the build some of what it saves."""

    def __init__(self, process: BaseProcess, receiver: Connection, room: mmap.mmap):
        self._process = process
        self._receiver = receiver
        self._room = room
        self._taken = 0  # bytes of the room read: where the next answer starts

    @classmethod
    def start(
        cls, config: SiteConfig, out: Path, hasher: InputHasher, cache: BuildCache
    ) -> ScanAside | None:
        """The process, scanning; None where processes cannot fork."""
        try:
            room = mmap.mmap(-1, _answer_room(len(hasher.known)))
        except OSError:  # no memory to share (a container's limits)
            return None
        receiver, sender = multiprocessing.Pipe(duplex=False)
        args = (config, out, hasher, cache, room, sender)
        try:
            process = start_aside(_scan, args, "docsite-scan")
        except OSError:  # no process to be had
            process = None
        finally:
            sender.close()  # the other process's end: its exit ends `take`'s wait
        if process is None:
            receiver.close()
            room.close()
            return None
        return cls(process, receiver, room)

    def take(self) -> Scanned | None:
        """The process's answer, once it comes; None if it ended without one."""
        return self._next(wait=True)

    def files_looked(self) -> FilesLooked | None:
        """The spare tree's pages as the process looked at them, if it has by now (the
        build does not wait for it)."""
        return self._next(wait=False) if self._taken else None

    def _next(self, wait: bool) -> Any:
        try:
            if not wait and not self._receiver.poll():
                return None
            size = int.from_bytes(self._receiver.recv_bytes(), "little")
        except (EOFError, OSError):
            return None
        start, self._taken = self._taken, self._taken + size
        with collector_paused(), memoryview(self._room) as room:
            return pickle.loads(room[start : self._taken])

    def __enter__(self) -> ScanAside:
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop the process if it is still at work (a build with nothing to do, or one
        that was interrupted)."""
        self._receiver.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._room.close()


def _answer_room(known_files: int) -> int:
    """Bytes to share for the answers: twice what those of the last build's inputs take
    (about 400 bytes a file). A larger answer (a site grown that much since) is not sent:
    the build then scans (or looks at its files) itself. Pages of it never written take no
    memory."""
    return (1 + known_files // 1000) * 1024 * 1024


def _scan(
    config: SiteConfig,
    out: Path,
    hasher: InputHasher,
    cache: BuildCache,
    room: mmap.mmap,
    sender: Connection,
) -> None:
    """In the process: scan, put the answer in `room` and send its size; then look at the
    spare tree's pages, and the same. A scan that raises, or an answer too large for what
    is left of `room`, sends nothing: the build scans again (and raises it there)."""
    report = Report()
    result = BuildResult(report)
    found, files = scan_inputs(config, out, hasher, report, result)
    scanned = Scanned(found, files, report.items, result.steps, hasher.seen, hasher.racy)
    at = _answer(scanned, room, 0, sender)
    if at and cache.enabled and cache.spare is not None:
        pages = cache.state.pages.values()  # this process's own copy of the records
        _answer(look_at_files(cache.spare, (page.output_path for page in pages)), room, at, sender)


def _answer(value: object, room: mmap.mmap, at: int, sender: Connection) -> int:
    """Put `value` in `room` from `at` and send its size; where the room ends after it (0:
    it did not fit, and nothing was sent)."""
    answer = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    end = at + len(answer)
    if end > len(room):
        return 0
    room[at:end] = answer
    sender.send_bytes(len(answer).to_bytes(8, "little"))
    return end
