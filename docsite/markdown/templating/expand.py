"""Expanding a page body before it is parsed: its templating (Scriban, docsite/scriban), with
the files its `{{ include }}` calls name (looked up as Retype does), and the site-wide `top.md`
and `bottom.md` around it. `templating: false` in a page's frontmatter leaves its own text
alone. Code blocks are templated too, as Retype does: `{%{ ... }%}` shows braces as text."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docsite.content import ContentReads
from docsite.diagnostics import Diagnostic, DiagnosticError, Severity, did_you_mean
from docsite.markdown.templating.origins import Origin, joined, line_origins, plain_origins
from docsite.projectfiles import ProjectFiles
from docsite.scriban import TemplateError
from docsite.scriban.runtime import Builtin, Runtime, ScriptError
from docsite.urls import refused_url

# The engine's parser, evaluator and built-ins load with the first Templater: a page without
# templating needs none of them (docsite.scriban).
if TYPE_CHECKING:
    from docsite.scriban import Template, UnknownName
    from docsite.scriban.evaluator import Piece

INCLUDES_FOLDER = "_includes"
INCLUDE_SUFFIXES = (".md", ".html")
MAX_INCLUDE_DEPTH = 32
# Includes that include others twice each grow exponentially: a page may expand this many.
MAX_INCLUDES = 1000
# What Retype writes in place of an include whose file is missing (with a warning).
UNRESOLVED = "[UNRESOLVED PARTIAL]"
# The name of the build's time among the values a page read (see Expanded.reads).
TIME = "time"
# Retype's `{{ nonce }}`, which changes with the files of the site (docsite.keys.site_nonce):
# a value read, so that only the pages that show it follow those files.
NONCE = "nonce"
# A page's templating may run this many loop rounds and write this much (scriban's Limits).
LIMITS = {"loop_iterations": 100_000, "recursion_depth": 64, "output_size": 5_000_000}


@dataclass
class Expanded:
    """A page body with its templating expanded, for the Markdown parser and its messages."""

    text: str
    origins: list[Origin]  # one per line of `text`
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Values it read that may change with no file of its own changing: `content` queries,
    # TIME when it shows the build's time, NONCE; name -> what it was.
    reads: dict[str, str] = field(default_factory=dict)


class Templater:
    """Expands one page's texts with `variables`; `files` reads (and records) every file
    its includes read."""

    def __init__(
        self,
        variables: dict[str, Any],
        files: ProjectFiles,
        now: dt.datetime,
        content_reads: ContentReads | None = None,
        today: str = "",
    ):
        self.variables = variables
        self.files = files
        self.now = now
        self.content_reads = content_reads if content_reads is not None else ContentReads({})
        self.today = today
        from docsite.scriban import Limits
        from docsite.scriban.builtins import BUILTIN_OBJECTS

        self.enabled = True  # the config's `templating.enabled`: else texts stay as written
        self.limits = Limits(**LIMITS)  # with the config's `templating.loop_limit`
        self.diagnostics: list[Diagnostic] = []
        self.now_read = False
        self.nonce_read = False
        self.includes = 0
        self.parsed: dict[str, Template | None] = {}  # include (os path, selector) -> parsed
        self.folders: dict[int, str] = {}  # id(template) -> the folder its includes start from
        self.paths: dict[int, str] = {}  # id(template) -> the os path of its file
        self.stack: list[str] = []  # the files being included, outermost first
        self.builtins: dict[str, Any] = {
            **BUILTIN_OBJECTS,
            "include": Builtin("include", self._include, 1, None),
        }

    def expand(
        self,
        text: str,
        shown: str,
        first_line: int,
        folder: str,
        page_line: int | None = None,
        path: str = "",
    ) -> tuple[str, list[Origin]]:
        """A text with its templating run, and where each of its lines came from; on an error,
        the text as written (the error is reported)."""
        from docsite.scriban import parse

        try:
            template = parse(text, first_line, shown)
        except TemplateError as error:
            self._report(error, shown)
            return text, plain_origins(text, shown, first_line, page_line)
        self.folders[id(template)] = folder
        if path:
            self.paths[id(template)] = path
        self.stack = [shown]
        try:
            rendering = template.render_report(
                self.variables, builtins=self.builtins, limits=self.limits, now=self.now, trace=True
            )
        except TemplateError as error:
            self._report(error, shown)
            return text, plain_origins(text, shown, first_line, page_line)
        self.now_read |= rendering.now_read
        self.nonce_read |= NONCE in rendering.globals_read
        for unknown in rendering.unknown:
            self._unknown(unknown, shown)
        pieces = self._safe_urls(rendering.pieces)
        if not pieces:  # nothing written
            return "", []
        return "".join(piece.text for piece in pieces), line_origins(pieces, page_line)

    def _safe_urls(self, pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
        """The pieces, less each value that starts an HTML URL attribute (`href="{{ x }}"`)
        with a URL that runs script: an error at the value, as for any URL of the input."""
        kept: list[Piece] = []
        tail = ""  # the last characters written, where an attribute may be open
        for piece in pieces:
            attribute = None if piece.verbatim else _URL_ATTRIBUTE.search(tail)
            refused = attribute and refused_url(
                piece.text,
                f"'{{{{ {_expression(piece)} }}}}' in {attribute.group(2).lower()}=\"...\"",
                image=attribute.group(1).lower() in ("img", "source")
                and attribute.group(2).lower() in ("src", "srcset"),
                entities=True,
            )
            if refused:
                line, col = piece.template.position(piece.at)
                self.diagnostics.append(
                    Diagnostic(
                        piece.template.name,
                        line,
                        col,
                        Severity.ERROR,
                        refused.message,
                        refused.hint,
                    )
                )
                continue
            kept.append(piece)
            tail = (tail + piece.text)[-300:]
        return tuple(kept)

    def render_values(self, value: Any, shown: str, line: int) -> Any:
        """Frontmatter values with their templating run (`page1: "{{ content.pages[0] }}"`),
        for messages at `line` of `shown`."""
        if isinstance(value, str) and "{{" in value:
            return self.expand(value, shown, line, self.files.content_dir)[0]
        if isinstance(value, dict):
            return {key: self.render_values(item, shown, line) for key, item in value.items()}
        if isinstance(value, list):
            return [self.render_values(item, shown, line) for item in value]
        return value

    def reads(self) -> dict[str, str]:
        """The values read that may change with no file changing (Expanded.reads)."""
        found = dict(self.content_reads.queries)
        if self.now_read:
            found[TIME] = self.today
        if self.nonce_read:
            found[NONCE] = str(self.variables.get(NONCE, ""))
        return found

    def _include(self, runtime: Runtime, name: Any, *args: Any, **named: Any) -> str:
        """Retype's `include "file#selector" key: value`: the file's text, templated."""
        if not isinstance(name, str) or not name.strip():
            raise ScriptError("include needs a file name", 'write {{ include "file" }}')
        from docsite.markdown.templating.selectors import split_selector  # with includes

        base, selector = split_selector(name)
        caller: Template = runtime.template
        folder = self.folders.get(id(caller), self.files.content_dir)
        if not base:  # "#part": a part of the file it is written in
            path: str | None = self.paths.get(id(caller))
        else:
            path = self._find(base, folder, whole=selector is None)
        if path is None:
            line, col = caller.position(runtime.at)
            self._warn(caller.name, line, col, f"include '{base}' was not found", _where(base))
            return UNRESOLVED
        shown = self.files.relative(path) or path
        self._check_nesting(shown if selector is None else f"{shown}#{selector}")
        call = (caller.name, *caller.position(runtime.at))
        template = self._parsed(path, shown, selector, call)
        if template is None:
            return ""
        self.stack.append(shown if selector is None else f"{shown}#{selector}")
        try:
            return runtime.include(template, list(args), named)
        finally:
            self.stack.pop()

    def _check_nesting(self, shown: str) -> None:
        self.includes += 1
        if self.includes > MAX_INCLUDES:
            raise ScriptError(
                f"more than {MAX_INCLUDES} includes on one page",
                "includes that each include others several times multiply: include less",
            )
        if shown in self.stack:
            cycle = " -> ".join((*self.stack, shown))
            raise ScriptError(f"include cycle: {cycle}", "remove one of these includes")
        if len(self.stack) > MAX_INCLUDE_DEPTH:
            raise ScriptError(
                f"includes nest deeper than {MAX_INCLUDE_DEPTH} files",
                "include the files you need from fewer levels",
            )

    def _parsed(
        self, path: str, shown: str, selector: str | None, call: tuple[str, int, int]
    ) -> Template | None:
        """The included file parsed, its selected part only; None after reporting why it
        cannot be (once per page). `call`: where the include is (file, line, column), for
        what the selector warns about."""
        if (path, selector) in self.parsed:
            return self.parsed[(path, selector)]
        from docsite.markdown.templating.selectors import SelectorError, select

        template = None
        try:
            text = self.files.read_text(path)[0]
            first_line, numbers = 1, None
            if selector is not None:
                selection = select(text, selector)
                text, numbers = selection.text, selection.lines
                first_line = numbers[0] if numbers else 1
                for warning in selection.warnings:
                    self._warn(*call, f"include '{shown}#{selector}': {warning}", "")
            else:
                text = without_region_markers(text)
            template = parsed_include(text.removesuffix("\n"), first_line, shown, numbers)
            self.folders[id(template)] = os.path.dirname(path)
            self.paths[id(template)] = path
        except DiagnosticError as exc:
            found = exc.diagnostics[0]
            raise ScriptError(f"include '{shown}': {found.message}", found.hint) from None
        except SelectorError as exc:
            raise ScriptError(f"include '{shown}#{selector}': {exc.message}", exc.hint) from None
        except TemplateError as error:
            self._report(error, shown)
        self.parsed[(path, selector)] = template
        return template

    def _find(self, name: str, folder: str, whole: bool = True) -> str | None:
        """The os path of the file an include names, None when there is none; an error
        (ScriptError) when it is outside the project or not .md or .html. `whole`: all of
        the file is included, so not a file being rendered (see _rendering)."""
        path = self._resolve(name, folder, whole)
        if path == "":
            raise ScriptError(
                f"include '{name}' is outside the project",
                "includes must be files inside the project folder",
            )
        if path is not None and not path.endswith(INCLUDE_SUFFIXES):
            raise ScriptError(
                f"include '{name}' is not a .md or .html file",
                'show source code with :::code source="..." ::: instead',
            )
        return path

    def _resolve(self, name: str, start: str, whole: bool) -> str | None:
        """Retype's lookup: the calling file's folder, then its _includes/, then the same in
        each parent up to the content folder. A path starting with '..' is taken as written,
        one starting with '/' from the content folder. '' means outside the project."""
        content = os.path.normpath(self.files.content_dir)
        if name.startswith("/"):
            folders, name = [content], name.lstrip("/")
        elif name.startswith(".."):
            folders = [start]
        else:
            folders = []
            folder = os.path.normpath(start)
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
                if self.files.is_file(path) and not (whole and self._rendering(path)):
                    return path if self.files.relative(path) is not None else ""
        return None

    def _rendering(self, path: str) -> bool:
        """Whether this file is the page being rendered: Retype's lookup goes on past it, so
        `include "components/x"` on the page components/x.md finds
        _includes/components/x.md. (Files that include each other are a cycle.)"""
        return bool(self.stack) and (self.files.relative(path) or path) == self.stack[0]

    def _unknown(self, unknown: UnknownName, shown: str) -> None:
        known = unknown.choices or [*self.variables, *self.builtins]
        self._warn(
            unknown.source or shown,
            unknown.line,
            unknown.col,
            f"'{unknown.name}' is not defined: it shows as nothing",
            did_you_mean(unknown.name.rpartition(".")[2], known)
            or "define it under data: (in the config or the page's frontmatter), or write "
            "{%{ ... }%} to show the braces as text",
        )

    def _report(self, error: TemplateError, shown: str) -> None:
        hint = error.hint or "to show the braces as text, write {%{ ... }%}"
        file = error.source or shown
        self.diagnostics.append(
            Diagnostic(file, error.line, error.col, Severity.ERROR, error.message, hint)
        )

    def _warn(self, shown: str, line: int, col: int, message: str, hint: str) -> None:
        self.diagnostics.append(Diagnostic(shown, line, col, Severity.WARNING, message, hint))


# An HTML tag's URL attribute, open up to a template value: `<a href="{{`.
_URL_ATTRIBUTE = re.compile(
    r"""<([A-Za-z][\w-]*)\b[^<>]*?\s(href|src|srcset|action|formaction|poster|cite|background|"""
    r"""xlink:href|data)\s*=\s*["']?$""",
    re.I,
)


