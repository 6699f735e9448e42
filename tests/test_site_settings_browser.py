"""Retype's site settings as a reader sees them: scheme.mode picks the colours until the
reader chooses; the reader's choice wins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import fresh_page, served_project

try:
    from playwright.sync_api import Browser
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_scheme_mode_dark_until_the_reader_chooses(chromium: Browser, tmp_path: Path) -> None:
    files = {"retype.yml": "scheme:\n  mode: dark\n", "index.md": "# Home\n"}
    project = served_project(tmp_path / "proj", files)
    with project as url, fresh_page(chromium, color_scheme="light") as page:
        page.goto(url)
        dark = background(page)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        page.evaluate("localStorage.setItem('docsite-theme', 'light')")
        page.reload()
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
        assert background(page) != dark


SCHEME_TWINS = (
    "# Home\n\n"
    '<img src="light.svg" alt="light twin" class="dark:hidden">\n'
    '<img src="dark.svg" alt="dark twin" class="hidden dark:inline-block">\n\n'
    "<style>.dark .mine { color: rgb(1, 2, 3); }</style>\n\n"
    '<p class="mine">Styled by the page.</p>\n'
)


@pytest.mark.parametrize(
    ("system", "stored"), [("dark", None), ("light", "dark"), ("dark", "light")]
)
def test_html_says_dark_as_retype_does_and_pages_pick_their_images_by_it(
    chromium: Browser, tmp_path: Path, system: str, stored: str | None
) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    files = {"retype.yml": "", "index.md": SCHEME_TWINS, "light.svg": svg, "dark.svg": svg}
    project = served_project(tmp_path / "proj", files)
    with project as url, fresh_page(chromium, color_scheme=system) as page:
        if stored:
            page.goto(url)
            page.evaluate("(t) => localStorage.setItem('docsite-theme', t)", stored)
        page.goto(url)
        dark = (stored or system) == "dark"
        assert page.evaluate("document.documentElement.classList.contains('dark')") is dark
        assert page.get_by_alt_text("dark twin").is_visible() is dark
        assert page.get_by_alt_text("light twin").is_visible() is not dark
        colour = page.locator(".mine").evaluate("e => getComputedStyle(e).color")
        assert (colour == "rgb(1, 2, 3)") is dark
        page.locator(".theme-toggle").click()  # the reader switches: the page follows
        assert page.evaluate("document.documentElement.classList.contains('dark')") is not dark
        assert page.get_by_alt_text("dark twin").is_visible() is not dark
