"""An edit's search index patched in a process of its own (docsite.search.aside): the same
index and cache as a patch in the build's own process, and the build's own index whenever
that process cannot give one."""

from __future__ import annotations

import gzip
import multiprocessing
import os
import pickle
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import Project
from test_search import FILES, fragments, needs_pagefind

from docsite.build import BuildResult
from docsite.build import site as build_site_module
from docsite.cache import CACHE_DIR, BuildCache
from docsite.diagnostics import Diagnostic, Severity
from docsite.search import aside as aside_module
from docsite.search import indexing as indexing_module
from docsite.search.indexing import UNUSED_FILES, EarlyIndex
from docsite.search.pages import SearchPage

pytestmark = needs_pagefind


def build(project: Project, monkeypatch: pytest.MonkeyPatch, aside: bool) -> BuildResult:
    """Build with the index patched aside, as a large site's build on several cores does,
    or not; the cache parts this process read are in `project.loaded`."""
    real = BuildCache.load_part

    def load_part(cache: BuildCache, name: str, kind: type):
        project.loaded.append(name)  # in a forked process, its own copy of the list
        return real(cache, name, kind)

    with monkeypatch.context() as patch:
        patch.setattr(build_site_module, "_core_to_spare", lambda options, pages: aside)
        patch.setattr(BuildCache, "load_part", load_part)
        project.loaded = []
        return project.build()


def edit(project: Project, name: str = "guide/setup.md", word: str = "quuxification") -> None:
    page = project.root / "content" / name
    page.write_text(page.read_text() + f"\nNow with {word}.\n")


def index_files(project: Project) -> dict[str, bytes]:
    index = project.out / "pagefind"
    return {
        p.relative_to(index).as_posix(): p.read_bytes() for p in index.rglob("*") if p.is_file()
    }


def search_state(project: Project):
    (part,) = (project.root / CACHE_DIR).glob("search-*.pickle")
    return pickle.loads(part.read_bytes())


def leftovers(project: Project) -> list[str]:
    return [p.name for p in (project.root / CACHE_DIR).glob(".search-*.tmp-*")]


@pytest.fixture
def built(project: Project, monkeypatch) -> Project:
    project.write(FILES)
    result = build(project, monkeypatch, aside=False)
    assert result.ok, project.messages(result)
    return project


def test_an_edit_patched_aside_gives_the_index_and_cache_of_one_patched_in_process(
    built: Project, tmp_path: Path, monkeypatch
):
    in_process = Project(tmp_path / "in-process").write(FILES)
    assert build(in_process, monkeypatch, aside=False).ok
    for word in ("quuxification", "frobnitzery"):  # the second patches the state written aside
        edit(built, word=word)
        edit(in_process, word=word)
        result = build(built, monkeypatch, aside=True)
        assert result.ok, built.messages(result)
        assert any(n.startswith("search: re-indexed 1 of 4 pages") for n in result.notes)
        assert "search" not in built.loaded, "the build's own process read the index's state"
        assert build(in_process, monkeypatch, aside=False).ok
        assert "search" in in_process.loaded
        assert index_files(built) == index_files(in_process)
        assert word in fragments(built.out)["/guide/setup/"]["content"]
        ours, theirs = search_state(built), search_state(in_process)
        for name in ("key", "digests", "fragment_files", "assets", "hashes", "engine"):
            assert getattr(ours, name) == getattr(theirs, name), name
    assert leftovers(built) == []


def test_an_edit_s_page_reaches_pagefind_as_it_is_written_not_again_when_asked(
    built: Project, tmp_path: Path, monkeypatch
):
    """The process gives the changed page to Pagefind as the build writes it, before the
    build asks for the patch: the patch does not index it again, and the index is the one
    a patch in the build's own process makes."""
    in_process = Project(tmp_path / "in-process").write(FILES)
    assert build(in_process, monkeypatch, aside=False).ok
    edit(in_process)
    assert build(in_process, monkeypatch, aside=False).ok
    edit(built)

    def indexed_again(*args, **kwargs):
        raise AssertionError("the changed page was indexed again")

    monkeypatch.setattr(indexing_module, "pagefind_files", indexed_again)
    result = build(built, monkeypatch, aside=True)
    assert result.ok, built.messages(result)
    assert any(n.startswith("search: re-indexed 1 of 4 pages") for n in result.notes)
    assert index_files(built) == index_files(in_process)


