"""Quality figures of one plan (mentormatch.evaluate.quality)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.evaluate.quality import QUALITY_FIGURES, changes, encode, gini
from mentormatch.optimize import blocking_pairs


@pytest.fixture(scope="module")
def plans(sample):
    return {obj: mm.match(sample, obj) for obj in ("total", "fair", "stable")}


def test_figures_agree_with_what_the_plan_reports(sample, plans):
    for plan in plans.values():
        q = mm.evaluate_plan(sample, plan)
        f = plan.figures()
        assert list(q.index) == list(QUALITY_FIGURES)
        for name in ("mean_score", "min_score", "p10_score", "coverage_mentor_and_base"):
            assert q[name] == pytest.approx(f[name], abs=1e-4), name
        assert q["placed"] == f["placed"] == len(sample.mentees)
        assert q["blocking_pairs"] == f["blocking_pairs"]
        assert (q["load_min"], q["load_max"]) == (f["load_min"], f["load_max"])
        assert q["rule_violations"] == 0


def test_coverage_and_distance_by_hand(sample, plans):
    plan = plans["fair"]
    placed = plan.placed
    secs = sample.secretaries.set_index("secretary_id")
    mentors = sample.mentors.set_index("mentor_id")
    bases = sample.bases.set_index("base_id")
    cov_m, cov_mb, same = [], [], []
    for row in placed.itertuples():
        need = set(secs.at[row.secretary_id, "challenges"])
        know = set(mentors.at[row.mentor_id, "expertise"])
        themes = set(bases.at[row.base_id, "themes"]) if isinstance(row.base_id, str) else set()
        cov_m.append(len(need & know) / len(need))
        cov_mb.append(len(need & (know | themes)) / len(need))
        same.append(
            secs.at[row.secretary_id, "street_town"] == mentors.at[row.mentor_id, "street_town"]
        )
    q = mm.evaluate_plan(sample, plan)
    assert q["coverage_mentor"] == pytest.approx(np.mean(cov_m))
    assert q["coverage_mentor_and_base"] == pytest.approx(np.mean(cov_mb))
    assert q["same_unit_share"] == pytest.approx(np.mean(same))
    assert q["same_unit_share"] <= q["near_share"] <= 1


def test_gini_of_loads():
    assert gini(np.array([3, 3, 3])) == 0
    assert gini(np.array([0, 0, 0, 8])) == pytest.approx(0.75)
    # Mean absolute difference over all ordered pairs / (2 * mean), written out.
    x = np.array([1, 2, 7, 0, 4])
    by_pairs = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert gini(x) == pytest.approx(by_pairs)
    assert np.isnan(gini(np.zeros(3)))


def test_a_plan_as_series_or_table(sample, plans):
    plan = plans["total"]
    series = plan.assignment
    q = mm.evaluate_plan(sample, series)
    assert q["mean_score"] == pytest.approx(mm.evaluate_plan(sample, plan)["mean_score"])
    # No bases named: coverage by mentor and base is unknown, not the mentor's.
    assert np.isnan(q["coverage_mentor_and_base"])
    table = plan.placed[["secretary_id", "mentor_id", "base_id"]]
    assert mm.evaluate_plan(sample, table)["coverage_mentor_and_base"] == pytest.approx(
        plan.coverage["mentor_and_base"], abs=1e-4
    )
    # Mentees missing from the plan count as unplaced.
    q = mm.evaluate_plan(sample, series.iloc[:-5])
    assert q["placed"] == len(series) - 5


def test_broken_rules_are_counted(sample, plans):
    plan = plans["total"].assignment.copy()
    # Everyone to the first mentor: far over capacity, every other min load missed.
    plan[:] = sample.mentors["mentor_id"].iloc[0]
    q = mm.evaluate_plan(sample, plan)
    assert q["rule_violations"] >= 1
    assert q["load_max"] == len(plan)
    assert q["below_min_load"] == (sample.mentors["min_load"].fillna(0).iloc[1:] > 0).sum()
    # Every pair is still acceptable, so blocking pairs are defined (and many).
    assert q["blocking_pairs"] > 0


def test_blocking_pairs_match_the_optimize_definition(sample, plans):
    s = encode(sample)
    plan = plans["total"].assignment
    expected = blocking_pairs(
        s.frame(s.total),
        pd.Series(s.capacity, index=s.mentors),
        plan,
        s.frame(s.view),
    )
    assert mm.evaluate_plan(sample, plan)["blocking_pairs"] == len(expected) > 0


def test_changes_against_a_previous_plan(sample, plans):
    now = plans["total"]
    before = plans["stable"].assignment
    q = mm.evaluate_plan(sample, now, previous=before)
    same = int((now.assignment == before.reindex(now.assignment.index)).sum())
    assert q["kept"] == same
    assert q["changed"] == len(before) - same
    assert q["new"] == q["ended"] == 0
    moved = changes(pd.Series({"a": "M1", "b": "M2"}), pd.Series({"b": "M1", "c": "M3"}))
    assert moved == {"kept": 0, "changed": 1, "new": 1, "ended": 1, "kept_share": 0.0}


def test_rules_of_the_small_district(small):
    plan = mm.match(small)
    q = mm.evaluate_plan(small, plan)
    assert q["rule_violations"] == 0
    # Breaking the forbid rule of tests/data/small (S005 may not have M001) is reported.
    broken = plan.assignment.copy()
    broken["S005"] = "M001"
    q = mm.evaluate_plan(small, broken)
    assert q["rule_violations"] >= 1
    # A forbidden pair is not acceptable: blocking pairs are undefined.
    assert np.isnan(q["blocking_pairs"])


def test_bad_plans_are_refused(sample):
    with pytest.raises(mm.DataError):
        mm.evaluate_plan(sample, pd.Series({sample.mentees["secretary_id"].iloc[0]: "M999"}))
    with pytest.raises(mm.DataError):
        mm.evaluate_plan(sample, pd.DataFrame({"secretary_id": ["S001"]}))
