import pytest

from docsite.diagnostics import DiagnosticError, Report
from docsite.sources import discover, read_text


def test_discover_skips_underscore_and_dot_names_and_sorts(tmp_path):
    for rel in [
        "b.md",
        "a.md",
        "_draft.md",
        ".hidden.md",
        "_partials/x.md",
        "img/logo.png",
        "guide/index.yml",
        "guide/setup.md",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = discover(tmp_path, "content", Report())
    assert [p.rel for p in found.pages] == ["a.md", "b.md", "guide/setup.md"]
    assert [a.rel for a in found.assets] == ["img/logo.png"]
    assert list(found.settings) == ["guide/index.yml"]
    assert found.pages[0].shown == "content/a.md"


def test_missing_content_folder_is_an_error_with_a_hint(tmp_path):
    with pytest.raises(DiagnosticError) as caught:
        discover(tmp_path / "content", "content", Report())
    assert "does not exist" in caught.value.diagnostics[0].message
    assert "content/index.md" in caught.value.diagnostics[0].hint


def test_symlink_loop_is_reported_not_followed_forever(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.md").write_text("# A")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    report = Report()
    found = discover(tmp_path, "content", report)
    assert [p.rel for p in found.pages] == ["a/page.md"]
    assert any("symlink loop" in d.message for d in report.errors)


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\nlabel: X\r\n---\r\n# T\r\n")
    assert read_text(path, "a.md") == "---\nlabel: X\n---\n# T\n"


def test_invalid_utf8_names_line_column_and_byte_offset(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"# Title\nab\xffc\n")
    with pytest.raises(DiagnosticError) as caught:
        read_text(path, "content/a.md")
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.line, diagnostic.col) == (2, 3)
    assert "offset 10" in diagnostic.message


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    with pytest.raises(DiagnosticError, match="binary"):
        read_text(path, "a.md")
