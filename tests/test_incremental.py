"""Rebuilds with the cache, and parallel builds, give exactly what a clean build gives."""

import os
import random
import shutil
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import write_files

import docsite.cache
import docsite.output
import docsite.pages
from docsite.build import BuildOptions, build_site
from docsite.build import plan as plan_module
from docsite.build import scanning as scanning_module
from docsite.build.scanning import ScanAside
from docsite.cache import (
    CACHE_DIR,
    HASH_ALL_ENV,
    SELDOM_READ,
    SPLIT_FILES,
    BuildCache,
    PageRecord,
    content_digest,
    split_file_of,
)
from docsite.serve.live import LiveSite
from docsite.trees import wait_for_background


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_site(root: Path, sections: int = 4, pages: int = 14) -> None:
    files = {
        # Templates that read other pages: rebuilds must redo them exactly when what they
        # read changes.
        "content/index.md": "# Home\n\nSee [first](s0/p0.md).\n\n"
        "Posts: {{ for p in content.blog.posts }}[{{ p.title }}]({{ p.filePath }}) {{ end }}\n\n"
        "Tags: {{ for t in content.tags }}{{ t.title }} ({{ t.pages.size }}) {{ end }}\n\n"
        "Read: {{ content['s0/p3'].title }}\n",
        "content/blog/first.md": "---\ndate: 2026-01-01\n---\n# First post\n",
        "content/blog/2025-12-01-older.md": "# Older post\n\nIts summary.\n",
        "docsite.yml": "title: Incremental\n",
    }
    for s in range(sections):
        files[f"content/s{s}/index.md"] = f"---\norder: {s + 1}\nicon: book\n---\n# Section {s}\n"
        for p in range(pages):
            files[f"content/s{s}/p{p}.md"] = (
                f"---\norder: {p}\ntags: [t{p % 3}]\n---\n# Page {s}.{p}\n\n## Part\n\n"
                f"Text [next](p{(p + 1) % pages}.md) and [home](../index.md).\n\n"
                f"```python\nx = {p}\n```\n"
            )
    # A card shows the post's summary, image and date: edits of the post redo it.
    card_page = f"content/s{sections - 1}/p0.md"
    if card_page in files:
        files[card_page] += "\n[!card](../blog/2025-12-01-older.md)\n"
    files["content/blog/shot.png"] = "not really a picture"
    # A download link shows its file's size: the one page that follows the file's edits.
    download_page = f"content/s{sections - 1}/p1.md"
    if download_page in files:
        files[download_page] += "\n[!file](../blog/shot.png)\n"
    files["content/blog/notes.txt"] = "a file nothing shows\n"
    # Retype's nonce changes with every file of the site: the one page that shows it follows.
    if "content/s0/p2.md" in files:
        files["content/s0/p2.md"] += "\nBuilt as {{ nonce }}.\n"
    write_files(root, files)


def clean_build(root: Path, out: Path, jobs: int = 1) -> dict[str, bytes]:
    result = build_site(BuildOptions(root=root, out=out, use_cache=False, jobs=jobs))
    assert result.ok, [d.format() for d in result.report.items]
    return tree(out)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


EDITS = {
    "body": lambda r: edit(r / "content/s1/p3.md", "## Part", "## Part changed"),
    "label": lambda r: edit(r / "content/s2/p5.md", "# Page 2.5", "# Renamed page"),
    "order": lambda r: edit(r / "content/s0/p1.md", "order: 1", "order: 99"),
    "badge": lambda r: edit(
        r / "content/s3/p2.md", "order: 2\n", "order: 2\nnav:\n  badge: NEW|info\n"
    ),
    "permalink": lambda r: edit(
        r / "content/s1/p1.md", "order: 1\n", "order: 1\npermalink: /moved\n"
    ),
    "folder": lambda r: edit(r / "content/s2/index.md", "# Section 2", "# Section two"),
    "template": lambda r: write_files(
        r, {"templates/partials/footer.html": "<footer>F2</footer>\n"}
    ),
    "config": lambda r: edit(r / "docsite.yml", "title: Incremental", "title: Changed"),
    "add": lambda r: write_files(r, {"content/s0/new.md": "# New page\n[back](p0.md)\n"}),
    "remove": lambda r: (
        (r / "content/s3/p13.md").unlink(),
        edit(r / "content/s3/p12.md", "(p13.md)", "(p0.md)"),
    ),
    "static": lambda r: write_files(r, {"static/assets/extra.css": "body{color:red}"}),
    "tags": lambda r: edit(r / "content/s1/p4.md", "tags: [t1]", "tags: [t1, fresh]"),
    "accents": lambda r: edit(r / "content/s2/p3.md", "## Part", "## Café crème résumé"),
    # Another page's "See also" list gains one and loses one.
    "link": lambda r: edit(r / "content/s2/p6.md", "[next](p7.md)", "[later](p9.md)"),
    "search code": lambda r: edit(
        r / "docsite.yml", "title: Incremental", "title: Incremental\nsearch:\n  code: false"
    ),
    "no words": lambda r: write_files(r, {"content/s0/p2.md": "---\norder: 2\n---\n# ?\n"}),
    # What the home page's templates read: a new post, a tag renamed, a title it shows.
    "post": lambda r: write_files(
        r, {"content/blog/second.md": "---\ndate: 2026-02-01\n---\n# Second post\n"}
    ),
    # The blog: its summary pages, feed and posts' Newer/Older links follow its posts.
    "post summary": lambda r: edit(
        r / "content/blog/2025-12-01-older.md", "Its summary.", "Another summary."
    ),
    "post image": lambda r: edit(
        r / "content/blog/2025-12-01-older.md", "Its summary.", "![](shot.png)\n\nIts summary."
    ),
    "post redated": lambda r: edit(r / "content/blog/first.md", "2026-01-01", "2025-06-01"),
    # Files of the content folder: a page shows one's size, another none of it.
    "downloaded file": lambda r: write_files(r, {"content/blog/shot.png": "a bigger one " * 99}),
    "linked file": lambda r: write_files(r, {"content/blog/notes.txt": "other notes\n"}),
    "post removed": lambda r: (r / "content/blog/first.md").unlink(),
    "tag renamed": lambda r: edit(r / "content/s1/p4.md", "tags: [t1]", "tags: [renamed]"),
    "title read": lambda r: edit(r / "content/s0/p3.md", "# Page 0.3", "# Page three"),
    # Retype's page model: what moves pages, hides them or changes the sidebar.
    "folder permalink": lambda r: edit(
        r / "content/s2/index.md", "order: 3\n", "order: 3\npermalink: /two\n"
    ),
    "protected": lambda r: edit(
        r / "content/s1/p2.md", "order: 2\n", "order: 2\nvisibility: protected\n"
    ),
    "folder private": lambda r: edit(
        r / "content/s3/index.md", "order: 4\n", "order: 4\nvisibility: private\n"
    ),
    "nav mode": lambda r: edit(
        r / "content/s0/p5.md", "order: 5\n", "order: 5\nnav:\n  mode: stack\n"
    ),
    "version order": lambda r: edit(r / "content/s0/p6.md", "order: 6", "order: v2.1-beta"),
    "empty order": lambda r: edit(r / "content/s0/p7.md", "order: 7", "order:"),
    # What a page links besides the theme's core (docsite.pageassets): a new icon, a first
    # component, a top-level icon (icons.css), the components' stylesheet replaced.
    "new icon": lambda r: edit(r / "content/s1/p3.md", "## Part", "## Part :icon-zap:"),
    "component": lambda r: edit(r / "content/s1/p3.md", "## Part", "!!!tip\nNote\n!!!\n\n## Part"),
    "top icon": lambda r: edit(r / "content/s0/index.md", "icon: book", "icon: rocket"),
    "components css": lambda r: write_files(
        r, {"static/assets/components.css": ".callout{color:red}\n.never-used{color:blue}\n"}
    ),
    "nav tags": lambda r: edit(
        r / "docsite.yml", "title: Incremental", "title: Incremental\nnav:\n  tags: {limit: 2}"
    ),
}


