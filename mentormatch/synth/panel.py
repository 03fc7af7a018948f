"""What happened to the district's secretaries: career events (promotions, recruitment
as civil servants, departures) and the assessment panel with its known mentoring effect.

Score of secretary *i*, wave *w*, dimension *d*, source *s*::

    score = BASE_SCORE + ability_i + dim_i,d + YEAR_TREND * (w - 2018)
            + EXPERIENCE_GAIN * (w - appointed_i) + SOURCE_BIAS_s
            + effect * [mentored_since_i <= w]
            + training_effect * (electives on d attended before w) + noise_s

(clipped to 0-100). The effect is constant over time and across people, so that a
two-way fixed-effects difference-in-differences is unbiased for it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.synth.assumptions import (
    BASE_SCORE,
    DIMENSION_SD,
    EXPERIENCE_GAIN,
    NOISE_SD,
    RESIDENT_RATER_SD,
    RESIDENT_RATERS_MEAN,
    SOURCE_BIAS,
    WAVES,
    YEAR_TREND,
)
from mentormatch.vocab import DIMENSIONS, SOURCES

__all__ = ["career_events", "assessment_panel"]


def career_events(
    rng: np.random.Generator, people: pd.DataFrame, n_promoted: int, n_civil: int
) -> pd.DataFrame:
    """Career events: everyone who left (the ``n_civil`` most able as civil servants,
    the others ``left``), and ``n_promoted`` rank promotions of able secretaries in post
    with some years behind them.

    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1, assessments=False)
    >>> d.career["event"].value_counts().to_dict()["promoted"]
    6
    """
    first, last = WAVES
    left = people["_left_year"].to_numpy()
    ability = people["_ability"].to_numpy()
    appointed = people["appointed_year"].to_numpy()
    events = []
    # Recruitment as civil servant: the most able among those who left.
    departed = np.flatnonzero(left > 0)
    civil = departed[np.argsort(-ability[departed], kind="stable")][:n_civil]
    for i in departed:
        event = "civil_servant" if i in civil else "left"
        events.append((people.at[i, "secretary_id"], event, int(left[i])))
    # Rank promotion: able secretaries in post with some years behind them.
    in_post = np.flatnonzero((left == 0) & (appointed <= last - 3))
    promoted = in_post[
        np.argsort(-(ability[in_post] + 0.3 * (last - appointed[in_post])), kind="stable")
    ][:n_promoted]
    for i in promoted:
        year = int(rng.integers(max(first + 1, appointed[i] + 3), last + 1))
        events.append((people.at[i, "secretary_id"], "promoted", year))
    career = pd.DataFrame(events, columns=["secretary_id", "event", "year"])
    return career.sort_values(["secretary_id", "year", "event"], kind="stable").reset_index(
        drop=True
    )


def assessment_panel(
    rng: np.random.Generator,
    people: pd.DataFrame,
    effect: float,
    trained: np.ndarray | None = None,
    training_effect: float = 0.0,
) -> pd.DataFrame:
    """One score per secretary, wave in post, dimension and source, from the model
    above with mentoring effect ``effect`` and, when ``trained`` counts the electives on
    each dimension attended before each wave (person, dimension, wave - first wave),
    ``training_effect`` points per such elective; residents' scores average over a
    random number of raters.

    >>> import mentormatch as mm
    >>> panel = mm.synthesize_district(seed=1).assessments
    >>> bool(panel["score"].between(0, 100).all()), int(panel["wave"].min())
    (True, 2018)
    """
    first, last = WAVES
    dims = DIMENSIONS.codes
    sources = SOURCES.codes
    appointed = people["appointed_year"].to_numpy()
    left = people["_left_year"].to_numpy()
    since = people["mentored_since"].fillna(0).to_numpy(dtype=int)
    ability = people["_ability"].to_numpy()
    n = len(people)
    dim_effect = rng.normal(0, DIMENSION_SD, size=(n, len(dims)))
    waves = np.arange(first, last + 1)
    # One record per (person, wave in post, dimension, source), built as arrays.
    person, wave = np.meshgrid(np.arange(n), waves, indexing="ij")
    person, wave = person.ravel(), wave.ravel()
    keep = (appointed[person] <= wave) & ((left[person] == 0) | (wave < left[person]))
    person, wave = person[keep], wave[keep]
    m = len(person)
    nd, ns = len(dims), len(sources)
    person = np.repeat(person, nd * ns)
    wave = np.repeat(wave, nd * ns)
    dim = np.tile(np.repeat(np.arange(nd), ns), m)
    src = np.tile(np.arange(ns), m * nd)
    treated = (since[person] > 0) & (since[person] <= wave)
    bias = np.array([SOURCE_BIAS[s] for s in sources])[src]
    resident = np.array([s == "resident_qr" for s in sources])[src]
    raters = np.ones(len(person), dtype=int)
    n_res = int(resident.sum())
    raters[resident] = np.maximum(
        1, rng.poisson(RESIDENT_RATERS_MEAN * np.exp(rng.normal(0, 0.6, size=n_res)))
    )
    departments = np.array([s == "departments" for s in sources])[src]
    raters[departments] = rng.integers(1, 4, size=int(departments.sum()))
    sd = np.array([NOISE_SD[s] for s in sources])[src].astype(float)
    sd[resident] = np.hypot(sd[resident], RESIDENT_RATER_SD / np.sqrt(raters[resident]))
    score = (
        BASE_SCORE
        + ability[person]
        + dim_effect[person, dim]
        + YEAR_TREND * (wave - first)
        + EXPERIENCE_GAIN * (wave - appointed[person])
        + bias
        + effect * treated
        + (0.0 if trained is None else training_effect * trained[person, dim, wave - first])
        + rng.normal(0, 1, size=len(person)) * sd
    )
    ids = people["secretary_id"].to_numpy()
    panel = pd.DataFrame(
        {
            "secretary_id": ids[person],
            "wave": wave,
            "dimension": np.array(dims)[dim],
            "source": np.array(sources)[src],
            "score": np.round(np.clip(score, 0, 100), 1),
            "n_raters": raters,
        }
    )
    order = np.lexsort((src, dim, wave, ids[person]))
    return panel.iloc[order].reset_index(drop=True)
