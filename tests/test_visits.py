"""The on-site supervision calendar (mentormatch.supervision): every rule checked here
on its own terms (not with the package's check_schedule), on the sample, on random
plans over its geography (hypothesis) and on synthetic districts of many seeds."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.supervision import (
    SCHEDULE_COLUMNS,
    check_schedule,
    default_year,
    describe,
    group_days,
    summary_frame,
    visit_figures,
    visit_schedule,
)
from mentormatch.supervision.checks import min_gap
from mentormatch.vocab import NEIGHBOURS, STREET_TOWNS

#: Closed every year, as the module documents: 1 January, 1-5 May, 1-7 October.
HOLIDAYS = {(1, 1), *((5, d) for d in range(1, 6)), *((10, d) for d in range(1, 8))}
RANK = {t.code: i for i, t in enumerate(STREET_TOWNS)}


@pytest.fixture(scope="module")
def plan(sample):
    return mm.match(sample)


@pytest.fixture(scope="module")
def schedule(sample, plan):
    return visit_schedule(sample, plan)


def _position(day: dt.date) -> float:
    """The day on the year's month scale, computed afresh."""
    return day.month - 1 + (day.day - 1) / calendar.monthrange(day.year, day.month)[1]


def _areas(units: set[str]) -> list[str]:
    """Units u with every unit of a day in u or its neighbours."""
    return [u for u in STREET_TOWNS.codes if units <= {u} | NEIGHBOURS[u]]


def assert_calendar(d, assignment, s, *, visits, max_per_day, year, closed=()):
    """Every rule of the calendar, each a plain assertion."""
    assert list(s.columns) == list(SCHEDULE_COLUMNS)
    assignment = assignment.dropna()
    days = [pd.Timestamp(x).date() for x in s["date"]]
    s = s.assign(day=days)
    # every placed mentee, `visits` times, by its own mentor, numbered 1..visits
    got = s.groupby("secretary_id")
    assert set(got.groups) == set(assignment.index)
    for sid, g in got:
        assert set(g["mentor_id"]) == {assignment[sid]}
        assert sorted(g["visit_no"]) == list(range(1, visits + 1))
        ordered = g.sort_values("visit_no")["day"].tolist()
        assert ordered == sorted(ordered)
        gaps = [(b - a).days for a, b in zip(ordered, ordered[1:], strict=False)]
        assert min(gaps, default=999) >= math.floor(0.75 * 365 / visits), (sid, ordered)
    # visit k in the k-th window, on a working day of the year
    for row in s.itertuples(index=False):
        assert row.day.year == year
        assert row.month == f"{row.day.year}-{row.day.month:02d}"
        k = row.visit_no
        assert 12 * (k - 1) / visits <= _position(row.day) < 12 * k / visits, row
        assert row.day.weekday() < 5 and (row.day.month, row.day.day) not in HOLIDAYS
        assert row.day not in closed
    units = dict(zip(d.secretaries["secretary_id"], d.secretaries["street_town"], strict=True))
    assert (s["street_town"] == s["secretary_id"].map(units)).all()
    community = dict(zip(d.secretaries["secretary_id"], d.secretaries["community_id"], strict=True))
    for (_mid, _day), g in s.groupby(["mentor_id", "day"]):
        assert len(g) <= max_per_day
        g = g.sort_values("order")
        assert g["order"].tolist() == list(range(1, len(g) + 1))
        anchors = _areas(set(g["street_town"]))
        assert anchors, g
        # anchor first, then neighbours in the vocabulary's order, then by community
        keys = [
            [
                (u != a, RANK[u], community[sid])
                for u, sid in zip(g["street_town"], g["secretary_id"], strict=True)
            ]
            for a in anchors
        ]
        assert any(k == sorted(k) for k in keys), g


def assert_spread(s, *, visits):
    """In each window, a mentor's days fall on the window's months in proportion (each
    month's count within one of its share), when the windows are whole months."""
    if 12 % visits:
        return
    span = 12 // visits
    days = s.drop_duplicates(["mentor_id", "date"]).assign(
        m=lambda t: pd.to_datetime(t["date"]).dt.month - 1,
        w=lambda t: t["visit_no"],
    )
    for (_mid, k), g in days.groupby(["mentor_id", "w"]):
        months = range(span * (k - 1), span * k)
        counts = [int((g["m"] == m).sum()) for m in months]
        share = len(g) / span
        assert all(abs(c - share) < 1 for c in counts), (counts, share)


