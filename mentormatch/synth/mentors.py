"""The mentors: the community types they know, their expertise, capacities and min loads.

A mentor knows the own community's type and one or two more, picked with weight
``KNOWN_TYPE_WEIGHT + type_affinity(own, other)``; has expertise in four to seven
challenges, picked without replacement by their mean rate over the known types; and
takes about an even share of the places the mentees need, ``CAPACITY_SLACK`` over
the demand. :func:`mentor_profile` draws one mentor (the district's order, which its
sample files pin); :func:`mentor_profiles` draws the same rule for many at once
(Gumbel keys: the same distribution as drawing one item at a time).
"""

from __future__ import annotations

import math

import numpy as np

from mentormatch.synth.assumptions import (
    CAPACITY_SLACK,
    EXPERTISE_COUNT,
    EXTRA_KNOWN_TYPES,
    KNOWN_TYPE_WEIGHT,
    MIN_LOAD,
    MIN_LOAD_SHARE,
)
from mentormatch.synth.communities import CHALLENGE_BITS, CHALLENGE_RATE_TABLE
from mentormatch.synth.counts import around
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES, type_affinity

__all__ = ["KNOWN_TYPE_WEIGHTS", "mentor_profile", "mentor_profiles", "capacities", "min_loads"]

_TYPES = COMMUNITY_TYPES.codes
#: Weight of knowing type ``b`` (columns) for a mentor of a type ``a`` community (rows).
KNOWN_TYPE_WEIGHTS = KNOWN_TYPE_WEIGHT + np.array(
    [[type_affinity(a, b) for b in _TYPES] for a in _TYPES]
)


def mentor_profile(rng: np.random.Generator, own: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """One mentor's known community types and expertise (positions in the vocabularies,
    ascending), for a mentor whose community has type ``own``.

    >>> types, expertise = mentor_profile(np.random.default_rng(0), own=0)
    >>> 0 in types and 2 <= len(types) <= 3 and 4 <= len(expertise) <= 7
    True
    """
    others = [t for t in range(len(_TYPES)) if t != own]
    weight = KNOWN_TYPE_WEIGHTS[own, others]
    n_extra = int(rng.integers(EXTRA_KNOWN_TYPES[0], EXTRA_KNOWN_TYPES[1] + 1))
    extra = rng.choice(others, size=n_extra, replace=False, p=weight / weight.sum())
    types = tuple(t for t in range(len(_TYPES)) if t == own or t in extra)
    prevalence = CHALLENGE_RATE_TABLE[list(types)].mean(axis=0)
    k = int(rng.integers(EXPERTISE_COUNT[0], EXPERTISE_COUNT[1] + 1))
    expertise = rng.choice(len(CHALLENGES), size=k, replace=False, p=prevalence / prevalence.sum())
    return types, tuple(int(e) for e in sorted(expertise))


def mentor_profiles(rng: np.random.Generator, own: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Known community types (``uint8`` bitmasks) and expertise (``uint32`` bitmasks) of
    mentors whose communities have the types ``own``, drawn as whole arrays.

    >>> from mentormatch.scoring import popcount
    >>> types, expertise = mentor_profiles(np.random.default_rng(0), np.zeros(100, int))
    >>> bool((types & 1).all()), sorted(set(popcount(types).tolist()))
    (True, [2, 3])
    """
    m = len(own)
    n_types = len(_TYPES)
    extra = rng.integers(EXTRA_KNOWN_TYPES[0], EXTRA_KNOWN_TYPES[1] + 1, size=m)
    key = np.log(KNOWN_TYPE_WEIGHTS[own]) - np.log(-np.log(rng.random((m, n_types))))  # Gumbel
    key[np.arange(m), own] = -np.inf
    chosen = np.zeros((m, n_types), dtype=bool)
    rank = np.argsort(np.argsort(-key, axis=1, kind="stable"), axis=1, kind="stable")
    chosen |= rank < extra[:, None]
    chosen[np.arange(m), own] = True
    types = (chosen * (1 << np.arange(n_types))).sum(axis=1).astype(np.uint8)
    prevalence = (chosen @ CHALLENGE_RATE_TABLE) / chosen.sum(axis=1, keepdims=True)
    k = rng.integers(EXPERTISE_COUNT[0], EXPERTISE_COUNT[1] + 1, size=m)
    with np.errstate(divide="ignore"):
        key = np.log(prevalence) - np.log(-np.log(rng.random(prevalence.shape)))
    rank = np.argsort(np.argsort(-key, axis=1, kind="stable"), axis=1, kind="stable")
    expertise = ((rank < k[:, None]) * CHALLENGE_BITS).sum(axis=1, dtype=np.uint32)
    return types, expertise


def capacities(rng: np.random.Generator, n_mentors: int, demand: int) -> np.ndarray:
    """Capacities of ``n_mentors`` adding up to about ``demand * CAPACITY_SLACK``.

    >>> caps = capacities(np.random.default_rng(0), 13, demand=65)
    >>> int(caps.sum()) >= 65 * 1.1
    True
    """
    target = max(n_mentors, math.ceil(demand * CAPACITY_SLACK))
    base = max(1, round(target / n_mentors))
    caps = around(rng, np.full(n_mentors, base))
    while caps.sum() < target:
        caps[int(np.argmin(caps))] += 1
    while caps.sum() > target + n_mentors // 2 and caps.max() > 1:
        caps[int(np.argmax(caps))] -= 1
    return caps


def min_loads(rng: np.random.Generator, capacity: np.ndarray) -> np.ndarray:
    """``MIN_LOAD`` for a ``MIN_LOAD_SHARE`` of the mentors (at most their capacity), else 0.

    >>> sorted(set(min_loads(np.random.default_rng(0), np.full(100, 5)).tolist()))
    [0, 2]
    """
    wanted = np.where(rng.random(len(capacity)) < MIN_LOAD_SHARE, MIN_LOAD, 0)
    return np.minimum(wanted, capacity)
