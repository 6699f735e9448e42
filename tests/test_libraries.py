"""The libraries docsite writes with: their installed versions are part of the cache's, so
a page made before one of them was upgraded is made again."""

from __future__ import annotations

import importlib
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from conftest import Project

from docsite import libraries


def test_each_library_s_version_is_the_one_its_installer_recorded():
    found = libraries.installed_libraries()
    assert set(found) == set(libraries.OUTPUT_LIBRARIES)  # all installed here with pip
    for name, (version, folder) in found.items():
        assert version == metadata.version(name), name
        assert Path(folder).is_dir() and Path(folder).name.endswith(".dist-info")
    assert libraries.library_versions() == ",".join(
        f"{name}-{metadata.version(name)}" for name in sorted(found)
    )


def test_a_library_is_found_beside_the_module_it_installs(tmp_path, monkeypatch):
    """A package or a single module, its `.dist-info` folder named as installers spell it
    (any case, dots and dashes), or an older installer's `.egg-info` (Debian's too); one
    installed without such a folder, or with two left side by side, is left out."""
    modules = ("pkg_mod/__init__.py", "single_mod.py", "egg_mod.py", "bare_mod.py", "twice.py")
    for path in modules:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    for folder in (
        "Fancy.Pkg-1.2.3.dist-info",
        "single_mod-0.9.dist-info",
        "Egg_Lib-2.0-py3.11.egg-info",
        "other-1.0.dist-info",
        "twice-1.0.dist-info",
        "twice-2.0.dist-info",
    ):
        (tmp_path / folder).mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    monkeypatch.setattr(
        libraries,
        "OUTPUT_LIBRARIES",
        {
            "fancy_pkg": "pkg_mod",
            "single_mod": "single_mod",
            "egg_lib": "egg_mod",
            "bare": "bare_mod",
            "gone": "no_mod",
            "twice": "twice",
        },
    )
    libraries.installed_libraries.cache_clear()  # read once per process: read these
    try:
        assert libraries.installed_libraries() == {
            "fancy_pkg": ("1.2.3", str(tmp_path / "Fancy.Pkg-1.2.3.dist-info")),
            "single_mod": ("0.9", str(tmp_path / "single_mod-0.9.dist-info")),
            "egg_lib": ("2.0", str(tmp_path / "Egg_Lib-2.0-py3.11.egg-info")),
        }
    finally:
        libraries.installed_libraries.cache_clear()
    assert libraries.installed_version("egg_lib", "egg_mod") == "2.0"
    assert libraries.installed_version("twice", "twice") is None


def test_a_cache_made_with_another_version_of_a_library_is_not_used(project: Project):
    """Each build in a process of its own: the second reuses every page, the third, whose
    markdown-it-py reads as another version, renders them all again."""
    project.write(
        {
            "docsite.yml": "title: T\n",
            "content/index.md": "# Home\n\nSee [two](two.md).\n",
            "content/two.md": "# Two\n",
        }
    )
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from docsite import libraries\n"
        "if sys.argv[1] == 'upgraded':\n"
        "    real = libraries.library_versions()\n"
        "    later = real.replace('markdown_it_py-', 'markdown_it_py-9')\n"
        "    libraries.library_versions = lambda: later\n"
        "from docsite.build import BuildOptions, build_site\n"
        f"root, out = Path({str(project.root)!r}), Path({str(project.out)!r})\n"
        "result = build_site(BuildOptions(root=root, out=out))\n"
        "assert result.ok, result.notes\n"
        "print(result.rendered, *[n for n in result.notes if 'cache ignored' in n])\n"
    )

    def built(versions: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script, versions], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert built("installed").startswith("2")
    assert built("installed") == "0"
    rendered, *notes = built("upgraded").split(" ", 1)
    assert rendered == "2"
    assert notes and "made by another version" in notes[0], notes
