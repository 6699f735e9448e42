"""Sidebar icons in a real browser: an image file and an inline `<svg>` sit where an Octicon
and an emoji sit, at their size, in both schemes (screenshots for a human to look at)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from browser import ARTIFACTS_DIR, fresh_page, served_project

try:
    from playwright.sync_api import Browser
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

# A two-colour logo: an image icon keeps its own colours.
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<rect width="16" height="16" rx="3" fill="#fc6d26"/><circle cx="8" cy="8" r="4" fill="#fff"/>'
    "</svg>"
)
INLINE = '<svg viewBox="0 0 24 24"><path d="M12 2 22 22H2z"/></svg>'
FILES = {
    "docsite.yml": "title: Icons\n",
    "content/index.md": "---\nicon: rocket\n---\n# Octicon\n",
    "content/emoji.md": '---\nicon: ":tada:"\n---\n# Emoji\n',
    "content/inline.md": f"---\nicon: {INLINE}\n---\n# Inline SVG\n",
    "content/logo.md": "---\nicon: /static/logos/logo.svg\n---\n# Image file\n",
    "content/guide/index.yml": "icon: ../static/logos/logo.svg\n",
    "content/guide/deep/page.md": "---\nicon: ../../static/logos/logo.svg\n---\n# Deep image\n",
    "content/static/logos/logo.svg": LOGO,
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_project(tmp_path_factory.mktemp("icons_site"), FILES) as url:
        yield url


BOXES = """() => [...document.querySelectorAll('nav.sidebar .nav-link:has(.nav-icon)')].map(a => {
    const icon = a.querySelector('.nav-icon'), label = a.querySelector('.nav-label');
    const i = icon.getBoundingClientRect(), l = label.getBoundingClientRect();
    return {label: label.textContent, tag: icon.tagName, x: i.x, width: i.width,
            height: i.height, middle: i.y + i.height / 2, label_x: l.x,
            label_middle: l.y + l.height / 2,
            loaded: icon.tagName !== 'IMG' || icon.naturalWidth > 0};
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_image_and_inline_svg_icons_line_up_with_octicons(
    chromium: Browser, base_url: str, scheme: str
) -> None:
    with fresh_page(chromium, color_scheme=scheme) as page:
        page.goto(base_url + "guide/deep/page/")
        boxes = {box["label"]: box for box in page.evaluate(BOXES)}
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        page.locator("nav.sidebar").screenshot(path=ARTIFACTS_DIR / f"icons-sidebar-{scheme}.png")
    octicon = boxes["Octicon"]
    assert {boxes[name]["tag"] for name in ("Image file", "Guide", "Deep image")} == {"IMG"}
    for name in ("Emoji", "Inline SVG", "Image file", "Guide"):
        box = boxes[name]
        assert box["loaded"], f"{name}: the image did not load"
        assert abs(box["x"] - octicon["x"]) < 0.5, name  # one column of icons
        assert abs(box["label_x"] - octicon["label_x"]) < 0.5, name  # and of labels
        assert abs(box["width"] - octicon["width"]) < 0.5, name
        assert abs(box["height"] - octicon["height"]) < 0.5, name
        assert abs(box["middle"] - box["label_middle"]) < 2, name  # centred on its label
    assert boxes["Deep image"]["loaded"] and boxes["Deep image"]["width"] == octicon["width"]
