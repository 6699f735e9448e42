"""The built site in a real browser (Chromium through Playwright).

The fixture project tests/fixtures/browser_site is built once per module, served by a local
HTTP server (and opened from disk for the file:// test), and driven by one headless Chromium.
Screenshots of the Status Codes page go to test-artifacts/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import (
    ARTIFACTS_DIR,
    box_in_view,
    build_fixture_site,
    chromium_path,
    is_readable_in_view,
    serve,
    wider_than,
)

try:
    from playwright.sync_api import Browser, BrowserContext, Page, expect
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

DESKTOP = {"width": 1366, "height": 900}
MOBILE = {"width": 375, "height": 812}

# The fixture's sidebar, top level: home (order 10000), 1900, 1800, then the unordered
# group A-Z with folders first ("Guide" before "About").
TOP_LEVEL = ["Welcome", "Getting started", "Status Codes", "Guide", "About", "Changelog"]
# Reading order, depth first: the folder's own page, then its pages (order 20, then 10).
READING_ORDER = [
    ("", "Welcome"),
    ("getting-started/", "Getting started"),
    ("status-codes/", "Status Codes"),
    ("guide/", "Guide"),
    ("guide/setup/", "Setup"),
    ("guide/usage/", "Usage"),
    ("about/", "About"),
    ("changelog/", "Changelog"),
]

ACTIVE_LINK = "nav.sidebar a.nav-link[aria-current=page]"


# Fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("browser_site") / "site")


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    with serve(site_dir) as url:
        yield url


@pytest.fixture
def context(chromium: Browser) -> Iterator[BrowserContext]:
    """A fresh desktop profile (empty localStorage) that prefers the light scheme."""
    ctx = chromium.new_context(viewport=DESKTOP, color_scheme="light")
    ctx.set_default_timeout(5_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def sidebar_link(page: Page, label: str):
    return page.locator("nav.sidebar a.nav-link").filter(
        has=page.locator(".nav-label", has_text=label)
    )


def h1(page: Page):
    return page.locator("article.doc h1")


def heading_text(page: Page) -> str:
    """The page's h1 without its '#' anchor link."""
    return h1(page).evaluate(
        "h => [...h.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)"
        ".map(n => n.textContent).join('').trim()"
    )


def expect_heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name(text)
    assert heading_text(page) == text


# Tests ---------------------------------------------------------------------------------


def test_chromium_is_available() -> None:
    """Skipped locally without Chromium; on CI (CI=true) a missing browser is a failure."""
    assert Path(chromium_path()).is_file()


def test_sidebar_order_active_item_badge_and_icon(page: Page, base_url: str) -> None:
    page.goto(base_url + "status-codes/")
    expect_heading(page, "Status Codes")

    top_items = page.locator("nav.sidebar > ul.nav-list > li.nav-item")
    labels = [item.locator(".nav-label").first.inner_text() for item in top_items.all()]
    assert labels == TOP_LEVEL

    guide = top_items.nth(TOP_LEVEL.index("Guide"))
    assert guide.evaluate("li => [...li.classList]") == ["nav-item", "nav-folder", "is-collapsed"]
    expect(guide.locator("> a.nav-link")).to_have_attribute("href", "../guide/")

    active = page.locator(ACTIVE_LINK)
    expect(active).to_have_count(1)
    expect(active.locator(".nav-label")).to_have_text("Status Codes")
    assert active.evaluate("a => a.href") == page.url
    # Icon, then label, then badge.
    parts = active.locator("> span").evaluate_all("spans => spans.map(s => s.className)")
    assert parts == ["icon nav-icon i-rss", "nav-label", "badge badge-info"]

    badge = active.locator(".badge.badge-info")
    expect(badge).to_have_text("NEW")
    expect(badge).to_be_visible()
    badge_bg = badge.evaluate("b => getComputedStyle(b).backgroundColor")
    assert badge_bg not in ("rgba(0, 0, 0, 0)", "transparent"), badge_bg

    icon = active.locator(".i-rss")
    masks = icon.evaluate(
        "i => { const s = getComputedStyle(i);"
        " return [s.maskImage, s.webkitMaskImage, s.backgroundColor]; }"
    )
    assert any(m and m != "none" and m.startswith("url(") for m in masks[:2]), masks
    assert masks[2] not in ("rgba(0, 0, 0, 0)", "transparent"), masks
    box = icon.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0, box
    # Only the active page has a badge in this fixture; other items have none.
    expect(page.locator("nav.sidebar .badge")).to_have_count(1)


