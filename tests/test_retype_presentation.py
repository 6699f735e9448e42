"""Retype's presentation keys, each read from a small Retype project: actions, the rest of
branding, breadcrumb.home, hub, lastUpdated, theme, search.include/exclude, the templating
options; and the one warning that names the keys with no meaning for docsite."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import Project

from docsite import search
from docsite.config import load_config
from docsite.diagnostics import Report
from docsite.presentation import THEME_ALIASES, THEME_RULES


def build(project: Project, config: str, pages: dict[str, str] | None = None) -> list[str]:
    """Builds a Retype project with `config` as its retype.yml; its messages."""
    project.write({"retype.yml": config, **(pages or PAGES)})
    result = project.build()
    assert result.ok, project.messages(result)
    return project.messages(result)


PAGES = {
    "index.md": "# Home\n\nWelcome.\n",
    "guide/index.md": "# Guide\n",
    "guide/setup.md": "# Setup\n\nThe steps.\n",
}


def declarations(block: str) -> dict[str, str]:
    """`--a:1;--b:var(--c)` -> {"--a": "1", "--b": "var(--c)"}."""
    pairs = (item.split(":", 1) for item in block.split(";") if item)
    return {name.strip(): value.strip() for name, value in pairs}


def theme_blocks(project: Project, rel: str) -> dict[str, dict[str, str]]:
    """The theme style sheet of a page, by selector (the media block under its query)."""
    style = project.page(rel).select_one("style#theme-variables")
    assert style is not None
    blocks: dict[str, dict[str, str]] = {}
    for line in style.get_text().splitlines():
        selector, _, body = line.partition("{")
        if selector.startswith("@media"):
            selector, _, body = body.partition("{")
            selector = "@media " + selector
            body = body.removesuffix("}")
        blocks[selector] = declarations(body.rstrip("}"))
    return blocks


# ---- actions -------------------------------------------------------------------------------


ACTIONS = """\
actions:
  items:
    - text: Copy page
      action: copy-page-markdown
      icon: copy
    - type: separator
    - text: Open in ChatGPT
      action: open-in-chatgpt
    - type: separator
    - text: Print page
      action: print-page
    - text: Issues
      link: https://github.com/acme/docs/issues
      target: blank
      description: Report a problem
"""


def test_actions_items_make_the_page_action_menu(project: Project):
    messages = build(project, ACTIONS)
    menu = project.page("guide/setup/index.html").select_one("article .page-actions")
    items = menu.select(".page-actions-items > li")
    shown = [
        "separator" if "page-actions-separator" in (li.get("class") or []) else li.get_text(" ")
        for li in items
    ]
    # The custom action is left out, and the two separators around it become one.
    assert [" ".join(s.split()) for s in shown] == [
        "Copy page",
        "separator",
        "Print page",
        "Issues Report a problem",
    ]
    copy = items[0].button
    assert copy["data-action"] == "copy-page-markdown"
    assert copy["data-markdown"] == "../../guide/setup.md"
    link = items[3].a
    assert (link["href"], link["target"]) == ("https://github.com/acme/docs/issues", "_blank")
    [warning] = [m for m in messages if "open-in-chatgpt" in m]
    assert warning.startswith(
        "retype.yml:8:15: warning: 'Open in ChatGPT' runs the action 'open-in-chatgpt', which is"
    )


def test_actions_enabled_false_hides_the_menu(project: Project):
    build(project, ACTIONS.replace("actions:\n", "actions:\n  enabled: false\n"))
    assert project.page("guide/setup/index.html").select_one(".page-actions") is None


def test_no_action_items_no_menu(project: Project):
    build(project, "branding:\n  title: Acme\n")
    assert project.page("index.html").select_one(".page-actions") is None


# ---- branding ------------------------------------------------------------------------------


BRANDING = """\
branding:
  title: Acme
  logo: static/logo.svg
  logoDark: static/logo-dark.svg
  logoWidth: 120
  logoHeight: 30
  logoAlign: right
  baseColor: "#8839ef"
  label: v2
  colors:
    label:
      text: "#ffffff"
      background: "#d20f39"
