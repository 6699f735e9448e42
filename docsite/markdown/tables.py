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


def tables_plugin(md: MarkdownIt) -> None:
    md.block.ruler.at("table", _table_rule, {"alt": ["paragraph", "reference"]})


def _table_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if not _may_open_table(state, start, end):
        return False
    found: list[Trailing] = []
    original = gfm_table.escapedSplit

    def split(row: str) -> list[str]:
        cells = original(row)
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
        gfm_table.escapedSplit = original  # type: ignore[assignment]
    if matched and not silent and found and len(state.tokens) > first:
        table = state.tokens[first]
        for trailing in found:
            merge(table, checked(trailing, context(state), table))
    return matched


def _may_open_table(state: StateBlock, start: int, end: int) -> bool:
    """The first test of markdown-it's table rule, made before wrapping it: the next line
    must start a delimiter row. Most lines fail it, and the wrapping costs more."""
    below = start + 1
    if below >= end:
        return False
    begin = state.bMarks[below] + state.tShift[below]
    return begin < state.eMarks[below] and state.src[begin] in "|-:"
