"""Retype's `generator` settings: how page addresses are written (recase, trailingSlash,
directoryIndex name, append and altNames), read from a small Retype project's HTML."""

from __future__ import annotations

import posixpath

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


FILES_IN_CASE = {
    "retype.yml": (
        "branding:\n  logo: Media/Logo.PNG\nfavicon: Media/Icon.PNG\n"
        "links:\n  - text: Download\n    link: Media/Report.PDF\n"
    ),
    "index.md": (
        "---\nicon: Media/Icon.PNG\n---\n# Home\n\n![Shot](Media/Shot.png)\n\n"
        "[Report](Media/Report.PDF)\n\n[!card](Guide/Page.md)\n"
    ),
    "Guide/Page.md": "---\nimage: ../Media/Social.PNG\n---\n# Page\n",
    **{
        f"Media/{name}": b"\x89PNG file"
        for name in (
            "Logo.PNG",
            "Icon.PNG",
            "Report.PDF",
            "Shot.png",
            "Shot-Dark.png",
            "Social.PNG",
        )
    },
}


def local_references(project, rel: str) -> list[str]:
    """Every file of the site a page's links, images and icons lead to, from the site root."""
    page = project.page(rel)
    found = []
    for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("source", "srcset")):
        for element in page.select(f"{tag}[{attr}]"):
            url = element[attr].partition("#")[0].partition("?")[0]
            if url and "://" not in url and not url.startswith(("data:", "mailto:")):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), url))
                found.append(target.removeprefix("./"))
    return found


def test_files_are_published_in_lower_case_and_every_reference_follows(project):
    project.write(FILES_IN_CASE)
    result = project.build()
    assert result.ok, project.messages(result)
    published = sorted(p.name for p in (project.out / "media").iterdir())
    assert published == [
        "icon.png", "logo.png", "report.pdf", "shot-dark.png", "shot.png", "social.png"
    ]  # fmt: skip
    assert not (project.out / "Media").exists()
    home = project.page("index.html")
    assert home.select_one(".site-title img")["src"] == "./media/logo.png"
    assert home.select_one("link[rel=icon]")["href"] == "./media/icon.png"
    assert home.select_one("article .card img")["src"] == "./media/social.png"
    referenced = set(local_references(project, "index.html"))
    assert {
        "media/report.pdf",
        "media/shot.png",
        "media/shot-dark.png",
        "media/icon.png",
    } <= referenced
    for target in referenced:
        path = project.out / target
        assert path.is_file() or (path / "index.html").is_file(), target


def test_recase_none_publishes_files_as_named(project):
    project.write(
        {
            **FILES_IN_CASE,
            "retype.yml": FILES_IN_CASE["retype.yml"] + "generator:\n  recase: none\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    assert (project.out / "Media/Shot-Dark.png").is_file()
    assert project.page("index.html").select_one(".site-title img")["src"] == "./Media/Logo.PNG"
    for target in local_references(project, "index.html"):
        path = project.out / target
        assert path.is_file() or (path / "index.html").is_file(), target


def test_two_files_differing_only_in_case_are_one_published_file_and_a_warning(project):
    files = {
        "index.md": "# Home\n\n![a](img/a.png)\n",
        "img/A.png": b"upper",
        "img/a.png": b"lower",
    }
    project.write({"retype.yml": "input: .\n", **files})
    result = project.build()
    (warning,) = result.report.items
    assert warning.file == "img/a.png"
    assert "'img/a.png' is left out: 'img/A.png' is published at /img/a.png" in warning.message
    assert "recase: none" in warning.hint
    assert (project.out / "img/a.png").read_bytes() == b"upper"
