"""Math: `$inline$` and `$$display$$`, turned into MathML at build time (no script needed)."""

from __future__ import annotations

import re
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


class UnsupportedMath(ValueError):
    """LaTeX that KaTeX reads but latex2mathml would write out as its source."""


def to_mathml(latex: str, display: bool) -> str:
    """MathML for LaTeX as KaTeX reads it; UnsupportedMath names a command latex2mathml
    cannot render, rather than letting it print the command's name."""
    from latex2mathml.converter import convert  # only pages with math pay for loading it

    mathml = convert(_prepared(latex), display="block" if display else "inline")
    mathml = _DELIMITER.sub(_delimiter_char, mathml)
    left = _LEFT_OVER.search(mathml)
    if left is not None:
        raise UnsupportedMath(f"docsite's MathML converter cannot render '{left.group(1)}'")
    return mathml


# A sized delimiter written as a command (\bigg\{, \Big\langle) comes out as its source.
_DELIMITER = re.compile(r"(<mo\b[^>]*>)(\\[A-Za-z]+|\\[{}|])(</mo>)")
# Text of the MathML that still holds a command: something the converter did not know.
_LEFT_OVER = re.compile(r">[^<]*?(\\(?:[A-Za-z]+|[{}|]))[^<]*<")
_TEXT = re.compile(r"\\text\s*\{")
_SUBSTACK = re.compile(r"\\substack\s*\{")


def _delimiter_char(match: re.Match[str]) -> str:
    from latex2mathml.symbols_parser import convert_symbol

    code = convert_symbol(match.group(2))
    if code is None:
        return match.group(0)
    return f"{match.group(1)}&#x{code};{match.group(3)}"


def _prepared(latex: str) -> str:
    """KaTeX spellings latex2mathml lacks: \\KaTeX, and math inside \\text{... $x$ ...}."""
    latex = _grouped_substacks(latex.replace("\\KaTeX", "\\text{KaTeX}"))
    out, pos = [], 0
    for match in _TEXT.finditer(latex):
        if match.start() < pos:
            continue
        end = _closing_brace(latex, match.end())
        if end is None:
            break
        inner = latex[match.end() : end]
        out.append(latex[pos : match.start()])
        parts = inner.split("$")
        out.extend(
            (f"{{{part}}}" if index % 2 else f"\\text{{{part}}}")
            for index, part in enumerate(parts)
            if part
        )
        pos = end + 1
    return "".join(out) + latex[pos:]


def _grouped_substacks(latex: str) -> str:
    """`\\substack{a \\\\ b} x` -> `{\\substack{a \\\\ b}} x`: latex2mathml drops the rows of a
    substack that something follows, unless it is a group of its own."""
    out, pos = [], 0
    for match in _SUBSTACK.finditer(latex):
        if match.start() < pos:
            continue
        end = _closing_brace(latex, match.end())
        if end is None:
            break
        out += [latex[pos : match.start()], "{", latex[match.start() : end + 1], "}"]
        pos = end + 1
    return "".join(out) + latex[pos:]


def _closing_brace(text: str, pos: int) -> int | None:
    depth = 0
    while pos < len(text):
        if text[pos] == "\\":
            pos += 2
            continue
        if text[pos] == "{":
            depth += 1
        elif text[pos] == "}":
            if depth == 0:
                return pos
            depth -= 1
        pos += 1
    return None


def _convert_all(state: StateCore) -> None:
    if "$" not in state.src:  # math is written between dollars: no walk of every token
        return
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
    except UnsupportedMath as exc:
        token.meta["mathml"] = ""
        if ctx is not None:
            ctx.warning(
                block,
                token.content.strip()[:20],
                f"{exc}; the formula is shown as LaTeX source",
                "KaTeX reads it, but docsite renders math at build time with latex2mathml; "
                "rewrite that part, e.g. with \\left\\{ ... \\right\\}",
            )
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
