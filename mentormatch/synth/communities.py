"""The communities: their type, size, share of older residents and challenges.

Every community follows the type mix of one of Putuo's units (its *profile*,
:data:`~mentormatch.synth.assumptions.TYPE_MIX`); its challenges follow its type's
rates (:data:`~mentormatch.synth.assumptions.CHALLENGE_RATES`), the ageing-linked ones
scaled by its share of residents aged 60+.

The challenge draw comes in two orders of the same rule. ``rowwise=True`` is the
district's: the extra draws (a tie broken, a long list cut) one community at a time,
in the order the sample files pin (``data/sample`` regenerates byte for byte from it).
The default draws whole arrays, so that a nation of 600,000 takes a fraction of a
second.
"""

from __future__ import annotations

import numpy as np

from mentormatch.synth.assumptions import (
    AGEING_LINKED_CHALLENGES,
    CHALLENGE_RATES,
    COMMON_CHALLENGE_RATES,
    HOUSEHOLDS_SD,
    MAX_CHALLENGES,
    MEAN_SHARE_60,
    MEDIAN_HOUSEHOLDS,
    SHARE_60_CONCENTRATION,
    TYPE_MIX,
    TYPE_ORDER,
    UNIT_COUNTS,
    VILLAGE_ONLY_CHALLENGES,
)
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES

__all__ = [
    "PROFILES",
    "CHALLENGE_RATE_TABLE",
    "CHALLENGE_BITS",
    "urban_types",
    "ages_and_households",
    "challenge_rates",
    "challenge_probabilities",
    "challenge_masks",
]

#: The profiles a community may follow: Putuo's units, in the order of ``UNIT_COUNTS``.
PROFILES = tuple(UNIT_COUNTS)
_MIX = np.array([TYPE_MIX[p] for p in PROFILES])
#: Cumulative type mix of each profile, normalised as numpy's weighted choice does.
_TYPE_CDF = np.cumsum(_MIX / _MIX.sum(axis=1, keepdims=True), axis=1)
_TYPE_CDF /= _TYPE_CDF[:, -1:]
_TYPE_POSITION = np.array([COMMUNITY_TYPES.codes.index(t) for t in TYPE_ORDER])
#: Bit ``b`` of a challenge mask: the challenge ``CHALLENGES.codes[b]``.
CHALLENGE_BITS = np.left_shift(np.uint32(1), np.arange(len(CHALLENGES), dtype=np.uint32))
#: Rows drawn at once where a draw takes a row per challenge (bounds the memory used).
_ROWS_PER_DRAW = 1 << 16
#: Tiny random noise that breaks ties between equally likely challenges.
_TIE_JITTER = 1e-3


def urban_types(rng: np.random.Generator, profile: np.ndarray) -> np.ndarray:
    """The type of each urban community (a position in
    :data:`~mentormatch.vocab.COMMUNITY_TYPES`), drawn from its profile's mix.

    One uniform per community, in row order: the same draws as numpy's weighted
    ``choice`` unit by unit.

    >>> profile = np.full(2000, PROFILES.index("caoyang"))
    >>> t = urban_types(np.random.default_rng(0), profile)
    >>> round(float((t == COMMUNITY_TYPES.codes.index("old_public_housing")).mean()), 1)
    0.5
    """
    u = rng.random(len(profile))
    return _TYPE_POSITION[(_TYPE_CDF[profile] <= u[:, None]).sum(axis=1)]


def challenge_rates(community_type: str) -> np.ndarray:
    """Base probability of each challenge (in :data:`~mentormatch.vocab.CHALLENGES`
    order) for a type.

    >>> float(challenge_rates("commercial")[CHALLENGES.codes.index("owners_committee")])
    0.65
    """
    rates = CHALLENGE_RATES[community_type]
    return np.array(
        [
            rates.get(
                c, COMMON_CHALLENGE_RATES.get(c, 0.0 if c in VILLAGE_ONLY_CHALLENGES else 0.03)
            )
            for c in CHALLENGES.codes
        ]
    )


#: Base rate of each challenge (columns, :data:`~mentormatch.vocab.CHALLENGES` order)
#: for each community type (rows, :data:`~mentormatch.vocab.COMMUNITY_TYPES` order).
CHALLENGE_RATE_TABLE = np.stack([challenge_rates(t) for t in COMMUNITY_TYPES.codes])
_MEAN_SHARE_60 = np.array([MEAN_SHARE_60[t] for t in COMMUNITY_TYPES.codes])
_MEDIAN_HOUSEHOLDS = np.array([MEDIAN_HOUSEHOLDS[t] for t in COMMUNITY_TYPES.codes], dtype=float)
_AGEING_COLUMNS = np.array([c in AGEING_LINKED_CHALLENGES for c in CHALLENGES.codes])


