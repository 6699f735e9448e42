"""Retype's "Last updated" (components/last-updated.md): the page's last commit date, or the
values its frontmatter sets by hand, which are then shown alone."""

from __future__ import annotations

from conftest import Project


def footer(project: Project, rel: str):
    return project.page(rel).select_one(".edit-link .last-updated")


def test_manual_values_in_both_spellings(project: Project):
    project.write(
        {
            "content/index.md": "# Home\n",
            "content/long.md": "---\nlastUpdated:\n  date: 2026-03-12\n  by: Documentation Team\n"
            "---\n# Long\n",
            "content/short.md": "---\nlastUpdated: 2026-03-12\nlastUpdatedBy: Documentation Team\n"
            "---\n# Short\n",
            "content/by.md": "---\nlastUpdatedBy: Ada\n---\n# By\n",
        }
    )
    result = project.build()
    assert result.ok and not result.report.warnings, project.messages(result)
    for rel in ("long/index.html", "short/index.html"):
        shown = footer(project, rel)
        assert shown.time["datetime"] == "2026-03-12" and shown.time.text == "2026-03-12"
        assert shown.select_one(".last-updated-by").text == "Documentation Team"
        assert " ".join(shown.get_text().split()) == (
            "Last updated 2026-03-12 by Documentation Team"
        )
    only_by = footer(project, "by/index.html")
    assert only_by.time is None and only_by.get_text() == "Last updated by Ada"
    assert footer(project, "index.html") is None  # not in git: nothing to show


def test_a_wrong_date_is_an_error_at_its_place(project: Project):
    project.write({"content/index.md": "---\nlastUpdated: next week\n---\n# Home\n"})
    result = project.build()
    assert not result.ok
    [error] = result.report.errors
    assert (error.file, error.line, error.col) == ("content/index.md", 2, 14)
    assert "'lastUpdated' must be a date" in error.message and "YYYY-MM-DD" in error.hint
