"""Pages: what each Markdown file is called, where it is published, and its settings."""

from __future__ import annotations

import bisect
import functools
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from docsite.cache import content_digest, digest, engine_digest
from docsite.diagnostics import Diagnostic, DiagnosticError, Report
from docsite.frontmatter import WITHHELD, Located, PageSettings, parse_settings, split_frontmatter
from docsite.reading import decode_text, read_bytes, read_text
from docsite.sources import SETTINGS_SUFFIXES, Discovery, SourceFile
from docsite.urls import UrlStyle, shown_url, site_path_problem

HOME_ORDER = 10000
DEFAULT_PAGE_NAMES = ("index.md", "readme.md", "default.md")
ROOT_DEFAULT_PAGE_NAMES = ("welcome.md", "home.md")  # the home page, in the root only
_ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DEFAULT_STYLE = UrlStyle()
_T = TypeVar("_T")


@dataclass
class Folder:
    """A folder of content/, as the sidebar shows it."""

    rel: str  # "" for the content root
    settings: PageSettings
    index: Page | None = None  # its default page, if it has one
    settings_file: str = ""


@dataclass
class Page:
    """A page as read: its file, settings, body and place in the site."""

    source: SourceFile
    settings: PageSettings
    body: str
    body_line: int  # file line where the body starts, for Markdown positions
    folder: str  # rel path of the folder whose sidebar list holds this page
    is_index: bool  # the default page of its folder
    url: str = ""  # site-relative, "" for home, "guide/setup/" or "page.html"
    label: str = ""
    title: str = ""
    h1: str = ""
    yaml_text: str | None = None  # the frontmatter as written, to tell body-only edits apart
    prelude: str = ""  # the frontmatter's template lines, from its first line (SplitPage)
    yaml_line: int = 1
    style: UrlStyle = _DEFAULT_STYLE  # how its URL is written (Retype's `generator`)

    @property
    def output_path(self) -> str:
        """The file written for this page, relative to the output folder."""
        return self.style.output_path(self.url)

    @property
    def markdown_path(self) -> str:
        """Where the page's Markdown copy goes, as Retype publishes it: its address with
        `.md` ('guide/setup/' -> 'guide/setup.md', 'page.html' -> 'page.md'); the home
        page's is 'index.md'."""
        url = self.url.removesuffix("/")
        if url.lower().endswith((".html", ".htm")):
            url = posixpath.splitext(url)[0]
        return (url or "index") + ".md"

    @property
    def in_nav(self) -> bool:
        """In the sidebar: public or protected (Retype lists protected pages), and not a
        layout kept out of it."""
        return self.settings.visibility in ("public", "protected") and self.settings.layout not in (
            "page",
            "blog",
        )

    @property
    def withheld(self) -> bool:
        """Protected or private: Retype asks a password for its text; docsite, which has no
        login, publishes the page's title and a notice, never its text."""
        return self.settings.visibility in WITHHELD

    @property
    def has_markdown_copy(self) -> bool:
        return not self.settings.redirect and not self.withheld


def markdown_copy(page: Page, body: str) -> str:
    """The page's Markdown copy (at `markdown_path`): its body (includes expanded), without
    frontmatter; its title as an H1 when it has none."""
    body = body.strip("\n")
    if not page.h1:
        body = f"# {page.title}\n\n{body}" if body else f"# {page.title}"
    return body + "\n"


@dataclass
class SiteContent:
    """Every page and folder of the site, indexed the ways links and templates find them."""

    pages: list[Page]
    folders: dict[str, Folder]  # by rel path, "" is the root
    by_source: dict[str, Page]  # by source rel path, for resolving .md links
    by_url: dict[str, Page]
    assets: list[SourceFile]
    # Files published only when a page links to one (left out by name or `exclude`, and
    # settings files), by rel path.
    linkable: dict[str, SourceFile] = field(default_factory=dict)
    # Each page's file in lower case (macOS and Windows disks merge names that differ only
    # in case) -> its source path: a page placed later is checked against them alone.
    output_keys: dict[str, str] = field(default_factory=dict)


def humanize(stem: str) -> str:
    """A file or folder name as a label: 'getting-started' -> 'Getting started'."""
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else stem


def section_label(site: SiteContent, page: Page) -> str:
    """The label of the sidebar folder holding the page, as the sidebar shows it (a card's
    kicker)."""
    folder = site.folders.get(page.folder) if page.folder else None
    if folder is None:
        return ""
    index = folder.index.label if folder.index is not None else ""
    return index or folder.settings.label or humanize(posixpath.basename(folder.rel))