def _expression(piece: Piece) -> str:
    """The source of the expression that wrote a value, for messages."""
    text = piece.template.text
    end = text.find("}}", piece.at)
    return text[piece.at : end if end >= 0 else len(text)].strip().rstrip("~-").strip()


def _where(name: str) -> str:
    if name.startswith(".."):
        return f"there is no {name} beside the file that includes it"
    return (
        f"put it in the page's folder, its {INCLUDES_FOLDER}/ or a parent folder's "
        f"{INCLUDES_FOLDER}/; the name may leave out '.md'"
    )


def without_region_markers(text: str) -> str:
    """The text with its `///region name` and `///endregion` lines blank: they mark parts
    of a file for includes (`file#name`) and never show, as in Retype. (The selectors'
    module loads for a text with `///` only: few pages have one.)"""
    if "///" not in text:
        return text
    from docsite.markdown.templating.selectors import region_markers

    hidden = region_markers(text)
    if not hidden:
        return text
    lines = text.split("\n")
    return "\n".join("" if number in hidden else line for number, line in enumerate(lines, 1))


# Included texts as parsed, shared by the pages a process expands: a file that many pages
# include is parsed once, and so is one that watch mode's pages include again on each save
# (a 270 KB data file takes 100 ms). Keyed by all that the parse reads; rendering a parsed
# template leaves it as it is. The oldest go first past PARSED_INCLUDES_KEPT texts, or past
# PARSED_INCLUDES_TEXT characters of them: a parse takes about 12 times its text's memory,
# and watch mode keeps each version of a file saved again and again.
_parsed_includes: dict[tuple[str, int, str, tuple[int, ...] | None], Template] = {}
PARSED_INCLUDES_KEPT = 128
PARSED_INCLUDES_TEXT = 2_000_000


