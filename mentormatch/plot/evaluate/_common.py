"""What the evaluation charts share: colours, the synthetic-data note, the figure saying
what a roster lacks, and the legend's place."""

from __future__ import annotations

import matplotlib.pyplot as plt

from mentormatch.district import District
from mentormatch.evaluate.needs import explain, missing
from mentormatch.plot import finish, language, nothing, text

_COLOURS = ("#3c6e9f", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f")
_TRUTH = "#2a9d3f"


def _finish(fig: plt.Figure, synthetic: bool) -> plt.Figure:
    return finish(fig, synthetic)


def _label(labels: tuple[str, str]) -> str:
    return text(*labels)


def _nothing(synthetic: bool, title: tuple[str, str], message: str) -> plt.Figure:
    return nothing(synthetic, title, message)


def _missing(d: District, analysis: str, title: tuple[str, str]) -> plt.Figure | None:
    """The figure saying what the roster lacks for ``analysis``, or None if nothing."""
    if missing(d, analysis) is None:
        return None
    return _nothing(d.synthetic, title, explain(d, analysis, language()))


def _legend_right(ax: plt.Axes) -> None:
    """The legend beside the axes, where it covers no data."""
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
