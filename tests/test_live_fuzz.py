"""Watch mode after random edits: each step's edit reaches a `LiveSite` as the watcher would
report it (`LiveSite.apply` with the changed paths), and the served folder is then byte for
byte what a clean build of the same files writes. The pages readers have open are previewed
first; each preview is the page (or file) the build then wrote.

The edits are those of `WiderSite` (test_incremental_fuzz.py): pages' settings, bodies and
links, the config, includes and snippets, images and files, nested folders, blog posts and
block ids. Watch mode takes its own ways through them: a body edit alone is re-rendered in
place (`build/live.py`), anything else is previewed from the last build's pages
(`build/preview.py`) and then built incrementally into the served folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import write_files
from hypothesis.stateful import invariant, run_state_machine_as_test
from test_incremental import tree
from test_incremental_fuzz import FUZZ, WiderSite, apply_edit, differences

from docsite.build import BuildOptions, build_site
from docsite.build.preview import PagePreview
from docsite.cache import CACHE_DIR
from docsite.serve.live import LiveSite

pytestmark = pytest.mark.filterwarnings(
    "ignore:The recursion limit will not be reset:hypothesis.errors.HypothesisWarning"
)

# The pages a reader has open, the last seen first: the home page, pages one, two and three
# levels deep, the blog's summary and a post (those an edit removes are not previewed).
OPEN = ["/s0/p00/", "/", "/s0/deep/d1/", "/s0/deep/deeper/d2/", "/blog/", "/s2/p21/"]


def project_files(root: Path) -> dict[Path, bytes]:
    """The project's files as they are now (not the cache, where the site is served from,
    nor the output folder of the machine's first build)."""
    left_out = (root / CACHE_DIR, root / "site")
    return {
        path: path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and not any(path.is_relative_to(folder) for folder in left_out)
    }


class ServedSite(WiderSite):
    """WiderSite's edits, applied to a site served in watch mode."""

    def __init__(self) -> None:
        super().__init__()
        self.served = self.root / CACHE_DIR / "serve"
        self.live = LiveSite(BuildOptions(root=self.root, out=self.served))
        # The index is made again once edits settle; here no edit comes while it waits.
        self.live.search.quiet = 0.0
        self.sent: list[PagePreview] = []
        self.live.open_pages = lambda: OPEN
        self.live.on_preview = lambda previews, css: self.sent.extend(previews)
        assert not self.live.full_build().failed
        self.live.warm_up()
        self.files = project_files(self.root)

    def teardown(self) -> None:
        self.live.close()
        super().teardown()

    def changed_paths(self) -> list[Path]:
        """What the watcher reports: every file added, changed or deleted, and the folders
        renamed or removed (watchdog reports a moved folder and the files in it)."""
        now = project_files(self.root)
        changed = {p for p in now.keys() | self.files.keys() if now.get(p) != self.files.get(p)}
        changed |= {self.root / "content" / folder for folder in self.moved}
        self.files, self.moved = now, []
        return sorted(changed)

    rebuild_fails_or_succeeds_as_a_clean_build = None  # WiderSite's, with `docsite build`

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


def test_watch_mode_after_random_edits_serves_a_clean_build():
    run_state_machine_as_test(ServedSite, settings=FUZZ)


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


@pytest.mark.xfail(strict=True, reason="the build indexes the page a file replaces")
def test_the_served_search_index_of_a_page_whose_path_a_file_takes_is_a_clean_builds(tmp_path):
    """A build indexes each page as it renders it, also one whose path a file of static/
    takes (the file is published there, not the page); watch mode's index, made again
    from the served files, leaves the page out, and so is not the clean build's."""
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
