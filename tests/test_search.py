"""Search: what the theme marks for indexing, what goes into site/pagefind/, and when."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gzip
import importlib.metadata
import json
import os
import pickle
import random
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cbor2
import pytest
from conftest import Project, write_files
from packaging.requirements import Requirement

from docsite import search
from docsite.build import BuildOptions, build_site
from docsite.diagnostics import Report
from docsite.frontmatter import PageSettings
from docsite.pages import load_site
from docsite.search import index_format as search_index
from docsite.search import pagefind_client
from docsite.serve.live import LiveSite
from docsite.sources import discover

needs_pagefind = pytest.mark.skipif(
    not search.binary_available(), reason="the Pagefind binary is not installed"
)

FILES = {
    "docsite.yml": "title: Search Test\n",
    "content/index.md": "# Home\n\nWelcome to the search test.\n",
    "content/status.md": """
        ---
        tags: [http, errors]
        ---
        # Status

        ## 502: Bad Gateway

        The upstream server answered badly.

        ```python
        print("codeonlyword")
        ```
        """,
    "content/guide/index.md": "# Guide\n\nThe guide.\n",
    "content/guide/setup.md": "# Setup\n\n## Install\n\nInstall the frobnicator.\n",
    "content/secret.md": """
        ---
        visibility: hidden
        ---
        # Secret

        The word zanzibarite appears only here.
        """,
}


def fragments(site: Path) -> dict[str, dict]:
    """Pagefind's per-page records, by URL (gzip of 'pagefind_dcd' + JSON)."""
    found = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data.removeprefix(b"pagefind_dcd"))
        found[record["url"]] = record
    return found


@pytest.fixture
def built(project: Project) -> Project:
    project.write(FILES)
    result = project.build()
    assert result.ok, project.messages(result)
    return project


# What the theme marks --------------------------------------------------------------


def test_only_the_article_is_marked_for_indexing(built: Project):
    page = built.page("guide/setup/index.html")
    bodies = page.select("[data-pagefind-body]")
    assert [b.name for b in bodies] == ["article"]
    for chrome in page.select(".sidebar, .site-header, .site-footer, .breadcrumbs, .pager"):
        assert chrome.find_parent("article") is None
        assert not chrome.select("[data-pagefind-body]")


def test_tags_and_section_are_filters(built: Project):
    status = built.page("status/index.html")
    assert [li.get_text() for li in status.select("[data-pagefind-filter=tag]")] == [
        "http",
        "errors",
    ]
    assert status.select_one("ul.tags").has_attr("data-pagefind-ignore")
    setup = built.page("guide/setup/index.html").select_one("article")
    assert setup["data-pagefind-filter"] == "section:Guide"
    assert setup["data-pagefind-meta"] == "section:Guide"
    guide = built.page("guide/index.html").select_one("article")
    assert guide["data-pagefind-filter"] == "section:Guide"
    home = built.page("index.html").select_one("article")
    assert not home.has_attr("data-pagefind-filter")


def test_hidden_pages_redirects_and_404_are_left_out():
    class FakePage:
        def __init__(self, url, visibility="public", redirect=""):
            self.url = url
            self.output_path = url + "index.html" if url.endswith("/") or not url else url
            self.settings = PageSettings()
            self.settings.visibility = visibility
            self.settings.redirect = redirect

    assert search.is_searchable(FakePage("guide/"))
    assert not search.is_searchable(FakePage("secret/", visibility="hidden"))
    assert not search.is_searchable(FakePage("404.html"))
    assert not search.is_searchable(FakePage("404/"))
    assert not search.is_searchable(FakePage("old/", redirect="new/"))


def test_code_setting_defaults_to_indexed(tmp_path):
    from docsite.config import load_config
    from docsite.diagnostics import Report

    assert load_config(tmp_path, None, Report()).search_code
    (tmp_path / "docsite.yml").write_text("search:\n  code: false\n")
    assert not load_config(tmp_path, None, Report()).search_code
    assert "pre" not in search.pagefind_config(True)["exclude_selectors"]
    assert "pre" in search.pagefind_config(False)["exclude_selectors"]
    assert ".header-anchor" in search.pagefind_config(True)["exclude_selectors"]


# The index ------------------------------------------------------------------------


@needs_pagefind
def test_build_writes_the_index_of_public_pages(built: Project):
    index = built.out / "pagefind"
    assert (index / "pagefind.js").is_file()
    assert (index / "pagefind-entry.json").is_file()
    assert not list(index.glob("pagefind-ui*")), "Pagefind's own UI is not shipped"
    records = fragments(built.out)
    assert set(records) == {"/", "/status/", "/guide/", "/guide/setup/"}
    status = records["/status/"]
    assert status["meta"]["title"] == "Status"
    assert sorted(status["filters"]["tag"]) == ["errors", "http"]
    assert "502-bad-gateway" in [a["id"] for a in status["anchors"]]
    assert "Gateway" in status["content"]
    assert "codeonlyword" in status["content"], "code blocks are indexed by default"
    assert "#" not in status["content"].split(), "heading anchors are not content"
    assert records["/guide/setup/"]["filters"]["section"] == ["Guide"]
    everything = " ".join(r["content"] for r in records.values())
    assert "zanzibarite" not in everything
    assert "Search Test" not in everything, "the header is not indexed"


@needs_pagefind
def test_a_page_whose_path_a_file_takes_is_left_out_of_the_index(project: Project):
    """A file of static/ is published at the page's address, in place of the page: search
    led to the file with the page's words. Left out when indexed whole and when patched."""
    project.write({**FILES, "static/status/index.html": "<p>Ours</p>\n"})
    assert project.build().ok
    assert (project.out / "status/index.html").read_text() == "<p>Ours</p>\n"
    assert set(fragments(project.out)) == {"/", "/guide/", "/guide/setup/"}
    edit_one_page(project)
    assert set(fragments(project.out)) == {"/", "/guide/", "/guide/setup/"}
    (project.root / "static/status/index.html").unlink()
    assert project.build().ok
    assert "/status/" in fragments(project.out)


@needs_pagefind
def test_unchanged_pages_reuse_the_index(built: Project):
    index = built.out / "pagefind"
    before = {p.name: p.stat().st_ino for p in index.rglob("*") if p.is_file()}
    built.write({"content/notes.txt": "an asset, not a page"})
    result = built.build()
    assert result.ok
    assert "search: index reused" in result.notes
    after = {p.name: p.stat().st_ino for p in index.rglob("*") if p.is_file()}
    assert after == before, "the previous index is hard-linked, not rewritten"


def edit_one_page(project: Project) -> list[str]:
    """Add a word to one page and rebuild: the build's notes."""
    page = project.root / "content/guide/setup.md"
    page.write_text(page.read_text() + "\nNow with quuxification.\n")
    result = project.build()
    assert result.ok, project.messages(result)
    return result.notes


@needs_pagefind
def test_a_changed_page_reindexes_and_keeps_unchanged_files(built: Project):
    index = built.out / "pagefind"
    wasm = (index / "wasm.en.pagefind").stat().st_ino
    other = {p.stat().st_ino for p in (index / "fragment").iterdir()}
    notes = edit_one_page(built)
    # Only the changed page went through Pagefind; it was merged into the last index.
    assert any(n.startswith("search: re-indexed 1 of 4 pages") for n in notes), notes
    assert "quuxification" in fragments(built.out)["/guide/setup/"]["content"]
    assert (index / "wasm.en.pagefind").stat().st_ino == wasm
    kept = other & {p.stat().st_ino for p in (index / "fragment").iterdir()}
    assert len(kept) == 3, "the other pages' fragments are the same files"


@needs_pagefind
def test_pages_sorted_by_pagefind_are_indexed_whole_each_time(built: Project):
    for name, weight in (("guide/setup.md", 2), ("status.md", 1)):
        page = built.root / "content" / name
        page.write_text(
            page.read_text() + f'\n<span data-pagefind-sort="weight:{weight}"></span>\n'
        )
    result = built.build()
    assert result.ok, built.messages(result)
    index = built.out / "pagefind"
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = search_index.decode(
        (index / f"pagefind.{entry['languages']['en']['hash']}.pf_meta").read_bytes()
    )
    urls = [
        json.loads(gzip.decompress((index / f"fragment/{h}.pf_fragment").read_bytes())[12:])["url"]
        for h, _ in meta[1]
    ]
    (sort,) = meta[4]
    assert sort[0] == "weight" and [urls[n] for n in sort[1]] == ["/status/", "/guide/setup/"]
    notes = edit_one_page(built)
    # A sort orders the whole site: the index is built whole, not merged.
    assert any(n.startswith("search: indexed 4 pages") for n in notes), notes


@needs_pagefind
def test_pages_whose_files_change_order_are_indexed_in_their_new_order(tmp_path):
    """Pagefind numbers pages in output-path order. `directory_index.name: default.htm`
    puts the home page's file (index.html, after guide/) first with no page changed: the
    merge numbered the pages anew but left each word's pages in their old order."""
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "docsite.yml": "title: X\n",
            "content/index.md": "# Home\n\nWords.\n",
            "content/guide/index.md": "# Guide\n\nMore words.\n",
            "content/guide/a.md": "# A\n\nAlpha.\n",
        },
    )
    assert build_site(BuildOptions(root=root, jobs=1)).ok
    (root / "docsite.yml").write_text(
        "title: X\ngenerator:\n  directory_index:\n    name: default.htm\n"
    )
    assert build_site(BuildOptions(root=root, jobs=1)).ok
    clean = tmp_path / "clean"
    assert build_site(BuildOptions(root=root, out=clean, use_cache=False, jobs=1)).ok

    def index(site: Path) -> dict[str, bytes]:
        folder = site / "pagefind"
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.pf_*")}

    assert index(root / "site") == index(clean)


