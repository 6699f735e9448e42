"""Deleting folder trees: here, or in a Python process of its own that the build does not
wait for (the site a swap replaced, the spare tree's files no longer shared).

That process is spawned, not forked: spawning takes 1-5 ms of a one-page rebuild at 5,000
pages, where forking the build and waiting for the fork to fork again (so that no zombie is
left) took 9-19 ms (a fork copies the page tables of a 200 MB process)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
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


def prune_spare(folder: str | os.PathLike[str]) -> None:
    """Delete the spare tree's files that are not the live site's (one link only): the
    next build would replace them anyway, and after a build that changed every page they
    are a whole old copy of the site in the cache. Its folders stay: they are what the
    next build saves making. Anything that fails here costs the next build a rewrite."""
    pending = [os.fspath(folder)]
    with contextlib.suppress(OSError):
        while pending:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    elif entry.stat(follow_symlinks=False).st_nlink == 1:
                        os.unlink(entry.path)


Task = Literal["remove", "prune"]
TASKS: dict[str, Callable[[str], object]] = {"remove": remove_tree, "prune": prune_spare}

# The process's program: docsite's own folder first on the path, whatever the folder it runs
# in or the environment (it starts isolated, without site-packages: it needs no library).
_PROGRAM = "import sys; sys.path.insert(0, sys.argv[1]); from docsite.trees import main; main()"
_PACKAGE_PARENT = os.fspath(Path(__file__).resolve().parent.parent)
_spawned: list[int] = []  # processes started and not yet reaped


def in_background(task: Task, folder: Path) -> None:
    """Run `TASKS[task](folder)` in a process of its own, which the build does not wait
    for; where none can be started, here and now. The processes a long-lived one (watch
    mode) started are reaped as it starts the next."""
    _reap()
    argv = [sys.executable, "-I", "-S", "-c", _PROGRAM, _PACKAGE_PARENT, task, os.fspath(folder)]
    try:
        pid = os.posix_spawn(
            sys.executable,
            argv,
            os.environ,
            file_actions=[(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)],
            setpgroup=0,  # its own group: Ctrl-C at the build leaves it to finish
        )
    except (AttributeError, OSError, ValueError):  # no posix_spawn (Windows), no Python found
        TASKS[task](folder)
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
    """The spawned process: the task named, on the folder (its last two arguments)."""
    task, folder = sys.argv[-2:]
    TASKS[task](folder)
