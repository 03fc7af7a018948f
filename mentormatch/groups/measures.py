"""Measures and checks of a partition into groups: sizes, diversity, rules, chance.

Plain numpy on labels, shared by every engine (:mod:`~mentormatch.groups.exchange`,
:mod:`~mentormatch.groups.fast`, :mod:`~mentormatch.groups.batch`) and by the plan;
:mod:`mentormatch.groups.problem` re-exports them with the problem they measure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from mentormatch.groups.problem import Instance

__all__ = [
    "EPS",
    "group_sizes",
    "diversity",
    "diversities",
    "check_partition",
    "sizes_text",
    "percentile",
]

#: Improvements of diversity smaller than this are rounding, not improvements.
EPS = 1e-9


def group_sizes(n: int, n_groups: int) -> np.ndarray:
    """The sizes of ``n_groups`` groups of ``n`` items that differ by at most one.

    >>> group_sizes(282, 10).tolist()
    [29, 29, 28, 28, 28, 28, 28, 28, 28, 28]
    """
    q, r = divmod(int(n), int(n_groups))
    return np.array([q + 1] * r + [q] * (n_groups - r), dtype=np.int64)


def diversity(D: np.ndarray, labels: np.ndarray) -> float:
    """The sum of the distances between members of the same group.

    Each pair counts once.

    >>> import numpy as np
    >>> x = np.array([0.0, 1.0, 2.0, 3.0])
    >>> D = np.abs(x[:, None] - x[None, :])
    >>> diversity(D, np.array([0, 0, 1, 1])), diversity(D, np.array([0, 1, 1, 0]))
    (2.0, 4.0)
    """
    labels = np.asarray(labels)
    same = labels[:, None] == labels[None, :]
    return float(np.asarray(D, dtype=np.float64)[same].sum() / 2)


def diversities(D: np.ndarray, labels: np.ndarray, n_groups: int) -> np.ndarray:
    """:func:`diversity` of many partitions at once: ``labels`` has one row each.

    >>> import numpy as np
    >>> x = np.array([0.0, 1.0, 2.0, 3.0])
    >>> D = np.abs(x[:, None] - x[None, :])
    >>> diversities(D, np.array([[0, 0, 1, 1], [0, 1, 1, 0]]), 2).tolist()
    [2.0, 4.0]
    """
    labels = np.atleast_2d(np.asarray(labels))
    R, n = labels.shape
    if R == 0:
        return np.zeros(0)
    # One-hot of every partition side by side: D @ onehot gives each item's distance
    # to each group of each partition in one matrix product.
    onehot = np.zeros((n, R * n_groups))
    onehot[np.arange(n)[None, :], labels + n_groups * np.arange(R)[:, None]] = 1.0
    to_group = np.asarray(D, dtype=np.float64) @ onehot
    within = (to_group * onehot).reshape(n, R, n_groups).sum(axis=(0, 2))
    return within / 2


# --- Counting what is broken ------------------------------------------------------


def _violation(counts: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    # low <= high: at most one of the two is positive.
    out = counts - high
    np.maximum(out, low - counts, out=out)
    return np.maximum(out, 0, out=out)


def _shortage(counts: np.ndarray, minimum: np.ndarray) -> np.ndarray:
    return np.maximum(minimum - counts, 0)


# --- Checks ------------------------------------------------------------------------------


def check_partition(
    inst: Instance, labels: np.ndarray, *, must_link=(), cannot_link=()
) -> list[str]:
    """Every rule a partition breaks, in words; empty when it meets them all.

    Checked from the labels alone (not from any running sums): sizes differ by at most
    one, must-link and cannot-link pairs (given again, as item indices), required
    members in every group, and every balance column within its bounds.

    >>> import numpy as np
    >>> from mentormatch.groups.problem import encode
    >>> inst = encode(np.ones((4, 4)) - np.eye(4), 2, categories=np.array([[0], [0], [1], [1]]))
    >>> check_partition(inst, np.array([0, 1, 0, 1]))
    []
    >>> check_partition(inst, np.array([0, 0, 1, 1]))
    ['group 0 holds 2 of 0 = 0 (allowed 1 to 1)', 'group 0 holds 0 of 0 = 1 (allowed 1 to 1)', \
'group 1 holds 0 of 0 = 0 (allowed 1 to 1)', 'group 1 holds 2 of 0 = 1 (allowed 1 to 1)']
    """
    labels = np.asarray(labels)
    problems = []
    if labels.shape != (inst.n,) or labels.min() < 0 or labels.max() >= inst.n_groups:
        return [f"labels must be {inst.n} groups in 0..{inst.n_groups - 1}"]
    sizes = np.bincount(labels, minlength=inst.n_groups)
    if sizes.max() - sizes.min() > 1:
        problems.append(f"group sizes differ by more than one: {sorted(sizes.tolist())}")
    for i, j in must_link:
        if labels[i] != labels[j]:
            problems.append(f"{inst.names[i]} and {inst.names[j]} must sit together")
    for i, j in cannot_link:
        if labels[i] == labels[j]:
            problems.append(f"{inst.names[i]} and {inst.names[j]} must sit apart")
    for g in range(inst.n_groups):
        counts = inst.item_K[labels == g].sum(axis=0)
        for c, (var, cat) in enumerate(inst.columns):
            if c < inst.n_balance:
                lo, hi = inst.low[c], inst.high[c]
                if not lo <= counts[c] <= hi:
                    problems.append(
                        f"group {g} holds {counts[c]} of {var} = {cat} (allowed {lo} to {hi})"
                    )
            elif counts[c] < inst.minimum[c - inst.n_balance]:
                problems.append(
                    f"group {g} has {counts[c]} required members of kind {cat} "
                    f"(needs {inst.minimum[c - inst.n_balance]})"
                )
    return problems


def sizes_text(sizes: Sequence[int]) -> str:
    """Group sizes in words.

    >>> sizes_text([29, 28, 28]), sizes_text([5])
    ('3 groups of 28 or 29', '1 group of 5')
    """
    sizes = sorted(int(s) for s in sizes)
    if not sizes:
        return "no groups"
    span = f"{sizes[0]}" if sizes[0] == sizes[-1] else f"{sizes[0]} or {sizes[-1]}"
    return f"{len(sizes)} group{'s' if len(sizes) != 1 else ''} of {span}"


def percentile(value: float, sample: np.ndarray) -> float:
    """Percent of ``sample`` below ``value`` (ties count half); NaN for an empty sample.

    >>> percentile(3.0, np.array([1.0, 2.0, 3.0, 4.0]))
    62.5
    """
    sample = np.asarray(sample, dtype=float)
    if not len(sample):
        return math.nan
    below = (sample < value - EPS).sum()
    ties = (np.abs(sample - value) <= EPS).sum()
    return float(100.0 * (below + 0.5 * ties) / len(sample))
