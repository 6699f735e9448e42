"""Building the index of a site: the previous one reused when no page changed, the changed
pages merged into it when they can be, else every page indexed whole by Pagefind."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from docsite.cache import collector_paused, digest, engine_digest
from docsite.config import SiteConfig
from docsite.diagnostics import Report
from docsite.keys import indexed_by_this_engine, search_key, search_settings
from docsite.output import OutputFolder
from docsite.pages import Page
from docsite.pathpatterns import PathFilter
from docsite.search import pagefind_client
from docsite.search.pages import (
    SearchPage,
    indexed_html,
    is_indexed,
    pagefind_config,
    pagefind_url,
    search_paths,
)
from docsite.search.placing import INDEX_DIR, files_in, link_tree, place_index, read_key
from docsite.search.state import SearchState

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor  # loaded by a cold build only

    from docsite.search.index_format import IndexRuns

# The folders of pagefind/ that hold an index's files ("": its entry and meta files).
INDEX_FOLDERS = ("", "index", "fragment", "filter")
# Pagefind's own search interfaces: docsite's search box replaces them.
UNUSED_FILES = (
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
)
MISSING_BINARY = "search is unavailable: the Pagefind binary was not found"
MISSING_BINARY_HINT = "install it with: python -m pip install 'pagefind[bin]'"
# A run of pages indexed by a Pagefind of its own is at least this much work: below, another
# Pagefind's start and files (about 30 ms) cost more than they save. A page's work is its
# Markdown's bytes, plus PAGE_WORK for what Pagefind does for any page. PART_WORK is about
# 100 pages of the benchmark's corpus (2 KB each), or 35 of Retype's own documentation.
PAGE_WORK = 1_000
PART_WORK = 300_000
UNKNOWN_LAYOUT = (
    "Pagefind's index files are laid out otherwise than docsite knows: whole index, "
    "as Pagefind wrote it"
)


@dataclass
class IndexedPages:
    """Pagefind's files for some pages, and those pages with the digests of what it read of
    them: a page of watch mode's served site may be written again after the pages were
    listed, and an index must name what it holds (its key), never what was asked."""

    files: dict[str, bytes]
    pages: list[SearchPage]


@dataclass
class IndexOutcome:
    """What the search step did, for the build's notes and the cache."""

    status: str  # "indexed", "updated", "reused", "deferred", "unavailable", "failed", "empty"
    pages: int = 0
    seconds: float = 0.0
    files: int = 0
    bytes: int = 0
    error: str = ""
    changed: int = 0  # pages re-indexed, when "updated"
    state: SearchState | None = None  # for the cache, once the build is committed
    # Or the new state, written to the cache elsewhere (aside) to be put in place with it:
    # waits for the file, None if it could not be written.
    written_state: Callable[[], Path | None] | None = None
    pagefind_note: str = ""  # of a Pagefind docsite was not written for (Pagefind.note)
    # The key of the index made (merge_or_index): it names the pages as Pagefind read them.
    key: str = ""

    def note(self) -> str:
        if self.status == "indexed":
            return (
                f"search: indexed {self.pages} pages in {self.seconds:.2f} s "
                f"({self.files} files, {self.bytes / 1024:.0f} KB)"
                + (f"; the last index was not updated: {self.error}" if self.error else "")
                + (f"; {self.pagefind_note}" if self.pagefind_note else "")
            )
        if self.status == "updated":
            return (
                f"search: re-indexed {self.changed} of {self.pages} pages in "
                f"{self.seconds:.2f} s ({self.files} files written)"
            )
        return f"search: index {self.status}" + (f" ({self.error})" if self.error else "")


@dataclass
class PatchAnswer:
    """The last index patched elsewhere (docsite.search.aside): the files to write and to
    link (the new state follows: `Patcher.written_state`); or why it could not be."""

    files: dict[str, bytes] | None = None  # None: not patched
    links: dict[str, str] = field(default_factory=dict)
    changed: int = 0
    why: str = ""  # why it was not patched ("": there was no index to patch)
    notes: list[str] = field(default_factory=list)  # the cache's, reading the state there
    hung: bool = False  # `why`: its Pagefind hung, as one indexing the site whole would


