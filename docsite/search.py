"""Full-text search: the rendered pages indexed with Pagefind into site/pagefind/.

The theme marks what is indexed (`data-pagefind-body` on the article, filters for tags and
the section); this module picks the pages, feeds their HTML to Pagefind's service and places
the index through the output folder, hard-linking files that did not change; `search_index`
writes Pagefind's files in a fixed order, so the same pages always give the same index. The
index is keyed on the pages' HTML digests, so a build that changed no page reuses it.
In watch mode the build keeps the last index and `BackgroundIndexer` rebuilds it in a thread.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from docsite.cache import CACHE_VERSION, PageRecord, collector_paused, digest, engine_digest
from docsite.config import SiteConfig
from docsite.diagnostics import Report
from docsite.output import OutputFolder
from docsite.pages import Page, SiteContent
from docsite.search_index import (
    ENTRY_FILE,
    CannotPatch,
    PagefindIndex,
    read_index,
)

# The docsite.yml setting that turns indexing of code blocks off: `search: { code: false }`.
# config.py does not read it yet; until it does, code blocks are indexed (the default).
INDEX_DIR = "pagefind"
# Written last: it names the index that pagefind/ holds (not served: a dotfile).
KEY_FILE = INDEX_DIR + "/.docsite-key"
# Bump when what is fed to Pagefind changes, so every site re-indexes once.
SEARCH_VERSION = "1"
# Never indexed, even if a site has such a page.
NOT_FOUND_PATHS = frozenset({"404.html", "404/index.html"})
# Parts of the article that are not content.
IGNORED_SELECTORS = (".header-anchor", ".copy-button")
# Pagefind's own search interfaces: docsite's search box replaces them.
UNUSED_FILES = (
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
)
MISSING_BINARY = "search is unavailable: the Pagefind binary was not found"
MISSING_BINARY_HINT = "install it with: python -m pip install 'pagefind[bin]'"


@dataclass
class SearchPage:
    """What indexing needs of a page, copied so a background thread can use it."""

    url: str  # site-relative, '' for home
    output_path: str
    digest: str  # of the part Pagefind reads (`indexed_html`)


@dataclass
class SearchState:
    """The index a build wrote, kept in the cache so the next build patches it."""

    key: str  # the index_key it was written for
    digests: dict[str, str]  # URL -> digest of what was indexed, in page order
    index: PagefindIndex
    fragment_files: dict[str, str]  # URL -> its fragment file in pagefind/
    assets: list[str]  # Pagefind's script and wasm files in pagefind/
    hashes: dict[str, str]  # SHA-1 of the other files' contents (index.write)
    settings: tuple  # what indexing was asked for (index_settings)
    engine: str  # the docsite code that wrote it (engine_digest)
    version: str = CACHE_VERSION


@dataclass
class IndexOutcome:
    status: str  # "indexed", "updated", "reused", "deferred", "unavailable", "failed", "empty"
    pages: int = 0
    seconds: float = 0.0
    files: int = 0
    bytes: int = 0
    error: str = ""
    changed: int = 0  # pages re-indexed, when "updated"
    state: SearchState | None = None  # for the cache, once the build is committed

    def note(self) -> str:
        if self.status == "indexed":
            return (
                f"search: indexed {self.pages} pages in {self.seconds:.2f} s "
                f"({self.files} files, {self.bytes / 1024:.0f} KB)"
                + (f"; the last index was not updated: {self.error}" if self.error else "")
            )
        if self.status == "updated":
            return (
                f"search: re-indexed {self.changed} of {self.pages} pages in "
                f"{self.seconds:.2f} s ({self.files} files written)"
            )
        return f"search: index {self.status}" + (f" ({self.error})" if self.error else "")


def is_searchable(page: Page) -> bool:
    """Hidden pages, redirects and the 404 page stay out of the index."""
    settings = page.settings
    return (
        settings.visibility != "hidden"
        and not settings.redirect
        and page.output_path not in NOT_FOUND_PATHS
    )


def search_pages(pages: Iterable[Page], records: dict[str, PageRecord]) -> list[SearchPage]:
    found = []
    for page in pages:
        record = records.get(page.source.rel)
        if record is not None and record.search_digest and is_searchable(page):
            found.append(SearchPage(page.url, page.output_path, record.search_digest))
    return sorted(found, key=lambda p: p.output_path)


def pagefind_config(code: bool) -> dict:
    excluded = list(IGNORED_SELECTORS) + ([] if code else ["pre"])
    return {"root_selector": "html", "exclude_selectors": excluded}


def index_settings(code: bool) -> tuple:
    """Everything besides the pages that decides what the index holds."""
    return (SEARCH_VERSION, code)


def index_key(pages: list[SearchPage], code: bool) -> str:
    return digest(index_settings(code), [(p.url, p.digest) for p in pages])


def binary_available() -> bool:
    try:
        from pagefind.service import get_executable
    except ImportError:
        return False
    executable = get_executable()
    return executable is not None and executable.is_file()


def index_built_site(
    site: SiteContent,
    records: dict[str, PageRecord],
    config: SiteConfig,
    output: OutputFolder,
    previous: Path | None,
    report: Report,
    load_state: Callable[[], SearchState | None] | None = None,
    defer: bool = False,
) -> IndexOutcome:
    """The build's one call: index the staged pages unless the build already failed.
    `load_state` gives the last build's index, which a few changed pages are merged into."""
    if not config.search_enabled:
        return IndexOutcome("skipped", error="search is turned off in the config")
    if report.errors:
        return IndexOutcome("skipped", error="the build has errors")
    pages = search_pages(site.pages, records)
    return index_site(
        pages, config.search_code, output, previous, report, config.file, load_state, defer
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
) -> IndexOutcome:
    """Place pagefind/ in the staging folder: the previous index if no page changed, that
    index with the changed pages merged in if it can be, else a new one (or, with `defer`,
    the previous one until a background re-index)."""
    key = index_key(pages, code)
    old_index = previous / INDEX_DIR if previous is not None else None
    if old_index is not None and _read_key(previous) == key and _link_tree(old_index, output):
        return IndexOutcome("reused", len(pages))
    if not binary_available():
        report.warning(config_file, 0, 0, MISSING_BINARY, MISSING_BINARY_HINT)
        return IndexOutcome("unavailable", error="no Pagefind binary")
    # The previous index keeps its key, which names the pages it indexed: the background
    # re-index merges the changed pages into it.
    if defer and old_index is not None and _link_tree(old_index, output):
        return IndexOutcome("deferred", len(pages))
    if not pages:
        return IndexOutcome("empty")
    started = time.perf_counter()
    state = load_state() if load_state is not None else None
    try:
        outcome, files, links = _merge_or_index(state, pages, output.staging, previous, code)
    except Exception as exc:  # the service raises plain Exceptions
        error = str(exc) or type(exc).__name__
        report.warning(config_file, 0, 0, f"search index not built: {error}")
        return IndexOutcome("failed", error=error)
    for rel, data in sorted(files.items()):
        output.write_bytes(INDEX_DIR + "/" + rel, data, previous)
    for rel, source in sorted(links.items()):
        if not output.link_from(source, INDEX_DIR + "/" + rel):
            output.copy_file(source, INDEX_DIR + "/" + rel)
    output.write_text(KEY_FILE, key + "\n")
    outcome.seconds = time.perf_counter() - started
    outcome.files = len(files)
    outcome.bytes = sum(len(data) for data in files.values())
    return outcome


