"""When each page last changed: the last git commit touching it, else the file's time.

One `git log` over the content folder gives every file's last commit at once. The result is
kept on disk by HEAD commit, so a rebuild with no new commit does not run it again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from docsite.cache import CACHE_DIR
from docsite.output import atomic_write

_CACHE_NAME = "git-dates-2.json"  # with authors and names
_GIT_TIMEOUT = 60


@dataclass(frozen=True)
class PageDates:
    """Dates as ISO 8601 strings, by source path relative to the content folder."""

    head: str = ""  # the HEAD commit they were read at, "" when not in git
    committed: dict[str, str] = field(default_factory=dict)  # last commit touching the file
    # Of that commit: its author's date, its committer's name, its author's name.
    authored: dict[str, str] = field(default_factory=dict)
    committer: dict[str, str] = field(default_factory=dict)
    author: dict[str, str] = field(default_factory=dict)

    def shown(
        self, date: bool, date_source: str, by: bool, by_source: str
    ) -> tuple[dict[str, str], dict[str, str]]:
        """What pages' footers show (Retype's `lastUpdated`): each page's date and name, by
        source path; empty when turned off. A source is "committer" or "author"."""
        dates = (self.authored if date_source == "author" else self.committed) if date else {}
        names = (self.author if by_source == "author" else self.committer) if by else {}
        return dates, names

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


def head_files(content_dir: Path) -> list[str] | None:
    """The files git reads the content folder's HEAD from: HEAD, the branch's ref and
    packed-refs (git replaces a file to move it). While they are unchanged, so is
    head_commit. A branch with no commit yet has its ref's file too: the first commit makes
    it. None when git cannot say, or keeps its refs otherwise (reftable)."""
    text = _git(content_dir, "rev-parse", "--absolute-git-dir", "--git-common-dir")
    lines = (text or "").splitlines()
    if len(lines) != 2:
        return None
    git_dir, common = lines
    common = os.path.join(content_dir, common)  # relative to the folder git ran in
    if os.path.exists(os.path.join(common, "reftable")):
        return None
    head = os.path.join(git_dir, "HEAD")
    try:
        with open(head, encoding="utf-8") as file:
            pointed = file.readline().strip()  # "ref: refs/heads/main", or a commit
    except (OSError, UnicodeDecodeError):
        return None
    files = [head, os.path.join(common, "packed-refs")]
    if pointed.startswith("ref: refs/"):
        files.append(os.path.join(common, pointed.removeprefix("ref: ")))
    return [os.path.abspath(path) for path in files]


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
                return PageDates(head, *(dict(cached[name]) for name in _FIELDS))
    # Newest first: the first commit naming a file is its last change. --relative gives
    # paths from the content folder, the same as a page's source path.
    text = _git(content_dir, "log", _FORMAT, "--name-only", "--no-renames", "--relative", ".")
    found = parse_log_fields(text or "")
    if cache_file is not None:
        with contextlib.suppress(OSError):
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(cache_file, json.dumps({"key": key, **found}, sort_keys=True))
    return PageDates(head, *(found[name] for name in _FIELDS))


# One commit's header: its committer's date, then its author's date, committer and author.
_FORMAT = "--format=%x00%cI%x1f%aI%x1f%cn%x1f%an"
_FIELDS = ("committed", "authored", "committer", "author")


def parse_log_fields(text: str) -> dict[str, dict[str, str]]:
    """`git log` output in _FORMAT: for each of _FIELDS, file -> its newest commit's value."""
    found: dict[str, dict[str, str]] = {name: {} for name in _FIELDS}
    for entry in text.split("\0")[1:]:
        header, _, names = entry.partition("\n")
        values = [*header.strip().split("\x1f"), "", "", "", ""][:4]
        for name in names.splitlines():
            name = name.strip()
            if name and name not in found["committed"]:
                for field_name, value in zip(_FIELDS, values, strict=True):
                    found[field_name][name] = value.strip()
    return found


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
    if not cwd.is_dir() or not _may_be_in_git(cwd):
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


def git_markers(folder: Path) -> list[str]:
    """Where git looks for the repository of `folder`: a `.git` in it and in each folder
    above it, on its real path (the one git walks)."""
    markers = []
    path = os.path.realpath(folder)
    while True:
        markers.append(os.path.join(path, ".git"))
        parent = os.path.dirname(path)
        if parent == path:
            return markers
        path = parent


def _may_be_in_git(folder: Path) -> bool:
    """Whether git may find a repository for `folder`: one of its `git_markers`, or GIT_DIR
    set. Outside one, a build asks nothing of git: each question starts a process (two a
    build, 2-3 ms each)."""
    return bool(os.environ.get("GIT_DIR")) or any(map(os.path.lexists, git_markers(folder)))
