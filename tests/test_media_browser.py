"""Embeds and dark images in a real browser (Chromium through Playwright).

An embed asks nothing of the other site until the reader clicks its placeholder; an image
with a `-dark` twin shows the twin in the dark colour scheme only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from browser import served_project

try:
    from playwright.sync_api import Browser, Page, Route, expect
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

PAGE = """\
# Media

https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30s

https://www.instagram.com/p/C08-b3uM0U9/

[!embed el="video" text="A clip"](https://media.example.org/clip.mp4)

![A diagram|40x40](/static/diagram.png)
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    files = {
        "docsite.yml": "title: Media\n",
        "content/index.md": PAGE,
        "content/static/diagram.png": b"\x89PNG light",
        "content/static/diagram-dark.png": b"\x89PNG dark",
    }
    with served_project(tmp_path_factory.mktemp("media_site"), files) as url:
        yield url


def open_page(chromium: Browser, base_url: str, scheme: str = "light") -> tuple[Page, list[str]]:
    """The page, and the list of hosts other than the site's that it asked for (all refused)."""
    context = chromium.new_context(color_scheme=scheme)
    context.set_default_timeout(5_000)
    page = context.new_page()
    asked: list[str] = []
    local = urlsplit(base_url).netloc

    def record(route: Route) -> None:
        host = urlsplit(route.request.url).netloc
        if host == local:
            route.continue_()
        else:
            asked.append(host)
            route.abort()

    page.route("**/*", record)
    page.goto(base_url)
    return page, asked


def test_embeds_load_nothing_until_the_reader_clicks(chromium: Browser, base_url: str) -> None:
    page, asked = open_page(chromium, base_url)
    try:
        youtube, instagram, clip = page.locator("figure.embed").all()
        expect(page.locator("iframe, video")).to_have_count(0)
        expect(youtube.get_by_role("button", name="Load and play: YouTube video")).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert asked == []

        with page.expect_request(lambda r: urlsplit(r.url).netloc == "www.youtube.com"):
            youtube.get_by_role("button").click()
        frame = youtube.locator("iframe")
        expect(frame).to_have_count(1)
        src = frame.get_attribute("src") or ""
        assert src.startswith("https://www.youtube.com/embed/dQw4w9WgXcQ?start=30")
        assert frame.get_attribute("allowfullscreen") is not None
        expect(instagram.locator("iframe")).to_have_count(0)  # the others still wait
        assert "www.youtube.com" in asked and "www.instagram.com" not in asked

        clip.get_by_role("button").click()
        expect(clip.locator("video")).to_have_attribute("src", "https://media.example.org/clip.mp4")
    finally:
        page.context.close()


def test_without_javascript_an_embed_is_a_link(chromium: Browser, base_url: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url)
        link = page.locator("figure.embed-youtube a.embed-link")
        expect(link).to_have_attribute("href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30s")
        expect(page.locator("iframe")).to_have_count(0)
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_dark_twin_shows_in_the_dark_scheme_only(
    chromium: Browser, base_url: str, scheme: str
) -> None:
    page, _ = open_page(chromium, base_url, scheme)
    try:
        light = page.locator("img.image-light")
        dark = page.locator("img.image-dark")
        expect(dark).to_have_attribute("src", "./static/diagram-dark.png")
        expect(dark if scheme == "dark" else light).to_be_visible()
        expect(light if scheme == "dark" else dark).to_be_hidden()
    finally:
        page.context.close()


def test_the_theme_toggle_swaps_the_twins_too(chromium: Browser, base_url: str) -> None:
    page, _ = open_page(chromium, base_url, "light")
    try:
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
        expect(page.locator("img.image-dark")).to_be_visible()
        expect(page.locator("img.image-light")).to_be_hidden()
    finally:
        page.context.close()