@functools.lru_cache(maxsize=1 << 16)  # every page's URL, on every load of the site
def slugify_segment(name: str, recase: bool = True) -> str:
    """A file or folder name as a URL segment: lower case (unless `recase: none`), and no
    character that a URL would read as syntax ('#', '?', '%', spaces...)."""
    name = name.strip()
    slug = _NOT_IN_SLUG.sub("-", name.lower() if recase else name).strip("-")
    return slug or "-"


_NOT_IN_SLUG = re.compile(r"[^\w\-.~]+")


def first_h1(body: str) -> str:
    """The text of the first level-1 ATX heading outside code fences, or ''."""
    fence = ""
    for line in body.split("\n"):
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
            continue
        if fence:
            continue
        match = _ATX_H1.match(line)
        if match:
            return re.sub(r"[`*]|(?<!\w)_|_(?!\w)", "", match.group(1)).strip()
    return ""


def default_page_of(folder_rel: str, page_names: dict[str, SourceFile]) -> list[SourceFile]:
    """Candidates for a folder's default page, best first."""
    return [page_names[n] for n in default_page_names(folder_rel) if n in page_names]


def default_page_names(folder_rel: str) -> list[str]:
    """The names (lower case) a folder's default page may have, best first."""
    names = [*DEFAULT_PAGE_NAMES]
    if folder_rel:
        names.append(posixpath.basename(folder_rel).lower() + ".md")
    else:
        names.extend(ROOT_DEFAULT_PAGE_NAMES)
    return names


def load_site(
    found: Discovery,
    report: Report,
    memo: SettingsMemo | None = None,
    style: UrlStyle = _DEFAULT_STYLE,
    loaded: LoadedPages | PageMemo | None = None,
) -> SiteContent:
    """Read every page and folder setting; report all problems, drop nothing silently.

    `memo` carries checked settings from an earlier build, so unchanged YAML is not parsed
    again; it is updated in place. `style`: how page URLs are written. `loaded`: pages as
    read before, taken as they are (watch mode's preview, whose warnings are not said again;
    a build's, from the cache, whose warnings are)."""
    memo = memo if memo is not None else SettingsMemo()
    folder_rels = _all_folders(found)
    defaults = _default_pages(found, folder_rels)
    for candidates in defaults.values():
        for other in candidates[1:]:
            report.warning(
                other.shown,
                0,
                0,
                f"'{candidates[0].shown}' is this folder's default page; "
                "this file is published as an ordinary page",
                "rename one of them if that is not what you meant",
            )

    folders: dict[str, Folder] = {}
    pages: list[Page] = []
    for reading in page_readings(found, defaults):
        source, settings_file, is_index = reading.source, reading.settings_file, reading.is_index
        if loaded is not None:
            page = loaded.load(source, settings_file, is_index, report, memo)
        else:
            page = _load_page(source, settings_file, is_index, report, memo)
        if page is not None:
            pages.append(page)
            if is_index:
                # A folder's default page describes the folder itself, one level up.
                folder_rel = posixpath.dirname(source.rel)
                folders[folder_rel] = Folder(
                    folder_rel, page.settings, page, page_settings_shown(settings_file)
                )

    for rel in sorted(folder_rels):
        if rel not in folders:
            yml = found.settings.get(f"{rel}/index.yml" if rel else "index.yml")
            layers = []
            if yml is not None:
                layers.append((yml.shown, _settings_text(yml, report, loaded), 1))
            folders[rel] = Folder(
                rel, memo_settings(layers, report, memo), None, yml.shown if yml else ""
            )
            if yml is not None and folders[rel].settings.visibility in WITHHELD:
                warn_withheld(folders[rel].settings, yml.shown, "the pages of this folder", report)

    chains: dict[str, tuple[bool, bool]] = {}
    for page in pages:
        _inherit_visibility(page, folders, report, chains)
    by_source = {page.source.rel: page for page in pages}
    for page in pages:
        _assign_url(page, report, style)
    _place_under_folder_permalinks(pages, folders, report)
    by_url, keys = _check_unique_urls(pages, report)
    linkable = {**found.unlisted, **found.settings}
    return SiteContent(pages, folders, by_source, by_url, found.assets, linkable, keys)


@dataclass(frozen=True)
class PageReading:
    """What reading a page takes: its file, the settings file that goes with it, and
    whether it is its folder's default page (which describes the folder)."""

    source: SourceFile
    settings_file: SourceFile | None
    is_index: bool


