"""Tags: `tags:` in frontmatter groups pages under /tags/<slug>/, with an index at /tags/."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docsite.pages import Page

TAGS_URL = "tags/"


@dataclass
class Tag:
    slug: str
    name: str  # as first written (in page order)
    pages: list[Page] = field(default_factory=list)  # public pages, by title

    @property
    def url(self) -> str:
        return f"{TAGS_URL}{self.slug}/"  # the slug once: a page may carry 100,000 tags


def tag_slug(name: str) -> str:
    """A tag as a URL segment: 'Getting Started' -> 'getting-started'; 'C++' -> 'c'."""
    slug = re.sub(r"[^\w]+", "-", name.strip().casefold()).strip("-")
    return slug or "-"


def tag_url(name: str) -> str:
    return f"{TAGS_URL}{tag_slug(name)}/"


def collect_tags(pages: list[Page]) -> list[Tag]:
    """Every tag of a rendered page, sorted by name. A tag page exists even when only hidden
    pages carry the tag, so their tag links work; it lists public pages only."""
    by_slug: dict[str, Tag] = {}
    listed: set[tuple[str, str]] = set()  # (tag, page): a set, since tags list thousands
    for page in pages:
        if page.settings.redirect:
            continue
        for name in page.settings.tags:
            slug = tag_slug(name)
            tag = by_slug.setdefault(slug, Tag(slug, name))
            key = (slug, page.source.rel)
            if page.settings.visibility == "public" and key not in listed:
                listed.add(key)
                tag.pages.append(page)
    for tag in by_slug.values():
        tag.pages.sort(key=lambda p: (p.title.casefold(), p.url))
    return sorted(by_slug.values(), key=lambda t: (t.name.casefold(), t.slug))
