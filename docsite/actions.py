"""Retype's custom actions: definitions in `_components/actions/` (.yml files, or Markdown
files with frontmatter), resolved for each page that shows them.

An action whose steps only return values (`with`) is resolved while building: the page
shows its `link`, and components take the properties it returns (`text`, `variant`,
`icon`...). An action with a browser handler (clipboard, fetch, print, scroll, share)
becomes a list of steps with their values filled in for the page, which docsite.js runs:
the reader's browser gets data, never script from the project.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docsite.diagnostics import (
    Diagnostic,
    DiagnosticError,
    Report,
    Severity,
    did_you_mean,
    shown_path,
)
from docsite.frontmatter import split_frontmatter
from docsite.pages import Page
from docsite.scriban import TemplateError
from docsite.yamldoc import YamlDocument, load_yaml

if TYPE_CHECKING:
    from docsite.scriban import Template

ACTIONS_FOLDER = ("_components", "actions")
SUFFIXES = (".yml", ".yaml", ".md")
# The browser handlers, with the outputs each returns (Retype's `configuration/actions.md`).
HANDLERS = {
    "clipboard": ("success", "value"),
    "fetch": ("success", "content", "url"),
    "print": ("success",),
    "scroll": ("success", "target"),
    "share": ("success", "fallback", "value"),
}
# Marks a browser step's output in a later step's values, `\0<step>.<output>\0`: known only
# in the reader's browser, components.js puts it in place there.
_RUNTIME_OUTPUT = "\0{step}.{output}\0"
_KEYS = ("id", "name", "description", "inputs", "outputs", "data", "steps")
_STEP_KEYS = ("id", "handler", "action", "description", "with")
_DEPTH = 10  # actions calling actions: deeper is a loop


@dataclass(frozen=True)
class ActionStep:
    """One step of a custom action: a handler to run, or another action in its place."""

    line: int  # where the step starts, for messages
    handler: str = ""  # a browser handler it runs
    action: str = ""  # another action it runs in its place
    step_id: str = ""  # later steps read its output as `steps.<id>.outputs`
    values: dict[str, Any] | None = None  # `with`; None passes the previous output on


@dataclass(frozen=True)
class ActionDefinition:
    """A custom action of `_components/actions/`, as its file defines it."""

    name: str  # its `id`, else its file name
    file: str  # as messages show it
    line: int  # where its YAML starts
    data: dict[str, Any] = field(default_factory=dict)
    steps: tuple[ActionStep, ...] = ()


@dataclass(frozen=True)
class PageAction:
    """An action resolved for one page."""

    name: str
    properties: dict[str, Any] = field(default_factory=dict)  # built: the last values
    steps: tuple[dict[str, Any], ...] = ()  # in the browser: {"handler", "with"}

    @property
    def link(self) -> str:
        return str(self.properties.get("link", ""))

    @property
    def in_browser(self) -> bool:
        return bool(self.steps)


def action_files(content_dir: Path) -> list[Path]:
    """The definition files of the project's custom actions."""
    folder = content_dir.joinpath(*ACTIONS_FOLDER)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())


def load_actions(content_dir: Path, root: Path, report: Report) -> dict[str, ActionDefinition]:
    """Every custom action by name, checked; a bad file is reported and left out."""
    found: dict[str, ActionDefinition] = {}
    for path in action_files(content_dir):
        shown = shown_path(path, root)
        try:
            definition = _read(path, shown, report)
        except DiagnosticError as error:
            report.extend(error.diagnostics)
            continue
        if definition is None:
            continue
        if definition.name in found:
            report.error(
                shown,
                definition.line,
                1,
                f"the action '{definition.name}' is also defined in {found[definition.name].file}",
                "give one of them another `id`, or another file name",
            )
            continue
        found[definition.name] = definition
    return found


def _read(path: Path, shown: str, report: Report) -> ActionDefinition | None:
    text = path.read_text(encoding="utf-8")
    yaml_text, line = text, 1
    if path.suffix.lower() == ".md":
        split = split_frontmatter(text, shown, report)
        if split.yaml_text is None:
            report.error(
                shown,
                1,
                1,
                "an action written in Markdown needs its definition in frontmatter",
                "start the file with --- and its steps, as in a .yml action",
            )
            return None
        yaml_text, line = split.yaml_text, split.yaml_line
    doc = load_yaml(yaml_text, shown, line)
    values = doc.data if doc.data is not None else {}
    if not isinstance(values, dict):
        report.error(shown, line, 1, "an action is a mapping of keys", "see the steps: key")
        return None
    for key in values:
        if key not in _KEYS:
            where = doc.where_key((key,))
            report.warning(
                shown,
                where.line,
                where.col,
                f"unknown action key '{key}'; it is left out",
                did_you_mean(str(key), _KEYS) or "keys: " + ", ".join(_KEYS),
            )
    data = values.get("data") or {}
    if not isinstance(data, dict):
        where = doc.where(("data",))
        report.error(shown, where.line, where.col, "`data` is a mapping of names to values")
        data = {}
    name = str(values.get("id") or path.stem).strip()
    steps = _steps(doc, values.get("steps"), shown, report)
    return ActionDefinition(name, shown, line, data, steps)


