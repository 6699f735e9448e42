import pytest

from docsite.diagnostics import DiagnosticError
from docsite.yamldoc import Position, load_yaml


def test_positions_of_keys_and_values_are_file_lines():
    doc = load_yaml("order: 5\nnav:\n  badge: NEW|info\n", "p.md", first_line=2)
    assert doc.data == {"order": 5, "nav": {"badge": "NEW|info"}}
    assert doc.where(("order",)) == Position(2, 8)
    assert doc.where(("nav", "badge")) == Position(4, 10)
    assert doc.where_key(("nav", "badge")) == Position(4, 3)


def test_unknown_path_falls_back_to_nearest_parent():
    doc = load_yaml("nav:\n  badge: x\n", "p.md")
    assert doc.where(("nav", "missing")) == doc.where(("nav",))


def test_malformed_yaml_names_the_line_and_column_in_the_file():
    with pytest.raises(DiagnosticError) as caught:
        load_yaml("label: ok\norder: [1, 2\nicon: x\n", "content/a.md", first_line=2)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.file == "content/a.md"
    assert diagnostic.line == 4
    assert diagnostic.col == 5
    assert "line 3, column 8" in diagnostic.message


def test_unquoted_colon_gets_a_quoting_hint():
    with pytest.raises(DiagnosticError) as caught:
        load_yaml("label: Step: one\n", "a.md")
    assert 'label: "Step: one"' in caught.value.diagnostics[0].hint


def test_duplicate_keys_are_recorded():
    doc = load_yaml("a: 1\nb: 2\na: 3\n", "a.md")
    assert doc.data["a"] == 3
    assert doc.duplicate_keys == [(("a",), Position(3, 1))]


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 101 + "]" * 101,  # 101 brackets: just past the count that skips the check
        "- " * 101 + "x",  # block sequences, one dash each
        "".join("  " * level + f"k{level}:\n" for level in range(101)) + "  " * 101 + "v",
    ],
    ids=["flow", "block-sequence", "block-mapping"],
)
def test_nesting_one_level_too_deep_is_refused(text):
    with pytest.raises(DiagnosticError) as caught:
        load_yaml(text, "a.md")
    assert "nested more than 100 levels" in caught.value.diagnostics[0].message


def test_nesting_at_the_limit_is_read():
    doc = load_yaml("a: " + "[" * 99 + "]" * 99, "a.md")  # the mapping and 99 lists: 100
    value, depth = doc.data["a"], 1
    while value:
        value, depth = value[0], depth + 1
    assert depth == 99
