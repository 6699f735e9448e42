"""Full-text search: the rendered pages indexed with Pagefind into site/pagefind/.

The theme marks what is indexed (`data-pagefind-body` on the article, filters for tags and
the section); this module picks the pages, feeds their HTML to Pagefind's service and places
the index through the output folder, hard-linking files that did not change; `search_order`
puts Pagefind's filters in a fixed order, so the same pages always give the same index. The
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
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from docsite.cache import PageRecord, digest
from docsite.config import SiteConfig
from docsite.diagnostics import Report
from docsite.output import OutputFolder
from docsite.pages import Page, SiteContent
from docsite.search_order import sort_filters

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
    html_digest: str


@dataclass
class IndexOutcome:
    status: str  # "indexed", "reused", "deferred", "unavailable", "failed" or "empty"
    pages: int = 0
    seconds: float = 0.0
    files: int = 0
    bytes: int = 0
    error: str = ""

    def note(self) -> str:
        if self.status == "indexed":
            return (
                f"search: indexed {self.pages} pages in {self.seconds:.2f} s "
                f"({self.files} files, {self.bytes / 1024:.0f} KB)"
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
        if record is not None and record.html_digest and is_searchable(page):
            found.append(SearchPage(page.url, page.output_path, record.html_digest))
    return sorted(found, key=lambda p: p.output_path)


def pagefind_config(code: bool) -> dict:
    excluded = list(IGNORED_SELECTORS) + ([] if code else ["pre"])
    return {"root_selector": "html", "exclude_selectors": excluded}


def index_key(pages: list[SearchPage], code: bool) -> str:
    return digest(SEARCH_VERSION, code, [(p.url, p.html_digest) for p in pages])


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
    defer: bool = False,
) -> IndexOutcome:
    """The build's one call: index the staged pages unless the build already failed."""
    if not config.search_enabled:
        return IndexOutcome("skipped", error="search is turned off in the config")
    if report.errors:
        return IndexOutcome("skipped", error="the build has errors")
    pages = search_pages(site.pages, records)
    return index_site(pages, config.search_code, output, previous, report, config.file, defer)


def index_site(
    pages: list[SearchPage],
    code: bool,
    output: OutputFolder,
    previous: Path | None,
    report: Report,
    config_file: str,
    defer: bool = False,
) -> IndexOutcome:
    """Place pagefind/ in the staging folder: the previous index if no page changed,
    else a new one (or, with `defer`, the previous one until a background re-index)."""
    key = index_key(pages, code)
    old_index = previous / INDEX_DIR if previous is not None else None
    if old_index is not None and _read_key(previous) == key and _link_tree(old_index, output):
        return IndexOutcome("reused", len(pages))
    if not binary_available():
        report.warning(config_file, 0, 0, MISSING_BINARY, MISSING_BINARY_HINT)
        return IndexOutcome("unavailable", error="no Pagefind binary")
    if defer and old_index is not None and _link_tree(old_index, output, skip=KEY_FILE):
        return IndexOutcome("deferred", len(pages))
    if not pages:
        return IndexOutcome("empty")
    outcome, built = build_index(pages, output.staging, code)
    if built is None:
        report.warning(config_file, 0, 0, f"search index not built: {outcome.error}")
        return outcome
    try:
        for rel in sorted(_files(built)):
            _place(built / rel, INDEX_DIR + "/" + rel, output, previous)
        output.write_text(KEY_FILE, key + "\n")
    finally:
        shutil.rmtree(built.parent, ignore_errors=True)
    return outcome


