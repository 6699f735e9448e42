"""Reference links: `[!ref](page.md)` shows the target page's label; `[!ref Text](page.md)` or
`[!ref text="..." icon="rocket"](page.md)` set the text and icon; `(action:print-page)` or
`action="print-page"` run an action instead."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from docsite.markdown.components.calls import Call, add_call_rule, check_attributes
from docsite.markdown.components.icons import emoji_text
from docsite.markdown.components.looks import component_icon, element, resolve_destination
from docsite.markdown.components.targets import missing_link
from docsite.markdown.context import RenderContext

ATTRIBUTES = ("text", "icon", "target", "action")


def reference_plugin(md: MarkdownIt) -> None:
    add_call_rule(md, "ref", _check)
    md.add_render_rule("ref", _render)


def _check(token: Token, call: Call, block: Token, ctx: RenderContext) -> None:
    check_attributes(call, ATTRIBUTES, ctx, block)
    token.meta.update(text=emoji_text(call.get("text", call.text)))
    token.meta["icon"] = component_icon(call, ctx, block, fallback="file")
    resolve_destination(token, call, ctx, block)
    if not call.link and not token.meta["action"] and not call.get("action"):
        missing_link(ctx, block, call.source, "ref")
        return
    if not token.meta["text"]:
        page = token.meta.get("page")
        token.meta["text"] = page.label if page else (call.link or call.get("action"))


def _render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    text = escapeHtml(meta.get("text") or meta["call"].text or meta["call"].link or "")
    if "icon" not in meta or not (meta.get("href") or meta.get("action")):
        return f'<span class="ref-link">{text}</span>'
    inner = f'{meta["icon"]}<span class="ref-text">{text}</span>'
    if meta.get("href"):  # where it goes, at the right, as Retype shows it
        inner += f'<span class="ref-url">{escapeHtml(meta["href"])}</span>'
    return element(meta, "ref-link", inner, env.get("docsite"))
