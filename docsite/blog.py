"""Retype's blog: the pages of the content root's blog/ folder are posts, newest first.

Posts take the `blog` layout (`blog.layout`) unless they set one, which keeps them out of the
sidebar; each links to its newer and older post. The folder's own page (or a generated one)
lists them at `/<blog.base>/`, `blog.pageSize` a page (`/<base>/page/2/`...), and the feed is
`/<base>/feed.xml`. Everything a post shows elsewhere (title, date, authors, summary) is a
`PostEntry`; `Blog.digest` names them all, so a change to any reaches the pages that show it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import posixpath
import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from docsite.cache import digest
from docsite.config import BlogConfig, GravatarConfig, SiteConfig
from docsite.diagnostics import Report
from docsite.frontmatter import Author
from docsite.labels import labels_for
from docsite.pages import Page, SiteContent
from docsite.tags import CATEGORIES_URL, tag_slug

BLOG_FOLDER = "blog"  # Retype's: posts live in /blog whatever `blog.base` publishes them at
FEED_NAME = "feed.xml"
WORDS_PER_MINUTE = 200
SUMMARY_CHARS = 300
_DATED_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:-|$)")
# Lines that start something other than a paragraph: headings, lists, quotes, tables,
# fences, HTML, and Retype's blocks (!!!, [!badge], ===, +++, >>>, :::, {{ }}).
_NOT_PROSE = re.compile(r"^\s*(#|[-*+]\s|\d+[.)]\s|>|\||```|~~~|<|!!!|\[!|===|\+\+\+|:::|\{\{|\{%)")
# Fences and Retype's blocks, whose lines are no paragraph: callouts, tabs, steps, panels.
_BLOCK = re.compile(r"^(```|~~~|!!!|===|\+\+\+|>>>|:::|\|\|\|)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_IMAGE_SOURCE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_WIKILINK = re.compile(r"\[\[([^\]|]*)(?:\|([^\]]*))?\]\]")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


# ---- which pages are posts -------------------------------------------------------------------


def is_blog_post(page: Page) -> bool:
    """A page under the content root's blog/ folder, other than that folder's own page."""
    rel = page.source.rel
    if rel.find("/") != len(BLOG_FOLDER):  # a quick no for most pages of a big site
        return False
    top = rel[: len(BLOG_FOLDER)]
    if top.casefold() != BLOG_FOLDER:
        return False
    return not (page.is_index and page.folder == top)


def blog_posts(site: SiteContent) -> list[Page]:
    """The site's posts, in page order: none at once when the content root has no blog
    folder (most sites), without a look at each of their pages."""
    if not any(rel.casefold() == BLOG_FOLDER for rel in site.folders):
        return []
    return [page for page in site.pages if is_blog_post(page)]


def post_date(page: Page) -> dt.date | None:
    """A post's date: its `date` setting, else the YYYY-MM-DD its file name starts with."""
    if page.settings.date is not None:
        return page.settings.date
    found = _DATED_NAME.match(posixpath.basename(page.source.rel))
    if found is None:
        return None
    try:
        return dt.date(*(int(part) for part in found.groups()))
    except ValueError:  # 2025-02-30
        return None


def newest_first(pages: Iterable[Page]) -> list[Page]:
    """By date (and time, when one is given), newest first; undated posts last; same date:
    by file path, Z to A."""
    return sorted(pages, key=lambda p: (_moment(post_date(p)), p.source.rel), reverse=True)


def _moment(date: dt.date | None) -> dt.datetime:
    """A date as a datetime, so dates with a time and without compare."""
    if isinstance(date, dt.datetime):
        return date.replace(tzinfo=None)
    return dt.datetime.combine(date or dt.date.min, dt.time.min)


