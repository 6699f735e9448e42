"""Command line: argument parsing, printing and exit codes only."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from docsite import __version__
from docsite.build import BuildOptions, BuildResult, UsageError, build_site
from docsite.diagnostics import Diagnostic, Severity
from docsite.report_json import dumps, report_json

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build", "serve", "check", "new", "init")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", metavar="FILE", type=Path, help="site config file (default: docsite.yml)"
    )
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    level = common.add_mutually_exclusive_group()
    level.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    level.add_argument("-v", "--verbose", action="store_true", help="print every page built")
    common.add_argument(
        "-j",
        "--jobs",
        metavar="N",
        type=_positive_int,
        default=0,
        help="worker processes (default: one per core)",
    )
    common.add_argument(
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
    serving = argparse.ArgumentParser(add_help=False)
    serving.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serving.add_argument(
        "--port", type=_port, default=8000, help="port (default: 8000, or the next free one)"
    )
    serving.add_argument("--open", action="store_true", help="open the site in a web browser")
    serving.add_argument(
        "--poll", action="store_true", help="poll for changes (for Docker, WSL and network drives)"
    )

    parser = argparse.ArgumentParser(
        prog="docsite",
        description="Build a documentation site from content/ into site/.",
        epilog="Run it from the project folder. Without a command, 'build' is assumed.",
    )
    parser.add_argument("--version", action="version", version=f"docsite {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser(
        "build",
        parents=[common, reporting, serving],
        help="build the site (default)",
        description="Build content/ into the output folder.",
    )
    build.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="output folder (default: 'output' from the config, else site)",
    )
    build.add_argument("--watch", action="store_true", help="the same as the serve command")
    commands.add_parser(
        "check",
        parents=[common, reporting],
        help="run every check without writing the site (for CI)",
        description="Build into a temporary folder that is deleted afterwards: every check of "
        "a build runs, and neither the site nor the build cache is touched.",
    )
    new = commands.add_parser(
        "new",
        help="create a page with its frontmatter filled in",
        description="Create content/PATH (e.g. guide/setup) with frontmatter and a title.",
    )
    new.add_argument("path", metavar="PATH", help="the page's path in content/, e.g. guide/setup")
    new.add_argument("title", metavar="TITLE", nargs="?", default="", help="the page title")
    new.add_argument(
        "--config", metavar="FILE", type=Path, help="site config file (default: docsite.yml)"
    )
    init = commands.add_parser(
        "init",
        help="create a new docs project that builds at once",
        description="Create DIR with docsite.yml, content/index.md and a first guide page.",
    )
    init.add_argument("folder", metavar="DIR", type=Path, help="the folder of the new project")
    init.add_argument("--title", default="", help="the site title (default: from DIR's name)")
    commands.add_parser(
        "serve",
        parents=[common, serving],
        help="build, serve on http://127.0.0.1:8000 and rebuild on every change",
        description="Build the site, serve it, watch the sources and reload browsers.",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (
        args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    root = Path.cwd()
    if args.command in ("new", "init"):
        return _scaffold(args, root)
    config_file = (
        args.config if args.config is None or args.config.is_absolute() else root / args.config
    )
    options = BuildOptions(
        root=root,
        config_file=config_file,
        out=getattr(args, "out", None),
        strict=args.strict,
        jobs=args.jobs,
        use_cache=not args.no_cache,
    )
    if args.command == "serve" or getattr(args, "watch", False):
        from docsite.watch import serve  # the server and watcher load only when serving

        try:
            return serve(options, args.host, args.port, args.open, args.poll, args.quiet)
        except UsageError as exc:
            print(f"docsite: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except OSError as exc:
            print(f"docsite: error: cannot serve: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.command == "check":
        # Outside the project, so neither site/ nor .docsite-cache/ is touched.
        with tempfile.TemporaryDirectory(
            prefix="docsite-check-", ignore_cleanup_errors=True
        ) as scratch:
            options.out = Path(scratch) / "site"
            options.use_cache = False
            options.search_index = False  # the site is thrown away: nothing to search
            return _run("check", options, args, root)
    return _run("build", options, args, root)


def _scaffold(args: argparse.Namespace, root: Path) -> int:
    from docsite.config import load_config
    from docsite.diagnostics import DiagnosticError, Report
    from docsite.scaffold import ScaffoldError, init_project, new_page

    try:
        if args.command == "init":
            created = init_project(args.folder, args.title)
        else:
            config_file = args.config if args.config is None else root / args.config
            try:
                config = load_config(root, config_file, Report())
            except (DiagnosticError, FileNotFoundError) as exc:
                print(f"docsite: error: {exc}", file=sys.stderr)
                return EXIT_USAGE
            created = [new_page(root, args.path, args.title, config.input)]
    except ScaffoldError as exc:
        print(f"docsite: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for path in created:
        print(f"created {_shown_path(path, root).rstrip('/')}")
    return EXIT_OK


def _run(command: str, options: BuildOptions, args: argparse.Namespace, root: Path) -> int:
    as_json = args.format == "json"
    # With --format json, stdout carries the report alone.
    human: TextIO = sys.stderr if as_json else sys.stdout
    try:
        result = build_site(options)
    except UsageError as exc:
        print(f"docsite: error: {exc}", file=sys.stderr)
        if as_json:
            problem = Diagnostic("", 0, 0, Severity.ERROR, str(exc))
            sys.stdout.write(dumps(report_json(command, [problem], 0, False)))
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("docsite: interrupted; the previous site is unchanged", file=sys.stderr)
        return 130
    for diagnostic in result.report.sorted():
        if args.quiet and diagnostic.severity is not Severity.ERROR:
            continue
        print(diagnostic.format(), file=sys.stderr)
    where = _shown_path(result.output, root) if command == "build" else None
    if as_json:
        sys.stdout.write(
            dumps(report_json(command, result.report.items, result.pages, result.ok, where))
        )
    _summary(command, result, args, where, human)
    return EXIT_OK if result.ok else EXIT_CONTENT


def _summary(
    command: str, result: BuildResult, args: argparse.Namespace, where: str | None, out: TextIO
) -> None:
    errors, warnings = len(result.report.errors), len(result.report.warnings)
    counts = f"{_plural(warnings, 'warning')}, {_plural(errors, 'error')}"
    if not result.ok:
        if command == "check":
            print(f"Check failed ({counts}).", file=sys.stderr)
        else:
            print(
                f"Build failed ({counts}); the previous site was left as it was.", file=sys.stderr
            )
        return
    if args.verbose and command == "build":
        for source, output in result.page_outputs:
            print(f"  {source} -> {where}{output}", file=out)
        for note in result.notes:
            print(f"  note: {note}", file=out)
    if args.quiet:
        return
    if command == "check":
        print(
            f"Checked {_plural(result.pages, 'page')} in {result.seconds:.2f} s ({counts})",
            file=out,
        )
    else:
        print(
            f"Built {_plural(result.pages, 'page')} in {result.seconds:.2f} s -> {where} "
            f"({counts})",
            file=out,
        )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError("a port is at most 65535")
    return value


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _shown_path(path: Path | None, root: Path) -> str:
    if path is None:
        return ""
    try:
        return os.path.relpath(path, root).replace(os.sep, "/") + "/"
    except ValueError:
        return str(path)
