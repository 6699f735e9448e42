"""The build pipeline: config, discovery, pages, nav, Markdown, theme, output."""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from docsite.cache import (
    CACHE_VERSION,
    BuildCache,
    CacheState,
    PageRecord,
    digest,
    file_digest,
    file_stat,
)
from docsite.config import HeaderLink, SiteConfig, load_config
from docsite.diagnostics import DiagnosticError, Report, Severity
from docsite.icons import IconSet
from docsite.markdown.code import pygments_css
from docsite.markdown.links import EXTERNAL_URL as _EXTERNAL
from docsite.nav import build_nav
from docsite.output import OutputFolder
from docsite.pages import SettingsMemo, SiteContent, load_site
from docsite.render import PageBuilder, PageJob, build_pages, link_previous, link_snapshot
from docsite.sources import Discovery, discover
from docsite.theme import ROOT_MARK, Theme, default_theme_dir, static_dirs, template_dirs

# Marks a folder as docsite's output, so a build may replace it; any other is refused.
OUTPUT_MARKER = ".docsite"


class UsageError(Exception):
    """The command itself is wrong (exit code 2), as opposed to the content (exit 1)."""


@dataclass
class BuildOptions:
    root: Path
    config_file: Path | None = None
    out: Path | None = None
    strict: bool = False
    jobs: int = 0  # worker processes; 0 means one per core
    use_cache: bool = True


@dataclass
class BuildResult:
    report: Report
    pages: int = 0
    rendered: int = 0  # pages rendered this time (the others were reused)
    seconds: float = 0.0
    output: Path | None = None
    written: bool = False
    unchanged: bool = False  # nothing changed since the last build: nothing was written
    notes: list[str] = field(default_factory=list)  # for -v: how the cache was used
    # (source shown, output path) per page, for `-v`.
    page_outputs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.written


def build_site(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    report = Report()
    result = BuildResult(report)
    try:
        try:
            config = load_config(options.root.resolve(), options.config_file, report)
        except FileNotFoundError as exc:
            raise UsageError(f"{exc}; check the path given to --config") from None
        out = (options.out if options.out is not None else config.output_dir).resolve()
        result.output = out
        check_output_folder(out, config)
        found = discover(config.content_dir, config.input, report)
    except DiagnosticError as exc:
        report.extend(exc.diagnostics)
        return _finish(result, started)
    cache = BuildCache(config.root, enabled=options.use_cache)
    result.notes.extend(cache.notes)
    previous = cache.state
    files = input_files(config, found, previous.files)
    inputs_digest = digest(
        CACHE_VERSION,
        engine_digest(),
        config,
        str(out),
        report.items,
        sorted((rel, entry[0]) for rel, entry in files.items()),
    )
    result.pages = len(found.pages)
    if (
        previous.inputs_digest == inputs_digest
        and previous.output == str(out)
        and (out / OUTPUT_MARKER).is_file()
    ):
        # Nothing that the site is made of changed: the site on disk is already this build.
        report.extend(previous.diagnostics)
        result.unchanged = True
        result.notes.append("nothing changed since the last build; the site was left as it is")
        _apply_strict(report, options.strict)
        result.written = not report.errors
        return _finish(result, started)

    memo = SettingsMemo(previous=previous.parsed)
    site = load_site(found, report, memo)
    nav = build_nav(site)
    icons = IconSet(custom_dirs=_icon_dirs(config))
    check_icons(site, config, icons, report)
    try:
        theme = Theme(config, nav, icons, resolve_header_links(site, config, report))
        with OutputFolder(out) as output:
            records = _build_pages(
                site, theme, config, files, previous, cache, output, out, options, report, result
            )
            _place_files(site, config, files, previous, output, out, report)
            output.write_text("assets/pygments.css", pygments_css())
            output.write_text("assets/icons.css", icons.stylesheet(_icons_in_use(icons, records)))
            output.write_text(OUTPUT_MARKER, "Written by docsite: each build replaces it.\n")
            _apply_strict(report, options.strict)
            if not report.errors:
                output.commit()
                result.written = True
                cache.save(
                    CacheState(
                        output=str(out),
                        inputs_digest=inputs_digest,
                        diagnostics=report.sorted(),
                        pages=records,
                        files=files,
                        parsed=memo.current,
                    )
                )
    except jinja2.TemplateError as exc:
        report.add(template_diagnostic(exc, config))
    return _finish(result, started)


def _finish(result: BuildResult, started: float) -> BuildResult:
    result.seconds = time.perf_counter() - started
    return result


def _build_pages(
    site: SiteContent,
    theme: Theme,
    config: SiteConfig,
    files: dict[str, tuple[str, tuple[int, int]]],
    previous: CacheState,
    cache: BuildCache,
    output: OutputFolder,
    out: Path,
    options: BuildOptions,
    report: Report,
    result: BuildResult,
) -> dict[str, PageRecord]:
    """Reuse every page whose inputs are unchanged; render the rest, over all cores."""
    assets_key = digest(sorted(a.rel for a in site.assets))
    theme_key = digest(
        config,
        theme.header_links,
        [files[rel][0] for rel in sorted(files) if rel.startswith("templates:")],
    )
    previous_output = out if out.is_dir() else None
    records: dict[str, PageRecord] = {}
    jobs: list[PageJob] = []
    base_keys: dict[str, str] = {}
    markdown_keys: dict[str, str] = {}
    for page in site.pages:
        rel = page.source.rel
        record = previous.pages.get(rel)
        markdown_key = digest(
            CACHE_VERSION, engine_digest(), rel, page.url, page.body, page.body_line, assets_key
        )
        dependencies = link_snapshot(site, record.dependencies) if record else {}
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
            and link_previous(previous_output, record, staged)
        ):
            records[rel] = record
            report.extend(record.diagnostics)
        else:
            jobs.append(PageJob(rel, markdown_key, markdown_valid))
    builder = PageBuilder(site, theme, output.staging, previous_output, previous.pages, cache)
    workers = options.jobs or os.cpu_count() or 1
    for outcome in build_pages(builder, jobs, workers):
        report.extend(outcome.diagnostics)
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
            output_stat=outcome.output_stat,
            icons=outcome.icons,
            diagnostics=outcome.diagnostics,
        )
    result.rendered = len(jobs)
    result.page_outputs = [(p.source.shown, p.output_path) for p in site.pages]
    if jobs:
        result.notes.append(
            f"rendered {len(jobs)} of {len(site.pages)} pages "
            f"({len(site.pages) - len(jobs)} unchanged)"
        )
    return records


