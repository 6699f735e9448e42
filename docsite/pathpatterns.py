"""Retype's path patterns (`backlinks.exclude` and `include`, later the project's own):
.gitignore rules over paths in the content folder, read by pathspec."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec


def pattern_problem(pattern: str) -> str:
    """Why a pattern cannot be used ('' when it can)."""
    try:
        _spec((pattern,))
    except (ValueError, TypeError, re.error) as exc:  # re.error: a range such as [z-a]
        return str(exc) or "it is not a .gitignore pattern"
    return ""


def matches(patterns: tuple[str, ...], rel: str) -> bool:
    """Whether any of the patterns matches the path."""
    return bool(patterns) and _spec(patterns).match_file(rel)


@dataclass(frozen=True)
class PathFilter:
    """Paths are admitted unless an `exclude` pattern matches them and no `include` one does:
    include rules win, as Retype documents."""

    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()

    def admits(self, rel: str) -> bool:
        return not self.exclude or not matches(self.exclude, rel) or matches(self.include, rel)


@cache
def _spec(patterns: tuple[str, ...]) -> pathspec.PathSpec:
    import pathspec  # 25 ms: only builds with patterns pay for it

    return pathspec.GitIgnoreSpec.from_lines(patterns)