def build_index(
    pages: list[SearchPage], site: Path, code: bool, background: bool = False
) -> tuple[IndexOutcome, Path | None]:
    """Index the pages' HTML as written in `site`; returns the folder of index files (in a
    temporary folder beside `site`, for the caller to place and remove) or None on failure."""
    started = time.perf_counter()
    try:
        # In a thread of its own: the caller may be running an event loop already.
        with concurrent.futures.ThreadPoolExecutor(1, "pagefind") as pool:
            run = _run_pagefind(pages, site, code, background)
            count, files = pool.submit(asyncio.run, run).result()
        # Pagefind writes its filters in a different order on every run.
        files = sort_filters({r: d for r, d in files.items() if not r.startswith(UNUSED_FILES)})
    except Exception as exc:  # the service raises plain Exceptions, sort_filters IndexFormatError
        return IndexOutcome("failed", error=str(exc) or type(exc).__name__), None
    target = Path(tempfile.mkdtemp(prefix=".search-", dir=site.parent)) / INDEX_DIR
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    size = sum(len(data) for data in files.values())
    seconds = time.perf_counter() - started
    return IndexOutcome("indexed", count, seconds, len(files), size), target


async def _run_pagefind(
    pages: list[SearchPage], site: Path, code: bool, background: bool = False
) -> tuple[int, dict[str, bytes]]:
    """The number of pages indexed and the index files (path in pagefind/ -> content)."""
    service = await _prompt_service().launch()
    if background and hasattr(os, "setpriority"):
        # Watch mode indexes while the writer keeps saving: page renders come first.
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, service._backend.pid, 10)
    try:
        index = await service.create_index(pagefind_config(code))
        # Pagefind's URLs are absolute; search.js resolves them against the site's root.
        added = await asyncio.gather(
            *(
                index.add_html_file(
                    content=indexed_html((site / page.output_path).read_text(encoding="utf-8")),
                    url="/" + page.url,
                )
                for page in pages
            )
        )
        # Not write_files: Pagefind answers it before all its writes have reached the disk.
        files = await index.get_files()
    finally:
        await service.close()
    return len(added), {file["path"]: file["content"] for file in files}


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


def _link_tree(folder: Path, output: OutputFolder, skip: str = "") -> bool:
    """Hard-link a previous build's pagefind/ into the staging folder."""
    if not folder.is_dir():
        return False
    for rel in _files(folder):
        name = INDEX_DIR + "/" + rel
        if name != skip and not output.link_from(folder / rel, name):
            output.copy_file(folder / rel, name)
    return True


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _place(built: Path, rel: str, output: OutputFolder, previous: Path | None) -> None:
    """Move a new index file into staging, or link the previous build's identical one."""
    if (
        previous is not None
        and _same_file(previous / rel, built)
        and output.link_from(previous / rel, rel)
    ):
        return
    path = output.staging / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(built, path)
    output.placed.add(rel)


# Watch mode ---------------------------------------------------------------------------


def refresh_index(
    pages: list[SearchPage], site: Path, code: bool, lock: threading.Lock | None = None
) -> IndexOutcome:
    """Re-index a served folder in place: new files first, then the entry file that names
    them (atomically), then the files no longer named. `lock` is held while files move."""
    key = index_key(pages, code)
    if _read_key(site) == key:
        return IndexOutcome("reused", len(pages))
    if not binary_available():
        return IndexOutcome("unavailable", error="no Pagefind binary")
    outcome, built = build_index(pages, site, code, background=True)
    if built is None:
        return outcome
    target = site / INDEX_DIR
    try:
        with lock or contextlib.nullcontext():
            _swap_in(built, target, key)
    finally:
        shutil.rmtree(built.parent, ignore_errors=True)
    return outcome


def _swap_in(built: Path, target: Path, key: str) -> None:
    key_file = target / KEY_FILE.partition("/")[2]
    with contextlib.suppress(OSError):
        key_file.unlink()  # until the swap is done, the index is not current
    old = set(_files(target))
    new = _files(built)
    for rel in sorted(new, key=lambda r: r == "pagefind-entry.json"):
        path = target / rel
        if rel in old and _same_file(path, built / rel):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(built / rel, path)
    for rel in old - set(new):
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
                self.last = refresh_index(*job, lock=self.lock)
            except Exception as exc:  # a failed re-index must not end watch mode
                self.last = IndexOutcome("failed", error=str(exc))
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()
            if self.done is not None:
                self.done(self.last)
