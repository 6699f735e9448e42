"""Retype's page and folder settings as docsite reads them from a Retype project: visibility
(hidden, protected, private), the sidebar's settings (nav.mode, nav.icons.mode, nav.tags,
showSidebarFilter, nav.badge), and the page model (default pages, folder permalinks, orders,
dates with a time, layouts, empty values)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import Project

from docsite import search

RETYPE_YML = "branding:\n  title: Acme\nurl: https://docs.acme.test\n"


def build(project: Project, files: dict[str, str], config: str = RETYPE_YML) -> list[str]:
    """Build a Retype project; its messages, which must hold no error."""
    project.write({"retype.yml": config, **files})
    result = project.build()
    messages = project.messages(result)
    assert result.ok, messages
    return messages


def heading(page: BeautifulSoup) -> str:
    """The page's h1 without its anchor link."""
    return page.select_one("article h1").find(string=True).strip()


def sidebar_labels(page: BeautifulSoup) -> list[str]:
    return [label.get_text() for label in page.select("#sidebar .nav-list .nav-label")]


# Visibility -----------------------------------------------------------------------------

SECRET = "zanzibarite"
WITHHELD_FILES = {
    "index.md": "# Home\n\nSee [the plan](plan.md) and [the keys](keys.md#where).\n",
    "plan.md": f"---\nvisibility: protected\ndescription: {SECRET} summary\ntags: [plans]\n"
    f"---\n# The plan\n\nThe {SECRET} plan.\n",
    "keys.md": f"---\nvisibility: private\n---\n# Keys\n\n## Where\n\nUnder the {SECRET} mat.\n",
    "vault/index.yml": "visibility: protected\n",
    "vault/gold.md": f"# Gold\n\nMore {SECRET}.\n",
    "open.md": "---\ntags: [plans]\n---\n# Open\n\nPublic text.\n",
}


def every_file_text(folder: Path) -> dict[str, str]:
    """Every file of the site as text; Pagefind's fragments unzipped."""
    found = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".pf_fragment":
            data = gzip.decompress(data)
        found[path.relative_to(folder).as_posix()] = data.decode("utf-8", "replace")
    return found


def test_protected_and_private_pages_publish_a_notice_never_their_text(project):
    messages = build(project, WITHHELD_FILES)
    leaks = [rel for rel, text in every_file_text(project.out).items() if SECRET in text]
    assert leaks == []
    for rel in ("plan/index.html", "keys/index.html", "vault/gold/index.html"):
        page = project.page(rel)
        article = page.select_one("article")
        assert not article.has_attr("data-pagefind-body")
        assert article.select_one(".withheld-notice") is not None
        assert page.select_one('meta[name="robots"]')["content"] == "noindex"
        assert page.select_one('link[type="text/markdown"]') is None
        assert not article.select("ul.tags")  # a tag page would list it
    assert heading(project.page("plan/index.html")) == "The plan"
    for rel in ("plan/index.md", "keys/index.md", "vault/gold/index.md"):
        assert not (project.out / rel).exists()
    llms = (project.out / "llms.txt").read_text()
    sitemap = (project.out / "sitemap.xml").read_text()
    for url in ("plan/", "keys/", "vault/gold/"):
        assert url not in llms and url not in sitemap
    # Protected: in the sidebar; private: not. Both warned once, where it is written.
    assert sidebar_labels(project.page("index.html")) == ["Home", "Vault", "Open", "The plan"]
    warned = sorted(m.split(": warning")[0] for m in messages if "static site cannot" in m)
    assert warned == ["keys.md:2:13", "plan.md:2:13", "vault/index.yml:1:13"]
    # A link to a heading of a withheld page is kept: its headings are not published.
    links = [a["href"] for a in project.page("index.html").select("article p a")]
    assert links == ["plan/", "keys/#where"]
    tag_page = project.page("tags/plans/index.html")
    assert [a.get_text() for a in tag_page.select("article li a")] == ["Open"]


@pytest.mark.skipif(not search.binary_available(), reason="the Pagefind binary is missing")
def test_withheld_and_hidden_pages_stay_out_of_the_search_index(project):
    build(project, {**WITHHELD_FILES, "draft.md": "---\nvisibility: hidden\n---\n# Draft\n"})
    indexed = set()
    for path in (project.out / "pagefind" / "fragment").glob("*.pf_fragment"):
        record = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        indexed.add(record["url"])
    assert indexed == {"/", "/open/"}


