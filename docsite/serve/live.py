"""Watch mode's engine: sort each change by kind and redo only the work that kind needs.

A page whose body alone changed is re-rendered in memory and written in place (one file,
replaced atomically). Anything else (settings, new or deleted pages, templates, static
files, the config) goes through the incremental build, which decides from recorded
dependencies which pages to re-render and swaps the site in whole.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from docsite.actions import ACTIONS_FOLDER
from docsite.actions import SUFFIXES as ACTION_SUFFIXES
from docsite.blog import Blog, post_summary, summary_facts
from docsite.build import BuildOptions, BuildResult, build_site
from docsite.build.preview import PagePreview, PreviewMemory, preview_pages, warm_up
from docsite.build.result import BuildInterrupted
from docsite.cache import CACHE_DIR, collector_paused
from docsite.config import CONFIG_NAMES
from docsite.diagnostics import Diagnostic, DiagnosticError, Report, Severity, UsageError
from docsite.frontmatter import split_frontmatter
from docsite.gitdates import head_files
from docsite.keys import project_rel, published_file, resolved_target, summarized_page
from docsite.markdown.templating import INCLUDES_FOLDER
from docsite.pages import Page, first_h1
from docsite.publish import sitemap_dated_by_file
from docsite.reading import read_text
from docsite.retype_config import RETYPE_CONFIG_NAMES
from docsite.retype_partials import is_fragment
from docsite.search import STATE_PART, BackgroundIndexer, SearchState, search_pages, search_paths
from docsite.sources import PAGE_SUFFIX, SETTINGS_SUFFIXES, PathRules, is_skipped
from docsite.themefiles import as_published

# Where a build of the whole site may stop for a newer change: before the swap, where the
# time goes. Rendering reports after each chunk of pages.
INTERRUPTIBLE_STAGES = frozenset({"reading pages", "finding links", "rendering"})
MAX_INTERRUPTIONS = 5


class ChangeKind(StrEnum):
    """What a changed file is to the site: it decides how watch mode brings the site up to date."""

    PAGE = "page"  # a Markdown page: its body, or more
    SETTINGS = "settings"  # a .yml beside pages
    ASSET = "asset"  # another file in content/
    TEMPLATE = "template"
    STYLESHEET = "stylesheet"  # a .css in static/: swapped in the browser without a reload
    STATIC = "static"
    CONFIG = "config"
    INCLUDED = "included"  # a file pages read: an include or a code snippet
    COMMIT = "commit"  # git's HEAD moved (a commit, a checkout): pages' last-updated dates
    IGNORED = "ignored"  # the output, the cache, editor swap files, dotfiles


@dataclass
class Update:
    """What one rebuild did, for the terminal and the browsers."""

    changed_urls: list[str] = field(default_factory=list)  # site paths like "guide/setup/"
    reload_all: bool = False
    css_only: bool = False
    stylesheets: bool = False  # a stylesheet changed too: tabs that swap a page fetch it again
    files: bool = False  # an image or a script changed: tabs reload (a swap would not fetch it)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed: bool = False
    seconds: float = 0.0
    rendered: int = 0
    recovered: bool = False  # the site builds again after a failed build
    skipped: bool = False  # no changed file is one the site is made of: nothing was done
    previewed: list[PagePreview] = field(default_factory=list)  # sent before the build
    interrupted: bool = False  # a newer change stopped the build: the next one does it all


def classify(
    path: Path,
    root: Path,
    content_dir: Path,
    config_files: Collection[Path],
    ignored: list[Path],
    read_files: frozenset[Path] = frozenset(),
    head_files: frozenset[Path] = frozenset(),
) -> ChangeKind:
    """Sort a changed path by what depends on it; `config_files` are every name the config
    may have, `read_files` the files that pages read in the last build (includes, snippets),
    `head_files` those git keeps the content folder's commit in (`gitdates.head_files`)."""
    path = path.absolute()
    if any(path == folder or path.is_relative_to(folder) for folder in ignored):
        return ChangeKind.IGNORED
    if path in head_files:
        return ChangeKind.COMMIT
    if path in read_files:
        return ChangeKind.INCLUDED
    if path.is_relative_to(content_dir) and INCLUDES_FOLDER in path.relative_to(content_dir).parts:
        return ChangeKind.INCLUDED  # perhaps a new file where an include looks first
    if path.suffix.lower() == ".svg" and any(
        path.is_relative_to(folder / "_components" / "icon") for folder in (content_dir, root)
    ):
        return ChangeKind.STATIC  # an icon of a pack: icons.css, and pages that name it
    if path.suffix.lower() in ACTION_SUFFIXES and path.parent == content_dir.joinpath(
        *ACTIONS_FOLDER
    ):
        return ChangeKind.STATIC  # a custom action: the pages that run it
    name = path.name
    if is_skipped(name) or name.endswith(("~", ".swp", ".swx", ".tmp")) or name.startswith("#"):
        return ChangeKind.IGNORED
    if path in config_files:
        return ChangeKind.CONFIG
    if path.is_relative_to(content_dir):
        parts = path.relative_to(content_dir).parts
        if any(is_skipped(part) for part in parts):
            return ChangeKind.IGNORED
        suffix = path.suffix.lower()
        if suffix == PAGE_SUFFIX:
            return ChangeKind.PAGE
        if suffix in SETTINGS_SUFFIXES:
            return ChangeKind.SETTINGS
        return ChangeKind.ASSET
    if path.is_relative_to(root / "templates"):
        return ChangeKind.TEMPLATE
    if path.is_relative_to(root / "static"):
        return ChangeKind.STYLESHEET if path.suffix.lower() == ".css" else ChangeKind.STATIC
    return ChangeKind.IGNORED