@needs_pagefind
def test_a_lost_search_cache_indexes_the_site_whole(built: Project):
    for part in (built.root / ".docsite-cache").glob("search-*.pickle"):
        part.write_bytes(b"damaged")
    notes = edit_one_page(built)
    assert any(n.startswith("cache ignored: ") and "search-" in n for n in notes), notes
    assert any(n.startswith("search: indexed 4 pages") for n in notes), notes
    assert "quuxification" in fragments(built.out)["/guide/setup/"]["content"]


@needs_pagefind
def test_a_new_docsite_indexes_anew_in_its_first_build_and_merges_the_next_edit(
    built: Project, monkeypatch
):
    """The first build by another docsite (another engine) renders every page again and
    makes the index anew, giving Pagefind the pages as they render; the next edit is merged
    into that index rather than indexing every page again."""
    from docsite import cache
    from docsite.build import site as build_site_module

    key = (built.out / "pagefind/.docsite-key").read_text(encoding="utf-8")
    monkeypatch.setattr(cache, "_ENGINE_DIGEST", ["another docsite"])
    fed = []
    real_feeder = build_site_module.index_feeder
    monkeypatch.setattr(
        build_site_module,
        "index_feeder",
        lambda *args: fed.append(real_feeder(*args)) or fed[-1],
    )
    result = built.build()
    assert result.ok, built.messages(result)
    assert any(n.startswith("search: indexed 4 pages") for n in result.notes), result.notes
    assert fed and fed[-1] is not None, "Pagefind was not given the pages as they rendered"
    assert (built.out / "pagefind/.docsite-key").read_text(encoding="utf-8") != key
    notes = edit_one_page(built)
    assert any(n.startswith("search: re-indexed 1 of 4 pages") for n in notes), notes
    assert "quuxification" in fragments(built.out)["/guide/setup/"]["content"]


def test_missing_binary_warns_once_and_builds(project: Project, monkeypatch):
    monkeypatch.setattr(pagefind_client, "binary_available", lambda: False)
    project.write(FILES)
    result = project.build()
    assert result.ok
    warnings = [d for d in result.report.items if "Pagefind" in d.message]
    assert len(warnings) == 1
    assert warnings[0].message == search.MISSING_BINARY
    assert "pagefind[bin]" in warnings[0].hint
    assert not (project.out / "pagefind").exists()
    assert "search: index unavailable (no Pagefind binary)" in result.notes


@needs_pagefind
def test_a_pagefind_that_cannot_start_warns_once_and_the_site_is_built(tmp_path, monkeypatch):
    """A binary that is there but does not run: the pages given to it while they render
    fail at once, the index made whole fails the same way, and the build says why in one
    warning, with the site written."""
    from docsite.search import indexing

    broken = tmp_path / "pagefind"
    broken.write_text("not a program\n")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    monkeypatch.setattr(indexing, "PART_WORK", 10 * indexing.PAGE_WORK)
    project = Project(tmp_path / "project").write(MANY_PAGES)
    result = build_site(BuildOptions(root=project.root, out=project.out, jobs=2))
    assert result.ok, project.messages(result)
    (warning,) = [d for d in result.report.items if "Pagefind" in d.message]
    assert "Pagefind could not start" in warning.message and "denied" in warning.message
    assert all((project.out / f"part{n % 5}/page{n}/index.html").is_file() for n in range(60))
    assert not (project.out / "pagefind").exists()


def test_pagefind_s_binary_is_found_where_its_own_client_looks(tmp_path, monkeypatch):
    """PAGEFIND_BINARY_PATH, then the binary packages (the extended one first), then PATH,
    as Pagefind's client looks; none of them: no binary, and search is left out."""
    import sys
    import types

    def program(path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
        return path

    extended, plain = program(tmp_path / "ext/pagefind_extended"), program(tmp_path / "bin/pf")
    on_path = program(tmp_path / "path/pagefind")
    for name, binary in (("fake_pf_extended", extended), ("fake_pf", plain)):
        monkeypatch.setitem(
            sys.modules, name, types.SimpleNamespace(get_executable=lambda b=binary: b)
        )
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setenv("PATH", str(on_path.parent))
    packages = ("fake_pf_extended", "fake_pf")
    monkeypatch.setattr(pagefind_client, "BINARY_PACKAGES", packages)
    assert pagefind_client._executable() == str(extended)
    monkeypatch.setattr(pagefind_client, "BINARY_PACKAGES", ("no_such_package", "fake_pf"))
    assert pagefind_client._executable() == str(plain)
    monkeypatch.setattr(pagefind_client, "BINARY_PACKAGES", ("no_such_package",))
    assert pagefind_client._executable() == str(on_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(plain))
    assert pagefind_client._executable() == str(plain)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "missing"))
    assert search.binary_available() is False
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert search.binary_available() is False


