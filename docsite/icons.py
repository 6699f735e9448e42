"""Icons: Octicon names, emoji shortcodes, custom SVGs, inline `<svg>` and image files,
resolved once per build.

Pages refer to icons by CSS class, each drawn by a rule holding its SVG (a mask, so it takes
the text colour): icons.css holds those every page shows (the header's, the sidebar's top), and
a page's head the rest it shows (docsite.pageassets), so no page carries every icon. An inline
`<svg>` is such a mask too (an image: no script in it can run); an image file is an `<img>`.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from html.parser import HTMLParser
from pathlib import Path

import octicons_pack

from docsite.diagnostics import did_you_mean
from docsite.emojis import emoji_package, shortcode_emoji
from docsite.suggest import CloseWords
from docsite.urls import EXTERNAL_URL, UrlStyle, refused_url

ICON_HINT = (
    "use an Octicon name, an emoji like :rocket:, an SVG in static/icons/, or a pack icon "
    "'pack-name' from _components/icon/<pack>/<name>.svg"
)
_SHORTCODE = re.compile(r"^:([a-z0-9_+\-]+):$")
_SIZE_SUFFIX = re.compile(r"-(12|16|24|48|96)$")
_IMAGE_SUFFIX = re.compile(r"\.(svg|png|jpe?g|gif|webp|avif|ico|bmp)$", re.IGNORECASE)
# Elements of an inline SVG that could run script or show a page, were it ever inlined.
_REFUSED_SVG_ELEMENTS = ("script", "foreignobject", "iframe", "object", "embed", "handler")
_IMAGE_HINT = (
    "put the image inside content/ and give its path from this file or from the content root, "
    "e.g. /static/logo.svg"
)
# What an SVG keeps as it is in a data: URL inside url("..."): all but '%', '#', quotes,
# backslashes and spaces other than ' ' (browsers take '<' and '>' as they are).
_URI_SAFE = "".join(c for c in map(chr, range(32, 127)) if c not in '%#"\\')
SVG_HINT = "remove scripts, on* attributes and javascript: links from the SVG, or use an image file"


@dataclass(frozen=True)
class Icon:
    """An icon a name resolves to: an SVG of the theme, an emoji or an image."""

    kind: str  # "svg", "emoji" or "image"
    name: str  # the css class suffix (svg), the character (emoji), the content path or URL (image)
    svg: str = ""


def is_inline_svg(value: str) -> bool:
    """Markup, meant as an `<svg>` element (svg_problem says when it is not one)."""
    return value.lstrip().startswith("<")


def is_image_icon(value: str) -> bool:
    """'../static/rocket.png', '/static/logo.svg', 'https://...': a picture, not an icon name."""
    value = value.strip()
    return not is_inline_svg(value) and ("/" in value or bool(_IMAGE_SUFFIX.search(value)))


def icon_target(value: str, base_dir: str) -> str | None:
    """The content path an image icon names, written relative to `base_dir` (the folder of
    the page or settings file) or from the content root ('/static/x.svg'); None outside it."""
    path = urllib.parse.unquote(value.strip().partition("#")[0].partition("?")[0])
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(base_dir, path)
    target = posixpath.normpath(joined) if joined else ""
    return None if target in ("", ".") or target.startswith("../") or target == ".." else target


@lru_cache(maxsize=1 << 12)  # the sidebar asks for every page's, at every load
def site_icon(value: str, base_dir: str) -> str:
    """An icon value as the sidebar keeps it: an image path from the content root ('/a/b.png'),
    so that it means the same from every page; anything else unchanged."""
    if not is_image_icon(value) or EXTERNAL_URL.match(value.strip()):
        return value
    target = icon_target(value, base_dir)
    return "/" + target if target is not None else value


class _SvgCheck(HTMLParser):
    """Finds what an inline SVG must not hold: script, event handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problem = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.problem:
            return
        if tag in _REFUSED_SVG_ELEMENTS:
            self.problem = f"holds a <{tag}> element"
        for name, value in attrs:
            if name.startswith("on"):
                self.problem = self.problem or f"has an event handler attribute '{name}'"
            elif value and refused_url(value, f"its '{name}'", image=True, entities=True):
                self.problem = self.problem or f"has a script URL in its '{name}' attribute"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_decl(self, decl: str) -> None:
        self.problem = self.problem or "holds a declaration (<!DOCTYPE or <!ENTITY)"

    def handle_pi(self, data: str) -> None:
        self.problem = self.problem or "holds a processing instruction (<?...?>)"


