"""Include selectors: the part after '#' in `{{ include "partial#2-5" }}`, and the part of the
file it takes, as Retype reads them.

A selector is either line numbers (`#2`, `#2-5`, `#1-3, 5, 7-8`: inclusive, reversed and
overlapping ranges normalized, a range past the end warned about) or one name, looked up in
Retype's order (v4.4, "selector resolution"):

1. a named region: the lines between `///region name` and `///endregion`, markers left out;
2. a heading, by its id (its text's slug or an explicit `{#id}`): the heading and everything
   under it, up to the next heading of the same or a higher level;
3. a component with that id (`!!! My Callout` is `my-callout`, `{#id}` on its opening line):
   its lines from opener to closer;
4. any other block with that id: `{#id}` in a paragraph, list item or table, or an Obsidian
   block id `^id`.

Markers, headings and ids inside code blocks are text, as they are on the page. This module
reads text only: no files, pages or config; `select` works on a file's text before its
templating is expanded, so the lines it reports are the file's own.
"""

from __future__ import annotations

import heapq
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import NoReturn

from markdown_it import MarkdownIt
from markdown_it.token import Token

from docsite.diagnostics import did_you_mean
from docsite.markdown.headings import UniqueSlugs, slugify

SELECTOR_MARK = "#"
REGION_MARKER = re.compile(r"^\s*///\s*region\b\s*(?P<name>.*?)\s*$")
REGION_END = re.compile(r"^\s*///\s*endregion\b.*$")
_ANY_MARKER = re.compile(r"^\s*///\s*(?:end)?region\b", re.M)  # any line that may be one
_SELECTOR_HELP = "write line numbers (#2, #2-5, #1-3, 5) or the name of a region, heading or id"


@dataclass(frozen=True)
class Selection:
    """The selected part of a file: its text and, for messages, where each line came from."""

    text: str  # the selected lines joined with "\n", without a trailing newline
    lines: tuple[int, ...]  # the 1-based file line of each line of `text`
    warnings: tuple[str, ...] = ()  # problems that still select something


