"""Retype's templating pages as fixtures: tests/fixtures/templating/<retype page>.txt holds
each documented example as a page (plus the files it needs) and the text its article shows.

A case is a title line, `.`, the files, `.`, the expected text, `.`:

    Basic usage: a frontmatter value, and an include
    .
    ---
    label: Setup
    ---
    {{ page.label }}: {{ include "part" }}
    === content/_includes/part.md
    Any other file of the project, by its path from the project's root.
    .
    Setup: Any other file of the project, by its path from the project's root.
    .

The first file is the page under test, `content/index.md` unless a `=== path` line opens the
files. Each case is built as its own project (date.now fixed by SOURCE_DATE_EPOCH); the
expected part is the text of the page's article, one line per block, whitespace collapsed
(see `article_lines`), then every warning and error of the build, as docsite prints them
(`file:line:col: warning: message`). A case titled "Files of every case below" is no test:
its files are written in every later case of its file (a case's own files win). A build
with errors has no article to compare. A title ending in `[xfail: reason]` is a known gap,
and must fail (strict)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from conftest import REPO, write_files

from docsite.build import BuildOptions, build_site

FIXTURES = REPO / "tests" / "fixtures" / "templating"
# 2026-03-02 09:30:00 UTC, a Monday: the date Retype's functions page shows in its examples.
SOURCE_DATE_EPOCH = "1772443800"
DEFAULT_PAGE = "content/index.md"
_DIAGNOSTIC = re.compile(r"^\S+:\d+:\d+: (warning|error): ")
_XFAIL = re.compile(r"\s*\[xfail: (?P<reason>[^\]]+)\]$")
_FILE = "=== "
SHARED = "Files of every case below"  # a title that makes the case's files everyone's


@dataclass(frozen=True)
class Case:
    title: str
    files: dict[str, str]  # path from the project's root -> text; the first is the page
    expected: list[str]  # the article's lines
    diagnostics: list[str]
    xfail: str | None
    file: Path
    line: int  # of the title

    def __str__(self) -> str:
        return f"{self.file.name}:{self.line}: {self.title}"

    @property
    def page(self) -> str:
        return next(iter(self.files))


def _parts(lines: list[str], index: int, path: Path) -> tuple[list[str], list[str], int]:
    """The two '.'-closed parts of a case that starts at `index` (just after its title)."""
    if index >= len(lines) or lines[index] != ".":
        raise ValueError(f"{path}:{index + 1}: a '.' line must follow the case's title")
    index += 1
    parts = []
    for _ in range(2):
        start = index
        while index < len(lines) and lines[index] != ".":
            index += 1
        if index >= len(lines):
            raise ValueError(f"{path}:{start + 1}: this part of the case has no closing '.'")
        parts.append(lines[start:index])
        index += 1
    return parts[0], parts[1], index


def _files(lines: list[str]) -> dict[str, str]:
    """The files part: the page first, each further file after its `=== path` line."""
    if not lines or not lines[0].startswith(_FILE):
        lines = [_FILE + DEFAULT_PAGE, *lines]
    files: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith(_FILE):
            current = files.setdefault(line[len(_FILE) :].strip(), [])
        else:
            current.append(line)
    return {path: "\n".join(text) + "\n" for path, text in files.items()}


def read_cases(path: Path) -> list[Case]:
    """Cases of a fixture file; lines starting with '#' between cases are comments."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, index, shared = [], 0, {}
    while index < len(lines):
        if not lines[index].strip() or lines[index].startswith("#"):
            index += 1
            continue
        title_line = index
        files, expected, index = _parts(lines, index + 1, path)
        title = lines[title_line]
        if title == SHARED:
            shared = _files(files)
            continue
        xfail, own = _XFAIL.search(title), _files(files)
        cases.append(
            Case(
                title=_XFAIL.sub("", title),
                files=own | {rel: text for rel, text in shared.items() if rel not in own},
                expected=[line for line in expected if line and not _DIAGNOSTIC.match(line)],
                diagnostics=[line for line in expected if _DIAGNOSTIC.match(line)],
                xfail=xfail["reason"] if xfail else None,
                file=path,
                line=title_line + 1,
            )
        )
    return cases


# ---- the article as lines of text ------------------------------------------------------------

