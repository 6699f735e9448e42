"""Scriban's values as Python values, and how Scriban turns them into text, booleans, numbers
and orderings.

null -> None, booleans -> bool, integers -> int, decimals -> float, strings -> str, arrays ->
list, objects -> dict (string keys), ranges (`1..5`) -> range, dates -> datetime.datetime,
timespans -> datetime.timedelta, functions -> the evaluator's function values or Builtin.

Scriban runs on .NET with the invariant culture for numbers: `1.5`, never `1,5`; a double is
written with the shortest digits that read back the same, in exponent form (`1E+15`) from
15 digits on, as .NET does."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from docsite.scriban.runtime import EMPTY, ScriptError

MAX_SIZE = 1_000_000  # the largest width or position a built-in fills up to
LONGEST_TEXT = 10_000_000  # characters of a string a template makes
LONGEST_ARRAY = 1_000_000  # items of an array a template makes
DEFAULT_DATE_FORMAT = "%d %b %Y"  # date.default_format: what `{{ date.now }}` writes
# Month abbreviations in English, not in the machine's locale as strftime's %b.
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class KnownMembers(dict):
    """An object whose members are all known (a page's, the project's): reading another,
    such as a misspelt `page.lable`, is null as in any object, and is also reported."""


class NamedObject(dict):
    """An object written as its `name` (an author: `{{ page.author }}` writes "Jane"), its
    members read as any object's (`page.author.email`)."""


class CalendarDate(dt.datetime):
    """A date written without a time (`created: 2024-05-14` in frontmatter): written back as
    it was written, as Retype does, and a date for the `date.*` functions."""


def truthy(value: Any) -> bool:
    """Only null and false are false (Scriban's "Truthy and Falsy")."""
    return value is not None and value is not False


def to_text(value: Any, budget: TextBudget | None = None) -> str:
    """A value as `{{ value }}` writes it."""
    if value is None or value is EMPTY:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return format_double(value)
    if isinstance(value, NamedObject):
        return to_text(value.get("name"))
    if isinstance(value, CalendarDate):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, dt.datetime):
        return f"{value.day:02d} {_MONTHS[value.month - 1]} {value.year:04d}"  # %d %b %Y
    if isinstance(value, dt.timedelta):
        return format_timespan(value)
    if _is_container(value):
        spent = budget or TextBudget("the value")
        return spent.once(value, lambda: _container_text(value, spent))
    return str(value)


class TextBudget:
    """The characters a value may still take as text: an array that holds another twice,
    doubled in a loop, would otherwise be written out in 2^n pieces."""

    def __init__(self, what: str):
        self.what = what
        self.left = LONGEST_TEXT
        self.texts: dict[int, str] = {}  # by id: the containers written so far

    def once(self, container: Any, make: Callable[[], str]) -> str:
        """A container's text, made once (its pieces spent as they are made); a container
        met again costs its whole text, without making it again."""
        known = self.texts.get(id(container))
        if known is not None:
            return self.spend(known)
        text = self.texts[id(container)] = make()
        return text

    def spend(self, text: str) -> str:
        self.left -= len(text)
        if self.left < 0:
            raise ScriptError(
                f"{self.what} is too large to write out",
                f"a value's text stays under {LONGEST_TEXT} characters",
            )
        return text


def _container_text(value: Any, budget: TextBudget) -> str:
    if isinstance(value, dict):
        items = [budget.spend(f"{key}: ") + _nested(item, budget) for key, item in value.items()]
        ends = "{}"
    else:
        items = [_nested(item, budget) for item in value]
        ends = "[]"
    budget.spend(ends + ", " * max(len(items) - 1, 0))
    return ends[0] + ", ".join(items) + ends[1]


def _nested(value: Any, budget: TextBudget | None = None) -> str:
    """A value inside an array or object: strings quoted, null written."""
    if value is None:
        return "null"
    if isinstance(value, str):
        text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return budget.spend(text) if budget else text
    text = to_text(value, budget)
    return budget.spend(text) if budget and not _is_container(value) else text


def _is_container(value: Any) -> bool:
    return isinstance(value, list | tuple | range | dict)


def type_name(value: Any) -> str:
    """Scriban's name of a value's type, for messages and `object.typeof`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, range):
        return "iterator"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, dt.datetime):
        return "date"
    if isinstance(value, dt.timedelta):
        return "timespan"
    return "function"


def format_double(value: float) -> str:
    """A double as .NET's invariant `ToString()` writes it: shortest round-trip digits,
    `1E+15` from 15 integer digits on and `1E-05` below 0.0001."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    import decimal  # its C library takes 5 ms to load: only templates that print decimals

    sign = "-" if value < 0 else ""
    shortest = decimal.Decimal(repr(abs(value))).normalize()
    _, digit_tuple, exponent = shortest.as_tuple()
    digits = "".join(map(str, digit_tuple))
    scientific = len(digits) - 1 + int(exponent)
    if scientific >= 15 or scientific <= -5:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}E{'+' if scientific >= 0 else '-'}{abs(scientific):02d}"
    return sign + format(shortest, "f")


def format_timespan(span: dt.timedelta) -> str:
    """A timespan as .NET writes it: `[-][d.]hh:mm:ss[.fffffff]`."""
    ticks = (span.days * 86_400 + span.seconds) * 10_000_000 + span.microseconds * 10
    sign = "-" if ticks < 0 else ""
    ticks = abs(ticks)
    seconds, fraction = divmod(ticks, 10_000_000)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    days, hour = divmod(hours, 24)
    text = f"{sign}{f'{days}.' if days else ''}{hour:02d}:{minute:02d}:{second:02d}"
    return text + (f".{fraction:07d}" if fraction else "")


