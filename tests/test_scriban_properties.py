"""Properties of the Scriban engine over made-up templates: whatever the text, parsing and
rendering end in the text or in a TemplateError (never another exception), and the same
template with the same inputs renders the same text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docsite.scriban import Limits, TemplateError, parse
from docsite.scriban.builtins import BUILTIN_OBJECTS

NOW = dt.datetime(2026, 3, 23, 12, 30, tzinfo=dt.UTC)
# Small limits: a made-up `while true` reaches one quickly.
LIMITS = Limits(loop_iterations=2_000, recursion_depth=20, output_size=20_000)
# Random by nature, so left out of the property that renderings repeat.
UNREPEATABLE = {("math", "random"), ("math", "uuid")}
REPEATABLE_BUILTINS = {
    name: {f: b for f, b in functions.items() if (name, f) not in UNREPEATABLE}
    for name, functions in BUILTIN_OBJECTS.items()
}
FUNCTIONS = [f"{name}.{f}" for name, functions in REPEATABLE_BUILTINS.items() for f in functions]
EXAMPLES = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def page_globals() -> dict[str, Any]:
    """The values a template reads, made anew for each rendering (a template may change them)."""
    return {
        "page": {"title": "Guide", "tags": ["a", "b"], "order": 3, "meta": {"x": None}},
        "items": [1, 2.5, "three", None, True, [4]],
        "text": "Hello {{ world }}",
        "n": 7,
        "empty": [],
    }


# ---- a soup of Scriban's pieces, balanced or not

DELIMITERS = ["{{", "}}", "{{~", "~}}", "{{-", "-}}", "{%{", "}%}", "{{#", "{%%{", "}%%}"]
KEYWORDS = [
    "if", "else", "else if", "end", "for", "in", "while", "func", "capture", "ret", "break",
    "continue", "case", "when", "with", "tablerow", "do", "wrap", "readonly", "import",
    "offset:", "limit:", "reversed", "this", "empty",
]  # fmt: skip
OPERATORS = [
    "+", "-", "*", "/", "//", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "!", "??",
    "..", "..<", "=", "+=", "-=", "|", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "$",
    "$0", "$1", "$.x", "@", "?", "<<", ">>", "^", "&",
]  # fmt: skip
LITERALS = [
    "0", "1", "-1", "2", "10", "99999999999999999999", "1e308", "1.5", "-0.0", "0x1F",
    '"a"', "'b'", "`c`", '"{{ x }}"', '"\\n"', '"\\u00e9"', '"', "'", "`", "true", "false",
    "null", "[1, 2]", "{a: 1}", "[]", "{}",
]  # fmt: skip
NAMES = ["x", "y", "page", "page.title", "page.tags", "items", "text", "n", "empty", "$i", "f"]
PIECES = DELIMITERS + KEYWORDS + OPERATORS + LITERALS + NAMES + FUNCTIONS

piece = st.one_of(
    st.sampled_from(PIECES),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=6),
    st.sampled_from([" ", "\n", "\t", "\r\n"]),
)
soup = st.lists(piece, max_size=40).map(" ".join)


# ---- well-formed code, so rendering gets past the parser

literal = st.sampled_from([text for text in LITERALS if text not in ('"', "'", "`")])
name = st.sampled_from(NAMES)


def _expressions(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(inner, st.sampled_from(OPERATORS[:19]), inner).map(" ".join)
    call = st.tuples(st.sampled_from(FUNCTIONS), st.lists(inner, max_size=3)).map(
        lambda parts: " ".join([parts[0], *(f"({a})" for a in parts[1])])
    )
    piped = st.tuples(inner, st.sampled_from(FUNCTIONS)).map(lambda p: f"{p[0]} | {p[1]}")
    return st.one_of(
        binary,
        call,
        piped,
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"!{e}"),
        st.tuples(inner, inner).map(lambda p: f"{p[0]}[{p[1]}]"),
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
    )


expression = st.recursive(st.one_of(literal, name), _expressions, max_leaves=8)


def _statements(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    block = st.lists(inner, min_size=1, max_size=3).map(" ".join)
    return st.one_of(
        st.tuples(expression, block).map(lambda p: f"{{{{ if {p[0]} }}}}{p[1]}{{{{ end }}}}"),
        st.tuples(expression, block, block).map(
            lambda p: f"{{{{ if {p[0]} }}}}{p[1]}{{{{ else }}}}{p[2]}{{{{ end }}}}"
        ),
        st.tuples(expression, block).map(
            lambda p: f"{{{{ for $i in {p[0]} }}}}{p[1]}{{{{ end }}}}"
        ),
        st.tuples(expression, block).map(
            lambda p: f"{{{{ while {p[0]} }}}}{p[1]}{{{{ break }}}}{{{{ end }}}}"
        ),
        block.map(lambda b: f"{{{{ capture x }}}}{b}{{{{ end }}}}{{{{ x }}}}"),
        st.tuples(block, expression).map(
            lambda p: f"{{{{ func f }}}}{p[0]}{{{{ ret {p[1]} }}}}{{{{ end }}}}{{{{ f 1 }}}}"
        ),
        st.tuples(expression, block).map(
            lambda p: f"{{{{ case {p[0]} }}}}{{{{ when 1 }}}}{p[1]}{{{{ else }}}}-{{{{ end }}}}"
        ),
    )


# Values that double on each pass of a loop: bounded by the engine, not by the loop.
GROWTH = [
    "{{ for $g in 1..40 }}{{ x = x + x }}{{ end }}",
    "{{ for $g in 1..40 }}{{ x = [x, x] }}{{ end }}",
    "{{ for $g in 1..40 }}{{ x = {a: x, b: x} }}{{ end }}",
    "{{ for $g in 1..40 }}{{ x = array.concat x x }}{{ end }}",
    "{{ for $g in 1..40 }}{{ x = string.append x x }}{{ end }}",
    "{{ x = x | string.replace 'a' x }}",
]
simple = st.one_of(
    st.sampled_from(["text ", "\n", " - ", *GROWTH]),
    expression.map(lambda e: f"{{{{ {e} }}}}"),
    st.tuples(name, expression).map(lambda p: f"{{{{ {p[0]} = {p[1]} }}}}"),
    expression.map(lambda e: f"{{{{~ {e} ~}}}}"),
)
template = st.recursive(simple, _statements, max_leaves=10).map(str)
program = st.lists(template, min_size=1, max_size=5).map("".join)


def rendered(text: str, builtins: dict[str, Any] | None = None) -> str | TemplateError:
    """The text a template renders, or the TemplateError it ends in."""
    try:
        return parse(text).render(
            page_globals(),
            builtins=builtins if builtins is not None else BUILTIN_OBJECTS,
            limits=LIMITS,
            now=NOW,
        )
    except TemplateError as error:
        return error


@EXAMPLES
@given(soup)
def test_any_text_parses_and_renders_or_fails_with_a_template_error(text):
    rendered(text)  # anything but a TemplateError fails the test


@EXAMPLES
@given(program)
def test_well_formed_code_renders_or_fails_with_a_template_error(text):
    rendered(text)


@EXAMPLES
@given(st.one_of(program, soup))
def test_the_same_template_and_inputs_render_the_same_text(text):
    first = rendered(text, REPEATABLE_BUILTINS)
    second = rendered(text, REPEATABLE_BUILTINS)
    if isinstance(first, TemplateError):
        assert isinstance(second, TemplateError)
        assert (type(first), str(first)) == (type(second), str(second))
    else:
        assert first == second
