"""Writing the no-change stamp (docsite.stamp) once a build has left the site up to date.

The stamp names what the build was made of as it was when the build read it: the input
files with the signatures they were hashed under, the folders with the names discover
listed, and the project's config files. A file whose signature is too recent to trust is
hashed again here and written down only if its contents are still those the build used;
anything this cannot vouch for means no stamp, and the next build does the full check.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from docsite import stamp
from docsite.cache import (
    BuildCache,
    FileEntry,
    InputHasher,
    content_digest,
    hash_all_requested,
)
from docsite.config import CONFIG_NAMES, SiteConfig
from docsite.context import BuildOptions
from docsite.diagnostics import Diagnostic
from docsite.gitdates import git_markers, head_commit, head_files
from docsite.icons import icon_pack_roots
from docsite.libraries import installed_libraries
from docsite.output import OUTPUT_MARKER
from docsite.retype_config import RETYPE_CONFIG_NAMES
from docsite.sources import Discovery
from docsite.themefiles import static_dirs, template_dirs

# What a project folder holds that a build reads by name: its config files and folders.
CONFIG_FILES = (*CONFIG_NAMES, *RETYPE_CONFIG_NAMES)
PROJECT_FOLDERS = ("templates", "static", "_components")


@dataclass
class StampStart:
    """What the build saw before reading anything: when it began, and the config files."""

    root: str
    request: str
    started_ns: int
    configs: dict[str, tuple[tuple[int, ...], str] | None] = field(default_factory=dict)


def stamp_start(options: BuildOptions, started_ns: int) -> StampStart | None:
    """Note the config files before the config is read; None when no stamp will be made."""
    if not options.use_cache or options.keep_live or options.hash_all or hash_all_requested():
        return None
    root = os.fspath(options.root.resolve())
    config = os.fspath(options.config_file) if options.config_file else None
    out = os.fspath(options.out) if options.out is not None else None
    start = StampStart(
        root, stamp.request(os.fspath(options.root), config, out, options.strict), started_ns
    )
    names = [os.path.join(root, name) for name in CONFIG_FILES]
    for path in [*names, *([config] if config else [])]:
        start.configs[path] = _read_signed(path)
    return start


def _read_signed(path: str) -> tuple[tuple[int, ...], str] | None:
    """A file's signature and content hash, read together; None when it is not a file."""
    try:
        with open(path, "rb") as handle:
            signature = os.fstat(handle.fileno())
            data = handle.read()
    except OSError:
        return None
    sig = (signature.st_size, signature.st_mtime_ns, signature.st_ctime_ns, signature.st_ino)
    return sig, content_digest(data)


def record_no_change(
    start: StampStart | None,
    config: SiteConfig,
    found: Discovery,
    hasher: InputHasher,
    cache: BuildCache,
    pages: int,
    out: Path,
    said: list[Diagnostic],
) -> None:
    """Write the stamp for a build that succeeded, with the diagnostics it `said` (in the
    report's order) for the next to say again; remove any old one when this one cannot be
    vouched for. Never fails the build."""
    if start is None or not cache.enabled:
        return
    path = stamp.stamp_path(start.root, start.request)
    with contextlib.suppress(OSError):
        os.unlink(path)
    entries = _stamp_entries(start, config, found, hasher, out)
    if entries is None:
        return
    files, folders = entries
    with contextlib.suppress(OSError):  # the next build reads those files again
        cache.settle_inputs(_settled_inputs(hasher, files))  # before the stamp signs them
    commit = _commit(config, files, start.started_ns)
    stamped = {
        "request": start.request,
        "pages": pages,
        "output": os.fspath(out),
        "date": stamp.build_date(),
        "environment": stamp.environment(),
        "engine": stamp.ENGINE_DIR,  # another checkout of docsite is another engine
        "files": files,
        "folders": stamp.folder_entries(folders, start.started_ns),
        "commit": commit,
        "commit_dir": os.fspath(config.content_dir),
        "said": [diagnostic.fields() for diagnostic in said],
    }
    # Another build since (of this site, or watch mode's page re-rendered in place) changes
    # the site's marker or the cache's inputs.
    files[os.path.join(out, OUTPUT_MARKER)] = stamp.signature(os.path.join(out, OUTPUT_MARKER))
    files[os.fspath(cache.inputs_index)] = stamp.signature(os.fspath(cache.inputs_index))
    stamped["files"] = stamp.pack(files)
    with contextlib.suppress(OSError):
        stamp.write_stamp(path, stamped)


