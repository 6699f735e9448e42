"""The full pipeline behind a build: pages, nav, theme, rendering, output, cache."""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from docsite.build import (
    OUTPUT_MARKER,
    PROJECT_FILE,
    UNREADABLE,
    BuildOptions,
    BuildResult,
    apply_strict,
    digest_inputs,
    marker_of,
    project_file_entry,
)
from docsite.cache import (
    CACHE_DIR,
    CACHE_VERSION,
    BuildCache,
    CacheState,
    FileEntry,
    InputHasher,
    PageRecord,
    SettingsState,
    digest,
    engine_digest,
)
from docsite.checks import check_links
from docsite.config import HeaderLink, SiteConfig
from docsite.diagnostics import Diagnostic, Report, Severity
from docsite.gitdates import read_dates
from docsite.icons import IconSet
from docsite.markdown.code import pygments_css
from docsite.markdown.links import EXTERNAL_URL
from docsite.markdown.templating import (
    INCLUDES_FOLDER,
    SITE_INCLUDES,
    SiteHtml,
    TemplateSetup,
    page_variables,
    project_variables,
    uses_templating,
)
from docsite.nav import NavTree, build_nav
from docsite.output import OutputClash, OutputFolder
from docsite.pages import Page, SettingsMemo, SiteContent, load_site
from docsite.projectfiles import MISSING
from docsite.publish import markdown_copy, markdown_path, publish
from docsite.render import (
    FILE_DEPENDENCY,
    PageBuilder,
    PageJob,
    build_pages,
    link_previous,
    snapshot,
)
from docsite.search import SearchState, index_built_site
from docsite.sources import SETTINGS_SUFFIXES, Discovery
from docsite.theme import ROOT_MARK, Theme
from docsite.themefiles import default_theme_dir, static_dirs


@dataclass
class LiveState:
    """A successful build, kept in memory so watch mode can re-render single pages."""

    config: SiteConfig
    site: SiteContent
    nav: NavTree
    theme: Theme
    state: CacheState
    cache: BuildCache
    out: Path


@dataclass
class LiveOutcome:
    diagnostics: list[Diagnostic]
    changed_urls: list[str]
    seconds: float


def live_render(live: LiveState, pages: list) -> LiveOutcome:
    """Re-render pages in place in the served folder; a page with errors keeps its old file."""
    started = time.perf_counter()
    builder = PageBuilder(
        live.site, live.theme, live.out, None, {}, live.cache, live.state.files, live=True
    )
    diagnostics: list[Diagnostic] = []
    changed = []
    for page in pages:
        record = live.state.pages.get(page.source.rel)
        outcome = builder.build(PageJob(page.source.rel, "live:" + digest(page.body), False))
        diagnostics.extend(outcome.diagnostics)
        # Files the new body reads (a snippet just added) are watched from now on.
        _note_project_files(live.config, outcome.dependencies, live.state.files, InputHasher({}))
        if record is not None and outcome.html_digest:
            record.dependencies = outcome.dependencies
        if outcome.html_digest and not page.settings.redirect:
            # Its Markdown copy too, replaced whole like the page.
            copy = live.out / markdown_path(page)
            temporary = copy.with_name(f".{copy.name}.tmp-{os.getpid()}")
            try:
                temporary.write_text(
                    markdown_copy(page, outcome.expanded or page.body), encoding="utf-8"
                )
                os.replace(temporary, copy)
            except BaseException:
                temporary.unlink(missing_ok=True)  # a full disk leaves no half file behind
                raise
        if outcome.html_digest and (record is None or record.html_digest != outcome.html_digest):
            changed.append(page.url)
            if record is not None:
                record.html_digest = outcome.html_digest
                record.search_digest = outcome.search_digest
                record.output_stat = outcome.output_stat
    return LiveOutcome(sorted(diagnostics), changed, time.perf_counter() - started)