def ages_and_households(
    rng: np.random.Generator, type_index: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Share of residents aged 60+ and households of communities of the given types
    (positions in :data:`~mentormatch.vocab.COMMUNITY_TYPES`), spread around their
    type's mean and median.

    >>> share60, households = ages_and_households(np.random.default_rng(0), np.zeros(3, int))
    >>> bool(((share60 > 0) & (share60 < 1)).all()), len(households)
    (True, 3)
    """
    share = _MEAN_SHARE_60[type_index]
    concentration = SHARE_60_CONCENTRATION
    share60 = np.round(rng.beta(share * concentration, (1 - share) * concentration), 3)
    median = _MEDIAN_HOUSEHOLDS[type_index]
    noise = np.exp(rng.normal(0, HOUSEHOLDS_SD, size=len(type_index)))
    return share60, np.round(median * noise).astype(np.int64)


def challenge_probabilities(type_index: np.ndarray, share60: np.ndarray) -> np.ndarray:
    """Probability of each challenge (columns) for each community (rows).

    The type's base rates (:func:`challenge_rates`), the ageing-linked ones scaled by the
    community's share of residents aged 60+ over its type's mean (at most 0.95).

    >>> lane = COMMUNITY_TYPES.codes.index("old_lane")
    >>> p = challenge_probabilities(np.array([lane, lane]), np.array([0.40, 0.60]))
    >>> ageing = CHALLENGES.codes.index("ageing")
    >>> p[:, ageing].round(3).tolist()
    [0.45, 0.675]
    """
    type_index = np.asarray(type_index)
    p = CHALLENGE_RATE_TABLE[type_index]
    ratio = share60 / _MEAN_SHARE_60[type_index]
    p[:, _AGEING_COLUMNS] = np.clip(p[:, _AGEING_COLUMNS] * ratio[:, None], 0, 0.95)
    return p


def challenge_masks(
    rng: np.random.Generator,
    type_index: np.ndarray,
    share60: np.ndarray,
    *,
    rowwise: bool = False,
) -> np.ndarray:
    """The challenges of each community, as bitmasks over
    :data:`~mentormatch.vocab.CHALLENGES`.

    Each challenge is drawn with its probability (:func:`challenge_probabilities`); a
    community with none names its most likely one (ties broken at random); one with
    more than ``MAX_CHALLENGES`` keeps that many, drawn without replacement with
    probability proportional to their rates. ``rowwise`` draws the last two steps one
    community at a time (the district's order, which ``data/sample`` pins); else as
    whole arrays (exponential keys: the same distribution as drawing one at a time).

    >>> t = np.full(500, COMMUNITY_TYPES.codes.index("commercial"))
    >>> masks = challenge_masks(np.random.default_rng(0), t, np.full(500, 0.22))
    >>> from mentormatch.scoring import popcount
    >>> bool(popcount(masks).min() >= 1 and popcount(masks).max() <= MAX_CHALLENGES)
    True
    """
    if rowwise:
        return _challenges_by_row(rng, type_index, share60)
    codes = CHALLENGES.codes
    out = np.zeros(len(type_index), dtype=np.uint32)
    for start in range(0, len(type_index), _ROWS_PER_DRAW):
        rows = slice(start, start + _ROWS_PER_DRAW)
        p = challenge_probabilities(type_index[rows], share60[rows])
        drawn = rng.random(p.shape) < p
        empty = ~drawn.any(axis=1)
        jitter = rng.random(p.shape) * _TIE_JITTER
        drawn[empty, np.argmax(p[empty] + jitter[empty], axis=1)] = True
        over = drawn.sum(axis=1) > MAX_CHALLENGES
        if over.any():
            with np.errstate(divide="ignore"):
                key = np.where(
                    drawn[over], np.log(rng.random((int(over.sum()), len(codes)))), -np.inf
                )
                key = np.where(drawn[over], key / p[over], -np.inf)
            top = np.argsort(-key, axis=1, kind="stable")[:, :MAX_CHALLENGES]
            kept = np.zeros_like(drawn[over])
            np.put_along_axis(kept, top, True, axis=1)
            drawn[over] = kept
        out[rows] = (drawn * CHALLENGE_BITS).sum(axis=1, dtype=np.uint32)
    return out


def _challenges_by_row(
    rng: np.random.Generator, type_index: np.ndarray, share60: np.ndarray
) -> np.ndarray:
    codes = CHALLENGES.codes
    p = challenge_probabilities(type_index, share60)
    draws = rng.random(p.shape) < p
    out = np.zeros(len(type_index), dtype=np.uint32)
    for i in range(len(type_index)):
        chosen = np.flatnonzero(draws[i])
        if len(chosen) == 0:
            chosen = np.array([int(np.argmax(p[i] + rng.random(len(codes)) * _TIE_JITTER))])
        if len(chosen) > MAX_CHALLENGES:
            keep = rng.choice(
                chosen, size=MAX_CHALLENGES, replace=False, p=p[i, chosen] / p[i, chosen].sum()
            )
            chosen = np.sort(keep)
        out[i] = CHALLENGE_BITS[chosen].sum(dtype=np.uint32)
    return out