_BLOCKS = {
    "p", "div", "pre", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr",
    "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "figure", "figcaption",
    "details", "summary", "section", "hr",
}  # fmt: skip
_CHROME = ".page-meta, ul.tags, a.header-anchor"  # what docsite adds around the page's text


class _Lines:
    """Text gathered line by line: a block element ends the line before and after it."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current = ""
        self.prefix = ""  # a list item's `- `, given to its first line

    def add(self, text: str) -> None:
        self.current += text

    def end(self) -> None:
        line = re.sub(r"\s+", " ", self.current).strip()
        if line:
            self.lines.append(self.prefix + line)
            self.prefix = ""
        self.current = ""


def _inline(tag: Tag) -> str:
    """An inline element as Markdown-like text, so links and emphasis stay visible."""
    text = "".join(_inline(c) if isinstance(c, Tag) else str(c) for c in tag.children)
    if "icon" in tag.get("class", ()):
        names = [name[2:] for name in tag["class"] if name.startswith("i-")]
        return f"[icon {' '.join(names)}]"
    return {
        "a": lambda: f"[{text.strip()}]({tag.get('href', '')})",
        "code": lambda: f"`{text}`",
        "strong": lambda: f"**{text}**",
        "em": lambda: f"_{text}_",
        "img": lambda: f"![{tag.get('alt', '')}]({tag.get('src', '')})",
        "br": lambda: "\n",
        "span": lambda: f" {text} ",  # a card's title and text are words apart
    }.get(tag.name, lambda: text)()


def _cell(cell: Tag) -> str:
    inside = _Lines()
    _walk(cell, inside)
    inside.end()
    return " ".join(inside.lines)


def _walk(node: Tag, out: _Lines) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            out.add(str(child))
        elif child.name == "pre":
            out.end()
            out.lines.extend(line.rstrip() for line in child.get_text().split("\n") if line.strip())
        elif child.name == "li":
            out.end()
            out.prefix = "- "
            _walk(child, out)
            out.end()
        elif child.name == "tr":
            out.end()
            out.lines.append(" | ".join(_cell(cell) for cell in child.find_all(["td", "th"])))
        elif child.name in _BLOCKS or child.find(list(_BLOCKS)):
            out.end()
            _walk(child, out)
            out.end()
        elif child.name == "br":
            out.end()
        else:
            out.add(_inline(child))


def article_lines(html: str) -> list[str]:
    """The page's article as text: one line per paragraph, list item (`- `), table row (cells
    between ` | `, an icon as `[icon name]`), heading, and line of a code block; links as
    `[text](href)`, code in backticks, strong as `**x**`, emphasis as `_x_`. The page's title
    (its first h1) and what docsite adds around the text (byline, tags, heading anchors) are
    left out."""
    article = BeautifulSoup(html, "html.parser").select_one("article.doc")
    assert article is not None, "the page has no article"
    for tag in article.select(_CHROME):
        tag.decompose()
    if (title := article.find("h1")) is not None:
        title.decompose()
    out = _Lines()
    _walk(article, out)
    out.end()
    return out.lines


def output_of(page: str) -> str:
    """Where a page under content/ is written: `a/b.md` -> `a/b/index.html`."""
    rel = page.removeprefix("content/").removesuffix(".md")
    if rel == "index" or rel.endswith("/index"):
        return rel + ".html"
    return rel + "/index.html"


# ---- the tests ------------------------------------------------------------------------------

CASES = [case for path in sorted(FIXTURES.glob("*.txt")) for case in read_cases(path)]


def _param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, marks=marks, id=str(case))


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_templating_fixture(case: Case, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    write_files(tmp_path, case.files)
    out = tmp_path / "out"
    options = BuildOptions(root=tmp_path, out=out, jobs=1, use_cache=False, search_index=False)
    result = build_site(options)
    found = [d.format().split("\n")[0] for d in result.report.sorted()]
    assert found == case.diagnostics, f"{case}: diagnostics"
    if result.ok:
        html = (out / output_of(case.page)).read_text(encoding="utf-8")
        assert article_lines(html) == case.expected, f"{case}: the article's text"


def test_the_fixtures_cover_every_templating_page():
    names = {path.stem for path in FIXTURES.glob("*.txt")}
    assert names == {
        "index", "page-properties", "project-properties", "includes", "content",
        "functions-filters", "translations",
    }  # fmt: skip
    assert all(
        (case.files[case.page].strip() and case.expected) or case.diagnostics for case in CASES
    )


def test_a_case_reads_its_files_and_expectations(tmp_path: Path):
    fixture = tmp_path / "sample.txt"
    fixture.write_text(
        "# a comment\n"
        "A case [xfail: not yet]\n.\nHello {{ x }}\n=== content/_includes/p.md\nPart\n.\n"
        "Hello\ncontent/index.md:1:7: warning: 'x' is not defined\n.\n"
        "Another page\n.\n=== content/guide.md\n# Guide\n.\nText\n.\n"
    )
    first, second = read_cases(fixture)
    assert (first.title, first.xfail, first.line) == ("A case", "not yet", 2)
    assert first.files == {
        "content/index.md": "Hello {{ x }}\n",
        "content/_includes/p.md": "Part\n",
    }
    assert first.expected == ["Hello"]
    assert first.diagnostics == ["content/index.md:1:7: warning: 'x' is not defined"]
    assert second.page == "content/guide.md" and output_of(second.page) == "guide/index.html"


def test_shared_files_go_to_every_later_case_and_a_case_may_replace_one(tmp_path: Path):
    fixture = tmp_path / "sample.txt"
    fixture.write_text(
        "Before\n.\nA\n.\nA\n.\n"
        f"{SHARED}\n.\n=== content/a.md\nshared a\n=== content/b.md\nshared b\n.\n.\n"
        "Uses them\n.\nPage\n=== content/b.md\nown b\n.\nPage\n.\n"
    )
    before, after = read_cases(fixture)
    assert list(before.files) == ["content/index.md"]
    assert after.files == {
        "content/index.md": "Page\n",
        "content/b.md": "own b\n",
        "content/a.md": "shared a\n",
    }


def test_a_broken_fixture_says_where(tmp_path: Path):
    broken = tmp_path / "broken.txt"
    broken.write_text("A case\n.\nbody\n.\nnever closed\n")
    with pytest.raises(ValueError, match=r"broken.txt:5: .*no closing '\.'"):
        read_cases(broken)


def test_the_article_text_shows_what_the_page_wrote():
    html = (
        '<article class="doc"><h1>Title<a class="header-anchor" href="#t">#</a></h1>'
        '<p class="page-meta"><span>Ann</span></p><p>A <a href="x/">link</a>,\n <code>c</code>'
        "<br>and <strong>b</strong> <em>e</em></p><ul><li>one</li><li><p>two</p></li></ul>"
        "<table><tr><th>K</th><th>V</th></tr><tr><td>a</td><td>1</td></tr></table>"
        '<pre><code>x = 1\n  y\n</code></pre><ul class="tags"><li>t</li></ul></article>'
    )
    assert article_lines(html) == [
        "A [link](x/), `c`",
        "and **b** _e_",
        "- one",
        "- two",
        "K | V",
        "a | 1",
        "x = 1",
        "  y",
    ]


# ---- what includes.md shows outside the article ------------------------------------------------


def test_the_head_include_example_busts_caches_with_the_nonce(tmp_path: Path, monkeypatch):
    """includes.md: `_includes/head.html` with `?v={{ nonce }}` ends every page's <head>;
    the nonce is the same on every page of a build, and _includes/ is never published."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    write_files(
        tmp_path,
        {
            "content/index.md": "# Home\n",
            "content/guide.md": "# Guide\n",
            "content/static/styles.css": "body {}\n",
            "content/_includes/head.html": (
                '<link href="/static/styles.css?v={{ nonce }}" rel="stylesheet">\n'
            ),
        },
    )
    out = tmp_path / "out"
    result = build_site(BuildOptions(root=tmp_path, out=out, jobs=1, search_index=False))
    assert result.ok and not result.report.warnings, [d.format() for d in result.report.sorted()]
    hrefs = set()
    for rel in ("index.html", "guide/index.html"):
        head = BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser").head
        last = [tag for tag in head.children if isinstance(tag, Tag)][-1]
        assert last.name == "link" and last["rel"] == ["stylesheet"]
        hrefs.add(last["href"])
    (href,) = hrefs
    assert re.fullmatch(r"/static/styles\.css\?v=[0-9a-f]{12}", href), href
    assert not (out / "_includes").exists()
