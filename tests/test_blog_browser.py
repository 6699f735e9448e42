"""The blog as a reader sees it (Chromium through Playwright): a post's byline under its
title with round pictures, one column without sidebar, and the summary page's list."""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator

import pytest
from browser import ARTIFACTS_DIR, axe_violations, fresh_page, served_project

try:
    from playwright.sync_api import Browser, Page
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A PNG of one colour, for an author's picture that needs no network."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


POST = """\
---
authors:
  - name: Jane Smith
    avatar: images/jane.png
    link: https://example.com/jane
  - Bob Wilson
  - name: Kim Offline
    avatar: http://127.0.0.1:9/kim.png
category: [release, engineering]
---
# Version 2 is out

Version 2 brings a faster build, a new theme and a blog for every project.

## What changed

The build reads only what changed since the last one.
"""

FILES: dict[str, str | bytes] = {
    "retype.yml": "branding:\n  title: Acme\nblog:\n  pageSize: 3\n"
    "integrations:\n  gravatar:\n    enabled: false\n",
    "index.md": "# Home\n\nWelcome.\n",
    "guide.md": "# Guide\n\nA page.\n",
    "blog/index.md": "# News\n\nWhat we are working on.\n",
    "blog/2026-02-01-version-2.md": POST,
    "blog/images/jane.png": png(64, 64, (84, 149, 241)),
    "blog/2026-01-15-roadmap.md": "---\nauthor: Bob Wilson\ncategory: planning\n---\n"
    "# Our roadmap\n\nWhere the project goes this year, in three steps.\n",
    "blog/2025-12-24-hello.md": "# Hello world\n\nThe first post of this blog.\n",
    "blog/2025-11-02-older.md": "# An older post\n\nOn page two.\n",
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_project(tmp_path_factory.mktemp("blog_site"), FILES) as url:
        yield url


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    with fresh_page(chromium) as page:
        yield page


def test_a_post_has_its_byline_under_the_title_in_one_column(page: Page, base_url: str) -> None:
    page.goto(base_url + "blog/2026-02-01-version-2/")
    assert page.locator("#sidebar").count() == 0
    title = page.locator("article h1").bounding_box()
    byline = page.locator("article .post-meta").bounding_box()
    assert title is not None and byline is not None and byline["y"] >= title["y"] + title["height"]
    avatar = page.locator(".post-author img.avatar").first
    assert avatar.evaluate("img => img.complete && img.naturalWidth") == 64
    box = avatar.bounding_box()
    assert box is not None and round(box["width"]) == round(box["height"]) == 32
    radius = avatar.evaluate("img => getComputedStyle(img).borderRadius")
    assert radius == "50%"
    initial = page.locator(".avatar-initial").first.bounding_box()
    assert initial is not None and round(initial["width"]) == 32
    assert page.locator(".post-pager a[rel=next] .pager-label").inner_text() == "Our roadmap"
    assert axe_violations(page) == []
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "blog-post.png"), full_page=True)


def test_the_summary_page_lists_posts_with_their_bylines(page: Page, base_url: str) -> None:
    page.goto(base_url + "blog/")
    titles = page.locator(".blog-item-title").all_inner_texts()
    assert titles == ["Version 2 is out", "Our roadmap", "Hello world"]
    page.locator(".blog-pager a[rel=next]").click()
    page.wait_for_url("**/blog/page/2/")
    assert page.locator(".blog-item-title").all_inner_texts() == ["An older post"]
    page.goto(base_url + "blog/")
    assert axe_violations(page) == []
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "blog-summary.png"), full_page=True)


def test_a_picture_that_does_not_load_gives_way_to_the_initial(page: Page, base_url: str) -> None:
    page.goto(base_url + "blog/2026-02-01-version-2/")
    kim = page.locator(".post-author", has_text="Kim Offline")
    kim.locator(".avatar-initial").wait_for()
    assert kim.locator(".avatar-initial").inner_text() == "K"
    assert kim.locator("img").count() == 0
    box = kim.locator(".avatar-initial").bounding_box()
    assert box is not None and round(box["width"]) == 32
    jane = page.locator(".post-author", has_text="Jane Smith")
    assert jane.locator("img.avatar").count() == 1  # a picture that loads stays


SEPARATORS = """() => {
    const byline = document.querySelector("article .post-meta").getBoundingClientRect();
    return [...document.querySelectorAll("article .post-reading-time, article .post-categories")]
        .map(part => {
            const box = part.getBoundingClientRect();
            const dot = box.left + parseFloat(getComputedStyle(part, "::before").left);
            return {lineStart: box.left - byline.left < 1, dotShown: dot >= byline.left,
                    dotBeforePart: dot < box.left};
        });
}"""


def test_no_line_of_a_wrapped_byline_starts_with_a_dot(page: Page, base_url: str) -> None:
    page.goto(base_url + "blog/2026-02-01-version-2/")
    wrapped = False
    for width in range(280, 1000, 40):
        page.set_viewport_size({"width": width, "height": 800})
        parts = page.evaluate(SEPARATORS)
        assert len(parts) == 2
        for part in parts:
            assert part["dotShown"] != part["lineStart"], (width, part)
            assert part["dotBeforePart"]
        wrapped = wrapped or any(part["lineStart"] for part in parts)
    assert wrapped  # some width put a part with a dot at the start of a line
