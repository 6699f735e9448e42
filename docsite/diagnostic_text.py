"""How a diagnostic reads: one text for the builder's report and for the no-change answer
(docsite.uptodate), which says a stamped build's warnings again without loading the
builder, nor the dataclasses `Diagnostic` needs."""

from __future__ import annotations

TYPE_CHECKING = False  # typing would cost the no-change answer more than its whole output
if TYPE_CHECKING:
    from collections.abc import Callable

# A diagnostic as the stamp keeps it, in `Diagnostic`'s field order (its sort order too).
DiagnosticFields = tuple[str, int, int, str, str, str]  # file, line, col, severity, message, hint


def diagnostic_text(
    fields: DiagnosticFields, paint: Callable[[str, str], str] = lambda role, text: text
) -> str:
    """`file:line:col: severity: message`, and the hint on a line of its own; `paint`
    styles each part by its role (the command line's colours)."""
    file, line, col, severity, message, hint = fields
    place = file
    if line:
        place += f":{line}:{max(col, 1)}"
    text = f"{paint('place', place + ':')} {paint(severity, severity + ':')} {message}"
    if hint:
        text += f"\n  {paint('hint', 'hint:')} {hint}"
    return text
