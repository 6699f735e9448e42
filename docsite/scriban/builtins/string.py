"""Scriban's `string` functions. A null text reads as "" (`null | string.append "x"` is "x");
other values are turned into text first (`5 | string.size` is 1)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Any

from docsite.scriban.builtins.common import builtins
from docsite.scriban.runtime import ScriptError
from docsite.scriban.values import LONGEST_TEXT, parse_number, to_int, to_size, to_str

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
}
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


def escape(_rt: Any, text: Any) -> str:
    """The text with C-style escapes, as a Scriban string literal would spell it."""
    out = []
    for char in to_str(text):
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 32 or 0x7F <= ord(char) < 0xA0:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def literal(rt: Any, text: Any) -> str:
    """The text as a double-quoted literal; null is `null`."""
    return "null" if text is None else f'"{escape(rt, text)}"'


def append(_rt: Any, text: Any, other: Any) -> str:
    return to_str(text) + to_str(other)


def prepend(_rt: Any, text: Any, by: Any) -> str:
    return to_str(by) + to_str(text)


def capitalize(_rt: Any, text: Any) -> str:
    """Only the first character changes; the rest stays as written."""
    value = to_str(text)
    return value[:1].upper() + value[1:]


def capitalizewords(_rt: Any, text: Any) -> str:
    """The first letter after each run of whitespace is upper-cased."""
    out, after_space = [], True
    for char in to_str(text):
        if char.isspace():
            after_space = True
        elif after_space and char.isalpha():
            char, after_space = char.upper(), False
        out.append(char)
    return "".join(out)


def contains(_rt: Any, text: Any, value: Any) -> bool:
    return text is not None and value is not None and to_str(value) in to_str(text)


def starts_with(_rt: Any, text: Any, value: Any) -> bool:
    return text is not None and value is not None and to_str(text).startswith(to_str(value))


def ends_with(_rt: Any, text: Any, value: Any) -> bool:
    return text is not None and value is not None and to_str(text).endswith(to_str(value))


def empty(_rt: Any, text: Any) -> bool:
    return to_str(text) == ""


def whitespace(_rt: Any, text: Any) -> bool:
    return to_str(text).strip() == ""


def equals_ignore_case(_rt: Any, text: Any, value: Any) -> bool:
    if text is None or value is None:
        return text is None and value is None
    return to_str(text).casefold() == to_str(value).casefold()


def downcase(_rt: Any, text: Any) -> str:
    return to_str(text).lower()


def upcase(_rt: Any, text: Any) -> str:
    return to_str(text).upper()


def handleize(_rt: Any, text: Any) -> str:
    """Letters and digits lower-cased, every other run of characters one dash, no dash at
    the end: `100% M & Ms!!!` -> `100-m-ms`."""
    out: list[str] = []
    for char in to_str(text):
        if char.isalnum():
            out.append(char.lower())
        elif not out or out[-1] != "-":
            out.append("-")
    return "".join(out).rstrip("-")


def lstrip(_rt: Any, text: Any) -> str:
    return to_str(text).lstrip()


def rstrip(_rt: Any, text: Any) -> str:
    return to_str(text).rstrip()


def strip(_rt: Any, text: Any) -> str:
    return to_str(text).strip()


def strip_newlines(_rt: Any, text: Any) -> str:
    return to_str(text).replace("\r\n", "").replace("\n", "").replace("\r", "")


def pluralize(_rt: Any, number: Any, singular: Any, plural: Any) -> str:
    """The singular when the number is exactly 1 (null counts as 0)."""
    count = to_int(number, "string.pluralize number")
    return to_str(singular) if count == 1 else to_str(plural)


def remove(_rt: Any, text: Any, remove: Any) -> str:
    value = to_str(text)
    return value if not remove else value.replace(to_str(remove), "")


def remove_first(rt: Any, text: Any, remove: Any) -> str:
    return replace_first(rt, text, remove, "")


def remove_last(rt: Any, text: Any, remove: Any) -> str:
    return replace_first(rt, text, remove, "", True)


def replace(_rt: Any, text: Any, match: Any, replace: Any) -> str:
    value, needle, new = to_str(text), to_str(match), to_str(replace)
    if not match:
        return value
    # Measured before it is made: a long replacement of a frequent match is gigabytes.
    if len(value) + value.count(needle) * (len(new) - len(needle)) > LONGEST_TEXT:
        raise ScriptError(
            "string.replace would make too long a string",
            f"strings stay under {LONGEST_TEXT} characters",
        )
    return value.replace(needle, new)


def replace_first(_rt: Any, text: Any, match: Any, replace: Any, from_end: Any = False) -> str:
    """The first occurrence replaced, or the last one when from_end is true."""
    value, needle = to_str(text), to_str(match)
    if not needle:
        return value
    index = value.rfind(needle) if from_end else value.find(needle)
    if index < 0:
        return value
    return value[:index] + to_str(replace) + value[index + len(needle) :]


def size(_rt: Any, text: Any) -> int:
    return len(to_str(text))


def slice_(_rt: Any, text: Any, start: Any, length: Any = 0) -> str:
    """From start (negative counts from the end) for length characters; a length of 0 or
    less means to the end."""
    value = to_str(text)
    count = to_int(length, "string.slice length")
    return _slice(value, to_int(start, "string.slice start"), count if count > 0 else len(value))


def slice1(_rt: Any, text: Any, start: Any, length: Any = 1) -> str:
    """Like string.slice, but one character by default and nothing for a length below 1."""
    count = to_int(length, "string.slice1 length", 1)
    if count <= 0:
        return ""
    return _slice(to_str(text), to_int(start, "string.slice1 start"), count)


def _slice(value: str, start: int, length: int) -> str:
    """Scriban's clipping: a start before the beginning eats into the length."""
    if not value or start >= len(value):
        return ""
    if start < 0:
        start += len(value)
    if start < 0:
        if start + length <= 0:
            return ""
        length, start = length + start, 0
    return value[start : start + length]


