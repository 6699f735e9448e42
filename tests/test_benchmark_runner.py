"""benchmarks/runner.py's timing of a command: a baseline generator that dies (killed out of
memory, as Zensical is at 5,000 pages on a small machine) is a result, not a lost run."""

import sys

import pytest

from benchmarks import runner
from benchmarks.corpus import Corpus
from benchmarks.runner import Run, baseline_ratio, timed


def test_a_baseline_killed_midway_is_reported_with_the_time_it_ran(tmp_path):
    killed = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"]
    run = timed(killed, tmp_path, limit=60, baseline=True)
    assert run.failed == "was killed by signal 9 (out of memory?)"
    assert run.seconds > 0
    assert baseline_ratio(run, 31.04) == ">31.0x failed"
    failing = [sys.executable, "-c", "raise SystemExit(3)"]
    assert timed(failing, tmp_path, baseline=True).failed == "failed with exit status 3"


BUSY_CHILD = """
import subprocess, sys
burn = "import time\\nwhile time.process_time() < 0.3: pass"
subprocess.run([sys.executable, "-c", burn], check=True)
"""


@pytest.mark.parametrize("limit", [None, 60.0])
def test_a_run_counts_the_cpu_of_the_processes_it_waited_for(tmp_path, limit):
    """A build's workers and Pagefind work in processes of their own: their CPU is the
    build's. With a time limit (the baselines) as without it."""
    run = timed([sys.executable, "-c", BUSY_CHILD], tmp_path, limit=limit)
    assert run.cpu_seconds >= 0.3  # the grandchild alone used that much
    assert run.peak_mb > 0
    assert not run.timed_out


def test_a_run_over_its_limit_is_stopped_and_says_so(tmp_path):
    run = timed([sys.executable, "-c", "import time; time.sleep(30)"], tmp_path, limit=0.2)
    assert run.timed_out
    assert run.seconds == 0.2


def test_the_cpu_line_says_how_many_cores_the_cold_build_kept_busy():
    cold = Run(2.0, 90.0, cpu_seconds=3.6)
    result = runner.SizeResult(1000, cold, cold, cold, cold, cold, 25.0, 22.0, 26.0)
    result.mkdocs = Run(9.9, 0.0, cpu_seconds=9.8)
    result.zensical = Run(600.0, 0.0, timed_out=True)
    line = runner.cpu_line(result, 2)
    assert "3.60 s in 2.00 s (1.80 of 2 cores busy; this work takes at least 1.80 s on 2)" in line
    assert "MkDocs 9.8 s in 9.9 s" in line
    assert "Zensical" not in line  # stopped: its CPU is not the whole build's


def test_a_docsite_build_that_fails_stops_the_run(tmp_path):
    with pytest.raises(RuntimeError, match="failed with exit status 3"):
        timed([sys.executable, "-c", "raise SystemExit(3)"], tmp_path, limit=60)
    assert baseline_ratio(Run(10.0, 0.0), 4.02) == "4.0x"


def test_cold_builds_are_compared_in_alternating_rounds_and_a_stopped_baseline_is_not_rerun(
    tmp_path, monkeypatch
):
    """The machine's speed drifts over minutes: each round builds with docsite, then MkDocs,
    then Zensical, and each ratio is of the medians. A baseline stopped at the time limit is
    a lower bound, not run again; nor is one that took minutes."""
    order: list[str] = []
    seconds = {
        "docsite": iter([3.0, 5.0, 4.0]),
        "mkdocs": iter([20.0, 16.0, 18.0]),
        "zensical": iter([runner.ONCE_SECONDS + 1]),
    }

    def fake(name: str):
        def run(*args, **kwargs) -> Run:
            order.append(name)
            return Run(next(seconds[name]), 0.0)

        return run

    monkeypatch.setattr(runner, "timed", fake("docsite"))
    monkeypatch.setattr(runner, "mkdocs_run", fake("mkdocs"))
    monkeypatch.setattr(runner, "zensical_run", fake("zensical"))
    corpus = Corpus(tmp_path, [])
    (tmp_path / ".docsite-cache").mkdir()
    runs = runner.compare_cold(corpus, tmp_path, ["docsite"], tmp_path / "site", 600, 3)
    assert order == ["docsite", "mkdocs", "zensical", "docsite", "mkdocs", "docsite", "mkdocs"]
    assert not (tmp_path / ".docsite-cache").exists()  # each docsite build is a cold one
    assert runner.median_run(runs["docsite"]).seconds == 4.0
    assert runner.median_run(runs["mkdocs"]).seconds == 18.0
    assert runner.median_run(runs["zensical"]).seconds == runner.ONCE_SECONDS + 1
    stopped = Run(600.0, 0.0, timed_out=True)
    assert runner.median_run([Run(1.0, 0.0), Run(2.0, 0.0), stopped]) is stopped
    assert runner.median_run([]) is None


