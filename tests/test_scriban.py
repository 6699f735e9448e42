"""The Scriban engine (docsite/scriban): each construct of the language as a template and
the text it renders, each error with its line and column, the limits and the sandbox."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from docsite.scriban import (
    Limits,
    TemplateRuntimeError,
    TemplateSyntaxError,
    parse,
)
from docsite.scriban.runtime import Builtin, ScriptError


def _upcase(_runtime: Any, text: Any) -> str:
    return str(text).upper()


def _join(_runtime: Any, items: list, separator: str = ", ") -> str:
    return separator.join(str(item) for item in items)


def _map(runtime: Any, items: list, function: Any) -> list:
    return [runtime.call(function, [item]) for item in items]


def _fail(_runtime: Any) -> None:
    raise ScriptError("this built-in always fails", "it is a test")


PARTIALS = {
    "hello": "Hello {{ $0 }}{{ if $.mark }}{{ $.mark }}{{ end }}",
    "broken": "line one\n{{ 1 / 0 }}",
    "unknowing": "{{ nobody }}",
}


def _include(runtime: Any, name: str, *args: Any, **named: Any) -> str:
    template = parse(PARTIALS[name], name=f"{name}.md")
    return runtime.include(template, list(args), named)


# Two made-up built-in objects: the engine calls whatever the registry holds.
BUILTINS = {
    "text": {
        "upcase": Builtin("text.upcase", _upcase, 1, 1),
        "join": Builtin("text.join", _join, 1, 2),
    },
    "partials": {"include": Builtin("partials.include", _include, 1, None)},
    "list": {
        "map": Builtin("list.map", _map, 2, 2),
        "fail": Builtin("list.fail", _fail, 0, 0),
    },
}


def render(template: str, globals_: dict | None = None, **options: Any) -> str:
    return parse(template).render(globals_ or {}, builtins=BUILTINS, **options)


RENDERS = [
    # text, code blocks, statements
    ("plain text, no code", "plain text, no code"),
    ("a {{ 1 }} b {{ 2 }} c", "a 1 b 2 c"),
    ("{{ x = 5\n  x\n  x + 1 }}", "56"),
    ("{{ x = 1; y = 2; x + y }}", "3"),
    # comments
    ("{{ 1 # a comment }}", "1"),
    ("{{ ## a comment\nover lines ## 2 }}", "2"),
    ("a{{# a whole comment block }}b", "ab"),
    # escape blocks
    ("{%{ {{ not code }} }%}", " {{ not code }} "),
    ("{%%{ ends with }%} here }%%}", " ends with }%} here "),
    # whitespace control
    ("a  \n  {{- 1 -}}  \n  b", "a1b"),
    ("<\n  {{~ 1 ~}}  \n  >", "<\n1  >"),
    ("a {%{- x -}%} b", "a x b"),
    # literals
    ('{{ "tab\\there \\"quoted\\" \\u00e9 \\x41" }}', 'tab\there "quoted" é A'),
    ("{{ 'single \\' quote' }}", "single ' quote"),
    ("{{ `verbatim \\n `` backtick` }}", "verbatim \\n ` backtick"),
    ("{{ 0xff }} {{ 0b101 }} {{ 1_000 }} {{ 2.5 }} {{ 1e3 }}", "255 5 1000 2.5 1000"),
    ("{{ true }} {{ false }} [{{ null }}]", "true false []"),
    ('{{ $"sum {1 + 2} and {"text"}" }}', "sum 3 and text"),
    # arrays and objects
    ("{{ [1, 2, 3] }} {{ [1, 2, 3].size }} {{ [1, 2, 3][-1] }}", "[1, 2, 3] 3 3"),
    ('{{ o = {a: 1, "b c": 2}; o.a + o["b c"] }}', "3"),
    ("{{ o = {}; o.x = 1; o.x }}", "1"),
    ("{{ a = []; a[2] = 1; a.size }}", "3"),
    ("{{ a = [1]; b = a << 2; c = 0 >> a; a }}", "[0, 1, 2]"),
    ("{{ a = [5, 6]; a.note = 'yes'; a.note + a[0] }}", "yes5"),
    ("{{ {}.empty? }} {{ [1].empty? }} {{ [] == empty }}", "true false true"),
    ("{{ 'abc'.size }}", "3"),
    # operators
    ("{{ 1 + 2 * 4 }} {{ (1 + 2) * 4 }} {{ 5 - 2 - 2 }}", "9 12 1"),
    ("{{ 3 / 2 }} {{ 3 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }}", "1.5 1 -3 1 -1"),
    ('{{ "a" + 1 }} {{ "ab" * 2 }} {{ 1 + null }}', "a1 abab "),
    ("{{ 1 < 2 }} {{ 2 <= 1 }} {{ 'a' == 'a' }} {{ 1 != 1.0 }}", "true false true false"),
    ("{{ true && false }} {{ true || false }} {{ !true }}", "false true false"),
    ("{{ true and false }} {{ false or true }} {{ not false }}", "false true true"),
    (
        "{{ null ?? 'default' }} {{ 1 ?? 2 }} {{ 1 ?! 'set' }} [{{ null ?! 'set' }}]",
        "default 1 set []",
    ),
    ("{{ 1..4 }} {{ 1..<4 }} {{ 3..1 }}", "[1, 2, 3, 4] [1, 2, 3] [3, 2, 1]"),
    ("{{ true ? 'yes' : 'no' }} {{ null ? 'yes' : 'no' }}", "yes no"),
    ("{{ -(2) }} {{ x = 5; -x }} {{ +3 }}", "-2 -5 3"),
    ("{{ x = 1; x++ }} {{ x }} {{ ++x }} {{ x-- }} {{ x }}", "1 2 3 3 2"),
    # assignment
    ("{{ x = 10; x += 5; x -= 1; x *= 2; x //= 3; x %= 5; x }}", "4"),
    ("{{ x = 2; x /= 4; x }}", "0.5"),
    ("{{ $local = 3; $local }}", "3"),
    ("{{ this.a = 6; a }}", "6"),
    # calls and pipes
    ('{{ text.upcase "abc" }} {{ "abc" | text.upcase }}', "ABC ABC"),
    ('{{ text.join(["a", "b"], "-") }} {{ ["a", "b"] | text.join "+" }}', "a-b a+b"),
    ('{{ "a" | text.upcase | text.upcase }}', "A"),
    ('{{ "x" | text.upcase == "X" ? "same" : "other" }}', "same"),
    ("{{ func double; ret $0 * 2; end; [1, 2] | list.map @double }}", "[2, 4]"),
    # if
    ("{{ if true }}yes{{ end }}", "yes"),
    ("{{ if false }}yes{{ else }}no{{ end }}", "no"),
    ("{{ x = 2 }}{{ if x == 1 }}one{{ else if x == 2 }}two{{ else }}many{{ end }}", "two"),
    ("{{ if 0 }}0 is true{{ end }} {{ if '' }}'' is true{{ end }}", "0 is true '' is true"),
    # for
    ("{{ for i in 1..3 }}[{{ i }}]{{ end }}", "[1][2][3]"),
    ("{{ for i in 1..9 offset: 2 limit: 3 }}{{ i }}{{ end }}", "345"),
    ("{{ for i in 1..3 reversed }}{{ i }}{{ end }}", "321"),
    (
        "{{ for x in [5, 5, 6] }}{{ for.index }}{{ for.rindex }}{{ for.first }}"
        "{{ for.last }}{{ for.even }}{{ for.odd }}{{ for.changed }}{{ for.length }};{{ end }}",
        "02truefalsetruefalsetrue3;11falsefalsefalsetruefalse3;20falsetruetruefalsetrue3;",
    ),
    ("{{ for x in [] }}item{{ else }}none{{ end }}", "none"),
    ("{{ for $i in 1..2 }}{{ $i }}{{ end }}[{{ $i }}]", "12[]"),
    ("{{ for i in 1..5 }}{{ if i == 2; continue; end; if i == 4; break; end; i }}{{ end }}", "13"),
    ("{{ for kv in {a: 1} }}{{ kv.key }}={{ kv.value }}{{ end }}", "a=1"),
    # while
    ("{{ i = 0; while i < 3; i += 1; i; end }}", "123"),
    ("{{ i = 0; while i < 2; i += 1; while.index; end }}", "01"),
    # tablerow
    (
        "{{ tablerow x in 1..3 cols: 2 }}{{ x }}{{ end }}",
        '<tr class="row1"><td class="col1">1</td><td class="col2">2</td></tr>\n'
        '<tr class="row2"><td class="col1">3</td></tr>\n',
    ),
    # capture
    ("{{ capture c }}a{{ 1 + 1 }}b{{ end }}[{{ c }}]", "[a2b]"),
    # case / when
    ("{{ case 2; when 1; 'one'; when 2, 3; 'two or three'; else; 'other'; end }}", "two or three"),
    ("{{ case 9; when 1 || 2; 'low'; else; 'other'; end }}", "other"),
    # functions
    ("{{ func add; ret $0 + $1; end; add 1 2 }}", "3"),
    ("{{ func sub(x, y); ret x - y; end; sub 5 1 }} {{ 5 | sub 1 }}", "4 4"),
    ("{{ func opt(x, y = 10); ret x + y; end; opt 1 }} {{ opt 1 2 }}", "11 3"),
    ("{{ func rest(x, y...); ret y.size; end; rest 1 2 3 }}", "2"),
    ("{{ func keep(x); inner = x; ret inner; end; keep 1 }}[{{ inner }}]", "1[]"),
    ("{{ g = 0; func set(x); g = x; end; set 7; g }}", "7"),
    ("{{ func simple; made = 2; end; simple; made }}", "2"),
    ("{{ func named; ret $.count; end; named 'a' count: 3 }}", "3"),
    ("{{ func shout }}!{{ $0 }}!{{ end }}{{ shout 'hey' }}", "!hey!"),
    ("{{ square(x) = x * x; square 4 }}", "16"),
    ("{{ f = do; ret $0 + 1; end; f 1 }}", "2"),
    ("{{ func call_it; ret $0 10; end; call_it do; ret $0 * 3; end }}", "30"),
    ("{{ f = @text.upcase; f 'x' }}", "X"),
    ("{{ func fact(n); if n <= 1; ret 1; end; ret n * (fact n - 1); end; fact 5 }}", "120"),
    (
        "{{ func wrapper; for $i in 1..2; $$; end; end }}{{ wrap wrapper }}[{{ $i }}]{{ end }}",
        "[1][2]",
    ),
    ("before{{ ret }}after", "before"),
    # with, readonly, import
    ("{{ o = {}; with o; a = 1; end; o.a }}", "1"),
    ("{{ o = {a: 'in'}; import o; a }}", "in"),
    # what Retype's pages write: `contains`, dates' members, a pipe inside a comparison
    ('{{ if ["a", "beta"] contains "beta" }}beta{{ end }} {{ "abc" contains "z" }}', "beta false"),
    ("{{ {a: 1} contains 'a' }}", "true"),
    ("{{ [1, 2, 3] | text.join == '1, 2, 3' }}", "true"),
]


@pytest.mark.parametrize(("template", "expected"), RENDERS)
def test_renders(template: str, expected: str):
    assert render(template) == expected


def test_dates_and_timespans_show_their_parts():
    moment = dt.datetime(2026, 3, 2, 9, 30, 15, tzinfo=dt.UTC)
    template = (
        "{{ d.year }}-{{ d.month }}-{{ d.day }} {{ d.hour }}:{{ d.minute }}:{{ d.second }} "
        "{{ d.day_of_week }} {{ d.day_of_year }} {{ t.days }} {{ t.hours }} {{ t.total_hours }}"
    )
    span = dt.timedelta(days=1, hours=2)
    assert render(template, {"d": moment, "t": span}) == "2026-3-2 9:30:15 Monday 61 1 2 26"


def test_globals_are_read_and_members_follow_paths():
    page = {"title": "Home", "tags": ["a", "b"], "meta": {"author": {"name": "Ann"}}}
    assert render(
        "{{ page.title }} {{ page.tags[1] }} {{ page.meta.author.name }}", {"page": page}
    ) == ("Home b Ann")


def test_a_template_parsed_once_renders_many_times_without_leaking():
    template = parse("{{ count = (count ?? 0) + 1; count }} {{ name }}")
    data = {"name": "first"}
    assert template.render(data, builtins={}) == "1 first"
    assert template.render({"name": "second"}, builtins={}) == "1 second"
    assert data == {"name": "first"}, "the caller's globals are not written"


def test_unknown_names_render_as_null_and_are_reported_with_their_place():
    report = parse("a\n{{ missing }}b{{ other?.x ?? 'd' }}", first_line=10).render_report(
        {}, builtins={}
    )
    assert report.text == "a\nbd"
    assert [(u.name, u.line, u.col) for u in report.unknown] == [
        ("missing", 11, 4),
        ("other", 11, 18),
    ]


def test_an_included_template_gets_its_arguments_and_shares_the_globals():
    template = '{{ partials.include "hello" name mark: "!" }} {{ partials.include "hello" "you" }}'
    assert render(template, {"name": "Ann"}) == "Hello Ann! Hello you"


def test_an_error_in_an_included_template_names_it_and_its_line():
    with pytest.raises(TemplateRuntimeError) as caught:
        render('page\n{{ partials.include "broken" }}')
    error = caught.value
    assert (error.source, error.line, error.col, error.message) == (
        "broken.md",
        2,
        6,
        "division by zero",
    )
    report = parse('{{ partials.include "unknowing" }}').render_report({}, builtins=BUILTINS)
    assert [(u.name, u.source, u.line, u.col) for u in report.unknown] == [
        ("nobody", "unknowing.md", 1, 4)
    ]


def test_plain_text_costs_almost_nothing():
    text = "# Title\n\nSome text with { braces } and % signs.\n" * 20_000
    started = time.perf_counter()
    template = parse(text)
    for _ in range(10):
        assert template.render({}) == text
    assert time.perf_counter() - started < 0.5


# Errors: each with its line and column -----------------------------------------------------

SYNTAX_ERRORS = [
    ("text {{ 1 + 2", 1, 6, "has no `}}`"),
    ("{{ if true }}\nyes\n", 1, 4, "this `if` has no `end`"),
    ("a\n{{ for x in y }}\n{{ while true }}{{ end }}", 2, 4, "this `for` has no `end`"),
    ("{{ end }}", 1, 4, "`end` without a block"),
    ("{{ 1 + }}", 1, 8, "expected an expression"),
    ("{{ x = 'open }}", 1, 8, "no closing quote"),
    ("{{ (1 + 2 }}", 1, 11, "expected `)`"),
    ("{{ 1 2 3 = 4 }}", 1, 10, "only a variable"),
    ("{{ x y }}\n{{ 1 ) }}", 2, 6, "unexpected `)`"),
    ("{{ {1: 2} }}", 1, 5, "expected a member name"),
    ("{{ [1, 2 }}", 1, 10, "expected `,`"),
    ("{{ a ` }}", 1, 6, "no closing backtick"),
    ("{{ 1 ~ 2 }}", 1, 6, "unexpected character `~`"),
    # Digits to Python but not to Scriban: an error, not a crash in the number reader.
    ("{{ ¹ }}", 1, 4, "unexpected character `¹`"),
    ("{{ x + ٣ }}", 1, 8, "unexpected character `٣`"),
    ("{{ func f(x = 1, y); end }}", 1, 18, "a normal parameter cannot follow an optional one"),
    ("{{ if true }}{{ else x }}{{ end }}", 1, 22, "unexpected `x` after `else`"),
    ("{{ case 1 }}{{ x }}{{ when 1 }}{{ end }}", 1, 16, "only `when` and `else`"),
    ('{{ $"a {1 +\n 2}" }}', 1, 8, "no `}` on its line"),
    ("{%{ never closed", 1, 1, "escape block"),
]


@pytest.mark.parametrize(("template", "line", "col", "message"), SYNTAX_ERRORS)
def test_syntax_errors_name_their_place(template: str, line: int, col: int, message: str):
    with pytest.raises(TemplateSyntaxError) as caught:
        parse(template)
    assert (caught.value.line, caught.value.col) == (line, col)
    assert message in caught.value.message


def test_syntax_errors_count_lines_from_first_line():
    with pytest.raises(TemplateSyntaxError) as caught:
        parse("ok\n{{ if x }}", first_line=40)
    assert (caught.value.line, caught.value.col, caught.value.hint) == (
        41,
        4,
        "close the `if` block with `{{ end }}`",
    )
    assert str(caught.value).startswith("41:4: ")


RUNTIME_ERRORS = [
    ("{{ x = 5 }}\n{{ x 1 }}", 2, 4, "`x` is number, not a function"),
    ("{{ nothing 1 }}", 1, 4, "`nothing` is not a function (it is not defined)"),
    ("{{ text.upcase }}", 1, 4, "`text.upcase` takes 1 argument, got 0"),
    ("{{ text.upcase 'a' 'b' }}", 1, 4, "`text.upcase` takes 1 argument, got 2"),
    ("{{ func f(x, y); ret x; end }}\n{{ f 1 }}", 2, 4, "`f` takes 2 arguments, got 1"),
    ("{{ 1 +\n 10 / 0 }}", 2, 5, "division by zero"),
    ("{{ 5 % 0 }}", 1, 6, "division by zero"),
    ("{{ 'a' - 1 }}", 1, 8, "cannot apply `-` to a string and a number"),
    ("{{ 1 < 'a' }}", 1, 6, "cannot compare"),
    ("{{ break }}", 1, 4, "`break` outside a loop"),
    ("{{ x = 1; readonly x; x = 2 }}", 1, 23, "`x` is read-only"),
    ("{{ with 3; end }}", 1, 9, "`with` needs an object"),
    ("{{ list.fail }}", 1, 4, "this built-in always fails"),
    ("{{ for x in 5; end }}", 1, 4, "cannot loop over number"),
]


@pytest.mark.parametrize(("template", "line", "col", "message"), RUNTIME_ERRORS)
def test_runtime_errors_name_their_place(template: str, line: int, col: int, message: str):
    with pytest.raises(TemplateRuntimeError) as caught:
        render(template)
    assert (caught.value.line, caught.value.col) == (line, col)
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("template", "limits", "named"),
    [
        ("{{ while true; end }}", Limits(loop_iterations=50), "loop iterations"),
        ("{{ for i in 1..10; for j in 1..10; end; end }}", Limits(loop_iterations=50), "loop"),
        ("{{ 1..1000 }}", Limits(loop_iterations=50), "loop iterations"),
        ("{{ func f; f; end; f }}", Limits(recursion_depth=20), "recursion depth"),
        ("{{ for i in 1..100 }}0123456789{{ end }}", Limits(output_size=500), "output size"),
    ],
)
def test_limits_stop_a_rendering_and_say_which(template: str, limits: Limits, named: str):
    with pytest.raises(TemplateRuntimeError) as caught:
        render(template, limits=limits)
    assert named in caught.value.message + " " + caught.value.hint


def test_members_are_read_from_dicts_never_from_python_attributes():
    class Secret:
        password = "hunter2"

    with pytest.raises(TemplateRuntimeError) as caught:
        render("{{ obj.password }}", {"obj": Secret()})
    assert "cannot read `.password`" in caught.value.message
    assert render("{{ o.__class__ }}|{{ 'x'.upper }}", {"o": {}}) == "|"


def test_a_value_written_after_spaces_keeps_them_on_each_of_its_lines():
    value = '{{ v = "one\\ntwo\\n" ~}}\n'
    assert render(value + "   {{ v }}end") == "   one\n   two\nend"
    assert render(value + "- {{ v }}end") == "- one\ntwo\nend", "only spaces before it"
    assert render(value.replace("~}}", "-}}") + "   {{ v }}end") == "one\ntwo\nend"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ 1e5000 }}", "is not a number"),
        ("{{ x = 10; for i in 1..20; x = x * x; end }}", "too large a number"),
        ('{{ "ab" * 100000000 }}', "too long a string"),
        ("{{ 1 | 2 }}", "not a function to pipe into"),
    ],
)
def test_values_too_large_are_errors_not_crashes(template: str, message: str):
    with pytest.raises((TemplateSyntaxError, TemplateRuntimeError)) as caught:
        render(template)
    assert message in caught.value.message


DOUBLED = "{{ x = [1]; y = [1]; for i in 1..60; x = [x, x]; y = [y, y]; end; "


@pytest.mark.parametrize(
    ("template", "message"),
    [
        # Doubled in a loop: each step is small, the thirtieth is gigabytes.
        ('{{ s = "ab"; for i in 1..40; s = s + s; end }}', "too long a string"),
        ('{{ s = "ab"; for i in 1..40; s = string.append s s; end }}', "too long a string"),
        ("{{ x = [1]; for i in 1..30; x = x + x; end }}", "too large an array"),
        ("{{ x = [1]; for i in 1..30; x = array.concat x x; end }}", "too large an array"),
        # One step, measured before it is made.
        ('{{ s = "a" * 100000; string.replace s "a" s }}', "too long a string"),
        ('{{ s = "a" * 100000; regex.replace s "a" s }}', "too long a string"),
        ('{{ s = "a" * 9000000; [s, s] | array.join "" }}', "too long a string"),
        # An array holding another twice, 2^60 items when written out.
        (DOUBLED + "x }}", "too large to write out"),
        (DOUBLED + '"" + x }}', "too large to write out"),
        (DOUBLED + "x | object.to_json }}", "too large to write out"),
        (DOUBLED + 'x | array.join "," }}', "too large to write out"),
    ],
)
def test_values_that_grow_without_bound_are_errors_not_a_hang(template: str, message: str):
    with pytest.raises(TemplateRuntimeError) as caught:
        parse(template).render({})
    assert message in caught.value.message


def test_arrays_holding_shared_arrays_compare_in_linear_time():
    assert parse(DOUBLED + "x == y }}").render({}) == "true"
    assert parse(DOUBLED + "[x] | array.contains y }}").render({}) == "true"
    assert parse(DOUBLED + "[x, y] | array.uniq | array.size }}").render({}) == "1"
    assert parse(DOUBLED + "x == [y, [y]] }}").render({}) == "false"
    written = "{{ x = [1, 'a']; [x, x, {k: x}] }}|{{ [x, x, {k: x}] | object.to_json }}"
    assert parse(written).render({}) == '[[1, "a"], [1, "a"], {k: [1, "a"]}]|' + (
        '[[1,"a"],[1,"a"],{"k":[1,"a"]}]'
    )


def test_uniq_groups_equal_arrays_and_objects_without_comparing_every_pair():
    template = "{{ [[1], [1.0], [2], {a: 1, b: 2}, {b: 2, a: 1}, [[1]], [[1]]] | array.uniq }}"
    assert parse(template).render({}) == "[[1], [2], {a: 1, b: 2}, [[1]]]"
    cyclic = "{{ x = []; x[0] = x; y = []; y[0] = y; [x, y] | array.uniq | array.size }}"
    assert parse(cyclic).render({}) == "1"


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises((TemplateSyntaxError, TemplateRuntimeError)):
        parse("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}").render({})


def test_members_and_items_of_null_are_null_as_scriban_relaxes_them():
    # Scriban's TemplateContext.EnableRelaxedMemberAccess is on by default.
    template = parse("[{{ x = null }}{{ x.y.z }}{{ x[0] }}{{ missing.a }}]")
    rendering = template.render_report({})
    assert rendering.text == "[]"
    assert [u.name for u in rendering.unknown] == ["missing"]
