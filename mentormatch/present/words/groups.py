"""Part 04 of the report, the salon groups: the groups in a sentence, their profiles and
balance, their diversity against random partitions, the topic plan and every
secretary's group."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch import lang as _lang
from mentormatch.present.words._common import _n

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