def render_site(
    config: SiteConfig,
    found: Discovery,
    out: Path,
    files: dict[str, FileEntry],
    hasher: InputHasher,
    inputs_base: str,
    cache: BuildCache,
    options: BuildOptions,
    report: Report,
    result: BuildResult,
) -> None:
    """Load pages, build the nav, render what changed and swap the new site in."""
    previous = cache.state
    _note_cache(cache, result)
    settings = cache.load_part("settings", SettingsState) or SettingsState()
    memo = SettingsMemo(previous=settings.parsed)
    options.progress("reading pages", 0, len(found.pages))
    site = load_site(found, report, memo)
    if not check_output_names(site, report):
        return  # such a page cannot be written: stop before anything is
    nav = build_nav(site)
    icons = IconSet(custom_dirs=_icon_dirs(config))
    check_icons(site, config, icons, report)
    try:
        theme = Theme(
            config, nav, icons, resolve_header_links(site, config, report), cache.templates_dir()
        )
        theme.site_html, site_html_files = load_site_html(config, site, report)
        dates = read_dates(config.content_dir, config.root if options.use_cache else None)
        theme.last_updated = dates.committed
        with OutputFolder(out, cache.spare) as output:
            records, site_key = _build_pages(
                site,
                theme,
                config,
                files,
                previous,
                hasher,
                cache,
                output,
                out,
                options,
                report,
                result,
                site_html_files,
            )
            _place_files(site, config, files, previous, output, out, report)
            previous_output = out if out.is_dir() else None
            # The site on disk is the one the cache describes (not one from a --no-cache build
            # or from a build killed before it saved the cache): its files may be reused unread.
            as_recorded = previous.marker == marker_of(out)
            reused = {rel for rel, record in records.items() if previous.pages.get(rel) is record}
            if not as_recorded:
                reused = set()
            publish(
                site,
                nav,
                theme,
                config,
                dates,
                output,
                previous_output,
                cache,
                report,
                records,
                reused,
                site_key == previous.site_key and as_recorded,
            )
            output.write_text("assets/pygments.css", pygments_css(), previous_output)
            output.write_text(
                "assets/icons.css",
                icons.stylesheet(_icons_in_use(icons, records)),
                previous_output,
            )
            # A first build copies its folders for the next one while Pagefind indexes.
            output.start_spare()
            search = None
            if options.search_index:
                options.progress("search index", 0, 0)
                search = index_built_site(
                    site,
                    records,
                    config,
                    output,
                    previous_output,
                    report,
                    None if options.keep_live else lambda: cache.load_part("search", SearchState),
                    options.keep_live,
                )
                _note_cache(cache, result)  # a search index it could not read
                result.notes.append(search.note())
            output.write_text(OUTPUT_MARKER, "Written by docsite: each build replaces it.\n")
            options.progress("writing", 0, 0)
            apply_strict(report, options.strict)
            if not report.errors:
                _swap_in(
                    output,
                    CacheState(
                        output=str(out),
                        inputs_digest=digest_inputs(inputs_base, files),
                        diagnostics=report.sorted(),
                        pages=records,
                        files=files,
                        site_key=site_key,
                        # The marker's file keeps its identity through the swap.
                        marker=marker_of(output.staging),
                    ),
                    cache,
                    [
                        ("settings", SettingsState(memo.current))
                        if memo.current.keys() != settings.parsed.keys()
                        else None,
                        ("search", search.state)
                        if search is not None and search.state is not None
                        else None,
                    ],
                    report,
                    result,
                )
                if options.keep_live:
                    result.live = LiveState(config, site, nav, theme, cache.state, cache, out)
    except jinja2.TemplateError as exc:
        report.add(template_diagnostic(exc, config))
    except OutputClash as clash:
        report.add(clash_diagnostic(clash, site))


def _swap_in(
    output: OutputFolder,
    state: CacheState,
    cache: BuildCache,
    parts: list[tuple[str, object] | None],
    report: Report,
    result: BuildResult,
) -> None:
    """Write the cache, swap the site in, then put the cache in place: what may fail (a full
    disk) comes before the swap, so a failed build always leaves the old site, and a build
    that swapped it in succeeds."""
    staged = cache.stage(state)
    try:
        for part in parts:
            if part is not None:
                cache.stage_part(staged, *part)
        output.commit()
    except BaseException:
        staged.discard()
        raise
    result.written = True
    try:
        staged.commit()
    except OSError as exc:
        report.warning(
            CACHE_DIR,
            0,
            0,
            f"the site was built, but the build cache could not be saved: {exc.strerror or exc}",
            "the next build renders every page again; delete .docsite-cache/ if this repeats",
        )


