"""One URL policy for every href and src docsite writes: script URLs are refused where they are
written, permalinks are paths, and redirects must reach a page."""

from __future__ import annotations

import pytest
from conftest import Project

from docsite import cli
from docsite.urls import refused_url, relative_href, site_path_problem

# Every field a URL reaches an attribute from, with a script URL in it. (file, line, col, what
# the message starts with) for each, in the order the report sorts them.
PAYLOAD_SITE = {
    "docsite.yml": """
        title: T
        logo: "javascript:alert(1)"
        links:
          - text: Home
            link: "javascript:alert(2)"
          - text: Docs
            link: "  JAVASCRIPT:alert(2)"
        edit:
          repo: "javascript:alert(3)"
        image: "data:text/html,<script>alert(4)</script>"
        mermaid:
          script: "data:text/javascript,alert(5)"
        url: "javascript://example.org/%0aalert(6)"
        footer: "[a](javascript:alert(7)) and [b](https://example.org)"
        data:
          evil: "javascript:alert(8)"
        """,
    "content/index.md": "# Home\n",
    "content/p.md": """
        ---
        permalink: "javascript:alert(4),/x"
        author:
          name: Eve
          link: "java\\tscript:alert(5)"
        image: "data:text/html,x"
        ---
        # P

        [!button Go](javascript:alert(6))

        [!ref Go](JavaScript:alert(7))

        [!card](vbscript:msgbox(8))

        [!file](data:text/html,<script>alert(9)</script>)

        [!badge B](&#106;avascript:alert(10))

        [!card image="javascript:alert(11)"](index.md)

        [x](javascript:alert(12)) and ![i](data:text/html,x) and <javascript:alert(13)>

        [!button Data]({{ data.evil }})

        [Data]({{ data.evil }})

        <a href="{{ data.evil }}">raw</a>
        """,
    "content/r.md": '---\nredirect: "javascript:alert(13)"\n---\n',
    "content/_includes/head.html": '<link rel="alternate" href="{{ data.evil }}">\n',
}
EXPECTED = [
    ("content/_includes/head.html", 1, 32, "'{{ data.evil }}' in href=\"...\" cannot be"),
    ("content/p.md", 2, 12, "invalid permalink 'javascript:alert(4),/x': 'javascript:'"),
    ("content/p.md", 5, 9, "'author.link' cannot be 'java\\x09script:alert(5)': a javascript:"),
    ("content/p.md", 6, 8, "'image' cannot be 'data:text/html,x': an image's data: URL"),
    ("content/p.md", 10, 14, "[!button] link cannot be 'javascript:alert(6)'"),
    ("content/p.md", 12, 11, "[!ref] link cannot be 'JavaScript:alert(7)'"),
    ("content/p.md", 14, 9, "[!card] link cannot be 'vbscript:msgbox(8)': a vbscript: URL"),
    ("content/p.md", 16, 9, "[!file] link cannot be 'data:text/html,<script>"),
    ("content/p.md", 18, 12, "[!badge] link cannot be '&#106;avascript:alert(10)'"),
    ("content/p.md", 20, 15, "[!card] image cannot be 'javascript:alert(11)'"),
    ("content/p.md", 22, 5, "a link cannot be 'javascript:alert(12)'"),
    ("content/p.md", 22, 36, "an image cannot be 'data:text/html,x'"),
    ("content/p.md", 22, 59, "a link cannot be 'javascript:alert(13)'"),
    ("content/p.md", 24, 16, "[!button] link cannot be 'javascript:alert(8)'"),
    ("content/p.md", 26, 8, "a link cannot be 'javascript:alert(8)'"),
    ("content/p.md", 28, 13, "'{{ data.evil }}' in href=\"...\" cannot be 'javascript:alert(8)'"),
    ("content/r.md", 2, 11, "'redirect' cannot be 'javascript:alert(13)'"),
    ("docsite.yml", 2, 7, "'logo' cannot be 'javascript:alert(1)'"),
    ("docsite.yml", 5, 11, "'links.0.link' cannot be 'javascript:alert(2)'"),
    ("docsite.yml", 7, 11, "'links.1.link' cannot be '  JAVASCRIPT:alert(2)'"),
    ("docsite.yml", 9, 9, "'edit.repo' cannot be 'javascript:alert(3)'"),
    ("docsite.yml", 10, 8, "'image' cannot be 'data:text/html,<script>alert(4)</script>'"),
    ("docsite.yml", 12, 11, "'mermaid.script' cannot be 'data:text/javascript,alert(5)'"),
    ("docsite.yml", 13, 6, "'url' cannot be 'javascript://example.org/%0aalert(6)'"),
    ("docsite.yml", 14, 9, "a link in 'footer' cannot be 'javascript:alert(7)'"),
]


