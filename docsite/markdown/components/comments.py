"""Comments: `%% hidden %%` inline, or `%%` lines around a block; never published."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from docsite.markdown.components.blocks import add_block_rule, line_starts, line_text, report_at
from docsite.markdown.components.calls import inline_tokens
from docsite.markdown.context import RenderContext

MARK = "%%"


def comments_plugin(md: MarkdownIt) -> None:
    add_block_rule(md, MARK[0], _block_rule)
    md.inline.ruler.before("emphasis", "docsite_comment", _inline_rule)
    md.core.ruler.push("docsite_comments", _check_leftovers)
    md.add_render_rule("comment_unclosed", _render_unclosed)


def _block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if not line_starts(state, start, MARK) or state.is_code_block(start):
        return False
    text = line_text(state, start).rstrip()
    if not text.startswith(MARK):
        return False
    rest = text[len(MARK) :]
    if MARK in rest:
        if not rest.endswith(MARK):
            return False  # `%% note %% and text`: an inline comment inside a paragraph
        if silent:
            return True
        state.line = start + 1
        return True
    if silent:
        return True
    for line in range(start + 1, end):
        if line_text(state, line).rstrip().endswith(MARK):
            state.line = line + 1
            return True
    report_at(
        state,
        start,
        MARK,
        "this comment ('%%') is never closed; only its first line is hidden",
        "end the comment with '%%', on the same line or on a later one",
    )
    state.line = start + 1
    return True


def _inline_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith(MARK, state.pos):
        return False
    close = state.src.find(MARK, state.pos + len(MARK))
    if close < 0:
        if not silent:
            token = state.push("comment_unclosed", "", 0)
            token.content = MARK
            # The text from here to the line's end finds this '%%' among others on the line.
            token.markup = state.src[state.pos :].split("\n", 1)[0][:40]
        state.pos += len(MARK)
        return True
    state.pos = close + len(MARK)
    return True


def _check_leftovers(state: StateCore) -> None:
    """A lone '%%' that opened no comment is printed as it is: say so."""
    ctx: RenderContext | None = state.env.get("docsite")
    if ctx is None or MARK not in state.src:  # no '%%': no walk
        return
    for block, token in inline_tokens(state.tokens, "comment_unclosed"):
        ctx.warning(
            block,
            token.markup,
            "'%%' opens a comment that is never closed, so it is shown as text",
            "close it with another '%%', or write '\\%%' for a literal '%%'",
        )


def _render_unclosed(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return escapeHtml(tokens[idx].content)
