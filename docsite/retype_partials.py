"""Retype's project partials: a config made of several files (`extends`, automatic
`retype.<id>.yml` fragments, `retype.build.yml` or `retype.start.yml`), merged as Retype
merges them, each value keeping the file and place it came from for messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docsite.diagnostics import Report
from docsite.yamldoc import Path as KeyPath
from docsite.yamldoc import Position, YamlDocument

# retype.<id>.yml: the id is letters, digits, '.', '-' and '_', not starting with '_' or '.'.
_FRAGMENT = re.compile(r"^retype\.([A-Za-z0-9][A-Za-z0-9._-]*)\.ya?ml$")
_COMMAND_IDS = ("build", "start")
_REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|//)")

Loader = Callable[[Path], YamlDocument]


@dataclass
class Partials:
    """The config files merged into one, in order, for watching and for leaving them out
    of the content; and the problems met."""

    load: Loader
    report: Report
    used: list[Path] = field(default_factory=list)


def compose(main: YamlDocument, main_path: Path, start: bool, partials: Partials) -> YamlDocument:
    """The project config: retype.yml, the files it extends, the automatic fragments beside
    it, then retype.build.yml (or retype.start.yml under `docsite serve`); later wins."""
    merged = _resolved(main, main_path, partials, (main_path.resolve(),))
    folder = main_path.parent
    fragments = _fragments(folder, partials.report)
    command = "start" if start else "build"
    extra = [path for _, path in fragments]
    names = (f"retype.{command}.yml", f"retype.{command}.yaml")
    extra += [path for path in (folder / name for name in names) if path.is_file()][:1]
    for path in extra:
        partials.used.append(path)
        merged = merge(merged, _resolved(partials.load(path), path, partials, (path.resolve(),)))
    return merged


def is_fragment(name: str) -> bool:
    """Whether a file of this name beside a Retype config is merged into it whenever it
    exists (`retype.<id>.yml`), whichever command runs."""
    return _fragment_id(name) is not None


def _fragment_id(name: str) -> str | None:
    match = _FRAGMENT.match(name)
    return match.group(1) if match is not None and match.group(1) not in _COMMAND_IDS else None


def _fragments(folder: Path, report: Report) -> list[tuple[tuple[str, ...], Path]]:
    """Automatic fragments beside the config, parent ids before child ids (theme before
    theme.blue); two files for one id are an error, and the second is left out."""
    found: dict[tuple[str, ...], Path] = {}
    try:
        names = sorted(entry.name for entry in folder.iterdir() if entry.is_file())
    except OSError:
        return []
    for name in names:
        fragment_id = _fragment_id(name)
        if fragment_id is None:
            continue
        key = tuple(fragment_id.split("."))
        if key in found:
            report.error(
                name,
                1,
                1,
                f"'{name}' and '{found[key].name}' are both the fragment '{fragment_id}'",
                "keep one of them: only one file may use an id",
            )
            continue
        found[key] = folder / name
    return sorted(found.items())


def _resolved(
    doc: YamlDocument, path: Path, partials: Partials, chain: tuple[Path, ...]
) -> YamlDocument:
    """A config file with the files its `extends` names merged over it, in order."""
    data = doc.data if isinstance(doc.data, dict) else {}
    extends = data.get("extends")
    merged = _without_extends(doc)
    listed = extends if isinstance(extends, list) else [extends]
    for index, value in enumerate(listed):
        key: KeyPath = ("extends", index) if isinstance(extends, list) else ("extends",)
        target = _extended(doc, key, value, path, chain, partials.report)
        if target is None:
            continue
        partials.used.append(target)
        extended = _resolved(partials.load(target), target, partials, (*chain, target.resolve()))
        merged = merge(merged, extended)
    return merged


def _extended(
    doc: YamlDocument,
    key: KeyPath,
    value: Any,
    path: Path,
    chain: tuple[Path, ...],
    report: Report,
) -> Path | None:
    """The file one `extends` entry names, or None after saying why it is not one."""
    if value is None and key == ("extends",):
        return None
    pos = doc.where(key)
    file = pos.file or doc.file
    problem, hint = "", "write a path relative to this file, e.g. extends: ./config/base.yml"
    target = path.parent / value if isinstance(value, str) and value.strip() else None
    if target is None:
        problem = "'extends' must name a config file"
    elif _REMOTE.match(value):
        problem = f"'extends' cannot be '{value}': only local files can be extended"
    elif not target.is_file():
        problem = f"'extends' names '{value}', which is not a file"
    elif target.resolve() in chain:
        problem = f"'extends' names '{value}', which extends this file: a loop"
        hint = "remove one of the two extends"
    if problem:
        report.error(file, pos.line, pos.col, problem, hint)
        return None
    return target


def _without_extends(doc: YamlDocument) -> YamlDocument:
    """The document with its positions naming its file, and without `extends`."""
    data = doc.data if isinstance(doc.data, dict) else {}
    return YamlDocument(
        {key: value for key, value in data.items() if key != "extends"},
        doc.file,
        value_positions=_own(doc.value_positions, doc.file, "extends"),
        key_positions=_own(doc.key_positions, doc.file, "extends"),
        duplicate_keys=[(key, _filed(pos, doc.file)) for key, pos in doc.duplicate_keys],
    )


def _own(positions: dict[KeyPath, Position], file: str, left: str) -> dict[KeyPath, Position]:
    return {path: _filed(pos, file) for path, pos in positions.items() if path[:1] != (left,)}


def _filed(pos: Position, file: str) -> Position:
    return pos if pos.file else replace(pos, file=file)


def merge(base: YamlDocument, over: YamlDocument) -> YamlDocument:
    """`over` merged over `base`: mappings deep, anything else replaced; null clears."""
    replaced: list[KeyPath] = []
    data = _merged(base.data if isinstance(base.data, dict) else {}, over.data, (), replaced)

    def kept(positions: dict[KeyPath, Position]) -> dict[KeyPath, Position]:
        return {
            path: pos
            for path, pos in positions.items()
            if not any(path[: len(gone)] == gone for gone in replaced)
        }

    return YamlDocument(
        data,
        base.file,
        value_positions={**kept(base.value_positions), **over.value_positions},
        key_positions={**kept(base.key_positions), **over.key_positions},
        duplicate_keys=[*base.duplicate_keys, *over.duplicate_keys],
    )


def _merged(base: dict, over: Any, path: KeyPath, replaced: list[KeyPath]) -> dict:
    result = dict(base)
    for key, value in (over if isinstance(over, dict) else {}).items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merged(result[key], value, (*path, key), replaced)
            continue
        replaced.append((*path, key))
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result