def svg_problem(svg: str) -> str:
    """Why an inline `<svg>` icon is refused, or '' when it is a plain drawing."""
    text = svg.strip()
    if text[:4].lower() != "<svg" or not text.lower().endswith("</svg>"):
        return "is not one <svg>...</svg> element"
    check = _SvgCheck()
    check.feed(text)
    check.close()
    return check.problem


@cache
def octicon_names() -> tuple[str, ...]:
    names = set()
    for attr in octicons_pack.__all__:
        value = getattr(octicons_pack, attr, None)
        if isinstance(value, octicons_pack.Icon):
            names.add(_SIZE_SUFFIX.sub("", value.slug))
    return tuple(sorted(names))


def _octicon_svg(name: str) -> str:
    for size in ("16", "24", "12"):
        found = octicons_pack.get_icon(f"{name}-{size}")
        if found is not None:
            return found.svg
    return ""


def _is_emoji_text(value: str) -> bool:
    # Icon names are ASCII: the emoji package (20 ms to import) is loaded only for emoji.
    return bool(value) and not value.isascii() and emoji_package().purely_emoji(value)


@dataclass
class IconSet:
    """The icons of one site: custom SVGs from static/icons, then Octicons, then emoji."""

    custom_dirs: list[Path] = field(default_factory=list)
    # Folders holding icon packs, Retype's _components/icon/: <pack>/<name>.svg is 'pack-name'.
    pack_roots: list[Path] = field(default_factory=list)
    used: dict[str, Icon] = field(default_factory=dict)
    # The content folder's files: image icons are looked up there.
    asset_paths: frozenset[str] = frozenset()
    # How the site names those files when it publishes them (`generator.recase`).
    urls: UrlStyle = field(default_factory=UrlStyle)
    # The CSS of each set of icon classes asked for (class_stylesheet).
    _class_css: dict[frozenset[str], str] = field(default_factory=dict, repr=False, compare=False)
    # Every name an icon may be given, to find one close to a mistake (made at the first).
    _names: CloseWords | None = field(default=None, repr=False, compare=False)

    def resolve(self, value: str) -> Icon | None:
        """The icon for a frontmatter value, or None when nothing is known by that name."""
        value = value.strip()
        if value in self.used:
            return self.used[value]
        icon = self._lookup(value)
        if icon is not None:
            self.used[value] = icon
        return icon

    def _lookup(self, value: str) -> Icon | None:
        if is_inline_svg(value):
            if svg_problem(value):
                return None
            digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]
            return Icon("svg", f"s-{digest}", value)
        if is_image_icon(value):
            return self._image(value)
        shortcode = _SHORTCODE.match(value)
        if shortcode:
            char = shortcode_emoji(shortcode.group(1))
            return Icon("emoji", char) if char else None
        if _is_emoji_text(value):
            return Icon("emoji", value)
        name = value.removeprefix("icon-")
        packed = self._pack_icon(name)
        if packed is not None:
            return packed
        for folder in self.custom_dirs:
            svg_file = folder / f"{name}.svg"
            if re.fullmatch(r"[A-Za-z0-9_\-]+", name) and svg_file.is_file():
                return Icon("svg", f"c-{name}", svg_file.read_text(encoding="utf-8"))
        svg = _octicon_svg(name)
        return Icon("svg", name, svg) if svg else None

    def _pack_icon(self, name: str) -> Icon | None:
        """'lucide-rocket' from <root>/lucide/rocket.svg (a pack's name may hold '-')."""
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", name):
            return None
        for root in self.pack_roots:
            for dash in (i for i, char in enumerate(name) if char == "-"):
                svg_file = root / name[:dash] / f"{name[dash + 1 :]}.svg"
                if svg_file.is_file():
                    return Icon("svg", f"p-{name}", svg_file.read_text(encoding="utf-8"))
        return None

    def _image(self, value: str) -> Icon | None:
        """An image icon: a URL as written, else a file of the content folder (a value
        without a leading '/' is read from the content root, as header links write it)."""
        if refused_url(value, "an icon", image=True) is not None:
            return None
        if EXTERNAL_URL.match(value):
            return Icon("image", value)
        found = self.image_file(icon_target(value, ""))
        return Icon("image", self.urls.file_path(found)) if found else None

    def image_file(self, target: str | None) -> str | None:
        """The content file at `target`, or the one file whose path differs only in case."""
        if target is None:
            return None
        if target in self.asset_paths:
            return target
        same = [rel for rel in self.asset_paths if rel.lower() == target.lower()]
        return same[0] if len(same) == 1 else None

    def image_problem(self, value: str, base_dir: str) -> tuple[str, str] | None:
        """Why an image icon (relative to `base_dir`) cannot be shown: (message, hint)."""
        refused = refused_url(value, "an icon", image=True)
        if refused is not None:
            return refused.message, refused.hint
        if EXTERNAL_URL.match(value.strip()):
            return None
        target = icon_target(value, base_dir)
        if target is None:
            return f"the icon '{value}' points outside the content folder", _IMAGE_HINT
        if self.image_file(target) is not None:
            return None
        images = sorted("/" + rel for rel in self.asset_paths if _IMAGE_SUFFIX.search(rel))
        hint = did_you_mean("/" + target, images, limit=1) or _IMAGE_HINT
        return f"the icon's image '{value}' does not exist", hint

    def pack_icons(self) -> list[str]:
        """The names of every icon of the packs, 'pack-name'."""
        return sorted(
            f"{pack.name}-{svg.stem}"
            for root in self.pack_roots
            for pack in root.iterdir()
            if pack.is_dir()
            for svg in pack.glob("*.svg")
        )

    def suggestions(self, value: str) -> list[str]:
        """Up to three names close to an unknown icon's: a site that misspells one icon on
        many pages looks through the folders and the names once."""
        if self._names is None:
            custom = [p.stem for folder in self.custom_dirs for p in folder.glob("*.svg")]
            self._names = CloseWords([*custom, *self.pack_icons(), *octicon_names()])
        return self._names.closest(value.strip(":").removeprefix("icon-"), 3)

    def stylesheet(self, names: set[str]) -> str:
        """CSS for the SVG icons named, sorted so the output is reproducible."""
        return _icon_rules({self.resolve(name) for name in names})

    def class_stylesheet(self, classes: Iterable[str]) -> str:
        """CSS for icons by the names their classes carry (`i-rocket` is `rocket`): those
        this build showed, or an icon known by that name (a page's own `<span class="i-x">`)."""
        names = frozenset(classes)
        if names not in self._class_css:  # pages often show the same few icons
            shown = {icon.name: icon for icon in self.used.values()}
            found = (shown.get(name) or self.resolve(name) for name in names)
            self._class_css[names] = _icon_rules({i for i in found if i and i.name in names})
        return self._class_css[names]


