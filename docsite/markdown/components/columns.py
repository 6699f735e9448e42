"""Columns: `||| Left` ... `||| Right` ... `|||`, equal-width columns with a title each.

A column holding nothing but one code block is a code column (`code-column`): its title
is drawn as the code block's title bar, as Retype does."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from docsite.markdown.components.blocks import (
    Block,
    BlockKind,
    Marker,
    add_block_rule,
    block_rule,
    parse_content,
    push_inline,
)

KIND = BlockKind("column", "|", stacked=True, attached=True)  # Retype reads "|||Pros" too


def columns_plugin(md: MarkdownIt) -> None:
    add_block_rule(md, KIND.char, block_rule(KIND, _emit))


def _emit(state: StateBlock, start: int, block: Block, opening: Marker) -> None:
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
        content_start = len(state.tokens)
        parse_content(state, item.line + 1, item.end)
        if [token.type for token in state.tokens[content_start:]] == ["fence"]:
            column.attrSet("class", "column code-column")
        state.push("column_close", "div", -1)
    state.push("columns_close", "div", -1)
