"""Command line: argument parsing, printing and exit codes only."""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, TextIO

from docsite import __version__
from docsite.terminal import painter, wants_color
from docsite.uptodate import BuildRequest, answered, plural, shown_path

# Imported where used: a command loads what it needs (a build with nothing to do is
# answered before this module loads: docsite.uptodate).
if TYPE_CHECKING:
    import argparse

    from docsite.build import BuildResult
    from docsite.config import SiteConfig
    from docsite.context import BuildOptions
    from docsite.diagnostics import Paint

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build", "serve", "preview", "check", "new", "init", "clean")
DEFAULT_COMMAND = "build"


def _option_groups() -> tuple[argparse.ArgumentParser, ...]:
    """The options several commands share: project, building, reporting, output, serving."""
    import argparse  # here: a plain build whose stamp does not hold never parses with it

    project = argparse.ArgumentParser(add_help=False)
    project.add_argument(
        "-c",
        "-f",
        "--config",
        metavar="FILE",
        type=Path,
        help="the config file; the project's folders are found beside it "
        "(default: docsite.yml or docsite.yaml, else retype.yml/.yaml/.json, here)",
    )
    project.add_argument("--no-color", action="store_true", help="print without colours")
    building = argparse.ArgumentParser(add_help=False)
    building.add_argument("--strict", action="store_true", help="treat warnings as errors")
    level = building.add_mutually_exclusive_group()
    level.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    level.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list the pages rendered and why, and how long each step took",
    )
    building.add_argument(
        "-j",
        "--jobs",
        metavar="N",
        type=_positive_int,
        default=0,
        help="worker processes (default: one per core)",
    )
    building.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore and do not update the build cache (.docsite-cache/)",
    )
    reporting = argparse.ArgumentParser(add_help=False)
    reporting.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="'json': a machine-readable report on stdout, all other text on stderr",
    )
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="the output folder (default: 'output' from the config, else site)",
    )
    serving = argparse.ArgumentParser(add_help=False)
    serving.add_argument(
        "--host", help="address to bind (default: the config's serve.host, else 127.0.0.1)"
    )
    serving.add_argument(
        "--port",
        type=_port,
        help="port (default: the config's serve.port, else 8000; or the next free one)",
    )
    serving.add_argument("--open", action="store_true", help="open the site in a web browser")
    return project, building, reporting, output, serving


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser, and each command's own parser (to say which command takes an option)."""
    import argparse

    project, building, reporting, output, serving = _option_groups()
    parser = argparse.ArgumentParser(
        prog="docsite",
        description="Build a documentation site from Markdown pages (content/) into site/.",
        epilog="Run it in the project folder, or name the config with --config. "
        "Without a command, 'build' is assumed. 'docsite COMMAND --help' tells more.",
    )
    parser.add_argument("--version", action="version", version=f"docsite {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "build",
        parents=[project, building, reporting, output],
        help="build the site (the default command)",
        description="Build the content folder into the output folder. A failed build leaves "
        "the previous site as it was.",
    )
    serve = commands.add_parser(
        "serve",
        parents=[project, building, serving],
        help="build, serve on http://127.0.0.1:8000 and rebuild on every change",
        description="Build the site, serve it, watch the sources and reload browsers.",
    )
    serve.add_argument(
        "--poll", action="store_true", help="poll for changes (for Docker, WSL and network drives)"
    )
    commands.add_parser(
        "preview",
        parents=[project, output, serving],
        help="serve the built site as it is, without building",
        description="Serve the output folder of the last build, unchanged: to look at a site "
        "built elsewhere (a CI artefact) before publishing it.",
    )
    commands.add_parser(
        "check",
        parents=[project, building, reporting],
        help="run every check without writing the site (for CI)",
        description="Build into a temporary folder that is deleted afterwards: every check of "
        "a build runs, and neither the site nor the build cache is touched.",
    )
    new = commands.add_parser(
        "new",
        parents=[project],
        help="create a page with its frontmatter filled in",
        description="Create a page in the content folder (e.g. guide/setup) with frontmatter "
        "and a title.",
    )
    new.add_argument("path", metavar="PATH", help="the page's path in content/, e.g. guide/setup")
    new.add_argument("title", metavar="TITLE", nargs="?", default="", help="the page title")
    init = commands.add_parser(
        "init",
        help="create a new docs project that builds at once",
        description="Create docsite.yml, content/index.md and a first guide page in DIR.",
    )
    init.add_argument(
        "folder",
        metavar="DIR",
        type=Path,
        nargs="?",
        default=Path("."),
        help="the folder of the new project (default: this folder)",
    )
    init.add_argument("--title", default="", help="the site title (default: from DIR's name)")
    commands.add_parser(
        "clean",
        parents=[project, output],
        help="delete the built site and the build cache",
        description="Delete the output folder (only one that docsite wrote) and .docsite-cache/.",
    )
    return parser, dict(commands.choices)


