"""Badges: `[!badge NEW]`, `[!badge NEW|info]`, `[!badge text="Beta" variant="warning"]`, and
linked `[!badge Docs](page.md)`; with `corners`, `size` and `icon`."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from docsite.diagnostics import did_you_mean
from docsite.markdown.components.calls import Call, add_call_rule, check_attributes
from docsite.markdown.components.icons import emoji_text
from docsite.markdown.components.targets import resolve_target
from docsite.markdown.components.variants import checked_variant
from docsite.markdown.context import RenderContext

ATTRIBUTES = ("text", "variant", "corners", "size", "icon", "iconAlign", "target")
CORNERS = ("round", "square", "pill")
SIZES = ("xs", "s", "m", "l", "xl")


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


def check_icon(call: Call, ctx: RenderContext, block: Token) -> str:
    value = call.get("icon")
    html = ctx.icon(value) if value else ""
    if value and not html:
        ctx.warning(
            block,
            f'icon="{value}',
            f"unknown icon '{value}' in [!{call.kind}]; nothing is shown",
            ctx.icon_hint(value),
        )
    return html


def _check(token: Token, call: Call, block: Token, ctx: RenderContext) -> None:
    check_attributes(call, ATTRIBUTES, ctx, block)
    text = call.get("text", call.text)
    if not text.strip():
        ctx.error(block, call.source, "[!badge] has no text", "write it as [!badge NEW]")
    variant_value = call.get("variant", call.variant)
    token.meta.update(
        text=emoji_text(text),
        variant=checked_variant(variant_value, "base", ctx, block, variant_value or call.source),
        corners=check_choice(call, "corners", CORNERS, ctx, block),
        size=check_choice(call, "size", SIZES, ctx, block),
        icon=check_icon(call, ctx, block),
        icon_right=call.get("iconAlign").lower() == "right",
        href=None,
    )
    if call.link:
        target = resolve_target(call.link, ctx, block, call.kind)
        token.meta["href"] = target.href if target else None
        token.meta["blank"] = call.get("target").lower() == "blank"


def classes(meta: dict[str, Any], base: str) -> str:
    names = [base, f"{base}-{meta['variant']}"]
    if meta.get("corners"):
        names.append(f"{base}-{meta['corners']}")
    if meta.get("size"):
        names.append(f"{base}-{meta['size']}")
    return " ".join(names)


def inner_html(meta: dict[str, Any]) -> str:
    text = f"<span>{escapeHtml(meta['text'])}</span>" if meta["icon"] else escapeHtml(meta["text"])
    return text + meta["icon"] if meta.get("icon_right") else meta["icon"] + text


def link_attrs(meta: dict[str, Any]) -> str:
    blank = ' target="_blank" rel="noopener"' if meta.get("blank") else ""
    return f' href="{escapeHtml(meta["href"])}"{blank}'


def _render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    if "variant" not in meta:  # rendered without a page context
        return escapeHtml(meta["call"].text or meta["call"].get("text"))
    if meta["href"]:
        return f'<a class="{classes(meta, "badge")}"{link_attrs(meta)}>{inner_html(meta)}</a>'
    return f'<span class="{classes(meta, "badge")}">{inner_html(meta)}</span>'
