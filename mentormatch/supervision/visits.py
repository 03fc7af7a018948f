"""On-site supervision (实地督训): :func:`visit_schedule`, the year's calendar of mentors'
visits to their mentees' communities.

How the calendar is made (each step deterministic):

1. **Days.** A mentor's mentees are grouped into visit days, the same days in every
   window of the year. A day is anchored on one sub-district or town ``u`` and visits
   only communities in ``u`` or its neighbours (:data:`mentormatch.vocab.NEIGHBOURS`),
   at most ``max_per_day`` of them. Greedily: the anchor that covers the most
   remaining mentees (ties: more of them in the anchor itself, then the vocabulary's
   order) takes its own mentees first, then those of its neighbours, the smaller
   neighbours' first (so that few stragglers are left for days of their own).
2. **Order within a day.** The anchor's communities first, then the neighbours' (in the
   vocabulary's order of sub-districts), then by community ID.
3. **Dates.** The year is cut into ``visits`` equal windows of its twelve months (see
   :mod:`mentormatch.supervision.days`); a mentee's visit ``k`` falls in window ``k``. A
   mentor's days are spaced evenly through every window, at the same points in each
   (so that one mentee's visits lie one window apart, three months with 4 visits, give
   or take a few days for weekends and holidays) and shifted by a phase that differs
   from mentor to mentor (the golden-ratio sequence over the roster's order), so that
   mentors do not all go out on the same days. Visits fall on working days only.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from mentormatch.errors import DataError, InfeasibleError
from mentormatch.supervision.days import Calendar, spread
from mentormatch.supervision.words import ERRORS, ids_text
from mentormatch.vocab import NEIGHBOURS, STREET_TOWNS

__all__ = ["visit_schedule", "SCHEDULE_COLUMNS", "default_year", "group_days"]

#: The calendar's columns, in order.
SCHEDULE_COLUMNS = (
    "mentor_id",
    "secretary_id",
    "month",
    "date",
    "order",
    "street_town",
    "visit_no",
)
_RANK = {term.code: i for i, term in enumerate(STREET_TOWNS)}
#: The golden ratio's fractional part: phases k * this (mod 1) spread evenly over [0, 1).
_GOLDEN = (math.sqrt(5) - 1) / 2


def visit_schedule(
    d,
    plan,
    *,
    visits: int = 4,
    max_per_day: int = 3,
    year: int | None = None,
    closed: Iterable = (),
) -> pd.DataFrame:
    """The year's on-site visits: every placed mentee visited ``visits`` times by its
    mentor.

    Parameters
    ----------
    d : District
    plan : Plan or Series
        A plan of ``d`` (:func:`mentormatch.match`), or a Series secretary_id ->
        mentor_id (missing values: not placed).
    visits : int, default 4
        Visits per mentee in the year, 1 to 12: visit ``k`` falls in the ``k``-th of
        ``visits`` equal windows of the year (4: one a quarter).
    max_per_day : int, default 3
        The most visits a mentor makes in one day.
    year : int, optional
        Default :func:`default_year`: the year after the latest assessment wave.
    closed : iterable of dates, optional
        Days without visits besides weekends and the fixed-date public holidays (see
        :mod:`mentormatch.supervision.days`), e.g. the Spring Festival.

    Returns
    -------
    DataFrame
        One row per visit (see :data:`SCHEDULE_COLUMNS`): ``mentor_id``,
        ``secretary_id``, ``month`` ("YYYY-MM"), ``date`` (``datetime64[s]``, midnight
        of the day), ``order`` (1, 2, ... within the mentor's day), ``street_town``
        (code) and ``visit_no`` (1 to ``visits``); sorted by mentor (roster order),
        date and order. A plan that places nobody gives an empty frame with these
        columns.

    Raises
    ------
    DataError
        Bad arguments, or a plan of another district.
    InfeasibleError
        A mentor's days do not fit in a window's working days (too many mentees for
        ``max_per_day`` and ``visits``).

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> s = visit_schedule(d, mm.match(d))
    >>> bool((s.groupby("secretary_id").size() == 4).all())
    True
    >>> int(s.groupby(["mentor_id", "date"]).size().max()) <= 3
    True
    """
    visits = _whole(visits, "visits", 1, 12)
    max_per_day = _whole(max_per_day, "max_per_day", 1, None)
    closed = _closed(closed)
    assignment = _assignment(d, plan)
    if assignment.empty:
        return _frame([])
    year = default_year(d) if year is None else _whole(year, "year", 1900, 2100)
    calendar = Calendar(year, closed)
    windows = calendar.windows(visits)
    s = d.secretaries.set_index("secretary_id")
    units = dict(zip(s.index, s["street_town"].tolist(), strict=True))
    community = s["community_id"].where(s["community_id"].notna(), s.index.to_series())
    keys = dict(zip(s.index, community.astype(str).tolist(), strict=True))
    roster = d.mentors["mentor_id"].tolist()
    names = dict(zip(roster, d.mentors["name"], strict=True))
    by_mentor = {m: [] for m in roster}
    for sid, mid in zip(assignment.index, assignment.to_numpy(), strict=True):
        by_mentor[mid].append(sid)
    rows = []
    for rank, mid in enumerate(roster):
        mentees = sorted(by_mentor[mid], key=lambda i: (keys[i], i))
        if not mentees:
            continue
        days = group_days([units[i] for i in mentees], max_per_day)
        phase = ((rank + 1) * _GOLDEN) % 1.0
        for k, (start, end, wdays, positions) in enumerate(windows):
            if len(days) > len(wdays):
                _too_many(
                    mid, names[mid], len(days), len(mentees), visits, max_per_day, year, wdays
                )
            for j, at in enumerate(spread(len(days), phase, start, end, positions)):
                day = wdays[at]
                for order, m in enumerate(days[j][1], start=1):
                    sid = mentees[m]
                    rows.append((mid, sid, day, order, units[sid], k + 1))
    return _frame(rows)


def group_days(units: list[str], max_per_day: int) -> list[tuple[str, list[int]]]:
    """Mentees (by their sub-district or town, in the order given) grouped into visit
    days: ``(anchor, positions in visiting order)`` per day (see the module's
    docstring).

    >>> group_days(["caoyang", "caoyang", "taopu", "changzheng", "wanli"], 3)
    [('taopu', [2, 4, 3]), ('caoyang', [0, 1])]
    """
    remaining = list(range(len(units)))
    days = []
    while remaining:
        counts: dict[str, int] = {}
        for i in remaining:
            counts[units[i]] = counts.get(units[i], 0) + 1
        candidates = set(counts)
        for u in counts:
            candidates |= NEIGHBOURS.get(u, frozenset())

        anchor = min(candidates, key=lambda u, c=counts: _anchor_key(u, c, max_per_day))
        near = NEIGHBOURS.get(anchor, frozenset())
        own = [i for i in remaining if units[i] == anchor]
        others = sorted(
            (i for i in remaining if units[i] in near),
            key=lambda i: (counts[units[i]], _rank(units[i]), i),
        )
        chosen = (own + others)[:max_per_day]
        chosen.sort(key=lambda i: (units[i] != anchor, _rank(units[i]), i))
        days.append((anchor, chosen))
        taken = set(chosen)
        remaining = [i for i in remaining if i not in taken]
    return days


def _anchor_key(unit: str, counts: dict[str, int], max_per_day: int) -> tuple:
    """Best anchor first: covers the most remaining mentees (up to a day's worth), then
    holds the most itself, then comes first in the vocabulary."""
    near = NEIGHBOURS.get(unit, frozenset())
    cover = counts.get(unit, 0) + sum(n for v, n in counts.items() if v in near)
    return (-min(cover, max_per_day), -counts.get(unit, 0), _rank(unit))


def default_year(d) -> int:
    """The year to plan for: the year after the latest assessment wave, or, on a roster
    without assessments, the latest year of appointment (the roster's present year).

    >>> import mentormatch as mm
    >>> default_year(mm.synthesize_district(seed=1))
    2025
    """
    waves = pd.to_numeric(d.assessments["wave"], errors="coerce").dropna()
    if len(waves):
        return int(waves.max()) + 1
    years = pd.to_numeric(d.secretaries["appointed_year"], errors="coerce").dropna()
    if len(years):
        return int(years.max())
    raise DataError.say(*ERRORS["no_year"])


# --- checking the arguments ------------------------------------------------------------


def _rank(unit: str) -> tuple[int, str]:
    return (_RANK.get(unit, len(_RANK)), str(unit))


def _whole(value: object, name: str, low: int, high: int | None) -> int:
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if ok and low <= int(value) and (high is None or int(value) <= high):
        return int(value)
    en, zh = ERRORS[name]
    return _raise(en.format(value=repr(value)), zh.format(value=repr(value)))


def _raise(en: str, zh: str):
    raise DataError.say(en, zh)


def _closed(closed: Iterable) -> tuple[dt.date, ...]:
    if isinstance(closed, (str, dt.date)):
        closed = [closed]
    out = []
    for value in closed:
        try:
            day = pd.Timestamp(value)
        except (TypeError, ValueError):
            day = pd.NaT
        if pd.isna(day):
            en, zh = ERRORS["closed"]
            _raise(en.format(value=repr(value)), zh.format(value=repr(value)))
        out.append(day.date())
    return tuple(sorted(set(out)))


def _assignment(d, plan) -> pd.Series:
    """The plan's placed mentees, secretary_id -> mentor_id, checked against ``d``."""
    if isinstance(plan, pd.Series):
        a = plan
    elif isinstance(getattr(plan, "assignment", None), pd.Series):
        a = plan.assignment
    else:
        en, zh = ERRORS["plan"]
        kind = type(plan).__name__
        return _raise(en.format(value=kind), zh.format(value=kind))
    a = a[a.notna()]
    a = pd.Series([str(v) for v in a.to_numpy()], index=[str(i) for i in a.index], dtype=object)
    twice = a.index[a.index.duplicated()].unique().tolist()
    if twice:
        _fail("twice", twice)
    known = d.secretaries["secretary_id"]
    every = set(known.tolist())
    _fail("unknown_secretaries", [i for i in a.index if i not in every])
    gone = set(known[d.departed.to_numpy()].tolist())
    _fail("departed", [i for i in a.index if i in gone])
    mentors = set(d.mentors["mentor_id"].tolist())
    _fail("unknown_mentors", sorted({m for m in a.to_numpy() if m not in mentors}))
    return a


def _fail(key: str, ids: list) -> None:
    if ids:
        en, zh = ERRORS[key]
        _raise(en.format(ids=ids_text(ids, "en")), zh.format(ids=ids_text(ids, "zh")))


def _too_many(mid, name, days, mentees, visits, per_day, year, wdays) -> None:
    start = wdays[0].isoformat() if wdays else str(year)
    fields = dict(
        name=name,
        mentor=mid,
        days=days,
        visits=visits,
        year=year,
        mentees=mentees,
        per_day=per_day,
        start=start,
        room=len(wdays),
    )
    en, zh = (text.format(**fields) for text in ERRORS["too_many_days"])
    raise InfeasibleError(
        [en],
        unplaceable=(),
        details={"mentor_id": mid, "days": days, "working_days": len(wdays)},
        reasons_zh=[zh],
    )


def _frame(rows: list[tuple]) -> pd.DataFrame:
    mentors, secretaries, days, orders, units, numbers = (
        (list(c) for c in zip(*rows, strict=True)) if rows else ([],) * 6
    )
    dates = np.array(days, dtype="datetime64[D]").astype("datetime64[s]")
    return pd.DataFrame(
        {
            "mentor_id": pd.Series(mentors, dtype="str"),
            "secretary_id": pd.Series(secretaries, dtype="str"),
            "month": pd.Series([f"{x.year}-{x.month:02d}" for x in days], dtype="str"),
            "date": pd.Series(dates, dtype="datetime64[s]"),
            "order": pd.Series(orders, dtype="int64"),
            "street_town": pd.Series(units, dtype="str"),
            "visit_no": pd.Series(numbers, dtype="int64"),
        },
        columns=list(SCHEDULE_COLUMNS),
    )
