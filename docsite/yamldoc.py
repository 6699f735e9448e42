"""YAML loading that remembers where every value came from, for precise diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from docsite.diagnostics import Diagnostic, DiagnosticError, Severity

try:  # the C loader is several times faster; fall back where libyaml is missing
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

Path = tuple[str | int, ...]

# Settings never nest this deep; deeper input would overflow the C composer's stack (a crash,
# not an exception) or Python's recursion limit, so it is refused before composing.
MAX_DEPTH = 100
# Every collection starts at one of these: a flow bracket, or a block's key, value or item
# indicator (an indicator in text or a comment only makes the count larger).
_COLLECTION_MARKS = ("[", "{", ":", "-", "?")
# Values after aliases are expanded: a few lines of aliases can stand for billions of values.
MAX_VALUES = 100_000


class _Loader(_BaseLoader):
    """PyYAML's safe loader (the C one where built), reporting a value it cannot construct at
    its place."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value the constructor rejects (a date like 2024-13-45, an integer of 5,000
        digits) is a YAML error at that value, not a crash."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError, TypeError) as exc:
            reason = "too many digits" if "digits" in str(exc) else str(exc)
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value: {reason}", node.start_mark
            ) from None


@dataclass(frozen=True)
class Position:
    """Where a YAML value was written, for messages."""

    line: int  # 1-based, in the file
    col: int  # 1-based
    file: str = ""  # the file, when it is not the document's own (a merged config's partial)


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
        _check_depth(text)
        node = loader.get_single_node()
        if node is not None and _may_alias(text):
            _check_aliases(node)
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


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, reading events (which uses no recursion).

    libyaml 0.2.6 (PyYAML 6.0.4) refuses flow collections past 1,000 levels while it scans
    ahead, before the events reach MAX_DEPTH; the pure-Python parser then finds the spot."""
    if sum(map(text.count, _COLLECTION_MARKS)) <= MAX_DEPTH:
        return  # too few collections to nest that deep: no second parse of a page's settings
    try:
        _first_too_deep(text, _BaseLoader)
    except yaml.scanner.ScannerError as exc:
        if _BaseLoader is yaml.SafeLoader or "nesting depth" not in str(exc.problem):
            raise
        _first_too_deep(text, yaml.SafeLoader)
        raise


def _first_too_deep(text: str, loader: type) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"values nested more than {MAX_DEPTH} levels deep", event.start_mark
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _may_alias(text: str) -> bool:
    """Whether `_check_aliases` could find anything: without a `*` there is no alias, and
    each value takes a character at least."""
    return "*" in text or len(text) > MAX_VALUES


def _check_aliases(root: yaml.Node) -> None:
    """Refuse an alias inside the value it names (a cycle), and aliases that expand to more
    than MAX_VALUES values; walked with an explicit stack, each shared node counted once."""
    sizes: dict[int, int] = {}
    ancestors: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            ancestors.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_VALUES:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"more than {MAX_VALUES} values, counting those aliases (*name) stand for",
                    node.start_mark,
                )
            continue
        if key in sizes:
            continue
        ancestors.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in ancestors:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    "an alias refers to the value that contains it",
                    child.start_mark,
                )
            if id(child) not in sizes:
                stack.append((child, False))


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
    if "nested more than" in problem:
        return "settings are a few levels deep at most; check for runaway brackets"
    if "counting those aliases" in problem:
        return "settings hold a few values; write aliases out, and keep long lists elsewhere"
    if "alias refers to the value" in problem:
        return "write the values out instead of nesting aliases (*name) this way"
    if "cannot read this value" in problem:
        return 'quote it to make it text, e.g. "2024-13-45", or fix the value'
    if "found undefined alias" in problem or "found unexpected end of stream" in problem:
        return "check for an unclosed quote or bracket"
    return "check the YAML syntax near this position"