def page_readings(
    found: Discovery, defaults: dict[str, list[SourceFile]] | None = None
) -> list[PageReading]:
    """Every page of `found`, in its order, as load_site reads it (`defaults`: the folders'
    default pages, `_default_pages`)."""
    defaults = _default_pages(found) if defaults is None else defaults
    readings = []
    for source in found.pages:
        candidates = defaults.get(source.rel.rpartition("/")[0])
        is_index = candidates is not None and candidates[0] == source
        readings.append(PageReading(source, _settings_file(source, is_index, found), is_index))
    return readings


def reading_of(source: SourceFile, is_index: bool, found: Discovery) -> PageReading:
    """What reading a page again takes, as `page_readings` gives it (`is_index`: whether it
    is its folder's default page, as `page_readings` found)."""
    return PageReading(source, _settings_file(source, is_index, found), is_index)


def _default_pages(
    found: Discovery, folder_rels: set[str] | None = None
) -> dict[str, list[SourceFile]]:
    """Each folder's candidates for its default page, best first (folders that have one).
    `folder_rels`: `_all_folders(found)`, when the caller has it."""
    by_folder: dict[str, dict[str, SourceFile]] = {}
    for source in found.pages:
        folder, _, name = source.rel.rpartition("/")
        by_folder.setdefault(folder, {})[name.lower()] = source
    defaults = {}
    for rel in sorted(_all_folders(found) if folder_rels is None else folder_rels):
        candidates = default_page_of(rel, by_folder.get(rel, {}))
        if candidates:
            defaults[rel] = candidates
    return defaults


def reload_pages(
    site: SiteContent,
    before: Discovery,
    found: Discovery,
    rels: set[str],
    report: Report,
    memo: SettingsMemo,
    style: UrlStyle,
    loaded: LoadedPages,
) -> SiteContent | None:
    """The site `load_site` made from `before`, now `found`: the pages of these files read
    again, pages added or removed, each placed as `load_site` places it (other files, such
    as images or includes, are no part of it). None when that is not enough: a folder's
    settings changed what its pages inherit (visibility, the address), or a folder with no
    page of its own changed, a folder came or went, or a page cannot be read. Watch mode's
    preview: a page's settings (in it, or in its own settings file, also one made or
    deleted) or title changed, or a folder's label, or a page was added, and the other
    5,000 pages are as they were."""
    # Settings files made or deleted themselves: not one that a page made or deleted turned
    # into a file of the site, or back.
    came = set(found.settings) - set(before.settings)
    gone = set(before.settings) - set(found.settings)
    if not (came | gone) <= rels:
        return None
    kept = _pages_of_settings(site, found, rels - gone)
    taken = _pages_of_settings(site, before, gone)  # whose they were
    if kept is None or taken is None:
        return None
    rels = kept | taken
    sources = {source.rel: source for source in found.pages} if found is not before else None
    added = [s for rel, s in sources.items() if rel not in site.by_source] if sources else []
    removed = [rel for rel in site.by_source if rel not in sources] if sources else []
    if (added or removed) and _folders_change(site, found, [s.rel for s in added], removed):
        return None
    olds = [site.by_source[rel] for rel in sorted(rels) if rel in site.by_source]
    olds = [old for old in olds if old.source.rel not in removed]
    fresh = []
    for source, is_index in [(old.source, old.is_index) for old in olds] + [
        (source, False) for source in added
    ]:
        settings_file = _settings_file(source, is_index, found)
        page = loaded.load(source, settings_file, is_index, report, memo)
        if page is None:
            return None
        fresh.append(page)
    folders = _folders_of(site.folders, fresh, found)
    placed = _placed(site, found, fresh, removed, report, style, folders)
    return placed if _same_above(site, placed, fresh) else None


def _folders_of(
    folders: dict[str, Folder], fresh: list[Page], found: Discovery
) -> dict[str, Folder]:
    """The folders, those whose default page was read again described by it anew."""
    indexes = [page for page in fresh if page.is_index]
    if not indexes:
        return folders
    changed = dict(folders)
    for page in indexes:
        rel = posixpath.dirname(page.source.rel)
        shown = page_settings_shown(_settings_file(page.source, True, found))
        changed[rel] = Folder(rel, page.settings, page, shown)
    return changed


