"""The commands that show results to people: ``report`` (the notebooks as one HTML page)
and ``app`` (the planner's workbench in the browser).

Only the standard library and :mod:`mentormatch.errors` are imported here: each command
imports what it uses when it runs."""

from __future__ import annotations

import argparse

from mentormatch.cli._common import EXIT_OK, _pick
from mentormatch.errors import MissingDependencyError


def _cmd_report(args: argparse.Namespace) -> int:
    from mentormatch.report import build_report

    print(
        _pick(
            args,
            f"正在对 {args.path.name} 运行分析笔记本（随机种子 {args.seed}）……",
            f"running the notebooks on {args.path.name} (seed {args.seed}, {args.lang})",
        )
    )
    report = build_report(
        args.path,
        args.out,
        seed=args.seed,
        lang=args.lang,
        pseudonymize=args.pseudonymize,
        pdf=args.pdf,
    )
    print(_pick(args, f"报告：{report}", f"report: {report}"))
    if args.pdf:
        print(f"pdf: {report.with_suffix('.pdf')}")
    return EXIT_OK


def _cmd_app(args: argparse.Namespace) -> int:
    try:
        from mentormatch.app import serve
    except ImportError as err:
        raise MissingDependencyError(
            f"the app needs the notebook extras ({err.name or err}): "
            "pip install 'mentormatch-suite[notebooks]'"
        ) from None
    serve(port=args.port, open_browser=not args.no_browser, lang=args.lang)
    return EXIT_OK