def main(
    argv: list[str] | None = None,
    *,
    plain: BuildRequest | None = None,
    own_process: bool = False,
) -> int:
    """The command line; `plain`: a build spelt plainly, as docsite.uptodate read it,
    whose stamp does not hold (docsite.__main__): it is not asked again, and argparse is
    not needed (its import and parser are about 15 ms of a one-page rebuild). `own_process`:
    the process is this command's alone (not a caller's, as in tests), and ends with it."""
    started = time.perf_counter()
    if plain is not None:
        args, root, config_file = _plain_arguments(plain)
    else:
        parsed = _parsed(list(sys.argv[1:] if argv is None else argv))
        if isinstance(parsed, int):
            return parsed
        args = parsed
        root, config_file = _project(getattr(args, "config", None))
    if own_process and args.command not in ("build", "check"):
        gc.enable()  # paused while the command loaded (docsite.__main__.run); `_run` resumes it
    no_color = getattr(args, "no_color", False)
    paint = painter(wants_color(sys.stderr, no_color) and wants_color(sys.stdout, no_color))
    wanted = None if plain is not None else _stamp_request(args, root, config_file)
    if wanted is not None and answered(wanted, started):
        return EXIT_OK
    from docsite.context import BuildOptions
    from docsite.diagnostics import Diagnostic, Severity, UsageError

    try:
        if args.command in ("new", "init"):
            return _scaffold(args, root, config_file)
        options = BuildOptions(
            root=root,
            config_file=config_file,
            out=getattr(args, "out", None),
            strict=getattr(args, "strict", False),
            jobs=getattr(args, "jobs", 0),
            use_cache=not getattr(args, "no_cache", False),
        )
        if args.command == "serve":
            from docsite.serve.watch import serve  # the server and watcher load only when serving

            host, port, poll = _serving(args, root, config_file)
            return serve(options, host, port, args.open, poll, args.quiet)
        if args.command == "preview":
            return _preview(args, options)
        if args.command == "clean":
            return _clean(options)
        if args.command == "check":
            import tempfile

            # Outside the project, so neither site/ nor .docsite-cache/ is touched.
            with tempfile.TemporaryDirectory(
                prefix="docsite-check-", ignore_cleanup_errors=True
            ) as scratch:
                options.out = Path(scratch) / "site"
                options.use_cache = False
                options.search_index = False  # the site is thrown away: nothing to search
                return _run("check", options, args, paint, own_process)
        return _run("build", options, args, paint, own_process)
    except UsageError as exc:
        _usage_error(str(exc), paint)
        if getattr(args, "format", "text") == "json":
            from docsite.report_json import dumps, report_json

            problem = Diagnostic("", 0, 0, Severity.ERROR, str(exc))
            sys.stdout.write(dumps(report_json(args.command, [problem], 0, False)))
        return EXIT_USAGE
    except OSError as exc:
        _usage_error(f"cannot {args.command}: {exc}", paint)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("docsite: interrupted; the previous site is unchanged", file=sys.stderr)
        return 130


def _parsed(args_list: list[str]) -> argparse.Namespace | int:
    """The arguments as argparse reads them, or the exit code of a mistake it reported."""
    first = args_list[0] if args_list else ""
    if not first or (first.startswith("-") and first not in ("-h", "--help", "--version")):
        args_list.insert(0, DEFAULT_COMMAND)  # `docsite` and `docsite --strict` build
    elif not first.startswith("-") and first not in COMMANDS:
        from docsite.diagnostics import did_you_mean

        hint = did_you_mean(args_list[0], COMMANDS)
        print(
            f"docsite: error: unknown command '{args_list[0]}'"
            + (f"; {hint}" if hint else f"; the commands are {', '.join(COMMANDS)}"),
            file=sys.stderr,
        )
        return EXIT_USAGE
    parser, command_parsers = _parser()
    args, unknown = parser.parse_known_args(args_list)
    if unknown:
        return _unknown_arguments(command_parsers, args.command, unknown)
    return args


def _plain_arguments(plain: BuildRequest) -> tuple[SimpleNamespace, Path, Path | None]:
    """What argparse would make of a build spelt plainly (the options docsite.uptodate
    reads), with the project folder and config file `_project` would find."""
    args = SimpleNamespace(
        command=DEFAULT_COMMAND,
        no_color=plain.no_color,
        strict=plain.strict,
        quiet=plain.quiet,
        verbose=False,
        jobs=plain.jobs,
        no_cache=False,
        format="text",
        out=Path(plain.out) if plain.out is not None else None,
    )
    return args, Path(plain.root), Path(plain.config) if plain.config else None