def _same_above(site: SiteContent, placed: SiteContent, fresh: list[Page]) -> bool:
    """Whether each folder whose default page was read again gives the pages below it what
    it gave them: its visibility, and the address theirs start from (its permalink)."""
    for page in fresh:
        if page.is_index:
            rel = posixpath.dirname(page.source.rel)
            old, new = site.folders[rel], placed.folders[rel]
            if (old.settings.visibility, old.settings.permalink) != (
                new.settings.visibility,
                new.settings.permalink,
            ) or site.by_source[page.source.rel].url != page.url:
                return False
    return True


def _pages_of_settings(site: SiteContent, found: Discovery, rels: set[str]) -> set[str] | None:
    """The changed files with each settings file in the place of the page whose own it is
    (`guide.yml` of `guide.md`, a folder's `index.yml` of its default page); None when one
    holds the settings of a folder with no page of its own, or of no page."""
    pages = set()
    for rel in rels:
        if rel not in found.settings:
            pages.add(rel)
            continue
        page = site.by_source.get(rel.rsplit(".", 1)[0] + ".md")
        if page is None or page.is_index:
            page = _default_page_reading(site, found, rel)
        if page is None:
            return None
        pages.add(page.source.rel)
    return pages


def _default_page_reading(site: SiteContent, found: Discovery, rel: str) -> Page | None:
    """The folder's default page whose settings file `rel` is (a folder's `index.yml`)."""
    folder = site.folders.get(posixpath.dirname(rel))
    page = folder.index if folder is not None else None
    if page is None:
        return None
    settings_file = _settings_file(page.source, True, found)
    return page if settings_file is not None and settings_file.rel == rel else None


def _folders_change(
    site: SiteContent, found: Discovery, added: list[str], removed: list[str]
) -> bool:
    """Whether adding or removing these pages adds or removes a folder, or a default page.
    Pages added add a folder only where theirs is not one yet; pages removed take one away
    only where no page is left in it."""
    if any(
        posixpath.basename(rel).lower() in default_page_names(posixpath.dirname(rel))
        for rel in added + removed
    ):
        return True
    if any(posixpath.dirname(rel) not in site.folders for rel in added):
        return True
    return bool(removed) and not _still_folders(found, removed)


def _still_folders(found: Discovery, removed: list[str]) -> bool:
    """Whether the folders of these removed pages (and theirs) still hold a page: one
    search each in the sorted paths, not a look at every page's folders."""
    rels = sorted(source.rel for source in found.pages)
    for rel in removed:
        folder = posixpath.dirname(rel)
        while folder:  # the content root is always a folder
            inside = folder + "/"
            at = bisect.bisect_left(rels, inside)
            if at == len(rels) or not rels[at].startswith(inside):
                return False
            folder = posixpath.dirname(folder)
    return True


def _placed(
    site: SiteContent,
    found: Discovery,
    fresh: list[Page],
    removed: list[str],
    report: Report,
    style: UrlStyle,
    folders: dict[str, Folder],
) -> SiteContent:
    """The site with these pages, just read, in place, and those of `removed` gone;
    `folders`: the site's, with those whose default page is among them anew."""
    chains: dict[str, tuple[bool, bool]] = {}
    for page in fresh:
        _inherit_visibility(page, folders, report, chains)
        _assign_url(page, report, style)
    _place_under_folder_permalinks(fresh, folders, report)
    by_source = {**site.by_source, **{page.source.rel: page for page in fresh}}
    for rel in removed:
        del by_source[rel]
    if not removed and len(by_source) == len(site.by_source):
        pages = [by_source[page.source.rel] for page in site.pages]
    else:
        pages = [by_source[source.rel] for source in found.pages if source.rel in by_source]
    kept = all(site.by_source.get(page.source.rel, page).url == page.url for page in fresh)
    if kept and not removed and len(pages) == len(site.pages):
        by_url, keys = {**site.by_url, **{page.url: page for page in fresh}}, site.output_keys
    else:  # a page came, went or moved (a permalink): it may clash with another now
        placed = _urls_placed(site, fresh, removed)
        by_url, keys = placed if placed is not None else _check_unique_urls(pages, report)
    linkable = {**found.unlisted, **found.settings}
    return SiteContent(pages, folders, by_source, by_url, found.assets, linkable, keys)


