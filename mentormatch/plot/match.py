"""Charts of plans: the score matrix, the plan as a graph, objectives side by side."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.plan import Plan
from mentormatch.plot import mark_synthetic, text

__all__ = ["score_matrix", "plan_graph", "compare_objectives", "base_coverage", "components"]

_PALETTE = plt.get_cmap("tab10").colors


def _finish(fig: plt.Figure, d: District) -> plt.Figure:
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    mark_synthetic(fig, d.synthetic)
    return fig


def score_matrix(d: District, scores: pd.DataFrame, plan: Plan | None = None) -> plt.Figure:
    """Heatmap of pair scores (mentees x mentors), mentees grouped by their planned mentor;
    the planned pair of each mentee is outlined."""
    table = scores.pivot(index="secretary_id", columns="mentor_id", values="total")
    table = table.reindex(columns=d.mentors["mentor_id"])
    if plan is not None:
        order = plan.assignment.reindex(table.index)
        rank = {m: i for i, m in enumerate(table.columns)}
        keys = order.map(lambda m: rank.get(m, len(rank)))
        table = table.loc[keys.sort_values(kind="stable").index]
    fig, ax = plt.subplots(figsize=(7, max(4, 0.09 * len(table) + 1.5)))
    image = ax.imshow(table.to_numpy(dtype=float), aspect="auto", cmap="viridis", vmin=0, vmax=1)
    if plan is not None:
        chosen = plan.assignment.reindex(table.index)
        for y, mentor in enumerate(chosen):
            if isinstance(mentor, str):
                x = list(table.columns).index(mentor)
                ax.add_patch(plt.Rectangle((x - 0.5, y - 0.5), 1, 1, fill=False, ec="white", lw=1))
    ax.set_xticks(range(table.shape[1]), table.columns, rotation=90, fontsize=7)
    ax.set_yticks([])
    ax.set_xlabel(text("带教老师", "Mentor"))
    ax.set_ylabel(
        text(f"需要带教的书记（{len(table)}人）", f"Secretaries needing a mentor ({len(table)})")
    )
    ax.set_title(text("匹配分矩阵（白框：方案中的结对）", "Pair scores (white box: planned pair)"))
    fig.colorbar(image, ax=ax, label=text("匹配分", "Score"), shrink=0.8)
    return _finish(fig, d)


def plan_graph(
    d: District, plan: Plan, clusters: pd.Series | None = None, names: Mapping | None = None
) -> plt.Figure:
    """Each mentor with its mentees around it; mentees coloured by cluster when given.

    ``clusters`` maps secretary_id to a cluster label; ``names`` maps labels to legend text.
    """
    import networkx as nx

    placed = plan.placed
    graph = nx.Graph()
    mentors = plan.loads["mentor_id"].tolist()
    graph.add_nodes_from(mentors, kind="mentor")
    for sid, mid in zip(placed["secretary_id"], placed["mentor_id"], strict=True):
        graph.add_node(sid, kind="mentee")
        graph.add_edge(mid, sid)
    cols = int(np.ceil(np.sqrt(len(mentors))))
    pos = {}
    for k, mid in enumerate(mentors):
        cx, cy = (k % cols) * 3.0, -(k // cols) * 3.0
        pos[mid] = (cx, cy)
        mentees = sorted(graph.neighbors(mid))
        for j, sid in enumerate(mentees):
            angle = 2 * np.pi * j / max(len(mentees), 1)
            pos[sid] = (cx + np.cos(angle), cy + np.sin(angle))
    fig, ax = plt.subplots(figsize=(8, 2.6 * (len(mentors) // cols + 1)))
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
                node_size=60,
                ax=ax,
                label=str(names.get(c, c)) if names else str(c),
            )
        ax.legend(
            frameon=False,
            fontsize=7,
            loc="upper left",
            bbox_to_anchor=(1, 1),
            title=text("书记类群", "Cluster"),
        )
    else:
        nx.draw_networkx_nodes(
            graph, pos, nodelist=mentee_nodes, node_color="#3c6e9f", node_size=60, ax=ax
        )
    nx.draw_networkx_nodes(
        graph, pos, nodelist=mentors, node_color="#d1495b", node_shape="s", node_size=260, ax=ax
    )
    mentor_names = plan.loads.set_index("mentor_id")["name"]
    nx.draw_networkx_labels(
        graph,
        {m: (pos[m][0], pos[m][1] - 1.45) for m in mentors},
        labels={m: f"{m} {mentor_names[m]}" for m in mentors},
        font_size=7,
        ax=ax,
        font_family=plt.rcParams["font.sans-serif"][0],
    )
    ax.set_title(
        text(
            "结对方案：每位带教老师（方块）与其学员",
            "The plan: each mentor (square) with their mentees",
        )
    )
    ax.axis("off")
    return _finish(fig, d)


_FIGURES = {
    "mean_score": ("平均匹配分", "Mean score"),
    "min_score": ("最低匹配分", "Worst score"),
    "p10_score": ("第10百分位", "10th percentile"),
    "blocking_pairs": ("阻塞对数", "Blocking pairs"),
}


def compare_objectives(d: District, plans: Mapping[str, Plan]) -> plt.Figure:
    """Mean, worst and 10th-percentile score, blocking pairs and load spread per objective."""
    figs = pd.DataFrame({name: p.figures() for name, p in plans.items()}).T
    panels = [*list(_FIGURES), "load"]
    fig, axes = plt.subplots(1, len(panels), figsize=(12, 3.2))
    x = np.arange(len(figs))
    for ax, key in zip(axes, panels, strict=True):
        if key == "load":
            low = figs["load_min"].astype(float)
            high = figs["load_max"].astype(float)
            ax.bar(x, high - low, bottom=low, color="#9aa9bd")
            ax.set_title(text("带教人数范围", "Load range"), fontsize=10)
        else:
            values = figs[key].astype(float)
            ax.bar(x, values, color=[_PALETTE[i] for i in range(len(figs))])
            for xi, v in zip(x, values, strict=True):
                ax.text(xi, v, f"{v:.3g}", ha="center", va="bottom", fontsize=8)
            ax.set_title(text(*_FIGURES[key]), fontsize=10)
        ax.set_xticks(x, figs.index, fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(text("三种目标的方案对比", "Plans under the three objectives"))
    return _finish(fig, d)


def base_coverage(d: District, plans: Mapping[str, Plan]) -> plt.Figure:
    """Share of mentees' challenges covered by the mentor alone and with the base."""
    fig, ax = plt.subplots(figsize=(6, 3.2))
    names = list(plans)
    x = np.arange(len(names))
    mentor = [plans[n].coverage["mentor"] * 100 for n in names]
    both = [plans[n].coverage["mentor_and_base"] * 100 for n in names]
    ax.bar(x - 0.2, mentor, 0.4, label=text("仅带教老师", "mentor alone"), color="#9aa9bd")
    ax.bar(x + 0.2, both, 0.4, label=text("带教老师+实训基地", "mentor + base"), color="#d1495b")
    for xi, (a, b) in enumerate(zip(mentor, both, strict=True)):
        ax.text(xi - 0.2, a, f"{a:.0f}%", ha="center", va="bottom", fontsize=8)
        ax.text(xi + 0.2, b, f"{b:.0f}%", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, names)
    ax.set_ylim(0, 110)
    ax.set_ylabel(text("难题覆盖率（%）", "Challenges covered (%)"))
    ax.set_title(text("实训基地补充带教老师", "Practice bases complement the mentor"))
    ax.legend(frameon=False, loc="lower right")
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

    scores = score_pairs(d, plan.weights)
    row = plan.table.set_index("secretary_id").loc[secretary_id]
    rivals = [row["mentor_id"]] + [
        a.split()[0] for a in (row["alternate_1"], row["alternate_2"]) if isinstance(a, str)
    ]
    mine = scores[(scores["secretary_id"] == secretary_id) & scores["mentor_id"].isin(rivals)]
    mine = mine.set_index("mentor_id").loc[rivals]
    fig, ax = plt.subplots(figsize=(7, 1.0 + 0.6 * len(rivals)))
    left = np.zeros(len(rivals))
    for k, (key, label) in enumerate(_COMPONENTS.items()):
        width = mine[key].to_numpy() * plan.weights[key]
        ax.barh(range(len(rivals)), width, left=left, color=_PALETTE[k], label=text(*label))
        left += width
    ax.set_yticks(
        range(len(rivals)),
        [f"{m}{text('（方案）', ' (plan)') if i == 0 else ''}" for i, m in enumerate(rivals)],
    )
    ax.invert_yaxis()
    ax.set_xlabel(text("加权匹配分", "Weighted score"))
    ax.set_title(text(f"{row['name']}的匹配分构成", f"Score components for {row['name']}"))
    ax.legend(frameon=False, fontsize=8, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.35))
    return _finish(fig, d)
