"""Markdown in, HTML out: the cases of tests/fixtures/markdown/*.txt, as markdown-it-py keeps
its own tests. Each page body is rendered in memory (no site is built) and its HTML compared
with the expected HTML as parsed trees."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from conftest import REPO, write_files

from docsite.diagnostics import Report
from docsite.icons import IconSet
from docsite.markdown import MarkdownRenderer
from docsite.pages import load_site
from docsite.sources import discover

FIXTURES = REPO / "tests" / "fixtures" / "markdown"
NEIGHBOURS = {"guide.md": "# The guide\n"}  # a page the cases may link to
# What Retype's pages of badges, buttons, references, files and icons link to or show.
_SVG = '<svg viewBox="0 0 16 16"><path d="M2 2h12v12H2z"/></svg>'
NEIGHBOURS |= {
    "badge.md": "# Badge\n",
    "button.md": "# Button\n",
    "emoji.md": "# Emoji\n",
    "icon.md": "# Icon\n",
    "guides/getting-started.md": "# Getting Started\n",
    "static/sample.txt": "sample\n",
    "static/retype-icon.svg": _SVG,
    "_components/icon/brand/printer.svg": _SVG,
    "_components/icon/lucide/rocket.svg": _SVG,
}
# What the image, card, embed and wikilink cases name (set after the above, so these win).
NEIGHBOURS.update(
    {
        "guides/getting-started.md": (
            "---\ndescription: First steps.\nicon: rocket\n---\n# Getting Started\n"
        ),
        "guides/installation.md": "---\ndescription: Install it.\n---\n# Installation\n",
        "guides/blogging.md": "# Blogging\n",
        "community.md": "# Community\n",
        "blog/first-post.md": (
            "---\ndate: 2026-03-02\ndescription: What is new.\nimage: images/first.png\n---\n"
            "# What is new\n"
        ),
        "blog/images/first.png": "png",
        "static/sample.jpg": "jpg",
        "static/sample-large.jpg": "jpg",
        "static/diagram.png": "png",
        "static/diagram-dark.png": "png",
        # What the code snippet cases show: a script, and C# with a region.
        "static/sample.js": (
            'const msg = "Hello, world";\nconsole.log(msg);\n\n'
            "function greet(name) {\n  return `Hello, ${name}`;\n}\n"
        ),
        "static/sample.cs": (
            "namespace Demo\n{\n    #region setup\n    public class App\n    {\n"
            "    }\n    #endregion\n}\n"
        ),
    }
)


@dataclass(frozen=True)
class Case:
    title: str
    body: str
    expected: str
    file: Path
    line: int  # of the title

    def __str__(self) -> str:
        return f"{self.file.name}:{self.line}: {self.title}"


def read_cases(path: Path) -> list[Case]:
    """Cases of a fixture file: a title line, then body, expected HTML, each closed by '.'.
    Lines starting with '#' between cases are comments."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, index = [], 0
    while index < len(lines):
        if not lines[index].strip() or lines[index].startswith("#"):
            index += 1
            continue
        title_line, parts = index, []
        index += 1
        if index >= len(lines) or lines[index] != ".":
            raise ValueError(f"{path}:{index + 1}: a '.' line must follow the case's title")
        index += 1
        for _ in range(2):
            start = index
            while index < len(lines) and lines[index] != ".":
                index += 1
            if index >= len(lines):
                raise ValueError(f"{path}:{start + 1}: this part of the case has no closing '.'")
            parts.append("\n".join(lines[start:index]) + "\n")
            index += 1
        cases.append(Case(lines[title_line], parts[0], parts[1], path, title_line + 1))
    return cases


CASES = [case for path in sorted(FIXTURES.glob("*.txt")) for case in read_cases(path)]


def tree(html: str) -> list:
    """HTML as nested (tag, attributes, children) lists; whitespace counts only inside <pre>."""

    def node(item: Tag | NavigableString, in_pre: bool) -> list:
        if isinstance(item, Comment):
            return [("comment", str(item).strip())]
        if isinstance(item, NavigableString):
            text = str(item) if in_pre else re.sub(r"\s+", " ", str(item)).strip()
            return [text] if text else []
        attributes = {
            name: " ".join(value) if isinstance(value, list) else value
            for name, value in item.attrs.items()
        }
        inside = in_pre or item.name == "pre"
        children = [part for child in item.children for part in node(child, inside)]
        return [(item.name, sorted(attributes.items()), children)]

    parsed = BeautifulSoup(html, "html.parser")
    return [part for child in parsed.children for part in node(child, False)]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_fixture(case: Case, tmp_path: Path):
    write_files(tmp_path, {"a.md": case.body, **NEIGHBOURS})
    report = Report()
    site = load_site(discover(tmp_path, "content", report), report)
    icons = IconSet(pack_roots=[tmp_path / "_components" / "icon"])
    rendered = MarkdownRenderer(site, icons=icons).render(site.by_source["a.md"])
    assert [d.format() for d in rendered.diagnostics] == []
    assert tree(rendered.html) == tree(case.expected), f"{case}: rendered\n{rendered.html}"


def test_the_fixtures_are_read_whole():
    assert len(CASES) >= 10 and all(case.body.strip() and case.expected.strip() for case in CASES)


def test_a_broken_fixture_says_where(tmp_path: Path):
    broken = tmp_path / "broken.txt"
    broken.write_text("A case\n.\nbody\n.\n<p>never closed</p>\n")
    with pytest.raises(ValueError, match=r"broken.txt:5: .*no closing '\.'"):
        read_cases(broken)


def test_the_comparison_sees_what_matters():
    assert tree('<p class="a b" id="x">Hi <em>there</em></p>') == tree(
        '<p id="x" class="a b">\n  Hi\n  <em>there</em>\n</p>'
    )
    assert tree("<pre>a\n b</pre>") != tree("<pre>a b</pre>")
    assert tree('<p class="a">x</p>') != tree('<p class="b">x</p>')
    assert tree("<p>x</p>") != tree("<div>x</div>")
