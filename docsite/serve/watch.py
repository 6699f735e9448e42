"""`serve`: build, serve, watch the sources, rebuild what changed, tell the browsers."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import mimetypes
import os
import stat
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from docsite.build import BuildOptions, build_site
from docsite.build.preview import PagePreview
from docsite.cache import CACHE_DIR, collecting_seldom
from docsite.config import SiteConfig, load_config
from docsite.diagnostics import DiagnosticError, Report, Severity, UsageError
from docsite.filelock import FileLock, try_lock
from docsite.output import OUTPUT_MARKER
from docsite.serve.live import LiveSite, Update, crash_diagnostic, site_path
from docsite.serve.server import HELD_WAIT_SECONDS, Broadcaster, diagnostics_event, start

# An editor's save is often several events (write, rename, chmod): wait for a quiet moment.
DEBOUNCE_SECONDS = 0.03
MAX_WAIT_SECONDS = 0.5
SWITCH_SECONDS = 0.001
COLLECT_QUIET_SECONDS = 5.0
IGNORED_EVENTS = frozenset({"opened", "closed_no_write"})
# How often a quiet watcher checks that its watches still stand (a watched folder deleted
# and made again is a new folder, which no watch covers).
WATCH_CHECK_SECONDS = 1.0


class ChangeQueue(FileSystemEventHandler):
    """Collects changed paths from the watcher; hands them over in debounced batches."""

    def __init__(self) -> None:
        self._paths: dict[Path, None] = {}
        self._changed = threading.Condition()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in IGNORED_EVENTS:
            return  # reading a file (as the build does) is not a change
        if event.is_directory and event.event_type == "modified":
            return  # a folder's time changed because a file in it did: that file reports
        paths = [event.src_path, getattr(event, "dest_path", "")]
        with self._changed:
            for path in paths:
                if path:
                    self._paths[Path(os.fsdecode(path))] = None
            self._changed.notify()

    def add(self, path: Path) -> None:
        with self._changed:
            self._paths[path] = None
            self._changed.notify()

    def waiting(self) -> list[Path]:
        """The changed paths not handed over yet."""
        with self._changed:
            return list(self._paths)

    def has_waiting(self) -> bool:
        """Whether a change waits (cheap enough to ask for every page read ahead)."""
        return bool(self._paths)

    def next_batch(self, stop: threading.Event, timeout: float = WATCH_CHECK_SECONDS) -> list[Path]:
        """Block until something changed and then stayed quiet for a moment; [] after
        `timeout` without a change, so that the caller can look after its watches."""
        with self._changed:
            quiet_until = time.monotonic() + timeout
            while not self._paths and not stop.is_set():
                if time.monotonic() > quiet_until:
                    return []
                self._changed.wait(timeout=0.2)
            started = time.monotonic()
            while not stop.is_set():
                count = len(self._paths)
                self._changed.wait(timeout=DEBOUNCE_SECONDS)
                if len(self._paths) == count or time.monotonic() - started > MAX_WAIT_SECONDS:
                    break
            batch, self._paths = list(self._paths), {}
        return batch


class QuietHeap:
    """Python's cycle collector over a long watch session. The loaded site stays in memory
    from change to change; every collection that a change's work sets off walked all of it
    again (at 1,000 pages, more than half of a preview's time). Once a change is done and
    nothing happens, what is left is frozen (`gc.freeze`, cheap): later collections walk
    only what later work made. Frozen cycles are not freed, so the garbage is collected
    first (it walks only what is not frozen yet), as a change's build does
    (`cache.collecting_seldom`): a leftover template context would hold the site it showed,
    and the site a change replaces is then freed at once. Should the frozen part still double since
    the last full collection, one runs, but only after COLLECT_QUIET_SECONDS without a
    change: it cannot stop halfway for a save."""

    def __init__(self) -> None:
        self.dirty = True
        self.collected = 0  # objects frozen after the last full collection
        self.last_change = time.monotonic()

    def changed(self) -> None:
        self.dirty = True
        self.last_change = time.monotonic()

    def settle(self) -> None:
        if self.dirty:
            self.dirty = False
            gc.collect()
            gc.freeze()
        quiet = time.monotonic() - self.last_change >= COLLECT_QUIET_SECONDS
        if quiet and gc.get_freeze_count() > 2 * self.collected:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.collected = gc.get_freeze_count()


def send_previews(events: Broadcaster, previews: list[PagePreview], css: bool) -> None:
    """Serve these files from memory and tell the tabs, ahead of the build that writes them."""
    events.previews.hold({preview.output_path: preview.html for preview in previews})
    if css:
        events.publish("css", {})
    else:
        paths = sorted({site_path(p.url) for p in previews if p.url is not None})
        sheets = any(p.stylesheet for p in previews)  # sent with the pages: fetched again
        shown = [p.output_path for p in previews if p.url is None and not p.stylesheet]
        # An image: the tabs that show it fetch it again in place. A script, a font, a
        # video: every tab reloads, as the build would have it. A code sample or a download
        # is held only: the pages that show it are among `paths`.
        images = sorted(site_path(path) for path in shown if is_image(path))
        files = any(shown_by_pages(path) and not is_image(path) for path in shown)
        events.publish(
            "reload",
            {"paths": paths, "all": files, "css": sheets, "files": files, "images": images},
        )
    if events.streams:  # a tab is there to ask for it
        events.previews.wait_served(HELD_WAIT_SECONDS)


def is_image(path: str) -> bool:
    """Whether a file of the site is an image: a tab puts its new version in place of the
    old in the elements that show it (livereload.js), unless a stylesheet shows it."""
    return (mimetypes.guess_type(path)[0] or "").startswith("image/")


def shown_by_pages(path: str) -> bool:
    """Whether pages show a file of the site itself (an image, a video, a font, a script,
    a stylesheet of the content folder), which a tab fetches again only when it reloads;
    pages link to other files, or show what they hold (a code snippet), and a tab updates
    in place for those."""
    kind = mimetypes.guess_type(path)[0] or ""
    return kind.startswith(("image/", "video/", "audio/", "font/")) or kind.endswith(
        ("javascript", "/css")
    )


def publish(events: Broadcaster, update: Update) -> None:
    """Tell the tabs what the update changed; files held in memory go (the site on disk is
    the build now), and tabs showing a preview of a failed build show the site again."""
    events.previews.release()
    shown = sorted({site_path(p.url) for p in update.previewed if p.url is not None})
    if update.failed:
        if shown:
            events.publish("reload", {"paths": shown, "all": False})
        events.publish("builderror", diagnostics_event(update.diagnostics))
    elif update.css_only and update.previewed:
        events.publish("ok", {})  # the tabs have the new stylesheet already
    elif update.css_only:
        events.publish("css", {})
    elif update.changed_urls or update.reload_all:
        paths = sorted({site_path(url) for url in update.changed_urls})
        events.publish(
            "reload",
            {
                "paths": paths,
                "all": update.reload_all,
                "css": update.stylesheets,
                "files": update.files,
                "images": [],  # the build's changed files reload the tabs (`files`)
            },
        )
    else:
        events.publish("ok", {})


REBUILD_FAILED = "Rebuild failed; still serving the last good site."
FIRST_BUILD_FAILED = "Build failed; the site appears here once the errors above are fixed."


def say_diagnostics(update: Update, say: Callable[[str], None], quiet: bool) -> bool:
    """Print the update's errors (and warnings unless quiet); whether it printed any."""
    shown = [d for d in update.diagnostics if not quiet or d.severity is Severity.ERROR]
    for diagnostic in shown:
        say(diagnostic.format())
    return bool(shown)


def report_update(
    update: Update, say: Callable[[str], None], quiet: bool, site_built: bool = True
) -> None:
    """Print what a rebuild did, so that the last line tells the state the site is in now.

    `site_built`: the served folder holds a good build (this run's, or an earlier run's)."""
    said = say_diagnostics(update, say, quiet)
    if update.failed:
        say(REBUILD_FAILED if site_built else FIRST_BUILD_FAILED)
    elif update.recovered:  # even with -q: it answers the failure printed before
        say(f"Fixed: the site is up to date again ({_work_done(update)})")
    elif said or (not quiet and (update.rendered or update.changed_urls)):
        work = _work_done(update)
        say(work[0].upper() + work[1:])


def _work_done(update: Update) -> str:
    milliseconds = f"{update.seconds * 1000:.0f} ms"
    if not update.rendered:
        return f"no page needed rebuilding, {milliseconds}"
    return f"rebuilt {update.rendered} page{'s' if update.rendered != 1 else ''} in {milliseconds}"


SERVE_FOLDER = "serve"
MAX_SERVE_FOLDERS = 100


def claim_serve_folder(cache_dir: Path) -> tuple[Path, FileLock]:
    """The first of serve, serve-2, serve-3... in `cache_dir` that no running `docsite serve`
    holds, locked until this process ends, so that two of them never build into one folder
    and a lone one always gets `serve` (and its warm cache)."""
    cache_dir.mkdir(exist_ok=True)
    for number in range(1, MAX_SERVE_FOLDERS + 1):
        name = SERVE_FOLDER if number == 1 else f"{SERVE_FOLDER}-{number}"
        lock = try_lock(cache_dir / f"{name}.lock")
        if lock is not None:
            return cache_dir / name, lock
    raise OSError(f"{MAX_SERVE_FOLDERS} 'docsite serve' are running in this project already")


def serve(
    options: BuildOptions,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    poll: bool = False,
    quiet: bool = False,
    say: Callable[[str], None] = print,
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Run until Ctrl+C (or `stop` is set): the exit code for the command line.

    A folder without a docs project raises UsageError before a port is bound."""
    root = options.root.resolve()
    if not root.is_dir():
        # Nowhere to serve from (--config names a missing folder): the build says what it
        # looked for, as `docsite build` does.
        build_site(dataclasses.replace(options, root=root))
    cache_dir = root / CACHE_DIR
    made_cache_dir = None if cache_dir.exists() else cache_dir
    site_dir, lock = claim_serve_folder(cache_dir)
    live = LiveSite(dataclasses.replace(options, root=root, out=site_dir))
    try:
        first = _first_build(live, lock, made_cache_dir)
        if site_dir.name != SERVE_FOLDER and not quiet:
            shown = site_dir.relative_to(root).as_posix()
            say(f"Another 'docsite serve' runs in this project: this one builds into {shown}")
        say_diagnostics(first, say, quiet=True)
        events = _events_for(live)
        if first.failed:
            site_dir.mkdir(parents=True, exist_ok=True)
            events.publish("builderror", diagnostics_event(first.diagnostics))
        elif not quiet:
            pages = live.last_result.pages if live.last_result else 0
            say(f"Built {pages} pages in {first.seconds:.2f} s")
        server, url = start(host, port, site_dir, events, say)
        say(f"Serving on {url} (Ctrl+C to stop)")
        if first.failed:
            say(REBUILD_FAILED if _has_site(site_dir) else FIRST_BUILD_FAILED)
        live.waiting = (changes := ChangeQueue()).waiting  # a build gives way to a change
        heap = QuietHeap()
        watches = Watches(lambda: PollingObserver(timeout=0.5) if poll else Observer(), changes)
        watches.update(live, root)
        watches.observer.start()
        stop = stop or threading.Event()
        if ready is not None:
            ready(url)
        if open_browser:
            webbrowser.open(url)
        try:
            while not stop.is_set():
                batch = changes.next_batch(stop)
                try:
                    batch += watches.update(live, root)
                    if not batch:
                        _while_quiet(live, changes, heap)
                        continue
                    update = _apply(live, batch, heap)
                    if update is None:
                        continue  # nothing the site is made of changed, or a newer change did
                    # Pages may read files elsewhere now (a snippet just added): watch them.
                    watches.update(live, root)
                except Exception as exc:  # whatever the files do, watch mode goes on
                    live.failing = True
                    update = Update(diagnostics=[crash_diagnostic(exc, root)], failed=True)
                _after_update(update, live, changes, events, site_dir, say, quiet)
        except KeyboardInterrupt:
            say("Stopped.")
        finally:
            watches.observer.stop()
            events.close()
            server.shutdown()
            server.server_close()
            watches.observer.join(timeout=2)
        return 0
    finally:
        live.close()
        lock.release()


def _apply(live: LiveSite, batch: list[Path], heap: QuietHeap) -> Update | None:
    """The update these changes made; None when there is nothing to tell: no file the site
    is made of changed, or a newer change stopped the build (the next one does both).
    The collector runs at a build's pace meanwhile, as in `docsite build`: at the default
    pace a label edit at 5,000 pages set off three full collections, each walking the whole
    site again (0.47 s of its 2.2 s rebuild), which found little to free: the site a build
    replaces is freed by reference counting, as nothing frozen holds it (QuietHeap)."""
    with collecting_seldom():
        update = live.apply(batch)
    heap.changed()
    return None if update.skipped or update.interrupted else update


def _after_update(
    update: Update,
    live: LiveSite,
    changes: ChangeQueue,
    events: Broadcaster,
    site_dir: Path,
    say: Callable[[str], None],
    quiet: bool,
) -> None:
    """Say what the update did, tell the tabs, then read the next preview's pages at once:
    a save within a second of a rebuild found them unread (`_while_quiet` reads them after
    a second without a change), and its preview took twice as long (a label edit at 5,000
    pages: 270 ms instead of 130). The collector's walk still waits for that second: no
    save can stop it."""
    report_update(update, say, quiet, _has_site(site_dir))
    publish(events, update)
    if not changes.has_waiting():
        live.warm_up(changes.has_waiting)


def _while_quiet(live: LiveSite, changes: ChangeQueue, heap: QuietHeap) -> None:
    """While nothing changes: the pages for the next preview read ahead, then the heap made
    cheap for the collector to walk; both give way to a change as soon as one comes."""
    live.warm_up(changes.has_waiting)
    if not changes.has_waiting():
        heap.settle()


def _events_for(live: LiveSite) -> Broadcaster:
    """The browsers' events, whose server tells the site which pages are open.

    The server's threads answer a reloading tab while the main thread builds: a short
    switch interval lets them take the interpreter sooner (Python's default: 5 ms a turn)."""
    sys.setswitchinterval(SWITCH_SECONDS)
    events = Broadcaster()
    live.open_pages = events.previews.open_pages
    live.on_preview = lambda previews, css: send_previews(events, previews, css)
    return events


def _first_build(live: LiveSite, lock: FileLock, made_cache_dir: Path | None) -> Update:
    """The first build, with the collector at a build's pace (5% faster at 5,000 pages);
    when it finds no project here (UsageError), the folder is left as it was: a
    `.docsite-cache` made just for the lock goes again."""
    try:
        with collecting_seldom():
            return live.full_build()
    except UsageError:
        lock.release(remove=made_cache_dir is not None)
        if made_cache_dir is not None:
            with contextlib.suppress(OSError):
                made_cache_dir.rmdir()  # not if another serve started meanwhile
        raise


def _has_site(site_dir: Path) -> bool:
    """Whether the served folder holds a good build (this run's, or an earlier run's)."""
    return (site_dir / OUTPUT_MARKER).is_file()


class Watches:
    """The folders the observer watches, kept standing: a watched folder deleted (its watch
    ends with it) or replaced is watched again once it is back."""

    def __init__(self, make_observer: Callable[[], BaseObserver], changes: ChangeQueue) -> None:
        self.make_observer = make_observer
        self.observer = make_observer()
        self.changes = changes
        self.watched: dict[Path, tuple[ObservedWatch, tuple[int, int]]] = {}

    def _restart(self) -> None:
        """A new observer, every folder watched anew: the old one gets no events any more."""
        with contextlib.suppress(Exception):
            self.observer.stop()
        self.observer = self.make_observer()
        self.watched = {}
        self.observer.start()

    def update(self, live: LiveSite, root: Path) -> list[Path]:
        """Watch the project folder (for the config) and content/, templates/, static/,
        including any of them made while serving, and the folders of files pages read
        elsewhere (code snippets), of config files extended from elsewhere and of git's
        HEAD and branch; returns the folders watched anew, as changes."""
        try:
            recursive = _trees(live, root)
            elsewhere = _folders_elsewhere(
                [*live.read_files(), *live.partial_files(), *live.head_files], recursive
            )
        except OSError:  # the project folder itself is going: the build says so
            recursive, elsewhere = [], set()
        restarted = self.observer.is_alive() and _reader_dead(self.observer)
        if restarted:
            self._restart()
        alive = {emitter.watch for emitter in self.observer.emitters if emitter.is_alive()}
        first = not self.watched and not restarted
        appeared = []
        for folder in (root, *recursive, *sorted(elsewhere)):
            identity = _identity(folder)
            known = self.watched.get(folder)
            if known is not None:
                watch, was = known
                running = watch in alive or not self.observer.is_alive()
                if running and was == identity:
                    continue
                with contextlib.suppress(KeyError, OSError):
                    self.observer.unschedule(watch)
                del self.watched[folder]
                appeared.append(folder)  # what happened while it was not watched counts
            if identity is None:
                continue
            try:
                watch = self.observer.schedule(
                    self.changes, str(folder), recursive=folder in recursive
                )
            except OSError:
                continue  # gone again, or unreadable: the next check tries again
            self.watched[folder] = (watch, identity)
            if not first and folder not in appeared:
                appeared.append(folder)
        return appeared


def _folders_elsewhere(files: list[Path], trees: list[Path]) -> set[Path]:
    """The folders of these files that no tree holds. Each file is resolved only when its
    path as written is outside them: a site whose pages look for an include in every
    folder reads (or misses) thousands of files, nearly all of them in content/."""
    inside = tuple(os.path.join(tree, "") for tree in trees)
    return {
        path.parent.resolve()
        for path in files
        if not str(path).startswith(inside)
        and not any(path.resolve().is_relative_to(tree) for tree in trees)
    }


def _reader_dead(observer: BaseObserver) -> bool:
    """Whether watchdog's inotify observer lost its reader: one thread reads all its watches,
    and when a fault of its own ends it (a KeyError as watched folders vanish, seen with
    watchdog 7.1), the watches stand but no event comes any more."""
    reader = getattr(observer, "_inotify_fd", None)
    return isinstance(reader, threading.Thread) and not reader.is_alive()


def _identity(folder: Path) -> tuple[int, int] | None:
    """The folder's device and inode (a folder made again is another), or None if none is."""
    try:
        info = folder.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISDIR(info.st_mode) else None


def _trees(live: LiveSite, root: Path) -> list[Path]:
    """The folders watched with all they hold: the pages', templates/ and static/.

    Pages in the project folder itself (Retype's `input: .`) mean each of its subfolders but
    the hidden ones (.git, .docsite-cache) and the output: those hold thousands of folders."""
    if live.live is not None:
        config = live.live.config
    else:  # no good build yet: the config as it is now, if it can be read
        try:
            config = load_config(root, live.options.config_file, Report())
        except (DiagnosticError, OSError):
            config = SiteConfig(root=root)
    trees = [root / "templates", root / "static"]
    content = config.content_dir.resolve()
    if content != root:
        return [content, *trees]
    outputs = {config.output_dir.resolve(), root / CACHE_DIR}
    subfolders = [
        folder
        for folder in sorted(root.iterdir())
        if folder.is_dir() and not folder.name.startswith(".") and folder not in outputs
    ]
    return list(dict.fromkeys([*subfolders, *trees]))