# Settings that open folders in every page's sidebar, as edits of make_site's files.
OPEN_FOLDERS = {
    "the site's nav.mode": lambda r: edit(
        r / "docsite.yml", "title: Incremental", "title: Incremental\nnav:\n  mode: stack"
    ),
    "a page's nav.mode": lambda r: edit(
        r / "content/s1/p4.md", "order: 4\n", "order: 4\nnav:\n  mode: stack\n"
    ),
    "an expanded folder": lambda r: edit(
        r / "content/s1/index.md", "order: 2\n", "order: 2\nexpanded: true\n"
    ),
}


@pytest.mark.parametrize("stacked", ["the site's nav.mode", "a page's nav.mode"])
def test_a_label_edit_in_a_stacked_folder_reaches_every_sidebar(tmp_path, stacked):
    """With nav.mode `stack`, every page's sidebar lists the pages of the stacked top-level
    folders: a label edited in one changes every page, not only its folder's."""
    root = tmp_path / "proj"
    make_site(root)
    OPEN_FOLDERS[stacked](root)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    assert "Page 1.3" in (out / "s0/p1/index.html").read_text()
    edit(root / "content/s1/p3.md", "# Page 1.3", "# Renamed page")
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    assert "Renamed page" in (out / "s0/p1/index.html").read_text()
    assert tree(out) == clean_build(root, tmp_path / "clean")


def nav_edit(page: Path, kind: str, step: int) -> None:
    """One edit of what a page shows in every sidebar that lists it, or of its body."""
    front, _, rest = page.read_text().removeprefix("---\n").partition("---\n")
    lines = [line for line in front.splitlines() if not line.startswith(kind + ":")]
    if kind == "label":
        rest = f"# Page v{step}\n" + rest.partition("\n")[2]  # its H1, which names it
    elif kind == "body":
        rest += f"\nMore text {step}.\n"
    else:
        value = {"order": str(50 - step), "icon": "gear", "badge": f"NEW{step}|info"}[kind]
        lines.append(f"{kind}: {value}")
    page.write_text("---\n" + "\n".join(lines) + "\n---\n" + rest)


@pytest.mark.parametrize("open_folders", ["the site's nav.mode", "an expanded folder"])
def test_random_nav_edits_with_open_folders_match_clean_builds(tmp_path, open_folders):
    """Sidebars that list other folders' pages (nav.mode stack, an expanded folder): label,
    order, icon, badge and body edits anywhere, one after another, each rebuild equal to a
    clean build of the same files."""
    root = tmp_path / "proj"
    make_site(root, sections=3, pages=5)
    OPEN_FOLDERS[open_folders](root)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    rng = random.Random(5)
    for step in range(6):
        page = root / f"content/s{rng.randrange(3)}/p{rng.randrange(5)}.md"
        kind = rng.choice(["label", "order", "icon", "badge", "body"])
        nav_edit(page, kind, step)
        result = build_site(BuildOptions(root=root, out=out, jobs=1))
        assert result.ok, [d.format() for d in result.report.items]
        clean = clean_build(root, tmp_path / f"clean{step}")
        assert tree(out) == clean, f"step {step}: {kind} of {page.relative_to(root)}"


@pytest.mark.parametrize("name", sorted(EDITS))
def test_single_edit_rebuild_equals_clean_build(tmp_path, name):
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    first = build_site(BuildOptions(root=root, out=out, jobs=1))
    assert first.ok and first.rendered == first.pages
    EDITS[name](root)
    again = build_site(BuildOptions(root=root, out=out, jobs=1))
    assert again.ok, [d.format() for d in again.report.items]
    assert tree(out) == clean_build(root, tmp_path / "clean")
    if name == "body":  # nothing the home page's templates read changed
        assert again.rendered == 1
    if name == "post":
        assert "Second post" in (out / "index.html").read_text()
    if name == "link":  # the page, and the two whose backlinks changed
        assert again.rendered == 3
    rendered = sorted(shown for shown, *_ in again.rendered_pages)
    if name == "downloaded file":  # its download link's page and the nonce's, not every page
        assert rendered == ["content/s0/p2.md", "content/s3/p1.md"]
    if name == "linked file":  # not the home page either, whose templates read no nonce
        assert rendered == ["content/s0/p2.md"]
    if name in ("body", "accents", "add"):  # one page merged into the index
        assert any("search: re-indexed 1 of" in note for note in again.notes), again.notes
    if name in ("tags", "remove"):  # and the home page, whose list of tags changed
        assert any("search: re-indexed 2 of" in note for note in again.notes), again.notes


