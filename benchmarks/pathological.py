"""Pathological pages: one huge or deeply nested page per case, built at n and 2n (with,
for a case that needs them, other pages that grow with n).

A build must take time linear in the page's size (2n takes about twice n), or stop early
with a diagnostic naming the limit; a case that takes longer than the time limit is shown
as a lower bound. Seconds per MB are net of an empty site's build, next to a normal page's.
A case that is not linear (SUPERLINEAR) is named after the table, and the run exits with
status 1: a regression such as one that made 100,000 headings take 238 s instead of 7
shows at once, without reading the table.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.corpus import _page
from benchmarks.runner import RUN_ENV, docsite_command

# 2n taking more than this many times n is not linear: quadratic time gives 4, linear 2, and
# the margin is for the noise of a shared machine.
SUPERLINEAR = 3.0
# Below this many seconds at 2n, the ratio is mostly noise (a build's own start varies by
# tens of milliseconds): such a case is not judged.
JUDGED_SECONDS = 0.5


@dataclass(frozen=True)
class Case:
    name: str
    size: int  # n: the page is built at n and 2n
    unit: str  # what n counts
    body: Callable[[int], str]  # the page for a given n
    frontmatter: Callable[[int], str] = lambda n: ""
    others: Callable[[int], dict[str, str]] = lambda n: {}  # the site's other pages


def normal(sections: int) -> str:
    """The benchmark corpus's pages, one after another: the per-MB baseline."""
    rng = random.Random(7)
    # Its links go to itself, so the page builds alone.
    parts = [_page("index.md", i, ["index.md"], rng).split("---\n", 2)[2] for i in range(sections)]
    return "\n".join(parts)


def same_headings(n: int) -> str:
    return "## Same title\n\nText.\n\n" * n


def distinct_headings(n: int) -> str:
    return "".join(f"## Heading number {i}\n\nText.\n\n" for i in range(n))


def nested_lists(n: int) -> str:
    # Each "- " opens a list inside the item before it: n levels in 2n bytes.
    return "- " * n + "deep\n"


def nested_quotes(n: int) -> str:
    return "> " * n + "deep\n"


def nested_callouts(n: int) -> str:
    # Callouts nest by pairing titled openers with bare closers.
    return "!!! Level\n" * n + "deep\n" + "!!!\n" * n


def nested_containers(n: int) -> str:
    return "::: box\n" * n + "deep\n" + ":::\n" * n


def long_line(n: int) -> str:
    """One line of n KB of ordinary inline Markdown: emphasis, code, links, autolinks."""
    unit = "Some *emphasis*, `code`, a [link](https://example.com/x) and https://example.com/y "
    return unit * (n * 1024 // len(unit)) + "\n"


def broken_links(n: int) -> str:
    """n links to pages that do not exist, each misspelt in a folder that does not either:
    each error's hint looks for the page meant among the site's (`linked_pages`)."""
    return "".join(f"See [page {i}](old/pgae-{i}.md).\n\n" for i in range(n))


def linked_pages(n: int) -> dict[str, str]:
    return {f"topic-{i % 50}/page-{i}.md": f"# Page {i}\n" for i in range(n)}


def folder_pages(n: int) -> dict[str, str]:
    """n pages side by side in one folder: each page's sidebar lists every one of them."""
    return {f"reference/page-{i}.md": f"# Reference page {i}\n\nText.\n" for i in range(n)}


def many_tags(n: int) -> str:
    return "tags: [" + ", ".join(f"tag{i}" for i in range(n)) + "]\n"


CASES = (
    Case("normal pages", 500, "pages", normal),
    Case("same-text headings", 100_000, "headings", same_headings),
    Case("distinct headings", 100_000, "headings", distinct_headings),
    Case("nested lists", 10_000, "levels", nested_lists),
    Case("nested block quotes", 10_000, "levels", nested_quotes),
    Case("nested callouts", 10_000, "levels", nested_callouts),
    Case("nested containers", 10_000, "levels", nested_containers),
    Case("one long line", 1024, "KB", long_line),
    Case("frontmatter tags", 40_000, "tags", lambda n: "Tagged.\n", many_tags),
    Case(
        "broken links in a site of as many pages", 1000, "links", broken_links, others=linked_pages
    ),
    Case("pages in one folder", 1000, "pages", lambda n: "Home.\n", others=folder_pages),
)


@dataclass
class Measure:
    size: int
    mb: float  # the page's size
    seconds: float  # net of an empty site's build
    timed_out: bool
    diagnostics: str  # the first lines the build printed about the page


@dataclass
class CaseResult:
    name: str
    unit: str
    n: Measure
    double: Measure

    @property
    def ratio(self) -> float:
        return self.double.seconds / self.n.seconds if self.n.seconds > 0 else 0.0

    @property
    def seconds_per_mb(self) -> float:
        return self.double.seconds / self.double.mb if self.double.mb else 0.0

    @property
    def superlinear(self) -> bool:
        """Whether the case is not linear: it hit the time limit, or 2n, long enough to
        judge, took more than SUPERLINEAR times n."""
        if self.double.timed_out:
            return True
        return self.double.seconds >= JUDGED_SECONDS and self.ratio > SUPERLINEAR


def write_site(
    root: Path, body: str, frontmatter: str = "", others: dict[str, str] | None = None
) -> float:
    """A site of one page (and `others`, small); returns the page's size in MB."""
    if root.exists():
        shutil.rmtree(root)
    (root / "content").mkdir(parents=True)
    (root / "docsite.yml").write_text("title: Pathological\nsearch:\n  enabled: false\n")
    text = f"---\ntitle: Page\n{frontmatter}---\n{body}"
    (root / "content" / "index.md").write_text(text, encoding="utf-8")
    for rel, other in (others or {}).items():
        (root / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / rel).write_text(other, encoding="utf-8")
    return len(text.encode("utf-8")) / 2**20


def build(root: Path, limit: float) -> tuple[float, bool, str]:
    """Seconds of one cold build, whether it hit the time limit, and what it printed."""
    command = [*docsite_command(root / "site", 1), "--no-cache"]
    command.remove("-q")
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=root, env=RUN_ENV, capture_output=True, text=True, timeout=limit
        )
    except subprocess.TimeoutExpired:
        return limit, True, ""
    seconds = time.perf_counter() - started
    printed = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if "index.md" in line or "error" in line
    ]
    return seconds, False, "\n".join(printed[:3])


