"""Pathological pages build in linear time, or stop with a diagnostic that names the limit.

No timings here: each test checks the structure that makes the work linear (a counter per
slug, one scan per nested block, a bounded autolink window), on inputs that hung before."""

from __future__ import annotations

import random
from types import SimpleNamespace

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors.index import slugify as mdit_slugify
from mdit_py_plugins.anchors.index import unique_slug as mdit_unique_slug
from mdit_py_plugins.gfm import gfm_plugin
from mdit_py_plugins.gfm_autolink import _match, index
from test_markdown import render

from docsite.checks import check_links
from docsite.diagnostics import Severity
from docsite.markdown import make_markdown
from docsite.markdown.components import blocks
from docsite.markdown.guards import AUTOLINK_WINDOW, NESTING_LIMIT
from docsite.markdown.headings import UniqueSlugs, anchor_title, slugify


def test_unique_slugs_number_as_mdit_py_plugins_does():
    rng = random.Random(5)
    titles = [rng.choice(["A", "A 1", "a-1", "A 2", "B", "a-1-1", "A-1"]) for _ in range(300)]
    taken: set[str] = {"a-3"}  # an explicit id
    expected = [mdit_unique_slug(mdit_slugify(t), taken) for t in titles]
    slugs = UniqueSlugs({"a-3"})
    assert [slugs.add(slugify(t)) for t in titles] == expected


def test_20000_same_text_headings_get_unique_ids_in_order(tmp_path):
    count = 20_000  # mdit-py-plugins probed from "-1" on every repeat: 200 million lookups
    rendered, html = render(tmp_path, {"a.md": "## Same\n" * count}, "a.md")
    ids = [heading["id"] for heading in html.find_all("h2")]
    assert ids == ["same"] + [f"same-{n}" for n in range(1, count)]
    assert [entry.id for entry in rendered.toc] == ids


class UnscannedList(list):
    """Anchors that fail the test when searched one by one, as a list is per link."""

    def __contains__(self, item: object) -> bool:
        raise AssertionError("anchors scanned as a list for one link")


def test_links_to_anchors_are_looked_up_in_a_set():
    count = 20_000
    page = SimpleNamespace(
        settings=SimpleNamespace(visibility="public"),
        withheld=False,
        source=SimpleNamespace(shown="a.md"),
    )
    site = SimpleNamespace(by_source={"a.md": page})
    links = [("a.md", f"same-{n}", n, 1) for n in range(count)] + [("a.md", "nope", 1, 1)]
    record = SimpleNamespace(
        page_links=links, anchors=UnscannedList(f"same-{n}" for n in range(count))
    )
    found = check_links(site, {"a.md": record})  # type: ignore[arg-type]
    assert [d.message for d in found] == ["link to '#nope', which is not an anchor on this page"]


def test_nesting_past_the_limit_is_an_error_at_its_line_and_the_rest_of_the_page_stays(
    tmp_path,
):
    deep = {
        "lists.md": "Intro\n\n" + "- " * 5000 + "deep\n\nafter\n",
        "quotes.md": "Intro\n\n" + "> " * 5000 + "deep\n\nafter\n",
        "callouts.md": "Intro\n\n" + "!!! Level\n" * 2000 + "deep\n" + "!!!\n" * 2000 + "\nafter\n",
        "containers.md": "Intro\n\n" + "::: box\n" * 2000 + "deep\n" + ":::\n" * 2000 + "\nafter\n",
    }
    for rel in deep:
        rendered, html = render(tmp_path, deep, rel)  # no RecursionError
        errors = [d for d in rendered.diagnostics if d.severity == Severity.ERROR]
        assert len(errors) == 1, (rel, rendered.diagnostics)
        error = errors[0]
        assert f"more than {NESTING_LIMIT} levels" in error.message
        assert error.file.endswith(rel) and error.line >= 3, error
        if rel in ("lists.md", "quotes.md"):  # all on line 3: at the 100th marker or so
            assert (error.line, error.col) in [(3, 2 * n + 1) for n in range(45, 105)], error
        else:  # a line of its own, with the 50th callout or 100th container
            assert error.col == 1 and 40 < error.line < 110, error
        assert f"the limit is {NESTING_LIMIT}" in error.hint
        assert html.find_all("p")[-1].get_text() == "after", rel  # not swallowed
        assert "deep" in html.get_text()  # shown as text, not dropped


