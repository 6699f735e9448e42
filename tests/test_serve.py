"""Watch mode: change sorting, the HTTP server's safety, and live reloads end to end."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import write_files

import docsite.serve.live
from docsite.build import BuildOptions, build_site
from docsite.diagnostics import UsageError
from docsite.filelock import try_lock
from docsite.serve.live import ChangeKind, LiveSite, classify
from docsite.serve.server import Broadcaster, bind, preview, resolve_request
from docsite.serve.watch import (
    FIRST_BUILD_FAILED,
    REBUILD_FAILED,
    report_update,
    serve,
)


def reload_of(paths: list[str]) -> dict:
    """A reload event's data for these pages' HTML alone (no stylesheet, image or script)."""
    return {"all": False, "paths": paths, "css": False, "files": False, "images": []}


def test_classify_sorts_changes_by_kind(tmp_path):
    root = tmp_path
    content = root / "content"
    names = ("docsite.yml", "docsite.yaml", "retype.yml", "retype.yaml", "retype.json")
    config = {root / name for name in names}
    out = root / ".docsite-cache" / "serve"

    def kind(rel):
        return classify(root / rel, root, content, config, [out, root / ".docsite-cache"])

    assert kind("content/guide/setup.md") is ChangeKind.PAGE
    assert kind("content/guide/setup.yml") is ChangeKind.SETTINGS
    assert kind("content/img/logo.png") is ChangeKind.ASSET
    assert kind("templates/page.html") is ChangeKind.TEMPLATE
    assert kind("static/assets/docsite.css") is ChangeKind.STYLESHEET
    assert kind("static/assets/docsite.js") is ChangeKind.STATIC
    for name in names:  # a docsite.yml made beside a retype.yml takes over: it rebuilds too
        assert kind(name) is ChangeKind.CONFIG, name
    assert kind("content/docsite.yml") is ChangeKind.SETTINGS  # not the project's config
    assert kind("content/_includes/part.md") is ChangeKind.INCLUDED
    assert kind("content/guide/_includes/new.html") is ChangeKind.INCLUDED
    snippet = root / "src/app.py"
    assert classify(snippet, root, content, config, [], frozenset({snippet})) is ChangeKind.INCLUDED
    # A Retype project's pages sit in the project folder: its config is still the config.
    assert classify(root / "retype.yml", root, root, config, []) is ChangeKind.CONFIG
    assert classify(root / "guide.md", root, root, config, []) is ChangeKind.PAGE
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
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
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
    for script in ("livereload.js", "livereload-worker.js"):
        response, body = request(http_server, "GET", "/__docsite/" + script)
        assert response.status == 200 and body.startswith(b"// docsite watch mode")
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


def _get(port: int, path: str, headers: dict[str, str], connection=None):
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response, response.read()


def _served_stamp(html: bytes) -> int:
    script = BeautifulSoup(html, "html.parser").find("script", src="/__docsite/livereload.js")
    return int(script["data-served"])


def test_files_carry_validators_and_unchanged_ones_answer_304_on_one_connection(
    http_server, tmp_path
):
    """A reload asks again for every file of the page; the ones a rebuild did not change
    come back as 304, on the same kept-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", http_server, timeout=5)
    css, body = _get(http_server, "/assets/app.css", {}, connection)
    etag = css.getheader("ETag")
    assert body == b"body{}" and etag and css.getheader("Cache-Control") == "no-cache"
    again, body = _get(http_server, "/assets/app.css", {"If-None-Match": etag}, connection)
    assert again.status == 304 and body == b"" and again.getheader("ETag") == etag
    assert not css.will_close and not again.will_close  # the connection is kept
    weak, _ = _get(http_server, "/assets/app.css", {"If-None-Match": f'"x", W/{etag}'}, connection)
    assert weak.status == 304
    # A page says when it was read, so it is never answered from the browser's copy.
    page, html = _get(http_server, "/", {}, connection)
    again, html_again = _get(http_server, "/", {"If-None-Match": page.getheader("ETag")})
    assert page.status == again.status == 200
    stamps = [_served_stamp(body) for body in (html, html_again)]
    assert 0 < stamps[0] < stamps[1]
    connection.close()
    (tmp_path / "site/assets/app.css").write_text("body{color:red}")
    changed, body = _get(http_server, "/assets/app.css", {"If-None-Match": etag})
    assert changed.status == 200 and body == b"body{color:red}"
    assert changed.getheader("ETag") != etag
    missing, _ = _get(http_server, "/nowhere/", {"If-None-Match": "*"})
    assert missing.status == 404 and missing.getheader("Cache-Control") == "no-store"


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
        self.connected = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.connected.wait(5), "the event stream did not open"

    def _read(self):
        event = None
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line == ": connected":
                    self.connected.set()  # the server hands this client every event from now
                elif line.startswith("event: "):
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
                if isinstance(data, dict):
                    assert data.pop("at", 1) > 0  # when a reload went out: always later
                return data, when
        raise AssertionError(f"no {name!r} event within {timeout} s")

    def after_previews(self, preview: dict, timeout: float = 10) -> tuple[str, object]:
        """The next event but the reload `preview` again: watch mode may see one save as two
        changes (the file emptied, then written) and preview each alike before the build."""
        while True:
            event, data, _ = self.events.get(timeout=timeout)
            if event == "reload" and isinstance(data, dict):
                data.pop("at", None)
                if data == preview:
                    continue
            return event, data

    def wait_for_reload_of(self, path: str, timeout: float = 10):
        """The reload event that names `path` (or all pages): one of the open pages' ahead
        of the build may come first."""
        deadline = time.monotonic() + timeout
        while True:
            data, when = self.wait_for("reload", max(0.1, deadline - time.monotonic()))
            if data["all"] or path in data["paths"]:
                return data, when

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
def serving_thread(root: Path) -> Iterator[tuple[str, threading.Thread, list[str]]]:
    """`serve` in a thread on a free port: its URL, the thread (to check it still runs) and
    what it said."""
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
        yield ready.get(timeout=30), thread, said
    finally:
        stop.set()
        thread.join(timeout=10)


