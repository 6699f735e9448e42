"""The no-change stamp: `docsite build` skips the builder only when nothing the site is
made of changed, and every other build still equals a clean one."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_files
from test_incremental import EDITS, clean_build, make_site, tree

import docsite.build
import docsite.cache
import docsite.gitdates
from docsite import __main__ as entry
from docsite import cli, stamp
from docsite.cache import CACHE_DIR, BuildCache
from docsite.gitdates import head_files


def build(root: Path, *args: str) -> int:
    os.chdir(root)
    return cli.main(["build", "--out", "site", "-q", "-j", "1", *args])


def stamps(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).glob("stamp-*"))


def test_a_build_with_nothing_changed_is_answered_by_the_stamp(
    tmp_path, monkeypatch, fine_times, builds, capsys
):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    monkeypatch.chdir(root)
    assert build(root) == 0 and len(builds) == 1
    assert len(stamps(root)) == 1
    assert build(root) == 0 and len(builds) == 1  # the builder was not called
    capsys.readouterr()
    assert cli.main(["build", "--out", "site", "-j", "1"]) == 0 and len(builds) == 1
    assert "Built 7 pages in" in capsys.readouterr().out
    # Another request (another output folder, --strict) has no stamp yet.
    assert build(root, "--strict") == 0 and len(builds) == 2


@pytest.mark.parametrize("name", sorted(EDITS))
def test_every_kind_of_edit_builds_again_and_equals_a_clean_build(
    tmp_path, monkeypatch, fine_times, builds, name
):
    root = tmp_path / "proj"
    make_site(root)
    monkeypatch.chdir(root)
    assert build(root) == 0 and stamps(root)
    EDITS[name](root)
    assert build(root) == 0 and len(builds) == 2, "the edit went unseen"
    assert tree(root / "site") == clean_build(root, tmp_path / "clean")


MORE_EDITS = {
    "empty folder gets a page": lambda r: write_files(r, {"content/empty/new.md": "# New\n"}),
    "asset added": lambda r: write_files(r, {"content/s0/picture.txt": "a file\n"}),
    "include appears": lambda r: write_files(r, {"content/_includes/head.html": "<meta x>"}),
    "templates folder made": lambda r: (r / "templates").mkdir(),
    "second config file": lambda r: write_files(r, {"retype.yml": "input: content\n"}),
    "git repository made": lambda r: (r / ".git").mkdir(),
    "site replaced": lambda r: (r / "site" / ".docsite").write_text("x"),
    "watch mode re-rendered": lambda r: BuildCache(r, (r / "site").resolve()).forget_inputs(),
}


@pytest.mark.parametrize("name", sorted(MORE_EDITS))
def test_what_no_page_edit_changes_is_seen_too(tmp_path, monkeypatch, fine_times, builds, name):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    (root / "content/empty").mkdir()
    monkeypatch.chdir(root)
    assert build(root) == 0 and stamps(root)
    MORE_EDITS[name](root)
    build(root)
    assert len(builds) == 2, "the change went unseen"


def test_an_upgraded_library_is_a_change_the_stamp_sees(tmp_path, monkeypatch, fine_times, builds):
    """A library docsite writes with (docsite.libraries), upgraded: its installer replaced
    its `.dist-info` folder, and the build's cache version changed with it."""
    import docsite.build.nochange

    installed = tmp_path / "site-packages"
    old = installed / "markdown_it_py-4.0.0.dist-info"
    old.mkdir(parents=True)
    monkeypatch.setattr(
        docsite.build.nochange,
        "installed_libraries",
        lambda: {"markdown_it_py": ("4.0.0", str(old))},
    )
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    assert build(root) == 0 and stamps(root)
    assert build(root) == 0 and len(builds) == 1  # answered by the stamp
    old.rename(installed / "markdown_it_py-4.1.0.dist-info")
    assert build(root) == 0 and len(builds) == 2


