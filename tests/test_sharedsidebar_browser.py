"""A shared sidebar in a real browser: the script shows the very sidebar the page would have
held, its own link marked and scrolled into view, over HTTP and from file://; without
JavaScript, the top level. Screenshot: test-artifacts/shared-sidebar.png."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import ARTIFACTS_DIR, build_fixture_site, fresh_page, serve
from conftest import write_files
from test_serve_browser import edit, open_live, serving

import docsite.sharedsidebar

try:
    from playwright.sync_api import Browser, Page, expect
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
        # The reference's pages load their sidebar; the others hold theirs (short) in both.
        assert page.locator("#sidebar > script[src]").count() == rel.startswith("ref/")
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
        # The filter (its script and index load on first use) finds endpoints in the list
        # the script inserted: Endpoint 7 and 70 to 79.
        page.locator(".nav-filter-input").fill("Endpoint 7")
        visible = page.locator("#sidebar .nav-list a.nav-link:visible")
        expect(visible).to_have_count(11)
        assert visible.first.inner_text().startswith("Endpoint 7")


def test_without_javascript_a_page_shows_the_top_level(chromium: Browser, sites):
    shared, _ = sites
    with serve(shared) as url, fresh_page(chromium, java_script_enabled=False) as page:
        page.goto(url + "ref/e050/")
        links = page.locator("#sidebar a.nav-link")
        labels = [links.nth(i).inner_text() for i in range(links.count())]
        assert labels == ["Home", "Guide", "Reference"]


LINKS = """() => Array.from(document.querySelectorAll("#sidebar a.nav-link"))
    .filter((a) => a.offsetParent && !a.closest("noscript"))
    .map((a) => (a.getAttribute("aria-current") ? "*" : "") + a.textContent)"""


def test_an_edit_swapped_in_place_keeps_the_shared_sidebar(
    chromium: Browser, tmp_path, monkeypatch
):
    """`docsite serve` puts a body edit in place without a reload: the sidebar the script
    inserted stays as it was (a fetched page's script never runs)."""
    monkeypatch.setattr(docsite.sharedsidebar, "SHARED_ITEMS", 12)
    root = tmp_path / "proj"
    write_files(root, {"content/index.md": "# Home\n", "content/guide/start.md": "# Start\n"})
    write_files(
        root, {f"content/ref/e{n:02}.md": f"# Endpoint {n}\n\nText {n}.\n" for n in range(1, 21)}
    )
    with serving(root) as url, fresh_page(chromium) as page:
        open_live(page, url + "ref/e05/")
        assert page.locator("#sidebar > script[src]").count() == 1
        before = page.evaluate(LINKS)
        assert len(before) > 20 and "*Endpoint 5" in before
        page.evaluate("window.beforeSwap = true")
        edit(root / "content/ref/e05.md", "Text 5.", "Changed text 5.")
        page.get_by_text("Changed text 5.").wait_for(timeout=10_000)
        assert page.evaluate("window.beforeSwap === true")  # in place, not reloaded
        assert page.evaluate(LINKS) == before
