"""Retype's palette variables (static/assets/docsite.css) in a real browser: a page written for
Retype, with `var(--gray-100)` in an inline style, gets Retype's colour in both schemes."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from browser import fresh_page, served_project

try:
    from playwright.sync_api import Browser, Page
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

PAGE = """\
# Palette

<p id="gray" style="background-color: var(--gray-100)">Gray</p>
<p id="dark" style="background-color: var(--dark-900)">Dark</p>
<p id="base" style="background-color: var(--base-500); color: var(--base-50)">Base</p>
<p id="royal" style="background-color: var(--royal-900)">Royal</p>
<p id="text" style="color: var(--base-text-strong); background-color: var(--base-bg)">Text</p>

Project | Status {style="background-color: var(--gray-100);"}
--- | ---
docsite | Done
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_project(
        tmp_path_factory.mktemp("palette_site"),
        {"docsite.yml": "title: Palette\n", "content/index.md": PAGE},
    ) as url:
        yield url


def colours(page: Page) -> dict[str, str]:
    """Computed background and text colours of the test elements, as the browser resolved them."""
    return page.evaluate(
        """() => Object.fromEntries(
            [...document.querySelectorAll('p[id], th[style]')].map(el => {
                const s = getComputedStyle(el);
                return [[el.id || el.tagName.toLowerCase() + '-bg', s.backgroundColor],
                        [(el.id || el.tagName.toLowerCase()) + '-color', s.color]];
            }).flat())"""
    )


def rgb(colour: str) -> tuple[int, ...]:
    """'rgb(244, 246, 252)' or 'color(srgb 0.1 0.2 0.3)' -> (244, 246, 252)."""
    numbers = colour[colour.index("(") + 1 : colour.index(")")].replace(",", " ").split()
    if colour.startswith("color("):
        return tuple(round(float(n) * 255) for n in numbers[1:4])
    return tuple(round(float(n)) for n in numbers[:3])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_retype_palette_variables_give_real_colours(
    chromium: Browser, base_url: str, scheme: str
) -> None:
    with fresh_page(chromium, color_scheme=scheme) as page:
        page.goto(base_url)
        found = colours(page)
    assert rgb(found["gray"]) == (0xF4, 0xF6, 0xFC)  # the same in both schemes, as in Retype
    assert rgb(found["dark"]) == (0x12, 0x12, 0x12)
    assert rgb(found["base"]) == (0x54, 0x95, 0xF1)
    assert rgb(found["th-bg"]) == (0xF4, 0xF6, 0xFC)
    # base-50 is 10% of the brand colour mixed with white, royal-900 40% of royal with black
    assert rgb(found["base-color"]) == (238, 244, 254)
    assert rgb(found["royal"]) == (66, 41, 91)
    strong, background = rgb(found["text-color"]), rgb(found["text"])
    if scheme == "light":
        assert (strong, background) == ((0x09, 0x0D, 0x1C), (255, 255, 255))
    else:
        assert (strong, background) == ((255, 255, 255), (0x12, 0x12, 0x12))
