"""The capacity index: weights, the residents' rater threshold, grades."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.assess import GRADE_BANDS, MIN_RATERS, SOURCE_WEIGHTS, capacity_index, grade
from mentormatch.vocab import DIMENSIONS, SOURCES


def _one_secretary(small, scores: dict[str, float], residents: int) -> mm.District:
    rows = []
    for dim in DIMENSIONS.codes:
        for src in SOURCES.codes:
            rows.append(
                {
                    "secretary_id": "S001",
                    "wave": 2024,
                    "dimension": dim,
                    "source": src,
                    "score": scores[src],
                    "n_raters": residents if src == "resident_qr" else 1,
                }
            )
    return small.replace(assessments=pd.DataFrame(rows))


def test_weighted_mean_by_hand(small):
    scores = {
        "mentor_visit": 80.0,
        "resident_qr": 60.0,
        "party_committee": 90.0,
        "departments": 70.0,
    }
    ci = capacity_index(_one_secretary(small, scores, residents=20))
    expected = sum(SOURCE_WEIGHTS[s] * v for s, v in scores.items()) / sum(SOURCE_WEIGHTS.values())
    assert ci["overall"].iloc[0] == pytest.approx(expected, abs=0.01)
    assert not ci["resident_withheld"].iloc[0]
    assert ci["n_sources"].iloc[0] == 16


def test_residents_below_five_raters_are_left_out(small):
    scores = {
        "mentor_visit": 80.0,
        "resident_qr": 10.0,
        "party_committee": 80.0,
        "departments": 80.0,
    }
    ci = capacity_index(_one_secretary(small, scores, residents=MIN_RATERS - 1))
    assert ci["overall"].iloc[0] == pytest.approx(80.0)
    assert ci["resident_withheld"].iloc[0]
    assert ci["n_sources"].iloc[0] == 12
    ci5 = capacity_index(_one_secretary(small, scores, residents=MIN_RATERS))
    assert ci5["overall"].iloc[0] < 80.0


def test_custom_weights(small):
    scores = {"mentor_visit": 100.0, "resident_qr": 0.0, "party_committee": 0.0, "departments": 0.0}
    ci = capacity_index(_one_secretary(small, scores, 20), source_weights={"mentor_visit": 1.0})
    assert ci["overall"].iloc[0] == pytest.approx(100.0)
    with pytest.raises(mm.DataError, match="unknown source"):
        capacity_index(small, source_weights={"gossip": 1.0})
    with pytest.raises(mm.DataError):
        capacity_index(small, source_weights={"mentor_visit": -1.0})


def test_one_row_per_secretary_and_wave(sample):
    ci = capacity_index(sample)
    pairs = sample.assessments[["secretary_id", "wave"]].drop_duplicates()
    assert len(ci) == len(pairs)
    assert ci[list(DIMENSIONS.codes)].notna().all().all()
    assert ci["overall"].between(0, 100).all()


def test_no_assessments_gives_an_empty_frame(small):
    ci = capacity_index(small.replace(assessments=None))
    assert ci.empty and "overall" in ci.columns


def test_grades():
    values = pd.Series([band[0] for band in GRADE_BANDS] + [np.nan])
    assert grade(values).tolist()[:-1] == [band[1] for band in GRADE_BANDS]
    assert grade(pd.Series([90.0]), lang="zh").iloc[0] == GRADE_BANDS[0][2]
