"""Markdown rules tried by the character they may start with.

markdown-it tries its block rules in order at the start of every block (and a paragraph's,
list's or quote's terminators on each of its lines), and its inline rules wherever plain
text stops; with docsite's rules that is twenty calls each time, most of which fail at once
on the character there. The rulers here compile each chain into one function that tries,
for that character, only the rules that may start with it, in their order: the rules
tried, and their order, are markdown-it's, less those that would have returned False
without doing anything. (The block parse of a page took a third less.)
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any, ClassVar

from markdown_it import MarkdownIt
from markdown_it.ruler import Rule, Ruler
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

BlockRule = Callable[[StateBlock, int, int, bool], bool]
InlineRule = Callable[[StateInline, bool], bool]

# What each block rule's line may start with (after its indentation), when not anything:
# markdown-it's rules (CommonMark's), mdit-py-plugins' and docsite's, by name.
BLOCK_OPENS_WITH: dict[str, str] = {
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+" + string.digits,
    "reference": "[",
    "html_block": "<",
    "heading": "#",
    "math_block": "$",
    "footnote_def": "[",
    "attr": "{",
    "docsite_lettered_list": string.ascii_letters,
    "docsite_snippet": ":",
    "docsite_abbreviation": "*",
}
# What each inline rule may start with, the same way. `text` takes any character that ends
# no text (it stops at the others, where the rest are tried): it is tried everywhere.
INLINE_OPENS_WITH: dict[str, str] = {
    "newline": "\n",
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "emphasis": "_*",
    "link": "[",
    "image": "!",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
    "math_inline": "$",
    "footnote_ref": "[",
    "attr": "{",
    "gfm_autolink_www": "w",  # as docsite.markdown.guards bounds them
    "gfm_autolink_protocol": ":",
    "gfm_autolink_email": "@",
    "docsite_comment": "%",
    "docsite_icon": ":",
}


def dispatch_plugin(md: MarkdownIt) -> None:
    """Last of the plugins: it takes over the rules they added (a rule added after is tried
    on every line or at every stop, unless its name or function says what it starts with)."""
    block, inline = BlockRuler(), InlineRuler()
    block.__rules__ = md.block.ruler.__rules__
    inline.__rules__ = md.inline.ruler.__rules__
    md.block.ruler, md.inline.ruler = block, inline


class _DispatchingRuler(Ruler[Any]):
    """A ruler whose chains are each one function (`getRules`)."""

    OPENS_WITH: ClassVar[dict[str, str]]

    def __init__(self) -> None:
        super().__init__()
        self._plain: dict[str, list[Any]] = {}

    def __compile__(self) -> None:
        super().__compile__()
        assert self.__cache__ is not None
        self._plain = dict(self.__cache__)
        for chain in self._plain:
            rules = [r for r in self.__rules__ if r.enabled and (not chain or chain in r.alt)]
            self.__cache__[chain] = [self._dispatching(*self._buckets(rules))]

    def rules_of(self, chain: str) -> list[Any]:
        """The chain's rules one by one, as markdown-it compiles them."""
        self.getRules(chain)  # compiled
        return self._plain.get(chain, [])

    def _buckets(self, rules: list[Rule[Any]]) -> tuple[list, list, dict[str, list]]:
        """Every rule; those that may start with anything; and for each character a rule
        names, the rules that may start with it. Each list in the chain's order."""
        opens = [(rule.fn, self._opens_with(rule)) for rule in rules]
        anywhere = [fn for fn, chars in opens if chars is None]
        by_char = {
            char: [fn for fn, chars in opens if chars is None or char in chars]
            for char in {char for _fn, chars in opens for char in chars or ""}
        }
        return [rule.fn for rule in rules], anywhere, by_char

    def _opens_with(self, rule: Rule[Any]) -> str | None:
        """A rule function may say it (`opens_with`: the components' rules), else its name."""
        return getattr(rule.fn, "opens_with", None) or self.OPENS_WITH.get(rule.name)

    def _dispatching(self, every: list, anywhere: list, by_char: dict[str, list]) -> Any:
        raise NotImplementedError


class BlockRuler(_DispatchingRuler):
    """The block rules, by the first character of the line's text."""

    OPENS_WITH = BLOCK_OPENS_WITH

    def _dispatching(
        self, every: list[BlockRule], anywhere: list[BlockRule], by_char: dict[str, list]
    ) -> BlockRule:
        def block_rules(state: StateBlock, start: int, end: int, silent: bool) -> bool:
            begin = state.bMarks[start] + state.tShift[start]
            tried = (
                by_char.get(state.src[begin], anywhere) if begin < state.eMarks[start] else every
            )
            for rule in tried:  # a loop: any() of a generator costs more, on every line
                if rule(state, start, end, silent):
                    break
            else:
                return False
            return True

        return block_rules


class InlineRuler(_DispatchingRuler):
    """The inline rules, by the character where plain text stopped."""

    OPENS_WITH = INLINE_OPENS_WITH

    def _dispatching(
        self, every: list[InlineRule], anywhere: list[InlineRule], by_char: dict[str, list]
    ) -> InlineRule:
        def inline_rules(state: StateInline, silent: bool) -> bool:
            pos = state.pos
            tried = by_char.get(state.src[pos], anywhere) if pos < len(state.src) else every
            for rule in tried:
                if rule(state, silent):
                    break
            else:
                return False
            return True

        return inline_rules


def block_rules_of(md: MarkdownIt, chain: str) -> list[BlockRule]:
    """A block chain's rules one by one, whatever the ruler (for a rule that runs the chain
    but for itself)."""
    ruler = md.block.ruler
    return ruler.rules_of(chain) if isinstance(ruler, BlockRuler) else ruler.getRules(chain)
