"""Charts of the salon groups (mentormatch/plot/groups.py)."""

from __future__ import annotations

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pytest
from test_plot_district import check, english

import mentormatch as mm
from mentormatch.plot import SYNTHETIC_NOTE, language
from mentormatch.plot import groups as charts

CHARTS = ["group_overview", "balance_heatmaps", "diversity_vs_random", "exchange_trace"]


def _texts(fig: plt.Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(plt.Text)]


@pytest.fixture(scope="module")
def plan(small):
    return mm.salon_plan(small, n_groups=3, seed=0, n_random=100, progress=False)


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_of_synthetic_data_says_so(plan, name):
    fig = getattr(charts, name)(plan)
    try:
        assert SYNTHETIC_NOTE[language()] in _texts(fig)
    finally:
        plt.close(fig)


def test_charts_of_real_data_carry_no_note(small):
    real = mm.District(**small.tables)  # same tables, not marked synthetic
    plan = mm.salon_plan(real, n_groups=3, n_random=20, progress=False)
    fig = charts.diversity_vs_random(plan)
    try:
        assert not any(note in _texts(fig) for note in SYNTHETIC_NOTE.values())
    finally:
        plt.close(fig)


def test_ours_is_marked_among_the_random_partitions(plan):
    fig = charts.diversity_vs_random(plan)
    try:
        ax = fig.axes[0]
        marks = [line for line in ax.get_lines() if set(line.get_xdata()) == {plan.diversity}]
        assert marks, "a vertical line at our diversity"
        # One histogram per kind of random partition, 40 bars each.
        assert len(ax.patches) == 2 * 40
    finally:
        plt.close(fig)


def test_one_balance_panel_per_variable(plan):
    fig = charts.balance_heatmaps(plan)
    try:
        panels = [ax for ax in fig.axes if ax.images]
        assert len(panels) == len(plan.balance_variables)
        first = panels[0].images[0].get_array()
        assert first.shape[0] == plan.n_groups
    finally:
        plt.close(fig)


def test_a_count_outside_the_bounds_is_outlined(plan):
    # Break one bound by hand: the chart must show it.
    balance = plan.balance.copy()
    balance.loc[0, "within"] = False
    broken = type(plan)(**{**plan.__dict__, "balance": balance})
    fig = charts.balance_heatmaps(broken)
    try:
        boxes = [p for ax in fig.axes for p in ax.patches]
        assert len(boxes) == 1
    finally:
        plt.close(fig)


def test_the_overview_names_each_lead(plan):
    fig = charts.group_overview(plan)
    try:
        texts = " ".join(_texts(fig))
        for name in plan.profiles["lead_name"]:
            assert name in texts
    finally:
        plt.close(fig)


def test_without_a_comparison_the_chart_says_so(small):
    plan = mm.salon_plan(small, n_groups=3, n_random=0)
    fig = charts.diversity_vs_random(plan)
    try:
        assert any("random" in t or "随机" in t for t in _texts(fig))
    finally:
        plt.close(fig)


# --- read as a reader would, at every size -----------------------------------------------


@pytest.fixture(scope="module")
def large():
    """60 groups of a 1,000-secretary district, one start: beyond a row per group.

    A city's 214 groups take a minute to form; 60 already take the charts' other path,
    in seconds."""
    d = mm.synthesize_district(seed=3, n_secretaries=1000, n_mentors=45, n_bases=70)
    return mm.salon_plan(d, n_groups=60, seed=0, n_random=20, n_starts=1, progress=False)


#: What each chart of 60 groups says in words.
MANY_GROUPS = {
    "group_overview": "各组组长见分组名单",
    "balance_heatmaps": "共60组",
    "diversity_vs_random": "60组",
    "exchange_trace": "1个起点",
}


@pytest.mark.parametrize("name", CHARTS)
def test_with_many_groups_the_chart_fits_a_page_and_reads_in_chinese(large, name):
    texts = check(lambda: getattr(charts, name)(large), synthetic=True, timed=True)
    assert any(MANY_GROUPS[name] in t for t in texts)
    if name == "group_overview":
        assert not set(large.profiles["lead_name"]) & set(texts), "no name per group"


@pytest.mark.parametrize("name", CHARTS)
def test_in_english_and_of_real_data(plan, name):
    real = dataclasses.replace(plan, synthetic=False)
    with english():
        check(lambda: getattr(charts, name)(real), synthetic=False)


@pytest.fixture(scope="module")
def single(small):
    """Everyone in one group (no comparison: test_without_a_comparison_the_chart_says_so)."""
    return mm.salon_plan(small, n_groups=1, n_random=10, progress=False)


@pytest.mark.parametrize("name", CHARTS)
def test_one_group_still_draws(single, name):
    check(lambda: getattr(charts, name)(single), synthetic=True)


def test_many_groups_are_counted_not_listed(large):
    fig = charts.balance_heatmaps(large)
    try:
        panels = [ax for ax in fig.axes if ax.images]
        assert len(panels) == len(large.balance_variables)
        # Each panel counts groups: every category's row sums to the number of groups.
        for ax in panels:
            counts = np.nan_to_num(ax.images[0].get_array().filled(np.nan))
            assert (counts.sum(axis=1) == large.n_groups).all()
    finally:
        plt.close(fig)
