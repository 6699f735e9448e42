"""Property-based tests: whatever the frontmatter and Markdown, the only exception that may
escape is DiagnosticError, and the same input always gives the same output.

Inputs are random YAML-ish text, random values for the known keys, and Markdown built from
fragments of every component's syntax: nested, repeated and left unclosed.
"""

from __future__ import annotations

import atexit
import dataclasses
import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink, validateLink
from markdown_it.renderer import RendererHTML
from markdown_it.ruler import Ruler
from markdown_it.rules_block.table import escapedSplit
from markdown_it.rules_core.normalize import normalize as library_normalize

from docsite.diagnostics import DiagnosticError, Report
from docsite.frontmatter import PAGE_SCHEMA, PageSettings, parse_settings, split_frontmatter
from docsite.markdown import MarkdownRenderer
from docsite.markdown.library_rules import ONLY_WITH, normalize_link
from docsite.markdown.tables import row_cells
from docsite.pages import load_site
from docsite.sources import discover
from docsite.urls import parsed_as_link, refused_url

SETTINGS = settings(
    max_examples=int(os.environ.get("DOCSITE_EXAMPLES", "200")),
    deadline=None,
    database=None,  # nothing written into the repository
    suppress_health_check=[HealthCheck.too_slow],
)

# --- Frontmatter -------------------------------------------------------------------------

