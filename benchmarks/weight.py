"""`python -m benchmarks.weight site/status-codes/index.html [more pages] [--browser]`

What a reader downloads on a page's first view, before doing anything: the HTML, its
stylesheets, scripts (deferred and async ones too: they load without a click), preloads,
icons and images, and the files those stylesheets' `url()`s name. Bytes are uncompressed, file
by file, read from the built site on disk. `--browser` loads the page in Chromium from a local
server instead and counts every response's body, which also catches what scripts fetch."""

from __future__ import annotations

import argparse
import functools
import re
import shutil
import sys
import threading
import urllib.parse
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# A `<link rel>` the browser fetches on its own; `alternate`, `canonical` and the like it does not.
_FETCHED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "apple-touch-icon"}
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""")


class _Loads(HTMLParser):
    """The addresses an HTML page loads by itself, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (kind, address)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and rels & _FETCHED_LINKS and values.get("href"):
            kind = "css" if "stylesheet" in rels else "link"
            self.found.append((kind, values["href"]))
        elif tag == "script" and values.get("src"):
            self.found.append(("js", values["src"]))
        elif tag in ("img", "source", "video") and (values.get("src") or values.get("poster")):
            self.found.append(("image", values.get("src") or values["poster"]))

    handle_startendtag = handle_starttag


def _local(site: Path, base: Path, address: str) -> Path | None:
    """The file of the site an address relative to `base` names; None for other sites and
    data: URLs, which cost nothing more than the text that holds them."""
    if address.startswith(("data:", "#")) or "://" in address or address.startswith("//"):
        return None
    path = urllib.parse.unquote(address.split("#")[0].split("?")[0])
    target = (site / path.lstrip("/")) if path.startswith("/") else (base.parent / path)
    if target.is_dir():
        target = target / "index.html"
    target = target.resolve()
    return target if target.is_file() and target.is_relative_to(site.resolve()) else None


def _css_loads(css: str) -> list[str]:
    addresses = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(css)]
    addresses += [next(g for g in m.groups() if g is not None) for m in _CSS_IMPORT.finditer(css)]
    return [a for a in addresses if a and not a.startswith(("data:", "#"))]


def first_view(page: Path, site: Path) -> list[tuple[str, Path, int]]:
    """Every file of `site` the page loads on first view: (kind, file, bytes), each once."""
    seen: dict[Path, tuple[str, Path, int]] = {}
    page = page.resolve()
    seen[page] = ("html", page, page.stat().st_size)
    parser = _Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    pending = [(kind, page, address) for kind, address in parser.found]
    while pending:
        kind, base, address = pending.pop(0)
        target = _local(site, base, address)
        if target is None or target in seen:
            continue
        seen[target] = (kind, target, target.stat().st_size)
        if kind == "css":
            css = target.read_text(encoding="utf-8", errors="replace")
            pending += [("css-url", target, a) for a in _css_loads(css)]
    return list(seen.values())


def browser_view(page: Path, site: Path) -> list[tuple[str, str, int]]:
    """The responses Chromium receives loading the page from a local server, until the
    network is idle: (resource type, address, body bytes)."""
    from playwright.sync_api import sync_playwright

    from benchmarks.browser_latency import CHROMIUM_ARGS

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    loaded: list[tuple[str, str, int]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
            )
            tab = browser.new_page()
            tab.on(
                "response",
                lambda r: loaded.append((r.request.resource_type, r.url, len(r.body()))),
            )
            rel = page.resolve().relative_to(site.resolve()).as_posix()
            host, port = server.server_address[:2]
            tab.goto(f"http://{host}:{port}/{rel.removesuffix('index.html')}")
            tab.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return loaded


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _site_of(page: Path) -> Path:
    """The built site a page belongs to: the nearest folder up holding assets/."""
    for folder in page.resolve().parents:
        if (folder / "assets").is_dir():
            return folder
    raise SystemExit(f"{page}: no site folder (one holding assets/) above it")


def report(page: Path, browser: bool) -> int:
    site = _site_of(page)
    if browser:
        rows = browser_view(page, site)
    else:
        rows = [(kind, str(path.relative_to(site)), n) for kind, path, n in first_view(page, site)]
    total = sum(size for _, _, size in rows)
    print(f"{page}: first view {total:,} bytes ({total / 1024:.1f} KiB) in {len(rows)} files")
    for kind, name, size in sorted(rows, key=lambda row: -row[2]):
        print(f"  {size:>9,}  {kind:<8} {name}")
    return total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.weight", description=__doc__)
    parser.add_argument("pages", type=Path, nargs="+", help="built pages (site/x/index.html)")
    parser.add_argument("--browser", action="store_true", help="count what Chromium fetches")
    parser.add_argument("--limit", type=int, help="exit 1 when a page weighs more (bytes)")
    args = parser.parse_args(argv)
    heaviest = max(report(page, args.browser) for page in args.pages)
    if args.limit is not None and heaviest > args.limit:
        sys.exit(1)


if __name__ == "__main__":
    main()