@pytest.mark.parametrize("aside", [True, False])
def test_a_file_gone_from_the_last_index_has_the_index_made_whole(
    built: Project, monkeypatch, aside: bool
):
    """The patch links the unchanged pages' files from the last index: one gone from the
    site (the live one, where they are linked from) means indexing every page again."""
    pages = set(fragments(built.out))
    (gone,) = [
        path
        for path in (built.out / "pagefind" / "fragment").glob("*.pf_fragment")
        if b"/status/" in gzip.decompress(path.read_bytes())
    ]
    gone.unlink()
    edit(built)
    result = build(built, monkeypatch, aside=aside)
    assert result.ok, built.messages(result)
    assert any(
        n.startswith("search: indexed 4 pages") and "files of the last index are missing" in n
        for n in result.notes
    ), result.notes
    assert set(fragments(built.out)) == pages and "/status/" in pages


def test_pagefind_s_early_files_stand_only_for_the_very_pages_it_was_given():
    early = EarlyIndex(code=True)
    try:
        page = SearchPage("a/", "a/index.html", "one")
        early.add(page, '<html lang="en"><body><main data-pagefind-body><p>Alpha beta.</p>')
        assert early.files_for([SearchPage("a/", "a/index.html", "two")]) is None
        assert early.files_for([page, SearchPage("b/", "b/index.html", "three")]) is None
        assert early.files_for([]) is None
        files = early.files_for([page])
        assert files is not None and any(rel.startswith("fragment/") for rel in files)
        assert not any(rel.startswith(UNUSED_FILES) for rel in files)
    finally:
        early.close()


def test_pagefind_makes_the_changed_pages_files_once_the_last_is_written(
    built: Project, tmp_path: Path, monkeypatch
):
    """Before the build has listed the pages to index and asked for the patch: the patch
    then waits for less of Pagefind's work. What the process did is written to a file (it
    is a fork: its memory is its own)."""
    events = tmp_path / "events"

    def recorded(name: str, real):
        def record(*args, **kwargs):
            with events.open("a") as log:
                log.write(f"{name}\n")
            return real(*args, **kwargs)

        return record

    monkeypatch.setattr(EarlyIndex, "add", recorded("add", EarlyIndex.add))
    monkeypatch.setattr(EarlyIndex, "ask_files", recorded("ask files", EarlyIndex.ask_files))
    monkeypatch.setattr(aside_module, "patch_index", recorded("patch", aside_module.patch_index))
    edit(built)
    result = build(built, monkeypatch, aside=True)
    assert result.ok, built.messages(result)
    assert events.read_text().splitlines() == ["add", "ask files", "patch"]
    assert any(n.startswith("search: re-indexed 1 of 4 pages") for n in result.notes)
    assert "quuxification" in fragments(built.out)["/guide/setup/"]["content"]


def test_the_build_of_an_edit_patched_aside_loads_no_index_format(built: Project, monkeypatch):
    """The search process reads and writes Pagefind's files: the build's own process never
    loads them as data (nor cbor2), nor the futures its Pagefind client answers with, nor
    watch mode's state or the decimals of templates. Checked in a process of its own, since
    these tests load them."""
    import subprocess

    import docsite.cache

    # docsite's hash as the other process recalls it, from docsite's files as they are now.
    monkeypatch.setattr(docsite.cache, "_ENGINE_DIGEST", [])
    assert build(built, monkeypatch, aside=False).ok
    edit(built)
    unloaded = (
        "cbor2",
        "concurrent.futures",
        "docsite.search.index_format",
        "docsite.build.live",
        "decimal",
    )
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from docsite.build import BuildOptions, build_site, site\n"
        "site._core_to_spare = lambda options, pages: True\n"
        f"root, out = Path({str(built.root)!r}), Path({str(built.out)!r})\n"
        "result = build_site(BuildOptions(root=root, out=out))\n"
        "assert result.ok, result.notes\n"
        "print(*[n for n in result.notes if n.startswith('search: ')], sep='\\n')\n"
        f"print(sorted(name for name in {unloaded!r} if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    *notes, loaded = done.stdout.strip().splitlines()
    assert any(note.startswith("search: re-indexed 1 of 4 pages") for note in notes), notes
    assert loaded == "[]"
    assert "quuxification" in fragments(built.out)["/guide/setup/"]["content"]


