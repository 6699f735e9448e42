"""Page templating (docsite/markdown/templating/): includes, values, site-wide includes,
the rebuilds that a change to an included file causes, and the positions its lexer and
parser keep."""

from __future__ import annotations

import os

import pytest
from conftest import Project, soup

from docsite.build import BuildOptions, build_site
from docsite.markdown.templating.syntax import (
    Branch,
    Condition,
    For,
    If,
    Include,
    Problem,
    Source,
    Tag,
    Template,
    Text,
    Unsupported,
    Value,
    lex,
    parse,
)

HOME = "---\nlabel: Start\n---\n# Home\n\n"


def article(project: Project, rel: str = "index.html"):
    return project.page(rel).select_one("article.doc")


def errors(result) -> list[tuple[str, int, int, str]]:
    return [(d.file, d.line, d.col, d.message) for d in result.report.errors]


# Values -----------------------------------------------------------------------------------


def test_page_project_and_data_values(project):
    project.write(
        {
            "docsite.yml": "title: Acme Docs\n"
            "data:\n  product: {name: Widget, versions: [1.0, 2.0]}\n",
            "content/index.md": HOME + "{{ page.label }} of {{ project.title }}: "
            '{{ data.product.name }} {{ data.product.versions[1] }} {{ data.product["name"] }}\n',
        }
    )
    assert project.build().ok
    assert article(project).find("p").text == "Start of Acme Docs: Widget 2.0 Widget"


def test_values_are_text_never_html(project):
    project.write(
        {
            "content/index.md": '---\nlabel: "<script>alert(1)</script>"\n---\n# Home\n\n'
            "Label: {{ page.label }}\n"
        }
    )
    assert project.build().ok
    paragraph = article(project).find("p")
    assert paragraph.text == "Label: <script>alert(1)</script>"
    assert paragraph.find("script") is None


def test_code_is_never_templated(project):
    body = (
        "Span `{{ page.label }}` and ``a `{{ page.label }}` b`` stay.\n\n"
        '```md\n{{ include "missing" }}\n```\n\n'
        "    {{ page.nothing }}\n\n"
        "- item\n\n  ~~~\n  {{ page.nothing }}\n  ~~~\n\n"
        "Escaped: {%{ {{ page.label }} }%}, but {{ page.label }} here.\n"
    )
    project.write({"content/index.md": HOME + body})
    result = project.build()
    assert result.ok, project.messages(result)
    doc = article(project)
    codes = [code.text for code in doc.find_all("code")]
    assert codes[:2] == ["{{ page.label }}", "a `{{ page.label }}` b"]
    assert '{{ include "missing" }}\n' in codes
    assert codes.count("{{ page.nothing }}\n") == 2
    assert doc.find_all("p")[-1].text == "Escaped:  {{ page.label }} , but Start here."


def test_templating_false_leaves_the_text_alone(project):
    project.write(
        {"content/index.md": '---\ntemplating: false\n---\n# Home\n\n{{ include "x" }}\n'}
    )
    assert project.build().ok
    assert article(project).find("p").text == '{{ include "x" }}'


def test_braces_that_are_no_expression_stay(project):
    project.write({"content/index.md": HOME + "Open {{ here\n\nand }} there.\n"})
    assert project.build().ok
    assert [p.text for p in article(project).find_all("p")] == ["Open {{ here", "and }} there."]


