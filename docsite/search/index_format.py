"""Pagefind's index as data: read from the files Pagefind wrote, patched page by page, written
back in one fixed form.

Written for Pagefind 1.5.2, and used only with the versions `pagefind_client.WRITTEN_FOR` lists:
with another, the files are written as Pagefind gave them and the site is indexed whole.

Pagefind (1.5.2) has no incremental mode: re-indexing a 5,000-page site takes about 8 s. So a
build reads the index into postings (each word, the pages it is on and where), and the next
build indexes only the pages whose indexed part changed, alone, and moves their entries into
the postings (`PagefindIndex.update`). `write` lays the files out as Pagefind does: the same
CBOR, chunks and names. Two things are docsite's own, whole or patched, so the bytes depend only
on the pages: the lists Pagefind writes in hash-map order (filters and their values) are
sorted, and every file but a page's fragment is compressed here.

Each file is gzip of b"pagefind_dcd" + CBOR (a fragment: + JSON):
- `pagefind.<name>.pf_meta`: [version, [[fragment, word count]] in page-number order,
  [[from, to, chunk]], [[filter, file]], sorts, meta fields];
- `index/<name>.pf_index`: [[[word, entries, [[form, entries]]]]], words sorted, cut into
  chunks of about 20,000 locations; an entry is [page number - the previous entry's, locations,
  meta locations]; a form is how the word was written when that differs (with diacritics);
- `filter/<name>.pf_filter`: [filter, [[value, [page numbers]]]];
- `fragment/<name>.pf_fragment`: the page's JSON (url, content, filters, meta, anchors).
A name is the language, "_" and the start of the SHA-1 of the CBOR (or JSON) in Pagefind's hex.
"""

from __future__ import annotations

import array
import bisect
import gzip
import hashlib
import io
import itertools
import json
import struct
import zlib
from collections.abc import Container, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import cbor2

from docsite.search.pagefind_client import ENTRY_FILE

SIGNATURE = b"pagefind_dcd"
META_ITEMS = 6  # version, pages, chunks, filters, sorts, meta fields
# Pagefind closes a chunk once its words hold this many locations (locations + meta
# locations + 1 per page).
CHUNK_WEIGHT = 20000
HASH_DIGITS = 7  # of a chunk, filter or fragment name; a meta name has len(language) + 8
# Compression of the files written here, with a gzip header that holds no time, so every
# machine writes the same bytes. Level 4: an edit that moves a page's words (a paragraph
# inserted) writes every chunk again, and a fresh build writes them all; at 5,000 pages of a
# 20,000-word vocabulary, 8.6 MB of chunks take 135 ms at level 4 against 586 ms at zlib's
# default (6), for 5.9% more bytes (3.83 MB against 3.62): a few hundred bytes more on each
# chunk a search loads.
LEVEL = 4
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
# Up to this many pages merged into or removed from a word's list, each is spliced in;
# beyond, the list is rebuilt in one pass.
FEW = 8
# The parts of an index entry: [page delta, locations, meta locations].
ENTRY_HEADER = b"\x83"
# CBOR's major types of the word index's heads.
CBOR_TEXT = 3
CBOR_ARRAY = 4


class IndexFormatError(ValueError):
    """The index is not laid out as this module expects (another Pagefind version?)."""


class CannotPatch(ValueError):
    """The changed pages cannot be merged into the index: it has to be built whole."""


@dataclass
class Posting:
    """The pages one word is on, in page-number order, with Pagefind's entry for each:
    CBOR [page - the previous page in this list, locations, meta locations]. Kept as arrays
    and one byte string, so the cache loads in milliseconds."""

    pages: array.array  # of page numbers
    sizes: array.array  # of each entry's length in `entries`
    entries: bytearray  # the entries, one after another
    weight: int  # locations + meta locations + 1, summed: how Pagefind sizes chunks

    @classmethod
    def empty(cls) -> Posting:
        return cls(array.array("I"), array.array("I"), bytearray(), 0)

    def split(self) -> list[bytes]:
        found = []
        start = 0
        for size in self.sizes:
            found.append(bytes(self.entries[start : start + size]))
            start += size
        return found

    def remove(self, numbers: set[int]) -> None:
        """Drop the entries of these pages."""
        if len(numbers) <= FEW:
            hits = {number for number in numbers if _holds(self.pages, number)}
        else:
            hits = numbers.intersection(self.pages)
        if len(hits) > FEW:  # one pass, rather than a splice per page
            kept: list[tuple[int, bytes, bool]] = []
            after_removed = False
            for page, entry in zip(self.pages, self.split(), strict=True):
                if page in hits:
                    self.weight -= _weight(entry)
                else:
                    kept.append((page, entry, after_removed))
                after_removed = page in hits
            self._set(kept)
            return
        pages, sizes, entries = self.pages, self.sizes, self.entries
        for number in sorted(hits, reverse=True):
            at = bisect.bisect_left(pages, number)
            start = sum(sizes[:at])
            end = start + sizes[at]
            self.weight -= _weight(entries[start:end])
            del entries[start:end], pages[at], sizes[at]
            if at < len(pages):
                self.set_delta(at, pages[at] - (pages[at - 1] if at else 0), start)

    def insert(self, added: list[tuple[int, bytes]]) -> None:
        """Add entries: (page number, entry; its distance to the previous page is set here)."""
        for _, entry in added:
            self.weight += _weight(entry)
        if len(added) > FEW:  # one pass, rather than a splice per page
            old = [
                (page, entry, False) for page, entry in zip(self.pages, self.split(), strict=True)
            ]
            merged = sorted(old + [(page, entry, True) for page, entry in added])
            items = []
            after_new = False
            for page, entry, new in merged:
                items.append((page, entry, new or after_new))
                after_new = new
            self._set(items)
            return
        for number, entry in added:
            pages, sizes, entries = self.pages, self.sizes, self.entries
            at = bisect.bisect_left(pages, number)
            start = sum(sizes[:at])
            entry = _with_delta(entry, number - (pages[at - 1] if at else 0))
            entries[start:start] = entry
            pages.insert(at, number)
            sizes.insert(at, len(entry))
            if at + 1 < len(pages):
                self.set_delta(at + 1, pages[at + 1] - number, start + len(entry))

    def extend(self, added: Posting, shift: int) -> None:
        """Add `added`'s entries, its pages numbered `shift` more, after every page here: only
        the first entry's distance to the page before changes."""
        first_size = added.sizes[0]
        previous = self.pages[-1] if self.pages else 0
        first = _with_delta(added.entries[:first_size], added.pages[0] + shift - previous)
        self.entries += first
        self.entries += added.entries[first_size:]
        self.pages.extend([page + shift for page in added.pages])
        self.sizes.append(len(first))
        self.sizes.extend(added.sizes[1:])
        self.weight += added.weight

    def _set(self, items: list[tuple[int, bytes, bool]]) -> None:
        """Hold `items` (page, entry, whether its distance to the previous page is to be
        written again), in page order."""
        entries = []
        previous = 0
        for page, entry, moved in items:
            entries.append(_with_delta(entry, page - previous) if moved else entry)
            previous = page
        self.pages = array.array("I", [page for page, _, _ in items])
        self.sizes = array.array("I", map(len, entries))
        self.entries = bytearray(b"".join(entries))

    def set_delta(self, at: int, delta: int, start: int | None = None) -> None:
        """Set entry `at`'s distance to the previous page (`start`: where it begins)."""
        if start is None:
            start = sum(self.sizes[:at])
        end = start + self.sizes[at]
        fixed = _with_delta(self.entries[start:end], delta)
        self.entries[start:end] = fixed
        self.sizes[at] = len(fixed)