def _settled_inputs(
    hasher: InputHasher, signed: dict[str, tuple[int, ...] | None]
) -> dict[str, FileEntry]:
    """The inputs the build hashed while their times were too recent to trust (files just
    written: a fresh clone, a generated folder) that the stamp has since read again, with
    the same contents and times old enough (`_settled`), by name. Without them the cache
    knew these files as racy still, and the next build with something to do read them all
    again (80 ms at 5,000 pages); only the stamp knew better."""
    found = {}
    for name, path in hasher.racy.items():
        seen, signature = hasher.seen.get(path), signed.get(path)
        if seen is not None and signature is not None:
            found[name] = (seen[1], signature)
    return found


def _commit(config: SiteConfig, files: dict[str, tuple[int, ...] | None], started_ns: int) -> str:
    """The commit the next build asks git about; '' when there is none, or when the files
    git reads HEAD from, unchanged since before the build, go in the stamp instead: then
    saying the site is up to date runs no git."""
    commit = head_commit(config.content_dir)
    paths = head_files(config.content_dir) if commit else None
    if paths is None:
        return commit
    signed = {path: stamp.signature(path) for path in paths}
    if not all(stamp.trusted(entry, started_ns) for entry in signed.values()):
        return commit
    files.update(signed)
    return ""


def _stamp_entries(
    start: StampStart, config: SiteConfig, found: Discovery, hasher: InputHasher, out: Path
) -> tuple[dict, dict] | None:
    """(files, folders) as the stamp checks them, or None when one cannot be vouched for."""
    now_ns = stamp.time.time_ns()
    files: dict[str, tuple[int, ...] | None] = {}
    for path, seen in hasher.seen.items():
        settled = _settled(path, seen, now_ns)
        if settled is False:
            return None
        files[path] = settled
    for path, read in start.configs.items():
        settled = _settled(path, read and (*read, True), now_ns, start.started_ns)
        if settled is False:
            return None
        files[path] = settled
    for partial in config.partials:
        sig = stamp.signature(os.path.join(config.root, partial))
        if not stamp.trusted(sig, start.started_ns):
            return None
        files[os.path.join(config.root, partial)] = sig
    engine_files, engine_folders = stamp.engine_files()
    files.update(engine_files)
    # An upgrade of a library docsite writes with replaces its `.dist-info` folder.
    for _, folder in installed_libraries().values():
        files[folder] = stamp.signature(folder)
    folders = {folder: stamp.listing_of(names) for folder, names in found.listings.items()}
    if not _add_folders(folders, files, config, out, start.started_ns):
        return None
    folders.update(engine_folders)
    _add_git_absence(files, config)
    return files, folders


def _settled(
    path: str, seen: tuple | None, now_ns: int, read_ns: int | None = None
) -> tuple[int, ...] | bool | None:
    """The signature to write down for a file the build read, None for one it found
    missing, False when it cannot be vouched for (changed since, or too recent to tell).

    A file found missing, or read with a signature old enough to trust, is written down as
    the build found it, without a look at it now: a file made or written since has another
    signature, which the next build's check sees (a stat per input file spared: 5,000 at
    5,000 pages)."""
    if seen is None:
        return None
    signature, hashed, trusted = seen
    if read_ns is not None:
        trusted = stamp.trusted(signature, read_ns)
    if trusted:
        return signature
    current = stamp.signature(path)
    if current != signature:
        # Changed since the build read it: the build may have used another version than
        # the one there now, though the contents are the same again (git checkout and back).
        return False
    if not stamp.trusted(current, now_ns):
        return False
    read = _read_signed(path)
    if read is None or read[0] != current or read[1] != hashed:
        return False
    return current


def _add_folders(
    folders: dict[str, str | None],
    files: dict[str, tuple[int, ...] | None],
    config: SiteConfig,
    out: Path,
    started_ns: int,
) -> bool:
    """The theme's and the icon packs' folders, and what the project folder holds by name.
    Their listings are taken now: a folder changed since the build began is not trusted."""
    roots = [*template_dirs(config), *static_dirs(config)]
    roots += icon_pack_roots(config.root, config.content_dir)
    for top in roots:
        for folder, subfolders, _ in os.walk(top, followlinks=True):
            if not stamp.trusted(stamp.signature(folder), started_ns):
                return False
            folders[folder] = stamp.listing(folder)
            subfolders.sort()
    for name in PROJECT_FOLDERS:  # one made since is a change
        path = os.path.join(config.root, name)
        files[path] = stamp.signature(path)
        if not stamp.trusted(files[path], started_ns):
            return False
    return os.fspath(config.content_dir) in folders  # else discover did not read it


def _add_git_absence(files: dict[str, tuple[int, ...] | None], config: SiteConfig) -> None:
    """Outside git, a repository made around the content folder later is a change."""
    for path in git_markers(config.content_dir):
        files.setdefault(path, stamp.signature(path))
