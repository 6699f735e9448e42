"""Watch mode's re-index in a thread (`BackgroundIndexer`): the served index ends as the
pages are, whatever the order in which changes and re-indexes come."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from docsite.keys import search_key
from docsite.search import background
from docsite.search.background import BackgroundIndexer
from docsite.search.indexing import IndexOutcome
from docsite.search.pages import SearchPage
from docsite.search.placing import KEY_FILE, read_key

BEFORE = [SearchPage("/a/", "a/index.html", "digest before")]
BETWEEN = [SearchPage("/a/", "a/index.html", "digest between")]


@pytest.fixture
def held_reindex(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Re-indexes that write their key once let go (`release`), after saying they started."""
    started, release = threading.Event(), threading.Event()

    def refresh(pages, site: Path, code, lock=None, state=None, pause=lambda: None):
        key = search_key(pages, code)
        if read_key(site) == key:
            return IndexOutcome("reused", len(pages))
        started.set()
        assert release.wait(10)
        (site / KEY_FILE).write_text(key + "\n", encoding="utf-8")
        return IndexOutcome("indexed", len(pages))

    monkeypatch.setattr(background, "refresh_index", refresh)
    return started, release


def served_site(tmp_path: Path, pages: list[SearchPage]) -> Path:
    site = tmp_path / "site"
    (site / KEY_FILE).parent.mkdir(parents=True)
    (site / KEY_FILE).write_text(search_key(pages, True) + "\n", encoding="utf-8")
    return site


def test_pages_changed_back_while_a_reindex_runs_are_indexed_after_it(tmp_path, held_reindex):
    """The served index is BEFORE's; a re-index for BETWEEN is under way when the pages
    change back: the served key is BEFORE's still, but BETWEEN's is about to replace it."""
    started, release = held_reindex
    site = served_site(tmp_path, BEFORE)
    indexer = BackgroundIndexer(quiet=0)
    try:
        assert indexer.schedule(BETWEEN, site, True)
        assert started.wait(10)
        assert indexer.schedule(BEFORE, site, True)
        release.set()
        assert indexer.idle()
    finally:
        indexer.stop()
    assert read_key(site) == search_key(BEFORE, True)


def test_pages_changed_back_before_a_pending_reindex_starts_keep_the_served_index(
    tmp_path, held_reindex
):
    started, release = held_reindex
    release.set()
    site = served_site(tmp_path, BEFORE)
    indexer = BackgroundIndexer(quiet=0.5)  # BETWEEN's re-index waits for the changes to settle
    try:
        assert indexer.schedule(BETWEEN, site, True)
        indexer.schedule(BEFORE, site, True)
        assert indexer.idle()
    finally:
        indexer.stop()
    assert not started.is_set()
    assert read_key(site) == search_key(BEFORE, True)


def test_pages_as_served_ask_for_no_reindex(tmp_path, held_reindex):
    site = served_site(tmp_path, BEFORE)
    indexer = BackgroundIndexer(quiet=0)
    try:
        assert not indexer.schedule(BEFORE, site, True)
    finally:
        indexer.stop()