def split(_rt: Any, text: Any, match: Any) -> list[str]:
    """The parts between separators, empty parts left out; no separator splits at spaces."""
    value = to_str(text)
    if match is None:
        return value.split()
    separator = to_str(match)
    parts = value.split(separator) if separator else [value]
    return [part for part in parts if part]


def _to_integer(text: Any, bounds: tuple[int, int]) -> int | None:
    number = parse_number(to_str(text))
    if isinstance(number, int) and bounds[0] <= number <= bounds[1]:
        return number
    return None


def to_int32(_rt: Any, text: Any) -> int | None:
    """A 32-bit integer, or null when the text is not one."""
    return _to_integer(text, INT32)


def to_long(_rt: Any, text: Any) -> int | None:
    """A 64-bit integer, or null when the text is not one."""
    return _to_integer(text, INT64)


def to_double(_rt: Any, text: Any) -> float | None:
    """A number with decimals (`1,234.5` reads as 1234.5), or null."""
    number = parse_number(to_str(text))
    return None if number is None else float(number)


def truncate(_rt: Any, text: Any, length: Any, ellipsis: Any = None) -> str:
    """At most `length` characters, the ellipsis included."""
    value, limit = to_str(text), to_int(length, "string.truncate length")
    if len(value) <= limit:
        return value
    tail = "..." if ellipsis is None else to_str(ellipsis)
    return value[: max(limit - len(tail), 0)] + tail


def truncatewords(_rt: Any, text: Any, count: Any, ellipsis: Any = None) -> str:
    """The first `count` words, then the ellipsis when words were cut."""
    value, limit = to_str(text), to_int(count, "string.truncatewords count")
    words = value.split()
    if len(words) <= limit:
        return value
    if limit <= 0:
        return ""
    return " ".join(words[:limit]) + ("..." if ellipsis is None else to_str(ellipsis))


def _hasher(name: str):
    def digest(_rt: Any, text: Any) -> str:
        return hashlib.new(name, to_str(text).encode()).hexdigest()

    digest.__doc__ = f"The {name} hash of the UTF-8 text, in lower-case hexadecimal."
    return digest


def _hmac(name: str):
    def digest(_rt: Any, text: Any, secret_key: Any) -> str:
        return hmac.new(to_str(secret_key).encode(), to_str(text).encode(), name).hexdigest()

    digest.__doc__ = f"The HMAC-{name} of the UTF-8 text with this secret key."
    return digest


def _pad(what: str, width: Any) -> int:
    count = to_size(width, f"string.{what} width")
    if count < 0:
        raise ScriptError(
            f"string.{what} width must not be negative, not {count}",
            "Pass the total width of the result, such as 10.",
        )
    return count


def pad_left(_rt: Any, text: Any, width: Any) -> str:
    return to_str(text).rjust(_pad("pad_left", width))


