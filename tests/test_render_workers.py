"""Jobs spread over worker processes: the results and what hears of them do not depend on the
number of workers, and a job that fails in a worker fails the call without hanging it."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from docsite.render import (
    MAX_CHUNK,
    PARALLEL_TEXT,
    PARALLEL_THRESHOLD,
    WORKER_NICENESS,
    PageJob,
    ParsedLinks,
    parse_pages,
)


class _Builder:
    """Stands in for a PageBuilder: parsing a page names the worker that did it."""

    def __init__(
        self, failing: str = "", log: Path | None = None, bodies: dict[str, str] | None = None
    ):
        self.failing = failing
        # The pages' texts, by which a few pages may be worth the workers.
        pages = {rel: SimpleNamespace(body=body) for rel, body in (bodies or {}).items()}
        self.site = SimpleNamespace(by_source=pages)
        self.log = log  # each page parsed is written here, a line each, and takes 10 ms
        self.kept: list[str] = []  # the pages whose parse the main process kept, in order

    def parse(self, job: PageJob) -> ParsedLinks:
        if job.rel == self.failing:
            raise ValueError(f"cannot parse {job.rel}")
        if self.log is not None:
            time.sleep(0.01)
            with self.log.open("a") as log:
                log.write(job.rel + "\n")
        found = {"pid": (os.getpid(),), "nice": (os.getpriority(os.PRIO_PROCESS, 0),)}
        return ParsedLinks(job.rel, [f"{job.rel}-target"], found, job.rel)

    def keep_ahead(self, links: ParsedLinks) -> None:
        self.kept.append(links.rel)


def _jobs() -> list[PageJob]:
    return [PageJob(f"page-{i}.md", f"key-{i}", False) for i in range(PARALLEL_THRESHOLD * 2)]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_in_job_order_and_each_heard_once_whatever_the_workers(workers):
    jobs = _jobs()
    counts: list[int] = []
    builder = _Builder()
    found = parse_pages(builder, jobs, workers, counts.append)
    assert sorted(builder.kept) == sorted(job.rel for job in jobs)
    assert [links.rel for links in found] == [job.rel for job in jobs]
    assert [links.targets for links in found] == [[f"{job.rel}-target"] for job in jobs]
    assert counts == sorted(counts) and counts[-1] == len(jobs)
    pids = {links.dependencies["pid"][0] for links in found}
    assert (os.getpid() in pids) == (workers == 1)


@pytest.mark.parametrize(
    ("pages", "each", "in_workers"),
    [
        (3, PARALLEL_TEXT // 3 + 1, True),  # a few long pages
        (3, 2_000, False),  # a few pages of the usual length: not worth a process
        (1, PARALLEL_TEXT * 2, False),  # one page: nothing to share
    ],
)
def test_a_few_pages_go_to_workers_when_they_hold_much_text(pages, each, in_workers):
    jobs = [PageJob(f"page-{i}.md", f"key-{i}", False) for i in range(pages)]
    builder = _Builder(bodies={job.rel: "x" * each for job in jobs})
    found = parse_pages(builder, jobs, 2)
    assert [links.rel for links in found] == [job.rel for job in jobs]
    pids = {links.dependencies["pid"][0] for links in found}
    assert (os.getpid() not in pids) == in_workers


@pytest.mark.parametrize("workers", [1, 2])
def test_what_runs_meanwhile_runs_once_here_while_workers_parse(workers, tmp_path):
    """The build compiles its templates meanwhile, for the render's workers to inherit:
    once, in this process, with the pages not all parsed yet; with no worker, not at all."""
    calls: list[tuple[int, int]] = []
    builder = _Builder(log=tmp_path / "parsed.txt")
    jobs = _jobs()
    parse_pages(
        builder, jobs, workers, meanwhile=lambda: calls.append((os.getpid(), len(builder.kept)))
    )
    if workers == 1:
        assert calls == []
    else:
        assert len(calls) == 1 and calls[0][0] == os.getpid() and calls[0][1] < len(jobs)


def test_workers_give_the_cores_to_the_build_s_own_process_first():
    """Workers run WORKER_NICENESS lower than the process that started them, so Pagefind
    and the thread merging its runs get the cores first; that process keeps its place."""
    main = os.getpriority(os.PRIO_PROCESS, 0)
    found = parse_pages(_Builder(), _jobs(), 2)
    assert {links.dependencies["nice"][0] for links in found} == {min(main + WORKER_NICENESS, 19)}
    assert os.getpriority(os.PRIO_PROCESS, 0) == main


def test_a_job_failing_in_a_worker_fails_the_call_and_leaves_no_worker():
    jobs = _jobs()
    with pytest.raises(ValueError, match=r"cannot parse page-5\.md"):
        parse_pages(_Builder(failing="page-5.md"), jobs, 2)
    assert multiprocessing.active_children() == []


class _Stopped(Exception):
    pass


def test_a_call_stopped_by_what_hears_of_it_stops_within_a_few_chunks(tmp_path):
    """Watch mode stops a build for a newer change from the progress it hears: the pages
    left are not rendered, and those under way are few, however big the site."""
    log = tmp_path / "parsed.txt"
    jobs = [PageJob(f"page-{i}.md", f"key-{i}", False) for i in range(2000)]

    def stop(count: int) -> None:
        raise _Stopped

    with pytest.raises(_Stopped):
        parse_pages(_Builder(log=log), jobs, 2, stop)
    assert multiprocessing.active_children() == []
    parsed = log.read_text().split()
    assert 0 < len(parsed) <= 2 * 4 * MAX_CHUNK < len(jobs) // 8