def test_the_sitemap_follows_the_dates_of_edited_pages(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    edit(root / "docsite.yml", "title: Incremental", "title: Incremental\nurl: https://x.org/")
    page = root / "content/s0/p1.md"
    os.utime(page, (1_600_000_000, 1_600_000_000))  # 2020, and no git history to say otherwise
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    assert "2020-09-13" in (out / "sitemap.xml").read_text()
    edit(page, "## Part", "## Part changed")
    assert build_site(BuildOptions(root=root, out=out)).ok
    assert "2020-09-13" not in (out / "sitemap.xml").read_text()
    assert tree(out) == clean_build(root, tmp_path / "clean")


def test_removing_a_linked_page_reports_the_broken_link_on_rebuild(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=4)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    (root / "content/s0/p3.md").unlink()
    result = build_site(BuildOptions(root=root, out=out))
    assert not result.ok
    (error,) = result.report.errors
    assert error.file == "content/s0/p2.md" and "p3.md" in error.message
    assert (out / "s0/p3/index.html").is_file()  # the previous site is untouched


def test_no_change_rebuild_writes_nothing(tmp_path):
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    build_site(BuildOptions(root=root, out=out))
    stats = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    again = build_site(BuildOptions(root=root, out=out))
    assert again.ok and again.unchanged and again.rendered == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stats


def test_unchanged_pages_are_not_rewritten(tmp_path):
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    build_site(BuildOptions(root=root, out=out))
    untouched = out / "s0/p5/index.html"
    inode = untouched.stat().st_ino
    EDITS["body"](root)
    assert build_site(BuildOptions(root=root, out=out)).ok
    assert untouched.stat().st_ino == inode
    assert (out / "s1/p3/index.html").stat().st_ino != inode


def test_random_edit_sequences_match_clean_builds(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=2, pages=6)
    out = root / "site"
    rng = random.Random(7)
    build_site(BuildOptions(root=root, out=out, jobs=1))
    pages = sorted((root / "content").rglob("p*.md"))
    for step in range(12):
        page = rng.choice(pages)
        text = page.read_text()
        choice = rng.randrange(6)
        if choice == 0:
            text = text.replace("# Page", f"# Page v{step}", 1)
        elif choice == 1:
            text += f"\nMore text {step}.\n"
        elif choice == 4:
            text += f"\nNaïve café number {step}, déjà vu.\n"
        elif choice == 5:
            text = text.replace("tags: [", f"tags: [x{step % 2}, ", 1)
        elif choice == 2:
            text = text.replace("---\norder:", "---\nicon: rocket\norder:", 1)
        else:
            text = text.replace("order: ", f"order: {step}", 1)
        page.write_text(text)
        result = build_site(BuildOptions(root=root, out=out, jobs=1))
        assert result.ok, [d.format() for d in result.report.items]
        assert tree(out) == clean_build(root, tmp_path / f"clean{step}"), f"step {step}"


def test_parallel_build_equals_single_process(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=4, pages=14)  # above the parallel threshold
    assert clean_build(root, tmp_path / "one", jobs=1) == clean_build(
        root, tmp_path / "two", jobs=2
    )


def test_corrupt_or_foreign_cache_is_ignored_with_a_note(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    for index in (root / CACHE_DIR).glob("*.pickle"):
        index.write_bytes(b"not a pickle")
    result = build_site(BuildOptions(root=root, out=out))
    assert result.ok and result.rendered == result.pages
    assert any("cache ignored" in note for note in result.notes)
    assert tree(out) == clean_build(root, tmp_path / "clean")


def witness(site: Path, folder: Path) -> dict[str, bytes]:
    """Hard links to every file of the site (the same inodes) and their bytes now."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            rel = path.relative_to(site).as_posix()
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, folder / rel)
            found[rel] = path.read_bytes()
    return found


def test_rebuilds_from_the_spare_tree_never_write_into_the_live_site(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=3, pages=6)
    out = root / "site"
    spare = None
    for step, change in enumerate(["body", "label", "remove", "add", "template", "body"]):
        before = witness(out, tmp_path / f"witness{step}") if out.exists() else {}
        if change == "remove":
            (root / "content/s1/p2.md").unlink()
            edit(root / "content/s1/p1.md", "(p2.md)", "(p3.md)")
        elif change == "add":
            write_files(root, {"content/s0/new.md": "# New page\n"})
        elif change == "template":
            write_files(root, {"templates/partials/footer.html": "<footer>Own</footer>\n"})
        else:
            EDITS[change](root)
        result = build_site(BuildOptions(root=root, out=out))
        assert result.ok, [d.format() for d in result.report.items]
        # Every file of the replaced site still has the bytes it had: nothing was overwritten.
        for rel, data in before.items():
            assert (tmp_path / f"witness{step}" / rel).read_bytes() == data, rel
        assert tree(out) == clean_build(root, tmp_path / f"clean{step}"), change
        spare = next((root / CACHE_DIR).glob("spare-*"), spare)
    assert spare is not None and spare.is_dir()  # the replaced site is kept for the next build
    assert not (out / "s1/p2").exists()


def test_a_static_404_stays_and_is_never_written_into(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=2, pages=4)
    write_files(root, {"static/404.html": "<h1>Our own 404</h1>\n"})
    out = root / "site"
    for step in range(3):
        before = witness(out, tmp_path / f"witness{step}") if out.exists() else {}
        EDITS["body"](root) if step else None
        assert build_site(BuildOptions(root=root, out=out)).ok
        assert (out / "404.html").read_text() == "<h1>Our own 404</h1>\n"
        for rel, data in before.items():
            assert (tmp_path / f"witness{step}" / rel).read_bytes() == data, rel


def test_a_file_that_becomes_a_folder_and_back(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=2, pages=4)
    out = root / "site"
    write_files(root, {"static/guide": "a file\n"})
    assert build_site(BuildOptions(root=root, out=out)).ok
    (root / "static/guide").unlink()
    write_files(root, {"content/guide.md": "# Guide\n"})
    for step in range(3):  # the spare tree holds the file where the folder goes now
        EDITS["body"](root)
        edit(root / "content/s0/p1.md", "## Part", f"## Part {step}")
        assert build_site(BuildOptions(root=root, out=out)).ok
    assert tree(out) == clean_build(root, tmp_path / "clean")
    (root / "content/guide.md").unlink()
    write_files(root, {"static/guide": "a file again\n"})
    for step in range(2):
        edit(root / "content/s0/p2.md", "## Part", f"## Part {step}")
        assert build_site(BuildOptions(root=root, out=out)).ok
    assert tree(out) == clean_build(root, tmp_path / "clean2")


def test_a_site_rebuilt_without_the_cache_is_not_trusted_by_the_next_build(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=2, pages=3)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    edit(root / "content/s1/p1.md", "# Page 1.1", "# Renamed")
    assert build_site(BuildOptions(root=root, out=out, use_cache=False)).ok
    edit(root / "content/s1/p1.md", "# Renamed", "# Page 1.1")
    assert build_site(BuildOptions(root=root, out=out)).ok
    assert tree(out) == clean_build(root, tmp_path / "clean")


# --- Edits that keep a file's size and modification time -------------------------------------


def same_size_edit(page: Path, rng: random.Random, step: int) -> None:
    """Change the page's text but not its size, then set its times back (as cp -p, rsync -t
    and tar do): only its contents (and ctime) tell the edit apart."""
    before = page.stat()
    text = page.read_text()
    at = text.index("# P") + 3 if rng.randrange(2) else text.index("\nx") + 2
    letter = rng.choice([c for c in "0123456789" if c != text[at]])
    new = text[:at] + letter + text[at + 1 :]
    assert new != text and len(new.encode()) == len(text.encode())
    page.write_text(new)
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = page.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_random_edits_that_keep_size_and_mtime_match_clean_builds(tmp_path):
    root = tmp_path / "proj"
    make_site(root, sections=2, pages=6)
    for path in root.rglob("*"):
        os.utime(path, (1_600_000_000, 1_600_000_000))  # old: past any racy window
    out = root / "site"
    rng = random.Random(11)
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    pages = sorted((root / "content").rglob("p*.md"))
    for step in range(10):
        if rng.randrange(3):
            same_size_edit(rng.choice(pages), rng, step)
        else:
            page = rng.choice(pages)
            page.write_text(page.read_text() + f"\nMore text {step}.\n")
        result = build_site(BuildOptions(root=root, out=out, jobs=1))
        assert result.ok, [d.format() for d in result.report.items]
        assert not result.unchanged, f"step {step}: the edit went unseen"
        assert tree(out) == clean_build(root, tmp_path / f"clean{step}"), f"step {step}"


def assert_one_edit_seen(root: Path, out: Path, tmp_path: Path, seed: int, length: int) -> None:
    """A same-size edit of one page: the next build renders it, and equals a clean build."""
    same_size_edit(root / "content/s0/p1.md", random.Random(seed), length)
    again = build_site(BuildOptions(root=root, out=out, jobs=1))
    assert again.ok and again.rendered == 1
    assert tree(out) == clean_build(root, tmp_path / "clean")


def test_ctime_tells_an_edit_whose_mtime_was_set_back(tmp_path, monkeypatch):
    """With no racy window at all, the signature alone (ctime) catches the edit."""
    monkeypatch.setattr(docsite.cache, "RACY_WINDOW_NS", 0)
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).unchanged
    assert_one_edit_seen(root, out, tmp_path, 1, 3)


def coarse_file_system(monkeypatch: pytest.MonkeyPatch, seconds_later: float) -> None:
    """Every file's times are one whole second, T; the clock reads T + `seconds_later`."""
    stamp = 1_700_000_000 * 10**9

    def signature(path):
        stat = os.stat(path)
        return stat.st_size, stamp, stamp, stat.st_ino

    monkeypatch.setattr(docsite.cache, "file_signature", signature)
    clock = SimpleNamespace(time_ns=lambda: stamp + int(seconds_later * 10**9))
    monkeypatch.setattr(docsite.cache, "time", clock)


def test_an_edit_within_the_timestamp_granularity_is_seen(tmp_path, monkeypatch):
    """Files changed within the racy window of a build are hashed again by the next one."""
    coarse_file_system(monkeypatch, seconds_later=0.5)
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    assert_one_edit_seen(root, out, tmp_path, 2, 4)


def test_hash_all_sees_edits_that_no_time_shows(tmp_path, monkeypatch):
    """Where the file system's times cannot be trusted at all, DOCSITE_HASH_ALL=1 hashes
    every file."""
    coarse_file_system(monkeypatch, seconds_later=3600)
    monkeypatch.setenv(HASH_ALL_ENV, "1")
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).unchanged
    assert_one_edit_seen(root, out, tmp_path, 3, 5)