def test_sidebar_link_navigates_and_marks_the_new_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "status-codes/")
    sidebar_link(page, "Getting started").click()
    page.wait_for_url(base_url + "getting-started/")
    expect_heading(page, "Getting started")
    expect(page.locator(ACTIVE_LINK)).to_have_count(1)
    expect(page.locator(ACTIVE_LINK)).to_have_text("Getting started")
    expect(page.locator("article.doc pre code")).to_contain_text("import client")

    # A collapsed folder opens on its own page, its summary link marked active.
    sidebar_link(page, "Guide").click()
    page.wait_for_url(base_url + "guide/")
    expect_heading(page, "Guide")
    folder = page.locator("nav.sidebar li.nav-folder").filter(has_text="Guide")
    assert not folder.evaluate("li => li.classList.contains('is-collapsed')")
    expect(folder.locator("> details")).to_have_attribute("open", "")
    expect(folder.locator("> a.nav-link")).to_have_attribute("aria-current", "page")
    nested = folder.locator("> details > ul.nav-list > li.nav-item .nav-label")
    expect(nested).to_have_text(["Setup", "Usage"])

    sidebar_link(page, "Usage").click()
    page.wait_for_url(base_url + "guide/usage/")
    expect(page.locator(ACTIVE_LINK)).to_have_text("Usage")
    breadcrumb = page.locator("nav.breadcrumbs a")
    expect(breadcrumb).to_have_text(["Guide"])


def test_toc_link_scrolls_to_heading(page: Page, base_url: str) -> None:
    page.goto(base_url + "status-codes/")
    toc = page.locator("aside.toc")
    expect(toc).to_be_visible()
    expect(toc.locator("a")).to_have_count(11)

    heading = page.locator('h2[id="504-gateway-timeout"]')
    assert not is_readable_in_view(page, heading), "heading is on screen before the click"
    toc.locator('a[href="#504-gateway-timeout"]').click()
    page.wait_for_url(base_url + "status-codes/#504-gateway-timeout")
    expect(heading).to_be_in_viewport()
    assert is_readable_in_view(page, heading), box_in_view(page, heading)

    # And back up the page: a heading above the current position.
    heading = page.locator('h2[id="401-unauthorized"]')
    assert not is_readable_in_view(page, heading)
    toc.locator('a[href="#401-unauthorized"]').click()
    page.wait_for_url(base_url + "status-codes/#401-unauthorized")
    assert is_readable_in_view(page, heading), box_in_view(page, heading)


def test_prev_next_follow_the_sidebar_order(page: Page, base_url: str) -> None:
    page.goto(base_url + "status-codes/")
    pager = page.locator("nav.pager")
    expect(pager.locator("a[rel=prev] .pager-label")).to_have_text("Getting started")
    expect(pager.locator("a[rel=next] .pager-label")).to_have_text("Guide")

    # The sidebar with the folder expanded lists every page in reading order.
    page.goto(base_url + "guide/setup/")
    hrefs = page.locator("nav.sidebar a.nav-link").evaluate_all("links => links.map(a => a.href)")
    assert hrefs == [base_url + url for url, _ in READING_ORDER]

    # Walk forwards by clicking "next" from the home page to the end; on every page "prev"
    # points back at the page before.
    page.goto(base_url)
    expect(page.locator("nav.pager a[rel=prev]")).to_have_count(0)
    seen = [(page.url, heading_text(page))]
    while page.locator("nav.pager a[rel=next]").count():
        before = page.url
        page.locator("nav.pager a[rel=next]").click()
        page.wait_for_url(lambda url, before=before: url != before)
        seen.append((page.url, heading_text(page)))
        assert page.locator("nav.pager a[rel=prev]").evaluate("a => a.href") == before
    assert seen == [(base_url + url, label) for url, label in READING_ORDER]

    # And one step back by clicking "prev".
    page.locator("nav.pager a[rel=prev]").click()
    page.wait_for_url(base_url + READING_ORDER[-2][0])
    expect_heading(page, READING_ORDER[-2][1])


def _theme(page: Page) -> str | None:
    return page.evaluate("() => document.documentElement.dataset.theme ?? null")


def _body_background(page: Page) -> str:
    return page.evaluate("() => getComputedStyle(document.body).backgroundColor")


def test_theme_toggle_switches_and_persists(page: Page, base_url: str) -> None:
    page.goto(base_url + "status-codes/")
    toggle = page.locator(".theme-toggle")
    expect(toggle).to_be_visible()
    assert _theme(page) is None
    light = _body_background(page)

    toggle.click()
    assert _theme(page) == "dark"
    assert page.evaluate("() => localStorage.getItem('docsite-theme')") == "dark"
    dark = _body_background(page)
    assert dark != light, (light, dark)
    expect(toggle.locator(".icon-dark")).to_be_visible()
    expect(toggle.locator(".icon-light")).to_be_hidden()

    page.reload()
    assert _theme(page) == "dark"
    assert _body_background(page) == dark
    # Remembered on the other pages too.
    sidebar_link(page, "Guide").click()
    page.wait_for_url(base_url + "guide/")
    assert _theme(page) == "dark"
    assert _body_background(page) == dark

    page.locator(".theme-toggle").click()
    assert _theme(page) == "light"
    page.reload()
    assert _theme(page) == "light"
    assert _body_background(page) == light


