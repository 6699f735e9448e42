"""An edit's search index, patched in a process of its own.

A build that will merge its changed pages into the last index starts this process as it
begins (`SearchAside.start`, forked). The process reads the last index's state from the
cache (0.1 s and 100 MB at 20,000 pages) while the build reads and renders, on a core the
build leaves idle; once the pages are written it merges the changed ones (`patch`), sends
the files, then writes the new state to the cache itself (`written_state`) while the build
places them. An edit spends none of its own time reading, patching or writing the index's
state."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from multiprocessing.connection import Connection
from pathlib import Path

from docsite.cache import BuildCache
from docsite.config import SiteConfig
from docsite.forking import start_aside
from docsite.keys import indexed_by_this_engine
from docsite.pages import Page
from docsite.pathpatterns import PathFilter
from docsite.search import pagefind_client
from docsite.search.indexing import EarlyIndex, PatchAnswer, last_index_files, patch_index
from docsite.search.pages import SearchPage, is_indexed, search_paths
from docsite.search.placing import read_key
from docsite.search.state import STATE_PART, SearchState

# How often the process looks whether the build that started it is still there.
PARENT_CHECK_SECONDS = 1.0
# How long a build that ends waits for the process to answer and end before it kills it.
JOIN_SECONDS = 10.0


def search_aside(
    config: SiteConfig, cache: BuildCache, previous: Path | None, wanted: bool
) -> SearchAside | None:
    """The process for a build that will merge its changed pages into the last index (if
    any changed): search on, an index by this docsite in the output and its state in the
    cache, and a Pagefind whose files docsite patches. `wanted`: the build indexes, and has
    a core to spare (a build of many pages on several)."""
    if not (wanted and config.search_enabled and cache.enabled and previous is not None):
        return None
    if not indexed_by_this_engine(read_key(previous)):
        return None  # no index, or another docsite's: indexed whole (IndexFeeder)
    if not pagefind_client.installed().patchable or not pagefind_client.binary_available():
        return None
    return SearchAside.start(cache, previous, config.search_code, search_paths(config))


class SearchAside:
    """The process, seen from the build: `offer` each page as it is written, `offered` once
    all are, `ask` once the pages to index are listed, `patch` for the answer,
    `written_state` for the state file that follows it, then `close` (always)."""

    def __init__(
        self,
        process: multiprocessing.process.BaseProcess,
        connection: Connection,
        cache: BuildCache,
        paths: PathFilter | None = None,
    ):
        self._process = process
        self._connection = connection
        self._cache = cache
        self._paths = paths  # search.exclude and include: the pages offered are indexed
        self._asked: tuple[list[SearchPage], Path] | None = None
        self._answer: PatchAnswer | None = None
        self._state: tuple[Path | None] | None = None  # the state file, once it came

    @classmethod
    def start(
        cls, cache: BuildCache, previous: Path, code: bool, paths: PathFilter | None = None
    ) -> SearchAside | None:
        """The process, reading the state meanwhile; None where processes cannot fork."""
        ours, theirs = multiprocessing.Pipe()
        process = start_aside(
            _answer_once, (theirs, cache, previous, code, os.getpid()), "docsite-search"
        )
        theirs.close()
        if process is None:
            ours.close()
            return None
        return cls(process, ours, cache, paths)

    def offer(self, page: Page, output_path: str, indexed: str, digest: str) -> None:
        """A page written (`indexed`: the part Pagefind reads, `digest` its hash): if the
        index takes it and it changed, Pagefind indexes it at once, before `ask`."""
        if self._asked is not None or not is_indexed(page, self._paths):
            return
        with contextlib.suppress(OSError):  # the process ended: `patch` says so
            self._connection.send(("page", SearchPage(page.url, output_path, digest), indexed))

    def offered(self) -> None:
        """Every page is written and offered: Pagefind makes the changed ones' files
        meanwhile, before `ask`."""
        if self._asked is None:
            with contextlib.suppress(OSError):  # the process ended: `patch` says so
                self._connection.send(("offered",))

    def ask(self, pages: list[SearchPage], site: Path) -> None:
        """Have the changed `pages` (written in `site`) merged into the last index while the
        build goes on; the first request is the one answered. The pages go as tuples: 5,000
        of them pickle in a third of the time."""
        if self._asked is not None:
            return
        self._asked = (pages, site)
        request = ("ask", [(page.url, page.output_path, page.digest) for page in pages], site)
        with contextlib.suppress(OSError):  # the process ended: `patch` says so
            self._connection.send(request)

    def patch(self, pages: list[SearchPage], site: Path) -> PatchAnswer:
        """The last index with the changed `pages` merged in, or why it could not be: the
        caller indexes the pages whole then."""
        self.ask(pages, site)
        answer = self._receive()
        if self._asked != (pages, site):  # asked for other pages: the answer is not for these
            return PatchAnswer(why="the pages to index changed after they were written")
        self._cache.notes.extend(answer.notes)  # what reading the state there said
        return answer

    def written_state(self) -> Path | None:
        """The new state, written to a temporary file of the cache, once the answer gave
        files: None if the process could not write it, or did not within JOIN_SECONDS."""
        if self._state is None:
            written = None
            if self._state_coming() and self._connection.poll(JOIN_SECONDS):
                with contextlib.suppress(OSError, EOFError):  # it ended: no state
                    written = self._connection.recv()
            self._state = (written,)
        return self._state[0]

    def _state_coming(self) -> bool:
        """Whether a state file follows the answer, and is not collected yet."""
        answer = self._answer
        return self._state is None and answer is not None and answer.files is not None

    def _receive(self) -> PatchAnswer:
        if self._answer is None:
            try:
                self._answer = self._connection.recv()
            except (OSError, EOFError) as exc:
                why = str(exc) or type(exc).__name__
                self._answer = PatchAnswer(why=f"the search process ended ({why})")
        return self._answer

    def close(self) -> None:
        """End the process; the state it wrote goes too unless the build's cache took it
        (`BuildCache.stage_written_part` moves it to its place on commit)."""
        if self._asked is None:
            with contextlib.suppress(OSError):
                self._connection.send(None)
        else:  # asked: an answer and a state file never collected are collected to remove
            if self._answer is None and self._connection.poll(JOIN_SECONDS):
                self._receive()
            self.written_state()
        self._process.join(timeout=JOIN_SECONDS)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._connection.close()
        written = self._state[0] if self._state is not None else None
        if written is not None:
            with contextlib.suppress(OSError):  # gone if the cache took it
                written.unlink()


def _answer_once(
    connection: Connection, cache: BuildCache, previous: Path, code: bool, parent: int
) -> None:
    """The process (`start_aside`): start Pagefind and read the state, give Pagefind the
    changed pages as they are written, answer once with the files when asked, then with the
    state file. A failure is the build's to see: no answer."""
    early = EarlyIndex(code)
    try:
        _answer(connection, cache, previous, code, parent, early)
    finally:
        early.close()