def check_output_names(site: SiteContent, report: Report) -> bool:
    """Every file name a page is written under fits in a file system's 255 bytes; a longer
    one is an error at its permalink (or at the file), before anything is written."""
    fits = True
    for page in site.pages:
        for path in (page.output_path, markdown_path(page)):
            longest = max(path.split("/"), key=lambda name: len(name.encode("utf-8")))
            size = len(longest.encode("utf-8"))
            if size <= NAME_MAX:
                continue
            fits = False
            if page.settings.permalink:
                where = page.settings.where("permalink", page.source.shown)
                place, what = (where.file, where.line, where.col), "its permalink"
            else:
                place, what = (page.source.shown, 0, 0), "its file name"
            report.error(
                *place,
                f"{what} makes a file name of {size} bytes ('{longest[:40]}...'); "
                f"file systems allow at most {NAME_MAX}",
                "shorten it",
            )
            break
    return fits


# The longest file name most file systems allow, in bytes.
NAME_MAX = 255


def clash_diagnostic(clash: OutputClash, site: SiteContent) -> Diagnostic:
    """Two outputs at one path, as an error at the page that caused it: at its permalink,
    if it has one, else at its file."""
    prefix = clash.rel + "/"
    involved = [
        page
        for page in site.pages
        if page.output_path == clash.rel or page.output_path.startswith(prefix)
    ]
    page = next((p for p in involved if p.settings.permalink), None) or next(iter(involved), None)
    if page is None:
        return Diagnostic(
            clash.rel,
            0,
            0,
            Severity.ERROR,
            f"'{clash.rel}' would be both a file and a folder holding '{clash.inside}'",
            "rename the file in static/ or content/ that is published there",
        )
    other = clash.inside if page.output_path == clash.rel else clash.rel
    if not page.settings.permalink:
        return Diagnostic(
            page.source.shown,
            0,
            0,
            Severity.ERROR,
            f"this page is published at '/{page.url}', where the site has another file, "
            f"'{other}' (docsite generates it, or static/ holds it)",
            "rename the page, or give it a 'permalink'",
        )
    where = page.settings.where("permalink", page.source.shown)
    return Diagnostic(
        where.file,
        where.line,
        where.col,
        Severity.ERROR,
        f"the permalink '{page.settings.permalink}' puts this page where the site has "
        f"another file, '{other}' (docsite generates it, or static/ holds it)",
        "choose another permalink",
    )


def _note_cache(cache: BuildCache, result: BuildResult) -> None:
    """What the cache said about itself (a part it ignored) since the last call."""
    result.notes.extend(note for note in cache.notes if note not in result.notes)


