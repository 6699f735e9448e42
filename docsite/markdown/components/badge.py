"""Badges: `[!badge NEW]`, `[!badge NEW|info]`, `[!badge text="Beta" variant="warning"]`,
linked `[!badge Docs](page.md)`, or running an action `[!badge Print](action:print-page)`;
with `corners`, `size`, `icon`, `iconAlign`, `target` and `margin`."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from docsite.diagnostics import did_you_mean
from docsite.markdown.components.calls import Call, add_call_rule, check_attributes
from docsite.markdown.components.icons import emoji_text
from docsite.markdown.components.looks import (
    component_icon,
    element,
    resolve_destination,
    style_value,
)
from docsite.markdown.components.variants import checked_variant
from docsite.markdown.context import RenderContext

ATTRIBUTES = (
    "text",
    "variant",
    "corners",
    "size",
    "icon",
    "iconAlign",
    "target",
    "margin",
    "action",
)
CORNERS = ("round", "square", "pill")
SIZES = ("xs", "s", "m", "l", "xl", "2xl", "3xl")


def badge_plugin(md: MarkdownIt) -> None:
    add_call_rule(md, "badge", _check)
    md.add_render_rule("badge", _render)


def check_choice(
    call: Call, name: str, choices: tuple[str, ...], ctx: RenderContext, block: Token
) -> str:
    """An attribute limited to a few values: '' (the default) after a warning on a typo."""
    value = call.get(name).strip().lower()
    if value and value not in choices:
        ctx.warning(
            block,
            f'{name}="{call.get(name)}',
            f"unknown {name} '{call.get(name)}' in [!{call.kind}]; it is ignored",
            did_you_mean(value, choices) or f"{name} is one of: " + ", ".join(choices),
        )
        return ""
    return value


def check_look(
    token: Token, call: Call, block: Token, ctx: RenderContext, default_variant: str
) -> None:
    """What badges and buttons share: text, variant, corners, size, icon, margin, and where
    they go. A badge or button may be text only, an icon only, or both."""
    text = call.get("text", call.text)
    variant_value = call.get("variant", call.variant)
    token.meta.update(
        text=emoji_text(text),
        variant=checked_variant(
            variant_value, default_variant, ctx, block, variant_value or call.source
        ),
        corners=check_choice(call, "corners", CORNERS, ctx, block),
        size=check_choice(call, "size", SIZES, ctx, block),
        icon=component_icon(call, ctx, block),
        icon_right=call.get("iconAlign").lower() == "right",
        margin=style_value(call, "margin", ctx, block),
    )
    if not text.strip() and not call.get("icon").strip():
        ctx.error(
            block,
            call.source,
            f"[!{call.kind}] has neither text nor icon",
            f'write it as [!{call.kind} NEW] or [!{call.kind} icon="rocket"]',
        )
    resolve_destination(token, call, ctx, block)


def _check(token: Token, call: Call, block: Token, ctx: RenderContext) -> None:
    check_attributes(call, ATTRIBUTES, ctx, block)
    check_look(token, call, block, ctx, "primary")


def classes(meta: dict[str, Any], base: str) -> str:
    names = [base, f"{base}-{meta['variant']}"]
    if meta.get("corners"):
        names.append(f"{base}-{meta['corners']}")
    if meta.get("size"):
        names.append(f"{base}-{meta['size']}")
    if meta["icon"] and not meta["text"]:
        names.append(f"{base}-icon-only")
    return " ".join(names)


def inner_html(meta: dict[str, Any]) -> str:
    if not meta["text"]:
        return meta["icon"]
    text = f"<span>{escapeHtml(meta['text'])}</span>" if meta["icon"] else escapeHtml(meta["text"])
    return text + meta["icon"] if meta.get("icon_right") else meta["icon"] + text


def render_look(tokens: list[Token], idx: int, env: Any, base: str) -> str:
    meta = tokens[idx].meta
    if "variant" not in meta:  # rendered without a page context
        return escapeHtml(meta["call"].text or meta["call"].get("text"))
    return element(meta, classes(meta, base), inner_html(meta), env.get("docsite"))


def _render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return render_look(tokens, idx, env, "badge")
