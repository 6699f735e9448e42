"""Runs docsite (and MkDocs and Zensical, where installed) on generated corpora; prints and
saves ratios.

Every figure comes from this run: rebuilds are reported against the cold build, docsite's
cold build against MkDocs's and Zensical's on the same pages, and per-page time across sizes.
"""

from __future__ import annotations

import compileall
import json
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.corpus import BASELINE_SITE, WORDS, Corpus, generate, vocabulary
from benchmarks.watch_latency import measure_watch

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    seconds: float
    peak_mb: float
    timed_out: bool = False  # stopped at the time limit: `seconds` is a lower bound
    # A baseline that ended without its site (killed out of memory, say): how it ended;
    # `seconds` is a lower bound.
    failed: str = ""
    # CPU time (user and system) of the command and every process it waited for: workers,
    # Pagefind. Over `seconds`, how many cores the run kept busy; over the machine's cores,
    # the least wall time this work could take on them.
    cpu_seconds: float = 0.0


@dataclass
class SizeResult:
    pages: int
    cold: Run
    no_change: Run
    body_edit: Run
    label_edit: Run
    # Another body edit, once the edits before it have left the cache warm: the steady state
    # of editing, where `body_edit` is the first edit after a cold build.
    body_edit_again: Run
    output_mb: float
    median_page_kb: float
    largest_page_kb: float
    mkdocs: Run | None = None
    zensical: Run | None = None
    watch: dict[str, float] = field(default_factory=dict)
    search: dict[str, float] = field(default_factory=dict)
    ratios: dict[str, float] = field(default_factory=dict)
    cache: dict[str, float] = field(default_factory=dict)  # see cache_sizes
    # Cold builds in alternating rounds, where the baselines run (compare_cold): seconds by
    # generator. `mkdocs` and `zensical` are their medians, and the ratios are to docsite's.
    rounds: dict[str, list[float]] = field(default_factory=dict)
    # Body edits of other pages after `body_edit_again`: with it, the steady state of editing
    # as a median, where one edit varies by a third on a busy machine (`edits_line`).
    more_body_edits: list[Run] = field(default_factory=list)
    # A paragraph inserted in the middle of another page, after the body edits (which append
    # one): the words after it move, and so do their entries in the search index.
    mid_page_edit: Run | None = None
    # The cold build the ratios are to: the median of docsite's rounds, where there are
    # rounds; else `cold`, the first (which leaves the site and cache the edits start from).
    cold_seconds: float = 0.0
    # The machine's speed as the run goes (`machine_probe`), by moment: a VM slows and
    # speeds up over minutes, and a ratio of builds timed minutes apart is only as good as
    # the machine was the same.
    probes: dict[str, float] = field(default_factory=dict)


# Python as on a user's machine, which caches compiled modules: some environments (this
# sandbox) turn that off with PYTHONDONTWRITEBYTECODE, adding 0.1 s to every docsite run.
RUN_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path, limit: float | None = None, baseline: bool = False) -> Run:
    """Wall time and peak memory (the largest process of the run) of a command. A docsite
    build that fails stops the run; a `baseline` (MkDocs, Zensical) that fails is reported
    as such, with the time it ran."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=RUN_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    ended = _wait_usage(process, limit)
    seconds = time.perf_counter() - started
    if ended is None:
        process.kill()
        process.wait()
        return Run(round(limit or seconds, 3), 0.0, timed_out=True)
    status, usage = ended
    stderr = process.stderr.read().decode() if process.stderr else ""
    peak = round(usage.ru_maxrss / 1024, 1)
    cpu = round(usage.ru_utime + usage.ru_stime, 3)
    if status != 0:
        how = _how_it_ended(status)
        if not baseline:
            raise RuntimeError(f"{' '.join(command)} {how} in {cwd}:\n{stderr[-2000:]}")
        print(f"{command[0]} {how} after {seconds:.0f} s:\n{stderr[-2000:]}", file=sys.stderr)
        return Run(round(seconds, 3), peak, failed=how, cpu_seconds=cpu)
    return Run(round(seconds, 3), peak, cpu_seconds=cpu)


# How often a run with a time limit is looked at: a few milliseconds on a baseline's seconds.
POLL_SECONDS = 0.005


def _wait_usage(
    process: subprocess.Popen, limit: float | None
) -> tuple[int, os.struct_rusage] | None:
    """The wait status and resource usage of the process once it ends (wait4: its own and
    that of the processes it waited for); None when it is still running after `limit`."""
    deadline = None if limit is None else time.perf_counter() + limit
    while True:
        pid, status, usage = os.wait4(process.pid, 0 if deadline is None else os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen knows
            return status, usage
        if deadline is not None and time.perf_counter() >= deadline:
            return None
        time.sleep(POLL_SECONDS)


def _how_it_ended(status: int) -> str:
    """A wait status in words: a signal (SIGKILL is what the out-of-memory killer sends)."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        oom = " (out of memory?)" if number == signal.SIGKILL else ""
        return f"was killed by signal {number}{oom}"
    return f"failed with exit status {os.waitstatus_to_exitcode(status)}"


