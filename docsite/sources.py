"""Finding the source files under content/ and reading them as text."""

from __future__ import annotations

import bisect
import errno
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from docsite.diagnostics import Diagnostic, DiagnosticError, Report, Severity
from docsite.output import OUTPUT_MARKER
from docsite.pathpatterns import matches

PAGE_SUFFIX = ".md"
SETTINGS_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True, order=True)
class SourceFile:
    """A file of the content folder: how the site, the disk and messages name it."""

    rel: str  # posix path relative to the content folder, e.g. "guide/setup.md"
    os_path: str  # where it is on disk (a string: thousands of Path objects cost real time)
    shown: str  # how messages name it, e.g. "content/guide/setup.md"

    @property
    def path(self) -> Path:
        return Path(self.os_path)


@dataclass
class Discovery:
    """What one walk of the content folder found."""

    pages: list[SourceFile] = field(default_factory=list)
    settings: dict[str, SourceFile] = field(default_factory=dict)  # by rel path
    assets: list[SourceFile] = field(default_factory=list)
    # Files left out of the site (by a name starting with '_' or '.', or by `exclude`):
    # published only when a page links to one, by rel path.
    unlisted: dict[str, SourceFile] = field(default_factory=dict)
    # Each folder read, by os path: its names, so that a build can later tell that none
    # was added or removed without walking again (docsite.stamp).
    listings: dict[str, list[str]] = field(default_factory=dict)


def is_skipped(name: str) -> bool:
    """Files and folders starting with '_' or '.' are not part of the site."""
    return name.startswith(("_", "."))


def discover(
    content_dir: Path,
    shown_prefix: str,
    report: Report,
    excluded: tuple[Path, ...] = (),
    confined_to: tuple[Path, ...] = (),
    rules: PathRules | None = None,
) -> Discovery:
    """Walk the content folder once, sorted, following symlinks but never in a loop.

    `excluded` paths (the output folder and the config file, when the content folder holds
    the whole project, as Retype's `input: .` does) are not part of the site. Symlinks are
    followed only into `confined_to` (default: the content folder), as includes are: one
    to /etc/passwd is an error, never published. What `rules` leave out (and names
    starting with '_' or '.') is `unlisted`: published only when a page links to it."""
    if not content_dir.is_dir():
        problem = "is a file, not a folder" if content_dir.exists() else "does not exist"
        raise DiagnosticError(
            [
                Diagnostic(
                    shown_prefix,
                    0,
                    0,
                    Severity.ERROR,
                    f"the content folder {problem}",
                    "create it with a first page, e.g. content/index.md, "
                    "or set 'input' in docsite.yml",
                )
            ]
        )
    skipped = frozenset(
        os.path.join(str(content_dir), *path.relative_to(content_dir.resolve()).parts)
        for path in (p.resolve() for p in excluded)
        if path.is_relative_to(content_dir.resolve())
    )
    walk = _Walk(
        shown_prefix,
        report,
        skipped,
        tuple(os.path.realpath(folder) for folder in (confined_to or (content_dir,))),
        rules or PathRules(),
    )
    walk.run(str(content_dir))
    _yaml_files_that_are_no_settings(walk.found, walk.rules)
    return walk.found


def rediscover(
    found: Discovery,
    content_dir: Path,
    shown_prefix: str,
    rels: set[str],
    excluded: tuple[Path, ...] = (),
    rules: PathRules | None = None,
) -> Discovery | None:
    """What `discover` finds now that these files (content-relative) were added or removed,
    from what it found before, without walking the content folder again (5,000 pages: tens
    of milliseconds at every page or settings file watch mode sees added). None when only a
    walk tells: a file that is neither a page nor the settings of a folder or of a page
    found before, a folder that came or went, a symlink, a name left out, or a page with a
    settings file beside it."""
    rules = rules or PathRules()
    known = {source.rel for source in found.pages}
    # The pages a settings file may belong to: found before, and not added or removed now
    # (a page that goes turns its settings into a file of the site).
    moving = {stem for stem, ext in map(posixpath.splitext, rels) if ext.lower() == PAGE_SUFFIX}
    stems = {posixpath.splitext(rel)[0] for rel in known} - moving
    pages, listings, settings = list(found.pages), dict(found.listings), dict(found.settings)
    for rel in sorted(rels):
        path = os.path.join(str(content_dir), *rel.split("/"))
        folder, name = os.path.split(path)
        is_page = _plain_page(found, rel, path, excluded, rules)
        if folder not in listings or not (
            is_page or _plain_settings(rel, path, excluded, rules, stems)
        ):
            return None
        exists = os.path.isfile(path)
        listed = rel in known if is_page else rel in settings
        if exists and not listed:
            source = SourceFile(rel, path, _shown(shown_prefix, rel))
            if is_page:
                bisect.insort(pages, source, key=lambda other: _walk_order(other.rel))
            else:
                settings[rel] = source
            listings[folder] = sorted({*listings[folder], name})
        elif not exists and listed:
            if is_page:
                pages = [other for other in pages if other.rel != rel]
            else:
                del settings[rel]
            listings[folder] = [other for other in listings[folder] if other != name]
    in_walk_order = dict(sorted(settings.items(), key=lambda item: _walk_order(item[0])))
    return Discovery(pages, in_walk_order, found.assets, found.unlisted, listings)