# A word's postings by form: "" for the word as indexed, else the form it was written in.
Forms = dict[str, Posting]
# A word's entries by form, as they are at one moment (`_postings`).
Postings = tuple[tuple[str, bytes], ...]


def _postings(forms: Forms | None) -> Postings | None:
    """A word's entries by form as they are now (None for a word not in the index): what
    tells whether a merge changed the word's part of its chunk (its entries hold its pages'
    numbers, as distances from one to the next)."""
    if forms is None:
        return None
    return tuple(sorted((form, bytes(posting.entries)) for form, posting in forms.items()))


@dataclass
class IndexedPage:
    """A page of Pagefind's index, as its metadata file lists it."""

    url: str
    fragment: str  # language, "_" and the full hash of the fragment's JSON
    word_count: int
    filters: dict[str, list[str]]
    fields: tuple[str, ...]  # its meta fields (title, section)


@dataclass
class LanguageIndex:
    """One language's part of Pagefind's index, decoded so pages can be merged in and out."""

    version: str
    fields: list[str]  # every page's meta fields, sorted: meta locations number them
    pages: list[IndexedPage]
    words: dict[str, Forms] = field(default_factory=dict)
    # Pages in the order of each data-pagefind-sort key, kept as Pagefind wrote them.
    sorts: list = field(default_factory=list)
    # The chunks of the word index as `write` last wrote them, (first word, last word,
    # number of words) -> SHA-1 of the chunk, and the words whose entries changed since
    # (None: any may have, the pages were numbered anew). A chunk of the same words, none
    # of them changed, is the same file: an edit's `write` encodes only the chunks of the
    # words its pages changed (a page's words fall in nearly every chunk, but few of its
    # entries change), not the whole vocabulary again.
    chunk_hashes: dict[tuple[str, str, int], str] = field(default_factory=dict)
    changed: set[str] | None = field(default_factory=set)
    # The words as last unpickled (`_pack`'s form), and the words changed since (None: any
    # may have). Pickled again as those and the words changed since: an edit's search
    # process writes the state after answering, and on a realistic site (25,000 words) the
    # build waited for it to pack every word again.
    packed_base: tuple | None = field(default=None, repr=False, compare=False)
    since_base: set[str] | None = field(default=None, repr=False, compare=False)
    # The filter files as `write` last wrote them, (filter, SHA-1) in order, while no page's
    # filters or number changed since (None: worked out from every page's filters again).
    filter_hashes: list[tuple[str, str]] | None = field(default=None, repr=False, compare=False)

    def note_changed(self, words: Iterable[str] | None) -> None:
        """Words whose entries changed (None: any word's may have: pages numbered anew)."""
        if words is None:
            self.changed = self.since_base = self.filter_hashes = None
            return
        words = set(words)
        for noted in (self.changed, self.since_base):
            if noted is not None:
                noted.update(words)

    # Pickled as a few long strings: unpickling thousands of Posting objects and their
    # arrays one by one took 0.14 s at 5,000 pages, and pickling a row for each word and
    # form (25,000 on a realistic site) a third of the 40 ms an edit's search process
    # took to write the state, which the build waits for.
    def __getstate__(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if k not in ("packed_base", "since_base")}
        state["pages"] = _pack_pages(self.pages)
        base, since = self.packed_base, self.since_base
        if base is not None and since is not None and len(since) * REBASE_SHARE <= len(self.words):
            changed = {word: self.words[word] for word in since if word in self.words}
            state["words"] = (base, _pack(changed), sorted(since - changed.keys()))
        else:
            state["words"] = _pack(self.words)
        return state

    def __setstate__(self, state: dict) -> None:
        packed = state["words"]
        if len(packed) == 3:  # the words as unpickled before, those changed since, those gone
            base, changed, gone = packed
            words = _unpack(base)
            since = set(gone)
            for word, forms in _unpack(changed).items():
                words[word] = forms
                since.add(word)
            for word in gone:
                words.pop(word, None)
        else:
            base, words, since = packed, _unpack(packed), set()
        known = {"chunk_hashes": {}, "changed": set(), "filter_hashes": None}
        pages = _unpack_pages(state["pages"])
        self.__dict__.update({**known, **state, "words": words, "pages": pages})
        self.packed_base, self.since_base = base, since


