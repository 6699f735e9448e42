"""Cards: `[!card](page.md)`, a link box with the target page's label, description and image."""

from __future__ import annotations

import posixpath
import urllib.parse
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from docsite.markdown.components.calls import Call, add_call_rule, check_attributes
from docsite.markdown.components.icons import emoji_text
from docsite.markdown.components.targets import checked_url, missing_link, resolve_target
from docsite.markdown.context import RenderContext
from docsite.pages import Page
from docsite.urls import EXTERNAL_URL, root_prefix

ATTRIBUTES = ("text", "description", "image")


def card_plugin(md: MarkdownIt) -> None:
    add_call_rule(md, "card", _check)
    md.add_render_rule("card", _render)


def _check(token: Token, call: Call, block: Token, ctx: RenderContext) -> None:
    check_attributes(call, ATTRIBUTES, ctx, block)
    token.meta.update(href=None, title=call.get("text", call.text), text="", image="")
    if not call.link:
        missing_link(ctx, block, call.source, "card")
        return
    target = resolve_target(call.link, ctx, block, call.kind)
    if target is None:
        return
    page = target.page
    token.meta["href"] = target.href
    token.meta["title"] = emoji_text(token.meta["title"] or (page.label if page else call.link))
    token.meta["text"] = call.get("description", page.settings.description if page else "")
    image = call.get("image") or (page.settings.image if page else "")
    if image:
        token.meta["image"] = _image_href(image, page or ctx.page, ctx, block)


def _image_href(image: str, owner: Page, ctx: RenderContext, block: Token) -> str:
    """The image of the target page, written relative to that page, as seen from this one."""
    if not checked_url(image, "[!card] image", ctx, block, image=True):
        return ""
    if EXTERNAL_URL.match(image):
        return image
    if image.startswith("/"):
        rel = posixpath.normpath(image.lstrip("/"))
    else:
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(owner.source.rel), image))
    if rel not in ctx.asset_paths:
        ctx.warning(
            block,
            "[!card",
            f"the card's image '{image}' (of {owner.source.shown}) does not exist; it is left out",
            "put the image inside content/ and give its path relative to that page",
        )
        return ""
    return root_prefix(ctx.page.url) + urllib.parse.quote(rel)


def _render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    title = escapeHtml(meta.get("title") or meta["call"].link or "")
    if not meta.get("href"):
        return f'<span class="card">{title}</span>'
    image = (
        f'<span class="card-image"><img src="{escapeHtml(meta["image"])}" alt="" '
        'loading="lazy"></span>'
        if meta["image"]
        else ""
    )
    text = f'<span class="card-text">{escapeHtml(meta["text"])}</span>' if meta["text"] else ""
    return (
        f'<a class="card" href="{escapeHtml(meta["href"])}">{image}'
        f'<span class="card-body"><span class="card-title">{title}</span>{text}</span></a>'
    )
