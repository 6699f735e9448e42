"""Scriban's evaluator: renders a syntax tree with a scope chain, in a sandbox.

Names resolve through function and loop scopes, then the object contexts (the template's
own, `with` objects, the caller's globals, the built-in objects). Members are read only from
dicts, lists and strings, never as Python attributes. Loops, recursion and output are
limited; a ScriptError raised anywhere becomes a Located error at the node that failed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from docsite.scriban import operators
from docsite.scriban import syntax as s
from docsite.scriban.errors import Located
from docsite.scriban.runtime import EMPTY, Builtin, ScriptArray, ScriptError
from docsite.scriban.values import KnownMembers, to_text, truthy, type_name


@dataclass(frozen=True)
class Limits:
    """What one rendering may spend; reaching a limit is a ScriptError that names it."""

    loop_iterations: int = 1_000_000  # in all loops of the rendering, together
    recursion_depth: int = 100  # function calls inside function calls
    output_size: int = 10_000_000  # characters written
    loop_limit: int = 0  # rounds of one loop statement (Scriban's LoopLimit); 0 for none


@dataclass(frozen=True, eq=False)
class Function:
    """A function the template defines (`func`, `do`, `f(x) = ...`)."""

    definition: s.FunctionDef

    @property
    def name(self) -> str:
        return self.definition.name or "do"


class Arguments(ScriptArray):
    """`$` in a function: its arguments, and the named ones as members (`$.name`)."""


@dataclass
class Unknown:
    """A name read but defined nowhere (rendered as null), in the template rendered then."""

    name: str
    at: int
    template: Any
    choices: tuple[str, ...] = ()  # the names it could have meant (an object's members)


@dataclass(frozen=True, slots=True)
class Piece:
    """Where a piece of the output came from, when the rendering is traced: written by the
    node at `at` of `template` (copied from there when `verbatim`); `call` is the include
    call (template, offset) in the rendering's own template, for included text."""

    text: str
    template: Any
    at: int
    verbatim: bool
    call: tuple[Any, int] | None = None


class Traced(str):
    """An included template's text, with the pieces it was written in (traced renderings)."""

    pieces: tuple[Piece, ...] = ()


class _Return(Exception):
    def __init__(self, value: Any):
        self.value = value


class _Jump(Exception):
    def __init__(self, node: s.Jump):
        self.node = node


@dataclass
class _State:
    """What one function call sees: its locals, its scopes, what it writes to."""

    locals: dict[str, Any] = field(default_factory=dict)
    frames: list[dict[str, Any]] = field(default_factory=list)
    parameters: dict[str, Any] | None = None  # a parametric function's scope


def is_function(value: Any) -> bool:
    return isinstance(value, Builtin | Function)


