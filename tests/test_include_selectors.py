"""Include selectors (`{{ include "partial#2-5" }}`), as Retype's pages describe them: the
examples of templating/includes.md ("Line ranges") and of the v4.4 release notes ("Advanced
include selectors"), each on a small file written here."""

from __future__ import annotations

import ast
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, write_files
from hypothesis import given, settings
from hypothesis import strategies as st

from docsite.diagnostics import Report
from docsite.markdown import MarkdownRenderer
from docsite.markdown.templating import selectors
from docsite.markdown.templating.selectors import (
    Outline,
    Selection,
    SelectorError,
    select,
    split_selector,
)
from docsite.pages import load_site
from docsite.sources import discover

# A file whose line n reads "line n".
PARTIAL = "".join(f"line {n}\n" for n in range(1, 11))


def chosen(text: str, selector: str) -> list[int]:
    """The file lines a selector takes, checked against the text it returns."""
    selection = select(text, selector)
    lines = text.split("\n")
    assert selection.text == "\n".join(lines[n - 1] for n in selection.lines)
    return list(selection.lines)


def error(text: str, selector: str) -> SelectorError:
    with pytest.raises(SelectorError) as raised:
        select(text, selector)
    assert raised.value.message and raised.value.hint
    return raised.value


# ---- split_selector


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("partial#2-5", ("partial", "2-5")),
        ("partial", ("partial", None)),
        ("partial # 1-3, 5", ("partial", "1-3, 5")),  # whitespace around '#' is ignored
        ("other-page.md#custom-region", ("other-page.md", "custom-region")),
        ("#my-callout", ("", "my-callout")),  # the including page itself
        ("partial#", ("partial", "")),
        ("snippets/support", ("snippets/support", None)),
    ],
)
def test_split_selector(name, split):
    assert split_selector(name) == split


# ---- line ranges (templating/includes.md)


@pytest.mark.parametrize(
    ("selector", "lines"),
    [
        ("2", [2]),
        ("2-5", [2, 3, 4, 5]),
        ("1-3, 5, 7-8", [1, 2, 3, 5, 7, 8]),
        ("1-3,5,6-7", [1, 2, 3, 5, 6, 7]),
        ("1-3, 5, 6 - 7", [1, 2, 3, 5, 6, 7]),
        (" 1 - 3 ,5 ", [1, 2, 3, 5]),
        ("3-2", [2, 3]),  # reversed
        ("2-4,3-5", [2, 3, 4, 5]),  # overlapping: each line once
        ("8, 1-2", [1, 2, 8]),  # in the file's order
        ("5-5", [5]),
    ],
)
def test_line_selectors_from_the_includes_page(selector, lines):
    assert chosen(PARTIAL, selector) == lines
    assert select(PARTIAL, selector).warnings == ()


def test_the_selected_text_is_the_lines_without_a_trailing_newline():
    assert select(PARTIAL, "2-3") == Selection("line 2\nline 3", (2, 3), ())
    assert select("a\r\nb\r\nc\r\n", "2-3").text == "b\nc"
    assert select("a\rb\rc", "2-3").text == "b\nc", "a lone \\r ends a line, as in Markdown"
    assert select("no newline at the end", "1").text == "no newline at the end"


def test_a_range_past_the_end_takes_the_lines_there_are_and_warns():
    selection = select(PARTIAL, "9-12")
    assert selection.lines == (9, 10)
    assert selection.warnings == ("lines 11-12 are past the end of the file, which has 10 lines",)
    assert select(PARTIAL, "1, 30").warnings == (
        "line 30 is past the end of the file, which has 10 lines",
    )


def test_a_selection_wholly_past_the_end_is_an_error():
    assert "10 lines" in error(PARTIAL, "11-20").message
    assert "0 lines" in error("", "1").message


@pytest.mark.parametrize(
    ("selector", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("0", "start at 1"),
        ("0-3", "start at 1"),
        ("2-", "after '-'"),
        ("-2", "line number first"),
        ("1,,3", "after ','"),
        ("1-3,", "after ','"),
        ("1 2", "between '1' and '2'"),
        ("1-2-3", "one '-'"),
        ("a, b", "lists names"),
        ("1-3, intro", "lists names"),
        ("a#b", "another '#'"),
    ],
)
def test_malformed_selectors_say_what_is_wrong(selector, problem):
    assert problem in error(PARTIAL, selector).message


