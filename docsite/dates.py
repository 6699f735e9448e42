"""Dates as a reader sees them, in Retype's `locale.dateFormat` notation (.NET's custom date
specifiers: `yyyy-MM-dd`, `MMMM d, yyyy`, `dddd`), with month and day names in the site's
language. The names come from the Unicode CLDR through Babel, loaded only when a format
asks for one."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import cache


def build_time() -> dt.datetime:
    """The build's date and time for templates (`date.now`): SOURCE_DATE_EPOCH when set,
    as other generators honour it, so that a build can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdecimal():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


# The letters that are specifiers; any other character is written as it is.
_SPECIFIERS = frozenset("yMd")


@dataclass(frozen=True)
class FormatPart:
    """A run of one specifier letter (`MMM`) or a literal text (`, `), with where it starts
    in the format, for messages."""

    text: str
    literal: bool
    col: int


def parse_format(pattern: str) -> list[FormatPart]:
    """The parts of a date format: runs of a specifier letter, and literal text between
    them; `'quoted text'` and `\\x` are literal, as in .NET."""
    parts: list[FormatPart] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char in _SPECIFIERS:
            end = index
            while end < len(pattern) and pattern[end] == char:
                end += 1
            parts.append(FormatPart(pattern[index:end], False, index + 1))
            index = end
        elif char == "'":
            end = pattern.find("'", index + 1)
            end = len(pattern) if end < 0 else end
            parts.append(FormatPart(pattern[index + 1 : end], True, index + 1))
            index = end + 1
        elif char == "\\" and index + 1 < len(pattern):
            parts.append(FormatPart(pattern[index + 1], True, index + 1))
            index += 2
        else:
            parts.append(FormatPart(char, True, index + 1))
            index += 1
    return parts


def format_date(value: dt.date, pattern: str, locale: str = "en") -> str:
    """`value` written as `pattern` says, with names in `locale`'s language (English when
    CLDR does not know it, as for a custom locale such as `partner`)."""
    return "".join(_part(value, part, locale) for part in parse_format(pattern))


def _part(value: dt.date, part: FormatPart, locale: str) -> str:
    if part.literal:
        return part.text
    width = len(part.text)
    letter = part.text[0]
    if letter == "y":
        if width <= 2:
            year = value.year % 100
            return f"{year:02d}" if width == 2 else str(year)
        return f"{value.year:0{width}d}"
    if letter == "M":
        if width <= 2:
            return f"{value.month:0{width}d}"
        return _names(locale, "months", width)[value.month]
    if width <= 2:
        return f"{value.day:0{width}d}"
    return _names(locale, "days", width)[value.weekday()]


@cache
def _names(locale: str, kind: str, width: int) -> dict[int, str]:
    """Month names by number (1-12) or day names by weekday (0 is Monday), abbreviated for
    three letters and wide for four or more."""
    from babel import Locale, UnknownLocaleError

    try:
        found = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        found = Locale.parse("en")
    table = found.months if kind == "months" else found.days
    return dict(table["format"]["abbreviated" if width == 3 else "wide"])
