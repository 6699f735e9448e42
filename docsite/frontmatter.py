"""Page settings: Retype's frontmatter keys, read from the page or a paired .yml file.

python-frontmatter recognises and splits the frontmatter; its YAML is parsed here, from the
line it starts on, so every message names the file's own line and column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

import frontmatter

from docsite.config import BADGE_VARIANTS, NEXTPREV_MODES, TocDepth, link_target
from docsite.diagnostics import DiagnosticError, Report, did_you_mean
from docsite.schema import (
    INVALID,
    AnyMapping,
    AnyOf,
    Bool,
    Choice,
    Context,
    Date,
    Int,
    ListOf,
    Mapping,
    Spec,
    Str,
    check_document,
    dotted,
    type_name,
)
from docsite.urls import UrlSetting
from docsite.yamldoc import Path, Position, YamlDocument, load_yaml

# Retype accepts `icon: :rocket:` unquoted; YAML 1.1 reads a leading ':' as syntax.
_BARE_SHORTCODE = re.compile(r"^([ \t]*[A-Za-z_][\w.-]*:[ \t]+)(:[a-z0-9_+\-]+:)[ \t]*$", re.M)
_YAML_FRONTMATTER = frontmatter.YAMLHandler()
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# protected and private need a password in Retype; docsite publishes no text of theirs.
VISIBILITIES = ("public", "hidden", "protected", "private")
WITHHELD = ("protected", "private")
LAYOUTS = (
    "default",
    "page",
    "central",
    "blog",  # Retype's blog post: not in the sidebar, like `page`
)
NAV_MODES = ("default", "stack")
BADGE_CORNERS = ("round", "square", "pill")
BADGE_SIZES = ("xs", "s", "m", "l", "xl", "2xl", "3xl")


@dataclass(frozen=True)
class Badge:
    """A sidebar badge (`nav.badge`), with the looks of the [!badge] component."""

    text: str
    variant: str = "primary"
    icon: str = ""
    icon_right: bool = False
    corners: str = ""  # "" for the theme's
    size: str = ""
    link: str = ""  # where the badge leads, beside the item's own link
    target: str = ""


@dataclass(frozen=True)
class Author:
    """A page's author, as bylines and `content.authors` show them."""

    name: str
    email: str = ""
    link: str = ""
    avatar: str = ""  # an image's path or URL, in place of Gravatar's picture


@dataclass(frozen=True)
class PageBacklinks:
    """A page's own `backlinks` settings; None means the project's."""

    enabled: bool | None = None
    title: str = ""
    max_results: int | None = None


@dataclass(frozen=True)
class Located:
    """Where a setting was written: the file and position, for later diagnostics."""

    file: str
    line: int
    col: int


@dataclass
class PageSettings:
    """A page's frontmatter, checked: each setting's default is what an absent key means."""

    order: int | float | str | None = None
    label: str = ""
    icon: str = ""
    permalink: str = ""
    badge: Badge | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # Retype's `category`: broad groups
    title: str = ""
    description: str = ""
    visibility: str = "public"
    layout: str = "default"
    expanded: bool = False
    redirect: str = ""
    redirect_from: list[str] = field(default_factory=list)  # old paths that lead here
    authors: list[Author] = field(default_factory=list)
    date: dt.date | None = None
    date_time: dt.time | None = None  # the time of day `date` gives, when it gives one
    image: str = ""
    templating: bool = True  # `{{ include }}` and `{{ page.label }}` in the body
    last_updated: dt.date | None = None  # set by hand: shown instead of the git date
    last_updated_by: str = ""
    created: dt.date | None = None  # when the page first went live (Retype's `created`)
    meta_title: str = ""  # the whole <title>, in place of the one docsite makes
    meta_description: str = ""  # the meta description, in place of `description`
    target: str = ""  # where its sidebar link opens: "_blank" for a new tab
    backlinks: PageBacklinks = PageBacklinks()
    nextprev: str = ""  # "show", "hide" or "exclude"; "" for its folder's or the site's
    nav_mode: str = ""  # "stack" opens its top-level folder's sidebar list; "" for the site's
    breadcrumb: bool | None = None  # the site's when None
    toc_levels: tuple[int, ...] | None = None  # the site's when None
    toc_label: str = ""
    data: dict[str, Any] = field(default_factory=dict)  # values of its own, for templating
    # Where each key was set, so checks made later (icons, links) can point at it: (file,
    # line, column), plain tuples, since a rebuild unpickles every page's settings.
    located: dict[str, tuple[str, int, int]] = field(default_factory=dict)

    def where(self, key: str, fallback: str) -> Located:
        found = self.located.get(key)
        return Located(*found) if found is not None else Located(fallback, 1, 1)

    # Pickled as the settings that differ from their defaults, which the class holds: a
    # rebuild unpickles every page's settings, most of them defaults (5,000 pages as read:
    # 73 ms with every field, 56 ms without the defaults; without a __setstate__ to put
    # them back, the settings unpickle in about a fifth less time again).
    def __getstate__(self) -> dict[str, Any]:
        shared = _SHARED_DEFAULTS
        return {  # a default of another type is kept: False is not 0
            name: value
            for name, value in self.__dict__.items()
            if name not in shared or type(value) is not type(shared[name]) or value != shared[name]
        }