@contextlib.contextmanager
def serving(root: Path) -> Iterator[tuple[str, list[str]]]:
    """`serve` in a thread on a free port: (its URL, what it said)."""
    with serving_thread(root) as (url, _, said):
        yield url, said


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
        page = root / "content/guide.md"
        page.write_text(page.read_text().replace("First version.", "Second version."))
        data, _ = client.wait_for("reload")
        assert data == reload_of(["/guide/"])
        assert "Second version." in fetch(url + "guide/")
        assert "Second version." in fetch(url + "guide.md")  # its Markdown copy too
        assert any(line.startswith("Rebuilt 1 page") for line in said)
    finally:
        client.close()


def test_label_edit_rebuilds_pages_that_show_it(served_project):
    root, url, _ = served_project
    client = EventClient(url)
    try:
        page = root / "content/guide.md"
        page.write_text(page.read_text().replace("# Guide", "# Handbook"))
        data, _ = client.wait_for("reload")
        assert set(data["paths"]) == {"/", "/guide/", "/other/"}
        assert "Handbook" in fetch(url + "other/")
    finally:
        client.close()


def test_the_open_page_reloads_first_and_not_again_when_the_build_agrees(served_project):
    root, url, _ = served_project
    client = EventClient(url)
    try:
        assert "Guide" in fetch(url + "other/")  # a reader has it open
        parts = urllib.parse.urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        connection.request("GET", "/__docsite/here?path=/")  # another tab comes to the front
        assert connection.getresponse().status == 204
        connection.close()
        page = root / "content/guide.md"
        page.write_text(page.read_text().replace("# Guide", "# Handbook"))
        data, _ = client.wait_for("reload")
        assert data == reload_of(["/", "/other/"])  # before the rest is built
        assert "Handbook" in fetch(url + "other/")
        data, _ = client.wait_for("reload")
        assert data == reload_of(["/guide/"])  # the others show it already
    finally:
        client.close()


def test_broken_page_keeps_last_good_site_and_reports(served_project):
    root, url, said = served_project
    client = EventClient(url)
    try:
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
        write_files(root, {"static/assets/extra.css": "body{color:red}"})
        client.wait_for("css")
        assert fetch(url + "assets/extra.css") == "body{color:red}"
    finally:
        client.close()


def test_a_reload_says_whether_stylesheets_or_other_files_changed_with_the_pages(
    served_project,
):
    """Tabs put a changed page in place: they fetch the stylesheets again when one changed
    with it, and reload when an image or a script did (in place, the old one would stay)."""
    root, url, _ = served_project
    client = EventClient(url)
    try:
        guide = (root / "content/guide.md").read_text()
        styled = guide.replace("First version.", "Styled version.")
        write_files(root, {"static/assets/extra.css": "b{}", "content/guide.md": styled})
        data, _ = client.wait_for("reload")
        assert "/guide/" in data["paths"] and (data["css"], data["files"]) == (True, False)
        scripted = guide.replace("First version.", "Scripted version.")
        write_files(root, {"static/assets/extra.js": "1;", "content/guide.md": scripted})
        data, _ = client.wait_for("reload")
        assert "/guide/" in data["paths"] and (data["css"], data["files"]) == (False, True)
    finally:
        client.close()


# A page that shows an image (its address, not its bytes) and one that shows the size of a
# download (which it reads).
IMAGE_AND_DOWNLOAD = {
    "content/index.md": "# Home\n\n![Logo](logo.svg)\n",
    "content/get.md": "# Get\n\n[!file](notes.txt)\n",
    "content/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
    "content/notes.txt": "short",
}


