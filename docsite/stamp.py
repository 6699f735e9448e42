"""The no-change stamp: what a build with nothing to do checks before loading docsite.

A successful build leaves, per request (folder, config, --out, --strict), a small file in
the cache folder naming every file and folder the build was made of with its signature
(size, times, inode) or listing, the engine (docsite's modules, and the install folders of
the libraries it writes with: an upgrade replaces one), date, environment and git commit it
saw, and the warnings it said. When all of them are still so, `docsite build` says the site is up
to date, and those warnings again, without importing the config reader, the renderer or the
cache: a stat per input, which is what lets a large site's no-change build cost little more
than Python starting.

Only what the full no-change check (docsite.build.run) would find unchanged is trusted:
a file whose times are too recent to tell a later write apart (RACY_WINDOW_NS) is hashed
again before it is written down, and anything that fails here falls back to the full
check. This module imports nothing of docsite but its version, so the command line can
use it before importing the rest.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
import zlib

from docsite import __version__

STAMP_FORMAT = 3
STAMP_VERSION = f"{STAMP_FORMAT}:{__version__}:{sys.version}"
CACHE_DIR = ".docsite-cache"  # as docsite.cache names it (tests check they agree)
RACY_WINDOW_NS = 2_000_000_000  # as docsite.cache's: times this recent are not trusted
ENGINE_DIR = os.path.dirname(os.path.abspath(__file__))
# docsite's own files that make what it writes: its modules, its locales' words (locales/*.json)
# and watch mode's scripts.
ENGINE_SUFFIXES = (".py", ".json", ".js")
# Environment variables a build reads, directly or through git.
ENV_PREFIXES = ("DOCSITE_", "GIT_", "SOURCE_DATE_EPOCH")

Signature = tuple[int, int, int, int]


def request(root: str, config_file: str | None, out: str | None, strict: bool) -> str:
    """What names a build request: the same folder, config, --out and --strict."""
    return repr((os.getcwd(), root, config_file or "", out or "", strict))


def stamp_path(root: str, request: str) -> str:
    """Where the stamp of a request is kept (hashlib would cost more to import than this
    whole check: zlib's checksums name the file, and the stamp holds the request itself)."""
    data = request.encode("utf-8", "surrogatepass")
    return os.path.join(root, CACHE_DIR, f"stamp-{zlib.crc32(data):08x}{zlib.adler32(data):08x}")


def signature(path: str) -> Signature | None:
    """Size, mtime, ctime and inode; None when nothing is there."""
    try:
        stat = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


ABSENT = (-1, -1, -1, -1)  # the signature written down for a file that is not there


def pack(entries: dict[str, Signature | None]) -> list[tuple[str, tuple[str, ...], list[int]]]:
    """Signatures by folder, four numbers a file in one flat list: a stamp of thousands of
    files loads in a millisecond or two and compares as one list a folder (a tuple a file
    loads slower, and array would bring the collections module to import)."""
    by_folder: dict[str, list[tuple[str, Signature | None]]] = {}
    for path, entry in entries.items():
        folder, name = os.path.split(path)
        by_folder.setdefault(folder, []).append((name, entry))
    packed = []
    for folder, named in by_folder.items():
        numbers: list[int] = []
        for _, entry in named:
            numbers += ABSENT if entry is None else entry
        packed.append((folder, tuple(name for name, _ in named), numbers))
    return packed


# Files are looked up from their folder's descriptor where the system can (not Windows).
_AT_FOLDER = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


def signatures(folder: str, names: tuple[str, ...]) -> list[int]:
    """The packed signatures of `names` in `folder`, as they are now. Each is looked up
    from the folder's descriptor: the kernel walks one name, not the whole path."""
    if not _AT_FOLDER:  # Windows: by path
        return [n for name in names for n in signature(os.path.join(folder, name)) or ABSENT]
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return list(ABSENT * len(names))
    numbers: list[int] = []
    try:
        for name in names:
            try:
                stat = os.stat(name, dir_fd=descriptor)
            except (FileNotFoundError, NotADirectoryError):
                numbers += ABSENT
                continue
            numbers += (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    finally:
        os.close(descriptor)
    return numbers


FolderEntry = tuple[str, Signature | None, str | None]


def folder_entries(listings: dict[str, str | None], started_ns: int) -> list[FolderEntry]:
    """Each folder with its listing and, when it is older than the build, its signature:
    a folder's times change whenever a name is added, removed or renamed in it, so an
    unchanged signature spares reading and sorting its names."""
    entries = []
    for folder, names in listings.items():
        entry = signature(folder)
        entries.append((folder, entry if trusted(entry, started_ns) else None, names))
    return entries


def _same_folder(folder: str, expected: Signature | None, names: str | None) -> bool:
    """A folder whose names are those the build saw (its signature vouches, else its listing)."""
    return (expected is not None and signature(folder) == expected) or listing(folder) == names


def listing(folder: str) -> str | None:
    """A folder's names, transient build folders left out; None when it cannot be read."""
    try:
        return listing_of(os.listdir(folder))
    except OSError:
        return None


def listing_of(names: list[str]) -> str:
    """`listing` of names already read (a walk that listed the folder)."""
    return "\0".join(sorted(n for n in names if not _transient(n)))


def _transient(name: str) -> bool:
    """A build's staging or discarded site (.site.tmp-123, .site.old-123), there only while
    a build runs or tidies up."""
    return name.startswith(".") and (".tmp-" in name or ".old-" in name)


def build_date() -> str:
    """The UTC date a build would see (docsite's build_time: SOURCE_DATE_EPOCH, else now)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else None
    return time.strftime("%Y-%m-%d", time.gmtime(seconds))


def environment() -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIXES))


def engine_files(
    top: str = ENGINE_DIR,
) -> tuple[dict[str, Signature | None], dict[str, str | None]]:
    """docsite's own files (ENGINE_SUFFIXES) and folders (those of the package at `top`): a
    changed engine is never trusted."""
    files: dict[str, Signature | None] = {}
    folders: dict[str, str | None] = {}
    for folder, subfolders, names in os.walk(top):
        subfolders[:] = [n for n in subfolders if n != "__pycache__"]
        folders[folder] = listing(folder)
        for name in names:
            if name.endswith(ENGINE_SUFFIXES):
                files[os.path.join(folder, name)] = signature(os.path.join(folder, name))
    return files, folders


def unchanged_pages(root: str, request: str) -> tuple[int, str, list] | None:
    """(pages, output folder, what the build said) when the stamp for this request still
    holds, else None. What it said: its diagnostics as `Diagnostic.fields` gives them, in
    the order the report prints them (warnings: a build with errors leaves no stamp)."""
    try:
        with open(stamp_path(root, request), "rb") as handle:
            stamp = marshal.loads(handle.read())  # load() reads in small pieces: 10x slower
        if stamp["version"] != STAMP_VERSION or stamp["request"] != request:
            return None
        if stamp["date"] != build_date():
            return None
        if stamp["environment"] != environment() or stamp["engine"] != ENGINE_DIR:
            return None
        for folder, names, expected in stamp["files"]:
            if signatures(folder, names) != expected:
                return None
        for folder, expected, names in stamp["folders"]:
            if not _same_folder(folder, expected, names):
                return None
        if stamp["commit"] and _head_commit(stamp["commit_dir"]) != stamp["commit"]:
            return None
        return stamp["pages"], stamp["output"], stamp["said"]
    except Exception:  # a damaged or foreign stamp: the full check decides
        return None


def _head_commit(folder: str) -> str:
    """As docsite.gitdates.head_commit: the commit the content folder is at."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", "log", "-1", "--format=%H"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def trusted(entry: Signature | None, started_ns: int) -> bool:
    """A signature old enough that a later write would change it (see RACY_WINDOW_NS)."""
    return entry is None or max(entry[1], entry[2]) < started_ns - RACY_WINDOW_NS


def write_stamp(path: str, stamp: dict) -> None:
    """Write the stamp under a temporary name and rename it into place."""
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "wb") as handle:
        marshal.dump({"version": STAMP_VERSION, **stamp}, handle)
    os.replace(temporary, path)
