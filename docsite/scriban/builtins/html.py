"""Scriban's `html` functions: escaping as .NET's WebUtility.HtmlEncode, URL encoding as
Uri.EscapeDataString / EscapeUriString, and tag stripping with Scriban's own expression."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from docsite.scriban.builtins.common import builtins
from docsite.scriban.values import to_str

# Scripts, comments and styles go whole; a tag ends at the first `>` outside a quoted
# attribute value. Each alternative starts with a different character, so the expression
# never backtracks more than linearly.
_TAGS = re.compile(
    r"<script.*?</script>|<!--.*?-->|<style.*?</style>"
    r"|<(?:[^>=]|='[^']*'|=\"[^\"]*\"|=[^'\"][^\s>]*)*>",
    re.IGNORECASE | re.DOTALL,
)
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;"}
_NEWLINE = re.compile(r"\r\n|\r|\n")
_URI_SAFE = ";/?:@&=+$,-_.!~*'()#[]"  # reserved and unreserved: a complete URL keeps them


def strip(_rt: Any, text: Any) -> str:
    """The text without its tags (a simple expression: not a sanitizer)."""
    return _TAGS.sub("", to_str(text))


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
