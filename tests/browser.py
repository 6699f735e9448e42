"""Helpers for the real-browser tests: build the fixture site, serve it, start Chromium.

Only the standard library and pytest are imported at module level, so this file can be
imported even where Playwright (or axe-playwright-python) is not installed.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import tarfile
import tempfile
import threading
from collections.abc import Iterator, Mapping
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from textwrap import dedent
from typing import TYPE_CHECKING, Any

import pytest
from conftest import write_files

from docsite.build import BuildOptions, build_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, Playwright

TESTS_DIR = Path(__file__).resolve().parent
FIXTURE_SITE = TESTS_DIR / "fixtures" / "browser_site"
ARTIFACTS_DIR = TESTS_DIR.parent / "test-artifacts"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def on_ci() -> bool:
    return os.environ.get("CI") == "true"


def skip_or_fail(reason: str) -> None:
    """Skip on a developer machine; on CI a missing browser must fail the run."""
    if on_ci():
        pytest.fail(f"{reason} (CI=true, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        skip_or_fail("no 'chromium' executable on PATH")
    assert path is not None
    return path


# Mermaid's own script, from the npm registry (never committed): pages load it from a CDN,
# which tests cannot reach, so the browser test serves this copy instead.
MERMAID_PACKAGE = "mermaid@11"
MERMAID_CACHE = Path.home() / ".cache" / "docsite-tests" / "mermaid-11" / "mermaid.min.js"


def mermaid_script() -> Path:
    """mermaid.min.js, fetched once with `npm pack` into a cache outside the repository."""
    if MERMAID_CACHE.is_file():
        return MERMAID_CACHE
    npm = shutil.which("npm")
    if npm is None:
        skip_or_fail("no 'npm' to fetch Mermaid's script with")
    assert npm is not None
    with tempfile.TemporaryDirectory() as folder:
        packed = subprocess.run(
            [npm, "pack", MERMAID_PACKAGE, "--silent", "--pack-destination", folder],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if packed.returncode != 0:
            skip_or_fail(f"npm pack {MERMAID_PACKAGE} failed: {packed.stderr.strip()[-300:]}")
        tarball = Path(folder) / packed.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/dist/mermaid.min.js")
            assert member is not None
            data = member.read()
    MERMAID_CACHE.parent.mkdir(parents=True, exist_ok=True)
    partial = MERMAID_CACHE.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(MERMAID_CACHE)
    return MERMAID_CACHE


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )


def build_fixture_site(out: Path, project: Path = FIXTURE_SITE) -> Path:
    """Build a project into out with the docsite API; fail loudly on any diagnostic.

    No build cache: it would be written into the project, which may be this repository's."""
    result = build_site(BuildOptions(root=project, out=out, use_cache=False))
    problems = "\n".join(str(item) for item in result.report.items)
    assert result.ok, f"building {project} failed:\n{problems}"
    assert not result.report.items, f"building {project} reported:\n{problems}"
    return out


def build_project(root: Path, files: Mapping[str, str]) -> Path:
    """Write a small project (paths relative to root, text dedented) and build it."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text).lstrip("\n"), encoding="utf-8")
    return build_fixture_site(root / "site", project=root)


@contextlib.contextmanager
def served_project(root: Path, files: Mapping[str, str | bytes]) -> Iterator[str]:
    """Write a small project (conftest.write_files), build it and serve it: its home page's URL."""
    write_files(root, dict(files))
    with serve(build_fixture_site(root / "site", root)) as url:
        yield url


@contextlib.contextmanager
def fresh_page(
    browser: Browser, width: int = 1200, height: int = 900, **options: Any
) -> Iterator[Page]:
    """A page in a context of its own, with a short default timeout; closed afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    context.set_default_timeout(5_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@contextlib.contextmanager
def chromium_browser() -> Iterator[Browser]:
    """One headless Chromium for a test module (skipped, or failed on CI, without one)."""
    chromium_path()  # before starting Playwright
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        skip_or_fail("playwright is not installed")
        raise
    playwright = sync_playwright().start()
    try:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core on the page; one line per violation of the given impacts."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:  # pragma: no cover - depends on the environment
        skip_or_fail("axe-playwright-python is not installed")
        raise
    response = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in response["violations"]
        if v["impact"] in impacts
    ]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(
    directory: Path, handler_class: type[SimpleHTTPRequestHandler] = _QuietHandler, path: str = "/"
) -> Iterator[str]:
    """Serve a folder over HTTP on a free local port; yields the base URL (ending in `path`)."""
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="browser-site", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}{path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def box_in_view(page: Page, target: Locator) -> dict[str, float]:
    """The target's rectangle next to the viewport height and the sticky header's bottom."""
    rect = target.bounding_box()
    assert rect is not None, "element is not rendered"
    header = page.locator(".site-header").bounding_box()
    viewport = page.viewport_size
    assert viewport is not None
    return {
        "top": rect["y"],
        "bottom": rect["y"] + rect["height"],
        "header_bottom": header["y"] + header["height"] if header else 0.0,
        "viewport_height": float(viewport["height"]),
    }


def is_readable_in_view(page: Page, target: Locator) -> bool:
    """Whether the target's top edge is on screen and not hidden under the sticky header."""
    box = box_in_view(page, target)
    return box["header_bottom"] - 1 <= box["top"] < box["viewport_height"]


def wider_than(page: Page, width: int) -> list[str]:
    """Elements sticking out to the right of `width` px, outside any scrolling box."""
    return page.evaluate(
        """(width) => {
            const clipped = (el) => {
                for (let p = el.parentElement; p; p = p.parentElement) {
                    const s = getComputedStyle(p);
                    if (s.overflowX !== "visible" && s.overflowX !== "clip") return true;
                    if (p === document.body) break;
                }
                return false;
            };
            const out = [];
            for (const el of document.body.querySelectorAll("*")) {
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.right <= width + 0.5 || clipped(el)) continue;
                const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                    + (el.className && typeof el.className === "string"
                        ? "." + el.className.trim().split(/\\s+/).join(".") : "");
                out.push(`${name} right=${Math.round(r.right)} width=${Math.round(r.width)}`);
            }
            return out;
        }""",
        width,
    )
