"""Cards: `[!card](page.md)`, a link box with the target page's title, text and image.

Five layouts, set by a word (`[!card vert]`) or `layout="..."`: horizontal (the default),
vertical, compact, signal and snap. Each shows only some of the fields (title, text, image,
icon, kicker, footer); a field a layout does not show is reported, not silently dropped. A
paragraph of cards only is a group of cards, laid out side by side.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from docsite.blog import feature_image, post_date, post_summary
from docsite.diagnostics import did_you_mean
from docsite.icons import is_inline_svg
from docsite.markdown.components.calls import Call, add_call_rule, check_attributes
from docsite.markdown.components.icons import emoji_text
from docsite.markdown.components.targets import checked_url, missing_link, resolve_target
from docsite.markdown.context import RenderContext
from docsite.markdown.links import file_href
from docsite.pages import Page, section_label
from docsite.urls import EXTERNAL_URL

ATTRIBUTES = (
    "title",
    "text",
    "description",
    "image",
    "icon",
    "kicker",
    "footer",
    "footerAlign",
    "target",
    "layout",
)
LAYOUTS = {
    "horizontal": "horizontal",
    "vertical": "vertical",
    "vert": "vertical",
    "compact": "compact",
    "signal": "signal",
    "snap": "snap",
}
# The fields each layout shows (the title shows in all).
SHOWN = {
    "horizontal": {"text", "image", "kicker", "footer"},
    "vertical": {"text", "image", "kicker", "footer"},
    "compact": {"text", "icon"},
    "signal": {"text", "icon", "image", "kicker"},
    "snap": {"icon", "image"},
}
FOOTER_ALIGN = ("left", "center", "right")
_IMAGE_ICON = re.compile(r"^(https?:)?//|\.(svg|png|jpe?g|gif|webp|avif)$", re.IGNORECASE)


def card_plugin(md: MarkdownIt) -> None:
    def check(token: Token, call: Call, block: Token, ctx: RenderContext) -> None:
        _check(md, token, call, block, ctx)

    add_call_rule(md, "card", check)
    md.core.ruler.push("docsite_card_groups", _group_cards)
    md.add_render_rule("card", _render)


def _layout(call: Call, ctx: RenderContext, block: Token) -> tuple[str, str]:
    """The card's layout, and the title left in its positional text."""
    word = call.text.strip()
    written = call.get("layout") or (word if word.lower() in LAYOUTS else "")
    title = "" if word.lower() in LAYOUTS else word
    if not written:
        return "horizontal", title
    layout = LAYOUTS.get(written.lower())
    if layout is None:
        ctx.warning(
            block,
            written,
            f"unknown card layout '{written}'; the card is horizontal",
            did_you_mean(written, tuple(LAYOUTS)) or "layouts: " + ", ".join(LAYOUTS),
        )
        return "horizontal", title
    return layout, title


def _check(md: MarkdownIt, token: Token, call: Call, block: Token, ctx: RenderContext) -> None:
    check_attributes(call, ATTRIBUTES, ctx, block)
    layout, title = _layout(call, ctx, block)
    _warn_unshown(call, layout, ctx, block)
    meta = token.meta
    meta.update(href=None, layout=layout, title=call.get("title", title), text="", image="")
    meta.update(icon="", kicker=call.get("kicker"), footer=call.get("footer"), target="")
    meta["align"] = _footer_align(call, ctx, block)
    if not call.link:
        missing_link(ctx, block, call.source, "card")
        return
    target = resolve_target(call.link, ctx, block, call.kind)
    if target is None:
        return
    page = target.page
    meta["href"] = target.href
    meta["target"] = browser_target(call.get("target"))
    meta["title"] = emoji_text(meta["title"] or (page.label if page else call.link))
    if page is not None:
        ctx.summarized.append(page.source.rel)  # its text, image and date show here
    text = call.get("text", call.get("description", page.settings.description if page else ""))
    rich = layout in ("horizontal", "vertical")
    meta["text"] = md.renderInline(text).strip() if rich and text else escapeHtml(text)
    if not text and page is not None:  # the page's first paragraph, as plain text
        meta["text"] = escapeHtml(post_summary(page))
    if page is not None and not meta["footer"]:
        date = post_date(page) or page.settings.created
        meta["footer"] = ctx.date_text(date) if date else None
    if page is not None and not meta["kicker"]:
        meta["kicker"] = ", ".join(page.settings.categories) or section_label(ctx.site, page)
    image = call.get("image") or (feature_image(page) if page else "")
    if image and "image" in SHOWN[layout]:
        meta["image"] = _image_href(image, page or ctx.page, ctx, block)
    icon = call.get("icon") or (page.settings.icon if page else "")
    if icon and "icon" in SHOWN[layout]:
        meta["icon"] = _icon(icon, page or ctx.page, ctx, block)


