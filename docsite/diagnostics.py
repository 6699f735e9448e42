"""Every message docsite prints about the user's input: one type, with a place in the source."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from docsite.diagnostic_text import DiagnosticFields, diagnostic_text
from docsite.suggest import CloseWords

# Styles a part of a message by its role ("place", "error", "warning", "hint"): the command
# line passes one that colours; everything else prints plain text.
Paint = Callable[[str, str], str]


def plain(role: str, text: str) -> str:
    return text


class Severity(StrEnum):
    """An error stops the build (the old site stays); a warning is said and the build goes on."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem in a file, at a 1-based line and column (0 when unknown)."""

    file: str
    line: int
    col: int
    severity: Severity
    message: str
    hint: str = ""

    def format(self, paint: Paint = plain) -> str:
        return diagnostic_text(self.fields(), paint)

    def fields(self) -> DiagnosticFields:
        """Plain values, in the fields' order: what the no-change stamp keeps of it."""
        return (self.file, self.line, self.col, self.severity.value, self.message, self.hint)

    def as_error(self) -> Diagnostic:
        return Diagnostic(self.file, self.line, self.col, Severity.ERROR, self.message, self.hint)


class UsageError(Exception):
    """The command or the project's setup is wrong (exit code 2), not the content (exit 1)."""


class DiagnosticError(Exception):
    """Raised when input is so wrong that the current stage cannot go on."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


@dataclass
class Report:
    """Diagnostics collected over a build, so all of them are shown together."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    def error(self, file: str, line: int, col: int, message: str, hint: str = "") -> None:
        self.add(Diagnostic(file, line, col, Severity.ERROR, message, hint))

    def warning(self, file: str, line: int, col: int, message: str, hint: str = "") -> None:
        self.add(Diagnostic(file, line, col, Severity.WARNING, message, hint))

    # A problem in a file many pages include is found once per page: it counts once.
    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        """Stable, reproducible order: by file, then position."""
        return sorted(set(self.items))

    def make_strict(self) -> None:
        """`--strict`: every warning becomes an error, so the build fails on it."""
        self.items = [d.as_error() for d in self.items]


def did_you_mean(word: str, choices: Iterable[str], limit: int = 3) -> str:
    """A hint naming the closest known words, or '' when nothing is close."""
    return naming_hint(CloseWords(choices).closest(word, limit))


def naming_hint(close: list[str]) -> str:
    """'did you mean 'a' or 'b'?' for the close names found, or '' when there are none."""
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?" if close else ""


def shown_path(path: Path | str, root: Path) -> str:
    """A path as messages show it: from the project folder when inside it."""
    resolved = Path(os.path.abspath(path))
    try:
        return resolved.relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return resolved.as_posix()
