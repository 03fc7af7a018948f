"""Clustering on samples, for tables too large for an ``n x n`` distance matrix.

A city's 6,000 secretaries make a 36-million-cell matrix, a nation's 600,000 one of
360 billion cells. From :data:`SAMPLED_FROM` rows on, :func:`~mentormatch.cluster_secretaries`
(``algorithm="auto"``) clusters on samples instead; no matrix larger than a sample's
(or a block of rows against a sample) is ever held:

* **k-medoids by CLARA** (Kaufman & Rousseeuw, 1990, ch. 3), :func:`clara`: PAM on a
  random sample of :data:`SAMPLE_ROWS` rows, every row then assigned to its nearest
  medoid (in blocks of :data:`BLOCK_ROWS` rows) and the total distance measured on
  all rows; :data:`N_SAMPLES` samples are drawn and the medoids of lowest total cost
  kept. As in Kaufman and Rousseeuw's program, each sample after the first includes
  the best medoids so far, so a later sample can only improve on them.
* **hierarchical clustering** on the silhouette sample (below), every other row
  going to the cluster at the least mean distance (the rule of ``predict``);
* **k-means** on the embedding of all rows (it never needed a distance matrix).

How k is chosen stays the same rule (:mod:`mentormatch.cluster.selection`), with each
signal measured on samples:

* **silhouette** of the rows of one sample of :data:`SILHOUETTE_ROWS` rows, on their
  own distance matrix (as ``sklearn.metrics.silhouette_score(sample_size=...)``
  estimates it), the same sample for every k;
* **cost**: the total distance of all rows to their cluster's medoid (for
  hierarchical clustering and k-means, the medoid is found among the cluster's rows
  in the silhouette sample);
* **stability**: the bootstrap draws :data:`RESAMPLE_ROWS` rows per resample (an
  m-out-of-n bootstrap, as it already does above 1,000 rows) and clusters each
  resample by the full method, one distance matrix per resample for every k.

Every draw comes from the seed: the same table and seed give the same clusters.

Why from 3,000: below it the full matrix holds at most 9 million cells (72 MB), and
the results stay the exact method's (the sample district's among them). Above it the
matrix grows with the square of the rows: on the city of 6,000 the full path's k auto
takes about 55 times the project's yardstick and 1.2 GB, the sampled path about 8
times and 0.4 GB (``benchmarks/bench_cluster.py``).

How close CLARA comes to full PAM, where both run: on the city of 6,000 (k from 2 to
10, three seeds) its total distance was on average 0.4% to 1.0% above PAM's (by k),
at most 1.1%; ten samples instead of five lower that by about a third, for twice the
time. ``benchmarks/bench_cluster.py`` measures the gap on every run, and the tests
check it on random tables. PAM itself finds a local optimum, so CLARA is sometimes
below it.

Why the resamples draw 500 rows, not the full path's 1,000: the bootstrap reclusters
every resample for every k (900 PAMs for k from 2 to 10), and PAM's cost grows with
the square of the rows. With 1,000 draws the city's k auto took 29 times the
project's yardstick (scipy's ``linear_sum_assignment`` on a 2,000 x 2,000 matrix),
with 500 about 8 times; a resample then still holds more distinct rows (about 480)
than a district's resamples (about 180 of 282).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from mentormatch.cluster.engine import Partition, hierarchical, pam, pam_for_each_k

__all__ = [
    "SAMPLED_FROM",
    "SAMPLE_ROWS",
    "N_SAMPLES",
    "SILHOUETTE_ROWS",
    "RESAMPLE_ROWS",
    "BLOCK_ROWS",
    "BLOCK_CELLS",
    "Metric",
    "nearest",
    "clara",
    "clara_for_each_k",
    "sample_rows",
    "hierarchical_sampled",
    "medoids_on_sample",
    "cost_to",
]

#: From this many rows (secretaries in post), ``algorithm="auto"`` clusters on samples.
SAMPLED_FROM = 3000
#: Rows in each CLARA sample (Kaufman and Rousseeuw's 40 + 2k is far too few for
#: mixed data: at 1,000 the gap to full PAM is under about 1%).
SAMPLE_ROWS = 1000
#: CLARA samples.
N_SAMPLES = 5
#: Rows of the sample on which silhouettes are measured (and hierarchical clustering
#: is fitted).
SILHOUETTE_ROWS = 2000
#: Rows drawn by each bootstrap resample on the sampled path (an m-out-of-n bootstrap;
#: why 500: see the module docstring).
RESAMPLE_ROWS = 500
#: Rows whose distances to the medoids are computed at once.
BLOCK_ROWS = 1 << 15
#: Cells of a block of rows against a sample (hierarchical clustering's assignment).
BLOCK_CELLS = 1 << 22

#: ``metric(a, b)``: distances between the rows of two code arrays (``b=None``: ``a``
#: against itself), e.g. :meth:`~mentormatch.features.MixedEncoder.code_distances`.
Metric = Callable[..., np.ndarray]


def nearest(
    codes: np.ndarray, centres: np.ndarray, metric: Metric, *, block_rows: int = BLOCK_ROWS
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's nearest centre (first on ties) and its distance, in blocks of rows.

    >>> import numpy as np
    >>> x = np.array([[0.0], [1.0], [4.0]])
    >>> metric = lambda a, b=None: np.abs(a - (a if b is None else b).T)
    >>> labels, dist = nearest(x, np.array([[0.0], [5.0]]), metric)
    >>> labels.tolist(), dist.tolist()
    ([0, 0, 1], [0.0, 1.0, 1.0])
    """
    n = len(codes)
    labels = np.empty(n, dtype=int)
    dist = np.empty(n, dtype=np.float64)
    for start in range(0, n, block_rows):
        block = metric(codes[start : start + block_rows], centres)
        best = np.argmin(block, axis=1)
        labels[start : start + len(best)] = best
        dist[start : start + len(best)] = block[np.arange(len(best)), best]
    return labels, dist


