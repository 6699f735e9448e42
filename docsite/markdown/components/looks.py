"""What badges, buttons, reference links and file links share: icons given as a name, an
image path or an inline `<svg>`; `target` as Retype normalizes it; `margin`, `width` and
`maxWidth` as inline style; and how the element is written (a link, an action button, or
text)."""

from __future__ import annotations

import html
import re
import urllib.parse
from typing import Any

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from docsite.markdown.components.actions import action_attrs, checked_action, wants_action
from docsite.markdown.components.calls import Call
from docsite.markdown.components.targets import checked_url, resolve_target
from docsite.markdown.context import RenderContext
from docsite.urls import EXTERNAL_URL

_IMAGE = re.compile(r"\.(svg|png|jpe?g|gif|webp|avif|ico)([?#].*)?$", re.IGNORECASE)
_LENGTH = re.compile(r"-?\d+(\.\d+)?(px|rem|em|%|vw|vh|ch|ex)?|auto|0")
_UNSAFE_SVG = re.compile(r"<\s*(script|foreignobject)|\bon\w+\s*=|javascript:", re.IGNORECASE)
_TARGETS = {"blank": "_blank", "parent": "_parent", "top": "_top", "self": "_self"}


def component_icon(call: Call, ctx: RenderContext, block: Token, fallback: str = "") -> str:
    """The HTML of a call's `icon`: a name (Octicon, pack icon, emoji), an image file or an
    inline SVG; the fallback icon when none is given; '' after a warning when unusable."""
    value = call.get("icon").strip()
    if not value:
        return ctx.icon(fallback) if fallback else ""
    svg = html.unescape(value)
    if svg.lstrip().lower().startswith("<svg"):
        return _inline_svg(svg, call, ctx, block)
    if _IMAGE.search(value) or "/" in value:
        return _image_icon(value, call, ctx, block)
    found = ctx.icon(value)
    if not found:
        ctx.warning(
            block,
            f'icon="{value}',
            f"unknown icon '{value}' in [!{call.kind}]; nothing is shown",
            ctx.icon_hint(value),
        )
    return found


def _inline_svg(svg: str, call: Call, ctx: RenderContext, block: Token) -> str:
    if _UNSAFE_SVG.search(svg):
        ctx.warning(
            block,
            'icon="',
            f"the inline <svg> icon of [!{call.kind}] holds a script or event handler; "
            "it is left out",
            "an icon's SVG may hold shapes only",
        )
        return ""
    if "xmlns=" not in svg:
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    data = urllib.parse.quote(" ".join(svg.split()), safe=" :/=")
    style = f"--icon:url(&quot;data:image/svg+xml,{data}&quot;)"
    return f'<span class="icon" style="{style}" aria-hidden="true"></span>'


def _image_icon(value: str, call: Call, ctx: RenderContext, block: Token) -> str:
    if not checked_url(value, f"[!{call.kind}] icon", ctx, block, image=True):
        return ""
    if EXTERNAL_URL.match(value):
        src = value
    else:
        target = resolve_target(value, ctx, block, call.kind)
        if target is None:
            return ""
        src = target.href
    return f'<img class="icon icon-image" src="{escapeHtml(src)}" alt="">'


def link_target(value: str) -> str:
    """Retype's `target`: 'blank' -> '_blank', 'nEWs2' -> 'news2', 'a B' -> 'a-b'."""
    value = value.strip().lower()
    return _TARGETS.get(value, "-".join(value.split()))


def style_value(call: Call, name: str, ctx: RenderContext, block: Token) -> str:
    """A length attribute as CSS: '240' -> '240px', 'full' -> '100%', '0 8 0 0' -> '0 8px 0 0';
    '' after a warning when it is not a length."""
    raw = call.get(name).strip()
    if not raw:
        return ""
    if raw.lower() == "full":
        return "100%"
    parts = raw.split()
    if len(parts) > (4 if name == "margin" else 1) or not all(_LENGTH.fullmatch(p) for p in parts):
        ctx.warning(
            block,
            f'{name}="{raw}',
            f"[!{call.kind}] {name}='{raw}' is not a length; it is ignored",
            "write a number of pixels (240), a CSS length (24rem, 50%) or full",
        )
        return ""
    return " ".join(_pixels(p) for p in parts)


def _pixels(part: str) -> str:
    return part + "px" if re.fullmatch(r"-?\d+(\.\d+)?", part) and part != "0" else part


def style_attr(meta: dict[str, Any]) -> str:
    rules = [
        f"{css}: {meta[key]}"
        for key, css in (("margin", "margin"), ("width", "width"), ("max_width", "max-width"))
        if meta.get(key)
    ]
    return f' style="{escapeHtml("; ".join(rules))}"' if rules else ""


def resolve_destination(token: Token, call: Call, ctx: RenderContext, block: Token) -> None:
    """Fill token.meta with where the call goes: `action`, or `href` (and `target`)."""
    token.meta.update(href=None, action="", target=link_target(call.get("target")))
    if wants_action(call):
        token.meta["action"] = checked_action(call, ctx, block)
        return
    if call.link:
        found = resolve_target(call.link, ctx, block, call.kind)
        token.meta["href"] = found.href if found else None
        token.meta["page"] = found.page if found else None


def element(meta: dict[str, Any], classes: str, inner: str, ctx: RenderContext | None) -> str:
    """A link, a button running an action, or a span, holding `inner`."""
    attrs = f' class="{classes}"{style_attr(meta)}'
    if meta.get("action") and ctx is not None:
        return f"<button{attrs}{action_attrs(meta['action'], ctx)}>{inner}</button>"
    if meta.get("href"):
        target = meta.get("target")
        if target:
            attrs += f' target="{escapeHtml(target)}"'
            if target == "_blank":
                attrs += ' rel="noopener"'
        return f'<a{attrs} href="{escapeHtml(meta["href"])}">{inner}</a>'
    return f"<span{attrs}>{inner}</span>"
