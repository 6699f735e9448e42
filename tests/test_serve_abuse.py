"""The development server under abuse: floods, slow or foreign clients, and watch mode under
file-system churn. Every load here talks to 127.0.0.1 only, is bounded, and ends by itself."""

from __future__ import annotations

import contextlib
import difflib
import gc
import http.client
import re
import shutil
import socket
import struct
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import write_files
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from test_serve import EventClient, fetch, serving, serving_thread

import docsite.serve.live
import docsite.serve.server
import docsite.serve.watch
from docsite.build import BuildOptions, build_site
from docsite.serve.server import Broadcaster, bind


def wait_until(check: Callable[[], object], timeout: float = 10, what: str = "") -> object:
    """Poll `check` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what or check}")
        time.sleep(0.02)


@pytest.fixture
def site_server(tmp_path) -> Iterator[tuple[int, Broadcaster, docsite.serve.server.SiteServer]]:
    """A live-reload server on a free port of 127.0.0.1 over a small built site."""
    site = tmp_path / "site"
    write_files(
        site,
        {
            "index.html": "<html><body><p>Home</p></body></html>",
            "big.bin": b"x" * (8 * 1024 * 1024),
            "404.html": "<html><body>Custom 404</body></html>",
        },
    )
    events = Broadcaster()
    server = bind("127.0.0.1", 0, site, events, say=lambda _: None)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server.server_address[1], events, server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def get(port: int, path: str = "/", headers: dict[str, str] | None = None) -> tuple[int, dict]:
    """Status and headers of a GET on a fresh connection (5 s timeout)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def raw(port: int, data: bytes, timeout: float = 5) -> bytes:
    """Send `data` on a fresh connection; all the server answers before it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        with contextlib.suppress(TimeoutError, ConnectionResetError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


def test_half_open_connections_neither_start_threads_nor_block_others(site_server):
    port, _, _ = site_server
    threads_before = threading.active_count()
    idle = []
    try:
        for number in range(3000):  # as fast as the machine connects, before any is read
            sock = socket.socket()
            sock.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                sock.connect(("127.0.0.1", port))
            idle.append(sock)
            if number % 1000 == 999:
                assert get_in_flood(port) == 200  # at once, not after the flood times out
        assert get_in_flood(port) == 200
        assert threading.active_count() <= threads_before + docsite.serve.server.WORKERS
    finally:
        for sock in idle:
            sock.close()
    assert get(port)[0] == 200


def get_in_flood(port: int) -> int:
    """A GET's status while half-open connections of the same address pour in. Its
    connection may be dropped as that address's oldest waiting one, when the machine is so
    busy that its request comes after 64 newer connections (the server cannot tell it from
    the flood): then it is sent again, on a new connection, as a browser does."""
    for _ in range(2):
        with contextlib.suppress(http.client.RemoteDisconnected, ConnectionResetError):
            return get(port)[0]
    return get(port)[0]


def test_a_request_head_must_come_in_time_and_small(site_server, monkeypatch):
    port, _, _ = site_server
    monkeypatch.setattr(docsite.serve.server, "HEADER_SECONDS", 0.3)
    # Slowloris: a header a little at a time, never the end of the head.
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n")
        with contextlib.suppress(ConnectionResetError):
            for _ in range(200):
                sock.sendall(b"X-a: b\r\n")
                if wait_for_close(sock, 0.05):
                    break
            else:
                raise AssertionError("the server waited for the head for 10 s")
    answer = raw(
        port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert get(port)[0] == 200


def wait_for_close(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closed `sock` within `seconds`."""
    sock.settimeout(seconds)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_clients_that_go_away_print_no_traceback(site_server, capfd):
    port, _, _ = site_server
    for path in ("/big.bin", "/", "/missing"):
        for _ in range(5):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()  # a reset, while the answer is being sent
    for junk in (b"\x16\x03\x01\x02\x00\x01\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9\r\n\r\n"):
        raw(port, junk)
    assert get(port, "/big.bin")[0] == 200
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "Error" not in captured.err


