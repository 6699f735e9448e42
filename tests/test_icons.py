"""Page and folder icons given as an image path or an inline `<svg>` (docsite/icons.py), as
Retype documents `icon:`: shown in the sidebar and on cards from every depth, checked at the
setting's line and column."""

from __future__ import annotations

import pytest

from docsite.icons import IconSet, icon_markup, is_image_icon, site_icon, svg_problem

RED = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="9" height="9"/></svg>'
)
INLINE = '<svg viewBox="0 0 16 16"><circle cx="8" cy="8" r="7"/></svg>'


def nav_icons(project, page: str) -> dict[str, tuple[str, str | None]]:
    """Each sidebar label's icon: its tag and, for an image, its src."""
    found = {}
    for link in project.page(page).select("nav.sidebar .nav-link"):
        icon = link.select_one(".nav-icon")
        label = link.select_one(".nav-label").get_text(strip=True)
        found[label] = (icon.name, icon.get("src")) if icon is not None else ("", None)
    return found


def test_image_icons_are_right_from_pages_at_every_depth(project):
    project.write(
        {
            "content/index.md": "---\nicon: rocket\n---\n# Home\n",
            "content/top.md": "---\nicon: /static/logos/red.svg\n---\n# Top\n",
            "content/guide/index.yml": "icon: ../static/logos/red.svg\n",
            "content/guide/deep/page.md": "---\nicon: ../../static/logos/red.svg\n---\n# Deep\n",
            "content/static/logos/red.svg": RED,
        }
    )
    result = project.build()
    assert result.ok and not result.report.items, project.messages(result)
    home = nav_icons(project, "index.html")
    assert home["Home"] == ("span", None)
    assert home["Top"] == ("img", "./static/logos/red.svg")
    assert home["Guide"] == ("img", "./static/logos/red.svg")
    deep = nav_icons(project, "guide/deep/page/index.html")
    assert deep["Top"] == deep["Guide"] == deep["Deep"] == ("img", "../../../static/logos/red.svg")
    image = project.page("top/index.html").select_one("nav.sidebar img.nav-icon")
    assert image["alt"] == "" and {"icon", "icon-image"} <= set(image["class"])


def test_inline_svg_icon_is_a_mask_in_the_icon_styles(project):
    project.write(
        {
            "content/index.md": "# Home\n\n[!card](guide.md)\n",
            "content/guide.md": f"---\nicon: {INLINE}\n---\n# Guide\n",
        }
    )
    result = project.build()
    assert result.ok and not result.report.items, project.messages(result)
    icon = project.page("index.html").select_one("nav.sidebar .nav-icon")
    (name,) = [c for c in icon["class"] if c.startswith("i-s-")]
    assert icon.name == "span" and not icon.find_all()  # the SVG is never in the page itself
    css = project.icon_css("index.html")
    assert f".{name}{{" in css and "circle" in css


@pytest.mark.parametrize(
    ("svg", "problem"),
    [
        ('<svg onload="alert(1)"><path d="M0 0"/></svg>', "event handler attribute 'onload'"),
        ("<svg><script>alert(1)</script></svg>", "<script>"),
        ('<svg><a href="javascript:alert(1)"><path/></a></svg>', "script URL in its 'href'"),
        ('<svg><a xlink:href="java&#09;script:x"><path/></a></svg>', "'xlink:href'"),
        ("<svg><foreignObject><div></div></foreignObject></svg>", "<foreignobject>"),
        ('<!DOCTYPE svg [<!ENTITY x "y">]><svg></svg>', "not one <svg>...</svg> element"),
        ('<svg><path d="M0 0"/></svg><img src=x onerror="alert(1)">', "not one <svg>"),
    ],
)
def test_inline_svg_that_could_run_script_is_refused(svg, problem):
    assert problem in svg_problem(svg)
    assert not is_image_icon(svg) and IconSet().resolve(svg) is None


def test_refused_inline_svg_is_an_error_at_the_setting(project):
    project.write(
        {
            "content/index.md": "# Home\n",
            "content/bad.md": '---\ntitle: Bad\nicon: <svg onload="alert(1)"></svg>\n---\n# Bad\n',
        }
    )
    result = project.build()
    (error,) = result.report.errors
    assert (error.file, error.line, error.col) == ("content/bad.md", 3, 7)
    assert "onload" in error.message and "on* attributes" in error.hint


def test_missing_icon_image_is_an_error_with_a_did_you_mean(project):
    project.write(
        {
            "content/index.md": "# Home\n",
            "content/guide/page.md": "---\nicon: ../static/logos/rde.svg\n---\n# Page\n",
            "content/guide/index.yml": "label: Guide\nicon: ../../outside.png\n",
            "content/static/logos/red.svg": RED,
        }
    )
    result = project.build()
    assert not result.ok
    found = {(e.file, e.line, e.col): e for e in result.report.errors}
    typo = found[("content/guide/page.md", 2, 7)]
    assert "'../static/logos/rde.svg' does not exist" in typo.message
    assert typo.hint == "did you mean '/static/logos/red.svg'?"
    outside = found[("content/guide/index.yml", 2, 7)]
    assert "outside the content folder" in outside.message


def test_icon_values_keep_their_meaning_from_every_page():
    assert site_icon("../static/a.png", "guide") == "/static/a.png"
    assert site_icon("/static/a.png", "guide/deep") == "/static/a.png"
    assert site_icon("https://example.com/a.png", "guide") == "https://example.com/a.png"
    assert site_icon("rocket", "guide") == "rocket" and site_icon(":tada:", "") == ":tada:"


def test_image_icon_markup_is_escaped_and_relative_to_the_page():
    icons = IconSet(asset_paths=frozenset({"static/a b.png"}))
    icon = icons.resolve("/static/a b.png")
    assert icon is not None
    assert icon_markup(icon, "icon nav-icon", "../") == (
        '<img class="icon nav-icon icon-image" src="../static/a%20b.png" alt="">'
    )
    assert icons.resolve("javascript://x.png") is None


def test_cards_show_a_page_s_image_or_inline_svg_icon(project):
    project.write(
        {
            "content/index.md": (
                "# Home\n\n[!card compact](guide/deep/page.md)\n\n[!card compact](inline.md)\n"
            ),
            "content/inline.md": f"---\nicon: {INLINE}\n---\n# Inline\n",
            "content/guide/deep/page.md": "---\nicon: ../../static/red.svg\n---\n# Deep\n",
            "content/static/red.svg": RED,
        }
    )
    result = project.build()
    assert result.ok and not result.report.items, project.messages(result)
    image, inline = project.page("index.html").select("article .card-icon")
    assert image.name == "img" and image["src"] == "./static/red.svg"
    assert inline.name == "span" and any(c.startswith("i-s-") for c in inline["class"])


def test_header_link_icon_may_be_an_image_from_the_content_root(project):
    project.write(
        {
            "docsite.yml": (
                "links:\n  - text: GitLab\n    link: https://gitlab.com\n"
                "    icon: /static/red.svg\n"
            ),
            "content/index.md": "# Home\n",
            "content/guide/page.md": "# Page\n",
            "content/static/red.svg": RED,
        }
    )
    result = project.build()
    assert result.ok and not result.report.items, project.messages(result)
    link = project.page("guide/page/index.html").find("a", href="https://gitlab.com")
    assert link.img["src"] == "../../static/red.svg" and link.img["alt"] == ""