"""
LOGOS = {"static/logo.svg": "<svg/>", "static/logo-dark.svg": "<svg/>"}


def test_branding_logo_size_align_base_colour_and_label_colours(project: Project):
    build(project, BRANDING, {**PAGES, **LOGOS})
    page = project.page("index.html")
    title = page.select_one("a.site-title")
    assert "site-title-logo-right" in title["class"]
    assert title.select_one(".site-title-text").get_text() == "Acme"
    for img in title.select("img"):
        assert img["style"] == "width: 120px; height: 30px;"
        assert img["alt"] == ""  # the title beside it names the link
    blocks = theme_blocks(project, "index.html")
    light = blocks[":root"]
    assert light["--base-color"] == "#8839ef"
    assert light["--accent"] == light["--link"] == "var(--base-color)"
    assert light["--branding-label-text"] == "#ffffff"
    assert light["--branding-label-bg"] == "#d20f39"
    assert blocks[".site-label"] == {
        "background": "var(--branding-label-bg)",
        "color": "var(--branding-label-text)",
    }
    # The base colour is Retype's in the dark scheme too: nothing there overrides it.
    assert blocks[":root[data-theme=dark]"]["--accent"] == "var(--base-color)"


def test_a_logo_alone_keeps_its_alt_text_and_the_theme_size(project: Project):
    build(project, "branding:\n  logo: static/logo.svg\n  logoAlign:\n", {**PAGES, **LOGOS})
    title = project.page("index.html").select_one("a.site-title")
    assert title.get("class") == ["site-title"] and title.select_one(".site-title-text") is None
    assert not title.img.has_attr("style")
    assert project.page("index.html").select_one("style#theme-variables") is None


def test_logo_height_alone_keeps_the_proportions(project: Project):
    build(project, "branding:\n  logo: static/logo.svg\n  logoHeight: 31\n", {**PAGES, **LOGOS})
    assert project.page("index.html").select_one(".site-title img")["style"] == (
        "height: 31px; width: auto;"
    )


# ---- breadcrumb.home -----------------------------------------------------------------------


def crumbs(project: Project, rel: str) -> list[str]:
    return [li.get_text() for li in project.page(rel).select("nav.breadcrumbs li")]


def test_breadcrumb_home_defaults_to_the_home_page_label_in_retype_projects(project: Project):
    build(project, "branding:\n  title: Acme\n")
    assert crumbs(project, "guide/setup/index.html") == ["Home", "Guide"]
    home = project.page("guide/setup/index.html").select_one(".breadcrumb-home a")
    assert home["href"] == "../../"


def test_breadcrumb_home_label_icon_emoji_and_false(project: Project):
    build(project, "breadcrumb:\n  home: Start\n")
    assert crumbs(project, "guide/setup/index.html") == ["Start", "Guide"]
    build(project, 'breadcrumb:\n  home: ":icon-home:"\n')
    home = project.page("guide/setup/index.html").select_one(".breadcrumb-home a")
    assert home.select_one(".icon.i-home") is not None and home["aria-label"] == "Home"
    build(project, 'breadcrumb:\n  home: ":rocket: Docs"\n')
    assert crumbs(project, "guide/setup/index.html") == ["\U0001f680 Docs", "Guide"]
    build(project, "breadcrumb:\n  home: false\n")
    assert crumbs(project, "guide/setup/index.html") == ["Guide"]


def test_docsite_yml_has_no_home_crumb_unless_asked(project: Project):
    project.write({"docsite.yml": "title: T\n", **{f"content/{k}": v for k, v in PAGES.items()}})
    assert project.build().ok
    assert crumbs(project, "guide/setup/index.html") == ["Guide"]


# ---- hub -----------------------------------------------------------------------------------


def test_hub_link_alt_and_target(project: Project):
    build(
        project, "hub:\n  link: https://example.com/\n  alt: Go to example.com\n  target: blank\n"
    )
    hub = project.page("guide/setup/index.html").select_one(".site-header a.hub-link")
    assert hub["href"] == "https://example.com/"
    assert hub["title"] == hub["aria-label"] == "Go to example.com"
    assert (hub["target"], hub["rel"]) == ("_blank", ["noopener"])
    # The hub comes before the site's title, at the left of the header.
    header = project.page("index.html").select_one(".site-header")
    links = [a.get("class")[0] for a in header.find_all("a", recursive=False)]
    assert links[:2] == ["hub-link", "site-title"]


def test_a_local_hub_path_is_a_link_from_the_page(project: Project):
    build(project, "hub:\n  link: guide/\n")
    assert project.page("guide/setup/index.html").select_one("a.hub-link")["href"] == (
        "../../guide/"
    )
    build(project, "hub:\n  link: /\n")  # from the domain's root: as written
    assert project.page("guide/setup/index.html").select_one("a.hub-link")["href"] == "/"
    build(project, "branding:\n  title: A\n")
    assert project.page("index.html").select_one("a.hub-link") is None


def test_a_hub_to_a_page_links_to_its_url_and_a_missing_page_is_an_error(project: Project):
    build(project, "hub:\n  link: /guide/setup.md#steps\n")
    assert project.page("guide/index.html").select_one("a.hub-link")["href"] == (
        "../guide/setup/#steps"
    )
    project.write({"retype.yml": "hub:\n  link: gone.md\n"})
    result = project.build()
    (error,) = result.report.errors
    assert error.file == "retype.yml" and "'gone.md'" in error.message


# ---- lastUpdated ---------------------------------------------------------------------------


def commit(root: Path) -> None:
    """One commit of everything, by an author other than its committer, on other dates."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ada Author",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_AUTHOR_DATE": "2025-01-02T10:00:00+00:00",
        "GIT_COMMITTER_NAME": "Carl Committer",
        "GIT_COMMITTER_EMAIL": "carl@example.com",
        "GIT_COMMITTER_DATE": "2025-03-04T10:00:00+00:00",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "pages"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def footer(project: Project, rel: str) -> str:
    shown = project.page(rel).select_one(".edit-link .last-updated")
    return " ".join(shown.get_text().split()) if shown is not None else ""


