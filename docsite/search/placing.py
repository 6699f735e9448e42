"""The index in the output: pagefind/, and the key file that names the index it holds.

A build places the index in its staging folder, hard-linking the files that did not change
from the last build's; watch mode swaps a new index into the served folder in place."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from docsite.output import OutputFolder, atomic_write, same_bytes
from docsite.search.pagefind_client import ENTRY_FILE

INDEX_DIR = "pagefind"
# Written last: it names the index that pagefind/ holds (not served: a dotfile).
KEY_FILE = INDEX_DIR + "/.docsite-key"


def read_key(site: Path) -> str:
    """The key of the index in `site`'s pagefind/, or "" if it has none."""
    try:
        return (site / KEY_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def files_in(folder: Path) -> set[str]:
    """Every file under `folder`, as paths relative to it ('fragment/en_1.pf_fragment'):
    listed folder by folder, as strings (a Path for each of 5,000 fragments, and a look at
    each, took 50 ms of every re-index in watch mode)."""
    found: set[str] = set()
    folders = [(str(folder), "")]
    while folders:
        path, prefix = folders.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                folders.append((entry.path, f"{prefix}{entry.name}/"))
            elif entry.is_file():
                found.add(prefix + entry.name)
    return found


def link_tree(folder: Path, output: OutputFolder) -> bool:
    """Hard-link a previous build's pagefind/ into the staging folder."""
    if not folder.is_dir():
        return False
    for rel in files_in(folder):
        name = INDEX_DIR + "/" + rel
        if not output.link_from(folder / rel, name):
            output.copy_file(folder / rel, name)
    return True


def place_index(
    output: OutputFolder,
    files: dict[str, bytes],
    links: dict[str, str],
    key: str,
    previous: Path | None,
) -> None:
    """Put an index in the staging folder: `files` written (path in pagefind/ -> content),
    `links` hard-linked from the last build (or copied), then the key file that names it."""
    for rel, data in sorted(files.items()):
        output.write_bytes(INDEX_DIR + "/" + rel, data, previous)
    # The last index's files, most of them the live site's own at the same path: those
    # staging holds already are kept at once (`keep_live`), the others linked one by one.
    live = f"{output.target}/"
    same, others = [], []
    for rel, source in links.items():
        name = f"{INDEX_DIR}/{rel}"
        if source == live + name:
            same.append(name)
        else:
            others.append((name, source))
    others += [(name, live + name) for name in output.keep_live(same)]
    for name, source in sorted(others):
        if not output.link_from(source, name):
            output.copy_file(source, name)
    output.write_text(KEY_FILE, key + "\n")


def swap_in(files: dict[str, bytes], target: Path, key: str, keep: set[str]) -> None:
    """Write `files` into the served index `target` and delete its other files but those in
    `keep`: new files first, then the entry file that names them, then the files no longer
    named, so a reader finds a whole index at each step."""
    key_file = target / KEY_FILE.partition("/")[2]
    with contextlib.suppress(OSError):
        key_file.unlink()  # until the swap is done, the index is not current
    old = files_in(target)
    for rel in sorted(files, key=lambda r: r == ENTRY_FILE):
        path = target / rel
        if rel in old and same_bytes(path, files[rel]):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, files[rel])
    for rel in old - set(files) - keep:
        with contextlib.suppress(OSError):
            (target / rel).unlink()
    key_file.write_text(key + "\n", encoding="utf-8")
