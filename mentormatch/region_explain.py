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


def _room(region: Region, plan) -> np.ndarray:
    """Places each mentor has left in the plan."""
    load = np.bincount(plan.mentor[plan.mentor >= 0], minlength=len(region.mentors))
    return region.mentors["capacity"].to_numpy() - load


def alternates(region: Region, plan, n: int = 2, room: np.ndarray | None = None) -> pd.DataFrame:
    """The ``n`` best other candidates of each mentee whose mentor has room left, best
    first (ties by mentor position), as text ``"<mentor ID> (<score>)"``."""
    c = plan.candidates
    at = np.searchsorted(plan.mentees, c.mentee)
    room = _room(region, plan) if room is None else room
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
    room = _room(region, plan)
    table = pd.concat([table, alternates(region, plan, room=room)], axis=1)
    why_zh, why_en = _why_unplaced(region, plan, room)
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


def _why_unplaced(region: Region, plan, room: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each unplaced mentee, in the District plan's words
    (:func:`mentormatch.matching.explain.unplaced_words`) over its candidates."""
    n = len(plan.mentees)
    zh = np.full(n, "", dtype=object)
    en = np.full(n, "", dtype=object)
    c = plan.candidates
    at = np.searchsorted(plan.mentees, c.mentee)
    ids = region.mentors.index.to_numpy()
    start = np.searchsorted(at, np.arange(n + 1))
    for u in np.flatnonzero(plan.mentor < 0).tolist():
        mine = np.arange(start[u], start[u + 1])
        ranked = c.mentor[mine[np.lexsort((c.mentor[mine], -c.score[mine]))]]
        labels = [(str(ids[j]), str(ids[j])) for j in ranked]
        zh[u], en[u] = words.unplaced_words(labels, (room[ranked] > 0).tolist())
    return zh, en
