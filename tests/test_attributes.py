"""Generic attributes `{#id .class key=value}` (docsite/markdown/attributes.py): what a broken or
unsafe attribute list does, where it is reported, and that custom ids and the anchors of tabs,
steps and panels are link targets. The HTML of Retype's examples is in tests/fixtures/markdown."""

from __future__ import annotations

from test_components import problems, render

from docsite.diagnostics import Severity
from docsite.markdown.attributes import split_trailing, unsafe


def warnings(rendered):
    return [p for p in problems(rendered) if p[2] is Severity.WARNING]


def test_trailing_attributes_are_split_from_their_line():
    assert split_trailing('Title {#id .a .b key=v q="x y"}').attrs == {
        "id": "id",
        "class": "a b",
        "key": "v",
        "q": "x y",
    }
    assert split_trailing("Title {#id}").text == "Title"
    assert split_trailing("Base{#base}").attrs == {"id": "base"}
    # After an image, a link or code they are the inline element's, not the line's.
    for owned in ("![](a.png){#x}", "[a](b.md){.c}", "`code`{.c}"):
        assert split_trailing(owned).source == ""
    # Text that only ends in braces is left alone, and is no problem.
    for text in ("a set {a, b}", 'JSON {"a": 1}', "empty {}", "code() {"):
        assert split_trailing(text).source == "" and not split_trailing(text).problem


def test_a_malformed_attribute_list_is_a_warning_at_its_column_and_stays_text(tmp_path):
    rendered, html = render(tmp_path, "Intro\n\n## Title {#ok .bad!class}\n\n- item {#a b}\n")
    found = warnings(rendered)
    assert [(line, col) for line, col, _, _ in found] == [(3, 19), (5, 13)]
    assert "whilst scanning class" in found[0][3] and "shown as text" in found[0][3]
    assert all(d.hint.startswith("write them as {#id .class") for d in rendered.diagnostics)
    assert html.h2.get_text().startswith("Title {#ok .bad!class}")
    assert html.li.get_text() == "item {#a b}" and not html.li.get("id")


def test_a_broken_opener_attribute_list_is_reported_at_the_component(tmp_path):
    rendered, html = render(tmp_path, "+++ One {#x y=}\nbody\n+++\n")
    assert [(line, col) for line, col, _, _ in warnings(rendered)] == [(1, 15)]
    assert html.find(role="tab").get_text() == "One {#x y=}"


def test_event_handlers_and_javascript_values_are_refused_with_a_warning(tmp_path):
    body = (
        '## Title {onclick="alert(1)" .ok}\n\n'
        '![](https://example.com/a.png){onerror="alert(1)" width=10}\n\n'
        '[x](https://example.com){href="javascript:alert(1)"}\n\n'
        'Para {style="background: url(java\tscript:alert(1))"}\n\n'
        "{onmouseover=x}\nBlock\n\n"
        "!!!warning Title {onfocus=x #safe}\nx\n!!!\n"
    )
    rendered, html = render(tmp_path, body)
    for tag in html.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), tag
            assert "script:" not in str(value).replace("\t", ""), tag
    assert html.h2["class"] == ["ok"] and html.img["width"] == "10"
    assert html.find(id="safe")["class"] == ["callout", "callout-warning"]
    found = sorted(warnings(rendered))
    assert [line for line, _, _, _ in found] == [1, 3, 7, 9, 12]
    assert all(message.startswith("attribute refused: ") for _, _, _, message in found)
    assert "event handler" in found[0][3] and "javascript:" in found[2][3]
    # A link's address given as an attribute meets the URL policy: an error at its column.
    ((line, col, _, message),) = [p for p in problems(rendered) if p[2] is Severity.ERROR]
    assert (line, col) == (5, 32) and message.startswith("a link cannot be 'javascript:")


def test_attribute_values_are_escaped(tmp_path):
    _, html = render(tmp_path, 'Para {title="a\\"><script>alert(1)</script>" data-x="<b>&"}\n')
    assert html.find("script") is None and html.find("b") is None
    assert html.p["data-x"] == "<b>&"
    assert "<script>" in html.p["title"]
    assert unsafe("on-x", "") and unsafe("x", " JavaScript:1") and not unsafe("data-a", "b")