def test_files_hashed_again_are_recorded_by_a_build_with_nothing_to_do(tmp_path, monkeypatch):
    """A file touched (or just written) is read again once, not by every build after."""
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    for path in (root / "content").rglob("*"):
        os.utime(path, (1_600_000_000, 1_600_000_000))
    monkeypatch.setattr(docsite.cache, "RACY_WINDOW_NS", 0)  # ctimes are seconds old
    reads: list[str] = []
    real_digest = docsite.cache.content_digest

    def counted(data: bytes) -> str:
        reads.append("read")
        return real_digest(data)

    monkeypatch.setattr(docsite.cache, "content_digest", counted)
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).unchanged
    assert reads  # the touched files were read once
    reads.clear()
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).unchanged
    assert reads == []


def test_a_page_that_becomes_a_folder_of_pages(tmp_path):
    """The home page's Markdown copy, the file /index.md in the last site (and in the spare
    tree), stands where the folder /index.md/inner/ goes now."""
    root = tmp_path / "proj"
    write_files(root, {"content/index.md": "# Home\n", "content/a.md": "# A\n"})
    out = root / "site"
    for _ in range(2):  # the second build leaves a spare tree
        assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    (root / "content/index.md").unlink()
    write_files(root, {"content/index.md/inner.md": "# Inner\n"})
    result = build_site(BuildOptions(root=root, out=out, jobs=1))
    assert result.ok, [d.format() for d in result.report.items]
    assert tree(out) == clean_build(root, tmp_path / "clean")


