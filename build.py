"""Entry point: `python build.py [build] [options]` from the project folder."""

import sys

if __name__ == "__main__":
    try:
        from docsite.__main__ import run

        run()  # imports most of docsite's dependencies when a command needs them, and exits
    except ModuleNotFoundError as missing:
        if (missing.name or "").partition(".")[0] == "docsite":
            raise  # docsite itself is broken: that is a bug to see whole
        sys.exit(
            f"build.py: docsite's dependencies are not installed for this Python "
            f"({sys.executable}): no module named '{missing.name}'.\n"
            f"Install them first, from this folder: {sys.executable} -m pip install -e .\n"
            "(README.md's quick start does both in one command.)"
        )
