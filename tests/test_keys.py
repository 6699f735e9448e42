"""docsite.keys, the one place that decides what invalidates a cached page: a change to any
input of a page moves one of its keys, and a new input cannot be added without saying which.

A key that misses an input shows up as a stale page in some later build; these tests fail at
once instead."""

from __future__ import annotations

import ast
import copy
import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, Project

from docsite import keys
from docsite.backlinks import Backlink
from docsite.cache import content_digest
from docsite.config import HeaderLink, SiteConfig, load_config
from docsite.diagnostics import Report
from docsite.frontmatter import PageSettings
from docsite.icons import IconSet
from docsite.nav import build_nav
from docsite.pages import Page, SiteContent, load_site
from docsite.sources import discover
from docsite.theme import Theme

# ---- Every field of every inputs class is part of its key -----------------------------------


def changed(value: Any) -> Any:
    """Another value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value + "-changed"
    if isinstance(value, Path):
        return value / "changed"
    if isinstance(value, list | tuple):
        return type(value)([*value, changed(value[0]) if value else "added"])
    if isinstance(value, dict):
        return {**value, "added": "value"}
    if value is None:
        return ("added", {})
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    if dataclasses.is_dataclass(value):
        first = dataclasses.fields(value)[0]
        return dataclasses.replace(value, **{first.name: changed(getattr(value, first.name))})
    raise AssertionError(f"no other value for {value!r}: teach changed() its type")


SETTINGS = PageSettings(order=1, label="Label", tags=["a"], date=dt.date(2026, 1, 1))
CONFIG = SiteConfig(root=Path("/docs"), links=(HeaderLink("Home", "/", ""),))

INPUTS = [
    keys.ThemeInputs(
        CONFIG,
        [HeaderLink("Home", "/", "")],
        [HeaderLink("Legal", "/", "")],
        "https://example.com/",
        ["t1"],
        "includes",
    ),
    keys.SiteInputs(
        "assets",
        "includes",
        "theme",
        "variables",
        [("a.md", "label: A", "A")],
        [("content:guide/index.yml", "h")],
        [("static:logo.png", "h")],
        {"a.md": "2026-01-01"},
    ),
    keys.MarkdownSiteInputs("assets", True, "includes"),
    keys.MarkdownInputs("a.md", "a/", "# A\n", 1, "site", None),
    keys.PageInputs(
        "markdown", "context", SETTINGS, "A", "A", "a/", "theme", (Backlink("B", "b/"),)
    ),
]


@pytest.mark.parametrize("inputs", INPUTS, ids=lambda inputs: type(inputs).__name__)
def test_every_field_of_the_inputs_is_in_the_key(inputs):
    before = keys.key_of(inputs)
    for field in dataclasses.fields(inputs):
        after = dataclasses.replace(inputs, **{field.name: changed(getattr(inputs, field.name))})
        assert keys.key_of(after) != before, f"{type(inputs).__name__}.{field.name}"


@pytest.mark.parametrize("value", [CONFIG, SETTINGS], ids=lambda value: type(value).__name__)
def test_every_setting_is_in_the_keys(value):
    """The config and the page settings enter the keys whole: a field hidden from their repr
    would drop out of every key without a word."""
    for field in dataclasses.fields(value):
        other = dataclasses.replace(value, **{field.name: changed(getattr(value, field.name))})
        assert keys.digest(other) != keys.digest(value), f"{type(value).__name__}.{field.name}"


def test_equal_data_has_one_digest_whichever_objects_hold_it():
    """Keys digest megabytes of plain data on every build (marshal's format 2, for speed):
    a string interned or not, one object twice or two equal ones, give the same bytes;
    other values (dataclasses, a Path) are taken by their repr, never as equal plain data."""
    words = ["".join(["page", str(n)]) for n in range(3)]
    one = "".join(["shared", "-", "text"])
    assert keys.digest([("page0", "shared-text")] * 2) == keys.digest(
        [(words[0], one), (words[0], "".join(["shared-", "text"]))]
    )
    assert keys.digest({"a": [1, 2.5, None, True]}) != keys.digest({"a": [1, 2.5, None, 1]})
    assert keys.digest([Path("a")]) == keys.digest([Path("a")]) != keys.digest(["a"])
    assert keys.digest(["a", "b"]) != keys.digest("a", "b") != keys.digest(["ab"])


def test_the_labels_templates_read_are_keyed_by_what_they_are_made_of():
    """`project.labels` holds every locale's words (about 200 KB): the keys and the nonce
    take it as its locale and the config's labels (docsite's own words are the engine's)."""
    from docsite.markdown.templating.variables import project_labels

    english, french = project_labels("en", {}), project_labels("fr", {})
    overridden = project_labels("fr", {"fr": {"search-input-placeholder": "Chercher"}})
    assert english["search-input-placeholder"] != french["search-input-placeholder"]
    assert overridden["search-input-placeholder"] == "Chercher"
    digests = {keys.digest(repr(table)) for table in (english, french, overridden)}
    assert len(digests) == 3 and all(len(repr(t)) < 200 for t in (english, french, overridden))


# ---- Every field of a page is an input of one of its keys -----------------------------------

SITE_FILES = {
    "docsite.yml": "title: Keys\n",
    "content/index.md": "# Home\n",
    "content/guide/index.md": "---\norder: 1\n---\n# Guide\n",
    "content/guide/setup.md": "---\norder: 2\nlabel: Setup\n---\n# Setting up\n\nBody.\n",
    "content/guide/later.md": "---\norder: 3\n---\n# Later\n",
}
PAGE = "guide/setup.md"  # the page whose fields change
NEIGHBOUR = "guide/later.md"  # shows PAGE in its sidebar and as its previous page


def load(project: Project) -> tuple[SiteConfig, SiteContent]:
    project.write(SITE_FILES)
    report = Report()
    config = load_config(project.root, None, report)
    found = discover(config.content_dir, config.input, report, (), (config.root,))
    site = load_site(found, report)
    assert not report.items, [d.format() for d in report.items]
    return config, site


def page_keys(config: SiteConfig, site: SiteContent, index: int) -> dict[str, str]:
    """The site key and the Markdown and page keys of site.pages[index], as a build works them
    out: the nav and the theme made anew from the pages."""
    theme = Theme(config, build_nav(site), IconSet(), [], [])
    shared = keys.shared_keys(config, site, theme, {}, [])
    page = site.pages[index]
    markdown = keys.key_of(keys.markdown_inputs(page, shared))
    return {
        "site": shared.site,
        "markdown": markdown,
        "page": keys.key_of(keys.page_inputs(page, markdown, theme, shared)),
    }


# Each field of Page: how it changes, and the keys that must move, of the page itself and of a
# neighbour that shows it. A new field of Page fails test_the_table_names_every_field_of_a_page
# until it is added here, with the key that covers it.
Change = Callable[[Any], Any]
PAGE_FIELDS: dict[str, tuple[Change, set[str], set[str]]] = {
    # The path names the page in messages and its cache files; its URL and folder follow it.
    "source": (lambda s: dataclasses.replace(s, rel="guide/moved.md"), {"markdown"}, set()),
    # The settings, as checked: shown in the page (its badge, description, layout...).
    "settings": (lambda s: dataclasses.replace(s, description="new"), {"page"}, set()),
    "body": (lambda body: body + "More.\n", {"markdown"}, set()),
    "body_line": (lambda line: line + 1, {"markdown"}, set()),  # positions in messages
    "folder": (lambda folder: "", {"page"}, set()),  # whose sidebar list it is in
    "is_index": (lambda is_index: not is_index, {"page"}, {"page"}),  # the folder's own page
    "url": (lambda url: "guide/elsewhere/", {"markdown", "page"}, {"page"}),
    "label": (lambda label: "Renamed", {"page"}, {"page"}),
    "title": (lambda title: "New title", {"page"}, set()),
    # The settings and title as written: every page's nav and links may show them.
    "h1": (lambda h1: "Set up", {"site"}, {"site"}),
    "yaml_text": (lambda text: text + "icon: gear\n", {"site"}, {"site"}),
    # The frontmatter's template lines, run before the body, and the line they start at.
    "prelude": (lambda prelude: prelude + '{{ include "x" }}', {"markdown"}, set()),
    "yaml_line": (lambda line: line + 1, set(), set()),  # matters with a prelude: below
    # Always the config's `urls` (Retype's generator), which the theme key holds (the config)
    # and the Markdown key (MarkdownSiteInputs.urls).
    "style": (lambda style: dataclasses.replace(style, index_name="default.htm"), set(), set()),
}


def test_where_the_frontmatter_starts_matters_with_template_lines(project):
    config, site = load(project)
    page = site.pages[0]
    page.prelude = "{{ x = 1 }}"
    before = keys.key_of(
        keys.markdown_inputs(
            page,
            keys.shared_keys(
                config, site, Theme(config, build_nav(site), IconSet(), [], []), {}, []
            ),
        )
    )
    page.yaml_line += 1
    after = keys.key_of(
        keys.markdown_inputs(
            page,
            keys.shared_keys(
                config, site, Theme(config, build_nav(site), IconSet(), [], []), {}, []
            ),
        )
    )
    assert before != after


def test_the_table_names_every_field_of_a_page():
    assert set(PAGE_FIELDS) == {field.name for field in dataclasses.fields(Page)}


@pytest.mark.parametrize("name", PAGE_FIELDS)
def test_a_change_to_any_field_of_a_page_moves_its_keys(project, name):
    config, site = load(project)
    change, own_keys, neighbour_keys = PAGE_FIELDS[name]
    index = {page.source.rel: i for i, page in enumerate(site.pages)}
    before = {rel: page_keys(config, site, index[rel]) for rel in (PAGE, NEIGHBOUR)}
    edited = copy.deepcopy(site)
    page = edited.pages[index[PAGE]]
    setattr(page, name, change(getattr(page, name)))
    after = {rel: page_keys(config, edited, index[rel]) for rel in (PAGE, NEIGHBOUR)}
    for rel, expected in ((PAGE, own_keys), (NEIGHBOUR, neighbour_keys)):
        moved = {key for key in before[rel] if before[rel][key] != after[rel][key]}
        assert expected <= moved, f"{name} changed; {rel}'s keys that moved: {moved}"


# Where the site's load gets each field of a page: the build takes the site as the last
# full load left it while every page changed since has the same keys.load_facts
# (docsite.build.lastsite), and puts in it the body read again. A field the load took of the
# file besides those would leave a kept page stale: place it here, and add it to
# keys.LOADED_FROM_FILE.
LOAD_FIELDS = {
    **{name: "its facts (keys.LOADED_FROM_FILE)" for name in keys.LOADED_FROM_FILE},
    "body": "read again",
    "source": "its path",
    "folder": "its path",
    "is_index": "its path, and the other pages' (every file found is in keys.load_key)",
    "settings": "its frontmatter (a fact) and its settings file (an input of its own)",
    "label": "its settings, first heading and path",
    "title": "its settings, first heading and label",
    "url": "the load, from the above and the config",
    "style": "the config",
}


def test_the_load_table_places_every_field_of_a_page():
    assert set(LOAD_FIELDS) == {field.name for field in dataclasses.fields(Page)}


@pytest.mark.parametrize("name", keys.LOADED_FROM_FILE)
def test_a_page_read_again_otherwise_than_loaded_has_other_facts(project, name):
    _, site = load(project)
    loaded = site.by_source[PAGE]
    read = copy.copy(loaded)
    read.body += "More.\n"
    assert keys.load_facts(read) == keys.loaded_facts(loaded)
    setattr(read, name, PAGE_FIELDS[name][0](getattr(read, name)))
    assert keys.load_facts(read) != keys.loaded_facts(loaded)


def test_no_page_read_again_has_the_facts_of_a_withheld_page(project):
    _, site = load(project)
    loaded = site.by_source[PAGE]
    loaded.settings.visibility = "protected"
    assert keys.load_facts(copy.copy(loaded)) != keys.loaded_facts(loaded)


def test_an_unchanged_site_has_the_same_keys(project):
    config, site = load(project)
    for index in range(len(site.pages)):
        assert page_keys(config, site, index) == page_keys(config, copy.deepcopy(site), index)


# What a link shows of a page, each changed as a writer changes it: the site key moves with
# each, which is why a rebuild whose site key held does not look them up again
# (DependencyValues.unchanged).
LINK_FACT_EDITS = {
    "label": {"content/guide/setup.md": "---\norder: 2\nlabel: Install\n---\n# Setting up\n"},
    "title": {"content/guide/setup.md": "---\norder: 2\n---\n# Installing\n"},
    "description": {
        "content/guide/setup.md": "---\norder: 2\nlabel: Setup\ndescription: How\n---\n# S\n"
    },
    "image": {"content/guide/setup.md": "---\norder: 2\nlabel: Setup\nimage: a.png\n---\n# S\n"},
    "date": {"content/guide/setup.md": "---\norder: 2\nlabel: Setup\ndate: 2026-01-02\n---\n"},
    "icon": {"content/guide/setup.md": "---\norder: 2\nlabel: Setup\nicon: rocket\n---\n"},
    "permalink": {"content/guide/setup.md": "---\norder: 2\npermalink: /go\n---\n# S\n"},
    "settings file": {"content/guide/setup.yml": "description: From its file\n"},
    "folder permalink": {"content/guide/index.md": "---\norder: 1\npermalink: /g\n---\n# G\n"},
    "file renamed": {"content/guide/setup.md": None, "content/guide/install.md": "# S\n"},
}


def site_key(project: Project) -> tuple[str, tuple]:
    """The site key as a build works it out (the settings files among its inputs), and
    what a link shows of PAGE."""
    report = Report()
    config = load_config(project.root, None, report)
    found = discover(config.content_dir, config.input, report, (), (config.root,))
    site = load_site(found, report)
    files = {
        keys.content_input(rel): (content_digest(Path(source.os_path).read_bytes()), (0,))
        for rel, source in found.settings.items()
    }
    theme = Theme(config, build_nav(site), IconSet(), [], [])
    return keys.shared_keys(config, site, theme, files, []).site, keys._link_facts(site, PAGE)


@pytest.mark.parametrize("name", sorted(LINK_FACT_EDITS))
def test_what_a_link_shows_of_a_page_moves_the_site_key(project, name):
    project.write(SITE_FILES)
    key, facts = site_key(project)
    for rel, text in LINK_FACT_EDITS[name].items():
        if text is None:
            (project.root / rel).unlink()
        else:
            project.write({rel: text})
    edited_key, edited_facts = site_key(project)
    assert edited_facts != facts and edited_key != key


# ---- Input names are made in docsite.keys alone ---------------------------------------------

PREFIXES = (*(f"{kind}:" for kind in keys.InputKind), "file:", "live:")


def test_input_names_are_spelled_only_in_the_keys_module():
    spelled = []
    for path in sorted((REPO / "docsite").rglob("*.py")):
        if path.name == "keys.py" and path.parent.name == "docsite":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and str(node.value).startswith(PREFIXES):
                spelled.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value!r}")
    assert not spelled, "use docsite.keys' functions:\n" + "\n".join(spelled)


