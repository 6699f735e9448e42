"""Code blocks, lists and columns as a reader sees them (Chromium through Playwright): the
theme's CSS for lettered lists, highlighted lines, code columns and abbreviations."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from browser import ARTIFACTS_DIR, fresh_page, served_project

try:
    from playwright.sync_api import Browser, Page
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

PAGE = """\
# Blocks

a. lower
b. letters

A. upper
B. letters

I. upper
II. Roman

||| Demo
Some text.
||| Source
```md
Some text.
```
|||

```js !#2
let a = 1;
let b = 2;
```

The HTML is checked.

*[HTML]: Hyper Text Markup Language
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_project(
        tmp_path_factory.mktemp("blocks_site"),
        {"docsite.yml": "title: Blocks\n", "content/index.md": PAGE},
    ) as url:
        yield url


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    with fresh_page(chromium) as page:
        yield page


def style(page: Page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")


def test_lettered_and_roman_lists_keep_their_case(page: Page, base_url: str) -> None:
    page.goto(base_url)
    kinds = page.eval_on_selector_all(
        "article ol[type]", "lists => lists.map(e => getComputedStyle(e).listStyleType)"
    )
    assert kinds == ["lower-alpha", "upper-alpha", "upper-roman"]


def test_code_column_title_is_the_code_blocks_title_bar(page: Page, base_url: str) -> None:
    page.goto(base_url)
    title = page.locator(".code-column .column-title").bounding_box()
    code = page.locator(".code-column pre").bounding_box()
    assert title is not None and code is not None
    assert abs(title["y"] + title["height"] - code["y"]) <= 1  # attached, no gap
    assert abs(title["width"] - code["width"]) <= 1
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "blocks.png"), full_page=True)


def test_marked_lines_stack_without_numbers_and_abbreviation(page: Page, base_url: str) -> None:
    page.goto(base_url)
    lines = page.eval_on_selector_all(
        "pre .line", "lines => lines.map(e => e.getBoundingClientRect().top)"
    )
    assert len(lines) == 2 and lines[1] > lines[0]  # one line under the other
    marked = page.locator("pre .line.hl")
    assert marked.count() == 1 and marked.inner_text().startswith("let b")
    content = page.eval_on_selector("pre .line.hl", "e => getComputedStyle(e, '::before').content")
    assert content in ("none", "normal", "")  # `!#`: no line number painted
    assert page.locator("abbr").get_attribute("title") == "Hyper Text Markup Language"
    assert style(page, "abbr", "cursor") == "help"