class SelectorError(Exception):
    """A selector that is malformed or selects nothing. `offset`: where in the selector the
    problem is (0 is its first character), when it is a character of it."""

    def __init__(self, message: str, hint: str = "", offset: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.offset = offset


def split_selector(name: str) -> tuple[str, str | None]:
    """'partial#2-5' -> ('partial', '2-5'); 'partial' -> ('partial', None); '#id' -> ('', 'id'),
    the including page itself. Whitespace around '#' is dropped; an empty selector stays ''."""
    path, mark, selector = name.partition(SELECTOR_MARK)
    return path.strip(), (selector.strip() if mark else None)


# ---- the selector's syntax


@dataclass(frozen=True)
class LineRange:
    """Lines `first` to `last` of an included file."""

    first: int  # first <= last, both 1-based
    last: int


@dataclass(frozen=True)
class LineList:
    """Several line ranges of an included file, in the order written."""

    ranges: tuple[LineRange, ...]


@dataclass(frozen=True)
class Name:
    """A named part of an included file: a region, a heading or an id."""

    name: str


_SELECTOR_TOKEN = re.compile(r"\s*(?:(?P<number>[0-9]+)|(?P<punct>[-,])|(?P<other>\S))")
_LINE_SELECTOR = re.compile(r"[0-9\s,-]+")


def parse_selector(selector: str) -> LineList | Name:
    """A selector read as line numbers when it holds only digits, '-', ',' and spaces, else
    as one name; SelectorError says what is malformed."""
    text = selector.strip()
    if not text:
        raise SelectorError("the selector after '#' is empty", _SELECTOR_HELP + ", or drop '#'")
    if _LINE_SELECTOR.fullmatch(text):
        return _LineParser(text, len(selector) - len(selector.lstrip())).parse()
    if SELECTOR_MARK in text:
        raise SelectorError(
            f"selector '{text}' holds another '#'",
            "an include takes one selector: a region, heading or id name, without '#'",
        )
    if "," in text:
        raise SelectorError(
            f"selector '{text}' lists names",
            "a list separated by ',' holds line numbers only; include each name on its own",
        )
    return Name(text)


@dataclass
class _LineParser:
    """`range (',' range)*` where range is `number ('-' number)?`, spaces anywhere."""

    text: str
    start: int  # the offset of `text` in the selector as written
    tokens: list[tuple[str, str, int]] = field(init=False)  # kind, text, offset in `text`
    index: int = 0

    def __post_init__(self) -> None:
        self.tokens = [
            (str(match.lastgroup), match.group(str(match.lastgroup)), match.start(match.lastgroup))
            for match in _SELECTOR_TOKEN.finditer(self.text)
        ]

    def parse(self) -> LineList:
        ranges = [self._range()]
        while self._peek("punct") == ",":
            self.index += 1
            ranges.append(self._range())
        if self.index < len(self.tokens):
            _, text, _ = self.tokens[self.index]
            after = self.tokens[self.index - 1][1]
            self._fail(f"expected ',' between '{after}' and '{text}'", "separate lines with ','")
        return LineList(tuple(ranges))

    def _range(self) -> LineRange:
        first = self._number()
        if self._peek("punct") != "-":
            return LineRange(first, first)
        self.index += 1
        last = self._number()
        if self._peek("punct") == "-":
            self._fail("a range has one '-'", "write a range as 2-5, or list lines with ','")
        return LineRange(min(first, last), max(first, last))

    def _number(self) -> int:
        if self._peek("number") is None:
            before = self.tokens[self.index - 1][1] if self.index else ""
            where = f"after '{before}'" if before else "first"
            self._fail(f"expected a line number {where}", "write a line as 2, a range as 2-5")
        digits = self.tokens[self.index][1].lstrip("0") or "0"
        # Past any file's end; int() refuses thousands of digits.
        number = int(digits) if len(digits) <= 18 else sys.maxsize
        if number < 1:
            self._fail("line numbers start at 1", "the first line of the file is line 1")
        self.index += 1
        return number

    def _peek(self, kind: str) -> str | None:
        if self.index < len(self.tokens) and self.tokens[self.index][0] == kind:
            return self.tokens[self.index][1]
        return None

    def _fail(self, problem: str, hint: str) -> NoReturn:
        """Raises the problem, at the token being read (or just after the last one)."""
        at = self.tokens[self.index][2] if self.index < len(self.tokens) else len(self.text)
        raise SelectorError(f"line selector '{self.text}': {problem}", hint, self.start + at)


# ---- what a file is made of


@dataclass(frozen=True)
class Target:
    """Something a name selects: a region, heading section, component or block."""

    kind: str  # "region", "heading", "component" or "block", for messages
    name: str
    line: int  # the line that names it: its region marker, heading, opener or block
    first: int  # its first and last line (1-based; last < first when it is empty)
    last: int
    closer: int | None = None  # a line after `last` it takes too: its group's closing marker


# Retype's block components: `!!!` callouts, `===` panels, `+++` tabs, `>>>` steps, `:::`
# containers; longer markers nest, `!!-` `==-` (and `+`) start collapsed (or open).
_COMPONENT = re.compile(
    r"^ {0,3}(?P<marker>(?P<char>[!=+>:])(?P=char){2,}|!![-+]|==[-+])(?P<rest>.*)$"
)
_STACKED = "+=>"  # a titled marker inside the group starts its next item
_TRAILING_ATTRIBUTES = re.compile(r"\s*\{(?P<inside>[^{}]*)\}\s*$")
_ATTRIBUTES = re.compile(r"(?<!\{)\{(?!\{)(?P<inside>[^{}]*)\}(?!\})")  # not `{{ }}`
_ID_IN_ATTRIBUTES = re.compile(r"(?:^|\s)#(?P<id>[^\s#.{}=]+)")
_BLOCK_ID = re.compile(r"(?:^|\s)\^(?P<id>[A-Za-z0-9-]+)\s*$")
_INLINE_COMPONENT = re.compile(r"\[!\w+[^\]]*\](?:\([^)]*\))?|:icon-[\w-]+:")
_NODES = ("paragraph_open", "list_item_open", "table_open", "blockquote_open")

_PARSER = MarkdownIt("commonmark").enable("table")
_BLOCKS = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


def explicit_id(attributes: str) -> str:
    """The `#id` inside an attribute block's braces, or ''."""
    found = _ID_IN_ATTRIBUTES.search(attributes)
    return found.group("id") if found else ""


class Outline:
    """The regions, headings, components and blocks of one file's text, with their lines.
    Each kind is found once, in time linear in the file, when a name is first looked up."""

    def __init__(self, text: str):
        self.lines = file_lines(text)
        self.tokens = _BLOCKS.parse("\n".join(self.lines))
        self.code = _code_lines(self.tokens)
        self.warnings: dict[str, list[str]] = {}  # by the name they are about
        self.spans: list[tuple[int, int]] = []  # first and last line of each component item
        self.markers: set[int] = set()  # the lines of component markers
        self.components = _components(self)
        if self.markers:  # CommonMark would read `>>>` as quotes, `===` as a heading's line
            masked = ["" if n in self.markers else line for n, line in enumerate(self.lines, 1)]
            self.tokens = _BLOCKS.parse("\n".join(masked))

    def warn(self, name: str, message: str) -> None:
        self.warnings.setdefault(name, []).append(message)

    def text_lines(self) -> list[tuple[int, str]]:
        """(line number, text) of every line outside code blocks."""
        return [(n, line) for n, line in enumerate(self.lines, 1) if n not in self.code]

    @cached_property
    def region_marker_lines(self) -> frozenset[int]:
        return frozenset(
            n
            for n, line in self.text_lines()
            if REGION_MARKER.match(line) or REGION_END.match(line)
        )

    @cached_property
    def regions(self) -> dict[str, Target]:
        return _regions(self)

    @cached_property
    def headings(self) -> dict[str, Target]:
        return _headings(self)

    @cached_property
    def blocks(self) -> dict[str, Target]:
        return _blocks(self)

    def find(self, name: str) -> Target | None:
        """The target a name selects, in Retype's order; a name with spaces or capitals is
        also tried as a heading's text (`Onboarding Flow` for `onboarding-flow`)."""
        for candidate in dict.fromkeys((name, slugify(name))):
            for targets in (self.regions, self.headings, self.components, self.blocks):
                if candidate in targets:
                    return targets[candidate]
        return None

    def lines_of(self, target: Target) -> tuple[int, ...]:
        """The lines a target takes: region markers are no content, a group's closer is."""
        markers = self.region_marker_lines
        lines = [n for n in range(target.first, target.last + 1) if n not in markers]
        return tuple(lines + ([target.closer] if target.closer else []))

    def names(self) -> dict[str, list[str]]:
        """The names of each kind, for a message about a name that is not there."""
        kinds = {
            "regions": self.regions,
            "headings": self.headings,
            "components": self.components,
            "blocks": self.blocks,
        }
        return {kind: list(targets) for kind, targets in kinds.items() if targets}

    def last_content_line(self, first: int, last: int) -> int:
        """`last`, moved up over blank lines (not above `first`)."""
        while last > first and not self.lines[last - 1].strip():
            last -= 1
        return last


_LINE_END = re.compile(r"\r\n?|\n")


def file_lines(text: str) -> list[str]:
    """A file's lines without their line ends (`\n`, `\r\n` or `\r`, as Markdown reads
    them); a final line end ends the last line."""
    lines = _LINE_END.split(text)
    return lines[:-1] if lines[-1] == "" else lines


def _code_lines(tokens: list[Token]) -> frozenset[int]:
    """The 1-based lines of fenced and indented code blocks, their fences included."""
    lines: set[int] = set()
    for token in tokens:
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(token.map[0] + 1, token.map[1] + 1))
    return frozenset(lines)


