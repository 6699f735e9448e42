"""Scriban's values as Python values, and how Scriban turns them into text and booleans.

null -> None, booleans -> bool, integers -> int, decimals -> float, strings -> str, arrays ->
list, objects -> dict (string keys), dates -> datetime.datetime, timespans ->
datetime.timedelta, functions -> the evaluator's function values or Builtin."""

from __future__ import annotations

import datetime as dt
from typing import Any


def truthy(value: Any) -> bool:
    """Only null and false are false (Scriban's "Truthy and Falsy")."""
    return value is not None and value is not False


def to_text(value: Any) -> str:
    """A value as `{{ value }}` writes it."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d %b %Y")
    if isinstance(value, list):
        return "[" + ", ".join(_nested(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_nested(item)}" for key, item in value.items()) + "}"
    return str(value)


def _nested(value: Any) -> str:
    """A value inside an array or object: strings quoted."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return to_text(value)


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
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, dt.datetime):
        return "date"
    if isinstance(value, dt.timedelta):
        return "timespan"
    return "function"
