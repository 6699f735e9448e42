"""Retype's `links` and `footer.links` (target, title, iconAlign, items, action), `meta`,
`edit` and `poweredByRetype`, read from retype.yml and docsite.yml and shown by the theme."""

from __future__ import annotations

from docsite.config import load_config
from docsite.diagnostics import Report

RETYPE_CONFIG = """\
url: https://example.com
poweredByRetype: false
meta:
  title: " - Example Docs"
  siteName: Example
edit:
  repo: github.com/example/docs
  base: docs
  branch: ""
  label: Edit on GitHub
links:
  - text: Demos
    link: https://demo.example.com/
    icon: link-external
    iconAlign: right
    target: blank
    title: Try it
  - text: More
    icon: pulse
    items:
      - text: Guide
        link: /guide.md
        description: Start here
      - text: Print
        action: print-page
        target: Recent NEWS
footer:
  copyright: "(c) Example"
  links:
    - text: License
      link: license.md
      title: The license
"""


def built(project, config_name="retype.yml", config=RETYPE_CONFIG):
    project.write(
        {
            config_name: config,
            "index.md": "# Home\n",
            "guide.md": "# Guide\n",
            "LICENSE.md": "# License\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    return result


def test_header_links_with_target_title_icon_side_and_a_menu(project):
    result = built(project)
    assert not [m for m in project.messages(result) if "not supported" in m and "link" in m]
    page = project.page("guide/index.html")
    header = page.select_one(".header-links")
    demos = header.select("a")[0]
    assert demos["href"] == "https://demo.example.com/"
    assert demos["target"] == "_blank" and demos["rel"] == ["noopener"]
    assert demos["title"] == "Try it"
    # iconAlign: right puts the icon after the text.
    assert demos.contents[0] == "Demos" and "i-link-external" in demos.contents[-1]["class"]
    more = header.select_one(".link-menu summary")
    assert "i-pulse" in more.contents[0]["class"]  # left, by default
    menu = header.select_one(".link-menu details")
    assert menu.select_one("summary").get_text(strip=True) == "More"
    guide = menu.select_one(".link-menu-items a")
    assert guide["href"] == "../guide/" and guide.get_text(strip=True) == "Guide"
    assert menu.select_one(".link-description").get_text() == "Start here"
    button = menu.select_one("button.action-link")
    assert button["data-action"] == "print-page" and button.get_text(strip=True) == "Print"


def test_footer_links_meta_edit_and_the_credit(project):
    built(project)
    page = project.page("guide/index.html")
    footer = page.select_one(".site-footer")
    license_link = footer.select_one(".footer-links a")
    assert license_link["href"] == "../license/"  # LICENSE.md, found as Retype finds it
    assert license_link["title"] == "The license"
    assert footer.select_one(".generator") is None  # poweredByRetype: false
    assert page.title.string == "Guide - Example Docs"
    assert page.select_one('meta[property="og:site_name"]')["content"] == "Example"
    edit = page.select_one(".edit-link a")
    # Retype's edit link: the file's page on the default branch, below `base`.
    assert edit["href"] == "https://github.com/example/docs/blob/main/docs/guide.md"
    assert edit.get_text(strip=True) == "Edit on GitHub"
    # The page's Markdown copy, for actions run from the header.
    alternate = page.select_one('link[rel="alternate"][type="text/markdown"]')
    assert alternate["href"] == "../guide.md"
    assert (project.out / "guide.md").is_file()


def test_docsite_yml_spells_them_its_own_way(project):
    config = """\
title: Docs
edit:
  repo: https://github.com/example/docs
footer_links:
  - text: Guide
    link: guide.md
powered_by: true
meta:
  site_name: Example
"""
    project.write({"content/guide.md": "# Guide\n", "content/index.md": "# Home\n"})
    project.write({"docsite.yml": config})
    result = project.build()
    assert result.ok, project.messages(result)
    page = project.page("guide/index.html")
    assert page.select_one(".edit-link a")["href"] == (
        "https://github.com/example/docs/edit/main/content/guide.md"
    )
    assert page.select_one(".footer-links a")["href"] == "../guide/"
    assert page.select_one(".generator") is not None
    assert page.title.string == "Guide | Docs"


def test_targets_are_named_as_browsers_want(tmp_path):
    (tmp_path / "retype.yml").write_text(
        "links:\n"
        + "".join(
            f"  - text: T{i}\n    link: https://x.org/\n    target: {value}\n"
            for i, value in enumerate(
                ["blank", "parent", "top", "self", "news1", "nEWs2", '"recent NEWS"']
            )
        )
    )
    config = load_config(tmp_path, None, Report())
    assert [link.target for link in config.links] == [
        "_blank",
        "_parent",
        "_top",
        "_self",
        "news1",
        "news2",
        "recent-news",
    ]


def test_bad_links_are_said_where_they_are(tmp_path):
    (tmp_path / "docsite.yml").write_text(
        "links:\n  - text: Nothing\n  - text: Odd\n    action: fly-away\n  - text: Side\n"
        "    link: https://x.org/\n    icon_align: middle\n"
    )
    report = Report()
    config = load_config(tmp_path, None, report)
    messages = [d.format() for d in report.items]
    assert any(m.startswith("docsite.yml:2:5: error: a link needs a 'text'") for m in messages)
    assert any("'links.2.icon_align' must be one of left, right" in m for m in messages), messages
    assert [link.text for link in config.links] == ["Odd", "Side"]


def test_an_action_docsite_does_not_have_is_said_and_left_out(project):
    project.write(
        {
            "docsite.yml": "links:\n  - text: Odd\n    action: fly-away\n",
            "content/index.md": "# Home\n",
        }
    )
    result = project.build()
    assert any("runs the action 'fly-away'" in m for m in project.messages(result))
    header = project.page("index.html").select_one(".header-links")
    assert header.select_one("button, a") is None
    assert header.select_one(".link-text").get_text(strip=True) == "Odd"


def test_toc_levels_and_label_of_the_site_and_of_a_page(project):
    body = "# Title\n\n## Two\n\n### Three\n\n#### Four\n"
    project.write(
        {
            "docsite.yml": "toc:\n  depth: 2-3\n  label: Contents\n",
            "content/a.md": body,
            "content/b.md": "---\ntoc:\n  depth: 1,4\n  label: In short\n---\n" + body,
        }
    )
    assert project.build().ok

    def toc(rel):
        aside = project.page(rel).select_one("aside.toc")
        entries = [a.get_text() for a in aside.select("li a")]
        return aside.select_one(".toc-title").get_text(), entries

    assert toc("a/index.html") == ("Contents", ["Two", "Three"])
    assert toc("b/index.html") == ("In short", ["Title", "Four"])


def test_nextprev_modes_of_the_site_a_folder_and_a_page(project):
    project.write(
        {
            "docsite.yml": "nextprev:\n  mode: show\n",
            "content/a.md": "---\norder: 9\n---\n# A\n",
            "content/b.md": "---\norder: 8\nnextprev:\n  mode: hide\n---\n# B\n",
            "content/c.md": "---\norder: 7\nnextprev:\n  mode: exclude\n---\n# C\n",
            "content/d.md": "---\norder: 6\n---\n# D\n",
            "content/guide/index.yml": "order: 1\nnextprev:\n  mode: exclude\n",
            "content/guide/e.md": "# E\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)

    def pager(rel):
        found = project.page(rel).select_one(".pager")
        if found is None:
            return None
        return [a.select_one(".pager-label").get_text() for a in found.select("a")]

    assert pager("a/index.html") == ["B"]  # next: B, which hides its own links
    assert pager("b/index.html") is None  # hide: no links, but still in the chain
    assert pager("c/index.html") is None  # exclude: no links, and out of the chain
    assert pager("d/index.html") == ["B"]  # previous: B, not C
    assert pager("guide/e/index.html") is None  # its folder's mode


def test_breadcrumbs_of_the_site_and_of_a_page(project):
    project.write(
        {
            "retype.yml": "breadcrumb:\n  separator: '|'\n",
            "guide/index.md": "# Guide\n",
            "guide/a.md": "# A\n",
            "guide/b.md": "---\nbreadcrumb: false\n---\n# B\n",
            "guide/sub/index.md": "# Sub\n",
            "guide/sub/c.md": "# C\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    crumbs = project.page("guide/sub/c/index.html").select_one("nav.breadcrumbs")
    assert [li.get_text() for li in crumbs.select("li")] == ["Guide", "|Sub"]
    assert "breadcrumbs-own-separator" in crumbs["class"]
    assert project.page("guide/b/index.html").select_one("nav.breadcrumbs") is None
    project.write({"retype.yml": "breadcrumb:\n  separator: ':icon-dot:'\n"})
    assert project.build().ok
    separator = project.page("guide/sub/c/index.html").select_one(".breadcrumb-separator")
    assert separator.select_one(".icon.i-dot") is not None and not separator.get_text().strip()
    project.write({"retype.yml": "breadcrumb:\n  enabled: false\n"})
    assert project.build().ok
    assert project.page("guide/a/index.html").select_one("nav.breadcrumbs") is None


def test_page_meta_title_description_target_and_created(project):
    project.write(
        {
            "retype.yml": "meta:\n  title: ' - Acme'\n",
            "a.md": "---\nmeta:\n  title: A whole title\n  description: Said to engines\n"
            "description: Said to readers\ntarget: blank\ncreated: 2024-05-14\n---\n# A\n",
            "b.md": "# B\n",
        }
    )
    result = project.build()
    assert result.ok and not project.messages(result), project.messages(result)
    a_page = project.page("a/index.html")
    assert a_page.title.string == "A whole title"  # the whole title, no suffix
    assert a_page.select_one('meta[name="description"]')["content"] == "Said to engines"
    b_page = project.page("b/index.html")
    assert b_page.title.string == "B - Acme"
    link = b_page.select_one('#sidebar a[href="../a/"]')
    assert (link["target"], link["rel"]) == ("_blank", ["noopener"])
    current = a_page.select_one("#sidebar [aria-current=page]")
    assert current is not None and current["href"] == "../a/"


def test_created_is_a_page_value_for_templates(project):
    project.write(
        {"content/index.md": "---\ncreated: 2024-05-14\n---\n# A\n\nSince {{ page.created }}.\n"}
    )
    assert project.build().ok
    assert "Since 2024-05-14." in project.page("index.html").select_one("article").get_text()
