"""Scriban's `math` functions. Arithmetic with a null operand gives null, as in Scriban
(`null | math.plus 1` writes nothing); integers stay integers unless a double is involved."""

from __future__ import annotations

import math
import random as _random
from typing import Any

from docsite.scriban.builtins.common import builtins
from docsite.scriban.builtins.numberformat import format_number
from docsite.scriban.runtime import ScriptError
from docsite.scriban.values import is_number, to_int, to_number, to_str


def _operands(what: str, value: Any, other: Any) -> tuple[Any, Any] | None:
    if value is None or other is None:
        return None
    return to_number(value, what), to_number(other, what)


def _finite(result: int | float, what: str) -> int | float:
    if isinstance(result, float) and not math.isfinite(result):
        raise ScriptError(f"{what}: the result is too large to be a number", "Use smaller numbers.")
    return result


def _whole_or_infinite(number: int | float) -> bool:
    """Nothing to round: an integer, infinity or NaN."""
    return isinstance(number, int) or not math.isfinite(number)


def abs_(_rt: Any, value: Any) -> Any:
    return None if value is None else abs(to_number(value, "math.abs"))


def ceil(_rt: Any, value: Any) -> Any:
    if value is None:
        return None
    number = to_number(value, "math.ceil")
    return number if _whole_or_infinite(number) else float(math.ceil(number))


def floor(_rt: Any, value: Any) -> Any:
    if value is None:
        return None
    number = to_number(value, "math.floor")
    return number if _whole_or_infinite(number) else float(math.floor(number))


def round_(_rt: Any, value: Any, precision: Any = 0) -> Any:
    """Half to even, as .NET's Math.Round: 2.5 -> 2, 3.5 -> 4."""
    if value is None:
        return None
    number = to_number(value, "math.round")
    digits = to_int(precision, "math.round precision")
    if not 0 <= digits <= 15:
        raise ScriptError(
            f"math.round precision must be between 0 and 15, not {digits}",
            "Pass the number of decimals to keep: math.round 2.",
        )
    return number if isinstance(number, int) else float(round(number, digits))


def plus(_rt: Any, value: Any, other: Any) -> Any:
    pair = _operands("math.plus", value, other)
    return None if pair is None else _finite(pair[0] + pair[1], "math.plus")


def minus(_rt: Any, value: Any, other: Any) -> Any:
    pair = _operands("math.minus", value, other)
    return None if pair is None else _finite(pair[0] - pair[1], "math.minus")


def times(_rt: Any, value: Any, other: Any) -> Any:
    pair = _operands("math.times", value, other)
    return None if pair is None else _finite(pair[0] * pair[1], "math.times")


def divided_by(_rt: Any, value: Any, divisor: Any) -> Any:
    """An integer divisor floors the result to an integer (`10 | math.divided_by 3` is 3);
    a double divisor keeps the decimals."""
    pair = _operands("math.divided_by", value, divisor)
    if pair is None:
        return None
    dividend, by = pair
    if by == 0:
        raise ScriptError("math.divided_by: division by zero", "Divide by a number other than 0.")
    if isinstance(by, int) and not _whole_or_infinite(dividend):
        return math.floor(dividend / by)
    if isinstance(by, int) and isinstance(dividend, int):
        return dividend // by
    return _finite(dividend / by, "math.divided_by")


def modulo(_rt: Any, value: Any, other: Any) -> Any:
    """The remainder with the sign of the value, as .NET's `%`: -7 % 3 is -1."""
    pair = _operands("math.modulo", value, other)
    if pair is None:
        return None
    left, right = pair
    if right == 0:
        raise ScriptError("math.modulo: division by zero", "Use a number other than 0.")
    if isinstance(left, int) and isinstance(right, int):
        return int(math.copysign(abs(left) % abs(right), left))
    if not math.isfinite(left):
        return math.nan  # as .NET: infinity % x is NaN
    return math.fmod(left, right)


def format_(_rt: Any, value: Any, format: Any, culture: Any = None) -> str:
    """The number written with a .NET numeric format string (`N2`, `X4`, `0.##`)."""
    if value is None:
        return ""
    return format_number(to_number(value, "math.format"), to_str(format), culture)


def is_number_(_rt: Any, value: Any) -> bool:
    return is_number(value)


def uuid(_rt: Any) -> str:
    """A new random UUID: not reproducible between builds, by nature. uuid is imported here,
    by the few templates that ask for one."""
    import uuid as _uuid

    return str(_uuid.uuid4())


def random(_rt: Any, min_value: Any, max_value: Any) -> int:
    """A random integer from low up to, not including, high (not reproducible by nature)."""
    start = to_int(min_value, "math.random minValue")
    stop = to_int(max_value, "math.random maxValue")
    if stop < start:
        raise ScriptError(
            f"math.random: maxValue {stop} is below minValue {start}",
            "Pass the smaller bound first: math.random 1 10.",
        )
    return start if stop == start else _random.randrange(start, stop)


FUNCTIONS = builtins(
    "math",
    {
        "abs": (abs_, 1, 1),
        "ceil": (ceil, 1, 1),
        "divided_by": (divided_by, 2, 2),
        "floor": (floor, 1, 1),
        "format": (format_, 2, 3),
        "is_number": (is_number_, 1, 1),
        "minus": (minus, 2, 2),
        "modulo": (modulo, 2, 2),
        "plus": (plus, 2, 2),
        "round": (round_, 1, 2),
        "times": (times, 2, 2),
        "uuid": (uuid, 0, 0),
        "random": (random, 2, 2),
    },
)
