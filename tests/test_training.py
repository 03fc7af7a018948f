"""The year's training plan (mentormatch.training): launch class, needs, attendance,
small classes, figures and summary, checked against their definitions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.scoring import proximity_matrix
from mentormatch.training import (
    NeedRule,
    check_attendance,
    default_year,
    launch_class,
    plan_training,
    session_needs,
)
from mentormatch.vocab import DIMENSIONS

YEAR = 2025


@pytest.fixture(scope="module")
def d():
    return mm.synthesize_district(seed=1)


@pytest.fixture(scope="module")
def plan(d):
    return mm.match(d)


@pytest.fixture(scope="module")
def tp(d, plan):
    return plan_training(d, YEAR, plan=plan)


def _sessions(rows):
    """Elective sessions built by hand: (session_id, month, topic, capacity)."""
    return pd.DataFrame(
        [
            {"session_id": s, "format": "elective", "month": m, "topic": t, "capacity": c}
            for s, m, t, c in rows
        ]
    )


def _with_sessions(d, rows):
    empty_log = pd.DataFrame({"secretary_id": [], "session_id": []}, dtype="str")
    return d.replace(sessions=_sessions(rows), training_log=empty_log)


# --- the launch class ------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(class_size=st.integers(1, 60), year=st.integers(2019, 2026))
def test_launch_class_holds_the_new_secretaries_in_even_balanced_classes(d, class_size, year):
    lc = launch_class(d, year, class_size)
    post = d.in_post
    new = post[post["appointed_year"].isin([year, year - 1])]
    assert sorted(lc["secretary_id"]) == sorted(new["secretary_id"])
    if new.empty:
        assert lc.empty
        return
    sizes = lc["class_no"].value_counts()
    assert sorted(sizes.index) == list(range(1, math.ceil(len(new) / class_size) + 1))
    assert sizes.max() <= class_size and sizes.max() - sizes.min() <= 1
    unit = lc["secretary_id"].map(post.set_index("secretary_id")["street_town"])
    per_unit = pd.crosstab(unit, lc["class_no"])
    assert ((per_unit.max(axis=1) - per_unit.min(axis=1)) <= 1).all()


def test_launch_class_in_the_plan(tp, d):
    assert tp.launch_class.equals(launch_class(d, YEAR, 30))
    assert list(tp.launch_class.columns) == ["secretary_id", "class_no"]


# --- needs -----------------------------------------------------------------------------


def _latest(d, year):
    """Each in-post secretary's last score per dimension before ``year``, the slow way."""
    ci = mm.capacity_index(d)
    out = {}
    for sid in d.in_post["secretary_id"]:
        rows = ci[(ci["secretary_id"] == sid) & (ci["wave"] < year)].sort_values("wave")
        out[sid] = {
            dim: (rows[dim].dropna().iloc[-1] if rows[dim].notna().any() else np.nan)
            for dim in DIMENSIONS.codes
        }
    return pd.DataFrame.from_dict(out, orient="index")


def test_dimension_need_is_the_gap_below_the_district_mean(d):
    rows = [(f"E{i}", f"{YEAR}-0{i + 1}", dim, 50) for i, dim in enumerate(DIMENSIONS.codes)]
    needs = session_needs(d, _sessions(rows), YEAR)
    latest = _latest(d, YEAR)
    mean = latest.mean()
    appointed = d.in_post.set_index("secretary_id")["appointed_year"]
    new = appointed > YEAR - 2
    for i, dim in enumerate(DIMENSIONS.codes):
        expected = (mean[dim] - latest[dim]).clip(lower=0).fillna(0.0)
        if dim in ("members_managed", "leads_with_method"):
            expected = expected.where(~new, expected * 1.5)
        got = needs[f"E{i}"]
        assert np.allclose(got.to_numpy(), expected.reindex(got.index).to_numpy())
    never = latest.isna().all(axis=1)
    assert never.any() and (needs.loc[never[never].index] == 0).all().all()


def test_challenge_need_is_given_to_those_who_name_it(d):
    needs = session_needs(d, _sessions([("E1", f"{YEAR}-04", "parking", 30)]), YEAR)
    names = d.in_post.set_index("secretary_id")["challenges"].map(lambda c: "parking" in c)
    assert (needs["E1"] == np.where(names.reindex(needs.index), 5.0, 0.0)).all()
    rule = NeedRule(challenge_need=2.5, new_weight=1.0, foundational=())
    other = session_needs(d, _sessions([("E1", f"{YEAR}-04", "parking", 30)]), YEAR, rule)
    assert set(other["E1"]) == {0.0, 2.5}