def apply_blog_settings(site: SiteContent, config: BlogConfig, report: Report) -> None:
    """Give posts the blog's layout unless they set one, and publish the blog folder's own
    page at `blog.base` (when it sets no permalink); called once the site is loaded."""
    for page in blog_posts(site):
        if "layout" not in page.settings.located:
            page.settings.layout = config.layout
    index = blog_index(site)
    url = config.base + "/"
    if index is None or index.settings.permalink or index.url == url:
        return
    taken = site.by_url.get(url)
    if taken is not None:
        report.warning(
            taken.source.shown,
            0,
            0,
            f"this page is published at /{url}, where 'blog.base' puts the blog; the blog's "
            f"page stays at /{index.url}",
            "give the page another 'permalink', or the blog another 'base'",
        )
        return
    del site.by_url[index.url]
    index.url = url
    site.by_url[url] = index


def blog_index(site: SiteContent) -> Page | None:
    """The blog folder's own page (blog/index.md), the first of its summary pages."""
    folder = next((f for rel, f in site.folders.items() if rel.casefold() == BLOG_FOLDER), None)
    return folder.index if folder is not None else None


# ---- what posts show of themselves ----------------------------------------------------------


@dataclass(frozen=True)
class PostEntry:
    """A post as listings, its neighbours and the feed show it."""

    rel: str
    url: str
    title: str
    date: dt.date | None
    authors: tuple[Author, ...]
    categories: tuple[str, ...]
    summary: str  # its description, else its first paragraph as plain text
    image: str  # its `image` setting, as written


def post_summary(page: Page) -> str:
    """The post's `description`, else the text of the first paragraph of its body (outside
    code, and outside Retype's blocks: a callout's text is no summary)."""
    if page.settings.description:
        return page.settings.description
    lines: list[str] = []
    block = ""  # the marker of the fence or block the line is in
    for line in page.body.split("\n"):
        stripped = line.strip()
        opener = _BLOCK.match(stripped)
        if block:
            if stripped == block or (block in "```~~~" and stripped.startswith(block)):
                block = ""
            continue
        if opener is not None:
            if lines:
                break
            block = opener.group(1)
            continue
        if not lines and (not stripped or _NOT_PROSE.match(line)):
            continue
        text = _without_images(line).strip()
        if not text:
            if lines:
                break
            continue
        lines.append(text)
    return _shortened(_plain(" ".join(lines)))


def feature_image(page: Page) -> str:
    """The image that stands for the page in summaries and cards: its `image` setting, else
    the first image of its body, as Retype picks it (a path as written in the page)."""
    if page.settings.image:
        return page.settings.image
    fence = ""  # the fence the line is in: its images are code
    for line in page.body.split("\n"):
        stripped = line.strip()
        if fence:
            fence = "" if stripped.startswith(fence) else fence
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif (found := _IMAGE_SOURCE.search(_CODE_SPAN.sub("", line))) is not None:
            return found.group(1)
    return ""


def summary_facts(page: Page) -> tuple[str, ...]:
    """What a summary of the page shows that its settings alone do not say: its text, its
    image and its date (a post's may come from its file name)."""
    return (post_summary(page), feature_image(page), str(post_date(page) or ""))


def _without_images(line: str) -> str:
    """The line without its images, but for those shown as code."""
    return _outside_code(line, lambda text: _IMAGE.sub("", text), lambda code: code)


def _plain(markdown: str) -> str:
    def prose(text: str) -> str:
        text = _WIKILINK.sub(lambda m: m.group(2) or m.group(1), text)
        return _EMPHASIS.sub("", _LINK.sub(r"\1", text))

    text = _outside_code(markdown, prose, lambda code: code.strip("`"))
    return re.sub(r"\s+", " ", text).strip()


def _outside_code(text: str, prose: Callable[[str], str], code: Callable[[str], str]) -> str:
    """`text` with `prose` applied to what lies outside its code spans, `code` to those."""
    parts: list[str] = []
    end = 0
    for span in _CODE_SPAN.finditer(text):
        parts += [prose(text[end : span.start()]), code(span.group())]
        end = span.end()
    parts.append(prose(text[end:]))
    return "".join(parts)