def test_edited_files_reach_the_tabs_before_the_build_and_once(tmp_path):
    """An image of the content folder or a script of static/, edited: the tabs get it at
    once from memory, ahead of the build (the image in place, for the script every tab
    reloads); after the build, which re-renders no page, none reloads again. A download is
    no file a tab shows: the open page with its link is updated in place with its new size.
    A file the build publishes otherwise than previewed (static/ wins over content/ at one
    path) reloads the tabs again."""
    root = tmp_path / "proj"
    write_files(
        root,
        {
            **IMAGE_AND_DOWNLOAD,
            "content/shadowed.txt": "content's",
            "static/extra.js": "let a = 1;",
            "static/shadowed.txt": "static's",
        },
    )
    logo = '<svg xmlns="http://www.w3.org/2000/svg"><title>New</title></svg>'
    with serving(root) as (url, _):
        client = EventClient(url)
        try:
            edits = (
                ("content/logo.svg", logo, (False, False, ["/logo.svg"])),
                ("static/extra.js", "let a = 2;", (True, True, [])),
            )
            for rel, text, (everywhere, files, images) in edits:
                write_files(root, {rel: text})
                data, _ = client.wait_for("reload")
                assert (data["all"], data["files"], data["images"]) == (everywhere, files, images)
                assert not data["css"]
                assert fetch(url + rel.split("/", 1)[1]) == text
                # the build's own, once done
                assert client.after_previews(data) == ("ok", {})
            assert "5 bytes" in fetch(url + "get/")  # a tab shows the download link's page
            write_files(root, {"content/notes.txt": "much longer notes"})
            data, _ = client.wait_for("reload")  # at once, updated in place: no image
            assert (data["paths"], data["all"], data["files"]) == (["/get/"], False, False)
            assert "17 bytes" in fetch(url + "get/")
            assert client.after_previews(data) == ("ok", {})  # the build made it so too
            write_files(root, {"content/shadowed.txt": "content's, edited"})
            data, _ = client.wait_for("reload")  # at once, with the content folder's file
            assert (data["all"], data["files"]) == (False, False)  # no page shows it
            # Again, with the one the build published. Watch mode may have seen the save as
            # two changes (the file emptied, then written), each previewed like the first.
            while not data["all"]:
                data, _ = client.wait_for("reload")
            assert data["files"] and fetch(url + "shadowed.txt") == "static's"
        finally:
            client.close()


def test_an_image_no_page_reads_goes_to_the_tabs_without_a_render_of_the_open_pages(
    tmp_path, monkeypatch
):
    """A page shows an image by its address, not its bytes: an edited image goes to the tabs
    at once, and the open pages are not rendered for it (they would come out the same). A
    file a page does read (a download, whose size it shows) still has them rendered."""
    root = tmp_path / "proj"
    write_files(root, IMAGE_AND_DOWNLOAD)
    rendered: list[list[str]] = []
    real = docsite.serve.live.preview_pages

    def recorded(options, live, memory, urls, *rest):
        rendered.append(list(urls))
        return real(options, live, memory, urls, *rest)

    monkeypatch.setattr(docsite.serve.live, "preview_pages", recorded)
    with serving(root) as (url, _):
        client = EventClient(url)
        try:
            fetch(url)  # both pages open in tabs
            fetch(url + "get/")
            logo = '<svg xmlns="http://www.w3.org/2000/svg"><title>New</title></svg>'
            write_files(root, {"content/logo.svg": logo})
            data, _ = client.wait_for("reload")
            assert (data["images"], data["paths"]) == (["/logo.svg"], [])
            assert fetch(url + "logo.svg") == logo
            assert client.after_previews(data) == ("ok", {})  # the build's own, once done
            assert rendered == []
            write_files(root, {"content/notes.txt": "much longer notes"})
            data, _ = client.wait_for("reload")
            assert data["paths"] == ["/get/"] and "17 bytes" in fetch(url + "get/")
            assert rendered == [["get/", ""]]
        finally:
            client.close()


def test_serve_does_not_touch_the_site_folder(served_project):
    root, _, _ = served_project
    assert not (root / "site").exists()
    assert (root / ".docsite-cache/serve/index.html").is_file()


def test_serve_command_help_lists_options(tmp_path):
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
            (root / "content/_includes/part.md").write_text("Part two.\n")
            data, _ = client.wait_for("reload")
            assert data == reload_of(["/"])
            assert "Part two." in fetch(url)
            (root / "src/app.py").write_text("two = 2\n")
            data, _ = client.wait_for("reload")
            assert data == reload_of(["/guide/"])
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
            page = root / "content/index.md"
            page.write_text('# Home\n\n:::code source="../src/app.py" :::\n')
            client.wait_for("reload")
            assert "one" in fetch(url)
            time.sleep(0.3)  # the snippet's folder is watched once the batch is done
            (root / "src/app.py").write_text("two = 2\n")
            data, _ = client.wait_for("reload")
            assert data == reload_of(["/"])
            assert "two" in fetch(url)
        finally:
            client.close()


