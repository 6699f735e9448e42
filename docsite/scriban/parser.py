"""Scriban's parser: tokens to a syntax tree, by recursive descent (statements) and
precedence climbing (expressions), with Scriban's precedences and its calls without
parentheses (`f a b`, `x | f a`)."""

from __future__ import annotations

from docsite.scriban import syntax as s
from docsite.scriban.errors import Located
from docsite.scriban.lexer import Token
from docsite.scriban.runtime import EMPTY

BINARY = {
    "??": 20, "?!": 20, "||": 30, "or": 30, "&&": 40, "and": 40, "==": 70, "!=": 70,
    "<": 80, "<=": 80, ">": 80, ">=": 80, "contains": 90, "+": 100, "-": 100, "*": 110, "/": 110,
    "//": 110, "%": 110, "<<": 110, ">>": 110, "..": 130, "..<": 130,
}  # fmt: skip
ASSIGNMENTS = ("=", "+=", "-=", "*=", "/=", "//=", "%=")
_UNARY = ("-", "+", "!", "@", "^")
_SEPARATORS = ("newline", "enter", "exit")
_LOOP_PARAMS = ("offset", "limit", "reversed", "cols")
_CONSTANTS = {"true": True, "false": False, "null": None, "empty": EMPTY}
_STARTS = ("name", "local", "number", "string", "interpolated")
_START_OPS = ("(", "[", "{", "-", "+", "!", "@", "^", "++", "--")


def parse_tokens(tokens: list[Token]) -> list[s.Node]:
    """A whole template's statements; raises Located on a syntax error."""
    parser = Parser(tokens)
    body, end = parser.block(())
    if end.kind != "eof":
        raise Located(end.start, f"`{end.value}` without a block to end or continue", _HINT)
    return body


_HINT = "blocks are `if`, `for`, `while`, `case`, `capture`, `func`, `with`, each with its `end`"


