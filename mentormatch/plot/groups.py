"""Charts of the salon groups (:class:`mentormatch.SalonPlan`).

* :func:`group_overview`: each group's members, its facilitators and its lead;
* :func:`balance_heatmaps`: per balance variable, each group's count of each category,
  coloured by how far it is from an even share;
* :func:`diversity_vs_random`: the diversity of random partitions (histograms, one
  per kind) with ours marked and its percentile;
* :func:`exchange_trace`: diversity after every swap of the exchange method, from
  each random start.

Every chart of synthetic data says so.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from mentormatch.groups.plan import SalonPlan
from mentormatch.groups.terms import BALANCE_VARIABLES
from mentormatch.plot import language, mark_synthetic, text

__all__ = ["group_overview", "balance_heatmaps", "diversity_vs_random", "exchange_trace"]

_OURS = "#d1495b"
_FACILITATOR = "#00798c"
_OTHER = "#b8c4ce"
_BASELINE_COLOURS = {"same_rules": "#3c6e9f", "same_sizes": "#edae49"}
_BASELINE_LABELS = {
    "same_rules": ("同规则随机分组", "random, same rules"),
    "same_sizes": ("同组规模随机分组", "random, same sizes"),
}


def _finish(fig: plt.Figure, plan: SalonPlan) -> plt.Figure:
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    mark_synthetic(fig, plan.synthetic)
    return fig


def _label(ax: plt.Axes, x: str, y: str | None, title: str, legend: str) -> None:
    """Axis labels, title and legend in the house style."""
    ax.set_xlabel(x)
    if y is not None:
        ax.set_ylabel(y)
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8, loc=legend)
    ax.spines[["top", "right"]].set_visible(False)


def _variable_label(variable: str) -> str:
    _, zh, en = BALANCE_VARIABLES[variable]
    return text(zh, en)


def _category_label(variable: str, code: str) -> str:
    return BALANCE_VARIABLES[variable][0][code].label(language())


def group_overview(plan: SalonPlan) -> plt.Figure:
    """Members of each group, facilitators in colour, the lead's name at the bar's end."""
    profiles = plan.profiles
    groups = profiles.index.to_numpy()
    fac = profiles["facilitators"].to_numpy()
    other = profiles["size"].to_numpy() - fac
    mentors = plan.facilitators[plan.facilitators["kind"] == "mentor"].groupby("group").size()
    mentors = mentors.reindex(groups, fill_value=0).to_numpy()
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(groups) + 1.6))
    y = np.arange(len(groups))[::-1]
    ax.barh(y, fac, color=_FACILITATOR, label=text("主持人（组织力前25%）", "facilitators"))
    ax.barh(y, other, left=fac, color=_OTHER, label=text("其他成员", "other members"))
    if mentors.any():
        ax.barh(
            y,
            mentors,
            left=fac + other,
            color=_OURS,
            label=text("带教老师（加入）", "mentors (joined)"),
        )
    total = fac + other + mentors
    for yi, t, name in zip(y, total, profiles["lead_name"], strict=True):
        ax.text(t + 0.3, yi, f"{t}  {text('组长', 'lead')}: {name}", va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels([text(f"第{g}组", f"group {g}") for g in groups], fontsize=8)
    ax.set_xlim(0, total.max() * 1.45 + 1)
    _label(
        ax,
        text("人数", "members"),
        None,
        text("沙龙分组：成员与主持人", "Salon groups: members and facilitators"),
        "lower right",
    )
    return _finish(fig, plan)


def balance_heatmaps(plan: SalonPlan) -> plt.Figure:
    """Each group's count of each category, one panel per balance variable.

    Colour: the count minus the even share (count / number of groups); a balanced
    plan stays within half a person either way (pale), a count outside the bounds
    is outlined.
    """
    variables = list(plan.balance_variables)
    widths = [
        max(2, plan.balance.loc[plan.balance["variable"] == v, "category"].nunique())
        for v in variables
    ]
    fig, axes = plt.subplots(
        1,
        len(variables),
        figsize=(min(16, 2.0 + 0.5 * sum(widths)), 0.3 * plan.n_groups + 3.4),
        gridspec_kw={"width_ratios": widths},
        squeeze=False,
        layout="constrained",
    )
    image = None
    for ax, var in zip(axes[0], variables, strict=True):
        t = plan.balance[plan.balance["variable"] == var]
        wide = t.pivot(index="group", columns="category", values="count")
        vocab = BALANCE_VARIABLES[var][0]
        order = [c for c in vocab.codes if c in wide.columns]
        counts = wide[order].to_numpy(dtype=float)
        share = counts.sum(axis=0) / plan.n_groups
        image = ax.imshow(counts - share, cmap="RdBu_r", vmin=-1.5, vmax=1.5, aspect="auto")
        within = t.pivot(index="group", columns="category", values="within")[order].to_numpy()
        for (i, j), v in np.ndenumerate(counts):
            ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=7, color="0.15")
            if not within[i, j]:
                ax.add_patch(
                    plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, ec="black", lw=1.5)
                )
        ax.set_xticks(range(len(order)))
        ax.set_xticklabels(
            [_category_label(var, c) for c in order], rotation=45, ha="right", fontsize=7
        )
        ax.set_yticks(range(plan.n_groups))
        ax.set_yticklabels(wide.index.tolist(), fontsize=7)
        ax.set_title(_variable_label(var), fontsize=9)
    axes[0][0].set_ylabel(text("组", "group"))
    if image is not None:
        fig.colorbar(
            image,
            ax=axes[0].tolist(),
            fraction=0.02,
            pad=0.01,
            label=text("与平均份额之差", "count minus even share"),
        )
    fig.suptitle(
        text(
            "各组构成：每类人数（黑框：超出均分±1）",
            "Group make-up: count of each category (black box: outside an even share ±1)",
        ),
        fontsize=10,
    )
    # The constrained layout leaves room for the shared colorbar (tight_layout does not).
    mark_synthetic(fig, plan.synthetic)
    return fig


def diversity_vs_random(plan: SalonPlan, *, bins: int = 40) -> plt.Figure:
    """Histograms of the random partitions' diversity, ours marked with its percentile."""
    fig, ax = plt.subplots(figsize=(8, 3.8))
    r = plan.random
    if r.empty:
        ax.text(
            0.5,
            0.5,
            text("未与随机分组比较（n_random=0）", "not compared with random partitions"),
            ha="center",
            transform=ax.transAxes,
        )
        ax.set_axis_off()
        return _finish(fig, plan)
    edges = np.histogram_bin_edges(np.append(r["diversity"], plan.diversity), bins=bins)
    for key in ("same_sizes", "same_rules"):
        sample = r.loc[r["baseline"] == key, "diversity"]
        if len(sample):
            pct = plan.percentiles.get(key, np.nan)
            zh, en = _BASELINE_LABELS[key]
            ax.hist(
                sample,
                bins=edges,
                color=_BASELINE_COLOURS[key],
                alpha=0.75,
                label=text(
                    f"{zh}（{len(sample)}个；本方案百分位 {pct:.1f}）",
                    f"{en} ({len(sample)}; ours at percentile {pct:.1f})",
                ),
            )
    ax.axvline(plan.diversity, color=_OURS, lw=2, label=text("本方案", "ours"))
    _label(
        ax,
        text("组内距离之和（多样性）", "Sum of within-group distances (diversity)"),
        text("随机分组数", "random partitions"),
        text("本方案与随机分组的组内多样性对比", "Diversity within groups: ours against chance"),
        "upper left",
    )
    return _finish(fig, plan)


def exchange_trace(plan: SalonPlan) -> plt.Figure:
    """Diversity after every swap of the exchange method, one line per start."""
    fig, ax = plt.subplots(figsize=(8, 3.6))
    best = int(plan.starts.loc[plan.starts["best"], "start"].iloc[0])
    for start, t in plan.trace.groupby("start"):
        mine = start == best
        ax.plot(
            t["swap"],
            t["diversity"],
            color=_OURS if mine else "0.6",
            lw=1.6 if mine else 0.9,
            label=text(f"起点{start + 1}（最优）", f"start {start + 1} (best)") if mine else None,
        )
    sample = plan.random.loc[plan.random["baseline"] == "same_rules", "diversity"]
    if len(sample):
        ax.axhspan(
            sample.min(),
            sample.max(),
            color=_BASELINE_COLOURS["same_rules"],
            alpha=0.15,
            label=text("同规则随机分组的范围", "range of random partitions, same rules"),
        )
    _label(
        ax,
        text("交换次数", "swaps made"),
        text("组内距离之和", "sum of within-group distances"),
        text("交换法：每次交换都提高多样性", "Exchange method: every swap raises diversity"),
        "lower right",
    )
    return _finish(fig, plan)
