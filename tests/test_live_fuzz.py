"""Watch mode after random edits: each step's edit reaches a `LiveSite` as the watcher would
report it (`LiveSite.apply` with the changed paths), and the served folder is then byte for
byte what a clean build of the same files writes. The pages readers have open are previewed
first; each preview is the page (or file) the build then wrote.

The edits are those of `WiderSite` (test_incremental_fuzz.py): pages' settings, bodies and
links, the config, includes and snippets, images and files, nested folders, blog posts and
block ids. Watch mode takes its own ways through them: a body edit alone is re-rendered in
place (`build/live.py`), anything else is previewed from the last build's pages
(`build/preview.py`) and then built incrementally into the served folder.

`ThemedServedSite` adds ThemedSite's edits of the project's templates and static files, and
a rule that makes several edits which one `LiveSite.apply` then takes together, their paths
in any order (a `git checkout` while watch mode runs); `ParallelServedSite` builds those on
two processes, the small site taking a large one's paths (forked workers parse and render).
`RetypeServedProject` serves a `retype.yml` project (test_retype_fuzz.py's edits) so."""

from __future__ import annotations

import inspect
import os
import random
import shutil
from pathlib import Path

import pytest
from conftest import write_files
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RULE_MARKER, Rule, invariant, rule, run_state_machine_as_test
from test_incremental import tree
from test_incremental_fuzz import (
    FUZZ,
    SEARCH_FURTHER,
    ThemedSite,
    WiderSite,
    apply_edit,
    differences,
)
from test_retype_fuzz import RETYPE_FUZZ, RetypeProject

from docsite import render
from docsite.build import BuildOptions, build_site
from docsite.build import site as build_site_module
from docsite.build.preview import PagePreview
from docsite.cache import CACHE_DIR
from docsite.serve.live import LiveSite

# The pages a reader has open, the last seen first: the home page, pages one, two and three
# levels deep, the blog's summary and a post (those an edit removes are not previewed).
OPEN = ["/s0/p00/", "/", "/s0/deep/d1/", "/s0/deep/deeper/d2/", "/blog/", "/s2/p21/"]


def project_files(root: Path, *left_out: str) -> dict[Path, bytes]:
    """The project's files as they are now (not the cache, where the site is served from,
    nor the output folder of the machine's first build, nor the `left_out` folders)."""
    folders = [root / name for name in (CACHE_DIR, "site", *left_out)]
    return {
        path: path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and not any(path.is_relative_to(folder) for folder in folders)
    }


