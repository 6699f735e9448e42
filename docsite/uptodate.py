"""`docsite build` of a site that nothing changed since it was built: said from the stamp
the last build left (docsite.stamp), before argparse, pathlib or the builder is imported.

Python starts in about 20 ms and argparse, pathlib and typing take as long again, which a
5,000-page site's no-change build would otherwise spend before its first stat. So the
command's entry (docsite.__main__) reads the plain spellings of a build's arguments here
and answers from the stamp; any other spelling goes to docsite.cli, which parses the
arguments whole with argparse and asks the stamp the same question. A plain build whose
stamp does not hold goes to docsite.cli with the request read here, and runs without
argparse (`cli._plain_arguments`).
"""

from __future__ import annotations

import os
import sys
import time

from docsite.diagnostic_text import diagnostic_text
from docsite.stamp import request, unchanged_pages
from docsite.terminal import painter, wants_color

# The options of `build` read here, by every spelling argparse gives them (docsite.cli).
FLAGS = {"-q": "quiet", "--quiet": "quiet", "--strict": "strict", "--no-color": "no_color"}
VALUES = {
    "-c": "config",
    "-f": "config",
    "--config": "config",
    "--out": "out",
    "-j": "jobs",
    "--jobs": "jobs",
    "--format": "format",
}


class BuildRequest:
    """A `build` the stamp may answer: the folder, config and output asked for, and how
    to say it; `jobs`, for the build that runs when the stamp does not hold (docsite.cli).
    A plain class: importing dataclasses costs more than this whole answer."""

    __slots__ = ("config", "jobs", "no_color", "out", "quiet", "root", "strict")

    def __init__(
        self,
        root: str,
        config: str | None = None,
        out: str | None = None,
        strict: bool = False,
        quiet: bool = False,
        no_color: bool = False,
        jobs: int = 0,
    ):
        self.root, self.config, self.out = root, config, out
        self.strict, self.quiet, self.no_color = strict, quiet, no_color
        self.jobs = jobs

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BuildRequest) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__
        )

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"BuildRequest({fields})"


def plain_build(argv: list[str]) -> BuildRequest | None:
    """The request of a `build` spelt plainly (`build --out site -q`); None for any other
    command or spelling (abbreviations, `-j2`, -v, --no-cache, json): argparse decides those."""
    words = argv[1:] if argv[:1] == ["build"] else argv
    given: dict[str, str | bool] = {}
    at = 0
    while at < len(words):
        word = words[at]
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if not equals and name in FLAGS:
            given[FLAGS[name]] = True
        elif name in VALUES and (equals or at + 1 < len(words)):
            if not equals:
                at += 1
                value = words[at]
            if not _plain_value(VALUES[name], value):
                return None
            given[VALUES[name]] = value
        else:
            return None
        at += 1
    if given.get("format", "text") != "text":
        return None
    return _request(given)


def _plain_value(option: str, value: str) -> bool:
    """A value argparse takes as it is and pathlib leaves spelt the same."""
    if option == "jobs":
        return value.isascii() and value.isdigit() and int(value) >= 1
    if option == "format":
        return value in ("text", "json")
    return bool(value) and value[0] != "-" and value != "." and os.path.normpath(value) == value


def _request(given: dict[str, str | bool]) -> BuildRequest:
    """As docsite.cli's _project: --config names the project folder too."""
    config = given.get("config")
    root = os.getcwd()
    if isinstance(config, str):
        config = os.path.join(root, config)
        root = os.path.dirname(config)
    out = given.get("out")
    jobs = given.get("jobs")
    return BuildRequest(
        root,
        config or None,
        out if isinstance(out, str) else None,
        bool(given.get("strict")),
        bool(given.get("quiet")),
        bool(given.get("no_color")),
        int(jobs) if isinstance(jobs, str) else 0,
    )


def answered(wanted: BuildRequest, started: float) -> bool:
    """Whether the stamp says the site is already this build; if so, say it as a build
    would, its warnings included (`started`: when the command began, perf_counter)."""
    found = unchanged_pages(
        os.path.realpath(wanted.root),
        request(wanted.root, wanted.config, wanted.out, wanted.strict),
    )
    if found is None:
        return False
    pages, output, said = found
    paint = painter(
        wants_color(sys.stderr, wanted.no_color) and wants_color(sys.stdout, wanted.no_color)
    )
    errors = [fields for fields in said if fields[3] == "error"]
    for fields in errors if wanted.quiet else said:  # as docsite.cli prints a report
        print(diagnostic_text(fields, paint), file=sys.stderr)
    if not wanted.quiet:
        seconds = time.perf_counter() - started
        where = shown_path(output, os.getcwd())
        done = f"Built {plural(pages, 'page')} in {seconds:.2f} s -> {where}"
        counts = f"{plural(len(said) - len(errors), 'warning')}, {plural(len(errors), 'error')}"
        print(f"{paint('ok', done)} ({counts})")
    return True


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def shown_path(path: str | os.PathLike[str] | None, root: str | os.PathLike[str]) -> str:
    """A folder as the user can type it: relative to `root`, unless that climbs out of more
    than one folder ('../../tmp/site'), where the absolute path reads better."""
    if path is None:
        return ""
    try:
        relative = os.path.relpath(path, root).replace(os.sep, "/")
    except ValueError:  # another drive
        relative = "../.."
    if relative.startswith("../.."):
        return os.fspath(path).replace(os.sep, "/").rstrip("/") + "/"
    return relative + "/"
