"""Retype's presentation keys as a reader sees them: the theme's colours in both schemes, the
logo right of the title, the hub link, the page action menu."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import fresh_page, served_project

try:
    from playwright.sync_api import Browser, Page
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

# Screenshots for a person to look at; not compared.
SHOTS = Path(os.environ.get("DOCSITE_SHOTS", "/tmp/shots-siteconfig"))

CONFIG = """\
branding:
  title: Acme Docs
  logo: static/logo.svg
  logoAlign: right
  logoHeight: 28
  baseColor: "#8839ef"
  label: v2.0
  colors:
    label:
      text: "#ffffff"
      background: "#d20f39"
hub:
  link: https://example.com/
  alt: Go to example.com
breadcrumb:
  home: ":icon-home:"
theme:
  base:
    base-bg: "#eff1f5"
  dark:
    base-color: "#ca9ee6"
    base-bg: "#303446"
actions:
  items:
    - text: Copy link
      action: copy-page-link
      icon: link
    - type: separator
    - text: Print page
      action: print-page
"""
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
    '<rect width="64" height="64" rx="14" fill="#8839ef"/>'
    '<path d="M18 46 32 16l14 30" stroke="#fff" stroke-width="6" fill="none"/></svg>'
)
FILES = {
    "retype.yml": CONFIG,
    "static/logo.svg": LOGO,
    "index.md": "# Home\n\nSee the [guide](guide/setup.md).\n",
    "guide/index.md": "# Guide\n",
    "guide/setup.md": "# Setup\n\nRead the [home page](../index.md) first.\n\n!!!\nA note.\n!!!\n",
}


def colour(page: Page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")


def test_a_themed_retype_site_in_both_schemes(chromium: Browser, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with served_project(tmp_path / "proj", FILES) as url:
        with fresh_page(chromium, color_scheme="light") as page:
            page.goto(url + "guide/setup/")
            assert colour(page, "article p a", "color") == "rgb(136, 57, 239)"  # base colour
            assert colour(page, "body", "backgroundColor") == "rgb(239, 241, 245)"
            label = page.locator(".site-label")
            assert colour(page, ".site-label", "backgroundColor") == "rgb(210, 15, 57)"
            assert label.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
            logo = page.locator(".site-title img").bounding_box()
            title = page.locator(".site-title-text").bounding_box()
            hub = page.locator(".hub-link").bounding_box()
            assert logo and title and hub
            assert logo["height"] == 28 and logo["x"] > title["x"] + title["width"] - 1
            assert hub["x"] < title["x"]
            page.locator(".page-actions summary").click()
            assert page.locator(".page-actions-items button").all_inner_texts() == [
                "Copy link",
                "Print page",
            ]
            page.screenshot(path=str(SHOTS / "themed-light.png"))
        with fresh_page(chromium, color_scheme="dark") as page:
            page.goto(url + "guide/setup/")
            assert colour(page, "article p a", "color") == "rgb(202, 158, 230)"
            assert colour(page, "body", "backgroundColor") == "rgb(48, 52, 70)"
            page.screenshot(path=str(SHOTS / "themed-dark.png"))
