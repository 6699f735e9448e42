"""What a build reports back to the command line and to watch mode."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docsite.diagnostics import Report

if TYPE_CHECKING:  # the renderer loads only when a build renders
    from docsite.build.live import LiveState


class BuildInterrupted(Exception):
    """Raised by a build's progress listener to stop it (watch mode: a newer change came).

    The build stops at its next progress report, before the swap: the served site and the
    cache stay those of the last whole build, which the next build starts from."""


@dataclass
class BuildResult:
    """What a build did, for the command line, watch mode and the tests."""

    report: Report
    pages: int = 0
    rendered: int = 0  # pages rendered this time (the others were reused)
    seconds: float = 0.0
    output: Path | None = None
    written: bool = False
    had_site: bool = False  # the output folder held a built site before this build
    unchanged: bool = False  # nothing changed since the last build: nothing was written
    notes: list[str] = field(default_factory=list)  # for -v: how the cache was used
    # (source shown, output path, why) per page rendered this time, for `-v`.
    rendered_pages: list[tuple[str, str, str]] = field(default_factory=list)
    steps: list[tuple[str, float]] = field(default_factory=list)  # each step's seconds, for -v
    live: LiveState | None = None  # with keep_live: the loaded site, for watch mode
    # What the build read from its cache and loaded of the site, held here: a process that
    # ends after the build leaves it to the end (docsite.cli) instead of freeing it object
    # by object.
    loaded: list[object] = field(default_factory=list)

    @contextlib.contextmanager
    def timed(self, step: str) -> Iterator[None]:
        """Time a step of the build into `steps`."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.steps.append((step, time.perf_counter() - started))

    @property
    def ok(self) -> bool:
        return self.written