@pytest.mark.parametrize(
    ("expression", "message", "hint"),
    [
        ("{{ page.lable }}", "'{{ page.lable }}': 'page' has no 'lable'", "'label'"),
        ("{{ site.title }}", "templates has no 'site'", "known: data, page, project"),
        ("{{ data.versions[3] }}", "'data.versions' has no item [3]", ""),
        ("{{ project.branding }}", "is a group of values", "project.branding.title"),
        ("{{ page.label | upcase }}", "unsupported template expression", "{%{ ... }%}"),
        ("{{ for x in project.links }}", "this block is never closed", "{{ end }}"),
        ("{{ end }}", "closes no {{ if }} or {{ for }}", "remove it"),
        ("{{ for x in page.label }}{{ end }}", "'page.label' is not a list", "project.links"),
        ('{{ for x in "abc" }}{{ end }}', "'\"abc\"' is not the name of a value", "page.tags"),
        ("{{ if page.label = 1 }}x{{ end }}", "cannot read the condition", "=="),
        ('{{ include "nowhere" }}', "include 'nowhere' was not found", "content/_includes/"),
        ('{{ include "../../../etc/passwd" }}', "is outside the project", "inside the project"),
        ('{{ include "logo.png" }}', "is not a .md or .html file", ":::code"),
        ("{%{ never closed", "'{%{' is never closed", "}%}"),
    ],
)
def test_template_errors_name_the_place(project, expression, message, hint):
    project.write(
        {
            "docsite.yml": "data:\n  versions: [1, 2]\n",
            "content/index.md": HOME + "Some text.\n\nSay " + expression + " now.\n",
            "content/logo.png": b"\x89PNG",
        }
    )
    result = project.build()
    assert not result.ok
    (error,) = result.report.errors
    assert (error.file, error.line, error.col) == ("content/index.md", 8, 5)
    assert message in error.message and hint in error.hint
    assert not project.out.exists()


# Includes ---------------------------------------------------------------------------------