class Renderer:
    """One rendering of a template: the Runtime that built-in functions see."""

    def __init__(
        self,
        globals_: dict[str, Any],
        builtins: dict[str, dict[str, Builtin]],
        limits: Limits,
        now: dt.datetime,
        template: Any = None,
        trace: bool = False,
    ):
        self.template = template  # the Template being rendered (an included one, in include)
        # Where each piece of output came from, for messages about the text (trace=True).
        self.pieces: list[Piece] | None = [] if trace else None
        self.at = 0  # the statement being run
        self.now_read = False
        # The globals the text read: a cache must know which of their values it shows.
        self.globals_read: set[str] = set()
        self.contexts: list[dict[str, Any]] = [dict(builtins), globals_, {}]
        self.limits = limits
        self._now = now
        self.state = _State()
        self.out: list[str] = []
        self.size = 0
        self.iterations = 0
        self.depth = 0
        self.readonly: set[tuple[int, str]] = set()  # (id of the object, member name)
        self.unknown: list[Unknown] = []
        self.wrapped: list[list[s.Node]] = []
        self.piped: list[Any] | None = None  # a pipe's value, for the next function called

    # Runtime protocol --------------------------------------------------------------------

    @property
    def now(self) -> dt.datetime:
        self.now_read = True  # the text depends on the time: a cache must know
        return self._now

    def call(self, function: Any, args: list[Any]) -> Any:
        if not is_function(function):
            raise ScriptError(f"{type_name(function)} is not a function", "pass one as `@name`")
        return self.call_function(function, list(args), {})

    def include(self, template: Any, args: list[Any], named: dict[str, Any] | None = None) -> str:
        """Another parsed Template rendered here (Scriban's `include`): the same globals and
        limits, its own locals, `$` its arguments; returns what it writes. An error in it
        is raised as a TemplateRuntimeError at its own line, naming it."""
        self.depth += 1
        saved = self.state, self.template, self.out, self.pieces
        self.state, self.template, self.out = _State({"$": Arguments(args, named)}), template, []
        self.pieces = [] if saved[3] is not None else None
        try:
            if self.depth > self.limits.recursion_depth:
                raise ScriptError(
                    f"more than {self.limits.recursion_depth} nested includes and calls",
                    "limit: recursion depth (a file including itself?)",
                )
            self.run(template.body)
        except _Return:
            pass
        except _Jump as jump:
            outside = Located(jump.node.at, f"`{jump.node.kind}` outside a loop")
            raise template.runtime_error(outside) from None
        except Located as error:
            raise template.runtime_error(error) from None
        finally:
            written = Traced("".join(self.out))
            if self.pieces is not None:
                written.pieces = tuple(self.pieces)
            self.state, self.template, self.out, self.pieces = saved
            self.depth -= 1
        return written

    # statements --------------------------------------------------------------------------

    def render(self, body: list[s.Node]) -> str:
        """The text of a template's statements."""
        try:
            self.run(body)
        except _Return:
            pass
        except _Jump as jump:
            raise Located(jump.node.at, f"`{jump.node.kind}` outside a loop", "") from None
        return "".join(self.out)

    def run(self, body: list[s.Node]) -> None:
        for node in body:
            self.at = node.at
            try:
                _EXEC[type(node)](self, node)
            except ScriptError as error:
                raise Located(node.at, error.message, error.hint) from None
            except (ValueError, OverflowError) as error:  # Python's own limits (int digits...)
                raise Located(node.at, f"cannot compute this: {error}", "") from None

    def write(self, text: str, verbatim: bool = False) -> None:
        """Output written by the statement being run (copied from the template: verbatim)."""
        if not text:
            return
        self.size += len(text)
        if self.size > self.limits.output_size:
            raise ScriptError(
                f"the output is longer than the limit ({self.limits.output_size} characters)",
                "limit: output size",
            )
        self.out.append(text)
        if self.pieces is not None:
            self.pieces.append(Piece(text, self.template, self.at, verbatim))

    def write_included(self, text: Traced) -> None:
        """An include's text, its pieces keeping their own places, called from here."""
        self.write(text)
        if self.pieces is not None and text.pieces:
            call = (self.template, self.at)
            self.pieces[-1:] = [
                Piece(piece.text, piece.template, piece.at, piece.verbatim, call)
                for piece in text.pieces
            ]

    def captured(self, body: list[s.Node]) -> str:
        """What a block writes, kept apart from the output."""
        saved, self.out, self.pieces = (self.out, self.pieces), [], None
        try:
            self.run(body)
            return "".join(self.out)
        finally:
            self.out, self.pieces = saved

    def exec_text(self, node: s.Text) -> None:
        self.write(node.text, verbatim=True)

    def exec_output(self, node: s.Output) -> None:
        value = self.eval(node.expression)
        if is_function(value):
            return
        self.at = node.at  # evaluating it may have run other statements
        if isinstance(value, Traced) and not (node.indent and "\n" in value):
            self.write_included(value)
            return
        text = to_text(value)
        if node.indent and "\n" in text:
            ends_line = text.endswith("\n")
            text = text[: -1 if ends_line else None].replace("\n", "\n" + node.indent)
            text += "\n" if ends_line else ""
        self.write(text)

    def exec_assign(self, node: s.Assign) -> None:
        if isinstance(node.value, s.FunctionDef):
            value: Any = Function(node.value)
        else:
            value = self.eval(node.value)
        if node.op != "=":
            current = self.eval(node.target)
            value = operators.binary(node.op[:-1], current, value, self.limits.loop_iterations)
        self.assign(node.target, value)

    def exec_if(self, node: s.If) -> None:
        self.run(node.body if truthy(self.eval(node.condition)) else node.otherwise)

    def exec_while(self, node: s.While) -> None:
        index = 0
        while truthy(self.eval(node.condition)):
            self.count_iteration(index)
            info = {"index": index, "first": index == 0, "even": index % 2 == 0}
            info["odd"] = not info["even"]
            if not self.loop_step(node.body, {"while": info}):
                break
            index += 1

    def loop_step(self, body: list[s.Node], frame: dict[str, Any]) -> bool:
        """One step of a loop, in its own scope; False on `break`."""
        self.state.frames.append(frame)
        try:
            self.run(body)
        except _Jump as jump:
            return jump.node.kind == "continue"
        finally:
            self.state.frames.pop()
        return True

    def count_iteration(self, index: int = 0) -> None:
        """One more round of a loop; `index` counts the rounds of this loop, from 0."""
        self.iterations += 1
        limit = self.limits.loop_limit
        if limit and index >= limit:
            raise ScriptError(
                f"a loop ran more than {limit} times (the loop limit)",
                "raise templating.loopLimit if the loop is meant to be this long, or 0 for none",
            )
        if self.iterations > self.limits.loop_iterations:
            raise ScriptError(
                f"more than {self.limits.loop_iterations} loop iterations",
                "limit: loop iterations (an endless loop?)",
            )

    def exec_for(self, node: s.For) -> None:
        items = self.loop_items(node)
        if not items:
            self.run(node.otherwise)
            return
        if node.kind == "tablerow":
            self.tablerow(node, items)
            return
        previous: Any = object()
        for index, item in enumerate(items):
            self.count_iteration(index)
            info = _loop_info(index, len(items), item, previous)
            previous = item
            frame = {"for": info}
            self.bind_loop_variable(node.variable, item, frame)
            if not self.loop_step(node.body, frame):
                break
        if isinstance(node.variable, s.Local):
            self.state.locals.pop(node.variable.name, None)  # a loop's local ends with it

    def bind_loop_variable(self, variable: s.Node, item: Any, frame: dict[str, Any]) -> None:
        if isinstance(variable, s.Local):
            self.state.locals[variable.name] = item
        else:
            frame[variable.name] = item  # type: ignore[attr-defined]

    def loop_items(self, node: s.For) -> list[Any]:
        """The items a loop goes over, after `offset`, `limit` and `reversed`."""
        value = self.eval(node.iterable)
        if value is None:
            return []
        if isinstance(value, dict):
            items = [{"key": key, "value": item} for key, item in value.items()]
        elif isinstance(value, list | str):
            items = list(value)
        else:
            raise ScriptError(
                f"cannot loop over {type_name(value)}", "loop over an array or a range"
            )
        params = {name: self.eval(expr) for name, expr in node.params.items()}
        offset = params.get("offset")
        if offset is not None:
            items = items[_whole(offset, "offset") :]
        limit = params.get("limit")
        if limit is not None:
            items = items[: max(0, _whole(limit, "limit"))]
        if truthy(params.get("reversed")):
            items.reverse()
        return items

    def tablerow(self, node: s.For, items: list[Any]) -> None:
        """`tablerow`: each item in a `<td>`, `cols` of them in a `<tr>`."""
        cols_value = self.eval(node.params["cols"]) if "cols" in node.params else None
        cols = _whole(cols_value, "cols") if cols_value is not None else 1
        cols = max(cols, 1)
        for index, item in enumerate(items):
            self.count_iteration(index)
            row, col = divmod(index, cols)
            if col == 0:
                self.write(f'<tr class="row{row + 1}">')
            self.write(f'<td class="col{col + 1}">')
            frame = {"tablerow": _loop_info(index, len(items), item, None)}
            self.bind_loop_variable(node.variable, item, frame)
            stop = not self.loop_step(node.body, frame)
            self.write("</td>")
            if col == cols - 1 or index == len(items) - 1 or stop:
                self.write("</tr>\n")
            if stop:
                break

    def exec_jump(self, node: s.Jump) -> None:
        raise _Jump(node)

    def exec_capture(self, node: s.Capture) -> None:
        self.assign(node.target, self.captured(node.body))

    def exec_case(self, node: s.Case) -> None:
        value = self.eval(node.value)
        for matches, body in node.whens:
            if any(operators.equal(value, self.eval(match)) for match in matches):
                self.run(body)
                return
        self.run(node.otherwise)

    def exec_return(self, node: s.Return) -> None:
        raise _Return(None if node.value is None else self.eval(node.value))

    def exec_with(self, node: s.With) -> None:
        target = self.eval(node.target)
        if not isinstance(target, dict):
            message = f"`with` needs an object, not {type_name(target)}"
            raise Located(node.target.at, message, "")
        self.contexts.append(target)
        try:
            self.run(node.body)
        finally:
            self.contexts.pop()

    def exec_readonly(self, node: s.Readonly) -> None:
        if not isinstance(node.target, s.Variable):
            raise ScriptError("`readonly` takes a variable name", "")
        name = node.target.name
        owner = next((c for c in reversed(self.contexts) if name in c), self.contexts[-1])
        self.readonly.add((id(owner), name))

    def exec_import(self, node: s.Import) -> None:
        value = self.eval(node.value)
        if not isinstance(value, dict):
            raise ScriptError(f"`import` needs an object, not {type_name(value)}", "")
        for name, item in value.items():
            if (id(self.contexts[-1]), name) not in self.readonly:
                self.contexts[-1][name] = item

    def exec_wrap(self, node: s.Wrap) -> None:
        target = node.call.target if isinstance(node.call, s.Call) else node.call
        if not is_function(self.eval_path(target)):
            message = f"`wrap` needs a function, `{_path_text(target)}` is not one"
            raise Located(target.at, message, "")
        self.wrapped.append(node.body)
        try:
            value = self.eval(node.call)
        finally:
            if self.wrapped and self.wrapped[-1] is node.body:
                self.wrapped.pop()
        self.write(to_text(value))

    # expressions -------------------------------------------------------------------------

    def eval(self, node: s.Node) -> Any:
        """An expression's value; a function read by name is called (`@name` is not)."""
        value = self.eval_path(node)
        if is_function(value) and isinstance(node, _CALLED_WHEN_READ):
            try:
                return self.call_function(value, self.take_piped(), {})
            except ScriptError as error:
                raise Located(_start(node), error.message, error.hint) from None
        return value

    def take_piped(self) -> list[Any]:
        """The values a pipe hands to the first function called on its right, once."""
        piped, self.piped = self.piped, None
        return piped or []

    def eval_path(self, node: s.Node) -> Any:
        """An expression's value, functions left uncalled."""
        try:
            return _EVAL[type(node)](self, node)
        except ScriptError as error:
            raise Located(node.at, error.message, error.hint) from None

    def eval_literal(self, node: s.Literal) -> Any:
        return node.value

    def eval_interpolated(self, node: s.Interpolated) -> str:
        return "".join(p if isinstance(p, str) else to_text(self.eval(p)) for p in node.parts)

    def eval_array(self, node: s.ArrayInit) -> list[Any]:
        return ScriptArray(self.eval(item) for item in node.items)

    def eval_object(self, node: s.ObjectInit) -> dict[str, Any]:
        return {key: self.eval(value) for key, value in node.items}

    def eval_variable(self, node: s.Variable) -> Any:
        name = node.name
        for frame in reversed(self.state.frames):
            if name in frame:
                return frame[name]
        for context in reversed(self.contexts):
            if name in context:
                if context is self.contexts[1]:
                    self.globals_read.add(name)
                return context[name]
        self.unknown.append(Unknown(name, node.at, self.template))
        return None

    def eval_local(self, node: s.Local) -> Any:
        name, local = node.name, self.state.locals
        if name == "$$":
            return self.run_wrapped()
        if name[1:].isdecimal():
            arguments = local.get("$") or []
            index = int(name[1:])
            return arguments[index] if index < len(arguments) else None
        if name == "$":
            return local.get("$", Arguments([], {}))
        return local.get(name)

    def run_wrapped(self) -> None:
        block = self.state.locals.get("$$")
        if block is None:
            raise ScriptError("`$$` is only defined in a function called by `wrap`", "")
        self.run(block)

    def eval_this(self, node: s.This) -> Any:
        return self.contexts[-1]

    def eval_member(self, node: s.Member) -> Any:
        target = self.eval(node.target)
        if target is None and node.optional:
            return None
        value = member(target, node.name)
        if value is None and isinstance(target, KnownMembers) and node.name not in target:
            name = f"{_path_text(node.target)}.{node.name}"
            self.unknown.append(Unknown(name, _start(node), self.template, tuple(target)))
        return value

    def eval_index(self, node: s.Index) -> Any:
        return index_of(self.eval(node.target), self.eval(node.index))

    def eval_unary(self, node: s.Unary) -> Any:
        op = node.op
        if op == "@":
            return self.eval_path(node.operand)
        if op in ("++", "--"):
            value = operators.binary(op[0], self.eval(node.operand), 1, 0)
            self.assign(node.operand, value)
            return value
        value = self.eval(node.operand)
        if op == "!":
            return not truthy(value)
        if op == "-":
            return operators.negate(value)
        if op == "+" and value is not None and not operators.is_number(value):
            raise ScriptError(f"`+` takes a number, not {type_name(value)}", "")
        return value

    def eval_postfix(self, node: s.Postfix) -> Any:
        value = self.eval(node.target)
        self.assign(node.target, operators.binary(node.op[0], value, 1, 0))
        return value

    def eval_binary(self, node: s.Binary) -> Any:
        op = node.op
        left = self.eval(node.left)
        if op in ("&&", "and"):
            return truthy(left) and truthy(self.eval(node.right))
        if op in ("||", "or"):
            return truthy(left) or truthy(self.eval(node.right))
        if op == "??":
            return left if left is not None else self.eval(node.right)
        if op == "?!":
            return self.eval(node.right) if left is not None else None
        right = self.eval(node.right)
        return operators.binary(op, left, right, self.limits.loop_iterations)

    def eval_conditional(self, node: s.Conditional) -> Any:
        chosen = node.then if truthy(self.eval(node.condition)) else node.otherwise
        return self.eval(chosen)

    def eval_function(self, node: s.FunctionDef) -> Function:
        return Function(node)

    def eval_call(self, node: s.Call) -> Any:
        args = self.take_piped()
        target = self.eval_path(node.target)
        for arg in node.args:
            if isinstance(arg, s.Unary) and arg.op == "^":
                expanded = self.eval(arg.operand)
                args.extend(expanded if isinstance(expanded, list) else [expanded])
            elif isinstance(arg, s.FunctionDef):
                args.append(Function(arg))
            else:
                args.append(self.eval(arg))
        named = {name: self.eval(value) for name, value in node.named.items()}
        if not is_function(target):
            raise _not_a_function(node.target, target)
        return self.call_function(target, args, named)

    def eval_pipe(self, node: s.Pipe) -> Any:
        saved, self.piped = self.piped, None
        try:
            source = node.value
            if isinstance(source, s.Unary) and source.op == "^":
                expanded = self.eval(source.operand)
                values = expanded if isinstance(expanded, list) else [expanded]
            else:
                values = [self.eval(source)]
            self.piped = values
            result = self.eval(node.to)
            if self.piped is not None:
                message = f"`{_path_text(node.to)}` is not a function to pipe into"
                raise Located(_start(node.to), message, "write `value | function arguments`")
            return result
        finally:
            self.piped = saved

    # calls -------------------------------------------------------------------------------

    def call_function(self, function: Any, args: list[Any], named: dict[str, Any]) -> Any:
        """Calls a built-in or a template function, within the recursion limit."""
        self.depth += 1
        try:
            if self.depth > self.limits.recursion_depth:
                raise ScriptError(
                    f"more than {self.limits.recursion_depth} nested function calls",
                    "limit: recursion depth (a function calling itself endlessly?)",
                )
            if isinstance(function, Builtin):
                return self.call_builtin(function, args, named)
            return self.call_template_function(function, args, named)
        finally:
            self.depth -= 1

    def call_builtin(self, builtin: Builtin, args: list[Any], named: dict[str, Any]) -> Any:
        """A built-in: positional arguments counted; named ones given as keywords."""
        _check_count(builtin.name, len(args), builtin.min_args, builtin.max_args)
        try:
            return operators.check_size(f"`{builtin.name}`", builtin.function(self, *args, **named))
        except (ScriptError, Located, _Return, _Jump):
            raise
        except (TypeError, ValueError, KeyError, IndexError, OverflowError, ArithmeticError) as e:
            raise ScriptError(f"`{builtin.name}` failed: {e}", "check its arguments") from None

    def call_template_function(
        self, function: Function, args: list[Any], named: dict[str, Any]
    ) -> Any:
        definition = function.definition
        # The loops around the call stay visible (an anonymous function sees them too).
        state = _State(locals={"$": Arguments(args, named)}, frames=list(self.state.frames))
        if self.wrapped:
            state.locals["$$"] = self.wrapped.pop()
        if definition.params is not None:
            state.parameters = _bind(function, args, named, self)
            state.frames.append(state.parameters)
        saved, self.state = self.state, state
        try:
            self.run(definition.body)
        except _Return as result:
            return result.value
        except _Jump as jump:
            raise Located(jump.node.at, f"`{jump.node.kind}` outside a loop", "") from None
        finally:
            self.state = saved
        return None

    # assignment --------------------------------------------------------------------------

    def assign(self, target: s.Node, value: Any) -> None:
        """Stores a value in a variable, a member or an index."""
        if isinstance(target, s.Variable):
            self.assign_variable(target.name, value)
        elif isinstance(target, s.Local):
            if target.name == "$" or target.name[1:].isdecimal():
                raise ScriptError(f"`{target.name}` (the arguments) cannot be assigned", "")
            self.state.locals[target.name] = value
        elif isinstance(target, s.Member):
            owner = self.eval(target.target)
            self.check_writable(owner, target.name)
            _set_member(owner, target.name, value)
        elif isinstance(target, s.Index):
            owner, index = self.eval(target.target), self.eval(target.index)
            if isinstance(owner, dict):
                self.check_writable(owner, to_text(index))
            _set_index(owner, index, value)
        else:
            raise ScriptError("only a variable, a member or an index can be assigned", "")

    def check_writable(self, owner: Any, name: str) -> None:
        if (id(owner), name) in self.readonly:
            raise ScriptError(f"`{name}` is read-only", "`readonly` made it so")

    def assign_variable(self, name: str, value: Any) -> None:
        self.check_writable(self.contexts[-1], name)
        for frame in reversed(self.state.frames):
            if name in frame:
                frame[name] = value
                return
        # A new name in a parametric function stays in it; a known global is written.
        if self.state.parameters is not None and not any(name in c for c in self.contexts):
            self.state.parameters[name] = value
            return
        self.contexts[-1][name] = value