@pytest.mark.parametrize(
    ("config", "shown"),
    [
        ("branding:\n  title: A\n", ""),  # Retype's default: nothing
        ("lastUpdated:\n  date:\n    enabled: true\n", "Last updated 2025-03-04"),
        (
            "lastUpdated:\n  date:\n    enabled: true\n    source: author\n"
            "  by:\n    enabled: true\n",
            "Last updated 2025-01-02 by Carl Committer",
        ),
        (
            "lastUpdated:\n  by:\n    enabled: true\n    source: author\n",
            "Last updated by Ada Author",
        ),
    ],
)
def test_last_updated_date_and_by_from_git(project: Project, config: str, shown: str):
    project.write({"retype.yml": config, **PAGES})
    commit(project.root)
    result = project.build()
    assert result.ok, project.messages(result)
    assert footer(project, "guide/setup/index.html") == shown


def test_a_page_s_own_last_updated_is_shown_whatever_the_project_says(project: Project):
    pages = {**PAGES, "guide/setup.md": "---\nlastUpdated: 2024-06-01\n---\n# Setup\n"}
    build(project, "branding:\n  title: A\n", pages)
    assert footer(project, "guide/setup/index.html") == "Last updated 2024-06-01"


# ---- theme ---------------------------------------------------------------------------------


THEME = """\
theme:
  base:
    base-bg: "#eff1f5"
    base-link-weight: 500
    layout-blog-width-of-nothing: 80rem;
    gray-100: var(--gray-50)
  dark:
    base-color: "#ca9ee6"
    base-bg: "#303446"
"""


def test_theme_base_and_dark_variables(project: Project):
    messages = build(project, THEME)
    blocks = theme_blocks(project, "index.html")
    light, dark = blocks[":root"], blocks[":root[data-theme=dark]"]
    assert light["--base-bg"] == "#eff1f5" and light["--bg"] == "var(--base-bg)"
    assert light["--gray-100"] == "var(--gray-50)"
    assert light["--layout-blog-width-of-nothing"] == "80rem"  # Retype's ';' left out
    assert "--accent" not in light  # the base colour is set for the dark scheme only
    assert dark["--base-color"] == "#ca9ee6" and dark["--accent"] == "var(--base-color)"
    assert dark["--base-bg"] == "#303446" and dark["--bg"] == "var(--base-bg)"
    assert blocks["@media :root:not([data-theme=light])"] == dark
    assert blocks[".doc a"] == {"font-weight": "var(--base-link-weight)"}
    [warning] = [m for m in messages if "theme variable" in m]
    assert warning.startswith(
        "retype.yml:5:5: warning: theme variable 'layout-blog-width-of-nothing' has no "
        "counterpart in docsite's theme"
    )


def test_a_light_background_leaves_the_dark_scheme_alone(project: Project):
    build(project, 'theme:\n  base:\n    base-bg: "#eff1f5"\n')
    assert set(theme_blocks(project, "index.html")) == {":root"}


def test_a_theme_value_that_could_end_the_style_sheet_is_an_error(tmp_path: Path):
    (tmp_path / "retype.yml").write_text(
        'theme:\n  base:\n    base-color: "red}</style><script>x()</script>"\n'
    )
    report = Report()
    config = load_config(tmp_path, None, report)
    [error] = report.errors
    assert (error.line, error.col) == (3, 17)
    assert "is not a CSS value docsite can write" in error.message
    assert config.theme_light == {} and config.theme_css == ""


