"""The sidebar tree: Retype's ordering rules, reading order, breadcrumbs."""

from __future__ import annotations

import fnmatch
import posixpath
import re
import weakref
from dataclasses import dataclass, field
from typing import Literal

from docsite.config import NavTagsConfig
from docsite.frontmatter import Badge, PageSettings
from docsite.icons import site_icon
from docsite.pages import Folder, Page, SiteContent, humanize
from docsite.tags import collect_tags

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
    """An entry of the sidebar: a page, or a folder with its children."""

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
    badge_href: str | None = None  # where its badge leads: site-relative, or a whole URL
    stacked: bool = False  # a top-level folder always open, its label a heading (nav.mode)
    # Not in repr or ==, which would recurse once per level of a deep folder tree.
    children: list[NavItem] = field(default_factory=list, repr=False, compare=False)
    # Weak: a tree whose items held their parents would be freed only by the cycle collector,
    # with the site its items show (watch mode lets a tree go on every structural change).
    # The tree's `by_folder` holds every parent.
    _parent: weakref.ref[NavItem] | None = field(default=None, repr=False, compare=False)

    @property
    def parent(self) -> NavItem | None:
        return self._parent() if self._parent is not None else None

    @parent.setter
    def parent(self, item: NavItem | None) -> None:
        self._parent = weakref.ref(item) if item is not None else None

    def __getstate__(self) -> dict:
        """Pickled without its parent, a weak reference pickle cannot keep: the tree it is
        pickled with puts it back (`NavTree.__setstate__`)."""
        return {**self.__dict__, "_parent": None}

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
    """The sidebar, with each page's entry and the reading order for Previous and Next."""

    root: NavItem
    by_page: dict[str, NavItem]  # by page source rel
    by_folder: dict[str, NavItem]  # by folder rel
    reading_order: list[NavItem]  # items with a page, depth first
    pagerless: frozenset[str] = frozenset()  # pages without Previous/Next (nextprev.mode)
    tags: tuple[NavTag, ...] = ()  # the sidebar's tag list (nav.tags), in its order
    modes: dict[str, str] = field(default_factory=dict)  # each item's page's nextprev.mode

    def item_for(self, page: Page) -> NavItem | None:
        return self.by_page.get(page.source.rel)

    def folder_item(self, folder_rel: str) -> NavItem | None:
        """The nearest folder item at or above folder_rel that is in the sidebar."""
        while True:
            item = self.by_folder.get(folder_rel)
            if item is not None or not folder_rel:
                return item
            folder_rel = posixpath.dirname(folder_rel)

    def position(self, page: Page) -> int | None:
        """Where the page is in the reading order, if it is."""
        item = self.item_for(page)
        return self._position.get(item.key) if item is not None and item.page is page else None

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

    def __setstate__(self, state: dict) -> None:
        """Unpickled (the build cache keeps the last tree): each item's parent put back."""
        self.__dict__.update(state)
        pending = [self.root]
        while pending:
            item = pending.pop()
            for child in item.children:
                child.parent = item
            pending.extend(item.children)


@dataclass(frozen=True)
class NavTag:
    """A tag of the sidebar's tag list: its name, tag page and number of pages."""

    name: str
    url: str
    count: int


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


def nextprev_mode(
    page: Page, site: SiteContent, default: str, folders: dict[str, str] | None = None
) -> str:
    """Retype's nextprev.mode of a page: its own, else its nearest folder's, else the site's.
    `folders`: each folder's mode as worked out so far (for every page of a site at once)."""
    if page.settings.nextprev:
        return page.settings.nextprev
    folders = folders if folders is not None else {}
    folder = posixpath.dirname(page.source.rel)
    path = []
    while folder not in folders:
        path.append(folder)
        settings = site.folders[folder].settings if folder in site.folders else None
        if settings is not None and settings.nextprev:
            folders[folder] = settings.nextprev
            break
        if not folder:
            folders[folder] = default
            break
        folder = posixpath.dirname(folder)
    mode = folders[folder]
    for rel in path:
        folders[rel] = mode
    return mode


