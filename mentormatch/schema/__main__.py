"""``python -m mentormatch.schema data/README.md``: rewrite the generated part of the
data dictionary."""

import sys

from mentormatch.schema.dictionary import _update_readme

if __name__ == "__main__":  # pragma: no cover
    _update_readme(sys.argv[1])