def _build_pages(
    site: SiteContent,
    theme: Theme,
    config: SiteConfig,
    files: dict[str, FileEntry],
    previous: CacheState,
    hasher: InputHasher,
    cache: BuildCache,
    output: OutputFolder,
    out: Path,
    options: BuildOptions,
    report: Report,
    result: BuildResult,
    site_html_files: list[str],
) -> tuple[dict[str, PageRecord], str]:
    """Reuse every page whose inputs are unchanged; render the rest, over all cores.
    Returns the records and the site key they were made with."""
    # Pages may show an asset's size ([!file]), not only link to it: key on contents.
    assets_key = digest(sorted((a.rel, files["content:" + a.rel][0]) for a in site.assets))
    site_includes = _site_include_entries(config, files, hasher, site_html_files)
    site_includes_key = digest(site_includes)
    # top.md and bottom.md go into every page, with its values.
    site_templated = any(
        rel.endswith(("/top.md", "/bottom.md")) and entry != MISSING for rel, entry in site_includes
    )
    theme_key = digest(
        config,
        theme.header_links,
        [files[rel][0] for rel in sorted(files) if rel.startswith("templates:")],
        site_includes_key,
    )
    variables_key = digest(project_variables(config), config.data)
    site_key = digest(
        CACHE_VERSION,
        engine_digest(),
        assets_key,
        site_includes_key,
        theme_key,
        variables_key,
        # The nav, titles, labels and settings of every page, and the folders' settings.
        [(p.source.rel, p.yaml_text, p.h1) for p in site.pages],
        sorted(
            (name, entry[0]) for name, entry in files.items() if name.endswith(SETTINGS_SUFFIXES)
        ),
        # Files of static/ may take the place of generated pages (404.html).
        sorted((name, entry[0]) for name, entry in files.items() if name.startswith("static:")),
        theme.last_updated,
    )
    same_site = site_key == previous.site_key
    previous_output = out if out.is_dir() else None
    records: dict[str, PageRecord] = {}
    jobs: list[PageJob] = []
    why_rendered: dict[str, str] = {}
    base_keys: dict[str, str] = {}
    markdown_keys: dict[str, str] = {}
    for page in site.pages:
        rel = page.source.rel
        record = previous.pages.get(rel)
        source_digest = files["content:" + rel][0]
        if (
            same_site
            and record is not None
            and record.source_digest == source_digest
            and not page.settings.redirect
            and record.dependencies == snapshot(site, files, record.dependencies)
            and link_previous(
                previous_output, record, output.staging / page.output_path, output.made_folders
            )
        ):
            records[rel] = record  # nothing it shows changed: no keys to work out
            output.placed.add(page.output_path)
            report.extend(record.diagnostics)
            continue
        markdown_key = digest(
            CACHE_VERSION,
            engine_digest(),
            rel,
            page.url,
            page.body,
            page.body_line,
            assets_key,
            config.markdown_html,
            site_includes_key,
            # What `{{ page.label }}` and the like show, for pages that use them.
            (variables_key, page_variables(page))
            if uses_templating(page) or site_templated
            else None,
        )
        dependencies = snapshot(site, files, record.dependencies) if record else {}
        markdown_valid = (
            record is not None
            and record.markdown_key == markdown_key
            and record.dependencies == dependencies
        )
        # Everything but the links' targets, which are known only once the body is parsed.
        base_key = digest(
            markdown_key,
            theme.page_context_key(page),
            page.settings,
            page.label,
            page.title,
            page.url,
            theme_key,
        )
        page_key = digest(base_key, dependencies)
        base_keys[rel] = base_key
        markdown_keys[rel] = markdown_key
        staged = output.staging / page.output_path
        if (
            markdown_valid
            and record is not None
            and record.page_key == page_key
            and not page.settings.redirect
            and link_previous(previous_output, record, staged, output.made_folders)
        ):
            record.source_digest = source_digest
            records[rel] = record
            output.placed.add(page.output_path)
            report.extend(record.diagnostics)
        else:
            jobs.append(PageJob(rel, markdown_key, markdown_valid))
            why_rendered[rel] = _why_rendered(
                page,
                record,
                previous,
                source_digest,
                markdown_valid,
                record is not None and record.dependencies != dependencies,
                record is not None and record.page_key != page_key,
            )
    builder = PageBuilder(
        site, theme, output.staging, previous_output, previous.pages, cache, files
    )
    workers = options.jobs or os.cpu_count() or 1
    options.progress("rendering", 0, len(jobs))

    def rendered(count: int) -> None:
        options.progress("rendering", count, len(jobs))

    for outcome in build_pages(builder, jobs, workers, rendered):
        report.extend(outcome.diagnostics)
        _note_project_files(config, outcome.dependencies, files, hasher)
        if outcome.html_digest:
            output.placed.add(outcome.output_path)
        if (
            any(d.severity is Severity.ERROR for d in outcome.diagnostics)
            or not outcome.html_digest
        ):
            continue
        records[outcome.rel] = PageRecord(
            markdown_key=markdown_keys[outcome.rel],
            dependencies=outcome.dependencies,
            page_key=digest(base_keys[outcome.rel], outcome.dependencies),
            output_path=outcome.output_path,
            html_digest=outcome.html_digest,
            search_digest=outcome.search_digest,
            output_stat=outcome.output_stat,
            icons=outcome.icons,
            diagnostics=outcome.diagnostics,
            anchors=outcome.anchors,
            page_links=outcome.page_links,
            expanded=outcome.expanded,
            source_digest=files["content:" + outcome.rel][0],
        )
    report.extend(check_links(site, records))
    result.rendered = len(jobs)
    shown = {rel: site.by_source[rel] for rel in why_rendered}
    result.rendered_pages = [
        (shown[rel].source.shown, shown[rel].output_path, why) for rel, why in why_rendered.items()
    ]
    if jobs:
        result.notes.append(
            f"rendered {len(jobs)} of {len(site.pages)} pages "
            f"({len(site.pages) - len(jobs)} unchanged)"
        )
    return records, site_key


