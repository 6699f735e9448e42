"""Retype's `generator` settings: how page addresses are written (recase, trailingSlash,
directoryIndex name, append and altNames), read from a small Retype project's HTML."""

from __future__ import annotations

PAGES = {
    "index.md": "# Home\n\n[Setup](Guide/Getting-Started.md) [Demo](demo/)\n",
    "Guide/Getting-Started.md": "# Getting started\n\n[Home](../index.md)\n",
    "demo/index.html": "<p>A demo</p>\n",
}


def article_links(project, rel: str) -> list[str]:
    return [a["href"].removeprefix("./") for a in project.page(rel).select("article p a[href]")]


def sidebar_links(project, rel: str) -> list[str]:
    return [a["href"] for a in project.page(rel).select("#sidebar a[href]")]


def test_by_default_addresses_are_lower_case_folders_with_a_trailing_slash(project):
    project.write({"retype.yml": "input: .\n", **PAGES})
    result = project.build()
    assert result.ok, project.messages(result)
    assert article_links(project, "index.html") == ["guide/getting-started/", "demo/"]
    assert "./guide/getting-started/" in sidebar_links(project, "index.html")
    assert (project.out / "guide/getting-started/index.html").is_file()
    assert article_links(project, "guide/getting-started/index.html") == ["../../"]


def test_recase_none_keeps_the_names_as_written(project):
    project.write({"retype.yml": "generator:\n  recase: none\n", **PAGES})
    result = project.build()
    assert result.ok, project.messages(result)
    assert (project.out / "Guide/Getting-Started/index.html").is_file()
    assert article_links(project, "index.html")[0] == "Guide/Getting-Started/"
    assert "./Guide/Getting-Started/" in sidebar_links(project, "index.html")


def test_trailing_slash_false_leaves_the_slash_off_page_links(project):
    project.write({"retype.yml": "generator:\n  trailingSlash: false\n", **PAGES})
    result = project.build()
    assert result.ok, project.messages(result)
    assert (project.out / "guide/getting-started/index.html").is_file()
    assert article_links(project, "index.html") == ["guide/getting-started", "demo"]
    assert "./guide/getting-started" in sidebar_links(project, "index.html")
    # Served at /guide/getting-started, the page's base folder is /guide/: one level up.
    assert article_links(project, "guide/getting-started/index.html") == ["../"]


def test_directory_index_name_and_append_name_the_file_in_every_link(project):
    config = "generator:\n  directoryIndex:\n    name: default.htm\n    append: true\n"
    project.write({"retype.yml": config, **PAGES})
    result = project.build()
    assert result.ok, project.messages(result)
    page = "guide/getting-started/default.htm"
    assert (project.out / page).is_file() and (project.out / "default.htm").is_file()
    assert not (project.out / "index.html").exists()
    assert (project.out / "guide/getting-started/default.md").is_file()  # its Markdown copy
    assert article_links(project, "default.htm") == [page, "demo/index.html"]
    assert article_links(project, page) == ["../../default.htm"]
    assert project.page(page).select_one(".site-title")["href"] == "../../default.htm"


def test_alt_names_say_which_html_file_a_folder_link_opens(project):
    config = "generator:\n  directoryIndex:\n    altNames: [default.html]\n"
    project.write({"retype.yml": config, **PAGES})
    result = project.build()
    (warning,) = result.report.items  # a broken link warns in a Retype project
    assert (warning.file, warning.line) == ("index.md", 3)
    assert warning.message == "link to a file that does not exist: 'demo/'"
    project.write({"demo/default.html": "<p>Demo</p>\n"})
    result = project.build()
    assert result.ok, project.messages(result)
    assert article_links(project, "index.html")[1] == "demo/default.html"


def test_paths_other_than_relative_are_said_to_be_left_out(project):
    project.write({"retype.yml": "generator:\n  paths: root\n", "index.md": "# Home\n"})
    result = project.build()
    (warning,) = [d for d in result.report.items if "paths" in d.message]
    assert (warning.file, warning.line, warning.col) == ("retype.yml", 2, 10)
    assert warning.message.startswith("'generator.paths: root' is left out")


def test_a_directory_index_name_with_a_folder_is_an_error(project):
    config = "generator:\n  directoryIndex:\n    name: a/b.html\n"
    project.write({"retype.yml": config, "index.md": "# Home\n"})
    result = project.build()
    (error,) = result.report.errors
    assert (error.file, error.line, error.col) == ("retype.yml", 3, 11)
    assert "must be a file name" in error.message


def test_a_change_of_style_rewrites_the_site(project):
    project.write({"retype.yml": "input: .\n", **PAGES})
    assert project.build().ok
    project.write({"retype.yml": "generator:\n  trailingSlash: false\n"})
    assert project.build().ok
    assert article_links(project, "index.html") == ["guide/getting-started", "demo"]


def test_generated_pages_are_written_to_the_directory_index_name(project):
    config = "generator:\n  directoryIndex:\n    name: default.htm\n"
    page = "---\ntags: [setup]\nredirect_from: /old-home\n---\n# Home\n"
    project.write({"retype.yml": config, "index.md": page})
    result = project.build()
    assert result.ok, project.messages(result)
    for rel in ("tags/default.htm", "tags/setup/default.htm", "old-home/default.htm"):
        assert (project.out / rel).is_file(), rel
    assert project.page("tags/setup/default.htm").select_one("article a")["href"] == "../../"


def test_generated_pages_follow_the_address_form(project):
    """Tag pages and the blog's summary pages are written, and linked, as pages are."""
    pages = {
        "index.md": "---\ntags: [alpha]\n---\n# Home\n",
        **{f"blog/2026-01-0{n}-post.md": f"# Post {n}\n\nText {n}.\n" for n in range(1, 4)},
    }
    config = "generator:\n  trailingSlash: false\nblog:\n  pageSize: 2\n"
    project.write({"retype.yml": config, **pages})
    result = project.build()
    assert result.ok, project.messages(result)
    home = project.page("index.html")
    assert home.select_one("a[rel=tag]")["href"] == "./tags/alpha"
    tag_page = project.page("tags/alpha/index.html")  # served at /tags/alpha: base /tags/
    assert tag_page.select_one("article ul a")["href"] == "../"
    assert tag_page.select_one("article p a")["href"] == "../tags"
    second = project.page("blog/page/2/index.html")  # served at /blog/page/2: base /blog/page/
    newer = [a["href"] for a in second.select("a[href]") if "page" not in a["href"]]
    assert "../../blog" in newer
