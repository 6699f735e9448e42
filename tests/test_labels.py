"""Retype's `locale` and `labels` (configuration/translations.md): the theme's words, their
precedence, their checks in the config, and a site built in French or in a custom locale."""

from __future__ import annotations

import json
import pickle
import re
from importlib import resources

import pytest

from docsite.config import load_config
from docsite.diagnostics import Report
from docsite.labels import (
    RETYPE_LOCALES,
    built_in,
    built_in_labels,
    built_in_locales,
    canonical_key,
    keys,
    labels_for,
    template_labels,
    text_direction,
)

# The precedence rules, each as translations.md states it --------------------------------


def test_every_built_in_locale_has_every_key_and_keeps_the_placeholders():
    english = built_in_labels("en")
    assert {"es", "fr", "de", "pt", "it", "nl", "ja", "zh"} <= set(built_in_locales())
    assert "Search_NoResults_Label" in keys() and len(keys()) == len(english)
    for locale in built_in_locales():
        words = built_in_labels(locale)
        assert list(words) == list(keys()), locale
        for key, text in words.items():
            assert text.strip(), (locale, key)
            placeholders = sorted(re.findall(r"\{\d\}", english[key]))
            assert sorted(re.findall(r"\{\d\}", text)) == placeholders, (locale, key)


def test_every_language_retype_lists_has_its_own_words():
    english = built_in_labels("en")
    for code in RETYPE_LOCALES - {"en"}:
        assert built_in(code) is not None, code
        words = built_in_labels(built_in(code))
        assert words["Toc_Contents_Label"] != english["Toc_Contents_Label"], code
        assert words["Search_Input_Placeholder"] != english["Search_Input_Placeholder"], code


def test_portugal_and_brazil_have_their_own_words():
    """`pt` is Brazilian Portuguese, as in Retype; `pt-PT` (any case, `_` or `-`) Portugal's."""
    for spelling in ("pt-PT", "pt_pt", "PT-pt"):
        assert built_in(spelling) == "pt-PT"
    assert built_in("pt") == built_in("pt-BR") == "pt"
    portugal, brazil = labels_for("pt-PT", {}), labels_for("pt", {})
    assert portugal["Editor_SaveButton_Label"] == "Guardar"
    assert brazil["Editor_SaveButton_Label"] == "Salvar"
    assert portugal["PrivatePage_Password_Label"] != brazil["PrivatePage_Password_Label"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ar", "rtl"),
        ("he", "rtl"),
        ("he-IL", "rtl"),
        ("fa_IR", "rtl"),
        ("ur", "rtl"),
        ("az-Arab", "rtl"),
        ("en", "ltr"),
        ("pt-PT", "ltr"),
        ("ks-Deva", "ltr"),
        ("zh-Hant-TW", "ltr"),
    ],
)
def test_text_direction_follows_the_language_and_its_script(language, expected):
    assert text_direction(language) == expected


def test_english_is_the_default_locale():
    assert labels_for("en", {})["Toc_Contents_Label"] == "On this page"
    assert labels_for("", {}) == labels_for("en", {})


def test_keys_ignore_case_and_treat_dash_and_underscore_alike():
    for written in (
        "Search_Input_Placeholder",
        "search_input_placeholder",
        "search-input-placeholder",
    ):
        assert canonical_key(written) == "Search_Input_Placeholder"
        active = labels_for("en", {"default": {written: "Search the docs"}})
        assert active["Search_Input_Placeholder"] == "Search the docs"
    assert canonical_key("search_input") is None


def test_groups_ignore_case():
    assert labels_for("fr", {"FR": {"toc_contents_label": "Au menu"}})["Toc_Contents_Label"] == (
        "Au menu"
    )
    assert labels_for("FR", {"fr": {"toc_contents_label": "Au menu"}})["Toc_Contents_Label"] == (
        "Au menu"
    )
    assert labels_for("FR", {})["Search_Input_Placeholder"] == "Rechercher"


