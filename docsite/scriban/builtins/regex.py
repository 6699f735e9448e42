""".NET regular expressions (Scriban's `regex` functions) on Python's `re`.

The common .NET spellings are translated (`(?<name>...)`, `\\k<name>`, `\\z`, `$1` and
`${name}` in replacements). Python's `re` has no timeout, unlike .NET's: a pattern with
nested repetition such as `(a+)+$` can take exponential time on a crafted text. Templates
are written by the site's own authors, not by visitors, so the risk is a slow build, not an
attack; it is bounded by capping the text and the pattern length."""

from __future__ import annotations

import re
from typing import Any

from docsite.scriban.builtins.common import builtins
from docsite.scriban.runtime import ScriptError
from docsite.scriban.values import LONGEST_TEXT, to_str

MAX_TEXT = 100_000  # characters a regex function reads
MAX_PATTERN = 1_000  # characters of a pattern
_OPTIONS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
_NET_ESCAPES = {" ": "\\ ", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f"}
_UNESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "e": "\x1b"}
_DOTNET_SYNTAX = re.compile(r"\\k<(\w+)>|\\.|\(\?<(?![=!])(\w+)>|\(\?'(\w+)'", re.DOTALL)
_REPLACEMENT = re.compile(r"\$(?:(\$)|\{(\w+)\}|(\d+)|(&))")


def _python_pattern(pattern: str) -> str:
    """The .NET spellings Python writes differently, turned into Python's."""

    def translate(match: re.Match[str]) -> str:
        token = match.group()
        if match.group(1):
            return f"(?P={match.group(1)})"
        if match.group(2) or match.group(3):
            return f"(?P<{match.group(2) or match.group(3)}>"
        return {"\\z": "\\Z", "\\Z": "(?=\\n?\\Z)"}.get(token, token)

    return _DOTNET_SYNTAX.sub(translate, pattern)


def _compile(what: str, pattern: Any, options: Any) -> re.Pattern[str]:
    source = to_str(pattern)
    if len(source) > MAX_PATTERN:
        raise ScriptError(
            f"{what}: the pattern is longer than {MAX_PATTERN} characters",
            "Split the work into several shorter patterns.",
        )
    flags = 0
    for letter in to_str(options):
        if letter not in _OPTIONS:
            raise ScriptError(
                f"{what}: unknown option {letter!r}",
                "Options are i (ignore case), m (multiline), s (single line), x (extended).",
            )
        flags |= _OPTIONS[letter]
    try:
        return re.compile(_python_pattern(source), flags)
    except re.error as error:
        raise ScriptError(
            f"{what}: the pattern {source!r} is not a regular expression ({error})",
            "In a double-quoted string write each backslash twice, or use `backquotes`.",
        ) from None


def _text(what: str, text: Any) -> str:
    value = to_str(text)
    if len(value) > MAX_TEXT:
        raise ScriptError(
            f"{what}: the text is longer than {MAX_TEXT} characters",
            "Regular expressions here read at most that much, so a build cannot hang on one.",
        )
    return value


def _groups(match: re.Match[str]) -> list[str]:
    """The whole match, then each group ("" for a group that took no part)."""
    return [match.group()] + [group or "" for group in match.groups()]


def match(_rt: Any, text: Any, pattern: Any, options: Any = None) -> list[str]:
    """The first match and its groups, or [] when nothing matches."""
    found = _compile("regex.match", pattern, options).search(_text("regex.match", text))
    return _groups(found) if found else []


def matches(_rt: Any, text: Any, pattern: Any, options: Any = None) -> list[list[str]]:
    compiled = _compile("regex.matches", pattern, options)
    return [_groups(found) for found in compiled.finditer(_text("regex.matches", text))]


def _replacement(template: str):
    """A .NET replacement (`$1`, `${name}`, `$0`, `$&`, `$$`) as a function of the match."""

    def expand(found: re.Match[str]) -> str:
        def part(token: re.Match[str]) -> str:
            dollar, name, number, whole = token.groups()
            if dollar:
                return "$"
            if whole:
                return found.group()
            key: int | str = int(number) if number else name
            try:
                return found.group(key) or ""
            except IndexError:
                return token.group()  # .NET leaves an unknown group as written

        return _REPLACEMENT.sub(part, template)

    return expand


def replace(_rt: Any, text: Any, pattern: Any, replace: Any, options: Any = None) -> str:
    compiled = _compile("regex.replace", pattern, options)
    expand = _replacement(to_str(replace))
    made = 0

    def bounded(found: re.Match[str]) -> str:
        """The replacement, counted: a long one of a frequent match is gigabytes."""
        nonlocal made
        piece = expand(found)
        made += len(piece)
        if made > LONGEST_TEXT:
            raise ScriptError(
                "regex.replace would make too long a string",
                f"strings stay under {LONGEST_TEXT} characters",
            )
        return piece

    return compiled.sub(bounded, _text("regex.replace", text))


def split(_rt: Any, text: Any, pattern: Any, options: Any = None) -> list[str]:
    compiled = _compile("regex.split", pattern, options)
    return [part or "" for part in compiled.split(_text("regex.split", text))]


def escape(_rt: Any, pattern: Any) -> str:
    """`\\ * + ? | { [ ( ) ^ $ . #` and white space escaped, as .NET's Regex.Escape."""
    out = []
    for char in to_str(pattern):
        if char in _NET_ESCAPES:
            out.append(_NET_ESCAPES[char])
        elif char in "\\*+?|{[()^$.#":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def unescape(_rt: Any, pattern: Any) -> str:
    """Escapes turned back into characters, as .NET's Regex.Unescape."""
    text, out, index = to_str(pattern), [], 0
    while index < len(text):
        char = text[index]
        if char != "\\" or index + 1 == len(text):
            out.append(char)
            index += 1
            continue
        code = text[index + 1]
        hex_digits = {"x": 2, "u": 4}.get(code, 0)
        digits = text[index + 2 : index + 2 + hex_digits]
        if (
            hex_digits
            and len(digits) == hex_digits
            and all(c in "0123456789abcdefABCDEF" for c in digits)
        ):
            out.append(chr(int(digits, 16)))
            index += 2 + hex_digits
            continue
        out.append(_UNESCAPES.get(code, code))
        index += 2
    return "".join(out)


FUNCTIONS = builtins(
    "regex",
    {
        "escape": (escape, 1, 1),
        "match": (match, 2, 3),
        "matches": (matches, 2, 3),
        "replace": (replace, 3, 4),
        "split": (split, 2, 3),
        "unescape": (unescape, 1, 1),
    },
)
