"""Retype's blog: posts of blog/ newest first, their byline and Newer/Older links, the summary
pages (blog.pageSize, blog.maxResults, blog.title, blog.base), the RSS feed (blog.rss) and
author pictures (author.avatar, integrations.gravatar), built from small Retype projects."""

from __future__ import annotations

import datetime as dt
import hashlib
import urllib.parse
import xml.etree.ElementTree as ET
from textwrap import dedent

from conftest import Project

from docsite.build import BuildOptions, build_site
from docsite.config import load_config
from docsite.diagnostics import Report
from docsite.serve.live import LiveSite

POSTS = {
    "blog/2025-01-10-first.md": "# First\n\nThe first post.\n",
    "blog/2025-03-05-second.md": "# Second\n\nThe second post.\n",
    "blog/later.md": "---\ndate: 2025-06-01\n---\n# Third\n\nDated by its frontmatter.\n",
    "blog/2025-09-20-fourth.md": "# Fourth\n\nThe fourth post.\n",
    "blog/2025-12-24-fifth.md": "# Fifth\n\nThe newest post.\n",
}


def blog_project(project: Project, config: str = "", **files: str) -> Project:
    return project.write(
        {
            "retype.yml": "url: https://example.org/docs/\n" + dedent(config),
            "index.md": "# Home\n\nWelcome.\n",
            "guide.md": "# Guide\n\nA page.\n",
            **POSTS,
            **files,
        }
    )


def built(project: Project) -> None:
    result = project.build()
    assert result.ok and not result.report.items, project.messages(result)


def listed_titles(project: Project, rel: str) -> list[str]:
    return [a.get_text() for a in project.page(rel).select(".blog-list .blog-item-title a")]


def test_summary_pages_list_posts_newest_first_by_page_size(project):
    built(blog_project(project, "blog:\n  pageSize: 2\n"))
    assert listed_titles(project, "blog/index.html") == ["Fifth", "Fourth"]
    assert listed_titles(project, "blog/page/2/index.html") == ["Third", "Second"]
    assert listed_titles(project, "blog/page/3/index.html") == ["First"]
    assert not (project.out / "blog/page/4").exists()
    first = project.page("blog/index.html")
    assert first.select_one("article h1").get_text() == "Blog"  # the locale's word
    assert first.select_one(".blog-pager a[rel=prev]") is None
    assert first.select_one(".blog-pager a[rel=next]")["href"] == "../blog/page/2/"
    middle = project.page("blog/page/2/index.html").select_one(".blog-pager")
    assert middle.select_one("a[rel=prev]")["href"] == "../../../blog/"
    assert middle.select_one("a[rel=next]")["href"] == "../../../blog/page/3/"
    # Each post's link leads to it, with its summary under it.
    item = first.select_one(".blog-item")
    assert item.select_one("a")["href"] == "../blog/2025-12-24-fifth/"
    assert item.select_one(".blog-item-summary").get_text() == "The newest post."
    assert item.select_one("time")["datetime"] == "2025-12-24"


def test_max_results_caps_the_summary_but_every_post_is_published(project):
    built(blog_project(project, "blog:\n  pageSize: 2\n  maxResults: 3\n  title: News\n"))
    assert listed_titles(project, "blog/index.html") == ["Fifth", "Fourth"]
    assert listed_titles(project, "blog/page/2/index.html") == ["Third"]
    assert not (project.out / "blog/page/3").exists()
    assert (project.out / "blog/2025-01-10-first/index.html").is_file()
    assert project.page("blog/index.html").select_one("article h1").get_text() == "News"