def test_a_build_with_search_imports_no_event_loop(project):
    """docsite talks to Pagefind from plain threads, and finds its binary without
    Pagefind's asyncio client: a build loads neither asyncio nor ssl (12 ms)."""
    import subprocess
    import sys

    project.write({"content/index.md": "# Home\n\nSearchable words.\n"})
    script = (
        "import sys\nfrom docsite.cli import main\n"
        "try:\n    main(['build', '-q'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('asyncio', 'ssl', 'pagefind.service') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=project.root, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (project.out / "pagefind/pagefind.js").is_file(), "the index was built"
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout


# Pagefind versions ----------------------------------------------------------------

PUBLIC_URLS = {"/", "/status/", "/guide/", "/guide/setup/"}


def check_whole_index(site: Path) -> dict[str, dict]:
    """Read pagefind/ from its entry file down: one language, its meta file, and every
    fragment, word chunk and filter file that names. The fragments, by URL."""
    index = site / "pagefind"
    assert (index / "pagefind.js").is_file() and (index / "wasm.en.pagefind").is_file()
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["en"]
    about = entry["languages"]["en"]
    meta = search_index.decode((index / f"pagefind.{about['hash']}.pf_meta").read_bytes())
    assert about["page_count"] == len(meta[1])
    records = {}
    for name, _word_count in meta[1]:
        data = gzip.decompress((index / f"fragment/{name}.pf_fragment").read_bytes())
        record = json.loads(data.removeprefix(b"pagefind_dcd"))
        records[record["url"]] = record
    words = set()
    for _first, _last, name in meta[2]:
        (chunk,) = search_index.decode((index / f"index/{name}.pf_index").read_bytes())
        words |= {word for word, _entries, _forms in chunk}
    assert {"gateway", "guid", "welcom"} <= words, "the pages' (stemmed) words are indexed"
    for name, file_hash in meta[3]:
        filter_name, values = search_index.decode(
            (index / f"filter/{file_hash}.pf_filter").read_bytes()
        )
        assert filter_name == name and values
    assert sorted(name for name, _ in meta[3]) == ["section", "tag"]
    return records


def index_notes(notes: list[str]) -> list[str]:
    return [note for note in notes if note.startswith("search: ")]


def test_docsite_is_written_for_pagefind_versions_its_pin_allows():
    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    pins = [Requirement(dependency) for dependency in pyproject["project"]["dependencies"]]
    (pin,) = [pin for pin in pins if pin.name == "pagefind"]
    assert pagefind_client.WRITTEN_FOR
    assert all(pin.specifier.contains(version) for version in pagefind_client.WRITTEN_FOR)


@needs_pagefind
def test_the_pinned_pagefind_runs_docsite_s_client_and_patches_the_index(
    project: Project, monkeypatch
):
    pagefind = pagefind_client.installed()
    assert pagefind.version == importlib.metadata.version("pagefind")
    assert pagefind.patchable, f"docsite was not written for Pagefind {pagefind.version}"
    assert pagefind.note() == ""
    launched = []

    class Counted(pagefind_client._Service):
        def __init__(self, background: bool = False):
            launched.append(True)
            super().__init__(background)

    monkeypatch.setattr(pagefind_client, "_Service", Counted)
    project.write(FILES)
    result = project.build()
    assert result.ok, project.messages(result)
    assert len(launched) == 1
    assert set(check_whole_index(project.out)) == PUBLIC_URLS
    notes = edit_one_page(project)
    assert len(launched) == 2, "the changed page went through docsite's client"
    assert [n for n in index_notes(notes) if n.startswith("search: re-indexed 1 of 4")], notes
    assert not [n for n in index_notes(result.notes + notes) if "whole index" in n]
    assert list((project.root / ".docsite-cache").glob("search-*.pickle"))


class _CountedText(str):
    """A page's HTML that counts how often it is formatted for display (`repr`)."""

    shown = 0

    def __repr__(self) -> str:
        _CountedText.shown += 1
        return super().__repr__()


@needs_pagefind
def test_docsite_s_client_gives_pagefind_a_page_without_formatting_it_for_a_log(monkeypatch):
    """The stock client formats each request whole for a debug line, even when nothing
    logs it: docsite's sends the page as the stock one does, and formats nothing."""
    monkeypatch.setattr(_CountedText, "shown", 0)
    html = _CountedText(
        '<html lang="en"><body><h1>Gateway</h1><p>Tokens and gateways.</p></body></html>'
    )
    session = pagefind_client.IndexSession(search.pagefind_config(False))
    session.add("/gateway/", lambda: html)
    files = session.files()
    index, fragments = search_index.read_index(files)
    assert list(fragments) == ["/gateway/"] and "gateway" in index.languages["en"].words
    assert _CountedText.shown == 0


@needs_pagefind
def test_a_session_closed_while_pages_are_indexed_ends_its_pagefind():
    """Watch mode stops a build for a newer change, and the build's Pagefinds with it, pages
    still under way: each Pagefind ends (the stock close stopped at a cancelled page's answer
    and left it waiting for input)."""
    for trial in range(8):
        session = pagefind_client.IndexSession(search.pagefind_config(False))
        for n in range(40):
            session.add(
                f"/p{n}/", lambda n=n: f"<html lang='en'><body><p>page {n}</p></body></html>"
            )
        time.sleep(0.005 * (trial % 3))
        session.close()
        with pytest.raises(ProcessLookupError):
            os.kill(session._service.process.pid, 0)


# How long a test waits for an answer before it calls the client stuck.
STUCK_SECONDS = 60


def _settle(future: concurrent.futures.Future, work: Callable[[], object]) -> None:
    try:
        future.set_result(work())
    except BaseException as error:
        future.set_exception(error)


@needs_pagefind
def test_docsite_s_client_fails_each_request_pagefind_refuses_with_pagefind_s_words():
    """An error answer fails its own request, also one Pagefind could not read (its number
    comes back only in the copy of the message Pagefind sends); the others are answered."""
    service = pagefind_client._Service()
    try:
        page = "<html lang='en'><body><p>Gateway</p></body></html>"
        no_index = service.send(
            {
                "type": "AddFile",
                "index_id": 99,
                "file_path": None,
                "url": "/a/",
                "file_contents": page,
            }
        )
        unknown = service.send({"type": "Reindex"})
        created = service.send({"type": "NewIndex", "config": {}})
        with pytest.raises(pagefind_client.ServiceError, match="Invalid index"):
            no_index.result(STUCK_SECONDS)
        with pytest.raises(pagefind_client.ServiceError, match="unknown variant `Reindex`"):
            unknown.result(STUCK_SECONDS)
        assert isinstance(created.result(STUCK_SECONDS)["index_id"], int)
    finally:
        service.close()


@needs_pagefind
@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX signals")
def test_a_session_whose_pagefind_ends_fails_instead_of_waiting():
    """A Pagefind that dies with pages given to it and not answered fails those pages and
    the files asked for, which sends the build to index the site whole; what is asked after
    fails at once. Nothing waits for an answer that cannot come."""
    session = pagefind_client.IndexSession(search.pagefind_config(False))
    service = session._service
    session._created.result(STUCK_SECONDS)
    os.kill(service.process.pid, signal.SIGSTOP)  # it reads nothing more, answers nothing
    page = "<html lang='en'><body><p>page {}</p></body></html>"
    session.add("/a/", lambda: page.format("a"))
    session.add("/b/", lambda: page.format("b"))
    deadline = time.monotonic() + STUCK_SECONDS
    while len(service._due) < 2 and time.monotonic() < deadline:  # both sent, none answered
        time.sleep(0.01)
    service.process.kill()
    asked: concurrent.futures.Future = concurrent.futures.Future()
    # In a thread that a stuck client cannot keep the tests waiting for.
    threading.Thread(target=lambda: _settle(asked, session.files), daemon=True).start()
    with pytest.raises(pagefind_client.ServiceStopped, match="without an answer"):
        asked.result(STUCK_SECONDS)
    with pytest.raises(ProcessLookupError):
        os.kill(service.process.pid, 0)
    later = service.send({"type": "NewIndex", "config": {}})
    with pytest.raises(pagefind_client.ServiceStopped):
        later.result(STUCK_SECONDS)


@needs_pagefind
@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX signals")
def test_a_pagefind_that_hangs_is_ended_and_what_it_owes_fails(monkeypatch):
    """A Pagefind that stops answering (stopped here, as a hang looks from outside) is
    ended once it has owed an answer without a word for longer than its patience: what it
    owes fails with ServiceHung, which says how long it was silent."""
    monkeypatch.setattr(pagefind_client, "SILENT_SECONDS", 0.3)
    session = pagefind_client.IndexSession(search.pagefind_config(False))
    service = session._service
    session._created.result(STUCK_SECONDS)
    os.kill(service.process.pid, signal.SIGSTOP)
    session.add("/a/", lambda: "<html lang='en'><body><p>page a</p></body></html>")
    asked: concurrent.futures.Future = concurrent.futures.Future()
    threading.Thread(target=lambda: _settle(asked, session.files), daemon=True).start()
    with pytest.raises(pagefind_client.ServiceHung, match=r"no answer for \d+ s, and was ended"):
        asked.result(STUCK_SECONDS)
    assert service.process.returncode == -signal.SIGKILL  # ended by the watch, and reaped


@needs_pagefind
@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX signals")
def test_a_pagefind_silent_for_less_than_its_patience_is_left_to_answer(monkeypatch):
    """Silence shorter than the patience (a large site's files take a while) ends nothing,
    and each page given adds to it."""
    monkeypatch.setattr(pagefind_client, "SILENT_SECONDS", 1.5)
    session = pagefind_client.IndexSession(search.pagefind_config(False))
    service = session._service
    try:
        session._created.result(STUCK_SECONDS)
        os.kill(service.process.pid, signal.SIGSTOP)
        for n in range(20):
            session.add(f"/p{n}/", lambda n=n: f"<html lang='en'><body><p>w{n}</p></body></html>")
        time.sleep(0.5)
        os.kill(service.process.pid, signal.SIGCONT)
        index, fragments = search_index.read_index(session.files())
        assert len(fragments) == 20 and "w7" in index.languages["en"].words
        assert service.patience == pytest.approx(1.5 + 20 * pagefind_client.SILENT_SECONDS_PER_PAGE)
    finally:
        session.close()


@needs_pagefind
def test_a_build_whose_pagefind_hangs_warns_once_and_writes_the_site(tmp_path, monkeypatch):
    """Pagefinds that never answer, given the pages as they render: the build ends them,
    says so in one warning and writes the site without an index. It does not index the
    pages whole again, which would wait as long a second time."""
    from docsite.search import indexing

    silent = tmp_path / "pagefind"
    # Reads every request, answers none, and keeps its end of the answers' pipe open.
    silent.write_text(f"#!{sys.executable}\nimport sys\nsys.stdin.buffer.read()\n")
    silent.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(silent))
    monkeypatch.setattr(pagefind_client, "SILENT_SECONDS", 0.3)
    monkeypatch.setattr(indexing, "PART_WORK", 10 * indexing.PAGE_WORK)

    def again(*args, **kwargs):
        raise AssertionError("the pages were given to a Pagefind again")

    monkeypatch.setattr(indexing, "pagefind_files", again)
    project = Project(tmp_path / "project").write(MANY_PAGES)
    result = build_site(BuildOptions(root=project.root, out=project.out, jobs=2))
    assert result.ok, project.messages(result)
    (warning,) = [d for d in result.report.items if "Pagefind" in d.message]
    assert warning.message.startswith("search index not built: Pagefind gave no answer for ")
    assert all((project.out / f"part{n % 5}/page{n}/index.html").is_file() for n in range(60))
    assert not (project.out / "pagefind").exists()


def test_a_stock_client_session_that_hangs_is_given_up_after_its_time(monkeypatch):
    """Pagefind's own client gives no way to see a silent Pagefind: its whole session has a
    time limit, which grows with the pages."""

    async def hangs(documents, config):
        await asyncio.sleep(STUCK_SECONDS)

    monkeypatch.setattr(pagefind_client, "_stock_session", hangs)
    monkeypatch.setattr(pagefind_client, "SILENT_SECONDS", 0.2)
    monkeypatch.setattr(pagefind_client, "STOCK_SECONDS_PER_PAGE", 0.1)
    other = pagefind_client.Pagefind("1.6.0")
    pages = [(f"/p{n}/", "<html lang='en'><body><p>x</p></body></html>") for n in range(3)]
    with pytest.raises(pagefind_client.ServiceHung, match=r"no index within 0 s, and was ended"):
        other.index(pages, search.pagefind_config(True))


def test_the_installed_version_is_read_from_its_dist_info_folder(tmp_path, monkeypatch):
    """Beside the package Python imports; importlib.metadata, 20 ms to import, is not used."""
    site = tmp_path / "site-packages"
    write_files(site, {"pagefind/__init__.py": "", "pagefind-9.8.7.dist-info/METADATA": ""})
    monkeypatch.delitem(sys.modules, "pagefind", raising=False)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(importlib.metadata, "version", lambda name: pytest.fail("not needed"))
    assert pagefind_client.installed_version() == "9.8.7"


def test_without_a_dist_info_folder_the_version_comes_from_the_metadata(tmp_path, monkeypatch):
    """An install of another kind (an egg, two versions' folders left side by side)."""
    site = tmp_path / "site-packages"
    write_files(
        site,
        {
            "pagefind/__init__.py": "",
            "pagefind-1.0.0.dist-info/METADATA": "",
            "pagefind-1.1.0.dist-info/METADATA": "",
        },
    )
    monkeypatch.delitem(sys.modules, "pagefind", raising=False)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "1.1.0+asked")
    assert pagefind_client.installed_version() == "1.1.0+asked"


