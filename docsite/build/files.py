"""Content assets and static files, placed in the output: copied, or hard-linked from the last
build when unchanged."""

from __future__ import annotations

from pathlib import Path

from docsite.cache import PageRecord
from docsite.context import BuildContext
from docsite.keys import UNREADABLE, InputKind, content_input, input_name, published_file
from docsite.themefiles import static_dirs


def place_files(ctx: BuildContext, records: dict[str, PageRecord]) -> None:
    """Copy content assets and the left-out files pages link to, then static files (the
    theme's, then the site's, which win).

    A file unchanged since the last build is hard-linked from it rather than copied."""
    config, output = ctx.config, ctx.output
    placed: dict[str, tuple[Path, str]] = {}
    for asset in ctx.site.assets:
        placed[asset.rel] = (asset.path, content_input(asset.rel))
    for record in records.values():
        for key in record.dependencies:
            linked = ctx.site.linkable.get(published_file(key) or "")
            if linked is not None:
                placed[linked.rel] = (linked.path, content_input(linked.rel))
    asset_rels = set(placed)
    site_static = (config.root / "static").resolve()
    for folder in static_dirs(config):
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if not path.is_file() or any(p.startswith(".") for p in rel.split("/")):
                continue
            if folder == site_static and rel in asset_rels:
                ctx.report.warning(
                    f"static/{rel}",
                    0,
                    0,
                    f"'static/{rel}' and '{config.input}/{rel}' are both published at /{rel}; "
                    "the static file wins",
                    "keep only one of them",
                )
            placed[rel] = (path, input_name(InputKind.STATIC, rel, folder))
    for rel in sorted(placed):
        path, name = placed[rel]
        before, now = ctx.previous.files.get(name), ctx.files.get(name)  # None: new since hashed
        if now is not None and now[0] == UNREADABLE:
            continue  # already an error (inputs.input_files)
        old = ctx.out / rel
        unchanged = (
            before is not None
            and now is not None
            and before[0] == now[0]
            and old.is_file()
            and old.stat().st_size == now[1][0]
        )
        if not (unchanged and output.link_from(old, rel)):
            output.copy_file(path, rel)