def _start(node: s.Node) -> int:
    while isinstance(node, s.Member | s.Index | s.Call):
        node = node.target
    return node.at


_CALLED_WHEN_READ = (s.Variable, s.Member, s.Index, s.Local, s.FunctionDef)


def _bind(function: Function, args: list[Any], named: dict[str, Any], renderer: Renderer) -> dict:
    """A parametric function's parameters, from the arguments of a call."""
    params = function.definition.params or []
    required = sum(1 for p in params if p.default is None and not p.variadic)
    variadic = any(p.variadic for p in params)
    given = len(args) + sum(1 for p in params if p.name in named)
    _check_count(function.name, given, required, None if variadic else len(params))
    frame: dict[str, Any] = {}
    rest = list(args)
    for param in params:
        if param.variadic:
            frame[param.name], rest = rest, []
        elif param.name in named:
            frame[param.name] = named[param.name]
        elif rest:
            frame[param.name] = rest.pop(0)
        else:
            default = param.default
            frame[param.name] = renderer.eval(default) if default is not None else None
    return frame


def _check_count(name: str, count: int, least: int, most: int | None) -> None:
    if count < least or (most is not None and count > most):
        wanted = (
            f"{least}"
            if most == least
            else f"at least {least}"
            if most is None
            else f"{least} to {most}"
        )
        raise ScriptError(
            f"`{name}` takes {wanted} argument{'s' if wanted != '1' else ''}, got {count}",
            "check the call's arguments",
        )


