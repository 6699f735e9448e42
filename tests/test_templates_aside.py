"""A fresh build's templates compiled by a process of their own while the pages are read
(build/prepare.py `compile_templates_aside`): the theme uses what it compiled."""

from __future__ import annotations

from pathlib import Path

import jinja2
from conftest import write_files

from docsite.build import BuildOptions, build_site
from docsite.build import prepare as prepare_module
from docsite.cache import BuildCache
from docsite.config import load_config
from docsite.diagnostics import Report
from docsite.render import PARALLEL_TEXT, PARALLEL_THRESHOLD
from docsite.theme import _CompiledTemplates, compile_templates, template_environment

# Whitespace that trim_blocks and lstrip_blocks remove: templates compiled with other settings
# than the theme's would write it.
FOOTER = "<footer>\n  {% if true %}\n    <p>{{ site.title }}</p>\n  {% endif %}\n</footer>\n"


def _project(root: Path) -> None:
    pages = {f"content/p{i}.md": f"# Page {i}\n\n[next](p{i + 1}.md)\n" for i in range(60)}
    pages["content/p60.md"] = "# Last\n"
    write_files(
        root,
        {"docsite.yml": "title: Aside\n", "templates/partials/footer.html": FOOTER, **pages},
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_theme_loads_every_template_compiled_aside_without_compiling(tmp_path, monkeypatch):
    # Nothing compiled by this process before: the theme's templates come from the folder.
    monkeypatch.setattr(_CompiledTemplates, "_kept", {})
    _project(tmp_path)
    config = load_config(tmp_path, None, Report())
    cache = BuildCache(tmp_path, tmp_path / "site")
    folder = cache.templates_dir()
    assert folder is not None
    (folder / "pygments-0.css").write_text("/* kept alone */")  # no template compiled yet
    process = prepare_module.compile_templates_aside(config, cache)
    assert process is not None
    process.join()
    assert process.exitcode == 0
    compiled = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    env = template_environment(config, cache.templates_dir())
    compile_templates(env)
    assert env.list_templates(extensions=("html",)) and compiled == []
    assert prepare_module.compile_templates_aside(config, cache) is None  # compiled already


def test_a_fresh_build_with_templates_compiled_aside_writes_the_same_site(tmp_path, monkeypatch):
    """The same site whether the templates were compiled aside or by the build's process,
    and the helper ends well."""
    started = []
    aside = prepare_module.compile_templates_aside

    def noting(config, cache):
        started.append(aside(config, cache))
        return started[-1]

    monkeypatch.setattr(prepare_module, "compile_templates_aside", noting)
    monkeypatch.setattr("docsite.build.site.compile_templates_aside", noting)
    trees = []
    for name in ("aside", "here"):
        root = tmp_path / name
        _project(root)
        if name == "here":
            monkeypatch.setattr("docsite.build.site.compile_templates_aside", lambda *_: None)
        result = build_site(BuildOptions(root=root, jobs=2, search_index=False))
        assert result.ok
        trees.append(_tree(root / "site"))
    assert len(started) == 1 and started[0] is not None and started[0].exitcode == 0
    assert trees[0] == trees[1]
    footer = trees[0]["p1/index.html"].decode()
    assert "<footer>\n    <p>Aside</p>\n</footer>" in footer


def test_small_sites_and_single_core_builds_compile_their_templates_themselves(
    tmp_path, monkeypatch
):
    started = []
    monkeypatch.setattr(
        "docsite.build.site.compile_templates_aside", lambda *args: started.append(args)
    )
    small = {f"content/p{i}.md": f"# P{i}\n" for i in range(PARALLEL_THRESHOLD - 1)}
    write_files(tmp_path / "small", small)
    assert build_site(BuildOptions(root=tmp_path / "small", jobs=2, search_index=False)).ok
    _project(tmp_path / "one")
    assert build_site(BuildOptions(root=tmp_path / "one", jobs=1, search_index=False)).ok
    assert started == []


def test_a_few_long_pages_compile_their_templates_aside(tmp_path, monkeypatch):
    """Work for several cores is told by the pages' text too: four pages of 33 KB each are
    rendered by workers, so their templates are compiled aside meanwhile."""
    started = []
    monkeypatch.setattr(
        "docsite.build.site.compile_templates_aside", lambda *args: started.append(args)
    )
    paragraph = "Some long text of a page. " * 40
    pages = {f"content/p{i}.md": f"# P{i}\n\n" + (paragraph + "\n\n") * 32 for i in range(4)}
    assert sum(map(len, pages.values())) >= PARALLEL_TEXT
    write_files(tmp_path / "long", pages)
    assert build_site(BuildOptions(root=tmp_path / "long", jobs=2, search_index=False)).ok
    assert len(started) == 1
