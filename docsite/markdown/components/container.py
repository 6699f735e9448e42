"""Containers: `:::` ... `:::`, a div around any content.

The opener may name classes (`::: my-class`, `:::my-class`) and end in generic attributes
(`::: {#id .class}`, `:::sample { #container1 }`). A bare `:::` opens a container when none is
open and closes the innermost one otherwise.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from docsite.markdown.attributes import merge, opener_attributes
from docsite.markdown.components.blocks import (
    Block,
    BlockKind,
    Marker,
    add_block_rule,
    context,
    finish,
    line_text,
    open_marker,
    parse_content,
    report_at,
    scan,
    stray_closer,
)

KIND = BlockKind("container", ":", stacked=False, attached=True, needs_title=False)
_CLASS = re.compile(r"^-?[A-Za-z_][\w-]*$")
_SNIPPET = re.compile(r"^:::code\s.*:::\s*$")  # a code snippet's line (snippet.py), not an opener


def container_plugin(md: MarkdownIt) -> None:
    add_block_rule(md, KIND.char, _rule)


def _rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    opening = open_marker(state, start, KIND)
    if opening is None or _SNIPPET.match(line_text(state, start)):
        return False
    if silent:
        return True
    block = scan(state, start, end, KIND, opening)
    if not opening.text and block.close_line is None:
        # A bare ':::' that nothing closes is a stray closer, not a box around the page's rest.
        return stray_closer(state, start, KIND, opening)
    _emit(state, start, block, opening)
    finish(state, KIND, block)
    return True


def _emit(state: StateBlock, start: int, block: Block, opening: Marker) -> None:
    token = state.push("container_open", "div", 1)
    token.map = [start, block.stop]
    token.markup = opening.raw
    text, attrs = opener_attributes(context(state), token, opening.text)
    names = text.split()
    bad = [name for name in names if not _CLASS.match(name.removeprefix("."))]
    if bad:
        report_at(
            state,
            start,
            bad[0],
            f"'{bad[0]}' is not a CSS class name; the container gets no class from it",
            "a class starts with a letter and holds letters, digits, '-' and '_'; "
            "other attributes go in braces: ::: {#id .class}",
        )
    good = [name.removeprefix(".") for name in names if name not in bad]
    if good:
        token.attrSet("class", " ".join(good))
    merge(token, attrs)
    parse_content(state, start + 1, block.items[0].end)
    state.push("container_close", "div", -1)