class Patcher(Protocol):
    """Patches the last index with the changed pages written in a site, elsewhere
    (`docsite.search.aside.SearchAside`): asked as soon as they are, answered when needed."""

    def offer(self, page: Page, output_path: str, indexed: str, digest: str) -> None: ...
    def offered(self) -> None: ...
    def ask(self, pages: list[SearchPage], site: Path) -> None: ...
    def patch(self, pages: list[SearchPage], site: Path) -> PatchAnswer: ...
    def written_state(self) -> Path | None: ...


class IndexingSession(Protocol):
    """Pagefind indexing pages as they come (`pagefind_client.IndexSession`)."""

    def add(self, url: str, html: Callable[[], str]) -> None: ...
    def ask_files(self) -> None: ...
    def files(self, wanted: Callable[[str], bool] = ...) -> dict[str, bytes]: ...
    def close(self) -> None: ...


class IndexFeeder:
    """A build's index made while its pages render: each page goes to Pagefind as soon as it
    is written, so that once the last page is rendered only the last ones are left to index.
    With `in_runs` (a build on more than one core), the pages are cut into runs, each
    indexed by a Pagefind of its own, which makes its files as soon as its last page is
    given; a thread reads them and merges them into the runs before (`IndexRuns`) while the
    build goes on. Each run is half the work left, down to PART_WORK (`run_starts`), so
    that what is left after the last page is rendered is a short run. The index is the one
    `full_index` makes of the same pages. Pages go to Pagefind in page order, which it
    numbers them in."""

    def __init__(
        self,
        site: Path,
        code: bool,
        paths: PathFilter,
        in_runs: bool = False,
        start_session: Callable[[dict], IndexingSession] = pagefind_client.IndexSession,
    ):
        from docsite.search.index_format import IndexRuns  # see `full_index`

        self.site = site
        self.code = code
        self.paths = paths
        self.in_runs = in_runs
        self.fed: dict[str, None] = {}  # URLs, in the order they were given to Pagefind
        self._start_session = start_session
        self._sessions: list[IndexingSession] = []  # one for each run begun
        self._order: list[str] = []  # output paths, in the order Pagefind is to get them
        self._starts: set[int] = set()  # in `_order`: where a run after the first begins
        self._next = 0  # in `_order`: the first page not given yet
        # Written before a page that comes first, with the part Pagefind reads (if known).
        self._waiting: dict[str, tuple[SearchPage, str | None]] = {}
        self._runs = IndexRuns()
        self._reader: ThreadPoolExecutor | None = None  # one thread: the runs in order
        self._read: list[Future] = []  # each run's reading

    def expect(self, pages: list[Page]) -> None:
        """The pages about to be rendered: each is given to Pagefind once those before it
        in output-path order (the order of the index) are, so it numbers them in that order
        and `reorder` has nothing to do."""
        indexed = sorted(
            (page.output_path, len(page.body) + PAGE_WORK)
            for page in pages
            if is_indexed(page, self.paths)
        )
        self._order = [output_path for output_path, _ in indexed]
        self._starts = run_starts([work for _, work in indexed]) if self.in_runs else set()

    def offer(self, page: Page, output_path: str, indexed: str | None = None) -> None:
        """A page written to `site`: indexed if search takes it. `indexed`: the part of it
        Pagefind reads, as the render had it (else read back from the file)."""
        if not is_indexed(page, self.paths):
            return
        self._waiting[output_path] = (SearchPage(page.url, output_path, ""), indexed)
        order = self._order
        while self._next < len(order) and order[self._next] in self._waiting:
            self._add(*self._waiting.pop(order[self._next]))
            self._next += 1
        if self._next == len(order):  # pages it did not expect: as they come
            for waiting in self._waiting.values():
                self._add(*waiting)
            self._waiting.clear()

    def _add(self, page: SearchPage, indexed: str | None = None) -> None:
        # A run begins where `run_starts` says, and after a run read already (`finish`).
        if len(self._read) == len(self._sessions) or len(self.fed) in self._starts:
            self._read_run()  # the run before is whole: Pagefind makes its files now
            # Started with the run's first page: after the workers forked.
            self._sessions.append(self._start_session(pagefind_config(self.code)))
        self.fed[pagefind_url(page)] = None
        if indexed is not None:
            self._sessions[-1].add(pagefind_url(page), lambda: indexed)
        else:
            path = self.site / page.output_path
            self._sessions[-1].add(
                pagefind_url(page), lambda: indexed_html(path.read_text("utf-8"))
            )

    def _read_run(self) -> None:
        """Ask the last run's Pagefind for its files, and have them merged once they come
        (once: nothing is done when every run is read already, or none began)."""
        if len(self._read) == len(self._sessions):
            return
        session = self._sessions[-1]
        session.ask_files()
        if self._reader is None:
            from concurrent.futures import ThreadPoolExecutor

            self._reader = ThreadPoolExecutor(1, "search-runs")
        urls = list(self.fed)
        self._read.append(self._reader.submit(self._merge, session, urls))

    def _merge(self, session: IndexingSession, urls: list[str]) -> None:
        if any(read.done() and read.exception() for read in self._read):
            return  # a run before failed: the pages are indexed whole
        self._runs.add(session.files(_is_used), urls)

    def finish(self, pages: list[SearchPage]) -> None:
        """The last page is rendered: give Pagefind those of `pages` it lacks, and have the
        last run's files made and merged now, while the build writes what follows (the
        build's cache, most of all) rather than after."""
        if self._give(pages):
            self._read_run()

    def read(self, pages: list[SearchPage]) -> IndexRuns | None:
        """The index of `pages` (those not given yet are given now), its runs merged but
        numbered in the order given; None when the pages fed are not those to index, or
        Pagefind failed, or the runs could not be read: index them whole then. Raises
        ServiceHung when a Pagefind hung."""
        if not self._give(pages) or not self._sessions:
            self.close()
            return None
        self._read_run()  # unless `finish` did
        try:
            for read in self._read:
                read.result()
        except pagefind_client.ServiceHung:
            self.close()
            raise  # indexed whole, the pages would keep the build waiting as long again
        except Exception:  # the service raises plain Exceptions; CannotPatch, IndexFormatError
            self.close()
            return None
        return self._runs

    def _give(self, pages: list[SearchPage]) -> bool:
        """Give Pagefind the pages it lacks; False when it has one that is not to be indexed."""
        urls = {pagefind_url(page): page for page in pages}
        if not urls.keys() >= self.fed.keys():
            return False
        for url, page in urls.items():
            if url not in self.fed:
                self._add(page)
        return True

    def close(self) -> None:
        """Stop every Pagefind and the reading (any time; a second call does nothing)."""
        for session in self._sessions:
            session.close()
        if self._reader is not None:
            self._reader.shutdown(cancel_futures=True)