def _add(outline: Outline, found: dict[str, Target], target: Target) -> None:
    """Keeps the first target of a name, and warns about a second one."""
    if target.name in found:
        first = found[target.name]
        outline.warn(
            target.name,
            f"{target.kind} '{target.name}' is named twice (lines {first.line} and "
            f"{target.line}); the first one is used",
        )
        return
    found[target.name] = target


def _regions(outline: Outline) -> dict[str, Target]:
    """`///region name` ... `///endregion`; regions nest, an end closes the innermost."""
    found: dict[str, Target] = {}
    open_regions: list[tuple[str, int]] = []
    for number, line in outline.text_lines():
        if start := REGION_MARKER.match(line):
            open_regions.append((start.group("name"), number))
        elif REGION_END.match(line) and open_regions:
            name, first = open_regions.pop()
            _add(outline, found, Target("region", name, first, first + 1, number - 1))
    for name, first in reversed(open_regions):
        outline.warn(
            name,
            f"region '{name}' (line {first}) has no '///endregion': it runs to the end of the file",
        )
        _add(outline, found, Target("region", name, first, first + 1, len(outline.lines)))
    found.pop("", None)
    return found


@dataclass(frozen=True)
class _Heading:
    """A heading of an included file, and how far its section runs."""

    level: int
    line: int  # 1-based
    id: str
    slug: str  # its text's slug, which also names it when it has an explicit id
    bound: int  # the last line of the block that holds it (the file's last line at the top)


