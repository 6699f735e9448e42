"""Scriban's lexer: a template cut into tokens that keep their offset in the text.

Outside code, a template is text; `{{ ... }}` opens code and `{%{ ... }%}` (with as many `%`
as needed on both sides) is text written as is. A `-` or `~` just inside a delimiter trims
the text beside it: `-` all whitespace, `~` spaces on the line (and, after a block, one
newline). Inside code: names, `$` locals, numbers, strings, operators, newlines (they end a
statement, except inside brackets) and comments (`#` to the line's end, `## ... ##`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docsite.scriban.errors import Located


@dataclass(frozen=True, slots=True)
class Token:
    """kind: text, enter, exit, indent (after an enter: the spaces before it on its line),
    newline, name, local, number, string, interpolated, op or eof. `value`: the text, the
    number, the string, or for `interpolated` its parts (str or list of tokens); `spaced`:
    whitespace right before it (`f (x)` is not `f(x)`)."""

    kind: str
    value: Any
    start: int
    spaced: bool = False


_OPEN = re.compile(r"\{\{|\{(%+)\{")
_OPERATOR_TEXT = (
    "..< ... //= .. == != <= >= && || ?? ?! ?. += -= *= /= %= // ++ -- << >> |> "
    "+ - * / % < > = ! ( ) [ ] { } , . : ; | ? @ ^ &"
)
_OPERATORS = sorted(_OPERATOR_TEXT.split(" "), key=len, reverse=True)  # longest first


def _code_pattern(in_brackets: bool, in_braces: bool) -> re.Pattern[str]:
    """The next token of code in one match: the spaces before it, then which kind it is
    (the group named by `lastgroup`), tried in this order. Inside brackets a newline is a
    space, not a statement's end; inside the `{` of an object or of an interpolation,
    `}}` is two braces, not the block's end."""
    kinds = [
        r"(?P<comment>\#)",
        *([] if in_brackets else [r"(?P<newline>\n)"]),
        *([] if in_braces else [r"(?P<exit>[-~]?\}\})"]),
        r"(?P<string>[\"'])",
        r"(?P<verbatim>`)",
        r"(?P<interpolated>\$[\"'])",
        r"(?P<local>\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|\$)?)",
        r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)",
        r"(?P<number>0[xX][0-9a-fA-F_]+[uUlL]*|0[bB][01_]+[uUlL]*"
        r"|[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:[eE][+-]?[0-9]+)?[fFdDmMuUlL]*)",
        "(?P<op>" + "|".join(re.escape(op) for op in _OPERATORS) + ")",
    ]
    spaces = r"[ \t\r\n]*" if in_brackets else r"[ \t\r]*"
    return re.compile(f"(?P<space>{spaces})(?:" + "|".join(kinds) + ")")


_CODE = _code_pattern(in_brackets=False, in_braces=False)
_CODE_IN_BRACKETS = _code_pattern(in_brackets=True, in_braces=False)
_CODE_IN_BRACES = _code_pattern(in_brackets=True, in_braces=True)
_SPACES = re.compile(r"[ \t\r]*")
_SPACES_IN_BRACKETS = re.compile(r"[ \t\r\n]*")
# A string's text up to its closing quote or its next escape.
_STRING_TEXT = {'"': re.compile(r'[^"\\]*'), "'": re.compile(r"[^'\\]*")}
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "0": "\0"}
_OPENERS = {"(": ")", "[": "]", "{": "}"}


def lex(text: str) -> list[Token]:
    """All the tokens of a template, ending with an `eof` token; raises Located on an
    unclosed `{{`, string or escape block, or a character code cannot hold."""
    lexer = _Lexer(text)
    lexer.run()
    lexer.tokens.append(Token("eof", None, len(text)))
    return _trimmed(lexer.tokens, text)


