"""The methods `dataclasses` writes for each class (`__init__`, `__eq__`, `__repr__`...),
compiled once and kept beside docsite's bytecode, as Python keeps a module's.

A docsite command makes some 160 dataclasses as it loads, and `dataclasses` writes the source
of each one's methods and compiles it: about 700 compilations, a quarter of the imports of a
build that renders (55 ms of about 210 on Python 3.11). Each code object is kept under the
very source it was compiled from, so an entry is never stale: a changed class, or another
version of `dataclasses`, writes another text, which is compiled as before. The file is in
Python's marshal format, headed by the magic number of the Python that wrote it, in the
`__pycache__` folder Python writes this module's bytecode to (PYTHONPYCACHEPREFIX moves it),
and not written when Python writes no bytecode (PYTHONDONTWRITEBYTECODE, -B)."""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import marshal
import os
import sys
from importlib.util import MAGIC_NUMBER, cache_from_source
from pathlib import Path
from types import CodeType
from typing import Any

# Entries past which the file keeps only those of the process writing it: each entry stays
# right, but the classes of earlier versions of docsite need not be kept for ever.
MOST_ENTRIES = 4096

_EXEC = builtins.exec


def methods_file() -> Path | None:
    """Where the compiled methods are kept: beside this module's bytecode, named as it is
    for this Python and its optimization level (-O)."""
    if sys.implementation.cache_tag is None:
        return None  # a Python that keeps no bytecode
    bytecode = Path(cache_from_source(__file__))  # .../dataclass_code.cpython-311[.opt-1].pyc
    tags = bytecode.name.removeprefix(f"{__name__.rpartition('.')[2]}.").removesuffix(".pyc")
    return bytecode.with_name(f"dataclass-methods.{tags}.bin")


class KeptMethods:
    """The methods read from the file, and those compiled since; `exec` stands for the
    builtin in `dataclasses` (`keep_methods`)."""

    def __init__(self, path: Path | None):
        self.path = path
        self.read: dict[str, CodeType] = _read(path) if path is not None else {}
        self.used: dict[str, CodeType] = {}
        self.compiled = 0  # sources the file did not hold

    def exec(self, source: Any, globals: Any = None, locals: Any = None, /) -> None:
        """As the builtin, but a source it holds is not compiled again. `dataclasses` passes
        its text with the class's module's namespace and a dict for the functions."""
        if globals is None:  # not how `dataclasses` calls it: run where the builtin would
            caller = sys._getframe(1)
            globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
        if type(source) is str:
            code = self.used.get(source) or self.read.get(source)
            if type(code) is not CodeType:
                # As the builtin compiles a text: with no __future__ flags of this module.
                code = compile(source, "<string>", "exec", dont_inherit=True)
                self.compiled += 1
            self.used[source] = code
            source = code
        _EXEC(source, globals, locals)

    def save(self) -> None:
        """Write the file again if this process compiled what it did not hold."""
        if not self.compiled or self.path is None or sys.dont_write_bytecode:
            return
        entries = {**self.read, **self.used}
        if len(entries) > MOST_ENTRIES:
            entries = self.used
        temporary = self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")
        try:  # a cache: a folder it cannot write to leaves the methods compiled each time
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(MAGIC_NUMBER + marshal.dumps(entries))
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()


def keep_methods() -> KeptMethods:
    """Have `dataclasses` take the methods the file holds from now on in this process (its
    module's `exec`, which its functions look up before the builtin's), and compile the
    others; `save` keeps them for the next process."""
    kept = KeptMethods(methods_file())
    dataclasses.exec = kept.exec  # type: ignore[attr-defined]
    return kept


def _read(path: Path) -> dict[str, CodeType]:
    """The file's methods by source; none when it is missing, damaged or another Python's."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if not data.startswith(MAGIC_NUMBER):
        return {}
    try:
        entries = marshal.loads(memoryview(data)[len(MAGIC_NUMBER) :])
    except (EOFError, ValueError, TypeError):
        return {}
    return entries if type(entries) is dict else {}
