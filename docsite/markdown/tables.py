"""Tables: a `|` inside a Retype component (`[!badge Approved|success]`) is no cell border,
and attributes in a cell of their own after a row (`| a | b | {.compact}`) are the table's.

GFM splits a row at every unescaped `|`; Retype's pages put pipes inside badges in table rows
and mean the badge. markdown-it-py's table rule splits rows with its module's `escapedSplit`,
so this plugin wraps the rule and gives it, while it runs, a split that skips `[!...]`.
"""

from __future__ import annotations

import importlib

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from docsite.markdown.attributes import Trailing, checked, merge, split_trailing
from docsite.markdown.components.blocks import context

# The module, not the rule function that `markdown_it.rules_block` exports under its name.
gfm_table = importlib.import_module("markdown_it.rules_block.table")


def split_row(row: str) -> list[str]:
    """Cells of a table row: split at `|`, except an escaped one or one inside `[!...]`."""
    cells: list[str] = []
    current: list[str] = []
    depth = 0  # of brackets inside a component call
    escaped = False
    for index, char in enumerate(row):
        if char == "|" and not escaped and depth == 0:
            cells.append("".join(current))
            current = []
        elif char == "|" and escaped and depth == 0:
            current[-1] = "|"  # `\|` is a pipe in the cell, as GFM has it
        else:
            if char == "[" and not escaped and (depth or row.startswith("[!", index)):
                depth += 1
            elif char == "]" and not escaped and depth:
                depth -= 1
            current.append(char)
        escaped = char == "\\"  # as markdown-it reads it: `\\|` is an escaped pipe too
    cells.append("".join(current))
    return cells


def tables_plugin(md: MarkdownIt) -> None:
    md.block.ruler.at("table", _table_rule, {"alt": ["paragraph", "reference"]})


def _table_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    found: list[Trailing] = []

    def split(row: str) -> list[str]:
        cells = split_row(row)
        last = cells[-1].strip()
        if last.startswith("{") and (trailing := split_trailing(last)).source == last:
            found.append(trailing)
            cells.pop()
        return cells

    original = gfm_table.escapedSplit
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