def docsite_command(out: Path, jobs: int, engine: Path = REPO) -> list[str]:
    """A build by the docsite of the checkout `engine` (its build.py imports its own)."""
    return [
        sys.executable,
        str(engine / "build.py"),
        "build",
        "--out",
        str(out),
        "-q",
        "--jobs",
        str(jobs),
    ]


def _page_at(corpus: Corpus, part: tuple[int, int]) -> Path:
    """The page `part` of the way down the corpus's list: (1, 2) is halfway."""
    return corpus.content / corpus.pages[len(corpus.pages) * part[0] // part[1]]


def _edit_body(corpus: Corpus, part: tuple[int, int] = (1, 2)) -> None:
    """Add a paragraph at the end of the page `part` of the way down the list."""
    path = _page_at(corpus, part)
    path.write_text(path.read_text() + "\nOne more paragraph, edited for the benchmark.\n")


def _edit_middle(corpus: Corpus, part: tuple[int, int] = (3, 10)) -> None:
    """Insert a paragraph before the first section of the page `part` of the way down the
    list: most of the page's words come after it, as after a sentence changed mid-page."""
    path = _page_at(corpus, part)
    head, mark, rest = path.read_text().partition("\n## ")
    inserted = "\nA paragraph inserted in the middle of the page, for the benchmark.\n"
    path.write_text(head + inserted + mark + rest)


def _edit_label(corpus: Corpus) -> None:
    path = _page_at(corpus, (1, 3))
    head, _, rest = path.read_text().partition("\n# ")
    path.write_text(head + "\n# Renamed " + rest)


def output_sizes(out: Path) -> tuple[float, float, float]:
    pages = [p.stat().st_size for p in out.rglob("*.html")]
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return total / 2**20, statistics.median(pages) / 1024, max(pages) / 1024


def disk_mb(folder: Path, shared: set[tuple[int, int]] | None = None) -> float:
    """Bytes a folder holds (files and folders, as `du --apparent-size`), a file with
    several links counted once, and not at all when its inode is in `shared`."""
    seen = set(shared or ())
    total = 0
    for path in [folder, *folder.rglob("*")]:
        stat = path.lstat()
        if (stat.st_dev, stat.st_ino) not in seen:
            seen.add((stat.st_dev, stat.st_ino))
            total += stat.st_size
    return total / 2**20


def cache_sizes(cache: Path, site: Path) -> dict[str, float]:
    """The cache's size beside the site's: all of it as `du` of the folder alone shows it,
    and what it adds to the disk (the spare site tree is mostly hard links to the site)."""
    site_inodes = {(s.st_dev, s.st_ino) for s in (p.lstat() for p in site.rglob("*"))}
    site_mb, whole_mb = disk_mb(site), disk_mb(cache)
    own_mb = disk_mb(cache, site_inodes)
    return {
        "site_mb": round(site_mb, 1),
        "cache_mb": round(own_mb, 1),
        "cache_with_links_mb": round(whole_mb, 1),
        "cache/site": round(own_mb / site_mb, 3),
    }


# A word of the corpus's vocabulary, as a reader would type it.
SEARCH_QUERY = "deploy"


def measure_search(out: Path) -> dict[str, float]:
    """Indexing time (the site re-indexed from its pages), the index's size, and the bytes a
    browser fetches for one query (all of pagefind/ that it requests, measured in Chromium)."""
    from docsite import search

    if not search.binary_available():
        return {}
    pages = []
    for path in sorted(out.rglob("*.html")):
        if b"data-pagefind-body" in path.read_bytes():
            rel = path.relative_to(out).as_posix()
            pages.append(search.SearchPage(rel.removesuffix("index.html"), rel, ""))
    started = time.perf_counter()
    search.full_index(pages, out, code=True)  # timed: the files are the build's
    seconds = time.perf_counter() - started
    index = out / "pagefind"
    files = [p for p in index.rglob("*") if p.is_file()]
    data = [p for p in files if p.parent.name in ("index", "fragment", "filter")]
    figures = {
        "index_seconds": round(seconds, 2),
        "indexed_pages": len(pages),
        "index_total_mb": round(sum(p.stat().st_size for p in files) / 2**20, 2),
        "index_data_mb": round(sum(p.stat().st_size for p in data) / 2**20, 2),
    }
    figures.update(query_transfer(out, SEARCH_QUERY))
    return figures


def query_transfer(out: Path, query: str) -> dict[str, float]:
    """Bytes of pagefind/ fetched by the search box for one query, in headless Chromium."""
    try:
        sys.path.insert(0, str(REPO / "tests"))
        from browser import launch_chromium, serve
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    if shutil.which("chromium") is None:
        return {}
    fetched: dict[str, int] = {}
    with serve(out) as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()

            def count(response) -> None:
                if "/pagefind/" in response.url:
                    fetched[response.url] = len(response.body())

            page.on("response", count)
            page.goto(url)
            page.keyboard.press("/")
            page.keyboard.type(query)
            page.wait_for_selector(".search-hit, .search-message", timeout=30_000)
            page.wait_for_load_state("networkidle")
        finally:
            browser.close()
    code = ("pagefind.js", "pagefind-worker.js", ".pagefind")
    return {
        "query_kb": round(sum(fetched.values()) / 1024, 1),
        "query_data_kb": round(
            sum(n for u, n in fetched.items() if not u.endswith(code)) / 1024, 1
        ),
        "query_requests": len(fetched),
    }


def installed_command(name: str) -> str | None:
    """A command of this Python's environment (found when it is not on PATH), else PATH's."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


def mkdocs_run(corpus: Corpus, work: Path, limit: float) -> Run | None:
    """MkDocs with its default theme (and its default search plugin)."""
    mkdocs = installed_command("mkdocs")
    if mkdocs is None:
        return None
    config = work / "mkdocs.yml"
    config.write_text(
        f"site_name: Benchmark\ndocs_dir: {corpus.content}\nsite_dir: {work / 'mkdocs-site'}\n"
        "use_directory_urls: true\n"
    )
    return timed([mkdocs, "build", "-q", "-f", str(config)], work, limit, baseline=True)


def zensical_run(corpus: Corpus, limit: float) -> Run | None:
    """Zensical on the corpus's mkdocs.yml (Material's theme, its search on), cold: its cache
    and site are deleted first, and `--clean` says so again."""
    zensical = installed_command("zensical")
    if zensical is None:
        return None
    for folder in (".cache", BASELINE_SITE):
        shutil.rmtree(corpus.root / folder, ignore_errors=True)
    config = corpus.root / "mkdocs.yml"
    command = [zensical, "build", "--clean", "-f", str(config)]
    return timed(command, corpus.root, limit, baseline=True)


# A baseline build this long is not repeated in the rounds (MkDocs at 5,000 pages: 5 minutes).
ONCE_SECONDS = 120.0


def compare_cold(
    corpus: Corpus,
    work: Path,
    command: list[str],
    out: Path,
    limit: float,
    rounds: int,
    with_baselines: bool = True,
    between: Callable[[], object] = lambda: None,
) -> dict[str, list[Run]]:
    """Cold builds of the corpus by docsite and by each baseline installed, one of each per
    round, in turn: a machine whose speed drifts over minutes slows them alike. A baseline
    that stops (at the time limit, or failing) is not run again: it is a lower bound; nor
    is one that took over ONCE_SECONDS, whose length evens the drift out. Without
    baselines (--no-mkdocs), docsite's rounds alone. `between`: called after docsite's
    build of each round (an edit of another corpus, timed in the same minute)."""
    baselines = (
        {
            "mkdocs": lambda: mkdocs_run(corpus, work, limit),
            "zensical": lambda: zensical_run(corpus, limit),
        }
        if with_baselines
        else {}
    )
    runs: dict[str, list[Run]] = {"docsite": [], **{name: [] for name in baselines}}
    for _ in range(rounds):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(corpus.root / ".docsite-cache", ignore_errors=True)
        runs["docsite"].append(timed(command, corpus.root))
        between()
        for name, baseline in baselines.items():
            last = runs[name][-1] if runs[name] else None
            if last is not None and (last.timed_out or last.failed or last.seconds > ONCE_SECONDS):
                continue
            found = baseline()
            if found is not None:
                runs[name].append(found)
    return {name: found for name, found in runs.items() if found}


def _copy_corpus(corpus: Corpus, root: Path) -> Corpus:
    """The corpus's files, copied to `root` (none of its builds' files)."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(corpus.root, root, ignore=shutil.ignore_patterns(".docsite-cache"))
    return Corpus(root, corpus.pages)


