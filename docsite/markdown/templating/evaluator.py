"""Running a template: its nodes with values, into expanded text that remembers where each
line came from. Anything docsite does not know between `{{ }}` is an error with a hint, never
text silently lost. What `{{ include }}` reads is a subclass's job (expand.py's Templater).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

from docsite.diagnostics import Diagnostic, Severity, did_you_mean
from docsite.markdown.templating.syntax import (
    Condition,
    For,
    Include,
    Node,
    Origin,
    Source,
    Template,
    Text,
    Unsupported,
    Value,
)
from docsite.urls import refused_url

# Loops inside loops multiply: a page may run this many loop rounds.
MAX_LOOP_ROUNDS = 10_000

# An HTML tag's URL attribute, open up to a template value: `<a href="{{`.
_URL_ATTRIBUTE = re.compile(
    r"""<([A-Za-z][\w-]*)\b[^<>]*?\s(href|src|srcset|action|formaction|poster|cite|background|"""
    r"""xlink:href|data)\s*=\s*["']?$""",
    re.I,
)


class Evaluator:
    """Runs templates with `variables`, reporting into `diagnostics`; a subclass reads what
    `{{ include }}` names."""

    def __init__(self, variables: dict[str, Any]):
        self.variables = variables
        self.diagnostics: list[Diagnostic] = []
        self.rounds = 0  # loop rounds run on this page

    def expand_into(self, source: Source, out: Writer, scope: dict | None = None) -> None:
        text = source.text
        if "{{" not in text and "{%{" not in text:
            out.add_lines(text, source, source.first_line)
            return
        template = Template.read(source)
        for problem in template.problems:
            self.error(template, problem.offset, problem.message, problem.hint)
        self.run(template, template.nodes, out, scope or {})

    def include(self, node: Include, template: Template, out: Writer) -> None:
        """Expands the file `node` names into `out`."""
        raise NotImplementedError("includes read files: expand.py's Templater reads them")

    def run(self, template: Template, nodes: list[Node], out: Writer, scope: dict) -> None:
        """Expands `nodes` of `template` into `out`; `scope` holds the loops' names."""
        for node in nodes:
            if isinstance(node, Text):
                text = template.source.text[node.start : node.end]
                out.add_lines(text, template.source, template.line(node.start))
            elif isinstance(node, Include):
                self.include(node, template, out)
            elif isinstance(node, Value):
                value = self.lookup(node.path, template, node.start, scope)
                if value is not None and self._url_allowed(node.path, value, template, node.start):
                    out.add(_as_text(value), template.origin(node.start))
            elif isinstance(node, Unsupported):
                self._unsupported(node, template)
            elif isinstance(node, For):
                if not self._loop(node, template, out, scope):
                    return
            else:
                for branch in node.branches:
                    condition = branch.condition
                    if condition is None or self._holds(condition, template, branch.start, scope):
                        self.run(template, branch.body, out, scope)
                        break

    def _loop(self, node: For, template: Template, out: Writer, scope: dict) -> bool:
        """Runs a loop; False once the page has run out of loop rounds."""
        items = self.lookup(node.path, template, node.start, scope)
        if items is None:
            return True
        if not isinstance(items, list):
            self.error(
                template,
                node.start,
                f"'{node.path}' is not a list to loop over",
                "loop over a list, such as project.links or page.tags",
            )
            return True
        for item in items:
            self.rounds += 1
            if self.rounds > MAX_LOOP_ROUNDS + 1:
                return False  # said once already
            if self.rounds > MAX_LOOP_ROUNDS:
                self.error(
                    template,
                    node.start,
                    f"loops run more than {MAX_LOOP_ROUNDS} rounds on this page",
                    "loops inside loops multiply: loop over less",
                )
                return False
            self.run(template, node.body, out, {**scope, node.name: item})
        return True

    def _holds(self, condition: Condition, template: Template, offset: int, scope: dict) -> bool:
        """`path`, `!path`, `path == "text"`, `path != 2`: a missing value is false."""
        if not condition.left:
            self.error(
                template,
                offset,
                f"cannot read the condition '{condition.text}'",
                'write a value, !value, or value == "text" (or != 2, true, null)',
            )
            return False
        value = self.lookup(condition.left, template, offset, scope, missing_ok=True)
        if condition.operator:
            other = _literal(condition.right)
            if other is _NOT_LITERAL:
                other = self.lookup(condition.right, template, offset, scope, missing_ok=True)
            result = (value == other) == (condition.operator == "==")
        else:
            result = bool(value)
        return result != condition.negate

    def _unsupported(self, node: Unsupported, template: Template) -> None:
        self.error(
            template,
            node.start,
            f"unsupported template expression '{{{{ {node.expression} }}}}'",
            'docsite templates know {{ include "file" }}, values such as '
            "{{ page.label }}, {{ for x in list }} and {{ if value }} ... {{ end }}; "
            "to show the braces as text, write {%{ ... }%} or set 'templating: false' "
            "in the page's frontmatter",
        )

    def _url_allowed(self, expression: str, value: Any, template: Template, offset: int) -> bool:
        """A value starting an HTML URL attribute (`href="{{ x }}"`) passes the URL policy."""
        text = template.source.text
        attribute = _URL_ATTRIBUTE.search(text, max(0, offset - 300), offset)
        if attribute is None:
            return True
        tag, name = attribute.group(1).lower(), attribute.group(2).lower()
        image = tag in ("img", "source") and name in ("src", "srcset")
        what = f"'{{{{ {expression} }}}}' in {name}=\"...\""
        refused = refused_url(_as_text(value), what, image=image, entities=True)
        if refused is not None:
            self.error(template, offset, refused.message, refused.hint)
        return refused is None

    def lookup(
        self,
        expression: str,
        template: Template,
        offset: int,
        scope: dict[str, Any],
        missing_ok: bool = False,
    ) -> Any:
        """The value a path names; `missing_ok` (conditions): a missing key is None, only
        an unknown first name is an error."""
        root = re.match(r"[A-Za-z_]\w*", expression)
        if root is None:  # a loop over a literal: `{{ for x in "abc" }}`
            self.error(
                template,
                offset,
                f"'{expression}' is not the name of a value",
                "name a value, such as page.label, or a list to loop over, such as page.tags",
            )
            return None
        value: Any = {**self.variables, **scope}
        walked = ""
        for key in [root.group(), *_steps(expression[root.end() :])]:
            if (
                missing_ok
                and walked
                and not (
                    (isinstance(value, dict) and key in value)
                    or (isinstance(value, list) and isinstance(key, int) and key < len(value))
                )
            ):
                return None
            if (isinstance(value, dict) and isinstance(key, str) and key in value) or (
                isinstance(value, list) and isinstance(key, int) and key < len(value)
            ):
                value = value[key]
            else:
                known = sorted(map(str, value)) if isinstance(value, dict) else []
                owner = f"'{walked}'" if walked else "templates"
                self.error(
                    template,
                    offset,
                    f"'{{{{ {expression} }}}}': {owner} has no {_key_text(key)}",
                    did_you_mean(str(key), known)
                    or (f"known: {', '.join(known)}" if known else "check the name"),
                )
                return None
            walked += f"[{key}]" if isinstance(key, int) else (f".{key}" if walked else key)
        if isinstance(value, dict) and not missing_ok:
            self.error(
                template,
                offset,
                f"'{{{{ {expression} }}}}' is a group of values, not one",
                "name one of them: "
                + ", ".join(f"{expression}.{k}" for k in sorted(map(str, value))),
            )
            return None
        return value

    def error(self, template: Template, offset: int, message: str, hint: str) -> None:
        """An error at an offset of the template's text."""
        line, column = template.line(offset), template.column(offset)
        shown = template.source.shown
        self.diagnostics.append(Diagnostic(shown, line, column, Severity.ERROR, message, hint))


