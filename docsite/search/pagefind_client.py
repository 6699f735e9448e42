"""Running Pagefind: docsite's own client of its service on the versions docsite was
written for, Pagefind's stock Python client on any other.

docsite's client (`_Service`) speaks Pagefind's service protocol (`pagefind --service`, each
message base64-encoded JSON and a comma, over the process's stdin and stdout) from two plain
threads: one writes the requests in order, one reads each answer as soon as it arrives. No
event loop, nothing formatted for a debug log, no limit on an answer's size: the stock client
sleeps 0.1 s before each read and cannot read an answer over 2 MiB (the index files of a large
site). The protocol is no public promise, nor is the layout of the index files index_format
reads and patches: both were written for, and checked against, the versions in WRITTEN_FOR.
With any other version, `Pagefind.index` uses the stock client as Pagefind documents it, and
`patchable` is False: the site is indexed whole every time, after the last page is written
(`IndexSession`, which gives Pagefind pages while the build renders them, runs only on
docsite's client). Every use of Pagefind's private parts is in this module.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import importlib
import importlib.util
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from docsite.libraries import installed_version as installed_version_beside

if TYPE_CHECKING:
    # Loaded where Pagefind runs: a build that patches its index does that in a process of
    # its own (docsite.search.aside), which loads it there, off the build's way (4 ms).
    import concurrent.futures

# The Pagefind versions (of the `pagefind` package; pagefind[bin] brings the binary of the same
# version) that docsite's client and index_format were checked against.
WRITTEN_FOR = frozenset({"1.5.2"})

# The file that names the index's other files (in pagefind/), which the search box reads first.
ENTRY_FILE = "pagefind-entry.json"

# How long Pagefind may take to end once told to; the stock client waits up to 5 s for
# answers still due.
CLOSE_SECONDS = 10.0

# How long Pagefind may owe answers without a word before it is ended as hung: a minute, plus
# time for each page given, since it makes a site's index files without a word (about 0.35 s
# for 1,000 pages on one core). A hung Pagefind would otherwise hold the build for ever.
SILENT_SECONDS = 60.0
SILENT_SECONDS_PER_PAGE = 0.01
# Pagefind's stock client takes 0.1 s per page of its own (it sleeps before each read).
STOCK_SECONDS_PER_PAGE = 0.5

T = TypeVar("T")
Request = dict | Callable[[], dict]  # a payload, or what makes it in the writer's thread


class ClientStopped(RuntimeError):
    """Pagefind's stock client stopped reading before it had all its answers."""


class ServiceStopped(RuntimeError):
    """Pagefind ended, or was ended, before it answered."""


class ServiceHung(ServiceStopped):
    """Pagefind said nothing for longer than it may (SILENT_SECONDS), and was ended: indexing
    the same pages again would wait as long."""


class ServiceError(RuntimeError):
    """Pagefind answered a request with an error."""


PACKAGE = "pagefind"


def installed_version() -> str:
    """The installed Pagefind's version, "" when it is not installed as a package. Read from
    the name of the `.dist-info` folder beside the package Python imports, which a wheel's
    installer names `pagefind-<version>.dist-info` (`libraries.installed_version`); through
    importlib.metadata (about 20 ms to import, in every build that indexes) only where there
    is not one such folder."""
    version = installed_version_beside(PACKAGE, PACKAGE)
    if version is not None:
        return version
    from importlib import metadata

    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return ""


# The packages that carry Pagefind's binary, in the order Pagefind's own client looks.
BINARY_PACKAGES = ("pagefind_bin_extended", "pagefind_bin")


