"""Charts of a District: who the secretaries are, where, and what they face."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.plot import language, mark_synthetic, text, vocab_label
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES, EDUCATION, STREET_TOWNS

__all__ = [
    "birth_years",
    "education",
    "community_types",
    "challenges",
    "by_street_town",
]


def _finish(fig: plt.Figure, d: District) -> plt.Figure:
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    mark_synthetic(fig, d.synthetic)
    return fig


def birth_years(d: District) -> plt.Figure:
    """Histogram of birth years of secretaries in post, marking the 1980 cohort line."""
    post = d.in_post
    fig, ax = plt.subplots(figsize=(7, 3.6))
    years = post["birth_year"].to_numpy()
    bins = np.arange(years.min(), years.max() + 2) - 0.5
    young = years >= 1980
    ax.hist(
        [years[~young], years[young]],
        bins=bins,
        stacked=True,
        color=["#9aa9bd", "#d1495b"],
        label=[
            text("1980年前出生", "born before 1980"),
            text(f"80后、90后（{young.mean():.0%}）", f"born 1980+ ({young.mean():.0%})"),
        ],
    )
    ax.axvline(1979.5, color="0.3", lw=1, ls="--")
    ax.set_xlabel(text("出生年份", "Birth year"))
    ax.set_ylabel(text("书记人数", "Secretaries"))
    ax.set_title(text("在任书记的出生年份", "Birth years of secretaries in post"))
    ax.legend(frameon=False)
    return _finish(fig, d)


def _bars(
    d: District, counts: pd.Series, vocabulary: str, title: tuple[str, str], xlabel: tuple[str, str]
) -> plt.Figure:
    counts = counts.sort_values()
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(counts) + 1.2))
    labels = [vocab_label(vocabulary, c) for c in counts.index]
    ax.barh(labels, counts.to_numpy(), color="#3c6e9f")
    for y, v in enumerate(counts.to_numpy()):
        ax.text(v, y, f" {v:g}", va="center", fontsize=8)
    ax.set_xlabel(text(*xlabel))
    ax.set_title(text(*title))
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, d)


def education(d: District) -> plt.Figure:
    """Secretaries in post by education level."""
    counts = d.in_post["education"].value_counts().reindex(EDUCATION.codes, fill_value=0)
    fig = _bars(d, counts, "education", ("学历", "Education"), ("书记人数", "Secretaries"))
    return fig


def community_types(d: District) -> plt.Figure:
    """Secretaries in post by community type."""
    counts = d.in_post["community_type"].value_counts().reindex(COMMUNITY_TYPES.codes, fill_value=0)
    return _bars(
        d, counts, "community_type", ("小区类型", "Community types"), ("居民区数", "Communities")
    )


def challenges(d: District) -> plt.Figure:
    """Share of secretaries in post who name each challenge."""
    post = d.in_post
    counts = pd.Series(
        {c: post["challenges"].map(lambda ch, c=c: c in ch).mean() * 100 for c in CHALLENGES.codes}
    ).round(1)
    return _bars(
        d,
        counts,
        "challenge",
        ("主要难题", "Main challenges"),
        ("提及该难题的书记占比（%）", "Secretaries naming it (%)"),
    )


def by_street_town(d: District) -> plt.Figure:
    """Secretaries in post per sub-district/town, split by who needs a mentor."""
    post = d.in_post
    table = (
        post.groupby(["street_town", "needs_mentor"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=STREET_TOWNS.codes, columns=[False, True], fill_value=0)
    )
    fig, ax = plt.subplots(figsize=(8, 3.8))
    x = np.arange(len(table))
    ax.bar(x, table[False], color="#9aa9bd", label=text("无需带教", "no mentor needed"))
    ax.bar(
        x,
        table[True],
        bottom=table[False],
        color="#d1495b",
        label=text("需要带教", "needs a mentor"),
    )
    lang = language()
    ax.set_xticks(
        x, [vocab_label("street_town", c, lang) for c in table.index], rotation=35, ha="right"
    )
    ax.set_ylabel(text("书记人数", "Secretaries"))
    ax.set_title(text("各街镇在任书记", "Secretaries in post by sub-district/town"))
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, d)
