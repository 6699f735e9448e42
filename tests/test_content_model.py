"""docsite.content, Retype's `content` object (templating/content.md): the examples of that
page rendered through the Scriban engine, the queries each template read, and their digests,
which move exactly when what the template read changed."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
from conftest import write_files

from docsite.blog import is_blog_post, post_date
from docsite.content import (
    ContentIndex,
    ContentReads,
    FrozenArray,
    FrozenDict,
    fingerprint,
)
from docsite.diagnostics import Report
from docsite.nav import NavItem, NavTree, build_nav
from docsite.pages import Page, load_site
from docsite.scriban import TemplateRuntimeError, parse
from docsite.scriban.evaluator import index_of, member
from docsite.scriban.runtime import ScriptError
from docsite.sources import discover

SITE = {
    "index.md": "# Home\n",
    "guides/index.md": "# Guides\n",
    "guides/getting-started.md": """\
        ---
        description: Start here
        tags: [guide]
        author: Jane Smith
        category: basics
        order: 10
        ---
        # Getting Started

        The body.
        """,
    "guides/obsidian-plugin.md": "---\ntags: [guide, Obsidian]\n---\n# Obsidian plugin\n",
    "guides/setup.md": "# Guide setup\n",
    "setup.md": "---\ncategories: [basics, tools]\n---\n# Setup\n",
    "hidden.md": "---\nvisibility: hidden\ntags: [guide]\n---\n# Hidden obsidian notes\n",
    "blog/index.md": "# Blog\n",
    "blog/2025-01-05-hello.md": "---\ntags: [news]\n---\n# Hello world\n",
    "blog/2025-03-01-second.md": "---\nauthors: [Jane Smith, Bob]\n---\n# Second post\n",
    "blog/undated-name.md": "---\ndate: 2025-02-01\n---\n# Dated by setting\n",
}
SITE = {rel: dedent(text) for rel, text in SITE.items()}


def properties(page: Page) -> dict[str, Any]:
    """What these tests give templates as a page's `page.*` (the build gives its own)."""
    return {
        "title": page.title,
        "label": page.label,
        "description": page.settings.description,
        "url": "/" + page.url,
        "path": "/" + page.source.rel.removesuffix(".md"),
        "filePath": "/" + page.source.rel,
        "tags": list(page.settings.tags),
        "date": dt.datetime.combine(date, dt.time()) if (date := post_date(page)) else None,
    }


def index_of_site(root: Path, files: dict[str, str]) -> ContentIndex:
    write_files(root, files)
    report = Report()
    site = load_site(discover(root, "content", report), report)
    assert not report.items, [d.format() for d in report.items]
    return ContentIndex(site, build_nav(site), properties)


@pytest.fixture
def site(tmp_path: Path) -> ContentIndex:
    return index_of_site(tmp_path, SITE)


def render(index: ContentIndex, template: str) -> tuple[str, dict[str, str]]:
    """The template's text, and the queries it read with their digests."""
    reads = ContentReads()
    text = parse(template).render({"content": index.view(reads)})
    return text, reads.queries


def lines(index: ContentIndex, template: str) -> tuple[list[str], dict[str, str]]:
    """The template's lines that are not empty (`{{ end }}` lines leave empty ones)."""
    text, queries = render(index, template)
    return [line for line in text.splitlines() if line.strip()], queries


# ---- page lookup --------------------------------------------------------------------------------


def test_a_page_is_found_by_file_name_title_or_path(site):
    keys = [
        "getting-started",
        "Getting Started",
        "guides/getting-started",
        "guides/getting-started.md",
        "/guides/getting-started",
        "GETTING_STARTED",
        "Getting-Started.md",
    ]
    template = "\n".join(f'{{{{ content["{key}"].title }}}}' for key in keys)
    shown, queries = lines(site, template)
    assert shown == ["Getting Started"] * len(keys)
    assert set(queries) == {"page:getting started", "page:guides/getting started"}


def test_page_properties_as_retype_shows_them(site):
    template = """\
title: {{ content["getting-started"].title }}
description: {{ content["getting-started"].description }}
url: {{ content["getting-started"].url }}
path: {{ content["getting-started"].path }}
filePath: {{ content["getting-started"].filePath }}"""
    shown, queries = lines(site, template)
    assert shown == [
        "title: Getting Started",
        "description: Start here",
        "url: /guides/getting-started/",
        "path: /guides/getting-started",
        "filePath: /guides/getting-started.md",
    ]
    assert list(queries) == ["page:getting started"]


