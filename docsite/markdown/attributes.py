"""Retype's generic attributes: `{#id .class key=value key="quoted value"}`.

They follow an image, a link or inline code (`![](a.png){width=300}`), stand on a line of their
own before a block (`{.clean}` over a table), or end a line: a heading, a paragraph, a list
item, a table cell, or a component's opening line (`!!!warning Title {#id}`). The parser is
mdit-py-plugins' attributes state machine; this module finds attributes at the end of a line,
applies them to the element the line makes, and refuses the ones that would run script.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError, parse

from docsite.markdown.context import RenderContext

# After `)` `]` or a backtick, attributes belong to the image, link or code before them.
_INLINE_OWNER = ")]`"
# What makes `{...}` at the end of a line meant as attributes, so a broken one is reported.
_LOOKS_LIKE_ATTRIBUTES = re.compile(r"^\{\s*([#.][^\s}]|[A-Za-z_:][\w:-]*\s*=)")
_MAX_TRIES = 16  # `{` tried from the end of a line, enough for attributes holding braces
_IGNORED_IN_URL = re.compile(r"[\x00-\x20]")
# Blocks whose line may end in attributes, and where these go.
_LINE_OWNERS = ("heading_open", "paragraph_open", "th_open", "td_open")


@dataclass
class Trailing:
    """A line split into its text and the attributes at its end."""

    text: str
    attrs: dict[str, str] = field(default_factory=dict)
    source: str = ""  # the attributes as written, '' when there were none
    problem: str = ""  # why an attribute list that was meant as one could not be read
    problem_at: str = ""  # the text from where it went wrong, to place the message


def split_trailing(line: str) -> Trailing:
    """`Title {#id .class}` -> Trailing('Title', {'id': 'id', 'class': 'class'})."""
    stripped = line.rstrip()
    if not stripped.endswith("}"):
        return Trailing(line)
    last_line = stripped.rfind("\n") + 1  # attributes end the last line and stay on it
    start = stripped.rfind("{", last_line)
    first_error: tuple[str, str] | None = None
    tries = _MAX_TRIES  # each try may read to the end: a line of many braces stays linear
    while start >= last_line and tries:
        tries -= 1
        candidate = stripped[start:]
        if start == 0 or stripped[start - 1] not in _INLINE_OWNER:
            try:
                end, attrs = parse(candidate)
            except ParseError as error:
                end, attrs = -1, {}
                if first_error is None and _LOOKS_LIKE_ATTRIBUTES.match(candidate):
                    first_error = (_reason(error), candidate[error.pos :] or candidate)
            if end == len(candidate) - 1 and attrs:
                return Trailing(stripped[:start].rstrip(), attrs, candidate)
        start = stripped.rfind("{", last_line, start)
    if first_error is not None:
        return Trailing(line, problem=first_error[0], problem_at=first_error[1])
    return Trailing(line)


def _reason(error: ParseError) -> str:
    return str(error).rsplit(" at position", 1)[0].lower()


def unsafe(name: str, value: str) -> str:
    """Why an attribute may not be written, or '' when it may: a page must not run script."""
    if name.lower().startswith("on"):
        return f"'{name}' is an event handler attribute, which would run script"
    if "javascript:" in _IGNORED_IN_URL.sub("", value).lower():
        return f"'{name}' holds a 'javascript:' value, which would run script"
    if not re.fullmatch(r"[A-Za-z_:][\w:.-]*", name):
        return f"'{name}' is not an attribute name"
    return ""


def checked(trailing: Trailing, ctx: RenderContext | None, place: Token | None) -> dict[str, str]:
    """The attributes that may be written; a warning for each one refused and for a broken list."""
    if trailing.problem and ctx is not None:
        ctx.warning(
            place,
            trailing.problem_at,
            f"cannot read these attributes: {trailing.problem}; they are shown as text",
            'write them as {#id .class key="value"}: an id after #, classes after ., '
            "and values with spaces in double quotes",
        )
    return keep_safe(trailing.attrs, ctx, place, trailing.source)


def keep_safe(
    attrs: dict[str, str], ctx: RenderContext | None, place: Token | None, needle: str
) -> dict[str, str]:
    kept = {}
    for name, value in attrs.items():
        reason = unsafe(name, value)
        if not reason:
            kept[name] = value
        elif ctx is not None:
            ctx.warning(
                place,
                needle or name,
                f"attribute refused: {reason}",
                "put behaviour in a script of the site, not in the page's attributes",
            )
    return kept


def merge(token: Token, attrs: dict[str, str]) -> None:
    """Add attributes to a token: classes and styles add up, the rest replaces."""
    for name, value in attrs.items():
        old = token.attrGet(name)
        if name == "class" and old:
            value = f"{old} {value}"
        elif name == "style" and old:
            value = f"{str(old).rstrip(';')};{value}"
        token.attrSet(name, value)


def html_attributes(attrs: dict[str, str], classes: str = "", skip: tuple[str, ...] = ()) -> str:
    """` id="x" class="base extra" key="v"` for a component's opening tag, escaped."""
    merged = dict(attrs)
    if classes:
        merged["class"] = f"{classes} {attrs['class']}" if attrs.get("class") else classes
    return "".join(
        f' {name}="{escapeHtml(str(value))}"' for name, value in merged.items() if name not in skip
    )


