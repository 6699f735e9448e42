"""Site-wide link checks: anchors on the target page; links to hidden pages are fine."""


def test_missing_anchor_is_an_error_at_the_link(project):
    project.write(
        {
            "content/index.md": "# Home\n\n[ok](guide.md#install) [fn](guide.md#fn1)\n\n"
            "[bad](guide.md#instal) [self](#home) [selfbad](#nowhere)\n",
            "content/guide.md": "# Guide\n\n## Install\n\nNote[^1]\n\n[^1]: A footnote.\n",
        }
    )
    result = project.build()
    assert not result.ok
    errors = [(d.file, d.line, d.col, d.message, d.hint) for d in result.report.errors]
    assert len(errors) == 2
    bad, selfbad = sorted(errors, key=lambda e: e[2])
    assert bad[:3] == ("content/index.md", 5, 7)
    assert "'#instal'" in bad[3] and "'content/guide.md'" in bad[3] and "'install'" in bad[4]
    assert selfbad[1] == 5 and "'#nowhere'" in selfbad[3] and "this page" in selfbad[3]


def test_link_to_hidden_page_is_the_way_to_reach_it(project):
    """Retype hides a page from the navigation so that links reach it: no warning."""
    project.write(
        {
            "content/index.md": "# Home\n\nSee [secret](secret.md#more).\n",
            "content/secret.md": "---\nvisibility: hidden\n---\n# Secret\n\n## More\n",
        }
    )
    result = project.build()
    assert result.ok and not result.report.items
    link = project.page("index.html").select_one("main a[href*=secret]")
    assert link is not None and link["href"].endswith("secret/#more")


def test_anchor_removed_from_a_cached_target_is_caught_on_rebuild(project):
    project.write(
        {
            "content/index.md": "# Home\n\n[setup](guide.md#setup)\n",
            "content/guide.md": "# Guide\n\n## Setup\n",
        }
    )
    assert project.build().ok
    project.write({"content/guide.md": "# Guide\n\n## Installation\n"})
    result = project.build()
    assert not result.ok
    (error,) = result.report.errors
    assert error.file == "content/index.md" and "'#setup'" in error.message


def test_links_to_block_ids_are_checked_with_a_block_id_hint(project):
    project.write(
        {
            "content/index.md": (
                "# Home\n\n[[guide#^steps]] [ok](guide.md#^steps) [[#^here]]\n\n"
                "[[guide#^step]] [typo](guide.md#^stpes) [[guide#^install]]\n\nHere. ^here\n"
            ),
            "content/guide.md": "# Guide\n\n## Install\n\n- Step one ^steps\n- Step two\n",
        }
    )
    result = project.build()
    errors = sorted((d.line, d.col, d.message, d.hint) for d in result.report.errors)
    assert [(line, col) for line, col, _, _ in errors] == [(5, 1), (5, 24), (5, 41)]
    (_, _, step, step_hint), (_, _, typo, typo_hint), (_, _, heading, heading_hint) = errors
    assert "'#^step'" in step and "'content/guide.md'" in step
    assert step_hint == typo_hint == "did you mean '^steps'?"
    assert "'#^stpes'" in typo
    # '^install' is no block id, though the page has a heading 'install'
    assert "'#^install'" in heading and "block id is written at the end" in heading_hint


BROKEN = {
    "index.md": "# Home\n\n[gone](missing.md) [file](data/missing.pdf) [anchor](guide.md#nope)\n\n"
    "[[Nowhere]]\n",
    "guide.md": "# Guide\n\n## Setup\n",
}


def _located(result) -> list[tuple[str, int, int, str]]:
    return [(d.file, d.line, d.col, d.severity.value) for d in result.report.sorted()]


def test_a_retype_project_builds_with_broken_links_and_warns_at_each(project):
    """Retype builds a page whose link goes nowhere and warns: so does docsite for a Retype
    project, and `--strict` stops it."""
    project.write({"retype.yml": "branding:\n  title: Old\n", **BROKEN})
    result = project.build()
    assert result.ok
    assert _located(result) == [
        ("index.md", 3, 8, "warning"),
        ("index.md", 3, 27, "warning"),
        ("index.md", 3, 54, "warning"),
        ("index.md", 5, 1, "warning"),
    ]
    messages = [d.message for d in result.report.sorted()]
    assert "missing.md" in messages[0] and "missing.pdf" in messages[1]
    assert "'#nope'" in messages[2] and "Nowhere" in messages[3]
    link = project.page("index.html").find("a", string="anchor")
    assert link is not None and link["href"].endswith("#nope")  # written as Retype does
    strict = project.build(strict=True)
    assert not strict.ok and len(strict.report.errors) == 4


