"""``python -m mentormatch.cli``: the same as the ``mentormatch`` command."""

import sys

from mentormatch.cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