def build_nav(
    site: SiteContent,
    nextprev: str = "show",
    mode: str = "default",
    icons: str = "all",
    tags: NavTagsConfig | None = None,
    generated: tuple[str, str] | None = None,
) -> NavTree:
    """The sidebar tree; `nextprev`: the site's nextprev.mode (a page whose mode is
    "exclude" is left out of the reading order, the Previous/Next chain); `mode`, `icons`
    and `tags`: the site's nav.mode, nav.icons.mode and nav.tags; `generated`: the label and
    URL of a generated page the top level links to (a blog without a page)."""
    root = NavItem(ROOT_KEY, "", "", "", None, True, True, ())
    by_page: dict[str, NavItem] = {}
    by_folder: dict[str, NavItem] = {"": root}
    children_of: dict[str, list[NavItem]] = {}

    for page in site.pages:
        if page.is_index and page.folder:
            continue  # it stands for its folder
        if not page.in_nav:
            continue
        item = page_item(page)
        item.badge_href = badge_href(badge_link(page.settings), page.source.rel, site)
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
            origin = folder.index.source.rel
            item.badge_href = badge_href(badge_link(folder.settings), origin, site)
            by_page[folder.index.source.rel] = item
        by_folder[rel] = item
        children_of.setdefault(posixpath.dirname(rel), []).append(item)

    if generated is not None:
        children_of.setdefault("", []).append(_generated_item(*generated))
    for rel, item in by_folder.items():
        item.children = sorted(children_of.get(rel, []), key=lambda i: i.sort_key)
        for child in item.children:
            child.parent = item
        if rel and item.page is not None and not item.children:
            item.is_folder = False  # nothing to open: a link, as the blog's folder is
    for item in by_folder.values():
        if item.url is None:
            item.url = first_url(item)
    reading_order: list[NavItem] = []
    walk_pages(root, reading_order)
    # Pages under a folder that left the sidebar are published, but not in the tree.
    shown = {item.key for item in reading_order}
    folder_modes: dict[str, str] = {}
    modes = {
        rel: item.page.settings.nextprev
        or folder_modes.get(item.page.folder)
        or nextprev_mode(item.page, site, nextprev, folder_modes)
        for rel, item in by_page.items()
        if item.page
    }
    reading_order = [
        i for i in reading_order if i.page is None or modes[i.page.source.rel] != "exclude"
    ]
    pagerless = frozenset(rel for rel, value in modes.items() if value != "show")
    by_page = {rel: item for rel, item in by_page.items() if item.key in shown}
    _stack(root, site, mode)
    _show_icons(root, icons)
    listed = nav_tags(site, tags) if tags is not None and tags.enabled else ()
    return NavTree(root, by_page, by_folder, reading_order, pagerless, listed, modes)


def _stack(root: NavItem, site: SiteContent, mode: str) -> None:
    """Retype's nav.mode `stack`: top-level folders always open, as headings; the site's
    setting for all of them, a page's `nav.mode: stack` for the top-level folder it is in."""
    stacked = {
        page.source.rel.split("/", 1)[0] for page in site.pages if page.settings.nav_mode == "stack"
    }
    for item in root.children:
        if item.is_folder and (mode == "stack" or item.key[len(ROOT_KEY) :] in stacked):
            item.stacked = True


def _show_icons(root: NavItem, mode: str) -> None:
    """Retype's nav.icons.mode: all, none, folders, pages, or top (top-level items only)."""
    if mode == "all":
        return
    pending = list(root.children)
    while pending:
        item = pending.pop()
        if not icon_shown(item, root, mode):
            item.icon = ""
        pending.extend(item.children)


def icon_shown(item: NavItem, root: NavItem, mode: str) -> bool:
    """Whether nav.icons.mode shows the icon of an item of the tree under `root`."""
    return {
        "all": True,
        "none": False,
        "folders": item.is_folder,
        "pages": not item.is_folder,
        "top": item.parent is root,
    }[mode]