# The defaults a pickled PageSettings leaves out: the class's own attributes, which an
# instance unpickled without them reads (a list or dict default is made for each page, and
# is pickled).
_SHARED_DEFAULTS = {
    f.name: f.default
    for f in dataclasses.fields(PageSettings)
    if f.default is not dataclasses.MISSING
}


@dataclass
class Number(Spec):
    """A finite number, for `order`: NaN would sort the sidebar by chance."""

    description: str = "a number"

    def default_hint(self) -> str:
        return "write a number without quotes, e.g. 100"

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            # NaN compares false with everything: the sidebar order would depend on chance.
            return ctx.fail(
                path,
                f"'{dotted(path)}' must be an ordinary number, got {value}",
                "use a number such as 100 or -1",
            )
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return self.wrong_type(value, path, ctx)


_BADGE_FIELDS = Mapping(
    fields={
        "text": Str(),
        "variant": Str(),
        "icon": Str(),
        "iconAlign": Choice(choices=("left", "right")),
        "corners": Choice(choices=BADGE_CORNERS),
        "size": Choice(choices=BADGE_SIZES),
        "link": UrlSetting(),
        "target": Str(),
    }
)


@dataclass
class BadgeSpec(Spec):
    """A badge, written "TEXT|variant" or as a mapping."""

    description: str = 'a badge like "NEW|info" or a mapping with text and variant'

    def default_hint(self) -> str:
        return 'e.g. badge: "NEW|info", or badge: { text: NEW, variant: info }'

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            text, _, variant = str(value).partition("|")
            return self._badge(text.strip(), variant.strip() or "primary", path, ctx)
        if isinstance(value, dict):
            fields = _BADGE_FIELDS.check(value, path, ctx)
            if fields is INVALID:
                return INVALID
            if not fields.get("text") and not fields.get("icon"):
                return ctx.fail(path, "a badge needs 'text' or 'icon'", "e.g. badge: { text: NEW }")
            badge = self._badge(
                fields.get("text", ""), fields.get("variant", "primary"), path, ctx, fields
            )
            return badge
        return self.wrong_type(value, path, ctx)

    def _badge(
        self, text: str, variant: str, path: Path, ctx: Context, looks: dict | None = None
    ) -> Any:
        looks = looks or {}
        if not text and not looks.get("icon"):
            return ctx.fail(path, "the badge text is empty", 'write it as "TEXT|variant"')
        variant = variant.lower()
        if variant not in BADGE_VARIANTS:
            pos = ctx.doc.where(path)
            ctx.report.warning(
                ctx.doc.file,
                pos.line,
                pos.col,
                f"unknown badge variant '{variant}'; 'primary' is used",
                did_you_mean(variant, BADGE_VARIANTS) or "variants: " + ", ".join(BADGE_VARIANTS),
            )
            variant = "primary"
        return Badge(
            text,
            variant,
            icon=looks.get("icon", ""),
            icon_right=looks.get("iconAlign") == "right",
            corners=looks.get("corners", ""),
            size=looks.get("size", ""),
            link=looks.get("link", ""),
            target=link_target(looks.get("target", "")),
        )


_AUTHOR_FIELDS = Mapping(
    fields={"name": Str(), "email": Str(), "link": UrlSetting(), "avatar": UrlSetting(image=True)},
    description="a name or a mapping with name, email, link and avatar",
)