def test_default_overrides_english():
    active = labels_for("en", {"default": {"toc_contents_label": "Contents"}})
    assert active["Toc_Contents_Label"] == "Contents"
    assert active["Search_Input_Placeholder"] == "Search"  # the rest stays


def test_a_locale_group_overrides_default_for_that_locale():
    overrides = {"default": {"toc_contents_label": "Contents"}, "en": {"toc_contents_label": "Map"}}
    assert labels_for("en", overrides)["Toc_Contents_Label"] == "Map"


def test_a_built_in_locale_loads_its_translation_then_its_group():
    overrides = {
        "default": {"toolbar_filter_placeholder": "Filter docs"},
        "fr": {"search_input_placeholder": "Rechercher dans la documentation"},
    }
    active = labels_for("fr", overrides)
    assert active["Search_Input_Placeholder"] == "Rechercher dans la documentation"
    assert active["Toc_Contents_Label"] == "Sur cette page"  # built-in French


def test_default_does_not_replace_a_built_in_translation():
    """translations.md's "subtle point": labels.default is English's, not French's."""
    overrides = {"default": {"search_input_placeholder": "Search the docs"}}
    assert labels_for("fr", overrides)["Search_Input_Placeholder"] == "Rechercher"
    assert labels_for("de", overrides)["Search_Input_Placeholder"] == "Suchen"


def test_a_custom_locale_reads_its_group_then_default_then_english():
    overrides = {
        "default": {"search_input_placeholder": "Search docs", "text_dark": "Night"},
        "partner": {"search_input_placeholder": "Search partner docs", "toc_contents_label": "In"},
    }
    active = labels_for("partner", overrides)
    assert active["Search_Input_Placeholder"] == "Search partner docs"
    assert active["Toc_Contents_Label"] == "In"
    assert active["Text_Dark"] == "Night"  # from default
    assert active["Text_Light"] == "Light"  # English


def test_a_regional_locale_uses_its_language():
    active = labels_for("fr-CA", {"fr-ca": {"text_dark": "Foncé"}})
    assert active["Search_Input_Placeholder"] == "Rechercher"
    assert active["Text_Dark"] == "Foncé"


def test_template_labels_are_the_active_labels_and_one_group_per_locale():
    overrides = {"default": {"text_dark": "Night"}, "partner": {"text_dark": "Evening"}}
    table = template_labels("fr", overrides)
    assert table["Search_NoResults_Label"] == labels_for("fr", {})["Search_NoResults_Label"]
    assert table["search-noresults-label"] == table["Search_NoResults_Label"]
    assert "SEARCH_INPUT_PLACEHOLDER" in table
    assert table["es"]["Search_Input_Placeholder"] == "Buscar"
    assert table.get("ES").get("search_input_placeholder") == "Buscar"
    assert table["partner"]["Text_Dark"] == "Evening"
    assert table["default"]["Text_Dark"] == "Night"
    assert table["en"]["Text_Dark"] == "Night"  # English with labels.default
    assert table["fr"]["Text_Dark"] == "Sombre"
    assert pickle.loads(pickle.dumps(table))["FR"]["text-dark"] == "Sombre"


def test_a_locale_group_is_made_ready_for_lookups_only_when_looked_in(monkeypatch):
    """Every build makes a group for each of 60-odd locales, which templates rarely read:
    their keys are normalised for lookups by another spelling at the first lookup."""
    import docsite.labels

    normalised = []
    real = docsite.labels.normalise
    monkeypatch.setattr(
        docsite.labels, "normalise", lambda key: normalised.append(key) or real(key)
    )
    table = template_labels("en", {})
    assert len(normalised) < 5 * len(built_in_locales())  # not their thousands of keys
    before = len(normalised)
    assert table["de"]["search-input-placeholder"] == table["de"]["Search_Input_Placeholder"]
    assert before < len(normalised) < before + 2 * len(table["de"]) + len(table) + 10


# The config: locale, labels and their checks ----------------------------------------------