class LiveSite:
    """The site as watch mode keeps it: built once, then updated change by change."""

    def __init__(self, options: BuildOptions):
        self.options = dataclasses.replace(options, keep_live=True)
        self.root = options.root.resolve()
        self.live = None  # docsite.build.live.LiveState of the last good build
        self.last_result: BuildResult | None = None
        self.failing = False  # the last build failed: the served site is not the sources
        # When only a re-render of these pages failed: re-rendering them again may mend it.
        self.broken_pages: set[Path] = set()
        # The search index is rebuilt in a thread once changes settle; the lock keeps its
        # file swap and a full build's folder swap apart.
        self.search = BackgroundIndexer(
            load_state=self._built_search_state, waiting=lambda: bool(self.waiting())
        )
        # The pages readers have open (site paths, '/a/b/'), rendered first on a change and
        # handed to `on_preview` (to be served from memory) before the build of the rest.
        self.open_pages: Callable[[], list[str]] = list
        self.on_preview: Callable[[list[PagePreview], bool], None] | None = None
        self.memory = PreviewMemory()
        # Changed files not applied yet (the watcher's): a build of the whole site stops
        # for them, so that a second save does not wait for the rest of the site.
        self.waiting: Callable[[], list[Path]] = list
        self.unapplied: dict[Path, ChangeKind] = {}  # the changes of a stopped build
        self.interruptions = 0  # builds stopped in a row
        self._read_files: frozenset[Path] | None = None  # while a change is applied
        # The files git keeps the content folder's commit in, as the last good build found
        # them: a commit changes the pages' "last updated" dates and the sitemap's.
        self.head_files: frozenset[Path] = frozenset()
        # A file left out of the site (`_notes.md`) was added or removed since the last
        # build: a link to it may find it now, which only a build tells.
        self.unlisted_changed = False

    def close(self) -> None:
        self.search.stop()

    def _built_search_state(self) -> SearchState | None:
        """The index state the last build kept in its cache (of the index it made whole)."""
        live = self.live
        return live.cache.load_part(STATE_PART, SearchState) if live is not None else None

    def _reindex_search(self) -> None:
        live = self.live
        if live is not None and live.config.search_enabled:
            paths = search_paths(live.config)
            pages = search_pages(live.site.pages, live.state.pages, paths, live.files_at)
            self.search.schedule(pages, live.out, live.config.search_code)

    def full_build(self) -> Update:
        """Build the whole site (incrementally); a UsageError (no project here) propagates."""
        try:
            update = self._full_build()
        except UsageError:
            raise
        except Exception as exc:  # files changing under the build: said, and served anyway
            update = Update(diagnostics=[crash_diagnostic(exc, self.root)], failed=True)
        return self._settle(update)

    def _full_build(self, interruptible: bool = False) -> Update:
        """Build the whole site; `interruptible`: a newer change stops it (BuildInterrupted)."""
        previous = self.live.state.pages if self.live is not None else {}
        options = self.options
        if interruptible:
            options = dataclasses.replace(options, progress=self._stop_for_newer_change)
        with self.search.lock:
            result = build_site(options)
        self.last_result = result
        update = Update(
            diagnostics=result.report.sorted(),
            failed=not result.ok,
            seconds=result.seconds,
            rendered=result.rendered,
        )
        if result.ok and result.live is not None:
            self.live = result.live
            self.unlisted_changed = False
            found = head_files(self.live.config.content_dir)
            self.head_files = frozenset(Path(path) for path in found or ())
            current = self.live.state.pages
            update.changed_urls = sorted(
                self.live.site.by_source[rel].url
                for rel, record in current.items()
                if rel not in previous or previous[rel].html_digest != record.html_digest
            )
            removed = set(previous) - set(current)
            update.reload_all = bool(removed) or not previous
            self._reindex_search()
        return update  # when nothing changed since the last build, nothing needs reloading

    def _settle(self, update: Update) -> Update:
        """Note whether the site is broken now, and whether this update mended it."""
        update.recovered = self.failing and not update.failed
        self.failing = update.failed
        return update

    def apply(self, paths: list[Path]) -> Update:
        """Bring the served site up to date with these changed files (the search index
        waits meanwhile: see BackgroundIndexer)."""
        try:
            with self.search.held():
                return self._apply(paths)
        finally:
            self._read_files = None  # the build may have read other files

    def _apply(self, paths: list[Path]) -> Update:
        kinds = {path: self.kind_of(path) for path in paths}
        unlisted = [
            p for p, kind in kinds.items() if kind is ChangeKind.IGNORED and self._unlisted(p)
        ]
        if unlisted:  # no change to the site, till a page links to it: nothing to build
            self.unlisted_changed = True
            self._forget_read(dict.fromkeys(unlisted, ChangeKind.IGNORED))
        # With the changes of a build that a newer change stopped: this build does them too.
        relevant = {
            **self.unapplied,
            **{p: k for p, k in kinds.items() if k is not ChangeKind.IGNORED},
        }
        if not relevant:
            return Update(skipped=True)
        self._forget_read(relevant)
        try:
            update = self._rebuild(relevant)
        except BuildInterrupted:
            self.unapplied = relevant
            self.interruptions += 1
            return Update(interrupted=True)
        except Exception as exc:  # a file vanished or changed kind mid-build: watch mode goes on
            self.broken_pages = set()  # only a whole build can tell the site is whole again
            update = Update(diagnostics=[crash_diagnostic(exc, self.root)], failed=True)
        self.unapplied, self.interruptions = {}, 0
        return self._settle(update)

    def _stop_for_newer_change(self, stage: str, done: int, total: int) -> None:
        """The build's progress listener: stop it where it renders when a newer change
        waits (its preview then comes at once), but not endlessly (an editor saving every
        moment): after MAX_INTERRUPTIONS stopped builds in a row, one runs to its end."""
        self.options.progress(stage, done, total)
        if stage not in INTERRUPTIBLE_STAGES or self.interruptions >= MAX_INTERRUPTIONS:
            return
        if any(self.kind_of(path) is not ChangeKind.IGNORED for path in self.waiting()):
            raise BuildInterrupted(stage)

    def _rebuild(self, relevant: dict[Path, ChangeKind]) -> Update:
        """Re-render the changed pages alone when that is enough, else build incrementally."""
        update = None
        pages_only = all(kind is ChangeKind.PAGE for kind in relevant.values())
        if pages_only and self._may_rerender(set(relevant)):
            update = self._bodies_only(list(relevant))
        # Pages re-rendered alone that failed are then the only broken part of the site.
        self.broken_pages = set(relevant) if update is not None and update.failed else set()
        if update is None:
            # Changed images, downloads and scripts go to the tabs at once, from memory.
            files = self._file_previews(relevant) if self._previewing() else None
            previewed = self._preview(relevant, files)
            try:
                update = self._full_build(interruptible=True)
            except UsageError as exc:  # say, content/ and the config deleted while serving
                error = Diagnostic("docsite", 0, 0, Severity.ERROR, str(exc))
                update = Update(diagnostics=[error], failed=True)
            self._after_preview(update, previewed)
            if not update.failed:
                kinds_seen = set(relevant.values())
                if files is not None and self._files_as_previewed(files):
                    kinds_seen -= {ChangeKind.ASSET, ChangeKind.STATIC}  # the tabs have them
                update.stylesheets = ChangeKind.STYLESHEET in kinds_seen
                if kinds_seen == {ChangeKind.STYLESHEET}:
                    update.css_only = True
                elif kinds_seen & {ChangeKind.ASSET, ChangeKind.STATIC}:
                    update.reload_all = update.files = True  # an image or a script, not the HTML
        return update

    def warm_up(self, interrupt: Callable[[], bool] = lambda: False) -> None:
        """Read the pages for the next preview while nothing changes: the first preview
        after a build, or after files were added or removed, then reads only changed pages.
        `interrupt`: a change waits; the reading stops for it and goes on when it is done."""
        if self.live is None or self.failing:
            return
        with contextlib.suppress(Exception):  # a preview is a shortcut: the build tells
            if not self.memory.ready:
                self.memory.ready = warm_up(self.options, self.live, self.memory, interrupt)
            if not interrupt():
                self.memory.recorded_links(self.live)  # the last build's, read once

    def _forget_read(self, relevant: dict[Path, ChangeKind]) -> None:
        """The previews' copies of these files are stale; the files are found again when one
        was added or removed (a config change that changes what is content says so itself)."""
        if self.live is None:
            return
        content_dir = self.live.config.content_dir.absolute()
        known = self.memory.known_files()
        rels = set()
        walk_again = False
        for path in relevant:
            absolute = path.absolute()
            if absolute.is_relative_to(content_dir):
                rel = absolute.relative_to(content_dir).as_posix()
                rels.add(rel)
                walk_again |= rel not in known or not path.is_file()
        self.memory.forget(rels, walk_again)

    def _previewing(self) -> bool:
        """Whether a change is previewed: a tab listens, and the served site is a good one."""
        return self.live is not None and not self.failing and self.on_preview is not None

    def _preview(
        self, relevant: dict[Path, ChangeKind], files: list[PagePreview] | None
    ) -> list[PagePreview]:
        """Send the open pages as they will be before building the rest: a changed
        stylesheet itself (swapped in place by the tabs, or fetched by the pages they
        reload), the changed `files` of content/ and static/ (the tabs reload with them;
        None: they cannot be sent), and the pages' renders for the other changes."""
        if not self._previewing():
            return []
        sheets = [path for path, kind in relevant.items() if kind is ChangeKind.STYLESHEET]
        previews = _stylesheets(sheets, self.root / "static") if sheets else []
        # A commit: the pages' new dates come with the build (the memory has the old ones).
        unseen = (ChangeKind.STYLESHEET, ChangeKind.COMMIT)
        others = {p: k for p, k in relevant.items() if k not in unseen}
        # The reader waits: the collector's walks of what the build left cost more than
        # the few cycles a preview makes.
        with collector_paused():
            pages = self._page_previews(others, files is not None) if others else []
        files = files or []
        sent = previews + files + pages
        if sent:
            self.on_preview(sent, not pages and not files)  # nothing to reload: swap the CSS
        return sent

    def _file_previews(self, relevant: dict[Path, ChangeKind]) -> list[PagePreview] | None:
        """The changed files of the content folder and of static/ (images, downloads,
        scripts) as the build will publish them; None when one is new, gone or not
        published by the last build, or an icon or an action (pages show those): the
        build then reloads the tabs. A build that publishes one otherwise reloads them too
        (`_files_as_previewed`)."""
        assert self.live is not None
        content_dir = self.live.config.content_dir.absolute()
        static = self.root / "static"
        style = self.live.config.urls
        published = [style.file_path(asset.rel) for asset in self.live.site.assets]
        previews = []
        for path, kind in relevant.items():
            absolute = path.absolute()
            if kind is ChangeKind.ASSET and absolute.is_relative_to(content_dir):
                target = style.file_path(absolute.relative_to(content_dir).as_posix())
                if published.count(target) != 1:  # not published, or two files in one place
                    return None
            elif kind is ChangeKind.STATIC and absolute.is_relative_to(static):
                target = absolute.relative_to(static).as_posix()
                if target.startswith("icons/") or not (self.live.out / target).is_file():
                    return None  # an icon of the site's, or a file the build did not publish
            elif kind in (ChangeKind.ASSET, ChangeKind.STATIC):
                return None  # brought back from a left-out folder; an icon pack's, an action
            else:
                continue
            try:
                previews.append(PagePreview(None, target, as_published(path, path.read_bytes())))
            except OSError:
                return None  # deleted: the build takes it away
        return previews

    def _files_as_previewed(self, files: list[PagePreview]) -> bool:
        """Whether the build published these files as they were previewed."""
        assert self.live is not None
        try:
            return all((self.live.out / p.output_path).read_bytes() == p.html for p in files)
        except OSError:
            return False

    def _page_previews(
        self, relevant: dict[Path, ChangeKind], files_sent: bool
    ) -> list[PagePreview]:
        """The open pages as the build will write them, for these changes (no stylesheet).
        `files_sent`: the changed files of content/ and static/ went out as previews."""
        assert self.live is not None
        kinds = set(relevant.values())
        urls = [path.removeprefix("/") for path in self.open_pages()]
        if not urls or (kinds & {ChangeKind.ASSET, ChangeKind.STATIC} and not files_sent):
            return []  # the build copies files the pages show: they are reloaded after it
        if kinds <= {ChangeKind.ASSET, ChangeKind.STATIC} and not set(relevant) & self.read_files():
            return []  # files sent, and no page reads them (an image): the pages stay as they are
        # A page may show what a changed file holds (a snippet, a download's size).
        fresh = kinds & {
            ChangeKind.TEMPLATE,
            ChangeKind.CONFIG,
            ChangeKind.INCLUDED,
            ChangeKind.ASSET,
            ChangeKind.STATIC,
        }
        content_dir = self.live.config.content_dir.absolute()
        changed = {
            path.absolute().relative_to(content_dir).as_posix()
            for path, kind in relevant.items()
            if kind is ChangeKind.PAGE
        }
        try:
            args = (self.live, self.memory, urls, changed, not fresh)
            return preview_pages(self.options, *args)
        except Exception:  # a shortcut that failed: the build that follows says what is wrong
            self.memory = PreviewMemory()
            return []

    def _after_preview(self, update: Update, previewed: list[PagePreview]) -> None:
        """Reload a previewed page again only when the build made it otherwise: the tab
        shows the preview, and it is byte for byte the built page."""
        update.previewed = previewed
        if not previewed or update.css_only:
            return
        changed = set(update.changed_urls)
        for preview in previewed:
            if preview.url is None:
                continue
            try:
                built = self.live.out / preview.output_path if self.live is not None else None
                same = built is not None and built.read_bytes() == preview.html
            except OSError:
                same = False
            if same:
                changed.discard(preview.url)
            else:
                changed.add(preview.url)
        update.changed_urls = sorted(changed)

    def _may_rerender(self, pages: set[Path]) -> bool:
        """Whether re-rendering these pages alone tells the truth about the whole site: it
        was whole, or only their own re-render failed; else only a whole (incremental)
        build can tell that it is whole again."""
        if self.live is None or self.unlisted_changed:
            return False
        return not self.failing or (bool(self.broken_pages) and self.broken_pages <= pages)

    def _unlisted(self, path: Path) -> bool:
        """Whether a change the site ignores added or removed a file of the content folder
        left out of the site, which a page may link to (then it is published)."""
        if self.live is None or path.name.startswith(".") or path.name.endswith("~"):
            return False
        content = self.live.config.content_dir.absolute()
        path = path.absolute()
        outputs = (self.live.out.resolve(), self.live.config.output_dir.resolve())
        if not path.is_relative_to(content) or any(path.is_relative_to(o) for o in outputs):
            return False
        rel = path.relative_to(content).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            return False  # .git, the cache, an editor's swap files
        return path.is_file() != (rel in self.live.site.linkable)

    def kind_of(self, path: Path) -> ChangeKind:
        """What kind of change a changed file is, for this project."""
        root = self.root
        config_files = (
            {self.options.config_file.resolve()}
            if self.options.config_file is not None
            else {root / name for name in (*CONFIG_NAMES, *RETYPE_CONFIG_NAMES)}
        )
        # A Retype config's partials: the files it extends, its fragments, retype.start.yml.
        folder = next(iter(config_files)).parent
        config_files |= {folder / f"retype.start.{suffix}" for suffix in ("yml", "yaml")}
        if path.absolute().parent == folder and is_fragment(path.name):
            config_files.add(path.absolute())  # made or removed: a build merges it, or not
        if self.live is not None:
            config_files |= {
                (self.live.config.root / p).resolve() for p in self.live.config.partials
            }
        ignored = [root / CACHE_DIR]
        if self.options.out is not None:
            ignored.append(self.options.out.resolve())
        if self.live is None:
            # No good build yet, so the content folder is unknown: all but the ignored counts.
            return classify(path, root, root, config_files, ignored)
        config = self.live.config
        # The project's own build output (inside the content folder in a Retype project).
        ignored += [self.live.out.resolve(), config.output_dir.resolve()]
        kind = classify(
            path,
            root,
            config.content_dir.absolute(),
            config_files,
            ignored,
            self.read_files(),
            self.head_files,
        )
        if kind is ChangeKind.IGNORED and self._brought_back(path.absolute()):
            return ChangeKind.ASSET  # a full build publishes it, or the page it is
        if kind is ChangeKind.INCLUDED and self._published(path.absolute()):
            return ChangeKind.ASSET  # a snippet or a download of the site: tabs may show it
        return kind

    def _published(self, path: Path) -> bool:
        """Whether the last build published this file of the content folder."""
        assert self.live is not None
        content = self.live.config.content_dir.absolute()
        if not path.is_relative_to(content):
            return False
        rel = path.relative_to(content).as_posix()
        return any(asset.rel == rel for asset in self.live.site.assets)

    def _brought_back(self, path: Path) -> bool:
        """A file in a left-out folder that is published all the same: `include` names it
        (or a folder it is in), or a page of the last build linked to it."""
        if self.live is None or path.name.startswith("."):  # an editor's swap file
            return False
        content = self.live.config.content_dir.absolute()
        if not path.is_relative_to(content):
            return False
        rel = path.relative_to(content).as_posix()
        records = self.live.state.pages.values()
        if any(
            rel in (published_file(key), resolved_target(key))
            for r in records
            for key in r.dependencies
        ):
            return True  # published, or linked to where it was not (then it is published)
        rules = PathRules(self.live.config.exclude, self.live.config.include)
        parts = rel.split("/")
        return any(
            rules.included("/".join(parts[: end + 1]), end < len(parts) - 1)
            for end in range(len(parts))
        )

    def partial_files(self) -> frozenset[Path]:
        """The files merged into a Retype config (extends, fragments, retype.start.yml)."""
        if self.live is None:
            return frozenset()
        config = self.live.config
        return frozenset((config.root / partial).resolve() for partial in config.partials)

    def read_files(self) -> frozenset[Path]:
        """Files outside the pages that the last good build read: includes, snippets (worked
        out once while a change is applied: each of its files asks)."""
        if self.live is None:
            return frozenset()
        if self._read_files is None:
            root = self.live.config.root.absolute()
            rels = (project_rel(name) for name in self.live.state.files)
            self._read_files = frozenset(root / rel for rel in rels if rel is not None)
        return self._read_files

    def _in_cards(self) -> set[str]:
        """The pages whose summaries the last good build's cards show."""
        assert self.live is not None
        records = self.live.state.pages.values()
        return {rel for r in records for key in r.dependencies if (rel := summarized_page(key))}

    def _bodies_only(self, paths: list[Path]) -> Update | None:
        """Re-render pages whose settings and title are unchanged; None if any changed more."""
        live = self.live
        assert live is not None
        from docsite.build.live import live_render  # the renderer, loaded with the first build

        content_dir = live.config.content_dir.absolute()
        pages = []
        for path in paths:
            rel = path.absolute().relative_to(content_dir).as_posix()
            page = live.site.by_source.get(rel)
            if page is None or not path.is_file():
                return None  # a new or deleted page: the nav changes
            if page.withheld:
                return None  # private or protected: loaded without the body the build keeps out
            try:
                text = read_text(path, page.source.shown)
            except DiagnosticError:
                return None  # the full build reports it
            split = split_frontmatter(text, page.source.shown, Report())
            if split.yaml_text != page.yaml_text or first_h1(split.body) != page.h1:
                return None
            if _summary_changed(live.theme.blog, page, split.body):
                return None  # the blog's summary pages and feed show it: a build redoes them
            new_summary = summary_facts(dataclasses.replace(page, body=split.body))
            if new_summary != summary_facts(page) and rel in self._in_cards():
                return None  # so do other pages' cards of it
            if sitemap_dated_by_file(page, live.config, live.dates):
                return None  # and the sitemap, by the file's new time
            pages.append((page, split))
        update = Update()
        for page, split in pages:
            page.body, page.body_line = split.body, split.body_line
            page.prelude, page.yaml_line = split.prelude, split.yaml_line
        outcome = live_render(live, [page for page, _ in pages])
        self.memory.records_changed()
        live.cache.forget_inputs()
        update.diagnostics = outcome.diagnostics
        update.failed = any(d.severity is Severity.ERROR for d in outcome.diagnostics)
        update.changed_urls = outcome.changed_urls
        update.seconds = outcome.seconds
        update.rendered = len(pages)
        if update.changed_urls:
            self._reindex_search()
        return update


