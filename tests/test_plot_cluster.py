"""Charts of a clustering (mentormatch/plot/cluster.py)."""

from __future__ import annotations

import dataclasses

import matplotlib.pyplot as plt
import pytest
from test_plot_district import check, city, english, only

import mentormatch as mm
from mentormatch.plot import SYNTHETIC_NOTE, language
from mentormatch.plot import cluster as charts

CHARTS = ["k_selection", "challenge_heatmap", "cluster_map", "stability_bars"]


def _texts(fig: plt.Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(plt.Text)]


@pytest.fixture(scope="module")
def result(sample):
    return mm.cluster_secretaries(sample, random_state=0, n_bootstrap=10)


@pytest.fixture(scope="module")
def large():
    """The city's 6,000 secretaries in 6 clusters (k given, no bootstrap)."""
    return mm.cluster_secretaries(city(), k=6, n_bootstrap=0)


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


# --- read as a reader would, at every size -----------------------------------------------


#: What each chart of the city's clusters (k given, no bootstrap) says in words.
AT_CITY_SIZE = {
    "k_selection": "聚类数 k = 6（指定",
    "challenge_heatmap": "各聚类差异最大的14项难题，共24项",
    "cluster_map": "6,000名在任书记",
    "stability_bars": "未测稳定性",
}


@pytest.mark.parametrize("name", CHARTS)
def test_at_city_size_the_chart_fits_a_page_and_reads_in_chinese(large, name):
    texts = check(lambda: getattr(charts, name)(large), synthetic=True, timed=True)
    assert any(AT_CITY_SIZE[name] in t for t in texts)


#: What each chart of the sample's clusters says in English.
IN_ENGLISH = {
    "k_selection": "Choosing the number of clusters: k = 6 (282 secretaries in post)",
    "challenge_heatmap": "14 of 24 challenges, those that differ most",
    "cluster_map": "departed (assigned)",
    "stability_bars": "Cluster stability (10 resamples)",
}


@pytest.mark.parametrize("name", CHARTS)
def test_in_english_and_of_real_data(result, name):
    real = dataclasses.replace(result, synthetic=False)
    with english():
        texts = check(lambda: getattr(charts, name)(real), synthetic=False)
    assert any(IN_ENGLISH[name] in t for t in texts)


@pytest.fixture(scope="module")
def villages(sample):
    """The 3 village secretaries in 2 clusters (22 without challenges: the test above)."""
    d = only(sample, sample.secretaries["community_type"] == "village")
    return mm.cluster_secretaries(d, k=2, n_bootstrap=0)


@pytest.mark.parametrize("name", CHARTS)
def test_a_tiny_roster_reads_well_too(villages, name):
    check(lambda: getattr(charts, name)(villages), synthetic=True)
