"""Finding the source files under content/ and reading them as text."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from docsite.diagnostics import Diagnostic, DiagnosticError, Report, Severity

PAGE_SUFFIX = ".md"
SETTINGS_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True, order=True)
class SourceFile:
    rel: str  # posix path relative to the content folder, e.g. "guide/setup.md"
    path: Path  # where it is on disk
    shown: str  # how messages name it, e.g. "content/guide/setup.md"


@dataclass
class Discovery:
    pages: list[SourceFile] = field(default_factory=list)
    settings: dict[str, SourceFile] = field(default_factory=dict)  # by rel path
    assets: list[SourceFile] = field(default_factory=list)


def is_skipped(name: str) -> bool:
    """Files and folders starting with '_' or '.' are not part of the site."""
    return name.startswith(("_", "."))


def discover(content_dir: Path, shown_prefix: str, report: Report) -> Discovery:
    """Walk the content folder once, sorted, following symlinks but never in a loop."""
    if not content_dir.is_dir():
        problem = "is a file, not a folder" if content_dir.exists() else "does not exist"
        raise DiagnosticError(
            [
                Diagnostic(
                    shown_prefix,
                    0,
                    0,
                    Severity.ERROR,
                    f"the content folder {problem}",
                    "create it with a first page, e.g. content/index.md, "
                    "or set 'input' in docsite.yml",
                )
            ]
        )
    found = Discovery()
    seen_dirs: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(content_dir, followlinks=True):
        real = Path(dirpath).resolve()
        rel_dir = Path(dirpath).relative_to(content_dir).as_posix()
        if real in seen_dirs:
            report.error(
                f"{shown_prefix}/{rel_dir}",
                0,
                0,
                "symlink loop: this folder was already read through another path",
                "remove the symlink that points back into its own parent",
            )
            dirnames[:] = []
            continue
        seen_dirs.add(real)
        dirnames[:] = sorted(d for d in dirnames if not is_skipped(d))
        for name in sorted(filenames):
            if is_skipped(name):
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            source = SourceFile(rel, Path(dirpath) / name, f"{shown_prefix}/{rel}")
            suffix = Path(name).suffix.lower()
            if suffix == PAGE_SUFFIX:
                found.pages.append(source)
            elif suffix in SETTINGS_SUFFIXES:
                found.settings[rel] = source
            else:
                found.assets.append(source)
    return found


def read_text(path: Path, shown: str) -> str:
    """Read UTF-8 text; a BOM and CRLF line endings are accepted, other bytes are errors."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DiagnosticError(
            [Diagnostic(shown, 0, 0, Severity.ERROR, f"cannot read file: {exc.strerror}")]
        ) from None
    if b"\0" in data:
        raise DiagnosticError(
            [
                Diagnostic(
                    shown,
                    0,
                    0,
                    Severity.ERROR,
                    "this looks like a binary file, not Markdown text",
                    "rename it so it does not end in .md, or move it out of the content folder",
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DiagnosticError(
            [
                Diagnostic(
                    shown,
                    line,
                    col,
                    Severity.ERROR,
                    f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
                    "save the file as UTF-8 in your editor",
                )
            ]
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