def record_files(root: Path) -> dict[str, int]:
    """The cache's page record files: name -> inode."""
    return {p.name: p.stat().st_ino for p in (root / CACHE_DIR).glob("records-*.pickle")}


def test_an_edit_rewrites_only_the_record_file_of_its_page(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    before = record_files(root)
    assert len(before) == SPLIT_FILES
    edit(root / "content/s1/p3.md", "Text [next]", "More text. [next]")
    pickled: list[object] = []
    real_dumps = docsite.cache.pickle.dumps

    def dumps(value, *args, **kwargs):
        pickled.append(value)
        return real_dumps(value, *args, **kwargs)

    monkeypatch.setattr(docsite.cache.pickle, "dumps", dumps)
    assert build_site(BuildOptions(root=root, out=out)).rendered == 1
    monkeypatch.undo()
    # Pickled: the page records and the pages as read of the page's file, and no other.
    dicts = [list(value) for value in pickled if isinstance(value, dict)]
    assert dicts == [in_record_file(root, "s1/p3.md")] * 2
    after = record_files(root)
    assert len(after) == SPLIT_FILES  # the one it replaced is gone
    written = {name.split("-")[2] for name in after.keys() - before.keys()}
    assert written == {f"{split_file_of('s1/p3.md'):02d}"}
    assert all(before[name] == inode for name, inode in after.items() if name in before)
    # The next build reads the records back from old files and the new one alike.
    edit(root / "content/s2/p7.md", "Text [next]", "Other text. [next]")
    again = build_site(BuildOptions(root=root, out=out))
    assert again.ok and again.rendered == 1
    assert tree(out) == clean_build(root, tmp_path / "clean")


def test_a_small_site_keeps_no_files_for_its_empty_parts(tmp_path):
    """Two pages fill at most two of the cache's parts: the empty ones have no file, and
    the next build still takes the whole cache (one page rendered, not both)."""
    root = tmp_path / "proj"
    pages = {"content/index.md": "# Home\n\n[A](a.md)\n", "content/a.md": "# A\n\nText.\n"}
    write_files(root, {"docsite.yml": "title: X\n", **pages})
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    parts = {split_file_of(rel) for rel in ("index.md", "a.md")}
    assert len(record_files(root)) == len(parts) < SPLIT_FILES
    assert len(list((root / CACHE_DIR).glob("pages-*-*.pickle"))) == len(parts)
    edit(root / "content/a.md", "Text.", "Other text.")
    result = build_site(BuildOptions(root=root, out=out))
    assert result.ok and result.rendered == 1, result.notes
    assert not any("cache ignored" in note for note in result.notes)
    assert tree(out) == clean_build(root, tmp_path / "clean")


def in_record_file(root: Path, rel: str) -> list[str]:
    """The pages whose records are kept with that of `rel`."""
    pages = BuildCache(root, root / "site").state.pages
    return [other for other in pages if split_file_of(other) == split_file_of(rel)]


def test_a_missing_record_file_means_no_cache(tmp_path):
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    (root / CACHE_DIR / sorted(record_files(root))[5]).unlink()
    edit(root / "content/s1/p3.md", "Text [next]", "More text. [next]")
    result = build_site(BuildOptions(root=root, out=out))
    assert result.ok and result.rendered == result.pages  # nothing half-trusted
    assert any("cache ignored" in note and "is missing" in note for note in result.notes)
    assert tree(out) == clean_build(root, tmp_path / "clean")
    assert len(record_files(root)) == SPLIT_FILES


def test_the_state_takes_its_input_files_from_the_inputs_file_of_its_own_build(tmp_path):
    """The cache keeps the files a build read once, in the inputs file, which the state
    takes them from; an inputs file of another build (put back from a copy, or left by a
    build killed between the two) means no state to trust: every page is rendered."""
    root = tmp_path / "proj"
    make_site(root, sections=2, pages=4)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    inputs = BuildCache(root, out).inputs_index
    first = inputs.read_bytes()
    state = BuildCache(root, out).state
    assert state.files and state.files == BuildCache(root, out).inputs.files
    edit(root / "content/s1/p2.md", "Text [next]", "Other text. [next]")
    assert build_site(BuildOptions(root=root, out=out)).rendered == 1
    inputs.write_bytes(first)  # the first build's, beside the second build's state
    assert BuildCache(root, out).state.pages == {}
    edit(root / "content/s0/p1.md", "Text [next]", "More text. [next]")
    result = build_site(BuildOptions(root=root, out=out))
    assert result.ok and result.rendered == result.pages
    assert tree(out) == clean_build(root, tmp_path / "clean")


def test_a_record_reused_for_a_changed_file_is_saved_with_its_new_hash(tmp_path):
    """A YAML comment changes the file but nothing the page shows: the page is reused, and
    its record, now naming the file's new hash, is the one saved (not the record read)."""
    root = tmp_path / "proj"
    make_site(root, sections=2, pages=4)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    page = root / "content/s1/p2.md"
    edit(page, "order: 2", "order: 2  # a comment")
    assert build_site(BuildOptions(root=root, out=out)).rendered == 0
    stored = BuildCache(root, out).state.pages["s1/p2.md"]
    assert stored.source_digest == content_digest(page.read_bytes())


def count_page_reads(monkeypatch) -> list[str]:
    """The pages (and page settings files) read from disk from now on, by their names in
    messages."""
    read: list[str] = []
    real = docsite.pages.read_bytes

    def read_bytes(path, shown):
        read.append(shown)
        return real(path, shown)

    monkeypatch.setattr(docsite.pages, "read_bytes", read_bytes)
    return read


def test_a_rebuild_reads_only_the_pages_whose_files_changed(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    make_site(root)
    write_files(root, {"content/s1/p2.yml": "label: Side label\n"})
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    read = count_page_reads(monkeypatch)
    edit(root / "content/s1/p3.md", "Text [next]", "More text. [next]")
    edit(root / "content/s1/p2.yml", "Side label", "Other label")
    result = build_site(BuildOptions(root=root, out=out))
    assert result.ok
    # p2 for its settings file, read with it.
    assert sorted(read) == ["content/s1/p2.md", "content/s1/p2.yml", "content/s1/p3.md"]
    assert "Other label" in (out / "s1/p4/index.html").read_text()  # p4's sidebar shows it
    assert tree(out) == clean_build(root, tmp_path / "clean")


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "order: 1",
            "order: 1\nlable: Typo",
            "content/s0/p1.md:3:1: warning: unknown frontmatter key",
        ),
        ("Text [next]", "See :icon-nosuchicon:.", "content/s0/p1.md:9:5: warning: unknown icon"),
    ],
    ids=["settings", "render"],
)
def test_warnings_of_pages_not_read_again_are_said_again(tmp_path, monkeypatch, old, new, said):
    """A page's warnings are kept: those of its settings with the site as loaded, those of
    its render in its record. An edit of another page, which reuses the page as it was
    without reading it, says them again at the same place."""
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    edit(root / "content/s0/p1.md", old, new)
    out = root / "site"

    def warnings(result) -> list[str]:
        return [w.format() for w in result.report.warnings if w.format().startswith(said)]

    first = warnings(build_site(BuildOptions(root=root, out=out)))
    assert len(first) == 1
    read = count_page_reads(monkeypatch)
    edit(root / "content/s0/p2.md", "Text [next]", "More text. [next]")
    again = build_site(BuildOptions(root=root, out=out))
    assert again.rendered == 1 and warnings(again) == first
    assert read == ["content/s0/p2.md"]


