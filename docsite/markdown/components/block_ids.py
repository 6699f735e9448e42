"""Obsidian block identifiers, as Retype reads them: a paragraph or list item ending with
` ^block-id` gets the id `^block-id` (the marker is not shown), and a `^block-id` alone after a
table, quote or list names that block. Links write `[[Page#^block-id]]` or `page.md#^block-id`.

The id keeps its '^', as Obsidian writes the fragment: a browser decodes `#%5Eblock-id` and
finds it, and no heading's slug (which never holds '^') can take it.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from docsite.markdown.context import RenderContext

# Obsidian's block ids: Latin letters, digits and '-'; after a space, or alone on a line.
_MARKER = re.compile(r"(^|\s)\^([A-Za-z0-9-]+)\s*$")
_BREAKS = ("softbreak", "hardbreak")


def block_ids_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("docsite_block_ids", _block_ids)


def _block_ids(state: StateCore) -> None:
    if "^" not in state.src:  # no block id on the page
        return
    ctx: RenderContext | None = state.env.get("docsite")
    tokens = state.tokens
    dropped: set[int] = set()
    seen: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type != "inline" or "^" not in token.content or not token.children:
            continue
        if index < 1 or tokens[index - 1].type != "paragraph_open":
            continue
        block_id = _take_marker(token)
        if not block_id:
            continue
        if token.children:
            target = _owner(tokens, index - 1)
        else:  # the marker alone: it names the block before it
            target = _block_before(tokens, index - 1)
            if target is None:
                _restore(token, block_id)
                continue
            dropped.update((index - 1, index, index + 1))
        _set_id(target, "^" + block_id, token, seen, ctx)
    if dropped:
        state.tokens = [t for i, t in enumerate(tokens) if i not in dropped]


def _take_marker(inline: Token) -> str:
    """The block id a paragraph ends with, taken out of its text; '' when it has none."""
    children = inline.children or []
    last = children[-1]
    match = _MARKER.search(last.content) if last.type == "text" else None
    if match is None:
        return ""
    if not match.group(1) and len(children) > 1 and children[-2].type not in _BREAKS:
        return ""  # 'word^id' or '**bold**^id': no space before the caret
    last.content = last.content[: match.start()].rstrip()
    if not last.content:
        children.pop()
        while children and children[-1].type in _BREAKS:
            children.pop()
    inline.content = _MARKER.sub("", inline.content).rstrip()
    return match.group(2)


def _restore(inline: Token, block_id: str) -> None:
    """A marker that names nothing stays text, as written."""
    text = Token("text", "", 0)
    text.content = "^" + block_id
    inline.children = [text]
    inline.content = text.content


def _owner(tokens: list[Token], paragraph: int) -> Token:
    """A list item's first paragraph names the item; any other paragraph names itself."""
    before = tokens[paragraph - 1] if paragraph > 0 else None
    if before is not None and before.type == "list_item_open":
        return before
    return tokens[paragraph]


def _block_before(tokens: list[Token], paragraph: int) -> Token | None:
    """The opening token of the block that ends right before the paragraph, at its level."""
    level = tokens[paragraph].level
    index = paragraph - 1
    if index < 0 or tokens[index].level != level or tokens[index].nesting != -1:
        return None
    depth = 0
    while index >= 0:
        depth += tokens[index].nesting
        if depth == 0:
            return tokens[index]
        index -= 1
    return None


def _set_id(
    target: Token, anchor: str, inline: Token, seen: set[str], ctx: RenderContext | None
) -> None:
    problem = ""
    if anchor in seen:
        problem = f"block id '{anchor}' is used twice on this page; the second is ignored"
    elif target.attrGet("id"):
        problem = f"this block already has the id '{target.attrGet('id')}'; '{anchor}' is ignored"
    if problem:
        if ctx is not None:
            ctx.warning(inline, "^", problem, "give each block one id of its own")
        return
    seen.add(anchor)
    target.attrSet("id", anchor)
