"""Math: `$inline$` and `$$display$$`, turned into MathML at build time (no script needed)."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

from docsite.markdown.context import RenderContext

_INLINE = ("math_inline", "math_inline_double")
_BLOCK = ("math_block", "math_block_label")


def math_plugin(md: MarkdownIt) -> None:
    # No spaces or digits next to the dollars, so prices like $5 and $10 stay text.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, allow_blank_lines=False)
    md.core.ruler.push("docsite_math", _convert_all)
    for name in (*_INLINE, *_BLOCK):
        md.add_render_rule(name, _render)


def to_mathml(latex: str, display: bool) -> str:
    from latex2mathml.converter import convert  # only pages with math pay for loading it

    return convert(latex, display="block" if display else "inline")


def _convert_all(state: StateCore) -> None:
    ctx: RenderContext | None = state.env.get("docsite")
    for token in state.tokens:
        if token.type in _BLOCK:
            _convert(token, token, True, ctx)
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type in _INLINE:
                    _convert(child, token, child.type == "math_inline_double", ctx)


def _convert(token: Token, block: Token, display: bool, ctx: RenderContext | None) -> None:
    try:
        token.meta["mathml"] = to_mathml(token.content.strip(), display)
    except Exception as exc:  # latex2mathml raises many types; a bad formula must not stop a build
        token.meta["mathml"] = ""
        if ctx is not None:
            ctx.error(
                block,
                token.content.strip()[:20],
                f"cannot read this math: {exc or type(exc).__name__}",
                "check the LaTeX; it is shown as source until it converts",
            )


def _render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    display = token.type in _BLOCK or token.type == "math_inline_double"
    mathml = token.meta.get("mathml") or ""
    if not mathml:
        mathml = f'<code class="math-source">{escapeHtml(token.content.strip())}</code>'
    if display:
        return f'<div class="math math-display">{mathml}</div>\n'
    return f'<span class="math">{mathml}</span>'
