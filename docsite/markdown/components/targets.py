"""Where an inline component's (link) points: an href, and the page or file behind it."""

from __future__ import annotations

import posixpath
import urllib.parse
from dataclasses import dataclass

from markdown_it.token import Token

from docsite.markdown.components.wikilink import component_target
from docsite.markdown.context import RenderContext
from docsite.markdown.links import resolve_link
from docsite.pages import Page
from docsite.sources import SourceFile
from docsite.urls import EXTERNAL_URL, refused_url


@dataclass(frozen=True)
class Target:
    """Where a component's link goes, and whether it leaves the site."""

    href: str
    page: Page | None = None  # the page linked to, when it is one of the site's
    external: bool = False


def resolve_target(raw: str, ctx: RenderContext, block: Token, kind: str) -> Target | None:
    """The target of a `[!kind]` component's link; None after an error diagnostic."""
    if not checked_url(raw, f"[!{kind}] link", ctx, block):
        return None
    raw = raw.strip()
    if raw.startswith("#"):
        return Target(raw, ctx.page)
    if EXTERNAL_URL.match(raw):
        return Target(raw, external=True)
    if raw.startswith("[[") and raw.endswith("]]"):
        found = component_target(raw, ctx, block)
    else:
        found = resolve_link(raw, ctx, block)
    if found is None:
        return None
    return Target(found.href, found.page)


def checked_url(raw: str, what: str, ctx: RenderContext, block: Token, image: bool = False) -> bool:
    """Whether a component may write `raw` (HTML-ish: '&colon;' is ':'); an error if not."""
    refused = refused_url(raw, what, image=image, entities=True)
    if refused is not None:
        ctx.error(block, raw, refused.message, refused.hint)
    return refused is None


def content_path(raw: str, ctx: RenderContext) -> str:
    """A link's path relative to content/, as resolve_link reads it."""
    path = urllib.parse.unquote(raw.partition("#")[0].partition("?")[0])
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(ctx.page.source.rel), path))


def find_asset(rel: str, ctx: RenderContext) -> SourceFile | None:
    return next((asset for asset in ctx.site.assets if asset.rel == rel), None)


def missing_link(ctx: RenderContext, block: Token, source: str, kind: str) -> None:
    ctx.error(
        block,
        source,
        f"[!{kind}] needs a link after it, e.g. [!{kind}](guide/setup.md)",
        "write the target page or file in parentheses right after the closing ']'",
    )