def _merge_or_index(
    state: SearchState | None,
    pages: list[SearchPage],
    site: Path,
    previous: Path | None,
    code: bool,
    background: bool = False,
) -> tuple[IndexOutcome, dict[str, bytes], dict[str, Path]]:
    """Merge the changed pages into the last index when it can be done, else index the
    site whole: the outcome (with the new state), the files to write and those to link."""
    why = ""
    if state is not None and previous is not None:
        try:
            files, links, state, changed = patch_index(state, pages, site, previous, code)
            return IndexOutcome("updated", len(pages), changed=changed, state=state), files, links
        except Exception as exc:  # the cached index is disposable: build the index whole
            why = str(exc) or type(exc).__name__
    files, state = full_index(pages, site, code, background)
    return IndexOutcome("indexed", len(pages), error=why, state=state), files, {}


def full_index(
    pages: list[SearchPage], site: Path, code: bool, background: bool = False
) -> tuple[dict[str, bytes], SearchState]:
    """Index every page with Pagefind: the files of pagefind/ and the state that lets the
    next build patch them."""
    files = pagefind_files(pages, site, code, background)
    with collector_paused():  # a million short lists, none of them in a cycle
        index, fragments = read_index(files)  # takes the index's files out of `files`
    written = index.write()
    assets = sorted(files)
    for url, data in fragments.items():
        written.files[written.fragment_files[url]] = data
    state = SearchState(
        index_key(pages, code),
        {page.url: page.digest for page in pages},
        index,
        written.fragment_files,
        assets,
        written.hashes,
        index_settings(code),
        engine_digest(),
    )
    return written.files | files, state