def test_the_blog_folder_page_heads_the_first_summary_page(project):
    built(
        blog_project(
            project,
            "blog:\n  pageSize: 3\n",
            **{"blog/index.md": "---\norder: 5\n---\n# Company Blog\n\nOur news.\n"},
        )
    )
    page = project.page("blog/index.html")
    assert page.select_one("article h1").get_text(strip=True).startswith("Company Blog")
    assert page.select_one("article p").get_text() == "Our news."
    assert listed_titles(project, "blog/index.html") == ["Fifth", "Fourth", "Third"]
    assert listed_titles(project, "blog/page/2/index.html") == ["Second", "First"]
    # The sidebar: the blog is one link, its posts are not in it.
    sidebar = project.page("guide/index.html").select_one("#sidebar")
    labels = [a.get_text(strip=True) for a in sidebar.select("a.nav-link")]
    assert labels == ["Home", "Company Blog", "Guide"]  # its order (5) puts it before Guide
    assert sidebar.select_one("details") is None


def test_a_blog_without_a_page_of_its_own_is_in_the_sidebar(project):
    built(blog_project(project))
    sidebar = project.page("guide/index.html").select_one("#sidebar")
    links = {a.get_text(strip=True): a["href"] for a in sidebar.select("a.nav-link")}
    assert links == {"Home": "../", "Blog": "../blog/", "Guide": "../guide/"}


def test_a_post_shows_its_byline_and_newer_and_older_posts(project):
    email = " Jane@Example.com "
    post = f"""\
        ---
        authors:
          - name: Jane Smith
            email: "{email}"
            link: https://example.com/jane
          - name: Bob
            avatar: images/bob.png
          - Ann
        category: [release, News]
        ---
        # Fourth

        The fourth post.
        """
    built(
        blog_project(
            project,
            "integrations:\n  gravatar:\n    default: identicon\n",
            **{"blog/2025-09-20-fourth.md": post, "blog/images/bob.png": "png"},
        )
    )
    page = project.page("blog/2025-09-20-fourth/index.html")
    assert page.body["class"] == ["layout-blog"]
    assert page.select_one("#sidebar") is None and page.select_one(".toc") is None
    meta = page.select_one("article h1 + .post-meta")  # under the title
    authors = meta.select(".post-author")
    hashed = hashlib.md5(b"jane@example.com").hexdigest()
    gravatar = urllib.parse.urlsplit(authors[0].img["src"])
    assert gravatar.netloc == "www.gravatar.com" and gravatar.path == f"/avatar/{hashed}"
    assert urllib.parse.parse_qs(gravatar.query)["d"] == ["identicon"]
    assert authors[0].a["href"] == "https://example.com/jane"
    assert authors[1].img["src"] == "../../blog/images/bob.png"
    assert (project.out / "blog/images/bob.png").is_file()
    assert authors[2].img is None and authors[2].select_one(".avatar").get_text() == "A"
    assert meta.time["datetime"] == "2025-09-20"  # from the file name
    assert meta.select_one(".post-reading-time").get_text() == "1 min read"
    categories = meta.select(".post-categories a")
    assert [a["href"] for a in categories] == [
        "../../categories/release/",
        "../../categories/news/",
    ]
    assert (project.out / "categories/news/index.html").is_file()
    pager = page.select_one(".post-pager")
    assert pager.select_one("a[rel=prev]")["href"] == "../../blog/2025-12-24-fifth/"
    assert pager.select_one("a[rel=prev] .pager-hint").get_text() == "Newer"
    assert pager.select_one("a[rel=next] .pager-label").get_text() == "Third"
    newest = project.page("blog/2025-12-24-fifth/index.html").select_one(".post-pager")
    assert newest.select_one("a[rel=prev]") is None


def test_gravatar_off_shows_the_initial(project):
    post = "---\nauthor: jane@example.com\n---\n# Fifth\n\nText.\n"
    config = "integrations:\n  gravatar:\n    enabled: false\n"
    built(blog_project(project, config, **{"blog/2025-12-24-fifth.md": post}))
    author = project.page("blog/2025-12-24-fifth/index.html").select_one(".post-author")
    assert author.img is None and author.get_text(strip=True) == "Jjane@example.com"