def _load(project, text: str, name: str = "docsite.yml"):
    project.write({name: text})
    report = Report()
    return load_config(project.root, None, report), report


def test_config_reads_locale_and_labels(project):
    config, report = _load(
        project, "locale: fr\nlabels:\n  fr:\n    toc-contents-label: Au sommaire\n"
    )
    assert not report.items
    assert config.locale == "fr" and config.language == "fr"
    assert config.labels == {"fr": {"Toc_Contents_Label": "Au sommaire"}}
    assert config.toc_label == "Au sommaire"
    assert config.search.placeholder == "Rechercher"
    assert config.edit.label == "Modifier cette page"
    assert config.backlinks.title == "Voir aussi"
    assert config.title == "Documentation"  # no title: the locale's default


def test_settings_of_their_own_win_over_labels(project):
    config, report = _load(
        project,
        """\
        locale: de
        toc: {label: Inhalt}
        search: {placeholder: Finden, no_results: Leider nichts}
        edit: {label: Verbessern}
        backlinks: {title: Verweise}
        language: de-CH
        """,
    )
    assert not report.items
    assert config.toc_label == "Inhalt"
    assert (config.search.placeholder, config.search.no_results) == ("Finden", "Leider nichts")
    assert config.edit.label == "Verbessern"
    assert config.backlinks.title == "Verweise"
    assert config.language == "de-CH"


def test_an_unknown_label_key_is_a_warning_at_its_place(project):
    config, report = _load(
        project,
        """\
        labels:
          default:
            toc_contents_label: Contents
            search_input_placeholdr: Find
        """,
    )
    [warning] = report.items
    assert warning.severity == "warning"
    assert (warning.file, warning.line, warning.col) == ("docsite.yml", 4, 5)
    assert "search_input_placeholdr" in warning.message
    assert "search_input_placeholder" in warning.hint
    assert config.labels == {"default": {"Toc_Contents_Label": "Contents"}}


@pytest.mark.parametrize("value", ["[a, b]", "{a: b}", "true", "42", "null"])
def test_a_label_that_is_not_text_is_an_error_at_its_place(project, value):
    _, report = _load(project, f"labels:\n  fr:\n    text_dark: Nuit\n    text_light: {value}\n")
    [error] = report.items
    assert error.severity == "error"
    assert (error.line, error.col) == (4, 17)
    assert "labels.fr.text_light" in error.message and "must be text" in error.message
    assert "quotes" in error.hint


def test_a_group_that_is_not_a_mapping_is_an_error(project):
    _, report = _load(project, "labels:\n  fr: Rechercher\n")
    [error] = report.items
    assert error.severity == "error" and (error.line, error.col) == (2, 7)
    assert "'labels.fr' must be a mapping" in error.message


def test_the_same_key_twice_in_a_group_is_a_warning(project):
    config, report = _load(project, "labels:\n  default:\n    text_dark: A\n    Text-Dark: B\n")
    [warning] = report.items
    assert warning.line == 4 and "again" in warning.message
    assert config.labels["default"]["Text_Dark"] == "B"


def test_a_locale_without_words_is_a_warning(project):
    config, report = _load(project, "locale: partner\n")
    [warning] = report.items
    assert warning.line == 1 and "partner" in warning.message and "labels" in warning.hint
    assert config.language == "en"  # a custom group says nothing of the pages' language


def test_a_regional_tag_of_a_language_uses_its_words_and_keeps_its_tag(project):
    config, report = _load(project, "locale: ko-KR\n")
    assert not report.items
    assert config.language == "ko-KR" and config.toc_label == "이 페이지의 내용"


def test_a_custom_locale_with_its_group(project):
    config, report = _load(
        project, "locale: partner\nlabels:\n  partner:\n    toc_contents_label: In this section\n"
    )
    assert not report.items
    assert config.toc_label == "In this section" and config.language == "en"


