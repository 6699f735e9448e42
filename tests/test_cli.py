"""The command line as a user runs it: `python build.py ...` from the project folder."""

import subprocess
import sys

from conftest import REPO

BUILD_PY = str(REPO / "build.py")


def run(cwd, *args):
    return subprocess.run(
        [sys.executable, BUILD_PY, *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_build_prints_summary_and_writes_site(project):
    project.write({"content/index.md": "# Home\n", "content/a.md": "# A\n"})
    done = run(project.root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Built 2 pages in ")
    assert done.stdout.rstrip().endswith("-> site/ (0 warnings, 0 errors)")
    assert (project.root / "site/a/index.html").is_file()


def test_build_subcommand_with_out_and_quiet(project):
    project.write({"content/index.md": "# Home\n"})
    done = run(project.root, "build", "--out", "public", "-q")
    assert done.returncode == 0 and done.stdout == ""
    assert (project.root / "public/index.html").is_file()


def test_verbose_lists_every_page(project):
    project.write({"content/index.md": "# Home\n", "content/guide/a.md": "# A\n"})
    done = run(project.root, "-v")
    assert done.returncode == 0
    assert "  content/guide/a.md -> site/guide/a/index.html" in done.stdout.splitlines()
    assert "  content/index.md -> site/index.html" in done.stdout.splitlines()


def test_broken_yaml_exits_1_with_location_and_keeps_site(project):
    project.write({"content/index.md": "# Home\n"})
    assert run(project.root).returncode == 0
    index = (project.root / "site/index.html").read_bytes()
    project.write({"content/broken.md": "---\nlabel: x\norder: [1, 2\n---\n# B\n"})
    done = run(project.root)
    assert done.returncode == 1
    first = done.stderr.splitlines()[0]
    assert first.startswith("content/broken.md:4:1: error: malformed YAML")
    assert "hint:" in done.stderr
    assert (project.root / "site/index.html").read_bytes() == index
    assert not (project.root / "site/broken").exists()


def test_strict_turns_warnings_into_errors(project):
    project.write({"content/index.md": "---\ntitel: x\n---\n# Home\n"})
    assert run(project.root).returncode == 0
    done = run(project.root, "--strict")
    assert done.returncode == 1
    assert "content/index.md:2:1: error: unknown frontmatter key 'titel'" in done.stderr


def test_usage_errors_exit_2(project):
    project.write({"content/index.md": "# Home\n"})
    assert run(project.root, "--no-such-option").returncode == 2
    refused = run(project.root, "--out", ".")
    assert refused.returncode == 2 and "refusing" in refused.stderr
    assert run(project.root, "--out", "content").returncode == 2
    assert (project.root / "content/index.md").is_file()
    project.write({"precious/thesis.doc": "mine", "afile.txt": "x"})
    foreign = run(project.root, "--out", "precious")
    assert foreign.returncode == 2 and "did not write" in foreign.stderr
    assert (project.root / "precious/thesis.doc").read_text() == "mine"
    assert run(project.root, "--out", "afile.txt").returncode == 2
    assert (project.root / "afile.txt").read_text() == "x"
    missing_config = run(project.root, "--config", "nope.yml")
    assert missing_config.returncode == 2 and "nope.yml" in missing_config.stderr


def test_config_option_and_missing_content(project):
    project.write({"other.yml": "title: Other\ninput: docs\n", "docs/index.md": "# Home\n"})
    done = run(project.root, "--config", "other.yml")
    assert done.returncode == 0, done.stderr
    assert "<title>Other</title>" in (project.root / "site/index.html").read_text()
    missing = run(project.root)
    assert missing.returncode == 1
    assert "content: error: the content folder does not exist" in missing.stderr


def test_help_lists_options(project):
    project.root.mkdir(parents=True)
    done = run(project.root, "build", "--help")
    assert done.returncode == 0
    for option in ("--out", "--config", "--strict", "--quiet", "--verbose"):
        assert option in done.stdout


def test_init_then_new_then_build(tmp_path):
    done = run(tmp_path, "init", "docs")
    assert done.returncode == 0, done.stderr
    assert "created docs/docsite.yml" in done.stdout.splitlines()
    project = tmp_path / "docs"
    added = run(project, "new", "guide/setup", "Set up the service")
    assert added.returncode == 0 and "created content/guide/setup.md" in added.stdout
    assert "# Set up the service" in (project / "content/guide/setup.md").read_text()
    again = run(project, "new", "guide/setup")
    assert again.returncode == 2 and "already exists" in again.stderr
    built = run(project, "--strict")
    assert built.returncode == 0, built.stderr
    assert (project / "site/guide/setup/index.html").is_file()
    assert run(tmp_path, "init", "docs").returncode == 2  # never over an existing project
