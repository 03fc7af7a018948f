"""The programme's commands: ``training`` (launch class, electives by need, small
classes), ``visits`` (the on-site supervision calendar) and ``casebook`` (the salon's
records compiled by topic).

Only the standard library and :mod:`mentormatch.errors` are imported here: each command
imports what it uses when it runs."""

from __future__ import annotations

import argparse

from mentormatch.cli._common import EXIT_OK, _check_out, _district, _pick, _say, _warn


def _plan(d, args: argparse.Namespace):
    """The pairs in force (``--plan``: a plan workbook or CSV), else a new plan that
    places whom it can (the rest are named as warnings)."""
    from mentormatch.matching import match, read_previous_plan

    if args.plan is not None:
        table = read_previous_plan(args.plan)
        pairs = table.dropna(subset=["mentor_id"]).set_index("secretary_id")["mentor_id"]
        return pairs.astype("str")
    plan = match(d, partial=True)
    unplaced = plan.table[plan.table["status"] == "unplaced"]
    if len(unplaced):
        _warn(
            [
                _pick(
                    args,
                    f"{len(unplaced)} 名需要带教的书记未能结对，不在本安排中"
                    "（见 mentormatch match）。",
                    f"{len(unplaced)} secretaries needing a mentor could not be placed and "
                    "are not in this schedule (see mentormatch match).",
                )
            ],
            args,
        )
    return plan


def _cmd_training(args: argparse.Namespace) -> int:
    from mentormatch.export.training_book import write_training_book
    from mentormatch.training import plan_training

    _check_out(args)
    d = _district(args)
    plan = _plan(d, args)
    tp = plan_training(
        d,
        args.year,
        plan=plan,
        per_secretary=args.per_secretary,
        class_size=args.class_size,
    )
    write_training_book(d, tp, args.out, lang=args.lang)
    print(tp.summary(args.lang))
    print(_pick(args, f"培训安排：{args.out}", f"training plan: {args.out}"))
    return EXIT_OK


def _cmd_visits(args: argparse.Namespace) -> int:
    from mentormatch.export.visits_book import write_visits_book
    from mentormatch.supervision import describe, visit_schedule

    _check_out(args)
    d = _district(args)
    plan = _plan(d, args)
    schedule = visit_schedule(
        d, plan, visits=args.visits, max_per_day=args.max_per_day, year=args.year
    )
    write_visits_book(d, schedule, args.out, lang=args.lang)
    print(describe(schedule, args.lang))
    print(_pick(args, f"走访安排：{args.out}", f"visit calendar: {args.out}"))
    return EXIT_OK


def _cmd_casebook(args: argparse.Namespace) -> int:
    from mentormatch.salon_book import casebook

    # The book pseudonymises itself (names inside the records' texts too).
    pseudonymize = args.pseudonymize
    args.pseudonymize = False
    d = _district(args)
    path = casebook(d, args.out, lang=args.lang, pseudonymize=pseudonymize)
    n = len(d.salon_records)
    _say(
        (
            f"沙龙记录 {n} 条，按 {d.salon_records['topic'].nunique()} 个主题汇编成册。",
            f"{n} salon records compiled under {d.salon_records['topic'].nunique()} topics.",
        ),
        args,
    )
    print(_pick(args, f"案例汇编：{path}", f"casebook: {path}"))
    print(
        _pick(
            args,
            f"汇编工作簿：{path.with_suffix('.xlsx')}",
            f"workbook: {path.with_suffix('.xlsx')}",
        )
    )
    return EXIT_OK
