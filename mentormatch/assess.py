"""The organizational-capacity index (组织力评估): 4 dimensions x 4 sources.

Putuo's own weights and grade bands are not public; the ones here are assumptions,
documented and configurable:

* each dimension's score is a weighted mean of the sources present, with
  :data:`SOURCE_WEIGHTS` renormalised over the sources present;
* residents' anonymous QR scores count only when at least :data:`MIN_RATERS` residents
  stand behind them; otherwise they are left out and the row is flagged;
* the overall index is the mean of the dimensions weighted by :data:`DIMENSION_WEIGHTS`;
* :data:`GRADE_BANDS` turn the overall index into a grade.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.vocab import DIMENSIONS, SOURCES

__all__ = [
    "capacity_index",
    "latest_capacity",
    "SOURCE_WEIGHTS",
    "DIMENSION_WEIGHTS",
    "GRADE_BANDS",
    "MIN_RATERS",
]

#: Weight of each source within a dimension (assumption): the mentor's field visit and
#: the residents carry most, the Party committee next, functional departments least.
SOURCE_WEIGHTS: dict[str, float] = {
    "mentor_visit": 0.30,
    "resident_qr": 0.30,
    "party_committee": 0.25,
    "departments": 0.15,
}
#: Weight of each dimension in the overall index (assumption: equal).
DIMENSION_WEIGHTS: dict[str, float] = {code: 0.25 for code in DIMENSIONS.codes}
#: Residents' scores are used, and shown, only when this many raters stand behind them.
MIN_RATERS = 5
#: (lower bound, code, Chinese label, English label), highest first (assumption).
GRADE_BANDS: tuple[tuple[float, str, str, str], ...] = (
    (85.0, "excellent", "优秀", "Excellent"),
    (75.0, "good", "良好", "Good"),
    (65.0, "adequate", "合格", "Adequate"),
    (0.0, "needs_support", "待提升", "Needs support"),
)


def capacity_index(
    d: District,
    *,
    source_weights: Mapping[str, float] | None = None,
    dimension_weights: Mapping[str, float] | None = None,
    min_raters: int = MIN_RATERS,
) -> pd.DataFrame:
    """The capacity index: one row per secretary and wave.

    Parameters
    ----------
    d : District
    source_weights, dimension_weights : mapping, optional
        Override :data:`SOURCE_WEIGHTS` / :data:`DIMENSION_WEIGHTS` (need not sum to 1).
    min_raters : int
        Residents' scores behind fewer raters are left out (and flagged).

    Returns
    -------
    DataFrame
        Columns ``secretary_id``, ``wave``, one column per dimension, ``overall``,
        ``grade``, ``n_sources`` (sources used, summed over dimensions) and
        ``resident_withheld`` (residents' scores left out for too few raters).
        Empty (with these columns) when the District has no assessments.

    Examples
    --------
    >>> import mentormatch as mm
    >>> ci = mm.capacity_index(mm.synthesize_district(seed=1))
    >>> list(ci.columns[:3])
    ['secretary_id', 'wave', 'members_managed']
    >>> bool(ci["overall"].between(0, 100).all())
    True
    """
    sw = _weights(source_weights, SOURCE_WEIGHTS, SOURCES.codes, "source")
    dw = _weights(dimension_weights, DIMENSION_WEIGHTS, DIMENSIONS.codes, "dimension")
    a = d.assessments
    dims = list(DIMENSIONS.codes)
    columns = ["secretary_id", "wave", *dims, "overall", "grade", "n_sources", "resident_withheld"]
    if a.empty:
        return pd.DataFrame({c: pd.Series([], dtype=_dtype(c)) for c in columns})
    withheld = (a["source"] == "resident_qr").to_numpy() & (a["n_raters"] < min_raters).to_numpy()
    used = a[~withheld]
    weight = used["source"].map(sw).to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "secretary_id": used["secretary_id"].to_numpy(),
            "wave": used["wave"].to_numpy(),
            "dimension": used["dimension"].to_numpy(),
            "ws": used["score"].to_numpy(dtype=float) * weight,
            "w": weight,
            "n": np.ones(len(used), dtype=int),
        }
    )
    agg = frame.groupby(["secretary_id", "wave", "dimension"], sort=True)[["ws", "w", "n"]].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        agg["score"] = agg["ws"] / agg["w"]
    wide = agg["score"].unstack("dimension").reindex(columns=dims)
    n_sources = agg["n"].groupby(level=["secretary_id", "wave"]).sum()
    keys = a[["secretary_id", "wave"]].drop_duplicates().sort_values(["secretary_id", "wave"])
    index = pd.MultiIndex.from_frame(keys)
    wide = wide.reindex(index)
    dim_w = np.array([dw[c] for c in dims])
    values = wide.to_numpy(dtype=float)
    present = ~np.isnan(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = np.nansum(values * dim_w, axis=1) / (present * dim_w).sum(axis=1)
    out = wide.reset_index()
    out.columns.name = None
    out["overall"] = np.round(overall, 2)
    for c in dims:
        out[c] = out[c].round(2)
    out["grade"] = grade(out["overall"])
    out["n_sources"] = n_sources.reindex(index).fillna(0).astype(int).to_numpy()
    held = pd.Series(withheld, index=a.index).groupby([a["secretary_id"], a["wave"]]).sum()
    out["resident_withheld"] = held.reindex(index).fillna(0).astype(int).to_numpy() > 0
    return out[columns].reset_index(drop=True)


def grade(overall: pd.Series, lang: str | None = None) -> pd.Series:
    """Grade band of each overall score: codes, or labels in ``lang`` ("zh"/"en").

    >>> grade(pd.Series([90.0, 70.0, float("nan")])).tolist()
    ['excellent', 'adequate', nan]
    """
    values = overall.to_numpy(dtype=float)
    out = np.full(len(values), np.nan, dtype=object)
    for low, code, zh, en in reversed(GRADE_BANDS):
        name = {"zh": zh, "en": en}.get(lang or "", code)
        out[values >= low] = name
    return pd.Series(out, index=overall.index, dtype="str")


def latest_capacity(d: District, **kwargs) -> pd.Series:
    """Each secretary's overall index at their latest assessed wave (NaN if never).

    Indexed by ``secretary_id`` in the order of ``d.secretaries``.
    """
    ids = d.secretaries["secretary_id"]
    ci = capacity_index(d, **kwargs)
    if ci.empty:
        return pd.Series(np.nan, index=pd.Index(ids, name="secretary_id"), name="capacity")
    last = ci.sort_values(["secretary_id", "wave"]).groupby("secretary_id").tail(1)
    return last.set_index("secretary_id")["overall"].reindex(ids).rename("capacity")


def _weights(
    given: Mapping[str, float] | None, default: Mapping[str, float], codes, what: str
) -> dict[str, float]:
    weights = dict(default if given is None else given)
    unknown = sorted(set(weights) - set(codes))
    if unknown:
        raise DataError(f"unknown {what} in weights: {', '.join(unknown)}; expected {list(codes)}")
    out = {c: float(weights.get(c, 0.0)) for c in codes}
    if any(w < 0 or not np.isfinite(w) for w in out.values()) or sum(out.values()) <= 0:
        raise DataError(f"{what} weights must be >= 0 and not all 0, got {weights}")
    return out


def _dtype(column: str) -> str:
    if column in ("secretary_id", "grade"):
        return "str"
    if column == "wave" or column == "n_sources":
        return "int64"
    if column == "resident_withheld":
        return "bool"
    return "float64"