def test_a_no_change_build_loads_neither_argparse_nor_the_builder(
    tmp_path, monkeypatch, fine_times
):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    assert build(root) == 0 and stamps(root)
    loaded = (
        "import sys; from docsite.__main__ import main; code = main(); "
        "print(code, sorted(m for m in ('argparse', 'pathlib', 'docsite.cli', 'docsite.build') "
        "if m in sys.modules))"
    )
    argv = ["build", "--out", "site", "-q", "-j", "1"]
    done = subprocess.run(
        [sys.executable, "-c", loaded, *argv], cwd=root, capture_output=True, text=True
    )
    assert done.stdout == "0 []\n", done.stderr
    write_files(root, {"content/s0/p0.md": "# Edited\n"})
    done = subprocess.run(
        [sys.executable, "-c", loaded, *argv], cwd=root, capture_output=True, text=True
    )
    # The edit is built from the arguments read already: argparse never loads.
    assert done.stdout == "0 ['docsite.build', 'docsite.cli', 'pathlib']\n", done.stderr
    assert "Edited" in (root / "site/s0/p0/index.html").read_text()


def test_the_entry_builds_what_the_stamp_does_not_answer(
    tmp_path, monkeypatch, fine_times, builds, capsys
):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    monkeypatch.chdir(root)
    monkeypatch.setattr(sys, "argv", ["docsite", "--out", "site", "-j", "1"])
    assert entry.main() == 0 and len(builds) == 1
    assert entry.main() == 0 and len(builds) == 1
    assert "Built 7 pages in" in capsys.readouterr().out.splitlines()[-1]
    write_files(root, {"content/s0/new.md": "# New\n"})
    assert entry.main() == 0 and len(builds) == 2
    assert "Built 8 pages in" in capsys.readouterr().out


def test_a_folder_with_the_same_names_again_is_still_up_to_date(
    tmp_path, monkeypatch, fine_times, builds
):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    assert build(root) == 0
    # An editor's swap file, come and gone: the folder's times moved, its names did not.
    (root / "content/s0/.p0.md.swp").write_text("x")
    (root / "content/s0/.p0.md.swp").unlink()
    assert build(root) == 0 and len(builds) == 1


def test_files_are_signed_alike_from_their_folder_and_by_path(tmp_path, monkeypatch):
    write_files(tmp_path, {"a.md": "# A\n", "sub/b.md": "# B\n"})
    names = ("a.md", "missing.md", "sub")
    from_folder = stamp.signatures(os.fspath(tmp_path), names)
    assert from_folder[:4] == list(stamp.signature(os.fspath(tmp_path / "a.md")))
    assert from_folder[4:8] == list(stamp.ABSENT)
    monkeypatch.setattr(stamp, "_AT_FOLDER", False)  # as on Windows
    assert stamp.signatures(os.fspath(tmp_path), names) == from_folder
    assert stamp.signatures(os.fspath(tmp_path / "gone"), names) == list(stamp.ABSENT * 3)


