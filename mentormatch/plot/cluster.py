"""Charts of a clustering of secretaries (:class:`mentormatch.ClusterResult`).

* :func:`k_selection`: the three signals behind k (silhouette, cost and its elbow,
  bootstrap stability) against k, the chosen k marked;
* :func:`challenge_heatmap`: share of each cluster facing each challenge, with the
  district's share for comparison;
* :func:`cluster_map`: the secretaries on a 2-D map (the first two principal
  components of the weighted encoding), coloured by cluster;
* :func:`stability_bars`: each cluster's bootstrap stability against Hennig's
  thresholds.

Every chart of synthetic data says so.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from sklearn.decomposition import PCA

from mentormatch.cluster import ClusterResult
from mentormatch.cluster.selection import STABLE, UNSTABLE
from mentormatch.plot import language, mark_synthetic, text, vocab_label

__all__ = ["k_selection", "challenge_heatmap", "cluster_map", "stability_bars", "cluster_names"]

_CHOSEN = "#d1495b"
_LINE = "#3c6e9f"
_NOT_MEASURED = ("未测稳定性", "stability not measured")


def _finish(fig: plt.Figure, result: ClusterResult) -> plt.Figure:
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    mark_synthetic(fig, result.synthetic)
    return fig


def _say(ax: plt.Axes, zh: str, en: str, *, hide_axes: bool = True) -> None:
    """A message in place of a chart that has nothing to show."""
    ax.text(0.5, 0.5, text(zh, en), ha="center", transform=ax.transAxes)
    if hide_axes:
        ax.set_axis_off()


def cluster_names(result: ClusterResult, lang: str | None = None) -> list[str]:
    """ "1 老公房·加梯" (or the English name), in cluster order."""
    column = "name_zh" if (lang or language()) == "zh" else "name_en"
    return [f"{c} {name}" for c, name in result.profiles[column].items()]


def _colours(k: int) -> list:
    cmap = plt.get_cmap("tab10" if k <= 10 else "tab20")
    return [cmap(i % cmap.N) for i in range(k)]


def k_selection(result: ClusterResult) -> plt.Figure:
    """Silhouette, cost (elbow marked) and stability for every k tried."""
    t = result.selection
    ks = t["k"].to_numpy()
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4), sharex=True)
    ax = axes[0]
    ax.plot(ks, t["silhouette"], "o-", color=_LINE)
    ax.set_title(text("平均轮廓系数（越高越分明）", "Silhouette (higher: better separated)"))
    ax = axes[1]
    ax.plot(ks, t["cost"], "o-", color=_LINE)
    if len(ks) > 2:
        elbow = int(ks[int(np.argmax(t["elbow"].to_numpy()))])
        ax.annotate(
            text("肘部", "elbow"),
            (elbow, float(t.loc[t["k"] == elbow, "cost"].iloc[0])),
            xytext=(10, 12),
            textcoords="offset points",
            arrowprops={"arrowstyle": "->"},
        )
    ax.set_title(text("到中心点的总距离（成本）", "Total distance to medoids (cost)"))
    ax = axes[2]
    if t["stability_min"].notna().any():
        ax.plot(ks, t["stability_mean"], "o-", color=_LINE, label=text("平均", "mean"))
        ax.plot(ks, t["stability_min"], "s--", color="0.45", label=text("最弱聚类", "weakest"))
        ax.axhspan(0, UNSTABLE, color="#f4d6d6", zorder=0)
        ax.axhline(STABLE, color="0.5", lw=0.8, ls=":")
        ax.set_ylim(0, 1.05)
        ax.legend(frameon=False, fontsize=8, loc="lower left")
    else:
        _say(ax, *_NOT_MEASURED, hide_axes=False)
    ax.set_title(
        text(
            f"自助法稳定性（{result.n_bootstrap}次重抽样）",
            f"Bootstrap stability ({result.n_bootstrap} resamples)",
        )
    )
    for ax in axes:
        ax.axvline(result.k, color=_CHOSEN, lw=1.2, alpha=0.7)
        ax.set_xlabel(text("聚类数 k", "Number of clusters k"))
        ax.set_xticks(ks)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(text(f"选定 k = {result.k}", f"k = {result.k} chosen"), x=0.01, ha="left")
    return _finish(fig, result)


def challenge_heatmap(result: ClusterResult, *, top: int = 14) -> plt.Figure:
    """Share of each cluster naming each challenge (the ``top`` most varied ones)."""
    wide = result.prevalence()
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(wide) + 2.6))
    if wide.shape[1] == 0:
        _say(ax, "无人填报难题", "no challenges named")
        return _finish(fig, result)
    clusters = wide.iloc[:-1]
    # The challenges that tell clusters apart most, in vocabulary order.
    spread = (clusters.max() - clusters.min()).sort_values(ascending=False, kind="stable")
    keep = [c for c in wide.columns if c in set(spread.index[:top])]
    values = wide[keep].to_numpy()
    im = ax.imshow(values, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(keep)))
    ax.set_xticklabels(
        [vocab_label("challenge", c) for c in keep], rotation=40, ha="right", fontsize=8
    )
    rows = [*cluster_names(result), text("全区", "District")]
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(rows, fontsize=8)
    ax.axhline(len(rows) - 1.5, color="white", lw=3)
    for (i, j), v in np.ndenumerate(values):
        ax.text(
            j,
            i,
            f"{v:.0%}",
            ha="center",
            va="center",
            fontsize=7,
            color="white" if v > 0.55 else "0.2",
        )
    fig.colorbar(im, ax=ax, fraction=0.025, pad=0.01, format=lambda v, _: f"{v:.0%}")
    ax.set_title(text("各聚类面临各难题的书记占比", "Share of each cluster facing each challenge"))
    return _finish(fig, result)


def cluster_map(result: ClusterResult) -> plt.Figure:
    """Secretaries on the first two principal components of the weighted encoding."""
    encoder = result.model.encoder_
    embedding = encoder.transform(result.features)
    fitted = result.clustered.to_numpy()
    pca = PCA(n_components=2, random_state=0).fit(embedding[fitted])
    xy = pca.transform(embedding)
    # Identical secretaries would hide each other: a small jitter, seeded.
    jitter = np.random.default_rng(0).normal(0, 0.01 * xy.std(), xy.shape)
    xy = xy + jitter
    labels = result.labels.to_numpy()
    fig, ax = plt.subplots(figsize=(8, 6))
    names = cluster_names(result)
    for c, colour in zip(range(1, result.k + 1), _colours(result.k), strict=True):
        mine = labels == c
        ax.scatter(*xy[mine & fitted].T, s=18, color=colour, alpha=0.8, label=names[c - 1])
        ax.scatter(*xy[mine & ~fitted].T, s=18, facecolors="none", edgecolors=[colour])
    if (~fitted).any():
        ax.scatter(
            [],
            [],
            s=18,
            facecolors="none",
            edgecolors="0.4",
            label=text("已离任（就近归类）", "departed (assigned)"),
        )
    share = pca.explained_variance_ratio_
    ax.set_xlabel(text(f"主成分1（{share[0]:.0%}）", f"PC 1 ({share[0]:.0%} of variance)"))
    ax.set_ylabel(text(f"主成分2（{share[1]:.0%}）", f"PC 2 ({share[1]:.0%} of variance)"))
    ax.set_title(text("书记分布图（按聚类着色）", "Secretaries by cluster (PCA of the encoding)"))
    ax.legend(frameon=False, fontsize=8, loc="best")
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, result)


def stability_bars(result: ClusterResult) -> plt.Figure:
    """Each cluster's mean bootstrap Jaccard, against the 0.6 and 0.75 thresholds."""
    names = cluster_names(result)
    values = result.stability.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(names) + 1.4))
    if np.isnan(values).all():
        _say(ax, *_NOT_MEASURED)
        return _finish(fig, result)
    colours = [
        "#d1495b" if v < UNSTABLE else ("#edae49" if v < STABLE else "#00798c") for v in values
    ]
    y = np.arange(len(names))[::-1]
    ax.barh(y, values, color=colours)
    ax.set_yticks(y)
    ax.set_yticklabels(names, fontsize=8)
    for yi, v in zip(y, values, strict=True):
        ax.text(v, yi, f" {v:.2f}", va="center", fontsize=8)
    ax.axvline(UNSTABLE, color="0.4", ls="--", lw=0.8)
    ax.axvline(STABLE, color="0.4", ls=":", lw=0.8)
    ax.set_xlim(0, 1.1)
    ax.set_xlabel(
        text(
            "自助法平均Jaccard（<0.6不稳定，>0.75稳定）",
            "Mean bootstrap Jaccard (< 0.6 unstable, > 0.75 stable)",
        )
    )
    ax.set_title(text("聚类稳定性", "Cluster stability"))
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, result)
