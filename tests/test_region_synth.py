"""The synthetic region: reproducible, consistent, and calibrated like the district."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.candidates import candidate_pairs
from mentormatch.region import Region
from mentormatch.region_synth import calibration_table, synthesize_region
from mentormatch.scoring import popcount
from mentormatch.synth import CAPACITY_SLACK, WAVES
from mentormatch.vocab import COMMUNITY_TYPES, UNIVERSITY_LEVELS


@pytest.fixture(scope="module")
def region() -> Region:
    return synthesize_region(seed=5, n_secretaries=4_000, n_mentors=200, n_bases=260)


@pytest.fixture(scope="module")
def districts() -> list[Region]:
    """Synthetic districts as regions, pooled: the calibration the region must match."""
    return [
        Region.from_district(mm.synthesize_district(seed=s, assessments=False)) for s in range(6)
    ]


def test_same_seed_same_region():
    a = synthesize_region(seed=3, n_secretaries=1_500, n_mentors=75, n_bases=100)
    b = synthesize_region(seed=3, n_secretaries=1_500, n_mentors=75, n_bases=100)
    for name in ("secretaries", "mentors", "bases", "units", "constraints"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert (a.neighbours != b.neighbours).nnz == 0 and (a.prior != b.prior).nnz == 0
    c = synthesize_region(seed=4, n_secretaries=1_500, n_mentors=75, n_bases=100)
    assert not a.secretaries.equals(c.secretaries)


def test_sizes_and_structure(region):
    s, m = region.secretaries, region.mentors
    assert (len(s), len(m), len(region.bases)) == (4_000, 200, 260)
    assert region.n_counties == round(4_000 / 375)
    assert (np.bincount(s["unit"], minlength=region.n_units) > 0).all()
    # Borders stay inside a county; every unit of a county of several has one.
    a, b = region.neighbours.nonzero()
    county = region.units["county"].to_numpy()
    assert (county[a] == county[b]).all()
    several = np.bincount(county)[county] > 1
    assert (np.diff(region.neighbours.indptr)[several] > 0).all()
    # Mentors sit in urban communities of their county; earlier posts are not the own one.
    village = COMMUNITY_TYPES.codes.index("village")
    assert (s["community_type"].to_numpy()[m["community"]] != village).all()
    rows, cols = region.prior.nonzero()
    assert (cols != s["community"].to_numpy()[rows]).all()


def test_every_county_can_place_its_mentees(region):
    s, m = region.secretaries, region.mentors
    demand = s[s["needs_mentor"]].groupby("county").size()
    places = m.groupby("county")["capacity"].sum()
    assert (places.reindex(demand.index) >= demand).all()
    assert (m["min_load"] <= m["capacity"]).all()
    per_mentor = len(region.mentees) / len(m)
    assert 4.5 <= per_mentor <= 5.1


def test_every_secretary_a_mentee():
    """The benchmark's stress size: everyone needs a mentor, places follow the demand,
    and counties of about 50 mentors give nearly every mentee 20 candidates."""
    r = synthesize_region(
        seed=2, n_secretaries=4_000, n_mentors=200, n_bases=100, n_counties=4, all_mentees=True
    )
    s, m = r.secretaries, r.mentors
    assert s["needs_mentor"].all()
    places = m.groupby("county")["capacity"].sum()
    assert (places >= s.groupby("county").size()).all()
    assert m["capacity"].mean() == pytest.approx(20 * CAPACITY_SLACK, abs=0.5)
    # Last cycle's mentees had a mentor then: they, and only they, have a previous one.
    last = (s["mentored_since"] == WAVES[1]).to_numpy()
    assert ((s["previous_mentor"] >= 0).to_numpy() == last).all()
    assert len(r.pairs("keep")[0]) > 0
    assert candidate_pairs(r, k=20).n_short == 0
    # The history is the default one: only who needs a mentor differs.
    default = synthesize_region(
        seed=2, n_secretaries=4_000, n_mentors=200, n_bases=100, n_counties=4
    )
    assert default.secretaries["mentored_since"].equals(s["mentored_since"])
    assert not default.secretaries["needs_mentor"].all()


def test_rules(region):
    who, whom = region.pairs("keep")
    s, m = region.secretaries, region.mentors
    assert s["needs_mentor"].to_numpy()[who].all()
    assert (s["previous_mentor"].to_numpy()[who] == whom).all()
    kept = np.bincount(whom, minlength=len(m))
    assert (kept <= m["capacity"].to_numpy() // 2).all()
    who, whom = region.pairs("forbid")
    assert (s["county"].to_numpy()[who] == m["county"].to_numpy()[whom]).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_calibration_table_is_met(seed):
    small = synthesize_region(seed=seed, n_secretaries=3_000, n_mentors=150, n_bases=200)
    table = calibration_table(small)
    assert table["met"].all(), table[~table["met"]]


def test_shares_as_for_the_district(region, districts):
    """The region against six synthetic districts pooled (1,692 secretaries)."""
    pooled = pd.concat([d.secretaries for d in districts], ignore_index=True)
    mentors = sum(len(d.mentors) for d in districts)

    def shares(s: pd.DataFrame) -> dict:
        university = s["education"].isin(
            [list(mm.vocab.EDUCATION.codes).index(c) for c in UNIVERSITY_LEVELS]
        )
        return {
            "young": (s["birth_year"] >= 1980).mean(),
            "university": university.mean(),
            "challenges": popcount(s["challenges"].to_numpy()).mean() / 10,
            "needs": s["needs_mentor"].mean(),
            **{
                f"type {t}": (s["community_type"] == j).mean()
                for j, t in enumerate(COMMUNITY_TYPES.codes)
            },
        }

    ours, theirs = shares(region.secretaries), shares(pooled)
    for key in ours:
        assert ours[key] == pytest.approx(theirs[key], abs=0.04), key
    assert len(region.mentees) / len(region.mentors) == pytest.approx(
        pooled["needs_mentor"].sum() / mentors, abs=0.5
    )


def test_bad_sizes():
    with pytest.raises(mm.DataError, match="mentor in each"):
        synthesize_region(n_secretaries=6_000, n_mentors=5)
    with pytest.raises(mm.DataError, match="10 secretaries per county"):
        synthesize_region(n_secretaries=50, n_mentors=10, n_counties=10)