def _headings(outline: Outline) -> dict[str, Target]:
    """Each heading's section: from its line to the line before the next heading of its level
    or a higher one, within the block that holds it; trailing blank lines left out."""
    headings = _heading_list(outline)
    ends = _section_ends(headings)
    found: dict[str, Target] = {}
    for heading, end in zip(headings, ends, strict=True):
        last = outline.last_content_line(heading.line, min(end, heading.bound))
        _add(outline, found, Target("heading", heading.id, heading.line, heading.line, last))
    for heading in headings:  # `## Title {#id}` is also `#title`, when no other heading is
        if heading.slug and heading.slug not in found:
            section = found[heading.id]
            found[heading.slug] = Target(
                "heading", heading.slug, section.line, section.first, section.last
            )
    return found


def _section_ends(headings: list[_Heading]) -> list[int]:
    """For each heading, the line before the next heading of its level or a higher one
    (a large number when none follows): one pass, with the headings still open."""
    ends = [sys.maxsize] * len(headings)
    open_headings: list[int] = []  # indexes, their levels rising
    for index, heading in enumerate(headings):
        while open_headings and headings[open_headings[-1]].level >= heading.level:
            ends[open_headings.pop()] = heading.line - 1
        open_headings.append(index)
    return ends


def _heading_list(outline: Outline) -> list[_Heading]:
    """The file's headings with their unique ids (explicit ids first taken, as on the page)."""
    tokens = outline.tokens
    found = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or not token.map:
            continue
        text = tokens[index + 1].content if index + 1 < len(tokens) else ""
        attributes = _TRAILING_ATTRIBUTES.search(text)
        explicit = explicit_id(attributes.group("inside")) if attributes else ""
        title = text[: attributes.start()] if attributes else text
        found.append((index, token.map[0] + 1, explicit, _heading_text(title)))
    slugs = UniqueSlugs({explicit for _, _, explicit, _ in found if explicit})
    bounds = _bounds(outline, [(index, line) for index, line, _, _ in found])
    return [
        _Heading(
            level=int(tokens[index].tag[1:]),
            line=line,
            id=explicit or slugs.add(slugify(title) or "section"),
            slug=slugify(title),
            bound=bound,
        )
        for (index, line, explicit, title), bound in zip(found, bounds, strict=True)
    ]


def _bounds(outline: Outline, headings: list[tuple[int, int]]) -> list[int]:
    """For each (token index, line) of a heading, the last line of the innermost list item,
    quote or component that holds it, or the file's last line."""
    spans = sorted(outline.spans)
    started: list[tuple[int, int]] = []  # (last, first) of the spans begun before the line
    bounds = []
    next_span = 0
    for index, line in headings:  # in the file's order
        while next_span < len(spans) and spans[next_span][0] < line:
            first, last = spans[next_span]
            heapq.heappush(started, (last, first))
            next_span += 1
        while started and started[0][0] < line:
            heapq.heappop(started)
        end = _container_end(outline.tokens, index, len(outline.lines))
        bounds.append(min(end, started[0][0]) if started else end)
    return bounds


def _heading_text(title: str) -> str:
    """A heading's text as its id is made of: its words and code, without markup or the
    components (badges, icons) in it."""
    title = _INLINE_COMPONENT.sub("", title)
    parsed = _PARSER.parseInline(title)
    children = (parsed[0].children or []) if parsed else []
    return "".join(c.content for c in children if c.type in ("text", "code_inline"))


def _container_end(tokens: list[Token], index: int, last_line: int) -> int:
    """The last line of the block (list item, quote) that holds token `index`."""
    level = tokens[index].level
    if level == 0:
        return last_line
    for position in range(index - 1, -1, -1):
        token = tokens[position]
        if token.level < level and token.nesting == 1 and token.map:
            return token.map[1]
    return last_line


