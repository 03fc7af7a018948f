"""Region plans: the sparse path against the dense one on the same data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from regions import random_region

import mentormatch as mm
from mentormatch.candidates import pair_scores
from mentormatch.errors import InfeasibleError
from mentormatch.optimize import solve
from mentormatch.region import Region
from mentormatch.region_plan import match_region
from mentormatch.region_synth import synthesize_region

FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def dense_objective(region: Region) -> float | None:
    """mentormatch.optimize.solve on the full mentee x mentor table of the region."""
    mentees, m = region.mentees, len(region.mentors)
    i = np.repeat(mentees, m)
    j = np.tile(np.arange(m), len(mentees))
    table = pd.DataFrame(
        pair_scores(region, i, j).reshape(len(mentees), m),
        index=region.secretaries.index[mentees],
        columns=region.mentors.index,
    )
    labels = region.secretaries.index
    keep = [
        (labels[a], region.mentors.index[b])
        for a, b in zip(*region.pairs("keep"), strict=True)
        if a in set(mentees)
    ]
    forbid = [
        (labels[a], region.mentors.index[b])
        for a, b in zip(*region.pairs("forbid"), strict=True)
        if a in set(mentees)
    ]
    try:
        plan = solve(
            table,
            region.mentors["capacity"],
            min_load=region.mentors["min_load"],
            forbidden=forbid,
            required=keep,
        )
    except InfeasibleError:
        return None
    return round(plan.objective, 6)


def sparse_objective(region: Region, **kwargs) -> float | None:
    try:
        return round(match_region(region, **kwargs).objective, 6)
    except InfeasibleError:
        return None


@FEW
@given(st.integers(0, 100_000), st.integers(0, 3), st.booleans())
def test_sparse_equals_dense_when_k_covers_every_mentor(seed, extra, min_loads):
    region = random_region(seed, n_secretaries=20, n_mentors=6, min_loads=min_loads, slack=1.1)
    k = len(region.mentors) + extra
    assert sparse_objective(region, k=k, reach="region") == dense_objective(region)


@pytest.mark.parametrize("k", [20, None])
def test_district_plan_equals_match(sample, small, k):
    for d in (sample, small, mm.synthesize_district(seed=9, assessments=False)):
        plan = match_region(Region.from_district(d), k=k)
        assert round(plan.objective, 6) == round(mm.match(d, bases="none").objective_value, 6)
        assert plan.candidates.complete.all()


def test_district_plan_with_rules_equals_match(sample):
    mentees, mentors = sample.mentees["secretary_id"], sample.mentors["mentor_id"]
    rules = pd.DataFrame(
        {
            "secretary_id": mentees.iloc[[0, 1, 2, 3]].tolist(),
            "mentor_id": mentors.iloc[[0, 1, 2, 2]].tolist(),
            "rule": ["keep", "forbid", "keep", "forbid"],
        }
    )
    d = sample.replace(constraints=rules)
    plan = match_region(Region.from_district(d))
    assert round(plan.objective, 6) == round(mm.match(d, bases="none").objective_value, 6)
    frame = plan.to_frame(Region.from_district(d)).set_index("secretary_id")
    assert frame.loc[rules["secretary_id"][0], "mentor_id"] == rules["mentor_id"][0]
    assert frame.loc[rules["secretary_id"][0], "kept"]
    assert frame.loc[rules["secretary_id"][1], "mentor_id"] != rules["mentor_id"][1]


def test_small_k_widens_until_a_plan_exists():
    # Everyone's best mentor is the same one with one place: k=1 has no plan.
    region = random_region(2, n_secretaries=30, n_mentors=6, keep_share=0, forbid_share=0)
    mentors = region.mentors.assign(expertise=np.uint32(0), community_types=np.uint8(1))
    mentors.iloc[0, mentors.columns.get_loc("expertise")] = (1 << 24) - 1
    mentors["min_load"] = 0
    widened = Region(**{**_tables(region), "mentors": mentors})
    plan = match_region(widened, k=1, reach="region")
    assert plan.rounds > 1 and plan.candidates.k > 1 and (plan.mentor >= 0).all()
    # The optimum over the final candidates (the plan promises no more unless they are
    # every mentor in reach), by the dense solve of a table holding those pairs only;
    # never above the optimum over every pair.
    c = plan.candidates
    values = np.full((c.n_mentees, len(widened.mentors)), np.nan)
    values[np.searchsorted(c.mentees, c.mentee), c.mentor] = c.score
    table = pd.DataFrame(
        values, index=widened.secretaries.index[c.mentees], columns=widened.mentors.index
    )
    over_candidates = solve(table, widened.mentors["capacity"], min_load=0).objective
    assert round(plan.objective, 6) == round(over_candidates, 6)
    assert plan.objective <= dense_objective(widened) + 1e-9


def test_partial_places_as_many_as_possible():
    region = random_region(4, n_secretaries=30, n_mentors=4, keep_share=0, forbid_share=0)
    tight = region.mentors.assign(capacity=2, min_load=0)
    short = Region(**{**_tables(region), "mentors": tight})
    with pytest.raises(InfeasibleError, match="short"):
        match_region(short, reach="region")
    plan = match_region(short, reach="region", partial=True)
    assert (plan.mentor >= 0).sum() == 8
    assert plan.summary()["placed"] == 8


def test_city_plan_is_the_plan_over_the_whole_reach():
    city = synthesize_region(seed=2, n_secretaries=2_500, n_mentors=125, n_bases=0)
    top = match_region(city, k=20)
    every = match_region(city, k=None)
    assert top.objective == pytest.approx(every.objective, abs=1e-6)
    assert top.solution.n_parts == every.solution.n_parts == city.n_counties
    frame = top.to_frame(city)
    assert frame["mentor_id"].notna().all()
    # Every mentor within its county, within capacity, above its min load.
    mentor = top.mentor
    assert (city.mentors["county"].to_numpy()[mentor] == frame["county"].to_numpy()).all()
    load = np.bincount(mentor, minlength=len(city.mentors))
    assert (load <= city.mentors["capacity"]).all() and (load >= city.mentors["min_load"]).all()


def _tables(region: Region) -> dict:
    return {
        name: getattr(region, name)
        for name in ("secretaries", "mentors", "bases", "units", "neighbours", "prior")
    } | {"constraints": region.constraints}