def _urls_placed(
    site: SiteContent, fresh: list[Page], removed: list[str]
) -> tuple[dict[str, Page], dict[str, str]] | None:
    """The site's URLs (and output keys) with the fresh pages in place and the removed ones
    gone, when no page clashes: the others did not with one another (the site has a key per
    page). None for a clash or an unchecked site: `_check_unique_urls` tells then."""
    if len(site.output_keys) != len(site.pages):
        return None
    keys, by_url = dict(site.output_keys), dict(site.by_url)
    for old in [site.by_source[rel] for rel in removed] + [
        site.by_source[page.source.rel] for page in fresh if page.source.rel in site.by_source
    ]:
        del keys[old.output_path.lower()], by_url[old.url]
    for page in fresh:
        key = page.output_path.lower()
        if key in keys:
            return None
        keys[key] = page.source.rel
        by_url[page.url] = page
    return by_url, keys


@dataclass
class SettingsMemo:
    """Checked settings by a hash of their YAML layers: the last build's, and this one's."""

    previous: dict[str, tuple[PageSettings, list[Diagnostic]]] = field(default_factory=dict)
    current: dict[str, tuple[PageSettings, list[Diagnostic]]] = field(default_factory=dict)


def memo_settings(
    layers: list[tuple[str, str, int]], report: Report, memo: SettingsMemo
) -> PageSettings:
    """parse_settings, remembered by the exact YAML text, file names and positions, and by
    the engine that checked them (a new docsite may read the same YAML differently)."""
    key = digest(engine_digest(), layers)
    known = memo.current.get(key) or memo.previous.get(key)
    if known is None:
        local = Report()
        known = (parse_settings(layers, local), local.items)
    memo.current[key] = known
    report.extend(known[1])
    return _shallow(known[0])  # copy.copy would pickle its state through __getstate__


@dataclass
class LoadedPages:
    """Pages as read from their files, before the site touched them (inherited visibility,
    URLs): watch mode reads again only those whose files changed (`forget`)."""

    pages: dict[str, tuple[SourceFile | None, bool, Page]] = field(default_factory=dict)

    def load(
        self,
        source: SourceFile,
        settings_file: SourceFile | None,
        is_index: bool,
        report: Report,
        memo: SettingsMemo,
    ) -> Page | None:
        known = self.pages.get(source.rel)
        if known is not None and known[:2] == (settings_file, is_index):
            return _fresh_copy(known[2])
        page = _load_page(source, settings_file, is_index, report, memo)
        if page is not None:
            self.pages[source.rel] = (settings_file, is_index, _fresh_copy(page))
        return page

    def forget(self, rels: set[str]) -> None:
        """Drop the pages read from these files (content-relative): a page or its settings."""
        for rel in rels:
            self.pages.pop(rel, None)
        if not any(rel.lower().endswith(SETTINGS_SUFFIXES) for rel in rels):
            return  # no page read these as its settings: no need to look at every page
        for rel, (settings_file, _, _) in list(self.pages.items()):
            if settings_file is not None and settings_file.rel in rels:
                del self.pages[rel]


@dataclass(frozen=True)
class ReadPage:
    """A page as read from its files (before the site touched it), the warnings reading it
    gave, and the hashes of those files: (its own, its settings file's or "", default page)."""

    key: tuple[str, str, bool]
    page: Page
    diagnostics: list[Diagnostic]


class PagesAhead(Protocol):
    """Pages read by another process while this one reads from the first page on
    (docsite.build.readahead): each page is read by one of the two."""

    def claim(self, rel: str) -> bool:
        """Whether this process reads the page; False once the other process has it."""
        ...

    def take(self) -> dict[str, ReadPage]:
        """The pages the other process read, keyed as PageMemo keeps them (waits for it)."""
        ...


