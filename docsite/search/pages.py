"""What is indexed: which pages, which part of each, and what Pagefind is told to skip."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from operator import attrgetter

from docsite.cache import PageRecord
from docsite.config import SiteConfig
from docsite.pages import Page
from docsite.pathpatterns import PathFilter

# Never indexed, even if a site has such a page.
NOT_FOUND_PATHS = frozenset({"404.html", "404/index.html"})
# Parts of the article that are not content.
IGNORED_SELECTORS = (".header-anchor", ".copy-button")


@dataclass
class SearchPage:
    """What indexing needs of a page, copied so a background thread can use it."""

    url: str  # site-relative, '' for home
    output_path: str
    digest: str  # of the part Pagefind reads (`indexed_html`)


def is_searchable(page: Page, output_path: str = "") -> bool:
    """Hidden, protected and private pages, redirects and the 404 page stay out of the
    index. `output_path`: the page's, if the caller has it already."""
    settings = page.settings
    return (
        settings.visibility not in ("hidden", "protected", "private")
        and not settings.redirect
        and (output_path or page.output_path) not in NOT_FOUND_PATHS
    )


def is_indexed(page: Page, paths: PathFilter | None, output_path: str = "") -> bool:
    """Whether a rendered page goes into the index (`paths`: search.exclude and include)."""
    return is_searchable(page, output_path) and (paths is None or paths.admits(page.source.rel))


def search_pages(
    pages: Iterable[Page],
    records: dict[str, PageRecord],
    paths: PathFilter | None = None,
    files_at: Collection[str] = (),
) -> list[SearchPage]:
    """The pages to index, in output-path order (the order Pagefind numbers them in);
    `paths`: the config's `search.exclude` and `include` patterns over source paths;
    `files_at`: where files are published, which take the place of pages."""
    found = []
    for page in pages:
        record = records.get(page.source.rel)
        if record is None or not record.search_digest:
            continue
        path = page.output_path
        if path not in files_at and is_indexed(page, paths, path):
            found.append(SearchPage(page.url, path, record.search_digest))
    return sorted(found, key=attrgetter("output_path"))


def search_paths(config: SiteConfig) -> PathFilter:
    """The config's `search.exclude` and `include` (Retype's): pages they leave out stay on
    the site but out of the index."""
    return PathFilter(config.search.exclude, config.search.include)


def pagefind_config(code: bool) -> dict:
    """Pagefind's settings. `search: { code: false }` in docsite.yml leaves code blocks
    (`pre`) out; by default they are indexed."""
    excluded = list(IGNORED_SELECTORS) + ([] if code else ["pre"])
    return {"root_selector": "html", "exclude_selectors": excluded}


def pagefind_url(page: SearchPage) -> str:
    """The URL Pagefind knows a page by: absolute, resolved by search.js against the site's
    root."""
    return "/" + page.url


def indexed_html(html: str) -> str:
    """The part of a page that Pagefind reads: the <html> tag (for the language) and the
    element marked data-pagefind-body. Leaving out the sidebar makes indexing 4x faster."""
    marker = html.find(" data-pagefind-body")
    start = html.rfind("<", 0, marker)
    html_tag = html.find("<html")
    if marker < 0 or start < 0 or html_tag < 0:
        return html
    tag = html[start + 1 : marker].split(maxsplit=1)[0]
    end = html.rfind(f"</{tag}>")
    end = end + len(tag) + 3 if end > start else len(html)
    opening = html[html_tag : html.index(">", html_tag) + 1]
    return opening + "<body>" + html[start:end] + "</body></html>"
