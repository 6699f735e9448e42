"""Scriban's operators on values: arithmetic, comparison, ranges. Each raises ScriptError for
operands it cannot take; the evaluator adds the position."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docsite.scriban.runtime import EMPTY, ScriptError
from docsite.scriban.values import LONGEST_ARRAY, LONGEST_TEXT, same_value, to_text, type_name


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _integer(value: Any, what: str) -> int:
    """A value that must be a whole number (a range's bound, a repeat count)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ScriptError(f"{what} must be a whole number, not {_a(value)}")
    return value


def _a(value: Any) -> str:
    """A value's type with its article, for messages: "a string", "an array"."""
    name = type_name(value)
    return ("an " if name[0] in "aeiou" else "a ") + name


def _cannot(op: str, left: Any, right: Any) -> ScriptError:
    return ScriptError(
        f"cannot apply `{op}` to {_a(left)} and {_a(right)}",
        "arithmetic takes numbers; `+` also joins strings and arrays",
    )


def binary(op: str, left: Any, right: Any, max_range: int) -> Any:
    """`left op right` for the operators that evaluate both sides."""
    if op in ("==", "!="):
        return equal(left, right) == (op == "==")
    if op in ("<", "<=", ">", ">="):
        return compare(op, left, right)
    if op in ("..", "..<"):
        return make_range(left, right, op == "..<", max_range)
    if op == "contains":
        return contains(left, right)
    if op == "+" and (isinstance(left, str) or isinstance(right, str)):
        return check_size("`+`", to_text(left) + to_text(right))
    if op == "<<" and isinstance(left, list):
        left.append(right)  # `array << item`: pushed at the end
        return left
    if op == ">>" and isinstance(right, list):
        right.insert(0, left)  # `item >> array`: put first
        return right
    if left is None or right is None:
        return None
    result = _ARITHMETIC[op](left, right)
    if isinstance(result, int) and result.bit_length() > _LARGEST_BITS:
        raise ScriptError("the result is too large a number", "numbers stay under 10^4000")
    return check_size(f"`{op}`", result)


_LARGEST_BITS = 13_000  # about 10^3900: Python writes ints of up to 4300 digits


def check_size(what: str, value: Any) -> Any:
    """A string or array a template made, refused when it is too large: doubling one in a
    loop would otherwise exhaust the memory long before the loop limit."""
    if isinstance(value, str) and len(value) > LONGEST_TEXT:
        raise ScriptError(
            f"{what} made too long a string ({len(value)} characters)",
            f"strings stay under {LONGEST_TEXT} characters (limit: output size)",
        )
    if isinstance(value, list) and len(value) > LONGEST_ARRAY:
        raise ScriptError(
            f"{what} made too large an array ({len(value)} items)",
            f"arrays stay under {LONGEST_ARRAY} items",
        )
    return value


def _add(left: Any, right: Any) -> Any:
    if is_number(left) and is_number(right):
        return left + right
    if isinstance(left, list) and isinstance(right, list):
        return left + right
    if isinstance(left, dt.datetime) and isinstance(right, dt.timedelta):
        return left + right
    if isinstance(left, dt.timedelta) and isinstance(right, dt.timedelta | dt.datetime):
        return left + right
    raise _cannot("+", left, right)


def _subtract(left: Any, right: Any) -> Any:
    if is_number(left) and is_number(right):
        return left - right
    if isinstance(left, dt.datetime) and isinstance(right, dt.datetime | dt.timedelta):
        return left - right
    if isinstance(left, dt.timedelta) and isinstance(right, dt.timedelta):
        return left - right
    raise _cannot("-", left, right)


def _multiply(left: Any, right: Any) -> Any:
    if is_number(left) and is_number(right):
        return left * right
    if isinstance(left, str) and is_number(right):
        return _repeat(left, right)
    if is_number(left) and isinstance(right, str):
        return _repeat(right, left)
    raise _cannot("*", left, right)


def _repeat(text: str, count: Any) -> str:
    times = max(0, _integer(count, "the count of a string repeat"))
    if len(text) * times > LONGEST_TEXT:
        raise ScriptError("the result is too long a string", "limit: output size")
    return text * times


def _numbers(op: str, left: Any, right: Any) -> None:
    """Checks both sides are numbers and the right one is not zero."""
    if not (is_number(left) and is_number(right)):
        raise _cannot(op, left, right)
    if right == 0:
        raise ScriptError("division by zero", f"the right side of `{op}` is 0")


def _divide(left: Any, right: Any) -> Any:
    _numbers("/", left, right)
    return left / right


def _divide_round(left: Any, right: Any) -> Any:
    _numbers("//", left, right)
    return (
        int(left / right)
        if isinstance(left, float) or isinstance(right, float)
        else _idiv(left, right)
    )


def _idiv(left: int, right: int) -> int:
    """Integer division rounding toward zero, as in C#."""
    quotient = abs(left) // abs(right)
    return quotient if (left >= 0) == (right >= 0) else -quotient


def _modulus(left: Any, right: Any) -> Any:
    _numbers("%", left, right)
    if isinstance(left, int) and isinstance(right, int):
        return left - right * _idiv(left, right)
    remainder = abs(left) % abs(right)
    return remainder if left >= 0 else -remainder


def _shift(op: str) -> Any:
    def shift(left: Any, right: Any) -> int:
        if not (isinstance(left, int) and isinstance(right, int)) or right < 0:
            raise _cannot(op, left, right)
        return left << right if op == "<<" else left >> right

    return shift


_ARITHMETIC = {
    "+": _add,
    "-": _subtract,
    "*": _multiply,
    "/": _divide,
    "//": _divide_round,
    "%": _modulus,
    "<<": _shift("<<"),
    ">>": _shift(">>"),
}


def equal(left: Any, right: Any) -> bool:
    """Scriban's `==`: numbers by value, `empty` equal to null and empty collections."""
    if left is EMPTY or right is EMPTY:
        other = right if left is EMPTY else left
        return other is EMPTY or other is None or (hasattr(other, "__len__") and not len(other))
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    return same_value(left, right)


def compare(op: str, left: Any, right: Any) -> bool:
    """`<`, `<=`, `>`, `>=`: numbers, strings, dates and timespans; false with a null."""
    if left is None or right is None:
        return False
    comparable = (
        (is_number(left) and is_number(right))
        or all(isinstance(side, str) for side in (left, right))
        or all(isinstance(side, dt.datetime) for side in (left, right))
        or all(isinstance(side, dt.timedelta) for side in (left, right))
    )
    if not comparable:
        raise ScriptError(f"cannot compare {_a(left)} with {_a(right)} using `{op}`")
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


def contains(container: Any, item: Any) -> bool:
    """`container contains item`: an array's item, a string's part, an object's key."""
    if container is None:
        return False
    if isinstance(container, str):
        return to_text(item) in container
    if isinstance(container, dict):
        return to_text(item) in container
    if isinstance(container, list):
        return any(equal(element, item) for element in container)
    raise ScriptError(f"{_a(container)} cannot contain anything", "use an array or a string")


def make_range(left: Any, right: Any, exclusive: bool, max_size: int) -> list[int] | None:
    """`1..5` (5 included) or `1..<5` (excluded), downward when left > right."""
    if left is None or right is None:
        return None
    start, end = _integer(left, "a range's start"), _integer(right, "a range's end")
    step = 1 if end >= start else -1
    stop = end if exclusive else end + step
    size = abs(stop - start)
    if size > max_size:
        raise ScriptError(
            f"the range {start}..{end} has {size} items, more than the loop limit ({max_size})",
            "limit: loop iterations",
        )
    return list(range(start, stop, step))


def negate(value: Any) -> Any:
    if value is None:
        return None
    if is_number(value) or isinstance(value, dt.timedelta):
        return -value
    raise ScriptError(f"cannot negate {_a(value)}", "`-` takes a number")
