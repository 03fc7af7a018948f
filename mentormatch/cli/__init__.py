"""The command line: ``mentormatch synth | validate | template | cluster | match | groups |
report | app``.

Every command takes ``--lang zh|en`` (default ``zh``; ``--zh`` is kept as an alias):
what it prints, its messages and the files it writes are then in that language.
Exit codes: 0 success, 2 bad input (one clear sentence per problem on stderr, never a
traceback, nothing written), 3 infeasible problem (with what would fix it).

Values the loader read by guessing (a close spelling, a loose header, a footer row it
skipped...) are printed as warnings (提示) by every command that reads a roster.

Only the standard library and :mod:`mentormatch.errors` are imported here: ``--version``
and ``--help`` answer at once, and each command imports what it uses.

The commands live in one module per group: :mod:`~mentormatch.cli.roster` (synth,
validate, template), :mod:`~mentormatch.cli.planning` (cluster, match, groups) and
:mod:`~mentormatch.cli.reporting` (report, app); :mod:`~mentormatch.cli.parser` builds
the parser.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from mentormatch.cli._common import EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_OK
from mentormatch.cli.parser import _build_parser as _build_parser
from mentormatch.errors import DataError, InfeasibleError, MissingDependencyError

__all__ = ["main", "EXIT_OK", "EXIT_BAD_INPUT", "EXIT_INFEASIBLE"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    lang = getattr(args, "lang", "zh")
    lead = "错误：" if lang == "zh" else "error: "
    try:
        return args.func(args)
    except DataError as err:
        print(lead + err.message(lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    except InfeasibleError as err:
        print(lead + err.message(lang), file=sys.stderr)
        return EXIT_INFEASIBLE
    except MissingDependencyError as err:
        print(lead + err.message(lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The output was piped into a program that stopped reading (| head): not an error.
        sys.stderr.close()
        return EXIT_OK
    except OSError as err:
        # Unreadable input or unwritable output: the user's to fix, not a bug.
        what = err.strerror or str(err)
        where = err.filename or ""
        if lang == "zh":
            print(f"{lead}无法读写 {where}（{what}）；请检查路径和权限。", file=sys.stderr)
        else:
            print(f"{lead}{what}: {where}".rstrip(": "), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("已中断" if lang == "zh" else "interrupted", file=sys.stderr)
        return 130