@dataclass
class PageMemo:
    """Pages as the last build read them, which the build cache keeps: a page whose files
    have the same hashes is taken as it was read, its warnings said again, without reading
    or parsing its file. `hash_of`: a content file's hash by its content-relative path, as
    the build's inputs know it (None: not known)."""

    previous: dict[str, ReadPage]
    hash_of: Callable[[str], str | None]
    current: dict[str, ReadPage] = field(default_factory=dict)  # this build's, for the cache
    # Pages read with other bytes than the inputs hashed (saved since): rel -> (os path,
    # hash of the bytes read), for the build to settle (keys.settle_read).
    read_otherwise: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Another process reading the pages meanwhile, from the last one back.
    ahead: PagesAhead | None = None

    def load(
        self,
        source: SourceFile,
        settings_file: SourceFile | None,
        is_index: bool,
        report: Report,
        memo: SettingsMemo,
    ) -> Page | None:
        if self.ahead is not None and not self.ahead.claim(source.rel):
            # The other process has read this page and every one after it: taken as read.
            self.previous = {**self.previous, **self.ahead.take()}
            self.ahead = None
        settings_hash = self.hash_of(settings_file.rel) if settings_file is not None else ""
        known = self.previous.get(source.rel)
        if known is not None and known.key == (self.hash_of(source.rel), settings_hash, is_index):
            self.current[source.rel] = known
            report.extend(known.diagnostics)
            page = _fresh_copy(known.page)
            page.source = source
            return page
        local = Report()
        read = self.read_file(source, local)
        settings_read = self.read_file(settings_file, local) if settings_file else None
        settings_text = settings_read[0] if settings_read is not None else ""  # as `_read`
        page = _load_page(source, settings_file, is_index, local, memo, read, settings_text)
        report.extend(local.items)
        if settings_read is not None:
            settings_hash = settings_read[1]
        if page is not None and read is not None and settings_hash is not None:
            # Keyed by the bytes read, not the inputs' hash: the file may have changed since.
            key = (read[1], settings_hash, is_index)
            self.current[source.rel] = ReadPage(key, _fresh_copy(page), local.items)
        return page

    def read_file(self, source: SourceFile, report: Report) -> tuple[str, str] | None:
        """A page's or settings file's text and hash (`_read_page`), noted in
        `read_otherwise` when the bytes are not those the inputs hashed."""
        read = _read_page(source, report)
        if read is not None and read[1] != self.hash_of(source.rel):
            self.read_otherwise[source.rel] = (source.os_path, read[1])
        return read


def _fresh_copy(page: Page) -> Page:
    """A page the site may change (visibility, URL, a withheld body) without changing this."""
    fresh = _shallow(page)
    fresh.settings = _shallow(page.settings)
    return fresh


def _shallow(value: _T) -> _T:
    """copy.copy for a plain dataclass, without its generic (and slow) protocol."""
    fresh = object.__new__(type(value))
    fresh.__dict__.update(value.__dict__)
    return fresh


def page_settings_shown(settings_file: SourceFile | None) -> str:
    return settings_file.shown if settings_file else ""


def _all_folders(found: Discovery) -> set[str]:
    """Every folder above a page. (Content paths are '/'-separated and normalised, so a
    folder is what comes before the last '/': cheaper than posixpath, for 5,000 pages.)"""
    rels = {""}
    for source in found.pages:
        parent = source.rel.rpartition("/")[0]
        while parent and parent not in rels:
            rels.add(parent)
            parent = parent.rpartition("/")[0]
    return rels


def _settings_file(source: SourceFile, is_index: bool, found: Discovery) -> SourceFile | None:
    stem = source.rel[: -len(".md")]
    for suffix in (".yml", ".yaml"):
        paired = found.settings.get(stem + suffix)
        if paired is not None:
            return paired
    if is_index:
        folder = posixpath.dirname(source.rel)
        for suffix in (".yml", ".yaml"):
            folder_yml = found.settings.get(
                f"{folder}/index{suffix}" if folder else f"index{suffix}"
            )
            if folder_yml is not None:
                return folder_yml
    return None


def _settings_text(
    source: SourceFile, report: Report, loaded: LoadedPages | PageMemo | None
) -> str:
    """A folder's settings file, read through the build's memo when there is one: it notes
    a file read otherwise than hashed (saved since)."""
    if isinstance(loaded, PageMemo):
        read = loaded.read_file(source, report)
        return read[0] if read is not None else ""  # as `_read`
    return _read(source, report)


def _read(source: SourceFile, report: Report) -> str:
    try:
        return read_text(source.os_path, source.shown)
    except DiagnosticError as exc:
        report.extend(exc.diagnostics)
        return ""


def _read_page(source: SourceFile, report: Report) -> tuple[str, str] | None:
    """A page's text and the hash of its bytes (as the inputs hash them), or None when it
    cannot be read (reported)."""
    try:
        data = read_bytes(source.os_path, source.shown)
        return decode_text(data, source.shown), content_digest(data)
    except DiagnosticError as exc:
        report.extend(exc.diagnostics)
        return None


