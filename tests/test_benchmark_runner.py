"""benchmarks/runner.py's timing of a command: a baseline generator that dies (killed out of
memory, as Zensical is at 5,000 pages on a small machine) is a result, not a lost run."""

import sys

import pytest

from benchmarks.runner import Run, baseline_ratio, timed


def test_a_baseline_killed_midway_is_reported_with_the_time_it_ran(tmp_path):
    killed = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"]
    run = timed(killed, tmp_path, limit=60, baseline=True)
    assert run.failed == "was killed by signal 9 (out of memory?)"
    assert run.seconds > 0
    assert baseline_ratio(run, 31.04) == ">31.0x failed"
    failing = [sys.executable, "-c", "raise SystemExit(3)"]
    assert timed(failing, tmp_path, baseline=True).failed == "failed with exit status 3"


def test_a_docsite_build_that_fails_stops_the_run(tmp_path):
    with pytest.raises(RuntimeError, match="failed with exit status 3"):
        timed([sys.executable, "-c", "raise SystemExit(3)"], tmp_path, limit=60)
    assert baseline_ratio(Run(10.0, 0.0), 4.02) == "4.0x"
