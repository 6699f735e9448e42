"""`[!badge Approved|success]` inside a table cell is one badge.

GFM tables split their rows on `|` before inline parsing, so the `|` of a call's
`text|variant` shorthand would cut the cell in two. Before the block rules run, this plugin
escapes (`\\|`) every `|` inside a component call on the rows of a table; the table rule turns
`\\|` back into `|` in the cell's text, where the call finds it as written.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

_DELIMITER_ROW = re.compile(r"\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*")
_CALL = re.compile(r"\[![a-z]+\s(?:\"[^\"]*\"|'[^']*'|[^\]\"'])*\]")
_FENCE = re.compile(r"\s{0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r"^\s*(?:>\s?)*")  # a table may sit in a block quote


def table_calls_plugin(md: MarkdownIt) -> None:
    md.core.ruler.before("block", "docsite_table_calls", _escape_calls_in_tables)


def _escape_calls_in_tables(state: StateCore) -> None:
    if "[!" not in state.src or "|" not in state.src:
        return
    lines = state.src.split("\n")
    for index in table_rows(lines):
        lines[index] = _CALL.sub(_escape_pipes, lines[index])
    state.src = "\n".join(lines)


def _escape_pipes(match: re.Match[str]) -> str:
    return re.sub(r"(?<!\\)\|", r"\\|", match.group(0))


def table_rows(lines: list[str]) -> list[int]:
    """Indexes of the lines that are a table's header or body rows (outside code fences)."""
    rows: list[int] = []
    fence = ""
    for index, written in enumerate(lines):
        line = _QUOTE.sub("", written)
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        if index == 0 or "|" not in line or not _DELIMITER_ROW.fullmatch(line):
            continue
        if "-" not in line or "|" not in lines[index - 1]:
            continue
        rows.append(index - 1)
        following = index + 1
        while following < len(lines) and _QUOTE.sub("", lines[following]).strip():
            rows.append(following)
            following += 1
    return rows
