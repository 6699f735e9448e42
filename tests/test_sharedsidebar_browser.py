"""A shared sidebar in a real browser: the script shows the very sidebar the page would have
held, its own link marked and scrolled into view, over HTTP and from file://; without
JavaScript, the top level. Screenshot: test-artifacts/shared-sidebar.png."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import ARTIFACTS_DIR, build_fixture_site, fresh_page, serve
from conftest import write_files

import docsite.sharedsidebar

try:
    from playwright.sync_api import Browser, Page
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

ENDPOINTS = 120
LIMIT = 60  # the sidebar of the endpoints' pages is longer; the top level's is not

# The sidebar's elements but the script's tag and the fallback: what a reader sees.
SHOWN = """() => Array.from(document.getElementById("sidebar").children)
    .filter((e) => e.tagName !== "SCRIPT" && e.tagName !== "NOSCRIPT")
    .map((e) => e.outerHTML).join("\\n")"""


def project(root: Path) -> Path:
    files = {
        "docsite.yml": "title: Shared sidebar\n",
        "content/index.md": "# Home\n\nSee [the first endpoint](ref/e001.md).\n",
        "content/guide/start.md": "# Start & finish\n",
        "content/ref/index.md": "---\nicon: book\n---\n# Reference\n",
    }
    for number in range(1, ENDPOINTS + 1):
        files[f"content/ref/e{number:03}.md"] = (
            f"---\norder: {number}\n---\n# Endpoint {number}\n\nWhat endpoint {number} does.\n"
        )
    write_files(root, files)
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The project built twice: its long sidebar shared, and held in every page."""
    root = project(tmp_path_factory.mktemp("shared"))
    limit = docsite.sharedsidebar.SHARED_ITEMS
    try:
        docsite.sharedsidebar.SHARED_ITEMS = LIMIT
        shared = build_fixture_site(root / "shared", root)
        docsite.sharedsidebar.SHARED_ITEMS = 10 * ENDPOINTS
        inline = build_fixture_site(root / "inline", root)
    finally:
        docsite.sharedsidebar.SHARED_ITEMS = limit
    assert list((shared / "assets/sidebar").glob("*.js"))
    assert not (inline / "assets/sidebar").exists()
    return shared, inline


def shown_sidebar(page: Page, url: str) -> str:
    page.goto(url)
    return page.evaluate(SHOWN)


@pytest.mark.parametrize("rel", ["ref/e001/", "ref/e090/", "ref/", "guide/start/", ""])
def test_the_script_shows_the_sidebar_the_page_would_hold(chromium: Browser, sites, rel):
    shared, inline = sites
    with serve(shared) as shared_url, serve(inline) as inline_url, fresh_page(chromium) as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        seen = shown_sidebar(page, shared_url + rel)
        assert seen == shown_sidebar(page, inline_url + rel)
        assert errors == []
    if rel.startswith("ref/"):
        assert seen.count('class="nav-link"') > LIMIT
        assert f'aria-current="page" href="../../{rel}"' in seen or rel == "ref/"


def test_the_pages_link_is_marked_and_scrolled_into_the_sidebar(chromium: Browser, sites):
    shared, _ = sites
    with fresh_page(chromium, width=1280, height=720) as page:
        page.goto((shared / "ref/e100/index.html").as_uri())  # from the disk, as file://
        current = page.locator("#sidebar a[aria-current=page]")
        assert current.count() == 1
        assert current.inner_text() == "Endpoint 100"
        sidebar = page.locator("#sidebar").bounding_box()
        link = current.bounding_box()
        assert sidebar is not None and link is not None
        assert sidebar["y"] <= link["y"] and link["y"] + link["height"] <= (
            sidebar["y"] + sidebar["height"]
        )
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS_DIR / "shared-sidebar.png"))
        # The filter finds endpoints in the list the script inserted.
        page.locator(".nav-filter-input").fill("Endpoint 7")
        visible = page.locator("#sidebar .nav-list a.nav-link:visible")
        assert 1 <= visible.count() < 20


def test_without_javascript_a_page_shows_the_top_level(chromium: Browser, sites):
    shared, _ = sites
    with serve(shared) as url, fresh_page(chromium, java_script_enabled=False) as page:
        page.goto(url + "ref/e050/")
        links = page.locator("#sidebar a.nav-link")
        labels = [links.nth(i).inner_text() for i in range(links.count())]
        assert labels == ["Home", "Guide", "Reference"]
