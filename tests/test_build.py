"""End-to-end builds of small projects, checked with an HTML parser."""

import os
import re

import pytest
from conftest import soup

from docsite.build import BuildOptions, build_site
from docsite.diagnostics import UsageError
from docsite.themefiles import default_theme_dir


def test_seed_page_builds_with_icon_badge_and_order(project, seed_text):
    project.write(
        {
            "content/index.md": "# Welcome\n\nRead [the codes](status-codes.md#404-not-found).\n",
            "content/status-codes.md": seed_text,
            "content/guide.md": "---\norder: 1900\nicon: rocket\n---\n# Guide\n",
            "content/later.md": "---\norder: 100\n---\n# Later\n",
        }
    )
    result = project.build()
    assert result.ok and not result.report.items
    page = project.page("status-codes/index.html")
    items = page.select("nav.sidebar li.nav-item > a.nav-link")
    assert [a.select_one(".nav-label").text for a in items] == [
        "Welcome",
        "Guide",
        "Status Codes",
        "Later",
    ]
    active = page.select_one("nav.sidebar a[aria-current=page]")
    assert active.select_one(".nav-label").text == "Status Codes"
    assert active["href"] == "../status-codes/"
    assert active.select_one("span.icon.i-rss") is not None
    badge = active.select_one("span.badge")
    assert badge.text == "NEW" and "badge-info" in badge["class"]
    assert page.select_one("article h1").text.startswith("Status Codes")
    assert [a.text for a in page.select("aside.toc a")][:2] == ["200: OK", "400: Bad Request"]
    assert page.title.text == "Status Codes | Docs"
    css = project.icon_css("status-codes/index.html")
    assert ".i-rss{" in css and ".i-rocket{" in css
    home = project.page("index.html")
    assert home.select_one("article p a")["href"] == "status-codes/#404-not-found"


def test_every_local_url_in_the_output_resolves(project, seed_text):
    project.write(
        {
            "content/index.md": "# Home\n[guide](guide/setup.md)\n",
            "content/status-codes.md": seed_text,
            "content/guide/index.md": "# Guide\n",
            "content/guide/setup.md": "# Setup\n![shot](shot.png)\n",
            "content/guide/shot.png": b"\x89PNG",
            "docsite.yml": "links:\n  - text: Setup\n    link: guide/setup.md\n",
        }
    )
    assert project.build().ok
    for html_file in project.out.rglob("*.html"):
        page = soup(html_file)
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in page.find_all(tag):
                url = element.get(attr)
                if not url or url.startswith(("#", "http", "mailto:")):
                    continue
                target = (html_file.parent / url.split("#")[0]).resolve()
                if url.split("#")[0].endswith("/") or not url.split("#")[0]:
                    target = target / "index.html"
                assert target.is_file(), f"{html_file.relative_to(project.out)}: {url}"
                assert project.out.resolve() in target.parents


def test_layouts_hidden_pages_and_redirects(project):
    project.write(
        {
            "content/index.md": "# Home\n",
            "content/wide.md": "---\nlayout: central\n---\n# Wide\n## Part\n",
            "content/hidden.md": "---\nvisibility: hidden\n---\n# Hidden\n",
            "content/moved.md": "---\nredirect: wide.md\n---\n",
            "content/away.md": "---\nredirect: https://example.com/new\n---\n",
        }
    )
    assert project.build().ok
    wide = project.page("wide/index.html")
    assert wide.select_one("nav.sidebar") is None and wide.select_one("aside.toc") is None
    hidden = project.page("hidden/index.html")
    labels = [s.text for s in hidden.select("nav.sidebar .nav-label")]
    assert "Hidden" not in labels and "Wide" in labels
    assert hidden.select_one("nav.sidebar [aria-current]") is None
    refresh = project.page("moved/index.html").find("meta", attrs={"http-equiv": "refresh"})
    assert refresh["content"] == "0; url=../wide/"
    assert project.page("away/index.html").find("link", rel="canonical")["href"] == (
        "https://example.com/new"
    )


