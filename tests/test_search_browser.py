"""The header's search box in a real browser, on the browser fixture site plus a hidden page.

Screenshots of the open results (light desktop, dark phone) go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import (
    ARTIFACTS_DIR,
    FIXTURE_SITE,
    build_fixture_site,
    fresh_page,
    is_readable_in_view,
    serve,
    served_project,
    skip_or_fail,
)

from docsite import search

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

DESKTOP = {"width": 1366, "height": 900}
MOBILE = {"width": 375, "height": 812}
HIDDEN_PAGE = """---
visibility: hidden
---
# Internal notes

Only this page mentions the xylophonist.
"""
HITS = ".search-results a.search-hit"


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not search.binary_available():
        skip_or_fail("the Pagefind binary is not installed (pip install 'pagefind[bin]')")
    project = tmp_path_factory.mktemp("search_site") / "project"
    shutil.copytree(FIXTURE_SITE, project, ignore=shutil.ignore_patterns(".docsite-cache"))
    (project / "content" / "internal.md").write_text(HIDDEN_PAGE, encoding="utf-8")
    return build_fixture_site(project / "site", project=project)


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    with serve(site_dir) as url:
        yield url


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport=DESKTOP, color_scheme="light")
    context.set_default_timeout(8_000)
    page = context.new_page()
    yield page
    context.close()


def search_for(page: Page, words: str) -> None:
    page.keyboard.press("/")
    expect(page.locator(".search-input")).to_be_focused()
    page.keyboard.type(words)


def test_typing_finds_the_page_highlights_the_word_and_enter_opens_the_heading(
    page: Page, base_url: str
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + "guide/setup/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if "/pagefind/" in u], "the index loads only on a search"

    search_for(page, "Gateway")
    first = page.locator(HITS).first
    expect(first.locator(".search-hit-title")).to_have_text("Status Codes")
    expect(first.locator("mark").first).to_have_text("Gateway")
    headings = page.locator(".search-hit-heading .search-hit-title")
    expect(headings.first).to_contain_text("Gateway")
    expect(first).to_have_attribute("aria-selected", "true")
    assert page.url.endswith("?q=Gateway"), "the query is kept in the URL"
    assert [u for u in requests if u.endswith("/pagefind/pagefind.js")]
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "search-desktop-light.png"))

    page.keyboard.press("Enter")
    page.wait_for_url("**/status-codes/#*")
    anchor = page.url.rsplit("#", 1)[1]
    assert "gateway" in anchor
    heading = page.locator(f"[id='{anchor}']")
    expect(heading).to_contain_text("Gateway")
    assert is_readable_in_view(page, heading)


def test_arrow_keys_move_and_escape_closes(page: Page, base_url: str) -> None:
    page.goto(base_url)
    search_for(page, "Gateway")
    hits = page.locator(HITS)
    expect(hits.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(hits.nth(1)).to_have_attribute("aria-selected", "true")
    expect(page.locator(".search-input")).to_have_attribute(
        "aria-activedescendant", hits.nth(1).get_attribute("id") or ""
    )
    page.keyboard.press("ArrowUp")
    expect(hits.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(page.locator(".search-results")).to_be_hidden()
    expect(page.locator(".search-input")).not_to_be_focused()


def test_ctrl_k_opens_the_search(page: Page, base_url: str) -> None:
    page.goto(base_url + "about/")
    page.keyboard.press("Control+k")
    expect(page.locator(".search-input")).to_be_focused()
    page.keyboard.type("Unauthorized")
    expect(page.locator(HITS).first.locator("mark").first).to_have_text("Unauthorized")


def test_hidden_pages_are_not_found(page: Page, base_url: str) -> None:
    page.goto(base_url + "internal/")  # the page exists, and says the word
    expect(page.locator("article")).to_contain_text("xylophonist")
    search_for(page, "xylophonist")
    expect(page.locator(".search-message")).to_have_text("No results for “xylophonist”")
    expect(page.locator(HITS)).to_have_count(0)


def test_a_shared_link_opens_with_its_search_on_a_phone_in_dark_mode(
    chromium: Browser, base_url: str
) -> None:
    context = chromium.new_context(viewport=MOBILE, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(base_url + "?q=Unauthorized")
        first = page.locator(HITS).first
        expect(first.locator(".search-hit-title")).to_have_text("Status Codes")
        box = page.locator(".search-results").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= MOBILE["width"]
        page.screenshot(path=str(ARTIFACTS_DIR / "search-mobile-dark.png"))
        colors = page.evaluate(
            """() => [getComputedStyle(document.querySelector('.search-results')).backgroundColor,
                     getComputedStyle(document.body).backgroundColor]"""
        )
        assert colors[0] == colors[1], "the panel uses the page's (dark) background"
    finally:
        context.close()


def test_opened_from_disk_search_says_it_needs_a_server(page: Page, site_dir: Path) -> None:
    page.goto((site_dir / "index.html").as_uri())
    search_for(page, "Gateway")
    expect(page.locator(".search-message")).to_contain_text("needs a web server")


def test_without_an_index_search_says_it_is_unavailable(
    page: Page, site_dir: Path, tmp_path: Path
) -> None:
    bare = tmp_path / "bare"
    shutil.copytree(site_dir, bare, ignore=shutil.ignore_patterns("pagefind"))
    with serve(bare) as url:
        page.goto(url)
        search_for(page, "Gateway")
        expect(page.locator(".search-message")).to_have_text("Search is unavailable on this site.")


def test_the_site_search_settings_are_followed(chromium: Browser, tmp_path: Path) -> None:
    """Retype's hotkeys, minChars, maxResults and noResultsFoundMsg, from retype.yml."""
    if not search.binary_available():
        skip_or_fail("the Pagefind binary is not installed (pip install 'pagefind[bin]')")
    files = {
        "retype.yml": "search:\n  hotkeys: [k]\n  minChars: 3\n  maxResults: 2\n"
        "  noResultsFoundMsg: Nothing at all\n",
        "index.md": "# Home\n",
        **{f"p{i}.md": f"# Page {i}\n\nThe walrus number {i}.\n" for i in range(4)},
    }
    with served_project(tmp_path / "proj", files) as url, fresh_page(chromium) as page:
        page.goto(url)
        page.keyboard.press("/")
        expect(page.locator(".search-input")).not_to_be_focused()
        page.keyboard.press("k")
        expect(page.locator(".search-input")).to_be_focused()
        page.keyboard.type("wa")  # two characters: fewer than minChars
        page.wait_for_timeout(400)
        expect(page.locator(HITS)).to_have_count(0)
        page.keyboard.type("lrus")
        expect(page.locator(HITS)).to_have_count(2)
        expect(page.locator(".search-results")).to_contain_text("2 more pages match")
        page.locator(".search-input").fill("zzzyyxx")
        expect(page.locator(".search-results")).to_contain_text("Nothing at all")
