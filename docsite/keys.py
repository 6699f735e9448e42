"""What invalidates what: the one place that decides when a cached result may be reused.

Every file a site is made of is an input with a name (`InputName`: its kind and its path), and
the build records each input's content hash under that name. From those hashes and the loaded
site come the reuse keys, widest first:

- `SiteInputs` -> site key: everything pages show besides their own file and links. While it
  is unchanged, a page whose file and dependencies are unchanged is reused without working out
  its own keys (the fast path of a rebuild).
- `ThemeInputs` -> theme key: what every page's chrome is made of (config, templates, header
  links, site-wide includes). A change re-renders every page, reusing their parsed Markdown.
- `MarkdownInputs` -> Markdown key: what a page's parsed body depends on. A change parses it
  again. What every page's body depends on alike (`MarkdownSiteInputs`: the config's Markdown
  and URL settings, the site-wide includes, the assets) is hashed once a build and enters it
  as a key.
- `PageInputs` -> page key: everything one page's HTML shows but its links' targets, which are
  known only once the body is parsed; they are its dependencies (`snapshot`), and the page key
  is the hash of both.
- `search_key`: the search index, named by its settings and each page's indexed part.
- `live_markdown_key`: watch mode's parse of a body edited in place.
- `load_key` and `load_facts`: the site as the last full load made it (its pages read, their
  URLs given, the sidebar built), which a rebuild takes while the key holds and every page
  changed since has the same facts, its body aside (docsite.build.lastsite).

A key is the hash of every field of its inputs, so a field added to an inputs class is part of
the key at once: adding a page input is one field here and one value where it is filled in.
tests/test_keys.py fails if a field of a page can change without its keys changing."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NewType, Protocol

from docsite.blog import summary_facts
from docsite.cache import CACHE_VERSION, CacheState, FileEntry, digest, engine_digest
from docsite.config import ChecksConfig, HeaderLink, OutboundConfig, SiteConfig
from docsite.frontmatter import PageSettings
from docsite.labels import markdown_words
from docsite.pages import Page, SiteContent, section_label
from docsite.projectfiles import MISSING
from docsite.sources import SETTINGS_SUFFIXES, Discovery
from docsite.urls import UrlStyle

if TYPE_CHECKING:
    from docsite.theme import Theme


class InputKind(StrEnum):
    """Where an input file comes from; the prefix of its name."""

    CONTENT = "content"  # a file of the content folder: a page, folder settings, an asset
    TEMPLATE = "templates"  # a template of the site's templates/ or of the default theme
    STATIC = "static"  # a file of the site's static/ or of the default theme's
    PROJECT = "project"  # a file pages read besides their own: includes, code snippets
    ICON = "icons"  # an SVG of a custom icon pack, _components/icon/<pack>/<name>.svg
    ACTION = "actions"  # a custom action's definition, _components/actions/<name>.yml


# An input's name: "<kind>:<path>", plus "@<folder>" for the theme's folders.
InputName = NewType("InputName", str)

# The hash of an input that could not be read (an error already says so).
UNREADABLE = "unreadable"
# The hash of an input that the build read with other contents than it hashed: the file
# was saved while the build ran. No file has this hash, nor its signature, so the next
# build hashes the file again and takes nothing made from it as made from what is there.
READ_OTHERWISE = "read otherwise"


def input_name(kind: InputKind, rel: str, folder: Path | None = None) -> InputName:
    """The name an input file is recorded under; `folder` tells a site's file from the
    theme's of the same path."""
    return InputName(f"{kind}:{rel}@{folder}" if folder is not None else f"{kind}:{rel}")


def inputs_from(names: Iterable[str], kind: InputKind, folder: Path) -> set[str]:
    """The paths of the inputs of `kind` from `folder` among `names` (as `input_name` names
    them): one pass, where asking for each path would spell thousands of names."""
    prefix, suffix = f"{kind}:", f"@{folder}"
    return {
        name[len(prefix) : -len(suffix)]
        for name in names
        if name.startswith(prefix) and name.endswith(suffix)
    }