def median_run(runs: list[Run] | None) -> Run | None:
    """The median of a generator's rounds; the last, if it stopped (a lower bound)."""
    if not runs:
        return None
    if runs[-1].timed_out or runs[-1].failed:
        return runs[-1]
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def measure(
    pages: int,
    work: Path,
    jobs: int,
    mkdocs_limit: float | None,
    search: bool = True,
    engine: Path = REPO,
    watch: bool = True,
    rounds: int = 3,
    words: tuple[str, ...] = WORDS,
) -> SizeResult:
    corpus = generate(work / f"corpus-{pages}", pages, search=search, words=words)
    # The cold rounds build a copy of the corpus as generated: its edits keep their site.
    wanted = bool(mkdocs_limit) or rounds > 1
    twin = _copy_corpus(corpus, work / f"corpus-{pages}-rounds") if wanted else None
    out = work / f"site-{pages}"
    command = docsite_command(out, jobs, engine)
    probes = {"before the first cold build": machine_probe()}
    cold = timed(command, corpus.root)
    no_change = timed(command, corpus.root)
    _edit_body(corpus)
    body_edit = timed(command, corpus.root)
    _edit_label(corpus)
    label_edit = timed(command, corpus.root)
    _edit_body(corpus, (1, 4))
    body_edit_again = timed(command, corpus.root)
    more_body_edits: list[Run] = []

    def next_edit() -> None:
        """The next of the steady body edits (MORE_EDITS), if one is left."""
        if len(more_body_edits) < len(MORE_EDITS):
            _edit_body(corpus, MORE_EDITS[len(more_body_edits)])
            more_body_edits.append(timed(command, corpus.root))

    compared: dict[str, list[Run]] = {}
    if twin is not None:
        # Each cold round is followed by an edit: a VM's speed drifts over minutes, and a
        # ratio of an edit to a cold build timed minutes apart says more of the drift than
        # of docsite (the first cold build and the edits after it were 66% apart once).
        probes["before the cold rounds"] = machine_probe()
        rounds_out = work / f"site-{pages}-rounds"
        rounds_command = docsite_command(rounds_out, jobs, engine)
        limit, with_baselines = mkdocs_limit or 0.0, bool(mkdocs_limit)
        compared = compare_cold(
            twin, work, rounds_command, rounds_out, limit, rounds, with_baselines, next_edit
        )
    while len(more_body_edits) < len(MORE_EDITS):
        next_edit()
    _edit_middle(corpus)
    mid_page_edit = timed(command, corpus.root)
    probes["after the cold rounds and edits" if compared else "after the edits"] = machine_probe()
    total_mb, median_kb, largest_kb = output_sizes(out)
    result = SizeResult(
        pages,
        cold,
        no_change,
        body_edit,
        label_edit,
        body_edit_again,
        round(total_mb, 1),
        round(median_kb, 1),
        round(largest_kb, 1),
    )
    result.more_body_edits = more_body_edits
    result.mid_page_edit = mid_page_edit
    result.cache = cache_sizes(corpus.root / ".docsite-cache", out)
    result.search = measure_search(out) if search else {}
    result.watch = watch_figures(corpus, engine) if watch else {}
    result.rounds = {name: [run.seconds for run in runs] for name, runs in compared.items()}
    result.mkdocs = median_run(compared.get("mkdocs"))
    result.zensical = median_run(compared.get("zensical"))
    docsite_cold = statistics.median(result.rounds["docsite"]) if compared else cold.seconds
    result.cold_seconds = docsite_cold
    result.probes = probes
    result.ratios = {
        "no_change/cold": round(no_change.seconds / docsite_cold, 4),
        "body_edit/cold": round(body_edit.seconds / docsite_cold, 4),
        "label_edit/cold": round(label_edit.seconds / docsite_cold, 4),
        "body_edit_again/cold": round(body_edit_again.seconds / docsite_cold, 4),
        "body_edit_median/cold": round(steady_body_edit(result) / docsite_cold, 4),
        "mid_page_edit/cold": round(mid_page_edit.seconds / docsite_cold, 4),
    }
    if result.mkdocs is not None:
        # With a timed-out MkDocs run this is a lower bound (printed as ">").
        result.ratios["mkdocs/docsite_cold"] = round(result.mkdocs.seconds / docsite_cold, 2)
    if result.zensical is not None:
        result.ratios["zensical/docsite_cold"] = round(result.zensical.seconds / docsite_cold, 2)
    return result


