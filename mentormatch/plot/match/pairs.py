"""The pairs of one plan: the score matrix (mentees x mentors) and the plan as a graph of
mentors with their mentees; a city's plan is shown by a sample, as each title says."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.plan import Plan
from mentormatch.plot import language, text
from mentormatch.plot.match._common import _PALETTE, _finish, _mentor_labels, _nothing

#: At most this many mentors and mentees in the score matrix (a random sample beyond).
MATRIX_MENTORS = 40
MATRIX_MENTEES = 240
#: At most this many mentors in the plan graph (the largest groups beyond).
GRAPH_MENTORS = 16
GRAPH_LARGEST = 12


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
