"""Deleting folder trees, and relinking the spare tree: here, or in a Python process of its
own that the build does not wait for (the site a swap replaced; the spare tree's files no
longer shared, deleted, or made the live site's again).

That process is spawned, not forked: spawning takes 1-5 ms of a one-page rebuild at 5,000
pages, where forking the build and waiting for the fork to fork again (so that no zombie is
left) took 9-19 ms (a fork copies the page tables of a 200 MB process)."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal


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


def tree_entries(folder: str | os.PathLike[str]) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry below `folder` with its path from it ('a/b.html'), a folder before what
    it holds, without recursion; symlinks are not followed. A folder that cannot be read
    raises, once the entries before it are given."""
    pending = [""]
    while pending:
        rel_dir = pending.pop()
        with os.scandir(os.path.join(folder, rel_dir)) as entries:
            for entry in entries:
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                yield rel, entry
                if entry.is_dir(follow_symlinks=False):
                    pending.append(rel)


def prune_spare(folder: str | os.PathLike[str]) -> None:
    """Delete the spare tree's files that are not the live site's (one link only): the
    next build would replace them anyway, and after a build that changed every page they
    are a whole old copy of the site in the cache. Its folders stay: they are what the
    next build saves making. Anything that fails here costs the next build a rewrite."""
    with contextlib.suppress(OSError):
        for _, entry in tree_entries(folder):
            is_file = not entry.is_dir(follow_symlinks=False)
            if is_file and entry.stat(follow_symlinks=False).st_nlink == 1:
                os.unlink(entry.path)


def relink_spare(folder: str, live: str, marker: str, token: str, unlinked: str = "") -> None:
    """Make the spare tree (`folder`) the live site's (`live`) again: each of its files that
    is not the live site's file at its path (one the build that replaced it wrote anew) is
    replaced by a hard link to that file, or deleted. Then `marker` holds `token` (the
    build's `SpareLedger.token`): the next build may take every file of the tree as the
    live site's, not only those its ledger names, and keeps the pages a build that rendered
    them all wrote without linking each (10,000 links, 200 ms of an edit at 5,000 pages).
    A step that fails (the next build took the tree meanwhile) leaves no marker, nor does a
    tree that is another folder once the walk is done (one a later build left there), and
    the next build links those files itself.

    Only the files the build wrote (one link) are linked: a link changes a file's ctime,
    and the no-change stamp signs the inputs the site links to (an image of content/) and
    the site's marker (`unlinked`, its path) by theirs. Those are deleted instead."""
    try:
        walked = os.stat(folder)
        for rel, entry in tree_entries(folder):
            if not entry.is_dir(follow_symlinks=False):
                _relink(entry, f"{live}/{rel}", rel != unlinked)
        now = os.stat(folder)
        if (now.st_ino, now.st_dev) != (walked.st_ino, walked.st_dev):
            return
        with open(marker + ".tmp", "w", encoding="utf-8") as file:
            file.write(token)
        os.replace(marker + ".tmp", marker)
    except OSError:
        return


def _relink(entry: os.DirEntry[str], live: str, linked: bool) -> None:
    """The spare tree's file at `entry` made the live one (`live`), unless it is already;
    deleted where that is not a file the build wrote, or not `linked`."""
    own = entry.stat(follow_symlinks=False)
    try:
        found = os.lstat(live)
    except (FileNotFoundError, NotADirectoryError):  # gone, or a file where its folder was
        found = None
    if found is not None and (found.st_ino, found.st_dev) == (own.st_ino, own.st_dev):
        return
    os.unlink(entry.path)
    if linked and found is not None and stat.S_ISREG(found.st_mode) and found.st_nlink == 1:
        os.link(live, entry.path)


Task = Literal["remove", "prune", "relink"]
TASKS: dict[str, Callable[..., object]] = {
    "remove": remove_tree,
    "prune": prune_spare,
    "relink": relink_spare,
}

# The process's program: docsite's own folder first on the path, whatever the folder it runs
# in or the environment (it starts isolated, without site-packages: it needs no library).
_PROGRAM = "import sys; sys.path.insert(0, sys.argv[1]); from docsite.trees import main; main()"
_PACKAGE_PARENT = os.fspath(Path(__file__).resolve().parent.parent)
_spawned: list[int] = []  # processes started and not yet reaped


def in_background(task: Task, folder: Path, *more: str) -> None:
    """Run `TASKS[task](folder, *more)` in a process of its own, which the build does not
    wait for; where none can be started, here and now. The processes a long-lived one
    (watch mode) started are reaped as it starts the next."""
    _reap()
    args = [os.fspath(folder), *more]
    argv = [sys.executable, "-I", "-S", "-c", _PROGRAM, _PACKAGE_PARENT, task, *args]
    try:
        pid = os.posix_spawn(
            sys.executable,
            argv,
            os.environ,
            file_actions=[(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)],
            setpgroup=0,  # its own group: Ctrl-C at the build leaves it to finish
        )
    except (AttributeError, OSError, ValueError):  # no posix_spawn (Windows), no Python found
        TASKS[task](*args)
        return
    _spawned.append(pid)


def wait_for_background() -> None:
    """Wait for the processes started here to end: for a caller that must see their work
    done (a test that changes the folders after a build)."""
    while _spawned:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(_spawned[-1], 0)
        _spawned.pop()


def _reap() -> None:
    for pid in list(_spawned):
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0] == 0:
                continue  # still at work
        _spawned.remove(pid)


def main() -> None:
    """The spawned process: the task named, on the folder and what follows (its arguments
    after docsite's folder)."""
    task, *args = sys.argv[2:]
    TASKS[task](*args)