def run_starts(work: list[int]) -> set[int]:
    """Where each run after the first begins, as indexes into the pages, given each page's
    work: a run takes half the work left (at least one page, and never the last), until
    what is left is under twice PART_WORK. Pages of one size make runs of half the pages
    left; a site of long pages (code, tables) gets its runs at fewer pages."""
    starts: set[int] = set()
    start, left = 0, sum(work)
    while left >= 2 * PART_WORK and start < len(work) - 1:
        end, taken = start + 1, work[start]
        while end < len(work) - 1 and taken + work[end] <= left / 2:
            taken += work[end]
            end += 1
        starts.add(end)
        start, left = end, left - taken
    return starts


def index_feeder(
    config: SiteConfig, staging: Path, previous: Path | None, enabled: bool, in_runs: bool
) -> IndexFeeder | None:
    """A feeder for a build that will index every page whole through docsite's client:
    search on, no index in the last build's output to reuse or merge into, and a Pagefind
    docsite was written for. `in_runs`: index runs of pages in Pagefinds of their own."""
    if not (enabled and config.search_enabled):
        return None
    if previous is not None and indexed_by_this_engine(read_key(previous)):
        return None  # an index to reuse, or to merge the changed pages into
    if not pagefind_client.installed().patchable or not pagefind_client.binary_available():
        return None
    return IndexFeeder(staging, config.search_code, search_paths(config), in_runs)


