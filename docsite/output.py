"""Writing site/ atomically: a build fills a temporary folder beside it, then swaps it in.

A failed or killed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputFolder:
    def __init__(self, target: Path):
        self.target = target
        self.staging = target.parent / f".{target.name}.tmp-{os.getpid()}"
        self.made_folders: set[str] = set()  # folders made in staging, so each is made once

    def _make_parent(self, path: str) -> None:
        folder = os.path.dirname(path)
        if folder not in self.made_folders:
            make_folders(folder)
            self.made_folders.add(folder)

    def __enter__(self) -> OutputFolder:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(self.target)
        if self.staging.exists():
            remove_tree(self.staging, ignore_errors=False)
        self.staging.mkdir()
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self.staging.exists():
            remove_tree(self.staging)

    def write_text(self, rel: str, text: str, previous: Path | None = None) -> None:
        """Write a file; with `previous` (the last build's folder), an identical old file is
        hard-linked instead, so unchanged outputs are never rewritten."""
        data = text.encode("utf-8")
        if previous is not None:
            old = previous / rel
            with contextlib.suppress(OSError):
                same = old.stat().st_size == len(data) and old.read_bytes() == data
                if same and self.link_from(old, rel):
                    return
        path = os.path.join(self.staging, rel)
        self._make_parent(path)
        with open(path, "wb") as handle:
            handle.write(data)

    def copy_file(self, source: Path, rel: str) -> None:
        path = self.staging / rel
        make_folders(path.parent)
        shutil.copyfile(source, path)

    def link_from(self, existing: Path, rel: str) -> bool:
        """Hard-link a file of the previous build instead of writing the same bytes again."""
        path = os.path.join(self.staging, rel)
        try:
            self._make_parent(path)
            os.link(existing, path)
        except OSError:
            return False
        return True

    def exists(self, rel: str) -> bool:
        return (self.staging / rel).exists()

    def commit(self) -> None:
        """Swap the finished folder in; the old one is removed afterwards, in the background."""
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
        if self.target.exists() and _exchange(self.staging, self.target):
            os.replace(self.staging, old)
        else:
            if self.target.exists():
                os.replace(self.target, old)
            os.replace(self.staging, self.target)
        if old.exists():
            remove_in_background(old)


def make_folders(folder: str | os.PathLike[str]) -> None:
    """os.makedirs(exist_ok=True) without recursion: content may nest folders deeper than
    Python's recursion limit (pathlib's and os's makedirs call themselves per level)."""
    missing = []
    folder = os.fspath(folder)
    while not os.path.isdir(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(path)


def remove_tree(top: str | os.PathLike[str], ignore_errors: bool = True) -> None:
    """shutil.rmtree without recursion (it calls itself per folder level); symlinks are
    removed, never followed. With ignore_errors, what can be removed is."""
    folders: list[str] = []
    pending = [os.fspath(top)]
    while pending:
        folder = pending.pop()
        folders.append(folder)
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    else:
                        _remove(os.unlink, entry.path, ignore_errors)
        except OSError:
            if not ignore_errors:
                raise
    for folder in reversed(folders):
        _remove(os.rmdir, folder, ignore_errors)


def _remove(remove: Callable[[str], None], path: str, ignore_errors: bool) -> None:
    try:
        remove(path)
    except OSError:
        if not ignore_errors:
            raise


def remove_in_background(folder: Path) -> None:
    """Delete a folder without making the build wait (thousands of files take a while).

    A detached grandchild process does it, so no zombie is left behind; where processes
    cannot fork, or the fork fails, the folder is deleted here and now. A folder left by a
    killed deletion is cleaned up by the next build."""
    if not hasattr(os, "fork"):
        remove_tree(folder)
        return
    try:
        child = os.fork()
    except OSError:
        remove_tree(folder)
        return
    if child == 0:  # the child: start the grandchild and leave at once
        try:
            if os.fork() == 0:
                remove_tree(folder)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _remove_stale(target: Path) -> None:
    """Leftovers of builds that were killed: their process is gone."""
    for leftover in target.parent.glob(f".{target.name}.*-*"):
        kind, _, pid = leftover.name.rpartition(".")[2].partition("-")
        dead = kind in ("tmp", "old") and pid.isdigit() and not _alive(int(pid))
        if dead and leftover.is_dir():
            remove_tree(leftover)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