def _warn_unshown(call: Call, layout: str, ctx: RenderContext, block: Token) -> None:
    for name in ("text", "image", "icon", "kicker", "footer", "footerAlign"):
        field = "footer" if name == "footerAlign" else name
        if name in call.attributes and field not in SHOWN[layout]:
            ctx.warning(
                block,
                f"{name}=",
                f"a {layout} card does not show '{name}'; it is ignored",
                "use a layout that shows it: " + _layouts_showing(field),
            )


def _layouts_showing(field: str) -> str:
    return ", ".join(layout for layout, shown in SHOWN.items() if field in shown)


def _footer_align(call: Call, ctx: RenderContext, block: Token) -> str:
    align = call.get("footerAlign", "left").lower()
    if align in FOOTER_ALIGN:
        return align
    ctx.warning(
        block,
        "footerAlign=",
        f"unknown footerAlign '{align}' in [!card]; the footer is left aligned",
        "use left, center or right",
    )
    return "left"


def browser_target(value: str) -> str:
    """Retype's target names: 'blank' is '_blank', 'recent NEWS' is 'recent-news'."""
    name = "-".join(value.strip().lower().split())
    return "_" + name if name in ("blank", "parent", "top", "self") else name


def _icon(icon: str, owner: Page, ctx: RenderContext, block: Token) -> str:
    """An icon's HTML: an Octicon or emoji by name, else an image file or URL."""
    if is_inline_svg(icon):
        # Shown as a mask, where no script runs; one that could is refused at its page.
        return ctx.icon(icon, "icon card-icon")
    if _IMAGE_ICON.search(icon.strip()):
        href = _image_href(icon.strip(), owner, ctx, block)
        return f'<img class="card-icon" src="{escapeHtml(href)}" alt="">' if href else ""
    markup = ctx.icon(icon, "icon card-icon")
    if not markup:
        ctx.warning(block, icon, f"unknown icon '{icon}' in [!card]", ctx.icon_hint(icon))
    return markup


def _image_href(image: str, owner: Page, ctx: RenderContext, block: Token) -> str:
    """The image of the target page, written relative to that page, as seen from this one."""
    if not checked_url(image, "[!card] image", ctx, block, image=True):
        return ""
    if EXTERNAL_URL.match(image):
        return image
    if image.startswith("/"):
        rel = posixpath.normpath(image.lstrip("/"))
    else:
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(owner.source.rel), image))
    if rel not in ctx.asset_paths:
        ctx.warning(
            block,
            "[!card",
            f"the card's image '{image}' (of {owner.source.shown}) does not exist; it is left out",
            "put the image inside content/ and give its path relative to that page",
        )
        return ""
    return file_href(rel, ctx)


def _group_cards(state: StateCore) -> None:
    """A paragraph of cards only (one a line) becomes a group of cards."""
    if "[!card" not in state.src:  # no card on the page (the call rule's own test): no walk
        return
    tokens = state.tokens
    for index in range(1, len(tokens) - 1):
        inline, opening, closing = tokens[index], tokens[index - 1], tokens[index + 1]
        if inline.type != "inline" or opening.type != "paragraph_open" or opening.hidden:
            continue
        parts = [
            t for t in inline.children or [] if not (t.type == "text" and not t.content.strip())
        ]
        cards = [t for t in parts if t.type == "card"]
        if not cards or any(t.type not in ("card", "softbreak") for t in parts):
            continue
        layouts = {t.meta.get("layout", "horizontal") for t in cards}
        opening.tag = closing.tag = "div"
        group = "cards-" + (layouts.pop() if len(layouts) == 1 else "mixed")
        opening.attrSet("class", f"cards {group}")


def _render(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    title = escapeHtml(meta.get("title") or meta["call"].link or "")
    layout = meta.get("layout", "horizontal")
    if not meta.get("href"):
        return f'<span class="card card-{layout}">{title}</span>'
    shown = SHOWN[layout]
    parts = []
    if meta["image"]:
        parts.append(
            f'<span class="card-image"><img src="{escapeHtml(meta["image"])}" alt="" '
            'loading="lazy"></span>'
        )
    if meta["icon"] and not (layout in ("snap", "signal") and meta["image"]):
        parts.append(meta["icon"])
    body = []
    if meta["kicker"] and "kicker" in shown:
        body.append(f'<span class="card-kicker">{escapeHtml(meta["kicker"])}</span>')
    body.append(f'<span class="card-title">{title}</span>')
    if meta["text"] and "text" in shown:
        body.append(f'<span class="card-text">{meta["text"]}</span>')
    if meta["footer"] and "footer" in shown:
        body.append(
            f'<span class="card-footer card-footer-{meta["align"]}">'
            f"{escapeHtml(meta['footer'])}</span>"
        )
    target = meta.get("target")
    attrs = f' target="{escapeHtml(target)}" rel="noopener"' if target else ""
    return (
        f'<a class="card card-{layout}" href="{escapeHtml(meta["href"])}"{attrs}>'
        + "".join(parts)
        + f'<span class="card-body">{"".join(body)}</span></a>'
    )
