"""Cluster a district's secretaries, choose k, and describe the clusters.

:func:`cluster_secretaries` is the front door. It clusters the secretaries **in post**
(departed secretaries would count their community twice); departed secretaries are
then assigned to the nearest cluster, so that every secretary of the roster has one
(``to_frame`` says who was clustered and who was assigned). Clusters are numbered
1..k from the largest.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch.cluster.engine import (
    LINKAGES,
    METHODS,
    medoid_cost,
    n_distinct,
    order_by_size,
    partition,
    silhouette,
)
from mentormatch.cluster.estimator import SecretaryClusterer, check_k, distance_dtype, seed_of
from mentormatch.cluster.profiles import profile_clusters
from mentormatch.cluster.selection import (
    STABLE,
    UNSTABLE,
    bootstrap_indices,
    choose_k,
    elbow_scores,
    stability,
    verdict,
)
from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.features import SecretaryFeatures, secretary_features
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES

__all__ = ["ClusterResult", "cluster_secretaries", "K_RANGE", "N_BOOTSTRAP"]

#: The k tried when k="auto".
K_RANGE = range(2, 11)
#: Bootstrap resamples for stability (Hennig recommends at least 100).
N_BOOTSTRAP = 100

_METHOD_TEXT = {
    "kmedoids": "k-medoids (PAM) on the mixed distance",
    "hierarchical": "hierarchical clustering on the mixed distance",
    "kmeans": "one-hot + k-means (baseline)",
}


@dataclass(frozen=True, eq=False)
class ClusterResult:
    """Clusters of a district's secretaries, with the evidence for k and their profiles.

    Attributes
    ----------
    labels : Series
        ``secretary_id`` -> cluster (1..k, 1 the largest), for every secretary of the
        District, in its order.
    k : int
        The number of clusters.
    method : str
        ``"kmedoids"``, ``"hierarchical"`` or ``"kmeans"``.
    profiles : DataFrame
        One row per cluster (see :func:`mentormatch.cluster.profiles.profile_clusters`).
    challenges : DataFrame
        Prevalence and lift of every challenge in every cluster.
    selection : DataFrame
        One row per k tried: ``k``, ``silhouette``, ``cost``, ``elbow``,
        ``stability_min``, ``stability_mean``, ``n_unstable``, ``chosen``. A fixed k
        has one row.
    stability : Series
        Cluster -> mean bootstrap Jaccard (NaN for all when ``n_bootstrap=0``).
    reason : str
        Why this k, in words.
    clustered : Series
        ``secretary_id`` -> True if the secretary was clustered (in post), False if
        assigned to the nearest cluster afterwards (departed).
    features : DataFrame
        :func:`mentormatch.features.secretary_features` of every secretary.
    names : Series
        ``secretary_id`` -> the secretary's name.
    model : SecretaryClusterer
        The fitted estimator (its ``encoder_`` gives the embedding used in charts).
    n_bootstrap : int
        Resamples behind ``stability``.
    synthetic : bool
        The District was synthetic (charts say so).
    """

    labels: pd.Series
    k: int
    method: str
    profiles: pd.DataFrame
    challenges: pd.DataFrame
    selection: pd.DataFrame
    stability: pd.Series
    reason: str
    clustered: pd.Series
    features: pd.DataFrame
    names: pd.Series
    model: SecretaryClusterer
    n_bootstrap: int
    synthetic: bool = False

    def to_frame(self) -> pd.DataFrame:
        """One row per secretary: ``secretary_id``, ``name``, ``cluster``,
        ``cluster_name_zh``, ``cluster_name_en``, ``clustered``."""
        cluster = self.labels.to_numpy()
        return pd.DataFrame(
            {
                "secretary_id": self.labels.index.to_numpy(),
                "name": self.names.reindex(self.labels.index).to_numpy(),
                "cluster": cluster.astype("int64"),
                "cluster_name_zh": self.profiles["name_zh"].reindex(cluster).to_numpy(),
                "cluster_name_en": self.profiles["name_en"].reindex(cluster).to_numpy(),
                "clustered": self.clustered.to_numpy(dtype=bool),
            }
        ).astype(
            {
                "secretary_id": "str",
                "name": "str",
                "cluster_name_zh": "str",
                "cluster_name_en": "str",
            }
        )

    def prevalence(self) -> pd.DataFrame:
        """Share of each cluster naming each challenge: clusters x challenge codes, in
        vocabulary order, plus a last row ``0`` for the whole population clustered."""
        t = self.challenges
        wide = t.pivot(index="cluster", columns="challenge", values="prevalence")
        codes = [c for c in CHALLENGES.codes if c in wide.columns]
        wide = wide.reindex(columns=codes)
        district = t.drop_duplicates("challenge").set_index("challenge")["district"]
        if codes:
            wide.loc[0] = district.reindex(codes).to_numpy()
        else:  # no challenge named: pandas 2 cannot set a row of a frame with no columns
            wide = wide.reindex(pd.Index([*wide.index, 0], name=wide.index.name))
        wide.columns.name = None
        return wide

    def needs(self, lang: str = "zh") -> list[str]:
        """What each cluster needs from a mentor, one sentence per cluster."""
        return list(self.profiles["needs_zh" if lang == "zh" else "needs_en"])

    def summary(self) -> str:
        """A text report: why this k, then each cluster in words."""
        n_fit = int(self.clustered.sum())
        lines = [
            f"{self.k} clusters of {n_fit} secretaries in post, by {_METHOD_TEXT[self.method]}.",
        ]
        if len(self.selection) > 1:
            lines.append(f"k chosen from {_k_span(self.selection['k'])}: {self.reason}.")
        lines.append(_selection_text(self.selection, self.n_bootstrap))
        for c, row in self.profiles.iterrows():
            stab = row["stability"]
            stab_text = f"; stability {stab:.2f} ({verdict(stab)})" if np.isfinite(stab) else ""
            lines.append("")
            lines.append(
                f"Cluster {c}  {row['name_zh']} / {row['name_en']}: {int(row['size'])} "
                f"secretaries ({row['share']:.0%}){stab_text}"
            )
            types = ", ".join(
                f"{COMMUNITY_TYPES[t].zh} {COMMUNITY_TYPES[t].en} {s:.0%}"
                for t, s in zip(row["types"], row["type_shares"], strict=True)
            )
            lines.append(f"  community types: {types}")
            if row["challenges"]:
                ch = ", ".join(
                    f"{CHALLENGES[code].zh} {CHALLENGES[code].en} {p:.0%} (lift {lift:.1f})"
                    for code, p, lift in zip(
                        row["challenges"], row["prevalence"], row["lift"], strict=True
                    )
                )
                lines.append(f"  top challenges: {ch}")
            else:
                lines.append("  top challenges: none more common here than in the district")
            capacity = (
                f", capacity index {row['median_capacity']:.1f}"
                if np.isfinite(row["median_capacity"])
                else ""
            )
            lines.append(
                f"  median age {row['median_age']:.0f}, years in post "
                f"{row['median_years_in_post']:.0f}{capacity}"
            )
            lines.append(f"  needs: {row['needs_en']}")
            lines.append(f"  需求: {row['needs_zh']}")
        assigned = int((~self.clustered).sum())
        if assigned:
            lines.append("")
            lines.append(
                f"{assigned} departed secretaries were assigned to their nearest cluster "
                "(not used to form the clusters)."
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        sizes = ", ".join(str(int(s)) for s in self.profiles["size"])
        return f"ClusterResult(k={self.k}, method={self.method!r}, sizes=[{sizes}])"


def cluster_secretaries(
    d: District,
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
) -> ClusterResult:
    """Cluster the secretaries in post by community type, challenges and numbers.

    Parameters
    ----------
    d : District
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
    k_range : sequence of int
        The k tried when ``k="auto"`` (those above the number of distinct secretaries
        are skipped).
    random_state : int or None
        Seeds the bootstrap (and k-means): same District and seed, same result.
    progress : bool, optional
        Progress bar for the bootstrap (by default: only in a terminal or notebook
        and when it takes more than a second).

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
    """
    if method not in METHODS:
        raise DataError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if linkage not in LINKAGES:
        raise DataError(f"linkage must be one of {', '.join(LINKAGES)}, got {linkage!r}")
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
    features = secretary_features(d)
    in_post = ~d.departed.to_numpy()
    if not in_post.any():
        raise DataError("no secretary is in post (all have left): nothing to cluster")
    fit_features = features[in_post]
    encoder = SecretaryFeatures(weights=weights).fit(fit_features)
    codes = encoder.encode(fit_features)
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
    D = encoder.code_distances(codes, dtype=distance_dtype(n))
    E = encoder.embed(codes) if method == "kmeans" else None
    seed = seed_of(random_state)

    def cluster(data_D: np.ndarray, data_E: np.ndarray | None, kk: int, s: int | None):
        return partition(method, kk, D=data_D, E=data_E, linkage=linkage, n_init=n_init, seed=s)

    fits = {kk: order_by_size(cluster(D, E, kk, seed)) for kk in ks}
    table = _signals(D, fits)
    stab = _stability(fits, cluster, D, E, n_bootstrap, random_state, progress)
    table["stability_min"] = [float(stab[kk].min()) if stab else np.nan for kk in ks]
    table["stability_mean"] = [float(stab[kk].mean()) if stab else np.nan for kk in ks]
    table["n_unstable"] = [int((stab[kk] < UNSTABLE).sum()) if stab else 0 for kk in ks]
    chosen, reason = _choose(table, auto, distinct, bool(stab))
    table["chosen"] = table["k"] == chosen

    labels = fits[chosen]
    model = SecretaryClusterer(
        n_clusters=chosen,
        method=method,
        weights=weights,
        linkage=linkage,
        n_init=n_init,
        random_state=seed,
    )._set_fitted(encoder, codes, D, labels, E)
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
        names=pd.Series(d.secretaries["name"].to_numpy(), index=ids, name="name"),
        model=model,
        n_bootstrap=int(n_bootstrap),
        synthetic=d.synthetic,
    )


def _signals(D: np.ndarray, fits: dict[int, np.ndarray]) -> pd.DataFrame:
    """Silhouette, cost and elbow of each k's clustering of all rows."""
    n = len(D)
    table = pd.DataFrame(
        {
            "k": list(fits),
            # With as many clusters as rows every point is alone: silhouette 0.
            "silhouette": [silhouette(D, lab) if kk < n else 0.0 for kk, lab in fits.items()],
            "cost": [medoid_cost(D, lab).cost for lab in fits.values()],
        }
    )
    table["elbow"] = elbow_scores(table["k"], table["cost"])
    return table


