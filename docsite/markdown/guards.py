"""Keeping pathological pages linear: a nesting limit that says where it was hit, and
autolink scanners that look at a bounded window instead of the rest of the line."""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from docsite.diagnostics import Diagnostic, Severity

# Block levels (each list, list item, quote and component part counts one) a page may nest.
# Parsing recurses per level, so a limit keeps deep pages inside Python's recursion limit.
NESTING_LIMIT = 100
# markdown-it's own limit drops the rest of the page silently: while blocks are parsed it sits
# above ours, which a component's opening tokens (a few levels at once) may pass before our
# rule sees the line. Inline parsing keeps the preset's 20: its cost per '[' grows with it.
BACKSTOP_MARGIN = 20
# Bare autolinks longer than this are cut here; scanners see at most this much of the line.
AUTOLINK_WINDOW = 4096
_PENDING_KEEP = 16  # of the pending text, what back-scans for "https" or an email need
_SPACE = re.compile(r"[ \t\r\n\x00\x0b\x0c]")
_AUTOLINK_RULES = ("gfm_autolink_www", "gfm_autolink_protocol", "gfm_autolink_email")
_TRIGGER = {"gfm_autolink_www": "w", "gfm_autolink_protocol": ":", "gfm_autolink_email": "@"}
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_")

InlineRule = Callable[[StateInline, bool], bool]


def guards_plugin(md: MarkdownIt) -> None:
    block = next(r.fn for r in md.core.ruler.__rules__ if r.name == "block")
    md.core.ruler.at("block", _deeper_blocks(block))
    first = md.block.ruler.__rules__[0].name
    md.block.ruler.before(first, "docsite_nesting_limit", _nesting_limit)
    for name in _AUTOLINK_RULES:
        rule = next((r.fn for r in md.inline.ruler.__rules__ if r.name == name), None)
        if rule is not None:
            md.inline.ruler.at(name, _bounded(rule, _TRIGGER[name]))


def _deeper_blocks(block: Callable[[StateCore], None]) -> Callable[[StateCore], None]:
    """The core block rule, run with markdown-it's nesting limit raised above ours."""

    def deeper(state: StateCore) -> None:
        options = state.md.options
        inline_limit = options["maxNesting"]
        options["maxNesting"] = max(inline_limit, NESTING_LIMIT + BACKSTOP_MARGIN)
        try:
            block(state)
        finally:
            options["maxNesting"] = inline_limit

    return deeper


def _nesting_limit(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Past the limit, each run of lines is shown as a plain paragraph, once with an error;
    the page after the deep part is parsed as usual."""
    if state.level < NESTING_LIMIT or silent:
        return False
    line = start + 1
    while line < end and not state.isEmpty(line) and state.sCount[line] >= state.blkIndent:
        line += 1
    text = "\n".join(
        state.src[state.bMarks[n] + state.tShift[n] : state.eMarks[n]] for n in range(start, line)
    )
    state.push("paragraph_open", "p", 1).map = [start, line]
    inline = state.push("inline", "", 0)
    inline.content = text
    inline.map = [start, line]
    inline.children = []
    state.push("paragraph_close", "p", -1)
    state.line = line
    _report_nesting(state, start)
    return True


def _report_nesting(state: StateBlock, line: int) -> None:
    ctx = state.env.get("docsite") if isinstance(state.env, dict) else None
    if ctx is None or ctx.nesting_reported:
        return
    ctx.nesting_reported = True
    place = Token("nesting", "", 0)
    place.map = [line, line + 1]
    origin, _ = ctx.position(place)
    begin = state.bMarks[line] + state.tShift[line]
    # The column where the too-deep text starts; included text is reported at its include.
    col = begin - state.src.rfind("\n", 0, begin) if origin.file == ctx.page.source.shown else 1
    ctx.diagnostics.append(
        Diagnostic(
            origin.file,
            origin.line,
            col,
            Severity.ERROR,
            f"lists, quotes and components nest more than {NESTING_LIMIT} levels deep here; "
            "what is deeper is shown as plain text",
            f"nest fewer levels (each list, list item, quote and component counts; "
            f"the limit is {NESTING_LIMIT}), or close the blocks opened above",
        )
    )


def _bounded(rule: InlineRule, trigger: str) -> InlineRule:
    """mdit-py-plugins' autolink rules copy the rest of the line, and back-scan all pending
    text, at every ':', '@' or 'w': quadratic on a long line. An autolink never crosses
    whitespace, so the rule sees the line up to and including the next whitespace, at most
    AUTOLINK_WINDOW characters, and only the tail of the pending text."""

    def bounded(state: StateInline, silent: bool) -> bool:
        pos = state.pos
        if silent or not state.src.startswith(trigger, pos):
            return False  # the rules never match silently: they only link when emitting
        if not _may_match(state, trigger):
            return False
        if trigger != "w" and len(state.pending) > 4 * _PENDING_KEEP:
            _flush_pending(state)
        limit = min(state.posMax, pos + AUTOLINK_WINDOW)
        space = _SPACE.search(state.src, pos, limit)
        old_max = state.posMax
        state.posMax = space.end() if space is not None else limit
        try:
            return rule(state, silent)
        finally:
            state.posMax = old_max

    return bounded


def _may_match(state: StateInline, trigger: str) -> bool:
    """What the rules check first, without copying the line: "https" before "://", a
    mailto: or xmpp: protocol, a character of an email's local part before '@'."""
    pending = state.pending
    if trigger == ":":
        if pending.endswith(("http", "https")):
            return state.src.startswith("://", state.pos)
        return pending.endswith(("mailto", "xmpp"))
    if trigger == "@":
        return bool(pending) and pending[-1] in _EMAIL_LOCAL
    return True


def _flush_pending(state: StateInline) -> None:
    """Turn the pending text, but for its tail and a trailing email local part, into a text
    token (markdown-it joins adjacent text tokens again), so back-scans read a short string."""
    pending = state.pending
    keep = len(pending)
    while keep > 0 and pending[keep - 1] in _EMAIL_LOCAL:
        keep -= 1
    keep = min(keep, len(pending) - _PENDING_KEEP)
    if keep <= 0:
        return
    state.pending = pending[:keep]
    state.pushPending()
    state.pending = pending[keep:]
