"""Evaluation charts (mentormatch.plot.evaluate) and the evaluation notebook's gaps."""

from __future__ import annotations

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from test_plot_district import check, city, english

import mentormatch as mm
import mentormatch.plot as plot
from mentormatch import evaluate as ev
from mentormatch.plot import SYNTHETIC_NOTE
from mentormatch.plot import evaluate as charts
from mentormatch.synth import MENTORING_EFFECT


def texts(fig) -> list[str]:
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()]
        legend = ax.get_legend()
        if legend is not None:
            out += [t.get_text() for t in legend.get_texts()]
    return out


@pytest.fixture(scope="module")
def comparison(sample):
    return mm.compare_strategies(sample, seed=1, n_random=20, n_boot=50, progress=False)


@pytest.fixture(scope="module")
def results(sample):
    """The sample's event study, dose response, retention and rare events."""
    return _results(sample)


@pytest.fixture(scope="module")
def figures(sample, comparison, results):
    cohort = (sample.secretaries.set_index("secretary_id")["birth_year"] >= 1980).map(
        {True: "A", False: "B"}
    )
    made = {
        "capacity": charts.capacity_profile(sample),
        "groups": charts.capacity_by_group(sample, cohort),
        "strategies": charts.strategies(comparison),
        "event": charts.event_time(results["event_time"]),
        "dose": charts.dose_response(results["dose_response"]),
        "retention": charts.retention(results["retention"]),
        "rare": charts.rare_events(results["rare_events"]),
    }
    yield made
    for fig in made.values():
        plt.close(fig)


def test_every_chart_of_synthetic_data_says_so(figures):
    notes = set(SYNTHETIC_NOTE.values())
    for name, fig in figures.items():
        assert notes & set(texts(fig)), name


def test_real_data_carry_no_synthetic_note(sample):
    real = mm.District(**sample.tables, synthetic=False)
    fig = charts.retention(ev.retention(real))
    assert not set(SYNTHETIC_NOTE.values()) & set(texts(fig))
    plt.close(fig)


def test_capacity_chart_draws_the_index_with_withheld_scores_left_out(sample, figures):
    index = mm.capacity_index(sample)
    overall = [line for line in figures["capacity"].axes[0].lines if line.get_linestyle() == "--"]
    assert len(overall) == 1
    expected = index.groupby("wave")["overall"].mean()
    assert overall[0].get_ydata() == pytest.approx(expected.to_numpy())
    # Raw resident scores (those behind fewer than 5 raters included) would differ.
    a = sample.assessments
    raw = a[a["source"] == "resident_qr"].groupby("wave")["score"].mean()
    assert not np.allclose(raw.to_numpy(), expected.to_numpy())


def test_english_labels_without_a_cjk_font(sample, monkeypatch):
    monkeypatch.setattr(plot, "cjk_font", lambda: None)
    fig = charts.rare_events(ev.rare_events(sample))
    labels = texts(fig)
    assert "all secretaries" in labels and "Rank promotion" in labels
    assert SYNTHETIC_NOTE["en"] in labels
    plt.close(fig)


def test_the_truth_is_drawn_when_known(sample):
    fig = charts.event_time(ev.event_study(sample, truth=MENTORING_EFFECT))
    assert any("4.0" in t for t in texts(fig))
    plt.close(fig)
    fig = charts.event_time(ev.event_study(sample))
    assert not any("4.0" in t for t in texts(fig))
    plt.close(fig)


# --- read as a reader would, at every size -----------------------------------------------

CHARTS = [
    "capacity_profile",
    "capacity_by_group",
    "capacity_secretary",
    "event_time",
    "dose_response",
    "retention",
    "rare_events",
]


def _draw(name: str, d: mm.District, results: dict):
    """Chart ``name`` of District ``d`` (or of its result in ``results``)."""
    if name == "capacity_profile":
        return charts.capacity_profile(d)
    if name == "capacity_by_group":
        # One group per sub-district and community type: up to 70 groups.
        s = d.secretaries.set_index("secretary_id")
        return charts.capacity_by_group(
            d,
            s["street_town"].str.cat(s["community_type"]).rank(method="dense").astype(int),
            name=("组", "group"),
        )
    if name == "capacity_secretary":
        return charts.capacity_secretary(d, d.mentees["secretary_id"].iloc[0])
    return getattr(charts, name)(results[name])


def _results(d: mm.District) -> dict:
    return {
        "event_time": ev.event_study(d, truth=MENTORING_EFFECT),
        "dose_response": ev.dose_response(d, truth=MENTORING_EFFECT),
        "retention": ev.retention(d),
        "rare_events": ev.rare_events(d),
    }


@pytest.fixture(scope="module")
def large():
    d = city()
    return d, _results(d)


#: What each chart of the city says in words (where it shows part of the data).
AT_CITY_SIZE = {"capacity_by_group": "人数最多的30组（共"}


@pytest.mark.parametrize("name", CHARTS)
def test_at_city_size_the_chart_fits_a_page_and_reads_in_chinese(large, name):
    d, results = large
    texts = check(lambda: _draw(name, d, results), synthetic=True, timed=True)
    assert any(AT_CITY_SIZE.get(name, "") in t for t in texts)


@pytest.fixture(scope="module")
def pseudonymous(sample, results):
    """The sample under pseudonyms (an English title names no one in Chinese), not
    marked synthetic, with its results."""
    d = mm.District(**sample.pseudonymized().tables, synthetic=False)
    return d, {k: dataclasses.replace(v, synthetic=False) for k, v in results.items()}


@pytest.mark.parametrize("name", CHARTS)
def test_in_english_and_of_real_data(pseudonymous, name):
    d, results = pseudonymous
    with english():
        check(lambda: _draw(name, d, results), synthetic=False)


@pytest.fixture(scope="module")
def tiny(small):
    return small, _results(small)


@pytest.mark.parametrize("name", CHARTS)
def test_small_rosters_still_draw(tiny, name):
    d, results = tiny
    check(lambda: _draw(name, d, results), synthetic=True)


def test_strategies_read_in_both_languages_with_and_without_a_random_baseline(comparison, small):
    with_random = comparison
    without = mm.compare_strategies(small, seed=1, n_random=0, n_boot=20, progress=False)
    texts = check(lambda: charts.strategies(with_random), synthetic=True)
    assert any("随机方案 20 个" in t for t in texts)
    with english():
        texts = check(
            lambda: charts.strategies(dataclasses.replace(without, synthetic=False)),
            synthetic=False,
        )
    assert any("no random baseline" in t for t in texts)


def test_without_assessments_the_capacity_charts_say_so(small):
    d = small.replace(assessments=None)
    for name in ("capacity_profile", "capacity_by_group", "capacity_secretary"):
        texts = check(lambda name=name: _draw(name, d, {}), synthetic=True)
        assert any("组织力测评数据" in t for t in texts), name


def test_a_secretary_or_groups_without_assessments_are_said_in_words(sample):
    texts = check(lambda: charts.capacity_secretary(sample, "S999"), synthetic=True)
    assert any("没有测评记录" in t for t in texts)
    nobody = pd.Series({"S999": 1})
    texts = check(lambda: charts.capacity_by_group(sample, nobody), synthetic=True)
    assert any("没有受测评的书记" in t for t in texts)
