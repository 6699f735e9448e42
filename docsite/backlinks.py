"""Backlinks: the pages that link to a page, which Retype lists under "See also".

They are known only once every page's links are, so the build finds the links first and
hands each page its list before the theme renders it (docsite/build/site.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from docsite.config import BacklinksConfig
from docsite.nav import NavTree
from docsite.pages import Page, SiteContent
from docsite.pathpatterns import PathFilter


@dataclass(frozen=True)
class Backlink:
    """A page that links to the one shown: its title and site-relative URL."""

    title: str
    url: str


def shows_backlinks(page: Page, config: BacklinksConfig) -> bool:
    """Whether the page lists its backlinks: its own setting, else the project's."""
    if page.settings.redirect or page.withheld:
        return False
    enabled = page.settings.backlinks.enabled
    return config.enabled if enabled is None else enabled


def any_backlinks(site: SiteContent, config: BacklinksConfig) -> bool:
    """Whether any page may list backlinks: if not, links need not be known beforehand."""
    return any(shows_backlinks(page, config) for page in site.pages)


def reading_order(site: SiteContent, nav: NavTree) -> list[Page]:
    """The pages in the sidebar's order, then those it does not show, in the site's."""
    shown = [item.page for item in nav.reading_order if item.page is not None]
    listed = {page.source.rel for page in shown}
    return shown + [page for page in site.pages if page.source.rel not in listed]


def in_reading_order(pages: Iterable[Page], site: SiteContent, nav: NavTree) -> list[Page]:
    """These pages in `reading_order`'s order, without making the whole order: watch mode
    wants a few pages' backlinks at every change."""
    pages = list(pages)
    places = [nav.position(page) for page in pages]
    if None in places:  # not in the sidebar's order: after it, in the site's
        after = {id(page): i for i, page in enumerate(site.pages, len(nav.reading_order))}
        places = [after[id(p)] if at is None else at for p, at in zip(pages, places, strict=True)]
    return [page for _, page in sorted(zip(places, pages, strict=True), key=lambda pair: pair[0])]


def backlinks_by_page(
    site: SiteContent,
    links: Mapping[str, Iterable[str]],
    config: BacklinksConfig,
    order: Iterable[Page] | None = None,
) -> dict[str, tuple[Backlink, ...]]:
    """For each page that shows backlinks and has some: the pages linking to it, in
    `order` (the sidebar's: `reading_order`), at most `maxResults` of them. `links`: page
    source -> the sources of the pages it links to."""
    sources = PathFilter(config.exclude, config.include)
    linking: dict[str, list[Page]] = {}
    for page in site.pages if order is None else order:
        rel = page.source.rel
        if rel not in links or page.settings.redirect or not sources.admits(rel):
            continue
        for target in dict.fromkeys(links[rel]):
            if target != rel:
                linking.setdefault(target, []).append(page)
    found: dict[str, tuple[Backlink, ...]] = {}
    for target, pages in linking.items():
        page = site.by_source.get(target)
        if page is None or not shows_backlinks(page, config):
            continue
        limit = page.settings.backlinks.max_results or config.max_results
        found[target] = tuple(Backlink(p.title, p.url) for p in pages[:limit])
    return found


def backlinks_title(page: Page, config: BacklinksConfig, placed_title: str = "") -> str:
    """The heading of the list: `[!backlinks "..."]`, else the page's, else the project's."""
    return placed_title or page.settings.backlinks.title or config.title
