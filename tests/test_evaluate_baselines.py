"""Strategies against baselines (mentormatch.evaluate.baselines)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.evaluate.baselines import (
    STRATEGIES,
    bases_for,
    greedy_plan,
    nearest_plan,
    random_plan,
)
from mentormatch.evaluate.quality import Setting, base_scores, encode
from mentormatch.optimize import check_validity


def toy(total, capacity, min_load=None, proximity=None) -> Setting:
    """A Setting from a score table alone (no challenges, no bases)."""
    total = np.asarray(total, dtype=float)
    n, m = total.shape
    return Setting(
        mentees=pd.Index([f"s{i}" for i in range(n)]),
        mentors=pd.Index([f"M{j}" for j in range(m)]),
        score=total,
        total=total,
        view=total,
        challenge=np.zeros((n, m)),
        proximity=np.zeros((n, m)) if proximity is None else np.asarray(proximity, float),
        capacity=np.asarray(capacity),
        min_load=np.zeros(m, dtype=int) if min_load is None else np.asarray(min_load),
        forbidden=[],
        required=[],
        need=np.zeros((n, 1), dtype=bool),
        know=np.zeros((m, 1), dtype=bool),
        themes=np.zeros((0, 1), dtype=bool),
        base_capacity=np.zeros(0, dtype=int),
        base_proximity=np.zeros((n, 0)),
        bases=pd.Index([]),
        weights={},
    )


@pytest.fixture(scope="module")
def comparison(sample):
    return mm.compare_strategies(sample, seed=7, n_random=150, n_boot=300, progress=False)


def test_greedy_takes_turns_in_roster_order():
    s = toy([[0.9, 0.8], [0.95, 0.1], [0.5, 0.4]], capacity=[1, 2])
    # s0 takes M0 first; s1 then finds M0 full.
    assert greedy_plan(s).tolist() == [0, 1, 1]
    assert greedy_plan(s, order=np.array([1, 0, 2])).tolist() == [1, 0, 1]


def test_greedy_keeps_min_loads_where_it_can():
    s = toy([[0.9, 0.1], [0.9, 0.1], [0.9, 0.1]], capacity=[3, 1], min_load=[0, 1])
    # The last mentee is needed for M1's min load.
    assert greedy_plan(s).tolist() == [0, 0, 1]


def test_nearest_goes_by_distance_then_score():
    proximity = [[0.0, 0.5, 1.0], [0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]
    total = [[0.9, 0.6, 0.1], [0.9, 0.6, 0.7], [0.2, 0.8, 0.9]]
    s = toy(total, capacity=[1, 1, 1], proximity=proximity)
    # s1: M1 and M2 equally near, M2 scores higher; s0 takes M2 first, so s1 gets M1.
    assert nearest_plan(s).tolist() == [2, 1, 0]


@pytest.mark.parametrize(
    ("capacity", "min_load", "plans"),
    [
        # Places M0, M0, M1, M1 for 3 mentees: all 6 plans with loads (2, 1) or (1, 2)
        # are given by 4 place assignments each, so they are equally likely.
        ([2, 2], [0, 0], 6),
        # With M0's two places required, only the 3 plans with loads (2, 1) remain.
        ([2, 2], [2, 0], 3),
    ],
)
def test_random_plans_are_uniform_over_place_assignments(capacity, min_load, plans):
    s = toy(np.full((3, 2), 0.5), capacity=capacity, min_load=min_load)
    rng = np.random.default_rng(11)
    draws = 3000
    counts = Counter(tuple(random_plan(s, rng)) for _ in range(draws))
    assert len(counts) == plans
    expected = draws / plans
    sd = np.sqrt(draws * (1 / plans) * (1 - 1 / plans))
    assert all(abs(c - expected) < 5 * sd for c in counts.values()), counts


def test_random_plans_keep_every_rule(small, sample):
    for d in (small, sample):
        s = encode(d)
        rng = np.random.default_rng(3)
        capacity = pd.Series(s.capacity, index=s.mentors)
        min_load = pd.Series(s.min_load, index=s.mentors)
        seen = set()
        for _ in range(100):
            plan = random_plan(s, rng)
            seen.add(tuple(plan))
            problems = check_validity(
                s.frame(s.total),
                capacity,
                s.series(plan),
                min_load=min_load,
                forbidden=s.forbidden,
                required=s.required,
            )
            assert problems == []
        assert len(seen) > 1  # random, not one plan


def test_bases_are_chosen_as_match_chooses_them(sample):
    s = encode(sample)
    plan = mm.match(sample)
    placed = plan.placed.set_index("secretary_id")
    mentor = s.positions(placed["mentor_id"].astype(object))
    ours = bases_for(s, mentor)
    theirs = s.base_positions(placed["base_id"].astype(object))
    scores = base_scores(s, mentor)
    rows = np.arange(s.n)
    # Both maximise the total base score under base capacities (ties may differ).
    assert scores[rows, ours].sum() == pytest.approx(scores[rows, theirs].sum(), abs=1e-6)
    load = np.bincount(ours[ours >= 0], minlength=len(s.bases))
    assert (load <= s.base_capacity).all()


def test_table_has_every_strategy_with_intervals(comparison):
    t = comparison.to_frame()
    assert list(t.index) == list(STRATEGIES)
    for col in ("mean_score", "coverage_mentor", "coverage_mentor_and_base"):
        assert (t[f"{col}_low"] <= t[col] + 1e-12).all()
        assert (t[col] <= t[f"{col}_high"] + 1e-12).all()
    planned = t.drop(index="random")
    assert (
        planned[["mean_score_pct_random", "coverage_mentor_pct_random"]]
        .stack()
        .between(0, 100)
        .all()
    )
    assert np.isnan(t.loc["random", "mean_score_pct_random"])
    assert len(comparison.random) == 150


def test_the_optimum_beats_everything(comparison):
    t = comparison.to_frame()
    assert t.loc["total", "mean_score"] == pytest.approx(t["mean_score"].max())
    # No feasible plan has a higher total than the optimum: it beats every random plan.
    assert (comparison.random["mean_score"] <= t.loc["total", "mean_score"] + 1e-9).all()
    assert t.loc["total", "mean_score_pct_random"] == 100
    assert t.loc["fair", "min_score"] == pytest.approx(t["min_score"].max())
    assert t.loc["stable", "blocking_pairs"] == 0
    assert t.loc["nearest", "near_share"] == pytest.approx(t["near_share"].max())


def test_same_seed_same_numbers(sample, comparison):
    again = mm.compare_strategies(sample, seed=7, n_random=150, n_boot=300, progress=False)
    pd.testing.assert_frame_equal(again.to_frame(), comparison.to_frame())
    other = mm.compare_strategies(sample, seed=8, n_random=150, n_boot=300, progress=False)
    assert not other.random.equals(comparison.random)
    # The bootstrap has its own stream: more random plans do not move the intervals.
    more = mm.compare_strategies(sample, seed=7, n_random=10, n_boot=300, progress=False)
    pd.testing.assert_series_equal(
        more.to_frame().loc["total", ["mean_score_low", "mean_score_high"]],
        comparison.to_frame().loc["total", ["mean_score_low", "mean_score_high"]],
    )


def test_bootstrap_interval_by_hand(sample, comparison):
    # The percentile interval of the mean over 300 resamples of the total plan's scores,
    # redone from the per-mentee scores with the documented seeding.
    s = encode(sample)
    scores = s.total[np.arange(s.n), s.positions(comparison.plans["total"])]
    rng = np.random.default_rng(np.random.SeedSequence(7).spawn(2)[1])
    idx = np.concatenate([rng.integers(0, s.n, size=(100, s.n)) for _ in range(3)])
    means = scores[idx].mean(axis=1)
    t = comparison.to_frame()
    assert t.loc["total", "mean_score_low"] == pytest.approx(np.quantile(means, 0.025))
    assert t.loc["total", "mean_score_high"] == pytest.approx(np.quantile(means, 0.975))


def test_readable_outputs(comparison):
    table = comparison.formatted(lang="zh")
    assert table.index[0] == STRATEGIES["total"][0]
    assert "[" in table.iloc[0]["mean score [95% CI]"]
    assert "beats 100% of random plans" in comparison.summary()


def test_small_district_with_rules(small):
    c = mm.compare_strategies(small, seed=1, n_random=30, n_boot=50, progress=False)
    t = c.to_frame()
    assert (t.loc[["total", "fair", "greedy", "nearest"], "rule_violations"] == 0).all()
    assert (c.plans.loc["S008"].dropna() == "M002").all()  # the keep rule


def test_short_capacity_compares_plans_that_place_as_many_as_possible(sample):
    # 13 mentors with 2 places each cannot take 65 mentees: every strategy places 26,
    # and the planned ones place them best.
    short = sample.replace(mentors=sample.mentors.assign(capacity=2, min_load=pd.NA))
    c = mm.compare_strategies(short, seed=1, n_random=10, n_boot=20, progress=False)
    t = c.to_frame()
    assert (t.loc[["total", "fair", "stable", "greedy", "nearest"], "placed"] == 26).all()
    assert (t["note"] == "").all()
    assert t.loc["total", "mean_score"] >= t["mean_score"].max() - 1e-9


def test_baseline_bases_are_the_plans_own_second_flow(sample):
    # One base assignment: for the optimal plan's mentors, the evaluation's bases reach
    # the same total base score as the plan's sequential bases, with as many placed.
    from mentormatch.evaluate.baselines import bases_for
    from mentormatch.evaluate.quality import base_scores, encode

    plan = mm.match(sample)
    s = encode(sample)
    mentor = s.positions(plan.assignment)
    ours = bases_for(s, mentor)
    theirs = s.base_positions(plan.placed.set_index("secretary_id")["base_id"])
    scores = base_scores(s, mentor)
    rows = np.arange(s.n)
    assert (ours >= 0).sum() == (theirs >= 0).sum()
    total = scores[rows, ours][ours >= 0].sum()
    assert total == pytest.approx(scores[rows, theirs][theirs >= 0].sum(), abs=1e-5)
    assert (np.bincount(ours[ours >= 0], minlength=len(s.bases)) <= s.base_capacity).all()
