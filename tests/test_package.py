"""The package as a user installs it: declared dependencies, and a wheel whose `docsite`
command works in a new folder with nothing from this repository behind it."""

from __future__ import annotations

import ast
import contextlib
import importlib
import os
import pkgutil
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

import docsite
from docsite.labels import built_in_locales

PIP = (sys.executable, "-m", "pip", "-q", "--disable-pip-version-check")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    """The distribution a requirement names, normalised: 'pagefind[bin]>=1' -> 'pagefind'."""
    return re.split(r"[\s\[<>=!~;(]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_every_module_of_the_package_imports():
    names = [
        module.name
        for module in pkgutil.walk_packages(docsite.__path__, prefix="docsite.")
        if module.name != "docsite.__main__"  # runs the command line
    ]
    assert len(names) > 40
    for name in names:
        importlib.import_module(name)


def test_every_third_party_import_is_a_declared_dependency():
    """Read the imports, not the installed packages: a machine with leftovers hid watchdog."""
    declared = {_name(d) for d in PYPROJECT["project"]["dependencies"]}
    for dependency in list(declared):  # what a dependency always brings may be imported
        with contextlib.suppress(PackageNotFoundError):
            declared |= {_name(r) for r in requires(dependency) or [] if "extra ==" not in r}
    distributions = packages_distributions()
    undeclared = set()
    for path in Path(docsite.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [node.module]
            else:
                continue
            for top in {module.split(".")[0] for module in modules}:
                if top in sys.stdlib_module_names or top == "docsite":
                    continue
                owners = {_name(d) for d in distributions.get(top, [top])}
                if not owners & declared:
                    undeclared.add(f"{top} ({path.name})")
    assert not undeclared, "imported but not in pyproject.toml's dependencies"


def test_dev_extra_holds_the_test_and_browser_extras_and_pins_ruff():
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert "docsite[test,browser]" in extras["dev"]
    assert next(r for r in extras["dev"] if _name(r) == "ruff").startswith("ruff==")
    runtime = {_name(d) for d in PYPROJECT["project"]["dependencies"]}
    assert not runtime & {"pytest", "playwright", "ruff", "beautifulsoup4"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip install .` builds, made offline with the hatchling of the dev extra."""
    folder = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(folder), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    [built] = folder.glob("docsite-*.whl")
    return built


def test_the_wheel_carries_the_theme_license_and_metadata(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = archive.read(metadata).decode()
    for theme_file in (
        "docsite/_theme/templates/base.html",
        "docsite/_theme/static/assets/docsite.css",
        "docsite/_theme/static/favicon.svg",
        "docsite/serve/livereload.js",
        # The interface's words (docsite.labels): every built-in locale.
        *(f"docsite/locales/{locale}.json" for locale in built_in_locales()),
    ):
        assert theme_file in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "License-Expression: MIT" in meta
    assert "Classifier: Topic :: Documentation" in meta
    assert "Requires-Dist: watchdog" in meta
    assert "pipx install docsite" in meta  # the long description is the users' page
    assert not any(n.startswith(("tests/", "content/", "benchmarks/")) for n in names)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 30) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except (urllib.error.URLError, OSError):
            if server.poll() is not None:
                raise AssertionError(server.communicate()[1].decode()) from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def _running(command: list[str], cwd: Path, env: dict[str, str]):
    server = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_the_installed_command_works_in_a_new_folder(wheel: Path, tmp_path: Path):
    """`pip install` of the wheel (its dependencies are this environment's), then every
    command a user runs, from a folder that has nothing to do with this repository."""
    target = tmp_path / "installed"
    done = subprocess.run(
        [*PIP, "install", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    command = str(target / "bin" / "docsite")
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("FORCE_COLOR", None)
    home = tmp_path / "user"
    home.mkdir()

    def run(*args: str, cwd: Path = home / "docs") -> subprocess.CompletedProcess:
        return subprocess.run(
            [command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
        )

    where = subprocess.run(
        [sys.executable, "-c", "import docsite; print(docsite.__file__)"],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(target)), where.stdout  # not this checkout's package

    assert run("init", "docs", cwd=home).returncode == 0
    assert run("new", "guide/setup", "Set up").returncode == 0
    built = run("build", "--strict")
    assert built.returncode == 0, built.stderr
    site = home / "docs" / "site"
    assert (site / "guide/setup/index.html").is_file()
    assert (site / "assets/docsite.css").is_file()  # the theme came with the wheel
    assert (site / "pagefind/pagefind.js").is_file()
    assert run("check", "--strict").returncode == 0

    port = _free_port()
    with _running([command, "preview", "--port", str(port)], home / "docs", env) as server:
        assert _wait_for(f"http://127.0.0.1:{port}/", server) == (site / "index.html").read_bytes()
    port = _free_port()
    with _running([command, "serve", "--port", str(port)], home / "docs", env) as server:
        page = _wait_for(f"http://127.0.0.1:{port}/guide/setup/", server)
        assert b"Set up" in page and b"livereload.js" in page

    # The interface's words in another language come with the wheel too.
    config = home / "docs" / "docsite.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nlocale: fr\n", encoding="utf-8")
    assert run("build", "--strict").returncode == 0
    french = BeautifulSoup((site / "guide/setup/index.html").read_text("utf-8"), "html.parser")
    assert french.html["lang"] == "fr"
    assert french.select_one(".search-input")["placeholder"] == "Rechercher"

    cleaned = run("clean")
    assert cleaned.returncode == 0
    assert not site.exists() and not (home / "docs/.docsite-cache").exists()
