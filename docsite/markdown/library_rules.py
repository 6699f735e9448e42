"""Core rules of markdown-it and mdit-py-plugins, done as they are without the work a page
cannot need: each walks or rewrites the whole page for something most pages lack (about 25
ms of a 1,000-page build's parse together); and markdown-it's normalizing of link targets,
done without parsing the ones it leaves as they are."""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.rules_core import StateCore

CoreRule = Callable[[StateCore], None]


def library_rules_plugin(md: MarkdownIt) -> None:
    """After the plugins that add the rules (gfm's footnotes, the attributes' plugin)."""
    md.core.ruler.at("normalize", _normalize)
    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    for name, marker in ONLY_WITH.items():
        rule = next((r.fn for r in md.core.ruler.__rules__ if r.name == name), None)
        if rule is not None:
            md.core.ruler.at(name, _only_with(marker, rule))


# Rules that act on tokens only some text makes, by that text: mdit-py-plugins'
# `footnote_tail` moves the footnotes to the end of the page and drops those not referenced
# (references and definitions both start `[^`; inline footnotes `^[...]` are off, as in
# GFM), copying the page's tokens into a list of their own; its attributes' `attr` gives an
# attribute line's attributes (`{...}`) to the block after it.
ONLY_WITH = {"footnote_tail": "[^", "attr": "{"}


def _normalize(state: StateCore) -> None:
    """markdown-it's `normalize`: line endings made `\\n`, NUL made U+FFFD. Its regular
    expression replaces every `\\n` with itself; pages read as text have no `\\r` already."""
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


def _only_with(marker: str, rule: CoreRule) -> CoreRule:
    """The rule, run on a page whose text holds `marker` (without which it does nothing)."""

    def only_with(state: StateCore) -> None:
        if marker in state.src:
            rule(state)

    only_with.__wrapped__ = rule  # type: ignore[attr-defined]
    return only_with


# A link target markdown-it's `normalizeLink` gives back as it is: no scheme or host to parse
# (no `:`, no leading `//`), no `%` escape to check, and only characters `mdurl.encode` keeps.
_KEPT_AS_IT_IS = re.compile(r"[A-Za-z0-9/.#?=&+,;!*'()@$~_-]*")


def normalize_link(url: str) -> str:
    """markdown-it's `normalizeLink` (percent-encoding, punycode hosts), without parsing the
    target (a quarter of the link rule's time) when it is a plain path such as `../a.md#b`."""
    if _KEPT_AS_IT_IS.fullmatch(url) and not url.startswith("//"):
        return url
    return normalizeLink(url)
