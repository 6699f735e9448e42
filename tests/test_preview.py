"""Watch mode's previews: the open pages are sent first, and each is the page the build then
writes; once the build is done, the served site is a clean build's, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_files
from test_incremental import EDITS, clean_build, edit, make_site, tree

from docsite import themefiles
from docsite.build import BuildOptions
from docsite.build.preview import PagePreview
from docsite.minify import minified
from docsite.serve.live import MAX_INTERRUPTIONS, LiveSite
from docsite.serve.server import Previews, site_file

# Each kind of edit the issue names (a label, order, icon or badge; a page added, removed or
# renamed; a template, a stylesheet, the config), and a few that move pages or links.
WATCH_EDITS = {
    **{
        name: EDITS[name]
        for name in (
            "add",
            "badge",
            "body",
            "config",
            "downloaded file",
            "folder",
            # A folder's own page: its icon (alone), its visibility and address (all below).
            "top icon",
            "folder private",
            "folder permalink",
            "label",
            "link",
            "linked file",
            "order",
            "permalink",
            "remove",
            "static",
            "template",
        )
    },
    "icon": lambda r: edit(r / "content/s1/p2.md", "order: 2\n", "order: 2\nicon: rocket\n"),
    "rename": lambda r: (
        (r / "content/s2/p4.md").rename(r / "content/s2/p4-moved.md"),
        edit(r / "content/s2/p3.md", "(p4.md)", "(p4-moved.md)"),
    ),
    "stylesheet": lambda r: write_files(r, {"static/assets/site.css": "body{color:blue}"}),
    "script": lambda r: write_files(r, {"static/assets/site.js": "let shown = 2;"}),
    "open page label": lambda r: edit(r / "content/s2/p5.md", "# Page 2.5", "# Open page"),
    # Settings files made: found without a walk of the content folder (sources.rediscover).
    "new folder settings": lambda r: write_files(r, {"content/s2/index.yml": "label: Made\n"}),
    "new page settings": lambda r: write_files(r, {"content/s2/p5.yml": "label: Own made\n"}),
    # The open page changed, and a page saved with it links to it now: its "See also" grows.
    "open page and a link to it": lambda r: (
        edit(r / "content/s2/p5.md", "# Page 2.5", "# Open page"),
        edit(r / "content/s3/p0.md", "and [home]", "and [open](../s2/p5.md) and [home]"),
    ),
    # Two saves in one build (a build that a newer change stopped does both): the page is
    # previewed as well as the stylesheet.
    "stylesheet and label": lambda r: (
        write_files(r, {"static/assets/site.css": "body{color:red}"}),
        edit(r / "content/s2/p4.md", "# Page 2.4", "# Styled page"),
    ),
}
OPEN = ["/s2/p5/", "/s0/"]  # the pages the reader has open, the last seen first


def watched_site(tmp_path: Path) -> tuple[Path, Path, LiveSite, list[list[PagePreview]]]:
    """A site served in watch mode with OPEN open: its folder, the served folder, the live
    site, and the previews it sends."""
    root = tmp_path / "proj"
    make_site(root, sections=4, pages=14)
    served = root / ".docsite-cache/serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    sent: list[list[PagePreview]] = []
    live.open_pages = lambda: OPEN
    live.on_preview = lambda previews, css: sent.append(previews)
    return root, served, live, sent


def files_of(root: Path) -> dict[Path, tuple[int, int]]:
    """The project's files (not the cache) and their size and time, to tell what an edit did."""
    return {
        path: (path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file() and ".docsite-cache" not in path.parts
    }


def changed(before: dict[Path, tuple[int, int]], after: dict[Path, tuple[int, int]]) -> list[Path]:
    return sorted(
        path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
    )


@pytest.mark.parametrize("name", sorted(WATCH_EDITS))
def test_every_edit_sends_the_open_pages_first_and_ends_in_a_clean_build(tmp_path, name):
    root = tmp_path / "proj"
    make_site(root, sections=4, pages=14)
    write_files(root, {"static/assets/site.css": "body{}", "static/assets/site.js": "let shown;"})
    served = root / ".docsite-cache/serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    sent: list[tuple[list[PagePreview], bool]] = []
    live.open_pages = lambda: OPEN
    live.on_preview = lambda previews, css: sent.append((previews, css))
    try:
        assert not live.full_build().failed
        live.warm_up()
        before = files_of(root)
        WATCH_EDITS[name](root)
        update = live.apply(changed(before, files_of(root)))
        assert not update.failed, [d.format() for d in update.diagnostics]
        assert live.search.idle()  # the search index follows in the background
    finally:
        live.close()
    assert tree(served) == clean_build(root, tmp_path / "clean")
    previews = [preview for previews, _ in sent for preview in previews]
    for preview in previews:  # what the reader saw first is what the build wrote
        assert preview.html == (served / preview.output_path).read_bytes(), preview.output_path
    if name.startswith("stylesheet"):
        assert sent and previews[0].output_path == "assets/site.css"
        assert sent[0][1] == (name == "stylesheet")  # swapped in place, or with the reload
    if name == "stylesheet and label":
        assert any(b"Styled page" in preview.html for preview in previews)
    if name.startswith("new ") and name.endswith(" settings"):  # the open page shows it
        label = b"Own made" if name == "new page settings" else b"Made"
        assert any(label in preview.html for preview in previews)
    if name.endswith(" file") or name == "script":  # the tabs reload with it at once
        (files, css), *_ = sent
        path = {"downloaded file": "blog/shot.png", "linked file": "blog/notes.txt"}
        assert [(p.url, p.output_path, p.stylesheet) for p in files][:1] == [
            (None, path.get(name, "assets/site.js"), False)
        ]
        assert not css and not update.reload_all
    # Tabs are not told again of a page whose preview they show already.
    assert not {p.url for p in previews if p.url is not None} & set(update.changed_urls)


@pytest.mark.parametrize("name", ["assets/site.css", "assets/site.js"])
def test_the_theme_s_own_files_are_previewed_minified_as_the_build_publishes_them(
    tmp_path, monkeypatch, name
):
    """In a checkout of docsite, static/ is the theme's own folder, whose stylesheets and
    scripts the build minifies: an edited one reaches the tabs minified at once, and the
    build, which writes the same bytes, does not reload them a second time."""
    root, served, live, sent = watched_site(tmp_path)
    write_files(root, {"static/assets/site.css": "body{}", "static/assets/site.js": "let a;"})
    monkeypatch.setattr(themefiles, "theme_static_dir", lambda: (root / "static").resolve())
    source = {
        "assets/site.css": "/* the theme's */\nbody {\n  color: blue;\n}\n",
        "assets/site.js": "// the theme's\nlet shown = 2;\n",
    }[name]
    try:
        assert not live.full_build().failed
        live.warm_up()
        write_files(root, {f"static/{name}": source})
        update = live.apply([root / "static" / name])
        assert not update.failed, [d.format() for d in update.diagnostics]
        assert live.search.idle()
    finally:
        live.close()
    (preview,) = [p for previews in sent for p in previews if p.output_path == name]
    assert preview.html == (served / name).read_bytes() == minified(name, source.encode())
    assert len(preview.html) < len(source) and b"the theme's" not in preview.html
    assert not update.reload_all, "the build reloaded the tabs a second time"
    assert tree(served) == clean_build(root, tmp_path / "clean")


def test_a_preview_is_sent_for_label_edits_and_not_for_new_files(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=2, pages=4)
    write_files(root, {"content/extra/page.md": "# Extra\n"})
    served = root / ".docsite-cache/serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    sent: list[list[PagePreview]] = []
    live.open_pages = lambda: ["/s1/p2/", "/nowhere/"]
    live.on_preview = lambda previews, css: sent.append(previews)
    try:
        assert not live.full_build().failed
        page = root / "content/s1/p3.md"
        edit(page, "# Page 1.3", "# Third page")
        live.apply([page])
        assert [p.url for p in sent[-1]] == ["s1/p2/"]  # its sidebar shows the new label
        assert b"Third page" in sent[-1][0].html
        write_files(root, {"content/logo.png": b"png"})
        live.apply([root / "content/logo.png"])
        assert len(sent) == 1  # a new image: the build copies it, then the pages reload
        edit(page, "# Third page", "# Page 1.3\n\n[broken](nowhere.md)")
        assert live.apply([page]).failed and len(sent) == 1  # a changed page that errs: none
        edit(page, "# Page 1.3\n\n[broken](nowhere.md)", "# Page 1.3\n")
        assert not live.apply([page]).failed and len(sent) == 1  # mended: no preview then
        other = root / "content/s1/p1.md"
        edit(other, "order: 1\n", "order: 1\nicon: ../missing.png\n")  # an icon that errs
        assert live.apply([other]).failed and len(sent) == 1
        edit(other, "order: 1\nicon: ../missing.png\n", "order: 1\n")
        assert not live.apply([other]).failed and len(sent) == 1
        folder = root / "content/extra/index.yml"  # a folder without a page: its settings
        write_files(root, {"content/extra/index.yml": "icon: rocket\n"})
        assert not live.apply([folder]).failed and len(sent) == 2  # the sidebar shows it
        write_files(root, {"content/extra/index.yml": "icon: ../missing.png\n"})  # errs
        assert live.apply([folder]).failed and len(sent) == 2
    finally:
        live.close()


def test_held_files_are_served_until_released_and_open_pages_are_the_last_seen():
    previews = Previews()
    for path in ("/a/", "/b/", "/a/", "/c/"):
        previews.seen(path)
    assert previews.open_pages() == ["/c/", "/a/"]
    previews.hold({"a/index.html": b"new"})
    assert previews.get(site_file("/a/")) == b"new" and previews.get("b/index.html") is None
    previews.release()
    assert previews.get("a/index.html") is None
    assert site_file("/") == "index.html" and site_file("/x%20y.css") == "x y.css"


def test_a_newer_change_stops_the_build_and_the_next_build_does_both(tmp_path):
    """A second save does not wait for the rest of the site from the first: the build gives
    way (the served site stays the last whole build), and the next one does both changes."""
    root, served, live, sent = watched_site(tmp_path)
    try:
        assert not live.full_build().failed
        live.warm_up()
        site_before = tree(served)
        before = files_of(root)
        WATCH_EDITS["template"](root)
        second = root / "content/s2/p4.md"
        live.waiting = lambda: [second]  # saved while the first change builds
        first = live.apply(changed(before, files_of(root)))
        assert first.interrupted and not first.failed
        assert sent and b"F2" in sent[0][0].html  # its preview went out before the build
        assert tree(served) == site_before  # nothing half-built is served
        edit(second, "# Page 2.4", "# Second change")
        live.waiting = list
        update = live.apply([second])
        assert not update.interrupted and not update.failed, update.diagnostics
        assert live.search.idle()
    finally:
        live.close()
    assert tree(served) == clean_build(root, tmp_path / "clean")
    assert b"F2" in sent[-1][0].html and b"Second change" in sent[-1][0].html
    assert not any((root / ".docsite-cache").rglob("*.tmp*"))  # no temporary file left


def test_an_endless_stream_of_changes_still_gets_whole_builds(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=2, pages=4)
    served = root / ".docsite-cache/serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    page = root / "content/s1/p2.md"
    live.waiting = lambda: [page]  # an editor that saves all the time
    try:
        assert not live.full_build().failed
        updates = []
        for n in range(MAX_INTERRUPTIONS + 1):
            edit(page, "# Page 1.2" if n == 0 else f"# Label {n - 1}", f"# Label {n}")
            updates.append(live.apply([page]))
        assert live.search.idle()
    finally:
        live.close()
    assert [u.interrupted for u in updates] == [True] * MAX_INTERRUPTIONS + [False]
    assert tree(served) == clean_build(root, tmp_path / "clean")


def test_reading_ahead_gives_way_to_a_change_and_goes_on_after(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=4, pages=14)
    served = root / ".docsite-cache/serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    asked = []

    def interrupt() -> bool:  # a change comes after ten pages
        asked.append(True)
        return len(asked) > 10

    try:
        assert not live.full_build().failed
        live.warm_up(interrupt)
        assert not live.memory.ready and 0 < len(live.memory.loaded.pages) < 40
        live.warm_up()
        assert live.memory.ready and len(live.memory.loaded.pages) > 40
    finally:
        live.close()


def test_the_build_waits_for_the_tab_that_fetches_its_preview():
    previews = Previews()
    previews.hold({"a/index.html": b"new"})
    assert not previews.wait_served(0.01)  # no tab asked: the build goes on
    previews.answering()
    assert previews.get("a/index.html") == b"new"
    previews.answering()  # the stylesheets the reloaded page revalidates
    assert previews.wait_served(1.0)


# One serving session, one edit after another: each preview starts from what the one before
# it loaded (the pages of changed files read again into it), and is what the build writes.
SESSION = [
    "label",
    "order",
    "template",
    "badge",
    "open page title",
    "permalink",
    "config",
    "exclude",
    "icon",
    "add",
    "hidden",
    "rename",
    "open page title back",
    "new folder settings",
    "new page settings",
    "settings deleted",
]


def test_previews_one_after_another_each_equal_the_build(tmp_path):
    root, served, live, sent = watched_site(tmp_path)
    edits = {
        **WATCH_EDITS,
        "hidden": lambda r: edit(r / "content/s2/p3.md", "order: 3\n", "visibility: hidden\n"),
        "open page title": lambda r: edit(r / "content/s2/p5.md", "# Renamed page", "# Open"),
        "open page title back": lambda r: edit(r / "content/s2/p5.md", "# Open", "# Again"),
        # A config change that changes what is content: the files are found again.
        "exclude": lambda r: edit(r / "docsite.yml", "title: Changed", "title: X\nexclude: [s1/]"),
        "settings deleted": lambda r: [
            (r / rel).unlink() for rel in ("content/s2/index.yml", "content/s2/p5.yml")
        ],
    }
    try:
        assert not live.full_build().failed
        live.warm_up()
        memory = live.memory
        for number, name in enumerate(SESSION):
            before, count = files_of(root), len(sent)
            if number % 2:
                live.warm_up()  # idle between some saves, not between others
            edits[name](root)
            update = live.apply(changed(before, files_of(root)))
            assert not update.failed, [d.format() for d in update.diagnostics]
            assert live.memory is memory, name  # no preview failed (and was dropped)
            for preview in (preview for previews in sent[count:] for preview in previews):
                built = (served / preview.output_path).read_bytes()
                assert preview.html == built, (name, preview.output_path)
        assert live.search.idle()
    finally:
        live.close()
    assert len(sent) >= len(SESSION) // 2  # most of them show on the open pages
    assert tree(served) == clean_build(root, tmp_path / "clean")
