"""Retype's components (docsite/markdown/components/): HTML structure and diagnostics.

Whole pages of HTML, Markdown in and HTML out, are cases in tests/fixtures/markdown/ instead
(tests/test_fixtures.py); here are what a case cannot say: diagnostics, positions, options."""

from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import write_files

from docsite.diagnostics import Report, Severity
from docsite.markdown import MarkdownRenderer
from docsite.markdown.code import parse_fence_info
from docsite.pages import load_site
from docsite.sources import discover

OTHER_PAGES = {
    "guide.md": "---\ndescription: Set things up.\nimage: img/shot.png\n---\n# The guide\n",
    "img/shot.png": b"\x89PNG",
    "files/spec.pdf": b"%PDF" + b"x" * 2044,
}


def render(tmp_path, body, extra=None):
    write_files(tmp_path, {"a.md": body, **OTHER_PAGES, **(extra or {})})
    report = Report()
    site = load_site(discover(tmp_path, "content", report), report)
    rendered = MarkdownRenderer(site).render(site.by_source["a.md"])
    return rendered, BeautifulSoup(rendered.html, "html.parser")


def problems(rendered):
    return [(d.line, d.col, d.severity, d.message) for d in rendered.diagnostics]


# Callouts ---------------------------------------------------------------------------------


def test_callout_with_variant_and_markdown_title(tmp_path):
    rendered, html = render(tmp_path, "!!!warning Careful :zap: **now**\nBody *text*\n!!!\n")
    callout = html.select_one("div.callout.callout-warning")
    assert callout.select_one(".callout-title").text == "Careful ⚡ now"
    assert callout.select_one(".callout-title strong").text == "now"
    assert callout.select_one(".callout-body em").text == "text"
    assert not rendered.diagnostics


def test_unknown_variant_warns_with_did_you_mean(tmp_path):
    rendered, html = render(tmp_path, "Intro\n\n!!!warnign Title\nx\n!!!\n")
    ((line, col, severity, message),) = problems(rendered)
    assert (line, col, severity) == (3, 1, Severity.WARNING) and "warnign" in message
    assert "'warning'" in rendered.diagnostics[0].hint
    assert "callout-primary" in html.select_one(".callout")["class"]


def test_callouts_nest_by_pairing_titled_openers_with_closers(tmp_path):
    body = "!!!info Outer\n!!!tip Inner\ninner\n!!!\nafter\n!!!\n"
    rendered, html = render(tmp_path, body)
    outer = html.select_one(".callout-info")
    assert outer.select_one(".callout-tip .callout-body").text.strip() == "inner"
    assert outer.select_one(":scope > .callout-body > p").text == "after"
    assert not rendered.diagnostics


def test_an_unclosed_callout_runs_to_the_end_with_a_warning_at_its_opening_line(tmp_path):
    """Retype renders it so, and Retype projects have such pages: a warning, not an error."""
    rendered, html = render(tmp_path, "Text\n\n  !!!warning Oops\nnever closed\n\nLast.\n")
    ((line, col, severity, message),) = problems(rendered)
    assert (line, col, severity) == (3, 3, Severity.WARNING) and "never closed" in message
    assert [p.text for p in html.select(".callout-body p")] == ["never closed", "Last."]
    assert "'!!!'" in rendered.diagnostics[0].hint
    assert "!!!" not in html.text


def test_github_alerts_still_render(tmp_path):
    _, html = render(tmp_path, "> [!TIP]\n> Use it.\n")
    assert html.select_one(".markdown-alert-tip .markdown-alert-title").text == "Tip"


# Tabs -------------------------------------------------------------------------------------