def test_only_its_own_host_names_are_answered(site_server):
    port, _, _ = site_server
    for host in ("localhost", f"localhost:{port}", "127.0.0.1", f"127.0.0.1:{port}", "[::1]"):
        assert get(port, headers={"Host": host})[0] == 200, host
        assert get(port, headers={"Host": host.upper()})[0] == 200, host
    for host in (
        "evil.example",
        f"evil.example:{port}",
        f"localhost:{port + 1}",
        "localhost.evil.example",
        "127.0.0.1.nip.io",
        "",
    ):
        assert get(port, headers={"Host": host})[0] in (400, 421), host
    assert raw(port, b"GET / HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    assert raw(port, b"GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").startswith(
        b"HTTP/1.1 421 "
    )
    status, headers = get(port, headers={"Origin": "http://evil.example"})
    assert status == 200 and not any(name.startswith("access-control-") for name in headers)


def test_live_reload_streams_are_counted_apart_and_leave_nothing_behind(site_server):
    port, events, _ = site_server
    threads_before = threading.active_count()
    tracemalloc.start()
    try:
        for _ in range(2):  # the first round warms up what is made once
            gc.collect()
            memory_before = tracemalloc.get_traced_memory()[0]
            for _ in range(250):
                with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                    sock.sendall(b"GET /__docsite/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    assert sock.recv(4096).startswith(b"HTTP/1.1 200 ")
            wait_until(lambda: not events.streams, what="streams closed")
            gc.collect()
            grown = tracemalloc.get_traced_memory()[0] - memory_before
            assert threading.active_count() <= threads_before + docsite.serve.server.WORKERS
        assert grown < 200_000, f"{grown} bytes left behind by 250 streams"
    finally:
        tracemalloc.stop()
    # Many open tabs: each gets the events, and pages are still answered.
    tabs = [EventClient(f"http://127.0.0.1:{port}/") for _ in range(80)]
    try:
        assert threading.active_count() <= threads_before + docsite.serve.server.WORKERS + len(tabs)
        assert get(port)[0] == 200
        events.publish("reload", {"all": True, "paths": []})
        for tab in tabs:
            tab.wait_for("reload")
    finally:
        for tab in tabs:
            tab.close()


# Watch mode never dies.


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "content/index.md": "# Home\n\nWelcome.\n",
            "content/guide.md": "# Guide\n\nFirst.\n",
            "static/assets/site.css": "body{}",
        },
    )
    return root


def test_a_rebuild_that_raises_is_reported_and_the_site_still_served(project, monkeypatch):
    real_build = docsite.serve.live.build_site
    raising = threading.Event()

    def build_site(options: BuildOptions):
        if raising.is_set():
            raising.clear()
            raise IsADirectoryError(21, "Is a directory", str(project / "static/assets/x.css"))
        return real_build(options)

    monkeypatch.setattr(docsite.serve.live, "build_site", build_site)
    with serving(project) as (url, said):
        client = EventClient(url)
        try:
            raising.set()
            write_files(project, {"static/assets/x.css": "a{}"})
            data, _ = client.wait_for("builderror")
            (problem,) = data["diagnostics"]
            assert problem["file"] == "static/assets/x.css"
            assert "Is a directory" in problem["message"]
            assert "Welcome." in fetch(url)
            write_files(project, {"content/index.md": "# Home\n\nBack.\n"})
            client.wait_for("reload")
            assert "Back." in fetch(url)
            assert said[-1].startswith("Fixed: the site is up to date again")
        finally:
            client.close()


def test_a_watched_folder_deleted_and_made_again_is_watched_again(project):
    with serving(project) as (url, _):
        client = EventClient(url)
        try:
            shutil.rmtree(project / "static")
            client.wait_for("reload")
            write_files(project, {"static/assets/site.css": "body{color:red}"})
            wait_until(lambda: fetch(url + "assets/site.css") == "body{color:red}")
            write_files(project, {"static/assets/site.css": "body{color:blue}"})
            wait_until(lambda: fetch(url + "assets/site.css") == "body{color:blue}")
            shutil.rmtree(project / "content")
            client.wait_for("builderror")
            write_files(project, {"content/index.md": "# Home\n\nAgain.\n"})
            wait_until(lambda: "Again." in fetch(url))
            write_files(project, {"content/index.md": "# Home\n\nOnce more.\n"})
            wait_until(lambda: "Once more." in fetch(url))
        finally:
            client.close()


