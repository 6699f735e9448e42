"""Reference links: `[!ref](page.md)` shows the target page's label; `[!ref Text](page.md)` or
`[!ref text="..." icon="rocket"](page.md)` set the text and icon."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from docsite.markdown.components.badge import check_icon
from docsite.markdown.components.calls import Call, add_call_rule, check_attributes
from docsite.markdown.components.icons import emoji_text
from docsite.markdown.components.targets import missing_link, resolve_target
from docsite.markdown.context import RenderContext

ATTRIBUTES = ("text", "icon", "target")


def reference_plugin(md: MarkdownIt) -> None:
    add_call_rule(md, "ref", _check)
    md.add_render_rule("ref", _render)


def _check(token: Token, call: Call, block: Token, ctx: RenderContext) -> None:
    check_attributes(call, ATTRIBUTES, ctx, block)
    token.meta.update(href=None, text=emoji_text(call.get("text", call.text)))
    token.meta["icon"] = check_icon(call, ctx, block) or ctx.icon("file")
    if not call.link:
        missing_link(ctx, block, call.source, "ref")
        return
    target = resolve_target(call.link, ctx, block, call.kind)
    if target is None:
        return
    token.meta["href"] = target.href
    token.meta["blank"] = call.get("target").lower() == "blank"
    if not token.meta["text"]:
        token.meta["text"] = target.page.label if target.page else call.link


def _render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    text = escapeHtml(meta.get("text") or meta["call"].text or meta["call"].link or "")
    if not meta.get("href"):
        return f'<span class="ref-link">{text}</span>'
    blank = ' target="_blank" rel="noopener"' if meta.get("blank") else ""
    return (
        f'<a class="ref-link" href="{escapeHtml(meta["href"])}"{blank}>'
        f'{meta["icon"]}<span class="ref-text">{text}</span></a>'
    )