# An index pickled with more than one word in this many changed since it was last unpickled
# is packed whole again (a state after many edits would carry a long list of them).
REBASE_SHARE = 8


def _pack(words: dict[str, Forms]) -> tuple:
    """Words' postings as a few long strings (`_unpack` reads them)."""
    texts, forms = [], []
    counts, weights = array.array("I"), array.array("Q")
    pages, sizes, entries = array.array("I"), array.array("I"), bytearray()
    for word, these in words.items():
        for form, posting in these.items():
            texts.append(word)
            forms.append(form)
            counts.append(len(posting.pages))
            weights.append(posting.weight)
            pages += posting.pages
            sizes += posting.sizes
            entries += posting.entries
    return (
        _joined(texts),
        _joined(forms),
        counts.tobytes(),
        weights.tobytes(),
        pages.tobytes(),
        sizes.tobytes(),
        bytes(entries),
    )


def _unpack(packed: tuple) -> dict[str, Forms]:
    """The words `_pack` packed."""
    texts, form_texts, count_bytes, weight_bytes, page_bytes, size_bytes, entries = packed
    counts, weights = array.array("I"), array.array("Q")
    counts.frombytes(count_bytes)
    weights.frombytes(weight_bytes)
    pages, sizes = array.array("I"), array.array("I")
    pages.frombytes(page_bytes)
    sizes.frombytes(size_bytes)
    words: dict[str, Forms] = {}
    at = start = 0
    rows = zip(_split(*texts), _split(*form_texts), counts, weights, strict=True)
    for word, form, count, weight in rows:
        these = sizes[at : at + count]
        end = start + sum(these)
        posting = Posting(pages[at : at + count], these, bytearray(entries[start:end]), weight)
        words.setdefault(word, {})[form] = posting
        at, start = at + count, end
    return words


def _pack_pages(pages: list[IndexedPage]) -> tuple:
    """Pages as a few long strings and arrays, their filters as they are (`_unpack_pages`
    reads them): pickling 5,000 IndexedPage objects was half of the time an edit's search
    process took to write the state, which the build waits for."""
    kinds: dict[tuple[str, ...], int] = {}  # each page's meta fields, by their first page
    return (
        _joined([page.url for page in pages]),
        _joined([page.fragment for page in pages]),
        array.array("Q", [page.word_count for page in pages]).tobytes(),
        [page.filters for page in pages],
        array.array("I", [kinds.setdefault(page.fields, len(kinds)) for page in pages]).tobytes(),
        list(kinds),
    )


def _unpack_pages(packed: tuple) -> list[IndexedPage]:
    """The pages `_pack_pages` packed."""
    urls, fragments, count_bytes, filters, kind_bytes, kinds = packed
    word_counts, fields = array.array("Q"), array.array("I")
    word_counts.frombytes(count_bytes)
    fields.frombytes(kind_bytes)
    return [
        IndexedPage(*page)
        for page in zip(
            _split(*urls),
            _split(*fragments),
            word_counts,
            filters,
            map(kinds.__getitem__, fields),
            strict=True,
        )
    ]


def _joined(texts: list[str]) -> tuple[str, bytes]:
    """Texts as one, with the length of each (a pickle of one string, not of thousands)."""
    return "".join(texts), array.array("I", map(len, texts)).tobytes()


def _split(joined: str, length_bytes: bytes) -> Iterator[str]:
    """The texts `_joined` made one."""
    lengths = array.array("I")
    lengths.frombytes(length_bytes)
    at = 0
    for length in lengths:
        yield joined[at : at + length]
        at += length


