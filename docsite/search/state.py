"""What a build keeps of its search index (in the cache), and the key that says when the index
in the output can be reused as it is."""

from __future__ import annotations

from dataclasses import dataclass

from docsite.cache import CACHE_VERSION, digest
from docsite.search.index_format import PagefindIndex
from docsite.search.pages import SearchPage

# Bump when what is fed to Pagefind changes, so every site re-indexes once.
SEARCH_VERSION = "1"


@dataclass
class SearchState:
    """The index a build wrote, kept in the cache so the next build patches it."""

    key: str  # the index_key it was written for
    digests: dict[str, str]  # URL -> digest of what was indexed, in page order
    index: PagefindIndex
    fragment_files: dict[str, str]  # URL -> its fragment file in pagefind/
    assets: list[str]  # Pagefind's script and wasm files in pagefind/
    hashes: dict[str, str]  # SHA-1 of the other files' contents (index.write)
    settings: tuple  # what indexing was asked for (index_settings)
    engine: str  # the docsite code that wrote it (engine_digest)
    version: str = CACHE_VERSION


def index_settings(code: bool) -> tuple:
    """Everything besides the pages that decides what the index holds."""
    return (SEARCH_VERSION, code)


def index_key(pages: list[SearchPage], code: bool) -> str:
    """Names an index by its settings and its pages' indexed parts: the same key, the same
    index."""
    return digest(index_settings(code), [(p.url, p.digest) for p in pages])