def test_every_field_refuses_script_urls_at_its_position(project: Project):
    result = project.write(PAYLOAD_SITE).build()
    assert not result.ok and not result.written
    found = [(d.file, d.line, d.col, d.message) for d in result.report.errors]
    assert len(found) == len(EXPECTED), "\n".join(map(str, found))
    for (file, line, col, message), expected in zip(found, EXPECTED, strict=True):
        assert (file, line, col) == expected[:3], (found, expected)
        assert message.startswith(expected[3]), (message, expected)
    assert all(
        d.hint.startswith("link to a page") or d.hint.startswith("write it as a path")
        for d in result.report.errors
    )
    assert not result.report.warnings
    assert not project.out.exists()


def test_build_exits_1_and_check_reports_them(project: Project, monkeypatch, capsys):
    monkeypatch.chdir(project.write(PAYLOAD_SITE).root)
    assert cli.main(["build", "--no-cache"]) == 1
    built = capsys.readouterr().err
    assert cli.main(["check"]) == 1
    checked = capsys.readouterr().err
    for output in (built, checked):
        assert "Traceback" not in output
        assert "content/p.md:10:14: error: [!button] link cannot be 'javascript:alert(6)'" in (
            output
        )
        assert "docsite.yml:9:9: error: 'edit.repo' cannot be" in output
        assert "hint: link to a page or file of the site" in output
    assert f"(0 warnings, {len(EXPECTED)} errors)" in checked


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " \x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "jav\r\nascript:alert(1)",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:text/html,x",
        "data:image/svg+xml,<svg onload=alert(1)>",  # in an href: a page of its own
        "javascript://example.org/%0aalert(1)",
    ],
)
def test_script_urls_are_refused_as_a_browser_reads_them(url: str):
    refused = refused_url(url, "'x'")
    assert refused is not None
    assert refused.message.startswith("'x' cannot be '")
    assert "\n" not in refused.message and "\t" not in refused.message


@pytest.mark.parametrize(
    "url", ["&#106;avascript:alert(1)", "javascript&colon;alert(1)", "java&Tab;script:alert(1)"]
)
def test_html_ish_values_are_read_with_their_entities(url: str):
    assert refused_url(url, "'x'", entities=True) is not None
    assert refused_url(url, "'x'") is None  # YAML text: the entity is written escaped


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c#d",
        "http://example.org",
        "mailto:me@example.org",
        "guide/setup.md",
        "/guide/setup",
        "#anchor",
        "javascript-guide.md",
        "javascript%3Aalert(1)",  # a relative path: '%' cannot be in a scheme
        "./javascript:alert(1)",
        "",
    ],
)
def test_safe_urls_pass(url: str):
    assert refused_url(url, "'x'") is None


def test_data_images_are_allowed_as_an_image_source_only():
    png = "data:image/png;base64,iVBORw0KGgo="
    assert refused_url(png, "'x'", image=True) is None
    assert refused_url(" DATA:Image/svg+xml,<svg/>", "'x'", image=True) is None
    assert refused_url(png, "'x'") is not None
    refused = refused_url("data:text/html,x", "'x'", image=True)
    assert refused is not None and "data:image/" in refused.message


@pytest.mark.parametrize(
    ("permalink", "problem"),
    [
        ("javascript:alert(4),/x", "'javascript:' makes it a URL of its own"),
        ("mailto:x", "'mailto:' makes it a URL of its own"),
        ("x/%2e%2e/y", "'.' or '..' segments"),
        ("x/%2E/y", "'.' or '..' segments"),
        ("/a/../b", "'.' or '..' segments"),
        ("/a(b)", "it contains '(', ')'; a path may only contain letters, digits"),
        ("/a,b", "it contains ','"),
        ("/a@b", "it contains '@'"),
        ("/a%20b", "it contains '%'"),
        ("/a b", "it contains ' '"),
        ("/a?b#c", "it contains '#', '?'"),
        ("//evil.example/x", "a path on this site"),
        ("C:\\temp", "file system path"),
    ],
)
def test_site_paths_allow_what_the_message_lists(permalink: str, problem: str):
    assert problem in site_path_problem(permalink)


@pytest.mark.parametrize("path", ["/status-codes", "guide/setup", "/a_b.c~d/", "/über-uns", "/"])
def test_retype_permalinks_are_paths(path: str):
    assert site_path_problem(path) == ""


def test_permalink_errors_list_exactly_the_allowed_characters(project: Project):
    project.write(
        {
            "content/index.md": "# Home\n",
            "content/a.md": "---\npermalink: x/%2e%2e/y\n---\n# A\n",
            "content/b.md": "---\npermalink: '/a:b(c),d'\n---\n# B\n",
            "content/c.md": "---\npermalink: /ok_path.v2~x\n---\n# C\n",
        }
    )
    result = project.build()
    messages = project.messages(result)
    assert messages == [
        "content/a.md:2:12: error: invalid permalink 'x/%2e%2e/y': it cannot contain '.' or "
        "'..' segments (also not as %2e)\n"
        "  hint: write it as a path from the site root, e.g. permalink: /guide/setup",
        "content/b.md:2:12: error: invalid permalink '/a:b(c),d': it contains '(', ')', ',', "
        "':'; a path may only contain letters, digits, '-', '_', '.', '~' and '/'\n"
        "  hint: write it as a path from the site root, e.g. permalink: /guide/setup",
    ]


