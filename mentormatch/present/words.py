"""Sentences and small tables that follow the data, in Chinese and English.

Every function returns what a reader sees for one result: a ``(zh, en)`` pair of
sentences, or a table whose columns have labels in
:data:`mentormatch.present.labels.COLUMNS`. Counts, group numbers and "synthetic" come
from the data, never from the notebook's prose.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch import lang as _lang

__all__ = [
    "glance",
    "published_figures",
    "roster_headline",
    "cluster_choice",
    "cluster_headline",
    "cluster_profiles",
    "cluster_members",
    "weights_table",
    "placement",
    "plan_figures",
    "unplaced",
    "by_mentor",
    "example",
    "example_card",
    "example_scores",
    "groups_headline",
    "group_profiles",
    "balance",
    "balance_title",
    "against_random",
    "starts_sentence",
    "topics",
    "group_members",
    "strategies",
    "quality_headline",
    "effect",
    "effect_table",
    "no_effect_headline",
    "event_study",
    "dose",
    "dose_people",
    "retention",
    "retention_table",
    "rare_events",
    "COMPONENTS",
    "OBJECTIVES",
    "GROUP_PROFILE_LABELS",
    "GROUP_MEMBER_LABELS",
    "STRATEGY_LABELS",
    "QUALITY",
    "FIGURES",
    "PLAN_FIGURES",
    "DOSE_LABELS",
    "RETENTION_LABELS",
    "RARE_LABELS",
    "pick",
]


def _n(value: float) -> str:
    """A count as a reader writes it: thousands separated (in Chinese from 10,000 on)."""
    value = int(value)
    return f"{value:,}" if value >= (10_000 if _lang.current() == "zh" else 1_000) else str(value)


def glance(d) -> pd.DataFrame:
    """The roster at a glance: one row per figure (``item``, ``value``), in the
    current language."""
    pick = _lang.pick
    post, mentees = d.in_post, d.mentees
    gone = len(d.secretaries) - len(post)
    capacity = int(d.mentors["capacity"].sum())
    waves = d.assessments["wave"]
    rows = [
        (pick("在任书记", "Secretaries in post"), _n(len(post))),
        (pick("已离任（名册中保留）", "Left the post (kept in the roster)"), _n(gone)),
        (pick("需要带教", "Need a mentor"), _n(len(mentees))),
        (
            pick("带教老师（名额）", "Mentors (places)"),
            f"{_n(len(d.mentors))}（{_n(capacity)}）"
            if _lang.current() == "zh"
            else f"{_n(len(d.mentors))} ({_n(capacity)})",
        ),
        (
            pick("实训基地（名额）", "Practice bases (places)"),
            f"{_n(len(d.bases))}（{_n(int(d.bases['capacity'].sum()))}）"
            if _lang.current() == "zh"
            else f"{_n(len(d.bases))} ({_n(int(d.bases['capacity'].sum()))})",
        ),
        (pick("街镇", "Sub-districts and towns"), _n(post["street_town"].nunique())),
        (
            pick("组织力测评", "Capacity assessments"),
            pick(
                f"{int(waves.min())}—{int(waves.max())} 年，{_n(len(waves))} 条",
                f"{int(waves.min())}-{int(waves.max())}, {_n(len(waves))} rows",
            )
            if len(waves)
            else pick("无", "none"),
        ),
        (
            pick("结对约束", "Pair rules"),
            _n(len(d.constraints)) if len(d.constraints) else pick("无", "none"),
        ),
        (
            pick("履职记录", "Career records"),
            _n(len(d.career)) if len(d.career) else pick("无", "none"),
        ),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])


_PUBLISHED_ZH = {"> 1/4": "超过 1/4", "about 5": "约 5"}


def published_figures(d) -> pd.DataFrame:
    """The seed article's figures for Putuo against this roster's (``item``,
    ``published``, ``this_roster``, ``met``)."""
    from mentormatch.synth import calibration_table

    t = calibration_table(d)
    zh = _lang.current() == "zh"
    published = t["published"].map(lambda v: _PUBLISHED_ZH.get(v, v) if zh else v).map(str)
    return pd.DataFrame(
        {
            "item": t["target_zh"] if zh else t["target"],
            "published": published,
            "this_roster": t["district"].map(str),
            "met": t["met"].astype(bool),
        }
    )


def roster_headline(d) -> tuple[str, str]:
    """Who is in the roster, in one sentence."""
    post = d.in_post
    units = post["street_town"].nunique()
    capacity = int(d.mentors["capacity"].sum())
    return (
        f"{units} 个街镇的在任书记 {_n(len(post))} 名，其中 {_n(len(d.mentees))} 名需要带教；"
        f"带教老师 {_n(len(d.mentors))} 名，共 {_n(capacity)} 个名额；"
        f"实训基地 {_n(len(d.bases))} 个。",
        f"{_n(len(post))} secretaries in post in "
        + ("1 sub-district or town" if units == 1 else f"{units} sub-districts and towns")
        + f", {_n(len(d.mentees))} of them needing a mentor; {_n(len(d.mentors))} mentors "
        f"with {_n(capacity)} places; {_n(len(d.bases))} practice bases.",
    )


# --- Clusters ------------------------------------------------------------------------------


def cluster_choice(result) -> tuple[str, str]:
    """Why the clustering has ``k`` clusters, from its selection table."""
    sel = result.selection
    k = result.k
    row = sel[sel["chosen"]].iloc[0] if sel["chosen"].any() else sel.iloc[0]
    sil = float(row["silhouette"])
    if len(sel) == 1:
        return (
            f"按给定的 k = {k} 分类（轮廓系数 {sil:.2f}）。",
            f"k = {k} was given (silhouette {sil:.2f}).",
        )
    lo, hi = int(sel["k"].min()), int(sel["k"].max())
    measured = np.isfinite(sel["stability_min"]).any()
    if measured:
        stable = sel[sel["stability_min"] >= 0.6]
        best = stable["silhouette"].max() if len(stable) else np.nan
        by_elbow = len(stable) and sil < best - 1e-9
        zh = (
            f"在 k = {lo}–{hi} 中，有 {len(stable)} 个 k 的各类在自助抽样中都稳定"
            "（稳定性不低于 0.6）；"
            + (
                "其中轮廓系数最高的几个 k 相差不到 0.02，"
                f"按成本肘部选定 k = {k}（轮廓系数 {sil:.2f}）。"
                if by_elbow
                else f"其中 k = {k} 的轮廓系数最高（{sil:.2f}），因此分为 {k} 类。"
            )
        )
        en = (
            f"Of k = {lo} to {hi}, {len(stable)} give clusters that are all stable under "
            "bootstrap resampling (at least 0.6); "
            + (
                f"their best silhouettes lie within 0.02, and the cost elbow picks k = {k} "
                f"(silhouette {sil:.2f})."
                if by_elbow
                else f"among them k = {k} has the best silhouette ({sil:.2f}), so {k} clusters."
            )
        )
        if not len(stable):
            zh = (
                f"在 k = {lo}–{hi} 中，没有一个 k 的各类都稳定；选取最弱一类最稳定的 k = {k}"
                f"（轮廓系数 {sil:.2f}）。"
            )
            en = (
                f"No k from {lo} to {hi} gives only stable clusters; k = {k} has the most "
                f"stable weakest cluster (silhouette {sil:.2f})."
            )
        return zh, en
    return (
        f"在 k = {lo}–{hi} 中按轮廓系数与成本肘部选定 k = {k}"
        f"（轮廓系数 {sil:.2f}；未做稳定性抽样）。",
        f"Of k = {lo} to {hi}, silhouette and cost elbow choose k = {k} (silhouette "
        f"{sil:.2f}; stability not measured).",
    )


def cluster_headline(result) -> tuple[str, str]:
    """How many kinds of secretaries, and the largest ones."""
    p = result.profiles
    top = p.head(3)
    zh = "、".join(f"{r['name_zh']}（{int(r['size'])} 人）" for _, r in top.iterrows())
    en = "; ".join(f"{r['name_en']} ({int(r['size'])})" for _, r in top.iterrows())
    n = int(result.clustered.sum())
    more_zh = "等" if len(p) > 3 else ""
    more_en = f"; and {len(p) - 3} more" if len(p) > 3 else ""
    return (
        f"{_n(n)} 名在任书记按小区类型与难题分为 {result.k} 类：{zh}{more_zh}。",
        f"The {_n(n)} secretaries in post fall into {result.k} kinds by community type "
        f"and challenges: {en}{more_en}.",
    )


def cluster_profiles(result) -> pd.DataFrame:
    """One row per cluster, every value readable (no tuples of codes and numbers)."""
    from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES

    lang = _lang.current()
    zh = lang == "zh"
    sep = "、" if zh else "; "
    rows = []
    for c, r in result.profiles.iterrows():
        types = sep.join(
            f"{COMMUNITY_TYPES[t].label(lang)} {s:.0%}"
            for t, s in zip(r["types"], r["type_shares"], strict=True)
        )
        challenges = sep.join(
            f"{CHALLENGES[code].label(lang)} {p:.0%}（{lift:.1f} 倍）"
            if zh
            else f"{CHALLENGES[code].label(lang)} {p:.0%} (x{lift:.1f})"
            for code, p, lift in zip(r["challenges"], r["prevalence"], r["lift"], strict=True)
        )
        rows.append(
            {
                "cluster_no": int(c),
                "cluster": r["name_zh" if zh else "name_en"],
                "size": int(r["size"]),
                "share": float(r["share"]),
                "types": types,
                "top_challenges": challenges or _lang.pick("无突出难题", "none stands out"),
                "median_age": r["median_age"],
                "median_years_in_post": r["median_years_in_post"],
                "stability": r["stability"],
            }
        )
    return pd.DataFrame(rows)


def cluster_members(result) -> pd.DataFrame:
    """Every secretary's cluster (``secretary_id``, ``name``, ``cluster``, ``in_post``)."""
    t = result.to_frame()
    return pd.DataFrame(
        {
            "secretary_id": t["secretary_id"],
            "name": t["name"],
            "cluster": t["cluster_name_zh" if _lang.current() == "zh" else "cluster_name_en"],
            "clustered": t["clustered"],
        }
    )


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


