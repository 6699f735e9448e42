"""Full-text search: the rendered pages indexed with Pagefind into site/pagefind/.

The theme marks what is indexed (`data-pagefind-body` on the article, filters for tags and
the section); this package picks the pages, feeds their HTML to Pagefind's service and places
the index through the output folder, hard-linking files that did not change. The index is keyed
on the pages' HTML digests, so a build that changed no page reuses it; a build that changed a
few merges them into the last index. In watch mode the build keeps the last index and
`BackgroundIndexer` rebuilds it in a thread.

- `pages`: what is indexed (the pages, the part of each Pagefind reads, what it skips).
- `state`: what a build keeps of its index in the cache, and the key that names an index.
- `pagefind_client`: the installed Pagefind and how it is run: docsite's own client of its
  service on the versions docsite was written for, Pagefind's stock client on any other.
- `index_format`: Pagefind's files as data, read, patched and written in one fixed order
  (only with the versions pagefind_client names).
- `indexing`: a build's index: reused, patched, or built whole (by a cold build, while its
  pages render: `IndexFeeder`).
- `placing`: the index in the output folder, and the key file that names it.
- `aside`: an edit's patch of the last index, in a process forked as the build starts,
  which reads the index's state meanwhile and writes the new one to the cache itself.
- `background`: watch mode's re-index in a thread, swapped into the served folder.

Lower layers only: nothing here imports the build, the renderer, the theme or watch mode.
"""

from docsite.search.aside import SearchAside, search_aside
from docsite.search.background import BackgroundIndexer
from docsite.search.indexing import (
    MISSING_BINARY,
    IndexFeeder,
    IndexOutcome,
    PatchAnswer,
    Patcher,
    full_index,
    index_built_site,
    index_feeder,
    pagefind_files,
)
from docsite.search.pagefind_client import binary_available
from docsite.search.pages import (
    SearchPage,
    indexed_html,
    is_searchable,
    pagefind_config,
    search_pages,
    search_paths,
)
from docsite.search.state import STATE_PART, SearchState

# What modules outside the package use: the build, the renderer and watch mode
# (BackgroundIndexer, SearchState, STATE_PART, Patcher, index_built_site, index_feeder,
# search_aside, indexed_html, search_pages), the
# benchmarks (binary_available, SearchPage, full_index) and the tests (those and the rest).
__all__ = [
    "MISSING_BINARY",
    "STATE_PART",
    "BackgroundIndexer",
    "IndexFeeder",
    "IndexOutcome",
    "PatchAnswer",
    "Patcher",
    "SearchAside",
    "SearchPage",
    "SearchState",
    "binary_available",
    "full_index",
    "index_built_site",
    "index_feeder",
    "indexed_html",
    "is_searchable",
    "pagefind_config",
    "pagefind_files",
    "search_aside",
    "search_pages",
    "search_paths",
]
