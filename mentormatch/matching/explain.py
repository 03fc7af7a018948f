"""The plan table: per secretary its mentor, base, score components, reason and alternates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.district import DEPARTURE_EVENTS, District
from mentormatch.matching.result import _text
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES, STREET_TOWNS, type_affinity

# Wording of reasons, in one place (Chinese, English).
_SHARED = ("共同难题：{}", "shared challenges: {}")

_NO_SHARED = ("难题无直接对应", "no challenge in common")

_SAME_UNIT = ("同属{}", "both in {}")

_NEAR_UNIT = ("相邻街镇（{}）", "neighbouring unit ({})")

_FAR_UNIT = ("不相邻的街镇（{}）", "a unit not neighbouring ({})")

_TYPE_EXP = ("有{}经验", "experience with {}")

_RELATED_TYPE = ("有相近小区（{}）经验", "experience with a related kind of estate ({})")

_HISTORY = ("曾在带教老师所在居民区工作", "served earlier in the mentor's community")

_CONTINUED = ("延续上一周期带教关系", "continues last cycle's pairing")

_BASE = ("基地补充：{}", "base adds: {}")

_BASE_NEAR = ("基地就近", "base nearby")

_KEPT = ("按约束保留", "kept by rule")


def _alternates(
    sid: str, mid: object, allowed: pd.Series, has_room: dict, banned: set, n: int = 2
) -> list[tuple[str, float]]:
    """The ``n`` best other mentors with room left, best first (ties by roster order)."""
    values = allowed.to_numpy(dtype=float)
    out = []
    for j in np.argsort(-np.nan_to_num(values, nan=-np.inf), kind="stable"):
        m = allowed.index[j]
        if np.isnan(values[j]) or len(out) == n:
            break
        if m != mid and has_room[m] and (sid, m) not in banned:
            out.append((m, float(values[j])))
    return out


def _table(
    d: District,
    scores: pd.DataFrame,
    total: pd.DataFrame,
    capacity: pd.Series,
    choice: pd.Series,
    base_choice: pd.Series | None,
    forbidden: list,
    required: list,
) -> pd.DataFrame:
    s = d.secretaries
    departed = d.departed.to_numpy()
    departed_year = (
        d.career[d.career["event"].isin(DEPARTURE_EVENTS)].groupby("secretary_id")["year"].max()
    )
    mentees = set(total.index)
    mentor_names = d.mentors.set_index("mentor_id")["name"]
    base_names = d.bases.set_index("base_id")["name"]
    by_pair = scores.set_index(["secretary_id", "mentor_id"])
    load = choice.dropna().value_counts().reindex(capacity.index, fill_value=0)
    room = capacity - load
    mentor_rows = d.mentors.set_index("mentor_id")
    base_rows = d.bases.set_index("base_id")
    kept = set(required)
    banned = set(forbidden)
    has_room = {m: bool(r > 0) for m, r in room.items()}
    rows = []
    for i, sec in enumerate(s.itertuples(index=False)):
        sid = sec.secretary_id
        row = {
            "secretary_id": sid,
            "name": sec.name,
            "street_town": sec.street_town,
            "community_name": sec.community_name,
            "community_type": sec.community_type,
            "status": "not_needed",
            "mentor_id": None,
            "mentor_name": None,
            "score": np.nan,
            "challenge": np.nan,
            "type": np.nan,
            "proximity": np.nan,
            "continuity": np.nan,
            "base_id": None,
            "base_name": None,
            "coverage": np.nan,
            "reason_zh": "",
            "reason_en": "",
            "alternate_1": None,
            "alternate_2": None,
            "unplaced_reason": "",
            "unplaced_reason_zh": "",
        }
        if departed[i]:
            row["status"] = "departed"
            year = departed_year.get(sid)
            row["unplaced_reason"] = f"left the post in {year}" if year else "left the post"
            row["unplaced_reason_zh"] = f"已于{year}年离任" if year else "已离任"
        elif sid in mentees:
            mid = choice.get(sid)
            allowed = total.loc[sid]
            if isinstance(mid, str):
                pair = by_pair.loc[(sid, mid)]
                row.update(
                    status="placed",
                    mentor_id=mid,
                    mentor_name=mentor_names[mid],
                    score=float(pair["total"]),
                    challenge=float(pair["challenge"]),
                    type=float(pair["type"]),
                    proximity=float(pair["proximity"]),
                    continuity=float(pair["continuity"]),
                )
                bid = base_choice.get(sid) if base_choice is not None else None
                base = base_rows.loc[bid] if isinstance(bid, str) else None
                if base is not None:
                    row.update(base_id=bid, base_name=base_names[bid])
                row["coverage"] = _covered(sec.challenges, mentor_rows.loc[mid], base)
                zh, en = _reason(sec, mentor_rows.loc[mid], pair, base, (sid, mid) in kept)
                row.update(reason_zh=zh, reason_en=en)
            else:
                row["status"] = "unplaced"
                zh, en = _why_unplaced(sid, allowed, forbidden, room, mentor_names)
                row.update(unplaced_reason=en, unplaced_reason_zh=zh)
            for k, (m, value) in enumerate(_alternates(sid, mid, allowed, has_room, banned), 1):
                row[f"alternate_{k}"] = f"{m} {mentor_names[m]} ({value:.2f})"
        rows.append(row)
    table = pd.DataFrame(rows)
    for col in ("mentor_id", "mentor_name", "base_id", "base_name", "alternate_1", "alternate_2"):
        table[col] = _text(table[col])
    return table


def _covered(challenges: tuple, mentor: pd.Series, base: pd.Series | None) -> float:
    if not challenges:
        return np.nan
    covered = set(mentor["expertise"]) | (set(base["themes"]) if base is not None else set())
    return round(len(set(challenges) & covered) / len(challenges), 4)


def _challenge_list(codes: list[str]) -> tuple[str, str]:
    """Challenges named in Chinese (joined with 、) and in English (with commas)."""
    return "、".join(CHALLENGES[c].zh for c in codes), ", ".join(
        CHALLENGES[c].en.lower() for c in codes
    )


def _reason(sec, mentor: pd.Series, pair: pd.Series, base: pd.Series | None, kept: bool):
    """Why this pair, in Chinese and English, from the score's components."""
    zh, en = [], []

    def say(template: tuple[str, str], *args: tuple[str, str]) -> None:
        zh.append(template[0].format(*(a[0] for a in args)))
        en.append(template[1].format(*(a[1] for a in args)))

    if kept:
        say(_KEPT)
    shared = [c for c in sec.challenges if c in set(mentor["expertise"])]
    if shared:
        say(_SHARED, _challenge_list(shared))
    else:
        say(_NO_SHARED)
    unit = STREET_TOWNS[sec.street_town]
    mentor_unit = STREET_TOWNS[mentor["street_town"]]
    if pair["proximity"] >= 1.0:
        say(_SAME_UNIT, (unit.zh, unit.en))
    elif pair["proximity"] > 0:
        say(_NEAR_UNIT, (mentor_unit.zh, mentor_unit.en))
    else:
        say(_FAR_UNIT, (mentor_unit.zh, mentor_unit.en))
    ctype = COMMUNITY_TYPES[sec.community_type]
    if sec.community_type in mentor["community_types"]:
        say(_TYPE_EXP, (ctype.zh, ctype.en.lower()))
    elif pair["type"] > 0:
        best = max(mentor["community_types"], key=lambda t: type_affinity(t, sec.community_type))
        say(_RELATED_TYPE, (COMMUNITY_TYPES[best].zh, COMMUNITY_TYPES[best].en.lower()))
    if pair["continuity"] > 0:
        previous = sec.previous_mentor_id
        say(_CONTINUED if isinstance(previous, str) and previous == mentor.name else _HISTORY)
    if base is not None:
        added = [
            c
            for c in sec.challenges
            if c in set(base["themes"]) and c not in set(mentor["expertise"])
        ]
        if added:
            say(_BASE, _challenge_list(added))
        else:
            say(_BASE_NEAR)
    return "；".join(zh), "; ".join(en)