class Parser:
    """Tokens, read left to right."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.index = 0
        self.stop_names: tuple[str, ...] = ()  # names that end a call here (loop parameters)
        self.indent = ""  # spaces before the current `{{` on its line, for its values' lines

    # tokens ----------------------------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.tokens[self.index]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "eof":
            self.index += 1
        return token

    def is_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.value in ops

    def is_name(self, *names: str) -> bool:
        return self.tok.kind == "name" and self.tok.value in names

    def expect_op(self, op: str, hint: str = "") -> Token:
        if not self.is_op(op):
            raise Located(self.tok.start, f"expected `{op}`, found {_shown(self.tok)}", hint)
        return self.advance()

    def expect_name(self, what: str) -> Token:
        if self.tok.kind != "name":
            raise Located(self.tok.start, f"expected {what}, found {_shown(self.tok)}", "")
        return self.advance()

    def skip_newlines(self) -> None:
        while self.tok.kind == "newline":
            self.advance()

    # statements ------------------------------------------------------------------------

    def block(self, ends: tuple[str, ...], opener: Token | None = None) -> tuple[list, Token]:
        """Statements up to one starting with a name in `ends` (that token, not consumed)."""
        body: list[s.Node] = []
        while True:
            token = self.tok
            if token.kind in ("enter", "exit"):
                self.indent = ""
                self.advance()
            elif token.kind == "newline" or (token.kind == "op" and token.value == ";"):
                self.advance()
            elif token.kind == "indent":
                self.indent = self.advance().value
            elif token.kind == "text":
                body.append(s.Text(token.start, self.advance().value))
            elif token.kind == "eof":
                if opener is not None:
                    raise Located(
                        opener.start,
                        f"this `{opener.value}` has no `end`",
                        f"close the `{opener.value}` block with `{{{{ end }}}}`",
                    )
                return body, token
            elif token.kind == "name" and (token.value in ends or token.value in _ENDERS):
                return body, token
            else:
                body.append(self.statement())

    def closed_block(self, opener: Token, ends: tuple[str, ...] = ("end",)) -> list[s.Node]:
        """A block's body up to its `end` (consumed)."""
        body, end = self.block(ends, opener)
        if end.value != "end":
            raise Located(end.start, f"`{end.value}` does not belong in `{opener.value}`", _HINT)
        self.advance()
        return body

    def statement(self) -> s.Node:
        """One statement; an expression statement must end its line."""
        token = self.tok
        after = self.peek()
        # `for.index`, `if = 1`, `end[0]`: names used as variables
        keyword = not (after.kind == "op" and after.value in (".", "?.", "=", "["))
        keyword = keyword or (after.value == "[" and after.spaced)
        if token.kind == "name" and token.value in _STATEMENTS and keyword:
            node = _STATEMENTS[token.value](self)
        else:
            node = self.expression_statement()
        if not (self.tok.kind in (*_SEPARATORS, "eof", "text") or self.is_op(";")):
            raise Located(
                self.tok.start,
                f"unexpected {_shown(self.tok)} after the statement",
                "one statement per line, or separate them with `;`",
            )
        return node

    def expression_statement(self) -> s.Node:
        """An expression written out, or an assignment (`x = 1`, `x += 1`, `f(x) = x * 2`)."""
        start = self.tok.start
        expression = self.expression()
        if self.tok.kind == "op" and self.tok.value in ASSIGNMENTS:
            op = self.advance()
            value = self.expression()
            if op.value == "=" and isinstance(expression, s.Call) and expression.explicit:
                return _inline_function(expression, value, op)
            if not isinstance(expression, s.Variable | s.Local | s.Member | s.Index | s.This):
                raise Located(
                    op.start,
                    "only a variable, a member or an index can be assigned",
                    "write `name = value`, `object.member = value` or `array[0] = value`",
                )
            return s.Assign(start, expression, op.value, value)
        return s.Output(start, expression, self.indent)

    # expressions -----------------------------------------------------------------------

    def expression(self, floor: int = 0, in_call: bool = False, pipes: bool = True) -> s.Node:
        """An expression of operators above `floor`; `in_call`: an argument, where a call
        without parentheses cannot start; `pipes`: `| f` continues it."""
        left: s.Node | None = self.unary()
        call: s.Call | None = None
        while True:
            op = self.binary_op()
            if op is not None and left is not None:
                if BINARY[op] <= floor:
                    break
                token = self.advance()
                self.skip_newlines()
                right = self.expression(BINARY[op], in_call or call is not None)
                left = s.Binary(token.start, op, left, right)
                continue
            if in_call or not self.starts_argument():
                break
            if call is None:
                call = s.Call(_start(left), left)  # type: ignore[arg-type]
            elif left is not None:
                call.args.append(left)
            left = None
            self.named_arguments(call)  # type: ignore[arg-type]
            if not self.starts_argument():
                break
            left = self.unary()
            if isinstance(left, s.FunctionDef):
                break
        if call is not None:
            if left is not None:
                call.args.append(left)
            left = call
        assert left is not None
        if floor == 0 and not in_call and pipes:
            left = self.pipes_and_conditional(left)
        return left

    def pipes_and_conditional(self, left: s.Node) -> s.Node:
        """`left | f x | g`, then `... ? a : b`."""
        while self.is_op("|", "|>"):
            token = self.advance()
            self.skip_newlines()
            left = s.Pipe(token.start, left, self.expression(pipes=False))
        if self.is_op("?"):
            token = self.advance()
            then = self.expression()
            self.expect_op(":", "a conditional is `condition ? value : other_value`")
            return s.Conditional(token.start, left, then, self.expression())
        return left

    def binary_op(self) -> str | None:
        token = self.tok
        if token.kind == "op" and token.value in BINARY:
            return token.value
        if token.kind == "name" and token.value in ("and", "or", "contains"):
            return token.value  # `contains`: Retype's pages use it, as Liquid does
        return None

    def starts_argument(self) -> bool:
        """Whether the token can start an argument of a call without parentheses."""
        token = self.tok
        if token.kind == "name":
            return token.value not in self.stop_names and token.value not in _ENDERS
        return token.kind in _STARTS or (token.kind == "op" and token.value in _START_OPS)

    def named_arguments(self, call: s.Call) -> None:
        """`name: value` arguments of a call."""
        while self.tok.kind == "name" and self.peek().kind == "op" and self.peek().value == ":":
            if self.tok.value in self.stop_names:
                return
            name = self.advance().value
            self.advance()
            call.named[name] = self.expression(in_call=True)

    def unary(self) -> s.Node:
        """A prefix operator and its operand, or an operand and its suffixes."""
        token = self.tok
        if token.kind == "op" and token.value in _UNARY:
            self.advance()
            operand = self.unary()
            if token.value == "-" and isinstance(operand, s.Literal) and _numeric(operand.value):
                return s.Literal(token.start, -operand.value)
            return s.Unary(token.start, token.value, operand)
        if token.kind == "name" and token.value == "not":
            self.advance()
            return s.Unary(token.start, "!", self.unary())
        if token.kind == "op" and token.value in ("++", "--"):
            self.advance()
            return s.Unary(token.start, token.value, self.postfix(self.primary()))
        return self.postfix(self.primary())

    def postfix(self, node: s.Node) -> s.Node:
        """Member access `.x`, `?.x`, index `[i]`, explicit call `(a, b)`, `++`, `--`."""
        while True:
            token = self.tok
            if token.kind != "op" or (token.spaced and token.value not in (".", "?.")):
                return node
            if token.value in (".", "?."):
                self.advance()
                name = self.expect_name("a member name after `.`")
                node = s.Member(name.start, node, name.value, token.value == "?.")
            elif token.value == "[":
                self.advance()
                self.skip_newlines()
                index = self.expression()
                self.expect_op("]", "an index is closed by `]`")
                node = s.Index(node.at, node, index)
            elif token.value == "(" and isinstance(node, _CALLABLE):
                node = self.explicit_call(node)
            elif token.value in ("++", "--") and isinstance(node, _CALLABLE):
                self.advance()
                node = s.Postfix(token.start, token.value, node)
            else:
                return node

    def explicit_call(self, target: s.Node) -> s.Call:
        """`target(a, b, name: c)`."""
        call = s.Call(_start(target), target, explicit=True)
        self.advance()
        while not self.is_op(")"):
            if call.args or call.named:
                self.expect_op(",", "separate the arguments of a call with `,`")
            if self.tok.kind == "name" and self.peek().kind == "op" and self.peek().value == ":":
                name = self.advance().value
                self.advance()
                call.named[name] = self.expression()
            else:
                call.args.append(self.expression())
        self.advance()
        return call

    def primary(self) -> s.Node:
        """A literal, a variable, `( expression )`, `[ array ]`, `{ object }`, `do ... end`."""
        token = self.tok
        kind, value = token.kind, token.value
        if kind in ("number", "string"):
            self.advance()
            return s.Literal(token.start, value)
        if kind == "interpolated":
            self.advance()
            return s.Interpolated(token.start, [_sub_expression(p) for p in value])
        if kind == "local":
            self.advance()
            return s.Local(token.start, value)
        if kind == "name":
            return self.name()
        if kind == "op" and value in _PRIMARY_OPS:
            return _PRIMARY_OPS[value](self)
        raise Located(
            token.start, f"expected an expression, found {_shown(token)}", _expression_hint(token)
        )

    def name(self) -> s.Node:
        token = self.advance()
        if token.value in _CONSTANTS:
            return s.Literal(token.start, _CONSTANTS[token.value])
        if token.value == "this":
            return s.This(token.start)
        if token.value == "do":
            return self.function(token, None)
        return s.Variable(token.start, token.value)

    def parenthesized(self) -> s.Node:
        self.advance()
        saved, self.stop_names = self.stop_names, ()
        self.skip_newlines()
        inner = self.expression()
        self.skip_newlines()
        self.stop_names = saved
        self.expect_op(")", "a parenthesis is closed by `)`")
        return inner

    def array(self) -> s.Node:
        start = self.advance().start
        items: list[s.Node] = []
        while not self.is_op("]"):
            items.append(self.expression())
            if not self.is_op("]"):
                self.expect_op(",", "separate the items of an array with `,`, end it with `]`")
        self.advance()
        return s.ArrayInit(start, items)

    def object(self) -> s.Node:
        start = self.advance().start
        items: list[tuple[str, s.Node]] = []
        while not self.is_op("}"):
            key = self.tok
            if key.kind not in ("name", "string"):
                raise Located(key.start, f"expected a member name, found {_shown(key)}", "")
            self.advance()
            self.expect_op(":", 'an object is written `{name: value, "other name": value}`')
            items.append((key.value, self.expression()))
            if not self.is_op("}"):
                self.expect_op(",", "separate the members of an object with `,`")
        self.advance()
        return s.ObjectInit(start, items)

    def function(self, opener: Token, name: str | None) -> s.FunctionDef:
        """The rest of `func name ...` or `do ...`: parameters if any, the body, `end`."""
        params = None
        if (self.is_op("(") and not self.tok.spaced) or (name is None and self.is_op("(")):
            params = self.params()
        body = self.closed_block(opener)
        return s.FunctionDef(opener.start, name, params, body)

    def params(self) -> list[s.Param]:
        """`(x, y = 1, z...)`."""
        self.advance()
        params: list[s.Param] = []
        while not self.is_op(")"):
            if params:
                self.expect_op(",", "separate parameters with `,`")
            name_token = self.expect_name("a parameter name")
            name = name_token.value
            _check_param_order(params, name_token, self.tok)
            if self.is_op("="):
                self.advance()
                params.append(s.Param(name, default=self.expression(in_call=True)))
            elif self.is_op("..."):
                self.advance()
                params.append(s.Param(name, variadic=True))
            else:
                params.append(s.Param(name))
        self.advance()
        return params


