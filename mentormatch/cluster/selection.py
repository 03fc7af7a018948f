"""Choosing the number of clusters: silhouette, cost elbow and bootstrap stability.

For every candidate k the same method clusters the same data, and three signals are
measured:

* **silhouette**: the mean silhouette on the mixed distance (from -1 to 1; higher is
  better separated);
* **cost elbow**: the total distance of secretaries to their cluster's medoid falls as
  k grows; the *elbow* is the k furthest below the straight line joining the first and
  the last k on the normalised cost curve (Satopää et al.'s "kneedle"). ``elbow`` is
  that distance for every k (0 at both ends; the largest marks the elbow);
* **bootstrap stability** (Hennig, 2007): the data are resampled with replacement (a
  point drawn twice is used once, as Hennig does for distance data) and clustered
  again; each original cluster's stability is the mean, over resamples, of its best
  Jaccard similarity with a cluster of the resample (both restricted to the points
  drawn). Below 0.6 a cluster is *unstable* (it dissolves on small changes of the
  data); above 0.75 it is *stable*.

The rule that combines them (:func:`choose_k`):

1. **Stability first**: keep the k whose clusters are all at least 0.6 stable (no
   unstable cluster). If no k qualifies, keep the k with the best weakest cluster,
   and say so.
2. **Silhouette next**: among those, take the best silhouette; every k within 0.02 of
   it counts as a tie (differences that small are noise at district size).
3. **Elbow to break ties**: among the ties, the k closest to the cost elbow; then
   the smaller k (fewer clusters are easier to act on).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from mentormatch.progress import progress_bar

__all__ = [
    "UNSTABLE",
    "STABLE",
    "SILHOUETTE_TIE",
    "MAX_RESAMPLE_ROWS",
    "bootstrap_indices",
    "cluster_jaccard",
    "elbow_scores",
    "choose_k",
    "verdict",
]

#: Hennig's thresholds for a cluster's mean bootstrap Jaccard.
UNSTABLE = 0.6
STABLE = 0.75
#: Silhouettes closer than this to the best count as ties.
SILHOUETTE_TIE = 0.02
#: Resamples of larger tables draw this many rows (an m-out-of-n bootstrap), so that
#: the cost of stability stays flat as tables grow; tables clustered on samples draw
#: :data:`mentormatch.cluster.sampled.RESAMPLE_ROWS`.
MAX_RESAMPLE_ROWS = 1000


def bootstrap_indices(
    n: int, n_resamples: int, rng: np.random.Generator, *, max_rows: int = MAX_RESAMPLE_ROWS
) -> list[np.ndarray]:
    """Row indices of each resample: drawn with replacement, duplicates dropped, sorted.

    >>> idx = bootstrap_indices(10, 3, np.random.default_rng(0))
    >>> len(idx), all(len(set(i)) == len(i) for i in idx)
    (3, True)
    """
    draws = min(n, max_rows)
    return [np.unique(rng.integers(0, n, size=draws)) for _ in range(n_resamples)]


def cluster_jaccard(original: np.ndarray, resampled: np.ndarray, k: int) -> np.ndarray:
    """For each original cluster, its best Jaccard similarity with a resampled cluster.

    ``original`` holds the original labels (0..k-1) of the resampled points, and
    ``resampled`` their labels in the resample's clustering. A cluster with no point in
    the resample gets NaN (it is not counted for that resample).

    >>> cluster_jaccard(np.array([0, 0, 1, 1]), np.array([5, 5, 5, 7]), 2).tolist()
    [0.6666666666666666, 0.5]
    """
    _, res = np.unique(resampled, return_inverse=True)
    res = res.reshape(-1)
    table = np.zeros((k, int(res.max()) + 1 if len(res) else 0))
    np.add.at(table, (original, res), 1)
    rows = table.sum(axis=1, keepdims=True)
    cols = table.sum(axis=0, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = table / (rows + cols - table)
    best = jac.max(axis=1) if table.shape[1] else np.zeros(k)
    return np.where(rows[:, 0] > 0, best, np.nan)


def stability(
    fits: dict[int, np.ndarray],
    recluster: Callable[[np.ndarray, int], np.ndarray],
    resamples: Sequence[np.ndarray],
    *,
    progress: bool | None = None,
) -> dict[int, np.ndarray]:
    """Hennig's per-cluster bootstrap stability for several k at once.

    Parameters
    ----------
    fits : dict
        k -> labels 0..k-1 of every row, from clustering all rows.
    recluster : callable
        ``recluster(rows, k)`` clusters the given rows again and returns their labels.
    resamples : sequence of index arrays
        From :func:`bootstrap_indices`; every k uses the same resamples.
    progress : bool, optional
        Show a progress bar. By default one appears in a terminal or a notebook when
        the bootstrap runs longer than a second, never when output goes to a file.

    Returns
    -------
    dict
        k -> array of each cluster's mean Jaccard over the resamples.
    """
    ks = sorted(fits)
    sums = {k: np.zeros(k) for k in ks}
    counts = {k: np.zeros(k) for k in ks}
    # disable=None: a bar only in a terminal or a notebook, never in logs or pipes; the
    # delay keeps it away when the bootstrap takes less than a moment.
    bar = progress_bar(
        total=len(resamples) * len(ks), desc="bootstrap", unit="fit", progress=progress
    )
    try:
        for idx in resamples:
            for k in ks:
                if len(idx) <= k:
                    bar.update(1)
                    continue
                labels = recluster(idx, k)
                jac = cluster_jaccard(fits[k][idx], labels, k)
                seen = ~np.isnan(jac)
                sums[k][seen] += jac[seen]
                counts[k][seen] += 1
                bar.update(1)
    finally:
        bar.close()
    # A cluster never drawn (impossible unless it is tiny) counts as dissolved: 0.
    return {k: np.where(counts[k] > 0, sums[k] / np.maximum(counts[k], 1), 0.0) for k in ks}


def elbow_scores(ks: Sequence[int], costs: Sequence[float]) -> np.ndarray:
    """How far each k lies below the chord of the normalised cost curve (kneedle).

    Both axes are scaled to [0, 1]; the chord joins the first and the last k. The k
    with the largest score is the elbow. A flat curve scores 0 everywhere.

    >>> elbow_scores([2, 3, 4, 5], [10.0, 4.0, 3.0, 2.5]).round(3).tolist()
    [0.0, 0.33, 0.189, 0.0]
    """
    ks = np.asarray(ks, dtype=float)
    costs = np.asarray(costs, dtype=float)
    if len(ks) < 3 or np.ptp(costs) <= 0 or np.ptp(ks) <= 0:
        return np.zeros(len(ks))
    x = (ks - ks[0]) / (ks[-1] - ks[0])
    y = (costs - costs[-1]) / (costs[0] - costs[-1]) if costs[0] != costs[-1] else costs * 0
    # Distance below the chord from (0, 1) to (1, 0); points above it score 0.
    return np.maximum((1.0 - x - y) / np.sqrt(2.0), 0.0)


def verdict(jaccard: float) -> str:
    """Hennig's reading of a cluster's mean bootstrap Jaccard."""
    if jaccard < UNSTABLE:
        return "unstable"
    if jaccard < STABLE:
        return "weak"
    return "stable"


def choose_k(
    table: pd.DataFrame,
    *,
    unstable: float = UNSTABLE,
    tie: float = SILHOUETTE_TIE,
) -> tuple[int, str]:
    """The k chosen by the documented rule (module docstring), and why, in words.

    Parameters
    ----------
    table : DataFrame
        One row per k with columns ``k``, ``silhouette``, ``elbow`` and
        ``stability_min`` (the weakest cluster's mean Jaccard).

    Examples
    --------
    >>> t = pd.DataFrame({"k": [2, 3, 4], "silhouette": [0.30, 0.31, 0.40],
    ...                   "elbow": [0.0, 0.2, 0.0], "stability_min": [0.9, 0.8, 0.5]})
    >>> choose_k(t)[0]
    3
    """
    t = table.reset_index(drop=True)
    ok = t["stability_min"] >= unstable
    notes = []
    if ok.any():
        pool = t[ok]
        notes.append(f"{int(ok.sum())} of {len(t)} k have no unstable cluster (all >= {unstable})")
    else:
        best_min = t["stability_min"].max()
        pool = t[t["stability_min"] >= best_min - 1e-12]
        notes.append(
            f"no k is free of unstable clusters (< {unstable}); kept the k whose weakest "
            f"cluster is most stable ({best_min:.2f})"
        )
    best = pool["silhouette"].max()
    ties = pool[pool["silhouette"] >= best - tie]
    elbow_k = int(t.loc[int(np.argmax(t["elbow"].to_numpy())), "k"])
    if len(ties) > 1:
        notes.append(
            f"silhouettes of k = {', '.join(str(int(v)) for v in ties['k'])} are within "
            f"{tie} of the best ({best:.3f}); the cost elbow is at k = {elbow_k}"
        )
    else:
        notes.append(f"best silhouette among them: {best:.3f}")
    distance = (ties["k"] - elbow_k).abs()
    chosen = int(ties.assign(_d=distance).sort_values(["_d", "k"], kind="stable").iloc[0]["k"])
    return chosen, "; ".join(notes) + f" -> k = {chosen}"
