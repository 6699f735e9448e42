"""The published site in Chromium: opened from disk every link leads to a file, and 404.html
works at any depth when served under a subpath."""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import Project
from test_publish import SITE, serve_subpath

# Every URL the page loads or follows, as the browser resolved it (after docsite.js ran).
LINKS_JS = """() => {
    const urls = [];
    for (const el of document.querySelectorAll("a[href], link[href], script[src], img[src]")) {
        urls.push(el.href || el.src);
    }
    return urls;
}"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("publish_browser") / "proj")
    project.write(SITE)
    result = project.build(strict=True)
    assert result.ok, project.messages(result)
    return project


REFRESH = re.compile(r'http-equiv="refresh" content="0; url=([^"]+)"')


def file_target(url: str) -> Path:
    path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path))
    return path / "index.html" if url.endswith("/") or path.is_dir() else path


def test_every_link_leads_to_a_file_when_opened_from_disk(built: Project, chromium):
    page = chromium.new_page()
    broken = []
    pages = sorted(built.out.rglob("*.html"))
    assert len(pages) > 10
    try:
        for html in pages:
            refresh = REFRESH.search(html.read_text(encoding="utf-8"))
            if refresh:
                if refresh.group(1).startswith("https:"):
                    continue  # leaves the site
                # A redirect page goes on to the target's index.html, not to a folder listing.
                start = html.as_uri()
                page.goto(start)
                page.wait_for_url(lambda url, start=start: url != start)
                if not page.url.endswith("/index.html") or not file_target(page.url).is_file():
                    broken.append(f"{html.relative_to(built.out)} -> {page.url}")
                continue
            page.goto(html.as_uri())
            for url in page.evaluate(LINKS_JS):
                if not url.startswith("file:"):
                    continue
                target = file_target(urllib.parse.urldefrag(url)[0])
                if not target.is_file() or built.out.resolve() not in target.resolve().parents:
                    broken.append(f"{html.relative_to(built.out)} -> {url}")
    finally:
        page.close()
    assert not broken


def test_404_from_disk_is_styled(built: Project, chromium):
    page = chromium.new_page()
    try:
        page.goto((built.out / "404.html").as_uri())
        assert page.eval_on_selector(".site-header", "e => getComputedStyle(e).position") == (
            "sticky"
        )
        home = page.eval_on_selector("article a", "a => a.href")
        assert home == (built.out / "index.html").as_uri()
    finally:
        page.close()


def test_404_served_at_any_depth_under_the_subpath(built: Project, chromium):
    page = chromium.new_page()
    try:
        with serve_subpath(built.out) as root:
            response = page.goto(root + "no/such/deep/page/")
            assert response is not None and response.status == 404
            assert page.eval_on_selector(".site-header", "e => getComputedStyle(e).position") == (
                "sticky"
            )
            assert page.eval_on_selector("article a", "a => a.href") == root
            sidebar = page.eval_on_selector_all("nav.sidebar a", "links => links.map(a => a.href)")
            assert root + "guide/" in sidebar
            # A link to an id stays on the page despite <base>.
            page.focus(".skip-link")
            page.keyboard.press("Enter")
            page.wait_for_url(root + "no/such/deep/page/#content")
            page.click("article a")
            page.wait_for_url(root)
            assert page.title() == "Example"
    finally:
        page.close()