# --- the sample ------------------------------------------------------------------------


def test_columns_dtypes_and_sort(schedule):
    assert list(schedule.columns) == list(SCHEDULE_COLUMNS)
    assert str(schedule["date"].dtype) == "datetime64[s]"
    assert schedule["order"].dtype == np.int64 and schedule["visit_no"].dtype == np.int64
    assert (schedule["date"] == schedule["date"].dt.normalize()).all()
    assert schedule.index.equals(pd.RangeIndex(len(schedule)))
    key = schedule.assign(r=schedule["mentor_id"].rank(method="dense"))
    assert key.sort_values(["r", "date", "order"], kind="stable").index.equals(schedule.index)


def test_the_sample_keeps_every_rule(sample, plan, schedule):
    assert_calendar(sample, plan.assignment, schedule, visits=4, max_per_day=3, year=2025)
    assert_spread(schedule, visits=4)
    assert check_schedule(sample, plan, schedule).empty


def test_mentors_go_out_on_different_days(schedule):
    first = schedule.groupby("mentor_id")["date"].min()
    assert first.nunique() >= len(first) - 2
    days = schedule.drop_duplicates(["mentor_id", "date"])
    assert days.groupby("date").size().max() <= 3


def test_days_are_few_for_the_mentees_a_mentor_has(sample, plan, schedule):
    days = schedule.groupby(["mentor_id", "visit_no"])["date"].nunique()
    mentees = plan.assignment.value_counts()
    for (mid, _k), n in days.items():
        assert math.ceil(mentees[mid] / 3) <= n <= mentees[mid]
    # a sub-district's mentees of one mentor share days: the sample needs few more
    # days than the least possible
    least = sum(math.ceil(n / 3) for n in mentees) * 4
    assert days.sum() <= 1.3 * least


def test_same_input_same_calendar_whatever_the_plan_order(sample, plan, schedule):
    again = visit_schedule(sample, plan.assignment.sample(frac=1, random_state=3))
    pd.testing.assert_frame_equal(again, schedule)


def test_default_year_is_after_the_latest_wave(sample):
    assert default_year(sample) == int(sample.assessments["wave"].max()) + 1 == 2025
    bare = sample.replace(assessments=sample.assessments.iloc[:0])
    assert default_year(bare) == int(sample.secretaries["appointed_year"].max())


def test_a_given_year_and_closed_days_are_kept(sample, plan):
    closed = [dt.date(2026, 2, d) for d in range(16, 21)]  # a Spring Festival week
    s = visit_schedule(sample, plan, year=2026, closed=closed, visits=12, max_per_day=2)
    assert_calendar(sample, plan.assignment, s, visits=12, max_per_day=2, year=2026, closed=closed)
    assert_spread(s, visits=12)
    same = visit_schedule(
        sample, plan, year=2026, closed=[str(c) for c in closed], visits=12, max_per_day=2
    )
    pd.testing.assert_frame_equal(same, s)


def test_unplaced_entries_are_left_out(sample, plan):
    a = plan.assignment.astype(object).copy()
    a.iloc[:5] = None
    s = visit_schedule(sample, a)
    assert set(s["secretary_id"]) == set(a.dropna().index)


def test_a_plan_that_places_nobody_gives_an_empty_calendar(sample):
    s = visit_schedule(sample, pd.Series([], dtype=object))
    assert s.empty and list(s.columns) == list(SCHEDULE_COLUMNS)
    assert str(s["date"].dtype) == "datetime64[s]"
    assert summary_frame(s).empty
    assert "没有" in describe(s, "zh") and "no mentee" in describe(s, "en")


# --- figures ---------------------------------------------------------------------------


def test_summary_frame_counts_visits_per_mentor_and_month(schedule):
    t = summary_frame(schedule)
    assert list(t.columns) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert t.dtypes.eq(np.int64).all()
    direct = schedule.groupby(["mentor_id", "month"]).size()
    for (mid, month), n in direct.items():
        assert t.loc[mid, month] == n
    assert int(t.to_numpy().sum()) == len(schedule)


