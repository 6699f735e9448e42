"""The persistent build cache: what each page was built from, so rebuilds redo only what changed.

It lives in `.docsite-cache/` beside the config (git-ignored, safe to delete). Entries are keyed
by content hashes of a page's inputs; an entry from another docsite version, or one that cannot
be read, is ignored and the build starts over.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import marshal
import os
import pickle
import sys
import time
import zlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, TypeVar

from docsite import __version__
from docsite.libraries import library_versions
from docsite.output import SpareLedger, atomic_write, write_beside
from docsite.stamp import ENGINE_SUFFIXES, engine_files

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from docsite.forking import AsideAnswer

CACHE_DIR = ".docsite-cache"
# Bump when the shape of cached data or the meaning of a key changes.
CACHE_FORMAT = 12
# With the versions of the libraries that shape what a build writes (docsite.libraries): a
# cache made before one of them was upgraded is another engine's, and every page is made again.
CACHE_VERSION = (
    f"{CACHE_FORMAT}:{__version__}:{sys.version_info[:2]}:"
    + hashlib.blake2b(library_versions().encode(), digest_size=6).hexdigest()
)

# An input file as the cache knows it: (content hash, its signature: size, mtime, ctime, inode).
FileEntry = tuple[str, tuple[int, ...]]
# Set to 1 to hash every input file on every build, for file systems whose times lie.
HASH_ALL_ENV = "DOCSITE_HASH_ALL"
# A file changed this close to the moment it was hashed may change again with the same times
# (coarse timestamps: FAT's 2 s, ext3's 1 s): its signature is not trusted next time.
RACY_WINDOW_NS = 2_000_000_000


def digest(*parts: Any) -> str:
    """A short, stable hash of strings, bytes and other data (`_data_bytes`)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, bytes):
            data = part
        elif isinstance(part, str):
            data = b"s" + part.encode("utf-8", "surrogatepass")
        else:
            data = _data_bytes(part)
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


# marshal's format 2 writes no references: equal data gives equal bytes, whichever objects
# hold it (pickle's, and marshal's later formats, refer back to an object written before).
_MARSHAL_FORMAT = 2


def _data_bytes(value: Any) -> bytes:
    """Plain data (lists, tuples, dicts, strings, numbers, None) as marshal writes it, about
    three times faster than its repr, which escapes every string (a 5,000-page site's
    keys digest megabytes of it on every build); anything else (a dataclass) as its repr."""
    try:
        return b"m" + marshal.dumps(value, _MARSHAL_FORMAT)
    except ValueError:  # not plain data
        return b"r" + repr(value).encode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class PageRecord:
    """What one page's output was built from, and what it wrote. Frozen: the cache rewrites
    only the record files whose records are not the ones it read (`BuildCache.stage`), so a
    changed record is a new one (dataclasses.replace)."""

    markdown_key: str
    # Linked page rel -> what the link showed of it; file, read... -> what it was.
    dependencies: dict[str, tuple]
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
    backlinks: tuple = ()  # the pages linking to it it was rendered with (docsite.backlinks)

    def __getstate__(self) -> dict:
        """The fields, those of SELDOM_READ as one pickle of their own (see `_Unpacked`),
        with a copy of the dependencies that are no linked page (`input_dependencies`)."""
        state = dict(self.__dict__)
        if _PACKED in state:  # read as stored, and its packed fields not asked for since
            for name in SELDOM_READ:
                state.pop(name, None)
        else:
            inputs = _not_pages(state["dependencies"])
            fields = tuple(state.pop(name) for name in SELDOM_READ)
            state[_PACKED] = pickle.dumps(fields, pickle.HIGHEST_PROTOCOL)
            if inputs:
                state[_INPUTS] = inputs
        return state

    def input_dependencies(self) -> dict[str, tuple]:
        """Its dependencies but the pages it links to (whose keys have no ':', see
        docsite.keys): what a rebuild looks up of every page while the site key holds,
        which holds what a link shows of each page. Read without unpacking the others."""
        state = self.__dict__
        if _PACKED in state:
            return state.get(_INPUTS) or {}
        return _not_pages(state["dependencies"])


def link_targets(page_links: list[tuple[str, str, int, int]]) -> list[str]:
    """The pages a page links to (`PageRecord.page_links`), in its links' order: asked of
    every page of a rebuild whose site key changed (indexing each link, not unpacking it)."""
    return [link[0] for link in page_links]


def _not_pages(dependencies: dict[str, tuple]) -> dict[str, tuple]:
    return {key: value for key, value in dependencies.items() if ":" in key}


# The fields of a record a rebuild reads for few pages: those rendered again, the pages
# they link to, and the pages whose backlinks may change. The cache stores them as one
# pickle, unpickled the first time one of them is read: at 5,000 pages they are two thirds
# of the time of loading the records (the dependencies on linked pages a third), and a
# body edit reads them for one page.
SELDOM_READ = ("anchors", "page_links", "backlinks", "dependencies")
_PACKED = "packed"
_INPUTS = "inputs"  # a packed record's `input_dependencies`, when it has any


