"""Two ways to cluster one table for every k and measure the evidence for k, by size.

:class:`FullPath` holds the ``n x n`` mixed distance matrix and runs each method on it
(the district's way). :class:`SampledPath` never builds it: CLARA and samples
(:mod:`mentormatch.cluster.sampled`). Both offer the same four steps to
:func:`~mentormatch.cluster_secretaries`: ``fits`` (labels for each k, numbered from
the largest cluster), ``signals`` (silhouette, cost, elbow), ``stability`` (Hennig's
bootstrap) and ``model`` (the fitted estimator).

In both, the bootstrap computes each resample's distance matrix once for all k, and
k-medoids runs one BUILD for all k (:func:`~mentormatch.cluster.engine.pam_for_each_k`):
the same clusters as one PAM per k and per resample, for less work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from functools import partial

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from mentormatch.cluster.engine import (
    Partition,
    build,
    kmeans,
    medoid_cost,
    order_by_size,
    pam,
    pam_for_each_k,
    partition,
    silhouette,
)
from mentormatch.cluster.estimator import SecretaryClusterer, distance_dtype
from mentormatch.cluster.sampled import (
    RESAMPLE_ROWS,
    SILHOUETTE_ROWS,
    clara_for_each_k,
    cost_to,
    hierarchical_sampled,
    medoids_on_sample,
    sample_rows,
)
from mentormatch.cluster.selection import MAX_RESAMPLE_ROWS, bootstrap_indices, elbow_scores
from mentormatch.cluster.selection import stability as bootstrap_stability
from mentormatch.features import MixedEncoder

__all__ = ["FullPath", "SampledPath"]

#: Below this many rows, matrix products run on one thread: starting BLAS threads
#: costs more than the product (several times slower on 2 cores for a district).
_ONE_THREAD_BELOW = 2000


def _threads(n: int):
    return threadpool_limits(limits=1) if n < _ONE_THREAD_BELOW else nullcontext()


class _Recluster:
    """``recluster(rows, k)`` for the bootstrap: each resample's distance matrix, and
    BUILD's medoids for the largest k that fits it, computed once for all k."""

    def __init__(
        self,
        method: str,
        ks: Sequence[int],
        submatrix: Callable[[np.ndarray], np.ndarray],
        E: np.ndarray | None,
        seeds: list[int],
        linkage: str,
        n_init: int,
    ):
        self.method, self.ks, self.submatrix, self.E = method, sorted(ks), submatrix, E
        self.seeds, self.linkage, self.n_init = iter(seeds), linkage, n_init
        self.rows: np.ndarray | None = None

    def __call__(self, rows: np.ndarray, k: int) -> np.ndarray:
        seed = next(self.seeds)  # drawn for every fit, in a fixed order
        if self.method == "kmeans":
            return kmeans(self.E[rows], k, n_init=self.n_init, seed=seed)
        if rows is not self.rows:
            self.rows, self.D, self.start = rows, self.submatrix(rows), None
        if self.method == "hierarchical":
            return partition("hierarchical", k, D=self.D, linkage=self.linkage)
        if self.start is None:
            # stability() asks only for k below the number of rows.
            self.start = build(self.D, max(kk for kk in self.ks if kk < len(rows)))
        return pam(self.D, k, init=self.start[:k]).labels


def _bootstrap(
    fits: dict[int, np.ndarray],
    n: int,
    n_bootstrap: int,
    rng: np.random.Generator,
    max_rows: int,
    make: Callable[[list[int]], _Recluster],
    progress: bool | None,
) -> dict[int, np.ndarray]:
    if n_bootstrap == 0:
        return {}
    resamples = bootstrap_indices(n, n_bootstrap, rng, max_rows=max_rows)
    # Seeds for k-means on the resamples, drawn in a fixed order: same seed, same result.
    seeds = rng.integers(2**31 - 1, size=n_bootstrap * len(fits)).tolist()
    with threadpool_limits(limits=1):  # resamples are small (see _ONE_THREAD_BELOW)
        return bootstrap_stability(fits, make(seeds), resamples, progress=progress)


class _Path:
    """What both paths hold: the encoded rows and the method's settings."""

    def __init__(
        self,
        encoder: MixedEncoder,
        codes: np.ndarray,
        *,
        method: str,
        linkage: str,
        n_init: int,
        seed: int | None,
        random_state: object,
    ):
        self.encoder, self.codes, self.method = encoder, codes, method
        self.linkage, self.n_init = linkage, n_init
        self.seed, self.random_state = seed, random_state
        self.E = encoder.embed(codes) if method == "kmeans" else None


