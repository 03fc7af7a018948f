"""The mentoring history: who entered the programme when, who needs a mentor this
cycle, who had which mentor last cycle, and where secretaries served before.

Each rule is written once. Where the district draws one row at a time (the order its
sample files pin, ``rowwise=True``), the region draws the same rule as whole arrays.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from mentormatch.synth.assumptions import (
    ELIGIBLE_APPOINTED,
    ELIGIBLE_BORN,
    ENTRY_RATE,
    MENTOR_HISTORY_SHARE,
    PRIOR_SHARE,
    SECOND_PRIOR_SHARE,
    SECOND_YEAR_SHARE,
    WAVES,
)

__all__ = [
    "eligible",
    "entry_years",
    "this_cycle",
    "cap_mentees",
    "continuing",
    "previous_mentors",
    "prior_posts",
]


def eligible(birth: np.ndarray, appointed: np.ndarray) -> np.ndarray:
    """Who is eligible for mentoring: born in or after ``ELIGIBLE_BORN``, or appointed
    in or after ``ELIGIBLE_APPOINTED``.

    >>> eligible(np.array([1990, 1970, 1970]), np.array([2010, 2019, 2010])).tolist()
    [True, True, False]
    """
    return (birth >= ELIGIBLE_BORN) | (appointed >= ELIGIBLE_APPOINTED)


def entry_years(
    rng: np.random.Generator,
    can: np.ndarray,
    appointed: np.ndarray,
    end: np.ndarray,
    *,
    rowwise: bool = False,
) -> np.ndarray:
    """The year each eligible secretary entered the programme, 0 for never.

    A yearly chance ``ENTRY_RATE`` from the year after appointment (an entry needs one
    assessed wave before it, for a before/after comparison) to ``end`` (the last wave,
    or the year before the secretary left). ``rowwise`` draws one year at a time, one
    secretary after another; else one geometric waiting time each.

    >>> rng, n = np.random.default_rng(0), 10_000
    >>> since = entry_years(rng, np.ones(n, bool), np.full(n, 2017), np.full(n, 2024))
    >>> bool(abs((since == 2019).mean() - ENTRY_RATE) < 0.02)  # the first chance
    True
    """
    first = WAVES[0]
    if not rowwise:
        entry = np.maximum(first + 1, appointed + 1) + rng.geometric(ENTRY_RATE, size=len(can)) - 1
        return np.where(can & (entry <= end), entry, 0)
    since = np.zeros(len(can), dtype=np.int64)
    for i in np.flatnonzero(can):
        year = max(first + 1, appointed[i] + 1)
        while year <= end[i]:
            if rng.random() < ENTRY_RATE:
                since[i] = year
                break
            year += 1
    return since


def this_cycle(
    rng: np.random.Generator, since: np.ndarray, can: np.ndarray, in_post: np.ndarray
) -> np.ndarray:
    """Who would have a mentor this cycle: the eligible in post not yet mentored, and
    ``SECOND_YEAR_SHARE`` of last cycle's mentees, who asked for a second year (before
    the cycle's places cap them: :func:`cap_mentees`).

    >>> since = np.array([0, WAVES[1], 2020, 0])
    >>> needs = this_cycle(np.random.default_rng(0), since, np.ones(4, bool), np.ones(4, bool))
    >>> bool(needs[0] and not needs[2])
    True
    """
    second_year = (since == WAVES[1]) & (rng.random(len(since)) < SECOND_YEAR_SHARE)
    return in_post & can & ((since == 0) | second_year)


def cap_mentees(
    needs: np.ndarray,
    birth: np.ndarray,
    appointed: np.ndarray,
    county: np.ndarray,
    places: np.ndarray,
) -> np.ndarray:
    """At most ``places[c]`` mentees in county ``c``: the newest appointees first, then
    the youngest; the others wait for the next cycle.

    >>> cap_mentees(np.array([True, True, True]), np.array([1990, 1995, 1980]),
    ...             np.array([2020, 2020, 2024]), np.zeros(3, int), np.array([2])).tolist()
    [False, True, True]
    """
    needs = needs.copy()
    waiting = np.flatnonzero(needs)
    order = waiting[np.lexsort((-birth[waiting], -appointed[waiting], county[waiting]))]
    rank = np.arange(len(order)) - np.searchsorted(county[order], county[order])
    needs[order[rank >= places[county[order]]]] = False
    return needs


def continuing(needs: np.ndarray, since: np.ndarray) -> np.ndarray:
    """Positions of this cycle's mentees who had a mentor last cycle.

    >>> continuing(np.array([True, True, False]), np.array([WAVES[1], 0, WAVES[1]])).tolist()
    [0]
    """
    return np.flatnonzero(needs & (since == WAVES[1]))


def previous_mentors(
    rng: np.random.Generator,
    who: np.ndarray,
    unit: np.ndarray,
    county: np.ndarray,
    near: sparse.csr_array,
    mentor_county: np.ndarray,
    *,
    rowwise: bool = False,
) -> np.ndarray:
    """Last cycle's mentor of the secretaries ``who`` (positions, -1 for the others):
    one in the secretary's unit or a bordering one, uniformly, else one of the county's.

    ``near`` is units x mentors (:func:`mentormatch.region.mentors_around`); mentors
    are sorted by county. ``rowwise`` draws one secretary after another.

    >>> near = sparse.csr_array(np.array([[True, False], [False, False]]))
    >>> previous_mentors(np.random.default_rng(0), np.array([0, 1]), np.array([0, 1]),
    ...                  np.zeros(2, int), near, np.zeros(2, int)).tolist()[0]
    0
    """
    previous = np.full(len(unit), -1, dtype=np.int64)
    county = county[who]
    first = np.searchsorted(mentor_county, county)
    count = np.searchsorted(mentor_county, county, side="right") - first
    if rowwise:
        for i, start, k in zip(who, first, count, strict=True):
            u = unit[i]
            around = near.indices[near.indptr[u] : near.indptr[u + 1]]
            previous[i] = rng.choice(around if len(around) else np.arange(start, start + k))
        return previous
    chosen = _pick(rng, near, unit[who])
    fallback = first + (rng.random(len(who)) * count).astype(np.int64)
    previous[who] = np.where(chosen >= 0, chosen, fallback)
    return previous


def _pick(rng: np.random.Generator, matrix: sparse.csr_array, rows: np.ndarray) -> np.ndarray:
    """One column of each given row of a sparse matrix, uniformly (-1 if the row is empty)."""
    start = matrix.indptr[rows]
    length = matrix.indptr[rows + 1] - start
    at = start + (rng.random(len(rows)) * length).astype(np.int64)
    return np.where(length > 0, matrix.indices[np.minimum(at, max(matrix.nnz - 1, 0))], -1)


def prior_posts(
    rng: np.random.Generator,
    unit: np.ndarray,
    own: np.ndarray,
    needs: np.ndarray,
    unit_size: np.ndarray,
    around: sparse.csr_array,
    mentor_unit: np.ndarray,
    mentor_community: np.ndarray,
    *,
    near: sparse.csr_array | None = None,
    rowwise: bool = False,
) -> sparse.csr_array:
    """Earlier posts (as social worker or deputy), as a secretaries x communities matrix.

    ``PRIOR_SHARE`` of the secretaries served in one community (``SECOND_PRIOR_SHARE``
    of them in two) of their unit or a bordering one, not their own; and
    ``MENTOR_HISTORY_SHARE`` of the mentees in a nearby mentor's community, as the
    seed article's pair. Communities are numbered unit by unit (``unit_size`` each);
    ``around`` lists, per unit, the unit and its neighbours (in the order their
    communities are listed); ``near`` is units x mentors
    (:func:`mentormatch.region.mentors_around`, computed if not given).

    ``rowwise`` draws one secretary after another, the earlier posts distinct; else
    whole arrays, which may draw a community twice (kept once) or the own one (dropped).

    >>> around = sparse.csr_array(np.eye(2, dtype=bool))
    >>> prior = prior_posts(np.random.default_rng(0), np.repeat([0, 1], 50), np.arange(100),
    ...                     np.zeros(100, bool), np.array([50, 50]), around,
    ...                     np.array([0]), np.array([3]))
    >>> rows, cols = prior.nonzero()
    >>> bool((rows // 50 == cols // 50).all() and (rows != cols).all())  # the own unit only
    True
    """
    n, n_comm = len(unit), int(unit_size.sum())
    unit_first = np.cumsum(unit_size) - unit_size
    if rowwise:
        return _prior_by_row(
            rng, unit, own, needs, unit_first, unit_size, around, mentor_unit, mentor_community
        )
    # A uniform community among those of the units around: cumulative sizes over each
    # unit's list of units around it, then one position below the list's total.
    sizes = unit_size[around.indices]
    running = np.cumsum(sizes)
    before = np.r_[0, running][around.indptr[:-1]]
    pool = np.r_[0, running][around.indptr[1:]] - before
    rows, cols = [], []
    has = np.flatnonzero(rng.random(n) < PRIOR_SHARE)
    two = rng.random(len(has)) < SECOND_PRIOR_SHARE
    for who in (has, has[two]):
        u = unit[who]
        target = before[u] + (rng.random(len(who)) * pool[u]).astype(np.int64)
        entry = np.searchsorted(running, target, side="right")
        community = unit_first[around.indices[entry]] + target - (running[entry] - sizes[entry])
        rows.append(who)
        cols.append(community)
    if near is None:
        located = sparse.csr_array(
            (np.ones(len(mentor_unit), np.int32), (mentor_unit, np.arange(len(mentor_unit)))),
            shape=(len(unit_size), len(mentor_unit)),
        )
        near = sparse.csr_array(around.astype(np.int32) @ located, dtype=bool)
        near.sort_indices()
    mentee = np.flatnonzero(needs)
    who = mentee[rng.random(len(mentee)) < MENTOR_HISTORY_SHARE]
    mentor = _pick(rng, near, unit[who])
    rows.append(who[mentor >= 0])
    cols.append(mentor_community[mentor[mentor >= 0]])
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    keep = cols != own[rows]
    return sparse.csr_array(
        (np.ones(int(keep.sum()), bool), (rows[keep], cols[keep])), shape=(n, n_comm)
    )


def _prior_by_row(
    rng: np.random.Generator,
    unit: np.ndarray,
    own: np.ndarray,
    needs: np.ndarray,
    unit_first: np.ndarray,
    unit_size: np.ndarray,
    around: sparse.csr_array,
    mentor_unit: np.ndarray,
    mentor_community: np.ndarray,
) -> sparse.csr_array:
    units_near = [
        around.indices[around.indptr[u] : around.indptr[u + 1]] for u in range(len(unit_size))
    ]
    pools = [
        np.concatenate([np.arange(unit_first[v], unit_first[v] + unit_size[v]) for v in near])
        for near in units_near
    ]
    mentor_pools = [
        np.concatenate([mentor_community[mentor_unit == v] for v in near]) for near in units_near
    ]
    lists = []
    for u, mine, mentee in zip(unit, own, needs, strict=True):
        items: list[int] = []
        if rng.random() < PRIOR_SHARE:
            pool = pools[u][pools[u] != mine]
            k = 1 if rng.random() < 1 - SECOND_PRIOR_SHARE else 2
            items = sorted(rng.choice(pool, size=min(k, len(pool)), replace=False).tolist())
        if mentee and rng.random() < MENTOR_HISTORY_SHARE and len(mentor_pools[u]):
            items = sorted({*items, int(rng.choice(mentor_pools[u]))} - {mine})
        lists.append(items)
    lengths = np.fromiter((len(x) for x in lists), np.int64, count=len(lists))
    cols = np.fromiter((c for x in lists for c in x), np.int64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(lists)), lengths)
    return sparse.csr_array(
        (np.ones(len(cols), bool), (rows, cols)), shape=(len(unit), int(unit_size.sum()))
    )
