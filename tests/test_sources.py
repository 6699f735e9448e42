import copy
from pathlib import Path

import pytest
from conftest import write_files

from docsite.build import BuildOptions, build_site
from docsite.diagnostics import DiagnosticError, Report
from docsite.reading import read_text
from docsite.sources import Discovery, PathRules, discover, file_suffix, rediscover


def test_discover_skips_underscore_and_dot_names_and_sorts(tmp_path):
    for rel in [
        "b.md",
        "a.md",
        "_draft.md",
        ".hidden.md",
        "_partials/x.md",
        "img/logo.png",
        "guide/index.yml",
        "guide/setup.md",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = discover(tmp_path, "content", Report())
    assert [p.rel for p in found.pages] == ["a.md", "b.md", "guide/setup.md"]
    assert [a.rel for a in found.assets] == ["img/logo.png"]
    assert list(found.settings) == ["guide/index.yml"]
    assert found.pages[0].shown == "content/a.md"


def test_missing_content_folder_is_an_error_with_a_hint(tmp_path):
    with pytest.raises(DiagnosticError) as caught:
        discover(tmp_path / "content", "content", Report())
    assert "does not exist" in caught.value.diagnostics[0].message
    assert "content/index.md" in caught.value.diagnostics[0].hint


def test_symlink_loop_is_reported_not_followed_forever(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.md").write_text("# A")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    report = Report()
    found = discover(tmp_path, "content", report)
    assert [p.rel for p in found.pages] == ["a/page.md"]
    assert any("symlink loop" in d.message for d in report.errors)


def test_two_symlinks_to_one_folder_are_no_loop_and_both_are_published(tmp_path):
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "page.md").write_text("# Shared")
    (tmp_path / "one").symlink_to(tmp_path / "shared")
    (tmp_path / "two").symlink_to("shared")
    report = Report()
    found = discover(tmp_path, "content", report)
    assert report.items == []
    assert [p.rel for p in found.pages] == ["one/page.md", "shared/page.md", "two/page.md"]


def test_a_loop_through_two_symlinks_is_reported_once_per_way_in(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "page.md").write_text("# Page")
    (tmp_path / "a" / "to-b").symlink_to(tmp_path / "b")
    (tmp_path / "b" / "to-a").symlink_to(tmp_path / "a")
    report = Report()
    found = discover(tmp_path, "content", report)
    assert [p.rel for p in found.pages] == [
        "a/page.md",
        "a/to-b/page.md",
        "b/page.md",
        "b/to-a/page.md",
    ]
    assert [d.file for d in report.errors] == ["content/a/to-b/to-a", "content/b/to-a/to-b"]


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\nlabel: X\r\n---\r\n# T\r\n")
    assert read_text(path, "a.md") == "---\nlabel: X\n---\n# T\n"


def test_invalid_utf8_names_line_column_and_byte_offset(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"# Title\nab\xffc\n")
    with pytest.raises(DiagnosticError) as caught:
        read_text(path, "content/a.md")
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.line, diagnostic.col) == (2, 3)
    assert "offset 10" in diagnostic.message


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    with pytest.raises(DiagnosticError, match="binary"):
        read_text(path, "a.md")