class FullPath(_Path):
    """Every method on the full ``n x n`` matrix of the mixed distance."""

    algorithm = "full"

    def __init__(self, encoder: MixedEncoder, codes: np.ndarray, **settings: object):
        super().__init__(encoder, codes, **settings)
        self.D = encoder.code_distances(codes, dtype=distance_dtype(len(codes)))

    def fits(self, ks: Sequence[int]) -> dict[int, np.ndarray]:
        with _threads(len(self.D)):
            if self.method == "kmedoids":
                parts = pam_for_each_k(self.D, ks)
                return {kk: order_by_size(parts[kk].labels) for kk in ks}
            return {
                kk: order_by_size(
                    partition(
                        self.method,
                        kk,
                        D=self.D,
                        E=self.E,
                        linkage=self.linkage,
                        n_init=self.n_init,
                        seed=self.seed,
                    )
                )
                for kk in ks
            }

    def signals(self, fits: dict[int, np.ndarray]) -> pd.DataFrame:
        """Silhouette, cost and elbow of each k's clustering of all rows."""
        n = len(self.D)
        with _threads(n):
            table = pd.DataFrame(
                {
                    "k": list(fits),
                    # With as many clusters as rows every point is alone: silhouette 0.
                    "silhouette": [
                        silhouette(self.D, lab) if kk < n else 0.0 for kk, lab in fits.items()
                    ],
                    "cost": [medoid_cost(self.D, lab).cost for lab in fits.values()],
                }
            )
        table["elbow"] = elbow_scores(table["k"], table["cost"])
        return table

    def stability(
        self, fits: dict[int, np.ndarray], n_bootstrap: int, progress: bool | None
    ) -> dict[int, np.ndarray]:
        """Per-cluster bootstrap stability of every k (empty when n_bootstrap is 0)."""
        rng = np.random.default_rng(self.random_state) if n_bootstrap else None

        def make(seeds: list[int]) -> _Recluster:
            D = self.D
            submatrix = lambda idx: D[np.ix_(idx, idx)]  # noqa: E731
            return _Recluster(
                self.method, list(fits), submatrix, self.E, seeds, self.linkage, self.n_init
            )

        return _bootstrap(fits, len(self.D), n_bootstrap, rng, MAX_RESAMPLE_ROWS, make, progress)

    def model(self, estimator: SecretaryClusterer, k: int, labels: np.ndarray):
        with _threads(len(self.D)):
            return estimator._set_fitted(self.encoder, self.codes, self.D, labels, self.E)


class SampledPath(_Path):
    """CLARA and samples (:mod:`mentormatch.cluster.sampled`): no ``n x n`` matrix."""

    algorithm = "sampled"

    def __init__(self, encoder: MixedEncoder, codes: np.ndarray, **settings: object):
        super().__init__(encoder, codes, **settings)
        # Independent streams for the CLARA samples, the silhouette sample and the
        # bootstrap: adding a k to k_range changes no other k's clusters.
        self.entropy = np.random.SeedSequence(self.seed).entropy
        self.metric = partial(encoder.code_distances, dtype=np.float32)
        self.rows = sample_rows(len(codes), SILHOUETTE_ROWS, self._rng(1))
        self.D_rows = self.metric(codes[self.rows])
        self.parts: dict[int, Partition] = {}

    def _rng(self, *tags: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence([self.entropy, *tags]))

    def fits(self, ks: Sequence[int]) -> dict[int, np.ndarray]:
        out = {}
        if self.method == "kmedoids":
            found = clara_for_each_k(self.codes, ks, self.metric, self._rng(2))
        for kk in ks:
            if self.method == "kmedoids":
                part = found[kk]
                labels = order_by_size(part.labels)
                medoids = np.empty(kk, dtype=int)
                medoids[labels[part.medoids]] = part.medoids
                cost = part.cost
            else:
                if self.method == "hierarchical":
                    raw = hierarchical_sampled(
                        self.codes, kk, self.metric, self.rows, self.D_rows, linkage=self.linkage
                    )
                else:
                    raw = kmeans(self.E, kk, n_init=self.n_init, seed=self.seed)
                labels = order_by_size(raw)
                medoids = medoids_on_sample(labels, self.rows, self.D_rows, kk)
                cost = cost_to(self.codes, labels, medoids, self.metric)
            self.parts[kk] = Partition(labels, medoids, cost)
            out[kk] = labels
        return out

    def _silhouette(self, labels: np.ndarray) -> float:
        own = labels[self.rows]
        return silhouette(self.D_rows, own) if len(np.unique(own)) < len(own) else 0.0

    def signals(self, fits: dict[int, np.ndarray]) -> pd.DataFrame:
        """Silhouette on the sample, cost over all rows, elbow."""
        table = pd.DataFrame(
            {
                "k": list(fits),
                "silhouette": [self._silhouette(lab) for lab in fits.values()],
                "cost": [self.parts[kk].cost for kk in fits],
            }
        )
        table["elbow"] = elbow_scores(table["k"], table["cost"])
        return table

    def stability(
        self, fits: dict[int, np.ndarray], n_bootstrap: int, progress: bool | None
    ) -> dict[int, np.ndarray]:
        """Bootstrap stability on resamples of :data:`RESAMPLE_ROWS` draws."""

        def make(seeds: list[int]) -> _Recluster:
            codes, metric = self.codes, self.metric
            submatrix = lambda idx: metric(codes[idx])  # noqa: E731
            return _Recluster(
                self.method, list(fits), submatrix, self.E, seeds, self.linkage, self.n_init
            )

        return _bootstrap(
            fits, len(self.codes), n_bootstrap, self._rng(3), RESAMPLE_ROWS, make, progress
        )

    def model(self, estimator: SecretaryClusterer, k: int, labels: np.ndarray):
        part = self.parts[k]
        score = self._silhouette(labels)
        return estimator._store(
            self.encoder, self.codes, labels, part.medoids, part.cost, score, self.E, self.rows
        )
