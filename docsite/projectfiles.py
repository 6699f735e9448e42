"""Files a page reads besides its own source: includes and code snippets.

Each is read through here, so it is kept inside the project and recorded with the hash of
its contents (or as missing): a change to one re-renders exactly the pages that read it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from docsite.cache import content_digest
from docsite.diagnostics import Diagnostic, DiagnosticError, Severity
from docsite.sources import decode_text, read_bytes

MISSING = "missing"


@dataclass
class ProjectFiles:
    root: Path
    content_dir: Path
    read: dict[str, str] = field(default_factory=dict)  # project-relative path -> hash

    def relative(self, path: str) -> str | None:
        """The path relative to the project, or None when it (or a symlink on the way)
        leads outside both the project and the content folder (which `input` may put
        elsewhere)."""
        real = os.path.realpath(path)
        for folder in (self.root, self.content_dir):
            top = os.path.realpath(folder)
            if real == top or real.startswith(top + os.sep):
                return os.path.relpath(os.path.normpath(path), self.root).replace(os.sep, "/")
        return None

    def is_file(self, path: str) -> bool:
        """Whether the file exists; a miss is recorded too, since creating it changes what
        the page shows."""
        rel = self.relative(path)
        if rel is None:
            return False
        if os.path.isfile(path):
            return True
        self.read.setdefault(rel, MISSING)
        return False

    def read_text(self, path: str) -> tuple[str, str]:
        """(text, the path as messages show it) of a file inside the project."""
        rel = self.relative(path)
        if rel is None:
            raise DiagnosticError(
                [Diagnostic(path, 0, 0, Severity.ERROR, "the file is outside the project")]
            )
        data = read_bytes(path, rel)
        self.read[rel] = content_digest(data)
        return decode_text(data, rel), rel
