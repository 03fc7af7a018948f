"""Training and supervision charts (mentormatch.plot.training), as a reader sees them."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from test_plot_district import check, english, real

import mentormatch as mm
from mentormatch.evaluate import training_effect
from mentormatch.plot import training as charts
from mentormatch.synth.assumptions import TRAINING_EFFECT


@pytest.fixture(scope="module")
def made(sample):
    plan = mm.match(sample)
    return {
        "plan": plan,
        "training": mm.plan_training(sample, plan=plan),
        "schedule": mm.visit_schedule(sample, plan),
        "effect": training_effect(sample, truth=TRAINING_EFFECT),
    }


def _charts(d, made):
    tp, schedule = made["training"], made["schedule"]
    return {
        "seats": lambda: charts.seats(tp, d.synthetic),
        "need_met": lambda: charts.need_met(tp, d.synthetic),
        "calendar": lambda: charts.visit_calendar(d, schedule),
        "effect": lambda: charts.training_effect(made["effect"]),
    }


@pytest.mark.parametrize("name", ["seats", "need_met", "calendar", "effect"])
def test_each_chart_reads_in_chinese_and_in_english(sample, made, name):
    make = _charts(sample, made)[name]
    zh = check(make, synthetic=True)
    with english():
        en = check(make, synthetic=True)
    assert zh != en


def test_the_seats_chart_shows_every_elective_and_its_fill(sample, made):
    tp = made["training"]
    texts = check(lambda: charts.seats(tp, True), synthetic=True)
    seats = tp.seats()
    for filled, cap in zip(seats["filled"], seats["capacity"], strict=True):
        assert any(f"{filled}/{cap}" in t for t in texts)
    assert any("引领有章法" in t for t in texts)


def test_the_calendar_counts_the_mentors_visits(sample, made):
    schedule = made["schedule"]
    mentor = schedule["mentor_id"].iloc[0]
    fig = charts.visit_calendar(sample, schedule, mentor)
    try:
        numbers = [t.get_text() for t in fig.axes[0].texts]
        mine = schedule[schedule["mentor_id"] == mentor]
        assert sum(int(n) for n in numbers) == len(mine)
        name = sample.mentors.set_index("mentor_id").at[mentor, "name"]
        assert name in fig.axes[0].get_title() and "2025" in fig.get_suptitle()
    finally:
        plt.close(fig)


def test_the_effect_chart_shows_the_truth_only_when_known(sample, made):
    texts = check(lambda: charts.training_effect(made["effect"]), synthetic=True)
    assert any("真实效应" in t for t in texts)
    unknown = training_effect(real(sample))
    texts = check(lambda: charts.training_effect(unknown), synthetic=False)
    assert not any("真实效应" in t for t in texts)


def test_without_electives_or_mentees_the_charts_say_so(sample):
    d = sample.replace(sessions=None, training_log=None)
    tp = mm.plan_training(d)
    texts = check(lambda: charts.seats(tp, True), synthetic=True)
    assert any("没有双月选训" in t for t in texts)
    empty = mm.visit_schedule(sample, mm.match(sample)).iloc[:0]
    texts = check(lambda: charts.visit_calendar(sample, empty), synthetic=True)
    assert any("无需走访" in t for t in texts)
