"""Part 03 of the report, the plan: the score's components and weights, who was placed,
the figures of plans side by side, the unplaced, the plan by mentor and a worked
example."""

from __future__ import annotations

import pandas as pd

from mentormatch import lang as _lang
from mentormatch.present.words._common import _n

# --- Plans ---------------------------------------------------------------------------------

#: Each score component: its name and what it measures (Chinese, English).
COMPONENTS = {
    "challenge": (
        ("难题匹配", "书记的难题中带教老师擅长的比例"),
        ("Challenge fit", "share of the mentee's challenges in the mentor's expertise"),
    ),
    "type": (
        ("类型匹配", "带教老师是否熟悉该类小区（或相近类型）"),
        ("Community-type fit", "the mentor knows this kind of estate (or a related one)"),
    ),
    "proximity": (
        ("就近程度", "同一街镇 1，相邻街镇 0.5，其余 0"),
        ("Proximity", "same sub-district/town 1, neighbouring 0.5, otherwise 0"),
    ),
    "continuity": (
        ("延续性", "曾在带教老师所在居民区工作，或延续上一周期的结对"),
        ("Continuity", "served in the mentor's community, or continues last cycle's pair"),
    ),
}
#: The objectives as a reader names them.
OBJECTIVES = {
    "total": ("总分最高", "Highest total"),
    "fair": ("兼顾最弱者", "Fairest"),
    "stable": ("稳定匹配", "Stable"),
}


def weights_table(weights: dict) -> pd.DataFrame:
    """The score's components with their weights and what each measures."""
    i = 0 if _lang.current() == "zh" else 1
    return pd.DataFrame(
        {
            "component": [COMPONENTS[k][i][0] for k in weights],
            "weight": [float(v) for v in weights.values()],
            "measures": [COMPONENTS[k][i][1] for k in weights],
        }
    )


def placement(d, plan, *, refer: bool = True) -> tuple[str, str]:
    """Who needs a mentor and how many were placed, in one sentence (``refer``: point
    to the report's part 03 for the unplaced)."""
    f = plan.figures()
    needing, placed = int(f["mentees"]), int(f["placed"])
    places = int(d.mentors["capacity"].sum())
    if needing == 0:
        return ("没有在任书记需要带教。", "No secretary in post needs a mentor.")
    if placed == needing:
        return (
            f"需要带教的 {_n(needing)} 名书记全部结对（{_n(len(d.mentors))} 位带教老师，"
            f"{_n(places)} 个名额），平均匹配分 {f['mean_score']:.2f}。",
            f"All {_n(needing)} secretaries needing a mentor are placed "
            f"({_n(len(d.mentors))} mentors, {_n(places)} places); mean pair score "
            f"{f['mean_score']:.2f}.",
        )
    short = needing - placed
    cause_zh = f"名额只有 {_n(places)} 个" if places < needing else "规则排除了部分结对"
    cause_en = (
        f"there are only {_n(places)} places"
        if places < needing
        else "the rules exclude some pairs"
    )
    return (
        f"需要带教的 {_n(needing)} 名书记中 {_n(placed)} 名结对；{_n(short)} 名未能结对，因为"
        f"{cause_zh}" + ("（名单及所需调整见第 03 部分）。" if refer else "。"),
        f"{_n(placed)} of {_n(needing)} secretaries needing a mentor are placed; {_n(short)} "
        f"cannot be, because {cause_en}"
        + (" (the list and what would place them are in part 03)." if refer else "."),
    )


#: Every figure of a plan a reader may see: (Chinese, English, kind).
FIGURES = {
    "mentees": ("需要带教", "Need a mentor", "int"),
    "placed": ("已结对", "Placed", "int"),
    "total_score": ("匹配分合计", "Total score", "float"),
    "mean_score": ("平均匹配分", "Mean score", "float"),
    "min_score": ("最低匹配分", "Worst score", "float"),
    "p10_score": ("匹配分第10百分位", "10th percentile score", "float"),
    "coverage_mentor": ("难题覆盖率（带教老师）", "Challenges covered (mentor)", "percent"),
    "coverage_mentor_and_base": (
        "难题覆盖率（带教老师＋基地）",
        "Challenges covered (mentor + base)",
        "percent",
    ),
    "blocking_pairs": ("阻塞对", "Blocking pairs", "int"),
    "below_min_load": ("低于最少带教人数的老师", "Mentors below minimum load", "int"),
    "load_range": ("每位老师带教人数", "Mentees per mentor", "text"),
    "same_unit_share": ("同一街镇的结对", "Pairs in the same unit", "percent"),
    "near_share": ("同街镇或相邻街镇的结对", "Pairs in the same or next unit", "percent"),
    "load_gini": ("带教负荷基尼系数", "Load Gini", "float"),
    "rule_violations": ("违反规则", "Rules broken", "int"),
    "kept": ("延续上一周期的结对", "Pairs kept from last cycle", "int"),
    "changed": ("更换带教老师", "Mentor changed", "int"),
    "new": ("新结对", "New pairs", "int"),
    "kept_share": ("延续比例", "Share kept", "percent"),
}
#: The figures of a plan shown side by side with other plans, by default.
PLAN_FIGURES = (
    "mentees",
    "placed",
    "total_score",
    "mean_score",
    "min_score",
    "p10_score",
    "coverage_mentor",
    "coverage_mentor_and_base",
    "blocking_pairs",
    "below_min_load",
    "load_range",
)


