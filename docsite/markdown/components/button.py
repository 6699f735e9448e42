"""Buttons: `[!button Get started](guide.md)` or
`[!button text="Get started" variant="primary" icon="rocket"](guide.md)`."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from docsite.markdown.components.badge import (
    CORNERS,
    SIZES,
    check_choice,
    check_icon,
    classes,
    inner_html,
    link_attrs,
)
from docsite.markdown.components.calls import Call, add_call_rule, check_attributes
from docsite.markdown.components.icons import emoji_text
from docsite.markdown.components.targets import missing_link, resolve_target
from docsite.markdown.components.variants import checked_variant
from docsite.markdown.context import RenderContext

ATTRIBUTES = ("text", "variant", "corners", "size", "icon", "iconAlign", "target")


def button_plugin(md: MarkdownIt) -> None:
    add_call_rule(md, "button", _check)
    md.add_render_rule("button", _render)


def _check(token: Token, call: Call, block: Token, ctx: RenderContext) -> None:
    check_attributes(call, ATTRIBUTES, ctx, block)
    text = call.get("text", call.text)
    if not text.strip():
        ctx.error(
            block, call.source, "[!button] has no text", "write it as [!button Start](guide.md)"
        )
    variant_value = call.get("variant", call.variant)
    token.meta.update(
        text=emoji_text(text),
        variant=checked_variant(variant_value, "primary", ctx, block, variant_value or call.source),
        corners=check_choice(call, "corners", CORNERS, ctx, block),
        size=check_choice(call, "size", SIZES, ctx, block),
        icon=check_icon(call, ctx, block),
        icon_right=call.get("iconAlign").lower() == "right",
        blank=call.get("target").lower() == "blank",
        href=None,
    )
    if not call.link:
        missing_link(ctx, block, call.source, "button")
        return
    target = resolve_target(call.link, ctx, block, call.kind)
    token.meta["href"] = target.href if target else None


def _render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    if "variant" not in meta:
        return escapeHtml(meta["call"].text or meta["call"].get("text"))
    if meta["href"]:
        return f'<a class="{classes(meta, "button")}"{link_attrs(meta)}>{inner_html(meta)}</a>'
    return f'<span class="{classes(meta, "button")}">{inner_html(meta)}</span>'