CHURN_BASELINE = {
    "content/index.md": "# Home\n\nWelcome.\n",
    "content/guide/index.md": "# Guide\n\nThe guide.\n",
    "content/guide/setup.md": "---\norder: 2\n---\n# Setup\n\n[Home](../index.md)\n",
    "content/guide/guide.yml": "label: The guide\n",
    "content/about.md": "# About\n\nText.\n",
    "static/assets/extra.css": "body{}",
    "static/notes.txt": "notes",
}
# The paths the churn plays with: pages, a settings file, static files, whole folders.
CHURN_PATHS = [*CHURN_BASELINE, "content/guide", "static/assets", "content/new.md"]
CHURN_TEXTS = [
    "# Page\n\nGood text.\n",
    "# Other title\n\nMore.\n",
    "[broken](nowhere.md)\n",
    "---\norder: [\n---\n# Bad settings\n",
    "\xff\xfe not UTF-8",
    "",
]


LIVE_SCRIPT = re.compile(r'<script src="/__docsite/livereload\.js"[^>]*></script>')


def served_html(url: str, site: Path) -> dict[str, str]:
    """Every HTML page of the served folder as the server answers it, live script taken out.
    A folder the server removes, or replaces with a file, while it is walked gives no
    answer ({}): ask again."""
    try:
        paths = sorted(site.rglob("*.html"))
    except (FileNotFoundError, NotADirectoryError):
        return {}
    pages = {}
    for path in paths:
        rel = path.relative_to(site).as_posix()
        with contextlib.suppress(OSError):
            pages[rel] = LIVE_SCRIPT.sub("", fetch(url + rel))
    return pages


def built_html(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
    }


def site_difference(served: dict[str, str], expected: dict[str, str], said: list[str]) -> str:
    """What a failure shows: the pages that differ, the first one's diff, the last lines said."""
    differ = sorted(rel for rel in {*served, *expected} if served.get(rel) != expected.get(rel))
    first = differ[0]
    diff = difflib.unified_diff(
        served.get(first, "").splitlines(), expected.get(first, "").splitlines(), lineterm=""
    )
    lines = [f"served pages differ from a clean build: {differ}", *list(diff)[:40], *said[-8:]]
    return "\n".join(lines)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def make_parent(path: Path) -> None:
    """Make the folders above `path`, removing a file that stands where one goes."""
    for folder in reversed(path.parents):
        if folder.is_file():
            folder.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)