def test_a_baseline_that_failed_is_not_run_again_in_the_rounds(tmp_path, monkeypatch):
    ran: list[str] = []
    monkeypatch.setattr(runner, "timed", lambda *a, **k: Run(3.0, 0.0))
    monkeypatch.setattr(runner, "mkdocs_run", lambda *a: ran.append("mkdocs") or Run(9.0, 0.0))
    monkeypatch.setattr(
        runner, "zensical_run", lambda *a: ran.append("zensical") or Run(5.0, 0.0, failed="x")
    )
    runs = runner.compare_cold(Corpus(tmp_path, []), tmp_path, [], tmp_path / "site", 600, 3)
    assert ran == ["mkdocs", "zensical", "mkdocs", "mkdocs"]
    assert runner.median_run(runs["zensical"]).failed == "x"


def test_the_engine_is_compiled_before_anything_is_timed(tmp_path, monkeypatch):
    """Builds time docsite, not Python compiling its modules (PYTHONDONTWRITEBYTECODE=1
    would have every build compile them again)."""
    engine = tmp_path / "engine"
    (engine / "docsite").mkdir(parents=True)
    (engine / "docsite/module.py").write_text("X = 1\n")
    compiled: list[bool] = []

    def startup(*args, **kwargs):
        compiled.append(any((engine / "docsite/__pycache__").glob("module.*.pyc")))
        return {"python_s": 0.0, "imports_s": 0.0}

    def measure(*args, **kwargs):
        compiled.append(any((engine / "docsite/__pycache__").glob("module.*.pyc")))
        raise KeyboardInterrupt  # nothing to time here

    monkeypatch.setattr(runner, "startup_figures", startup)
    monkeypatch.setattr(runner, "measure", measure)
    with pytest.raises(KeyboardInterrupt):
        runner.run([10], 1, None, tmp_path / "out.json", tmp_path / "work", engine=engine)
    assert compiled == [True, True]  # before the start-up figures, and before the builds


def test_the_pathological_run_names_a_case_that_is_not_linear_and_exits_with_1(
    tmp_path, monkeypatch, capsys
):
    """The cases are timed by a stand-in build: seconds from the page's size, as each case
    grows. A quadratic case is named; a linear one and a fast noisy one are not."""
    from benchmarks import __main__ as command
    from benchmarks import pathological
    from benchmarks.pathological import Case

    growth = {"linear": lambda k: 0.4 * k, "quadratic": lambda k: 0.4 * k * k}
    growth["noisy"] = lambda k: 0.01 * k**3  # 2n/n of 8, but 0.08 s: not judged

    def built(root, limit):
        if root.name == "empty":
            return 0.1, False, ""
        name, size = root.name.rsplit("-", 1)
        return 0.1 + growth[name](int(size) / 100), False, ""

    cases = tuple(Case(name, 100, "units", lambda n: "x" * n) for name in growth)
    monkeypatch.setattr(pathological, "CASES", cases)
    monkeypatch.setattr(pathological, "build", built)
    report = pathological.run_pathological(tmp_path / "p.json", keep=tmp_path / "work")
    assert {case["name"]: case["superlinear"] for case in report} == {
        "linear": False,
        "quadratic": True,
        "noisy": False,
    }
    printed = capsys.readouterr().out
    assert "NOT LINEAR (2n/n over 3, or over the time limit): quadratic" in printed

    monkeypatch.setattr(
        sys, "argv", ["benchmarks", "--pathological", "--json", str(tmp_path / "q.json")]
    )
    with pytest.raises(SystemExit) as stopped:
        command.main()
    assert stopped.value.code == 1
    monkeypatch.setattr(pathological, "CASES", cases[:1])
    command.main()  # linear only: no exit status


def test_a_case_over_the_time_limit_is_not_linear():
    from benchmarks.pathological import CaseResult, Measure

    within = Measure(10, 0.1, 1.0, False, "")
    over = Measure(20, 0.2, 300.0, True, "(not run)")
    assert CaseResult("slow", "units", within, over).superlinear
    assert not CaseResult("fine", "units", within, Measure(20, 0.2, 2.1, False, "")).superlinear