def test_tabs_are_an_aria_tablist_with_the_first_selected(tmp_path):
    rendered, html = render(tmp_path, "+++ One\nfirst\n+++ Two\nsecond *x*\n+++\n")
    tabs = html.select_one("div.tabs[data-tabs]")
    buttons = tabs.select("[role=tablist] > a[role=tab]")
    panels = tabs.select("[role=tabpanel]")
    assert [b.text for b in buttons] == ["One", "Two"]
    assert [b["aria-selected"] for b in buttons] == ["true", "false"]
    assert [p["id"] for p in panels] == [b["aria-controls"] for b in buttons]
    assert [p["aria-labelledby"] for p in panels] == [b["id"] for b in buttons]
    assert [b["href"] for b in buttons] == ["#" + b["id"] for b in buttons]  # copy its address
    assert "is-active" in panels[0]["class"] and "is-active" not in panels[1]["class"]
    assert panels[1].em.text == "x"
    assert "code-group" not in tabs["class"]
    assert not rendered.diagnostics


def test_tabs_of_only_code_are_a_code_group_and_share_keys(tmp_path):
    body = (
        "+++ npm\n```sh\nnpm i x\n```\n+++ pip\n```sh\npip install x\n```\n+++\n\n"
        "+++ NPM\nUse npm.\n+++ Pip\nUse pip.\n+++\n"
    )
    _, html = render(tmp_path, body)
    first, second = html.select(".tabs")
    assert "code-group" in first["class"] and "code-group" not in second["class"]
    keys = [[b["data-tab-key"] for b in t.select("[role=tab]")] for t in (first, second)]
    assert keys == [["npm", "pip"], ["npm", "pip"]]
    ids = [el["id"] for el in html.select("[id]")]
    assert len(ids) == len(set(ids))


def test_a_link_in_a_tab_title_is_text_with_a_warning(tmp_path):
    # A tab is a link to itself; a link inside it would nest, which HTML cannot.
    rendered, html = render(tmp_path, "+++ See [the guide](guide.md)\nx\n+++\n")
    tab = html.select_one("[role=tab]")
    assert tab.text == "See the guide" and tab.find("a") is None
    (found,) = problems(rendered)
    assert found[:3] == (1, 9, Severity.WARNING) and "shown as text" in found[3]
    assert rendered.diagnostics[0].hint == "put the link in the tab's content"


def test_stray_and_unclosed_tab_markers_are_warnings(tmp_path):
    rendered, html = render(tmp_path, "Text\n+++\n\n+++ Tab\nbody\n")
    found = problems(rendered)
    assert found[0][:3] == (2, 1, Severity.WARNING) and "none is open" in found[0][3]
    assert found[1][:3] == (4, 1, Severity.WARNING) and "never closed" in found[1][3]
    assert html.select_one(".tab-panel").text.strip() == "body"
    assert "+++" not in html.text


# Panels, steps, columns, containers --------------------------------------------------------


def test_setext_headings_still_work(tmp_path):
    _, html = render(tmp_path, "Title\n===\n\nSub\n---\n")
    assert html.h1.text.startswith("Title") and html.h2.text.startswith("Sub")


def test_columns_and_containers(tmp_path):
    body = "||| Left\nL\n||| Right\nR\n|||\n\n::: note wide\nboxed\n:::\n\n::: 9bad\nx\n:::\n"
    rendered, html = render(tmp_path, body)
    columns = html.select(".columns > .column")
    assert [c.select_one(".column-title").text for c in columns] == ["Left", "Right"]
    assert html.select_one("div.note.wide").text.strip() == "boxed"
    ((line, col, severity, message),) = problems(rendered)
    assert (line, col, severity) == (11, 5, Severity.ERROR) and "9bad" in message


# Inline components -----------------------------------------------------------------------


def test_badges(tmp_path):
    body = (
        '[!badge NEW] [!badge NEW|info] [!badge text="Beta" variant="warning" corners="square" '
        'size="l"] [!badge Docs](guide.md) [!badge text="Go" icon="rocket"]\n'
    )
    rendered, html = render(tmp_path, body)
    badges = html.select(".badge")
    assert [b.text for b in badges] == ["NEW", "NEW", "Beta", "Docs", "Go"]
    assert badges[1]["class"] == ["badge", "badge-info"]
    assert badges[2]["class"] == ["badge", "badge-warning", "badge-square", "badge-l"]
    assert badges[3].name == "a" and badges[3]["href"] == "../guide/"
    assert badges[4].select_one("span.icon.i-rocket[aria-hidden=true]")
    assert not rendered.diagnostics


