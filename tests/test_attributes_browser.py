"""Component anchors in a real browser: an address naming a tab selects it, one naming something
in a closed panel or an unselected tab opens it first (static/assets/components.js)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from browser import fresh_page, served_project

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

PAGE = """\
# Anchors

+++ Tab 1
One.
+++ Tab 2
Two.
+++ Tab 3
Three.
+++

+++ Start {#getting-started}
Start here.
+++ Later
Inside a tab: `deep`{#deep}
+++

==- Closed panel {#features-panel}
Panel text.
===

[Go to tab 3](#tab-3) [Go to the panel](#features-panel)
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_project(
        tmp_path_factory.mktemp("anchors_site"),
        {"docsite.yml": "title: Anchors\n", "content/index.md": PAGE},
    ) as url:
        yield url


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    with fresh_page(chromium) as page:
        yield page


def test_an_address_naming_a_tab_selects_it(page: Page, base_url: str) -> None:
    page.goto(base_url + "#tab-3")
    expect(page.locator("#tab-3")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("Three.")).to_be_visible()
    expect(page.get_by_text("One.")).to_be_hidden()


def test_links_to_a_closed_panel_and_a_tab_open_them(page: Page, base_url: str) -> None:
    page.goto(base_url)
    expect(page.get_by_text("Panel text.")).to_be_hidden()
    page.get_by_role("link", name="Go to the panel").click()
    expect(page.get_by_text("Panel text.")).to_be_visible()
    page.get_by_role("link", name="Go to tab 3").click()
    expect(page.get_by_text("Three.")).to_be_visible()


def test_an_anchor_inside_an_unselected_tab_selects_that_tab(page: Page, base_url: str) -> None:
    page.goto(base_url + "#getting-started")
    expect(page.get_by_text("Start here.")).to_be_visible()
    page.goto(base_url + "#deep")
    expect(page.get_by_text("Inside a tab:")).to_be_visible()
    expect(page.get_by_text("Start here.")).to_be_hidden()
