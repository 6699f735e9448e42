"""What the evaluator and the built-in functions share: the error they raise, what a
built-in may ask of the running template, and the arrays templates make. Light to import:
docsite's templating reads it for every build, the parser and evaluator only for pages that
use templating."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


class ScriptError(Exception):
    """A template did something it cannot: the evaluator adds the position (file, line,
    column) of the expression that raised it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class Runtime(Protocol):
    """The running template, as a built-in sees it."""

    @property
    def now(self) -> dt.datetime:
        """The build's date and time (timezone-aware): fixed by SOURCE_DATE_EPOCH when set,
        so a build is reproducible."""
        ...

    @property
    def template(self) -> Any:
        """The parsed Template whose code is running (an included one, inside an include)."""
        ...

    @property
    def at(self) -> int:
        """The offset, in that template's text, of the statement running."""
        ...

    def call(self, function: Any, args: list[Any]) -> Any:
        """Call a function value (a `func`, an inline function, a built-in reference such as
        `@string.upcase`) with these arguments: for array.each, array.filter and the like."""
        ...

    def include(self, template: Any, args: list[Any], named: dict[str, Any] | None = None) -> str:
        """Render another parsed Template (docsite.scriban.parse) in this rendering: the same
        globals and limits, `$` its arguments (`$0`, `$.name`); returns its text. For an
        `include` built-in; errors in it carry its own name and line."""
        ...


@dataclass(frozen=True)
class Builtin:
    """A built-in function: `function(runtime, *args)`; the evaluator checks the count of
    arguments against min_args/max_args (None: any number) before calling it."""

    name: str  # as templates write it: "string.upcase"
    function: Callable[..., Any]
    min_args: int
    max_args: int | None


class _Empty:
    """Scriban's `empty`: equal to null, an empty string, array or object."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "empty"


EMPTY = _Empty()


class ScriptArray(list):
    """An array the template made (`[...]`): it may also hold members (`a.x = 1`)."""

    def __init__(self, items: Any = (), members: dict[str, Any] | None = None):
        super().__init__(items)
        self.members = members if members is not None else {}