def test_a_build_with_nothing_to_do_says_the_configs_warnings_once(tmp_path):
    """The config's warnings are said as it is read, and the last build's messages (which
    hold them) are said again when nothing changed: the build said them twice."""
    root = tmp_path / "proj"
    write_files(root, {"docsite.yml": "title: X\nbogus: 1\n", "content/index.md": "# Home\n"})
    first = build_site(BuildOptions(root=root, jobs=1))
    again = build_site(BuildOptions(root=root, jobs=1))
    assert again.unchanged
    said = [d.format() for d in first.report.items]
    assert len(said) == 1 and [d.format() for d in again.report.items] == said


def test_pages_read_by_another_docsite_are_read_again(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    monkeypatch.setattr(docsite.cache, "engine_digest", lambda: "another docsite")
    read = count_page_reads(monkeypatch)
    edit(root / "content/s0/p2.md", "Text [next]", "More text. [next]")
    assert build_site(BuildOptions(root=root, out=out)).ok
    every = sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*.md"))
    assert sorted(read) == every


def test_the_engines_hash_is_kept_under_its_files_signatures(tmp_path):
    """A build takes docsite's hash from the project's cache while docsite's files have the
    signatures it was made from; an edited file is hashed again, and its memo replaces the
    last one. Its files are its modules and data (a locale's words), not any other file."""
    package, folder = tmp_path / "engine", tmp_path / "cache"
    write_files(
        package,
        {"a.py": "A = 1\n", "sub/b.py": "B = 2\n", "notes.txt": "x", "locales/xx.json": "{}"},
    )
    folder.mkdir()
    first = docsite.cache.recall_engine_digest(folder, package)
    assert first == docsite.cache.sources_digest(package)
    (memo,) = folder.glob("engine-*")
    memo.write_text("0" * 32)  # a memo is read, not the files: this one says so
    assert docsite.cache.recall_engine_digest(folder, package) == "0" * 32
    memo.write_text("not a hash")
    assert docsite.cache.recall_engine_digest(folder, package) == first
    (package / "notes.txt").write_text("y")  # no module, no data: the same engine
    assert docsite.cache.recall_engine_digest(folder, package) == first
    (package / "locales/xx.json").write_text('{"Search": "Find"}')  # words pages show
    worded = docsite.cache.recall_engine_digest(folder, package)
    assert worded == docsite.cache.sources_digest(package) != first
    (package / "sub/b.py").write_text("B = 3\n")
    changed = docsite.cache.recall_engine_digest(folder, package)
    assert changed == docsite.cache.sources_digest(package) not in (first, worded)
    assert [p.name for p in folder.glob("engine-*")] != [memo.name]
    assert len(list(folder.glob("engine-*"))) == 1


def spare_tree(root: Path) -> Path:
    (spare,) = (root / CACHE_DIR).glob("spare-*")
    return spare


def watch_file_checks(monkeypatch) -> tuple[list[str], list[str]]:
    """Files of the spare tree compared with the live site's, and walks of the whole
    staging folder, from now on."""
    compared: list[str] = []
    walks: list[str] = []
    real_same_inode = docsite.output.same_inode
    real_walk = docsite.output.OutputFolder._remove_unplaced

    def same_inode(a, b):
        compared.append(os.fspath(b))
        return real_same_inode(a, b)

    def walk(self):
        walks.append(str(self.staging))
        return real_walk(self)

    monkeypatch.setattr(docsite.output, "same_inode", same_inode)
    monkeypatch.setattr(docsite.output.OutputFolder, "_remove_unplaced", walk)
    return compared, walks


def built_three_times(tmp_path: Path) -> tuple[Path, Path]:
    """A project and its site, built three times (s0/p1 edited before each build): the
    third build's spare tree was a site the second replaced, and is pruned (a process of
    its own prunes it after the build: the tests change it, or the site, next)."""
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    for step in range(3):
        edit(root / "content/s0/p1.md", "## Part", f"## Part {step}")
        assert build_site(BuildOptions(root=root, out=out)).ok
    wait_for_background()
    return root, out


def test_rebuilds_know_what_the_spare_tree_holds_from_the_last_build(tmp_path, monkeypatch):
    root, out = built_three_times(tmp_path)
    compared, walks = watch_file_checks(monkeypatch)
    edit(root / "content/s1/p3.md", "Text [next]", "More text. [next]")
    (root / "content/blog/first.md").unlink()  # its files go, though no walk finds them
    assert build_site(BuildOptions(root=root, out=out)).ok
    assert walks == []
    # Compared: none of the pages and copies, though the last build wrote s0/p1's anew (the
    # spare tree's files were relinked to the live site's after it); only the search
    # fragment it wrote under a new name, which the spare tree never held.
    staged = {os.path.relpath(path, out.parent).split(os.sep, 1)[1] for path in compared}
    assert {rel for rel in staged if rel.endswith((".html", ".md"))} == set()
    assert len([rel for rel in staged if rel.endswith(".pf_fragment")]) == 1
    monkeypatch.undo()
    assert tree(out) == clean_build(root, tmp_path / "clean")


def test_the_edit_after_a_build_that_rendered_every_page_links_none_of_them_again(
    tmp_path, monkeypatch
):
    """A build that rendered every page (the site's title changed) leaves a spare tree of
    the old pages, which a process relinks to the new ones once the build is done: the next
    edit keeps them as they are instead of linking each from the live site."""
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    EDITS["config"](root)
    again = build_site(BuildOptions(root=root, out=out))
    assert again.ok and again.rendered == again.pages
    wait_for_background()
    linked: list[str] = []
    real_link = docsite.output.OutputFolder.link_from

    def link_from(self, source, rel):
        linked.append(rel)
        return real_link(self, source, rel)

    monkeypatch.setattr(docsite.output.OutputFolder, "link_from", link_from)
    edit(root / "content/s1/p3.md", "Text [next]", "More text. [next]")
    assert build_site(BuildOptions(root=root, out=out)).rendered == 1
    generated = ("404.html", "blog/index.html", "tags/")  # kept by publish, one by one
    pages = [rel for rel in linked if rel.endswith((".html", ".md"))]
    assert [rel for rel in pages if not rel.startswith(generated)] == []
    monkeypatch.undo()
    assert tree(out) == clean_build(root, tmp_path / "clean")


def test_the_first_edit_after_a_fresh_build_finds_the_search_index_in_the_spare_tree(
    tmp_path, monkeypatch
):
    """A fresh build copies its staging folder for the next build before it writes the
    search index; the copy takes the index's files (and the other files placed since) once
    they are written, so the first edit compares no more files than a later one does."""
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    spare = spare_tree(root)
    assert inodes_of(spare / "pagefind") == inodes_of(out / "pagefind")
    compared, walks = watch_file_checks(monkeypatch)
    edit(root / "content/s1/p3.md", "Text [next]", "More text. [next]")
    assert build_site(BuildOptions(root=root, out=out)).ok
    assert walks == []
    staged = {os.path.relpath(path, out.parent).split(os.sep, 1)[1] for path in compared}
    assert len([rel for rel in staged if rel.startswith("pagefind/")]) <= 1, staged
    monkeypatch.undo()
    assert tree(out) == clean_build(root, tmp_path / "clean")


def inodes_of(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()
    }


def test_a_spare_tree_the_last_build_did_not_leave_is_checked_file_by_file(tmp_path, monkeypatch):
    root, out = built_three_times(tmp_path)
    spare = spare_tree(root)
    (spare / "s0/p4/index.html").write_text("not the page")  # one file stale...
    shutil.copytree(spare, spare.with_name("copy"))  # ...and none the live site's
    shutil.rmtree(spare)
    spare.with_name("copy").rename(spare)
    compared, walks = watch_file_checks(monkeypatch)
    edit(root / "content/s1/p3.md", "Text [next]", "More text. [next]")
    assert build_site(BuildOptions(root=root, out=out)).ok
    assert walks and len(compared) > 60
    monkeypatch.undo()
    assert tree(out) == clean_build(root, tmp_path / "clean")


def test_a_file_gone_from_the_site_and_its_spare_tree_is_written_again(tmp_path):
    root, out = built_three_times(tmp_path)
    for folder in (out, spare_tree(root)):
        (folder / "s0/p4.md").unlink()  # a Markdown copy
        (folder / "tags/index.html").unlink()
    edit(root / "content/s1/p3.md", "Text [next]", "More text. [next]")
    assert build_site(BuildOptions(root=root, out=out)).ok
    assert tree(out) == clean_build(root, tmp_path / "clean")


def test_files_gone_from_the_spare_tree_alone_are_linked_from_the_site_again(tmp_path):
    """The ledger says the spare tree holds the live site's files; files since deleted from
    it alone (a search fragment, a Markdown copy) are linked from the site again."""
    root, out = built_three_times(tmp_path)
    spare = spare_tree(root)
    fragments = sorted((spare / "pagefind/fragment").iterdir())
    assert len(fragments) > 10
    for gone in (*fragments[:3], spare / "s0/p4.md", spare / "s2/p5.md"):
        gone.unlink()
    edit(root / "content/s1/p3.md", "Text [next]", "More text. [next]")
    assert build_site(BuildOptions(root=root, out=out)).ok
    assert tree(out) == clean_build(root, tmp_path / "clean")


def test_a_reused_page_keeps_the_record_read_unless_its_file_changed(tmp_path, monkeypatch):
    """A space at the end of a line of a page's frontmatter moves the site key, so every
    page's keys are worked out again; none of them changed, so every page is reused. Only
    the edited page's record is made anew (its file's hash): the others stay the objects
    read, whose part of the cache is not pickled again."""
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    made_anew: list[str] = []
    real_replace = plan_module.replace

    def counting(record, **changes):
        made_anew.append(record.output_path)
        return real_replace(record, **changes)

    monkeypatch.setattr(plan_module, "replace", counting)
    edit(root / "content/s0/p1.md", "order: 1\n", "order: 1 \n")
    result = build_site(BuildOptions(root=root, out=out))
    assert result.ok and result.rendered == 0, result.rendered_pages
    assert made_anew == ["s0/p1/index.html"]
    monkeypatch.undo()
    assert tree(out) == clean_build(root, tmp_path / "clean")


def looked_aside(monkeypatch) -> list:
    """Rebuilds scan aside (build.scanning) whatever their size, and the build waits for the
    process's look at the spare tree's pages (a build goes on without it): what it took."""
    monkeypatch.setattr(scanning_module, "SCAN_ASIDE_FILES", 1)
    taken = []
    files_looked = ScanAside.files_looked

    def waiting(self):
        if self._taken:
            self._receiver.poll(10)
        taken.append(files_looked(self))
        return taken[-1]

    monkeypatch.setattr(ScanAside, "files_looked", waiting)
    return taken


@pytest.mark.parametrize("aside", [False, True], ids=["looked here", "looked aside"])
def test_pages_of_the_live_site_changed_after_the_build_are_right_after_the_next(
    tmp_path, monkeypatch, aside
):
    """A page of the live site edited in place (one inode with the spare tree's) is written
    again; one replaced by another file leaves the spare tree's, as the build wrote it. So
    when a process of the build looked at the spare tree's pages while it scanned."""
    taken = looked_aside(monkeypatch) if aside else None
    root, out = built_three_times(tmp_path)
    edited, replaced = out / "s0/p4/index.html", out / "s1/p2/index.html"
    with edited.open("r+b") as handle:  # in place: the spare tree's file is this one
        handle.write(b"<!-- edited on the server -->")
    other = replaced.with_name("new.html")
    other.write_text("replaced on the server")
    other.replace(replaced)
    edit(root / "content/s1/p3.md", "Text [next]", "More text. [next]")
    result = build_site(BuildOptions(root=root, out=out, jobs=2))
    assert result.ok
    again = {source for source, _, why in result.rendered_pages}
    assert again == {"content/s1/p3.md", "content/s0/p4.md"}
    if taken is not None:  # the look saw the edited page, as it saw the others
        assert taken[-1] is not None and "s0/p4/index.html" in taken[-1].stats
    assert tree(out) == clean_build(root, tmp_path / "clean")


def test_watch_mode_builds_leave_the_next_build_nothing_to_trust(tmp_path):
    """Watch mode writes pages and the search index into its site between builds."""
    root = tmp_path / "proj"
    make_site(root, sections=1, pages=3)
    served = root / CACHE_DIR / "serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    try:
        for step in range(2):  # the second replaces a site
            edit(root / "content/s0/p1.md", "## Part", f"## Part {step}")
            assert not live.full_build().failed
    finally:
        live.close()
    assert BuildCache(root, served).state.spare is None


def test_the_build_after_a_first_build_knows_the_copy_of_the_site_it_made(tmp_path, monkeypatch):
    """A first build copies its staging folder as the next build's spare tree while the
    search index is made: the files placed before hold; those placed after are checked."""
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out)).ok
    compared, walks = watch_file_checks(monkeypatch)
    edit(root / "content/s1/p3.md", "Text [next]", "More text. [next]")
    assert build_site(BuildOptions(root=root, out=out)).ok
    assert walks == []
    assert [path for path in compared if path.endswith((".html", ".md"))] == []
    monkeypatch.undo()
    assert tree(out) == clean_build(root, tmp_path / "clean")