class Served:
    """A mixin for a machine that edits a project at `self.root` (its rules' `step` and
    `log` too): the project is served in watch mode, each step's edit reaches the
    `LiveSite` as the watcher reports it, and the served folder is then a clean build's.
    It takes the place of the machine's own invariant, which builds with the cache."""

    JOBS: int | None = None  # the build's processes (None: one per core)
    OPEN_PAGES: tuple[str, ...] = tuple(OPEN)  # open in tabs: previewed before each build
    rebuild_fails_or_succeeds_as_a_clean_build = None  # the machines' own, `docsite build`

    root: Path
    base: Path
    step: int
    log: list[str]

    def __init__(self) -> None:
        super().__init__()
        self.served = self.root / CACHE_DIR / "serve"
        self.live = LiveSite(BuildOptions(root=self.root, out=self.served, jobs=self.JOBS))
        # The index is made again once edits settle; here no edit comes while it waits.
        self.live.search.quiet = 0.0
        self.sent: list[PagePreview] = []
        self.live.open_pages = lambda: list(self.OPEN_PAGES)
        self.live.on_preview = lambda previews, css: self.sent.extend(previews)
        assert not self.live.full_build().failed
        self.live.warm_up()
        self.files_seen = self.watched_files()

    def teardown(self) -> None:
        self.live.close()
        super().teardown()  # type: ignore[misc]

    def watched_files(self) -> dict[Path, bytes]:
        """The files the watcher sees, and their bytes."""
        return project_files(self.root)

    def moved_folders(self) -> set[Path]:
        """The folders the watcher reports besides files: those renamed or removed."""
        return set()

    def changed_paths(self) -> list[Path]:
        """What the watcher reports: every file added, changed or deleted, and the folders
        renamed or removed (watchdog reports a moved folder and the files in it)."""
        now = self.watched_files()
        seen = self.files_seen
        changed = {p for p in now.keys() | seen.keys() if now.get(p) != seen.get(p)}
        changed |= self.moved_folders()
        self.files_seen = now
        return sorted(changed)

    @invariant()
    def served_site_is_a_clean_build(self) -> None:
        self.step += 1
        self.sent.clear()
        update = self.live.apply(self.changed_paths())
        assert not update.interrupted  # no change waits: the build runs to its end
        # The search index is made again in the background: wait for it, then it is
        # compared with the rest (pagefind/ is the clean build's too).
        assert self.live.search.idle()
        clean_out = self.base / "clean"
        clean = build_site(BuildOptions(root=self.root, out=clean_out, use_cache=False, jobs=1))
        # Watch mode says the problems of what it did (a page re-rendered alone: that
        # page's), not the whole site's; whether the site is whole is what it must tell.
        shown = [d.format() for d in update.diagnostics]
        assert self.live.failing == (not clean.ok), (self.log, shown)
        if clean.ok:
            differ = differences(tree(self.served), tree(clean_out))
            assert not differ, f"after step {self.step}, edits: {self.log}\n{differ}"
            for preview in self.sent:  # what the reader saw first is what the build wrote
                built = self.served / preview.output_path
                assert built.is_file() and preview.html == built.read_bytes(), (
                    f"preview of {preview.output_path} after step {self.step}, edits: "
                    f"{self.log}\n{differences({'p': preview.html}, {'p': built.read_bytes()})}"
                )
        shutil.rmtree(clean_out, ignore_errors=True)
        self.live.warm_up()  # as watch mode does while nothing changes


def rules_of(*machines: type) -> dict[str, Rule]:
    """The rules of these machines, by name (a later machine's over an earlier one's)."""
    found = {}
    for machine in machines:
        for name, function in inspect.getmembers(machine):
            if (edit := getattr(function, RULE_MARKER, None)) is not None:
                found[name] = edit
    return found


def make_edits(machine: Served, data: st.DataObject, count: int, edits: dict[str, Rule]) -> None:
    """`count` edits of these rules' (those whose preconditions hold), made one after the
    other with no step between them: the watcher then reports all their paths at once."""
    machine.log.append(f"{count} edits at once:")
    for _ in range(count):
        names = sorted(n for n, r in edits.items() if all(p(machine) for p in r.preconditions))
        edit = edits[data.draw(st.sampled_from(names), label="edit")]
        # Every rule draws its choices of pages and texts from `data`.
        args = {
            name: data if name == "data" else data.draw(strategy, label=name)
            for name, strategy in edit.arguments.items()
        }
        edit.function(machine, **args)


class ServedSite(Served, WiderSite):
    """WiderSite's edits, applied to a site served in watch mode."""

    def moved_folders(self) -> set[Path]:
        moved, self.moved = self.moved, []
        return {self.root / "content" / folder for folder in moved}


def test_watch_mode_after_random_edits_serves_a_clean_build():
    run_state_machine_as_test(ServedSite, settings=FUZZ)