# Where the body edits after the second one are, down the list of pages: other pages than
# the first edits' (1/2 and 1/4), each its own from 20 pages up.
MORE_EDITS = ((1, 10), (6, 10), (7, 10), (9, 10))


def steady_body_edits(result: SizeResult) -> list[float]:
    """The body edits after the first (seconds), in the order they ran."""
    return [run.seconds for run in [result.body_edit_again, *result.more_body_edits]]


def steady_body_edit(result: SizeResult) -> float:
    """The median of the body edits after the first (seconds)."""
    return statistics.median(steady_body_edits(result))


def edits_line(result: SizeResult) -> str:
    """The body edits after the first, edit by edit, and their median against the cold build;
    then the edit in the middle of a page."""
    each = " ".join(f"{seconds:.2f}" for seconds in steady_body_edits(result))
    median = steady_body_edit(result)
    line = (
        f"one-page body edits at {result.pages} pages after the first, edit by edit (s): {each}; "
        f"median {median:.2f} ({median / result.cold_seconds:.1%} of the cold build)"
    )
    middle = result.mid_page_edit
    if middle is not None:
        line += (
            f"; a paragraph inserted mid-page (the words after it move): {middle.seconds:.2f} s "
            f"({middle.seconds / result.cold_seconds:.1%})"
        )
    return line