def _load_page(
    source: SourceFile,
    settings_file: SourceFile | None,
    is_index: bool,
    report: Report,
    memo: SettingsMemo,
    read: tuple[str, str] | None = None,
    settings_text: str | None = None,
) -> Page | None:
    """The page in `source`; `read` and `settings_text`: its text and hash (`_read_page`)
    and its settings file's text, when read already."""
    read = read or _read_page(source, report)
    if read is None:
        return None
    text = read[0]
    split = split_frontmatter(text, source.shown, report)
    layers = []
    if settings_file is not None:
        if settings_text is None:
            settings_text = _read(settings_file, report)
        layers.append((settings_file.shown, settings_text, 1))
    if split.yaml_text is not None:
        layers.append((source.shown, split.yaml_text, split.yaml_line))
    settings = memo_settings(layers, report, memo)
    folder_rel = posixpath.dirname(source.rel)
    page = Page(
        source=source,
        settings=settings,
        body=split.body,
        body_line=split.body_line,
        folder=folder_rel,
        is_index=is_index,
    )
    page.h1 = first_h1(split.body)
    page.yaml_text = split.yaml_text
    page.prelude, page.yaml_line = split.prelude, split.yaml_line
    if is_index and folder_rel:
        fallback = humanize(posixpath.basename(folder_rel))
    else:
        fallback = humanize(posixpath.splitext(posixpath.basename(source.rel))[0])
    if is_index and not folder_rel and not page.h1 and not settings.label:
        fallback = "Home"
    page.label = settings.label or settings.title or page.h1 or fallback
    page.title = settings.title or page.h1 or page.label
    if is_index and not folder_rel and settings.order is None:
        settings.order = HOME_ORDER
    return page


def _inherit_visibility(
    page: Page, folders: dict[str, Folder], report: Report, chains: dict[str, tuple[bool, bool]]
) -> None:
    """A folder's visibility covers the pages below it: a page is out of the sidebar when
    it or a folder above it is hidden or private, and withheld when either is protected or
    private (Retype: `visibility: protected` in a folder's index.yml). `chains`: each
    folder's own and inherited (listed, withheld), worked out once per load."""
    own = page.settings.visibility
    listed, withheld = own in ("public", "protected"), own in WITHHELD
    folder = posixpath.dirname(page.folder) if page.is_index else page.folder
    above = folders.get(folder)
    if above is not None and above.settings is page.settings:  # the home page: its own
        chain = _folder_chain(posixpath.dirname(folder), folders, chains) if folder else None
    else:
        chain = _folder_chain(folder, folders, chains)
    if chain is not None:
        listed, withheld = listed and chain[0], withheld or chain[1]
    visibility = _VISIBILITY[(listed, withheld)]
    if visibility != own:
        page.settings.visibility = visibility
    if own in WITHHELD:
        warn_withheld(page.settings, page.source.shown, "this page", report)
    if page.withheld:
        _withhold(page)


# A page's visibility by (listed in the sidebar, text withheld).
_VISIBILITY = {
    (True, False): "public",
    (False, False): "hidden",
    (True, True): "protected",
    (False, True): "private",
}


def _folder_chain(
    folder: str, folders: dict[str, Folder], chains: dict[str, tuple[bool, bool]]
) -> tuple[bool, bool]:
    """Whether the folder and every folder above it are listed, and whether one of them is
    withheld. A folder's visibility may be its index page's, already combined with those
    above: combining again changes nothing (and, or), so the order pages come in does not
    matter. A loop, not recursion: folders may nest past the recursion limit."""
    path = []
    while folder not in chains:
        path.append(folder)
        if not folder:
            break
        folder = posixpath.dirname(folder)
    listed, withheld = chains.get(folder, (True, False))
    for rel in reversed(path):
        above = folders.get(rel)
        if above is not None:
            listed = listed and above.settings.visibility in ("public", "protected")
            withheld = withheld or above.settings.visibility in WITHHELD
        chains[rel] = (listed, withheld)
    return listed, withheld


def warn_withheld(settings: PageSettings, shown: str, where_to: str, report: Report) -> None:
    """Said once where `protected` or `private` is written, not on every page it covers."""
    where = settings.where("visibility", shown)
    report.warning(
        where.file,
        where.line,
        where.col,
        f"'visibility: {settings.visibility}' asks for a password, which a static site cannot "
        f"check: docsite shows only the title and a notice on {where_to}, never the text",
        "make it public or hidden to publish the text, or start the name with '_' to leave "
        "it out of the site",
    )


def _withhold(page: Page) -> None:
    """A protected or private page keeps its title, and nothing a reader could not see
    without the password: no body, template lines, summary, image, tags or categories."""
    settings = page.settings
    page.body, page.prelude = "", ""
    settings.description = settings.meta_description = settings.image = ""
    settings.tags, settings.categories = [], []


