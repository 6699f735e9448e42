"""The colour variants shared by callouts, badges and buttons, and how a typo is reported."""

from __future__ import annotations

from markdown_it.token import Token

from docsite.diagnostics import did_you_mean
from docsite.frontmatter import BADGE_VARIANTS
from docsite.markdown.context import RenderContext

# Badges' variants (the same as the sidebar's), plus GitHub's alert kinds for callouts.
VARIANTS = (*BADGE_VARIANTS, "tip", "note", "important", "caution")


def checked_variant(
    value: str, default: str, ctx: RenderContext | None, block: Token | None, needle: str
) -> str:
    """The variant to use: the value when known, else the default after a warning."""
    variant = value.strip().lower()
    if not variant:
        return default
    if variant in VARIANTS:
        return variant
    if ctx is not None:
        ctx.warning(
            block,
            needle or value,
            f"unknown variant '{value}'; '{default}' is used instead",
            did_you_mean(variant, VARIANTS) or "variants are: " + ", ".join(VARIANTS),
        )
    return default
