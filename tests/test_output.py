import os
import time

import pytest

from docsite.output import OutputFolder


def settled_listing(folder, seconds=10.0):
    """The folder's entries once the previous site's background deletion is done."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        names = sorted(os.listdir(folder))
        if not any(".old-" in name for name in names):
            return names
        time.sleep(0.05)
    return sorted(os.listdir(folder))


def test_commit_replaces_the_old_site_whole(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")
    with OutputFolder(target) as out:
        out.write_text("a/index.html", "new")
        assert not (target / "a").exists()  # nothing visible before the swap
        out.commit()
    assert sorted(p.name for p in target.iterdir()) == ["a"]
    assert settled_listing(tmp_path) == ["site"]


def test_error_before_commit_keeps_the_old_site(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old")
    with pytest.raises(RuntimeError), OutputFolder(target) as out:
        out.write_text("index.html", "half")
        raise RuntimeError("boom")
    assert (target / "index.html").read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_leftovers_of_killed_builds_are_cleaned(tmp_path):
    target = tmp_path / "site"
    dead = tmp_path / ".site.tmp-999999999"
    dead.mkdir()
    with OutputFolder(target) as out:
        out.write_text("index.html", "x")
        out.commit()
    assert not dead.exists() and (target / "index.html").is_file()
