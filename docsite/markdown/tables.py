"""Tables: attributes in a cell of their own after a row (`| A | B | {.compact}`) are the
table's, as Retype's pages write them; without this the row has a cell too many and the table
is no table. (A `|` inside `[!badge A|b]` is handled before, by components/table_calls.py.)

markdown-it-py's table rule splits rows with its module's `escapedSplit`, so this plugin wraps
the rule and gives it, while it runs, a split that sets such a cell aside.
"""

from __future__ import annotations

import importlib

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from docsite.markdown.attributes import Trailing, checked, merge, split_trailing
from docsite.markdown.components.blocks import context

# The module, not the rule function that `markdown_it.rules_block` exports under its name.
gfm_table = importlib.import_module("markdown_it.rules_block.table")
# markdown-it's, which the table rule replaces while it runs (with `row_cells`).
_escaped_split = gfm_table.escapedSplit
# What a delimiter row under a table's header is made of.
_DELIMITER_ROW = "|-: \t"


def tables_plugin(md: MarkdownIt) -> None:
    md.block.ruler.at("table", _table_rule, {"alt": ["paragraph", "reference"]})


def _table_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if not _may_open_table(state, start, end):
        return False
    found: list[Trailing] = []

    def split(row: str) -> list[str]:
        cells = row_cells(row)
        last = cells[-1].strip()
        if last.startswith("{") and (trailing := split_trailing(last)).source == last:
            found.append(trailing)
            cells.pop()
        return cells

    gfm_table.escapedSplit = split  # type: ignore[assignment]
    first = len(state.tokens)
    try:
        matched = gfm_table.table(state, start, end, silent)
    finally:
        gfm_table.escapedSplit = _escaped_split  # type: ignore[assignment]
    if matched and not silent and found and len(state.tokens) > first:
        table = state.tokens[first]
        for trailing in found:
            merge(table, checked(trailing, context(state), table))
    return matched


def row_cells(row: str) -> list[str]:
    """markdown-it's `escapedSplit` of a table row at its pipes but `\\|`: it walks the row
    character by character, which a row without a backslash does not need."""
    return row.split("|") if "\\" not in row else _escaped_split(row)


def _may_open_table(state: StateBlock, start: int, end: int) -> bool:
    """markdown-it's first tests of a table, made before wrapping its rule: the next line is
    a delimiter row (only `|`, `-`, `:` and blanks, not a list item's `- `) and this line has
    a `|`. Most lines fail them, list items and thematic breaks among them, and the wrapping
    costs more than the tests."""
    below = start + 1
    if below >= end:
        return False
    row = state.src[state.bMarks[below] + state.tShift[below] : state.eMarks[below]]
    if len(row) < 2 or row[0] not in "|-:" or row.strip(_DELIMITER_ROW):
        return False
    if row[0] == "-" and row[1] in " \t":
        return False
    return "|" in state.src[state.bMarks[start] : state.eMarks[start]]