@dataclass
class PagefindIndex:
    """Pagefind's whole index, decoded, to patch with changed pages."""

    entry: str  # pagefind-entry.json as Pagefind wrote it
    languages: dict[str, LanguageIndex]

    def update(self, changed: PagefindIndex, urls: list[str], fresh: set[str]) -> None:
        """Make this the index of the pages `urls`, numbered in that order, where `changed`
        indexes the pages in `fresh` (new or changed since): their entries go in, those of
        changed and removed pages out, and the other pages are numbered anew. Raises
        CannotPatch when the index has to be built whole (a language comes or goes, or
        pages are sorted with data-pagefind-sort)."""
        was = {page.url: lang for lang, index in self.languages.items() for page in index.pages}
        now = {page.url: lang for lang, index in changed.languages.items() for page in index.pages}
        by_language: dict[str, list[str]] = {language: [] for language in self.languages}
        for url in urls:
            language = now.get(url) if url in fresh else was.get(url)
            if language is None:
                continue  # a page without a word to index: Pagefind leaves it out
            if language not in by_language:
                raise CannotPatch(f"{url} is in no index of a known language")
            by_language[language].append(url)
        for language, index in self.languages.items():
            if not by_language[language]:
                raise CannotPatch(f"no page is left in {language!r}")
            _update_language(index, changed.languages.get(language), by_language[language])

    def write(self, kept: dict[str, str] | None = None) -> WrittenIndex:
        """The index files. Those in `kept` (path in pagefind/ -> SHA-1 of the content, of
        files the caller has from the last build) are not compressed again."""
        bodies: dict[str, bytes] = {}
        written = WrittenIndex({}, [], {}, {})
        kept = kept or {}
        files = _Bodies(bodies, written.hashes, kept)
        entry = json.loads(self.entry)
        # In one order: Pagefind writes its languages in hash-map order.
        entry["languages"] = dict(sorted(entry["languages"].items()))
        for language, index in sorted(self.languages.items()):
            meta_name = _write_language(language, index, files, written.fragment_files)
            about = entry["languages"][language]
            about["hash"] = meta_name
            about["page_count"] = len(index.pages)
        written.kept = [rel for rel, plain in written.hashes.items() if kept.get(rel) == plain]
        new = [rel for rel in bodies if kept.get(rel) != written.hashes[rel]]
        with ThreadPoolExecutor(2) as pool:  # zlib lets go of the GIL
            written.files = dict(zip(new, pool.map(encode, [bodies[r] for r in new]), strict=True))
        # As Pagefind writes it: compact, characters as they are.
        text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        written.files[ENTRY_FILE] = text.encode("utf-8")
        return written


@dataclass
class WrittenIndex:
    """An index encoded again as Pagefind's files."""

    files: dict[str, bytes]  # path in pagefind/ -> content, fragments aside
    kept: list[str]  # paths whose content the caller has already
    fragment_files: dict[str, str]  # each page's fragment file: URL -> path in pagefind/
    hashes: dict[str, str]  # SHA-1 of the content of each file but the fragments


def read_index(files: dict[str, bytes]) -> tuple[PagefindIndex, dict[str, bytes]]:
    """The index in Pagefind's `files`, and each page's fragment file (URL -> content)."""
    entry = _take(files, ENTRY_FILE).decode("utf-8")
    languages = json.loads(entry).get("languages")
    if not isinstance(languages, dict):
        raise IndexFormatError(f"{ENTRY_FILE} lists no languages")
    found: dict[str, LanguageIndex] = {}
    fragments: dict[str, bytes] = {}
    for language, about in sorted(languages.items()):
        meta_hash = about.get("hash") if isinstance(about, dict) else None
        if not isinstance(meta_hash, str):
            raise IndexFormatError(f"{ENTRY_FILE} names no meta file for {language!r}")
        found[language] = _read_language(files, language, meta_hash, fragments)
    return PagefindIndex(entry, found), fragments


@dataclass
class IndexRuns:
    """The index of pages that Pagefind indexed in runs, each run's files read and merged
    into the runs before as they come (`urls`: the pages so far, in the order to number
    them); `reorder` numbers them for good once every run is in."""

    index: PagefindIndex = field(default_factory=lambda: PagefindIndex("", {}))
    fragments: dict[str, bytes] = field(default_factory=dict)  # URL -> its fragment file
    files: dict[str, bytes] = field(default_factory=dict)  # the rest: Pagefind's scripts

    def add(self, files: dict[str, bytes], urls: list[str]) -> None:
        rest = dict(files)
        run, fragments = read_index(rest)  # takes the index's files out of `rest`
        if not self.index.languages:
            self.index = run
        else:
            self.index.update(run, urls, set(fragments))
        self.fragments |= fragments
        self.files |= rest  # the same scripts in every run


def read_parts(parts: list[dict[str, bytes]], urls: list[str]) -> IndexRuns:
    """The index of pages indexed in runs (`parts`: Pagefind's files for each), numbered
    as in `urls`."""
    runs = IndexRuns()
    for files in parts:
        runs.add(files, urls)
    reorder(runs.index, urls)
    return runs


def _read_language(
    files: dict[str, bytes], language: str, meta_hash: str, fragments: dict[str, bytes]
) -> LanguageIndex:
    meta_name = f"pagefind.{meta_hash}.pf_meta"
    meta = decode(_take(files, meta_name))
    if not (isinstance(meta, list) and len(meta) == META_ITEMS):
        raise IndexFormatError(f"{meta_name} is not a Pagefind {META_ITEMS}-part meta index")
    version, pages, chunks, filters, sorts, fields = meta
    for _filter, name in filters:
        _take(files, f"filter/{name}.pf_filter")  # written again from the pages' filters
    # Pagefind lists the sort keys in hash-map order.
    index = LanguageIndex(version, fields, [], sorts=sorted(sorts, key=lambda item: item[0]))
    for name, word_count in pages:
        data = _take(files, f"fragment/{name}.pf_fragment")
        text = gzip.decompress(data).removeprefix(SIGNATURE)
        record = json.loads(text)
        url = record.get("url")
        if not isinstance(url, str) or url in fragments:
            raise IndexFormatError(f"fragment {name} has no URL of its own")
        fragments[url] = data
        fragment = f"{language}_{pagefind_hex(text)}"
        filters = record.get("filters") or {}
        fields = tuple(sorted(record.get("meta") or {}))
        index.pages.append(IndexedPage(url, fragment, word_count, filters, fields))
    for _start, _end, name in chunks:
        path = f"index/{name}.pf_index"
        index.words.update(_WordReader(_unwrapped(_take(files, path)), path).words())
    return index


