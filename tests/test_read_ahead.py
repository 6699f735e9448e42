"""A fresh build's pages read on two cores (build/readahead.py): a forked process reads them
from the last one back while the build reads from the first one on. Each page is read by
one of the two, and the site, its messages and the cache are those of a build that reads
every page itself."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import write_files

from docsite import pages as pages_module
from docsite.build import BuildOptions, build_site
from docsite.build import readahead as readahead_module
from docsite.build.readahead import ReadAhead
from docsite.cache import BuildCache, content_digest
from docsite.diagnostics import Report
from docsite.pages import PageMemo, load_site, page_readings
from docsite.sources import discover

PAGES = 80


def _project(root: Path) -> None:
    """Pages of every kind reading takes apart: settings files beside a page and for a
    folder, two default pages in one folder, warnings in frontmatter, a hidden page."""
    files = {"docsite.yml": "title: Ahead\n"}
    for i in range(PAGES):
        folder = f"content/part-{i % 4}"
        following = f"page-{(i + 4) % PAGES:02}.md"
        files[f"{folder}/page-{i:02}.md"] = (
            f"---\norder: {i}\nlabel: Page {i}\n---\n# Page {i}\n\n[next]({following})\n"
        )
    files["content/part-0/index.md"] = "---\nicon: book\n---\n# Part zero\n"
    files["content/part-0/readme.md"] = "# Also a default page\n"  # a warning
    files["content/part-1/index.md"] = "# Part one\n"
    files["content/part-1/index.yml"] = "label: First part\norder: 5\n"
    files["content/part-2/page-02.yml"] = "label: Set beside\n"
    files["content/part-3/page-03.md"] = "---\ncolour: blue\n---\n# Unknown key\n"  # a warning
    files["content/part-3/page-07.md"] = "---\nvisibility: hidden\n---\n# Hidden\n"
    write_files(root, files)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _build(root: Path) -> tuple[dict[str, bytes], list[str]]:
    result = build_site(BuildOptions(root=root, out=root / "site", jobs=2))
    assert result.written, [d.format() for d in result.report.items]
    return _tree(root / "site"), [d.format() for d in result.report.items]


def test_a_fresh_build_reading_ahead_writes_the_same_site_messages_and_cache(tmp_path, monkeypatch):
    started: list[ReadAhead | None] = []
    start = readahead_module.start_read_ahead

    def noting(found, *args):
        started.append(start(found, *args))
        if started[-1] is not None:  # the other process has begun: it reads some pages
            _wait_for(lambda: started[-1]._bounds[1] < len(found.pages) - 1)
        return started[-1]

    read_here: list[str] = []  # pages this process read from their files
    read_page = pages_module._read_page

    def counting(source, report):
        read_here.append(source.rel)
        return read_page(source, report)

    monkeypatch.setattr("docsite.build.run.start_read_ahead", noting)
    monkeypatch.setattr(pages_module, "_read_page", counting)
    ahead_root, alone_root = tmp_path / "ahead", tmp_path / "alone"
    _project(ahead_root)
    _project(alone_root)
    ahead_site, ahead_messages = _build(ahead_root)
    assert started and started[0] is not None  # the pages were read on two cores
    assert started[0].process is not None and started[0].process.exitcode == 0
    page_count = len(list((ahead_root / "content").rglob("*.md")))
    assert len(set(read_here)) == len(read_here) < page_count  # the others were given
    read_here.clear()
    monkeypatch.setattr(readahead_module, "READ_AHEAD_PAGES", 10**6)
    alone_site, alone_messages = _build(alone_root)
    assert started[1:] == [None]
    assert len([rel for rel in read_here if rel.endswith(".md")]) == page_count  # all here
    assert ahead_messages == alone_messages  # the same warnings, in the same order
    assert any("default page" in m for m in ahead_messages)
    assert any("colour" in m for m in ahead_messages)
    assert ahead_site.keys() == alone_site.keys()
    assert {k for k in ahead_site if ahead_site[k] != alone_site[k]} == set()
    # The cache keeps every page as read, whichever process read it: a rebuild reads none.
    read = BuildCache(ahead_root, ahead_root / "site").load_pages_read()
    content = ahead_root / "content"
    pages = {path.relative_to(content).as_posix() for path in content.rglob("*.md")}
    assert read.keys() == pages


def test_a_build_with_errors_in_pages_says_the_same_whether_read_ahead_or_not(
    tmp_path, monkeypatch
):
    said = []
    for threshold in (2, 10**6):
        monkeypatch.setattr(readahead_module, "READ_AHEAD_PAGES", threshold)
        root = tmp_path / str(threshold)
        _project(root)
        write_files(root, {"content/part-1/page-41.md": "---\norder: [\n---\n# Broken\n"})
        write_files(root, {"content/part-2/page-50.md": b"---\nlabel: x\n---\n\xff\xfe bad\n"})
        result = build_site(BuildOptions(root=root, out=root / "site", jobs=2))
        assert not result.written
        said.append([d.format() for d in result.report.items])
    assert said[0] == said[1]
    assert any("page-41.md" in m for m in said[0]) and any("page-50.md" in m for m in said[0])


def _readings(root: Path):
    _project(root)
    found = discover(root / "content", "content", Report())
    hashes = {
        source.rel: content_digest(source.path.read_bytes())
        for source in [*found.pages, *found.settings.values()]
    }
    return found, page_readings(found), hashes


def _wait_for(condition, seconds: float = 30.0) -> None:
    """Until `condition()` holds: the other process is under way (not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the reading process did not start"
        time.sleep(0.001)


def test_each_page_is_read_by_one_of_the_two_processes(tmp_path):
    _, readings, hashes = _readings(tmp_path)

    def slow_hash(rel: str) -> str | None:
        time.sleep(0.002)  # the other process reads slowly: this one claims most pages
        return hashes.get(rel)

    ahead = ReadAhead(readings, slow_hash)
    rels = [reading.source.rel for reading in readings]
    _wait_for(lambda: ahead._bounds[1] < len(rels) - 2)  # it has claimed a page or two
    claimed_here = []
    taken: dict = {}
    for rel in rels:
        if not ahead.claim(rel):
            taken = ahead.take()
            break
        claimed_here.append(rel)
    ahead.close()
    assert claimed_here and taken  # both read some
    assert claimed_here == rels[: len(claimed_here)]  # this process: from the first on
    assert list(reversed(taken)) == rels[len(claimed_here) :]  # the other: the rest, back
    for rel, read in taken.items():
        assert read.key[0] == hashes[rel] and read.page.source.rel == rel


def test_pages_the_reading_process_claimed_but_never_gave_are_read_by_the_build(
    tmp_path, monkeypatch
):
    """A reading process that ends without an answer (killed, out of memory) leaves its
    pages to the build, which reads them itself: the same site, the same warnings."""
    found, readings, hashes = _readings(tmp_path)

    def claim_half_and_die(readings, hash_of, bounds, lock, sender):
        with lock:
            bounds[1] = len(readings) // 2
        raise SystemExit(1)

    monkeypatch.setattr(readahead_module, "_read_from_back", claim_half_and_die)
    ahead = ReadAhead(readings, hashes.get)
    _wait_for(lambda: ahead._bounds[1] < len(readings) - 1)
    memo = PageMemo({}, hashes.get, ahead=ahead)
    report = Report()
    site = load_site(found, report, loaded=memo)
    ahead.close()
    alone_report = Report()
    alone = load_site(found, alone_report)
    assert memo.ahead is None  # it met the other's pages, and took nothing
    assert [d.format() for d in report.items] == [d.format() for d in alone_report.items]
    assert [(p.source.rel, p.url, p.label, p.body) for p in site.pages] == [
        (p.source.rel, p.url, p.label, p.body) for p in alone.pages
    ]
    assert memo.current.keys() == {p.source.rel for p in alone.pages}


def test_a_cache_of_pages_read_by_another_docsite_does_not_stop_the_reading_ahead(
    tmp_path, monkeypatch
):
    """After an upgrade the cache's pages are not taken (another engine read them): the
    first build reads them on two cores, as a fresh one does; the next takes them."""
    _project(tmp_path)
    _build(tmp_path)
    monkeypatch.setattr("docsite.cache.engine_digest", lambda: "another docsite")
    monkeypatch.setattr("docsite.pages.engine_digest", lambda: "another docsite")
    started: list[ReadAhead | None] = []
    start = readahead_module.start_read_ahead
    monkeypatch.setattr(
        "docsite.build.run.start_read_ahead", lambda *a: started.append(start(*a)) or started[-1]
    )
    write_files(tmp_path, {"content/part-0/page-00.md": "# Changed\n"})
    _build(tmp_path)
    write_files(tmp_path, {"content/part-0/page-00.md": "# Changed again\n"})
    _build(tmp_path)
    assert started[0] is not None and started[1] is None
