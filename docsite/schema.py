"""Typed checks of YAML values (config and frontmatter), reporting with positions.

A spec checks a value and returns it normalised, or reports an error and returns INVALID.
Unknown mapping keys are warnings with a "did you mean" hint: nothing is ignored silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from docsite.diagnostics import Report, did_you_mean
from docsite.yamldoc import Path, YamlDocument


class _Invalid:
    """What a failed check returns: the value is reported and then left out."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


@dataclass
class Context:
    """What a check reports into, and where each value was written."""

    doc: YamlDocument
    report: Report
    # Where the mapping lives, for messages: "frontmatter" or "docsite.yml".
    what: str = "frontmatter"

    def fail(self, path: Path, message: str, hint: str = "") -> Any:
        pos = self.doc.where(path)
        self.report.error(pos.file or self.doc.file, pos.line, pos.col, message, hint)
        return INVALID


def dotted(path: Path) -> str:
    return ".".join(str(p) for p in path)


def type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, bytes):
        return "binary data (!!binary)"
    if isinstance(value, set | frozenset):
        return "a set (!!set)"
    return type(value).__name__


class Spec:
    """What a setting's value must be; `check` reports a wrong one where it was written."""

    description = "a value"

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        raise NotImplementedError

    def default_hint(self) -> str:
        """How to write a right value, for messages that have no better hint."""
        return ""

    def wrong_type(self, value: Any, path: Path, ctx: Context, hint: str = "") -> Any:
        name = dotted(path) or ctx.what
        message = f"'{name}' must be {self.description}, got {type_name(value)}"
        return ctx.fail(path, message, hint or self.default_hint())


@dataclass
class Str(Spec):
    """A text value; numbers and dates are taken as written."""

    description: str = "a string"
    allow_numbers: bool = True  # `label: 2024` and `label: 2024-05-31` are meant as text
    allow_null: bool = False  # `id:` left empty, as Retype's sample configs do, means ""

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        if isinstance(value, str):
            return value
        if value is None and self.allow_null:
            return ""
        if self.allow_numbers and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if self.allow_numbers and isinstance(value, dt.date):
            return value.isoformat()
        return self.wrong_type(value, path, ctx, 'put the text in quotes, e.g. "text"')


@dataclass
class Bool(Spec):
    """true or false, unquoted."""

    description: str = "true or false"

    def default_hint(self) -> str:
        return "write true or false, without quotes"

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        if isinstance(value, bool):
            return value
        return self.wrong_type(value, path, ctx)


@dataclass
class Int(Spec):
    """A whole number, within bounds when given."""

    minimum: int | None = None
    maximum: int | None = None
    description: str = "a whole number"

    def default_hint(self) -> str:
        return "write a number without quotes, e.g. 3"

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return self.wrong_type(value, path, ctx)
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            return ctx.fail(
                path,
                f"'{dotted(path)}' must be between {self.minimum} and {self.maximum}, got {value}",
            )
        return value


@dataclass
class Choice(Spec):
    """One of a few words, in any case."""

    choices: tuple[str, ...] = ()
    # The choice YAML's unquoted `off` (or `no`, `false`) stands for; YAML reads it as false.
    false_is: str = ""

    @property
    def description(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.choices)

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        if value is False and self.false_is:
            return self.false_is
        if isinstance(value, str) and value.lower() in self.choices:
            return value.lower()
        hint = did_you_mean(str(value), self.choices) if isinstance(value, str) else ""
        return self.wrong_type(value, path, ctx, hint or f"use one of: {', '.join(self.choices)}")


@dataclass
class Date(Spec):
    """A date, optionally with a time of day (`2024-05-14T10:30` or `2024-05-14 10:30`, as
    Retype writes them); the time is dropped unless `keep_time`, which gives a datetime."""

    description: str = "a date like 2024-05-31"
    keep_time: bool = False

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        if isinstance(value, str):
            text = value.strip()
            try:
                value = (dt.date if len(text) <= 10 else dt.datetime).fromisoformat(text)
            except ValueError:
                return self.wrong_type(
                    value, path, ctx, "write dates as YYYY-MM-DD, or YYYY-MM-DDTHH:MM with a time"
                )
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None) if self.keep_time else value.date()
        if isinstance(value, dt.date):
            return value
        return self.wrong_type(value, path, ctx, "write dates as YYYY-MM-DD")


