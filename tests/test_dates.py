"""Dates as readers see them: Retype's `locale.dateFormat` specifiers, names in the site's
language, and the date shown on pages built with each setting."""

from __future__ import annotations

import datetime as dt

import pytest

from docsite.dates import format_date, parse_format

DAY = dt.date(2026, 3, 5)  # a Thursday


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # Each specifier of Retype's table (configuration/project.md, locale.dateFormat).
        ("yy", "26"),
        ("yyyy", "2026"),
        ("M", "3"),
        ("MM", "03"),
        ("MMM", "Mar"),
        ("MMMM", "March"),
        ("d", "5"),
        ("dd", "05"),
        ("ddd", "Thu"),
        ("dddd", "Thursday"),
        # Its composed examples.
        ("yyyy-MM-dd", "2026-03-05"),
        ("MM/dd/yyyy", "03/05/2026"),
        ("dd MMM yyyy", "05 Mar 2026"),
        ("MMM d, yyyy", "Mar 5, 2026"),
        ("MMMM d, yyyy", "March 5, 2026"),
        ("dddd, MMMM d, yyyy", "Thursday, March 5, 2026"),
        # Literal text, as .NET writes it.
        ("d 'de' MMMM", "5 de March"),
        ("\\d\\a\\y d", "day 5"),
        ("'unclosed", "unclosed"),
    ],
)
def test_each_specifier_of_retypes_table(pattern, expected):
    assert format_date(DAY, pattern) == expected


def test_names_follow_the_locale_and_unknown_locales_are_english():
    assert format_date(DAY, "dddd d MMMM yyyy", "fr") == "jeudi 5 mars 2026"
    assert format_date(DAY, "d MMMM", "ru") == "5 марта"  # the form used with a day
    assert format_date(DAY, "MMMM", "pt-PT") == "março"
    assert format_date(DAY, "MMM d", "partner") == "Mar 5"


def test_the_parts_keep_their_columns():
    parts = parse_format("MMM d, yyyy")
    assert [(p.text, p.literal, p.col) for p in parts] == [
        ("MMM", False, 1),
        (" ", True, 4),
        ("d", False, 5),
        (",", True, 6),
        (" ", True, 7),
        ("yyyy", False, 8),
    ]


def _shown_date(project) -> str:
    return project.page("post/index.html").find("time").get_text()


POST = {"post.md": "---\ndate: 2026-03-05\n---\n# Post\n"}


@pytest.mark.parametrize(
    ("config", "shown"),
    [
        ("branding:\n  title: T\n", "2026-03-05"),  # English's Default_DateFormat
        ("locale:\n  dateFormat: MMMM d, yyyy\n", "March 5, 2026"),
        ("locale: fr\n", "05/03/2026"),  # French's Default_DateFormat
        # The label sets the default; locale.dateFormat wins over it.
        ("labels:\n  default:\n    Default_DateFormat: dd MMM\n", "05 Mar"),
        (
            "locale:\n  dateFormat: d MMM\nlabels:\n  default:\n    Default_DateFormat: yyyy\n",
            "5 Mar",
        ),
    ],
)
def test_a_page_shows_its_date_as_the_config_says(project, config, shown):
    project.write({"retype.yml": config, **POST})
    result = project.build()
    assert result.ok, project.messages(result)
    assert _shown_date(project) == shown


def test_a_french_site_names_the_month_in_french(project):
    project.write(
        {"retype.yml": "locale: fr\nlabels:\n  fr:\n    Default_DateFormat: d MMMM yyyy\n", **POST}
    )
    assert project.build().ok
    assert _shown_date(project) == "5 mars 2026"
    time = project.page("post/index.html").find("time")
    assert time["datetime"] == "2026-03-05"


def test_a_cards_date_is_written_as_the_sites_and_follows_a_new_format(project):
    pages = {**POST, "index.md": "# Home\n\n[!card](post.md)\n"}
    project.write({"retype.yml": "locale: fr\n", **pages})
    assert project.build().ok
    footer = project.page("index.html").select_one(".card-footer")
    assert footer.get_text(strip=True) == "05/03/2026"
    project.write({"retype.yml": "locale:\n  dateFormat: MMMM d, yyyy\n"})
    assert project.build().ok  # the cached page must not keep the old form
    footer = project.page("index.html").select_one(".card-footer")
    assert footer.get_text(strip=True) == "March 5, 2026"
