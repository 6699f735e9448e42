"""List pair cards: a list of wikilinks, each with one nested item, is a group of compact cards.

- [[Installation]]
  - Install the command line tool.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# The tokens of one pair, by type: the wikilink's item, then its nested one-item list.
_PAIR = (
    "list_item_open",
    "paragraph_open",
    "inline",
    "paragraph_close",
    "bullet_list_open",
    "list_item_open",
    "paragraph_open",
    "inline",
    "paragraph_close",
    "list_item_close",
    "bullet_list_close",
    "list_item_close",
)


def cardlist_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("docsite_card_list", _card_lists)
    md.add_render_rule("card_list", _render)


def _card_lists(state: StateCore) -> None:
    if "[[" not in state.src:  # list-pair cards are lists of wikilinks
        return
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        if tokens[index].type == "bullet_list_open":
            end = _list_end(tokens, index)
            pairs = _pairs(tokens[index + 1 : end])
            if pairs:
                card_list = Token("card_list", "div", 0)
                card_list.map = tokens[index].map
                card_list.meta = {"cards": pairs}
                tokens[index : end + 1] = [card_list]
        index += 1


def _list_end(tokens: list[Token], start: int) -> int:
    depth = 0
    for index in range(start, len(tokens)):
        if tokens[index].type == "bullet_list_open":
            depth += 1
        elif tokens[index].type == "bullet_list_close":
            depth -= 1
            if depth == 0:
                return index
    return len(tokens) - 1


def _pairs(items: list[Token]) -> list[tuple[Token, Token, list[Token]]]:
    """(link_open, title text, description tokens) per pair; [] unless every item is one."""
    if not items or len(items) % len(_PAIR):
        return []
    pairs = []
    for start in range(0, len(items), len(_PAIR)):
        chunk = items[start : start + len(_PAIR)]
        if tuple(t.type for t in chunk) != _PAIR:
            return []
        link = [t for t in chunk[2].children or [] if t.type != "text" or t.content.strip()]
        kinds = [t.type for t in link]
        if kinds != ["link_open", "text", "link_close"] or link[0].attrGet("class") != "wikilink":
            return []
        pairs.append((link[0], link[1], chunk[7].children or []))
    return pairs


def _render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    cards = []
    for opening, text, description in tokens[idx].meta["cards"]:
        page = opening.meta.get("page")
        labelled = opening.meta.get("labelled")
        title = page.label if page is not None and not labelled else text.content
        about = self.renderInlineAsText(description, options, env)
        cards.append(
            f'<a class="card card-compact" href="{escapeHtml(str(opening.attrGet("href")))}">'
            f'<span class="card-body"><span class="card-title">{escapeHtml(title)}</span>'
            f'<span class="card-text">{escapeHtml(about)}</span></span></a>'
        )
    return '<div class="cards cards-compact">' + "\n".join(cards) + "</div>\n"