def content_input(rel: str) -> InputName:
    return InputName("content:" + rel)


def project_input(rel: str) -> InputName:
    return InputName("project:" + rel)


def kind_of(name: str) -> InputKind:
    return InputKind(name.partition(":")[0])


def content_rel(name: str) -> str | None:
    """The content path of a content file's input name; None for other inputs."""
    return name.removeprefix("content:") if name.startswith("content:") else None


def project_rel(name: str) -> str | None:
    """The project-relative path of a project file's input name; None for other inputs."""
    return name.removeprefix("project:") if name.startswith("project:") else None


def settle_read(files: dict[str, FileEntry], name: str, read_hash: str) -> bool:
    """The build made something from the input `name` as it read it (`read_hash`). When
    that is not what the input's entry says, the file changed between its hashing and this
    read (or between two reads), and the entry would vouch for output made from another
    version: it becomes READ_OTHERWISE, which no version of the file matches. Whether it did."""
    entry = files.get(name)
    if entry is None or entry[0] == read_hash or entry[0] == UNREADABLE:
        return False
    files[name] = (READ_OTHERWISE, (-1, -1, -1, -1))
    return True


InputsByKind = dict[str, list[tuple[str, str]]]


def inputs_by_kind(files: dict[str, FileEntry]) -> InputsByKind:
    """(name, content hash) of every input but the content folder's, sorted, by kind: one
    pass over the inputs (thousands of pages' files among them) for the kinds keys read."""
    grouped: InputsByKind = {}
    content = InputKind.CONTENT + ":"
    for name, entry in files.items():
        if not name.startswith(content):
            grouped.setdefault(name.partition(":")[0], []).append((name, entry[0]))
    for items in grouped.values():
        items.sort()
    return grouped


def inputs_of(grouped: InputsByKind, kind: InputKind) -> list[tuple[str, str]]:
    """(name, content hash) of every input of a kind but the content folder's, sorted."""
    return grouped.get(kind, [])


# ---- A page's dependencies: pages it links to, and files it read -------------------------

# A dependency is a linked page's source path, "file:" and the path of a file it read,
# "read:" and a value its templating read: a `content` query, or "time" (`date.now`), or
# "publish:" and a left-out file it links to, published because it does; "summary:" and a
# page whose summary (text, image, date) a card shows.
_FILE_DEPENDENCY = "file:"
_READ_DEPENDENCY = "read:"
_PUBLISH_DEPENDENCY = "publish:"
_SUMMARY_DEPENDENCY = "summary:"
# "resolve:" and a link's target that no page's file is (an address, a tag's page, a page
# not written yet): what the link finds there now (`markdown.link_resolution`).
_RESOLVE_DEPENDENCY = "resolve:"
# What a link's target resolves to now (`markdown.link_resolution`), from the build.
LinkResolution = Callable[[SiteContent, str], tuple]
# What a read value is now, by name ("time", "blog.posts"...): from the build's templating.
CurrentReads = Callable[[str], str]


def file_dependency(rel: str) -> str:
    return _FILE_DEPENDENCY + rel


def dependency_file(key: str) -> str | None:
    """The project-relative path of a file dependency; None for a linked page."""
    return key.removeprefix(_FILE_DEPENDENCY) if key.startswith(_FILE_DEPENDENCY) else None


def published_file(key: str) -> str | None:
    """The content path of a left-out file a page links to (site.linkable); None else."""
    return key.removeprefix(_PUBLISH_DEPENDENCY) if key.startswith(_PUBLISH_DEPENDENCY) else None


def resolved_target(key: str) -> str | None:
    """The content path of a link's target that no page's file is (a file left out of the
    site, perhaps, or not there yet); None for other dependencies."""
    if not key.startswith(_RESOLVE_DEPENDENCY):
        return None
    return key.removeprefix(_RESOLVE_DEPENDENCY).removeprefix("/")


