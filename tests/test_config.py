from docsite.config import load_config
from docsite.diagnostics import Report


def test_no_config_file_means_defaults(tmp_path):
    config = load_config(tmp_path, None, Report())
    assert (config.title, config.input, config.output, config.toc_depth) == (
        "Docs",
        "content",
        "site",
        3,
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
    assert config.toc_depth == 2 and config.output_dir == tmp_path / "public"


def test_wrong_types_and_unknown_keys(tmp_path):
    (tmp_path / "docsite.yml").write_text(
        "title: [a]\ntoc:\n  depth: 9\nfooterr: x\nlinks:\n  - text: X\n"
    )
    report = Report()
    config = load_config(tmp_path, None, report)
    messages = [(d.line, d.severity.value, d.message) for d in report.sorted()]
    assert (1, "error", "'title' must be a string, got a list") in messages
    assert any(line == 3 and "between 2 and 6" in m for line, _, m in messages)
    assert any(line == 4 and "unknown docsite.yml key 'footerr'" in m for line, _, m in messages)
    assert any(line == 6 and "needs both 'text' and 'link'" in m for line, _, m in messages)
    assert config.title == "Docs"
