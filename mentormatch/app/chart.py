"""The workbench's charts, drawn with matplotlib and handed to the page as PNG bytes.

* :func:`against_random`: the plan's mean pair score and challenge coverage against
  random plans under the same rules (:meth:`Workbench.comparison`).
* :func:`score_spread`: how the pair scores spread in the solved plan and, when it
  differs, in the plan as adjusted, each with its mean.

Every figure is closed once drawn, so that nothing is shown twice in a notebook (the
inline backend shows every open pyplot figure); no backend is chosen here. Words are in
:mod:`mentormatch.app.words`; fonts and the "synthetic" mark come from
:mod:`mentormatch.plot`.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator, PercentFormatter

from mentormatch.app.words import say

__all__ = ["against_random", "score_spread", "png"]

#: Colours: the solved plan, the plan as adjusted, the random plans.
SOLVED, CURRENT, RANDOM = "#1f77b4", "#d62728", "0.72"


def png(fig, dpi: int = 110) -> bytes:
    """The figure as PNG bytes; the figure is closed."""
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=dpi)
    finally:
        plt.close(fig)
    return buffer.getvalue()


def _legend_below(ax) -> None:
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.24))


def against_random(comparison, lang: str) -> bytes:
    """Two panels, mean pair score and challenge coverage: the random plans as a
    histogram, the solved plan (and the adjusted one) as lines, each labelled with the
    share of random plans it beats."""
    from mentormatch.plot import finish, set_language

    lang = set_language(lang)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.3))
    names = {"solved": say("col_solved", lang), "current": say("col_current", lang)}
    shown = dict(comparison.plans)
    if "current" in shown and "solved" in shown and shown["current"] == shown["solved"]:
        del shown["current"]
    panels = (
        ("mean_score", "chart_mean", "chart_mean_axis", False),
        ("coverage", "chart_coverage", "chart_coverage_axis", True),
    )
    for ax, (figure, title, axis, percent) in zip(axes, panels, strict=True):
        values = comparison.random[figure].dropna().to_numpy()
        marks = [f[figure] for f in shown.values() if np.isfinite(f[figure])]
        everything = [*values, *marks]
        low, high = (min(everything), max(everything)) if everything else (0.0, 1.0)
        pad = max(0.02, 0.08 * (high - low))
        low, high = max(0.0, low - pad), min(1.0, high + pad)
        if len(values):
            # Bins over the whole axis: bars as wide for 20 random plans as for 200.
            bins = np.linspace(low, high, 41)
            ax.hist(values, bins=bins, color=RANDOM, label=say("chart_random", lang))
        for name, figures in shown.items():
            value = figures[figure]
            if not np.isfinite(value):
                continue
            share = comparison.percentile(name, figure)
            label = (
                say("chart_beats", lang, name=names[name], pct=f"{share:.0%}")
                if np.isfinite(share)
                else names[name]
            )
            solved = name == "solved"
            ax.axvline(
                value,
                color=SOLVED if solved else CURRENT,
                ls="-" if solved else "--",
                lw=2,
                label=label,
            )
        ax.set_xlim(low, high)
        if percent:
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(say(title, lang), fontsize=11)
        ax.set_xlabel(say(axis, lang))
        ax.set_ylabel(say("chart_count", lang))
        ax.spines[["top", "right"]].set_visible(False)
        _legend_below(ax)
    fig.suptitle(say("chart_title", lang, n=len(comparison.random)), fontsize=12)
    return png(finish(fig, comparison.synthetic))


def score_spread(plans: dict, lang: str, synthetic: bool) -> bytes:
    """The pair scores of the placed mentees of each plan in ``plans`` (name -> Plan) as
    step histograms, each mean a dashed line, the means in the legend."""
    from mentormatch.plot import finish, set_language

    lang = set_language(lang)
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    bins = np.linspace(0, 1, 21)
    for k, (name, plan) in enumerate(plans.items()):
        scores = plan.placed["score"].astype(float).to_numpy()
        if not len(scores):
            continue
        colour = (SOLVED, CURRENT)[k % 2]
        mean = float(scores.mean())
        ax.hist(
            scores,
            bins=bins,
            histtype="step",
            lw=1.8,
            color=colour,
            label=say("chart_mean_of", lang, name=name, mean=mean),
        )
        ax.axvline(mean, color=colour, ls="--", lw=1)
    ax.set_xlim(0, 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(say("chart_spread", lang), fontsize=11)
    ax.set_xlabel(say("chart_spread_axis", lang))
    ax.set_ylabel(say("chart_spread_count", lang))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return png(finish(fig, synthetic))