@dataclass
class ListOf(Spec):
    """A list of one kind of value; a single value stands for a list of one."""

    item: Spec = field(default_factory=Str)
    single_ok: bool = True  # `tags: info` means `tags: [info]`

    @property
    def description(self) -> str:  # type: ignore[override]
        # "a mapping with 'text' and 'link'" -> "a list of mappings with 'text' and 'link'"
        noun, _, rest = self.item.description.removeprefix("a ").removeprefix("an ").partition(" ")
        return f"a list of {noun}s{' ' + rest if rest else ''}"

    def default_hint(self) -> str:
        return "write [one, two], or one item per line starting with '- '"

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        if value is None:
            return []
        if not isinstance(value, list):
            if self.single_ok and isinstance(value, str | int | float | dt.date):
                value = [value]
                checked = self.item.check(value[0], path, ctx)
                return INVALID if checked is INVALID else [checked]
            return self.wrong_type(value, path, ctx)
        out = []
        for index, item in enumerate(value):
            checked = self.item.check(item, (*path, index), ctx)
            if checked is not INVALID:
                out.append(checked)
        return out


@dataclass
class AnyOf(Spec):
    """The first spec whose `accepts` matches the value's shape checks it."""

    options: tuple[tuple[type | tuple[type, ...], Spec], ...] = ()
    description: str = "a value"

    def default_hint(self) -> str:
        return f'write {self.description}, e.g. 10 or "text"'

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        for accepted, spec in self.options:
            if isinstance(value, accepted) and not (
                isinstance(value, bool) and bool not in _as_tuple(accepted)
            ):
                return spec.check(value, path, ctx)
        return self.wrong_type(value, path, ctx)


def _as_tuple(accepted: type | tuple[type, ...]) -> tuple[type, ...]:
    return accepted if isinstance(accepted, tuple) else (accepted,)


@dataclass
class Mapping(Spec):
    """Known keys, each with its own spec; an unknown key is reported with the nearest known one."""

    fields: dict[str, Spec] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    description: str = "a mapping of keys to values"

    def default_hint(self) -> str:
        if not self.fields:
            return "write one 'key: value' per line"
        return f"write one 'key: value' per line, indented, e.g. {next(iter(self.fields))}: ..."

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        out: dict[str, Any] = {}
        for raw_key, item in value.items():
            key = str(raw_key)
            key_path = (*path, key)
            name = self.aliases.get(key, key)
            spec = self.fields.get(name)
            if spec is None:
                pos = ctx.doc.where_key(key_path)
                known = sorted(set(self.fields) | set(self.aliases))
                hint = did_you_mean(key, known) or "known keys: " + ", ".join(known)
                ctx.report.warning(
                    pos.file or ctx.doc.file,
                    pos.line,
                    pos.col,
                    f"unknown {ctx.what} key '{dotted(key_path)}' is ignored",
                    hint,
                )
                continue
            if name in out:
                pos = ctx.doc.where_key(key_path)
                ctx.report.warning(
                    pos.file or ctx.doc.file,
                    pos.line,
                    pos.col,
                    f"'{key}' sets '{name}' again; the last value wins",
                    f"keep only one of '{name}' and its alias",
                )
            checked = spec.check(item, key_path, ctx)
            if checked is not INVALID:
                out[name] = checked
        return out


@dataclass
class AnyMapping(Spec):
    """A mapping whose keys and values are the user's own (e.g. `data:` for templates)."""

    description: str = "a mapping of keys to values"

    def check(self, value: Any, path: Path, ctx: Context) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        return {str(key): item for key, item in value.items()}


def check_document(doc: YamlDocument, spec: Mapping, report: Report, what: str) -> dict[str, Any]:
    """Check a whole YAML document against a mapping spec; report duplicate keys too."""
    ctx = Context(doc, report, what)
    for key_path, pos in doc.duplicate_keys:
        report.warning(
            pos.file or doc.file,
            pos.line,
            pos.col,
            f"duplicate key '{dotted(key_path)}'; the last value wins",
            "remove one of the two",
        )
    result = spec.check(doc.data, (), ctx)
    return {} if result is INVALID else result