class _Unpacked:
    """A field of SELDOM_READ, taken from the record's packed pickle when first read."""

    def __init__(self, name: str, default: Any):
        self.name = name
        self.default = default

    def __get__(self, record: PageRecord | None, owner: type) -> Any:
        if record is None:
            return self.default  # the class's own: the field's default, as dataclasses set
        state = record.__dict__
        packed = state.get(_PACKED)
        if packed is not None:
            for name, value in zip(SELDOM_READ, pickle.loads(packed), strict=True):
                state.setdefault(name, value)
            state.pop(_PACKED, None)
            state.pop(_INPUTS, None)
        return state[self.name]


for _name in SELDOM_READ:
    setattr(PageRecord, _name, _Unpacked(_name, getattr(PageRecord, _name, None)))


@dataclass
class InputsState:
    """The small part of the cache that decides whether a build has anything to do."""

    version: str = CACHE_VERSION
    output: str = ""  # the output folder these records describe
    inputs_digest: str = ""  # of every input of the last successful build
    diagnostics: list = field(default_factory=list)  # warnings of that build, shown again
    files: dict[str, FileEntry] = field(default_factory=dict)  # by namespaced name
    # The identity of site/.docsite as this build left it: another build (--no-cache, or one
    # killed before it saved the cache) may have replaced the site since.
    marker: tuple[int, int, int] | None = None


@dataclass
class CacheState(InputsState):
    """What the last build was made of and wrote, for the next one to reuse."""

    pages: dict[str, PageRecord] = field(default_factory=dict)
    # Everything pages show besides their own file and links: when it is unchanged, a page
    # whose file is unchanged is reused without working out its keys.
    site_key: str = ""
    # The same but for the settings and titles of pages that are not a folder's own: when it
    # is unchanged, a page whose file is unchanged keeps its Markdown key.
    structure_key: str = ""
    # What the site-wide link checks said (docsite.checks), part of `diagnostics` too: the
    # next build says it again unless a page's links or anchors changed.
    link_checks: list = field(default_factory=list)
    spare: SpareLedger | None = None  # what the next build may know of its spare tree


# The page records, and the pages as read, are each kept in this many files, by a hash of
# the page's path: a build that changed a few pages writes those pages' files again only.
SPLIT_FILES = 32
# The pages as read are split finer: a build that takes the kept site reads the files of
# the pages changed since it was kept (up to lastsite.KEEP_AGAIN_AFTER of them) and writes
# that of the page it read again, 390 KB at 32 files for 5,000 pages, 100 KB at 128.
PAGES_READ_FILES = 128


# The name a split part without pages goes by: no file holds it.
EMPTY_PART = ""


def split_file_of(rel: str, count: int = SPLIT_FILES) -> int:
    """Which of its `count` files a split part keeps the page at `rel` in (stable across
    runs)."""
    return zlib.crc32(rel.encode("utf-8", "surrogatepass")) % count


@dataclass
class _SplitFiles:
    """A dict by page path kept in `count` files named `<prefix>-<number>-<hash of the
    contents>.pickle`: a file is written again only when its values are not the very
    objects read from it or written to it (values are replaced, never changed)."""

    prefix: str
    count: int = SPLIT_FILES
    # Each file's name and values as read or written; None: not read (`load_pages_read_of`).
    files: list[tuple[str, dict[str, Any] | None]] = field(default_factory=list)


def _same_build(state: InputsState, inputs: InputsState) -> bool:
    """Whether the inputs file is that of the build whose state the index file holds (a
    later build with nothing to do may have saved newer signatures of the same files)."""
    return (state.inputs_digest, state.output, state.marker) == (
        inputs.inputs_digest,
        inputs.output,
        inputs.marker,
    )


@dataclass
class _StoredIndex:
    """The index file: the state without its page records, and the names of the files in
    the cache folder that hold them (`_SplitFiles`), nor its input files, which the inputs
    file holds (`InputsState.files`: pickled and read once, not twice)."""

    state: CacheState
    record_files: list[str]
    version: str = CACHE_VERSION


@dataclass
class _StoredPages:
    """The index of the pages as read (`pages.PageMemo`): the files that hold them, and the
    docsite that read them (another may read the same files otherwise)."""

    files: list[str]
    engine: str
    version: str = CACHE_VERSION


