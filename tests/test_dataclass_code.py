"""The methods dataclasses compile, kept for the next process (docsite/dataclass_code.py)."""

from __future__ import annotations

import dataclasses
import marshal
import os
import subprocess
import sys
from importlib.util import MAGIC_NUMBER, cache_from_source
from pathlib import Path

import pytest

from docsite import dataclass_code
from docsite.dataclass_code import KeptMethods, keep_methods, methods_file

MODULE_VALUE = "read from the module's namespace"


@pytest.fixture(autouse=True)
def _writes_bytecode(monkeypatch):
    """As Python does by default (PYTHONDONTWRITEBYTECODE may be set where the tests run)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def _install(monkeypatch: pytest.MonkeyPatch, kept: KeptMethods) -> KeptMethods:
    """`kept` in dataclasses for this test only (the attribute is removed afterwards)."""
    monkeypatch.setattr(dataclasses, "exec", kept.exec, raising=False)
    return kept


def _make_class() -> type:
    """The same class each call: its methods' sources are the same text."""

    @dataclasses.dataclass(frozen=True, order=True)
    class Point:
        x: int
        y: int = 2
        tags: list[str] = dataclasses.field(default_factory=list, compare=False)

    return Point


def _assert_behaves(point: type) -> None:
    first, second = point(1), point(1, 2, ["a"])
    assert (first.x, first.y, first.tags) == (1, 2, [])
    assert first == second and hash(first) == hash(second)  # tags not compared
    assert point(0) < first
    # As the builtin compiles: without this module's __future__ import (annotations).
    assert point.__init__.__annotations__["x"] == "int"
    assert repr(first) == "_make_class.<locals>.Point(x=1, y=2, tags=[])"
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.x = 3  # type: ignore[misc]


def test_a_second_process_compiles_none_of_the_methods_kept(monkeypatch, tmp_path):
    path = tmp_path / "methods.bin"
    first = _install(monkeypatch, KeptMethods(path))
    _assert_behaves(_make_class())
    assert first.compiled >= 6  # __init__, __repr__, __eq__, the order's, the frozen ones
    first.save()
    assert path.read_bytes().startswith(MAGIC_NUMBER)

    second = _install(monkeypatch, KeptMethods(path))
    assert len(second.read) == first.compiled
    _assert_behaves(_make_class())
    assert second.compiled == 0
    written = path.stat().st_mtime_ns
    second.save()  # nothing new: not written again
    assert path.stat().st_mtime_ns == written


def test_keep_methods_puts_them_in_dataclasses(monkeypatch, tmp_path):
    monkeypatch.setattr(dataclass_code, "methods_file", lambda: tmp_path / "methods.bin")
    monkeypatch.setattr(dataclasses, "exec", None, raising=False)  # removed afterwards
    kept = keep_methods()
    assert kept.path == tmp_path / "methods.bin"
    _assert_behaves(_make_class())
    assert kept.compiled >= 6


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not marshal data at all",
        MAGIC_NUMBER + b"\xff\x00 truncated",  # damaged
        MAGIC_NUMBER + marshal.dumps(["a list, not a dict"]),
        b"another Python's magic number",
    ],
)
def test_a_damaged_or_foreign_file_is_read_as_empty_and_written_anew(
    monkeypatch, tmp_path, content
):
    path = tmp_path / "methods.bin"
    if content == b"another Python's magic number":  # right for this Python, but for its head
        first = _install(monkeypatch, KeptMethods(path))
        _make_class()
        first.save()
        content = b"\x00\x00\r\n" + path.read_bytes()[len(MAGIC_NUMBER) :]
    path.write_bytes(content)
    kept = _install(monkeypatch, KeptMethods(path))
    assert kept.read == {}
    _assert_behaves(_make_class())
    kept.save()
    assert len(KeptMethods(path).read) == kept.compiled


def test_an_entry_that_is_no_code_is_compiled(monkeypatch, tmp_path):
    path = tmp_path / "methods.bin"
    kept = _install(monkeypatch, KeptMethods(path))
    _make_class()
    kept.save()
    sources = list(KeptMethods(path).read)
    path.write_bytes(MAGIC_NUMBER + marshal.dumps(dict.fromkeys(sources, "not code")))
    again = _install(monkeypatch, KeptMethods(path))
    _assert_behaves(_make_class())
    assert again.compiled == len(sources)


def test_nothing_is_written_when_python_writes_no_bytecode(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    kept = _install(monkeypatch, KeptMethods(tmp_path / "methods.bin"))
    _make_class()
    assert kept.compiled
    kept.save()
    assert not (tmp_path / "methods.bin").exists()


def test_a_full_file_keeps_only_the_methods_of_the_process_writing_it(monkeypatch, tmp_path):
    path = tmp_path / "methods.bin"
    stale = compile("old = 1", "<string>", "exec")
    path.write_bytes(MAGIC_NUMBER + marshal.dumps({"old = 1": stale, "older = 1": stale}))
    monkeypatch.setattr(dataclass_code, "MOST_ENTRIES", 4)
    kept = _install(monkeypatch, KeptMethods(path))
    _make_class()
    kept.save()
    assert set(KeptMethods(path).read) == set(kept.used)
    assert "old = 1" not in kept.used


def test_without_a_namespace_it_runs_in_the_callers_as_the_builtin_does(tmp_path):
    kept = KeptMethods(tmp_path / "methods.bin")
    names: dict[str, str] = {}
    kept.exec("found = MODULE_VALUE", None, names)
    assert names == {"found": MODULE_VALUE}


def test_the_file_is_beside_this_modules_bytecode(monkeypatch, tmp_path):
    folder = Path(cache_from_source(dataclass_code.__file__)).parent
    tag = sys.implementation.cache_tag
    assert methods_file() == folder / f"dataclass-methods.{tag}.bin"
    # Under -O another file, as Python keeps other bytecode then.
    monkeypatch.setattr(sys, "flags", type("Flags", (), {"optimize": 1})())
    assert methods_file() == folder / f"dataclass-methods.{tag}.opt-1.bin"
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    found = methods_file()
    assert found is not None and found.is_relative_to(tmp_path)
    monkeypatch.setattr(sys.implementation, "cache_tag", None)
    assert methods_file() is None


def test_the_command_keeps_the_methods_for_its_next_run(tmp_path):
    """`docsite build` in a process of its own writes the file once; a second build, which
    compiles nothing new, leaves it as it was."""
    (tmp_path / "site" / "content").mkdir(parents=True)
    (tmp_path / "site" / "content" / "index.md").write_text("# Home\n", encoding="utf-8")
    prefix = tmp_path / "bytecode"
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(prefix)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    kept = (
        prefix
        / Path(dataclass_code.__file__).parent.relative_to("/")
        / (f"dataclass-methods.{sys.implementation.cache_tag}.bin")
    )

    def build() -> None:
        command = [sys.executable, "-m", "docsite", "build", "-q", "--no-cache"]
        subprocess.run(command, cwd=tmp_path / "site", env=env, check=True, timeout=120)

    build()
    written = kept.stat().st_mtime_ns
    assert len(KeptMethods(kept).read) > 100  # docsite's classes, markdown-it's
    build()
    assert kept.stat().st_mtime_ns == written