def status_and_body(url: str, method: str = "GET") -> tuple[int, bytes]:
    parts = urllib.parse.urlsplit(url)
    response, body = request(parts.port, method, parts.path or "/")
    return response.status, body


# `docsite serve` in a process of its own, as in a second terminal: prints what it says.
SERVE_PROCESS = """
import sys
from pathlib import Path
from docsite.build import BuildOptions
from docsite.serve.watch import serve
say = lambda line: print(line, flush=True)
ready = lambda url: say("ready " + url)
serve(BuildOptions(root=Path(sys.argv[1])), port=0, say=say, ready=ready)
"""


def test_concurrent_serves_build_into_their_own_folders(tmp_path):
    root = tmp_path / "proj"
    write_files(root, {"content/index.md": "# Home\n\nFirst.\n"})
    cache = root / ".docsite-cache"
    other = subprocess.Popen(
        [sys.executable, "-c", SERVE_PROCESS, str(root)], stdout=subprocess.PIPE, text=True
    )
    try:
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in other.stdout], daemon=True).start()
        other_said = []
        while not other_said or not other_said[-1].startswith("ready "):
            other_said.append(lines.get(timeout=20).rstrip("\n"))
        other_url = other_said[-1].removeprefix("ready ")
        with serving(root) as (url, said):
            assert not any("Another" in line for line in other_said)
            assert (
                "Another 'docsite serve' runs in this project: this one builds into "
                ".docsite-cache/serve-2" in said
            )
            clients = [EventClient(other_url), EventClient(url)]
            try:
                (root / "content/index.md").write_text("# Home\n\nSecond.\n")
                for client in clients:
                    client.wait_for("reload")
            finally:
                for client in clients:
                    client.close()
            for served, folder in ((other_url, "serve"), (url, "serve-2")):
                assert "Second." in fetch(served)
                assert "Second." in (cache / folder / "index.html").read_text()
            other.kill()  # SIGKILL on POSIX: no chance to clean up, yet its folder is free
            other.wait()
            with serving(root) as (third_url, third_said):
                assert not any("Another" in line for line in third_said)
                (cache / "serve/probe.txt").write_text("third")
                assert status_and_body(third_url + "probe.txt") == (200, b"third")
                assert status_and_body(url + "probe.txt")[0] == 404
    finally:
        other.kill()
        other.wait()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_forked_child_does_not_keep_the_lock(tmp_path):
    path = tmp_path / "serve.lock"
    lock = try_lock(path)
    assert lock is not None and try_lock(path) is None
    child_started, started = os.pipe()
    go_on, child_may_exit = os.pipe()
    child = os.fork()
    if child == 0:  # as a render worker or a background deletion would be
        os.write(started, b"x")
        os.read(go_on, 1)
        os._exit(0)
    try:
        os.read(child_started, 1)
        lock.release()
        again = try_lock(path)  # the child still runs, and holds no copy of the lock
        assert again is not None
        again.release(remove=True)
        assert not path.exists()
    finally:
        os.write(child_may_exit, b"x")
        os.waitpid(child, 0)
        for fd in (child_started, started, go_on, child_may_exit):
            os.close(fd)


def test_the_last_line_tells_the_state_after_each_change(tmp_path):
    root = tmp_path / "proj"
    config = "title: Docs\ninput: docs\n"  # watched although the first build fails
    write_files(
        root,
        {
            "docsite.yml": config,
            "docs/index.md": "# Home\n\nWelcome.\n",
            "docs/guide.md": "# Guide\n\n[broken](nowhere.md)\n",
        },
    )
    guide, home = root / "docs/guide.md", root / "docs/index.md"
    with serving(root) as (url, said):
        assert said[-2].startswith("Serving on ") and said[-1] == FIRST_BUILD_FAILED
        client = EventClient(url)
        try:
            guide.write_text("# Guide\n\nFirst version.\n")
            client.wait_for("reload")
            assert said[-1].startswith("Fixed: the site is up to date again (rebuilt 2 pages in")
            guide.write_text("# Guide\n\n[broken](nowhere.md)\n")  # a page's body alone
            client.wait_for("builderror")
            assert said[-2].startswith("docs/guide.md:3:") and said[-1] == REBUILD_FAILED
            guide.write_text("# Guide\n\nFixed version.\n")  # that page again: still fast
            client.wait_for("reload")
            assert said[-1].startswith("Fixed: the site is up to date again (rebuilt 1 page in")
            guide.write_text("# Guide\n\n[broken](nowhere.md)\n")
            client.wait_for("builderror")
            home.write_text("# Home\n\nWelcome back.\n")  # good, but the guide is still broken
            client.wait_for("builderror")
            assert said[-1] == REBUILD_FAILED
            guide.write_text("# Guide\n\nSecond version.\n")
            client.wait_for("reload")
            assert said[-1].startswith("Fixed: the site is up to date again (rebuilt ")
            assert "Welcome back." in fetch(url) and "Second version." in fetch(url + "guide/")
            (root / "docsite.yml").write_text(config + "toc:\n  depth: 9\n")
            client.wait_for("builderror")
            assert said[-1] == REBUILD_FAILED
            (root / "docsite.yml").write_text(config)  # back as it was: nothing to re-render
            client.wait_for("ok")
            # How many pages it re-renders depends on how the saves above were batched.
            assert said[-1].startswith("Fixed: the site is up to date again (")
        finally:
            client.close()