def test_retype_config_locale_and_labels_with_positions(project):
    config, report = _load(
        project,
        """\
        locale: es
        labels:
          es:
            search_input_placeholder: Buscar en la documentación
            toc_contents_labl: Índice
        """,
        "retype.yml",
    )
    [warning] = report.items
    assert (warning.file, warning.line, warning.col) == ("retype.yml", 5, 5)
    assert "toc_contents_label" in warning.hint
    assert config.locale == "es" and config.language == "es"
    assert config.search.placeholder == "Buscar en la documentación"


def test_retype_locale_date_format_is_read_with_english_words(project):
    config, report = _load(project, "locale:\n  dateFormat: MM-dd-yyyy\n", "retype.yml")
    assert not report.items
    assert config.locale == "en" and config.date_format == "MM-dd-yyyy"


# Built sites ------------------------------------------------------------------------------

PAGES = {
    "content/index.md": "# Home\n\n## First\n\n## Second\n\nSee [the guide](guide.md).\n",
    "content/guide.md": "---\ntags: [setup]\n---\n# Guide\n\n## Step\n\n## Other\n",
}


def test_a_site_in_french_shows_french_words(project):
    project.write(
        {
            **PAGES,
            "docsite.yml": "title: Projet\nlocale: fr\nedit:\n  repo: https://github.com/a/b\n",
        }
    )
    result = project.build(strict=True)
    assert result.ok, project.messages(result)
    page = project.page("guide/index.html")
    assert page.html["lang"] == "fr"
    assert page.select_one(".search-input")["placeholder"] == "Rechercher"
    assert page.select_one(".toc-title").get_text() == "Sur cette page"
    assert page.select_one(".toc-inline summary").get_text() == "Sur cette page"
    assert page.select_one(".pager-prev .pager-hint").get_text() == "Précédent"
    assert page.select_one(".edit-link a").get_text() == "Modifier cette page"
    assert page.select_one(".backlinks-title").get_text() == "Voir aussi"
    toggle = page.select_one(".theme-toggle")
    assert (toggle["data-light"], toggle["data-dark"], toggle["data-system"]) == (
        "Clair",
        "Sombre",
        "Système",
    )
    home = project.page("index.html")
    assert home.select_one(".pager-next .pager-hint").get_text() == "Suivant"
    search = home.select_one("#search")
    assert search["data-no-results"] == built_in_labels("fr")["Search_NoResults_Label"]
    missing = project.page("404.html")
    assert missing.select_one("article h1").get_text() == "Page introuvable"
    assert (
        missing.select_one("article p a").get_text()
        == built_in_labels("fr")["Page_404_GoToHomeButton_Label"]
    )
    assert project.page("tags/index.html").select_one("article h1").get_text() == "Étiquettes"
    tag = project.page("tags/setup/index.html")
    assert tag.select_one("article h1").get_text() == "Étiquette: setup"
    assert tag.select("article a")[-1].get_text() == "Toutes les étiquettes"


