"""Page templating as Retype writes it: `{{ include "snippets/contact" }}` and values such as
`{{ page.label }}` or `{{ data.version }}`, expanded in the Markdown text before it is parsed.

Code blocks and code spans are never templated, `{%{ ... }%}` shows its inside as written, and
`templating: false` in a page's frontmatter turns it off for that page. Anything else between
`{{ }}` (Retype's loops and conditions) is an error with a hint, never text silently lost.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from docsite.diagnostics import Diagnostic, DiagnosticError, Severity, did_you_mean
from docsite.projectfiles import ProjectFiles
from docsite.urls import refused_url

INCLUDES_FOLDER = "_includes"
INCLUDE_SUFFIXES = (".md", ".html")
MAX_INCLUDE_DEPTH = 32
# Includes that include others twice each grow exponentially: a page may expand this many.
MAX_INCLUDES = 1000
# Loops inside loops multiply too.
MAX_LOOP_ROUNDS = 10_000
# What can start something the expander acts on: an escaped backtick, a code span's
# backticks, an escape block, an expression.
_TOKEN = re.compile(r"\\[\\`]|`+|\{%\{|\{\{")
_INCLUDE = re.compile(r"""^include\s+(?:"([^"]*)"|'([^']*)')$""")
_PATH = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\s*\d+\s*\]|\[\s*\"[^\"]*\"\s*\])*$")
_STEP = re.compile(r"\.([A-Za-z_]\w*)|\[\s*(\d+)\s*\]|\[\s*\"([^\"]*)\"\s*\]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_CONTROL = re.compile(r"^(?:for|if|else|end)\b")
_FOR = re.compile(r"^for\s+([A-Za-z_]\w*)\s+in\s+(\S.*)$")
_IF = re.compile(r"^if\s+(\S.*)$")
_ELSE = re.compile(r"^else(?:\s+if\s+(\S.*))?$")
_VALUE = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\s*\d+\s*\]|\[\s*\"[^\"]*\"\s*\])*"
_CONDITION = re.compile(
    rf"^(!\s*|not\s+)?({_VALUE})(?:\s*(==|!=)\s*(\"[^\"]*\"|'[^']*'|-?\d+(?:\.\d+)?|{_VALUE}))?$"
)

# An HTML tag's URL attribute, open up to a template value: `<a href="{{`.
_URL_ATTRIBUTE = re.compile(
    r"""<([A-Za-z][\w-]*)\b[^<>]*?\s(href|src|srcset|action|formaction|poster|cite|background|"""
    r"""xlink:href|data)\s*=\s*["']?$""",
    re.I,
)

# Block structure only, to find code blocks: no inline parsing, no plugins.
_BLOCKS = MarkdownIt("commonmark").disable(["inline", "text_join"])


@dataclass(frozen=True)
class Origin:
    """Where a line of expanded text came from, for messages."""

    file: str  # as messages show it
    line: int
    page_line: int  # the page's own line: the include call, for included text


@dataclass
class Expanded:
    text: str
    origins: list[Origin]  # one per line of `text`
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class Source:
    """One file's text being expanded: the page body or an included file."""

    text: str
    shown: str
    first_line: int  # file line of the text's first line
    folder: str  # os path of the folder that relative includes start from
    call_line: int | None = None  # the page line of the include call, None for the page
    chain: tuple[str, ...] = ()  # the files including this one, for cycles
    markdown: bool = True  # HTML has no code blocks: indented lines are templated too


class Templater:
    """Expands one page's text; `files` reads (and records) every file it includes."""

    def __init__(self, variables: dict[str, Any], files: ProjectFiles):
        self.variables = variables
        self.files = files
        self.diagnostics: list[Diagnostic] = []
        self.includes = 0
        self.rounds = 0  # loop rounds run on this page
        self.texts: dict[str, tuple[str, str]] = {}  # path -> (text, shown), read once

    def expand_into(self, source: Source, out: _Writer, scope: dict | None = None) -> None:
        text = source.text
        if "{{" not in text and "{%{" not in text:
            out.add_lines(text, source)
            return
        starts = _line_starts(text)
        nodes = self._tree(self._pieces(source, starts), source, starts)
        self._run(nodes, source, starts, out, scope or {})

    def _pieces(self, source: Source, starts: list[int]) -> list[_Text | _Tag]:
        """The text cut into plain text (code included) and `{{ }}` tags, in order."""
        text = source.text
        code = _code_lines(text) if source.markdown else set()
        # Each search goes forward from the last one's place: linear however many '{{'.
        next_close, next_unescape = _Next(text, "}}"), _Next(text, "}%}")
        next_blank = _Next(text, _BLANK_LINE)
        unclosed: set[tuple[int, int]] = set()
        pieces: list[_Text | _Tag] = []
        copied = pos = 0
        while True:
            match = _TOKEN.search(text, pos)
            if match is None:
                break
            line_index = bisect.bisect_right(starts, match.start()) - 1
            if line_index in code:
                pos = _end_of_code(code, line_index, starts, len(text))
                continue
            token = match.group()
            if token.startswith("\\"):
                pos = match.end()  # an escaped backtick, or an escaped backslash
            elif token.startswith("`"):
                blank = next_blank.at_or_after(match.end())
                paragraph_end = blank if blank >= 0 else len(text)
                pos = _after_code_span(text, match, code, starts, paragraph_end, unclosed)
            elif token == "{%{":
                close = next_unescape.at_or_after(match.end())
                if close < 0:
                    self._error(
                        source,
                        starts,
                        match.start(),
                        "'{%{' is never closed",
                        "end the escaped text with '}%}'",
                    )
                    pos = match.end()
                    continue
                pieces.append(_Text(copied, match.start()))
                pieces.append(_Text(match.end(), close))
                copied = pos = close + 3
            else:
                close = next_close.at_or_after(match.end())
                blank = next_blank.at_or_after(match.end())
                if close < 0 or 0 <= blank < close:
                    pos = match.end()  # not an expression, just braces in the text
                    continue
                expression = text[match.end() : close].strip()
                begin, end = match.start(), close + 2
                if _CONTROL.match(expression):
                    # A loop or condition tag alone on its line takes the line with it.
                    line_start = text.rfind("\n", 0, begin) + 1
                    line_end = text.find("\n", end)
                    line_end = len(text) if line_end < 0 else line_end + 1
                    if line_start >= copied and not (
                        text[line_start:begin].strip() or text[end:line_end].strip()
                    ):
                        begin, end = line_start, line_end
                pieces.append(_Text(copied, begin))
                pieces.append(_Tag(expression, match.start()))
                copied = pos = end
        pieces.append(_Text(copied, len(text)))
        return pieces

    def _tree(self, pieces: list[_Text | _Tag], source: Source, starts: list[int]) -> list[_Node]:
        """Pieces nested by Retype's `{{ for }}` and `{{ if }}` ... `{{ end }}`."""
        root: list[_Node] = []
        stack: list[tuple[_For | _If | None, list[_Node]]] = [(None, root)]
        for piece in pieces:
            body = stack[-1][1]
            if isinstance(piece, _Text):
                if piece.end > piece.start:
                    body.append(piece)
                continue
            expression = piece.expression
            loop, condition = _FOR.match(expression), _IF.match(expression)
            otherwise = _ELSE.match(expression)
            if loop is not None:
                node: _For | _If = _For(loop.group(1), loop.group(2).strip(), piece.offset)
                body.append(node)
                stack.append((node, node.body))
            elif condition is not None:
                node = _If([(condition.group(1).strip(), piece.offset, [])])
                body.append(node)
                stack.append((node, node.branches[0][2]))
            elif otherwise is not None or expression == "end":
                owner = stack[-1][0]
                wrong = owner is None or (otherwise is not None and not isinstance(owner, _If))
                if not wrong and otherwise is not None:
                    assert isinstance(owner, _If)
                    wrong = owner.branches[-1][0] is None  # after a plain else
                if wrong:
                    self._error(
                        source,
                        starts,
                        piece.offset,
                        f"'{{{{ {expression} }}}}' closes no {{{{ if }}}} or {{{{ for }}}}",
                        "remove it, or open the block it closes",
                    )
                elif otherwise is not None:
                    assert isinstance(owner, _If)
                    branch: tuple[str | None, int, list[_Node]] = (
                        otherwise.group(1),
                        piece.offset,
                        [],
                    )
                    owner.branches.append(branch)
                    stack[-1] = (owner, branch[2])
                else:
                    stack.pop()
            else:
                body.append(piece)
        for owner, _ in stack[1:]:
            offset = owner.offset if isinstance(owner, _For) else owner.branches[0][1]
            self._error(
                source,
                starts,
                offset,
                "this block is never closed",
                "end it with {{ end }}",
            )
        return root

    def _run(
        self,
        nodes: list[_Node],
        source: Source,
        starts: list[int],
        out: _Writer,
        scope: dict[str, Any],
    ) -> None:
        for node in nodes:
            if isinstance(node, _Text):
                out.add_lines(source.text[node.start : node.end], source, node.start, starts)
            elif isinstance(node, _Tag):
                self._expression(node.expression, source, starts, node.offset, out, scope)
            elif isinstance(node, _For):
                items = self._lookup(node.path, source, starts, node.offset, scope)
                if items is None:
                    continue
                if not isinstance(items, list):
                    self._error(
                        source,
                        starts,
                        node.offset,
                        f"'{node.path}' is not a list to loop over",
                        "loop over a list, such as project.links or page.tags",
                    )
                    continue
                for item in items:
                    self.rounds += 1
                    if self.rounds > MAX_LOOP_ROUNDS + 1:
                        return  # said once already
                    if self.rounds > MAX_LOOP_ROUNDS:
                        self._error(
                            source,
                            starts,
                            node.offset,
                            f"loops run more than {MAX_LOOP_ROUNDS} rounds on this page",
                            "loops inside loops multiply: loop over less",
                        )
                        return
                    self._run(node.body, source, starts, out, {**scope, node.name: item})
            else:
                for condition, offset, body in node.branches:
                    if condition is None or self._holds(condition, source, starts, offset, scope):
                        self._run(body, source, starts, out, scope)
                        break

    def _holds(
        self, condition: str, source: Source, starts: list[int], offset: int, scope: dict
    ) -> bool:
        """`path`, `!path`, `path == "text"`, `path != 2`: a missing value is false."""
        match = _CONDITION.match(condition)
        if match is None:
            self._error(
                source,
                starts,
                offset,
                f"cannot read the condition '{condition}'",
                'write a value, !value, or value == "text" (or != 2, true, null)',
            )
            return False
        negate, left, operator, right = match.groups()
        value = self._lookup(left, source, starts, offset, scope, missing_ok=True)
        if operator:
            other = _literal(right)
            if other is _NOT_LITERAL:
                other = self._lookup(right, source, starts, offset, scope, missing_ok=True)
            result = (value == other) == (operator == "==")
        else:
            result = bool(value)
        return result != bool(negate)

    def _expression(
        self,
        expression: str,
        source: Source,
        starts: list[int],
        offset: int,
        out: _Writer,
        scope: dict[str, Any],
    ) -> None:
        line = source.first_line + bisect.bisect_right(starts, offset) - 1
        origin = Origin(source.shown, line, source.call_line or line)
        include = _INCLUDE.match(expression)
        if include is not None:
            self._include(
                include.group(1) or include.group(2) or "", source, starts, offset, origin, out
            )
        elif _PATH.match(expression):
            value = self._lookup(expression, source, starts, offset, scope)
            if value is not None and self._url_allowed(expression, value, source, starts, offset):
                out.add(_as_text(value), origin)
        else:
            self._error(
                source,
                starts,
                offset,
                f"unsupported template expression '{{{{ {expression} }}}}'",
                'docsite templates know {{ include "file" }}, values such as '
                "{{ page.label }}, {{ for x in list }} and {{ if value }} ... {{ end }}; "
                "to show the braces as text, write {%{ ... }%} or set 'templating: false' "
                "in the page's frontmatter",
            )

    def _url_allowed(
        self, expression: str, value: Any, source: Source, starts: list[int], offset: int
    ) -> bool:
        """A value starting an HTML URL attribute (`href="{{ x }}"`) passes the URL policy."""
        attribute = _URL_ATTRIBUTE.search(source.text, max(0, offset - 300), offset)
        if attribute is None:
            return True
        tag, name = attribute.group(1).lower(), attribute.group(2).lower()
        image = tag in ("img", "source") and name in ("src", "srcset")
        what = f"'{{{{ {expression} }}}}' in {name}=\"...\""
        refused = refused_url(_as_text(value), what, image=image, entities=True)
        if refused is not None:
            self._error(source, starts, offset, refused.message, refused.hint)
        return refused is None

    def _include(
        self,
        name: str,
        source: Source,
        starts: list[int],
        offset: int,
        origin: Origin,
        out: _Writer,
    ) -> None:
        path = self._resolve(name, source)
        if path is None:
            where = (
                f"there is no {name} beside {source.shown}"
                if name.startswith("..")
                else f"put it in {self._shown_dir(source.folder)}/{INCLUDES_FOLDER}/ or a "
                f"parent folder's {INCLUDES_FOLDER}/; the name may leave out '.md'"
            )
            return self._error(source, starts, offset, f"include '{name}' was not found", where)
        if path == "":
            return self._error(
                source,
                starts,
                offset,
                f"include '{name}' is outside the project",
                "includes must be files inside the project folder",
            )
        if not path.endswith(INCLUDE_SUFFIXES):
            return self._error(
                source,
                starts,
                offset,
                f"include '{name}' is not a .md or .html file",
                'show source code with :::code source="..." ::: instead',
            )
        self.includes += 1
        if self.includes > MAX_INCLUDES:
            return self._error(
                source,
                starts,
                offset,
                f"more than {MAX_INCLUDES} includes on one page",
                "includes that each include others several times multiply: include less",
            )
        try:
            if path not in self.texts:
                self.texts[path] = self.files.read_text(path)
            text, shown = self.texts[path]
        except DiagnosticError as exc:
            found = exc.diagnostics[0]
            return self._error(
                source, starts, offset, f"include '{name}': {found.message}", found.hint
            )
        if shown in source.chain or shown == source.shown:
            cycle = " -> ".join((*source.chain, source.shown, shown))
            return self._error(
                source, starts, offset, f"include cycle: {cycle}", "remove one of these includes"
            )
        if len(source.chain) >= MAX_INCLUDE_DEPTH:
            return self._error(
                source,
                starts,
                offset,
                f"includes nest deeper than {MAX_INCLUDE_DEPTH} files",
                "include the files you need from fewer levels",
            )
        included = Source(
            text[:-1] if text.endswith("\n") else text,
            shown,
            1,
            os.path.dirname(path),
            origin.page_line,
            (*source.chain, source.shown),
            markdown=source.markdown and path.endswith(".md"),
        )
        self.expand_into(included, out)
        return None

    def _resolve(self, name: str, source: Source) -> str | None:
        """Retype's lookup: the calling file's folder, then its _includes/, then the same in
        each parent up to the content folder. A path starting with '..' is taken as written,
        one starting with '/' from the content folder. '' means outside the project."""
        content = os.path.normpath(self.files.content_dir)
        if name.startswith("/"):
            folders, name = [content], name.lstrip("/")
        elif name.startswith(".."):
            folders = [source.folder]
        else:
            folders = []
            folder = os.path.normpath(source.folder)
            while True:
                folders += [folder, os.path.join(folder, INCLUDES_FOLDER)]
                if folder == content or not folder.startswith(content + os.sep):
                    break
                folder = os.path.dirname(folder)
        names = [name] if name.endswith(INCLUDE_SUFFIXES) else [name + ".md", name + ".html", name]
        # Only a name with '..' can point out of the folders looked in: the others are checked
        # once found (a symlink may still lead out), not at every place looked.
        climbs = ".." in name.split("/")
        for folder in folders:
            for candidate in names:
                path = os.path.normpath(os.path.join(folder, candidate))
                if climbs and self.files.relative(path) is None:
                    return ""
                if self.files.is_file(path):
                    return path if self.files.relative(path) is not None else ""
        return None

    def _lookup(
        self,
        expression: str,
        source: Source,
        starts: list[int],
        offset: int,
        scope: dict[str, Any],
        missing_ok: bool = False,
    ) -> Any:
        """The value a path names; `missing_ok` (conditions): a missing key is None, only
        an unknown first name is an error."""
        root = re.match(r"\w+", expression)
        assert root is not None
        value: Any = {**self.variables, **scope}
        walked = ""
        for key in [root.group(), *_steps(expression[root.end() :])]:
            if (
                missing_ok
                and walked
                and not (
                    (isinstance(value, dict) and key in value)
                    or (isinstance(value, list) and isinstance(key, int) and key < len(value))
                )
            ):
                return None
            if (isinstance(value, dict) and isinstance(key, str) and key in value) or (
                isinstance(value, list) and isinstance(key, int) and key < len(value)
            ):
                value = value[key]
            else:
                known = sorted(map(str, value)) if isinstance(value, dict) else []
                owner = f"'{walked}'" if walked else "templates"
                self._error(
                    source,
                    starts,
                    offset,
                    f"'{{{{ {expression} }}}}': {owner} has no {_key_text(key)}",
                    did_you_mean(str(key), known)
                    or (f"known: {', '.join(known)}" if known else "check the name"),
                )
                return None
            walked += f"[{key}]" if isinstance(key, int) else (f".{key}" if walked else key)
        if isinstance(value, dict) and not missing_ok:
            self._error(
                source,
                starts,
                offset,
                f"'{{{{ {expression} }}}}' is a group of values, not one",
                "name one of them: "
                + ", ".join(f"{expression}.{k}" for k in sorted(map(str, value))),
            )
            return None
        return value

    def _error(
        self, source: Source, starts: list[int], offset: int, message: str, hint: str
    ) -> None:
        index = bisect.bisect_right(starts, offset) - 1
        self.diagnostics.append(
            Diagnostic(
                source.shown,
                source.first_line + index,
                offset - starts[index] + 1,
                Severity.ERROR,
                message,
                hint,
            )
        )

    def _shown_dir(self, folder: str) -> str:
        return self.files.relative(folder) or folder


@dataclass
class _Text:
    start: int
    end: int


@dataclass
class _Tag:
    expression: str
    offset: int  # of its '{{', for messages


@dataclass
class _For:
    name: str
    path: str
    offset: int
    body: list[_Node] = field(default_factory=list)


@dataclass
class _If:
    branches: list[tuple[str | None, int, list[_Node]]]  # (condition or None for else, ...)


_Node = _Text | _Tag | _For | _If
_NOT_LITERAL = object()


def _literal(text: str) -> Any:
    """A literal of a condition, or _NOT_LITERAL for a path."""
    if text[:1] in "\"'" and len(text) >= 2 and text[-1] == text[0]:
        return text[1:-1]
    words = {"true": True, "false": False, "null": None}
    if text in words:
        return words[text]
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return _NOT_LITERAL


class _Next:
    """Where a string or pattern next occurs in a text, for positions that only grow."""

    def __init__(self, text: str, what: str | re.Pattern[str]):
        self.text = text
        self.what = what
        self.found = -2  # not searched yet; -1: no more

    def at_or_after(self, pos: int) -> int:
        if self.found == -1 or (self.found >= pos):
            return self.found
        if isinstance(self.what, str):
            self.found = self.text.find(self.what, pos)
        else:
            match = self.what.search(self.text, pos)
            self.found = match.start() if match else -1
        return self.found


class _Writer:
    """Expanded text, built in pieces, with where each of its lines came from."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.origins: list[Origin] = []
        self.at_line_start = True

    def add(self, text: str, origin: Origin) -> None:
        """Text that all comes from one place (a value)."""
        self._add(text, lambda _: origin)

    def add_lines(
        self, text: str, source: Source, offset: int = 0, starts: list[int] | None = None
    ) -> None:
        """Text of `source` from `offset` on, line for line."""
        first = source.first_line + (bisect.bisect_right(starts, offset) - 1 if starts else 0)

        def origin(index: int) -> Origin:
            line = first + index
            return Origin(source.shown, line, source.call_line or line)

        self._add(text, origin)

    def _add(self, text: str, origin_of_line) -> None:
        if not text:
            return
        if self.at_line_start:
            self.origins.append(origin_of_line(0))
        newlines = text.count("\n")
        for index in range(1, newlines + 1):
            self.origins.append(origin_of_line(index))
        if text.endswith("\n"):
            self.origins.pop()  # the next piece starts that line
            self.at_line_start = True
        else:
            self.at_line_start = False
        self.pieces.append(text)

    def text(self) -> str:
        return "".join(self.pieces)


def _steps(rest: str) -> list[str | int]:
    steps: list[str | int] = []
    for match in _STEP.finditer(rest):
        name, index, quoted = match.groups()
        steps.append(int(index) if index is not None else (name if name is not None else quoted))
    return steps


def _key_text(key: str | int) -> str:
    return f"item [{key}]" if isinstance(key, int) else f"'{key}'"


def _as_text(value: Any) -> str:
    """A value as Markdown text: shown as written, never as HTML."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(_as_text(item) for item in value)
    return html.escape(str(value))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _code_lines(text: str) -> set[int]:
    """Line indexes inside fenced or indented code blocks, by CommonMark's block rules."""
    lines: set[int] = set()
    for token in _BLOCKS.parse(text):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(*token.map))
    return lines