def _plain_page(
    found: Discovery, rel: str, path: str, excluded: tuple[Path, ...], rules: PathRules
) -> bool:
    """A page file that no rule leaves out, no symlink, without settings beside it."""
    if os.path.splitext(rel)[1].lower() != PAGE_SUFFIX or os.path.islink(path):
        return False
    stem = rel[: -len(PAGE_SUFFIX)]
    beside = [stem + suffix for suffix in SETTINGS_SUFFIXES]
    if any(other in found.settings or other in found.unlisted for other in beside):
        return False
    if any(other == asset.rel for asset in found.assets for other in beside):
        return False
    return _kept(rel, path, excluded, rules)


def _plain_settings(
    rel: str, path: str, excluded: tuple[Path, ...], rules: PathRules, page_stems: set[str]
) -> bool:
    """The settings of a folder (index.yml) or of a page found before (its name beside it),
    which no rule leaves out, and no symlink."""
    stem, suffix = posixpath.splitext(rel)
    if suffix.lower() not in SETTINGS_SUFFIXES or os.path.islink(path):
        return False
    if posixpath.basename(stem) != "index" and stem not in page_stems:
        return False
    return _kept(rel, path, excluded, rules)


def _kept(rel: str, path: str, excluded: tuple[Path, ...], rules: PathRules) -> bool:
    """Whether no rule leaves the file out, nor is it in an excluded place."""
    parts = rel.split("/")
    for depth, part in enumerate(parts, 1):
        if rules.left_out(part, "/".join(parts[:depth]), depth < len(parts)):
            return False
    real = Path(path).resolve()
    return not any(real.is_relative_to(other.resolve()) for other in excluded)


def _walk_order(rel: str) -> tuple:
    """Where `discover` finds a file: a folder's files by name, then its folders by name."""
    parts = rel.split("/")
    return (*((1, part) for part in parts[:-1]), (0, parts[-1]))


def _yaml_files_that_are_no_settings(found: Discovery, rules: PathRules) -> None:
    """A .yml file is the settings of a folder (index.yml) or of the page beside it with
    its name; any other (a sample config for download) is a file of the site, or, in a
    Retype project, one published when a page links to it (unless it is in static/...).
    The project's own config (retype.yml, docsite.yml, beside the pages) is not."""
    pages: set[str] | None = None  # the pages' paths without suffix, once one is asked about
    for rel, source in list(found.settings.items()):
        stem = posixpath.splitext(rel)[0]
        project_config = "/" not in rel and stem.startswith(("retype", "docsite"))
        if posixpath.basename(stem) == "index" or project_config:
            continue
        if pages is None:
            pages = {posixpath.splitext(page.rel)[0] for page in found.pages}
        if stem not in pages:
            del found.settings[rel]
            unlisted = rules.types is not None and not _AUTO_FOLDERS.intersection(
                rel.split("/")[:-1]
            )
            if unlisted and not rules.included(rel, False):
                found.unlisted[rel] = source
            else:
                found.assets.append(source)