def opener_attributes(ctx: RenderContext | None, place: Token, text: str) -> tuple[str, dict]:
    """A component's opening line text split into its title and its checked attributes."""
    trailing = split_trailing(text)
    return trailing.text.strip(), checked(trailing, ctx, place)


def attributes_plugin(md: MarkdownIt) -> None:
    attrs_plugin(md)
    attrs_block_plugin(md)
    index = md.block.ruler.__find__("attr")
    md.block.ruler.at("attr", _non_empty(md.block.ruler.__rules__[index].fn))
    md.core.ruler.before("attr", "docsite_block_attributes", _block_attributes)
    md.core.ruler.before("inline", "docsite_line_attributes", _line_attributes)
    md.core.ruler.push("docsite_attributes_checked", _refuse_unsafe)


def _non_empty(rule: Callable[[StateBlock, int, int, bool], bool]) -> Callable:
    """A line holding only `{}` is text (an empty object in prose), not an attribute line."""

    def block_attributes(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        begin = state.bMarks[start] + state.tShift[start]
        if not state.src.startswith("{", begin):  # most lines: looked at without a copy
            return False
        if state.src[begin : state.eMarks[start]].replace(" ", "") == "{}":
            return False
        return rule(state, start, end, silent)

    return block_attributes


def _context(state: StateCore) -> RenderContext | None:
    return state.env.get("docsite") if isinstance(state.env, dict) else None


def _line_attributes(state: StateCore) -> None:
    """Attributes ending a heading, paragraph or table cell go to it (a list item's first
    paragraph gives them to the item); a header cell's go to its whole column."""
    if "{" not in state.src:  # no attribute list on the page
        return
    ctx = _context(state)
    tokens = state.tokens
    columns: dict[int, dict[str, str]] = {}
    column = 0
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            column = 0
        if token.type != "inline" or index == 0 or tokens[index - 1].type not in _LINE_OWNERS:
            continue
        owner = tokens[index - 1]
        if owner.type in ("th_open", "td_open"):
            column += 1
            if owner.type == "td_open" and column in columns:
                merge(owner, columns[column])
        trailing = split_trailing(token.content)
        if not trailing.source and not trailing.problem:
            continue
        attrs = checked(trailing, ctx, token)
        if not trailing.source:
            continue
        token.content = trailing.text
        before = tokens[index - 2] if index >= 2 else None
        if owner.type == "paragraph_open" and before and before.type == "list_item_open":
            owner = before
        merge(owner, attrs)
        if owner.type == "th_open":
            columns[column] = {k: v for k, v in attrs.items() if k != "id"}


def _block_attributes(state: StateCore) -> None:
    """A `{...}` line's unsafe attributes are refused at that line, before they move on."""
    if "{" not in state.src:  # no attribute line on the page
        return
    ctx = _context(state)
    for token in state.tokens:
        if token.type == "attrs_block":
            token.attrs = keep_safe(dict(token.attrs), ctx, token, "")  # type: ignore[arg-type]


def _refuse_unsafe(state: StateCore) -> None:
    """The attributes mdit-py-plugins placed are checked as the line's are: handlers and
    `javascript:` values are removed, with a warning at the block they are in."""
    ctx = _context(state)
    for token in state.tokens:
        if token.attrs or token.meta:
            _refuse_in(token, token, ctx)
        for child in token.children or ():
            if child.attrs or child.meta:  # most tokens have neither: skip them quickly
                _refuse_in(child, token, ctx)


# A link's or image's own address is checked by the URL policy (docsite/markdown/links.py),
# which reports it as an error at its column.
_CHECKED_AS_LINKS = {("link_open", "href"), ("image", "src")}


def _refuse_in(token: Token, block: Token, ctx: RenderContext | None) -> None:
    refused = dict(token.meta.get("insecure_attrs") or {}) if token.meta else {}
    for name, value in list(token.attrs.items()):
        if (token.type, name) in _CHECKED_AS_LINKS or name in ("title", "alt"):
            continue
        if unsafe(name, str(value)):
            refused[name] = str(value)
            del token.attrs[name]
    if refused and ctx is not None:
        token.meta.pop("insecure_attrs", None)
        keep_safe(refused, ctx, block, next(iter(refused)))