def test_badge_and_button_typos_warn(tmp_path):
    rendered, _ = render(
        tmp_path, 'See [!badge NEW|infoo] and [!button text="Go" sise="l"](guide.md)\n'
    )
    first, second = rendered.diagnostics
    assert (first.line, first.col, first.severity) == (1, 17, Severity.WARNING)
    assert "'info'" in first.hint
    assert "sise" in second.message and "'size'" in second.hint


def test_buttons(tmp_path):
    body = '[!button text="Get started" variant="success" icon="rocket"](guide.md)\n'
    rendered, html = render(tmp_path, body)
    button = html.select_one("a.button")
    assert button["class"] == ["button", "button-success"] and button["href"] == "../guide/"
    assert button.text == "Get started" and button.select_one("span.icon.i-rocket")
    assert not rendered.diagnostics
    rendered, html = render(tmp_path, "[!button Go]\n")  # text only, as Retype shows them
    assert html.select_one("span.button.button-primary").text == "Go"
    assert not rendered.diagnostics


def test_ref_card_and_file_use_the_target(tmp_path):
    body = (
        '[!ref](guide.md) [!ref text="Read" icon="zap"](guide.md)\n\n'
        "[!card](guide.md)\n\n[!file](files/spec.pdf) [!file Spec](files/spec.pdf)\n"
    )
    rendered, html = render(tmp_path, body)
    refs = html.select("a.ref-link")
    assert [r.select_one(".ref-text").text for r in refs] == ["The guide", "Read"]
    assert [r.select_one(".ref-url").text for r in refs] == ["../guide/"] * 2  # as Retype shows
    assert refs[1].select_one("span.icon.i-zap")
    card = html.select_one("a.card")
    assert card["href"] == "../guide/"
    assert card.select_one(".card-title").text == "The guide"
    assert card.select_one(".card-text").text == "Set things up."
    assert card.img["src"] == "../img/shot.png"
    files = html.select("a.file-link")
    assert files[0]["href"] == "../files/spec.pdf" and files[0].has_attr("download")
    assert files[0].select_one(".file-name").text == "spec.pdf"
    assert files[0].select_one(".file-size").text == "2.0 KB"
    assert files[1].select_one(".file-name").text == "Spec"
    assert not rendered.diagnostics


def test_broken_component_links_are_errors(tmp_path):
    rendered, html = render(tmp_path, "x [!ref](nope.md)\n\n[!file](missing.pdf)\n")
    first, second = rendered.diagnostics
    assert (first.line, first.col) == (1, 10) and "does not exist" in first.message
    assert second.line == 3 and "missing.pdf" in second.message
    assert "[!ref" not in html.text and "[!file" not in html.text


def test_icons_and_emoji_but_never_in_code(tmp_path):
    rendered, html = render(
        tmp_path, "Go :icon-rocket: :tada: at 10:30:00 `:tada:`\n\n    :tada:\n\n:icon-rockt:\n"
    )
    assert html.select_one("p span.icon.i-rocket[aria-hidden=true]")
    assert "🎉" in html.p.text and "10:30:00" in html.p.text
    assert html.code.text == ":tada:" and html.pre.text == ":tada:\n"
    ((line, col, severity, message),) = problems(rendered)
    assert (line, col, severity) == (5, 1, Severity.WARNING) and "icon-rockt" in message
    assert "'rocket'" in rendered.diagnostics[0].hint


def test_comments_are_removed(tmp_path):
    body = "Keep %% not this %% that.\n\n%%\nHidden block\n%%\n\n%% one line %%\n\nEnd\n"
    rendered, html = render(tmp_path, body)
    assert [p.text for p in html.select("p")] == ["Keep  that.", "End"]
    assert not rendered.diagnostics
    rendered, html = render(tmp_path, "50%% off\n")
    assert rendered.diagnostics[0].severity is Severity.WARNING