pick = _lang.pick


# --- Salon groups ---------------------------------------------------------------------


def _sizes(sizes) -> str:
    lo, hi = int(min(sizes)), int(max(sizes))
    return str(lo) if lo == hi else f"{lo}–{hi}"


def groups_headline(plan) -> tuple[str, str]:
    """The groups, their balance and their diversity against chance, in one sentence."""
    n = len(plan.groups)
    sizes = _sizes(plan.sizes.tolist())
    balanced = plan.violation == 0
    pct = plan.percentiles.get("same_rules")
    n_random = int((plan.random["baseline"] == "same_rules").sum()) if len(plan.random) else 0
    zh = f"{_n(n)} 名在任书记分为 {plan.n_groups} 个沙龙小组（每组 {sizes} 人）"
    en = f"{_n(n)} secretaries in post sit in {plan.n_groups} salon groups of {sizes}"
    if balanced:
        zh += "，各街镇、小区类型、年龄段和主持人在各组均匀分布（与平均份额相差不超过 1 人）"
        en += (
            "; every sub-district, community type, cohort and the facilitators are spread "
            "evenly (within one of an even share)"
        )
    else:
        zh += f"，有 {plan.violation} 处分布超出平均份额 ±1（规则所限）"
        en += (
            f"; {plan.violation} count(s) lie outside an even share ±1 (the rules allow no better)"
        )
    if pct is not None and np.isfinite(pct) and n_random:
        if pct >= 100:
            zh += f"；组内多样性高于同规则下全部 {_n(n_random)} 个随机分组。"
            en += (
                f"; diversity within groups beats every one of {_n(n_random)} random "
                "partitions under the same rules."
            )
        else:
            zh += f"；组内多样性高于同规则下 {_n(n_random)} 个随机分组中的 {pct:.0f}%。"
            en += (
                f"; diversity within groups beats {pct:.0f}% of {_n(n_random)} random "
                "partitions under the same rules."
            )
    else:
        zh += "。"
        en += "."
    return zh, en


