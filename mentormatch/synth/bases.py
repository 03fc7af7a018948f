"""The practice bases: their themes and places.

Each base of a county is built around one of the county's common challenges in turn
(the most common first, so that together the bases cover them), adds one to three
themes of its own community's challenges, and has places for about
``BASE_CAPACITY_SLACK`` times the county's mentees, shared evenly. :func:`base_themes`
draws the extra themes one base at a time (``rowwise``: the district's order, which
its sample files pin) or as whole arrays.
"""

from __future__ import annotations

import numpy as np

from mentormatch.synth.assumptions import BASE_CAPACITY_SLACK, BASE_EXTRA_THEMES
from mentormatch.synth.communities import CHALLENGE_BITS
from mentormatch.synth.counts import around

__all__ = ["challenge_counts", "base_leads", "base_themes", "base_capacities"]


def challenge_counts(masks: np.ndarray, county: np.ndarray, n_counties: int) -> np.ndarray:
    """Communities with each challenge (columns), per county (rows).

    >>> challenge_counts(np.array([1, 3, 2], dtype=np.uint32), np.array([0, 0, 1]), 2)[:, :2]
    array([[2., 1.],
           [0., 1.]])
    """
    bits = (np.asarray(masks)[:, None] & CHALLENGE_BITS[None, :]) != 0
    return np.stack(
        [
            np.bincount(county, weights=bits[:, b], minlength=n_counties)
            for b in range(bits.shape[1])
        ],
        axis=1,
    )


def base_leads(counts: np.ndarray, base_county: np.ndarray) -> np.ndarray:
    """The leading challenge of each base (bases sorted by county): the county's
    challenges from the most common down, one base after another.

    >>> counts = np.array([[1.0, 5.0, 3.0]])
    >>> base_leads(counts, np.zeros(4, int)).tolist()
    [1, 2, 0, 1]
    """
    leading = np.argsort(-(counts + 1.0), axis=1, kind="stable")
    rank = np.arange(len(base_county)) - np.searchsorted(base_county, base_county)
    return leading[base_county, rank % counts.shape[1]]


def base_themes(
    rng: np.random.Generator, lead: np.ndarray, own: np.ndarray, *, rowwise: bool = False
) -> np.ndarray:
    """Themes (``uint32`` bitmasks): the leading challenge and one to three of the base's
    own community's challenges (``own``, bitmasks), drawn uniformly without replacement.

    >>> themes = base_themes(np.random.default_rng(0), np.array([0]), np.array([0b1110]))
    >>> bool(themes[0] & 1) and 2 <= int(themes[0]).bit_count() <= 4
    True
    """
    b = len(lead)
    bits = ((np.asarray(own)[:, None] & CHALLENGE_BITS[None, :]) != 0).astype(bool)
    bits[np.arange(b), lead] = False
    if rowwise:
        out = CHALLENGE_BITS[lead].copy()
        for i in range(b):
            mine = np.flatnonzero(bits[i])
            if len(mine):
                wanted = int(rng.integers(BASE_EXTRA_THEMES[0], BASE_EXTRA_THEMES[1] + 1))
                extra = rng.choice(mine, size=min(len(mine), wanted), replace=False)
                out[i] |= CHALLENGE_BITS[extra].sum(dtype=np.uint32)
        return out
    wanted = rng.integers(BASE_EXTRA_THEMES[0], BASE_EXTRA_THEMES[1] + 1, size=b)
    key = np.where(bits, rng.random(bits.shape), -1.0)
    order = np.argsort(np.argsort(-key, axis=1, kind="stable"), axis=1, kind="stable")
    extra = bits & (order < wanted[:, None])
    extra[np.arange(b), lead] = True
    return (extra * CHALLENGE_BITS).sum(axis=1, dtype=np.uint32)


def base_capacities(
    rng: np.random.Generator, demand: np.ndarray, per_county: np.ndarray, base_county: np.ndarray
) -> np.ndarray:
    """Places of each base: ``BASE_CAPACITY_SLACK`` times its county's mentees
    (``demand``), shared by the county's bases, moved a little either way.

    >>> places = base_capacities(np.random.default_rng(0), np.array([40]), np.array([5]),
    ...                          np.zeros(5, int))
    >>> bool((abs(places - 10) <= 1).all())  # 40 mentees x 1.25 over 5 bases
    True
    """
    target = np.ceil(demand * BASE_CAPACITY_SLACK / np.maximum(per_county, 1)).astype(np.int64)
    return around(rng, target[base_county])
