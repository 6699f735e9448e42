"""Retype's custom actions (_components/actions/): actions that give a link while building,
and actions whose steps run in the browser, in the page action menu and in Markdown."""

from __future__ import annotations

import json

from conftest import Project

OPEN_IN = """\
data:
  prompt: Summarize this page of {{ project.meta.siteName }}.
  here: "{{ page.url | html.url_encode }}"
steps:
  - with:
      link: https://chat.example/?q={{ prompt | html.url_encode }}%0A{{ here }}
"""

EDIT = """\
---
steps:
  - with:
      link: https://github.com/acme/docs/edit/main{{ page.filePath }}
      text: Edit on GitHub
      variant: success
---
"""

COPY_MARKDOWN = """\
name: Copy page Markdown
steps:
  - id: get
    handler: fetch
    with:
      url: "{{ page.markdown }}"
  - handler: clipboard
"""

SHARE_TITLE = """\
id: share-title
steps:
  - action: title-value
  - handler: share
"""

TITLE_VALUE = """\
steps:
  - with:
      title: "{{ page.title }}"
      url: "{{ page.url }}"
"""

CONFIG = """\
url: https://docs.example.com
meta:
  siteName: Acme
actions:
  items:
    - text: Ask
      action: open-in
      target: blank
    - text: Edit
      action: edit
    - type: separator
    - text: Copy
      action: copy-markdown
    - text: Nope
      action: open-in-nowhere
"""

PAGES = {
    "index.md": "# Home\n",
    "guide/setup.md": (
        "# Setup\n\n[!button Edit](action:edit) [Copy](action:copy-markdown) "
        "[Share](action:share-title) [Gone](action:missing)\n"
    ),
    "_components/actions/open-in.yml": OPEN_IN,
    "_components/actions/edit.md": EDIT,
    "_components/actions/copy-markdown.yml": COPY_MARKDOWN,
    "_components/actions/share.yml": SHARE_TITLE,
    "_components/actions/title-value.yml": TITLE_VALUE,
}


def build(project: Project, config: str = CONFIG, pages: dict | None = None):
    project.write({"retype.yml": config, **(pages if pages is not None else PAGES)})
    return project.build()


def menu(project: Project, rel: str) -> list[tuple[str, str, str | None]]:
    items = project.page(rel).select(".page-actions-items li > a, .page-actions-items button")
    return [(i.name, i.get_text(strip=True), i.get("href") or i.get("data-steps")) for i in items]


def test_the_action_menu_runs_the_projects_actions(project: Project):
    result = build(project)
    assert result.ok, project.messages(result)
    (ask, edit, copy) = menu(project, "guide/setup/index.html")
    assert ask[:2] == ("a", "Ask")
    assert ask[2] == (
        "https://chat.example/?q=Summarize%20this%20page%20of%20Acme.%0A"
        "https%3A%2F%2Fdocs.example.com%2Fguide%2Fsetup%2F"
    )
    assert edit == ("a", "Edit", "https://github.com/acme/docs/edit/main/guide/setup.md")
    assert copy[:2] == ("button", "Copy")
    assert json.loads(copy[2]) == [
        {
            "handler": "fetch",
            "with": {"url": "https://docs.example.com/guide/setup.md"},
            "id": "copy-markdown/get",
        },
        {"handler": "clipboard", "with": None},
    ]
    # An action that is neither built in nor the project's: said where it is written.
    (warning,) = [d for d in result.report.items if "open-in-nowhere" in d.message]
    assert (warning.file, warning.line, warning.col) == ("retype.yml", 15, 15)
    assert "'open-in'" in warning.hint
    # Each page gets its own values.
    assert menu(project, "index.html")[1][2] == "https://github.com/acme/docs/edit/main/index.md"


