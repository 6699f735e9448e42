"""Watch mode's re-index in a thread (`BackgroundIndexer`): the served index ends as the
pages are, whatever the order in which changes and re-indexes come."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from docsite.cache import digest
from docsite.keys import search_key
from docsite.search import background
from docsite.search.background import BackgroundIndexer, refresh_index
from docsite.search.indexing import IndexOutcome
from docsite.search.pages import SearchPage, indexed_html
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


def written(site: Path, texts: dict[str, str]) -> dict[str, SearchPage]:
    """Pages written into a served site (name -> its words), as a build lists them."""
    pages = {}
    for name, text in texts.items():
        html = (
            f'<html lang="en"><body><main data-pagefind-body><h1>{text}</h1>'
            f"<p>{text} and more words</p></main></body></html>"
        )
        path = site / name / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        pages[name] = SearchPage(f"{name}/", f"{name}/index.html", digest(indexed_html(html)))
    return pages


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "whole"])
def test_a_page_written_again_before_the_reindex_reads_it_is_indexed_as_read(tmp_path, merged):
    """A re-index is asked for the pages as a build listed them; a later build writes one
    again before the re-index reads it. The index holds the page as read, and its key
    says so: a re-index asked for the listed pages once they are back is not taken as
    done (it was, before: the key named the listed pages and search showed the other)."""
    site = tmp_path / "site"
    first = refresh_index(list(written(site, {"a": "alpha", "b": "beta"}).values()), site, True)
    assert first.status == "indexed", first.error
    asked = list((written(site, {"a": "bravo"}) | written(site, {"b": "beta"})).values())
    now = list((written(site, {"a": "charlie"}) | written(site, {"b": "beta"})).values())
    outcome = refresh_index(asked, site, True, state=first.state if merged else None)
    assert outcome.status == ("updated" if merged else "indexed"), outcome.error
    assert read_key(site) == search_key(now, True) != search_key(asked, True)
    written(site, {"a": "bravo"})
    again = refresh_index(asked, site, True, state=outcome.state)
    assert again.status == "updated", again.error
    assert read_key(site) == search_key(asked, True)
