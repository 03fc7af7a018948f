"""When capacity falls short: which mentors need how many more places."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from mentormatch.district import District
from mentormatch.errors import InfeasibleError
from mentormatch.matching.encode import _inputs
from mentormatch.matching.plan import match
from mentormatch.matching.result import Plan


def places_to_add(d: District, plan: Plan) -> pd.Series:
    """For a partial plan: the mentors to give more places, and how many each, so that
    every unplaced mentee who has an allowed mentor can be placed with the one who
    fits them best (the highest score among the mentors not forbidden to them and
    within the plan's distance rule). ``mentor_id`` -> places, most first, then ID.

    One more place with the best fit places each such mentee without moving anyone
    else, so the total is at most the shortfall; mentees with no allowed mentor at all
    need a rule relaxed instead (their unplaced reason says so).
    """
    unplaced = plan.table.loc[plan.table["status"] == "unplaced", "secretary_id"]
    if unplaced.empty:
        return pd.Series(dtype="int64", name="places", index=pd.Index([], name="mentor_id"))
    _, total, _, forbidden, _ = _inputs(d, plan.weights or {}, plan.distance)
    banned = set(forbidden)
    best = []
    for sid in unplaced:
        allowed = total.loc[sid].dropna()
        allowed = allowed[[(sid, m) not in banned for m in allowed.index]]
        if len(allowed):
            best.append(allowed.sort_values(ascending=False, kind="stable").index[0])
    counts = pd.Series(best, dtype="str").value_counts()
    order = sorted(counts.index, key=lambda m: (-int(counts[m]), m))
    out = counts.reindex(order).astype("int64")
    out.index.name, out.name = "mentor_id", "places"
    return out


def shortfall_error(d: District, error: InfeasibleError, **options) -> InfeasibleError:
    """``error`` (a :func:`match` without ``partial`` found no plan) with what would
    fix it, in Chinese and English: when capacity is short, how many places and with
    which mentors (:func:`places_to_add`, from a partial plan under the same rules),
    or a partial plan (``--partial`` on the command line, ``partial=True`` here)."""
    if error.shortfall <= 0 and not error.unplaceable:
        return replace(
            error,
            reasons=[*error.reasons, "use --partial for a plan that places as many as possible"],
        )
    options = {k: v for k, v in options.items() if k in ("weights", "distance")}
    plan = match(d, "total", bases="none", partial=True, **options)
    adds = places_to_add(d, plan)
    names = dict(zip(d.mentors["mentor_id"], d.mentors["name"], strict=True))
    needing, places = len(d.mentees), int(d.mentors["capacity"].sum())
    short = int((plan.table["status"] == "unplaced").sum())
    zh, en = [], []
    if places < needing:
        zh.append(
            f"名额短缺 {needing - places} 个：需要带教的书记 {needing} 名，带教名额共 {places} 个"
        )
        en.append(f"capacity short by {needing - places}: {needing} mentees, {places} places")
    else:
        zh.append(
            f"按现有规则有 {short} 名书记无法结对（名额共 {places} 个，但规则限定了可选老师）"
        )
        en.append(
            f"{short} mentees cannot be placed under these rules ({places} places, but the "
            "rules limit whom they may go to)"
        )
    if len(adds):
        shown = list(adds.items())[:8]
        more_zh = f"等 {len(adds)} 位" if len(adds) > 8 else ""
        more_en = f" and {len(adds) - 8} more" if len(adds) > 8 else ""
        zh.append(
            "可为以下带教老师增加名额："
            + "、".join(f"{names[m]}（{m}）{n} 个" for m, n in shown)
            + more_zh
        )
        en.append(
            "give more places to these mentors: "
            + ", ".join(f"{names[m]} ({m}) {n}" for m, n in shown)
            + more_en
        )
    hopeless = short - int(adds.sum())
    if hopeless > 0:
        zh.append(f"另有 {hopeless} 名书记没有可选的带教老师，须放宽距离限制或回避规则")
        en.append(
            f"{hopeless} more have no allowed mentor at all: relax the distance rule or a "
            "forbid rule"
        )
    zh[-1] += "；或使用 --partial 生成部分方案，未结对的书记会列出原因"
    en[-1] += "; or use --partial for a partial plan that lists the unplaced with their reasons"
    return replace(
        error,
        reasons=en,
        reasons_zh=zh,
        details={**error.details, "places_to_add": adds.to_dict()},
    )
