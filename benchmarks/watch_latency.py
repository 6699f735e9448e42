"""Watch mode latency: from a file's save to the reload event reaching a connected client."""

from __future__ import annotations

import contextlib
import http.client
import queue
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from benchmarks.corpus import Corpus

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Events:
    """The server's event stream, read in a thread: (event name, arrival time) pairs."""

    def __init__(self, url: str):
        parts = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        self.connection.request("GET", "/__docsite/events")
        self.response = self.connection.getresponse()
        self.arrivals: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for raw in self.response:
                line = raw.decode()
                if line.startswith("event: "):
                    self.arrivals.put((line[7:].strip(), time.perf_counter()))
        except OSError:
            return

    def wait(self, name: str, timeout: float = 60) -> float:
        deadline = time.perf_counter() + timeout
        while True:
            event, when = self.arrivals.get(timeout=max(0.01, deadline - time.perf_counter()))
            if event == name:
                return when


@contextlib.contextmanager
def serving(corpus: Corpus, engine: Path = REPO) -> Iterator[str]:
    """`docsite serve -q` on the corpus, on a free port: its address, until the block ends.
    `engine`: the docsite checkout that serves (another one's, to compare two)."""
    with serving_process(corpus, engine) as (url, _):
        yield url


@contextlib.contextmanager
def serving_process(corpus: Corpus, engine: Path = REPO) -> Iterator[tuple[str, int]]:
    """`serving`, with the server's process id (to see when it is idle)."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, str(engine / "build.py"), "serve", "--port", str(port), "-q"],
        cwd=corpus.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = ""
        for line in server.stdout:  # type: ignore[union-attr]
            if line.startswith("Serving on "):
                url = line.split()[2]
                break
        if not url:
            raise RuntimeError("docsite serve did not start")
        yield url, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def measure_watch(corpus: Corpus, trials: int = 7, engine: Path = REPO) -> dict[str, float]:
    """Median milliseconds from save to reload event, for body and for label edits, served
    by the docsite of the checkout `engine`. The client has no page open: a body edit is
    re-rendered alone at once, but no preview shows the label edit (a page's title, in a
    sidebar), whose event comes once the whole site is rebuilt. What a reader with the
    page open sees is benchmarks.browser_latency's to measure."""
    with serving(corpus, engine) as url:
        events = _Events(url)
        time.sleep(0.5)
        body_page = corpus.content / corpus.pages[len(corpus.pages) // 2]
        label_page = corpus.content / corpus.pages[len(corpus.pages) // 3]
        body_times, label_times = [], []
        for trial in range(trials):
            text = body_page.read_text()
            saved = time.perf_counter()
            body_page.write_text(text + f"\nEdit {trial}.\n")
            body_times.append((events.wait("reload") - saved) * 1000)
            time.sleep(0.2)
            text = label_page.read_text()
            head, _, rest = text.partition("\n# ")
            saved = time.perf_counter()
            label_page.write_text(head + f"\n# T{trial} " + rest)
            label_times.append((events.wait("reload") - saved) * 1000)
            time.sleep(0.2)
        return {
            "body_edit_ms": round(statistics.median(body_times), 1),
            "label_edit_ms": round(statistics.median(label_times), 1),
        }
