"""Badges, buttons, reference and file links, icons, emoji, math and colour chips as Retype
documents them: options, diagnostics (file, line, column, hint) and what a build re-renders
when an icon pack changes."""

from __future__ import annotations

import urllib.parse

import pytest
from bs4 import BeautifulSoup
from conftest import write_files

from docsite.diagnostics import Report, Severity
from docsite.emojis import shortcode_emoji
from docsite.icons import IconSet
from docsite.markdown import MarkdownRenderer
from docsite.markdown.components.table_calls import table_rows
from docsite.pages import load_site
from docsite.sources import discover

ROCKET = '<svg viewBox="0 0 24 24"><path d="M1 1h22v22H1z"/></svg>'
PAGES = {"guide.md": "# The guide\n", "static/logo.svg": ROCKET, "files/a.txt": "abc"}


def render(tmp_path, body, packs=None):
    write_files(tmp_path, {"a.md": body, **PAGES})
    for rel, svg in (packs or {}).items():
        write_files(tmp_path / "_components" / "icon", {rel: svg})
    report = Report()
    site = load_site(discover(tmp_path, "content", report), report)
    icons = IconSet(pack_roots=[tmp_path / "_components" / "icon"])
    rendered = MarkdownRenderer(site, icons=icons).render(site.by_source["a.md"])
    return rendered, BeautifulSoup(rendered.html, "html.parser")


def problems(rendered):
    return [(d.line, d.col, d.severity, d.message, d.hint) for d in rendered.diagnostics]


# Buttons and badges -------------------------------------------------------------------------


def test_text_only_and_icon_only_badges_and_buttons_need_no_link(tmp_path):
    rendered, html = render(tmp_path, '[!button Go] [!badge icon="rocket"] [!badge Text]\n')
    assert not rendered.diagnostics
    assert html.select_one("span.button.button-primary").text == "Go"
    icon_only = html.select("span.badge")[0]
    assert "badge-icon-only" in icon_only["class"] and icon_only.select_one(".i-rocket")
    assert html.select("span.badge")[1]["class"] == ["badge", "badge-primary"]


def test_a_badge_with_neither_text_nor_icon_is_an_error_at_its_place(tmp_path):
    rendered, _ = render(tmp_path, 'One\n\nx [!badge variant="info"]\n')
    (line, col, severity, message, hint), *_ = problems(rendered)
    assert (line, col, severity) == (3, 3, Severity.ERROR)
    assert "neither text nor icon" in message and "[!badge NEW]" in hint


def test_sizes_margin_width_and_target(tmp_path):
    body = (
        '[!button size="3xl" text="Big" width="240" maxWidth="24rem" margin="0 8 0 0" '
        'target="recent NEWS"](guide.md) [!badge size="2xl" text="B" target="blank"](guide.md)\n'
    )
    rendered, html = render(tmp_path, body)
    assert not rendered.diagnostics
    button = html.select_one("a.button")
    assert "button-3xl" in button["class"] and button["target"] == "recent-news"
    assert button["style"] == "margin: 0 8px 0 0; width: 240px; max-width: 24rem"
    badge = html.select_one("a.badge")
    assert "badge-2xl" in badge["class"]
    assert badge["target"] == "_blank" and badge["rel"] == ["noopener"]
    _, html = render(tmp_path, '[!button text="Full" width="full"]\n')
    assert html.select_one(".button")["style"] == "width: 100%"


def test_a_width_that_is_not_a_length_is_a_warning(tmp_path):
    rendered, html = render(tmp_path, '[!button text="W" width="wide; color: red"]\n')
    (line, col, severity, message, hint), *_ = problems(rendered)
    assert (line, col, severity) == (1, 19, Severity.WARNING)
    assert "not a length" in message and "24rem" in hint
    assert not html.select_one(".button").has_attr("style")


def test_actions_render_as_buttons(tmp_path):
    body = (
        '[!button action="print-page" text="Print"] [!badge Copy](action:copy-page-link)\n\n'
        '[!ref View](action:view-page-markdown) [!file action="scroll-to-top" text="Top"]\n'
    )
    rendered, html = render(tmp_path, body)
    assert not rendered.diagnostics
    buttons = html.select("button[data-action]")
    assert [b["data-action"] for b in buttons] == [
        "print-page",
        "copy-page-link",
        "view-page-markdown",
        "scroll-to-top",
    ]
    assert buttons[0]["class"] == ["button", "button-primary"] and buttons[0]["type"] == "button"
    assert buttons[2]["class"] == ["ref-link"] and buttons[2]["data-markdown"] == "../a.md"
    assert buttons[3].select_one(".file-name").text == "Top"
    assert not html.select("a[href^=action]")


