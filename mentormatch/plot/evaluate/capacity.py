"""The capacity index: by dimension and wave, by group (a cluster, a cohort...) and one
secretary's profile against the district."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from mentormatch.assess import GRADE_BANDS, capacity_index
from mentormatch.district import District
from mentormatch.plot import language, text, vocab_label
from mentormatch.plot.evaluate._common import _COLOURS, _finish, _legend_right, _missing, _nothing
from mentormatch.vocab import DIMENSIONS

#: At most this many rows in :func:`capacity_by_group` (the largest groups beyond).
MAX_GROUPS = 30


def capacity_profile(d: District) -> plt.Figure:
    """Mean capacity index by wave, one line per dimension and one for the overall index.

    >>> import mentormatch as mm
    >>> fig = capacity_profile(mm.synthesize_district(seed=1))
    >>> len(fig.axes[0].lines)
    5
    """
    title = ("组织力指数：各维度年度均值", "Capacity index by dimension and wave")
    if (fig := _missing(d, "capacity", title)) is not None:
        return fig
    ci = capacity_index(d)
    means = ci.groupby("wave")[[*DIMENSIONS.codes, "overall"]].mean()
    counts = ci.groupby("wave").size()
    fig, ax = plt.subplots(figsize=(9, 4.2))
    lang = language()
    for colour, code in zip(_COLOURS, DIMENSIONS.codes, strict=False):
        ax.plot(
            means.index,
            means[code],
            marker="o",
            ms=3,
            color=colour,
            label=vocab_label("dimension", code, lang),
        )
    ax.plot(
        means.index,
        means["overall"],
        color="0.2",
        lw=2.2,
        ls="--",
        label=text("综合指数", "overall index", lang),
    )
    ax.set_xticks(
        means.index,
        [f"{w}\n(n={counts[w]:,})" for w in means.index],
        fontsize=8 if len(means) <= 10 else 6,
    )
    ax.set_xlabel(text("测评年度（参评书记数）", "Assessment wave (secretaries assessed)", lang))
    ax.set_ylabel(text("平均得分（0-100）", "Mean score (0-100)", lang))
    ax.set_title(text(*title, lang))
    _legend_right(ax)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, d.synthetic)


def capacity_by_group(
    d: District,
    groups: pd.Series,
    *,
    name: tuple[str, str] = ("组", "group"),
) -> plt.Figure:
    """Mean capacity index per dimension (latest wave of each secretary) by group.

    Parameters
    ----------
    d : District
    groups : Series
        ``secretary_id`` -> group label (a cluster, a cohort, ...).
    name : (str, str)
        What a group is called, in Chinese and English (rows read "cluster 1", ...).

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> cohort = d.secretaries.set_index("secretary_id")["birth_year"] >= 1980
    >>> fig = capacity_by_group(d, cohort.map({True: "1980+", False: "<1980"}))
    >>> fig.axes[0].get_ylabel() != ""
    True
    """
    title = ("各组最近一次测评的组织力指数均值", "Capacity index by group (latest wave)")
    if (fig := _missing(d, "capacity", title)) is not None:
        return fig
    lang = language()
    ci = capacity_index(d).sort_values(["secretary_id", "wave"])
    latest = ci.groupby("secretary_id").tail(1).set_index("secretary_id")
    latest = latest.join(groups.rename("group"), how="inner")
    if latest.empty:
        return _nothing(
            d.synthetic,
            title,
            text("没有受测评的书记属于这些组", "No assessed secretary in these groups", lang),
        )
    columns = [*DIMENSIONS.codes, "overall"]
    table = latest.groupby("group")[columns].mean()
    counts = latest.groupby("group").size()
    heading = text(*title, lang)
    if len(table) > MAX_GROUPS:
        # The largest groups, in their own order.
        keep = counts.sort_values(ascending=False, kind="stable").index[:MAX_GROUPS]
        heading += text(
            f"\n人数最多的{MAX_GROUPS}组（共{len(table):,}组）",
            f"\nthe {MAX_GROUPS} largest of {len(table):,} groups",
            lang,
        )
        table = table.loc[[g for g in table.index if g in set(keep)]]
    values = table.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(9, min(12.0, 0.4 * len(table) + 2.2)))
    image = ax.imshow(values, cmap="Blues", aspect="auto")
    middle = np.nanmean(values) if np.isfinite(values).any() else 0.0
    for (r, c), value in np.ndenumerate(values):
        ax.text(
            c,
            r,
            f"{value:.1f}" if np.isfinite(value) else "—",
            ha="center",
            va="center",
            fontsize=8,
            color="white" if np.isfinite(value) and value > middle else "black",
        )
    ax.set_xticks(
        range(len(columns)),
        [vocab_label("dimension", c, lang) for c in DIMENSIONS.codes]
        + [text("综合", "overall", lang)],
        rotation=20,
        ha="right",
    )
    ax.set_yticks(
        range(len(table)),
        # Numbered groups read "cluster 3"; named ones read by their name.
        [
            f"{g} (n={counts[g]:,})"
            if isinstance(g, str) and not g.isdigit()
            else f"{text(*name, lang)} {g} (n={counts[g]:,})"
            for g in table.index
        ],
        fontsize=8 if len(table) <= 15 else 7,
    )
    ax.set_xlabel(text("组织力维度", "Capacity dimension", lang))
    ax.set_ylabel(text(*name, lang))
    ax.set_title(heading)
    fig.colorbar(
        image, ax=ax, shrink=0.8, label=text("平均得分（0-100）", "Mean score (0-100)", lang)
    )
    return _finish(fig, d.synthetic)


def capacity_secretary(d: District, secretary_id: str) -> plt.Figure:
    """One secretary's capacity profile: each dimension at their latest wave (bars)
    against the district's mean at that wave (marks), with the grade.

    Residents' scores behind fewer than five raters are left out, as everywhere.

    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> fig = capacity_secretary(d, d.mentees["secretary_id"].iloc[0])
    >>> len(fig.axes[0].patches)
    5
    """
    lang = language()
    name = d.secretaries.set_index("secretary_id")["name"].get(secretary_id, secretary_id)
    title = (f"{name}的组织力画像", f"Capacity profile of {name}")
    if (fig := _missing(d, "capacity", title)) is not None:
        return fig
    ci = capacity_index(d)
    mine = ci[ci["secretary_id"] == secretary_id].sort_values("wave")
    if mine.empty:
        return _nothing(
            d.synthetic, title, text(f"{name}没有测评记录", f"{name} has no assessment", lang)
        )
    latest = mine.iloc[-1]
    columns = [*DIMENSIONS.codes, "overall"]
    district = ci[ci["wave"] == latest["wave"]][columns].mean()
    labels = [vocab_label("dimension", c, lang) for c in DIMENSIONS.codes] + [
        text("综合", "overall", lang)
    ]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    y = np.arange(len(columns))
    ax.barh(y, latest[columns].astype(float), color=[*_COLOURS[:4], "0.35"], height=0.6)
    ax.scatter(
        district.to_numpy(),
        y,
        marker="|",
        s=400,
        color="black",
        label=text("全区均值", "district mean", lang),
        zorder=3,
    )
    for yi, value in zip(y, latest[columns].astype(float), strict=True):
        label = f" {value:.1f}" if np.isfinite(value) else text(" 未测", " not assessed", lang)
        ax.text(value if np.isfinite(value) else 0, yi, label, va="center", fontsize=8)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    lowest = (
        np.nanmin(latest[columns].astype(float).to_numpy()) if latest[columns].notna().any() else 80
    )
    ax.set_xlim(max(0.0, float(lowest) - 20), 100)
    ax.set_xlabel(text("得分（0-100）", "Score (0-100)", lang))
    grade = {b[1]: (b[2] if lang == "zh" else b[3]) for b in GRADE_BANDS}.get(latest["grade"], "")
    ax.set_title(
        text(
            f"{name}的组织力画像（{int(latest['wave'])}年，{grade}）",
            f"Capacity profile of {name} ({int(latest['wave'])}, {grade})",
            lang,
        )
    )
    _legend_right(ax)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, d.synthetic)
