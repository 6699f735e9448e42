"""Writing site/ atomically: a build fills a temporary folder beside it, then swaps it in.

A failed or killed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from docsite.trees import in_background, remove_tree, tree_entries

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputClash(Exception):
    """Two outputs need one path: a file at `rel`, and a folder there holding `inside` (a
    page whose permalink is robots.txt, say, and the robots.txt docsite generates)."""

    def __init__(self, rel: str, inside: str):
        super().__init__(f"'{rel}' is both a file and a folder holding '{inside}'")
        self.rel = rel
        self.inside = inside


@dataclass(frozen=True)
class SpareLedger:
    """What a build leaves the next one to know of the spare tree without looking at it:
    which folder it is (the site this build replaced, by inode), the files that folder may
    hold (the placed files of the build that made it; None: not known), and, of the files
    this build placed, those that are not that folder's own (written anew, or linked from
    elsewhere). Any other file this build placed is one file with the spare tree's; every
    one of them is, once the spare tree's files are relinked (`trees.relink_spare`) and the
    marker beside it holds `token`."""

    folder: tuple[int, int]
    spare_files: frozenset[str] | None
    placed: frozenset[str]
    fresh: frozenset[str]
    token: str = ""  # the relinked spare tree's marker (`relinked_marker`); "": none

    def __reduce__(self) -> tuple:
        """Pickled with the files placed as those of the spare tree, but those changed: the
        two sets of 15,000 names each at 5,000 pages differ by the few files an edit
        renames (the search index's), and the cache writes and reads the ledger each build."""
        if self.spare_files is None:
            return (SpareLedger, (self.folder, None, self.placed, self.fresh, self.token))
        added, removed = self.placed - self.spare_files, self.spare_files - self.placed
        return (_ledger, (self.folder, self.spare_files, added, removed, self.fresh, self.token))


def _ledger(
    folder: tuple[int, int],
    spare_files: frozenset[str],
    added: frozenset[str],
    removed: frozenset[str],
    fresh: frozenset[str],
    token: str,
) -> SpareLedger:
    """A SpareLedger unpickled (`SpareLedger.__reduce__`)."""
    placed = (spare_files - removed) | added if added or removed else spare_files
    return SpareLedger(folder, spare_files, placed, fresh, token)


def relinked_marker(spare: Path) -> str:
    """The file beside the spare tree that says its files were relinked, and for which
    build's ledger (`trees.relink_spare`): hidden, as the staging folders are."""
    return os.path.join(os.path.dirname(spare), f".{os.path.basename(spare)}.relinked")


def _marker_token(path: str) -> str:
    """The token a marker holds, and the marker gone (it is for one build); "" if none."""
    try:
        with open(path, encoding="utf-8") as file:
            token = file.read()
        os.unlink(path)
    except (OSError, ValueError):
        return ""
    return token


@dataclass(frozen=True)
class FilesLooked:
    """Files of a folder as a process of the build looked at them before the build moved the
    folder in as its staging (build.scanning: the spare tree's pages, looked at while the
    build imports the renderer): each regular file's size and mtime, by path, and the
    folder's identity (`folder_id`) then. What looked otherwise is not kept: the build looks
    at it itself."""

    folder: tuple[int, int]
    stats: dict[str, tuple[int, int]]


def look_at_files(folder: Path, rels: Iterable[str]) -> FilesLooked | None:
    """The files at `rels` of `folder` (`FilesLooked`); None when the folder is not there, or
    was replaced while they were looked at."""
    before = folder_id(folder)
    if before is None:
        return None
    prefix = os.fspath(folder) + "/"
    stats = {}
    for rel in rels:
        found = _written_stat(prefix + rel)
        if found is not None:
            stats[rel] = found
    return FilesLooked(before, stats) if folder_id(folder) == before else None


def _written_stat(path: str) -> tuple[int, int] | None:
    """A regular file's size and mtime, as a page's record keeps them (cache.stat_of); None
    for a symlink, a folder, or nothing there."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns) if stat.S_ISREG(found.st_mode) else None


class OutputFolder:
    """The staging folder of one build.

    With `spare`, the site that the last swap replaced is kept there, and the next build
    starts from it instead of from an empty folder: its folders exist already, and its files
    that are still right (the same inode as the current site's) stay. That saves creating
    thousands of folders, which is the slowest part of a small rebuild. Files may be shared
    with the live site, so nothing in staging is ever written in place: a file is replaced,
    and whatever this build did not place is deleted before the swap.

    With the last build's `ledger` (a SpareLedger), a file of the live site that the spare
    tree holds already is known without comparing the two, and the files to delete are
    known without walking the tree. With `looked` (the spare tree's pages, `FilesLooked`),
    the pages' files are known as written without a look at each."""

    def __init__(
        self,
        target: Path,
        spare: Path | None = None,
        ledger: SpareLedger | None = None,
        looked: FilesLooked | None = None,
    ):
        self.target = target
        self.staging = target.parent / f".{target.name}.tmp-{os.getpid()}"
        # Paths in either folder by string: a join for each of 15,000 files costs real time.
        self._live_prefix = os.fspath(target) + "/"
        self._staging_prefix = os.fspath(self.staging) + "/"
        self.spare = spare
        self.reused = False  # staging started as the spare tree
        self.made_folders: set[str] = set()  # folders made in staging, so each is made once
        self.placed: set[str] = set()  # files this build put in staging, by relative path
        self.carried: set[str] = set()  # of those, the live site's own files (hard links)
        self._last = ledger  # the last build's, which made the live site
        self._trusted: SpareLedger | None = None  # the same, once staging is its spare tree
        self._relinked = False  # every file of the trusted spare tree is the live site's
        # Staging's files known to be the live site's (`_staged_as_live`): those of the
        # trusted ledger but its fresh ones, unless the spare tree was relinked.
        self._live: frozenset[str] = frozenset()
        self._stale: frozenset[str] = frozenset()
        self._token = ""  # of this build's ledger, for its spare tree's marker
        self._looked = looked  # kept once staging is the folder looked at
        # Placed before staging was copied as the spare tree (None: it was not).
        self._cloned: frozenset[str] | None = None
        self._replaced: set[str] = set()  # of those, placed again since
        self._cloning: threading.Thread | None = None
        # Staging's folders as listed (`_holds_live`): their regular files, by name. This
        # build asks only of files it has not placed; a folder it removes is forgotten.
        self._listed: dict[str, frozenset[str]] = {}

    def _make_parent(self, path: str, rel: str) -> None:
        folder = os.path.dirname(path)
        if folder not in self.made_folders:
            # A file this build placed where a folder goes now is a clash, never removed.
            parent = os.path.dirname(rel)
            while parent:
                if parent in self.placed:
                    raise OutputClash(parent, rel)
                parent = os.path.dirname(parent)
            make_folders(folder)
            self.made_folders.add(folder)

    def _placed_under(self, rel: str) -> str | None:
        """A file this build placed inside the folder `rel`, if any."""
        prefix = rel + "/"
        return next((placed for placed in sorted(self.placed) if placed.startswith(prefix)), None)

    def __enter__(self) -> OutputFolder:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(self.target)
        if self.staging.exists():
            remove_tree(self.staging, ignore_errors=False)
        relinked = _marker_token(relinked_marker(self.spare)) if self.spare is not None else ""
        if self.spare is not None and self.spare.is_dir():
            try:
                os.rename(self.spare, self.staging)
                self.reused = True
            except OSError:
                remove_tree(self.spare)
        if not self.reused:
            self.staging.mkdir()
        if self.reused and self._last is not None:
            self._trusted = self._last if folder_id(self.staging) == self._last.folder else None
            self._relinked = self._trusted is not None and relinked == self._trusted.token != ""
            if self._trusted is not None:
                self._live = self._trusted.placed
                self._stale = frozenset() if self._relinked else self._trusted.fresh
        if self._looked is not None and (
            self._trusted is None or self._looked.folder != self._trusted.folder
        ):
            self._looked = None  # not the folder staging is: looked at again there
        return self

    def ledger(self) -> SpareLedger | None:
        """What the next build may know of its spare tree: the live site, which this build's
        commit replaces, or the copy of staging a first build makes (None: neither)."""
        if self._cloned is not None:
            self._finish_spare()
            folder = folder_id(self.spare) if self.spare is not None else None
            if folder is None:  # the copy failed
                return None
            kept = self._complete_spare()
            everything = frozenset(self.placed)
            return SpareLedger(folder, everything, everything, everything - kept)
        folder = folder_id(self.target)
        if folder is None:
            return None
        last = self._last.placed if self._last is not None else None
        # The same set as the last build's, when it is: the cache then stores it once.
        placed = last if last == self.placed else frozenset(self.placed)
        self._token = os.urandom(8).hex()
        return SpareLedger(folder, last, placed, frozenset(self.placed - self.carried), self._token)

    def _complete_spare(self) -> frozenset[str]:
        """The copy of staging holds what staging held while it was made: the files placed
        before it (unless placed again since). The files placed after it (the search index,
        which a first build writes last) or placed again are linked into it now, so that the
        next build finds them there too. Returns the files the copy holds as staging does."""
        kept = set(self._cloned or ()) - self._replaced  # set by start_spare
        spare = os.fspath(self.spare) + "/"
        made: set[str] = set()
        for rel in self.placed - kept:
            path = spare + rel
            folder = os.path.dirname(path)
            try:
                if folder not in made:
                    os.makedirs(folder, exist_ok=True)
                    made.add(folder)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)  # the copy's first version of a file placed again
                os.link(self._staging_prefix + rel, path)
            except OSError:  # a folder of the copy in the way, say: written anew next time
                continue
            kept.add(rel)
        return frozenset(kept)

    def _staged_as_live(self, rel: str) -> bool:
        """Whether the last build's ledger says staging's file at `rel` is the live site's:
        the last build placed it as the spare tree's file (one inode with the live one), or
        placed it at all once the spare tree was relinked (`_relinked`)."""
        return rel in self._live and rel not in self._stale

    def _holds_live(self, rel: str) -> bool:
        """Whether staging's file at `rel` is known to be the live site's (the ledger says
        the last build placed it as the spare tree's file), and is still there: a file of
        the folder as listed the first time one of its files is asked about (one listing
        for the search index's 5,000 fragments, not a look at each)."""
        if not self._staged_as_live(rel):
            return False
        folder, _, name = rel.rpartition("/")
        return name in self._files_of(folder)

    def _files_of(self, folder: str) -> frozenset[str]:
        """The regular files of staging's `folder`, as listed the first time it is asked."""
        files = self._listed.get(folder)
        if files is None:
            files = self._listed[folder] = _regular_files(self._staging_prefix + folder)
        return files

    def list_ahead(self, folders: Iterable[str]) -> None:
        """List these folders of staging now, for `_holds_live` to ask of their files later:
        the build lists the last index's while it waits for the search process."""
        if self._trusted is None:
            return  # nothing is taken as there without the last build's ledger
        for folder in folders:
            self._files_of(folder)

    def relist(self) -> None:
        """Forget the folders as listed: processes of this build (the render's workers)
        have written and cleared paths in staging since."""
        self._listed.clear()

    def _holds_as_written(self, rel: str, expected: tuple[int, int]) -> bool:
        """Whether staging's file at `rel` is known to be the live site's (`_holds_live`)
        and is as it was written: one look, at staging's, tells for both folders. A file
        edited in place shows the edit there too (one inode); a file the live site has
        anew is not the one the build wrote, which staging keeps."""
        if not self._staged_as_live(rel):
            return False
        looked = self._looked.stats.get(rel) if self._looked is not None else None
        if looked is None:
            looked = _written_stat(self._staging_prefix + rel)
        return looked == expected

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._finish_spare()
        if self.staging.exists():
            remove_tree(self.staging)

    def start_spare(self) -> None:
        """Without a spare tree (a first build), start making one: a copy of staging as it
        is now, its folders and hard links to its files, made in a thread while the build
        goes on (Pagefind indexing, most of all). The next build starts from it instead of
        creating thousands of folders; it checks every file it keeps, so a copy that missed
        or kept a file replaced meanwhile costs a rewrite, never a wrong file."""
        if self.reused or self.spare is None or self.spare.exists() or self._cloning:
            return
        self._cloned = frozenset(self.placed)
        self._cloning = threading.Thread(
            target=_clone_tree, args=(self.staging, self.spare), name="spare-tree"
        )
        self._cloning.start()

    def _finish_spare(self) -> None:
        if self._cloning is not None:
            self._cloning.join()
            self._cloning = None

    def place(self, rel: str) -> str:
        """The path to write `rel` at: its folder made, and whatever was there removed (a
        file there may be a hard link to the live site's: it is never written into)."""
        path = self._staging_prefix + rel
        self._make_parent(path, rel)
        if self._cloned is not None and rel in self._cloned:
            self._replaced.add(rel)  # the copy of staging may hold the file it was
        if self.reused or rel in self.placed:  # else nothing can be there yet
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except IsADirectoryError:  # a spare tree's folder, unless this build filled it
                inside = self._placed_under(rel)
                if inside is not None:
                    raise OutputClash(rel, inside) from None
                remove_tree(path, ignore_errors=False)
                self._listed.clear()
        self.placed.add(rel)
        return path

    def write_text(self, rel: str, text: str, previous: Path | None = None) -> None:
        self.write_bytes(rel, text.encode("utf-8"), previous)

    def write_bytes(self, rel: str, data: bytes, previous: Path | None = None) -> None:
        """Write a file; with `previous` (the last build's folder), an identical old file is
        hard-linked instead, so unchanged outputs are never rewritten."""
        if previous is not None:
            old = previous / rel
            if same_bytes(old, data) and self.link_from(old, rel):
                return
        path = self.place(rel)
        try:
            with open(path, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise self._write_error(exc, rel, path) from None

    def copy_file(self, source: Path | str, rel: str) -> None:
        path = self.place(rel)
        try:
            shutil.copyfile(source, path)
        except OSError as exc:
            raise self._write_error(exc, rel, path) from None

    def _write_error(self, exc: OSError, rel: str, path: str) -> Exception:
        """The error to raise for a failed write: a clash with a folder of placed files, or
        the OSError with the file it was writing (a full disk's error names none)."""
        if isinstance(exc, IsADirectoryError) and os.path.isdir(path):
            inside = self._placed_under(rel)
            if inside is not None:
                return OutputClash(rel, inside)
        if exc.filename is None:
            exc.filename = path
        return exc

    def link_from(self, existing: Path | str, rel: str) -> bool:
        """Hard-link a file of the previous build instead of writing the same bytes again."""
        if rel in self.placed:
            return False  # this build has put a file there already
        path = self._staging_prefix + rel
        live = os.fspath(existing) == self._live_prefix + rel  # the live site's own
        try:
            if self.reused and ((live and self._holds_live(rel)) or same_inode(existing, path)):
                self.placed.add(rel)
            else:
                os.link(existing, self.place(rel))
        except OSError:
            self.placed.discard(rel)
            return False
        if live:
            self.carried.add(rel)
        return True

    def keep_live(self, rels: Iterable[str]) -> list[str]:
        """Keep the live site's files at `rels` that staging holds already (`_holds_live`),
        as `link_from` would one by one, and return the others, for the caller to link or
        write one by one: the Markdown copies and index files of an edit, 5,000 each at
        5,000 pages, cost half as much this way."""
        if self._trusted is None:
            return list(rels)
        placed, holds = self.placed, self._holds_live
        kept, others = [], []
        for rel in rels:
            (kept if rel not in placed and holds(rel) else others).append(rel)
        placed.update(kept)
        self.carried.update(kept)
        return others

    def carry(self, rel: str, expected: tuple[int, int]) -> bool:
        """Keep the live site's file at `rel` (hard-linked), unless it changed since it was
        written: its size and mtime are not `expected` (cache.stat_of)."""
        if rel not in self.placed and self._holds_as_written(rel, expected):
            self.placed.add(rel)
            self.carried.add(rel)
            return True
        live = self._live_prefix + rel
        try:
            found = os.stat(live)
        except OSError:
            return False
        return (found.st_size, found.st_mtime_ns) == expected and self.link_from(live, rel)

    def exists(self, rel: str) -> bool:
        """Whether this build has put a file there (a spare tree's old files do not count)."""
        return rel in self.placed

    def commit(self) -> None:
        """Swap the finished folder in; the old one becomes the spare tree, or is removed
        afterwards, in the background. If this raises, the old site is in place."""
        self._finish_spare()  # it walks staging, which is about to move
        if self.reused and self._trusted is not None and self._trusted.spare_files is not None:
            self._remove_known(self._trusted.spare_files - self.placed)
        elif self.reused:
            self._remove_unplaced()
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
        if self.target.exists() and _exchange(self.staging, self.target):
            # Swapped: what is left is tidying up, which must not fail the build.
            with contextlib.suppress(OSError):
                os.replace(self.staging, old)
        else:
            if self.target.exists():
                os.replace(self.target, old)
            try:
                os.replace(self.staging, self.target)
            except OSError:
                if old.exists() and not self.target.exists():
                    os.replace(old, self.target)  # the old site back where it was
                raise
        if old.exists() and not self._keep_as_spare(old):
            in_background("remove", old)

    def _keep_as_spare(self, old: Path) -> bool:
        if self.spare is None or self.spare.exists():
            return False
        try:
            self.spare.parent.mkdir(parents=True, exist_ok=True)
            os.rename(old, self.spare)
        except OSError:  # another file system, say: no spare then
            return False
        if self._token:  # the next build may trust every file relinked, by this build's ledger
            marker = relinked_marker(self.spare)
            target = str(self.target)
            in_background("relink", self.spare, target, marker, self._token, OUTPUT_MARKER)
        else:
            in_background("prune", self.spare)
        return True

    def _remove_unplaced(self) -> None:
        """Delete what the spare tree held that this build did not place (pages since
        removed), then the folders left empty."""
        emptied: list[str] = []  # folders that may be empty now: all their files removed
        pending = [""]
        while pending:
            rel_dir = pending.pop()
            folder = os.path.join(self.staging, rel_dir)
            kept = False
            with os.scandir(folder) as entries:
                for entry in entries:
                    rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(rel)
                    elif rel not in self.placed:
                        os.unlink(entry.path)
                    else:
                        kept = True
            if rel_dir and not kept:
                emptied.append(folder)
        for folder in reversed(emptied):
            with contextlib.suppress(OSError):  # not empty: a folder below holds placed files
                os.rmdir(folder)

    def _remove_known(self, unplaced: frozenset[str]) -> None:
        """Delete the files the spare tree may hold that this build did not place (the
        ledger lists them), then their folders left empty."""
        folders: set[str] = set()
        for rel in unplaced:
            # Gone already, or a folder or file of this build's where it was: left alone.
            with contextlib.suppress(FileNotFoundError, NotADirectoryError, IsADirectoryError):
                os.unlink(os.path.join(self.staging, rel))
            parent = os.path.dirname(rel)
            while parent and parent not in folders:
                folders.add(parent)
                parent = os.path.dirname(parent)
        for rel in sorted(folders, key=len, reverse=True):  # the deepest first
            with contextlib.suppress(OSError):  # not empty: it holds placed files
                os.rmdir(os.path.join(self.staging, rel))


def _regular_files(folder: str) -> frozenset[str]:
    """The names of a folder's regular files (no symlinks); none when it cannot be read."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(e.name for e in entries if e.is_file(follow_symlinks=False))
    except OSError:
        return frozenset()


def folder_id(folder: Path | str) -> tuple[int, int] | None:
    """A folder's identity (inode, device), which a rename keeps; None when there is none."""
    try:
        found = os.stat(folder)
    except OSError:
        return None
    return (found.st_ino, found.st_dev) if stat.S_ISDIR(found.st_mode) else None


def _clone_tree(source: Path, target: Path) -> None:
    """Folders and hard links mirroring `source` at `target`, put in place whole or not at
    all. Files that vanish meanwhile are skipped; any failure leaves no target."""
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    try:
        os.makedirs(partial)
        for rel, entry in tree_entries(source):
            if entry.is_dir(follow_symlinks=False):
                os.mkdir(os.path.join(partial, rel))
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.link(entry.path, os.path.join(partial, rel))
        os.rename(partial, target)
    except OSError:
        remove_tree(partial)


def same_bytes(path: str | os.PathLike[str], data: bytes) -> bool:
    """Whether the file at `path` holds `data` (False when it cannot be read)."""
    try:
        with open(path, "rb") as handle:
            return os.fstat(handle.fileno()).st_size == len(data) and handle.read() == data
    except OSError:
        return False


def same_inode(a: str | os.PathLike[str] | os.stat_result, b: str | os.PathLike[str]) -> bool:
    """Whether both paths are one file (hard links); False when either is missing. `a` may
    be the first file's stat, taken already."""
    try:
        first = a if isinstance(a, os.stat_result) else os.stat(a)
        second = os.stat(b)
    except OSError:
        return False
    return (first.st_ino, first.st_dev) == (second.st_ino, second.st_dev)


def clear_path(path: str) -> None:
    """Remove what is at `path` (a file, or a folder a spare tree had where a file goes now)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        remove_tree(path, ignore_errors=False)


def make_folders(folder: str | os.PathLike[str]) -> None:
    """os.makedirs(exist_ok=True) without recursion: content may nest folders deeper than
    Python's recursion limit (pathlib's and os's makedirs call themselves per level). A file
    in the way (a spare tree's, where a folder goes now) is removed."""
    folder = os.fspath(folder)
    try:  # the common case, a folder whose parent exists: one system call
        os.mkdir(folder)
        return
    except FileExistsError:
        if os.path.isdir(folder):
            return
    except (FileNotFoundError, NotADirectoryError):  # a parent is missing, or is a file
        pass
    missing = []
    while not os.path.isdir(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for path in reversed(missing):
        if os.path.lexists(path) and not os.path.isdir(path):
            os.unlink(path)
        with contextlib.suppress(FileExistsError):
            os.mkdir(path)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2); False where unsupported. The C library
    is the one the process runs with: ctypes.util.find_library would run `ldconfig -p`, and
    its import and that take 5 ms of every build."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
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


# What atomic_write writes: bytes, text (UTF-8), or a function that writes to the open file.
FileContent = bytes | str | Callable[[BinaryIO], object]


def write_beside(path: Path, content: FileContent) -> Path:
    """Write `content` to a hidden temporary file beside `path` (so a rename puts it in place)
    and return that file; none is left behind if writing fails (a full disk)."""
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(temporary, "wb") as handle:
            if isinstance(content, str):
                handle.write(content.encode("utf-8"))
            elif isinstance(content, bytes):
                handle.write(content)
            else:
                content(handle)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(path)  # a full disk's error names no file
        raise
    return temporary


def atomic_write(path: Path, content: FileContent) -> None:
    """Replace a file whole: a reader (a browser, another build) sees the old bytes or the new,
    never half of them."""
    temporary = write_beside(path, content)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# Marks a folder as docsite's output, so a build may replace it; any other is refused.
OUTPUT_MARKER = ".docsite"


def is_retype_output(out: Path) -> bool:
    """Whether a folder holds a site Retype built (its generator tag in index.html, and its
    resources/ folder): Retype replaces it on every build, and so may docsite when a Retype
    project that commits its output (as many publish from `public/` or `docs/`) moves over."""
    try:
        with open(out / "index.html", "rb") as page:
            head = page.read(4096)
    except OSError:
        return False
    return b'<meta name="generator" content="Retype' in head and (out / "resources").is_dir()


def marker_of(out: Path) -> tuple[int, int, int] | None:
    """The identity of a built site: its marker file, written anew by every build."""
    try:
        stat = os.stat(out / OUTPUT_MARKER)
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns
