"""Lettered and Roman ordered lists (docsite/markdown/components/lists.py)."""

from __future__ import annotations

import pytest

from docsite.markdown import make_markdown
from docsite.markdown.components.lists import list_type, marker_value


@pytest.mark.parametrize(
    ("marker", "kind", "value"),
    [("a", "a", 1), ("z", "a", 26), ("i", "i", 1), ("iv", "i", 4), ("IX", "I", 9), ("xl", "i", 40)],
)
def test_marker_values(marker, kind, value):
    assert marker_value(marker, kind) == value


def test_the_first_item_decides_the_kind():
    assert [list_type(m) for m in ("a", "A", "i", "I", "ii", "c", "v")] == list("aAiIiaa")
    assert marker_value("ab", "a") is None and marker_value("q", "i") is None


def test_lettered_items_keep_their_numbers_after_a_roman_list_gap():
    html = make_markdown().render("iv. four\nv. five\nvi. six\n")
    assert html.startswith('<ol type="i" start="4">') and html.count("<li>") == 3


def test_code_blocks_in_items_are_not_list_markers():
    html = make_markdown().render("a. item\n\n   ```\n   b. code\n   ```\nb. next\n")
    assert "<code>b. code\n</code>" in html and html.count("<li>") == 2
