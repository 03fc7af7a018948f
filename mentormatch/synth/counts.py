"""How many where: totals split in proportion (largest remainders), lognormal sizes,
and counts spread a little around a target."""

from __future__ import annotations

import numpy as np

from mentormatch.synth.assumptions import CAPACITY_JITTER

__all__ = ["allocate", "largest_remainders", "spread", "spread_counts", "at_least_one", "split"]


def allocate(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights`` by largest remainders.

    >>> allocate(10, {"a": 1, "b": 2})
    {'a': 3, 'b': 7}
    """
    keys = list(weights)
    w = np.array([weights[k] for k in keys], dtype=float)
    raw = total * w / w.sum()
    counts = np.floor(raw).astype(int)
    for j in np.argsort(-(raw - counts), kind="stable")[: total - counts.sum()]:
        counts[j] += 1
    return dict(zip(keys, counts.tolist(), strict=True))


def largest_remainders(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers adding up to ``total`` in proportion to ``weights``.

    >>> largest_remainders(5, np.array([1.0, 1.0, 2.0])).tolist()
    [1, 1, 3]
    """
    counts = allocate(total, dict(enumerate(np.asarray(weights, float))))
    return np.array(list(counts.values()), dtype=np.int64)


def spread(rng: np.random.Generator, total: int, parts: int, sd: float, minimum: int) -> np.ndarray:
    """``total`` split into ``parts`` lognormal sizes (largest remainders), each >= minimum.

    >>> sizes = spread(np.random.default_rng(0), 100, 4, sd=0.3, minimum=10)
    >>> int(sizes.sum()), bool(sizes.min() >= 10)
    (100, True)
    """
    weights = rng.lognormal(0.0, sd, size=parts)
    return largest_remainders(total - minimum * parts, weights) + minimum


def spread_counts(total: int, sizes: np.ndarray) -> np.ndarray:
    """``total`` in proportion to ``sizes`` (all zero when ``total`` is).

    >>> spread_counts(0, np.array([3, 1])).tolist(), spread_counts(8, np.array([3, 1])).tolist()
    ([0, 0], [6, 2])
    """
    return largest_remainders(total, sizes) if total else np.zeros(len(sizes), dtype=np.int64)


def at_least_one(total: int, sizes: np.ndarray) -> np.ndarray:
    """``total`` in proportion to ``sizes``, at least one each (every county has a mentor).

    >>> at_least_one(4, np.array([100, 1, 1])).tolist()
    [2, 1, 1]
    """
    return 1 + spread_counts(total - len(sizes), sizes)


def split(rng: np.random.Generator, totals: np.ndarray, group: np.ndarray, sd: float) -> np.ndarray:
    """Split each group's total over its items with lognormal weights (largest
    remainders within each group, vectorised: no loop over groups).

    >>> sizes = split(np.random.default_rng(0), np.array([10, 7]), np.array([0, 0, 1]), sd=0.3)
    >>> sizes.tolist()[2], int(sizes[:2].sum())
    (7, 10)
    """
    weights = rng.lognormal(0.0, sd, size=len(group))
    share = weights / np.bincount(group, weights=weights)[group]
    raw = totals[group] * share
    sizes = np.floor(raw).astype(np.int64)
    missing = totals - np.bincount(group, weights=sizes, minlength=len(totals)).astype(np.int64)
    # Rank the remainders within each group; the largest ones get the missing units.
    order = np.lexsort((-(raw - sizes), group))
    start = np.searchsorted(group[order], group[order])
    rank = np.arange(len(group)) - start
    sizes[order[rank < missing[group[order]]]] += 1
    return sizes


def around(rng: np.random.Generator, target: np.ndarray) -> np.ndarray:
    """Each target moved by up to ``CAPACITY_JITTER`` either way, at least 1.

    >>> moved = around(np.random.default_rng(0), np.array([1, 5, 5, 5]))
    >>> bool(moved.min() >= 1 and (abs(moved - 5)[1:] <= 1).all())
    True
    """
    jitter = rng.integers(-CAPACITY_JITTER, CAPACITY_JITTER + 1, size=len(target))
    return np.clip(target + jitter, 1, None)
