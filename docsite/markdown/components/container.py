"""Containers: `::: my-class` ... `:::`, a div with those classes around any content."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from docsite.markdown.components.blocks import (
    Block,
    BlockKind,
    Marker,
    add_block_rule,
    block_rule,
    parse_content,
    report_at,
)

KIND = BlockKind("container", ":", stacked=False)
_CLASS = re.compile(r"^-?[A-Za-z_][\w-]*$")


def container_plugin(md: MarkdownIt) -> None:
    add_block_rule(md, "docsite_container", block_rule(KIND, _emit))


def _emit(state: StateBlock, start: int, block: Block, opening: Marker) -> None:
    names = opening.text.removeprefix(".").split()
    bad = [name for name in names if not _CLASS.match(name.removeprefix("."))]
    if bad:
        report_at(
            state,
            start,
            bad[0],
            f"'{bad[0]}' is not a CSS class name; the container gets no class from it",
            "a class starts with a letter and holds letters, digits, '-' and '_'",
        )
    token = state.push("container_open", "div", 1)
    good = [name.removeprefix(".") for name in names if name not in bad]
    if good:
        token.attrSet("class", " ".join(good))
    token.map = [start, block.stop]
    token.markup = opening.raw
    parse_content(state, start + 1, block.items[0].end)
    state.push("container_close", "div", -1)
