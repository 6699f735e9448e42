"""Fenced code, highlighted by Pygments at build time.

The info string is `lang Title`, with Retype's options after the language: `#` numbers the
lines and `#2-3,5` highlights those lines (```` ```js #2-3,5 My title ````). A fence whose
info starts with a space has a title and no language. `mermaid` fences are left for
Mermaid's script as `<pre class="mermaid">`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
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


_LINE_SPEC = re.compile(r"^#(\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)?$")


@dataclass(frozen=True)
class FenceInfo:
    language: str
    title: str
    numbered: bool = False
    highlighted: frozenset[int] = field(default_factory=frozenset)
    bad_spec: str = ""  # a '#...' word that is not a line list


def parse_info(info: str) -> tuple[str, str]:
    """'python My title' -> ('python', 'My title')."""
    parsed = parse_fence_info(info)
    return parsed.language, parsed.title


def parse_fence_info(info: str) -> FenceInfo:
    """'js #2-3,5 My title' -> language js, lines 2, 3 and 5 highlighted, title 'My title'."""
    if info[:1].isspace():  # Retype's ``` Title: a title and no language
        return FenceInfo("", info.strip())
    words = info.strip().split(" ")
    language = words.pop(0).strip().lower() if words else ""
    numbered, lines, bad = False, set[int](), ""
    while words and words[0].startswith("#"):
        word = words.pop(0)
        match = _LINE_SPEC.match(word)
        if match is None:
            bad = word
        elif match.group(1) is None:
            numbered = True
        else:
            lines.update(_line_numbers(match.group(1)))
    return FenceInfo(language, " ".join(words).strip(), numbered, frozenset(lines), bad)


def _line_numbers(spec: str) -> set[int]:
    numbers: set[int] = set()
    for part in spec.split(","):
        first, _, last = part.partition("-")
        low, high = int(first), int(last or first)
        numbers.update(range(min(low, high), min(max(low, high), low + 10000) + 1))
    return numbers


def code_plugin(md: MarkdownIt) -> None:
    md.add_render_rule("fence", _render_fence)


def _render_fence(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    info = parse_fence_info(token.info)
    language, title = info.language, info.title
    ctx: RenderContext | None = env.get("docsite")
    if info.bad_spec and ctx is not None:
        ctx.warning(
            token,
            info.bad_spec,
            f"'{info.bad_spec}' is not a list of lines; it is ignored",
            "write '#' for line numbers, or lines to highlight like '#2-3,5'",
        )
    if language == "mermaid":
        if ctx is not None:
            ctx.mermaid = True  # the page loads Mermaid's script
        return f'<pre class="mermaid">{escapeHtml(token.content)}</pre>\n'
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
    if info.numbered or info.highlighted:
        code = _mark_lines(code, info)
    lang_attr = f' data-lang="{escapeHtml(language)}"' if language else ""
    numbered = " numbered" if info.numbered else ""
    pre = f'<pre class="highlight{numbered}"{lang_attr}><code>{code}</code></pre>'
    if title:
        return (
            f'<figure class="code-block"><figcaption class="code-title">{escapeHtml(title)}'
            f"</figcaption>{pre}</figure>\n"
        )
    return pre + "\n"


def _mark_lines(code: str, info: FenceInfo) -> str:
    """One span per line, so CSS can number them and paint the highlighted ones.

    Pygments closes and reopens its spans at each line end, so splitting on newlines
    keeps every line's markup balanced.
    """
    lines = code.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    marked = []
    for number, line in enumerate(lines, 1):
        classes = "line hl" if number in info.highlighted else "line"
        marked.append(f'<span class="{classes}" data-line="{number}">{line}\n</span>')
    return "".join(marked)


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
