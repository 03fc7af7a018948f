"""Reasons and alternates for a Region's plan, in the words of a District's plan.

A District's plan table says for every pair why it was made (shared challenges, the
units, community types, continuity, what the base adds) and names two alternates with
room left (:mod:`mentormatch.matching.explain`). A Region's plan gets the same, from
its integer codes and bitmasks: the alternates are each mentee's best other
candidates whose mentor still has room; the reasons are assembled from the pair's
components with the District's wording, each distinct list of challenges put into
words once. A Region has no names, so mentors and units are named by ID (units by
their vocabulary name when they have one).

Examples
--------
>>> from mentormatch.region_synth import synthesize_region
>>> from mentormatch.region_plan import match_region
>>> r = synthesize_region(seed=1, n_secretaries=2_000, n_mentors=100, n_bases=130)
>>> words = explain(r, match_region(r))
>>> words.columns.tolist()
['reason_zh', 'reason_en', 'alternate_1', 'alternate_2', 'unplaced_reason_zh', 'unplaced_reason']
>>> words["reason_en"].iloc[0].split(";")[0]  # doctest: +ELLIPSIS
'shared challenges: ...'
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from mentormatch.candidates import pair_scores
from mentormatch.matching import explain as words
from mentormatch.region import Region, decode_masks
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES, STREET_TOWNS, type_affinity

__all__ = ["explain", "alternates"]


def alternates(region: Region, plan, n: int = 2) -> pd.DataFrame:
    """The ``n`` best other candidates of each mentee whose mentor has room left, best
    first (ties by mentor position), as text ``"<mentor ID> (<score>)"``."""
    c = plan.candidates
    at = np.searchsorted(plan.mentees, c.mentee)
    load = np.bincount(plan.mentor[plan.mentor >= 0], minlength=len(region.mentors))
    room = region.mentors["capacity"].to_numpy() - load
    ok = (c.mentor != plan.mentor[at]) & (room[c.mentor] > 0)
    order = np.lexsort((c.mentor[ok], -c.score[ok], at[ok]))
    who, whom, score = at[ok][order], c.mentor[ok][order], c.score[ok][order]
    rank = np.arange(len(who)) - np.searchsorted(who, who)
    ids = region.mentors.index.to_numpy()
    out = {}
    for k in range(n):
        text = np.full(len(plan.mentees), None, dtype=object)
        pick = rank == k
        text[who[pick]] = [
            f"{ids[j]} ({s:.2f})" for j, s in zip(whom[pick], score[pick], strict=True)
        ]
        out[f"alternate_{k + 1}"] = text
    return pd.DataFrame(out)


def explain(region: Region, plan) -> pd.DataFrame:
    """Per mentee of ``plan`` (a :class:`~mentormatch.region_plan.RegionPlan`): the
    reason for its pair (Chinese, English), two alternates, and for an unplaced mentee
    why, as the District's plan table has them."""
    s, m = region.secretaries, region.mentors
    n = len(plan.mentees)
    placed = np.flatnonzero(plan.mentor >= 0)
    zh = np.full(n, "", dtype=object)
    en = np.full(n, "", dtype=object)
    if len(placed):
        i, j = plan.mentees[placed], plan.mentor[placed]
        parts = pair_scores(region, i, j, components=True)
        need = s["challenges"].to_numpy()[i]
        know = m["expertise"].to_numpy()[j]
        themes = None
        if plan.bases is not None:
            base = plan.bases.base[placed]
            themes = np.where(base >= 0, region.bases["themes"].to_numpy()[np.maximum(base, 0)], 0)
        kept = _kept(plan)[placed]
        unit_name = _unit_names(region)
        mentee_unit, mentor_unit = s["unit"].to_numpy()[i], m["unit"].to_numpy()[j]
        mtype, mtypes = s["community_type"].to_numpy()[i], m["community_types"].to_numpy()[j]
        previous = s["previous_mentor"].to_numpy()[i]
        proximity = parts["proximity"].to_numpy()
        type_part = parts["type"].to_numpy()
        continuity = parts["continuity"].to_numpy()
        for r in range(len(placed)):
            out: tuple[list, list] = ([], [])
            if kept[r]:
                _say(out, words._KEPT)
            shared = int(need[r] & know[r])
            if shared:
                _say(out, words._SHARED, _challenges(shared))
            else:
                _say(out, words._NO_SHARED)
            if proximity[r] >= 1.0:
                _say(out, words._SAME_UNIT, unit_name(mentee_unit[r]))
            elif proximity[r] > 0:
                _say(out, words._NEAR_UNIT, unit_name(mentor_unit[r]))
            else:
                _say(out, words._FAR_UNIT, unit_name(mentor_unit[r]))
            if (int(mtypes[r]) >> int(mtype[r])) & 1:
                _say(out, words._TYPE_EXP, _type(int(mtype[r])))
            elif type_part[r] > 0:
                _say(out, words._RELATED_TYPE, _type(_closest(int(mtype[r]), int(mtypes[r]))))
            if continuity[r] > 0:
                _say(out, words._CONTINUED if previous[r] == j[r] else words._HISTORY)
            if themes is not None and base[r] >= 0:
                added = int(need[r] & themes[r] & ~know[r])
                if added:
                    _say(out, words._BASE, _challenges(added))
                else:
                    _say(out, words._BASE_NEAR)
            zh[placed[r]], en[placed[r]] = "；".join(out[0]), "; ".join(out[1])
    table = pd.DataFrame({"reason_zh": zh, "reason_en": en})
    table = pd.concat([table, alternates(region, plan)], axis=1)
    why_zh, why_en = _why_unplaced(region, plan)
    table["unplaced_reason_zh"], table["unplaced_reason"] = why_zh, why_en
    return table


