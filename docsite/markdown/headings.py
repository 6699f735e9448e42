"""Heading anchors (unique ids and permalinks) and the page's table of contents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

PERMALINK_SYMBOL = "#"
# The meta key of a heading's permalink (`_add_permalink`), which ends the heading's text.
PERMALINK = "permalink"
# What a heading id leaves out of its title (GitHub's rule). \w holds the CJK ideographs
# already: naming their range too made the pattern take 3 ms of every build to compile.
_NOT_IN_SLUG = re.compile(r"[^\w\- ]")


@dataclass(frozen=True)
class TocEntry:
    """A heading of "On this page"."""

    level: int
    id: str
    text: str


def headings_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("anchor", _add_anchors)
    md.core.ruler.after("anchor", "docsite_toc", _collect_toc)


def slugify(title: str) -> str:
    """Retype's heading ids: GitHub's (as mdit-py-plugins' anchors plugin makes them) without
    dashes at the ends, so `v4.6.0 [!badge New]` is `v460`: a component's text is no part of it."""
    slug = _NOT_IN_SLUG.sub("", title.strip().lower().replace(" ", "-"))
    return slug.strip("-")


def anchor_title(tokens: list[Token], index: int) -> str:
    """The text of the first inline token from `index` on: a heading's or a component's title,
    without the components inside it (badges, icons) or the markup around it. Looked for
    from `index` on without copying the tokens after it (a page of n headings: n copies)."""
    for position in range(index, len(tokens)):
        token = tokens[position]
        if token.type == "inline":
            children = token.children or []
            return "".join(c.content for c in children if c.type in ("text", "code_inline"))
    return ""


@dataclass
class UniqueSlugs:
    """`slug`, `slug-1`, `slug-2`... as mdit-py-plugins numbers them, in linear time: each
    slug resumes counting where it stopped, instead of probing from 1 on every repeat."""

    taken: set[str] = field(default_factory=set)
    next_suffix: dict[str, int] = field(default_factory=dict)

    def add(self, slug: str) -> str:
        if slug not in self.taken:
            self.taken.add(slug)
            return slug
        suffix = self.next_suffix.get(slug, 1)
        while f"{slug}-{suffix}" in self.taken:
            suffix += 1
        unique = f"{slug}-{suffix}"
        self.next_suffix[slug] = suffix + 1
        self.taken.add(unique)
        return unique


def _add_anchors(state: StateCore) -> None:
    """Give every heading a unique id and a permalink after its text, and the components
    that are anchors (tabs, steps, panels: `meta["anchor"]`) an id from their title."""
    tokens = state.tokens
    anchored = [
        index
        for index, token in enumerate(tokens)
        if token.type == "heading_open" or (token.meta and token.meta.get("anchor"))
    ]
    # Ids given explicitly are kept, and generated ones never collide with them.
    slugs = UniqueSlugs(
        {str(explicit) for index in anchored if (explicit := tokens[index].attrGet("id"))}
    )
    for index in anchored:
        token = tokens[index]
        if token.meta.get("anchor") and not token.attrGet("id"):
            token.attrSet("id", slugs.add(slugify(anchor_title(tokens, index)) or "section"))
        if token.type != "heading_open":
            continue
        slug = token.attrGet("id")
        if not slug:
            slug = slugs.add(slugify(anchor_title(tokens, index + 1)))
            token.attrSet("id", slug)
        _add_permalink(tokens[index + 1], str(slug))


def _add_permalink(inline: Token, slug: str) -> None:
    """The heading's permalink after its text: one token of HTML rather than a link's three,
    which every later rule would walk (and `docsite_links` check: it leads to the heading)."""
    children = inline.children if inline.children is not None else []
    permalink = (
        f'<a class="header-anchor" href="#{escapeHtml(slug)}" aria-hidden="true" '
        f'tabindex="-1">{PERMALINK_SYMBOL}</a>'
    )
    children.append(Token("text", "", 0, content=" "))
    children.append(Token("html_inline", "", 0, content=permalink, meta={PERMALINK: True}))
    inline.children = children


def _collect_toc(state: StateCore) -> None:
    toc: list[TocEntry] = []
    has_h1 = False
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        inline = state.tokens[index + 1]
        level = int(token.tag[1])
        slug = str(token.attrGet("id") or "")
        parts = []
        for child in inline.children or []:
            if PERMALINK in child.meta:
                break
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
        has_h1 = has_h1 or level == 1
        toc.append(TocEntry(level, slug, "".join(parts).strip()))  # H1s too: `toc.depth: 1-3`
    ctx = state.env.get("docsite") if isinstance(state.env, dict) else None
    if ctx is not None:  # a RenderContext: the page's result carries them
        ctx.toc, ctx.has_h1 = toc, has_h1
