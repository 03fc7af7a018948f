"""Charts of plans: the score matrix, the plan as a graph, objectives side by side.

A district's plan fits on a page whole; a city's does not. :func:`score_matrix` then
shows a random sample of mentors with their mentees, and :func:`plan_graph` the
largest mentor groups; each title says what part of the plan is shown.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator, PercentFormatter

from mentormatch.district import District
from mentormatch.evaluate.baselines import STRATEGIES
from mentormatch.plan import Plan
from mentormatch.plot import finish, language, nothing, text

__all__ = [
    "score_matrix",
    "plan_graph",
    "compare_objectives",
    "base_coverage",
    "components",
    "score_distribution",
]

_PALETTE = plt.get_cmap("tab10").colors
#: Names of the plans the notebooks compare: objectives, strategies, base methods.
PLAN_NAMES: dict[str, tuple[str, str]] = {
    **STRATEGIES,
    "sequential": ("先定老师、再选基地", "mentor first, then base"),
    "joint": ("老师与基地一并优化", "mentor and base together"),
    "none": ("不安排基地", "no base"),
}
#: At most this many mentors and mentees in the score matrix (a random sample beyond).
MATRIX_MENTORS = 40
MATRIX_MENTEES = 240
#: At most this many mentors in the plan graph (the largest groups beyond).
GRAPH_MENTORS = 16
GRAPH_LARGEST = 12


def _finish(fig: plt.Figure, d: District) -> plt.Figure:
    return finish(fig, d.synthetic)


def _nothing(d: District, title: tuple[str, str], message: tuple[str, str]) -> plt.Figure:
    return nothing(d.synthetic, title, message)


def _plan_name(name: object, lang: str, width: int = 12) -> str:
    """A plan's name for a reader: the label of a known code, else the name given."""
    label = text(*PLAN_NAMES[name], lang) if name in PLAN_NAMES else str(name)
    return label if lang == "zh" else textwrap.fill(label, width)


def _mentor_labels(d: District, ids) -> list[str]:
    names = d.mentors.set_index("mentor_id")["name"]
    return [f"{m} {names[m]}" if pd.notna(names.get(m)) else str(m) for m in ids]


def _sample(items: list, n: int, rng: np.random.Generator) -> list:
    """``n`` of ``items`` at random, in their original order."""
    if len(items) <= n:
        return list(items)
    keep = np.sort(rng.choice(len(items), size=n, replace=False))
    return [items[i] for i in keep]


