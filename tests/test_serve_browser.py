"""Watch mode in a real browser: edits appear without a manual reload; errors show an overlay."""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_files

from docsite.build import BuildOptions
from docsite.serve.watch import serve


@contextlib.contextmanager
def serving(root: Path) -> Iterator[str]:
    """`docsite serve` of the project at `root`, in a thread: its address while it runs."""
    stop = threading.Event()
    ready: queue.Queue = queue.Queue()
    thread = threading.Thread(
        target=serve,
        kwargs=dict(
            options=BuildOptions(root=root), port=0, say=lambda _: None, ready=ready.put, stop=stop
        ),
        daemon=True,
    )
    thread.start()
    try:
        yield ready.get(timeout=30)
    finally:
        stop.set()
        thread.join(timeout=10)


@pytest.fixture
def live_site(tmp_path):
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "content/index.md": "# Home\n\n[Guide](guide.md)\n",
            "content/guide.md": "# Guide\n\nFirst version of the guide.\n\n" + "Filler.\n\n" * 60,
        },
    )
    with serving(root) as url:
        yield root, url


def open_live(page, address: str) -> None:
    """Open a served page and wait until its live-reload stream is connected."""
    page.goto(address)
    page.wait_for_function(
        "() => window.performance.getEntriesByType('resource')"
        ".some(e => e.name.includes('livereload'))"
    )
    page.wait_for_timeout(300)  # the event stream is connected


def test_edit_appears_in_place_and_keeps_scroll(chromium, live_site):
    root, url = live_site
    page = chromium.new_page()
    try:
        open_live(page, url + "guide/")
        page.evaluate("window.scrollTo(0, 400)")
        page.evaluate("window.__before_swap = true")
        guide = root / "content/guide.md"
        guide.write_text(guide.read_text().replace("First version", "Second version"))
        page.get_by_text("Second version of the guide.").wait_for(timeout=10_000)
        assert page.evaluate("window.__before_swap === true")  # swapped in, not reloaded
        assert page.evaluate("window.scrollY") == 400
    finally:
        page.close()


SWAP_GUIDE = """\
# Guide

First version of the guide.

+++ npm
```sh
npm install thing
```
+++ pip
```sh
pip install thing
```
+++

==- Closed panel
Closed text.
===

## Setup

{filler}
## Usage

{filler}
"""


@pytest.fixture
def swap_site(tmp_path):
    """A live page with tabs, code, a closed panel and sections: what a swap must keep."""
    root = tmp_path / "proj"
    filler = "Filler.\n\n" * 40
    write_files(
        root,
        {
            "content/index.md": "# Home\n",
            "content/guide.md": SWAP_GUIDE.format(filler=filler),
        },
    )
    with serving(root) as url:
        yield root, url


@contextlib.contextmanager
def clipboard_page(chromium) -> Iterator:
    context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        yield context.new_page()
    finally:
        context.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_swap_keeps_open_tabs_and_panels_and_the_theme_works_on_it(chromium, swap_site):
    root, url = swap_site
    with clipboard_page(chromium) as page:
        open_live(page, url + "guide/")
        page.get_by_role("tab", name="pip").click()
        page.get_by_text("Closed panel").click()
        page.evaluate("window.scrollTo(0, 300)")
        page.evaluate("window.__before_swap = true")
        edit(root / "content/guide.md", "pip install thing", "pip install other")
        page.get_by_text("pip install other").wait_for(timeout=10_000)
        assert page.evaluate("window.__before_swap === true")
        assert page.evaluate("window.scrollY") == 300
        pip = page.get_by_role("tab", name="pip")
        assert pip.get_attribute("aria-selected") == "true"
        assert page.get_by_text("pip install other").is_visible()
        assert page.locator("details", has_text="Closed panel").get_attribute("open") is not None
        # The theme's scripts set up the new content once: one copy button a block, tabs work.
        assert page.locator(".code-wrap .code-wrap").count() == 0
        buttons = page.locator("article.doc .code-wrap > pre + button.copy-button")
        assert buttons.count() == page.locator("article.doc pre").count() == 2
        page.locator(".code-wrap", has_text="pip install other").locator("button").click()
        assert page.evaluate("() => navigator.clipboard.readText()") == "pip install other"
        page.get_by_role("tab", name="npm").click()
        assert page.get_by_text("npm install thing").is_visible()
        assert not page.get_by_text("pip install other").is_visible()


def test_a_swap_shows_new_headings_in_the_table_of_contents(chromium, swap_site):
    root, url = swap_site
    page = chromium.new_page()
    try:
        open_live(page, url + "guide/")
        page.evaluate("window.__before_swap = true")
        added = "## Added section\n\n" + "More.\n\n" * 30 + "## Usage"
        edit(root / "content/guide.md", "## Usage", added)
        link = page.locator(".toc a[href='#added-section']")
        link.wait_for(timeout=10_000)
        assert page.evaluate("window.__before_swap === true")
        page.locator("#added-section").evaluate("h => h.scrollIntoView()")
        page.wait_for_function(
            "() => document.querySelector(\".toc a[href='#added-section']\")"
            ".classList.contains('is-active')",
            timeout=5_000,
        )
    finally:
        page.close()