def test_an_unknown_action_warns_and_names_the_built_in_ones(tmp_path):
    rendered, html = render(tmp_path, "[!button Edit](action:edit-on-gitub)\n")
    (line, col, severity, message, hint), *_ = problems(rendered)
    assert (line, col, severity) == (1, 16, Severity.WARNING)
    assert "edit-on-gitub" in message and "_components/actions/" in message
    assert "print-page" in hint
    assert html.select_one("span.button").text == "Edit"


def test_icons_as_image_paths_and_inline_svg(tmp_path):
    svg = "<svg width=&quot;24&quot;><path d=&quot;M1 1z&quot;></path></svg>"
    body = f'[!badge icon="static/logo.svg" text="Logo"] [!button icon="{svg}" text="S"]\n'
    rendered, html = render(tmp_path, body)
    assert not rendered.diagnostics
    assert html.select_one(".badge img.icon-image")["src"] == "../static/logo.svg"
    style = html.select_one(".button span.icon")["style"]
    assert style.startswith('--icon:url("data:image/svg+xml,')
    assert 'width="24"' in urllib.parse.unquote(style)


def test_an_inline_svg_with_a_script_is_left_out(tmp_path):
    svg = "<svg onload=&quot;alert(1)&quot;></svg>"
    rendered, html = render(tmp_path, f'[!button icon="{svg}" text="S"]\n')
    assert "script or event handler" in rendered.diagnostics[0].message
    assert not html.select_one(".button .icon")


def test_ref_and_file_take_icons(tmp_path):
    body = (
        '[!ref icon=":rocket:"](guide.md) [!file icon="rocket" text="To the moon"](files/a.txt)\n'
    )
    rendered, html = render(tmp_path, body)
    assert not rendered.diagnostics
    assert html.select_one("a.ref-link .icon-emoji").text == "🚀"
    assert html.select_one("a.file-link .i-rocket")
    assert html.select_one("a.file-link .file-name").text == "To the moon"


# Tables ---------------------------------------------------------------------------------------


def test_a_badge_shorthand_in_a_table_cell_is_one_badge(tmp_path):
    body = (
        "Project | Status | Owner\n--- | --- | ---\n"
        "Forecast | [!badge Approved|success] | Finance\n"
        "Onboarding | [!badge Draft|secondary] | Product\n"
    )
    rendered, html = render(tmp_path, body)
    assert not rendered.diagnostics
    rows = [[cell.get_text() for cell in row.select("td")] for row in html.select("tbody tr")]
    assert rows == [["Forecast", "Approved", "Finance"], ["Onboarding", "Draft", "Product"]]
    assert [b["class"][1] for b in html.select(".badge")] == ["badge-success", "badge-secondary"]


def test_table_rows_skip_code_fences_and_plain_paragraphs():
    lines = ["```", "a | b", "--- | ---", "```", "x | y", "--- | ---", "1 | 2", "", "p | q"]
    assert table_rows(lines) == [4, 6]


def test_a_warning_inside_a_table_cell_has_its_column(tmp_path):
    rendered, _ = render(tmp_path, "a | b\n--- | ---\nx | [!badge Hi|infoo]\n")
    (line, col, severity, message, _hint), *_ = problems(rendered)
    assert (line, col, severity) == (3, 16, Severity.WARNING) and "infoo" in message


# Icons and emoji ----------------------------------------------------------------------------


def test_pack_icons_inline_and_in_components(tmp_path):
    packs = {"lucide/rocket.svg": ROCKET, "custom/help-circle.svg": ROCKET}
    body = ':icon-lucide-rocket: :icon-custom-help-circle: [!button icon="lucide-rocket" text="B"]'
    rendered, html = render(tmp_path, body + "\n", packs)
    assert not rendered.diagnostics
    assert len(html.select(".i-p-lucide-rocket")) == 2
    assert html.select_one(".i-p-custom-help-circle")
    assert set(rendered.icons) == {"lucide-rocket", "custom-help-circle"}


