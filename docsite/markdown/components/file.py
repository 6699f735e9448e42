"""File downloads: `[!file](files/spec.pdf)` with the file's name and size, or
`[!file Specification](files/spec.pdf)` with a name of your own; `icon` sets the icon, and
`(action:print-page)` or `action="print-page"` run an action instead."""

from __future__ import annotations

import posixpath
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from docsite.diagnostics import DiagnosticError
from docsite.markdown.components.calls import Call, add_call_rule, check_attributes
from docsite.markdown.components.icons import emoji_text
from docsite.markdown.components.looks import component_icon, element, resolve_destination
from docsite.markdown.components.targets import content_path, find_asset, missing_link
from docsite.markdown.context import RenderContext
from docsite.urls import EXTERNAL_URL

ATTRIBUTES = ("text", "icon", "action")


def file_plugin(md: MarkdownIt) -> None:
    add_call_rule(md, "file", _check)
    md.add_render_rule("file", _render)


def human_size(size: int) -> str:
    """1536 -> '1.5 KB', in the units people read on download links."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def _check(token: Token, call: Call, block: Token, ctx: RenderContext) -> None:
    check_attributes(call, ATTRIBUTES, ctx, block)
    token.meta.update(name=emoji_text(call.get("text", call.text)), size="")
    token.meta["icon"] = component_icon(call, ctx, block, fallback="download")
    resolve_destination(token, call, ctx, block)
    if token.meta["action"] or call.get("action"):
        token.meta["name"] = token.meta["name"] or call.get("action")
        return
    if not call.link:
        missing_link(ctx, block, call.source, "file")
        return
    if token.meta["href"] is None:
        return
    rel = content_path(call.link, ctx)
    token.meta["name"] = token.meta["name"] or posixpath.basename(rel.rstrip("/")) or call.link
    external = EXTERNAL_URL.match(call.link)
    asset = None if external or token.meta.get("page") else find_asset(rel, ctx)
    if asset is None:
        return
    try:
        size = ctx.files.size(str(asset.path)) if ctx.files else asset.path.stat().st_size
    except DiagnosticError as exc:  # removed since the build found it, or unreadable
        fault = exc.diagnostics[0]
        ctx.error(block, call.source, f"[!file] '{call.link}': {fault.message}", fault.hint)
        return
    token.meta["size"] = human_size(size)


def _render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    name = escapeHtml(meta.get("name") or meta["call"].link or "")
    if "icon" not in meta or not (meta.get("href") or meta.get("action")):
        return f'<span class="file-link">{name}</span>'
    size = f'<span class="file-size">{meta["size"]}</span>' if meta["size"] else ""
    inner = f'{meta["icon"]}<span class="file-name">{name}</span>{size}'
    if meta.get("href"):
        return f'<a class="file-link" href="{escapeHtml(meta["href"])}" download>{inner}</a>'
    return element(meta, "file-link", inner, env.get("docsite"))
