import pickle
import random

from conftest import write_files

from docsite.diagnostics import Report
from docsite.nav import build_nav, order_key, sidebar_steps
from docsite.pages import load_site
from docsite.sources import discover
from docsite.trees import remove_tree


def sort_labels(entries):
    """entries: (label, order, is_folder); returns labels in sidebar order."""
    shuffled = entries[:]
    random.Random(4).shuffle(shuffled)
    return [e[0] for e in sorted(shuffled, key=lambda e: order_key(e[1], e[0], e[2]))]


def test_retype_ordering_groups():
    entries = [
        ("Neg ten", -10, False),
        ("Neg one", -1, False),
        ("V1.10", "v1.10", False),
        ("V2", "v2.0.0", False),
        ("V1.9", "v1.9", False),
        ("zebra", None, False),
        ("Apple", None, False),
        ("Zero", 0, False),
        ("Custom", "banana", False),
        ("Big", 100, False),
        ("Bigger", 2000, False),
    ]
    assert sort_labels(entries) == [
        "Bigger",
        "Big",  # positive, larger first
        "Apple",
        "Custom",
        "zebra",
        "Zero",  # strings (by their value) and unordered, A-Z
        "V2",
        "V1.10",
        "V1.9",  # versions, newest first
        "Neg one",
        "Neg ten",  # negative, -1 before -10
    ]


def test_folders_lead_their_group_and_ties_go_alphabetically():
    entries = [
        ("Beta page", None, False),
        ("Zeta folder", None, True),
        ("Alpha page", None, False),
        ("Same b", 10, False),
        ("Same a", 10, False),
        ("Folder ten", 10, True),
        ("Page twenty", 20, False),
    ]
    assert sort_labels(entries) == [
        "Page twenty",
        "Folder ten",
        "Same a",
        "Same b",
        "Zeta folder",
        "Alpha page",
        "Beta page",
    ]


def test_versions_compare_numerically_with_missing_parts_as_zero():
    entries = [
        ("a", "v1", False),
        ("b", "v1.1", False),
        ("c", "v1.2.0", False),
        ("d", "v1.10.0", False),
        ("e", "v2", False),
    ]
    assert sort_labels(entries) == ["e", "d", "c", "b", "a"]


def test_worked_example_of_the_ordering_page():
    """The example in content/writing/ordering.md, so the docs and the engine agree."""
    entries = [
        ("API", 0, False),
        ("Changelog", -1, False),
        ("Concepts", 50, True),
        ("Cookbook", None, True),
        ("FAQ", None, False),
        ("glossary", None, False),
        ("Install", 100, False),
        ("License", -10, False),
        ("Quick start", 200, False),
        ("Release 1.10", "v1.10", False),
        ("Release 1.9", "v1.9", False),
        ("Release 2.0", "v2.0.0", False),
        ("Upgrade", 100, False),
        ("Zed integration", "editors", False),
    ]
    assert sort_labels(entries) == [
        "Quick start",
        "Install",
        "Upgrade",
        "Concepts",
        "Cookbook",
        "API",
        "Zed integration",
        "FAQ",
        "glossary",
        "Release 2.0",
        "Release 1.10",
        "Release 1.9",
        "Changelog",
        "License",
    ]


def test_numeric_strings_sort_as_numbers():
    assert sort_labels([("A", "5", False), ("B", 7, False)]) == ["B", "A"]


def load(tmp_path, files):
    write_files(tmp_path, files)
    report = Report()
    site = load_site(discover(tmp_path, "content", report), report)
    return build_nav(site), site, report


def test_tree_home_first_folders_hidden_pages_and_reading_order(tmp_path):
    nav, site, report = load(
        tmp_path,
        {
            "index.md": "# Welcome\n",
            "b.md": "---\norder: 50\n---\n# B page\n",
            "a.md": "# A page\n",
            "secret.md": "---\nvisibility: hidden\n---\n# Secret\n",
            "standalone.md": "---\nlayout: page\n---\n# Standalone\n",
            "guide/index.md": "---\nicon: book\n---\n# The Guide\n",
            "guide/setup.md": "---\norder: 2\n---\n# Setup\n",
            "guide/intro.md": "---\norder: 3\n---\n# Intro\n",
            "empty/_draft.md": "# Draft\n",
            "loose/one.md": "# One\n",
        },
    )
    assert not report.items
    top = [item.label for item in nav.root.children]
    assert top == ["Welcome", "B page", "Loose", "The Guide", "A page"]
    guide = nav.by_folder["guide"]
    assert guide.icon == "book" and guide.page is site.by_source["guide/index.md"]
    assert [c.label for c in guide.children] == ["Intro", "Setup"]
    assert nav.by_folder["loose"].url == "loose/one/"  # no page of its own: its first page
    assert nav.item_for(site.by_source["secret.md"]) is None
    assert nav.item_for(site.by_source["standalone.md"]) is None
    order = [item.label for item in nav.reading_order]
    assert order == ["Welcome", "B page", "One", "The Guide", "Intro", "Setup", "A page"]
    before, after = nav.neighbours(site.by_source["guide/intro.md"])
    assert (before.label, after.label) == ("The Guide", "Setup")