def _end_of_code(code: set[int], index: int, starts: list[int], end: int) -> int:
    while index in code:
        index += 1
    return starts[index] if index < len(starts) else end


def _after_code_span(
    text: str,
    opener: re.Match,
    code: set[int],
    starts: list[int],
    paragraph_end: int,
    unclosed: set[tuple[int, int]],
) -> int:
    """Where scanning goes on after backticks: past the code span they open, or past the
    backticks alone when no run of the same length closes them within the paragraph.
    `unclosed` remembers (run length, paragraph end) pairs already searched in vain."""
    run = len(opener.group())
    if (run, paragraph_end) in unclosed:
        return opener.end()
    closer = re.compile(rf"(?<!`)`{{{run}}}(?!`)")
    close = closer.search(text, opener.end(), paragraph_end)
    if close is None:
        unclosed.add((run, paragraph_end))
        return opener.end()
    first = bisect.bisect_right(starts, opener.end()) - 1
    last = bisect.bisect_right(starts, close.start()) - 1
    if any(i in code for i in range(first, last + 1)):
        return opener.end()
    return close.end()


def page_folder(files: ProjectFiles, rel: str) -> str:
    """The os path of the folder holding a page, from its content-relative path."""
    return os.path.join(files.content_dir, *posixpath.dirname(rel).split("/"))


