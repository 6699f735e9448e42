"""Wikilinks, images, cards and embeds: what the fixture cases cannot show (diagnostics and
their places, lookups across folders, rebuilds)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import write_files

from docsite.build import BuildOptions, build_site
from docsite.diagnostics import Report, Severity
from docsite.markdown import MarkdownRenderer
from docsite.pages import load_site
from docsite.sources import discover

PAGES = {
    "guides/getting-started.md": "# Getting Started\n\n## Install\n",
    "x/setup.md": "# Setup X\n",
    "y/setup.md": "# Setup Y\n",
    "static/shot.png": b"\x89PNG",
    "static/Shot-Big.PNG": b"\x89PNG",
    "img/logo.png": b"\x89PNG",
    "other/logo.png": b"\x89PNG",
}


def render(tmp_path: Path, body: str, page: str = "a.md"):
    write_files(tmp_path, {page: body, **PAGES})
    report = Report()
    site = load_site(discover(tmp_path, "content", report), report)
    rendered = MarkdownRenderer(site).render(site.by_source[page])
    return rendered, BeautifulSoup(rendered.html, "html.parser")


def problems(rendered):
    return [(d.line, d.col, d.severity, d.message, d.hint) for d in rendered.diagnostics]


# ---- Wikilinks -------------------------------------------------------------------------------


def test_an_ambiguous_wikilink_is_an_error_at_it_that_lists_the_candidates(tmp_path):
    rendered, html = render(tmp_path, "Intro.\n\nSee the [[Setup]] page.\n")
    ((line, col, severity, message, hint),) = problems(rendered)
    assert (line, col, severity) == (3, 9, Severity.ERROR)
    assert "ambiguous" in message and "x/setup.md" in message and "y/setup.md" in message
    assert "[[x/setup]]" in hint
    assert html.find("a") is None and "Setup" in html.text  # the label stays, unlinked


def test_a_path_picks_among_pages_of_the_same_name(tmp_path):
    rendered, html = render(tmp_path, "[[y/setup]] and [[Y/Setup|the other]]\n")
    assert problems(rendered) == []
    assert [a["href"] for a in html.find_all("a")] == ["../y/setup/", "../y/setup/"]


def test_an_unknown_wikilink_is_an_error_with_a_did_you_mean(tmp_path):
    rendered, _ = render(tmp_path, "Read [[Geting Started]].\n")
    ((line, col, severity, message, hint),) = problems(rendered)
    assert (line, col, severity) == (1, 6, Severity.ERROR)
    assert "no page is named 'Geting Started'" in message
    assert hint == "did you mean [[getting-started]]?"


def test_an_unknown_image_wikilink_names_the_missing_file(tmp_path):
    rendered, _ = render(tmp_path, "![[shott.png]]\n")
    ((_, col, severity, message, hint),) = problems(rendered)
    assert (col, severity) == (1, Severity.ERROR) and "no file is named 'shott.png'" in message
    assert "shot.png" in hint


def test_an_ambiguous_image_wikilink_lists_the_files(tmp_path):
    rendered, _ = render(tmp_path, "![[logo.png]]\n")
    ((*_, message, _hint),) = problems(rendered)
    assert "img/logo.png" in message and "other/logo.png" in message


def test_wikilinks_are_relative_links_from_any_depth(tmp_path):
    rendered, html = render(tmp_path, "[[Getting Started#Install]] ![[shot.png]]\n", "deep/er/p.md")
    assert problems(rendered) == []
    assert html.find("a")["href"] == "../../../guides/getting-started/#install"
    assert html.find("img")["src"] == "../../../static/shot.png"


def test_a_wikilink_is_a_link_of_the_page_checked_like_any_other(tmp_path):
    rendered, _ = render(tmp_path, "[[Getting Started#Install]] and [[#here]]\n")
    assert rendered.linked == ["guides/getting-started.md"]
    assert rendered.page_links == [
        ("guides/getting-started.md", "install", 1, 1),
        ("a.md", "here", 1, 33),
    ]


def test_a_missing_heading_of_a_wikilink_is_reported_by_the_build(tmp_path):
    write_files(
        tmp_path,
        {
            "docsite.yml": "title: T\n",
            "content/index.md": "# Home\n\n[[Getting Started#Nowhere]]\n",
            "content/guides/getting-started.md": "# Getting Started\n",
        },
    )
    result = build_site(BuildOptions(root=tmp_path, out=tmp_path / "site", use_cache=False))
    assert any("nowhere" in d.message for d in result.report.items), result.report.items


def test_a_wikilinking_page_follows_its_targets_url_and_date_on_rebuild(tmp_path):
    """The page's links record their targets: a rebuild with the cache re-renders it."""
    target = tmp_path / "content/guides/getting-started.md"
    write_files(
        tmp_path,
        {
            "docsite.yml": "title: T\n",
            "content/index.md": (
                "# Home\n\n[[Getting Started]]\n\n[!card vert](guides/getting-started.md)\n"
            ),
            "content/guides/getting-started.md": "---\ndate: 2026-01-01\n---\n# Getting Started\n",
        },
    )
    out = tmp_path / "site"
    assert build_site(BuildOptions(root=tmp_path, out=out)).ok
    text = target.read_text().replace("date: 2026-01-01", "date: 2026-02-02\npermalink: /start")
    target.write_text(text)
    assert build_site(BuildOptions(root=tmp_path, out=out)).ok
    home = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    assert home.select_one("a.wikilink")["href"] == "start/"
    assert home.select_one(".card-footer").text == "2026-02-02"