class ThemedServedSite(ServedSite, ThemedSite):
    """ThemedSite's edits of templates and static files in watch mode; and any edit of
    WiderSite's or of those, alone or several at once, as the watcher reports a `git
    checkout` or a search and replace over files: one `LiveSite.apply` takes all their
    paths. (ServedSite makes WiderSite's edits one by one more often.)"""

    def __init__(self) -> None:
        super().__init__()
        self.order: random.Random | None = None  # the order the watcher reports paths in

    @classmethod
    def edits(cls) -> dict[str, Rule]:
        """The rules of WiderSite and ThemedSite, by name, but the three that draw from them
        (with those ThemedSite leaves to WiderSite: a folder renamed, block ids...)."""
        found = rules_of(WiderSite, cls)
        del found["several_edits"], found["any_edit"], found["saved_while_building"]
        return found

    @rule(data=st.data())
    def any_edit(self, data: st.DataObject) -> None:
        """One edit of any rule's, applied as several_edits applies its own."""
        self.several_edits(data, 1)

    @rule(data=st.data(), count=st.integers(2, 4))
    def several_edits(self, data: st.DataObject, count: int) -> None:
        """2 to 4 of the other rules' edits, applied together, in an order of their own."""
        make_edits(self, data, count, self.edits())
        self.order = data.draw(st.randoms(use_true_random=False), label="order")

    @rule(data=st.data(), count=st.integers(1, 3))
    def saved_while_building(self, data: st.DataObject, count: int) -> None:
        """Edits whose build a newer save stops where it reads or renders pages: the next
        build (the invariant's) does both, and nothing the stopped one did shows."""
        self.several_edits(data, count)
        self.log.append("their build stopped by a newer save")
        newer = [self.root / "content/index.md"]
        self.live.waiting = lambda: newer
        try:
            update = self.live.apply(self.changed_paths())
        finally:
            self.live.waiting = list
        # A body edit is re-rendered alone, with no build to stop.
        assert update.interrupted or update.rendered or update.skipped or update.failed, update

    def changed_paths(self) -> list[Path]:
        """After the edits of the rules above, the paths in another order, one of them
        reported twice (a file created, then written)."""
        paths = super().changed_paths()
        if self.order is not None and paths:
            self.order.shuffle(paths)
            paths.append(paths[0])
        self.order = None
        return paths


# Its own rules are the theme's and the three above, which draw from all the others.
for _name in ThemedServedSite.edits().keys() - vars(ThemedSite).keys():
    setattr(ThemedServedSite, _name, None)


def test_watch_mode_after_template_static_and_several_edits_at_once_serves_a_clean_build():
    run_state_machine_as_test(ThemedServedSite, settings=FUZZ)


class ParallelServedSite(ThemedServedSite):
    """ThemedServedSite's edits, with builds that render and parse on two processes."""

    JOBS = 2


