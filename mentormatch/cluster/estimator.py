"""Clusterers with the scikit-learn estimator API, for any mixed table and for secretaries.

:class:`MixedClusterer` clusters any table that :class:`~mentormatch.features.MixedEncoder`
can encode; :class:`SecretaryClusterer` is the same with the secretaries' encoder
(:class:`~mentormatch.features.SecretaryFeatures`) and its block weights as a parameter.

Methods (``method=``):

* ``"kmedoids"`` (default): PAM on the mixed distance. Each cluster is represented by
  a real row, its medoid; new rows go to the nearest medoid.
* ``"hierarchical"``: agglomerative clustering on the mixed distance (``linkage=``,
  average by default); new rows go to the cluster at the least mean distance.
* ``"kmeans"``: the baseline, k-means on the one-hot embedding
  (:meth:`~mentormatch.features.MixedEncoder.transform`); new rows go to the nearest
  centre.

Which to use: k-medoids is the default for secretaries because its clusters stay
balanced at any k a planner asks for and each is centred on a real secretary. On the
public benchmarks (``benchmarks/bench_cluster.py``) hierarchical average linkage
recovers known classes of very unequal sizes best (zoo) and complete linkage the two
broad groups of the votes data; k-medoids trails both there. With k chosen
automatically, all three find the community types of the synthetic district.

Clusters are numbered from the largest (0) down, whatever the method found first.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, clone
from sklearn.utils.validation import check_is_fitted

from mentormatch.cluster.engine import (
    LINKAGES,
    METHODS,
    medoid_cost,
    n_distinct,
    order_by_size,
    partition,
    silhouette,
)
from mentormatch.errors import DataError
from mentormatch.features import MixedEncoder, SecretaryFeatures

__all__ = ["MixedClusterer", "SecretaryClusterer", "distance_dtype", "check_k", "seed_of"]

#: Above this many rows, distance matrices are kept in float32 (half the memory).
FLOAT32_ABOVE = 3000


def distance_dtype(n: int) -> type:
    """float64 for small tables, float32 beyond :data:`FLOAT32_ABOVE` rows."""
    return np.float32 if n > FLOAT32_ABOVE else np.float64


def check_k(k: object, distinct: int, n: int, what: str = "rows") -> int:
    """``k`` as an int, or a DataError a planner understands (``what``: the rows' noun)."""
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise DataError(f"the number of clusters must be a whole number >= 2, got {k!r}")
    k = int(k)
    if k < 2:
        raise DataError(f"the number of clusters must be at least 2, got {k}")
    if distinct < 2:
        raise DataError(f"all {n} {what} have the same features: there is nothing to cluster")
    if k > distinct:
        raise DataError(
            f"{k} clusters were asked for, but the {n} {what} have only {distinct} distinct "
            f"feature combinations: ask for at most {distinct}"
        )
    return k


def seed_of(random_state: object) -> int | None:
    """An int seed (or None) from an int, None, or a numpy generator."""
    if random_state is None or isinstance(random_state, numbers.Integral):
        return None if random_state is None else int(random_state)
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(2**31 - 1))
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(2**31 - 1))
    raise ValueError(f"random_state must be None, an int or a numpy generator: {random_state!r}")


