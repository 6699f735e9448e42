"""A page that loads only what it uses still shows everything (docsite/pageassets.py): the
icons of the sidebar, of a badge and of a component are drawn whether or not the page links
the components' files, and the search box and the sidebar filter, whose scripts load on first
use, work, with no error in the console."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import fresh_page, served_project, skip_or_fail

from docsite import search

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

FILES = {
    "docsite.yml": "title: Weights\n",
    "content/index.md": "---\nicon: home\n---\n# Home\n\nPlain words about the zeppelin.\n",
    "content/plain.md": "---\nicon: rss\nnav:\n  badge: NEW|info\n---\n# Plain\n\n"
    "A badge: [!badge text='Launch' variant='dark' icon='rocket']\n",
    "content/guide/index.md": "---\nicon: book\n---\n# Guide\n",
    "content/guide/parts.md": "---\nicon: beaker\n---\n# Parts\n\n"
    "[!button text='Go' icon='zap'](../plain.md)\n\n+++ One\nFirst\n+++ Two\nSecond\n+++\n",
}
DRAWN = """el => {
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return { width: box.width, height: box.height,
           mask: style.maskImage || style.webkitMaskImage || "" };
}"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not search.binary_available():
        skip_or_fail("the Pagefind binary is not installed (pip install 'pagefind[bin]')")
    root: Path = tmp_path_factory.mktemp("weights")
    with served_project(root, FILES) as url:
        yield url


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    with fresh_page(chromium) as tab:
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        yield tab
        assert errors == []


def assert_drawn(page: Page, selector: str) -> None:
    assert page.locator(selector).count() > 0, selector
    for index in range(page.locator(selector).count()):
        drawn = page.locator(selector).nth(index).evaluate(DRAWN)
        assert drawn["width"] > 0 and drawn["height"] > 0, (selector, drawn)
        assert drawn["mask"].startswith("url("), (selector, drawn)


def loaded(page: Page) -> set[str]:
    names = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name.split('/').pop())"
    )
    return set(names)


def test_icons_are_drawn_on_pages_with_and_without_components(page: Page, base_url: str):
    page.goto(base_url + "plain/")
    page.wait_for_load_state("load")
    assert "components.css" not in loaded(page)
    assert_drawn(page, "nav.sidebar .nav-icon.i-home")
    assert_drawn(page, "nav.sidebar .nav-icon.i-rss")
    assert_drawn(page, "article .badge .i-rocket")  # from the page's own head
    expect(page.locator("nav.sidebar .badge-info")).to_have_text("NEW")
    page.goto(base_url + "guide/parts/")
    page.wait_for_load_state("load")
    assert {"components.css", "components.js"} <= loaded(page)
    assert_drawn(page, "nav.sidebar .nav-icon.i-beaker")  # the open branch's
    assert_drawn(page, "article .button .i-zap")
    expect(page.locator("[role=tabpanel]", has_text="Second")).to_be_hidden()
    page.get_by_role("tab", name="Two").click()
    expect(page.locator("[role=tabpanel]", has_text="Second")).to_be_visible()


def test_search_loads_on_first_use_and_finds(page: Page, base_url: str):
    page.goto(base_url + "plain/")
    page.wait_for_load_state("networkidle")
    assert not {"search.js", "search.css"} & loaded(page)
    page.keyboard.press("/")
    page.keyboard.type("zeppelin")
    expect(page.locator(".search-results a.search-hit").first).to_contain_text("Home")
    assert {"search.js", "search.css"} <= loaded(page)
    assert page.locator(".search-results").evaluate("el => getComputedStyle(el).position") == (
        "absolute"  # search.css holds the panel's look
    )


def test_ctrl_k_loads_the_search_too(page: Page, base_url: str):
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Control+k")
    expect(page.locator(".search-input")).to_be_focused()
    page.keyboard.type("zeppelin")
    expect(page.locator(".search-results a.search-hit").first).to_be_visible()


def test_the_sidebar_filter_loads_on_first_use_and_filters(page: Page, base_url: str):
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    assert "filter.js" not in loaded(page)
    page.locator(".nav-filter-input").fill("par")
    results = page.locator(".nav-filter-results .nav-link")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Parts")
    assert "filter.js" in loaded(page)
