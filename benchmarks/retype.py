"""`python -m benchmarks.retype PATH [--show N]`: how well does docsite build a Retype project?

PATH is a Retype project (the folder of its retype.yml). docsite builds it into a temporary
folder, then this prints the errors and warnings by message, and every piece of Retype syntax
still visible in the text of the built pages (`!!!`, `[!`, `+++`, `{#`, `[[`, `{{`, ...): syntax
that docsite did not understand and left as text for the reader to see. Code blocks and inline
code are left out, since they show syntax on purpose.

A build that stops with errors writes no site: then every page body is rendered on its own by the
Markdown renderer, and the syntax left visible is counted in those (without the theme's chrome).
The exit code is 0 when the site was built and shows no Retype syntax. Nothing of the project is
written to: the site goes to a temporary folder and the build cache is not used."""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup

from docsite.build import BuildOptions, build_site
from docsite.config import load_config
from docsite.diagnostics import DiagnosticError, Report, Severity
from docsite.icons import IconSet, icon_pack_roots
from docsite.markdown import MarkdownRenderer
from docsite.markdown.templating import TemplateSetup
from docsite.nav import build_nav
from docsite.pages import load_site
from docsite.sources import discover

# Retype's syntax, as it would show if left unparsed.
MARKERS = ("!!!", "[!", "+++", "===", ">>>", "|||", "{#", "{.", "[[", "{{", ":icon-")
# What a message says, without the parts that differ from one place to the next.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


@dataclass
class Findings:
    errors: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # message kind -> one in full
    visible: Counter[str] = field(default_factory=Counter)  # marker -> pages' occurrences
    where: dict[str, list[str]] = field(default_factory=dict)  # marker -> "page: text"
    pages: int = 0
    built: bool = False


def message_kind(message: str) -> str:
    return _QUOTED.sub("…", message)


def visible_text(html: str) -> str:
    """The text a reader sees in a page's article, without code."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup.body or soup
    for code in article.find_all(["pre", "code", "script", "style"]):
        code.decompose()
    return article.get_text(" ")


def inspect(project: Path, out: Path) -> Findings:
    found = Findings()
    result = build_site(BuildOptions(root=project, out=out, jobs=0, use_cache=False))
    found.pages, found.built = result.pages, result.ok
    for diagnostic in result.report.items:
        kind = message_kind(diagnostic.message)
        counter = found.errors if diagnostic.severity is Severity.ERROR else found.warnings
        counter[kind] += 1
        found.examples.setdefault(kind, diagnostic.format())
    pages = built_pages(out) if result.ok else rendered_bodies(project)
    for name, html in pages:
        text = visible_text(html)
        for marker in MARKERS:
            count = text.count(marker)
            if count:
                found.visible[marker] += count
                at = text.index(marker)
                snippet = " ".join(text[max(0, at - 30) : at + 40].split())
                found.where.setdefault(marker, []).append(f"{name}: {snippet}")
    return found


def built_pages(out: Path) -> list[tuple[str, str]]:
    return [
        (str(p.relative_to(out)), p.read_text(encoding="utf-8"))
        for p in sorted(out.rglob("*.html"))
    ]


def rendered_bodies(project: Path) -> list[tuple[str, str]]:
    """Each page body rendered on its own, for a project whose build stopped with errors."""
    report = Report()
    config = load_config(project, None, report)
    site = load_site(discover(config.content_dir, config.input, report), report)
    icons = IconSet(pack_roots=icon_pack_roots(config.root, config.content_dir))
    nav = build_nav(site, config.nextprev)
    setup = TemplateSetup.for_site(config.root, config.content_dir, config, site, nav)
    renderer = MarkdownRenderer(
        site, icons, code_line_numbers=config.code_line_numbers, setup=setup
    )
    bodies = []
    for page in site.pages:
        try:
            bodies.append((page.source.shown, renderer.render(page).html))
        except DiagnosticError:
            continue  # a page that cannot be read: its error is counted above
    return bodies


def report(found: Findings, show: int) -> str:
    lines = [
        f"pages: {found.pages}; built: {'yes' if found.built else 'no (errors)'}",
        f"errors: {sum(found.errors.values())}; warnings: {sum(found.warnings.values())}",
    ]
    for title, counter in (("errors", found.errors), ("warnings", found.warnings)):
        if counter:
            lines.append(f"\n{title} by kind:")
            for kind, count in counter.most_common(show):
                lines.append(f"  {count:5}  {found.examples[kind][:220]}")
    how = "" if found.built else " (page bodies rendered one by one: the build stopped)"
    lines.append(f"\nvisible Retype syntax{how}: {sum(found.visible.values())}")
    for marker, count in found.visible.most_common():
        lines.append(f"  {count:5}  {marker}")
        lines += [f"           {where[:160]}" for where in found.where[marker][:show]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.retype", description=__doc__)
    parser.add_argument("project", type=Path, help="a Retype project: the folder of retype.yml")
    parser.add_argument("--show", type=int, default=8, help="examples per kind (default 8)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="docsite-retype-") as folder:
        found = inspect(args.project.resolve(), Path(folder) / "site")
    print(report(found, args.show))
    return 0 if found.built and not found.visible else 1


if __name__ == "__main__":
    sys.exit(main())
