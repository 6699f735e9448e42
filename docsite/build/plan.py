"""Which pages are reused and which are rendered: the keys of docsite.keys, applied page by page.

A reused page's file is hard-linked from the last build into the staging folder here, since
whether that works is part of the decision."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from docsite.backlinks import Backlink, any_backlinks, backlinks_by_page, reading_order
from docsite.build.inputs import project_file_entry, settle
from docsite.cache import FileEntry, InputHasher, PageRecord, link_targets
from docsite.config import SiteConfig
from docsite.context import BuildContext
from docsite.keys import (
    DependencyValues,
    SharedKeys,
    content_input,
    key_of,
    markdown_inputs,
    page_inputs,
    page_key,
    project_input,
)
from docsite.markdown import link_resolution
from docsite.markdown.templating import INCLUDES_FOLDER, SITE_INCLUDES
from docsite.pages import Page
from docsite.render import PageJob


@dataclass
class PagePlan:
    """The pages reused as they were, and the jobs to render the others."""

    reused: dict[str, PageRecord] = field(default_factory=dict)
    jobs: list[PageJob] = field(default_factory=list)
    base_keys: dict[str, str] = field(default_factory=dict)  # page key but its dependencies
    why: dict[str, str] = field(default_factory=dict)  # why each job is rendered, for -v


@dataclass(slots=True)  # one a page: made and read faster without a __dict__
class _Survey:
    """What the last build tells of one page, before deciding."""

    page: Page
    record: PageRecord | None
    markdown_key: str = ""
    dependencies: dict[str, tuple] = field(default_factory=dict)
    markdown_valid: bool = False  # its cached parse may be used

    def as_recorded(self, ctx: BuildContext, values: DependencyValues) -> None:
        """Take the record's Markdown key when only other pages' settings or titles changed
        (the structure key holds) and neither the page's file nor what it read did: the
        inputs of its Markdown key are as they were. Its page key is worked out still."""
        record = self.record
        assert record is not None
        if _as_read(ctx, self.page, record, values):
            self.markdown_key = record.markdown_key
            self.dependencies = record.dependencies
            self.markdown_valid = True

    def known(self, shared: SharedKeys, values: DependencyValues) -> _Survey:
        """With its Markdown key and dependencies worked out, unless known (`as_recorded`)."""
        if not self.markdown_key:
            record = self.record
            self.markdown_key = key_of(markdown_inputs(self.page, shared))
            self.dependencies = values.snapshot(record.dependencies) if record else {}
            self.markdown_valid = (
                record is not None
                and record.markdown_key == self.markdown_key
                and record.dependencies == self.dependencies
            )
        return self


# Parses the pages of these jobs ahead of rendering: page -> the pages it links to.
ParseLinks = Callable[[list[PageJob]], dict[str, list[str]]]


def plan_pages(ctx: BuildContext, shared: SharedKeys, parse: ParseLinks) -> PagePlan:
    """Reuse every page whose inputs are unchanged (linking its file into staging); plan a
    render job for each of the others. When pages list their backlinks, the pages whose
    links are unknown are parsed first (`parse`), since a page's list depends on the others.
    With the site key the same, the pages as they were (`_unchanged`) are reused whole:
    only the others are surveyed."""
    same_site = shared.site == ctx.previous.site_key
    same_structure = shared.structure == ctx.previous.structure_key
    values = _values(ctx)
    unchanged: dict[str, PageRecord] = {}  # the fast path's pages, by page: not surveyed
    surveys = []
    records = ctx.previous.pages
    for page in ctx.site.pages:
        record = records.get(page.source.rel)
        if same_site and record is not None and _unchanged(ctx, page, record, values):
            unchanged[page.source.rel] = record
            continue
        survey = _Survey(page, record)
        if same_structure and record is not None:
            survey.as_recorded(ctx, values)
        surveys.append(survey.known(shared, values))
    backlinks, parsed = _backlinks(ctx, surveys, unchanged, parse, same_site)
    values = _values(ctx)  # the parse may have added the files pages read to the inputs
    surveyed = {survey.page.source.rel: survey for survey in surveys}
    plan = PagePlan()
    for page in ctx.site.pages:
        rel = page.source.rel
        record = unchanged.get(rel)
        listed = backlinks.get(rel, ()) if backlinks is not None else None
        if record is not None and (listed is None or record.backlinks == listed):
            _reuse(ctx, plan, page, record)  # nothing it shows changed: no keys to work out
            continue
        survey = surveyed.get(rel) or _Survey(page, record)
        _decide(ctx, plan, shared, values, survey, listed, rel in parsed)
    return plan


def _values(ctx: BuildContext) -> DependencyValues:
    """What pages' dependencies are now, each worked out once as pages ask."""
    site_html = ctx.theme.site_html
    current = site_html.setup.current if site_html is not None else None
    return DependencyValues(ctx.site, ctx.files, current, link_resolution)


