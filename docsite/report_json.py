"""The machine-readable build report (`--format json`), for CI annotations and editors.

One JSON object on stdout:

    {"format": 1, "command": "build", "ok": false, "pages": 12, "errors": 1, "warnings": 0,
     "output": "site/",
     "diagnostics": [{"file": "content/a.md", "line": 3, "col": 1, "severity": "error",
                      "message": "...", "hint": "..."}]}

`line` and `col` are 1-based, 0 when unknown (a message about a whole file). Diagnostics are
sorted by file and position, so the same input always gives the same report.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from docsite.diagnostics import Diagnostic, Severity

FORMAT_VERSION = 1


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "file": diagnostic.file,
        "line": diagnostic.line,
        "col": diagnostic.col,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    }


def report_json(
    command: str,
    diagnostics: Iterable[Diagnostic],
    pages: int,
    ok: bool,
    output: str | None = None,
) -> dict[str, Any]:
    shown = sorted(set(diagnostics))
    return {
        "format": FORMAT_VERSION,
        "command": command,
        "ok": ok,
        "pages": pages,
        "errors": sum(d.severity is Severity.ERROR for d in shown),
        "warnings": sum(d.severity is Severity.WARNING for d in shown),
        "output": output,
        "diagnostics": [diagnostic_json(d) for d in shown],
    }


def dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
