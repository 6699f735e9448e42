"""YAML loading that remembers where every value came from, for precise diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from docsite.diagnostics import Diagnostic, DiagnosticError, Severity

try:  # the C loader is several times faster; fall back where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based, in the file
    col: int  # 1-based


@dataclass
class YamlDocument:
    """Parsed data plus the position of every key and value, by path."""

    data: Any
    file: str
    value_positions: dict[Path, Position] = field(default_factory=dict)
    key_positions: dict[Path, Position] = field(default_factory=dict)
    duplicate_keys: list[tuple[Path, Position]] = field(default_factory=list)

    def where(self, path: Path) -> Position:
        """Position of the value at path, or of its nearest known parent."""
        while path:
            if path in self.value_positions:
                return self.value_positions[path]
            path = path[:-1]
        return self.value_positions.get((), Position(1, 1))

    def where_key(self, path: Path) -> Position:
        return self.key_positions.get(path) or self.where(path)


def load_yaml(text: str, file: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; `first_line` is the file line where `text` starts."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem:
            started = exc.context_mark.line + first_line, exc.context_mark.column + 1
            problem += f" ({exc.context} that starts at line {started[0]}, column {started[1]})"
        raise DiagnosticError(
            [
                Diagnostic(
                    file,
                    line,
                    col,
                    Severity.ERROR,
                    f"malformed YAML: {problem}",
                    _yaml_hint(problem),
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise DiagnosticError(
            [Diagnostic(file, first_line, 1, Severity.ERROR, f"malformed YAML: {exc}")]
        ) from None
    finally:
        loader.dispose()
    doc = YamlDocument(data, file)
    if node is not None:
        _record_positions(node, (), doc, first_line - 1)
    return doc


def _record_positions(node: yaml.Node, path: Path, doc: YamlDocument, offset: int) -> None:
    mark = node.start_mark
    doc.value_positions[path] = Position(mark.line + 1 + offset, mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_path = (*path, key)
            key_pos = Position(
                key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1
            )
            if key in seen:
                doc.duplicate_keys.append((key_path, key_pos))
            seen.add(key)
            doc.key_positions[key_path] = key_pos
            _record_positions(value_node, key_path, doc, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_positions(item, (*path, index), doc, offset)


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. label: \"Step: one\""
    if "found character '\\t'" in problem:
        return "YAML does not allow tabs for indentation; use spaces"
    if "could not find expected ':'" in problem:
        return "each line needs 'key: value'; check the line above for a missing colon or quote"
    if "found undefined alias" in problem or "found unexpected end of stream" in problem:
        return "check for an unclosed quote or bracket"
    return "check the YAML syntax near this position"
