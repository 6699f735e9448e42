"""The site configuration, `docsite.yml`: typed, validated, every key optional."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docsite.diagnostics import Report, UsageError, did_you_mean
from docsite.labels import (
    ENGLISH,
    Overrides,
    built_in,
    built_in_labels,
    built_in_locales,
    canonical_key,
    is_language,
    keys,
    labels_for,
    normalise,
    text_direction,
)
from docsite.pathpatterns import matches, pattern_problem
from docsite.presentation import (
    GIT_SOURCES,
    HubConfig,
    LastUpdatedConfig,
    TemplatingOptions,
    ThemeVariables,
    breadcrumb_home,
    theme_css,
)
from docsite.reading import read_text
from docsite.retype_config import RETYPE_CONFIG_NAMES, translate
from docsite.retype_partials import Partials, compose
from docsite.schema import (
    INVALID,
    AnyMapping,
    AnyOf,
    Bool,
    Choice,
    Context,
    Int,
    ListOf,
    Mapping,
    Spec,
    Str,
    check_document,
    dotted,
    type_name,
)
from docsite.urls import UrlSetting, UrlStyle, refused_links
from docsite.yamldoc import Path as KeyPath
from docsite.yamldoc import YamlDocument, load_yaml

# docsite's own config file, looked for first; `docsite init` writes the first name.
CONFIG_NAMES = ("docsite.yml", "docsite.yaml")
# A BCP 47 language tag such as "en", "pt-BR" or "zh-Hant-TW"; it goes into <html lang>.
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class HeaderLink:
    """A link of the header or the footer (Retype's `links` and `footer.links`)."""

    text: str
    link: str  # "" for a menu (items) or an action
    icon: str = ""
    title: str = ""  # the tooltip
    target: str = ""  # as the browser wants it: "_blank", "_top", "news"
    icon_align: str = "left"  # or "right"
    description: str = ""  # a second line, in a menu
    action: str = ""  # a built-in action it runs instead of opening a link
    items: tuple[HeaderLink, ...] = ()  # a menu of links, one level deep
    separator: bool = False  # a line between the items of a menu (Retype's `type: separator`)
    # Where its `action` is written (file, line, column): whether the project defines a
    # custom action of that name is known once its content folder is read.
    action_at: tuple[str, int, int] = ("", 0, 0)


@dataclass(frozen=True)
class EditConfig:
    """`edit`: where the "Edit this page" link leads."""

    repo: str = ""
    branch: str = "main"
    path: str = "content"
    label: str = "Edit this page"
    view: str = "edit"  # GitHub's view the link opens: the editor, or the file's page ("blob")


@dataclass(frozen=True)
class SearchConfig:
    """How the search box behaves (Retype's search settings)."""

    placeholder: str = "Search"
    max_results: int = 8  # pages listed
    min_chars: int = 1  # typed before it searches
    no_results: str = ""  # the message when nothing matches; "" for docsite's own
    hotkeys: tuple[str, ...] = ("/",)  # keys that put the cursor in the search box
    # Pages left out of the index (.gitignore patterns over content paths); include wins.
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutboundConfig:
    """Retype's `outbound`: links to other sites open in a new tab, with an icon."""

    enabled: bool = False  # off unless the config has `outbound` (Retype Pro's default: on)
    icon: str = "link-external"  # "" for none
    icon_align: str = "right"
    target: str = "_blank"
    custom: str = ""  # more attributes, as written: 'rel="noopener noreferrer"'
    exclude: tuple[str, ...] = ()  # host/path patterns left as they are
    include: tuple[str, ...] = ()  # only these (and they win over exclude); all when empty

    def applies(self, host_path: str) -> bool:
        """Whether a link to `host_path` ("example.com/a/b") is an outbound one."""
        if not self.enabled:
            return False
        if self.include:
            return matches(self.include, host_path)
        return not matches(self.exclude, host_path)


@dataclass(frozen=True)
class GravatarConfig:
    """Retype's `integrations.gravatar`: an author's picture found by the email's hash."""

    enabled: bool = True
    default: str = "mp"  # Gravatar's image for an email it does not know, or a URL


@dataclass(frozen=True)
class Integrations:
    """Analytics added to every page, only when configured (Retype's `integrations`)."""

    google_analytics: str = ""  # a measurement id, such as G-ABCDEF1234
    google_tag_manager: str = ""  # a container id, such as GTM-ABC123
    plausible_domain: str = ""  # the site's domain (or several, comma-separated) in Plausible
    plausible_host: str = "https://plausible.io"  # a self-hosted Plausible's address
    gravatar: GravatarConfig = field(default_factory=GravatarConfig)


@dataclass(frozen=True)
class BlogRssConfig:
    """Retype's `blog.rss`: the feed's own values; "" takes the site's (see docsite.blog)."""

    max_results: int = 20
    title: str = ""
    description: str = ""
    copyright: str = ""
    image_url: str = ""


@dataclass(frozen=True)
class BlogConfig:
    """Retype's `blog`: the posts of the blog/ folder, their summary pages and feed."""

    base: str = "blog"  # where the summary pages are published, "news" for /news/
    layout: str = "blog"  # posts' layout unless they set one
    max_results: int | None = None  # posts the summary pages list; all when None
    page_size: int = 10  # posts per summary page
    title: str = ""  # the summary's heading; the labels' "Blog" when ""
    rss: BlogRssConfig = field(default_factory=BlogRssConfig)


@dataclass(frozen=True)
class ActionsConfig:
    """Retype's `actions`: the page action menu beside each page's title, shown when it has
    items (docsite has no menu of its own to show by default)."""

    enabled: bool = True
    items: tuple[HeaderLink, ...] = ()


@dataclass(frozen=True)
class MetaConfig:
    """`meta`: what every page's <title> and og:site_name add."""

    title: str = ""  # added to every page's <title>, e.g. " | Example Inc."
    site_name: str = ""  # og:site_name; the site title when empty


@dataclass(frozen=True)
class BacklinksConfig:
    """Retype's `backlinks`: each page lists the pages that link to it ("See also")."""

    enabled: bool = True
    title: str = "See also"
    max_results: int = 12
    # Pages left out of others' lists (.gitignore patterns over content paths); include wins.
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()


@dataclass(frozen=True)
class NavTagsConfig:
    """Retype's `nav.tags`: a list of the site's tags in the sidebar, each a link to its
    tag page."""

    enabled: bool = False  # on when the config has `nav.tags`
    title: str = ""
    limit: int = 0  # 0 for all
    include: tuple[str, ...] = ()  # tag name patterns with ? and *; exclude is ignored then
    exclude: tuple[str, ...] = ()
    layout: str = "flex"  # or "stack", one per line
    align: str = "right"
    order: str = "asc"  # "desc", "count" (most used first) or "count-asc"
    variant: str = "info"


# `nav.tags.order` as Retype spells it, and its aliases.
NAV_TAG_ORDERS = {
    "asc": "asc",
    "desc": "desc",
    "alpha-desc": "desc",
    "name-desc": "desc",
    "title-desc": "desc",
    "count": "count",
    "count-desc": "count",
    "popular": "count",
    "popularity": "count",
    "frequency": "count",
    "count-asc": "count-asc",
    "popular-asc": "count-asc",
    "popularity-asc": "count-asc",
    "frequency-asc": "count-asc",
}
NAV_ICON_MODES = ("all", "none", "folders", "pages", "top")
# The badge component's variants (sidebar badges and tags use them too).
BADGE_VARIANTS = (
    "base",
    "primary",
    "secondary",
    "success",
    "question",
    "danger",
    "warning",
    "info",
    "light",
    "dark",
    "ghost",
    "contrast",
    "clean",
)


# What a failed check does: stop the build, say a word, or say nothing.
CHECK_LEVELS = ("error", "warning", "off")


@dataclass(frozen=True)
class ChecksConfig:
    """`checks`: how broken links and anchors are reported. docsite's own projects stop on
    them; a Retype project warns, as Retype does (`--strict` turns warnings into errors)."""

    links: str = "error"  # links to pages and files that do not exist
    anchors: str = "error"  # links to `#anchors` their page does not have


# Retype's nextprev.mode: the Previous/Next links shown, hidden, or the page left out of
# the reading order as well.
NEXTPREV_MODES = ("show", "hide", "exclude")

# Mermaid is loaded only by pages that have a diagram; version 11, from a CDN by default.
MERMAID_CDN = "https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.min.js"


@dataclass(frozen=True)
class SiteConfig:
    """Everything a build needs to know about the site, with defaults."""

    root: Path
    file: str = ""  # the config file as shown in messages, "" when there is none
    title: str = "Docs"
    description: str = ""
    logo: str = ""
    image: str = ""  # the default social preview image, a path in the published site
    url: str = ""
    language: str = "en"
    input: str = "content"
    output: str = "site"
    # .gitignore patterns over the content folder: what is left out of the site (beside
    # names starting with '_' or '.'), and what is brought back; Retype's `exclude`, `include`.
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    # Files merged into a Retype config (extends, retype.<id>.yml, retype.build.yml), as
    # `file` names the main one: they are no content, and watch mode watches them.
    partials: tuple[str, ...] = ()
    # How page URLs are written: Retype's `generator` (recase, trailingSlash, directoryIndex).
    urls: UrlStyle = field(default_factory=UrlStyle)
    links: tuple[HeaderLink, ...] = ()
    footer: str = ""
    footer_links: tuple[HeaderLink, ...] = ()
    powered_by: bool = True  # the "Built with docsite" line of the footer
    meta: MetaConfig = field(default_factory=MetaConfig)
    edit: EditConfig = field(default_factory=EditConfig)
    integrations: Integrations = field(default_factory=Integrations)
    outbound: OutboundConfig = field(default_factory=OutboundConfig)
    serve_host: str = ""  # `docsite serve`'s address when --host is not given
    serve_port: int = 0  # its port when --port is not given; 0 for 8000
    serve_poll: bool = False  # poll for changes, as --poll does
    scheme: str = "system"  # the colour scheme before a reader picks one: system, light, dark
    breadcrumb: bool = True  # the trail of folders above each page
    breadcrumb_separator: str = ""  # between its items; "" for the theme's "/"
    nextprev: str = "show"  # pages' Previous/Next links, unless a folder or page says
    toc_levels: tuple[int, ...] = (2, 3)  # heading levels "On this page" lists
    toc_label: str = "On this page"
    nav_mode: str = "default"  # "stack": every top-level folder open, its pages listed below it
    nav_icons: str = "all"  # which sidebar items show their icon (Retype's nav.icons.mode)
    nav_tags: NavTagsConfig = field(default_factory=NavTagsConfig)
    sidebar_filter: bool = True  # the filter box above the sidebar (showSidebarFilter)
    # Raw HTML in Markdown is passed through; `markdown: {html: false}` escapes it instead.
    markdown_html: bool = True
    # `markdown: {line_breaks: hard}`: a line break in a paragraph is a <br> (Retype's lineBreaks).
    markdown_hard_breaks: bool = False
    # Full-text search with Pagefind: on by default; `code: false` leaves code blocks out.
    search_enabled: bool = True
    search_code: bool = True
    search: SearchConfig = field(default_factory=lambda: SearchConfig())
    favicon: str = ""  # a path in the site; the theme's favicon.svg when empty
    cname: str = ""  # written to the site's CNAME file (GitHub Pages' custom domain)
    logo_dark: str = ""  # the logo shown in the dark scheme
    label: str = ""  # a short label beside the site title, such as a version
    # Code block languages numbered unless a block says `!#`; '*' all, 'none' no language.
    code_line_numbers: tuple[str, ...] = ()
    # Where pages with a mermaid diagram load Mermaid from: a URL, or a path in the site.
    mermaid_script: str = MERMAID_CDN
    # Values for `{{ data.* }}` in pages, as written in the config.
    data: dict[str, Any] = field(default_factory=dict)
    templating: bool = True  # `templating.enabled: false` leaves every page's braces alone
    backlinks: BacklinksConfig = field(default_factory=BacklinksConfig)
    # Retype's `locale`: the interface's language (docsite.labels), or a custom group of labels.
    locale: str = "en"
    # Retype's `labels`, as configured: group ("default", a locale) -> label key -> text. The
    # theme's words are `docsite.labels.labels_for(locale, labels)`.
    labels: Overrides = field(default_factory=dict)
    checks: ChecksConfig = field(default_factory=ChecksConfig)
    # Retype's `locale.dateFormat` (`MMMM d, yyyy`); "" for the labels' `Default_DateFormat`.
    date_format: str = ""
    # Retype's presentation keys (docsite/presentation.py).
    actions: ActionsConfig = field(default_factory=ActionsConfig)
    logo_width: int = 0  # pixels; 0 for the theme's size
    logo_height: int = 0
    logo_align: str = "left"  # the logo's side of the title, when both are shown
    logo_title: bool = False  # the title is written beside the logo (both configured)
    breadcrumb_home: str | bool = False  # a first "home" crumb: its label, True for the page's
    hub: HubConfig = field(default_factory=HubConfig)
    last_updated: LastUpdatedConfig = field(default_factory=LastUpdatedConfig)
    theme_light: dict[str, str] = field(default_factory=dict)  # Retype's theme variables
    theme_dark: dict[str, str] = field(default_factory=dict)
    templating_options: TemplatingOptions = field(default_factory=TemplatingOptions)

    @functools.cached_property
    def theme_css(self) -> str:
        """The style sheet of the configured theme variables, "" when there are none."""
        return theme_css(self.theme_light, self.theme_dark)

    blog: BlogConfig = field(default_factory=BlogConfig)

    @property
    def content_dir(self) -> Path:
        return self.root / self.input

    @property
    def from_retype(self) -> bool:
        """Read from a retype.yml: a Retype project, whose folders are all its own content
        (its `static/` and `templates/` are no theme overrides)."""
        return Path(self.file).name in RETYPE_CONFIG_NAMES

    @property
    def output_dir(self) -> Path:
        return self.root / self.output

    @property
    def direction(self) -> str:
        """The way the pages read, from their language: `rtl` (Arabic, Hebrew...) or `ltr`."""
        return text_direction(self.language)


@dataclass
class TocDepth(Spec):
    """Retype's `toc.depth`: heading levels as a number (2: only H2), a range (2-3) or a
    list of both (1,3-4). A number alone in a docsite.yml once meant "down to": 3 is 2-3."""

    description: str = "heading levels such as 2-3, 2,4 or 1,3-4"

    def default_hint(self) -> str:
        return "levels 1 to 6: a number, a range like 2-3, or a list like 2,4"

    def check(self, value: Any, path: KeyPath, ctx: Context) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            if ctx.what == "docsite.yml" and 2 <= value <= 6:
                return tuple(range(2, value + 1))
            value = str(value)
        if not isinstance(value, str):
            return self.wrong_type(value, path, ctx)
        levels: set[int] = set()
        for part in value.split(","):
            low, dash, high = part.strip().partition("-")
            if not (low.isdigit() and (high.isdigit() or not dash)):
                return ctx.fail(
                    path, f"'{dotted(path)}' cannot read {part.strip()!r}", self.default_hint()
                )
            first, last = int(low), int(high or low)
            if not 1 <= first <= last <= 6:
                return ctx.fail(
                    path,
                    f"'{dotted(path)}' has levels outside 1 to 6: {part.strip()!r}",
                    self.default_hint(),
                )
            levels.update(range(first, last + 1))
        return tuple(sorted(levels))


@dataclass
class LocaleSpec(Spec):
    """Retype's `locale`: a language such as fr, or a custom group of `labels`; or, as Retype
    also writes it, `locale: {dateFormat: ...}`: English words, dates in that format."""

    description: str = "a locale such as fr or pt-BR"

    def default_hint(self) -> str:
        return "write a language such as fr, or the name of one of your label groups"

    def check(self, value: Any, path: KeyPath, ctx: Context) -> Any:
        if isinstance(value, str) and value.strip():
            return value.strip()
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        dates = Mapping(fields={"date_format": Str()}, aliases={"dateFormat": "date_format"})
        checked = dates.check(value, path, ctx)
        return checked  # no language named: English


@dataclass
class LabelGroups(Spec):
    """Retype's `labels`: groups (`default`, a locale) of label keys and their text. A key
    docsite does not know is a warning, as an unknown config key is."""

    description: str = "a mapping of label groups, such as default or fr"

    def default_hint(self) -> str:
        return "write e.g. labels: {default: {search_input_placeholder: Search the docs}}"

    def check(self, value: Any, path: KeyPath, ctx: Context) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        groups: Overrides = {}
        for group, words in value.items():
            checked = self._group(words, (*path, str(group)), ctx)
            if checked is not INVALID:
                groups[str(group)] = checked
        return groups

    def _group(self, words: Any, path: KeyPath, ctx: Context) -> Any:
        if words is None:
            return {}
        if not isinstance(words, dict):
            return ctx.fail(
                path,
                f"'{dotted(path)}' must be a mapping of label keys to text, got {type_name(words)}",
                f"write one 'key: text' per line under {path[-1]}:, e.g. toc_contents_label: ...",
            )
        group: dict[str, str] = {}
        for raw_key, text in words.items():
            key_path = (*path, str(raw_key))
            key = canonical_key(str(raw_key))
            if key is None:
                _unknown_label(key_path, ctx)
                continue
            if not isinstance(text, str):
                ctx.fail(
                    key_path,
                    f"label '{dotted(key_path)}' must be text, got {type_name(text)}",
                    'put the text in quotes, e.g. "Next"',
                )
                continue
            if key in group:
                pos = ctx.doc.where_key(key_path)
                ctx.report.warning(
                    pos.file or ctx.doc.file,
                    pos.line,
                    pos.col,
                    f"'{dotted(key_path)}' sets label {key} again; the last value wins",
                    "label keys ignore case and '-' or '_': keep one of the two",
                )
            group[key] = text
        return group


def _unknown_label(path: KeyPath, ctx: Context) -> None:
    pos = ctx.doc.where_key(path)
    known = {normalise(key): key for key in keys()}
    hint = did_you_mean(normalise(path[-1]), known) or (
        "the configuration page of the docs lists the label keys, such as toc_contents_label"
    )
    ctx.report.warning(
        pos.file or ctx.doc.file,
        pos.line,
        pos.col,
        f"unknown label key '{dotted(path)}' is ignored",
        hint,
    )


_LINK_FIELDS = {
    "text": Str(),
    "link": UrlSetting(),
    "icon": Str(),
    "title": Str(),
    "target": Str(),
    "icon_align": Choice(choices=("left", "right")),
    "description": Str(),
    "action": Str(),
    "type": Choice(choices=("link", "separator")),
}
_LINK_ALIASES = {"iconAlign": "icon_align"}  # Retype's spelling
_MENU_ITEM = Mapping(
    fields=_LINK_FIELDS, aliases=_LINK_ALIASES, description="a mapping with 'text' and 'link'"
)
_LINK = Mapping(
    fields={**_LINK_FIELDS, "items": ListOf(_MENU_ITEM, single_ok=False)},
    aliases=_LINK_ALIASES,
    description="a mapping with 'text' and 'link'",
)

SCHEMA = Mapping(
    fields={
        "title": Str(),
        "description": Str(),
        "logo": UrlSetting(image=True),
        "image": UrlSetting(image=True),
        "url": UrlSetting(),
        "language": Str(),
        "locale": LocaleSpec(),
        "labels": LabelGroups(),
        "input": Str(),
        "output": Str(),
        "exclude": ListOf(Str()),
        "include": ListOf(Str()),
        "generator": Mapping(
            fields={
                "directory_index": Mapping(
                    fields={"name": Str(), "append": Bool(), "alt_names": ListOf(Str())},
                    aliases={"altNames": "alt_names"},
                ),
                "paths": Choice(choices=("relative", "root", "source")),
                "recase": Choice(choices=("all", "none")),
                "trailing_slash": Bool(),
            },
            aliases={"directoryIndex": "directory_index", "trailingSlash": "trailing_slash"},
        ),
        "links": ListOf(_LINK, single_ok=False),
        "footer": Str(),
        "footer_links": ListOf(_LINK, single_ok=False),
        "powered_by": Bool(),
        "meta": Mapping(
            fields={"title": Str(), "site_name": Str()}, aliases={"siteName": "site_name"}
        ),
        "edit": Mapping(
            fields={
                "repo": UrlSetting(),
                "branch": Str(),
                "path": Str(),
                "label": Str(),
                "view": Choice(choices=("edit", "blob")),
            }
        ),
        "toc": Mapping(fields={"depth": TocDepth(), "label": Str()}),
        "nextprev": Mapping(fields={"mode": Choice(choices=NEXTPREV_MODES)}),
        "breadcrumb": Mapping(
            fields={
                "enabled": Bool(),
                "separator": Str(),
                "home": AnyOf(
                    options=(((str, int, float), Str()), (bool, Bool())),
                    description="a label, or true or false",
                ),
            }
        ),
        "scheme": Mapping(fields={"mode": Choice(choices=("system", "light", "dark"))}),
        "outbound": Mapping(
            fields={
                "enabled": Bool(),
                "icon": Str(),
                "icon_align": Choice(choices=("left", "right")),
                "target": Str(),
                "custom": Str(),
                "exclude": ListOf(Str()),
                "include": ListOf(Str()),
            },
            aliases={"iconAlign": "icon_align"},
        ),
        "integrations": Mapping(
            fields={
                "google_analytics": Mapping(fields={"id": Str(allow_null=True)}),
                "google_tag_manager": Mapping(fields={"id": Str(allow_null=True)}),
                "plausible": Mapping(fields={"domain": Str(allow_null=True), "host": UrlSetting()}),
                "gravatar": Mapping(fields={"enabled": Bool(), "default": Str()}),
            },
            aliases={
                "googleAnalytics": "google_analytics",
                "googleTagManager": "google_tag_manager",
            },
        ),
        "serve": Mapping(
            fields={"host": Str(), "port": Int(minimum=1, maximum=65535), "poll": Bool()}
        ),
        "markdown": Mapping(
            fields={"html": Bool(), "line_breaks": Choice(choices=("soft", "hard"))},
            aliases={"lineBreaks": "line_breaks"},
        ),
        "search": Mapping(
            fields={
                "enabled": Bool(),
                "code": Bool(),
                "placeholder": Str(),
                "max_results": Int(minimum=1, maximum=1000),
                "min_chars": Int(minimum=1, maximum=100),
                "no_results": Str(),
                "hotkeys": ListOf(Str()),
                "exclude": ListOf(Str()),
                "include": ListOf(Str()),
            },
            aliases={
                "maxResults": "max_results",
                "minChars": "min_chars",
                "noResultsFoundMsg": "no_results",
            },
        ),
        "favicon": UrlSetting(image=True),
        "cname": Str(),
        "logo_dark": UrlSetting(image=True),
        "label": Str(),
        "mermaid": Mapping(fields={"script": UrlSetting()}),
        "code": Mapping(fields={"line_numbers": ListOf(Str())}),
        "data": AnyMapping(),
        "templating": Mapping(
            fields={
                "enabled": Bool(),
                "loop_limit": Int(minimum=0),
                "namespace": Str(),
            },
            aliases={"loopLimit": "loop_limit"},
        ),
        "checks": Mapping(
            fields={
                "links": Choice(choices=CHECK_LEVELS, false_is="off"),
                "anchors": Choice(choices=CHECK_LEVELS, false_is="off"),
            }
        ),
        # Retype's presentation keys (docsite/presentation.py).
        "actions": Mapping(
            fields={"enabled": Bool(), "items": ListOf(_MENU_ITEM, single_ok=False)}
        ),
        "logo_width": Int(minimum=1, maximum=10_000),
        "logo_height": Int(minimum=1, maximum=10_000),
        "logo_align": Choice(choices=("left", "right")),
        "hub": Mapping(fields={"link": UrlSetting(), "alt": Str(), "target": Str()}),
        "last_updated": Mapping(
            fields={
                "date": Bool(),
                "date_source": Choice(choices=GIT_SOURCES),
                "by": Bool(),
                "by_source": Choice(choices=GIT_SOURCES),
            }
        ),
        "theme": Mapping(fields={"light": ThemeVariables(), "dark": ThemeVariables()}),
        "backlinks": Mapping(
            fields={
                "enabled": Bool(),
                "title": Str(),
                "max_results": Int(minimum=1, maximum=1000),
                "exclude": ListOf(Str()),
                "include": ListOf(Str()),
            },
            aliases={"maxResults": "max_results"},  # Retype's spelling
        ),
        "nav": Mapping(
            fields={
                "mode": Choice(choices=("default", "stack")),
                "icons": Mapping(fields={"mode": Choice(choices=NAV_ICON_MODES)}),
                "tags": Mapping(
                    fields={
                        "enabled": Bool(),
                        "title": Str(),
                        "limit": Int(),
                        "include": ListOf(Str()),
                        "exclude": ListOf(Str()),
                        "layout": Choice(choices=("flex", "stack")),
                        "align": Choice(choices=("left", "right")),
                        "order": Choice(choices=tuple(NAV_TAG_ORDERS)),
                        "variant": Str(),
                    }
                ),
            }
        ),
        "sidebar_filter": Bool(),
        "blog": Mapping(
            fields={
                "base": Str(),
                "layout": Choice(choices=("default", "page", "central", "blog")),
                "max_results": Int(minimum=1, maximum=100000),
                "page_size": Int(minimum=1, maximum=1000),
                "title": Str(),
                "rss": Mapping(
                    fields={
                        "max_results": Int(minimum=1, maximum=100000),
                        "title": Str(),
                        "description": Str(),
                        "copyright": Str(),
                        "image_url": UrlSetting(image=True),
                    },
                    aliases={"maxResults": "max_results", "imageUrl": "image_url"},
                ),
            },
            aliases={"maxResults": "max_results", "pageSize": "page_size"},  # Retype's spelling
        ),
    }
)


def _as_docsite(
    doc: YamlDocument, path: Path, root: Path, start: bool, report: Report
) -> tuple[YamlDocument, tuple[str, ...]]:
    """A Retype config with its partials merged in, in docsite's keys, and the partials'
    paths (from `root`); docsite's own config as it is."""
    if path.name not in RETYPE_CONFIG_NAMES:
        return doc, ()
    partials = Partials(lambda file: read_config_document(file, _shown(file, root)), report)
    merged = compose(doc, path, start, partials)
    shown = tuple(dict.fromkeys(_shown(file, root) for file in partials.used))
    return translate(merged, report), shown


def find_config(root: Path) -> Path | None:
    """The project's config file: docsite's own, else a Retype project's; None if neither.

    Two candidates of one kind (docsite.yml and docsite.yaml) are an error: editing one
    while the other is read would be a silent trap."""
    for names in (CONFIG_NAMES, RETYPE_CONFIG_NAMES):
        present = [root / name for name in names if (root / name).is_file()]
        if len(present) > 1:
            raise UsageError(
                f"{' and '.join(p.name for p in present)} are both in {root}, and docsite "
                f"reads one config file: keep one of them, or choose one with --config "
                f"{present[0].name}"
            )
        if present:
            return present[0]
    return None


def read_config_document(path: Path, shown: str) -> YamlDocument:
    """A config file's YAML with positions. JSON is YAML but for tabs, which JSON allows
    between tokens and nowhere else: spaces in their place keep every column."""
    text = read_text(path, shown)
    if path.suffix == ".json":
        text = text.replace("\t", " ")
    return load_yaml(text, shown)


def load_config(
    root: Path, config_path: Path | None, report: Report, start: bool = False
) -> SiteConfig:
    """The checked config, defaults without a file; `start`: watch mode's (retype.start.yml)."""
    path = config_path or find_config(root)
    if path is None:
        return SiteConfig(root=root)
    shown = _shown(path, root)
    if not path.is_file():
        raise FileNotFoundError(f"config file not found: {_shown(path, Path.cwd())}")
    retype = path.name in RETYPE_CONFIG_NAMES  # an empty retype.yml too: Retype's defaults
    doc, partials = _as_docsite(read_config_document(path, shown), path, root, start, report)
    if doc.data is None and not retype:
        return SiteConfig(root=root, file=shown)
    values = check_document(doc, SCHEMA, report, path.name)
    links = _links(values.get("links", []), ("links",), doc, report)
    footer_links = _links(values.get("footer_links", []), ("footer_links",), doc, report)
    locale, labels, words = _locale(values, doc, report)
    language = _language(values.get("language") or _locale_language(locale), doc, report)
    url = _site_url(values.get("url", ""), doc, report)
    for key in ("logo", "logo_dark", "favicon"):
        _check_site_file(
            key, values.get(key, ""), root, values.get("input", "content"), doc, report
        )
    footer = values.get("footer", "")
    for refused in refused_links(footer, "a link in 'footer'"):
        pos = doc.where(("footer",))
        report.error(shown, pos.line, pos.col, refused.message, refused.hint)
    config = SiteConfig(
        root=root,
        file=shown,
        title=values.get("title", words["Project_DefaultTitle_Value"]),
        description=values.get("description", ""),
        logo=values.get("logo", ""),
        image=values.get("image", "").lstrip("/"),
        url=url,
        language=language,
        input=values.get("input", "content"),
        output=values.get("output", "site"),
        **_project_files(values, partials, retype, doc, report),
        links=tuple(links),
        footer=footer,
        footer_links=tuple(footer_links),
        powered_by=values.get("powered_by", True),
        meta=MetaConfig(**values.get("meta", {})),
        edit=_edit(values.get("edit", {}), doc, report, words),
        nextprev=values.get("nextprev", {}).get("mode", "show"),
        integrations=_integrations(values.get("integrations", {})),
        outbound=_outbound(values, doc, report),
        **_serve(values.get("serve", {})),
        scheme=values.get("scheme", {}).get("mode", "system"),
        breadcrumb=values.get("breadcrumb", {}).get("enabled", True),
        breadcrumb_separator=values.get("breadcrumb", {}).get("separator", "").strip(),
        toc_levels=values.get("toc", {}).get("depth", (2, 3)),
        toc_label=values.get("toc", {}).get("label", "") or words["Toc_Contents_Label"],
        markdown_html=values.get("markdown", {}).get("html", True),
        markdown_hard_breaks=values.get("markdown", {}).get("line_breaks") == "hard",
        search=_search(values.get("search", {}), words, doc, report),
        favicon=values.get("favicon", "").strip().lstrip("/"),
        cname=values.get("cname", "").strip(),
        logo_dark=values.get("logo_dark", ""),
        label=values.get("label", ""),
        search_enabled=values.get("search", {}).get("enabled", True),
        search_code=values.get("search", {}).get("code", True),
        data=values.get("data", {}),
        templating=values.get("templating", {}).get("enabled", True),
        code_line_numbers=tuple(
            str(name).strip().lower() for name in values.get("code", {}).get("line_numbers", [])
        ),
        mermaid_script=values.get("mermaid", {}).get("script", MERMAID_CDN).strip() or MERMAID_CDN,
        backlinks=_backlinks(values.get("backlinks", {}), doc, report, words),
        **_sidebar(values, doc, report),
        checks=_checks(values.get("checks", {}), retype),
        date_format=_date_format(values.get("locale")),
        locale=locale,
        labels=labels,
        **_presentation(values, doc, report),
        blog=_blog(values.get("blog", {}), doc, report),
    )
    return _published_site_files(config)


def _presentation(values: dict[str, Any], doc: YamlDocument, report: Report) -> dict[str, Any]:
    """The SiteConfig fields of Retype's presentation keys (docsite/presentation.py)."""
    actions = values.get("actions", {})
    hub = values.get("hub", {})
    updated = values.get("last_updated", {})
    templating = values.get("templating", {})
    defaults = LastUpdatedConfig()
    return {
        "actions": ActionsConfig(
            enabled=actions.get("enabled", True),
            items=_action_items(actions.get("items", []), doc, report),
        ),
        "logo_width": values.get("logo_width", 0),
        "logo_height": values.get("logo_height", 0),
        "logo_align": values.get("logo_align", "left"),
        "logo_title": bool(values.get("logo") and values.get("title")),
        "breadcrumb_home": breadcrumb_home(values.get("breadcrumb", {}).get("home", False)),
        "hub": HubConfig(
            link=hub.get("link", "").strip(),
            alt=hub.get("alt", "").strip(),
            target=link_target(hub.get("target", "")),
        ),
        "last_updated": LastUpdatedConfig(
            date=updated.get("date", defaults.date),
            date_source=updated.get("date_source", defaults.date_source),
            by=updated.get("by", defaults.by),
            by_source=updated.get("by_source", defaults.by_source),
        ),
        "theme_light": values.get("theme", {}).get("light", {}),
        "theme_dark": values.get("theme", {}).get("dark", {}),
        "templating_options": TemplatingOptions(
            loop_limit=templating.get("loop_limit", TemplatingOptions.loop_limit),
            namespace=_namespace(templating.get("namespace", ""), doc, report),
        ),
    }


def _action_items(
    items: list[dict[str, Any]], doc: YamlDocument, report: Report
) -> tuple[HeaderLink, ...]:
    """The page action menu's items. Whether an action is one docsite has, built in or the
    project's own (_components/actions/), is checked when the site is read."""
    return tidy_separators(_links(items, ("actions", "items"), doc, report))


def tidy_separators(items: list[HeaderLink]) -> tuple[HeaderLink, ...]:
    """No separator first, last or twice in a row (items left out may leave them so)."""
    tidy: list[HeaderLink] = []
    for item in items:
        if item.separator and (not tidy or tidy[-1].separator):
            continue
        tidy.append(item)
    while tidy and tidy[-1].separator:
        tidy.pop()
    return tuple(tidy)


def _namespace(value: str, doc: YamlDocument, report: Report) -> str:
    """`templating.namespace`: names joined by dots, such as retype or my.docs."""
    value = value.strip()
    if not value or all(part.isidentifier() for part in value.split(".")):
        return value
    pos = doc.where(("templating", "namespace"))
    report.error(
        pos.file or doc.file,
        pos.line,
        pos.col,
        f"'templating.namespace' must be names joined by dots, got {value!r}",
        "write e.g. namespace: retype, or namespace: my.docs",
    )
    return ""


def _locale(
    values: dict[str, Any], doc: YamlDocument, report: Report
) -> tuple[str, Overrides, dict[str, str]]:
    """The locale, the configured labels, and the interface words they give. A locale with
    neither built-in words nor a group of `labels` is English, with a warning."""
    locale = values.get("locale", ENGLISH)
    if isinstance(locale, dict):  # `locale: {dateFormat: ...}`: English, in that format
        locale = ENGLISH
    overrides = values.get("labels", {})
    if built_in(locale) is None and normalise(locale) not in map(normalise, overrides):
        pos = doc.where(("locale",))
        own = ", ".join(built_in_locales())
        if is_language(locale):
            message = f"docsite has no {locale} words for its interface yet; they stay in English"
        else:
            message = f"'locale' {locale!r} is no language docsite knows and no group of 'labels'"
        report.warning(
            pos.file or doc.file,
            pos.line,
            pos.col,
            message,
            f"write the words under labels: {{{locale}: ...}}, or use one of {own}",
        )
    return locale, overrides, labels_for(locale, overrides)


def _locale_language(locale: str) -> str:
    """The page language a locale gives (<html lang>): its own when it names a language,
    English for a custom one such as `partner`."""
    return locale.replace("_", "-") if is_language(locale) else ENGLISH


def _language(language: str, doc: YamlDocument, report: Report) -> str:
    """A BCP 47 tag for <html lang>; English after an error."""
    if _LANGUAGE_TAG.match(language):
        return language
    pos = doc.where(("language",))
    report.error(
        pos.file or doc.file,
        pos.line,
        pos.col,
        f"'language' must be a language tag like en or pt-BR, got {language!r}",
        "use a BCP 47 tag: letters, digits and '-'",
    )
    return "en"


def _site_url(url: str, doc: YamlDocument, report: Report) -> str:
    """The published address, absolute and ending in '/': canonical links, Open Graph and
    the sitemap need a scheme, which Retype's own sample (`docs.example.com`) leaves out."""
    url = url.strip()
    if not url:
        return ""
    if "://" not in url:
        pos = doc.where(("url",))
        absolute = "https://" + url.removeprefix("//")
        report.warning(
            pos.file or doc.file,
            pos.line,
            pos.col,
            f"'url' has no scheme; it is taken as {absolute}",
            f"write the whole address: url: {absolute}",
        )
        url = absolute
    return url if url.endswith("/") else url + "/"


def _links(
    items: list[dict[str, Any]], path: tuple[str, ...], doc: YamlDocument, report: Report
) -> list[HeaderLink]:
    """Checked links: each needs a text, and a link, an action or (one level deep) items."""
    links = []
    for index, item in enumerate(items):
        if item.get("type") == "separator" and len(path) > 1:  # in a menu
            links.append(HeaderLink("", "", separator=True))
            continue
        if "link" not in item and _has_key(doc.data, (*path, index, "link")):
            continue  # a link refused by its check, which said why
        menu = tuple(_links(item.get("items", []), (*path, index, "items"), doc, report))
        if "text" not in item or not (item.get("link") or item.get("action") or menu):
            pos = doc.where((*path, index))
            report.error(
                pos.file or doc.file,
                pos.line,
                pos.col,
                "a link needs a 'text', and a 'link', an 'action' or 'items'",
                "e.g. - text: GitHub\n          link: https://github.com/you/project",
            )
            continue
        links.append(
            HeaderLink(
                item["text"],
                item.get("link", ""),
                item.get("icon", ""),
                item.get("title", ""),
                link_target(item.get("target", "")),
                item.get("icon_align", "left"),
                item.get("description", ""),
                item.get("action", "").strip().lower(),
                menu,
                action_at=_action_at(doc, (*path, index, "action")),
            )
        )
    return links


def _published_site_files(config: SiteConfig) -> SiteConfig:
    """The logo, favicon and social image as the site publishes them: a file of the content
    folder in lower case when files are recased (a Retype project's `recase: all`); static/
    files keep their names."""
    published = {}
    for key in ("logo", "logo_dark", "favicon", "image"):
        value = getattr(config, key)
        path = value.lstrip("/")
        in_static = not config.from_retype and (config.root / "static" / path).is_file()
        if path and not in_static and (config.content_dir / path).is_file():
            published[key] = value[: len(value) - len(path)] + config.urls.file_path(path)
    return replace(config, **published)


def _action_at(doc: YamlDocument, path: tuple[Any, ...]) -> tuple[str, int, int]:
    pos = doc.where(path)
    return (pos.file or doc.file, pos.line, pos.col)


def _check_site_file(
    key: str, value: str, root: Path, content: str, doc: YamlDocument, report: Report
) -> None:
    """A logo or favicon must be a file of the site: in the content folder, or in static/
    (copied to the site's root)."""
    path = value.strip().lstrip("/")
    if not path or "://" in path or path.startswith("data:"):
        return
    if any(place.is_file() for place in (root / content / path, root / "static" / path)):
        return
    pos = doc.where((key,))
    report.warning(
        pos.file or doc.file,
        pos.line,
        pos.col,
        f"'{key}' names {value!r}, which is not a file of the site",
        "put the file in the content folder or in static/, and give its path from there",
    )


def _date_format(locale: Any) -> str:
    """`locale.dateFormat`: how dates are written; "" for the locale's `Default_DateFormat`."""
    return locale.get("date_format", "").strip() if isinstance(locale, dict) else ""


def _checks(values: dict[str, str], retype: bool) -> ChecksConfig:
    """The project's `checks`, over its kind's defaults: Retype builds a page with a broken
    link and warns, so a Retype project does too unless it asks for more."""
    default = "warning" if retype else "error"
    return ChecksConfig(values.get("links", default), values.get("anchors", default))


def _outbound(values: dict[str, Any], doc: YamlDocument, report: Report) -> OutboundConfig:
    """`outbound`: on once the config has it, as for Retype Pro, unless `enabled: false`."""
    if "outbound" not in values:
        return OutboundConfig()
    settings = values["outbound"]
    patterns = _patterns(settings, ("outbound",), doc, report)
    return OutboundConfig(
        enabled=settings.get("enabled", True),
        icon=settings.get("icon", "link-external").strip(),
        icon_align=settings.get("icon_align", "right"),
        target=link_target(settings.get("target", "blank")),
        custom=settings.get("custom", "").strip(),
        exclude=patterns["exclude"],
        include=patterns["include"],
    )


def _integrations(values: dict[str, Any]) -> Integrations:
    plausible = values.get("plausible", {})
    return Integrations(
        google_analytics=values.get("google_analytics", {}).get("id", "").strip(),
        google_tag_manager=values.get("google_tag_manager", {}).get("id", "").strip(),
        plausible_domain=(plausible.get("domain") or "").strip(),
        plausible_host=(plausible.get("host") or Integrations.plausible_host).rstrip("/"),
        gravatar=GravatarConfig(**values.get("gravatar", {})),
    )


# Retype writes the year into a feed's copyright as `{{ year }}` or `{{ date.now.year }}`.
_YEAR = re.compile(r"\{\{\s*(?:year|date\.now\.year)\s*\}\}")


def _blog(values: dict[str, Any], doc: YamlDocument, report: Report) -> BlogConfig:
    """The blog settings; a `base` that is no path segment is an error, and the default."""
    base = values.get("base", "blog").strip().strip("/")
    if not re.fullmatch(r"[\w.~-]+(?:/[\w.~-]+)*", base):
        pos = doc.where(("blog", "base"))
        report.error(
            doc.file,
            pos.line,
            pos.col,
            f"'blog.base' must be a path such as news, got {values.get('base')!r}",
            "use letters, digits, '-' and '_', e.g. base: news",
        )
        base = "blog"
    rss = dict(values.get("rss", {}))
    if "copyright" in rss:
        rss["copyright"] = _YEAR.sub(str(dt.date.today().year), rss["copyright"])
    return BlogConfig(
        base=base.lower(),
        layout=values.get("layout", "blog"),
        max_results=values.get("max_results"),
        page_size=values.get("page_size", 10),
        title=values.get("title", "").strip(),
        rss=BlogRssConfig(**rss),
    )


def _serve(values: dict[str, Any]) -> dict[str, Any]:
    """`serve`: host (Retype also writes "host:port"), port and polling."""
    host, _, port = values.get("host", "").strip().rpartition(":")
    if not host or not port.isdigit():
        host, port = values.get("host", "").strip(), ""
    return {
        "serve_host": host,
        "serve_port": values.get("port") or (int(port) if port else 0),
        "serve_poll": values.get("poll", False),
    }


def _search(
    values: dict[str, Any], words: dict[str, str], doc: YamlDocument, report: Report
) -> SearchConfig:
    """The search settings; the placeholder and the message when nothing matches come from
    the labels unless set here."""
    defaults = SearchConfig()
    hotkeys = tuple(key for key in values.get("hotkeys", defaults.hotkeys) if key)
    no_results = words["Search_NoResults_Label"]
    if no_results == built_in_labels(ENGLISH)["Search_NoResults_Label"]:
        no_results = ""  # search.js says the same, and names what was searched for
    return SearchConfig(
        placeholder=values.get("placeholder", words["Search_Input_Placeholder"]),
        max_results=values.get("max_results", defaults.max_results),
        min_chars=values.get("min_chars", defaults.min_chars),
        no_results=values.get("no_results") or no_results,
        hotkeys=hotkeys,
        **_patterns(values, ("search",), doc, report),
    )


def link_target(value: str) -> str:
    """Retype's target names as the browser wants them: blank -> _blank, 'Recent News' ->
    recent-news."""
    name = "-".join(value.strip().lower().split())
    return "_" + name if name in ("blank", "parent", "top", "self") else name


def _edit(
    values: dict[str, Any], doc: YamlDocument, report: Report, words: dict[str, str]
) -> EditConfig:
    """The "Edit this page" link; a repository address without a scheme is taken as https,
    as Retype does (its own docs write `repo: github.com/retypeapp/retype`)."""
    repo = values.get("repo", "").strip()
    if repo and "://" not in repo:
        pos = doc.where(("edit", "repo"))
        absolute = "https://" + repo.removeprefix("//")
        report.warning(
            pos.file or doc.file,
            pos.line,
            pos.col,
            f"'edit.repo' has no scheme; it is taken as {absolute}",
            f"write the whole address: repo: {absolute}",
        )
        repo = absolute
    return EditConfig(
        repo=repo.rstrip("/"),
        branch=values.get("branch", "").strip() or "main",
        path=values.get("path", "content").strip("/"),
        label=values.get("label", "").strip() or words["Plugin_Edit_EditThisPage_Label"],
        view=values.get("view", "edit"),
    )


def _patterns(
    values: dict[str, Any], path: tuple[str, ...], doc: YamlDocument, report: Report
) -> dict[str, tuple[str, ...]]:
    """The `exclude` and `include` patterns of a setting; one pathspec cannot read is an
    error at its place, and left out."""
    patterns: dict[str, tuple[str, ...]] = {}
    for key in ("exclude", "include"):
        kept = []
        for index, pattern in enumerate(values.get(key, [])):
            problem = pattern_problem(pattern)
            if problem:
                pos = doc.where((*path, key, index))
                report.error(
                    pos.file or doc.file,
                    pos.line,
                    pos.col,
                    f"'{'.'.join((*path, key))}' pattern {pattern!r} cannot be read: {problem}",
                    "write a .gitignore pattern such as /blog, drafts/ or *.md",
                )
                continue
            kept.append(pattern)
        patterns[key] = tuple(kept)
    return patterns


def _project_files(
    values: dict[str, Any],
    partials: tuple[str, ...],
    retype: bool,
    doc: YamlDocument,
    report: Report,
) -> dict[str, Any]:
    """Which files make the site and where it puts them: `exclude`, `include`, the config's
    partials and the URL style (`generator`)."""
    return {
        "partials": partials,
        "urls": _url_style(values.get("generator", {}), retype, doc, report),
        **_patterns(values, (), doc, report),
    }


def _url_style(values: dict[str, Any], retype: bool, doc: YamlDocument, report: Report) -> UrlStyle:
    """Retype's `generator` settings; `paths` other than relative is said to be left out.
    A Retype project's files are recased with its pages, as Retype does."""
    index = values.get("directory_index", {})
    name = index.get("name", "index.html").strip().strip("/")
    if "/" in name or not name:
        retype_path = ("generator", "directoryIndex", "name")  # as a retype.yml spells it
        docsite_path = ("generator", "directory_index", "name")
        pos = doc.where(retype_path if retype_path in doc.value_positions else docsite_path)
        report.error(
            pos.file or doc.file,
            pos.line,
            pos.col,
            f"'generator.directoryIndex.name' must be a file name, got {name!r}",
            "write a name such as index.html or default.htm",
        )
        name = "index.html"
    if values.get("paths", "relative") != "relative":
        pos = doc.where(("generator", "paths"))
        report.warning(
            pos.file or doc.file,
            pos.line,
            pos.col,
            f"'generator.paths: {values['paths']}' is left out: docsite writes relative links, "
            "which work under any address the site is served at",
            "remove it, or write paths: relative",
        )
    defaults = UrlStyle()
    recase = values.get("recase", "all") == "all"
    return UrlStyle(
        recase=recase,
        recase_files=recase and retype,
        trailing_slash=values.get("trailing_slash", True),
        index_name=name,
        append_index=index.get("append", False),
        alt_names=tuple(index.get("alt_names", defaults.alt_names)),
    )


def _backlinks(
    values: dict[str, Any], doc: YamlDocument, report: Report, words: dict[str, str]
) -> BacklinksConfig:
    """The backlinks settings; the title is the labels' unless set here."""
    defaults = BacklinksConfig()
    patterns = _patterns(values, ("backlinks",), doc, report)
    return BacklinksConfig(
        enabled=values.get("enabled", defaults.enabled),
        title=values.get("title", words["Backlinks_Title"]),
        max_results=values.get("max_results", defaults.max_results),
        exclude=patterns["exclude"],
        include=patterns["include"],
    )


def _sidebar(values: dict[str, Any], doc: YamlDocument, report: Report) -> dict[str, Any]:
    """The sidebar's settings: Retype's `nav` (mode, icons.mode, tags) and the filter box."""
    nav = values.get("nav", {})
    return {
        "nav_mode": nav.get("mode", "default"),
        "nav_icons": nav.get("icons", {}).get("mode", "all"),
        "nav_tags": _nav_tags(nav, doc, report),
        "sidebar_filter": values.get("sidebar_filter", True),
    }


def _nav_tags(nav: dict[str, Any], doc: YamlDocument, report: Report) -> NavTagsConfig:
    """The sidebar's tag list: on when `nav.tags` is written (Retype Pro's default), unless
    `enabled: false`; a badge variant docsite does not know is the default, with a word."""
    if "tags" not in nav:
        return NavTagsConfig()
    values = nav["tags"]
    variant = values.get("variant", "info").strip().lower()
    if variant not in BADGE_VARIANTS:
        pos = doc.where(("nav", "tags", "variant"))
        report.warning(
            pos.file or doc.file,
            pos.line,
            pos.col,
            f"unknown badge variant '{variant}' in 'nav.tags.variant'; 'info' is used",
            did_you_mean(variant, BADGE_VARIANTS) or "e.g. info, success or warning",
        )
        variant = "info"
    limit = values.get("limit", 0)
    return NavTagsConfig(
        enabled=values.get("enabled", True),
        title=values.get("title", ""),
        limit=limit if limit > 0 else 0,  # Retype applies only values above 0
        include=tuple(p.strip().lower() for p in values.get("include", []) if p.strip()),
        exclude=tuple(p.strip().lower() for p in values.get("exclude", []) if p.strip()),
        layout=values.get("layout", "flex"),
        align=values.get("align", "right"),
        order=NAV_TAG_ORDERS[values.get("order", "asc")],
        variant=variant,
    )


def _has_key(data: Any, path: tuple[str | int, ...]) -> bool:
    """Whether the YAML data has a value at `path`, checked or not."""
    for step in path:
        in_list = isinstance(step, int) and isinstance(data, list) and step < len(data)
        if not (in_list or (isinstance(data, dict) and step in data)):
            return False
        data = data[step]
    return True


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
