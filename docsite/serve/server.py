"""The development server: serves only the built site, pushes reloads over Server-Sent Events.

One handler serves both `serve` (with live reload: a script injected into each page and the
/__docsite/ endpoints) and `preview` (a built site exactly as it is, nothing added).

Safety first: it binds 127.0.0.1 unless told otherwise, answers GET and HEAD only, never
serves a path outside the site folder, through '..' or a symlink, or a dotfile, and answers
only the host names it was reached by on loopback (or the --host given), so that a web page
on another origin cannot read the site through DNS rebinding.

It holds under abuse with bounded work: one thread waits on every connection at once (a
selector) and reads request heads without blocking, each within a deadline and a size cap,
at most so many waiting per client; only a complete request goes to one of a fixed pool of
worker threads. Live-reload streams hold no thread and are counted apart: events are written
to them directly, and the selector notices when a tab closes.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import mimetypes
import queue
import re
import selectors
import socket
import sys
import threading
import time
import urllib.parse
import webbrowser
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from docsite.diagnostics import Diagnostic, UsageError

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

LIVE_PREFIX = "/__docsite/"
LIVE_SCRIPT = Path(__file__).with_name("livereload.js")
# The scripts served under LIVE_PREFIX: the page's, the worker that all tabs share, and the
# swap of a changed page in place (loaded by the page's).
LIVE_SCRIPTS = {
    name: LIVE_SCRIPT.with_name(name)
    for name in ("livereload.js", "livereload-worker.js", "swap.js")
}
# Not deferred: it reads the page as served, before the theme's scripts change it.
_INJECT = b'<script src="/__docsite/livereload.js"></script>'
# The same, saying when the page was read (`served_stamp`): a reload event of a later build
# reloads it even if the tab was between two pages when that event went out.
_INJECT_STAMPED = '<script src="/__docsite/livereload.js" data-served="{}"></script>'
FALLBACK_404 = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>Not found</title>"
    b"<h1>Not found</h1><p>There is no page at this address. <a href='/'>Home</a></p></html>"
)

WORKERS = 8  # threads answering complete requests; the selector thread waits on the rest
HEADER_SECONDS = 10.0  # to send a whole request head, and how long a kept-alive one may idle
MAX_HEADER_BYTES = 16 * 1024
MAX_WAITING_PER_CLIENT = 64  # connections of one address without a whole request yet
MAX_STREAMS = 256  # live-reload streams (open tabs), counted apart from the rest
SEND_SECONDS = 30.0  # for a whole answer to be taken by the client
KEEPALIVE_SECONDS = 15.0  # a comment down each live-reload stream: notices closed tabs
ACCEPT_BURST = 64  # connections accepted between two reads of those already waiting
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
    b"Connection: close\r\n\r\n"
)


def _max_connections() -> int:
    """Open connections at most (streams apart): well under the process's file limit."""
    try:
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0] if resource else 512
    except (OSError, ValueError):
        return 256
    return max(64, min(1024, (soft if soft > 0 else 1024) // 2 - MAX_STREAMS))


OPEN_PAGES = 2  # pages previewed first on a change: those served last (the reader's tabs)
HELD_WAIT_SECONDS = 0.3  # for a tab to ask for its preview before the build starts
# Then until the tab's other requests (the stylesheets and scripts it revalidates) have
# stopped for this long, at most HELD_LOAD_SECONDS: the build waits for the reload, not the
# other way round (a newer change stops the build anyway, so its later start costs nothing).
HELD_GRACE_SECONDS = 0.1
HELD_LOAD_SECONDS = 0.6


@dataclass
class Previews:
    """Files served from memory until the build that writes them is swapped in (watch
    mode's previews of the open pages), and which pages readers have open."""

    held: dict[str, bytes] = field(default_factory=dict)  # by path in the site
    opened: dict[str, None] = field(default_factory=dict)  # site paths, last seen last
    lock: threading.Lock = field(default_factory=threading.Lock)
    served: threading.Event = field(default_factory=threading.Event)  # a held file went out
    answered: float = 0.0  # when the server last took a request (time.monotonic)

    def hold(self, files: dict[str, bytes]) -> None:
        with self.lock:
            self.held = {**self.held, **files}
            self.served.clear()

    def wait_served(self, timeout: float) -> bool:
        """Wait until a tab fetched a held file (then a moment for what it loads with it),
        so that the build that follows does not slow the reload: they share the process."""
        if not self.served.wait(timeout):
            return False
        deadline = time.monotonic() + HELD_LOAD_SECONDS
        while (now := time.monotonic()) < deadline:
            quiet_from = self.answered + HELD_GRACE_SECONDS
            if now >= quiet_from:
                break
            time.sleep(min(quiet_from, deadline) - now)
        return True

    def answering(self) -> None:
        """The server took a request: a reloading tab's files come one after another."""
        self.answered = time.monotonic()

    def release(self) -> None:
        with self.lock:
            self.held = {}

    def get(self, site_file: str) -> bytes | None:
        found = self.held.get(site_file)
        if found is not None:
            self.served.set()
        return found

    def seen(self, path: str) -> None:
        """A reader has this page (a site path, '/a/b/') open: it was served, or shown."""
        with self.lock:
            self.opened.pop(path, None)
            self.opened[path] = None
            while len(self.opened) > OPEN_PAGES:
                del self.opened[next(iter(self.opened))]

    def open_pages(self) -> list[str]:
        """The pages readers have open, the last seen first."""
        with self.lock:
            return list(reversed(self.opened))


def site_file(url_path: str) -> str:
    """The file a URL path is answered with, as a path in the site: '/a/' is 'a/index.html'."""
    rel = urllib.parse.unquote(url_path).lstrip("/")
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


@dataclass
class Broadcaster:
    """Hands every event to every connected browser, and remembers the current error.

    A stream is a socket the server handed over once its answer began; the broadcaster
    writes to it and never blocks on it: a tab that does not read is let go (it reconnects).
    It never closes one either: it shuts it down, and the server, which waits on it, closes it.
    """

    streams: dict[socket.socket, None] = field(default_factory=dict)  # oldest first
    lock: threading.Lock = field(default_factory=threading.Lock)
    error_event: str | None = None  # sent to browsers that connect while the build is broken
    # The last reload event, sent to every stream that connects: a tab that was reloading
    # when it went out compares its stamp with the page's and reloads if the page is older.
    reload_event: str | None = None
    limit: int = MAX_STREAMS
    previews: Previews = field(default_factory=Previews)

    def attach(self, sock: socket.socket, preamble: bytes) -> bool:
        """Start a stream with `preamble` (the answer's head); whether it took it."""
        with self.lock:
            message = preamble
            if self.reload_event is not None:  # named apart: no client takes it for a new one
                message += _event_bytes("lastreload", self.reload_event)
            if self.error_event is not None:
                message += _event_bytes("builderror", self.error_event)
            try:
                sock.sendall(message)
                sock.setblocking(False)
            except OSError:
                return False
            self.streams[sock] = None
            while len(self.streams) > self.limit:  # the oldest tab makes room
                _let_go(next(iter(self.streams)), self.streams)
        return True

    def forget(self, sock: socket.socket) -> None:
        """The server closed this stream (the tab went away)."""
        with self.lock:
            self.streams.pop(sock, None)

    def publish(self, event: str, data: dict) -> None:
        if event == "reload":
            data = {**data, "at": served_stamp()}  # after the build wrote its files
        payload = json.dumps(data, sort_keys=True)
        with self.lock:
            if event == "reload":
                self.reload_event = payload
            if event == "builderror":
                self.error_event = payload
            elif event in ("ok", "reload", "css"):
                self.error_event = None
            self._send_all(_event_bytes(event, payload))

    def ping(self) -> None:
        """A comment down every stream: a closed tab shows up as an error or an EOF."""
        with self.lock:
            self._send_all(b": keep-alive\n\n")

    def _send_all(self, message: bytes) -> None:
        for sock in list(self.streams):
            try:
                sent = sock.send(message)
            except OSError:
                sent = -1
            if sent != len(message):  # gone, or not reading: a half-sent event spoils it
                _let_go(sock, self.streams)

    def close(self) -> None:
        """End every stream: the browsers see the server go."""
        with self.lock:
            for sock in list(self.streams):
                _let_go(sock, self.streams)


def served_stamp() -> int:
    """Now, in microseconds (a JavaScript number holds it exactly): when a page was read, or
    when a reload event went out."""
    return time.time_ns() // 1000


def _event_bytes(event: str, payload: str) -> bytes:
    return f"event: {event}\ndata: {payload}\n\n".encode()


def _let_go(sock: socket.socket, streams: dict[socket.socket, None]) -> None:
    """Drop a stream: shut down, so the server's selector sees it end and closes it."""
    streams.pop(sock, None)
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def diagnostics_event(diagnostics: list[Diagnostic]) -> dict:
    return {
        "diagnostics": [
            {
                "file": d.file,
                "line": d.line,
                "col": d.col,
                "severity": d.severity.value,
                "message": d.message,
                "hint": d.hint,
            }
            for d in diagnostics
        ]
    }


@dataclass(eq=False)
class Connection:
    """A client's connection: what it sent that is not answered yet, and its deadline."""

    sock: socket.socket
    client: str  # the peer's address, for the cap per client
    buffer: bytearray = field(default_factory=bytearray)
    deadline: float = 0.0
    head: bytes = b""  # the request head being answered


_STREAM = "stream"  # selector data: a live-reload stream, watched for its end
_LISTEN = "listen"
_WAKE = "wake"


class SiteServer:
    """Serves `site_dir`; with `events`, live reload too (else the files as they are).

    `serve_forever` runs the selector in the calling thread and the workers beside it;
    `shutdown` (from another thread) stops both, `server_close` frees the port."""

    def __init__(self, address: tuple[str, int], site_dir: Path, events: Broadcaster | None):
        host, port = address
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        # 'localhost' as 127.0.0.1 when it can be, as browsers and the URL shown expect.
        family, _, _, _, sockaddr = next((a for a in found if a[0] == socket.AF_INET), found[0])
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.bind(sockaddr)
            self.socket.listen(512)
        except BaseException:
            self.socket.close()
            raise
        self.socket.setblocking(False)
        self.server_address = self.socket.getsockname()
        self.site_dir = site_dir
        self.events = events
        self.hosts = allowed_hosts(host)
        self.max_connections = _max_connections()
        self._jobs: queue.Queue[Connection | None] = queue.Queue()
        self._handed_back: deque[tuple[Connection, bool]] = deque()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._wake_writer.setblocking(False)
        self._waiting: dict[socket.socket, Connection] = {}  # oldest first
        self._waiting_per_client: Counter[str] = Counter()
        self._open = 0  # connections accepted and not closed, streams apart
        self._open_lock = threading.Lock()
        self._stopping = threading.Event()
        self._started = threading.Event()
        self._stopped = threading.Event()
        self._selector: selectors.BaseSelector | None = None

    # The selector thread: accepts, reads request heads, watches streams and idle connections.

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Answer until `shutdown`."""
        self._started.set()
        selector = self._selector = selectors.DefaultSelector()
        selector.register(self.socket, selectors.EVENT_READ, _LISTEN)
        selector.register(self._wake_reader, selectors.EVENT_READ, _WAKE)
        workers = [threading.Thread(target=self._work, daemon=True) for _ in range(WORKERS)]
        for worker in workers:
            worker.start()
        next_ping = time.monotonic() + KEEPALIVE_SECONDS
        try:
            while not self._stopping.is_set():
                for key, _ in selector.select(timeout=min(poll_interval, 0.25)):
                    try:
                        self._ready(key)
                    except Exception as exc:  # a bug of ours must not stop the server
                        print(f"docsite: error serving a connection: {exc!r}", file=sys.stderr)
                        if isinstance(key.data, Connection):
                            self._drop(key.data)
                self._take_back()
                now = time.monotonic()
                for connection in [c for c in self._waiting.values() if c.deadline < now]:
                    self._drop(connection)  # too slow to ask, or idle too long
                if self.events is not None and now > next_ping:
                    next_ping = now + KEEPALIVE_SECONDS
                    self.events.ping()
        finally:
            for _ in workers:
                self._jobs.put(None)
            for key in list(selector.get_map().values()):
                if key.data == _STREAM:
                    self._close_stream(key.fileobj)  # type: ignore[arg-type]
                elif isinstance(key.data, Connection):
                    self._drop(key.data)
            for worker in workers:
                worker.join(timeout=1)
            self._take_back()  # what the workers handed back as they stopped
            selector.close()
            self._stopped.set()

    def _ready(self, key: selectors.SelectorKey) -> None:
        """Act on one socket the selector found ready."""
        if key.data == _LISTEN:
            self._accept()
        elif key.data == _WAKE:
            with contextlib.suppress(OSError):
                self._wake_reader.recv(4096)
        elif key.data == _STREAM:
            self._check_stream(key.fileobj)  # type: ignore[arg-type]
        elif key.data.sock in self._waiting:  # not handed to a worker since the select
            self._read(key.data)

    def shutdown(self) -> None:
        """Stop `serve_forever` and wait for it (at once if it never ran)."""
        self._stopping.set()
        self._wake()
        if self._started.is_set():
            self._stopped.wait()

    def server_close(self) -> None:
        """Free the port."""
        self.socket.close()
        self._wake_reader.close()
        self._wake_writer.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")

    def _accept(self) -> None:
        for _ in range(ACCEPT_BURST):
            try:
                sock, address = self.socket.accept()
            except OSError:
                return  # none left (or out of files: those waiting are dropped as they expire)
            with self._open_lock:
                self._open += 1
                full = self._open > self.max_connections
            if full and self._waiting:
                self._evict(list(self._waiting.values()))
            elif full:
                self._close(sock)  # every one is being answered: this one waits its turn
                continue
            sock.setblocking(False)
            self._wait_for_request(Connection(sock, address[0]))

    def _wait_for_request(self, connection: Connection) -> None:
        """Wait for a (next) request on this connection, dropping the client's oldest
        waiting one when it has too many: a half-open flood cannot crowd out a request."""
        assert self._selector is not None
        connection.deadline = time.monotonic() + HEADER_SECONDS
        if self._stopping.is_set() or not self._complete(connection):
            self._close(connection.sock)
            return
        if connection.head:
            self._jobs.put(connection)  # already sent (pipelined)
            return
        self._selector.register(connection.sock, selectors.EVENT_READ, connection)
        self._waiting[connection.sock] = connection
        self._waiting_per_client[connection.client] += 1
        if self._waiting_per_client[connection.client] > MAX_WAITING_PER_CLIENT:
            client = connection.client
            self._evict([c for c in self._waiting.values() if c.client == client])

    def _evict(self, candidates: list[Connection]) -> None:
        """Drop the oldest of `candidates`, unless it sent a whole request that was not read
        yet (it came just before a flood): that one is answered instead."""
        oldest = candidates[0]
        self._read(oldest)
        if oldest.sock in self._waiting:
            self._drop(oldest)

    def _read(self, connection: Connection) -> None:
        try:
            data = connection.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._drop(connection)
            return
        connection.buffer += data
        if not self._complete(connection):
            self._drop(connection)
        elif connection.head:
            self._stop_waiting(connection)
            self._jobs.put(connection)

    def _complete(self, connection: Connection) -> bool:
        """Split a whole request head off the buffer into `head`; False when it is too large
        (answered 431; the caller drops the connection)."""
        buffer = connection.buffer
        while buffer[:2] == b"\r\n" or buffer[:1] == b"\n":  # blank lines before a request
            del buffer[: 2 if buffer[:1] == b"\r" else 1]
        end = _HEAD_END.search(buffer, 0, MAX_HEADER_BYTES + 4)
        if end is None:
            if len(buffer) <= MAX_HEADER_BYTES:
                return True
            with contextlib.suppress(OSError):
                connection.sock.send(_TOO_LARGE)
            return False
        connection.head = bytes(buffer[: end.start()])
        del buffer[: end.end()]
        return True

    def _stop_waiting(self, connection: Connection) -> None:
        assert self._selector is not None
        if self._waiting.pop(connection.sock, None) is None:
            return
        self._waiting_per_client[connection.client] -= 1
        if not self._waiting_per_client[connection.client]:
            del self._waiting_per_client[connection.client]
        with contextlib.suppress(KeyError, ValueError, OSError):
            self._selector.unregister(connection.sock)

    def _drop(self, connection: Connection) -> None:
        self._stop_waiting(connection)
        self._close(connection.sock)

    def _close(self, sock: socket.socket) -> None:
        with self._open_lock:
            self._open -= 1
        with contextlib.suppress(OSError):
            sock.close()

    def _check_stream(self, sock: socket.socket) -> None:
        """A stream's socket became readable: the tab went away (or sent what none asks)."""
        try:
            if sock.recv(4096):
                return
        except BlockingIOError:
            return
        except OSError:
            pass
        self._close_stream(sock)

    def _close_stream(self, sock: socket.socket) -> None:
        assert self._selector is not None
        if self.events is not None:
            self.events.forget(sock)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self._selector.unregister(sock)
        with contextlib.suppress(OSError):
            sock.close()

    def _take_back(self) -> None:
        """Connections the workers answered: wait for their next request, or their end."""
        assert self._selector is not None
        while self._handed_back:
            connection, stream = self._handed_back.popleft()
            try:
                self._take_back_one(connection, stream)
            except (ValueError, KeyError, OSError) as exc:  # a bug of ours: never fatal
                print(f"docsite: error keeping a connection: {exc!r}", file=sys.stderr)
                with contextlib.suppress(OSError):
                    connection.sock.close()

    def _take_back_one(self, connection: Connection, stream: bool) -> None:
        assert self._selector is not None
        if self._stopping.is_set() and stream:
            if self.events is not None:
                self.events.forget(connection.sock)
            with contextlib.suppress(OSError):
                connection.sock.close()
        elif self._stopping.is_set():
            self._close(connection.sock)
        elif stream:
            self._selector.register(connection.sock, selectors.EVENT_READ, _STREAM)
        else:
            self._wait_for_request(connection)

    # The workers: each answers one complete request at a time.

    def _work(self) -> None:
        while (connection := self._jobs.get()) is not None:
            outcome = "close"
            if not self._stopping.is_set():
                outcome = self._answer(connection)
            if outcome == "close":
                self._close(connection.sock)
                continue
            if outcome == _STREAM:
                with self._open_lock:
                    self._open -= 1  # counted apart from now on
            with contextlib.suppress(OSError):
                connection.sock.setblocking(False)
            self._handed_back.append((connection, outcome == _STREAM))
            self._wake()

    def _answer(self, connection: Connection) -> str:
        """Answer the request in `connection.head`: 'close', 'keep' or 'stream'."""
        head, connection.head = connection.head, b""
        try:
            connection.sock.settimeout(SEND_SECONDS)
            handler = SiteRequestHandler(connection, head, self)
        except OSError:
            return "close"  # the client went away or stopped reading: its own business
        except Exception as exc:  # a bug of ours: one line, no traceback, and the server goes on
            print(f"docsite: error answering a request: {exc!r}", file=sys.stderr)
            return "close"
        if handler.streaming:
            return _STREAM
        return "close" if handler.close_connection else "keep"


class _SocketWriter(io.RawIOBase):
    """`wfile` for a handler: each write goes out whole (or raises)."""

    def __init__(self, sock: socket.socket):
        self.sock = sock

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.sock.sendall(data)
        return len(data)


class SiteRequestHandler(BaseHTTPRequestHandler):
    """Answers one request whose head the server has read already."""

    server: SiteServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def __init__(self, connection: Connection, head: bytes, server: SiteServer):
        self.head = head
        self.streaming = False
        self.local_address, self.port = connection.sock.getsockname()[:2]
        super().__init__(connection.sock, (connection.client, 0), server)  # type: ignore[arg-type]

    def setup(self) -> None:
        self.headers = None  # type: ignore[assignment]
        self.connection = self.request
        self.rfile = io.BytesIO(self.head + b"\r\n\r\n")
        self.wfile = _SocketWriter(self.request)

    def handle(self) -> None:
        self.close_connection = True
        self.handle_one_request()
        if self.headers is not None and (
            self.headers.get("Content-Length", "0") not in ("", "0")
            or "Transfer-Encoding" in self.headers
        ):
            self.close_connection = True  # a body no one reads would read as the next request

    def finish(self) -> None:
        return  # the server keeps the connection (for the next request, or as a stream)

    def log_message(self, format: str, *args: object) -> None:
        return  # the terminal shows builds, not every request

    def parse_request(self) -> bool:
        """The request line and headers, and a Host this server answers to."""
        if not super().parse_request():
            return False
        hosts = [self.headers.get("Host")]
        if len(self.headers.get_all("Host", [])) > 1:
            hosts.append(None)  # two Host headers: which one counts is ambiguous
        if not self.path.startswith("/"):  # an absolute target names the host itself
            hosts.append(urllib.parse.urlsplit(self.path).netloc)
        for host in hosts:
            if host is None:
                self.send_error(HTTPStatus.BAD_REQUEST, "A Host header is required")
                return False
            if not host_allowed(host, self.server.hosts, self.local_address, self.port):
                self.send_error(
                    HTTPStatus.MISDIRECTED_REQUEST,
                    "This server answers only at its own address (localhost)",
                )
                return False
        return True

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _not_allowed(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def _serve(self, head: bool) -> None:
        path = urllib.parse.urlsplit(self.path).path
        live = self.server.events is not None
        if live:
            self.server.events.previews.answering()
        if live and path == LIVE_PREFIX + "events":
            if head:
                self._send(HTTPStatus.OK, b"", "text/event-stream", head=True)
            else:
                self._stream_events()
            return
        script = LIVE_SCRIPTS.get(path.removeprefix(LIVE_PREFIX)) if live else None
        if script is not None and path.startswith(LIVE_PREFIX):
            self._send_file(script.read_bytes(), "text/javascript", head)
            return
        if live and path == LIVE_PREFIX + "here":
            self._note_shown(head)
            return
        stamp = served_stamp()  # before reading: a rebuild after this reloads the page
        try:
            found = self._held(path) or self._find(path)
        except OSError:  # a rebuild replaced or removed it meanwhile
            found = None
        if found is None:
            self._send_404(head, stamp)
        elif isinstance(found, str):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            target, body = found
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind == "text/html" and self.server.events is not None:
                self.server.events.previews.seen(path)
                body = self._with_live_script(body, stamp)
            self._send_file(body, kind, head)

    def _held(self, path: str) -> tuple[Path, bytes] | None:
        """A file served from memory ahead of the build that writes it (watch mode)."""
        events = self.server.events
        if events is None:
            return None
        rel = site_file(path)
        body = events.previews.get(rel)
        return (self.server.site_dir / rel, body) if body is not None else None

    def _note_shown(self, head: bool) -> None:
        """A tab says which page it shows (it came to the front): that page is previewed
        first on the next change."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        shown = query.get("path", [""])[0]
        if shown.startswith("/") and self.server.events is not None:
            self.server.events.previews.seen(shown)
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain", head)

    def _find(self, path: str) -> tuple[Path, bytes] | str | None:
        """The file for a URL path and its bytes, a folder's address with its slash, or None."""
        target = resolve_request(self.server.site_dir, path)
        if target is None:
            return None
        if target.is_dir():
            if not path.endswith("/"):
                return path + "/"
            target = target / "index.html"
        return target, target.read_bytes()

    def _send_404(self, head: bool, stamp: int) -> None:
        try:
            page = (self.server.site_dir / "404.html").read_bytes()
        except OSError:
            page = FALLBACK_404
        self._send(HTTPStatus.NOT_FOUND, self._with_live_script(page, stamp), "text/html", head)

    def _with_live_script(self, html: bytes, stamp: int) -> bytes:
        return html if self.server.events is None else inject_live_script(html, stamp)

    def _send_file(self, body: bytes, kind: str, head: bool) -> None:
        """A file of the site, with a validator: a reload asks again for every file (no-cache)
        and gets "304 Not Modified" for the ones a rebuild left as they were, so the browser
        reuses what it has parsed instead of fetching the whole page's assets again."""
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        if _etags(self.headers.get("If-None-Match", "")) & {etag, "*"}:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            return
        self._send(HTTPStatus.OK, body, kind, head, etag)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, head: bool, etag: str = "") -> None:
        self.send_response(status)
        charset = (
            "; charset=utf-8" if kind.startswith("text/") or kind.endswith("javascript") else ""
        )
        self.send_header("Content-Type", kind + charset)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Cache-Control", "no-cache" if etag else "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _stream_events(self) -> None:
        """Hand the connection to the broadcaster: no thread waits on a stream."""
        events = self.server.events
        assert events is not None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "keep-alive")
        self._headers_buffer.append(b"\r\n")  # sent with the first comment, below
        preamble = b"".join(self._headers_buffer) + b": connected\n\n"
        self._headers_buffer = []
        self.streaming = events.attach(self.request, preamble)
        self.close_connection = True


def _etags(header: str) -> set[str]:
    """The entity tags of an If-None-Match header (weak ones compare as strong: these are
    whole files); `*` matches any."""
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def allowed_hosts(bound: str) -> frozenset[str]:
    """The host names this server answers to (with its port or none): its loopback names
    and the address it was bound to."""
    return frozenset({"localhost", "127.0.0.1", "::1", bound.lower().strip("[]")})


def host_allowed(host: str, allowed: frozenset[str], local_address: str, port: int) -> bool:
    """Whether a Host header names this server: one of `allowed`, or (bound to every
    address) the very address the request came in on, which no rebinding name is."""
    try:
        parts = urllib.parse.urlsplit("//" + host.strip())
        name, given_port = parts.hostname, parts.port
    except ValueError:  # a port that is not a number, a bracket left open
        return False
    if not name or "@" in host or parts.path or parts.query or parts.fragment:
        return False
    if given_port is not None and given_port != port:
        return False
    name = name.rstrip(".")  # 'localhost.' is localhost
    if name in allowed:
        return True
    everywhere = bool(allowed & {"0.0.0.0", "::"})
    return everywhere and name == local_address.removeprefix("::ffff:")


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def resolve_request(site_dir: Path, url_path: str) -> Path | None:
    """The file for a URL path, or None: no '..', no dotfiles, nothing outside the site."""
    decoded = urllib.parse.unquote(url_path)
    if "\0" in decoded or "\\" in decoded:
        return None
    parts = [part for part in decoded.split("/") if part]
    if any(part in (".", "..") or part.startswith(".") for part in parts):
        return None
    root = site_dir.resolve()
    candidate = root.joinpath(*parts)
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real != root and not real.is_relative_to(root):
        return None  # a symlink pointing out of the site
    return real


def inject_live_script(html: bytes, stamp: int | None = None) -> bytes:
    """The page with the live-reload script before `</body>`; `stamp`: when it was read."""
    script = _INJECT if stamp is None else _INJECT_STAMPED.format(stamp).encode()
    marker = html.rfind(b"</body>")
    if marker < 0:
        return html + script
    return html[:marker] + script + html[marker:]


def bind(
    host: str,
    port: int,
    site_dir: Path,
    events: Broadcaster | None,
    say: Callable[[str], None] = print,
    tries: int = 20,
) -> SiteServer:
    """Listen on the port, or the next free one (saying so); `events` None serves the
    files as they are, without live reload."""
    for candidate in range(port, port + tries):
        try:
            server = SiteServer((host, candidate), site_dir, events)
        except OSError as exc:
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
            say(f"port {candidate} is taken; trying {candidate + 1}")
            continue
        return server
    raise OSError(errno.EADDRINUSE, f"no free port between {port} and {port + tries - 1}")


def start(
    host: str,
    port: int,
    site_dir: Path,
    events: Broadcaster | None,
    say: Callable[[str], None],
) -> tuple[SiteServer, str]:
    """Bind (warning when others can reach it) and answer in a thread; the server and its URL."""
    if is_public(host):
        say(f"warning: serving on {host}: anyone who can reach this machine can read the site")
    server = bind(host, port, site_dir, events, say)
    threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True).start()
    return server, url_for(server)


def url_for(server: SiteServer) -> str:
    host, port = server.server_address[:2]
    shown = host if host not in ("0.0.0.0", "::") else "127.0.0.1"
    return f"http://{_bracketed(shown)}:{port}/"


def is_public(host: str) -> bool:
    return host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("127.")


def preview(
    site_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    say: Callable[[str], None] = print,
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Serve a built site exactly as it will be published: no build, no watcher, nothing
    injected. Runs until Ctrl+C (or `stop` is set); the exit code for the command line."""
    shown = shown_path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise UsageError(f"no built site in {shown}: run 'docsite build' first")
    server, url = start(host, port, site_dir, None, say)
    say(f"Serving {shown.rstrip('/')}/ on {url} (Ctrl+C to stop)")
    stop = stop or threading.Event()
    if ready is not None:
        ready(url)
    if open_browser:
        webbrowser.open(url)
    try:
        while not stop.wait(0.2):  # a timed wait: Ctrl+C reaches a waiting thread on Windows too
            pass
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        server.shutdown()
        server.server_close()
    return 0


def shown_path(path: Path) -> str:
    """A folder as the user would type it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
