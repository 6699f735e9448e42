"""Inline icons `:icon-rocket:` (Octicons, as inline SVG) and emoji shortcodes `:tada:`.

Icons are inlined rather than registered with the site's IconSet: a page may be rendered in
another process, so a render cannot add to the build's icons.css.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import emoji
import octicons_pack
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from docsite.diagnostics import did_you_mean
from docsite.icons import octicon_names
from docsite.markdown.components.calls import inline_tokens
from docsite.markdown.context import RenderContext

_SHORTCODE = re.compile(r":([a-z0-9_+\-]+):")


@cache
def octicon_svg(name: str) -> str:
    """The Octicon as inline SVG that takes the text colour, or '' when there is none."""
    for size in ("16", "24", "12"):
        found = octicons_pack.get_icon(f"{name}-{size}")
        if found is not None:
            return found.svg.replace(
                "<svg ",
                f'<svg class="icon-svg octicon-{name}" width="1em" height="1em" '
                'fill="currentColor" aria-hidden="true" focusable="false" ',
                1,
            )
    return ""


def emoji_char(shortcode: str) -> str:
    """':tada:' -> '🎉', or '' when it is not a known shortcode."""
    char = emoji.emojize(shortcode, language="alias")
    return "" if char == shortcode else char


def icon_html(value: str) -> str:
    """An icon attribute (rocket, icon-rocket, :tada: or an emoji) as HTML, or ''."""
    value = value.strip()
    if not value:
        return ""
    if _SHORTCODE.fullmatch(value):
        char = emoji_char(value)
        return f'<span class="emoji" aria-hidden="true">{char}</span>' if char else ""
    if emoji.purely_emoji(value):
        return f'<span class="emoji" aria-hidden="true">{escapeHtml(value)}</span>'
    return octicon_svg(value.removeprefix("icon-"))


def unknown_icon_hint(value: str) -> str:
    name = value.strip(":").removeprefix("icon-")
    return did_you_mean(name, octicon_names()) or "use an Octicon name or an emoji like :rocket:"


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
    if ctx is None:
        return
    for block, token in inline_tokens(state.tokens, "docsite_icon"):
        if not octicon_svg(token.content):
            ctx.warning(
                block,
                token.markup,
                f"unknown icon '{token.markup}'; nothing is shown",
                unknown_icon_hint(token.content),
            )


def _render_icon(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return octicon_svg(tokens[idx].content)


def _render_emoji(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return tokens[idx].content


def emoji_text(text: str) -> str:
    """Plain text with its emoji shortcodes replaced, for component labels."""
    return emoji.emojize(text, language="alias") if ":" in text else text
