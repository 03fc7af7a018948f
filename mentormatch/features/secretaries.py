"""Secretaries' features for clustering (and salon groups): three blocks and their weights.

:func:`secretary_features` reads a District (or a Region) into one row per secretary;
:class:`SecretaryFeatures` is the mixed encoder with the secretaries' blocks and
:data:`BLOCK_WEIGHTS`. The blocks and the distance are described in
:mod:`mentormatch.features`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mentormatch.assess import latest_capacity
from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.features.mixed import Block, MixedEncoder, _as_frame
from mentormatch.features.region import (
    coded_features,
    decoded_features,
    encode_codes,
)
from mentormatch.region import Region
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES

__all__ = [
    "BLOCK_WEIGHTS",
    "NUMERIC_FEATURES",
    "SecretaryFeatures",
    "secretary_features",
    "roster_year",
]

#: Default block weights for secretaries (an assumption, configurable): community type
#: and challenges are what the clusters are about and count fully; the five numbers
#: together count half as much, so that age or tenure refine clusters without
#: splitting a community type by them.
BLOCK_WEIGHTS: dict[str, float] = {"community_type": 1.0, "challenges": 1.0, "numbers": 0.5}

#: The numbers block of a secretary, in this order.
NUMERIC_FEATURES: tuple[str, ...] = (
    "age",
    "years_in_post",
    "households",
    "share_aged_60_plus",
    "capacity",
)


def roster_year(d: District) -> int:
    """The year the roster describes: the latest year found in it.

    The latest appointment, assessment wave or career event; ages and years in post
    are counted up to this year, so that the same roster always gives the same
    features (the computer's clock is never read).

    >>> import mentormatch as mm
    >>> roster_year(mm.synthesize_district(seed=1, assessments=False))
    2025
    """
    years = [int(d.secretaries["appointed_year"].max())]
    if len(d.assessments):
        years.append(int(d.assessments["wave"].max()))
    if len(d.career):
        years.append(int(d.career["year"].max()))
    return max(years)


def secretary_features(d: District | Region, *, reference_year: int | None = None) -> pd.DataFrame:
    """The raw features of every secretary of ``d``, one row each, indexed by ID.

    Parameters
    ----------
    d : District or Region
        A Region's features are read from its arrays
        (:func:`mentormatch.features.region.coded_features`, then decoded); it has no
        assessments, so ``capacity`` is missing for all.
    reference_year : int, optional
        Ages and years in post are counted up to this year; by default
        :func:`roster_year` (for a Region, its latest appointment). A departed
        secretary's years in post end with the year they left.

    Returns
    -------
    DataFrame
        Index ``secretary_id`` (the order of ``d.secretaries``); columns
        ``community_type``, ``challenges`` (tuples of codes) and the
        :data:`NUMERIC_FEATURES`. ``capacity`` is the overall capacity index at the
        secretary's latest assessed wave (:func:`mentormatch.assess.latest_capacity`),
        missing (NaN) for secretaries never assessed; :class:`SecretaryFeatures` fills
        it in (see there).

    Examples
    --------
    >>> import mentormatch as mm
    >>> f = secretary_features(mm.synthesize_district(seed=1))
    >>> list(f.columns)[:3]
    ['community_type', 'challenges', 'age']
    >>> bool((f["years_in_post"] >= 0).all())
    True
    """
    if isinstance(d, Region):
        return decoded_features(coded_features(d, reference_year=reference_year))
    s = d.secretaries
    year = roster_year(d) if reference_year is None else int(reference_year)
    left = d.career[d.career["event"].isin(("left", "civil_servant"))]
    left_year = left.groupby("secretary_id")["year"].min()
    until = s["secretary_id"].map(left_year).fillna(year).to_numpy(dtype=float)
    capacity = latest_capacity(d)
    out = pd.DataFrame(
        {
            "community_type": s["community_type"].to_numpy(),
            "challenges": [tuple(c) for c in s["challenges"]],
            "age": year - s["birth_year"].to_numpy(dtype=float),
            "years_in_post": np.maximum(until - s["appointed_year"].to_numpy(dtype=float), 0),
            "households": s["households"].to_numpy(dtype=float),
            "share_aged_60_plus": s["share_aged_60_plus"].to_numpy(dtype=float),
            "capacity": capacity.to_numpy(dtype=float),
        },
        index=pd.Index(s["secretary_id"].to_numpy(), name="secretary_id", dtype="str"),
    )
    return out


class SecretaryFeatures(MixedEncoder):
    """The encoder of secretaries' features (:func:`secretary_features`).

    Blocks: ``community_type`` (categorical), ``challenges`` (multi-label) and
    ``numbers`` (:data:`NUMERIC_FEATURES`; households on a log scale, since a few very
    large estates would otherwise squeeze all others together). Categories and
    challenges are those of the vocabulary, in its order, whatever the district holds:
    encodings of two districts line up column by column.

    Missing capacity (secretaries never assessed, mostly those appointed after the
    latest wave) is filled in with the median of the secretaries at ``fit``: it then
    pulls them neither towards the strong nor towards the weak. When nobody was
    assessed, the column is constant and drops out of the distance.

    Parameters
    ----------
    weights : dict, optional
        Block name -> weight; blocks not given take :data:`BLOCK_WEIGHTS`.

    Examples
    --------
    >>> import mentormatch as mm
    >>> f = secretary_features(mm.synthesize_district(seed=1))
    >>> enc = SecretaryFeatures(weights={"numbers": 0.0}).fit(f)
    >>> [(b.name, b.weight) for b in enc.blocks_]
    [('community_type', 1.0), ('challenges', 1.0), ('numbers', 0.0)]
    >>> enc.transform(f).shape
    (316, 36)
    """

    def __init__(self, weights: Mapping[str, float] | None = None):
        self.weights = weights

    # The secretaries' blocks are fixed; only the weights are parameters.
    categorical = property(lambda self: {"community_type": ["community_type"]})
    multilabel = property(lambda self: {"challenges": ["challenges"]})
    numeric = property(lambda self: {"numbers": list(NUMERIC_FEATURES)})
    log = property(lambda self: ("households",))

    def _table(self, X: object) -> pd.DataFrame:
        if isinstance(X, District):
            return secretary_features(X)
        if isinstance(X, Region):
            return coded_features(X)
        X = _as_frame(X)
        needed = ["community_type", "challenges", *NUMERIC_FEATURES]
        missing = [c for c in needed if c not in X.columns]
        if missing == ["capacity"]:
            # A table without assessments: nobody's capacity is known.
            return X.assign(capacity=np.nan)
        if missing:
            raise DataError(
                f"secretary features lack columns {missing}; build them with "
                "mentormatch.features.secretary_features(district)"
            )
        return X

    def _block_weights(self, spec: list[tuple[str, str, tuple[str, ...]]]) -> dict[str, float]:
        given = dict(self.weights or {})
        unknown = sorted(set(given) - set(BLOCK_WEIGHTS))
        if unknown:
            raise DataError(
                f"weights for unknown blocks {unknown}; the blocks are {list(BLOCK_WEIGHTS)}"
            )
        return {**BLOCK_WEIGHTS, **given}

    def _levels(self, block: str, kind: str, series: pd.Series) -> tuple[object, ...]:
        return COMMUNITY_TYPES.codes if block == "community_type" else CHALLENGES.codes

    def _encode_column(
        self,
        block: Block,
        column: str,
        series: pd.Series,
        levels: tuple[object, ...],
        out: np.ndarray,
    ) -> None:
        # Types as positions and challenges as bitmasks (a Region's table) are encoded
        # as whole arrays: a nation's 600,000 rows would take seconds row by row.
        if not encode_codes(column, series, levels, out):
            super()._encode_column(block, column, series, levels, out)