def index_built_site(
    pages: list[SearchPage],
    config: SiteConfig,
    output: OutputFolder,
    previous: Path | None,
    report: Report,
    load_state: Callable[[], SearchState | None] | None = None,
    defer: bool = False,
    feeder: IndexFeeder | None = None,
    patcher: Patcher | None = None,
) -> IndexOutcome:
    """The build's one call: index the staged pages (`search_pages` of its records) unless
    the build already failed.
    `load_state` gives the last build's index, which a few changed pages are merged into,
    unless `patcher` merges them elsewhere; `feeder` has had the pages as they were
    rendered."""
    if not config.search_enabled:
        return IndexOutcome("skipped", error="search is turned off in the config")
    if report.errors:
        return IndexOutcome("skipped", error="the build has errors")
    return index_site(
        pages,
        config.search_code,
        output,
        previous,
        report,
        config.file,
        load_state,
        defer,
        feeder,
        patcher,
    )


def index_site(
    pages: list[SearchPage],
    code: bool,
    output: OutputFolder,
    previous: Path | None,
    report: Report,
    config_file: str,
    load_state: Callable[[], SearchState | None] | None = None,
    defer: bool = False,
    feeder: IndexFeeder | None = None,
    patcher: Patcher | None = None,
) -> IndexOutcome:
    """Place pagefind/ in the staging folder: the previous index if no page changed, that
    index with the changed pages merged in if it can be, else a new one (or, with `defer`,
    the previous one until a background re-index)."""
    key = search_key(pages, code)
    old_index = previous / INDEX_DIR if previous is not None else None
    if old_index is not None and read_key(previous) == key and link_tree(old_index, output):
        return IndexOutcome("reused", len(pages))
    if not pagefind_client.binary_available():
        report.warning(config_file, 0, 0, MISSING_BINARY, MISSING_BINARY_HINT)
        return IndexOutcome("unavailable", error="no Pagefind binary")
    # The previous index keeps its key, which names the pages it indexed: the background
    # re-index merges the changed pages into it.
    if defer and old_index is not None and link_tree(old_index, output):
        return IndexOutcome("deferred", len(pages))
    if not pages:
        return IndexOutcome("empty")
    started = time.perf_counter()
    patcher = patcher if feeder is None else None
    state = load_state() if load_state is not None and feeder is None and not patcher else None
    if patcher is not None:  # the folders of the files it keeps, listed while it merges
        output.list_ahead(f"{INDEX_DIR}/{folder}".rstrip("/") for folder in INDEX_FOLDERS)
    try:
        outcome, files, links = merge_or_index(
            state, pages, output.staging, previous, code, feeder=feeder, patcher=patcher, key=key
        )
    except Exception as exc:  # the service raises plain Exceptions
        error = str(exc) or type(exc).__name__
        report.warning(config_file, 0, 0, f"search index not built: {error}")
        return IndexOutcome("failed", error=error)
    place_index(output, files, links, outcome.key, previous)
    outcome.seconds = time.perf_counter() - started
    outcome.files = len(files)
    outcome.bytes = sum(len(data) for data in files.values())
    return outcome


def merge_or_index(
    state: SearchState | None,
    pages: list[SearchPage],
    site: Path,
    previous: Path | None,
    code: bool,
    background: bool = False,
    feeder: IndexFeeder | None = None,
    patcher: Patcher | None = None,
    pause: Callable[[], None] = lambda: None,
    key: str = "",
) -> tuple[IndexOutcome, dict[str, bytes], dict[str, str]]:
    """Merge the changed pages into the last index when it can be done (by `patcher`, if
    given, from the state it read), else index the site whole: the outcome (with the new
    state), the files to write and those to link. `pause`: called between the steps of a
    merge (watch mode's re-index gives way to a change there); `key`: the pages'
    `search_key`, when the caller has it (a hash of every page's URL and digest)."""
    pagefind = pagefind_client.installed()
    why = ""
    if patcher is not None:
        answer = patcher.patch(pages, site)
        if answer.files is not None:
            outcome = IndexOutcome(
                "updated",
                len(pages),
                changed=answer.changed,
                written_state=patcher.written_state,
                key=key or search_key(pages, code),  # the pages as this build wrote them
            )
            return outcome, answer.files, answer.links
        if answer.hung:
            raise pagefind_client.ServiceHung(answer.why)
        why = answer.why
    elif pagefind.patchable and state is not None and previous is not None:
        try:
            files, links, state, changed = patch_index(
                state, pages, site, previous, code, pause=pause
            )
            outcome = IndexOutcome(
                "updated", len(pages), changed=changed, state=state, key=state.key
            )
            return outcome, files, links
        except pagefind_client.ServiceHung:
            raise  # indexing the site whole would wait as long again
        except Exception as exc:  # the cached index is disposable: build the index whole
            why = str(exc) or type(exc).__name__
    indexed, state = full_index(pages, site, code, background, pagefind, feeder)
    outcome = IndexOutcome(
        "indexed", len(pages), error=why, state=state, key=search_key(indexed.pages, code)
    )
    outcome.pagefind_note = pagefind.note() or (UNKNOWN_LAYOUT if state is None else "")
    return outcome, indexed.files, {}


