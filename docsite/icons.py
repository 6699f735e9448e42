"""Icons: Octicon names, emoji shortcodes and custom SVGs, resolved once per build.

Pages refer to icons by CSS class; the build writes one stylesheet holding only the icons
in use (as masks, so they take the text colour), which keeps every page small.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import octicons_pack

from docsite.emojis import emoji_package, shortcode_emoji

ICON_HINT = (
    "use an Octicon name, an emoji like :rocket:, an SVG in static/icons/, or a pack icon "
    "'pack-name' from _components/icon/<pack>/<name>.svg"
)
_SHORTCODE = re.compile(r"^:([a-z0-9_+\-]+):$")
_SIZE_SUFFIX = re.compile(r"-(12|16|24|48|96)$")


@dataclass(frozen=True)
class Icon:
    kind: str  # "svg" or "emoji"
    name: str  # the css class suffix for svg icons, the character for emoji
    svg: str = ""


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
        import difflib

        name = value.strip(":").removeprefix("icon-")
        custom = [p.stem for folder in self.custom_dirs for p in folder.glob("*.svg")]
        custom += self.pack_icons()
        return difflib.get_close_matches(name, [*custom, *octicon_names()], n=3, cutoff=0.6)

    def stylesheet(self, names: set[str]) -> str:
        """CSS for the SVG icons named, sorted so the output is reproducible."""
        rules = []
        icons = {self.resolve(name) for name in names}
        for icon in sorted({i for i in icons if i and i.kind == "svg"}, key=lambda i: i.name):
            data = urllib.parse.quote(_with_namespace(icon.svg).replace('"', "'"), safe=" :/='")
            rules.append(f'.i-{icon.name}{{--icon:url("data:image/svg+xml,{data}")}}')
        return "\n".join(rules) + ("\n" if rules else "")


def icon_markup(icon: Icon, css_class: str = "icon") -> str:
    """The one way an icon appears in a page: a masked span (SVG) or the emoji itself."""
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
