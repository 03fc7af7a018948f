"""Charts of the salon groups (:class:`mentormatch.SalonPlan`).

* :func:`group_overview`: each group's members, its facilitators and its lead;
* :func:`balance_heatmaps`: per balance variable, each group's count of each category,
  coloured by how far it is from an even share;
* :func:`diversity_vs_random`: the diversity of random partitions (histograms, one
  per kind) with ours marked and its percentile;
* :func:`exchange_trace`: diversity after every swap of the exchange method, from
  each random start.

Up to :data:`MAX_GROUPS` groups, each group has a row; beyond, a city's hundreds of
groups are shown all at once (a column each, or counted) and the title says so.
Every chart of synthetic data says so.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from mentormatch.groups.plan import SalonPlan
from mentormatch.groups.terms import BALANCE_VARIABLES
from mentormatch.plot import cjk_font, finish, language, mark_synthetic, nothing, text

__all__ = ["group_overview", "balance_heatmaps", "diversity_vs_random", "exchange_trace"]

_OURS = "#d1495b"
_FACILITATOR = "#00798c"
_OTHER = "#b8c4ce"
_BASELINE_COLOURS = {"same_rules": "#3c6e9f", "same_sizes": "#edae49"}
_BASELINE_LABELS = {
    "same_rules": ("同规则随机分组", "random, same rules"),
    "same_sizes": ("同组规模随机分组", "random, same sizes"),
}


#: Beyond this many groups the charts show all groups at once, without a row each.
MAX_GROUPS = 30


def _finish(fig: plt.Figure, plan: SalonPlan) -> plt.Figure:
    return finish(fig, plan.synthetic)


def _nothing(plan: SalonPlan, title: tuple[str, str], message: tuple[str, str]) -> plt.Figure:
    return nothing(plan.synthetic, title, message)


def _label(ax: plt.Axes, x: str, y: str | None, title: str, legend: str | None) -> None:
    """Axis labels, title and legend in the house style (``legend=None``: below the axes)."""
    ax.set_xlabel(x)
    if y is not None:
        ax.set_ylabel(y)
    ax.set_title(title)
    if legend is None:
        # Below the axis label, whatever the figure's height.
        ax.legend(
            frameon=False,
            fontsize=8,
            loc="upper center",
            bbox_to_anchor=(0.5, 0),
            borderaxespad=5,
            ncols=3,
        )
    else:
        ax.legend(frameon=False, fontsize=8, loc=legend)
    ax.spines[["top", "right"]].set_visible(False)


def _groups(n: int) -> str:
    return "1 group" if n == 1 else f"{n:,} groups"


def _variable_label(variable: str) -> str:
    _, zh, en = BALANCE_VARIABLES[variable]
    return text(zh, en)


def _category_label(variable: str, code: str) -> str:
    return BALANCE_VARIABLES[variable][0][code].label(language())


def group_overview(plan: SalonPlan) -> plt.Figure:
    """Members of each group, facilitators in colour, the lead's name at the bar's end.

    Beyond :data:`MAX_GROUPS` groups, every group is a column without the lead's name
    (the roster lists the leads)."""
    title = ("沙龙分组：成员与主持人", "Salon groups: members and facilitators")
    profiles = plan.profiles
    if profiles.empty:
        return _nothing(plan, title, ("没有分组", "No groups"))
    groups = profiles.index.to_numpy()
    fac = profiles["facilitators"].to_numpy(dtype=int)
    other = profiles["size"].to_numpy(dtype=int) - fac
    mentors = plan.facilitators[plan.facilitators["kind"] == "mentor"].groupby("group").size()
    mentors = mentors.reindex(groups, fill_value=0).to_numpy(dtype=int)
    total = fac + other + mentors
    parts = [
        (fac, _FACILITATOR, text("主持人（组织力前25%）", "facilitators (top quarter)")),
        (other, _OTHER, text("其他成员", "other members")),
    ]
    if mentors.any():
        parts.append((mentors, _OURS, text("带教老师（加入）", "mentors (joined)")))
    n_people = int(profiles["size"].sum())
    heading = text(
        f"{title[0]}（{len(groups)}组，{n_people:,}人）",
        f"{title[1]} ({_groups(len(groups))}, {n_people:,} secretaries)",
    )
    if len(groups) > MAX_GROUPS:
        fig, ax = plt.subplots(figsize=(10, 4.6))
        x = np.arange(1, len(groups) + 1)
        bottom = np.zeros(len(groups))
        for values, colour, label in parts:
            ax.bar(x, values, bottom=bottom, width=1.0, color=colour, label=label, lw=0)
            bottom += values
        ax.set_xlim(0.5, len(groups) + 0.5)
        ax.set_ylim(0, total.max() * 1.1 + 1)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        heading += "\n" + text("各组组长见分组名单", "the roster names each group's lead")
        _label(ax, text("组", "Group"), text("人数", "Members"), heading, None)
        return _finish(fig, plan)
    fig, ax = plt.subplots(figsize=(8.5, min(12.0, 0.38 * len(groups) + 2.2)))
    y = np.arange(len(groups))[::-1]
    left = np.zeros(len(groups))
    for values, colour, label in parts:
        ax.barh(y, values, left=left, color=colour, label=label)
        left += values
    for yi, t, name in zip(y, total, profiles["lead_name"], strict=True):
        lead = f"  {text('组长', 'lead')}: {name}" if isinstance(name, str) and name else ""
        ax.text(t + 0.3, yi, f"{t}{lead}", va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels([text(f"第{g}组", f"group {g}") for g in groups], fontsize=8)
    ax.set_xlim(0, total.max() * 1.45 + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _label(ax, text("人数", "Members"), None, heading, None)
    return _finish(fig, plan)


def _balance_wide(plan: SalonPlan, var: str) -> tuple[list, pd.DataFrame, pd.DataFrame]:
    """Categories of ``var`` in vocabulary order, and group x category counts and
    within-bounds flags."""
    t = plan.balance[plan.balance["variable"] == var]
    vocab = BALANCE_VARIABLES[var][0]
    wide = t.pivot(index="group", columns="category", values="count")
    order = [c for c in vocab.codes if c in wide.columns]
    within = t.pivot(index="group", columns="category", values="within")
    return order, wide[order], within[order]


def balance_heatmaps(plan: SalonPlan) -> plt.Figure:
    """Each group's count of each category, one panel per balance variable.

    Colour: the count minus the even share (count / number of groups); a balanced
    plan stays within half a person either way (pale), a count outside the bounds
    is outlined. Beyond :data:`MAX_GROUPS` groups, each panel counts the groups
    instead: for each category and each count, how many groups have that count.
    """
    variables = [v for v in plan.balance_variables if (plan.balance["variable"] == v).any()]
    if not variables:
        return _nothing(
            plan,
            ("各组构成", "Group make-up"),
            ("没有可比较的均衡变量", "No balance variable to show"),
        )
    if plan.n_groups > MAX_GROUPS:
        return _balance_distribution(plan, variables)
    widths = [max(2, len(_balance_wide(plan, v)[0])) for v in variables]
    fig, axes = plt.subplots(
        1,
        len(variables),
        figsize=(min(11.0, 2.0 + 0.45 * sum(widths)), min(12.5, 0.3 * plan.n_groups + 3.6)),
        gridspec_kw={"width_ratios": widths},
        squeeze=False,
        layout="constrained",
    )
    image = None
    for ax, var in zip(axes[0], variables, strict=True):
        order, wide, within = _balance_wide(plan, var)
        counts = wide.to_numpy(dtype=float)
        share = counts.sum(axis=0) / plan.n_groups
        image = ax.imshow(counts - share, cmap="RdBu_r", vmin=-1.5, vmax=1.5, aspect="auto")
        inside = within.to_numpy(dtype=bool)
        for (i, j), v in np.ndenumerate(counts):
            ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=7, color="0.15")
            if not inside[i, j]:
                ax.add_patch(
                    plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, ec="black", lw=1.5)
                )
        ax.set_xticks(range(len(order)))
        ax.set_xticklabels(
            [_category_label(var, c) for c in order], rotation=45, ha="right", fontsize=7
        )
        ax.set_yticks(range(len(wide)))
        ax.set_yticklabels([str(g) for g in wide.index], fontsize=7)
        ax.set_title(_variable_label(var), fontsize=9)
    axes[0][0].set_ylabel(text("组", "Group"))
    if image is not None:
        fig.colorbar(
            image,
            ax=axes[0].tolist(),
            fraction=0.02,
            pad=0.01,
            label=text("与平均份额之差（人）", "Count minus even share"),
        )
    fig.suptitle(
        text(
            f"各组构成（{plan.n_groups}组）：每类人数（黑框：超出均分±1）",
            f"Group make-up ({_groups(plan.n_groups)}): count of each category "
            "(black box: outside an even share ±1)",
        ),
        fontsize=10,
    )
    # The constrained layout leaves room for the shared colorbar (tight_layout does not).
    cjk_font()
    mark_synthetic(fig, plan.synthetic)
    return fig


def _balance_distribution(plan: SalonPlan, variables: list[str]) -> plt.Figure:
    """For many groups: per category (rows) and count (columns), the number of groups."""
    panels = []
    for var in variables:
        order, wide, within = _balance_wide(plan, var)
        counts = wide.to_numpy(dtype=int)
        values = sorted(set(counts.ravel().tolist()))
        tally = np.array([[(counts[:, j] == v).sum() for v in values] for j in range(len(order))])
        outside = np.array(
            [
                [
                    bool((~within.to_numpy(dtype=bool)[:, j] & (counts[:, j] == v)).any())
                    for v in values
                ]
                for j in range(len(order))
            ]
        )
        panels.append((var, order, values, tally, outside))
    heights = [max(2, len(p[1])) for p in panels]
    fig, axes = plt.subplots(
        len(panels),
        1,
        figsize=(9.5, min(13.5, 0.32 * sum(heights) + 0.9 * len(panels) + 1.6)),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
        layout="constrained",
    )
    image = None
    for ax, (var, order, values, tally, outside) in zip(axes[:, 0], panels, strict=True):
        shown = np.where(tally > 0, tally, np.nan)
        image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=plan.n_groups, aspect="auto")
        for (i, j), v in np.ndenumerate(tally):
            if v:
                ax.text(
                    j,
                    i,
                    f"{v}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > 0.6 * plan.n_groups else "0.15",
                )
            if outside[i, j]:
                ax.add_patch(
                    plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, ec="black", lw=1.5)
                )
        ax.set_xticks(range(len(values)), [str(v) for v in values], fontsize=7)
        ax.set_yticks(range(len(order)), [_category_label(var, c) for c in order], fontsize=7)
        ax.set_xlabel(text("组内该类人数", "Members of the category in a group"), fontsize=8)
        ax.set_title(_variable_label(var), fontsize=9, loc="left")
    if image is not None:
        fig.colorbar(
            image,
            ax=axes[:, 0].tolist(),
            fraction=0.03,
            pad=0.01,
            label=text("组数", "Groups"),
        )
    fig.suptitle(
        text(
            f"各组构成（共{plan.n_groups}组）：每格为该类有该人数的组数（黑框：超出均分±1）",
            f"Group make-up across all {plan.n_groups} groups: number of groups with each "
            "count\n(black box: outside an even share ±1)",
        ),
        fontsize=10,
    )
    cjk_font()
    mark_synthetic(fig, plan.synthetic)
    return fig


def diversity_vs_random(plan: SalonPlan, *, bins: int = 40) -> plt.Figure:
    """Histograms of the random partitions' diversity, ours marked with its percentile."""
    title = ("本方案与随机分组的组内多样性对比", "Diversity within groups: ours against chance")
    r = plan.random
    if r.empty:
        return _nothing(
            plan,
            title,
            ("未与随机分组比较（随机分组数为0）", "Not compared with random partitions"),
        )
    fig, ax = plt.subplots(figsize=(8, 4.4))
    edges = np.histogram_bin_edges(np.append(r["diversity"], plan.diversity), bins=bins)
    for key in ("same_sizes", "same_rules"):
        sample = r.loc[r["baseline"] == key, "diversity"]
        if len(sample):
            pct = plan.percentiles.get(key, np.nan)
            zh, en = _BASELINE_LABELS[key]
            where = (
                (f"；本方案百分位 {pct:.0f}", f"; ours at percentile {pct:.0f}")
                if np.isfinite(pct)
                else ("", "")
            )
            ax.hist(
                sample,
                bins=edges,
                color=_BASELINE_COLOURS[key],
                alpha=0.75,
                label=text(f"{zh}（{len(sample)}个{where[0]}）", f"{en} ({len(sample)}{where[1]})"),
            )
    ax.axvline(plan.diversity, color=_OURS, lw=2, label=text("本方案", "ours"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _label(
        ax,
        text("组内距离之和（多样性）", "Sum of within-group distances (diversity)"),
        text("随机分组数", "Random partitions"),
        text(f"{title[0]}（{plan.n_groups}组）", f"{title[1]} ({_groups(plan.n_groups)})"),
        None,
    )
    return _finish(fig, plan)


def exchange_trace(plan: SalonPlan) -> plt.Figure:
    """Diversity after every swap of the exchange method, one line per start."""
    title = ("交换法：每次交换都提高多样性", "Exchange method: every swap raises diversity")
    if plan.trace.empty:
        return _nothing(plan, title, ("没有交换记录", "No swaps recorded"))
    fig, ax = plt.subplots(figsize=(8, 4.2))
    best_rows = plan.starts.loc[plan.starts["best"], "start"] if len(plan.starts) else []
    best = int(best_rows.iloc[0]) if len(best_rows) else None
    for start, t in plan.trace.groupby("start"):
        mine = start == best
        ax.plot(
            t["swap"],
            t["diversity"],
            color=_OURS if mine else "0.6",
            lw=1.6 if mine else 0.9,
            label=text(f"起点{start + 1}（最优）", f"start {start + 1} (best)") if mine else None,
        )
    n_starts = plan.trace["start"].nunique()
    if n_starts > 1:
        ax.plot([], [], color="0.6", lw=0.9, label=text("其他起点", "other starts"))
    sample = plan.random.loc[plan.random["baseline"] == "same_rules", "diversity"]
    if len(sample):
        ax.axhspan(
            sample.min(),
            sample.max(),
            color=_BASELINE_COLOURS["same_rules"],
            alpha=0.15,
            label=text("同规则随机分组的范围", "range of random partitions, same rules"),
        )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _label(
        ax,
        text("交换次数", "Swaps made"),
        text("组内距离之和", "Sum of within-group distances"),
        text(
            f"{title[0]}（{n_starts}个起点）",
            f"{title[1]} ({n_starts} start{'s' if n_starts > 1 else ''})",
        ),
        None,
    )
    return _finish(fig, plan)