def full_index(
    pages: list[SearchPage],
    site: Path,
    code: bool,
    background: bool = False,
    pagefind: pagefind_client.Pagefind | None = None,
    feeder: IndexFeeder | None = None,
) -> tuple[IndexedPages, SearchState | None]:
    """Index every page with Pagefind: the files of pagefind/ (with the pages as read) and
    the state that lets the next build patch them (None from a Pagefind whose files docsite
    cannot patch: its files are kept as they came). `feeder`: Pagefind has had the pages
    already."""
    # Pagefind's files as data load with the first index read or made: an edit's build
    # has its index patched in a process of its own (docsite.search.aside).
    from docsite.search.index_format import CannotPatch, IndexFormatError, read_parts, reorder

    pagefind = pagefind or pagefind_client.installed()
    urls = [pagefind_url(page) for page in pages]
    runs = feeder.read(pages) if feeder is not None else None
    if runs is not None:
        try:
            reorder(runs.index, urls)
        except CannotPatch:  # data-pagefind-sort: sorted over the whole site
            runs = None
    if runs is None:  # no runs, or runs that cannot be merged: the pages whole
        indexed = pagefind_files(pages, site, code, background, pagefind)
        pages = indexed.pages
        if not pagefind.patchable:
            return indexed, None
        try:
            with collector_paused():  # a million short lists, none of them in a cycle
                runs = read_parts([indexed.files], urls)
        except IndexFormatError:
            return indexed, None  # laid out otherwise: kept as Pagefind wrote them
    index, fragments, files = runs.index, runs.fragments, runs.files
    written = index.write()
    assets = sorted(files)
    for url, data in fragments.items():
        written.files[written.fragment_files[url]] = data
    state = SearchState(
        search_key(pages, code),
        {page.url: page.digest for page in pages},
        index,
        written.fragment_files,
        assets,
        written.hashes,
        search_settings(code),
        engine_digest(),
    )
    return IndexedPages(written.files | files, pages), state


def patch_index(
    state: SearchState,
    pages: list[SearchPage],
    site: Path,
    previous: Path,
    code: bool,
    early: EarlyIndex | None = None,
    present: set[str] | None = None,
    pause: Callable[[], None] = lambda: None,
) -> tuple[dict[str, bytes], dict[str, str], SearchState, int]:
    """Index only the new and changed pages and merge them into `state` (which this
    changes): the files to write, the files to link from the previous index, the new state
    and the number of pages indexed. Raises CannotPatch when the index must be built whole.
    `early`: Pagefind given the changed pages as they were written, if it was; `present`:
    the last index's files (`last_index_files`), if listed already; `pause`: called
    between the steps that take the time."""
    from docsite.search.index_format import CannotPatch, PagefindIndex, read_index  # `full_index`

    if state.engine != engine_digest() or state.settings != search_settings(code):
        raise CannotPatch("the last index was made by another docsite or with other settings")
    if state.key != read_key(previous):
        raise CannotPatch("the cached index is not the one in the site")
    changed = [page for page in pages if state.digests.get(page.url) != page.digest]
    removed = state.digests.keys() - {page.url for page in pages}
    if (len(changed) + len(removed)) * 2 > len(pages):
        raise CannotPatch("most pages changed")
    new, fragments = PagefindIndex(state.index.entry, {}), {}
    if changed:
        files = early.files_for(changed) if early is not None else None
        if files is None:
            indexed = pagefind_files(changed, site, code)
            files, changed = indexed.files, indexed.pages
            as_read = {page.url: page for page in changed}
            pages = [as_read.get(page.url, page) for page in pages]
        new, fragments = read_index(files)
    fresh = {pagefind_url(page) for page in changed}
    pause()
    state.index.update(new, [pagefind_url(page) for page in pages], fresh)
    pause()
    written = state.index.write(kept=state.hashes)
    pause()
    kept = {rel: rel for rel in state.assets + written.kept}  # its path -> the last index's
    for url, rel in written.fragment_files.items():
        if url in fragments:
            written.files[rel] = fragments[url]
        else:
            kept[rel] = state.fragment_files[url]
    present = present if present is not None else last_index_files(previous)
    if not all(old in present for old in kept.values()):
        raise CannotPatch("files of the last index are missing")
    # Paths as strings: a Path made for each of 5,000 fragments took 50 ms of an edit.
    old_index = str(previous / INDEX_DIR)
    links = {rel: f"{old_index}/{old}" for rel, old in kept.items()}
    state.key = search_key(pages, code)
    state.digests = {page.url: page.digest for page in pages}
    state.fragment_files = written.fragment_files
    state.hashes = written.hashes
    return written.files, links, state, len(changed)


