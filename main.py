"""Generate the e-commerce dataset: ``python main.py --num-customers 1000 --num-products 500``.

Flags alone run ``ecomgen generate``; subcommands (``validate DIR``, ``config show`` ...) work
as with the ``ecomgen`` command.
"""

import sys
from pathlib import Path

try:
    from ecomgen.cli import main
except ModuleNotFoundError:  # running from a source checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    from ecomgen.cli import main

if __name__ == "__main__":
    sys.exit(main(default_generate=True))