_LEADING_H1 = re.compile(r"\A(?:[ \t]*\n)*[ ]{0,3}#[ \t][^\n]*(?:\n|\Z)")


def expand_page(
    templater: Templater,
    body: str,
    shown: str,
    body_line: int,
    folder: str,
    templated: bool,
    top: str | None = None,
    bottom: str | None = None,
) -> Expanded:
    """The page body with its templating expanded, and the site-wide `top.md` (under the
    page's leading H1, if it has one) and `bottom.md` around it."""
    out = _Writer()
    title = _LEADING_H1.match(body) if top else None
    split = title.end() if title else 0
    if split:
        head = Source(body[:split], shown, body_line, folder)
        if templated:
            templater.expand_into(head, out)
        else:
            out.add_lines(head.text, head)
        if not body[:split].endswith("\n"):
            out.add("\n", Origin(shown, body_line, body_line))
    if top is not None:
        _site_include(templater, top, body_line, out)
        out.add("\n\n", Origin(shown, body_line, body_line))
    rest_line = body_line + body.count("\n", 0, split)
    rest = Source(body[split:], shown, rest_line, folder)
    if templated:
        templater.expand_into(rest, out)
    else:
        out.add_lines(rest.text, rest)
    if bottom is not None:
        last = body_line + body.count("\n")
        out.add("\n\n", Origin(shown, last, last))
        _site_include(templater, bottom, last, out)
    return Expanded(out.text(), out.origins, templater.diagnostics)