def group_profiles(plan) -> pd.DataFrame:
    """One row per group: size, facilitators, lead, mix and diversity."""
    p = plan.profiles.reset_index()
    lead = plan.facilitators[plan.facilitators["lead"]].set_index("group")
    return pd.DataFrame(
        {
            "group": p["group"].astype(int),
            "size": p["size"].astype(int),
            "facilitators": p["facilitators"].astype(int),
            "lead": p["lead_name"],
            "lead_index": lead["capacity"].reindex(p["group"]).to_numpy(),
            "street_towns": p["street_towns"].astype(int),
            "community_types": p["community_types"].astype(int),
            "young": p["born_1980_or_later"].astype(int),
            "diversity": p["mean_distance"],
            "mean_capacity": p["mean_capacity"],
        }
    )


#: Labels of the columns of :func:`group_profiles` that are counts of kinds.
GROUP_PROFILE_LABELS = {
    "street_towns": ("街镇数", "Sub-districts", "int"),
    "community_types": ("小区类型数", "Community types", "int"),
    "young": ("80后人数", "Born 1980+", "int"),
    "diversity": ("组内平均距离", "Mean distance within", "float"),
}


def balance(plan, variable: str) -> pd.DataFrame:
    """Members of each category per group (groups as rows, categories as columns)."""
    from mentormatch.groups.terms import BALANCE_VARIABLES

    vocab = BALANCE_VARIABLES[variable][0]
    lang = _lang.current()
    b = plan.balance[plan.balance["variable"] == variable]
    wide = b.pivot(index="group", columns="category", values="count")
    codes = [c for c in vocab.codes if c in wide.columns]
    wide = wide.reindex(columns=codes).fillna(0).astype(int)
    wide.columns = [vocab[c].label(lang) for c in codes]
    wide.insert(0, "group", wide.index.astype(int))
    return wide.reset_index(drop=True)


