"""Work aside: a process forked from a build, for what a core the build leaves idle can do
meanwhile (compiling the templates, patching the search index)."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from typing import Any


def start_aside(
    target: Callable[..., object], args: tuple[Any, ...], name: str
) -> multiprocessing.process.BaseProcess | None:
    """`target(*args)` in a forked process; None where processes cannot fork.

    The process leaves Ctrl-C to the build, which ends it, and ends with os._exit: it has
    nothing to flush, and a thread of the build (the progress line) may have held a stream's
    lock when it forked. It prints nothing: a failure in it shows as work not done (no
    answer, no file), which the build then does itself."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    process = multiprocessing.get_context("fork").Process(
        target=_run_aside, args=(target, args), name=name, daemon=True
    )
    process.start()
    return process


def _run_aside(target: Callable[..., object], args: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        target(*args)
    finally:
        os._exit(0)
