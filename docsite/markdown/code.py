"""Fenced code, highlighted by Pygments at build time.

The info string is `lang Title`, with Retype's options after the language: `#` numbers the
lines, `#2-3,5` numbers them and highlights those lines, `!#` and `!#2-3` do the same without
numbers (```` ```js #2-3,5 My title ````); `js:highlight="2-3,5"` is the attribute form, and
`{#id .class}` at the end gives the block an id and classes. A fence whose info starts with a
space has a title and no language. The config's `code.line_numbers` numbers its languages'
blocks. Retype's PrismJS language names are read as Pygments' names. `mermaid` fences are
left for Mermaid's script as `<pre class="mermaid">`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError, parse
from pygments import __version__ as PYGMENTS_VERSION  # the package alone: no lexer loads
from pygments import highlight

from docsite.cache import digest, engine_digest, made_once
from docsite.markdown.context import RenderContext
from docsite.suggest import CloseWords

if TYPE_CHECKING:
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer

# Pygments' lexers, formatters and styles load where a block is highlighted (an edit
# highlights none when its blocks are those of the page's last parse) or the stylesheet is
# made (`pygments_css`, kept once made): 5 ms of every rebuild otherwise.

PLAIN_LANGUAGES = frozenset({"", "text", "txt", "plain", "plaintext", "none", "output"})
LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"


@cache
def _formatter() -> HtmlFormatter:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)


@cache
def lexer_for(language: str) -> Lexer | None:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@cache
def _known_languages() -> CloseWords:
    """Pygments' language names, to find the one an unknown name meant (once per name)."""
    from pygments.lexers import get_all_lexers

    return CloseWords(alias for _, aliases, _, _ in get_all_lexers() for alias in aliases)


_LINE_SPEC = re.compile(r"^!?#(\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)?$")
# Retype's attribute form of the options: ```js:highlight="2-3,5-7"
_LANGUAGE_OPTIONS = re.compile(r'^([^\s:{]*):((?:\s*[\w-]+="[^"]*")+)(?=\s|$)')
_OPTION = re.compile(r'([\w-]+)="([^"]*)"')
FENCE_OPTIONS = ("highlight",)

# Retype highlights with PrismJS: its names for languages that Pygments calls otherwise.
PRISM_LANGUAGES = {
    **dict.fromkeys(("env", "dotenv"), "bash"),
    **dict.fromkeys(("markup", "svg", "mathml", "ssml", "atom", "rss", "xml-doc"), "xml"),
    **dict.fromkeys(("jsonc", "json5", "jsonp", "webmanifest", "tsconfig"), "json"),
    **dict.fromkeys(("sh-session", "shell-session", "shellsession"), "console"),
    **dict.fromkeys(("kt", "kts"), "kotlin"),
    **dict.fromkeys(("vb", "vba"), "vbnet"),
    **dict.fromkeys(("razor", "cshtml", "svelte", "ejs", "eta"), "html"),
    "cmd": "batch",
    "clike": "c",
    "ino": "arduino",
    "aspnet": "aspx-cs",
    "dotnet": "csharp",
    "hbs": "handlebars",
    "mustache": "handlebars",
    "mdx": "markdown",
    "jinja2": "jinja",
    "gv": "dot",
    "sol": "solidity",
    "robot": "robotframework",
    "rq": "sparql",
    "gettext": "po",
    "gradle": "groovy",
    "ly": "lilypond",
    "context": "tex",
    "editorconfig": "ini",
    "wasm": "wast",
    "js-extras": "javascript",
    "css-extras": "css",
}
# PrismJS languages Pygments has no lexer for: shown plain, without a warning, as Retype
# highlights them and the page is right to name them.
_PRISM_ONLY_NAMES = """mermaid mermaid-js log csv regex ignore gitignore hgignore npmignore
    plantuml plant-uml
    bicep al antlr4 g4 apex aql arff armasm arm-asm asciidoc adoc asm6502 asmatmel avisynth
    avs avro-idl avdl shortcode bbj birb bison rbnf brightscript bsl oscript cfscript cil
    cilkc cilk-c cilkcpp cilk-cpp cilk concurnas conc csp cooklang cue dataweave dhall
    dns-zone-file dns-zone etlua excel-formula xlsx xls false firestore-security-rules flow
    ftl gml gamemakerlanguage gedcom git gn gni linker-script ld go-module go-mod hoon hpkp
    hsts ichigojam icu-message-format javadoc javadoclike javastacktrace jexl jolie jq jsdoc
    jsstacktrace js-templates keepalived keyman kumir kum latte lolcode magma
    markup-templating mata maxscript mel metafont mizar mongodb n1ql n4js n4jsd
    nand2tetris-hdl naniscript nani neon nevod opencl openqasm qasm oz parigp parser
    pascaligo psl pcaxis px peoplecode pcode phpdoc php-extras plsql powerquery pq mscript
    processing pure purebasic pbfasm qsharp qs qore renpy rpy rescript res rip roboconf
    smlnj solution-file sln soy splunk-spl sqf squirrel iecst stylus sclang t4-templating
    t4-cs t4 t4-vb tt2 textile tremor trickle troy trig unrealscript uscript uc uorazor uri
    url warpscript web-idl wiki xeora xeoracube xojo"""