def _answer(
    connection: Connection,
    cache: BuildCache,
    previous: Path,
    code: bool,
    parent: int,
    early: EarlyIndex,
) -> None:
    noted = len(cache.notes)
    state = cache.load_part(STATE_PART, SearchState)
    present = last_index_files(previous) if state is not None else set()
    request = _request(connection, parent, state, early)
    if request is None:
        return
    pages, site = request
    answer = PatchAnswer(notes=cache.notes[noted:])
    if state is not None:  # none: no index to patch, the pages are indexed whole
        try:
            answer.files, answer.links, state, answer.changed = patch_index(
                state, pages, site, previous, code, early, present
            )
        except Exception as exc:  # CannotPatch; Pagefind's service raises plain Exceptions
            answer.files, answer.why = None, str(exc) or type(exc).__name__
            answer.hung = isinstance(exc, pagefind_client.ServiceHung)
    connection.send(answer)
    if answer.files is not None:
        written = None
        with contextlib.suppress(OSError):  # a full disk: the build keeps no state
            written = cache.write_part(STATE_PART, state)
        connection.send(written)


def _request(
    connection: Connection, parent: int, state: SearchState | None, early: EarlyIndex
) -> tuple[list[SearchPage], Path] | None:
    """The build's pages, or None when the build does not want a patch (or is gone). The
    pages it offers before, as they are written, go to Pagefind at once if they changed;
    once the last is, Pagefind makes their files while the build lists the pages."""
    while True:
        while not connection.poll(PARENT_CHECK_SECONDS):
            if os.getppid() != parent:
                return None
        try:
            message = connection.recv()
        except EOFError:
            return None
        if message is None:
            return None
        if message[0] == "ask":
            _, pages, site = message
            return [SearchPage(*page) for page in pages], site
        if message[0] == "offered":
            early.ask_files()
            continue
        _, page, indexed = message
        if state is None or state.digests.get(page.url) == page.digest:
            continue
        if early.given() * 2 < len(state.digests):
            early.add(page, indexed)  # past half the pages, the patch gives way: not worth it
