"""A rebuild takes the site as the last full load left it (docsite.build.lastsite) when its
pages changed only in their bodies, and loads the site whole otherwise: either way the site
is a full load's, and the output a clean build's."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import Project

import docsite.build.lastsite
import docsite.build.site
import docsite.tags
from docsite.build import BuildOptions, BuildResult, build_site
from docsite.cache import PAGES_READ_FILES, BuildCache, content_digest, split_file_of

SITE = {
    "docsite.yml": "title: Kept\n",
    "content/index.md": "# Home\n\nWelcome.\n",
    "content/guide/index.md": "---\norder: 2\n---\n# Guide\n",
    "content/guide/setup.md": "---\norder: 1\ntags: [start]\n---\n# Setup\n\nInstall it.\n",
    "content/guide/use.md": "---\nicon: rocket\n---\n# Use\n\nRun it, [set up](setup.md).\n",
    "content/guide/use.yml": "description: From its file\n",
    "content/guide/more.md": "# More\n\nMore words.\n",
    "content/secret.md": "---\nvisibility: protected\n---\n# Secret\n\nHidden words.\n",
    "content/blog/first.md": "---\ndate: 2026-01-01\n---\n# First post\n\nIts summary.\n",
}
KEPT = "the rest as the last full load left them"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def clean_build(project: Project, out: Path) -> dict[str, bytes]:
    result = build_site(BuildOptions(root=project.root, out=out, use_cache=False))
    assert result.ok, [d.format() for d in result.report.items]
    return tree(out)


def reused_note(result: BuildResult) -> str:
    """The note of a build that took the kept site ("" when it loaded the site whole)."""
    assert result.ok, [d.format() for d in result.report.items]
    return next((note for note in result.notes if KEPT in note), "")


def edit(project: Project, rel: str, old: str, new: str) -> None:
    path = project.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def built(project: Project) -> Project:
    project.write(SITE)
    assert not reused_note(project.build())  # nothing kept yet: loaded whole
    return project


# Each edit, and whether the build after it takes the kept site (only bodies changed).
EDITS = {
    "a page's text": (True, ("content/guide/setup.md", "Install it.", "Install it with pip.")),
    # A post's summary shows on the blog's pages: they follow it.
    "a post's text": (True, ("content/blog/first.md", "Its summary.", "Another summary.")),
    "a heading not the first": (
        True,
        ("content/guide/more.md", "More words.", "## Part\n\nMore words."),
    ),
    "a label": (False, ("content/guide/setup.md", "order: 1\n", "order: 1\nlabel: Install\n")),
    "the first heading": (False, ("content/guide/more.md", "# More", "# Much more")),
    "a settings file": (False, ("content/guide/use.yml", "From its file", "From elsewhere")),
    "the config": (False, ("docsite.yml", "title: Kept", "title: Renamed")),
    # The load emptied its body: nothing of it is in the kept site.
    "a withheld page": (False, ("content/secret.md", "Hidden words.", "Other hidden words.")),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edit_builds_as_a_clean_build_taking_the_kept_site_for_bodies(built, tmp_path, name):
    takes, change = EDITS[name]
    edit(built, *change)
    note = reused_note(built.build())
    assert note.startswith("loaded 1 of 7 pages again") if takes else not note
    assert tree(built.out) == clean_build(built, tmp_path / "clean")


def test_a_build_that_cannot_take_the_kept_site_does_not_read_it(built, monkeypatch):
    """What tells whether the kept site is this build's is kept apart from it."""
    parts: list[str] = []
    real = BuildCache.load_part

    def noted(cache: BuildCache, name: str, kind: type) -> object:
        parts.append(name)
        return real(cache, name, kind)

    monkeypatch.setattr(BuildCache, "load_part", noted)
    edit(built, *EDITS["a label"][1])
    assert not reused_note(built.build())
    assert "site-head" in parts and "site" not in parts
    parts.clear()
    edit(built, *EDITS["a page's text"][1])
    assert reused_note(built.build())
    assert "site-head" in parts and "site" in parts


def test_the_kept_site_keeps_its_tags_and_categories(built, tmp_path, monkeypatch):
    """They are the site's as loaded: a build that takes it does not collect them again."""
    collected: list[int] = []
    real = docsite.tags.collect_tags

    def counted(pages: list) -> list:
        collected.append(1)
        return real(pages)

    monkeypatch.setattr(docsite.tags, "collect_tags", counted)
    edit(built, *EDITS["a page's text"][1])
    assert reused_note(built.build()) and not collected
    edit(built, "content/guide/more.md", "# More", "---\ntags: [start, more]\n---\n# More")
    assert not reused_note(built.build()) and collected
    edit(built, "content/guide/more.md", "More words.", "Most words.")
    assert reused_note(built.build())
    assert tree(built.out) == clean_build(built, tmp_path / "clean")
    tag_page = (built.out / "tags/start/index.html").read_text(encoding="utf-8")
    assert "More" in tag_page and "Setup" in tag_page


def test_a_page_added_or_removed_loads_the_site_whole(built, tmp_path):
    built.write({"content/guide/new.md": "# New\n\nNew words.\n"})
    assert not reused_note(built.build())
    assert tree(built.out) == clean_build(built, tmp_path / "added")
    (built.root / "content/guide/new.md").unlink()
    assert not reused_note(built.build())
    assert tree(built.out) == clean_build(built, tmp_path / "removed")