def test_a_swap_brings_the_stylesheets_new_content_needs(chromium, live_site):
    """The first code block of a page links the highlighting stylesheet: it is loaded
    before the block is shown, and the page is not reloaded."""
    root, url = live_site
    page = chromium.new_page()
    try:
        open_live(page, url + "guide/")
        page.evaluate("window.__before_swap = true")
        code = "```python\nimport os\n```\n"
        edit(root / "content/guide.md", "First version of the guide.\n", code)
        page.wait_for_function("() => document.querySelector('article.doc pre .kn')")
        sheet = "document.querySelector('link[href$=\"pygments.css\"]')?.sheet"
        assert page.evaluate(f"() => !!{sheet}")  # loaded when the code showed
        assert page.evaluate("window.__before_swap === true")
        assert page.locator("article.doc .code-wrap > pre + button.copy-button").count() == 1
    finally:
        page.close()


def test_a_page_whose_scripts_change_is_reloaded(chromium, live_site):
    """Tabs on a page that had none bring the components' script: only a reload runs it."""
    root, url = live_site
    page = chromium.new_page()
    try:
        open_live(page, url + "guide/")
        page.evaluate("window.__before_swap = true")
        tabs = "+++ One\nFirst tab.\n+++ Two\nSecond tab.\n+++\n"
        edit(root / "content/guide.md", "First version of the guide.\n", tabs)
        page.get_by_role("tab", name="Two").wait_for(timeout=10_000)
        assert page.evaluate("window.__before_swap === undefined")  # reloaded
        page.get_by_role("tab", name="Two").click()
        assert page.get_by_text("Second tab.").is_visible()
    finally:
        page.close()


def test_broken_page_shows_overlay_then_clears(chromium, live_site):
    root, url = live_site
    page = chromium.new_page()
    try:
        page.goto(url + "guide/")
        page.wait_for_timeout(500)
        guide = root / "content/guide.md"
        good = guide.read_text()
        guide.write_text(good.replace("First version", "[bad](missing.md) version"))
        overlay = page.locator("#docsite-error-overlay")
        overlay.wait_for(timeout=10_000)
        assert "content/guide.md:3:" in overlay.inner_text()
        assert "missing.md" in overlay.inner_text()
        page.goto(url + "guide/")  # the last good page is still served
        assert page.get_by_text("First version of the guide.").is_visible()
        page.locator("#docsite-error-overlay").wait_for(timeout=10_000)  # shown on arrival
        guide.write_text(good.replace("First version", "Fixed version"))
        page.get_by_text("Fixed version of the guide.").wait_for(timeout=10_000)
        assert page.locator("#docsite-error-overlay").count() == 0
    finally:
        page.close()


def test_many_open_tabs_all_load_and_reload(chromium, live_site):
    """A browser opens 6 connections per host at most: were each tab to hold its own event
    stream, the seventh tab would never load."""
    root, url = live_site
    context = chromium.new_context()  # tabs of one browser window share its connections
    pages = []
    try:
        for _ in range(9):
            page = context.new_page()
            page.goto(url + "guide/", timeout=10_000)
            pages.append(page)
        guide = root / "content/guide.md"
        guide.write_text(guide.read_text().replace("First version", "Second version"))
        for page in pages:
            page.get_by_text("Second version of the guide.").wait_for(timeout=10_000)
    finally:
        context.close()


def test_an_edit_saved_while_the_page_loads_still_reaches_it(chromium, live_site):
    """A save whose reload goes out while the tab is between two pages (the live-reload
    script not yet connected) is not lost: the page learns of it when it connects."""
    root, url = live_site
    page = chromium.new_page()
    guide = root / "content/guide.md"

    def save_before_the_script_connects(route):
        # The page has been read; its script waits here until the reload event has gone.
        guide.write_text(guide.read_text().replace("First version", "Saved-meanwhile version"))
        time.sleep(1.5)
        route.continue_()

    try:
        page.goto(url)
        page.wait_for_timeout(300)
        page.route("**/__docsite/livereload.js", save_before_the_script_connects)
        page.goto(url + "guide/")
        page.get_by_text("Saved-meanwhile version of the guide.").wait_for(timeout=10_000)
    finally:
        page.close()


THEME_CSS = Path(__file__).resolve().parent.parent / "static/assets/docsite.css"
PROBE = "() => getComputedStyle(document.documentElement).getPropertyValue('--probe').trim()"


@pytest.fixture
def styled_site(tmp_path):
    """The live site with a stylesheet of the project's own (the theme's, to be edited)."""
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "content/index.md": "# Home\n",
            "content/guide.md": "# Guide\n\nFirst version of the guide.\n",
            "static/assets/docsite.css": THEME_CSS.read_text() + ":root{--probe:0px}\n",
        },
    )
    with serving(root) as url:
        yield root, url