def test_nesting_deeper_than_markdown_it_preset_but_within_the_limit_renders_fully(tmp_path):
    # The commonmark preset stops at 20 levels and silently drops the rest of the page.
    page = "- " * 30 + "deep\n\nafter\n"
    rendered, html = render(tmp_path, {"page.md": page}, "page.md")
    assert not rendered.diagnostics
    assert len(html.find_all("ul")) == 30
    assert html.find_all("li")[-1].get_text() == "deep"
    assert html.find_all("p")[-1].get_text() == "after"


def test_nested_containers_are_scanned_once(tmp_path, monkeypatch):
    depth = 90
    page = "::: box\n" * depth + "deep\n" + ":::\n" * depth
    read = blocks.read_marker
    calls = []
    monkeypatch.setattr(
        blocks, "read_marker", lambda text, kind: calls.append(1) or read(text, kind)
    )
    rendered, html = render(tmp_path, {"page.md": page}, "page.md")
    assert not rendered.diagnostics
    assert len(html.select("div.box")) == depth
    lines = 2 * depth + 1
    # Each of the page's lines is read by the outer scan and tried by each kind's rule a few
    # times; scanning again at every level read about depth * lines / 2 (over 8,000).
    assert len(calls) < 25 * lines


def test_autolink_scanners_see_a_bounded_window(monkeypatch):
    seen: list[int] = []
    match_http = _match.match_http
    monkeypatch.setattr(
        index, "match_http", lambda text: seen.append(len(text)) or match_http(text)
    )
    md = make_markdown()
    line = "see http://a.b " * 2_000 + "https:" * 20_000
    html = md.render(line + "\n")
    assert html.count('<a href="http://a.b">') == 2_000
    # The window, after the back-scanned protocol; before: the rest of the line, each time.
    assert max(seen) <= len("mailto") + AUTOLINK_WINDOW


def test_autolinks_render_as_without_the_guards():
    plain = MarkdownIt("commonmark").use(gfm_plugin)
    ours = make_markdown()
    long_url = "https://example.com/" + "x" * 3000  # within the window
    long_local = "x" * 200 + "." + "y" * 200
    samples = [
        "Go to https://example.com/a?b=c, or www.example.com.",
        "Mail a.b@c.d or mailto:x@y.z and xmpp:u@h.org/r.",
        "x" * 300 + " https:" * 50 + " https://ok.io/path_(x) " + "@" * 10,
        "(www.a.bc) *https://em.io* [l](https://link.io) " + long_url,
        "a_b@c_d.e_f and https://a_b.c_d.e_f.g_h.i.j.k.l.m.n.o.p.q/ end",
        "z " * 100 + f"({long_local}@example.com) mailto:{long_local}@example.org",
        "w" * 500 + " www.x.io " + "ww:" * 100 + "a@" * 100 + "https" * 30 + "://x.io",
    ]
    for sample in samples:
        text = BeautifulSoup(ours.render(sample + "\n"), "html.parser")
        expected = BeautifulSoup(plain.render(sample + "\n"), "html.parser")
        assert [(a["href"], a.get_text()) for a in text.find_all("a")] == [
            (a["href"], a.get_text()) for a in expected.find_all("a")
        ], sample
        assert text.get_text() == expected.get_text(), sample


class UncopiedList(list):
    """Tokens that fail the test when copied from a point on, as a slice copies them."""

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        if isinstance(key, slice):
            raise AssertionError("tokens copied to find one heading's title")
        return super().__getitem__(key)


def test_a_headings_title_is_found_without_copying_the_tokens_after_it():
    """Each heading's title is the next inline token: a page of n headings once copied the
    rest of its tokens for each (100,000 same-text headings took 238 s)."""
    tokens = UncopiedList(make_markdown().parse("## One\n\ntext\n\n## Two [!badge B]\n"))
    openers = [i for i, token in enumerate(tokens) if token.type == "heading_open"]
    # (parsed, each heading has its permalink: a space, then a link)
    assert [anchor_title(tokens, i).strip() for i in openers] == ["One", "Two"]
    assert anchor_title(tokens, len(tokens)) == ""
