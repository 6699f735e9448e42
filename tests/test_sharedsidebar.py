"""Sidebars too long to repeat on every page (docsite.sharedsidebar): counted from the tree,
written once as a script their pages load, kept right by rebuilds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import write_files
from test_incremental import EDITS, OPEN_FOLDERS, clean_build, edit, make_site, nav_edit, tree

import docsite.sharedsidebar
from docsite.build import BuildOptions, build_site
from docsite.build.preview import PagePreview
from docsite.diagnostics import Report
from docsite.nav import build_nav, sidebar_steps
from docsite.pages import load_site
from docsite.serve.live import LiveSite
from docsite.sharedsidebar import SCRIPTS_FOLDER, SidebarSizes, script_tag, sidebar_script
from docsite.sources import discover
from docsite.theme import ROOT_MARK

NESTED = {
    "content/index.md": "# Home\n",
    "content/top.md": "# Top\n",
    "content/a/index.md": "# A\n",
    "content/a/one.md": "# One\n",
    "content/a/b/two.md": "# Two\n",
    "content/a/b/three.md": "# Three\n",
    "content/a/b/c/four.md": "# Four\n",
    "content/open/index.md": "---\nexpanded: true\n---\n# Open\n",
    "content/open/five.md": "# Five\n",
    "content/open/inner/six.md": "# Six\n",
    "content/open/inner/seven.md": "# Seven\n",
    "content/hidden/eight.md": "---\nvisibility: hidden\n---\n# Eight\n",
    "content/plain/nine.md": "# Nine\n",
    # A folder under one that left the sidebar: it has a nav item, which no sidebar lists.
    "content/gone/index.md": "---\nlayout: page\n---\n# Gone\n",
    "content/gone/sub/ten.md": "# Ten\n",
    "content/gone/sub/eleven.md": "# Eleven\n",
}


def ancestors(folder: str) -> frozenset[str]:
    found = set()
    while folder:
        found.add(folder)
        folder = folder.rpartition("/")[0]
    return frozenset(found)


@pytest.mark.parametrize("mode", ["default", "stack"])
def test_each_folders_sidebar_is_counted_as_the_sidebar_lists_it(tmp_path, mode):
    """The count of every folder's sidebar is that of the items `sidebar_steps` lists for
    its pages: nested folders, an expanded one, a hidden page, stacked top-level folders."""
    write_files(tmp_path, NESTED)
    report = Report()
    site = load_site(discover(tmp_path / "content", "content", report), report)
    nav = build_nav(site, mode=mode)
    sizes = SidebarSizes(nav)
    folders = {page.folder for page in site.pages} | {"", "a/b/c", "nowhere/deep"}
    assert "gone/sub" in nav.by_folder and "gone" not in nav.by_folder
    for folder in sorted(folders):
        steps = sidebar_steps(nav.root.children, ancestors(folder))
        assert sizes.size(folder) == sum(step.kind != "close" for step in steps), folder


def test_the_script_holds_the_sidebar_and_the_tag_tells_it_the_page():
    html = f'<ul><li><a href="{ROOT_MARK}x/" class="nav-link">X</a></li></ul>'
    path, text = sidebar_script(html, ROOT_MARK, "the pages of x/")
    assert re.fullmatch(SCRIPTS_FOLDER + r"/[0-9a-f]{16}\.js", path)
    # The HTML and the marker are JavaScript strings as JSON writes them, in ASCII.
    assert json.dumps(html) in text and json.dumps(ROOT_MARK) in text
    assert text.isascii() and "\\u00e9" in sidebar_script("é", ROOT_MARK, "x")[1]
    assert sidebar_script(html, ROOT_MARK, "the pages of café/ */")[1].isascii()
    assert sidebar_script(html, ROOT_MARK, "the pages of x/")[0] == path  # named by contents
    assert sidebar_script(html + " ", ROOT_MARK, "the pages of x/")[0] != path
    tag = script_tag(ROOT_MARK, path, 'a&b"/', "<ul>top</ul>")
    assert tag == (
        f'<script src="{ROOT_MARK}{path}" data-root="{ROOT_MARK}" data-current="a&amp;b&#34;/">'
        "</script><noscript><ul>top</ul></noscript>"
    )
    assert "data-current" not in script_tag(ROOT_MARK, path, None, "")
    assert "noscript" not in script_tag(ROOT_MARK, path, None, "")


def big_folder_site(pages: int) -> dict[str, str]:
    files = {
        "docsite.yml": "title: Big\n",
        "content/index.md": "# Home\n\nSee [the first](ref/e001.md).\n",
        "content/guide/start.md": "# Start\n",
    }
    for number in range(1, pages + 1):
        files[f"content/ref/e{number:03}.md"] = f"# Endpoint {number}\n\nText {number}.\n"
    # Pages that moved: their folder's sidebar would be long, but a redirect shows none.
    files["content/ref/moved/old.md"] = "---\nredirect: ../e001.md\n---\n# Old\n"
    return files


def scripts_and_their_pages(out: Path) -> tuple[set[str], set[str]]:
    """The shared sidebars' scripts written, and those the site's pages load."""
    from bs4 import BeautifulSoup

    written = {p.relative_to(out).as_posix() for p in out.glob(SCRIPTS_FOLDER + "/*.js")}
    loaded = set()
    for path in out.rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in page.select("#sidebar > script[src]"):
            target = (path.parent / tag["src"]).resolve()
            assert target.is_file(), (path, tag["src"])
            loaded.add(target.relative_to(out.resolve()).as_posix())
    return written, loaded


def sidebar_of(out, rel):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")
    return page.select_one("#sidebar")


def test_a_long_sidebar_is_written_once_and_its_pages_load_it(tmp_path, monkeypatch):
    monkeypatch.setattr(docsite.sharedsidebar, "SHARED_ITEMS", 12)
    root = tmp_path / "proj"
    write_files(root, big_folder_site(20))
    out = root / "site"
    result = build_site(BuildOptions(root=root, out=out, jobs=1))
    assert result.ok, [d.format() for d in result.report.items]
    scripts = sorted((out / SCRIPTS_FOLDER).glob("*.js"))
    assert len(scripts) == 1  # not for the folder of redirects, which shows no sidebar
    written, loaded = scripts_and_their_pages(out)
    assert written == loaded
    script = scripts[0].read_text(encoding="utf-8")
    assert script.count('class=\\"nav-link\\"') >= 20  # every endpoint, once for the site
    for rel in ("ref/e001/index.html", "ref/e020/index.html"):
        sidebar = sidebar_of(out, rel)
        tag = sidebar.select_one("script[src]")
        assert tag["src"] == f"../../{SCRIPTS_FOLDER}/{scripts[0].name}"
        assert tag["data-root"] == "../../"
        assert tag["data-current"] == rel.removesuffix("index.html")
        lists = [ul for ul in sidebar.select("ul.nav-list") if not ul.find_parent("noscript")]
        assert lists == []  # the list is in the script only
        assert "Endpoint" not in sidebar.get_text()
        # Without JavaScript: the top level, the folders closed.
        fallback = sidebar.select_one("noscript").decode_contents()
        assert 'href="../../guide/start/"' in fallback and "Endpoint" not in fallback
    # The pages of a short sidebar keep it in their HTML.
    for rel in ("index.html", "guide/start/index.html"):
        assert sidebar_of(out, rel).select_one("script[src]") is None
        assert sidebar_of(out, rel).select("a.nav-link")


def test_a_long_top_level_is_shared_by_every_page_and_the_generated_ones(tmp_path, monkeypatch):
    """The top level's sidebar is long: every page loads it, the tag pages too (generated,
    they show the top level's), and no page has a fallback list."""
    monkeypatch.setattr(docsite.sharedsidebar, "SHARED_ITEMS", 12)
    root = tmp_path / "proj"
    files = {"docsite.yml": "title: Wide\n", "content/index.md": "# Home\n"}
    for number in range(20):
        files[f"content/p{number:02}.md"] = f"---\ntags: [t{number % 2}]\n---\n# Page {number}\n"
    write_files(root, files)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    written, loaded = scripts_and_their_pages(out)
    assert len(written) == 1 and written == loaded
    for rel in ("index.html", "p03/index.html", "tags/t1/index.html"):
        sidebar = sidebar_of(out, rel)
        assert sidebar.select_one("script[src]")["src"].endswith(next(iter(written))), rel
        assert sidebar.select_one("noscript") is None
    # Served at any address, where the script's may not resolve, 404.html holds its list.
    missing = sidebar_of(out, "404.html")
    assert missing.select_one("script[src]") is None
    assert len(missing.select("a.nav-link")) == 21