def test_a_hidden_folder_hides_its_pages_from_the_sitemap_and_sidebar(project):
    build(
        project,
        {
            "index.md": "# Home\n",
            "drafts/index.yml": "visibility: hidden\n",
            "drafts/idea.md": "# Idea\n\nVisible to whoever has the link.\n",
        },
    )
    assert "Visible to whoever" in (project.out / "drafts/idea/index.html").read_text()
    assert "drafts/idea/" not in (project.out / "sitemap.xml").read_text()
    assert sidebar_labels(project.page("index.html")) == ["Home"]


# The page model --------------------------------------------------------------------------


def test_empty_values_are_unset(project):
    messages = build(
        project,
        {
            "index.md": "# Home\n",
            "a.md": "---\norder:\nlabel:\nnav:\n  badge:\nicon:\ntags:\n---\n# Alpha\n",
            "b.md": "---\norder: 5\n---\n# Beta\n",
        },
    )
    assert messages == []
    assert sidebar_labels(project.page("index.html")) == ["Home", "Beta", "Alpha"]


def test_a_date_with_a_time(project):
    messages = build(
        project,
        {
            "index.md": "# Home\n",
            "a.md": "---\ndate: 2024-05-14 10:30\ncreated: 2024-05-01T09:00\n---\n# A\n",
            "b.md": "---\ndate: 2024-05-14T08:05\n---\n# B\n",
            "c.md": "---\ndate: 2024-05-14\n---\n# C\n",
        },
    )
    assert messages == []
    times = {
        name: project.page(f"{name}/index.html").select_one(".page-meta time")
        for name in ("a", "b", "c")
    }
    assert times["a"]["datetime"] == "2024-05-14T10:30" and "10:30" in times["a"].get_text()
    assert times["b"]["datetime"] == "2024-05-14T08:05"
    assert times["c"]["datetime"] == "2024-05-14" and ":" not in times["c"].get_text()


def test_a_date_that_is_no_date_is_an_error_at_its_place(project):
    project.write({"retype.yml": RETYPE_YML, "a.md": "---\ndate: 2024-05-14 25:99\n---\n# A\n"})
    messages = project.messages(project.build())
    assert messages[0].startswith("a.md:2:7: error: 'date' must be a date")
    assert "YYYY-MM-DDTHH:MM" in messages[0]


def test_versions_order_as_versions_with_pre_releases(project):
    orders = ["v1.0-alpha", "v2.0", "alpha", "v2.1-beta", "v1.0", "v1.0-beta", "v3.0"]
    files = {f"p{i}.md": f"---\norder: {order}\n---\n# {order}\n" for i, order in enumerate(orders)}
    build(project, {"index.md": "---\norder: 1\n---\n# Home\n", **files, "zulu.md": "# zulu\n"})
    assert sidebar_labels(project.page("index.html")) == [
        "Home",
        "alpha",
        "zulu",
        "v3.0",
        "v2.1-beta",
        "v2.0",
        "v1.0",
        "v1.0-beta",
        "v1.0-alpha",
    ]


def test_title_is_the_label_when_there_is_no_label(project):
    build(
        project,
        {
            "index.md": "# Home\n",
            "a.md": "---\ntitle: Getting started\n---\nSome text.\n",
            "b.md": "---\ntitle: Titled\nlabel: Labelled\n---\n# Heading\n",
        },
    )
    assert sidebar_labels(project.page("index.html")) == ["Home", "Getting started", "Labelled"]
    assert heading(project.page("a/index.html")) == "Getting started"


@pytest.mark.parametrize(
    "settings",
    [
        {"guides/index.yml": "permalink: /tutorials\n"},
        {"guides/readme.md": "---\npermalink: /tutorials\n---\n# Tutorials\n"},
    ],
)
def test_a_folders_permalink_is_the_base_of_its_pages(project, settings):
    build(
        project,
        {
            "index.md": "# Home\n\n[Setup](guides/setup.md) [Deep](guides/more/deep.md)\n",
            "guides/setup.md": "# Setup\n",
            "guides/more/deep.md": "# Deep\n",
            "guides/own.md": "---\npermalink: /own\n---\n# Own\n",
            **settings,
        },
    )
    for rel in ("tutorials/setup/", "tutorials/more/deep/", "own/"):
        assert (project.out / rel / "index.html").is_file(), rel
    assert not (project.out / "guides").exists()
    links = [a["href"] for a in project.page("index.html").select("article p a")]
    assert links == ["tutorials/setup/", "tutorials/more/deep/"]


