"""Embeds: `[!embed aspect="4:3"](url)`, and YouTube, Instagram and Google Maps URLs alone on
their line (or a Google Maps `<iframe>` snippet).

Nothing is loaded from the other site until the reader asks: the page shows a placeholder
with the embed's title, its address and a play button, and components.js makes the frame on
the click. Without JavaScript, the placeholder links to the address. A file of the site itself
(`[!embed](/api/explorer.html)`) is framed at once, as Retype does.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from docsite.diagnostics import did_you_mean
from docsite.markdown.components.calls import Call, add_call_rule, check_attributes
from docsite.markdown.components.targets import missing_link, resolve_target
from docsite.markdown.context import RenderContext

ATTRIBUTES = ("aspect", "height", "width", "el", "allowFullScreen", "text")
ASPECTS = ("1:1", "4:3", "16:9", "21:9")
ELEMENTS = ("iframe", "embed", "video", "object")
_LENGTH = re.compile(r"^\d+(\.\d+)?(px|%|em|rem|vh|vw)?$")
_YOUTUBE = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?P<query>[^#\s]*)|embed/(?P<embed>[\w-]+)"
    r"(?:\?(?P<equery>[^#\s]*))?)|youtu\.be/(?P<short>[\w-]+)(?:\?(?P<squery>[^#\s]*))?)$"
)
# What a page with an embed holds (an address that embeds, or [!embed]): others are skipped at
# once. Searched for in the lowercased page: a case-blind pattern is fifteen times slower.
_MAY_EMBED = ("youtu", "instagram.com", "google.", "[!embed")
_INSTAGRAM = re.compile(r"^https?://(?:www\.)?instagram\.com/(?P<kind>p|reel)/(?P<id>[\w-]+)/?$")
_MAPS = re.compile(r"^https://(?:www\.)?google\.[a-z.]+/maps/embed\?\S+$")
_MAPS_IFRAME = re.compile(
    r'^\s*<iframe\s[^>]*?src="(?P<src>https://(?:www\.)?google\.[a-z.]+/maps/embed\?[^"]+)"'
    r"[^>]*>\s*</iframe>\s*$"
)


@dataclass(frozen=True)
class Embed:
    """An embedded frame (a video, a map), as the page shows it."""

    src: str  # what the frame loads
    link: str  # the address shown to the reader, and followed without JavaScript
    title: str
    kind: str = "embed"  # embed, youtube, instagram, map
    aspect: str = "16:9"
    el: str = "iframe"
    full_screen: bool = True
    height: str = ""
    width: str = ""
    caption: str = ""


def embed_plugin(md: MarkdownIt) -> None:
    add_call_rule(md, "embed", _check)
    md.core.ruler.push("docsite_auto_embed", _auto_embeds)
    md.add_render_rule("embed", _render_call)
    md.add_render_rule("auto_embed", _render_auto)


def _check(token: Token, call: Call, block: Token, ctx: RenderContext) -> None:
    check_attributes(call, ATTRIBUTES, ctx, block)
    token.meta["embed"] = None
    if not call.link:
        missing_link(ctx, block, call.source, "embed")
        return
    target = resolve_target(call.link, ctx, block, call.kind)
    if target is None:
        return
    known = auto_embed(call.link) if target.external else None
    token.meta["embed"] = Embed(
        src=known.src if known is not None and known.kind == "youtube" else target.href,
        link=target.href,
        title=call.get("text") or (known.title if known else _host(call.link)),
        aspect=_choice(call, "aspect", ASPECTS, "16:9", ctx, block),
        el=_choice(call, "el", ELEMENTS, "iframe", ctx, block),
        full_screen=_full_screen(call, ctx, block),
        height=_length(call, "height", ctx, block),
        width=_length(call, "width", ctx, block),
        caption=call.get("text"),
    )


def _choice(
    call: Call, name: str, known: tuple[str, ...], default: str, ctx: RenderContext, block: Token
) -> str:
    value = call.get(name, default).strip().lower()
    if value in known:
        return value
    ctx.warning(
        block,
        f"{name}=",
        f"unknown {name} '{value}' in [!embed]; {default} is used",
        did_you_mean(value, known) or f"use one of: {', '.join(known)}",
    )
    return default


def _full_screen(call: Call, ctx: RenderContext, block: Token) -> bool:
    value = call.get("allowFullScreen", "true").strip().lower()
    if value not in ("true", "false"):
        ctx.warning(
            block,
            "allowFullScreen=",
            f"allowFullScreen is '{value}' in [!embed]; full screen stays allowed",
            'write allowFullScreen="false" to turn it off',
        )
    return value != "false"


def _length(call: Call, name: str, ctx: RenderContext, block: Token) -> str:
    value = call.get(name).strip()
    if not value:
        return ""
    if _LENGTH.match(value):
        return value if not value[-1].isdigit() else value + "px"
    ctx.warning(
        block,
        f"{name}=",
        f"{name} '{value}' in [!embed] is not a length; it is ignored",
        f'write pixels, e.g. {name}="300", or a CSS length such as 50%',
    )
    return ""


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


# ---- URLs alone on their line ----------------------------------------------------------------


def auto_embed(url: str) -> Embed | None:
    """The embed Retype makes of a URL alone on its line, or None for an ordinary link."""
    url = url.strip()
    youtube = _YOUTUBE.match(url)
    if youtube:
        return _youtube(url, youtube)
    instagram = _INSTAGRAM.match(url)
    if instagram:
        kind, post = instagram.group("kind"), instagram.group("id")
        src = f"https://www.instagram.com/{kind}/{post}/embed"
        title = "Instagram reel" if kind == "reel" else "Instagram post"
        return Embed(src, url, title, "instagram", "4:5", full_screen=False)
    if _MAPS.match(url):
        return Embed(url, url, "Google Maps", "map", "4:3")
    return None


def _youtube(url: str, match: re.Match[str]) -> Embed | None:
    video = match.group("embed") or match.group("short")
    query = urllib.parse.parse_qsl(
        match.group("query") or match.group("equery") or match.group("squery") or ""
    )
    params = []
    for name, value in query:
        if name == "v":
            video = video or value
        elif name == "t":  # a watch page's time is the player's start, in seconds
            seconds = _seconds(value)
            if seconds:
                params.append(("start", seconds))
        else:
            params.append((name, value))
    if not video:
        return None
    if dict(params).get("loop") == "1" and "playlist" not in dict(params):
        params.append(("playlist", video))  # YouTube loops only a playlist
    if "autoplay" not in dict(params):  # the reader's click on the placeholder starts it
        params.append(("autoplay", "1"))
    src = f"https://www.youtube.com/embed/{video}?" + urllib.parse.urlencode(params)
    return Embed(src, url, "YouTube video", "youtube")


def _seconds(value: str) -> str:
    """'90', '90s', '1m30s' -> '90'."""
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", value)
    if not match or not any(match.groups()):
        return ""
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return str(hours * 3600 + minutes * 60 + seconds)


def _auto_embeds(state: StateCore) -> None:
    source = state.src.lower()
    if not any(needle in source for needle in _MAY_EMBED):  # no address that embeds
        return
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        found: list[Embed] | None = None
        span = 1
        if token.type == "html_block":
            snippet = _MAPS_IFRAME.match(token.content)
            if snippet:
                src = html.unescape(snippet.group("src"))
                found = [Embed(src, src, "Google Maps", "map", "4:3")]
        elif token.type == "paragraph_open" and not token.hidden and index + 2 < len(tokens):
            found = _line_embeds(tokens[index + 1])
            span = 3
            if _only_embed_calls(tokens[index + 1]):  # a figure may not sit in a <p>
                token.hidden = tokens[index + 2].hidden = True
        if found:
            made = []
            for embed in found:
                made.append(Token("auto_embed", "figure", 0))
                made[-1].meta = {"embed": embed}
                made[-1].map = token.map
            tokens[index : index + span] = made
            index += len(made)
        else:
            index += 1


def _only_embed_calls(inline: Token) -> bool:
    kinds = {t.type for t in inline.children or [] if t.type != "text" or t.content.strip()}
    return "embed" in kinds and kinds <= {"embed", "softbreak"}


def _line_embeds(inline: Token) -> list[Embed] | None:
    """One embed per line when every line of the paragraph is a URL that makes one."""
    if inline.type != "inline" or not inline.children:
        return None
    kinds = {t.type for t in inline.children}
    if not kinds <= {"text", "link_open", "link_close", "softbreak"}:
        return None
    lines = [line for line in inline.content.split("\n") if line.strip()]
    embeds = [auto_embed(line) for line in lines]
    if not embeds or any(embed is None for embed in embeds):
        return None
    return [embed for embed in embeds if embed is not None]


# ---- HTML --------------------------------------------------------------------------------------


def _frame_element(embed: Embed) -> str:
    """The inside of a frame showing a file of the site: the element itself, loaded with the
    page as in Retype, since nothing of another site is asked for."""
    src = escapeHtml(embed.src)
    if embed.el == "object":
        return f'><object data="{src}"></object>'
    if embed.el == "video":
        return f'><video src="{src}" controls></video>'
    if embed.el == "embed":
        return f'><embed src="{src}">'
    title = escapeHtml(embed.title)
    full_screen = " allowfullscreen" if embed.full_screen else ""
    return f'><iframe src="{src}" title="{title}" loading="lazy"{full_screen}></iframe>'


def _placeholder(embed: Embed) -> str:
    """The attributes and inside of a frame that another site fills once the reader clicks:
    its title, a play button, and the address, followed without JavaScript."""
    return (
        f' data-embed-src="{escapeHtml(embed.src)}" data-embed-el="{embed.el}" '
        f'data-embed-title="{escapeHtml(embed.title)}"'
        + (" data-embed-fullscreen" if embed.full_screen else "")
        + '><button type="button" class="embed-play" aria-label="Load and play: '
        f'{escapeHtml(embed.title)}"><span class="embed-play-icon" aria-hidden="true"></span>'
        f'<span class="embed-title">{escapeHtml(embed.title)}</span></button>'
        f'<a class="embed-link" href="{escapeHtml(embed.link)}" rel="noopener">'
        f"{escapeHtml(embed.link)}</a>"
    )


def embed_html(embed: Embed) -> str:
    width, height = embed.aspect.split(":")
    style = [f"--embed-aspect: {width} / {height}"]
    if embed.height:
        style.append(f"--embed-height: {embed.height}")
    if embed.width:
        style.append(f"max-width: {embed.width}")
    local = not re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", embed.src, re.IGNORECASE)
    frame = _frame_element(embed) if local else _placeholder(embed)
    caption = f"<figcaption>{escapeHtml(embed.caption)}</figcaption>" if embed.caption else ""
    classes = f"embed embed-{embed.kind}" + (" embed-fixed-height" if embed.height else "")
    return (
        f'<figure class="{classes}" style="{"; ".join(style)}">'
        f'<div class="embed-frame"{frame}</div>{caption}</figure>\n'
    )


def _render_call(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    embed = tokens[idx].meta.get("embed")
    if embed is None:
        return escapeHtml(tokens[idx].meta["call"].source)
    return embed_html(embed)


def _render_auto(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return embed_html(tokens[idx].meta["embed"])
