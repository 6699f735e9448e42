"""The site as the last full load made it, kept in the build cache: its pages read and given
their URLs, the blog's settings applied, the sidebar built. A rebuild whose pages changed only
in their bodies takes it, with those bodies read again, rather than load every page as read
and build the sidebar anew: at 5,000 pages, unpickling it takes about 70 ms where those took
about 150, and a one-page edit about a tenth less time.

It is taken while `keys.load_key` holds (engine, config, every file found), no settings file
changed, and every page whose file changed since it was kept has the `keys.load_facts` it had
and says, read again, what it said then; else the build loads the site whole, and keeps that
anew. What tells is kept apart from the site (`KeptHead`), so that a build that cannot take
the site does not read it."""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from docsite.build.inputs import InputScan
from docsite.cache import CACHE_VERSION, BuildCache, FileEntry, StagedCache, collector_paused
from docsite.config import SiteConfig
from docsite.diagnostics import Diagnostic, Report
from docsite.forking import AsideAnswer, ask_aside
from docsite.keys import content_input, load_facts, load_key, loaded_facts
from docsite.nav import NavTree
from docsite.navpatch import NavMemo, NavParams
from docsite.pages import PageMemo, SettingsMemo, SiteContent, reading_of
from docsite.sources import Discovery, SourceFile
from docsite.tags import SiteGroups

HEAD_PART, SITE_PART = "site-head", "site"  # their parts of the cache (`BuildCache.load_part`)

# Pages changed since the site was kept, past which a build keeps it anew: until then each
# build reads each of them again (a tenth of a millisecond a page); keeping the site costs
# tens of milliseconds at 5,000 pages.
KEEP_AGAIN_AFTER = 32


@dataclass
class KeptHead:
    """What tells whether the kept site is still this build's, without reading it."""

    key: str  # keys.load_key
    hashes: dict[str, str | None]  # each page's and settings file's content hash, as loaded
    # Each page's keys.loaded_facts, and whether it is its folder's default page.
    facts: dict[str, tuple[str, bool]]
    read_said: dict[str, list[Diagnostic]]  # what reading each page said, if anything
    site_id: str  # that of the site kept with it (`KeptSite`)
    version: str = CACHE_VERSION


@dataclass
class KeptSite:
    """The site as loaded and its sidebar."""

    site_id: str
    site: SiteContent
    nav: tuple[NavParams, NavTree]  # the sidebar built of it, and what it was built with
    groups: SiteGroups  # its tags and categories
    said: list[Diagnostic]  # what loading the site said, in order (its pages' warnings too)
    version: str = CACHE_VERSION


@dataclass
class ReusedSite:
    """A kept site a build takes: its pages changed since bear their bodies as read now."""

    head: KeptHead
    kept: KeptSite
    # The pages as read of the cache files that keep the pages read again, and those pages
    # as read now: what the build stages of the pages as read (the other files stay).
    read: PageMemo
    read_again: int  # pages changed since the site was kept, or since the last build

    def nav_memo(self) -> NavMemo:
        """The kept sidebar, which making the chrome takes as it is (`NavMemo.build`)."""
        params, tree = self.kept.nav
        return NavMemo(last=(params, self.kept.site, tree))

    def note(self) -> str:
        pages = len(self.kept.site.pages)
        return (
            f"loaded {self.read_again} of {pages} pages again; "
            "the rest as the last full load left them"
        )


def worth_keeping(reused: ReusedSite | None) -> bool:
    """Whether a build keeps its site as loaded: one loaded whole, or one taken with many
    pages read again since it was kept."""
    return reused is None or reused.read_again > KEEP_AGAIN_AFTER


@dataclass
class SiteToKeep:
    """The site just loaded, pickled at once (rendering may change its pages), for the
    cache to put in place with the rest of the build's."""

    head: bytes
    site: bytes

    def stage(self, cache: BuildCache, staged: StagedCache) -> None:
        cache.stage_part(staged, SITE_PART, self.site)
        cache.stage_part(staged, HEAD_PART, self.head)

    def close(self) -> None:
        """Nothing to end (as `Keeping.close`): the bytes are staged or dropped."""


class Keeping:
    """The site just loaded, pickled and written beside its place in the cache by a process
    forked for it (`keep_site`): pickling 5,000 pages and their sidebar takes 120-150 ms,
    which a build that loaded its site whole (an edit of a label, a fresh build) spends
    rendering instead. The build puts the files in place with the rest of its cache
    (`stage`), or they are deleted (`close`)."""

    def __init__(self, aside: AsideAnswer):
        self._aside = aside
        self._staged = False

    def stage(self, cache: BuildCache, staged: StagedCache) -> None:
        """Add the files written to what `staged` puts in place (none if the process
        failed: the next build loads the site whole)."""
        written = self._wait()
        if len(written) == 2:
            cache.stage_written_part(staged, HEAD_PART, written[0])
            cache.stage_written_part(staged, SITE_PART, written[1])
            self._staged = True

    def close(self) -> None:
        """End the process; delete its files unless they were staged."""
        written = self._wait()
        if not self._staged:
            for path in written:
                with contextlib.suppress(OSError):
                    path.unlink()

    def _wait(self) -> list[Path]:
        """The temporary files written (none if the process failed)."""
        return [Path(path) for path in self._aside.answer(KEEPING_SECONDS) or []]


