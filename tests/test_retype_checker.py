"""benchmarks/retype.py, the checker of Retype projects: it counts what a reader would see of
Retype syntax that docsite left as text, in a built site or, when the build stops, page by page."""

from __future__ import annotations

from conftest import Project

from benchmarks.retype import inspect, report


def test_visible_syntax_is_counted_outside_code(project: Project, tmp_path):
    project.write(
        {
            "retype.yml": "input: .\n",
            "index.md": "# Home\n\nSay !!! here and [[ there.\n\n`!!! in code` is fine.\n",
        }
    )
    found = inspect(project.root, tmp_path / "out")
    assert found.built and not found.errors
    assert (found.visible["!!!"], found.visible["[["]) == (1, 1)
    assert "visible Retype syntax: 2" in report(found, 3)


def test_a_build_with_errors_is_still_read_page_by_page(project: Project, tmp_path):
    project.write(
        {
            "retype.yml": "input: .\n",
            "index.md": "# Home\n\n[broken](missing.md)\n\nAnd {{ text\n",
            "other.md": "# Other\n\nLeft +++ here.\n",
        }
    )
    found = inspect(project.root, tmp_path / "out")
    # The broken link is a warning in a Retype project; the unclosed template is the error.
    assert not found.built and sum(found.errors.values()) == 1
    assert sum(found.warnings.values()) == 1
    assert found.errors["this `{{` has no `}}`"] == 1  # the page's text is kept as written
    assert found.visible["+++"] == 1
    assert "page bodies rendered one by one" in report(found, 3)
