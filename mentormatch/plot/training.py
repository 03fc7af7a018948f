"""Training and supervision charts: seats against demand per elective, need met per
dimension, a mentor's visit calendar and the effect of electives against the truth."""

from __future__ import annotations

import calendar

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.evaluate.outcomes import TrainingEffect
from mentormatch.plot import finish, language, nothing, text, vocab_label
from mentormatch.vocab import DIMENSIONS

__all__ = ["seats", "need_met", "visit_calendar", "training_effect"]

_SEATS, _DEMAND, _FILLED = "#9fb7d0", "#d1495b", "#3c6e9f"
_GREEDY, _TRUTH = "#edae49", "#2a9d3f"


def _topic(code: object, lang: str) -> str:
    if not isinstance(code, str):
        return text("综合", "General", lang)
    return vocab_label("topic", code, lang)


def seats(plan, synthetic: bool = False) -> plt.Figure:
    """Per elective of the plan year: its seats, how many secretaries need it (need > 0)
    and how many seats the plan fills."""
    lang = language()
    title = (f"{plan.year}年双月选训：名额与需求", f"Electives {plan.year}: seats and demand")
    s = plan.seats()
    if s.empty:
        return nothing(synthetic, title, ("本年度没有双月选训课程", "No elective this year"))
    demand = s["in_need"].to_numpy()
    names = [
        f"{m[5:].lstrip('0')}{text('月', '', lang)} {_topic(t, lang)}"
        if lang == "zh"
        else f"{calendar.month_abbr[int(m[5:])]} {_topic(t, lang)}"
        for m, t in zip(s["month"], s["topic"], strict=True)
    ]
    y = np.arange(len(s))[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(s) + 1.8))
    ax.barh(y, s["capacity"], color=_SEATS, height=0.7, label=text("名额", "Seats", lang))
    ax.barh(y, s["filled"], color=_FILLED, height=0.35, label=text("已安排", "Filled", lang))
    ax.scatter(
        demand, y, color=_DEMAND, zorder=3, marker="D", label=text("有需求的书记", "In need", lang)
    )
    # Filled of seats beside each name: clear of the bars and the demand markers.
    names = [
        f"{n}（{f}/{c}）" if lang == "zh" else f"{n} ({f}/{c})"
        for n, f, c in zip(names, s["filled"], s["capacity"], strict=True)
    ]
    ax.set_yticks(y, names)
    ax.set_xlabel(text("人数", "Secretaries", lang))
    ax.set_xlim(0, max(s["capacity"].max(), demand.max()) * 1.15 + 1)
    ax.set_title(text(*title, lang))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return finish(fig, synthetic)


def _topic_need(plan) -> pd.DataFrame:
    """Per topic: the need of everyone (each secretary's largest need among the topic's
    sessions), the need the plan meets and the need the greedy baseline meets."""
    topic = plan.sessions.set_index("session_id")["topic"]
    rows = []
    for code in dict.fromkeys(plan.sessions["topic"]):
        ids = topic.index[topic == code]
        wanted = float(plan.needs[ids].max(axis=1).fillna(0).sum())
        met = float(plan.attendance.loc[plan.attendance["session_id"].isin(ids), "need"].sum())
        greedy = float(plan.greedy.loc[plan.greedy["session_id"].isin(ids), "need"].sum())
        rows.append((code, wanted, met, greedy))
    frame = pd.DataFrame(rows, columns=["topic", "wanted", "met", "greedy"])
    rank = {c: i for i, c in enumerate(DIMENSIONS.codes)}
    return frame.sort_values("topic", key=lambda t: t.map(lambda c: rank.get(c, 9)), kind="stable")