def test_when_most_pages_changed_the_build_indexes_them_whole(
    built: Project, tmp_path: Path, monkeypatch
):
    """And the process gives Pagefind no more than half the pages as they are written: past
    that the patch gives way, and what Pagefind did there would be lost."""
    given = tmp_path / "given"  # written by the process, a fork: its own memory is its own
    real_add = EarlyIndex.add

    def add(early: EarlyIndex, page: SearchPage, indexed: str) -> None:
        with given.open("a") as record:
            record.write(f"{page.url!r}\n")
        real_add(early, page, indexed)

    monkeypatch.setattr(EarlyIndex, "add", add)
    for name in ("index.md", "status.md", "guide/setup.md"):
        edit(built, name)
    result = build(built, monkeypatch, aside=True)
    assert result.ok, built.messages(result)
    (note,) = [n for n in result.notes if n.startswith("search: ")]
    assert note.startswith("search: indexed 4 pages") and "most pages changed" in note, note
    assert len(given.read_text().splitlines()) == 2  # of 4 (the hidden page is not indexed)
    assert "quuxification" in fragments(built.out)["/status/"]["content"]
    assert leftovers(built) == []


def test_a_search_process_that_dies_leaves_the_index_to_the_build(built: Project, monkeypatch):
    monkeypatch.setattr(aside_module, "patch_index", lambda *args: os._exit(3))
    edit(built)
    result = build(built, monkeypatch, aside=True)
    assert result.ok, built.messages(result)
    (note,) = [n for n in result.notes if n.startswith("search: ")]
    assert note.startswith("search: indexed 4 pages") and "the search process ended" in note
    assert "quuxification" in fragments(built.out)["/guide/setup/"]["content"]
    monkeypatch.undo()
    edit(built, word="frobnitzery")  # the state the build wrote itself is patched next
    result = build(built, monkeypatch, aside=True)
    assert any(n.startswith("search: re-indexed 1 of 4 pages") for n in result.notes)
    assert "frobnitzery" in fragments(built.out)["/guide/setup/"]["content"]


@pytest.mark.parametrize("aside", [True, False], ids=["aside", "in-process"])
def test_an_edit_whose_pagefind_hangs_is_not_indexed_whole_after(
    built: Project, tmp_path: Path, monkeypatch, aside: bool
):
    """The changed pages' Pagefind hangs, patching in the search process or in the build's:
    the build warns once and keeps its pages, without giving the whole site to another
    Pagefind, which would keep it waiting as long again."""
    from docsite.search import indexing, pagefind_client

    silent = tmp_path / "pagefind"
    # Reads every request, answers none, and keeps its end of the answers' pipe open.
    silent.write_text(f"#!{sys.executable}\nimport sys\nsys.stdin.buffer.read()\n")
    silent.chmod(0o755)
    edit(built, word="thingamajig")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(silent))
    monkeypatch.setattr(pagefind_client, "SILENT_SECONDS", 0.3)

    def whole(*args, **kwargs):
        raise AssertionError("the site was given to a Pagefind whole")

    monkeypatch.setattr(indexing, "full_index", whole)
    result = build(built, monkeypatch, aside=aside)
    assert result.ok, built.messages(result)
    (warning,) = [d for d in result.report.items if "Pagefind" in d.message]
    assert warning.message.startswith("search index not built: Pagefind gave no answer for ")
    assert "thingamajig" in (built.out / "guide/setup/index.html").read_text()


def test_what_reading_the_state_aside_says_reaches_the_build_s_notes(built: Project, monkeypatch):
    for part in (built.root / CACHE_DIR).glob("search-*.pickle"):
        part.write_bytes(b"damaged")
    edit(built)
    result = build(built, monkeypatch, aside=True)
    assert result.ok, built.messages(result)
    assert any(n.startswith("cache ignored: ") and "search-" in n for n in result.notes)
    assert any(n.startswith("search: indexed 4 pages") for n in result.notes), result.notes
    assert "quuxification" in fragments(built.out)["/guide/setup/"]["content"]


def test_a_build_that_fails_after_asking_leaves_no_state_behind(built: Project, monkeypatch):
    before = index_files(built)
    failure = Diagnostic("content/index.md", 1, 1, Severity.ERROR, "a failure after rendering")
    monkeypatch.setattr(build_site_module, "_link_checks", lambda *args: [failure])
    asked = []
    real_ask = aside_module.SearchAside.ask
    monkeypatch.setattr(
        aside_module.SearchAside,
        "ask",
        lambda self, *args: asked.append(1) or real_ask(self, *args),
    )
    edit(built)
    result = build(built, monkeypatch, aside=True)
    assert not result.ok and asked, "the patch was asked for before the build failed"
    assert leftovers(built) == [], "the state the process wrote is removed"
    assert index_files(built) == before
    assert not [p for p in multiprocessing.active_children() if p.name == "docsite-search"]
    monkeypatch.setattr(build_site_module, "_link_checks", lambda *args: [])
    result = build(built, monkeypatch, aside=True)
    assert any(n.startswith("search: re-indexed 1 of 4 pages") for n in result.notes)