def check_output_folder(out: Path, config: SiteConfig) -> None:
    """Refuse to replace a folder that holds the sources: the swap would delete them."""
    root = config.root.resolve()
    protected = {
        "the project folder": root,
        "the content folder": config.content_dir.resolve(),
        "the templates folder": (root / "templates").resolve(),
        "the static folder": (root / "static").resolve(),
    }
    if out.exists() and not out.is_dir():
        raise UsageError(f"refusing to write the site to '{out}': it is a file, not a folder")
    if out.is_dir() and not (out / OUTPUT_MARKER).is_file() and any(out.iterdir()):
        raise UsageError(
            f"refusing to replace '{out}': it holds files that docsite did not write, and a build "
            "replaces the whole folder; choose an empty or new folder, or delete it first"
        )
    for name, folder in protected.items():
        if out == folder or folder.is_relative_to(out):
            raise UsageError(
                f"refusing to write the site to '{out}': it is or contains {name}, "
                "which the build would replace; choose another --out or 'output'"
            )
        if out.is_relative_to(folder) and name != "the project folder":
            raise UsageError(
                f"refusing to write the site to '{out}': it is inside {name}; "
                "choose another --out or 'output'"
            )


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
        if not _EXTERNAL.match(target) and not target.startswith("#"):
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


def input_files(
    config: SiteConfig, found: Discovery, known: dict[str, tuple[str, tuple[int, int]]]
) -> dict[str, tuple[str, tuple[int, int]]]:
    """Content hash (and stat) of every file the site is made of, by a namespaced name."""
    named: list[tuple[str, Path]] = []
    for source in (*found.pages, *found.settings.values(), *found.assets):
        named.append(("content:" + source.rel, source.path))
    for prefix, folders in (
        ("templates:", template_dirs(config)),
        ("static:", static_dirs(config)),
    ):
        for folder in folders:
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and not any(p.startswith(".") for p in rel.split("/")):
                    named.append((prefix + rel + "@" + str(folder), path))
    files: dict[str, tuple[str, tuple[int, int]]] = {}
    for name, path in named:
        try:
            files[name] = (file_digest(path, name, known), file_stat(path))
        except OSError:
            files[name] = ("unreadable", (0, 0))
    return files


def _place_files(
    site: SiteContent,
    config: SiteConfig,
    files: dict[str, tuple[str, tuple[int, int]]],
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
        before = previous.files.get(name)
        old = out / rel
        unchanged = (
            before is not None
            and before[0] == files[name][0]
            and old.is_file()
            and old.stat().st_size == files[name][1][0]
        )
        if not (unchanged and output.link_from(old, rel)):
            output.copy_file(path, rel)


def _icons_in_use(icons: IconSet, records: dict[str, PageRecord]) -> set[str]:
    names = set(icons.used)
    for record in records.values():
        names.update(record.icons)
    return names


def _apply_strict(report: Report, strict: bool) -> None:
    if strict:
        report.items = [d.as_error() for d in report.items]


_ENGINE_DIGEST: list[str] = []


def engine_digest() -> str:
    """A hash of docsite's own code, so a changed engine never reuses cached output."""
    if not _ENGINE_DIGEST:
        package = Path(__file__).resolve().parent
        sources = sorted(package.rglob("*.py"))
        _ENGINE_DIGEST.append(
            digest([(p.relative_to(package).as_posix(), p.read_bytes()) for p in sources])
        )
    return _ENGINE_DIGEST[0]


def _icon_dirs(config: SiteConfig) -> list[Path]:
    dirs = [config.root / "static" / "icons", default_theme_dir() / "static" / "icons"]
    return [d for d in dict.fromkeys(d.resolve() for d in dirs) if d.is_dir()]


def template_diagnostic(exc: jinja2.TemplateError, config: SiteConfig):
    from docsite.diagnostics import Diagnostic

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