class BuildCache:
    """Records per output folder (a build to site/ and watch mode's folder keep their own);
    parsed Markdown is shared, since it is keyed by content.

    The inputs and the page records are stored apart: a build with nothing to do reads only
    the first, small file. The records are split over files of their own (`_SplitFiles`)."""

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
        self._records = _SplitFiles(f"records-{key}")
        self._pages_read = _SplitFiles(f"pages-{key}", PAGES_READ_FILES)
        self.pages_index = self.folder / f"pages-{key}.pickle"
        self._pages_stored: _StoredPages | Literal[False] | None = None  # None: not looked at
        self.markdown_dir = self.folder / "markdown"
        if enabled and not _ENGINE_DIGEST:
            _ENGINE_DIGEST.append(recall_engine_digest(self.folder))

    @property
    def state(self) -> CacheState:
        if self._state is None:
            self._state = self._load_index() or CacheState()
        return self._state

    def _load_index(self) -> CacheState | None:
        """The state with the records of every record file, or None (no cache, or a part
        missing or unreadable: a cache is whole or ignored)."""
        stored = self._load(self.index, _StoredIndex)
        if stored is None or not _same_build(stored.state, self.inputs):
            return None
        records = self._load_split(self._records, stored.record_files)
        if records is None:
            return None
        stored.state.pages = records
        stored.state.files = dict(self.inputs.files)  # stored once, in the inputs file
        return stored.state

    def _load_split(self, split: _SplitFiles, names: list[str]) -> dict[str, Any] | None:
        """The dict kept in the files `names`; None when one is missing or unreadable."""
        if len(names) != split.count:
            return None
        files: list[tuple[str, dict[str, Any]]] = []
        for name in names:
            if name == EMPTY_PART:
                files.append((name, {}))
                continue
            path = self.folder / name
            if not path.is_file():
                self.notes.append(f"cache ignored: {path} is missing")
                return None
            part = self._load(path, dict)
            if part is None:
                return None
            files.append((name, part))
        found: dict[str, Any] = {}
        for _, part in files:
            found.update(part)
        split.files = files
        return found

    def load_pages_read(self) -> dict[str, Any]:
        """The pages as the last build read them (`pages.PageMemo`), if this docsite did."""
        stored = self._stored_pages()
        self._pages_read.files = []  # whatever `load_pages_read_of` read before
        if stored is None:
            return {}
        return self._load_split(self._pages_read, stored.files) or {}

    def load_pages_read_of(self, rels: Collection[str]) -> dict[str, Any] | None:
        """`load_pages_read` of the files that keep the pages at `rels` alone (their other
        pages too); None when the cache keeps none or one is missing. Staging the pages
        then writes those files alone, as it finds them, and keeps the others unread: the
        build changed none of their pages (docsite.build.lastsite)."""
        stored = self._stored_pages()
        split = self._pages_read
        if stored is None or len(stored.files) != split.count:
            return None
        wanted = {split_file_of(rel, split.count) for rel in rels}
        files: list[tuple[str, dict[str, Any] | None]] = []
        found: dict[str, Any] = {}
        for number, name in enumerate(stored.files):
            if name == EMPTY_PART or number not in wanted:
                files.append((name, {} if name == EMPTY_PART else None))
                continue
            path = self.folder / name
            part = self._load(path, dict) if path.is_file() else None
            if part is None:
                return None
            files.append((name, part))
            found.update(part)
        self._pages_read.files = files
        return found

    def has_pages_read(self) -> bool:
        """Whether the cache keeps pages as read by this docsite (the small index only)."""
        return self._stored_pages() is not None

    def _stored_pages(self) -> _StoredPages | None:
        """The index of the pages as read, looked at once (its notes said once)."""
        if self._pages_stored is None and self.enabled:
            stored = self._load(self.pages_index, _StoredPages)
            fresh = stored is not None and stored.engine == engine_digest()
            self._pages_stored = stored if fresh else False
        return self._pages_stored or None

    def stage_pages(
        self, records: dict[str, PageRecord], pages_read: dict[str, Any], aside: bool = False
    ) -> StagedPages:
        """Write what the cache keeps of each page, its record and the page as this build
        read it, ahead of the rest of the cache (`stage`): a build does it while Pagefind
        makes the last files of the search index. `aside`: a core is free for it, and the
        files of many pages are then pickled and written by a forked process (`_PartsAside`)
        while the build goes on, until `stage` (a fresh build's last single-core stretch:
        75 ms of 1,000 pages, 270 of 5,000)."""
        ahead = StagedPages(StagedCache(), records)
        if not self.enabled:
            return ahead
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            plans = (
                self._plan_split(self._records, records),
                self._plan_split(self._pages_read, pages_read),
            )
            if aside and sum(plan.work() for plan in plans) >= PAGES_ASIDE:
                ahead.aside = _PartsAside.start(self, plans)
            if ahead.aside is None:
                self._pages_staged(
                    ahead, plans, [self._write_parts(ahead.staged, p) for p in plans]
                )
            else:
                ahead.plans = plans
        except BaseException:
            self.discard_pages(ahead)
            raise
        return ahead

    def _pages_staged(
        self, ahead: StagedPages, plans: tuple[_SplitPlan, ...], written: list[_Written]
    ) -> None:
        """The pages' part staged, its files written (`written`: each plan's, by number)."""
        ahead.record_files = self._named(ahead.staged, plans[0], written[0])
        files = self._named(ahead.staged, plans[1], written[1])
        stored = _StoredPages([name for name, _ in files], engine_digest())
        ahead.staged.add(self._write_temporary(stored, self.pages_index), self.pages_index)

    def _finish_pages(self, ahead: StagedPages) -> None:
        """The files the forked process wrote put in `ahead` (if it wrote them all, else
        written here)."""
        aside, plans, ahead.aside, ahead.plans = ahead.aside, ahead.plans, None, ()
        if aside is None:
            return
        written = aside.result()
        if written is None:  # it failed: what it wrote, it removed
            written = [self._write_parts(ahead.staged, plan) for plan in plans]
        else:
            for parts in written:
                for name, temporary in parts.values():
                    if temporary is not None:
                        ahead.staged.add(temporary, self.folder / name)
        self._pages_staged(ahead, plans, written)

    def discard_pages(self, ahead: StagedPages) -> None:
        """Remove what was staged of the pages (the forked process's files too)."""
        aside, ahead.aside, ahead.plans = ahead.aside, None, ()
        written = aside.result() if aside is not None else None
        for parts in written or []:
            for _, temporary in parts.values():
                if temporary is not None:
                    with contextlib.suppress(OSError):
                        temporary.unlink()
        ahead.staged.discard()

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
        if kind is dict:  # a record file: its index file said which version made it
            if type(state) is dict:
                return state
            self.notes.append(f"cache ignored: {index} is not a record file")
            return None
        if type(state) is not kind or state.version != CACHE_VERSION:
            found = getattr(state, "version", "unknown")
            self.notes.append(f"cache ignored: made by another version ({found})")
            return None
        return state

    def stage(self, state: CacheState, ahead: StagedPages | None = None) -> StagedCache:
        """Write the cache for `state` beside its files, to be put in place by `commit` once
        the site is swapped: every write that may fail (a full disk) happens before the swap,
        so a build that fails leaves the old site and the old cache together. `ahead`: the
        pages' part, staged already for these records (`stage_pages`)."""
        if ahead is not None:
            self._finish_pages(ahead)
        staged = ahead.staged if ahead is not None else StagedCache()
        if not self.enabled:
            self._state = state
            return staged
        try:
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
            if ahead is not None and ahead.records is state.pages:
                files = ahead.record_files
            else:
                files = self._stage_split(staged, self._records, state.pages)
            stored = _StoredIndex(replace(state, pages={}, files={}), [name for name, _ in files])
            staged.add(self._write_temporary(stored, self.index), self.index)
            staged.add(self._write_temporary(inputs, self.inputs_index), self.inputs_index)
        except BaseException:
            staged.discard()
            raise
        self._state = state
        return staged

    def _stage_split(
        self, staged: StagedCache, split: _SplitFiles, values: dict[str, Any]
    ) -> list[tuple[str, dict[str, Any] | None]]:
        """Write the files of `split` whose values changed since they were read or written
        (`_plan_split`), and stage them."""
        plan = self._plan_split(split, values)
        return self._named(staged, plan, self._write_parts(staged, plan))

    def _plan_split(self, split: _SplitFiles, values: dict[str, Any]) -> _SplitPlan:
        """Which files of `split` are written again: those whose values changed since they
        were read or written; the others are kept as they are."""
        parts: list[dict[str, Any]] = [{} for _ in range(split.count)]
        for rel, value in values.items():
            parts[split_file_of(rel, split.count)][rel] = value
        files: list[tuple[str, dict[str, Any] | None] | None] = []
        for number, part in enumerate(parts):
            known = split.files[number] if split.files else None
            if known is not None and known[1] is None and not part:
                files.append(known)  # not read (`load_pages_read_of`), so not changed
            elif known is not None and known[1] is not None and _same_values(known[1], part):
                files.append(known)
            elif not part:  # a small site leaves most parts empty: no file for those
                files.append((EMPTY_PART, part))
            else:
                files.append(None)
        return _SplitPlan(split, parts, files)

    def _write_parts(self, staged: StagedCache, plan: _SplitPlan) -> _Written:
        """The plan's changed files written beside their places, and staged."""
        written: _Written = {}
        for number in plan.changed():
            written[number] = name, temporary = self._write_part(plan, number)
            if temporary is not None:
                staged.add(temporary, self.folder / name)
        return written

    def _write_part(self, plan: _SplitPlan, number: int) -> tuple[str, Path | None]:
        """A changed file of the plan, named by its contents, and where it was written beside
        its place (None: a file of that name holds these bytes already). Named so, files put
        in place before the index that names them never replace a file the last index names."""
        with collector_paused():
            data = pickle.dumps(plan.parts[number], protocol=pickle.HIGHEST_PROTOCOL)
        name = f"{plan.split.prefix}-{number:02d}-{content_digest(data)}.pickle"
        path = self.folder / name
        return name, None if path.is_file() else self._write_temporary(data, path)

    def _named(
        self, staged: StagedCache, plan: _SplitPlan, written: _Written
    ) -> list[tuple[str, dict[str, Any] | None]]:
        """The split's files as the index names them, once `written` (by number)."""
        files = [
            known if known is not None else (written[number][0], plan.parts[number])
            for number, known in enumerate(plan.files)
        ]
        staged.on_commit(lambda: self._split_written(plan.split, files))
        return files

    def _split_written(
        self, split: _SplitFiles, files: list[tuple[str, dict[str, Any] | None]]
    ) -> None:
        """The index naming `files` is in place: the files of `split` it does not name go."""
        split.files = files
        named = {name for name, _ in files}
        with contextlib.suppress(OSError), os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name.startswith(split.prefix + "-") and entry.name not in named:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def stage_part(self, staged: StagedCache, name: str, value: Any) -> None:
        """Add a part of the cache (see `load_part`) to what `staged` puts in place."""
        if self.enabled:
            self.stage_written_part(staged, name, self.write_part(name, value))

    def write_part(self, name: str, value: Any) -> Path:
        """A part of the cache written to a temporary file beside its place, for
        `stage_written_part`: another process may write it (docsite.search.aside)."""
        return self._write_temporary(value, self._part_path(name))

    def stage_written_part(self, staged: StagedCache, name: str, temporary: Path) -> None:
        """Add a part that `write_part` wrote to what `staged` puts in place."""
        staged.add(temporary, self._part_path(name))

    def drop_part(self, staged: StagedCache, name: str) -> None:
        """Remove a part of the cache once `staged` is put in place: what it describes is
        gone with the site replaced."""
        path = self._part_path(name)

        def drop() -> None:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)

        staged.on_commit(drop)

    def _part_path(self, name: str) -> Path:
        return self.folder / f"{name}-{self.key}.pickle"

    def save(self, state: CacheState) -> None:
        self.stage(state).commit()

    def save_inputs(self, inputs: InputsState) -> None:
        """Record new file signatures for unchanged contents (files touched, or hashed again
        because they had just changed): the next build need not read them again."""
        if self.enabled and self.folder.is_dir():
            staged = StagedCache()
            staged.add(self._write_temporary(inputs, self.inputs_index), self.inputs_index)
            staged.commit()

    def settle_inputs(self, settled: dict[str, FileEntry]) -> None:
        """Inputs hashed while their times were too recent to trust, since read again with
        the same contents and times old enough (docsite.build.nochange): the inputs as saved
        take these signatures, so that the next build does not read those files again."""
        inputs = self._load(self.inputs_index, InputsState) if self.enabled and settled else None
        if inputs is None:
            return
        taken = {
            name: entry
            for name, entry in settled.items()
            if (saved := inputs.files.get(name)) is not None
            and saved[0] == entry[0]
            and saved[1][1] == -1  # saved as racy (InputHasher.entry)
        }
        if taken:
            inputs.files = inputs.files | taken
            self.save_inputs(inputs)

    def forget_inputs(self) -> None:
        """The site on disk is no longer the build these inputs describe (watch mode just
        re-rendered a page in place): the next build checks every page instead of trusting
        "nothing changed"."""
        self.inputs_index.unlink(missing_ok=True)

    def _dump(self, value: Any, path: Path) -> None:
        atomic_write(path, _pickled(value))

    def _write_temporary(self, value: Any, path: Path) -> Path:
        """`value` pickled (bytes: as they are) into a temporary file beside `path`. Whatever
        is at `path` must be a file the rename can replace: a folder there fails now, before
        the site is swapped, rather than after."""
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(errno.EISDIR, "a folder is in the way", str(path))
        return write_beside(path, value if isinstance(value, bytes) else _pickled(value))

    def load_part(self, name: str, kind: type) -> Any:
        """A part of the cache kept in a file of its own, read only by the builds that use
        it; None when there is none."""
        return self._load(self._part_path(name), kind) if self.enabled else None

    def save_part(self, name: str, value: Any) -> None:
        if self.enabled:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._dump(value, self._part_path(name))

    def clean_temporary(self) -> None:
        """Remove temporary files this process left in the cache (a write that failed)."""
        if self.folder.is_dir():
            for leftover in self.folder.glob(f"*.tmp-{os.getpid()}"):
                with contextlib.suppress(OSError):
                    leftover.unlink()

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
        return self.markdown_dir / (digest(rel) + ".pickle")

    def load_markdown(self, rel: str, markdown_key: str) -> Any:
        kept = self._kept_markdown(rel)
        return kept[1] if kept is not None and kept[0] == markdown_key else None

    def code_of_last_parse(self, rel: str) -> dict[str, str]:
        """The code blocks the page's last parse kept highlighted (`Rendered.code`), whatever
        its key: those of a page edited since, to take again where its code is unchanged."""
        kept = self._kept_markdown(rel)
        try:
            code = kept[1][0].code  # type: ignore[index]
        except (TypeError, IndexError, AttributeError):
            return {}
        return code if isinstance(code, dict) else {}

    def _kept_markdown(self, rel: str) -> tuple[str, Any] | None:
        """The page's kept parse and its Markdown key; None when there is none, or it is
        damaged (the cache is disposable)."""
        if not self.enabled:
            return None
        try:
            with self._markdown_path(rel).open("rb") as handle:
                key, parsed = pickle.loads(zlib.decompress(handle.read()))
        except Exception:
            return None
        return key, parsed

    def store_markdown(
        self, rel: str, markdown_key: str, rendered: Any, record: bytes | None = None
    ) -> None:
        """Keep a page's parsed Markdown; a cache that cannot be written (a full disk, the
        folder deleted meanwhile) costs the next build a re-parse, never this build.
        `record`: `markdown_record` of the two, when the caller has it already."""
        if not self.enabled:
            return
        path = self._markdown_path(rel)
        # Compressed: mostly HTML, it shrinks to a third (a 4 KB file to one disk block),
        # for a few microseconds of a page's milliseconds.
        data = zlib.compress(record or markdown_record(markdown_key, rendered), 1)
        try:
            try:
                _write_in_place(path, data)
            except FileNotFoundError:  # no folder yet: made on the first store, not on each
                path.parent.mkdir(parents=True, exist_ok=True)
                _write_in_place(path, data)
        except OSError:
            pass


