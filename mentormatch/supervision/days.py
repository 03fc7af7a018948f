"""The calendar of a supervision year: working days, the windows of the year, and where a
mentor's visit days fall in each window.

A *working day* is a Monday to Friday that is not closed. Closed by default are the
public holidays on fixed dates (:data:`FIXED_HOLIDAYS`: New Year's Day, 1 January;
Labour Day, 1-5 May; National Day, 1-7 October). The holidays that follow the lunar
calendar (Spring Festival, Qingming, Dragon Boat, Mid-Autumn) and the weekends worked
in exchange for a holiday (调休) are not modelled: pass their dates as ``closed``.

Dates are placed on the year's *month scale*: a day's position is its month (0 for
January) plus the share of the month gone before it (1 January is 0.0, 16 January
is 0.48, 1 February is 1.0, the year ends at 12.0). The ``visits`` windows are equal
stretches of that scale (with 4 visits, [0, 3), [3, 6), [6, 9), [9, 12): the quarters).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np

__all__ = ["FIXED_HOLIDAYS", "Calendar", "month_position", "spread"]

#: Public holidays on fixed dates, as (month, first day, last day), closed every year.
FIXED_HOLIDAYS: tuple[tuple[int, int, int], ...] = ((1, 1, 1), (5, 1, 5), (10, 1, 7))


def month_position(day: dt.date) -> float:
    """The day's position on the year's month scale (see the module's docstring).

    >>> import datetime as dt
    >>> month_position(dt.date(2025, 1, 1)), month_position(dt.date(2025, 3, 16))
    (0.0, 2.4838709677419355)
    """
    first = dt.date(day.year, day.month, 1)
    following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return (day.month - 1) + (day - first).days / (following - first).days


@dataclass(frozen=True)
class Calendar:
    """The working days of ``year`` (see the module's docstring), with their positions
    on the month scale.

    Examples
    --------
    >>> import datetime as dt
    >>> c = Calendar(2025)
    >>> len(c.days), c.days[0]
    (252, datetime.date(2025, 1, 2))
    >>> len(Calendar(2025, closed=(dt.date(2025, 1, 2),)).days)
    251
    """

    year: int
    closed: tuple[dt.date, ...] = ()

    @cached_property
    def days(self) -> tuple[dt.date, ...]:
        return _working_days(self.year, frozenset(self.closed))

    @cached_property
    def positions(self) -> np.ndarray:
        return np.array([month_position(day) for day in self.days], dtype=float)

    def windows(self, visits: int) -> list[tuple[float, float, list[dt.date], np.ndarray]]:
        """The year's ``visits`` windows: (start, end) on the month scale, the window's
        working days and their positions."""
        days, positions = self.days, self.positions
        out = []
        for k in range(visits):
            start, end = 12 * k / visits, 12 * (k + 1) / visits
            inside = np.flatnonzero((positions >= start) & (positions < end))
            out.append((start, end, [days[i] for i in inside], positions[inside]))
        return out


def _working_days(year: int, closed: frozenset[dt.date]) -> tuple[dt.date, ...]:
    holidays = {
        dt.date(year, month, day)
        for month, first, last in FIXED_HOLIDAYS
        for day in range(first, last + 1)
    }
    day, out = dt.date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5 and day not in holidays and day not in closed:
            out.append(day)
        day += dt.timedelta(days=1)
    return tuple(out)


def spread(n: int, phase: float, start: float, end: float, positions: np.ndarray) -> np.ndarray:
    """Where ``n`` visit days fall in a window: indices into its working days.

    Day ``j`` aims at the point ``(j + phase) / n`` of the window (points evenly spaced,
    so that every month of the window gets its share of days), and takes the working
    day at that point's share of the working days of the point's month. Days that would
    fall on the same working day move to the next free one (or, at the window's end,
    the previous one), so the indices are distinct and ascending. ``n`` must not exceed
    the window's working days.

    >>> import numpy as np
    >>> positions = np.arange(60) / 20  # three months of 20 working days each
    >>> spread(3, 0.5, 0.0, 3.0, positions).tolist()
    [10, 30, 50]
    """
    m = len(positions)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n > m:
        raise ValueError(f"{n} days do not fit in {m} working days")
    targets = start + (np.arange(n) + phase) / n * (end - start)
    index = np.empty(n, dtype=np.int64)
    for j, t in enumerate(targets):
        month = np.floor(t)
        lo, hi = max(start, month), min(end, month + 1)
        inside = np.flatnonzero((positions >= lo) & (positions < hi))
        if len(inside) == 0:  # a month without working days: the next working day
            index[j] = min(int(np.searchsorted(positions, t)), m - 1)
            continue
        share = (t - lo) / (hi - lo)
        index[j] = inside[min(int(share * len(inside)), len(inside) - 1)]
    for j in range(1, n):
        index[j] = max(index[j], index[j - 1] + 1)
    index[n - 1] = min(index[n - 1], m - 1)
    for j in range(n - 2, -1, -1):
        index[j] = min(index[j], index[j + 1] - 1)
    return index