YAML_CHARS = st.sampled_from(
    [*list("abcxyz019 \t\n:-[]{}!&*#|>'\",?%@`~.\\=<"), "---", "...", ": ", "- ", "\n  "]
)
YAML_WORDS = st.sampled_from(
    [
        *PAGE_SCHEMA.fields,
        *PAGE_SCHEMA.aliases,
        "badge",
        "text",
        "variant",
        "name",
        "true",
        "null",
        "~",
        ".nan",
        ".inf",
        "2024-13-45",
        "2024-05-31",
        "&a",
        "*a",
        "!!binary",
        "!!set",
        "!!python/name:os.system",
        "<<",
        "|",
        ">-",
        "'",
        '"',
    ]
)
yaml_chars = st.lists(st.one_of(YAML_CHARS, YAML_WORDS), max_size=60).map("".join)
# Line by line, so that keys meet odd values: `date: 2024-13-45`, `order: &a [*a]`...
yaml_lines = st.lists(
    st.tuples(
        st.sampled_from(["", "  ", "- ", "    ", "? "]),
        YAML_WORDS,
        st.sampled_from([": ", ":", " ", ": &a ", ": !!str "]),
        st.lists(st.one_of(YAML_WORDS, YAML_CHARS), max_size=4).map("".join),
    ).map("".join),
    max_size=10,
).map("\n".join)
yaml_ish = st.one_of(yaml_chars, yaml_lines)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(["NEW|info", "x|nope", "|", "rocket", ":tada:", "hidden", "PUBLIC", "page"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
KEYS = st.sampled_from([*PAGE_SCHEMA.fields, *PAGE_SCHEMA.aliases, "unknown", "Label", "nav.badge"])
mappings = st.dictionaries(
    KEYS,
    VALUES | st.fixed_dictionaries({"badge": VALUES}) | st.fixed_dictionaries({"text": VALUES}),
    max_size=8,
)


def parse_twice(text: str) -> PageSettings:
    layers = [("content/page.md", text, 2)]
    first, second = Report(), Report()
    try:
        settings_ = parse_settings(layers, first)
        again = parse_settings(layers, second)
    except DiagnosticError:
        return PageSettings()
    assert settings_ == again
    assert first.items == second.items
    for diagnostic in first.items:
        assert diagnostic.file == "content/page.md"
        assert diagnostic.line >= 2 and diagnostic.col >= 1
        assert diagnostic.message
    return settings_


def well_typed(page_settings: PageSettings) -> None:
    assert isinstance(page_settings.label, str) and isinstance(page_settings.title, str)
    assert page_settings.order is None or isinstance(page_settings.order, int | float | str)
    assert all(isinstance(tag, str) for tag in page_settings.tags)
    assert page_settings.visibility in ("public", "hidden")
    assert isinstance(page_settings.expanded, bool)
    assert page_settings.date is None or isinstance(page_settings.date, dt.date)
    if page_settings.badge is not None:
        assert page_settings.badge.text and isinstance(page_settings.badge.text, str)


@SETTINGS
@given(yaml_ish)
def test_any_yaml_ish_text_gives_settings_or_diagnostics(text):
    well_typed(parse_twice(text))


@SETTINGS
@given(mappings)
def test_any_values_for_known_keys_give_typed_settings(values):
    text = yaml.safe_dump(values, allow_unicode=True, sort_keys=False)
    well_typed(parse_twice(text))


@SETTINGS
@given(st.lists(st.one_of(YAML_CHARS, YAML_WORDS, st.just("\n---\n")), max_size=40).map("".join))
def test_split_frontmatter_keeps_every_line_in_place(tail):
    for text in (tail, "---\n" + tail):
        report = Report()
        split = split_frontmatter(text, "content/page.md", report)
        assert text.endswith(split.body)
        assert split.body_line == text.count("\n", 0, len(text) - len(split.body)) + 1
        if split.yaml_text is None:
            assert split.body == text
        else:
            assert text.startswith("---") and split.yaml_text in text


# --- Markdown ----------------------------------------------------------------------------

FRAGMENTS = [
    # callouts, tabs, panels, steps, columns, containers: openers, closers, longer fences
    "!!!",
    "!!! Note",
    "!!!danger Stop",
    "!!! :zap: **Bold**",
    "!!!!",
    "!!!nope",
    "+++ One",
    "+++",
    "++++ Outer",
    "++++",
    "+++ ",
    "=== Panel",
    "===",
    "==== Outer",
    "====",
    ">>> Step",
    ">>>",
    ">>> 4. Deploy",
    "|||",
    "||| Left",
    "||||",
    ":::",
    "::: note",
    ":::: wide x",
    "::::",
    # inline components, well formed and not
    "[!badge NEW]",
    "[!badge Beta|warning]",
    '[!badge text="x" variant="info" size="l"]',
    "[!badge",
    '[!badge text="unclosed]',
    "[!badge icon=nope]",
    "[!button Go](index.md)",
    "[!button Go]",
    "[!button](nowhere.md)",
    "[!ref](index.md)",
    "[!ref Setup](guide/setup.md#step)",
    "[!ref](missing.md)",
    "[!card](index.md)",
    '[!card text="t" description="d"](guide/setup.md)',
    "[!file](a.txt)",
    "[!file Spec](missing.pdf)",
    "[!unknown x]",
    ":icon-rocket:",
    ":icon-nope:",
    ":tada:",
    ":nope_nope:",
    ":",
    "$x^2$",
    "$",
    "$$",
    "$$\\frac{1}{2}$$",
    "\\$",
    "$\\notacommand{$",
    "%% hidden %%",
    "%%",
    "\\%%",
    # templating and code snippets
    '{{ include "part" }}',
    '{{ include "loop" }}',
    '{{ include "missing" }}',
    '{{ include "../../x" }}',
    "{{ page.label }}",
    "{{ page.nope }}",
    "{{ data }}",
    "{{ for x in y }}",
    "{{ for tag in page.tags }}",
    "{{ for link in project.links }}{{ link.text }}",
    "{{ if page.label }}",
    '{{ if page.label == "Home" }}',
    "{{ else }}",
    "{{ else if !page.nope }}",
    "{{ end }}",
    "{{",
    "}}",
    "{%{",
    "}%}",
    ':::code source="../../snippet.py" :::',
    ':::code source="../../snippet.py" range="2-3" :::',
    ':::code source="/../snippet.py" range="9-1" :::',
    ':::code source="nope.py" :::',
    ":::code :::",
    # plain Markdown that meets the components
    "# Title",
    "## Sub {#id}",
    "- item",
    "1. item",
    "> quote",
    "> [!TIP]",
    "    code",
    "```",
    "```python",
    "~~~",
    "| a | b |",
    "|---|---|",
    "[link](index.md#x)",
    "[x](../up.md)",
    "![img](a.txt)",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "&amp;",
    "&#0;",
    "\\",
    "*",
    "_",
    "`",
    "[^1]",
    "[^1]: note",
    "Term",
    ": definition",
    "www.example.com",
    "https://x.y/z?a=1",
    "\t",
    "\u0000",
    "\ufeff",
    "é",
    "\u202e",
]
SEPARATORS = ["", " ", "\n", "\n\n", "\n  ", "\n    ", "\n> "]

markdown_bodies = st.lists(
    st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)).map("".join),
    max_size=30,
).map("".join)