def score_matrix(
    d: District,
    scores: pd.DataFrame,
    plan: Plan | None = None,
    *,
    max_mentors: int = MATRIX_MENTORS,
    max_mentees: int = MATRIX_MENTEES,
    seed: int = 0,
) -> plt.Figure:
    """Heatmap of pair scores (mentees x mentors), mentees grouped by their planned mentor;
    each mentor's planned mentees are outlined in that mentor's column.

    Beyond ``max_mentors`` mentors, a random sample of them (seeded by ``seed``) is
    shown with their mentees and the mentees not placed; beyond ``max_mentees``
    mentees, a random sample of those. The title says how many of each are shown.
    """
    title = ("匹配分矩阵", "Pair scores")
    if scores.empty:
        return _nothing(d, title, ("没有可打分的结对", "No pair to score"))
    table = scores.pivot(index="secretary_id", columns="mentor_id", values="total")
    mentors = [m for m in d.mentors["mentor_id"] if m in table.columns]
    rng = np.random.default_rng(seed)
    shown_mentors = _sample(mentors, max_mentors, rng)
    chosen = (
        plan.assignment.reindex(table.index)
        if plan is not None
        else pd.Series(np.nan, index=table.index, dtype=object)
    )
    pool = list(table.index)
    if len(shown_mentors) < len(mentors):
        # Mentees of the sampled mentors, and those placed with nobody.
        keep = set(shown_mentors)
        pool = [s for s in pool if chosen[s] in keep or pd.isna(chosen[s])]
    shown = _sample(pool, max_mentees, rng)
    table = table.loc[shown, shown_mentors]
    if plan is not None:
        # Grouped by mentor in column order, the unplaced last; best score first.
        rank = {m: i for i, m in enumerate(shown_mentors)}
        order = pd.DataFrame(
            {
                "rank": [rank.get(chosen[s], len(rank)) for s in shown],
                "score": [table.at[s, chosen[s]] if chosen[s] in rank else 0.0 for s in shown],
            },
            index=shown,
        )
        table = table.loc[order.sort_values(["rank", "score"], ascending=[True, False]).index]
    n_rows, n_cols = table.shape
    fig, ax = plt.subplots(figsize=(8.5, float(np.clip(0.09 * n_rows + 2.2, 4.5, 11))))
    cmap = plt.get_cmap("viridis").with_extremes(bad="0.85")
    image = ax.imshow(table.to_numpy(dtype=float), aspect="auto", cmap=cmap, vmin=0, vmax=1)
    unplaced = 0
    if plan is not None:
        rows = chosen.reindex(table.index).to_numpy()
        unplaced = int(pd.isna(rows).sum())
        start = 0
        for y in range(1, n_rows + 1):
            if y == n_rows or rows[y] != rows[start]:
                if isinstance(rows[start], str) and rows[start] in table.columns:
                    x = table.columns.get_loc(rows[start])
                    ax.add_patch(
                        plt.Rectangle(
                            (x - 0.5, start - 0.5), 1, y - start, fill=False, ec="white", lw=1.5
                        )
                    )
                start = y
    ax.set_xticks(range(n_cols), _mentor_labels(d, table.columns), rotation=90, fontsize=7)
    ax.set_yticks([])
    ax.set_xlabel(text("带教老师", "Mentor"))
    ylabel = text(f"需要带教的书记（{n_rows:,}人）", f"Secretaries needing a mentor ({n_rows:,})")
    if unplaced:
        ylabel += text(f"\n末尾 {unplaced:,} 人未结对", f"\nlast {unplaced:,}: not placed")
    ax.set_ylabel(ylabel)
    heading = text(*title)
    if plan is not None:
        heading += text("（白框：方案中的结对）", " (white box: planned pairs)")
    parts = []
    sampled_mentors = n_cols < len(mentors)
    if sampled_mentors:
        parts.append(
            text(
                f"随机抽取{n_cols}位带教老师（共{len(mentors):,}位）",
                f"random sample of {n_cols} of {len(mentors):,} mentors",
            )
        )
    if n_rows < len(pool):
        parts.append(
            text(
                f"其学员及未结对者中随机抽取{n_rows}人（共{len(pool):,}人）"
                if sampled_mentors
                else f"随机抽取{n_rows}人（共{len(pool):,}人）",
                f"{n_rows} of their {len(pool):,} mentees and the unplaced, at random"
                if sampled_mentors
                else f"random sample of {n_rows} of {len(pool):,} mentees",
            )
        )
    if parts:
        heading += "\n" + text("；", "; ").join(parts)
    ax.set_title(heading, fontsize=11 if parts else None)
    fig.colorbar(image, ax=ax, label=text("匹配分", "Score"), shrink=0.8)
    return _finish(fig, d)