def test_custom_ids_and_component_anchors_are_link_targets(project):
    project.write(
        {
            "content/index.md": "# Home\n\n"
            "[a](guide.md#custom-heading-anchor) [b](guide.md#tab-3) [c](guide.md#getting-started)"
            " [d](guide.md#install-dependencies) [e](guide.md#features-panel) [f](guide.md#v460)"
            " [g](guide.md#custom-id) [h](guide.md#my-container) [i](guide.md#critical-warning)"
            " [j](guide.md#custom-image-id) [k](guide.md#my-panel)\n\n[bad](guide.md#tab-9)\n",
            "content/guide.md": "# Guide\n\n"
            "## Custom anchor {#custom-heading-anchor}\n\n## v4.6.0 [!badge New]\n\n"
            "+++ Tab 1 {#getting-started}\none\n+++ Tab 2\ntwo\n+++ Tab 3\nthree\n+++\n\n"
            ">>> Create the project\nx\n>>> Install dependencies\ny\n>>>\n\n"
            "=== My Panel\np\n===\n=== Other {#features-panel}\nq\n===\n\n"
            "- Item with custom ID {#custom-id}\n\n::: {#my-container .box}\nc\n:::\n\n"
            "!!!warning Important {#critical-warning .highlight}\nw\n!!!\n\n"
            "![](https://example.com/a.png){#custom-image-id}\n\n[self](#tab-2)\n",
        }
    )
    result = project.build()
    errors = [d.message for d in result.report.errors]
    assert errors == ["link to '#tab-9', which is not an anchor on 'content/guide.md'"]


def test_a_code_block_left_open_ends_with_its_tab_and_says_how_to_close_it(tmp_path):
    body = "+++ JavaScript\n```js\nlog(1);\n```\n+++ Python\n```py\nprint(1)\n+++\n\nAfter\n"
    rendered, html = render(tmp_path, body)
    assert [(p[0], p[1], p[2]) for p in problems(rendered)] == [(6, 1, Severity.WARNING)]
    assert "never closed; it ends where its tab ends ('+++')" in problems(rendered)[0][3]
    assert "'```' before '+++'" in rendered.diagnostics[0].hint
    panels = html.find_all(role="tabpanel")
    assert [p.get_text().strip() for p in panels] == ["log(1);", "print(1)"]
    assert html.find_all("p")[-1].get_text() == "After"


def test_a_title_glued_to_the_marker_is_text_with_a_warning(tmp_path):
    rendered, html = render(tmp_path, "+++Tab 1\nbody\n\n>>>Step\n\n===Panel\n")
    found = warnings(rendered)
    assert [(line, col) for line, col, _, _ in found] == [(1, 1), (4, 1), (6, 1)]
    assert "is not a tab" in found[0][3]
    assert rendered.diagnostics[0].hint == "write '+++ Tab 1'"
    assert html.find(role="tab") is None and "+++Tab 1" in html.p.get_text()


def test_containers_open_bare_or_with_a_name_and_take_attributes(tmp_path):
    body = ":::\nbare\n:::\n\n:::note\nnamed\n:::\n\n::: {#c .x} \nattrs\n:::\n"
    rendered, html = render(tmp_path, body)
    assert problems(rendered) == []
    divs = html.find_all("div", recursive=False)
    assert [(d.get("id"), d.get("class")) for d in divs] == [
        (None, None),
        (None, ["note"]),
        ("c", ["x"]),
    ]
    # A bare ':::' that nothing closes is a stray closer, not a box around the rest.
    rendered, html = render(tmp_path, "a\n\n:::\n\nb\n")
    assert [p[3] for p in problems(rendered)] == [
        "':::' closes a container, but none is open here; the line is left out"
    ]
    assert [p.get_text() for p in html.find_all("p")] == ["a", "b"] and html.div is None
    # A snippet line is still a snippet, not a container named 'code'.
    rendered, _ = render(tmp_path, ':::code source="nope.py" :::\n')
    assert all("container" not in p[3] for p in problems(rendered))


def test_attributes_in_a_cell_after_the_header_row_are_the_tables(tmp_path):
    # As Retype's configuration/project.md writes it: `| A | B | {.compact}` over 2 columns.
    body = "| Specifier | Output | {.compact}\n| --- | --- |\n| `yy` | [!badge A|info] |\n"
    rendered, html = render(tmp_path, body)
    assert problems(rendered) == []
    assert html.table["class"] == ["compact"]
    assert [th.get_text() for th in html.find_all("th")] == ["Specifier", "Output"]
    assert html.find("td").find_next("td").span.get_text() == "A"


def test_a_line_of_many_braces_is_read_in_linear_time(tmp_path):
    body = 'Para {a="' * 20_000 + "}\n\n## H " + "{" * 50_000 + "}\n"
    _, html = render(tmp_path, body)  # quadratic would take minutes
    assert html.h2 is not None and html.p is not None


def test_an_open_code_block_ends_at_its_own_tab_not_at_a_later_one(tmp_path):
    # Retype's code-block.md: an open ``` in a tab, then a tab set whose ~~~ holds a ``` block.
    body = (
        "+++ Python\n```py\nprint(1)\n+++\n\ntext\n\n"
        "+++ Source\n~~~\n```js\nx\n```\n~~~\n+++ Demo\n```js\nx\n```\n+++\n"
    )
    rendered, html = render(tmp_path, body)
    assert [(p[0], p[2]) for p in problems(rendered)] == [(2, Severity.WARNING)]
    assert [len(t.find_all(role="tab")) for t in html.find_all(attrs={"data-tabs": True})] == [1, 2]
    assert html.find("p", string="text") is not None
