"""Every objective, the distance rule and practice bases for a Region, against the
District's own plan on the same data and against dense solves on random regions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from regions import random_region

import mentormatch as mm
from mentormatch.candidates import pair_scores
from mentormatch.errors import DataError, InfeasibleError
from mentormatch.optimize import solve
from mentormatch.region import Region
from mentormatch.region_plan import RegionPlan, match_region
from mentormatch.region_synth import synthesize_region

FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _by_id(plan: RegionPlan, region: Region) -> pd.DataFrame:
    return plan.to_frame(region).set_index("secretary_id")


@pytest.mark.parametrize("objective", ["total", "fair", "stable"])
def test_a_district_as_a_region_gets_the_districts_plan(sample, small, objective):
    for d in (sample, small):
        r = Region.from_district(d)
        region_plan = _by_id(match_region(r, objective, k=None), r)
        plan = mm.match(d, objective).placed.set_index("secretary_id")
        assert set(region_plan.index) == set(plan.index)
        ours = region_plan.loc[plan.index]
        if objective == "stable":  # unique: the very same pairs
            assert ours["mentor_id"].tolist() == plan["mentor_id"].tolist()
        assert ours["score"].sum() == pytest.approx(plan["score"].sum(), abs=1e-6)
        assert ours["score"].min() == pytest.approx(plan["score"].min(), abs=1e-9)
        # Bases: the same second flow, so the same base score in total and the same count.
        assert ours["base_id"].notna().sum() == plan["base_id"].notna().sum()
        base_total = mm.score_pairs(d, against="bases", mentor_of=plan["mentor_id"])
        base_total = base_total.set_index(["secretary_id", "base_id"])["total"]
        theirs = [base_total[(s, b)] for s, b in plan["base_id"].dropna().items()]
        assert ours["base_score"].sum() == pytest.approx(sum(theirs), abs=1e-6)


@pytest.mark.parametrize("distance", ["same", "neighbouring"])
def test_the_distance_rule_is_the_districts(sample, distance):
    d = sample.replace(constraints=sample.constraints.iloc[0:0])
    r = Region.from_district(d)
    plan = match_region(r, distance=distance, k=None, partial=True, bases="none")
    dense = mm.match(d, distance=distance, partial=True, bases="none")
    assert plan.objective == pytest.approx(dense.objective_value, abs=1e-6)
    frame = _by_id(plan, r).dropna(subset=["mentor_id"])
    near = mm.score_pairs(d).set_index(["secretary_id", "mentor_id"])["proximity"]
    least = {"same": 1.0, "neighbouring": 0.5}[distance]
    assert all(near[(s, m)] >= least for s, m in frame["mentor_id"].items())


def test_a_pair_to_keep_outside_the_distance_rule_is_refused(sample):
    r = Region.from_district(sample)
    mentee = r.mentees[0]
    unit = r.secretaries["unit"].iloc[mentee]
    far = np.flatnonzero(r.mentors["unit"].to_numpy() != unit)[0]
    rules = pd.DataFrame({"secretary": [mentee], "mentor": [far], "rule": ["keep"]})
    kept = Region(
        **{n: getattr(r, n) for n in ("secretaries", "mentors", "bases", "units")},
        neighbours=r.neighbours,
        prior=r.prior,
        constraints=rules,
    )
    with pytest.raises(InfeasibleError, match="distance rule"):
        match_region(kept, distance="same")
    assert match_region(kept).to_frame(kept)["kept"].sum() == 1


def _dense(region: Region, objective: str):
    mentees, m = region.mentees, len(region.mentors)
    i, j = np.repeat(mentees, m), np.tile(np.arange(m), len(mentees))
    parts = pair_scores(region, i, j, components=True)
    shape = (len(mentees), m)

    def table(column: str) -> pd.DataFrame:
        return pd.DataFrame(
            parts[column].to_numpy().reshape(shape),
            index=region.secretaries.index[mentees],
            columns=region.mentors.index,
        )

    labels, inside = region.secretaries.index, set(mentees.tolist())

    def rules(kind: str) -> list:
        who, whom = region.pairs(kind)
        return [
            (labels[a], region.mentors.index[b])
            for a, b in zip(who, whom, strict=True)
            if a in inside
        ]

    try:
        return solve(
            table("total"),
            region.mentors["capacity"],
            min_load=None if objective == "stable" else region.mentors["min_load"],
            forbidden=rules("forbid"),
            required=rules("keep"),
            objective=objective,
            mentor_scores=table("mentor_view"),
        )
    except InfeasibleError:
        return None


@FEW
@given(st.integers(0, 100_000), st.sampled_from(["fair", "stable"]))
def test_random_regions_reach_the_dense_optimum(seed, objective):
    region = random_region(seed, n_secretaries=24, n_mentors=6, slack=1.2)
    dense = _dense(region, objective)
    try:
        plan = match_region(region, objective, k=len(region.mentors), reach="region")
    except InfeasibleError:
        assert dense is None
        return
    assert dense is not None
    placed = plan.mentor >= 0
    assert plan.objective == pytest.approx(dense.objective, abs=1e-6)
    if objective == "stable":
        expected = region.mentors.index.get_indexer(dense.mentor.to_numpy())
        assert np.array_equal(np.where(placed, plan.mentor, -1), expected)
    else:
        free = ~plan.to_frame(region)["kept"].to_numpy()
        free_dense = ~dense.table["required"].fillna(False).to_numpy(bool)
        ours = plan.score[placed & free].min(initial=np.inf)
        theirs = dense.table["score"].to_numpy(float)[free_dense].min(initial=np.inf)
        assert ours == theirs


def test_fair_lifts_the_worst_off_in_a_city():
    city = synthesize_region(seed=5, n_secretaries=3_000, n_mentors=150, n_bases=200)
    total = match_region(city, bases="none")
    fair = match_region(city, "fair", bases="none")
    assert np.nanmin(fair.score) >= np.nanmin(total.score)
    assert fair.objective <= total.objective + 1e-9
    stable = match_region(city, "stable")
    load = np.bincount(stable.mentor[stable.mentor >= 0], minlength=len(city.mentors))
    assert (load <= city.mentors["capacity"].to_numpy()).all()
    # Bases within capacity, in the mentee's county.
    base = stable.bases.base
    has = base >= 0
    use = np.bincount(base[has], minlength=len(city.bases))
    assert (use <= city.bases["capacity"].to_numpy()).all()
    county = city.secretaries["county"].to_numpy()[stable.mentees]
    assert (city.bases["county"].to_numpy()[base[has]] == county[has]).all()


def test_match_takes_a_region_and_refuses_region_options_for_a_district(sample):
    r = Region.from_district(sample)
    plan = mm.match(r, "fair", k=5)
    assert isinstance(plan, RegionPlan) and plan.summary()["objective"] == "fair"
    with pytest.raises(DataError, match="Region"):
        mm.match(sample, k=5)
    with pytest.raises(DataError, match="'total' objective only"):
        mm.match(r, "fair", bases="joint")
    with pytest.raises(DataError, match="objective"):
        mm.match(r, "best")


@pytest.mark.parametrize("objective", ["total", "fair", "stable"])
def test_region_reasons_and_alternates_are_the_districts(sample, small, objective):
    # The same words from the Region's codes as from the District's tables: every
    # reason in both languages and the alternates' mentors.
    for d in (sample, small):
        r = Region.from_district(d)
        ours = _by_id_explained(match_region(r, objective, k=None), r)
        theirs = mm.match(d, objective).table.set_index("secretary_id").loc[ours.index]
        assert ours["reason_en"].tolist() == theirs["reason_en"].tolist()
        assert ours["reason_zh"].tolist() == theirs["reason_zh"].tolist()
        for column in ("alternate_1", "alternate_2"):
            assert _first_words(ours[column]) == _first_words(theirs[column])


def _first_words(values: pd.Series) -> list:
    return [x.split(" ")[0] if isinstance(x, str) else None for x in values]


def _by_id_explained(plan: RegionPlan, region: Region) -> pd.DataFrame:
    return plan.to_frame(region, explain=True).set_index("secretary_id")


def test_an_unplaced_mentee_is_told_which_mentors_would_take_one_more(sample):
    r = Region.from_district(sample)
    tight = r.mentors.assign(capacity=3, min_load=0)
    short = Region(
        **{n: getattr(r, n) for n in ("secretaries", "bases", "units", "neighbours", "prior")},
        mentors=tight,
        constraints=r.constraints.iloc[0:0],
    )
    frame = _by_id_explained(match_region(short, k=None, partial=True), short)
    unplaced = frame[frame["mentor_id"].isna()]
    assert len(unplaced) == len(frame) - 3 * len(tight)
    assert unplaced["unplaced_reason"].str.startswith("all ").all()
    assert unplaced["unplaced_reason_zh"].str.contains("名额已满").all()
    assert (frame.loc[frame["mentor_id"].notna(), "unplaced_reason"] == "").all()
    # Everyone is full: no alternate has room.
    assert frame["alternate_1"].isna().all()


def test_a_nation_sized_plan_explains_itself_in_blocks_of_words():
    city = synthesize_region(seed=8, n_secretaries=4_000, n_mentors=200, n_bases=260)
    frame = match_region(city).to_frame(city, explain=True)
    placed = frame["mentor_id"].notna()
    assert frame.loc[placed, "reason_zh"].str.len().gt(0).all()
    assert frame.loc[placed, "reason_en"].str.contains("shared challenges|no challenge").all()
    # Missing alternates are missing values, never the text "nan" or "None".
    texts = [x for c in frame.columns for x in frame[c] if isinstance(x, str)]
    assert not any(x in ("nan", "None") or "(nan)" in x for x in texts)
    assert frame.loc[placed, "alternate_1"].notna().mean() > 0.5


def _with_bases(plan: RegionPlan) -> float:
    has = plan.bases.base >= 0
    return float(np.nansum(plan.score) + plan.bases.score[has].sum())


def test_joint_bases_for_a_region_are_the_districts(sample):
    r = Region.from_district(sample)
    ours = match_region(r, bases="joint", k=None)
    district = mm.match(sample, bases="joint").placed
    base_total = mm.score_pairs(
        sample, against="bases", mentor_of=district.set_index("secretary_id")["mentor_id"]
    )
    base_total = base_total.set_index(["secretary_id", "base_id"])["total"]
    theirs = district["score"].sum() + sum(
        base_total[(s, b)]
        for s, b in district[["secretary_id", "base_id"]].dropna().itertuples(index=False)
    )
    assert _with_bases(ours) == pytest.approx(theirs, abs=1e-4)
    assert _with_bases(ours) >= _with_bases(match_region(r, k=None)) - 1e-9


def test_joint_bases_in_a_city_beat_the_sequential_plan_within_every_capacity(monkeypatch):
    city = synthesize_region(seed=6, n_secretaries=3_000, n_mentors=150, n_bases=200)
    # Few exact options, so the best-few-bases program (with the sequential triples) runs.
    monkeypatch.setattr("mentormatch.region_bases.JOINT_EXACT_OPTIONS", 1_000)
    joint = match_region(city, bases="joint")
    sequential = match_region(city)
    assert _with_bases(joint) >= _with_bases(sequential) - 1e-9
    load = np.bincount(joint.mentor[joint.mentor >= 0], minlength=len(city.mentors))
    assert (load <= city.mentors["capacity"].to_numpy()).all()
    assert (load >= city.mentors["min_load"].to_numpy()).all()
    use = np.bincount(joint.bases.base[joint.bases.base >= 0], minlength=len(city.bases))
    assert (use <= city.bases["capacity"].to_numpy()).all()
    assert joint.to_frame(city, explain=True)["reason_zh"].str.len().gt(0).all()
    monkeypatch.setattr("mentormatch.region_bases.JOINT_MAX_VARIABLES", 1_000)
    with pytest.raises(DataError, match="sequential"):
        match_region(city, bases="joint")
