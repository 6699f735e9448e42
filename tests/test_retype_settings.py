"""Retype's site settings docsite reads: favicon, cname, branding.logoDark and label,
markdown.lineBreaks, the search box's settings; and the keys it leaves out, with the reason."""

from __future__ import annotations

from docsite.config import load_config
from docsite.diagnostics import Report

CONFIG = """\
branding:
  title: Acme
  logo: static/logo.png
  logoDark: static/logo-dark.png
  label: v8.0
favicon: static/icon.png
cname: docs.acme.test
markdown:
  lineBreaks: hard
search:
  placeholder: Find
  maxResults: 20
  minChars: 2
  noResultsFoundMsg: Nothing here
  hotkeys: ["k", "/"]
  excludeCode: true
cache:
  strategy: query
"""


def test_site_settings_of_a_retype_project(project):
    project.write(
        {
            "retype.yml": CONFIG,
            "index.md": "# Home\n\nOne line\nand the next.\n\n```python\nx = 1\n```\n",
            "static/logo.png": b"png",
            "static/logo-dark.png": b"png",
            "static/icon.png": b"png",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    page = project.page("index.html")
    assert page.select_one('link[rel="icon"]')["href"] == "./static/icon.png"
    logos = page.select(".site-title img")
    assert [(img["src"], img.get("class")) for img in logos] == [
        ("./static/logo.png", ["logo-light"]),
        ("./static/logo-dark.png", ["logo-dark"]),
    ]
    assert page.select_one(".site-label").get_text() == "v8.0"
    assert (project.out / "CNAME").read_text() == "docs.acme.test\n"
    paragraph = page.select_one("article p")
    assert paragraph.find("br") is not None  # lineBreaks: hard
    search = page.select_one("#search")
    assert search["data-max-results"] == "20" and search["data-min-chars"] == "2"
    assert search["data-no-results"] == "Nothing here" and search["data-hotkeys"] == "k /"
    assert search.select_one("input")["placeholder"] == "Find"
    assert search.select_one("kbd").get_text() == "k"
    config = load_config(project.root, None, Report())
    assert config.search_code is False  # excludeCode: true
    cache = [m for m in project.messages(result) if "'cache'" in m]
    assert cache == [
        "retype.yml:17:1: warning: retype.yml key is left out, as it means nothing for a site "
        "docsite builds: 'cache' (docsite adds no cache-busting token to asset addresses)\n"
        "  hint: remove them when this project is built with docsite only"
    ]


def test_a_logo_that_is_not_a_file_of_the_site_is_said(tmp_path):
    (tmp_path / "docsite.yml").write_text("title: X\nlogo: img/logo.svg\nfavicon: /fav.png\n")
    (tmp_path / "content").mkdir()
    (tmp_path / "content/fav.png").write_bytes(b"png")
    report = Report()
    load_config(tmp_path, None, report)
    messages = [d.format() for d in report.items]
    assert len(messages) == 1 and messages[0].startswith(
        "docsite.yml:2:7: warning: 'logo' names 'img/logo.svg', which is not a file of the site"
    )


def test_defaults_keep_docsite_own_search_box(project):
    project.write({"content/index.md": "# Home\n"})
    assert project.build().ok
    search = project.page("index.html").select_one("#search")
    assert search["data-max-results"] == "8" and search["data-hotkeys"] == "/"
    assert not search.has_attr("data-no-results")
    assert project.page("index.html").select_one(".site-label") is None
    assert not (project.out / "CNAME").exists()


def test_serve_settings_and_the_command_line_that_overrides_them(tmp_path):
    import argparse

    from docsite.cli import _serving

    (tmp_path / "retype.yml").write_text(
        "serve:\n  host: 127.0.0.2:5005\n  watch:\n    polling: 500\n    mode: memory\n"
    )
    report = Report()
    config = load_config(tmp_path, None, report)
    assert (config.serve_host, config.serve_port, config.serve_poll) == ("127.0.0.2", 5005, True)
    assert [d.format().split("\n")[0] for d in report.items] == [
        "retype.yml:5:5: warning: retype.yml key is left out, as it means nothing for a site "
        "docsite builds: 'serve.watch.mode' (`docsite serve` always serves the built site "
        "from disk)"
    ]
    given = argparse.Namespace(host=None, port=None, poll=False)
    assert _serving(given, tmp_path, None) == ("127.0.0.2", 5005, True)
    given = argparse.Namespace(host="0.0.0.0", port=9000, poll=False)
    assert _serving(given, tmp_path, None) == ("0.0.0.0", 9000, True)
    (tmp_path / "retype.yml").write_text("serve: [broken\n")  # the build reports it, in the page
    assert _serving(argparse.Namespace(host=None, port=None), tmp_path, None) == (
        "127.0.0.1",
        8000,
        False,
    )


def test_analytics_scripts_only_when_configured(project):
    project.write(
        {
            "retype.yml": "integrations:\n  googleAnalytics:\n    id: 'G-AB</script>1'\n"
            "  googleTagManager:\n    id:\n  plausible:\n    domain: docs.acme.test\n"
            "  gravatar:\n    enabled: false\n",
            "index.md": "# Home\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    assert not any("gravatar" in m for m in project.messages(result))  # read (tests/test_blog.py)
    head = project.page("index.html").head
    scripts = [s for s in head.find_all("script") if s.get("src") or "gtag" in s.get_text()]
    sources = [s.get("src") for s in scripts if s.get("src")]
    assert "https://www.googletagmanager.com/gtag/js?id=G-AB%3C/script%3E1" in sources
    assert "https://plausible.io/js/script.js" in sources
    plausible = head.find("script", attrs={"data-domain": "docs.acme.test"})
    assert plausible is not None and plausible.has_attr("defer")
    inline = next(s.get_text() for s in scripts if "gtag(" in s.get_text())
    assert "</script>" not in inline and "\\u003c/script\\u003e" in inline
    assert "gtm.js" not in str(head)  # an id left empty (null, as Retype's samples write it)


def test_no_analytics_by_default(project):
    project.write({"content/index.md": "# Home\n"})
    assert project.build().ok
    head = str(project.page("index.html").head)
    assert "googletagmanager" not in head and "plausible" not in head


def test_outbound_links_open_in_a_new_tab_with_an_icon(project):
    project.write(
        {
            "retype.yml": 'outbound:\n  custom: \'data-kind="out" onclick="x()"\'\n'
            "  exclude:\n    - example.com\n",
            "index.md": "# Home\n\n[Out](https://retype.com/guide) [Near](https://example.com/a) "
            "[In](other.md)\n",
            "other.md": "# Other\n",
        }
    )
    result = project.build()
    assert result.ok, project.messages(result)
    links = {a.get_text(strip=True): a for a in project.page("index.html").select("article p a")}
    out = links["Out"]
    assert (out["target"], out["rel"], out["data-kind"]) == ("_blank", ["noopener"], "out")
    assert not out.has_attr("onclick")  # no script through custom attributes
    assert "i-link-external" in out.contents[-1]["class"]  # right of the text, by default
    assert not links["Near"].has_attr("target")  # excluded
    assert not links["In"].has_attr("target")  # not another site


def test_outbound_is_off_unless_configured(project):
    project.write({"content/index.md": "# Home\n\n[Out](https://retype.com/)\n"})
    assert project.build().ok
    link = project.page("index.html").select_one("article p a")
    assert not link.has_attr("target") and link.find("span") is None


def test_an_empty_retype_yml_still_means_retypes_defaults(project):
    """`retype.yml` with nothing in it (or only comments) is a Retype project: the pages
    sit beside it, and broken links warn."""
    project.write({"retype.yml": "# nothing yet\n", "index.md": "# Home\n\n[gone](gone.md)\n"})
    result = project.build()
    assert result.ok, project.messages(result)
    (warning,) = result.report.items
    assert warning.severity.value == "warning" and "gone.md" in warning.message
    assert project.page("index.html").find("h1").get_text(strip=True).startswith("Home")