def _icon_rules(icons: set[Icon | None]) -> str:
    shown = sorted({i for i in icons if i and i.kind == "svg"}, key=lambda i: i.name)
    return "".join(_icon_rule(icon) for icon in shown)


@cache
def _icon_rule(icon: Icon) -> str:
    """An icon's CSS rule, made once: pages showing the same icon repeat it."""
    data = urllib.parse.quote(_with_namespace(icon.svg).replace('"', "'"), safe=_URI_SAFE)
    return f'.i-{icon.name}{{--icon:url("data:image/svg+xml,{data}")}}\n'


def icon_markup(icon: Icon, css_class: str = "icon", root: str = "") -> str:
    """The one way an icon appears in a page: a masked span (SVG), the emoji itself, or an
    image; `root` is the way from the page to the site root, for an image of the site."""
    if icon.kind == "image":
        external = EXTERNAL_URL.match(icon.name)
        src = html.escape(icon.name) if external else root + urllib.parse.quote(icon.name)
        return f'<img class="{css_class} icon-image" src="{src}" alt="">'
    if icon.kind == "emoji":
        return f'<span class="{css_class} icon-emoji" aria-hidden="true">{icon.name}</span>'
    return f'<span class="{css_class} i-{icon.name}" aria-hidden="true"></span>'


def _with_namespace(svg: str) -> str:
    svg = " ".join(svg.split())
    if "xmlns=" not in svg:
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return svg


def icon_pack_roots(root: Path, content_dir: Path) -> list[Path]:
    """The folders of icon packs: _components/icon/ of the content folder (where Retype
    projects keep it) and of the project."""
    found = [folder / "_components" / "icon" for folder in (content_dir, root)]
    return [d for d in dict.fromkeys(d.resolve() for d in found) if d.is_dir()]


def icon_pack_files(root: Path, content_dir: Path) -> list[Path]:
    """Every SVG of the icon packs: inputs of the build."""
    return sorted(
        svg for folder in icon_pack_roots(root, content_dir) for svg in folder.glob("*/*.svg")
    )
