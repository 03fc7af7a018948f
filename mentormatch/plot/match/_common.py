"""What the charts of plans share: colours, the names of plans, mentors' labels and the
synthetic-data note."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd

from mentormatch.district import District
from mentormatch.evaluate.baselines import STRATEGIES
from mentormatch.plot import finish, nothing, text

_PALETTE = plt.get_cmap("tab10").colors
#: Names of the plans the notebooks compare: objectives, strategies, base methods.
PLAN_NAMES: dict[str, tuple[str, str]] = {
    **STRATEGIES,
    "sequential": ("先定老师、再选基地", "mentor first, then base"),
    "joint": ("老师与基地一并优化", "mentor and base together"),
    "none": ("不安排基地", "no base"),
}


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
