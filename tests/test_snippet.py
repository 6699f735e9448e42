"""Code snippets (docsite/markdown/components/snippet.py): `:::code source="..." :::`."""

from __future__ import annotations

import pytest
from conftest import Project

APP = """\
import os


def main():
    # #region setup
    value = os.getcwd()
    print(value)
    # #endregion
    return 0
"""


def build_page(project: Project, body: str):
    project.write(
        {
            "content/index.md": "# Home\n\n" + body,
            "src/app.py": APP,
            "content/files/config.toml": 'name = "x"\n',
        }
    )
    return project.build()


def test_whole_file_highlighted_by_its_extension(project):
    assert build_page(project, ':::code source="../src/app.py" :::\n').ok
    pre = project.page("index.html").select_one("article pre.highlight")
    assert pre["data-lang"] == "py"  # as a ```py fence names it
    assert pre.get_text() == APP
    assert pre.select_one("span.kn").text == "import"  # Pygments ran


def test_range_region_title_language_and_root_relative_paths(project):
    result = build_page(
        project,
        ':::code source="../src/app.py" range="4-7" title="app.py" :::\n\n'
        ':::code source="../src/app.py" region="setup" :::\n\n'
        ':::code source="/files/config.toml" language="text" range="1-" :::\n',
    )
    assert result.ok, project.messages(result)
    doc = project.page("index.html").select_one("article")
    figure = doc.select_one("figure.code-block")
    assert figure.select_one("figcaption").text == "app.py"
    assert figure.select_one("code").get_text().splitlines()[0] == "def main():"
    blocks = doc.select("pre.highlight")
    assert blocks[1].get_text() == "value = os.getcwd()\nprint(value)\n"  # dedented
    assert blocks[2].get_text() == 'name = "x"\n' and blocks[2]["data-lang"] == "text"


def test_a_range_of_several_parts_joins_them_in_order(project):
    # Retype's range="2,12-24,26": single lines and spans, separated by commas.
    assert build_page(project, ':::code source="../src/app.py" range="1, 4-5,9" :::\n').ok
    pre = project.page("index.html").select_one("article pre.highlight")
    assert pre.get_text() == "import os\ndef main():\n    # #region setup\n    return 0\n"


def test_snippets_nest_in_components(project):
    result = build_page(
        project, '+++ Code\n:::code source="../src/app.py" range="1" :::\n+++ Other\nText\n+++\n'
    )
    assert result.ok, project.messages(result)
    panel = project.page("index.html").select_one("article .tabs [role=tabpanel]")
    assert panel.select_one("pre").get_text() == "import os\n"


@pytest.mark.parametrize(
    ("call", "message", "hint"),
    [
        (':::code source="../src/nope.py" :::', "'../src/nope.py' does not exist", "start it"),
        (':::code source="../../x.py" :::', "is outside the project", "inside the project"),
        (':::code range="1" :::', "needs a source file", "source="),
        (':::code source="../src/app.py" range="8-20" :::', "has 9 lines", "between 1"),
        (':::code source="../src/app.py" range="two" :::', "is not a list of lines", '"5-12"'),
        (':::code source="../src/app.py" range="1,,3" :::', "is not a list of lines", '"2,5-12"'),
        (':::code source="../src/app.py" range="1,8-20" :::', "has 9 lines", "between 1"),
        (':::code source="../src/app.py" region="stup" :::', "has no region 'stup'", "'setup'"),
    ],
)
def test_snippet_errors_name_the_place(project, call, message, hint):
    result = build_page(project, "Intro.\n\n" + call + "\n")
    assert not result.ok
    (error,) = result.report.errors
    assert (error.file, error.line) == ("content/index.md", 5)
    assert message in error.message and hint in error.hint


def test_unknown_attribute_is_a_warning(project):
    result = build_page(project, ':::code source="../src/app.py" lines="2" :::\n')
    assert result.ok
    (warning,) = result.report.warnings
    assert "unknown attribute 'lines'" in warning.message and warning.col == 32


def test_editing_the_source_file_rebuilds_the_page(project):
    assert build_page(project, ':::code source="../src/app.py" range="1" :::\n').ok
    (project.root / "src/app.py").write_text("import sys\n")
    result = project.build()
    assert result.ok and result.rendered == 1
    assert project.page("index.html").select_one("article pre").get_text() == "import sys\n"
    assert project.build().unchanged


def test_regions_in_any_comment_style(project):
    project.write(
        {
            "content/index.md": "# Home\n\n"
            ':::code source="page.html" region="nav" :::\n\n'
            ':::code source="style.css" region="colors" :::\n',
            "content/page.html": "<body>\n<!-- #region nav -->\n<nav></nav>\n<!-- #endregion -->\n",
            "content/style.css": "/* #region colors */\na { color: red }\n/* #endregion */\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    blocks = [pre.get_text() for pre in project.page("index.html").select("article pre")]
    assert blocks == ["<nav></nav>\n", "a { color: red }\n"]


SAMPLE_JS = "// A sample\nconst a = 1;\n\nfunction twice(x) {\n    return 2 * x;\n}\n"


def test_every_example_of_retypes_code_snippet_page(project):
    # Retype's components/code-snippet.md shows a file beside the page's folder.
    examples = [
        ':::code source="../static/sample.js" range="1-2" :::',
        ':::code source="../static/sample.js" :::',
        ':::code source="../static/sample.js" range="1-2" title="../static/sample.js" :::',
    ]
    project.write(
        {
            "content/index.md": "# Home\n",
            "content/components/code-snippet.md": "# Code Snippet\n\n" + "\n\n".join(examples),
            "content/static/sample.js": SAMPLE_JS,
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    article = project.page("components/code-snippet/index.html").select_one("article")
    first, whole, titled = article.select("pre.highlight")
    assert first.get_text() == "// A sample\nconst a = 1;\n" and first["data-lang"] == "js"
    assert whole.get_text() == SAMPLE_JS and "function" in [s.text for s in whole.select("span.kd")]
    figure = titled.find_parent("figure")
    assert figure.select_one("figcaption").text == "../static/sample.js"
    assert titled.get_text() == first.get_text()
