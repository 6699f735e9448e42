"""What a page loads besides the theme's core (docsite.css, docsite.js, icons.css): the
components' stylesheet and script, the code highlighting, and the page's own icons, each only
when the page's HTML can use it, so that a page of plain text stays light.

A stylesheet is linked when one of its selectors could match the page: every class and
attribute a selector names (outside `:not()`) is in the page's HTML, or added by the theme's
scripts. The decision reads the page's finished HTML only, so a page reused from the last
build and a page rendered again link the same files.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from docsite.icons import IconSet

# Where base.html wants the page's own assets; replaced once the page's HTML is known.
ASSETS_MARK = "<@page-assets>"
COMPONENTS_CSS = "assets/components.css"
COMPONENTS_JS = "assets/components.js"
HIGHLIGHT_CSS = "assets/pygments.css"

# Classes and attributes the theme's scripts add while the page is open (docsite.js,
# components.js, search.js, mermaid.js): not in the HTML, so counted as always there.
RUNTIME_TOKENS = frozenset(
    {
        "js", "dark", "drawer-open", "is-active", "is-copied", "is-open", "tabs-ready",
        "code-wrap", "copy-button", "drawer-backdrop", "drawer-link", "drawer-links",
        "sr-only", "data-action-state", "data-mermaid", "data-source",
    }
)  # fmt: skip
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CLASS = re.compile(r"\.((?:\\.|[A-Za-z0-9_-])+)")
_ATTRIBUTE = re.compile(r"\[\s*([A-Za-z0-9_-]+)")
_CLASS_ATTR = re.compile(r"""\sclass=(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_ATTR_NAME = re.compile(r"\s(data-[a-z0-9_-]+|role|aria-[a-z]+)(?=[\s=/>])", re.IGNORECASE)
_PSEUDO_LIST = re.compile(r":(is|where|has|not|matches)\(")
_ICON_CLASS = re.compile(r"^i-([A-Za-z0-9_-]+)$")


def _closing(text: str, start: int) -> int:
    """The index of the `)` that closes the `(` at `start`."""
    depth = 0
    for index in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return len(text)


def _split(selectors: str) -> list[str]:
    """A selector list cut at its own commas, not at those inside parentheses."""
    pieces, depth, last = [], 0, 0
    for index, char in enumerate(selectors):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            pieces.append(selectors[last:index])
            last = index + 1
    return [*pieces, selectors[last:]]


def _alternatives(selector: str) -> list[str]:
    """A selector with its `:is()`, `:where()` and `:has()` lists spelled out, one selector
    per choice (`:not()` dropped: it never requires a class)."""
    found = _PSEUDO_LIST.search(selector)
    if found is None:
        return [selector]
    end = _closing(selector, found.end() - 1)
    inner = selector[found.end() : end]
    before, after = selector[: found.start()], selector[end + 1 :]
    if found.group(1) == "not":
        return _alternatives(before + after)
    return [alt for choice in _split(inner) for alt in _alternatives(f"{before} {choice} {after}")]


def selector_needs(css: str) -> list[frozenset[str]]:
    """For each selector of a stylesheet (one per choice of its `:is()` lists), the classes
    and attributes an element must hold, or hold inside it, for the selector to match."""
    needs: list[frozenset[str]] = []
    for prelude in re.findall(r"([^{}]+)\{", _COMMENT.sub("", css)):
        if prelude.strip().startswith("@"):
            continue
        for selector in (alt for piece in _split(prelude) for alt in _alternatives(piece)):
            classes = {name.replace("\\", "") for name in _CLASS.findall(selector)}
            tokens = classes | set(_ATTRIBUTE.findall(selector))
            needs.append(frozenset(tokens - RUNTIME_TOKENS))
    return needs


def page_tokens(page_html: str) -> set[str]:
    """The classes of a page's HTML and the names of its data-, role and aria- attributes."""
    tokens: set[str] = set()
    for match in _CLASS_ATTR.finditer(page_html):
        tokens.update(html.unescape(next(g for g in match.groups() if g is not None)).split())
    tokens.update(name.lower() for name in _ATTR_NAME.findall(page_html))
    return tokens


def matches(needs: list[frozenset[str]], tokens: set[str]) -> bool:
    """Whether any selector piece could match a page holding `tokens`."""
    return any(need <= tokens for need in needs)


@dataclass(frozen=True)
class AssetRules:
    """What decides a page's assets, the same for every page of a build."""

    components: tuple[frozenset[str], ...]  # components.css's selector needs
    highlight: tuple[frozenset[str], ...]  # pygments.css's
    shared_icons: frozenset[str]  # icon classes icons.css holds: those of every page
    key: str = ""  # what the stylesheets' selectors need, for the theme's key

    def markup(
        self, page_html: str, icons: IconSet, root: str, asked: frozenset[str] = frozenset()
    ) -> str:
        """The `<link>`s, `<script>` and icon styles the page needs, as its head holds them;
        `root` starts the links; `asked`: icon classes the page's scripts may show."""
        tokens = page_tokens(page_html)
        parts = []
        uses_components = matches(list(self.components), tokens)
        if uses_components:
            parts.append(f'<link rel="stylesheet" href="{root}{COMPONENTS_CSS}">')
        if matches(list(self.highlight), tokens):
            parts.append(f'<link rel="stylesheet" href="{root}{HIGHLIGHT_CSS}">')
        own = sorted((page_icons(tokens) | asked) - self.shared_icons)
        if own:
            parts.append(f'<style class="page-icons">{icons.class_stylesheet(own)}</style>')
        if uses_components:
            parts.append(f'<script src="{root}{COMPONENTS_JS}" defer></script>')
        return "\n".join(parts)


def page_icons(tokens: set[str]) -> set[str]:
    """The icon names (`i-<name>` classes) among a page's classes."""
    return {m.group(1) for token in tokens if (m := _ICON_CLASS.match(token))}