@needs_pagefind
def test_a_build_that_indexes_does_not_import_importlib_metadata(tmp_path):
    write_files(tmp_path, {"content/index.md": "# Home\n", "content/b.md": "# B\n"})
    script = (
        "import sys\n"
        "from docsite.build import BuildOptions, build_site\n"
        "from pathlib import Path\n"
        "result = build_site(BuildOptions(root=Path('.'), jobs=1))\n"
        "assert result.ok and Path('site/pagefind').is_dir()\n"
        "print('importlib.metadata' in sys.modules)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert ran.stdout.strip() == "False"


@needs_pagefind
def test_another_pagefind_version_is_run_through_its_stock_client_and_indexed_whole(
    project: Project, monkeypatch
):
    monkeypatch.setattr(pagefind_client, "installed_version", lambda: "1.6.0")

    def not_docsite_s(background: bool = False):
        raise AssertionError("docsite's client is for the Pagefind it was written for")

    monkeypatch.setattr(pagefind_client, "_Service", not_docsite_s)
    project.write(FILES)
    result = project.build()
    assert result.ok, project.messages(result)
    whole = "; Pagefind 1.6.0: whole index (docsite's incremental index supports "
    (note,) = index_notes(result.notes)
    assert note.startswith("search: indexed 4 pages") and whole in note, note
    records = check_whole_index(project.out)
    assert set(records) == PUBLIC_URLS
    assert "Gateway" in records["/status/"]["content"]
    assert not list((project.root / ".docsite-cache").glob("search-*.pickle")), (
        "no index is kept to be patched"
    )
    # A changed page: Pagefind indexes the whole site again.
    (note,) = index_notes(edit_one_page(project))
    assert note.startswith("search: indexed 4 pages") and whole in note, note
    assert "quuxification" in check_whole_index(project.out)["/guide/setup/"]["content"]
    # No page changed: the index is reused, as with any version.
    project.write({"content/notes.txt": "an asset, not a page"})
    result = project.build()
    assert index_notes(result.notes) == ["search: index reused"]


@needs_pagefind
def test_an_index_of_another_pagefind_is_never_patched_with_the_state_of_an_older_one(
    project: Project, monkeypatch
):
    """Pagefind upgraded, then back: the index on disk is the other version's, made for the
    very pages the last state describes (the same key). The state goes with the index it
    described, so the next edit indexes the site whole, without trying to patch that
    version's files (whose names may be those the state expects)."""
    project.write(FILES)
    assert project.build().ok  # the state of this index, for these pages
    setup = project.root / "content/guide/setup.md"
    first = setup.read_text()
    with monkeypatch.context() as other:
        other.setattr(pagefind_client, "installed_version", lambda: "1.6.0")
        edit_one_page(project)
        project.write({"content/guide/setup.md": first})  # the same pages again
        (note,) = index_notes(project.build().notes)
        assert note.startswith("search: indexed 4 pages"), note
    assert not list((project.root / ".docsite-cache").glob("search-*.pickle"))
    (note,) = index_notes(edit_one_page(project))
    assert note.startswith("search: indexed 4 pages") and "not updated" not in note, note
    assert "quuxification" in check_whole_index(project.out)["/guide/setup/"]["content"]


@needs_pagefind
def test_another_pagefind_version_in_watch_mode_reindexes_whole(project: Project, monkeypatch):
    monkeypatch.setattr(pagefind_client, "installed_version", lambda: "1.6.0")
    project.write(FILES)
    live = LiveSite(BuildOptions(root=project.root, out=project.out))
    live.search.quiet = 0.05
    try:
        assert not live.full_build().failed
        assert live.search.idle()
        page = project.root / "content/guide/setup.md"
        page.write_text(page.read_text().replace("frobnicator", "thingamajig"))
        live.apply([page])
        assert live.search.idle()
        assert live.search.last is not None and live.search.last.status == "indexed"
        assert live.search.state is None
        assert "thingamajig" in check_whole_index(project.out)["/guide/setup/"]["content"]
    finally:
        live.close()


@needs_pagefind
def test_a_stock_client_that_stops_reading_fails_instead_of_waiting_forever(monkeypatch):
    from pagefind.service import PagefindService

    async def stops(self):
        # What the stock reader raises on an answer over its 2 MiB line limit.
        raise asyncio.LimitOverrunError("Separator is not found, and chunk exceed the limit", 0)

    monkeypatch.setattr(PagefindService, "_wait_for_responses", stops)
    page = "<html lang='en'><body><main>Hello there</main></body></html>"
    other = pagefind_client.Pagefind("1.6.0")
    with pytest.raises(pagefind_client.ClientStopped, match=r"stopped reading .*chunk exceed"):
        other.index([("/", page)], search.pagefind_config(True))


# The index as data (search_index) ---------------------------------------------------


@dataclass
class FakePage:
    """A page as Pagefind would index it: words with their locations, filters, meta."""

    url: str
    words: dict[str, list[int]]
    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=lambda: {"title": "T"})
    forms: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # word -> form -> locs


def pagefind_files(pages: list[FakePage], shuffle: random.Random | None = None) -> dict:
    """The files Pagefind 1.5 writes for `pages`, laid out as it lays them out (one chunk);
    with `shuffle`, the hash-map orders (filters, their values) come out shuffled."""

    def gz(body: bytes) -> bytes:
        return gzip.compress(b"pagefind_dcd" + body, mtime=0)  # as Pagefind writes them

    fields = sorted({name for page in pages for name in page.meta})
    files: dict[str, bytes] = {}
    listed = []
    words: dict[str, dict[str, list]] = {}
    values: dict[str, dict[str, list[int]]] = {}
    for number, page in enumerate(pages):
        text = json.dumps({"url": page.url, "filters": page.filters, "meta": page.meta})
        name = search_index.short_hash("en", text.encode(), 7)
        files[f"fragment/{name}.pf_fragment"] = gz(text.encode())
        listed.append([name, len(page.words)])
        # Each of the page's meta fields, by its number among the site's, and a location.
        meta_locs = []
        for at, name in enumerate(sorted(page.meta)):
            meta_locs += [-1 - fields.index(name), at]
        for word, locs in page.words.items():
            words.setdefault(word, {}).setdefault("", []).append([number, locs, meta_locs])
        for word, forms in page.forms.items():
            for form, locs in forms.items():
                words.setdefault(word, {}).setdefault(form, []).append([number, locs, []])
        for filter_name, filter_values in page.filters.items():
            for value in filter_values:
                values.setdefault(filter_name, {}).setdefault(value, []).append(number)

    def deltas(entries: list) -> list:
        previous = 0
        found = []
        for number, locs, meta in entries:
            found.append([number - previous, locs, meta])
            previous = number
        return found

    chunk = [
        [word, deltas(forms.get("", [])), [[f, deltas(e)] for f, e in forms.items() if f]]
        for word, forms in sorted(words.items())
    ]
    body = cbor2.dumps([chunk])
    chunk_name = search_index.short_hash("en", body, 7)
    files[f"index/{chunk_name}.pf_index"] = gz(body)
    filters = []
    order = list(values.items())
    if shuffle:
        shuffle.shuffle(order)
    for filter_name, found in order:
        items = [[value, numbers] for value, numbers in found.items()]
        if shuffle:
            shuffle.shuffle(items)
        body = cbor2.dumps([filter_name, items])
        file_name = search_index.short_hash("en", body, 7)
        files[f"filter/{file_name}.pf_filter"] = gz(body)
        filters.append([filter_name, file_name])
    meta = ["1.5.2", listed, [[chunk[0][0], chunk[-1][0], chunk_name]], filters, [], fields]
    meta_body = cbor2.dumps(meta)
    meta_name = search_index.short_hash("en", meta_body, 10)
    files[f"pagefind.{meta_name}.pf_meta"] = gz(meta_body)
    files["pagefind-entry.json"] = json.dumps(
        {"version": "1.5.2", "languages": {"en": {"hash": meta_name, "page_count": len(pages)}}}
    ).encode()
    return files


def written(pages: list[FakePage], shuffle: random.Random | None = None) -> dict[str, bytes]:
    index, fragments = search_index.read_index(pagefind_files(pages, shuffle))
    done = index.write()
    return done.files | {done.fragment_files[url]: data for url, data in fragments.items()}


def fake_pages(rng: random.Random, count: int, words: int = 30) -> list[FakePage]:
    vocabulary = [f"w{n}" for n in range(words)]
    pages = []
    for number in range(count):
        words = {
            w: sorted(rng.sample(range(200), rng.randint(1, 4))) for w in rng.sample(vocabulary, 8)
        }
        forms = {"w1": {"wé": [rng.randrange(200)]}} if rng.random() < 0.3 else {}
        meta = {"title": f"P{number}"} | ({"section": "S"} if rng.random() < 0.7 else {})
        filters = {"tag": rng.sample(["a", "b", "c"], rng.randint(0, 2))}
        pages.append(FakePage(f"/p{number}/", words, filters, meta, forms))
    return pages


def test_filters_come_out_in_one_order_whatever_order_pagefind_wrote():
    pages = fake_pages(random.Random(1), 6)
    one = written(pages, random.Random(2))
    assert one == written(pages, random.Random(3)) == written(pages)
    entry = json.loads(one["pagefind-entry.json"])
    meta = search_index.decode(one[f"pagefind.{entry['languages']['en']['hash']}.pf_meta"])
    assert [name for name, _ in meta[3]] == ["tag"]
    (filter_file,) = [data for rel, data in one.items() if rel.startswith("filter/")]
    _, values = search_index.decode(filter_file)
    assert [value for value, _ in values] == sorted(value for value, _ in values)
    for rel, data in one.items():
        if rel.endswith((".pf_filter", ".pf_meta", ".pf_index")):
            body = gzip.decompress(data).removeprefix(b"pagefind_dcd")
            digits = rel.rsplit(".", 1)[0].rsplit("_", 1)[1]
            assert search_index.pagefind_hex(body).startswith(digits), rel
            assert data[4:8] == b"\0\0\0\0", "no time in the gzip header"