# ---- Images ----------------------------------------------------------------------------------


def test_an_image_found_in_a_fallback_folder_is_not_an_error(tmp_path):
    rendered, html = render(tmp_path, "![](shot.png)\n\n![](/images/shot.png)\n", "d/p.md")
    assert problems(rendered) == []
    assert [img["src"] for img in html.find_all("img")] == ["../../static/shot.png"] * 2


def test_a_file_is_found_whatever_the_case_of_its_name_as_retype_finds_it(tmp_path):
    rendered, html = render(tmp_path, "![](/static/shot-big.png) [f](/STATIC/shot.png)\n")
    assert [message for *_, message, _ in problems(rendered)] == [
        "link '/static/shot-big.png' names 'static/Shot-Big.PNG' in another case",
        "link '/STATIC/shot.png' names 'static/shot.png' in another case",
    ]
    assert html.find("img")["src"] == "../static/Shot-Big.PNG"
    assert html.find("a")["href"] == "../static/shot.png"


def test_files_differing_only_in_case_are_not_guessed(tmp_path):
    write_files(tmp_path, {"static/Pic.png": b"1", "static/PIC.png": b"2"})
    rendered, _ = render(tmp_path, "![](/static/pic.png)\n")
    ((*_, message, hint),) = problems(rendered)
    assert "does not exist" in message and "/static/PIC.png, /static/Pic.png" in hint


def test_a_missing_image_hint_names_the_fallback_folders(tmp_path):
    rendered, _ = render(tmp_path, "![](nowhere.png)\n")
    ((*_, hint),) = problems(rendered)
    assert "/static" in hint and "/attachments" in hint


def test_a_caption_with_an_image_inline_is_no_figure(tmp_path):
    _, html = render(tmp_path, "Look: ![a](/static/shot.png)\n")
    assert html.find("figure") is None and html.find("img")["alt"] == "a"


# ---- Cards -----------------------------------------------------------------------------------


def test_card_layouts_are_no_titles_and_a_bad_layout_is_a_warning(tmp_path):
    rendered, html = render(
        tmp_path,
        '[!card vert](guides/getting-started.md)\n\n[!card layout="wide"](x/setup.md)\n',
    )
    titles = [t.text for t in html.select(".card-title")]
    assert titles == ["Getting Started", "Setup X"]
    assert [c["class"][1] for c in html.select("a.card")] == ["card-vertical", "card-horizontal"]
    ((line, col, severity, message, _),) = problems(rendered)
    assert (line, col, severity) == (3, 16, Severity.WARNING) and "'wide'" in message


def test_a_field_the_layout_does_not_show_is_a_warning(tmp_path):
    rendered, html = render(
        tmp_path, '[!card layout="compact" kicker="New" footer="x"](x/setup.md)\n'
    )
    assert html.select(".card-kicker, .card-footer") == []
    messages = [(col, message) for _, col, _, message, _ in problems(rendered)]
    assert messages == [
        (25, "a compact card does not show 'kicker'; it is ignored"),
        (38, "a compact card does not show 'footer'; it is ignored"),
    ]


def test_a_bad_footer_alignment_is_a_warning(tmp_path):
    rendered, html = render(tmp_path, '[!card footerAlign="middle" footer="f"](x/setup.md)\n')
    assert html.select_one(".card-footer")["class"] == ["card-footer", "card-footer-left"]
    assert "footerAlign 'middle'" in problems(rendered)[0][3]


# ---- Embeds ----------------------------------------------------------------------------------


def test_embed_options_out_of_range_are_warnings_at_them(tmp_path):
    rendered, html = render(
        tmp_path,
        '[!embed aspect="3:2" el="div" height="tall" allowFullScreen="no"](https://e.org/v)\n',
    )
    found = [(col, message.split(";")[0]) for _, col, _, message, _ in problems(rendered)]
    assert found == [
        (9, "unknown aspect '3:2' in [!embed]"),
        (22, "unknown el 'div' in [!embed]"),
        (45, "allowFullScreen is 'no' in [!embed]"),
        (31, "height 'tall' in [!embed] is not a length"),
    ]
    frame = html.select_one(".embed-frame")
    assert frame["data-embed-el"] == "iframe" and frame.has_attr("data-embed-fullscreen")


