"""`[!backlinks]` and `[!backlinks "Title"]` on a line of their own: where the page's "See
also" list goes instead of the end of the page. The list itself is known only once every
page's links are, so the body keeps a marker that the theme fills (docsite/theme.py)."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from docsite.markdown.components.blocks import (
    add_block_rule,
    context,
    line_starts,
    line_text,
    report_at,
)
from docsite.markdown.components.calls import parse_call

# What the theme replaces with the list, or with nothing when no page links here.
BACKLINKS_MARKER = "<!--docsite:backlinks-->"


def backlinks_plugin(md: MarkdownIt) -> None:
    add_block_rule(md, "[", _block_rule)
    md.add_render_rule("backlinks", _render)


def _block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if not line_starts(state, start, "[!backlinks") or state.is_code_block(start):
        return False
    text = line_text(state, start).rstrip()
    if not text.startswith("[!backlinks"):
        return False
    found = parse_call(text, 0, "backlinks")
    if found is None or found[1] != len(text) or found[0].link is not None:
        return False  # not the whole line: text, or a link
    if silent:
        return True
    call = found[0]
    state.line = start + 1
    ctx = context(state)
    if ctx is not None and ctx.backlinks_placed:
        report_at(
            state,
            start,
            "[!backlinks",
            "the page lists its backlinks once; this second [!backlinks] is left out",
            "keep one [!backlinks] where the list should go",
            warning=True,
        )
        return True
    if call.attributes:
        report_at(
            state,
            start,
            next(iter(call.attributes)),
            f"[!backlinks] takes a title only, not {', '.join(call.attributes)}",
            'write [!backlinks "Related pages"]; maxResults is a page or project setting',
            warning=True,
        )
    if ctx is not None:
        ctx.backlinks_placed = True
        ctx.backlinks_title = call.text.strip().strip("\"'").strip()
    token = state.push("backlinks", "", 0)
    token.map = [start, start + 1]
    return True


def _render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return BACKLINKS_MARKER + "\n"
