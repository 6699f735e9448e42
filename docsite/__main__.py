import sys

from docsite.cli import main

sys.exit(main())
