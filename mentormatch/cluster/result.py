"""The result of clustering secretaries: labels, the evidence for k, profiles in words."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch.cluster.estimator import SecretaryClusterer
from mentormatch.cluster.sampled import RESAMPLE_ROWS, SILHOUETTE_ROWS
from mentormatch.cluster.selection import STABLE, UNSTABLE, verdict
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES

__all__ = ["ClusterResult"]

_METHOD_TEXT = {
    "kmedoids": "k-medoids (PAM) on the mixed distance",
    "hierarchical": "hierarchical clustering on the mixed distance",
    "kmeans": "one-hot + k-means (baseline)",
}
_SAMPLED_TEXT = {
    "kmedoids": "k-medoids (CLARA: PAM on samples, every secretary to the nearest medoid)",
    "hierarchical": "hierarchical clustering of a sample, the others to the nearest cluster",
    "kmeans": "one-hot + k-means (baseline; signals measured on samples)",
}


@dataclass(frozen=True, eq=False)
class ClusterResult:
    """Clusters of secretaries (of a District or a Region), with the evidence for k and
    their profiles.

    Attributes
    ----------
    labels : Series
        ``secretary_id`` -> cluster (1..k, 1 the largest), for every secretary of the
        District (or Region), in its order.
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
        ``secretary_id`` -> the secretary's name (a Region has no names: its IDs).
    model : SecretaryClusterer
        The fitted estimator (its ``encoder_`` gives the embedding used in charts).
    n_bootstrap : int
        Resamples behind ``stability``.
    synthetic : bool
        The District was synthetic (charts say so).
    algorithm : str
        ``"full"`` (the method on the full distance matrix) or ``"sampled"`` (on
        samples, :mod:`mentormatch.cluster.sampled`; silhouettes and stability then
        come from samples too).
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
    algorithm: str = "full"

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
        how = _METHOD_TEXT[self.method]
        if self.algorithm == "sampled":
            how = _SAMPLED_TEXT[self.method]
        lines = [f"{self.k} clusters of {n_fit} secretaries in post, by {how}."]
        if len(self.selection) > 1:
            lines.append(f"k chosen from {_k_span(self.selection['k'])}: {self.reason}.")
        lines.append(_selection_text(self.selection, self.n_bootstrap))
        if self.algorithm == "sampled":
            lines.append(
                f"  (on samples: silhouettes of {min(SILHOUETTE_ROWS, n_fit):,} secretaries, "
                f"cost over all {n_fit:,}, resamples of {RESAMPLE_ROWS:,} draws)"
            )
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