@pytest.mark.parametrize("name", ["label", "order", "folder"])
def test_a_label_edit_works_out_the_markdown_keys_of_the_pages_it_may_change_only(
    tmp_path, monkeypatch, name
):
    """An edit of a page's own settings or title changes the site key, so every page's key
    is worked out; a page whose file and links are as they were keeps its Markdown key
    (the structure key holds). An edit of a folder's own page changes what the pages below
    it inherit: every Markdown key is worked out again."""
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    assert build_site(BuildOptions(root=root, out=out, jobs=1)).ok
    worked_out: list[str] = []
    inputs = plan_module.markdown_inputs
    monkeypatch.setattr(
        plan_module,
        "markdown_inputs",
        lambda page, shared: worked_out.append(page.source.rel) or inputs(page, shared),
    )
    EDITS[name](root)
    result = build_site(BuildOptions(root=root, out=out, jobs=1))
    assert result.ok, [d.format() for d in result.report.items]
    if name == "folder":
        assert len(worked_out) == result.pages
    else:
        # The page, and those whose links show it (its title, its address).
        assert 1 <= len(worked_out) <= 3, worked_out
        assert EDITS_PAGE[name] in worked_out
    assert tree(out) == clean_build(root, tmp_path / "clean")


EDITS_PAGE = {"label": "s2/p5.md", "order": "s0/p1.md"}