def test_an_unknown_pack_icon_suggests_the_packs_icons(tmp_path):
    rendered, _ = render(tmp_path, "Go :icon-lucide-rocker:\n", {"lucide/rocket.svg": ROCKET})
    (line, col, severity, _message, hint), *_ = problems(rendered)
    assert (line, col, severity) == (1, 4, Severity.WARNING)
    assert "'lucide-rocket'" in hint


def test_retype_emoji_shortcodes():
    assert shortcode_emoji("smiling_face_with_3_hearts") == "🥰"
    assert shortcode_emoji("flag-ca") == "🇨🇦"
    assert shortcode_emoji("+1") == "👍" and shortcode_emoji("-1") == "👎"
    assert shortcode_emoji("woman-pouting").startswith("🙎")
    assert shortcode_emoji("male-teacher") == "👨\u200d🏫"
    assert shortcode_emoji("skin-tone-3") == "\U0001f3fc"
    assert shortcode_emoji("no_such_emoji_at_all") == ""


@pytest.mark.parametrize(
    ("code", "emoji"),
    [
        ("face_palm", "\U0001f926"),  # Unicode character names
        ("grinning_face_with_star_eyes", "\U0001f929"),
        ("large_orange_circle", "\U0001f7e0"),
        ("flag-england", "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"),
        ("red_haired_person", "\U0001f9d1\u200d\U0001f9b0"),  # Slack's word order
        ("bald_person", "\U0001f9d1\u200d\U0001f9b2"),
        ("woman-kiss-man", "\U0001f469\u200d\u2764\ufe0f\u200d\U0001f48b\u200d\U0001f468"),
        ("mostly_sunny", "\U0001f324\ufe0f"),  # Slack's own names
        ("male-doctor", "\U0001f468\u200d\u2695\ufe0f"),
        ("keycap_star", "*\ufe0f\u20e3"),
        ("ok_woman", "\U0001f646"),  # old names Retype keeps on their old emoji
        ("egg", "\U0001f95a"),
        ("snowman", "\u2603\ufe0f"),
    ],
)
def test_emoji_shortcodes_retype_spells_its_own_way(code, emoji):
    assert shortcode_emoji(code).replace("\ufe0f", "") == emoji.replace("\ufe0f", "")


def test_unicode_names_of_characters_that_are_not_emoji_stay_text():
    assert shortcode_emoji("latin_small_letter_a") == ""
    assert shortcode_emoji("flag-grinning") == ""


def test_emoji_in_text_and_component_labels(tmp_path):
    _, html = render(tmp_path, ":flag-ca: [!badge :smiling_face_with_3_hearts: Love]\n")
    assert html.p.get_text().startswith("🇨🇦") and html.select_one(".badge").text == "🥰 Love"


# Icon packs are inputs of the build ---------------------------------------------------------


def test_changing_or_adding_a_pack_icon_shows_on_the_next_build(project):
    first = '<svg viewBox="0 0 16 16"><circle cx="8" cy="8" r="4"/></svg>'
    project.write(
        {
            "docsite.yml": "title: Icons\n",
            "content/index.md": "# Home\n\nLogo :icon-brand-logo: and :icon-brand-new:\n",
            "content/other.md": "---\nicon: brand-logo\n---\n# Other\n",
            "content/_components/icon/brand/logo.svg": first,
        }
    )
    result = project.build()
    assert ["unknown icon ':icon-brand-new:'" in m for m in project.messages(result)] == [True]
    assert "circle" in urllib.parse.unquote(project.icon_css("index.html"))
    assert project.page("other/index.html").select_one("nav .i-p-brand-logo")  # its settings

    second = '<svg viewBox="0 0 16 16"><rect width="9" height="9"/></svg>'
    project.write({"content/_components/icon/brand/logo.svg": second})
    project.build()
    css = urllib.parse.unquote(project.icon_css("index.html"))
    assert "rect" in css and "circle" not in css

    project.write({"content/_components/icon/brand/new.svg": first})
    result = project.build()
    assert project.messages(result) == []
    assert project.page("index.html").select_one(".doc .i-p-brand-new")


# Math and colour chips ----------------------------------------------------------------------


