"""Buttons: `[!button Get started](guide.md)`, `[!button Get started]` (text only),
`[!button text="Print" action="print-page"]`, with the badge's options and `width` and
`maxWidth`."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from docsite.markdown.components.badge import ATTRIBUTES as BADGE_ATTRIBUTES
from docsite.markdown.components.badge import check_look, render_look
from docsite.markdown.components.calls import Call, add_call_rule, check_attributes
from docsite.markdown.components.looks import style_value
from docsite.markdown.context import RenderContext

ATTRIBUTES = (*BADGE_ATTRIBUTES, "width", "maxWidth")


def button_plugin(md: MarkdownIt) -> None:
    add_call_rule(md, "button", _check)
    md.add_render_rule("button", _render)


def _check(token: Token, call: Call, block: Token, ctx: RenderContext) -> None:
    check_attributes(call, ATTRIBUTES, ctx, block)
    check_look(token, call, block, ctx, "primary")
    token.meta["width"] = style_value(call, "width", ctx, block)
    token.meta["max_width"] = style_value(call, "maxWidth", ctx, block)


def _render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return render_look(tokens, idx, env, "button")