def test_sidebar_carries_only_the_current_branch(project):
    files = {"content/index.md": "# Home\n"}
    for section in ("alpha", "beta"):
        files[f"content/{section}/index.md"] = f"# {section.title()}\n"
        for n in range(3):
            files[f"content/{section}/p{n}.md"] = f"# {section} page {n}\n"
    project.write(files)
    assert project.build().ok
    page = project.page("alpha/p1/index.html")
    labels = [s.text for s in page.select("nav.sidebar .nav-label")]
    assert "alpha page 0" in labels and "beta page 0" not in labels and "Beta" in labels
    assert page.select_one("li.nav-folder.is-collapsed .nav-label").text == "Beta"
    crumbs = [li.get_text(strip=True) for li in page.select("nav.breadcrumbs li")]
    assert crumbs == ["Alpha"]


def test_site_templates_override_the_theme(project):
    project.write(
        {
            "content/index.md": "# Home\n",
            "templates/partials/footer.html": "<footer class='custom-footer'>Ours</footer>\n",
            "static/assets/extra.css": "body{}",
        }
    )
    assert project.build().ok
    assert project.page("index.html").select_one("footer.custom-footer").text == "Ours"
    assert (project.out / "assets/extra.css").is_file()
    assert (project.out / "assets/docsite.css").is_file()


def test_the_theme_s_stylesheets_and_scripts_reach_the_site_minified_a_project_s_as_written(
    project,
):
    """docsite's own CSS and JavaScript lose their comments and layout, not a rule or a
    statement; the project's own files, an override of the theme's included, are published
    byte for byte (Retype copies static files as they are)."""
    own_css = "/* ours */\nbody {\n  color: #123456;\n}\n"
    own_js = "// ours\nlet shown = 1;\n"
    project.write(
        {
            "content/index.md": "# Home\n",
            "static/assets/extra.css": own_css,
            "static/assets/extra.js": own_js,
            "static/assets/search.css": own_css,
        }
    )
    assert project.build().ok
    theme = default_theme_dir() / "static/assets"
    for name in ("docsite.css", "components.css", "docsite.js", "components.js"):
        source = (theme / name).read_text()
        published = (project.out / "assets" / name).read_text()
        assert len(published) < 0.9 * len(source), name
        assert "\n  " not in published and "/* " not in published, f"{name} keeps its layout"
        if name.endswith(".css"):  # every custom property and selector is still there
            assert set(re.findall(r"--[\w-]+(?=:)", source)) == set(
                re.findall(r"--[\w-]+(?=:)", published)
            )
            uncommented = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
            assert published.count("{") == uncommented.count("{"), f"{name} lost a rule"
        else:  # every function still defined
            assert set(re.findall(r"function (\w+)", source)) == set(
                re.findall(r"function (\w+)", published)
            )
    for name, text in (("extra.css", own_css), ("extra.js", own_js), ("search.css", own_css)):
        assert (project.out / "assets" / name).read_text() == text


def test_broken_template_override_is_reported_with_its_line(project):
    project.write(
        {
            "content/index.md": "# Home\n",
            "templates/partials/footer.html": "<footer>\n{% if %}\n</footer>\n",
        }
    )
    result = project.build()
    assert not result.ok
    (error,) = result.report.errors
    assert error.file == "templates/partials/footer.html" and error.line == 2


def test_unknown_icon_warns_and_strict_fails(project):
    project.write({"content/index.md": "---\nicon: rocekt\n---\n# Home\n"})
    result = project.build()
    assert result.ok
    (warning,) = result.report.warnings
    assert (warning.file, warning.line, warning.col) == ("content/index.md", 2, 7)
    assert "'rocket'" in warning.hint
    assert not project.build(strict=True).ok


def test_failed_build_leaves_previous_site_untouched(project):
    project.write({"content/index.md": "# Home\n"})
    assert project.build().ok
    before = {p: p.read_bytes() for p in project.out.rglob("*") if p.is_file()}
    project.write({"content/bad.md": "---\norder: [1\n---\n# Bad\n"})
    result = project.build()
    assert not result.ok
    after = {p: p.read_bytes() for p in project.out.rglob("*") if p.is_file()}
    assert after == before
    leftovers = [n for n in os.listdir(project.root) if n.startswith(".site")]
    assert leftovers == []