def _why_rendered(
    page: Page,
    record: PageRecord | None,
    previous: CacheState,
    source_digest: str,
    markdown_valid: bool,
    uses_changed: bool,
    page_changed: bool,
) -> str:
    """Why a page was rendered rather than reused, in words, for `-v`."""
    if record is None:
        return "new page" if previous.pages else "nothing cached yet"
    if page.settings.redirect:
        return "redirect pages are always written"
    if record.source_digest != source_digest:
        return "its file changed"
    if uses_changed:
        return "a page or file it uses changed"
    if not markdown_valid:
        return "the config, an include or an asset it may show changed"
    if page_changed:
        return "the navigation, the theme or a title it shows changed"
    return "its previous output was missing"


def load_site_html(
    config: SiteConfig, site: SiteContent, report: Report
) -> tuple[SiteHtml, list[str]]:
    """The site-wide HTML includes, checked once (they are the same on every page), and the
    project files they read."""
    setup = TemplateSetup.for_site(config.root, config.content_dir, config)
    site_html = SiteHtml(setup)
    problems, read = site_html.load()
    report.extend(problems)
    if site.pages and not problems:
        problems, included = site_html.check(site.pages[0])
        report.extend(problems)
        read = {**read, **included}
    return site_html, sorted(read)


def _site_include_entries(
    config: SiteConfig,
    files: dict[str, FileEntry],
    hasher: InputHasher,
    extra: list[str],
) -> list[tuple[str, str]]:
    """The site-wide includes (content/_includes/head.html...), present or not, and the files
    they include, as inputs of every page."""
    content = os.path.relpath(config.content_dir, config.root).replace(os.sep, "/")
    folder = f"{content}/{INCLUDES_FOLDER}/"
    entries = []
    for rel in sorted({*(folder + name for name in SITE_INCLUDES), *extra}):
        name = PROJECT_FILE + rel
        files[name] = project_file_entry(config.root, name, hasher)
        entries.append((name, files[name][0]))
    return entries


def _note_project_files(
    config: SiteConfig,
    dependencies: dict[str, tuple],
    files: dict[str, FileEntry],
    hasher: InputHasher,
) -> None:
    """Files a page read become inputs of the site: a change to one is a change to it."""
    for key in dependencies:
        if key.startswith(FILE_DEPENDENCY):
            name = PROJECT_FILE + key.removeprefix(FILE_DEPENDENCY)
            if name not in files:
                files[name] = project_file_entry(config.root, name, hasher)


