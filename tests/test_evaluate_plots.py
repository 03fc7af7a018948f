"""Evaluation charts (mentormatch.plot.evaluate) and the evaluation notebook's gaps."""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import ROOT

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
def figures(sample):
    comparison = mm.compare_strategies(sample, seed=1, n_random=20, n_boot=50, progress=False)
    cohort = (sample.secretaries.set_index("secretary_id")["birth_year"] >= 1980).map(
        {True: "A", False: "B"}
    )
    made = {
        "capacity": charts.capacity_profile(sample),
        "groups": charts.capacity_by_group(sample, cohort),
        "strategies": charts.strategies(comparison),
        "event": charts.event_time(ev.event_study(sample, truth=MENTORING_EFFECT)),
        "dose": charts.dose_response(ev.dose_response(sample, truth=MENTORING_EFFECT)),
        "retention": charts.retention(ev.retention(sample)),
        "rare": charts.rare_events(ev.rare_events(sample)),
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


def test_notebook_says_what_is_missing(sample, tmp_path):
    """The evaluation notebook runs on a roster without assessments or career records."""
    papermill = pytest.importorskip("papermill")
    data = tmp_path / "roster"
    mm.save_district(sample.replace(assessments=None, career=None), data)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "05_evaluate_outcomes.ipynb"),
        str(out),
        parameters={"DATA": str(data), "SEED": 1},
        cwd=str(ROOT / "notebooks"),
        kernel_name="python3",
        progress_bar=False,
    )
    printed, shown = "", ""
    for cell in json.loads(out.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                printed += "".join(output["text"])
            shown += "".join(output.get("data", {}).get("text/plain", ""))
    assert printed.count("No assessment panel") >= 3
    assert printed.count("No career records") == 2
    assert "optimal total" in shown  # the matching sections still ran
