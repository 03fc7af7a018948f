"""What every command shares: the exit codes, the language of messages, warnings, the
check of output names and reading the roster.

Only the standard library and :mod:`mentormatch.errors` are imported here: each command
imports what it uses when it runs."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

from mentormatch.errors import GuessWarning

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3

#: What each writing command writes (Chinese, English) and whether it may be .csv.
_OUTPUTS = {
    "match": (("结对方案", "the plan"), True),
    "groups": (("分组方案", "the groups"), True),
    "cluster": (("分类结果", "the clusters"), True),
    "template": (("名册模板", "the roster template"), False),
    "training": (("培训安排", "the training plan"), True),
    "visits": (("走访安排", "the visit calendar"), True),
}


def _zh(args: argparse.Namespace) -> bool:
    return getattr(args, "lang", "zh") == "zh"


def _pick(args: argparse.Namespace, zh: str, en: str) -> str:
    return zh if _zh(args) else en


def _say(pair: tuple[str, str], args: argparse.Namespace) -> None:
    print(pair[0] if _zh(args) else pair[1])


def _warn(lines: Sequence[str], args: argparse.Namespace) -> None:
    lead = _pick(args, "提示：", "warning: ")
    for line in lines:
        print(lead + line, file=sys.stderr)


def _check_out(args: argparse.Namespace) -> None:
    """Refuse an output name the command cannot write, before any work (exit 2), with
    the exports' own check."""
    from mentormatch.export._common import target

    what, csv = _OUTPUTS[args.command]
    target(args.out, what, args.lang, csv=csv)


def _district(args: argparse.Namespace):
    """The roster at ``args.path`` (its guesses printed as warnings), with names replaced
    by codes if asked."""
    from mentormatch.io import load_district

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GuessWarning)  # printed below, in the language
        d = load_district(args.path)
    _warn([w.text(args.lang) for w in d.warnings], args)
    return d.pseudonymized() if getattr(args, "pseudonymize", False) else d
