""".NET's numeric format strings (`N2`, `P1`, `X4`, `0.##`, `#,##0.00`...) for math.format and
object.format, in the en-US culture: the culture Retype's own examples show (`$1,234,567.00`,
`12.3%`). Digits are rounded half away from zero on the exact value of the double, as .NET
Core does."""

from __future__ import annotations

import decimal
import math
import re
from typing import Any

from docsite.scriban.runtime import ScriptError
from docsite.scriban.values import format_double, is_number

_STANDARD = re.compile(r"([CcDdEeFfGgNnPpRrXx])(\d{0,2})")
_HINT = "Use a .NET numeric format such as N2, F1, P0, X4, C or a pattern such as #,##0.00."
CULTURES = {"", "en-us", "en", "invariant"}  # the cultures whose formats are the ones above


def format_number(value: Any, pattern: str, culture: Any = None) -> str:
    """The number written with a .NET standard or custom numeric format string."""
    if not is_number(value):
        raise ScriptError(f"math.format formats numbers, not {value!r}", _HINT)
    if culture is not None and str(culture).lower() not in CULTURES:
        raise ScriptError(
            f"the culture {culture!r} is not available: numbers are formatted in en-US",
            "Leave the culture out.",
        )
    if isinstance(value, float) and not math.isfinite(value):
        return format_double(value)
    try:
        standard = _STANDARD.fullmatch(pattern)
        if standard:
            letter, digits = standard.groups()
            return _standard(value, letter, int(digits) if digits else None)
        if pattern == "":
            return _standard(value, "G", None)
        return _custom(value, pattern)
    except decimal.InvalidOperation:
        raise ScriptError("math.format: the number has too many digits to format", _HINT) from None


def _exact(value: int | float) -> decimal.Decimal:
    return decimal.Decimal(value)


def _rounded(value: decimal.Decimal, places: int) -> decimal.Decimal:
    quantum = decimal.Decimal(1).scaleb(-places)
    with decimal.localcontext() as context:
        context.prec = 400
        return value.quantize(quantum, rounding=decimal.ROUND_HALF_UP)


def _grouped(digits: str) -> str:
    """1234567 -> 1,234,567."""
    head = len(digits) % 3 or 3
    return ",".join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


def _fixed(value: int | float, places: int, grouping: bool) -> str:
    number = _rounded(abs(_exact(value)), places)
    whole, _, fraction = f"{number:f}".partition(".")
    text = (_grouped(whole) if grouping else whole) + (f".{fraction}" if fraction else "")
    negative = value < 0 and number != 0
    return ("-" if negative else "") + text


def _standard(value: int | float, letter: str, precision: int | None) -> str:
    """C, D, E, F, G, N, P, R and X with their .NET en-US defaults."""
    upper = letter.upper()
    if upper in "DX":
        if not isinstance(value, int):
            raise ScriptError(f"the format {letter} is for integers, not {value!r}", _HINT)
        if upper == "D":
            sign = "-" if value < 0 else ""
            return sign + str(abs(value)).zfill(precision or 0)
        bits = 32 if -(2**31) <= value < 2**31 else 64
        text = format(value % (1 << bits) if value < 0 else value, "X").zfill(precision or 0)
        return text if letter == "X" else text.lower()
    if upper == "C":
        text = _fixed(value, 2 if precision is None else precision, True)
        return "-$" + text[1:] if text.startswith("-") else "$" + text
    if upper in "FN":
        return _fixed(value, 2 if precision is None else precision, upper == "N")
    if upper == "P":
        return _fixed(_exact(value) * 100, 2 if precision is None else precision, True) + "%"
    if upper == "E":
        return _scientific(value, 6 if precision is None else precision, letter, 3)
    return _general(value, precision, "e" if letter == "g" else "E")


def _scientific(value: int | float, places: int, letter: str, width: int) -> str:
    """1.234560E+003: `places` digits after the point, an exponent of at least `width`."""
    if value == 0:
        mantissa, exponent = "0" + ("." + "0" * places if places else ""), 0
    else:
        exact = abs(_exact(value))
        exponent = exact.adjusted()
        scaled = _rounded(exact.scaleb(-exponent), places)
        if scaled >= 10:
            exponent, scaled = exponent + 1, _rounded(exact.scaleb(-exponent - 1), places)
        mantissa = f"{scaled:f}"
    sign = "-" if value < 0 else ""
    return f"{sign}{mantissa}{letter}{'+' if exponent >= 0 else '-'}{abs(exponent):0{width}d}"


def _general(value: int | float, precision: int | None, letter: str) -> str:
    """G: the shortest form by default; with a precision, that many significant digits,
    in exponent form when the exponent is below -4 or reaches the precision."""
    if precision is None or precision == 0:
        return str(value) if isinstance(value, int) else format_double(value)
    if value == 0:
        return "0"
    exact = _exact(value)
    rounded = _rounded(abs(exact).scaleb(-abs(exact).adjusted()), precision - 1)
    exponent = abs(exact).adjusted() + (1 if rounded >= 10 else 0)
    if exponent < -5 or exponent >= precision:
        text = _scientific(value, precision - 1, letter, 2)
        mantissa, _, tail = text.partition(letter)
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return mantissa + letter + tail
    text = _fixed(value, max(precision - 1 - exponent, 0), False)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _sections(pattern: str) -> list[str]:
    """The `;`-separated sections of a custom format, quotes and escapes respected."""
    sections, current, quote, escaped = [], [], "", False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == ";":
            sections.append("".join(current))
            current = []
            continue
        current.append(char)
    sections.append("".join(current))
    return sections