def summarized_page(key: str) -> str | None:
    """The page whose summary a card shows (what the key of a page with the card names);
    None for other dependencies."""
    return key.removeprefix(_SUMMARY_DEPENDENCY) if key.startswith(_SUMMARY_DEPENDENCY) else None


def link_snapshot(site: SiteContent, rels: Iterable[str]) -> dict[str, tuple]:
    """What a page's links show of their targets; a change here re-renders the page."""
    return {rel: _link_facts(site, rel) for rel in sorted(rels)}


def _link_facts(site: SiteContent, rel: str) -> tuple:
    """What a link shows of its target page; () when there is no such page."""
    target = site.by_source.get(rel)
    if target is None:
        return ()
    settings = target.settings
    return (
        target.url,
        target.label,
        settings.description,
        settings.image,
        str(settings.date or ""),  # a card's footer
        settings.icon,  # a compact or snap card's icon
    )


def summary_snapshot(site: SiteContent, rel: str) -> tuple:
    """What a card shows of a page beyond its link: its summary, image and dates, and its
    kicker (its categories, else its folder's label)."""
    target = site.by_source.get(rel)
    if target is None:
        return ()
    settings = target.settings
    kicker = (*settings.categories, section_label(site, target))
    return (*summary_facts(target), str(settings.created or ""), *kicker)


def snapshot(
    site: SiteContent,
    files: dict[str, FileEntry],
    keys: Iterable[str],
    current: CurrentReads | None = None,
    resolve: LinkResolution | None = None,
) -> dict[str, tuple]:
    """A page's dependencies as they are now: linked pages, files and values it read, and
    what its links to no page's file find."""
    return DependencyValues(site, files, current, resolve).snapshot(keys)


class DependencyValues:
    """What each dependency is now (`snapshot`), worked out once per build however many
    pages depend on it: a rebuild checks every page's dependencies, and most pages share
    their links' targets with others."""

    def __init__(
        self,
        site: SiteContent,
        files: dict[str, FileEntry],
        current: CurrentReads | None = None,
        resolve: LinkResolution | None = None,
    ):
        self._site = site
        self._files = files
        self._current = current
        self._resolve = resolve
        self._known: dict[str, tuple] = {}

    def snapshot(self, keys: Iterable[str]) -> dict[str, tuple]:
        """These dependencies as they are now, sorted as a page's record keeps them."""
        return {key: self.value(key) for key in sorted(keys)}

    def unchanged(self, dependencies: dict[str, tuple]) -> bool:
        """Whether each of a page's dependencies is now what it was (its record's). A
        rebuild asks this of every page: the values known are looked up here."""
        known = self._known
        for key, then in dependencies.items():
            now = known.get(key)
            if (now if now is not None else self.value(key)) != then:
                return False
        return True

    def resolved_otherwise(
        self, dependencies: dict[str, tuple], gone: Collection[str] = frozenset()
    ) -> bool:
        """Whether a page's links may find other pages than its record says: a link to no
        page's file (an address, a page not written yet) finds something else, or a page
        it linked to is `gone` (removed or renamed since the record: a link may find that
        page's file renamed in another case). Only the links to no page's file are looked
        up: a preview asks this of every page of the site."""
        for key, then in dependencies.items():
            if key.startswith(_RESOLVE_DEPENDENCY):
                if self.value(key) != then:
                    return True
            elif key in gone:
                return True
        return False

    def value(self, key: str) -> tuple:
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = self._value(key)
        return known

    def _value(self, key: str) -> tuple:
        site = self._site
        if ":" not in key:  # a linked page's path: every other kind has a prefix with ':'
            return _link_facts(site, key)
        linked_file = published_file(key)
        if linked_file is not None:
            return () if linked_file in site.linkable else (MISSING,)
        rel = dependency_file(key)
        if rel is not None:
            return (self._files.get(project_input(rel), (MISSING,))[0],)
        if key.startswith(_SUMMARY_DEPENDENCY):
            return summary_snapshot(site, key.removeprefix(_SUMMARY_DEPENDENCY))
        if key.startswith(_READ_DEPENDENCY):
            name = key.removeprefix(_READ_DEPENDENCY)
            return (self._current(name) if self._current is not None else MISSING,)
        if key.startswith(_RESOLVE_DEPENDENCY):  # no resolver: unknown, so never the same
            target = key.removeprefix(_RESOLVE_DEPENDENCY)
            return self._resolve(site, target) if self._resolve is not None else (MISSING,)
        return _link_facts(site, key)