def test_an_embed_without_a_link_is_an_error(tmp_path):
    rendered, _ = render(tmp_path, "[!embed]\n")
    assert problems(rendered)[0][3].startswith("[!embed] needs a link")


def test_an_embed_never_sits_in_a_paragraph(tmp_path):
    _, html = render(tmp_path, "[!embed](https://e.org/a)\n[!embed](https://e.org/b)\n")
    assert html.find("p") is None and len(html.find_all("figure")) == 2


def test_embeds_write_no_frame_only_a_placeholder(tmp_path):
    _, html = render(tmp_path, "https://youtu.be/abc?t=1m5s\n")
    assert html.find(["iframe", "embed", "video", "object"]) is None
    frame = html.select_one(".embed-frame")
    assert frame["data-embed-src"] == "https://www.youtube.com/embed/abc?start=65&autoplay=1"
    assert html.select_one(".embed-link")["href"] == "https://youtu.be/abc?t=1m5s"


def test_a_retype_project_of_input_dot_publishes_static_as_content(tmp_path):
    """Retype's `input: .` projects keep their images in static/ and link /static/x.png."""
    write_files(
        tmp_path,
        {
            "retype.yml": "input: .\noutput: .retype\n",
            "index.md": "# Home\n\n![](/static/hero.png)\n\n![[hero.png]]\n",
            "static/hero.png": b"\x89PNG",
        },
    )
    result = build_site(BuildOptions(root=tmp_path, out=tmp_path / "site", use_cache=False))
    assert result.ok, [d.format() for d in result.report.items]
    home = BeautifulSoup((tmp_path / "site/index.html").read_text(), "html.parser")
    assert [img["src"] for img in home.select(".doc img")] == ["./static/hero.png"] * 2
    assert (tmp_path / "site/static/hero.png").is_file()


def test_a_component_wikilink_that_finds_nothing_is_an_error_at_it(tmp_path):
    rendered, html = render(tmp_path, "Intro [!card]([[Nowhere]])\n")
    ((line, col, severity, message, _),) = problems(rendered)
    assert (line, col, severity) == (1, 15, Severity.ERROR) and "'Nowhere'" in message
    assert html.select("a.card") == []


def test_a_new_page_of_the_same_name_makes_a_cached_wikilink_ambiguous(tmp_path):
    write_files(
        tmp_path,
        {
            "docsite.yml": "title: T\n",
            "content/index.md": "# Home\n\n[[Setup]] ![[logo.png]]\n",
            "content/x/setup.md": "# Setup X\n",
            "content/x/logo.png": b"\x89PNG",
        },
    )
    out = tmp_path / "site"
    assert build_site(BuildOptions(root=tmp_path, out=out)).ok
    write_files(tmp_path, {"content/y/setup.md": "# Setup Y\n", "content/y/logo.png": b"1"})
    result = build_site(BuildOptions(root=tmp_path, out=out))
    messages = sorted(d.message for d in result.report.errors)
    assert len(messages) == 2 and all("is ambiguous" in m for m in messages), messages


def test_an_obsidian_page_embed_is_an_error_and_stays_text(tmp_path):
    rendered, html = render(tmp_path, "![[getting-started#^intro]]\n")
    ((_, col, severity, message, hint),) = problems(rendered)
    assert (col, severity) == (1, Severity.ERROR) and "embeds a page" in message
    assert "[[getting-started#^intro]]" in hint
    assert html.find("img") is None and "![[getting-started#^intro]]" in html.text


def test_a_page_link_in_another_case_finds_the_page_as_retype_does_with_a_warning(tmp_path):
    rendered, html = render(tmp_path, "[a](/GUIDES/Getting-Started.md) [b](X/SETUP.md)\n")
    assert [a["href"] for a in html.find_all("a")] == ["../guides/getting-started/", "../x/setup/"]
    assert [(line, col, severity, hint) for line, col, severity, _, hint in problems(rendered)] == [
        (
            1,
            5,
            Severity.WARNING,
            "write it as '/guides/getting-started.md': the site publishes it in lower case, "
            "but the link breaks wherever the file is read as named (GitHub, "
            "`generator.recase: none`)",
        ),
        (
            1,
            37,
            Severity.WARNING,
            "write it as 'x/setup.md': the site publishes it in lower case, but the link "
            "breaks wherever the file is read as named (GitHub, `generator.recase: none`)",
        ),
    ]


def test_a_file_link_in_another_case_is_published_with_a_warning_naming_it(tmp_path):
    rendered, html = render(tmp_path, "![](IMG/Logo.png)\n", page="guides/p.md")
    assert html.find("img")["src"] == "../../img/logo.png"
    ((_, col, severity, message, hint),) = problems(rendered)
    assert (col, severity) == (5, Severity.WARNING)
    assert message == "link 'IMG/Logo.png' names 'img/logo.png' in another case"
    assert hint.startswith("write it as '../img/logo.png'")