PRISM_ONLY = frozenset(_PRISM_ONLY_NAMES.split())


@dataclass(frozen=True)
class FenceInfo:
    """A code block's info string, read: language, title, line numbers and highlights."""

    language: str
    title: str
    numbered: bool | None = None  # None: as the config's code line_numbers says
    highlighted: frozenset[int] = field(default_factory=frozenset)
    bad_spec: str = ""  # a '#...' word that is not a line list
    attributes: dict[str, str] = field(default_factory=dict)  # from {#id .class key=value}
    problems: tuple[tuple[str, str, str], ...] = ()  # (where, message, hint) to report


def parse_info(info: str) -> tuple[str, str]:
    """'python My title' -> ('python', 'My title')."""
    parsed = parse_fence_info(info)
    return parsed.language, parsed.title


def parse_fence_info(info: str) -> FenceInfo:
    """'js #2-3,5 My title {#id .class}' -> language js, lines numbered and 2, 3 and 5
    highlighted, title 'My title', id and class attributes. `!#` turns numbering off,
    `js:highlight="2-3"` highlights lines too."""
    problems: list[tuple[str, str, str]] = []
    info, attributes = _split_attributes(info, problems)
    if info[:1].isspace():  # Retype's ``` Title: a title and no language
        language, rest = "", info.strip()
    else:
        language, _, rest = info.strip().partition(" ")
        language = language.lower()
    numbered: bool | None = None
    lines, bad = set[int](), ""
    options = _LANGUAGE_OPTIONS.match(info.strip()) if language else None
    if options is not None:
        language, rest = options.group(1).lower(), info.strip()[options.end() :]
        if _read_options(options.group(2), lines, problems):
            numbered = True
    words = rest.strip().split(" ") if rest.strip() else []
    while words and words[0].lstrip("!").startswith("#"):
        word = words.pop(0)
        match = _LINE_SPEC.match(word)
        if match is None:
            bad = word
            continue
        numbered = not word.startswith("!")
        if match.group(1) is not None:
            lines.update(_line_numbers(match.group(1)))
    title = " ".join(words).strip()
    return FenceInfo(language, title, numbered, frozenset(lines), bad, attributes, tuple(problems))


def _read_options(text: str, lines: set[int], problems: list) -> bool:
    """Retype's `key="value"` options after `lang:`; whether they highlight lines."""
    highlights = False
    for key, value in _OPTION.findall(text):
        spec = value.replace(" ", "")
        if key == "highlight" and _LINE_SPEC.match("#" + spec):
            lines.update(_line_numbers(spec))
            highlights = True
        elif key == "highlight":
            problems.append(
                (
                    f'{key}="',
                    f'highlight="{value}" is not a list of lines',
                    'write lines to highlight like highlight="2-3,5"',
                )
            )
        else:
            problems.append(
                (
                    f"{key}=",
                    f"unknown code block option '{key}'; it is ignored",
                    'the option Retype knows is highlight="2-3,5"',
                )
            )
    return highlights


def _split_attributes(info: str, problems: list) -> tuple[str, dict[str, str]]:
    """The info string without its trailing `{#id .class}`, and those attributes."""
    stripped = info.rstrip()
    starts = [i for i, c in enumerate(stripped) if c == "{" and (i == 0 or stripped[i - 1] == " ")]
    for start in starts:
        marked = stripped[start + 1 : start + 2] in ("#", ".")
        try:
            end, attributes = parse(stripped[start:])
        except ParseError as exc:
            if not marked:
                continue
            problems.append(
                (
                    stripped[start + exc.pos :] or stripped[start:],
                    f"code block attributes: {exc.args[0].rsplit(' at position', 1)[0]}",
                    'write them as {#an-id .a-class key="value"} at the end of the line',
                )
            )
            return stripped[:start].rstrip(), {}
        if stripped[start + end + 1 :].strip():  # parse() gives the index of the "}"
            continue
        return stripped[:start], attributes
    return info, {}


