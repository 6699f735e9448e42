"""Content assets and static files, placed in the output: copied, or hard-linked from the last
build when unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from docsite.cache import PageRecord
from docsite.config import SiteConfig
from docsite.context import BuildContext
from docsite.keys import UNREADABLE, InputKind, content_input, input_name, published_file
from docsite.pages import SiteContent
from docsite.themefiles import as_published, published_minified, static_dirs


def place_files(ctx: BuildContext, records: dict[str, PageRecord]) -> None:
    """Copy content assets and the left-out files pages link to, then static files (the
    theme's, then the site's, which win).

    A file unchanged since the last build is hard-linked from it rather than copied."""
    placed = _content_files(ctx, records)
    placed.update(_static_files(ctx, placed))
    for rel in sorted(placed):
        path, name = placed[rel]
        before, now = ctx.previous.files.get(name), ctx.files.get(name)  # None: new since hashed
        if now is not None and now[0] == UNREADABLE:
            continue  # already an error (inputs.input_files)
        old = ctx.out / rel
        if published_minified(path):  # the theme's own; linked when the last build's is the same
            ctx.output.write_bytes(rel, as_published(path, path.read_bytes()), ctx.out)
            continue
        unchanged = (
            before is not None
            and now is not None
            and before[0] == now[0]
            and old.is_file()
            and old.stat().st_size == now[1][0]
        )
        if not (unchanged and ctx.output.link_from(old, rel)):
            ctx.output.copy_file(path, rel)


def _content_files(
    ctx: BuildContext, records: dict[str, PageRecord]
) -> dict[str, tuple[Path, str]]:
    """The content folder's files to publish, by the path they are published at (in lower
    case when files are recased), with their input names. Two files that differ only in case
    would be published at one path: the first in sorted order wins, with a warning."""
    files = {asset.rel: asset for asset in ctx.site.assets}
    for record in records.values():
        for key in record.input_dependencies():  # a published file is one of those
            linked = ctx.site.linkable.get(published_file(key) or "")
            if linked is not None:
                files[linked.rel] = linked
    style, placed, first = ctx.config.urls, {}, {}
    for rel in sorted(files):
        published = style.file_path(rel)
        if published in placed:
            ctx.report.warning(
                files[rel].shown,
                0,
                0,
                f"'{rel}' is left out: '{first[published]}' is published at /{published}, "
                "and file names are written in lower case",
                "rename one of them, or set generator.recase: none to keep names as written",
            )
            continue
        placed[published] = (files[rel].path, content_input(rel))
        first[published] = rel
    return placed


def _static_files(
    ctx: BuildContext, content: dict[str, tuple[Path, str]]
) -> dict[str, tuple[Path, str]]:
    """The theme's static files, then the site's (which win), by their path in the site:
    these keep their names, as templates and settings name them."""
    config, placed = ctx.config, {}
    site_static = (config.root / "static").resolve()
    for folder, rel, path in _static_listing(config):
        if folder == site_static and rel in content:
            ctx.report.warning(
                f"static/{rel}",
                0,
                0,
                f"'static/{rel}' and a file of '{config.input}/' are both published at "
                f"/{rel}; the static file wins",
                "keep only one of them",
            )
        placed[rel] = (path, input_name(InputKind.STATIC, rel, folder))
    return placed


def _static_listing(config: SiteConfig) -> Iterator[tuple[Path, str, Path]]:
    """Each file of the static folders (folder, path in the site, file), theme's first."""
    for folder in static_dirs(config):
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and not any(p.startswith(".") for p in rel.split("/")):
                yield folder, rel, path


def files_may_take(config: SiteConfig, site: SiteContent) -> frozenset[str]:
    """Every path a file of content/ or static/ may be published at (a file a page links to
    is known only once the pages are rendered). Such a file wins over a page or a Markdown
    copy at its path: the page is then neither written there nor searched."""
    style = config.urls
    published = [asset.rel for asset in site.assets] + list(site.linkable)
    return frozenset(
        {style.file_path(rel) for rel in published}.union(
            rel for _, rel, _ in _static_listing(config)
        )
    )