def balance_title(variable: str) -> tuple[str, str]:
    from mentormatch.groups.terms import BALANCE_VARIABLES

    _, zh, en = BALANCE_VARIABLES[variable]
    return f"各组{zh}构成（人数）", f"{en} per group (members)"


_BASELINES = {
    "same_rules": ("同规则随机分组", "random, same rules"),
    "same_sizes": ("同规模随机分组", "random, same sizes"),
}


def against_random(plan) -> pd.DataFrame:
    """Our diversity against each kind of random partition."""
    rows = []
    for key, pct in plan.percentiles.items():
        sample = plan.random.loc[plan.random["baseline"] == key, "diversity"]
        if not len(sample):
            continue
        rows.append(
            {
                "baseline": _lang.pick(*_BASELINES[key]),
                "n_random": len(sample),
                "mean": float(sample.mean()),
                "sd": float(sample.std()),
                "max": float(sample.max()),
                "ours": float(plan.diversity),
                "percentile": float(pct),
            }
        )
    return pd.DataFrame(
        rows, columns=["baseline", "n_random", "mean", "sd", "max", "ours", "percentile"]
    )


def starts_sentence(plan) -> tuple[str, str]:
    s = plan.starts
    best = s.loc[s["best"]].iloc[0] if s["best"].any() else s.iloc[0]
    gain = float(best["diversity"] - best["start_diversity"])
    return (
        f"交换法从 {len(s)} 个起点出发，每个起点都交换到再也无法改进为止，取最好的一个："
        f"它经过 {int(best['swaps'])} 次交换，组内多样性提高了 {gain:.1f}。",
        f"The exchange method ran from {len(s)} starts, each until no single swap improves "
        f"it, and kept the best: {int(best['swaps'])} swaps, raising diversity by {gain:.1f}.",
    )


def topics(plan) -> pd.DataFrame:
    """The monthly topic plan: month, topic, kind and why, in the current language."""
    zh = _lang.current() == "zh"
    t = plan.topics
    kind = t["kind"].map(
        lambda k: (
            _lang.pick("难题", "challenge")
            if k == "challenge"
            else _lang.pick("组织力维度", "capacity dimension")
        )
    )
    return pd.DataFrame(
        {
            "month": t["month"].astype(int),
            "topic": t["label_zh" if zh else "label_en"],
            "kind": kind,
            "why": t["why_zh" if zh else "why_en"],
        }
    )


def group_members(plan) -> pd.DataFrame:
    """Every secretary's group, facilitator and lead, or why they have none."""
    from mentormatch.groups.terms import LEFT_THE_POST

    f = plan.to_frame()
    reason = f["reason"].map(
        lambda r: _lang.pick("已离任", "left the post") if r == LEFT_THE_POST else (r or "")
    )
    return pd.DataFrame(
        {
            "secretary_id": f["secretary_id"],
            "name": f["name"],
            "street_town": f["street_town"],
            "group": f["group"],
            "facilitator": f["facilitator"].astype(bool),
            "lead": f["lead"].astype(bool),
            "note": reason,
        }
    )


#: Labels of the columns of :func:`group_members` that read 是/否.
GROUP_MEMBER_LABELS = {
    "facilitator": ("主持人", "Facilitator", "bool"),
    "lead": ("组长", "Lead", "bool"),
}


# --- Evaluation -------------------------------------------------------------------------


