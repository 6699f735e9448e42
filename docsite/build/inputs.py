"""Every file a site is made of, hashed under its input name (docsite.keys): the build's
inputs, from which it decides whether anything changed and which pages to render."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from docsite.actions import action_files
from docsite.cache import FileEntry, InputHasher, digest
from docsite.config import SiteConfig
from docsite.diagnostics import Report, shown_path
from docsite.icons import icon_pack_files
from docsite.keys import (
    UNREADABLE,
    InputKind,
    content_input,
    content_rel,
    dependency_file,
    input_name,
    kind_of,
    project_input,
    project_rel,
    published_file,
    settle_read,
)
from docsite.pages import SiteContent
from docsite.projectfiles import MISSING
from docsite.reading import read_fault
from docsite.sources import Discovery
from docsite.themefiles import static_dirs, template_dirs


def sitemap_times(config: SiteConfig, found: Discovery, hasher: InputHasher) -> list[int]:
    """Each page's file time, to the second, when the site has a sitemap: it dates a page
    not committed to git by its file's time (`PageDates.lastmod`), so a page saved again
    with the same bytes changes what the build writes. As the hasher saw them (a file's
    entry keeps no time while it is too recent to trust)."""
    if not config.url:
        return []
    times = []
    for source in found.pages:
        seen = hasher.seen.get(os.fspath(source.os_path))
        times.append(seen[0][1] // 1_000_000_000 if seen is not None else -1)
    return times


def input_files(
    config: SiteConfig, found: Discovery, hasher: InputHasher, report: Report
) -> dict[str, FileEntry]:
    """Content hash (and signature) of every file the site is made of, by input name.

    A file that cannot be read is an error here, where it is found; a page's own is
    reported when it is read."""
    named: list[tuple[str, str | Path, str]] = []
    for source in (*found.pages, *found.settings.values(), *found.assets):
        named.append((content_input(source.rel), source.os_path, source.shown))
    for kind, folders in (
        (InputKind.TEMPLATE, template_dirs(config)),
        (InputKind.STATIC, static_dirs(config)),
    ):
        for folder in folders:
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and not any(p.startswith(".") for p in rel.split("/")):
                    named.append(
                        (input_name(kind, rel, folder), path, shown_path(path, config.root))
                    )
    for definition in action_files(config.content_dir):
        rel = shown_path(definition, config.root)
        named.append((input_name(InputKind.ACTION, rel), definition, rel))
    for svg in icon_pack_files(config.root, config.content_dir):
        rel = shown_path(svg, config.root)
        named.append((input_name(InputKind.ICON, rel), svg, rel))
    files: dict[str, FileEntry] = {}
    for name, path, shown in named:
        try:
            files[name] = hasher.entry(path, name)
        except OSError as exc:
            files[name] = (UNREADABLE, (0,))
            if kind_of(name) is not InputKind.CONTENT or not name.endswith(".md"):
                # A page that cannot be read is reported where pages are read.
                report.add(read_fault(shown, exc))
    for name in hasher.known:
        if project_rel(name) is not None:  # read by pages last time: includes, snippets
            files[name] = project_file_entry(config.root, name, hasher)
        linked = found.unlisted.get(content_rel(name) or "")
        if linked is not None:  # a left-out file pages linked to last time: published
            _add_entry(files, name, linked.os_path, hasher)
    return files


def _add_entry(files: dict[str, FileEntry], name: str, path: str, hasher: InputHasher) -> None:
    """A file's entry, if it can be read; one that cannot is left to be copied (and fail
    there) rather than reported twice."""
    with contextlib.suppress(OSError):
        files[name] = hasher.entry(path, name)


def published_inputs(
    site: SiteContent,
    dependencies: dict[str, tuple],
    files: dict[str, FileEntry],
    hasher: InputHasher,
) -> dict[str, FileEntry]:
    """Left-out files a page links to that are not inputs yet: published, so a change to
    one is a change to the site."""
    added: dict[str, FileEntry] = {}
    for key in dependencies:
        rel = published_file(key)
        source = site.linkable.get(rel) if rel is not None else None
        if source is not None and content_input(source.rel) not in files:
            _add_entry(added, content_input(source.rel), source.os_path, hasher)
    return added


def project_file_entry(root: Path, name: str, hasher: InputHasher) -> FileEntry:
    """The entry of a file pages read (an include, a snippet); MISSING when it is not there."""
    path = root / (project_rel(name) or "")
    try:
        if path.is_file():
            return hasher.entry(path, name)
    except OSError:
        pass
    hasher.missing(path)
    return (MISSING, (0,))


@dataclass
class InputScan:
    """Every input of a build as hashed before loading anything: what decides whether the
    build has anything to do."""

    out: Path  # where the site goes
    files: dict[str, FileEntry]  # by input name; rendering adds the files pages read
    hasher: InputHasher
    base: str  # the hash of all but the files: engine, config, output, git head, problems

    def digest(self) -> str:
        """The hash that decides whether a build has anything to do."""
        return digest(self.base, sorted((name, entry[0]) for name, entry in self.files.items()))

    def content_hash(self, rel: str) -> str | None:
        """The hash of a content file as the inputs found it (None: not an input)."""
        entry = self.files.get(content_input(rel))
        return entry[0] if entry is not None else None


def take_read_files(
    root: Path, dependencies: dict[str, tuple], files: dict[str, FileEntry], hasher: InputHasher
) -> None:
    """The files a page read become inputs, if they are not yet: a change to one is a
    change to the site. Each is settled with what the page read of it (`keys.settle_read`):
    it is hashed after the page read it, and may have been saved in between."""
    for key, value in dependencies.items():
        rel = dependency_file(key)
        if rel is not None:
            name = project_input(rel)
            if name not in files:
                files[name] = project_file_entry(root, name, hasher)
            settle(files, name, value[0], hasher, root / rel)


def settle(
    files: dict[str, FileEntry], name: str, read_hash: str, hasher: InputHasher, path: Path
) -> None:
    """`keys.settle_read`, and the file at `path` not vouched for by the no-change stamp
    when the build read it otherwise than it hashed it."""
    if settle_read(files, name, read_hash):
        hasher.read_otherwise(path)
