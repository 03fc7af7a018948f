"""What the programme achieved: strategies against baselines with intervals, the event
study of the effect of mentoring, and the effect against the pair score (dose)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import PercentFormatter

from mentormatch.evaluate.baselines import STRATEGIES, StrategyComparison
from mentormatch.evaluate.outcomes import DoseResponse, EventStudy
from mentormatch.plot import language, text
from mentormatch.plot.evaluate._common import (
    _COLOURS,
    _TRUTH,
    _finish,
    _label,
    _legend_right,
    _nothing,
)


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