def test_redirect_from_follows_the_same_path_rules(project: Project):
    project.write(
        {
            "content/index.md": "# Home\n",
            "content/a.md": "---\nredirect_from: ['javascript:alert(1)', 'old/%2e%2e/x']\n---\n",
        }
    )
    result = project.build()
    errors = [d.message for d in result.report.errors]
    assert any("'javascript:' makes it a URL of its own" in m for m in errors), errors
    assert any("'.' or '..' segments" in m for m in errors), errors


def test_a_path_that_looks_like_a_scheme_keeps_its_dot_slash():
    assert relative_href("", "a:b/") == "./a:b/"
    assert relative_href("", "guide/") == "guide/"
    assert relative_href("x/", "a:b/") == "../a:b/"


def test_redirect_loops_are_an_error_naming_each_page(project: Project):
    project.write(
        {
            "content/index.md": "# Home\n",
            "content/r4.md": "---\nredirect: r5.md\n---\n",
            "content/r5.md": "---\nredirect: /r4\n---\n",
            "content/r6.md": "---\nredirect: r6.md\n---\n",
            "content/r7.md": "---\nredirect: r4.md\n---\n",  # leads into the loop
            "content/s.md": "---\nredirect: r7.md\n---\n",  # and into that chain
            "content/r8.md": "---\nredirect: r9.md\n---\n",
            "content/r9.md": "---\nredirect: index.md\n---\n",  # a chain that ends on a page
        }
    )
    result = project.build()
    assert not result.ok
    hint = "\n  hint: point one of these redirects at a page that is not itself a redirect"
    assert project.messages(result) == [
        "content/r4.md:2:11: error: redirect loop: 'content/r4.md' -> 'content/r5.md' -> "
        "'content/r4.md'; no page is ever reached" + hint,
        "content/r6.md:2:11: error: redirect loop: 'content/r6.md' -> 'content/r6.md'; "
        "no page is ever reached" + hint,
        "content/r7.md:2:11: error: redirect chain 'content/r7.md' -> 'content/r4.md' ends in "
        "a loop; no page is ever reached" + hint,
        "content/s.md:2:11: error: redirect chain 'content/s.md' -> 'content/r7.md' -> "
        "'content/r4.md' ends in a loop; no page is ever reached" + hint,
    ]


def test_quotes_stay_inside_attributes(project: Project):
    repo = 'https://example.org/repo"onmouseover="alert(1)'
    link = 'https://example.org/?q="><script>alert(2)</script>'
    project.write(
        {
            "docsite.yml": f"edit:\n  repo: '{repo}'\nlinks:\n  - text: Q\n    link: '{link}'\n",
            "content/index.md": "---\nauthor: {name: A, link: 'https://a.org/\"x=\"y'}\n---\n# H\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    page = project.page("index.html")
    edit = page.select_one(".edit-link a")
    assert edit["href"] == repo + "/edit/main/content/index.md"
    assert not edit.has_attr("onmouseover")
    header = page.select_one(".header-links a")
    assert header["href"] == link
    assert not [s for s in page.select("script") if "alert" in s.decode()]
    assert page.select_one(".page-meta a")["href"] == 'https://a.org/"x="y'
    html = (project.out / "index.html").read_text()
    assert "repo&#34;onmouseover=&#34;alert(1)/edit" in html


def test_safe_urls_are_written_as_before(project: Project):
    png = "data:image/png;base64,iVBORw0KGgo="
    project.write(
        {
            "content/index.md": f"""
                # Home

                [mail](mailto:me@example.org) ![dot]({png}) [!card image="{png}"](a.md)

                [!button Site](https://example.org) [file link](file:///etc/hosts)
                """,
            "content/a.md": "# A\n",
        }
    )
    result = project.build(strict=True)
    assert result.ok, project.messages(result)
    page = project.page("index.html")
    assert page.select_one('a[href="mailto:me@example.org"]') is not None
    assert page.select_one(f'article p img[src="{png}"]') is not None
    assert page.select_one(f'.card img[src="{png}"]') is not None
    assert page.select_one('a.button[href="https://example.org"]') is not None
    # markdown-it's own refusal of file: links stays: text, not a link, and no error.
    assert "[file link](file:///etc/hosts)" in page.select_one("article").get_text()


def test_footer_links_are_checked_and_never_written(project: Project):
    project.write(
        {
            "docsite.yml": "footer: '[x](JAVASCRIPT:alert(1)) [y](https://example.org)'\n",
            "content/index.md": "# Home\n",
        }
    )
    result = project.build()
    assert [(d.file, d.line, d.col) for d in result.report.errors] == [("docsite.yml", 1, 9)]
