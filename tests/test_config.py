import pytest

from docsite.config import load_config
from docsite.diagnostics import Report, UsageError


def test_no_config_file_means_defaults(tmp_path):
    config = load_config(tmp_path, None, Report())
    assert (config.title, config.input, config.output, config.toc_levels) == (
        "Docs",
        "content",
        "site",
        (2, 3),
    )


def test_all_keys(tmp_path):
    (tmp_path / "docsite.yml").write_text(
        "title: My Docs\nurl: https://example.com/docs\nlinks:\n  - text: GitHub\n"
        "    link: https://github.com/x\n    icon: mark-github\nfooter: (c) Me\n"
        "edit:\n  repo: https://github.com/x/y/\ntoc:\n  depth: 2\noutput: public\n"
    )
    report = Report()
    config = load_config(tmp_path, None, report)
    assert not report.items
    assert config.title == "My Docs" and config.url == "https://example.com/docs/"
    assert config.links[0].icon == "mark-github" and config.edit.repo == "https://github.com/x/y"
    assert config.toc_levels == (2,) and config.output_dir == tmp_path / "public"


def test_wrong_types_and_unknown_keys(tmp_path):
    (tmp_path / "docsite.yml").write_text(
        "title: [a]\ntoc:\n  depth: 9\nfooterr: x\nlinks:\n  - text: X\n"
    )
    report = Report()
    config = load_config(tmp_path, None, report)
    messages = [(d.line, d.severity.value, d.message) for d in report.sorted()]
    assert (1, "error", "'title' must be a string, got a list") in messages
    assert any(line == 3 and "levels outside 1 to 6" in m for line, _, m in messages)
    assert any(line == 4 and "unknown docsite.yml key 'footerr'" in m for line, _, m in messages)
    assert any(line == 6 and "a link needs a 'text', and a 'link'" in m for line, _, m in messages)
    assert config.title == "Docs"


def test_retype_yml_is_read_when_there_is_no_docsite_yml(tmp_path):
    (tmp_path / "retype.yml").write_text(
        "input: docs\noutput: .retype\nurl: docs.example.com/\nbranding:\n  title: Acme\n"
        "  colors:\n    label: red\nlinks:\n  - text: GitHub\n    link: https://github.com/a\n"
        '    target: blank\nfooter:\n  copyright: "(c) {{ year }} Acme"\n'
        "edit:\n  repo: https://github.com/a/b\n  base: docs\nsearch:\n  hotkeys: [k]\n"
        "  mode: full\nnav:\n  mode: stack\n"
    )
    report = Report()
    config = load_config(tmp_path, None, report)
    assert (config.title, config.input, config.output) == ("Acme", "docs", "site")
    assert config.links[0].link == "https://github.com/a"
    assert config.footer.startswith("(c) 20") and config.footer.endswith(" Acme")
    # Retype's edit links open the file's page: /blob/ (docsite's own default is /edit/).
    assert (config.edit.repo, config.edit.path) == ("https://github.com/a/b", "docs")
    assert config.edit.view == "blob"
    assert config.links[0].target == "_blank" and config.search.hotkeys == ("k",)
    assert config.url == "https://docs.example.com/"
    warned = sorted((d.line, d.message) for d in report.warnings)
    # search.mode: full is what docsite does, and nav is read: nothing to say about them.
    assert [line for line, _ in warned] == [3, 7]
    assert "'url' has no scheme; it is taken as https://docs.example.com/" in warned[0][1]
    assert "branding.colors.label" in warned[1][1] and "is not supported" in warned[1][1]
    assert config.nav_mode == "stack"
    assert config.file == "retype.yml"


def test_retype_projects_default_to_their_own_folder_as_input(tmp_path):
    (tmp_path / "retype.yaml").write_text("branding:\n  title: Acme\n")
    config = load_config(tmp_path, None, Report())
    assert (config.file, config.input, config.content_dir) == ("retype.yaml", ".", tmp_path)


def test_retype_json_is_read_with_positions(tmp_path):
    (tmp_path / "retype.json").write_text(
        '{\n\t"input": "docs",\n\t"branding": {"title": "Acme", "colour": "red"}\n}\n'
    )
    report = Report()
    config = load_config(tmp_path, None, report)
    assert (config.title, config.input) == ("Acme", "docs")
    [warning] = report.warnings
    assert (warning.file, warning.line, warning.col) == ("retype.json", 3, 32)
    assert "retype.json key 'branding.colour' is not supported" in warning.message


def test_docsite_yaml_is_read_and_two_config_files_are_an_error(tmp_path):
    (tmp_path / "docsite.yaml").write_text("title: Yaml\n")
    assert load_config(tmp_path, None, Report()).title == "Yaml"
    (tmp_path / "docsite.yml").write_text("title: Yml\n")
    with pytest.raises(UsageError) as raised:
        load_config(tmp_path, None, Report())
    assert "docsite.yml and docsite.yaml are both in" in str(raised.value)
    assert "keep one of them" in str(raised.value)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("docs.example.com", "https://docs.example.com/"),
        ("//docs.example.com/v2", "https://docs.example.com/v2/"),
        ("http://docs.example.com/", "http://docs.example.com/"),
    ],
)
def test_url_is_always_absolute(tmp_path, written, read):
    (tmp_path / "docsite.yml").write_text(f"title: T\nurl: {written}\n")
    report = Report()
    assert load_config(tmp_path, None, report).url == read
    assert [(d.line, d.col) for d in report.warnings] == ([] if "http" in written else [(2, 6)])


def test_docsite_yml_wins_over_retype_yml(tmp_path):
    (tmp_path / "retype.yml").write_text("branding:\n  title: Retype\n")
    (tmp_path / "docsite.yml").write_text("title: Docsite\n")
    assert load_config(tmp_path, None, Report()).title == "Docsite"


@pytest.mark.parametrize(
    ("written", "levels"),
    [
        ("2", (2,)),
        ("2-3", (2, 3)),
        ("2,4", (2, 4)),
        ("1,3-4", (1, 3, 4)),
        ("1,2,3,4", (1, 2, 3, 4)),
    ],
)
def test_toc_depth_is_read_as_retype_writes_it(tmp_path, written, levels):
    (tmp_path / "retype.yml").write_text(f"toc:\n  depth: {written}\n  label: Contents\n")
    config = load_config(tmp_path, None, Report())
    assert (config.toc_levels, config.toc_label) == (levels, "Contents")


def test_a_toc_depth_it_cannot_read_is_said_where_it_is(tmp_path):
    (tmp_path / "docsite.yml").write_text("toc:\n  depth: 2-x\n")
    report = Report()
    config = load_config(tmp_path, None, report)
    assert [d.format().split("\n")[0] for d in report.items] == [
        "docsite.yml:2:10: error: 'toc.depth' cannot read '2-x'"
    ]
    assert config.toc_levels == (2, 3)