def test_shared_names_go_to_the_page_nearest_the_root_and_paths_tell_them_apart(site):
    text, _ = render(site, '{{ content["setup"].title }}|{{ content["guides/setup"].title }}')
    assert text == "Setup|Guide setup"
    # A folder's default page by the folder's path or name; a file name wins over a title.
    text, _ = render(site, '{{ content["guides"].title }}|{{ content["guide setup"].title }}')
    assert text == "Guides|Guide setup"


def test_the_end_of_a_path_finds_a_page_deeper_down(tmp_path):
    index = index_of_site(
        tmp_path,
        {
            "docs/guides/setup.md": "# Deep setup\n",
            "guides/setup.md": "# Shallow setup\n",
            "docs/api/index.md": "# API\n",
        },
    )
    keys = ["docs/guides/setup", "guides/setup", "setup", "api", "docs/api", "docs/api/index"]
    text, _ = render(index, " | ".join(f'{{{{ content["{key}"].title }}}}' for key in keys))
    assert text == "Deep setup | Shallow setup | Shallow setup | API | API | API"


def test_a_missing_page_is_null_and_its_absence_is_recorded(site):
    template = """\
{{ if content["premium-features"] }}
  Check out [Premium Features]({{ content["premium-features"].filePath }}).
{{ else }}none{{ end }}"""
    text, queries = render(site, template)
    assert text.strip() == "none"
    assert list(queries) == ["page:premium features"]
    assert site.view(ContentReads()).get("premium-features") is None


def test_hidden_pages_are_found_by_key_but_listed_nowhere(site):
    text, _ = render(site, '{{ content["hidden"].title }}|{{ content.search("obsidian").size }}')
    assert text == "Hidden obsidian notes|1"
    text, _ = render(site, '{{ content.tags["guide"].pages | array.map "title" | array.join "," }}')
    assert text == "Getting Started,Obsidian plugin"


# ---- search -------------------------------------------------------------------------------------


def test_search_finds_titles_containing_the_term(site):
    template = """\
{{ for item in content.search("obsidian") ~}}
- [{{ item.title }}]({{ item.filePath }})
{{ end }}
title: {{ content.search("getting started")[0].title }}
description: {{ content.search("getting started")[0].description }}
{{ for item in content.search("s") | array.limit 2 ~}}
[!card compact]({{ item.filePath }})
{{ end }}"""
    shown, queries = lines(site, template)
    assert shown == [
        "- [Obsidian plugin](/guides/obsidian-plugin.md)",
        "title: Getting Started",
        "description: Start here",
        "[!card compact](/setup.md)",  # in site order: a folder's files, then its folders
        "[!card compact](/blog/2025-03-01-second.md)",
    ]
    assert set(queries) == {"search:obsidian", "search:getting started", "search:s"}


def test_search_needs_its_term(site):
    with pytest.raises(TemplateRuntimeError) as caught:
        render(site, "{{ content.search }}")
    assert "content.search" in caught.value.message
    assert caught.value.line == 1


# ---- tags, categories, authors ------------------------------------------------------------------


def test_tags_with_their_pages(site):
    template = """\
{{ for tag in content.tags | array.sort "title" ~}}
{{ tag.title }} | {{ tag.url }} | {{ tag.pages | array.size }}
{{ end }}
{{ for page in content.tags["guide"].pages ~}}
- [{{ page.title }}]({{ page.filePath }})
{{ end }}
{{ content.tags["obsidian"].title }}"""
    shown, queries = lines(site, template)
    assert shown == [
        "Obsidian | /tags/obsidian/ | 1",  # array.sort compares ordinally: capitals first
        "guide | /tags/guide/ | 2",
        "news | /tags/news/ | 1",
        "- [Getting Started](/guides/getting-started.md)",
        "- [Obsidian plugin](/guides/obsidian-plugin.md)",
        "Obsidian",
    ]
    assert list(queries) == ["tags"]


def test_categories_and_authors(site):
    template = """\
{{ for cat in content.categories ~}}
- [{{ cat.title }}](/categories/{{ cat.title }}) ({{ cat.pages | array.size }} pages)
{{ end }}
{{ for author in content.authors ~}}
- {{ author.name }} ({{ author.pages | array.size }} pages)
{{ end }}
{{ for page in content.authors["jane smith"].pages ~}}
- [{{ page.title }}]({{ page.filePath }})
{{ end }}"""
    shown, queries = lines(site, template)
    assert shown == [
        "- [basics](/categories/basics) (2 pages)",
        "- [tools](/categories/tools) (1 pages)",
        "- Bob (1 pages)",
        "- Jane Smith (2 pages)",
        "- [Getting Started](/guides/getting-started.md)",
        "- [Second post](/blog/2025-03-01-second.md)",
    ]
    assert set(queries) == {"categories", "authors"}


