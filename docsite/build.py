"""The build pipeline: config, discovery, pages, nav, Markdown, theme, output."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from docsite.config import HeaderLink, SiteConfig, load_config
from docsite.diagnostics import DiagnosticError, Report, Severity
from docsite.icons import IconSet
from docsite.markdown import MarkdownRenderer
from docsite.markdown.code import pygments_css
from docsite.markdown.context import RenderContext
from docsite.markdown.links import EXTERNAL_URL as _EXTERNAL
from docsite.markdown.links import resolve_link
from docsite.nav import build_nav
from docsite.output import OutputFolder
from docsite.pages import Page, SiteContent, load_site
from docsite.sources import discover
from docsite.theme import ROOT_MARK, Theme, default_theme_dir

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


@dataclass
class BuildResult:
    report: Report
    pages: int = 0
    seconds: float = 0.0
    output: Path | None = None
    written: bool = False
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
            config = load_config(options.root, options.config_file, report)
        except FileNotFoundError as exc:
            raise UsageError(f"{exc}; check the path given to --config") from None
        out = (options.out if options.out is not None else config.output_dir).resolve()
        result.output = out
        check_output_folder(out, config)
        found = discover(config.content_dir, config.input, report)
    except DiagnosticError as exc:
        report.extend(exc.diagnostics)
        return _finish(result, started)
    site = load_site(found, report)
    nav = build_nav(site)
    icons = IconSet(custom_dirs=_icon_dirs(config))
    check_icons(site, config, icons, report)
    result.pages = len(site.pages)
    try:
        theme = Theme(config, nav, icons, resolve_header_links(site, config, report))
        with OutputFolder(out) as output:
            result.page_outputs = _render_pages(site, theme, output, report)
            _copy_files(site, config, output, report)
            output.write_text("assets/pygments.css", pygments_css())
            output.write_text("assets/icons.css", icons.stylesheet())
            output.write_text(
                OUTPUT_MARKER, "Written by docsite: each build replaces this folder.\n"
            )
            if options.strict:
                report.items = [d.as_error() for d in report.items]
            if not report.errors:
                output.commit()
                result.written = True
    except jinja2.TemplateError as exc:
        report.add(template_diagnostic(exc, config))
    return _finish(result, started)


def _finish(result: BuildResult, started: float) -> BuildResult:
    result.seconds = time.perf_counter() - started
    return result


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


def _render_pages(
    site: SiteContent, theme: Theme, output: OutputFolder, report: Report
) -> list[tuple[str, str]]:
    renderer = MarkdownRenderer(site)
    written = []
    for page in site.pages:
        if page.settings.redirect:
            target = _setting_href(page, "redirect", renderer, report)
            if target is not None:
                output.write_text(page.output_path, theme.render_redirect(page, target))
                written.append((page.source.shown, page.output_path))
            continue
        rendered = renderer.render(page)
        report.extend(rendered.diagnostics)
        image = _setting_href(page, "image", renderer, report) if page.settings.image else ""
        output.write_text(page.output_path, theme.render_page(page, rendered, image or ""))
        written.append((page.source.shown, page.output_path))
    return written


def _setting_href(page: Page, key: str, renderer: MarkdownRenderer, report: Report) -> str | None:
    """A link-valued setting (redirect, image) resolved like a link in the page's body."""
    raw = getattr(page.settings, key)
    if _EXTERNAL.match(raw):
        return raw
    ctx = RenderContext(page, renderer.site, renderer.asset_paths, [])
    target = resolve_link(raw, ctx, None)
    where = page.settings.where(key, page.source.shown)
    for diagnostic in ctx.diagnostics:
        report.error(where.file, where.line, where.col, diagnostic.message, diagnostic.hint)
    return target


def _copy_files(
    site: SiteContent, config: SiteConfig, output: OutputFolder, report: Report
) -> None:
    for asset in site.assets:
        output.copy_file(asset.path, asset.rel)
    theme_static = default_theme_dir() / "static"
    site_static = config.root / "static"
    folders = [theme_static]
    if site_static.resolve() != theme_static.resolve():
        folders.append(site_static)
    asset_rels = {a.rel for a in site.assets}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not any(
                p.startswith(".") for p in path.relative_to(folder).parts
            ):
                rel = path.relative_to(folder).as_posix()
                if folder == site_static and rel in asset_rels:
                    report.warning(
                        f"static/{rel}",
                        0,
                        0,
                        f"'static/{rel}' and 'content/{rel}' are both published at /{rel}; "
                        "the static file wins",
                        "keep only one of them",
                    )
                output.copy_file(path, rel)


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
