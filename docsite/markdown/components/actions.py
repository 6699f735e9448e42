"""Actions (`action="print-page"`, or `(action:print-page)` as a link): components that
name a built-in action, or one of the project's own that runs in the browser, render as a
`<button data-action>` that components.js runs (with the steps of a project's action as
`data-steps`). A project's action that gives a link is a link (calls.built_action_call)."""

from __future__ import annotations

import json

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from docsite.diagnostics import did_you_mean
from docsite.markdown.components.calls import Call
from docsite.markdown.context import RenderContext
from docsite.markdown.links import is_safe_link
from docsite.presentation import BUILT_IN_ACTIONS
from docsite.urls import root_prefix

BUILT_IN = BUILT_IN_ACTIONS
# Actions that read the page's Markdown copy, whose address the button carries.
_READ_MARKDOWN = ("copy-page-markdown", "view-page-markdown")


def wants_action(call: Call) -> bool:
    """Whether the call names an action rather than a link."""
    return bool(call.get("action").strip()) or (call.link or "").startswith("action:")


def checked_action(call: Call, ctx: RenderContext, block: Token) -> str:
    """The built-in action a call names; '' after a warning when docsite has no such action."""
    written = call.get("action").strip()
    name = (written or (call.link or "").removeprefix("action:")).strip().lower()
    if name in BUILT_IN or (ctx.actions is not None and name in ctx.actions):
        return name
    what = "the link" if call.kind == "link" else f"[!{call.kind}]"
    known = [*BUILT_IN, *(ctx.actions.definitions if ctx.actions is not None else ())]
    ctx.warning(
        block,
        written or call.link or call.source,
        f"{what} runs the action '{name}', which is neither built in nor defined in "
        "_components/actions/; it is shown without one",
        did_you_mean(name, known) or "built-in actions: " + ", ".join(BUILT_IN),
    )
    return ""


def action_attrs(action: str, ctx: RenderContext) -> str:
    """The attributes of a `<button>` that runs an action."""
    attrs = f' type="button" data-action="{escapeHtml(action)}"'
    custom = ctx.custom_action(action)
    if custom is not None:
        attrs += f' data-steps="{escapeHtml(json.dumps(custom.steps, default=str))}"'
    elif action in _READ_MARKDOWN:
        copy = ctx.page.markdown_path
        attrs += f' data-markdown="{escapeHtml(root_prefix(ctx.page.url) + copy)}"'
    return attrs


def action_links_plugin(md: MarkdownIt) -> None:
    """Plain links and linked images to `action:<name>` become buttons running the action."""
    md.core.ruler.push("docsite_action_links", _action_links)


def _action_links(state: StateCore) -> None:
    ctx: RenderContext | None = state.env.get("docsite")
    if ctx is None or "action:" not in state.src:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        opened: list[Token | None] = []
        for token in block.children:
            if token.type == "link_open":
                href = token.attrGet("href")
                is_action = isinstance(href, str) and href.startswith("action:")
                opened.append(token if is_action else None)
                if is_action:
                    _to_button(token, str(href), ctx, block)
            elif token.type == "link_close" and opened:
                opener = opened.pop()
                if opener is not None:
                    token.tag = opener.tag


def _to_button(token: Token, href: str, ctx: RenderContext, block: Token) -> None:
    name = href.removeprefix("action:").strip().lower()
    custom = ctx.custom_action(name)
    if custom is not None and not custom.in_browser:
        token.attrSet("href", custom.link if is_safe_link(custom.link) else "")
        return
    token.attrs.pop("href", None)
    if custom is not None:
        token.tag = "button"
        token.attrSet("class", "action-link")
        token.attrSet("type", "button")
        token.attrSet("data-action", name)
        token.attrSet("data-steps", json.dumps(custom.steps, default=str))
        return
    if name not in BUILT_IN:
        checked_action(Call("link", href, "", "", {}, href), ctx, block)
        token.tag = "span"
        return
    token.tag = "button"
    token.attrSet("class", "action-link")
    token.attrSet("type", "button")
    token.attrSet("data-action", name)
    if name in _READ_MARKDOWN:
        copy = ctx.page.markdown_path
        token.attrSet("data-markdown", root_prefix(ctx.page.url) + copy)
