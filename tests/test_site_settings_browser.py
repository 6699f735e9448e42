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
