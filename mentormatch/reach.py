"""How far a mentee's search for mentors reaches: the mentors each unit may search.

The search widens level by level (:data:`LEVELS`: the mentee's unit, the bordering
units, the county, the whole region) and stops at the first level holding at least
``k`` mentors, never beyond ``reach``. Mentees that share a unit share their level, so
each unit's mentors are listed once (:func:`reach_lists`), as slices of one pool.
Used by :mod:`mentormatch.candidates`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mentormatch.errors import DataError
from mentormatch.region import Region, mentors_around

__all__ = ["LEVELS", "ReachLists", "reach_lists"]

LEVELS = ("unit", "neighbours", "county", "region")


@dataclass(frozen=True, eq=False)
class ReachLists:
    """For every unit, the mentors at its search level, as slices of one ``pool`` array.

    Attributes
    ----------
    level : ndarray of int8
        Per unit: position in :data:`LEVELS` where the search stops.
    counts : ndarray of int64, units x levels
        Mentors at each level around each unit.
    start, length : ndarray of int64
        Per unit: its mentors are ``pool[start : start + length]``.
    pool : ndarray of int64
        Mentor positions. Units that stop at the same county (or at the whole region)
        share one slice, so the pool stays the size of a few mentor lists.
    """

    level: np.ndarray
    counts: np.ndarray
    start: np.ndarray
    length: np.ndarray
    pool: np.ndarray

    def mentors(self, unit: int) -> np.ndarray:
        """The mentors a mentee of ``unit`` searches (unsorted)."""
        return self.pool[self.start[unit] : self.start[unit] + self.length[unit]]


def reach_lists(region: Region, k: int | None, reach: str = "county") -> ReachLists:
    """The level each unit's search stops at, and the mentors there.

    Examples
    --------
    >>> import mentormatch as mm
    >>> r = Region.from_district(mm.synthesize_district(seed=1))
    >>> lists = reach_lists(r, k=3)
    >>> [LEVELS[x] for x in lists.level[:3]], lists.counts[0].tolist()
    (['neighbours', 'neighbours', 'neighbours'], [1, 8, 13, 13])
    """
    top = _level(reach)
    n_units, m = region.n_units, len(region.mentors)
    unit_county = region.units["county"].to_numpy(np.int64)
    mentor_unit = region.mentors["unit"].to_numpy(np.int64)
    mentor_county = region.mentors["county"].to_numpy(np.int64)

    by_unit = np.argsort(mentor_unit, kind="stable")
    in_unit = np.bincount(mentor_unit, minlength=n_units)
    unit_first = np.cumsum(in_unit) - in_unit
    near = mentors_around(region.neighbours, mentor_unit)
    near_rows = np.repeat(np.arange(n_units), np.diff(near.indptr))
    # Mentors across a county border (a neighbouring unit of another county) widen the
    # county level beyond the county itself.
    across = mentor_county[near.indices] != unit_county[near_rows]
    n_across = np.bincount(near_rows[across], minlength=n_units)
    by_county = np.argsort(mentor_county, kind="stable")
    in_county = np.bincount(mentor_county, minlength=region.n_counties)
    county_first = np.cumsum(in_county) - in_county
    counts = np.stack(
        [
            in_unit,
            np.diff(near.indptr),
            in_county[unit_county] + n_across,
            np.full(n_units, m),
        ],
        axis=1,
    ).astype(np.int64)
    if k is None:
        level = np.full(n_units, top, dtype=np.int8)
    else:
        enough = counts[:, : top + 1] >= k
        level = np.where(enough.any(axis=1), enough.argmax(axis=1), top).astype(np.int8)

    # The pool: mentors by unit, the near lists, mentors by county, all mentors, then
    # explicit lists for county-level units with mentors across the border.
    mixed = np.flatnonzero((level == 2) & (n_across > 0))
    explicit, explicit_start = _county_and_across(
        mixed, unit_county, county_first, in_county, by_county, near, across
    )
    offsets = np.cumsum([0, m, near.nnz, m, m])
    pool = np.concatenate([by_unit, near.indices, by_county, np.arange(m), explicit])
    start = np.select(
        [level == 0, level == 1, level == 2, level == 3],
        [
            offsets[0] + unit_first,
            offsets[1] + near.indptr[:-1],
            offsets[2] + county_first[unit_county],
            np.full(n_units, offsets[3]),
        ],
    ).astype(np.int64)
    start[mixed] = offsets[4] + explicit_start
    length = counts[np.arange(n_units), level]
    return ReachLists(level, counts, start, length, pool.astype(np.int64))


def _county_and_across(mixed, unit_county, county_first, in_county, by_county, near, across):
    """Explicit mentor lists (county's mentors, then those across the border) for the
    given units, concatenated, with each unit's start."""
    parts, starts, at = [], [], 0
    for u in mixed.tolist():  # units on a county border only: few
        c = unit_county[u]
        entries = np.arange(near.indptr[u], near.indptr[u + 1])
        mentors = np.concatenate(
            [
                by_county[county_first[c] : county_first[c] + in_county[c]],
                near.indices[entries[across[entries]]],
            ]
        )
        parts.append(mentors)
        starts.append(at)
        at += len(mentors)
    explicit = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    return explicit, np.asarray(starts, dtype=np.int64)


def _level(reach: str) -> int:
    if reach not in LEVELS:
        raise DataError(f"reach must be one of {list(LEVELS)}, got {reach!r}")
    return LEVELS.index(reach)