def test_live_site_keeps_the_state_across_updates(tmp_path):
    root = tmp_path / "proj"
    write_files(root, {"content/index.md": "# Home\n\nX.\n", "content/logo.png": b"one"})
    home = root / "content/index.md"
    served = root / ".docsite-cache/serve/index.html"
    live = LiveSite(BuildOptions(root=root, out=served.parent))
    try:
        assert not live.full_build().failed
        assert live.apply([root / "README.md", root / ".docsite-cache/x"]).skipped
        assert live.kind_of(root / "retype.json") is ChangeKind.CONFIG
        home.write_text("# Home\n\nY.\n")
        assert live.apply([home]).rendered == 1 and "Y." in served.read_text()
        # Back as the last whole build saw it: the build must not trust "nothing changed".
        home.write_text("# Home\n\nX.\n")
        assert not live.full_build().failed and "X." in served.read_text()
        (root / "content/logo.png").write_bytes(b"two")
        update = live.apply([root / "content/logo.png"])
        assert update.reload_all and (served.parent / "logo.png").read_bytes() == b"two"
        home.write_text("# Home\n\n[broken](nowhere.md)\n")
        assert live.apply([home]).failed and live.failing
        assert live.apply([root / "README.md"]).skipped and live.failing
        said: list[str] = []
        home.write_text("# Home\n\nX.\n")
        report_update(live.apply([home]), said.append, quiet=True)
        assert said[-1].startswith("Fixed: the site is up to date again (")  # even with -q
        shutil.rmtree(root / "content")  # no project any more: said, not raised
        update = live.apply([home])
        assert update.failed and "docsite init" in update.diagnostics[0].message
    finally:
        live.close()


def body_edit_alone(live: LiveSite, page: Path, text: str, monkeypatch) -> list[str]:
    """Save `page` as `text` and apply it in watch mode, which must re-render it alone (no
    build); its diagnostics, formatted."""
    page.write_text(text)
    with monkeypatch.context() as patched:
        patched.setattr(live, "_full_build", lambda **_: pytest.fail("not re-rendered alone"))
        update = live.apply([page])
    assert update.failed == any(d.severity.value == "error" for d in update.diagnostics)
    return [d.format() for d in update.diagnostics]


def clean_build_says(root: Path, out: Path) -> list[str]:
    """What a clean build of the project says."""
    return [
        d.format() for d in build_site(BuildOptions(root, out=out, use_cache=False)).report.sorted()
    ]


def test_a_body_edit_re_rendered_alone_checks_anchors_as_the_build_does(tmp_path, monkeypatch):
    """A page re-rendered alone in watch mode checks its links to anchors, and the links of
    other pages to the headings it renamed, as a build would: an error keeps its last good
    file. It said nothing until the next build."""
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "content/index.md": "# Home\n\n[B](b.md#usage)\n",
            "content/b.md": "# B\n\n## Usage\n",
            "content/c.md": "# C\n",
        },
    )
    served = root / ".docsite-cache/serve"
    b, c = root / "content/b.md", root / "content/c.md"
    live = LiveSite(BuildOptions(root=root, out=served))
    try:
        assert not live.full_build().failed
        said = body_edit_alone(live, c, "# C\n\n[typo](#usgae)\n", monkeypatch)
        assert said == clean_build_says(root, tmp_path / "clean1") and len(said) == 1
        assert live.failing and "typo" not in (served / "c/index.html").read_text()
        assert not body_edit_alone(live, c, "# C\n\n[usage](b.md#usage)\n", monkeypatch)
        assert not live.failing and "usage" in (served / "c/index.html").read_text()
        # The heading both pages link to, renamed: their links break, not b.md's own page.
        said = body_edit_alone(live, b, "# B\n\n## Use\n", monkeypatch)
        assert said == clean_build_says(root, tmp_path / "clean2") and len(said) == 2
        assert "Usage" in (served / "b/index.html").read_text()
        assert not body_edit_alone(live, b, "# B\n\n## Usage\n\n## Use\n", monkeypatch)
        # The page's anchors are its new ones from now on.
        assert not body_edit_alone(live, c, "# C\n\n[use](b.md#use)\n", monkeypatch)
    finally:
        live.close()