def test_every_docsite_variable_the_theme_sets_is_one_of_its_style_sheets():
    """The aliases and rules name docsite's own variables and selectors: a renamed one
    would make a configured colour silently do nothing."""
    css = " ".join(p.read_text() for p in Path("static/assets").glob("*.css"))
    for own in {name for names in THEME_ALIASES.values() for name in names} | {
        "accent-bg",
        "bg-soft",
        "bg-code",
        "border",
    }:
        assert f"--{own}:" in css, own
    for selector, _ in THEME_RULES.values():
        first = selector.split(":is(")[0].split("[")[0].split(":")[0].strip().split(" ")[0]
        assert not first or first in css, selector


# ---- search --------------------------------------------------------------------------------


def fragments(site: Path) -> set[str]:
    found = set()
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        record = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found.add(record["url"])
    return found


@pytest.mark.skipif(not search.binary_available(), reason="the Pagefind binary is not installed")
def test_search_exclude_and_include_leave_pages_out_of_the_index(project: Project):
    pages = {**PAGES, "blog/index.md": "# Blog\n", "blog/kept.md": "# Kept\n"}
    build(project, "search:\n  exclude:\n    - /blog\n  include:\n    - blog/kept.md\n", pages)
    assert fragments(project.out) == {"/", "/guide/", "/guide/setup/", "/blog/kept/"}
    assert project.page("blog/index.html").select_one("article") is not None  # still built


def test_search_mode_and_preload_say_what_docsite_does(tmp_path: Path):
    (tmp_path / "retype.yml").write_text(
        "search:\n  mode: full\n  preload: false\ntemplating:\n  liquid: false\n"
    )
    report = Report()
    load_config(tmp_path, None, report)
    assert report.items == []  # docsite's own behaviour: nothing to say
    (tmp_path / "retype.yml").write_text("search:\n  mode: basic\n  preload: true\n")
    load_config(tmp_path, None, report := Report())
    warned = [(d.line, d.message) for d in report.warnings]
    assert [line for line, _ in warned] == [2, 3]
    assert "'search.mode' asks for 'basic', which docsite does not do" in warned[0][1]
    assert "'search.preload' asks for True" in warned[1][1] and "file://" in warned[1][1]


def test_a_search_pattern_that_cannot_be_read_is_an_error(tmp_path: Path):
    (tmp_path / "retype.yml").write_text("search:\n  exclude:\n    - '[z-a]'\n")
    report = Report()
    config = load_config(tmp_path, None, report)
    [error] = report.errors
    assert error.line == 3 and "'search.exclude' pattern" in error.message
    assert config.search.exclude == ()


# ---- templating ----------------------------------------------------------------------------


def test_templating_loop_limit_counts_each_loop(project: Project):
    page = {"index.md": "# Home\n\n{{ for i in 1..4 }}{{ i }}{{ end }}\n"}
    project.write({"retype.yml": "templating:\n  loopLimit: 3\n", **page})
    result = project.build()
    [error] = result.report.errors
    assert (error.file, error.line) == ("index.md", 3)
    assert "a loop ran more than 3 times" in error.message and "loopLimit" in error.hint
    project.write({"retype.yml": "templating:\n  loopLimit: 0\n"})
    assert project.build().ok
    assert project.page("index.html").select_one("article p").get_text() == "1234"


def test_templating_namespace(project: Project):
    page = {
        "index.md": "# Home\n\n{{ my.docs.project.branding.title }} / {{ my.docs.page.title }}"
        " / {{ version }}\n"
    }
    build(
        project,
        "branding:\n  title: Acme\ndata:\n  version: 2\ntemplating:\n  namespace: my.docs\n",
        page,
    )
    assert project.page("index.html").select_one("article p").get_text() == "Acme / Home / 2"


def test_templating_liquid_true_is_a_reasoned_warning(tmp_path: Path):
    (tmp_path / "retype.yml").write_text("templating:\n  liquid: true\n")
    report = Report()
    load_config(tmp_path, None, report)
    [warning] = report.warnings
    assert "'templating.liquid' asks for True" in warning.message
    assert "Scriban" in warning.message


# ---- keys with no meaning for docsite ------------------------------------------------------


def test_keys_that_mean_nothing_for_docsite_are_one_warning(tmp_path: Path):
    (tmp_path / "retype.yml").write_text(
        "start:\n  pro: true\ncache:\n  strategy: query\neditor:\n  enabled: true\n"
        "license: ABC\nserve:\n  watch:\n    mode: memory\n    validation: fast\n"
    )
    report = Report()
    load_config(tmp_path, None, report)
    [warning] = report.warnings
    assert (warning.line, warning.col) == (1, 1)
    for key in ("'start'", "'cache'", "'editor'", "'license'", "'serve.watch.mode'"):
        assert key in warning.message
    assert "'serve.watch.validation' (docsite finds changed files" in warning.message