def test_an_avatar_may_be_an_icon_an_emoji_or_an_inline_svg(project):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle r="4"/></svg>'
    post = f"""\
        ---
        authors:
          - name: Icon
            avatar: ":icon-rocket:"
          - name: Emoji
            avatar: ":tada:"
          - name: Drawing
            avatar: '{svg}'
        ---
        # Fifth

        Text.
        """
    built(blog_project(project, **{"blog/2025-12-24-fifth.md": post}))
    authors = project.page("blog/2025-12-24-fifth/index.html").select(".post-author")
    pictures = [a.select_one(".avatar-icon") for a in authors]
    assert all(p is not None for p in pictures) and not any(a.img for a in authors)
    assert pictures[0].select_one(".icon.i-rocket") is not None
    assert pictures[1].get_text() == "\U0001f389"
    assert pictures[2].select_one(".icon") is not None


def test_blog_layout_setting_and_a_post_own_layout(project):
    own = "---\nlayout: default\n---\n# Second\n\nIn the sidebar.\n"
    built(blog_project(project, "blog:\n  layout: page\n", **{"blog/2025-03-05-second.md": own}))
    post = project.page("blog/2025-12-24-fifth/index.html")
    assert post.body["class"] == ["layout-page"] and post.select_one("#sidebar") is not None
    labels = [a.get_text(strip=True) for a in post.select("#sidebar a.nav-link")]
    assert "Second" in labels and "Fifth" not in labels


def test_reading_time_grows_with_the_body(project):
    words = " ".join(["word"] * 450)
    built(blog_project(project, **{"blog/2025-12-24-fifth.md": f"# Fifth\n\n{words}\n"}))
    page = project.page("blog/2025-12-24-fifth/index.html")
    assert page.select_one(".post-reading-time").get_text() == "3 min read"


def test_summary_is_the_description_or_the_first_paragraph_as_text(project):
    first = (
        "# First\n\n![](images/x.png)\n\n!!!\nA note.\n!!!\n\n"
        "See **bold** and [a link](../guide.md).\n"
    )
    third = "---\ndate: 2025-06-01\ndescription: Told by hand.\n---\n# Third\n\nBody.\n"
    built(
        blog_project(
            project,
            "blog:\n  pageSize: 10\n",
            **{
                "blog/2025-01-10-first.md": first,
                "blog/later.md": third,
                "blog/images/x.png": "png",
            },
        )
    )
    summaries = [p.get_text() for p in project.page("blog/index.html").select(".blog-item-summary")]
    assert summaries[2] == "Told by hand."
    assert summaries[4] == "See bold and a link."


def test_rss_feed_and_the_link_every_page_has_to_it(project):
    config = """\
        meta:
          siteName: Acme
        favicon: static/icon.png
        blog:
          rss:
            maxResults: 3
            description: Latest news
            copyright: "© {{ year }} Acme"
        """
    built(blog_project(project, config, **{"static/icon.png": "png"}))
    feed = ET.fromstring((project.out / "blog/feed.xml").read_bytes())
    channel = feed.find("channel")
    assert feed.tag == "rss" and feed.get("version") == "2.0"
    assert channel.findtext("title") == "Acme - Blog"
    assert channel.findtext("link") == "https://example.org/docs/blog/"
    assert channel.findtext("description") == "Latest news"
    assert channel.findtext("copyright") == f"© {dt.date.today().year} Acme"
    assert channel.findtext("image/url") == "https://example.org/docs/static/icon.png"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Fifth", "Fourth", "Third"]
    assert items[0].findtext("link") == "https://example.org/docs/blog/2025-12-24-fifth/"
    assert items[0].findtext("pubDate") == "Wed, 24 Dec 2025 00:00:00 +0000"
    assert items[0].findtext("description") == "The newest post."
    for rel, href in [("index.html", "./blog/feed.xml"), ("guide/index.html", "../blog/feed.xml")]:
        link = project.page(rel).select_one('link[rel=alternate][type="application/rss+xml"]')
        assert link["href"] == href and link["title"] == "Acme - Blog"