def test_warnings_of_anchors_reach_watch_mode_and_the_page_is_served(tmp_path, monkeypatch):
    """With `checks.anchors: warning`, the edit is served, and the warning said."""
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "docsite.yml": "checks:\n  anchors: warning\n",
            "content/index.md": "# Home\n",
            "content/b.md": "# B\n",
        },
    )
    served = root / ".docsite-cache/serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    try:
        assert not live.full_build().failed
        said = body_edit_alone(live, root / "content/b.md", "# B\n\n[x](index.md#x)\n", monkeypatch)
        assert said == clean_build_says(root, tmp_path / "clean") and len(said) == 1
        assert not live.failing and '#x"' in (served / "b/index.html").read_text()
    finally:
        live.close()


def test_serving_a_retype_project_watches_its_folders_and_configs(tmp_path):
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "retype.yml": "branding:\n  title: Retype Title\n",
            "index.md": "# Home\n",
            "guide/setup.md": "# Setup\n\nFirst.\n",
        },
    )
    with serving(root) as (url, _):
        client = EventClient(url)
        try:
            (root / "guide/setup.md").write_text("# Setup\n\nSecond.\n")
            client.wait_for("reload")
            assert "Second." in fetch(url + "guide/setup/")
            write_files(root, {"docsite.yml": "title: Own Title\ninput: .\n"})
            client.wait_for_reload_of("/")
            assert "Own Title" in fetch(url)
        finally:
            client.close()


def test_serve_without_a_project_fails_as_build_does_and_leaves_no_trace(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = [
        BuildOptions(root=empty),  # no config, no content/
        BuildOptions(root=empty, config_file=empty / "missing.yml"),
        BuildOptions(root=tmp_path / "typo", config_file=tmp_path / "typo/docsite.yml"),
    ]
    for options in cases:
        with pytest.raises(UsageError) as built:
            build_site(options)
        stop, ready = threading.Event(), []
        stop.set()  # were it to serve, it would stop at once
        with pytest.raises(UsageError) as served:
            serve(options, port=0, say=lambda _: None, ready=ready.append, stop=stop)
        assert str(served.value) == str(built.value)
        assert ready == [], "a port was bound"
        assert list(empty.iterdir()) == [] and not (tmp_path / "typo").exists()


@pytest.fixture
def built_site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    site = tmp_path / "site"
    files = {
        "index.html": b"<html><body><p>Home</p></body></html>",
        "guide/index.html": b"<html><body>Guide</body></html>",
        "404.html": b"<html><body>Custom 404</body></html>",
        "assets/logo.png": bytes(range(256)),
        ".docsite": b"marker",
    }
    write_files(site, files)
    return site, files


def test_preview_serves_the_built_site_as_it_is(built_site):
    site, files = built_site
    stop, ready, said = threading.Event(), queue.Queue(), []
    thread = threading.Thread(
        target=preview,
        kwargs=dict(site_dir=site, port=0, say=said.append, ready=ready.put, stop=stop),
        daemon=True,
    )
    thread.start()
    try:
        url = ready.get(timeout=10)
        assert said == [f"Serving site/ on {url} (Ctrl+C to stop)"]
        for rel, path in (("index.html", ""), ("guide/index.html", "guide/")):
            assert status_and_body(url + path) == (200, files[rel])  # byte for byte
        assert status_and_body(url + "assets/logo.png") == (200, files["assets/logo.png"])
        assert status_and_body(url + "guide")[0] == 301
        for missing in (
            "nope/",
            "__docsite/events",
            "__docsite/livereload.js",
            "__docsite/livereload-worker.js",
            ".docsite",
        ):
            assert status_and_body(url + missing) == (404, files["404.html"]), missing
        assert status_and_body(url + "%2e%2e/%2e%2e/etc/passwd")[0] == 404
        assert status_and_body(url, "HEAD") == (200, b"")
        assert status_and_body(url, "POST")[0] == 405
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_preview_without_a_built_site_says_to_build(built_site):
    site, _ = built_site
    (site / "index.html").unlink()
    for folder in (site, site.parent / "elsewhere"):
        with pytest.raises(UsageError) as error:
            preview(folder, port=0, say=lambda _: None)
        assert str(error.value) == f"no built site in {folder.name}: run 'docsite build' first"


def test_a_page_that_reads_another_follows_its_title_but_not_its_body(tmp_path):
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "content/index.md": "# Home\n\nRead: {{ content['guide'].title }}.\n",
            "content/guide.md": "# Guide\n\nFirst version.\n",
        },
    )
    with serving(root) as (url, _):
        client = EventClient(url)
        try:
            page = root / "content/guide.md"
            page.write_text(page.read_text().replace("First version.", "Second version."))
            data, _ = client.wait_for("reload")
            assert data["paths"] == ["/guide/"]  # its title did not change
            page.write_text(page.read_text().replace("# Guide", "# Handbook"))
            data, _ = client.wait_for("reload")
            assert "/" in data["paths"]
            assert "Read: Handbook." in fetch(url)
        finally:
            client.close()


