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
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from mentormatch import __version__
from mentormatch.errors import DataError, GuessWarning, InfeasibleError, MissingDependencyError

__all__ = ["main", "EXIT_OK", "EXIT_BAD_INPUT", "EXIT_INFEASIBLE"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3

#: What each writing command writes (Chinese, English) and whether it may be .csv.
_OUTPUTS = {
    "match": (("结对方案", "the plan"), True),
    "groups": (("分组方案", "the groups"), True),
    "cluster": (("分类结果", "the clusters"), True),
    "template": (("名册模板", "the roster template"), False),
}


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


def _port(text: str) -> int:
    value = _positive_int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {text!r}")
    return value


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
    print(
        _pick(
            args,
            f"已将合成名册（随机种子 {args.seed}）写入 {where}",
            f"wrote a synthetic district (seed {args.seed}) to {where}",
        )
    )
    print(d.summary(args.lang))
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    d = _district(args)
    print(_pick(args, f"{args.path.name}：名册有效", f"{args.path}: valid"))
    print(d.summary(args.lang))
    if d.warnings:
        print(
            _pick(
                args,
                f"载入时有 {len(d.warnings)} 处按推测读取，见上方提示；请核对。",
                f"{len(d.warnings)} value(s) were read by guessing (see the warnings above); "
                "please check them.",
            )
        )
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from mentormatch.template import write_template

    _check_out(args)
    where = write_template(args.out, lang=args.lang)
    print(
        _pick(
            args,
            f"名册模板：{where}（填好后用 mentormatch validate 检查）",
            f"roster template: {where} (fill it in, then check it with mentormatch validate)",
        )
    )
    return EXIT_OK


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
    from mentormatch.export import write_clusters
    from mentormatch.present import words

    _check_out(args)
    d = _district(args)
    result = cluster_secretaries(d, k=args.k, method=args.method, random_state=args.seed)
    write_clusters(d, result, args.out, lang=args.lang)
    _say(words.cluster_headline(result), args)
    _say(words.cluster_choice(result), args)
    print(_pick(args, f"分类结果：{args.out}", f"clusters: {args.out}"))
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
    from mentormatch.export import write_groups
    from mentormatch.groups import salon_plan
    from mentormatch.groups.salon import max_groups
    from mentormatch.present import words

    _check_out(args)
    d = _district(args)
    most = max_groups(d, mentors=args.mentors)
    if most < args.n_groups <= len(d.in_post):
        with_mentors = max_groups(d, mentors=True)
        hint_zh = (
            f"，或加上 --mentors 由带教老师担任组长（最多 {with_mentors} 组）"
            if not args.mentors and with_mentors > most
            else ""
        )
        hint_en = (
            f", or add --mentors so that mentors lead groups (up to {with_mentors})"
            if not args.mentors and with_mentors > most
            else ""
        )
        raise InfeasibleError(
            [
                f"every group needs a facilitator, and this roster has enough for "
                f"{most} groups, not {args.n_groups}: ask for at most {most} "
                f"(--n-groups {most}){hint_en}"
            ],
            shortfall=args.n_groups - most,
            reasons_zh=[
                f"每个小组都需要一名主持人，本名册的人选只够 {most} 个小组，"
                f"不够 {args.n_groups} 个："
                f"请改为最多 {most} 组（--n-groups {most}）{hint_zh}"
            ],
        )
    plan = salon_plan(
        d,
        args.n_groups,
        seed=args.seed,
        must_link=args.must_link,
        cannot_link=args.cannot_link,
        mentors=args.mentors,
    )
    write_groups(d, plan, args.out, lang=args.lang)
    _say(words.groups_headline(plan), args)
    _say(_facilitator_rule(plan), args)
    fac = plan.facilitators
    leads = fac[fac["lead"]].sort_values("group")
    if args.mentors:
        _say(("各组组长（带教老师）：", "Group leads (mentors):"), args)
    else:
        _say(("各组组长：", "Group leads:"), args)
    for row in leads.itertuples(index=False):
        kind = (
            _pick(args, "带教老师", "mentor")
            if row.kind == "mentor"
            else _pick(args, "书记", "secretary")
        )
        print(
            _pick(
                args,
                f"  第 {row.group} 组：{row.name}（{row.id}，{kind}）",
                f"  group {row.group}: {row.name} ({row.id}, {kind})",
            )
        )
    print(_pick(args, f"分组方案：{args.out}", f"groups: {args.out}"))
    return EXIT_OK


def _facilitator_rule(plan) -> tuple[str, str]:
    """Which rule chose the facilitating secretaries, in one sentence."""
    n = int((plan.facilitators["kind"] == "secretary").sum())
    if plan.facilitator_rule == "tenure":
        years = plan.tenure_threshold
        return (
            f"名册中没有测评记录，主持人按任职年限选出：任职最久的四分之一书记（{n} 名，"
            f"任职至少 {years:.0f} 年）。",
            f"The roster has no assessments, so facilitators are the quarter of secretaries "
            f"longest in post ({n}, at least {years:.0f} years).",
        )
    return (
        f"主持人为组织力指数居前四分之一的书记（{n} 名，指数不低于 "
        f"{plan.capacity_threshold:.1f}）。",
        f"Facilitators are the secretaries in the top quarter of the capacity index ({n}, "
        f"index at least {plan.capacity_threshold:.1f}).",
    )


def _cmd_match(args: argparse.Namespace) -> int:
    from mentormatch.export import write_plan
    from mentormatch.plan import match, read_previous_plan, rematch, shortfall_error
    from mentormatch.present import words

    _check_out(args)
    d = _district(args)
    if args.previous is not None:
        if args.objective != "total" or args.partial:
            flag = "--partial" if args.partial else f"--objective {args.objective}"
            raise DataError.say(
                f"A re-match (--previous) keeps the pairs in force within the score "
                f"tolerance of the best total plan; it cannot also take {flag}. Leave out "
                f"{flag}, or leave out --previous for a new plan.",
                f"调整方案（--previous）在总分最优方案的容许范围内尽量保留原有结对，不能同时使用 "
                f"{flag}；请去掉 {flag}，或去掉 --previous 另行生成新方案。",
            )
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
        try:
            plan = match(
                d,
                args.objective,
                weights=args.weights,
                distance=args.distance,
                bases=args.bases,
                partial=args.partial,
            )
        except InfeasibleError as err:
            raise shortfall_error(d, err, weights=args.weights, distance=args.distance) from None
    write_plan(d, plan, args.out, lang=args.lang)
    _say(words.placement(d, plan, refer=False), args)
    f = plan.figures()
    print(
        _pick(
            args,
            f"匹配分合计 {f['total_score']:.2f}，平均 {f['mean_score']:.2f}，最低 "
            f"{f['min_score']:.2f}；难题覆盖率（带教老师＋基地）{f['coverage_mentor_and_base']:.0%}；"
            f"阻塞对 {int(f['blocking_pairs'])} 个。",
            f"Total score {f['total_score']:.2f}, mean {f['mean_score']:.2f}, worst "
            f"{f['min_score']:.2f}; challenges covered (mentor + base) "
            f"{f['coverage_mentor_and_base']:.0%}; {int(f['blocking_pairs'])} blocking pairs.",
        )
    )
    unplaced = plan.table[plan.table["status"] == "unplaced"]
    for row in unplaced.itertuples(index=False):
        why = row.unplaced_reason_zh if _zh(args) else row.unplaced_reason
        print(
            _pick(
                args,
                f"  未结对：{row.name}（{row.secretary_id}）：{why}",
                f"  not placed: {row.name} ({row.secretary_id}): {why}",
            )
        )
    _warn([zh if _zh(args) else en for zh, en in plan.warnings], args)
    print(_pick(args, f"结对方案：{args.out}", f"plan: {args.out}"))
    return EXIT_OK


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
        print(lead + str(err), file=sys.stderr)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
