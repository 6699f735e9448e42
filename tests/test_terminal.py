"""The terminal: colours only for a person, and a progress line that cleans up after itself."""

import io
import time

from docsite.build import BuildOptions, build_site
from docsite.diagnostics import Diagnostic, Severity
from docsite.terminal import ProgressLine, painter, wants_color


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_needs_a_terminal_and_yields_to_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert wants_color(Terminal())
    assert not wants_color(io.StringIO())  # a pipe or a log file
    assert not wants_color(Terminal(), disabled=True)  # --no-color
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_color(Terminal())
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert not wants_color(Terminal())


def test_a_painted_diagnostic_reads_the_same_without_its_colours():
    problem = Diagnostic("content/a.md", 3, 7, Severity.ERROR, "bad value", "fix it")
    painted = problem.format(painter(True))
    assert "\x1b[1;31merror:\x1b[0m bad value" in painted
    assert (
        painted.replace("\x1b[1;31m", "")
        .replace("\x1b[36m", "")
        .replace("\x1b[1m", "")
        .replace("\x1b[0m", "")
        == problem.format()
    )
    assert problem.format(painter(False)) == problem.format()


def _wait_until(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_progress_appears_after_the_delay_and_is_erased():
    screen = Terminal()
    progress = ProgressLine(screen, delay=0.0, tick=0.01)
    progress("rendering", 3, 10)
    _wait_until(lambda: "rendering 3/10 pages" in screen.getvalue())
    progress("search index")
    _wait_until(lambda: "search index..." in screen.getvalue())
    progress.close()
    shown = screen.getvalue()
    assert shown.startswith("\r\x1b[2K") and shown.endswith("\r\x1b[2K")
    assert "\n" not in shown  # one line, rewritten in place


def test_a_quick_build_shows_no_progress():
    screen = Terminal()
    progress = ProgressLine(screen, delay=60.0, tick=0.01)
    progress("rendering", 1, 2)
    time.sleep(0.05)
    progress.close()
    assert screen.getvalue() == ""


def test_a_build_reports_its_stages_and_every_rendered_page(project):
    project.write({f"content/p{i}.md": f"# Page {i}\n" for i in range(5)})
    heard: list[tuple[str, int, int]] = []
    options = BuildOptions(root=project.root, out=project.out, jobs=1)
    options.progress = lambda stage, done=0, total=0: heard.append((stage, done, total))
    assert build_site(options).ok
    stages = list(dict.fromkeys(stage for stage, _, _ in heard))
    # Backlinks are on: the pages are parsed for their links before any is rendered.
    assert stages == ["reading pages", "finding links", "rendering", "search index", "writing"]
    assert [(d, t) for s, d, t in heard if s == "finding links"] == [(i, 5) for i in range(6)]
    assert [(d, t) for s, d, t in heard if s == "rendering"] == [(i, 5) for i in range(6)]