class _Lexer:
    """A template's tokens, found left to right."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.tokens: list[Token] = []

    def run(self) -> None:
        """Text up to each `{{` or escape block, then that block, until the end."""
        text = self.text
        while (match := _OPEN.search(text, self.pos)) is not None:
            if match.start() > self.pos:
                self.tokens.append(Token("text", text[self.pos : match.start()], self.pos))
            if match.group(1) is None:
                self.code(match.start())
            else:
                self.escape(match.start(), len(match.group(1)))
        if self.pos < len(text):
            self.tokens.append(Token("text", text[self.pos :], self.pos))
            self.pos = len(text)

    def escape(self, start: int, percents: int) -> None:
        """`{%{ text }%}`: the text as is, a `-`/`~` inside a delimiter trimming outside it."""
        text = self.text
        begin = start + percents + 2
        left = text[begin] if text[begin : begin + 1] in ("-", "~") else ""
        closer = "}" + "%" * percents + "}"
        end = text.find(closer, begin + len(left))
        if end < 0:
            raise Located(start, "this escape block `{%{` has no end", f"close it with `{closer}`")
        right = text[end - 1] if end - 1 >= begin + len(left) and text[end - 1] in "-~" else ""
        content = text[begin + len(left) : end - len(right)]
        self.tokens.append(Token("enter", left, start))
        self.tokens.append(Token("text", content, begin + len(left)))
        self.tokens.append(Token("exit", right, end - len(right)))
        self.pos = end + len(closer)

    def code(self, start: int) -> None:
        """`{{ ... }}`: the code's tokens between an `enter` and an `exit`."""
        text = self.text
        self.pos = start + 2
        modifier = text[self.pos] if text[self.pos : self.pos + 1] in ("-", "~") else ""
        self.pos += len(modifier)
        self.tokens.append(Token("enter", modifier, start))
        depth: list[str] = []
        while True:
            token = self.code_token(depth)
            if token is None:
                raise Located(start, "this `{{` has no `}}`", "close the code block with `}}`")
            self.tokens.append(token)
            if token.kind == "exit":
                return

    def code_token(self, depth: list[str]) -> Token | None:
        """The next token of code (None at the end of the text); `depth`: the brackets open.
        Spaces, comments and (inside brackets) newlines before it make it `spaced`."""
        text = self.text
        spaced = False
        while True:
            if not depth:
                pattern = _CODE
            else:
                pattern = _CODE_IN_BRACES if depth[-1] == "{" else _CODE_IN_BRACKETS
            match = pattern.match(text, self.pos)
            if match is None:
                spaces = _SPACES_IN_BRACKETS if depth else _SPACES
                self.pos = spaces.match(text, self.pos).end()  # type: ignore[union-attr]
                if self.pos >= len(text):
                    return None
                raise Located(self.pos, f"unexpected character `{text[self.pos]}` in code", "")
            kind = match.lastgroup
            start = match.start(kind)
            spaced = spaced or start > self.pos
            if kind != "comment":
                break
            self.pos = start
            self.comment()
            spaced = True
        self.pos = end = match.end()
        if kind == "op":
            operator = match.group(kind)
            if operator in _OPENERS:
                depth.append(operator)
            elif operator in (")", "]", "}") and depth:
                depth.pop()
            return Token("op", operator, start, spaced)
        if kind == "name":
            after = text[end : end + 2]
            if text[start:end] == "empty" and after[:1] == "?" and after[1:] not in "?.!":
                self.pos += 1
            return Token("name", text[start : self.pos], start, spaced)
        if kind == "string":
            self.pos = start
            return Token("string", self.string(text[start]), start, spaced)
        if kind == "verbatim":
            self.pos = start
            return Token("string", self.verbatim(), start, spaced)
        if kind == "interpolated":
            self.pos = start + 1
            return Token("interpolated", self.interpolated(text[self.pos]), start, spaced)
        if kind == "number":
            return Token("number", _number_value(match.group(kind), start), start, spaced)
        if kind == "exit":
            return Token("exit", match.group(kind)[:-2], start, spaced)
        return Token(kind or "", match.group(kind), start, spaced)  # a newline, a local

    def comment(self) -> None:
        """`# to the end of the line` or `## to the next ## `; `}}` ends both."""
        text = self.text
        multi = text.startswith("##", self.pos)
        self.pos += 2 if multi else 1
        stops = ("##", "}}") if multi else ("\n", "}}")
        ends = [found for stop in stops if (found := text.find(stop, self.pos)) >= 0]
        end = min(ends) if ends else len(text)
        if multi and text.startswith("##", end):
            end += 2
        elif end > 0 and text[end - 1] in "-~" and text.startswith("}}", end):
            end -= 1  # `# comment -}}`: the modifier belongs to the block's end
        self.pos = end

    def string(self, quote: str) -> str:
        """A "double" or 'single' quoted string, its escapes read."""
        text, start = self.text, self.pos
        self.pos += 1
        parts: list[str] = []
        scan = _STRING_TEXT[quote]
        while True:
            end = scan.match(text, self.pos).end()  # type: ignore[union-attr]
            if end >= len(text):
                raise Located(start, "this string has no closing quote", f"end it with {quote}")
            parts.append(text[self.pos : end])
            self.pos = end + 1
            if text[end] == quote:
                return "".join(parts)
            parts.append(self.escape_sequence())

    def escape_sequence(self) -> str:
        """The character of a `\\` escape in a string (`self.pos` just after the `\\`)."""
        text, start = self.text, self.pos
        char = text[start : start + 1]
        if char in _ESCAPES:
            self.pos += 1
            return _ESCAPES[char]
        for prefix, size in (("u", 4), ("x", 2)):
            if char == prefix:
                digits = text[start + 1 : start + 1 + size]
                if len(digits) < size or not all(c in "0123456789abcdefABCDEF" for c in digits):
                    raise Located(start - 1, f"`\\{prefix}` needs {size} hexadecimal digits", "")
                self.pos += 1 + size
                return chr(int(digits, 16))
        self.pos += 1
        return char  # \" \' \\ and any other character as itself

    def verbatim(self) -> str:
        """A `verbatim` string: no escapes, a doubled backtick is one backtick."""
        text, start = self.text, self.pos
        parts: list[str] = []
        self.pos += 1
        while True:
            end = text.find("`", self.pos)
            if end < 0:
                raise Located(start, "this verbatim string has no closing backtick", "")
            parts.append(text[self.pos : end])
            if text.startswith("``", end):
                parts.append("`")
                self.pos = end + 2
                continue
            self.pos = end + 1
            return "".join(parts)

    def interpolated(self, quote: str) -> list[str | list[Token]]:
        """$"text {expression} text": its parts, text (escapes read) and each expression's
        tokens (ending with an eof token at the closing brace)."""
        text, start = self.text, self.pos
        self.pos += 1
        parts: list[str | list[Token]] = []
        chars: list[str] = []
        while self.pos < len(text):
            char = text[self.pos]
            if char == quote:
                self.pos += 1
                return [*parts, "".join(chars)] if chars else parts
            if char == "\\":
                self.pos += 1
                chars.append(self.escape_sequence())
            elif char == "{":
                parts.append("".join(chars))
                chars = []
                parts.append(self.interpolation())
            else:
                chars.append(char)
                self.pos += 1
        raise Located(start - 1, "this interpolated string has no closing quote", "")

    def interpolation(self) -> list[Token]:
        """The tokens of a `{expression}` in an interpolated string, up to its `}`."""
        open_at = self.pos
        self.pos += 1
        depth = ["{"]  # newlines inside are not statement ends, `}}` is not the block's end
        tokens: list[Token] = []
        while True:
            before = self.pos
            token = self.code_token(depth)
            if token is None or token.kind == "exit" or "\n" in self.text[before : token.start]:
                raise Located(
                    open_at,
                    "this `{` in an interpolated string has no `}` on its line",
                    "close it on the same line; write `\\{` for a brace as is",
                )
            if not depth:
                tokens.append(Token("eof", None, token.start))
                return tokens
            tokens.append(token)


