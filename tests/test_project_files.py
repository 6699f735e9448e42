"""Which files of a Retype project are published: `exclude` and `include`, the default left-out
names, and the left-out files a page links to (published because it does)."""

from __future__ import annotations

from conftest import Project


def sidebar_links(project: Project, rel: str = "index.html") -> list[str]:
    return [a["href"].removeprefix("./") for a in project.page(rel).select("#sidebar a[href]")]


def test_exclude_leaves_folders_patterns_and_rooted_files_out(project):
    project.write(
        {
            "retype.yml": 'exclude: ["draft/", "*_temp/", "/src/temp.md"]\n',
            "index.md": "# Home\n",
            "draft/idea.md": "# Idea\n",
            "notes_temp/scratch.md": "# Scratch\n",
            "src/temp.md": "# Temp\n",
            "src/keep.md": "# Keep\n",
            "other/src/temp.md": "# Not rooted\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    links = sidebar_links(project)
    assert "src/keep/" in links and "other/src/temp/" in links
    assert not any(href.startswith(("draft", "notes_temp", "src/temp/")) for href in links)
    for gone in ("draft/idea/index.html", "notes_temp/scratch/index.html", "src/temp/index.html"):
        assert not (project.out / gone).exists()
    assert (project.out / "other/src/temp/index.html").is_file()


def test_names_starting_with_underscore_or_dot_and_node_modules_are_left_out(project):
    project.write(
        {
            "retype.yml": "input: .\n",
            "index.md": "# Home\n",
            "_drafts/page.md": "# Draft\n",
            ".notes/page.md": "# Note\n",
            "node_modules/pkg/logo.png": b"png",
            "images/_old.png": b"png",
            "images/new.png": b"png",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    published = sorted(
        path.relative_to(project.out).as_posix()
        for path in project.out.rglob("*")
        if path.is_file() and ("images" in path.parts or "_drafts" in path.parts)
    )
    assert published == ["images/new.png"]
    assert not (project.out / ".notes").exists() and not (project.out / "node_modules").exists()


def test_include_brings_back_left_out_folders_and_files(project):
    project.write(
        {
            "retype.yml": 'include: ["_shared/", "*.py", ".well-known/**"]\nexclude: ["draft/"]\n',
            "index.md": "# Home\n",
            "_shared/common.md": "# Common\n",
            "_tools/build.py": "print('hi')\n",
            ".well-known/security.txt": "Contact: x\n",
            "draft/keep.py": "x = 1\n",
            "draft/idea.md": "# Idea\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    assert "_shared/common/" in sidebar_links(project)
    assert (
        project.page("_shared/common/index.html").select_one("h1").get_text().startswith("Common")
    )
    for rel in ("_tools/build.py", ".well-known/security.txt", "draft/keep.py"):
        assert (project.out / rel).is_file(), rel
    assert not (project.out / "draft/idea/index.html").exists()


def test_a_pattern_that_cannot_be_read_is_an_error_at_its_place(project):
    project.write({"retype.yml": "exclude:\n  - 'a/[z-a]'\n", "index.md": "# Home\n"})
    result = project.build()
    (error,) = result.report.errors
    assert (error.file, error.line, error.col) == ("retype.yml", 2, 5)
    assert "'exclude' pattern 'a/[z-a]' cannot be read" in error.message


def test_left_out_files_a_page_links_to_are_published(project):
    project.write(
        {
            "retype.yml": 'exclude: ["private/"]\n',
            "index.md": (
                "# Home\n\n![](.gitbook/assets/shot.png)\n\n[!file](private/data.csv)\n\n"
                "[!file Settings](guide.yml) [Source](_includes/part.md)\n"
            ),
            ".gitbook/assets/shot.png": b"png",
            ".gitbook/assets/unused.png": b"png",
            "private/data.csv": "a,b\n",
            "private/other.csv": "c,d\n",
            "guide.md": "# Guide\n",
            "guide.yml": "label: The guide\n",
            "_includes/part.md": "Part\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    home = project.page("index.html")
    assert home.select_one("article img")["src"] == "./.gitbook/assets/shot.png"
    hrefs = [a["href"].removeprefix("./") for a in home.select("article p a[href]")]
    assert hrefs == ["private/data.csv", "guide.yml", "_includes/part.md"]
    for rel in (".gitbook/assets/shot.png", "private/data.csv", "guide.yml", "_includes/part.md"):
        assert (project.out / rel).is_file(), rel
    for rel in (".gitbook/assets/unused.png", "private/other.csv"):
        assert not (project.out / rel).exists(), rel
    assert "The guide" in sidebar_links_text(project)  # guide.yml still is the page's settings


def sidebar_links_text(project: Project) -> list[str]:
    return [a.get_text(strip=True) for a in project.page("index.html").select("#sidebar a")]


def test_a_relative_link_in_included_text_finds_the_file_beside_the_included_file(project):
    project.write(
        {
            "retype.yml": "input: .\n",
            "index.md": "# Home\n",
            "samples/page.md": "# Page\n\n{{ include '_includes/header.md' }}\n",
            "samples/_includes/header.md": "![](header.png)\n",
            "samples/_includes/header.png": b"png",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    img = project.page("samples/page/index.html").select_one("article img")
    assert img["src"] == "../../samples/_includes/header.png"
    assert (project.out / "samples/_includes/header.png").is_file()


def test_a_left_out_file_is_published_while_a_page_links_to_it(project):
    project.write(
        {
            "retype.yml": "input: .\n",
            "index.md": "# Home\n\n[!file](_files/a.zip)\n",
            "_files/a.zip": b"one",
        }
    )
    assert project.build().ok
    assert (project.out / "_files/a.zip").read_bytes() == b"one"
    project.write({"_files/a.zip": b"two"})
    assert project.build().ok
    assert (project.out / "_files/a.zip").read_bytes() == b"two"
    project.write({"index.md": "# Home\n"})
    assert project.build().ok
    assert not (project.out / "_files/a.zip").exists()
    project.write({"index.md": "# Home\n\n[!file](_files/a.zip)\n"})
    assert project.build().ok
    (project.root / "_files/a.zip").unlink()
    result = project.build()  # a broken link warns in a Retype project, as in Retype
    assert [d.message for d in result.report.items] == [
        "link to a file that does not exist: '_files/a.zip'"
    ]


def test_a_left_out_file_named_by_image_or_redirect_is_published(project):
    project.write(
        {
            "retype.yml": "url: https://docs.example\n",
            "index.md": "---\nimage: _media/cover.png\n---\n# Home\n",
            "spec.md": "---\nredirect: _media/spec.pdf\n---\n# Spec\n",
            "_media/cover.png": b"png",
            "_media/spec.pdf": b"pdf",
            "_media/unused.pdf": b"pdf",
        }
    )
    result = project.build()
    assert result.ok and not result.report.items, project.messages(result)
    assert (project.out / "_media/cover.png").read_bytes() == b"png"
    assert (project.out / "_media/spec.pdf").read_bytes() == b"pdf"
    assert not (project.out / "_media/unused.pdf").exists()
    project.write({"index.md": "# Home\n"})
    assert project.build().ok
    assert not (project.out / "_media/cover.png").exists()
    assert (project.out / "_media/spec.pdf").exists()


def test_a_config_change_to_exclude_takes_a_page_out_and_back(project):
    project.write({"retype.yml": "input: .\n", "index.md": "# Home\n", "draft/idea.md": "# Idea\n"})
    assert project.build().ok
    assert "draft/idea/" in sidebar_links(project)
    project.write({"retype.yml": "exclude: [draft/]\n"})
    assert project.build().ok
    assert "draft/idea/" not in sidebar_links(project)
    assert not (project.out / "draft/idea/index.html").exists()
    project.write({"retype.yml": "input: .\n"})
    assert project.build().ok
    assert "draft/idea/" in sidebar_links(project)


def test_a_retype_project_publishes_retype_kinds_of_file_and_the_rest_when_linked(project):
    project.write(
        {
            "retype.yml": "include: ['*.sh']\n",
            "index.md": "# Home\n\n[!file](data/table.csv) [!file](notes/sample.yml)\n",
            "data/table.csv": "a,b\n",
            "data/other.csv": "c,d\n",
            "notes/sample.yml": "a: 1\n",
            "notes/unlinked.yml": "b: 2\n",
            "tools/run.sh": "echo hi\n",
            "tools/Makefile": "all:\n",
            "static/tool.py": "x = 1\n",
            "img/a.png": b"png",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    published = {
        path.relative_to(project.out).as_posix()
        for folder in ("data", "notes", "tools", "static", "img")
        for path in (project.out / folder).rglob("*")
    }
    assert published == {
        "data/table.csv",
        "notes/sample.yml",
        "tools/run.sh",
        "static/tool.py",
        "img/a.png",
    }


def test_a_docsite_project_publishes_every_file_of_its_content_folder(project):
    project.write(
        {
            "docsite.yml": "title: X\n",
            "content/index.md": "# Home\n",
            "content/data/table.csv": "a,b\n",
            "content/tools/Makefile": "all:\n",
        }
    )
    assert project.build().ok
    assert (project.out / "data/table.csv").is_file() and (project.out / "tools/Makefile").is_file()


def test_a_retype_projects_static_folder_is_content_not_a_theme_folder(project):
    """Retype knows no theme folders: static/ beside retype.yml is published at /static/
    only, and a stylesheet in it named as the theme's does not replace the theme's."""
    project.write(
        {
            "retype.yml": "input: .\n",
            "index.md": "# Home\n\n![](static/shot.png)\n",
            "static/shot.png": b"\x89PNG",
            "static/assets/docsite.css": "body { color: #123456 }\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    assert (project.out / "static/shot.png").is_file()
    assert not (project.out / "shot.png").exists()
    assert "#123456" not in (project.out / "assets/docsite.css").read_text()
    assert (project.out / "static/assets/docsite.css").is_file()
