"""Work aside: a process forked from a build, for what a core the build leaves idle can do
meanwhile (compiling the templates, patching the search index)."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
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


class AsideAnswer:
    """A process forked to work aside and send one answer back (`ask_aside`); the build
    takes it when it needs it, waiting `seconds` at most, after which the process is ended
    and there is no answer (None), as when it failed."""

    def __init__(self, process: multiprocessing.process.BaseProcess, receiver: Connection):
        self.process = process
        self._receiver = receiver
        self._taken = False
        self._answer: Any = None

    def answer(self, seconds: float) -> Any:
        """The answer, or None (no answer, or none within `seconds`); asked once, kept."""
        if not self._taken:
            self._taken = True
            with contextlib.suppress(EOFError, OSError):
                if self._receiver.poll(seconds):
                    self._answer = self._receiver.recv()
            self._receiver.close()
            self.process.join(timeout=seconds)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        return self._answer


def ask_aside(
    target: Callable[..., object], args: tuple[Any, ...], name: str
) -> AsideAnswer | None:
    """`target(sender, *args)` in a forked process (`start_aside`), which sends its answer
    through `sender`; None where processes cannot fork."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    process = start_aside(target, (sender, *args), name)
    sender.close()
    if process is None:
        receiver.close()
        return None
    return AsideAnswer(process, receiver)