def test_a_secretary_appointed_after_the_plan_year_may_not_attend(d):
    needs = session_needs(d, _sessions([("E1", "2024-04", "parking", 30)]), 2024)
    later = d.in_post.set_index("secretary_id")["appointed_year"] > 2024
    assert later.any()
    assert needs.loc[later[later].index, "E1"].isna().all()
    assert needs.loc[later[~later].index, "E1"].notna().all()


def test_repeat_years_bars_a_topic_attended_the_year_before(d):
    rows = [("X1", f"{YEAR}-02", "members_managed", 90), ("X2", f"{YEAR}-04", "parking", 90)]
    needs = session_needs(d, _sessions(rows), YEAR, NeedRule(repeat_years=1))
    past = d.sessions[d.sessions["month"].str.startswith(str(YEAR - 1))]
    mm_ids = past.loc[past["topic"] == "members_managed", "session_id"]
    attended = set(d.training_log.loc[d.training_log["session_id"].isin(mm_ids), "secretary_id"])
    attended &= set(needs.index)
    assert attended
    assert needs.loc[sorted(attended), "X1"].isna().all()
    assert needs.drop(index=sorted(attended))["X1"].notna().all()
    # Nobody attended parking in the year before, so nobody is barred from it.
    assert needs["X2"].notna().all()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"challenge_need": -1.0},
        {"new_weight": float("inf")},
        {"new_years": True},
        {"repeat_years": -1},
        {"foundational": ("parking",)},
    ],
)
def test_a_bad_need_rule_is_a_data_error(kwargs):
    with pytest.raises(mm.DataError) as caught:
        NeedRule(**kwargs)
    assert "NeedRule" in caught.value.message("en") and "NeedRule" in caught.value.message("zh")


@pytest.mark.parametrize(
    "kwargs",
    [{"per_secretary": -1}, {"per_secretary": 1.5}, {"class_size": 0}, {"need_rule": {}}],
)
def test_bad_arguments_are_data_errors(d, plan, kwargs):
    with pytest.raises(mm.DataError):
        plan_training(d, YEAR, plan=plan, **kwargs)


# --- attendance ------------------------------------------------------------------------


def test_attendance_is_valid_and_at_least_greedy(tp):
    capacity = tp.sessions.set_index("session_id")["capacity"]
    topic = tp.sessions.set_index("session_id")["topic"]
    for seats in (tp.attendance, tp.greedy):
        assert check_attendance(seats, tp.needs, capacity, topic, tp.per_secretary) == ()
    f = tp.figures()
    assert f["need_met"] >= f["greedy_need_met"] - 1e-9
    assert f["need_met"] <= f["need_wanted"] + 1e-9
    assert f["seats_filled"] == len(tp.attendance)


def test_the_optimum_beats_greedy_when_seats_are_short(d, plan):
    # The year's six electives with 60 seats each instead of 94: seats run short.
    s = d.sessions.copy()
    s.loc[(s["format"] == "elective") & s["month"].str.startswith(str(YEAR)), "capacity"] = 60
    tp = plan_training(d.replace(sessions=s), YEAR, plan=plan)
    f = tp.figures()
    assert f["seats"] == 360 and f["seats_filled"] > 300
    assert f["gain_over_greedy"] > 1
    capacity = tp.sessions.set_index("session_id")["capacity"]
    topic = tp.sessions.set_index("session_id")["topic"]
    assert check_attendance(tp.attendance, tp.needs, capacity, topic, 2) == ()


def test_needs_cover_the_secretaries_in_post_and_the_years_electives(tp, d):
    assert list(tp.needs.index) == d.in_post["secretary_id"].tolist()
    electives = d.sessions[
        (d.sessions["format"] == "elective") & d.sessions["month"].str.startswith(str(YEAR))
    ]
    assert sorted(tp.needs.columns) == sorted(electives["session_id"])
    assert (tp.needs.fillna(0) >= 0).all().all()


# --- the year --------------------------------------------------------------------------


