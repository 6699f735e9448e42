"""GitHub alerts with a title of their own, as Retype reads them: `> [!NOTE] Custom Title`.

markdown-it-py turns `> [!NOTE]` alone on its line into an alert titled "Note"; a title after
the marker leaves a plain blockquote. This core rule, run after the block rules, turns such
a blockquote into the same alert, with the given title (inline Markdown) in place of the kind.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

KINDS = ("NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION")  # GitHub's, as markdown-it knows
_WORDS = {kind: f"Note_{kind.capitalize()}_Title" for kind in KINDS}  # their labels
_TITLED = re.compile(r"^\[!(" + "|".join(KINDS) + r")\][ \t]+(\S.*)$", re.IGNORECASE)


def alerts_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("block", "docsite_titled_alerts", _titled_alerts)


def _titled_alerts(state: StateCore) -> None:
    if "[!" not in state.src:  # no alert on the page: nothing to walk
        return
    tokens = state.tokens
    ctx = state.env.get("docsite") if isinstance(state.env, dict) else None
    index = 0
    while index < len(tokens):
        if _is_titled_alert(tokens, index):
            _convert(tokens, index)
        elif tokens[index].type == "alert_open" and "titled" not in tokens[index].meta and ctx:
            # markdown-it titles an alert by its kind, in English: the site's word instead.
            title = tokens[index + 2]
            title.content = ctx.word(_WORDS[tokens[index].meta["kind"]])
        index += 1


def _is_titled_alert(tokens: list[Token], index: int) -> bool:
    return (
        tokens[index].type == "blockquote_open"
        and index + 2 < len(tokens)
        and tokens[index + 1].type == "paragraph_open"
        and tokens[index + 2].type == "inline"
        and _TITLED.match(tokens[index + 2].content.partition("\n")[0].strip()) is not None
    )


def _convert(tokens: list[Token], index: int) -> None:
    opening, paragraph, inline = tokens[index], tokens[index + 1], tokens[index + 2]
    first, _, rest = inline.content.partition("\n")
    match = _TITLED.match(first.strip())
    assert match is not None  # checked by _is_titled_alert
    kind, title = match.group(1).upper(), match.group(2).strip()
    close = next(
        i
        for i in range(index + 1, len(tokens))
        if tokens[i].type == "blockquote_close" and tokens[i].level == opening.level
    )
    for token, kind_of in ((opening, "alert_open"), (tokens[close], "alert_close")):
        token.type, token.tag = kind_of, "div"
    opening.attrSet("class", f"markdown-alert markdown-alert-{kind.lower()}")
    opening.info, opening.meta = kind, {"kind": kind, "titled": True}
    title_open = Token("alert_title_open", "p", 1, level=opening.level + 1, block=True)
    title_open.attrSet("class", "markdown-alert-title")
    title_open.map = paragraph.map
    title_inline = Token("inline", "", 0, level=opening.level + 2, block=True, content=title)
    title_inline.map, title_inline.children = paragraph.map, []
    title_close = Token("alert_title_close", "p", -1, level=opening.level + 1, block=True)
    if rest.strip():
        inline.content = rest
        if paragraph.map:
            paragraph.map = [paragraph.map[0] + 1, paragraph.map[1]]
            inline.map = paragraph.map
        tokens[index + 1 : index + 1] = [title_open, title_inline, title_close]
    else:  # the title was the paragraph's only line
        tokens[index + 1 : index + 4] = [title_open, title_inline, title_close]
