"""`python -m benchmarks.bare [--pages N] [--rounds R] [--profile]`: docsite's cost per page
against the bare pipeline, on the same generated corpus, in one process and one run.

The bare pipeline is the floor a Python generator can reach with the same libraries: per page,
read the file, YAML frontmatter, markdown-it-py (CommonMark and tables) with Pygments for code,
one Jinja render into a page whose sidebar is rendered once for the site, and the write. docsite
builds the corpus cold (no cache, one process, no search index). Both are timed in CPU seconds
of this process, in alternating order round after round, and the least of each is kept: the
ratio docsite / bare is what docsite's features and checks cost per page.

`--profile` adds a cProfile of one docsite build: its own time by package and module (where
the rest goes) and the top functions."""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

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


def bare_build(corpus: Corpus, out: Path) -> int:
    """Build the corpus the bare way; the number of pages written."""
    formatter = HtmlFormatter()
    markdown = MarkdownIt("commonmark", {"highlight": _highlighter(formatter)}).enable("table")
    pages = []
    for rel in corpus.pages:
        text = (corpus.content / rel).read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2) if text.startswith("---\n") else ("", "", text)
        settings = yaml.load(front, Loader=yaml.CSafeLoader) or {}
        url = "/" + rel.removesuffix(".md").removesuffix("index").rstrip("/") + "/"
        pages.append((rel, url, settings, body))
    sidebar = jinja2.filters.Markup(
        SIDEBAR.render(pages=[(url, rel) for rel, url, _, _ in pages])
    )  # rendered once for the site
    for _rel, url, settings, body in pages:
        html = markdown.render(body)
        title = body.partition("\n")[0].lstrip("# ")
        page = PAGE.render(
            title=title,
            site="Benchmark docs",
            description=settings.get("description", ""),
            sidebar=sidebar,
            body=jinja2.filters.Markup(html),
        )
        target = out / url.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
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
        if args.profile:
            profile(corpus, out)


if __name__ == "__main__":
    main()
