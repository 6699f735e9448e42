"""Watch mode: change sorting, the HTTP server's safety, and live reloads end to end."""

from __future__ import annotations

import contextlib
import http.client
import json
import queue
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_files

from docsite.build import BuildOptions
from docsite.live import ChangeKind, classify
from docsite.serve import Broadcaster, bind, resolve_request
from docsite.watch import serve


def test_classify_sorts_changes_by_kind(tmp_path):
    root = tmp_path
    content = root / "content"
    config = root / "docsite.yml"
    out = root / ".docsite-cache" / "serve"

    def kind(rel):
        return classify(root / rel, root, content, config, [out, root / ".docsite-cache"])

    assert kind("content/guide/setup.md") is ChangeKind.PAGE
    assert kind("content/guide/setup.yml") is ChangeKind.SETTINGS
    assert kind("content/img/logo.png") is ChangeKind.ASSET
    assert kind("templates/page.html") is ChangeKind.TEMPLATE
    assert kind("static/assets/docsite.css") is ChangeKind.STYLESHEET
    assert kind("static/assets/docsite.js") is ChangeKind.STATIC
    assert kind("docsite.yml") is ChangeKind.CONFIG
    assert kind("content/_includes/part.md") is ChangeKind.INCLUDED
    assert kind("content/guide/_includes/new.html") is ChangeKind.INCLUDED
    snippet = root / "src/app.py"
    assert classify(snippet, root, content, config, [], frozenset({snippet})) is ChangeKind.INCLUDED
    for ignored in (
        "src/app.py",  # no page reads it
        "content/.page.md.swp",
        "content/page.md~",
        "content/_drafts/a.md",
        ".docsite-cache/serve/index.html",
        "README.md",
        "content/.hidden/a.md",
    ):
        assert kind(ignored) is ChangeKind.IGNORED, ignored


def test_resolve_request_stays_inside_the_site(tmp_path):
    site = tmp_path / "site"
    write_files(site, {"index.html": "home", "a/index.html": "a", ".secret": "s"})
    (tmp_path / "outside.txt").write_text("private")
    (site / "escape").symlink_to(tmp_path / "outside.txt")
    assert resolve_request(site, "/a/index.html") == (site / "a/index.html").resolve()
    assert resolve_request(site, "/") == site.resolve()
    for bad in (
        "/../outside.txt",
        "/a/../../outside.txt",
        "/%2e%2e/outside.txt",
        "/.secret",
        "/escape",
        "/a\\..\\..\\outside.txt",
        "/nope",
    ):
        assert resolve_request(site, bad) is None, bad