@pytest.mark.parametrize("seed", range(16))
def test_merging_changed_pages_gives_the_index_of_the_new_pages(seed, monkeypatch):
    """Whether the last index was written from this one (the files an edit's `write` keeps
    are its files of the same chunks, none of whose words changed) or not (every chunk
    encoded). Chunks of a few words each: many of them, most left as they were."""
    monkeypatch.setattr(search_index, "CHUNK_WEIGHT", 12)
    rng = random.Random(seed)
    many = 1 if seed < 10 else 4  # more than search_index.FEW pages in one word's list
    words = 30 if many == 1 else 10  # with 10, most words are on most pages
    old = fake_pages(rng, 40, words)
    new = {page.url: page for page in fake_pages(rng, 40, words)}  # same URLs, new contents
    changed = set(rng.sample(sorted(new), rng.randint(0, 4 * many)))
    gone = set(rng.sample(sorted(new), rng.randint(0, 3 * many) if seed % 3 else 0))
    added = [
        FakePage(f"/p{n}b/", {"w1": [n], f"new{n}": [1, 2]})
        for n in range(rng.randint(0, 3 * many))
    ]
    if seed % 4 == 0:
        added.append(FakePage("/p99/", {"w99": [5]}))  # numbered after every page
    if seed % 5 == 0:
        added.append(FakePage("/a/", {"w0": [3]}))  # numbered before every page
    if seed % 3 == 1:  # a meta field sorted before the others: they are numbered anew
        added.append(FakePage("/p7c/", {"w2": [4]}, meta={"title": "C", "image": "c.png"}))
    if seed % 3 == 2:  # a field sorted after them
        added.append(FakePage("/p8c/", {"w3": [4]}, meta={"title": "C", "zeta": "z"}))
    now = sorted(
        [new[p.url] if p.url in changed else p for p in old if p.url not in gone] + added,
        key=lambda page: page.url,
    )
    clean, _ = search_index.read_index(pagefind_files(now))
    expected = clean.write().files
    fresh = [page for page in now if page.url in changed or page in added]
    for written_before in (False, True):
        index, _ = search_index.read_index(pagefind_files(sorted(old, key=lambda p: p.url)))
        last = index.write() if written_before else None
        patch, _ = search_index.read_index(pagefind_files(fresh))
        index.update(patch, [page.url for page in now], {page.url for page in fresh})
        if last is None:
            assert index.write().files == expected
            continue
        done = index.write(kept=last.hashes)
        assert done.files.keys().isdisjoint(done.kept)
        assert done.files | {rel: last.files[rel] for rel in done.kept} == expected


def test_an_edit_encodes_only_the_chunks_of_the_words_its_pages_changed(monkeypatch):
    """A page's words fall in nearly every chunk; those whose entries the edit left as they
    were keep their chunks' files, which are not encoded again, edit after edit. Files the
    caller does not have are written whole, and a meta field that numbers the others anew
    changes every entry."""
    monkeypatch.setattr(search_index, "CHUNK_WEIGHT", 12)
    pages = [FakePage(f"/p{n}/", {f"w{w}": [w + 1] for w in range(30)}) for n in range(5)]
    pages[1].words = {f"w{w}": [1] for w in range(5)}  # the other words are not on it
    index, _ = search_index.read_index(pagefind_files(pages))
    last = index.write()
    chunks = [rel for rel in last.files if rel.startswith("index/")]
    have, hashes = last.files, last.hashes  # the caller's files, as the last write left them
    encoded = []
    real = search_index._chunk_body

    def chunk_body(words: list[str], *rest) -> bytes:
        encoded.append(words)
        return real(words, *rest)

    monkeypatch.setattr(search_index, "_chunk_body", chunk_body)

    def edit(page: FakePage, kept: dict[str, str]) -> search_index.WrittenIndex:
        patch, _ = search_index.read_index(pagefind_files([page]))
        index.update(patch, [page.url for page in pages], {page.url})
        pages[[p.url for p in pages].index(page.url)] = page
        encoded.clear()
        return index.write(kept=kept)

    for word in ("w17", "w4"):  # one word moves on one page, edit after edit
        done = edit(FakePage("/p2/", {**pages[2].words, word: [5, 9]}), hashes)
        assert len(chunks) > 10 and len(encoded) == 1 and word in encoded[0]
        clean, _ = search_index.read_index(pagefind_files(pages))
        have = done.files | {rel: have[rel] for rel in done.kept}
        hashes = done.hashes
        assert have == clean.write().files
    done = edit(FakePage("/p3/", {**pages[3].words, "w9": [7]}), {})
    clean, _ = search_index.read_index(pagefind_files(pages))
    assert done.kept == [] and done.files == clean.write().files
    # A page's meta field sorted before the others': every entry's meta locations move.
    done = edit(FakePage("/p1/", pages[1].words, meta={"image": "i", "title": "T"}), done.hashes)
    clean, _ = search_index.read_index(pagefind_files(pages))
    assert sorted(word for words in encoded for word in words) == sorted(f"w{w}" for w in range(30))
    assert done.files == clean.write().files


def test_an_edit_that_leaves_every_pages_filters_keeps_the_filter_files(monkeypatch):
    """A filter file lists the pages of each value: an edit that changes no page's filters
    and moves no page names the files as the last write did (kept in the cache too), without
    going over every page's filters; one that changes a page's filters, adds a page or has
    no files to keep works them out again. Every write is a clean build's."""
    pages = [
        FakePage(f"/p{n}/", {f"w{n}": [1], "all": [2]}, filters={"tag": [f"t{n % 2}"]})
        for n in range(4)
    ]
    index, _ = search_index.read_index(pagefind_files(pages))
    last = index.write()
    have, hashes = last.files, last.hashes
    worked = []
    real = search_index._filter_values
    monkeypatch.setattr(search_index, "_filter_values", lambda p: worked.append(1) or real(p))

    def edit(page: FakePage, kept: bool = True) -> bool:
        """Merge `page` in (a page of `pages`, or a new one at the end); whether the filter
        files were worked out from the pages."""
        nonlocal index, have, hashes
        urls = [p.url for p in pages]
        if page.url in urls:
            pages[urls.index(page.url)] = page
        else:
            pages.append(page)
        patch, _ = search_index.read_index(pagefind_files([page]))
        index.update(patch, [p.url for p in pages], {page.url})
        worked.clear()
        done = index.write(kept=hashes if kept else {})
        anew = bool(worked)
        clean, _ = search_index.read_index(pagefind_files(pages))
        have = done.files | {rel: have[rel] for rel in done.kept}
        hashes = done.hashes
        assert have == clean.write().files
        index = pickle.loads(pickle.dumps(index))  # as the cache keeps it
        return anew

    assert not edit(FakePage("/p1/", {"w1": [1], "new": [3]}, filters={"tag": ["t1"]}))
    assert edit(FakePage("/p2/", {"w2": [1]}, filters={"tag": ["t1", "t7"]}))
    assert not edit(FakePage("/p3/", {"w3": [4]}, filters={"tag": ["t1"]}))
    assert edit(FakePage("/p9/", {"w9": [1]}, filters={"tag": ["t0"]}))
    assert not edit(FakePage("/p0/", {"w0": [2]}, filters={"tag": ["t0"]}))
    assert edit(FakePage("/p0/", {"w0": [3]}, filters={"tag": ["t0"]}), kept=False)
    pages[:] = pages[1:] + pages[:1]  # every page numbered anew
    search_index.reorder(index, [page.url for page in pages])
    done = index.write(kept=hashes)
    clean, _ = search_index.read_index(pagefind_files(pages))
    assert {rel: have[rel] for rel in done.kept} | done.files == clean.write().files


def test_an_index_numbered_anew_encodes_every_chunk_again(monkeypatch):
    monkeypatch.setattr(search_index, "CHUNK_WEIGHT", 12)
    pages = [FakePage(f"/p{n}/", {f"w{w}": [n + 1] for w in range(20)}) for n in range(4)]
    index, _ = search_index.read_index(pagefind_files(pages))
    last = index.write()
    search_index.reorder(index, [page.url for page in reversed(pages)])
    done = index.write(kept=last.hashes)
    clean, _ = search_index.read_index(pagefind_files(pages[::-1]))
    assert done.kept == [] and done.files == clean.write().files


def test_an_index_kept_in_the_cache_is_the_same_index(monkeypatch):
    """Kept and read again edit after edit: an index read from the cache is kept again as the
    words it was read with and those changed since (added, changed or gone), unless more
    than one word in REBASE_SHARE changed since it was packed whole."""
    packed = []
    real = search_index._pack
    monkeypatch.setattr(
        search_index, "_pack", lambda words: packed.append(len(words)) or real(words)
    )
    pages = fake_pages(random.Random(3), 30, words=300)
    index, _ = search_index.read_index(pagefind_files(pages))
    kept = pickle.loads(pickle.dumps(index))
    assert kept.write().files == index.write().files
    words = index.languages["en"].words

    def entries() -> dict:
        return {word: search_index._postings(forms) for word, forms in words.items()}

    edits = [
        FakePage(pages[4].url, {**pages[4].words, "w1": [7], "fresh": [1]}),  # a new word
        FakePage(pages[9].url, {"w2": [3]}),  # words gone from it, some from the index
        *[FakePage(page.url, {"w5": [n]}) for n, page in enumerate(pages[:12])],  # many
    ]
    since: set[str] = set()
    wholes = parts = 0
    for edit in edits:
        before = entries()
        patch, _ = search_index.read_index(pagefind_files([edit]))
        for one in (index, kept):
            one.update(patch, [page.url for page in pages], {edit.url})
        after = entries()
        since |= {
            word for word in before.keys() | after.keys() if before.get(word) != after.get(word)
        }
        packed.clear()
        kept = pickle.loads(pickle.dumps(kept))
        assert kept.write().files == index.write().files
        if len(since) * search_index.REBASE_SHARE <= len(words):
            assert packed == [len(since & words.keys())]
            parts += 1
        else:
            assert packed == [len(words)]
            since, wholes = set(), wholes + 1
    assert parts > 1 and wholes > 1
    # A page gone: those after it are numbered anew, and every word's entries with them.
    gone = pages.pop(3)
    for one in (index, kept):
        one.update(search_index.PagefindIndex(index.entry, {}), [p.url for p in pages], {gone.url})
    packed.clear()
    kept = pickle.loads(pickle.dumps(kept))
    assert packed == [len(words)] and kept.write().files == index.write().files