def _assign_url(page: Page, report: Report, style: UrlStyle) -> None:
    page.style = style
    permalink = page.settings.permalink
    if permalink:
        checked = _check_permalink(page, permalink, report)
        if checked is not None:
            page.url = style.link_form(checked)
            return
    rel = page.source.rel[: -len(".md")]
    parts = [slugify_segment(p, style.recase) for p in rel.split("/")]
    if page.is_index:
        parts = parts[:-1]
    page.url = style.link_form("/".join(parts) + "/" if parts else "")


def _place_under_folder_permalinks(
    pages: list[Page], folders: dict[str, Folder], report: Report
) -> None:
    """A folder's `permalink` is the base of the URLs of the pages below it that have
    none of their own (Retype: /guides with `permalink: /tutorials` publishes
    /guides/setup.md at /tutorials/setup/); the nearest such folder wins."""
    bases: dict[str, str] = {}
    for rel, folder in folders.items():
        if not rel or not folder.settings.permalink:
            continue
        if folder.index is not None:
            if folder.index.settings.permalink and folder.index.url.endswith("/"):
                bases[rel] = folder.index.url
        else:
            base = _check_folder_permalink(folder, report)
            if base is not None and (base == "" or base.endswith("/")):
                bases[rel] = base
    if not bases:
        return
    nearest: dict[str, str] = {}  # each folder's nearest folder with a base, or ""
    for page in pages:
        if page.settings.permalink:
            continue
        folder = _nearest_base(
            posixpath.dirname(page.folder) if page.is_index else page.folder, bases, nearest
        )
        if folder:
            page.url = bases[folder] + page.url.removeprefix(
                "/".join(slugify_segment(p, page.style.recase) for p in folder.split("/")) + "/"
            )


def _nearest_base(folder: str, bases: dict[str, str], nearest: dict[str, str]) -> str:
    """The folder, or the nearest one above it, that has a base ("" when none has)."""
    path = []
    while folder and folder not in bases and folder not in nearest:
        path.append(folder)
        folder = posixpath.dirname(folder)
    found = folder if folder in bases else nearest.get(folder, "")
    for rel in path:
        nearest[rel] = found
    return found


def _check_folder_permalink(folder: Folder, report: Report) -> str | None:
    where = folder.settings.where("permalink", folder.settings_file)
    segments = _permalink_segments(folder.settings.permalink, where, "/tutorials", report)
    if segments is None:
        return None
    return "/".join(segments) + "/" if segments else ""


def _check_permalink(page: Page, permalink: str, report: Report) -> str | None:
    where = page.settings.where("permalink", page.source.shown)
    segments = _permalink_segments(permalink, where, "/guide/setup", report)
    if not segments:
        return None if segments is None else ""
    joined = "/".join(segments)
    if joined.lower().endswith(".html"):
        return joined
    return joined + "/"


def _permalink_segments(
    permalink: str, where: Located, example: str, report: Report
) -> list[str] | None:
    """The path segments of a permalink, or None after an error at its place."""
    problem = site_path_problem(permalink)
    if problem:
        report.error(
            where.file,
            where.line,
            where.col,
            f"invalid permalink '{shown_url(permalink)}': {problem}",
            f"write it as a path from the site root, e.g. permalink: {example}",
        )
        return None
    return [s for s in permalink.strip().strip("/").split("/") if s]


def _check_unique_urls(pages: list[Page], report: Report) -> tuple[dict[str, Page], dict[str, str]]:
    """URLs compared without case, since macOS and Windows disks would merge them: the pages
    by URL, and their output keys (`SiteContent.output_keys`)."""
    by_key: dict[str, Page] = {}
    for page in pages:
        key = page.output_path.lower()
        other = by_key.get(key)
        if other is not None:
            # Blame the page whose permalink moved it onto the other one, if any.
            culprit, first = (
                (other, page)
                if other.settings.permalink and not page.settings.permalink
                else (page, other)
            )
            if culprit.settings.permalink:
                where = culprit.settings.where("permalink", culprit.source.shown)
                file, line, col = where.file, where.line, where.col
            else:
                file, line, col = culprit.source.shown, 0, 0
            report.error(
                file,
                line,
                col,
                f"'{culprit.source.shown}' and '{first.source.shown}' are both published at "
                f"/{page.url}",
                "give one of them a different 'permalink' or file name",
            )
            continue
        by_key[key] = page
    by_url = {page.url: page for page in by_key.values()}
    return by_url, {key: page.source.rel for key, page in by_key.items()}