def test_the_warnings_of_the_kept_site_are_said_again(project):
    project.write({**SITE, "content/guide/more.md": "---\nunknown: 1\n---\n# More\n\nWords.\n"})
    first = project.build()
    assert any("unknown" in message for message in project.messages(first))
    edit(project, "content/guide/more.md", "Words.", "Other words.")
    again = project.build()
    assert reused_note(again)
    assert project.messages(again) == project.messages(first)


def test_a_body_edited_and_back_leaves_the_pages_as_read_in_the_cache_right(project, tmp_path):
    """The pages as read are kept in files of several pages each; a build that takes the
    kept site rewrites those of the pages it read again, with the other pages they hold,
    and keeps the other files unread."""
    beside = next(
        rel
        for rel in (f"guide/n{number}.md" for number in range(1000))
        if split_file_of(rel, PAGES_READ_FILES) == split_file_of("guide/setup.md", PAGES_READ_FILES)
    )
    built = project.write({**SITE, f"content/{beside}": "# Beside\n"})
    assert not reused_note(built.build())
    edit(built, "content/guide/setup.md", "Install it.", "Install it with pip.")
    assert reused_note(built.build())
    edit(built, "content/guide/setup.md", "Install it with pip.", "Install it.")
    # As the site was kept, but not as the last build read it: read again.
    assert reused_note(built.build()).startswith("loaded 1 of 8 pages again")
    cache = BuildCache(built.root, built.out.resolve())
    pages = cache.load_pages_read()
    written = [rel.removeprefix("content/") for rel in SITE if rel.endswith(".md")]
    assert sorted(pages) == sorted([*written, beside])
    setup = (built.root / "content/guide/setup.md").read_bytes()
    assert pages["guide/setup.md"].key[0] == content_digest(setup)
    assert pages["guide/setup.md"].page.body == "# Setup\n\nInstall it.\n"
    edit(built, "content/guide/use.md", "icon: rocket", "icon: gear")  # loads whole
    assert not reused_note(built.build())
    assert tree(built.out) == clean_build(built, tmp_path / "clean")


def test_a_site_kept_long_ago_is_kept_anew(built, tmp_path, monkeypatch):
    """Each page changed since the site was kept is read again by every build, until a
    build that read more than KEEP_AGAIN_AFTER keeps the site anew."""
    monkeypatch.setattr(docsite.build.lastsite, "KEEP_AGAIN_AFTER", 1)
    edit(built, "content/guide/setup.md", "Install it.", "Install it with pip.")
    edit(built, "content/guide/more.md", "More words.", "Most words.")
    assert reused_note(built.build()).startswith("loaded 2 of 7 pages again")  # kept anew
    edit(built, "content/index.md", "Welcome.", "Welcome back.")
    assert reused_note(built.build()).startswith("loaded 1 of 7 pages again")
    assert tree(built.out) == clean_build(built, tmp_path / "clean")


def test_a_large_site_is_kept_by_a_process_of_its_own(built, tmp_path, monkeypatch):
    """Pickling thousands of pages and their sidebar is done aside, while the build goes on
    (here for any size); the build puts the files it wrote in place."""
    monkeypatch.setattr(docsite.build.lastsite, "KEEP_ASIDE_PAGES", 1)
    pickled_in = tmp_path / "pickled-in"
    real = docsite.build.site.site_to_keep

    def noted(*args: object) -> object:
        pickled_in.write_text(str(os.getpid()))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(docsite.build.site, "site_to_keep", noted)
    edit(built, *EDITS["a label"][1])
    result = build_site(BuildOptions(root=built.root, out=built.out, jobs=2))
    assert not reused_note(result)
    assert int(pickled_in.read_text()) != os.getpid()  # kept, by another process
    edit(built, *EDITS["a page's text"][1])
    assert reused_note(built.build())
    assert tree(built.out) == clean_build(built, tmp_path / "clean")
    assert not list((built.root / ".docsite-cache").glob(".*.tmp-*"))


def test_without_the_cache_nothing_is_kept_or_taken(built, tmp_path):
    edit(built, "content/guide/setup.md", "Install it.", "Install it with pip.")
    result = build_site(BuildOptions(root=built.root, out=built.out, use_cache=False))
    assert not reused_note(result)
    assert tree(built.out) == clean_build(built, tmp_path / "clean")


def test_a_site_pickle_cannot_keep_is_loaded_whole(built, tmp_path, monkeypatch):
    """pickle recurses: a sidebar nested deeper than the recursion limit is not kept, and
    every build loads the site whole."""

    def too_deep(*args: object, **kwargs: object) -> bytes:
        raise RecursionError("maximum recursion depth exceeded")

    deep = SimpleNamespace(dumps=too_deep, HIGHEST_PROTOCOL=pickle.HIGHEST_PROTOCOL)
    monkeypatch.setattr(docsite.build.lastsite, "pickle", deep)
    (built.root / ".docsite-cache").rename(tmp_path / "old-cache")  # what the last build kept
    edit(built, "content/guide/setup.md", "order: 1", "order: 5")
    assert not reused_note(built.build())
    edit(built, "content/guide/setup.md", "Install it.", "Install it with pip.")
    assert not reused_note(built.build())
    assert tree(built.out) == clean_build(built, tmp_path / "clean")