# ---- every key of Retype's project configuration is mapped or explained -------------------

# The keys of Retype's project configuration page (configuration/project.md), one per heading,
# as dotted paths; `license` is an older key of Retype's, left out with the others.
_KEYS_TEXT = """
actions.enabled actions.items
backlinks.enabled backlinks.title backlinks.maxResults backlinks.exclude backlinks.include
branding.baseColor branding.label branding.colors.label branding.logo branding.logoDark
branding.logoWidth branding.logoHeight branding.logoAlign branding.title
breadcrumb.enabled breadcrumb.home breadcrumb.separator
blog.base blog.layout blog.maxResults blog.pageSize blog.title blog.rss.maxResults
blog.rss.title blog.rss.description blog.rss.copyright blog.rss.imageUrl
cache.strategy cache.token cname data edit.repo edit.base edit.branch edit.label
editor.enabled exclude extends favicon footer.copyright footer.links
generator.directoryIndex.altNames generator.directoryIndex.append
generator.directoryIndex.name generator.paths generator.recase generator.trailingSlash
hub.link hub.alt hub.target include input
integrations.googleAnalytics integrations.googleTagManager integrations.gravatar.default
integrations.gravatar.enabled integrations.plausible.domain integrations.plausible.host
labels lastUpdated.date.enabled lastUpdated.date.source lastUpdated.by.enabled
lastUpdated.by.source links.action links.icon links.iconAlign links.items links.link
links.target links.text links.title locale locale.dateFormat markdown.lineBreaks meta.title
meta.siteName nav.mode nav.icons.mode nav.tags.enabled nav.tags.limit nav.tags.include
nav.tags.exclude nav.tags.title nav.tags.layout nav.tags.align nav.tags.order
nav.tags.variant nextprev.mode outbound.enabled outbound.custom outbound.icon
outbound.iconAlign outbound.target outbound.exclude outbound.include output poweredByRetype
scheme.mode search.exclude search.include search.excludeCode search.hotkeys
search.maxResults search.minChars search.mode search.noResultsFoundMsg search.placeholder
search.preload serve.host serve.port serve.watch.mode serve.watch.polling
serve.watch.validation showSidebarFilter snippets.lineNumbers start.open start.pro
start.debounce templating.enabled templating.liquid templating.loopLimit
templating.namespace theme.base theme.dark toc.depth toc.label url license
"""
RETYPE_KEYS = _KEYS_TEXT.split()
KEY_TABLE = Path(__file__).parent.parent / "content" / "migrating" / "retype-yml.md"


def key_table() -> dict[str, tuple[str, str]]:
    """The table of content/migrating/retype-yml.md: Retype key -> (docsite.yml, notes)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(KEY_TABLE.read_text())
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(token.content)
    table: dict[str, tuple[str, str]] = {}
    for retype, docsite, notes in rows[1:]:
        for key in re.findall(r"`([^`]+)`", retype):
            assert key not in table, f"{key} has two rows"
            table[key] = (docsite.strip(), notes.strip())
    return table


def test_every_retype_key_is_mapped_or_explained():
    from docsite import retype_config

    table = key_table()
    handled = {
        *retype_config._MAPPING,
        *retype_config._NOT_FOR_DOCSITE,
        *retype_config._ONLY_AS_DOCSITE,
    }
    for key in RETYPE_KEYS:
        assert key in table, f"{key} is not in {KEY_TABLE.name}"
        docsite, notes = table[key]
        assert notes, f"{key}: say what it does in docsite"
        path = tuple(key.split("."))
        read = any(m[: len(path)] == path or path[: len(m)] == m for m in handled)
        assert not (read and notes.startswith("Not read")), f"{key} is read: say what it does"
        if docsite:
            assert read, f"{key} is given a docsite.yml name, but retype_config does not map it"
        elif path in retype_config._NOT_FOR_DOCSITE or path[:1] in retype_config._NOT_FOR_DOCSITE:
            assert notes.startswith("Left out"), key
    # And the other way: every key the translation knows is in the table.
    rows = [tuple(key.split(".")) for key in table]
    for path in handled:
        assert any(row[: len(path)] == path or path[: len(row)] == row for row in rows), (
            f"{'.'.join(path)} is read but not in {KEY_TABLE.name}"
        )