def _not_a_function(node: s.Node, value: Any) -> ScriptError:
    shown = _path_text(node)
    if value is None:
        return ScriptError(f"`{shown}` is not a function (it is not defined)", "check its name")
    return ScriptError(f"`{shown}` is {type_name(value)}, not a function", "")


def _path_text(node: s.Node) -> str:
    if isinstance(node, s.Variable | s.Local):
        return node.name
    if isinstance(node, s.Member):
        return f"{_path_text(node.target)}.{node.name}"
    if isinstance(node, s.Index):
        return f"{_path_text(node.target)}[...]"
    if isinstance(node, s.Literal):
        return to_text(node.value) if node.value is not None else "null"
    return "expression"


def _loop_info(index: int, length: int, item: Any, previous: Any) -> dict[str, Any]:
    return {
        "index": index,
        "index0": index,
        "rindex": length - index - 1,
        "first": index == 0,
        "last": index == length - 1,
        "even": index % 2 == 0,
        "odd": index % 2 == 1,
        "length": length,
        "changed": index == 0 or not operators.equal(item, previous),
    }


def _whole(value: Any, what: str) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ScriptError(f"`{what}` must be a whole number, not {type_name(value)}", "")


def member(target: Any, name: str) -> Any:
    """`target.name`: a dict's key, an array's or string's `size`, `empty?` on anything."""
    if name == "empty?":
        return operators.equal(target, EMPTY)
    if isinstance(target, dict):
        if name in target:
            return target[name]
        return len(target) if name == "size" else None
    if isinstance(target, list | str):
        if name == "size":
            return len(target)
        return target.members.get(name) if isinstance(target, ScriptArray) else None
    if target is None:  # Scriban's relaxed member access, on by default
        return None
    if isinstance(target, dt.datetime) and name in _DATE_MEMBERS:
        return _DATE_MEMBERS[name](target)
    if isinstance(target, dt.timedelta) and name in _TIMESPAN_MEMBERS:
        return _TIMESPAN_MEMBERS[name](target)
    raise ScriptError(
        f"cannot read `.{name}` of {type_name(target)}",
        "members can be read from objects, and `size` from arrays and strings",
    )


