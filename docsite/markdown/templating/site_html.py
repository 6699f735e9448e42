"""Retype's site-wide includes, from the content folder's `_includes/`: the HTML ones that
the theme injects into every page (expanded with that page's values), and what templating
needs of the site, set up once per build."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docsite.config import SiteConfig
from docsite.diagnostics import Diagnostic, DiagnosticError
from docsite.markdown.templating.evaluator import Writer
from docsite.markdown.templating.expand import INCLUDES_FOLDER, FileSource, Templater
from docsite.markdown.templating.variables import page_variables, project_variables
from docsite.pages import Page
from docsite.projectfiles import ProjectFiles

# Retype's site-wide includes, from the content folder's _includes/.
SITE_INCLUDES = ("head-top.html", "head.html", "body-top.html", "body.html", "top.md", "bottom.md")
# Those the theme injects into the page's HTML (top.md and bottom.md go around its Markdown).
SITE_HTML = ("head-top.html", "head.html", "body-top.html", "body.html")


@dataclass
class TemplateSetup:
    """What templating needs of the site, set up once per build."""

    root: Path  # the project folder: nothing outside it is read
    content_dir: Path
    variables: dict[str, Any] = field(default_factory=dict)  # project, data
    site_includes: dict[str, str] = field(default_factory=dict)  # name -> os path, if present

    @classmethod
    def for_site(
        cls, root: Path, content_dir: Path, config: SiteConfig | None = None
    ) -> TemplateSetup:
        variables: dict[str, Any] = {}
        if config is not None:
            variables = {"project": project_variables(config), "data": dict(config.data)}
        folder = content_dir / INCLUDES_FOLDER
        found = {name: str(folder / name) for name in SITE_INCLUDES if (folder / name).is_file()}
        return cls(root, content_dir, variables, found)


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

    def check(self, page: Page) -> tuple[list[Diagnostic], dict[str, str]]:
        """Expand them once for `page`: the problems and included files are the same for all."""
        templater = self._templater(page)
        for name in self.texts:
            self._expand(name, templater)
        return templater.diagnostics, templater.files.read

    def for_page(self, page: Page) -> dict[str, str]:
        """name ('head.html') -> HTML to inject, with `page` values."""
        expanded: dict[str, str] = {}
        templater: Templater | None = None
        for name, text in self.texts.items():
            if "{{" not in text and "{%{" not in text:
                expanded[name] = text
                continue
            if templater is None:
                templater = self._templater(page)
            expanded[name] = self._expand(name, templater)
        return expanded

    def _templater(self, page: Page) -> Templater:
        files = ProjectFiles(self.setup.root, self.setup.content_dir)
        return Templater({**self.setup.variables, "page": page_variables(page)}, files)

    def _expand(self, name: str, templater: Templater) -> str:
        path = self.setup.site_includes[name]
        shown = templater.files.relative(path) or path
        out = Writer()
        text = self.texts[name]
        source = FileSource(text, shown, 1, 1, False, folder=os.path.dirname(path))
        templater.expand_into(source, out)
        return out.text()
