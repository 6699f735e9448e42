"""The package's shape, as ARCHITECTURE.md draws it: imports go one way, down the layers,
with no circle; functions stay short enough to read.

Every import counts, also those inside functions and under TYPE_CHECKING: a lazy import
delays loading a module, it does not make a circle or an upward edge acceptable."""

from __future__ import annotations

import ast
import graphlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "docsite"

# Top to bottom; a module may import its own layer and the layers below it.
LAYERS = ("command line", "build", "stages", "ground")
COMMAND_LINE = {
    "__main__",
    "cli",
    "clean",
    "compatibility",
    "report_json",
    "scaffold",
    "terminal",
    "serve",
    "uptodate",  # a build with nothing to do, answered before argparse loads
}
GROUND = {
    "",  # the package itself: its version
    "cache",
    "config",
    "dates",
    "diagnostics",
    "kept_code",  # what dataclasses and re compile as docsite loads, kept for the next process
    "diagnostic_text",  # how a diagnostic reads, for the no-change answer too
    "filelock",
    "forking",  # work aside: a process forked from a build
    "labels",
    "libraries",  # the versions of the libraries a build writes with, for the cache's
    "minify",  # docsite's own stylesheets and scripts as published
    "output",
    "pathpatterns",
    "presentation",  # the theme variables and the other look settings of the config
    "reading",
    "retype_config",
    "retype_partials",
    "schema",
    "scriban",
    "stamp",  # the no-change stamp, read before the rest of docsite is imported
    "suggest",  # "did you mean": the closest known name
    "trees",  # deleting folder trees, here or in a process spawned for it
    "urls",
    "yamldoc",
}
STAGES = {
    "actions",
    "backlinks",
    "blog",
    "checks",
    "content",
    "context",
    "frontmatter",
    "gitdates",
    "icons",
    "emojis",
    "keys",
    "markdown",
    "nav",
    "navpatch",  # watch mode's sidebar: the last tree patched
    "pageassets",
    "pages",
    "projectfiles",
    "publish",
    "render",
    "search",
    "sharedsidebar",  # a sidebar too long to repeat in each page: one script for its pages
    "sources",
    "tags",
    "theme",
    "themefiles",
}
LONGEST_FUNCTION = 80  # lines


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> str:
    """A module's layer, from its top-level name under docsite."""
    top = module.removeprefix("docsite").removeprefix(".").split(".")[0]
    if top == "build":
        return "build"
    for layer, names in (("command line", COMMAND_LINE), ("stages", STAGES), ("ground", GROUND)):
        if top in names:
            return layer
    raise AssertionError(
        f"{module} is in no layer: add it to a layer in tests/test_architecture.py and to "
        "ARCHITECTURE.md"
    )


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{MODULES[self.source].relative_to(REPO)}:{self.line}: imports {self.target}"


def imports_of(module: str) -> list[Edge]:
    """The docsite modules a module imports, wherever the import statement is."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    edges = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                imported = ".".join([*base, *([node.module] if node.module else [])])
            else:
                imported = node.module or ""
            # `from docsite.search import pages` imports the submodule; a name, the package.
            targets = [
                f"{imported}.{alias.name}" if f"{imported}.{alias.name}" in MODULES else imported
                for alias in node.names
            ]
        else:
            continue
        edges += [
            Edge(module, target, node.lineno)
            for target in targets
            if target.split(".")[0] == "docsite" and target != module
        ]
    return edges


EDGES = [edge for module in MODULES for edge in imports_of(module)]


def test_every_import_names_a_module_of_the_package():
    unknown = [str(edge) for edge in EDGES if edge.target not in MODULES]
    assert not unknown, unknown


def upward(edges: list[Edge]) -> list[str]:
    rank = {layer: index for index, layer in enumerate(LAYERS)}
    return [
        f"{edge} ({layer_of(edge.source)} -> {layer_of(edge.target)})"
        for edge in edges
        if rank[layer_of(edge.target)] < rank[layer_of(edge.source)]
    ]


def circle(edges: list[Edge]) -> list[str]:
    """The modules of an import circle, or [] when there is none."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as found:
        return list(found.args[1])
    return []


def test_no_module_imports_a_higher_layer():
    assert not upward(EDGES), "\n".join(upward(EDGES))


def test_no_import_circle():
    assert not circle(EDGES), "import circle: " + " -> ".join(circle(EDGES))


def test_the_checks_see_a_circle_and_an_upward_edge():
    """The checks above on made-up imports: they fail on the shapes they are there to stop."""
    render, build, cli = "docsite.render", "docsite.build.site", "docsite.cli"
    assert upward([Edge(render, build, 1)]) and upward([Edge("docsite.cache", render, 1)])
    assert not upward([Edge(cli, build, 1), Edge(build, render, 1), Edge(render, "docsite", 1)])
    assert set(circle([Edge(render, build, 1), Edge(build, render, 2)])) == {render, build}
    assert circle([Edge(cli, build, 1), Edge(build, render, 1)]) == []
    assert layer_of("docsite.serve.watch") == "command line"
    assert layer_of("docsite.markdown.components.tabs") == "stages"
    with pytest.raises(AssertionError, match="in no layer"):
        layer_of("docsite.newcomer")


def test_no_function_is_too_long_to_read():
    long = []
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > LONGEST_FUNCTION:
                    shown = path.relative_to(REPO)
                    long.append(f"{shown}:{node.lineno}: {node.name} has {length} lines")
    assert not long, "\n".join(long)
