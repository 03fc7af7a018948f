"""Secretaries' features straight from a Region's arrays, for a city or a nation.

A :class:`~mentormatch.region.Region` holds community types as positions in the
vocabulary and challenges as bitmasks. :func:`coded_features` keeps them so: the same
columns as :func:`~mentormatch.features.secretary_features`, with ``community_type``
an integer position (``-1`` for none) and ``challenges`` a ``uint32`` bitmask (bit ``b``
for ``CHALLENGES.codes[b]``). :class:`~mentormatch.features.SecretaryFeatures` encodes
such a table with whole-array operations (no Python loop over rows), into exactly the
codes it gives the decoded table. :func:`decoded_features` turns it into the decoded
form (texts and tuples) that profiles and charts read, decoding each distinct
challenge set once.

A Region keeps neither assessments nor career records: ``capacity`` is missing for
everyone (and so drops out of the distance) and the reference year is the latest
appointment (:func:`region_year`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.region import Region, decode_masks
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES

__all__ = ["coded_features", "decoded_features", "region_year", "encode_codes"]


def region_year(r: Region) -> int:
    """The year a Region's ages and years in post are counted to: its latest appointment.

    >>> from mentormatch.region_synth import synthesize_region
    >>> r = synthesize_region(seed=1, n_secretaries=400, n_mentors=20, n_bases=20)
    >>> region_year(r) == int(r.secretaries["appointed_year"].max())
    True
    """
    s = r.secretaries
    return int(s["appointed_year"].max()) if len(s) else 0


def coded_features(r: Region, *, reference_year: int | None = None) -> pd.DataFrame:
    """The features of every secretary of a Region, with types and challenges as codes.

    Parameters
    ----------
    r : Region
    reference_year : int, optional
        Ages and years in post are counted up to this year (default
        :func:`region_year`).

    Returns
    -------
    DataFrame
        Index ``secretary_id`` (the Region's IDs, in its order); ``community_type``
        (position in ``COMMUNITY_TYPES.codes``), ``challenges`` (``uint32`` bitmask
        over ``CHALLENGES.codes``) and the numbers of
        :data:`~mentormatch.features.NUMERIC_FEATURES`, computed as for a District.

    Examples
    --------
    >>> from mentormatch.region_synth import synthesize_region
    >>> r = synthesize_region(seed=1, n_secretaries=400, n_mentors=20, n_bases=20)
    >>> f = coded_features(r)
    >>> f["challenges"].dtype.name, len(f) == len(r.secretaries)
    ('uint32', True)
    """
    s = r.secretaries
    year = region_year(r) if reference_year is None else int(reference_year)
    # The same float operations as secretary_features: a Region made from a District
    # gives bit-for-bit the same numbers.
    until = np.full(len(s), float(year))
    return pd.DataFrame(
        {
            "community_type": s["community_type"].to_numpy(np.int8),
            "challenges": s["challenges"].to_numpy(np.uint32),
            "age": year - s["birth_year"].to_numpy(dtype=float),
            "years_in_post": np.maximum(until - s["appointed_year"].to_numpy(dtype=float), 0),
            "households": s["households"].to_numpy(dtype=float),
            "share_aged_60_plus": s["share_aged_60_plus"].to_numpy(dtype=float),
            "capacity": np.full(len(s), np.nan),
        },
        index=pd.Index(s.index.to_numpy(), name="secretary_id"),
    )


def decoded_features(coded: pd.DataFrame) -> pd.DataFrame:
    """:func:`coded_features` with vocabulary codes: type texts and challenge tuples.

    Each distinct challenge set is decoded once, so a nation takes a moment.

    >>> coded = pd.DataFrame({"community_type": np.array([0, 6], np.int8),
    ...                       "challenges": np.array([3, 0], np.uint32)})
    >>> decoded_features(coded)["challenges"].tolist()
    [('ageing', 'lift_retrofit'), ()]
    """
    out = coded.copy()
    types = np.asarray([*COMMUNITY_TYPES.codes, None], dtype=object)
    position = coded["community_type"].to_numpy(np.int64)
    position = np.where((position >= 0) & (position < len(COMMUNITY_TYPES)), position, -1)
    out["community_type"] = types[position]
    masks, inverse = np.unique(coded["challenges"].to_numpy(np.uint32), return_inverse=True)
    sets = np.empty(len(masks), dtype=object)
    sets[:] = decode_masks(masks, CHALLENGES.codes)
    out["challenges"] = sets[inverse.reshape(-1)]
    return out


def encode_codes(
    column: str, series: pd.Series, levels: tuple[object, ...], out: np.ndarray
) -> bool:
    """Write the 0/1 codes of a coded column into ``out`` (one column per level).

    ``column`` is ``"community_type"`` (integer positions; out of range: no type) or
    ``"challenges"`` (unsigned bitmasks). Returns False, writing nothing, when the
    column is not coded (texts, tuples): the encoder then reads it value by value.
    """
    dtype = series.dtype
    if column == "community_type" and pd.api.types.is_integer_dtype(dtype):
        position = series.to_numpy().astype(np.int64)
        known = np.flatnonzero((position >= 0) & (position < len(levels)))
        out[known, position[known]] = 1.0
        return True
    if column == "challenges" and pd.api.types.is_unsigned_integer_dtype(dtype):
        masks = series.to_numpy().astype(np.uint64)
        for bit in range(len(levels)):
            out[:, bit] = (masks >> np.uint64(bit)) & np.uint64(1)
        return True
    return False