@dataclass
class AuthorSpec(Spec):
    """Authors, written as a name, an email, a mapping or a list of those."""

    description: str = "a name, a mapping with name/email/link, or a list of those"

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        items = value if isinstance(value, list) else [value]
        authors: list[Author] = []
        for index, item in enumerate(items):
            item_path = (*path, index) if isinstance(value, list) else path
            if isinstance(item, str):
                # Retype takes `author: jane@example.com` as an email: the name and the address.
                authors.append(Author(item, item if _EMAIL.match(item) else ""))
            elif isinstance(item, dict):
                fields = _AUTHOR_FIELDS.check(item, item_path, ctx)
                if fields is INVALID:
                    continue
                if not fields.get("name") and fields.get("email"):
                    fields["name"] = fields["email"]  # Retype allows an email alone
                if not fields.get("name"):
                    ctx.fail(item_path, "an author needs a 'name'", "e.g. { name: Jane Doe }")
                    continue
                authors.append(
                    Author(
                        fields["name"],
                        fields.get("email", ""),
                        fields.get("link", ""),
                        fields.get("avatar", ""),
                    )
                )
            else:
                ctx.fail(
                    item_path,
                    f"an author must be {self.description}, got {type_name(item)}",
                    "e.g. author: Jane Doe, or author: { name: Jane Doe, link: https://... }",
                )
        return authors


PAGE_SCHEMA = Mapping(
    fields={
        "order": AnyOf(
            options=(((int, float), Number()), (str, Str())),
            description="a number or a string",
        ),
        "label": Str(),
        "icon": Str(),
        "permalink": Str(),
        "nav": Mapping(fields={"badge": BadgeSpec(), "mode": Choice(choices=NAV_MODES)}),
        "tags": ListOf(Str()),
        "category": ListOf(Str()),
        "data": AnyMapping(),
        "title": Str(),
        "description": Str(),
        "visibility": Choice(choices=VISIBILITIES),
        "layout": Choice(choices=LAYOUTS),
        "expanded": Bool(),
        "redirect": UrlSetting(),
        "redirect_from": ListOf(Str()),
        "author": AuthorSpec(),
        "date": Date(keep_time=True),
        "image": UrlSetting(image=True),
        "templating": Bool(),
        # Retype's manual "Last updated" values, in place of the page's last commit.
        "lastUpdated": AnyOf(
            options=(
                (dict, Mapping(fields={"date": Date(), "by": Str()})),
                ((str, dt.date), Date()),
            ),
            description="a date like 2026-03-12, or a mapping with 'date' and 'by'",
        ),
        "lastUpdatedBy": Str(),
        "toc": Mapping(fields={"depth": TocDepth(), "label": Str()}),
        "created": Date(),
        "meta": Mapping(fields={"title": Str(), "description": Str()}),
        "target": Str(),
        "nextprev": Mapping(fields={"mode": Choice(choices=NEXTPREV_MODES)}),
        "breadcrumb": Bool(),
        "backlinks": Mapping(
            fields={"enabled": Bool(), "title": Str(), "maxResults": Int(minimum=1, maximum=1000)}
        ),
    },
    aliases={"route": "permalink", "authors": "author", "categories": "category"},
)


@dataclass
class SplitPage:
    """A page's file cut into its frontmatter and body, with their lines for messages."""

    yaml_text: str | None  # None when the page has no frontmatter
    yaml_line: int  # file line where the YAML starts
    body: str
    body_line: int  # file line where the body starts
    # Template lines of the frontmatter (`{{ include "data/list" }}`, as Retype allows),
    # run before the body; blank lines in their place keep the lines of both.
    prelude: str = ""


# A frontmatter line that is a template tag, not YAML.
_TEMPLATE_LINE = re.compile(r"^[ \t]*\{\{.*\}\}[ \t]*$")


def split_template_lines(yaml_text: str) -> tuple[str, str]:
    """The YAML without its template lines, and those lines with blank ones between
    (both keep their line numbers); ("...", "") when it has none."""
    if "{{" not in yaml_text:
        return yaml_text, ""
    lines = yaml_text.split("\n")
    tags = [bool(_TEMPLATE_LINE.match(line)) for line in lines]
    if not any(tags):
        return yaml_text, ""
    yaml = "\n".join("" if tag else line for line, tag in zip(lines, tags, strict=True))
    prelude = "\n".join(line if tag else "" for line, tag in zip(lines, tags, strict=True))
    return yaml, prelude