def patch_index(
    state: SearchState, pages: list[SearchPage], site: Path, previous: Path, code: bool
) -> tuple[dict[str, bytes], dict[str, Path], SearchState, int]:
    """Index only the new and changed pages and merge them into `state` (which this
    changes): the files to write, the files to link from the previous index, the new state
    and the number of pages indexed. Raises CannotPatch when the index must be built whole."""
    if state.engine != engine_digest() or state.settings != index_settings(code):
        raise CannotPatch("the last index was made by another docsite or with other settings")
    if state.key != _read_key(previous):
        raise CannotPatch("the cached index is not the one in the site")
    changed = [page for page in pages if state.digests.get(page.url) != page.digest]
    removed = state.digests.keys() - {page.url for page in pages}
    if (len(changed) + len(removed)) * 2 > len(pages):
        raise CannotPatch("most pages changed")
    new, fragments = PagefindIndex(state.index.entry, {}), {}
    if changed:
        new, fragments = read_index(pagefind_files(changed, site, code))
    fresh = {pagefind_url(page) for page in changed}
    state.index.update(new, [pagefind_url(page) for page in pages], fresh)
    old_index = previous / INDEX_DIR
    written = state.index.write(kept=state.hashes)
    links = {rel: old_index / rel for rel in state.assets + written.kept}
    for url, rel in written.fragment_files.items():
        if url in fragments:
            written.files[rel] = fragments[url]
        else:
            links[rel] = old_index / state.fragment_files[url]
    if not all(os.path.isfile(source) for source in links.values()):
        raise CannotPatch("files of the last index are missing")
    state.key = index_key(pages, code)
    state.digests = {page.url: page.digest for page in pages}
    state.fragment_files = written.fragment_files
    state.hashes = written.hashes
    return written.files, links, state, len(changed)


def pagefind_url(page: SearchPage) -> str:
    """The URL Pagefind knows a page by: absolute, resolved by search.js against the site's
    root."""
    return "/" + page.url


def pagefind_files(
    pages: list[SearchPage], site: Path, code: bool, background: bool = False
) -> dict[str, bytes]:
    """Pagefind's index of the pages' HTML as written in `site` (path in pagefind/ ->
    content), without the search interfaces docsite does not use."""
    # In a thread of its own: the caller may be running an event loop already.
    with concurrent.futures.ThreadPoolExecutor(1, "pagefind") as pool:
        run = _run_pagefind(pages, site, code, background)
        files = pool.submit(asyncio.run, run).result()
    return {rel: data for rel, data in files.items() if not rel.startswith(UNUSED_FILES)}


async def _run_pagefind(
    pages: list[SearchPage], site: Path, code: bool, background: bool = False
) -> dict[str, bytes]:
    """The index files (path in pagefind/ -> content)."""
    service = await _prompt_service().launch()
    if background and hasattr(os, "setpriority"):
        # Watch mode indexes while the writer keeps saving: page renders come first.
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, service._backend.pid, 10)
    try:
        index = await service.create_index(pagefind_config(code))
        await asyncio.gather(
            *(
                index.add_html_file(
                    content=indexed_html((site / page.output_path).read_text(encoding="utf-8")),
                    url=pagefind_url(page),
                )
                for page in pages
            )
        )
        # Not write_files: Pagefind answers it before all its writes have reached the disk.
        files = await index.get_files()
    finally:
        await service.close()
    return {file["path"]: file["content"] for file in files}


def indexed_html(html: str) -> str:
    """The part of a page that Pagefind reads: the <html> tag (for the language) and the
    element marked data-pagefind-body. Leaving out the sidebar makes indexing 4x faster."""
    marker = html.find(" data-pagefind-body")
    start = html.rfind("<", 0, marker)
    html_tag = html.find("<html")
    if marker < 0 or start < 0 or html_tag < 0:
        return html
    tag = html[start + 1 : marker].split(maxsplit=1)[0]
    end = html.rfind(f"</{tag}>")
    end = end + len(tag) + 3 if end > start else len(html)
    opening = html[html_tag : html.index(">", html_tag) + 1]
    return opening + "<body>" + html[start:end] + "</body></html>"


def _prompt_service():
    """Pagefind's service client, reading each answer as soon as it arrives, whatever its
    size: the stock one sleeps 0.1 s before every read (0.1 s per indexed page) and cannot
    read an answer over its 2 MiB line limit (the index files of a large site)."""
    from pagefind.service import PagefindService

    class PromptService(PagefindService):
        async def _wait_for_responses(self) -> None:
            assert self._backend.stdout is not None
            received = bytearray()
            while chunk := await self._backend.stdout.read(1 << 20):
                start = len(received)  # what came before holds no comma
                received += chunk
                end = received.find(b",", start)
                while end >= 0:
                    self._answer(bytes(received[:end]))
                    del received[: end + 1]
                    end = received.find(b",")
            for future in self._responses.values():  # Pagefind has stopped
                if not future.done():
                    future.set_exception(Exception("Pagefind stopped without an answer"))

        def _answer(self, message: bytes) -> None:
            response = json.loads(base64.b64decode(message))
            if response is None:
                return
            payload = response["payload"]
            message_id = response.get("message_id")
            if message_id is None and payload.get("original_message"):
                message_id = json.loads(payload["original_message"]).get("message_id")
            future = self._responses.get(message_id)
            if future is None or future.done():
                return
            if payload["type"] == "Error":
                future.set_exception(Exception(payload["message"]))
            else:
                future.set_result(payload)

    return PromptService()


