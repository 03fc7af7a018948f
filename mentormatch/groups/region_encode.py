"""What a Region's salon is made of, county by county: features, facilitators, codes.

The District's salon (:mod:`mentormatch.groups.salon`) fits its embedding and picks its
facilitators on the secretaries in post; a Region's salon does the same within each
county (each *block*), for all counties at once, from the Region's integer codes:

* :func:`region_features`: :class:`~mentormatch.features.SecretaryFeatures`'
  embedding fitted on each block's secretaries (tested equal to the encoder's own,
  county by county);
* :func:`feature_table`: :func:`~mentormatch.features.secretary_features`' table for
  some secretaries of a Region, through decoded codes (for the District's encoder and
  distance on one county: the slow, independent way, as tests and benchmarks use it);
* :func:`county_facilitators`: the top quartile of years in post within each block
  (:func:`~mentormatch.groups.facilitators.facilitators_by_rule`'s ``"tenure"`` rule:
  a Region holds no assessments);
* :func:`balance_codes`: the integer codes of the balance variables
  (``street_town`` is the Region's ``unit``).

Every function takes the secretaries sorted by ``block`` (``0 .. n_blocks - 1``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from mentormatch.errors import DataError
from mentormatch.features import BLOCK_WEIGHTS
from mentormatch.groups.terms import COHORT_YEAR, FACILITATOR_QUANTILE
from mentormatch.region import decode_masks
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES

__all__ = [
    "region_features",
    "feature_table",
    "county_facilitators",
    "balance_codes",
    "block_weights",
]

#: The Region's column for each balance variable a District names otherwise.
_COLUMN = {"street_town": "unit"}


def county_facilitators(s: pd.DataFrame, block: np.ndarray, n_blocks: int) -> np.ndarray:
    """Who facilitates in each block (county): the top quartile of years in post,
    appointed no later than the block's 25th percentile of appointment years (the
    District's rule for a roster without assessments, block by block).

    ``s`` holds the secretaries sorted by ``block``.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"appointed_year": [2000, 2010, 2020, 2021, 2015, 2016]})
    >>> county_facilitators(s, np.array([0, 0, 0, 0, 1, 1]), 2).tolist()
    [True, False, False, False, True, False]
    """
    appointed = s["appointed_year"].to_numpy(np.float64)
    years = (appointed.max(initial=0) - appointed) if len(appointed) else appointed
    size = np.bincount(block, minlength=n_blocks)
    start = np.concatenate([[0], np.cumsum(size)])
    ranked = years[np.lexsort((years, block))]
    # np.quantile's linear interpolation, block by block.
    h = (np.maximum(size, 1) - 1) * FACILITATOR_QUANTILE
    lo = np.floor(h).astype(np.int64)
    hi = np.minimum(lo + 1, np.maximum(size - 1, 0))
    frac = h - lo
    ok = size > 0
    a = np.where(ok, ranked[np.minimum(start[:-1] + lo, max(len(years) - 1, 0))], 0.0)
    b = np.where(ok, ranked[np.minimum(start[:-1] + hi, max(len(years) - 1, 0))], 0.0)
    cut = np.where(frac >= 0.5, b - (b - a) * (1 - frac), a + (b - a) * frac)
    return years >= cut[block]


def region_features(
    s: pd.DataFrame, block: np.ndarray, n_blocks: int, *, weights: Mapping[str, float] | None = None
) -> np.ndarray:
    """The District's embedding of secretaries (:meth:`SecretaryFeatures.transform
    <mentormatch.features.MixedEncoder.transform>`), fitted block by block (county by
    county) and computed from the Region's codes for all blocks at once.

    Columns: community type one-hot, challenges 0/1 (vocabulary order), then age,
    years in post, households (log scale), share aged 60+ and capacity (a Region has
    no assessments: a column of zeros), each range-scaled within its block; every
    block of columns scaled so that its variance within the block is its share of the
    weights. ``s`` holds the secretaries sorted by ``block``.

    >>> from mentormatch.region_synth import synthesize_region
    >>> r = synthesize_region(seed=1, n_secretaries=400, n_mentors=20, n_bases=20)
    >>> X = region_features(r.secretaries, r.secretaries["county"].to_numpy(), 1)
    >>> X.shape, round(float(X.var(axis=0).sum()), 6)
    ((400, 36), 1.0)
    """
    w = block_weights(weights)
    n = len(s)
    size = np.bincount(block, minlength=n_blocks).astype(np.float64)
    types = np.zeros((n, len(COMMUNITY_TYPES)))
    types[np.arange(n), s["community_type"].to_numpy(np.int64)] = 1.0
    masks = s["challenges"].to_numpy(np.uint64)
    bits = np.arange(len(CHALLENGES), dtype=np.uint64)
    challenges = ((masks[:, None] >> bits[None, :]) & np.uint64(1)).astype(np.float64)
    year = float(s["appointed_year"].max()) if n else 0.0
    numbers = np.column_stack(
        [
            year - s["birth_year"].to_numpy(np.float64),
            np.maximum(year - s["appointed_year"].to_numpy(np.float64), 0),
            np.log1p(s["households"].to_numpy(np.float64)),
            s["share_aged_60_plus"].to_numpy(np.float64),
            np.zeros(n),
        ]
    )
    starts = np.flatnonzero(np.r_[True, np.diff(block) != 0]) if n else np.zeros(0, np.int64)
    lo = np.zeros((n_blocks, numbers.shape[1]))
    hi = np.zeros_like(lo)
    if n:
        lo[block[starts]] = np.minimum.reduceat(numbers, starts, axis=0)
        hi[block[starts]] = np.maximum.reduceat(numbers, starts, axis=0)
    span = hi - lo
    numbers = np.divide(
        numbers - lo[block], span[block], out=np.zeros_like(numbers), where=span[block] > 0
    )
    out = []
    total = sum(w.values())
    for name, part in (("community_type", types), ("challenges", challenges), ("numbers", numbers)):
        # Each block's variance of each column, in two passes (exact 0 for a constant
        # column, which then drops out as in the encoder).
        mean = np.zeros((n_blocks, part.shape[1]))
        if n:
            mean[block[starts]] = np.add.reduceat(part, starts, axis=0)
        mean /= np.maximum(size, 1)[:, None]
        var = np.zeros(n_blocks)
        if n:
            var[block[starts]] = np.add.reduceat((part - mean[block]) ** 2, starts, axis=0).sum(1)
        var /= np.maximum(size, 1)
        scale = np.sqrt(np.divide(w[name] / total, var, out=np.zeros_like(var), where=var > 0))
        out.append(part * scale[block][:, None])
    return np.hstack(out)


def block_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """The embedding's block weights: :data:`~mentormatch.features.BLOCK_WEIGHTS`
    updated with ``weights``, checked."""
    given = dict(weights or {})
    unknown = sorted(set(given) - set(BLOCK_WEIGHTS))
    if unknown:
        blocks = list(BLOCK_WEIGHTS)
        raise DataError(f"weights for unknown blocks {unknown}; the blocks are {blocks}")
    out = {**BLOCK_WEIGHTS, **given}
    for name, value in out.items():
        try:
            value = float(value)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or value < 0:
            raise DataError(f"the weight of block {name!r} must be a number >= 0, got {value!r}")
        out[name] = value
    if sum(out.values()) <= 0:
        raise DataError("at least one block weight must be > 0")
    return out


def balance_codes(s: pd.DataFrame, variable: str) -> np.ndarray:
    """Integer codes of a balance variable (every code of a Region is known).

    >>> import pandas as pd
    >>> balance_codes(pd.DataFrame({"birth_year": [1979, 1980]}), "cohort").tolist()
    [0, 1]
    """
    if variable == "cohort":
        return (s["birth_year"].to_numpy(np.int64) >= COHORT_YEAR).astype(np.int64)
    return s[_COLUMN.get(variable, variable)].to_numpy(np.int64)


def feature_table(s: pd.DataFrame) -> pd.DataFrame:
    """:func:`~mentormatch.features.secretary_features`' table for some secretaries of a
    Region (rows of ``r.secretaries``): codes decoded, ages and years in post counted
    to their latest appointment year, capacity missing (a Region has no assessments).

    >>> from mentormatch.features import SecretaryFeatures
    >>> from mentormatch.region_synth import synthesize_region
    >>> s = synthesize_region(seed=1, n_secretaries=400, n_mentors=20, n_bases=20).secretaries
    >>> X = SecretaryFeatures().fit_transform(feature_table(s))
    >>> bool(np.allclose(X, region_features(s, np.zeros(len(s), int), 1)))
    True
    """
    year = float(s["appointed_year"].max())
    return pd.DataFrame(
        {
            "community_type": np.asarray(COMMUNITY_TYPES.codes, dtype=object)[
                s["community_type"].to_numpy()
            ],
            "challenges": decode_masks(s["challenges"].to_numpy(), CHALLENGES.codes),
            "age": year - s["birth_year"].to_numpy(dtype=float),
            "years_in_post": year - s["appointed_year"].to_numpy(dtype=float),
            "households": s["households"].to_numpy(dtype=float),
            "share_aged_60_plus": s["share_aged_60_plus"].to_numpy(dtype=float),
            "capacity": np.nan,
        }
    )
