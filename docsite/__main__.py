"""The command's entry (`docsite`, `python -m docsite`, build.py): a plain `build` of a site
nothing changed since is answered from the stamp before docsite.cli and argparse load."""

import gc
import os
import sys
import time

from docsite.uptodate import answered, plain_build


def main() -> int:
    started = time.perf_counter()
    argv = sys.argv[1:]
    wanted = plain_build(argv)
    if wanted is not None and answered(wanted, started):
        return 0
    # Before docsite.cli and the modules of its command make their classes and patterns.
    from docsite.kept_code import keep_code

    kept = keep_code()
    from docsite.cli import main as command_line

    code = command_line(argv, plain=wanted, own_process=True)
    kept.save()
    return code


def run() -> None:
    """The command's process: main, then its end, without freeing what the build loaded
    object by object, nor each module (about 30 ms of a one-page rebuild at 5,000 pages).
    By then every file is written and closed, and no thread or worker is left. The collector
    is paused while the command loads (docsite.cli resumes it): what loading makes (modules,
    the stamp) lives until the end, and 40-odd collections walked it, about 10 ms of a
    one-page rebuild at 5,000 pages."""
    gc.disable()
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
