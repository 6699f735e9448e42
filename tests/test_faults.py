"""Faults of the machine (a full disk, a read-only folder, files vanishing mid-build) are
diagnostics naming the file and the cause, never tracebacks; a build that fails leaves the
previous site exactly as it was, and no temporary file behind.

Faults are simulated by monkeypatching the functions that touch the disk (tests run as root,
where chmod stops nothing).
"""

from __future__ import annotations

import builtins
import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Project

import docsite.build.scanning
import docsite.build.site
import docsite.cache
import docsite.output
from docsite.build import BuildOptions, BuildResult, build_site
from docsite.cache import CACHE_DIR
from docsite.cli import main
from docsite.trees import remove_tree

SITE = {
    "docsite.yml": "title: Faults\n",
    "content/index.md": "# Home\n\nSee [guide](guide/setup.md) and ![logo](logo.png).\n",
    "content/guide/setup.md": "# Setup\n\nSome text.\n",
    "content/guide/more.md": "# More\n\nMore text.\n",
    "content/logo.png": b"\x89PNG fake image",
    "static/extra.css": "body { color: red }\n",
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def leftovers(project: Project) -> list[str]:
    """Temporary files and folders a build left: beside site/, and in the cache."""
    found = [n for n in os.listdir(project.root) if n.startswith(".site.")]
    cache = project.root / CACHE_DIR
    if cache.is_dir():
        found += [p.name for p in cache.rglob("*") if ".tmp-" in p.name or ".partial-" in p.name]
    return found


@pytest.fixture
def built(project: Project) -> Project:
    """A project built twice (so the second build started from the spare tree)."""
    project.write(SITE)
    assert project.build().ok
    (project.root / "content/guide/setup.md").write_text("# Setup\n\nChanged once.\n")
    assert project.build().ok
    project.before = snapshot(project.out)  # type: ignore[attr-defined]
    return project


def edit(project: Project) -> None:
    """A change, so the next build has pages to write."""
    (project.root / "content/guide/setup.md").write_text("# Setup\n\nChanged again.\n")


def failed_with(project: Project, result: BuildResult, file: str, text: str) -> None:
    """The build failed with an error at `file` whose message has `text`, and a hint; the
    old site is whole and nothing temporary is left."""
    messages = [d.format() for d in result.report.sorted()]
    assert not result.ok, messages
    matches = [d for d in result.report.errors if d.file == file and text in d.message]
    assert matches, messages
    assert matches[0].hint
    assert snapshot(project.out) == project.before  # type: ignore[attr-defined]
    assert leftovers(project) == []


def clean_build(project: Project, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "clean"
    assert build_site(BuildOptions(root=project.root, out=out, use_cache=False, jobs=1)).ok
    return snapshot(out)


# --- A full disk ---------------------------------------------------------------------------


class FillingDisk:
    """Every write-like call counts; from the `room`-th on, each fails with ENOSPC (after
    writing part of its file, as a full disk does)."""

    def __init__(self, room: int):
        self.room = room
        self.calls = 0

    def full(self) -> bool:
        self.calls += 1
        return self.calls > self.room

    def error(self) -> OSError:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_open, real_copy, real_link, real_dump = (
            builtins.open,
            shutil.copyfile,
            os.link,
            docsite.cache.pickle.dump,
        )

        def output_open(file, mode="r", *args, **kwargs):
            handle = real_open(file, mode, *args, **kwargs)
            if "w" in mode and self.full():
                handle.write(b"half")
                handle.close()
                raise self.error()
            return handle

        def copyfile(source, target, *args, **kwargs):
            if self.full():
                Path(target).write_bytes(b"half")
                raise self.error()  # a full disk's error names no file
            return real_copy(source, target, *args, **kwargs)

        def link(source, target, *args, **kwargs):
            if self.full():
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), target)
            return real_link(source, target, *args, **kwargs)

        def dump(value, handle, *args, **kwargs):
            if self.full():
                handle.write(b"x" * 1000)
                raise self.error()
            return real_dump(value, handle, *args, **kwargs)

        monkeypatch.setattr(docsite.output, "open", output_open, raising=False)
        monkeypatch.setattr(shutil, "copyfile", copyfile)
        monkeypatch.setattr(os, "link", link)
        monkeypatch.setattr(docsite.cache.pickle, "dump", dump)


