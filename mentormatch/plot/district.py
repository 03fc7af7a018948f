"""Charts of a District: who the secretaries are, where, and what they face.

Every chart counts the secretaries in post, has a fixed size whatever the roster's
(the categories are those of :mod:`mentormatch.vocab`, so a city has as many bars as a
district), and says in words when there is nothing to count.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator, PercentFormatter

from mentormatch.district import District
from mentormatch.plot import finish, language, nothing, text, vocab_label
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES, EDUCATION, STREET_TOWNS

__all__ = [
    "birth_years",
    "education",
    "community_types",
    "challenges",
    "by_street_town",
]

_NOBODY = ("名册中没有在任书记", "No secretary in post in this roster")


def _finish(fig: plt.Figure, d: District) -> plt.Figure:
    return finish(fig, d.synthetic)


def _nothing(d: District, title: tuple[str, str], message: tuple[str, str]) -> plt.Figure:
    return nothing(d.synthetic, title, message)


def _counted(n: int) -> tuple[str, str]:
    return f"（{n:,}人）", f" ({n:,})"


def birth_years(d: District) -> plt.Figure:
    """Histogram of birth years of secretaries in post, marking the 1980 cohort line."""
    title = ("在任书记的出生年份", "Birth years of secretaries in post")
    years = pd.to_numeric(d.in_post["birth_year"], errors="coerce").dropna().to_numpy(int)
    if len(years) == 0:
        return _nothing(d, title, _NOBODY)
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    bins = np.arange(years.min(), years.max() + 2) - 0.5
    young = years >= 1980
    heights, _, _ = ax.hist(
        [years[~young], years[young]],
        bins=bins,
        stacked=True,
        color=["#9aa9bd", "#d1495b"],
        label=[
            text("1980年前出生", "born before 1980"),
            text(f"80后、90后（{young.mean():.0%}）", f"born 1980 or later ({young.mean():.0%})"),
        ],
    )
    if years.min() < 1980 <= years.max():
        ax.axvline(1979.5, color="0.3", lw=1, ls="--")
    # Room above the bars for the legend, so that it covers none of them.
    ax.set_ylim(0, max(1.0, float(np.max(heights))) * 1.3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(text("出生年份", "Birth year"))
    ax.set_ylabel(text("书记人数", "Secretaries"))
    zh, en = _counted(len(years))
    ax.set_title(text(title[0] + zh, title[1] + en))
    ax.legend(frameon=False, loc="upper left", ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, d)


def _bars(
    d: District,
    counts: pd.Series,
    vocabulary: str,
    title: tuple[str, str],
    xlabel: tuple[str, str],
    *,
    percent: bool = False,
) -> plt.Figure:
    """Horizontal bars, one per category of ``vocabulary``, largest on top."""
    n = len(d.in_post)
    if n == 0:
        return _nothing(d, title, _NOBODY)
    counts = counts.sort_values(kind="stable")
    values = counts.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(counts) + 1.4))
    labels = [vocab_label(vocabulary, c) for c in counts.index]
    ax.barh(labels, values, color="#3c6e9f")
    for y, v in enumerate(values):
        ax.text(v, y, f" {v:.1f}%" if percent else f" {v:,.0f}", va="center", fontsize=8)
    # Room on the right for the value written after the longest bar.
    ax.set_xlim(0, max(values.max(), 1.0) * 1.15)
    if percent:
        ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(text(*xlabel))
    zh, en = _counted(n)
    ax.set_title(text(title[0] + zh, title[1] + en))
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, d)


def education(d: District) -> plt.Figure:
    """Secretaries in post by education level."""
    counts = d.in_post["education"].value_counts().reindex(EDUCATION.codes, fill_value=0)
    return _bars(
        d,
        counts,
        "education",
        ("在任书记的学历", "Education of secretaries in post"),
        ("书记人数", "Secretaries"),
    )


def community_types(d: District) -> plt.Figure:
    """Secretaries in post by community type."""
    counts = d.in_post["community_type"].value_counts().reindex(COMMUNITY_TYPES.codes, fill_value=0)
    return _bars(
        d,
        counts,
        "community_type",
        ("在任书记所在居民区的小区类型", "Community types of secretaries in post"),
        ("居民区数", "Communities"),
    )


def challenges(d: District) -> plt.Figure:
    """Share of secretaries in post who name each challenge."""
    post = d.in_post
    # Each secretary counted once per challenge named.
    named = post["challenges"].map(set).explode().dropna()
    share = named.value_counts() / max(len(post), 1) * 100
    counts = share.reindex(CHALLENGES.codes, fill_value=0.0).astype(float).round(1)
    return _bars(
        d,
        counts,
        "challenge",
        ("在任书记面临的主要难题", "Main challenges named by secretaries in post"),
        ("提及该难题的书记占比", "Secretaries naming it"),
        percent=True,
    )


def by_street_town(d: District) -> plt.Figure:
    """Secretaries in post per sub-district/town, split by who needs a mentor.

    Sub-districts and towns without a secretary in post are left out."""
    title = ("各街镇在任书记", "Secretaries in post by sub-district/town")
    post = d.in_post
    if post.empty:
        return _nothing(d, title, _NOBODY)
    table = (
        post.groupby(["street_town", "needs_mentor"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=STREET_TOWNS.codes, columns=[False, True], fill_value=0)
    )
    table = table[table.sum(axis=1) > 0]
    fig, ax = plt.subplots(figsize=(8, 4.2))
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
    pad = 0.6 + max(0, 3 - len(table)) / 2  # one unit alone: a bar, not a wall
    ax.set_xlim(-pad, len(table) - 1 + pad)
    ax.set_ylim(0, table.sum(axis=1).max() * 1.25)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(text("街镇", "Sub-district/town"))
    ax.set_ylabel(text("书记人数", "Secretaries"))
    zh, en = _counted(len(post))
    ax.set_title(text(title[0] + zh, title[1] + en))
    ax.legend(frameon=False, loc="upper left", ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, d)