def reorder(index: PagefindIndex, urls: list[str]) -> None:
    """Number the pages in the order of `urls`, as Pagefind numbers pages given to it in that
    order: a build that gave them as they were rendered gets the index of a build that gave
    them in page order. Raises CannotPatch for pages sorted with data-pagefind-sort."""
    position = {url: number for number, url in enumerate(urls)}
    for language in index.languages.values():
        pages = sorted(language.pages, key=lambda page: position[page.url])
        if pages == language.pages:
            continue
        if language.sorts:
            raise CannotPatch("pages with data-pagefind-sort are sorted over the whole site")
        language.note_changed(None)  # every word's entries are numbered anew
        new_number = {page.url: number for number, page in enumerate(pages)}
        numbering = [new_number[page.url] for page in language.pages]
        for forms in language.words.values():
            for posting in forms.values():
                numbers = map(numbering.__getitem__, posting.pages)
                moved = sorted(zip(numbers, posting.split(), strict=True))
                posting._set([(number, entry, True) for number, entry in moved])
        language.pages = pages


class _WordReader:
    """Reads a chunk of the word index, [[[word, entries, [[form, entries]]]]], keeping each
    word's entries as the bytes Pagefind wrote: cbor2 reads them one by one from a stream,
    whose position says where each ends, so none is encoded again."""

    def __init__(self, raw: bytes, path: str):
        self.raw = raw
        self.path = path
        self.stream = io.BytesIO(raw)
        self.decoder = cbor2.CBORDecoder(self.stream)

    def words(self) -> Iterator[tuple[str, Forms]]:
        try:
            self._array(1)
            for _ in range(self._array()):
                self._array(3)
                word = self._text()
                forms = {"": self._posting()}
                for _ in range(self._array()):
                    self._array(2)
                    form = self._text()
                    forms[form] = self._posting()
                yield word, forms
            if self.stream.tell() != len(self.raw):
                raise ValueError("bytes after the index")
        except (ValueError, TypeError, cbor2.CBORDecodeError) as error:
            raise IndexFormatError(f"{self.path} is not a word index: {error}") from None

    def _head(self, major: int) -> int:
        """The argument of the next item's head, which must be of this major type."""
        first = self.stream.read(1)
        if not first or first[0] >> 5 != major:
            raise ValueError(f"at byte {self.stream.tell() - 1}: no CBOR item of type {major}")
        minor = first[0] & 31
        if minor < 24:
            return minor
        if minor > 27:
            raise ValueError(f"at byte {self.stream.tell() - 1}: a length of no CBOR size")
        return int.from_bytes(self.stream.read(1 << (minor - 24)), "big")

    def _array(self, length: int | None = None) -> int:
        found = self._head(CBOR_ARRAY)
        if length is not None and found != length:
            raise ValueError(f"an array of {found} items where {length} were due")
        return found

    def _text(self) -> str:
        return self.stream.read(self._head(CBOR_TEXT)).decode("utf-8")

    def _posting(self) -> Posting:
        count = self._array()
        stream, decode = self.stream, self.decoder.decode
        start = last = stream.tell()
        pages, sizes = array.array("I"), array.array("I")
        page = 0
        weight = count
        for _ in range(count):
            delta, locations, meta = decode()
            page += delta
            pages.append(page)
            weight += len(locations) + len(meta)
            here = stream.tell()
            sizes.append(here - last)
            last = here
        return Posting(pages, sizes, bytearray(self.raw[start:last]), weight)


def _update_language(index: LanguageIndex, new: LanguageIndex | None, urls: list[str]) -> None:
    if index.sorts or (new is not None and new.sorts):
        raise CannotPatch("pages with data-pagefind-sort are sorted over the whole site")
    if new is not None and new.version != index.version:
        raise CannotPatch("the index was written by another version of Pagefind")
    fresh = {page.url: page for page in new.pages} if new is not None else {}
    numbering = _in_place(index, fresh, urls) or _numbering(index, fresh, urls)
    # The words changed here, as they were: noted only for an index written or read from
    # the cache (`chunk_hashes`, `packed_base`); merging a fresh build's runs has no use for it.
    was: dict[str, Postings | None] | None = (
        {} if index.chunk_hashes or index.packed_base is not None else None
    )
    _remove_pages(index.words, numbering.removed, was)
    pages = numbering.pages
    # Meta locations number the site's fields in sorted order: a field that comes or goes
    # numbers the others anew (the fields of removed pages are in no entry left).
    if numbering.same_fields:
        fields = index.fields
    else:
        fields = sorted({name for page in pages for name in page.fields})
    if fields != index.fields:
        if _renumber_fields(index.words, [_field_number(fields, n) for n in index.fields]):
            index.note_changed(None)
        index.fields = fields
    if numbering.moves:
        _renumber(index.words, numbering.moves)
        index.note_changed(None)
    if not numbering.same_filters:
        index.filter_hashes = None
    index.pages = pages
    if new is not None:
        targets = [numbering.fresh[page.url] for page in new.pages]
        renumber = [index.fields.index(name) for name in new.fields]
        _add_pages(index.words, new.words, targets, renumber, was)
    if was is not None:
        words = index.words
        index.note_changed(w for w, old in was.items() if _postings(words.get(w)) != old)


@dataclass
class _Numbering:
    """How a merge numbers an index's pages: the pages in their new order, the old numbers
    of those replaced or removed, the pages that stay and move ((old, new) in order), and
    the new number of each fresh page; whether the pages' meta fields and filters are
    still those of the pages they replace (then the index's fields and filter files are).
    `moves` is empty when no page moves."""

    pages: list[IndexedPage]
    removed: set[int]
    moves: list[tuple[int, int]]
    fresh: dict[str, int]
    same_fields: bool = False
    same_filters: bool = False


