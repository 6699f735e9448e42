"""Backlinks (Retype's backlinks.md): each page lists the pages that link to it."""

from __future__ import annotations

import gc
import multiprocessing
import os
import tempfile
from pathlib import Path
from urllib.parse import urljoin

import jinja2
from conftest import Project, soup, write_files

from docsite import cache as cache_module
from docsite import render as render_module
from docsite import theme as theme_module
from docsite.backlinks import Backlink, backlinks_by_page, in_reading_order, reading_order
from docsite.build import BuildOptions, build_site
from docsite.build import plan as plan_module
from docsite.config import BacklinksConfig
from docsite.diagnostics import Report
from docsite.markdown import MarkdownRenderer
from docsite.nav import build_nav
from docsite.pages import load_site
from docsite.serve.live import LiveSite
from docsite.sources import discover


def see_also(project: Project, rel: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The title and (text, site path) links of a page's backlinks list, None if it has none."""
    aside = project.page(rel).select_one("aside.backlinks")
    if aside is None:
        return None
    title = aside.select_one(".backlinks-title")
    assert title is not None
    base = "/" + rel.removesuffix("index.html")
    links = [(a.get_text(), urljoin(base, a["href"])) for a in aside.select("li a")]
    return title.get_text(strip=True), links


def test_a_page_lists_the_pages_that_link_to_it_at_its_end(project):
    project.write(
        {
            "content/index.md": "# Home\n\nSee [the guide](guide/setup.md).\n",
            "content/guide/setup.md": "# Setup\n\nBack [home](../index.md) and [self](setup.md).\n",
            "content/guide/more.md": "# More\n\n[setup](setup.md), twice: [again](setup.md).\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    # In the order of the site's pages, each page once, never the page itself.
    assert see_also(project, "guide/setup/index.html") == (
        "See also",
        [("Home", "/"), ("More", "/guide/more/")],
    )
    assert see_also(project, "index.html") == ("See also", [("Setup", "/guide/setup/")])
    assert see_also(project, "guide/more/index.html") is None  # nothing links to it
    # The list is after the article: search does not index it as the page's text.
    page = project.page("guide/setup/index.html")
    aside = page.select_one("aside.backlinks")
    assert aside.find_parent("article") is None and aside.has_attr("data-pagefind-ignore")


def test_placed_with_a_title_where_the_page_says(project):
    project.write(
        {
            "content/a.md": '# A\n\n[!backlinks "Related pages"]\n\n## After\n\nText.\n',
            "content/b.md": "# B\n\n[a](a.md)\n",
            "content/c.md": "# C\n\n[!backlinks]\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    article = project.page("a/index.html").select_one("article")
    aside = article.select_one("aside.backlinks")
    assert aside is not None, "placed inside the content"
    assert aside.find_next_sibling("h2").get_text(strip=True).startswith("After")
    assert see_also(project, "a/index.html") == ("Related pages", [("B", "/b/")])
    assert len(project.page("a/index.html").select("aside.backlinks")) == 1
    # No page links to C: its [!backlinks] shows nothing, and no marker is left.
    c_page = project.page("c/index.html")
    assert c_page.select_one("aside.backlinks") is None
    assert "docsite:backlinks" not in str(c_page) and "[!backlinks" not in c_page.get_text()


def test_settings_of_the_project_and_of_the_page(project):
    project.write(
        {
            "retype.yml": "backlinks:\n  title: Referenced by\n  maxResults: 3\n"
            "  exclude: [/blog]\n  include: [/blog/keep.md]\n",
            "target.md": "# Target\n",
            "quiet.md": "---\nbacklinks:\n  enabled: false\n---\n# Quiet\n",
            "own.md": "---\nbacklinks:\n  title: See these\n  maxResults: 1\n---\n# Own\n",
            "blog/post.md": "# Post\n\n[t](../target.md) [o](../own.md)\n",
            "blog/keep.md": "# Keep\n\n[t](../target.md) [q](../quiet.md)\n",
            "x.md": "# X\n\n[t](target.md) [o](own.md) [q](quiet.md)\n",
            "y.md": "# Y\n\n[t](target.md) [o](own.md)\n",
        }
    )
    result = build_site(BuildOptions(root=project.root, out=project.out))
    assert result.ok, project.messages(result)
    title, links = see_also(project, "target/index.html")
    assert title == "Referenced by"
    # /blog is excluded but keep.md is included again; three at most (of four), in the
    # sidebar's order, then the pages it does not show: blog posts are not in it.
    assert [text for text, _ in links] == ["X", "Y", "Keep"]
    assert see_also(project, "quiet/index.html") is None
    assert see_also(project, "own/index.html") == ("See these", [("X", "/x/")])


def test_the_project_may_turn_them_off_and_a_page_back_on(project):
    project.write(
        {
            "docsite.yml": "backlinks:\n  enabled: false\n",
            "content/a.md": "# A\n\n[b](b.md)\n",
            "content/b.md": "# B\n\n[a](a.md)\n",
            "content/c.md": "---\nbacklinks:\n  enabled: true\n---\n# C\n\n[a](a.md)\n",
            "content/d.md": "# D\n\n[c](c.md)\n",
        }
    )
    assert project.build().ok
    assert see_also(project, "a/index.html") is None
    assert see_also(project, "c/index.html") == ("See also", [("D", "/d/")])


def test_bad_settings_are_reported_where_they_are_written(project):
    project.write(
        {
            "docsite.yml": "backlinks:\n  max_results: 0\n  exclude: ['!']\n",
            "content/a.md": '---\nbacklinks:\n  maxResults: "many"\n---\n# A\n\n'
            "[!backlinks]\n\n[!backlinks]\n\n[!backlinks max=3]\n",
        }
    )
    result = project.build()
    messages = project.messages(result)
    assert any(m.startswith("docsite.yml:2:16: error: 'backlinks.max_results'") for m in messages)
    assert any(
        m.startswith("docsite.yml:3:13: error: 'backlinks.exclude' pattern '!'") for m in messages
    ), messages
    assert any(m.startswith("content/a.md:3:15: error: 'backlinks.maxResults'") for m in messages)
    second = [m for m in messages if "second [!backlinks]" in m]
    assert len(second) == 2 and second[0].startswith("content/a.md:9:1: warning")


def sources(root: Path, files: dict[str, str]):
    write_files(root, files)
    report = Report()
    return load_site(discover(root, "content", report, (), (root,)), report)


def test_backlinks_by_page_follows_order_limits_and_redirects(tmp_path):
    site = sources(
        tmp_path,
        {
            "a.md": "# A\n",
            "b.md": "# B\n",
            "c.md": "---\nredirect: a.md\n---\n",
            "d.md": "# D\n",
        },
    )
    links = {"d.md": ["a.md", "a.md"], "b.md": ["a.md", "b.md"], "c.md": ["a.md"]}
    found = backlinks_by_page(site, links, BacklinksConfig())
    assert found == {"a.md": (Backlink("B", "b/"), Backlink("D", "d/"))}
    assert backlinks_by_page(site, links, BacklinksConfig(max_results=1))["a.md"] == (
        Backlink("B", "b/"),
    )
    assert backlinks_by_page(site, links, BacklinksConfig(enabled=False)) == {}


def test_some_pages_in_reading_order_are_where_the_whole_order_puts_them(tmp_path):
    site = sources(
        tmp_path,
        {
            "index.md": "# Home\n",
            "z.md": "---\norder: 9\n---\n# Z\n",  # first in the sidebar
            "a.md": "---\nnextprev:\n  mode: exclude\n---\n# A\n",  # not in the order
            "hidden.md": "---\nvisibility: hidden\n---\n# Hidden\n",  # not in the sidebar
            "guide/index.md": "# Guide\n",
            "guide/b.md": "---\norder: -1\n---\n# B\n",
            "guide/c.md": "# C\n",
        },
    )
    nav = build_nav(site)
    whole = reading_order(site, nav)
    for picked in (site.pages, site.pages[::2], site.pages[1::2], site.pages[::-1]):
        wanted = {id(page) for page in picked}
        assert in_reading_order(picked, site, nav) == [p for p in whole if id(p) in wanted]


def test_rebuilds_follow_the_links_of_other_pages(project):
    files = {
        "content/a.md": "# A\n",
        "content/b.md": "# B\n\n[a](a.md)\n",
        "content/c.md": "# C\n",
    }
    project.write(files)
    assert project.build().ok
    assert see_also(project, "a/index.html") == ("See also", [("B", "/b/")])
    project.write({"content/b.md": "# B\n\nNo link now.\n", "content/c.md": "# C\n\n[a](a.md)\n"})
    again = project.build()
    assert again.ok and see_also(project, "a/index.html") == ("See also", [("C", "/c/")])
    project.write({"content/c.md": "---\ntitle: Sea\n---\n# C\n\n[a](a.md)\n"})
    assert project.build().ok
    assert see_also(project, "a/index.html") == ("See also", [("Sea", "/c/")])
    # The same as a clean build of the same files.
    clean = Project(project.root.parent / "clean")
    clean.write({**files, "content/b.md": "# B\n\nNo link now.\n"})
    clean.write({"content/c.md": "---\ntitle: Sea\n---\n# C\n\n[a](a.md)\n"})
    assert clean.build().ok
    for rel in ("a/index.html", "b/index.html", "c/index.html"):
        assert (project.out / rel).read_bytes() == (clean.out / rel).read_bytes(), rel


def test_a_rebuild_works_backlinks_out_only_when_links_or_the_site_changed(project, monkeypatch):
    """A body edit that keeps the page's links keeps every page's backlinks as recorded,
    without working them out again; new links, or a changed title (the site key), make the
    build work them out, and each rebuild ends as a clean build of its files would."""
    calls: list[int] = []
    by_page = plan_module.backlinks_by_page

    def counting(*args, **kwargs):
        calls.append(1)
        return by_page(*args, **kwargs)

    monkeypatch.setattr(plan_module, "backlinks_by_page", counting)
    files = {
        "content/a.md": "# A\n",
        "content/b.md": "# B\n\n[a](a.md)\n",
        "content/c.md": "# C\n\n[b](b.md)\n",
    }
    project.write(files)
    assert project.build().ok and calls == [1]
    edits = [
        ({"content/b.md": "# B\n\nMore words, [a](a.md) still.\n"}, 0),
        ({"content/c.md": "# C\n\n[a](a.md) and [b](b.md)\n"}, 1),
        ({"content/b.md": "---\ntitle: Bee\n---\n# B\n\nMore words, [a](a.md) still.\n"}, 1),
    ]
    for number, (edit, worked_out) in enumerate(edits):
        calls.clear()
        files.update(edit)
        project.write(edit)
        assert project.build().ok
        assert len(calls) == worked_out, edit
        clean = Project(project.root.parent / f"clean-{number}")
        clean.write(files)
        assert clean.build().ok
        for rel in ("a/index.html", "b/index.html", "c/index.html"):
            assert (project.out / rel).read_bytes() == (clean.out / rel).read_bytes(), rel
    assert see_also(project, "a/index.html") == ("See also", [("Bee", "/b/"), ("C", "/c/")])


def test_watch_mode_updates_the_pages_a_body_edit_links_to(tmp_path):
    root = tmp_path / "proj"
    write_files(
        root,
        {
            "content/a.md": "# A\n",
            "content/b.md": "# B\n\nText.\n",
        },
    )
    served = root / ".docsite-cache/serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    try:
        assert not live.full_build().failed
        assert soup(served / "a/index.html").select_one("aside.backlinks") is None
        (root / "content/b.md").write_text("# B\n\nSee [a](a.md).\n")
        update = live.apply([root / "content/b.md"])
        assert not update.failed
        assert sorted(update.changed_urls) == ["a/", "b/"]
        links = soup(served / "a/index.html").select("aside.backlinks li a")
        assert [(a.get_text(), a["href"]) for a in links] == [("B", "../b/")]
        (root / "content/b.md").write_text("# B\n\nText.\n")
        assert sorted(live.apply([root / "content/b.md"]).changed_urls) == ["a/", "b/"]
        assert soup(served / "a/index.html").select_one("aside.backlinks") is None
    finally:
        live.close()


def test_a_build_without_cache_parses_each_page_once(project, monkeypatch, tmp_path):
    """Backlinks parse pages ahead of their render; without a cache (`docsite check`,
    `--no-cache`) that parse is kept for the build in memory, and nothing is written."""
    parsed: list[str] = []
    render = MarkdownRenderer.render

    def counting(self, page, code_before=None):
        parsed.append(page.source.rel)
        return render(self, page, code_before)

    monkeypatch.setattr(MarkdownRenderer, "render", counting)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "scratch"))
    (tmp_path / "scratch").mkdir()
    project.write({f"content/p{i}.md": f"# P{i}\n\n[next](p{(i + 1) % 3}.md)\n" for i in range(3)})
    result = build_site(BuildOptions(root=project.root, out=project.out, use_cache=False, jobs=1))
    assert result.ok
    assert sorted(parsed) == ["p0.md", "p1.md", "p2.md"]
    assert see_also(project, "p1/index.html") == ("See also", [("P0", "/p0/")])
    del result
    gc.collect()
    assert list((tmp_path / "scratch").iterdir()) == []


def test_parallel_builds_parse_each_page_once_and_keep_the_parses(project, monkeypatch):
    """Workers parse the pages ahead (for backlinks) and their render uses that parse; the
    cache keeps every parse, so the pages a new one re-renders (its sidebar entry, a
    backlink) are not parsed again. Workers are processes: each parse is counted in a file."""
    counts = project.root / "parsed.txt"
    render = MarkdownRenderer.render

    def counting(self, page, code_before=None):
        with open(counts, "a") as handle:
            handle.write(page.source.rel + "\n")
        return render(self, page, code_before)

    monkeypatch.setattr(MarkdownRenderer, "render", counting)
    pickled = project.root / "pickled.txt"  # the process of each parse pickled for the cache
    record = cache_module.markdown_record

    def noting(markdown_key, rendered):
        with open(pickled, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return record(markdown_key, rendered)

    monkeypatch.setattr(cache_module, "markdown_record", noting)
    monkeypatch.setattr(render_module, "markdown_record", noting)
    pages = {f"content/p{i}.md": f"# P{i}\n\n[next](p{(i + 1) % 60}.md)\n" for i in range(60)}
    project.write(pages)
    assert build_site(BuildOptions(root=project.root, out=project.out, jobs=2)).ok
    assert sorted(counts.read_text().split()) == sorted(f"p{i}.md" for i in range(60))
    # Each parse is pickled once, by the worker that made it: the main process stores those
    # bytes in the cache rather than pickling the parse again.
    by_process = pickled.read_text().split()
    assert len(by_process) == 60 and str(os.getpid()) not in by_process
    counts.unlink()
    project.write({"content/new.md": "# New\n\n[P7](p7.md)\n"})
    result = build_site(BuildOptions(root=project.root, out=project.out, jobs=2))
    assert result.ok and result.rendered == 61
    assert counts.read_text().split() == ["new.md"]
    assert see_also(project, "p7/index.html") == ("See also", [("New", "/new/"), ("P6", "/p6/")])


def test_render_workers_inherit_compiled_templates_and_sidebars(project, monkeypatch):
    """While workers parse the pages ahead, the build's own process compiles the theme's
    templates and renders each folder's sidebar: the render's workers, forked after, load
    no template and render no sidebar. A fresh build's templates are compiled while the
    pages are read, by a process of their own. A template the site never uses may be
    broken."""
    loads = project.root / "loads.txt"  # who loaded a template, or rendered a sidebar

    def noting(what):
        def note(*args, **kwargs):
            with open(loads, "a") as handle:
                handle.write(f"{multiprocessing.current_process().name} {what}\n")
            return original[what](*args, **kwargs)

        return note

    original = {
        "template": jinja2.FileSystemLoader.get_source,
        "sidebar": theme_module.sidebar_steps,
    }
    monkeypatch.setattr(jinja2.FileSystemLoader, "get_source", noting("template"))
    monkeypatch.setattr(theme_module, "sidebar_steps", noting("sidebar"))
    pages = {
        f"content/{folder}/p{i}.md": f"# P{i}\n\n[next](p{(i + 1) % 30}.md)\n"
        for folder in ("a", "b")
        for i in range(30)
    }
    project.write({**pages, "templates/partials/unused.html": "{% if %}\n"})
    assert build_site(BuildOptions(root=project.root, out=project.out, jobs=2)).ok
    lines = loads.read_text().split("\n")
    loaded_by = {line.split()[0] for line in lines if line.endswith("template")}
    assert "docsite-templates" in loaded_by and loaded_by <= {"docsite-templates", "MainProcess"}
    assert {line.split()[0] for line in lines if line.endswith("sidebar")} == {"MainProcess"}
    assert sum(line.endswith("sidebar") for line in lines) == 3  # the root's, a/ and b/
    assert see_also(project, "a/p1/index.html") == ("See also", [("P0", "/a/p0/")])