def _executable() -> str | None:
    """Pagefind's binary, found as its Python client finds it (`PAGEFIND_BINARY_PATH`, the
    binary packages, then PATH), without importing that client: it imports asyncio and ssl,
    12 ms of every build."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named is not None:
        return named if os.path.isfile(named) else None
    for package in BINARY_PACKAGES:
        try:
            found = importlib.import_module(package).get_executable()
        except (ImportError, OSError):  # not installed, or its binary is missing
            continue
        return str(found) if found.is_file() else None
    return shutil.which("pagefind_extended") or shutil.which("pagefind")


def binary_available() -> bool:
    return _executable() is not None


@dataclass(frozen=True)
class Pagefind:
    """The installed Pagefind, and whether docsite may rely on its internals."""

    version: str

    @property
    def patchable(self) -> bool:
        """Docsite's client and its patching of the index files were written for this
        version: a build may index only the changed pages and merge them in."""
        return self.version in WRITTEN_FOR

    def note(self) -> str:
        """What the build's notes say of the Pagefind used: nothing on a version docsite was
        written for."""
        if self.patchable:
            return ""
        known = ", ".join(sorted(WRITTEN_FOR))
        return (
            f"Pagefind {self.version or '(version unknown)'}: whole index "
            f"(docsite's incremental index supports {known})"
        )

    def index(
        self, documents: list[tuple[str, str]], config: dict, background: bool = False
    ) -> dict[str, bytes]:
        """Pagefind's files (path in pagefind/ -> content) for `documents` (URL, HTML)."""
        if self.patchable:
            session = IndexSession(config, background)
            for url, html in documents:
                session.add(url, lambda html=html: html)
            return session.files()
        import asyncio  # the stock client's; `background` is not seen: it gives no handle
        import concurrent.futures

        # In a thread of its own: the caller may be running an event loop already.
        with concurrent.futures.ThreadPoolExecutor(1, "pagefind") as pool:
            return pool.submit(asyncio.run, _run_stock(documents, config)).result()


def installed() -> Pagefind:
    return Pagefind(installed_version())


