"""Clustering algorithms on a distance matrix (or an embedding): plain numpy in, labels out.

Nothing here knows about secretaries; the estimators and the k selection call these.

* :func:`pam`: k-medoids by PAM (Kaufman & Rousseeuw): the greedy BUILD start, then
  SWAP, which replaces one medoid by one other point while that lowers the total
  distance of points to their nearest medoid. Each SWAP step evaluates all k x n swaps
  at once with the FastPAM1 decomposition (Schubert & Rousseeuw, 2019) and makes the
  best one. Deterministic: no random start.
  :func:`pam_for_each_k` runs it for several k with one BUILD.
* :func:`hierarchical`: agglomerative clustering (average linkage by default) cut into
  exactly k clusters.
* :func:`kmeans`: scikit-learn's k-means on an embedding (the baseline).
* :func:`silhouette` and :func:`medoid_cost`: the quality measures used to choose k,
  for a partition made by any method.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import linkage as scipy_linkage
from scipy.spatial.distance import squareform
from threadpoolctl import threadpool_limits

__all__ = [
    "METHODS",
    "LINKAGES",
    "Partition",
    "pam",
    "pam_for_each_k",
    "build",
    "hierarchical",
    "kmeans",
    "partition",
    "medoid_cost",
    "silhouette",
    "silhouette_samples",
    "order_by_size",
    "n_distinct",
]

#: The clustering methods: k-medoids (PAM) and hierarchical on the mixed distance,
#: one-hot + k-means on the embedding (the baseline).
METHODS = ("kmedoids", "hierarchical", "kmeans")
LINKAGES = ("average", "complete", "single", "weighted", "ward")
#: k-means uses several threads from this many rows on.
_KMEANS_THREADS_FROM = 5000
#: n_distinct hashes rows (instead of sorting them) from this many rows on.
_HASH_ROWS_FROM = 10_000


@dataclass(frozen=True)
class Partition:
    """Labels 0..k-1, each cluster's medoid (a row index) and the total distance to it."""

    labels: np.ndarray
    medoids: np.ndarray
    cost: float


def pam(
    D: np.ndarray, k: int, *, max_swaps: int | None = None, init: np.ndarray | None = None
) -> Partition:
    """k-medoids of a distance matrix by PAM (BUILD, then best-improvement SWAP).

    Parameters
    ----------
    D : ndarray (n, n)
        Symmetric distances, 0 on the diagonal.
    k : int
        Number of clusters, 1 <= k <= n. With fewer than k distinct rows some clusters
        hold only copies of another's medoid; callers check this first.
    max_swaps : int, optional
        Stop after this many swaps (default ``100 + 20 k``; PAM needs about k).
    init : array of k row indices, optional
        The medoids SWAP starts from, in place of BUILD's (:func:`pam_for_each_k`
        passes BUILD's own, computed once for several k).

    Returns
    -------
    Partition
        Labels ordered as the medoids were found; ``cost`` is the sum of distances of
        points to their medoid, which PAM minimises (locally).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([0.0, 0.1, 0.2, 5.0, 5.1])
    >>> p = pam(np.abs(x[:, None] - x[None, :]), 2)
    >>> p.labels.tolist(), p.medoids.tolist(), round(p.cost, 3)
    ([0, 0, 0, 1, 1], [1, 3], 0.3)
    """
    D = np.asarray(D)
    n = len(D)
    if not 1 <= k <= n:
        raise ValueError(f"k must be between 1 and the number of points ({n}), got {k}")
    if init is None:
        medoids = build(D, k)
    else:
        medoids = np.asarray(init, dtype=int)
        if medoids.shape != (k,):
            raise ValueError(f"init must hold k = {k} row indices, got {medoids.shape}")
    limit = 100 + 20 * k if max_swaps is None else max_swaps
    for _ in range(limit):
        if k == 1:
            break
        swap = _best_swap(D, medoids)
        if swap is None:
            break
        medoids = medoids.copy()
        medoids[swap[0]] = swap[1]
    labels = _assign(D, medoids)
    cost = float(D[np.arange(n), medoids[labels]].sum(dtype=np.float64))
    return Partition(labels, medoids, cost)


def pam_for_each_k(D: np.ndarray, ks: Sequence[int]) -> dict[int, Partition]:
    """:func:`pam` for several k on the same matrix, with one BUILD.

    BUILD is greedy: its first k medoids do not depend on how many more follow, so
    BUILD for the largest k gives every smaller k its start. The result is exactly
    ``{k: pam(D, k) for k in ks}``, for the price of one BUILD.

    >>> import numpy as np
    >>> x = np.array([0.0, 0.1, 0.2, 5.0, 5.1, 9.0])
    >>> D = np.abs(x[:, None] - x[None, :])
    >>> all(p.cost == pam(D, k).cost for k, p in pam_for_each_k(D, [2, 3]).items())
    True
    """
    ks = sorted({int(k) for k in ks})
    if not ks:
        return {}
    start = build(D, ks[-1])
    return {k: pam(D, k, init=start[:k]) for k in ks}


