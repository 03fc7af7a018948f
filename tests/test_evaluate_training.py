"""The effect of electives on the dimension trained: recovered from the training log."""

from __future__ import annotations

import numpy as np
import pytest

import mentormatch as mm
from mentormatch.evaluate import missing, training_changes, training_effect
from mentormatch.evaluate.needs import explain
from mentormatch.synth.assumptions import TRAINING_EFFECT


def test_the_interval_holds_the_true_effect_on_most_seeds():
    results = [
        training_effect(mm.synthesize_district(seed=s), truth=TRAINING_EFFECT) for s in range(8)
    ]
    covered = sum(r.covers_truth for r in results)
    # 95% intervals: 8 of 8 expected; 6 allows for chance, 0 catches a biased estimator.
    assert covered >= 6
    assert abs(np.mean([r.estimate for r in results]) - TRAINING_EFFECT) < 0.15


def test_no_effect_is_estimated_as_none():
    r = training_effect(mm.synthesize_district(seed=11, training_effect=0.0), truth=0.0)
    assert r.covers_truth
    assert abs(r.estimate) < 0.4


def test_a_larger_effect_is_seen_larger():
    small = training_effect(mm.synthesize_district(seed=4, training_effect=1.0))
    large = training_effect(mm.synthesize_district(seed=4, training_effect=4.0))
    assert large.estimate - small.estimate == pytest.approx(3.0, abs=0.4)


def test_levels_would_mislead_changes_do_not():
    """Those trained are the needier: their levels are lower, their changes higher."""
    d = mm.synthesize_district(seed=2018)
    c = training_changes(d)
    ci = mm.capacity_index(d).melt(
        id_vars=["secretary_id", "wave"],
        value_vars=list(mm.vocab.DIMENSIONS.codes),
        var_name="dimension",
        value_name="score",
    )
    level = c.merge(ci, on=["secretary_id", "dimension", "wave"])
    assert (
        level.loc[level["attended"], "score"].mean() < level.loc[~level["attended"], "score"].mean()
    )
    r = training_effect(d, truth=TRAINING_EFFECT)
    assert r.covers_truth and r.n_attended == int(c["attended"].sum())
    assert set(r.by_dimension["dimension"]) == set(mm.vocab.DIMENSIONS.codes)
    assert r.by_dimension["n_attended"].sum() == r.n_attended


def test_the_plan_year_has_no_next_wave_and_is_not_used():
    d = mm.synthesize_district(seed=2018)
    assert training_changes(d)["wave"].max() == d.assessments["wave"].max() - 1


@pytest.mark.parametrize(
    ("change", "needle_en", "needle_zh"),
    [
        ({"training_log": None}, "No training log", "培训签到"),
        ({"assessments": None}, "No assessment panel", "测评"),
    ],
)
def test_without_what_it_needs_it_says_so(change, needle_en, needle_zh):
    d = mm.synthesize_district(seed=1)
    tables = {k: v for k, v in change.items() if v is None}
    d = d.replace(**tables)
    assert needle_en in missing(d, "training")
    assert needle_zh in explain(d, "training", "zh")
    with pytest.raises(mm.DataError):
        training_effect(d)


def test_sessions_only_on_challenges_cannot_tell_a_dimension_effect():
    d = mm.synthesize_district(seed=1)
    s = d.sessions[~d.sessions["topic"].isin(mm.vocab.DIMENSIONS.codes)]
    log = d.training_log[d.training_log["session_id"].isin(s["session_id"])]
    d = d.replace(sessions=s, training_log=log)
    assert "no elective on a capacity-index dimension" in missing(d, "training")
    assert "本节将显示双月选训对所训维度得分的影响" in explain(d, "training", "zh")