def _site_include(templater: Templater, path: str, page_line: int, out: _Writer) -> None:
    try:
        text, shown = templater.files.read_text(path)
    except DiagnosticError as exc:
        templater.diagnostics.extend(exc.diagnostics)
        return
    source = Source(text.rstrip("\n"), shown, 1, os.path.dirname(path), page_line, ())
    templater.expand_into(source, out)


def uses_templating(page: Any) -> bool:
    """Whether the page's own text has templating to expand."""
    body = page.body
    return page.settings.templating and ("{{" in body or "{%{" in body)


def page_variables(page: Any) -> dict[str, Any]:
    """What `{{ page.* }}` offers: the page's settings as its frontmatter names them."""
    settings = page.settings
    return {
        "label": page.label,
        "title": page.title,
        "description": settings.description,
        "url": "/" + page.url,
        "icon": settings.icon,
        "order": settings.order if settings.order is not None else "",
        "tags": list(settings.tags),
        "date": settings.date,
        "author": ", ".join(author.name for author in settings.authors),
        "layout": settings.layout,
        "visibility": settings.visibility,
        "permalink": settings.permalink,
        "image": settings.image,
    }


def project_variables(config: Any) -> dict[str, Any]:
    """What `{{ project.* }}` offers, under docsite's names and Retype's `branding`."""
    links = [{"text": link.text, "link": link.link, "icon": link.icon} for link in config.links]
    return {
        "title": config.title,
        "description": config.description,
        "url": config.url,
        "language": config.language,
        "logo": config.logo,
        "links": links,
        "branding": {"title": config.title, "logo": config.logo},
    }


