"""An exclusive lock on a file that lasts as long as the process: the operating system drops
it when the process ends, even when it is killed (SIGKILL), so no lock is ever left stale.

POSIX uses `flock`, Windows `msvcrt.locking`. A forked child (a render worker, a background
deletion) closes its copy at once, so it cannot keep the lock alive after its parent died.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

# errno values that mean "another open file holds the lock".
_HELD_ELSEWHERE = frozenset({errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK, errno.EDEADLK})


@dataclass
class FileLock:
    """A lock this process holds on `path`; `release` (or the end of the process) frees it."""

    path: Path
    fd: int

    def release(self, remove: bool = False) -> None:
        """Let another process take the lock; `remove` also deletes the lock file."""
        if self.fd < 0:
            return
        if remove and sys.platform != "win32":
            # Removed while still held: a process waiting on the old file sees it is gone.
            with contextlib.suppress(OSError):
                self.path.unlink()
        _held.pop(self.fd, None)
        os.close(self.fd)  # closing the file drops the lock
        self.fd = -1
        if remove and sys.platform == "win32":
            with contextlib.suppress(OSError):  # Windows deletes no open file
                self.path.unlink()


# Locks held by this process, by file descriptor: forked children close theirs.
_held: dict[int, FileLock] = {}


def try_lock(path: Path) -> FileLock | None:
    """Lock `path` (created if missing) for this process, or None if another holds it."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            locked = _lock(fd)
            if locked and _same_file(fd, path):
                lock = _held[fd] = FileLock(path, fd)
                return lock
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        if not locked:
            return None
        # Its holder removed the file as it let go: lock the file now at that path.


def _lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _HELD_ELSEWHERE:
            return False
        raise
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def _close_in_child() -> None:
    """In a forked child: close the copies, which would otherwise hold the locks until the
    child exits (the parent's own descriptors still hold them)."""
    for fd, lock in list(_held.items()):
        with contextlib.suppress(OSError):
            os.close(fd)
        lock.fd = -1
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)