_SITE: dict = {}
INCLUDED = {
    "content/_includes/part.md": "!!!\nIncluded {{ page.label }} [x](nope.md)\n!!!\n",
    "content/_includes/loop.md": 'Loop {{ include "loop" }}\n',
}


def tiny_site():
    """A three-page site on disk, loaded once; each example renders a changed copy of a page."""
    if not _SITE:
        scratch = tempfile.mkdtemp(prefix="docsite-properties-")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        root = Path(scratch) / "content"
        (root / "guide").mkdir(parents=True)
        (root / "index.md").write_text("# Home\n")
        (root / "guide/setup.md").write_text("# Setup\n\n## Step\n")
        (root / "a.txt").write_text("a file\n")
        (root / "_includes").mkdir()
        for shown, text in INCLUDED.items():
            (root.parent / shown).write_text(text)
        (root.parent / "snippet.py").write_text("one = 1\ntwo = 2\nthree = 3\n")
        report = Report()
        site = load_site(discover(root, "content", report), report)
        assert not report.errors
        _SITE.update(site=site, renderer=MarkdownRenderer(site))
    return _SITE["site"], _SITE["renderer"]


def render(body: str, renderer: MarkdownRenderer, page) -> tuple[str, list]:
    copy = dataclasses.replace(page, body=body)
    try:
        rendered = renderer.render(copy)
    except DiagnosticError as exc:
        return "", exc.diagnostics
    return rendered.html, rendered.diagnostics


@SETTINGS
@given(markdown_bodies, st.sampled_from(["index.md", "guide/setup.md"]))
def test_any_markdown_renders_the_same_twice(body, rel):
    site, renderer = tiny_site()
    page = site.by_source[rel]
    html, diagnostics = render(body, renderer, page)
    again, diagnostics_again = render(body, renderer, page)
    assert html == again
    assert diagnostics == diagnostics_again
    fresh, _ = render(body, MarkdownRenderer(site), page)
    assert html == fresh  # no state leaks from one page into the next
    lines = body.count("\n") + 1
    for diagnostic in diagnostics:
        assert diagnostic.file in (page.source.shown, *INCLUDED)
        if diagnostic.file == page.source.shown:
            assert 1 <= diagnostic.line <= page.body_line + lines
        else:  # a place in the included file
            assert 1 <= diagnostic.line <= INCLUDED[diagnostic.file].count("\n")


@SETTINGS
@given(
    st.lists(
        st.sampled_from(["!!!", "+++ T", "=== P", ">>> S", "|||", ":::", "> ", "- "]), max_size=200
    ).map("\n".join)
)
def test_deeply_nested_and_unclosed_components(body):
    site, renderer = tiny_site()
    html, _ = render(body, renderer, site.by_source["index.md"])
    assert isinstance(html, str)


# Link targets: what normalizing and checking them looks at (schemes, hosts, escapes,
# characters percent-encoded or kept).
URL_PIECES = st.text(st.sampled_from([*"aZ09/.#?=&+,;!*'()@$~_-:%[]\\ é<>\"`{}|^"]), max_size=12)


@example("", "a:@")  # markdown-it drops an empty password
@example("//", "@a")  # and an empty user name
@SETTINGS
@given(
    st.lists(st.sampled_from(["", "//", "http:", "HTTP://", "mailto:", "a."]), max_size=2).map(
        "".join
    ),
    URL_PIECES,
)
def test_link_targets_are_normalized_as_markdown_it_does(start, rest):
    url = start + rest
    assert normalize_link(url) == normalizeLink(url)


