"""The shape shared by Retype's block components: a marker line, nested content, a closing line.

`!!!warning Title`, `+++ Tab`, `=== Panel` open a block and a line holding only the marker
closes it. In stacked kinds (tabs, steps, columns, panels) another titled marker line starts
the next item. The same kind nests inside itself with a longer marker (`++++` around `+++`);
callouts and containers also nest by pairing titled openers with bare closers. Content is
parsed as ordinary blocks, so every component nests inside every other one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from docsite.markdown.context import RenderContext

_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_LIST_ALTS = ["paragraph", "reference", "blockquote", "list"]


@dataclass(frozen=True)
class BlockKind:
    """A kind of fenced component (callout, tab, panel): its marker and how it is written."""

    name: str  # how messages call it, e.g. "callout"
    char: str  # the marker character, e.g. "!"
    stacked: bool  # a titled marker line starts the next item
    flags: str = ""  # characters that may end a marker: "-" in "!!-", "+" in "!!+"
    attached: bool = False  # the text may follow the marker without a space ("!!!warning")
    needs_title: bool = True  # a bare marker is then only ever a closing line
    warn_glued: bool = False  # "+++Tab" is not an opener (as in Retype): say how to write it

    def closer(self, length: int = 3) -> str:
        return self.char * length


@dataclass(frozen=True)
class Marker:
    """A component's marker line, read."""

    length: int  # of the whole marker, flag included
    flag: str  # "", "-" or "+"
    text: str  # the rest of the line, stripped
    raw: str  # the marker as written, for messages


@dataclass
class Item:
    """One titled part of a component block (a tab, a panel)."""

    line: int  # the item's marker line
    marker: Marker
    end: int = 0  # the line after its content


@dataclass
class Block:
    """A component block's items and where it closes."""

    items: list[Item] = field(default_factory=list)
    close_line: int | None = None  # None when the block is never closed
    stop: int = 0  # the first line after the whole block


def line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def line_starts(state: StateBlock, line: int, prefix: str) -> bool:
    """Whether the line's text starts with `prefix`: rules tried on every line test this
    before cutting the line out."""
    return state.src.startswith(prefix, state.bMarks[line] + state.tShift[line], state.eMarks[line])


def read_marker(text: str, kind: BlockKind) -> Marker | None:
    """The marker at the start of a line, or None when the line is not one of this kind's."""
    run = len(text) - len(text.lstrip(kind.char))
    flag = ""
    if run >= 2 and len(text) > run and text[run] in kind.flags:
        flag = text[run]
    length = run + len(flag)
    if length < 3 or (not flag and run < 3):
        return None
    rest = text[length:]
    if rest and not rest[0].isspace() and not kind.attached:
        return None
    return Marker(length, flag, rest.strip(), text[:length])


def open_marker(state: StateBlock, line: int, kind: BlockKind) -> Marker | None:
    begin = state.bMarks[line] + state.tShift[line]
    # Every kind's rule is tried on every line: most lines fail at their first character.
    if begin >= state.eMarks[line] or state.src[begin] != kind.char:
        return None
    if state.is_code_block(line):
        return None
    return read_marker(line_text(state, line), kind)


def scan(state: StateBlock, start: int, end: int, kind: BlockKind, opening: Marker) -> Block:
    """Find the block's items and closing line, skipping fenced code and deeper blocks.

    A scan also notes where each block nested in it (same kind and marker) ends, so theirs
    is a lookup: scanning again at every level is quadratic in the depth. A block that
    would never close because a code block in it is left open closes as Retype closes it:
    at its own closing marker, which then ends the code block too (with a warning)."""
    block, open_fence = _scan(state, start, end, kind, opening, loose=False)
    if block.close_line is None and open_fence is not None:
        loose, cut_fence = _scan(state, start, end, kind, opening, loose=True)
        if loose.close_line is not None and cut_fence is not None:
            closer = read_marker(line_text(state, loose.close_line), kind)
            _warn_open_fence(state, cut_fence, kind, closer.raw if closer else kind.closer())
            return loose
    return block