@pytest.mark.parametrize("name", ["welcome.md", "home.md", "Welcome.md"])
def test_welcome_or_home_in_the_root_is_the_home_page(project, name):
    build(project, {name: "# Hello\n\nThe start.\n", "other.md": "# Other\n"})
    home = project.page("index.html")
    assert heading(home) == "Hello"
    assert not (project.out / name[:-3].lower()).exists()


def test_welcome_in_a_folder_is_an_ordinary_page(project):
    build(project, {"index.md": "# Home\n", "guide/welcome.md": "# Welcome\n"})
    assert (project.out / "guide/welcome/index.html").is_file()


def test_index_wins_over_welcome(project):
    messages = build(project, {"index.md": "# Home\n", "welcome.md": "# Welcome\n"})
    assert heading(project.page("index.html")) == "Home"
    assert any(m.startswith("welcome.md") and "default page" in m for m in messages)


def test_every_layout_retype_lists(project):
    build(
        project,
        {
            "index.md": "# Home\n",
            "d.md": "---\nlayout: default\n---\n# D\n",
            "p.md": "---\nlayout: page\n---\n# P\n",
            "c.md": "---\nlayout: central\n---\n# C\n",
            "b.md": "---\nlayout: blog\n---\n# B\n",
        },
    )
    assert sidebar_labels(project.page("index.html")) == ["Home", "C", "D"]
    assert project.page("c/index.html").select_one("#sidebar") is None
    for name in ("p", "b"):
        assert heading(project.page(f"{name}/index.html")) == name.upper()


# The sidebar ------------------------------------------------------------------------------

NAV_FILES = {
    "index.md": "---\nicon: home\n---\n# Home\n",
    "guide/index.md": "---\nicon: book\n---\n# Guide\n",
    "guide/setup.md": "---\nicon: gear\ntags: [setup, basics]\n---\n# Setup\n",
    "guide/deep/page.md": "---\nicon: file\ntags: [basics]\n---\n# Deep page\n",
    "api/users.md": "---\nicon: person\ntags: [api-users, basics]\n---\n# Users\n",
    "api/groups.md": "---\ntags: [api-groups, draft-x]\n---\n# Groups\n",
}


def nav_config(nav: str) -> str:
    return RETYPE_YML + "nav:\n" + "".join(f"  {line}\n" for line in nav.strip().split("\n"))


def test_nav_mode_stack_opens_every_top_level_folder(project):
    build(project, NAV_FILES, nav_config("mode: stack"))
    page = project.page("api/users/index.html")
    stacks = page.select("#sidebar li.nav-stack")
    assert [s.select_one(".nav-stack-label").get_text() for s in stacks] == ["Api", "Guide"]
    guide = stacks[1]
    assert guide.find("details") is None  # always open, no toggle
    assert [a.get_text() for a in guide.select(":scope > ul > li > a")] == ["Deep", "Setup"]
    assert guide.select_one(".nav-stack-label")["href"] == "../../guide/"


def test_a_pages_nav_mode_stacks_its_top_level_folder_only(project):
    files = {**NAV_FILES, "api/groups.md": "---\nnav:\n  mode: stack\n---\n# Groups\n"}
    build(project, files)
    page = project.page("index.html")
    assert [s.select_one(".nav-label").get_text() for s in page.select("li.nav-stack")] == ["Api"]
    assert page.select_one('details[data-folder="guide"]') is None  # collapsed, as before
    assert page.select_one("li.nav-folder.is-collapsed .nav-label").get_text() == "Guide"


@pytest.mark.parametrize(
    ("mode", "with_icons"),
    [
        ("all", {"Home", "Guide", "Setup", "Deep page"}),
        ("none", set()),
        ("folders", {"Guide"}),
        ("pages", {"Home", "Setup", "Deep page"}),
        ("top", {"Home", "Guide"}),
    ],
)
def test_nav_icons_mode(project, mode, with_icons):
    build(project, NAV_FILES, nav_config(f"icons:\n  mode: {mode}"))
    page = project.page("guide/deep/page/index.html")  # Guide and Deep open; Api closed
    shown = {
        link.select_one(".nav-label").get_text()
        for link in page.select("#sidebar .nav-link")
        if link.select_one(".nav-icon") is not None
    }
    assert shown == with_icons


