"""Abbreviations: a line `*[HTML]: Hyper Text Markup Language` anywhere in the page makes
every `HTML` in its text an `<abbr title="Hyper Text Markup Language">`.

The definition lines are removed (Retype's `_includes/bottom.md` adds them to every page);
a word is marked only where it stands alone, never inside code, and a later definition of
the same word wins.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from docsite.markdown.components.blocks import line_starts

_DEFINITION = re.compile(r"\*\[([^\]\n]+)\]:[ \t]*(.*)$")


def abbreviations_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("reference", "docsite_abbreviation", _definition, {"alt": ["paragraph"]})
    md.core.ruler.after("inline", "docsite_abbreviations", _mark_words)
    md.add_render_rule("abbreviation", lambda *args: "")


def _definition(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if not line_starts(state, start, "*[") or state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    match = _DEFINITION.match(state.src[begin : state.eMarks[start]])
    if match is None or not match.group(1).strip():
        return False
    if silent:
        return True
    token = state.push("abbreviation", "", 0)
    token.hidden = True
    token.map = [start, start + 1]
    token.meta = {"word": match.group(1).strip(), "title": match.group(2).strip()}
    state.line = start + 1
    return True


def _mark_words(state: StateCore) -> None:
    titles = {
        token.meta["word"]: token.meta["title"]
        for token in state.tokens
        if token.type == "abbreviation"
    }
    if not titles:
        return
    words = sorted(titles, key=len, reverse=True)  # the longest first: "HTML5" before "HTML"
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)")
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _marked(token.children, pattern, titles)


def _marked(children: list[Token], pattern: re.Pattern[str], titles: dict[str, str]) -> list:
    result: list[Token] = []
    for child in children:
        if child.type != "text" or pattern.search(child.content) is None:
            result.append(child)
            continue
        position = 0
        for match in pattern.finditer(child.content):
            if match.start() > position:
                result.append(_text(child, child.content[position : match.start()]))
            opening = Token("abbr_open", "abbr", 1, level=child.level)
            opening.attrSet("title", titles[match.group(1)])
            result += [
                opening,
                _text(child, match.group(1)),
                Token("abbr_close", "abbr", -1, level=child.level),
            ]
            position = match.end()
        if position < len(child.content):
            result.append(_text(child, child.content[position:]))
    return result


def _text(like: Token, content: str) -> Token:
    return Token("text", "", 0, level=like.level, content=content)