def test_pages_dropping_below_the_limit_inline_their_sidebar_again(tmp_path, monkeypatch):
    monkeypatch.setattr(docsite.sharedsidebar, "SHARED_ITEMS", 12)
    root = tmp_path / "proj"
    write_files(root, big_folder_site(12))
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    assert len(list((out / SCRIPTS_FOLDER).glob("*.js"))) == 1  # 12 endpoints and 4 more
    for number in range(5, 13):
        (root / f"content/ref/e{number:03}.md").unlink()
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    assert not (out / SCRIPTS_FOLDER).exists()
    assert (
        sidebar_of(out, "ref/e001/index.html").select_one("a[aria-current]")["href"]
        == "../../ref/e001/"
    )
    assert tree(out) == clean_build(root, tmp_path / "clean")


SIDEBAR_EDITS = [
    "body",
    "label",
    "order",
    "permalink",
    "folder",
    "template",
    "add",
    "remove",
    "nav mode",
    "nav tags",
]


@pytest.mark.parametrize("name", SIDEBAR_EDITS)
def test_rebuilds_with_shared_sidebars_equal_clean_builds(tmp_path, monkeypatch, name):
    """Every section's sidebar shared (the top level's not): one edit, then a rebuild that
    equals a clean build, with no script left over from the last build."""
    monkeypatch.setattr(docsite.sharedsidebar, "SHARED_ITEMS", 12)
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    assert len(list((out / SCRIPTS_FOLDER).glob("*.js"))) == 4
    EDITS[name](root)
    again = build_site(BuildOptions(root=root, out=out, jobs=1))
    assert again.ok, [d.format() for d in again.report.items]
    assert tree(out) == clean_build(root, tmp_path / "clean")


