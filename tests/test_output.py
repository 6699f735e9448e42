import errno
import os
import pickle
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

import docsite.output
from docsite import trees
from docsite.output import FilesLooked, OutputClash, OutputFolder, SpareLedger, look_at_files


def settled_listing(folder, seconds=10.0):
    """The folder's entries once the previous site's background deletion is done."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        names = sorted(os.listdir(folder))
        if not any(".old-" in name for name in names):
            return names
        time.sleep(0.05)
    return sorted(os.listdir(folder))


def test_commit_replaces_the_old_site_whole(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")
    with OutputFolder(target) as out:
        out.write_text("a/index.html", "new")
        assert not (target / "a").exists()  # nothing visible before the swap
        out.commit()
    assert sorted(p.name for p in target.iterdir()) == ["a"]
    assert settled_listing(tmp_path) == ["site"]


def test_error_before_commit_keeps_the_old_site(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old")
    with pytest.raises(RuntimeError), OutputFolder(target) as out:
        out.write_text("index.html", "half")
        raise RuntimeError("boom")
    assert (target / "index.html").read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_leftovers_of_killed_builds_are_cleaned(tmp_path):
    target = tmp_path / "site"
    dead = tmp_path / ".site.tmp-999999999"
    dead.mkdir()
    with OutputFolder(target) as out:
        out.write_text("index.html", "x")
        out.commit()
    assert not dead.exists() and (target / "index.html").is_file()


def inodes(folder):
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_first_build_leaves_a_spare_tree_of_its_site(tmp_path):
    target, spare = tmp_path / "site", tmp_path / "cache" / "spare"
    with OutputFolder(target, spare) as out:
        for n in range(30):
            out.write_text(f"p{n}/deep/index.html", f"page {n}")
        out.start_spare()
        out.write_text("late.txt", "written after the copy began")
        out.commit()
    assert spare.is_dir() and not list(tmp_path.glob("cache/*.partial-*"))
    copied = inodes(spare)
    assert len(copied) >= 30
    assert all(copied[rel] == ino for rel, ino in inodes(target).items() if rel in copied)
    # The next build starts from it: its folders are there, its files the live site's.
    with OutputFolder(target, spare) as out:
        assert out.reused
        for n in range(30):
            assert out.link_from(target / f"p{n}/deep/index.html", f"p{n}/deep/index.html")
        out.commit()
    assert (target / "p7/deep/index.html").read_text() == "page 7"
    assert not (target / "late.txt").exists()  # not placed by this build: removed


def test_the_spare_tree_keeps_only_files_the_live_site_shares(tmp_path):
    """After a build that rewrote pages, the site it replaced is kept as the spare tree:
    its rewritten files are deleted (in the background), so the cache never holds a second
    copy of the site; its folders, and the files the live site still shares, stay."""
    target, spare = tmp_path / "site", tmp_path / "spare"
    with OutputFolder(target) as out:
        for n in range(5):
            out.write_text(f"p{n}/index.html", f"page {n}")
        out.commit()
    with OutputFolder(target, spare) as out:
        for n in range(5):
            if n < 3:
                out.write_text(f"p{n}/index.html", f"page {n}, rewritten")
            else:
                assert out.link_from(target / f"p{n}/index.html", f"p{n}/index.html")
        out.commit()
    deadline = time.monotonic() + 10
    while (spare / "p0/index.html").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.relative_to(spare).as_posix() for p in spare.rglob("*")) == [
        "p0",
        "p1",
        "p2",
        "p3",
        "p3/index.html",
        "p4",
        "p4/index.html",
    ]
    assert (spare / "p3/index.html").stat().st_ino == (target / "p3/index.html").stat().st_ino
    # The next build starts from it as before, and ends with the site it wrote.
    with OutputFolder(target, spare) as out:
        assert out.reused
        for n in range(5):
            out.write_text(f"p{n}/index.html", f"page {n}, third")
        out.commit()
    assert [(target / f"p{n}/index.html").read_text() for n in range(5)] == [
        f"page {n}, third" for n in range(5)
    ]


def test_a_build_that_starts_from_a_spare_tree_copies_none(tmp_path):
    target, spare = tmp_path / "site", tmp_path / "spare"
    spare.mkdir()
    (spare / "kept.html").write_text("spare")
    with OutputFolder(target, spare) as out:
        assert out.reused
        out.write_text("index.html", "home")
        out.start_spare()  # the site it replaces becomes the next spare tree instead
        out.commit()
    assert not spare.exists()  # there was no site to replace
    assert sorted(os.listdir(target)) == ["index.html"]


@pytest.mark.parametrize("from_spare", [False, True])
def test_a_file_where_this_build_placed_a_folder_is_a_clash(tmp_path, from_spare):
    target, spare = tmp_path / "site", tmp_path / "spare"
    if from_spare:
        (spare / "robots.txt").mkdir(parents=True)  # a spare tree's folder may be replaced
        (spare / "robots.txt" / "old.html").write_text("old")
    with OutputFolder(target, spare) as out:
        out.write_text("robots.txt", "User-agent: *\n")  # replaces the spare's folder
        out.write_text("page.txt/index.html", "a page")
        with pytest.raises(OutputClash) as caught:
            out.write_text("page.txt", "generated")
        assert (caught.value.rel, caught.value.inside) == ("page.txt", "page.txt/index.html")
        with pytest.raises(OutputClash) as caught:
            out.copy_file(target.parent / "spare" / "none", "robots.txt/index.html")
        assert (caught.value.rel, caught.value.inside) == ("robots.txt", "robots.txt/index.html")
        assert (out.staging / "page.txt/index.html").read_text() == "a page"
        assert (out.staging / "robots.txt").read_text() == "User-agent: *\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_on_linux_the_new_site_and_the_old_swap_in_one_step(tmp_path):
    """The swap is one renameat2 call, found in the C library the process runs with: at no
    moment is there no site."""
    new, live = tmp_path / "new", tmp_path / "live"
    new.mkdir()
    live.mkdir()
    (new / "index.html").write_text("new")
    (live / "index.html").write_text("old")
    assert docsite.output._exchange(new, live)
    assert (live / "index.html").read_text() == "new"
    assert (new / "index.html").read_text() == "old"


def test_a_failed_swap_puts_the_old_site_back(tmp_path, monkeypatch):
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old")
    real_replace = os.replace
    monkeypatch.setattr(docsite.output, "_exchange", lambda a, b: False)

    def replace(source, destination):
        if os.path.basename(source).startswith(".site.tmp-"):  # the new site cannot go in
            raise OSError(errno.EIO, "I/O error", os.fspath(destination))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError), OutputFolder(target) as out:
        out.write_text("index.html", "new")
        out.commit()
    monkeypatch.setattr(os, "replace", real_replace)
    assert (target / "index.html").read_text() == "old"
    assert settled_listing(tmp_path) == ["site"]


def test_a_full_disk_names_the_file_being_written(tmp_path, monkeypatch):
    def copyfile(source, destination):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", copyfile)
    with OutputFolder(tmp_path / "site") as out:
        (tmp_path / "a.css").write_text("a")
        with pytest.raises(OSError) as caught:
            out.copy_file(tmp_path / "a.css", "assets/a.css")
        assert caught.value.filename == str(out.staging / "assets/a.css")


def test_a_file_placed_again_after_the_copy_began_is_not_taken_from_the_copy(tmp_path):
    """The ledger of a first build says which files its copy of staging holds as they are
    in the site: not one written again after the copy began (which the copy may hold in
    its first version)."""
    target, spare = tmp_path / "site", tmp_path / "cache" / "spare"
    with OutputFolder(target, spare) as out:
        out.write_text("a.html", "first")
        out.write_text("b.html", "kept")
        out.start_spare()
        out._finish_spare()  # the copy is made: it holds a.html as it was
        out.write_text("a.html", "second")
        out.write_text("c.html", "late")
        ledger = out.ledger()  # the copy then takes the files placed since it was made
        out.commit()
    assert (spare / "a.html").read_text() == "second"
    assert (spare / "c.html").read_text() == "late"
    assert inodes(spare) == inodes(target)
    assert ledger is not None and not ledger.fresh
    with OutputFolder(target, spare, ledger) as out:
        for name in ("a.html", "b.html", "c.html"):
            assert out.link_from(target / name, name)
        out.commit()
    assert (target / "a.html").read_text() == "second"
    assert (target / "b.html").read_text() == "kept"
    assert (target / "c.html").read_text() == "late"


def test_a_file_cleared_in_staging_since_its_folder_was_listed_is_linked_again(tmp_path):
    """Whether staging holds the live site's file comes from its folder's listing, taken
    once; after `relist` (the render's workers wrote into staging), a file cleared since is
    linked from the site again rather than taken as there."""
    target, spare = tmp_path / "site", tmp_path / "cache" / "spare"
    with OutputFolder(target, spare) as out:
        out.write_text("docs/a.html", "a")
        out.write_text("docs/b.html", "b")
        out.start_spare()
        out._finish_spare()
        ledger = out.ledger()
        out.commit()
    with OutputFolder(target, spare, ledger) as out:
        assert out.link_from(target / "docs/a.html", "docs/a.html")  # docs/ is listed now
        os.unlink(out.staging / "docs/b.html")  # as a worker clears a path it writes
        out.relist()
        assert out.link_from(target / "docs/b.html", "docs/b.html")
        assert (out.staging / "docs/b.html").is_file()
        out.commit()
    assert (target / "docs/a.html").read_text() == "a"
    assert (target / "docs/b.html").read_text() == "b"


def test_keep_live_keeps_at_once_what_link_from_would_take_as_there(tmp_path):
    """`keep_live` keeps the live site's files the spare tree holds as the ledger says, and
    returns the others to be linked or written one by one: a file this build placed already,
    one the last build wrote anew (not the spare tree's), one gone from the spare tree, one
    the last build did not place."""
    target, spare = tmp_path / "site", tmp_path / "cache" / "spare"
    with OutputFolder(target, spare) as out:
        for name in ("a.md", "b.md", "c.md", "d.md"):
            out.write_text(f"docs/{name}", name)
        out.start_spare()
        out._finish_spare()
        ledger = out.ledger()
        out.commit()
    with OutputFolder(target, spare, ledger) as out:
        for name in ("a.md", "c.md", "d.md"):
            assert out.link_from(target / f"docs/{name}", f"docs/{name}")
        out.write_text("docs/b.md", "b again")  # this build's own: the live site's is not it
        ledger = out.ledger()
        out.commit()  # the spare tree is now the first site: b.md is the old one there
    with OutputFolder(target, spare, ledger) as out:
        out.write_text("docs/c.md", "c placed")
        os.unlink(out.staging / "docs/d.md")  # gone from the spare tree
        rels = ["docs/a.md", "docs/b.md", "docs/c.md", "docs/d.md", "docs/e.md"]
        others = out.keep_live(rels)
        assert others == rels[1:]
        assert out.exists("docs/a.md") and "docs/a.md" in out.carried
        assert not {"docs/b.md", "docs/d.md", "docs/e.md"} & (out.placed | out.carried)
        for rel in ("docs/b.md", "docs/d.md"):  # one by one, as the callers do
            assert out.link_from(target / rel, rel)
        assert not out.link_from(target / "docs/c.md", "docs/c.md")  # placed: not linked
        out.commit()
    assert (target / "docs/a.md").read_text() == "a.md"
    assert (target / "docs/b.md").read_text() == "b again"
    assert (target / "docs/c.md").read_text() == "c placed"
    assert (target / "docs/d.md").read_text() == "d.md"


def _site_with_a_spare_tree(folder, names):
    """A site of `names` built once, with its spare tree: (site, spare tree, ledger, each
    file's size and mtime as written)."""
    target, spare = folder / "site", folder / "cache" / "spare"
    with OutputFolder(target, spare) as out:
        for name in names:
            out.write_text(f"docs/{name}.html", name)
        out.start_spare()
        out._finish_spare()
        ledger = out.ledger()
        out.commit()
    written = {name: os.stat(target / f"docs/{name}.html") for name in names}
    return target, spare, ledger, {n: (f.st_size, f.st_mtime_ns) for n, f in written.items()}


@pytest.mark.parametrize("same_folder", [True, False], ids=["spare tree", "another folder"])
def test_files_looked_at_before_the_build_stand_for_a_look_at_each(
    tmp_path, monkeypatch, same_folder
):
    """`carry` takes a page's file of the spare tree as written or not from what a process
    of the build looked at there (`look_at_files`) rather than looking itself; a file not
    seen there (not looked at, or not a regular file) is looked at, and so is every file
    when the look was at another folder than the one staging is."""
    names = ("a", "b", "c", "d")
    target, spare, ledger, expected = _site_with_a_spare_tree(tmp_path, names)
    with (target / "docs/b.html").open("r+b") as handle:  # in place: the spare tree's too
        handle.write(b"B, edited on the server")
    os.unlink(spare / "docs/d.html")
    os.symlink("a.html", spare / "docs/d.html")  # not a regular file: not kept as seen
    looked = look_at_files(spare, ["docs/a.html", "docs/b.html", "docs/d.html", "docs/gone"])
    assert looked is not None and sorted(looked.stats) == ["docs/a.html", "docs/b.html"]
    assert look_at_files(tmp_path / "nowhere", ["docs/a.html"]) is None
    if not same_folder:
        looked = FilesLooked((0, 0), looked.stats)
    looks: list[str] = []
    real_lstat = os.lstat

    def counting(path, *args, **kwargs):
        looks.append(os.path.basename(path))
        return real_lstat(path, *args, **kwargs)

    with OutputFolder(target, spare, ledger, looked) as out:
        monkeypatch.setattr(docsite.output.os, "lstat", counting)
        carried = [out.carry(f"docs/{name}.html", expected[name]) for name in names]
        monkeypatch.undo()
    # b was edited (neither tree's is as written); d is linked from the live site instead.
    assert carried == [True, False, True, True]
    assert looks == (["c.html", "d.html"] if same_folder else [f"{n}.html" for n in names])


def test_carry_keeps_only_the_spare_trees_files_the_ledger_vouches_for(tmp_path, monkeypatch):
    """`carry` keeps a file of the spare tree that the last build placed as the spare tree's
    and that is as written without a link; any other is
    looked at in the live site, and linked from there if that one is as written: one this
    build placed already (with the size and mtime of the live one) is not kept, and neither
    is one edited since; one the ledger does not name, one gone from the spare tree, and
    one the last build wrote anew are linked."""
    names = ("a", "b", "c", "d", "e", "f")
    target, spare, ledger, expected = _site_with_a_spare_tree(tmp_path, names)
    with (target / "docs/b.html").open("r+b") as handle:  # in place: the spare tree's too
        handle.write(b"B")
    os.unlink(spare / "docs/e.html")
    ledger = replace(
        ledger, placed=ledger.placed - {"docs/d.html"}, fresh=frozenset({"docs/f.html"})
    )
    linked: list[str] = []
    link_from = OutputFolder.link_from
    monkeypatch.setattr(
        OutputFolder,
        "link_from",
        lambda self, s, rel: linked.append(rel) or link_from(self, s, rel),
    )
    with OutputFolder(target, spare, ledger) as out:
        out.write_text("docs/c.html", "c")  # this build's own, though it looks the same
        os.utime(out.staging / "docs/c.html", ns=(expected["c"][1], expected["c"][1]))
        files = [(f"docs/{name}.html", expected[name]) for name in names]
        carried = [out.carry(rel, expected) for rel, expected in files]
        assert carried == [True, False, False, True, True, True]
        assert linked == ["docs/c.html", "docs/d.html", "docs/e.html", "docs/f.html"]
        assert out.carried == {"docs/a.html", "docs/d.html", "docs/e.html", "docs/f.html"}
        out.commit()
    site = {path.stem: path.read_text() for path in (target / "docs").iterdir()}
    assert site == {"a": "a", "c": "c", "d": "d", "e": "e", "f": "f"}  # b: rendered again


def test_a_folder_replaced_while_its_files_were_looked_at_gives_no_look(tmp_path, monkeypatch):
    """Its files may be some of one folder and some of the other: none is taken as seen."""
    _, spare, _, _ = _site_with_a_spare_tree(tmp_path, ("a",))
    assert look_at_files(spare, ["docs/a.html"]) is not None
    ids = iter([(1, 1), (2, 1)])  # the folder's identity before the look, and after it
    monkeypatch.setattr(docsite.output, "folder_id", lambda folder: next(ids))
    assert look_at_files(spare, ["docs/a.html"]) is None


def test_an_index_placed_keeps_the_last_ones_files_and_links_those_renamed(tmp_path):
    """An edit's index: its new files written, the last index's files kept where they
    were, and one kept under a new name (a fragment whose short name changed) linked from
    its old path."""
    from docsite.search.placing import place_index

    target, spare = tmp_path / "site", tmp_path / "cache" / "spare"
    with OutputFolder(target, spare) as out:
        for name in ("index/a.pf_index", "fragment/old.pf_fragment", "fragment/b.pf_fragment"):
            out.write_text(f"pagefind/{name}", name)
        out.start_spare()
        out._finish_spare()
        ledger = out.ledger()
        out.commit()
    old = f"{target}/pagefind"
    links = {
        "index/a.pf_index": f"{old}/index/a.pf_index",
        "fragment/new.pf_fragment": f"{old}/fragment/old.pf_fragment",
        "fragment/b.pf_fragment": f"{old}/fragment/b.pf_fragment",
    }
    with OutputFolder(target, spare, ledger) as out:
        place_index(out, {"index/c.pf_index": b"new"}, links, "key", target)
        assert {"pagefind/index/a.pf_index", "pagefind/fragment/b.pf_fragment"} <= out.carried
        out.commit()
    found = {str(p.relative_to(target)): p.read_text() for p in target.rglob("*.pf_*")}
    assert found == {
        "pagefind/index/a.pf_index": "index/a.pf_index",
        "pagefind/index/c.pf_index": "new",
        "pagefind/fragment/new.pf_fragment": "fragment/old.pf_fragment",
        "pagefind/fragment/b.pf_fragment": "fragment/b.pf_fragment",
    }


@pytest.mark.parametrize(
    ("spare_files", "placed"),
    [
        (None, {"a.html", "b.html"}),
        ({"a.html", "b.html", "pagefind/old.pf"}, {"a.html", "b.html", "pagefind/new.pf"}),
        ({"a.html"}, {"a.html"}),
    ],
)
def test_a_ledger_pickled_is_the_same_ledger(spare_files, placed):
    """The cache keeps the files placed as the spare tree's and what changed (few files)."""
    ledger = SpareLedger(
        (1, 2),
        frozenset(spare_files) if spare_files is not None else None,
        frozenset(placed),
        frozenset({"a.html"}),
    )
    again = pickle.loads(pickle.dumps(ledger))
    assert again == ledger and type(again.placed) is frozenset


@pytest.mark.parametrize("marker_token", ["ledger", "another build's", None])
def test_a_relinked_spare_tree_is_trusted_by_its_own_ledgers_marker_alone(
    tmp_path, monkeypatch, marker_token
):
    """After a build that wrote every page anew, a process relinks the site it replaced
    (the spare tree) to the new pages: the next build keeps them without linking each, if
    the marker holds the token of the ledger it starts from (not another build's, and not
    when the process did not finish)."""
    target, spare = tmp_path / "site", tmp_path / "spare"
    with OutputFolder(target) as out:
        out.write_text("p/index.html", "page")
        out.commit()
    with OutputFolder(target, spare) as out:
        out.write_text("p/index.html", "page, written anew")
        ledger = out.ledger()
        out.commit()
    trees.wait_for_background()
    marker = Path(docsite.output.relinked_marker(spare))
    assert marker.read_text() == ledger.token != ""
    if marker_token is None:
        marker.unlink()
    elif marker_token != "ledger":
        marker.write_text(marker_token)
    linked = []
    monkeypatch.setattr(OutputFolder, "link_from", lambda self, s, rel: linked.append(rel) or True)
    live = os.stat(target / "p/index.html")
    with OutputFolder(target, spare, ledger) as out:
        assert out.carry("p/index.html", (live.st_size, live.st_mtime_ns))
        assert linked == ([] if marker_token == "ledger" else ["p/index.html"])
    assert not marker.exists()  # for one build only