def test_a_build_that_fails_after_the_patch_came_leaves_no_state_behind(
    built: Project, monkeypatch
):
    """The files came and the state follows them, but the build fails before its cache
    takes the state (a full disk): the state written aside is removed, the site and the
    cache stay as they were, and the next build patches."""
    before = index_files(built)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(BuildCache, "stage", full_disk)
    edit(built)
    result = build(built, monkeypatch, aside=True)
    assert not result.ok and "no space left on device" in " ".join(built.messages(result))
    assert leftovers(built) == [], "the state the process wrote is removed"
    assert index_files(built) == before
    assert not [p for p in multiprocessing.active_children() if p.name == "docsite-search"]
    monkeypatch.undo()
    result = build(built, monkeypatch, aside=True)
    assert any(n.startswith("search: re-indexed 1 of 4 pages") for n in result.notes)


def test_a_state_the_process_could_not_write_leaves_the_next_edit_to_index_whole(
    built: Project, monkeypatch
):
    """The process sends the files, then ends before it wrote the new state: the build
    places the files, and its cache keeps the last state, which names the last index: the
    next edit is indexed whole, with every word of both edits."""
    monkeypatch.setattr(BuildCache, "write_part", lambda *args: os._exit(3))
    edit(built)
    result = build(built, monkeypatch, aside=True)
    assert result.ok, built.messages(result)
    assert any(n.startswith("search: re-indexed 1 of 4 pages") for n in result.notes)
    assert "quuxification" in fragments(built.out)["/guide/setup/"]["content"]
    monkeypatch.undo()
    edit(built, "status.md", word="frobnitzery")
    result = build(built, monkeypatch, aside=True)
    (note,) = [n for n in result.notes if n.startswith("search: ")]
    assert note.startswith("search: indexed 4 pages") and "not the one in the site" in note
    assert "quuxification" in fragments(built.out)["/guide/setup/"]["content"]
    assert "frobnitzery" in fragments(built.out)["/status/"]["content"]
    assert leftovers(built) == []


def test_a_state_that_comes_too_late_is_not_waited_for(built: Project, monkeypatch):
    """The process sends the files, then takes longer than JOIN_SECONDS to write the state:
    the build goes on without it (the process is ended), and the next edit is indexed whole."""
    monkeypatch.setattr(aside_module, "JOIN_SECONDS", 0.2)
    real_write_part = BuildCache.write_part

    def slow(cache, name, value):
        time.sleep(2)
        return real_write_part(cache, name, value)

    monkeypatch.setattr(BuildCache, "write_part", slow)
    edit(built)
    result = build(built, monkeypatch, aside=True)
    assert result.ok, built.messages(result)
    assert any(n.startswith("search: re-indexed 1 of 4 pages") for n in result.notes)
    assert not [p for p in multiprocessing.active_children() if p.name == "docsite-search"]
    monkeypatch.undo()
    edit(built, "status.md", word="frobnitzery")
    result = build(built, monkeypatch, aside=True)
    (note,) = [n for n in result.notes if n.startswith("search: ")]
    assert note.startswith("search: indexed 4 pages") and "not the one in the site" in note
    assert leftovers(built) == []


def test_without_fork_the_build_patches_the_index_itself(built: Project, monkeypatch):
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    edit(built)
    result = build(built, monkeypatch, aside=True)
    assert any(n.startswith("search: re-indexed 1 of 4 pages") for n in result.notes)
    assert "search" in built.loaded


def test_the_process_stops_waiting_once_its_build_is_gone(monkeypatch):
    monkeypatch.setattr(aside_module, "PARENT_CHECK_SECONDS", 0.01)
    ours, theirs = multiprocessing.Pipe()
    answers = []
    waiting = threading.Thread(
        target=lambda: answers.append(
            aside_module._request(theirs, os.getppid() + 1, None, None)  # type: ignore[arg-type]
        ),
        daemon=True,
    )
    waiting.start()
    waiting.join(timeout=10)
    assert not waiting.is_alive() and answers == [None], "it waits for a build that is gone"
    ours.send(("ask", [], Path("site")))
    assert aside_module._request(theirs, os.getppid(), None, None) == ([], Path("site"))  # type: ignore[arg-type]