def test_a_records_links_and_anchors_are_unpickled_when_first_read():
    """The cache keeps a record's anchors, links, backlinks and dependencies as one pickle
    of their own, unpickled the first time one is read; a record pickled again before that
    keeps it. Its dependencies that are no linked page are read without unpickling it."""
    import pickle

    dependencies = {"z.md": ("Z",), "file:img.png": ("h1",), "b.md": ("B",), "read:x": ("h2",)}
    record = PageRecord(
        "markdown key", dependencies, "page key", "a/index.html", "html", (1, 2),
        frozenset(), [], ["part"], [("b.md", "part", 3, 4)], backlinks=("b.md",),
    )  # fmt: skip
    inputs = {"file:img.png": ("h1",), "read:x": ("h2",)}
    assert record.input_dependencies() == inputs
    stored = pickle.dumps(record)
    loaded = pickle.loads(stored)
    assert not set(SELDOM_READ) & set(vars(loaded))
    assert loaded.input_dependencies() == inputs
    assert not set(SELDOM_READ) & set(vars(loaded))  # still packed
    assert pickle.dumps(loaded) == stored  # not unpickled to be pickled again
    assert loaded.page_links == [("b.md", "part", 3, 4)]
    assert set(SELDOM_READ) <= set(vars(loaded))  # all of them, at once
    assert list(loaded.dependencies.items()) == list(dependencies.items())  # in their order
    assert loaded.input_dependencies() == inputs
    assert loaded == record and pickle.loads(pickle.dumps(loaded)) == record
    assert pickle.loads(pickle.dumps(replace(record, backlinks=()))).backlinks == ()
    assert PageRecord.backlinks == ()  # the field's default, as the class gives it
    alone = pickle.loads(pickle.dumps(replace(record, dependencies={"b.md": ("B",)})))
    assert alone.input_dependencies() == {} and alone.dependencies == {"b.md": ("B",)}


def test_a_body_edit_unpickles_the_links_of_its_own_page_alone(tmp_path):
    """At 5,000 pages, the records' anchors, links and backlinks are half the time of
    loading them: a body edit that keeps the site's links reads them for its page only
    (the pages reused are the records as loaded, none of them read), and the site is a
    clean build's."""
    root = tmp_path / "proj"
    make_site(root)
    out = root / "site"
    page = root / "content/s1/p3.md"
    for more in ("", "More.\n", "And more.\n"):  # the last two keep the site key
        page.write_text(page.read_text() + more)
        result = build_site(BuildOptions(root=root, out=out))
        assert result.ok
    cache = next(item for item in result.loaded if isinstance(item, BuildCache))
    read = [rel for rel, record in cache.state.pages.items() if SELDOM_READ[0] in vars(record)]
    assert result.rendered == 1 and read == ["s1/p3.md"]
    assert tree(out) == clean_build(root, tmp_path / "clean")
