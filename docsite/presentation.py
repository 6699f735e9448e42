"""How the site looks beyond its words: the colour theme (Retype's `theme` variables), the
logo's size and side, the hub link, "Last updated" and the templating options.

Retype's theme variables are CSS custom properties. docsite's stylesheet already defines
Retype's palette (`--base-color`, `--gray-100`...), so pages written for Retype keep their
colours; the few variables docsite's own look is made of (`--accent`, `--bg`...) take the
value of the Retype variable that means the same, and a handful of Retype variables that
docsite has no variable for drive a CSS rule. A name that maps to nothing is a warning at its
place: it is still set, for the site's own CSS, but docsite's theme does not read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docsite.schema import INVALID, Context, Spec, dotted, type_name
from docsite.yamldoc import Path as KeyPath

# Retype variables whose value docsite's own variables take (static/assets/docsite.css).
THEME_ALIASES: dict[str, tuple[str, ...]] = {
    "base-color": ("accent", "link"),
    "base-bg": ("bg",),
    "body-bg": ("bg",),
    "base-text": ("text",),
    "body-text": ("text",),
    "base-text-muted": ("text-soft",),
    "base-border": ("border",),
    "base-link": ("link",),
    "body-link": ("link",),
    "layout-default-content-max-width": ("content-max",),
    "layout-sidebar-left-width": ("sidebar-w",),
    "layout-sidebar-right-width-lg": ("toc-w",),
}
# Retype variables docsite has no variable for: the rule (selector, property) that shows them.
THEME_RULES: dict[str, tuple[str, str]] = {
    "base-link-weight": (".doc a", "font-weight"),
    "body-link-weight": (".doc a", "font-weight"),
    "body-link-hover": (".doc a:hover", "color"),
    "nav-item-text-active": (".nav-link[aria-current=page]", "color"),
    "nav-item-bg-active": (".nav-link[aria-current=page]", "background"),
    "nav-item-text-active-weight": (".nav-link[aria-current=page]", "font-weight"),
    "layout-site-max-width": (".shell", "max-width"),
    "layout-blog-content-max-width": (".layout-blog .content", "max-width"),
    "layout-blog-content-min-width": (".layout-blog .content", "min-width"),
    "image-rounded": (".doc img", "border-radius"),
    "header-bg": (".site-header", "background"),
    "header-border": (".site-header", "border-bottom-color"),
    "footer-text": (".site-footer", "color"),
    "heading-text": (".doc :is(h1, h2, h3, h4, h5, h6)", "color"),
    "selection-bg": ("::selection", "background"),
    "selection-text": ("::selection", "color"),
    "branding-label-text": (".site-label", "color"),
    "branding-label-bg": (".site-label", "background"),
}
# Retype's palette and base variables, defined by docsite.css and read by its components.
_PALETTE = re.compile(
    r"(?:primary|success|danger|warning|royal)(?:-\d{2,3})?|(?:base|gray|dark)-\d{2,3}"
    r"|base-(?:white|black|dark|text-strong|border-hover|border-strong|link-hover"
    r"|item-text|item-text-active|item-bg|item-bg-hover|item-bg-active)|skeleton-bg|mix-\d{2,3}"
)
# Retype variables whose dark default differs from the light one (docsite's dark scheme has
# its own value too): set only for the light scheme, they leave the dark scheme alone.
_DARK_OWN = frozenset(
    {"base-bg", "body-bg", "base-text", "body-text", "base-text-muted", "base-border"}
)
# docsite's --accent-bg from the base colour: Retype's base-100, and a dark tint in the dark.
_ACCENT_BG = {
    "light": "var(--base-100)",
    "dark": "color-mix(in srgb, var(--base-color) 22%, var(--bg))",
}
# docsite's shaded boxes (code, search) and lines, from a configured background.
_SOFT_BG = {
    "light": "color-mix(in srgb, var(--bg) 95%, #000)",
    "dark": "color-mix(in srgb, var(--bg) 90%, #fff)",
}
_BORDER = {
    "light": "color-mix(in srgb, var(--bg) 86%, #000)",
    "dark": "color-mix(in srgb, var(--bg) 80%, #fff)",
}
_NAME = re.compile(r"[a-z][a-z0-9-]*")
_DARK = (":root[data-theme=dark]", ":root:not([data-theme=light])")


def theme_reads(name: str) -> bool:
    """Whether docsite's theme shows a Retype theme variable."""
    return name in THEME_ALIASES or name in THEME_RULES or _PALETTE.fullmatch(name) is not None


@dataclass
class ThemeVariables(Spec):
    """`theme.light` / `theme.dark` (Retype's `theme.base` and `theme.dark`): variable name ->
    CSS value. A value that could end the style sheet it goes into is an error; a name
    docsite's theme does not read is a warning (it is still set, for the site's own CSS)."""

    description: str = "a mapping of theme variable names to CSS values"

    def default_hint(self) -> str:
        return 'write one variable per line, e.g. base-color: "#8839ef"'

    def check(self, value: Any, path: KeyPath, ctx: Context) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        variables: dict[str, str] = {}
        for raw_name, raw in value.items():
            name = str(raw_name).strip().removeprefix("--")
            checked = _css_value(raw, (*path, str(raw_name)), ctx)
            if checked is INVALID:
                continue
            if not _NAME.fullmatch(name):
                ctx.fail(
                    (*path, str(raw_name)),
                    f"'{dotted(path)}' has a variable name docsite cannot write: {name!r}",
                    "names are lower-case letters, digits and '-', such as base-color",
                )
                continue
            if not theme_reads(name):
                _unread(name, (*path, str(raw_name)), ctx)
            variables[name] = checked
        return variables