@pytest.fixture
def http_server(tmp_path):
    site = tmp_path / "site"
    write_files(
        site,
        {
            "index.html": "<html><body><p>Home</p></body></html>",
            "guide/index.html": "<html><body>Guide</body></html>",
            "404.html": "<html><body>Custom 404</body></html>",
            "assets/app.css": "body{}",
            ".docsite": "marker",
        },
    )
    server = bind("127.0.0.1", 0, site, Broadcaster(), say=lambda _: None)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def request(port, method, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request(method, path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_http_pages_404_405_and_traversal(http_server):
    response, body = request(http_server, "GET", "/")
    assert response.status == 200 and b"/__docsite/livereload.js" in body
    assert body.index(b"livereload") < body.index(b"</body>")
    response, body = request(http_server, "GET", "/guide")
    assert response.status == 301 and response.getheader("Location") == "/guide/"
    response, _ = request(http_server, "GET", "/assets/app.css")
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/css")
    response, body = request(http_server, "GET", "/missing/page/")
    assert response.status == 404 and b"Custom 404" in body
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/.docsite"):
        response, body = request(http_server, "GET", path)
        assert response.status == 404 and b"Custom 404" in body
    response, body = request(http_server, "HEAD", "/")
    assert response.status == 200 and body == b""
    for method in ("POST", "PUT", "DELETE"):
        response, _ = request(http_server, method, "/")
        assert response.status == 405 and response.getheader("Allow") == "GET, HEAD"


def test_taken_port_moves_to_the_next_free_one(tmp_path):
    said = []
    first = bind("127.0.0.1", 0, tmp_path, Broadcaster(), say=said.append)
    port = first.server_address[1]
    second = bind("127.0.0.1", port, tmp_path, Broadcaster(), say=said.append)
    try:
        assert second.server_address[1] > port
        assert said == [f"port {port} is taken; trying {port + 1}"] or said[0].startswith(
            f"port {port} is taken"
        )
    finally:
        first.server_close()
        second.server_close()


class EventClient:
    """Reads the server's event stream in a thread: (event, data) pairs in a queue."""

    def __init__(self, base_url: str):
        parts = urllib.parse.urlsplit(base_url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
        self.connection.request("GET", "/__docsite/events")
        self.response = self.connection.getresponse()
        self.events: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        event = None
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event:
                    self.events.put((event, json.loads(line[6:]), time.perf_counter()))
                    event = None
        except OSError:
            return

    def wait_for(self, name: str, timeout: float = 10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event, data, when = self.events.get(timeout=deadline - time.monotonic())
            except queue.Empty:
                break
            if event == name:
                return data, when
        raise AssertionError(f"no {name!r} event within {timeout} s")

    def close(self):
        self.connection.close()


@pytest.fixture
def served_project(tmp_path):
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "content/index.md": "# Home\n\nWelcome.\n",
            "content/guide.md": "---\norder: 5\n---\n# Guide\n\nFirst version.\n",
            "content/other.md": "# Other\n\n[guide](guide.md)\n",
            "static/assets/site.css": "body{}",
        },
    )
    with serving(root) as (url, said):
        yield root, url, said


@contextlib.contextmanager
def serving(root: Path) -> Iterator[tuple[str, list[str]]]:
    """`serve` in a thread on a free port: (its URL, what it said)."""
    stop = threading.Event()
    ready: queue.Queue = queue.Queue()
    said: list[str] = []
    thread = threading.Thread(
        target=serve,
        kwargs=dict(
            options=BuildOptions(root=root), port=0, say=said.append, ready=ready.put, stop=stop
        ),
        daemon=True,
    )
    thread.start()
    try:
        yield ready.get(timeout=30), said
    finally:
        stop.set()
        thread.join(timeout=10)


def fetch(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("GET", parts.path or "/")
    body = connection.getresponse().read().decode()
    connection.close()
    return body


def test_body_edit_reloads_only_that_page(served_project):
    root, url, said = served_project
    client = EventClient(url)
    try:
        time.sleep(0.2)
        page = root / "content/guide.md"
        page.write_text(page.read_text().replace("First version.", "Second version."))
        data, _ = client.wait_for("reload")
        assert data == {"all": False, "paths": ["/guide/"]}
        assert "Second version." in fetch(url + "guide/")
        assert "Second version." in fetch(url + "guide/index.md")  # its Markdown copy too
        assert any(line.startswith("Rebuilt 1 page") for line in said)
    finally:
        client.close()


def test_label_edit_rebuilds_pages_that_show_it(served_project):
    root, url, _ = served_project
    client = EventClient(url)
    try:
        time.sleep(0.2)
        page = root / "content/guide.md"
        page.write_text(page.read_text().replace("# Guide", "# Handbook"))
        data, _ = client.wait_for("reload")
        assert set(data["paths"]) == {"/", "/guide/", "/other/"}
        assert "Handbook" in fetch(url + "other/")
    finally:
        client.close()


def test_broken_page_keeps_last_good_site_and_reports(served_project):
    root, url, said = served_project
    client = EventClient(url)
    try:
        time.sleep(0.2)
        page = root / "content/guide.md"
        good = page.read_text()
        page.write_text(good.replace("First version.", "[broken](nowhere.md)"))
        data, _ = client.wait_for("builderror")
        (diagnostic,) = data["diagnostics"]
        assert diagnostic["file"] == "content/guide.md" and diagnostic["line"] == 6
        assert "First version." in fetch(url + "guide/")
        late = EventClient(url)  # a browser that connects now sees the error too
        try:
            late.wait_for("builderror")
        finally:
            late.close()
        page.write_text(good.replace("First version.", "Fixed version."))
        client.wait_for("reload")
        assert "Fixed version." in fetch(url + "guide/")
        assert any("content/guide.md:6" in line for line in said)
    finally:
        client.close()


def test_new_page_appears_in_the_sidebar(served_project):
    root, url, _ = served_project
    client = EventClient(url)
    try:
        time.sleep(0.2)
        write_files(root, {"content/fresh.md": "# Fresh page\n"})
        client.wait_for("reload")
        assert "Fresh page" in fetch(url)
        assert "Fresh page" in fetch(url + "fresh/")
    finally:
        client.close()


def test_stylesheet_change_swaps_css_without_reload(served_project):
    root, url, _ = served_project
    client = EventClient(url)
    try:
        time.sleep(0.2)
        write_files(root, {"static/assets/extra.css": "body{color:red}"})
        client.wait_for("css")
        assert fetch(url + "assets/extra.css") == "body{color:red}"
    finally:
        client.close()


def test_serve_does_not_touch_the_site_folder(served_project):
    root, _, _ = served_project
    assert not (root / "site").exists()
    assert (root / ".docsite-cache/serve/index.html").is_file()


def test_serve_command_help_lists_options(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(Path(__file__).parent.parent / "build.py"), "serve", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0
    for option in ("--host", "--port", "--open", "--poll"):
        assert option in done.stdout


def test_editing_an_include_or_a_snippet_reloads_the_pages_that_use_them(tmp_path):
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "content/index.md": '# Home\n\n{{ include "part" }}\n',
            "content/guide.md": '# Guide\n\n:::code source="../src/app.py" :::\n',
            "content/other.md": "# Other\n",
            "content/_includes/part.md": "Part one.\n",
            "src/app.py": "one = 1\n",
        },
    )
    with serving(root) as (url, _):
        client = EventClient(url)
        try:
            time.sleep(0.2)
            (root / "content/_includes/part.md").write_text("Part two.\n")
            data, _ = client.wait_for("reload")
            assert data == {"all": False, "paths": ["/"]}
            assert "Part two." in fetch(url)
            (root / "src/app.py").write_text("two = 2\n")
            data, _ = client.wait_for("reload")
            assert data == {"all": False, "paths": ["/guide/"]}
            assert "two" in fetch(url + "guide/")
        finally:
            client.close()


def test_a_snippet_added_while_serving_is_watched(tmp_path):
    root = tmp_path / "proj"
    write_files(
        root,
        {"content/index.md": "# Home\n\nFirst.\n", "src/app.py": "one = 1\n"},
    )
    with serving(root) as (url, _):
        client = EventClient(url)
        try:
            time.sleep(0.2)
            page = root / "content/index.md"
            page.write_text('# Home\n\n:::code source="../src/app.py" :::\n')
            client.wait_for("reload")
            assert "one" in fetch(url)
            time.sleep(0.3)  # the snippet's folder is watched once the batch is done
            (root / "src/app.py").write_text("two = 2\n")
            data, _ = client.wait_for("reload")
            assert data == {"all": False, "paths": ["/"]}
            assert "two" in fetch(url)
        finally:
            client.close()