# ---- blog posts, nav, all pages -----------------------------------------------------------------


def test_blog_posts_newest_first(site):
    template = """\
[!card]({{ content.blog.posts[0].filePath }})
{{ for post in content.blog.posts ~}}
1. [{{ post.title }}]({{ post.filePath }}) {{ post.date | date.to_string "%F" }}
{{ end }}"""
    shown, queries = lines(site, template)
    assert shown == [
        "[!card](/blog/2025-03-01-second.md)",
        "1. [Second post](/blog/2025-03-01-second.md) 2025-03-01",
        "1. [Dated by setting](/blog/undated-name.md) 2025-02-01",
        "1. [Hello world](/blog/2025-01-05-hello.md) 2025-01-05",
    ]
    assert list(queries) == ["blog.posts"]


def test_what_makes_a_blog_post_and_its_date(site):
    by_rel = {page.source.rel: page for page in site.site.pages}
    assert not is_blog_post(by_rel["blog/index.md"])
    assert not is_blog_post(by_rel["guides/setup.md"])
    assert post_date(by_rel["blog/2025-01-05-hello.md"]) == dt.date(2025, 1, 5)
    assert post_date(by_rel["setup.md"]) is None


def test_nav_children_with_labels_and_their_children(site):
    template = """\
{{ for item in content.nav.children ~}}
- {{ item.label }} ({{ item.children | array.size }} children) {{ item.url }}
{{ end }}"""
    shown, queries = lines(site, template)
    assert shown == [
        "- Home (0 children) /",
        "- Blog (3 children) /blog/",
        "- Guides (3 children) /guides/",
        "- Setup (0 children) /setup/",
    ]
    assert list(queries) == ["nav"]


def test_all_pages(site):
    template = """\
title: {{ content.pages[0].title }}
{{ for page in content.pages | array.limit 3 ~}}
[!card vert]({{ page.filePath }})
{{ end }}{{ content.pages.size }}"""
    shown, queries = lines(site, template)
    assert shown == [
        "title: Home",
        "[!card vert](/index.md)",
        "[!card vert](/setup.md)",
        "[!card vert](/blog/2025-01-05-hello.md)",
        "10",
    ]
    assert list(queries) == ["pages"]


# ---- the view as the engine reads it ------------------------------------------------------------


def test_the_engine_reads_the_view_as_an_object_and_records_only_what_it_reads(site):
    reads = ContentReads()
    view = site.view(reads)
    assert isinstance(view, dict) and "tags" in view and "blog" in view
    assert not reads.queries  # a name is there without working out its value
    blog = member(view, "blog")
    assert isinstance(blog, dict) and not reads.queries
    assert member(blog, "posts")[0]["title"] == "Second post"
    assert index_of(member(view, "tags"), "guide")["title"] == "guide"
    assert index_of(view, "setup")["title"] == "Setup"
    assert index_of(view, "nothing-here") is None
    assert list(reads.queries) == ["blog.posts", "tags", "page:setup", "page:nothing here"]
    text, _ = render(site, '{{ object.keys content | array.join "," }}')
    assert text == "pages,blog,tags,categories,authors,nav,search"


@pytest.mark.parametrize(
    "template",
    [
        '{{ p = content["getting-started"]; p.title = "Changed" }}',
        '{{ content["getting-started"]["title"] = "Changed" }}',
        '{{ content["getting-started"].tags[0] = "changed" }}',
        "{{ content.pages[0] = 1 }}",
        "{{ content.tags.extra = 1 }}",
        "{{ content.blog.posts = [] }}",
        "{{ content.pages = [] }}",
        '{{ with content["getting-started"]; title = "Changed"; end }}',
    ],
)
def test_templates_cannot_change_what_other_pages_read(site, template):
    with pytest.raises(TemplateRuntimeError) as caught:
        render(site, template)
    assert "cannot be changed" in caught.value.message
    assert caught.value.line == 1
    text, _ = render(site, '{{ content["getting-started"].title }} {{ content.pages.size }}')
    assert text == "Getting Started 10"
    assert render(site, "{{ content.tags[0].title }}")[0] == "guide"


def test_a_template_may_build_its_own_values_from_what_it_read(site):
    template = """\
{{ titles = content.pages | array.map "title" | array.sort ~}}
{{ titles = titles | array.add "Extra" ~}}
{{ titles | array.size }}"""
    assert render(site, template)[0] == "11"


# ---- digests: what invalidates a page that read `content` ---------------------------------------