@pytest.mark.parametrize("room", [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 10_000])
def test_a_full_disk_fails_cleanly_at_any_point(built, tmp_path, monkeypatch, room):
    edit(built)
    disk = FillingDisk(room)
    with monkeypatch.context() as patch:
        disk.install(patch)
        result = build_site(BuildOptions(root=built.root, out=built.out, jobs=1))
    if result.ok:  # the disk had room enough: the new site, whole
        assert disk.calls <= room
        assert snapshot(built.out) == clean_build(built, tmp_path)
    else:
        (error,) = result.report.errors
        assert "no space left on device" in error.message, error.format()
        assert error.file and "tmp-" not in error.file
        assert error.hint.startswith("free some disk space")
        assert snapshot(built.out) == built.before
    assert leftovers(built) == []
    # And once there is room again, the build goes through.
    assert build_site(BuildOptions(root=built.root, out=built.out, jobs=1)).ok
    assert snapshot(built.out) == clean_build(built, tmp_path)


def test_the_cache_is_written_before_the_site_is_swapped(built, monkeypatch):
    """The cache's files are written before the swap: when they do not fit, the build fails
    with the old site in place (not: the new site, then a traceback)."""
    edit(built)
    real_dump = docsite.cache.pickle.dump

    def dump(value, handle, *args, **kwargs):
        handle.write(b"x" * 100_000)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(docsite.cache.pickle, "dump", dump)
    result = build_site(BuildOptions(root=built.root, out=built.out, jobs=1))
    monkeypatch.setattr(docsite.cache.pickle, "dump", real_dump)
    (error,) = result.report.errors
    assert error.file.startswith(CACHE_DIR + "/")
    assert error.message == "cannot write the build cache: no space left on device"
    failed_with(built, result, error.file, "no space left")


def test_a_cache_that_cannot_be_put_in_place_after_the_swap_is_a_warning(
    built, tmp_path, monkeypatch
):
    edit(built)
    real_replace = os.replace

    def replace(source, target, *args, **kwargs):
        if CACHE_DIR in str(target) and str(target).endswith(".pickle"):
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(target))
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    result = build_site(BuildOptions(root=built.root, out=built.out, jobs=1))
    monkeypatch.setattr(os, "replace", real_replace)
    assert result.ok  # the site was swapped in: that is a success
    assert any("could not be saved" in w.message for w in result.report.warnings)
    assert snapshot(built.out) == clean_build(built, tmp_path)
    assert leftovers(built) == []
    again = build_site(BuildOptions(root=built.root, out=built.out, jobs=1))
    assert again.ok and not again.unchanged  # no cache to trust: every page is checked
    assert snapshot(built.out) == clean_build(built, tmp_path)


# --- Folders that cannot be written, files that cannot be read ---------------------------