def test_a_symlink_out_of_the_project_is_an_error_and_not_published(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (outside / "notes.md").write_text("# Notes")
    content = tmp_path / "proj" / "content"
    content.mkdir(parents=True)
    (content / "index.md").write_text("# Home")
    (tmp_path / "proj" / "shared.md").write_text("# Shared")
    (content / "passwd.txt").symlink_to(outside / "secret.txt")
    (content / "elsewhere").symlink_to(outside)
    (content / "shared.md").symlink_to(tmp_path / "proj" / "shared.md")  # in the project: fine
    report = Report()
    found = discover(content, "content", report, confined_to=(tmp_path / "proj", content))
    assert [p.rel for p in found.pages] == ["index.md", "shared.md"]
    assert found.assets == []
    errors = {(d.file, d.message, d.hint) for d in report.errors}
    hint = (
        "symlinks in the content folder must point inside the project folder; "
        "copy the file in instead"
    )
    assert errors == {
        (
            "content/elsewhere",
            f"symlink to '{outside}', outside the project: it is not published",
            hint,
        ),
        (
            "content/passwd.txt",
            f"symlink to '{outside / 'secret.txt'}', outside the project: it is not published",
            hint,
        ),
    }


def test_a_build_refuses_a_symlink_to_etc_passwd(tmp_path):
    root = tmp_path / "proj"
    (root / "content").mkdir(parents=True)
    (root / "content/index.md").write_text("# Home\n")
    (root / "content/passwd.txt").symlink_to("/etc/passwd")
    result = build_site(BuildOptions(root=root, out=root / "site"))
    assert not result.ok
    (error,) = result.report.errors
    assert error.file == "content/passwd.txt" and "outside the project" in error.message
    assert not (root / "site" / "passwd.txt").exists()


REDISCOVERED = {
    "index.md": "# Home\n",
    "a.md": "# A\n",
    "guide/index.md": "# Guide\n",
    "guide/b.md": "# B\n",
    "guide/b.yml": "label: Bee\n",  # settings beside a page
    "guide/deep/c.md": "# C\n",
    "guide/notes.yml": "kind: sample\n",  # no page of that name: a file of the site
    "zeta/d.md": "# D\n",
    "_drafts/e.md": "# E\n",  # left out
    "logo.png": "png",
}


def found_now(root: Path, rules: PathRules) -> Discovery:
    return discover(root, "content", Report(), (), (), rules)


@pytest.mark.parametrize(
    "added, removed",
    [
        (["guide/new.md"], []),
        (["guide/0-first.md", "guide/deep/z.md", "zeta/a.md", "aa.md"], []),
        ([], ["a.md", "guide/deep/c.md"]),
        (["guide/renamed.md"], ["guide/deep/c.md"]),
        # Settings files: a folder's, a page's found before, made or deleted.
        (["guide/index.yml", "a.yml", "zeta/index.yaml"], []),
        ([], ["guide/b.yml"]),
        (["guide/deep/c.yaml", "guide/new.md"], ["guide/b.yml"]),
    ],
)
def test_rediscovering_added_and_removed_pages_finds_what_a_walk_finds(tmp_path, added, removed):
    write_files(tmp_path, REDISCOVERED)
    rules = PathRules(exclude=("zeta/skip.md",))
    before = found_now(tmp_path, rules)
    kept = copy.deepcopy(before)
    write_files(tmp_path, {rel: "# New\n" for rel in added})
    for rel in removed:
        (tmp_path / rel).unlink()
    found = rediscover(before, tmp_path, "content", {*added, *removed}, (), rules)
    assert found == found_now(tmp_path, rules)
    assert before == kept  # what was found before is as it was


@pytest.mark.parametrize(
    "rel",
    [
        "logo2.png",  # not a page
        "fresh/page.md",  # in a new folder
        "_drafts/f.md",  # left out by its folder's name
        "zeta/skip.md",  # left out by `exclude`
        "guide/notes.md",  # turns notes.yml into its settings
        "guide/b.md",  # removed: b.yml turns into a file of the site
        "guide/other.yml",  # no page of that name: a file of the site
        "_drafts/index.yml",  # left out by its folder's name
        "retype.yml",  # the project's config, beside the pages
        "fresh/index.yml",  # in a new folder
    ],
)
def test_rediscovering_needs_a_walk_past_plain_pages(tmp_path, rel):
    write_files(tmp_path, REDISCOVERED)
    rules = PathRules(exclude=("zeta/skip.md",))
    before = found_now(tmp_path, rules)
    if (tmp_path / rel).exists():
        (tmp_path / rel).unlink()
    else:
        write_files(tmp_path, {rel: "# New\n"})
    assert rediscover(before, tmp_path, "content", {rel}, (), rules) is None


@pytest.mark.parametrize(
    "added, removed",
    [
        (["guide/x.md", "guide/x.yml"], []),  # the page comes with its settings
        (["a.yml"], ["a.md"]),  # its page goes: a file of the site
    ],
)
def test_rediscovering_settings_whose_page_comes_or_goes_needs_a_walk(tmp_path, added, removed):
    write_files(tmp_path, REDISCOVERED)
    rules = PathRules()
    before = found_now(tmp_path, rules)
    write_files(tmp_path, {rel: "# New\n" for rel in added})
    for rel in removed:
        (tmp_path / rel).unlink()
    assert rediscover(before, tmp_path, "content", {*added, *removed}, (), rules) is None


def test_an_output_folder_used_before_is_not_read_as_content(tmp_path):
    """Retype's pages are beside the config (`input: .`): once `output` names another
    folder, the one used before held pages too, its Markdown copies, and was built again
    into the site ("Built 2 pages" for one)."""
    root = tmp_path / "proj"
    write_files(root, {"retype.yml": "output: public\n", "index.md": "# Home\n"})
    assert build_site(BuildOptions(root=root)).ok
    assert (root / "public/index.md").is_file()  # the home page's Markdown copy
    (root / "retype.yml").write_text("output: site\n")
    result = build_site(BuildOptions(root=root))
    assert result.ok and result.pages == 1
    assert not (root / "site/public").exists()
    (warning,) = [d for d in result.report.items if d.file == "public"]
    assert "not read as content" in warning.message and "delete it" in warning.hint


@pytest.mark.parametrize(
    "name",
    ["page.md", "PAGE.MD", "a.b.yml", "a.", "a", ".md", "..md", ".a.md", "a..md", "...", "._x"],
)
def test_a_files_suffix_is_the_one_os_path_finds(name):
    """The walk's own suffix of a name agrees with os.path.splitext, leading dots too."""
    import os

    assert file_suffix(name) == os.path.splitext(name)[1].lower()
