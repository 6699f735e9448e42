"""Pages: what each Markdown file is called, where it is published, and its settings."""

from __future__ import annotations

import copy
import posixpath
import re
from dataclasses import dataclass, field

from docsite.cache import digest, engine_digest
from docsite.diagnostics import Diagnostic, DiagnosticError, Report
from docsite.frontmatter import PageSettings, parse_settings, split_frontmatter
from docsite.reading import read_text
from docsite.sources import Discovery, SourceFile
from docsite.urls import UrlStyle, shown_url, site_path_problem

HOME_ORDER = 10000
DEFAULT_PAGE_NAMES = ("index.md", "readme.md", "default.md")
_ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DEFAULT_STYLE = UrlStyle()


@dataclass
class Folder:
    """A folder of content/, as the sidebar shows it."""

    rel: str  # "" for the content root
    settings: PageSettings
    index: Page | None = None  # its default page, if it has one
    settings_file: str = ""


@dataclass
class Page:
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
        """Where the page's Markdown copy goes: beside its HTML ('a/index.md', 'page.md',
        'a/default.md' beside 'a/default.htm')."""
        return posixpath.splitext(self.output_path)[0] + ".md"

    @property
    def in_nav(self) -> bool:
        return self.settings.visibility == "public" and self.settings.layout != "page"


@dataclass
class SiteContent:
    pages: list[Page]
    folders: dict[str, Folder]  # by rel path, "" is the root
    by_source: dict[str, Page]  # by source rel path, for resolving .md links
    by_url: dict[str, Page]
    assets: list[SourceFile]
    # Files published only when a page links to one (left out by name or `exclude`, and
    # settings files), by rel path.
    linkable: dict[str, SourceFile] = field(default_factory=dict)


def humanize(stem: str) -> str:
    """A file or folder name as a label: 'getting-started' -> 'Getting started'."""
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else stem


def slugify_segment(name: str, recase: bool = True) -> str:
    """A file or folder name as a URL segment: lower case (unless `recase: none`), and no
    character that a URL would read as syntax ('#', '?', '%', spaces...)."""
    name = name.strip()
    slug = re.sub(r"[^\w\-.~]+", "-", name.lower() if recase else name).strip("-")
    return slug or "-"


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
    names = [*DEFAULT_PAGE_NAMES]
    if folder_rel:
        names.append(posixpath.basename(folder_rel).lower() + ".md")
    return [page_names[n] for n in names if n in page_names]


def load_site(
    found: Discovery,
    report: Report,
    memo: SettingsMemo | None = None,
    style: UrlStyle = _DEFAULT_STYLE,
) -> SiteContent:
    """Read every page and folder setting; report all problems, drop nothing silently.

    `memo` carries checked settings from an earlier build, so unchanged YAML is not parsed
    again; it is updated in place. `style`: how page URLs are written."""
    memo = memo if memo is not None else SettingsMemo()
    by_folder: dict[str, dict[str, SourceFile]] = {}
    for source in found.pages:
        folder, name = posixpath.split(source.rel)
        by_folder.setdefault(folder, {})[name.lower()] = source
    folder_rels = _all_folders(found)

    folders: dict[str, Folder] = {}
    index_of: dict[str, SourceFile] = {}
    for rel in sorted(folder_rels):
        candidates = default_page_of(rel, by_folder.get(rel, {}))
        if candidates:
            index_of[rel] = candidates[0]
            for other in candidates[1:]:
                report.warning(
                    other.shown,
                    0,
                    0,
                    f"'{candidates[0].shown}' is this folder's default page; "
                    "this file is published as an ordinary page",
                    "rename one of them if that is not what you meant",
                )

    pages: list[Page] = []
    for source in found.pages:
        folder_rel = posixpath.dirname(source.rel)
        is_index = index_of.get(folder_rel) == source
        # A folder's default page describes the folder itself, one level up in the sidebar.
        settings_file = _settings_file(source, is_index, found)
        page = _load_page(source, settings_file, is_index, report, memo)
        if page is not None:
            pages.append(page)
            if is_index:
                folders[folder_rel] = Folder(
                    folder_rel, page.settings, page, page_settings_shown(settings_file)
                )

    for rel in sorted(folder_rels):
        if rel not in folders:
            yml = found.settings.get(f"{rel}/index.yml" if rel else "index.yml")
            layers = []
            if yml is not None:
                layers.append((yml.shown, _read(yml, report), 1))
            folders[rel] = Folder(
                rel, memo_settings(layers, report, memo), None, yml.shown if yml else ""
            )

    by_source = {page.source.rel: page for page in pages}
    for page in pages:
        _assign_url(page, report, style)
    by_url = _check_unique_urls(pages, report)
    linkable = {**found.unlisted, **found.settings}
    return SiteContent(pages, folders, by_source, by_url, found.assets, linkable)


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
    return copy.copy(known[0])


def page_settings_shown(settings_file: SourceFile | None) -> str:
    return settings_file.shown if settings_file else ""


def _all_folders(found: Discovery) -> set[str]:
    rels = {""}
    for source in found.pages:
        parent = posixpath.dirname(source.rel)
        while parent and parent not in rels:
            rels.add(parent)
            parent = posixpath.dirname(parent)
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


def _read(source: SourceFile, report: Report) -> str:
    try:
        return read_text(source.os_path, source.shown)
    except DiagnosticError as exc:
        report.extend(exc.diagnostics)
        return ""


def _load_page(
    source: SourceFile,
    settings_file: SourceFile | None,
    is_index: bool,
    report: Report,
    memo: SettingsMemo,
) -> Page | None:
    try:
        text = read_text(source.os_path, source.shown)
    except DiagnosticError as exc:
        report.extend(exc.diagnostics)
        return None
    split = split_frontmatter(text, source.shown, report)
    layers = []
    if settings_file is not None:
        layers.append((settings_file.shown, _read(settings_file, report), 1))
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
    page.label = settings.label or page.h1 or fallback
    page.title = settings.title or page.h1 or page.label
    if is_index and not folder_rel and settings.order is None:
        settings.order = HOME_ORDER
    return page


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


def _check_permalink(page: Page, permalink: str, report: Report) -> str | None:
    where = page.settings.where("permalink", page.source.shown)
    problem = site_path_problem(permalink)
    if problem:
        report.error(
            where.file,
            where.line,
            where.col,
            f"invalid permalink '{shown_url(permalink)}': {problem}",
            "write it as a path from the site root, e.g. permalink: /guide/setup",
        )
        return None
    segments = [s for s in permalink.strip().strip("/").split("/") if s]
    if not segments:
        return ""
    joined = "/".join(segments)
    if joined.lower().endswith(".html"):
        return joined
    return joined + "/"


def _check_unique_urls(pages: list[Page], report: Report) -> dict[str, Page]:
    """URLs compared without case, since macOS and Windows disks would merge them."""
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
    return {page.url: page for page in by_key.values()}