def test_a_read_only_output_folder_is_a_diagnostic_from_the_cli(built, monkeypatch, capsys):
    edit(built)
    real_mkdir, real_rename = os.mkdir, os.rename

    def refused(call: Callable) -> Callable:
        def wrapper(source, *args, **kwargs):
            if os.path.basename(str(args[0] if args else source)).startswith(".site."):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(source))
            return call(source, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(os, "mkdir", refused(real_mkdir))
    monkeypatch.setattr(os, "rename", refused(real_rename))
    monkeypatch.chdir(built.root)
    code = main(["build", "-q", "--no-color"])
    monkeypatch.setattr(os, "mkdir", real_mkdir)
    monkeypatch.setattr(os, "rename", real_rename)
    stderr = capsys.readouterr().err
    assert code == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.startswith("site: error: cannot write the site: read-only file system\n")
    assert "hint: the file system is read-only: build to another folder with --out" in stderr
    assert snapshot(built.out) == built.before
    assert leftovers(built) == []


def test_an_unreadable_static_file_is_an_error_at_the_file(built, monkeypatch):
    real_open = builtins.open

    def open_(file, *args, **kwargs):
        if str(file).endswith("extra.css"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real_open(file, *args, **kwargs)

    (built.root / "static/extra.css").write_text("body { color: blue }\n")
    monkeypatch.setattr(docsite.cache, "open", open_, raising=False)
    result = build_site(BuildOptions(root=built.root, out=built.out, jobs=1))
    failed_with(built, result, "static/extra.css", "cannot read the file: permission denied")


# --- Files that change during a build ------------------------------------------------------


def during(
    monkeypatch: pytest.MonkeyPatch, module: object, name: str, action: Callable
) -> list[bool]:
    """Run `action` just before `module.name` is called (once). Returns [True] once it ran."""
    real = getattr(module, name)
    ran: list[bool] = []

    def hooked(*args, **kwargs):
        monkeypatch.setattr(module, name, real)
        action()
        ran.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, hooked)
    return ran


@pytest.mark.parametrize(
    ("deleted", "moment"),
    [
        ("content/logo.png", "input_files"),  # found, then gone before it is hashed
        ("content/logo.png", "_reused_site"),  # hashed, then gone before it is copied
        ("content/guide/more.md", "input_files"),
        ("content/guide/more.md", "_reused_site"),  # hashed, then gone before it is read
    ],
)
def test_a_file_deleted_during_the_build(built, monkeypatch, deleted, moment):
    edit(built)
    path = built.root / deleted
    path.write_bytes(path.read_bytes() + b"\n")  # changed, so it is read or copied anew
    module = docsite.build.scanning if moment == "input_files" else docsite.build.site
    ran = during(monkeypatch, module, moment, path.unlink)
    result = build_site(BuildOptions(root=built.root, out=built.out, jobs=1))
    assert ran
    failed_with(built, result, deleted, "deleted or moved while the site was being built")


def test_a_static_file_added_during_the_build_is_left_for_the_next(built, tmp_path, monkeypatch):
    during(
        monkeypatch,
        docsite.build.site,
        "place_files",
        lambda: (built.root / "static/late.css").write_text("p {}\n"),
    )
    edit(built)
    assert build_site(BuildOptions(root=built.root, out=built.out, jobs=1)).ok
    assert build_site(BuildOptions(root=built.root, out=built.out, jobs=1)).ok
    assert snapshot(built.out) == clean_build(built, tmp_path)


@pytest.mark.parametrize(
    "moment",
    [
        "_reused_site",  # before the kept site and the pages as read are read
        "make_chrome",  # after
        "_render_pages",
        "place_files",
        "publish",
        "index_built_site",
    ],
)
def test_the_cache_deleted_during_the_build(built, tmp_path, monkeypatch, moment):
    edit(built)
    site = built.root / CACHE_DIR
    ran = during(monkeypatch, docsite.build.site, moment, lambda: remove_tree(site))
    result = build_site(BuildOptions(root=built.root, out=built.out, jobs=1))
    assert ran
    # The cache only speeds builds up: compiled templates with nowhere to go are compiled again.
    assert result.ok, [d.format() for d in result.report.items]
    assert snapshot(built.out) == clean_build(built, tmp_path)
    assert leftovers(built) == []
    assert build_site(BuildOptions(root=built.root, out=built.out, jobs=1)).ok
    assert snapshot(built.out) == clean_build(built, tmp_path)


def test_a_cache_file_replaced_by_a_folder(built):
    for index in (built.root / CACHE_DIR).glob("*.pickle"):
        index.unlink()
        (index / "in-the-way").mkdir(parents=True)
    edit(built)
    result = build_site(BuildOptions(root=built.root, out=built.out, jobs=1))
    (error,) = result.report.errors
    assert error.file.startswith(CACHE_DIR + "/") and error.file.endswith(".pickle")
    assert "cannot write the build cache" in error.message
    assert error.hint == f"delete {CACHE_DIR}/ (it is safe to delete) and build again"
    failed_with(built, result, error.file, "cache")


# --- Permalinks the file system or the site cannot take ------------------------------------


def test_a_permalink_longer_than_a_file_name_can_be(built):
    built.write({"content/long.md": f"---\npermalink: /guide/{'x' * 300}\n---\n# Long\n"})
    for _ in range(2):  # and again after an edit elsewhere: no site kept since has the page
        result = build_site(BuildOptions(root=built.root, out=built.out, jobs=1))
        failed_with(built, result, "content/long.md", "file name of 300 bytes")
        (error,) = result.report.errors
        assert (error.line, error.col) == (2, 12)
        edit(built)


def test_a_long_path_of_names_that_fit_is_built(built):
    """Only a name longer than the file system's 255 bytes is refused, not a longer path."""
    deep = "/".join(["folder-" + "y" * 100] * 4)  # 431 bytes, each name 107
    built.write({"content/deep.md": f"---\npermalink: /{deep}\n---\n# Deep\n"})
    result = build_site(BuildOptions(root=built.root, out=built.out, jobs=1))
    assert result.ok, [d.format() for d in result.report.items]
    assert (built.out / deep / "index.html").is_file()


@pytest.mark.parametrize(
    "permalink",
    ["robots.txt", "favicon.svg", "llms.txt", "assets/docsite.css", "pagefind/pagefind.js"],
)
def test_a_permalink_that_is_a_generated_file(built, permalink):
    built.write({"content/taken.md": f"---\npermalink: /{permalink}\n---\n# Taken\n"})
    result = build_site(BuildOptions(root=built.root, out=built.out, jobs=1))
    failed_with(built, result, "content/taken.md", f"another file, '{permalink}'")
    (error,) = result.report.errors
    assert (error.line, error.col) == (2, 12)


def test_a_page_whose_folder_is_a_static_file(built):
    built.write({"content/extra.css.md": "# Named like a stylesheet\n"})
    (built.root / "static/extra.css").write_text("p { color: blue }\n")
    result = build_site(BuildOptions(root=built.root, out=built.out, jobs=1))
    failed_with(built, result, "content/extra.css.md", "another file, 'extra.css'")