@dataclass(frozen=True)
class PathRules:
    """Retype's `exclude` and `include` (.gitignore patterns over paths in the content
    folder) over its default: names starting with '_' or '.' and node_modules folders are
    left out. An `include` pattern brings back what is left out, also inside such a folder."""

    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    # The kinds of file published without a link or an `include` (a Retype project's are
    # RETYPE_FILE_TYPES); None: every kind, as in a docsite project's content folder.
    types: frozenset[str] | None = None

    def left_out(self, name: str, rel: str, is_dir: bool) -> bool:
        if is_skipped(name) or (is_dir and name == "node_modules"):
            return True
        if not is_dir and self.unlisted_type(rel):
            return True
        return matches(self.exclude, rel + "/" if is_dir else rel)

    def unlisted_type(self, rel: str) -> bool:
        """A file of a kind that is published only when linked or included: not a page or
        settings, not of `types`, and in no static/, public/, assets/ or resources/ folder."""
        if self.types is None:
            return False
        suffix = posixpath.splitext(rel)[1].lower()
        if suffix in (PAGE_SUFFIX, *SETTINGS_SUFFIXES):
            return False  # pages and settings; a .yml that is neither: see below
        folders = rel.split("/")[:-1]
        return suffix.lstrip(".") not in self.types and not _AUTO_FOLDERS.intersection(folders)

    def included(self, rel: str, is_dir: bool) -> bool:
        return matches(self.include, rel + "/" if is_dir else rel)


# What Retype publishes of a project without a link or an `include`: media, resources, and
# every file in a folder named static, public, assets or resources.
# fmt: off
RETYPE_FILE_TYPES = frozenset((
    "avif", "bmp", "flac", "gif", "heif", "ico", "jpeg", "jpg", "m4a", "mkv", "mov", "mp3",
    "mp4", "ogg", "ogv", "pdf", "png", "svg", "tiff", "wav", "webm", "webp", "3gp",  # media
    "ai", "css", "eps", "htm", "html", "js", "json", "txt", "zip",  # resources
))
# fmt: on
_AUTO_FOLDERS = frozenset(("static", "public", "assets", "resources"))

# Left out folders that are never read for files to link to, unless `include` names them:
# version control's, dependencies' and Retype's output (thousands of files no page links).
_NEVER_READ = frozenset((".git", ".hg", ".svn", "node_modules", ".venv", "__pycache__", ".retype"))


@dataclass
class _Walk:
    """One walk of the content folder: what it found, and what it needs to know."""

    shown_prefix: str
    report: Report
    skipped: frozenset[str]  # os paths that are not content at all
    tops: tuple[str, ...]  # real paths symlinks may lead into
    rules: PathRules
    found: Discovery = field(default_factory=Discovery)
    trail: _Trail = field(default_factory=lambda: _Trail())

    def run(self, folder: str) -> None:
        """Depth first, sorted by name, following symlinks but never around a loop.

        An explicit stack, not recursion: folders may nest deeper than Python's recursion
        limit. A loop is a folder met again inside itself; the same folder reached by two
        paths (two symlinks to it, or it and a symlink) is published at both, as Retype does."""
        pending: list[tuple[str, str, int, bool]] = [(folder, "", 0, False)]
        while pending:
            folder, rel_dir, depth, unlisted = pending.pop()
            self.trail.leave_to(depth)
            subfolders = self.read_folder(folder, rel_dir, unlisted)
            pending.extend((path, rel, depth + 1, left) for path, rel, left in reversed(subfolders))

    def read_folder(self, folder: str, rel_dir: str, unlisted: bool) -> list[tuple[str, str, bool]]:
        """Sort one folder's files into `found`; returns its subfolders, in order, and
        whether each is left out. In a left-out folder problems are not reported: no file
        of it is published unless a page links to it."""
        shown = _shown(self.shown_prefix, rel_dir)
        try:
            stat = os.stat(folder)
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            self.found.listings[folder] = [entry.name for entry in entries]
        except OSError as exc:
            if not unlisted:
                self.report.error(shown, 0, 0, f"cannot read folder: {exc.strerror}")
            return []
        if rel_dir and any(entry.name == OUTPUT_MARKER for entry in entries):
            if not unlisted:
                self.report.warning(
                    shown,
                    0,
                    0,
                    "this folder holds a site docsite built (an output folder used before): "
                    "it is not read as content",
                    "delete it, or list it in 'exclude'",
                )
            return []
        if not self.trail.enter((stat.st_dev, stat.st_ino)):
            if not unlisted:
                self.report.error(
                    shown,
                    0,
                    0,
                    "symlink loop: this folder is inside itself",
                    "remove the symlink that points back into its own parent",
                )
            return []
        subfolders = []
        for entry in entries:
            found = self.read_entry(entry, rel_dir, unlisted)
            if found is not None:
                subfolders.append(found)
        return subfolders

    def read_entry(
        self, entry: os.DirEntry, rel_dir: str, unlisted: bool
    ) -> tuple[str, str, bool] | None:
        """File a file where it belongs; a folder to read next is returned."""
        name = entry.name
        if self.skipped and entry.path in self.skipped:
            return None
        rel = f"{rel_dir}/{name}" if rel_dir else name
        if entry.is_symlink() and _leads_outside(entry.path, self.tops):
            if not unlisted:
                _report_outside(entry, _shown(self.shown_prefix, rel), self.report)
            return None
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        left_out = unlisted or self.rules.left_out(name, rel, is_dir)
        included = left_out and self.rules.included(rel, is_dir)
        if is_dir:
            if left_out and not included and name in _NEVER_READ:
                return None
            return (entry.path, rel, left_out and not included)
        if not _is_file(entry):
            if not left_out or included:
                _report_not_a_file(entry, _shown(self.shown_prefix, rel), self.report)
            return None
        source = SourceFile(rel, entry.path, _shown(self.shown_prefix, rel))
        if left_out and not included:
            self.found.unlisted[rel] = source
            return None
        suffix = file_suffix(name)
        if suffix == PAGE_SUFFIX:
            self.found.pages.append(source)
        elif suffix in SETTINGS_SUFFIXES:
            self.found.settings[rel] = source
        else:
            self.found.assets.append(source)
        return None