def sample_rows(
    n: int, size: int, rng: np.random.Generator, keep: np.ndarray | None = None
) -> np.ndarray:
    """``size`` distinct rows of ``n`` (sorted), drawn at random, always holding ``keep``.

    >>> idx = sample_rows(100, 10, np.random.default_rng(0), keep=np.array([7]))
    >>> len(idx), 7 in idx, len(set(idx.tolist()))
    (10, True, 10)
    """
    keep = np.zeros(0, dtype=int) if keep is None else np.unique(np.asarray(keep, dtype=int))
    size = min(n, size)
    if size >= n:
        return np.arange(n)
    draw = rng.choice(n, min(n, size + len(keep)), replace=False)
    draw = draw[~np.isin(draw, keep)][: size - len(keep)]
    return np.sort(np.concatenate([keep, draw]))


def clara(
    codes: np.ndarray,
    k: int,
    metric: Metric,
    rng: np.random.Generator,
    *,
    n_samples: int = N_SAMPLES,
    sample_size: int = SAMPLE_ROWS,
) -> Partition:
    """k-medoids of all rows by CLARA: PAM on samples, every row to its nearest medoid.

    Parameters
    ----------
    codes : ndarray (n, p)
        The rows, as ``metric`` reads them.
    k : int
        Number of clusters (callers check that there are at least k distinct rows).
    metric : callable
        ``metric(a, b=None)`` -> distances (see :data:`Metric`).
    rng : numpy Generator
        Draws the samples.
    n_samples, sample_size : int
        Samples and rows per sample (at least ``40 + 2k``, Kaufman and Rousseeuw's
        minimum); a table no larger than one sample is clustered by PAM once.

    Returns
    -------
    Partition
        Labels of all rows (each medoid in its own cluster), the medoids (row indices)
        and the total distance of all rows to their medoid.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.concatenate([np.zeros(60), np.full(60, 5.0)])[:, None]
    >>> x = x + np.random.default_rng(0).normal(0, 0.1, x.shape)
    >>> metric = lambda a, b=None: np.abs(a - (a if b is None else b).T)
    >>> p = clara(x, 2, metric, np.random.default_rng(0), sample_size=40)
    >>> sorted(np.bincount(p.labels).tolist())
    [60, 60]
    """
    found = clara_for_each_k(codes, [k], metric, rng, n_samples=n_samples, sample_size=sample_size)
    return found[k]


