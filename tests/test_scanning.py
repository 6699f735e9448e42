"""The inputs found and hashed in a forked process while the build imports the renderer
(build/scanning.py): its answer is what scanning here finds, to the hasher's notes and the
messages; without an answer the build scans itself; a rebuild that scans aside writes the
site a clean build writes, and the stamp that answers the next build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import write_files
from test_incremental import EDITS, clean_build, make_site, tree
from test_stamp import build, stamps

from docsite.build import BuildOptions, build_site
from docsite.build import scanning as scanning_module
from docsite.build.result import BuildResult
from docsite.build.scanning import ScanAside, find_inputs, scan_inputs
from docsite.cache import BuildCache, InputHasher
from docsite.config import load_config
from docsite.diagnostics import DiagnosticError, Report
from docsite.output import OUTPUT_MARKER


def _project(root: Path) -> None:
    """Every kind of file a scan finds and what it says: pages, a folder's settings, an
    asset, a left-out page, a template, a folder holding an old site (a warning) and a
    broken symlink (an error)."""
    write_files(
        root,
        {
            "docsite.yml": "title: Scanned\n",
            "content/index.md": "# Home\n",
            "content/guide/index.yml": "label: The guide\n",
            "content/guide/setup.md": "---\norder: 2\n---\n# Setup\n",
            "content/guide/picture.txt": "an asset\n",
            "content/_draft.md": "# Not listed\n",
            "content/old/" + OUTPUT_MARKER: "",
            "templates/partials/footer.html": "<footer>F</footer>\n",
        },
    )
    _break_a_link(root)


def _break_a_link(root: Path) -> None:
    os.symlink(root / "content/nowhere.md", root / "content/broken.md")


def _here(root: Path, known: dict) -> tuple:
    config = load_config(root, None, Report())
    hasher, report, result = InputHasher(dict(known)), Report(), BuildResult(Report())
    found, files = scan_inputs(config, root / "site", hasher, report, result)
    return found, files, report.items, [s for s, _ in result.steps], hasher.seen, hasher.racy


def _cache(root: Path) -> BuildCache:
    return BuildCache(root, (root / "site").resolve())


def _known(root: Path) -> dict:
    """The inputs the last build hashed, as a rebuild's hasher knows them."""
    return _cache(root).inputs.files


def _found_aside(root: Path, hasher: InputHasher, report: Report, result: BuildResult, meanwhile):
    """`find_inputs` as a rebuild runs it: with the process started (if it could be)."""
    config = load_config(root, None, Report())
    aside = ScanAside.start(config, root / "site", hasher, _cache(root))
    assert aside is not None
    with aside:
        return find_inputs(config, root / "site", hasher, report, result, aside, meanwhile)


@pytest.mark.parametrize("rebuild", [False, True], ids=["first", "rebuild"])
def test_the_answer_is_what_a_scan_here_finds(tmp_path, rebuild):
    root = tmp_path / "proj"
    _project(root)
    if rebuild:  # the hasher knows every file: those unchanged are not read again
        os.unlink(root / "content/broken.md")  # an error: the site would not be written
        assert build_site(BuildOptions(root=root, out=root / "site", jobs=1)).written
        write_files(root, {"content/guide/setup.md": "# Setup, edited\n"})
        _break_a_link(root)
    known = _known(root)
    config = load_config(root, None, Report())
    hasher = InputHasher(dict(known))
    aside = ScanAside.start(config, root / "site", hasher, _cache(root))
    assert aside is not None
    with aside:
        assert aside.files_looked() is None  # nothing before the answer
        scanned = aside.take()
        aside._receiver.poll(10)  # the build does not wait for the look: the test does
        looked = aside.files_looked()
    assert scanned is not None
    # Then the process looked at the pages of the spare tree the last build left, if any.
    pages = ["guide/setup/index.html", "index.html"] if rebuild else []
    assert (sorted(looked.stats) if looked is not None else []) == pages
    found, files, said, steps, seen, racy = _here(root, known)
    assert scanned.found == found and found.pages and found.unlisted and found.listings
    assert scanned.files == files and len(files) > len(found.pages)
    assert scanned.said == said and {d.severity.name for d in said} == {"ERROR", "WARNING"}
    assert [step for step, _ in scanned.steps] == steps == ["finding files", "hashing inputs"]
    assert scanned.seen == seen and scanned.racy == racy
    assert hasher.seen == {}  # the process's hasher saw them, not this one


