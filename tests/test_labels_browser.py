"""A site in a right-to-left language (`locale: ar`) as a reader sees it: the sidebar on the
right, text that starts at the right, the drawer that comes in from the right, and tabs
whose arrow keys follow the reading direction. Positions are Chromium's layout boxes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import fresh_page, served_project

from docsite.labels import built_in_labels

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

PAGES = {
    "index.md": """\
# الصفحة الرئيسية

فقرة قصيرة.

## القسم الأول

+++ npm
استخدم npm.
+++ pip
استخدم pip.
+++

## القسم الثاني

نص.
""",
    "guide.md": "# الدليل\n\nنص.\n\n```sh\nnpm install\n```\n",
}


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("arabic") / "project"
    with served_project(root, {**PAGES, "retype.yml": "locale: ar\n"}) as url:
        yield url


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not laid out"
    return found


def text_box(page: Page, selector: str) -> dict[str, float]:
    """Where the text of an element's first child is drawn (not the block around it)."""
    return page.locator(selector).first.evaluate(
        """element => {
            const range = document.createRange();
            range.selectNodeContents(element.firstChild);
            const rect = range.getBoundingClientRect();
            return {x: rect.x, width: rect.width};
        }"""
    )


def test_the_sidebar_is_on_the_right_and_text_starts_at_the_right(
    chromium: Browser, arabic_site: str
) -> None:
    with fresh_page(chromium, width=1280) as page:
        page.goto(arabic_site)
        assert page.locator("html").get_attribute("dir") == "rtl"
        sidebar, article, toc = box(page, ".sidebar"), box(page, "article"), box(page, ".toc")
        assert sidebar["x"] >= article["x"] + article["width"] - 1  # right of the page's text
        assert toc["x"] + toc["width"] <= article["x"] + 1  # "On this page" on the left
        assert sidebar["x"] + sidebar["width"] > 1280 * 0.75
        paragraph, text = box(page, "article p"), text_box(page, "article p")
        right_edge = paragraph["x"] + paragraph["width"]
        assert abs(text["x"] + text["width"] - right_edge) < 2  # starts at the right...
        assert text["x"] > paragraph["x"] + paragraph["width"] / 2  # ...and is short
        title = page.locator(".site-title").bounding_box()
        search = page.locator(".search").bounding_box()
        assert title and search and title["x"] > search["x"]  # the header mirrors too


def test_the_drawer_comes_in_from_the_right(chromium: Browser, arabic_site: str) -> None:
    with fresh_page(chromium, width=400, height=800) as page:
        page.goto(arabic_site)
        drawer = page.locator(".sidebar")
        expect(drawer).to_be_hidden()
        page.locator(".menu-toggle").click()
        expect(drawer).to_be_visible()
        page.wait_for_function(
            "getComputedStyle(document.querySelector('.sidebar')).transform === 'none'"
        )
        opened = box(page, ".sidebar")
        assert abs(opened["x"] + opened["width"] - 400) < 1
        assert opened["x"] > 0


def test_arrow_keys_move_through_tabs_in_reading_order(chromium: Browser, arabic_site: str):
    with fresh_page(chromium, width=1280) as page:
        page.goto(arabic_site)
        tabs = page.locator("[data-tabs]").first
        npm, pip = tabs.get_by_role("tab", name="npm"), tabs.get_by_role("tab", name="pip")
        assert box(page, "[role=tab] >> nth=1")["x"] < box(page, "[role=tab] >> nth=0")["x"]
        npm.focus()
        page.keyboard.press("ArrowLeft")  # the next tab, on the left
        expect(pip).to_be_focused()
        expect(pip).to_have_attribute("aria-selected", "true")
        page.keyboard.press("ArrowRight")
        expect(npm).to_be_focused()


def test_the_scripts_speak_arabic(chromium: Browser, arabic_site: str) -> None:
    """What docsite.js writes itself: the code's copy button, its announcement and the
    colour scheme button's name."""
    words = built_in_labels("ar")
    with fresh_page(chromium, permissions=["clipboard-read", "clipboard-write"]) as page:
        page.goto(arabic_site + "guide/")
        button = page.locator("article.doc button.copy-button")
        expect(button).to_have_accessible_name(words["Code_CopyButton_Label"])
        expect(button).to_have_attribute("title", words["API_CopyHint_Label"])
        button.click()
        expect(button).to_have_attribute("title", words["Code_Copied_Label"])
        expect(page.get_by_role("status")).to_have_text(words["Clipboard_Copied_Label"])
        toggle = page.locator(".theme-toggle")
        system = f"{words['Text_System']} ({words['Text_Light'].lower()})"
        expect(toggle).to_have_accessible_name(f"{words['Header_ColorScheme_Label']}: {system}")
        page.locator(".search-input").fill("npm")
        expect(page.get_by_role("listbox")).to_have_accessible_name(words["Search_Results_Label"])
