"""The one error a template's caller sees: a place (line, column) in the template's text, a
message and a hint, so docsite can print "file:line:col: message" and never a traceback."""

from __future__ import annotations

import bisect
import re


class TemplateError(Exception):
    """A template that cannot be parsed or rendered, at a line and column (both from 1)."""

    kind = "error"

    def __init__(self, line: int, col: int, message: str, hint: str = "", source: str = ""):
        super().__init__(f"{source + ':' if source else ''}{line}:{col}: {message}")
        self.line = line
        self.col = col
        self.message = message
        self.hint = hint
        self.source = source  # the template's name given to parse(), "" if none


class TemplateSyntaxError(TemplateError):
    """The text is not Scriban: found while parsing, before anything is rendered."""

    kind = "syntax error"


class TemplateRuntimeError(TemplateError):
    """The template parsed, but rendering it failed (an error, or a limit reached)."""

    kind = "runtime error"


class Located(Exception):
    """An error at an offset of the text, on its way up to where offsets become lines."""

    def __init__(self, offset: int, message: str, hint: str = ""):
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.hint = hint


class LineMap:
    """Offsets of a text as (line, column), the text starting at line `first_line`."""

    def __init__(self, text: str, first_line: int = 1, numbers: tuple[int, ...] | None = None):
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.first_line = first_line
        self.numbers = numbers  # each line's own number, when they do not follow on

    def position(self, offset: int) -> tuple[int, int]:
        """The line and column (both from 1) of an offset."""
        index = bisect.bisect_right(self.starts, offset) - 1
        column = offset - self.starts[index] + 1
        if self.numbers is not None and index < len(self.numbers):
            return self.numbers[index], column
        return self.first_line + index, column
