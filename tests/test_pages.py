import pytest
from conftest import write_files

from docsite.diagnostics import Report
from docsite.pages import LoadedPages, SettingsMemo, first_h1, load_site, reload_pages
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


RELOAD_SITE = {
    "index.md": "# Home\n",
    "guide/index.md": "# Guide\n",
    "guide/index.yml": "icon: book\n",
    "guide/setup.md": "---\norder: 2\n---\n# Setup\n",
    "guide/more.md": "# More\n",
    "guide/more.yml": "label: More settings\n",
    "vault/index.yml": "visibility: protected\n",
    "vault/secret.md": "# Secret\n\nThe text.\n",
    "moved/index.yml": "permalink: /elsewhere\n",
    "moved/page.md": "# Moved\n",
}


def loaded_reload_site(root):
    """RELOAD_SITE written and loaded as watch mode loads it: what was found, the pages read,
    the checked settings, and the site."""
    write_files(root, RELOAD_SITE)
    found = discover(root, "content", Report())
    loaded, memo = LoadedPages(), SettingsMemo()
    return found, loaded, memo, load_site(found, Report(), memo, loaded=loaded)


def shown(site):
    """What a loaded site says of each page, and where each URL leads."""
    pages = [
        (p.source.rel, p.url, p.label, p.title, p.settings, p.body, p.is_index) for p in site.pages
    ]
    folders = {
        rel: (f.settings, f.index and f.index.source.rel, f.settings_file)
        for rel, f in site.folders.items()
    }
    return (
        pages,
        {url: page.source.rel for url, page in site.by_url.items()},
        site.output_keys,
        folders,
    )


@pytest.mark.parametrize(
    "rel, text",
    [
        ("guide/setup.md", "---\norder: 9\nlabel: Install\n---\n# Set up\n"),
        ("guide/setup.md", "---\nvisibility: hidden\n---\n# Setup\n"),
        ("guide/setup.md", "---\npermalink: /install\n---\n# Setup\n"),
        ("guide/setup.md", "---\npermalink: /guide/more\n---\n# Setup\n"),  # a clash
        ("guide/more.md", "---\nicon: rocket\n---\n# More and more\n"),
        ("vault/secret.md", "---\nlabel: Hush\n---\n# Secret\n\nOther text.\n"),
        ("moved/page.md", "---\nnav:\n  badge: NEW\n---\n# Moved\n"),
        ("guide/new.md", "# New\n"),  # added
        ("moved/new.md", "---\npermalink: /guide/setup\n---\n# New\n"),  # added, clashing
        ("moved/other.md", "---\npermalink: /Guide/Setup\n---\n# New\n"),  # in another case
        ("guide/more.md", "---\npermalink: /Guide/Setup\n---\n# More\n"),  # moved onto one
        ("moved/new.md", "---\npermalink: /guide/extra\n---\n# New\n"),  # added elsewhere
        ("guide/setup.md", None),  # removed
        ("guide/more.yml", "label: Other\n"),  # a page's own settings file
        ("guide/more.yml", "visibility: hidden\npermalink: /guide/setup\n"),  # and a clash
        ("guide/setup.yml", "label: Other\n"),  # a page's own settings file, made
        ("guide/more.yml", None),  # deleted
        # A folder's own page and settings, in what the pages below it do not inherit.
        ("guide/index.md", "# Guide again\n"),
        ("guide/index.md", "---\nlabel: Guides\norder: 3\n---\n# Guide\n"),
        ("guide/index.yml", "icon: rocket\nlabel: Guides\nnav:\n  badge: NEW\n"),
        ("guide/index.yml", None),  # deleted: its icon goes
        ("index.yml", "label: Start\n"),  # the home folder's, made
        ("index.md", "---\nlabel: Start\n---\n# Home again\n"),  # the home page
    ],
)
def test_reloading_changed_pages_gives_the_site_a_whole_load_gives(tmp_path, rel, text):
    found, loaded, memo, site = loaded_reload_site(tmp_path)
    if text is None:
        (tmp_path / rel).unlink()
    else:
        (tmp_path / rel).write_text(text)
    loaded.forget({rel})
    now = (
        discover(tmp_path, "content", Report())
        if rel not in site.by_source or text is None
        else found
    )
    style = site.pages[0].style
    reloaded_report, whole_report = Report(), Report()
    reloaded = reload_pages(site, found, now, {rel}, reloaded_report, memo, style, loaded)
    whole = load_site(now, whole_report, SettingsMemo())
    assert reloaded is not None
    assert shown(reloaded) == shown(whole)
    assert bool(reloaded_report.errors) == bool(whole_report.errors)
    assert shown(site) != shown(whole)  # the site it started from is as it was


@pytest.mark.parametrize(
    "rel, text",
    [
        # A folder's visibility or address, which the pages below it inherit.
        ("guide/index.md", "---\nvisibility: hidden\n---\n# Guide\n"),
        ("guide/index.yml", "visibility: protected\n"),
        ("guide/index.yml", "permalink: /guides\n"),
        ("index.md", "---\nvisibility: private\n---\n# Home\n"),
        ("vault/index.yml", "visibility: public\n"),
        ("vault/index.yml", None),  # deleted: its pages inherit no visibility now
        ("moved/index.yml", None),  # deleted: its pages' addresses change
        ("other/index.yml", "label: Other\n"),  # the settings of a folder that is not one
        ("guide/more.md", None),  # its settings file turns into a file of the site
        ("moved/readme.md", "# Readme\n"),  # a second default page
        ("other/page.md", "# Other\n"),  # in a new folder
        ("guide/index.md", None),
        ("vault/secret.md", None),  # the folder's last page
    ],
)
def test_folders_and_their_settings_are_not_reloaded_alone(tmp_path, rel, text):
    found, loaded, memo, site = loaded_reload_site(tmp_path)
    if text is None:
        (tmp_path / rel).unlink()
    else:
        write_files(tmp_path, {rel: text})
    loaded.forget({rel})  # as watch mode does
    now = discover(tmp_path, "content", Report())
    style = site.pages[0].style
    assert reload_pages(site, found, now, {rel}, Report(), memo, style, loaded) is None


def test_a_renamed_page_is_reloaded_where_a_whole_load_puts_it(tmp_path):
    found, loaded, memo, site = loaded_reload_site(tmp_path)
    (tmp_path / "guide/setup.md").rename(tmp_path / "guide/install.md")
    rels = {"guide/setup.md", "guide/install.md"}
    loaded.forget(rels)
    now = discover(tmp_path, "content", Report())
    style = site.pages[0].style
    reloaded = reload_pages(site, found, now, rels, Report(), memo, style, loaded)
    assert reloaded is not None
    assert shown(reloaded) == shown(load_site(now, Report(), SettingsMemo()))
