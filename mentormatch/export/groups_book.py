"""The salon groups workbook (:func:`write_groups`).

Sheets, in the chosen language: every secretary's group (分组名单), the groups'
profiles (各组概况), the balance counts per group (各组构成), the monthly topic plan
(议题计划) and the headline figures and rules (概要).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mentormatch.export._common import (
    export,
    pick,
    roster_notes,
    write_book,
)
from mentormatch.workbook import Gap, Heading, Sheet, Table

__all__ = ["write_groups", "group_sheets", "SHEETS", "GROUP_LABELS"]

#: Sheet names: (Chinese, English).
SHEETS = {
    "members": ("分组名单", "Members"),
    "profiles": ("各组概况", "Groups"),
    "balance": ("各组构成", "Balance"),
    "topics": ("议题计划", "Topics"),
    "summary": ("概要", "Summary"),
}
#: Headers of the columns only the groups workbook shows.
GROUP_LABELS = {
    "facilitator": ("主持人", "Facilitator", "bool"),
    "lead": ("组长", "Lead", "bool"),
    "group_lead": ("本组组长", "Group's lead", "text"),
    "group_mentor": ("本组带教老师（组长）", "Group's mentor (lead)", "text"),
    "capacity_index": ("组织力指数", "Capacity index", "float"),
    "group_mentors": ("本组带教老师", "Mentors in the group", "text"),
    "lead_name": ("组长", "Lead", "text"),
}


def write_groups(d, salon_plan, path, *, lang: str = "zh") -> Path:
    """Write the salon groups: ``.xlsx`` a workbook, ``.csv`` the members sheet.

    Every secretary's group with facilitator and lead as 是/否 (and, when mentors
    join, the mentor leading each group), the groups' profiles, the balance counts and
    the topic plan, all in ``lang``. Any other extension is a
    :class:`~mentormatch.DataError`. The same plan gives the same bytes.
    """
    return write_book(
        d,
        path,
        ("沙龙分组", "the salon groups"),
        ("一午一时沙龙分组", "Salon groups"),
        lang,
        lambda lang: group_sheets(d, salon_plan, lang),
    )


def group_sheets(d, plan, lang: str = "zh") -> dict[str, Sheet]:
    """The groups workbook's sheets, by sheet name (see :func:`write_groups`)."""
    i = 0 if lang == "zh" else 1
    return {
        SHEETS["members"][i]: _members(d, plan, lang),
        SHEETS["profiles"][i]: _profiles(plan, lang),
        SHEETS["balance"][i]: _balance(plan, lang),
        SHEETS["topics"][i]: _topics(plan, lang),
        SHEETS["summary"][i]: _summary(d, plan, lang),
    }


def _leads(plan) -> pd.DataFrame:
    fac = plan.facilitators
    return fac[fac["lead"]].set_index("group")