def test_a_docsite_project_stops_on_broken_links_unless_checks_say_otherwise(project):
    project.write({"docsite.yml": "title: T\n", **{f"content/{k}": v for k, v in BROKEN.items()}})
    result = project.build()
    # The page failed, so its anchors are not checked against the others: three errors.
    assert not result.ok and len(result.report.errors) == 3
    project.write({"docsite.yml": "title: T\nchecks:\n  links: warning\n  anchors: off\n"})
    result = project.build()
    assert result.ok
    assert [d.severity.value for d in result.report.items] == ["warning"] * 3
    assert not any("#nope" in d.message for d in result.report.items)
    project.write({"docsite.yml": "title: T\nchecks:\n  links: off\n  anchors: error\n"})
    result = project.build()
    assert not result.ok
    assert [d.message for d in result.report.items] == [
        "link to '#nope', which is not an anchor on 'content/guide.md'"
    ]


def test_a_retype_project_may_ask_for_errors(project):
    project.write({"retype.yml": "checks:\n  links: error\n", **BROKEN})
    result = project.build()
    assert not result.ok
    assert [d.severity.value for d in result.report.sorted()] == ["error"] * 3


def test_an_unknown_check_level_is_located(project):
    project.write({"docsite.yml": "checks:\n  links: loud\n", "content/index.md": "# Home\n"})
    result = project.build()
    assert not result.ok
    (error,) = result.report.errors
    assert (error.file, error.line) == ("docsite.yml", 2)
    assert "error, warning, off" in error.hint or "error" in error.message


def test_a_redirect_or_image_setting_to_nothing_is_reported_as_the_checks_say(project):
    """A link in a setting (`redirect`, `image`) is a link like one in the body: a missing
    target is an error by default, a warning or nothing as `checks.links` says, placed at
    the setting. A redirect to nothing writes no page, so it is never silent."""
    pages = {
        "content/index.md": "# Home\n",
        "content/old.md": "---\nredirect: gone.md\n---\n# Old\n",
        "content/shot.md": "---\nimage: missing.png\n---\n# Shot\n",
    }
    project.write({"docsite.yml": "title: T\n", **pages})
    result = project.build()
    found = sorted((d.file, d.line, d.severity.value) for d in result.report.items)
    assert found == [("content/old.md", 2, "error"), ("content/shot.md", 2, "error")]
    project.write({"docsite.yml": "title: T\nchecks:\n  links: warning\n"})
    result = project.build()
    assert result.ok, [d.format() for d in result.report.items]
    found = sorted((d.file, d.line, d.severity.value) for d in result.report.items)
    assert found == [("content/old.md", 2, "warning"), ("content/shot.md", 2, "warning")]
    project.write({"docsite.yml": "title: T\nchecks:\n  links: 'off'\n"})
    result = project.build()
    assert result.ok, [d.format() for d in result.report.items]
    found = sorted((d.file, d.line, d.severity.value) for d in result.report.items)
    assert found == [("content/old.md", 2, "warning")]


def test_link_checks_are_said_again_after_an_edit_and_done_again_when_links_change(
    project, monkeypatch
):
    """A rebuild whose pages link and are anchored as before says the last build's link
    warnings without walking every link; a changed link or anchor is checked anew."""
    import docsite.build.site as build_site_module

    walks = []
    check = build_site_module.check_links
    monkeypatch.setattr(
        build_site_module, "check_links", lambda *args: walks.append(1) or check(*args)
    )
    project.write(
        {
            "docsite.yml": "title: Checks\nchecks:\n  anchors: warning\n",
            "content/index.md": "# Home\n\n[bad](guide.md#setup)\n",
            "content/guide.md": '# Guide\n\n<span id="install"></span>\n',
        }
    )

    def warnings() -> list[tuple[str, int, str]]:
        result = project.build()
        assert result.ok
        return [(d.file, d.line, d.message) for d in result.report.items]

    first = warnings()
    assert len(first) == 1 and "'#setup'" in first[0][2] and walks == [1]
    project.write({"content/index.md": "# Home\n\n[bad](guide.md#setup)\n\nMore text.\n"})
    assert warnings() == first and walks == [1]  # said again, not walked again
    project.write({"content/guide.md": '# Guide\n\n<span id="install"></span>\n\nMore.\n'})
    assert warnings() == first and walks == [1]
    project.write({"content/guide.md": '# Guide\n\n<span id="setup"></span>\n'})
    assert warnings() == [] and walks == [1, 1]  # the anchor is there now (not a heading's)
    project.write({"content/index.md": "# Home\n\n[bad](guide.md#setup) [new](#nowhere)\n"})
    (again,) = warnings()
    assert "'#nowhere'" in again[2] and walks == [1, 1, 1]
