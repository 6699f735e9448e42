"""Ordered lists numbered with letters or Roman numerals, as Retype writes them:
`a.`, `A.`, `i.`, `I.` (and the items after, `b.`, `ii.`, ...).

markdown-it-py reads only `1.` lists; this rule reads the others the same way (items, their
indentation, tight or loose) and writes `<ol type="a">`, with `start` when the first item is
not the first letter or numeral. The first item decides the kind: `i`/`I` or several Roman
letters make a Roman list, another single letter a lettered one; every item keeps its case.
In a lettered list, `i.` continues it only after `h.`; elsewhere it starts a Roman list.
As with `1.`, only a list starting at `a.` or `i.` may interrupt a paragraph.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.list import markTightParagraphs

from docsite.markdown.dispatch import block_rules_of

_MARKER = re.compile(r"([a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)\.(?=[ \t]|$)")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
RULE = "docsite_lettered_list"


def lists_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "list", RULE, _rule, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )


def list_type(marker: str) -> str:
    """The `type` of the list a first item starts: 'a', 'A', 'i' or 'I'."""
    roman = marker.lower() == "i" or len(marker) > 1
    letter = "i" if roman else "a"
    return letter.upper() if marker.isupper() else letter


def marker_value(marker: str, kind: str) -> int | None:
    """The number an item's marker stands for in a list of `kind`, or None if it is not one
    of that list's markers."""
    if kind in "aA":
        return ord(marker.lower()) - ord("a") + 1 if len(marker) == 1 else None
    if any(c.lower() not in _ROMAN for c in marker):
        return None
    values = [_ROMAN[c.lower()] for c in marker]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _marker(state: StateBlock, line: int, kind: str | None = None) -> tuple[int, int] | None:
    """(the item's value, where its marker ends) for a marker of this kind of list."""
    start = state.bMarks[line] + state.tShift[line]
    match = _MARKER.match(state.src, start, state.eMarks[line])
    if match is None:
        return None
    text = match.group(1)
    wanted = kind if kind is not None else list_type(text)
    if text.isupper() != wanted.isupper():
        return None
    value = marker_value(text, wanted)
    return (value, match.end()) if value else None


def _rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    if (
        state.listIndent >= 0
        and state.sCount[start] - state.listIndent >= 4
        and state.sCount[start] < state.blkIndent
    ):
        return False
    found = _marker(state, start)
    if found is None or state.skipSpaces(found[1]) >= state.eMarks[start]:
        return False  # an item needs text on its first line
    if silent:
        # As with `1.`, only a list starting at a or i interrupts a paragraph.
        interrupts = state.parentType == "paragraph" and state.sCount[start] >= state.blkIndent
        return not interrupts or found[0] == 1
    first = state.src[state.bMarks[start] + state.tShift[start] : found[1] - 1]
    kind = list_type(first)
    token = state.push("ordered_list_open", "ol", 1)
    token.attrSet("type", kind)
    if found[0] != 1:
        token.attrSet("start", str(found[0]))
    token.map = lines = [start, 0]
    token.markup = "."
    list_index = len(state.tokens) - 1
    tight = _items(state, start, end, kind, found)
    state.push("ordered_list_close", "ol", -1).markup = "."
    lines[1] = state.line
    if tight:
        markTightParagraphs(state, list_index)
    return True


def _items(
    state: StateBlock, line: int, end: int, kind: str, found: tuple[int, int] | None
) -> bool:
    """Parses the items from `line`; whether the list is tight."""
    tight, previous_empty_end = True, False
    old_parent, state.parentType = state.parentType, "list"
    terminators = [rule for rule in block_rules_of(state.md, "list") if rule is not _rule]
    while found is not None:
        item_tight = _item(state, line, end, found[1])
        if not item_tight or previous_empty_end:
            tight = False
        previous_empty_end = (state.line - line) > 1 and state.isEmpty(state.line - 1)
        line = state.line
        if (
            line >= end
            or state.sCount[line] < state.blkIndent
            or state.is_code_block(line)
            or any(rule(state, line, end, True) for rule in terminators)
        ):
            break
        value = found[0]
        found = _marker(state, line, kind)
        if found is not None and _starts_roman_list(kind, found[0], value):
            break
    state.parentType = old_parent
    return tight


def _starts_roman_list(kind: str, value: int, previous: int) -> bool:
    """`I.` after `A.` and a blank line starts a Roman list; after `H.` it is the next letter."""
    return kind in "aA" and value == ord("i") - ord("a") + 1 and previous != value - 1


def _item(state: StateBlock, line: int, end: int, after_marker: int) -> bool:
    """One item whose marker ends at `after_marker`; whether its content was tight."""
    marker_start = state.bMarks[line] + state.tShift[line]
    initial = offset = state.sCount[line] + after_marker - marker_start
    pos, maximum = after_marker, state.eMarks[line]
    while pos < maximum and state.src[pos] in " \t":
        if state.src[pos] == "\t":
            offset += 4 - (offset + state.bsCount[line]) % 4
        else:
            offset += 1
        pos += 1
    indent_after = offset - initial
    if indent_after > 4:  # the rest is an indented code block
        indent_after = 1
    token = state.push("list_item_open", "li", 1)
    token.markup, token.info = ".", state.src[marker_start : after_marker - 1]
    token.map = item_lines = [line, 0]
    saved = (state.tight, state.tShift[line], state.sCount[line], state.listIndent)
    state.listIndent, state.blkIndent = state.blkIndent, initial + indent_after
    state.tight = True
    state.tShift[line] = pos - state.bMarks[line]
    state.sCount[line] = offset
    state.md.block.tokenize(state, line, end)
    item_tight = state.tight
    state.blkIndent = state.listIndent
    state.tight, state.tShift[line], state.sCount[line], state.listIndent = saved
    state.push("list_item_close", "li", -1).markup = "."
    item_lines[1] = state.line
    return item_tight