_CALLABLE = (s.Variable, s.Local, s.Member, s.Index, s.Call, s.This)
_ENDERS = ("end", "else", "when")
_PRIMARY_OPS = {"(": Parser.parenthesized, "[": Parser.array, "{": Parser.object}


def _check_param_order(params: list[s.Param], name: Token, after: Token) -> None:
    """Optional parameters come after the normal ones, and a `...` one comes last."""
    if params and params[-1].variadic:
        raise Located(name.start, "no parameter can follow a `...` parameter", "put it last")
    if params and params[-1].default is not None and after.value not in ("=", "..."):
        raise Located(
            name.start,
            "a normal parameter cannot follow an optional one",
            "give it a default value too, or move it before the optional ones",
        )


def _start(node: s.Node) -> int:
    """Where a path (`a.b[0].c`) starts: calls are reported there."""
    while isinstance(node, s.Member | s.Index | s.Call):
        node = node.target
    return node.at


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shown(token: Token) -> str:
    """A token as messages show it."""
    if token.kind == "eof":
        return "the end of the template"
    if token.kind == "exit":
        return "the end of the code block `}}`"
    if token.kind == "newline":
        return "the end of the line"
    if token.kind == "text":
        return "text"
    if token.kind == "string":
        return "a string"
    return f"`{token.value}`"