def test_the_start_up_figure_imports_the_engine_given(tmp_path):
    """The imports timed are the engine's own (its checkout, not the installed docsite), in
    a fresh process each time."""
    engine = tmp_path / "engine"
    marker = tmp_path / "imported"
    modules = {
        "docsite/__init__.py": "",
        "docsite/cli.py": "",
        "docsite/build/__init__.py": "",
        "docsite/build/run.py": "",
        "docsite/build/site.py": (
            f"import time\nwith open({str(marker)!r}, 'a') as f:\n    f.write('x')\n"
            "time.sleep(0.1)\n"
        ),
    }
    for rel, text in modules.items():
        (engine / rel).parent.mkdir(parents=True, exist_ok=True)
        (engine / rel).write_text(text)
    figures = runner.startup_figures(engine, runs=2)
    assert marker.read_text() == "xx"  # one import in each of the two processes
    assert figures["imports_s"] >= 0.1  # the engine's modules' own time is in it
    assert figures["python_s"] > 0
    assert runner.startup_line(figures).startswith(
        f"start-up: Python {figures['python_s']:.2f} s; with the imports of a build that "
        f"renders {figures['imports_s']:.2f} s"
    )


def test_the_start_up_figure_keeps_code_as_the_command_does(tmp_path):
    """With an engine that keeps the code Python compiles (docsite.kept_code), each process
    timed takes it before the imports and saves it after them, as `docsite` does: the figure
    is what a command pays."""
    engine = tmp_path / "engine"
    marker = tmp_path / "order"
    write = f"open({str(marker)!r}, 'a').write"
    modules = {
        "docsite/__init__.py": "",
        "docsite/cli.py": "",
        "docsite/build/__init__.py": "",
        "docsite/build/run.py": "",
        "docsite/build/site.py": f"{write}('i')\n",
        "docsite/kept_code.py": (
            f"class Kept:\n    def save(self):\n        {write}('s')\n"
            f"def keep_code():\n    {write}('k')\n    return Kept()\n"
        ),
    }
    for rel, text in modules.items():
        (engine / rel).parent.mkdir(parents=True, exist_ok=True)
        (engine / rel).write_text(text)
    runner.startup_figures(engine, runs=2)
    assert marker.read_text() == "kis" * 2


def test_the_steady_edit_is_the_median_of_five_edits_of_other_pages(tmp_path, monkeypatch):
    """One edit varies by a third on a busy machine: after the first edit, five body edits
    of five other pages are timed, and their median is set against the cold build."""
    pages = [f"p{i}.md" for i in range(40)]
    for rel in pages:
        (tmp_path / "content").mkdir(exist_ok=True)
        (tmp_path / "content" / rel).write_text("# Page\n")
    monkeypatch.setattr(runner, "generate", lambda *a, **k: Corpus(tmp_path, pages))
    monkeypatch.setattr(runner, "output_sizes", lambda out: (1.0, 1.0, 1.0))
    monkeypatch.setattr(runner, "cache_sizes", lambda *a: {})
    seconds = iter([20.0, 0.05, 1.9, 2.5, 1.3, 1.2, 1.6, 1.1, 1.4, 2.2])
    texts = {rel: "# Page\n" for rel in pages}
    changed: list[list[str]] = []  # before each build, the pages edited since the last

    def fake_timed(*args, **kwargs) -> Run:
        now = {rel: (tmp_path / "content" / rel).read_text() for rel in pages}
        changed.append([rel for rel in pages if now[rel] != texts[rel]])
        texts.update(now)
        return Run(next(seconds), 0.0)

    monkeypatch.setattr(runner, "timed", fake_timed)
    monkeypatch.setattr(runner, "machine_probe", lambda: 0.2)
    result = runner.measure(40, tmp_path, 2, None, search=False, watch=False, rounds=1)
    assert [run.seconds for run in result.more_body_edits] == [1.2, 1.6, 1.1, 1.4]
    assert runner.steady_body_edit(result) == 1.3  # of 1.3 1.2 1.6 1.1 1.4
    assert result.ratios["body_edit_median/cold"] == 0.065
    line = runner.edits_line(result)
    assert "(s): 1.30 1.20 1.60 1.10 1.40; median 1.30 (6.5% of the cold build)" in line
    assert line.endswith("mid-page (the words after it move): 2.20 s (11.0%)")
    assert result.mid_page_edit.seconds == 2.2 and result.ratios["mid_page_edit/cold"] == 0.11
    # cold, no change, then each edit changes one page: the five steady ones, five others,
    # and last a sixth in its middle.
    assert changed[:2] == [[], []] and all(len(pages) == 1 for pages in changed[2:])
    first, steady = changed[2][0], [pages[0] for pages in changed[4:-1]]
    assert len(set(steady)) == 5 and first not in steady
    assert changed[-1][0] not in steady


