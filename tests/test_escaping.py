"""Settings are text: a label like `<script>alert(1)</script>` shows as those characters,
in HTML text and attributes alike, and never becomes an element."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import Project, soup

# Closes an attribute, opens an element, and carries an event handler: every way out.
PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>&amp;"


def quoted(text: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + text.replace("'", "''") + "'"


def injected(page: BeautifulSoup) -> list[str]:
    """Elements or attributes that the payload would have created."""
    found = [str(s)[:80] for s in page.find_all("script") if "alert" in (s.string or "")]
    found += [str(i)[:80] for i in page.find_all("img") if i.get("src") == "x"]
    found += [
        f"{tag.name}[{name}]"
        for tag in page.find_all(True)
        for name in tag.attrs
        if name.startswith("on")
    ]
    return found


@pytest.fixture
def hostile(project: Project) -> Project:
    p = quoted(PAYLOAD)
    project.write(
        {
            "docsite.yml": f"title: {p}\ndescription: {p}\nfooter: {p}\n"
            f"links:\n  - text: {p}\n    link: https://example.com/\n",
            "content/index.md": f"---\nlabel: {p}\ntags: [{p}]\n---\nWelcome.\n",
            "content/guide/index.yml": f"label: {p}\n",
            "content/guide/first.md": f"---\norder: 2\nlabel: {p}\ntitle: {p}\n"
            f"description: {p}\ntags: [{p}, plain]\nauthor: {p}\nnav:\n  badge: {p}\n---\n"
            "Body.\n\n## The `<script>` tag\n\n## A <b>bold</b> heading\n",
            "content/guide/second.md": f"---\norder: 1\nlabel: {p}\n---\n# Second\n",
        }
    )
    result = project.build()
    assert result.ok, [d.format() for d in result.report.sorted()]
    return project


def test_no_element_is_injected_on_any_page(hostile):
    pages = sorted(hostile.out.rglob("*.html"))
    assert len(pages) >= 3
    for path in pages:
        assert injected(soup(path)) == [], path


def test_the_payload_shows_as_text_where_settings_appear(hostile):
    page = hostile.page("guide/first/index.html")
    assert page.title.string.startswith(PAYLOAD)
    assert page.find("meta", attrs={"name": "description"})["content"] == PAYLOAD
    assert page.find("h1").get_text() == PAYLOAD
    sidebar = page.find(id="sidebar")
    assert PAYLOAD in [label.get_text() for label in sidebar.select(".nav-label")]
    assert sidebar.select_one(".badge").get_text() == PAYLOAD
    crumbs = [li.get_text() for li in page.select(".breadcrumbs li")]
    assert crumbs == [PAYLOAD]  # the folder's label, from guide/index.yml
    assert PAYLOAD in [tag.get_text() for tag in page.select(".tags .tag")]
    assert PAYLOAD in page.select_one(".page-meta").get_text()
    assert page.select_one(".site-title").get_text() == PAYLOAD
    assert PAYLOAD in [a.get_text() for a in page.select(".header-links a")]


def test_prev_next_and_toc_escape_labels_and_headings(hostile):
    first = hostile.page("guide/first/index.html")  # order 2: before second (order 1)
    assert first.select_one(".pager-prev .pager-label").get_text() == PAYLOAD  # home
    assert first.select_one(".pager-next .pager-label").get_text() == PAYLOAD  # second
    toc = [a.get_text() for a in first.select(".toc a")]
    assert "The <script> tag" in toc
    assert "A bold heading" in toc  # raw HTML in a heading keeps its words, not its tags
    assert not first.select(".toc b")


def test_footer_markdown_is_rendered_without_raw_html(hostile):
    footer = hostile.page("index.html").select_one(".site-footer")
    assert PAYLOAD.replace("&amp;", "&") in footer.get_text()  # Markdown decodes entities
    assert injected(footer) == []


def test_raw_html_in_markdown_stays_allowed_by_default(project):
    project.write({"content/index.md": '# Home\n\n<kbd>Ctrl</kbd>\n\n<div class="x">Hi</div>\n'})
    assert project.build().ok
    page = project.page("index.html")
    assert page.select_one("article kbd").get_text() == "Ctrl"
    assert page.select_one("article div.x").get_text() == "Hi"


def test_markdown_html_option_is_validated(project):
    project.write({"docsite.yml": "markdown:\n  html: false\n", "content/index.md": "# Home\n"})
    assert project.build().ok
    project.write({"docsite.yml": "markdown:\n  html: maybe\n"})
    result = project.build()
    assert [(d.file, d.line, d.col) for d in result.report.errors] == [("docsite.yml", 2, 9)]
    assert "'markdown.html' must be true or false" in result.report.errors[0].message


def test_markdown_html_false_escapes_raw_html(project):
    project.write(
        {
            "docsite.yml": "markdown:\n  html: false\n",
            "content/index.md": "# Home\n\n<script>alert(1)</script>\n\nx <b>y</b>\n",
        }
    )
    assert project.build().ok
    page = project.page("index.html")
    assert injected(page) == []
    assert "<script>alert(1)</script>" in page.select_one("article").get_text()
    assert not page.select("article b")
