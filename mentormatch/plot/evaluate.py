"""Charts of the evaluation: capacity profiles, strategies, effects, retention, rare events.

Every function takes a District or a result of :mod:`mentormatch.evaluate` and returns
a matplotlib Figure; charts of synthetic data say so. Residents' QR scores appear only
through :func:`mentormatch.capacity_index`, which withholds those behind too few raters.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator, PercentFormatter

from mentormatch.assess import GRADE_BANDS, capacity_index
from mentormatch.district import District
from mentormatch.evaluate.baselines import STRATEGIES, StrategyComparison
from mentormatch.evaluate.needs import explain, missing
from mentormatch.evaluate.outcomes import DoseResponse, EventStudy
from mentormatch.evaluate.retention import COHORTS, GROUPS, RareEvents, Retention
from mentormatch.plot import finish, language, nothing, text, vocab_label
from mentormatch.vocab import DIMENSIONS

__all__ = [
    "capacity_profile",
    "capacity_by_group",
    "capacity_secretary",
    "strategies",
    "event_time",
    "dose_response",
    "retention",
    "rare_events",
]

_COLOURS = ("#3c6e9f", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f")
_TRUTH = "#2a9d3f"
#: At most this many rows in :func:`capacity_by_group` (the largest groups beyond).
MAX_GROUPS = 30


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


def _p(value: float) -> str:
    if not np.isfinite(value):
        return ""
    return "p<0.001" if value < 0.001 else f"p={value:.3f}"


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


def strategies(comparison: StrategyComparison) -> plt.Figure:
    """Mean score and challenge coverage of each strategy, with 95% intervals.

    Planned strategies show bootstrap intervals over mentees; the random baseline shows
    the middle 95% of the random plans (shaded).
    """
    t = comparison.table
    lang = language()
    title = ("各策略对比", "Strategies compared")
    if t.empty:
        return _nothing(
            comparison.synthetic, title, text("没有可比较的策略", "No strategy to compare")
        )
    panels = (
        ("mean_score", ("平均匹配分", "Mean pair score"), ("匹配分（0–1）", "Score (0–1)")),
        (
            "coverage_mentor_and_base",
            ("难题覆盖率（老师+基地）", "Challenge coverage (mentor + base)"),
            ("难题覆盖率", "Challenges covered"),
        ),
    )
    fig, axes = plt.subplots(1, 2, figsize=(10, min(10.0, 0.45 * len(t) + 2.0)), sharey=True)
    y = np.arange(len(t))[::-1]
    names = [text(*STRATEGIES[k], lang) if k in STRATEGIES else str(k) for k in t.index]
    for ax, (col, heading, xlabel) in zip(axes, panels, strict=True):
        for k, (code, row) in enumerate(t.iterrows()):
            if col not in row or not np.isfinite(row[col]):
                continue
            low, high = row.get(f"{col}_low", np.nan), row.get(f"{col}_high", np.nan)
            if not (np.isfinite(low) and np.isfinite(high)):
                low = high = row[col]
            if code == "random":
                ax.axvspan(low, high, color="0.85", zorder=0)
            ax.errorbar(
                row[col],
                y[k],
                xerr=[[row[col] - low], [high - row[col]]],
                fmt="o",
                color="0.5" if code == "random" else _COLOURS[k % len(_COLOURS)],
                capsize=3,
            )
        if col.startswith("coverage"):
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel(text(*xlabel, lang))
        ax.set_title(_label(heading))
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_yticks(y, names)
    axes[0].set_ylabel(text("策略", "Strategy", lang))
    baseline = (
        text(f"随机方案 {comparison.n_random:,} 个", f"{comparison.n_random:,} random plans", lang)
        if comparison.n_random
        else text("未与随机方案比较", "no random baseline", lang)
    )
    fig.suptitle(
        text(f"{title[0]}（95%区间；{baseline}）", f"{title[1]} (95% intervals; {baseline})", lang)
    )
    return _finish(fig, comparison.synthetic)


def _event_label(label: object) -> str:
    """ "<=-4" as "≤-4": the reader's symbols, not the program's."""
    return str(label).replace("<=", "≤").replace(">=", "≥")


def event_time(study: EventStudy) -> plt.Figure:
    """Effect by year relative to the start of mentoring, with clustered 95% intervals."""
    t = study.table
    lang = language()
    title = (
        "带教效应的事件研究（双向固定效应，按书记聚类）",
        "Event study of mentoring (two-way FE, clustered by secretary)",
    )
    if t.empty:
        return _nothing(
            study.synthetic, title, text("没有可估计的年份", "No year to estimate", lang)
        )
    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.axhline(0, color="0.6", lw=0.8)
    ax.axvline(-0.5, color="0.6", lw=0.8, ls=":")
    est = t[t["event_time"] != -1]
    ax.errorbar(
        est["event_time"],
        est["estimate"],
        yerr=[est["estimate"] - est["ci_low"], est["ci_high"] - est["estimate"]],
        fmt="o",
        color=_COLOURS[0],
        capsize=3,
        label=text("估计值（95%区间）", "estimate (95% CI)", lang),
    )
    ref = t[t["event_time"] == -1]
    ax.plot(
        ref["event_time"],
        ref["estimate"],
        "o",
        mfc="white",
        color=_COLOURS[0],
        label=text("参照年（带教前一年）", "reference (year before)", lang),
    )
    att = study.att
    post = t["event_time"] >= 0
    if post.any() and np.isfinite(att.estimate):
        xs = (t.loc[post, "event_time"].min() - 0.4, t.loc[post, "event_time"].max() + 0.4)
        ax.fill_between(
            xs,
            att.ci_low,
            att.ci_high,
            color=_COLOURS[0],
            alpha=0.15,
            lw=0,
            label=text(f"总体效应 {att.estimate:+.2f}", f"pooled ATT {att.estimate:+.2f}", lang),
        )
    if study.truth is not None:
        ax.step(
            t["event_time"],
            t["truth"],
            where="mid",
            color=_TRUTH,
            ls="--",
            label=text(f"真实效应 {study.truth:+.1f}", f"true effect {study.truth:+.1f}", lang),
        )
    ax.set_xticks(t["event_time"], [_event_label(v) for v in t["label"]])
    ax.set_xlabel(text("相对带教起始年的年数", "Years since mentoring began", lang))
    ax.set_ylabel(text("组织力指数变化（分）", "Change in capacity index (points)", lang))
    ax.set_title(text(*title, lang))
    _legend_right(ax)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, study.synthetic)


def dose_response(result: DoseResponse) -> plt.Figure:
    """Each mentored secretary's own effect against the pair score, with the fitted line.

    When there are too few secretaries for an estimate, the points are drawn with the
    reason as subtitle.
    """
    lang = language()
    people = result.people.dropna(subset=["own_effect", "dose"])
    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.scatter(
        people["dose"],
        people["own_effect"],
        s=14 if len(people) <= 1000 else 5,
        color=_COLOURS[0],
        alpha=0.7 if len(people) <= 1000 else 0.4,
        label=text("单个书记（噪声大）", "one secretary (noisy)", lang),
    )
    if len(people):
        xs = np.linspace(people["dose"].min(), people["dose"].max(), 50)
    else:
        xs = np.linspace(0, 1, 50)
    if np.isfinite(result.slope):
        fitted = result.effect + result.slope * (xs - result.mean_dose) / 0.1
        ax.plot(
            xs,
            fitted,
            color=_COLOURS[1],
            label=text(
                f"拟合：每0.1分 {result.slope:+.2f}",
                f"fit: {result.slope:+.2f} per 0.1 of score",
                lang,
            ),
        )
    if result.truth is not None:
        ax.axhline(
            result.truth,
            color=_TRUTH,
            ls="--",
            label=text("真实效应（与匹配分无关）", "true effect (same at every score)", lang),
        )
    ax.set_xlabel(text("匹配分（剂量）", "Pair score (dose)", lang))
    ax.set_ylabel(text("带教后指数高于预测（分）", "Index above its prediction (points)", lang))
    title = text(
        f"带教效应与匹配分（{len(people):,}名书记）",
        f"Effect of mentoring against pair score ({len(people):,} secretaries)",
        lang,
    )
    if result.note:
        title += "\n" + text(
            f"仅 {result.n_with_dose} 名书记有匹配分，无法估计",
            f"only {result.n_with_dose} secretaries with a score: no estimate",
            lang,
        )
    ax.set_title(title, fontsize=10)
    _legend_right(ax)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, result.synthetic)


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
