"""The inline call syntax of Retype: `[!kind text|variant key="value"](link)`.

Badges, buttons, references, cards and files share it. The inline rule only cuts the call
out of the text; a core rule then checks it against the page's block, which is what gives
its diagnostics a line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from docsite.diagnostics import did_you_mean
from docsite.markdown.context import RenderContext
from docsite.markdown.guards import InlineRule

_ATTRIBUTE = re.compile(r"""([A-Za-z][\w-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"'\]]+))""")
_KIND = re.compile(r"\[!([a-z]+)(?=[\s\]])")


@dataclass(frozen=True)
class Call:
    """An inline component as written: `[!kind text|variant attributes](link)`."""

    kind: str
    source: str  # the call as written, to find it in the source line
    text: str  # positional text, before any '|'
    variant: str  # positional variant, after '|'
    attributes: dict[str, str] = field(default_factory=dict)
    link: str | None = None  # the (link), if any

    def get(self, name: str, default: str = "") -> str:
        return self.attributes.get(name, default)


def parse_call(src: str, pos: int, kind: str) -> tuple[Call, int] | None:
    """The call starting at src[pos] and the position after it, or None."""
    match = _KIND.match(src, pos)
    if match is None or match.group(1) != kind:
        return None
    body_start = match.end()
    end = _closing_bracket(src, body_start)
    if end is None:
        return None
    body = src[body_start:end]
    after = end + 1
    link = None
    if after < len(src) and src[after] == "(":
        close = _closing_paren(src, after + 1)
        if close is not None:
            link = src[after + 1 : close].strip()
            if link.startswith("<") and link.endswith(">"):
                link = link[1:-1]
            after = close + 1
    attributes = parse_attributes(body)
    positional = leftover_text(body)
    text, _, variant = positional.rpartition("|") if "|" in positional else (positional, "", "")
    call = Call(kind, src[pos:after], text.strip(), variant.strip(), attributes, link)
    return call, after


def parse_attributes(text: str) -> dict[str, str]:
    """`key="value" other=word` -> {"key": "value", "other": "word"}."""
    return {m.group(1): _value(m) for m in _ATTRIBUTE.finditer(text)}


def leftover_text(text: str) -> str:
    """What is left of `text` once its attributes are taken out."""
    return _ATTRIBUTE.sub("", text).strip()


def _value(match: re.Match[str]) -> str:
    return next(g for g in match.groups()[1:] if g is not None)


def _closing_bracket(src: str, pos: int) -> int | None:
    quote = ""
    while pos < len(src):
        char = src[pos]
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'" and src[pos - 1] == "=":
            quote = char
        elif char == "\\":
            pos += 1
        elif char == "[":
            return None
        elif char == "]":
            return pos
        pos += 1
    return None


def _closing_paren(src: str, pos: int) -> int | None:
    depth = 0
    while pos < len(src):
        char = src[pos]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return pos
            depth -= 1
        elif char == "\n":
            return None
        pos += 1
    return None


# The one markdown-it rule that holds the components' inline rules (`add_inline_rule`).
INLINE_COMPONENTS_RULE = "docsite_inline_components"


@dataclass
class InlineComponentRules:
    """The components' inline rules, by the character they start with. markdown-it tries
    each of its inline rules wherever plain text stops: one rule that looks at the character
    there and tries only the components starting with it costs one call instead of one per
    component."""

    by_char: dict[str, list[InlineRule]] = field(default_factory=dict)

    def __call__(self, state: StateInline, silent: bool) -> bool:
        rules = self.by_char.get(state.src[state.pos])
        return rules is not None and any(rule(state, silent) for rule in rules)

    @property
    def opens_with(self) -> str:
        """The characters they start with (docsite.markdown.dispatch)."""
        return "".join(self.by_char)


def add_inline_rule(md: MarkdownIt, opens_with: str, rule: InlineRule) -> None:
    """A component's inline rule, tried only where the text holds the character `opens_with`:
    before links (`[!button ...]` and `[[Page]]` are no links), in the order added."""
    components = next(
        (r.fn for r in md.inline.ruler.__rules__ if r.name == INLINE_COMPONENTS_RULE), None
    )
    if not isinstance(components, InlineComponentRules):
        components = InlineComponentRules()
        md.inline.ruler.before("link", INLINE_COMPONENTS_RULE, components)
    components.by_char.setdefault(opens_with, []).append(rule)
    md.inline.ruler.__cache__ = None  # compiled again, with the new character


def add_call_rule(
    md: MarkdownIt, kind: str, check: Callable[[Token, Call, Token, RenderContext], None]
) -> None:
    """Register the inline rule for `[!kind ...]` and the core rule that checks each call."""

    opening = "[!" + kind

    def rule(state: StateInline, silent: bool) -> bool:
        if not state.src.startswith(opening, state.pos):
            return False
        found = parse_call(state.src, state.pos, kind)
        if found is None:
            return False
        call, end = found
        if not silent:
            token = state.push(kind, "", 0)
            token.meta = {"call": call}
        state.pos = end
        return True

    def core(state: StateCore) -> None:
        ctx: RenderContext | None = state.env.get("docsite")
        if ctx is None or opening not in state.src:  # no call of this kind: no walk
            return
        for block, token in inline_tokens(state.tokens, kind):
            check(token, built_action_call(token.meta["call"], ctx), block, ctx)

    add_inline_rule(md, "[", rule)
    md.core.ruler.push(f"docsite_{kind}", core)


def built_action_call(call: Call, ctx: RenderContext) -> Call:
    """A call running one of the project's actions that gives a link while building is a
    link to it, with the properties the action returns where the call sets none."""
    written = call.get("action").strip()
    if not written and not (call.link or "").startswith("action:"):
        return call
    custom = ctx.custom_action((written or (call.link or "")[7:]).strip().lower())
    if custom is None or custom.in_browser:
        return call
    attributes = {
        **{key: str(value) for key, value in custom.properties.items() if key != "link"},
        **{key: value for key, value in call.attributes.items() if key != "action"},
    }
    return replace(call, attributes=attributes, link=custom.link)


def inline_tokens(tokens: list[Token], kind: str) -> Iterator[tuple[Token, Token]]:
    """(block, token) for every inline token of a kind, the block giving its source line."""
    for block in tokens:
        if block.type == "inline" and block.children:
            for token in block.children:
                if token.type == kind:
                    yield block, token


def check_attributes(call: Call, known: tuple[str, ...], ctx: RenderContext, block: Token) -> None:
    warn_unknown_attributes(call.attributes, known, f"[!{call.kind}]", ctx, block)


def warn_unknown_attributes(
    names: Iterable[str], known: tuple[str, ...], where: str, ctx: RenderContext, block: Token
) -> None:
    """A warning per attribute the component does not know, at the attribute."""
    for name in names:
        if name not in known:
            ctx.warning(
                block,
                f"{name}=",
                f"unknown attribute '{name}' in {where}; it is ignored",
                did_you_mean(name, known) or "known attributes: " + ", ".join(known),
            )
