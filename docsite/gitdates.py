"""When each page last changed: the last git commit touching it, else the file's time.

One `git log` over the content folder gives every file's last commit at once. The result is
kept on disk by HEAD commit, so a rebuild with no new commit does not run it again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from docsite.cache import CACHE_DIR
from docsite.output import atomic_write

_CACHE_NAME = "git-dates.json"
_GIT_TIMEOUT = 60


@dataclass(frozen=True)
class PageDates:
    """Dates as ISO 8601 strings, by source path relative to the content folder."""

    head: str = ""  # the HEAD commit they were read at, "" when not in git
    committed: dict[str, str] = field(default_factory=dict)  # last commit touching the file

    def last_updated(self, rel: str) -> str:
        """The last commit's date, '' when the file is not in git."""
        return self.committed.get(rel, "")

    def lastmod(self, rel: str, path: Path) -> str:
        """For the sitemap: the last commit's time, else the file's modification time."""
        committed = self.committed.get(rel)
        if committed:
            return committed
        try:
            stamp = path.stat().st_mtime
        except OSError:
            return ""
        return dt.datetime.fromtimestamp(int(stamp), dt.UTC).isoformat().replace("+00:00", "Z")


def head_commit(content_dir: Path) -> str:
    """The commit the content folder is at, '' outside git: a new commit may date pages."""
    return (_git(content_dir, "log", "-1", "--format=%H") or "").strip()


def read_dates(content_dir: Path, cache_root: Path | None = None) -> PageDates:
    """Every file's last commit date under content_dir; empty when git or a repo is missing."""
    head = _git(content_dir, "log", "-1", "--format=%H")
    if not head:
        return PageDates()
    head = head.strip()
    cache_file = cache_root / CACHE_DIR / _CACHE_NAME if cache_root is not None else None
    key = f"{head}:{content_dir.resolve()}"
    if cache_file is not None:
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            cached = json.loads(cache_file.read_text(encoding="utf-8"))
            if cached["key"] == key:
                return PageDates(head, dict(cached["committed"]))
    # Newest first: the first commit naming a file is its last change. --relative gives
    # paths from the content folder, the same as a page's source path.
    text = _git(
        content_dir, "log", "--format=%x00%cI", "--name-only", "--no-renames", "--relative", "."
    )
    committed = parse_log(text or "")
    if cache_file is not None:
        with contextlib.suppress(OSError):
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(
                cache_file, json.dumps({"key": key, "committed": committed}, sort_keys=True)
            )
    return PageDates(head, committed)


def parse_log(text: str) -> dict[str, str]:
    """`git log --format=%x00%cI --name-only` output: file -> date of its newest commit."""
    committed: dict[str, str] = {}
    for entry in text.split("\0")[1:]:
        date, _, names = entry.partition("\n")
        for name in names.splitlines():
            name = name.strip()
            if name and name not in committed:
                committed[name] = date.strip()
    return committed


def _git(cwd: Path, *args: str) -> str | None:
    if not cwd.is_dir():
        return None
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None