def _backlinks(
    ctx: BuildContext,
    surveys: list[_Survey],
    unchanged: dict[str, PageRecord],
    parse: ParseLinks,
    same_site: bool,
) -> tuple[dict[str, tuple[Backlink, ...]] | None, set[str]]:
    """Every page's backlinks, and the pages parsed to find them: the others' links are
    those of their last build, whose parse is still valid (the `unchanged` pages' too,
    which are not surveyed). When the site key is the same (it holds every title, URL,
    setting and the order the lists show) and so is every page's list of links, each page's
    backlinks are its record's: None says so, and a page reused unchanged never reads them
    (the cache unpickles a record's backlinks when they are first read: cache.SELDOM_READ)."""
    if not any_backlinks(ctx.site, ctx.config.backlinks):
        return {}, set()
    jobs = [
        PageJob(s.page.source.rel, s.markdown_key, False)
        for s in surveys
        if not s.markdown_valid and not s.page.settings.redirect
    ]
    found = parse(jobs) if jobs else {}
    if same_site and _links_as_recorded(surveys, found):
        return None, set(found)
    links = dict(found)
    for survey in surveys:
        rel = survey.page.source.rel
        if rel not in links and survey.record is not None:
            links[rel] = link_targets(survey.record.page_links)
    for rel, record in unchanged.items():
        links.setdefault(rel, link_targets(record.page_links))
    order = reading_order(ctx.site, ctx.nav)
    return backlinks_by_page(ctx.site, links, ctx.config.backlinks, order), set(found)


def _links_as_recorded(surveys: list[_Survey], found: dict[str, list[str]]) -> bool:
    """Whether every page surveyed has a record (those not surveyed were found unchanged by
    their records), and the pages parsed link where their records say."""
    for survey in surveys:
        record = survey.record
        if record is None:
            return False
        links = found.get(survey.page.source.rel)
        if links is not None and links != link_targets(record.page_links):
            return False
    return True


def _decide(
    ctx: BuildContext,
    plan: PagePlan,
    shared: SharedKeys,
    values: DependencyValues,
    survey: _Survey,
    backlinks: tuple[Backlink, ...] | None,
    parsed: bool,
) -> None:
    """Reuse the page, or plan its job; `parsed`: its body was parsed in this build.
    `backlinks`: None when they are its record's."""
    page, record = survey.page, survey.record
    rel = page.source.rel
    if backlinks is None:  # its record's: every page has one then
        backlinks = record.backlinks if record is not None else ()
    survey.known(shared, values)
    base_key = key_of(page_inputs(page, survey.markdown_key, ctx.theme, shared, backlinks))
    plan.base_keys[rel] = base_key
    new_key = page_key(base_key, survey.dependencies)
    if (
        survey.markdown_valid
        and record is not None
        and record.page_key == new_key
        and not page.settings.redirect
        and _link(ctx, page, record)
    ):
        source_digest = ctx.files[content_input(rel)][0]
        if record.source_digest != source_digest:
            # Its file changed in ways nothing it shows depends on: the record says so now.
            # Else the record stays the very object read, which the cache need not write.
            record = replace(record, source_digest=source_digest)
        _reuse(ctx, plan, page, record)
        return
    plan.jobs.append(PageJob(rel, survey.markdown_key, survey.markdown_valid or parsed, backlinks))
    plan.why[rel] = _why_rendered(page, record, ctx, survey, backlinks, new_key)