def test_figures_and_sentences(schedule):
    f = visit_figures(schedule)
    assert f["visits"] == len(schedule) and f["visits_per_mentee"] == 4
    assert f["per_day_max"] <= 3 and f["year"] == 2025
    assert f["per_month_mean"] == pytest.approx(len(schedule) / f["mentors"] / 12)
    zh, en = describe(schedule, "zh"), describe(schedule, "en")
    assert "2025 年" in zh and "每季度一次" in zh and f"{f['visits']} 次" in zh
    assert "once a quarter" in en and not any("\u4e00" <= ch <= "\u9fff" for ch in en)


# --- random plans and random districts -------------------------------------------------


@st.composite
def random_plans(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    visits = draw(st.integers(1, 12))
    max_per_day = draw(st.integers(1, 5))
    year = draw(st.integers(2020, 2030))
    n_closed = draw(st.integers(0, 5))
    return seed, visits, max_per_day, year, n_closed


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=random_plans())
def test_random_plans_keep_every_rule(sample, case):
    seed, visits, max_per_day, year, n_closed = case
    rng = np.random.default_rng(seed)
    people = sample.in_post[["secretary_id", "street_town"]]
    # mentees drawn from a few sub-districts or from all, as a mentor's often are
    weights = rng.dirichlet(np.full(10, rng.choice([0.2, 1.0, 5.0])))
    w = people["street_town"].map(dict(zip(STREET_TOWNS.codes, weights, strict=True)))
    mentors = sample.mentors["mentor_id"].tolist()[: rng.integers(1, 14)]
    n = int(rng.integers(1, 12 * len(mentors) + 1))
    chosen = rng.choice(len(people), size=n, replace=False, p=(w / w.sum()).to_numpy())
    load = rng.dirichlet(np.ones(len(mentors)))
    who = rng.choice(len(mentors), size=n, p=load)
    # at most 12 mentees each: a mentor's days always fit in a month of working days
    keep = pd.Series(who).groupby(who).cumcount().to_numpy() < 12
    a = pd.Series(
        [mentors[i] for i in who[keep]], index=people["secretary_id"].to_numpy()[chosen[keep]]
    )
    start = dt.date(year, 1, 20)
    closed = [start + dt.timedelta(days=int(x)) for x in rng.choice(30, n_closed, replace=False)]
    s = visit_schedule(sample, a, visits=visits, max_per_day=max_per_day, year=year, closed=closed)
    assert_calendar(sample, a, s, visits=visits, max_per_day=max_per_day, year=year, closed=closed)
    assert_spread(s, visits=visits)
    assert check_schedule(sample, a, s, visits=visits, max_per_day=max_per_day, closed=closed).empty