@dataclass
class _Open:
    """A component being read: its marker and the first line of each of its items."""

    char: str
    length: int
    items: list[tuple[int, str]]  # (first line, id) of each item


def _components(outline: Outline) -> dict[str, Target]:
    """Components by id: a callout or container from opener to closer, an item of a tab,
    panel or step group as that item alone, with the group's closing line. A bare marker
    closes the open component it matches; a bare `===`, `+++` or `>>>` opens nothing."""
    found: dict[str, Target] = {}
    stack: list[_Open] = []
    for number, line in outline.text_lines():
        match = _COMPONENT.match(line)
        if match is None:
            continue
        marker, rest = match.group("marker"), match.group("rest")
        char, length, titled = marker[0], len(marker), bool(rest.strip())
        top = stack[-1] if stack else None
        same = top is not None and (top.char, top.length) == (char, length)
        if not titled and same:
            _close(outline, found, stack.pop(), number, number)
        elif titled and same and top is not None and char in _STACKED:
            top.items.append((number, _component_id(marker, rest)))
        elif titled or char not in _STACKED:
            stack.append(_Open(char, length, [(number, _component_id(marker, rest))]))
        else:
            continue
        outline.markers.add(number)
    while stack:
        _close(outline, found, stack.pop(), len(outline.lines) + 1, None)
    return found


def _close(
    outline: Outline, found: dict[str, Target], group: _Open, end: int, closer: int | None
) -> None:
    """The targets of a component whose closing line is `closer` (None: the file ended)."""
    starts = [first for first, _ in group.items] + [end]
    for (first, name), after in zip(group.items, starts[1:], strict=True):
        outline.spans.append((first, after - 1))
        if name:
            last = outline.last_content_line(first, after - 1)
            _add(outline, found, Target("component", name, first, first, last, closer))


def _component_id(marker: str, rest: str) -> str:
    """A component's id: `{#id}` on its opening line, else its title's slug (a callout's
    variant, written against the marker, is no part of its title)."""
    attributes = _TRAILING_ATTRIBUTES.search(rest)
    if attributes:
        explicit = explicit_id(attributes.group("inside"))
        if explicit:
            return explicit
        rest = rest[: attributes.start()]
    if marker[0] == ":":
        return ""  # a container's opener names classes, not a title
    if marker[0] == "!" and rest[:1].strip():
        rest = rest.partition(" ")[2]
    return slugify(_INLINE_COMPONENT.sub("", rest))


def _blocks(outline: Outline) -> dict[str, Target]:
    """Blocks by a `{#id}` in them or an Obsidian `^id` ending them; a `{#id}` or `^id` on a
    line of its own names the block after it, or before it."""
    headings = {t.map[0] + 1 for t in outline.tokens if t.type == "heading_open" and t.map}
    ids = [
        (number, found)
        for number, line in outline.text_lines()
        if number not in outline.markers and number not in headings
        for found in _ids_on(line)
    ]
    if not ids:
        return {}
    innermost = _innermost_nodes(outline.tokens)
    found: dict[str, Target] = {}
    for number, (name, alone, after) in ids:
        node = _node_at(outline.tokens, innermost.get(number), alone, after)
        if node is not None and node.map:
            first = node.map[0] + 1
            last = outline.last_content_line(first, node.map[1])
            _add(outline, found, Target("block", name, number, first, last))
    return found


def _ids_on(line: str) -> list[tuple[str, bool, bool]]:
    """(id, alone on its line, names the block after it) of each id a line holds; a block
    id keeps its '^', as the page's anchor does."""
    ids = []
    for attributes in _ATTRIBUTES.finditer(line):
        if name := explicit_id(attributes.group("inside")):
            ids.append((name, line.strip() == attributes.group(), True))
    if block := _BLOCK_ID.search(line):
        ids.append(("^" + block.group("id"), line.strip() == block.group().strip(), False))
    return ids


def _innermost_nodes(tokens: list[Token]) -> dict[int, int]:
    """For each line, the index of the innermost paragraph, list item, table or quote that
    holds it: inner blocks come after the blocks around them, and overwrite them."""
    innermost: dict[int, int] = {}
    for index, token in enumerate(tokens):
        if token.type in _NODES and token.map:
            for line in range(token.map[0] + 1, token.map[1] + 1):
                innermost[line] = index
    return innermost


