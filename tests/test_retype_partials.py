"""Retype's project partials: `extends`, retype.<id>.yml fragments and retype.build.yml or
retype.start.yml, merged in Retype's order, with messages in the file each key came from."""

from __future__ import annotations

from docsite.config import load_config
from docsite.diagnostics import Report


def header(project) -> tuple[str, str]:
    page = project.page("index.html")
    return (
        page.select_one(".site-title").get_text(" ", strip=True),
        page.select_one(".site-label").get_text(strip=True),
    )


def test_extends_merges_files_over_the_config_deep_and_in_order(project):
    project.write(
        {
            "retype.yml": (
                "extends:\n  - ./config/base.yml\n  - ./config/theme.yml\n"
                "branding:\n  title: API Docs\n  label: Product Docs\n"
                "links:\n  - text: Home\n    link: /\n"
            ),
            "config/base.yml": (
                "branding:\n  title: Shared Docs\n"
                "links:\n  - text: Base\n    link: https://example.com/base\n"
            ),
            "config/theme.yml": "extends: more.yml\nbranding:\n  label: Theme\n",
            "config/more.yml": "branding:\n  label: More\n",
            "index.md": "# Home\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    assert header(project) == ("Shared Docs", "More")
    links = [a.get_text(strip=True) for a in project.page("index.html").select(".header-links a")]
    assert links == ["Base"]  # arrays are replaced, not appended
    assert not (project.out / "config").exists()  # the partials are no files of the site


def test_fragments_then_the_build_file_are_merged_over_the_config(project):
    project.write(
        {
            "retype.yml": "branding:\n  title: Main\n  label: main\n",
            "retype.theme.blue.yml": "branding:\n  label: blue\n",
            "retype.theme.yml": "branding:\n  label: theme\n  title: Themed\n",
            "retype._theme.yml": "branding:\n  title: Not a fragment\n",
            "index.md": "# Home\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    assert header(project) == ("Themed", "blue")
    project.write({"retype.build.yml": "branding:\n  label: build\n"})
    assert project.build().ok
    assert header(project) == ("Themed", "build")


def test_the_start_file_applies_to_serve_and_the_build_file_to_build(tmp_path):
    (tmp_path / "retype.yml").write_text("branding:\n  label: main\n")
    (tmp_path / "retype.build.yml").write_text("branding:\n  label: build\n")
    (tmp_path / "retype.start.yml").write_text("branding:\n  label: start\nserve:\n  port: 5005\n")
    built = load_config(tmp_path, None, Report())
    served = load_config(tmp_path, None, Report(), start=True)
    assert (built.label, built.serve_port) == ("build", 0)
    assert (served.label, served.serve_port) == ("start", 5005)
    assert built.partials == ("retype.build.yml",) and served.partials == ("retype.start.yml",)


def test_null_clears_a_value_of_an_earlier_file(tmp_path):
    (tmp_path / "retype.yml").write_text("branding:\n  label: main\nextends: x.yml\n")
    (tmp_path / "x.yml").write_text("branding:\n  label: null\n")
    assert load_config(tmp_path, None, Report()).label == ""


def test_a_problem_in_a_partial_is_reported_in_that_file_at_its_place(project):
    project.write(
        {
            "retype.yml": "extends: config/base.yml\nsearch:\n  maxResults: 10\n",
            "config/base.yml": "search:\n  minChars: many\nunknownKey: 1\n",
            "retype.build.yml": "branding:\n  label: build\nunknownBuildKey: 1\n",
            "index.md": "# Home\n",
        }
    )
    result = project.build()
    messages = {(d.file, d.line, d.col): d.message for d in result.report.items}
    assert messages[("config/base.yml", 2, 13)].startswith("'search.min_chars' must be")
    assert messages[("config/base.yml", 3, 1)] == (
        "base.yml key 'unknownKey' is not supported by docsite and is ignored"
    )
    assert messages[("retype.build.yml", 3, 1)] == (
        "retype.build.yml key 'unknownBuildKey' is not supported by docsite and is ignored"
    )


def test_extends_that_names_no_local_file_or_a_loop_is_an_error_at_it(project):
    project.write(
        {
            "retype.yml": (
                "extends:\n  - missing.yml\n  - https://example.com/base.yml\n  - a.yml\n"
            ),
            "a.yml": "extends: retype.yml\nbranding:\n  label: A\n",
            "index.md": "# Home\n",
        }
    )
    result = project.build()
    found = [(d.file, d.line, d.col, d.message) for d in result.report.errors]
    assert found == [
        ("a.yml", 1, 10, "'extends' names 'retype.yml', which extends this file: a loop"),
        ("retype.yml", 2, 5, "'extends' names 'missing.yml', which is not a file"),
        (
            "retype.yml",
            3,
            5,
            "'extends' cannot be 'https://example.com/base.yml': only local files can be extended",
        ),
    ]


def test_a_change_to_an_extended_file_changes_the_site(project):
    project.write(
        {
            "retype.yml": "extends: ../shared/base.yml\n",
            "../shared/base.yml": "branding:\n  title: One\n  label: v1\n",
            "index.md": "# Home\n",
        }
    )
    assert project.build().ok
    assert header(project) == ("One", "v1")
    project.write({"../shared/base.yml": "branding:\n  title: Two\n  label: v2\n"})
    assert project.build().ok
    assert header(project) == ("Two", "v2")
