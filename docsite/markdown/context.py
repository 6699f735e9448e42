"""What a Markdown plugin may know about the page it renders, and how it reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markdown_it.token import Token

from docsite.actions import ActionSet, PageAction
from docsite.config import ChecksConfig, OutboundConfig
from docsite.dates import format_date
from docsite.diagnostics import Diagnostic, DiagnosticError, Severity, naming_hint
from docsite.icons import ICON_HINT, IconSet, icon_markup
from docsite.labels import ENGLISH, labels_for, markdown_words
from docsite.markdown.headings import TocEntry
from docsite.markdown.templating import Origin
from docsite.pages import Page, SiteContent
from docsite.projectfiles import ProjectFiles
from docsite.urls import root_prefix

_ENGLISH_WORDS = markdown_words(labels_for(ENGLISH, {}))
_ENGLISH_DATES = (labels_for(ENGLISH, {})["Default_DateFormat"], ENGLISH)


@dataclass
class RenderContext:
    """What one page's render reports (diagnostics, links, files read), apart from
    markdown-it's `env`."""

    page: Page
    site: SiteContent
    asset_paths: frozenset[str]
    lines: list[str]  # the page body (templating expanded), to find columns
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Links to pages, as (target rel, fragment, line, col), checked once all pages are known.
    page_links: list[tuple[str, str, int, int]] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # pages linked to, also from settings
    summarized: list[str] = field(default_factory=list)  # pages whose summary it shows: cards
    published: list[str] = field(default_factory=list)  # files of site.linkable linked to
    # Links to no page's file (an address, a tag's page, a page not written yet): what each
    # found (`markdown.link_resolution`), for the page to be rendered again when that changes.
    resolved: dict[str, tuple] = field(default_factory=dict)
    icons: IconSet = field(default_factory=IconSet)
    used_icons: set[str] = field(default_factory=set)  # for the site's icons.css
    files: ProjectFiles | None = None  # reads included files and code snippets
    code_line_numbers: frozenset[str] = frozenset()  # languages numbered unless `!#`
    outbound: OutboundConfig = field(default_factory=OutboundConfig)  # links to other sites
    checks: ChecksConfig = field(default_factory=ChecksConfig)  # how broken links are reported
    words: dict[str, str] = field(default_factory=lambda: dict(_ENGLISH_WORDS))
    origins: list[Origin] | None = None  # per line of `lines`, when templating changed them
    # What the plugins found, for the page's Rendered.
    toc: list[TocEntry] = field(default_factory=list)
    has_h1: bool = False
    mermaid: bool = False  # has a diagram: the page loads Mermaid
    backlinks_placed: bool = False  # `[!backlinks]` says where the list goes
    backlinks_title: str = ""  # its own title, if it has one
    nesting_reported: bool = False  # the nesting limit is reported once per page
    # Highlighted code blocks by `code.code_key`: the page's last parse's, to take again,
    # and this one's, kept with it for the next.
    code_before: dict[str, str] = field(default_factory=dict)
    code: dict[str, str] = field(default_factory=dict)
    actions: ActionSet | None = None  # the project's own actions (_components/actions/)
    date_format: tuple[str, str] = _ENGLISH_DATES  # the site's: pattern, language

    def date_text(self, value: dt.date) -> str:
        """A date as the site writes dates (`locale.dateFormat`, in its language)."""
        pattern, language = self.date_format
        return format_date(value, pattern, language)

    def custom_action(self, name: str) -> PageAction | None:
        """The project's action of that name, resolved for this page; None when there is
        none, or when its templates fail (reported once, where the actions are read)."""
        if self.actions is None or name not in self.actions:
            return None
        try:
            return self.actions.for_page(name, self.page)
        except DiagnosticError:
            return None

    def word(self, key: str) -> str:
        """One of MARKDOWN_WORDS in the site's language."""
        return self.words[key]

    def icon(self, value: str, css_class: str = "icon") -> str:
        """An icon's HTML (and a note that the page uses it), or '' when none has that name."""
        icon = self.icons.resolve(value) if value.strip() else None
        if icon is None:
            return ""
        self.used_icons.add(value.strip())
        return icon_markup(icon, css_class, root_prefix(self.page.url))

    def icon_hint(self, value: str) -> str:
        return naming_hint(self.icons.suggestions(value)) or ICON_HINT

    def record_link(self, target_rel: str, fragment: str, block: Token | None, raw: str) -> None:
        if block is None:
            return  # a link from a setting (redirect, image): not a link in the text
        origin, col = self.position(block, raw)
        if origin.file != self.page.source.shown:
            col = 1  # included text: the link is reported at the include
        self.page_links.append((target_rel, fragment, origin.page_line, col))

    def position(self, block: Token | None, needle: str = "") -> tuple[Origin, int]:
        """Where `needle` is inside the block's source lines: its origin and column."""
        if block is None or not block.map:
            return self._origin(0), 1
        start, end = block.map
        for index in range(start, min(end, len(self.lines))):
            col = self.lines[index].find(needle) if needle else -1
            if col >= 0:
                return self._origin(index), col + 1
        return self._origin(start), 1

    def _origin(self, index: int) -> Origin:
        if self.origins is not None and index < len(self.origins):
            return self.origins[index]
        line = self.page.body_line + index
        return Origin(self.page.source.shown, line, line)

    def error(self, block: Token | None, needle: str, message: str, hint: str = "") -> None:
        self._add(Severity.ERROR, block, needle, message, hint)

    def warning(self, block: Token | None, needle: str, message: str, hint: str = "") -> None:
        self._add(Severity.WARNING, block, needle, message, hint)

    def broken_link(self, block: Token | None, needle: str, message: str, hint: str = "") -> None:
        """A link to a page or file that does not exist, reported as `checks.links` says."""
        if self.checks.links != "off":
            self._add(Severity(self.checks.links), block, needle, message, hint)

    def _add(
        self, severity: Severity, block: Token | None, needle: str, message: str, hint: str
    ) -> None:
        origin, col = self.position(block, needle)
        self.diagnostics.append(Diagnostic(origin.file, origin.line, col, severity, message, hint))