# What .NET's DateTime and TimeSpan show to Scriban (as `date.now.year`), by name.
_DATE_MEMBERS: dict[str, Callable[[dt.datetime], Any]] = {
    "year": lambda d: d.year,
    "month": lambda d: d.month,
    "day": lambda d: d.day,
    "hour": lambda d: d.hour,
    "minute": lambda d: d.minute,
    "second": lambda d: d.second,
    "millisecond": lambda d: d.microsecond // 1000,
    "day_of_year": lambda d: d.timetuple().tm_yday,
    "day_of_week": lambda d: d.strftime("%A"),
    "date": lambda d: d.replace(hour=0, minute=0, second=0, microsecond=0),
    "time_of_day": lambda d: d - d.replace(hour=0, minute=0, second=0, microsecond=0),
}
_TIMESPAN_MEMBERS: dict[str, Callable[[dt.timedelta], Any]] = {
    "days": lambda t: t.days,
    "hours": lambda t: t.seconds // 3600,
    "minutes": lambda t: t.seconds // 60 % 60,
    "seconds": lambda t: t.seconds % 60,
    "milliseconds": lambda t: t.microseconds // 1000,
    "total_days": lambda t: t.total_seconds() / 86400,
    "total_hours": lambda t: t.total_seconds() / 3600,
    "total_minutes": lambda t: t.total_seconds() / 60,
    "total_seconds": lambda t: t.total_seconds(),
    "total_milliseconds": lambda t: t.total_seconds() * 1000,
}


