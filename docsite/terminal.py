"""What a person sees in a terminal: colours that step aside for logs, and a progress line."""

from __future__ import annotations

import os
import sys
import time

# A no-change build loads this to print one line (docsite.uptodate): typing and
# threading would cost it more than the rest of its answer.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from docsite.diagnostics import Paint

# ANSI styles by role; a role not named here is printed as it is.
_STYLES = {
    "place": "1",  # bold: the file and position
    "error": "1;31",
    "warning": "1;33",
    "hint": "36",
    "ok": "32",
    "failed": "1;31",
}


def wants_color(stream: TextIO, disabled: bool = False) -> bool:
    """Colour only for a person at a terminal: never in a pipe or a log, never with
    --no-color or NO_COLOR set (no-color.org), and always with FORCE_COLOR set."""
    if disabled or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def _unpainted(role: str, text: str) -> str:
    return text


def painter(enabled: bool) -> Paint:
    if not enabled:
        return _unpainted

    def paint(role: str, text: str) -> str:
        style = _STYLES.get(role)
        return f"\x1b[{style}m{text}\x1b[0m" if style else text

    return paint


class ProgressLine:
    """One line, rewritten in place, saying which stage a long build is in.

    It appears only on a terminal and only once a build has run for `delay` seconds, so a
    quick build prints nothing more; a ticker repaints it, since some stages report rarely."""

    def __init__(self, stream: TextIO = sys.stderr, delay: float = 1.0, tick: float = 0.1):
        import threading

        self._stream = stream
        self._delay = delay
        self._tick = tick
        self._started = time.monotonic()
        self._text = ""
        self._shown = ""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._run, name="progress", daemon=True)
        self._ticker.start()

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        """A build's progress listener: ("rendering", 120, 5000) shows 'rendering 120/5000'."""
        text = f"{stage} {done}/{total} pages" if total else f"{stage}..."
        with self._lock:
            self._text = text

    def _run(self) -> None:
        while not self._stop.wait(self._tick):
            if time.monotonic() - self._started >= self._delay:
                self._paint()

    def _paint(self) -> None:
        with self._lock:
            if self._text == self._shown:
                return
            self._shown = self._text
            self._stream.write(f"\r\x1b[2K{self._text}")
            self._stream.flush()

    def close(self) -> None:
        """Stop and erase the line, so the next output starts on a clean line."""
        self._stop.set()
        self._ticker.join()
        if self._shown:
            self._stream.write("\r\x1b[2K")
            self._stream.flush()
