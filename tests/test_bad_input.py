"""Bad input gives a clear message at a place, the right exit code, and nothing worse:
no traceback, and the previous site/ exactly as it was.

Each test builds a good site first, then adds one bad input. A few run `python build.py` as a
user would; the rest call build_site.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, Project

from docsite.build import BuildResult
from docsite.trees import remove_tree

BUILD_PY = str(REPO / "build.py")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, BUILD_PY, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def built(project: Project) -> Project:
    """A project whose site/ was built once, with its bytes remembered."""
    project.write({"content/index.md": "# Home\n\nWelcome.\n", "content/about.md": "# About\n"})
    assert project.build().ok
    project.before = snapshot(project.out)  # type: ignore[attr-defined]
    return project


def found(result: BuildResult, file: str, line: int, col: int, text: str) -> None:
    """One error at exactly this place whose message contains `text`, and a hint."""
    matches = [
        d
        for d in result.report.errors
        if (d.file, d.line, d.col) == (file, line, col) and text in d.message
    ]
    assert matches, "\n".join(d.format() for d in result.report.sorted())
    assert matches[0].hint


def failed_and_kept(project: Project, result: BuildResult) -> None:
    assert not result.ok
    assert snapshot(project.out) == project.before  # type: ignore[attr-defined]
    assert not [n for n in os.listdir(project.root) if n.startswith(".site.")]


def cli_failed_and_kept(project: Project, done: subprocess.CompletedProcess, code: int) -> None:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(project.out) == project.before  # type: ignore[attr-defined]


# --- Frontmatter -------------------------------------------------------------------------


def test_malformed_yaml_cli(built):
    built.write({"content/bad.md": "---\nlabel: Fine\norder: [1, 2\n---\n# Bad\n"})
    done = run(built.root)
    cli_failed_and_kept(built, done, 1)
    assert done.stderr.startswith("content/bad.md:4:1: error: malformed YAML")
    assert "\n  hint: " in done.stderr


def test_frontmatter_that_is_a_list(built):
    built.write({"content/bad.md": "---\n- one\n- two\n---\n# Bad\n"})
    result = built.build()
    found(result, "content/bad.md", 2, 1, "must be a mapping of keys to values, got a list")
    failed_and_kept(built, result)


def test_frontmatter_that_is_a_scalar(built):
    built.write({"content/bad.md": "---\njust some words\n---\n# Bad\n"})
    result = built.build()
    found(result, "content/bad.md", 2, 1, "got a string ('just some words')")
    failed_and_kept(built, result)


def test_wrong_value_types_each_at_their_value(built):
    built.write(
        {
            "content/bad.md": "---\norder: [1]\nlabel: {a: 1}\nexpanded: maybe\n"
            "visibility: 5\ndate: someday\n---\n# Bad\n"
        }
    )
    result = built.build()
    found(result, "content/bad.md", 2, 8, "'order' must be a number or a string, got a list")
    found(result, "content/bad.md", 3, 8, "'label' must be a string, got a mapping")
    found(result, "content/bad.md", 4, 11, "'expanded' must be true or false")
    found(result, "content/bad.md", 5, 13, "'visibility' must be one of public, hidden")
    found(result, "content/bad.md", 6, 7, "'date' must be a date")
    failed_and_kept(built, result)


def test_values_yaml_cannot_construct_are_errors_at_the_value(built):
    built.write(
        {"content/bad.md": "---\nlabel: x\ndate: 2024-13-45\norder: " + "9" * 5000 + "\n---\n"}
    )
    result = built.build()
    found(result, "content/bad.md", 3, 7, "cannot read this value: month must be in 1..12")
    failed_and_kept(built, result)
    built.write({"content/bad.md": "---\norder: " + "9" * 5000 + "\n---\n"})
    found(built.build(), "content/bad.md", 2, 8, "too many digits")


def test_order_that_is_not_a_number_is_refused(built):
    built.write({"content/bad.md": "---\norder: .nan\n---\n# Bad\n"})
    result = built.build()
    found(result, "content/bad.md", 2, 8, "'order' must be an ordinary number, got nan")
    failed_and_kept(built, result)


@pytest.mark.parametrize(
    ("yaml_text", "line", "col", "message"),
    [
        ("label: " + "[" * 10_000 + "]" * 10_000, 2, 107, "nested more than 100 levels"),
        ("nav: " + "{a: " * 5_000 + "1" + "}" * 5_000, 2, 402, "nested more than 100 levels"),
        ("tags: &a [x, *a]", 2, 7, "alias refers to the value that contains it"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{k}: &{k} [{', '.join(['*' + p] * 10)}]\n"
                for p, k in zip("abcdef", "bcdefg", strict=True)
            )
            + "tags: *g",
            6,
            4,
            "more than 100000 values, counting those aliases (*name) stand for",
        ),
    ],
    ids=["deep-flow-list", "deep-mapping", "recursive-alias", "alias-bomb"],
)
def test_yaml_that_would_crash_or_hang_the_loader(built, yaml_text, line, col, message):
    """10,000 levels overflowed the recursion limit (100,000 crashed libyaml's composer), a
    self-referencing alias recursed forever, and nested aliases stood for 10**7 values."""
    built.write({"content/bad.md": f"---\n{yaml_text}\n---\n# Bad\n"})
    started = time.perf_counter()
    result = built.build()
    assert time.perf_counter() - started < 10
    found(result, "content/bad.md", line, col, message)
    failed_and_kept(built, result)


# --- Files -------------------------------------------------------------------------------


def test_file_that_is_not_utf8_cli(built):
    built.write({"content/bad.md": b"# Bad\n\nabc\xff\xfedef\n"})
    done = run(built.root)
    cli_failed_and_kept(built, done, 1)
    assert "content/bad.md:3:4: error: not valid UTF-8: byte 0xff at offset 10" in done.stderr
    assert "hint: save the file as UTF-8" in done.stderr


def test_bom_and_crlf_just_work(built):
    built.write(
        {"content/crlf.md": b"\xef\xbb\xbf---\r\nlabel: Windows\r\ntitel: x\r\n---\r\n# Page\r\n"}
    )
    result = built.build()
    assert result.ok
    (warning,) = result.report.warnings
    assert (warning.file, warning.line, warning.col) == ("content/crlf.md", 3, 1)
    html = (built.out / "crlf/index.html").read_text(encoding="utf-8")
    assert ">Windows<" in html and "\r" not in html and "\ufeff" not in html


def test_empty_file_builds_a_page(built):
    built.write({"content/empty-page.md": ""})
    result = built.build()
    assert result.ok and not result.report.items
    assert "<title>Empty page | Docs</title>" in (built.out / "empty-page/index.html").read_text()


@pytest.mark.parametrize("text", ["---\nlabel: Only\n---\n", "---\nlabel: Only\n---"])
def test_frontmatter_only_file_builds_a_page(built, text):
    built.write({"content/only.md": text})
    result = built.build()
    assert result.ok and not result.report.items
    assert "<title>Only | Docs</title>" in (built.out / "only/index.html").read_text()


def test_binary_file_named_md_cli(built):
    built.write({"content/image.md": bytes(range(256)) * 8})
    done = run(built.root)
    cli_failed_and_kept(built, done, 1)
    assert "content/image.md: error: this looks like a binary file" in done.stderr
    assert "hint: rename it" in done.stderr


def test_unclosed_frontmatter(built):
    built.write({"content/bad.md": "---\nlabel: x\n\n# Title\n"})
    result = built.build()
    found(result, "content/bad.md", 1, 1, "never closed")
    failed_and_kept(built, result)


# --- Size and depth ----------------------------------------------------------------------


def test_large_page_builds_in_reasonable_time(built):
    section = (
        "## Section {i}\n\nSome *text* with `code`, a [link](index.md) and :tada:. " + "Words " * 30
    ) + "\n\n- one\n- two\n\n"
    body = "# Big\n\n" + "".join(section.format(i=i) for i in range(4_000))
    assert len(body) > 1_000_000
    built.write({"content/big.md": body})
    started = time.perf_counter()
    result = built.build()
    assert result.ok, [d.format() for d in result.report.errors]
    # About 5 s; the bound catches a quadratic slowdown (minutes), not a loaded machine.
    assert time.perf_counter() - started < 120
    html = (built.out / "big/index.html").read_text()
    assert html.count('<h2 id="section-') == 4_000


def test_very_long_line_builds(built):
    built.write({"content/long.md": "# Long\n\n" + "lorem-ipsum dolor " * 20_000 + "\n"})
    result = built.build()
    assert result.ok
    assert "lorem-ipsum dolor lorem-ipsum" in (built.out / "long/index.html").read_text()


def test_very_long_line_renders_in_linear_time():
    code = (
        "import time\n"
        "from docsite.markdown import make_markdown\n"
        "text = 'lorem-ipsum ' * 200_000\n"  # 2.4 MB on one line
        "started = time.perf_counter()\n"
        "make_markdown().parse(text, {})\n"
        "print(time.perf_counter() - started)\n"
    )
    try:
        # About 2 s when linear; a quadratic parse of 2.4 MB would take hours. The margin
        # is wide so that a loaded machine never fails it.
        subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("2.4 MB on one line took more than 60 s to parse: not linear")


@pytest.mark.parametrize(
    "body",
    [
        "- " * 10_000 + "deep\n",
        "1. " * 10_000 + "deep\n",
        "> " * 10_000 + "deep\n",
        "> - " * 5_000 + "deep\n",
        "".join("  " * i + "- item\n" for i in range(200))
        + "".join("> " * i + "q\n" for i in range(300)),
        "[" * 10_000 + "x" + "]" * 10_000 + "\n",
        "*" * 10_000 + "x" + "*" * 10_000 + "\n",
        "!!!\n" * 5_000 + "x\n",
        ":::: note\n" * 5_000,
        "+++ Tab\n" * 3_000 + "x\n" + "+++\n",
        "=== Panel\n" * 3_000 + "x\n" + "===\n" * 3_000,
        ">>> Step\n" * 3_000 + "x\n",
        "|||\n" * 3_000 + "x\n",
    ],
    ids=[
        "lists",
        "ordered",
        "quotes",
        "quote-list",
        "indented",
        "brackets",
        "emphasis",
        "callouts",
        "containers",
        "tabs",
        "panels",
        "steps",
        "columns",
    ],
)
def test_deep_nesting_never_crashes(built, body):
    """10,000 levels: a clear result (built, or errors at a place), never RecursionError."""
    built.write({"content/deep.md": "# Deep\n\n" + body})
    result = built.build()
    if result.ok:
        assert (built.out / "deep/index.html").is_file()
    else:
        assert all(d.file == "content/deep.md" and d.line for d in result.report.errors)
        failed_and_kept(built, result)


@pytest.mark.parametrize("expanded", [False, True])
def test_folders_nested_deeper_than_the_recursion_limit(built, expanded):
    """With Python's own recursion limit, which Hypothesis raises for the tests after its
    own: the count of a sidebar's items recursed through the folders above, and through the
    folders open on every page."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1_000)
    folder = built.root / "content"
    for _ in range(1_100):  # os.makedirs itself recurses, so one level at a time
        folder = folder / "d"
        folder.mkdir()
        if expanded:
            (folder / "index.yml").write_text("expanded: true\n")
    (folder / "page.md").write_text("# Deep\n")
    try:
        assert built.build().ok
    finally:  # shutil.rmtree (and so pytest's cleanup) recurses too
        sys.setrecursionlimit(limit)
        remove_tree(built.root)


# --- Folders, links, config --------------------------------------------------------------


def test_symlink_loop_in_content(built):
    (built.root / "content/guide").mkdir()
    (built.root / "content/guide/page.md").write_text("# Page\n")
    (built.root / "content/guide/again").symlink_to("..")
    result = built.build()
    found(result, "content/guide/again", 0, 0, "symlink loop")
    failed_and_kept(built, result)


def test_broken_symlink_and_fifo_in_content(built):
    (built.root / "content/gone.png").symlink_to("nowhere.png")
    (built.root / "content/self.md").symlink_to("self.md")
    os.mkfifo(built.root / "content/pipe.md")  # reading it would block forever
    started = time.perf_counter()
    result = built.build()
    assert time.perf_counter() - started < 10
    found(result, "content/gone.png", 0, 0, "broken symlink: its target 'nowhere.png'")
    found(result, "content/self.md", 0, 0, "is part of a symlink loop")
    found(result, "content/pipe.md", 0, 0, "not a regular file")
    failed_and_kept(built, result)


def test_missing_content_folder_cli(built):
    (built.root / "docsite.yml").write_text("input: docs\n")
    done = run(built.root)
    cli_failed_and_kept(built, done, 1)
    assert done.stderr.startswith("docs: error: the content folder does not exist")
    assert "hint: create it" in done.stderr


def test_config_with_wrong_types_cli(built):
    (built.root / "docsite.yml").write_text(
        "title: [My, Docs]\ntoc: 5\nlinks: nope\nlanguage: 'en\"><script>'\nmarkdown: {html: 1}\n"
    )
    done = run(built.root)
    cli_failed_and_kept(built, done, 1)
    lines = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert lines == [
        "docsite.yml:1:8: error: 'title' must be a string, got a list",
        "docsite.yml:2:6: error: 'toc' must be a mapping of keys to values, got a number (5)",
        "docsite.yml:3:8: error: 'links' must be a list of mappings with 'text' and 'link', "
        "got a string ('nope')",
        "docsite.yml:4:11: error: 'language' must be a language tag like en or pt-BR, "
        "got 'en\"><script>'",
        "docsite.yml:5:18: error: 'markdown.html' must be true or false, got a number (1)",
    ]


def test_config_that_is_not_a_mapping(built):
    (built.root / "docsite.yml").write_text("- title\n")
    result = built.build()
    assert [(d.file, d.line, d.col) for d in result.report.errors] == [("docsite.yml", 1, 1)]
    assert "must be a mapping" in result.report.errors[0].message
    failed_and_kept(built, result)


def test_links_outside_the_project(built):
    """docsite has no include or snippet component; the paths a page can name (links,
    [!file], [!ref], images) must stay inside content/."""
    built.write(
        {
            "content/bad.md": "# Bad\n\n[up](../docsite.yml) ![x](../../etc/passwd)\n\n"
            "[!file](../docsite.yml)\n"
        }
    )
    result = built.build()
    places = [(d.file, d.line, d.col) for d in result.report.errors]
    assert places == [("content/bad.md", 3, 6), ("content/bad.md", 3, 27), ("content/bad.md", 5, 9)]
    assert all("points outside the content folder" in d.message for d in result.report.errors)
    failed_and_kept(built, result)


# --- Includes and snippets ---------------------------------------------------------------


def test_include_cycle_cli(built):
    built.write(
        {
            "content/about.md": '# About\n\n{{ include "a" }}\n',
            "content/_includes/a.md": 'A\n\n{{ include "b" }}\n',
            "content/_includes/b.md": '{{ include "a" }}\n',
        }
    )
    done = run(built.root)
    cli_failed_and_kept(built, done, 1)
    assert done.stderr.startswith(
        "content/_includes/b.md:1:4: error: include cycle: content/about.md -> "
        "content/_includes/a.md -> content/_includes/b.md -> content/_includes/a.md"
    )


@pytest.mark.parametrize(
    "call",
    ['{{ include "../../../etc/passwd" }}', ':::code source="../../../../etc/hostname" :::'],
)
def test_include_or_snippet_outside_the_project(built, call):
    built.write({"content/about.md": "# About\n\n" + call + "\n"})
    result = built.build()
    found(result, "content/about.md", 3, 4 if call.startswith("{{") else 17, "outside the project")
    failed_and_kept(built, result)