def dependencies_of(
    site: SiteContent,
    linked: Iterable[str],
    read: dict[str, str],
    values: dict[str, str] | None = None,
    published: Iterable[str] = (),
    summarized: Iterable[str] = (),
    resolved: dict[str, tuple] | None = None,
) -> dict[str, tuple]:
    """A freshly rendered page's dependencies: the pages it links to, the files it read,
    the values its templating read (name -> what it was), and the left-out files it links
    to (they are published while it does), the pages its cards summarize, and what its
    links to no page's file found (target -> `link_resolution`'s answer)."""
    found = {
        **{_RESOLVE_DEPENDENCY + target: value for target, value in (resolved or {}).items()},
        **{_SUMMARY_DEPENDENCY + rel: summary_snapshot(site, rel) for rel in summarized},
        **{_PUBLISH_DEPENDENCY + rel: () for rel in published},
        **link_snapshot(site, set(linked)),
        **{file_dependency(rel): (content_hash,) for rel, content_hash in read.items()},
        **{_READ_DEPENDENCY + name: (value,) for name, value in (values or {}).items()},
    }
    return dict(sorted(found.items()))


# ---- The reuse keys ------------------------------------------------------------------------


def key_of(inputs: Any) -> str:
    """The hash of every field of an inputs dataclass, and of the engine that uses it."""
    return digest(
        CACHE_VERSION,
        engine_digest(),
        type(inputs).__name__,
        *[getattr(inputs, field.name) for field in fields(inputs)],
    )


@dataclass(frozen=True)
class ThemeInputs:
    """Every page's chrome: a change re-renders every page (reusing its parsed Markdown)."""

    config: SiteConfig
    header_links: list[HeaderLink]  # resolved: a renamed page moves them
    footer_links: list[HeaderLink]
    hub_link: str  # resolved: a renamed page moves it
    templates: list[tuple[str, str]]  # every template's hash, the site's and the theme's
    site_includes: str  # the site-wide includes' key (_includes/head.html...)
    icons: str = ""  # the custom icons' key: the sidebar and header show icons
    feed: Any = None  # the blog's feed every page links to (docsite.blog.FeedLink), or None
    actions: str = ""  # the custom actions' key: the page action menu runs them
    # What the selectors of the stylesheets a page links when it uses them need
    # (docsite.pageassets): which pages link them follows.
    page_assets: str = ""


@dataclass(frozen=True)
class SiteInputs:
    """Everything pages show besides their own file and links."""

    assets: str  # which files the content folder publishes (assets_key)
    site_includes: str
    theme: str
    variables: str  # what `{{ project.* }}` and the config's data offer
    # The nav, titles, labels and settings of every page, and the folders' settings.
    pages: list[tuple[str, str | None, str]]
    folder_settings: list[tuple[str, str]]
    static: list[tuple[str, str]]  # files of static/ may take the place of generated pages
    last_updated: dict[str, str]  # each page's last commit date
    last_updated_by: dict[str, str] = field(default_factory=dict)  # and who made it
    # What the blog shows of its posts (their summaries come from bodies): its summary
    # pages, its feed and its posts' Newer and Older links.
    blog: str = ""