@pytest.mark.parametrize("seed", [1, 7, 42, 2018, 31337])
def test_synthetic_districts_of_many_seeds_keep_every_rule(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(60, 220))
    d = mm.synthesize_district(seed, n_secretaries=n, n_mentors=max(3, n // 20), n_bases=8)
    plan = mm.match(d)
    for visits, per_day in ((4, 3), (int(rng.integers(1, 13)), int(rng.integers(1, 5)))):
        s = visit_schedule(d, plan, visits=visits, max_per_day=per_day)
        year = default_year(d)
        assert_calendar(d, plan.assignment, s, visits=visits, max_per_day=per_day, year=year)
        assert_spread(s, visits=visits)


def test_min_gap_is_three_quarters_of_a_window_or_more():
    assert all(min_gap(v) >= math.floor(0.75 * 365 / v) for v in range(1, 13))


# --- days ------------------------------------------------------------------------------


def test_group_days_fills_days_within_one_area():
    units = ["caoyang"] * 7 + ["taopu", "wanli"]
    days = group_days(units, 3)
    assert sorted(i for _a, p in days for i in p) == list(range(9))
    # the least possible: the last caoyang mentee goes out with taopu and wanli on a
    # day anchored on zhenru, which borders all three
    assert len(days) == 3 and days[-1][0] == "zhenru"
    for anchor, positions in days:
        assert {units[i] for i in positions} <= {anchor} | NEIGHBOURS[anchor]


def test_a_day_may_be_anchored_between_two_units():
    # ganquan and changfeng do not border each other; both border caoyang
    days = group_days(["ganquan", "changfeng"], 3)
    assert len(days) == 1 and days[0][0] in ("caoyang", "zhenru")


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, word",
    [
        ({"visits": 0}, "visits"),
        ({"visits": 13}, "visits"),
        ({"visits": 2.5}, "visits"),
        ({"visits": True}, "visits"),
        ({"visits": "4"}, "visits"),
        ({"max_per_day": 0}, "max_per_day"),
        ({"max_per_day": 1.5}, "max_per_day"),
        ({"year": "2025"}, "year"),
        ({"year": 1800}, "year"),
        ({"closed": ["not a day"]}, "closed"),
    ],
)
def test_bad_arguments_are_one_clear_sentence(sample, plan, options, word):
    with pytest.raises(mm.DataError) as caught:
        visit_schedule(sample, plan, **options)
    en, zh = caught.value.message("en"), caught.value.message("zh")
    assert en.startswith(word) and zh.startswith(word)
    assert en.count(". ") == 0 and "例如" in zh


def test_a_plan_of_another_district_is_refused(sample, plan):
    other = plan.assignment.copy()
    other.index = ["X" + i for i in other.index]
    with pytest.raises(mm.DataError, match="does not have"):
        visit_schedule(sample, other)
    wrong = plan.assignment.copy()
    wrong.iloc[0] = "M999"
    with pytest.raises(mm.DataError, match="M999"):
        visit_schedule(sample, wrong)
    twice = pd.concat([plan.assignment, plan.assignment.iloc[:1]])
    with pytest.raises(mm.DataError, match="more than once"):
        visit_schedule(sample, twice)
    gone = sample.secretaries.loc[sample.departed.to_numpy(), "secretary_id"].iloc[0]
    with pytest.raises(mm.DataError, match="left the post"):
        visit_schedule(sample, pd.Series({gone: "M001"}))
    with pytest.raises(mm.DataError, match="Plan"):
        visit_schedule(sample, "plan.xlsx")


def test_more_days_than_a_window_has_is_infeasible_and_says_what_to_change(sample):
    a = pd.Series("M001", index=sample.mentees["secretary_id"].iloc[:30])
    with pytest.raises(mm.InfeasibleError) as caught:
        visit_schedule(sample, a, visits=12, max_per_day=1)
    name = sample.mentors.set_index("mentor_id").loc["M001", "name"]
    assert name in caught.value.message("zh") and "max_per_day" in caught.value.message("en")
    assert caught.value.details["mentor_id"] == "M001"
    # the same mentees fit with two visits a day
    assert len(visit_schedule(sample, a, visits=12, max_per_day=2)) == 360


# --- the package's own checker catches what breaks a rule ------------------------------


def test_check_schedule_names_each_broken_rule(sample, plan, schedule):
    def broken(**changes):
        s = schedule.copy()
        for column, (rows, value) in changes.items():
            s.loc[rows, column] = value
        return set(check_schedule(sample, plan, s)["rule"])

    first = schedule.index[0]
    day = schedule.loc[first, "date"]
    saturday = day + pd.Timedelta(days=(5 - day.weekday()) % 7)
    assert "working_day" in broken(date=([first], saturday))
    assert "window" in broken(visit_no=([first], 2))
    same_day = schedule.index[schedule["mentor_id"] == schedule.loc[first, "mentor_id"]][:4]
    assert "per_day" in broken(date=(same_day, day))
    day_rows = schedule.index[
        (schedule["mentor_id"] == schedule.loc[first, "mentor_id"]) & (schedule["date"] == day)
    ]
    assert len(day_rows) >= 2
    # changshou and taopu share no neighbour: no day can hold both
    s = schedule.copy()
    s.loc[day_rows[0], "street_town"] = "changshou"
    s.loc[day_rows[1], "street_town"] = "taopu"
    assert "one_area" in set(check_schedule(sample, plan, s)["rule"])
    assert "order" in broken(order=([first], 9))
    assert "visits" in set(check_schedule(sample, plan, schedule.iloc[1:])["rule"])


# --- scale -----------------------------------------------------------------------------


def test_a_city_of_6000_is_scheduled_in_well_under_a_few_seconds():
    d = mm.synthesize_district(seed=1, n_secretaries=6000, n_mentors=272, n_bases=400)
    plan = mm.match(d)
    start = time.perf_counter()
    s = visit_schedule(d, plan)
    took = time.perf_counter() - start
    assert took < 3.0, took
    assert len(s) == 4 * len(plan.assignment)
    assert check_schedule(d, plan, s).empty
