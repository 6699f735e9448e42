"""Compiled templates kept for the life of the process (theme.py `_CompiledTemplates`): a
second build in the same process compiles no template it has compiled already, yet a template
whose source changed is compiled again, and each project's cache folder still gets its own
compiled copies for the next process."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup
from conftest import write_files

from docsite.build import BuildOptions, build_site
from docsite.config import SiteConfig
from docsite.theme import (
    CHROME_TEMPLATES,
    _CompiledTemplates,
    compile_templates,
    template_environment,
)

FOOTER = "templates/partials/footer.html"


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles, from an empty memory of compiled ones."""
    monkeypatch.setattr(_CompiledTemplates, "_kept", {})
    names: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, *args, **kwargs):
        names.append(name)
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def _build(root: Path, use_cache: bool = True) -> None:
    options = BuildOptions(root=root, jobs=1, use_cache=use_cache, search_index=False)
    assert build_site(options).ok


def _footer(root: Path) -> str:
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    footer = BeautifulSoup(html, "html.parser").find("footer")
    return footer.get_text(" ", strip=True) if footer else ""


def test_a_second_project_built_in_the_process_compiles_no_template_again(tmp_path, compiled):
    for name in ("one", "two"):
        write_files(tmp_path / name, {"content/index.md": f"# {name}\n\nText.\n"})
    _build(tmp_path / "one")
    first = list(compiled)
    assert "page.html" in first
    compiled.clear()
    _build(tmp_path / "two")
    assert compiled == []
    # Each project's cache folder holds the compiled templates, for its next process (and
    # the code's stylesheet, which the theme makes: test_highlight_reuse).
    folders = [tmp_path / name / ".docsite-cache" / "templates" for name in ("one", "two")]
    listed = [sorted(p.name for p in folder.glob("__jinja2_*")) for folder in folders]
    assert listed[0] and listed[0] == listed[1]
    assert len(listed[0]) == len(set(first))


def test_a_template_whose_source_changed_is_compiled_again(tmp_path, compiled):
    write_files(
        tmp_path,
        {"content/index.md": "# Home\n", FOOTER: "<footer><p>Before</p></footer>\n"},
    )
    _build(tmp_path)
    assert _footer(tmp_path) == "Before"
    compiled.clear()
    write_files(tmp_path, {FOOTER: "<footer><p>After</p></footer>\n"})
    _build(tmp_path)
    assert compiled == ["partials/footer.html"]
    assert _footer(tmp_path) == "After"


def test_builds_without_a_cache_compile_once_in_the_process(tmp_path, compiled):
    for name in ("one", "two"):
        write_files(tmp_path / name, {"content/index.md": f"# {name}\n"})
    _build(tmp_path / "one", use_cache=False)
    assert compiled
    compiled.clear()
    _build(tmp_path / "two", use_cache=False)
    assert compiled == []
    assert not (tmp_path / "two" / ".docsite-cache").exists()


def test_a_template_takes_the_globals_set_before_it_loads_under_its_own(tmp_path):
    """The theme's environment gives each template its globals as one dict (speed): those
    of the environment, with the template's own over them, as Jinja's chain of both does."""
    env = template_environment(SiteConfig(root=tmp_path), None)
    env.loader = jinja2.DictLoader({"own.html": "{{ a }} {{ b }}", "env.html": "{{ a }} {{ b }}"})
    env.globals.update(a="env a", b="env b")
    assert env.get_template("own.html", globals={"b": "own b"}).render() == "env a own b"
    assert env.get_template("env.html").render() == "env a env b"
    assert env.globals["b"] == "env b"  # the template's own stay its own


def test_the_chrome_templates_are_compiled_first(tmp_path):
    """A process compiling the templates aside has the theme's chrome ready first: the
    build's own process renders it as it makes its theme, and compiles what is not there."""
    loaded: list[str] = []

    class Recording(jinja2.DictLoader):
        def get_source(self, environment, template):
            loaded.append(template)
            return super().get_source(environment, template)

    env = template_environment(SiteConfig(root=tmp_path), None)
    names = ["404.html", "base.html", "page.html", *CHROME_TEMPLATES, "partials/toc.html"]
    env.loader = Recording(dict.fromkeys(sorted(names), "x"))
    compile_templates(env)
    assert loaded[: len(CHROME_TEMPLATES)] == list(CHROME_TEMPLATES)
    assert sorted(loaded) == sorted(names)  # and every other one after
