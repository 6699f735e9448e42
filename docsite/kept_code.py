"""Code Python compiles while docsite loads, kept beside docsite's bytecode for the next
process, as Python keeps a module's: the methods `dataclasses` writes for each class
(`__init__`, `__eq__`, `__repr__`...), and the programs `re` makes of regular expressions.

A docsite command makes some 160 dataclasses as it loads, and `dataclasses` writes the source
of their methods and compiles it: about 700 compilations, 55 ms of the 210 that the imports
of a build that renders took on Python 3.11. A one-page rebuild compiles some 230 regular
expressions too (docsite's, YAML's, markdown-it's, Jinja's): 25 ms. Each entry is kept under
what it was made from (a method's source; a pattern and its flags), so it is never stale: a
changed class or pattern is made as before. The files are in Python's marshal format, headed
by the magic numbers of the Python (and of its regular expression engine) that wrote them, in
the `__pycache__` folder Python writes this module's bytecode to (PYTHONPYCACHEPREFIX moves
it), and not written when Python writes no bytecode (PYTHONDONTWRITEBYTECODE, -B)."""

from __future__ import annotations

import _sre
import builtins
import contextlib
import dataclasses
import marshal
import re
import sys
import time
from dataclasses import dataclass
from importlib.util import MAGIC_NUMBER, cache_from_source
from pathlib import Path
from types import CodeType
from typing import Any

# Entries past which a file keeps only those of the process writing it: each entry stays
# right, but what earlier versions of docsite made need not be kept for ever.
MOST_ENTRIES = 4096
# A file is written again once a process spent this long making what it did not hold (about
# what writing it takes): not for the few patterns made anew by every process (markdown-it
# joins a set of characters into one, in an order that changes with each process's hashes).
SAVE_AFTER_SECONDS = 0.002

_EXEC = builtins.exec
# The function of `re` that makes a new pattern's program: CPython's, which on the versions
# named here ends as `_program` does (3.11 to 3.13 alike).
_COMPILE_PATTERN = getattr(getattr(re, "_compiler", None), "compile", None)
PROGRAMS_KEPT_ON = ((3, 11), (3, 12), (3, 13))


def kept_file(kind: str) -> Path | None:
    """Where code of this kind is kept: beside this module's bytecode, named as it is for
    this Python and its optimization level (-O)."""
    if sys.implementation.cache_tag is None:
        return None  # a Python that keeps no bytecode
    bytecode = Path(cache_from_source(__file__))  # .../kept_code.cpython-311[.opt-1].pyc
    tags = bytecode.name.removeprefix(f"{__name__.rpartition('.')[2]}.").removesuffix(".pyc")
    return bytecode.with_name(f"{kind}.{tags}.bin")


class _Kept:
    """What a file holds, and what this process made since: `save` writes them."""

    HEADER = MAGIC_NUMBER

    def __init__(self, path: Path | None):
        self.path = path
        self.read: dict[Any, Any] = _read(path, self.HEADER) if path is not None else {}
        self.used: dict[Any, Any] = {}
        self.compiled = 0  # entries the file did not hold
        self.spent = 0.0  # seconds spent making them

    def _made(self, started: float) -> None:
        self.compiled += 1
        self.spent += time.perf_counter() - started

    def save(self) -> None:
        """Write the file again if this process spent time making what it did not hold."""
        if not self.compiled or self.spent < SAVE_AFTER_SECONDS or self.path is None:
            return
        if sys.dont_write_bytecode:
            return
        # Loaded by the command by now: imported first, its classes would be made without
        # the methods kept.
        from docsite.output import atomic_write

        entries = {**self.read, **self.used}
        if len(entries) > MOST_ENTRIES:
            entries = self.used
        # A cache: a folder it cannot write to leaves the code compiled each time; ValueError,
        # what marshal cannot keep.
        with contextlib.suppress(OSError, ValueError):
            data = self.HEADER + marshal.dumps(entries)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, data)