@pytest.mark.parametrize(
    ("tags", "listed"),
    [
        ("enabled: true", ["api-groups", "api-users", "basics", "draft-x", "setup"]),
        ("enabled: false", None),
        ("order: desc", ["setup", "draft-x", "basics", "api-users", "api-groups"]),
        ("order: popular\nlimit: 2", ["basics", "api-groups"]),
        ("order: count-asc\nlimit: 0", ["api-groups", "api-users", "draft-x", "setup", "basics"]),
        ("include: [API-*]\nexclude: [api-users]", ["api-groups", "api-users"]),
        ("exclude: [draft-*, setup]", ["api-groups", "api-users", "basics"]),
    ],
)
def test_nav_tags_lists_the_sites_tags(project, tags, listed):
    build(project, NAV_FILES, nav_config("tags:\n  " + tags.replace("\n", "\n  ")))
    box = project.page("guide/index.html").select_one("#sidebar .nav-tags")
    if listed is None:
        assert box is None
        return
    assert [a.get_text() for a in box.select("a")] == listed
    assert box.select_one("a")["href"].startswith("../tags/")


def test_nav_tags_looks(project):
    config = nav_config(
        "tags:\n  title: Popular topics\n  layout: stack\n  align: left\n  variant: success"
    )
    build(project, NAV_FILES, config)
    box = project.page("index.html").select_one("#sidebar .nav-tags")
    assert box.select_one(".nav-tags-title").get_text() == "Popular topics"
    assert {"nav-tags-stack", "nav-tags-left"} <= set(box["class"])
    assert "badge-success" in box.select_one("a")["class"]


def test_no_nav_tags_without_the_setting(project):
    build(project, NAV_FILES)
    assert project.page("index.html").select_one(".nav-tags") is None


def test_the_sidebar_filter_and_its_index(project):
    build(project, NAV_FILES)
    page = project.page("guide/deep/page/index.html")
    box = page.select_one("#sidebar .nav-filter")
    assert box.select_one("input")["placeholder"] == "Filter"
    assert box["data-index"] == "../../../nav.json"
    entries = json.loads((project.out / "nav.json").read_text())
    assert {"label": "Deep page", "url": "guide/deep/page/", "trail": "Guide / Deep"} in entries
    assert {"label": "Users", "url": "api/users/", "trail": "Api"} in entries


def test_show_sidebar_filter_false_leaves_the_box_out(project):
    build(project, NAV_FILES, RETYPE_YML + "showSidebarFilter: false\n")
    assert project.page("index.html").select_one(".nav-filter") is None
    assert not (project.out / "nav.json").exists()


def test_nav_badge_with_the_looks_of_the_badge_component(project):
    badge = (
        "nav:\n  badge:\n    text: BETA\n    variant: warning\n    icon: alert\n"
        "    iconAlign: right\n    corners: pill\n    size: s\n"
    )
    linked = "nav:\n  badge:\n    text: Docs\n    link: ../index.md\n    target: blank\n"
    messages = build(
        project,
        {
            "index.md": "# Home\n",
            "a.md": f"---\n{badge}---\n# A\n",
            "guide/b.md": f"---\n{linked}---\n# B\n",
            "c.md": "---\nnav:\n  badge: NEW|info\n---\n# C\n",
        },
    )
    assert messages == []
    page = project.page("guide/b/index.html")
    a = page.select_one('#sidebar a.nav-link[href="../../a/"]').select_one(".badge")
    assert set(a["class"]) == {"badge", "badge-warning", "badge-pill", "badge-s"}
    assert [type(c).__name__ for c in a.children][-1] == "Tag"  # the icon, on the right
    assert "i-alert" in a.contents[-1]["class"]
    b_link = page.select_one('#sidebar a.nav-link[href="../../guide/b/"]')
    b_badge = b_link.find_next_sibling("a")  # beside the item's link, not inside it
    assert b_link.select_one(".badge") is None
    assert (b_badge["href"], b_badge["target"], b_badge.get_text()) == ("../../", "_blank", "Docs")
    c = page.select_one('#sidebar a.nav-link[href="../../c/"] .badge')
    assert set(c["class"]) == {"badge", "badge-info"} and c.get_text() == "NEW"


def test_a_nav_badge_setting_that_is_wrong_is_said_where_it_is(project):
    project.write(
        {
            "retype.yml": RETYPE_YML,
            "a.md": "---\nnav:\n  badge:\n    text: X\n    size: huge\n---\n# A\n",
        }
    )
    messages = project.messages(project.build())
    assert messages[0].startswith("a.md:5:11: error: 'nav.badge.size' must be one of xs, s")