@pytest.mark.parametrize(
    ("selector", "offset"),
    [("2-", 2), (" 1,,3", 3), ("1 - 0", 4), ("1 2", 2), ("1-2-3", 3), ("", None), ("a,b", None)],
)
def test_a_malformed_selector_says_where(selector, offset):
    assert error(PARTIAL, selector).offset == offset


def test_only_ascii_digits_are_line_numbers():
    assert "no region, heading or id '٣'" in error(PARTIAL, "٣").message


def test_a_huge_range_is_not_built_line_by_line():
    assert select(PARTIAL, "1-99999999999999").lines == tuple(range(1, 11))


# ---- named regions (v4.4 release notes, guides/cli.md)


def test_a_named_region_without_its_markers():
    page = "Before.\n\n///region custom-region\nShared release notes.\n///endregion\n\nAfter.\n"
    selection = select(page, "custom-region")
    assert selection.text == "Shared release notes."
    assert selection.lines == (4,)


def test_the_cli_page_region_holds_a_heading():
    page = (
        "Options\n\n"
        "///region override\n"
        "### `--override`\n\n"
        "See the [`--override`](#retype---override) docs below for additional details.\n"
        "///endregion\n\n"
        "---\n\n"
        "## `retype build`\n"
    )
    assert chosen(page, "override") == [4, 5, 6]


def test_region_markers_take_spaces_and_regions_nest():
    page = "/// region outer\na\n  ///region inner\nb\n///endregion\nc\n///endregion\n"
    assert select(page, "outer").text == "a\nb\nc"  # the inner region's markers left out
    assert select(page, "inner").text == "b"


def test_a_region_marker_in_a_code_block_is_code():
    page = "```md\n///region sample\nin code\n///endregion\n```\n"
    assert "no region, heading or id 'sample'" in error(page, "sample").message


def test_a_region_without_an_end_runs_to_the_end_of_the_file_with_a_warning():
    selection = select("///region open\na\nb\n", "open")
    assert selection.text == "a\nb"
    assert "no '///endregion'" in selection.warnings[0]


def test_a_region_named_twice_uses_the_first_and_warns():
    page = "///region r\nfirst\n///endregion\n///region r\nsecond\n///endregion\n"
    selection = select(page, "r")
    assert selection.text == "first"
    assert "named twice" in selection.warnings[0]


def test_an_empty_region_is_an_error():
    assert "is empty" in error("///region r\n///endregion\n", "r").message


# ---- heading sections


ONBOARDING = """# Guide

## Onboarding Flow

Install the CLI first.

### Step 1

Confirm the command is available.

## Next part

More.
"""


def test_a_heading_section_from_the_release_notes():
    selection = select(ONBOARDING, "onboarding-flow")
    assert selection.text == (
        "## Onboarding Flow\n\nInstall the CLI first.\n\n### Step 1\n\n"
        "Confirm the command is available."
    )
    assert selection.lines == tuple(range(3, 10))


def test_a_section_ends_at_a_heading_of_the_same_or_a_higher_level():
    assert chosen(ONBOARDING, "step-1") == [7, 8, 9]  # ends at the next h2
    assert chosen(ONBOARDING, "guide") == list(range(1, 14))  # nothing ends an h1 here
    assert chosen(ONBOARDING, "next-part") == [11, 12, 13]  # the end of the file
    page = "## A\n\n#### deep\n\n### B\n\n## C\n"
    assert chosen(page, "a") == [1, 2, 3, 4, 5]  # deeper headings stay inside
    assert chosen(page, "deep") == [3]  # an h3 is higher than an h4


def test_a_heading_in_a_code_block_is_neither_matched_nor_an_end():
    page = "## Real\n\n```md\n## Fake\n# Also fake\n```\n\nafter\n\n## Other\n"
    assert chosen(page, "real") == [1, 2, 3, 4, 5, 6, 7, 8]
    assert "fake" not in Outline(page).headings
    indented = "## Real\n\n    # indented code\n\nafter\n"
    assert chosen(indented, "real") == [1, 2, 3, 4, 5]


def test_a_heading_is_found_by_its_explicit_id_and_its_text():
    page = "## Set Up {#setup}\n\ntext\n\n## Other\n"
    assert chosen(page, "setup") == [1, 2, 3]
    assert chosen(page, "set-up") == [1, 2, 3]


def test_a_name_written_as_the_heading_text_finds_the_heading():
    assert chosen(ONBOARDING, "Onboarding Flow") == list(range(3, 10))


