"""Watch mode's index: a build keeps the served one, and `BackgroundIndexer` re-indexes the
served folder in a thread once the changes settle, swapping the new index in place."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from docsite.keys import search_key
from docsite.search import pagefind_client
from docsite.search.indexing import IndexOutcome, merge_or_index
from docsite.search.pages import SearchPage
from docsite.search.placing import INDEX_DIR, read_key, swap_in
from docsite.search.state import SearchState

PAUSE_POLL_SECONDS = 0.005
# How long in all a re-index gives way to changes that wait: an editor that saves all the
# time still gets search (a change being applied is always waited for: it ends).
GIVE_WAY_SECONDS = 1.0


def refresh_index(
    pages: list[SearchPage],
    site: Path,
    code: bool,
    lock: threading.Lock | None = None,
    state: SearchState | None = None,
    pause: Callable[[], None] = lambda: None,
) -> IndexOutcome:
    """Re-index a served folder in place: new files first, then the entry file that names
    them (atomically), then the files no longer named. `lock` is held while files move.
    `state` describes the served index; the outcome carries the new one. `pause` is called
    between the steps of a merge and before the new index is swapped in: it returns when
    the re-index may go on."""
    key = search_key(pages, code)
    if read_key(site) == key:
        return IndexOutcome("reused", len(pages), state=state)
    if not pagefind_client.binary_available():
        return IndexOutcome("unavailable", error="no Pagefind binary")
    started = time.perf_counter()
    target = site / INDEX_DIR
    try:
        outcome, files, links = merge_or_index(
            state, pages, site, site, code, background=True, pause=pause
        )
    except Exception as exc:  # the service raises plain Exceptions
        return IndexOutcome("failed", error=str(exc) or type(exc).__name__)
    for rel, source in links.items():
        if source != f"{target}/{rel}":  # a fragment renamed: its bytes move
            files[rel] = Path(source).read_bytes()
    pause()
    with lock or contextlib.nullcontext():
        swap_in(files, target, outcome.key, keep=set(links))
    outcome.seconds = time.perf_counter() - started
    outcome.files = len(files)
    outcome.bytes = sum(len(data) for data in files.values())
    return outcome


class BackgroundIndexer:
    """Re-indexes the served site in a thread once changes have settled for `quiet` seconds.

    `schedule` is cheap (it compares digests); the work never delays a page reload: while
    a change waits (`waiting`) or is applied (`held`), a re-index due waits to start, and
    one under way waits at its next step (tens of milliseconds apart). Both are Python:
    run together, each took twice as long, and the preview of the open page with them
    (80 ms at 5,000 pages became 230)."""

    def __init__(
        self,
        quiet: float = 0.6,
        lock: threading.Lock | None = None,
        done: Callable[[IndexOutcome], None] | None = None,
        load_state: Callable[[], SearchState | None] = lambda: None,
        waiting: Callable[[], bool] = lambda: False,
    ):
        """`load_state`: the state of the index the last build placed (its cache's), for a
        first re-index to merge into rather than index every page again; `waiting`: whether
        a change waits to be applied (the watcher's queue, till it is `held`)."""
        self.quiet = quiet
        self.load_state = load_state
        self.waiting = waiting
        self.lock = lock or threading.Lock()  # held while files in pagefind/ are replaced
        self.done = done
        self._job: tuple[list[SearchPage], Path, bool] | None = None
        self._due = 0.0
        self._wake = threading.Condition()
        self._stopped = False
        self._busy = False
        self._held = 0  # changes being applied
        self._give_way = GIVE_WAY_SECONDS  # left to the re-index under way
        self._thread: threading.Thread | None = None
        self.last: IndexOutcome | None = None
        # The served index as data: a re-index merges the changed pages into it.
        self.state: SearchState | None = None

    def schedule(self, pages: list[SearchPage], site: Path, code: bool) -> bool:
        """Ask for a re-index; False when the served index is already current. A re-index
        pending or under way is not done with: pages changed back to the served index's
        would be left with the index of those in between, which it puts in place after."""
        key = search_key(pages, code)
        with self._wake:
            if self._job is None and not self._busy and read_key(site) == key:
                return False
            self._job = (pages, site, code)
            self._due = time.monotonic() + self.quiet
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="search-index", daemon=True)
                self._thread.start()
            self._wake.notify_all()
        return True

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """While a change is applied: the re-index waits (see the class)."""
        with self._wake:
            self._held += 1
        try:
            yield
        finally:
            with self._wake:
                self._held -= 1
                self._wake.notify_all()

    def _pause(self) -> None:
        """A re-index's steps wait here while a change is applied, or waits (for at most
        GIVE_WAY_SECONDS in all; a waiting one tells nobody when it is taken: it is looked
        at again every few milliseconds)."""
        with self._wake:
            while not self._stopped:
                if not self._held:
                    if self._give_way <= 0 or not self.waiting():
                        return
                    self._give_way -= PAUSE_POLL_SECONDS
                self._wake.wait(timeout=PAUSE_POLL_SECONDS)

    def idle(self, timeout: float = 30.0) -> bool:
        """Wait until no re-index is pending or running (for tests)."""
        deadline = time.monotonic() + timeout
        with self._wake:
            while self._job is not None or self._busy:
                if not self._wake.wait(timeout=max(0.0, deadline - time.monotonic())):
                    return False
        return True

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify_all()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._stopped and (self._job is None or time.monotonic() < self._due):
                    wait = self._due - time.monotonic() if self._job is not None else None
                    self._wake.wait(timeout=wait)
                if self._stopped:
                    return
                job, self._job = self._job, None
                self._busy = True
                self._give_way = GIVE_WAY_SECONDS
            assert job is not None
            try:
                self._pause()
                if self.state is None:  # a state that is not the served index's is not used
                    self.state = self.load_state()
                self.last = refresh_index(*job, self.lock, self.state, self._pause)
                self.state = self.last.state
            except Exception as exc:  # a failed re-index must not end watch mode
                self.last = IndexOutcome("failed", error=str(exc))
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()
            if self.done is not None:
                self.done(self.last)
