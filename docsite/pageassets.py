"""What a page loads besides the theme's core (docsite.css, docsite.js, icons.css): the
components' stylesheet and script, the code highlighting, the blog's look, and the page's own
icons, each only when the page's HTML can use it, so that a page of plain text stays light.

A stylesheet is linked when one of its selectors could match the page: every class and
attribute a selector names (outside `:not()`) is in the page's HTML, or added by the theme's
scripts. The decision reads the page's finished HTML only, so a page reused from the last
build and a page rendered again link the same files.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from docsite.icons import IconSet

# Where base.html wants the page's own assets; replaced once the page's HTML is known.
ASSETS_MARK = "<@page-assets>"
COMPONENTS_CSS = "assets/components.css"
COMPONENTS_JS = "assets/components.js"
HIGHLIGHT_CSS = "assets/pygments.css"
BLOG_CSS = "assets/blog.css"
# The theme's stylesheets that a page links only where one of their selectors can match it, in
# the order its head links them; the components' come first, with their script.
OWN_STYLESHEETS = (COMPONENTS_CSS, HIGHLIGHT_CSS, BLOG_CSS)

# Classes and attributes ('[name') the theme's scripts add while the page is open (docsite.js,
# components.js, search.js, mermaid.js): not in the HTML, so counted as always there.
RUNTIME_TOKENS = frozenset(
    {
        "js", "dark", "drawer-open", "is-active", "is-copied", "is-open", "tabs-ready",
        "code-wrap", "copy-button", "drawer-backdrop", "drawer-link", "drawer-links",
        "sr-only", "[data-action-state", "[data-mermaid", "[data-source",
    }
)  # fmt: skip
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CLASS = re.compile(r"\.((?:\\.|[A-Za-z0-9_-])+)")
_ATTRIBUTE = re.compile(r"\[\s*([A-Za-z0-9_-]+)")
# Starts with its literal text, which lets the regex engine skip ahead: a page is scanned fast.
_CLASS_ATTR = re.compile(r"""class=(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# A rule's prelude: the text between braces that opens a block. Matched from the start of
# such a text only (the lookbehind), so that a declaration block is not scanned again from
# each of its characters (which made components.css take 100 ms, on every build).
_PRELUDE = re.compile(r"(?<![^{}])([^{}]+)\{")
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
    if "(" not in selectors and ")" not in selectors:
        return selectors.split(",")  # most lists: no character to look at one by one
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


@functools.lru_cache(maxsize=8)
def selector_needs(css: str) -> tuple[frozenset[str], ...]:
    """For each selector of a stylesheet (one per choice of its `:is()` lists), the classes
    and attributes ('[name') an element must hold, or hold inside it, for it to match."""
    needs: list[frozenset[str]] = []
    for prelude in _PRELUDE.findall(_COMMENT.sub("", css)):
        if prelude.strip().startswith("@"):
            continue
        for selector in (alt for piece in _split(prelude) for alt in _alternatives(piece)):
            classes = {name.replace("\\", "") for name in _CLASS.findall(selector)}
            tokens = classes | {"[" + name for name in _ATTRIBUTE.findall(selector)}
            needs.append(frozenset(tokens - RUNTIME_TOKENS))
    return tuple(needs)


def page_classes(page_html: str) -> set[str]:
    """The classes of a page's HTML."""
    values = " ".join(a or b or c for a, b, c in _CLASS_ATTR.findall(page_html))
    return set((html.unescape(values) if "&" in values else values).split())


def _has_attribute(page_html: str, name: str) -> bool:
    """Whether an element of the page has the attribute `name` (found as text: fast), inside
    a tag rather than in the text (a value holding ' name=' is taken for one: no harm)."""
    start = page_html.find(name)
    while start != -1:
        end = start + len(name)
        if (
            page_html[start - 1 : start].isspace()
            and page_html[end : end + 1] in "=/> \n\t"
            and page_html.rfind("<", 0, start) > page_html.rfind(">", 0, start)
        ):
            return True
        start = page_html.find(name, end)
    return False


# A selector's needs as its classes and its attributes' names (split_needs).
Need = tuple[frozenset[str], tuple[str, ...]]


def split_needs(needs: Iterable[frozenset[str]]) -> tuple[Need, ...]:
    """Each selector's needs as its classes and its attributes: the classes are checked
    first, all at once, and most selectors fail on them."""
    return tuple(
        (
            frozenset(token for token in need if token[0] != "["),
            tuple(sorted(token[1:] for token in need if token[0] == "[")),
        )
        for need in needs
    )


@dataclass(frozen=True)
class NeedIndex:
    """Selectors' needs filed under one class each, the rarest: a page is checked against
    the selectors filed under its own classes (and those needing no class), not all."""

    by_class: dict[str, tuple[Need, ...]] = field(compare=False)
    classless: tuple[Need, ...]
    needs: tuple[Need, ...]  # all of them, as given

    @staticmethod
    def of(needs: Iterable[Need]) -> NeedIndex:
        needs = tuple(needs)
        counts = Counter(name for need_classes, _ in needs for name in need_classes)
        filed: dict[str, list[Need]] = {}
        for need in needs:
            if need[0]:
                rarest = min(need[0], key=lambda name: (counts[name], name))
                filed.setdefault(rarest, []).append(need)
        by_class = {name: tuple(group) for name, group in filed.items()}
        return NeedIndex(by_class, tuple(need for need in needs if not need[0]), needs)

    def candidates(self, classes: set[str]) -> Iterator[Need]:
        """The selectors that may match a page with these classes."""
        yield from self.classless
        by_class = self.by_class
        for name in by_class.keys() & classes:  # at once, not a lookup per class of the page
            yield from by_class[name]


@dataclass(frozen=True)
class PagePart:
    """A part of a page put in after its assets are chosen (its sidebar, which is most of
    its HTML): its HTML, and its classes, found once for all the pages that show it."""

    html: str
    classes: frozenset[str]
    # The HTML whose attributes count, when it is not `html`: a shared sidebar's script tag
    # stands for the sidebar it shows (docsite.sharedsidebar).
    shown: str | None = None


def matches(
    needs: Iterable[Need] | NeedIndex,
    page_html: str,
    classes: set[str],
    parts: tuple[PagePart, ...] = (),
) -> bool:
    """Whether a selector could match the page (its `classes` found already): attributes
    are looked for only for a selector whose classes are all there, each once, in the page
    and in the `parts` put in later."""
    if isinstance(needs, NeedIndex):
        needs = needs.candidates(classes)
    found: dict[str, bool] = {}

    def present(name: str) -> bool:
        if name not in found:
            found[name] = _has_attribute(page_html, name) or any(
                _has_attribute(part.html if part.shown is None else part.shown, name)
                for part in parts
            )
        return found[name]

    return any(
        need_classes <= classes and all(present(name) for name in attributes)
        for need_classes, attributes in needs
    )


@dataclass(frozen=True)
class AssetRules:
    """What decides a page's assets, the same for every page of a build."""

    stylesheets: tuple[NeedIndex, ...]  # each of OWN_STYLESHEETS' selectors' needs
    shared_icons: frozenset[str]  # icon classes icons.css holds: those of every page
    key: str = ""  # what the stylesheets' selectors need, for the theme's key

    def markup(
        self,
        page_html: str,
        icons: IconSet,
        root: str,
        asked: frozenset[str] = frozenset(),
        parts: tuple[PagePart, ...] = (),
    ) -> str:
        """The `<link>`s, `<script>` and icon styles the page needs, as its head holds them;
        `root` starts the links; `asked`: icon classes the page's scripts may show; `parts`:
        what the page shows that is not in `page_html` yet."""
        own_classes = page_classes(page_html)
        classes = own_classes.union(*(part.classes for part in parts))
        linked = [
            path
            for path, needs in zip(OWN_STYLESHEETS, self.stylesheets, strict=True)
            if matches(needs, page_html, classes, parts)
        ]
        tags = [f'<link rel="stylesheet" href="{root}{path}">' for path in linked]
        shown = page_icons(own_classes).union(*(_part_icons(part.classes) for part in parts))
        own = sorted((shown | asked) - self.shared_icons)
        if own:
            tags.append(f'<style class="page-icons">{icons.class_stylesheet(own)}</style>')
        if COMPONENTS_CSS in linked:
            tags.append(f'<script src="{root}{COMPONENTS_JS}" defer></script>')
        return "\n".join(tags)


def page_icons(classes: set[str]) -> set[str]:
    """The icon names (`i-<name>` classes) among a page's classes."""
    return {name[2:] for name in classes if name.startswith("i-") and _ICON_CLASS.match(name)}


@functools.lru_cache(maxsize=256)
def _part_icons(classes: frozenset[str]) -> frozenset[str]:
    """`page_icons` of a part many pages show (a folder's sidebar): found once for them."""
    return frozenset(page_icons(classes))
