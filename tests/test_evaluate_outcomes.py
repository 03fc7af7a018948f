"""Programme effects on the capacity index (mentormatch.evaluate.outcomes)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

import mentormatch as mm
from mentormatch import evaluate as ev
from mentormatch.evaluate.outcomes import doses, outcome_panel
from mentormatch.synth import MENTORING_EFFECT

COVERAGE_SEEDS = range(50)


def test_the_interval_covers_the_truth_in_about_95_percent_of_districts():
    """The honest check of the method: 50 synthetic districts, three true effects."""
    effects = (MENTORING_EFFECT, 0.0, 2.5)
    covered, errors = [], []
    for seed in COVERAGE_SEEDS:
        truth = effects[seed % 3]
        d = mm.synthesize_district(seed=seed, mentoring_effect=truth)
        result = ev.did(d, truth=truth)
        covered.append(result.covers_truth)
        errors.append(result.estimate - truth)
    rate = float(np.mean(covered))
    print(f"DiD 95% interval covered the true effect in {rate:.0%} of {len(covered)} districts")
    assert 0.90 <= rate <= 0.99
    assert abs(np.mean(errors)) < 0.1  # no bias to speak of


def test_within_estimate_equals_the_dummy_variable_regression(sample):
    panel = outcome_panel(sample)
    # Secretaries with one wave carry no within information; both fits drop them.
    panel = panel[panel.groupby("secretary_id")["y"].transform("size") > 1]
    lsdv = smf.ols("y ~ treated + C(secretary_id) + C(wave)", data=panel).fit()
    result = ev.did(sample)
    assert result.estimate == pytest.approx(lsdv.params["treated[T.True]"], abs=1e-8)
    assert result.n_obs == len(panel)
    assert result.ci_low < result.estimate < result.ci_high


def test_sample_estimate_against_the_truth(sample):
    result = ev.did(sample, truth=MENTORING_EFFECT)
    assert result.covers_truth is True
    assert result.to_frame().loc["ATT", "truth"] == MENTORING_EFFECT
    assert "true effect +4.00" in result.summary()
    assert ev.did(sample).covers_truth is None


def test_event_study_is_flat_before_and_at_the_effect_after(sample):
    study = ev.event_study(sample, truth=MENTORING_EFFECT)
    t = study.table.set_index("event_time")
    assert t.loc[-1, "estimate"] == 0 and np.isnan(t.loc[-1, "se"])
    assert list(t["label"].iloc[[0, -1]]) == ["<=-4", ">=4"]
    leads = t.loc[t.index < -1]
    lags = t.loc[t.index >= 0]
    assert (leads["ci_low"] < 0).all() and (leads["ci_high"] > 0).all()
    assert lags["estimate"].mean() == pytest.approx(MENTORING_EFFECT, abs=0.5)
    assert (lags["truth"] == MENTORING_EFFECT).all() and (leads["truth"] == 0).all()
    assert 0 < study.pretrend_p <= 1
    with pytest.raises(mm.DataError):
        ev.event_study(sample, window=(-1, 3))


def test_a_growing_effect_shows_in_the_event_study(sample):
    # Add 1 point per year since the start: the lags must climb, the leads stay flat.
    a = sample.assessments
    since = a["secretary_id"].map(sample.secretaries.set_index("secretary_id")["mentored_since"])
    years = (a["wave"] - since.astype(float)).where(lambda x: x >= 0, 0).fillna(0)
    # Everyone 10 points lower (fixed effects absorb it) keeps scores within 0-100.
    grown = sample.replace(assessments=a.assign(score=a["score"] - 10 + years))
    t = ev.event_study(grown).table.set_index("event_time")
    base = ev.event_study(sample).table.set_index("event_time")
    for k in (0, 1, 2, 3):
        assert t.loc[k, "estimate"] - base.loc[k, "estimate"] == pytest.approx(k, abs=0.05)
    # Only the binned last year (4 and 5 years in) mixes growth into the leads, a little.
    for k in (-4, -3, -2):
        assert t.loc[k, "estimate"] == pytest.approx(base.loc[k, "estimate"], abs=0.05)


def test_doses_are_pair_scores_with_the_previous_mentor(sample):
    table = doses(sample)
    assert len(table) == sample.secretaries["previous_mentor_id"].notna().sum()
    scores = mm.score_pairs(sample, mentees=sample.secretaries).set_index(
        ["secretary_id", "mentor_id"]
    )["total"]
    for row in table.itertuples():
        assert row.dose == pytest.approx(scores[(row.secretary_id, row.mentor_id)])
    assert set(table["dose_source"]) == {"previous_mentor"}


def test_doses_from_a_plan_when_the_previous_mentor_is_unknown(sample):
    cleared = sample.replace(
        secretaries=sample.secretaries.assign(previous_mentor_id=pd.NA).astype(
            {"previous_mentor_id": "str"}
        )
    )
    assert doses(cleared).empty
    plan = mm.match(cleared)
    table = doses(cleared, plan)
    mentored = cleared.mentees["mentored_since"].notna().sum()
    assert len(table) == mentored > 0
    assert set(table["dose_source"]) == {"plan"}


def test_too_few_doses_give_a_note_not_a_number(sample):
    result = ev.dose_response(sample, mm.match(sample), truth=MENTORING_EFFECT)
    assert result.n_with_dose < 20
    assert np.isnan(result.slope) and "too few" in result.note
    assert result.summary() == result.note
    assert len(result.people) == result.n_with_dose


@pytest.fixture(scope="module")
def bigger():
    return mm.synthesize_district(seed=3, n_secretaries=1410, n_mentors=65, n_bases=100)


def test_dose_response_is_flat_when_the_truth_is(bigger):
    result = ev.dose_response(bigger, truth=MENTORING_EFFECT)
    assert result.n_with_dose >= 20
    assert result.slope_low < 0 < result.slope_high
    assert result.effect_low < MENTORING_EFFECT < result.effect_high


def test_dose_response_recovers_a_slope_put_in_by_hand(bigger):
    # 2 more points per 0.1 of pair score, in the waves after mentoring began.
    table = doses(bigger).set_index("secretary_id")
    centre = table["dose"].mean()
    a = bigger.assessments
    since = a["secretary_id"].map(bigger.secretaries.set_index("secretary_id")["mentored_since"])
    extra = 2.0 * (a["secretary_id"].map(table["dose"]) - centre) / 0.1
    extra = extra.where(a["wave"] >= since.astype(float), 0).fillna(0)
    # Everyone 10 points lower (fixed effects absorb it) keeps scores within 0-100.
    shifted = bigger.replace(assessments=a.assign(score=a["score"] - 10 + extra))
    result = ev.dose_response(shifted)
    assert result.slope_low < 2.0 < result.slope_high
    assert result.slope_low > 1.0
    people = result.people.dropna(subset=["own_effect"])
    slope_of_own_effects = np.polyfit(people["dose"] / 0.1, people["own_effect"], 1)[0]
    assert slope_of_own_effects == pytest.approx(2.0, abs=0.6)


def test_missing_tables_are_named_not_crashed_on(sample):
    no_panel = sample.replace(assessments=None)
    for analysis in ("capacity", "did", "dose"):
        assert "No assessment panel" in ev.missing(no_panel, analysis)
    with pytest.raises(mm.DataError, match="No assessment panel"):
        ev.did(no_panel)
    with pytest.raises(mm.DataError, match="No assessment panel"):
        ev.dose_response(no_panel)
    never = sample.replace(
        secretaries=sample.secretaries.assign(mentored_since=pd.NA).astype(
            {"mentored_since": "Int64"}
        )
    )
    assert "no treated group" in ev.missing(never, "did")
    with pytest.raises(mm.DataError):
        ev.event_study(never)
    assert ev.missing(sample, "did") is None
    with pytest.raises(mm.DataError):
        ev.missing(sample, "everything")


def test_no_secretary_assessed_before_and_after_mentoring_is_not_identified(sample):
    # One wave only: every mentored secretary is seen after the start, none before, so
    # the two-way fixed effects cannot separate mentoring from the secretary (issue 10:
    # the report printed +0.00 with a zero-width interval).
    one_wave = sample.assessments[sample.assessments["wave"] == 2024]
    d = sample.replace(assessments=one_wave)
    assert "before and after" in ev.missing(d, "did")
    assert ev.missing(sample, "did") is None
