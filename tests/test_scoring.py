"""Pair scores: components by hand, weights, ranges."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.scoring import MENTOR_WEIGHTS, parse_weights, proximity_matrix, score_pairs


def _district(small, mentee: dict, mentor: dict) -> mm.District:
    s = small.secretaries.copy()
    i = s.index[s["needs_mentor"]][0]
    for k, v in mentee.items():
        s.at[i, k] = v
    m = small.mentors.copy()
    for k, v in mentor.items():
        m.at[0, k] = v
    return small.replace(secretaries=s, mentors=m), s.at[i, "secretary_id"], m.at[0, "mentor_id"]


def _pair(scores: pd.DataFrame, sid: str, mid: str) -> pd.Series:
    return scores[(scores["secretary_id"] == sid) & (scores["mentor_id"] == mid)].iloc[0]


def test_components_by_hand(small):
    d, sid, mid = _district(
        small,
        {
            "challenges": ("lift_retrofit", "parking", "ageing", "waste_sorting"),
            "community_type": "sold_public_housing",
            "street_town": "taopu",
            "prior_communities": (),
            "previous_mentor_id": float("nan"),
        },
        {
            "expertise": ("lift_retrofit", "parking", "hardship"),
            "community_types": ("old_public_housing", "village"),
            "street_town": "wanli",
            "community_id": "C-OTHER",
        },
    )
    row = _pair(score_pairs(d), sid, mid)
    assert row["challenge"] == pytest.approx(2 / 4)
    assert row["type"] == pytest.approx(0.75)  # old public ~ sold public housing
    assert row["proximity"] == pytest.approx(0.5)  # Taopu borders Wanli
    assert row["continuity"] == 0.0
    w = MENTOR_WEIGHTS
    assert row["total"] == pytest.approx(
        w["challenge"] * 0.5 + w["type"] * 0.75 + w["proximity"] * 0.5
    )
    assert row["mentor_view"] == pytest.approx(
        w["challenge"] * 2 / 3 + w["type"] * 0.75 + w["proximity"] * 0.5
    )


def test_continuity_from_shared_history_or_previous_pairing(small):
    d, sid, mid = _district(
        small, {"prior_communities": ("C-LIANHUA",)}, {"community_id": "C-LIANHUA"}
    )
    assert _pair(score_pairs(d), sid, mid)["continuity"] == 1.0
    d, sid, mid = _district(
        small,
        {"prior_communities": (), "previous_mentor_id": "M001"},
        {"community_id": "C-ELSEWHERE"},
    )
    assert mid == "M001"
    assert _pair(score_pairs(d), sid, mid)["continuity"] == 1.0


def test_no_challenges_scores_zero_challenge_fit(small):
    d, sid, mid = _district(small, {"challenges": ()}, {})
    assert _pair(score_pairs(d), sid, mid)["challenge"] == 0.0


def test_one_row_per_mentee_and_mentor(sample):
    s = score_pairs(sample)
    assert len(s) == len(sample.mentees) * len(sample.mentors)
    assert not s.duplicated(["secretary_id", "mentor_id"]).any()
    assert s[["total", "challenge", "type", "proximity", "continuity"]].stack().between(0, 1).all()


def test_weights_change_the_total(sample):
    a = score_pairs(sample)
    b = score_pairs(sample, "proximity=1")
    assert (b["total"] == b["proximity"]).all()
    assert not a["total"].equals(b["total"])


@pytest.mark.parametrize("bad", ["gossip=1", "challenge=x", "challenge", "challenge=-1", "type=0"])
def test_bad_weights(bad):
    with pytest.raises(mm.DataError):
        parse_weights(bad)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.sampled_from(list(MENTOR_WEIGHTS)), st.floats(0, 10), min_size=1))
def test_weights_normalise_to_one(weights):
    if sum(weights.values()) <= 0:
        with pytest.raises(mm.DataError):
            parse_weights(weights)
    else:
        assert sum(parse_weights(weights).values()) == pytest.approx(1.0)


def test_proximity_matrix_is_symmetric():
    units = ["caoyang", "taopu", "wanli", "changshou"]
    p = proximity_matrix(units, units)
    assert (p == p.T).all() and (p.diagonal() == 1).all()
    assert p[1, 2] == 0.5 and p[0, 1] == 0.0


def test_bases_complement_the_mentor(small):
    mentee = small.mentees.iloc[0]
    mentor = small.mentors.iloc[0]
    b = score_pairs(small, against="bases", mentor_of={mentee["secretary_id"]: mentor["mentor_id"]})
    row = b[b["secretary_id"] == mentee["secretary_id"]]
    uncovered = set(mentee["challenges"]) - set(mentor["expertise"])
    for _, r in row.iterrows():
        themes = set(small.bases.set_index("base_id").at[r["base_id"], "themes"])
        expected = len(uncovered & themes) / len(uncovered) if uncovered else 1.0
        assert r["coverage"] == pytest.approx(expected)


def test_unknown_target(small):
    with pytest.raises(mm.DataError):
        score_pairs(small, against="pets")
