"""``python -m index``: see index/cli.py."""

import sys

from index.cli import main

sys.exit(main())