def _files(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]


def _read_key(site: Path) -> str:
    try:
        return (site / KEY_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _link_tree(folder: Path, output: OutputFolder) -> bool:
    """Hard-link a previous build's pagefind/ into the staging folder."""
    if not folder.is_dir():
        return False
    for rel in _files(folder):
        name = INDEX_DIR + "/" + rel
        if not output.link_from(folder / rel, name):
            output.copy_file(folder / rel, name)
    return True


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


# Watch mode ---------------------------------------------------------------------------


def refresh_index(
    pages: list[SearchPage],
    site: Path,
    code: bool,
    lock: threading.Lock | None = None,
    state: SearchState | None = None,
) -> IndexOutcome:
    """Re-index a served folder in place: new files first, then the entry file that names
    them (atomically), then the files no longer named. `lock` is held while files move.
    `state` describes the served index; the outcome carries the new one."""
    key = index_key(pages, code)
    if _read_key(site) == key:
        return IndexOutcome("reused", len(pages), state=state)
    if not binary_available():
        return IndexOutcome("unavailable", error="no Pagefind binary")
    started = time.perf_counter()
    target = site / INDEX_DIR
    try:
        outcome, files, links = _merge_or_index(state, pages, site, site, code, background=True)
    except Exception as exc:  # the service raises plain Exceptions
        return IndexOutcome("failed", error=str(exc) or type(exc).__name__)
    for rel, source in links.items():
        if source != target / rel:  # a fragment renamed: its bytes move
            files[rel] = source.read_bytes()
    with lock or contextlib.nullcontext():
        _swap_in(files, target, key, keep=set(links))
    outcome.seconds = time.perf_counter() - started
    outcome.files = len(files)
    outcome.bytes = sum(len(data) for data in files.values())
    return outcome


def _swap_in(files: dict[str, bytes], target: Path, key: str, keep: set[str]) -> None:
    """Write `files` into `target` and delete its other files but those in `keep`."""
    key_file = target / KEY_FILE.partition("/")[2]
    with contextlib.suppress(OSError):
        key_file.unlink()  # until the swap is done, the index is not current
    old = set(_files(target))
    for rel in sorted(files, key=lambda r: r == ENTRY_FILE):
        path = target / rel
        if rel in old and _same_bytes(path, files[rel]):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        temporary.write_bytes(files[rel])
        os.replace(temporary, path)
    for rel in old - set(files) - keep:
        with contextlib.suppress(OSError):
            (target / rel).unlink()
    key_file.write_text(key + "\n", encoding="utf-8")


class BackgroundIndexer:
    """Re-indexes the served site in a thread once changes have settled for `quiet` seconds.

    `schedule` is cheap (it compares digests); the work never delays a page reload."""

    def __init__(
        self,
        quiet: float = 0.6,
        lock: threading.Lock | None = None,
        done: Callable[[IndexOutcome], None] | None = None,
    ):
        self.quiet = quiet
        self.lock = lock or threading.Lock()  # held while files in pagefind/ are replaced
        self.done = done
        self._job: tuple[list[SearchPage], Path, bool] | None = None
        self._due = 0.0
        self._wake = threading.Condition()
        self._stopped = False
        self._busy = False
        self._thread: threading.Thread | None = None
        self.last: IndexOutcome | None = None
        # The served index as data: a re-index merges the changed pages into it.
        self.state: SearchState | None = None

    def schedule(self, pages: list[SearchPage], site: Path, code: bool) -> bool:
        """Ask for a re-index; False when the served index is already current."""
        if _read_key(site) == index_key(pages, code):
            return False
        with self._wake:
            self._job = (pages, site, code)
            self._due = time.monotonic() + self.quiet
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="search-index", daemon=True)
                self._thread.start()
            self._wake.notify_all()
        return True

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
            assert job is not None
            try:
                self.last = refresh_index(*job, lock=self.lock, state=self.state)
                self.state = self.last.state
            except Exception as exc:  # a failed re-index must not end watch mode
                self.last = IndexOutcome("failed", error=str(exc))
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()
            if self.done is not None:
                self.done(self.last)