def _shortened(text: str) -> str:
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[:SUMMARY_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def reading_minutes(page: Page) -> int:
    """Minutes to read the body at 200 words a minute; at least one."""
    return max(1, math.ceil(len(page.body.split()) / WORDS_PER_MINUTE))


def entry_of(page: Page) -> PostEntry:
    return PostEntry(
        page.source.rel,
        page.url,
        page.title,
        post_date(page),
        tuple(page.settings.authors),
        tuple(page.settings.categories),
        post_summary(page),
        feature_image(page),
    )


def category_url(name: str) -> str:
    return f"{CATEGORIES_URL}{tag_slug(name)}/"


def gravatar_url(email: str, settings: GravatarConfig, size: int = 80) -> str:
    """Gravatar's picture for an email: the MD5 of the address trimmed and in lower case,
    with the image Gravatar gives when it knows none (`integrations.gravatar.default`)."""
    hashed = hashlib.md5(email.strip().lower().encode("utf-8")).hexdigest()
    query = urllib.parse.urlencode({"d": settings.default or "mp", "s": size})
    return f"https://www.gravatar.com/avatar/{hashed}?{query}"


# ---- the blog ------------------------------------------------------------------------------


@dataclass
class Blog:
    """The posts of a build, newest first, and the pages that list them."""

    config: BlogConfig
    title: str  # the summary pages' heading
    posts: list[PostEntry]  # every public post, newest first
    index: Page | None  # the blog folder's own page: the first summary page
    listed: list[PostEntry] = field(default_factory=list)  # those `maxResults` lists
    _position: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        limit = self.config.max_results
        self.listed = self.posts[:limit] if limit is not None else list(self.posts)
        self._position = {entry.rel: i for i, entry in enumerate(self.posts)}

    @property
    def url(self) -> str:
        """The first summary page's URL ('blog/')."""
        return self.index.url if self.index is not None else self.config.base + "/"

    @property
    def feed_url(self) -> str:
        return self.config.base + "/" + FEED_NAME

    def summary_pages(self) -> list[list[PostEntry]]:
        """The listed posts, `pageSize` a page; one empty page when there are none."""
        size = self.config.page_size
        return [self.listed[i : i + size] for i in range(0, len(self.listed), size)] or [[]]

    def summary_url(self, number: int) -> str:
        """The URL of summary page `number` (from 1)."""
        return self.url if number == 1 else f"{self.config.base}/page/{number}/"

    def entry(self, page: Page) -> PostEntry | None:
        index = self._position.get(page.source.rel)
        return self.posts[index] if index is not None else None

    def neighbours(self, page: Page) -> tuple[PostEntry | None, PostEntry | None]:
        """The newer and the older post, for a post's `Newer` and `Older` links."""
        index = self._position.get(page.source.rel)
        if index is None:
            return None, None
        newer = self.posts[index - 1] if index > 0 else None
        older = self.posts[index + 1] if index + 1 < len(self.posts) else None
        return newer, older

    def page_key(self, page: Page) -> str:
        """What the blog adds to one page: a post's neighbours, the index's first listing."""
        if page.source.rel in self._position:
            return digest(self.neighbours(page))
        if self.is_index(page):
            return digest(self.summary_pages()[0], len(self.summary_pages()))
        return ""

    def is_index(self, page: Page) -> bool:
        """Whether the page is the blog folder's own (by path: pages cross to workers)."""
        return self.index is not None and page.source.rel == self.index.source.rel

    def digest(self) -> str:
        """Every value the blog shows: a change re-renders its summary pages and feed."""
        return digest(self.config, self.title, self.posts, self.url)


def make_blog(site: SiteContent, config: SiteConfig) -> Blog | None:
    """The site's blog, or None when the blog/ folder has no public post."""
    posts = [
        page
        for page in blog_posts(site)
        if page.settings.visibility == "public" and not page.settings.redirect
    ]
    if not posts:
        return None
    index = blog_index(site)
    label = labels_for(config.locale, config.labels)["Page_Blog_Title"]
    title = config.blog.title or (index.title if index is not None else label)
    entries = [entry_of(page) for page in newest_first(posts)]
    return Blog(config.blog, title, entries, index)


# ---- the feed ------------------------------------------------------------------------------

# Image types RSS readers show, for the favicon standing in for `blog.rss.imageUrl`.
_FEED_IMAGES = (".gif", ".jpeg", ".jpg", ".ico", ".png")


@dataclass(frozen=True)
class FeedLink:
    """The feed as pages link to it."""

    url: str  # site-relative
    title: str


def feed_link(blog: Blog, config: SiteConfig) -> FeedLink:
    """`blog.rss.title`, else the blog's title after the site's name."""
    title = config.blog.rss.title
    if not title:
        site_name = config.meta.site_name or config.title
        title = f"{site_name} - {blog.title}" if site_name else blog.title
    return FeedLink(blog.feed_url, title)


def _absolute(config: SiteConfig, url: str) -> str:
    """A site-relative URL as a whole address (`url`), else from the domain's root."""
    if "://" in url:
        return url
    return (config.url or "/") + urllib.parse.quote(url.lstrip("/"), safe="/~!$&'()*+,;=:@%-._")


def rss_feed(blog: Blog, config: SiteConfig) -> str:
    """RSS 2.0: the newest `blog.rss.maxResults` posts, their summaries and categories.
    Built from the posts alone (no build time), so the same posts give the same file."""
    rss = config.blog.rss
    link = feed_link(blog, config)
    description = rss.description or config.description
    copyright_ = rss.copyright or config.footer
    image = rss.image_url or (
        config.favicon if config.favicon.lower().endswith(_FEED_IMAGES) else ""
    )
    channel = [
        _element("title", link.title),
        _element("link", _absolute(config, blog.url)),
        f'<atom:link href="{_xml(_absolute(config, blog.feed_url))}" rel="self" '
        'type="application/rss+xml"/>',
        _element("description", description) if description else "",
        _element("language", config.language),
        _element("copyright", copyright_) if copyright_ else "",
        _element("generator", "docsite"),
    ]
    if image:
        channel.append(
            "<image>"
            + _element("url", _absolute(config, image))
            + _element("title", link.title)
            + _element("link", _absolute(config, blog.url))
            + "</image>"
        )
    items = [_item(entry, config) for entry in blog.posts[: rss.max_results]]
    body = "\n".join(f"    {line}" for line in channel + items if line)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        f"  <channel>\n{body}\n  </channel>\n</rss>\n"
    )


def _item(entry: PostEntry, config: SiteConfig) -> str:
    url = _absolute(config, entry.url)
    parts = [
        _element("title", entry.title),
        _element("link", url),
        _element("guid", url, ' isPermaLink="true"'),
    ]
    if entry.date is not None:
        parts.append(_element("pubDate", _rfc822(entry.date)))
    if entry.summary:
        parts.append(_element("description", entry.summary))
    parts += [_element("category", name) for name in entry.categories]
    parts += [
        _element("author", f"{author.email} ({author.name})")
        for author in entry.authors
        if author.email
    ]
    return "<item>" + "".join(parts) + "</item>"


def _rfc822(date: dt.date) -> str:
    """RSS's date format, in UTC (midnight without a time): 'Sat, 15 Nov 2025 00:00:00 +0000'."""
    import email.utils  # 9 ms to import, for sites with a blog feed only

    return email.utils.format_datetime(_moment(date).replace(tzinfo=dt.UTC))


def _element(name: str, text: str, attributes: str = "") -> str:
    return f"<{name}{attributes}>{_xml(text)}</{name}>"


def _xml(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
