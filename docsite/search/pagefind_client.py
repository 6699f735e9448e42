"""Running Pagefind through its Python client, with docsite's override of that client on the
versions it was written for.

The override (`_prompt_service`) replaces the client's private reader (`_wait_for_responses`)
and its `send` (less the debug lines that format each request), and uses its private
`_backend`, `_responses`, `_message_id`, `_loop` and `_poll_task`; index_format reads and
patches Pagefind's files, whose layout is no public promise either. Both were written for,
and checked against, the versions in WRITTEN_FOR. With any other version, `Pagefind.index`
uses the stock client as Pagefind documents it, and `patchable` is False: the site is indexed
whole every time, after the last page is written (`IndexSession`, which gives Pagefind pages
while the build renders them, runs only on the override). Every use of Pagefind's private
parts is in this module.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import gc
import json
import os
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any, TypeVar

# The Pagefind versions (of the `pagefind` package; pagefind[bin] brings the binary of the same
# version) that the client override and index_format were checked against.
WRITTEN_FOR = frozenset({"1.5.2"})

# How long the stock client may take to close: it waits up to 5 s for answers still due.
CLOSE_SECONDS = 10.0

T = TypeVar("T")


class ClientStopped(RuntimeError):
    """Pagefind's stock client stopped reading before it had all its answers."""


def installed_version() -> str:
    """The installed Pagefind's version, "" when it is not installed as a package."""
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return ""


def binary_available() -> bool:
    try:
        from pagefind.service import get_executable
    except ImportError:
        return False
    executable = get_executable()
    return executable is not None and executable.is_file()


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
            run = _run_prompt(documents, config, background)
        else:  # `background` is not seen: the stock client gives no handle on the process
            run = _run_stock(documents, config)
        # In a thread of its own: the caller may be running an event loop already.
        with concurrent.futures.ThreadPoolExecutor(1, "pagefind") as pool:
            return pool.submit(asyncio.run, run).result()


def installed() -> Pagefind:
    return Pagefind(installed_version())


async def _run_prompt(
    documents: list[tuple[str, str]], config: dict, background: bool
) -> dict[str, bytes]:
    """The index files, through docsite's client."""
    service = await _prompt_service().launch()
    if background and hasattr(os, "setpriority"):
        # Watch mode indexes while the writer keeps saving: page renders come first.
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, service._backend.pid, 10)
    try:
        index = await service.create_index(config)
        await asyncio.gather(
            *(index.add_html_file(content=html, url=url) for url, html in documents)
        )
        # Not write_files: Pagefind answers it before all its writes have reached the disk.
        files = await index.get_files()
    finally:
        await service.close()
    return {file["path"]: file["content"] for file in files}


