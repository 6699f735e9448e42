"""Publishing: sitemap, robots.txt, head metadata, tags, redirects, llms.txt, Markdown copies,
404.html, scaffolding; and every link of a site served under a subpath answers."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from browser import serve
from bs4 import BeautifulSoup
from conftest import REPO, Project, soup

from docsite.build import BuildOptions, build_site
from docsite.gitdates import parse_log, read_dates
from docsite.scaffold import ScaffoldError, init_project, new_page

URL = "https://example.com/docs/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

SITE = {
    "docsite.yml": f"""
        title: Example
        description: Example docs.
        url: {URL}
        """,
    "content/index.md": "# Home\n\nRead the [setup](guide/setup.md).\n",
    "content/guide/index.md": """
        ---
        description: All about the guide.
        tags: [Setup, Getting Started]
        ---
        # Guide
        """,
    "content/guide/setup.md": """
        ---
        description: How to set it up.
        tags: [Setup]
        image: shot.png
        redirect_from:
          - /old-setup
          - guide/install.md
          - legacy/setup.html
        ---
        # Setup

        Install it. See [the guide](index.md).
        """,
    "content/guide/shot.png": "not really a PNG",
    "content/notitle.md": "Just text, no heading.\n",
    "content/hidden.md": "---\nvisibility: hidden\ntags: [Secret]\n---\n# Hidden\n",
    "content/moved.md": "---\nredirect: guide/setup.md\n---\n",
    "content/away.md": "---\nredirect: https://example.org/elsewhere\n---\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("publish") / "proj")
    project.write(SITE)
    result = project.build(strict=True)
    assert result.ok, project.messages(result)
    return project


def head(page: BeautifulSoup, **attrs: str) -> str | None:
    tag = page.find("meta", attrs=attrs)
    return tag["content"] if tag else None


# sitemap.xml and robots.txt ----------------------------------------------------------------


def test_sitemap_lists_public_pages_with_absolute_urls_and_dates(built: Project):
    root = ET.fromstring((built.out / "sitemap.xml").read_bytes())
    entries = root.findall("s:url", SITEMAP_NS)
    locs = [e.findtext("s:loc", namespaces=SITEMAP_NS) for e in entries]
    assert locs == [URL, URL + "guide/", URL + "guide/setup/", URL + "notitle/"]
    for entry in entries:
        lastmod = entry.findtext("s:lastmod", namespaces=SITEMAP_NS)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", lastmod or "")


def test_robots_txt_points_to_the_sitemap(built: Project):
    text = (built.out / "robots.txt").read_text()
    assert "User-agent: *" in text
    assert f"Sitemap: {URL}sitemap.xml" in text.splitlines()


def test_without_url_there_is_no_sitemap_and_links_assume_the_domain_root(project: Project):
    project.write(
        {
            "content/index.md": "---\nimage: cover.png\n---\n# Home\n",
            "content/cover.png": b"\x89PNG\r\n\x1a\n",
        }
    )
    assert project.build(strict=True).ok
    home = project.page("index.html")
    # Open Graph needs whole addresses: without a `url` there is none to give.
    assert home.find("meta", property="og:image") is None
    assert home.find("link", rel="canonical") is None
    assert not (project.out / "sitemap.xml").exists()
    assert "Sitemap" not in (project.out / "robots.txt").read_text()
    page = project.page("404.html")
    assert page.find("base")["href"] == "/"
    assert page.find("link", rel="canonical") is None


def test_a_sites_own_robots_txt_and_404_win(project: Project):
    project.write(
        {
            "content/index.md": "# Home\n",
            "static/robots.txt": "User-agent: *\nDisallow: /\n",
            "static/404.html": "<p>custom</p>\n",
        }
    )
    result = project.build(strict=True)
    assert result.ok, project.messages(result)
    assert (project.out / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    assert (project.out / "404.html").read_text() == "<p>custom</p>\n"


# Head metadata -----------------------------------------------------------------------------


def test_canonical_open_graph_and_twitter_tags(built: Project):
    page = built.page("guide/setup/index.html")
    assert page.title.text == "Setup | Example"
    assert page.find("link", rel="canonical")["href"] == URL + "guide/setup/"
    assert head(page, name="description") == "How to set it up."
    assert head(page, property="og:title") == "Setup"
    assert head(page, property="og:description") == "How to set it up."
    assert head(page, property="og:url") == URL + "guide/setup/"
    assert head(page, property="og:type") == "article"
    assert head(page, property="og:site_name") == "Example"
    assert head(page, property="og:image") == URL + "guide/shot.png"
    assert head(page, name="twitter:card") == "summary_large_image"
    assert head(page, name="twitter:image") == URL + "guide/shot.png"
    assert page.html["lang"] == "en"
    assert page.find("link", rel="icon")["href"] == "../../favicon.svg"
    assert (built.out / "favicon.svg").is_file()


def test_home_and_hidden_page_metadata(built: Project):
    home = built.page("index.html")
    assert home.title.text == "Example"
    assert head(home, property="og:type") == "website"
    assert head(home, name="description") == "Example docs."
    assert head(home, name="twitter:card") == "summary"
    assert home.find("link", rel="canonical")["href"] == URL
    hidden = built.page("hidden/index.html")
    assert head(hidden, name="robots") == "noindex"
    assert head(home, name="robots") is None


# Tags --------------------------------------------------------------------------------------


def test_tags_are_linked_from_pages(built: Project):
    page = built.page("guide/index.html")
    links = [(a.text, a["href"]) for a in page.select("ul.tags a[rel=tag]")]
    assert links == [("Setup", "../tags/setup/"), ("Getting Started", "../tags/getting-started/")]


def test_tag_index_and_tag_pages(built: Project):
    index = built.page("tags/index.html")
    assert index.select_one("article h1").text == "Tags"
    listed = [(a.text, a["href"]) for a in index.select("ul.tag-index a")]
    assert listed == [
        ("Getting Started", "../tags/getting-started/"),
        ("Secret", "../tags/secret/"),
        ("Setup", "../tags/setup/"),
    ]
    assert index.find("link", rel="canonical")["href"] == URL + "tags/"
    setup = built.page("tags/setup/index.html")
    assert setup.select_one("article h1").text == "Tag: Setup"
    tagged = [(a.text, a["href"]) for a in setup.select("ul.tag-pages a")]
    assert tagged == [("Guide", "../../guide/"), ("Setup", "../../guide/setup/")]
    assert setup.select_one("nav.sidebar") is not None
    # Only a hidden page has this tag: the page exists (its link works) but lists nothing.
    secret = built.page("tags/secret/index.html")
    assert secret.select("ul.tag-pages a") == []


def test_a_page_at_the_tags_url_wins_with_a_warning(project: Project):
    project.write(
        {
            "content/index.md": "---\ntags: [x]\n---\n# Home\n",
            "content/tags.md": "# My tags\n",
        }
    )
    result = project.build()
    assert result.ok
    assert any("tag page is left out" in m for m in project.messages(result))
    assert (
        project.page("tags/index.html").select_one("article h1").find(string=True).strip()
        == "My tags"
    )
    assert (project.out / "tags/x/index.html").is_file()


# Redirects ---------------------------------------------------------------------------------


def refresh_target(page: BeautifulSoup) -> str:
    content = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
    return content.split("url=", 1)[1]


@pytest.mark.parametrize(
    ("old", "target"),
    [
        ("old-setup/index.html", "../guide/setup/"),
        ("guide/install/index.html", "../../guide/setup/"),
        ("legacy/setup.html", "../guide/setup/"),
        ("moved/index.html", "../guide/setup/"),
        ("away/index.html", "https://example.org/elsewhere"),
    ],
)
def test_redirect_pages_point_to_their_target(built: Project, old: str, target: str):
    page = built.page(old)
    assert refresh_target(page) == target
    assert page.find("link", rel="canonical")["href"] == target
    if not target.startswith("https:"):
        resolved = urllib.parse.urljoin(URL + old, target)
        assert resolved == URL + "guide/setup/"


def test_redirects_file_for_netlify_and_cloudflare(built: Project):
    lines = (built.out / "_redirects").read_text().splitlines()
    assert lines == [
        "/docs/away/ https://example.org/elsewhere 301",
        "/docs/guide/install/ /docs/guide/setup/ 301",
        "/docs/legacy/setup.html /docs/guide/setup/ 301",
        "/docs/moved/ /docs/guide/setup/ 301",
        "/docs/old-setup/ /docs/guide/setup/ 301",
    ]


def test_redirect_from_a_published_page_is_an_error(project: Project):
    project.write(
        {
            "content/index.md": "# Home\n",
            "content/a.md": "---\nredirect_from: [/b]\n---\n# A\n",
            "content/b.md": "# B\n",
            "content/c.md": "---\nredirect_from: [https://x.org/c]\n---\n# C\n",
        }
    )
    result = project.build()
    assert not result.ok
    messages = project.messages(result)
    assert any(
        m.startswith("content/a.md:2:") and "'content/b.md' is published there" in m
        for m in messages
    ), messages
    assert any("content/c.md:2:" in m and "a path on this site" in m for m in messages)


# For machines ------------------------------------------------------------------------------


def test_llms_txt_lists_public_pages_with_descriptions(built: Project):
    text = (built.out / "llms.txt").read_text()
    assert text.startswith("# Example\n\n> Example docs.\n")
    entries = re.findall(r"^- \[(.+?)\]\((.+?)\)(?:: (.*))?$", text, re.M)
    assert entries == [
        ("Home", URL + "index.md", ""),
        ("Notitle", URL + "notitle.md", ""),
        ("Guide", URL + "guide.md", "All about the guide."),
        ("Setup", URL + "guide/setup.md", "How to set it up."),
    ]
    assert "## Guide" in text


def test_markdown_copies_at_each_pages_address(built: Project):
    setup = (built.out / "guide/setup.md").read_text()
    assert setup == "# Setup\n\nInstall it. See [the guide](index.md).\n"
    assert "redirect_from" not in setup
    assert (built.out / "notitle.md").read_text() == "# Notitle\n\nJust text, no heading.\n"
    assert not (built.out / "moved.md").exists()
    for entry in re.findall(r"\]\((\S+?)\)", (built.out / "llms.txt").read_text()):
        assert (built.out / entry.removeprefix(URL)).is_file()


def test_a_static_file_at_a_pages_markdown_address_wins_and_is_named(project: Project):
    """A page's Markdown copy is written with the page, before the files of static/ are
    placed: one whose address a static file takes is left to publish, which keeps the
    static file and says so."""
    project.write(
        {
            "content/index.md": "# Home\n",
            "content/guide/index.md": "# Guide\n\nText.\n",
            "content/other.md": "# Other\n\nMore text.\n",
            "static/guide.md": "the site's own file\n",
        }
    )
    result = project.build()
    assert result.ok
    assert (project.out / "guide.md").read_text() == "the site's own file\n"
    assert (project.out / "other.md").read_text() == "# Other\n\nMore text.\n"
    assert [m for m in project.messages(result) if "guide.md" in m] == [
        "guide.md: warning: docsite generates 'guide.md', but a file of that name is "
        "published there\n  hint: remove or rename the file in static/ or content/"
    ]
    # Gone from static/: the page, reused, has its Markdown copy there again (the last
    # build's file at that address was the static file, not a copy to keep).
    (project.root / "static/guide.md").unlink()
    result = project.build()
    assert result.ok and result.rendered < 3
    assert (project.out / "guide.md").read_text() == "# Guide\n\nText.\n"


def test_a_pages_unchanged_markdown_copy_is_not_rewritten_when_the_page_is(project: Project):
    """A page rendered again (the site's title changed) whose body is the same keeps its
    Markdown copy: the last build's file, linked, never rewritten; a changed body's copy
    is written anew."""
    project.write(
        {
            "docsite.yml": "title: One\n",
            "content/index.md": "# Home\n",
            "content/a.md": "# A\n\nText.\n",
            "content/b.md": "# B\n\nText.\n",
        }
    )
    assert project.build().ok
    inodes = {name: (project.out / name).stat().st_ino for name in ("a.md", "b.md")}
    project.write({"docsite.yml": "title: Two\n", "content/b.md": "# B\n\nNew text.\n"})
    result = project.build()
    assert result.ok and result.rendered == 3
    assert (project.out / "a.md").stat().st_ino == inodes["a.md"]
    assert (project.out / "b.md").stat().st_ino != inodes["b.md"]
    assert (project.out / "b.md").read_text() == "# B\n\nNew text.\n"


def test_nojekyll_and_404(built: Project):
    assert (built.out / ".nojekyll").read_text() == ""
    page = built.page("404.html")
    assert page.find("base")["href"] == "/docs/"
    assert head(page, name="robots") == "noindex"
    assert page.select_one("article h1").text == "Page not found"
    assert page.select_one("article a")["href"] == "./"
    assert page.select_one("nav.sidebar a.nav-link")["href"].startswith("./")


# Last updated ------------------------------------------------------------------------------


def test_parse_log_takes_each_files_newest_commit():
    log = (
        "\0" + "2025-03-02T10:00:00+01:00\n\nguide/setup.md\nindex.md\n"
        "\0" + "2025-01-01T09:00:00+00:00\n\nindex.md\nold.md\n"
    )
    assert parse_log(log) == {
        "guide/setup.md": "2025-03-02T10:00:00+01:00",
        "index.md": "2025-03-02T10:00:00+01:00",
        "old.md": "2025-01-01T09:00:00+00:00",
    }


def test_no_git_no_last_updated(built: Project):
    assert read_dates(built.root / "content").committed == {}
    assert built.page("guide/setup/index.html").select_one(".last-updated") is None


def test_last_updated_from_git(tmp_path: Path):
    """The browser fixture is committed in this repository: its pages show their dates."""
    fixture = REPO / "tests" / "fixtures" / "browser_site"
    dates = read_dates(fixture / "content")
    if not dates.committed.get("guide/setup.md"):
        pytest.skip("not a git checkout")
    # No cache: it would be written into this repository's fixture.
    result = build_site(BuildOptions(root=fixture, out=tmp_path / "site", use_cache=False))
    assert result.ok
    page = soup(tmp_path / "site/guide/setup/index.html")
    time = page.select_one(".last-updated time")
    assert time["datetime"] == dates.committed["guide/setup.md"]
    assert time.text == time["datetime"][:10]
    assert head(page, property="article:modified_time") == time["datetime"]


# Scaffolding -------------------------------------------------------------------------------


def test_init_project_builds_at_once(tmp_path: Path):
    folder = tmp_path / "my-docs"
    created = init_project(folder)
    rels = sorted(p.relative_to(folder).as_posix() for p in created)
    assert rels == [".gitignore", "content/getting-started.md", "content/index.md", "docsite.yml"]
    result = build_site(BuildOptions(root=folder, strict=True))
    assert result.ok and not result.report.items, [d.format() for d in result.report.items]
    assert soup(folder / "site/index.html").title.text == "My docs"
    with pytest.raises(ScaffoldError, match="already exists"):
        init_project(folder)


def test_new_page_has_frontmatter_and_builds(tmp_path: Path):
    init_project(tmp_path)
    path = new_page(tmp_path, "guide/first-steps", 'First steps: "quoted"')
    assert path == tmp_path / "content/guide/first-steps.md"
    assert new_page(tmp_path, "content/guide/more.md").name == "more.md"
    result = build_site(BuildOptions(root=tmp_path, strict=True))
    assert result.ok, [d.format() for d in result.report.items]
    page = soup(tmp_path / "site/guide/first-steps/index.html")
    assert page.select_one("article h1").find(string=True).strip() == 'First steps: "quoted"'
    more = soup(tmp_path / "site/guide/more/index.html")
    assert more.select_one("article h1").find(string=True).strip() == "More"
    with pytest.raises(ScaffoldError, match="already exists"):
        new_page(tmp_path, "guide/first-steps.md", "Again")
    with pytest.raises(ScaffoldError, match="not a page path"):
        new_page(tmp_path, "../outside", "Out")


# Every link answers, from a subpath --------------------------------------------------------


class _SubpathHandler(SimpleHTTPRequestHandler):
    """Serves the site under /docs/, and 404.html for anything missing, as hosts do."""

    prefix = "/docs/"

    def translate_path(self, path: str) -> str:
        parsed = urllib.parse.urlsplit(path).path
        if not parsed.startswith(self.prefix):
            return str(Path(self.directory) / "does-not-exist")
        return super().translate_path("/" + parsed[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve_subpath(directory: Path):
    """The site served under /docs/, as on a host that publishes it in a subfolder."""
    return serve(directory, _SubpathHandler, "/docs/")


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get_content_type()


def page_links(base_url: str, html: bytes) -> set[str]:
    """Every URL a browser would load or follow from the page, resolved like a browser."""
    page = BeautifulSoup(html, "html.parser")
    base_tag = page.find("base")
    base = urllib.parse.urljoin(base_url, base_tag["href"]) if base_tag else base_url
    found = set()
    for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for element in page.find_all(tag):
            value = element.get(attr)
            if value and not value.startswith(("#", "mailto:")):
                found.add(urllib.parse.urljoin(base, value))
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})
    if refresh:
        found.add(urllib.parse.urljoin(base, refresh["content"].split("url=", 1)[1]))
    return {urllib.parse.urldefrag(url)[0] for url in found}


def test_every_link_answers_when_served_from_a_subpath(built: Project):
    with serve_subpath(built.out) as root:
        origin = root.split("/docs/")[0]
        start = [root + p.relative_to(built.out).as_posix() for p in built.out.rglob("*.html")]
        start.append(root + "no/such/deep/page/")  # the host answers with 404.html
        queue, seen, broken = list(start), set(start), []
        while queue:
            url = queue.pop()
            status, body, kind = fetch(url)
            if status != 200 and not url.endswith("no/such/deep/page/"):
                broken.append(f"{url}: {status}")
                continue
            if kind != "text/html":
                continue
            for link in page_links(url, body):
                if link.startswith(origin) and link not in seen:
                    seen.add(link)
                    queue.append(link)
        assert not broken
        assert root + "guide/setup/" in seen and root + "assets/docsite.css" in seen
        assert len(seen) > 30


def test_site_default_social_image(tmp_path):
    from conftest import Project

    project = Project(tmp_path / "proj")
    project.write(
        {
            "docsite.yml": "url: https://example.com/docs/\nimage: assets/card.png\n",
            "static/assets/card.png": b"\x89PNG",
            "content/index.md": "# Home\n",
            "content/guide/a.md": "# A\n",
            "content/own.md": "---\nimage: pic.png\n---\n# Own\n",
            "content/pic.png": b"\x89PNG",
        }
    )
    assert project.build().ok
    meta = project.page("guide/a/index.html").find("meta", property="og:image")
    assert meta["content"] == "https://example.com/docs/assets/card.png"
    own = project.page("own/index.html").find("meta", property="og:image")
    assert own["content"] == "https://example.com/docs/pic.png"


def test_category_index_and_category_pages_as_retype_makes_them(project: Project):
    project.write(
        {
            "content/index.md": "---\ncategory: [News, Guides]\n---\n# Home\n\n"
            "[all](/categories/) [news](/categories/News)\n",
            "content/post.md": "---\ncategories: news\n---\n# Post\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    index = project.page("categories/index.html")
    assert index.select_one("article h1").text == "Categories"
    listed = [(a.text, a["href"]) for a in index.select("ul.tag-index a")]
    assert listed == [("Guides", "../categories/guides/"), ("News", "../categories/news/")]
    news = project.page("categories/news/index.html")
    assert news.select_one("article h1").text == "Category: News"
    assert [a.text for a in news.select("ul.tag-pages a")] == ["Home", "Post"]
    assert news.select("article p a")[-1]["href"] == "../../categories/"
    links = [a["href"] for a in project.page("index.html").select("article p a")]
    assert links == ["categories/", "categories/news/"]
