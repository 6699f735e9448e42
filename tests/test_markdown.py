from bs4 import BeautifulSoup
from conftest import write_files

from docsite.diagnostics import Report, Severity
from docsite.markdown import MarkdownRenderer
from docsite.pages import load_site
from docsite.sources import discover


def render(tmp_path, files, rel):
    write_files(tmp_path, files)
    report = Report()
    site = load_site(discover(tmp_path, "content", report), report)
    rendered = MarkdownRenderer(site).render(site.by_source[rel])
    return rendered, BeautifulSoup(rendered.html, "html.parser")


def test_md_links_become_relative_urls(tmp_path):
    rendered, html = render(
        tmp_path,
        {
            "index.md": "# Home\n",
            "guide/index.md": "# Guide\n",
            "guide/setup.md": "---\npermalink: /install\n---\n# Setup\n## Install\n",
            "guide/intro.md": (
                "# Intro\n\n[setup](setup.md#install) [home](../index.md) [self](#top)\n"
                "[root](/guide/setup.md) [ext](https://example.com/x.md) ![logo](../img/logo.png)\n"
                "[folder](../guide/) [mail](mailto:a@b.c)\n"
            ),
            "img/logo.png": b"\x89PNG",
        },
        "guide/intro.md",
    )
    hrefs = [a["href"] for a in html.find_all("a") if "header-anchor" not in a.get("class", [])]
    assert hrefs == [
        "../../install/#install",
        "../../",
        "#top",
        "../../install/",
        "https://example.com/x.md",
        "../../guide/",
        "mailto:a@b.c",
    ]
    assert html.find("img")["src"] == "../../img/logo.png"
    assert not rendered.diagnostics


def test_broken_links_are_errors_with_line_and_column(tmp_path):
    rendered, _ = render(
        tmp_path,
        {
            "a.md": (
                "---\nlabel: A\n---\n# A\n\nSee [b](missing.md) and\n"
                "![x](nope.png) [up](../../x.md)\n"
            ),
            "b.md": "# B\n",
        },
        "a.md",
    )
    found = [(d.line, d.col, d.severity, d.message) for d in rendered.diagnostics]
    assert found[0][:3] == (6, 9, Severity.ERROR) and "missing.md" in found[0][3]
    assert found[1][:2] == (7, 6) and "file that does not exist" in found[1][3]
    assert "outside the content folder" in found[2][3]


def test_link_to_folder_without_default_page_says_so(tmp_path):
    rendered, _ = render(tmp_path, {"a.md": "[v](vers/)\n", "vers/one.md": "# One\n"}, "a.md")
    (error,) = rendered.diagnostics
    assert "no default page" in error.message and "vers/index.md" in error.hint


def test_heading_ids_keep_the_letters_of_every_script(tmp_path):
    """GitHub's rule, as mdit-py-plugins writes it: word characters of any script (CJK
    ideographs, accents, Cyrillic), dashes and spaces stay; punctuation and emoji go."""
    _, html = render(
        tmp_path,
        {
            "a.md": "## 安装指南\n## Café — crème!\n## Привет, мир\n"
            "## Emoji 🚀 ok\n## 日本語の説明\n"
        },
        "a.md",
    )
    assert [h["id"] for h in html.find_all("h2")] == [
        "安装指南",
        "café--crème",
        "привет-мир",
        "emoji--ok",
        "日本語の説明",
    ]


def test_headings_get_unique_ids_and_a_toc(tmp_path):
    rendered, html = render(
        tmp_path,
        {
            "a.md": "# Title\n\n## 200: OK\n### Details\n## Details\n#### Deep\n",
        },
        "a.md",
    )
    assert [h["id"] for h in html.find_all(["h1", "h2", "h3", "h4"])] == [
        "title",
        "200-ok",
        "details",
        "details-1",
        "deep",
    ]
    # Every heading, H1 too: the theme keeps the levels `toc.depth` asks for.
    assert [(e.level, e.id, e.text) for e in rendered.toc] == [
        (1, "title", "Title"),
        (2, "200-ok", "200: OK"),
        (3, "details", "Details"),
        (2, "details-1", "Details"),
        (4, "deep", "Deep"),
    ]
    assert rendered.has_h1


def test_gfm_extensions(tmp_path):
    _, html = render(
        tmp_path,
        {
            "a.md": (
                "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n- [x] done\n- [ ] todo\n\n"
                "Term\n: Definition\n\nNote[^1]\n\n[^1]: Footnote text\n\n> [!WARNING]\n> Careful\n"
            )
        },
        "a.md",
    )
    assert html.find("table").find_all("td")[1].text == "2"
    assert html.find("s").text == "gone"
    assert len(html.select("input[type=checkbox][checked]")) == 1
    assert html.find("dt").text == "Term" and html.find("dd").text == "Definition"
    assert "Footnote text" in html.select_one("section.footnotes").text
    alert = html.select_one(".markdown-alert-warning")
    assert alert.select_one(".markdown-alert-title").text == "Warning"


def test_code_is_highlighted_with_title_and_unknown_language_warns(tmp_path):
    rendered, html = render(
        tmp_path,
        {
            "a.md": (
                "```python app.py\nimport os\n```\n\n```pyhton\nx = 1\n```\n\n```\nplain <b>\n```\n"
            )
        },
        "a.md",
    )
    figure = html.select_one("figure.code-block")
    assert figure.figcaption.text == "app.py"
    assert figure.select_one("pre[data-lang=python] span.kn").text == "import"
    (warning,) = rendered.diagnostics
    assert warning.severity is Severity.WARNING and warning.line == 5
    assert "'python'" in warning.hint
    assert html.find_all("pre")[2].code.text == "plain <b>\n"