def test_the_cache_keeps_an_index_pages_packed_and_as_they_were():
    """A language's pages pickle as a few strings and arrays, not an object each (the state
    an edit's search process writes while the build waits), and come back the same: URL,
    fragment, word count, filters and meta fields, in order."""
    pages = [
        FakePage("/a/", {"x": [1]}, filters={"tag": ["api", "guide"]}),
        FakePage("/b/", {"x": [2], "y": [3]}, meta={"title": "B", "section": "S"}),
        FakePage("/c/", {"z": [1]}, filters={"tag": ["ops"], "section": ["S"]}, meta={}),
        FakePage("/d/", {"x": [4]}),
    ]
    index, _ = search_index.read_index(pagefind_files(pages))
    language = index.languages["en"]
    assert len({page.fields for page in language.pages}) == 3
    language.pages[1].word_count = 2**40  # beyond 32 bits
    pickled = pickle.dumps(index)
    assert b"IndexedPage" not in pickled
    assert pickle.loads(pickled).languages["en"].pages == language.pages


def test_a_page_in_a_new_language_cannot_be_merged():
    index, _ = search_index.read_index(pagefind_files([FakePage("/a/", {"x": [1]})]))
    page = search_index.IndexedPage("/b/", "fr_1234567", 1, {}, ("title",))
    french = search_index.LanguageIndex("1.5.2", ["title"], [page])
    with pytest.raises(search_index.CannotPatch, match="/b/"):
        index.update(
            search_index.PagefindIndex(index.entry, {"fr": french}), ["/a/", "/b/"], {"/b/"}
        )


def test_a_page_left_without_words_leaves_the_index():
    pages = [FakePage(f"/{name}/", {"x": [1], name: [2]}) for name in "abc"]
    index, _ = search_index.read_index(pagefind_files(pages))
    nothing = search_index.PagefindIndex(index.entry, {})  # Pagefind skips a page without words
    index.update(nothing, ["/a/", "/b/", "/c/"], {"/b/"})
    clean, _ = search_index.read_index(pagefind_files([pages[0], pages[2]]))
    assert index.write().files == clean.write().files


def test_pagefind_names_files_with_unpadded_hex():
    # SHA-1 of b"abc" is a9993e36 4706816a ...: Pagefind writes byte 0x06 as "6".
    assert search_index.pagefind_hex(b"abc").startswith("a9993e3647681")
    assert search_index.short_hash("en", b"abc", 7) == "en_a9993e3"
    assert search_index.short_hash("en", b"abc", 7, taken={"en_a9993e3"}) == "en_a9993e36"


def test_the_word_index_is_read_as_the_bytes_pagefind_wrote():
    """Each word's entries are kept as Pagefind wrote them, cut where each ends: numbers of
    every head length, meta locations below zero, words and forms beyond ASCII."""
    heads = [0, 23, 24, 255, 256, 65535, 65536, 2**32 - 1]
    pages = [
        FakePage("/a/", {"zebra": heads, "café": [3]}, forms={"café": {"Café": [3, 70000]}}),
        *[
            FakePage(f"/p{n}/", {"zebra": [n]}, meta={"title": "T", "image": "i"})
            for n in range(30)
        ],
    ]
    files = pagefind_files(pages)
    (chunk,) = [data for path, data in files.items() if path.startswith("index/")]
    index, _ = search_index.read_index(dict(files))
    (again,) = [data for path, data in index.write().files.items() if path.startswith("index/")]
    assert search_index.decode(again) == search_index.decode(chunk)
    # Locations, meta locations and 1, an entry each: how Pagefind sizes its chunks.
    assert index.languages["en"].words["zebra"][""].weight == (8 + 2 + 1) + 30 * (1 + 4 + 1)


@pytest.mark.parametrize(
    "words",
    [
        [[["zebra", [[0, [1], []]]]]],  # a word without its forms
        [[["zebra", [[0, [1]]], []]]],  # an entry without its meta locations
        [[["zebra", [[0, [1], []]], []]], [7]],  # more than one list of words
        [[[7, [[0, [1], []]], []]]],  # a word that is no text
    ],
)
def test_a_word_index_laid_out_otherwise_is_an_error_that_names_it(words):
    def files_with(body: bytes) -> tuple[dict, str]:
        files = pagefind_files([FakePage("/a/", {"zebra": [1]})])
        (path,) = [path for path in files if path.startswith("index/")]
        files[path] = gzip.compress(b"pagefind_dcd" + body)
        return files, path

    files, path = files_with(cbor2.dumps(words))
    with pytest.raises(search_index.IndexFormatError, match=f"{path} is not a word index"):
        search_index.read_index(files)
    as_pagefind_lays_it_out = cbor2.dumps([[["zebra", [[0, [1], []]], []]]])
    search_index.read_index(files_with(as_pagefind_lays_it_out)[0])
    files, path = files_with(as_pagefind_lays_it_out + b"\x00")
    with pytest.raises(search_index.IndexFormatError, match=f"{path} is not a word index"):
        search_index.read_index(files)


def test_an_index_laid_out_otherwise_is_an_error():
    files = pagefind_files([FakePage("/a/", {"x": [1]}, {"tag": ["t"]})])
    del files[next(rel for rel in files if rel.startswith("filter/"))]
    with pytest.raises(search_index.IndexFormatError, match="no filter/en_"):
        search_index.read_index(files)


@needs_pagefind
def test_the_index_is_written_as_pagefind_writes_it(project: Project):
    rng = random.Random(5)
    words = ["café", "naïve", "status", "deploy", "gateway", "token", "résumé"]
    words += [f"word{n}" for n in range(300)]
    many = {
        f"content/part{n % 7}/page{n}.md": f"# Page {n}\n\n" + " ".join(rng.choices(words, k=150))
        for n in range(160)
    }
    project.write(FILES | many)
    assert project.build().ok
    built = project
    pages = [
        search.SearchPage(path.parent.relative_to(built.out).as_posix() + "/", rel, "")
        for path in sorted(built.out.rglob("index.html"))
        if b"data-pagefind-body" in path.read_bytes()
        and "404" not in (rel := path.relative_to(built.out).as_posix())
    ]
    raw = search.pagefind_files(pages, built.out, code=True).files
    index, fragments = search_index.read_index(dict(raw))
    done = index.write()
    files, fragment_files = done.files, done.fragment_files
    for rel, data in files.items():
        if rel.startswith("index/"):  # same name, same CBOR: Pagefind's chunking and layout
            assert gzip.decompress(data) == gzip.decompress(raw[rel]), rel
    assert {fragment_files[url]: data for url, data in fragments.items()} == {
        rel: data for rel, data in raw.items() if rel.startswith("fragment/")
    }
    ours = search_index.decode(next(d for r, d in files.items() if r.endswith(".pf_meta")))
    theirs = search_index.decode(next(d for r, d in raw.items() if r.endswith(".pf_meta")))
    assert ours[:3] + ours[4:] == theirs[:3] + theirs[4:]
    assert [name for name, _ in ours[3]] == sorted(name for name, _ in theirs[3])
    assert len(ours[2]) > 3, "a site of several chunks"


@needs_pagefind
def test_the_built_index_has_its_filters_sorted_and_named_by_content(built: Project):
    index = built.out / "pagefind"
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta_file = index / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    meta = search_index.decode(meta_file.read_bytes())
    assert [name for name, _ in meta[3]] == ["section", "tag"]
    for name, file_hash in meta[3]:
        data = (index / "filter" / f"{file_hash}.pf_filter").read_bytes()
        filter_name, values = search_index.decode(data)
        assert filter_name == name
        assert [v[0] for v in values] == sorted(v[0] for v in values)
    assert {p.stem for p in (index / "filter").iterdir()} == {h for _, h in meta[3]}


# Watch mode -----------------------------------------------------------------------


@needs_pagefind
def test_watch_mode_reindexes_in_the_background(project: Project):
    project.write(FILES)
    live = LiveSite(BuildOptions(root=project.root, out=project.out))
    live.search.quiet = 0.05
    try:
        first = live.full_build()
        assert not first.failed
        assert live.search.idle()
        assert "frobnicator" in fragments(project.out)["/guide/setup/"]["content"]
        page = project.root / "content/guide/setup.md"
        page.write_text(page.read_text().replace("frobnicator", "thingamajig"))
        started = time.perf_counter()
        update = live.apply([page])
        reload_after = time.perf_counter() - started
        assert update.changed_urls == ["guide/setup/"]
        # The reload is not held back by indexing: the old index is still there.
        assert "frobnicator" in fragments(project.out)["/guide/setup/"]["content"]
        assert live.search.idle()
        # The build's whole index, as its cache describes it, takes the page in.
        assert live.search.last is not None and live.search.last.status == "updated"
        assert live.search.last.changed == 1
        assert "thingamajig" in fragments(project.out)["/guide/setup/"]["content"]
        assert reload_after < live.search.last.seconds + 1
        # The next re-index merges the changed page into the served index.
        page.write_text(page.read_text().replace("thingamajig", "whatchamacallit"))
        live.apply([page])
        assert live.search.idle()
        assert live.search.last.status == "updated" and live.search.last.changed == 1
        assert "whatchamacallit" in fragments(project.out)["/guide/setup/"]["content"]
        served = {p.relative_to(project.out).as_posix() for p in project.out.rglob("pagefind/**/*")}
        named = {"pagefind/" + rel for rel in live.search.state.fragment_files.values()}
        assert {rel for rel in served if "/fragment/" in rel} == named, "no stale fragment left"
        # A new page rebuilds the site around it; the index it adds the page to is kept.
        added = project.root / "content/guide/extra.md"
        added.write_text("# Extra\n\nA doohickey.\n")
        assert not live.apply([added]).failed
        assert live.search.idle()
        assert live.search.last.status == "updated", live.search.last.note()
        assert "doohickey" in fragments(project.out)["/guide/extra/"]["content"]
    finally:
        live.close()