def _members(d, plan, lang: str) -> Sheet:
    from mentormatch.groups.terms import LEFT_THE_POST

    f = plan.to_frame().reset_index(drop=True)
    leads = _leads(plan)
    group = f["group"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    lead_names = [leads["name"].get(int(g)) if np.isfinite(g) else None for g in group]
    notes = roster_notes(d)
    df = pd.DataFrame(
        {
            "group": group,
            "secretary_id": f["secretary_id"],
            "name": f["name"],
            "street_town": f["street_town"],
            "community_type": f["community_type"],
            "cohort": f["cohort"].where(
                f["cohort"].isin(["born_1980_or_later", "born_before_1980"])
            ),
            "facilitator": f["facilitator"].astype(bool),
            "lead": f["lead"].astype(bool),
            "group_mentor" if plan.mentors_join else "group_lead": lead_names,
            "capacity_index": f["capacity"],
            "note": [
                pick("已离任", "left the post", lang) if r == LEFT_THE_POST else None
                for r in f["reason"]
            ],
            "roster_note": f["secretary_id"].map(notes) if notes is not None else None,
        }
    )
    # By group; in each group the lead first, then the facilitators, then roster order.
    key = pd.DataFrame(
        {
            "group": np.where(np.isfinite(group), group, np.inf),
            "lead": ~df["lead"],
            "facilitator": ~df["facilitator"],
            "position": np.arange(len(df)),
        }
    )
    df = df.loc[key.sort_values(list(key.columns), kind="stable").index]
    df = _without_empty(df, ("capacity_index",))
    frame, kinds = export(df, lang, GROUP_LABELS)
    if "capacity_index" in df.columns:
        kinds[pick("组织力指数", "Capacity index", lang)] = "0.0"
    return Sheet([Table(frame, kinds)], autofilter=True)


def _profiles(plan, lang: str) -> Sheet:
    from mentormatch.present.words import GROUP_PROFILE_LABELS, group_profiles

    p = group_profiles(plan).rename(columns={"lead": "lead_name"})
    if plan.mentors_join:
        fac = plan.facilitators
        mentors = (
            fac[fac["kind"] == "mentor"]
            .groupby("group")["name"]
            .agg(lambda names: ("、" if lang == "zh" else ", ").join(names))
        )
        p.insert(4, "group_mentors", p["group"].map(mentors))
    # A mentor lead has no capacity index; a roster without assessments has none at all.
    p = _without_empty(p, ("lead_index", "mean_capacity"))
    frame, kinds = export(p, lang, {**GROUP_PROFILE_LABELS, **GROUP_LABELS})
    for code, fmt in (("lead_index", "0.0"), ("mean_capacity", "0.0"), ("diversity", "0.000")):
        if code not in p.columns:
            continue
        spec = {**GROUP_PROFILE_LABELS, **GROUP_LABELS}.get(code)
        from mentormatch.present.labels import COLUMNS

        spec = spec or COLUMNS[code]
        kinds[spec[0] if lang == "zh" else spec[1]] = fmt
    return Sheet([Table(frame, kinds)], autofilter=True)


def _without_empty(df: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """``df`` without those of ``columns`` that hold no value at all (a column of blanks
    says nothing to a reader)."""
    empty = [c for c in columns if c in df.columns and df[c].isna().all()]
    return df.drop(columns=empty)


def _balance(plan, lang: str) -> Sheet:
    from mentormatch.groups.terms import BALANCE_VARIABLES
    from mentormatch.present.labels import COLUMNS
    from mentormatch.present.words import balance, balance_title

    blocks: list = [
        Heading(pick("各组构成（人数）", "Members of each kind per group", lang), level=1),
        Heading(
            pick(
                "每组每类人数应为平均份额（总数除以组数）取整，上下相差不超过 1 人。",
                "Each group should hold an even share of every kind (its count over the "
                "groups, rounded down or up).",
                lang,
            ),
            level=3,
        ),
    ]
    group_header = COLUMNS["group"].zh if lang == "zh" else COLUMNS["group"].en
    for variable in plan.balance_variables:
        if variable not in BALANCE_VARIABLES:
            continue
        wide = balance(plan, variable).rename(columns={"group": group_header})
        b = plan.balance[plan.balance["variable"] == variable]
        off = int((~b["within"]).sum())
        within = pick("各组均在平均份额以内", "every group within its even share", lang)
        outside = pick(f"{off} 处超出平均份额", f"{off} count(s) outside the even share", lang)
        title = balance_title(variable)
        blocks += [
            Gap(),
            Heading(
                f"{pick(*title, lang)}：{within if off == 0 else outside}"
                if lang == "zh"
                else f"{title[1]}: {within if off == 0 else outside}"
            ),
            Table(wide, dict.fromkeys(wide.columns, "int")),
        ]
    return Sheet(blocks, freeze=False, print_header=False)


def _topics(plan, lang: str) -> Sheet:
    from mentormatch.present.words import topics

    frame, kinds = export(topics(plan), lang)
    return Sheet([Table(frame, kinds)], autofilter=True)


def _facilitator_rule(plan, lang: str) -> str:
    """Who facilitates and who leads, in words, as the plan chose them (the capacity
    index, or years in post on a roster without assessments)."""
    rule = getattr(plan, "facilitator_rule", "capacity")
    capacity = plan.capacity_threshold
    tenure = getattr(plan, "tenure_threshold", float("nan"))
    if rule == "tenure" and tenure is not None and np.isfinite(tenure):
        years = math.ceil(tenure - 1e-9)
        who = pick(
            f"名册中没有组织力评估，主持人为任职年限位于前四分之一的书记（任职不少于 {years} 年）",
            "Nobody on the roster was assessed, so facilitators are the secretaries in the top "
            f"quarter of years in post (at least {years} years)",
            lang,
        )
        lead = pick("每组任职最久者任组长", "the longest-serving in each group leads it", lang)
    elif rule == "tenure":
        who = pick(
            "名册中既没有组织力评估，也没有任职年份，未能选出主持人",
            "Nobody on the roster was assessed and no year of appointment is known, so no "
            "facilitator was chosen",
            lang,
        )
        lead = None
    elif capacity is not None and np.isfinite(capacity):
        who = pick(
            f"主持人为组织力指数位于前四分之一的书记（不低于 {capacity:.1f}）",
            "Facilitators are secretaries in the top quarter of the capacity index (at least "
            f"{capacity:.1f})",
            lang,
        )
        lead = pick("每组指数最高者任组长", "the highest in each group leads it", lang)
    else:
        who = pick("主持人按名册中的其他规则选定", "Facilitators were chosen by another rule", lang)
        lead = None
    if plan.mentors_join:
        first = pick("每组由一位带教老师任组长", "A mentor leads each group", lang)
        second = who if lang == "zh" else who[0].lower() + who[1:]
        return pick(f"{first}；{second}", f"{first}; {second}", lang)
    if lead is None:
        return who
    return pick(f"{who}，{lead}", f"{who}; {lead}", lang)


def _summary(d, plan, lang: str) -> Sheet:
    from mentormatch.present.labels import COLUMNS
    from mentormatch.present.words import groups_headline

    zh = lang == "zh"
    sizes = plan.sizes
    fac = plan.facilitators
    n_sec = int((fac["kind"] == "secretary").sum())
    n_men = int((fac["kind"] == "mentor").sum())
    pct = plan.percentiles.get("same_rules", np.nan)
    figures = [
        (pick("在任书记", "Secretaries in post", lang), len(plan.groups), "int"),
        (pick("组数", "Groups", lang), int(plan.n_groups), "int"),
        (
            pick("每组最少人数", "Smallest group", lang),
            int(sizes.min()) if len(sizes) else 0,
            "int",
        ),
        (pick("每组最多人数", "Largest group", lang), int(sizes.max()) if len(sizes) else 0, "int"),
        (pick("主持人（书记）", "Facilitators (secretaries)", lang), n_sec, "int"),
        (pick("加入各组的带教老师", "Mentors who joined", lang), n_men, "int"),
        (
            pick("超出平均份额的计数", "Counts outside the even share", lang),
            int(plan.violation),
            "int",
        ),
        (pick("组内平均距离", "Mean distance within groups", lang), plan.mean_within, "0.000"),
        (pick("任意两人平均距离", "Mean distance, all pairs", lang), plan.mean_all, "0.000"),
        (
            pick("多样性高于同规则随机分组的比例", "Diversity beats random partitions", lang),
            pct / 100 if np.isfinite(pct) else None,
            "0%",
        ),
        (pick("同组规则", "Pairs kept together", lang), len(plan.must_link), "int"),
        (pick("分开规则", "Pairs kept apart", lang), len(plan.cannot_link), "int"),
    ]
    header = [COLUMNS["figure"][0 if zh else 1], COLUMNS["value"][0 if zh else 1]]
    table = Table(
        pd.DataFrame([r[:2] for r in figures], columns=header, dtype=object),
        {header[0]: "text"},
        cell_kinds={header[1]: [r[2] for r in figures]},
    )
    rule = _facilitator_rule(plan, lang)
    headline = groups_headline(plan)
    blocks: list = [
        Heading(pick("一午一时沙龙分组", "Salon groups", lang), level=1),
        Heading(headline[0] if zh else headline[1], level=3),
        Heading(rule + pick("。", ".", lang), level=3),
    ]
    if d.synthetic:
        blocks.append(
            Heading(pick("本分组基于合成数据。", "Made from synthetic data.", lang), level=3)
        )
    blocks += [Gap(), Heading(pick("主要指标", "Headline figures", lang)), table]
    return Sheet(blocks, freeze=False, print_header=False)