def test_a_folder_is_trusted_by_its_signature_only_when_older_than_the_build(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    changed_ns = max(folder.stat().st_mtime_ns, folder.stat().st_ctime_ns)
    listed = {os.fspath(folder): "a.md", os.fspath(tmp_path / "gone"): None}
    old = stamp.folder_entries(listed, changed_ns + stamp.RACY_WINDOW_NS + 1)
    assert old == [
        (os.fspath(folder), stamp.signature(os.fspath(folder)), "a.md"),
        (os.fspath(tmp_path / "gone"), None, None),
    ]
    # Changed after the build began: its names may not be those the build listed.
    assert stamp.folder_entries(listed, changed_ns)[0] == (os.fspath(folder), None, "a.md")


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    who = ["-c", "user.name=T", "-c", "user.email=t@example.com"]
    subprocess.run(["git", *who, *args], cwd=root, env=env, check=True, capture_output=True)


GIT_MOVES = {
    "a commit": lambda r: git(r, "commit", "-q", "--allow-empty", "-m", "later"),
    # Touches nothing in .git itself (whose listing the stamp also holds): only the ref.
    "the branch moved back": lambda r: git(r, "update-ref", "refs/heads/main", "HEAD~1"),
    "another branch": lambda r: (
        git(r, "checkout", "-q", "-b", "other"),
        git(r, "commit", "-q", "--allow-empty", "-m", "other"),
    ),
    "a detached head": lambda r: (
        git(r, "commit", "-q", "--allow-empty", "-m", "later"),
        git(r, "checkout", "-q", "--detach", "HEAD~1"),
    ),
    "refs packed, then a commit": lambda r: (
        git(r, "pack-refs", "--all"),
        git(r, "commit", "-q", "--allow-empty", "-m", "later"),
    ),
}


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("move", sorted(GIT_MOVES))
def test_in_git_the_stamp_answers_without_git_until_head_moves(
    tmp_path, monkeypatch, fine_times, builds, move
):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=2)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    git(root, "commit", "-q", "--allow-empty", "-m", "second")
    assert build(root) == 0 and len(builds) == 1
    asked = []
    with monkeypatch.context() as patched:
        patched.setattr(stamp, "_head_commit", lambda folder: asked.append(folder) or "")
        assert build(root) == 0 and len(builds) == 1
    assert not asked  # the stamp holds HEAD's files: no git is run
    GIT_MOVES[move](root)
    assert build(root) == 0 and len(builds) == 2, "HEAD moved unseen"
    assert build(root) == 0 and len(builds) == 2


def test_outside_git_a_build_starts_no_git(tmp_path, monkeypatch):
    """With no `.git` in the content folder or above it, and no GIT_DIR, git could not
    answer: a build does not start it (two processes a build). With GIT_DIR, it does."""
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=1)
    assert not any((folder / ".git").exists() for folder in root.resolve().parents)
    started: list[list[str]] = []
    real_run = subprocess.run

    def run(command, *args, **kwargs):
        if command[0] == "git":
            started.append(command)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(docsite.gitdates.subprocess, "run", run)
    monkeypatch.delenv("GIT_DIR", raising=False)
    assert docsite.build.build_site(docsite.build.BuildOptions(root=root)).ok
    assert started == []
    monkeypatch.setenv("GIT_DIR", os.fspath(tmp_path / "elsewhere.git"))
    assert docsite.build.build_site(docsite.build.BuildOptions(root=root)).ok
    assert started and all(command[0] == "git" for command in started)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_files_git_reads_head_from(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=1)
    assert head_files(root / "content") is None  # not in git
    git(root, "init", "-q", "-b", "main")
    dot_git = (root / ".git").resolve()
    on_main = [
        os.fspath(dot_git / "HEAD"),
        os.fspath(dot_git / "packed-refs"),
        os.fspath(dot_git / "refs/heads/main"),
    ]
    assert head_files(root / "content") == on_main  # where the first commit goes
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    assert head_files(root / "content") == on_main
    git(root, "worktree", "add", "-q", "-b", "side", os.fspath(tmp_path / "side"))
    assert head_files(tmp_path / "side" / "content") == [
        os.fspath(dot_git / "worktrees/side/HEAD"),
        os.fspath(dot_git / "packed-refs"),
        os.fspath(dot_git / "refs/heads/side"),
    ]
    git(root, "checkout", "-q", "--detach")
    assert head_files(root / "content") == [
        os.fspath(dot_git / "HEAD"),
        os.fspath(dot_git / "packed-refs"),
    ]
    (dot_git / "reftable").mkdir()  # refs kept in tables: only git can say
    assert head_files(root / "content") is None


def test_the_date_and_the_environment_are_part_of_the_stamp(
    tmp_path, monkeypatch, fine_times, builds
):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=2)
    monkeypatch.chdir(root)
    assert build(root) == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")  # another day for `date.now`
    assert build(root) == 0 and len(builds) == 2
    monkeypatch.setenv("DOCSITE_HASH_ALL", "1")  # asks for every file to be read
    assert build(root) == 0 and build(root) == 0 and len(builds) == 4
    monkeypatch.delenv("DOCSITE_HASH_ALL")
    assert build(root) == 0 and len(builds) == 4  # the stamp made with SOURCE_DATE_EPOCH
    # Another copy of docsite (another checkout, another environment) is another engine.
    monkeypatch.setattr(stamp, "ENGINE_DIR", str(tmp_path / "elsewhere"))
    assert build(root) == 0 and len(builds) == 5