def _tokens(section: str) -> list[tuple[str, str]]:
    """A custom section as (kind, text): digit placeholders, point, comma, percent, literal."""
    tokens: list[tuple[str, str]] = []
    index = 0
    while index < len(section):
        char = section[index]
        if char == "\\" and index + 1 < len(section):
            tokens.append(("literal", section[index + 1]))
            index += 2
            continue
        if char in "'\"":
            end = section.find(char, index + 1)
            end = len(section) if end < 0 else end
            tokens.append(("literal", section[index + 1 : end]))
            index = end + 1
            continue
        kind = {"0": "digit", "#": "digit", ".": "point", ",": "comma", "%": "percent"}
        tokens.append((kind.get(char, "literal"), char))
        index += 1
    return tokens


def _custom(value: int | float, pattern: str) -> str:
    """A custom numeric format: `0` a digit always shown, `#` a digit when there is one, `.`
    the decimal point, `,` grouping (or /1000 right before the point), `%` times 100,
    quoted text and `\\x` literal; `;` separates positive, negative and zero sections."""
    sections = _sections(pattern)[:3]
    exact = _exact(value)
    section, signed = sections[0], True
    if value < 0 and len(sections) > 1 and sections[1]:
        section, signed, exact = sections[1], False, abs(exact)
    if value == 0 and len(sections) > 2 and sections[2]:
        section = sections[2]
    tokens = _tokens(section)
    point = next((i for i, (kind, _) in enumerate(tokens) if kind == "point"), len(tokens))
    whole_tokens, fraction_tokens = tokens[:point], tokens[point + 1 :]
    exact = _scaled(exact, whole_tokens, tokens)
    fraction_slots = [text for kind, text in fraction_tokens if kind == "digit"]
    number = _rounded(abs(exact), len(fraction_slots))
    whole, _, fraction = f"{number:f}".partition(".")
    required_fraction = "".join(fraction_slots).rfind("0") + 1
    fraction = fraction.rstrip("0").ljust(required_fraction, "0")
    slots = [text for kind, text in whole_tokens if kind == "digit"]
    required_whole = len(slots) - "".join(slots).find("0") if "0" in slots else 0
    whole = whole.lstrip("0").rjust(required_whole, "0")
    grouping = _grouping(whole_tokens)
    text = _render(whole_tokens, _grouped(whole) if grouping and whole else whole)
    if fraction:
        text += "." + _render_fraction(fraction_tokens, fraction)
    else:
        text += "".join(t for kind, t in fraction_tokens if kind in ("literal", "percent"))
    negative = signed and exact < 0 and (number != 0)
    return ("-" if negative else "") + text


def _scaled(exact: decimal.Decimal, whole_tokens: list, tokens: list) -> decimal.Decimal:
    """`%` multiplies by 100; commas right before the point divide by 1000 each."""
    exact *= 100 ** sum(1 for kind, _ in tokens if kind == "percent")
    trailing = 0
    for kind, _ in reversed(whole_tokens):
        if kind != "comma":
            break
        trailing += 1
    return exact / decimal.Decimal(1000) ** trailing


def _grouping(whole_tokens: list[tuple[str, str]]) -> bool:
    """A comma between two digit placeholders turns grouping on."""
    kinds = [kind for kind, _ in whole_tokens if kind in ("digit", "comma")]
    return any(
        kind == "comma" and "digit" in kinds[:i] and "digit" in kinds[i + 1 :]
        for i, kind in enumerate(kinds)
    )


def _render(whole_tokens: list[tuple[str, str]], digits: str) -> str:
    """The integer digits fill the placeholders from the right; the leftmost placeholder
    takes all the digits left over; literals stay where they are."""
    slots = [i for i, (kind, _) in enumerate(whole_tokens) if kind == "digit"]
    if not slots:
        return "".join(t for kind, t in whole_tokens if kind in ("literal", "percent")) + digits
    filled: dict[int, str] = {}
    remaining = digits
    for slot in reversed(slots[1:]):
        if "," in remaining:  # grouped: the whole number goes to the first placeholder
            filled[slot] = ""
            continue
        filled[slot], remaining = remaining[-1:], remaining[:-1]
    filled[slots[0]] = remaining
    out = []
    for index, (kind, text) in enumerate(whole_tokens):
        if kind == "digit":
            out.append(filled[index])
        elif kind in ("literal", "percent"):
            out.append(text)
    return "".join(out)


def _render_fraction(fraction_tokens: list[tuple[str, str]], digits: str) -> str:
    out, remaining = [], digits
    for kind, text in fraction_tokens:
        if kind == "digit":
            out.append(remaining[:1])
            remaining = remaining[1:]
        elif kind in ("literal", "percent"):
            out.append(text)
    return "".join(out)