# How long a build waits for the process keeping its site (it takes a fraction of a second).
KEEPING_SECONDS = 60.0
# Sites of fewer pages are pickled by the build itself: a fork costs several milliseconds,
# and pickling 1,000 pages about 25.
KEEP_ASIDE_PAGES = 1000


def keep_site(
    cache: BuildCache, pickled: Callable[[], SiteToKeep | None], pages: int, aside: bool
) -> Keeping | SiteToKeep | None:
    """The site just loaded, kept (`pickled`: `site_to_keep` with its arguments): by a
    forked process (`Keeping`) for a site of `pages` large enough, with a core to spare
    (`aside`), else here."""
    if not aside or pages < KEEP_ASIDE_PAGES:
        return pickled()
    keeping = ask_aside(_keep, (cache, pickled), "docsite-keep")
    return Keeping(keeping) if keeping is not None else pickled()


def _keep(sender: Connection, cache: BuildCache, pickled: Callable[[], SiteToKeep | None]) -> None:
    """The forked process: the site pickled and written beside its place in the cache;
    the files' paths sent back (nothing if that failed)."""
    kept = pickled()
    if kept is not None:
        head = cache.write_part(HEAD_PART, kept.head)
        site = cache.write_part(SITE_PART, kept.site)
        sender.send([os.fspath(head), os.fspath(site)])
    sender.close()


def site_to_keep(
    config: SiteConfig,
    found: Discovery,
    scan: InputScan,
    loaded: tuple[SiteContent, NavMemo, SiteGroups],
    said: list[Diagnostic],
    read_said: dict[str, list[Diagnostic]],
) -> SiteToKeep | None:
    """The site just loaded (`loaded`: with its sidebar, `NavMemo.last`, and its groups);
    None for a sidebar nested deeper than pickle goes (it recurses): such a site is loaded
    whole by every build."""
    site, nav_memo, groups = loaded
    assert nav_memo.last is not None, "the sidebar is built"
    params, _, tree = nav_memo.last
    hashes = {source.rel: scan.content_hash(source.rel) for source in found.pages}
    hashes.update((rel, scan.content_hash(rel)) for rel in found.settings)
    facts = {page.source.rel: (loaded_facts(page), page.is_index) for page in site.pages}
    site_id = os.urandom(8).hex()
    head = KeptHead(load_key(config, found), hashes, facts, read_said, site_id)
    try:
        with collector_paused():
            return SiteToKeep(
                pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL),
                pickle.dumps(
                    KeptSite(site_id, site, (params, tree), groups, said),
                    protocol=pickle.HIGHEST_PROTOCOL,
                ),
            )
    except RecursionError:
        return None


def pages_said(read: PageMemo) -> dict[str, list[Diagnostic]]:
    """What reading each page said, of the pages that said anything (a full load's)."""
    return {rel: page.diagnostics for rel, page in read.current.items() if page.diagnostics}


def reuse_site(
    config: SiteConfig,
    found: Discovery,
    scan: InputScan,
    cache: BuildCache,
    last_files: dict[str, FileEntry],
) -> ReusedSite | None:
    """The kept site, if it is this build's but for the bodies of pages, which are read
    again (with the pages changed since the last build, whose files of the pages as read
    are staged anew); None when the site must be loaded whole. `last_files`: the inputs of
    the last build, which the pages as read in the cache were read from."""
    head = cache.load_part(HEAD_PART, KeptHead)
    if head is None or head.key != load_key(config, found):
        return None
    again = []
    for rel, kept in head.hashes.items():
        now = scan.content_hash(rel)
        if now != kept:
            if rel not in head.facts:  # a settings file
                return None
            again.append(rel)
        elif rel in head.facts:
            last = last_files.get(content_input(rel))
            if last is None or last[0] != now:
                again.append(rel)  # as kept, but its page as read in the cache is not
    read, bodies = _read_again(head, found, scan, cache, again)
    kept = cache.load_part(SITE_PART, KeptSite) if read is not None else None
    if read is None or kept is None or kept.site_id != head.site_id:
        return None
    for rel, body in bodies.items():
        kept.site.by_source[rel].body = body
    return ReusedSite(head, kept, read, len(again))


def _read_again(
    head: KeptHead, found: Discovery, scan: InputScan, cache: BuildCache, again: list[str]
) -> tuple[PageMemo | None, dict[str, str]]:
    """The pages at `again` read (or taken from the cache's pages as read), each with the
    facts and warnings it was kept with, and the other pages as read of their cache files;
    and their bodies. None when one differs."""
    previous = cache.load_pages_read_of(again)
    if previous is None:
        return None, {}
    read = PageMemo(previous, scan.content_hash)
    sources = _sources(found, again)
    settings = SettingsMemo()
    bodies = {}
    for rel in again:
        facts, is_index = head.facts[rel]
        reading = reading_of(sources[rel], is_index, found)
        local = Report()
        page = read.load(reading.source, reading.settings_file, is_index, local, settings)
        if page is None or load_facts(page) != facts or local.items != head.read_said.get(rel, []):
            return None, {}
        bodies[rel] = page.body
    read.current = {**previous, **read.current}
    return read, bodies


def _sources(found: Discovery, rels: list[str]) -> dict[str, SourceFile]:
    """The pages found at `rels`, by path."""
    wanted = set(rels)
    return {s.rel: s for s in found.pages if s.rel in wanted} if wanted else {}
