"""The Region container: checks, conversion from a District, decoding."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from regions import random_region
from scipy import sparse

import mentormatch as mm
from mentormatch.region import Region, decode_masks
from mentormatch.vocab import CHALLENGES, STREET_TOWNS


def _tables(region: Region) -> dict:
    return {
        "secretaries": region.secretaries,
        "mentors": region.mentors,
        "bases": region.bases,
        "units": region.units,
        "neighbours": region.neighbours,
        "prior": region.prior,
        "constraints": region.constraints,
    }


def test_from_district_keeps_everyone_and_every_code(sample):
    region = Region.from_district(sample)
    post = sample.in_post
    assert list(region.secretaries.index) == post["secretary_id"].tolist()
    assert list(region.mentors.index) == sample.mentors["mentor_id"].tolist()
    assert region.n_counties == 1 and region.n_units == len(STREET_TOWNS)
    assert np.array_equal(region.mentees, np.flatnonzero(post["needs_mentor"].to_numpy()))
    decoded = region.decoded("secretaries")
    assert decoded["challenges"].tolist() == [
        tuple(c for c in CHALLENGES.codes if c in set(x)) for x in post["challenges"]
    ]
    assert decoded["community_type"].tolist() == post["community_type"].tolist()
    units = np.asarray(STREET_TOWNS.codes)[region.secretaries["unit"]]
    assert units.tolist() == post["street_town"].tolist()
    mentors = region.decoded("mentors")
    assert mentors["expertise"].tolist() == [
        tuple(c for c in CHALLENGES.codes if c in set(x)) for x in sample.mentors["expertise"]
    ]
    # Earlier posts: one entry per (secretary, community) listed.
    assert region.prior.nnz == sum(len(set(p)) for p in post["prior_communities"])
    # Borders as in the vocabulary, both ways.
    assert region.neighbours.nnz == 2 * 19 and (region.neighbours != region.neighbours.T).nnz == 0


def test_from_district_takes_the_rules(small):
    rules = pd.DataFrame(
        {
            "secretary_id": small.mentees["secretary_id"].iloc[:2].tolist(),
            "mentor_id": small.mentors["mentor_id"].iloc[:2].tolist(),
            "rule": ["keep", "forbid"],
        }
    )
    region = Region.from_district(small.replace(constraints=rules))
    who, whom = region.pairs("keep")
    assert region.secretaries.index[who].tolist() == rules["secretary_id"].iloc[:1].tolist()
    assert region.mentors.index[whom].tolist() == rules["mentor_id"].iloc[:1].tolist()
    assert len(region.pairs("forbid")[0]) == 1


@pytest.mark.parametrize(
    ("table", "change", "message"),
    [
        ("secretaries", {"unit": 99}, "a unit number"),
        ("secretaries", {"county": 5}, "the county of the row's unit"),
        ("secretaries", {"community_type": 9}, "community_type"),
        ("secretaries", {"challenges": 1 << 30}, "bitmask"),
        ("secretaries", {"previous_mentor": 50}, "previous_mentor"),
        ("mentors", {"min_load": 99}, "min_load"),
        ("mentors", {"capacity": -1}, "capacity"),
        ("mentors", {"community": 10_000}, "a community number"),
    ],
)
def test_bad_codes_are_refused(table, change, message):
    region = random_region(0)
    tables = _tables(region)
    frame = tables[table].copy()
    for column, value in change.items():
        frame.iloc[0, frame.columns.get_loc(column)] = value
    tables[table] = frame
    with pytest.raises(mm.DataError, match=message):
        Region(**tables)


def test_bad_structures_are_refused():
    region = random_region(0)
    tables = _tables(region)
    lopsided = sparse.csr_array(np.triu(np.ones((region.n_units, region.n_units))))
    with pytest.raises(mm.DataError, match="symmetric"):
        Region(**{**tables, "neighbours": lopsided})
    with pytest.raises(mm.DataError, match="one row per secretary"):
        Region(**{**tables, "prior": region.prior[:3]})
    two_keeps = pd.DataFrame({"secretary": [0, 0], "mentor": [0, 1], "rule": ["keep", "keep"]})
    with pytest.raises(mm.DataError, match="at most one pair to keep"):
        Region(**{**tables, "constraints": two_keeps})
    twice = pd.DataFrame({"secretary": [0, 0], "mentor": [1, 1], "rule": ["keep", "forbid"]})
    with pytest.raises(mm.DataError, match="a unique combination"):
        Region(**{**tables, "constraints": twice})
    with pytest.raises(mm.DataError, match="the required column capacity is missing"):
        Region(**{**tables, "mentors": region.mentors.drop(columns="capacity")})
    with pytest.raises(mm.DataError, match="should be a pandas DataFrame, not list"):
        Region(**{**tables, "bases": [1, 2]})
    with pytest.raises(mm.DataError, match="from -2147483648 to 2147483647"):
        Region(**{**tables, "mentors": region.mentors.assign(capacity=2**40)})


def test_masks_round_trip():
    masks = np.array([0, 1, 6, (1 << 24) - 1], dtype=np.uint32)
    decoded = decode_masks(masks, CHALLENGES.codes)
    assert decoded[0] == () and decoded[1] == (CHALLENGES.codes[0],)
    assert decoded[3] == CHALLENGES.codes


def test_summary_and_repr():
    region = random_region(1)
    assert "random 1" in region.summary() and "Region(" in repr(region)