def _ci(low: float, high: float, digits: int) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return "—"
    return f"{low:.{digits}f} – {high:.{digits}f}"


def _with_ci(value: float, low: float, high: float, digits: int, percent: bool = False) -> str:
    if not np.isfinite(value):
        return "—"
    if percent:
        return (
            f"{value:.0%}（{low:.0%} – {high:.0%}）"
            if _lang.current() == "zh"
            else (f"{value:.0%} ({low:.0%} – {high:.0%})")
        )
    inner = _ci(low, high, digits)
    return (
        f"{value:.{digits}f}（{inner}）"
        if _lang.current() == "zh"
        else f"{value:.{digits}f} ({inner})"
    )


def strategies(comparison) -> pd.DataFrame:
    """The strategies side by side, each figure with its interval, for reading."""
    from mentormatch.evaluate.baselines import STRATEGIES

    t = comparison.table
    i = 0 if _lang.current() == "zh" else 1
    return pd.DataFrame(
        {
            "strategy": [STRATEGIES[s][i] for s in t.index],
            "placed": t["placed"].to_numpy(),
            "mean_score_ci": [
                _with_ci(v, lo, hi, 3)
                for v, lo, hi in zip(
                    t["mean_score"], t["mean_score_low"], t["mean_score_high"], strict=True
                )
            ],
            "min_score": t["min_score"].to_numpy(),
            "coverage_ci": [
                _with_ci(v, lo, hi, 0, percent=True)
                for v, lo, hi in zip(
                    t["coverage_mentor_and_base"],
                    t["coverage_mentor_and_base_low"],
                    t["coverage_mentor_and_base_high"],
                    strict=True,
                )
            ],
            "near_share": t["near_share"].to_numpy(),
            "loads": [
                f"{lo:.0f}–{hi:.0f}" if np.isfinite(lo) else "—"
                for lo, hi in zip(t["load_min"], t["load_max"], strict=True)
            ],
            "blocking_pairs": t["blocking_pairs"].to_numpy(),
            "pct_random": (t["mean_score_pct_random"] / 100).to_numpy(),
        }
    )


#: Labels for :func:`strategies` where the general ones do not fit.
STRATEGY_LABELS = {
    "blocking_pairs": ("阻塞对", "Blocking pairs", "float"),
    "pct_random": ("平均匹配分优于随机方案的比例", "Mean score beats random plans", "percent"),
    "placed": ("结对人数", "Placed", "int"),
}


def quality_headline(comparison) -> tuple[str, str]:
    """Mean score and challenge coverage of the optimal plan against random plans."""
    t = comparison.table
    if "total" not in t.index or not np.isfinite(t.loc["total", "mean_score"]):
        note = t.loc["total", "note"] if "total" in t.index else ""
        return (
            f"无法比较匹配质量：最优方案无解（{note}）。",
            f"Pairing quality cannot be compared: the optimal plan has no solution ({note}).",
        )
    if "random" not in t.index:
        best = t.loc["total"]
        return (
            f"最优方案平均匹配分 {best['mean_score']:.2f}；未抽取随机方案作比较。",
            f"The optimal plan's mean pair score is {best['mean_score']:.2f}; no random plans "
            "were drawn to compare.",
        )
    best, rnd = t.loc["total"], t.loc["random"]
    n = comparison.n_random
    pct = best["mean_score_pct_random"]
    beats_zh = "高于全部" if pct >= 100 else f"高于 {pct:.0f}% 的"
    beats_en = "better than every one" if pct >= 100 else f"better than {pct:.0f}%"
    return (
        f"最优方案平均匹配分 {best['mean_score']:.2f}（95% 区间 "
        f"{_ci(best['mean_score_low'], best['mean_score_high'], 2)}），"
        f"{beats_zh} {_n(n)} 个随机方案"
        f"（随机平均 {rnd['mean_score']:.2f}）；书记的难题由带教老师与实训基地覆盖 "
        f"{best['coverage_mentor_and_base']:.0%}，随机方案 {rnd['coverage_mentor_and_base']:.0%}。",
        f"The optimal plan's mean pair score is {best['mean_score']:.2f} (95% interval "
        f"{_ci(best['mean_score_low'], best['mean_score_high'], 2)}), {beats_en} of {_n(n)} "
        f"random plans (random mean {rnd['mean_score']:.2f}); mentor and base cover "
        f"{best['coverage_mentor_and_base']:.0%} of the mentees' challenges, against "
        f"{rnd['coverage_mentor_and_base']:.0%} in random plans.",
    )


