"""Where each line of expanded text came from, so that a message about the Markdown points
at the line someone wrote: in the page, or in the file an include read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a page's origins are made without the evaluator when it has no templating
    from docsite.scriban import Template
    from docsite.scriban.evaluator import Piece


@dataclass(frozen=True)
class Origin:
    """Where a line of expanded text came from, for messages."""

    file: str  # as messages show it
    line: int
    page_line: int  # the page's own line: the include call, for included text


def plain_origins(text: str, shown: str, first_line: int, page_line: int | None = None) -> list:
    """Text copied as written: line for line (each at `page_line`, when given). Like every
    list of origins here, one per item of `text.split("\n")`."""
    return [
        Origin(shown, first_line + index, page_line or first_line + index)
        for index in range(text.count("\n") + 1)
    ]


def joined(origins: list[Origin], ends_line: bool, more_origins: list[Origin]) -> None:
    """Extends `origins` with those of a text written after theirs (which `ends_line` or
    not): the line where one ends and the other starts is one line."""
    if not origins:
        origins.extend(more_origins)
    elif ends_line:
        origins[-1:] = more_origins
    else:
        origins.extend(more_origins[1:])


def line_origins(pieces: tuple[Piece, ...], page_line: int | None = None) -> list[Origin]:
    """One Origin per line of the text `pieces` make up. `page_line`: the page line of all
    of them (a site-wide include), else their own or their include call's."""
    origins: list[Origin] = []
    ends_line = False
    for piece in pieces:
        text = piece.text
        if piece.verbatim:  # each line is its own line of the template
            found = piece.template.text.find(text, piece.at)  # after trimmed whitespace
            start = found if found >= 0 else piece.at
            offsets = [0]
            at = text.find("\n")
            while at >= 0:
                offsets.append(at + 1)
                at = text.find("\n", at + 1)
            more = [_origin(piece, start + offset, page_line) for offset in offsets]
        else:  # a value written: all its lines come from the code that wrote it
            more = [_origin(piece, piece.at, page_line)] * (text.count("\n") + 1)
        joined(origins, ends_line, more)
        ends_line = text.endswith("\n")
    return origins


def _origin(piece: Piece, offset: int, page_line: int | None) -> Origin:
    template: Template = piece.template
    line = template.position(offset)[0]
    if page_line is None:
        page_line = line if piece.call is None else piece.call[0].position(piece.call[1])[0]
    return Origin(template.name, line, page_line)