class _Service:
    """One `pagefind --service` process. `send` queues a request and returns at once; the
    writer thread sends the requests in order (a request given as a function is made there,
    and may wait for earlier answers), the reader thread settles each answer's future. When
    Pagefind ends, every answer still due fails with ServiceStopped. A third thread ends a
    Pagefind that owes answers and has said nothing for longer than `patience` (ServiceHung)."""

    def __init__(self, background: bool = False):
        from concurrent.futures import Future  # with the first Pagefind: see TYPE_CHECKING

        self._answer_class = Future  # each request's, made in `send`
        self._due: dict[int, concurrent.futures.Future] = {}  # by message number
        self._stopped = False  # Pagefind's answers ended
        self._closed = False  # `close` was called: nothing more is sent
        self._why = "Pagefind was ended before this request"  # what a request sent then gets
        self._heard = time.monotonic()  # its last answer, or the request owed first after none
        self._hung = ""  # why `_watch` ended it
        self._lock = threading.Lock()  # those six, between the threads
        # How long it may owe answers without a word; IndexSession adds time for each page.
        self.patience = SILENT_SECONDS
        self._ended = threading.Event()  # its answers ended: the watch is over
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self.process = self._launch(background)
        if self.process is None:  # every request fails, as if Pagefind had ended at once
            self._stopped = self._closed = True
            return
        self._writer = threading.Thread(target=self._write, name="pagefind-writer", daemon=True)
        self._reader = threading.Thread(target=self._read, name="pagefind-reader", daemon=True)
        self._watcher = threading.Thread(target=self._watch, name="pagefind-watch", daemon=True)
        self._writer.start()
        self._reader.start()
        self._watcher.start()

    def _launch(self, background: bool) -> subprocess.Popen | None:
        executable = _executable()
        try:
            if executable is None:
                raise FileNotFoundError("its binary is not installed")
            process = subprocess.Popen(
                [executable, "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as error:
            self._why = f"Pagefind could not start: {error}"
            return None
        if background and hasattr(os, "setpriority"):
            # Watch mode indexes while the writer keeps saving: page renders come first.
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, process.pid, 10)
        return process

    def send(self, request: Request) -> concurrent.futures.Future:
        answer: concurrent.futures.Future = self._answer_class()
        with self._lock:  # never queued after `close`'s end of the queue
            if not self._closed:
                self._outbox.put((request, answer))
                return answer
        answer.set_exception(ServiceStopped(self._why))
        return answer

    def _write(self) -> None:
        assert self.process is not None
        stdin = self.process.stdin
        assert stdin is not None
        number = 0
        while (item := self._outbox.get()) is not None:
            request, answer = item
            if not answer.set_running_or_notify_cancel():
                continue
            sent = None
            try:
                payload = request() if callable(request) else request
                with self._lock:
                    if self._stopped:
                        raise ServiceStopped("Pagefind ended before this request")
                    number += 1
                    if not self._due:  # its silence counts from now
                        self._heard = time.monotonic()
                    self._due[number] = answer
                sent = number
                message = json.dumps({"message_id": number, "payload": payload})
                try:
                    stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
                    stdin.flush()
                except OSError as error:  # its end of the pipe is closed
                    raise ServiceStopped(f"Pagefind ended: {error}") from None
            except BaseException as error:  # whoever waits for the answer gets it
                if sent is not None:  # unless the reader has settled it (who takes it settles it)
                    with self._lock:
                        if self._due.pop(sent, None) is None:
                            continue
                answer.set_exception(error)
        with contextlib.suppress(OSError):
            stdin.close()

    def _read(self) -> None:
        assert self.process is not None
        stdout = self.process.stdout
        assert stdout is not None
        received = bytearray()
        with contextlib.suppress(OSError, ValueError):  # the pipe closed under it
            while chunk := stdout.read1(1 << 20):
                self._heard = time.monotonic()
                start = len(received)  # what came before holds no comma
                received += chunk
                end = received.find(b",", start)
                while end >= 0:
                    self._answer(bytes(received[:end]))
                    del received[: end + 1]
                    end = received.find(b",")
        self._stop()

    def _answer(self, message: bytes) -> None:
        response = json.loads(base64.b64decode(message))
        if response is None:
            return
        payload = response["payload"]
        number = response.get("message_id")
        if number is None and payload.get("original_message"):
            # A message Pagefind could not read: its number is in the copy it sends back.
            number = json.loads(payload["original_message"]).get("message_id")
        with self._lock:
            answer = self._due.pop(number, None)
        if answer is None:
            return
        if payload.get("type") == "Error":
            answer.set_exception(ServiceError(payload.get("message", "Pagefind failed")))
        else:
            answer.set_result(payload)

    def _watch(self) -> None:
        """End Pagefind when it owes answers and has said nothing for longer than its
        `patience`: the reader then fails what is due (ServiceHung)."""
        assert self.process is not None
        while not self._ended.wait(min(1.0, self.patience / 4)):
            with self._lock:
                silent = time.monotonic() - self._heard if self._due else 0.0
                if silent <= self.patience:
                    continue
                self._hung = f"Pagefind gave no answer for {silent:.0f} s, and was ended"
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()  # not terminate: a stopped process ignores it
            return

    def _stop(self) -> None:
        with self._lock:
            self._stopped = True
            due, self._due = list(self._due.values()), {}
            hung = self._hung
        self._ended.set()
        for answer in due:
            answer.set_exception(
                ServiceHung(hung) if hung else ServiceStopped("Pagefind stopped without an answer")
            )

    def close(self) -> None:
        """End Pagefind and its threads (once, from any thread)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._outbox.put(None)
        assert self.process is not None  # one that never started is closed from the start
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.terminate()
        try:
            self.process.wait(CLOSE_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join()
        self._writer.join()
        self._watcher.join()
        assert self.process.stdout is not None
        self.process.stdout.close()


def _index_id(created: concurrent.futures.Future) -> int:
    return created.result()["index_id"]


def _files_request(
    created: concurrent.futures.Future, added: list[concurrent.futures.Future]
) -> dict:
    """GetFiles, sent once every page given before it is indexed: Pagefind may answer it
    before pages still under way."""
    for page in added:
        page.result()  # a page Pagefind failed fails the files too
    return {"type": "GetFiles", "index_id": _index_id(created)}


class IndexSession:
    """docsite's client, given pages one at a time while the build goes on: Pagefind indexes
    each as it comes, and `files` waits only for the last ones. For the versions in
    WRITTEN_FOR only. `background`: Pagefind runs at a lower priority than the build."""

    def __init__(self, config: dict, background: bool = False):
        self._service = _Service(background)
        self._created = self._service.send({"type": "NewIndex", "config": dict(config)})
        self._added: list[concurrent.futures.Future] = []
        self._asked: concurrent.futures.Future | None = None  # the files, asked for early
        self._closed = False
        self._closing = threading.Lock()  # `files` closes it in a reader's thread

    def add(self, url: str, html: Callable[[], str]) -> None:
        """Index the page at `url`, whose HTML `html` gives (called in the client's thread)."""
        created = self._created
        self._service.patience += SILENT_SECONDS_PER_PAGE  # its files take longer to make
        self._added.append(
            self._service.send(
                lambda: {
                    "type": "AddFile",
                    "index_id": _index_id(created),
                    "file_path": None,
                    "url": url,
                    "file_contents": html(),
                }
            )
        )
        self._asked = None  # files asked for before lack this page: asked again

    def ask_files(self) -> None:
        """Ask Pagefind for the index files of the pages added so far, without waiting: it
        makes them while the build goes on, and `files` waits only for what is left."""
        if self._asked is None:
            added = list(self._added)
            self._asked = self._service.send(lambda: _files_request(self._created, added))

    def files(self, wanted: Callable[[str], bool] = lambda path: True) -> dict[str, bytes]:
        """The index files of every page added (path in pagefind/ -> content), those
        `wanted` alone (Pagefind sends its scripts too, 0.9 MB in base64); the session is
        closed after."""
        try:
            self.ask_files()
            assert self._asked is not None
            answer = self._asked.result()
            if answer.get("type") != "GetFiles":
                raise ServiceError(f"Pagefind answered GetFiles with {answer.get('type')!r}")
            # Not WriteFiles: Pagefind answers it before all its writes have reached the disk.
            files = answer["files"]
            return {f["path"]: base64.b64decode(f["content"]) for f in files if wanted(f["path"])}
        finally:
            self.close()

    def close(self) -> None:
        """Stop Pagefind (any time, from any thread; a second call does nothing)."""
        with self._closing:
            if self._closed:
                return
            self._closed = True
        for added in self._added:
            added.cancel()  # a page still queued is not sent
        self._service.close()


async def _run_stock(documents: list[tuple[str, str]], config: dict) -> dict[str, bytes]:
    """The index files, through Pagefind's client as it comes, relying on nothing Pagefind
    does not document. Slower (it sleeps 0.1 s before reading each answer: 0.1 s per page),
    and a site whose index files are over its 2 MiB line limit (about 1,000 pages) gets an
    error rather than an index. Its client has no way to see a Pagefind that hangs: the
    whole session has a time limit instead."""
    import asyncio

    allowed = SILENT_SECONDS + STOCK_SECONDS_PER_PAGE * len(documents)
    try:
        return await asyncio.wait_for(_stock_session(documents, config), allowed)
    except TimeoutError:
        raise ServiceHung(f"Pagefind gave no index within {allowed:.0f} s, and was ended") from None
    except ClientStopped as exc:
        error = ClientStopped(str(exc))
    # The stopped client's pipe is closed while the event loop still runs (after, asyncio
    # prints an error): its objects hold one another, so only a collection frees them.
    gc.collect()
    raise error


async def _stock_session(documents: list[tuple[str, str]], config: dict) -> dict[str, bytes]:
    import asyncio

    from pagefind.service import PagefindService

    service = await PagefindService().launch()
    try:
        index = await _answered(service.create_index(config))

        async def add_all() -> None:
            await asyncio.gather(
                *(index.add_html_file(content=html, url=url) for url, html in documents)
            )

        await _answered(add_all())
        # Not write_files: Pagefind answers it before all its writes have reached the disk.
        files = await _answered(index.get_files())
    finally:
        # The stock close waits up to 5 s for answers still due, then for the process to
        # end, which asyncio never sees once the reader stopped on an answer over its limit:
        # Pagefind is terminated by then, and its pipe is left to the event loop's end.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(service.close(), timeout=CLOSE_SECONDS)
    return {file["path"]: file["content"] for file in files}


async def _answered(answer: Awaitable[T]) -> T:
    """`answer`'s result, or an error if another task (the client's reader) ends first. The
    stock client reads Pagefind's answers in a task that ends when Pagefind exits or an answer
    is over its 2 MiB line limit, leaving what was asked to wait forever."""
    import asyncio

    readers = asyncio.all_tasks() - {asyncio.current_task()}  # before `answer` starts tasks
    waiting = asyncio.ensure_future(answer)
    done, _ = await asyncio.wait({waiting, *readers}, return_when=asyncio.FIRST_COMPLETED)
    if waiting in done:
        return waiting.result()
    stopped = next(iter(done))
    why = None if stopped.cancelled() else stopped.exception()
    raise ClientStopped(f"Pagefind's client stopped reading its answers ({why or 'it ended'})")