def test_setext_headings_have_sections_too():
    page = "Title\n=====\n\nSub\n---\n\ntext\n\nSub two\n-------\n"
    assert chosen(page, "sub") == [4, 5, 6, 7]


def test_a_heading_inside_a_component_or_list_ends_with_it():
    callout = "!!! Note\n## Inside\nbody\n!!!\n\nafter the callout\n"
    assert chosen(callout, "inside") == [2, 3]
    listed = "- ## In a list\n  text\n- next item\n\nafter\n"
    assert chosen(listed, "in-a-list") == [1, 2]


def test_heading_ids_are_those_of_the_rendered_page(tmp_path):
    """The ids a heading selector matches are the ids docsite gives the page's headings."""
    page = (
        "# Guide\n\n## Step 1\n\n## Step 1\n\n## Set up `docsite` *now*\n\n"
        "## v4.6.0 [!badge New]\n\n## Custom {#mine}\n\n## mine\n\n## Ünïcode & Co.\n"
    )
    write_files(tmp_path, {"a.md": page})
    report = Report()
    site = load_site(discover(tmp_path, "content", report), report)
    html = MarkdownRenderer(site).render(site.by_source["a.md"]).html
    rendered = [h["id"] for h in BeautifulSoup(html, "html.parser").select("h1, h2")]
    assert rendered == [
        "guide",
        "step-1",
        "step-1-1",
        "set-up-docsite-now",
        "v460",
        "mine",
        "mine-1",
        "ünïcode--co",
    ]
    assert set(rendered) <= set(Outline(page).headings)


# ---- components and blocks by id (v4.4 release notes)


def test_a_callout_by_the_id_of_its_title():
    page = "Text.\n\n!!! My Callout\nThis is a callout.\n!!!\n\nMore.\n"
    selection = select(page, "my-callout")
    assert selection.text == "!!! My Callout\nThis is a callout.\n!!!"
    assert selection.lines == (3, 4, 5)


def test_a_button_by_its_explicit_id():
    page = "Intro.\n\n[!button Start Trial](/pro/){#trial-button}\n\nAfter.\n"
    assert select(page, "trial-button").text == "[!button Start Trial](/pro/){#trial-button}"


def test_components_by_variant_title_explicit_id_and_nesting():
    page = (
        "!!!warning Mind The Gap\n"  # the variant is no part of the title
        "outer\n"
        "!!! Inner {#deep}\n"
        "inner\n"
        "!!!\n"
        "!!!\n"
        "::: box {#boxed}\n"
        "in a container\n"
        ":::\n"
    )
    assert chosen(page, "mind-the-gap") == [1, 2, 3, 4, 5, 6]
    assert chosen(page, "deep") == [3, 4, 5]
    assert chosen(page, "boxed") == [7, 8, 9]


def test_an_item_of_a_panel_or_tab_group_is_selected_with_the_group_closer():
    page = "+++ First Tab\none\n\n+++ Second\ntwo\n+++\n"
    assert select(page, "first-tab").text == "+++ First Tab\none\n+++"
    assert chosen(page, "second") == [4, 5, 6]
    panels = "==- What is Retype?\nA generator.\n==- How?\nInstall it.\n===\n"
    assert select(panels, "what-is-retype").text == "==- What is Retype?\nA generator.\n==="


def test_an_unclosed_component_runs_to_the_end_of_the_file():
    assert chosen("!!! Open\nbody\n", "open") == [1, 2]


def test_blocks_by_explicit_or_obsidian_ids():
    page = (
        "A paragraph {#para}\nits second line\n\n"
        "- item ^first\n- other\n\n"
        "| a | b |\n| - | - |\n| 1 | 2 |\n\n^table\n\n"
        "{#quoted}\n> a quote\n\n"
        "A block ^plain\n"
    )
    assert chosen(page, "para") == [1, 2]
    assert chosen(page, "^first") == [4]
    assert chosen(page, "^table") == [7, 8, 9]  # an id alone names the block before it
    assert chosen(page, "quoted") == [14]  # attributes alone name the block after them
    assert chosen(page, "^plain") == [16]


def test_ids_in_code_and_template_tags_are_not_ids():
    page = '```\n!!! Code Callout\n!!!\n{#code-id}\n```\n\n{{ include "#x" }}\n'
    outline = Outline(page)
    assert not outline.components and not outline.blocks


# ---- resolution order and messages


