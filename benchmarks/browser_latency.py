"""Watch mode where the reader is: from a file's save to the new text visible in Chromium.

`python -m benchmarks.browser_latency [--pages N] [--trials N] [--engine CHECKOUT]` generates
a corpus, runs `docsite serve` on it (this checkout's, or another's: to compare two in one
sitting), opens a page in Debian's Chromium (Playwright) and times, as medians:

- reload: `page.reload()` of the open page alone, to its `load` event;
- each kind of edit, until the browser shows it: a body edit of the open page; its title; a
  sibling's label, order, icon and badge (the sidebar shows them); a page added, renamed
  and removed; a template (the footer), a stylesheet, the config (the site's title); a
  mistake in the config, until the browser shows the error, and its fix, until it goes;
  and what Retype projects hold besides: an include that one page in ten shows (the open
  one too), an image the open page shows, its folder's `index.yml` (the folder's label) and
  the page's own settings file (its label).

Between two edits the server is left to finish (its process idle), so that an edit is not
timed waiting for the work of the one before (a build, the search index).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus import Corpus, generate
from benchmarks.watch_latency import serving_process

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
KINDS = (
    "reload",
    "body",
    "title",
    "label",
    "order",
    "icon",
    "badge",
    "added",
    "renamed",
    "removed",
    "template",
    "stylesheet",
    "config",
    "mistake",
    "mended",
    "include",
    "image",
    "folder",
    "settings",
)
FOOTER = '<footer class="site-footer"><p>{}</p></footer>\n'
STYLESHEET = "static/assets/docsite.css"  # the theme's, overridden by the project's copy


def _address(url: str, rel: str) -> str:
    """The served address of a page's source path: `a/b.md` is `/a/b/`, `a/index.md` `/a/`."""
    path = rel.removesuffix(".md").removesuffix("index")
    if path and not path.endswith("/"):
        path += "/"
    return url.rstrip("/") + "/" + path


def _slug(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].removesuffix(".md")


def _wait(page, script: str, arg: object, timeout_ms: float = 60_000) -> None:
    page.wait_for_function(script, arg=arg, timeout=timeout_ms, polling="raf")


def _shows(page, text: str) -> None:
    _wait(page, "t => document.body && document.body.innerText.includes(t)", text)


def _hides(page, text: str) -> None:
    _wait(page, "t => document.body && !document.body.innerText.includes(t)", text)


def _link(slug: str) -> str:
    """A script's expression for the sidebar link to the page `slug`."""
    return f"document.querySelector('.nav-link[href$=\"/{slug}/\"]')"


