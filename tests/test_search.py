"""Search: what the theme marks for indexing, what goes into site/pagefind/, and when."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import cbor2
import pytest
from conftest import Project

from docsite import search, search_order
from docsite.build import BuildOptions
from docsite.frontmatter import PageSettings
from docsite.live import LiveSite

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
def test_unchanged_pages_reuse_the_index(built: Project):
    index = built.out / "pagefind"
    before = {p.name: p.stat().st_ino for p in index.rglob("*") if p.is_file()}
    built.write({"content/notes.txt": "an asset, not a page"})
    result = built.build()
    assert result.ok
    assert "search: index reused" in result.notes
    after = {p.name: p.stat().st_ino for p in index.rglob("*") if p.is_file()}
    assert after == before, "the previous index is hard-linked, not rewritten"


@needs_pagefind
def test_a_changed_page_reindexes_and_keeps_unchanged_files(built: Project):
    index = built.out / "pagefind"
    wasm = (index / "wasm.en.pagefind").stat().st_ino
    page = built.root / "content/guide/setup.md"
    page.write_text(page.read_text() + "\nNow with quuxification.\n")
    result = built.build()
    assert result.ok
    assert any(n.startswith("search: indexed 4 pages") for n in result.notes), result.notes
    assert "quuxification" in fragments(built.out)["/guide/setup/"]["content"]
    assert (index / "wasm.en.pagefind").stat().st_ino == wasm


def test_missing_binary_warns_once_and_builds(project: Project, monkeypatch):
    monkeypatch.setattr(search, "binary_available", lambda: False)
    project.write(FILES)
    result = project.build()
    assert result.ok
    warnings = [d for d in result.report.items if "Pagefind" in d.message]
    assert len(warnings) == 1
    assert warnings[0].message == search.MISSING_BINARY
    assert "pagefind[bin]" in warnings[0].hint
    assert not (project.out / "pagefind").exists()
    assert "search: index unavailable (no Pagefind binary)" in result.notes


def test_missing_pagefind_package_counts_as_missing_binary(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pagefind(name, *args, **kwargs):
        if name.startswith("pagefind"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pagefind)
    assert search.binary_available() is False


# A fixed order (search_order) -------------------------------------------------------


def pagefind_index(filters: dict[str, list], hashes: list[str]) -> dict[str, bytes]:
    """A small index as Pagefind writes it: `filters` in the given order, under `hashes`."""
    meta = ["1.5.2", [["en_0123456", 3]], [["a", "z", "en_ab12cd3"]], [], [], ["title"]]
    files = {"fragment/en_0123456.pf_fragment": b"unchanged", "pagefind.js": b"js"}
    for (name, values), file_hash in zip(filters.items(), hashes, strict=True):
        body = cbor2.dumps([name, values])
        files[f"filter/{file_hash}.pf_filter"] = gzip.compress(b"pagefind_dcd" + body)
        meta[3].append([name, file_hash])
    files["pagefind.en_0000000000.pf_meta"] = gzip.compress(b"pagefind_dcd" + cbor2.dumps(meta))
    files["pagefind-entry.json"] = (
        b'{"version":"1.5.2","languages":{"en":{"hash":"en_0000000000","wasm":"en",'
        b'"page_count":3}},"include_characters":["_"]}'
    )
    return files


def test_filters_come_out_in_one_order_whatever_order_pagefind_wrote():
    tag = [["b", [1]], ["a", [0, 2]], ["é", [2]]]
    section = [["Part 2", [2]], ["Part 1", [0, 1]]]
    one = pagefind_index({"tag": tag, "section": section}, ["en_1111111", "en_2222222"])
    other = pagefind_index(
        {"section": section[::-1], "tag": tag[::-1]}, ["en_3333333", "en_4444444"]
    )
    sorted_one = search_order.sort_filters(one)
    assert sorted_one == search_order.sort_filters(other)
    assert sorted_one["fragment/en_0123456.pf_fragment"] == b"unchanged"
    assert sorted_one["pagefind.js"] == b"js"

    # The entry names the meta file, the meta file names the filter files, all by content.
    entry = json.loads(sorted_one["pagefind-entry.json"])
    assert set(entry) == {"version", "languages", "include_characters"}
    meta_name = f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    meta = search_order.decode(sorted_one[meta_name])
    assert meta[:3] == ["1.5.2", [["en_0123456", 3]], [["a", "z", "en_ab12cd3"]]]
    assert [name for name, _ in meta[3]] == ["section", "tag"]
    filters = {
        name: search_order.decode(sorted_one[f"filter/{h}.pf_filter"]) for name, h in meta[3]
    }
    assert filters["tag"] == ["tag", [["a", [0, 2]], ["b", [1]], ["é", [2]]]]
    assert filters["section"] == ["section", [["Part 1", [0, 1]], ["Part 2", [2]]]]
    for rel, data in sorted_one.items():
        if rel.endswith((".pf_filter", ".pf_meta")):
            body = gzip.decompress(data).removeprefix(b"pagefind_dcd")
            digits = rel.rsplit(".", 1)[0].rsplit("_", 1)[1]
            assert search_order.pagefind_hex(body).startswith(digits), rel
            assert data[4:8] == b"\0\0\0\0", "no time in the gzip header"
    assert len(sorted_one) == len(one)


def test_pagefind_names_files_with_unpadded_hex():
    # SHA-1 of b"abc" is a9993e36 4706816a ...: Pagefind writes byte 0x06 as "6".
    assert search_order.pagefind_hex(b"abc").startswith("a9993e3647681")
    assert search_order.short_hash("en", b"abc", 7) == "en_a9993e3"
    assert search_order.short_hash("en", b"abc", 7, taken={"en_a9993e3"}) == "en_a9993e36"


def test_an_index_laid_out_otherwise_is_an_error():
    files = pagefind_index({"tag": [["a", [0]]]}, ["en_1111111"])
    del files["filter/en_1111111.pf_filter"]
    with pytest.raises(search_order.IndexFormatError, match="no filter/en_1111111"):
        search_order.sort_filters(files)


@needs_pagefind
def test_the_built_index_has_its_filters_sorted_and_named_by_content(built: Project):
    index = built.out / "pagefind"
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta_file = index / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    meta = search_order.decode(meta_file.read_bytes())
    assert [name for name, _ in meta[3]] == ["section", "tag"]
    for name, file_hash in meta[3]:
        data = (index / "filter" / f"{file_hash}.pf_filter").read_bytes()
        filter_name, values = search_order.decode(data)
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
        assert live.search.last is not None and live.search.last.status == "indexed"
        assert "thingamajig" in fragments(project.out)["/guide/setup/"]["content"]
        assert reload_after < live.search.last.seconds + 1
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