@dataclass(frozen=True)
class MarkdownSiteInputs:
    """What every page's parsed body depends on alike: its key is worked out once a build
    (`SharedKeys.markdown`), not again for each page."""

    assets: str
    markdown_html: bool  # the config's `markdown.html`
    site_includes: str  # top.md and bottom.md go into every page
    # The custom icons' key: an icon a page names may appear (or change) without the page.
    icons: str = ""
    code_line_numbers: tuple[str, ...] = ()  # the config's `code.line_numbers`
    hard_breaks: bool = False  # the config's `markdown.line_breaks`
    outbound: OutboundConfig = field(default_factory=OutboundConfig)  # the config's `outbound`
    templating: bool = True  # the config's `templating.enabled`
    checks: ChecksConfig = field(default_factory=ChecksConfig)  # broken links: error or warning
    words: tuple[tuple[str, str], ...] = ()  # labels.MARKDOWN_WORDS in the site's language
    date_format: tuple[str, str] = ("", "")  # a card's date: the site's pattern, language
    # The config's `urls` (Retype's `generator`): how links to pages and files are written,
    # a file's name in lower case or not (`recase`), which folder files a link may open.
    urls: UrlStyle = field(default_factory=UrlStyle)


@dataclass(frozen=True)
class MarkdownInputs:
    """What a page's parsed body depends on, besides its dependencies."""

    rel: str
    url: str  # relative links are written from it
    body: str
    body_line: int  # positions in messages
    site: str  # what every page's body depends on alike: key_of(MarkdownSiteInputs)
    # What `{{ page.label }}` and the like show, for pages that use templating; else None.
    variables: tuple[str, dict[str, Any]] | None
    actions: str = ""  # the custom actions' key: `action:<name>` links run them


@dataclass(frozen=True)
class PageInputs:
    """Everything one page's HTML shows but its links' targets."""

    markdown: str  # its Markdown key
    context: str  # its sidebar, neighbours and breadcrumbs (Theme.page_context_key)
    settings: PageSettings
    label: str
    title: str
    url: str
    theme: str
    backlinks: tuple  # the pages that link to it, as its "See also" shows them


def page_key(base_key: str, dependencies: dict[str, tuple]) -> str:
    """A page's key: its inputs' key and what its links showed of their targets."""
    return digest(base_key, dependencies)


def assets_key(site: SiteContent) -> str:
    """Which files the content folder publishes: links and images find them by path. What a
    page shows of a file's contents (a snippet, a download's size) is a file it read, which
    it depends on alone: a new screenshot re-renders no page."""
    return digest(sorted(a.rel for a in site.assets))


def site_nonce(site: SiteContent, files: dict[str, FileEntry], grouped: InputsByKind) -> str:
    """Retype's `{{ nonce }}`, for `?v=` in addresses of the site's own files: it changes
    when one of them (static/, the content folder's files) does, so browsers fetch them
    again; the same files give the same value."""
    contents = digest(sorted((a.rel, files[content_input(a.rel)][0]) for a in site.assets))
    return digest(contents, inputs_of(grouped, InputKind.STATIC))[:12]


# ---- The keys of one build's pages ------------------------------------------------------


@dataclass(frozen=True)
class SharedKeys:
    """The keys every page's keys are made from, worked out once per build."""

    site: str
    theme: str
    markdown: str  # key_of(MarkdownSiteInputs)
    # The site key without the settings and titles of the pages that are not a folder's
    # own: what a page's Markdown key may depend on besides its own file (`structure`).
    structure: str
    variables: str
    site_templated: bool  # top.md or bottom.md exist: they go into every page, with its values
    actions: str = ""  # the custom actions' key, "" when the project has none