def _expression_hint(token: Token) -> str:
    if token.kind in ("exit", "newline", "eof"):
        return "an operator or `=` needs a value after it"
    return ""


def _sub_expression(part: str | list[Token]) -> str | s.Node:
    """A part of an interpolated string: text, or the expression of its tokens."""
    if isinstance(part, str):
        return part
    parser = Parser(part)
    node = parser.expression()
    if parser.tok.kind != "eof":
        raise Located(parser.tok.start, f"unexpected {_shown(parser.tok)} in `{{...}}`", "")
    return node


def _inline_function(call: s.Call, value: s.Node, op: Token) -> s.Node:
    """`name(x, y) = expression`: a function of its parameters."""
    if not isinstance(call.target, s.Variable) or call.named:
        raise Located(op.start, "an inline function is written `name(x, y) = expression`", "")
    params = []
    for arg in call.args:
        if not isinstance(arg, s.Variable):
            raise Located(arg.at, "a parameter of an inline function must be a name", "")
        params.append(s.Param(arg.name))
    body: list[s.Node] = [s.Return(value.at, value)]
    function = s.FunctionDef(call.at, call.target.name, params, body)
    return s.Assign(call.at, call.target, "=", function)


# Statements, by their first word ---------------------------------------------------------


def _if(parser: Parser) -> s.Node:
    opener = parser.advance()
    condition = parser.expression()
    body, end = parser.block(("else", "end"), opener)
    otherwise: list[s.Node] = []
    if end.value == "else":
        parser.advance()
        if parser.is_name("if"):
            otherwise = [_if(parser)]
            return s.If(opener.start, condition, body, otherwise)
        _expect_line_end(parser, "else")
        otherwise, _ = parser.block(("end",), opener)
    if not parser.is_name("end"):
        raise Located(parser.tok.start, f"`{parser.tok.value}` does not belong in `if`", _HINT)
    parser.advance()
    return s.If(opener.start, condition, body, otherwise)


def _expect_line_end(parser: Parser, keyword: str) -> None:
    token = parser.tok
    if not (token.kind in (*_SEPARATORS, "eof", "text") or parser.is_op(";")):
        raise Located(
            token.start, f"unexpected {_shown(token)} after `{keyword}`", "end the line there"
        )


