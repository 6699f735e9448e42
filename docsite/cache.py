"""The persistent build cache: what each page was built from, so rebuilds redo only what changed.

It lives in `.docsite-cache/` beside the config (git-ignored, safe to delete). Entries are keyed
by content hashes of a page's inputs; an entry from another docsite version, or one that cannot
be read, is ignored and the build starts over.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docsite import __version__

CACHE_DIR = ".docsite-cache"
# Bump when the shape of cached data or the meaning of a key changes.
CACHE_FORMAT = 4
CACHE_VERSION = f"{CACHE_FORMAT}:{__version__}:{sys.version_info[:2]}"


def digest(*parts: Any) -> str:
    """A short, stable hash of strings, bytes and reprs of plain data."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, bytes):
            data = part
        elif isinstance(part, str):
            data = b"s" + part.encode("utf-8", "surrogatepass")
        else:
            data = repr(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@dataclass
class PageRecord:
    """What one page's output was built from, and what it wrote."""

    markdown_key: str
    dependencies: dict[str, tuple]  # linked page rel -> what the link showed of it
    page_key: str
    output_path: str
    html_digest: str
    output_stat: tuple[int, int]  # size and mtime of the written file, to trust it is ours
    icons: frozenset[str]
    diagnostics: list  # the warnings it had, shown again when it is reused
    anchors: list[str]  # ids in its body, for links to page.md#anchor
    page_links: list[tuple[str, str, int, int]]  # its links to pages, for site-wide checks
    expanded: str | None = None  # the body with includes expanded, for the Markdown copy
    source_digest: str = ""  # of the page's file when this record was made
    search_digest: str = ""  # of the part of the page that search indexes


@dataclass
class InputsState:
    """The small part of the cache that decides whether a build has anything to do."""

    version: str = CACHE_VERSION
    output: str = ""  # the output folder these records describe
    inputs_digest: str = ""  # of every input of the last successful build
    diagnostics: list = field(default_factory=list)  # warnings of that build, shown again
    files: dict[str, tuple[str, tuple[int, int]]] = field(default_factory=dict)  # name -> digest
    # The identity of site/.docsite as this build left it: another build (--no-cache, or one
    # killed before it saved the cache) may have replaced the site since.
    marker: tuple[int, int, int] | None = None


@dataclass
class SettingsState:
    """Checked page settings by a hash of their YAML (pages.SettingsMemo). Kept in a file
    of their own: most builds change none, and then do not write them again."""

    parsed: dict = field(default_factory=dict)
    version: str = CACHE_VERSION


@dataclass
class CacheState(InputsState):
    pages: dict[str, PageRecord] = field(default_factory=dict)
    # Everything pages show besides their own file and links: when it is unchanged, a page
    # whose file is unchanged is reused without working out its keys.
    site_key: str = ""


class BuildCache:
    """Records per output folder (a build to site/ and watch mode's folder keep their own);
    parsed Markdown is shared, since it is keyed by content.

    The inputs and the page records are stored apart: a build with nothing to do reads only
    the first, small file."""

    def __init__(self, root: Path, output: Path, enabled: bool = True):
        self.folder = root / CACHE_DIR
        key = self.key = digest(str(output))[:12]
        self.index = self.folder / f"index-{key}.pickle"
        self.inputs_index = self.folder / f"inputs-{key}.pickle"
        self.enabled = enabled
        # The site a build replaced, kept for the next build to start from (docsite.output).
        self.spare: Path | None = self.folder / f"spare-{key}" if enabled else None
        self.notes: list[str] = []
        self.inputs: InputsState = (
            self._load(self.inputs_index, InputsState) if enabled else None
        ) or InputsState()
        self._state: CacheState | None = None if enabled else CacheState()

    @property
    def state(self) -> CacheState:
        if self._state is None:
            self._state = self._load(self.index, CacheState) or CacheState()
        return self._state

    def _load(self, index: Path, kind: type) -> Any:
        """The `kind` stored in `index`, or None when there is none that this version made."""
        if not index.is_file():
            return None
        try:
            with index.open("rb") as handle, collector_paused():
                state = pickle.load(handle)
        except Exception as exc:  # a cache is disposable: any damage means start over
            self.notes.append(
                f"cache ignored: {index} could not be read ({exc.__class__.__name__})"
            )
            return None
        if type(state) is not kind or state.version != CACHE_VERSION:
            found = getattr(state, "version", "unknown")
            self.notes.append(f"cache ignored: made by another version ({found})")
            return None
        return state

    def save(self, state: CacheState) -> None:
        if not self.enabled:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n")
        inputs = InputsState(
            output=state.output,
            inputs_digest=state.inputs_digest,
            diagnostics=state.diagnostics,
            files=state.files,
            marker=state.marker,
        )
        # The records first: inputs that promise "up to date" must never outlive them.
        self._dump(state, self.index)
        self._dump(inputs, self.inputs_index)
        self._state = state

    def forget_inputs(self) -> None:
        """The site on disk is no longer the build these inputs describe (watch mode just
        re-rendered a page in place): the next build checks every page instead of trusting
        "nothing changed"."""
        self.inputs_index.unlink(missing_ok=True)

    def _dump(self, value: Any, path: Path) -> None:
        temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        with temporary.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)

    def load_part(self, name: str, kind: type) -> Any:
        """A part of the cache kept in a file of its own, read only by the builds that use
        it; None when there is none."""
        return self._load(self.folder / f"{name}-{self.key}.pickle", kind) if self.enabled else None

    def save_part(self, name: str, value: Any) -> None:
        if self.enabled:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._dump(value, self.folder / f"{name}-{self.key}.pickle")

    def templates_dir(self) -> Path | None:
        """Where Jinja keeps compiled templates, or None without a cache."""
        if not self.enabled:
            return None
        folder = self.folder / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    # Rendered Markdown is kept per page, so a rebuild that only changes the chrome around a
    # page (its sidebar, its neighbours) reuses the parsed body.
    def _markdown_path(self, rel: str) -> Path:
        return self.folder / "markdown" / (digest(rel) + ".pickle")

    def load_markdown(self, rel: str, markdown_key: str) -> Any:
        if not self.enabled:
            return None
        try:
            with self._markdown_path(rel).open("rb") as handle:
                key, rendered = pickle.load(handle)
        except Exception:
            return None
        return rendered if key == markdown_key else None

    def store_markdown(self, rel: str, markdown_key: str, rendered: Any) -> None:
        if not self.enabled:
            return
        path = self._markdown_path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".tmp-{os.getpid()}")
        with temporary.open("wb") as handle:
            pickle.dump((markdown_key, rendered), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a cache is read or written: it would scan the
    hundreds of thousands of objects a large site's cache holds again and again (two
    thirds of the time of reading it), and they hold no cycles for it to find."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def file_stat(path: str | Path) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns


def file_entry(
    path: str | Path, name: str, known: dict[str, tuple[str, tuple[int, int]]]
) -> tuple[str, tuple[int, int]]:
    """(content hash, stat) of a file; an unchanged size and mtime reuse the hash recorded
    last time, as git does, so an unchanged project is not read in full."""
    stat = file_stat(path)
    previous = known.get(name)
    if previous is not None and previous[1] == stat:
        return previous
    with open(path, "rb") as handle:
        return content_digest(handle.read()), stat


def content_digest(data: bytes) -> str:
    """The hash a file's contents are known by in the cache."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
