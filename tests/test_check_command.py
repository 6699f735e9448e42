"""`python build.py check` and `--format json`, as CI runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, Project

from docsite.report_json import report_json

BUILD_PY = str(REPO / "build.py")


def run(cwd: Path, *args: str, tmpdir: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)
    return subprocess.run(
        [sys.executable, BUILD_PY, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under folder with its bytes (None for folders)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in folder.rglob("*")
    }


def test_check_passes_without_writing_anything(project: Project, tmp_path: Path):
    project.write({"content/index.md": "# Home\n", "content/a.md": "# A\n"})
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    before = tree(project.root)
    done = run(project.root, "check", tmpdir=scratch)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Checked 2 pages in ")
    assert done.stdout.rstrip().endswith("(0 warnings, 0 errors)")
    assert tree(project.root) == before  # no site/, no .docsite-cache/
    assert list(scratch.iterdir()) == []  # the temporary output is gone too


def test_check_leaves_an_existing_site_alone(project: Project):
    project.write({"content/index.md": "# Home\n"})
    assert project.build().ok
    before = tree(project.root)
    project.write({"content/index.md": "# Changed\n"})
    assert run(project.root, "check").returncode == 0
    after = tree(project.root)
    assert after.pop("content/index.md") == b"# Changed\n"
    before.pop("content/index.md")
    assert after == before


def test_check_reports_errors_with_exit_1(project: Project):
    project.write({"content/index.md": "# Home\n\n[x](missing.md)\n"})
    done = run(project.root, "check")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "content/index.md:3:5: error: link to a page that does not exist" in done.stderr
    assert done.stderr.rstrip().endswith("Check failed (0 warnings, 1 error).")


def test_check_strict_fails_on_warnings(project: Project):
    project.write({"content/index.md": "---\ntitel: x\n---\n# Home\n"})
    assert run(project.root, "check").returncode == 0
    done = run(project.root, "check", "--strict")
    assert done.returncode == 1
    assert "content/index.md:2:1: error: unknown frontmatter key 'titel'" in done.stderr


def test_check_usage_errors_exit_2(project: Project):
    project.write({"content/index.md": "# Home\n"})
    assert run(project.root, "check", "--out", "x").returncode == 2  # check writes nothing
    missing = run(project.root, "check", "--config", "nope.yml")
    assert missing.returncode == 2 and "nope.yml" in missing.stderr


def test_json_report_of_a_failed_check(project: Project):
    project.write(
        {
            "content/index.md": "---\ntitel: x\n---\n# Home\n",
            "content/bad.md": "---\norder: [1\n---\n# Bad\n",
        }
    )
    done = run(project.root, "check", "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)  # stdout is the report and nothing else
    assert report["ok"] is False and report["command"] == "check"
    assert (report["pages"], report["errors"], report["warnings"]) == (2, 1, 1)
    first, second = report["diagnostics"]
    assert first["file"] == "content/bad.md" and first["severity"] == "error"
    assert (first["line"], first["col"]) == (3, 1)
    assert first["message"].startswith("malformed YAML") and first["hint"]
    assert second == {
        "file": "content/index.md",
        "line": 2,
        "col": 1,
        "severity": "warning",
        "message": "unknown frontmatter key 'titel' is ignored",
        "hint": "did you mean 'title'?",
    }
    assert "content/bad.md:3:1: error: malformed YAML" in done.stderr  # humans still see it
    assert "Check failed" in done.stderr


def test_json_report_of_a_build(project: Project):
    project.write({"content/index.md": "# Home\n", "content/a.md": "# A\n"})
    done = run(project.root, "build", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report == {
        "format": 1,
        "command": "build",
        "ok": True,
        "pages": 2,
        "errors": 0,
        "warnings": 0,
        "output": "site/",
        "diagnostics": [],
    }
    assert done.stderr.startswith("Built 2 pages in ")
    assert (project.root / "site/a/index.html").is_file()
    quiet = run(project.root, "--format", "json", "-q")
    assert json.loads(quiet.stdout)["ok"] is True and quiet.stderr == ""


def test_json_report_of_a_usage_error(project: Project):
    project.write({"content/index.md": "# Home\n"})
    done = run(project.root, "--format", "json", "--out", "content")
    assert done.returncode == 2
    report = json.loads(done.stdout)
    assert report["ok"] is False and report["errors"] == 1
    assert "refusing" in report["diagnostics"][0]["message"]


def test_report_json_counts_after_strict_and_dedupes():
    from docsite.diagnostics import Diagnostic, Severity

    warning = Diagnostic("a.md", 1, 1, Severity.WARNING, "w")
    report = report_json("build", [warning, warning, warning.as_error()], 1, False, "site/")
    assert (report["errors"], report["warnings"], len(report["diagnostics"])) == (1, 1, 2)


def test_check_does_not_build_a_search_index(project: Project, monkeypatch):
    import docsite.build.site
    from docsite import cli

    def refuse(*args, **kwargs):
        raise AssertionError("check indexed the site for search")

    monkeypatch.setattr(docsite.build.site, "index_built_site", refuse)
    monkeypatch.chdir(project.write({"content/index.md": "# Home\n"}).root)
    assert cli.main(["check"]) == 0
    assert cli.main(["check", "--strict"]) == 0


def test_check_on_a_retype_project_summarises_what_docsite_does_with_its_keys(project: Project):
    project.write(
        {
            "retype.yml": "branding:\n  title: T\nstart:\n  open: true\nnoSuchKey: 1\n",
            "index.md": "---\nlabel: Home\nnav:\n  badge: NEW\nwhatever: 1\n---\n# Home\n",
            "guide.md": "---\nlabel: Guide\nwhatever: 2\n---\n# Guide\n",
            "plain.md": "# No frontmatter\n",
        }
    )
    done = run(project.root, "check")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    start = lines.index("Retype compatibility of retype.yml:")
    summary = lines[start + 1 : start + 8]
    assert summary[0] == "  retype.yml: 3 keys used, 1 honoured, 2 left out"
    assert summary[1].startswith("    start: ") and "docsite serve --open" in summary[1]
    assert summary[2] == "    noSuchKey: not supported by docsite yet"
    assert summary[3] == "  frontmatter of 2 pages: 3 keys used, 2 honoured, 1 left out"
    assert summary[4] == "    whatever (2 pages): not read by docsite"


def test_check_on_a_docsite_project_prints_no_retype_summary(project: Project):
    project.write({"docsite.yml": "title: T\n", "content/index.md": "# Home\n"})
    done = run(project.root, "check")
    assert done.returncode == 0, done.stderr
    assert "Retype compatibility" not in done.stdout + done.stderr