def test_math_becomes_mathml_and_prices_stay_text(tmp_path):
    body = "Area $a^2$ costs $5 or $10.\n\n$$\n\\frac{1}{2}\n$$\n"
    rendered, html = render(tmp_path, body)
    assert html.select_one("span.math math msup")
    assert html.select_one("div.math-display math[display=block] mfrac")
    assert "$5 or $10" in html.p.text
    assert not rendered.diagnostics


# Code block features ----------------------------------------------------------------------


def test_fence_info_parsing():
    info = parse_fence_info("js #2-3,5 My title")
    assert (info.language, info.title, info.numbered) == ("js", "My title", True)
    assert info.highlighted == {2, 3, 5}
    assert parse_fence_info("py #").numbered
    assert parse_fence_info(" Only a title").title == "Only a title"
    assert parse_fence_info("py #x").bad_spec == "#x"
    assert parse_fence_info("py").numbered is None  # as the config says
    off = parse_fence_info("js !#2-3,5-7")
    assert off.numbered is False and off.highlighted == {2, 3, 5, 6, 7}
    option = parse_fence_info('js:highlight="2-3,5-7" Title')
    assert (option.language, option.title, option.highlighted) == ("js", "Title", {2, 3, 5, 6, 7})
    attributes = parse_fence_info("js # Title {#example-code .highlight}")
    assert (attributes.title, attributes.numbered) == ("Title", True)
    assert attributes.attributes == {"id": "example-code", "class": "highlight"}


def test_line_numbers_and_highlighted_lines(tmp_path):
    rendered, html = render(tmp_path, "```python #2 #\na = 1\nb = 2\nc = 3\n```\n")
    pre = html.select_one("pre.highlight.numbered")
    lines = pre.select("span.line")
    assert [line["data-line"] for line in lines] == ["1", "2", "3"]
    assert ["hl" in line["class"] for line in lines] == [False, True, False]
    assert pre.code.text == "a = 1\nb = 2\nc = 3\n"
    assert not rendered.diagnostics


# Everything together ----------------------------------------------------------------------

ALL_TOGETHER = """\
# All components

!!!warning Tabs in a callout :zap:
+++ Steps
>>> Install [!badge NEW|success]
Run `pip install docsite`.
>>> 2. Build
>>>
+++ Code
```sh #1
python build.py
```
+++
!!!

==== Outer panel
=== Inner panel
||| Left
:icon-rocket: left %% secret %%
||| Right
[!button text="Start" icon="rocket"](guide.md)
|||
===
====

::: wide
!!- Folded
[!ref](guide.md) [!card](guide.md) [!file](files/spec.pdf) $x^2$
!!!
:::

%%
a hidden block
%%

+++ Steps
>>> Only step
Text with [!badge text="Beta" variant="warning"].
>>>
+++ Panels
==- Closed
Inside a tab.
===
+++ Included
{{ include "part" }}

:::code source="files/app.py" range="1" title="app.py" :::

=== Diagram for {{ page.label }}
```mermaid
graph LR
  A --> B
```
===
+++
"""
INCLUDED = {
    "_includes/part.md": "!!!tip From an include\nShared [!badge Part|info].\n!!!\n",
    "files/app.py": "print('hi')\nprint('more')\n",
}

SYNTAX = (
    "!!!",
    "!!-",
    "+++",
    "===",
    "==-",
    ">>>",
    "|||",
    ":::",
    "[!badge",
    "[!button",
    "[!ref",
    "[!card",
    "[!file",
    "%%",
    ":icon-",
    "$x",
    "{{",
    ":::code",
    "```",
)