def _write_in_place(path: Path, data: bytes) -> None:
    """Write a kept parse over its last version, without a temporary file and a rename
    (half the system calls, for each of a fresh build's pages). A zlib stream ends with a
    checksum of what it holds: a file cut short (a build stopped while writing it), or
    mixed by two builds writing it at once, is damaged to `_kept_markdown` and parsed
    again. One build's whole stream with the tail of a longer one after it reads whole:
    zlib stops where the stream ends."""
    with open(path, "wb") as handle:
        handle.write(data)


def markdown_record(markdown_key: str, rendered: Any) -> bytes:
    """A page's parse as the cache keeps it (before compression)."""
    return pickle.dumps((markdown_key, rendered), pickle.HIGHEST_PROTOCOL)


def _same_values(before: dict[str, Any], now: dict[str, Any]) -> bool:
    """Whether `now` holds the very objects of `before`, for the same pages."""
    return before.keys() == now.keys() and all(now[rel] is value for rel, value in before.items())


class StagedCache:
    """Cache files written under temporary names, put in place only after the site swap."""

    def __init__(self) -> None:
        self.moves: list[tuple[Path, Path]] = []
        self.committed: list[Callable[[], None]] = []

    def add(self, temporary: Path, path: Path) -> None:
        """Put `temporary` at `path` on commit."""
        self.moves.append((temporary, path))

    def on_commit(self, then: Callable[[], None]) -> None:
        """Call `then` once the files are in place."""
        self.committed.append(then)

    def commit(self) -> None:
        """Rename each file into place (renames need no free space); on a failure the rest
        are removed, and so are the inputs, so the next build checks every page."""
        try:
            for temporary, path in self.moves:
                os.replace(temporary, path)
        except OSError:
            self.discard()
            for _, path in self.moves:
                if path.name.startswith("inputs-"):
                    with contextlib.suppress(OSError):
                        path.unlink()
            raise
        self.moves = []
        for then in self.committed:
            then()
        self.committed = []

    def discard(self) -> None:
        """Remove the temporary files: the build failed, the old cache stays."""
        for temporary, _ in self.moves:
            with contextlib.suppress(OSError):
                temporary.unlink()
        self.moves, self.committed = [], []


