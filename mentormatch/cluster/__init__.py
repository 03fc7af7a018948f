"""Clustering secretaries (and any mixed table) by community type, challenges and numbers.

* :func:`cluster_secretaries` -> :class:`ClusterResult`: clusters of a district's
  secretaries, k chosen by silhouette, cost elbow and bootstrap stability, profiles
  in words with bilingual names.
* :class:`SecretaryClusterer`, :class:`MixedClusterer`: scikit-learn estimators
  (k-medoids, hierarchical, one-hot + k-means) for secretaries and for any table
  :class:`~mentormatch.features.MixedEncoder` encodes.

Modules: ``engine`` (algorithms on distance matrices), ``estimator`` (the estimators),
``selection`` (choosing k), ``profiles`` (clusters in words), ``secretaries`` (the
front door).
"""

from mentormatch.cluster.estimator import MixedClusterer, SecretaryClusterer
from mentormatch.cluster.secretaries import ClusterResult, cluster_secretaries

__all__ = ["cluster_secretaries", "ClusterResult", "SecretaryClusterer", "MixedClusterer"]