def test_all_components_nested_leave_no_syntax_in_the_page(tmp_path):
    rendered, html = render(tmp_path, ALL_TOGETHER, INCLUDED)
    assert [d.format() for d in rendered.diagnostics] == []
    included = html.select(".tabs")[-1].select(".tab-panel")[-1]
    assert included.select_one(".callout-tip .badge-info").text == "Part"
    assert included.select_one("figure.code-block pre").get_text() == "print('hi')\n"
    assert included.select_one("details.panel pre.mermaid").text == "graph LR\n  A --> B\n"
    assert included.select_one("details.panel summary").text.strip() == "Diagram for All components"
    callout = html.select_one(".callout-warning")
    assert callout.select_one(".tabs .tab-panel ol.steps li.step .badge-success")
    assert callout.select(".tabs .tab-panel")[1].select_one("pre .line.hl")
    for code in html.find_all(["code", "pre"]):
        code.decompose()
    text = html.get_text()
    assert [s for s in SYNTAX if s in text] == []
    assert html.select_one("details.panel details.panel .columns .column a.button")
    assert html.select_one("div.wide details.callout a.card")
    assert html.select_one(".tabs .tab-panel details.panel:not([open])")
    assert html.select_one(".tabs .tab-panel .steps .badge-warning").text == "Beta"
    assert "a hidden block" not in text and "secret" not in text


# Mermaid ----------------------------------------------------------------------------------


def scripts(project, rel):
    return [tag["src"] for tag in project.page(rel).find_all("script", src=True)]


def test_only_pages_with_a_diagram_load_mermaid(project):
    diagram = "```mermaid\ngraph LR\n  A --> B\n```\n"
    project.write(
        {
            "content/index.md": "# Home\n\n" + diagram,
            "content/guide/deep.md": "# Deep\n\n!!!\n" + diagram + "!!!\n",
            "content/plain.md": "# Plain\n",
        }
    )
    assert project.build().ok
    cdn = "https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.min.js"
    for rel, init in (
        ("index.html", "./assets/mermaid.js"),
        ("guide/deep/index.html", "../../assets/mermaid.js"),
    ):
        found = scripts(project, rel)
        assert found.index(cdn) + 1 == found.index(init)  # Mermaid first, then docsite's init
    assert not [src for src in scripts(project, "plain/index.html") if "mermaid" in src]
    pre = project.page("index.html").select_one("article pre.mermaid")
    assert pre.text == "graph LR\n  A --> B\n"

    project.write({"docsite.yml": "mermaid:\n  script: /vendor/mermaid.min.js\n"})
    assert project.build().ok
    assert "../../vendor/mermaid.min.js" in scripts(project, "guide/deep/index.html")


def test_a_block_id_given_twice_or_to_a_block_with_an_id_warns(tmp_path):
    rendered, html = render(tmp_path, "One. ^same\n\nTwo. ^same\n\n- Item ^other {#mine}\n")
    assert [p["id"] for p in html.select("p[id]")] == ["^same"]
    assert html.select_one("li")["id"] == "mine"
    (twice, own) = problems(rendered)
    assert twice[:3] == (3, 6, Severity.WARNING) and "used twice" in twice[3]
    assert own[:3] == (5, 8, Severity.WARNING) and "already has the id 'mine'" in own[3]


def test_a_card_summarizes_a_post_as_retype_does(tmp_path):
    """Retype's card of a local page: kicker from its categories, text from its excerpt,
    image from the first image of its body (not one shown as code), footer from its date,
    here the date its file name starts with."""
    rendered, html = render(
        tmp_path,
        "# Home\n\n[!card](blog/2026-05-26-news.md)\n\n[!card](howto.md)\n",
        {
            "howto.md": "# How\n\n```md\n![](code.png)\n```\n\nSet `![](x.png)` up.\n",
            "blog/2026-05-26-news.md": (
                "---\ncategory: [release, news]\n---\n# News\n\n![](shot.png)\n\n"
                "What is **new** in [this](../howto.md) release.\n\n## More\n\nLater text.\n"
            ),
            "blog/shot.png": b"png",
        },
    )
    assert not rendered.diagnostics
    post, howto = html.select("a.card")
    assert post.select_one(".card-kicker").get_text() == "release, news"
    assert post.select_one(".card-text").get_text() == "What is new in this release."
    assert post.img["src"] == "../blog/shot.png"
    assert post.select_one(".card-footer").get_text(strip=True) == "2026-05-26"
    assert howto.img is None and howto.select_one(".card-footer") is None
    assert howto.select_one(".card-text").get_text() == "Set ![](x.png) up."
    assert sorted(rendered.summarized) == ["blog/2026-05-26-news.md", "howto.md"]