def test_without_baselines_the_ratios_are_to_the_median_of_docsites_own_cold_rounds(
    tmp_path, monkeypatch
):
    """A VM's speed changes over minutes: with --no-mkdocs, docsite's cold build is timed
    again in rounds, each followed by one of the steady edits, and every ratio is to their
    median, not to the one cold build the edits start from. The rounds build a copy of the
    corpus as generated, which the edits do not touch. No baseline runs."""
    corpus = tmp_path / "corpus"
    pages = [f"p{i}.md" for i in range(40)]
    (corpus / "content").mkdir(parents=True)
    for rel in pages:
        (corpus / "content" / rel).write_text("# Page\n")
    monkeypatch.setattr(runner, "generate", lambda *a, **k: Corpus(corpus, pages))
    monkeypatch.setattr(runner, "output_sizes", lambda out: (1.0, 1.0, 1.0))
    monkeypatch.setattr(runner, "cache_sizes", lambda *a: {})
    monkeypatch.setattr(runner, "mkdocs_run", lambda *a: pytest.fail("no baseline runs"))
    monkeypatch.setattr(runner, "zensical_run", lambda *a: pytest.fail("no baseline runs"))
    probes = iter([0.20, 0.21, 0.30])
    monkeypatch.setattr(runner, "machine_probe", lambda: next(probes))
    # The first cold build, no change, a body edit, a label edit and a body edit, then three
    # rounds, each followed by an edit, and the fourth edit.
    seconds = iter([30.0, 0.05, 1.9, 2.5, 1.3, 22.0, 1.2, 18.0, 1.6, 20.0, 1.1, 1.4, 2.0])
    built: list[tuple[str, int]] = []  # the corpus of each build, and its pages edited

    def fake_timed(command, cwd, *args, **kwargs) -> Run:
        edited = sum((cwd / "content" / rel).read_text() != "# Page\n" for rel in pages)
        built.append((cwd.name, edited))
        return Run(next(seconds), 0.0)

    monkeypatch.setattr(runner, "timed", fake_timed)
    result = runner.measure(40, tmp_path, 2, None, search=False, watch=False, rounds=3)
    assert [name for name, _ in built] == ["corpus"] * 5 + ["corpus-40-rounds", "corpus"] * 3 + [
        "corpus",
        "corpus",
    ]
    assert all(edited == 0 for name, edited in built if name != "corpus")
    assert result.rounds == {"docsite": [22.0, 18.0, 20.0]}
    assert [run.seconds for run in result.more_body_edits] == [1.2, 1.6, 1.1, 1.4]
    assert result.cold.seconds == 30.0 and result.cold_seconds == 20.0
    assert result.ratios["body_edit_median/cold"] == 0.065  # 1.3 s against 20 s
    assert result.ratios["body_edit/cold"] == 0.095
    assert "median 1.30 (6.5% of the cold build)" in runner.edits_line(result)
    assert result.ratios["mid_page_edit/cold"] == 0.1  # 2 s against 20 s
    assert "20.00" in runner.table([result]).splitlines()[2].split()
    assert list(result.probes) == [
        "before the first cold build",
        "before the cold rounds",
        "after the cold rounds and edits",
    ]
    line = runner.probes_line(result)
    assert "0.20 s before the first cold build, 0.21 s before the cold rounds" in line
    assert line.endswith(
        "50% apart: the machine's speed changed during the run, and ratios "
        "of builds timed apart are suspect"
    )


def test_probes_close_together_raise_no_doubt():
    result = runner.SizeResult(
        10,
        *(Run(1.0, 0.0) for _ in range(5)),
        1.0,
        1.0,
        1.0,
        probes={"before the first cold build": 0.20, "after the edits": 0.22},
    )
    assert runner.probes_line(result).endswith("0.22 s after the edits")


def test_the_machine_probe_times_the_same_work_in_a_fresh_python():
    assert 0 < runner.machine_probe(loops=100_000, runs=1) < 5


def test_the_mid_page_edit_inserts_a_paragraph_before_the_first_section(tmp_path):
    """The words after an edit in the middle of a page move, unlike those before an edit at
    its end: a paragraph goes in before the page's first section, and the rest is kept."""
    page = "---\norder: 1\n---\n# Title\n\nIntro words.\n\n## One 0\n\nMore.\n\n## Two 1\n"
    (tmp_path / "content").mkdir()
    pages = [f"p{n}.md" for n in range(10)]
    for rel in pages:
        (tmp_path / "content" / rel).write_text(page)
    runner._edit_middle(Corpus(tmp_path, pages))
    edited = [rel for rel in pages if (tmp_path / "content" / rel).read_text() != page]
    assert edited == ["p3.md"]
    text = (tmp_path / "content" / "p3.md").read_text()
    before, inserted, after = text.partition("A paragraph inserted in the middle")
    assert before == page.partition("\n## ")[0] + "\n" and inserted
    assert after.endswith("\n## One 0\n\nMore.\n\n## Two 1\n")
