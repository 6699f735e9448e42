"""`python -m benchmarks.bare [--pages N] [--rounds R] [--profile]`: docsite's cost per page
against the bare pipeline, on the same generated corpus, in one process and one run.

The bare pipeline is the floor a Python generator can reach with the same libraries: per page,
read the file, YAML frontmatter, markdown-it-py (CommonMark and tables) with Pygments for code,
one Jinja render into a page whose sidebar is rendered once for the site, and the write. docsite
builds the corpus cold (no cache, one process, no search index). Both are timed in CPU seconds
of this process, in alternating order round after round, and the least of each is kept: the
ratio docsite / bare is what docsite's features and checks cost per page.

A round more, with each stage timed (`StageClock`), says where the difference goes: reading
the pages, their Markdown, the page around it, the writing, and the rest (docsite's sidebar,
keys, checks and generated files).

`--profile` adds a cProfile of one docsite build: its own time by package and module (where
the rest goes) and the top functions."""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from benchmarks.corpus import Corpus, generate

PAGE = jinja2.Template(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} - {{ site }}</title>
<meta name="description" content="{{ description }}">
<link rel="stylesheet" href="/assets/site.css"></head>
<body><nav class="sidebar">{{ sidebar }}</nav>
<main><article data-pagefind-body>{{ body }}</article></main></body></html>
"""
)
SIDEBAR = jinja2.Template(
    "<ul>{% for url, title in pages %}<li><a href='{{ url }}'>{{ title }}</a></li>{% endfor %}</ul>"
)


def _highlighter(formatter: HtmlFormatter):
    def code(source: str, language: str, _attrs: str) -> str:
        try:
            lexer = get_lexer_by_name(language)
        except ClassNotFound:
            return ""
        return highlight(source, lexer, formatter)

    return code


# The stages both pipelines are timed by, in the order a page goes through them.
STAGES = ("reading pages", "Markdown", "page HTML", "writing")
REST = "the rest"


@dataclass
class StageClock:
    """Time by stage, each stage its own: what a stage timed inside another spends counts
    for the inner one only. `clock`: seconds (perf_counter; a test gives its own)."""

    clock: Callable[[], float] = time.perf_counter
    seconds: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    _inner: list[float] = field(default_factory=list)  # each open stage's inner stages' time

    def run(self, stage: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self._inner.append(0.0)
        started = self.clock()
        try:
            return call(*args, **kwargs)
        finally:
            spent = self.clock() - started
            inner = self._inner.pop()
            self.seconds[stage] = self.seconds.get(stage, 0.0) + spent - inner
            self.calls[stage] = self.calls.get(stage, 0) + 1
            if self._inner:
                self._inner[-1] += spent

    @contextmanager
    def wrapping(self, methods: dict[str, tuple[type, str]]) -> Iterator[StageClock]:
        """Time these methods (stage -> (class, name)) as their stages until the end of the
        block. A method the class does not define is an error: renamed since, it would
        leave its stage untimed."""
        originals: list[tuple[type, str, Any]] = []
        try:
            for stage, (owner, name) in methods.items():
                original = owner.__dict__[name]
                originals.append((owner, name, original))
                setattr(owner, name, self._timed(stage, original))
            yield self
        finally:
            for owner, name, original in originals:
                setattr(owner, name, original)

    def _timed(self, stage: str, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def timed(*args: Any, **kwargs: Any) -> Any:
            return self.run(stage, method, *args, **kwargs)

        return timed


def _untimed(_stage: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return call(*args, **kwargs)


def _read_page(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2) if text.startswith("---\n") else ("", "", text)
    return yaml.load(front, Loader=yaml.CSafeLoader) or {}, body


def _write_page(target: Path, page: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")


def bare_build(corpus: Corpus, out: Path, clock: StageClock | None = None) -> int:
    """Build the corpus the bare way; the number of pages written. `clock` times its
    stages (STAGES)."""
    run = clock.run if clock is not None else _untimed
    formatter = HtmlFormatter()
    markdown = MarkdownIt("commonmark", {"highlight": _highlighter(formatter)}).enable("table")
    pages = []
    for rel in corpus.pages:
        settings, body = run("reading pages", _read_page, corpus.content / rel)
        url = "/" + rel.removesuffix(".md").removesuffix("index").rstrip("/") + "/"
        pages.append((rel, url, settings, body))
    sidebar = jinja2.filters.Markup(
        run("page HTML", SIDEBAR.render, pages=[(url, rel) for rel, url, _, _ in pages])
    )  # rendered once for the site
    for _rel, url, settings, body in pages:
        html = run("Markdown", markdown.render, body)
        title = body.partition("\n")[0].lstrip("# ")
        page = run(
            "page HTML",
            PAGE.render,
            title=title,
            site="Benchmark docs",
            description=settings.get("description", ""),
            sidebar=sidebar,
            body=jinja2.filters.Markup(html),
        )
        run("writing", _write_page, out / url.strip("/") / "index.html", page)
    return len(pages)


def docsite_build(corpus: Corpus, out: Path) -> int:
    """docsite's cold build of the corpus: no cache, one process, no search index."""
    from docsite.build.run import build_site
    from docsite.context import BuildOptions

    options = BuildOptions(root=corpus.root, out=out, jobs=1, use_cache=False, search_index=False)
    result = build_site(options)
    if result.report.errors:
        raise RuntimeError(f"docsite failed to build {corpus.root}")
    return result.pages


