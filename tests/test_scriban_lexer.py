"""Scriban's lexer: the tokens of code, with their kinds, values, offsets and whether spaces
came before them, where the rules depend on what is open (brackets, an object's braces)."""

from __future__ import annotations

import pytest

from docsite.scriban.errors import Located
from docsite.scriban.lexer import lex


def tokens(text: str) -> list[tuple[str, object, int, bool]]:
    return [(t.kind, t.value, t.start, t.spaced) for t in lex(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "a{{x}}b",
            [
                ("text", "a", 0, False),
                ("enter", "", 1, False),
                ("name", "x", 3, False),
                ("exit", "", 4, False),
                ("text", "b", 6, False),
                ("eof", None, 7, False),
            ],
            id="text-and-code",
        ),
        pytest.param(
            "{{- $i + 1.5e3 ~}}",
            [
                ("enter", "-", 0, False),
                ("local", "$i", 4, True),
                ("op", "+", 7, True),
                ("number", 1500.0, 9, True),
                ("exit", "~", 15, True),
                ("eof", None, 18, False),
            ],
            id="modifiers-local-number",
        ),
        pytest.param(
            "{{ {a: {b: 1}} }}",
            [
                ("enter", "", 0, False),
                ("op", "{", 3, True),
                ("name", "a", 4, False),
                ("op", ":", 5, False),
                ("op", "{", 7, True),
                ("name", "b", 8, False),
                ("op", ":", 9, False),
                ("number", 1, 11, True),
                ("op", "}", 12, False),
                ("op", "}", 13, False),
                ("exit", "", 15, True),
                ("eof", None, 17, False),
            ],
            id="braces-of-objects-are-not-the-end",
        ),
        pytest.param(
            "{{ [1,\n 2] \n x }}",
            [
                ("enter", "", 0, False),
                ("op", "[", 3, True),
                ("number", 1, 4, False),
                ("op", ",", 5, False),
                ("number", 2, 8, True),
                ("op", "]", 9, False),
                ("newline", "\n", 11, True),
                ("name", "x", 13, True),
                ("exit", "", 15, True),
                ("eof", None, 17, False),
            ],
            id="newlines-inside-brackets-are-spaces",
        ),
        pytest.param(
            "{{ x # note\n y ## a ## z }}",
            [
                ("enter", "", 0, False),
                ("name", "x", 3, True),
                ("newline", "\n", 11, True),
                ("name", "y", 13, True),
                ("name", "z", 23, True),
                ("exit", "", 25, True),
                ("eof", None, 27, False),
            ],
            id="comments",
        ),
        pytest.param(
            "{{ \"a\\\"b\\u00e9\" + 'c' + `d``e` }}",
            [
                ("enter", "", 0, False),
                ("string", 'a"bé', 3, True),
                ("op", "+", 16, True),
                ("string", "c", 18, True),
                ("op", "+", 22, True),
                ("string", "d`e", 24, True),
                ("exit", "", 31, True),
                ("eof", None, 33, False),
            ],
            id="strings",
        ),
        pytest.param(
            "{{ empty?x ..< y?.z }}",
            [
                ("enter", "", 0, False),
                ("name", "empty?", 3, True),
                ("name", "x", 9, False),
                ("op", "..<", 11, True),
                ("name", "y", 15, True),
                ("op", "?.", 16, False),
                ("name", "z", 18, False),
                ("exit", "", 20, True),
                ("eof", None, 22, False),
            ],
            id="longest-operators-and-empty-question",
        ),
        pytest.param(
            '{{ $"n={ {a: 1}.a }" }}',
            [
                ("enter", "", 0, False),
                (
                    "interpolated",
                    ["n=", [("op", "{", 9), ("name", "a", 10), ("op", ":", 11),
                            ("number", 1, 13), ("op", "}", 14), ("op", ".", 15),
                            ("name", "a", 16), ("eof", None, 18)]],
                    3,
                    True,
                ),
                ("exit", "", 21, True),
                ("eof", None, 23, False),
            ],
            id="interpolation",
        ),
    ],
)  # fmt: skip
def test_code_is_cut_into_tokens(text, expected):
    found = tokens(text)
    for index, (kind, value, start, spaced) in enumerate(found):
        if kind == "interpolated":
            value = [
                part if isinstance(part, str) else [(t.kind, t.value, t.start) for t in part]
                for part in value
            ]
            found[index] = (kind, value, start, spaced)
    assert found == expected


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("{{ x é }}", 5, "unexpected character `é` in code"),
        ("{{ x", 0, "this `{{` has no `}}`"),
        ("{{ x   ", 0, "this `{{` has no `}}`"),
        ('{{ "abc }}', 3, "this string has no closing quote"),
        ("{{ 'a\\'", 3, "this string has no closing quote"),
        ("{{ {a: 1 }} ", 0, "this `{{` has no `}}`"),
    ],
)
def test_code_that_cannot_be_cut_says_where(text, offset, message):
    with pytest.raises(Located) as caught:
        lex(text)
    assert (caught.value.offset, caught.value.message) == (offset, message)
