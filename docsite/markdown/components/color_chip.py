"""Colour chips: inline code holding a hex colour (`#5495f1`, `#f00`) shows a small swatch of
that colour before the code, as Retype does."""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def color_chip_plugin(md: MarkdownIt) -> None:
    plain = md.renderer.rules.get("code_inline")

    def render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        if plain is not None:
            code = plain(tokens, idx, options, env)
        else:
            code = self.renderToken(tokens, idx, options, env)
        colour = tokens[idx].content.strip()
        if not _HEX_COLOUR.fullmatch(colour):
            return code
        chip = (
            f'<span class="color-chip" style="background-color: {colour}" aria-hidden="true">'
            "</span>"
        )
        return f'<span class="color-chip-code">{chip}{code}</span>'

    md.add_render_rule("code_inline", render)
