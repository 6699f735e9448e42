"""Reading the project's text files, with errors that name the file and say what to do."""

from __future__ import annotations

from pathlib import Path

from docsite.diagnostics import Diagnostic, DiagnosticError, Severity


def read_text(path: str | Path, shown: str) -> str:
    """Read UTF-8 text; a BOM and CRLF line endings are accepted, other bytes are errors."""
    return decode_text(read_bytes(path, shown), shown)


def read_bytes(path: str | Path, shown: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise DiagnosticError([read_fault(shown, exc)]) from None


def read_fault(shown: str, exc: OSError) -> Diagnostic:
    """A file that could not be read, as an error at the file with what to do about it."""
    if isinstance(exc, FileNotFoundError):
        return Diagnostic(
            shown,
            0,
            0,
            Severity.ERROR,
            "cannot read the file: it was deleted or moved while the site was being built",
            "build again once the files have stopped changing",
        )
    return Diagnostic(
        shown,
        0,
        0,
        Severity.ERROR,
        f"cannot read the file: {os_cause(exc)}",
        "check its permissions, or move it out of the project",
    )


def os_cause(exc: OSError) -> str:
    """The cause of an OSError in words, as a message goes on: 'no space left on device'."""
    cause = (exc.strerror or str(exc)).rstrip(".")
    return cause[:1].lower() + cause[1:]


def decode_text(data: bytes, shown: str) -> str:
    """Text of a source file: UTF-8 (a BOM is dropped), LF line endings."""
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