@dataclass
class StagedPages:
    """The pages' part of the cache, staged ahead of the rest (`BuildCache.stage_pages`):
    `record_files` are the files of `records`, which `stage` then names in its index. While
    a forked process writes them (`aside`), `plans` says what it writes."""

    staged: StagedCache
    records: dict[str, PageRecord]
    record_files: list[tuple[str, dict[str, Any] | None]] = field(default_factory=list)
    aside: _PartsAside | None = None
    plans: tuple[_SplitPlan, ...] = ()


# Each changed file of a split written: its name, and where it was written beside its place
# (None: a file of that name was there already), by its number in the split.
_Written = dict[int, tuple[str, Path | None]]


@dataclass
class _SplitPlan:
    """What a split's files are to be: `files` holds each file kept as it is, and None for
    each to write again, with the values of `parts` at its number."""

    split: _SplitFiles
    parts: list[dict[str, Any]]
    files: list[tuple[str, dict[str, Any] | None] | None]

    def changed(self) -> list[int]:
        return [number for number, known in enumerate(self.files) if known is None]

    def work(self) -> int:
        """The values the changed files hold: what writing them costs."""
        return sum(len(self.parts[number]) for number in self.changed())


# Values (records and pages as read) from which a build with a core to spare pickles and
# writes them in a forked process (a fork costs a few milliseconds; 1,000 values about 35).
PAGES_ASIDE = 1000
# How long the build waits for that process (it takes a fraction of a second).
PAGES_ASIDE_SECONDS = 60.0