def _node_at(tokens: list[Token], index: int | None, alone: bool, after: bool) -> Token | None:
    """The block an id names, given the innermost block holding its line: that block (a
    list item for its first paragraph); for an id alone on its line, the block right after
    it (`{#id}`) or right before it (`^id`)."""
    if index is None:
        return None
    node = tokens[index]
    if node.type == "paragraph_open" and index and tokens[index - 1].type == "list_item_open":
        index, node = index - 1, tokens[index - 1]
    if not alone:
        return node
    if after:
        return _block_after(tokens, index)
    return _block_before(tokens, index)


def _block_after(tokens: list[Token], index: int) -> Token | None:
    """The block that starts right after the one that opens at token `index`."""
    depth = 0
    for position in range(index, len(tokens)):
        depth += tokens[position].nesting
        if depth == 0:
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            if following is None or following.level != tokens[index].level:
                return None
            return following if following.nesting != -1 and following.map else None
    return None


def _block_before(tokens: list[Token], index: int) -> Token | None:
    """The opening token of the block that ends right before token `index`, at its level."""
    level = tokens[index].level
    if index < 1 or tokens[index - 1].nesting != -1 or tokens[index - 1].level != level:
        return None
    depth = 0
    for position in range(index - 1, -1, -1):
        depth += tokens[position].nesting
        if depth == 0:
            return tokens[position]
    return None


# ---- selecting


def select(text: str, selector: str) -> Selection:
    """The part of a file's text a selector names; SelectorError when the selector is
    malformed or names nothing there."""
    parsed = parse_selector(selector)
    if isinstance(parsed, LineList):
        return _select_lines(file_lines(text), parsed)
    outline = Outline(text)
    target = outline.find(parsed.name)
    if target is None:
        raise SelectorError(
            f"no region, heading or id '{parsed.name}' in the file",
            _names_hint(parsed.name, outline.names()),
        )
    chosen = outline.lines_of(target)
    if not chosen:
        raise SelectorError(
            f"{target.kind} '{parsed.name}' is empty", "put the lines to include inside it"
        )
    warnings = tuple(outline.warnings.get(target.name, ()))
    return Selection("\n".join(outline.lines[n - 1] for n in chosen), chosen, warnings)


def region_markers(text: str) -> frozenset[int]:
    """The 1-based lines of a file's `///region` and `///endregion` markers outside code,
    which a page does not show. (Most pages have none: only those with a marker line are
    parsed for the code blocks a marker may sit in.)"""
    if _ANY_MARKER.search(text) is None:
        return frozenset()
    return Outline(text).region_marker_lines


def _select_lines(lines: list[str], selector: LineList) -> Selection:
    """Line ranges, as one ordered set of lines; the part of a range past the end is
    warned about and left out."""
    count = len(lines)
    chosen: set[int] = set()
    warnings = []
    for line_range in selector.ranges:
        if line_range.last > count:
            past = LineRange(max(line_range.first, count + 1), line_range.last)
            warnings.append(f"{_shown(past)} past the end of the file, which has {_lines(count)}")
        chosen.update(range(line_range.first, min(line_range.last, count) + 1))
    if not chosen:
        raise SelectorError(
            f"the file has {_lines(count)}: no line to select",
            f"select lines 1 to {count}" if count else "write something in the file",
        )
    ordered = tuple(sorted(chosen))
    return Selection("\n".join(lines[n - 1] for n in ordered), ordered, tuple(warnings))


def _shown(line_range: LineRange) -> str:
    if line_range.first == line_range.last:
        return f"line {line_range.first} is"
    return f"lines {line_range.first}-{line_range.last} are"


def _lines(count: int) -> str:
    return "1 line" if count == 1 else f"{count} lines"


def _names_hint(name: str, names: dict[str, list[str]]) -> str:
    """A did-you-mean over every name the file has, and the names of each kind."""
    every = [n for kind in names.values() for n in kind]
    if close := did_you_mean(name, every):
        return close
    if not every:
        return (
            "the file has no region, heading or id: mark the lines with '///region name' "
            "and '///endregion', or select lines (#2-5)"
        )
    listed = "; ".join(f"{kind}: {', '.join(found[:8])}" for kind, found in names.items())
    return f"the file has {listed}"
