"""What a page links besides the theme's core: the components' stylesheet and script, the
code's and the blog's stylesheets and its own icons, only when its HTML uses them
(docsite/pageassets.py)."""

import re
from pathlib import Path

from docsite.pageassets import (
    RUNTIME_TOKENS,
    PagePart,
    matches,
    page_classes,
    selector_needs,
    split_needs,
)
from docsite.themefiles import default_theme_dir

THEME_ASSETS = default_theme_dir() / "static" / "assets"


def links(page) -> set[str]:
    """The names of the theme files a built page's head loads."""
    found = [tag.get("href") for tag in page.select("head link[rel=stylesheet]")]
    found += [tag.get("src") for tag in page.select("head script[src]")]
    return {Path(address).name for address in found if address}


def test_selectors_are_spelled_out_choice_by_choice():
    css = """
    /* .commented { } */
    .a :is(.b, .c:not(.x, .y)) :where(.d, .e) { color: red; }
    @media (prefers-color-scheme: dark) {
      :root:not([data-theme=light]) .f:has(> .g, [data-h]) { x: y; }
    }
    .dark .doc .dark\\:hidden, .js .tabs { display: none; }
    """
    needs = {tuple(sorted(need)) for need in selector_needs(css)}
    assert needs == {
        ("a", "b", "d"), ("a", "b", "e"), ("a", "c", "d"), ("a", "c", "e"),
        ("f", "g"), ("[data-h", "f"),
        ("dark:hidden", "doc"),  # `.dark` is on <html> while the dark scheme shows
        ("tabs",),
    }  # fmt: skip


def test_every_rule_is_read_once_whatever_its_blocks_hold():
    css = "".join(f".r{n} {{{' x: y;' * n}}}\n" for n in range(300)) + "@media x { .last { } }"
    assert selector_needs(css) == (*(frozenset({f"r{n}"}) for n in range(300)), {"last"})


def test_a_page_needs_a_stylesheet_when_one_selector_can_match():
    needs = split_needs(selector_needs(".doc table.clean th {x: y} .tabs-list [role=tab] {x: y}"))

    def needed(page_html: str) -> bool:
        return matches(needs, page_html, page_classes(page_html))

    assert not needed('<article class="doc"><table><th>')
    assert needed('<article class="doc"><table class="x clean">')
    assert not needed("<div class='tabs-list'><p>the role of tabs</p>")
    assert needed("<div class='tabs-list'><button role=\"tab\">")


def test_every_theme_stylesheet_selector_needs_something_of_the_page():
    """A selector that needs nothing would link the stylesheet from every page."""
    for name in ("components.css", "blog.css"):
        css = (THEME_ASSETS / name).read_text(encoding="utf-8")
        assert all(selector_needs(css)), name


def test_what_the_theme_scripts_add_is_counted_as_there():
    """A class or data- attribute the scripts add at run time is not in the built HTML: if a
    selector of components.css needs it, the page must not be judged by its absence."""
    needed = set()
    for name in ("components.css", "blog.css"):
        needed = needed.union(*selector_needs((THEME_ASSETS / name).read_text()))
    added = set()
    for script in THEME_ASSETS.glob("*.js"):
        text = script.read_text(encoding="utf-8")
        made = r'className = "([^"]*)"|classList\.(?:add|toggle)\("([^"]*)"'
        for value in re.findall(made, text):
            added.update("".join(value).split())
        added.update("[" + name for name in re.findall(r'setAttribute\("(data-[a-z-]+)"', text))
    # docsite.js turns a byline's picture that does not load into the author's initial: inside
    # a `.post-meta`, which links blog.css already.
    in_byline = {"avatar", "avatar-initial"}
    unseen = (added & needed) - RUNTIME_TOKENS - in_byline
    assert not unseen, sorted(unseen)


def test_plain_pages_load_only_the_core_and_their_own_icons(project):
    project.write(
        {
            "content/index.md": "---\nicon: home\n---\n# Home\n\nPlain :icon-zap: text.\n",
            "content/guide/index.md": "---\nicon: book\n---\n# Guide\n",
            "content/guide/tabs.md": "---\nicon: beaker\n---\n# Tabs\n\n"
            "+++ One\nA\n+++ Two\nB\n+++\n",
            "content/guide/code.md": "# Code\n\n```python\nx = 1\n```\n",
        }
    )
    result = project.build()
    assert result.ok and not result.report.items, project.messages(result)
    home = project.page("index.html")
    assert links(home) == {"docsite.css", "icons.css", "docsite.js"}
    shared = (project.out / "assets/icons.css").read_text()
    # The sidebar's top (home, guide) and the header are on every page: icons.css.
    assert ".i-home{" in shared and ".i-book{" in shared and ".i-beaker{" not in shared
    (own,) = home.select("head style.page-icons")
    assert ".i-zap{" in own.text and ".i-home{" not in own.text
    tabs = project.page("guide/tabs/index.html")
    assert {"components.css", "components.js"} <= links(tabs)
    assert "pygments.css" not in links(tabs)
    assert ".i-beaker{" in tabs.select_one("head style.page-icons").text  # its open branch
    code = project.page("guide/code/index.html")
    assert "pygments.css" in links(code) and "components.css" not in links(code)
    # The icons docsite.js puts on code blocks' copy buttons.
    own = code.select_one("head style.page-icons").text
    assert ".i-copy{" in own and ".i-check{" in own


