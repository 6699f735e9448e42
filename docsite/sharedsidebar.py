"""A sidebar too long to repeat on every page: written once, as a script its pages load.

Every page lists its folder's pages in its sidebar, so a folder of n pages repeats n links
on each of its n pages: 3,000 pages in one folder make a gigabyte of sidebars. A sidebar of
more than SHARED_ITEMS items is written once instead, as `assets/sidebar/<hash>.js`, which
each of its pages loads where its sidebar goes. The script inserts the sidebar in place,
before the rest of the page is parsed (and painted), and marks the page's own link as the
inline sidebar does: readers see the same sidebar, fetched once for all the folder's pages.
Without JavaScript, a page shows the sidebar's top level instead (`<noscript>`), when that
is short enough."""

from __future__ import annotations

import json
import posixpath

from markupsafe import escape

from docsite.cache import content_digest
from docsite.nav import ROOT_KEY, NavItem, NavTree

# Past this many items (pages and folders), a sidebar is written once for its pages. Below
# it, a folder of n pages repeats at most n * SHARED_ITEMS links: 500 pages of 500 links,
# about 30 MB of HTML in all, which compression makes small to send.
SHARED_ITEMS = 500
SCRIPTS_FOLDER = "assets/sidebar"

# Inserts the sidebar before the script's own tag, with the page's link marked as
# `Theme.sidebar` marks it (the first `<a href="..." class="nav-link"` to the page, its URL
# escaped as markupsafe escapes it), then the page's root path put in: the same HTML as the
# sidebar written in the page.
_SCRIPT = """/* The sidebar of {pages}: docsite writes it once, for the pages that show it. */
(function (script, html, mark) {{
  var current = script.getAttribute("data-current");
  if (current !== null) {{
    var escaped = current.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&#34;").replace(/'/g, "&#39;");
    var link = html.indexOf('<a href="' + mark + escaped + '" class="nav-link"');
    if (link >= 0) {{
      html = html.slice(0, link + 2) + ' aria-current="page"' + html.slice(link + 2);
    }}
  }}
  script.insertAdjacentHTML("beforebegin", html.split(mark).join(script.getAttribute("data-root")));
}})(document.currentScript, {html}, {mark});
"""


class SidebarSizes:
    """How many items (pages and folders) the sidebar of each folder's pages lists, counted
    from the tree without rendering it: the top level, the children of the folder and of
    each folder above it, and those of every folder open everywhere (`expanded`, `stacked`),
    as `nav.sidebar_steps` walks them."""

    def __init__(self, nav: NavTree):
        self.nav = nav
        self._closed: dict[str, int] = {}  # an item's count where no folder is opened for it
        self._sizes: dict[str, int] = {}

    def size(self, folder_rel: str) -> int:
        found = self._sizes.get(folder_rel)
        if found is None:
            # Up to the nearest folder counted, then down again, without recursion: folders
            # may nest deeper than Python's recursion limit.
            chain = [folder_rel]
            while chain[-1] and (parent := posixpath.dirname(chain[-1])) not in self._sizes:
                chain.append(parent)
            for rel in reversed(chain):
                self._sizes[rel] = self._size_below(rel)
            found = self._sizes[folder_rel]
        return found

    def _size_below(self, folder_rel: str) -> int:
        """A folder's count, once its parent's is known."""
        if not folder_rel:
            return sum(self._closed_size(item) for item in self.nav.root.children)
        found = self._sizes[posixpath.dirname(folder_rel)]
        item = self.nav.by_folder.get(folder_rel)
        if item is not None and self._listed(item):
            # Opened for its pages: its children listed, whether or not it was open above.
            opened = 1 + sum(self._closed_size(child) for child in item.children)
            found += opened - self._closed_size(item)
        return found

    def _listed(self, item: NavItem) -> bool:
        """Whether the sidebar can list this folder: every folder above it is in the tree
        (a folder under one that left the sidebar has an item of its own, shown nowhere)."""
        while item.key != ROOT_KEY:
            parent = item.parent
            if parent is None:
                return False
            item = parent
        return True

    def _closed_size(self, item: NavItem) -> int:
        """1, plus its children's when the folder is open on every page's sidebar (counted
        children first, without recursion)."""
        pending = [(item, False)]
        while pending:
            current, children_counted = pending.pop()
            if current.key in self._closed:
                continue
            if not (current.is_folder and (current.expanded or current.stacked)):
                self._closed[current.key] = 1
            elif children_counted:
                self._closed[current.key] = 1 + sum(self._closed[c.key] for c in current.children)
            else:
                pending.append((current, True))
                pending += ((child, False) for child in current.children)
        return self._closed[item.key]


def is_shared(size: int) -> bool:
    return size > SHARED_ITEMS


def sidebar_script(html: str, root_mark: str, pages: str) -> tuple[str, str]:
    """The script that shows this sidebar (its HTML, with `root_mark` where the page's root
    path goes), and the site path it is written at, named by its contents. `pages`: whose
    sidebar it is, for a reader of the file."""
    text = _SCRIPT.format(
        pages=pages.replace("*/", "* /").encode("ascii", "backslashreplace").decode(),
        html=json.dumps(html),  # ASCII: whatever charset a host names
        mark=json.dumps(root_mark),
    )
    name = content_digest(text.encode("utf-8"))[:16]
    return f"{SCRIPTS_FOLDER}/{name}.js", text


def script_tag(root_mark: str, path: str, current: str | None, fallback: str) -> str:
    """What a page shows for a shared sidebar: the script at `path` (a site path), told the
    page's root and its own link (`current`, site-relative; None: it has none in the
    sidebar), then `fallback` for readers without JavaScript."""
    marked = f' data-current="{escape(current)}"' if current is not None else ""
    tag = f'<script src="{root_mark}{path}" data-root="{root_mark}"{marked}></script>'
    return tag + (f"<noscript>{fallback}</noscript>" if fallback else "")
