"""docsite's own documentation (content/) builds cleanly and carries the seed page."""

import pytest
from conftest import REPO, SEED, Project


def test_status_codes_source_is_the_seed():
    if not SEED.is_file():
        pytest.skip("shared/seeds is not beside this checkout")
    assert (REPO / "content/status-codes.md").read_bytes() == SEED.read_bytes()


def test_own_docs_build_with_zero_warnings(copy_repo_project):
    project = Project(copy_repo_project())
    result = project.build(strict=True)
    assert [d.format() for d in result.report.items] == []
    assert result.ok and result.pages >= 10
    page = project.page("status-codes/index.html")
    active = page.select_one("nav.sidebar a[aria-current=page]")
    assert active.select_one(".nav-label").text == "Status Codes"
    assert active.select_one(".i-rss") is not None
    assert active.select_one(".badge.badge-info").text == "NEW"
    top = [
        a.select_one(".nav-label").text
        for a in page.select(
            "nav.sidebar > ul > li > a, nav.sidebar > ul > li > details > summary > a"
        )
    ]
    assert top.index("Getting started") < top.index("Status Codes") < top.index("Writing pages")
    # Every icon of every page is drawn: icons.css holds the shared ones, a page's head its own.
    assert project.icons_without_rule() == {}