@needs_pagefind
def test_a_reindex_waits_while_a_change_is_applied(project: Project, monkeypatch):
    """Both are Python in one process: a re-index that is due does not start while a
    change is applied, and one under way waits at its next step till the change is done
    (here: once Pagefind has indexed the changed page, before the merge)."""
    from docsite.search import background

    project.write(FILES)
    live = LiveSite(BuildOptions(root=project.root, out=project.out))
    live.search.quiet = 0.05
    page = project.root / "content/guide/setup.md"
    read, merged = threading.Event(), threading.Event()
    change = contextlib.ExitStack()  # a change that comes while a re-index runs
    read_index, merge = search_index.read_index, background.merge_or_index

    def read_then_change(*args, **kwargs):
        answer = read_index(*args, **kwargs)
        change.enter_context(live.search.held())
        read.set()
        return answer

    def merge_and_say(*args, **kwargs):
        answer = merge(*args, **kwargs)
        merged.set()
        return answer

    def content() -> str:
        return fragments(project.out)["/guide/setup/"]["content"]

    monkeypatch.setattr(background, "merge_or_index", merge_and_say)
    try:
        assert not live.full_build().failed and live.search.idle()
        merged.clear()
        with live.search.held():  # a change applied meanwhile
            page.write_text(page.read_text().replace("frobnicator", "thingamajig"))
            live.apply([page])  # asks for a re-index
            time.sleep(0.4)
            assert not merged.is_set()  # due, and not started
        assert live.search.idle() and "thingamajig" in content()
        merged.clear()
        monkeypatch.setattr(search_index, "read_index", read_then_change)
        page.write_text(page.read_text().replace("thingamajig", "whatchamacallit"))
        live.apply([page])
        assert read.wait(10)
        time.sleep(0.4)
        assert not merged.is_set() and "thingamajig" in content()
        change.close()
        assert live.search.idle() and "whatchamacallit" in content()
    finally:
        live.close()


def test_pagefind_gets_the_article_without_the_chrome(built: Project):
    from bs4 import BeautifulSoup

    html = (built.out / "guide/setup/index.html").read_text(encoding="utf-8")
    sent = BeautifulSoup(search.indexed_html(html), "html.parser")
    assert sent.html is not None and sent.html["lang"] == "en"
    article = sent.select_one("article[data-pagefind-body]")
    assert article is not None and article.h1.get_text(strip=True).startswith("Setup")
    assert article["data-pagefind-filter"] == "section:Guide"
    assert not sent.select(".sidebar, .site-header, .site-footer, script")
    assert search.indexed_html("<p>no marker</p>") == "<p>no marker</p>"


def test_search_can_be_turned_off(project):
    project.write({"docsite.yml": "search:\n  enabled: false\n", "content/index.md": "# Home\n"})
    result = project.build()
    assert result.ok
    assert not (project.out / "pagefind").exists()
    assert project.page("index.html").select_one("#search") is None


# Indexing while the pages render ----------------------------------------------------


def test_pages_given_to_pagefind_in_any_order_give_the_index_of_page_order():
    pages = sorted(fake_pages(random.Random(7), 40, words=10), key=lambda page: page.url)
    shuffled = random.Random(8).sample(pages, len(pages))
    index, _ = search_index.read_index(pagefind_files(shuffled))
    search_index.reorder(index, [page.url for page in pages])
    clean, _ = search_index.read_index(pagefind_files(pages))
    assert index.write().files == clean.write().files


def site_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# Over PARALLEL_THRESHOLD pages: rendered by workers, whose chunks come in no page order.
MANY_PAGES = {
    "docsite.yml": "title: Many\n",
    "content/index.md": "# Home\n\nWelcome to the guide.\n",
    **{
        f"content/part{n % 5}/page{n}.md": (
            f"---\ntags: [t{n % 3}]\n---\n# Page {n}\n\nWord{n} and gateway {n * 7}.\n\n"
            f"## Part {n % 4}\n\n```python\nprint({n})\n```\n"
            # Pagefind's `image` meta field, on the last pages only (in part4/).
            + (f"\n![Figure {n}](https://example.com/f{n}.png)\n" if n % 5 == 4 else "")
        )
        for n in range(60)
    },
}


@needs_pagefind
def test_a_cold_build_indexes_pages_as_they_render_with_the_same_bytes(tmp_path, monkeypatch):
    """Pagefind gets each page as soon as it is written, in page order, in runs that
    Pagefinds of their own index; the site is byte for byte that of a build that indexes the
    pages after the last one. Only the last runs' pages have an image: their meta fields are
    new to the runs before."""
    from docsite.build import site as build_site_module
    from docsite.search import indexing

    fed: list[str] = []
    runs: dict[int, None] = {}
    real_add = pagefind_client.IndexSession.add

    def add(session, url, html):
        fed.append(url)
        runs[id(session)] = None
        real_add(session, url, html)

    monkeypatch.setattr(pagefind_client.IndexSession, "add", add)
    monkeypatch.setattr(indexing, "PART_WORK", 10 * indexing.PAGE_WORK)
    overlapped = Project(tmp_path / "overlapped").write(MANY_PAGES)
    result = build_site(BuildOptions(root=overlapped.root, out=overlapped.out, jobs=2))
    assert result.ok, overlapped.messages(result)
    fragments = check_whole_index(overlapped.out)
    assert sorted(fed) == sorted(fragments)
    assert fed == sorted(fed, key=lambda url: url + "index.html"), "not fed in page order"
    assert len(runs) == 3
    assert sum("image" in fragment["meta"] for fragment in fragments.values()) == 12

    monkeypatch.setattr(build_site_module, "index_feeder", lambda *args: None)
    fed.clear()
    runs.clear()
    after = Project(tmp_path / "after").write(MANY_PAGES)
    result = build_site(BuildOptions(root=after.root, out=after.out, jobs=2))
    assert result.ok, after.messages(result)
    assert len(fed) == 61 and len(runs) == 1, "the second build indexed its pages in one go"
    assert site_files(overlapped.out) == site_files(after.out)


@needs_pagefind
def test_pages_render_in_the_order_pagefind_takes_them_whatever_their_permalinks(
    tmp_path, monkeypatch
):
    """Permalinks that order the pages otherwise than their files: the pages are rendered
    in output-path order, so each reaches Pagefind as soon as it is written instead of
    waiting for pages rendered after it."""
    from docsite.search import indexing

    offered: list[str] = []
    real_offer = indexing.IndexFeeder.offer

    def offer(feeder, page, output_path, indexed=None):
        offered.append(output_path)
        real_offer(feeder, page, output_path, indexed)

    monkeypatch.setattr(indexing.IndexFeeder, "offer", offer)
    files = {"docsite.yml": "title: Permalinks\n", "content/index.md": "# Home\n"}
    for number, letter in enumerate("abcdef"):
        files[f"content/{letter}.md"] = (
            f"---\npermalink: /{'zyxwvu'[number]}-{letter}\n---\n# Page {letter}\n\nText.\n"
        )
    project = Project(tmp_path).write(files)
    result = build_site(BuildOptions(root=project.root, out=project.out, jobs=1))
    assert result.ok, project.messages(result)
    assert len(offered) == 7 and offered == sorted(offered), offered


FED_HTML = (
    '<html lang="en"><body><main data-pagefind-body><h1>{0}</h1>'
    "<p>The {0} page of the feeder test.</p></main></body></html>"
)


class RecordingSession:
    """Stands in for Pagefind's session: notes the URLs given, in order."""

    def __init__(self, config: dict | None = None) -> None:
        self.urls: list[str] = []
        self.html: list[Callable[[], str]] = []
        self.asked = 0

    def add(self, url, html) -> None:
        self.urls.append(url)
        self.html.append(html)

    def ask_files(self) -> None:
        self.asked += 1

    def files(self, wanted=lambda path: True) -> dict[str, bytes]:
        return {}

    def close(self) -> None:
        pass


