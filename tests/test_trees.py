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