def test_a_stylesheet_edit_is_swapped_in_without_a_reload(chromium, styled_site):
    """A CSS-only save swaps the stylesheet in place (the page stays, scripts and all); saved
    with a page, the page reloads with the new stylesheet."""
    root, url = styled_site
    css = root / "static/assets/docsite.css"
    page = chromium.new_page()
    try:
        open_live(page, url + "guide/")
        page.evaluate("window.__kept = true")
        css.write_text(css.read_text().replace("--probe:0px", "--probe:1px"))
        page.wait_for_function(f"() => ({PROBE})() === '1px'", timeout=10_000)
        assert page.evaluate("window.__kept === true")  # swapped in place: no reload
        guide = root / "content/guide.md"
        css.write_text(css.read_text().replace("--probe:1px", "--probe:2px"))
        guide.write_text(guide.read_text().replace("First version", "Second version"))
        page.get_by_text("Second version of the guide.").wait_for(timeout=10_000)
        page.wait_for_function(f"() => ({PROBE})() === '2px'", timeout=10_000)
    finally:
        page.close()


def test_each_stylesheet_edit_is_fetched_even_within_one_millisecond(chromium, styled_site):
    """Two stylesheet edits the tab hears of in the same millisecond of its clock (events
    bunched by a busy machine; here the clock stands still): each is fetched anew, not
    taken for the one before."""
    root, url = styled_site
    css = root / "static/assets/docsite.css"
    page = chromium.new_page()
    try:
        page.add_init_script("Date.now = () => 1700000000000;")
        open_live(page, url + "guide/")
        page.evaluate("window.__kept = true")
        for before, after in (("0px", "1px"), ("1px", "2px")):
            css.write_text(css.read_text().replace(f"--probe:{before}", f"--probe:{after}"))
            page.wait_for_function(f"() => ({PROBE})() === '{after}'", timeout=10_000)
        assert page.evaluate("window.__kept === true")  # swapped in place both times
    finally:
        page.close()


def svg(width: int) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="10"></svg>\n'


@pytest.fixture
def pictured_site(tmp_path):
    """A page that shows an image, and one that shows another through its style (a
    stylesheet's image, which only a reload fetches again)."""
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "content/index.md": "# Home\n\n![A logo](logo.svg)\n\nFirst.\n\n" + "Filler.\n\n" * 60,
            "content/styled.md": (
                '# Styled\n\n<div class="bg" style="width:40px;height:10px;'
                'background-image:url(/bg.svg)"></div>\n'
            ),
            "content/logo.svg": svg(10),
            "content/bg.svg": svg(10),
        },
    )
    with serving(root) as url:
        yield root, url


LOGO_WIDTH = "() => document.querySelector('img[src*=\"logo.svg\"]')?.naturalWidth"


def test_an_edited_image_is_put_in_place_and_stays_through_swaps(chromium, pictured_site):
    """The open page shows an edited image's new version without a reload (scroll kept);
    a later edit of the page's text, swapped in, does not bring the old image back."""
    root, url = pictured_site
    page = chromium.new_page()
    try:
        open_live(page, url)
        page.evaluate("window.scrollTo(0, 300)")
        page.evaluate("window.__kept = true")
        for width in (20, 30):
            (root / "content/logo.svg").write_text(svg(width))
            page.wait_for_function(f"() => ({LOGO_WIDTH})() === {width}", timeout=10_000)
        assert page.evaluate("window.__kept === true")  # in place: no reload
        assert page.evaluate("window.scrollY") == 300
        index = root / "content/index.md"
        index.write_text(index.read_text().replace("First.", "Second."))
        page.get_by_text("Second.").wait_for(timeout=10_000)
        page.wait_for_function(f"() => ({LOGO_WIDTH})() > 0", timeout=10_000)
        assert page.evaluate(LOGO_WIDTH) == 30  # the new image, in the part swapped in
        assert page.evaluate("window.__kept === true")
    finally:
        page.close()


def test_an_image_a_style_shows_reloads_the_page(chromium, pictured_site):
    """An image shown by a style, edited: the page reloads (in place it would stay old);
    a tab whose page does not show the edited image stays as it is."""
    root, url = pictured_site
    styled, home = chromium.new_page(), chromium.new_page()
    try:
        open_live(styled, url + "styled/")
        open_live(home, url)
        for tab in (styled, home):
            tab.evaluate("window.__kept = true")
        (root / "content/logo.svg").write_text(svg(40))
        home.wait_for_function(f"() => ({LOGO_WIDTH})() === 40", timeout=10_000)
        styled.wait_for_timeout(300)  # the same event reached it: a reload would show by now
        assert styled.evaluate("window.__kept === true")
        (root / "content/bg.svg").write_text(svg(40))
        styled.wait_for_function("() => window.__kept === undefined", timeout=10_000)
        home.wait_for_timeout(300)
        assert home.evaluate("window.__kept === true")  # neither edit reloaded it
    finally:
        styled.close()
        home.close()