def test_find_inputs_takes_the_answer_while_the_build_does_something_else(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    _project(root)
    known = _known(root)
    scanned_here: list[int] = []  # the processes that scanned, as this one sees them
    real_scan = scanning_module.scan_inputs

    def noting(*args):
        scanned_here.append(os.getpid())
        return real_scan(*args)

    monkeypatch.setattr(scanning_module, "scan_inputs", noting)
    meanwhile: list[str] = []
    hasher, report, result = InputHasher(dict(known)), Report(), BuildResult(Report())
    found, files = _found_aside(root, hasher, report, result, lambda: meanwhile.append("imported"))
    assert meanwhile == ["imported"] and scanned_here == []  # scanned in the other process
    here = _here(root, known)
    assert (found, files, report.items) == here[:3]
    assert [step for step, _ in result.steps] == here[3]
    assert (hasher.seen, hasher.racy) == here[4:] and hasher.seen


def _silent(config, out, hasher, cache, room, sender) -> None:
    """A process that ends without an answer (killed, out of memory)."""


@pytest.mark.parametrize("failure", ["no answer", "answer too large"])
def test_without_an_answer_the_build_scans_itself(tmp_path, monkeypatch, failure):
    root = tmp_path / "proj"
    _project(root)
    if failure == "no answer":
        monkeypatch.setattr(scanning_module, "_scan", _silent)
    else:
        monkeypatch.setattr(scanning_module, "_answer_room", lambda known: 64)
    hasher, report, result = InputHasher({}), Report(), BuildResult(Report())
    found, files = _found_aside(root, hasher, report, result, lambda: None)
    here = _here(root, {})
    assert (found, files, report.items, hasher.seen) == (*here[:3], here[4])
    assert [step for step, _ in result.steps] == here[3]


def test_a_scan_that_raises_aside_raises_here(tmp_path):
    root = tmp_path / "proj"
    write_files(root, {"docsite.yml": "title: No content\n"})
    config = load_config(root, None, Report())
    with pytest.raises(DiagnosticError) as here:
        scan_inputs(config, root / "site", InputHasher({}), Report(), BuildResult(Report()))
    with pytest.raises(DiagnosticError) as aside:
        _found_aside(root, InputHasher({}), Report(), BuildResult(Report()), lambda: None)
    assert aside.value.diagnostics == here.value.diagnostics


# Each kind of file the scan finds or hashes changed: a page's text or settings, a page added
# or removed, a folder's settings, a template, a static file, the config, a linked file.
SCANNED_EDITS = (
    "body",
    "label",
    "add",
    "remove",
    "folder",
    "template",
    "static",
    "config",
    "linked file",
)


@pytest.mark.parametrize("name", SCANNED_EDITS)
def test_a_rebuild_scanning_aside_equals_a_clean_build_and_leaves_the_stamp(
    tmp_path, monkeypatch, fine_times, builds, name
):
    root = tmp_path / "proj"
    make_site(root)
    monkeypatch.chdir(root)
    monkeypatch.setattr(scanning_module, "SCAN_ASIDE_FILES", 1)
    answers: list[bool] = []
    take = ScanAside.take

    def noting(self):
        scanned = take(self)
        answers.append(scanned is not None)
        return scanned

    monkeypatch.setattr(ScanAside, "take", noting)
    assert build(root, "-j", "2") == 0 and answers == []  # a first build scans here
    EDITS[name](root)
    assert build(root, "-j", "2") == 0 and answers == [True], "the edit went unseen"
    assert tree(root / "site") == clean_build(root, tmp_path / "clean")
    assert stamps(root) and build(root, "-j", "2") == 0 and len(builds) == 2  # up to date
    write_files(root, {"content/s1/p3.md": "# Edited after the stamp\n"})
    assert build(root, "-j", "2") == 0 and len(builds) == 3  # the stamp signed each file