def build(D: np.ndarray, k: int) -> np.ndarray:
    """PAM's BUILD: the most central point, then each point that lowers the cost most.

    >>> import numpy as np
    >>> x = np.array([0.0, 0.1, 0.2, 5.0, 5.1])
    >>> build(np.abs(x[:, None] - x[None, :]), 2).tolist()
    [2, 3]
    """
    medoids = [int(np.argmin(D.sum(axis=0, dtype=np.float64)))]
    nearest = D[:, medoids[0]].copy()
    gain = np.empty_like(D)
    for _ in range(1, k):
        # gain[o, x]: how much closer point o gets if x becomes a medoid (in place:
        # city-scale matrices are large).
        np.subtract(nearest[:, None], D, out=gain)
        np.maximum(gain, 0, out=gain)
        total = gain.sum(axis=0, dtype=np.float64)
        total[medoids] = -1.0
        best = int(np.argmax(total))
        medoids.append(best)
        np.minimum(nearest, D[:, best], out=nearest)
    return np.array(medoids)


def _best_swap(D: np.ndarray, medoids: np.ndarray) -> tuple[int, int] | None:
    """The (medoid position, new point) swap that lowers the cost most, or None.

    FastPAM1: with d1, d2 each point's distances to its nearest and second nearest
    medoid, swapping medoid i for point x changes the cost by
    ``sum_o min(D[o,x] - d1[o], 0)`` (points that move to x) plus, for the points of
    cluster i, the extra cost of losing their medoid, ``min(D[o,x], d2[o]) - d1[o]``
    in place of the first term. Both are computed for all (i, x) with a few n x n
    array operations and one k x n x n product.
    """
    n, k = len(D), len(medoids)
    Dm = D[:, medoids]
    order = np.argsort(Dm, axis=1, kind="stable")
    rows = np.arange(n)
    near = order[:, 0]
    d1 = Dm[rows, near]
    d2 = Dm[rows, order[:, 1]]
    moves = D - d1[:, None]
    np.minimum(moves, 0, out=moves)
    shared = moves.sum(axis=0, dtype=np.float64)
    loss = np.minimum(D, d2[:, None])
    loss -= d1[:, None]
    loss -= moves
    member = np.zeros((k, n), dtype=D.dtype)
    member[near, rows] = 1
    delta = (member @ loss).astype(np.float64) + shared[None, :]
    delta[:, medoids] = 0.0
    i, x = np.unravel_index(int(np.argmin(delta)), delta.shape)
    # A relative tolerance: float32 matrices must not swap back and forth on rounding.
    scale = max(float(d1.sum(dtype=np.float64)), 1e-12)
    if delta[i, x] >= -1e-7 * scale:
        return None
    return int(i), int(x)


def _assign(D: np.ndarray, medoids: np.ndarray) -> np.ndarray:
    labels = np.argmin(D[:, medoids], axis=1)
    # A medoid belongs to its own cluster even when a copy of it is another medoid.
    labels[medoids] = np.arange(len(medoids))
    return labels


def hierarchical(D: np.ndarray, k: int, *, linkage: str = "average") -> np.ndarray:
    """Agglomerative clustering of a distance matrix, cut into exactly ``k`` clusters.

    The first ``n - k`` merges of the dendrogram are applied, so that ties in merge
    heights (identical rows) never give fewer than k clusters.

    >>> import numpy as np
    >>> x = np.array([0.0, 0.1, 0.2, 5.0, 5.1])
    >>> hierarchical(np.abs(x[:, None] - x[None, :]), 2).tolist()
    [0, 0, 0, 1, 1]
    """
    if linkage not in LINKAGES:
        raise ValueError(f"linkage must be one of {LINKAGES}, got {linkage!r}")
    n = len(D)
    if not 1 <= k <= n:
        raise ValueError(f"k must be between 1 and the number of points ({n}), got {k}")
    if n == 1:
        return np.zeros(1, dtype=int)
    condensed = squareform(np.asarray(D, dtype=np.float64), checks=False)
    Z = scipy_linkage(condensed, method=linkage)
    parent = np.arange(2 * n - 1)
    for step in range(n - k):
        a, b = int(Z[step, 0]), int(Z[step, 1])
        parent[a] = parent[b] = n + step
    roots = np.empty(n, dtype=int)
    for leaf in range(n):
        node = leaf
        while parent[node] != node:
            node = parent[node]
        roots[leaf] = node
    # Number clusters by their first row, so that the labels do not depend on node ids.
    _, first, inverse = np.unique(roots, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=int)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[inverse.reshape(-1)]


