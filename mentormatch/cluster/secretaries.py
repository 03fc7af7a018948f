"""Cluster the secretaries of a District or a Region, choose k, and describe the clusters.

:func:`cluster_secretaries` is the front door. It clusters the secretaries **in post**
(departed secretaries would count their community twice); departed secretaries are
then assigned to the nearest cluster, so that every secretary of the roster has one
(``to_frame`` says who was clustered and who was assigned). Clusters are numbered
1..k from the largest. A Region (a city or a nation) holds only secretaries in post.

Two paths, by size (``algorithm="auto"``): below
:data:`~mentormatch.cluster.sampled.SAMPLED_FROM` (3,000) secretaries in post, the
method runs on the full matrix of the mixed distance (the sample district's results
come from there); from 3,000 on, on samples (:mod:`mentormatch.cluster.sampled`:
CLARA for k-medoids, silhouettes and stability on samples). ``algorithm="full"`` or
``"sampled"`` forces one.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from contextlib import nullcontext

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from mentormatch.cluster.engine import LINKAGES, METHODS, n_distinct
from mentormatch.cluster.estimator import SecretaryClusterer, check_k, seed_of
from mentormatch.cluster.paths import FullPath, SampledPath
from mentormatch.cluster.profiles import profile_clusters
from mentormatch.cluster.result import ClusterResult
from mentormatch.cluster.sampled import SAMPLED_FROM
from mentormatch.cluster.selection import UNSTABLE, choose_k
from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.features import SecretaryFeatures, secretary_features
from mentormatch.features.region import coded_features, decoded_features
from mentormatch.region import Region

__all__ = ["ClusterResult", "cluster_secretaries", "K_RANGE", "N_BOOTSTRAP", "ALGORITHMS"]

#: The k tried when k="auto".
K_RANGE = range(2, 11)
#: Bootstrap resamples for stability (Hennig recommends at least 100).
N_BOOTSTRAP = 100
#: ``"full"`` (the ``n x n`` matrix), ``"sampled"`` (samples), ``"auto"`` (by size).
ALGORITHMS = ("auto", "full", "sampled")


def cluster_secretaries(
    d: District | Region,
    k: int | str = "auto",
    *,
    method: str = "kmedoids",
    weights: Mapping[str, float] | None = None,
    linkage: str = "average",
    n_init: int = 10,
    n_bootstrap: int = N_BOOTSTRAP,
    k_range: Sequence[int] = K_RANGE,
    random_state: int | None = 0,
    progress: bool | None = None,
    algorithm: str = "auto",
) -> ClusterResult:
    """Cluster the secretaries in post by community type, challenges and numbers.

    Parameters
    ----------
    d : District or Region
        A Region's features are read from its arrays
        (:func:`mentormatch.features.region.coded_features`); it has no assessments,
        so the capacity index plays no part, and no names (its IDs stand in).
    k : int or "auto"
        The number of clusters (a string of digits is read as a number), or ``"auto"``
        to choose it from ``k_range`` by
        silhouette, cost elbow and bootstrap stability together (the rule is in
        :mod:`mentormatch.cluster.selection`).
    method : {"kmedoids", "hierarchical", "kmeans"}
        See :class:`SecretaryClusterer`.
    weights : dict, optional
        Block weights (:data:`mentormatch.features.BLOCK_WEIGHTS` by default).
    linkage, n_init
        For hierarchical clustering and k-means.
    n_bootstrap : int
        Resamples for stability (at least 100 for Hennig's thresholds to mean what
        they say; 0 skips stability, and then k is chosen by silhouette and elbow).
        Each draws as many rows as there are secretaries in post, at most 1,000 (500
        on samples).
    k_range : sequence of int
        The k tried when ``k="auto"`` (those above the number of distinct secretaries
        are skipped).
    random_state : int or None
        Seeds the bootstrap (and k-means, and the samples): same data and seed, same
        result.
    progress : bool, optional
        Progress bar for the bootstrap (by default: only in a terminal or notebook
        and when it takes more than a second).
    algorithm : {"auto", "full", "sampled"}
        ``"full"``: the method on the full distance matrix (memory grows as the
        square of the secretaries in post); ``"sampled"``: on samples
        (:mod:`mentormatch.cluster.sampled`); ``"auto"``: full below
        :data:`~mentormatch.cluster.sampled.SAMPLED_FROM` secretaries in post,
        sampled from there on.

    Returns
    -------
    ClusterResult

    Raises
    ------
    DataError
        No secretary in post, all of them identical, or more clusters asked for than
        distinct secretaries.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> r = mm.cluster_secretaries(d, k=4, n_bootstrap=10)
    >>> r.k, len(r.to_frame()) == len(d.secretaries)
    (4, True)
    >>> sorted(r.labels.unique().tolist())
    [1, 2, 3, 4]

    A Region is clustered the same way (here forced onto samples):

    >>> from mentormatch.region_synth import synthesize_region
    >>> region = synthesize_region(seed=1, n_secretaries=1_000, n_mentors=50, n_bases=60)
    >>> c = mm.cluster_secretaries(region, k=3, n_bootstrap=5, algorithm="sampled")
    >>> c.algorithm, len(c.labels), c.k
    ('sampled', 1000, 3)
    """
    if method not in METHODS:
        raise DataError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if linkage not in LINKAGES:
        raise DataError(f"linkage must be one of {', '.join(LINKAGES)}, got {linkage!r}")
    if algorithm not in ALGORITHMS:
        raise DataError(f"algorithm must be one of {', '.join(ALGORITHMS)}, got {algorithm!r}")
    if (
        isinstance(n_bootstrap, bool)
        or not isinstance(n_bootstrap, numbers.Integral)
        or (n_bootstrap < 0)
    ):
        raise DataError(f"n_bootstrap must be a whole number >= 0, got {n_bootstrap!r}")
    if isinstance(k, str) and k.strip().isdigit():
        k = int(k)  # as typed on a command line
    elif isinstance(k, str) and k != "auto":
        raise DataError(f'the number of clusters must be "auto" or a whole number >= 2, got {k!r}')
    if isinstance(d, Region):
        # Encoded straight from the arrays; decoded once, for profiles and charts.
        fit_table = coded_features(d)
        features = decoded_features(fit_table)
        in_post = np.ones(len(features), dtype=bool)
        names = pd.Series(features.index.astype(str), index=features.index, name="name")
    elif isinstance(d, District):
        features = secretary_features(d)
        in_post = ~d.departed.to_numpy()
        fit_table = features[in_post]
        names = pd.Series(d.secretaries["name"].to_numpy(), index=features.index, name="name")
    else:
        raise DataError(f"expected a District or a Region, got {type(d).__name__}")
    if not in_post.any():
        raise DataError("no secretary is in post (all have left): nothing to cluster")
    fit_features = features[in_post]
    encoder = SecretaryFeatures(weights=weights).fit(fit_table)
    codes = encoder.encode(fit_table)
    n = len(codes)
    distinct = n_distinct(codes)
    auto = isinstance(k, str) and k == "auto"
    if auto:
        check_k(2, distinct, n, "secretaries in post")  # raises when all are alike
        ks = sorted({int(x) for x in k_range if 2 <= int(x) <= distinct})
        if not ks:
            raise DataError(f"none of k = {list(k_range)} fits {distinct} distinct secretaries")
    else:
        ks = [check_k(k, distinct, n, "secretaries in post")]
    seed = seed_of(random_state)
    sampled = algorithm == "sampled" or (algorithm == "auto" and n >= SAMPLED_FROM)
    path = (SampledPath if sampled else FullPath)(
        encoder,
        codes,
        method=method,
        linkage=linkage,
        n_init=n_init,
        seed=seed,
        random_state=random_state,
    )
    # On samples, every matrix is small (a sample's, or a block of rows against k
    # medoids): BLAS threads would cost more than they save.
    with threadpool_limits(limits=1) if sampled else nullcontext():
        fits = path.fits(ks)
        table = path.signals(fits)
        stab = path.stability(fits, n_bootstrap, progress)
        table["stability_min"] = [float(stab[kk].min()) if stab else np.nan for kk in ks]
        table["stability_mean"] = [float(stab[kk].mean()) if stab else np.nan for kk in ks]
        table["n_unstable"] = [int((stab[kk] < UNSTABLE).sum()) if stab else 0 for kk in ks]
        chosen, reason = _choose(table, auto, distinct, bool(stab))
        table["chosen"] = table["k"] == chosen
        labels = fits[chosen]
        model = path.model(
            SecretaryClusterer(
                n_clusters=chosen,
                method=method,
                weights=weights,
                linkage=linkage,
                n_init=n_init,
                random_state=seed,
            ),
            chosen,
            labels,
        )
    all_labels = np.empty(len(features), dtype=int)
    all_labels[in_post] = labels
    if (~in_post).any():
        all_labels[~in_post] = model._predict_codes(encoder.encode(features[~in_post]))
    cluster_stability = stab[chosen] if stab else np.full(chosen, np.nan)
    profiles, challenges = profile_clusters(fit_features, labels + 1, stability=cluster_stability)
    ids = features.index
    return ClusterResult(
        labels=pd.Series(all_labels + 1, index=ids, name="cluster"),
        k=chosen,
        method=method,
        profiles=profiles,
        challenges=challenges,
        selection=table,
        stability=pd.Series(cluster_stability, index=profiles.index, name="stability"),
        reason=reason,
        clustered=pd.Series(in_post, index=ids, name="clustered"),
        features=features,
        names=names,
        model=model,
        n_bootstrap=int(n_bootstrap),
        synthetic=d.synthetic,
        algorithm=path.algorithm,
    )


def _choose(table: pd.DataFrame, auto: bool, distinct: int, measured: bool) -> tuple[int, str]:
    """The k to keep and why (the rule itself is :func:`choose_k`)."""
    if not auto:
        k = int(table["k"].iloc[0])
        reason = f"k = {k} was given"
        unstable = int(table["n_unstable"].iloc[0])
        if unstable:
            reason += f"; {unstable} of its clusters are unstable (bootstrap Jaccard < {UNSTABLE})"
        return k, reason
    if len(table) == 1:
        k = int(table["k"].iloc[0])
        return k, f"only k = {k} fits the {distinct} distinct secretaries"
    if measured:
        return choose_k(table)
    # No bootstrap: the rule without its first step.
    k, reason = choose_k(table.assign(stability_min=1.0))
    return k, "stability not measured (n_bootstrap=0); " + reason
