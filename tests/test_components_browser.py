"""Components in a real browser (Chromium through Playwright): tabs switch, folds fold.

A small project is written to a temporary folder, built with docsite and served locally.
Screenshots go to test-artifacts/ to look at the components in both colour schemes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import (
    ARTIFACTS_DIR,
    build_fixture_site,
    fresh_page,
    mermaid_script,
    serve,
    served_project,
)
from conftest import write_files

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

PAGE = """\
# Components

+++ npm
```sh
npm install thing
```
+++ pip
```sh
pip install thing
```
+++

Some text between.

+++ npm
Use npm here.
+++ pip
Use pip here.
+++

!!-warning Folded callout
Hidden text.
!!!

=== Open panel
Panel text.
===

==- Closed panel
Closed text.
===

>>> First step
One.
>>> Second step
Two [!badge NEW|info] :icon-rocket: :tada:
>>>
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_project(
        tmp_path_factory.mktemp("components_site"),
        {"docsite.yml": "title: Components\n", "content/index.md": PAGE},
    ) as url:
        yield url


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    with fresh_page(chromium) as page:
        yield page


def test_tabs_switch_by_click_and_keys_and_same_titles_follow(page: Page, base_url: str) -> None:
    page.goto(base_url)
    first, second = page.locator("[data-tabs]").all()
    expect(first.get_by_role("tabpanel", name="npm")).to_be_visible()
    expect(first.locator("#" + first.get_attribute("id") + "-2")).to_be_hidden()

    first.get_by_role("tab", name="pip").click()
    expect(first.get_by_role("tab", name="pip")).to_have_attribute("aria-selected", "true")
    expect(first.get_by_text("pip install thing")).to_be_visible()
    expect(first.get_by_text("npm install thing")).to_be_hidden()
    # The other set with a 'pip' tab switched too.
    expect(second.get_by_text("Use pip here.")).to_be_visible()
    expect(second.get_by_text("Use npm here.")).to_be_hidden()

    second.get_by_role("tab", name="pip").focus()
    page.keyboard.press("ArrowLeft")
    expect(second.get_by_role("tab", name="npm")).to_be_focused()
    expect(second.get_by_text("Use npm here.")).to_be_visible()
    expect(first.get_by_text("npm install thing")).to_be_visible()


def test_a_tab_is_a_link_to_itself_that_selects_without_leaving(page: Page, base_url: str):
    """Retype's tab page: right-click a tab to copy its address. A click or Space selects it
    and neither scrolls nor changes the address."""
    page.goto(base_url)
    first = page.locator("[data-tabs]").first
    pip = first.get_by_role("tab", name="pip")
    expect(pip).to_have_attribute("href", "#" + pip.get_attribute("id"))
    pip.click()
    expect(pip).to_have_attribute("aria-selected", "true")
    assert page.url == base_url
    first.get_by_role("tab", name="npm").focus()
    page.keyboard.press(" ")
    expect(first.get_by_role("tab", name="npm")).to_have_attribute("aria-selected", "true")
    assert page.evaluate("() => window.scrollY") == 0


def test_without_javascript_every_tab_panel_is_shown(chromium: Browser, base_url: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url)
        expect(page.get_by_text("Use npm here.")).to_be_visible()
        expect(page.get_by_text("Use pip here.")).to_be_visible()
        expect(page.locator(".tabs-list").first).to_be_hidden()
    finally:
        context.close()


def test_callouts_and_panels_fold(page: Page, base_url: str) -> None:
    page.goto(base_url)
    hidden = page.get_by_text("Hidden text.")
    expect(hidden).to_be_hidden()
    page.locator("details.callout > summary").click()
    expect(hidden).to_be_visible()

    expect(page.get_by_text("Panel text.")).to_be_visible()
    page.get_by_text("Open panel").click()
    expect(page.get_by_text("Panel text.")).to_be_hidden()

    expect(page.get_by_text("Closed text.")).to_be_hidden()
    page.get_by_text("Closed panel").click()
    expect(page.get_by_text("Closed text.")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot_components(chromium: Browser, base_url: str, scheme: str) -> None:
    context = chromium.new_context(viewport={"width": 1200, "height": 1400}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(base_url)
        expect(page.locator(".steps .badge-info")).to_have_text("NEW")
        badge = page.locator(".steps .badge-info")
        assert badge.evaluate("b => getComputedStyle(b).backgroundColor") != "rgba(0, 0, 0, 0)"
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        path: Path = ARTIFACTS_DIR / f"components-{scheme}.png"
        page.screenshot(path=str(path), full_page=True)
    finally:
        context.close()


DIAGRAM = """\
# Diagram

```mermaid
graph LR
  A[Markdown] --> B[docsite] --> C[HTML]
```
"""


@pytest.fixture(scope="module")
def mermaid_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site that loads Mermaid from its own static/ folder (the CDN is out of reach)."""
    project = tmp_path_factory.mktemp("mermaid_site")
    write_files(
        project,
        {
            "docsite.yml": "title: Diagrams\nmermaid:\n  script: vendor/mermaid.min.js\n",
            "content/index.md": DIAGRAM,
            "content/plain.md": "# Plain\n\nNo diagram here.\n",
            "static/vendor/mermaid.min.js": mermaid_script().read_bytes(),
        },
    )
    site = build_fixture_site(project / "site", project)
    with serve(site) as url:
        yield url


def test_mermaid_draws_diagrams_in_the_page_scheme(page: Page, mermaid_url: str) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(mermaid_url)
    diagram = page.locator("pre.mermaid svg")
    expect(diagram).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-mermaid", "default")
    labels = diagram.locator(".nodeLabel").all_inner_texts()
    assert labels == ["Markdown", "docsite", "HTML"]
    light_fill = diagram.locator(".node rect").first.evaluate("r => getComputedStyle(r).fill")

    page.locator(".theme-toggle").click()  # system (light) -> dark
    expect(page.locator("html")).to_have_attribute("data-mermaid", "dark")
    expect(diagram).to_be_visible()
    dark_fill = diagram.locator(".node rect").first.evaluate("r => getComputedStyle(r).fill")
    assert dark_fill != light_fill
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.locator("pre.mermaid").screenshot(path=str(ARTIFACTS_DIR / "mermaid-dark.png"))


def test_pages_without_a_diagram_do_not_load_mermaid(page: Page, mermaid_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(mermaid_url + "plain/")
    expect(page.get_by_text("No diagram here.")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "mermaid" in url]
