"""Command line: argument parsing, printing and exit codes only."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from docsite import __version__
from docsite.build import BuildOptions, UsageError, build_site

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build", "serve")


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
        parents=[common, serving],
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
    try:
        result = build_site(options)
    except UsageError as exc:
        print(f"docsite: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("docsite: interrupted; the previous site is unchanged", file=sys.stderr)
        return 130
    shown = result.report.sorted()
    for diagnostic in shown:
        if args.quiet and diagnostic.severity.value != "error":
            continue
        print(diagnostic.format(), file=sys.stderr)
    errors, warnings = len(result.report.errors), len(result.report.warnings)
    counts = f"{_plural(warnings, 'warning')}, {_plural(errors, 'error')}"
    if result.ok:
        where = _shown_path(result.output, root)
        if args.verbose:
            for source, output in result.page_outputs:
                print(f"  {source} -> {where}{output}")
            for note in result.notes:
                print(f"  note: {note}")
        if not args.quiet:
            print(
                f"Built {_plural(result.pages, 'page')} in {result.seconds:.2f} s -> {where} "
                f"({counts})"
            )
        return EXIT_OK
    print(f"Build failed ({counts}); the previous site was left as it was.", file=sys.stderr)
    return EXIT_CONTENT


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