def last_index_files(previous: Path) -> set[str]:
    """The files of the index in the site `previous`, as paths in its pagefind/ folder."""
    return files_in(previous / INDEX_DIR)


def pagefind_files(
    pages: list[SearchPage],
    site: Path,
    code: bool,
    background: bool = False,
    pagefind: pagefind_client.Pagefind | None = None,
) -> IndexedPages:
    """Pagefind's index of the pages' HTML as written in `site` now (path in pagefind/ ->
    content), without the search interfaces docsite does not use."""
    pagefind = pagefind or pagefind_client.installed()
    documents, as_read = [], []
    for page in pages:
        indexed = indexed_html((site / page.output_path).read_text(encoding="utf-8"))
        documents.append((pagefind_url(page), indexed))
        found = digest(indexed)
        as_read.append(page if found == page.digest else replace(page, digest=found))
    files = _used(pagefind.index(documents, pagefind_config(code), background))
    return IndexedPages(files, as_read)


def _used(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's files without the search interfaces docsite does not use."""
    return {rel: data for rel, data in files.items() if _is_used(rel)}


def _is_used(path: str) -> bool:
    """Whether a file of Pagefind's is one docsite publishes (not a search interface of its
    own): a run's files are decoded only if so."""
    return not path.startswith(UNUSED_FILES)


class EarlyIndex:
    """Pagefind indexing the pages an edit changed as the build writes them, before the
    build asks for the patch (docsite.search.aside): the patch then waits only for the
    files. Pagefind starts at once, while there is nothing to wait for. Its files stand for
    the changed pages only when it was given those very pages, in any order (the merge
    places each page by its URL); else the patch indexes them itself."""

    def __init__(self, code: bool):
        self._session = pagefind_client.IndexSession(pagefind_config(code))
        self._given: list[tuple[str, str]] = []  # (url, digest), in the order given

    def add(self, page: SearchPage, indexed: str) -> None:
        """A page written, and changed since the last index (`indexed`: the part Pagefind
        reads)."""
        self._session.add(pagefind_url(page), lambda: indexed)
        self._given.append((page.url, page.digest))

    def given(self) -> int:
        """How many pages Pagefind was given."""
        return len(self._given)

    def ask_files(self) -> None:
        """Have Pagefind make the files of the pages given so far, without waiting: the
        build has written every page (`SearchAside.offered`), and lists the pages to index
        before it asks for the patch, which then waits for less."""
        if self._given:
            self._session.ask_files()

    def files_for(self, changed: list[SearchPage]) -> dict[str, bytes] | None:
        """Pagefind's files, if it was given exactly the `changed` pages; else None."""
        from docsite.search.index_format import is_index_file  # as `patch_index` does

        if sorted(self._given) != sorted((page.url, page.digest) for page in changed):
            return None
        return self._session.files(is_index_file)  # the merge reads no other

    def close(self) -> None:
        self._session.close()
