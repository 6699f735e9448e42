"""Heading anchors (mdit-py-plugins) and the page's table of contents."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.anchors import anchors_plugin


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    text: str


def headings_plugin(md: MarkdownIt) -> None:
    md.use(anchors_plugin, min_level=1, max_level=6, permalink=True, permalinkSymbol="#")
    md.core.ruler.after("anchor", "docsite_toc", _collect_toc)


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
            if child.type == "link_open" and child.attrGet("class") == "header-anchor":
                child.attrSet("aria-hidden", "true")
                child.attrSet("tabindex", "-1")
                break
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
        if level == 1:
            has_h1 = True
        else:
            toc.append(TocEntry(level, slug, "".join(parts).strip()))
    state.env["toc"] = toc
    state.env["has_h1"] = has_h1