def _unchanged(ctx: BuildContext, page: Page, record: PageRecord, values: DependencyValues) -> bool:
    """The fast path: the site key is the same, and so are the page's file and dependencies
    (`_as_read`); its file of the live site is kept (`_link`)."""
    return _as_read(ctx, page, record, values, same_site=True) and _link(ctx, page, record)


def _as_read(
    ctx: BuildContext,
    page: Page,
    record: PageRecord,
    values: DependencyValues,
    same_site: bool = False,
) -> bool:
    """The page's file and what it read are as its record says (and it is no redirect).
    `same_site`: the site key is the last build's. It holds every page's path, settings and
    title (`SiteInputs.pages`, with the settings files and the config), from which the
    page's address and label are made: what a link shows of a page is as it was, and only
    the other kinds of dependency are looked up (`PageRecord.input_dependencies`)."""
    return (
        record.source_digest == ctx.files[content_input(page.source.rel)][0]
        and not page.settings.redirect
        and values.unchanged(record.input_dependencies() if same_site else record.dependencies)
    )


def _link(ctx: BuildContext, page: Page, record: PageRecord) -> bool:
    """Keep the page's file of the live site, unless it changed since it was written."""
    if ctx.previous_output is None or record.output_path != page.output_path:
        return False
    return ctx.output.carry(record.output_path, record.output_stat)  # the page's, as checked


def _reuse(ctx: BuildContext, plan: PagePlan, page: Page, record: PageRecord) -> None:
    """Keep the page as its record says; its file was linked (`_link`), at the page's path."""
    plan.reused[page.source.rel] = record
    ctx.output.placed.add(record.output_path)
    ctx.report.extend(record.diagnostics)


def _why_rendered(
    page: Page,
    record: PageRecord | None,
    ctx: BuildContext,
    survey: _Survey,
    backlinks: tuple[Backlink, ...],
    new_page_key: str,
) -> str:
    """Why a page was rendered rather than reused, in words, for `-v`."""
    if record is None:
        return "new page" if ctx.previous.pages else "nothing cached yet"
    if page.settings.redirect:
        return "redirect pages are always written"
    if record.source_digest != ctx.files[content_input(page.source.rel)][0]:
        return "its file changed"
    if record.dependencies != survey.dependencies:
        return "a page or file it uses changed"
    if not survey.markdown_valid:
        return "the config, an include or an asset it may show changed"
    if record.backlinks != backlinks:
        return "the pages that link to it changed"
    if record.page_key != new_page_key:
        return "the navigation, the theme or a title it shows changed"
    return "its previous output was missing"


def site_include_inputs(
    config: SiteConfig, files: dict[str, FileEntry], hasher: InputHasher, read: dict[str, str]
) -> tuple[dict[str, FileEntry], list[tuple[str, str]]]:
    """The site-wide includes (content/_includes/head.html...), present or not, and the files
    they include: inputs of every page. `read`: those the theme read, by path, with the hash
    of what it read (`keys.settle_read`: they are hashed after). Returns the new inputs and
    (name, hash) of each."""
    content = os.path.relpath(config.content_dir, config.root).replace(os.sep, "/")
    # Named as pages' dependencies name the files they read: no "./" (Retype's `input: .`).
    folder = f"{content}/{INCLUDES_FOLDER}/" if content != "." else f"{INCLUDES_FOLDER}/"
    added: dict[str, FileEntry] = {}
    for rel in sorted({*(folder + name for name in SITE_INCLUDES), *read}):
        name = project_input(rel)
        added[name] = project_file_entry(config.root, name, hasher)
        if rel in read:
            settle(added, name, read[rel], hasher, config.root / rel)
    return added, [(name, entry[0]) for name, entry in added.items()]
