"""Files a page reads besides its own source: includes, code snippets, downloads' sizes.

Each is read through here, so it is kept inside the project and recorded with the hash of
its contents (or as missing): a change to one re-renders exactly the pages that read it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from docsite.cache import content_digest
from docsite.diagnostics import Diagnostic, DiagnosticError, Severity
from docsite.reading import decode_text, read_bytes

MISSING = "missing"


@dataclass
class ProjectFiles:
    """The project's files pages may read (includes, snippets), kept inside the project, with the
    hash of each read."""

    root: Path
    content_dir: Path
    read: dict[str, str] = field(default_factory=dict)  # project-relative path -> hash

    # Worked out on first use (most pages read no file), then once per page: a realpath is a
    # system call per part of the path.
    @cached_property
    def _tops(self) -> tuple[str, ...]:
        return tuple(os.path.realpath(folder) for folder in (self.root, self.content_dir))

    @cached_property
    def _root(self) -> str:
        return os.path.normpath(os.path.abspath(self.root)) + os.sep

    def name(self, path: str) -> str:
        """How the cache and messages name a file: its path from the project folder."""
        path = os.path.normpath(path)
        if path.startswith(self._root):  # the usual case, without relpath's work
            path = path[len(self._root) :]
        else:
            path = os.path.relpath(path, self.root)
        return path.replace(os.sep, "/")

    def relative(self, path: str) -> str | None:
        """The path's name, or None when it (or a symlink on the way) leads outside both
        the project and the content folder (which `input` may put elsewhere)."""
        real = os.path.realpath(path)
        if any(real == top or real.startswith(top + os.sep) for top in self._tops):
            return self.name(path)
        return None

    def is_file(self, path: str) -> bool:
        """Whether a file is there; a miss is recorded too, since creating the file changes
        what the page shows. Whether it is inside the project is `relative`'s question."""
        if os.path.isfile(path):
            return True
        self.read.setdefault(self.name(path), MISSING)
        return False

    def read_text(self, path: str) -> tuple[str, str]:
        """(text, the path as messages show it) of a file inside the project."""
        rel = self.relative(path)
        if rel is None:
            raise DiagnosticError(
                [Diagnostic(path, 0, 0, Severity.ERROR, "the file is outside the project")]
            )
        return decode_text(self._read(path, rel), rel), rel

    def size(self, path: str) -> int:
        """The size in bytes of a file inside the project (a download link shows it), read
        and recorded like the rest: a page that shows it changes with the file."""
        return len(self._read(path, self.relative(path) or self.name(path)))

    def _read(self, path: str, rel: str) -> bytes:
        data = read_bytes(path, rel)
        self.read[rel] = content_digest(data)
        return data