def _in_place(
    index: LanguageIndex, fresh: dict[str, IndexedPage], urls: list[str]
) -> _Numbering | None:
    """An edit's usual merge, cheaply: `urls` are the index's pages as numbered now (no page
    comes, goes or moves), and the fresh pages replace theirs in place. None otherwise."""
    pages = index.pages
    if len(urls) != len(pages) or any(
        page.url != url for page, url in zip(pages, urls, strict=True)
    ):
        return None
    replaced = {number: url for number, url in enumerate(urls) if url in fresh}
    now = list(pages)
    for number, url in replaced.items():
        now[number] = fresh[url]
    return _Numbering(
        now,
        set(replaced),
        [],
        {url: number for number, url in replaced.items()},
        same_fields=all(pages[n].fields == now[n].fields for n in replaced),
        same_filters=all(pages[n].filters == now[n].filters for n in replaced),
    )


def _numbering(index: LanguageIndex, fresh: dict[str, IndexedPage], urls: list[str]) -> _Numbering:
    """Any merge: pages come, go or are replaced; those that stay keep their order."""
    old_numbers = {page.url: number for number, page in enumerate(index.pages)}
    pages = [fresh[url] if url in fresh else index.pages[old_numbers[url]] for url in urls]
    kept = set(urls) - set(fresh)
    # The pages that stay keep their order; those after an added or removed page move.
    moves = [(old_numbers[url], number) for number, url in enumerate(urls) if url in kept]
    olds = [old for old, _ in moves]
    if olds != sorted(olds):
        # Their files moved (`directory_index.name`): each word lists its pages in order.
        raise CannotPatch("pages that stay come in another order")
    return _Numbering(
        pages,
        {n for url, n in old_numbers.items() if url not in kept},
        moves if any(old != new for old, new in moves) else [],
        {url: number for number, url in enumerate(urls) if url in fresh},
    )


def _field_number(fields: list[str], name: str) -> int:
    """`name`'s number among `fields`; one no longer there keeps its number (no entry left
    refers to it)."""
    return fields.index(name) if name in fields else -1


def _renumber_fields(words: dict[str, Forms], renumber: list[int]) -> bool:
    """Number the meta fields in every entry as `renumber` says (old number -> new);
    whether any entry may have changed."""
    if all(new in (old, -1) for old, new in enumerate(renumber)):
        return False  # the fields the entries use keep their numbers
    for forms in words.values():
        for posting in forms.values():
            entries = [_renumbered(entry, renumber) for entry in posting.split()]
            posting.sizes = array.array("I", map(len, entries))
            posting.entries = bytearray(b"".join(entries))
    return True


def _renumber(words: dict[str, Forms], moves: list[tuple[int, int]]) -> None:
    """Give the pages new numbers: `moves` lists (old, new) in order. An entry's distance
    to the previous entry changes only where a page came or went between the two: after
    each "step", a page whose distance to the page before it changed."""
    numbering = dict(moves)
    steps = []
    before = (0, 0)
    for old, new in moves:
        if new - before[1] != old - before[0]:
            steps.append(old)
        before = (old, new)
    for forms in words.values():
        for posting in forms.values():
            touched = {bisect.bisect_left(posting.pages, step) for step in steps}
            posting.pages = array.array("I", map(numbering.__getitem__, posting.pages))
            for at in sorted(touched, reverse=True):
                if at < len(posting.pages):
                    previous = posting.pages[at - 1] if at else 0
                    posting.set_delta(at, posting.pages[at] - previous)


def _remove_pages(
    words: dict[str, Forms], numbers: set[int], was: dict[str, Postings | None] | None
) -> None:
    """Drop these pages' entries; `was` (if any) gets each word changed, as it was. Every word is
    looked at (an edit's merge asks this of the whole vocabulary, 25,000 words on a
    realistic site of 5,000 pages): a posting without the pages costs one call, and a word
    none of whose postings changed nothing more."""
    emptied = []
    few = sorted(numbers) if len(numbers) <= FEW else None
    for word, forms in words.items():
        changed = False
        for posting in forms.values():
            if few is None:
                if numbers.isdisjoint(posting.pages):
                    continue
            elif not _holds_any(posting.pages, few):
                continue  # a few lookups rather than a pass over a long list
            if not changed and was is not None and word not in was:
                was[word] = _postings(forms)
            posting.remove(numbers)
            changed = True
        if not changed:
            continue
        for form in [form for form, posting in forms.items() if form and not posting.pages]:
            del forms[form]
        if len(forms) == 1 and not forms[""].pages:
            emptied.append(word)
    for word in emptied:
        del words[word]


def _holds(pages: array.array, number: int) -> bool:
    at = bisect.bisect_left(pages, number)
    return at < len(pages) and pages[at] == number


def _holds_any(pages: array.array, numbers: list[int]) -> bool:
    """Whether `pages` (sorted) holds one of `numbers`."""
    for number in numbers:
        at = bisect.bisect_left(pages, number)
        if at < len(pages) and pages[at] == number:
            return True
    return False


