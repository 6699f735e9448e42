"""`python -m benchmarks.identical BASE [--pages N]`: does this checkout build the site BASE does?

BASE is another checkout of docsite (say `git worktree add /tmp/base main`). Both engines build the
same projects: this repository's own docs, then a generated corpus cold, again with no change, and
after a one-page edit. After each build the two `site/` folders must match byte for byte; a refactor
that claims "no change in behaviour" proves it here."""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.corpus import generate

REPO = Path(__file__).resolve().parent.parent
OWN_DOCS = ("content", "docsite.yml")


def build(engine: Path, project: Path, out: Path) -> None:
    """Build `project` into `out` with the docsite found in the checkout `engine`."""
    env = {**os.environ, "PYTHONPATH": str(engine)}
    command = [sys.executable, str(engine / "build.py"), "build", "--out", str(out), "-q"]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{engine}: build of {project} failed:\n{done.stdout}{done.stderr}")


def differences(left: Path, right: Path, limit: int = 5) -> list[str]:
    """Files that differ between two sites, each with the first lines of its diff."""
    left_files = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    right_files = {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    found = [f"only in base: {rel}" for rel in sorted(left_files - right_files)]
    found += [f"only in this checkout: {rel}" for rel in sorted(right_files - left_files)]
    for rel in sorted(left_files & right_files):
        before, after = (left / rel).read_bytes(), (right / rel).read_bytes()
        if before == after:
            continue
        try:
            diff = difflib.unified_diff(
                before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0
            )
            found.append(f"differs: {rel}\n" + "\n".join(list(diff)[2:8]))
        except UnicodeDecodeError:
            found.append(f"differs: {rel} (binary)")
    return found[:limit] + ([f"... and {len(found) - limit} more"] if len(found) > limit else [])


def compare_step(name: str, base: Path, projects: tuple[Path, Path], work: Path) -> bool:
    """Build both projects (one per engine) and report whether their sites match."""
    sites = (work / "base-site", work / "this-site")
    build(base, projects[0], sites[0])
    build(REPO, projects[1], sites[1])
    found = differences(*sites)
    count = sum(1 for p in sites[1].rglob("*") if p.is_file())
    print(f"{name}: {'identical' if not found else 'DIFFERENT'} ({count} files)")
    for line in found:
        print("  " + line.replace("\n", "\n    "))
    return not found


def copy_own_docs(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in OWN_DOCS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.identical", description=__doc__)
    parser.add_argument("base", type=Path, help="the other docsite checkout to compare with")
    parser.add_argument("--pages", type=int, default=1000, help="corpus size (default: 1000)")
    args = parser.parse_args()
    base = args.base.resolve()
    results = []
    with tempfile.TemporaryDirectory(prefix="docsite-identical-") as tmp:
        work = Path(tmp)
        own = (copy_own_docs(work / "own-base"), copy_own_docs(work / "own-this"))
        results.append(compare_step("own docs", base, own, work / "own"))
        corpora = (work / "corpus-base", work / "corpus-this")
        for root in corpora:
            generate(root, args.pages)
        results.append(compare_step(f"{args.pages} pages, cold", base, corpora, work / "cold"))
        results.append(compare_step(f"{args.pages} pages, no change", base, corpora, work / "cold"))
        for root in corpora:
            pages = sorted((root / "content").rglob("*.md"))
            page = pages[len(pages) // 2]
            page.write_text(page.read_text() + "\nOne more paragraph.\n")
        results.append(compare_step(f"{args.pages} pages, one edit", base, corpora, work / "cold"))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