def plan_figures(plans: dict, keys=None) -> pd.DataFrame:
    """Figures of several plans side by side: one row per figure, one column per plan."""
    from mentormatch.present.format import for_people

    lang = _lang.current()
    keys = keys or list(PLAN_FIGURES)
    rows = {}
    for name, plan in plans.items():
        f = plan.figures().to_dict()
        f["load_range"] = f"{f['load_min']}–{f['load_max']}"
        rows[name] = f
    out = {"figure": [FIGURES[k][0 if lang == "zh" else 1] for k in keys]}
    for name, f in rows.items():
        values = []
        for key in keys:
            zh, en, kind = FIGURES[key]
            frame = pd.DataFrame({key: [f.get(key)]})
            values.append(for_people(frame, lang=lang, labels={key: (zh, en, kind)}).iloc[0, 0])
        out[name] = values
    return pd.DataFrame(out)


def unplaced(plan) -> pd.DataFrame:
    """Mentees without a mentor, with why and what would place them."""
    t = plan.table
    t = t[t["status"] == "unplaced"]
    return pd.DataFrame(
        {
            "secretary_id": t["secretary_id"],
            "name": t["name"],
            "street_town": t["street_town"],
            "community_name": t["community_name"],
            "unplaced_reason": t[
                "unplaced_reason_zh" if _lang.current() == "zh" else "unplaced_reason"
            ],
        }
    )


def by_mentor(d, plan) -> pd.DataFrame:
    """The plan by mentor: places, load and the mentees' names."""
    placed = plan.placed
    names = placed.groupby("mentor_id")["name"].agg(list)
    loads = plan.loads
    return pd.DataFrame(
        {
            "mentor_name": loads["name"],
            "street_town": loads["street_town"],
            "capacity": loads["capacity"].astype(int),
            "load": loads["load"].astype(int),
            "mentees": [
                ("、" if _lang.current() == "zh" else ", ").join(names.get(m, [])) or "—"
                for m in loads["mentor_id"]
            ],
        }
    )


def example(d, plan) -> str | None:
    """A worked example's secretary: newly appointed, in a resettlement estate if one
    is placed, else the first placed mentee; ``None`` when nobody is placed."""
    placed = plan.placed
    if placed.empty:
        return None
    mentees = d.mentees[d.mentees["secretary_id"].isin(placed["secretary_id"])]
    pool = mentees[mentees["community_type"] == "resettlement"]
    pool = pool if len(pool) else mentees
    pool = pool.sort_values(["appointed_year", "secretary_id"], ascending=[False, True])
    return str(pool["secretary_id"].iloc[0])


def example_card(d, plan, secretary_id: str) -> pd.DataFrame:
    """One placed secretary's pair, read down: who, where, mentor, score, base, why."""
    from mentormatch.present.format import cell

    lang = _lang.current()
    zh = lang == "zh"
    sec = d.secretaries.set_index("secretary_id").loc[secretary_id]
    row = plan.table.set_index("secretary_id").loc[secretary_id]
    alternates = [
        a
        for a in (row["alternate_1"], row["alternate_2"])
        if isinstance(a, str) and a not in ("None", "nan")
    ]
    items = [
        (
            _lang.pick("书记", "Secretary"),
            f"{row['name']}（{secretary_id}）" if zh else f"{row['name']} ({secretary_id})",
        ),
        (_lang.pick("任职年份", "Appointed"), str(int(sec["appointed_year"]))),
        (
            _lang.pick("街镇", "Sub-district/town"),
            cell(sec["street_town"], "vocab:street_town", lang),
        ),
        (_lang.pick("居民区", "Community"), str(sec["community_name"])),
        (
            _lang.pick("小区类型", "Community type"),
            cell(sec["community_type"], "vocab:community_type", lang),
        ),
        (_lang.pick("主要难题", "Challenges"), cell(sec["challenges"], "vocabs:challenge", lang)),
        (_lang.pick("带教老师", "Mentor"), str(row["mentor_name"])),
        (_lang.pick("匹配分", "Pair score"), f"{row['score']:.2f}"),
        (
            _lang.pick("实训基地", "Practice base"),
            str(row["base_name"])
            if isinstance(row["base_name"], str) and row["base_name"] not in ("None", "nan")
            else "—",
        ),
        (
            _lang.pick("难题覆盖率", "Challenges covered"),
            cell(row["coverage"], "percent", lang, decimals=0),
        ),
        (_lang.pick("结对理由", "Why this pair"), row["reason_zh" if zh else "reason_en"]),
        (
            _lang.pick("备选带教老师（匹配分）", "Next-best mentors (score)"),
            ("；" if zh else "; ").join(alternates)
            if alternates
            else _lang.pick("其他老师均无空余名额", "no other mentor has a place left"),
        ),
    ]
    return pd.DataFrame(items, columns=["item", "value"])


def example_scores(scores: pd.DataFrame, d, secretary_id: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` best mentors for one secretary, with the score's components."""
    mine = scores[scores["secretary_id"] == secretary_id].sort_values(
        "total", ascending=False, kind="stable"
    )
    names = d.mentors.set_index("mentor_id")["name"]
    top = mine.head(n)
    return pd.DataFrame(
        {
            "mentor_name": top["mentor_id"].map(names),
            "score": top["total"],
            "challenge": top["challenge"],
            "type": top["type"],
            "proximity": top["proximity"],
            "continuity": top["continuity"],
        }
    )