def test_custom_svg_and_emoji_icons(project):
    project.write(
        {
            "content/index.md": "---\nicon: brand\n---\n# Home\n",
            "content/party.md": "---\nicon: :tada:\n---\n# Party\n",
            "static/icons/brand.svg": (
                '<svg viewBox="0 0 16 16"><circle cx="8" cy="8" r="8"/></svg>'
            ),
        }
    )
    result = project.build()
    assert result.ok and not result.report.items
    labels = project.page("party/index.html").select("nav.sidebar a.nav-link")
    assert labels[0].select_one(".icon.i-c-brand") is not None
    assert labels[1].select_one(".icon-emoji").text == "\U0001f389"
    css = project.icon_css("party/index.html")
    assert ".i-c-brand{" in css and "circle" in css


def test_social_image_is_resolved_and_checked(project):
    project.write(
        {
            "docsite.yml": "url: https://example.com/docs\n",
            "content/index.md": "# Home\n",
            "content/guide/a.md": "---\nimage: ../img/card.png\n---\n# A\n",
            "content/img/card.png": b"\x89PNG",
        }
    )
    assert project.build().ok
    meta = project.page("guide/a/index.html").find("meta", property="og:image")
    assert meta["content"] == "https://example.com/docs/img/card.png"
    project.write({"content/b.md": "---\nimage: nothere.png\n---\n# B\n"})
    result = project.build()
    (error,) = result.report.errors
    assert (error.file, error.line, error.col) == ("content/b.md", 2, 8)


def test_inline_icons_use_the_site_icons_and_reach_the_page(project):
    project.write(
        {
            "content/index.md": "# Home\n\nOur :icon-brand: and :icon-zap: icons.\n",
            "static/icons/brand.svg": '<svg viewBox="0 0 16 16"><rect width="9" height="9"/></svg>',
        }
    )
    result = project.build()
    assert result.ok and not result.report.items
    paragraph = project.page("index.html").select_one("article p")
    assert paragraph.select_one("span.icon.i-c-brand") is not None
    assert paragraph.select_one("span.icon.i-zap") is not None
    css = project.icon_css("index.html")
    assert ".i-c-brand{" in css and ".i-zap{" in css


RETYPE_BUILT_INDEX = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="UTF-8">\n'
    '<meta name="generator" content="Retype 4.6.0">\n<title>Home</title>\n</head></html>\n'
)


def test_a_retype_projects_committed_output_is_replaced_and_a_lookalike_is_not(project):
    """Many Retype projects commit their built site (2FAuth's `public/`); Retype replaces
    it on every build, and so does docsite. Without Retype's marks, the folder is kept."""
    project.write(
        {
            "retype.yml": "output: public\n",
            "index.md": "# Home\n",
            "public/index.html": RETYPE_BUILT_INDEX,
            "public/resources/js/retype.js": "/* built */",
            "public/old-page/index.html": "<html></html>",
        }
    )
    result = build_site(BuildOptions(root=project.root))
    assert result.ok, project.messages(result)
    public = project.root / "public"
    assert not (public / "old-page").exists() and not (public / "resources/js/retype.js").exists()
    assert "docsite" in (public / "index.html").read_text()
    lookalike = project.root / "mine"
    (lookalike / "resources").mkdir(parents=True)
    (lookalike / "index.html").write_text("<html><head><title>Mine</title></head></html>")
    with pytest.raises(UsageError, match="did not write"):
        build_site(BuildOptions(root=project.root, out=lookalike))
    assert (lookalike / "index.html").read_text().startswith("<html><head><title>Mine")


def test_a_build_with_nothing_to_do_loads_no_renderer(project, monkeypatch):
    """Python's start and imports are most of a no-change build: that path reads the config
    and hashes the inputs, and never imports markdown-it, Jinja, Pygments or Pagefind."""
    import subprocess
    import sys

    import docsite.cache

    # The first build runs in this process, which knows docsite's hash from its first build:
    # docsite's files edited since (a test run alongside work on them) would make the second
    # build, in a process of its own, see another engine and build it all. Recalled from the
    # files as they are now, as the second build recalls it.
    monkeypatch.setattr(docsite.cache, "_ENGINE_DIGEST", [])
    project.write({"docsite.yml": "title: T\nfooter: Made by us\n", "content/index.md": "# Hi\n"})
    assert project.build().ok
    heavy = ("markdown_it", "jinja2", "pygments", "pagefind", "docsite.render")
    script = (
        "import sys\nfrom docsite.cli import main\n"
        "try:\n    main(['build', '-q'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r} or m in {heavy!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=project.root, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