#: The quality figures of one plan (:func:`mentormatch.evaluate_plan`), as labelled.
QUALITY = {
    key: FIGURES[key]
    for key in (
        "mentees",
        "placed",
        "mean_score",
        "min_score",
        "coverage_mentor",
        "coverage_mentor_and_base",
        "same_unit_share",
        "near_share",
        "load_gini",
        "blocking_pairs",
        "rule_violations",
        "kept",
        "changed",
        "new",
        "kept_share",
    )
}


def effect(result) -> tuple[str, str]:
    """The programme effect with its interval (and the truth, when known)."""
    est, lo, hi = result.estimate, result.ci_low, result.ci_high
    zh = (
        f"带教使组织力指数平均提高 {est:+.2f} 分（95% 置信区间 {lo:+.2f} 至 {hi:+.2f}；"
        f"{_n(result.n_treated)} 名受带教书记，共 {_n(result.n_secretaries)} 名书记）"
    )
    en = (
        f"Mentoring raised the capacity index by {est:+.2f} points (95% interval {lo:+.2f} "
        f"to {hi:+.2f}; {_n(result.n_treated)} mentored of {_n(result.n_secretaries)} "
        "secretaries)"
    )
    if result.truth is not None:
        inside = lo <= result.truth <= hi
        zh += f"；合成数据的真实效应为 {result.truth:+.2f}，{'在' if inside else '不在'}区间内"
        where = "inside" if inside else "outside"
        en += f"; the synthetic data's true effect is {result.truth:+.2f}, {where} the interval"
    return zh + "。", en + "."


def effect_table(result) -> pd.DataFrame:
    row = {
        "estimate": result.estimate,
        "se": result.se,
        "ci": _ci(result.ci_low, result.ci_high, 2),
        "n_treated": result.n_treated,
        "n_secretaries": result.n_secretaries,
    }
    if result.truth is not None:
        row["truth"] = result.truth
    return pd.DataFrame([row])


def no_effect_headline(d) -> tuple[str, str]:
    """Why the programme effect cannot be estimated on this roster."""
    from mentormatch.evaluate.needs import explain

    return explain(d, "did", "zh"), explain(d, "did", "en")


def event_study(study) -> tuple[str, str]:
    p = study.pretrend_p
    t = study.table
    after = t[t["event_time"] >= 0]

    def year(label: str, zh: bool) -> str:
        if label.startswith(">="):
            return f"第 {label[2:]} 年及以后" if zh else f"year {label[2:]} on"
        return f"第 {label} 年" if zh else f"year {label}"

    effects_zh = "、".join(
        f"{year(str(r['label']), True)} {r['estimate']:+.1f}" for _, r in after.iterrows()
    )
    effects_en = ", ".join(
        f"{year(str(r['label']), False)}: {r['estimate']:+.1f}" for _, r in after.iterrows()
    )
    if not np.isfinite(p):
        test_zh = "带教开始前的年份太少，无法检验平行趋势"
        test_en = "Too few years before mentoring to test for parallel trends"
    elif p >= 0.05:
        test_zh = f"带教开始前各年的差异联合检验 p = {p:.2f}：无明显差异（平行趋势成立）"
        test_en = (
            f"Before mentoring the joint test of the leads gives p = {p:.2f}: no sign of "
            "diverging trends"
        )
    else:
        test_zh = f"带教开始前各年的差异联合检验 p = {p:.2f}：存在差异（平行趋势存疑）"
        test_en = (
            f"Before mentoring the joint test of the leads gives p = {p:.2f}: the trends diverge"
        )
    return (
        f"{test_zh}。开始后各年的效应：{effects_zh}。",
        f"{test_en}. Effects from the start year on: {effects_en}.",
    )