class _PartsAside:
    """A forked process writing the changed files of some splits (`BuildCache._write_part`),
    which sends back their names and temporary paths; nothing if it failed (the build then
    writes them itself), and what it wrote is removed, by it or, if it was killed, here."""

    def __init__(self, aside: AsideAnswer, folder: Path):
        self._aside = aside
        self._folder = folder

    @staticmethod
    def start(cache: BuildCache, plans: tuple[_SplitPlan, ...]) -> _PartsAside | None:
        from docsite.forking import ask_aside  # loaded by a build that renders only

        aside = ask_aside(_write_aside, (cache, plans), "docsite-cache")
        return _PartsAside(aside, cache.folder) if aside is not None else None

    def result(self) -> list[_Written] | None:
        """Each plan's files written, or None (the process failed, or took too long)."""
        answer = self._aside.answer(PAGES_ASIDE_SECONDS)
        if answer is None:  # what it wrote before it was killed (`write_beside`'s names)
            for leftover in self._folder.glob(f"*.tmp-{self._aside.process.pid}"):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        return answer


def _write_aside(sender: Connection, cache: BuildCache, plans: tuple[_SplitPlan, ...]) -> None:
    """The forked process: the plans' changed files written, their names and temporary
    paths sent back; on a failure, what it wrote is removed and nothing is sent."""
    staged = StagedCache()
    try:
        sender.send([cache._write_parts(staged, plan) for plan in plans])
    except BaseException:
        staged.discard()
        raise
    finally:
        sender.close()