def _stamp_request(
    args: argparse.Namespace, root: Path, config_file: Path | None
) -> BuildRequest | None:
    """The build the no-change stamp may answer: `build` in text, not verbose, with the cache."""
    if args.command != "build" or args.verbose or args.no_cache or args.format != "text":
        return None
    return BuildRequest(
        os.fspath(root),
        os.fspath(config_file) if config_file else None,
        os.fspath(args.out) if args.out is not None else None,
        args.strict,
        args.quiet,
        args.no_color,
        args.jobs,
    )


def _unknown_arguments(
    command_parsers: dict[str, argparse.ArgumentParser], command: str, unknown: list[str]
) -> int:
    """Name the commands an option belongs to: `build --port 9000` is not silently ignored."""
    owners: dict[str, list[str]] = {}
    for name, command_parser in command_parsers.items():
        for action in command_parser._actions:
            for option in action.option_strings:
                owners.setdefault(option, []).append(name)
    option = unknown[0].split("=", 1)[0]
    if option in owners:
        message = f"{option} is an option of {' and '.join(owners[option])}, not of {command}"
    else:
        options = [o for o, names in owners.items() if command in names and o.startswith("--")]
        from docsite.diagnostics import did_you_mean

        hint = did_you_mean(option, options) if option.startswith("-") else ""
        message = f"{command} does not take {' '.join(unknown)}" + (f"; {hint}" if hint else "")
    print(f"docsite {command}: error: {message}", file=sys.stderr)
    print(f"run 'docsite {command} --help' for its options", file=sys.stderr)
    return EXIT_USAGE


def _project(config: Path | None) -> tuple[Path, Path | None]:
    """The project folder and config file: --config names both, as MkDocs' -f does, so
    `docsite build -c docs/docsite.yml` works from anywhere."""
    if config is None:
        return Path.cwd(), None
    config_file = config if config.is_absolute() else Path.cwd() / config
    return config_file.parent, config_file


def _usage_error(message: str, paint: Paint) -> None:
    print(f"docsite: {paint('error', 'error:')} {message}", file=sys.stderr)


