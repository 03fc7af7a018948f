"""Calibration: the published figures against a synthetic district's own, and the
district's targets (as shares) against a synthetic region's."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.region import Region
from mentormatch.scoring import popcount
from mentormatch.synth.assumptions import (
    MAX_CHALLENGES,
    PUBLISHED,
    TYPE_MIX,
    TYPE_ORDER,
    UNIT_COUNTS,
    VILLAGE_UNIT,
)
from mentormatch.synth.communities import challenge_rates
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES, EDUCATION, UNIVERSITY_LEVELS

__all__ = ["district_calibration", "region_calibration"]


def district_calibration(d: District) -> pd.DataFrame:
    """Published figures against a district's own: one row per target.

    Columns ``target`` (English), ``target_zh``, ``published``, ``district`` and ``met``.

    >>> import mentormatch as mm
    >>> t = district_calibration(mm.synthesize_district())
    >>> bool(t["met"].all())
    True
    """
    post = d.in_post
    events = d.career["event"].value_counts()
    villages = post[post["community_type"] == "village"]
    young = float((post["birth_year"] >= 1980).mean()) if len(post) else 0.0
    rows = [
        ("Secretaries in post", "居村党组织书记", 282, len(post), len(post) == 282),
        (
            "Born 1980 or later",
            "80后、90后占比",
            "> 1/4",
            f"{young:.1%}",
            young > PUBLISHED["born_1980_or_later_share_min"],
        ),
        (
            "University degree or higher",
            "大学及以上学历",
            139,
            int(post["education"].isin(UNIVERSITY_LEVELS).sum()),
            int(post["education"].isin(UNIVERSITY_LEVELS).sum()) == 139,
        ),
        ("Mentors", "带教老师", 13, len(d.mentors), len(d.mentors) == 13),
        ("Practice bases", "实教实训基地", 20, len(d.bases), len(d.bases) == 20),
        (
            "Sub-districts and towns",
            "街镇",
            10,
            post["street_town"].nunique(),
            post["street_town"].nunique() == 10,
        ),
        (
            "Villages (all in Taopu)",
            "村（桃浦镇）",
            3,
            len(villages),
            len(villages) == 3 and set(villages["street_town"]) <= {VILLAGE_UNIT},
        ),
        (
            "Rank promotions",
            "岗位等级晋升",
            6,
            int(events.get("promoted", 0)),
            int(events.get("promoted", 0)) == 6,
        ),
        (
            "Recruited as civil servants",
            "定向招录公务员",
            4,
            int(events.get("civil_servant", 0)),
            int(events.get("civil_servant", 0)) == 4,
        ),
        (
            "Mentees per mentor",
            "每名带教老师带教人数",
            "about 5",
            f"{len(d.mentees) / max(len(d.mentors), 1):.1f}",
            4.0 <= len(d.mentees) / max(len(d.mentors), 1) <= 6.5,
        ),
    ]
    return pd.DataFrame(rows, columns=["target", "target_zh", "published", "district", "met"])


def _district_type_mix() -> pd.Series:
    """The community-type mix the synthetic district is drawn from."""
    total = sum(UNIT_COUNTS.values())
    villages = PUBLISHED["villages_in_taopu"]
    mix = dict.fromkeys(COMMUNITY_TYPES.codes, 0.0)
    for unit, count in UNIT_COUNTS.items():
        urban = count - (villages if unit == VILLAGE_UNIT else 0)
        weights = np.array(TYPE_MIX[unit]) / sum(TYPE_MIX[unit])
        for t, w in zip(TYPE_ORDER, weights, strict=True):
            mix[t] += urban * w / total
    mix["village"] = villages / total
    return pd.Series(mix)


def region_calibration(region: Region) -> pd.DataFrame:
    """The district's calibration targets as shares, against a region's own.

    Columns ``target``, ``expected``, ``region`` and ``met``: born 1980 or later (over
    1/4), university degree (139 of 282), mentees per mentor (about 5), every county
    with places for its mentees, the community-type mix (within 3 points of the
    district's) and each type's challenge rates (within 5 points of the district's
    base rates, within 10 points, where a type has at least 100 communities: the draw
    scales ageing-linked rates and caps the number of challenges, as the district's does).

    >>> from mentormatch.region_synth import synthesize_region
    >>> r = synthesize_region(seed=3, n_secretaries=3_000, n_mentors=150, n_bases=200)
    >>> bool(region_calibration(r)["met"].all())
    True
    """
    s, m = region.secretaries, region.mentors
    young = float((s["birth_year"] >= 1980).mean())
    university = float(
        s["education"].isin([EDUCATION.codes.index(c) for c in UNIVERSITY_LEVELS]).mean()
    )
    published_university = PUBLISHED["university_degree"] / PUBLISHED["secretaries_in_post"]
    per_mentor = len(region.mentees) / max(len(m), 1)
    places = m.groupby("county")["capacity"].sum()
    demand = s[s["needs_mentor"]].groupby("county").size()
    enough = bool((places.reindex(demand.index, fill_value=0) >= demand).all())
    rows = [
        (
            "born 1980 or later",
            f"> {PUBLISHED['born_1980_or_later_share_min']}",
            round(young, 3),
            young > PUBLISHED["born_1980_or_later_share_min"],
        ),
        (
            "university degree or higher",
            round(published_university, 3),
            round(university, 3),
            abs(university - published_university) < 0.01,
        ),
        ("mentees per mentor", "about 5", round(per_mentor, 2), 4.0 <= per_mentor <= 6.5),
        ("every county has places for its mentees", True, enough, enough),
    ]
    expected_mix = _district_type_mix()
    mix = (
        s["community_type"].value_counts(normalize=True).reindex(range(len(COMMUNITY_TYPES)))
    ).fillna(0.0)
    for j, t in enumerate(COMMUNITY_TYPES.codes):
        rows.append(
            (
                f"share of {t}",
                round(float(expected_mix[t]), 3),
                round(float(mix[j]), 3),
                abs(float(mix[j]) - float(expected_mix[t])) < 0.03,
            )
        )
    # Challenge rates per type: the district's draw (rates scaled by the share aged 60+,
    # at least one, at most MAX_CHALLENGES) gives rates near the base rates; compare the
    # rate of having each type's three most likely challenges.
    masks = s["challenges"].to_numpy()
    for j, t in enumerate(COMMUNITY_TYPES.codes):
        rows_t = (s["community_type"] == j).to_numpy()
        if rows_t.sum() < 100:
            continue
        base = challenge_rates(t)
        for b in np.argsort(-base, kind="stable")[:3]:
            rate = float(((masks[rows_t] >> np.uint32(b)) & 1).mean())
            rows.append(
                (
                    f"{t}: {CHALLENGES.codes[b]}",
                    round(float(base[b]), 3),
                    round(rate, 3),
                    abs(rate - base[b]) < 0.1,
                )
            )
    rows.append(
        (
            "challenges per community",
            f"1..{MAX_CHALLENGES}",
            round(float(popcount(masks).mean()), 2),
            bool(popcount(masks).min() >= 1 and popcount(masks).max() <= MAX_CHALLENGES),
        )
    )
    return pd.DataFrame(rows, columns=["target", "expected", "region", "met"])