@dataclass
class _LoadedObjects:
    """How the loaded cache's objects are kept out of the cycle collector's walks."""

    frozen: bool = False  # frozen out of the collector's walks once loaded
    # Garbage collected before freezing (watch mode): frozen garbage is never freed, and a
    # template's leftover render context holds a whole site in a cycle.
    collected: bool = False


_loaded = _LoadedObjects()


def freeze_what_is_loaded() -> None:
    """For a process that builds once and ends: what is read under `collector_paused`
    (the cache, the search index) lives until the end, so it then leaves the collector's
    walks for good (gc.freeze). Else the first collection after a read walks all of it
    (0.14 s of a one-page rebuild at 5,000 pages), and frees nothing."""
    _loaded.frozen = True


# The collector's thresholds for a build: container objects allocated (net) between two
# collections of the youngest generation (Python's default: 700), then how many collections
# of each generation before the next one's (default: 10 and 10). A build's objects mostly
# live as long as it does: collecting at the default pace walks them again and again and
# frees little.
SELDOM_COLLECTION = (100_000, 20, 20)


@contextlib.contextmanager
def collecting_seldom() -> Iterator[None]:
    """The block runs with the collector at a build's pace, and what it reads from a cache
    frozen out of the collector's walks (`collector_paused`), the garbage collected first;
    then as it was. For a process that goes on after the block (watch mode): what it lets
    go is freed then, if frozen garbage holds none of it."""
    before, loaded = gc.get_threshold(), replace(_loaded)
    gc.set_threshold(*SELDOM_COLLECTION)
    _loaded.frozen = _loaded.collected = True
    try:
        yield
    finally:
        gc.set_threshold(*before)
        _loaded.frozen, _loaded.collected = loaded.frozen, loaded.collected


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
        if _loaded.frozen:
            if _loaded.collected:
                gc.collect()  # what is not frozen yet: milliseconds
            gc.freeze()
        if enabled:
            gc.enable()


def file_stat(path: str | Path) -> tuple[int, int]:
    return stat_of(os.stat(path))


def stat_of(found: os.stat_result) -> tuple[int, int]:
    """What a written file's record keeps of its stat (PageRecord.output_stat)."""
    return found.st_size, found.st_mtime_ns


class InputHasher:
    """Content hashes of the input files. A file's signature (size, mtime, ctime, inode)
    stands in for reading it only when it matches the last build's and was already old when
    that build hashed it: ctime changes on every write and `touch`, even when mtime is set
    back (cp -p, rsync -t, tar), and a file changed within a timestamp's granularity of its
    hashing is hashed again, as git and Mercurial treat "racy" entries."""

    def __init__(self, known: dict[str, FileEntry], hash_all: bool = False):
        self.known = known
        self.hash_all = hash_all
        self.started_ns = time.time_ns()
        # Every path signed, by os path: (signature, content hash, whether the signature is
        # old enough to trust), or None for a file found missing; for docsite.build.nochange.
        self.seen: dict[str, tuple[tuple[int, ...], str, bool] | None] = {}
        # The inputs hashed while too recent to trust, by name: their os paths.
        self.racy: dict[str, str] = {}

    def entry(self, path: str | Path, name: str) -> FileEntry:
        signature = file_signature(path)
        previous = self.known.get(name)
        if previous is not None and previous[1] == signature and not self.hash_all:
            # The entry's own signature, equal to the one just read: one object for both,
            # which a pickle of the two keeps once (build.scanning).
            self.seen[os.fspath(path)] = (previous[1], previous[0], True)
            return previous
        with open(path, "rb") as handle:
            data = handle.read()
        hashed = content_digest(data)
        racy = max(signature[1], signature[2]) > self.started_ns - RACY_WINDOW_NS
        self.seen[os.fspath(path)] = (signature, hashed, not racy)
        if racy:
            self.racy[name] = os.fspath(path)
            signature = (signature[0], -1, -1, -1)  # racy: never matches, so read again
        return hashed, signature

    def read_otherwise(self, path: str | Path) -> None:
        """Note a file the build read with other contents than it hashed (saved while the
        build ran): no signature of it is vouched for (docsite.build.nochange)."""
        self.seen[os.fspath(path)] = ((-1, -1, -1, -1), "", False)

    def missing(self, path: str | Path) -> None:
        """Note a file read as missing: one appearing there is a change."""
        self.seen[os.fspath(path)] = None