def test_watch_mode_sees_left_out_files_the_site_publishes_and_partials(tmp_path):
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "retype.yml": "include: [_shared/]\nextends: ../base.yml\n",
            "../base.yml": "branding:\n  label: v1\n",
            "index.md": "# Home\n\n![](.gitbook/assets/a.png)\n",
            ".gitbook/assets/a.png": b"png",
            ".gitbook/assets/b.png": b"png",
            "_shared/page.md": "# Shared\n",
            "_drafts/page.md": "# Draft\n",
        },
    )
    served = root / ".docsite-cache/serve/index.html"
    live = LiveSite(BuildOptions(root=root, out=served.parent))
    try:
        assert not live.full_build().failed
        assert live.kind_of(root / ".gitbook/assets/a.png") is ChangeKind.ASSET  # linked
        assert live.kind_of(root / ".gitbook/assets/b.png") is ChangeKind.IGNORED
        assert live.kind_of(root / "_shared/page.md") is ChangeKind.ASSET  # included
        assert live.kind_of(root / "_drafts/page.md") is ChangeKind.IGNORED
        assert live.kind_of(tmp_path / "base.yml") is ChangeKind.CONFIG  # extended
        assert live.kind_of(root / "retype.start.yml") is ChangeKind.CONFIG
    finally:
        live.close()


def test_the_heap_is_frozen_while_quiet_and_collected_only_after_a_long_quiet():
    import gc

    from docsite.serve.watch import QuietHeap

    heap = QuietHeap()
    try:
        heap.changed()
        heap.settle()  # just after a change: frozen, not collected (a save may come)
        assert gc.get_freeze_count() > 0 and heap.collected == 0
        heap.last_change -= 60  # a minute without a change
        heap.settle()
        assert heap.collected == gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_change_is_built_with_the_collector_at_a_build_s_pace_then_as_it_was(project):
    """As in `docsite build`, the collector runs seldom while a change is built, and what
    the build reads from its cache is frozen out of its walks; between changes it runs at
    the pace it had, and QuietHeap frees what the builds left."""
    import gc

    from docsite import cache
    from docsite.serve import watch

    project.write({"content/index.md": "# Home\n", "content/guide.md": "# Guide\n"})
    live = LiveSite(BuildOptions(root=project.root, out=project.out))
    seen = []
    real_apply = live.apply

    def apply(paths):
        seen.append((gc.get_threshold(), cache._loaded.frozen))
        return real_apply(paths)

    live.apply = apply
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    try:
        assert not live.full_build().failed
        page = project.write({"content/guide.md": "# Guide, again\n"}).root / "content/guide.md"
        update = watch._apply(live, [page], watch.QuietHeap())
        assert update is not None and not update.failed and update.changed_urls
        assert seen == [(cache.SELDOM_COLLECTION, True)]
        assert gc.get_threshold() == before and not cache._loaded.frozen
        assert gc.get_freeze_count() > frozen, "what the build read was frozen"
    finally:
        live.close()
        gc.unfreeze()


def test_the_site_a_change_replaces_is_freed_though_watch_mode_froze_it(project):
    """Watch mode freezes the site it keeps (QuietHeap), and the collector never frees
    frozen cycles: the site, its sidebar and its theme must hold no cycle, and no frozen
    garbage may hold them, or every change that replaces them keeps them for good."""
    import gc
    import weakref

    from docsite.serve import watch

    project.write(
        {
            "content/index.md": "# Home\n",
            "content/guide/index.md": "# Guide\n\n{{ content.pages | array.size }} pages\n",
            "content/guide/setup.md": "---\nicon: gear\nnav:\n  badge: NEW\n---\n# Setup\n",
            "content/blog/first.md": "---\ndate: 2026-01-02\n---\n# First post\n",
        }
    )
    live = LiveSite(BuildOptions(root=project.root, out=project.out))
    heap = watch.QuietHeap()
    try:
        assert not live.full_build().failed
        heap.settle()  # as watch mode does once the first build is served
        old = live.live
        assert old is not None and gc.is_tracked(old.site)
        kept = [weakref.ref(thing) for thing in (old.site, old.nav, old.theme, old.site.pages[0])]
        del old
        page = (
            project.write({"content/guide/setup.md": "# Set up\n"}).root / "content/guide/setup.md"
        )
        update = watch._apply(live, [page], heap)  # a label: a new site, sidebar and theme
        assert update is not None and not update.failed
        heap.settle()
        assert [ref() is None for ref in kept] == [True] * len(kept)
    finally:
        live.close()
        gc.unfreeze()


