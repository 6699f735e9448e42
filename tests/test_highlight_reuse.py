"""An edited page's code blocks that did not change are taken from its last parse, not
highlighted again: Pygments builds a lexer in every process that highlights with it (35 ms
for Python's), which a one-page rebuild would otherwise pay for a paragraph's edit."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_files

import docsite.markdown.code as code_module
from docsite.build import BuildOptions, build_site
from docsite.cache import CACHE_DIR, BuildCache

PAGE = (
    "# Guide\n\nSome prose.\n\n"
    "```python\ndef greet(name):\n    return f'hello {name}'\n```\n\n"
    "```js #2\nconst answer = 42;\nconsole.log(answer);\n```\n\n"
    "```text\nplain, never highlighted\n```\n"
)


@pytest.fixture
def highlighted(monkeypatch) -> list[str]:
    """The code Pygments highlights, block by block."""
    seen: list[str] = []
    real = code_module.highlight

    def counting(code, lexer, formatter):
        seen.append(code)
        return real(code, lexer, formatter)

    monkeypatch.setattr(code_module, "highlight", counting)
    return seen


def make_project(root: Path) -> None:
    write_files(
        root,
        {
            "docsite.yml": "title: Code\n",
            "content/index.md": "# Home\n\nSee [the guide](guide.md).\n",
            "content/guide.md": PAGE,
        },
    )


def build(root: Path, out: Path, use_cache: bool = True) -> dict[str, bytes]:
    result = build_site(BuildOptions(root=root, out=out, jobs=1, use_cache=use_cache))
    assert result.ok, [d.format() for d in result.report.items]
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and "pagefind" not in p.parts
    }


def clean(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a build from nothing makes of the project as it is now."""
    copy = tmp_path / "clean"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(CACHE_DIR, "site"))
    return build(copy, copy / "site", use_cache=False)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_an_edit_of_the_prose_highlights_no_code_again(tmp_path, highlighted):
    root = tmp_path / "project"
    make_project(root)
    build(root, root / "site")
    assert len(highlighted) == 2  # the Python and the JavaScript; text is never highlighted

    highlighted.clear()
    edit(root / "content/guide.md", "Some prose.", "Some other prose.")
    site = build(root, root / "site")
    assert highlighted == []
    assert "Some other prose." in site["guide/index.html"].decode()
    highlighted.clear()
    assert site == clean(root, tmp_path)


def test_only_the_changed_block_is_highlighted_again(tmp_path, highlighted):
    root = tmp_path / "project"
    make_project(root)
    build(root, root / "site")

    highlighted.clear()
    edit(root / "content/guide.md", "const answer = 42;", "const answer = 43;")
    site = build(root, root / "site")
    assert highlighted == ["const answer = 43;\nconsole.log(answer);\n"]
    highlighted.clear()
    assert site == clean(root, tmp_path)


def test_a_block_highlighted_by_another_pygments_is_highlighted_again(
    tmp_path, highlighted, monkeypatch
):
    root = tmp_path / "project"
    make_project(root)
    with monkeypatch.context() as older:
        older.setattr(code_module, "PYGMENTS_VERSION", "0.0.1")
        build(root, root / "site")

    highlighted.clear()
    edit(root / "content/guide.md", "Some prose.", "Some other prose.")
    build(root, root / "site")
    assert len(highlighted) == 2


def test_a_page_parsed_again_for_another_reason_does_not_read_its_last_parse(tmp_path, monkeypatch):
    """Its file is unchanged (here the config changed every page's Markdown key): reading
    each such page's last parse would cost more than highlighting spares."""
    root = tmp_path / "project"
    make_project(root)
    build(root, root / "site")

    read: list[str] = []
    real = BuildCache.code_of_last_parse
    monkeypatch.setattr(
        BuildCache,
        "code_of_last_parse",
        lambda self, rel: read.append(rel) or real(self, rel),
    )
    write_files(root, {"docsite.yml": "title: Code\ncode:\n  line_numbers: [python]\n"})
    site = build(root, root / "site")
    assert read == []
    assert 'class="highlight numbered"' in site["guide/index.html"].decode()

    edit(root / "content/guide.md", "Some prose.", "Some other prose.")
    build(root, root / "site")
    assert read == ["guide.md"]


def test_a_damaged_last_parse_is_highlighted_anew(tmp_path, highlighted):
    root = tmp_path / "project"
    make_project(root)
    build(root, root / "site")
    for kept in (root / CACHE_DIR / "markdown").glob("*.pickle"):
        kept.write_bytes(b"not a parse")

    highlighted.clear()
    edit(root / "content/guide.md", "Some prose.", "Some other prose.")
    site = build(root, root / "site")
    assert len(highlighted) == 2
    highlighted.clear()
    assert site == clean(root, tmp_path)


def test_an_edit_of_the_prose_loads_no_lexer_formatter_or_style(tmp_path, monkeypatch):
    """Pygments loads where it is used: the edit's build (a process of its own, as a
    command's) takes the page's blocks from its last parse and the stylesheet as the first
    build made it, and imports none of Pygments' modules but the package itself."""
    import docsite.cache

    root = tmp_path / "project"
    make_project(root)
    # Recalled from docsite's files as they are now, as the edit's process recalls it.
    monkeypatch.setattr(docsite.cache, "_ENGINE_DIGEST", [])
    build(root, root / "site")
    edit(root / "content/guide.md", "Some prose.", "Some other prose.")
    script = (
        "import sys\nfrom docsite.cli import main\n"
        "try:\n    main(['build', '-q', '--jobs', '1'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pygments'))"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "['pygments']", done.stdout
    assert "Some other prose." in (root / "site/guide/index.html").read_text()


def test_the_code_stylesheet_is_made_once_and_kept(tmp_path, monkeypatch):
    """The stylesheet depends on docsite and Pygments alone: made by the first build and
    kept in the cache under a name that holds both, a later build takes it as it is."""
    root = tmp_path / "project"
    make_project(root)
    code_module.pygments_css.cache_clear()  # what this process made for other tests' caches
    first = build(root, root / "site")["assets/pygments.css"]
    assert first.decode() == code_module.highlight_css()
    kept = list((root / CACHE_DIR / "templates").glob("pygments-*.css"))
    assert len(kept) == 1 and kept[0].read_bytes() == first

    def not_again() -> str:
        raise AssertionError("the stylesheet was made again")

    code_module.pygments_css.cache_clear()  # as a new process finds it
    monkeypatch.setattr(code_module, "highlight_css", not_again)
    edit(root / "content/guide.md", "Some prose.", "Some other prose.")
    assert build(root, root / "site")["assets/pygments.css"] == first
    monkeypatch.setattr(code_module, "PYGMENTS_VERSION", "0.0.1")  # another Pygments
    code_module.pygments_css.cache_clear()
    with pytest.raises(AssertionError, match="made again"):
        code_module.pygments_css(kept[0].parent)
