"""``python -m ndgrad``: ndgrad's command line (``explain``: why is nothing training?).

See :mod:`ndgrad.diagnostics.cli` for the commands and the convention they follow.
"""

import sys

from .diagnostics.cli import main

if __name__ == "__main__":
    sys.exit(main())
