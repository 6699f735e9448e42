"""Watch mode's sidebar: the last tree patched with the changed pages equals a new tree,
edit after edit, and is built anew when a change reaches past the pages' items."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import write_files

from docsite.config import NavTagsConfig
from docsite.diagnostics import Report
from docsite.nav import NavItem, NavTree, build_nav
from docsite.navpatch import NavMemo, NavParams
from docsite.pages import LoadedPages, SettingsMemo, SiteContent, load_site, reload_pages
from docsite.sources import discover

SITE = {
    "index.md": "# Home\n",
    "guide/index.md": "---\nnav:\n  badge:\n    text: Go\n    link: setup.md\n---\n# Guide\n",
    "guide/setup.md": "---\norder: 2\n---\n# Setup\n",
    "guide/more.md": "# More\n",
    "guide/same-a.md": "# Same\n",  # a tie: equal order and label
    "guide/same-b.md": "# Same\n",
    "guide/v1.md": "---\norder: v1.2\n---\n# Version\n",
    "guide/deep/index.md": "# Deep\n",
    "guide/deep/one.md": "---\nnav:\n  badge:\n    text: See\n    link: ../setup.md\n---\n# One\n",
    "notes/first.md": "---\norder: -1\n---\n# First note\n",  # a folder without a page
    "notes/second.md": "# Second note\n",
    "notes/inner/third.md": "# Third\n",
    "lonely/index.md": "# Lonely\n",
    "lonely/only.md": "# Only child\n",
    "vault/index.yml": "visibility: hidden\n",
    "vault/sub/page.md": "# Under a hidden folder\n",
    "blog/first.md": "---\ndate: 2026-01-01\n---\n# Post\n",
}

# Each edit: the files written (None: removed), and whether the last tree is patched.
EDITS: list[tuple[str, dict[str, str | None], bool]] = [
    ("label", {"guide/more.md": "---\nlabel: Much more\n---\n# More\n"}, True),
    ("tags", {"guide/more.md": "---\ntags: [fresh]\n---\n# More\n"}, True),
    ("order into a tie", {"guide/more.md": "# Same\n"}, True),
    ("order to the top", {"guide/same-a.md": "---\norder: 100\n---\n# Same\n"}, True),
    ("icon", {"guide/setup.md": "---\norder: 2\nicon: rocket\n---\n# Setup\n"}, True),
    ("badge", {"notes/second.md": "---\nnav:\n  badge: NEW|info\n---\n# Second\n"}, True),
    ("title", {"notes/inner/third.md": "# Third, retitled\n"}, True),
    ("added", {"guide/added.md": "# Added\n"}, True),
    ("renamed", {"guide/added.md": None, "guide/renamed.md": "# Added\n"}, True),
    ("removed", {"guide/renamed.md": None}, True),
    ("nextprev exclude", {"guide/v1.md": "---\nnextprev:\n  mode: exclude\n---\n# V\n"}, True),
    ("hidden", {"notes/first.md": "---\nvisibility: hidden\n---\n# First note\n"}, True),
    ("shown again", {"notes/first.md": "---\norder: -1\n---\n# First note\n"}, True),
    # The page a badge links to moves: the badge follows it.
    ("permalink", {"guide/setup.md": "---\npermalink: /install\n---\n# Setup\n"}, True),
    ("first page of a folder", {"notes/first.md": "---\norder: 50\n---\n# First\n"}, True),
    ("under a hidden folder", {"vault/sub/page.md": "# Still hidden\n"}, True),  # no item
    # Past the items: a new tree.
    ("folder emptied", {"lonely/only.md": "---\nvisibility: hidden\n---\n# Only\n"}, False),
    ("stack", {"guide/more.md": "---\nnav:\n  mode: stack\n---\n# More\n"}, False),
    ("folder page", {"guide/index.md": "# Guide again\n"}, False),
    ("last page of a folder", {"notes/inner/third.md": None}, False),
    ("after a new tree", {"guide/same-b.md": "---\nlabel: Other\n---\n# Same\n"}, True),
]


def described(tree: NavTree) -> tuple:
    """Everything a tree says, pages by their files (a patched tree holds other objects)."""
    items = []
    pending = [(tree.root, 0)]
    while pending:
        item, depth = pending.pop()
        items.append((depth, _described(item)))
        pending.extend((child, depth + 1) for child in reversed(item.children))
    return (
        items,
        {rel: item.key for rel, item in tree.by_page.items()},
        sorted(tree.by_folder),
        [item.key for item in tree.reading_order],
        tree.pagerless,
        tree.tags,
        tree.modes,
    )


def _described(item: NavItem) -> tuple:
    page = item.page.source.rel if item.page is not None else None
    parent = item.parent.key if item.parent is not None else None
    fields = (item.label, item.url, item.icon, item.badge, item.is_folder, item.expanded)
    return (item.key, *fields, item.sort_key, page, item.target, item.badge_href, parent)


class Session:
    """Watch mode's pages: the last site read, changed files read again into it."""

    def __init__(self, root: Path):
        self.root = root
        self.found = discover(root, "content", Report())
        self.loaded, self.memo = LoadedPages(), SettingsMemo()
        self.site = load_site(self.found, Report(), self.memo, loaded=self.loaded)

    def edit(self, files: dict[str, str | None]) -> SiteContent:
        for rel, text in files.items():
            if text is None:
                (self.root / rel).unlink()
            else:
                write_files(self.root, {rel: text})
        self.loaded.forget(set(files))
        now = discover(self.root, "content", Report())
        style = self.site.pages[0].style
        args = (Report(), self.memo, style, self.loaded)
        site = reload_pages(self.site, self.found, now, set(files), *args)
        if site is None:
            site = load_site(now, Report(), self.memo, style, self.loaded)
        self.site, self.found = site, now
        return site

    def whole(self) -> SiteContent:
        return load_site(discover(self.root, "content", Report()), Report(), SettingsMemo())


PARAMS: list[Callable[[], NavParams]] = [
    lambda: NavParams(),
    lambda: NavParams("hide", "default", "top", NavTagsConfig(enabled=True), ("Blog", "blog/")),
    lambda: NavParams("show", "default", "pages"),
]


@pytest.mark.parametrize("params", PARAMS, ids=["defaults", "top icons, tags, blog", "pages"])
def test_a_patched_tree_equals_a_new_one_edit_after_edit(tmp_path, params):
    write_files(tmp_path, SITE)
    session = Session(tmp_path)
    memo, settings = NavMemo(), params()
    fields = (settings.nextprev, settings.mode, settings.icons, settings.tags, settings.generated)
    memo.build(session.site, settings)
    for name, files, patched in EDITS:
        last = memo.last
        assert last is not None
        site = session.edit(files)
        tree = memo.build(site, settings)
        assert described(tree) == described(build_nav(session.whole(), *fields)), name
        assert (tree.root is last[2].root) is patched, name


def test_a_tree_is_built_anew_for_other_settings(tmp_path):
    write_files(tmp_path, SITE)
    session = Session(tmp_path)
    memo = NavMemo()
    first = memo.build(session.site, NavParams())
    site = session.edit({"guide/more.md": "# Other\n"})
    tree = memo.build(site, NavParams(icons="none"))
    assert tree.root is not first.root
    assert described(tree) == described(build_nav(session.whole(), icons="none"))