def dose(result) -> tuple[str, str]:
    if result.note:
        return (
            f"已知匹配分的受带教书记只有 {result.n_with_dose} 名（共 {result.n_mentored} 名），"
            "少于 20 名，无法估计效应如何随匹配分变化。",
            result.note,
        )
    zh = (
        f"已知匹配分的受带教书记 {result.n_with_dose} 名（共 {result.n_mentored} 名，平均匹配分 "
        f"{result.mean_dose:.2f}）：平均匹配分处的效应 {result.effect:+.2f}"
        f"（{result.effect_low:+.2f} 至 {result.effect_high:+.2f}），匹配分每高 0.1，"
        f"效应变化 {result.slope:+.2f}（{result.slope_low:+.2f} 至 "
        f"{result.slope_high:+.2f}）"
    )
    en = (
        f"Dose known for {result.n_with_dose} of {result.n_mentored} mentored secretaries "
        f"(mean pair score {result.mean_dose:.2f}): effect at the mean dose "
        f"{result.effect:+.2f} ({result.effect_low:+.2f} to {result.effect_high:+.2f}); per "
        f"0.1 of pair score {result.slope:+.2f} ({result.slope_low:+.2f} to "
        f"{result.slope_high:+.2f})"
    )
    if result.truth is not None:
        zh += f"；真实效应 {result.truth:+.2f}，真实斜率 {result.truth_slope:+.2f}"
        en += f"; true effect {result.truth:+.2f}, true slope {result.truth_slope:+.2f}"
    return zh + "。", en + "."


def dose_people(result, d) -> pd.DataFrame:
    p = result.people
    names = d.secretaries.set_index("secretary_id")["name"]
    mentors = d.mentors.set_index("mentor_id")["name"]
    return pd.DataFrame(
        {
            "name": p["secretary_id"].map(names),
            "mentor_name": p["mentor_id"].map(mentors),
            "dose": p["dose"],
            "own_effect": p["own_effect"],
        }
    )


DOSE_LABELS = {"own_effect": ("个人效应（估计）", "Own effect (estimate)", "float")}


def retention(result) -> tuple[str, str]:
    from mentormatch.evaluate.retention import COHORTS

    counts = result.people.groupby("group", sort=False)["left"].agg(["size", "sum"])
    zh_parts = "；".join(
        f"{COHORTS[g][0]}：{int(r['size'])} 人中 {int(r['sum'])} 人离任"
        for g, r in counts.iterrows()
    )
    en_parts = "; ".join(
        f"{COHORTS[g][1]}: {int(r['sum'])} of {int(r['size'])} left" for g, r in counts.iterrows()
    )
    p = result.logrank_p
    if np.isfinite(p):
        test_zh = f"对数秩检验 p = {p:.3f}"
        test_en = f"log-rank test p = {p:.3f}"
    else:
        test_zh = "离任人数太少，无法做对数秩检验"
        test_en = "too few departures for a log-rank test"
    return (
        f"自 {result.observed_from} 年起记录离任（截至 {result.censor_year} 年）："
        f"{zh_parts}；{test_zh}。",
        f"Departures recorded from {result.observed_from} (censored {result.censor_year}): "
        f"{en_parts}; {test_en}.",
    )


def retention_table(result) -> pd.DataFrame:
    from mentormatch.evaluate.retention import COHORTS

    t = result.table()
    i = 0 if _lang.current() == "zh" else 1
    return pd.DataFrame(
        {
            "cohort_name": t["group"].map(lambda g: COHORTS[g][i]),
            "years": t["years_in_post"].astype(int),
            "survival": t["still_in_post"],
            "ci": [
                f"{lo:.0%} – {hi:.0%}" if np.isfinite(lo) else "—"
                for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)
            ],
            "at_risk": t["at_risk"].astype(int),
        }
    )


RETENTION_LABELS = {"cohort_name": ("年龄段", "Cohort")}

_GROUPS = {
    "all": ("全体", "all"),
    "mentored": ("受带教", "mentored"),
    "not_mentored": ("未受带教", "not mentored"),
    "born_1980_or_later": ("80后、90后", "born 1980 or later"),
    "born_before_1980": ("1980年前出生", "born before 1980"),
}


def rare_events(result) -> pd.DataFrame:
    from mentormatch.vocab import CAREER_EVENTS

    t = result.to_frame()
    lang = _lang.current()
    i = 0 if lang == "zh" else 1
    return pd.DataFrame(
        {
            "event": t["event"].map(lambda e: CAREER_EVENTS[e].label(lang)),
            "group_name": t["group"].map(lambda g: _GROUPS.get(g, (g, g))[i]),
            "events": t["count"].astype(int),
            "n_secretaries": t["n"].astype(int),
            "rate": t["share"],
            "ci": [
                f"{lo:.1%} – {hi:.1%}" for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)
            ],
        }
    )


RARE_LABELS = {
    "event": ("事件", "Event"),
    "group_name": ("人群", "Group"),
}