def split_frontmatter(text: str, shown: str, report: Report) -> SplitPage:
    """The YAML between the `---` lines at the top, and the body after them."""
    opening = _YAML_FRONTMATTER.FM_BOUNDARY.match(text)
    if opening is None:
        return SplitPage(None, 1, text, 1)
    try:
        yaml_text, body = _YAML_FRONTMATTER.split(text)
    except ValueError:  # one delimiter only
        report.error(
            shown,
            1,
            1,
            "the frontmatter starting here is never closed",
            "end it with a line of three dashes: ---",
        )
        return SplitPage(None, 1, text, 1)
    # Each delimiter's match ends before a line break: the YAML starts with the rest of the
    # opening line, and the body with the rest of the closing one, which is dropped.
    yaml_line = text.count("\n", 0, opening.end()) + 1
    body_start = len(text) - len(body)
    body_line = text.count("\n", 0, body_start) + 1
    if body.startswith("\n"):
        body, body_line = body[1:], body_line + 1
    yaml_text, prelude = split_template_lines(yaml_text)
    return SplitPage(yaml_text, yaml_line, body, body_line, prelude)


def parse_settings(layers: list[tuple[str, str, int]], report: Report) -> PageSettings:
    """Check YAML layers (file shown, text, first line), later layers winning."""
    merged: dict[str, Any] = {}
    located: dict[str, tuple[str, int, int]] = {}
    for shown, text, first_line in layers:
        try:
            doc = load_yaml(_BARE_SHORTCODE.sub(r'\1"\2"', text), shown, first_line)
        except DiagnosticError as exc:
            report.extend(exc.diagnostics)
            continue
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            pos = doc.where(())
            report.error(
                shown,
                pos.line,
                pos.col,
                f"page settings must be a mapping of keys to values, got {type_name(doc.data)}",
                "write one 'key: value' per line, e.g. order: 100",
            )
            continue
        doc.data = _without_empty(doc.data)
        values = check_document(doc, PAGE_SCHEMA, report, "frontmatter")
        for key, value in values.items():
            merged[key] = value
            located[key] = _locate(doc, key, PAGE_SCHEMA.aliases)
    return _settings_from(merged, located)


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """The settings without keys written with no value (`order:`), which Retype reads as
    unset; inside `data` a null is the user's own value and stays."""
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict) and key != "data":
            value = _without_empty(value)
        kept[key] = value
    return kept


def _locate(doc: YamlDocument, key: str, aliases: dict[str, str]) -> tuple[str, int, int]:
    names = [key, *[alias for alias, target in aliases.items() if target == key]]
    for name in names:
        if (name,) in doc.value_positions:
            pos: Position = doc.value_positions[(name,)]
            return doc.file, pos.line, pos.col
    return doc.file, 1, 1


def _day(value: dt.date | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _settings_from(
    values: dict[str, Any], located: dict[str, tuple[str, int, int]]
) -> PageSettings:
    nav = values.get("nav", {})
    updated = values.get("lastUpdated")
    backlinks = values.get("backlinks", {})
    return PageSettings(
        order=values.get("order"),
        label=values.get("label", ""),
        icon=values.get("icon", ""),
        permalink=values.get("permalink", ""),
        badge=nav.get("badge"),
        tags=values.get("tags", []),
        categories=values.get("category", []),
        data=values.get("data", {}),
        title=values.get("title", ""),
        description=values.get("description", ""),
        visibility=values.get("visibility", "public"),
        layout=values.get("layout", "default"),
        expanded=values.get("expanded", False),
        redirect=values.get("redirect", ""),
        redirect_from=values.get("redirect_from", []),
        authors=values.get("author", []),
        date=_day(values.get("date")),
        date_time=values["date"].time() if isinstance(values.get("date"), dt.datetime) else None,
        image=values.get("image", ""),
        templating=values.get("templating", True),
        last_updated=updated.get("date") if isinstance(updated, dict) else updated,
        last_updated_by=values.get(
            "lastUpdatedBy", updated.get("by", "") if isinstance(updated, dict) else ""
        ),
        nextprev=values.get("nextprev", {}).get("mode", ""),
        nav_mode=nav.get("mode", ""),
        created=values.get("created"),
        meta_title=values.get("meta", {}).get("title", ""),
        meta_description=values.get("meta", {}).get("description", ""),
        target=link_target(values.get("target", "")),
        breadcrumb=values.get("breadcrumb"),
        toc_levels=values.get("toc", {}).get("depth"),
        toc_label=values.get("toc", {}).get("label", ""),
        backlinks=PageBacklinks(
            backlinks.get("enabled"), backlinks.get("title", ""), backlinks.get("maxResults")
        ),
        located={**located, **({"badge": located["nav"]} if "nav" in located else {})},
    )
