"""``python -m mentormatch.app [--port N] [--no-browser] [--lang zh|en]``: the workbench
without the rest of the command line (``mentormatch app`` does the same)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mentormatch.errors import DataError, MissingDependencyError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mentormatch.app",
        description="The planner's workbench on http://127.0.0.1:PORT/ (Ctrl-C stops it).",
    )
    parser.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (8866)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language (zh)")
    args = parser.parse_args(argv)
    from mentormatch.app import serve

    try:
        serve(port=args.port, open_browser=not args.no_browser, lang=args.lang)
    except (DataError, MissingDependencyError) as error:
        print(f"python -m mentormatch.app: {error.message(args.lang)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
