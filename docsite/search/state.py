"""What a build keeps of its search index (in the cache), and the key that says when the index
in the output can be reused as it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docsite.cache import CACHE_VERSION

if TYPE_CHECKING:  # the format loads with the first index read or made: an edit's build
    # patches its index aside (docsite.search.aside)
    from docsite.search.index_format import PagefindIndex

# The part of the cache that holds it (BuildCache.load_part).
STATE_PART = "search"


@dataclass
class SearchState:
    """The index a build wrote, kept in the cache so the next build patches it."""

    key: str  # the search_key it was written for
    digests: dict[str, str]  # URL -> digest of what was indexed, in page order
    index: PagefindIndex
    fragment_files: dict[str, str]  # URL -> its fragment file in pagefind/
    assets: list[str]  # Pagefind's script and wasm files in pagefind/
    hashes: dict[str, str]  # SHA-1 of the other files' contents (index.write)
    settings: tuple  # what indexing was asked for (docsite.keys.search_settings)
    engine: str  # the docsite code that wrote it (engine_digest)
    version: str = CACHE_VERSION