def test_watch_mode_survives_random_churn_and_ends_equal_to_a_clean_build(tmp_path):
    root = tmp_path / "proj"
    write_files(root, CHURN_BASELINE)
    clean_out = tmp_path / "clean"
    paths = st.sampled_from(CHURN_PATHS)

    with serving_thread(root) as (url, thread, said):

        class Churn(RuleBasedStateMachine):
            """Random file-system operations against the running server."""

            @rule(rel=paths, text=st.sampled_from(CHURN_TEXTS))
            def save(self, rel: str, text: str) -> None:
                path = root / rel
                remove(path)  # a folder becomes a file
                make_parent(path)
                path.write_bytes(text.encode("utf-8", "surrogateescape"))

            @rule(rel=paths, text=st.sampled_from(CHURN_TEXTS))
            def atomic_save(self, rel: str, text: str) -> None:
                path = root / rel
                if path.is_dir() or not path.parent.is_dir():
                    return
                temporary = path.with_name(path.name + ".tmp")
                temporary.write_text(text, encoding="utf-8")
                temporary.replace(path)  # an editor's save: write aside, rename over

            @rule(rel=paths)
            def delete(self, rel: str) -> None:
                remove(root / rel)

            @rule(rel=paths)
            def into_folder(self, rel: str) -> None:
                path = root / rel
                remove(path)  # a file becomes a folder
                make_parent(path)
                write_files(path, {"inner.md": "# Inner\n"})

            @rule(source=paths, destination=paths)
            def rename(self, source: str, destination: str) -> None:
                if source == destination or not (root / source).exists():
                    return
                if (root / source).is_dir() and destination.endswith("index.md"):
                    return  # a known fault of output.py: see the test below
                if (root / destination).is_relative_to(root / source) or (
                    root / source
                ).is_relative_to(root / destination):
                    return
                remove(root / destination)
                make_parent(root / destination)
                (root / source).rename(root / destination)

            @rule(rel=paths, mode=st.sampled_from([0o000, 0o200, 0o644, 0o755]))
            def chmod(self, rel: str, mode: int) -> None:
                with contextlib.suppress(OSError):
                    (root / rel).chmod(mode)

            @invariant()
            def still_serving(self) -> None:
                assert thread.is_alive(), said[-5:]

            def teardown(self) -> None:
                """Churn over: fix the files if they do not build, and wait for the site."""
                for folder in (root / "content", root / "static"):  # not the server's cache
                    for path in [folder, *folder.rglob("*")]:
                        with contextlib.suppress(OSError):
                            path.chmod(0o755 if path.is_dir() else 0o644)
                remove(clean_out)
                if not build_site(BuildOptions(root=root, out=clean_out, use_cache=False)).ok:
                    for folder in ("content", "static"):
                        remove(root / folder)
                    write_files(root, CHURN_BASELINE)
                    remove(clean_out)
                    assert build_site(BuildOptions(root=root, out=clean_out, use_cache=False)).ok
                expected = built_html(clean_out)
                served = root / ".docsite-cache/serve"
                try:
                    wait_until(lambda: served_html(url, served) == expected, timeout=15)
                except AssertionError:
                    now = served_html(url, served)
                    raise AssertionError(site_difference(now, expected, said)) from None
                assert thread.is_alive()

        run_state_machine_as_test(
            Churn,
            settings=settings(
                max_examples=6,
                stateful_step_count=8,
                deadline=None,
                phases=(Phase.explicit, Phase.reuse, Phase.generate),  # shrinking takes minutes
                suppress_health_check=list(HealthCheck),
            ),
        )
        assert get(int(url.rsplit(":", 1)[1].strip("/")))[0] in (200, 404)  # a home page or none


def test_a_page_file_that_becomes_a_folder_of_pages_is_served(project):
    """content/index.md becomes a folder: the home page's Markdown copy /index.md (a file in
    the last site) stands where /index.md/inner/ now goes, and every rebuild fails on it."""
    with serving(project) as (url, said):
        (project / "content/index.md").unlink()
        write_files(project, {"content/index.md/inner.md": "# Inner\n"})
        try:
            wait_until(lambda: "Inner" in fetch(url + "index.md/inner/"), timeout=5)
        except AssertionError:
            raise AssertionError("\n".join(said[-3:])) from None


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_watching_goes_on_when_the_inotify_reader_dies(project):
    """watchdog 7.1 reads every inotify watch in one thread, which a KeyError of its own can
    end as folders vanish: the watches then stand, silent. Watch mode notices and rewatches."""
    observers = []
    make_observer = docsite.serve.watch.Observer

    def observer() -> object:
        observers.append(make_observer())
        return observers[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(docsite.serve.watch, "Observer", observer)
        with serving(project) as (url, _):
            reader = getattr(observers[0], "_inotify_fd", None)
            if reader is None:
                pytest.skip("the inotify backend is not in use")

            def handle_event(event: object) -> None:
                raise KeyError("a path it no longer knows")

            reader.handle_event = handle_event
            write_files(project, {"content/index.md": "# Home\n\nFirst.\n"})  # ends the reader
            wait_until(lambda: not reader.is_alive(), what="the reader to end")
            write_files(project, {"content/index.md": "# Home\n\nAfter.\n"})
            wait_until(lambda: "After." in fetch(url), what="the edit to be served")
