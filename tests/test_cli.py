"""The command line as a user runs it: `python build.py ...` from the project folder."""

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest
from conftest import REPO, soup

BUILD_PY = str(REPO / "build.py")


def run(cwd, *args):
    return subprocess.run(
        [sys.executable, BUILD_PY, *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def docsite(cwd, *args, **env):
    """The `docsite` command as a user runs it, with extra environment variables."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "docsite", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**environment, **env},
    )


def test_build_prints_summary_and_writes_site(project):
    project.write({"content/index.md": "# Home\n", "content/a.md": "# A\n"})
    done = run(project.root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Built 2 pages in ")
    assert done.stdout.rstrip().endswith("-> site/ (0 warnings, 0 errors)")
    assert (project.root / "site/a/index.html").is_file()


def test_the_command_s_process_pauses_the_collector_only_while_it_loads(project, monkeypatch):
    """`docsite` in its own process (docsite.__main__.run) loads with the collector paused
    (what loading makes lives until the end); a build resumes it at a build's pace once
    loaded, any other command (watch mode runs for hours) at once."""
    import gc

    from docsite import __main__ as entry
    from docsite import cache, cli

    monkeypatch.setattr(cache, "_loaded", cache._LoadedObjects())
    # The entry's own name for os alone: a process the build forks ends with os._exit.
    monkeypatch.setattr(entry, "os", SimpleNamespace(_exit=lambda code: None))
    project.write({"content/index.md": "# Home\n"})
    monkeypatch.chdir(project.root)
    before = gc.get_threshold()
    seen = []
    tune = cli._collect_seldom

    def tuned() -> None:
        seen.append(("loaded", gc.isenabled()))
        tune()

    monkeypatch.setattr(cli, "_collect_seldom", tuned)
    monkeypatch.setattr(cli, "_clean", lambda options: seen.append(("clean", gc.isenabled())) or 0)
    try:
        for command in (["build", "-q"], ["clean"]):
            monkeypatch.setattr(sys, "argv", ["docsite", *command])
            entry.run()
            seen.append(("ended", gc.isenabled()))
    finally:
        gc.enable()
        gc.set_threshold(*before)
        gc.unfreeze()
    assert seen == [("loaded", False), ("ended", True), ("clean", True), ("ended", True)]


def test_only_a_process_of_its_own_has_its_collector_tuned(project, monkeypatch):
    """`docsite build` in its own process collects seldom (what it loads lives until it
    ends), and what it reads from its cache leaves the collector's walks once read; called
    from a caller's process (tests, tools), it leaves that process's collector as it was."""
    import gc

    from docsite import __main__ as entry
    from docsite import cache, cli

    monkeypatch.setattr(cache, "_loaded", cache._LoadedObjects())
    project.write({"content/index.md": "# Home\n"})
    monkeypatch.chdir(project.root)
    before = gc.get_threshold()
    assert cli.main(["build", "-q"]) == 0
    assert gc.get_threshold() == before
    frozen = gc.get_freeze_count()
    assert cli.main(["build", "-q"]) == 0  # reads the cache
    assert gc.get_freeze_count() == frozen and not cache._loaded.frozen
    monkeypatch.setattr(sys, "argv", ["docsite", "build", "-q"])
    try:
        assert entry.main() == 0
        assert gc.get_threshold() == cache.SELDOM_COLLECTION
        frozen = gc.get_freeze_count()
        with cache.collector_paused():
            loaded = [[number] for number in range(1000)]
        assert gc.get_freeze_count() >= frozen + len(loaded)
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_build_subcommand_with_out_and_quiet(project):
    project.write({"content/index.md": "# Home\n"})
    done = run(project.root, "build", "--out", "public", "-q")
    assert done.returncode == 0 and done.stdout == ""
    assert (project.root / "public/index.html").is_file()


def test_verbose_lists_the_pages_rendered_and_why(project):
    project.write({"content/index.md": "# Home\n", "content/guide/a.md": "# A\n"})
    done = run(project.root, "-v")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert "  content/guide/a.md -> site/guide/a/index.html (nothing cached yet)" in lines
    assert "  content/index.md -> site/index.html (nothing cached yet)" in lines
    project.write({"content/guide/a.md": "# A\n\nMore.\n"})
    lines = run(project.root, "-v").stdout.splitlines()
    rendered = [line for line in lines if " -> " in line and not line.startswith("Built")]
    assert rendered == ["  content/guide/a.md -> site/guide/a/index.html (its file changed)"]
    project.write({"content/b.md": "# B\n"})
    rendered = [line for line in run(project.root, "-v").stdout.splitlines() if "(" in line]
    assert "  content/b.md -> site/b/index.html (new page)" in rendered
    # Every page's sidebar gained a link: the others say so.
    assert (
        "  content/index.md -> site/index.html (the navigation, the theme or a title it "
        "shows changed)" in rendered
    )
    lines = run(project.root, "-v").stdout.splitlines()
    assert not [line for line in lines if " -> site/" in line and "Built" not in line]
    assert any("nothing changed since the last build" in line for line in lines)


STEP_LINE = re.compile(r"^ +(\d+\.\d{3}) s  (.+)$")


def test_verbose_times_each_step_of_the_build(project):
    project.write({"content/index.md": "# Home\n"})

    def steps() -> list[str]:
        done = run(project.root, "-v")
        assert done.returncode == 0, done.stderr
        timed = [STEP_LINE.match(line) for line in done.stdout.splitlines()]
        return [match[2] for match in timed if match]

    rendering = steps()
    assert rendering[:2] == ["finding files", "hashing inputs"]
    assert {"reading pages", "rendering", "generated files", "writing"} <= set(rendering)
    # Nothing to do: the build stops after hashing, and says only what it did.
    assert steps() == ["finding files", "hashing inputs"]


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
    (project.root / "docsite.yml").write_text("title: T\n")
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


# --- A folder without a project, mistakes on the command line -----------------------------


def test_a_folder_without_a_project_says_what_was_looked_for(tmp_path):
    done = docsite(tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    for looked_for in ("docsite.yml", "docsite.yaml", "retype.yml", "retype.json", "content/"):
        assert looked_for in done.stderr
    assert "docsite init" in done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a cache
    (tmp_path / "mkdocs.yml").write_text("site_name: Old\n")
    mkdocs = docsite(tmp_path, "build")
    assert mkdocs.returncode == 2
    assert "MkDocs project (mkdocs.yml)" in mkdocs.stderr
    assert "Migrating from MkDocs" in mkdocs.stderr


def test_help_and_version_need_no_project(tmp_path):
    helped = docsite(tmp_path, "-h")
    assert helped.returncode == 0
    for command in ("build", "serve", "preview", "check", "new", "init", "clean"):
        assert command in helped.stdout
    assert docsite(tmp_path, "--version").stdout.startswith("docsite ")
    assert "--poll" in docsite(tmp_path, "serve", "--help").stdout


def test_a_mistyped_command_gets_a_suggestion(tmp_path):
    done = docsite(tmp_path, "biuld")
    assert done.returncode == 2
    assert "unknown command 'biuld'; did you mean 'build'?" in done.stderr


def test_options_of_other_commands_are_refused_and_named(project):
    project.write({"content/index.md": "# Home\n"})
    done = docsite(project.root, "build", "--port", "9000")
    assert done.returncode == 2
    assert "--port is an option of serve and preview, not of build" in done.stderr
    assert not (project.root / "site").exists()
    typo = docsite(project.root, "build", "--strct")
    assert typo.returncode == 2 and "did you mean '--strict'?" in typo.stderr


# --- Config files and --config ------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--config", "-c", "-f"])
def test_config_option_resolves_the_project_from_the_config_folder(tmp_path, flag):
    docs = tmp_path / "repo" / "docs"
    (docs / "content").mkdir(parents=True)
    (docs / "docsite.yml").write_text("title: Nested\n")
    (docs / "content/index.md").write_text("# Home\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = docsite(elsewhere, "build", flag, "../repo/docs/docsite.yml")
    assert done.returncode == 0, done.stderr
    assert "-> ../repo/docs/site/ (0 warnings, 0 errors)" in done.stdout
    assert soup(docs / "site/index.html").title.text == "Nested"
    assert (docs / ".docsite-cache").is_dir()
    assert list(elsewhere.iterdir()) == []


def test_retype_project_with_input_dot_builds_beside_its_output(tmp_path):
    (tmp_path / "retype.yml").write_text("branding:\n  title: Acme\n")
    (tmp_path / "README.md").write_text("# Welcome\n")
    (tmp_path / "guide.md").write_text("# Guide\n")
    first = docsite(tmp_path, "build")
    assert first.returncode == 0, first.stderr
    assert "Built 2 pages" in first.stdout
    # The second build reads the project folder again: the site inside it is not content.
    (tmp_path / "guide.md").write_text("# Guide\n\nMore.\n")
    second = docsite(tmp_path, "build")
    assert second.returncode == 0, second.stderr
    assert "Built 2 pages" in second.stdout
    assert not (tmp_path / "site/site").exists()
    assert not (tmp_path / "site/retype.yml").exists()
    (tmp_path / "node_modules/pkg").mkdir(parents=True)
    (tmp_path / "node_modules/pkg/README.md").write_text("# Not a page\n")
    # Retype knows no theme folders: a templates/ folder holds pages, as any other.
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/notes.md").write_text("# Notes on templates\n")
    assert "Built 3 pages" in docsite(tmp_path, "build").stdout
    assert soup(tmp_path / "site/templates/notes/index.html").h1.text.startswith("Notes")
    assert not (tmp_path / "site/node_modules").exists()
    assert soup(tmp_path / "site/index.html").h1.text.startswith("Welcome")  # README.md


def test_two_docsite_configs_are_an_error(project):
    project.write(
        {"content/index.md": "# Home\n", "docsite.yml": "title: A\n", "docsite.yaml": "title: B\n"}
    )
    done = docsite(project.root)
    assert done.returncode == 2
    assert "docsite.yml and docsite.yaml are both in" in done.stderr


def test_url_without_scheme_gives_absolute_canonical_links(project):
    project.write({"content/index.md": "# Home\n", "docsite.yml": "url: docs.example.com\n"})
    done = docsite(project.root)
    assert done.returncode == 0
    assert "docsite.yml:1:6: warning: 'url' has no scheme" in done.stderr
    page = project.page("index.html")
    assert page.select_one("link[rel=canonical]")["href"] == "https://docs.example.com/"
    assert page.select_one("meta[property='og:url']")["content"] == "https://docs.example.com/"
    assert "<loc>https://docs.example.com/</loc>" in (project.out / "sitemap.xml").read_text()


# --- What the terminal shows --------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_colours_only_where_asked(project):
    project.write({"content/index.md": "---\ntitel: x\n---\n# Home\n"})
    piped = docsite(project.root)
    assert not ANSI.search(piped.stderr + piped.stdout)  # a pipe or a log: plain text
    forced = docsite(project.root, FORCE_COLOR="1")
    assert "\x1b[1;33mwarning:\x1b[0m unknown frontmatter key 'titel'" in forced.stderr
    assert ANSI.sub("", forced.stderr) == piped.stderr
    assert not ANSI.search(docsite(project.root, "--no-color", FORCE_COLOR="1").stderr)
    assert not ANSI.search(docsite(project.root, FORCE_COLOR="1", NO_COLOR="1").stderr)


def test_no_progress_line_in_logs_or_json(project):
    project.write({"content/index.md": "# Home\n"})
    for args in ((), ("--format", "json")):
        done = docsite(project.root, "build", *args)
        assert "\r" not in done.stdout + done.stderr


def test_a_first_failed_build_does_not_mention_a_previous_site(project):
    project.write({"content/index.md": "# Home\n", "content/bad.md": "---\norder: [\n---\n"})
    first = docsite(project.root)
    assert first.returncode == 1
    assert "no site was written" in first.stderr and "previous site" not in first.stderr
    project.write({"content/bad.md": "# Fine\n"})
    assert docsite(project.root).returncode == 0
    project.write({"content/bad.md": "---\norder: [\n---\n"})
    again = docsite(project.root)
    assert again.returncode == 1 and "the previous site was left as it was" in again.stderr


# --- init, clean, preview -----------------------------------------------------------------


def test_init_in_the_current_folder_prints_the_next_steps(tmp_path):
    done = docsite(tmp_path, "init")
    assert done.returncode == 0, done.stderr
    assert "created docsite.yml" in done.stdout
    steps = done.stdout.split("Next steps:")[1]
    assert "docsite serve" in steps and "docsite build" in steps and "cd " not in steps
    nested = docsite(tmp_path, "init", "more/docs")
    assert "  cd more/docs" in nested.stdout.splitlines()
    assert docsite(tmp_path / "more/docs", "--strict").returncode == 0


def test_clean_removes_the_site_and_the_cache_and_nothing_else(project):
    project.write({"content/index.md": "# Home\n", "notes.txt": "mine"})
    assert docsite(project.root).returncode == 0
    assert (project.root / ".docsite-cache").is_dir()
    done = docsite(project.root, "clean")
    assert done.returncode == 0
    assert done.stdout.splitlines() == ["removed site/", "removed .docsite-cache/"]
    assert sorted(p.name for p in project.root.iterdir()) == ["content", "notes.txt"]
    assert docsite(project.root, "clean").stdout.strip() == "nothing to clean"
    project.write({"precious/thesis.doc": "mine"})
    refused = docsite(project.root, "clean", "--out", "precious")
    assert refused.returncode == 2 and "did not write" in refused.stderr
    assert (project.root / "precious/thesis.doc").read_text() == "mine"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, deadline: float) -> tuple[int, bytes]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_preview_serves_the_built_site_unchanged(project):
    project.write({"content/index.md": "# Home\n"})
    missing = docsite(project.root, "preview")
    assert missing.returncode == 2 and "docsite build" in missing.stderr
    assert docsite(project.root).returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "docsite", "preview", "--port", str(port)],
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        status, body = _get(f"http://127.0.0.1:{port}/", time.monotonic() + 20)
        assert status == 200
        assert body == (project.out / "index.html").read_bytes()
        assert _get(f"http://127.0.0.1:{port}/nope/", time.monotonic() + 5)[0] == 404
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=10)
        server.kill()


# Runs build.py in a Python where one module cannot be imported, as on a machine where
# docsite's dependencies were never installed.
WITHOUT = """
import runpy, sys
class Missing:
    @staticmethod
    def find_spec(name, *rest):
        if name.partition(".")[0] == missing:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
missing = sys.argv[1]
sys.meta_path.insert(0, Missing)
sys.argv = [sys.argv[2]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_build_py_without_dependencies_says_how_to_install_them(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/index.md").write_text("# Home\n")
    (tmp_path / "docsite.yml").write_text("title: T\n")
    run = subprocess.run(
        [sys.executable, "-c", WITHOUT, "frontmatter", BUILD_PY],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "no module named 'frontmatter'" in run.stderr and "-m pip install -e ." in run.stderr


def test_build_py_shows_a_missing_module_of_docsite_itself_whole(tmp_path):
    run = subprocess.run(
        [sys.executable, "-c", WITHOUT, "docsite", BUILD_PY],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1 and "Traceback" in run.stderr
