"""Retype's `content` object for templates: any page by key, search by title, tags,
categories, authors, blog posts, the navigation and all pages, as Scriban values.

The index is made once per build. Each page's template reads it through its own view, which
records every query it answers with the digest of the value it gave: a page needs rendering
again only when one of its queries now gives another value (`ContentIndex.digest`), so a new
blog post refreshes a "latest posts" list and an unrelated edit refreshes nothing.

Queries, and what each depends on:

    pages          every listed page's properties, in site order (`content.pages`)
    blog.posts     the listed pages under blog/ and their dates (`content.blog.posts`)
    tags           every tag and the properties of its pages (`content.tags`, also
                   `content.tags["x"]`: the engine reads the whole array before indexing it)
    categories     likewise for `category` (`content.categories`)
    authors        likewise for authors (`content.authors`)
    nav            the sidebar tree: labels, URLs, icons, file paths (`content.nav`)
    page:<key>     the one page the key finds now, or none (`content["key"]`; the key as
                   `page_key` normalizes it, as wikilinks do)
    search:<term>  the listed pages whose title contains the term (`content.search("term")`)

Values are shared by every page of the build, so they are read-only: a template that
assigns to one (`p.title = "x"`) gets an error at its place, never another page's output."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from docsite.blog import blog_posts, newest_first
from docsite.nav import NavItem, NavTree
from docsite.pages import Page, SiteContent
from docsite.scriban.runtime import Builtin, ScriptArray, ScriptError
from docsite.scriban.values import to_text
from docsite.tags import collect_categories, collect_tags, tag_slug

_SEPARATORS = re.compile(r"[\s_\-]+")
_MISSING: Any = object()

# ---- read-only values ------------------------------------------------------------------------


def _read_only(*_args: Any, **_kwargs: Any) -> Any:
    raise ScriptError(
        "values read from `content` cannot be changed",
        "copy what you need into a variable of your own, e.g. `title = p.title`",
    )


class FrozenDict(dict):
    """An object from `content`: read like any dict, never written."""

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self) -> Any:
        return (type(self), (dict(self),))


class FrozenLookup(FrozenDict):
    """Named members of a collection (`content.tags["guide"]`): found as written, else by
    `fold` (a tag's slug, an author's name without case)."""

    def __init__(self, items: dict[str, Any], fold: Callable[[str], str] = str.casefold):
        super().__init__(items)
        self._fold = fold
        self._folded: dict[str, Any] = {}
        for name, value in items.items():
            self._folded.setdefault(fold(name), value)

    def get(self, key: Any, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self._folded.get(self._fold(key), default) if isinstance(key, str) else default

    def __reduce__(self) -> Any:
        return (type(self), (dict(self), self._fold))


class FrozenArray(ScriptArray):
    """An array from `content`, with its named members: read like any list, never written."""

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only
    append = extend = insert = pop = remove = clear = sort = reverse = _read_only

    def __init__(self, items: Iterable[Any] = (), members: FrozenDict | None = None):
        super().__init__(items, members if members is not None else FrozenDict())

    def __reduce__(self) -> Any:
        return (type(self), (list(self), self.members))


def freeze(value: Any) -> Any:
    """A page's properties as read-only values (dates, strings and numbers are already)."""
    if isinstance(value, FrozenDict | FrozenArray):
        return value
    if isinstance(value, dict):
        return FrozenDict({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return FrozenArray(freeze(item) for item in value)
    return value


def fingerprint(value: Any) -> str:
    """A digest of a value: its dicts and lists walked with a stack, since a nav tree may
    nest deeper than repr() can go; anything else by its repr."""
    h = hashlib.blake2b(digest_size=16)
    pending: list[Any] = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            h.update(b"{%d" % len(item))
            for key, child in reversed(list(item.items())):
                pending += [child, _Key(key)]
        elif isinstance(item, list):
            h.update(b"[%d" % len(item))
            pending += reversed(item)
        else:
            text = repr(item.name if isinstance(item, _Key) else item).encode("utf-8", "replace")
            h.update(b"k" if isinstance(item, _Key) else b"v")
            h.update(len(text).to_bytes(8, "little") + text)
    return h.hexdigest()


@dataclass(frozen=True)
class _Key:
    """A mapping's key in `fingerprint`'s walk: hashed apart from values, so that a key and
    a value of the same text do not hash alike."""

    name: Any


# ---- what a page's template read -------------------------------------------------------------


@dataclass
class ContentReads:
    """The queries one page's template answered from `content`: query -> digest of the value
    it gave. The page is stale when any of them now digests otherwise."""

    queries: dict[str, str] = field(default_factory=dict)


# ---- the index -------------------------------------------------------------------------------


class ContentIndex:
    """Built once per build from the site's pages and nav tree; answers queries, memoized.
    `properties(page)` is the dict a template sees for a page (`page.*`): every page object
    `content` gives is that dict, read-only."""

    def __init__(self, site: SiteContent, nav: NavTree, properties: Callable[[Page], dict]):
        self.site = site
        self.nav = nav
        self.properties = properties
        self._objects: dict[str, FrozenDict] = {}  # by source rel
        self._values: dict[str, Any] = {}
        self._digests: dict[str, str] = {}
        self._keys: dict[str, tuple[tuple[int, int, str], Page]] | None = None

    # The collection queries, by the method that answers each: names, not bound methods,
    # so that the index holds no cycle (watch mode lets it go, with its site, on a change).
    _COLLECTIONS: ClassVar[dict[str, str]] = {
        "pages": "_pages",
        "blog.posts": "_posts",
        "tags": "_tags",
        "categories": "_categories",
        "authors": "_authors",
        "nav": "_nav_value",
    }

    @functools.cached_property
    def _listed(self) -> list[Page]:
        """What collections list: public pages, not redirects (as sitemaps and tag pages).
        Made at the first query: most builds' pages make none."""
        return [p for p in self.site.pages if self._is_listed(p)]

    @staticmethod
    def _is_listed(page: Page) -> bool:
        return page.settings.visibility == "public" and not page.settings.redirect

    def view(self, reads: ContentReads) -> ContentView:
        """The `content` value one page's template sees: what it reads is recorded in
        `reads`."""
        return ContentView(self, reads)

    def digest(self, query: str) -> str:
        """The digest of what `query` gives now; an unknown query never matches a recorded
        digest (a page recorded by another engine renders again)."""
        known = self._digests.get(query)
        if known is None:
            value = self.value(query)
            known = "unknown:" + query if value is _MISSING else fingerprint(value)
            self._digests[query] = known
        return known

    def changed(self, queries: dict[str, str]) -> list[str]:
        """The recorded queries (ContentReads.queries) whose value is no longer the same."""
        return [query for query, seen in queries.items() if self.digest(query) != seen]

    def read(self, query: str, reads: ContentReads) -> Any:
        """A query's value, recorded in `reads`."""
        reads.queries[query] = self.digest(query)
        return self.value(query)

    def value(self, query: str) -> Any:
        """A query's read-only value (None: no such page), or _MISSING for an unknown query."""
        if query not in self._values:
            kind, _, argument = query.partition(":")
            if query in self._COLLECTIONS:
                value = getattr(self, self._COLLECTIONS[query])()
            elif kind == "page" and argument:
                page = self.find(argument)
                value = None if page is None else self.page_object(page)
            elif kind == "search":
                value = self._page_array(p for p in self._listed if argument in p.title.casefold())
            else:
                return _MISSING
            self._values[query] = value
        return self._values[query]

    def page_object(self, page: Page) -> FrozenDict:
        """A page as templates see it: its properties, read-only, made once."""
        rel = page.source.rel
        found = self._objects.get(rel)
        if found is None:
            found = freeze(dict(self.properties(page)))
            self._objects[rel] = found
        return found

    def _page_array(self, pages: Iterable[Page]) -> FrozenArray:
        return FrozenArray(self.page_object(page) for page in pages)

    # ---- content["key"] -----------------------------------------------------------------------

    def find(self, key: str) -> Page | None:
        """The page a key names (normalized by `page_key`): a path, or the end of one, from
        the content root, a file (or folder) name, or a title, in that order of preference;
        among pages that share a name or a title, the one nearest the root, then the first
        by path. (Wikilinks call such a name ambiguous; a template has no place to say so.)"""
        if self._keys is None:
            self._keys = {}
            for page in self.site.pages:
                if page.settings.redirect:
                    continue
                depth = page.source.rel.count("/")
                for rank, name in _names_of(page):
                    candidate = ((rank, depth, page.source.rel), page)
                    held = self._keys.get(name)
                    if held is None or candidate[0] < held[0]:
                        self._keys[name] = candidate
        found = self._keys.get(key)
        return found[1] if found else None

    # ---- collections -------------------------------------------------------------------------

    def _pages(self) -> FrozenArray:
        return self._page_array(self._listed)

    def _posts(self) -> FrozenArray:
        posts = (p for p in blog_posts(self.site) if self._is_listed(p))
        return self._page_array(newest_first(posts))

    def _tags(self) -> FrozenArray:
        tags = [tag for tag in collect_tags(self.site.pages) if tag.pages]
        entries = {
            tag.name: FrozenDict(
                title=tag.name, url="/" + tag.url, pages=self._page_array(tag.pages)
            )
            for tag in tags
        }
        return FrozenArray(entries.values(), FrozenLookup(entries, tag_slug))

    def _categories(self) -> FrozenArray:
        categories = [
            category for category in collect_categories(self.site.pages) if category.pages
        ]
        entries = {
            category.name: FrozenDict(
                title=category.name,
                url="/" + category.url,
                pages=self._page_array(category.pages),
            )
            for category in categories
        }
        return FrozenArray(entries.values(), FrozenLookup(entries, tag_slug))

    def _authors(self) -> FrozenArray:
        groups = _grouped(
            self._listed, lambda p: [author.name for author in p.settings.authors], str.casefold
        )
        entries = {
            name: FrozenDict(name=name, pages=self._page_array(pages)) for name, pages in groups
        }
        return FrozenArray(entries.values(), FrozenLookup(entries, str.casefold))

    def _nav_value(self) -> FrozenDict:
        """The sidebar tree as {label, url, icon, filePath, isFolder, children}, built from
        the leaves up with a stack (a folder tree may nest past the recursion limit)."""
        pre_order: list[NavItem] = []
        pending = [self.nav.root]
        while pending:
            item = pending.pop()
            pre_order.append(item)
            pending.extend(item.children)
        built: dict[int, FrozenDict] = {}
        for item in reversed(pre_order):  # every item's children before it
            children = FrozenArray(built.pop(id(child)) for child in item.children)
            built[id(item)] = self._nav_entry(item, children)
        return built[id(self.nav.root)]

    def _nav_entry(self, item: NavItem, children: FrozenArray) -> FrozenDict:
        page = self.page_object(item.page) if item.page is not None else None
        if page is not None:
            url = page.get("url", "/" + (item.url or ""))
        elif not item.is_folder:  # a generated page's link (a blog without a page)
            url = "/" + (item.url or "")
        else:  # a folder without a page leads to its first page, as in the sidebar
            url = next((child["url"] for child in children if child["url"] is not None), None)
        return FrozenDict(
            label=item.label,
            url=url,
            icon=item.icon,
            filePath=page.get("filePath") if page is not None else None,
            isFolder=item.is_folder,
            children=children,
        )


def page_key(key: Any) -> str:
    """A key as `content[...]` compares it, as wikilinks do (markdown/components/wikilink.py):
    without case, `.md` or slashes around it, '-', '_' and spaces alike: 'Getting_Started.md'
    and '/getting-started' are 'getting started'."""
    text = to_text(key).strip().strip("/")
    if text.lower().endswith(".md"):
        text = text[: -len(".md")]
    return "/".join(" ".join(_SEPARATORS.split(part.lower())).strip() for part in text.split("/"))


def _names_of(page: Page) -> list[tuple[int, str]]:
    """The keys that find a page, with their rank (lower wins): its path and the ends of it
    (`guides/setup` finds docs/guides/setup.md), its file name, its title. A folder's
    default page answers to the folder's path and name too."""
    names = []
    paths = [page.source.rel, page.folder] if page.is_index and page.folder else [page.source.rel]
    for path in paths:
        parts = page_key(path).split("/")
        names += [(0, "/".join(parts[start:])) for start in range(len(parts) - 1)]
        names.append((1, parts[-1]))
    names.append((2, page_key(page.title)))
    return [(rank, name) for rank, name in names if name]


def _grouped(
    pages: list[Page], names_of: Callable[[Page], list[str]], fold: Callable[[str], str]
) -> list[tuple[str, list[Page]]]:
    """Pages by group name (as first written; names equal once folded are one group), the
    groups A to Z and each group's pages by title."""
    groups: dict[str, tuple[str, list[Page]]] = {}
    for page in pages:
        for name in dict.fromkeys(fold(name) for name in names_of(page)):
            written = next(n for n in names_of(page) if fold(n) == name)
            groups.setdefault(name, (written, []))[1].append(page)
    for _, members in groups.values():
        members.sort(key=lambda p: (p.title.casefold(), p.url))
    return sorted(groups.values(), key=lambda group: (group[0].casefold(), group[0]))


# ---- the views a template reads ----------------------------------------------------------------


class _LazyObject(dict):
    """An object whose members are worked out (and recorded) when read: `names` are its
    own members; any other key may still be found by `_other`. It stores nothing, so every
    way of reading it goes through the methods below, and it cannot be written."""

    names: tuple[str, ...] = ()

    def __init__(self, index: ContentIndex, reads: ContentReads):
        super().__init__()
        self.index = index
        self.reads = reads

    def _named(self, name: str) -> Any:
        raise NotImplementedError

    def _other(self, key: str) -> Any:
        return _MISSING

    def _value(self, key: Any) -> Any:
        if not isinstance(key, str):
            return _MISSING
        return self._named(key) if key in self.names else self._other(key)

    def __getitem__(self, key: Any) -> Any:
        value = self._value(key)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        value = self._value(key)
        return default if value is _MISSING else value

    def __contains__(self, key: Any) -> bool:
        return key in self.names or self._value(key) is not _MISSING

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def keys(self) -> list[str]:  # type: ignore[override]
        return list(self.names)

    def values(self) -> list[Any]:  # type: ignore[override]
        return [self[name] for name in self.names]

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        return [(name, self[name]) for name in self.names]

    def copy(self) -> dict[str, Any]:
        return dict(self.items())

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {', '.join(self.names)}>"

    def __reduce__(self) -> Any:
        return (type(self), (self.index, self.reads))

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only


class ContentView(_LazyObject):
    """`content` as one page's template sees it."""

    names = ("pages", "blog", "tags", "categories", "authors", "nav", "search")

    def __init__(self, index: ContentIndex, reads: ContentReads):
        super().__init__(index, reads)
        self.search = Builtin("content.search", self._search, 1, 1)

    def _named(self, name: str) -> Any:
        if name == "blog":
            return BlogView(self.index, self.reads)
        if name == "search":
            return self.search
        return self.index.read(name, self.reads)

    def _other(self, key: str) -> Any:
        """`content["key"]`: a page; recorded also when there is none (it may come later)."""
        normalized = page_key(key)
        if not normalized:
            return _MISSING
        page = self.index.read("page:" + normalized, self.reads)
        return _MISSING if page is None else page

    def _search(self, _runtime: Any, term: Any) -> FrozenArray:
        return self.index.read("search:" + to_text(term).casefold(), self.reads)


class BlogView(_LazyObject):
    """`content.blog`: its posts, newest first."""

    names = ("posts",)

    def _named(self, name: str) -> Any:
        return self.index.read("blog." + name, self.reads)
