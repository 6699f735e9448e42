"""Placeholder until the include-selectors branch lands: `name#selector` split only."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Selection:
    text: str
    lines: tuple[int, ...]
    warnings: tuple[str, ...] = ()


class SelectorError(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def split_selector(name: str) -> tuple[str, str | None]:
    base, hash_, selector = name.partition("#")
    return (base.strip(), selector.strip() if hash_ else None)


def select(text: str, selector: str) -> Selection:
    raise SelectorError(f"selectors are not read yet: '{selector}'")
