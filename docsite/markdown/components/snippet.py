"""Code snippets: `:::code source="../src/app.py" range="2-24" title="app.py" :::` shows a
file of the project, or a part of it, as a highlighted code block.

The path is relative to the page (or, starting with '/', to the content folder) and must stay
inside the project. The language comes from the file's extension unless `language` names one;
`range="5-12"` (or several: `range="2,5-12"`) or `region="setup"` (the lines between
`#region setup` and `#endregion` markers, in any comment style) picks the lines. The file is
read through the page's ProjectFiles, so editing it re-renders the pages that show it.
"""

from __future__ import annotations

import os
import posixpath
import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from docsite.diagnostics import DiagnosticError, did_you_mean
from docsite.markdown.components.blocks import context, line_starts, line_text
from docsite.markdown.components.calls import (
    leftover_text,
    parse_attributes,
    warn_unknown_attributes,
)
from docsite.markdown.context import RenderContext

ATTRIBUTES = ("source", "range", "region", "title", "language")
_SNIPPET = re.compile(r"^:::code(?=\s)(.*?):::\s*$")
_RANGE = re.compile(r"^(\d+)?(?:\s*(-)\s*(\d+)?)?$")
_REGION_START = re.compile(r"#region\b(.*)")
_REGION_END = re.compile(r"#endregion\b")


def snippet_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "docsite_snippet", _rule, {"alt": ["paragraph"]})


def _rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if not line_starts(state, start, ":::code") or state.is_code_block(start):
        return False
    match = _SNIPPET.match(line_text(state, start))
    if match is None:
        return False
    if silent:
        return True
    state.line = start + 1
    place = Token("component", "", 0)
    place.map = [start, start + 1]
    ctx = context(state)
    if ctx is None:
        return True
    found = _snippet(match.group(1), ctx, place)
    if found is not None:
        code, info = found
        token = state.push("fence", "code", 0)
        token.info = info
        token.content = code
        token.markup = "```"
        token.map = [start, start + 1]
    return True


def _snippet(text: str, ctx: RenderContext, place: Token) -> tuple[str, str] | None:
    """(the code, a fence info string) for the snippet, or None after reporting why not."""
    attributes = parse_attributes(text)
    warn_unknown_attributes(attributes, ATTRIBUTES, ":::code", ctx, place)
    stray = leftover_text(text)
    source = attributes.get("source", "")
    if not source:
        ctx.error(
            place,
            ":::code",
            "a code snippet needs a source file",
            ':::code source="../src/app.py" ::: (relative to this page)'
            + (f"; '{stray}' is not an attribute" if stray else ""),
        )
        return None
    files = ctx.files
    if files is None:
        return None
    if source.startswith("/"):
        path = os.path.join(files.content_dir, *source.lstrip("/").split("/"))
    else:
        folder = os.path.dirname(ctx.page.source.os_path)
        path = os.path.join(folder, *source.split("/"))
    path = os.path.normpath(path)
    if files.relative(path) is None:
        ctx.error(
            place,
            source,
            f"code snippet '{source}' is outside the project",
            "snippets show files inside the project folder",
        )
        return None
    if not files.is_file(path):
        ctx.error(
            place,
            source,
            f"code snippet file '{source}' does not exist",
            f"the path is relative to {ctx.page.source.shown}; from the content folder, "
            "start it with '/'",
        )
        return None
    try:
        code, shown = files.read_text(path)
    except DiagnosticError as exc:
        ctx.error(place, source, f"code snippet '{source}': {exc.diagnostics[0].message}", "")
        return None
    lines = code.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    picked = _pick(lines, attributes, ctx, place, shown)
    if picked is None:
        return None
    language = attributes.get("language", "") or _language_of(path)
    title = attributes.get("title", "")
    info = f"{language} {title}".rstrip()  # ' title' is a title without a language
    return "".join(line + "\n" for line in _dedent(picked)), info


def _pick(
    lines: list[str], attributes: dict[str, str], ctx: RenderContext, place: Token, shown: str
) -> list[str] | None:
    if "range" in attributes:
        return _pick_range(lines, attributes["range"].strip(), ctx, place, shown)
    if "region" in attributes:
        name = attributes["region"].strip()
        names: list[str] = []
        for index, line in enumerate(lines):
            start = _REGION_START.search(line)
            if start is None:
                continue
            found = _region_name(start.group(1))
            names.append(found)
            if found == name:
                for stop in range(index + 1, len(lines)):
                    if _REGION_END.search(lines[stop]):
                        return lines[index + 1 : stop]
                ctx.error(
                    place,
                    "region=",
                    f"region '{name}' in {shown} never ends",
                    "end it with a '#endregion' comment",
                )
                return None
        ctx.error(
            place,
            "region=",
            f"{shown} has no region '{name}'",
            did_you_mean(name, names)
            or "mark the lines with '#region name' and '#endregion' comments",
        )
        return None
    return lines


def _pick_range(
    lines: list[str], spec: str, ctx: RenderContext, place: Token, shown: str
) -> list[str] | None:
    """The lines of `range="2,12-24,26"`: each part one line or a span, in the order given."""
    picked: list[str] = []
    for part in spec.split(","):
        match = _RANGE.match(part.strip())
        if not part.strip() or match is None:
            ctx.error(
                place,
                "range=",
                f"range '{spec}' is not a list of lines",
                'write range="5" for one line, "5-12" for several, "5-" for the rest, '
                '"2,5-12" for both',
            )
            return None
        first = int(match.group(1) or 1)
        last = int(match.group(3) or len(lines)) if match.group(2) else first
        if first < 1 or first > last or last > len(lines):
            ctx.error(
                place,
                "range=",
                f"range '{spec}' does not fit {shown}, which has {len(lines)} lines",
                "pick lines between 1 and the last line, the first before the last",
            )
            return None
        picked.extend(lines[first - 1 : last])
    return picked


def _region_name(rest: str) -> str:
    """What follows '#region' on its line, without a comment's closing marker."""
    rest = rest.strip()
    for end in ("-->", "*/"):
        rest = rest.removesuffix(end)
    return rest.strip()


def _dedent(lines: list[str]) -> list[str]:
    """A part of a file, moved left as far as its least indented line allows."""
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return [line[cut:] for line in lines]


def _language_of(path: str) -> str:
    """The language a fence would name for the file: its extension when that is a language
    (`js`, as Retype sets it), else Pygments' name for the file; '' when it has none."""
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename  # see markdown.code
    from pygments.util import ClassNotFound

    name = posixpath.basename(path.replace(os.sep, "/"))
    extension = posixpath.splitext(name)[1].lstrip(".").lower()
    try:
        get_lexer_by_name(extension)
        return extension
    except ClassNotFound:
        pass
    try:
        lexer = get_lexer_for_filename(name)
    except ClassNotFound:
        return ""
    plain = not lexer.aliases or lexer.aliases[0] == "text"
    return "" if plain else lexer.aliases[0]
