"""Entry point: `python build.py [build] [options]` from the project folder."""

import sys

from docsite.cli import main

if __name__ == "__main__":
    sys.exit(main())
