"""Clustering secretaries (and any mixed table) by community type, challenges and numbers.

* :func:`cluster_secretaries` -> :class:`ClusterResult`: clusters of the secretaries
  of a District or a Region (a city, a nation), k chosen by silhouette, cost elbow and
  bootstrap stability, profiles in words with bilingual names. From 3,000
  secretaries in post it clusters on samples (CLARA), without an ``n x n`` matrix.
* :class:`SecretaryClusterer`, :class:`MixedClusterer`: scikit-learn estimators
  (k-medoids, hierarchical, one-hot + k-means) for secretaries and for any table
  :class:`~mentormatch.features.MixedEncoder` encodes.

Modules: ``engine`` (algorithms on distance matrices), ``sampled`` (algorithms on
samples, for large tables), ``estimator`` (the estimators), ``selection`` (choosing
k), ``paths`` (clustering every k and measuring the evidence, on the full matrix or on
samples), ``profiles`` (clusters in words), ``result`` (:class:`ClusterResult`),
``secretaries`` (the front door).
"""

from mentormatch.cluster.estimator import MixedClusterer, SecretaryClusterer
from mentormatch.cluster.secretaries import ClusterResult, cluster_secretaries

__all__ = ["cluster_secretaries", "ClusterResult", "SecretaryClusterer", "MixedClusterer"]
