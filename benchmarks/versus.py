"""`python -m benchmarks.versus BASE [--pages N] [--rounds R] [--templated]`: is this checkout
slower than BASE on the same corpus?

BASE is another checkout of docsite (say `git worktree add /tmp/base main`). Both engines build a
generated corpus cold (`--no-cache`, one process), in alternating order round after round, since
the machine warms up and whichever goes first is often slower. It prints the least and the median
CPU time (the build's process: user + system) and wall time of each, and the ratio of the least
and of the median CPU times, this / base: the cost of a change, measured in the same run as
its baseline. On a busy machine the two ratios differ; trust neither alone.

Without `--templated` no page has `{{`. With it, this checkout builds the corpus ("base") and
the same corpus with Retype templating on every tenth page (values, a loop, a `content` query:
"this"), to see what templating costs where it is used; BASE is then not built."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import generate

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = (
    "\n\nOn {{ page.title | string.upcase }}: {{ for t in page.tags }}{{ t }} {{ end }}"
    "see {{ content.pages[0].title }}.\n"
)


def build_seconds(engine: Path, project: Path, out: Path) -> tuple[float, float]:
    """(CPU, wall) seconds of one cold build of `project` by the docsite in `engine`."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "docsite", "build", "--no-cache", "-j", "1"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--out", str(out), "-q"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(engine)},
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{engine} failed to build {project}:\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def add_templating(corpus_root: Path, every: int = 10) -> int:
    """Templating on every `every`-th page; how many pages have it."""
    pages = sorted((corpus_root / "content").rglob("*.md"))
    for page in pages[::every]:
        page.write_text(page.read_text(encoding="utf-8") + TEMPLATE, encoding="utf-8")
    return len(pages[::every])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.versus", description=__doc__)
    parser.add_argument("base", type=Path, help="another checkout of docsite")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--templated", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docsite-versus-") as work:
        corpus = generate(Path(work) / "corpus", args.pages, search=False).root
        # name -> (engine, corpus): the base against this, or this without and with templating.
        runs = {"base": (args.base.resolve(), corpus), "this": (REPO, corpus)}
        if args.templated:
            templated = generate(Path(work) / "templated", args.pages, search=False).root
            print(f"templating on {add_templating(templated)} of {args.pages} pages")
            runs = {"base": (REPO, corpus), "this": (REPO, templated)}
        seconds: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for round_ in range(args.rounds):
            order = list(runs) if round_ % 2 == 0 else list(runs)[::-1]
            for name in order:
                engine, project = runs[name]
                out = Path(work) / f"out-{name}"
                seconds[name].append(build_seconds(engine, project, out))
    report(seconds)


def report(seconds: dict[str, list[tuple[float, float]]]) -> None:
    for name, runs in seconds.items():
        cpu, wall = [run[0] for run in runs], [run[1] for run in runs]
        print(
            f"{name}: cpu least {min(cpu):.2f} s, median {statistics.median(cpu):.2f} s; "
            f"wall least {min(wall):.2f} s, median {statistics.median(wall):.2f} s"
        )
    this_cpu = [run[0] for run in seconds["this"]]
    base_cpu = [run[0] for run in seconds["base"]]
    least = min(this_cpu) / min(base_cpu)
    median = statistics.median(this_cpu) / statistics.median(base_cpu)
    print(f"cpu this / base: {least:.3f} (least), {median:.3f} (median)")


if __name__ == "__main__":
    main()
