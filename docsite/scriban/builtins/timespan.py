"""Scriban's `timespan` functions: intervals made from a number of units, or read from
.NET's `[-][d.]hh:mm[:ss[.fffffff]]` text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from docsite.scriban.builtins.common import builtins
from docsite.scriban.runtime import ScriptError
from docsite.scriban.values import to_number, to_str

_SPAN = re.compile(
    r"\s*(?P<sign>-)?(?:(?P<days>\d+)[.:])?(?P<hours>\d{1,2}):(?P<minutes>\d{1,2})"
    r"(?::(?P<seconds>\d{1,2})(?:\.(?P<fraction>\d{1,7}))?)?\s*"
)

_HINT = "Write [-][days.]hours:minutes[:seconds[.fraction]], such as 1.02:30:00 or 00:45."


def _span(what: str, amount: Any, unit: str) -> dt.timedelta:
    number = to_number(0 if amount is None else amount, f"timespan.{what}")
    try:
        return dt.timedelta(**{unit: number})
    except OverflowError:
        raise ScriptError(
            f"timespan.{what}: {number} {unit} is too long an interval", _HINT
        ) from None


def from_days(_rt: Any, days: Any) -> dt.timedelta:
    return _span("from_days", days, "days")


def from_hours(_rt: Any, hours: Any) -> dt.timedelta:
    return _span("from_hours", hours, "hours")


def from_minutes(_rt: Any, minutes: Any) -> dt.timedelta:
    return _span("from_minutes", minutes, "minutes")


def from_seconds(_rt: Any, seconds: Any) -> dt.timedelta:
    return _span("from_seconds", seconds, "seconds")


def from_milliseconds(_rt: Any, millis: Any) -> dt.timedelta:
    return _span("from_milliseconds", millis, "milliseconds")


def zero(_rt: Any) -> dt.timedelta:
    return dt.timedelta(0)


def parse(_rt: Any, text: Any) -> dt.timedelta:
    """`1.02:03:04.5`, `02:03`, `-00:30:00` or a whole number of days (`3`)."""
    value = to_str(text)
    if value.strip().lstrip("-").isdecimal():
        return _span("parse", int(value), "days")
    found = _SPAN.fullmatch(value)
    if not found or int(found["hours"]) > 23 or int(found["minutes"]) > 59:
        raise ScriptError(
            f"timespan.parse: {value!r} is not a timespan",
            _HINT,
        )
    seconds = int(found["seconds"] or 0)
    if seconds > 59:
        raise ScriptError(f"timespan.parse: {value!r} has more than 59 seconds", _HINT)
    span = dt.timedelta(
        days=int(found["days"] or 0),
        hours=int(found["hours"]),
        minutes=int(found["minutes"]),
        seconds=seconds,
        microseconds=int((found["fraction"] or "0").ljust(7, "0")) / 10,
    )
    return -span if found["sign"] else span


FUNCTIONS = builtins(
    "timespan",
    {
        "from_days": (from_days, 1, 1),
        "from_hours": (from_hours, 1, 1),
        "from_minutes": (from_minutes, 1, 1),
        "from_seconds": (from_seconds, 1, 1),
        "from_milliseconds": (from_milliseconds, 1, 1),
        "parse": (parse, 1, 1),
        "zero": (zero, 0, 0),
    },
)