def _steps(doc: YamlDocument, raw: Any, shown: str, report: Report) -> tuple[ActionStep, ...]:
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        where = doc.where(("steps",))
        report.error(shown, where.line, where.col, "`steps` is a list of steps", "- with: ...")
        return ()
    steps = []
    for index, step in enumerate(raw):
        where = doc.where(("steps", index))
        if not isinstance(step, dict):
            report.error(shown, where.line, where.col, "a step is a mapping (handler, with...)")
            continue
        for key in step:
            if key not in _STEP_KEYS:
                at = doc.where_key(("steps", index, key))
                report.warning(
                    shown,
                    at.line,
                    at.col,
                    f"unknown step key '{key}'; it is left out",
                    did_you_mean(str(key), _STEP_KEYS) or "keys: " + ", ".join(_STEP_KEYS),
                )
        handler = str(step.get("handler") or "").strip()
        if handler and handler not in HANDLERS:
            at = doc.where(("steps", index, "handler"))
            report.error(
                shown,
                at.line,
                at.col,
                f"unknown handler '{handler}'; the step is left out",
                did_you_mean(handler, HANDLERS) or "handlers: " + ", ".join(HANDLERS),
            )
            continue
        values = step.get("with")
        if values is not None and not isinstance(values, dict):
            at = doc.where(("steps", index, "with"))
            report.error(shown, at.line, at.col, "`with` is a mapping of names to values")
            values = None
        action = str(step.get("action") or "").strip()
        steps.append(ActionStep(where.line, handler, action, str(step.get("id") or ""), values))
    return tuple(steps)


class ActionSet:
    """The project's custom actions, resolved for a page with what its templates read:
    `page.*`, `project.*`, the action's `data`, `inputs` and earlier `steps`."""

    def __init__(
        self,
        definitions: dict[str, ActionDefinition],
        project: dict[str, Any],
        page_values: Callable[[Page], dict[str, Any]] | None = None,
    ):
        """`page_values`: what `page.*` is for a page (a module-level function, or a
        partial of one: worker processes receive the set)."""
        self.definitions = definitions
        self.project = project
        self.page_values = page_values

    def __contains__(self, name: str) -> bool:
        return name in self.definitions

    def digest_parts(self) -> list[Any]:
        """Everything that decides what the actions give: for the pages' keys."""
        return [
            (d.name, d.file, d.data, [vars(step) for step in d.steps])
            for d in self.definitions.values()
        ]

    def for_page(self, name: str, page: Page) -> PageAction:
        """The action resolved for the page; raises DiagnosticError on a template error."""
        values = self.page_values(page) if self.page_values is not None else {}
        scope = {"page": values, "project": self.project, "inputs": {}}
        return self._resolve(name, scope, 0)

    def _resolve(self, name: str, scope: dict[str, Any], depth: int) -> PageAction:
        definition = self.definitions[name]
        scope = dict(scope)
        for key, value in definition.data.items():
            scope[key] = self._filled(value, scope, definition, definition.line)
        output: dict[str, Any] | None = {}  # the last step's; None after a browser step
        browser: list[dict[str, Any]] = []
        outputs: dict[str, Any] = {}
        for step in definition.steps:
            scope["steps"] = outputs
            values = (
                self._filled(step.values, scope, definition, step.line)
                if step.values is not None
                else None
            )
            if step.action:
                inner = self._nested(step, definition, scope, depth)
                browser.extend(inner.steps)
                output = None if inner.in_browser else inner.properties
            elif step.handler:
                browser.append(_browser_step(step, name, values or output))
                output = None
            else:
                output = values if values is not None else output
            if step.step_id:
                outputs[step.step_id] = {"outputs": output or _runtime_outputs(step, name)}
        if browser:
            return PageAction(name, steps=tuple(browser))
        return PageAction(name, properties=output or {})

    def _nested(
        self, step: ActionStep, definition: ActionDefinition, scope: dict[str, Any], depth: int
    ) -> PageAction:
        if step.action not in self.definitions:
            hint = did_you_mean(step.action, self.definitions) or "the project has " + ", ".join(
                self.definitions
            )
            raise DiagnosticError(
                [_error(definition.file, step.line, f"no action '{step.action}'", hint)]
            )
        if depth >= _DEPTH:
            raise DiagnosticError(
                [_error(definition.file, step.line, "actions run each other in a loop", "")]
            )
        return self._resolve(step.action, scope, depth + 1)

    def _filled(
        self, value: Any, scope: dict[str, Any], definition: ActionDefinition, line: int
    ) -> Any:
        """A value with its templates run (in strings, lists and mappings)."""
        if isinstance(value, dict):
            return {k: self._filled(v, scope, definition, line) for k, v in value.items()}
        if isinstance(value, list):
            return [self._filled(v, scope, definition, line) for v in value]
        if not isinstance(value, str) or "{{" not in value:
            return value
        try:
            return _template(value, line, definition.file).render(scope)
        except TemplateError as error:
            file = error.source or definition.file
            raise DiagnosticError([_error(file, error.line, error.message, error.hint)]) from None


def _browser_step(step: ActionStep, action: str, values: Any) -> dict[str, Any]:
    """A step for components.js; a named one keeps its output for later steps to read."""
    browser = {"handler": step.handler, "with": values}
    if step.step_id:
        browser["id"] = f"{action}/{step.step_id}"
    return browser


def _runtime_outputs(step: ActionStep, action: str) -> dict[str, str]:
    """`steps.<id>.outputs` of a browser step, as marks the browser fills in; {} for a
    nested action that runs in the browser."""
    token = f"{action}/{step.step_id}"
    names = HANDLERS.get(step.handler, ())
    return {name: _RUNTIME_OUTPUT.format(step=token, output=name) for name in names}


@functools.lru_cache(maxsize=256)
def _template(text: str, line: int, file: str) -> Template:
    """A value's template, parsed once for all the pages that show it."""
    from docsite.scriban import parse  # the parser loads for the sites that need it

    return parse(text, line, file)


def _error(file: str, line: int, message: str, hint: str) -> Diagnostic:
    return Diagnostic(file, line, 1, Severity.ERROR, message, hint)
