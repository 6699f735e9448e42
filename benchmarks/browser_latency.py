"""Watch mode where the reader is: from a file's save to the new text visible in Chromium.

`python -m benchmarks.browser_latency [--pages N] [--trials N]` generates a corpus, runs
`docsite serve` on it, opens a page in Debian's Chromium (Playwright) and times, as medians:

- reload: `page.reload()` of the open page alone, to its `load` event (what every asset of
  the page costs again after a rebuild);
- body edit: a new sentence saved in the open page's Markdown, until the browser shows it;
- label edit: its title changed in the frontmatter, until the sidebar shows it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import Corpus, generate
from benchmarks.watch_latency import serving

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _address(url: str, rel: str) -> str:
    """The served address of a page's source path: `a/b.md` is `/a/b/`, `a/index.md` `/a/`."""
    path = rel.removesuffix(".md").removesuffix("index")
    if path and not path.endswith("/"):
        path += "/"
    return url.rstrip("/") + "/" + path


def _visible(page, text: str, timeout_ms: float = 30_000) -> None:
    page.wait_for_function(
        "text => document.body && document.body.innerText.includes(text)",
        arg=text,
        timeout=timeout_ms,
        polling="raf",
    )


def measure(corpus: Corpus, trials: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    rel = corpus.pages[len(corpus.pages) // 2]
    source = corpus.content / rel
    times: dict[str, list[float]] = {"reload_ms": [], "body_edit_ms": [], "label_edit_ms": []}
    with serving(corpus) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.goto(_address(url, rel), wait_until="load")
        time.sleep(0.5)
        for trial in range(trials):
            started = time.perf_counter()
            page.reload(wait_until="load")
            times["reload_ms"].append((time.perf_counter() - started) * 1000)
            marker = f"Edited sentence {trial} {time.time_ns()}."
            text = source.read_text()
            started = time.perf_counter()
            source.write_text(text + f"\n{marker}\n")
            _visible(page, marker)
            times["body_edit_ms"].append((time.perf_counter() - started) * 1000)
            time.sleep(0.3)
            title = f"Retitled {trial} {time.time_ns() % 100000}"
            head, _, rest = source.read_text().partition("\n# ")
            started = time.perf_counter()
            source.write_text(f"{head}\n# {title}\n{rest.partition(chr(10))[2]}")
            _visible(page, title)
            times["label_edit_ms"].append((time.perf_counter() - started) * 1000)
            time.sleep(0.3)
        browser.close()
    return {name: round(statistics.median(values), 1) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docsite-browser-latency-") as scratch:
        corpus = generate(Path(scratch), args.pages)
        result = measure(corpus, args.trials)
    for name, value in result.items():
        print(f"{name:>15}: {value:8.1f} ms (median of {args.trials})")


if __name__ == "__main__":
    main()