def test_sized_delimiters_nested_text_math_and_katex_logo(tmp_path):
    body = (
        "$$\n\\bigg\\{ \\substack{\\text{$\\mathbb{F}$-spaces $V$}} \\bigg\\}\n$$\n\n"
        "By $\\KaTeX$ and $\\Bigg\\langle x \\Bigg\\rangle$\n"
    )
    rendered, html = render(tmp_path, body)
    assert not rendered.diagnostics
    assert "\\" not in html.get_text()
    operators = [mo.get_text() for mo in html.select("mo")]
    assert operators[:1] == ["{"] and "}" in operators and "⟨" in operators
    assert "-spaces" in [t.get_text().strip() for t in html.select("mtext")]
    assert len(html.select(".math-display mtr")) == 1  # one row: the \\ is not a new row here
    assert html.select_one("p .math mtext").get_text() == "KaTeX"


def test_a_substack_followed_by_more_keeps_its_rows(tmp_path):
    _, html = render(tmp_path, "$$\n\\bigg\\{ \\substack{a \\\\ b} \\bigg\\}\n$$\n")
    assert [row.get_text() for row in html.select("mtr")] == ["a", "b"]


def test_math_the_converter_cannot_render_is_a_warning_and_shown_as_source(tmp_path):
    rendered, html = render(tmp_path, "One\n\nSee $\\weirdcmd{x} + y$ here\n")
    (line, col, severity, message, hint), *_ = problems(rendered)
    assert (line, col, severity) == (3, 6, Severity.WARNING)
    assert "'\\weirdcmd'" in message and "shown as LaTeX source" in message and hint
    assert html.select_one("code.math-source").get_text() == "\\weirdcmd{x} + y"
    assert not html.select("math")


def test_colour_chips_for_hex_colours_in_inline_code(tmp_path):
    body = "`#5495f1` `#F00` `#gggggg` `#12` `#1234`\n"
    _, html = render(tmp_path, body)
    chips = html.select(".color-chip-code")
    assert [c.code.get_text() for c in chips] == ["#5495f1", "#F00"]
    assert chips[0].select_one(".color-chip")["style"] == "background-color: #5495f1"
    assert len(html.select("code")) == 5


def test_plain_links_to_an_action_are_buttons_and_unknown_ones_warn(tmp_path):
    body = "[Print](action:print-page) and [Edit](action:edit-on-github) [Guide](guide.md)\n"
    rendered, html = render(tmp_path, body)
    button = html.select_one("button.action-link")
    assert button["data-action"] == "print-page" and button.text == "Print"
    (line, col, severity, message, _hint), *_ = problems(rendered)
    assert (line, col, severity) == (1, 39, Severity.WARNING)
    assert message.startswith("the link runs the action 'edit-on-github'")
    assert not html.select("[href^='action:']")
    assert html.select_one("a")["href"] == "../guide/"


def test_watch_mode_rebuilds_when_a_pack_icon_changes(tmp_path):
    from docsite.serve.live import ChangeKind, classify

    root, content = tmp_path, tmp_path / "docs"
    for svg in (content / "_components/icon/lucide/rocket.svg", root / "_components/icon/b/x.svg"):
        assert classify(svg, root, content, (), []) is ChangeKind.STATIC
    action = content / "_components/actions/edit.yml"  # the pages that run it
    assert classify(action, root, content, (), []) is ChangeKind.STATIC
    other = content / "_components/notes/edit.yml"
    assert classify(other, root, content, (), []) is ChangeKind.IGNORED


def test_a_table_in_a_block_quote_keeps_its_badges_whole(tmp_path):
    rendered, html = render(tmp_path, "> a | b\n> --- | ---\n> x | [!badge Hi|info]\n")
    assert not rendered.diagnostics
    assert [c.get_text() for c in html.select("blockquote td")] == ["x", "Hi"]
    assert html.select_one("td .badge-info")


def test_the_emoji_name_table_finds_what_emojize_finds():
    # docsite looks names up in a table; the emoji package scans every emoji for each name.
    import random

    import emoji

    from docsite.emojis import _by_name

    names = sorted(
        {n for d in emoji.EMOJI_DATA.values() for n in (d.get("en", ""), *d.get("alias", ())) if n}
    )
    for name in random.Random(5).sample(names, 150):
        found = emoji.emojize(name, language="alias")
        assert _by_name().get(name) == (found if found != name else None), name
