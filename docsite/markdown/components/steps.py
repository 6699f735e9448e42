"""Steps: `>>> Title` ... `>>> Next` ... `>>>`, a numbered list of titled steps.

`>>> 12. Title` numbers that step 12, and the steps after it count on from there. The
marker takes lines that CommonMark would read as a triple-nested quote; `> > >` still is one.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
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

KIND = BlockKind("step", ">", stacked=True, warn_glued=True)
_NUMBERED = re.compile(r"^(\d{1,9})\.\s+(.*)$")


def steps_plugin(md: MarkdownIt) -> None:
    add_block_rule(md, KIND.char, block_rule(KIND, _emit))
    md.add_render_rule("steps_open", _render_steps_open)
    md.add_render_rule("step_open", _render_step_open)
    md.add_render_rule("step_title_open", _render_title_open)
    md.add_render_rule("step_title_close", _render_title_close)


def _emit(state: StateBlock, start: int, block: Block, opening: Marker) -> None:
    steps = state.push("steps_open", "ol", 1)
    steps.map = [start, block.stop]
    steps.markup = opening.raw
    steps.meta = {"start": None}
    for index, item in enumerate(block.items):
        step = state.push("step_open", "li", 1)
        step.map = [item.line, item.end]
        text, attrs = opener_attributes(context(state), step, item.marker.text)
        numbered = _NUMBERED.match(text)
        title = numbered.group(2) if numbered else text
        number = int(numbered.group(1)) if numbered else None
        if index == 0 and number is not None:
            steps.meta["start"] = number
        step.attrs.update(attrs)
        step.meta = {"value": number if index else None, "anchor": True}  # `#title` links to it
        state.push("step_title_open", "p", 1)
        push_inline(state, title, item.line)
        state.push("step_title_close", "p", -1)
        parse_content(state, item.line + 1, item.end)
        state.push("step_close", "li", -1)
    state.push("steps_close", "ol", -1)


def _render_steps_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    start = tokens[idx].meta["start"]
    return f'<ol class="steps" start="{start}">\n' if start is not None else '<ol class="steps">\n'


def _render_step_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    attrs = {str(k): str(v) for k, v in token.attrs.items()}
    if token.meta["value"] is not None:
        attrs["value"] = str(token.meta["value"])
    return f"<li{html_attributes(attrs, 'step')}>\n"


def _title_link(tokens: list[Token], title_open: int) -> str:
    """The step's own address, which its title links to (so a reader can copy the link, as
    Retype's page tells them); '' when the title holds a link itself, as links do not nest."""
    step_id = tokens[title_open - 1].attrGet("id")
    inline = tokens[title_open + 1]
    if not step_id or any(child.type == "link_open" for child in inline.children or []):
        return ""
    return f"#{step_id}"


def _render_title_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    href = _title_link(tokens, idx)
    link = f'<a class="step-link" href="{escapeHtml(href)}">' if href else ""
    return f'<p class="step-title">{link}'


def _render_title_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return ("</a>" if _title_link(tokens, idx - 2) else "") + "</p>\n"
