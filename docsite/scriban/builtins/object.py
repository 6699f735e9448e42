"""Scriban's `object` functions: defaults, members, sizes, types, formats and JSON.
(object.eval and object.eval_template need the template engine itself: the evaluator
provides them, not this library.)"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from docsite.scriban.builtins.common import builtins
from docsite.scriban.builtins.date import dotnet_format
from docsite.scriban.builtins.numberformat import format_number
from docsite.scriban.runtime import ScriptError
from docsite.scriban.values import (
    TextBudget,
    format_double,
    format_timespan,
    is_number,
    to_str,
    to_text,
    type_name,
)

_JSON_HINT = "JSON holds objects, arrays, strings, finite numbers, booleans and null."
MAX_JSON_DEPTH = 100  # deeper JSON is refused rather than exhausting Python's stack


def default(_rt: Any, value: Any, fallback: Any) -> Any:
    """The fallback when the value is null or "" (whitespace is a value)."""
    return fallback if value is None or value == "" else value


def format_(_rt: Any, value: Any, format: Any, culture: Any = None) -> Any:
    """Numbers with .NET numeric formats (`N2`), dates with .NET date formats
    (`yyyy-MM-dd`); other values as they are written."""
    if is_number(value):
        return format_number(value, to_str(format), culture)
    if isinstance(value, dt.datetime):
        return dotnet_format(value, to_str(format))
    return to_text(value)


def has_key(_rt: Any, value: Any, key: Any) -> bool:
    return isinstance(value, dict) and key is not None and to_str(key) in value


def has_value(_rt: Any, value: Any, key: Any) -> bool:
    """The member exists and is not null."""
    return has_key(_rt, value, key) and value[to_str(key)] is not None


def keys(_rt: Any, value: Any) -> list[str]:
    return list(value) if isinstance(value, dict) else []


def values(_rt: Any, value: Any) -> list[Any]:
    return list(value.values()) if isinstance(value, dict) else []


def size(_rt: Any, value: Any) -> int:
    """Characters of a string, elements of an array, members of an object; else 0."""
    if isinstance(value, str | list | tuple | range | dict):
        return len(value)
    return 0


def typeof(_rt: Any, value: Any) -> str | None:
    """string, boolean, number, array, iterator, function or object; null for null."""
    if value is None:
        return None
    name = type_name(value)
    return "object" if name in ("date", "timespan") else name


def kind(_rt: Any, value: Any) -> str | None:
    """The finer type: bool, int, long, bigint, double, string, range, array, function or
    object; null for null."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        if -(2**31) <= value < 2**31:
            return "int"
        return "long" if -(2**63) <= value < 2**63 else "bigint"
    names = {float: "double", str: "string", range: "range", list: "array", tuple: "array"}
    for python_type, name in names.items():
        if isinstance(value, python_type):
            return name
    return "function" if type_name(value) == "function" else "object"


def _json(value: Any, budget: TextBudget, depth: int = 0) -> str:
    if depth > MAX_JSON_DEPTH:
        raise ScriptError(f"object.to_json: nested deeper than {MAX_JSON_DEPTH} levels", _JSON_HINT)
    if isinstance(value, list | tuple | range | dict):
        return budget.once(value, lambda: _json_container(value, budget, depth))
    return budget.spend(_json_scalar(value))


def _json_container(value: Any, budget: TextBudget, depth: int) -> str:
    if isinstance(value, dict):
        members = [
            budget.spend(json.dumps(str(k), ensure_ascii=False) + ":") + _json(v, budget, depth + 1)
            for k, v in value.items()
        ]
        ends = "{}"
    else:
        members = [_json(item, budget, depth + 1) for item in value]
        ends = "[]"
    budget.spend(ends + "," * max(len(members) - 1, 0))
    return ends[0] + ",".join(members) + ends[1]


def _json_scalar(value: Any) -> str:
    if value is None or isinstance(value, bool | int | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ScriptError(
                f"object.to_json: {format_double(value)} has no JSON form", _JSON_HINT
            )
        return format_double(value)
    if isinstance(value, dt.datetime):
        return json.dumps(value.isoformat())
    if isinstance(value, dt.timedelta):
        return json.dumps(format_timespan(value))
    raise ScriptError(f"object.to_json: a {type_name(value)} has no JSON form", _JSON_HINT)


def to_json(_rt: Any, value: Any) -> str:
    """Compact JSON: `{"foo":"bar","baz":[1,2,3]}`."""
    return _json(value, TextBudget("object.to_json: the value"))


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def from_json(_rt: Any, text: Any) -> Any:
    """A value from JSON text: objects, arrays, strings, numbers, booleans, null."""
    source = to_str(text)
    try:
        return json.loads(source, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ScriptError(
            f"object.from_json: {error.msg} at line {error.lineno}, column {error.colno}",
            "Check the JSON: keys in double quotes, no trailing commas.",
        ) from None
    except (ValueError, RecursionError) as error:
        raise ScriptError(
            f"object.from_json: the text cannot be read ({error})",
            "Pass JSON text: objects, arrays, strings, finite numbers, true, false, null.",
        ) from None


FUNCTIONS = builtins(
    "object",
    {
        "default": (default, 2, 2),
        "format": (format_, 2, 3),
        "has_key": (has_key, 2, 2),
        "has_value": (has_value, 2, 2),
        "keys": (keys, 1, 1),
        "size": (size, 1, 1),
        "typeof": (typeof, 1, 1),
        "kind": (kind, 1, 1),
        "values": (values, 1, 1),
        "from_json": (from_json, 1, 1),
        "to_json": (to_json, 1, 1),
    },
)