class KeptMethods(_Kept):
    """Dataclasses' methods by source; `exec` stands for the builtin in `dataclasses`."""

    def exec(self, source: Any, globals: Any = None, locals: Any = None, /) -> None:
        """As the builtin, but a source it holds is not compiled again. `dataclasses` passes
        its text with the class's module's namespace and a dict for the functions."""
        if globals is None:  # not how `dataclasses` calls it: run where the builtin would
            caller = sys._getframe(1)
            globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
        if type(source) is str:
            code = self.used.get(source) or self.read.get(source)
            if type(code) is not CodeType:
                started = time.perf_counter()
                # As the builtin compiles a text: with no __future__ flags of this module.
                code = compile(source, "<string>", "exec", dont_inherit=True)
                self._made(started)
            self.used[source] = code
            source = code
        _EXEC(source, globals, locals)


class KeptPrograms(_Kept):
    """Regular expressions' programs by pattern and flags; `compile` stands for the private
    function of `re` that makes a new pattern's (`re._compiler.compile`)."""

    HEADER = MAGIC_NUMBER + _sre.MAGIC.to_bytes(4, "little")

    def compile(self, pattern: Any, flags: int = 0) -> re.Pattern:
        """As `re`'s, but a pattern it holds is not parsed and translated again."""
        if not isinstance(pattern, str | bytes) or flags & re.DEBUG:
            return _COMPILE_PATTERN(pattern, flags)
        key = (pattern, int(flags))
        program = self.used.get(key) or self.read.get(key)
        if not _is_program(program):
            started = time.perf_counter()
            program = _program(pattern, int(flags))
            self._made(started)
        self.used[key] = program
        return _sre.compile(pattern, *program)


def _program(pattern: str | bytes, flags: int) -> tuple:
    """What `re._compiler.compile` gives `_sre.compile` besides the pattern."""
    parsed = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
    # Its opcodes are named int constants: plain ints, which marshal keeps, mean the same.
    code = list(map(int, re._compiler._code(parsed, flags)))  # type: ignore[attr-defined]
    groupindex = parsed.state.groupdict
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    groups = parsed.state.groups - 1
    return (flags | parsed.state.flags, code, groups, groupindex, tuple(indexgroup))


def _is_program(found: Any) -> bool:
    return (
        type(found) is tuple
        and len(found) == 5
        and type(found[1]) is list
        and type(found[3]) is dict
        and type(found[4]) is tuple
    )


@dataclass
class KeptCode:
    """The kinds of code kept, as `keep_code` put them in place."""

    methods: KeptMethods
    programs: KeptPrograms | None  # None on a Python whose `re` is not known here

    def save(self) -> None:
        self.methods.save()
        if self.programs is not None:
            self.programs.save()


def keep_code() -> KeptCode:
    """Have `dataclasses` and `re` take the code the files hold from now on in this process,
    and make the rest; `save` keeps it for the next process. `dataclasses` looks `exec` up in
    its module before the builtins, and `re` calls its `_compiler.compile` for each new
    pattern."""
    methods = KeptMethods(kept_file("dataclass-methods"))
    dataclasses.exec = methods.exec  # type: ignore[attr-defined]
    programs = None
    if _programs_known():
        programs = KeptPrograms(kept_file("regex-programs"))
        re._compiler.compile = programs.compile  # type: ignore[attr-defined]
    return KeptCode(methods, programs)


def _programs_known() -> bool:
    """Whether this Python's `re` makes programs as `_program` does."""
    cpython = sys.implementation.name == "cpython" and _COMPILE_PATTERN is not None
    return cpython and sys.version_info[:2] in PROGRAMS_KEPT_ON


def _read(path: Path, header: bytes) -> dict[Any, Any]:
    """The file's entries; none when it is missing, damaged or another Python's."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if not data.startswith(header):
        return {}
    try:
        entries = marshal.loads(memoryview(data)[len(header) :])
    except (EOFError, ValueError, TypeError):
        return {}
    return entries if type(entries) is dict else {}