def _stability(
    fits: dict[int, np.ndarray],
    cluster: Callable[[np.ndarray, np.ndarray | None, int, int | None], np.ndarray],
    D: np.ndarray,
    E: np.ndarray | None,
    n_bootstrap: int,
    random_state: int | None,
    progress: bool | None,
) -> dict[int, np.ndarray]:
    """Per-cluster bootstrap stability of every k (empty when n_bootstrap is 0)."""
    if n_bootstrap == 0:
        return {}
    rng = np.random.default_rng(random_state)
    resamples = bootstrap_indices(len(D), n_bootstrap, rng)
    # Seeds for k-means on the resamples, drawn in a fixed order: same seed, same result.
    seeds = iter(rng.integers(2**31 - 1, size=n_bootstrap * len(fits)).tolist())

    def recluster(idx: np.ndarray, k: int) -> np.ndarray:
        sub_E = E[idx] if E is not None else None
        return cluster(D[np.ix_(idx, idx)], sub_E, k, next(seeds))

    return stability(fits, recluster, resamples, progress=progress)


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


def _k_span(ks: pd.Series) -> str:
    return f"{int(ks.min())} to {int(ks.max())}"


def _selection_text(table: pd.DataFrame, n_bootstrap: int) -> str:
    head = (
        f"  {'k':>3} {'silhouette':>10} {'cost':>9} {'elbow':>6} "
        f"{'stability min/mean':>19} {'unstable':>8}"
    )
    lines = [head]
    for _, r in table.iterrows():
        stab = (
            f"{r['stability_min']:.2f} / {r['stability_mean']:.2f}"
            if np.isfinite(r["stability_min"])
            else "not measured"
        )
        mark = "  <- chosen" if r["chosen"] else ""
        lines.append(
            f"  {int(r['k']):>3} {r['silhouette']:>10.3f} {r['cost']:>9.2f} "
            f"{r['elbow']:>6.3f} {stab:>19} {int(r['n_unstable']):>8}{mark}"
        )
    if n_bootstrap:
        lines.append(
            f"  (stability: mean Jaccard over {n_bootstrap} bootstrap resamples; "
            f"< {UNSTABLE} unstable, > {STABLE} stable)"
        )
    return "\n".join(lines)
