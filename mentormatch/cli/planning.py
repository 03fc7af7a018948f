"""The planner's commands: ``cluster`` (kinds of secretaries), ``match`` (mentors and
practice bases) and ``groups`` (the salon's discussion groups).

Only the standard library and :mod:`mentormatch.errors` are imported here: each command
imports what it uses when it runs."""

from __future__ import annotations

import argparse

from mentormatch.cli._common import EXIT_OK, _check_out, _district, _pick, _say, _warn, _zh
from mentormatch.errors import DataError, InfeasibleError


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