def _cpu_seconds(pid: int) -> float:
    """The CPU time a process, its finished children and its running ones used (Linux's
    /proc): a build renders in worker processes while the server itself waits for them."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            child = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile: its time is the parent's now
        if child[1] == str(pid):
            ticks += int(child[11]) + int(child[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _settle(pid: int, quiet: float = 0.5, limit: float = 300.0) -> None:
    """Wait until the server is idle (under 5% of a core for `quiet` seconds): the edit's
    build, the background work after a preview and the search index are done, so the next
    edit is not timed waiting for them."""
    deadline = time.perf_counter() + limit
    try:
        used = _cpu_seconds(pid)
        while time.perf_counter() < deadline:
            time.sleep(quiet)
            now = _cpu_seconds(pid)
            if now - used < quiet * 0.05:
                return
            used = now
    except OSError:  # no /proc: a fixed wait
        time.sleep(3)


def _set_front(source: Path, key: str, value: str) -> None:
    """Set a frontmatter key (a line of its own) to `value`, adding the frontmatter if none."""
    text = source.read_text()
    if not text.startswith("---\n"):
        text = "---\n---\n" + text
    head, _, body = text[4:].partition("\n---\n")
    lines, inside = [], False
    for line in head.split("\n"):
        inside = line.startswith(key + ":") or (inside and line.startswith("  "))
        if line and not inside:
            lines.append(line)
    lines += [f"{key}: {value}"] if not value.startswith("  ") else [f"{key}:", value]
    source.write_text("---\n" + "\n".join(lines) + "\n---\n" + body)


def _retitle(source: Path, title: str) -> None:
    head, _, rest = source.read_text().partition("\n# ")
    source.write_text(f"{head}\n# {title}\n{rest.partition(chr(10))[2]}")


class Trial:
    """One round of every edit kind on a served corpus, each timed from save to visible."""

    def __init__(self, corpus: Corpus, page, pid: int, rel: str, sibling: str):
        self.corpus, self.page, self.pid = corpus, page, pid
        self.source = corpus.content / rel
        self.sibling_rel = sibling
        self.sibling = corpus.content / sibling
        self.folder = self.source.parent

    def timed(self, edit: Callable[[], None], visible: Callable[[], None]) -> float:
        started = time.perf_counter()
        edit()
        visible()
        elapsed = (time.perf_counter() - started) * 1000
        _settle(self.pid)
        return elapsed

    def run(self, n: int) -> dict[str, float]:
        mark = f"m{n}x{time.time_ns() % 100000}"
        page, times = self.page, {}
        started = time.perf_counter()
        page.reload(wait_until="load")
        times["reload"] = (time.perf_counter() - started) * 1000
        _settle(self.pid)
        times["body"] = self.timed(
            lambda: self.source.write_text(self.source.read_text() + f"\nBody {mark}.\n"),
            lambda: _shows(page, f"Body {mark}."),
        )
        times["title"] = self.timed(
            lambda: _retitle(self.source, f"Title {mark}"), lambda: _shows(page, f"Title {mark}")
        )
        times["label"] = self.timed(
            lambda: _set_front(self.sibling, "label", f"Label {mark}"),
            lambda: _shows(page, f"Label {mark}"),
        )
        times.update(self._sidebar(n, mark))
        times.update(self._pages(mark))
        times.update(self._site(mark))
        times.update(self._retype(n, mark))
        return times

    def _retype(self, n: int, mark: str) -> dict[str, float]:
        page, content = self.page, self.corpus.content
        times = {}
        times["include"] = self.timed(
            lambda: (content / INCLUDE).write_text(f"Shared {mark}.\n"),
            lambda: _shows(page, f"Shared {mark}."),
        )
        width = 20 + n
        times["image"] = self.timed(
            lambda: (self.folder / IMAGE).write_text(_svg(width)),
            lambda: _wait(
                page, f"w => document.querySelector('{IMAGE_SELECTOR}')?.naturalWidth === w", width
            ),
        )
        times["folder"] = self.timed(
            lambda: (self.folder / "index.yml").write_text(f"label: Folder {mark}\n"),
            lambda: _shows(page, f"Folder {mark}"),
        )
        times["settings"] = self.timed(
            lambda: self.source.with_suffix(".yml").write_text(f"label: Own {mark}\n"),
            lambda: _shows(page, f"Own {mark}"),
        )
        return times

    def _sidebar(self, n: int, mark: str) -> dict[str, float]:
        page, slug = self.page, _slug(self.sibling_rel)
        link = _link(slug)
        item = f"{link}?.closest('li')"
        place = (
            f"(() => {{ const i = {item};"
            f" return i ? [...i.parentElement.children].indexOf(i) : -1; }})()"
        )
        before = page.evaluate(place)
        times = {}
        # To the other end of its folder (a higher order comes first): a move the sidebar shows.
        order = 1000 + n if before > 0 else -1000 - n
        times["order"] = self.timed(
            lambda: _set_front(self.sibling, "order", str(order)),
            lambda: _wait(page, f"before => {place} !== before", before),
        )
        icon = ("rocket", "book")[n % 2]
        times["icon"] = self.timed(
            lambda: _set_front(self.sibling, "icon", icon),
            lambda: _wait(page, f"() => {link} && {link}.querySelector('.i-{icon}')", None),
        )
        times["badge"] = self.timed(
            lambda: _set_front(self.sibling, "nav", f"  badge: B{mark}|info"),
            lambda: _wait(page, f"t => {link}?.textContent.includes(t)", f"B{mark}"),
        )
        return times

    def _pages(self, mark: str) -> dict[str, float]:
        page = self.page
        added = self.folder / f"added-{mark}.md"
        renamed = self.folder / f"renamed-{mark}.md"
        times = {}
        times["added"] = self.timed(
            lambda: added.write_text(f"# Added {mark}\n\nA new page.\n"),
            lambda: _shows(page, f"Added {mark}"),
        )
        times["renamed"] = self.timed(
            lambda: added.rename(renamed),
            lambda: _wait(page, f"() => {_link(renamed.stem)}", None),
        )
        times["removed"] = self.timed(
            lambda: renamed.unlink(), lambda: _hides(page, f"Added {mark}")
        )
        return times

    def _site(self, mark: str) -> dict[str, float]:
        page, root = self.page, self.corpus.root
        footer = root / "templates/partials/footer.html"
        times = {}
        times["template"] = self.timed(
            lambda: footer.write_text(FOOTER.format(f"Footer {mark}")),
            lambda: _shows(page, f"Footer {mark}"),
        )
        css = root / STYLESHEET
        value = f"{len(mark)}{time.time_ns() % 1000}px"
        style = (
            "() => getComputedStyle(document.documentElement).getPropertyValue('--bench').trim()"
        )
        times["stylesheet"] = self.timed(
            lambda: css.write_text(_base_css(css) + f":root{{--bench:{value}}}\n"),
            lambda: _wait(page, f"v => ({style})() === v", value),
        )
        config = root / "docsite.yml"
        times["config"] = self.timed(
            lambda: config.write_text(
                re.sub(r"(?m)^title: .*$", f"title: Docs {mark}", config.read_text())
            ),
            lambda: _wait(page, "t => document.title.includes(t)", f"Docs {mark}"),
        )
        good = config.read_text()
        overlay = "document.getElementById('docsite-error-overlay')"
        times["mistake"] = self.timed(
            lambda: config.write_text(good + "search: false\n"),
            lambda: _wait(page, f"() => {overlay}?.textContent.includes('docsite.yml')", None),
        )
        times["mended"] = self.timed(
            lambda: config.write_text(good), lambda: _wait(page, f"() => !{overlay}", None)
        )
        return times


def _base_css(css: Path) -> str:
    """The stylesheet without the benchmark's last rule."""
    return css.read_text().split(":root{--bench:")[0]


