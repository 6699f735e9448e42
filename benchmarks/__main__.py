"""`python -m benchmarks [--sizes 1000 5000] [--jobs N] [--no-mkdocs] [--mkdocs-limit S]`"""

import argparse
import os
from pathlib import Path

from benchmarks.runner import run


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
        help="skip the MkDocs baseline even when it is installed",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=Path("benchmarks/results/latest.json"),
        help="where to write the results",
    )
    parser.add_argument(
        "--mkdocs-limit",
        type=float,
        default=600,
        help="stop MkDocs after this many seconds and report a lower bound (default: 600)",
    )
    parser.add_argument(
        "--no-search",
        action="store_true",
        help="build the corpora with search turned off (no Pagefind indexing)",
    )
    parser.add_argument("--keep", type=Path, help="keep the corpora and sites in this folder")
    args = parser.parse_args()
    mkdocs_limit = None if args.no_mkdocs else args.mkdocs_limit
    run(sorted(args.sizes), args.jobs, mkdocs_limit, args.json, args.keep, not args.no_search)


if __name__ == "__main__":
    main()