def shared_keys(
    config: SiteConfig,
    site: SiteContent,
    theme: Theme,
    files: dict[str, FileEntry],
    site_includes: list[tuple[str, str]],
    last: CacheState | None = None,
) -> SharedKeys:
    """`files`: every input's entry by name; `site_includes`: (input name, hash) of the
    site-wide includes and the files they read; `last`: the last build's state, whose
    structure key is this one's when its site key is (it is made of part of its inputs)."""
    from docsite.markdown.templating import project_variables  # loads with the renderer

    assets = assets_key(site)
    site_html = theme.site_html
    values_read = (
        sorted((name, site_html.setup.current(name)) for name in site_html.reads)
        if site_html is not None
        else []
    )
    grouped = inputs_by_kind(files)
    nonce = site_nonce(site, files, grouped)
    if site_html is not None and any("nonce" in text for text in site_html.texts.values()):
        values_read.append(("nonce", nonce))  # the site-wide HTML shows it: every page does
    includes = digest(site_includes, values_read)
    icons = icons_key(grouped)
    theme_key = key_of(
        ThemeInputs(
            config,
            theme.header_links,
            theme.footer_links,
            theme.hub_link,
            [content_hash for _, content_hash in inputs_of(grouped, InputKind.TEMPLATE)],
            includes,
            icons,
            theme.feed,
            actions_key(grouped),
            theme.asset_rules.key,
        )
    )
    # The templating options change what templated pages (those that read variables) show;
    # the nonce only those that read it, which follow it as a value read (`snapshot`).
    variables = digest(project_variables(config), config.data, config.templating_options)
    inputs = SiteInputs(
        assets,
        includes,
        theme_key,
        variables,
        [(p.source.rel, p.yaml_text, p.h1) for p in site.pages],
        sorted(
            (name, entry[0]) for name, entry in files.items() if name.endswith(SETTINGS_SUFFIXES)
        ),
        inputs_of(grouped, InputKind.STATIC),
        theme.last_updated,
        theme.last_updated_by,
        theme.blog.digest() if theme.blog is not None else "",
    )
    site_key = key_of(inputs)
    templated = any(
        name.endswith(("/top.md", "/bottom.md")) and content_hash != MISSING
        for name, content_hash in site_includes
    )
    markdown = _markdown_site_key(config, theme, assets, includes, icons)
    return SharedKeys(
        site_key,
        theme_key,
        markdown,
        last.structure_key
        if last is not None and last.site_key == site_key
        else _structure_key(inputs, site, markdown),
        variables,
        templated,
        actions_key(grouped) if inputs_of(grouped, InputKind.ACTION) else "",
    )


def _structure_key(inputs: SiteInputs, site: SiteContent, markdown: str) -> str:
    """The site key but for the settings and titles of pages that are not a folder's own,
    with the Markdown key all pages share: when it holds, a page's Markdown key is made of
    its own file alone. (A folder's own page gives the pages below it their visibility and
    address; another page gives nothing to any other page's Markdown but through its links,
    which the page's dependencies follow.)"""
    pages = [
        (p.source.rel, p.yaml_text, p.h1) if p.is_index else (p.source.rel,) for p in site.pages
    ]
    return digest(key_of(replace(inputs, pages=pages)), markdown)


def _markdown_site_key(
    config: SiteConfig, theme: Theme, assets: str, includes: str, icons: str
) -> str:
    return key_of(
        MarkdownSiteInputs(
            assets,
            config.markdown_html,
            includes,
            icons,
            config.code_line_numbers,
            config.markdown_hard_breaks,
            config.outbound,
            config.templating,
            config.checks,
            markdown_words(theme.labels),
            theme.date_format(),
            config.urls,
        )
    )


def actions_key(grouped: InputsByKind) -> str:
    """Every custom action's file and hash: pages that show an action follow its changes."""
    return digest(inputs_of(grouped, InputKind.ACTION))


def icons_key(grouped: InputsByKind) -> str:
    """Every custom icon's name and hash: the icon packs, and the SVGs of static/icons/."""
    static_icons = [
        item for item in inputs_of(grouped, InputKind.STATIC) if item[0].startswith("static:icons/")
    ]
    return digest(inputs_of(grouped, InputKind.ICON), static_icons)


