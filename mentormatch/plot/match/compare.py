"""Plans side by side: objectives, base coverage and the spread of scores, and one
mentee's score components against the alternates."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator, PercentFormatter

from mentormatch.district import District
from mentormatch.plan import Plan
from mentormatch.plot import language, text
from mentormatch.plot.match._common import _PALETTE, _finish, _mentor_labels, _nothing, _plan_name

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
    labels = [_plan_name(name, lang, width=14) for name in figs.index]
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
        # Five narrow panels: level names would run into each other (a Chinese name
        # cannot be broken), so they slant.
        ax.set_xticks(x, labels, fontsize=8, rotation=30, ha="right", rotation_mode="anchor")
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
    highest = 0
    for k, (name, values) in enumerate(scores.items()):
        if not len(values):
            continue
        color = _PALETTE[k % len(_PALETTE)]
        label = _plan_name(name, lang, width=30)
        counts, _, _ = ax.hist(values, bins=bins, histtype="step", lw=1.8, color=color, label=label)
        highest = max(highest, counts.max())
        ax.axvline(values.mean(), color=color, ls="--", lw=1)
        # Means are often close: each plan's on a line of its own, above the bars.
        ax.text(
            values.mean(),
            1.0 - 0.08 * k,
            f" {values.mean():.2f}",
            color=color,
            fontsize=8,
            va="top",
            transform=ax.get_xaxis_transform(),
        )
    ax.set_ylim(0, max(highest, 1) * (1 + 0.1 * (len(scores) + 1)))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, 1)
    ax.set_xlabel(text("匹配分（虚线：平均值）", "Pair score (dashed: mean)"))
    ax.set_ylabel(text("书记人数", "Secretaries"))
    ax.set_title(text(*title))
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, d)