def nav_tags(site: SiteContent, config: NavTagsConfig) -> tuple[NavTag, ...]:
    """The tags the sidebar lists: of public pages, filtered by `include` (else `exclude`)
    patterns, sorted by `order`, at most `limit`."""
    found = [tag for tag in collect_tags(site.pages) if tag.pages]

    def wanted(name: str) -> bool:
        name = name.casefold()
        if config.include:
            return any(fnmatch.fnmatchcase(name, p) for p in config.include)
        return not any(fnmatch.fnmatchcase(name, p) for p in config.exclude)

    found = [tag for tag in found if wanted(tag.name)]
    if config.order == "desc":
        found.reverse()
    elif config.order in ("count", "count-asc"):
        sign = -1 if config.order == "count" else 1
        found.sort(key=lambda tag: sign * len(tag.pages))  # stable: A-Z among equals
    if config.limit:
        found = found[: config.limit]
    return tuple(NavTag(tag.name, tag.url, len(tag.pages)) for tag in found)


def badge_link(settings: PageSettings) -> str:
    return settings.badge.link if settings.badge is not None else ""


def badge_href(link: str, origin: str, site: SiteContent) -> str | None:
    """A `nav.badge.link` as the sidebar links it: a page's file (`guide.md`, from the
    page's folder, or `/guide.md` from the root) gives that page's URL; a path or an
    address is kept. The link check of page bodies does not see it: a missing page keeps
    the link as written."""
    if not link:
        return None
    if ":" in link.split("/", 1)[0]:  # https://, mailto:
        return link
    path, hash_mark, fragment = link.partition("#")
    if path.lower().endswith(".md"):
        rel = (
            path.lstrip("/")
            if path.startswith("/")
            else posixpath.join(posixpath.dirname(origin), path)
        )
        target = site.by_source.get(posixpath.normpath(rel))
        if target is not None:
            return target.url + hash_mark + fragment
    return link.lstrip("/")


def _generated_item(label: str, url: str) -> NavItem:
    """A top-level link to a generated page (a blog without a page of its own), sorted as
    the folder it stands for."""
    sort_key = order_key(None, label, True)
    return NavItem(f"generated:{url}", label, url, "", None, False, False, sort_key)


def _folder_visible(folder: Folder) -> bool:
    return folder.settings.visibility in ("public", "protected")


def page_item(page: Page) -> NavItem:
    s = page.settings
    return NavItem(
        key=f"page:{page.source.rel}",
        label=page.label,
        url=page.url,
        icon=site_icon(s.icon, page.folder) if s.icon else "",
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


def first_url(item: NavItem) -> str | None:
    """The first URL below item, depth first; a stack, as folders may nest past the
    recursion limit."""
    pending = item.children[::-1]
    while pending:
        child = pending.pop()
        if child.url is not None:
            return child.url
        pending.extend(reversed(child.children))
    return None


def walk_pages(item: NavItem, out: list[NavItem]) -> None:
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
    item: NavItem | None  # for "close", the folder it closes
    rel: str = ""  # the folder's path, for "open" and "folder"


@dataclass(frozen=True)
class _Close:
    """Marks where a folder's children end, in a walk of the tree without recursion."""

    folder: NavItem


def sidebar_steps(items: list[NavItem], open_folders: frozenset[str]) -> list[SidebarStep]:
    """The visible sidebar, depth first: open folders (those in open_folders or
    `expanded`) show their children between an "open" and a "close" step."""
    steps: list[SidebarStep] = []
    # Reversed, so pop() gives the next item; a _Close closes the folder opened before it.
    pending: list[NavItem | _Close] = items[::-1]
    while pending:
        item = pending.pop()
        if isinstance(item, _Close):
            steps.append(SidebarStep("close", item.folder))
        elif not item.is_folder:
            steps.append(SidebarStep("page", item))
        else:
            rel = item.key[len(ROOT_KEY) :]
            if rel in open_folders or item.expanded or item.stacked:
                steps.append(SidebarStep("open", item, rel))
                pending.append(_Close(item))
                pending.extend(reversed(item.children))
            else:
                steps.append(SidebarStep("folder", item, rel))
    return steps
