from conftest import write_files

from docsite.diagnostics import Report
from docsite.pages import first_h1, load_site
from docsite.sources import discover


def load(tmp_path, files):
    write_files(tmp_path, files)
    report = Report()
    return load_site(discover(tmp_path, "content", report), report), report


def test_urls_and_output_paths(tmp_path):
    site, report = load(
        tmp_path,
        {
            "index.md": "# Home\n",
            "Getting Started.md": "# GS\n",
            "guide/readme.md": "# Guide\n",
            "guide/setup.md": "# Setup\n",
            "api/api.md": "# API\n",
            "codes.md": "---\npermalink: /status-codes\n---\n# Codes\n",
            "legacy.md": "---\nroute: /old/page.html\n---\n# Legacy\n",
        },
    )
    assert not report.items
    urls = {rel: (p.url, p.output_path) for rel, p in site.by_source.items()}
    assert urls == {
        "index.md": ("", "index.html"),
        "Getting Started.md": ("getting-started/", "getting-started/index.html"),
        "guide/readme.md": ("guide/", "guide/index.html"),
        "guide/setup.md": ("guide/setup/", "guide/setup/index.html"),
        "api/api.md": ("api/", "api/index.html"),
        "codes.md": ("status-codes/", "status-codes/index.html"),
        "legacy.md": ("old/page.html", "old/page.html"),
    }


def test_url_syntax_characters_in_file_names_are_slugified(tmp_path):
    site, _ = load(
        tmp_path,
        {"c#.md": "# C\n", "what?.md": "# Q\n", "50% off.md": "# P\n", "Ünïcode Page.md": "# U\n"},
    )
    urls = sorted(p.url for p in site.pages)
    assert urls == ["50-off/", "c/", "what/", "ünïcode-page/"]


def test_labels_fall_back_to_h1_then_file_name(tmp_path):
    site, _ = load(
        tmp_path,
        {
            "a.md": "---\nlabel: Custom\n---\n# Heading\n",
            "b.md": "Intro\n\n```\n# not a heading\n```\n\n# The `B` *page*\n",
            "quick-start.md": "No heading here.\n",
            "index.md": "Welcome text\n",
            "tools/index.md": "text\n",
        },
    )
    labels = {rel: p.label for rel, p in site.by_source.items()}
    assert labels == {
        "a.md": "Custom",
        "b.md": "The B page",
        "quick-start.md": "Quick start",
        "index.md": "Home",
        "tools/index.md": "Tools",
    }
    assert site.by_source["a.md"].title == "Heading"
    assert site.by_source["index.md"].settings.order == 10000


def test_two_default_pages_warn_and_both_are_published(tmp_path):
    site, report = load(tmp_path, {"g/index.md": "# I\n", "g/readme.md": "# R\n"})
    assert site.folders["g"].index is site.by_source["g/index.md"]
    assert site.by_source["g/readme.md"].url == "g/readme/"
    assert "default page" in report.warnings[0].message


def test_url_collision_names_both_files(tmp_path):
    _, report = load(
        tmp_path,
        {
            "a.md": "---\npermalink: /same\n---\n",
            "same.md": "# Same\n",
        },
    )
    (error,) = report.errors
    assert "content/a.md" in error.message and "content/same.md" in error.message
    assert "/same/" in error.message


def test_bad_permalinks_are_errors_at_the_value(tmp_path):
    _, report = load(
        tmp_path,
        {
            "a.md": "---\npermalink: ../../etc\n---\n",
            "b.md": "---\npermalink: 'C:\\temp'\n---\n",
            "c.md": "---\npermalink: /a b?c\n---\n",
        },
    )
    messages = {d.file: d for d in report.errors}
    assert messages["content/a.md"].line == 2 and "'..'" in messages["content/a.md"].message
    assert "file system path" in messages["content/b.md"].message
    assert "may only contain" in messages["content/c.md"].message


def test_paired_yml_settings(tmp_path):
    site, report = load(tmp_path, {"p.md": "# P\n", "p.yml": "order: 7\nicon: gear\n"})
    assert not report.items
    assert (site.by_source["p.md"].settings.order, site.by_source["p.md"].settings.icon) == (
        7,
        "gear",
    )


def test_first_h1_ignores_fenced_code():
    assert first_h1("~~~\n# no\n~~~\n## Sub\n# Yes #\n") == "Yes"
