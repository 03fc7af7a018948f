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
from matplotlib.ticker import PercentFormatter
from sklearn.decomposition import PCA

from mentormatch.cluster import ClusterResult
from mentormatch.cluster.selection import STABLE, UNSTABLE
from mentormatch.plot import finish, language, text, vocab_label

__all__ = ["k_selection", "challenge_heatmap", "cluster_map", "stability_bars", "cluster_names"]

_CHOSEN = "#d1495b"
_LINE = "#3c6e9f"
_NOT_MEASURED = ("未测稳定性", "stability not measured")


def _finish(fig: plt.Figure, result: ClusterResult) -> plt.Figure:
    return finish(fig, result.synthetic)


def _say(ax: plt.Axes, zh: str, en: str, *, hide_axes: bool = True) -> None:
    """A message in place of a chart that has nothing to show."""
    ax.text(
        0.5,
        0.5 if hide_axes else 0.75,
        text(zh, en),
        ha="center",
        va="center",
        transform=ax.transAxes,
        bbox={"facecolor": "white", "edgecolor": "none"},
    )
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
    ax.set_ylabel(text("平均轮廓系数", "Mean silhouette"))
    ax.set_title(text("轮廓系数（越高越分明）", "Silhouette (higher: better separated)"))
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
    ax.set_ylabel(text("总距离", "Total distance"))
    ax.set_title(text("到中心点的总距离（成本）", "Total distance to medoids (cost)"))
    ax = axes[2]
    if t["stability_min"].notna().any():
        ax.plot(ks, t["stability_mean"], "o-", color=_LINE, label=text("平均", "mean"))
        ax.plot(ks, t["stability_min"], "s--", color="0.45", label=text("最弱聚类", "weakest"))
        ax.axhspan(0, UNSTABLE, color="#f4d6d6", zorder=0)
        ax.axhline(STABLE, color="0.5", lw=0.8, ls=":")
        ax.set_ylim(0, 1.05)
        ax.legend(frameon=False, fontsize=8, loc="best")
    else:
        ax.set_ylim(0, 1.05)
        _say(ax, *_NOT_MEASURED, hide_axes=False)
    ax.set_ylabel(text("自助法平均Jaccard", "Mean bootstrap Jaccard"))
    ax.set_title(
        text(
            f"自助法稳定性（{result.n_bootstrap}次重抽样）",
            f"Bootstrap stability ({result.n_bootstrap} resamples)",
        )
        if result.n_bootstrap
        else text("自助法稳定性", "Bootstrap stability")
    )
    for ax in axes:
        ax.axvline(result.k, color=_CHOSEN, lw=1.2, alpha=0.7)
        ax.set_xlabel(text("聚类数 k", "Number of clusters k"))
        ax.set_xticks(ks)
        ax.spines[["top", "right"]].set_visible(False)
    n = int(result.clustered.sum())
    if len(ks) > 1:
        title = text(
            f"聚类数的选择：选定 k = {result.k}（{n:,}名在任书记）",
            f"Choosing the number of clusters: k = {result.k} ({n:,} secretaries in post)",
        )
    else:
        title = text(
            f"聚类数 k = {result.k}（指定，未比较其他 k；{n:,}名在任书记）",
            f"k = {result.k} was given, no other k tried ({n:,} secretaries in post)",
        )
    fig.suptitle(title, x=0.01, ha="left")
    return _finish(fig, result)


def challenge_heatmap(result: ClusterResult, *, top: int = 14) -> plt.Figure:
    """Share of each cluster naming each challenge (the ``top`` most varied ones)."""
    title = ("各聚类面临各难题的书记占比", "Share of each cluster facing each challenge")
    wide = result.prevalence()
    if wide.shape[1] == 0:
        fig, ax = plt.subplots(figsize=(7, 2.4))
        ax.set_title(text(*title))
        _say(ax, "无人填报难题", "No secretary named a challenge")
        return _finish(fig, result)
    fig, ax = plt.subplots(figsize=(10, min(12.0, 0.45 * len(wide) + 2.6)))
    clusters = wide.iloc[:-1]
    # The challenges that tell clusters apart most, in vocabulary order.
    spread = (clusters.max() - clusters.min()).sort_values(ascending=False, kind="stable")
    keep = [c for c in wide.columns if c in set(spread.index[:top])]
    values = wide[keep].to_numpy(dtype=float)
    im = ax.imshow(values, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(keep)))
    ax.set_xticklabels(
        [vocab_label("challenge", c) for c in keep], rotation=40, ha="right", fontsize=8
    )
    rows = [*cluster_names(result), text("全体在任书记", "All in post")]
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(rows, fontsize=8)
    ax.axhline(len(rows) - 1.5, color="white", lw=3)
    if values.size <= 400:  # beyond that the numbers would not fit their cells
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(
                    j,
                    i,
                    f"{v:.0%}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > 0.55 else "0.2",
                )
    fig.colorbar(
        im,
        ax=ax,
        fraction=0.025,
        pad=0.01,
        format=PercentFormatter(1.0, decimals=0),
        label=text("书记占比", "Share of secretaries"),
    )
    ax.set_xlabel(text("难题", "Challenge"))
    ax.set_ylabel(text("聚类", "Cluster"))
    shown = text(
        f"（各聚类差异最大的{len(keep)}项难题，共{wide.shape[1]}项）",
        f" ({len(keep)} of {wide.shape[1]} challenges, those that differ most)",
    )
    ax.set_title(text(*title) + (shown if len(keep) < wide.shape[1] else ""))
    return _finish(fig, result)