def _why_unplaced(
    sid: str, allowed: pd.Series, forbidden: list, room: pd.Series, names: pd.Series
) -> tuple[str, str]:
    """Why a mentee has no mentor and what would place them (Chinese, English)."""
    banned = {m for s, m in forbidden if s == sid}
    scores = allowed.dropna()
    open_mentors = [
        m for m in scores.sort_values(ascending=False, kind="stable").index if m not in banned
    ]
    labels = [(f"{names[m]}（{m}）", f"{names[m]} ({m})") for m in open_mentors]
    return unplaced_words(labels, [room.get(m, 0) > 0 for m in open_mentors])


def unplaced_words(mentors: list[tuple[str, str]], has_room: list[bool]) -> tuple[str, str]:
    """Why a mentee is unplaced, in Chinese and English, from its allowed mentors (their
    labels in both languages, best first) and whether each still has room: none allowed,
    some with room held by other rules, or all full (and whom one more place would suit).
    The wording of a District's plan and a Region's alike."""
    if not mentors:
        return (
            "所有带教老师均被规则排除或超出距离限制；放宽距离限制或约束表中的回避规则可结对",
            "every mentor is forbidden or out of range for this secretary; relaxing the "
            "distance rule or a forbid rule in the constraints table would place them",
        )
    with_room = [label for label, room in zip(mentors, has_room, strict=True) if room]
    if with_room:
        who_zh = "、".join(zh for zh, _ in with_room[:3])
        who_en = ", ".join(en for _, en in with_room[:3])
        return (
            f"{who_zh}尚有空余名额，但方案的其他规则（最少带教人数或保留的结对）占用了名额",
            f"{who_en} have places left, but the plan's other rules "
            "(minimum loads or pairs to keep) use them",
        )
    who_zh = "或".join(zh for zh, _ in mentors[:2])
    who_en = " or ".join(en for _, en in mentors[:2])
    return (
        f"可选的 {len(mentors)} 位带教老师名额已满；为{who_zh}增加 1 个名额即可结对",
        f"all {len(mentors)} allowed mentors are full; one more place with "
        f"{who_en} (the best fits) would place them",
    )


def _loads(d: District, table: pd.DataFrame) -> pd.DataFrame:
    placed = table[table["status"] == "placed"]
    load = placed["mentor_id"].value_counts()
    out = d.mentors[["mentor_id", "name", "street_town", "capacity", "min_load"]].copy()
    out["load"] = out["mentor_id"].map(load).fillna(0).astype(int)
    return out


def _coverage(table: pd.DataFrame) -> dict:
    """Mean coverage over placed mentees who name a challenge (others say nothing)."""
    placed = table[(table["status"] == "placed") & table["coverage"].notna()]
    if placed.empty:
        return {"mentor": np.nan, "mentor_and_base": np.nan}
    return {
        "mentor": round(float(placed["challenge"].mean()), 4),
        "mentor_and_base": round(float(placed["coverage"].mean()), 4),
    }