def _say(out: tuple[list, list], template: tuple[str, str], *args: tuple[str, str]) -> None:
    out[0].append(template[0].format(*(a[0] for a in args)))
    out[1].append(template[1].format(*(a[1] for a in args)))


def _kept(plan) -> np.ndarray:
    kept = np.zeros(len(plan.mentees), dtype=bool)
    has = plan.solution.edge >= 0
    kept[has] = plan.candidates.required[plan.solution.edge[has]]
    return kept


@lru_cache(maxsize=4096)
def _challenges(mask: int) -> tuple[str, str]:
    codes = decode_masks(np.array([mask], dtype=np.uint32), CHALLENGES.codes)[0]
    return words._challenge_list(list(codes))


def _type(position: int) -> tuple[str, str]:
    t = COMMUNITY_TYPES[COMMUNITY_TYPES.codes[position]]
    return t.zh, t.en.lower()


def _closest(mentee_type: int, known: int) -> int:
    """The mentor's known type closest to the mentee's (first among equals)."""
    codes = COMMUNITY_TYPES.codes
    options = [b for b in range(len(codes)) if (known >> b) & 1]
    return max(options, key=lambda b: type_affinity(codes[b], codes[mentee_type]))


def _unit_names(region: Region):
    names = region.units["name"].tolist() if "name" in region.units else None

    def name(unit: int) -> tuple[str, str]:
        code = names[unit] if names is not None else None
        if code in STREET_TOWNS.codes:
            return STREET_TOWNS[code].zh, STREET_TOWNS[code].en
        if code is not None:
            return str(code), str(code)
        return f"{unit}号街镇", f"unit {unit}"

    return name


def _why_unplaced(region: Region, plan) -> tuple[np.ndarray, np.ndarray]:
    """For each unplaced mentee: no candidate at all, or candidates all full (and which
    two, best first, would place it with one more place), or room held by other rules."""
    n = len(plan.mentees)
    zh = np.full(n, "", dtype=object)
    en = np.full(n, "", dtype=object)
    unplaced = np.flatnonzero(plan.mentor < 0)
    if not len(unplaced):
        return zh, en
    c = plan.candidates
    at = np.searchsorted(plan.mentees, c.mentee)
    load = np.bincount(plan.mentor[plan.mentor >= 0], minlength=len(region.mentors))
    room = region.mentors["capacity"].to_numpy() - load
    ids = region.mentors.index.to_numpy()
    start = np.searchsorted(at, np.arange(n + 1))
    for u in unplaced.tolist():
        mine = np.arange(start[u], start[u + 1])
        if not len(mine):
            zh[u] = "所有带教老师均被规则排除或超出距离限制；放宽距离限制或约束表中的回避规则可结对"
            en[u] = (
                "every mentor is forbidden or out of range for this secretary; relaxing the "
                "distance rule or a forbid rule in the constraints table would place them"
            )
            continue
        ranked = mine[np.lexsort((c.mentor[mine], -c.score[mine]))]
        open_ = ranked[room[c.mentor[ranked]] > 0]
        if len(open_):
            who = [str(ids[c.mentor[e]]) for e in open_[:3]]
            zh[u] = (
                f"{'、'.join(who)}尚有空余名额，但方案的其他规则（最少带教人数或保留的结对）占用了名额"
            )
            en[u] = (
                f"{', '.join(who)} have places left, but the plan's other rules "
                "(minimum loads or pairs to keep) use them"
            )
            continue
        best = [str(ids[c.mentor[e]]) for e in ranked[:2]]
        zh[u] = f"可选的 {len(ranked)} 位带教老师名额已满；为{'或'.join(best)}增加 1 个名额即可结对"
        en[u] = (
            f"all {len(ranked)} allowed mentors are full; one more place with "
            f"{' or '.join(best)} (the best fits) would place them"
        )
    return zh, en
