"""The engine's front door: `parse(text)` once, then `Template.render(globals)` as often as
needed (docsite caches the parsed template)."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from typing import Any

from docsite.scriban import syntax as s
from docsite.scriban.errors import (
    LineMap,
    Located,
    TemplateRuntimeError,
    TemplateSyntaxError,
)
from docsite.scriban.evaluator import Limits, Piece, Renderer
from docsite.scriban.lexer import lex
from docsite.scriban.parser import parse_tokens
from docsite.scriban.runtime import Builtin


@dataclass(frozen=True)
class UnknownName:
    """A name the template read that nothing defines (Scriban renders it as null)."""

    name: str
    line: int
    col: int
    source: str = ""  # the template's name: an included template's, when read there
    choices: tuple[str, ...] = ()  # the names it could have meant (an object's members)


@dataclass(frozen=True)
class Rendering:
    """A rendered template: its text and the unknown names it read, in order."""

    text: str
    unknown: tuple[UnknownName, ...]
    pieces: tuple[Piece, ...] = ()  # what wrote each piece of `text`, when traced
    now_read: bool = False  # it read the time (`date.now`): it changes with it
    globals_read: frozenset[str] = frozenset()  # the globals it read, by name


class Template:
    """A parsed template: render it with globals, as often as needed."""

    def __init__(
        self,
        text: str,
        body: list[s.Node],
        first_line: int = 1,
        name: str = "",
        line_numbers: tuple[int, ...] | None = None,
    ):
        self.text = text
        self.body = body
        self.first_line = first_line
        self.name = name
        self.line_numbers = line_numbers
        self.plain = all(isinstance(node, s.Text) for node in body)
        self._lines: LineMap | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """An offset of the text as (line, column)."""
        if self._lines is None:
            self._lines = LineMap(self.text, self.first_line, self.line_numbers)
        return self._lines.position(offset)

    def runtime_error(self, error: Located) -> TemplateRuntimeError:
        line, col = self.position(error.offset)
        return TemplateRuntimeError(line, col, error.message, error.hint, self.name)

    def render(
        self,
        globals_: dict[str, Any] | None = None,
        *,
        builtins: dict[str, dict[str, Builtin]] | None = None,
        limits: Limits | None = None,
        now: dt.datetime | None = None,
    ) -> str:
        """The template's text with its code evaluated; raises TemplateRuntimeError."""
        return self.render_report(globals_, builtins=builtins, limits=limits, now=now).text

    def render_report(
        self,
        globals_: dict[str, Any] | None = None,
        *,
        builtins: dict[str, dict[str, Builtin]] | None = None,
        limits: Limits | None = None,
        now: dt.datetime | None = None,
        trace: bool = False,
    ) -> Rendering:
        """The text, and the unknown names read (for warnings); raises TemplateRuntimeError.
        `builtins`: the built-in objects (`string`, `array`...); `now`: the build's time;
        `trace`: keep where each piece of the text came from (Rendering.pieces)."""
        if self.plain:
            text = "".join(node.text for node in self.body)  # type: ignore[attr-defined]
            return Rendering(text, (), (Piece(text, self, 0, True),) if trace and text else ())
        renderer = Renderer(
            globals_ or {},
            builtins if builtins is not None else _default_builtins(),
            limits or Limits(),
            now or dt.datetime.now(dt.UTC),
            self,
            trace,
        )
        # Each nested template call takes a few Python frames: room for the depth limit.
        sys.setrecursionlimit(
            max(sys.getrecursionlimit(), 20 * renderer.limits.recursion_depth + 1000)
        )
        try:
            text = renderer.render(self.body)
        except Located as error:
            raise self.runtime_error(error) from None
        except RecursionError:
            raise TemplateRuntimeError(
                self.first_line, 1, "the template nests too deeply", "limit: recursion depth"
            ) from None
        unknown = []
        for found in renderer.unknown:
            line, col = found.template.position(found.at)
            name = found.template.name
            unknown.append(UnknownName(found.name, line, col, name, found.choices))
        pieces = tuple(renderer.pieces or ())
        return Rendering(
            text, tuple(unknown), pieces, renderer.now_read, frozenset(renderer.globals_read)
        )


def parse(
    text: str, first_line: int = 1, name: str = "", line_numbers: tuple[int, ...] | None = None
) -> Template:
    """A template parsed once; raises TemplateSyntaxError (line, col, message, hint).
    `first_line`: the file line of the text's first line, for positions (`line_numbers`:
    each line's, for lines picked out of a file); `name`: the template's name (its file)
    that errors carry as `source`."""
    if "{{" not in text and "{%" not in text:
        body: list[s.Node] = [s.Text(0, text)] if text else []
        return Template(text, body, first_line, name, line_numbers)
    try:
        body = parse_tokens(lex(text))
    except Located as error:
        line, col = LineMap(text, first_line, line_numbers).position(error.offset)
        raise TemplateSyntaxError(line, col, error.message, error.hint, name) from None
    except RecursionError:
        raise TemplateSyntaxError(
            first_line, 1, "the template nests too deeply to parse", "fewer nested brackets", name
        ) from None
    return Template(text, body, first_line, name, line_numbers)


def _default_builtins() -> dict[str, dict[str, Builtin]]:
    """The built-in objects of docsite/scriban/builtins, when there are some."""
    from docsite.scriban import builtins

    return dict(getattr(builtins, "BUILTIN_OBJECTS", {}))
