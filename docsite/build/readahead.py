"""A fresh build reads its pages on two cores: a process forked before the renderer is
imported reads them from the last one back, while the build imports the renderer and then
reads from the first one on. Where the two meet, the build takes the other's pages, as
pages.PageMemo takes those of the cache: checked against the inputs' hashes, their warnings
said again in page order. A page is read by one of the two, never both (`claim`)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, MutableSequence
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Lock

from docsite.diagnostics import Report
from docsite.forking import start_aside
from docsite.pages import PageMemo, PageReading, ReadPage, SettingsMemo, page_readings
from docsite.sources import Discovery

# Fewer pages than this are read in less time (about 0.3 ms each) than the process costs.
READ_AHEAD_PAGES = 48


class ReadAhead:
    """The pages of `readings` read from the last one back in a forked process, until it
    meets this process reading from the first one on (pages.PagesAhead)."""

    def __init__(self, readings: list[PageReading], hash_of: Callable[[str], str | None]):
        context = multiprocessing.get_context("fork")
        self._index = {reading.source.rel: i for i, reading in enumerate(readings)}
        # The next page this process reads, and the last one the other has not taken.
        self._bounds = context.RawArray("i", [0, len(readings) - 1])
        self._lock = context.Lock()
        self._receiver, sender = context.Pipe(duplex=False)
        try:
            self.process = start_aside(
                _read_from_back,
                (readings, hash_of, self._bounds, self._lock, sender),
                "docsite-read",
            )
        finally:
            sender.close()  # the other process's end: its exit ends `take`'s wait

    def claim(self, rel: str) -> bool:
        index = self._index.get(rel)
        if index is None:
            return True  # not one of the readings: read here
        with self._lock:
            if index > self._bounds[1]:
                return False
            self._bounds[0] = index + 1
            return True

    def take(self) -> dict[str, ReadPage]:
        """What the other process read; nothing if it failed (its pages are read here)."""
        try:
            return self._receiver.recv()
        except Exception:  # it ended without an answer (killed, out of memory): read here
            return {}

    def close(self) -> None:
        """Stop the other process (a build that read every page, or stopped reading)."""
        with self._lock:
            self._bounds[0] = len(self._index)  # it claims no more
        self._receiver.close()  # an answer not taken breaks off, and the process ends
        if self.process is not None:
            self.process.join()


def start_read_ahead(
    found: Discovery,
    hash_of: Callable[[str], str | None],
    cores: int,
    pages_cached: Callable[[], bool],
) -> ReadAhead | None:
    """A reading process for a build on several `cores` that reads many pages, none of
    them cached (`pages_cached`: whether the cache keeps pages as read, which a rebuild
    takes; asked last)."""
    if cores < 2 or len(found.pages) < READ_AHEAD_PAGES or pages_cached():
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    try:
        ahead = ReadAhead(page_readings(found), hash_of)
    except OSError:  # no shared lock or no process to be had (a container's limits)
        return None
    if ahead.process is None:
        ahead.close()
        return None
    return ahead


def _read_from_back(
    readings: list[PageReading],
    hash_of: Callable[[str], str | None],
    bounds: MutableSequence[int],
    lock: Lock,
    sender: Connection,
) -> None:
    """Read pages from the last one back, each once claimed, until the build's reading
    reaches them; then hand them over."""
    memo = PageMemo({}, hash_of)
    settings = SettingsMemo()
    for index in range(len(readings) - 1, -1, -1):
        with lock:
            if index < bounds[0]:
                break
            bounds[1] = index - 1
        reading = readings[index]
        memo.load(reading.source, reading.settings_file, reading.is_index, Report(), settings)
    sender.send(memo.current)