class _Trail:
    """The folders from the content folder down to the one being read, by identity: the
    stack pops a folder's children before its next sibling, so its depth says which of
    the folders read before are its ancestors."""

    def __init__(self) -> None:
        self.path: list[tuple[int, int]] = []
        self.on_path: set[tuple[int, int]] = set()

    def leave_to(self, depth: int) -> None:
        while len(self.path) > depth:
            self.on_path.discard(self.path.pop())

    def enter(self, identity: tuple[int, int]) -> bool:
        """False when the folder is already one of its own ancestors: a loop."""
        if identity in self.on_path:
            return False
        self.path.append(identity)
        self.on_path.add(identity)
        return True


def file_suffix(name: str) -> str:
    """`os.path.splitext(name)[1].lower()` of a file's name, at a third of its cost (a walk
    asks it of every file): the last dot starts the suffix, unless only dots come before."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 and name[:dot].lstrip(".") else ""


def _shown(prefix: str, rel: str) -> str:
    """How messages name a file: 'content/a.md', or 'a.md' when the content folder is '.'."""
    prefix = prefix.strip("/").removeprefix("./")
    return f"{prefix}/{rel}" if prefix not in ("", ".") else rel or "."


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _leads_outside(path: str, tops: tuple[str, ...]) -> bool:
    """Whether a symlink leads to an existing file or folder outside all of `tops`."""
    real = os.path.realpath(path)
    inside = any(real == top or real.startswith(top + os.sep) for top in tops)
    return not inside and os.path.exists(real)


def _report_outside(entry: os.DirEntry, shown: str, report: Report) -> None:
    """Publishing what a symlink leads to outside the project could leak any file."""
    try:
        target = os.readlink(entry.path)
    except OSError:
        target = "?"
    report.error(
        shown,
        0,
        0,
        f"symlink to '{target}', outside the project: it is not published",
        "symlinks in the content folder must point inside the project folder; "
        "copy the file in instead",
    )


def _report_not_a_file(entry: os.DirEntry, shown: str, report: Report) -> None:
    """A broken symlink, a symlink loop, a FIFO or a device: reading it would fail later
    (or block forever), so it is reported here, where it is found."""
    if entry.is_symlink():
        try:
            target = os.readlink(entry.path)
        except OSError:
            target = "?"
        try:
            os.stat(entry.path)
        except OSError as exc:
            problem = "is part of a symlink loop" if exc.errno == errno.ELOOP else "does not exist"
            report.error(
                shown,
                0,
                0,
                f"broken symlink: its target '{target}' {problem}",
                "fix the symlink or remove it",
            )
            return
    report.error(
        shown,
        0,
        0,
        "not a regular file (a pipe, socket or device): it cannot be published",
        "move it out of the content folder, or give it a name starting with '_'",
    )