def test_the_stamp_signs_the_files_as_the_build_read_them_without_looking_again(
    tmp_path, monkeypatch, fine_times, builds
):
    """The input files are signed once, when the build reads them: the stamp writes those
    signatures down (a file saved since has others, which the next build's check sees:
    tests/test_changed_during_build.py saves one just before the stamp is written)."""
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    monkeypatch.chdir(root)
    assert build(root) == 0
    page = root / "content/s0/p1.md"
    page.write_text(page.read_text() + "\nMore.\n")
    looked = []
    signature = stamp.signature
    monkeypatch.setattr(stamp, "signature", lambda path: looked.append(path) or signature(path))
    assert build(root) == 0 and len(builds) == 2 and len(stamps(root)) == 1
    read = {os.fspath(path) for path in (root / "content").rglob("*") if path.is_file()}
    assert looked and read and not read & {os.fspath(path) for path in looked}
    assert build(root) == 0 and len(builds) == 2  # the stamp answers
    page.write_text(page.read_text() + "\nAgain.\n")
    assert build(root) == 0 and len(builds) == 3
    assert "Again." in (root / "site/s0/p1/index.html").read_text()


def test_a_file_changed_too_recently_to_tell_is_never_trusted(tmp_path, monkeypatch, builds):
    # A clock so coarse that every file here changed "just now", however long the build
    # took: a later write within the same tick could keep its times.
    monkeypatch.setattr(stamp, "RACY_WINDOW_NS", 10**18)
    monkeypatch.setattr(docsite.cache, "RACY_WINDOW_NS", 10**18)
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=2)
    monkeypatch.chdir(root)
    assert build(root) == 0
    assert not stamps(root)
    assert build(root) == 0 and len(builds) == 2


def test_files_hashed_while_fresh_and_settled_by_the_end_are_not_read_again(
    tmp_path, monkeypatch, builds
):
    """A build of files written just before it (a fresh clone) hashes them while their
    times are too recent to trust; the stamp reads them again once they are old enough, and
    the cache's inputs take their signatures then: the next build that has something to do
    reads the page edited, not every file again."""
    monkeypatch.setattr(docsite.cache, "RACY_WINDOW_NS", 10**18)  # fresh when hashed
    monkeypatch.setattr(stamp, "RACY_WINDOW_NS", 0)  # and settled once the build ends
    root = tmp_path / "proj"
    make_site(root, sections=2, pages=3)
    monkeypatch.chdir(root)
    assert build(root) == 0 and stamps(root)
    hashed: list[bytes] = []
    real = docsite.cache.content_digest
    monkeypatch.setattr(
        docsite.cache, "content_digest", lambda data: hashed.append(data) or real(data)
    )
    page = root / "content/s0/p1.md"
    page.write_text(page.read_text() + "\nAgain.\n")
    assert build(root) == 0 and len(builds) == 2
    contents = {path.read_bytes() for path in (root / "content").rglob("*") if path.is_file()}
    assert [data for data in hashed if data in contents] == [page.read_bytes()]
    assert tree(root / "site") == clean_build(root, tmp_path / "clean")


WARNED = {
    "content/s0/p0.md": "# Page\n\n!!! Note\nNever closed.\n",
    "content/s0/p1.md": "---\nbogus: 1\n---\n# Other\n",
}


def _timeless(summary: str) -> str:
    return re.sub(r" in \d+\.\d\d s ", " in ... s ", summary)