def check_icons(site: SiteContent, config: SiteConfig, icons: IconSet, report: Report) -> None:
    """Every icon named in settings must exist; a typo is a warning with suggestions."""
    checked: list[tuple[str, str, int, int]] = []
    for page in site.pages:
        if page.settings.icon:
            where = page.settings.where("icon", page.source.shown)
            checked.append((page.settings.icon, where.file, where.line, where.col))
    for folder in site.folders.values():
        if folder.index is None and folder.settings.icon:
            where = folder.settings.where("icon", folder.settings_file)
            checked.append((folder.settings.icon, where.file, where.line, where.col))
    for link in config.links:
        if link.icon:
            checked.append((link.icon, config.file, 0, 0))
    for value, file, line, col in checked:
        if icons.resolve(value) is None:
            close = icons.suggestions(value)
            report.warning(
                file,
                line,
                col,
                f"unknown icon '{value}'",
                ("did you mean " + " or ".join(f"'{c}'" for c in close) + "?")
                if close
                else "use an Octicon name, an emoji like :rocket:, or an SVG in static/icons/",
            )


def resolve_header_links(site: SiteContent, config: SiteConfig, report: Report) -> list[HeaderLink]:
    """Header links to pages (.md or site paths) become root-relative; others stay as written."""
    resolved = []
    for link in config.links:
        target = link.link
        if not EXTERNAL_URL.match(target) and not target.startswith("#"):
            path = target.lstrip("/")
            page = (
                site.by_source.get(path.partition("#")[0])
                if path.endswith(".md") or ".md#" in path
                else None
            )
            if page is not None:
                fragment = "#" + path.partition("#")[2] if "#" in path else ""
                target = Markup(ROOT_MARK) + page.url + fragment
            elif path.endswith(".md"):
                report.error(
                    config.file,
                    0,
                    0,
                    f"header link '{link.link}' points to a page that does not exist",
                    "header links to pages are written relative to content/, e.g. guide/setup.md",
                )
            else:
                target = Markup(ROOT_MARK) + path
        resolved.append(HeaderLink(link.text, target, link.icon))
    return resolved


def _place_files(
    site: SiteContent,
    config: SiteConfig,
    files: dict[str, FileEntry],
    previous: CacheState,
    output: OutputFolder,
    out: Path,
    report: Report,
) -> None:
    """Copy content assets, then static files (the theme's, then the site's, which win).

    A file unchanged since the last build is hard-linked from it rather than copied."""
    placed: dict[str, tuple[Path, str]] = {}
    for asset in site.assets:
        placed[asset.rel] = (asset.path, "content:" + asset.rel)
    asset_rels = set(placed)
    site_static = (config.root / "static").resolve()
    for folder in static_dirs(config):
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if not path.is_file() or any(p.startswith(".") for p in rel.split("/")):
                continue
            if folder == site_static and rel in asset_rels:
                report.warning(
                    f"static/{rel}",
                    0,
                    0,
                    f"'static/{rel}' and '{config.input}/{rel}' are both published at /{rel}; "
                    "the static file wins",
                    "keep only one of them",
                )
            placed[rel] = (path, "static:" + rel + "@" + str(folder))
    for rel in sorted(placed):
        path, name = placed[rel]
        before, now = previous.files.get(name), files.get(name)  # None: new since hashed
        if now is not None and now[0] == UNREADABLE:
            continue  # already an error (build.input_files)
        old = out / rel
        unchanged = (
            before is not None
            and now is not None
            and before[0] == now[0]
            and old.is_file()
            and old.stat().st_size == now[1][0]
        )
        if not (unchanged and output.link_from(old, rel)):
            output.copy_file(path, rel)


def _icons_in_use(icons: IconSet, records: dict[str, PageRecord]) -> set[str]:
    names = set(icons.used)
    for record in records.values():
        names.update(record.icons)
    return names


def _icon_dirs(config: SiteConfig) -> list[Path]:
    dirs = [config.root / "static" / "icons", default_theme_dir() / "static" / "icons"]
    return [d for d in dict.fromkeys(d.resolve() for d in dirs) if d.is_dir()]


def template_diagnostic(exc: jinja2.TemplateError, config: SiteConfig):

    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    line = getattr(exc, "lineno", 0) or 0
    with contextlib.suppress(ValueError, OSError):
        name = str(Path(name).resolve().relative_to(config.root.resolve()))
    return Diagnostic(
        str(name),
        line,
        1 if line else 0,
        Severity.ERROR,
        f"template error: {exc.message or exc}",
        "fix the template, or delete your override to use the default theme",
    )