def _config(root: Path, config_file: Path | None) -> SiteConfig:
    """The config, for the commands that need its folders but build nothing; a config that
    cannot be read is a usage error here (`build` reports its problems as diagnostics)."""
    from docsite.config import load_config
    from docsite.diagnostics import DiagnosticError, Report, UsageError

    try:
        return load_config(root, config_file, Report())
    except (DiagnosticError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None


def _serving(
    args: argparse.Namespace, root: Path, config_file: Path | None
) -> tuple[str, int, bool]:
    """Host, port and polling: the command line's, else the config's `serve`, else docsite's.
    A config that cannot be read gives the defaults: serve shows its errors in the browser."""
    from docsite.config import load_config
    from docsite.diagnostics import Report

    try:
        config = load_config(root, config_file, Report(), start=True)  # retype.start.yml
    except Exception:  # any problem is the build's to report, in the page
        config = None
    host = args.host or (config.serve_host if config else "") or "127.0.0.1"
    port = args.port or (config.serve_port if config else 0) or 8000
    poll = getattr(args, "poll", False) or bool(config and config.serve_poll)
    return host, port, poll


def _scaffold(args: argparse.Namespace, root: Path, config_file: Path | None) -> int:
    from docsite.diagnostics import UsageError
    from docsite.scaffold import ScaffoldError, init_project, new_page

    try:
        if args.command == "init":
            folder = args.folder if args.folder.is_absolute() else Path.cwd() / args.folder
            created = init_project(folder, args.title)
        else:
            content = _config(root, config_file).input
            created = [new_page(root, args.path, args.title, content)]
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    for path in created:
        print(f"created {shown_path(path, Path.cwd()).rstrip('/')}")
    if args.command == "init":
        _next_steps(folder)
    return EXIT_OK


def _next_steps(folder: Path) -> None:
    """What to run after `init`, from where the user is now."""
    where = shown_path(folder, Path.cwd()).rstrip("/")
    steps = [] if where in ("", ".") else [f"cd {where}"]
    steps += [
        "docsite serve    # preview on http://127.0.0.1:8000; pages reload as you save",
        "docsite build    # write the site into site/, ready to publish",
    ]
    print("\nNext steps:")
    for step in steps:
        print(f"  {step}")
    print("Pages are the Markdown files in content/; the site's settings are in docsite.yml.")


def _preview(args: argparse.Namespace, options: BuildOptions) -> int:
    from docsite.serve.server import preview

    site_dir = options.out or _config(options.root, options.config_file).output_dir
    host, port, _ = _serving(args, options.root, options.config_file)
    return preview(site_dir.resolve(), host, port, args.open)


def _clean(options: BuildOptions) -> int:
    from docsite.clean import clean_project

    config = _config(options.root, options.config_file)
    removed = clean_project(config, options.out or config.output_dir)
    for path in removed:
        print(f"removed {shown_path(path, Path.cwd())}")
    if not removed:
        print("nothing to clean")
    return EXIT_OK


def _run(
    command: str,
    options: BuildOptions,
    args: argparse.Namespace,
    paint: Paint,
    own_process: bool = False,
) -> int:
    from docsite.build import build_site
    from docsite.diagnostics import Severity
    from docsite.report_json import dumps, report_json
    from docsite.terminal import ProgressLine

    if own_process:
        _collect_seldom()
    as_json = args.format == "json"
    # With --format json, stdout carries the report alone.
    human: TextIO = sys.stderr if as_json else sys.stdout
    progress = None
    if not as_json and not args.quiet and sys.stderr.isatty():
        progress = options.progress = ProgressLine(sys.stderr)
    try:
        result = build_site(options)
    finally:
        if progress is not None:
            progress.close()
    for diagnostic in result.report.sorted():
        if args.quiet and diagnostic.severity is not Severity.ERROR:
            continue
        print(diagnostic.format(paint), file=sys.stderr)
    where = shown_path(result.output, Path.cwd()) if command == "build" else None
    if as_json:
        sys.stdout.write(
            dumps(report_json(command, result.report.items, result.pages, result.ok, where))
        )
    if command == "check" and not args.quiet:
        for line in _retype_summary(options.root, options.config_file):
            print(line, file=human)
    _summary(command, result, args, where, human, paint)
    if own_process:
        LEFT_FOR_THE_END.append(result)
    return EXIT_OK if result.ok else EXIT_CONTENT


# What a process of its own has built, held until it ends (docsite.__main__.run), which
# then need not free it object by object.
LEFT_FOR_THE_END: list[object] = []


def _collect_seldom() -> None:
    """For a process that builds once and ends: what it loaded lives until the end, and the
    collector's default pace walks those objects again and again (a fifth of a one-page
    rebuild at 5,000 pages, without freeing anything). Modules are frozen out of its walks,
    and it runs seldom: the cycles a build leaves (few) are still collected. What the build
    reads from its cache is frozen out of the walks too, once read."""
    from docsite.cache import SELDOM_COLLECTION, freeze_what_is_loaded

    gc.freeze()
    gc.set_threshold(*SELDOM_COLLECTION)
    gc.enable()  # paused while the command loaded (docsite.__main__.run)
    freeze_what_is_loaded()


def _retype_summary(root: Path, config_file: Path | None) -> list[str]:
    """For a Retype project, what docsite does with its keys; nothing for docsite's own."""
    from docsite.compatibility import retype_compatibility
    from docsite.config import find_config, load_config
    from docsite.diagnostics import Report
    from docsite.retype_config import RETYPE_CONFIG_NAMES

    try:
        path = config_file or find_config(root)
        if path is None or path.name not in RETYPE_CONFIG_NAMES:
            return []
        config = load_config(root, path, Report())
        return retype_compatibility(path, config.content_dir).lines()
    except Exception:  # the build has reported what is wrong with the config or the pages
        return []


def _summary(
    command: str,
    result: BuildResult,
    args: argparse.Namespace,
    where: str | None,
    out: TextIO,
    paint: Paint,
) -> None:
    errors, warnings = len(result.report.errors), len(result.report.warnings)
    counts = f"{plural(warnings, 'warning')}, {plural(errors, 'error')}"
    if not result.ok:
        if command == "check":
            failed = f"Check failed ({counts})."
        elif result.had_site:
            failed = f"Build failed ({counts}); the previous site was left as it was."
        else:
            failed = f"Build failed ({counts}); no site was written."
        print(paint("failed", failed), file=sys.stderr)
        return
    if args.verbose and command == "build":
        for source, output, why in result.rendered_pages:
            print(f"  {source} -> {where}{output} ({why})", file=out)
        for note in result.notes:
            print(f"  note: {note}", file=out)
        for step, seconds in result.steps:
            print(f"  {seconds:7.3f} s  {step}", file=out)
    if args.quiet:
        return
    if command == "check":
        done = f"Checked {plural(result.pages, 'page')} in {result.seconds:.2f} s"
        print(f"{paint('ok', done)} ({counts})", file=out)
    else:
        done = f"Built {plural(result.pages, 'page')} in {result.seconds:.2f} s -> {where}"
        print(f"{paint('ok', done)} ({counts})", file=out)


def _positive_int(text: str) -> int:
    import argparse  # loaded already: argparse is reading the arguments

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _port(text: str) -> int:
    import argparse

    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError("a port is at most 65535")
    return value
