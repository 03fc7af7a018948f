"""Candidate pairs: the blocked, vectorised search against a naive one written here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from regions import random_region

import mentormatch as mm
from mentormatch.candidates import LEVELS, candidate_pairs, pair_scores, reach_lists
from mentormatch.region import Region

FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def naive_candidates(region: Region, k: int | None, reach: str, weights=None) -> dict:
    """The definition, one mentee at a time, with Python sets."""
    s, m = region.secretaries, region.mentors
    mentor_unit, mentor_county = m["unit"].to_numpy(), m["county"].to_numpy()
    top = LEVELS.index(reach)
    keep = dict(zip(*region.pairs("keep"), strict=True))
    forbid = set(zip(*region.pairs("forbid"), strict=True))
    rows, levels = [], []
    for i in region.mentees:
        u, c = s["unit"].iat[i], s["county"].iat[i]
        around = {
            u,
            *region.neighbours.indices[
                region.neighbours.indptr[u] : region.neighbours.indptr[u + 1]
            ].tolist(),
        }
        at_level = [
            {j for j in range(len(m)) if mentor_unit[j] == u},
            {j for j in range(len(m)) if mentor_unit[j] in around},
            {j for j in range(len(m)) if mentor_unit[j] in around or mentor_county[j] == c},
            set(range(len(m))),
        ]
        level = next((x for x in range(top + 1) if k is not None and len(at_level[x]) >= k), top)
        levels.append(level)
        allowed = sorted(j for j in at_level[level] if (i, j) not in forbid)
        scores = pair_scores(region, [i] * len(allowed), allowed, weights)
        ranked = sorted(zip(allowed, scores.tolist(), strict=True), key=lambda p: (-p[1], p[0]))
        chosen = ranked if k is None else ranked[:k]
        if i in keep and keep[i] not in {j for j, _ in chosen}:
            chosen.append((keep[i], float(pair_scores(region, [i], [keep[i]], weights)[0])))
        for j, score in sorted(chosen):
            rows.append((i, j, score, keep.get(i) == j))
    frame = pd.DataFrame(rows, columns=["mentee", "mentor", "score", "required"])
    return {"pairs": frame, "level": np.array(levels)}


CASES = [(3, "county"), (2, "neighbours"), (5, "region"), (None, "county"), (1, "unit")]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("k", "reach"), CASES)
def test_blocks_give_the_naive_candidates(seed, k, reach):
    region = random_region(seed, n_secretaries=40, n_mentors=9, n_units=7, n_counties=3)
    expected = naive_candidates(region, k, reach)
    for block_size in (1, 7, 60, 1 << 19):
        c = candidate_pairs(region, k, reach=reach, block_size=block_size)
        got = c.to_frame()
        pd.testing.assert_frame_equal(got, expected["pairs"], check_dtype=False)
        assert c.level.tolist() == expected["level"].tolist()
        degree = expected["pairs"].groupby("mentee").size().reindex(c.mentees, fill_value=0)
        assert c.n_short == (0 if k is None else int((degree < k).sum()))
        assert c.degree.tolist() == degree.tolist()


@FEW
@given(st.integers(0, 10_000), st.integers(1, 6), st.sampled_from(LEVELS), st.integers(1, 50))
def test_any_region_any_block(seed, k, reach, block_size):
    region = random_region(seed, n_secretaries=25, n_mentors=7, n_units=5, n_counties=2)
    expected = naive_candidates(region, k, reach)
    got = candidate_pairs(region, k, reach=reach, block_size=block_size).to_frame()
    pd.testing.assert_frame_equal(got, expected["pairs"], check_dtype=False)


def test_memory_follows_the_block():
    region = random_region(3, n_secretaries=200, n_mentors=20, n_units=10, n_counties=2)
    for block_size in (1, 50, 400):
        c = candidate_pairs(region, None, reach="region", block_size=block_size)
        # A block holds at most block_size pairs, or one mentee's pairs (here 20).
        assert c.largest_block == max(block_size - block_size % 20, 20)
        assert c.pairs_scored == len(c.mentees) * len(region.mentors)
        assert c.n_blocks == -(-c.pairs_scored // c.largest_block)


def test_keep_pairs_are_always_candidates():
    region = random_region(5, n_secretaries=60, n_mentors=10, keep_share=0.5)
    who, whom = region.pairs("keep")
    mentee = np.isin(who, region.mentees)
    assert mentee.sum() > 5
    for k, reach in [(1, "unit"), (2, "neighbours"), (None, "county")]:
        c = candidate_pairs(region, k, reach=reach)
        pairs = set(zip(c.mentee[c.required].tolist(), c.mentor[c.required].tolist(), strict=True))
        assert pairs == set(zip(who[mentee].tolist(), whom[mentee].tolist(), strict=True))
        # Only the keep pairs are flagged, and a kept mentee keeps its other candidates.
        assert c.required.sum() == mentee.sum()


def test_forbidden_pairs_are_never_candidates():
    region = random_region(6, n_secretaries=60, n_mentors=10, forbid_share=0.5)
    who, whom = region.pairs("forbid")
    c = candidate_pairs(region, None, reach="region")
    got = set(zip(c.mentee.tolist(), c.mentor.tolist(), strict=True))
    assert not got & set(zip(who.tolist(), whom.tolist(), strict=True))
    # Everything else is there: k=None at the widest reach is every allowed pair.
    forbidden_mentees = np.isin(who, region.mentees).sum()
    assert len(got) == len(region.mentees) * len(region.mentors) - forbidden_mentees


def test_short_mentees_are_counted():
    region = random_region(7, n_secretaries=50, n_mentors=6, n_units=6, n_counties=3)
    c = candidate_pairs(region, 4, reach="county")
    county_mentors = region.mentors.groupby("county").size()
    unit = region.secretaries["unit"].to_numpy()[c.mentees]
    lists = reach_lists(region, 4, "county")
    reach = lists.counts[unit, LEVELS.index("county")]
    assert c.n_short == int((c.degree < 4).sum())
    assert c.n_short >= int((reach < 4).sum())
    assert county_mentors.min() < 4 or c.n_short == 0


def test_scores_equal_the_dense_table(sample, small):
    for d in (sample, small, mm.synthesize_district(seed=4, assessments=False)):
        region = Region.from_district(d)
        dense = mm.score_pairs(d, "challenge=3,type=1,proximity=1,continuity=2")
        mentee = region.secretaries.index.get_indexer(dense["secretary_id"])
        mentor = region.mentors.index.get_indexer(dense["mentor_id"])
        sparse = pair_scores(
            region, mentee, mentor, "challenge=3,type=1,proximity=1,continuity=2", components=True
        )
        for column in ("total", "challenge", "type", "proximity", "continuity", "mentor_view"):
            assert (sparse[column].to_numpy() == dense[column].to_numpy()).all(), column


def test_district_candidates_with_k_at_least_mentors_are_every_pair(sample):
    region = Region.from_district(sample)
    c = candidate_pairs(region, len(region.mentors))
    assert c.n_pairs == len(sample.mentees) * len(sample.mentors)
    assert c.n_short == 0 and c.complete.all()


@pytest.mark.parametrize("kwargs", [{"k": 0}, {"k": 2.5}, {"reach": "planet"}, {"block_size": 0}])
def test_bad_arguments(kwargs):
    region = random_region(0)
    with pytest.raises(mm.DataError):
        candidate_pairs(region, **{"k": 3, **kwargs})


def test_summary_and_frame(sample):
    region = Region.from_district(sample)
    c = candidate_pairs(region, 5, reach="neighbours")
    summary = c.summary()
    assert summary["pairs"] == c.n_pairs == len(c.to_frame(region))
    assert summary[[f"stopped_at_{x}" for x in LEVELS]].sum() == c.n_mentees
    assert set(c.to_frame(region)["secretary_id"]) <= set(sample.mentees["secretary_id"])