def test_watch_mode_on_two_processes_serves_a_clean_build(monkeypatch):
    """The small site takes a large one's paths: its pages are parsed and rendered by
    forked workers (the clean build renders them in one process)."""
    monkeypatch.setattr(render, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(build_site_module, "PARALLEL_THRESHOLD", 2)
    # Fewer examples: each build forks its workers.
    run_state_machine_as_test(
        ParallelServedSite, settings=settings(FUZZ, max_examples=SEARCH_FURTHER or 6)
    )


class RetypeServedProject(Served, RetypeProject):
    """RetypeProject's edits of a `retype.yml` project (its config and partials, `input:
    .` and the content folder moved to `docs/`, default pages, folders renamed...) in
    watch mode; its commits too (the watcher sees git's HEAD and branches move)."""

    OPEN_PAGES = ("/", "/guide/a/", "/guide/", "/api/x/", "/blog/", "/both/p/")

    def __init__(self) -> None:
        super().__init__()
        self.folders_seen = self.watched_folders()

    @rule(data=st.data(), count=st.integers(2, 3))
    def several_edits(self, data: st.DataObject, count: int) -> None:
        """2 or 3 of the other rules' edits, which one `LiveSite.apply` takes together (a
        `git checkout`, a search and replace over files)."""
        edits = rules_of(type(self))
        del edits["several_edits"]
        make_edits(self, data, count, edits)

    def put(self, path: Path, data: str | bytes | None) -> None:
        """`docsite serve` merges retype.start.yml where `docsite build` (the clean build)
        merges retype.build.yml: the machine writes both alike."""
        super().put(path, data)
        if path == self.root / "retype.build.yml":
            super().put(path.with_name("retype.start.yml"), data)

    def watched_files(self) -> dict[Path, bytes]:
        """The project's files, and those of git's folder and of its branches' (not the
        rest of .git: the watcher watches those two folders alone)."""
        dot_git = self.root / ".git"
        git = [*dot_git.iterdir(), *(dot_git / "refs/heads").iterdir()]
        heads = {path: path.read_bytes() for path in git if path.is_file()}
        return {**project_files(self.root, ".git"), **heads}

    def watched_folders(self) -> set[Path]:
        """The project's folders the watcher sees (not .git, the cache or the output)."""
        left_out = [self.root / name for name in (CACHE_DIR, "site", ".git")]
        return {
            path
            for path in self.root.rglob("*")
            if path.is_dir() and not any(path.is_relative_to(f) for f in left_out)
        }

    def moved_folders(self) -> set[Path]:
        """The folders renamed, removed or made since the last step."""
        now = self.watched_folders()
        moved, self.folders_seen = now ^ self.folders_seen, now
        return moved


def test_watch_mode_on_a_retype_project_serves_a_clean_build():
    run_state_machine_as_test(RetypeServedProject, settings=RETYPE_FUZZ)


# ---- What the fuzzing found, each as its smallest case ---------------------------------------

WARN = "title: Small\nchecks:\n  links: warning\n"


def serve_and_compare(
    tmp_path: Path, files: dict[str, str], open_pages: list[str], *edits: dict[str, str | None]
) -> None:
    """Serve `files` with `open_pages` open, then apply each edit (a file's new text, or
    None to delete it) as watch mode does: the served folder is a clean build's, and each
    preview is the file the build then wrote."""
    root = tmp_path / "proj"
    write_files(root, files)
    served = root / CACHE_DIR / "serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    sent: list[PagePreview] = []
    live.open_pages = lambda: open_pages
    live.on_preview = lambda previews, css: sent.extend(previews)
    try:
        assert not live.full_build().failed
        live.warm_up()
        for step, edit in enumerate(edits):
            apply_edit(root, edit)
            sent.clear()
            update = live.apply([root / rel for rel in edit])
            assert not update.failed and live.search.idle(), update.diagnostics
            clean_out = tmp_path / f"clean{step}"
            assert build_site(BuildOptions(root=root, out=clean_out, use_cache=False)).ok
            differ = differences(tree(served), tree(clean_out))
            assert not differ, f"edit {step}: {edit}\n{differ}"
            for preview in sent:
                built = (served / preview.output_path).read_bytes()
                differ = differences(
                    {preview.output_path: preview.html}, {preview.output_path: built}
                )
                assert not differ, f"edit {step}: {edit}, the preview\n{differ}"
            live.warm_up()
    finally:
        live.close()


def test_the_preview_of_a_page_created_lists_the_pages_that_linked_to_it(tmp_path):
    """A link to a page not written yet (a warning) finds it once it is; the preview of the
    new page, open in a tab, missed that page in its "See also"."""
    serve_and_compare(
        tmp_path,
        {"docsite.yml": WARN, "content/index.md": "# Home\n\n[B](b.md)\n"},
        ["/b/"],
        {"content/b.md": "# B\n"},
    )


def test_a_left_out_file_made_again_is_served_for_the_link_to_it(tmp_path):
    """As test_a_left_out_file_made_again_is_published_for_the_link_to_it, in watch mode,
    which also took the file for one no page links to (a change to ignore)."""
    serve_and_compare(
        tmp_path,
        {
            "docsite.yml": WARN,
            "content/index.md": "# Home\n\n[aside](_private/notes.txt)\n",
            "content/_private/notes.txt": "kept\n",
        },
        ["/"],
        {"content/_private/notes.txt": None},
        {"content/_private/notes.txt": "kept\n"},
    )


def test_a_body_edit_reaches_the_cards_that_show_the_pages_summary(tmp_path):
    """A page's first paragraph (or first image) is its summary, which a card of it on
    another page shows. Watch mode re-rendered the page alone for an edit of its body."""
    serve_and_compare(
        tmp_path,
        {"content/index.md": "# Home\n\n[!card](b.md)\n", "content/b.md": "# B\n\nSummary.\n"},
        ["/"],
        {"content/b.md": "# B\n\nAnother summary.\n"},
    )


def test_a_preview_after_a_body_edit_lists_the_links_that_edit_made(tmp_path):
    """A body edit re-renders its page alone, replacing its record in place; the next
    preview read the links of the records it had read before, and missed the new link in
    the "See also" of the page it links to."""
    serve_and_compare(
        tmp_path,
        {"content/index.md": "# Home\n", "content/b.md": "# B\n", "content/c.md": "# C\n"},
        ["/b/"],
        {"content/index.md": "# Home\n\n[B](b.md)\n"},
        {"content/c.md": "---\nlabel: Sea\n---\n# C\n"},
    )


def test_the_preview_after_a_folder_turns_private_leaves_its_pages_out_of_see_also(tmp_path):
    """A private folder's pages are private too, and left out of other pages' "See also";
    the preview of a page they link to still listed them."""
    serve_and_compare(
        tmp_path,
        {
            "content/index.md": "# Home\n",
            "content/b.md": "# B\n",
            "content/s/index.md": "# S\n",
            "content/s/a.md": "# A\n\n[B](../b.md)\n",
        },
        ["/b/"],
        {"content/s/index.md": "---\nvisibility: private\n---\n# S\n"},
    )


def test_the_preview_after_a_folder_is_public_again_lists_its_pages_in_see_also(tmp_path):
    """The other way: a page of a folder made public again links as its text says."""
    serve_and_compare(
        tmp_path,
        {
            "content/index.md": "# Home\n",
            "content/b.md": "# B\n",
            "content/s/index.md": "---\nvisibility: private\n---\n# S\n",
            "content/s/a.md": "# A\n\n[B](../b.md)\n",
        },
        ["/b/"],
        {"content/s/index.md": "# S\n"},
    )


def test_a_body_edit_moves_the_sitemap_date_of_a_page_outside_git(tmp_path):
    """Outside git, the sitemap dates a page by its file's time (to the second): a body
    edit moves it. Watch mode re-rendered the page alone and kept the sitemap it served."""
    root = tmp_path / "proj"
    write_files(root, {"docsite.yml": "url: https://example.org/\n", "content/index.md": "# A\n"})
    page = root / "content/index.md"
    earlier = page.stat().st_mtime - 5
    os.utime(page, (earlier, earlier))
    serve_and_compare(tmp_path, {}, ["/"], {"content/index.md": "# A\n\nMore.\n"})


@pytest.mark.parametrize("visibility", ["private", "protected"])
def test_a_body_edit_of_a_withheld_page_keeps_its_text_unpublished(tmp_path, visibility):
    """A private or protected page is published with its title and a notice, never its
    text. Watch mode re-rendered a body edit of it alone, with the new body's text."""
    front = f"---\nvisibility: {visibility}\n---\n"
    serve_and_compare(
        tmp_path,
        {"content/index.md": "# Home\n", "content/secret.md": f"{front}# Secret\n\nHidden.\n"},
        ["/secret/"],
        {"content/secret.md": f"{front}# Secret\n\nHidden, and more.\n"},
    )


@pytest.mark.parametrize("file", ["static/a/index.html", "content/a/index.html"])
def test_an_open_page_whose_path_a_file_takes_is_not_previewed(tmp_path, file):
    """A file of static/ (or of the content folder) published at a page's path wins over
    the page. The preview of that page, open in a tab, rendered the page all the same.
    (No search index: see the test after this one.)"""
    serve_and_compare(
        tmp_path,
        {
            "docsite.yml": "search:\n  enabled: false\n",
            "content/index.md": "# Home\n",
            "content/a.md": "# A\n",
            file: "<p>Ours</p>\n",
        },
        ["/a/"],
        {"content/a.md": "---\nlabel: Label\n---\n# A\n"},
    )


def test_the_served_search_index_of_a_page_whose_path_a_file_takes_is_a_clean_builds(tmp_path):
    """A build indexed each page as it rendered it, also one whose path a file of static/
    takes (the file is published there, not the page: search led to the file); watch
    mode's index, made again from the served files, left the page out."""
    serve_and_compare(
        tmp_path,
        {
            "content/index.md": "# Home\n",
            "content/a.md": "# A\n",
            "static/a/index.html": "<p>Ours</p>\n",
        },
        [],
        {"content/a.md": "---\nlabel: Label\n---\n# A\n"},
    )


def test_a_body_edit_leaves_the_static_file_at_the_pages_markdown_copy_path(tmp_path):
    """A file of static/ at a page's Markdown copy path (`a.md`) wins over the copy. Watch
    mode re-rendered a body edit of the page alone and wrote the copy over the file; once
    the file is deleted, the copy is served again."""
    serve_and_compare(
        tmp_path,
        {
            "content/index.md": "# Home\n",
            "content/a.md": "# A\n\nText.\n",
            "static/a.md": "# Ours\n",
        },
        ["/a/"],
        {"content/a.md": "# A\n\nMore text.\n"},
        {"static/a.md": None},
    )


@pytest.mark.parametrize("file", ["static/a/index.html", "content/a/index.html"])
def test_a_body_edit_leaves_the_file_published_at_the_pages_path(tmp_path, file):
    """A file of static/ (or of the content folder) at a page's path wins over the page.
    Watch mode re-rendered a body edit of the page alone and wrote the page over it."""
    serve_and_compare(
        tmp_path,
        {
            "docsite.yml": "search:\n  enabled: false\n",  # see test_the_served_search_index...
            "content/index.md": "# Home\n",
            "content/a.md": "# A\n\nText.\n",
            file: "<p>Ours</p>\n",
        },
        ["/a/"],
        {"content/a.md": "# A\n\nMore text.\n"},
    )


def test_the_preview_of_a_page_renamed_in_another_case_lists_the_pages_that_link_to_it(tmp_path):
    """A link finds a page whose file's name differs only in case (Retype's rule, with a
    warning). The preview of a page renamed so (`a.md` to `A.md`), open in a tab, missed
    the unchanged pages whose links still found it in its "See also"."""
    serve_and_compare(
        tmp_path,
        {
            "retype.yml": "branding:\n  title: T\n",
            "index.md": "# Home\n\n[A](guide/a.md)\n",
            "guide/a.md": "# A\n",
        },
        ["/guide/a/"],
        {"guide/a.md": None, "guide/A.md": "# A\n"},
    )


@pytest.mark.parametrize("config", ["retype.yml", "docsite.yml"])
def test_a_left_out_file_made_while_serving_is_served_for_a_link_to_it(tmp_path, config):
    """A file left out of the site (`_notes.md`) is published once a page links to it.
    Made while serving, it was no change to watch mode; a body edit that then linked to
    it was re-rendered alone, against the files of the last build: the link was broken,
    the file not served."""
    folder = "" if config == "retype.yml" else "content/"
    serve_and_compare(
        tmp_path,
        {config: "checks:\n  links: warning\n", f"{folder}index.md": "# Home\n"},
        ["/"],
        {f"{folder}_notes.md": "# Notes\n"},
        {f"{folder}index.md": "# Home\n\n[notes](_notes.md)\n"},
    )


def test_a_config_fragment_made_while_serving_is_merged(tmp_path):
    """A `retype.<id>.yml` beside the config is merged into it whenever it exists; made or
    removed while serving, in a project whose pages are in another folder, watch mode took
    it for a file the site does not use."""
    serve_and_compare(
        tmp_path,
        {"retype.yml": "input: docs\nbranding:\n  title: T\n", "docs/index.md": "# Home\n"},
        ["/"],
        {"retype.fuzz.yml": "branding:\n  label: Fragment\n"},
        {"retype.fuzz.yml": None},
    )
