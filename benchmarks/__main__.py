"""`python -m benchmarks [--sizes 1000 5000] [--jobs N] [--no-mkdocs] [--mkdocs-limit S]
[--engine CHECKOUT] [--no-watch] [--vocabulary N]`

`python -m benchmarks --pathological [--scale F] [--limit S] [--only WORD ...]`: one huge or
deeply nested page per case, each built at n and 2n (see benchmarks/pathological.py); exits
with status 1 when a case is not linear."""

import argparse
import os
from pathlib import Path

from benchmarks.pathological import run_pathological
from benchmarks.runner import REPO, run

RESULTS = Path("benchmarks/results")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1000, 5000],
        help="corpus sizes in pages (default: 1000 5000; 20000 is optional)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="docsite worker processes (default: one per core)",
    )
    parser.add_argument(
        "--no-mkdocs",
        action="store_true",
        help="skip the MkDocs and Zensical baselines even when they are installed",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=RESULTS / "latest.json",
        help="where to write the results",
    )
    parser.add_argument(
        "--mkdocs-limit",
        type=float,
        default=600,
        help="stop MkDocs or Zensical after this many seconds, a lower bound (default: 600)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="cold builds of docsite (of a copy of the corpus) and of each baseline, taken "
        "in turn, each round followed by one of the edits timed for the median edit; every "
        "ratio is to the median of docsite's, the baselines' to theirs (default: 3; a "
        "baseline build over 2 minutes is not repeated; 1 with --no-mkdocs: the first cold "
        "build alone)",
    )
    parser.add_argument(
        "--no-search",
        action="store_true",
        help="build the corpora with search turned off (no Pagefind indexing)",
    )
    parser.add_argument(
        "--vocabulary",
        type=int,
        default=0,
        help="draw the corpora's text from this many made-up words, spread as a real site's "
        "are (a real site's search index holds tens of thousands; default: 35 common words, "
        "the corpus the issues' figures were measured on)",
    )
    parser.add_argument("--keep", type=Path, help="keep the corpora and sites in this folder")
    parser.add_argument(
        "--engine",
        type=Path,
        default=REPO,
        help="the docsite checkout to measure (default: this one), to compare two in a sitting",
    )
    parser.add_argument(
        "--no-watch",
        action="store_true",
        help="skip watch mode's latencies (minutes at 20,000 pages)",
    )
    parser.add_argument(
        "--pathological",
        action="store_true",
        help="instead, build one pathological page per case at n and 2n",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="--pathological: multiply every n by this"
    )
    parser.add_argument(
        "--limit",
        type=float,
        default=300,
        help="--pathological: stop a build after this many seconds (default: 300)",
    )
    parser.add_argument(
        "--only", nargs="+", help="--pathological: only the cases whose name has one of these"
    )
    args = parser.parse_args()
    if args.pathological:
        json_path = args.json
        if json_path == RESULTS / "latest.json":
            json_path = RESULTS / "pathological.json"
        report = run_pathological(json_path, args.keep, args.limit, args.scale, args.only)
        if any(case["superlinear"] for case in report):
            raise SystemExit(1)  # the table names them
        return
    mkdocs_limit = None if args.no_mkdocs else args.mkdocs_limit
    run(
        sorted(args.sizes),
        args.jobs,
        mkdocs_limit,
        args.json,
        args.keep,
        not args.no_search,
        args.engine.resolve(),
        not args.no_watch,
        args.rounds,
        args.vocabulary,
    )


if __name__ == "__main__":
    main()