_NOT_LITERAL = object()


def _literal(text: str) -> Any:
    """A literal of a condition, or _NOT_LITERAL for a path."""
    if text[:1] in "\"'" and len(text) >= 2 and text[-1] == text[0]:
        return text[1:-1]
    words = {"true": True, "false": False, "null": None}
    if text in words:
        return words[text]
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return _NOT_LITERAL


_STEP = re.compile(r"\.([A-Za-z_]\w*)|\[\s*(\d+)\s*\]|\[\s*\"([^\"]*)\"\s*\]")


def _steps(rest: str) -> list[str | int]:
    """The keys after a path's first name: `.name`, `[2]` and `["name"]`."""
    steps: list[str | int] = []
    for match in _STEP.finditer(rest):
        name, index, quoted = match.groups()
        steps.append(int(index) if index is not None else (name if name is not None else quoted))
    return steps


def _key_text(key: str | int) -> str:
    return f"item [{key}]" if isinstance(key, int) else f"'{key}'"


def _as_text(value: Any) -> str:
    """A value as Markdown text: shown as written, never as HTML."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(_as_text(item) for item in value)
    return html.escape(str(value))


# Output ----------------------------------------------------------------------------------


class Writer:
    """Expanded text, built in pieces, with where each of its lines came from."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.origins: list[Origin] = []
        self.at_line_start = True

    def add(self, text: str, origin: Origin) -> None:
        """Text that all comes from one place (a value)."""
        self._add(text, lambda _: origin)

    def add_lines(self, text: str, source: Source, line: int) -> None:
        """Text of `source` whose first line is its file line `line`, line for line."""
        self._add(text, lambda index: source.origin(line + index))

    def _add(self, text: str, origin_of_line: Callable[[int], Origin]) -> None:
        if not text:
            return
        if self.at_line_start:
            self.origins.append(origin_of_line(0))
        newlines = text.count("\n")
        for index in range(1, newlines + 1):
            self.origins.append(origin_of_line(index))
        if text.endswith("\n"):
            self.origins.pop()  # the next piece starts that line
            self.at_line_start = True
        else:
            self.at_line_start = False
        self.pieces.append(text)

    def text(self) -> str:
        return "".join(self.pieces)