# A fixed piece of pure Python work: its time tells how fast the machine is at the moment.
PROBE_LOOPS = 2_000_000
# Probes further apart than this (the slower against the faster) make a run's ratios suspect.
PROBE_SPREAD = 0.15


def machine_probe(loops: int = PROBE_LOOPS, runs: int = 3) -> float:
    """CPU seconds of a fixed loop in a fresh Python, the median of `runs`: the same work
    every time, so a change is the machine's, not docsite's."""
    code = (
        "import time\nstarted = time.process_time()\ntotal = 0\n"
        f"for n in range({loops}):\n    total += n\nprint(time.process_time() - started)"
    )
    seconds = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(seconds)


def probes_line(result: SizeResult) -> str:
    """The machine's speed through the run at one size, and whether it held."""
    each = ", ".join(f"{seconds:.2f} s {moment}" for moment, seconds in result.probes.items())
    line = (
        f"machine at {result.pages} pages (a fixed Python loop, median of 3; lower is "
        f"faster): {each}"
    )
    spread = max(result.probes.values()) / min(result.probes.values()) - 1
    if spread > PROBE_SPREAD:
        line += (
            f"; {spread:.0%} apart: the machine's speed changed during the run, and ratios "
            "of builds timed apart are suspect"
        )
    return line


def watch_figures(corpus: Corpus, engine: Path) -> dict[str, float]:
    """Watch mode's latencies; a server that misses an edit's reload (a large site) is
    reported as such, and the build figures of the run are kept."""
    try:
        return measure_watch(corpus, engine=engine)
    except (queue.Empty, RuntimeError) as exc:
        print(f"watch mode at {len(corpus.pages)} pages: no figures ({exc!r})", file=sys.stderr)
        return {}


