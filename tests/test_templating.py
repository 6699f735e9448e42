"""Page templating (docsite/markdown/templating/): includes, values, site-wide includes,
and the rebuilds that a change to an included file causes. The language itself is tested in
test_scriban*.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import Project, soup

from docsite.build import BuildOptions, build_site

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
            "data:\n  product: {name: Widget, versions: [1.0, 2.5]}\n  owner: Ann\n",
            "content/index.md": "---\nlabel: Start\ndata:\n  owner: Bo\n---\n# Home\n\n"
            "{{ page.label }} of {{ project.title }}: {{ data.product.name }} "
            '{{ data.product.versions[1] }} {{ data.product["name"] }} {{ product.name }} '
            "{{ owner }} {{ project.data.owner }} {{ page.data.owner }}\n",
        }
    )
    result = project.build()
    assert result.ok and not result.report.warnings, project.messages(result)
    # Retype: data keys are names of their own, the page's over the project's.
    assert article(project).find("p").text == (
        "Start of Acme Docs: Widget 2.5 Widget Widget Bo Ann Bo"
    )


def test_values_are_written_as_they_are_and_html_escape_escapes(project):
    project.write(
        {
            "content/index.md": '---\nlabel: "<em>Hi</em>"\n---\n# Home\n\n'
            "Label: {{ page.label }} and {{ page.label | html.escape }}\n"
        }
    )
    assert project.build().ok
    paragraph = article(project).find("p")
    assert paragraph.find("em").text == "Hi"  # Scriban writes values as they are
    assert paragraph.text == "Label: Hi and <em>Hi</em>"


def test_code_is_templated_as_retype_does_and_escapes_keep_braces(project):
    body = (
        "Span `{{ page.label }}` and {%{`{{ page.label }}`}%}.\n\n"
        "```md\nTitle: {{ page.label | string.upcase }}\n```\n\n"
        "{%{\n```md\n{{ page.label }}\n```\n}%}\n\n"
        "Escaped: {%{ {{ page.label }} }%}, but {{ page.label }} here.\n"
    )
    project.write({"content/index.md": HOME + body})
    result = project.build()
    assert result.ok, project.messages(result)
    doc = article(project)
    codes = [code.text for code in doc.find_all("code")]
    assert codes == ["Start", "{{ page.label }}", "Title: START\n", "{{ page.label }}\n"]
    assert doc.find_all("p")[-1].text == "Escaped:  {{ page.label }} , but Start here."


def test_templating_false_leaves_the_text_alone(project):
    project.write(
        {"content/index.md": '---\ntemplating: false\n---\n# Home\n\n{{ include "x" }}\n'}
    )
    result = project.build()
    assert result.ok and not result.report.warnings
    assert article(project).find("p").text == '{{ include "x" }}'


def test_names_defined_nowhere_show_as_nothing_with_a_warning(project):
    project.write({"content/index.md": HOME + "A {{ page.lable }} b\n\nc {{ steps.x.y }} d\n"})
    result = project.build()
    assert result.ok
    assert [p.text for p in article(project).find_all("p")] == ["A  b", "c  d"]
    found = [(w.line, w.col, w.message, w.hint) for w in result.report.warnings]
    assert found == [
        (6, 6, "'page.lable' is not defined: it shows as nothing", "did you mean 'label'?"),
        (8, 6, "'steps' is not defined: it shows as nothing", found[1][3]),
    ]
    assert "{%{ ... }%}" in found[1][3]


@pytest.mark.parametrize(
    ("expression", "col", "message", "hint"),
    [
        ("{{ page.label | upcase }}", 21, "`upcase` is not a function", "value | function"),
        ("{{ for x in project.links }}", 8, "this `for` has no `end`", "{{ end }}"),
        ("{{ end }}", 8, "`end` without a block", "blocks are"),
        ("{{ if page.label = 1 }}x{{ end }}", 22, "expected an expression, found `=`", "{%{"),
        ("{{ 1 / 0 }}", 10, "division by zero", "right side"),
        ('{{ include "../../../etc/passwd" }}', 8, "is outside the project", "inside the"),
        ('{{ include "logo.png" }}', 8, "is not a .md or .html file", ":::code"),
        ("{%{ never closed", 5, "this escape block `{%{` has no end", "}%}"),
    ],
)
def test_template_errors_name_the_place(project, expression, col, message, hint):
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
    assert (error.file, error.line, error.col) == ("content/index.md", 8, col)
    assert message in error.message and hint in error.hint, (error.message, error.hint)
    assert not project.out.exists()


def test_a_missing_include_is_a_warning_and_a_marker_as_in_retype(project):
    project.write({"content/index.md": HOME + 'Before {{ include "nowhere" }} after.\n'})
    result = project.build()
    assert result.ok
    (warning,) = result.report.warnings
    assert (warning.line, warning.col) == (6, 11)
    assert warning.message == "include 'nowhere' was not found"
    assert "_includes/" in warning.hint
    assert article(project).find("p").text == "Before [UNRESOLVED PARTIAL] after."


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
    assert error.file == "content/_includes/b.md" and (error.line, error.col) == (1, 6)
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
            "content/index.md": HOME + '{{ include "part" }}\n\n{%{`{{ page.label }}`}%} stays.\n',
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
    # Without `~`, the newlines around the tags stay, as in Scriban: a loose list.
    assert [li.text.strip() for li in items] == ["Blog", "Shop"]
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
    assert [d.message for d in result.report.errors] == ["more than 100000 loop iterations"]


# Retype's language and values -----------------------------------------------------------------


def test_scriban_functions_locals_and_whitespace_control(project):
    project.write(
        {
            "content/index.md": "---\nlabel: Start\ntags: [b, a]\n---\n# Home\n\n"
            "{{ page.tags | array.sort | array.join ', ' | string.upcase }}\n\n"
            "{{~ for $t in page.tags ~}}\n- {{ $t }}{{ if for.last }}!{{ end }}\n{{~ end ~}}\n\n"
            "{{ func double(x); ret x * 2; end }}{{ double 21 }} {{ 7 / 2 }} {{ 'a' + 'b' }}\n",
        }
    )
    result = project.build()
    assert result.ok and not result.report.warnings, project.messages(result)
    doc = article(project)
    paragraphs = [p.text for p in doc.find_all("p")]
    assert paragraphs[0] == "A, B"
    assert [li.text for li in doc.find("ul").find_all("li")] == ["b", "a!"]
    assert paragraphs[-1] == "42 3.5 ab"


def test_include_parameters_are_dollar_names_in_the_included_file(project):
    project.write(
        {
            "content/index.md": HOME + '{{ include "alert" kind: "warning" items: ["x", "y"] }}\n',
            "content/_includes/alert.md": "Kind {{ $.kind }}:\n"
            "{{~ for $i in $.items ~}}\n- {{ $i }}\n{{~ end ~}}\n",
        }
    )
    result = project.build()
    assert result.ok and not result.report.warnings, project.messages(result)
    doc = article(project)
    assert doc.find("p").text == "Kind warning:"
    assert [li.text for li in doc.select("li")] == ["x", "y"]


def test_an_include_is_parsed_once_for_all_the_pages_that_include_it(project, monkeypatch):
    """Parsed once per process while its text stays the same, each page rendering it with
    its own parameters; parsed again when it changes, and a broken one is reported by every
    page that includes it."""
    import uuid

    from docsite import scriban

    parsed: list[str] = []
    real_parse = scriban.parse

    def counting_parse(text, *args):
        parsed.append(text)
        return real_parse(text, *args)

    monkeypatch.setattr(scriban, "parse", counting_parse)
    mark = uuid.uuid4().hex  # no other test's include has this text
    part = f"Part {mark} for {{{{ $.who }}}}."
    project.write(
        {
            "content/index.md": HOME + '{{ include "part" who: "home" }}\n',
            "content/a.md": '# A\n\n{{ include "part" who: "a" }}\n',
            "content/b.md": '# B\n\n{{ include "part" who: "b" }}\n',
            "content/_includes/part.md": part + "\n",
        }
    )
    build(project)
    assert parsed.count(part) == 1
    for rel, who in (("index.html", "home"), ("a/index.html", "a"), ("b/index.html", "b")):
        assert article(project, rel).find("p").text == f"Part {mark} for {who}."

    (project.root / "content/_includes/part.md").write_text(part.replace("Part", "Piece") + "\n")
    build(project)
    assert parsed.count(part.replace("Part", "Piece")) == 1
    assert article(project, "a/index.html").find("p").text == f"Piece {mark} for a."

    (project.root / "content/_includes/part.md").write_text(f"Broken {mark} {{{{ if }}}}\n")
    result = project.build()
    broken = [(d.file, d.line) for d in result.report.items if d.severity.value == "error"]
    assert broken == [("content/_includes/part.md", 1)] * 3, project.messages(result)


def test_the_parses_kept_stay_within_their_bounds(monkeypatch):
    """At most PARSED_INCLUDES_KEPT texts and PARSED_INCLUDES_TEXT characters of them are
    kept, the oldest going first; the newest parse is kept even when it alone is larger."""
    from docsite.markdown.templating import expand

    monkeypatch.setattr(expand, "_parsed_includes", {})
    monkeypatch.setattr(expand, "PARSED_INCLUDES_TEXT", 1_000)
    monkeypatch.setattr(expand, "PARSED_INCLUDES_KEPT", 5)

    def kept() -> list[str]:
        return [text for text, *_ in expand._parsed_includes]

    long_texts = [f"{n} " + "x" * 300 for n in range(4)]
    for text in long_texts:
        expand.parsed_include(text, 1, "long.md", None)
    assert kept() == long_texts[1:]  # a fourth would make 1,208 characters
    short_texts = [f"s{n}" for n in range(6)]
    for text in short_texts:
        expand.parsed_include(text, 1, "short.md", None)
    assert kept() == short_texts[1:]
    expand.parsed_include("y" * 5_000, 1, "big.md", None)
    assert kept() == ["y" * 5_000]


def test_frontmatter_template_lines_run_before_the_body(project):
    # As Retype's emoji page does: an include in the frontmatter defines the page's data.
    project.write(
        {
            "content/index.md": '---\n{{ include "data/list" }}\nlabel: Start\n---\n# Home\n\n'
            "Count {{ fruits.size }}: {{ fruits | array.join '/' }}\n\n[broken](nowhere.md)\n",
            "content/_includes/data/list.md": '{{~ fruits = ["apple", "pear"] ~}}',
        }
    )
    result = project.build()
    assert [(e.line, e.col) for e in result.report.errors] == [(9, 10)]  # the body's own line
    index = project.root / "content/index.md"
    index.write_text(index.read_text().replace("[broken](nowhere.md)", ""))
    result = project.build()
    assert result.ok, project.messages(result)
    assert article(project).find("p").text == "Count 2: apple/pear"
    assert project.page("index.html").select_one("nav a.nav-link").text.strip() == "Start"


def test_data_values_are_templated_and_content_reads_other_pages(project):
    # As Retype's card page does: `data:` values that are templates.
    project.write(
        {
            "content/index.md": "---\nlabel: Start\ndata:\n"
            "  first: \"{{ content.search('guide')[0].title }}\"\n---\n# Home\n\n"
            'Guide: {{ content["guide"].title }} at {{ content["Guide Title"].path }}; '
            "first: {{ first }}\n",
            "content/guide.md": "# Guide Title\n",
        }
    )
    result = project.build()
    assert result.ok and not result.report.warnings, project.messages(result)
    assert article(project).find("p").text == "Guide: Guide Title at /guide/; first: Guide Title"


def test_project_labels_and_nonce(project):
    project.write(
        {
            "docsite.yml": "labels:\n  default:\n    Search_NoResults_Label: Nothing here\n",
            "content/index.md": HOME + '{{ project.labels["Search_NoResults_Label"] }} / '
            '{{ project.labels.fr["Search_NoResults_Label"] != "" }} / {{ nonce | string.size }}\n',
        }
    )
    result = project.build()
    assert result.ok and not result.report.warnings, project.messages(result)
    assert article(project).find("p").text == "Nothing here / true / 12"


def test_the_date_is_the_builds_and_source_date_epoch_fixes_it(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 UTC
    project.write(
        {
            "content/index.md": "---\nlabel: Start\ncreated: 2024-05-14\n---\n# Home\n\n"
            "Year {{ date.now.year }}, {{ date.now | date.to_string '%Y-%m-%d' }}; "
            "created {{ page.created }}\n",
            "content/other.md": "# Other\n",
        }
    )
    build(project)
    assert article(project).find("p").text == "Year 2023, 2023-11-14; created 2024-05-14"
    assert build(project).unchanged
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1700000000 + 86400 * 400))
    result = build(project)
    assert result.rendered == 1  # the page that shows the date, not the other one
    assert article(project).find("p").text.startswith("Year 2024, 2024-12-18")


def test_a_page_date_with_a_time_keeps_it(project):
    project.write(
        {
            "content/index.md": "---\ndate: 2026-05-26T10:30:00\n---\n# Home\n\n"
            "{{ page.date | date.to_string '%Y-%m-%d %H:%M' }}\n",
        }
    )
    build(project)
    assert article(project).find_all("p")[-1].text == "2026-05-26 10:30"


def test_content_reads_rebuild_exactly_the_pages_that_read_what_changed(project, tmp_path):
    project.write(
        {
            "content/index.md": HOME + "Posts: {{ for p in content.blog.posts }}"
            "[{{ p.title }}]({{ p.filePath }}) {{ end }}\n",
            "content/guide.md": "# Guide\n\nSee {{ content['other'].title }}.\n",
            "content/other.md": "# Other\n\nText.\n",
            "content/blog/first.md": "---\ndate: 2026-01-01\n---\n# First\n",
        }
    )
    build(project)
    assert article(project).find("p").text == "Posts: First"
    # A body edit changes nothing that `content` shows: only that page is rendered.
    project.write({"content/other.md": "# Other\n\nMore text.\n"})
    assert build(project).rendered == 1
    # A title that content["other"] shows: the guide shows it again, the posts list does not.
    project.write({"content/other.md": "---\ntitle: Renamed\n---\n# Other\n\nMore text.\n"})
    build(project)
    assert article(project, "guide/index.html").find("p").text == "See Renamed."
    assert article(project, "guide/index.html").text == clean(project, tmp_path)
    # A new post: the list shows it first (newest first).
    project.write({"content/blog/second.md": "---\ndate: 2026-02-01\n---\n# Second\n"})
    build(project)
    assert article(project).find("p").text == "Posts: Second First"
    links = [a["href"] for a in article(project).find("p").find_all("a")]
    assert links == ["blog/second/", "blog/first/"]


def test_a_page_links_to_its_markdown_copy_and_to_tag_pages(project):
    project.write(
        {
            "content/index.md": HOME,
            # A folder's page: its copy, /guide.md, is no page's file. (A page's own file
            # and its copy have one path: a link to it opens the page, as in Retype.)
            "content/guide/index.md": "---\ntags: [guide]\n---\n# Guide\n\n"
            "[copy]({{ page.md }}) [tag](/tags/guide/) [tags](/tags/)\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    hrefs = [a["href"] for a in article(project, "guide/index.html").find("p").find_all("a")]
    assert hrefs == ["../guide.md", "../tags/guide/", "../tags/"]
    assert (project.out / "guide.md").read_text().startswith("# Guide")
    assert (project.out / "tags/guide/index.html").is_file()


def test_include_selectors_take_part_of_a_file_and_its_lines_for_messages(project):
    project.write(
        {
            "content/index.md": HOME
            + '{{ include "notes#2-3, 5" }}\n\n{{ include "notes#setup" }}\n\n'
            '{{ include "#mine" }}\n\n///region mine\nOwn part.\n///endregion\n',
            "content/_includes/notes.md": "one\ntwo {{ 1 }}\nthree\nfour\n[bad](nowhere.md)\n\n"
            "## Setup\n\nSet up text.\n\n## Other\n\nOther text.\n",
        }
    )
    result = project.build()
    (error,) = result.report.errors
    assert (error.file, error.line) == ("content/_includes/notes.md", 5)  # not line 4
    notes = project.root / "content/_includes/notes.md"
    notes.write_text(notes.read_text().replace("[bad](nowhere.md)", "five"))
    build(project)
    doc = article(project)
    texts = [p.text for p in doc.find_all("p")]
    assert texts[0].split("\n")[:2] == ["two 1", "three"]
    assert "Set up text." in texts and "Other text." not in texts
    assert texts.count("Own part.") == 2
    assert "///region" not in doc.text  # markers never show, as in Retype


def test_templating_can_be_turned_off_for_the_project(project):
    project.write(
        {
            "retype.yml": "input: content\ntemplating:\n  enabled: false\n",
            "content/index.md": HOME + "Shown as written: {{ page.label }}\n",
            "content/_includes/bottom.md": "Bottom {{ page.label }}.\n",
        }
    )
    result = project.build()
    assert result.ok and not result.report.warnings, project.messages(result)
    texts = [p.text for p in article(project).find_all("p")]
    assert texts == ["Shown as written: {{ page.label }}", "Bottom {{ page.label }}."]


def git_commit(root, date: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_last_updated_is_the_last_commit_and_a_commit_rebuilds_the_page(project, tmp_path):
    project.write(
        {
            "content/index.md": HOME + "Updated {{ page.lastUpdated }}\n",
            "content/guide.md": "# Guide\n",
        }
    )
    git_commit(project.root, "2024-03-05T10:00:00+00:00")
    build(project)
    assert article(project).find("p").text == "Updated 2024-03-05"
    (project.root / "content/index.md").write_text(HOME + "Updated {{ page.lastUpdated }}\n\n.\n")
    git_commit(project.root, "2025-07-08T10:00:00+00:00")
    build(project)
    assert article(project).find("p").text == "Updated 2025-07-08"


def test_a_template_cannot_change_what_other_pages_read(project):
    project.write(
        {
            "content/index.md": HOME + "{{ project.title = 'Changed' }}{{ page.title = 'X' }}"
            "{{ project.title }} {{ project.labels['Search_NoResults_Label'] = 'x' }}\n",
            "content/other.md": "# Other\n\n{{ project.title }}\n",
        }
    )
    result = project.build()
    (error,) = result.report.errors
    assert error.message == "the interface labels cannot be changed"
    project.write(
        {"content/index.md": HOME + "{{ project.title = 'Changed' }}{{ project.title }}\n"}
    )
    build(project)
    assert article(project).find("p").text == "Changed"  # its own copy
    assert article(project, "other/index.html").find("p").text == "Docs"


def test_the_nonce_changes_when_a_file_of_the_site_does(project, tmp_path):
    project.write(
        {
            "content/index.md": HOME + "v={{ nonce }}\n",
            "content/other.md": "# Other\n",
            "content/_includes/head.html": '<link rel="stylesheet" href="/s.css?v={{ nonce }}">\n',
            "static/s.css": "body{}\n",
        }
    )
    build(project)

    def seen() -> tuple[str, str, str]:
        links = [
            project.page(rel).find("link", href=lambda h: bool(h) and h.startswith("/s.css"))[
                "href"
            ]
            for rel in ("index.html", "other/index.html")
        ]
        return links[0], links[1], article(project).find("p").text

    first = seen()
    assert first[0] == first[1] and first[2] == "v=" + first[0].rpartition("=")[2]
    assert build(project).unchanged and seen() == first  # the same files, the same nonce
    (project.root / "static/s.css").write_text("body{color:red}\n")
    build(project)
    second = seen()
    assert second[0] != first[0] and second[0] == second[1]
    assert second[2] == "v=" + second[0].rpartition("=")[2]
    out = tmp_path / "clean"
    assert build_site(BuildOptions(root=project.root, out=out, use_cache=False)).ok
    assert (
        soup(out / "index.html").find("link", href=lambda h: bool(h) and h.startswith("/s.css"))[
            "href"
        ]
        == second[0]
    )


ENGINE_MODULES = ("docsite.scriban.evaluator", "docsite.scriban.syntax", "docsite.scriban.builtins")


@pytest.mark.parametrize("templated", [False, True], ids=["plain", "templated"])
def test_the_template_engine_loads_only_for_a_site_that_uses_templating(tmp_path, templated):
    """The parser, evaluator and built-ins load with the first text that has templating: a
    site without any (most sites) does not pay for their import at each build's start.
    Checked in a fresh process, since these tests load them."""
    home = "# Home\n\n" + ("Welcome to {{ page.title }}.\n" if templated else "Welcome.\n")
    project = Project(tmp_path / "project").write(
        {"docsite.yml": "title: T\n", "content/index.md": home, "content/two.md": "# Two\n"}
    )
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from docsite.build import BuildOptions, build_site\n"
        f"root, out = Path({str(project.root)!r}), Path({str(project.out)!r})\n"
        "assert build_site(BuildOptions(root=root, out=out)).ok\n"
        f"print(*[name in sys.modules for name in {ENGINE_MODULES!r}])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(templated)] * len(ENGINE_MODULES)
    assert ("Welcome to Home." in (project.out / "index.html").read_text()) is templated
