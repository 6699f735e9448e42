"""What a build is asked to do (`BuildOptions`), and what every stage after loading is handed
(`BuildContext`): one value instead of a dozen loose parameters.

The build (docsite.build) fills the context step by step as it loads the site; the stages
(render, publish, search) read it and return their results rather than changing it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a build with nothing to do loads none of the stages
    from docsite.cache import BuildCache, CacheState, FileEntry, InputHasher
    from docsite.config import SiteConfig
    from docsite.diagnostics import Report
    from docsite.gitdates import PageDates
    from docsite.nav import NavTree
    from docsite.output import OutputFolder
    from docsite.pages import SiteContent
    from docsite.tags import SiteGroups
    from docsite.theme import Theme


def no_progress(stage: str, done: int = 0, total: int = 0) -> None:
    """The default progress listener: builds run silently."""


# A listener hears each stage of a build ("rendering", 120, 5000), for a progress line.
Progress = Callable[[str, int, int], None]


@dataclass
class BuildOptions:
    """How a build was asked for: by the command line, watch mode or a test."""

    root: Path
    config_file: Path | None = None
    out: Path | None = None
    strict: bool = False
    jobs: int = 0  # worker processes; 0 means one per core
    use_cache: bool = True
    keep_live: bool = False  # keep the loaded site in the result, for watch mode
    search_index: bool = True  # `check` builds to throw away: no search index needed
    # Hash every input file rather than trust unchanged times (also DOCSITE_HASH_ALL=1).
    hash_all: bool = False
    progress: Progress = no_progress


@dataclass
class BuildContext:
    """The loaded site and where it is going, as every stage after loading sees it."""

    config: SiteConfig
    options: BuildOptions
    report: Report  # where every stage adds its diagnostics
    cache: BuildCache
    previous: CacheState  # what the last build recorded
    files: dict[str, FileEntry]  # every input file's hash, by input name (docsite.keys)
    hasher: InputHasher
    site: SiteContent
    nav: NavTree
    theme: Theme
    dates: PageDates
    output: OutputFolder  # the staging folder this build fills
    out: Path  # where the site goes
    previous_output: Path | None  # the last build's site, to link unchanged files from
    # The site on disk is the one the cache describes (not one from a --no-cache build or from
    # a build killed before it saved the cache): its files may be reused unread.
    as_recorded: bool
    groups: SiteGroups  # the site's tags and categories
