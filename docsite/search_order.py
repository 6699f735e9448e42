"""Pagefind's index in one fixed order, so the same pages always give the same bytes.

Pagefind (1.5.2) writes the values in each `filter/*.pf_filter` file, and the filter list in
`pagefind.*.pf_meta`, in hash-map order: every run fills them differently, and so names them
differently (a file is named by a hash of its content, and the meta file and
`pagefind-entry.json` name the files they use). `sort_filters` puts both lists in code-point
order, then renames the files as Pagefind names them and rewrites the names that refer to them.

A file is gzip of b"pagefind_dcd" + CBOR; its name is the language, "_" and the start of the
SHA-1 of the CBOR in Pagefind's hex (each byte without its leading zero). The meta file is a
CBOR array whose item 3 is the list of [filter, file hash]; a filter file is
[filter, [[value, [page numbers]], ...]].
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
import zlib
from collections.abc import Container

import cbor2

SIGNATURE = b"pagefind_dcd"
ENTRY_FILE = "pagefind-entry.json"
META_FILTERS = 3  # the meta array's item that lists the filter files
FILTER_HASH_DIGITS = 7
META_HASH_EXTRA_DIGITS = 8  # a meta file's hash has len(language) + 8 digits
# Pagefind's own gzip header: no file name, no time, best compression, unknown OS.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


class IndexFormatError(ValueError):
    """The index is not laid out as this module expects (another Pagefind version?)."""


def sort_filters(files: dict[str, bytes]) -> dict[str, bytes]:
    """The index `files` (path in pagefind/ -> content) with every filter in a fixed order."""
    files = dict(files)
    entry_text = _take(files, ENTRY_FILE).decode("utf-8")
    languages = json.loads(entry_text).get("languages")
    if not isinstance(languages, dict):
        raise IndexFormatError(f"{ENTRY_FILE} lists no languages")
    for language, about in sorted(languages.items()):
        old = about.get("hash") if isinstance(about, dict) else None
        if not isinstance(old, str):
            raise IndexFormatError(f"{ENTRY_FILE} names no meta file for {language!r}")
        new = _sort_language(files, language, old)
        quoted = json.dumps(old)
        if entry_text.count(quoted) != 1:
            raise IndexFormatError(f"{ENTRY_FILE} does not name {old} exactly once")
        # Only the hash changes, not how Pagefind wrote the rest of the JSON.
        entry_text = entry_text.replace(quoted, json.dumps(new))
    files[ENTRY_FILE] = entry_text.encode("utf-8")
    return files


def _sort_language(files: dict[str, bytes], language: str, meta_hash: str) -> str:
    """Sort one language's filter files and meta file in `files`; returns the meta's hash."""
    meta_name = f"pagefind.{meta_hash}.pf_meta"
    meta = decode(_take(files, meta_name))
    if not (isinstance(meta, list) and len(meta) > META_FILTERS):
        raise IndexFormatError(f"{meta_name} is not a Pagefind meta index")
    filters = {}
    for item in meta[META_FILTERS]:
        if not (isinstance(item, list) and len(item) == 2) or item[0] in filters:
            raise IndexFormatError(f"{meta_name} lists a filter as {item!r}")
        name, file_hash = item
        filters[name] = _sorted_filter(decode(_take(files, f"filter/{file_hash}.pf_filter")))
    listed = []
    taken: set[str] = set()
    for name in sorted(filters):
        file_hash = short_hash(language, filters[name], FILTER_HASH_DIGITS, taken)
        taken.add(file_hash)
        # Every file is compressed again, sorted or not: the bytes must not depend on the run.
        files[f"filter/{file_hash}.pf_filter"] = encode(filters[name])
        listed.append([name, file_hash])
    meta[META_FILTERS] = listed
    body = cbor2.dumps(meta)
    new_hash = short_hash(language, body, len(language) + META_HASH_EXTRA_DIGITS)
    files[f"pagefind.{new_hash}.pf_meta"] = encode(body)
    return new_hash


def _sorted_filter(index: object) -> bytes:
    """A filter file's CBOR with its values in code-point order (UTF-8 byte order)."""
    if not (isinstance(index, list) and len(index) == 2 and isinstance(index[1], list)):
        raise IndexFormatError(f"not a Pagefind filter index: {index!r:.80}")
    name, values = index
    if not all(isinstance(v, list) and v and isinstance(v[0], str) for v in values):
        raise IndexFormatError(f"filter {name!r} has a value that is not [text, pages]")
    return cbor2.dumps([name, sorted(values, key=lambda value: value[0])])


def _take(files: dict[str, bytes], name: str) -> bytes:
    try:
        return files.pop(name)
    except KeyError:
        raise IndexFormatError(f"the index has no {name}") from None


def pagefind_hex(data: bytes) -> str:
    """Pagefind's hex of a SHA-1: each byte formatted without its leading zero."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def short_hash(language: str, body: bytes, digits: int, taken: Container[str] = ()) -> str:
    """`language_` and the first `digits` of the hash, one more while the name is taken."""
    full = pagefind_hex(body)
    name = f"{language}_{full[:digits]}"
    while name in taken and digits < len(full):
        digits += 1
        name = f"{language}_{full[:digits]}"
    return name


def decode(data: bytes) -> object:
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise IndexFormatError("a Pagefind index file without its signature")
    return cbor2.loads(raw[len(SIGNATURE) :])


def encode(body: bytes) -> bytes:
    """gzip of the signature and `body`, with the same header on every machine."""
    raw = SIGNATURE + body
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    deflated = compressor.compress(raw) + compressor.flush()
    return GZIP_HEADER + deflated + struct.pack("<II", zlib.crc32(raw), len(raw) & 0xFFFFFFFF)