def _add_pages(
    words: dict[str, Forms],
    new: dict[str, Forms],
    targets: list[int],
    renumber: list[int],
    was: dict[str, Postings | None] | None,
) -> None:
    """Insert `new`'s entries (its pages numbered 0.. as in `targets`, its meta fields
    numbered as in `renumber`) into `words`; `was` (if any) gets each word changed, as it
    was."""
    # Pages numbered one after another, with the same meta fields (a run merged after the
    # runs before): a word's entries go after the others as they are.
    in_a_row = bool(targets) and targets == list(range(targets[0], targets[0] + len(targets)))
    shift = targets[0] if in_a_row and renumber == list(range(len(renumber))) else -1
    for word, new_forms in new.items():
        if was is not None and word not in was:
            was[word] = _postings(words.get(word))
        forms = words.setdefault(word, {"": Posting.empty()})
        for form, added in new_forms.items():
            posting = forms.setdefault(form, Posting.empty())
            if shift >= 0 and added.pages and (not posting.pages or posting.pages[-1] < shift):
                posting.extend(added, shift)
                continue
            entries = zip(added.pages, added.split(), strict=True)
            items = [(targets[local], _renumbered(entry, renumber)) for local, entry in entries]
            posting.insert(items)


def _weight(entry: bytes | bytearray) -> int:
    _, locations, meta = cbor2.loads(entry)
    return len(locations) + len(meta) + 1


def _with_delta(entry: bytes | bytearray, delta: int) -> bytes:
    """`entry` with its first item (the distance to the previous page) set to `delta`."""
    head = entry[1]
    size = 1 if head < 24 else 1 + (1 << (head - 24))  # CBOR: 24-27 take 1, 2, 4, 8 bytes
    return ENTRY_HEADER + cbor2.dumps(delta) + bytes(entry[1 + size :])


def _renumbered(entry: bytes, renumber: list[int]) -> bytes:
    """`entry` with its meta locations' field markers (-1 - field) numbered by `renumber`."""
    if renumber == list(range(len(renumber))):
        return entry
    delta, locations, meta = cbor2.loads(entry)
    meta = [-1 - renumber[-1 - value] if value < 0 else value for value in meta]
    return cbor2.dumps([delta, locations, meta])


@dataclass
class _Bodies:
    """The files being written, uncompressed, with the SHA-1 of each (hashed once: it names
    the file and tells whether the last build's file can be kept)."""

    bodies: dict[str, bytes]
    hashes: dict[str, str]
    kept: dict[str, str]  # the files the caller has (path -> SHA-1): not compressed again

    def add(self, language: str, body: bytes, digits: int, path: str, taken: set[str]) -> str:
        """Add `body` at `path` ("{}" for its name); returns the name, as Pagefind names it:
        `language_` and the start of the hash, one digit more while it is taken."""
        plain = hashlib.sha1(body).hexdigest()
        name = _hash_name(language, plain, digits, taken)
        taken.add(name)
        self.bodies[path.format(name)] = body
        self.hashes[path.format(name)] = plain
        return name

    def add_kept(
        self, language: str, plain: str, digits: int, path: str, taken: set[str]
    ) -> str | None:
        """Add the file whose body has the SHA-1 `plain`, without its body: the caller has
        it (`kept`) under the name `add` gives it, which is returned; None when it has not."""
        name = _hash_name(language, plain, digits, taken)
        if self.kept.get(path.format(name)) != plain:
            return None
        taken.add(name)
        self.hashes[path.format(name)] = plain
        return name


def _write_language(
    language: str, index: LanguageIndex, files: _Bodies, fragment_files: dict[str, str]
) -> str:
    """Add one language's files to `files`; returns its meta file's name. The index keeps
    the hashes of the chunks written (`LanguageIndex.chunk_hashes`)."""
    pages = []
    taken: set[str] = set()
    for page in index.pages:
        name = _short(page.fragment, len(language) + 1 + HASH_DIGITS, taken)
        taken.add(name)
        fragment_files[page.url] = f"fragment/{name}.pf_fragment"
        pages.append([name, page.word_count])
    chunks = []
    taken = set()
    last = index.chunk_hashes if index.changed is not None else {}
    changed = index.changed or set()
    written: dict[tuple[str, str, int], str] = {}
    for words in _chunks(index.words):
        identity = (words[0], words[-1], len(words))
        plain = last.get(identity)
        name = None
        if plain is not None and changed.isdisjoint(words):
            name = files.add_kept(language, plain, HASH_DIGITS, "index/{}.pf_index", taken)
        if name is None:
            body = _chunk_body(words, index.words)
            name = files.add(language, body, HASH_DIGITS, "index/{}.pf_index", taken)
            plain = files.hashes[f"index/{name}.pf_index"]
        written[identity] = plain
        chunks.append([words[0], words[-1], name])
    index.chunk_hashes, index.changed = written, set()
    for before, after in itertools.pairwise(chunks):
        end, start = _prefixes(before[1], after[0])
        if end >= before[0]:  # never a range that ends before it starts
            before[1] = end
        after[0] = start
    filters = _kept_filters(language, index, files)
    if filters is None:
        filters, index.filter_hashes = _write_filters(language, index, files)
    meta = cbor2.dumps([index.version, pages, chunks, filters, index.sorts, index.fields])
    return files.add(language, meta, len(language) + 8, "pagefind.{}.pf_meta", set())


def _kept_filters(language: str, index: LanguageIndex, files: _Bodies) -> list[list[str]] | None:
    """The filter files as `write` last wrote them (`LanguageIndex.filter_hashes`), [filter,
    name] each, when the caller has them all; else None."""
    if index.filter_hashes is None:
        return None
    filters = []
    taken: set[str] = set()
    for name, plain in index.filter_hashes:
        file = files.add_kept(language, plain, HASH_DIGITS, "filter/{}.pf_filter", taken)
        if file is None:
            return None  # those added stay: `_write_filters` adds the same files again
        filters.append([name, file])
    return filters


