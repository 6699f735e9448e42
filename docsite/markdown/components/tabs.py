"""Tabs: `+++ Tab 1` ... `+++ Tab 2` ... `+++`.

The HTML is an ARIA tablist whose first tab is selected. Without JavaScript every panel is
shown under its own title (CSS, `@media (scripting: none)`); components.js switches tabs,
and tabs with the same title switch together across the page. Tabs that hold only a code
block each are a code group, styled as one block of code with a tab per file.
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
    add_html_rules,
    block_rule,
    context,
    parse_content,
    push_inline,
)
from docsite.markdown.context import RenderContext

KIND = BlockKind("tab", "+", stacked=True, warn_glued=True)


def tabs_plugin(md: MarkdownIt) -> None:
    add_block_rule(md, KIND.char, block_rule(KIND, _emit))
    md.add_render_rule("tabs_open", _render_tabs_open)
    md.add_render_rule("tab_open", _render_tab_open)
    md.add_render_rule("tab_panel_open", _render_panel_open)
    add_html_rules(
        md,
        {
            "tabs_close": "</div>\n",
            "tab_list_open": '<div class="tabs-list" role="tablist">\n',
            "tab_list_close": "</div>\n",
            "tab_close": "</a>\n",
            "tab_panel_close": "</div>\n",
        },
    )


def tab_key(title: str) -> str:
    """What makes two tabs 'the same tab' for switching together: the title's words."""
    return " ".join(re.sub(r"[*_`~]", "", title).lower().split())


def _emit(state: StateBlock, start: int, block: Block, opening: Marker) -> None:
    base = f"tabs-L{start + 1}"  # unique in the page, and never a heading slug
    opener = state.push("tabs_open", "div", 1)
    opener.map = [start, block.stop]
    opener.markup = opening.raw
    opener.meta = {"id": base, "code_group": False}
    state.push("tab_list_open", "div", 1)
    shared = []
    for index, item in enumerate(block.items, 1):
        tab = state.push("tab_open", "a", 1)
        tab.map = [item.line, item.line + 1]
        title, attrs = opener_attributes(context(state), tab, item.marker.text)
        if attrs.get("id"):
            tab.attrSet("id", attrs.pop("id"))
        # The tab is an anchor (`#tab-2` selects it); its panel takes the other attributes.
        tab.meta = {"anchor": True, **_ids(base, index, title), "attrs": attrs}
        shared.append(tab.meta)
        push_inline(state, title, item.line)
        state.push("tab_close", "a", -1)
    state.push("tab_list_close", "div", -1)
    only_code = True
    for item, ids in zip(block.items, shared, strict=True):
        panel = state.push("tab_panel_open", "div", 1)
        panel.meta = {"of": ids}  # the tab's: its id is known once the page's anchors are
        first = len(state.tokens)
        parse_content(state, item.line + 1, item.end)
        only_code = only_code and _is_single_code_block(state.tokens[first:])
        state.push("tab_panel_close", "div", -1)
    opener.meta["code_group"] = only_code
    state.push("tabs_close", "div", -1)


def _ids(base: str, index: int, title: str) -> dict[str, Any]:
    return {
        "tab": f"{base}-{index}-tab",
        "panel": f"{base}-{index}",
        "selected": index == 1,
        "key": tab_key(title),
        "title": re.sub(r"[*_`]", "", title).strip(),
    }


def _is_single_code_block(tokens: list[Token]) -> bool:
    return len(tokens) == 1 and tokens[0].type == "fence"


def _render_tabs_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    classes = "tabs code-group" if meta["code_group"] else "tabs"
    return f'<div class="{classes}" id="{meta["id"]}" data-tabs>\n'


def _render_tab_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    _unlink_title(tokens[idx], tokens[idx + 1], env.get("docsite"))
    meta["tab"] = escapeHtml(str(tokens[idx].attrGet("id") or meta["tab"]))  # for its panel
    selected = "true" if meta["selected"] else "false"
    # A link to itself, so a reader can copy the tab's address (Retype's tab page).
    return (
        f'<a role="tab" class="tab" id="{meta["tab"]}" href="#{meta["tab"]}" '
        f'aria-controls="{meta["panel"]}" aria-selected="{selected}" '
        f'tabindex="{0 if meta["selected"] else -1}" data-tab-key="{escapeHtml(meta["key"])}">'
    )


def _unlink_title(tab: Token, title: Token, ctx: RenderContext | None) -> None:
    """A tab is a link to its own address, and links do not nest: a link in its title is
    shown as its text, with a warning."""
    children = title.children or []
    if not any(child.type == "link_open" for child in children):
        return
    title.children = [c for c in children if c.type not in ("link_open", "link_close")]
    if ctx is not None:
        ctx.warning(
            tab,
            "[",
            "a tab's title holds a link, but the tab is itself a link to its own address; "
            "the link is shown as text",
            "put the link in the tab's content",
        )


def _render_panel_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta["of"]
    active = " is-active" if meta["selected"] else ""
    attributes = html_attributes(meta["attrs"], f"tab-panel{active}", skip=("id",))
    return (
        f'<div{attributes} role="tabpanel" id="{meta["panel"]}" '
        f'aria-labelledby="{meta["tab"]}" tabindex="0" '
        f'data-title="{escapeHtml(meta["title"])}">\n'
    )