def test_random_nav_edits_with_shared_sidebars_match_clean_builds(tmp_path, monkeypatch):
    monkeypatch.setattr(docsite.sharedsidebar, "SHARED_ITEMS", 8)
    root = tmp_path / "proj"
    make_site(root, sections=3, pages=5)
    OPEN_FOLDERS["an expanded folder"](root)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    assert list((out / SCRIPTS_FOLDER).glob("*.js"))
    for step, (section, number, kind) in enumerate(
        [(0, 1, "label"), (2, 3, "order"), (1, 0, "icon"), (0, 4, "badge"), (2, 2, "body")]
    ):
        nav_edit(root / f"content/s{section}/p{number}.md", kind, step)
        assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
        assert tree(out) == clean_build(root, tmp_path / f"clean{step}"), (step, kind)


@pytest.mark.parametrize("name", ["label", "add"])
def test_watch_mode_previews_the_new_sidebar_script_with_the_open_page(tmp_path, monkeypatch, name):
    """An edit that changes the open page's shared sidebar: the preview carries the new
    script the page loads (the build has not written it yet), the very file written then."""
    monkeypatch.setattr(docsite.sharedsidebar, "SHARED_ITEMS", 12)
    root = tmp_path / "proj"
    make_site(root)
    served = root / ".docsite-cache/serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    sent: list[PagePreview] = []
    live.open_pages = lambda: ["/s0/p1/"]
    live.on_preview = lambda previews, css: sent.extend(previews)
    edits = {
        "label": lambda: edit(root / "content/s0/p3.md", "# Page 0.3", "# Renamed"),
        "add": lambda: write_files(root, {"content/s0/new.md": "# New page\n"}),
    }
    try:
        assert not live.full_build().failed
        live.warm_up()
        before = set((served / SCRIPTS_FOLDER).iterdir())
        edits[name]()
        changed = [root / "content/s0/p3.md"] if name == "label" else [root / "content/s0/new.md"]
        assert not live.apply(changed).failed
        assert live.search.idle()  # the search index follows in the background
    finally:
        live.close()
    scripts = [p for p in sent if p.output_path.startswith(SCRIPTS_FOLDER + "/")]
    assert len(scripts) == 1 and scripts[0].url is None
    assert served / scripts[0].output_path not in before
    assert scripts[0].html == (served / scripts[0].output_path).read_bytes()
    page = next(p for p in sent if p.url == "s0/p1/")
    assert scripts[0].output_path.encode() in page.html
    assert tree(served) == clean_build(root, tmp_path / "clean")
