"""The template language's syntax, as Retype writes it: values such as `{{ page.label }}`,
`{{ include "file" }}`, `{{ for x in list }}` and `{{ if value }} ... {{ else }} ... {{ end }}`.

A lexer cuts a text into plain text and tags, skipping code blocks and code spans (never
templated) and taking `{%{ ... }%}` as text written as is; a parser nests the tags into nodes
that keep their source positions. Nothing here knows pages, config or files.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

# Where text comes from -------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where a line of expanded text came from, for messages."""

    file: str  # as messages show it
    line: int
    page_line: int  # the page's own line: the include call, for included text


@dataclass(frozen=True)
class Source:
    """One text being expanded: a page body or an included file."""

    text: str
    shown: str  # the file as messages show it
    first_line: int  # file line of the text's first line
    call_line: int | None = None  # the page line of the include call, None for the page
    markdown: bool = True  # HTML has no code blocks: indented lines are templated too

    def origin(self, line: int) -> Origin:
        """Where file line `line` of this text comes from, for messages."""
        return Origin(self.shown, line, self.call_line or line)


# Lexer: text and tags --------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Text shown as written (code and escaped text included): `text[start:end]`."""

    start: int
    end: int


@dataclass(frozen=True)
class Tag:
    """A `{{ expression }}`: `start` is at its '{{', `end` just after its '}}'."""

    expression: str  # stripped
    start: int
    end: int


@dataclass(frozen=True)
class Problem:
    """A syntax error at an offset of the text, reported when the text is expanded."""

    offset: int
    message: str
    hint: str


# What can start something the lexer acts on: an escaped backtick, a code span's
# backticks, an escape block, an expression.
_TOKEN = re.compile(r"\\[\\`]|`+|\{%\{|\{\{")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_CONTROL = re.compile(r"^(?:for|if|else|end)\b")

# Block structure only, to find code blocks: no inline parsing, no plugins.
_BLOCKS = MarkdownIt("commonmark").disable(["inline", "text_join"])


def lex(
    text: str, markdown: bool = True, starts: list[int] | None = None
) -> tuple[list[Text | Tag], list[Problem]]:
    """The text cut into plain text (code included) and `{{ }}` tags, in order; `markdown`
    False (HTML) has no code blocks. `starts`: the text's line starts, if known already."""
    lexer = _Lexer(text, markdown, line_starts(text) if starts is None else starts)
    lexer.run()
    return lexer.tokens, lexer.problems


class _Lexer:
    """One text's tokens, found left to right."""

    def __init__(self, text: str, markdown: bool, starts: list[int]):
        self.text = text
        self.starts = starts
        self.code = _code_lines(text) if markdown else set()
        # Each search goes forward from the last one's place: linear however many '{{'.
        self.next_close, self.next_unescape = _Next(text, "}}"), _Next(text, "}%}")
        self.next_blank = _Next(text, _BLANK_LINE)
        self.unclosed: set[tuple[int, int]] = set()  # see _after_code_span
        self.tokens: list[Text | Tag] = []
        self.problems: list[Problem] = []
        self.copied = 0  # the text before this is in `tokens`

    def run(self) -> None:
        """Finds every token, skipping code: each step goes on where the last one stopped."""
        text, starts, pos = self.text, self.starts, 0
        while (match := _TOKEN.search(text, pos)) is not None:
            line_index = bisect.bisect_right(starts, match.start()) - 1
            token = match.group()
            if line_index in self.code:
                pos = _end_of_code(self.code, line_index, starts, len(text))
            elif token.startswith("\\"):
                pos = match.end()  # an escaped backtick, or an escaped backslash
            elif token.startswith("`"):
                blank = self.next_blank.at_or_after(match.end())
                paragraph_end = blank if blank >= 0 else len(text)
                pos = _after_code_span(text, match, self.code, starts, paragraph_end, self.unclosed)
            elif token == "{%{":
                pos = self._escaped(match)
            else:
                pos = self._tag(match)
        self._text(self.copied, len(text))

    def _escaped(self, match: re.Match[str]) -> int:
        """`{%{ ... }%}`: its inside as text. Returns where lexing goes on."""
        close = self.next_unescape.at_or_after(match.end())
        if close < 0:
            message, hint = "'{%{' is never closed", "end the escaped text with '}%}'"
            self.problems.append(Problem(match.start(), message, hint))
            return match.end()
        self._text(self.copied, match.start())
        self._text(match.end(), close)
        self.copied = close + 3
        return self.copied

    def _tag(self, match: re.Match[str]) -> int:
        """`{{ ... }}` closed before the paragraph ends. Returns where lexing goes on."""
        text = self.text
        close = self.next_close.at_or_after(match.end())
        blank = self.next_blank.at_or_after(match.end())
        if close < 0 or 0 <= blank < close:
            return match.end()  # not an expression, just braces in the text
        expression = text[match.end() : close].strip()
        begin, end = match.start(), close + 2
        if _CONTROL.match(expression):
            # A loop or condition tag alone on its line takes the line with it.
            line_start = text.rfind("\n", 0, begin) + 1
            line_end = text.find("\n", end)
            line_end = len(text) if line_end < 0 else line_end + 1
            if line_start >= self.copied and not (
                text[line_start:begin].strip() or text[end:line_end].strip()
            ):
                begin, end = line_start, line_end
        self._text(self.copied, begin)
        self.tokens.append(Tag(expression, match.start(), close + 2))
        self.copied = end
        return end

    def _text(self, start: int, end: int) -> None:
        if end > start:
            self.tokens.append(Text(start, end))