def cluster_map(result: ClusterResult) -> plt.Figure:
    """Secretaries on the first two principal components of the weighted encoding."""
    title = ("书记分布图（按聚类着色）", "Secretaries by cluster (PCA of the encoding)")
    encoder = result.model.encoder_
    embedding = np.asarray(encoder.transform(result.features), dtype=float)
    fitted = result.clustered.to_numpy(dtype=bool)
    if fitted.sum() < 2 or embedding.shape[1] < 2:
        fig, ax = plt.subplots(figsize=(7, 2.4))
        ax.set_title(text(*title))
        _say(ax, "书记太少，无法作图", "Too few secretaries to draw a map")
        return _finish(fig, result)
    pca = PCA(n_components=2, random_state=0).fit(embedding[fitted])
    xy = pca.transform(embedding)
    # Identical secretaries would hide each other: a small jitter, seeded.
    jitter = np.random.default_rng(0).normal(0, 0.01 * (xy.std() or 1.0), xy.shape)
    xy = xy + jitter
    labels = result.labels.to_numpy()
    # Points shrink as they multiply, so that a city's clusters stay apart.
    size = float(np.clip(6000 / len(xy), 3, 18))
    alpha = 0.8 if len(xy) <= 1000 else 0.5
    fig, ax = plt.subplots(figsize=(10, 6))
    names = cluster_names(result)
    for c, colour in zip(range(1, result.k + 1), _colours(result.k), strict=True):
        mine = labels == c
        ax.scatter(
            *xy[mine & fitted].T, s=size, color=colour, alpha=alpha, lw=0, label=names[c - 1]
        )
        ax.scatter(*xy[mine & ~fitted].T, s=size, facecolors="none", edgecolors=[colour])
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

    def axis(k: int) -> str:
        if not np.isfinite(share[k]):
            return text(f"主成分{k + 1}", f"PC {k + 1}")
        return text(f"主成分{k + 1}（{share[k]:.0%}）", f"PC {k + 1} ({share[k]:.0%} of variance)")

    ax.set_xlabel(axis(0))
    ax.set_ylabel(axis(1))
    n = int(fitted.sum())
    ax.set_title(text(f"{title[0]}：{n:,}名在任书记", f"{title[1]}: {n:,} secretaries in post"))
    legend = ax.legend(
        frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), markerscale=1.5
    )
    for handle in legend.legend_handles:
        handle.set_alpha(1)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, result)


def stability_bars(result: ClusterResult) -> plt.Figure:
    """Each cluster's mean bootstrap Jaccard, against the 0.6 and 0.75 thresholds."""
    title = ("聚类稳定性", "Cluster stability")
    names = cluster_names(result)
    values = result.stability.to_numpy(dtype=float)
    if not len(values) or np.isnan(values).all():
        fig, ax = plt.subplots(figsize=(7, 2.4))
        ax.set_title(text(*title))
        _say(ax, "未测稳定性（未做自助法重抽样）", "Stability not measured (no bootstrap)")
        return _finish(fig, result)
    fig, ax = plt.subplots(figsize=(7.5, min(12.0, 0.4 * len(names) + 1.6)))
    colours = [
        "0.7"
        if not np.isfinite(v)
        else ("#d1495b" if v < UNSTABLE else ("#edae49" if v < STABLE else "#00798c"))
        for v in values
    ]
    y = np.arange(len(names))[::-1]
    ax.barh(y, np.nan_to_num(values), color=colours)
    ax.set_yticks(y)
    ax.set_yticklabels(names, fontsize=8)
    for yi, v in zip(y, values, strict=True):
        ax.text(
            v if np.isfinite(v) else 0,
            yi,
            f" {v:.2f}" if np.isfinite(v) else text(" 未测", " not measured"),
            va="center",
            fontsize=8,
        )
    ax.axvline(UNSTABLE, color="0.4", ls="--", lw=0.8)
    ax.axvline(STABLE, color="0.4", ls=":", lw=0.8)
    ax.set_xlim(0, 1.1)
    ax.set_xlabel(
        text(
            "自助法平均Jaccard（<0.6不稳定，>0.75稳定）",
            "Mean bootstrap Jaccard (< 0.6 unstable, > 0.75 stable)",
        )
    )
    ax.set_ylabel(text("聚类", "Cluster"))
    ax.set_title(
        text(
            f"{title[0]}（{result.n_bootstrap}次重抽样）",
            f"{title[1]} ({result.n_bootstrap} resamples)",
        )
    )
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, result)