def _stylesheets(paths: list[Path], static: Path) -> list[PagePreview]:
    """Changed stylesheets of static/, at their place in the site, as they are now."""
    previews = []
    static = static.absolute()
    for path in paths:
        absolute = path.absolute()
        if not absolute.is_relative_to(static):
            return []
        rel = absolute.relative_to(static).as_posix()
        try:
            data = as_published(path, path.read_bytes())
            previews.append(PagePreview(None, rel, data, stylesheet=True))
        except OSError:
            return []  # deleted: the build takes it away
    return previews


def _summary_changed(blog: Blog | None, page: Page, body: str) -> bool:
    """Whether a blog post's new body changes the summary its blog shows of it."""
    entry = blog.entry(page) if blog is not None else None
    return entry is not None and post_summary(dataclasses.replace(page, body=body)) != entry.summary


def crash_diagnostic(exc: Exception, root: Path) -> Diagnostic:
    """A rebuild that raised, as an error in the file it was reading when there is one: in
    watch mode files vanish, turn into folders or lose permissions between event and read."""
    place = "docsite"
    filename = getattr(exc, "filename", None)
    if isinstance(filename, (str, bytes)) and filename:
        path = Path(filename.decode() if isinstance(filename, bytes) else filename)
        try:
            place = path.absolute().relative_to(root).as_posix()
        except ValueError:
            place = path.as_posix()
    message = f"the rebuild stopped: {type(exc).__name__}: {exc}"
    hint = "the last good site is still served; it rebuilds on the next change"
    return Diagnostic(place, 0, 0, Severity.ERROR, message, hint)


def site_path(url: str) -> str:
    """A page URL as the browser's location shows it: '' -> '/', 'a/b/' -> '/a/b/'."""
    return "/" + url
