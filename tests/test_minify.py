"""docsite/minify.py: which files are minified, and what minifying keeps."""

from __future__ import annotations

import pytest

from docsite.minify import minified, minifies

CSS = b'/* a comment */\n.note {\n  width: calc(100% - 2 * var(--gap));\n  content: "a  b";\n}\n'
JS = b"// a comment\nlet shown = `a  ${b}  c`;\nx = y\n++z\n"


def test_a_stylesheet_loses_its_comments_and_layout_not_what_calc_and_strings_need():
    expected = b'.note{width:calc(100% - 2 * var(--gap));content:"a  b"}'
    assert minified("docsite.css", CSS) == expected


def test_a_script_keeps_template_literals_and_the_line_break_that_ends_a_statement():
    out = minified("docsite.js", JS)
    assert b"a comment" not in out and b"`a  ${b}  c`" in out
    assert b"x=y\n++z" in out  # without the break, `y++` would change what runs


@pytest.mark.parametrize("name", ["logo.svg", "page.html", "data.json", "notes.txt"])
def test_other_files_are_left_as_they_are(name):
    assert not minifies(name)
    assert minified(name, CSS) is CSS


def test_the_suffix_is_read_in_any_case_and_bytes_that_are_not_utf8_are_left_alone():
    assert minifies("THEME.CSS") and minifies("app.Js")
    latin1 = "/* café */ a { b: c }".encode("latin-1")
    assert minified("old.css", latin1) == latin1
