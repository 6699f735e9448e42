"""Work aside (docsite.forking): a forked process that leaves Ctrl-C to the build, prints
nothing, and ends without flushing what the build's threads may hold."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path

from docsite.forking import ask_aside, start_aside


def _write_pid(path: Path) -> None:
    path.write_text(str(os.getpid()))


def _fail() -> None:
    raise RuntimeError("the work aside failed")


def _wait_for(connection: Connection, path: Path) -> None:
    connection.send("ready")
    connection.recv()
    path.write_text("done")


def test_work_aside_runs_in_a_process_of_its_own(tmp_path: Path):
    process = start_aside(_write_pid, (tmp_path / "pid",), "docsite-test")
    assert process is not None
    process.join(10)
    assert process.exitcode == 0
    assert int((tmp_path / "pid").read_text()) == process.pid != os.getpid()


def test_a_failure_aside_prints_nothing(capfd):
    process = start_aside(_fail, (), "docsite-test")
    assert process is not None
    process.join(10)
    assert process.exitcode == 0
    captured = capfd.readouterr()
    assert "the work aside failed" not in captured.err + captured.out
    assert "Traceback" not in captured.err


def test_ctrl_c_is_left_to_the_build(tmp_path: Path):
    ours, theirs = multiprocessing.Pipe()
    process = start_aside(_wait_for, (theirs, tmp_path / "done"), "docsite-test")
    assert process is not None
    assert ours.recv() == "ready"
    os.kill(process.pid, signal.SIGINT)
    ours.send("go on")
    process.join(10)
    assert (tmp_path / "done").read_text() == "done", "Ctrl-C ended the work aside"


def test_without_fork_there_is_no_work_aside(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert start_aside(_write_pid, (tmp_path / "pid",), "docsite-test") is None
    assert not (tmp_path / "pid").exists()


def _answer(sender: Connection, value: object) -> None:
    sender.send(value)


def _silent(sender: Connection) -> None:
    sender.close()


def _stuck(sender: Connection) -> None:
    time.sleep(60)


def test_work_aside_sends_one_answer_taken_once():
    aside = ask_aside(_answer, ({"pages": [1, 2]},), "docsite-test")
    assert aside is not None
    assert aside.answer(10) == {"pages": [1, 2]}
    assert aside.answer(10) == {"pages": [1, 2]}  # kept: the process is gone
    assert aside.process.exitcode == 0


def test_work_aside_without_an_answer_gives_none_and_a_stuck_one_is_ended():
    silent = ask_aside(_silent, (), "docsite-test")
    assert silent is not None and silent.answer(10) is None
    stuck = ask_aside(_stuck, (), "docsite-test")
    assert stuck is not None
    started = time.monotonic()
    assert stuck.answer(0.2) is None
    assert time.monotonic() - started < 30 and not stuck.process.is_alive()
