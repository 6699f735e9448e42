"""Retype's site-wide includes, from the content folder's `_includes/`: the HTML ones that
the theme injects into every page (expanded with that page's values), and what templating
needs of the site, set up once per build."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docsite.config import SiteConfig
from docsite.content import ContentIndex, ContentReads
from docsite.dates import build_time
from docsite.diagnostics import Diagnostic, DiagnosticError
from docsite.markdown.templating.expand import INCLUDES_FOLDER, NONCE, TIME, Templater
from docsite.markdown.templating.variables import (
    git_date,
    nonce,
    page_variables,
    project_variables,
    template_globals,
)
from docsite.nav import NavTree, build_nav
from docsite.pages import Page, SiteContent
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
    variables: dict[str, Any] = field(default_factory=dict)  # project, nonce
    site_includes: dict[str, str] = field(default_factory=dict)  # name -> os path, if present
    now: dt.datetime = field(default_factory=lambda: build_time())
    site_url: str = ""
    content: ContentIndex | None = None  # `content.*`: every page, made once per build
    enabled: bool = True  # the config's `templating.enabled`
    committed: dict[str, str] = field(default_factory=dict)  # page rel -> last commit date
    loop_limit: int = 0  # the config's `templating.loop_limit`: rounds of one loop
    namespace: str = ""  # the config's `templating.namespace`: where project, page, content go

    @classmethod
    def for_site(
        cls,
        root: Path,
        content_dir: Path,
        config: SiteConfig | None = None,
        site: SiteContent | None = None,
        nav: NavTree | None = None,
    ) -> TemplateSetup:
        variables: dict[str, Any] = {"project": {"data": {}}, "nonce": nonce("")}
        if config is not None:
            project = project_variables(config)
            variables = {"project": project, "nonce": nonce(repr(project))}
        folder = content_dir / INCLUDES_FOLDER
        found = {name: str(folder / name) for name in SITE_INCLUDES if (folder / name).is_file()}
        site_url = config.url if config else ""
        setup = cls(root, content_dir, variables, found, site_url=site_url)
        setup.enabled = config.templating if config is not None else True
        if config is not None:
            setup.loop_limit = config.templating_options.loop_limit
            setup.namespace = config.templating_options.namespace
        if site is not None:
            nav = nav if nav is not None else build_nav(site)
            setup.content = ContentIndex(site, nav, lambda page: page_variables(page, site_url))
        return setup

    def templater(self, page: Page, files: ProjectFiles) -> Templater:
        """What expands `page`'s texts: its values, with copies of the shared ones (a
        template may change the values it reads; the next page must not see that), and
        `content`, which records what the page reads of it."""
        shared = copy.deepcopy(self.variables)
        reads = ContentReads({})
        if self.content is not None:
            shared["content"] = self.content.view(reads)
        page_values = page_variables(page, self.site_url)
        page_values["data"] = copy.deepcopy(page.settings.data)
        if page.settings.last_updated is None:  # else the date set by hand
            committed = self.committed.get(page.source.rel, "")
            page_values["lastUpdated"] = git_date(committed)
            # A commit changes it with no change to the page's text or settings.
            reads.queries[UPDATED + page.source.rel] = committed
        templater = Templater(
            template_globals(page_values, shared, self.namespace),
            files,
            self.now,
            reads,
            self.today,
        )
        templater.enabled = self.enabled
        templater.limits = dataclasses.replace(templater.limits, loop_limit=self.loop_limit)
        if _has_template(page.settings.data):  # Retype templates `data:` values too
            where = page.settings.where("data", page.source.shown)
            page_values["data"] = templater.render_values(
                page_values["data"], where.file, where.line
            )
            templater.variables = template_globals(page_values, shared, self.namespace)
        return templater

    @property
    def today(self) -> str:
        """What a page that shows the time (`date.now`) depends on: the build's date."""
        return self.now.date().isoformat()

    def current(self, name: str) -> str:
        """What a value a page's templating read is now: the date, the nonce, a page's last
        commit date, or a `content` query."""
        if name == TIME:
            return self.today
        if name == NONCE:
            return str(self.variables.get(NONCE, ""))
        if name.startswith(UPDATED):
            return self.committed.get(name.removeprefix(UPDATED), "")
        return self.content.digest(name) if self.content is not None else ""


# The name of a page's last commit date among the values a page's templating read.
UPDATED = "updated:"


def _has_template(value: Any) -> bool:
    if isinstance(value, str):
        return "{{" in value
    if isinstance(value, dict):
        return any(_has_template(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_template(item) for item in value)
    return False


class SiteHtml:
    """The site-wide HTML includes, expanded for each page (with its values)."""

    def __init__(self, setup: TemplateSetup):
        self.setup = setup
        self.texts: dict[str, str] = {}
        # Values they read that may change with no file changing (Expanded.reads): what a
        # `content` query gave, or the date; inputs of every page.
        self.reads: dict[str, str] = {}
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
        """Expand them once for `page`: the problems and included files are the same for all.
        A site without them has nothing to check (nor the template engine to load)."""
        if not self.texts:
            return [], {}
        templater = self._templater(page)
        for name in self.texts:
            self._expand(name, templater)
        # What the page checked with read of itself (its last commit) is not the site's.
        self.reads = {
            name: value for name, value in templater.reads().items() if not name.startswith(UPDATED)
        }
        return templater.diagnostics, templater.files.read

    def for_page(self, page: Page) -> dict[str, str]:
        """name ('head.html') -> HTML to inject, with `page` values."""
        expanded: dict[str, str] = {}
        templater: Templater | None = None
        for name, text in self.texts.items():
            if not self.setup.enabled or ("{{" not in text and "{%" not in text):
                expanded[name] = text
                continue
            if templater is None:
                templater = self._templater(page)
            expanded[name] = self._expand(name, templater)
        return expanded

    def _templater(self, page: Page) -> Templater:
        return self.setup.templater(page, ProjectFiles(self.setup.root, self.setup.content_dir))

    def _expand(self, name: str, templater: Templater) -> str:
        path = self.setup.site_includes[name]
        shown = templater.files.relative(path) or path
        return templater.expand(self.texts[name], shown, 1, os.path.dirname(path))[0]
