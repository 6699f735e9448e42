"""Images as Retype writes them: `![caption|300x200](x.png "title")`.

An image alone on its line is a figure with its caption, aligned by dashes around it
(`-![](x)` left, `![](x)-` right, `--` for the wider "plus" forms). `|300x200` or `|300` at the
end of the caption sets its size. An image `x.png` beside an `x-dark.png` shows the dark one
in the dark colour scheme.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from docsite.markdown.context import RenderContext
from docsite.markdown.links import file_href, find_file
from docsite.urls import EXTERNAL_URL, root_prefix

_SIZE = re.compile(r"\|\s*(\d+)(?:\s*x\s*(\d+))?\s*$")
# The dashes around an image alone on its line: (before, after) -> alignment.
ALIGNMENTS = {
    ("", ""): "center",
    ("-", ""): "left",
    ("--", ""): "leftplus",
    ("", "-"): "right",
    ("", "--"): "rightplus",
    ("--", "--"): "centerplus",
}


def image_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("docsite_images", _images)
    md.add_render_rule("image_figure", _render_figure)


def _images(state: StateCore) -> None:
    if "![" not in state.src:  # no image, nor ![[wikilink]]: no walk of every token
        return
    ctx: RenderContext | None = state.env.get("docsite")
    images = False
    for block in state.tokens:
        if block.type == "inline" and any(child.type == "image" for child in block.children or ()):
            images = True
            block.children = [
                part
                for token in block.children
                for part in (_image_variants(token, ctx) if token.type == "image" else [token])
            ]
    if not images:  # most pages: no paragraph to make a figure of
        return
    tokens = state.tokens
    index = 0
    while index + 2 < len(tokens):
        if tokens[index].type != "paragraph_open":
            index += 1
            continue
        figure = _as_figure(tokens[index : index + 3])
        if figure is not None:
            tokens[index : index + 3] = [figure]
        else:
            tokens[index : index + 3] = _figure_on_first_line(tokens[index : index + 3])
        index += 1


def _image_variants(token: Token, ctx: RenderContext | None) -> list[Token]:
    """The image with its size taken out of its caption, and its dark twin when it has one."""
    _take_size(token)
    dark = _dark_twin(token, ctx)
    if dark is None:
        return [token]
    token.attrJoin("class", "image-light")
    twin = Token("image", "img", 0)
    twin.attrs = {**token.attrs, "src": dark, "class": "image-dark"}
    twin.children, twin.content = token.children, token.content
    return [token, twin]


def _take_size(token: Token) -> None:
    last = token.children[-1] if token.children else None
    if last is None or last.type != "text":
        return
    match = _SIZE.search(last.content)
    if match is None:
        return
    last.content = last.content[: match.start()].rstrip()
    token.content = _SIZE.sub("", token.content).rstrip()
    token.attrSet("width", match.group(1))
    if match.group(2):
        token.attrSet("height", match.group(2))


def _dark_twin(token: Token, ctx: RenderContext | None) -> str | None:
    """The href of `name-dark.ext` beside a local image `name.ext`, if the site has one."""
    src = token.attrGet("src")
    if ctx is None or not isinstance(src, str) or not src or EXTERNAL_URL.match(src):
        return None
    prefix = root_prefix(ctx.page.url)
    if not src.startswith(prefix):
        return None
    stem, ext = posixpath.splitext(urllib.parse.unquote(src[len(prefix) :]))
    # The src is the published path, in lower case when files are recased: the twin is the
    # file of that path, in whatever case it is written.
    twin = None if stem.endswith("-dark") else find_file(f"{stem}-dark{ext}", ctx.asset_paths)
    return None if twin is None else file_href(twin, ctx)


def _figure_on_first_line(tokens: list[Token]) -> list[Token]:
    """An image alone on a paragraph's first line is a figure too, as in Retype, and the
    lines after it stay a paragraph: `![](logo.png)` then a button on the next line."""
    opening, inline, closing = tokens
    children = inline.children or []
    if not any(child.type == "image" for child in children):
        return tokens  # most paragraphs: nothing to look at
    breaks = [i for i, child in enumerate(children) if child.type in ("softbreak", "hardbreak")]
    if opening.type != "paragraph_open" or opening.hidden or not breaks:
        return tokens
    if any(child.type == "image" for child in children[breaks[0] :]):
        return tokens  # images on several lines stay side by side in their paragraph
    first = Token("inline", "", 0, map=inline.map, children=children[: breaks[0]])
    figure = _as_figure([opening, first, closing])
    if figure is None:
        return tokens
    rest = Token("inline", "", 0, map=inline.map, children=children[breaks[0] + 1 :])
    rest.content = inline.content.partition("\n")[2]
    return [figure, opening, rest, closing]


def _as_figure(tokens: list[Token]) -> Token | None:
    """A paragraph holding one image (maybe linked, maybe with dashes) as a figure token."""
    opening, inline, _closing = tokens
    if opening.type != "paragraph_open" or inline.type != "inline" or opening.hidden:
        return None
    children = _dashes_out_of_link(list(inline.children or []))
    before = _dashes(children, 0)
    after = _dashes(children, -1)
    if before is None or after is None:
        return None
    core = children[1 if before else 0 : len(children) - (1 if after else 0)]
    images = [t for t in core if t.type == "image"]
    if not images or not _one_image(core):
        return None
    figure = Token("image_figure", "figure", 0)
    figure.map = opening.map
    figure.children = core
    figure.meta = {"align": ALIGNMENTS.get((before, after), "center"), "caption": images[0]}
    return figure


def _dashes_out_of_link(children: list[Token]) -> list[Token]:
    """`[--![](x)](href)`: dashes written inside the link around an image align it, as if
    written outside it."""
    if len(children) < 4 or children[0].type != "link_open" or children[-1].type != "link_close":
        return children
    inner = children[1:-1]
    before = _dashes(inner, 0)
    after = _dashes(inner, -1)
    if not (before or after) or before is None or after is None:
        return children
    core = inner[1 if before else 0 : len(inner) - (1 if after else 0)]
    lead = [Token("text", "", 0, content=before)] if before else []
    trail = [Token("text", "", 0, content=after)] if after else []
    return [*lead, children[0], *core, children[-1], *trail]


def _dashes(children: list[Token], index: int) -> str | None:
    """'-', '--' or '' at one end of a paragraph's children; None if other text is there."""
    if not children:
        return None
    token = children[index]
    if token.type != "text":
        return ""
    text = token.content.strip()
    return text if text in ("-", "--") else None


def _one_image(core: list[Token]) -> bool:
    """The image, its dark twin, and at most a link around them: nothing else."""
    kinds = [t.type for t in core]
    inner = kinds[1:-1] if kinds[:1] == ["link_open"] and kinds[-1:] == ["link_close"] else kinds
    return bool(inner) and all(kind == "image" for kind in inner) and len(inner) <= 2


def _render_figure(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    figure = tokens[idx]
    image = self.renderInline(figure.children, options, env)
    caption_tokens = figure.meta["caption"].children or []
    caption = self.renderInline(caption_tokens, options, env) if caption_tokens else ""
    figcaption = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
    return f'<figure class="image image-{figure.meta["align"]}">{image}{figcaption}</figure>\n'
