"""Tags: `tags:` in frontmatter groups pages under /tags/<slug>/, with an index at /tags/;
`category:` likewise under /categories/, as Retype makes both."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from docsite.pages import Page

TAGS_URL = "tags/"
CATEGORIES_URL = "categories/"


@dataclass
class Tag:
    """A tag or a category: the pages that name it."""

    slug: str
    name: str  # as first written (in page order)
    pages: list[Page] = field(default_factory=list)  # public pages, by title
    base: str = TAGS_URL  # TAGS_URL or CATEGORIES_URL

    @property
    def url(self) -> str:
        return f"{self.base}{self.slug}/"  # the slug once: a page may carry 100,000 tags


@functools.lru_cache(maxsize=4096)
def tag_slug(name: str) -> str:
    """A tag as a URL segment: 'Getting Started' -> 'getting-started'; 'C++' -> 'c'. Kept
    for each name: thousands of pages carry the same few tags."""
    slug = re.sub(r"[^\w]+", "-", name.strip().casefold()).strip("-")
    return slug or "-"


def tag_url(name: str) -> str:
    return f"{TAGS_URL}{tag_slug(name)}/"


@dataclass(frozen=True)
class SiteGroups:
    """The site's tags and categories, as its tag and category pages list them."""

    tags: list[Tag]
    categories: list[Tag]


def site_groups(pages: list[Page]) -> SiteGroups:
    """Worked out once a build (and kept with the site as loaded: docsite.build.lastsite)."""
    return SiteGroups(collect_tags(pages), collect_categories(pages))


def collect_tags(pages: list[Page]) -> list[Tag]:
    """Every tag of a rendered page, sorted by name. A tag page exists even when only hidden
    pages carry the tag, so their tag links work; it lists public pages only."""
    return _collect(pages, lambda page: page.settings.tags, TAGS_URL)


def collect_categories(pages: list[Page]) -> list[Tag]:
    """Every category of a rendered page, as collect_tags finds tags."""
    return _collect(pages, lambda page: page.settings.categories, CATEGORIES_URL)


def _collect(pages: list[Page], names_of: Callable[[Page], list[str]], base: str) -> list[Tag]:
    by_slug: dict[str, Tag] = {}
    listed: set[tuple[str, str]] = set()  # (tag, page): a set, since tags list thousands
    for page in pages:
        if page.settings.redirect:
            continue
        for name in names_of(page):
            slug = tag_slug(name)
            tag = by_slug.get(slug)
            if tag is None:  # not setdefault: a Tag made for each of 10,000 names took 10 ms
                tag = by_slug[slug] = Tag(slug, name, base=base)
            key = (slug, page.source.rel)
            if page.settings.visibility == "public" and key not in listed:
                listed.add(key)
                tag.pages.append(page)
    for tag in by_slug.values():
        tag.pages.sort(key=lambda p: (p.title.casefold(), p.url))
    return sorted(by_slug.values(), key=lambda t: (t.name.casefold(), t.slug))