# Retype's site-wide includes, from the content folder's _includes/.
SITE_INCLUDES = ("head-top.html", "head.html", "body-top.html", "body.html", "top.md", "bottom.md")


@dataclass
class TemplateSetup:
    """What templating needs of the site, set up once per build."""

    root: Path  # the project folder: nothing outside it is read
    content_dir: Path
    variables: dict[str, Any] = field(default_factory=dict)  # project, data
    site_includes: dict[str, str] = field(default_factory=dict)  # name -> os path, if present

    @classmethod
    def for_site(cls, root: Path, content_dir: Path, config: Any = None) -> TemplateSetup:
        variables: dict[str, Any] = {}
        if config is not None:
            variables = {"project": project_variables(config), "data": dict(config.data)}
        folder = content_dir / INCLUDES_FOLDER
        found = {name: str(folder / name) for name in SITE_INCLUDES if (folder / name).is_file()}
        return cls(root, content_dir, variables, found)


SITE_HTML = ("head-top.html", "head.html", "body-top.html", "body.html")


class SiteHtml:
    """The site-wide HTML includes, expanded for each page (with its values)."""

    def __init__(self, setup: TemplateSetup):
        self.setup = setup
        self.texts: dict[str, str] = {}
        for name in SITE_HTML:
            if name in setup.site_includes:
                self.texts[name] = ""

    def load(self) -> tuple[list[Diagnostic], dict[str, str]]:
        """Read the files; (problems, every file read) for the build to report and track."""
        files = ProjectFiles(self.setup.root, self.setup.content_dir)
        problems: list[Diagnostic] = []
        for name in self.texts:
            try:
                self.texts[name] = files.read_text(self.setup.site_includes[name])[0]
            except DiagnosticError as exc:
                problems.extend(exc.diagnostics)
        return problems, files.read

    def check(self, page: Any) -> tuple[list[Diagnostic], dict[str, str]]:
        """Expand them once for `page`: the problems and included files are the same for all."""
        files = ProjectFiles(self.setup.root, self.setup.content_dir)
        templater = Templater({**self.setup.variables, "page": page_variables(page)}, files)
        for name in self.texts:
            self._expand(name, templater)
        return templater.diagnostics, files.read

    def for_page(self, page: Any) -> dict[str, str]:
        """name ('head.html') -> HTML to inject, with `page` values."""
        expanded: dict[str, str] = {}
        templater: Templater | None = None
        for name, text in self.texts.items():
            if "{{" not in text and "{%{" not in text:
                expanded[name] = text
                continue
            if templater is None:
                files = ProjectFiles(self.setup.root, self.setup.content_dir)
                variables = {**self.setup.variables, "page": page_variables(page)}
                templater = Templater(variables, files)
            expanded[name] = self._expand(name, templater)
        return expanded

    def _expand(self, name: str, templater: Templater) -> str:
        path = self.setup.site_includes[name]
        shown = templater.files.relative(path) or path
        out = _Writer()
        source = Source(self.texts[name], shown, 1, os.path.dirname(path), 1, (), False)
        templater.expand_into(source, out)
        return out.text()