def test_include_lookup_follows_retype(project):
    project.write(
        {
            "content/index.md": HOME + '{{ include "contact" }}\n',
            "content/_includes/contact.md": "Root contact for {{ page.label }}.\n",
            "content/guide/index.md": '# Guide\n\n{{ include "contact" }}\n',
            "content/guide/_includes/contact.md": "Guide contact.\n",
            "content/guide/deep/page.md": '# Deep\n\n{{ include "contact.md" }}\n',
            "content/guide/deep/other.md": '# Other\n\n{{ include "/_includes/contact" }}\n',
            "content/guide/deep/shared.md": '# Shared\n\n{{ include "../../../notes/shared" }}\n',
            "notes/shared.md": "Shared from outside content.\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    text = {
        rel: article(project, rel).find_all("p")[-1].text
        for rel in (
            "index.html",
            "guide/index.html",
            "guide/deep/page/index.html",
            "guide/deep/other/index.html",
            "guide/deep/shared/index.html",
        )
    }
    assert text == {
        "index.html": "Root contact for Start.",
        "guide/index.html": "Guide contact.",
        "guide/deep/page/index.html": "Guide contact.",  # the nearest _includes/ wins
        "guide/deep/other/index.html": "Root contact for Other.",
        "guide/deep/shared/index.html": "Shared from outside content.",
    }


def test_included_markdown_is_markdown_and_html_is_html(project):
    project.write(
        {
            "content/index.md": HOME
            + '!!!tip Note\n{{ include "snippets/steps" }}\n!!!\n\n{{ include "banner.html" }}\n',
            "content/_includes/snippets/steps.md": "1. **One**\n2. Two [home](/index.md)\n",
            "content/_includes/banner.html": '<div class="banner">{{ project.title }}</div>\n',
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    doc = article(project)
    assert [li.text for li in doc.select(".callout-tip ol li")] == ["One", "Two home"]
    assert doc.select_one(".callout-tip ol strong").text == "One"
    assert doc.select_one("div.banner").text == "Docs"


def test_problems_inside_an_include_point_into_it(project):
    project.write(
        {
            "content/index.md": HOME + "Intro.\n\n" + '{{ include "part" }}\n',
            "content/_includes/part.md": "Line one.\n\n!!!nosuchvariant Title\nx\n!!!\n\n"
            "A [link](missing.md) and {{ page.nope }}.\n",
        }
    )
    result = project.build()
    assert not result.ok
    found = errors(result) + [(d.file, d.line, d.col, d.message) for d in result.report.warnings]
    places = {(file, line) for file, line, _, _ in found}
    assert ("content/_includes/part.md", 3) in places  # the unknown variant
    assert ("content/_includes/part.md", 7) in places  # the unknown value and the bad link


def test_include_cycle_is_an_error_naming_the_chain(project):
    project.write(
        {
            "content/index.md": HOME + '{{ include "a" }}\n',
            "content/_includes/a.md": 'A {{ include "b" }}\n',
            "content/_includes/b.md": 'B {{ include "a" }}\n',
        }
    )
    result = project.build()
    (error,) = result.report.errors
    assert error.file == "content/_includes/b.md" and (error.line, error.col) == (1, 3)
    assert error.message == (
        "include cycle: content/index.md -> content/_includes/a.md -> "
        "content/_includes/b.md -> content/_includes/a.md"
    )
    assert not project.out.exists()


def test_an_include_symlinked_out_of_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("secret\n")
    project.write({"content/index.md": HOME + '{{ include "leak" }}\n'})
    (project.root / "content/_includes").mkdir()
    os.symlink(outside, project.root / "content/_includes/leak.md")
    result = project.build()
    (error,) = result.report.errors
    assert "outside the project" in error.message
    assert not project.out.exists()


# Site-wide includes -------------------------------------------------------------------------


def test_site_wide_includes_go_where_retype_puts_them(project):
    project.write(
        {
            "content/index.md": HOME + "Body text.\n",
            "content/guide.md": "No heading here.\n",
            "content/_includes/head-top.html": '<meta name="first" content="1">\n',
            "content/_includes/head.html": '<meta name="page" content="{{ page.label }}">\n',
            "content/_includes/body-top.html": '<div id="body-top"></div>\n',
            "content/_includes/body.html": '<div id="body-end">{{ project.title }}</div>\n',
            "content/_includes/top.md": "Top **banner** for {{ page.label }}.\n",
            "content/_includes/bottom.md": "Bottom line.\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    for rel, label in (("index.html", "Start"), ("guide/index.html", "Guide")):
        page = project.page(rel)
        head = [tag for tag in page.head.children if tag.name]
        assert head[0].get("name") == "first"
        assert head[-1].get("name") == "page" and head[-1]["content"] == label
        body = [tag for tag in page.body.children if tag.name]
        assert body[0]["id"] == "body-top" and body[-1]["id"] == "body-end"
        blocks = [tag for tag in page.select_one("article.doc").children if tag.name]
        assert blocks[0].name == "h1"
        assert blocks[1].text == f"Top banner for {label}."
        assert blocks[-1].text == "Bottom line."
    assert project.page("404.html").select_one("#body-end").text == "Docs"


# Rebuilds -----------------------------------------------------------------------------------


def build(project: Project):
    result = project.build()
    assert result.ok, project.messages(result)
    return result


def clean(project: Project, tmp_path):
    out = tmp_path / "clean"
    assert build_site(BuildOptions(root=project.root, out=out, use_cache=False)).ok
    return soup(out / "guide/index.html").select_one("article.doc").text


def test_a_changed_include_rebuilds_the_pages_that_use_it(project, tmp_path):
    project.write(
        {
            "content/index.md": HOME + "No includes.\n",
            "content/guide.md": '# Guide\n\n{{ include "part" }}\n\n{{ include "../code/x.md" }}\n',
            "content/other.md": "# Other\n",
            "content/_includes/part.md": "Version one.\n",
            "code/x.md": "Outside one.\n",
        }
    )
    build(project)
    untouched = (project.out / "other/index.html").stat().st_ino

    (project.root / "content/_includes/part.md").write_text("Version two.\n")
    result = build(project)
    assert result.rendered == 1 and not result.unchanged
    assert "Version two." in article(project, "guide/index.html").text
    assert (project.out / "other/index.html").stat().st_ino == untouched

    (project.root / "code/x.md").write_text("Outside two.\n")
    result = build(project)
    assert result.rendered == 1
    assert "Outside two." in article(project, "guide/index.html").text
    assert article(project, "guide/index.html").text == clean(project, tmp_path)

    assert build(project).unchanged


def test_a_new_file_earlier_in_the_lookup_wins_on_rebuild(project, tmp_path):
    project.write(
        {
            "content/index.md": HOME,
            "content/guide/index.md": '# Guide\n\n{{ include "part" }}\n',
            "content/_includes/part.md": "From the root.\n",
        }
    )
    build(project)
    project.write({"content/guide/_includes/part.md": "From the guide.\n"})
    result = build(project)
    assert "From the guide." in article(project, "guide/index.html").text
    assert result.rendered == 1


def test_a_changed_site_include_rebuilds_every_page(project):
    project.write({"content/index.md": HOME, "content/guide.md": "# Guide\n"})
    build(project)
    project.write({"content/_includes/body.html": '<div id="added"></div>\n'})
    result = build(project)
    assert result.rendered == 2
    assert project.page("guide/index.html").select_one("#added") is not None


def test_the_markdown_copy_has_includes_expanded(project):
    project.write(
        {
            "content/index.md": HOME + '{{ include "part" }}\n\n`{{ page.label }}` stays.\n',
            "content/_includes/part.md": "Included for {{ page.label }}.\n",
        }
    )
    build(project)
    copy = (project.out / "index.md").read_text()
    assert copy == "# Home\n\nIncluded for Start.\n\n`{{ page.label }}` stays.\n"


def test_a_failed_build_never_leaves_a_parse_that_a_later_build_reuses(project, tmp_path):
    project.write(
        {
            "content/index.md": HOME,
            "content/guide.md": '# Guide\n\n{{ include "part" }}\n',
            "content/_includes/part.md": "Version one.\n",
        }
    )
    build(project)
    # The guide is parsed with version two, but the build fails on another page.
    project.write(
        {"content/_includes/part.md": "Version two.\n", "content/bad.md": "# Bad\n\n{{ for }}\n"}
    )
    assert not project.build().ok
    project.write({"content/_includes/part.md": "Version one.\n", "content/bad.md": "# Bad\n"})
    build(project)
    assert "Version one." in article(project, "guide/index.html").text
    assert article(project, "guide/index.html").text == clean(project, tmp_path)


def test_includes_that_multiply_stop_with_an_error(project):
    files = {"content/index.md": HOME + '{{ include "f0" }}\n'}
    for level in range(30):
        files[f"content/_includes/f{level}.md"] = (
            f'{{{{ include "f{level + 1}" }}}} {{{{ include "f{level + 1}" }}}}\n'
        )
    files["content/_includes/f30.md"] = "end\n"
    project.write(files)
    result = project.build()
    assert not result.ok
    assert any("more than 1000 includes" in d.message for d in result.report.errors)


def test_a_wrong_key_among_keys_of_mixed_types_is_an_error(project):
    project.write(
        {
            "docsite.yml": "data:\n  versions: {1: a, latest: b}\n",
            "content/index.md": HOME + "{{ data.versions.lastest }}\n",
        }
    )
    result = project.build()
    (error,) = result.report.errors
    assert "has no 'lastest'" in error.message and "'latest'" in error.hint


def test_the_title_is_templated_under_a_site_wide_top(project):
    project.write(
        {
            "docsite.yml": "data:\n  v: '1.2'\n",
            "content/index.md": "# Docs {{ data.v }}\n\nBody.\n",
            "content/_includes/top.md": "Banner.\n",
        }
    )
    build(project)
    assert project.page("index.html").select_one("article h1").text.startswith("Docs 1.2")


def test_an_escaped_backslash_does_not_escape_the_backtick_after_it(project):
    project.write(
        {"docsite.yml": "data:\n  v: '1.2'\n", "content/index.md": HOME + "A \\\\`{{ data.v }}`\n"}
    )
    build(project)
    assert article(project).find("code").text == "{{ data.v }}"


def test_loops_and_conditions_as_retype_writes_them(project):
    project.write(
        {
            "docsite.yml": "links:\n  - {text: Blog, link: https://b.example}\n"
            "  - {text: Shop, link: https://s.example}\n"
            "data:\n  edition: pro\n  beta: false\n",
            "content/index.md": "---\nlabel: Start\ntags: [a, b]\n---\n# Home\n\n"
            "{{ for link in project.links }}\n"
            "1. [{{ link.text }}]({{ link.link }})\n"
            "{{ end }}\n\n"
            '{{ if data.edition == "pro" }}Pro{{ else if data.beta }}Beta{{ else }}Free{{ end }}'
            " | {{ if !data.beta }}stable{{ end }} | {{ if data.nothing }}x{{ else }}none{{ end }}"
            " | {{ if page.label != 'Start' }}other{{ else }}start{{ end }}\n\n"
            "Tags: {{ for tag in page.tags }}#{{ tag }} {{ end }}\n",
        }
    )
    build(project)
    doc = article(project)
    items = doc.select("ol > li")
    assert [li.text for li in items] == ["Blog", "Shop"]
    assert [li.a["href"] for li in items] == ["https://b.example", "https://s.example"]
    paragraphs = [p.text for p in doc.find_all("p")]
    assert paragraphs[-2] == "Pro | stable | none | start"
    assert paragraphs[-1] == "Tags: #a #b"


def test_loops_inside_loops_stop_with_an_error(project):
    project.write(
        {
            "docsite.yml": "data:\n  ten: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n",
            "content/index.md": HOME
            + "".join(f"{{{{ for x{i} in data.ten }}}}" for i in range(6))
            + "x"
            + "{{ end }}" * 6
            + "\n",
        }
    )
    result = project.build()
    assert [d.message for d in result.report.errors] == [
        "loops run more than 10000 rounds on this page"
    ]


# The language's positions -------------------------------------------------------------------


def test_the_lexer_keeps_where_each_tag_and_text_is():
    text = "a {{ page.label }} `{{ x }}` {%{ {{ y }} }%}\n"
    tokens, problems = lex(text)
    assert tokens == [
        Text(0, 2),
        Tag("page.label", 2, 18),
        Text(18, 29),  # the code span is text
        Text(32, 41),  # the inside of {%{ }%}
        Text(44, 45),
    ]
    assert problems == []
    assert text[2:18] == "{{ page.label }}" and text[32:41] == " {{ y }} "


def test_code_blocks_are_text_and_html_has_none():
    assert lex("```\n{{ x }}\n```\n{{ y }}")[0] == [Text(0, 16), Tag("y", 16, 23)]
    html = "    {{ x }}\n"
    assert lex(html, markdown=False)[0] == [Text(0, 4), Tag("x", 4, 11), Text(11, 12)]


def test_a_block_tag_alone_on_its_line_takes_the_line_but_keeps_its_position():
    text = "one\n{{ if x }}\ntwo\n  {{ else if y == 2 }}\n{{ else }}three {{ end }}\n"
    tokens, _ = lex(text)
    assert tokens == [
        Text(0, 4),
        Tag("if x", 4, 14),
        Text(15, 19),  # "two\n": the lines of the if and the else if are gone
        Tag("else if y == 2", 21, 41),
        Tag("else", 42, 52),
        Text(52, 58),
        Tag("end", 58, 67),
        Text(67, 68),
    ]
    nodes, problems = parse(tokens)
    assert nodes == [
        Text(0, 4),
        If(
            [
                Branch(Condition("x", left="x"), 4, 14, [Text(15, 19)]),
                Branch(Condition("y == 2", left="y", operator="==", right="2"), 21, 41, []),
                Branch(None, 42, 52, [Text(52, 58)]),
            ]
        ),
        Text(67, 68),
    ]
    assert problems == []


def test_the_parser_nests_blocks_and_reads_each_tag():
    text = '{{ for item in data.list }}\n- {{ item }} {{ include "x" }} {{ a | b }}\n{{ end }}'
    nodes, problems = parse(lex(text)[0])
    assert nodes == [
        For(
            "item",
            "data.list",
            0,
            27,
            [
                Text(28, 30),
                Value("item", 30, 40),
                Text(40, 41),
                Include("x", 41, 58),
                Text(58, 59),
                Unsupported("a | b", 59, 70),
                Text(70, 71),
            ],
        )
    ]
    assert problems == []


def test_syntax_errors_keep_their_place_lexer_first():
    source = Source("x\n\n{%{ a\n  {{ end }} {{ for x in y }}", "f.md", 5)
    template = Template.read(source)
    assert [problem.offset for problem in template.problems] == [3, 11, 21]
    assert template.problems[0] == Problem(
        3, "'{%{' is never closed", "end the escaped text with '}%}'"
    )
    assert [problem.message for problem in template.problems[1:]] == [
        "'{{ end }}' closes no {{ if }} or {{ for }}",
        "this block is never closed",
    ]
    # Offsets become the file's lines and columns: the text starts on line 5.
    assert [(template.line(p.offset), template.column(p.offset)) for p in template.problems] == [
        (7, 1),
        (8, 3),
        (8, 13),
    ]
