"""Retype's sidebar settings as a reader sees them: the filter box finds pages of folders
that are closed; a stacked folder shows its pages without a click."""

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

FILES = {
    "retype.yml": "nav:\n  tags:\n    title: Topics\n",
    "index.md": "# Home\n",
    "guide/setup.md": "---\ntags: [basics]\n---\n# Setup\n",
    "api/deep/widgets.md": "# Widgets\n",
    "api/users.md": "# Users\n",
}


def test_the_filter_finds_pages_in_closed_folders(chromium: Browser, tmp_path: Path) -> None:
    with served_project(tmp_path / "proj", FILES) as url, fresh_page(chromium) as page:
        page.goto(url)
        assert not page.locator("#sidebar .nav-label", has_text="Widgets").is_visible()
        page.fill("#sidebar .nav-filter-input", "widg")
        found = page.locator("#sidebar .nav-filter-results a")
        found.first.wait_for()
        assert found.count() == 1
        assert found.first.locator(".nav-label").inner_text() == "Widgets"
        assert found.first.locator(".nav-filter-trail").inner_text() == "Api / Deep"
        assert not page.locator("#sidebar > .nav-list:not(.nav-filter-results)").is_visible()
        page.fill("#sidebar .nav-filter-input", "")
        assert page.locator("#sidebar > .nav-list:not(.nav-filter-results)").is_visible()
        assert page.locator("#sidebar .nav-tags a", has_text="basics").is_visible()
        page.fill("#sidebar .nav-filter-input", "widg")
        found.first.click()
        page.wait_for_url("**/api/deep/widgets/")
        assert page.locator("article h1").inner_text().startswith("Widgets")
        shots = Path("/tmp/shots-pagemodel")
        shots.mkdir(exist_ok=True)
        page.goto(url)
        page.fill("#sidebar .nav-filter-input", "s")
        found.first.wait_for()
        page.screenshot(path=str(shots / "filter.png"))