def test_default_year(d):
    assert default_year(d) == YEAR
    no_sessions = d.replace(sessions=d.sessions.iloc[:0], training_log=d.training_log.iloc[:0])
    assert default_year(no_sessions) == int(d.assessments["wave"].max()) + 1
    bare = no_sessions.replace(assessments=d.assessments.iloc[:0])
    assert default_year(bare) == int(d.secretaries["appointed_year"].max())


def test_a_year_without_electives_plans_the_rest(d, plan):
    tp = plan_training(d, 2031, plan=plan)
    assert tp.needs.shape == (len(d.in_post), 0) and tp.attendance.empty
    assert tp.launch_class.empty
    text = tp.summary("en")
    assert "no elective session in 2031" in text and "no secretary was appointed" in text


# --- small classes ---------------------------------------------------------------------


def test_small_classes_are_the_plans_mentees_at_the_best_fitting_base(tp, d, plan):
    members = tp.small_class_members
    assert dict(zip(members["secretary_id"], members["mentor_id"], strict=True)) == dict(
        plan.assignment
    )
    bases = d.bases.reset_index(drop=True)
    named = d.secretaries.set_index("secretary_id")["challenges"]
    units = d.mentors.set_index("mentor_id")["street_town"]
    for row in tp.small_classes.itertuples():
        ids = members.loc[members["mentor_id"] == row.mentor_id, "secretary_id"]
        counts = pd.Series([c for s in ids for c in named[s]], dtype=object).value_counts()
        score = bases["themes"].map(
            lambda th, counts=counts: int(counts.reindex(th).fillna(0).sum())
        )
        near = proximity_matrix([units[row.mentor_id]], bases["street_town"].tolist())[0]
        key = list(zip(-score, -near, bases["base_id"], strict=True))
        assert bases["base_id"][key.index(min(key))] == row.base_id
        themes = set(bases.set_index("base_id").loc[row.base_id, "themes"])
        assert set(row.challenges) == themes & set(counts.index)
        assert row.n_mentees == len(ids)
        assert row.months == tuple(f"{YEAR}-{m:02d}" for m in range(1, 13))


def test_no_mentee_means_no_small_class(d):
    nobody = d.replace(secretaries=d.secretaries.assign(needs_mentor=False))
    tp = plan_training(nobody, YEAR)
    assert tp.small_classes.empty and tp.small_class_members.empty
    assert "没有结对的书记" in tp.summary("zh")


# --- the plan as a whole ---------------------------------------------------------------


def test_to_frame_puts_each_secretarys_year_on_one_row(tp):
    f = tp.to_frame()
    assert f["secretary_id"].tolist() == list(tp.needs.index)
    assert list(f.columns) == [
        "secretary_id",
        "class_no",
        "elective_1",
        "elective_2",
        "mentor_id",
        "base_id",
    ]
    chosen = f.melt("secretary_id", ["elective_1", "elective_2"]).dropna(subset=["value"])
    got = sorted(zip(chosen["secretary_id"], chosen["value"], strict=True))
    assert got == sorted(
        zip(tp.attendance["secretary_id"], tp.attendance["session_id"], strict=True)
    )
    assert f["class_no"].notna().sum() == len(tp.launch_class)


def test_summary_and_figures_read_as_people_read(tp):
    f = tp.figures()
    assert f["launch_size"] == len(tp.launch_class)
    assert f["electives"] == 6 and f["seats"] == int(tp.sessions["capacity"].sum())
    assert math.isclose(
        sum(f[f"need_met_{c}"] for c in DIMENSIONS.codes) + f["need_met_challenges"],
        f["need_met"],
    )
    for lang in ("zh", "en"):
        text = tp.summary(lang)
        assert "nan" not in text.lower() and "None" not in text and "(" not in text.split("\n")[0]
        assert str(f["seats_filled"]) in text
    assert "启航班" in tp.summary("zh") and "Launch class" in tp.summary("en")


def test_same_data_same_plan(d, plan, tp):
    again = plan_training(d, YEAR, plan=plan)
    for name in ("launch_class", "needs", "attendance", "greedy", "small_class_members"):
        assert getattr(again, name).equals(getattr(tp, name))
    assert again.small_classes.equals(tp.small_classes)
    assert again.summary() == tp.summary()