def test_last_updated_follows_the_labels(project):
    project.write(
        {
            "content/index.md": "---\nlastUpdated: 2026-03-12\nlastUpdatedBy: Ada\n---\n# Home\n",
            "docsite.yml": "locale: de\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    shown = project.page("index.html").select_one(".last-updated")
    assert shown.get_text() == "Aktualisiert am 12.03.2026 von Ada"  # German dates too
    assert shown.time["datetime"] == "2026-03-12" and shown.select_one(".last-updated-by")


def test_a_site_in_a_custom_locale(project):
    project.write(
        {
            **PAGES,
            "docsite.yml": """\
            locale: partner
            labels:
              default:
                contentfooter_nextbutton_label: Onward
                search_input_placeholder: Search docs
              partner:
                search_input_placeholder: Search partner docs
                toc_contents_label: In this section
            """,
        }
    )
    result = project.build(strict=True)
    assert result.ok, project.messages(result)
    page = project.page("index.html")
    assert page.html["lang"] == "en"
    assert page.select_one(".search-input")["placeholder"] == "Search partner docs"
    assert page.select_one(".toc-title").get_text() == "In this section"
    assert page.select_one(".pager-next .pager-hint").get_text() == "Onward"
    assert not page.select_one("#search").has_attr("data-no-results")  # search.js's English


# Retype projects in every language ----------------------------------------------------------


@pytest.mark.parametrize("code", sorted(RETYPE_LOCALES - {"en"}))
def test_every_retype_locale_code_gives_its_own_words(project, code):
    """Each code of Retype's Supported Languages, as a retype.yml writes it (pt-PT)."""
    written = "pt-PT" if code == "pt-pt" else code
    config, report = _load(project, f"locale: {written}\n", "retype.yml")
    assert not report.items, [item.format() for item in report.items]
    assert config.language == written
    assert config.toc_label != "On this page"
    assert config.toc_label == built_in_labels(built_in(written))["Toc_Contents_Label"]


RETYPE_PAGES = {
    "index.md": "# Home\n\n## First\n\n## Second\n",
    "guide.md": "# Guide\n\n## Step\n\n## Other\n",
}


def test_a_retype_project_in_arabic_reads_right_to_left(project):
    project.write({**RETYPE_PAGES, "retype.yml": "locale: ar\n"})
    result = project.build(strict=True)
    assert result.ok, project.messages(result)
    page = project.page("guide/index.html")
    assert (page.html["lang"], page.html["dir"]) == ("ar", "rtl")
    assert page.select_one(".toc-title").get_text() == "في هذه الصفحة"
    assert page.select_one(".search-input")["placeholder"] == "بحث"
    assert project.page("404.html").html["dir"] == "rtl"


def test_a_site_in_english_or_german_has_no_direction_set(project):
    for locale in ("en", "de"):
        project.write({**RETYPE_PAGES, "retype.yml": f"locale: {locale}\n"})
        result = project.build()
        assert result.ok, project.messages(result)
        assert not project.page("index.html").html.has_attr("dir"), locale


def test_the_page_language_decides_the_direction(project):
    """docsite's `language` is the pages' language; Hebrew pages read right to left even
    with the interface's words in English."""
    project.write({"content/index.md": "# בית\n", "docsite.yml": "language: he\n"})
    result = project.build()
    assert result.ok, project.messages(result)
    html = project.page("index.html").html
    assert (html["lang"], html["dir"]) == ("he", "rtl")


def test_a_retype_project_in_portuguese_of_portugal_or_brazil(project):
    shown = {}
    for locale in ("pt-PT", "pt"):
        project.write({**RETYPE_PAGES, "retype.yml": f"locale: {locale}\n"})
        result = project.build(strict=True)
        assert result.ok, project.messages(result)
        page = project.page("guide/index.html")
        assert page.html["lang"] == locale
        shown[locale] = (
            page.select_one(".pager-prev .pager-hint").get_text(),
            project.page("index.html").select_one(".pager-next .pager-hint").get_text(),
        )
    assert shown["pt-PT"] == ("Anterior", "Seguinte")
    assert shown["pt"] == ("Anterior", "Próxima")


def test_markdown_components_speak_the_sites_language_and_follow_a_new_locale(project):
    body = (
        "# Home\n\n> [!NOTE]\n> Plain.\n\n> [!WARNING] Own title\n> Titled.\n\n"
        "!!!+\nCollapsible.\n!!!\n"
    )
    project.write({"docsite.yml": "locale: fr\n", "content/index.md": body})
    assert project.build().ok

    def titles() -> list[str]:
        page = project.page("index.html")
        found = page.select(".markdown-alert-title") + page.select(".callout summary")
        return [element.get_text(" ", strip=True) for element in found]

    assert titles() == ["Remarque", "Own title", "Détails"]
    project.write({"docsite.yml": "locale: de\n"})  # the cached page bodies are not reused
    assert project.build().ok
    assert titles() == ["Hinweis", "Own title", "Details"]


# The theme's own words: landmarks, controls and generated pages ----------------------------

# docsite's keys for words of its theme that Retype's list has no key for.
THEME_WORDS = (
    "Nav_SkipToContent_Label",
    "Nav_Menu_Label",
    "Nav_Sidebar_Label",
    "Nav_Breadcrumb_Label",
    "Nav_FolderPages_Label",
    "Header_Links_Label",
    "Search_Input_Label",
    "Header_ColorScheme_Label",
    "PageActions_Menu_Label",
    "Footer_Links_Label",
    "Footer_BuiltWith_Label",
    "Redirect_Title_Label",
    "Redirect_Moved_Label",
    "Page_Tag_NoPages_Label",
    "ContentFooter_Pager_Label",
    "Code_CopyButton_Label",
    "Code_Copied_Label",
    "Clipboard_Copied_Label",
    "Clipboard_LinkCopied_Label",
    "Clipboard_Failed_Label",
    "Search_Results_Label",
    "Search_Loading_Label",
    "Search_Unavailable_Label",
    "Search_NeedsServer_Label",
    "Search_MoreResults_Label",
)


def _locale_file(locale: str) -> dict[str, str]:
    text = resources.files("docsite").joinpath("locales", f"{locale}.json").read_text("utf-8")
    return json.loads(text)


@pytest.mark.parametrize("locale", built_in_locales())
def test_every_locale_file_has_every_key_in_english_order(locale):
    """The file itself, not English filling in: a missing word would show up in English."""
    assert list(_locale_file(locale)) == list(keys()), locale


def test_every_language_translates_the_themes_own_words():
    english = _locale_file("en")
    assert set(THEME_WORDS) <= set(english)
    for locale in built_in_locales():
        words = _locale_file(locale)
        if locale != "en":  # a short word may be the same ("Menu"), a sentence is not
            assert words["Nav_SkipToContent_Label"] != english["Nav_SkipToContent_Label"]
            assert words["Redirect_Moved_Label"] != english["Redirect_Moved_Label"], locale
        assert words["Footer_BuiltWith_Label"].count("{0}") == 1, locale


LANDMARK_CONFIG = """\
links:
  - text: Repo
    link: https://example.com/repo
footer:
  links:
    - text: Licence
      link: https://example.com/licence
actions:
  items:
    - text: Print
      action: print-page
"""

LANDMARK_PAGES = {
    "index.md": "# Home\n",
    "guide/index.md": "---\ntags: [setup]\n---\n# Guide\n",
    "guide/step.md": "---\nredirect_from: /old-step\n---\n# Step\n",
    "secret.md": "---\ntags: [hidden-only]\nvisibility: hidden\n---\n# Secret\n",
}


SCRIPT_WORDS = (
    ("API_CopyHint_Label", "data-copy"),
    ("Code_CopyButton_Label", "data-copy-code"),
    ("Code_Copied_Label", "data-copied"),
    ("Clipboard_Copied_Label", "data-copied-text"),
    ("Clipboard_LinkCopied_Label", "data-copied-link"),
    ("Clipboard_Failed_Label", "data-copy-failed"),
)
SEARCH_WORDS = (
    ("Search_Results_Label", "data-results-label"),
    ("Search_Loading_Label", "data-loading-label"),
    ("Search_Unavailable_Label", "data-unavailable"),
    ("Search_NeedsServer_Label", "data-needs-server"),
    ("Search_MoreResults_Label", "data-more"),
)


def _theme_words(project) -> dict[str, str]:
    """The theme's own words as a built site shows them, each by its label key."""
    step = project.page("guide/step/index.html")
    guide = project.page("guide/index.html")
    redirect = project.page("old-step/index.html")
    empty_tag = project.page("tags/hidden-only/index.html")
    return {
        "Nav_SkipToContent_Label": step.select_one("a.skip-link").get_text(),
        "Nav_Menu_Label": step.select_one(".menu-toggle")["aria-label"],
        "Nav_Sidebar_Label": step.select_one("nav#sidebar")["aria-label"],
        "Nav_Breadcrumb_Label": step.select_one("nav.breadcrumbs")["aria-label"],
        "Header_Links_Label": step.select_one("nav.header-links")["aria-label"],
        "Search_Input_Label": step.select_one(".search-input")["aria-label"],
        "Header_ColorScheme_Label": step.select_one(".theme-toggle")["aria-label"],
        "PageActions_Menu_Label": step.select_one(".page-actions summary")["aria-label"],
        "Footer_Links_Label": step.select_one("nav.footer-links")["aria-label"],
        "ContentFooter_Pager_Label": step.select_one("nav.pager")["aria-label"],
        # The words docsite.js and search.js write, handed to them in the page.
        **{key: step.select_one("main#content")[attribute] for key, attribute in SCRIPT_WORDS},
        **{key: step.select_one("#search")[attribute] for key, attribute in SEARCH_WORDS},
        "Page_Tags_Title": guide.select_one("ul.tags")["aria-label"],
        "Page_Tag_NoPages_Label": empty_tag.select_one("article p").get_text(),
        "generated_sidebar": empty_tag.select_one("nav#sidebar")["aria-label"],
        "folder_toggle": step.select_one(".nav-toggle .sr-only").get_text(),
        "built_with": step.select_one(".site-footer .generator").get_text(),
        "redirect_title": redirect.title.get_text(),
        "redirect_text": redirect.body.p.get_text(),
        "redirect_link": redirect.body.p.a.get_text(),
    }


@pytest.mark.parametrize(("locale", "config"), [("fr", "retype.yml"), ("ar", "docsite.yml")])
def test_the_themes_own_words_are_in_the_sites_language(project, locale, config):
    if config == "docsite.yml":
        settings = LANDMARK_CONFIG.replace(
            "footer:\n  links:\n    - text: Licence\n      link:",
            "footer_links:\n  - text: Licence\n    link:",
        )
        files = {f"content/{name}": text for name, text in LANDMARK_PAGES.items()}
    else:
        settings, files = LANDMARK_CONFIG, dict(LANDMARK_PAGES)
    project.write({**files, config: f"locale: {locale}\n{settings}"})
    result = project.build()
    assert result.ok, project.messages(result)
    words, shown = built_in_labels(locale), _theme_words(project)
    for key in [key for key in shown if key in words]:
        assert shown[key] == words[key], key
    assert shown["generated_sidebar"] == words["Nav_Sidebar_Label"]
    folder = words["Nav_FolderPages_Label"].replace("{0}", "Guide")
    assert shown["folder_toggle"] == folder
    assert shown["built_with"] == words["Footer_BuiltWith_Label"].replace("{0}", "docsite")
    target = shown["redirect_link"]
    assert target.endswith("guide/step/")
    assert shown["redirect_title"] == words["Redirect_Title_Label"].replace("{0}", target)
    assert shown["redirect_text"] == words["Redirect_Moved_Label"].replace("{0}", target)
    assert shown["Nav_SkipToContent_Label"] != built_in_labels("en")["Nav_SkipToContent_Label"]


def test_the_themes_own_words_follow_labels_overrides(project):
    project.write(
        {
            **LANDMARK_PAGES,
            "retype.yml": LANDMARK_CONFIG
            + """\
labels:
  default:
    nav-skiptocontent-label: Jump to the text
    Footer_BuiltWith_Label: "Made by {0}, with care"
    redirect_moved_label: "Now at {0}"
  en:
    header_colorscheme_label: Theme
""",
        }
    )
    result = project.build(strict=True)
    assert result.ok, project.messages(result)
    shown = _theme_words(project)
    assert shown["Nav_SkipToContent_Label"] == "Jump to the text"
    assert shown["Header_ColorScheme_Label"] == "Theme"
    assert shown["built_with"] == "Made by docsite, with care"
    assert shown["redirect_text"] == f"Now at {shown['redirect_link']}"
    assert shown["Nav_Menu_Label"] == "Menu"  # the rest stays English
