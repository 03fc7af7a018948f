"""The salon against chance: diversities of random partitions, and sums without an n x n matrix.

:func:`mentormatch.groups.salon.salon_plan` compares its groups with random
partitions of two kinds (:mod:`mentormatch.groups.draws`): :func:`compare` for the
exchange method (on the full distance matrix), :func:`compare_fast` for the fast
method, whose diversities are summed group by group (:func:`within_sums`) and whose
mean distance over all pairs is estimated from :data:`MEAN_ALL_ROWS` rows
(:func:`mean_all_sampled`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.features import SecretaryFeatures
from mentormatch.groups.draws import random_same_sizes, random_under_rules, shuffle_within_kinds
from mentormatch.groups.exchange import Anticlustering
from mentormatch.groups.problem import Instance, diversities
from mentormatch.progress import progress_bar

__all__ = [
    "compare",
    "compare_fast",
    "within_sums",
    "mean_all_sampled",
    "within_pairs",
    "MEAN_ALL_ROWS",
]


def compare(
    inst: Instance,
    result: Anticlustering,
    n_random: int,
    seed: np.random.SeedSequence,
    progress: bool | None,
) -> pd.DataFrame:
    """Diversity of ``n_random`` random partitions of each kind."""
    if n_random == 0:
        return pd.DataFrame({"baseline": pd.Series([], dtype="str"), "diversity": []})
    rules_rng, sizes_rng = (np.random.default_rng(s) for s in seed.spawn(2))
    # disable=None: a bar only in a terminal or a notebook; the delay keeps it away
    # when the comparison takes less than a second.
    bar = progress_bar(
        total=2 * n_random, desc="random partitions", unit="partition", progress=progress
    )
    try:
        under = random_under_rules(
            inst, n_random, rules_rng, max_violation=result.violation, progress=bar.update
        )
        same = random_same_sizes(inst, n_random, sizes_rng, progress=bar.update)
    finally:
        bar.close()
    G = inst.n_groups
    return pd.DataFrame(
        {
            "baseline": pd.Series(["same_rules"] * len(under) + ["same_sizes"] * len(same)),
            "diversity": np.concatenate(
                [diversities(inst.D, under, G), diversities(inst.D, same, G)]
            ),
        }
    ).astype({"baseline": "str"})


def within_pairs(labels: np.ndarray, n_groups: int) -> int:
    sizes = np.bincount(labels, minlength=n_groups)
    return int((sizes * (sizes - 1) // 2).sum())


#: Rows whose distances to every secretary estimate ``mean_all`` with the fast method.
MEAN_ALL_ROWS = 500


def within_sums(
    encoder: SecretaryFeatures, codes: np.ndarray, labels: np.ndarray, n_groups: int
) -> np.ndarray:
    """Per group, the sum of the distances between its members, each pair counted
    both ways, from the encoded rows alone (a group's distances at a time, never the
    ``n x n`` matrix). :func:`mentormatch.groups.problem.diversity` is half the total.

    >>> import mentormatch as mm
    >>> from mentormatch.features import secretary_features
    >>> from mentormatch.groups.problem import diversity
    >>> f = secretary_features(mm.synthesize_district(seed=1)).iloc[:40]
    >>> enc = SecretaryFeatures().fit(f)
    >>> codes = enc.encode(f)
    >>> labels = np.arange(40) % 4
    >>> bool(np.isclose(within_sums(enc, codes, labels, 4).sum() / 2,
    ...                 diversity(enc.code_distances(codes), labels)))
    True
    """
    order = np.argsort(labels, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(labels, minlength=n_groups))])
    out = np.zeros(n_groups)
    # A few groups per call: one call per group would spend its time in overhead.
    step = max(1, _BLOCK // max(1, int(np.diff(bounds).max(initial=1))))
    for g0 in range(0, n_groups, step):
        g1 = min(n_groups, g0 + step)
        rows = order[bounds[g0] : bounds[g1]]
        block = encoder.code_distances(codes[rows])
        lab = labels[rows]
        same = lab[:, None] == lab[None, :]
        out[g0:g1] = np.bincount(lab - g0, weights=(block * same).sum(axis=1), minlength=g1 - g0)
    return out


#: Rows per block of :func:`within_sums`.
_BLOCK = 64


def mean_all_sampled(
    encoder: SecretaryFeatures, codes: np.ndarray, seed: np.random.SeedSequence
) -> float:
    """Mean distance between two secretaries in post: exact up to
    :data:`MEAN_ALL_ROWS` secretaries, else estimated from that many rows drawn at
    random against everyone (its standard error is far below the digits shown)."""
    n = len(codes)
    if n < 2:
        return float("nan")
    if n <= MEAN_ALL_ROWS:
        D = encoder.code_distances(codes)
        return float(D[np.triu_indices(n, 1)].mean())
    rows = np.sort(np.random.default_rng(seed.spawn(3)[2]).choice(n, MEAN_ALL_ROWS, replace=False))
    block = encoder.code_distances(codes[rows], codes)
    return float(block.sum() / (MEAN_ALL_ROWS * (n - 1)))  # the diagonal cells are 0


def compare_fast(
    inst: Instance,
    result: Anticlustering,
    encoder: SecretaryFeatures,
    codes: np.ndarray,
    n_random: int,
    seed: np.random.SeedSequence,
    progress: bool | None,
) -> pd.DataFrame:
    """As :func:`compare`, for the fast method: random partitions under the rules
    are the start's groups shuffled within kinds
    (:func:`mentormatch.groups.draws.shuffle_within_kinds`), diversities are summed
    group by group (:func:`within_sums`)."""
    if n_random == 0:
        return pd.DataFrame({"baseline": pd.Series([], dtype="str"), "diversity": []})
    rules_rng, sizes_rng = (np.random.default_rng(s) for s in seed.spawn(2))
    G = inst.n_groups
    bar = progress_bar(
        total=2 * n_random, desc="random partitions", unit="partition", progress=progress
    )
    try:
        under = shuffle_within_kinds(inst, result.start_labels, n_random, rules_rng)
        same = random_same_sizes(inst, n_random, sizes_rng)
        values = []
        for lab in (*under, *same):
            values.append(within_sums(encoder, codes, lab, G).sum() / 2)
            bar.update(1)
    finally:
        bar.close()
    return pd.DataFrame(
        {
            "baseline": pd.Series(["same_rules"] * len(under) + ["same_sizes"] * len(same)),
            "diversity": np.array(values, dtype=float),
        }
    ).astype({"baseline": "str"})