@pytest.mark.parametrize("color", [False, True])
def test_a_build_with_warnings_is_answered_by_the_stamp_which_says_them_again(
    tmp_path, monkeypatch, fine_times, builds, capsys, color
):
    """The warnings of the build the stamp vouches for, said word for word (and colour for
    colour) as the full no-change check says them; -q says none of them."""
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=2)
    write_files(root, WARNED)
    monkeypatch.chdir(root)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1" if color else "")
    argv = ["build", "--out", "site", "-j", "1"]
    assert cli.main(argv) == 0 and len(builds) == 1 and stamps(root)
    built = capsys.readouterr()
    for path in stamps(root):
        path.unlink()
    assert cli.main(argv) == 0 and len(builds) == 2  # the full no-change check
    full = capsys.readouterr()
    assert stamps(root)
    assert cli.main(argv) == 0 and len(builds) == 2  # the stamp's answer
    answered = capsys.readouterr()
    assert answered.err == full.err == built.err
    assert answered.err.count("warning:") == 2 and ("\x1b[" in answered.err) == color
    assert _timeless(answered.out) == _timeless(full.out) == _timeless(built.out)
    assert "(2 warnings, 0 errors)" in answered.out
    assert cli.main([*argv, "-q"]) == 0 and len(builds) == 2
    assert capsys.readouterr() == ("", "")


def test_a_no_change_build_with_warnings_loads_no_more_than_their_text(
    tmp_path, monkeypatch, fine_times
):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=2)
    write_files(root, WARNED)
    assert build(root) == 0 and stamps(root)
    heavy = ("argparse", "pathlib", "dataclasses", "docsite.cli", "docsite.diagnostics")
    loaded = (
        "import sys; from docsite.__main__ import main; code = main(); "
        f"print(code, sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    argv = ["build", "--out", "site", "-j", "1"]
    done = subprocess.run(
        [sys.executable, "-c", loaded, *argv], cwd=root, capture_output=True, text=True
    )
    assert done.stdout.splitlines()[-1] == "0 []", done.stderr
    assert done.stderr.count(": warning: ") == 2


@pytest.mark.parametrize("damage", [b"", b"not marshal data", None])
def test_a_damaged_or_foreign_stamp_means_the_full_check(
    tmp_path, monkeypatch, fine_times, builds, damage
):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=2)
    monkeypatch.chdir(root)
    assert build(root) == 0
    [path] = stamps(root)
    if damage is None:
        monkeypatch.setattr(stamp, "STAMP_VERSION", "another version")
    else:
        path.write_bytes(damage)
    assert build(root) == 0 and len(builds) == 2
    assert tree(root / "site") == clean_build(root, tmp_path / "clean")


def test_a_stamp_names_the_request_it_answers(tmp_path):
    one = stamp.request("/p", None, "site", False)
    assert stamp.stamp_path("/p", one) != stamp.stamp_path(
        "/p", stamp.request("/p", None, "", False)
    )
    assert stamp.CACHE_DIR == CACHE_DIR


@pytest.mark.parametrize("damage", [b"not zlib", None, "cut short"])
def test_parsed_markdown_of_another_format_or_damaged_is_parsed_again(tmp_path, damage):
    """The cache keeps each page's parsed Markdown compressed; a file in the old format
    (a bare pickle) or a damaged one costs a parse, never a crash or a wrong page. It is
    written in place: a build stopped while writing one leaves it cut short."""
    import pickle

    from docsite.build import BuildOptions, build_site

    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    parsed = sorted((root / CACHE_DIR / "markdown").glob("*.pickle"))
    assert parsed
    for path in parsed:
        if damage is None:  # as the last format stored it
            path.write_bytes(pickle.dumps(docsite.cache.zlib.decompress(path.read_bytes())))
        elif damage == "cut short":
            path.write_bytes(path.read_bytes()[:-4])  # all but the checksum
        else:
            path.write_bytes(damage)
    # A label changes the sidebar of the pages around it: they are rendered again.
    write_files(root, {"content/s0/p1.md": "---\norder: 1\n---\n# Renamed\n"})
    again = build_site(BuildOptions(root=root, out=out, jobs=1))
    assert again.ok and again.rendered
    assert tree(out) == clean_build(root, tmp_path / "clean")
