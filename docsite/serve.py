"""The development server: serves only the built site, pushes reloads over Server-Sent Events.

One handler serves both `serve` (with live reload: a script injected into each page and the
/__docsite/ endpoints) and `preview` (a built site exactly as it is, nothing added).

Safety first: it binds 127.0.0.1 unless told otherwise, answers GET and HEAD only, and never
serves a path outside the site folder, through '..' or a symlink, or a dotfile.
"""

from __future__ import annotations

import contextlib
import errno
import json
import mimetypes
import queue
import threading
import urllib.parse
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from docsite.diagnostics import Diagnostic, UsageError

LIVE_PREFIX = "/__docsite/"
LIVE_SCRIPT = Path(__file__).with_name("livereload.js")
_INJECT = b'<script src="/__docsite/livereload.js" defer></script>'
FALLBACK_404 = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>Not found</title>"
    b"<h1>Not found</h1><p>There is no page at this address. <a href='/'>Home</a></p></html>"
)


@dataclass
class Broadcaster:
    """Hands every event to every connected browser, and remembers the current error."""

    clients: list[queue.Queue] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    error_event: str | None = None  # sent to browsers that connect while the build is broken

    def connect(self) -> queue.Queue:
        inbox: queue.Queue = queue.Queue()
        with self.lock:
            self.clients.append(inbox)
            if self.error_event is not None:
                inbox.put(("builderror", self.error_event))
        return inbox

    def disconnect(self, inbox: queue.Queue) -> None:
        with self.lock, contextlib.suppress(ValueError):
            self.clients.remove(inbox)

    def publish(self, event: str, data: dict) -> None:
        payload = json.dumps(data, sort_keys=True)
        with self.lock:
            if event == "builderror":
                self.error_event = payload
            elif event in ("ok", "reload", "css"):
                self.error_event = None
            for inbox in self.clients:
                inbox.put((event, payload))

    def close(self) -> None:
        with self.lock:
            for inbox in self.clients:
                inbox.put(None)


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


class SiteServer(ThreadingHTTPServer):
    """Serves `site_dir`; with `events`, live reload too (else the files as they are)."""

    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, address: tuple[str, int], site_dir: Path, events: Broadcaster | None):
        self.site_dir = site_dir
        self.events = events
        super().__init__(address, SiteRequestHandler)


class SiteRequestHandler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        return  # the terminal shows builds, not every request

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
        if live and path == LIVE_PREFIX + "events":
            if head:
                self._send(HTTPStatus.OK, b"", "text/event-stream", head=True)
            else:
                self._stream_events()
            return
        if live and path == LIVE_PREFIX + "livereload.js":
            self._send(HTTPStatus.OK, LIVE_SCRIPT.read_bytes(), "text/javascript", head)
            return
        target = resolve_request(self.server.site_dir, path)
        if target is None:
            self._send_404(head)
            return
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = target / "index.html"
            if not target.is_file():
                self._send_404(head)
                return
        body = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            body = self._with_live_script(body)
        self._send(HTTPStatus.OK, body, kind, head)

    def _send_404(self, head: bool) -> None:
        page = self.server.site_dir / "404.html"
        body = self._with_live_script(page.read_bytes() if page.is_file() else FALLBACK_404)
        self._send(HTTPStatus.NOT_FOUND, body, "text/html", head)

    def _with_live_script(self, html: bytes) -> bytes:
        return html if self.server.events is None else inject_live_script(html)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        charset = (
            "; charset=utf-8" if kind.startswith("text/") or kind.endswith("javascript") else ""
        )
        self.send_header("Content-Type", kind + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _stream_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "keep-alive")
        self.end_headers()
        events = self.server.events
        assert events is not None
        inbox = events.connect()
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while True:
                try:
                    item = inbox.get(timeout=15)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")  # notices closed tabs
                    self.wfile.flush()
                    continue
                if item is None:
                    return
                event, data = item
                self.wfile.write(f"event: {event}\ndata: {data}\n\n".encode())
                self.wfile.flush()
        except OSError:
            return
        finally:
            events.disconnect(inbox)
            self.close_connection = True


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


def inject_live_script(html: bytes) -> bytes:
    marker = html.rfind(b"</body>")
    if marker < 0:
        return html + _INJECT
    return html[:marker] + _INJECT + html[marker:]


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
    return f"http://{shown}:{port}/"


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
