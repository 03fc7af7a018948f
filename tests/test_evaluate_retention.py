"""Retention curves and rare events (mentormatch.evaluate.retention)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import SurvfuncRight
from statsmodels.stats.proportion import proportion_confint

import mentormatch as mm
from mentormatch import evaluate as ev
from mentormatch.evaluate.retention import clopper_pearson, kaplan_meier, survival_at


def test_kaplan_meier_by_hand():
    # 5 subjects: events at 1, 2, 3; censored at 2 and 4.
    km = kaplan_meier(np.array([1, 2, 2, 3, 4]), np.array([1, 1, 0, 1, 0]))
    assert km["time"].tolist() == [1, 2, 3]
    assert km["at_risk"].tolist() == [5, 4, 2]
    assert km["survival"].to_numpy() == pytest.approx([4 / 5, 4 / 5 * 3 / 4, 0.6 * 1 / 2])
    # Greenwood: S^2 * sum d / (n (n - d)).
    greenwood = np.cumsum([1 / (5 * 4), 1 / (4 * 3), 1 / (2 * 1)])
    assert km["se"].to_numpy() == pytest.approx(km["survival"] * np.sqrt(greenwood))
    assert (km["ci_low"] < km["survival"]).all() and (km["survival"] < km["ci_high"]).all()
    assert km["ci_low"].between(0, 1).all() and km["ci_high"].between(0, 1).all()


def test_delayed_entry_by_hand():
    # (entry, time, event): the third joins at 2.5, after the first event, so the
    # event at 2 has 3 at risk, not 4.
    entry = np.array([-1, -1, 2.5, 0.5])
    time = np.array([2, 3, 4, 5])
    event = np.array([1, 0, 1, 1])
    km = kaplan_meier(time, event, entry)
    assert km["at_risk"].tolist() == [3, 2, 1]
    assert km["survival"].to_numpy() == pytest.approx([2 / 3, 1 / 3, 0.0])
    assert km["ci_low"].iloc[-1] == km["ci_high"].iloc[-1] == 0.0
    with pytest.raises(ValueError):
        kaplan_meier(np.array([1.0]), np.array([1]), np.array([2.0]))


def test_kaplan_meier_agrees_with_statsmodels():
    rng = np.random.default_rng(5)
    time = rng.integers(1, 12, 200).astype(float)
    event = rng.random(200) < 0.6
    entry = np.minimum(rng.integers(0, 6, 200) - 0.5, time - 0.5)
    ours = kaplan_meier(time, event, entry)
    theirs = SurvfuncRight(time, event.astype(float), entry=entry)
    assert ours["time"].to_numpy() == pytest.approx(theirs.surv_times)
    assert ours["at_risk"].to_numpy() == pytest.approx(theirs.n_risk)
    assert ours["survival"].to_numpy() == pytest.approx(theirs.surv_prob)
    assert ours["se"].to_numpy() == pytest.approx(theirs.surv_prob_se)


def test_survival_is_a_step_function():
    km = kaplan_meier(np.array([1, 2, 3]), np.array([1, 1, 1]))
    assert survival_at(km, 0.5)["survival"] == 1.0
    assert survival_at(km, 1)["survival"] == pytest.approx(2 / 3)
    assert survival_at(km, 2.9)["survival"] == pytest.approx(1 / 3)


def test_retention_of_the_sample(sample):
    r = ev.retention(sample)
    departures = sample.career[sample.career["event"].isin(["left", "civil_servant"])]
    assert r.people["left"].sum() == departures["secretary_id"].nunique()
    assert r.censor_year == 2025
    assert len(r.people) + r.dropped == len(sample.secretaries)
    people = r.people.set_index("secretary_id")
    secs = sample.secretaries.set_index("secretary_id")
    row = departures.iloc[0]
    assert (
        people.at[row["secretary_id"], "time"]
        == row["year"] - secs.at[row["secretary_id"], "appointed_year"]
    )
    young = people["group"] == "born_1980_or_later"
    assert (secs.loc[people.index[young], "birth_year"] >= 1980).all()
    # Secretaries appointed before 2018 join the risk set in 2018.
    old = secs.loc[people.index, "appointed_year"] < 2018
    expected = 2018 - secs.loc[people.index[old], "appointed_year"] - 0.5
    assert people.loc[old, "entry"].to_numpy() == pytest.approx(expected.to_numpy())
    table = r.table()
    assert set(table["group"]) == {"born_1980_or_later", "born_before_1980"}
    assert (table["ci_low"] <= table["still_in_post"]).all()
    assert 0 <= r.logrank_p <= 1


def test_departures_before_the_window_are_left_out(small):
    secs = small.secretaries
    sid = secs.loc[secs["appointed_year"] < 2015, "secretary_id"].iloc[0]
    career = pd.concat(
        [small.career, pd.DataFrame({"secretary_id": [sid], "event": ["left"], "year": [2016]})],
        ignore_index=True,
    )
    r = ev.retention(small.replace(career=career))
    assert r.dropped == 1
    assert sid not in set(r.people["secretary_id"])
    # Observing from 2010 instead brings the departure back in.
    assert ev.retention(small.replace(career=career), observed_from=2010).dropped == 0


def test_clopper_pearson_agrees_with_statsmodels():
    for k, n in [(0, 10), (1, 96), (6, 316), (10, 10), (3, 7)]:
        low, high = proportion_confint(k, n, alpha=0.05, method="beta")
        assert clopper_pearson(k, n) == pytest.approx((low, high))
    assert all(np.isnan(clopper_pearson(0, 0)))


def test_rare_events_count_people(sample):
    t = ev.rare_events(sample).to_frame().set_index(["event", "group"])
    for event in ("promoted", "civil_servant"):
        had = sample.career.loc[sample.career["event"] == event, "secretary_id"].nunique()
        assert t.loc[(event, "all"), "count"] == had
        assert t.loc[(event, "all"), "n"] == len(sample.secretaries)
        parts = t.loc[(event, "mentored"), "count"] + t.loc[(event, "not_mentored"), "count"]
        assert parts == had
        cohorts = (
            t.loc[(event, "born_1980_or_later"), "n"] + t.loc[(event, "born_before_1980"), "n"]
        )
        assert cohorts == len(sample.secretaries)
    assert (t["ci_low"] <= t["share"]).all() and (t["share"] <= t["ci_high"]).all()


def test_missing_career_records_are_named(sample):
    none = sample.replace(career=None)
    assert "No career records" in ev.missing(none, "retention")
    assert "No career records" in ev.missing(none, "rare_events")
    with pytest.raises(mm.DataError, match="No career records"):
        ev.retention(none)
    with pytest.raises(mm.DataError, match="No career records"):
        ev.rare_events(none)
    promotions_only = sample.replace(career=sample.career[sample.career["event"] == "promoted"])
    assert "no departure" in ev.missing(promotions_only, "retention")
    assert ev.missing(promotions_only, "rare_events") is None


def test_log_rank_undefined_is_reported_not_raised():
    # Zero log-rank variance: statsmodels' survdiff raised LinAlgError (issue 12).
    d = mm.synthesize_district(
        seed=2,
        n_secretaries=10,
        n_mentors=2,
        n_bases=2,
        n_villages=0,
        n_promoted=0,
        n_civil_servant=0,
    )
    r = ev.retention(d)
    assert np.isnan(r.logrank_p)
    assert "undefined" in r.summary()