def _write_filters(
    language: str, index: LanguageIndex, files: _Bodies
) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """The filter files, from every page's filters: [filter, name] each, and (filter, SHA-1)."""
    filters, hashes = [], []
    taken: set[str] = set()
    for name, values in sorted(_filter_values(index.pages).items()):
        body = cbor2.dumps([name, [[value, numbers] for value, numbers in sorted(values.items())]])
        file = files.add(language, body, HASH_DIGITS, "filter/{}.pf_filter", taken)
        filters.append([name, file])
        hashes.append((name, files.hashes[f"filter/{file}.pf_filter"]))
    return filters, hashes


def _chunks(words: dict[str, Forms]) -> Iterable[list[str]]:
    chunk: list[str] = []
    weight = 0
    for word in sorted(words):
        chunk.append(word)
        weight += words[word][""].weight  # as Pagefind counts: not the other forms
        if weight >= CHUNK_WEIGHT:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


def _chunk_body(chunk: list[str], words: dict[str, Forms]) -> bytes:
    """CBOR of [[[word, entries, [[form, entries]]], ...]] from the entries as they are kept.
    Every word of the index is encoded again for an edit (its page's words fall in nearly
    every chunk): the loop does per word only what it must (most words have no other form)."""
    parts = [b"\x81", _array_header(len(chunk))]
    add, encode, heads = parts.append, cbor2.dumps, _SHORT_ARRAYS
    for word in chunk:
        forms = words[word]
        main = forms[""]
        count = len(main.pages)
        add(b"\x83")
        add(encode(word))
        add(heads[count] if count < 24 else _array_header(count))
        add(main.entries)
        if len(forms) == 1:
            add(heads[0])
            continue
        add(_array_header(len(forms) - 1))
        for form in sorted(forms.keys() - {""}):
            variant = forms[form]
            parts += (b"\x82", encode(form), _array_header(len(variant.pages)))
            add(variant.entries)
    return b"".join(parts)


# CBOR's heads of the arrays of 0 to 23 items: one byte each.
_SHORT_ARRAYS = [bytes([0x80 | length]) for length in range(24)]


def _array_header(length: int) -> bytes:
    """CBOR's head of an array of `length` items."""
    if length < 24:
        return _SHORT_ARRAYS[length]
    for code, size in ((0x98, 1), (0x99, 2), (0x9A, 4), (0x9B, 8)):
        if length < 1 << (8 * size):
            return bytes([code]) + length.to_bytes(size, "big")
    raise IndexFormatError(f"an array of {length} items")


def _prefixes(end: str, start: str) -> tuple[str, str]:
    """The shortest ends that still tell two neighbouring chunks apart, as Pagefind cuts them."""
    common = 0
    for a, b in zip(start, end, strict=False):
        if a != b:
            break
        common += 1
    return end[: common + 1], start[: common + 1]


def _filter_values(pages: list[IndexedPage]) -> dict[str, dict[str, list[int]]]:
    found: dict[str, dict[str, list[int]]] = {}
    for number, page in enumerate(pages):
        for name, values in page.filters.items():
            for value in values:
                found.setdefault(name, {}).setdefault(value, []).append(number)
    return found


def is_index_file(path: str) -> bool:
    """Whether a file of Pagefind's (path in pagefind/) is part of the index `read_index`
    reads, not one of its scripts."""
    return path == ENTRY_FILE or path.endswith(INDEX_SUFFIXES)


INDEX_SUFFIXES = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")


def _take(files: dict[str, bytes], name: str) -> bytes:
    try:
        return files.pop(name)
    except KeyError:
        raise IndexFormatError(f"the index has no {name}") from None


def pagefind_hex(data: bytes) -> str:
    """Pagefind's hex of a SHA-1: each byte formatted without its leading zero."""
    return _unpadded(hashlib.sha1(data).hexdigest())


def _unpadded(plain: str) -> str:
    return "".join(plain[i + 1] if plain[i] == "0" else plain[i : i + 2] for i in range(0, 40, 2))


def short_hash(language: str, body: bytes, digits: int, taken: Container[str] = ()) -> str:
    """`language_` and the first `digits` of the hash, one more while the name is taken."""
    return _short(f"{language}_{pagefind_hex(body)}", len(language) + 1 + digits, taken)


def _hash_name(language: str, plain: str, digits: int, taken: Container[str]) -> str:
    """The name of a file whose body has the SHA-1 `plain` (hex), as Pagefind names it."""
    return _short(f"{language}_{_unpadded(plain)}", len(language) + 1 + digits, taken)


def _short(full: str, length: int, taken: Container[str]) -> str:
    name = full[:length]
    while name in taken and length < len(full):
        length += 1
        name = full[:length]
    return name


def decode(data: bytes) -> object:
    return cbor2.loads(_unwrapped(data))


def _unwrapped(data: bytes) -> bytes:
    """The CBOR of an index file: gzip and the signature taken off."""
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise IndexFormatError("a Pagefind index file without its signature")
    return raw[len(SIGNATURE) :]


def encode(body: bytes) -> bytes:
    """gzip of the signature and `body`, with the same header on every machine."""
    raw = SIGNATURE + body
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    deflated = compressor.compress(raw) + compressor.flush()
    return GZIP_HEADER + deflated + struct.pack("<II", zlib.crc32(raw), len(raw) & 0xFFFFFFFF)
