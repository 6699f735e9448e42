"""Watch mode's sidebar: the last tree with the changed pages' items put in place, rather
than a new tree. At 5,000 pages building the tree takes 60-90 ms of every preview, while a
label, order, icon or badge edit, or a page added, removed or renamed, moves a few items.

The patch applies when the folders are those of the last tree (the same objects, which
`reload_pages` keeps when no folder or folder page changed) and each changed page lies in a
folder the tree shows, whose items it does not empty or fill; else the tree is built again.
Either way the tree equals `build_nav`'s (tested)."""

from __future__ import annotations

from dataclasses import dataclass, field

from docsite.config import NavTagsConfig
from docsite.nav import (
    NavItem,
    NavTree,
    badge_href,
    badge_link,
    build_nav,
    first_url,
    icon_shown,
    nav_tags,
    nextprev_mode,
    page_item,
    walk_pages,
)
from docsite.pages import Page, SiteContent

PAGE_KEY = "page:"


@dataclass(frozen=True)
class NavParams:
    """The site's settings that shape the tree (see `build_nav`)."""

    nextprev: str = "show"
    mode: str = "default"
    icons: str = "all"
    tags: NavTagsConfig | None = None
    generated: tuple[str, str] | None = None


@dataclass
class NavMemo:
    """The last tree, the site it shows, and each folder's nextprev.mode as found so far.
    A patched tree takes the last tree's items: the last tree is not used again."""

    last: tuple[NavParams, SiteContent, NavTree] | None = None
    folder_modes: dict[str, str] = field(default_factory=dict)

    def build(self, site: SiteContent, params: NavParams) -> NavTree:
        """The tree of `site`: the last one patched when that is enough, else a new one."""
        tree = None
        last = self.last
        if last is not None and last[0] == params and last[1].folders is site.folders:
            tree = _patched(last[2], last[1], site, params, self.folder_modes)
        if tree is None:
            self.folder_modes = {}
            tree = build_nav(site, *_fields(params))
        self.last = (params, site, tree)
        return tree


def _fields(params: NavParams) -> tuple:
    return params.nextprev, params.mode, params.icons, params.tags, params.generated


@dataclass(frozen=True)
class _Move:
    """A changed page: its item in the last tree (if it had one), and the page now."""

    rel: str
    old: NavItem | None
    new: Page | None


def _patched(
    tree: NavTree,
    before: SiteContent,
    site: SiteContent,
    params: NavParams,
    folder_modes: dict[str, str],
) -> NavTree | None:
    """The last tree with the changed pages' items replaced; None when only a new tree
    tells (nothing is changed then)."""
    rels = {rel for rel, page in site.by_source.items() if before.by_source.get(rel) is not page}
    rels |= before.by_source.keys() - site.by_source.keys()
    if not rels:
        return tree
    moves = _moves(tree, before, site, rels)
    if moves is None:
        return None
    by_page, modes = dict(tree.by_page), dict(tree.modes)
    touched: dict[int, NavItem] = {}  # the folders whose items changed, by identity
    for move in moves:
        if move.old is not None:
            parent = move.old.parent
            assert parent is not None
            parent.children = [child for child in parent.children if child is not move.old]
            touched[id(parent)] = parent
            del by_page[move.rel], modes[move.rel]
        if move.new is not None and move.new.in_nav:
            item = _new_item(move.new, tree, site, params)
            by_page[move.rel], parent = item, item.parent
            assert parent is not None
            parent.children.append(item)
            touched[id(parent)] = parent
            modes[move.rel] = nextprev_mode(move.new, site, params.nextprev, folder_modes)
    for parent in touched.values():
        parent.children.sort(key=_tie_key)
        _refresh_urls(parent)
    if any(_url_moved(move, before) for move in moves):
        _refresh_badges(by_page, site)
    order: list[NavItem] = []
    walk_pages(tree.root, order)
    order = [i for i in order if i.page is None or modes[i.page.source.rel] != "exclude"]
    pagerless = frozenset(rel for rel, mode in modes.items() if mode != "show")
    listed = nav_tags(site, params.tags) if params.tags is not None and params.tags.enabled else ()
    return NavTree(tree.root, by_page, tree.by_folder, order, pagerless, listed, modes)


def _moves(
    tree: NavTree, before: SiteContent, site: SiteContent, rels: set[str]
) -> list[_Move] | None:
    """The changed pages, each with its item in the last tree; None when a change reaches
    past their items: a folder's page, nav.mode `stack`, a folder the tree does not show,
    or a folder whose items come to or from none."""
    moves: list[_Move] = []
    counts: dict[str, int] = {}
    for rel in sorted(rels):
        old, new = before.by_source.get(rel), site.by_source.get(rel)
        for page in (old, new):
            if page is None:
                continue
            if page.is_index or page.settings.nav_mode == "stack":
                return None
            if page.in_nav and not _shown(tree.by_folder.get(page.folder), tree.root):
                return None
        old_item = tree.by_page.get(rel) if old is not None and old.in_nav else None
        if old_item is not None:
            counts[old.folder] = counts.get(old.folder, 0) - 1
        if new is not None and new.in_nav:
            counts[new.folder] = counts.get(new.folder, 0) + 1
        moves.append(_Move(rel, old_item, new))
    for folder, change in counts.items():
        count = len(tree.by_folder[folder].children)
        if folder and (count == 0) != (count + change == 0):
            return None  # the folder comes or goes, or turns into a link
    return moves


def _shown(folder: NavItem | None, root: NavItem) -> bool:
    """Whether a folder's item is in the tree (it may be made, with a hidden parent)."""
    while folder is not None and folder is not root:
        folder = folder.parent
    return folder is root


def _new_item(page: Page, tree: NavTree, site: SiteContent, params: NavParams) -> NavItem:
    item = page_item(page)
    item.badge_href = badge_href(badge_link(page.settings), page.source.rel, site)
    item.parent = tree.by_folder[page.folder]
    if not icon_shown(item, tree.root, params.icons):
        item.icon = ""
    return item


def _tie_key(item: NavItem) -> tuple:
    """`build_nav`'s order: its sort key, then, as its stable sort leaves them, pages of
    equal keys in the order they were found (by file name); folders as they were."""
    rel = item.key[len(PAGE_KEY) :] if item.key.startswith(PAGE_KEY) else ""
    return item.sort_key, rel


def _refresh_urls(folder: NavItem) -> None:
    """A folder without a page links to its first page: that of it and of its parents."""
    node: NavItem | None = folder
    while node is not None and node.parent is not None:
        if node.page is None:
            node.url = first_url(node)
        node = node.parent


def _url_moved(move: _Move, before: SiteContent) -> bool:
    old = before.by_source.get(move.rel)
    return old is None or move.new is None or old.url != move.new.url


def _refresh_badges(by_page: dict[str, NavItem], site: SiteContent) -> None:
    """Badges that link to a page's file lead to its URL, which changed for some page."""
    for rel, item in by_page.items():
        if item.badge is not None and item.badge.link:
            item.badge_href = badge_href(item.badge.link, rel, site)