def _scan(
    state: StateBlock, start: int, end: int, kind: BlockKind, opening: Marker, loose: bool
) -> tuple[Block, int | None]:
    """The block, and the line of a code block left open in it (None when none is). When
    `loose`, a marker line of the block also ends an open code block: then the line of the
    first code block it ended."""
    known = _block_ends(state)
    place = (kind.name, opening.length, state.blkIndent)
    if (*place, start) in known:
        return _known_block(start, opening, known[(*place, start)], end), None
    block = Block(items=[Item(start, opening)])
    depth = 0
    nested: list[int] = []  # the opening lines of the deeper blocks still open
    fence, fence_line, cut = "", 0, None
    line = start + 1
    while line < end:
        begin = state.bMarks[line] + state.tShift[line]
        if begin < state.eMarks[line] and state.sCount[line] < state.blkIndent:
            break  # a line indented less than the block: the parent ends here
        text = line_text(state, line)
        if state.is_code_block(line):
            line += 1
            continue
        fence_match = _FENCE.match(text)
        marker = read_marker(text, kind)
        if fence and loose and marker is not None and marker.length == opening.length:
            fence = ""  # the block's marker ends the code block left open
            cut = fence_line if cut is None else cut
        elif fence:
            if fence_match and _closes_fence(fence_match, fence):
                fence = ""
            line += 1
            continue
        elif fence_match and not (fence_match.group(1)[0] == "`" and "`" in fence_match.group(2)):
            fence, fence_line = fence_match.group(1), line
            line += 1
            continue
        if marker is None or marker.length != opening.length:
            line += 1
            continue
        if marker.text:
            if kind.stacked and depth == 0:
                block.items[-1].end = line
                block.items.append(Item(line, marker))
            elif not kind.stacked:
                depth += 1
                nested.append(line)
        elif depth:
            depth -= 1
            known[(*place, nested.pop())] = line
        else:
            block.items[-1].end = line
            block.close_line = line
            block.stop = line + 1
            return block, cut
        line += 1
    block.items[-1].end = line
    block.stop = line
    for opener in nested:  # never closed either: each runs to where this one stopped
        known[(*place, opener)] = None
    return block, (fence_line if fence else None) if not loose else cut


def _warn_open_fence(state: StateBlock, line: int, kind: BlockKind, closer: str) -> None:
    ctx = context(state)
    if ctx is not None:
        place = Token("component", "", 0)
        place.map = [line, line + 1]
        fence = _FENCE.match(line_text(state, line))
        run = fence.group(1) if fence else "```"
        ctx.warning(
            place,
            run,
            f"this code block is never closed; it ends where its {kind.name} ends ('{closer}')",
            f"close the code block with a line holding only '{run}' before '{closer}'",
        )


def _block_ends(state: StateBlock) -> dict[tuple, int | None]:
    """Ends found so far, by (kind, marker length, indent, opening line), for this source."""
    found = state.env.get("docsite_block_ends")
    if found is None or found[0] is not state.src:
        found = state.env["docsite_block_ends"] = (state.src, {})
    return found[1]


def _known_block(start: int, opening: Marker, close_line: int | None, stop: int) -> Block:
    """A nested block whose end an enclosing scan found: closed at close_line, or running
    to `stop`, the end of the lines it may use."""
    if close_line is None:
        return Block([Item(start, opening, stop)], None, stop)
    return Block([Item(start, opening, close_line)], close_line, close_line + 1)


def _closes_fence(match: re.Match[str], fence: str) -> bool:
    run = match.group(1)
    return run[0] == fence[0] and len(run) >= len(fence) and not match.group(2).strip()


def parse_content(state: StateBlock, begin: int, end: int) -> None:
    """Parse lines [begin, end) as nested blocks that cannot run past `end`."""
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "container"  # type: ignore[assignment]
    state.lineMax = end
    state.md.block.tokenize(state, begin, end)
    state.parentType, state.lineMax = old_parent, old_max


def push_inline(state: StateBlock, text: str, line: int) -> Token:
    """An inline token for a title, parsed later with the page's inline rules."""
    token = state.push("inline", "", 0)
    token.content = text
    token.map = [line, line + 1]
    token.children = []
    return token


def context(state: StateBlock) -> RenderContext | None:
    return state.env.get("docsite") if isinstance(state.env, dict) else None


def report_at(
    state: StateBlock, line: int, needle: str, message: str, hint: str, warning: bool = False
) -> None:
    ctx = context(state)
    if ctx is not None:
        place = Token("component", "", 0)
        place.map = [line, line + 1]
        (ctx.warning if warning else ctx.error)(place, needle, message, hint)


Emit = Callable[[StateBlock, int, Block, Marker], None]


def block_rule(
    kind: BlockKind, emit: Emit, needs_title: bool = True
) -> Callable[[StateBlock, int, int, bool], bool]:
    """The markdown-it block rule of a component: find its opening marker, scan to the
    closing one, let `emit` push the tokens, then close. With `needs_title`, a bare marker
    (which closes blocks) found with nothing open is reported as a stray closer."""

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        opening = open_marker(state, start, kind)
        if opening is None:
            if kind.warn_glued and not silent:
                _warn_glued(state, start, kind)
            return False
        if silent:
            return True
        if needs_title and not opening.text:
            return stray_closer(state, start, kind, opening)
        block = scan(state, start, end, kind, opening)
        emit(state, start, block, opening)
        finish(state, kind, block)
        return True

    return rule