@SETTINGS
@given(
    st.sampled_from(
        ["", "javascript:", "JavaScript:", "data:image/png;", "data:", "file:", "vbscript:"]
    ),
    URL_PIECES,
)
def test_links_markdown_it_accepts_are_parsed_as_links(start, rest):
    url = start + rest
    assert parsed_as_link(url) == (validateLink(url) or refused_url(url, "") is not None)


@SETTINGS
@given(st.text(st.sampled_from([*"|\\a {}`"]), max_size=14))
def test_table_rows_are_split_as_markdown_it_does(row):
    assert row_cells(row) == escapedSplit(row)


def as_the_libraries_run_them(renderer: MarkdownRenderer) -> MarkdownRenderer:
    """The renderer with markdown-it's and mdit-py-plugins' core rules put back as they come
    (docsite.markdown.library_rules runs some only where the page may need them), and the
    block and inline rules tried in markdown-it's way, each on every line and wherever text
    stops (not by the character there: docsite.markdown.dispatch), and markdown-it's own
    renderer (docsite.markdown.html_renderer)."""
    md = renderer.md
    stock = RendererHTML(md)  # its rules as docsite added them, bound to it
    stock.rules = {
        name: rule.__func__.__get__(stock)
        if getattr(rule, "__self__", None) is md.renderer
        else rule
        for name, rule in md.renderer.rules.items()
    }
    md.renderer = stock
    block_rules, inline_rules = Ruler(), Ruler()
    block_rules.__rules__ = renderer.md.block.ruler.__rules__
    inline_rules.__rules__ = renderer.md.inline.ruler.__rules__
    renderer.md.block.ruler, renderer.md.inline.ruler = block_rules, inline_rules
    del md.normalizeLink  # the class's own again
    ruler = renderer.md.core.ruler
    ruler.at("normalize", library_normalize)
    for name in ONLY_WITH:
        rule = next(r.fn for r in ruler.__rules__ if r.name == name)
        ruler.at(name, rule.__wrapped__)
    return renderer


# What those rules act on, mixed with the components' syntax: the first characters of
# lines that each block rule tries (and indented, quoted, listed, in a paragraph).
LIBRARY_FRAGMENTS = [
    *["\r\n", "\r", "a\r\nb", "\x00", "{.big}", "{#anchor}", "[^1]", "[^2]: two"],
    *[
        "a. x",
        "b. y",
        "i. z",
        "A. x",
        "IV. y",
        "*[HTML]: Hyper",
        "$$\nx\n$$",
        "***",
        "___",
        "+ p",
        "2) q",
    ],
    *["Term\n: def", "Title\n===", "<p>", "    indented", "\t", "[ref]: /x", "~~~\nc\n~~~"],
    *["www.example.com", "a@b.org", "http://x.y", ":smile:", ":icon-rocket:", "%% c %%", "~~s~~"],
    *["\\*", "&copy;", "<b>", "<https://a.b>", "`c`", "*e*", "_e_", "![i](a.txt)", "{.c}"],
    *["[l](a/b.md#c?d=1)", "[l](//h.x/p)", "[l](<a b.md>)", "[l](%41é)", "[l](a@b.md)"],
    *["[l](HTTP://X.y/ä)", "[l](mailto:a@b.c)", "[l]: ../a.md 'T'", "[l]", "[l](a\\b)"],
]


@settings(SETTINGS, max_examples=5 * SETTINGS.max_examples)  # fast, and rare cases count
@given(
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from(LIBRARY_FRAGMENTS), st.sampled_from(FRAGMENTS)),
            st.sampled_from(SEPARATORS),
        ).map("".join),
        max_size=30,
    ).map("".join),
    st.sampled_from(["index.md", "guide/setup.md"]),
)
def test_rules_run_where_needed_give_what_they_always_give(body, rel):
    site, renderer = tiny_site()
    page = site.by_source[rel]
    if "plain" not in _SITE:
        _SITE["plain"] = as_the_libraries_run_them(MarkdownRenderer(site))
    assert render(body, renderer, page) == render(body, _SITE["plain"], page)