def test_the_inputs_from_a_folder_are_found_by_their_names(tmp_path):
    folder, other = tmp_path / "static", tmp_path / "theme"
    names = [
        keys.input_name(keys.InputKind.STATIC, "guide.md", folder),
        keys.input_name(keys.InputKind.STATIC, "a/b@c.md", folder),
        keys.input_name(keys.InputKind.STATIC, "theirs.md", other),
        keys.input_name(keys.InputKind.TEMPLATE, "page.html", folder),
        keys.content_input("guide.md"),
    ]
    assert keys.inputs_from(names, keys.InputKind.STATIC, folder) == {"guide.md", "a/b@c.md"}


def test_an_input_name_says_its_kind_and_path():
    name = keys.project_input("snippets/a.py")
    assert keys.kind_of(name) is keys.InputKind.PROJECT
    assert keys.project_rel(name) == "snippets/a.py"
    assert keys.project_rel(keys.content_input("a.md")) is None
    assert keys.dependency_file(keys.file_dependency("x/y.md")) == "x/y.md"
    assert keys.dependency_file("guide/a.md") is None  # a linked page


def test_a_dependency_shared_by_pages_is_worked_out_once_and_checked_for_each(project, monkeypatch):
    """A rebuild checks every page's dependencies: each dependency's value now is worked out
    once (`DependencyValues`), and each page compares its record's values with it."""
    _, site = load(project)
    looked_up: list[str] = []
    facts = keys._link_facts

    def counting(site: SiteContent, rel: str) -> tuple:
        looked_up.append(rel)
        return facts(site, rel)

    monkeypatch.setattr(keys, "_link_facts", counting)
    files = {keys.project_input("snippets/a.py"): ("hash-a", 0, 0)}
    values = keys.DependencyValues(site, files)
    recorded = keys.dependencies_of(site, [PAGE, NEIGHBOUR], {"snippets/a.py": "hash-a"})
    looked_up.clear()
    assert all(values.unchanged(recorded) for _ in range(3))  # three pages with these links
    assert sorted(looked_up) == sorted([PAGE, NEIGHBOUR])
    assert values.snapshot(recorded) == recorded == keys.snapshot(site, files, recorded)
    assert not values.unchanged({**recorded, keys.file_dependency("snippets/a.py"): ("old",)})
    assert not values.unchanged({**recorded, PAGE: ("guide/setup/", "Old label")})
