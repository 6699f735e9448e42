"""`serve`: build, serve, watch the sources, rebuild what changed, tell the browsers."""

from __future__ import annotations

import dataclasses
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from docsite.build import BuildOptions
from docsite.cache import CACHE_DIR
from docsite.diagnostics import Severity
from docsite.live import LiveSite, Update, site_path
from docsite.serve import Broadcaster, bind, diagnostics_event, is_public, url_for

# An editor's save is often several events (write, rename, chmod): wait for a quiet moment.
DEBOUNCE_SECONDS = 0.03
MAX_WAIT_SECONDS = 0.5
IGNORED_EVENTS = frozenset({"opened", "closed_no_write"})


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
                    self._paths[Path(path if isinstance(path, str) else path.decode())] = None
            self._changed.notify()

    def add(self, path: Path) -> None:
        with self._changed:
            self._paths[path] = None
            self._changed.notify()

    def next_batch(self, stop: threading.Event) -> list[Path]:
        """Block until something changed and then stayed quiet for a moment."""
        with self._changed:
            while not self._paths and not stop.is_set():
                self._changed.wait(timeout=0.2)
            started = time.monotonic()
            while not stop.is_set():
                count = len(self._paths)
                self._changed.wait(timeout=DEBOUNCE_SECONDS)
                if len(self._paths) == count or time.monotonic() - started > MAX_WAIT_SECONDS:
                    break
            batch, self._paths = list(self._paths), {}
        return batch


def publish(events: Broadcaster, update: Update) -> None:
    if update.failed:
        events.publish("builderror", diagnostics_event(update.diagnostics))
    elif update.css_only:
        events.publish("css", {})
    elif update.changed_urls or update.reload_all:
        paths = sorted({site_path(url) for url in update.changed_urls})
        events.publish("reload", {"paths": paths, "all": update.reload_all})
    else:
        events.publish("ok", {})


def report_update(update: Update, say: Callable[[str], None], quiet: bool) -> None:
    for diagnostic in update.diagnostics:
        if quiet and diagnostic.severity is not Severity.ERROR:
            continue
        say(diagnostic.format())
    if update.failed:
        say("Rebuild failed; still serving the last good site.")
    elif not quiet and (update.rendered or update.changed_urls):
        pages = f"{update.rendered} page{'s' if update.rendered != 1 else ''}"
        say(f"Rebuilt {pages} in {update.seconds * 1000:.0f} ms")


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
    """Run until Ctrl+C (or `stop` is set): the exit code for the command line."""
    root = options.root.resolve()
    site_dir = root / CACHE_DIR / "serve"
    live = LiveSite(dataclasses.replace(options, root=root, out=site_dir))
    events = Broadcaster()
    first = live.full_build()
    report_update(first, say, quiet=True)
    if first.failed:
        site_dir.mkdir(parents=True, exist_ok=True)
        events.publish("builderror", diagnostics_event(first.diagnostics))
    elif not quiet:
        say(
            f"Built {live.last_result.pages if live.last_result else 0} pages in "
            f"{first.seconds:.2f} s"
        )
    if is_public(host):
        say(f"warning: serving on {host}: anyone who can reach this machine can read the site")
    server = bind(host, port, site_dir, events, say)
    url = url_for(server)
    say(f"Serving on {url} (Ctrl+C to stop)")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    changes = ChangeQueue()
    observer = PollingObserver(timeout=0.5) if poll else Observer()
    watched: set[Path] = set()
    _watch_new_folders(observer, changes, watched, live, root)
    observer.start()
    stop = stop or threading.Event()
    if ready is not None:
        ready(url)
    if open_browser:
        webbrowser.open(url)
    try:
        while not stop.is_set():
            batch = changes.next_batch(stop)
            if not batch:
                continue
            batch += _watch_new_folders(observer, changes, watched, live, root)
            update = live.apply(batch)
            # Pages may read files elsewhere now (a snippet just added): watch their folders.
            _watch_new_folders(observer, changes, watched, live, root)
            if update.rendered or update.changed_urls or update.diagnostics or update.failed:
                report_update(update, say, quiet)
            publish(events, update)
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        live.close()
        observer.stop()
        events.close()
        server.shutdown()
        server.server_close()
        observer.join(timeout=2)
    return 0


def _watch_new_folders(
    observer, changes: ChangeQueue, watched: set[Path], live: LiveSite, root: Path
) -> list[Path]:
    """Watch the project folder (for the config) and content/, templates/, static/, including
    any of them created while serving; returns the folders that just appeared."""
    config = live.live.config if live.live is not None else None
    content = config.content_dir.resolve() if config is not None else root / "content"
    appeared = []
    recursive = (content, root / "templates", root / "static")
    # Folders holding files that pages read from elsewhere in the project (code snippets).
    elsewhere = {
        path.parent.resolve()
        for path in live.read_files()
        if not any(path.resolve().is_relative_to(folder) for folder in recursive)
    }
    for folder in (root, *recursive, *sorted(elsewhere)):
        if folder in watched or not folder.is_dir():
            continue
        observer.schedule(changes, str(folder), recursive=folder in recursive)
        if watched:
            appeared.append(folder)
        watched.add(folder)
    return appeared