def _number_value(literal: str, start: int) -> int | float:
    """A number literal's value, its suffixes (u, l, f, d, m) dropped."""
    body = literal.replace("_", "")
    lower = body.lower()
    try:
        if lower.startswith("0x"):
            return int(lower[2:].rstrip("ul"), 16)
        if lower.startswith("0b"):
            return int(lower[2:].rstrip("ul"), 2)
        float_suffix = lower[-1:] in ("f", "d", "m")
        digits = lower.rstrip("fdmul")
        if float_suffix or "." in digits:
            return float(digits)
        if "e" in digits:
            mantissa, _, exponent = digits.partition("e")
            power = int(exponent)
            if power > 4000:
                raise ValueError
            return int(mantissa) * 10**power if power >= 0 else float(digits)
        return int(digits)
    except ValueError:
        raise Located(start, f"`{literal}` is not a number", "") from None


def _trimmed(tokens: list[Token], source: str) -> list[Token]:
    """Text tokens trimmed by the `-` and `~` of the blocks beside them; empty ones dropped."""
    result: list[Token] = []
    for index, token in enumerate(tokens):
        if token.kind != "text":
            result.append(token)
            continue
        value = token.value
        before = tokens[index - 1] if index > 0 else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        # escape blocks' own text is between an enter and an exit of its own: never trimmed
        escaped = before is not None and before.kind == "enter" and after is not None
        escaped = escaped and after.kind == "exit"  # type: ignore[union-attr]
        if not escaped:
            value = _trim_after(value, before.value if before and before.kind == "exit" else "")
            value = _trim_before(value, after.value if after and after.kind == "enter" else "")
        if value:
            result.append(Token("text", value, token.start))
    return _with_indents(result, source)


def _with_indents(tokens: list[Token], source: str) -> list[Token]:
    """An `indent` token after each `{{` that only spaces precede on its source line, when
    no `-` trimmed them (Scriban's auto-indentation: the lines a value writes there start
    with the same spaces)."""
    result: list[Token] = []
    for index, token in enumerate(tokens):
        result.append(token)
        if token.kind != "enter" or token.value or index == 0:
            continue
        before, after = tokens[index - 1], tokens[index + 1]
        if before.kind != "text" or after.kind == "text":  # no text before, or an escape block
            continue
        line = source[source.rfind("\n", 0, token.start) + 1 : token.start]
        if line and not line.strip(" \t") and before.value.endswith(line):
            result.append(Token("indent", line, token.start))
    return result


def _trim_after(value: str, modifier: str) -> str:
    """Text after a block ending with `-}}` (all whitespace) or `~}}` (spaces, one newline)."""
    if modifier == "-":
        return value.lstrip()
    if modifier == "~":
        value = value.lstrip(" \t")
        if value.startswith("\r\n"):
            return value[2:]
        return value[1:] if value.startswith("\n") else value
    return value


def _trim_before(value: str, modifier: str) -> str:
    """Text before a block starting with `{{-` (all whitespace) or `{{~` (spaces on the line)."""
    if modifier == "-":
        return value.rstrip()
    if modifier == "~":
        return value.rstrip(" \t")
    return value