def index_of(target: Any, index: Any) -> Any:
    """`target[index]`: an array's or string's item (negative from the end), a dict's key."""
    if target is None:  # relaxed, as a member of null
        return None
    if isinstance(target, dict):
        return target.get(to_text(index))
    if isinstance(target, ScriptArray) and isinstance(index, str):
        return target.members.get(index)
    if isinstance(target, list | str):
        position = _whole(index, "index")
        if -len(target) <= position < len(target):
            return target[position]
        return None
    raise ScriptError(f"cannot index {type_name(target)}", "index an array, a string or an object")


def _set_member(target: Any, name: str, value: Any) -> None:
    if isinstance(target, ScriptArray):
        target.members[name] = value
        return
    if not isinstance(target, dict):
        raise ScriptError(
            f"cannot set `.{name}` on {type_name(target)}", "only objects have members"
        )
    target[name] = value


def _set_index(target: Any, index: Any, value: Any) -> None:
    if isinstance(target, dict):
        target[to_text(index)] = value
        return
    if not isinstance(target, list):
        raise ScriptError(f"cannot set an index of {type_name(target)}", "")
    position = _whole(index, "index")
    if position < 0:
        position += len(target)
    if position < 0:
        raise ScriptError(f"index {index} is before the array's start", "")
    if position >= len(target):
        target.extend([None] * (position + 1 - len(target)))
    target[position] = value


