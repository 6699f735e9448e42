"""Callouts: `!!!variant Title` ... `!!!`, collapsible with `!!-` (closed) or `!!+` (open)."""

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
    block_rule,
    context,
    parse_content,
    push_inline,
)
from docsite.markdown.components.variants import checked_variant

KIND = BlockKind("callout", "!", stacked=False, flags="-+", attached=True, needs_title=False)
DEFAULT_VARIANT = "primary"  # as in Retype


def callout_plugin(md: MarkdownIt) -> None:
    add_block_rule(md, KIND.char, block_rule(KIND, _emit, needs_title=False))
    md.add_render_rule("callout_open", _render_open)
    md.add_render_rule("callout_close", _render_close)
    md.add_render_rule("callout_title_open", _render_title_open)
    md.add_render_rule("callout_title_close", _render_title_close)


def _emit(state: StateBlock, start: int, block: Block, opening: Marker) -> None:
    rest = _line_rest(state, start, opening.raw)
    variant_word, title = "", rest.strip()
    if rest and not rest[0].isspace():
        variant_word, _, title = rest.partition(" ")
        title = title.strip()
    token = state.push("callout_open", "div", 1)
    token.map = [start, block.stop]
    token.markup = opening.raw
    collapse = opening.flag
    variant = checked_variant(
        variant_word, DEFAULT_VARIANT, context(state), token, opening.raw + variant_word
    )
    title, attrs = opener_attributes(context(state), token, title)
    token.meta = {"variant": variant, "collapse": collapse, "attrs": attrs}
    if title or collapse:
        state.push("callout_title_open", "p", 1).meta = {"collapse": collapse}
        push_inline(state, title or _details(state), start)
        state.push("callout_title_close", "p", -1).meta = {"collapse": collapse}
    state.push("callout_body_open", "div", 1).attrSet("class", "callout-body")
    parse_content(state, start + 1, block.items[0].end)
    state.push("callout_body_close", "div", -1)
    state.push("callout_close", "div", -1).meta = {"collapse": collapse}


def _details(state: StateBlock) -> str:
    """The title of a collapsible callout that has none: "Details", in the site's language."""
    ctx = context(state)
    return ctx.word("Panel_Title_Details") if ctx is not None else "Details"


def _line_rest(state: StateBlock, line: int, marker: str) -> str:
    begin = state.bMarks[line] + state.tShift[line] + len(marker)
    return state.src[begin : state.eMarks[line]].rstrip()


def _render_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    attributes = html_attributes(meta.get("attrs", {}), f"callout callout-{meta['variant']}")
    if meta["collapse"]:
        is_open = " open" if meta["collapse"] == "+" else ""
        return f"<details{attributes}{is_open}>\n"
    return f"<div{attributes}>\n"


def _render_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return "</details>\n" if tokens[idx].meta["collapse"] else "</div>\n"


def _render_title_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    tag = "summary" if tokens[idx].meta["collapse"] else "p"
    return f'<{tag} class="callout-title">'


def _render_title_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return "</summary>\n" if tokens[idx].meta["collapse"] else "</p>\n"
