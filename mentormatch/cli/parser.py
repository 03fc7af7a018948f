"""The command line's parser: one sub-command per command, each with ``--lang``, and
the types of their arguments (usage errors are bad input, exit 2).

Only the standard library and :mod:`mentormatch.errors` are imported here: each command
imports what it uses when it runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mentormatch import __version__
from mentormatch.cli._common import EXIT_BAD_INPUT
from mentormatch.cli.planning import _cmd_cluster, _cmd_groups, _cmd_match
from mentormatch.cli.programme import _cmd_casebook, _cmd_training, _cmd_visits
from mentormatch.cli.reporting import _cmd_app, _cmd_report
from mentormatch.cli.roster import _cmd_synth, _cmd_template, _cmd_validate


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


def _at_least_one(text: str) -> int:
    value = _positive_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {text!r}")
    return value


def _year(text: str) -> int:
    value = _positive_int(text)
    if not 2000 <= value <= 2100:
        raise argparse.ArgumentTypeError(f"expected a year such as 2025, got {text!r}")
    return value


def _port(text: str) -> int:
    value = _positive_int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {text!r}")
    return value


def _k(text: str) -> int | str:
    if text == "auto":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected 'auto' or a whole number, got {text!r}"
        ) from None


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


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mentormatch",
        description="Plan and study mentoring of community Party-organization secretaries "
        "(社区党组织书记带教).",
        epilog="Exit codes: 0 success, 2 bad input, 3 infeasible problem.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def command(name: str, text: str, func) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text)
        p.add_argument(
            "--lang",
            choices=["zh", "en"],
            default="zh",
            help="language of messages and outputs (default zh)",
        )
        p.add_argument(
            "--zh", action="store_const", const="zh", dest="lang", help=argparse.SUPPRESS
        )
        p.set_defaults(func=func)
        return p

    def roster(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "path",
            type=Path,
            help="folder of CSV files or .xlsx workbook (Chinese headers welcome)",
        )

    p = command("synth", "write a calibrated synthetic district", _cmd_synth)
    p.add_argument("--out", required=True, type=Path, help="folder (CSV) or .xlsx file")
    p.add_argument("--seed", type=_positive_int, default=2018)
    p.add_argument("--secretaries", type=_positive_int, default=282, help="in post")
    p.add_argument("--mentors", type=_positive_int, default=13)
    p.add_argument("--bases", type=_positive_int, default=20)

    p = command("validate", "check a roster and summarise it", _cmd_validate)
    roster(p)

    p = command("template", "write a blank roster workbook to fill in", _cmd_template)
    p.add_argument("--out", required=True, type=Path, help="e.g. 名册模板.xlsx")

    p = command("cluster", "group secretaries by community type and challenges", _cmd_cluster)
    roster(p)
    p.add_argument("--out", required=True, type=Path, help="clusters.xlsx or clusters.csv")
    p.add_argument("--k", type=_k, default="auto", help="'auto' (default) or a number")
    p.add_argument("--method", choices=["kmedoids", "hierarchical", "kmeans"], default="kmedoids")
    p.add_argument("--seed", type=_positive_int, default=2018)
    p.add_argument("--pseudonymize", action="store_true", help="replace names by stable codes")

    p = command("match", "propose mentors and practice bases", _cmd_match)
    roster(p)
    p.add_argument("--out", required=True, type=Path, help="plan.xlsx or plan.csv")
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
    p.add_argument("--pseudonymize", action="store_true", help="replace names by stable codes")

    p = command("groups", "form the salon's discussion groups and a topic plan", _cmd_groups)
    roster(p)
    p.add_argument("--out", required=True, type=Path, help="groups.xlsx or groups.csv")
    p.add_argument("--n-groups", type=_positive_int, default=10)
    p.add_argument("--seed", type=_positive_int, default=2018)
    p.add_argument("--mentors", action="store_true", help="mentors join the groups as leads")
    p.add_argument("--must-link", type=_pairs, default=[], help="S001:S002,... in one group")
    p.add_argument("--cannot-link", type=_pairs, default=[], help="S001:S002,... kept apart")
    p.add_argument("--pseudonymize", action="store_true", help="replace names by stable codes")

    def in_force(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--plan",
            type=Path,
            help="the pairs in force (a plan from `mentormatch match`); default: a new plan",
        )
        p.add_argument("--year", type=_year, help="the year to plan (default: the roster's next)")
        p.add_argument("--pseudonymize", action="store_true", help="replace names by stable codes")

    p = command(
        "training", "plan the launch class, electives by need and small classes", _cmd_training
    )
    roster(p)
    p.add_argument("--out", required=True, type=Path, help="training.xlsx or training.csv")
    p.add_argument(
        "--per-secretary", type=_at_least_one, default=2, help="electives per secretary (2)"
    )
    p.add_argument("--class-size", type=_at_least_one, default=30, help="launch class size (30)")
    in_force(p)

    p = command("visits", "schedule the mentors' on-site visits for a year", _cmd_visits)
    roster(p)
    p.add_argument("--out", required=True, type=Path, help="visits.xlsx or visits.csv")
    p.add_argument("--visits", type=_at_least_one, default=4, help="visits per mentee a year (4)")
    p.add_argument("--max-per-day", type=_at_least_one, default=3, help="visits a day at most (3)")
    in_force(p)

    p = command("casebook", "compile the salon's records by topic (HTML + xlsx)", _cmd_casebook)
    roster(p)
    p.add_argument("--out", required=True, type=Path, help="a folder, or casebook.html")
    p.add_argument("--pseudonymize", action="store_true", help="name no person and no community")

    p = command("report", "run the notebooks on a roster and write one HTML report", _cmd_report)
    roster(p)
    p.add_argument("--out", required=True, type=Path, help="output folder")
    p.add_argument("--seed", type=_positive_int, default=2018)
    p.add_argument(
        "--pseudonymize",
        action="store_true",
        help="name no person and no community (stable codes instead)",
    )
    p.add_argument("--pdf", action="store_true", help="also print report.pdf (needs Chromium)")

    p = command("app", "open the planner's workbench in the browser (local only)", _cmd_app)
    p.add_argument("--port", type=_port, default=8866, help="port on 127.0.0.1 (default 8866)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    return parser