class IndexSession:
    """docsite's client in a thread of its own, given pages one at a time while the build
    goes on: Pagefind indexes each as it comes, and `files` waits only for the last ones.
    For the versions in WRITTEN_FOR only (it is the override's client)."""

    def __init__(self, config: dict):
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pagefind", daemon=True)
        self._thread.start()
        self._opened = asyncio.run_coroutine_threadsafe(self._open(config), self._loop)
        self._added: list[concurrent.futures.Future] = []
        self._asked: concurrent.futures.Future | None = None  # the files, asked for early
        self._closed = False
        self._closing = threading.Lock()  # `files` closes it in a reader's thread

    async def _open(self, config: dict) -> tuple[Any, Any]:
        service = await _prompt_service().launch()
        try:
            return service, await service.create_index(config)
        except BaseException:
            await service.close()
            raise

    def add(self, url: str, html: Callable[[], str]) -> None:
        """Index the page at `url`, whose HTML `html` gives (called in the client's thread)."""
        self._added.append(asyncio.run_coroutine_threadsafe(self._add(url, html), self._loop))
        self._asked = None  # files asked for before lack this page: asked again

    async def _add(self, url: str, html: Callable[[], str]) -> None:
        _, index = await asyncio.wrap_future(self._opened)
        await index.add_html_file(content=html(), url=url)

    def ask_files(self) -> None:
        """Ask Pagefind for the index files of the pages added so far, without waiting: it
        makes them while the build goes on, and `files` waits only for what is left."""
        if self._asked is None:
            added = list(self._added)
            self._asked = asyncio.run_coroutine_threadsafe(self._files(added), self._loop)

    def files(self) -> dict[str, bytes]:
        """The index files of every page added (path in pagefind/ -> content); the session
        is closed after."""
        try:
            self.ask_files()
            assert self._asked is not None
            return self._asked.result()
        finally:
            self.close()

    async def _files(self, added: list[concurrent.futures.Future]) -> dict[str, bytes]:
        await asyncio.gather(*(asyncio.wrap_future(page) for page in added))
        _, index = await asyncio.wrap_future(self._opened)
        # Not write_files: Pagefind answers it before all its writes have reached the disk.
        return {file["path"]: file["content"] for file in await index.get_files()}

    def close(self) -> None:
        """Stop Pagefind and the thread (any time, from any thread; a second call does
        nothing)."""
        with self._closing:
            if self._closed:
                return
            self._closed = True
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(CLOSE_SECONDS)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    async def _close(self) -> None:
        for added in self._added:
            added.cancel()
        service, _ = await asyncio.wrap_future(self._opened)
        try:
            await service.close()
        finally:  # a page cancelled above stops the stock close before it ends Pagefind
            await _ended(service)


async def _ended(service: Any) -> None:
    """Pagefind's process ended and its answers no longer read."""
    service._poll_task.cancel()
    if service._backend.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            service._backend.terminate()
    await service._backend.wait()


async def _run_stock(documents: list[tuple[str, str]], config: dict) -> dict[str, bytes]:
    """The index files, through Pagefind's client as it comes, relying on nothing Pagefind
    does not document. Slower (it sleeps 0.1 s before reading each answer: 0.1 s per page),
    and a site whose index files are over its 2 MiB line limit (about 1,000 pages) gets an
    error rather than an index."""
    try:
        return await _stock_session(documents, config)
    except ClientStopped as exc:
        error = ClientStopped(str(exc))
    # The stopped client's pipe is closed while the event loop still runs (after, asyncio
    # prints an error): its objects hold one another, so only a collection frees them.
    gc.collect()
    raise error


async def _stock_session(documents: list[tuple[str, str]], config: dict) -> dict[str, bytes]:
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
    readers = asyncio.all_tasks() - {asyncio.current_task()}  # before `answer` starts tasks
    waiting = asyncio.ensure_future(answer)
    done, _ = await asyncio.wait({waiting, *readers}, return_when=asyncio.FIRST_COMPLETED)
    if waiting in done:
        return waiting.result()
    stopped = next(iter(done))
    why = None if stopped.cancelled() else stopped.exception()
    raise ClientStopped(f"Pagefind's client stopped reading its answers ({why or 'it ended'})")


def _prompt_service() -> Any:
    """Pagefind's service client, reading each answer as soon as it arrives, whatever its
    size: the stock one sleeps 0.1 s before every read (0.1 s per indexed page) and cannot
    read an answer over its 2 MiB line limit (the index files of a large site)."""
    from pagefind.service import PagefindService

    class PromptService(PagefindService):
        async def send(self, payload: Any) -> Any:
            """As the stock `send`, less its debug lines, which format every request whole
            even when nothing logs them: a page's HTML twice, about 45 µs a page of the
            build's own process, where the pages are taken in."""
            self._message_id += 1
            message_id = self._message_id
            if message_id in self._responses:
                raise KeyError(f"message_id {message_id} already in use")
            future = self._responses[message_id] = self._loop.create_future()
            if self._backend.stdin is None:
                await self.launch()
            request = {"message_id": message_id, "payload": payload}
            self._backend.stdin.write(base64.b64encode(json.dumps(request).encode("utf-8")) + b",")
            await self._backend.stdin.drain()
            return await future

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