class _Next:
    """Where a string or pattern next occurs in a text, for positions that only grow."""

    def __init__(self, text: str, what: str | re.Pattern[str]):
        self.text = text
        self.what = what
        self.found = -2  # not searched yet; -1: no more

    def at_or_after(self, pos: int) -> int:
        if self.found == -1 or (self.found >= pos):
            return self.found
        if isinstance(self.what, str):
            self.found = self.text.find(self.what, pos)
        else:
            match = self.what.search(self.text, pos)
            self.found = match.start() if match else -1
        return self.found


def line_starts(text: str) -> list[int]:
    """The offset where each line of `text` starts."""
    starts = [0]
    index = text.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _code_lines(text: str) -> set[int]:
    """Line indexes inside fenced or indented code blocks, by CommonMark's block rules."""
    lines: set[int] = set()
    for token in _BLOCKS.parse(text):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(*token.map))
    return lines


def _end_of_code(code: set[int], index: int, starts: list[int], end: int) -> int:
    while index in code:
        index += 1
    return starts[index] if index < len(starts) else end


def _after_code_span(
    text: str,
    opener: re.Match[str],
    code: set[int],
    starts: list[int],
    paragraph_end: int,
    unclosed: set[tuple[int, int]],
) -> int:
    """Where scanning goes on after backticks: past the code span they open, or past the
    backticks alone when no run of the same length closes them within the paragraph.
    `unclosed` remembers (run length, paragraph end) pairs already searched in vain."""
    run = len(opener.group())
    if (run, paragraph_end) in unclosed:
        return opener.end()
    closer = re.compile(rf"(?<!`)`{{{run}}}(?!`)")
    close = closer.search(text, opener.end(), paragraph_end)
    if close is None:
        unclosed.add((run, paragraph_end))
        return opener.end()
    first = bisect.bisect_right(starts, opener.end()) - 1
    last = bisect.bisect_right(starts, close.start()) - 1
    if any(i in code for i in range(first, last + 1)):
        return opener.end()
    return close.end()


# Parser: nodes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """`{{ page.label }}`: a value, shown as text."""

    path: str
    start: int  # of the tag, as in Tag
    end: int