def markdown_inputs(page: Page, shared: SharedKeys) -> MarkdownInputs:
    from docsite.markdown.templating import page_variables, uses_templating

    return MarkdownInputs(
        page.source.rel,
        page.url,
        f"{page.yaml_line}\0{page.prelude}\0{page.body}" if page.prelude else page.body,
        page.body_line,
        shared.markdown,
        (shared.variables, page_variables(page))
        # A custom action a page runs fills in the page's values too.
        if uses_templating(page) or shared.site_templated or _runs_actions(page, shared)
        else None,
        shared.actions if _runs_actions(page, shared) else "",
    )


def _runs_actions(page: Page, shared: SharedKeys) -> bool:
    """Whether the page may run a custom action (`action:<name>`, `action="<name>"`)."""
    return bool(shared.actions) and "action" in page.body


def page_inputs(
    page: Page, markdown_key: str, theme: Theme, shared: SharedKeys, backlinks: tuple = ()
) -> PageInputs:
    return PageInputs(
        markdown_key,
        theme.page_context_key(page),
        page.settings,
        page.label,
        page.title,
        page.url,
        shared.theme,
        backlinks,
    )


def live_markdown_key(body: str) -> str:
    """Watch mode's key for a body edited in place: the body alone, kept apart from builds'
    keys, so the next full build parses the page again with all its inputs."""
    return "live:" + digest(body)


# ---- The site as loaded ----------------------------------------------------------------------


def load_key(config: SiteConfig, found: Discovery) -> str:
    """What the site's load (docsite.pages.load_site, then the blog's settings) makes of
    anything but the contents of pages and settings files: the engine, the config (which
    names the content folder), and every file found, by path and in the order found."""
    return digest(
        CACHE_VERSION,
        engine_digest(),
        config,
        "\0".join(source.rel for source in found.pages),
        "\0".join(found.settings),
        "\0".join(source.rel for source in found.assets),
        "\0".join(found.unlisted),
    )


# What the site's load takes of a page's file besides its body: its frontmatter, template
# lines and first heading, where they are. Its other fields follow from these and its path
# (settings, label, title), or are the load's own (URL): tests/test_keys.py fails on a
# field of Page it does not place.
LOADED_FROM_FILE = ("yaml_text", "prelude", "yaml_line", "body_line", "h1")


def load_facts(page: Page) -> str:
    """What the site's load takes of a page read from its file besides its body
    (`LOADED_FROM_FILE`), as a hash: a page read again with the facts it was loaded with
    loads as it did, but for its body (its settings file is an input of its own)."""
    return digest(*[getattr(page, name) for name in LOADED_FROM_FILE])


def loaded_facts(page: Page) -> str:
    """`load_facts` of a page of a loaded site; "" for a withheld one, whose body the load
    emptied: no page read again has its facts."""
    return "" if page.withheld else load_facts(page)


# ---- The search index ----------------------------------------------------------------------

# Bump when what is fed to Pagefind changes, so every site re-indexes once.
SEARCH_VERSION = "1"


class IndexedPage(Protocol):
    """A page as search sees it: its URL and the digest of the part Pagefind reads."""

    url: str
    digest: str


def search_settings(code: bool) -> tuple:
    """Everything besides the pages that decides what the index holds."""
    return (SEARCH_VERSION, code)


def search_key(pages: Iterable[IndexedPage], code: bool) -> str:
    """Names a search index: the engine that made it (the part before the dot), its settings
    and each page's indexed part. The same key, the same index. A new docsite makes the
    index anew in the build that renders every page again anyway: its cached form, which an
    edit is merged into, is not for another engine (SearchState.engine)."""
    return f"{_engine_part()}.{digest(search_settings(code), [(p.url, p.digest) for p in pages])}"


def indexed_by_this_engine(key: str) -> bool:
    """Whether the index named `key` was made by this docsite (it may be reused, or an edit
    merged into it)."""
    return key.startswith(_engine_part() + ".")


def _engine_part() -> str:
    return engine_digest()[:16]
