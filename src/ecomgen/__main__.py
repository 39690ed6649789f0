"""``python -m ecomgen``: the command line."""

import sys

from ecomgen.cli import main

sys.exit(main())
