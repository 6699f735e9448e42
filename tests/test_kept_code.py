"""What dataclasses and re compile, kept for the next process (docsite/kept_code.py)."""

from __future__ import annotations

import dataclasses
import marshal
import os
import re
import subprocess
import sys
from importlib.util import MAGIC_NUMBER, cache_from_source
from pathlib import Path

import pytest

from docsite import kept_code
from docsite.kept_code import KeptMethods, KeptPrograms, keep_code, kept_file

MODULE_VALUE = "read from the module's namespace"


@pytest.fixture(autouse=True)
def _writes_bytecode(monkeypatch):
    """As Python does by default (PYTHONDONTWRITEBYTECODE may be set where the tests run),
    and a file written whatever the time spent (a test's few classes take under 2 ms)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(kept_code, "SAVE_AFTER_SECONDS", 0.0)


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


def test_keep_code_puts_them_in_dataclasses_and_re(monkeypatch, tmp_path):
    monkeypatch.setattr(kept_code, "kept_file", lambda kind: tmp_path / f"{kind}.bin")
    monkeypatch.setattr(dataclasses, "exec", None, raising=False)  # removed afterwards
    monkeypatch.setattr(re._compiler, "compile", re._compiler.compile)  # put back afterwards
    kept = keep_code()
    assert kept.methods.path == tmp_path / "dataclass-methods.bin"
    _assert_behaves(_make_class())
    assert kept.methods.compiled >= 6
    assert kept.programs is not None and kept.programs.path == tmp_path / "regex-programs.bin"
    re.compile(r"(?P<kept>ke+p)t in \d+ tests", re.IGNORECASE)
    assert kept.programs.compiled == 1
    kept.save()
    assert (tmp_path / "dataclass-methods.bin").is_file()
    assert (tmp_path / "regex-programs.bin").is_file()


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
    monkeypatch.setattr(kept_code, "MOST_ENTRIES", 4)
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


def test_the_files_are_beside_this_modules_bytecode(monkeypatch, tmp_path):
    folder = Path(cache_from_source(kept_code.__file__)).parent
    tag = sys.implementation.cache_tag
    assert kept_file("dataclass-methods") == folder / f"dataclass-methods.{tag}.bin"
    # Under -O another file, as Python keeps other bytecode then.
    monkeypatch.setattr(sys, "flags", type("Flags", (), {"optimize": 1})())
    assert kept_file("regex-programs") == folder / f"regex-programs.{tag}.opt-1.bin"
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    found = kept_file("dataclass-methods")
    assert found is not None and found.is_relative_to(tmp_path)
    monkeypatch.setattr(sys.implementation, "cache_tag", None)
    assert kept_file("dataclass-methods") is None


def test_the_command_keeps_the_code_for_its_next_run(tmp_path):
    """`docsite build` in a process of its own writes the files once; a second build, which
    makes nothing new but the patterns whose text changes with each process, leaves them
    as they were."""
    (tmp_path / "site" / "content").mkdir(parents=True)
    (tmp_path / "site" / "content" / "index.md").write_text("# Home\n", encoding="utf-8")
    prefix = tmp_path / "bytecode"
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(prefix)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    folder = prefix / Path(kept_code.__file__).parent.relative_to("/")
    methods = folder / f"dataclass-methods.{sys.implementation.cache_tag}.bin"
    programs = folder / f"regex-programs.{sys.implementation.cache_tag}.bin"

    def build() -> None:
        command = [sys.executable, "-m", "docsite", "build", "-q", "--no-cache"]
        subprocess.run(command, cwd=tmp_path / "site", env=env, check=True, timeout=120)

    build()
    written = methods.stat().st_mtime_ns, programs.stat().st_mtime_ns
    assert len(KeptMethods(methods).read) > 100  # docsite's classes, markdown-it's
    assert len(KeptPrograms(programs).read) > 100  # docsite's patterns, YAML's, Jinja's
    build()
    assert (methods.stat().st_mtime_ns, programs.stat().st_mtime_ns) == written


PATTERNS = [
    (r"(?P<name>[a-z]+)-(\d{2,})", 0, ["ab-123", "x-1", "Zz-99"]),
    (r"^\s*#+\s+(.*?)\s*$", re.MULTILINE, ["# Title\n## Two ##\ntext"]),
    (r"colou?r|grey", re.IGNORECASE, ["COLOR grey Colour"]),
    (r"""(?x) \{ \s* (\w+) \s* \}  # a templating value""", 0, ["{{ name }} { x }"]),
    (rb"\x00(?P<tag>[\x01-\x7f])", 0, [b"a\x00\x05b\x00"]),
    (r"[\u00e9\u4e2d]+\b", re.UNICODE, ["caf\u00e9 \u4e2d\u6587"]),
]


