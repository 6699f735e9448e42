"""Scriban's syntax tree: each node keeps `at`, the offset in the template where it starts, so
an error found while rendering names its line and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Node:
    """A node of the tree."""

    at: int


# Expressions -----------------------------------------------------------------------------


@dataclass(slots=True)
class Literal(Node):
    at: int
    value: Any


@dataclass(slots=True)
class Interpolated(Node):
    """$"text {expression} text"."""

    at: int
    parts: list[str | Node]


@dataclass(slots=True)
class ArrayInit(Node):
    at: int
    items: list[Node]


@dataclass(slots=True)
class ObjectInit(Node):
    at: int
    items: list[tuple[str, Node]]


@dataclass(slots=True)
class Variable(Node):
    """A global/property name: `name`."""

    at: int
    name: str


@dataclass(slots=True)
class Local(Node):
    """A local: `$name`, the arguments `$`, an argument `$0`, the wrapped block `$$`."""

    at: int
    name: str


@dataclass(slots=True)
class This(Node):
    at: int


@dataclass(slots=True)
class Member(Node):
    """`target.name`, or `target?.name` (optional: null when target is null)."""

    at: int
    target: Node
    name: str
    optional: bool = False


@dataclass(slots=True)
class Index(Node):
    at: int
    target: Node
    index: Node


@dataclass(slots=True)
class Unary(Node):
    """op: - + ! not @ ^ ++ -- (the last two before a variable)."""

    at: int
    op: str
    operand: Node


@dataclass(slots=True)
class Postfix(Node):
    """`x++` or `x--`: the value before the change."""

    at: int
    op: str
    target: Node


@dataclass(slots=True)
class Binary(Node):
    at: int
    op: str
    left: Node
    right: Node


@dataclass(slots=True)
class Conditional(Node):
    """`condition ? then : otherwise`."""

    at: int
    condition: Node
    then: Node
    otherwise: Node


@dataclass(slots=True)
class Call(Node):
    """`f a b name: c`, or `f(a, b)` (explicit)."""

    at: int
    target: Node
    args: list[Node] = field(default_factory=list)
    named: dict[str, Node] = field(default_factory=dict)
    explicit: bool = False


@dataclass(slots=True)
class Pipe(Node):
    """`value | to`: value becomes the first argument of the call `to`."""

    at: int
    value: Node
    to: Node


@dataclass(slots=True)
class Param:
    name: str
    default: Node | None = None
    variadic: bool = False


@dataclass(slots=True)
class FunctionDef(Node):
    """`func name ... end`, `func name(x, y = 1, z...) ... end`, `do ... end`, `f(x) = ...`;
    params None: a simple function, its arguments read through `$`."""

    at: int
    name: str | None
    params: list[Param] | None
    body: list[Node]


# Statements ------------------------------------------------------------------------------


@dataclass(slots=True)
class Text(Node):
    at: int
    text: str


@dataclass(slots=True)
class Output(Node):
    """An expression statement: its value is written, its lines after the first indented."""

    at: int
    expression: Node
    indent: str = ""


@dataclass(slots=True)
class Assign(Node):
    """op: = += -= *= /= //= %="""

    at: int
    target: Node
    op: str
    value: Node


@dataclass(slots=True)
class If(Node):
    at: int
    condition: Node
    body: list[Node]
    otherwise: list[Node]


@dataclass(slots=True)
class For(Node):
    """`for x in items offset: 1 limit: 2 reversed ... else ... end`, and `tablerow`."""

    at: int
    kind: str  # "for" or "tablerow"
    variable: Node
    iterable: Node
    params: dict[str, Node]
    body: list[Node]
    otherwise: list[Node]


@dataclass(slots=True)
class While(Node):
    at: int
    condition: Node
    body: list[Node]


@dataclass(slots=True)
class Jump(Node):
    """`break` or `continue`."""

    at: int
    kind: str


@dataclass(slots=True)
class Capture(Node):
    at: int
    target: Node
    body: list[Node]


@dataclass(slots=True)
class Case(Node):
    at: int
    value: Node
    whens: list[tuple[list[Node], list[Node]]]
    otherwise: list[Node]


@dataclass(slots=True)
class Return(Node):
    at: int
    value: Node | None


@dataclass(slots=True)
class With(Node):
    at: int
    target: Node
    body: list[Node]


@dataclass(slots=True)
class Readonly(Node):
    at: int
    target: Node


@dataclass(slots=True)
class Import(Node):
    at: int
    value: Node


@dataclass(slots=True)
class Wrap(Node):
    """`wrap f args ... end`: f runs with `$$` rendering the body."""

    at: int
    call: Node
    body: list[Node]
