"""Charts of a clustering (mentormatch/plot/cluster.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

import mentormatch as mm
from mentormatch.plot import SYNTHETIC_NOTE, language
from mentormatch.plot import cluster as charts

CHARTS = ["k_selection", "challenge_heatmap", "cluster_map", "stability_bars"]


def _texts(fig: plt.Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(plt.Text)]


@pytest.fixture(scope="module")
def result(sample):
    return mm.cluster_secretaries(sample, random_state=0, n_bootstrap=10)


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_of_synthetic_data_says_so(result, name):
    fig = getattr(charts, name)(result)
    try:
        assert SYNTHETIC_NOTE[language()] in _texts(fig)
    finally:
        plt.close(fig)


def test_charts_of_real_data_carry_no_note(sample):
    real = mm.District(**sample.tables)  # same tables, not marked synthetic
    result = mm.cluster_secretaries(real, k=3, random_state=0, n_bootstrap=5)
    fig = charts.stability_bars(result)
    try:
        assert not any(note in _texts(fig) for note in SYNTHETIC_NOTE.values())
    finally:
        plt.close(fig)


def test_the_map_shows_every_cluster_and_the_departed(result):
    fig = charts.cluster_map(result)
    try:
        legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert legend[: result.k] == charts.cluster_names(result)
        assert len(legend) == result.k + 1  # and the departed secretaries
    finally:
        plt.close(fig)


def test_the_selection_chart_marks_the_chosen_k(result):
    fig = charts.k_selection(result)
    try:
        assert len(fig.axes) == 3
        marks = [line for line in fig.axes[0].get_lines() if set(line.get_xdata()) == {result.k}]
        assert marks, "a vertical line at the chosen k"
    finally:
        plt.close(fig)


def test_degenerate_results_still_draw(small):
    s = small.secretaries.copy()
    s["challenges"] = [()] * len(s)
    result = mm.cluster_secretaries(small.replace(secretaries=s), k=3, n_bootstrap=0)
    for name in CHARTS:
        plt.close(getattr(charts, name)(result))
