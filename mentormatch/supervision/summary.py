"""The supervision calendar at a glance: visits per mentor per month
(:func:`summary_frame`), the headline figures (:func:`visit_figures`) and a sentence
(:func:`describe`)."""

from __future__ import annotations

import pandas as pd

from mentormatch.supervision.words import rhythm

__all__ = ["summary_frame", "visit_figures", "describe"]


def _year(schedule: pd.DataFrame) -> int | None:
    if schedule.empty:
        return None
    return int(str(schedule["month"].iloc[0])[:4])


def summary_frame(schedule: pd.DataFrame) -> pd.DataFrame:
    """Visits per mentor per month: one row per mentor with visits (in the schedule's
    order), one column per month of the year ("YYYY-MM", all twelve), whole numbers.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> from mentormatch.supervision import visit_schedule
    >>> plan = mm.match(d)
    >>> t = summary_frame(visit_schedule(d, plan))
    >>> t.shape[1], t.columns[0]
    (12, '2025-01')
    >>> int(t.to_numpy().sum()) == 4 * len(plan.assignment)
    True
    """
    year = _year(schedule)
    months = [f"{year}-{m:02d}" for m in range(1, 13)] if year is not None else []
    mentors = pd.unique(schedule["mentor_id"])
    counts = schedule.groupby(["mentor_id", "month"], sort=False).size()
    table = counts.unstack("month").reindex(index=mentors, columns=months).fillna(0)
    table = table.astype("int64")
    table.index.name, table.columns.name = "mentor_id", "month"
    return table


def visit_figures(schedule: pd.DataFrame) -> pd.Series:
    """The calendar's headline figures: ``year``, ``mentors``, ``mentees``, ``visits``
    (in all), ``visits_per_mentee``, ``days`` (mentor-days out), ``days_per_mentor``
    (mean) and ``days_per_mentor_max``, visits per mentor per month (``per_month_mean``
    over mentors with visits and all twelve months, ``per_month_max``),
    ``per_day_mean`` and ``per_day_max``.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> from mentormatch.supervision import visit_schedule
    >>> f = visit_figures(visit_schedule(d, mm.match(d)))
    >>> int(f["visits_per_mentee"]), int(f["per_day_max"]) <= 3
    (4, True)
    """
    if schedule.empty:
        return pd.Series(
            {"year": None, "mentors": 0, "mentees": 0, "visits": 0, "days": 0}, dtype=object
        )
    per_mentee = schedule.groupby("secretary_id").size()
    day_sizes = schedule.groupby(["mentor_id", "date"]).size()
    days = day_sizes.groupby(level="mentor_id").size()
    monthly = summary_frame(schedule)
    return pd.Series(
        {
            "year": _year(schedule),
            "mentors": int(schedule["mentor_id"].nunique()),
            "mentees": int(len(per_mentee)),
            "visits": int(len(schedule)),
            "visits_per_mentee": float(per_mentee.mean()),
            "days": int(len(day_sizes)),
            "days_per_mentor": float(days.mean()),
            "days_per_mentor_max": int(days.max()),
            "per_month_mean": float(monthly.to_numpy().mean()),
            "per_month_max": int(monthly.to_numpy().max()),
            "per_day_mean": float(day_sizes.mean()),
            "per_day_max": int(day_sizes.max()),
        },
        dtype=object,
    )


def describe(schedule: pd.DataFrame, lang: str = "zh") -> str:
    """The calendar in one or two sentences, in ``lang``.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> from mentormatch.supervision import visit_schedule
    >>> print(describe(visit_schedule(d, mm.match(d)), "en"))  # doctest: +ELLIPSIS
    On-site visits in 2025: 13 mentors visit their 65 mentees once a quarter, ...
    """
    zh = lang == "zh"
    if schedule.empty:
        return (
            "没有安排实地走访：结对方案中没有已结对的书记。"
            if zh
            else "No on-site visits: the plan places no mentee."
        )
    f = visit_figures(schedule)
    visits = int(schedule["visit_no"].max())
    how = rhythm(visits, lang)
    if zh:
        return (
            f"{f['year']} 年实地督训：{f['mentors']} 位带教老师走访所带的 {f['mentees']} 名书记，"
            f"每人{how}，共 {f['visits']} 次、{f['days']} 个走访日。每位带教老师平均每月走访 "
            f"{f['per_month_mean']:.1f} 次（单月最多 {f['per_month_max']} 次），全年平均 "
            f"{f['days_per_mentor']:.1f} 个走访日；一天最多走访 {f['per_day_max']} 次，"
            "同一天的走访都在同一街镇及其相邻街镇。"
        )
    return (
        f"On-site visits in {f['year']}: {f['mentors']} mentors visit their {f['mentees']} "
        f"mentees {how}, {f['visits']} visits on {f['days']} days out. A mentor makes "
        f"{f['per_month_mean']:.1f} visits a month on average (at most {f['per_month_max']} "
        f"in a month) on {f['days_per_mentor']:.1f} days a year; at most "
        f"{f['per_day_max']} visits on one day, all in one sub-district or town and its "
        "neighbours."
    )
