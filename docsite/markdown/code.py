"""Fenced code, highlighted by Pygments at build time, with an optional title bar."""

from __future__ import annotations

import difflib
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_all_lexers, get_lexer_by_name
from pygments.util import ClassNotFound

from docsite.markdown.context import RenderContext

PLAIN_LANGUAGES = frozenset({"", "text", "txt", "plain", "plaintext", "none", "output"})
LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
_FORMATTER = HtmlFormatter(nowrap=True)


@cache
def lexer_for(language: str) -> Lexer | None:
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@cache
def _known_languages() -> tuple[str, ...]:
    return tuple(alias for _, aliases, _, _ in get_all_lexers() for alias in aliases)


def parse_info(info: str) -> tuple[str, str]:
    """'python My title' -> ('python', 'My title')."""
    language, _, title = info.strip().partition(" ")
    return language.strip().lower(), title.strip()


def code_plugin(md: MarkdownIt) -> None:
    md.add_render_rule("fence", _render_fence)


def _render_fence(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    language, title = parse_info(token.info)
    ctx: RenderContext | None = env.get("docsite")
    lexer = None if language in PLAIN_LANGUAGES else lexer_for(language)
    if lexer is None and language not in PLAIN_LANGUAGES and ctx is not None:
        close = difflib.get_close_matches(language, _known_languages(), n=1)
        ctx.warning(
            token,
            token.info.strip(),
            f"unknown code language '{language}'; the block is shown without highlighting",
            f"did you mean '{close[0]}'?" if close else "use a Pygments language name, or text",
        )
    code = highlight(token.content, lexer, _FORMATTER) if lexer else escapeHtml(token.content)
    lang_attr = f' data-lang="{escapeHtml(language)}"' if language else ""
    pre = f'<pre class="highlight"{lang_attr}><code>{code}</code></pre>'
    if title:
        return (
            f'<figure class="code-block"><figcaption class="code-title">{escapeHtml(title)}'
            f"</figcaption>{pre}</figure>\n"
        )
    return pre + "\n"


def pygments_css() -> str:
    """Token colours for the light scheme, and for dark (chosen or from the system)."""
    light = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(".highlight")
    dark_rules = HtmlFormatter(style=DARK_STYLE).get_style_defs(".highlight")
    dark_chosen = "\n".join(
        f"[data-theme=dark] {line}" for line in dark_rules.splitlines() if line.startswith(".")
    )
    dark_system = "\n".join(
        f"  :root:not([data-theme=light]) {line}"
        for line in dark_rules.splitlines()
        if line.startswith(".")
    )
    return (
        f"{_strip_background(light)}\n{_strip_background(dark_chosen)}\n"
        f"@media (prefers-color-scheme: dark) {{\n{_strip_background(dark_system)}\n}}\n"
    )


def _strip_background(css: str) -> str:
    """The theme paints code backgrounds itself; keep only token colours."""
    return "\n".join(
        line
        for line in css.splitlines()
        if "{ background" not in line
        and "pre {" not in line
        and "hll" not in line
        and "td.linenos" not in line
        and "span.linenos" not in line
    )