def test_a_region_comes_before_a_heading_a_heading_before_a_component():
    page = (
        "## Shared\n\nheading text\n\n"
        "///region shared\nregion text\n///endregion\n\n"
        "!!! Note\ncallout\n!!!\n\n"
        "## Note\n\nheading\n\n"
        "!!! Tip\nc\n!!!\n\n"
        "Para {#tip}\n"
    )
    assert select(page, "shared").text == "region text"
    assert select(page, "note").lines[0] == 13  # the heading, not the callout on line 9
    assert select(page, "tip").lines == (17, 18, 19)  # the component, not the paragraph


def test_a_name_not_found_suggests_the_closest_name():
    assert error(ONBOARDING, "onbording-flow").hint == "did you mean 'onboarding-flow'?"


def test_a_name_not_found_lists_the_names_there_are():
    hint = error(ONBOARDING + "\n///region keep\nx\n///endregion\n", "zzz").hint
    assert "regions: keep" in hint and "headings: guide, onboarding-flow, step-1" in hint


def test_a_file_without_names_says_how_to_mark_one():
    assert "///region" in error("just text\n", "intro").hint


def test_warnings_are_about_the_selected_name_only():
    page = "///region a\nx\n///endregion\n///region b\ny\n///endregion\n///region b\nz\n"
    assert select(page, "a").warnings == ()
    assert select(page, "b").warnings


# ---- the module stays pure


def test_the_module_imports_only_the_standard_library_markdown_it_and_diagnostics():
    tree = ast.parse((REPO / "docsite/markdown/templating/selectors.py").read_text("utf-8"))
    imported = {
        name.split(".")[0] if not name.startswith("docsite") else name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
    }
    allowed = set(sys.stdlib_module_names) | {
        "markdown_it",
        "docsite.diagnostics",
        "docsite.markdown.headings",  # the ids the page gives its headings
    }
    assert imported <= allowed, imported - allowed
    assert selectors.select is select


def test_a_bare_equals_line_closes_a_panel_or_underlines_a_heading():
    assert chosen("Title\n===\n\ntext\n", "title") == [1, 2, 3, 4]
    panel = "=== Panel\nText in it\n===\n\nafter\n"
    outline = Outline(panel)
    assert "text-in-it" not in outline.headings and "panel" in outline.components


def test_steps_are_not_read_as_quotes():
    steps = ">>> First\n## Inside\nbody\n>>> Second\ntwo\n>>>\n"
    assert chosen(steps, "inside") == [2, 3]
    assert select(steps, "first").text == ">>> First\n## Inside\nbody\n>>>"


def test_region_markers_are_the_lines_a_page_hides():
    page = "a\n///region r\nb\n  ///endregion\n```\n///region code\n```\n"
    assert selectors.region_markers(page) == {2, 4}


def test_a_line_number_of_thousands_of_digits_is_past_the_end():
    selection = select(PARTIAL, "1, " + "9" * 5000)
    assert selection.lines == (1,) and selection.warnings
    assert "start at 1" in error(PARTIAL, "0" * 5000).message


def test_attributes_alone_before_a_code_block_name_the_code_block():
    page = "{#sample}\n```js\nlet a = 1\n```\n\nafter\n"
    assert chosen(page, "sample") == [2, 3, 4]


# ---- any file, any selector: a selection of its own lines, or a SelectorError

PIECES = [
    "///region a", "///endregion", "## A", "# B", "### C {#c}", "!!! Note", "!!!", "=== P",
    "===", "+++ T", "+++", ">>> S", ">>>", "::: x {#k}", ":::", "```", "    code",
    "- item ^i", "^t", "{#q}", "| a |", "|---|", "> q", "text", "", "Title", "---", "\r",
]  # fmt: skip
SELECTORS = ["a", "c", "k", "q", "^i", "^t", "note", "p", "t", "s", "1", "2-3", "3-1, 5", ""]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=25).map("\n".join),
    st.one_of(st.sampled_from(SELECTORS), st.text(max_size=6)),
)
def test_any_selection_is_lines_of_the_file_or_a_selector_error(text, selector):
    try:
        selection = select(text, selector)
    except SelectorError as problem:
        assert problem.message
        return
    lines = selectors.file_lines(text)
    assert list(selection.lines) == sorted(set(selection.lines))
    assert all(1 <= n <= len(lines) for n in selection.lines)
    assert selection.text == "\n".join(lines[n - 1] for n in selection.lines)
