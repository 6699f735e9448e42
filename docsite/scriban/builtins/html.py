"""Scriban's `html` functions: escaping as .NET's WebUtility.HtmlEncode, URL encoding as
Uri.EscapeDataString / EscapeUriString, and tag stripping with Scriban's own expression."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from docsite.scriban.builtins.common import builtins
from docsite.scriban.values import to_str

# Scripts, comments and styles go whole, up to their end; other tags end at the first `>`
# outside a quoted attribute value (Scriban's expression, read by hand so that text full of
# unclosed `<script` or `<` stays linear instead of quadratic).
_BLOCKS = (("<script", "</script>"), ("<!--", "-->"), ("<style", "</style>"))
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;"}
_NEWLINE = re.compile(r"\r\n|\r|\n")
_URI_SAFE = ";/?:@&=+$,-_.!~*'()#[]"  # reserved and unreserved: a complete URL keeps them


def strip(_rt: Any, text: Any) -> str:
    """The text without its tags (as Scriban's simple expression: not a sanitizer)."""
    value = to_str(text)
    lower = value.lower()
    out: list[str] = []
    unclosed: set[str] = set()  # closing tags known to be absent from here on
    dead = bytearray(len(value))  # places from which no tag can end
    position = 0
    while (start := value.find("<", position)) >= 0:
        out.append(value[position:start])
        end = _block_end(lower, start, unclosed)
        if end < 0:
            end = _tag_end(value, start, dead)
        if end < 0:
            out.append("<")
            position = start + 1
        else:
            position = end
    out.append(value[position:])
    return "".join(out)


def _block_end(lower: str, start: int, unclosed: set[str]) -> int:
    """Where a script, comment or style starting here ends, or -1."""
    for opening, closing in _BLOCKS:
        if lower.startswith(opening, start) and closing not in unclosed:
            found = lower.find(closing, start + len(opening))
            if found >= 0:
                return found + len(closing)
            unclosed.add(closing)
    return -1


_TOP, _VALUE = 1, 2  # where a scan is: between attributes, or in an unquoted value


def _tag_end(value: str, start: int, dead: bytearray) -> int:
    """Where a tag starting here ends (after its `>`), or -1 when it does not. A scan that
    fails marks each (place, state) it passed: any later scan reaching one fails too, so
    the whole text is read about twice at most."""
    index, state, passed = start + 1, _TOP, []
    while index < len(value) and not dead[index] & state:
        passed.append((index, state))
        char = value[index]
        if state == _VALUE:
            if char.isspace() or char == ">":
                state = _TOP
                continue
            index += 1
        elif char == ">":
            return index + 1
        elif char != "=":
            index += 1
        elif value[index + 1 : index + 2] in ("'", '"'):
            close = value.find(value[index + 1], index + 2)
            if close < 0:
                break
            index = close + 1
        elif index + 1 == len(value):
            break
        else:
            index, state = index + 2, _VALUE
    for place, where in passed:
        dead[place] |= where
    return -1


def escape(_rt: Any, text: Any) -> str:
    """`<`, `>`, `&`, `"` and `'` as entities, and characters U+00A0 to U+00FF and beyond
    the basic plane as numeric references, as .NET's WebUtility.HtmlEncode writes them."""
    out = []
    for char in to_str(text):
        code = ord(char)
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif 0xA0 <= code <= 0xFF or code > 0xFFFF:
            out.append(f"&#{code};")
        else:
            out.append(char)
    return "".join(out)


def newline_to_br(_rt: Any, text: Any) -> str:
    """`<br />` before each line break, the line break kept."""
    return _NEWLINE.sub(lambda match: "<br />" + match.group(), to_str(text))


def url_encode(_rt: Any, text: Any) -> str:
    """Everything but letters, digits and `-_.~` percent-encoded (UTF-8): a URL component."""
    return urllib.parse.quote(to_str(text), safe="-_.~")


def url_escape(_rt: Any, text: Any) -> str:
    """Only what may not appear in a complete URL percent-encoded: `/?#&=` stay."""
    return urllib.parse.quote(to_str(text), safe=_URI_SAFE)


FUNCTIONS = builtins(
    "html",
    {
        "strip": (strip, 1, 1),
        "escape": (escape, 1, 1),
        "newline_to_br": (newline_to_br, 1, 1),
        "url_encode": (url_encode, 1, 1),
        "url_escape": (url_escape, 1, 1),
    },
)
