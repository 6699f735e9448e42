"""What a build works out the same way for every build of a site, kept in the cache beside the
compiled templates (`cache.made_once`): the code's stylesheet, and what the theme's
stylesheets' selectors need of a page. A later process reads it instead of making it, a damaged
file is made again, and a cache that cannot be written never fails the build."""

from __future__ import annotations

import pickle

import pytest
from conftest import write_files

from docsite import theme
from docsite.build import BuildOptions, build_site
from docsite.cache import CACHE_DIR, made_once


def _never() -> bytes:
    raise AssertionError("made again")


def test_a_kept_value_is_read_not_made_again(tmp_path):
    path = tmp_path / "value.bin"
    assert made_once(path, lambda: b"made", bytes, bytes) == b"made"
    assert path.read_bytes() == b"made"
    assert made_once(path, _never, bytes, bytes) == b"made"


def test_a_damaged_file_is_made_again_and_replaced(tmp_path):
    path = tmp_path / "value.pickle"
    path.write_bytes(b"\x80\x05not a pickle")
    made = made_once(path, lambda: {"a": (1, 2)}, pickle.dumps, pickle.loads)
    assert made == {"a": (1, 2)}
    assert pickle.loads(path.read_bytes()) == made


def test_without_a_path_it_is_made_each_time(tmp_path):
    calls = []

    def make() -> bytes:
        calls.append(1)
        return b"x"

    assert made_once(None, make, bytes, bytes) == made_once(None, make, bytes, bytes) == b"x"
    assert len(calls) == 2
    assert not any(tmp_path.iterdir())


def test_a_value_made_anew_replaces_those_of_its_kind_only(tmp_path):
    """The stylesheets changed: the selectors worked out of the old ones go, the rest of
    the folder (compiled templates, the code's stylesheet) stays."""
    for name in ("selectors-old.pickle", "selectors-older.pickle", "pygments-x.css", "t.py"):
        (tmp_path / name).write_bytes(b"kept before")
    made = made_once(tmp_path / "selectors-new.pickle", lambda: b"new", bytes, bytes, "selectors-*")
    assert made == b"new"
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["pygments-x.css", "selectors-new.pickle", "t.py"]
    assert made_once(tmp_path / "selectors-new.pickle", _never, bytes, bytes, "selectors-*")


def test_a_cache_that_cannot_be_written_costs_a_remake_not_the_build(tmp_path):
    """A file where the cache's folder should be: writing fails (as a read-only or full
    disk would), and the value is made all the same."""
    (tmp_path / "kept").write_text("a file, not a folder")
    path = tmp_path / "kept" / "value.bin"
    assert made_once(path, lambda: b"made", bytes, bytes) == b"made"
    assert (tmp_path / "kept").read_text() == "a file, not a folder"


def test_a_folder_that_is_not_there_costs_a_remake_not_the_build(tmp_path):
    path = tmp_path / "gone" / "value.bin"
    assert made_once(path, lambda: b"made", bytes, bytes) == b"made"
    assert not path.exists()


def test_the_stylesheets_selectors_are_worked_out_once_for_a_site(tmp_path, monkeypatch):
    """A build keeps what the stylesheets' selectors need in its cache; a later process
    (the memory of this one cleared) takes it from there, the same, without reading a
    selector; other stylesheets are worked out anew."""
    root = tmp_path / "project"
    write_files(root, {"docsite.yml": "title: T\n", "content/index.md": "# Home\n"})
    theme._stylesheet_needs.cache_clear()
    build_site(BuildOptions(root=root, out=root / "site"))
    kept = list((root / CACHE_DIR / "templates").glob("selectors-*.pickle"))
    assert len(kept) == 1
    texts = (".a .b {x: y}", ".c {x: y}", "[data-d] {x: y}")
    first = theme._stylesheet_needs(texts, kept[0].parent)

    def no_selector_read(css: str) -> tuple:
        raise AssertionError("a stylesheet's selectors were read again")

    theme._stylesheet_needs.cache_clear()  # as a new process finds it
    monkeypatch.setattr(theme, "selector_needs", no_selector_read)
    assert theme._stylesheet_needs(texts, kept[0].parent) == first
    theme._stylesheet_needs.cache_clear()
    with pytest.raises(AssertionError, match="read again"):
        theme._stylesheet_needs((".other {x: y}", *texts[1:]), kept[0].parent)
    theme._stylesheet_needs.cache_clear()