def clara_for_each_k(
    codes: np.ndarray,
    ks: Sequence[int],
    metric: Metric,
    rng: np.random.Generator,
    *,
    n_samples: int = N_SAMPLES,
    sample_size: int = SAMPLE_ROWS,
) -> dict[int, Partition]:
    """:func:`clara` for several k, sharing the samples' distance matrices.

    The samples are drawn once for all k (so each k's result is the same whether it
    runs alone or with others); sample ``s`` of a given k is the ``s``-th draw plus
    that k's best medoids so far. The first sample's PAM runs one BUILD for all k
    (:func:`~mentormatch.cluster.engine.pam_for_each_k`). The sample size is at least
    ``40 + 2 max(ks)``.
    """
    ks = sorted({int(k) for k in ks})
    n = len(codes)
    size = min(n, max(int(sample_size), 40 + 2 * ks[-1]))
    draws = [sample_rows(n, size, rng) for _ in range(n_samples if size < n else 1)]
    best: dict[int, Partition] = {}

    def keep_if_better(k: int, medoids: np.ndarray) -> None:
        labels, dist = nearest(codes, codes[medoids], metric)
        labels[medoids] = np.arange(k)  # a medoid is in its own cluster, even if copied
        dist[medoids] = 0.0
        cost = float(dist.sum(dtype=np.float64))
        if k not in best or cost < best[k].cost:
            best[k] = Partition(labels, medoids, cost)

    for s, rows in enumerate(draws):
        D_rows = metric(codes[rows])
        if s == 0:
            for k, part in pam_for_each_k(D_rows, ks).items():
                keep_if_better(k, rows[part.medoids])
            continue
        for k in ks:
            extra = np.setdiff1d(best[k].medoids, rows)
            idx = np.concatenate([rows, extra])
            D = _extended(D_rows, codes, rows, extra, metric)
            keep_if_better(k, idx[pam(D, k).medoids])
    return best


def _extended(
    D_rows: np.ndarray, codes: np.ndarray, rows: np.ndarray, extra: np.ndarray, metric: Metric
) -> np.ndarray:
    """The distance matrix of ``rows`` then ``extra``, from that of ``rows``."""
    if len(extra) == 0:
        return D_rows
    m, e = len(rows), len(extra)
    cross = metric(codes[extra], codes[np.concatenate([rows, extra])])
    cross[np.arange(e), m + np.arange(e)] = 0.0
    D = np.empty((m + e, m + e), dtype=D_rows.dtype)
    D[:m, :m] = D_rows
    D[m:, :] = cross
    D[:m, m:] = cross[:, :m].T
    return D


def hierarchical_sampled(
    codes: np.ndarray,
    k: int,
    metric: Metric,
    rows: np.ndarray,
    D_rows: np.ndarray,
    *,
    linkage: str = "average",
) -> np.ndarray:
    """Hierarchical clustering of the sample ``rows`` (distances ``D_rows``), every
    other row going to the cluster at the least mean distance; labels of all rows."""
    sample_labels = hierarchical(D_rows, k, linkage=linkage)
    member = np.zeros((len(rows), k))
    member[np.arange(len(rows)), sample_labels] = 1.0
    counts = member.sum(axis=0)
    labels = np.empty(len(codes), dtype=int)
    step = max(1, BLOCK_CELLS // len(rows))
    for start in range(0, len(codes), step):
        block = np.asarray(metric(codes[start : start + step], codes[rows]), dtype=float)
        labels[start : start + len(block)] = np.argmin((block @ member) / counts, axis=1)
    labels[rows] = sample_labels
    return labels


def medoids_on_sample(labels: np.ndarray, rows: np.ndarray, D_rows: np.ndarray, k: int):
    """Each cluster's medoid among its rows in a sample: the row with the least total
    distance to the cluster's other rows there. A cluster with no row in the sample
    (a tiny one) takes its first row."""
    own = labels[rows]
    medoids = np.empty(k, dtype=int)
    for c in range(k):
        members = np.flatnonzero(own == c)
        if len(members) == 0:
            medoids[c] = int(np.flatnonzero(labels == c)[0])
            continue
        sums = D_rows[np.ix_(members, members)].sum(axis=0, dtype=np.float64)
        medoids[c] = rows[members[int(np.argmin(sums))]]
    return medoids


def cost_to(codes: np.ndarray, labels: np.ndarray, medoids: np.ndarray, metric: Metric) -> float:
    """Total distance of all rows to their own cluster's medoid, in blocks."""
    total = 0.0
    centres = codes[medoids]
    for start in range(0, len(codes), BLOCK_ROWS):
        block = metric(codes[start : start + BLOCK_ROWS], centres)
        own = labels[start : start + len(block)]
        total += float(block[np.arange(len(block)), own].sum(dtype=np.float64))
    return total