def _for(parser: Parser) -> s.Node:
    opener = parser.advance()
    token = parser.tok
    if token.kind not in ("name", "local"):
        raise Located(token.start, f"expected a loop variable, found {_shown(token)}", "")
    parser.advance()
    variable: s.Node = (s.Variable if token.kind == "name" else s.Local)(token.start, token.value)
    if not parser.is_name("in"):
        raise Located(parser.tok.start, f"expected `in`, found {_shown(parser.tok)}", "")
    parser.advance()
    parser.stop_names = _LOOP_PARAMS
    iterable = parser.expression()
    params: dict[str, s.Node] = {}
    while parser.is_name(*_LOOP_PARAMS):
        name = parser.advance()
        if name.value == "reversed":
            params["reversed"] = s.Literal(name.start, True)
            continue
        parser.expect_op(":", f"write `{name.value}: value`")
        params[name.value] = parser.expression(in_call=True)
    parser.stop_names = ()
    body, end = parser.block(("else", "end"), opener)
    otherwise: list[s.Node] = []
    if end.value == "else":
        parser.advance()
        otherwise = parser.closed_block(opener)
    else:
        parser.advance()
    return s.For(opener.start, opener.value, variable, iterable, params, body, otherwise)


def _while(parser: Parser) -> s.Node:
    opener = parser.advance()
    condition = parser.expression()
    return s.While(opener.start, condition, parser.closed_block(opener))


def _jump(parser: Parser) -> s.Node:
    token = parser.advance()
    return s.Jump(token.start, token.value)


def _capture(parser: Parser) -> s.Node:
    opener = parser.advance()
    target = parser.postfix(parser.primary())
    return s.Capture(opener.start, target, parser.closed_block(opener))


def _case(parser: Parser) -> s.Node:
    opener = parser.advance()
    value = parser.expression()
    before, _ = parser.block(("when", "else", "end"), opener)
    for node in before:
        if not (isinstance(node, s.Text) and not node.text.strip()):
            raise Located(node.at, "only `when` and `else` can follow `case`", "")
    whens: list[tuple[list[s.Node], list[s.Node]]] = []
    otherwise: list[s.Node] = []
    while parser.is_name("when"):
        parser.advance()
        matches = [parser.expression(BINARY["||"])]
        while parser.is_op(",", "||") or parser.is_name("or"):
            parser.advance()
            matches.append(parser.expression(BINARY["||"]))
        body, _ = parser.block(("when", "else", "end"), opener)
        whens.append((matches, body))
    if parser.is_name("else"):
        if not whens:
            raise Located(parser.tok.start, "`else` in a `case` needs a `when` before it", "")
        parser.advance()
        otherwise, _ = parser.block(("end",), opener)
    parser.closed_block(opener)
    return s.Case(opener.start, value, whens, otherwise)


def _func(parser: Parser) -> s.Node:
    opener = parser.advance()
    name = parser.tok
    if name.kind not in ("name", "local"):
        raise Located(name.start, f"expected a function name, found {_shown(name)}", "")
    parser.advance()
    function = parser.function(opener, name.value)
    target = (s.Variable if name.kind == "name" else s.Local)(name.start, name.value)
    return s.Assign(opener.start, target, "=", function)


def _ret(parser: Parser) -> s.Node:
    token = parser.advance()
    ends = parser.tok.kind in (*_SEPARATORS, "eof") or parser.is_op(";")
    return s.Return(token.start, None if ends else parser.expression())


def _with(parser: Parser) -> s.Node:
    opener = parser.advance()
    target = parser.postfix(parser.primary())
    return s.With(opener.start, target, parser.closed_block(opener))


def _readonly(parser: Parser) -> s.Node:
    token = parser.advance()
    return s.Readonly(token.start, parser.postfix(parser.primary()))


def _import(parser: Parser) -> s.Node:
    token = parser.advance()
    return s.Import(token.start, parser.expression())


def _wrap(parser: Parser) -> s.Node:
    opener = parser.advance()
    call = parser.expression()
    if not isinstance(call, s.Call | s.Variable | s.Member):
        raise Located(call.at, "`wrap` takes a function call", "write `wrap name arguments`")
    return s.Wrap(opener.start, call, parser.closed_block(opener))


_STATEMENTS = {
    "if": _if,
    "for": _for,
    "tablerow": _for,
    "while": _while,
    "break": _jump,
    "continue": _jump,
    "capture": _capture,
    "case": _case,
    "func": _func,
    "ret": _ret,
    "with": _with,
    "readonly": _readonly,
    "import": _import,
    "wrap": _wrap,
}
