"""The command line: ``mentormatch synth | validate | cluster | match | groups | report``.

Exit codes: 0 success, 2 bad input (one clear message per problem on stderr, never a
traceback), 3 infeasible problem (with the reasons).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mentormatch import __version__
from mentormatch.errors import DataError, InfeasibleError, MissingDependencyError

__all__ = ["main", "EXIT_OK", "EXIT_BAD_INPUT", "EXIT_INFEASIBLE"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as bad input (exit 2) in one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def _district(args: argparse.Namespace):
    """The roster at ``args.path``, with names replaced by codes if asked."""
    from mentormatch.io import load_district

    d = load_district(args.path)
    return d.pseudonymized() if args.pseudonymize else d


# --- Commands --------------------------------------------------------------------------


def _cmd_synth(args: argparse.Namespace) -> int:
    from mentormatch.io import save_district
    from mentormatch.synth import synthesize_district

    d = synthesize_district(
        seed=args.seed,
        n_secretaries=args.secretaries,
        n_mentors=args.mentors,
        n_bases=args.bases,
    )
    where = save_district(d, args.out)
    print(f"wrote a synthetic district (seed {args.seed}) to {where}")
    print(d.summary())
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from mentormatch.io import load_district

    d = load_district(args.path)
    print(f"{args.path}: valid")
    print(d.summary())
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from mentormatch.report import build_report

    print(f"running the notebooks on {args.path.name} (seed {args.seed}, {args.lang})")
    report = build_report(
        args.path,
        args.out,
        seed=args.seed,
        lang=args.lang,
        pseudonymize=args.pseudonymize,
        pdf=args.pdf,
    )
    print(f"report: {report}")
    if args.pdf:
        print(f"pdf: {report.with_suffix('.pdf')}")
    return EXIT_OK


def _k(text: str) -> int | str:
    if text == "auto":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected 'auto' or a whole number, got {text!r}"
        ) from None


def _cmd_cluster(args: argparse.Namespace) -> int:
    from mentormatch.cluster import cluster_secretaries
    from mentormatch.io import write_csv

    d = _district(args)
    result = cluster_secretaries(d, k=args.k, method=args.method, random_state=args.seed)
    write_csv(result.to_frame(), args.out, bom=True)
    print(result.summary())
    print(f"clusters: {args.out}")
    return EXIT_OK


def _pairs(text: str) -> list[tuple[str, str]]:
    """``S001:S002,S003:S004`` -> [("S001", "S002"), ("S003", "S004")]."""
    pairs = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        a, sep, b = part.partition(":")
        if not sep or not a.strip() or not b.strip():
            raise argparse.ArgumentTypeError(
                f"expected ID:ID pairs separated by commas, got {part!r}"
            )
        pairs.append((a.strip(), b.strip()))
    return pairs


def _cmd_groups(args: argparse.Namespace) -> int:
    from mentormatch.groups import salon_plan
    from mentormatch.io import write_csv, write_xlsx

    d = _district(args)
    plan = salon_plan(
        d,
        args.n_groups,
        seed=args.seed,
        must_link=args.must_link,
        cannot_link=args.cannot_link,
        mentors=args.mentors,
    )
    if args.out.suffix.lower() == ".xlsx":
        write_xlsx(
            {"groups": plan.to_frame(), "topics": plan.topics, "balance": plan.balance}, args.out
        )
    else:
        write_csv(plan.to_frame(), args.out, bom=True)
    print(plan.summary())
    print(f"groups: {args.out}")
    return EXIT_OK


def _cmd_match(args: argparse.Namespace) -> int:
    from mentormatch.plan import match, read_previous_plan, rematch, write_plan

    d = _district(args)
    if args.previous is not None:
        previous = read_previous_plan(args.previous)
        plan = rematch(
            d,
            previous,
            tolerance=args.tolerance,
            weights=args.weights,
            distance=args.distance,
            bases=args.bases,
        )
    else:
        plan = match(
            d,
            args.objective,
            weights=args.weights,
            distance=args.distance,
            bases=args.bases,
            partial=args.partial,
        )
    write_plan(plan, args.out, lang="zh" if args.zh else "en")
    print(plan.summary())
    print(f"plan: {args.out}")
    return EXIT_OK


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mentormatch",
        description="Plan and study mentoring of community Party-organization secretaries.",
        epilog="Exit codes: 0 success, 2 bad input, 3 infeasible problem.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("synth", help="write a calibrated synthetic district")
    p.add_argument("--out", required=True, type=Path, help="folder (CSV) or .xlsx file")
    p.add_argument("--seed", type=_positive_int, default=2018)
    p.add_argument("--secretaries", type=_positive_int, default=282, help="in post")
    p.add_argument("--mentors", type=_positive_int, default=13)
    p.add_argument("--bases", type=_positive_int, default=20)
    p.set_defaults(func=_cmd_synth)

    p = sub.add_parser("validate", help="check a roster and summarise it")
    p.add_argument("path", type=Path, help="folder of CSV files or .xlsx workbook")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("cluster", help="group secretaries by community type and challenges")
    p.add_argument("path", type=Path, help="folder of CSV files or .xlsx workbook")
    p.add_argument("--out", required=True, type=Path, help="clusters.csv")
    p.add_argument("--k", type=_k, default="auto", help="'auto' (default) or a number")
    p.add_argument("--method", choices=["kmedoids", "hierarchical", "kmeans"], default="kmedoids")
    p.add_argument("--seed", type=_positive_int, default=2018)
    p.add_argument("--pseudonymize", action="store_true", help="replace names by stable codes")
    p.set_defaults(func=_cmd_cluster)

    p = sub.add_parser("match", help="propose mentors and practice bases")
    p.add_argument("path", type=Path, help="folder of CSV files or .xlsx workbook")
    p.add_argument("--out", required=True, type=Path, help="plan.csv or plan.xlsx")
    p.add_argument("--objective", choices=["total", "fair", "stable"], default="total")
    p.add_argument("--weights", help="e.g. challenge=0.5,type=0.3,proximity=0.2")
    p.add_argument(
        "--distance",
        choices=["same", "neighbouring"],
        help="allow only mentors in the same (or a neighbouring) unit",
    )
    p.add_argument("--bases", choices=["sequential", "joint", "none"], default="sequential")
    p.add_argument("--previous", type=Path, help="plan in force: keep its pairs where possible")
    p.add_argument(
        "--tolerance",
        type=float,
        default=0.05,
        help="with --previous: score share that may be given up (default 0.05)",
    )
    p.add_argument(
        "--partial",
        action="store_true",
        help="place as many as possible and explain the rest (no exit 3)",
    )
    p.add_argument("--zh", action="store_true", help="Chinese headers and labels")
    p.add_argument("--pseudonymize", action="store_true", help="replace names by stable codes")
    p.set_defaults(func=_cmd_match)

    p = sub.add_parser("groups", help="form the salon's discussion groups and a topic plan")
    p.add_argument("path", type=Path, help="folder of CSV files or .xlsx workbook")
    p.add_argument("--out", required=True, type=Path, help="groups.csv or groups.xlsx")
    p.add_argument("--n-groups", type=_positive_int, default=10)
    p.add_argument("--seed", type=_positive_int, default=2018)
    p.add_argument("--mentors", action="store_true", help="mentors join the groups as leads")
    p.add_argument("--must-link", type=_pairs, default=[], help="S001:S002,... in one group")
    p.add_argument("--cannot-link", type=_pairs, default=[], help="S001:S002,... kept apart")
    p.add_argument("--pseudonymize", action="store_true", help="replace names by stable codes")
    p.set_defaults(func=_cmd_groups)

    p = sub.add_parser("report", help="run the notebooks on a roster and write one HTML report")
    p.add_argument("path", type=Path, help="folder of CSV files or .xlsx workbook")
    p.add_argument("--out", required=True, type=Path, help="output folder")
    p.add_argument("--seed", type=_positive_int, default=2018)
    p.add_argument(
        "--pseudonymize",
        action="store_true",
        help="name no person and no community (stable codes instead)",
    )
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the report")
    p.add_argument("--pdf", action="store_true", help="also print report.pdf (needs Chromium)")
    p.set_defaults(func=_cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DataError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InfeasibleError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INFEASIBLE
    except MissingDependencyError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as err:
        # Unreadable input or unwritable output: the user's to fix, not a bug.
        print(f"error: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