def test_only_the_blog_pages_load_the_blog_stylesheet(project):
    project.write(
        {
            "retype.yml": "branding:\n  title: Acme\n",
            "index.md": "# Home\n",
            "blog/index.md": "# News\n",
            "blog/2026-01-15-launch.md": "---\nauthor: Kim\n---\n# Launch\n\nWe launched.\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    assert "blog.css" in links(project.page("blog/2026-01-15-launch/index.html"))
    assert "blog.css" in links(project.page("blog/index.html"))
    assert "blog.css" not in links(project.page("index.html"))
    assert (project.out / "assets/blog.css").is_file()


def test_a_page_own_icon_markup_gets_its_icon(project):
    """`<span class="icon i-rocket">` written in a page's HTML is drawn too."""
    project.write({"content/index.md": '# Home\n\n<span class="icon i-rocket"></span>\n'})
    assert project.build().ok
    assert ".i-rocket{" in project.icon_css("index.html")


def test_generated_pages_get_their_assets_and_no_marker(project):
    project.write({"content/index.md": "---\ntags: [one]\n---\n# Home\n"})
    assert project.build().ok
    for rel in ("tags/index.html", "tags/one/index.html", "404.html", "index.html"):
        text = (project.out / rel).read_text()
        assert "<@" not in text, rel
        assert "docsite.css" in links(project.page(rel)), rel


def test_a_colour_changed_in_components_css_renders_no_page_again(project):
    css = (THEME_ASSETS / "components.css").read_text(encoding="utf-8")
    project.write({"content/index.md": "# Home\n", "static/assets/components.css": css})
    assert project.build().ok
    project.write({"static/assets/components.css": css.replace("#1a7f37", "#1a7f38")})
    again = project.build()
    assert again.ok and again.rendered == 0
    project.write({"static/assets/components.css": css + ".doc p { color: red; }\n"})
    again = project.build()  # now every page with a paragraph needs it
    assert again.ok and again.rendered == again.pages
    assert "components.css" in links(project.page("index.html"))


def test_a_site_base_html_without_page_assets_still_gets_them(project):
    base = (default_theme_dir() / "templates/base.html").read_text(encoding="utf-8")
    project.write(
        {
            "templates/base.html": base.replace("{{ page_assets }}", ""),
            "content/index.md": "# Home\n\n:icon-zap: and\n\n!!!tip\nA tip\n!!!\n",
        }
    )
    assert project.build().ok
    page = project.page("index.html")
    assert "components.css" in links(page)
    assert ".i-zap{" in page.select_one("head style.page-icons").text


def test_what_only_the_sidebar_holds_counts_for_the_page(project):
    """The sidebar goes into the page after its assets are chosen (its classes are found once
    per folder): a selector only the sidebar can match, by a class or by the attribute of
    the page's own link, still links the stylesheet, on the pages that show a sidebar."""
    css = (THEME_ASSETS / "components.css").read_text(encoding="utf-8")
    project.write(
        {
            "content/index.md": "# Home\n",
            "content/guide/index.md": "# Guide\n",
            "content/bare.md": "---\nlayout: central\n---\n# Bare\n",
            "static/assets/components.css": css + ".sidebar .nav-link { color: red; }\n",
        }
    )
    assert project.build().ok
    for rel in ("index.html", "guide/index.html", "404.html"):
        page = project.page(rel)
        assert page.select_one("nav.sidebar a.nav-link") is not None, rel
        assert "components.css" in links(page), rel
        assert "<@" not in (project.out / rel).read_text(), rel
    bare = project.page("bare/index.html")
    assert bare.select_one("nav.sidebar") is None and "components.css" not in links(bare)
    project.write(
        {"static/assets/components.css": css + ".nav-link[aria-current=page] { x: y; }\n"}
    )
    assert project.build().ok
    assert "components.css" in links(project.page("guide/index.html"))


def test_an_attribute_in_a_part_put_in_later_counts():
    needs = split_needs(selector_needs("[data-folder] .nav-link {x: y}"))
    sidebar = '<details data-folder="a"><a class="nav-link">A</a></details>'
    part = PagePart(sidebar, frozenset(page_classes(sidebar)))
    page = "<main><@sidebar><p>text</p></main>"
    classes = page_classes(page) | part.classes
    assert matches(needs, page, classes, (part,))
    assert not matches(needs, page, page_classes(page))
    # A shared sidebar's tag stands for the sidebar it shows: the sidebar's attributes count.
    tag = '<script src="assets/sidebar/x.js"></script>'
    assert matches(needs, page, classes, (PagePart(tag, part.classes, sidebar),))
    assert not matches(needs, page, classes, (PagePart(tag, part.classes),))
