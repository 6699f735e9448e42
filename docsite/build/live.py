"""Watch mode's fast path: re-render pages whose body alone changed, in place in the served
folder, from the site the last build loaded."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from docsite.build.inputs import read_files_inputs
from docsite.cache import BuildCache, CacheState, InputHasher
from docsite.config import SiteConfig
from docsite.diagnostics import Diagnostic
from docsite.keys import live_markdown_key
from docsite.nav import NavTree
from docsite.output import atomic_write
from docsite.pages import Page, SiteContent
from docsite.publish import markdown_copy, markdown_path
from docsite.render import PageBuilder, PageJob
from docsite.theme import Theme


@dataclass
class LiveState:
    """A successful build, kept in memory so watch mode can re-render single pages."""

    config: SiteConfig
    site: SiteContent
    nav: NavTree
    theme: Theme
    state: CacheState
    cache: BuildCache
    out: Path


@dataclass
class LiveOutcome:
    diagnostics: list[Diagnostic]
    changed_urls: list[str]
    seconds: float


def live_render(live: LiveState, pages: list[Page]) -> LiveOutcome:
    """Re-render pages in place in the served folder; a page with errors keeps its old file."""
    started = time.perf_counter()
    builder = PageBuilder(
        live.site, live.theme, live.out, None, {}, live.cache, live.state.files, live=True
    )
    diagnostics: list[Diagnostic] = []
    changed = []
    for page in pages:
        record = live.state.pages.get(page.source.rel)
        # A Markdown key of the body alone: the cache keeps this parse apart from builds'.
        outcome = builder.build(PageJob(page.source.rel, live_markdown_key(page.body), False))
        diagnostics.extend(outcome.diagnostics)
        # Files the new body reads (a snippet just added) are watched from now on.
        live.state.files.update(
            read_files_inputs(
                live.config.root, outcome.dependencies, live.state.files, InputHasher({})
            )
        )
        if record is not None and outcome.html_digest:
            record.dependencies = outcome.dependencies
        if outcome.html_digest and not page.settings.redirect:
            # Its Markdown copy too, replaced whole like the page.
            copy = markdown_copy(page, outcome.expanded or page.body)
            atomic_write(live.out / markdown_path(page), copy)
        if outcome.html_digest and (record is None or record.html_digest != outcome.html_digest):
            changed.append(page.url)
            if record is not None:
                record.html_digest = outcome.html_digest
                record.search_digest = outcome.search_digest
                record.output_stat = outcome.output_stat
    return LiveOutcome(sorted(diagnostics), changed, time.perf_counter() - started)