_EXEC: dict[type, Callable[[Renderer, Any], None]] = {
    s.Text: Renderer.exec_text,
    s.Output: Renderer.exec_output,
    s.Assign: Renderer.exec_assign,
    s.If: Renderer.exec_if,
    s.For: Renderer.exec_for,
    s.While: Renderer.exec_while,
    s.Jump: Renderer.exec_jump,
    s.Capture: Renderer.exec_capture,
    s.Case: Renderer.exec_case,
    s.Return: Renderer.exec_return,
    s.With: Renderer.exec_with,
    s.Readonly: Renderer.exec_readonly,
    s.Import: Renderer.exec_import,
    s.Wrap: Renderer.exec_wrap,
}
_EVAL: dict[type, Callable[[Renderer, Any], Any]] = {
    s.Literal: Renderer.eval_literal,
    s.Interpolated: Renderer.eval_interpolated,
    s.ArrayInit: Renderer.eval_array,
    s.ObjectInit: Renderer.eval_object,
    s.Variable: Renderer.eval_variable,
    s.Local: Renderer.eval_local,
    s.This: Renderer.eval_this,
    s.Member: Renderer.eval_member,
    s.Index: Renderer.eval_index,
    s.Unary: Renderer.eval_unary,
    s.Postfix: Renderer.eval_postfix,
    s.Binary: Renderer.eval_binary,
    s.Conditional: Renderer.eval_conditional,
    s.FunctionDef: Renderer.eval_function,
    s.Call: Renderer.eval_call,
    s.Pipe: Renderer.eval_pipe,
}