def plan_graph(
    d: District,
    plan: Plan,
    clusters: pd.Series | None = None,
    names: Mapping | None = None,
    *,
    max_mentors: int = GRAPH_MENTORS,
) -> plt.Figure:
    """Each mentor with its mentees around it; mentees coloured by cluster when given.

    ``clusters`` maps secretary_id to a cluster label; ``names`` maps labels to legend
    text. Beyond ``max_mentors`` mentors, the 12 (at most ``max_mentors``) with the
    most mentees are drawn, and the title says so.
    """
    import networkx as nx

    title = (
        "结对方案：每位带教老师（方块）与其学员",
        "The plan: each mentor (square) with mentees",
    )
    lang = language()
    loads = plan.loads
    needing = int(plan.table["status"].isin(["placed", "unplaced"]).sum())
    n_unplaced = int((plan.table["status"] == "unplaced").sum())
    if loads.empty:
        return _nothing(d, title, ("名册中没有带教老师", "No mentors in this roster"))
    if plan.placed.empty:
        return _nothing(
            d,
            title,
            (
                f"方案中无人结对（{needing:,}名需要带教的书记均未结对）",
                f"Nobody is placed in this plan ({needing:,} mentees not placed)",
            ),
        )
    mentors = loads["mentor_id"].tolist()
    if len(mentors) > max_mentors:
        largest = loads.sort_values("load", ascending=False, kind="stable")
        largest = largest.head(min(GRAPH_LARGEST, max_mentors))
        mentors = [m for m in mentors if m in set(largest["mentor_id"])]
    placed = plan.placed[plan.placed["mentor_id"].isin(mentors)]
    graph = nx.Graph()
    graph.add_nodes_from(mentors, kind="mentor")
    for sid, mid in zip(placed["secretary_id"], placed["mentor_id"], strict=True):
        graph.add_node(sid, kind="mentee")
        graph.add_edge(mid, sid)
    cols = int(np.ceil(np.sqrt(len(mentors))))
    n_grid_rows = int(np.ceil(len(mentors) / cols))
    pos = {}
    for k, mid in enumerate(mentors):
        cx, cy = (k % cols) * 3.0, -(k // cols) * 3.0
        pos[mid] = (cx, cy)
        mentees = sorted(graph.neighbors(mid))
        for j, sid in enumerate(mentees):
            angle = 2 * np.pi * j / max(len(mentees), 1)
            pos[sid] = (cx + np.cos(angle), cy + np.sin(angle))
    # Big groups crowd their ring: smaller dots then.
    most = int(placed["mentor_id"].value_counts().max()) if len(placed) else 1
    dot = 60 * min(1.0, (20 / most) ** 2)
    fig, ax = plt.subplots(figsize=(9, min(12.0, 2.5 * n_grid_rows + 1.6)))
    nx.draw_networkx_edges(graph, pos, ax=ax, edge_color="0.75", width=0.8)
    mentee_nodes = placed["secretary_id"].tolist()
    if clusters is not None:
        labels = clusters.reindex(mentee_nodes)
        codes = sorted(labels.dropna().unique())
        colour = {c: _PALETTE[i % len(_PALETTE)] for i, c in enumerate(codes)}
        for c in codes:
            members = [s for s, lab in zip(mentee_nodes, labels, strict=True) if lab == c]
            nx.draw_networkx_nodes(
                graph,
                pos,
                nodelist=members,
                node_color=[colour[c]],
                node_size=dot,
                ax=ax,
                label=_cluster_name(c, names, lang),
            )
        lost = [s for s, lab in zip(mentee_nodes, labels, strict=True) if pd.isna(lab)]
        if lost:
            nx.draw_networkx_nodes(
                graph,
                pos,
                nodelist=lost,
                node_color="0.7",
                node_size=dot,
                ax=ax,
                label=text("未归类", "no cluster", lang),
            )
        ax.legend(
            frameon=False,
            fontsize=7,
            loc="upper left",
            bbox_to_anchor=(1, 1),
            title=text("书记类群", "Cluster", lang),
        )
    else:
        nx.draw_networkx_nodes(
            graph, pos, nodelist=mentee_nodes, node_color="#3c6e9f", node_size=dot, ax=ax
        )
    nx.draw_networkx_nodes(
        graph, pos, nodelist=mentors, node_color="#d1495b", node_shape="s", node_size=260, ax=ax
    )
    nx.draw_networkx_labels(
        graph,
        {m: (pos[m][0], pos[m][1] - 1.45) for m in mentors},
        labels=dict(zip(mentors, _mentor_labels(d, mentors), strict=True)),
        font_size=7,
        ax=ax,
    )
    ax.set_xlim(-1.6, (cols - 1) * 3.0 + 1.6)
    ax.set_ylim(-(n_grid_rows - 1) * 3.0 - 1.9, 1.4)
    notes = []
    if len(mentors) < len(loads):
        notes.append(
            text(
                f"学员最多的{len(mentors)}位带教老师（共{len(loads):,}位），"
                f"{len(placed):,}名学员（共{len(plan.placed):,}名）",
                f"the {len(mentors)} largest of {len(loads):,} mentor groups: "
                f"{len(placed):,} of {len(plan.placed):,} mentees",
                lang,
            )
        )
    if n_unplaced:
        notes.append(
            text(
                f"另有{n_unplaced:,}名需要带教的书记未结对",
                f"{n_unplaced:,} mentees not placed",
                lang,
            )
        )
    heading = text(*title, lang)
    if notes:
        heading += "\n" + text("；", "; ", lang).join(notes)
    ax.set_title(heading, fontsize=11)
    ax.axis("off")
    return _finish(fig, d)


def _cluster_name(code, names: Mapping | None, lang: str) -> str:
    """Legend text of a cluster: its name when given, else "cluster 3"."""
    if names and code in names:
        return str(names[code])
    number = (
        int(code) if isinstance(code, float | np.floating) and float(code).is_integer() else code
    )
    return text(f"第{number}类", f"cluster {number}", lang)


_FIGURES = {
    "mean_score": ("平均匹配分", "Mean score"),
    "min_score": ("最低匹配分", "Worst score"),
    "p10_score": ("第10百分位匹配分", "10th-percentile score"),
    "blocking_pairs": ("阻塞对数", "Blocking pairs"),
}


def compare_objectives(d: District, plans: Mapping[str, Plan]) -> plt.Figure:
    """Mean, worst and 10th-percentile score, blocking pairs and load spread per objective."""
    title = ("各目标下的方案对比", "Plans under each objective")
    lang = language()
    if not plans:
        return _nothing(d, title, ("没有可比较的方案", "No plan to compare"))
    figs = pd.DataFrame({name: p.figures() for name, p in plans.items()}).T
    panels = [*list(_FIGURES), "load"]
    fig, axes = plt.subplots(1, len(panels), figsize=(11, 3.8))
    x = np.arange(len(figs))
    labels = [_plan_name(name, lang, width=10) for name in figs.index]
    for ax, key in zip(axes, panels, strict=True):
        if key == "load":
            low = figs["load_min"].astype(float).to_numpy()
            high = figs["load_max"].astype(float).to_numpy()
            ax.vlines(x, low, high, color="#9aa9bd", lw=10)
            ax.plot(x, low, "_", x, high, "_", color="0.3", ms=14)
            for xi, lo, hi in zip(x, low, high, strict=True):
                ax.text(xi, hi, f"{lo:.0f}–{hi:.0f}", ha="center", va="bottom", fontsize=8)
            ax.set_ylim(0, max(1.0, np.nanmax(high)) * 1.2)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_title(text("每位老师带教人数", "Mentees per mentor", lang), fontsize=10)
            ax.set_ylabel(text("人数（最少–最多）", "Mentees (fewest–most)", lang), fontsize=8)
        else:
            values = figs[key].astype(float).to_numpy()
            ax.bar(x, np.nan_to_num(values), color=[_PALETTE[i % 10] for i in range(len(figs))])
            for xi, v in zip(x, values, strict=True):
                label = (
                    "—"
                    if not np.isfinite(v)
                    else f"{v:.0f}"
                    if key == "blocking_pairs"
                    else f"{v:.2f}"
                )
                ax.text(xi, np.nan_to_num(v), label, ha="center", va="bottom", fontsize=8)
            top = np.nanmax(values) if np.isfinite(values).any() else 1.0
            ax.set_ylim(0, max(top, 1.0 if key == "blocking_pairs" else 0.1) * 1.18)
            if key == "blocking_pairs":
                ax.yaxis.set_major_locator(MaxNLocator(integer=True))
                ax.set_ylabel(text("对数", "Pairs", lang), fontsize=8)
            else:
                ax.set_ylabel(text("匹配分（0–1）", "Score (0–1)", lang), fontsize=8)
            ax.set_title(text(*_FIGURES[key], lang), fontsize=10)
        ax.set_xticks(
            x,
            labels,
            fontsize=8,
            rotation=30 if len(figs) > 3 else 0,
            ha="right" if len(figs) > 3 else "center",
        )
        ax.set_xlim(-0.6, len(figs) - 0.4)
        ax.spines[["top", "right"]].set_visible(False)
    needing = int(figs["mentees"].astype(int).max())
    fig.suptitle(
        text(
            f"{title[0]}（{needing:,}名需要带教的书记）", f"{title[1]} ({needing:,} mentees)", lang
        )
    )
    return _finish(fig, d)


def base_coverage(d: District, plans: Mapping[str, Plan]) -> plt.Figure:
    """Share of mentees' challenges covered by the mentor alone and with the base."""
    title = ("实训基地补充带教老师", "Practice bases complement the mentor")
    lang = language()
    names = list(plans)
    mentor = np.array([plans[n].coverage.get("mentor", np.nan) for n in names], dtype=float)
    both = np.array([plans[n].coverage.get("mentor_and_base", np.nan) for n in names], dtype=float)
    if not (np.isfinite(mentor).any() or np.isfinite(both).any()):
        return _nothing(
            d,
            title,
            ("方案中没有已结对且填报了难题的书记", "No placed mentee names a challenge"),
        )
    fig, ax = plt.subplots(figsize=(7, 3.8))
    x = np.arange(len(names))
    ax.bar(
        x - 0.2,
        np.nan_to_num(mentor) * 100,
        0.4,
        color="#9aa9bd",
        label=text("仅带教老师", "mentor alone", lang),
    )
    ax.bar(
        x + 0.2,
        np.nan_to_num(both) * 100,
        0.4,
        color="#d1495b",
        label=text("带教老师+实训基地", "mentor + base", lang),
    )
    for xi, (a, b) in enumerate(zip(mentor, both, strict=True)):
        for dx, v in ((-0.2, a), (0.2, b)):
            label = f"{v:.0%}" if np.isfinite(v) else "—"
            ax.text(xi + dx, np.nan_to_num(v) * 100, label, ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, [_plan_name(n, lang, width=16) for n in names])
    ax.set_xlim(-0.7, len(names) - 0.3)
    ax.set_ylim(0, 130)
    ax.set_yticks(range(0, 101, 20))
    ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.set_xlabel(text("方案", "Plan", lang))
    ax.set_ylabel(text("难题覆盖率", "Challenges covered", lang))
    ax.set_title(text(*title, lang))
    ax.legend(frameon=False, loc="upper center", ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, d)


_COMPONENTS = {
    "challenge": ("难题匹配", "Challenge fit"),
    "type": ("类型匹配", "Community-type fit"),
    "proximity": ("距离", "Proximity"),
    "continuity": ("延续性", "Continuity"),
}


def components(d: District, plan: Plan, secretary_id: str) -> plt.Figure:
    """The weighted components of one mentee's score: planned mentor against alternates."""
    from mentormatch.scoring import score_pairs

    lang = language()
    table = plan.table.set_index("secretary_id")
    if secretary_id not in table.index:
        return _nothing(
            d,
            ("匹配分构成", "Score components"),
            (f"方案中没有书记 {secretary_id}", f"Secretary {secretary_id} is not in this plan"),
        )
    row = table.loc[secretary_id]
    # The District's name, as on every chart of it (a pseudonym when it is pseudonymized).
    name = d.secretaries.set_index("secretary_id")["name"].get(secretary_id, row["name"])
    name = name if isinstance(name, str) and name else secretary_id
    title = (f"{name}的匹配分构成", f"Score components for {name}")
    planned = row["mentor_id"] if pd.notna(row["mentor_id"]) else None
    rivals = ([planned] if planned else []) + [
        a.split()[0] for a in (row["alternate_1"], row["alternate_2"]) if isinstance(a, str)
    ]
    if not rivals:
        why = {
            "not_needed": ("无需带教", "No mentor needed"),
            "departed": ("已离任", "Left the post"),
        }.get(
            row["status"],
            ("未结对，也没有尚有名额的备选老师", "Not placed, and no mentor has room"),
        )
        return _nothing(d, title, why)
    scores = score_pairs(d, plan.weights)
    mine = scores[(scores["secretary_id"] == secretary_id) & scores["mentor_id"].isin(rivals)]
    mine = mine.set_index("mentor_id").reindex(rivals)
    fig, ax = plt.subplots(figsize=(8, 1.6 + 0.6 * len(rivals)))
    left = np.zeros(len(rivals))
    for k, (key, label) in enumerate(_COMPONENTS.items()):
        width = np.nan_to_num(mine[key].to_numpy(dtype=float)) * plan.weights.get(key, 0.0)
        ax.barh(range(len(rivals)), width, left=left, color=_PALETTE[k], label=text(*label, lang))
        left += width
    for y, total in enumerate(left):
        ax.text(total, y, f" {total:.2f}", va="center", fontsize=8)
    ax.set_xlim(0, max(1.0, float(left.max()) * 1.1))
    ax.set_yticks(
        range(len(rivals)),
        [
            m
            + (
                text("（方案）", " (plan)", lang)
                if planned and i == 0
                else text("（备选）", " (alternate)", lang)
            )
            for i, m in enumerate(_mentor_labels(d, rivals))
        ],
    )
    ax.invert_yaxis()
    ax.set_xlabel(text("加权匹配分", "Weighted score", lang))
    ax.set_ylabel(text("带教老师", "Mentor", lang))
    if not planned:
        title = (title[0] + "（未结对）", title[1] + " (not placed)")
    ax.set_title(text(*title, lang))
    ax.legend(frameon=False, fontsize=8, ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.28))
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, d)


