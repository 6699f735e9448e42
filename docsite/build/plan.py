"""Which pages are reused and which are rendered: the keys of docsite.keys, applied page by page.

A reused page's file is hard-linked from the last build into the staging folder here, since
whether that works is part of the decision."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from docsite.build.inputs import project_file_entry
from docsite.cache import FileEntry, InputHasher, PageRecord
from docsite.config import SiteConfig
from docsite.context import BuildContext
from docsite.keys import (
    SharedKeys,
    content_input,
    key_of,
    markdown_inputs,
    page_inputs,
    page_key,
    project_input,
    snapshot,
)
from docsite.markdown.templating import INCLUDES_FOLDER, SITE_INCLUDES
from docsite.pages import Page
from docsite.render import PageJob, link_previous


@dataclass
class PagePlan:
    """The pages reused as they were, and the jobs to render the others."""

    reused: dict[str, PageRecord] = field(default_factory=dict)
    jobs: list[PageJob] = field(default_factory=list)
    base_keys: dict[str, str] = field(default_factory=dict)  # page key but its dependencies
    why: dict[str, str] = field(default_factory=dict)  # why each job is rendered, for -v


def plan_pages(ctx: BuildContext, shared: SharedKeys) -> PagePlan:
    """Reuse every page whose inputs are unchanged (linking its file into staging); plan a
    render job for each of the others."""
    plan = PagePlan()
    same_site = shared.site == ctx.previous.site_key
    for page in ctx.site.pages:
        rel = page.source.rel
        record = ctx.previous.pages.get(rel)
        if same_site and record is not None and _unchanged(ctx, page, record):
            _reuse(ctx, plan, page, record)  # nothing it shows changed: no keys to work out
            continue
        markdown_key = key_of(markdown_inputs(page, shared))
        dependencies = snapshot(ctx.site, ctx.files, record.dependencies) if record else {}
        base_key = key_of(page_inputs(page, markdown_key, ctx.theme, shared))
        plan.base_keys[rel] = base_key
        markdown_valid = (
            record is not None
            and record.markdown_key == markdown_key
            and record.dependencies == dependencies
        )
        if (
            markdown_valid
            and record is not None
            and record.page_key == page_key(base_key, dependencies)
            and not page.settings.redirect
            and _link(ctx, page, record)
        ):
            record.source_digest = ctx.files[content_input(rel)][0]
            _reuse(ctx, plan, page, record)
            continue
        plan.jobs.append(PageJob(rel, markdown_key, markdown_valid))
        plan.why[rel] = _why_rendered(
            page, record, ctx, markdown_valid, dependencies, page_key(base_key, dependencies)
        )
    return plan


def _unchanged(ctx: BuildContext, page: Page, record: PageRecord) -> bool:
    """The fast path: the site key is the same, and so are the page's file and dependencies."""
    return (
        record.source_digest == ctx.files[content_input(page.source.rel)][0]
        and not page.settings.redirect
        and record.dependencies == snapshot(ctx.site, ctx.files, record.dependencies)
        and _link(ctx, page, record)
    )


def _link(ctx: BuildContext, page: Page, record: PageRecord) -> bool:
    staged = ctx.output.staging / page.output_path
    return link_previous(ctx.previous_output, record, staged, ctx.output.made_folders)


def _reuse(ctx: BuildContext, plan: PagePlan, page: Page, record: PageRecord) -> None:
    plan.reused[page.source.rel] = record
    ctx.output.placed.add(page.output_path)
    ctx.report.extend(record.diagnostics)


def _why_rendered(
    page: Page,
    record: PageRecord | None,
    ctx: BuildContext,
    markdown_valid: bool,
    dependencies: dict[str, tuple],
    new_page_key: str,
) -> str:
    """Why a page was rendered rather than reused, in words, for `-v`."""
    if record is None:
        return "new page" if ctx.previous.pages else "nothing cached yet"
    if page.settings.redirect:
        return "redirect pages are always written"
    if record.source_digest != ctx.files[content_input(page.source.rel)][0]:
        return "its file changed"
    if record.dependencies != dependencies:
        return "a page or file it uses changed"
    if not markdown_valid:
        return "the config, an include or an asset it may show changed"
    if record.page_key != new_page_key:
        return "the navigation, the theme or a title it shows changed"
    return "its previous output was missing"


def site_include_inputs(
    config: SiteConfig, files: dict[str, FileEntry], hasher: InputHasher, extra: list[str]
) -> tuple[dict[str, FileEntry], list[tuple[str, str]]]:
    """The site-wide includes (content/_includes/head.html...), present or not, and the files
    they include: inputs of every page. Returns the new inputs and (name, hash) of each."""
    content = os.path.relpath(config.content_dir, config.root).replace(os.sep, "/")
    folder = f"{content}/{INCLUDES_FOLDER}/"
    added: dict[str, FileEntry] = {}
    for rel in sorted({*(folder + name for name in SITE_INCLUDES), *extra}):
        name = project_input(rel)
        added[name] = project_file_entry(config.root, name, hasher)
    return added, [(name, entry[0]) for name, entry in added.items()]