def test_folder_settings_from_index_yml(tmp_path):
    nav, _, report = load(
        tmp_path,
        {
            "index.md": "# Home\n",
            "api/index.yml": "label: API Reference\norder: 5\nicon: code\nexpanded: true\n",
            "api/users.md": "# Users\n",
        },
    )
    assert not report.items
    api = nav.by_folder["api"]
    assert (api.label, api.icon, api.expanded, api.url) == (
        "API Reference",
        "code",
        True,
        "api/users/",
    )
    assert [i.label for i in nav.root.children] == ["Home", "API Reference"]


def test_hidden_folder_leaves_the_sidebar(tmp_path):
    nav, _, _ = load(
        tmp_path,
        {
            "index.md": "# Home\n",
            "old/index.yml": "visibility: hidden\n",
            "old/page.md": "# Old\n",
        },
    )
    assert [i.label for i in nav.root.children] == ["Home"]


def test_sidebar_steps_open_the_page_branch_and_expanded_folders(tmp_path):
    nav, _, _ = load(
        tmp_path,
        {
            "index.md": "# Home\n",
            "guide/index.md": "# Guide\n",
            "guide/intro.md": "# Intro\n",
            "guide/deep/more.md": "# More\n",
            "guide/other/page.md": "# Page\n",
            "api/index.yml": "expanded: true\n",
            "api/users.md": "# Users\n",
            "zoo/animals.md": "# Animals\n",
        },
    )
    steps = sidebar_steps(nav.root.children, frozenset({"guide", "guide/deep"}))
    shown = [(s.kind, s.item.label if s.item else "", s.rel) for s in steps]
    assert shown == [
        ("page", "Home", ""),
        ("open", "Api", "api"),  # expanded: true
        ("page", "Users", ""),
        ("close", "Api", ""),  # a close step names the folder it closes
        ("open", "Guide", "guide"),
        ("open", "Deep", "guide/deep"),
        ("page", "More", ""),
        ("close", "Deep", ""),
        ("folder", "Other", "guide/other"),  # a sibling of the branch: collapsed
        ("page", "Intro", ""),
        ("close", "Guide", ""),
        ("folder", "Zoo", "zoo"),
    ]


def test_folders_deeper_than_the_recursion_limit(tmp_path):
    depth = 1_100  # above Python's default limit of 1,000 (and below PATH_MAX)
    folder = tmp_path
    (folder / "index.md").write_text("# Home\n")
    for _ in range(depth):  # os.makedirs recurses, so one level at a time
        folder = folder / "d"
        folder.mkdir()
    (folder / "page.md").write_text("# Deep\n")
    try:
        nav, site, report = load(tmp_path, {})
        assert not report.items
        deep = nav.item_for(site.by_source["d/" * depth + "page.md"])
        assert [item.label for item in nav.reading_order] == ["Home", "Deep"]
        assert nav.by_folder["d"].url == deep.url  # a folder without a page: its first page
        assert len(deep.ancestors()) == depth
        steps = sidebar_steps(nav.root.children, frozenset(nav.by_folder))
        assert [s.kind for s in steps] == ["page"] + ["open"] * depth + ["page"] + ["close"] * depth
    finally:  # pytest's cleanup (shutil.rmtree) would recurse too
        remove_tree(tmp_path / "d")


def test_a_tree_unpickled_has_its_parents_again(tmp_path):
    """The build cache keeps the last tree (docsite.build.lastsite); an item's parent, a
    weak reference, is not pickled but put back."""
    nav, _, _ = load(
        tmp_path,
        {
            "index.md": "# Home\n",
            "guide/index.md": "# Guide\n",
            "guide/setup.md": "# Setup\n",
            "guide/deeper/more.md": "# More\n",
        },
    )
    again = pickle.loads(pickle.dumps(nav))
    more = again.by_page["guide/deeper/more.md"]
    assert [item.key for item in more.ancestors()] == ["folder:guide", "folder:guide/deeper"]
    assert more.parent is again.by_folder["guide/deeper"]
    assert again.by_folder["guide"].parent is again.root
    assert [item.key for item in again.reading_order] == [i.key for i in nav.reading_order]