def parsed_include(
    text: str, first_line: int, shown: str, numbers: tuple[int, ...] | None
) -> Template:
    """An included text parsed (`scriban.parse`), or as parsed before; raises as it does."""
    from docsite.scriban import parse

    key = (text, first_line, shown, numbers)
    template = _parsed_includes.get(key)
    if template is None:
        template = parse(text, first_line, shown, numbers)
        kept = sum(len(kept_text) for kept_text, *_ in _parsed_includes) + len(text)
        while _parsed_includes and (
            len(_parsed_includes) >= PARSED_INCLUDES_KEPT or kept > PARSED_INCLUDES_TEXT
        ):
            kept -= len(next(iter(_parsed_includes))[0])
            del _parsed_includes[next(iter(_parsed_includes))]
        _parsed_includes[key] = template
    return template


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
    path: str = "",
) -> Expanded:
    """The page body with its templating expanded, and the site-wide `top.md` (under the
    page's leading H1, if it has one) and `bottom.md` around it."""
    texts: list[str] = []
    origins: list[Origin] = []

    def add(text: str, where: list[Origin]) -> None:
        if text:
            joined(origins, bool(texts) and texts[-1].endswith("\n"), where)
            texts.append(text)

    title = _LEADING_H1.match(body) if top else None
    split = title.end() if title else 0
    if split:
        add(*_own_text(templater, body[:split], shown, body_line, folder, templated, path))
        if not texts[-1].endswith("\n"):
            add("\n", [Origin(shown, body_line, body_line)] * 2)
    if top is not None:
        add(*_site_include(templater, top, body_line))
        add("\n\n", [Origin(shown, body_line, body_line)] * 3)
    rest_line = body_line + body.count("\n", 0, split)
    add(*_own_text(templater, body[split:], shown, rest_line, folder, templated, path))
    if bottom is not None:
        last = body_line + body.count("\n")
        add("\n\n", [Origin(shown, last, last)] * 3)
        add(*_site_include(templater, bottom, last))
    return Expanded("".join(texts), origins, templater.diagnostics, templater.reads())


def _own_text(
    templater: Templater,
    text: str,
    shown: str,
    line: int,
    folder: str,
    templated: bool,
    path: str,
) -> tuple[str, list[Origin]]:
    """A piece of the page's own text: expanded, or as written with `templating: false`."""
    if templated:
        return templater.expand(text, shown, line, folder, path=path)
    return text, plain_origins(text, shown, line)


def _site_include(templater: Templater, path: str, page_line: int) -> tuple[str, list[Origin]]:
    try:
        text, shown = templater.files.read_text(path)
    except DiagnosticError as exc:
        templater.diagnostics.extend(exc.diagnostics)
        return "", []
    text = text.rstrip("\n")
    if not templater.enabled:
        return text, plain_origins(text, shown, 1, page_line)
    return templater.expand(text, shown, 1, os.path.dirname(path), page_line, path)
