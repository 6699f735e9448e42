"""What the cache keeps of many pages (their records, and the pages as read) is pickled and
written by a forked process while a build with a core to spare indexes its pages for search
(docsite.cache, `stage_pages`): the same files a build writes itself, put in place with the
rest of its cache, and none left behind when the build fails or the process does."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import Project

import docsite.build.site
import docsite.cache
from docsite.build import BuildOptions, BuildResult, build_site
from docsite.cache import BuildCache
from docsite.trees import wait_for_background

SITE = {
    "docsite.yml": "title: Aside\n",
    "content/index.md": "# Home\n\nWelcome, see [the guide](guide/index.md).\n",
    "content/guide/index.md": "---\norder: 2\ntags: [start]\n---\n# Guide\n\nRead on.\n",
    **{f"content/guide/part-{n}.md": f"# Part {n}\n\nText of part {n}.\n" for n in range(12)},
}


def cache_files(root: Path) -> dict[str, object]:
    """The cache's files: those of the pages as read, named by their contents, with their
    bytes; those of the records, by their numbers, with the pages each holds (a record
    holds the time its page was written); the others by name."""
    files: dict[str, object] = {}
    for path in sorted((root / ".docsite-cache").iterdir()):
        if path.name.startswith("pages-"):
            files[path.name] = path.read_bytes()
        elif path.name.startswith("records-"):
            files[path.name.rsplit("-", 1)[0]] = sorted(pickle.loads(path.read_bytes()))
        elif path.is_file():
            files[path.name] = None
    return files


def build(project: Project) -> BuildResult:
    result = build_site(BuildOptions(root=project.root, out=project.out, jobs=2))
    assert result.ok, project.messages(result)
    return result


@pytest.fixture
def aside(monkeypatch, tmp_path: Path) -> Path:
    """Every build writes its pages' part aside (any number of pages); the file returned
    holds the process id of each file of it written."""
    monkeypatch.setattr(docsite.cache, "PAGES_ASIDE", 1)
    monkeypatch.setattr(docsite.build.site, "_core_to_spare", lambda options, pages: True)
    written_in = tmp_path / "written-in"
    real = BuildCache._write_part

    def noted(cache: BuildCache, plan: object, number: int) -> object:
        with written_in.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        return real(cache, plan, number)  # type: ignore[arg-type]

    monkeypatch.setattr(BuildCache, "_write_part", noted)
    return written_in


def test_the_pages_written_aside_are_those_a_build_writes_itself(aside, tmp_path, monkeypatch):
    project = Project(tmp_path / "aside").write(SITE)
    build(project)
    pids = set(aside.read_text().split())
    assert pids and str(os.getpid()) not in pids, "the pages' files were written here"
    assert not list((project.root / ".docsite-cache").glob("*.tmp-*"))
    written_aside = cache_files(project.root)

    # The cache written aside serves the next builds: nothing to do, then one page again.
    assert build(project).unchanged
    (project.root / "content/guide/part-3.md").write_text("# Part 3\n\nNew text.\n")
    assert build(project).rendered == 1

    monkeypatch.setattr(docsite.cache, "PAGES_ASIDE", 10**9)  # written here
    (project.root / "content/guide/part-3.md").write_text(SITE["content/guide/part-3.md"])
    wait_for_background()  # the edit's spare tree relinked: its marker is written by now
    shutil.rmtree(project.root / ".docsite-cache")
    shutil.rmtree(project.out)
    aside.unlink()
    build(project)
    assert set(aside.read_text().split()) == {str(os.getpid())}
    assert cache_files(project.root) == written_aside


def test_a_process_that_fails_leaves_the_writing_to_the_build(aside, tmp_path, monkeypatch):
    def failing(sender, cache, plans) -> None:
        cache._write_part(plans[0], plans[0].changed()[0])  # a file, then no answer:
        sender.close()  # as a process killed, or out of memory

    monkeypatch.setattr(docsite.cache, "_write_aside", failing)
    project = Project(tmp_path / "aside").write(SITE)
    build(project)
    assert len(set(aside.read_text().split()) - {str(os.getpid())}) == 1, "one file aside"
    assert str(os.getpid()) in aside.read_text().split(), "the files written here, after"
    assert build(project).unchanged  # a whole cache
    assert not list((project.root / ".docsite-cache").glob("*.tmp-*"))


def test_a_build_that_fails_leaves_nothing_the_process_wrote(aside, tmp_path):
    project = Project(tmp_path / "aside").write(SITE)
    build(project)
    before = cache_files(project.root)
    aside.unlink()
    (project.root / "content/guide/part-3.md").write_text("# Part 3\n\n[Gone](nowhere.md)\n")
    (project.root / "docsite.yml").write_text("title: Aside again\n")  # every page again
    result = build_site(BuildOptions(root=project.root, out=project.out, jobs=2))
    assert not result.ok
    assert str(os.getpid()) not in aside.read_text().split(), "not written aside"
    assert cache_files(project.root) == before
    assert not list((project.root / ".docsite-cache").glob("*.tmp-*"))
    shutil.rmtree(project.out)