def baseline_ratio(run: Run | None, ratio: float | None) -> str:
    """How many times docsite's cold build is faster; a lower bound (">") when the other
    generator was stopped at the time limit, or ended without its site ("failed")."""
    if run is None or ratio is None:
        return "-"
    bound = ">" if run.timed_out or run.failed else ""
    return f"{bound}{ratio:.1f}x" + (" failed" if run.failed else "")


def table(results: list[SizeResult]) -> str:
    rows = [
        (
            "pages",
            "watch body ms",
            "watch label ms",
            "cold s",
            "no-change s",
            "body-edit s",
            "label-edit s",
            "body-edit again s",
            "peak MB",
            "output MB",
            "median KB",
            "largest KB",
            "mkdocs s",
            "mkdocs/docsite",
            "zensical s",
            "zensical/docsite",
            "index s",
            "index MB",
            "query KB",
        )
    ]
    for r in results:
        rows.append(
            (
                str(r.pages),
                f"{r.watch['body_edit_ms']:.0f}" if r.watch else "-",
                f"{r.watch['label_edit_ms']:.0f}" if r.watch else "-",
                f"{r.cold_seconds:.2f}",
                f"{r.no_change.seconds:.2f} ({r.ratios['no_change/cold']:.1%})",
                f"{r.body_edit.seconds:.2f} ({r.ratios['body_edit/cold']:.1%})",
                f"{r.label_edit.seconds:.2f} ({r.ratios['label_edit/cold']:.1%})",
                f"{r.body_edit_again.seconds:.2f} ({r.ratios['body_edit_again/cold']:.1%})",
                f"{max(r.cold.peak_mb, r.label_edit.peak_mb):.0f}",
                f"{r.output_mb:.1f}",
                f"{r.median_page_kb:.1f}",
                f"{r.largest_page_kb:.1f}",
                f"{r.mkdocs.seconds:.1f}" if r.mkdocs else "-",
                baseline_ratio(r.mkdocs, r.ratios.get("mkdocs/docsite_cold")),
                f"{r.zensical.seconds:.1f}" if r.zensical else "-",
                baseline_ratio(r.zensical, r.ratios.get("zensical/docsite_cold")),
                f"{r.search['index_seconds']:.2f}" if r.search else "-",
                f"{r.search['index_total_mb']:.1f}" if r.search else "-",
                f"{r.search.get('query_kb', 0):.0f}" if r.search else "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cpu_line(result: SizeResult, cores: int) -> str:
    """Where the cold builds' wall time stands against their CPU time: a build that keeps
    every core busy is as fast as its work allows, and only less work makes it faster."""
    cold = result.cold
    parts = [
        f"CPU at {result.pages} pages: docsite's cold build {cold.cpu_seconds:.2f} s "
        f"in {cold.seconds:.2f} s ({cold.cpu_seconds / cold.seconds:.2f} of {cores} cores busy; "
        f"this work takes at least {cold.cpu_seconds / cores:.2f} s on {cores})"
    ]
    for name, run in (("MkDocs", result.mkdocs), ("Zensical", result.zensical)):
        if run is not None and not (run.timed_out or run.failed):
            parts.append(f"{name} {run.cpu_seconds:.1f} s in {run.seconds:.1f} s")
    return "; ".join(parts)


# What a build that renders imports (`docsite build` of a site with anything to do), and how
# many fresh processes time it: the median evens out a machine's noise.
BUILD_IMPORTS = "docsite.cli, docsite.build.run, docsite.build.site"
STARTUP_RUNS = 7
# A process that imports them as the command does (docsite.__main__): with the code kept by
# the processes before it (docsite.kept_code, which the first one writes), where the engine
# has it; then it ends without tearing its modules down (`docsite.__main__.run`).
IMPORTING = f"""import os
try:
    from docsite.kept_code import keep_code
except ImportError:  # an engine from before docsite.kept_code
    kept = None
else:
    kept = keep_code()
import {BUILD_IMPORTS}
if kept is not None:
    kept.save()
os._exit(0)"""


def startup_figures(engine: Path, runs: int = STARTUP_RUNS) -> dict[str, float]:
    """Seconds, the median of `runs` fresh processes each: Python's start alone, and its
    start with the imports of the engine's build (`IMPORTING`), the part of every
    `docsite build` that no page count changes. Each ends as docsite's command does, without
    tearing its modules down (`docsite.__main__.run`)."""
    bare = [sys.executable, "-c", "import os; os._exit(0)"]
    # Run in the engine's folder, which `python -c` looks in first: its docsite is imported.
    importing = [sys.executable, "-c", IMPORTING]
    figures = {}
    for name, command in (("python_s", bare), ("imports_s", importing)):
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(command, cwd=engine, env=RUN_ENV, check=True)
            seconds.append(time.perf_counter() - started)
        figures[name] = round(statistics.median(seconds), 3)
    return figures


def startup_line(figures: dict[str, float]) -> str:
    return (
        f"start-up: Python {figures['python_s']:.2f} s; with the imports of a build that "
        f"renders {figures['imports_s']:.2f} s (median of {STARTUP_RUNS} processes each)"
    )


def compile_engine(engine: Path) -> None:
    """Compile the engine's modules, as installing a package does (and as the baselines,
    installed, are): a checkout run with PYTHONDONTWRITEBYTECODE=1, or one never imported,
    would compile the modules again in every build it times."""
    compileall.compile_dir(engine / "docsite", quiet=1)


def run(
    sizes: list[int],
    jobs: int,
    mkdocs_limit: float | None,
    json_path: Path,
    keep: Path | None,
    search: bool = True,
    engine: Path = REPO,
    watch: bool = True,
    rounds: int = 3,
    words: int = 0,
) -> dict:
    """Measure each size in turn; the results are saved after each, so that a large size
    that fails leaves those before it. `rounds`: of cold builds against the baselines;
    `words`: the size of the corpora's vocabulary (`corpus.vocabulary`; 0: WORDS)."""
    drawn = vocabulary(words) if words else WORDS
    work = keep or Path(tempfile.mkdtemp(prefix="docsite-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    compile_engine(engine)
    report: dict = {
        "search": search,
        "vocabulary": len(set(drawn)),
        "jobs": jobs,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "engine": str(engine),
        "startup": startup_figures(engine),
        "sizes": [],
    }
    results: list[SizeResult] = []
    try:
        for size in sizes:
            results.append(
                measure(size, work, jobs, mkdocs_limit, search, engine, watch, rounds, drawn)
            )
            report["sizes"].append(asdict(results[-1]))
            _save(report, results, json_path)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    _print(report, results)
    print(f"results written to {json_path}")
    return report


def _save(report: dict, results: list[SizeResult], json_path: Path) -> None:
    if len(results) >= 2:
        small, large = results[0], results[-1]
        report["per_page_scaling"] = round(
            (large.cold_seconds / large.pages) / (small.cold_seconds / small.pages), 3
        )
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(report, indent=2) + "\n")


def _print(report: dict, results: list[SizeResult]) -> None:
    print(table(results))
    print(f"corpora: text drawn from {report['vocabulary']} words (--vocabulary)")
    print(startup_line(report["startup"]))
    for r in results:
        c = r.cache
        print(
            f"cache at {r.pages} pages: {c['cache_mb']:.1f} MB beside a {c['site_mb']:.1f} MB site "
            f"({c['cache/site']:.0%}; {c['cache_with_links_mb']:.1f} MB counting the hard links "
            "of its spare site tree)"
        )
    cores = report.get("cpus") or 1
    for r in results:
        print(cpu_line(r, cores))
    for r in results:
        print(edits_line(r))
    for r in results:
        if r.probes:
            print(probes_line(r))
    for r in results:
        if r.rounds:
            each = "; ".join(
                f"{name} {' '.join(f'{seconds:.1f}' for seconds in found)}"
                for name, found in r.rounds.items()
            )
            print(f"cold builds at {r.pages} pages, round by round (s): {each}")
    if "per_page_scaling" in report:
        print(
            f"time per page at {results[-1].pages} pages vs {results[0].pages}: "
            f"{report['per_page_scaling']:.2f}x"
        )
