"""Shared helpers: small projects written to a temporary folder, built, and parsed."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from textwrap import dedent

import pytest
from bs4 import BeautifulSoup

import docsite.build
import docsite.cache
from docsite import stamp
from docsite.build import BuildOptions, BuildResult, build_site

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seeds" / "status-codes.md"


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(dedent(text).lstrip("\n"), encoding="utf-8")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


class Project:
    """A throwaway docs project: write files, build, read the output."""

    def __init__(self, root: Path):
        self.root = root
        self.out = root / "site"

    def write(self, files: dict[str, str | bytes]) -> Project:
        write_files(self.root, files)
        return self

    def build(self, strict: bool = False) -> BuildResult:
        return build_site(BuildOptions(root=self.root, out=self.out, strict=strict))

    def page(self, rel: str) -> BeautifulSoup:
        return soup(self.out / rel)

    def icons_without_rule(self) -> dict[str, list[str]]:
        """Each page's icon classes (`i-<name>`) that neither icons.css nor its head draws."""
        found = {}
        for path in sorted(self.out.rglob("*.html")):
            rel = path.relative_to(self.out).as_posix()
            page = self.page(rel)
            shown = {c for tag in page.select("[class]") for c in tag["class"] if c[:2] == "i-"}
            drawn = set(re.findall(r"\.(i-[A-Za-z0-9_-]+)\{", self.icon_css(rel)))
            if shown - drawn:
                found[rel] = sorted(shown - drawn)
        return found

    def icon_css(self, rel: str) -> str:
        """The icon rules a page sees: icons.css (every page's) and those in its own head."""
        own = "".join(style.text for style in self.page(rel).select("head style.page-icons"))
        return (self.out / "assets/icons.css").read_text(encoding="utf-8") + own

    def messages(self, result: BuildResult) -> list[str]:
        return [d.format() for d in result.report.sorted()]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that drive the browser, or live in a browser module, carry the `browser` marker."""
    for item in items:
        module = item.path.stem
        if "chromium" in getattr(item, "fixturenames", ()) or module.endswith("_browser"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    """One headless Chromium for the whole run (skipped locally, failed on CI, without one)."""
    from browser import chromium_browser

    with chromium_browser() as browser:
        yield browser


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "proj")


@pytest.fixture
def seed_text() -> str:
    if SEED.is_file():
        return SEED.read_text(encoding="utf-8")
    return (REPO / "content" / "status-codes.md").read_text(encoding="utf-8")


@pytest.fixture
def copy_repo_project(tmp_path: Path) -> Callable[[], Path]:
    """A copy of this repository's own docs project, to build without touching site/."""

    def copy() -> Path:
        dest = tmp_path / "repo"
        dest.mkdir()
        for name in ("content", "docsite.yml"):
            src = REPO / name
            if src.is_dir():
                shutil.copytree(src, dest / name)
            else:
                shutil.copyfile(src, dest / name)
        return dest

    return copy


@pytest.fixture
def fine_times(monkeypatch):
    """This file system's nanosecond times, trusted at once (as they are on ext4 or tmpfs):
    the tests need not wait out the window kept for coarse timestamps."""
    monkeypatch.setattr(stamp, "RACY_WINDOW_NS", 0)
    monkeypatch.setattr(docsite.cache, "RACY_WINDOW_NS", 0)


@pytest.fixture
def builds(monkeypatch):
    """Calls of the builder made by the command line (none when the stamp answered)."""
    calls = []
    real = docsite.build.build_site

    def counted(options):
        calls.append(options)
        return real(options)

    monkeypatch.setattr(docsite.build, "build_site", counted)
    return calls