def test_theme_toggle_starts_from_the_system_scheme(chromium: Browser, base_url: str) -> None:
    ctx = chromium.new_context(viewport=DESKTOP, color_scheme="dark")
    try:
        page = ctx.new_page()
        page.goto(base_url)
        assert _theme(page) is None
        system_dark = _body_background(page)
        page.locator(".theme-toggle").click()
        assert _theme(page) == "light"
        assert _body_background(page) != system_dark
    finally:
        ctx.close()


def test_links_work_without_javascript(chromium: Browser, base_url: str) -> None:
    ctx = chromium.new_context(viewport=DESKTOP, java_script_enabled=False)
    ctx.set_default_timeout(5_000)
    try:
        page = ctx.new_page()
        page.goto(base_url + "status-codes/")
        expect(page.locator(ACTIVE_LINK).locator(".nav-label")).to_have_text("Status Codes")

        sidebar_link(page, "Guide").click()
        page.wait_for_url(base_url + "guide/")
        expect_heading(page, "Guide")
        sidebar_link(page, "Setup").click()
        page.wait_for_url(base_url + "guide/setup/")
        expect(page.locator(ACTIVE_LINK)).to_have_text("Setup")

        heading = page.locator('h2[id="install"]')
        assert not is_readable_in_view(page, heading), "heading is on screen before the click"
        page.locator('aside.toc a[href="#install"]').click()
        page.wait_for_url(base_url + "guide/setup/#install")
        assert is_readable_in_view(page, heading), box_in_view(page, heading)

        page.locator("nav.pager a[rel=next]").click()
        page.wait_for_url(base_url + "guide/usage/")
        page.locator("nav.pager a[rel=prev]").click()
        page.wait_for_url(base_url + "guide/setup/")
        page.locator(".site-title").click()
        page.wait_for_url(base_url)
        expect_heading(page, "Welcome")
    finally:
        ctx.close()


def test_theme_toggle_is_hidden_without_javascript(chromium: Browser, base_url: str) -> None:
    ctx = chromium.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(base_url + "status-codes/")
        toggle = page.locator(".theme-toggle")
        if toggle.get_attribute("hidden") != "":
            pytest.fail("docsite.js ran although JavaScript is disabled")
        assert toggle.is_hidden()
    finally:
        ctx.close()


def test_site_works_from_disk(page: Page, site_dir: Path) -> None:
    home = site_dir / "index.html"
    page.goto(home.as_uri())
    expect_heading(page, "Welcome")

    sidebar_link(page, "Status Codes").click()
    page.wait_for_url((site_dir / "status-codes" / "index.html").as_uri())
    expect_heading(page, "Status Codes")
    expect(page).to_have_title("Status Codes | Fixture Docs")
    expect(page.locator(ACTIVE_LINK).locator(".nav-label")).to_have_text("Status Codes")

    # Links one level down, in the content and in the pager, resolve to files too.
    page.locator("nav.pager a[rel=next]").click()
    page.wait_for_url((site_dir / "guide" / "index.html").as_uri())
    expect_heading(page, "Guide")
    page.locator(".site-title").click()
    page.wait_for_url(home.as_uri())
    page.locator("article.doc a", has_text="status codes").click()
    page.wait_for_url((site_dir / "status-codes" / "index.html").as_uri())
    expect_heading(page, "Status Codes")


def test_mobile_pages_fit_the_viewport(chromium: Browser, base_url: str) -> None:
    ctx = chromium.new_context(viewport=MOBILE, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        for url, label in READING_ORDER:
            page.goto(base_url + url)
            expect_heading(page, label)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= MOBILE["width"], (url, width, wider_than(page, MOBILE["width"]))
            assert page.evaluate("() => innerWidth") == MOBILE["width"], url
    finally:
        ctx.close()


@pytest.mark.parametrize(
    ("device", "viewport"), [("desktop", DESKTOP), ("mobile", MOBILE)], ids=["desktop", "mobile"]
)
def test_status_codes_screenshots(
    chromium: Browser, base_url: str, device: str, viewport: dict[str, int]
) -> None:
    """Light and dark screenshots for a human to look at; both themes must render."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    backgrounds = {}
    ctx = chromium.new_context(
        viewport=viewport, is_mobile=device == "mobile", color_scheme="light"
    )
    try:
        page = ctx.new_page()
        page.goto(base_url + "status-codes/")
        for theme in ("light", "dark"):
            page.evaluate("(theme) => localStorage.setItem('docsite-theme', theme)", theme)
            page.reload()  # the stored choice is applied by the inline script in <head>
            assert _theme(page) == theme
            expect_heading(page, "Status Codes")
            backgrounds[theme] = _body_background(page)
            stem = f"status-codes-{device}-{theme}"
            page.screenshot(path=ARTIFACTS_DIR / f"{stem}.png")
            page.screenshot(path=ARTIFACTS_DIR / f"{stem}-full.png", full_page=True)
    finally:
        ctx.close()
    assert backgrounds["light"] != backgrounds["dark"], backgrounds