def cpu_seconds(build, corpus: Corpus, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    started = time.process_time()
    build(corpus, out)
    return time.process_time() - started


def docsite_stages() -> dict[str, tuple[type, str]]:
    """docsite's methods that do what each of STAGES does for the bare pipeline."""
    from docsite.markdown import MarkdownRenderer
    from docsite.pages import PageMemo
    from docsite.render import PageBuilder
    from docsite.theme import Theme

    return {
        "reading pages": (PageMemo, "load"),  # a page's file, its frontmatter checked
        "Markdown": (MarkdownRenderer, "render"),  # Retype's components, links, code
        "page HTML": (Theme, "render_page"),  # the layout, sidebar, table of contents, assets
        "writing": (PageBuilder, "write"),  # the file, its digests, its Markdown copy
    }


def stage_times(corpus: Corpus, out: Path) -> dict[str, dict[str, float]]:
    """Seconds by stage of one build each way (STAGES, then REST: the build's time outside
    them), with the calls each stage took under "<name> calls"."""
    bare, ours = StageClock(), StageClock()
    times = {"bare": _by_stage(bare, lambda: bare_build(corpus, out, bare), out)}
    with ours.wrapping(docsite_stages()):
        times["docsite"] = _by_stage(ours, lambda: docsite_build(corpus, out), out)
    for name, clock in (("bare", bare), ("docsite", ours)):
        times[f"{name} calls"] = {stage: clock.calls.get(stage, 0) for stage in STAGES}
    return times


def _by_stage(clock: StageClock, build: Callable[[], int], out: Path) -> dict[str, float]:
    """One build into a fresh `out`, its seconds by stage as `clock` timed them."""
    shutil.rmtree(out, ignore_errors=True)
    started = clock.clock()
    build()
    total = clock.clock() - started
    seconds = {stage: clock.seconds.get(stage, 0.0) for stage in STAGES}
    return {**seconds, REST: total - sum(seconds.values())}


def stage_lines(times: dict[str, dict[str, float]], pages: int) -> list[str]:
    """The stages side by side, in milliseconds a page."""
    lines = [
        "where the time goes (one round more, each stage timed; ms a page)",
        f"  {'':16}{'bare':>8}{'docsite':>9}{'more':>8}",
    ]
    for stage in (*STAGES, REST):
        bare, ours = (1000 * times[name][stage] / pages for name in ("bare", "docsite"))
        lines.append(f"  {stage:16}{bare:8.2f}{ours:9.2f}{ours - bare:+8.2f}")
    return lines


def by_package(stats: pstats.Stats, top: int = 18) -> list[tuple[str, float]]:
    """Own (not cumulative) time by where the code lives: docsite's modules one by one,
    other packages whole."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        path = filename.replace("\\", "/")
        if "/docsite/" in path:
            key = "docsite." + path.split("/docsite/", 1)[1].removesuffix(".py").replace("/", ".")
        elif "/templates/" in path:
            key = "docsite templates (Jinja)"
        elif "site-packages/" in path:
            key = path.split("site-packages/", 1)[1].split("/", 1)[0]
        elif filename.startswith("<") or filename == "~":
            key = "built-ins (I/O, regular expressions, ...)"
        else:
            key = "Python's library"
        totals[key] += own
    return sorted(totals.items(), key=lambda item: -item[1])[:top]


def profile(corpus: Corpus, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    profiler = cProfile.Profile()
    profiler.runcall(docsite_build, corpus, out)
    stats = pstats.Stats(profiler)
    total = sum(own for _cc, _nc, own, _cum, _c in stats.stats.values())  # type: ignore[attr-defined]
    print(f"\nwhere docsite's time goes (own time, profiled: {total:.2f} s)")
    for name, seconds in by_package(stats):
        print(f"  {seconds / total:6.1%}  {seconds:6.2f} s  {name}")
    print()
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bare", description=__doc__)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docsite-bare-") as work:
        corpus = generate(Path(work) / "corpus", args.pages, search=False)
        out = Path(work) / "site"
        import docsite.build.site  # noqa: F401  imported before timing, as bare's libraries are

        bare, ours = [], []
        for _ in range(args.rounds):
            bare.append(cpu_seconds(bare_build, corpus, out))
            ours.append(cpu_seconds(docsite_build, corpus, out))
        pages = len(corpus.pages)
        print(f"{pages} pages, least of {args.rounds} rounds, CPU seconds of one process")
        print(f"  bare pipeline  {min(bare):6.2f} s  {1000 * min(bare) / pages:6.2f} ms/page")
        print(f"  docsite        {min(ours):6.2f} s  {1000 * min(ours) / pages:6.2f} ms/page")
        print(f"  docsite / bare {min(ours) / min(bare):6.2f}x")
        print("\n".join(stage_lines(stage_times(corpus, out), pages)))
        if args.profile:
            profile(corpus, out)


if __name__ == "__main__":
    main()
