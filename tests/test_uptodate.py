"""The plain spellings of `build` read before argparse loads: each means what argparse makes
of it, so the stamp is asked the question docsite.cli would ask, or none at all."""

import os

import pytest

from docsite import cli
from docsite.uptodate import BuildRequest, plain_build, shown_path

READ = [
    [],
    ["build"],
    ["-q"],
    ["build", "--out", "site", "-q", "-j", "1"],
    ["--out=public", "--quiet", "--jobs=3", "--strict", "--no-color"],
    ["-c", "docs/docsite.yml", "--out", "../site"],
    ["-f", "/elsewhere/retype.yml"],
    ["--config=docs/retype.json", "--format", "text"],
    ["--out", "site", "--out", "public"],  # the last one counts
    ["-j", "01"],
]
# Not read here: argparse decides (an abbreviation, a joined short option, another spelling
# of a path, another command, an option that is not the stamp's to answer, a mistake).
LEFT_TO_ARGPARSE = [
    ["--stri"],
    ["-qj1"],
    ["-j2"],
    ["--out", "./site"],
    ["--out", "site/"],
    ["--out", "a//b"],
    ["-c", "./docsite.yml"],
    ["--format", "json"],
    ["--format=json"],
    ["-v"],
    ["--no-cache"],
    ["build", "--help"],
    ["--version"],
    ["serve"],
    ["check", "-q"],
    ["clean"],
    ["--out"],
    ["--out", "-q"],
    ["-j", "0"],
    ["--jobs", "two"],
    ["--format", "yaml"],
    ["--strict=yes"],
    ["--out="],
    ["build", "build"],
    ["--", "--out"],
    ["--port", "8000"],
]


def argparse_request(argv: list[str]) -> BuildRequest | None:
    """What docsite.cli asks the stamp for these arguments (None: it does not ask)."""
    words = list(argv)
    if not words or (words[0].startswith("-") and words[0] not in ("-h", "--help", "--version")):
        words.insert(0, "build")
    if words[0] not in cli.COMMANDS:
        return None
    parser, _ = cli._parser()
    try:
        args, unknown = parser.parse_known_args(words)
    except SystemExit:  # a mistake, --help or --version
        return None
    if unknown:
        return None
    root, config_file = cli._project(getattr(args, "config", None))
    return cli._stamp_request(args, root, config_file)


@pytest.mark.parametrize("argv", READ, ids=" ".join)
def test_a_plain_build_is_read_as_argparse_reads_it(argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    quick = plain_build(argv)
    assert quick is not None and quick == argparse_request(argv)


@pytest.mark.parametrize("argv", READ, ids=" ".join)
def test_a_plain_build_the_stamp_does_not_answer_runs_as_argparse_reads_it(
    argv, tmp_path, monkeypatch
):
    """docsite.cli runs such a build from what was read here, without argparse: the same
    options, project folder and config file as argparse and `_project` give."""
    monkeypatch.chdir(tmp_path)
    request = plain_build(argv)
    assert request is not None
    args, root, config_file = cli._plain_arguments(request)
    words = argv if argv[:1] == ["build"] else ["build", *argv]
    parsed = cli._parsed(list(words))
    assert not isinstance(parsed, int)
    assert (root, config_file) == cli._project(parsed.config)
    assert vars(args) == {name: getattr(parsed, name) for name in vars(args)}
    assert set(vars(parsed)) - set(vars(args)) == {"config"}  # found as root, config_file


@pytest.mark.parametrize("argv", LEFT_TO_ARGPARSE, ids=" ".join)
def test_any_other_spelling_is_left_to_argparse(argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert plain_build(argv) is None


def test_the_usual_spellings_are_read_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    here = os.getcwd()
    assert plain_build([]) == BuildRequest(here)
    assert plain_build(["build", "--out", "site", "-q", "-j", "1"]) == BuildRequest(
        here, out="site", quiet=True, jobs=1
    )
    assert plain_build(["-c", "docs/retype.yml", "--strict"]) == BuildRequest(
        os.path.join(here, "docs"), os.path.join(here, "docs", "retype.yml"), strict=True
    )


def test_a_folder_is_shown_as_the_user_can_type_it(tmp_path):
    assert shown_path(tmp_path / "site", tmp_path) == "site/"
    assert shown_path(tmp_path, tmp_path / "a") == "../"
    assert shown_path(tmp_path / "x", tmp_path / "a" / "b") == (tmp_path / "x").as_posix() + "/"
    assert shown_path(None, tmp_path) == ""
