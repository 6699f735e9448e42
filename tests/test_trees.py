"""Deleting trees in a process the build does not wait for (docsite.trees)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from docsite import trees


def _tree(root: Path) -> Path:
    for rel in ("a/b/c/page.html", "a/index.html", "top.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel)
    return root


def _until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _state(pid: int) -> str | None:
    """The process's state letter (Z: ended, not reaped), None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return None


def test_a_trees_entries_come_with_their_paths_each_folder_before_what_it_holds(tmp_path):
    folder = _tree(tmp_path / "tree")
    (folder / "link").symlink_to(folder / "a")  # not followed
    given = [rel for rel, _ in trees.tree_entries(folder)]
    assert sorted(given) == [
        "a",
        "a/b",
        "a/b/c",
        "a/b/c/page.html",
        "a/index.html",
        "link",
        "top.txt",
    ]
    assert (
        given.index("a")
        < given.index("a/b")
        < given.index("a/b/c")
        < given.index("a/b/c/page.html")
    )


def test_a_tree_is_removed_by_a_process_of_its_own_from_any_folder(tmp_path, monkeypatch):
    """The process finds docsite wherever the build runs and whatever its environment."""
    folder = _tree(tmp_path / "old")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "nothing-here"))
    trees.in_background("remove", folder)
    pid = trees._spawned[-1]
    assert pid != os.getpid()
    assert _until(lambda: not folder.exists())


def test_pruning_keeps_the_folders_and_the_files_the_live_site_shares(tmp_path):
    spare, live = _tree(tmp_path / "spare"), tmp_path / "live"
    live.mkdir()
    os.link(spare / "a/index.html", live / "index.html")
    trees.in_background("prune", spare)
    assert _until(lambda: not (spare / "top.txt").exists())
    assert _until(lambda: not (spare / "a/b/c/page.html").exists())
    assert (spare / "a/index.html").read_text() == "a/index.html"
    assert (spare / "a/b/c").is_dir()


def test_relinking_makes_every_file_of_the_spare_tree_the_live_sites_then_says_so(tmp_path):
    """A file the live site shares stays; one it wrote anew is linked in its place, even
    when the spare tree's is linked elsewhere too (one file, but not the live site's); one
    it no longer has goes, and so does one it links from an input (a link would change
    the input's ctime, which the no-change stamp signs) and its marker. The marker, written
    last, holds the build's token."""
    spare, live = _tree(tmp_path / "spare"), _tree(tmp_path / "live")
    (live / "a/b/c/page.html").unlink()  # a page removed
    os.unlink(live / "a/index.html")
    os.link(spare / "a/index.html", live / "a/index.html")  # shared
    os.link(spare / "top.txt", tmp_path / "elsewhere.txt")  # two links, neither the live one
    (tmp_path / "image.png").write_text("an input")
    os.link(tmp_path / "image.png", live / "image.png")
    (spare / "image.png").write_text("the image as it was")
    (live / ".docsite").write_text("marker")
    (spare / ".docsite").write_text("the last marker")
    input_times = (tmp_path / "image.png").stat().st_ctime_ns
    marker = tmp_path / ".spare.relinked"
    trees.in_background("relink", spare, str(live), str(marker), "token-1", ".docsite")
    assert _until(marker.exists)
    assert marker.read_text() == "token-1"
    assert {
        rel: (spare / rel).stat().st_ino == (live / rel).stat().st_ino
        for rel in ("a/index.html", "top.txt")
    } == {"a/index.html": True, "top.txt": True}
    assert not (spare / "a/b/c/page.html").exists() and (spare / "a/b/c").is_dir()
    assert (tmp_path / "elsewhere.txt").read_text() == "top.txt"  # left alone
    assert not (spare / "image.png").exists() and not (spare / ".docsite").exists()
    assert (tmp_path / "image.png").stat().st_ctime_ns == input_times


def test_relinking_goes_on_past_a_folder_the_live_site_has_a_file_in_place_of(tmp_path):
    spare, live = _tree(tmp_path / "spare"), tmp_path / "live"
    live.mkdir()
    (live / "a").write_text("a page where a folder was")
    marker = tmp_path / ".spare.relinked"
    trees.relink_spare(str(spare), str(live), str(marker), "t")
    assert marker.read_text() == "t"
    assert not (spare / "a/index.html").exists() and not (spare / "a/b/c/page.html").exists()


def test_relinking_a_tree_replaced_meanwhile_leaves_no_marker(tmp_path, monkeypatch):
    """The next build took the tree while it was walked, and a later one left another."""
    spare, live = _tree(tmp_path / "spare"), _tree(tmp_path / "live")
    walk = trees.tree_entries

    def replaced(folder):
        yield from walk(folder)
        os.rename(spare, tmp_path / "taken")
        spare.mkdir()

    monkeypatch.setattr(trees, "tree_entries", replaced)
    marker = tmp_path / ".spare.relinked"
    trees.relink_spare(str(spare), str(live), str(marker), "t")
    assert not marker.exists()


def test_relinking_a_tree_taken_meanwhile_leaves_no_marker(tmp_path):
    marker = tmp_path / ".spare.relinked"
    trees.relink_spare(str(tmp_path / "gone"), str(_tree(tmp_path / "live")), str(marker), "t")
    assert not marker.exists()


def test_without_a_python_to_start_the_task_runs_here_and_now(tmp_path, monkeypatch):
    folder = _tree(tmp_path / "old")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    spawned = list(trees._spawned)
    trees.in_background("remove", folder)
    assert not folder.exists()  # done before it returned
    assert set(trees._spawned) <= set(spawned)  # none started


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_next_task_reaps_the_processes_that_ended(tmp_path):
    """Watch mode starts one a build: none is left a zombie for long."""
    first = _tree(tmp_path / "first")
    trees.in_background("remove", first)
    pid = trees._spawned[-1]
    assert _until(lambda: _state(pid) == "Z")  # ended, not yet reaped
    trees.in_background("remove", _tree(tmp_path / "second"))
    assert pid not in trees._spawned
    assert _state(pid) is None
    assert not first.exists()