def test_a_second_process_parses_none_of_the_patterns_kept(monkeypatch, tmp_path):
    """A pattern taken from the file finds what `re` itself makes of it finds: groups, names,
    flags and matches."""
    path = tmp_path / "programs.bin"
    first = KeptPrograms(path)
    for pattern, flags, _ in PATTERNS:
        first.compile(pattern, flags)
    assert first.compiled == len(PATTERNS)
    first.save()
    second = KeptPrograms(path)
    for pattern, flags, texts in PATTERNS:
        kept, made = second.compile(pattern, flags), kept_code._COMPILE_PATTERN(pattern, flags)
        assert (kept.pattern, kept.flags, kept.groups) == (made.pattern, made.flags, made.groups)
        assert kept.groupindex == made.groupindex
        for text in texts:
            assert [m.groups() for m in kept.finditer(text)] == [
                m.groups() for m in made.finditer(text)
            ]
            assert [m.span() for m in kept.finditer(text)] == [
                m.span() for m in made.finditer(text)
            ]
    assert second.compiled == 0


def test_a_pattern_entry_that_is_no_program_is_made_again(tmp_path):
    path = tmp_path / "programs.bin"
    path.write_bytes(KeptPrograms.HEADER + marshal.dumps({("a+", 0): "not a program"}))
    kept = KeptPrograms(path)
    assert kept.compile("a+").fullmatch("aaa")
    assert kept.compiled == 1


def test_patterns_of_another_regular_expression_engine_are_not_read(tmp_path):
    path = tmp_path / "programs.bin"
    first = KeptPrograms(path)
    first.compile("b+")
    first.save()
    engine = KeptPrograms.HEADER[len(MAGIC_NUMBER) :]
    other = path.read_bytes().replace(engine, bytes(4), 1)  # another `_sre.MAGIC`
    path.write_bytes(other)
    assert KeptPrograms(path).read == {}


def test_a_few_quick_compilations_do_not_write_the_file_again(monkeypatch, tmp_path):
    """Under SAVE_AFTER_SECONDS of making what the file lacked (the patterns each process
    makes anew), the file stays as it is."""
    monkeypatch.setattr(kept_code, "SAVE_AFTER_SECONDS", 60.0)
    kept = KeptPrograms(tmp_path / "programs.bin")
    kept.compile("c+")
    kept.save()
    assert not (tmp_path / "programs.bin").exists()


def test_patterns_are_kept_only_where_re_is_known(monkeypatch, tmp_path):
    monkeypatch.setattr(kept_code, "kept_file", lambda kind: tmp_path / f"{kind}.bin")
    monkeypatch.setattr(dataclasses, "exec", None, raising=False)  # removed afterwards
    monkeypatch.setattr(re._compiler, "compile", re._compiler.compile)  # put back afterwards
    monkeypatch.setattr(kept_code, "PROGRAMS_KEPT_ON", ())
    assert keep_code().programs is None
    assert re._compiler.compile is kept_code._COMPILE_PATTERN


def test_a_folder_it_cannot_write_to_leaves_the_command_as_it_is(monkeypatch, tmp_path):
    """A cache: the command goes on, and the next compiles the code again."""
    (tmp_path / "not-a-folder").write_text("a file where the folder would be")
    kept = _install(monkeypatch, KeptMethods(tmp_path / "not-a-folder" / "methods.bin"))
    _make_class()
    kept.save()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["not-a-folder"]