def test_rss_settings_of_their_own(project):
    config = """\
        blog:
          title: News
          rss:
            title: Release notes
            imageUrl: https://cdn.example.org/feed.png
        """
    built(blog_project(project, config))
    channel = ET.fromstring((project.out / "blog/feed.xml").read_bytes()).find("channel")
    assert channel.findtext("title") == "Release notes"
    assert channel.findtext("description") is None  # neither rss nor meta has one
    assert channel.findtext("image/url") == "https://cdn.example.org/feed.png"
    assert len(channel.findall("item")) == 5  # the default is 20


def test_no_blog_no_feed(project):
    project.write({"retype.yml": "url: https://example.org/\n", "index.md": "# Home\n"})
    built(project)
    assert not (project.out / "blog").exists()
    assert project.page("index.html").select_one('link[type="application/rss+xml"]') is None


def test_blog_base_publishes_the_summary_elsewhere(project):
    built(
        blog_project(
            project,
            "blog:\n  base: news\n  pageSize: 4\n",
            **{"blog/index.md": "# News\n\nIntro.\n"},
        )
    )
    assert listed_titles(project, "news/index.html") == ["Fifth", "Fourth", "Third", "Second"]
    assert listed_titles(project, "news/page/2/index.html") == ["First"]
    assert (project.out / "news/feed.xml").is_file()
    assert not (project.out / "blog/index.html").exists()
    assert (project.out / "blog/2025-01-10-first/index.html").is_file()  # posts stay


def test_a_base_that_is_no_path_is_an_error(project):
    blog_project(project, "blog:\n  base: 'a b?'\n")
    result = project.build()
    assert not result.ok
    [error] = [d for d in result.report.items if "blog.base" in d.message]
    assert (error.file, error.line) == ("retype.yml", 3)


def test_docsite_yml_names(project):
    project.write(
        {
            "docsite.yml": "blog:\n  page_size: 1\n  max_results: 2\n  rss:\n    max_results: 1\n"
            "integrations:\n  gravatar:\n    enabled: false\n",
            "content/index.md": "# Home\n",
            **{f"content/{rel}": text for rel, text in POSTS.items()},
        }
    )
    built(project)
    assert listed_titles(project, "blog/page/2/index.html") == ["Fourth"]
    assert not (project.out / "blog/page/3").exists()
    channel = ET.fromstring((project.out / "blog/feed.xml").read_bytes()).find("channel")
    assert len(channel.findall("item")) == 1
    config = load_config(project.root, None, Report())
    assert config.integrations.gravatar.enabled is False


def test_retype_keys_are_read(tmp_path):
    root = tmp_path / "proj"
    Project(root).write(
        {
            "retype.yml": "blog:\n  pageSize: 4\n  maxResults: 9\n  layout: central\n"
            "  rss:\n    maxResults: 7\n    imageUrl: /feed.png\n"
            "integrations:\n  gravatar:\n    default: retro\n"
        }
    )
    report = Report()
    config = load_config(root, None, report)
    assert not report.items, [d.format() for d in report.items]
    blog = config.blog
    assert (blog.page_size, blog.max_results, blog.layout) == (4, 9, "central")
    assert (blog.rss.max_results, blog.rss.image_url) == (7, "/feed.png")
    assert config.integrations.gravatar.default == "retro"


def test_a_body_edit_that_changes_a_summary_rebuilds_the_summary_in_watch_mode(tmp_path):
    root = tmp_path / "proj"
    blog_project(Project(root))
    served = root / ".docsite-cache/serve"
    live = LiveSite(BuildOptions(root=root, out=served))
    try:
        assert not live.full_build().failed
        post = root / "blog/2025-12-24-fifth.md"
        post.write_text("# Fifth\n\nThe newest post.\n\n## More\n\nA second part.\n")
        update = live.apply([post])
        assert update.rendered == 1  # its summary is the same: the post alone
        post.write_text("# Fifth\n\nA new first paragraph.\n")
        assert not live.apply([post]).failed
        listing = (served / "blog/index.html").read_text()
        assert "A new first paragraph." in listing
        assert "A new first paragraph." in (served / "blog/feed.xml").read_text()
    finally:
        live.close()
    fresh = build_site(BuildOptions(root=root, out=tmp_path / "clean", use_cache=False))
    assert fresh.ok
