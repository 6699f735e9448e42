"""The theme's interface words (Retype's `labels`), in docsite's own wording and translations.

Each built-in locale is a data file, `docsite/locales/<locale>.json`, keyed by Retype's label
names: those names are an API (`labels:` in the config, `project.labels[...]` in templates),
so a Retype project's overrides work unchanged. A new language is one more file.

Retype's rules, which `labels_for` follows: a key is found whatever its case and whether it
is written with `_` or `-`, and so is a group (`fr`, `FR`); the active words start from the
built-in locale, `labels.<locale>` overrides them, `labels.default` overrides English and fills
in what a built-in locale lacks but never replaces its translation, and a custom locale
(`locale: partner`) reads `labels.partner`, then `labels.default`, then English.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

# The interface's words of each built-in locale, one data file each, shipped in the package.
LOCALES = Path(__file__).resolve().parent / "locales"
# English is the fallback of every other locale and of custom ones.
ENGLISH = "en"
# The group of project-wide values (Retype's `labels.default`).
DEFAULT_GROUP = "default"
# The locales Retype knows, by language tag (its Supported Languages): a project in one of
# them is written in that language. docsite has the interface's words of each (a file in
# locales/, `pt-PT.json` for pt-PT; tests/test_labels.py checks).
_RETYPE_TAGS = "ar da de el en es fi fr he hi hu hy it ja kn ko nb nl pt pt-pt ro ru sa sv ta te th"
_RETYPE_TAGS += " tr vi zh"
RETYPE_LOCALES = frozenset(_RETYPE_TAGS.split())
# Languages written right to left, by ISO 639 code, and the scripts that are (ISO 15924): a
# page in one of them reads from the right, with the theme's layout mirrored.
_RTL_LANGUAGES = frozenset(
    ["ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi"]
)
_RTL_SCRIPTS = frozenset(["adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa"])

Overrides = dict[str, dict[str, str]]


def normalise(name: str) -> str:
    """The form keys and groups are compared in: case and `_`/`-` do not matter."""
    return name.strip().lower().replace("-", "_")


@cache
def _table(locale: str) -> dict[str, str]:
    return json.loads((LOCALES / f"{locale}.json").read_text("utf-8"))


@cache
def built_in_locales() -> tuple[str, ...]:
    """The locales docsite has interface words for, sorted: the data files present."""
    return tuple(sorted(f.name[:-5] for f in LOCALES.iterdir() if f.name.endswith(".json")))


@cache
def keys() -> tuple[str, ...]:
    """Every label key, as Retype spells it (English has them all)."""
    return tuple(_table(ENGLISH))


@cache
def _by_normal_key() -> dict[str, str]:
    return {normalise(key): key for key in keys()}


def canonical_key(name: str) -> str | None:
    """Retype's spelling of a label key written in any case, with `_` or `-`; None if unknown."""
    return _by_normal_key().get(normalise(name))


def built_in(locale: str) -> str | None:
    """The built-in locale a locale uses: itself (any case), else its language (`fr` for
    `fr-CA`); None for a custom locale such as `partner`."""
    known = _by_normal_locale()
    wanted = normalise(locale or ENGLISH)
    return known.get(wanted) or known.get(wanted.partition("_")[0])


@cache
def _by_normal_locale() -> dict[str, str]:
    return {normalise(name): name for name in built_in_locales()}


def is_language(locale: str) -> bool:
    """Whether a locale names a language (one Retype or docsite knows), rather than a custom
    group of words: only then does it say what language the pages are in."""
    wanted = normalise(locale)
    return built_in(locale) is not None or wanted.replace("_", "-") in RETYPE_LOCALES


def text_direction(language: str) -> str:
    """`rtl` for a language tag written right to left (ar, he-IL, fa, az-Arab), else `ltr`:
    what <html dir> says. A script subtag decides over the language (ks-Deva is `ltr`)."""
    language_code, *subtags = language.strip().lower().replace("_", "-").split("-")
    script = next((tag for tag in subtags if len(tag) == 4 and tag.isalpha()), None)
    if script is not None:
        return "rtl" if script in _RTL_SCRIPTS else "ltr"
    return "rtl" if language_code in _RTL_LANGUAGES else "ltr"


def built_in_labels(locale: str) -> dict[str, str]:
    """The built-in words of a locale docsite has (see `built_in_locales`), English under
    any key it lacks."""
    return {**_table(ENGLISH), **_table(locale)}


def _groups(overrides: Overrides) -> dict[str, dict[str, str]]:
    """The configured groups by normalised name, their keys in Retype's spelling (a key
    docsite does not know keeps the spelling it was written in)."""
    groups: dict[str, dict[str, str]] = {}
    for group, values in overrides.items():
        merged = groups.setdefault(normalise(group), {})
        for key, value in values.items():
            merged[canonical_key(key) or key] = value
    return groups


def labels_for(locale: str, overrides: Overrides) -> dict[str, str]:
    """The active labels of a site in `locale` with the config's `labels` (`overrides`: group
    name -> key -> text), keyed by Retype's spelling of each key."""
    groups = _groups(overrides)
    base = built_in(locale)
    active = dict(_table(ENGLISH))
    active.update(groups.get(DEFAULT_GROUP, {}))  # English's overrides, everyone's fallback
    if base is not None and base != ENGLISH:
        active.update(_table(base))  # a translation stands unless labels.<locale> says
    active.update(groups.get(normalise(locale or ENGLISH), {}))
    return active


class LabelTable(dict):
    """A dict whose lookups ignore case and treat `_` and `-` alike, as Retype's label keys
    and groups do: `project.labels["search-input-placeholder"]`, `project.labels.FR[...]`."""

    def __init__(self, items: dict[str, Any]):
        super().__init__(items)
        # Each key by its normalised spelling, made at the first lookup: most tables (a
        # group for each of 60-odd locales) are never looked in.
        self._spelling: dict[str, str] | None = None

    def _key(self, key: Any) -> Any:
        if not isinstance(key, str):
            return key
        if self._spelling is None:
            self._spelling = {normalise(name): name for name in self}
        return self._spelling.get(normalise(key), key)

    def __getitem__(self, key: Any) -> Any:
        return super().__getitem__(self._key(key))

    def __contains__(self, key: object) -> bool:
        return super().__contains__(self._key(key))

    def get(self, key: Any, default: Any = None) -> Any:
        return super().get(self._key(key), default)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LabelTable, (dict(self),))


def template_labels(locale: str, overrides: Overrides) -> LabelTable:
    """What templates see as `project.labels`: the active labels by key, and one group per
    locale (each built-in one, each configured one and `default`) as that site would show
    them, for `project.labels.es["..."]`."""
    names = {normalise(name): name for name in (*built_in_locales(), *overrides, DEFAULT_GROUP)}
    table: dict[str, Any] = dict(labels_for(locale, overrides))
    for name in names.values():
        table.setdefault(name, LabelTable(labels_for(name, overrides)))
    return LabelTable(table)


# The interface words (label keys) Markdown components show: a callout's default title, the
# titles of GitHub's alerts. They enter the Markdown key, so a new locale re-renders pages.
MARKDOWN_WORDS = (
    "Panel_Title_Details",
    "Note_Note_Title",
    "Note_Tip_Title",
    "Note_Important_Title",
    "Note_Warning_Title",
    "Note_Caution_Title",
)


def markdown_words(labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The words of `labels` (a site's active labels) that Markdown components show."""
    return tuple((key, labels[key]) for key in MARKDOWN_WORDS)