def kmeans(E: np.ndarray, k: int, *, n_init: int = 10, seed: int | None = 0) -> np.ndarray:
    """scikit-learn's k-means (k-means++ starts, ``n_init`` runs) on an embedding."""
    from sklearn.cluster import KMeans  # imported here: it is slow to import, rarely used

    model = KMeans(n_clusters=k, n_init=n_init, random_state=seed)
    E = np.asarray(E, dtype=np.float64)
    if len(E) >= _KMEANS_THREADS_FROM:
        return model.fit_predict(E)
    # On small tables, starting BLAS/OpenMP threads costs more than the work itself
    # (5x slower on 2 cores for a district): run single-threaded.
    with threadpool_limits(limits=1):
        return model.fit_predict(E)


def partition(
    method: str,
    k: int,
    *,
    D: np.ndarray | None = None,
    E: np.ndarray | None = None,
    linkage: str = "average",
    n_init: int = 10,
    seed: int | None = 0,
) -> np.ndarray:
    """Labels 0..k-1 by ``method``: distances ``D`` for k-medoids and hierarchical,
    the embedding ``E`` for k-means."""
    if method == "kmedoids":
        return pam(D, k).labels
    if method == "hierarchical":
        return hierarchical(D, k, linkage=linkage)
    if method == "kmeans":
        return kmeans(E, k, n_init=n_init, seed=seed)
    raise ValueError(f"method must be one of {METHODS}, got {method!r}")


def order_by_size(labels: np.ndarray) -> np.ndarray:
    """Relabel clusters 0..k-1 from the largest; ties by first appearance.

    Clusters found by different runs or methods then read the same way.

    >>> order_by_size(np.array([2, 0, 0, 1, 1, 1])).tolist()
    [2, 1, 1, 0, 0, 0]
    """
    labels = np.asarray(labels)
    codes, first, inverse, counts = np.unique(
        labels, return_index=True, return_inverse=True, return_counts=True
    )
    rank = np.lexsort((first, -counts))
    new = np.empty(len(codes), dtype=int)
    new[rank] = np.arange(len(codes))
    return new[inverse.reshape(-1)]


def medoid_cost(D: np.ndarray, labels: np.ndarray) -> Partition:
    """Each cluster's medoid (the member with the least total distance to the others)
    and the total distance of points to their cluster's medoid."""
    labels = np.asarray(labels)
    k = int(labels.max()) + 1 if len(labels) else 0
    medoids = np.empty(k, dtype=int)
    cost = 0.0
    for c in range(k):
        members = np.flatnonzero(labels == c)
        sums = D[np.ix_(members, members)].sum(axis=0, dtype=np.float64)
        best = int(np.argmin(sums))
        medoids[c] = members[best]
        cost += float(sums[best])
    return Partition(labels, medoids, cost)


def silhouette_samples(D: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Silhouette of each point on a precomputed distance (0 for a point alone)."""
    labels = np.asarray(labels)
    n = len(labels)
    k = int(labels.max()) + 1
    member = np.zeros((n, k), dtype=np.float64)
    member[np.arange(n), labels] = 1.0
    sums = np.asarray(D @ member.astype(D.dtype), dtype=np.float64)
    counts = member.sum(axis=0)
    own = counts[labels] - 1
    a = np.where(own > 0, sums[np.arange(n), labels] / np.maximum(own, 1), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_other = sums / counts
    mean_other[np.arange(n), labels] = np.inf
    mean_other[:, counts == 0] = np.inf
    b = mean_other.min(axis=1)
    top = np.maximum(a, b)
    s = np.where((own > 0) & (top > 0) & np.isfinite(b), (b - a) / np.where(top > 0, top, 1), 0.0)
    return s


def silhouette(D: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette on a precomputed distance; needs 2 <= k <= n - 1.

    >>> import numpy as np
    >>> x = np.array([0.0, 0.1, 0.2, 5.0, 5.1])
    >>> round(silhouette(np.abs(x[:, None] - x[None, :]), np.array([0, 0, 0, 1, 1])), 3)
    0.976
    """
    return float(np.mean(silhouette_samples(D, labels)))


def n_distinct(codes: np.ndarray) -> int:
    """Number of distinct rows (identical rows can never be split by a distance).

    >>> n_distinct(np.array([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]))
    2
    """
    if len(codes) == 0:
        return 0
    if len(codes) < _HASH_ROWS_FROM:
        return len(np.unique(np.ascontiguousarray(codes), axis=0))
    # Sorting rows column by column takes 13 s for a nation; hashing them, about 1 s.
    return int((~pd.DataFrame(codes).duplicated()).sum())