class MixedClusterer(ClusterMixin, BaseEstimator):
    """Cluster a table of categorical, multi-label and numeric columns.

    Parameters
    ----------
    n_clusters : int
        Number of clusters (>= 2, at most the number of distinct rows).
    method : {"kmedoids", "hierarchical", "kmeans"}
        See the module docstring.
    encoder : MixedEncoder, optional
        How columns are encoded and weighted; default ``MixedEncoder()`` (kinds guessed
        from the data, each column counting once). It is cloned, never changed.
    linkage : {"average", "complete", "single", "weighted", "ward"}
        For ``method="hierarchical"``.
    n_init : int
        Runs of k-means from different starts (``method="kmeans"``); PAM and
        hierarchical clustering are deterministic.
    random_state : int, numpy Generator or None
        Seeds k-means; the other methods draw nothing at random.

    Attributes
    ----------
    encoder_ : MixedEncoder
        The fitted encoder.
    labels_ : ndarray of int
        Cluster of each training row, 0 for the largest cluster.
    n_clusters_ : int
    medoid_indices_ : ndarray of int
        Training row of each cluster's medoid (for every method).
    cost_ : float
        Total mixed distance of rows to their cluster's medoid.
    silhouette_ : float
        Mean silhouette of the training rows on the mixed distance.
    cluster_centers_ : ndarray
        For k-means: the centres in the embedding.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"colour": ["red", "red", "red", "blue", "blue", "blue"],
    ...                   "size": [1.0, 1.2, 1.1, 9.0, 9.5, 9.2]})
    >>> model = MixedClusterer(n_clusters=2).fit(X)
    >>> model.labels_.tolist()
    [0, 0, 0, 1, 1, 1]
    >>> model.predict(pd.DataFrame({"colour": ["blue"], "size": [8.0]})).tolist()
    [1]
    """

    def __init__(
        self,
        n_clusters: int = 4,
        *,
        method: str = "kmedoids",
        encoder: MixedEncoder | None = None,
        linkage: str = "average",
        n_init: int = 10,
        random_state: object = None,
    ):
        self.n_clusters = n_clusters
        self.method = method
        self.encoder = encoder
        self.linkage = linkage
        self.n_init = n_init
        self.random_state = random_state

    _noun = "rows"

    def _make_encoder(self) -> MixedEncoder:
        return clone(self.encoder) if self.encoder is not None else MixedEncoder()

    def _check_params(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if self.linkage not in LINKAGES:
            raise ValueError(f"linkage must be one of {LINKAGES}, got {self.linkage!r}")

    def fit(self, X: object, y: object = None) -> MixedClusterer:
        """Encode ``X``, measure the mixed distances and cluster the rows."""
        self._check_params()
        encoder = self._make_encoder().fit(X)
        codes = encoder.encode(X)
        k = check_k(self.n_clusters, n_distinct(codes), len(codes), self._noun)
        D = encoder.code_distances(codes, dtype=distance_dtype(len(codes)))
        E = encoder.embed(codes) if self.method == "kmeans" else None
        labels = partition(
            self.method,
            k,
            D=D,
            E=E,
            linkage=self.linkage,
            n_init=self.n_init,
            seed=seed_of(self.random_state),
        )
        return self._set_fitted(encoder, codes, D, order_by_size(labels), E)

    def _set_fitted(
        self,
        encoder: MixedEncoder,
        codes: np.ndarray,
        D: np.ndarray,
        labels: np.ndarray,
        E: np.ndarray | None = None,
    ) -> MixedClusterer:
        """Store what ``predict`` and readers need, from a partition already made."""
        part = medoid_cost(D, labels)
        k = int(labels.max()) + 1
        score = silhouette(D, labels) if k < len(labels) else 0.0
        return self._store(encoder, codes, labels, part.medoids, part.cost, score, E)

    def _store(
        self,
        encoder: MixedEncoder,
        codes: np.ndarray,
        labels: np.ndarray,
        medoids: np.ndarray,
        cost: float,
        score: float,
        E: np.ndarray | None = None,
        train: np.ndarray | None = None,
    ) -> MixedClusterer:
        """Set the fitted attributes. ``train``: the rows hierarchical ``predict``
        compares with (all by default; a sample for tables clustered on samples)."""
        labels = np.asarray(labels)
        k = int(labels.max()) + 1
        self.encoder_ = encoder
        self.labels_ = labels
        self.n_clusters_ = k
        self.medoid_indices_ = np.asarray(medoids)
        self.cost_ = float(cost)
        self.silhouette_ = float(score)
        self._medoid_codes = codes[self.medoid_indices_]
        if self.method == "hierarchical":
            rows = np.arange(len(codes)) if train is None else np.asarray(train)
            self._train_codes = codes[rows]
            self._train_labels = labels[rows]
        if self.method == "kmeans":
            E = encoder.embed(codes) if E is None else E
            self.cluster_centers_ = np.stack([E[labels == c].mean(axis=0) for c in range(k)])
        return self

    def predict(self, X: object) -> np.ndarray:
        """The cluster of each row of ``X`` (see the module docstring for the rule)."""
        check_is_fitted(self, "labels_")
        codes = self.encoder_.encode(X)
        if len(codes) == 0:
            return np.zeros(0, dtype=int)
        return self._predict_codes(codes)

    def _predict_codes(self, codes: np.ndarray) -> np.ndarray:
        if self.method == "kmeans":
            E = self.encoder_.embed(codes)
            d2 = ((E[:, None, :] - self.cluster_centers_[None, :, :]) ** 2).sum(axis=2)
            return np.argmin(d2, axis=1)
        if self.method == "hierarchical":
            D = self.encoder_.code_distances(codes, self._train_codes)
            member = np.eye(self.n_clusters_)[self._train_labels]
            mean = (D @ member) / member.sum(axis=0)
            return np.argmin(mean, axis=1)
        return np.argmin(self.encoder_.code_distances(codes, self._medoid_codes), axis=1)

    def fit_predict(self, X: object, y: object = None, **kwargs: object) -> np.ndarray:
        """Fit and return ``labels_``."""
        return self.fit(X).labels_


class SecretaryClusterer(MixedClusterer):
    """Cluster secretaries by community type, challenges and numbers.

    ``fit`` takes a District (all its secretaries) or the table of
    :func:`mentormatch.features.secretary_features` (any subset of rows); ``predict``
    the same. :func:`mentormatch.cluster_secretaries` chooses k, measures stability and
    describes the clusters; this estimator only clusters.

    Parameters
    ----------
    n_clusters : int
    method : {"kmedoids", "hierarchical", "kmeans"}
    weights : dict, optional
        Block weights (``community_type``, ``challenges``, ``numbers``); missing blocks
        take :data:`mentormatch.features.BLOCK_WEIGHTS`.
    linkage, n_init, random_state
        As for :class:`MixedClusterer`.

    Examples
    --------
    >>> import mentormatch as mm
    >>> from mentormatch.features import secretary_features
    >>> f = secretary_features(mm.synthesize_district(seed=1, assessments=False))
    >>> model = SecretaryClusterer(n_clusters=5).fit(f)
    >>> model.labels_.shape, int(model.n_clusters_)
    ((316,), 5)
    >>> bool((model.predict(f.head(20)) == model.labels_[:20]).mean() > 0.9)
    True
    """

    def __init__(
        self,
        n_clusters: int = 5,
        *,
        method: str = "kmedoids",
        weights: Mapping[str, float] | None = None,
        linkage: str = "average",
        n_init: int = 10,
        random_state: object = None,
    ):
        self.n_clusters = n_clusters
        self.method = method
        self.weights = weights
        self.linkage = linkage
        self.n_init = n_init
        self.random_state = random_state

    _noun = "secretaries"

    def _make_encoder(self) -> SecretaryFeatures:
        return SecretaryFeatures(weights=self.weights)
