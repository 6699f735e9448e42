"""Actions in a real browser (Chromium through Playwright): badges, buttons and links that
name one of Retype's built-in actions run it when clicked."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from browser import fresh_page, served_project

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

PAGE = """\
# Actions

[!button Copy link](action:copy-page-link) [!badge action="copy-page-markdown" text="Copy page"]
[!ref View source](action:view-page-markdown) [Print](action:print-page)

{filler}

[!button text="Back to top" action="scroll-to-top"]

[!button Copy title](action:copy-title) [!button Copy source](action:copy-source)
[!button Copy with address](action:copy-addressed)
""".format(filler="\n\n".join(f"Paragraph {n} of filler text." for n in range(80)))

# The project's own actions: a value filled in while building, and a chain of two handlers.
COPY_TITLE = 'steps:\n  - handler: clipboard\n    with:\n      value: "Title: {{ page.title }}"\n'
COPY_SOURCE = (
    "steps:\n  - handler: fetch\n    with:\n      url: '{{ page.markdown }}'\n"
    "  - handler: clipboard\n"
)
# A later step reads a named step's outputs, known only in the browser.
COPY_ADDRESSED = (
    "steps:\n  - id: source\n    handler: fetch\n    with:\n      url: '{{ page.markdown }}'\n"
    "  - handler: clipboard\n    with:\n"
    "      value: 'From {{ steps.source.outputs.url }}: {{ steps.source.outputs.content }}'\n"
)

# Record what the page copies and prints instead of touching the machine's clipboard or
# opening a print dialog.
RECORDER = """
window.__copied = [];
window.__printed = 0;
Object.defineProperty(navigator, "clipboard", {
  value: { writeText: function (text) { window.__copied.push(text); return Promise.resolve(); } },
});
window.print = function () { window.__printed += 1; };
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_project(
        tmp_path_factory.mktemp("actions_site"),
        {
            "docsite.yml": (
                "title: Actions\nlinks:\n  - text: Header title\n    action: copy-title\n"
            ),
            "content/index.md": PAGE,
            "content/_components/actions/copy-title.yml": COPY_TITLE,
            "content/_components/actions/copy-source.yml": COPY_SOURCE,
            "content/_components/actions/copy-addressed.yml": COPY_ADDRESSED,
        },
    ) as url:
        yield url


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    with fresh_page(chromium, height=800) as page:
        page.add_init_script(RECORDER)
        yield page


def test_copy_actions_put_the_link_and_the_markdown_on_the_clipboard(page: Page, base_url: str):
    page.goto(base_url)
    copy_link = page.get_by_role("button", name="Copy link")
    copy_link.click()
    expect(copy_link).to_have_attribute("data-action-state", "done")
    page.get_by_role("button", name="Copy page").click()
    page.wait_for_function("window.__copied.length === 2")
    link, markdown = page.evaluate("window.__copied")
    assert link == page.url
    assert markdown.startswith("# Actions") and "Paragraph 79 of filler text." in markdown


def test_print_and_scroll_to_top(page: Page, base_url: str):
    page.goto(base_url)
    page.get_by_role("button", name="Print").click()
    page.wait_for_function("window.__printed === 1")
    back = page.get_by_role("button", name="Back to top")
    back.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 500
    back.click()
    page.wait_for_function("window.scrollY === 0")


def test_view_page_markdown_opens_the_markdown_copy(page: Page, base_url: str):
    page.goto(base_url)
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="View source").click()
    markdown = opened.value
    markdown.wait_for_load_state()
    assert markdown.url.endswith(".md")
    assert "Paragraph 0 of filler text." in markdown.content()


def test_the_projects_actions_run_their_steps(page: Page, base_url: str):
    page.goto(base_url)
    title = page.get_by_role("button", name="Copy title")
    title.click()
    expect(title).to_have_attribute("data-action-state", "done")
    page.get_by_role("button", name="Copy source").click()
    page.wait_for_function("window.__copied.length === 2")
    copied_title, source = page.evaluate("window.__copied")
    assert copied_title == "Title: Actions"
    assert source.startswith("# Actions") and "[!button Copy title]" in source
    # A header link runs it too, with the values of the page it is on.
    page.get_by_role("button", name="Header title").click()
    page.wait_for_function("window.__copied.length === 3")
    assert page.evaluate("window.__copied[2]") == "Title: Actions"


def test_a_step_reads_the_outputs_of_a_named_browser_step(page: Page, base_url: str):
    page.goto(base_url)
    page.get_by_role("button", name="Copy with address").click()
    page.wait_for_function("window.__copied.length === 1")
    copied = page.evaluate("window.__copied[0]")
    address, _, source = copied.partition(": ")
    assert address.startswith("From ") and address.endswith("index.md"), copied
    assert source.startswith("# Actions") and "Paragraph 79 of filler text." in source
