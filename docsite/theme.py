"""The Jinja theme: template lookup (site first, then default theme), filters, fragments.

Shared fragments are rendered once: the sidebar once per folder, the header and footer
once per site. A page then only fills in its relative root path and its active link.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import pickle
import posixpath
import re
import urllib.parse
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import CodeType
from typing import Any, ClassVar

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from docsite.actions import ActionSet
from docsite.backlinks import Backlink, backlinks_title
from docsite.blog import Blog, PostEntry, category_url, feed_link, gravatar_url, reading_minutes
from docsite.cache import digest, engine_digest, made_once
from docsite.config import HeaderLink, SiteConfig
from docsite.dates import format_date
from docsite.emojis import shortcode_emoji
from docsite.frontmatter import Author, Badge
from docsite.icons import IconSet, icon_markup, is_inline_svg
from docsite.labels import labels_for
from docsite.markdown import Rendered
from docsite.markdown.components.backlinks import BACKLINKS_MARKER
from docsite.markdown.links import is_safe_link
from docsite.markdown.templating import SITE_HTML, SiteHtml
from docsite.nav import NavItem, NavTree, sidebar_steps
from docsite.pageassets import (
    ASSETS_MARK,
    BLOG_CSS,
    COMPONENTS_CSS,
    HIGHLIGHT_CSS,
    OWN_STYLESHEETS,
    AssetRules,
    NeedIndex,
    PagePart,
    page_classes,
    page_icons,
    selector_needs,
    split_needs,
)
from docsite.pages import Page
from docsite.sharedsidebar import SidebarSizes, is_shared, script_tag, sidebar_script
from docsite.tags import tag_url
from docsite.themefiles import static_dirs, template_dirs
from docsite.urls import relative_href, root_prefix

# Stands for the page's path to the site root inside cached fragments. '<' never appears
# in an escaped label or in a URL path, so the marker cannot clash with content.
ROOT_MARK = "<@root>"
# Where a page's sidebar goes until its assets are chosen: the classes of a folder's sidebar
# are found once (`Theme.sidebar`), not in the HTML of each of its pages again.
SIDEBAR_MARK = "<@sidebar>"


@dataclass(frozen=True)
class Crumb:
    """A step of the breadcrumb above the title."""

    label: str
    href: str | None


@dataclass(frozen=True)
class PageLink:
    """Previous or Next, below the page."""

    label: str
    href: str


@dataclass(frozen=True)
class AuthorView:
    """An author as a post shows them: the picture is a link from the page, or ''."""

    name: str
    link: str
    avatar: str
    initial: str  # shown in place of a picture
    picture: str = ""  # an icon, emoji or inline SVG avatar (Markup), in place of `avatar`


@dataclass(frozen=True)
class PostView:
    """What a post shows around its title, or what a summary page shows of it."""

    title: str
    href: str  # from the page that shows it
    date: str  # ISO
    date_text: str
    authors: tuple[AuthorView, ...]
    categories: tuple[PageLink, ...]
    summary: str
    minutes: int = 0  # reading time, on the post itself


@dataclass(frozen=True)
class Listing:
    """One summary page of the blog: its posts and the links to the pages around it."""

    posts: tuple[PostView, ...]
    newer: str  # href of the summary page before it, or ""
    older: str
    number: int
    count: int  # summary pages in all


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, kept in memory for the life of the process (watch mode's builds,
    or a script's or the tests' many builds, compile each template once) and in `folder`
    between builds (Jinja's files). A template is taken only with the checksum of its source,
    as Jinja's own caches do; every environment that shares them is made alike
    (`template_environment`). The folder is a speed-up, never a reason to fail: deleted
    during a build, or a full disk, it only means the next build compiles again."""

    # Jinja's key of a template (its name and file) -> the checksum of its source, its code.
    _kept: ClassVar[dict[str, tuple[str, CodeType]]] = {}

    def __init__(self, folder: Path | None):
        self.files = jinja2.FileSystemBytecodeCache(str(folder)) if folder is not None else None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        kept = self._kept.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]
            if self.files is not None and not os.path.exists(self._file_of(self.files, bucket)):
                self._write(self.files, bucket)  # the next process finds it there too
            return
        if self.files is not None:
            with contextlib.suppress(OSError):
                self.files.load_bytecode(bucket)
        if bucket.code is not None:
            self._kept[bucket.key] = (bucket.checksum, bucket.code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        assert bucket.code is not None  # Jinja dumps what it has just compiled
        self._kept[bucket.key] = (bucket.checksum, bucket.code)
        if self.files is not None:
            self._write(self.files, bucket)

    @staticmethod
    def _file_of(files: jinja2.FileSystemBytecodeCache, bucket: jinja2.bccache.Bucket) -> str:
        return os.path.join(files.directory, files.pattern % (bucket.key,))

    @staticmethod
    def _write(files: jinja2.FileSystemBytecodeCache, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            files.dump_bytecode(bucket)


class _SetGlobalsEnvironment(jinja2.Environment):
    """An environment whose globals are set before its first template loads, and not
    changed after (as Jinja asks, and `Theme` does): each template takes them as one plain
    dict. Jinja's own chain of the template's and the environment's globals is copied into a
    dict for each render, key by key: 17% of the time a page's template took."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def template_environment(config: SiteConfig, compiled_dir: Path | None) -> jinja2.Environment:
    """The theme's Jinja environment, without its globals (set them before a template is
    loaded: `_SetGlobalsEnvironment`). Made here alone: the templates compiled in another
    process (`compile_templates`) are valid for the theme only if they were compiled with the
    same settings, which Jinja's bytecode cache does not check. `compiled_dir` keeps
    compiled templates between builds (`_CompiledTemplates`)."""
    return _SetGlobalsEnvironment(
        loader=jinja2.FileSystemLoader(template_dirs(config)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # a build's templates are those it hashed: no stat per render
        bytecode_cache=_CompiledTemplates(compiled_dir),
    )


# The templates a Theme renders as it is made (its chrome: `_render_chrome`, `_asset_rules`):
# compiled first, so that a process compiling them aside has them ready when the build's
# own process makes its theme, instead of the build compiling them too.
CHROME_TEMPLATES = ("partials/header.html", "partials/footer.html", "partials/sidebar.html")


def compile_templates(env: jinja2.Environment) -> None:
    """Compile every template of the theme now (into the bytecode cache, when `env` has one),
    the chrome's first; a template that does not compile is left for the render that uses
    it to report."""
    names = env.list_templates(extensions=("html",))
    first = [name for name in CHROME_TEMPLATES if name in names]
    for name in first + [name for name in names if name not in first]:
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)


def site_date_text(date_format: tuple[str, str], value: dt.date | str) -> str:
    """A date as readers of this site read it (`Theme.date_format`: `locale.dateFormat`, else
    the locale's `Default_DateFormat` label, with month and day names in the site's language)."""
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return format_date(day, *date_format)


@dataclass
class IconMarks:
    """The templates' `icon` and `badge`, which note the icons a page's templates ask for
    (for the build's icons.css) while `asked` is a set."""

    icons: IconSet
    asked: set[str] | None = None

    def icon_html(self, value: str, css_class: str = "icon") -> Markup:
        icon = self.icons.resolve(value) if value else None
        if icon is None:
            return Markup("")
        if self.asked is not None:
            self.asked.add(value)
        return Markup(icon_markup(icon, str(escape(css_class)), ROOT_MARK))

    def badge_html(self, badge: Badge | None, href: str = "") -> Markup:
        icon = self.icon_html(badge.icon, "icon badge-icon") if badge and badge.icon else Markup("")
        return badge_html(badge, icon, href)


@dataclass(frozen=True)
class ThemedPage:
    """A whole page's HTML, and the icons its templates showed."""

    html: str
    icons: frozenset[str]  # icons the templates showed (a sidebar's, once per build)


class Theme:
    """The site's look, complete once made: templates, icons, labels and each folder's
    sidebar, which render every page."""

    def __init__(
        self,
        config: SiteConfig,
        nav: NavTree,
        icons: IconSet,
        header_links: list[HeaderLink],
        footer_links: list[HeaderLink],
        site_html: SiteHtml | None = None,
        last_updated: dict[str, str] | None = None,
        last_updated_by: dict[str, str] | None = None,
        compiled_dir: Path | None = None,
        blog: Blog | None = None,
        hub_link: str = "",
        actions: ActionSet | None = None,
        action_menu: tuple[HeaderLink, ...] | None = None,
    ):
        """`site_html`: the site-wide includes (_includes/head.html...); `last_updated`: each
        page's last commit date by source path (docsite.gitdates), `last_updated_by` the name
        of who made it (each empty when the config's `last_updated` says so); `compiled_dir` keeps
        compiled templates between builds (Jinja's bytecode cache), and the code's stylesheet
        (`highlight_css`); `blog`: the posts of the blog/ folder, when it has any; `hub_link`
        the hub's address, resolved."""
        self.config = config
        self.hub_link = hub_link
        self.actions = actions if actions is not None else ActionSet({}, {})
        # The page action menu, checked (docsite.build.prepare.action_menu); as configured
        # when the theme is made without a build.
        self.action_menu = action_menu if action_menu is not None else config.actions.items
        links = [*header_links, *footer_links]
        self._chrome_action_names = sorted(
            {
                item.action
                for link in links
                for item in (link, *link.items)
                if item.action in self.actions
            }
        )
        self.blog = blog
        self.feed = feed_link(blog, config) if blog is not None else None
        self.header_links = header_links
        self.footer_links = footer_links
        self.nav = nav
        self.icons = icons
        self.env = template_environment(config, compiled_dir)
        self._compiled_dir = compiled_dir
        # The interface's words in the site's locale (Retype's labels): `labels.Text_Dark`.
        self.labels = labels_for(config.locale, config.labels)
        # The environment's globals hold nothing that holds the theme: Jinja's environment
        # and its templates refer to each other, so whatever the globals hold is freed only
        # by the cycle collector, and the theme holds the whole site (watch mode replaces it).
        self._marks = IconMarks(icons)
        self.env.globals.update(
            icon=self._marks.icon_html,
            badge=self._marks.badge_html,
            tag_url=tag_url,
            # A generated page's folder URL as links write it (`generator.trailingSlash`...).
            link_form=self.config.urls.link_form,
            labels=self.labels,
            fill_label=fill_label,
            date_text=functools.partial(site_date_text, self.date_format()),
            # Every page's <link rel="alternate"> to the blog's feed, when there is a blog.
            blog_feed=self.feed,
            # Where the page's own stylesheets, script and icons go (docsite.pageassets).
            page_assets=Markup(ASSETS_MARK),
        )
        self.last_updated = last_updated if last_updated is not None else {}
        self.last_updated_by = last_updated_by if last_updated_by is not None else {}
        self.site_html = site_html
        self._sidebars: dict[str, PagePart] = {}
        self._sidebar_keys: dict[str, str] = {}
        self._sidebar_sizes = SidebarSizes(nav)
        self._shared_scripts: dict[str, tuple[str, str]] = {}
        self._expanded: str | None = None
        self._chrome = self._render_chrome()
        self.asset_rules = self._asset_rules()

    def date_format(self) -> tuple[str, str]:
        """The site's date pattern and the language of its month and day names."""
        return self.config.date_format or self.labels["Default_DateFormat"], self.config.language

    def _render_chrome(self) -> dict[str, str]:
        """Header and footer, the same on every page but for the root marker."""
        footer_md = MarkdownIt("commonmark", {"html": False})
        footer_md.validateLink = is_safe_link  # type: ignore[method-assign]
        footer = Markup(footer_md.renderInline(self.config.footer)) if self.config.footer else ""
        values = {
            "site": self.config,
            "links": self.header_links,
            "footer_links": self.footer_links,
            "hub_href": self.hub_link,
            "root": Markup(ROOT_MARK),
            "footer_html": footer,
        }
        return {
            "header": self.env.get_template("partials/header.html").render(values),
            "footer": self.env.get_template("partials/footer.html").render(values),
        }

    def highlight_css(self) -> str:
        """The code's stylesheet (`pygments_css`), kept with the compiled templates."""
        from docsite.markdown.code import pygments_css

        return pygments_css(self._compiled_dir)

    def _asset_rules(self) -> AssetRules:
        """What decides each page's own assets: the selectors of the stylesheets a page links
        where it uses them (the components', the code's, the blog's), and the icons every page
        shows (header, footer, the sidebar's top), which icons.css holds."""
        texts = {path: "" for path in OWN_STYLESHEETS}
        for folder in static_dirs(self.config):  # the site's own file wins
            for path in (COMPONENTS_CSS, BLOG_CSS):
                if (folder / path).is_file():
                    texts[path] = (folder / path).read_text(encoding="utf-8")
        texts[HIGHLIGHT_CSS] = self.highlight_css()
        chrome = self._chrome["header"] + self._chrome["footer"] + self._sidebar_part("").html
        stylesheets = tuple(texts[path] for path in OWN_STYLESHEETS)
        indexes, key = _stylesheet_needs(stylesheets, self._compiled_dir)
        shared = frozenset(page_icons(page_classes(chrome)))
        return AssetRules(indexes, shared, key)

    def _finished(
        self,
        html: str,
        root: str,
        asked: frozenset[str] = frozenset(),
        sidebar: PagePart | None = None,
    ) -> str:
        """The page with its own assets in its head, its sidebar where SIDEBAR_MARK holds
        its place, and its links made from `root`."""
        shown = {self.icons.resolve(value) for value in asked}
        names = frozenset(icon.name for icon in shown if icon is not None)
        parts = (sidebar,) if sidebar is not None and SIDEBAR_MARK in html else ()
        assets = self.asset_rules.markup(html, self.icons, ROOT_MARK, names, parts)
        if ASSETS_MARK not in html:  # a site's own base.html from before page_assets
            html = html.replace("</head>", ASSETS_MARK + "\n</head>", 1)
        html = html.replace(ASSETS_MARK, assets, 1)
        for part in parts:
            html = html.replace(SIDEBAR_MARK, part.html)
        return html.replace(ROOT_MARK, root)

    def _last_updated(self, page: Page) -> dict[str, str]:
        """The page's "Last updated" date and name: those of its frontmatter when it sets
        either (never mixed with git's, as in Retype), else its last commit's date."""
        settings = page.settings
        if settings.last_updated is not None or settings.last_updated_by:
            date = settings.last_updated.isoformat() if settings.last_updated else ""
            return {"last_updated": date, "last_updated_by": settings.last_updated_by}
        rel = page.source.rel
        return {
            "last_updated": self.last_updated.get(rel, ""),
            "last_updated_by": self.last_updated_by.get(rel, ""),
        }

    def page_context_key(self, page: Page) -> str:
        """A hash of everything around a page's body: its sidebar, neighbours, breadcrumbs."""
        item = self.nav.item_for(page)
        before, after = self.nav.neighbours(page)
        sidebar = self._sidebar_key(page.folder) if has_sidebar(page.settings.layout) else ""
        return digest(
            self.blog.page_key(page) if self.blog is not None else "",
            sidebar,
            item.url if item is not None else None,
            [(n.label, n.url) if n is not None else None for n in (before, after)],
            self._breadcrumbs(page, item),
            self.last_updated.get(page.source.rel, ""),
            self.last_updated_by.get(page.source.rel, ""),
            self._home_crumb(page),
        )

    def _sidebar_key(self, folder_rel: str) -> str:
        key = self._sidebar_keys.get(folder_rel)
        if key is None:
            lists = [_children_digest(self.nav.root)]
            for rel in sorted(_ancestor_folders(folder_rel)):
                folder = self.nav.by_folder.get(rel)
                if folder is not None:
                    lists.append(_children_digest(folder))
            key = digest(lists, self._expanded_key(), self.nav.tags)
            self._sidebar_keys[folder_rel] = key
        return key

    def _expanded_key(self) -> str:
        """The items of every folder open on every page's sidebar: the expanded ones, and
        the stacked ones (nav.mode `stack`), whose pages each sidebar lists too."""
        if self._expanded is None:
            self._expanded = digest(
                [
                    _children_digest(item)
                    for item in self.nav.by_folder.values()
                    if item.expanded or item.stacked
                ]
            )
        return self._expanded

    def sidebar(self, page: Page, held: bool = False) -> PagePart:
        """The bounded sidebar for a page: top level, its branch, its ancestors' siblings;
        its classes are its folder's sidebar's (the page's own link, marked current, gets an
        attribute and no class). A long one is the tag of its script (`shared_sidebars`),
        unless the page is to hold it anyway (`held`)."""
        cached = self._sidebar_part(page.folder)
        item = self.nav.item_for(page)
        if not held and self._is_shared(page.folder):
            return self._shared_part(page.folder, item.url if item is not None else None)
        if item is None or item.url is None:
            return cached
        mark = f'<a href="{ROOT_MARK}{escape(item.url)}" class="nav-link"'
        shown = cached.html.replace(mark, mark[:2] + ' aria-current="page"' + mark[2:], 1)
        return PagePart(shown, cached.classes)

    def _is_shared(self, folder: str) -> bool:
        """Whether the sidebar of this folder's pages is long enough to be written once."""
        return is_shared(self._sidebar_sizes.size(folder))

    def _shared_part(self, folder: str, current: str | None) -> PagePart:
        """A page's shared sidebar: its script's tag, then the sidebar's top level for
        readers without JavaScript (unless that is long too); the classes of both."""
        path, _ = self._shared_script(folder)
        top = self._sidebar_part("") if not self._is_shared("") else PagePart("", frozenset())
        tag = script_tag(ROOT_MARK, path, current, top.html)
        sidebar = self._sidebar_part(folder)
        return PagePart(tag, sidebar.classes | top.classes, sidebar.html + top.html)

    def _shared_script(self, folder: str) -> tuple[str, str]:
        found = self._shared_scripts.get(folder)
        if found is None:
            pages = f"the pages of {folder}/" if folder else "the top-level pages"
            html = self._sidebar_part(folder).html
            found = self._shared_scripts[folder] = sidebar_script(html, ROOT_MARK, pages)
        return found

    def shared_sidebars(self, folders: Iterable[str]) -> dict[str, str]:
        """The scripts of the shared sidebars of these folders' pages, by site path: a build
        writes them for every page with a sidebar (generated pages show the top level's)."""
        return dict(self._shared_script(f) for f in sorted(set(folders)) if self._is_shared(f))

    def _sidebar_part(self, folder: str) -> PagePart:
        """The sidebar of the pages of a folder, rendered once, with its classes."""
        cached = self._sidebars.get(folder)
        if cached is None:
            open_folders = _ancestor_folders(folder)
            template = self.env.get_template("partials/sidebar.html")
            html = template.render(
                steps=sidebar_steps(self.nav.root.children, open_folders),
                # The tree itself too, for sites whose own sidebar.html walks it.
                items=self.nav.root.children,
                open_folders=open_folders,
                nav_tags=self.nav.tags,
                site=self.config,
                root=Markup(ROOT_MARK),
            )
            cached = self._sidebars[folder] = PagePart(html, frozenset(page_classes(html)))
        return cached

    def warm(self, pages: Iterable[Page]) -> None:
        """Compile the theme's templates and render the sidebars of these pages' folders
        now, in this process: render workers forked afterwards inherit them, where each
        would otherwise do the same work again (about 0.1 s a worker). A template that does
        not compile is left for the render that uses it to report."""
        compile_templates(self.env)
        for folder in sorted({page.folder for page in pages if has_sidebar(page.settings.layout)}):
            with contextlib.suppress(jinja2.TemplateError):
                self._sidebar_part(folder)

    def render_page(
        self,
        page: Page,
        rendered: Rendered,
        image: str = "",
        backlinks: tuple[Backlink, ...] = (),
    ) -> ThemedPage:
        """The page's whole HTML and the icons its chrome shows. `image` is the page's social
        image as a link from the page (or a full URL); `backlinks` the pages linking to it."""
        self._marks.asked = asked = set()
        try:
            html = self._page_html(page, rendered, image, backlinks)
        finally:
            self._marks.asked = None
        for value in rendered.icons:  # a body reused from the cache was resolved elsewhere
            self.icons.resolve(value)
        sidebar = self.sidebar(page) if has_sidebar(page.settings.layout) else None
        html = self._finished(html, root_prefix(page.url), frozenset(asked), sidebar)
        return ThemedPage(html, frozenset(asked))

    def _page_html(
        self, page: Page, rendered: Rendered, image: str, backlinks: tuple[Backlink, ...]
    ) -> str:
        root = root_prefix(page.url)
        item = self.nav.item_for(page)
        before, after = self.nav.neighbours(page)
        layout = page.settings.layout
        content, see_also = self._backlinks_placed(page, rendered, backlinks)
        blog_values = self._blog_values(page)
        if blog_values["post"] is not None:  # its byline goes under its title
            blog_values["post_title"], content = _leading_h1(content)
        levels = page.settings.toc_levels or self.config.toc_levels
        pager = page.source.rel not in self.nav.pagerless
        template = self.env.get_template("page.html")
        html = template.render(
            site=self.config,
            page=page,
            settings=page.settings,
            layout=layout,
            content=content,
            backlinks=see_also,
            has_h1=rendered.has_h1,
            toc=[e for e in rendered.toc if e.level in levels],
            toc_label=page.settings.toc_label or self.config.toc_label,
            header=Markup(self._chrome["header"]),
            footer=Markup(self._chrome["footer"]),
            sidebar=Markup(SIDEBAR_MARK) if has_sidebar(layout) else Markup(""),
            breadcrumbs=self._breadcrumbs(page, item),
            home_crumb=self._home_crumb(page),
            breadcrumb_separator=self._shortcodes(self.config.breadcrumb_separator),
            **self._action_menu(page),
            chrome_actions=self._chrome_actions(page),
            show_breadcrumbs=(
                self.config.breadcrumb
                if page.settings.breadcrumb is None
                else page.settings.breadcrumb
            ),
            prev_page=self._link(page, before) if pager else None,
            next_page=self._link(page, after) if pager else None,
            edit_url=self._edit_url(page),
            markdown_copy=root + page.markdown_path,
            **self._last_updated(page),
            image_url=self._image_url(page, image),
            includes=self._includes(page),
            mermaid_script=self._mermaid_script() if rendered.mermaid else "",
            root=Markup(ROOT_MARK),
            **blog_values,
        )
        return html

    def _blog_values(self, page: Page) -> dict:
        """A post's header and its Newer and Older links; the blog's first listing on its
        folder's page."""
        blog = self.blog
        entry = blog.entry(page) if blog is not None else None
        values: dict = {
            "post": None,
            "post_title": Markup(""),
            "newer_post": None,
            "older_post": None,
            "listing": None,
        }
        if blog is None:
            return values
        if entry is not None:
            values["post"] = self.post_view(entry, page.url, reading_minutes(page))
            newer, older = blog.neighbours(page)
            for key, other in (("newer_post", newer), ("older_post", older)):
                if other is not None:
                    values[key] = PageLink(other.title, relative_href(page.url, other.url))
        elif blog.is_index(page):
            values["listing"] = self.listing(1, page.url)
        return values

    def post_view(self, entry: PostEntry, from_url: str, minutes: int = 0) -> PostView:
        """A post as a page at `from_url` shows it."""
        date = entry.date
        return PostView(
            entry.title,
            relative_href(from_url, entry.url),
            date.isoformat() if date else "",
            site_date_text(self.date_format(), date) if date else "",
            tuple(self._author(author, entry, from_url) for author in entry.authors),
            tuple(
                PageLink(
                    name, relative_href(from_url, self.config.urls.link_form(category_url(name)))
                )
                for name in entry.categories
            ),
            entry.summary,
            minutes,
        )

    def _author(self, author: Author, entry: PostEntry, from_url: str) -> AuthorView:
        """Its picture: `avatar` (a URL, a path from the post's folder or, with a leading
        '/', from the site root, an `:icon-name:` or `:emoji:` shortcode, or an inline SVG),
        else Gravatar's for its email when enabled."""
        avatar = author.avatar.strip()
        shortcode = _SHORTCODE.fullmatch(avatar)
        if shortcode is not None or is_inline_svg(avatar):
            code = shortcode.group(1) if shortcode is not None else ""
            picture = self._marks.icon_html(code[5:] if code.startswith("icon-") else avatar)
            return AuthorView(author.name, author.link, "", author.name[:1].upper(), picture)
        if avatar and "://" not in avatar and not avatar.startswith("data:"):
            folder = posixpath.dirname(entry.rel)
            path = avatar.lstrip("/") if avatar.startswith("/") else posixpath.join(folder, avatar)
            avatar = relative_href(from_url, self.site_file(posixpath.normpath(path)))
        gravatar = self.config.integrations.gravatar
        if not avatar and author.email and gravatar.enabled:
            avatar = gravatar_url(author.email, gravatar)
        return AuthorView(author.name, author.link, avatar, author.name[:1].upper())

    def site_file(self, path: str) -> str:
        """Where a file a setting names is published: a file of the content folder in lower
        case when files are recased, one of static/ as named."""
        found = self.icons.image_file(path)
        return self.config.urls.file_path(found) if found is not None else path

    def listing(self, number: int, from_url: str) -> Listing:
        """Summary page `number` (from 1) of the blog, as seen from `from_url`."""
        assert self.blog is not None
        pages = self.blog.summary_pages()
        posts = tuple(self.post_view(entry, from_url) for entry in pages[number - 1])

        def href(other: int) -> str:
            if not 1 <= other <= len(pages):
                return ""
            url = self.blog.summary_url(other)  # type: ignore[union-attr]
            return relative_href(from_url, self.config.urls.link_form(url))

        return Listing(posts, href(number - 1), href(number + 1), number, len(pages))

    def _backlinks_placed(
        self, page: Page, rendered: Rendered, backlinks: tuple[Backlink, ...]
    ) -> tuple[Markup, Markup]:
        """The body with the backlinks where `[!backlinks]` put them, and the list for the
        end of the page when it did not (empty when no page links here)."""
        see_also = Markup("")
        if backlinks:
            see_also = Markup(
                self.env.get_template("partials/backlinks.html").render(
                    title=backlinks_title(page, self.config.backlinks, rendered.backlinks_title),
                    links=[PageLink(b.title, relative_href(page.url, b.url)) for b in backlinks],
                )
            )
        if not rendered.backlinks_placed:
            return Markup(rendered.html), see_also
        return Markup(rendered.html.replace(BACKLINKS_MARKER, see_also, 1)), Markup("")

    def _mermaid_script(self) -> Markup:
        """Mermaid's URL: as configured when it is one, else a path from the site root."""
        script = self.config.mermaid_script
        if "://" in script or script.startswith("//"):
            return escape(script)
        return Markup(ROOT_MARK) + escape(script.lstrip("/"))

    def _includes(self, page: Page) -> dict[str, Markup]:
        """The site-wide HTML includes for this page, by file name ('head.html')."""
        found = self.site_html.for_page(page) if self.site_html is not None else {}
        return {name: Markup(found.get(name, "")) for name in SITE_HTML}

    def render_extra(self, template: str, page: Page, root: str | None = None, **values) -> str:
        """A generated page (tag list, 404) in the site layout, with the root sidebar.
        `root` replaces the page's relative path to the site root (404.html needs its own:
        served at any address, it holds its sidebar, long or not, since the address of a
        shared sidebar's script may not resolve there)."""
        html = self.env.get_template(template).render(
            site=self.config,
            page=page,
            layout="default",
            header=Markup(self._chrome["header"]),
            footer=Markup(self._chrome["footer"]),
            sidebar=Markup(SIDEBAR_MARK),
            includes=self._includes(page),
            root=Markup(ROOT_MARK),
            chrome_actions=self._chrome_actions(page),
            **values,
        )
        sidebar = self.sidebar(page, held=root is not None)
        root = root_prefix(page.url) if root is None else root
        return self._finished(html, root, sidebar=sidebar)

    def _image_url(self, page: Page, image: str) -> str:
        """The page's social image (a link from the page), else the site's default; "" when
        it cannot be absolute (no `url`), since Open Graph readers need a whole address."""
        if not image and self.config.image:
            image = relative_href(page.url, self.config.image)
        absolute = urllib.parse.urljoin(self.config.url + page.url, image) if image else ""
        return absolute if "://" in absolute else ""

    def render_redirect(self, page: Page, target: str) -> str:
        template = self.env.get_template("redirect.html")
        return template.render(site=self.config, page=page, target=target)

    def _link(self, page: Page, item: NavItem | None) -> PageLink | None:
        if item is None or item.url is None:
            return None
        return PageLink(item.label, relative_href(page.url, item.url))

    def _breadcrumbs(self, page: Page, item: NavItem | None) -> list[Crumb]:
        if item is not None:
            chain = item.ancestors()
        else:
            folder = self.nav.folder_item(page.folder)
            chain = [*folder.ancestors(), folder] if folder and folder.key != "folder:" else []
        return [
            Crumb(node.label, relative_href(page.url, node.page.url) if node.page else None)
            for node in chain
        ]

    def _home_crumb(self, page: Page) -> tuple[Markup, str, str] | None:
        """The first crumb of `breadcrumb.home`: its label (text, an icon or an emoji), a
        link to the home page and the home page's label, which names an icon-only crumb;
        None when there is no home item or no home page."""
        home = self.config.breadcrumb_home
        item = next((i for i in self.nav.root.children if i.page and i.page.url == ""), None)
        if home is False or item is None or item.page is None or page.url == "":
            return None
        label = escape(item.label) if home is True else self._shortcodes(str(home))
        return label, relative_href(page.url, ""), item.label

    def _shortcodes(self, text: str) -> Markup:
        """A config text with Retype's `:icon-name:` and `:emoji:` shortcodes shown."""
        parts = []
        for index, piece in enumerate(_SHORTCODE.split(text)):
            if index % 2 == 0:
                parts.append(escape(piece))
            elif piece.startswith("icon-") and self.icons.resolve(piece[5:]) is not None:
                parts.append(self._marks.icon_html(piece[5:]))
            else:
                parts.append(escape(shortcode_emoji(piece) or f":{piece}:"))
        return Markup("").join(parts)

    def _chrome_actions(self, page: Page) -> Markup:
        """The project's actions the header and footer links run, resolved for the page, as
        JSON for components.js: the header and footer are the same on every page."""
        found: dict[str, dict] = {}
        for name in self._chrome_action_names:
            resolved = self.actions.for_page(name, page)
            link = resolved.link if is_safe_link(resolved.link) else ""
            found[name] = {"steps": resolved.steps} if resolved.in_browser else {"link": link}
        if not found:
            return Markup("")
        return Markup(json.dumps(found, default=str).replace("</", "<\\/"))

    def _action_menu(self, page: Page) -> dict[str, Any]:
        """The page action menu's items (`actions`), none when it is turned off. A custom
        action that gives a link becomes that link; one that runs in the browser keeps its
        name, and its steps go with it as JSON (`action_steps`)."""
        if not self.config.actions.enabled:
            return {"page_actions": (), "action_steps": {}}
        items = []
        steps: dict[str, str] = {}
        for item in self.action_menu:
            if item.action in self.actions:
                resolved = self.actions.for_page(item.action, page)
                if resolved.in_browser:
                    steps[item.action] = json.dumps(resolved.steps, default=str)
                else:
                    link = resolved.link if is_safe_link(resolved.link) else ""
                    item = replace(item, link=link, action="")
            items.append(item)
        return {"page_actions": tuple(items), "action_steps": steps}

    def _edit_url(self, page: Page) -> str:
        """The page's file in the repository: `repo`, its `view` (the editor, or the file's
        page), the branch and the path; a `repo` that names a view itself (`.../edit/`, as
        Retype documents) is used as it is."""
        edit = self.config.edit
        if not edit.repo or page.withheld:  # the source would show what the page holds back
            return ""
        path = posixpath.join(edit.path, page.source.rel) if edit.path else page.source.rel
        view = "" if edit.repo.rsplit("/", 1)[-1] in ("edit", "blob", "tree") else "/" + edit.view
        return f"{edit.repo}{view}/{edit.branch}/{path}"


_PLACEHOLDER = re.compile(r"\{(\d+)\}")
_SHORTCODE = re.compile(r":([a-z0-9_+-]+):")


@functools.lru_cache(maxsize=4)  # watch mode makes a theme at every change
def _stylesheet_needs(
    texts: tuple[str, ...], kept_in: Path | None = None
) -> tuple[tuple[NeedIndex, ...], str]:
    """What each stylesheet's selectors need of a page, indexed; and a key of them all,
    made of what the selectors need, not of the whole text: a changed colour in
    components.css renders no page again. Kept in the folder `kept_in` (the cache's
    compiled templates) under a name made of the texts and docsite's code: worked out
    once for a site's stylesheets (5 ms), not by every build; those of the stylesheets
    before a change go."""
    path = None
    if kept_in is not None:
        path = kept_in / f"selectors-{digest(engine_digest(), *texts)[:16]}.pickle"
    worked_out = functools.partial(_worked_out_needs, texts)
    pickled = functools.partial(pickle.dumps, protocol=pickle.HIGHEST_PROTOCOL)
    return made_once(path, worked_out, pickled, pickle.loads, replaces="selectors-*.pickle")


def _worked_out_needs(texts: tuple[str, ...]) -> tuple[tuple[NeedIndex, ...], str]:
    needs = [selector_needs(text) for text in texts]
    key = digest([sorted(sorted(need) for need in set(group)) for group in needs])
    return tuple(NeedIndex.of(split_needs(group)) for group in needs), key


def fill_label(label: str, *parts: str) -> Markup:
    """A label with `{0}`, `{1}`... replaced by `parts` (escaped unless Markup already). An
    empty part takes a space beside it along, so "Last updated {0} by {1}" without a date
    reads "Last updated by Ada"."""
    pieces: list[str] = []
    for index, piece in enumerate(_PLACEHOLDER.split(label)):
        if index % 2 == 0:
            pieces.append(str(escape(piece)))
        else:
            number = int(piece)
            pieces.append(str(escape(parts[number])) if number < len(parts) else "")
    return Markup(re.sub(r" {2,}", " ", "".join(pieces)).strip())


def _leading_h1(content: Markup) -> tuple[Markup, Markup]:
    """A body's first heading, when the body starts with it, and the rest."""
    if not content.lstrip().startswith("<h1"):
        return Markup(""), content
    heading, end, rest = content.partition("</h1>")
    return Markup(heading + end), Markup(rest)


def has_sidebar(layout: str) -> bool:
    """Retype's `central` and `blog` layouts have no sidebar and no table of contents."""
    return layout not in ("central", "blog")


_NO_ICON = Markup("")


def badge_html(badge: Badge | None, icon: Markup = _NO_ICON, href: str = "") -> Markup:
    """A sidebar badge with the [!badge] component's classes; a link when `href` is given
    (placed beside the item's link, as a link may not hold another)."""
    if badge is None:
        return Markup("")
    names = ["badge", f"badge-{badge.variant}"]
    names += [f"badge-{look}" for look in (badge.corners, badge.size) if look]
    if icon and not badge.text:
        names.append("badge-icon-only")
    text = Markup("<span>{}</span>").format(badge.text) if icon and badge.text else badge.text
    inner = (
        Markup("{}{}").format(text, icon) if badge.icon_right else Markup("{}{}").format(icon, text)
    )
    if not href:
        return Markup('<span class="{}">{}</span>').format(" ".join(names), inner)
    target = Markup(' target="{}"').format(badge.target) if badge.target else ""
    rel = Markup(' rel="noopener"') if badge.target == "_blank" else ""
    return Markup('<a class="{}" href="{}"{}{}>{}</a>').format(
        " ".join(names), href, target, rel, inner
    )


def _children_digest(item: NavItem) -> str:
    return digest(
        [
            (
                c.key,
                c.label,
                c.url,
                c.icon,
                c.badge,
                c.is_folder,
                c.expanded,
                c.page is not None,
                c.target,
                c.badge_href,
                c.stacked,
            )
            for c in item.children
        ]
    )


def _ancestor_folders(folder_rel: str) -> frozenset[str]:
    open_folders = set()
    while folder_rel:
        open_folders.add(folder_rel)
        folder_rel = posixpath.dirname(folder_rel)
    return frozenset(open_folders)