def score_distribution(d: District, plans: Mapping[str, Plan]) -> plt.Figure:
    """How the placed mentees' pair scores spread under each plan, with each mean."""
    title = ("结对匹配分的分布", "Pair scores of the placed mentees")
    scores = {name: plan.placed["score"].astype(float).to_numpy() for name, plan in plans.items()}
    if not any(len(v) for v in scores.values()):
        return _nothing(d, title, ("没有已结对的书记。", "Nobody is placed."))
    lang = language()
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    bins = np.linspace(0, 1, 21)
    for k, (name, values) in enumerate(scores.items()):
        if not len(values):
            continue
        color = _PALETTE[k % len(_PALETTE)]
        label = _plan_name(name, lang, width=30)
        ax.hist(values, bins=bins, histtype="step", lw=1.8, color=color, label=label)
        ax.axvline(values.mean(), color=color, ls="--", lw=1)
        ax.text(
            values.mean(),
            1.0,
            f" {values.mean():.2f}",
            color=color,
            fontsize=8,
            va="top",
            transform=ax.get_xaxis_transform(),
        )
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, 1)
    ax.set_xlabel(text("匹配分（虚线：平均值）", "Pair score (dashed: mean)"))
    ax.set_ylabel(text("书记人数", "Secretaries"))
    ax.set_title(text(*title))
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, d)