def measure(case: Case, work: Path, limit: float, empty: float, scale: float) -> CaseResult:
    measures = []
    for size in (int(case.size * scale), 2 * int(case.size * scale)):
        root = work / f"{case.name.replace(' ', '-')}-{size}"
        mb = write_site(root, case.body(size), case.frontmatter(size), case.others(size))
        seconds, timed_out, printed = build(root, limit)
        measures.append(Measure(size, mb, max(seconds - empty, 0.0), timed_out, printed))
        shutil.rmtree(root, ignore_errors=True)
        if timed_out:
            measures.append(Measure(2 * size, 2 * mb, limit, True, "(not run)"))
            break
    return CaseResult(case.name, case.unit, measures[0], measures[1])


def table(results: list[CaseResult], empty: float) -> str:
    rows = [("case", "n", "MB", "s at n", "s at 2n", "2n/n", "s per MB", "diagnostic")]
    for r in results:
        over = ">" if r.double.timed_out else ""
        rows.append(
            (
                r.name,
                f"{r.n.size:,} {r.unit}",
                f"{r.n.mb:.2f}",
                f"{'>' if r.n.timed_out else ''}{r.n.seconds:.2f}",
                f"{over}{r.double.seconds:.2f}",
                f"{over}{r.ratio:.2f}",
                f"{over}{r.seconds_per_mb:.2f}",
                (r.double.diagnostics or r.n.diagnostics).split("\n")[0][:90],
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i in (0, 7) else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"(seconds are net of an empty site's build, {empty:.2f} s)")
    failed = [r.name for r in results if r.superlinear]
    if failed:
        lines.append(
            f"NOT LINEAR (2n/n over {SUPERLINEAR:g}, or over the time limit): " + ", ".join(failed)
        )
    return "\n".join(lines)


def run_pathological(
    json_path: Path,
    keep: Path | None = None,
    limit: float = 300,
    scale: float = 1.0,
    only: list[str] | None = None,
) -> list[dict]:
    """Build every case at n and 2n, print the table, and save the results."""
    work = keep or Path(tempfile.mkdtemp(prefix="docsite-pathological-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        root = work / "empty"
        write_site(root, "Empty.\n")
        empty = min(build(root, limit)[0] for _ in range(3))
        results = []
        for case in CASES:
            if only and not any(word in case.name for word in only):
                continue
            results.append(measure(case, work, limit, empty, scale))
            print(f"  {case.name}: done", file=sys.stderr, flush=True)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(table(results, empty))
    report = [
        asdict(r)
        | {"ratio": r.ratio, "seconds_per_mb": r.seconds_per_mb, "superlinear": r.superlinear}
        for r in results
    ]
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps({"empty_site_seconds": empty, "cases": report}, indent=2))
    print(f"results written to {json_path}")
    return report
