"""Fenced code (docsite/markdown/code.py): Retype's info string options, their diagnostics,
and the project's line numbering setting."""

from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import Project, write_files

from docsite.diagnostics import Report
from docsite.markdown import MarkdownRenderer
from docsite.pages import load_site
from docsite.sources import discover


def render(tmp_path, body, line_numbers=()):
    write_files(tmp_path, {"a.md": body})
    report = Report()
    site = load_site(discover(tmp_path, "content", report), report)
    rendered = MarkdownRenderer(site, code_line_numbers=line_numbers).render(site.by_source["a.md"])
    return rendered, BeautifulSoup(rendered.html, "html.parser")


def problems(rendered):
    return [(d.line, d.col, d.severity.value, d.message) for d in rendered.diagnostics]


def test_bad_attributes_are_reported_where_the_parser_stopped(tmp_path):
    rendered, html = render(tmp_path, "Text.\n\n```js {#an-id !x}\nlet a;\n```\n")
    [(line, col, _, message)] = problems(rendered)
    assert (line, col) == (3, 15) and "code block attributes" in message
    assert "'!'" in message or "!" in message
    assert rendered.diagnostics[0].hint
    pre = html.select_one("pre.highlight")
    assert pre["data-lang"] == "js" and not pre.get("id")  # shown, without the attributes


def test_unknown_fence_option_and_bad_highlight_are_warnings(tmp_path):
    rendered, _ = render(tmp_path, '```js:title="x"\na\n```\n\n```js:highlight="two"\nb\n```\n')
    messages = [message for *_, message in problems(rendered)]
    assert messages == [
        "unknown code block option 'title'; it is ignored",
        'highlight="two" is not a list of lines',
    ]
    assert [(line, col) for line, col, *_ in problems(rendered)] == [(1, 7), (5, 7)]


def test_retype_language_names_highlight_or_stay_plain_without_a_warning(tmp_path):
    body = "```env\nA=1\n```\n\n```mermaid-js\ngraph LR\n```\n\n```nosuchlang\nx\n```\n"
    rendered, html = render(tmp_path, body)
    env, mermaid_source, unknown = html.select("pre.highlight")
    assert env.select("span")  # highlighted as shell variables
    assert mermaid_source["data-lang"] == "mermaid-js" and not mermaid_source.select("span")
    assert not html.select("pre.mermaid") and not rendered.mermaid  # no diagram is drawn
    assert unknown.get_text() == "x\n"
    assert [message for *_, message in problems(rendered)] == [
        "unknown code language 'nosuchlang'; the block is shown without highlighting"
    ]


def test_every_prism_name_highlights_or_is_plain_quietly(tmp_path):
    body = "```kt\nval a = 1\n```\n\n```log\nINFO started\n```\n\n```markup\n<b>x</b>\n```\n"
    rendered, html = render(tmp_path, body)
    kotlin, log, markup = html.select("pre.highlight")
    assert kotlin.select_one("span.kd").text == "val" and markup.select("span.nt")
    assert not log.select("span") and log.get_text() == "INFO started\n"
    assert not rendered.diagnostics


def test_line_numbers_setting_numbers_its_languages_unless_a_block_says_no(tmp_path):
    body = "```js\na\n```\n\n```js !#\nb\n```\n\n```py\nc\n```\n\n```\nd\n```\n"
    _, html = render(tmp_path, body, line_numbers=("js",))
    assert ["numbered" in pre["class"] for pre in html.select("pre")] == [True, False, False, False]
    _, html = render(tmp_path, body, line_numbers=("*",))
    assert ["numbered" in pre["class"] for pre in html.select("pre")] == [True, False, True, True]
    _, html = render(tmp_path, body, line_numbers=("none",))
    assert ["numbered" in pre["class"] for pre in html.select("pre")] == [False, False, False, True]
    numbered = html.select_one("pre.numbered")
    assert [span["data-line"] for span in numbered.select("span.line")] == ["1"]


def test_retype_snippets_line_numbers_reach_the_pages(project: Project):
    project.write(
        {
            "retype.yml": "input: docs\nsnippets:\n  lineNumbers: [js, json]\n",
            "docs/index.md": "# Home\n\n```js\nlet a;\n```\n\n```json\n{}\n```\n\n```py\nb\n```\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    assert not [m for m in project.messages(result) if "snippets" in m]  # read, not ignored
    pres = project.page("index.html").select("article pre")
    assert ["numbered" in pre["class"] for pre in pres] == [True, True, False]


def test_line_numbers_must_be_a_list_of_names(project: Project):
    project.write({"docsite.yml": "code:\n  line_numbers: {js: 1}\n", "content/index.md": "# H\n"})
    result = project.build()
    assert not result.ok
    [message] = [m for m in project.messages(result) if "line_numbers" in m]
    assert "docsite.yml:2:" in message


def test_changing_the_line_numbers_setting_renders_the_pages_again(project: Project):
    project.write({"docsite.yml": "title: T\n", "content/index.md": "# H\n\n```js\nlet a;\n```\n"})
    assert project.build().ok
    assert "numbered" not in project.page("index.html").select_one("article pre")["class"]
    project.write({"docsite.yml": "title: T\ncode:\n  line_numbers: [js]\n"})
    assert project.build().ok
    assert "numbered" in project.page("index.html").select_one("article pre")["class"]


def test_a_misspelt_language_is_named_in_the_hint(tmp_path):
    rendered, _ = render(tmp_path, "```pyhton\nx = 1\n```\n\n```javascirpt\nx\n```\n")
    hints = [d.hint for d in rendered.diagnostics]
    assert hints == ["did you mean 'python'?", "did you mean 'javascript'?"]