READS = {
    "one page": '{{ content["getting-started"].title }}',
    "missing page": '{{ if content["premium"] }}yes{{ end }}',
    "latest posts": "{{ for post in content.blog.posts | array.limit 3 }}{{ post.title }}{{ end }}",
    "tags": "{{ for tag in content.tags }}{{ tag.title }}{{ end }}",
    "search": '{{ content.search("setup").size }}',
    "nav": "{{ content.nav.children.size }}",
    "pages": "{{ content.pages.size }}",
    "categories": "{{ content.categories.size }}{{ content.authors.size }}",
}


def stale_after(tmp_path: Path, edit: dict[str, str]) -> set[str]:
    """Which of READS must render again once `edit` is written over SITE."""
    before = index_of_site(tmp_path / "before", SITE)
    recorded = {name: render(before, template)[1] for name, template in READS.items()}
    after = index_of_site(tmp_path / "after", {**SITE, **edit})
    return {name for name, queries in recorded.items() if after.changed(queries)}


def test_a_body_edit_invalidates_nothing(tmp_path):
    edited = SITE["guides/getting-started.md"].replace("The body.", "Another body.\n\nMore.")
    assert stale_after(tmp_path, {"guides/getting-started.md": edited}) == set()


def test_a_title_change_invalidates_the_pages_that_read_that_page(tmp_path):
    edited = SITE["guides/getting-started.md"].replace("# Getting Started", "# Getting going")
    assert stale_after(tmp_path, {"guides/getting-started.md": edited}) == {
        "one page",  # "getting-started" is its file name: found still, with a new title
        "tags",
        "pages",
        "nav",
        "categories",
    }


def test_another_pages_title_change_leaves_a_one_page_read_alone(tmp_path):
    stale = stale_after(tmp_path, {"guides/obsidian-plugin.md": "# Obsidian\n"})
    assert stale == {"tags", "pages", "nav"}


def test_a_new_blog_post_updates_latest_posts_only_where_read(tmp_path):
    stale = stale_after(tmp_path, {"blog/2025-04-01-third.md": "# Third post\n"})
    assert stale == {"latest posts", "pages", "nav"}


def test_a_tag_rename_updates_tag_lists(tmp_path):
    edited = SITE["blog/2025-01-05-hello.md"].replace("news", "announcements")
    assert stale_after(tmp_path, {"blog/2025-01-05-hello.md": edited}) == {
        "tags",
        "latest posts",  # the post's own tags are among its properties
        "pages",
    }


def test_a_page_appearing_under_a_read_key_invalidates_the_reader(tmp_path):
    stale = stale_after(tmp_path, {"premium.md": "# Premium\n", "setup-two.md": "# Setup two\n"})
    assert stale == {"missing page", "search", "pages", "nav"}


def test_an_unknown_query_never_matches(site):
    assert site.changed({"comments": "0" * 32, "pages": site.digest("pages")}) == ["comments"]


# ---- robustness ---------------------------------------------------------------------------------


def test_a_deep_nav_tree_is_exposed_and_digested_without_recursion(site):
    root = NavItem("folder:", "", "", "", None, True, True, ())
    parent = root
    for depth in range(3000):
        child = NavItem(f"folder:{depth}", f"L{depth}", None, "", None, True, False, ())
        parent.children = [child]
        parent = child
    deep = ContentIndex(site.site, NavTree(root, {}, {}, []), properties)
    value = deep.value("nav")
    assert value["children"][0]["label"] == "L0"
    assert len(deep.digest("nav")) == 32


def test_fingerprints_tell_values_apart():
    values = [
        None,
        "",
        [],
        {},
        ["a"],
        {"a": None},
        {"a": "b"},
        {"b": "a"},
        [["a"]],
        [[], "a"],
        dt.date(2025, 1, 1),
        FrozenArray(["a", "b"]),
        FrozenArray(["ab"]),
    ]
    digests = [fingerprint(value) for value in values]
    assert len(set(digests)) == len(values)
    assert fingerprint(FrozenDict(a=FrozenArray([1]))) == fingerprint({"a": [1]})


def test_values_copy_and_pickle_as_read_only_values(site):
    tags = site.value("tags")
    for copied in (copy.deepcopy(tags), pickle.loads(pickle.dumps(tags))):
        assert copied == tags and type(copied) is FrozenArray
        assert copied.members.get("GUIDE")["title"] == "guide"
        assert fingerprint(copied) == fingerprint(tags)
        with pytest.raises(ScriptError):
            copied[0]["title"] = "changed"
    reads = ContentReads()
    site.view(reads)["tags"]
    assert pickle.loads(pickle.dumps(reads)) == reads