def _css_value(raw: Any, path: KeyPath, ctx: Context) -> Any:
    """A variable's CSS value; Retype's own docs end some with ';', which CSS does not need."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return ctx.fail(
            path,
            f"'{dotted(path)}' must be a CSS value, got {type_name(raw)}",
            'write the value in quotes, e.g. "#8839ef" or "1rem"',
        )
    text = str(raw).strip().rstrip(";").strip()
    if not text or any(c in text for c in "<>{};\\") or "/*" in text:
        return ctx.fail(
            path,
            f"'{dotted(path)}' is not a CSS value docsite can write: {text!r}",
            "a colour, a size or var(--name); no ';', braces, '<' or '\\'",
        )
    return text


def _unread(name: str, path: KeyPath, ctx: Context) -> None:
    pos = ctx.doc.where_key(path)
    ctx.report.warning(
        pos.file or ctx.doc.file,
        pos.line,
        pos.col,
        f"theme variable '{name}' has no counterpart in docsite's theme; it is set as "
        f"--{name} for your own CSS, but nothing of docsite's look reads it",
        "the configuration page of the docs lists the theme variables docsite shows",
    )


def theme_css(light: dict[str, str], dark: dict[str, str]) -> str:
    """The style sheet a themed site adds after docsite's: the variables for each scheme,
    docsite's own variables that follow them, and the rules of those it has none for."""
    if not light and not dark:
        return ""
    parts = []
    light_aliases = _aliases(light, "light")
    dark_aliases = {
        **_aliases({k: v for k, v in light.items() if k not in _DARK_OWN}, "dark"),
        **_aliases(dark, "dark"),
    }
    if light or light_aliases:
        parts.append(":root{" + _declarations({**light, **light_aliases}) + "}")
    if dark or dark_aliases:
        block = _declarations({**dark, **dark_aliases})
        parts.append(f"{_DARK[0]}{{{block}}}")
        parts.append(f"@media (prefers-color-scheme: dark){{{_DARK[1]}{{{block}}}}}")
    rules: dict[str, list[str]] = {}
    for name in sorted({*light, *dark} & set(THEME_RULES)):
        selector, prop = THEME_RULES[name]
        rules.setdefault(selector, []).append(f"{prop}:var(--{name})")
    parts.extend(f"{selector}{{{';'.join(props)}}}" for selector, props in rules.items())
    return "\n".join(parts)


def _aliases(variables: dict[str, str], scheme: str) -> dict[str, str]:
    """docsite's own variables that take the value of configured Retype ones."""
    aliases: dict[str, str] = {}
    for name in variables:
        for own in THEME_ALIASES.get(name, ()):
            aliases[own] = f"var(--{name})"
    if "base-color" in variables:  # the tint behind the current page's link, the label...
        aliases["accent-bg"] = _ACCENT_BG[scheme]
    if "base-bg" in variables or "body-bg" in variables:  # boxes and lines on that background
        aliases["bg-soft"] = aliases["bg-code"] = _SOFT_BG[scheme]
        if "base-border" not in variables:
            aliases["border"] = _BORDER[scheme]
    return aliases


def _declarations(variables: dict[str, str]) -> str:
    return ";".join(f"--{name}:{value}" for name, value in variables.items())


# Retype's built-in actions, which components.js runs (links, buttons, the page action menu).
BUILT_IN_ACTIONS = (
    "copy-page-link",
    "copy-page-markdown",
    "copy-to-clipboard",
    "print-page",
    "scroll-to-top",
    "share-page",
    "view-page-markdown",
)


@dataclass(frozen=True)
class HubConfig:
    """Retype's `hub`: a link left of the logo, back to the main site of several docs."""

    link: str = ""  # "" for none
    alt: str = ""  # its title (tooltip) and accessible name
    target: str = ""  # as the browser wants it: "_blank"


@dataclass(frozen=True)
class LastUpdatedConfig:
    """Retype's `lastUpdated`: what the footer of each page says of its last change in git.
    A page's own `lastUpdated` frontmatter is shown whatever this says."""

    date: bool = True  # the last commit's date (Retype's default: off; docsite's: on)
    date_source: str = "committer"  # or "author": whose timestamp of the commit
    by: bool = False  # the name of who made it
    by_source: str = "committer"


GIT_SOURCES = ("committer", "author")


@dataclass(frozen=True)
class TemplatingOptions:
    """Retype's `templating` options besides `enabled`."""

    loop_limit: int = 1000  # iterations of one loop statement; 0 for no limit
    namespace: str = ""  # `retype`: templates read `retype.project.*` and `retype.page.*`


def breadcrumb_home(value: Any) -> str | bool:
    """`breadcrumb.home`: a label (text, :icon-home: or an emoji), true for the home page's
    own label, false for no home item."""
    if isinstance(value, str):
        return value.strip() or False
    return bool(value)