def test_watch_mode_collects_garbage_before_it_freezes(project):
    """What watch mode freezes (the heap between changes, what a change's build reads
    from its cache) goes with no garbage: frozen garbage would never be freed."""
    import gc
    import weakref

    from docsite import cache
    from docsite.serve import watch

    class Node:
        pass

    def garbage() -> weakref.ref:
        node = Node()
        node.self = node  # a cycle: reference counting never frees it
        return weakref.ref(node)

    enabled = gc.isenabled()
    gc.disable()  # only the collections under test run
    try:
        left = garbage()
        watch.QuietHeap().settle()
        assert left() is None
        with cache.collecting_seldom():
            left = garbage()
            with cache.collector_paused():  # a cache read
                pass
            assert left() is None
        left = garbage()
        with cache.collector_paused():  # `docsite build` ends with what it froze: no walk
            pass
        assert left() is not None
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def test_watch_mode_says_a_config_error_without_rendering_and_a_build_says_every_error(
    tmp_path,
):
    """A config with errors writes no site: watch mode says so at once (no page rendered,
    the last good site still served); a build goes on to say the pages' errors too."""
    root = tmp_path / "proj"
    good_config = "title: Docs\n"
    write_files(
        root,
        {
            "docsite.yml": good_config,
            "content/index.md": "# Home\n",
            "content/guide.md": "# Guide\n\nFirst version.\n",
        },
    )
    served = root / ".docsite-cache/serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    try:
        assert not live.full_build().failed
        write_files(
            root,
            {
                "docsite.yml": good_config + "search: false\n",
                "content/guide.md": "# Guide\n\n[broken](nowhere.md)\n",
            },
        )
        update = live.apply([root / "docsite.yml", root / "content/guide.md"])
        assert update.failed and update.rendered == 0
        assert [(d.file, d.line, d.col) for d in update.diagnostics] == [("docsite.yml", 2, 9)]
        assert "First version." in (served / "guide/index.html").read_text()

        built = build_site(BuildOptions(root=root, out=tmp_path / "out"))
        assert {d.file for d in built.report.errors} == {"docsite.yml", "content/guide.md"}
        assert not (tmp_path / "out").exists()

        write_files(root, {"docsite.yml": good_config})
        update = live.apply([root / "docsite.yml"])
        assert update.failed
        assert [d.file for d in update.diagnostics] == ["content/guide.md"]
    finally:
        live.close()


def git_commit(root: Path, when: str) -> None:
    """Commit everything in `root` (a repository made on the first call) at `when`."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    steps = [["add", "-A"], ["commit", "-q", "-m", when]]
    if not (root / ".git").is_dir():
        steps.insert(0, ["init", "-q"])
    for args in steps:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


DATED = {
    "retype.yml": "url: https://example.com/docs/\nlastUpdated:\n  date:\n    enabled: true\n",
    ".gitignore": ".docsite-cache/\n.retype/\n",
    "index.md": "# Home\n",
    "guide.md": "# Guide\n\nFirst.\n",
}


def last_updated(page: Path | str) -> str:
    """The "last updated" line of a page (a file, or its HTML)."""
    html = page.read_text() if isinstance(page, Path) else page
    shown = BeautifulSoup(html, "html.parser").select_one(".last-updated")
    return " ".join(shown.get_text().split()) if shown is not None else ""


def test_a_commit_while_serving_dates_the_pages_it_touches(tmp_path):
    """A commit moves git's HEAD: watch mode rebuilds the pages whose "last updated" date it
    changes, and the served site is a clean build's again."""
    root = tmp_path / "proj"
    write_files(root, DATED)
    git_commit(root, "2025-01-02T10:00:00+00:00")
    served = root / ".docsite-cache" / "serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    try:
        assert not live.full_build().failed
        assert last_updated(served / "guide/index.html") == "Last updated 2025-01-02"
        write_files(root, {"guide.md": "# Guide\n\nSecond.\n"})
        assert not live.apply([root / "guide.md"]).failed
        git_commit(root, "2025-03-04T10:00:00+00:00")
        heads = sorted(live.head_files)
        assert root / ".git/HEAD" in heads and root / ".git/refs/heads" in {p.parent for p in heads}
        assert {live.kind_of(path) for path in heads} == {ChangeKind.COMMIT}
        update = live.apply([*heads, root / ".git/index"])  # as the watcher reports them
        assert update.changed_urls == ["guide/"]
        assert last_updated(served / "guide/index.html") == "Last updated 2025-03-04"
        assert last_updated(served / "index.html") == "Last updated 2025-01-02"
        clean = tmp_path / "clean"
        assert build_site(BuildOptions(root=root, out=clean, use_cache=False)).ok
        for page in ("index.html", "guide/index.html", "sitemap.xml"):
            assert (served / page).read_bytes() == (clean / page).read_bytes(), page
    finally:
        live.close()


def test_serve_watches_git_for_commits(tmp_path):
    """The watcher sees a commit made while serving (git's folder is not watched whole)."""
    root = tmp_path / "proj"
    write_files(root, DATED)
    git_commit(root, "2025-01-02T10:00:00+00:00")
    with serving(root) as (url, _):
        client = EventClient(url)
        try:
            write_files(root, {"guide.md": "# Guide\n\nSecond.\n"})
            client.wait_for_reload_of("/guide/")
            git_commit(root, "2025-03-04T10:00:00+00:00")
            client.wait_for_reload_of("/guide/")
            assert last_updated(fetch(url + "guide/")) == "Last updated 2025-03-04"
        finally:
            client.close()
