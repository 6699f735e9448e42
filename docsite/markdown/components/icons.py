"""Inline icons `:icon-rocket:` (an Octicon or a custom SVG) and emoji shortcodes `:tada:`.

Icons come from the site's IconSet like every other icon; the render reports which ones it
used, so the build's icons.css holds them.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from docsite.emojis import shortcode_emoji
from docsite.markdown.components.calls import inline_tokens
from docsite.markdown.context import RenderContext

_SHORTCODE = re.compile(r":([a-z0-9_+\-]+):")


def emoji_char(shortcode: str) -> str:
    """':tada:' -> '🎉', or '' when it is not a known shortcode."""
    return shortcode_emoji(shortcode.strip(":"))


def icons_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("emphasis", "docsite_icon", _icon_rule)
    md.core.ruler.push("docsite_icons", _check_icons)
    md.add_render_rule("docsite_icon", _render_icon)
    md.add_render_rule("docsite_emoji", _render_emoji)


def _icon_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != ":":
        return False
    match = _SHORTCODE.match(state.src, state.pos)
    if match is None:
        return False
    name = match.group(1)
    if name.startswith("icon-"):
        if not silent:
            token = state.push("docsite_icon", "", 0)
            token.content = name.removeprefix("icon-")
            token.markup = match.group(0)
    else:
        char = emoji_char(match.group(0))
        if not char:
            return False
        if not silent:
            token = state.push("docsite_emoji", "", 0)
            token.content = char
            token.markup = match.group(0)
    state.pos = match.end()
    return True


def _check_icons(state: StateCore) -> None:
    ctx: RenderContext | None = state.env.get("docsite")
    if ctx is None or ":icon-" not in state.src:  # no icon shortcode: no walk
        return
    for block, token in inline_tokens(state.tokens, "docsite_icon"):
        if ctx.icons.resolve(token.content) is None:
            ctx.warning(
                block,
                token.markup,
                f"unknown icon '{token.markup}'; nothing is shown",
                ctx.icon_hint(token.content),
            )


def _render_icon(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    ctx: RenderContext | None = env.get("docsite")
    return ctx.icon(tokens[idx].content) if ctx is not None else ""


def _render_emoji(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return tokens[idx].content


def emoji_text(text: str) -> str:
    """Plain text with its emoji shortcodes replaced, for component labels."""
    if ":" not in text:
        return text
    return _SHORTCODE.sub(lambda m: shortcode_emoji(m.group(1)) or m.group(0), text)
