"""markdown-it's HTML renderer, its generic parts done with less work per token.

A page's HTML is rendered token by token; most tokens (paragraphs, list items, emphasis)
have no rule of their own and no attributes, and go through `renderToken`, which builds
its tag a piece at a time and copies the token's attributes into a list before looking at
them. The methods here write the same HTML (a test renders random Markdown with both).
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict


class HtmlRenderer(RendererHTML):
    """RendererHTML's `render`, `renderInline`, `renderToken` and `renderAttrs`, the same."""

    def render(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        rules = self.rules
        out: list[str] = []
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                if token.children:
                    out.append(self.renderInline(token.children, options, env))
                continue
            rule = rules.get(kind)
            if rule is not None:
                out.append(rule(tokens, index, options, env))
            else:
                out.append(self.renderToken(tokens, index, options, env))
        return "".join(out)

    def renderInline(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        rules = self.rules
        out: list[str] = []
        for index, token in enumerate(tokens):
            rule = rules.get(token.type)
            if rule is not None:
                out.append(rule(tokens, index, options, env))
            else:
                out.append(self.renderToken(tokens, index, options, env))
        return "".join(out)

    def renderToken(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        if token.hidden:  # a tight list's paragraph
            return ""
        nesting = token.nesting
        # A newline between a hidden paragraph and the block tag that opens after it.
        lead = "\n" if token.block and nesting != -1 and idx and tokens[idx - 1].hidden else ""
        tag = ("</" if nesting == -1 else "<") + token.tag
        attrs = self.renderAttrs(token) if token.attrs else ""
        close = " />" if nesting == 0 and options["xhtmlOut"] else ">"
        if token.block:
            newline = True
            if nesting == 1 and idx + 1 < len(tokens):
                after = tokens[idx + 1]
                if after.type == "inline" or after.hidden:
                    newline = False  # a block tag holding inline content
                elif after.nesting == -1 and after.tag == token.tag:
                    newline = False  # an opening tag closed at once: <li></li>
            if newline:
                close += "\n"
        return lead + tag + attrs + close

    @staticmethod
    def renderAttrs(token: Token) -> str:
        return "".join(
            f' {escapeHtml(key)}="{escapeHtml(str(value))}"' for key, value in token.attrs.items()
        )