def test_markdown_runs_the_projects_actions(project: Project):
    result = build(project)
    main = project.page("guide/setup/index.html").select_one("main")
    button = main.select_one("a.button")
    assert button["href"] == "https://github.com/acme/docs/edit/main/guide/setup.md"
    assert button.get_text(strip=True) == "Edit on GitHub" and "button-success" in button["class"]
    copy, share = [b for b in main.select("button.action-link") if not b.find_parent("details")]
    assert json.loads(copy["data-steps"])[0]["handler"] == "fetch"
    # A nested action gives its values to the next step.
    assert json.loads(share["data-steps"]) == [
        {
            "handler": "share",
            "with": {"title": "Setup", "url": "https://docs.example.com/guide/setup/"},
        }
    ]
    (missing,) = [d for d in result.report.items if "'missing'" in d.message]
    assert (missing.file, missing.line) == ("guide/setup.md", 3)


def test_bad_definitions_are_reported_at_their_place(project: Project):
    pages = {
        "index.md": "# Home\n",
        "_components/actions/bad.yml": "steps:\n  - handler: clipbaord\n",
        "_components/actions/broken.yml": "steps:\n  - with:\n      link: '{{ nope( }}'\n",
        "_components/actions/loop.yml": "steps:\n  - action: loop\n",
    }
    result = build(project, "url: https://x.example\n", pages)
    by_file = {d.file: d for d in result.report.errors}
    bad = by_file["_components/actions/bad.yml"]
    assert (bad.line, bad.col) == (2, 14) and "'clipboard'" in bad.hint
    assert by_file["_components/actions/broken.yml"].line == 2
    assert "loop" in by_file["_components/actions/loop.yml"].message


def test_an_edited_action_rebuilds_the_pages_that_run_it(project: Project, tmp_path):
    assert build(project).ok
    project.write({"_components/actions/edit.md": EDIT.replace("acme/docs", "acme/handbook")})
    assert project.build().ok
    edit = menu(project, "guide/setup/index.html")[1]
    assert edit[2] == "https://github.com/acme/handbook/edit/main/guide/setup.md"
    body = project.page("guide/setup/index.html").select_one("main a.button")
    assert body["href"] == "https://github.com/acme/handbook/edit/main/guide/setup.md"


def test_header_and_footer_links_run_the_projects_actions(project: Project):
    config = CONFIG + (
        "links:\n  - text: Edit here\n    action: edit\n    target: blank\n"
        "footer:\n  links:\n    - text: Copy source\n      action: copy-markdown\n"
        "    - text: Broken\n      action: nowhere\n"
    )
    result = build(project, config)
    assert result.ok, project.messages(result)
    page = project.page("guide/setup/index.html")
    button = page.select_one(".site-header button[data-action=edit]")
    assert button.get_text(strip=True) == "Edit here" and button["data-target"] == "_blank"
    assert page.select_one(".site-footer button[data-action=copy-markdown]") is not None
    data = json.loads(page.select_one("script#chrome-actions").string)
    assert data["edit"] == {"link": "https://github.com/acme/docs/edit/main/guide/setup.md"}
    assert data["copy-markdown"]["steps"][0]["handler"] == "fetch"
    (broken,) = [d for d in result.report.items if "'nowhere'" in d.message]
    assert (broken.file, broken.line) == ("retype.yml", 25)


def test_later_steps_read_a_browser_steps_outputs_in_the_browser(project: Project):
    pages = {
        "index.md": "# Home\n\n[Copy](action:quote)\n",
        "_components/actions/quote.yml": (
            "steps:\n  - id: got\n    handler: fetch\n    with:\n      url: '{{ page.markdown }}'\n"
            "  - handler: clipboard\n    with:\n"
            "      value: '> {{ steps.got.outputs.content }} ({{ steps.got.outputs.nope }})'\n"
        ),
    }
    result = build(project, "url: https://x.example\n", pages)
    assert result.ok, project.messages(result)
    button = project.page("index.html").select_one("main button.action-link")
    fetch, clipboard = json.loads(button["data-steps"])
    assert fetch["id"] == "quote/got"
    # The value is known only once the fetch ran: a mark the browser fills in.
    assert clipboard["with"] == {"value": "> \0quote/got.content\0 ()"}