INCLUDE = "_includes/shared-note.md"
IMAGE = "picture.svg"
IMAGE_SELECTOR = 'img[src*="picture.svg"]'  # its address may carry a version


def _svg(width: int) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="10"></svg>\n'


def _prepare(corpus: Corpus, rel: str) -> None:
    """A footer template and a stylesheet of the project's own, for their edits to change;
    an include that one page in ten shows, and `rel` too, which also shows an image."""
    for index, page in enumerate(corpus.pages):
        if index % 10 == 0 or page == rel:
            path = corpus.content / page
            path.write_text(path.read_text() + '\n{{ include "shared-note" }}\n')
    (corpus.content / INCLUDE).parent.mkdir(parents=True, exist_ok=True)
    (corpus.content / INCLUDE).write_text("Shared start.\n")
    source = corpus.content / rel
    (source.parent / IMAGE).write_text(_svg(10))
    source.write_text(source.read_text() + f"\n![A picture]({IMAGE})\n")
    footer = corpus.root / "templates/partials/footer.html"
    footer.parent.mkdir(parents=True, exist_ok=True)
    footer.write_text(FOOTER.format("Footer start"))
    css = corpus.root / STYLESHEET
    css.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / STYLESHEET, css)


def measure(corpus: Corpus, trials: int, engine: Path = REPO) -> dict[str, list[float]]:
    """Milliseconds from save to visible, by edit kind, trial by trial."""
    from playwright.sync_api import sync_playwright

    rel = corpus.pages[len(corpus.pages) // 2]
    _prepare(corpus, rel)
    folder = rel.rsplit("/", 1)[0] + "/"
    sibling = next(
        p for p in corpus.pages if p.startswith(folder) and p != rel and "index" not in p
    )
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    with serving_process(corpus, engine) as (url, pid), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.goto(_address(url, rel), wait_until="load")
        _settle(pid)
        trial = Trial(corpus, page, pid, rel, sibling)
        for n in range(trials):
            for kind, value in trial.run(n).items():
                times[kind].append(value)
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=7)
    parser.add_argument(
        "--engine", type=Path, default=REPO, help="the docsite checkout to serve with"
    )
    args = parser.parse_args()
    # The server's last background work may still be writing its cache as the folder goes:
    # the figures matter, not a tidy removal.
    with tempfile.TemporaryDirectory(
        prefix="docsite-browser-latency-", ignore_cleanup_errors=True
    ) as scratch:
        corpus = generate(Path(scratch), args.pages)
        result = measure(corpus, args.trials, args.engine.resolve())
        for name, values in result.items():
            # Each trial too: a kind's trials may split into two groups (a median that moves).
            each = " ".join(f"{value:.0f}" for value in values)
            median = statistics.median(values)
            print(f"{name:>12}: {median:8.1f} ms (median of {args.trials}: {each})", flush=True)


if __name__ == "__main__":
    main()