def is_number(value: Any) -> bool:
    """A Scriban number: an integer or a double, never a boolean."""
    return isinstance(value, int | float) and not isinstance(value, bool)


_NUMBER = re.compile(r"\s*[+-]?(?:\d[\d,]*\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")


def parse_number(text: str) -> int | float | None:
    """A number from text as .NET's invariant TryParse reads it, or None: an integer when it
    has no point nor exponent."""
    if _INTEGER.fullmatch(text):
        return int(text)
    if _NUMBER.fullmatch(text):
        return float(text.replace(",", ""))
    return None


def to_number(value: Any, what: str) -> int | float:
    """A number argument: numbers as they are, numeric strings read, anything else refused."""
    if is_number(value):
        return value
    if isinstance(value, str):
        number = parse_number(value)
        if number is not None:
            return number
    raise ScriptError(
        f"{what} expects a number, not {type_name(value)} {_nested(value)[:40]}",
        "Pass a number such as 3 or 2.5.",
    )


def to_int(value: Any, what: str, default: int = 0) -> int:
    """An integer argument (a count, an index, a length); null means the default."""
    if value is None:
        return default
    number = to_number(value, what)
    if isinstance(number, float):
        if not math.isfinite(number):
            raise ScriptError(
                f"{what} expects an integer, not {format_double(number)}", "Pass a whole number."
            )
        return int(number)
    return number


def to_size(value: Any, what: str, default: int = 0) -> int:
    """A count that makes something (a width, a position to fill up to): at most
    MAX_SIZE, so a typo cannot ask for gigabytes."""
    count = to_int(value, what, default)
    if count > MAX_SIZE:
        raise ScriptError(
            f"{what} is {count}: more than {MAX_SIZE} is refused", "Pass a smaller number."
        )
    return count


def to_str(value: Any) -> str:
    """A text argument: null is the empty string, other values as `{{ }}` writes them."""
    return value if isinstance(value, str) else to_text(value)


def iterate(value: Any) -> list[Any] | None:
    """An array argument as a list: null stays None, `empty` is [], an object gives its
    `{key, value}` pairs (as `for` does), a single value is a list of one."""
    if value is None:
        return None
    if value is EMPTY:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [{"key": key, "value": item} for key, item in value.items()]
    if isinstance(value, tuple | range):
        return list(value)
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return list(value)
    return [value]


def equals(left: Any, right: Any) -> bool:
    """Scriban's `==`: numbers by value (1 == 1.0), booleans never equal to numbers."""
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, dt.datetime) and isinstance(right, dt.datetime):
        left, right = _comparable_dates(left, right)
    return same_value(left, right)


def same_value(left: Any, right: Any) -> bool:
    """Python's `left == right`, but arrays and objects compared in time linear in their
    distinct parts: two arrays that each hold another twice, doubled in a loop, would
    otherwise take 2^n steps."""
    return _same(left, right, set())


def fingerprint(value: Any, known: dict[int, int] | None = None) -> int:
    """A hash that values equal by `same_value` share, arrays and objects included: each
    distinct part hashed once, so that equal arrays can be grouped, not compared pairwise."""
    known = {} if known is None else known
    if not isinstance(value, list | dict):
        try:
            return hash(value)
        except TypeError:
            return hash(type(value).__name__)
    if id(value) in known:
        return known[id(value)]
    known[id(value)] = 0  # an array holding itself: its own part counts as 0
    if isinstance(value, dict):
        parts = frozenset((key, fingerprint(item, known)) for key, item in value.items())
        known[id(value)] = hash(("object", parts))
    else:
        known[id(value)] = hash(("array", *(fingerprint(item, known) for item in value)))
    return known[id(value)]


def _same(left: Any, right: Any, assumed: set[tuple[int, int]]) -> bool:
    both_lists = isinstance(left, list) and isinstance(right, list)
    both_dicts = isinstance(left, dict) and isinstance(right, dict)
    if not (both_lists or both_dicts):
        return bool(left == right)
    if len(left) != len(right):
        return False
    pair = (id(left), id(right))
    if left is right or pair in assumed:  # compared already, or being compared
        return True
    assumed.add(pair)
    if both_dicts:
        return left.keys() == right.keys() and all(
            left[key] is right[key] or _same(left[key], right[key], assumed) for key in left
        )
    return all(a is b or _same(a, b, assumed) for a, b in zip(left, right, strict=True))


def compare(left: Any, right: Any) -> int:
    """An ordering for `<` and array.sort: numbers by value, strings by ordinal, dates and
    timespans in time, null before everything; other mixes are refused."""
    if left is None or right is None:
        return (left is not None) - (right is not None)
    if is_number(left) and is_number(right):
        return (left > right) - (left < right)
    if isinstance(left, dt.datetime) and isinstance(right, dt.datetime):
        left, right = _comparable_dates(left, right)
    for kind in (str, bool, dt.datetime, dt.timedelta):
        if isinstance(left, kind) and isinstance(right, kind):
            return (left > right) - (left < right)
    raise ScriptError(
        f"cannot compare {type_name(left)} with {type_name(right)}",
        "Compare values of the same type (numbers with numbers, strings with strings).",
    )


def _comparable_dates(left: dt.datetime, right: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """A date without a time zone is read in the other one's zone (.NET compares them)."""
    if (left.tzinfo is None) != (right.tzinfo is None):
        if left.tzinfo is None:
            left = left.replace(tzinfo=right.tzinfo)
        else:
            right = right.replace(tzinfo=left.tzinfo)
    return left, right
