"""The sidebar tree: Retype's ordering rules, reading order, breadcrumbs."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Literal

from docsite.frontmatter import Badge, PageSettings
from docsite.icons import site_icon
from docsite.pages import Folder, Page, SiteContent, humanize

# v2, v2.1.0, v2.1-beta (semver's pre-release), v2.1+build (build metadata is not ordered).
_VERSION_ORDER = re.compile(
    r"^v(\d+(?:\.\d+){0,7})(?:-([0-9a-z-]+(?:\.[0-9a-z-]+)*))?(?:\+[0-9a-z.-]+)?$",
    re.IGNORECASE,
)
_VERSION_PARTS = 8

# Order groups, in sidebar order.
POSITIVE, ALPHABETICAL, VERSION, NEGATIVE = range(4)


@dataclass
class NavItem:
    key: str  # unique: "page:<rel>" or "folder:<rel>"
    label: str
    url: str | None  # site-relative; a folder without a page links to its first page
    icon: str
    badge: Badge | None
    is_folder: bool
    expanded: bool
    sort_key: tuple
    page: Page | None = None
    target: str = ""  # where the link opens (a page's `target`)
    # Not in repr or ==, which would recurse once per level of a deep folder tree.
    children: list[NavItem] = field(default_factory=list, repr=False, compare=False)
    parent: NavItem | None = field(default=None, repr=False, compare=False)

    def ancestors(self) -> list[NavItem]:
        """From the top level down to this item's parent."""
        chain = []
        node = self.parent
        while node is not None and node.key != ROOT_KEY:
            chain.append(node)
            node = node.parent
        return chain[::-1]


ROOT_KEY = "folder:"


@dataclass
class NavTree:
    root: NavItem
    by_page: dict[str, NavItem]  # by page source rel
    by_folder: dict[str, NavItem]  # by folder rel
    reading_order: list[NavItem]  # items with a page, depth first
    pagerless: frozenset[str] = frozenset()  # pages without Previous/Next (nextprev.mode)

    def item_for(self, page: Page) -> NavItem | None:
        return self.by_page.get(page.source.rel)

    def folder_item(self, folder_rel: str) -> NavItem | None:
        """The nearest folder item at or above folder_rel that is in the sidebar."""
        while True:
            item = self.by_folder.get(folder_rel)
            if item is not None or not folder_rel:
                return item
            folder_rel = posixpath.dirname(folder_rel)

    def neighbours(self, page: Page) -> tuple[NavItem | None, NavItem | None]:
        item = self.item_for(page)
        if item is None:
            return None, None
        index = self._position.get(item.key)
        if index is None:
            return None, None
        before = self.reading_order[index - 1] if index > 0 else None
        after = self.reading_order[index + 1] if index + 1 < len(self.reading_order) else None
        return before, after

    def __post_init__(self) -> None:
        self._position = {item.key: i for i, item in enumerate(self.reading_order)}


def order_key(order: int | float | str | None, label: str, is_folder: bool) -> tuple:
    """Retype's rules: positive numbers (largest first); strings and unordered, A-Z;
    v-versions (newest first); negative numbers (-1 before -10). Within a group a folder
    goes before a page of the same order (and before every page in the A-Z group);
    remaining ties go alphabetically by label."""
    tie = (label.casefold(), label)
    pin = 0 if is_folder else 1
    if isinstance(order, str):
        text = order.strip()
        version = _VERSION_ORDER.match(text)
        if version:
            numbers = [int(p) for p in version.group(1).split(".")]
            # v1 == v1.0.0, and v1.1 comes before (is newer than) v1.
            parts = tuple(-n for n in numbers + [0] * (_VERSION_PARTS - len(numbers)))
            return (VERSION, parts, _prerelease_key(version.group(2)), pin, *tie)
        try:
            order = float(text)
        except ValueError:
            return (ALPHABETICAL, pin, text.casefold(), *tie)
    if order is None or order == 0:
        return (ALPHABETICAL, pin, label.casefold(), *tie)
    if order > 0:
        return (POSITIVE, -order, pin, *tie)
    return (NEGATIVE, -order, pin, *tie)


def _prerelease_key(prerelease: str | None) -> tuple:
    """Newest first, by semver's rules: v2.1 before v2.1-beta before v2.1-alpha; numeric
    parts compare as numbers and go after words; a longer list of parts is newer."""
    if not prerelease:
        return (0,)
    parts: list[tuple] = []
    for part in prerelease.split("."):
        if part.isdigit():
            parts.append((1, -int(part), ()))
        else:  # descending text: negated code points, then a mark above them all
            parts.append((0, 0, (*(-ord(c) for c in part.casefold()), 1)))
    return (1, *parts, (2, 0, ()))


def nextprev_mode(page: Page, site: SiteContent, default: str) -> str:
    """Retype's nextprev.mode of a page: its own, else its nearest folder's, else the site's."""
    if page.settings.nextprev:
        return page.settings.nextprev
    folder = posixpath.dirname(page.source.rel)
    while True:
        settings = site.folders[folder].settings if folder in site.folders else None
        if settings is not None and settings.nextprev:
            return settings.nextprev
        if not folder:
            return default
        folder = posixpath.dirname(folder)