def need_met(plan, synthetic: bool = False) -> plt.Figure:
    """Per topic of the year's electives (the four dimensions first): the need of every
    secretary, the need the plan meets and what the greedy baseline would meet."""
    lang = language()
    title = (
        f"{plan.year}年双月选训：各主题需求满足情况",
        f"Electives {plan.year}: need met by topic",
    )
    if plan.sessions.empty:
        return nothing(synthetic, title, ("本年度没有双月选训课程", "No elective this year"))
    t = _topic_need(plan)
    x = np.arange(len(t))
    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.bar(x - 0.27, t["wanted"], 0.27, color=_SEATS, label=text("全部需求", "All need", lang))
    ax.bar(x, t["met"], 0.27, color=_FILLED, label=text("本方案满足", "Met by the plan", lang))
    ax.bar(
        x + 0.27,
        t["greedy"],
        0.27,
        color=_GREEDY,
        label=text("贪心分配满足", "Met by greedy", lang),
    )
    for xi, wanted, met in zip(x, t["wanted"], t["met"], strict=True):
        share = met / wanted if wanted > 0 else 0.0
        ax.text(xi, max(wanted, met) * 1.02, f"{share:.0%}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, [_topic(c, lang) for c in t["topic"]], rotation=20, ha="right")
    ax.set_ylabel(text("需求（分）", "Need (points)", lang))
    ax.set_title(text(*title, lang))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return finish(fig, synthetic)


def visit_calendar(d: District, schedule: pd.DataFrame, mentor_id: str | None = None) -> plt.Figure:
    """One mentor's year of on-site visits (实地督训): a row per month, a column per day,
    each visiting day marked with its number of visits. Default: the mentor with the
    most visits (the first in the roster on a tie)."""
    lang = language()
    if schedule.empty:
        return nothing(
            d.synthetic,
            ("实地督训日历", "On-site visit calendar"),
            ("方案中没有安排带教的书记，无需走访", "The plan places nobody: no visit to make"),
        )
    if mentor_id is None:
        counts = schedule.groupby("mentor_id", sort=False).size()
        mentor_id = counts.idxmax()
    mine = schedule[schedule["mentor_id"] == mentor_id]
    name = d.mentors.set_index("mentor_id")["name"].get(mentor_id, mentor_id)
    dates = pd.to_datetime(mine["date"])
    year = int(dates.dt.year.iloc[0])
    per_day = dates.value_counts()
    fig, ax = plt.subplots(figsize=(10, 4.6))
    grid = np.full((12, 31), np.nan)
    for day, n in per_day.items():
        grid[day.month - 1, day.day - 1] = n
    for m in range(12):
        days = calendar.monthrange(year, m + 1)[1]
        for k in range(31):
            weekend = k < days and calendar.weekday(year, m + 1, k + 1) >= 5
            if k >= days:
                continue
            face = "0.85" if weekend else "white"
            ax.add_patch(plt.Rectangle((k, 11 - m), 1, 1, facecolor=face, edgecolor="0.8", lw=0.4))
            if np.isfinite(grid[m, k]):
                ax.add_patch(
                    plt.Rectangle(
                        (k, 11 - m), 1, 1, facecolor=_FILLED, alpha=0.35 + 0.2 * grid[m, k]
                    )
                )
                ax.text(
                    k + 0.5,
                    11.5 - m,
                    f"{int(grid[m, k])}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white",
                )
    ax.set_xlim(0, 31)
    ax.set_ylim(0, 12)
    months = [f"{m}月" for m in range(1, 13)] if lang == "zh" else list(calendar.month_abbr)[1:]
    ax.set_yticks(np.arange(12) + 0.5, months[::-1])
    ax.set_xticks(np.arange(31) + 0.5, [str(k) for k in range(1, 32)], fontsize=7)
    ax.set_xlabel(
        text(
            "日（灰色为周末；数字为当天走访人数）",
            "Day (grey: weekend; number: visits that day)",
            lang,
        )
    )
    ax.tick_params(length=0)
    n_mentees = mine["secretary_id"].nunique()
    fig.suptitle(text(f"实地督训日历（{year}年）", f"On-site visit calendar, {year}", lang))
    # The mentor's name (Chinese data in an English chart too) under the title.
    ax.set_title(
        text(
            f"带教老师：{name}；{n_mentees} 名书记，{len(mine)} 次走访，{len(per_day)} 个走访日",
            f"Mentor: {name}; {n_mentees} mentees, {len(mine)} visits on {len(per_day)} days",
            lang,
        ),
        fontsize=10,
    )
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    return finish(fig, d.synthetic)


def training_effect(result: TrainingEffect) -> plt.Figure:
    """The effect of one elective on the dimension it trained, per dimension and
    overall, with 95% intervals, and the true effect when it is known."""
    lang = language()
    b = result.by_dimension
    labels = [vocab_label("dimension", c, lang) for c in b["dimension"]]
    labels.append(text("四个维度合计", "All four dimensions", lang))
    est = [*b["estimate"], result.estimate]
    low = [*b["ci_low"], result.ci_low]
    high = [*b["ci_high"], result.ci_high]
    y = np.arange(len(labels))[::-1]
    fig, ax = plt.subplots(figsize=(10, 3.6))
    for k, (e, lo, hi) in enumerate(zip(est, low, high, strict=True)):
        if not np.isfinite(e):
            continue
        last = k == len(est) - 1
        ax.errorbar(
            e,
            y[k],
            xerr=[[e - lo], [hi - e]],
            fmt="D" if last else "o",
            color="black" if last else _FILLED,
            capsize=3,
        )
    ax.axvline(0, color="0.6", lw=0.8)
    if result.truth is not None:
        truth = text(
            f"合成数据的真实效应：{result.truth:g} 分",
            f"True effect (synthetic data): {result.truth:g} points",
            lang,
        )
        ax.axvline(result.truth, color=_TRUTH, ls="--", label=truth)
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_yticks(y, labels)
    ax.set_xlabel(
        text(
            "参加一次该维度选训后，下一年度该维度得分的变化（分，95% 区间）",
            "Change of the dimension by the next wave per elective on it (points, 95% interval)",
            lang,
        )
    )
    ax.set_title(
        text("双月选训对所训维度的影响", "Effect of an elective on the dimension it trained", lang)
    )
    ax.spines[["top", "right"]].set_visible(False)
    return finish(fig, result.synthetic)