def _warn_glued(state: StateBlock, line: int, kind: BlockKind) -> None:
    """`+++Tab` (no space after the marker) is text, as in Retype; warn once per line."""
    if not line_starts(state, line, kind.char):
        return
    text = line_text(state, line)
    run = len(text) - len(text.lstrip(kind.char))
    if run != 3 or len(text) == run or text[run].isspace() or text[run] in kind.flags:
        return
    warned = state.env.setdefault("docsite_glued_warned", set())
    if (state.src, line) in warned:
        return
    warned.add((state.src, line))
    ctx = context(state)
    if ctx is not None:
        place = Token("component", "", 0)
        place.map = [line, line + 1]
        marker = text[:run]
        ctx.warning(
            place,
            text,
            f"'{text[: run + 12]}' is not a {kind.name}: its title must follow '{marker}' "
            "after a space, so the line is shown as text",
            f"write '{marker} {text[run:].strip()[:30]}'",
        )


def finish(state: StateBlock, kind: BlockKind, block: Block) -> None:
    """Move past the block, and say so when it was never closed: then, as in Retype, it runs
    to the end of what holds it (a warning: Retype projects build with such pages)."""
    if block.close_line is None:
        opening = block.items[0]
        closer = kind.closer(opening.marker.length)
        report_at(
            state,
            opening.line,
            opening.marker.raw,
            f"this {kind.name} ('{opening.marker.raw}') is never closed; "
            "it runs to the end of the page",
            f"end it with a line holding only '{closer}'; to nest a {kind.name} in another, "
            f"give the outer one a longer marker, e.g. '{kind.char * (opening.marker.length + 1)}'",
            warning=True,
        )
    state.line = block.stop


def stray_closer(state: StateBlock, line: int, kind: BlockKind, marker: Marker) -> bool:
    """A bare marker with no open block: report it and drop the line, as Retype drops it."""
    report_at(
        state,
        line,
        marker.raw,
        f"'{marker.raw}' closes a {kind.name}, but none is open here; the line is left out",
        f"start a {kind.name} with '{kind.closer(marker.length)} Title', or remove this line",
        warning=True,
    )
    state.line = line + 1
    return True


BlockRule = Callable[[StateBlock, int, int, bool], bool]


def add_html_rules(md: MarkdownIt, html_of: dict[str, str]) -> None:
    """Render rules for tokens that always print the same HTML (closing tags, titles)."""
    for name, html in html_of.items():
        md.add_render_rule(name, lambda self, tokens, idx, options, env, html=html: html)


# The one markdown-it rule that holds the components' block rules (`add_block_rule`).
COMPONENTS_RULE = "docsite_components"


@dataclass
class ComponentRules:
    """The components' block rules, by the character their opening lines start with.
    markdown-it tries each of its rules on every line (and each paragraph terminator on
    every line of a paragraph): one rule that looks at the line's first character and
    tries only the components opening with it costs one call instead of one per component
    (docsite's Markdown parse about 7% faster)."""

    by_char: dict[str, list[BlockRule]] = field(default_factory=dict)

    def __call__(self, state: StateBlock, start: int, end: int, silent: bool) -> bool:
        begin = state.bMarks[start] + state.tShift[start]
        if begin >= state.eMarks[start]:
            return False
        rules = self.by_char.get(state.src[begin])
        return rules is not None and any(rule(state, start, end, silent) for rule in rules)

    @property
    def opens_with(self) -> str:
        """The characters its lines start with (docsite.markdown.dispatch)."""
        return "".join(self.by_char)


def add_block_rule(md: MarkdownIt, opens_with: str, rule: BlockRule) -> None:
    """A component's block rule, tried only on lines whose text starts with the character
    `opens_with` (after indentation). Before fences, so a marker line may also interrupt a
    paragraph or a list; components are tried in the order they were added."""
    components = next((r.fn for r in md.block.ruler.__rules__ if r.name == COMPONENTS_RULE), None)
    if not isinstance(components, ComponentRules):
        components = ComponentRules()
        md.block.ruler.before("fence", COMPONENTS_RULE, components, {"alt": _LIST_ALTS})
    components.by_char.setdefault(opens_with, []).append(rule)
    md.block.ruler.__cache__ = None  # compiled again, with the new character