def file_signature(path: str | Path) -> tuple[int, int, int, int]:
    """What tells an input file changed without reading it: size, mtime, ctime, inode."""
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def hash_all_requested() -> bool:
    """Whether the environment asks to hash every input (DOCSITE_HASH_ALL=1)."""
    return os.environ.get(HASH_ALL_ENV, "").strip().lower() not in ("", "0", "false", "no")


def content_digest(data: bytes) -> str:
    """The hash a file's contents are known by in the cache."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_ENGINE_DIGEST: list[str] = []
_ENGINE_PACKAGE = Path(__file__).resolve().parent
_ENGINE_MEMO = "engine-"


Made = TypeVar("Made")


def made_once(
    path: Path | None,
    make: Callable[[], Made],
    encode: Callable[[Made], bytes],
    decode: Callable[[bytes], Made],
    replaces: str = "",
) -> Made:
    """What `make` returns, kept in the file `path` for the builds after (named by what
    makes it, so never stale): read from there when it is, else made and written, and the
    files of its folder that `replaces` matches (the same kind, made of other inputs) go. A
    file that cannot be read (not made yet, damaged) is made again; one that cannot be
    written costs the next build a remake, never this one. Without a path, made each time."""
    if path is not None:
        try:
            return decode(path.read_bytes())
        except Exception:  # the cache is disposable: any damage means make it again
            pass
    made = make()
    if path is not None:
        with contextlib.suppress(OSError):
            atomic_write(path, encode(made))
            for other in path.parent.glob(replaces) if replaces else ():
                if other.name != path.name:
                    other.unlink(missing_ok=True)
    return made


def engine_digest() -> str:
    """A hash of docsite's own code, so a changed engine never reuses cached output."""
    if not _ENGINE_DIGEST:
        _ENGINE_DIGEST.append(sources_digest(_ENGINE_PACKAGE))
    return _ENGINE_DIGEST[0]


def sources_digest(package: Path) -> str:
    """The hash of a package's own files (its modules and data: ENGINE_SUFFIXES), each
    one's path and bytes."""
    sources = sorted(
        path
        for path in package.rglob("*")
        if path.name.endswith(ENGINE_SUFFIXES) and "__pycache__" not in path.parts
    )
    # Each file's path and bytes as parts of their own: bytes are hashed as they are,
    # where a repr of the whole package's would spell out every byte first.
    return digest(
        *(part for p in sources for part in (p.relative_to(package).as_posix(), p.read_bytes()))
    )


def sources_signature(package: Path) -> str:
    """What tells a package's own files changed without reading them: the signature of
    each, as the no-change stamp trusts docsite's own (`stamp.engine_files`)."""
    files, _ = engine_files(os.fspath(package))
    return digest(sorted(files.items()))


def recall_engine_digest(folder: Path, package: Path = _ENGINE_PACKAGE) -> str:
    """docsite's hash as `engine_digest` gives it, kept in a project's cache `folder` under
    the signature of the files it was made from: hashing the sources reads 1.4 MB, about
    10 ms of every build, where their signatures take 2-3 ms. A build sets it for the process
    before anything asks (`BuildCache`)."""
    signature = sources_signature(package)
    memo = folder / (_ENGINE_MEMO + signature)
    try:
        known = memo.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        known = ""
    if len(known) == 32 and all(c in "0123456789abcdef" for c in known):
        return known
    found = sources_digest(package)
    if folder.is_dir() and sources_signature(package) == signature:  # unchanged meanwhile
        with contextlib.suppress(OSError):
            atomic_write(memo, found.encode("ascii"))
            with os.scandir(folder) as entries:  # the memos of other versions go
                for entry in entries:
                    if entry.name.startswith(_ENGINE_MEMO) and entry.name != memo.name:
                        os.unlink(entry.path)
    return found


def _pickled(value: Any) -> Callable[[BinaryIO], None]:
    """A writer of `value` as a pickle, for atomic_write."""

    def dump(handle: BinaryIO) -> None:
        with collector_paused():
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)

    return dump