@dataclass(frozen=True)
class Include:
    """`{{ include "file" }}`: the file's text, expanded in its place."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Unsupported:
    """Any other `{{ }}`: an error each time it runs."""

    expression: str
    start: int
    end: int


@dataclass(frozen=True)
class Condition:
    """`path`, `!path`, `path == "text"`, `path != 2`, as written in `text`; `left` is ''
    when it cannot be read (an error each time it is tested)."""

    text: str
    negate: bool = False
    left: str = ""  # a value's path
    operator: str = ""  # '==' or '!=', '' to test the value itself
    right: str = ""  # a literal or a value's path, as written


@dataclass
class For:
    """`{{ for name in path }}` ... `{{ end }}`; start and end are those of the opening tag."""

    name: str
    path: str
    start: int
    end: int
    body: list[Node] = field(default_factory=list)


@dataclass
class Branch:
    """`{{ if }}`, `{{ else if }}` or `{{ else }}` and what follows it up to the next one."""

    condition: Condition | None  # None for a plain else
    start: int  # of its tag
    end: int
    body: list[Node] = field(default_factory=list)


@dataclass
class If:
    """`{{ if }}` ... `{{ end }}`: the first branch whose condition holds runs."""

    branches: list[Branch]

    @property
    def start(self) -> int:
        return self.branches[0].start


Node = Text | Value | Include | Unsupported | For | If

_INCLUDE = re.compile(r"""^include\s+(?:"([^"]*)"|'([^']*)')$""")
_VALUE = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\s*\d+\s*\]|\[\s*\"[^\"]*\"\s*\])*"
_PATH = re.compile(rf"^{_VALUE}$")
_FOR = re.compile(r"^for\s+([A-Za-z_]\w*)\s+in\s+(\S.*)$")
_IF = re.compile(r"^if\s+(\S.*)$")
_ELSE = re.compile(r"^else(?:\s+if\s+(\S.*))?$")
_CONDITION = re.compile(
    rf"^(!\s*|not\s+)?({_VALUE})(?:\s*(==|!=)\s*(\"[^\"]*\"|'[^']*'|-?\d+(?:\.\d+)?|{_VALUE}))?$"
)


def parse(tokens: list[Text | Tag]) -> tuple[list[Node], list[Problem]]:
    """Tokens nested by Retype's `{{ for }}` and `{{ if }}` ... `{{ end }}`, each tag read
    into its node."""
    root: list[Node] = []
    stack: list[tuple[For | If | None, list[Node]]] = [(None, root)]
    problems: list[Problem] = []
    for token in tokens:
        body = stack[-1][1]
        if isinstance(token, Text):
            body.append(token)
            continue
        expression = token.expression
        loop, condition = _FOR.match(expression), _IF.match(expression)
        otherwise = _ELSE.match(expression)
        if loop is not None:
            node: For | If = For(loop.group(1), loop.group(2).strip(), token.start, token.end)
            body.append(node)
            stack.append((node, node.body))
        elif condition is not None:
            branch = Branch(_condition(condition.group(1).strip()), token.start, token.end)
            node = If([branch])
            body.append(node)
            stack.append((node, branch.body))
        elif otherwise is not None or expression == "end":
            problem = _close(stack, token, otherwise)
            if problem is not None:
                problems.append(problem)
        else:
            body.append(_expression(token))
    for owner, _ in stack[1:]:
        assert owner is not None
        problems.append(Problem(owner.start, "this block is never closed", "end it with {{ end }}"))
    return root, problems


def _close(
    stack: list[tuple[For | If | None, list[Node]]], tag: Tag, otherwise: re.Match[str] | None
) -> Problem | None:
    """An `{{ else }}` or `{{ end }}`: the next branch, or the end of the open block."""
    owner = stack[-1][0]
    wrong = owner is None or (otherwise is not None and not isinstance(owner, If))
    if not wrong and otherwise is not None:
        assert isinstance(owner, If)
        wrong = owner.branches[-1].condition is None  # after a plain else
    if wrong:
        return Problem(
            tag.start,
            f"'{{{{ {tag.expression} }}}}' closes no {{{{ if }}}} or {{{{ for }}}}",
            "remove it, or open the block it closes",
        )
    if otherwise is not None:
        assert isinstance(owner, If)
        text = otherwise.group(1)
        branch = Branch(_condition(text) if text is not None else None, tag.start, tag.end)
        owner.branches.append(branch)
        stack[-1] = (owner, branch.body)
    else:
        stack.pop()
    return None


def _expression(tag: Tag) -> Include | Value | Unsupported:
    """A tag that opens no block: an include, a value, or something docsite does not know."""
    include = _INCLUDE.match(tag.expression)
    if include is not None:
        return Include(include.group(1) or include.group(2) or "", tag.start, tag.end)
    if _PATH.match(tag.expression):
        return Value(tag.expression, tag.start, tag.end)
    return Unsupported(tag.expression, tag.start, tag.end)


def _condition(text: str) -> Condition:
    match = _CONDITION.match(text)
    if match is None:
        return Condition(text)
    negate, left, operator, right = match.groups()
    return Condition(text, bool(negate), left, operator or "", right or "")


# A source, read ----------------------------------------------------------------------------


@dataclass
class Template:
    """A source read into nodes, and its syntax errors: what an Evaluator runs."""

    source: Source
    nodes: list[Node]
    problems: list[Problem]  # reported when it runs
    starts: list[int]  # the offset where each line of the text starts

    @classmethod
    def read(cls, source: Source) -> Template:
        """The source lexed and parsed, its lexer's problems before its parser's."""
        starts = line_starts(source.text)
        tokens, lex_problems = lex(source.text, source.markdown, starts)
        nodes, parse_problems = parse(tokens)
        return cls(source, nodes, lex_problems + parse_problems, starts)

    def line(self, offset: int) -> int:
        """The file line of an offset of the text."""
        return self.source.first_line + bisect.bisect_right(self.starts, offset) - 1

    def column(self, offset: int) -> int:
        return offset - self.starts[bisect.bisect_right(self.starts, offset) - 1] + 1

    def origin(self, offset: int) -> Origin:
        return self.source.origin(self.line(offset))
