"""The rules a supervision calendar must keep, checked apart from making it
(:func:`check_schedule`): finding a calendar and proving it right are two jobs."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from mentormatch.supervision.days import Calendar, month_position
from mentormatch.vocab import NEIGHBOURS

__all__ = ["check_schedule", "RULES", "min_gap"]

#: The rules, in English words.
RULES = {
    "visits": "every placed mentee is visited the set number of times, by its own mentor",
    "window": "visit k falls in the k-th of the year's equal windows",
    "spacing": "two visits of one mentee lie at least min_gap(visits) days apart",
    "working_day": "visits fall on working days of the year",
    "per_day": "no mentor makes more than max_per_day visits on one day",
    "one_area": "one mentor's day lies within one sub-district or town and its neighbours",
    "order": "the visits of a mentor's day are numbered 1, 2, ... in order",
}


def min_gap(visits: int) -> int:
    """The least number of days between two visits of one mentee that the calendar
    promises: three quarters of a window's length (365 / ``visits`` days), the rest
    left for weekends, holidays and months of unequal length (one visit in the first
    days of October lands after National Day, the next in early November).

    >>> min_gap(4), min_gap(12)
    (68, 22)
    """
    return math.floor(0.75 * 365 / visits)


def check_schedule(
    d, plan, schedule: pd.DataFrame, *, visits: int = 4, max_per_day: int = 3, closed=()
) -> pd.DataFrame:
    """Every breach of :data:`RULES` in ``schedule``: one row per breach with ``rule``,
    ``mentor_id``, ``secretary_id`` (or missing), ``date`` (or missing) and ``detail``
    (English); empty when the calendar keeps every rule.

    Examples
    --------
    >>> import mentormatch as mm, pandas as pd
    >>> from mentormatch.supervision import visit_schedule
    >>> d = mm.synthesize_district(seed=1)
    >>> plan = pd.Series("M001", index=d.mentees["secretary_id"][:8])  # or mm.match(d)
    >>> s = visit_schedule(d, plan)
    >>> len(check_schedule(d, plan, s))
    0
    >>> check_schedule(d, plan, s.iloc[1:])["rule"].iloc[0]
    'visits'
    """
    from mentormatch.supervision.visits import _assignment

    out: list[tuple] = []
    assignment = _assignment(d, plan)
    got = schedule.groupby(["secretary_id", "mentor_id"]).size()
    for sid, mid in assignment.items():
        n = int(got.get((sid, mid), 0))
        if n != visits:
            out.append(("visits", mid, sid, None, f"visited {n} times, not {visits}"))
    wanted = set(assignment.items())
    for (sid, mid), n in got.items():
        if (sid, mid) not in wanted:
            out.append(("visits", mid, sid, None, f"{n} visits by a mentor not its own"))
    if schedule.empty:
        return _frame(out)
    days = [pd.Timestamp(x).date() for x in schedule["date"]]
    year = days[0].year
    working = set(Calendar(year, tuple(pd.Timestamp(c).date() for c in closed)).days)
    for row, day in zip(schedule.itertuples(index=False), days, strict=True):
        k = row.visit_no
        start, end = 12 * (k - 1) / visits, 12 * k / visits
        if not start <= month_position(day) < end or day.year != year:
            out.append(("window", row.mentor_id, row.secretary_id, day, f"visit {k} on {day}"))
        if day not in working:
            out.append(("working_day", row.mentor_id, row.secretary_id, day, f"{day}"))
        if row.month != f"{day.year}-{day.month:02d}":
            out.append(("window", row.mentor_id, row.secretary_id, day, f"month {row.month}"))
    frame = schedule.assign(day=days)
    gap = min_gap(visits)
    for sid, g in frame.groupby("secretary_id", sort=False):
        g = g.sort_values("visit_no", kind="stable")
        gaps = np.diff([x.toordinal() for x in g["day"]])
        if len(gaps) and gaps.min() < gap:
            mid = g["mentor_id"].iloc[0]
            out.append(("spacing", mid, sid, None, f"visits {int(gaps.min())} days apart"))
    for (mid, day), g in frame.groupby(["mentor_id", "day"], sort=False):
        if len(g) > max_per_day:
            out.append(("per_day", mid, None, day, f"{len(g)} visits"))
        units = set(g["street_town"])
        if not any(units <= {u} | NEIGHBOURS.get(u, frozenset()) for u in _anchors(units)):
            out.append(("one_area", mid, None, day, ", ".join(sorted(units))))
        if sorted(g["order"]) != list(range(1, len(g) + 1)):
            out.append(("order", mid, None, day, f"orders {sorted(g['order'])}"))
    return _frame(out)


def _anchors(units: set[str]) -> set[str]:
    """Every unit that could anchor a day visiting ``units``."""
    out = set(units)
    for u in units:
        out |= NEIGHBOURS.get(u, frozenset())
    return out


def _frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["rule", "mentor_id", "secretary_id", "date", "detail"]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame["date"] = [pd.Timestamp(x) if isinstance(x, dt.date) else pd.NaT for x in frame["date"]]
    return frame