def build_nav(site: SiteContent, nextprev: str = "show") -> NavTree:
    """The sidebar tree; `nextprev`: the site's nextprev.mode (a page whose mode is
    "exclude" is left out of the reading order, the Previous/Next chain)."""
    root = NavItem(ROOT_KEY, "", "", "", None, True, True, ())
    by_page: dict[str, NavItem] = {}
    by_folder: dict[str, NavItem] = {"": root}
    children_of: dict[str, list[NavItem]] = {}

    for page in site.pages:
        if page.is_index and page.folder:
            continue  # it stands for its folder
        if not page.in_nav:
            continue
        item = _page_item(page)
        by_page[page.source.rel] = item
        children_of.setdefault(page.folder, []).append(item)

    # Deepest folders first, so a folder knows whether it has anything to show.
    for rel in sorted(site.folders, key=lambda r: -r.count("/") if r else 1):
        if not rel:
            continue
        folder = site.folders[rel]
        children = children_of.get(rel, [])
        if not _folder_visible(folder) or (not children and folder.index is None):
            continue
        if folder.index is not None and not folder.index.in_nav:
            continue
        item = _folder_item(folder)
        if folder.index is not None:
            item.page = folder.index
            by_page[folder.index.source.rel] = item
        by_folder[rel] = item
        children_of.setdefault(posixpath.dirname(rel), []).append(item)

    for rel, item in by_folder.items():
        item.children = sorted(children_of.get(rel, []), key=lambda i: i.sort_key)
        for child in item.children:
            child.parent = item
    for item in by_folder.values():
        if item.url is None:
            item.url = _first_url(item)
    reading_order: list[NavItem] = []
    _walk(root, reading_order)
    # Pages under a folder that left the sidebar are published, but not in the tree.
    shown = {item.key for item in reading_order}
    modes = {
        rel: nextprev_mode(item.page, site, nextprev) for rel, item in by_page.items() if item.page
    }
    reading_order = [
        i for i in reading_order if i.page is None or modes[i.page.source.rel] != "exclude"
    ]
    pagerless = frozenset(rel for rel, mode in modes.items() if mode != "show")
    by_page = {rel: item for rel, item in by_page.items() if item.key in shown}
    return NavTree(root, by_page, by_folder, reading_order, pagerless)


def _folder_visible(folder: Folder) -> bool:
    return folder.settings.visibility in ("public", "protected")


def _page_item(page: Page) -> NavItem:
    s = page.settings
    return NavItem(
        key=f"page:{page.source.rel}",
        label=page.label,
        url=page.url,
        icon=site_icon(s.icon, posixpath.dirname(page.source.rel)),
        badge=s.badge,
        is_folder=False,
        expanded=False,
        sort_key=order_key(s.order, page.label, False),
        page=page,
        target=s.target,
    )


def _folder_item(folder: Folder) -> NavItem:
    s: PageSettings = folder.settings
    label = (
        (folder.index.label if folder.index else "")
        or s.label
        or humanize(posixpath.basename(folder.rel))
    )
    return NavItem(
        key=f"folder:{folder.rel}",
        label=label,
        url=folder.index.url if folder.index else None,
        icon=site_icon(s.icon, folder.rel),
        badge=s.badge,
        is_folder=True,
        expanded=s.expanded,
        sort_key=order_key(s.order, label, True),
    )


def _first_url(item: NavItem) -> str | None:
    """The first URL below item, depth first; a stack, as folders may nest past the
    recursion limit."""
    pending = item.children[::-1]
    while pending:
        child = pending.pop()
        if child.url is not None:
            return child.url
        pending.extend(reversed(child.children))
    return None


def _walk(item: NavItem, out: list[NavItem]) -> None:
    """The items with a page below item, depth first (a stack: no recursion limit)."""
    pending = item.children[::-1]
    while pending:
        child = pending.pop()
        if child.page is not None:
            out.append(child)
        pending.extend(reversed(child.children))


@dataclass(frozen=True)
class SidebarStep:
    """One step of the sidebar as a flat list, so a template can draw nested lists
    with a loop: a macro calling itself per open folder stops at the recursion limit."""

    kind: Literal["open", "close", "folder", "page"]  # "open": an open folder, its list follows
    item: NavItem | None  # None for "close"
    rel: str = ""  # the folder's path, for "open" and "folder"


def sidebar_steps(items: list[NavItem], open_folders: frozenset[str]) -> list[SidebarStep]:
    """The visible sidebar, depth first: open folders (those in open_folders or
    `expanded`) show their children between an "open" and a "close" step."""
    steps: list[SidebarStep] = []
    # Reversed, so pop() gives the next item; None closes the folder opened before it.
    pending: list[NavItem | None] = items[::-1]
    while pending:
        item = pending.pop()
        if item is None:
            steps.append(SidebarStep("close", None))
        elif not item.is_folder:
            steps.append(SidebarStep("page", item))
        else:
            rel = item.key[len(ROOT_KEY) :]
            if rel in open_folders or item.expanded:
                steps.append(SidebarStep("open", item, rel))
                pending.append(None)
                pending.extend(reversed(item.children))
            else:
                steps.append(SidebarStep("folder", item, rel))
    return steps
