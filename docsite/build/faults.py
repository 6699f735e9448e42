"""Faults of the machine (a full disk, a read-only folder), of templates and of output paths,
as diagnostics that name the file and say what to do."""

from __future__ import annotations

import contextlib
import errno
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from docsite.cache import CACHE_DIR
from docsite.config import SiteConfig
from docsite.diagnostics import Diagnostic, Severity, shown_path
from docsite.output import OutputClash
from docsite.pages import SiteContent
from docsite.reading import os_cause, read_fault

if TYPE_CHECKING:
    import jinja2

# What to do about a fault, by its cause.
FAULT_HINTS = {
    errno.ENOSPC: "free some disk space and build again",
    errno.EDQUOT: "free some space within your disk quota and build again",
    errno.EACCES: "check the permissions of the file and its folder",
    errno.EPERM: "check the permissions of the file and its folder",
    errno.EROFS: "the file system is read-only: build to another folder with --out",
    errno.ENAMETOOLONG: "shorten the file name or permalink that makes this path",
    errno.ENOENT: "a file or folder was deleted or moved during the build; build again",
    errno.EISDIR: "a folder is where docsite writes a file: remove it",
    errno.ENOTDIR: "a file is where docsite needs a folder: remove it",
}


def fault_diagnostic(exc: OSError, root: Path, out: Path) -> Diagnostic:
    """An error of the operating system as a diagnostic naming the file and the cause."""
    path = exc.filename if isinstance(exc.filename, str) else None
    cause = os_cause(exc)
    hint = FAULT_HINTS.get(exc.errno or 0, "build again; if it keeps failing, check the file")
    if path is None:
        return Diagnostic(
            shown_path(out, root), 0, 0, Severity.ERROR, f"cannot build: {cause}", hint
        )
    resolved = Path(os.path.abspath(path))
    staging = out.parent / f".{out.name}.tmp-{os.getpid()}"
    cache = root / CACHE_DIR
    if resolved == staging or resolved.is_relative_to(staging):
        shown = shown_path(out / resolved.relative_to(staging), root)
        what = "cannot write the site"
    elif resolved.is_relative_to(out.parent) and resolved.name.startswith(f".{out.name}."):
        shown, what = shown_path(resolved, root), "cannot write the site"
    elif resolved.is_relative_to(cache):
        shown = re.sub(r"(^|/)\.([^/]*)\.tmp-\d+$", r"\1\2", shown_path(resolved, root))
        what = "cannot write the build cache"
        if exc.errno in (errno.EISDIR, errno.ENOTDIR, errno.EEXIST):
            hint = f"delete {CACHE_DIR}/ (it is safe to delete) and build again"
    elif isinstance(exc, FileNotFoundError):
        return read_fault(shown_path(resolved, root), exc)
    else:
        shown, what = shown_path(resolved, root), "cannot read or write this file"
    return Diagnostic(shown, 0, 0, Severity.ERROR, f"{what}: {cause}", hint)


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


def template_diagnostic(exc: jinja2.TemplateError, config: SiteConfig) -> Diagnostic:
    """A template that failed to load or render, as an error in the template."""
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
