"""Columns: `||| Left` ... `||| Right` ... `|||`, equal-width columns with a title each."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from docsite.markdown.components.blocks import (
    BlockKind,
    add_block_rule,
    finish,
    open_marker,
    parse_content,
    push_inline,
    scan,
    stray_closer,
)

KIND = BlockKind("column", "|", stacked=True)


def columns_plugin(md: MarkdownIt) -> None:
    add_block_rule(md, "docsite_columns", _columns_rule)


def _columns_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    opening = open_marker(state, start, KIND)
    if opening is None:
        return False
    if silent:
        return True
    if not opening.text:
        return stray_closer(state, start, KIND, opening)
    block = scan(state, start, end, KIND, opening)
    columns = state.push("columns_open", "div", 1)
    columns.attrSet("class", "columns")
    columns.map = [start, block.stop]
    columns.markup = opening.raw
    for item in block.items:
        column = state.push("column_open", "div", 1)
        column.attrSet("class", "column")
        column.map = [item.line, item.end]
        state.push("column_title_open", "p", 1).attrSet("class", "column-title")
        push_inline(state, item.marker.text, item.line)
        state.push("column_title_close", "p", -1)
        parse_content(state, item.line + 1, item.end)
        state.push("column_close", "div", -1)
    state.push("columns_close", "div", -1)
    finish(state, KIND, block)
    return True