def test_the_feeder_gives_pages_in_page_order_whatever_order_they_are_written_in(tmp_path):
    """Pages come from the workers as each chunk finishes; Pagefind gets each once those
    before it (in output-path order) are given, so it numbers them as the index does. A page
    that never comes (it failed) holds the next ones back until the last page is rendered.
    Hidden pages are never given."""
    from docsite.pathpatterns import PathFilter
    from docsite.search.indexing import IndexFeeder

    names = [f"page-{n:02}" for n in range(12)]
    files = {f"content/{name}.md": f"# {name}\n" for name in names}
    files["content/page-05.md"] = "---\nvisibility: hidden\n---\n# Hidden\n"
    write_files(tmp_path, files)
    report = Report()
    site = load_site(discover(tmp_path, "content", report), report)
    by_name = {page.source.rel.split("/")[-1].removesuffix(".md"): page for page in site.pages}
    urls = {name: "/" + page.url for name, page in by_name.items()}
    session = RecordingSession()
    feeder = IndexFeeder(tmp_path / "site", True, PathFilter(), 1, lambda config: session)
    feeder.expect(list(by_name.values()))
    # page-03 never comes; the others come in shuffled chunks
    written = [9, 10, 11, 4, 5, 6, 0, 1, 2, 7, 8]
    given_after = []
    for number in written:
        page = by_name[names[number]]
        feeder.offer(page, page.output_path)
        given_after.append(len(session.urls))
    assert session.urls == [urls["page-00"], urls["page-01"], urls["page-02"]]
    assert given_after == [0, 0, 0, 0, 0, 0, 1, 2, 3, 3, 3]
    wanted = [
        search.SearchPage(page.url, page.output_path, "")
        for page in sorted(site.pages, key=lambda page: page.output_path)
        if page.settings.visibility != "hidden"
    ]
    feeder.finish(wanted)
    assert session.urls == [urls[name] for name in names if name != "page-05"]
    assert session.asked == 1


def test_the_feeder_gives_pagefind_the_text_the_render_had_rather_than_reading_the_file(
    tmp_path,
):
    """A worker has the part of its page that Pagefind reads: the main process gives it on
    without reading the page's file back; a page offered without it is read from its file."""
    from docsite.pathpatterns import PathFilter
    from docsite.search.indexing import IndexFeeder

    write_files(tmp_path, {"content/a.md": "# A\n", "content/b.md": "# B\n"})
    report = Report()
    site = load_site(discover(tmp_path, "content", report), report)
    first, second = sorted(site.pages, key=lambda page: page.output_path)
    write_files(tmp_path / "site", {second.output_path: FED_HTML.format("B")})
    session = RecordingSession()
    feeder = IndexFeeder(tmp_path / "site", True, PathFilter(), False, lambda config: session)
    feeder.expect([first, second])
    feeder.offer(second, second.output_path)
    feeder.offer(first, first.output_path, "<main>as rendered</main>")  # no file written
    assert session.urls == ["/" + first.url, "/" + second.url]
    assert [html() for html in session.html] == [
        "<main>as rendered</main>",
        search.indexed_html(FED_HTML.format("B")),
    ]


def test_the_feeder_cuts_the_pages_into_runs_each_indexed_and_asked_for_on_its_own(
    tmp_path, monkeypatch
):
    """On more than one core, each Pagefind gets a run of neighbouring pages, half the work
    left down to PART_WORK (pages of one size: half the pages left), and is asked for its
    files as soon as the next run begins (the last when the last page is rendered). On one
    core, one Pagefind has them all."""
    from docsite.pathpatterns import PathFilter
    from docsite.search import indexing

    names = [f"page-{n:02}" for n in range(9)]
    write_files(tmp_path, {f"content/{name}.md": f"# {name}\n" for name in names})
    report = Report()
    site = load_site(discover(tmp_path, "content", report), report)
    pages = sorted(site.pages, key=lambda page: page.output_path)
    monkeypatch.setattr(indexing, "PART_WORK", 2 * (indexing.PAGE_WORK + len(pages[0].body)))
    for in_runs, runs in ((True, [4, 2, 3]), (False, [9])):
        sessions: list[RecordingSession] = []

        def start(config: dict, sessions: list = sessions) -> RecordingSession:
            sessions.append(RecordingSession())
            return sessions[-1]

        feeder = indexing.IndexFeeder(tmp_path / "site", True, PathFilter(), in_runs, start)
        feeder.expect(pages)
        for page in reversed(pages):  # the last run's pages first: held until their turn
            feeder.offer(page, page.output_path)
            if page is pages[1]:
                assert sessions == []
        assert [len(session.urls) for session in sessions] == runs
        assert [session.asked for session in sessions] == [1] * (len(runs) - 1) + [0]
        given = [url for session in sessions for url in session.urls]
        assert given == ["/" + page.url for page in pages]
        feeder.finish([search.SearchPage(page.url, page.output_path, "") for page in pages])
        assert [session.asked for session in sessions] == [1] * len(runs)
        feeder.close()


def test_the_feeder_merges_the_last_run_once_the_last_page_is_rendered(tmp_path, monkeypatch):
    """`finish` has the last run's files made and merged at once (while the build writes its
    cache), not when the index is read; each run is read once, and a page given after that
    (none is, in a build) goes to a run of its own."""
    from docsite.pathpatterns import PathFilter
    from docsite.search import index_format
    from docsite.search.indexing import IndexFeeder

    class Runs:  # stands in for the merge of the runs
        def add(self, files: dict[str, bytes], urls: list[str]) -> None:
            merged.set()

    monkeypatch.setattr(index_format, "IndexRuns", Runs)
    write_files(tmp_path, {f"content/page-{n}.md": f"# Page {n}\n" for n in range(4)})
    report = Report()
    site = load_site(discover(tmp_path, "content", report), report)
    pages = sorted(site.pages, key=lambda page: page.output_path)
    read: list[RecordingSession] = []
    merged = threading.Event()

    class Session(RecordingSession):
        def files(self, wanted=lambda path: True) -> dict[str, bytes]:
            read.append(self)
            return {}

    sessions: list[Session] = []

    def start(config: dict) -> Session:
        sessions.append(Session())
        return sessions[-1]

    feeder = IndexFeeder(tmp_path / "site", True, PathFilter(), False, start)
    feeder.expect(pages)
    for page in pages[:-1]:
        feeder.offer(page, page.output_path)
    as_searched = [search.SearchPage(page.url, page.output_path, "") for page in pages]
    feeder.finish(as_searched[:-1])
    assert merged.wait(10), "the last run was not read when the last page was rendered"
    assert read == sessions and len(sessions) == 1
    feeder.read(as_searched)
    feeder.close()
    assert len(sessions) == 2 and read == sessions, "a run read twice, or a page in a read run"
    assert sessions[1].urls == ["/" + pages[-1].url]
    assert [session.asked for session in sessions] == [1, 1]


def test_runs_are_cut_by_the_work_of_their_pages_not_by_their_number(monkeypatch):
    """A run takes half the work left: pages of one size make the runs they always made, a
    site of long pages gets its runs at fewer pages (so that two Pagefinds share a small
    site of long pages), and no run is ever empty."""
    from docsite.search import indexing

    monkeypatch.setattr(indexing, "PART_WORK", 100)
    assert indexing.run_starts([10] * 90) == {45, 67, 78}  # 45, 22, 11 and the 12 left
    assert indexing.run_starts([10] * 19) == set()  # under twice PART_WORK: one run
    # Four long pages are half the work: the first run is theirs alone.
    assert indexing.run_starts([100] * 4 + [10] * 40) == {4, 24, 34}
    # A page heavier than half the work makes a run of its own, first or last.
    assert indexing.run_starts([1000, 10, 10]) == {1}
    assert indexing.run_starts([10, 10, 1000]) == {2}
    assert indexing.run_starts([1000]) == set()


@needs_pagefind
def test_the_feeder_gives_pagefind_the_pages_it_lacks_and_refuses_pages_not_indexed(tmp_path):
    """What Pagefind was given must be what search indexes: pages reused from the last build
    (never rendered) are given at the end; a page given but not to be indexed means the
    pages are indexed whole instead (None)."""
    from docsite.pathpatterns import PathFilter
    from docsite.search.indexing import IndexFeeder

    pages = []
    for name in ("alpha", "beta", "gamma"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(FED_HTML.format(name), encoding="utf-8")
        pages.append(search.SearchPage(f"{name}/", f"{name}/index.html", ""))
    feeder = IndexFeeder(tmp_path, True, PathFilter())
    feeder._add(pages[0])
    feeder._add(pages[2])
    feeder.finish(pages[::2])  # files asked for early (and made), then one more page is given
    (session,) = feeder._sessions
    assert isinstance(session, pagefind_client.IndexSession) and session._asked is not None
    assert len(session._asked.result()) > 0
    runs = feeder.read(pages)
    assert runs is not None
    pages_indexed = runs.index.languages["en"].pages
    assert [page.url for page in pages_indexed] == ["/alpha/", "/gamma/", "/beta/"]

    refused = IndexFeeder(tmp_path, True, PathFilter())
    refused._add(pages[0])
    refused._add(pages[1])
    assert refused.read([pages[0]]) is None
    refused.close()  # a second close does nothing


@needs_pagefind
def test_an_index_laid_out_otherwise_is_kept_whole_as_pagefind_wrote_it(
    project: Project, monkeypatch
):
    """Pagefind's files in a layout docsite does not know (on the version it was written
    for): search is not skipped, the index is Pagefind's own, and -v says so once."""
    from docsite.search import indexing

    def unknown_layout(files):
        raise search_index.IndexFormatError("a layout docsite does not know")

    monkeypatch.setattr(search_index, "read_index", unknown_layout)
    project.write(FILES)
    result = project.build()
    assert result.ok, project.messages(result)
    (note,) = index_notes(result.notes)
    assert note.startswith("search: indexed 4 pages") and indexing.UNKNOWN_LAYOUT in note, note
    assert set(check_whole_index(project.out)) == PUBLIC_URLS
    assert not list((project.root / ".docsite-cache").glob("search-*.pickle"))
    (note,) = index_notes(edit_one_page(project))
    assert note.startswith("search: indexed 4 pages") and indexing.UNKNOWN_LAYOUT in note, note
    assert "quuxification" in check_whole_index(project.out)["/guide/setup/"]["content"]