def pad_right(_rt: Any, text: Any, width: Any) -> str:
    return to_str(text).ljust(_pad("pad_right", width))


def base64_encode(_rt: Any, text: Any) -> str:
    return base64.b64encode(to_str(text).encode()).decode("ascii")


def base64_decode(_rt: Any, text: Any) -> str:
    """UTF-8 text from Base64; bytes that are not UTF-8 become U+FFFD, as .NET does."""
    try:
        raw = base64.b64decode(to_str(text).strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ScriptError(
            f"string.base64_decode: the text is not Base64 ({error})",
            "Base64 uses A-Z, a-z, 0-9, + and /, padded with = to a multiple of 4.",
        ) from None
    return raw.decode("utf-8", errors="replace")


_COMPARISONS = {
    "currentculture": False,
    "invariantculture": False,
    "ordinal": False,
    "currentcultureignorecase": True,
    "invariantcultureignorecase": True,
    "ordinalignorecase": True,
}


def index_of(
    _rt: Any,
    text: Any,
    search: Any,
    start_index: Any = None,
    count: Any = None,
    string_comparison: Any = None,
) -> int:
    """Where search first occurs from start within count characters, or -1."""
    value, needle = to_str(text), to_str(search)
    begin = to_int(start_index, "string.index_of startIndex")
    end = len(value) if count is None else begin + to_int(count, "string.index_of count")
    if not 0 <= begin <= len(value) or not begin <= end <= len(value):
        raise ScriptError(
            f"string.index_of: start {begin} and count reach outside the text "
            f"({len(value)} characters)",
            "Start at 0 up to the text's length, and count no further than its end.",
        )
    key = to_str(string_comparison or "Ordinal").lower()
    if key not in _COMPARISONS:
        raise ScriptError(
            f"string.index_of: unknown comparison {string_comparison!r}",
            "Use one of: " + ", ".join(sorted(_COMPARISONS)),
        )
    if _COMPARISONS[key]:
        value, needle = value.lower(), needle.lower()
    return value.find(needle, begin, end)


FUNCTIONS = builtins(
    "string",
    {
        "escape": (escape, 1, 1),
        "append": (append, 2, 2),
        "capitalize": (capitalize, 1, 1),
        "capitalizewords": (capitalizewords, 1, 1),
        "contains": (contains, 2, 2),
        "empty": (empty, 1, 1),
        "whitespace": (whitespace, 1, 1),
        "downcase": (downcase, 1, 1),
        "ends_with": (ends_with, 2, 2),
        "equals_ignore_case": (equals_ignore_case, 2, 2),
        "handleize": (handleize, 1, 1),
        "literal": (literal, 1, 1),
        "lstrip": (lstrip, 1, 1),
        "pluralize": (pluralize, 3, 3),
        "prepend": (prepend, 2, 2),
        "remove": (remove, 2, 2),
        "remove_first": (remove_first, 2, 2),
        "remove_last": (remove_last, 2, 2),
        "replace": (replace, 3, 3),
        "replace_first": (replace_first, 3, 4),
        "rstrip": (rstrip, 1, 1),
        "size": (size, 1, 1),
        "slice": (slice_, 2, 3),
        "slice1": (slice1, 2, 3),
        "split": (split, 2, 2),
        "starts_with": (starts_with, 2, 2),
        "strip": (strip, 1, 1),
        "strip_newlines": (strip_newlines, 1, 1),
        "to_int": (to_int32, 1, 1),
        "to_long": (to_long, 1, 1),
        "to_float": (to_double, 1, 1),
        "to_double": (to_double, 1, 1),
        "truncate": (truncate, 2, 3),
        "truncatewords": (truncatewords, 2, 3),
        "upcase": (upcase, 1, 1),
        "md5": (_hasher("md5"), 1, 1),
        "sha1": (_hasher("sha1"), 1, 1),
        "sha256": (_hasher("sha256"), 1, 1),
        "sha512": (_hasher("sha512"), 1, 1),
        "hmac_sha1": (_hmac("sha1"), 2, 2),
        "hmac_sha256": (_hmac("sha256"), 2, 2),
        "hmac_sha512": (_hmac("sha512"), 2, 2),
        "pad_left": (pad_left, 2, 2),
        "pad_right": (pad_right, 2, 2),
        "base64_encode": (base64_encode, 1, 1),
        "base64_decode": (base64_decode, 1, 1),
        "index_of": (index_of, 2, 5),
    },
)