def _line_numbers(spec: str) -> set[int]:
    numbers: set[int] = set()
    for part in spec.split(","):
        first, _, last = part.partition("-")
        low, high = int(first), int(last or first)
        numbers.update(range(min(low, high), min(max(low, high), low + 10000) + 1))
    return numbers


def code_plugin(md: MarkdownIt) -> None:
    md.add_render_rule("fence", _render_fence)
    md.core.ruler.after("inline", "docsite_code_titles", _parse_titles)


def _parse_titles(state: StateCore) -> None:
    """A code block's title is inline Markdown, as in Retype: ``` `app.yml` ``` shows as code."""
    for token in state.tokens:
        if token.type == "fence" and token.info:
            title = parse_fence_info(token.info).title
            if title and any(mark in title for mark in "`*_[<&:\\"):
                token.meta["title"] = state.md.parseInline(title, state.env)[0].children or []


def _render_fence(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    info = parse_fence_info(token.info)
    language, title = info.language, info.title
    ctx: RenderContext | None = env.get("docsite")
    if ctx is not None:
        _report(ctx, token, info)
    extra = _attributes(info.attributes)
    user_classes = info.attributes.get("class", "").split()
    if language == "mermaid":
        if ctx is not None:
            ctx.mermaid = True  # the page loads Mermaid's script
        content = escapeHtml(token.content)
        return f'<pre class="{_classes("mermaid", user_classes)}"{extra}>{content}</pre>\n'
    code = _highlighted(token.content, language, ctx, token)
    numbered = info.numbered
    if numbered is None:
        numbered = ctx is not None and _numbered_by_config(language, ctx.code_line_numbers)
    if numbered or info.highlighted:
        code = _mark_lines(code, info.highlighted)
    lang_attr = f' data-lang="{escapeHtml(language)}"' if language else ""
    classes = "highlight numbered" if numbered else "highlight"
    if title:
        pre = f'<pre class="{classes}"{lang_attr}><code>{code}</code></pre>'
        return (
            f'<figure class="{_classes("code-block", user_classes)}"{extra}>'
            f'<figcaption class="code-title">{_title_html(self, token, title, options, env)}'
            f"</figcaption>{pre}</figure>\n"
        )
    classes = _classes(classes, user_classes)
    pre = f'<pre class="{classes}"{lang_attr}{extra}><code>{code}</code></pre>'
    return pre + "\n"


def _title_html(self: Any, token: Token, title: str, options: Any, env: dict) -> str:
    parsed = token.meta.get("title") if isinstance(token.meta, dict) else None
    return self.renderInline(parsed, options, env) if parsed else escapeHtml(title)


def _report(ctx: RenderContext, token: Token, info: FenceInfo) -> None:
    if info.bad_spec:
        ctx.warning(
            token,
            info.bad_spec,
            f"'{info.bad_spec}' is not a list of lines; it is ignored",
            "write '#' for line numbers, '!#' for none, or lines to highlight like '#2-3,5'",
        )
    for where, message, hint in info.problems:
        ctx.warning(token, where, message, hint)


def _attributes(attributes: dict[str, str]) -> str:
    """' id="..." key="..."' for the block's outer element; its classes go with docsite's."""
    return "".join(
        f' {escapeHtml(key)}="{escapeHtml(value)}"'
        for key, value in attributes.items()
        if key != "class" and re.fullmatch(r"[A-Za-z_:][\w:.-]*", key)
    )


def _classes(own: str, user: list[str]) -> str:
    return escapeHtml(" ".join(dict.fromkeys([*own.split(), *user])))


def _highlighted(content: str, language: str, ctx: RenderContext | None, token: Token) -> str:
    """A fence's code as HTML, highlighted when Pygments knows its language. A block the
    page's last parse highlighted is taken from it (`RenderContext.code_before`): an edit
    leaves most blocks as they were, and Pygments takes up to 35 ms to build a lexer (its
    Python one), in every process that highlights with it."""
    name = _lexer_name(language)
    if name is None:
        return escapeHtml(content)
    key = code_key(name, content)
    html = ctx.code_before.get(key) if ctx is not None else None
    if html is None:
        lexer = _lexer(language, ctx, token)
        if lexer is None:
            return escapeHtml(content)
        html = highlight(content, lexer, _formatter())
    if ctx is not None:
        ctx.code[key] = html
    return html


def code_key(lexer_name: str, content: str) -> str:
    """What a block's highlighted HTML is made from: its code, the lexer's name, and the
    versions of Pygments and of docsite (which sets its lexers' and formatter's options)."""
    return digest(engine_digest(), PYGMENTS_VERSION, lexer_name, content)


def _lexer_name(language: str) -> str | None:
    """The Pygments name of a fence's language (Retype's PrismJS names mapped), or None for
    code shown plain."""
    if language in PLAIN_LANGUAGES or language in PRISM_ONLY:
        return None
    return PRISM_LANGUAGES.get(language, language)


def _lexer(language: str, ctx: RenderContext | None, token: Token) -> Lexer | None:
    """The lexer for a fence's language; an unknown name is reported and shown plain."""
    name = _lexer_name(language)
    if name is None:
        return None
    lexer = lexer_for(name)
    if lexer is None and ctx is not None and language not in PRISM_LANGUAGES:
        close = _known_languages().closest(language)
        ctx.warning(
            token,
            token.info.strip(),
            f"unknown code language '{language}'; the block is shown without highlighting",
            f"did you mean '{close[0]}'?" if close else "use a Pygments language name, or text",
        )
    return lexer


def _numbered_by_config(language: str, languages: frozenset[str]) -> bool:
    """The config's `code: {line_numbers: [...]}`: languages, '*' for all, 'none' for
    blocks without a language."""
    return "*" in languages or (language or "none") in languages


def _mark_lines(code: str, highlighted: frozenset[int]) -> str:
    """One span per line, so CSS can number them and paint the highlighted ones.

    Pygments closes and reopens its spans at each line end, so splitting on newlines
    keeps every line's markup balanced.
    """
    lines = code.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    marked = []
    for number, line in enumerate(lines, 1):
        classes = "line hl" if number in highlighted else "line"
        marked.append(f'<span class="{classes}" data-line="{number}">{line}\n</span>')
    return "".join(marked)


@cache  # the same for the process: asked for at every theme made
def pygments_css(kept_in: Path | None = None) -> str:
    """The code's stylesheet (`highlight_css`), kept in the folder `kept_in` (the cache's
    compiled templates) under a name that holds what makes it: made once for a version of
    docsite and of Pygments, not by every build (that of the versions before goes)."""
    path = None
    if kept_in is not None:
        path = kept_in / f"pygments-{digest(engine_digest(), PYGMENTS_VERSION)[:16]}.css"
    return made_once(path, highlight_css, str.encode, bytes.decode, replaces="pygments-*.css")


def highlight_css() -> str:
    """Token colours for both schemes in one rule per token: `light-dark()` picks one by the
    page's `color-scheme`, which the theme sets for the scheme shown (chosen or the
    system's). The few other declarations that only the dark style has follow after."""
    light = _token_rules(LIGHT_STYLE)
    dark = _token_rules(DARK_STYLE)
    rules, dark_only = [], []
    for selector in sorted(light.keys() | dark.keys()):
        ours, theirs = light.get(selector, {}), dark.get(selector, {})
        merged = []
        for prop in sorted(ours.keys() | theirs.keys()):
            one, other = ours.get(prop), theirs.get(prop)
            if prop == "color" and other and one != other:
                merged.append(f"color:light-dark({one or 'currentColor'},{other})")
            elif one:  # as before: the light style's declaration holds in both schemes
                merged.append(f"{prop}:{one}")
            if prop != "color" and other and one != other:
                dark_only.append(f"{selector}{{{prop}:{other}}}")
        rules.append(f"{selector}{{{';'.join(merged)}}}")
    chosen = "\n".join(f"[data-theme=dark] {rule}" for rule in dark_only)
    system = "\n".join(f":root:not([data-theme=light]) {rule}" for rule in dark_only)
    css = "\n".join(rule for rule in rules if not rule.endswith("{}"))
    if dark_only:
        css += f"\n{chosen}\n@media (prefers-color-scheme: dark) {{\n{system}\n}}"
    return css + "\n"


def _token_rules(style: str) -> dict[str, dict[str, str]]:
    """A Pygments style's token rules: `.highlight .k` -> {"color": "#FF7B72", ...}, without
    backgrounds and line numbers, which the theme paints itself."""
    from pygments.formatters import HtmlFormatter

    found: dict[str, dict[str, str]] = {}
    for line in HtmlFormatter(style=style).get_style_defs(".highlight").splitlines():
        selector, brace, rest = line.partition("{")
        selector = selector.strip()
        if not brace or not selector.startswith(".highlight .") or selector.endswith(".hll"):
            continue
        body = rest.partition("}")[0]
        declarations = {}
        for declaration in body.split(";"):
            prop, colon, value = declaration.partition(":")
            if colon and "background" not in prop:
                declarations[prop.strip()] = value.strip()
        if declarations:
            found[selector] = declarations
    return found
