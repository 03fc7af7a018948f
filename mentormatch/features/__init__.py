"""Features of secretaries for clustering, and a mixed distance for any mixed table.

A secretary is described by data of three kinds, each a *block*:

* ``community_type``: one category (小区类型);
* ``challenges``: a set of challenges (主要难题), multi-label;
* ``numbers``: age, years in post, households, share of residents aged 60+ and the
  latest capacity index (组织力评估) where the secretary has been assessed.

:class:`MixedEncoder` encodes any table of such blocks and measures the **mixed
distance** between two rows, a weighted mean of one distance per block, each in [0, 1]:

* categorical block: the share of its columns on which the two rows differ (simple
  mismatch; with one column, 0 for the same category and 1 otherwise). A missing value
  leaves its column out of the share for the pairs it is in, as in Gower's coefficient;
  a pair with no column observed in both gets the block's mean distance at ``fit``;
* multi-label block: the Jaccard distance ``1 - |A & B| / |A | B|`` of the two sets,
  with **two empty sets at distance 0** (nothing tells them apart); with several
  columns, the mean over them;
* numeric block: range-scaled L1, the mean over its columns of ``|x - y| / range``
  (range learned at ``fit``; values beyond it at ``transform`` are clipped to it).

The distance is ``sum(w_b * d_b) / sum(w_b)`` over blocks ``b``: a block counts as
much as its weight, whatever its number of columns. Without weights each column counts
once (Gower's coefficient). :class:`SecretaryFeatures` is the encoder with the
secretaries' blocks and the weights in :data:`BLOCK_WEIGHTS`.

``transform`` returns a numeric embedding for Euclidean methods (k-means, PCA): one-hot
categories, 0/1 challenge indicators and range-scaled numbers, each block then scaled
so that its total variance is its share of the weights (the same idea of "a block
counts as its weight" in squared Euclidean terms).

Modules: ``mixed`` (:class:`MixedEncoder` and the distance, for any table), ``values``
(how cells are read: kinds, categories, label sets, missing values), ``secretaries``
(the secretaries' table, blocks and weights), ``region`` (the same table read from a
Region's arrays, for a city or a nation).
"""

from mentormatch.features.mixed import Block, MixedEncoder, jaccard_distances
from mentormatch.features.region import coded_features, decoded_features, region_year
from mentormatch.features.secretaries import (
    BLOCK_WEIGHTS,
    NUMERIC_FEATURES,
    SecretaryFeatures,
    roster_year,
    secretary_features,
)

__all__ = [
    "Block",
    "BLOCK_WEIGHTS",
    "NUMERIC_FEATURES",
    "MixedEncoder",
    "SecretaryFeatures",
    "secretary_features",
    "roster_year",
    "jaccard_distances",
    "coded_features",
    "decoded_features",
    "region_year",
]
