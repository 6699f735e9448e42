"""Expanding a page body before it is parsed: its templating, with the files its
`{{ include }}` tags name (looked up as Retype does), and the site-wide `top.md` and
`bottom.md` around it. `templating: false` in a page's frontmatter leaves its own text alone.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from docsite.diagnostics import Diagnostic, DiagnosticError
from docsite.markdown.templating.evaluator import Evaluator, Writer
from docsite.markdown.templating.syntax import Include, Origin, Source, Template
from docsite.projectfiles import ProjectFiles

INCLUDES_FOLDER = "_includes"
INCLUDE_SUFFIXES = (".md", ".html")
MAX_INCLUDE_DEPTH = 32
# Includes that include others twice each grow exponentially: a page may expand this many.
MAX_INCLUDES = 1000


@dataclass(frozen=True)
class FileSource(Source):
    """A page body or an included file's text: where its own includes are looked up."""

    folder: str = field(kw_only=True)  # os path of the folder that relative includes start from
    chain: tuple[str, ...] = field(default=(), kw_only=True)  # the files including this one


@dataclass
class Expanded:
    """A page body with its templating expanded, for the Markdown parser and its messages."""

    text: str
    origins: list[Origin]  # one per line of `text`
    diagnostics: list[Diagnostic] = field(default_factory=list)


class Templater(Evaluator):
    """Expands one page's text; `files` reads (and records) every file it includes."""

    def __init__(self, variables: dict[str, Any], files: ProjectFiles):
        super().__init__(variables)
        self.files = files
        self.includes = 0
        self.texts: dict[str, tuple[str, str]] = {}  # path -> (text, shown), read once

    def include(self, node: Include, template: Template, out: Writer) -> None:
        """The file an include names, expanded in its place, or an error saying why not."""
        source = template.source
        assert isinstance(source, FileSource)  # a Templater expands files, never bare text
        path = self._find(node, template, source)
        if path is None:
            return None
        self.includes += 1
        if self.includes > MAX_INCLUDES:
            return self.error(
                template,
                node.start,
                f"more than {MAX_INCLUDES} includes on one page",
                "includes that each include others several times multiply: include less",
            )
        try:
            if path not in self.texts:
                self.texts[path] = self.files.read_text(path)
            text, shown = self.texts[path]
        except DiagnosticError as exc:
            found = exc.diagnostics[0]
            message = f"include '{node.name}': {found.message}"
            return self.error(template, node.start, message, found.hint)
        if shown in source.chain or shown == source.shown:
            cycle = " -> ".join((*source.chain, source.shown, shown))
            hint = "remove one of these includes"
            return self.error(template, node.start, f"include cycle: {cycle}", hint)
        if len(source.chain) >= MAX_INCLUDE_DEPTH:
            return self.error(
                template,
                node.start,
                f"includes nest deeper than {MAX_INCLUDE_DEPTH} files",
                "include the files you need from fewer levels",
            )
        included = FileSource(
            text[:-1] if text.endswith("\n") else text,
            shown,
            1,
            template.origin(node.start).page_line,
            source.markdown and path.endswith(".md"),
            folder=os.path.dirname(path),
            chain=(*source.chain, source.shown),
        )
        self.expand_into(included, out)
        return None

    def _find(self, node: Include, template: Template, source: FileSource) -> str | None:
        """The os path of the file an include names, or None after saying why not."""
        name = node.name
        path = self._resolve(name, source)
        if path is None:
            where = (
                f"there is no {name} beside {source.shown}"
                if name.startswith("..")
                else f"put it in {self._shown_dir(source.folder)}/{INCLUDES_FOLDER}/ or a "
                f"parent folder's {INCLUDES_FOLDER}/; the name may leave out '.md'"
            )
            self.error(template, node.start, f"include '{name}' was not found", where)
            return None
        if path == "":
            self.error(
                template,
                node.start,
                f"include '{name}' is outside the project",
                "includes must be files inside the project folder",
            )
            return None
        if not path.endswith(INCLUDE_SUFFIXES):
            self.error(
                template,
                node.start,
                f"include '{name}' is not a .md or .html file",
                'show source code with :::code source="..." ::: instead',
            )
            return None
        return path

    def _resolve(self, name: str, source: FileSource) -> str | None:
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

    def _shown_dir(self, folder: str) -> str:
        return self.files.relative(folder) or folder


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
    out = Writer()
    title = _LEADING_H1.match(body) if top else None
    split = title.end() if title else 0
    if split:
        _expand_text(
            templater, FileSource(body[:split], shown, body_line, folder=folder), out, templated
        )
        if not body[:split].endswith("\n"):
            out.add("\n", Origin(shown, body_line, body_line))
    if top is not None:
        _site_include(templater, top, body_line, out)
        out.add("\n\n", Origin(shown, body_line, body_line))
    rest_line = body_line + body.count("\n", 0, split)
    rest = FileSource(body[split:], shown, rest_line, folder=folder)
    _expand_text(templater, rest, out, templated)
    if bottom is not None:
        last = body_line + body.count("\n")
        out.add("\n\n", Origin(shown, last, last))
        _site_include(templater, bottom, last, out)
    return Expanded(out.text(), out.origins, templater.diagnostics)


def _expand_text(templater: Templater, source: FileSource, out: Writer, templated: bool) -> None:
    """A piece of the page's own text: expanded, or as written with `templating: false`."""
    if templated:
        templater.expand_into(source, out)
    else:
        out.add_lines(source.text, source, source.first_line)


def _site_include(templater: Templater, path: str, page_line: int, out: Writer) -> None:
    try:
        text, shown = templater.files.read_text(path)
    except DiagnosticError as exc:
        templater.diagnostics.extend(exc.diagnostics)
        return
    source = FileSource(text.rstrip("\n"), shown, 1, page_line, folder=os.path.dirname(path))
    templater.expand_into(source, out)
