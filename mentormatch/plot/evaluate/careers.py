"""Careers: retention (Kaplan-Meier curves of staying in post) and rare events
(promotions and recruitment as civil servants, with exact intervals)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator, PercentFormatter

from mentormatch.evaluate.retention import COHORTS, GROUPS, RareEvents, Retention
from mentormatch.plot import language, text, vocab_label
from mentormatch.plot.evaluate._common import _COLOURS, _finish, _legend_right, _nothing


def _p(value: float) -> str:
    if not np.isfinite(value):
        return ""
    return "p<0.001" if value < 0.001 else f"p={value:.3f}"


def retention(result: Retention) -> plt.Figure:
    """Kaplan-Meier curves of staying in post by cohort, with 95% Greenwood intervals."""
    lang = language()
    p = _p(result.logrank_p)
    title = text(
        f"书记留任（Kaplan-Meier；{result.observed_from}年起记录离任"
        + (f"，对数秩检验 {p}）" if p else "）"),
        f"Retention (Kaplan-Meier; departures from {result.observed_from}"
        + (f", log-rank {p})" if p else ")"),
        lang,
    )
    if result.curves.empty:
        return _nothing(
            result.synthetic, (title, title), text("没有离任记录", "No departures", lang)
        )
    fig, ax = plt.subplots(figsize=(9, 4.2))
    for colour, (group, curve) in zip(
        _COLOURS, result.curves.groupby("group", sort=False), strict=False
    ):
        times = np.r_[0.0, curve["time"].to_numpy()]
        surv = np.r_[1.0, curve["survival"].to_numpy()]
        low = np.r_[1.0, curve["ci_low"].to_numpy()]
        high = np.r_[1.0, curve["ci_high"].to_numpy()]
        n = int((result.people["group"] == group).sum())
        name = text(*COHORTS[group], lang) if group in COHORTS else str(group)
        ax.step(times, surv, where="post", color=colour, label=f"{name} (n={n:,})")
        ax.fill_between(times, low, high, step="post", color=colour, alpha=0.15, lw=0)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(text("任职年数", "Years in post", lang))
    ax.set_ylabel(text("仍在任比例", "Share still in post", lang))
    ax.set_title(title, fontsize=10)
    _legend_right(ax)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, result.synthetic)


def rare_events(result: RareEvents) -> plt.Figure:
    """Share of secretaries promoted or recruited as civil servants, exact 95% intervals."""
    lang = language()
    t = result.table
    title = (
        "晋升与招录：各组占比（精确95%区间）",
        "Promotions and recruitment by group (exact 95% CI)",
    )
    if t.empty:
        return _nothing(result.synthetic, title, text("没有履职记录", "No career records", lang))
    events = list(dict.fromkeys(t["event"]))
    fig, axes = plt.subplots(
        1,
        len(events),
        figsize=(min(11.0, 1.5 + 4.5 * len(events)), min(10.0, 0.4 * t["group"].nunique() + 2.0)),
        sharey=True,
        squeeze=False,
    )
    for ax, event in zip(axes[0], events, strict=True):
        part = t[t["event"] == event]
        y = np.arange(len(part))[::-1]
        ax.errorbar(
            part["share"] * 100,
            y,
            xerr=[(part["share"] - part["ci_low"]) * 100, (part["ci_high"] - part["share"]) * 100],
            fmt="o",
            color=_COLOURS[0],
            capsize=3,
        )
        for yy, (_, row) in zip(y, part.iterrows(), strict=True):
            ax.annotate(
                f"{row['count']:,}/{row['n']:,}",
                (row["ci_high"] * 100, yy),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        ax.set_yticks(y, [text(*GROUPS[g], lang) if g in GROUPS else str(g) for g in part["group"]])
        ax.set_title(vocab_label("career_event", event, lang))
        ax.set_xlabel(text("占比", "Share", lang))
        # Room on the right for the counts written after each interval.
        ax.set_xlim(0, max(1.0, float(part["ci_high"].max()) * 100) * 1.3)
        ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=None))
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(text(*title, lang))
    return _finish(fig, result.synthetic)
