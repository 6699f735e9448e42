"""Panels: `=== Title` ... `===`, a disclosure that starts open; `==-` starts it closed.

Panels stack like Retype's (`=== One` ... `=== Two` ... `===`); a panel inside a panel takes
a longer marker (`====` around `===`).
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from docsite.markdown.attributes import html_attributes, opener_attributes
from docsite.markdown.components.blocks import (
    Block,
    BlockKind,
    Marker,
    add_block_rule,
    add_html_rules,
    block_rule,
    context,
    parse_content,
    push_inline,
)

KIND = BlockKind("panel", "=", stacked=True, flags="-+", warn_glued=True)


def panel_plugin(md: MarkdownIt) -> None:
    add_block_rule(md, KIND.char, block_rule(KIND, _emit))
    md.add_render_rule("panel_open", _render_open)
    add_html_rules(
        md,
        {
            "panel_close": "</div>\n</details>\n",
            "panel_title_open": '<summary class="panel-title">',
            "panel_title_close": '</summary>\n<div class="panel-body">\n',
        },
    )


def _emit(state: StateBlock, start: int, block: Block, opening: Marker) -> None:
    for item in block.items:
        token = state.push("panel_open", "details", 1)
        token.map = [item.line, item.end]
        token.markup = item.marker.raw
        title, attrs = opener_attributes(context(state), token, item.marker.text)
        token.attrs.update(attrs)
        token.meta = {"open": item.marker.flag != "-", "anchor": True}  # `#title` opens it
        state.push("panel_title_open", "summary", 1)
        push_inline(state, title, item.line)
        state.push("panel_title_close", "summary", -1)
        parse_content(state, item.line + 1, item.end)
        state.push("panel_close", "details", -1)


def _render_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    attributes = html_attributes({str(k): str(v) for k, v in token.attrs.items()}, "panel")
    return f"<details{attributes}{' open' if token.meta['open'] else ''}>\n"
