"""`docsite clean`: delete what builds leave behind, and nothing that docsite did not write."""

from __future__ import annotations

from pathlib import Path

from docsite.build.run import check_output_folder
from docsite.cache import CACHE_DIR
from docsite.config import SiteConfig
from docsite.diagnostics import UsageError
from docsite.output import OUTPUT_MARKER
from docsite.trees import remove_tree


def clean_project(config: SiteConfig, out: Path) -> list[Path]:
    """Delete the output folder, the build cache and staging folders left by killed builds;
    returns what was there. A folder without docsite's marker is refused, not deleted."""
    out = out.resolve()
    check_output_folder(out, config)  # refuses the project, content or a foreign folder
    targets = [
        out,
        config.root.resolve() / CACHE_DIR,
        *sorted(out.parent.glob(f".{out.name}.tmp-*")),
    ]
    removed = []
    for target in targets:
        if not target.exists() and not target.is_symlink():
            continue
        if target == out and target.is_dir() and not (target / OUTPUT_MARKER).is_file():
            raise UsageError(f"refusing to delete '{target}': docsite did not write it")
        if target.is_dir() and not target.is_symlink():
            remove_tree(target, ignore_errors=False)
        else:
            target.unlink()
        removed.append(target)
    return removed
