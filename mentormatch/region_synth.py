"""A synthetic city or nation, calibrated like the synthetic district.

:func:`synthesize_region` is the sibling of :func:`mentormatch.synthesize_district` for
a :class:`~mentormatch.region.Region`: many counties, each split into units (街镇), with
the district's community-type mix, challenge rates, ages, education, mentoring history,
about five mentees per mentor, capacities and practice bases. It reuses the constants
and helpers of :mod:`mentormatch.synth`; where those draw row by row in Python, the
same rules are drawn here as whole arrays, so that a nation of 600,000 secretaries takes
seconds. The assumptions that only a region needs (county and unit sizes, pairs kept
and forbidden) are the constants below. :func:`calibration_table` checks a region
against the district's targets.

Examples
--------
>>> from mentormatch.region_synth import synthesize_region
>>> r = synthesize_region(seed=1, n_secretaries=2_000, n_mentors=100, n_bases=130)
>>> r.n_counties, len(r.secretaries), len(r.mentors), len(r.bases)
(5, 2000, 100, 130)
>>> 4.0 <= len(r.mentees) / len(r.mentors) <= 5.5
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from mentormatch.errors import DataError
from mentormatch.region import Region, mentors_around, units_around
from mentormatch.scoring import popcount
from mentormatch.synth import (
    _TIE_JITTER,
    _TYPE_ORDER,
    BASE_CAPACITY_SLACK,
    BASE_EXTRA_THEMES,
    CHALLENGE_RATE_TABLE,
    ELIGIBLE_APPOINTED,
    ELIGIBLE_BORN,
    ENTRY_RATE,
    EXPERTISE_COUNT,
    EXTRA_KNOWN_TYPES,
    FEMALE_SHARE,
    KNOWN_TYPE_WEIGHT,
    MAX_CHALLENGES,
    MEAN_TENURE,
    MENTEES_PER_MENTOR,
    MENTOR_HISTORY_SHARE,
    MENTOR_YEARS,
    PRIOR_SHARE,
    PUBLISHED,
    SECOND_PRIOR_SHARE,
    SECOND_YEAR_SHARE,
    TYPE_MIX,
    UNIT_COUNTS,
    VILLAGE_UNIT,
    WAVES,
    YOUNG_SHARE,
    _ages_and_households,
    _allocate,
    _appointed,
    _around,
    _birth_years,
    _capacities,
    _education,
    _min_loads,
    challenge_probabilities,
    challenge_rates,
)
from mentormatch.vocab import (
    CHALLENGES,
    COMMUNITY_TYPES,
    EDUCATION,
    UNIVERSITY_LEVELS,
    type_affinity,
)

__all__ = [
    "synthesize_region",
    "calibration_table",
    "SECRETARIES_PER_COUNTY",
    "COUNTY_SIZE_SD",
    "SECRETARIES_PER_UNIT",
    "UNIT_SIZE_SD",
    "KEEP_SHARE",
    "FORBID_SHARE",
]

# The district's assumptions are in mentormatch.synth; these are the region's own.

#: Secretaries per county-level unit: Shanghai's ~6,000 residential and village
#: secretaries sit in 16 districts. The nation's 600,000 then make 1,600 counties (real
#: China has ~2,850 county-level units; more, smaller counties change nothing here).
SECRETARIES_PER_COUNTY = 375
#: Spread (lognormal sd) of county sizes around that.
COUNTY_SIZE_SD = 0.35
#: Secretaries per unit (sub-district or town): Putuo's 282 in 10 units.
SECRETARIES_PER_UNIT = PUBLISHED["secretaries_in_post"] / PUBLISHED["street_towns"]
UNIT_SIZE_SD = 0.3
#: Share of continuing mentees whose pair a planner keeps by rule (保留).
KEEP_SHARE = 0.2
#: Share of mentees with one mentor they must not have (回避: a relative, a conflict).
FORBID_SHARE = 0.01
#: Villages among the communities of a unit like Putuo's village town (Taopu: 3 of 30).
_VILLAGE_SHARE = PUBLISHED["villages_in_taopu"] / UNIT_COUNTS[VILLAGE_UNIT]
#: Rows drawn at once where a draw takes a row per challenge (bounds the memory used).
_ROWS_PER_DRAW = 1 << 16


def synthesize_region(
    seed: int = 2018,
    *,
    n_secretaries: int = 6_000,
    n_mentors: int = 300,
    n_bases: int = 400,
    n_counties: int | None = None,
    all_mentees: bool = False,
    name: str | None = None,
) -> Region:
    """A synthetic city or nation calibrated like the synthetic district.

    Counties (lognormal sizes around :data:`SECRETARIES_PER_COUNTY`) are split into units
    of about :data:`SECRETARIES_PER_UNIT` secretaries, laid out on a triangulated grid
    (so that a unit has up to six neighbours, as Putuo's do); borders stay inside a
    county. Units take the community-type mixes of Putuo's units in proportion to those
    units' sizes, so that the region has the district's mix; challenges,
    ages, education, mentoring history, mentors, capacities and bases follow the rules
    and constants of :mod:`mentormatch.synth`, county by county: each county has about
    :data:`~mentormatch.synth.MENTEES_PER_MENTOR` mentees per mentor and mentor places
    for all of them (:data:`~mentormatch.synth.CAPACITY_SLACK` over the demand).
    :data:`KEEP_SHARE` of the continuing mentees (last cycle's, with last cycle's mentor)
    keep their mentor by rule and :data:`FORBID_SHARE` of the mentees have a forbidden
    mentor.

    Everything is drawn as whole arrays: a nation of 600,000 secretaries takes a few
    seconds and a few hundred megabytes. People have no names (they would cost memory
    and say nothing here); IDs are row numbers.

    Parameters
    ----------
    seed : int
        The same seed gives the same Region.
    n_secretaries, n_mentors, n_bases : int
        Sizes: a city is 6,000 / 300 / 400 (the default), a nation 600,000 / 30,000 /
        40,000.
    n_counties : int, optional
        Default: ``round(n_secretaries / SECRETARIES_PER_COUNTY)``, at least 1. Fewer,
        larger counties put more mentors within a county's reach.
    all_mentees : bool
        Every secretary needs a mentor this cycle, instead of the district's rule (the
        eligible, about ``MENTEES_PER_MENTOR`` per mentor): a stress size, not a
        calibrated one. Places still follow the demand, so with 20 secretaries per
        mentor a mentor has about 22 places. The history is drawn as usual: last
        cycle's mentees are the continuing ones.
    name : str, optional

    Returns
    -------
    Region

    Examples
    --------
    >>> r = synthesize_region(seed=7, n_secretaries=1_000, n_mentors=50, n_bases=60)
    >>> r.n_counties, r.synthetic
    (3, True)
    >>> bool((r.mentors.groupby("county")["capacity"].sum()
    ...       >= r.secretaries[r.secretaries["needs_mentor"]].groupby("county").size()).all())
    True
    """
    if n_counties is None:
        n_counties = max(1, round(n_secretaries / SECRETARIES_PER_COUNTY))
    problems = []
    if n_counties < 1 or n_secretaries < 10 * n_counties:
        problems.append(f"need at least 10 secretaries per county, got {n_secretaries}")
    if n_mentors < n_counties:
        problems.append(f"need a mentor in each of the {n_counties} counties, got {n_mentors}")
    if n_bases < 0:
        problems.append(f"n_bases must be >= 0, got {n_bases}")
    if problems:
        raise DataError("; ".join(problems))
    rng = np.random.default_rng(seed)

    county_size = _spread(rng, n_secretaries, n_counties, COUNTY_SIZE_SD, minimum=10)
    units_per_county = np.maximum(1, np.rint(county_size / SECRETARIES_PER_UNIT)).astype(int)
    unit_county = np.repeat(np.arange(n_counties), units_per_county)
    unit_size = _split(rng, county_size, unit_county, UNIT_SIZE_SD)
    neighbours = _grid_borders(units_per_county)

    people = _communities(rng, unit_size, unit_county)
    n = len(people)
    people["birth_year"] = _birth_years(rng, n, young_share=YOUNG_SHARE)
    people["appointed_year"] = _appointed(rng, people["birth_year"].to_numpy(), MEAN_TENURE)
    n_university = round(PUBLISHED["university_degree"] / PUBLISHED["secretaries_in_post"] * n)
    people["education"] = _education(rng, people["birth_year"].to_numpy(), n_university)
    people["gender"] = np.where(rng.random(n) < FEMALE_SHARE, 0, 1)  # GENDERS: female, male
    mentors_per_county = _at_least_one(n_mentors, county_size)
    since, needs = _mentoring(rng, people, mentors_per_county, all_mentees)
    people["mentored_since"] = since
    people["needs_mentor"] = needs

    mentors = _mentors(rng, people, mentors_per_county)
    near = mentors_around(neighbours, mentors["unit"].to_numpy())
    people["previous_mentor"] = _previous_mentors(rng, people, mentors, near)
    prior = _prior(rng, people, unit_size, neighbours, mentors, near)
    bases = _bases(rng, people, _spread_counts(n_bases, county_size))
    constraints = _constraints(rng, people, mentors)
    return Region(
        secretaries=people,
        mentors=mentors,
        bases=bases,
        units=pd.DataFrame({"county": unit_county}),
        neighbours=neighbours,
        prior=prior,
        constraints=constraints,
        name=name or f"synthetic region of {n_secretaries:,} secretaries",
        synthetic=True,
    )


def _spread(
    rng: np.random.Generator, total: int, parts: int, sd: float, minimum: int
) -> np.ndarray:
    """``total`` split into ``parts`` lognormal sizes (largest remainders), each >= minimum."""
    weights = rng.lognormal(0.0, sd, size=parts)
    sizes = _largest_remainders(total - minimum * parts, weights) + minimum
    return sizes


def _largest_remainders(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers adding up to ``total`` in proportion to ``weights``."""
    counts = _allocate(total, dict(enumerate(np.asarray(weights, float))))
    return np.array(list(counts.values()), dtype=np.int64)


def _spread_counts(total: int, sizes: np.ndarray) -> np.ndarray:
    return _largest_remainders(total, sizes) if total else np.zeros(len(sizes), dtype=np.int64)


def _at_least_one(total: int, sizes: np.ndarray) -> np.ndarray:
    """``total`` in proportion to ``sizes``, at least one each (every county has a mentor)."""
    return 1 + _spread_counts(total - len(sizes), sizes)


def _split(
    rng: np.random.Generator, totals: np.ndarray, group: np.ndarray, sd: float
) -> np.ndarray:
    """Split each group's total over its items with lognormal weights (largest
    remainders within each group, vectorised: no loop over groups)."""
    weights = rng.lognormal(0.0, sd, size=len(group))
    share = weights / np.bincount(group, weights=weights)[group]
    raw = totals[group] * share
    sizes = np.floor(raw).astype(np.int64)
    missing = totals - np.bincount(group, weights=sizes, minlength=len(totals)).astype(np.int64)
    # Rank the remainders within each group; the largest ones get the missing units.
    order = np.lexsort((-(raw - sizes), group))
    start = np.searchsorted(group[order], group[order])
    rank = np.arange(len(group)) - start
    sizes[order[rank < missing[group[order]]]] += 1
    return sizes


def _grid_borders(units_per_county: np.ndarray) -> sparse.csr_array:
    """Borders of units laid row by row on a triangulated grid inside each county."""
    county = np.repeat(np.arange(len(units_per_county)), units_per_county)
    first = np.repeat(np.cumsum(units_per_county) - units_per_county, units_per_county)
    local = np.arange(len(county)) - first
    size = units_per_county[county]
    width = np.ceil(np.sqrt(size)).astype(np.int64)
    col = local % width
    links = []
    inside = col + 1 < width
    for step, ok in (
        (1, inside),  # east
        (width, np.ones(len(local), dtype=bool)),  # south
        (width + 1, inside),  # south-east: triangulates the grid
    ):
        target = local + step
        keep = ok & (target < size)
        links.append((np.flatnonzero(keep), (first + target)[keep]))
    a = np.concatenate([x for x, _ in links])
    b = np.concatenate([y for _, y in links])
    n = len(county)
    matrix = sparse.coo_array((np.ones(2 * len(a), bool), (np.r_[a, b], np.r_[b, a])), (n, n))
    return sparse.csr_array(matrix)


def _communities(
    rng: np.random.Generator, unit_size: np.ndarray, unit_county: np.ndarray
) -> pd.DataFrame:
    """One row per community (and its secretary), sorted by unit, with its type,
    households, share of residents aged 60+ and challenges."""
    n = int(unit_size.sum())
    unit = np.repeat(np.arange(len(unit_size)), unit_size)
    # Each unit is like one of Putuo's units, in proportion to their sizes: counts by
    # largest remainders, shuffled, so that even a small region has the district's mix.
    profiles = list(UNIT_COUNTS)
    per_profile = _largest_remainders(len(unit_size), np.array(list(UNIT_COUNTS.values())))
    profile = rng.permutation(np.repeat(np.arange(len(profiles)), per_profile))[unit]
    mix = np.array([TYPE_MIX[p] for p in profiles])
    cumulative = np.cumsum(mix / mix.sum(axis=1, keepdims=True), axis=1)
    drawn = (rng.random(n)[:, None] > cumulative[profile]).sum(axis=1)
    drawn = np.minimum(drawn, len(_TYPE_ORDER) - 1)
    type_code = pd.Index(COMMUNITY_TYPES.codes).get_indexer(list(_TYPE_ORDER))[drawn]
    village = (profile == profiles.index(VILLAGE_UNIT)) & (rng.random(n) < _VILLAGE_SHARE)
    type_code[village] = COMMUNITY_TYPES.codes.index("village")
    share60, households = _ages_and_households(rng, type_code)
    return pd.DataFrame(
        {
            "county": unit_county[unit],
            "unit": unit,
            "community": np.arange(n),
            "community_type": type_code,
            "challenges": _challenge_masks(rng, type_code, share60),
            "households": households,
            "share_aged_60_plus": share60,
        }
    )


_BITS = np.left_shift(np.uint32(1), np.arange(len(CHALLENGES), dtype=np.uint32))


def _challenge_masks(
    rng: np.random.Generator, type_code: np.ndarray, share60: np.ndarray
) -> np.ndarray:
    """The district's challenge draw (:func:`mentormatch.synth._challenges`), vectorised:
    each challenge with its probability
    (:func:`~mentormatch.synth.challenge_probabilities`), at least one, at most
    :data:`~mentormatch.synth.MAX_CHALLENGES` kept with probability proportional to their
    rates. The district draws the last two steps community by community (its sample
    files pin those draws), so the rule is drawn again here, as whole arrays."""
    codes = CHALLENGES.codes
    out = np.zeros(len(type_code), dtype=np.uint32)
    for start in range(0, len(type_code), _ROWS_PER_DRAW):
        rows = slice(start, start + _ROWS_PER_DRAW)
        p = challenge_probabilities(type_code[rows], share60[rows])
        drawn = rng.random(p.shape) < p
        # A community with none drawn names its most likely challenge (ties at random).
        empty = ~drawn.any(axis=1)
        jitter = rng.random(p.shape) * _TIE_JITTER
        drawn[empty, np.argmax(p[empty] + jitter[empty], axis=1)] = True
        # Too many: keep MAX_CHALLENGES, weighted by rate, without replacement
        # (exponential keys, equivalent to drawing one at a time).
        over = drawn.sum(axis=1) > MAX_CHALLENGES
        if over.any():
            with np.errstate(divide="ignore"):
                key = np.where(
                    drawn[over], np.log(rng.random((int(over.sum()), len(codes)))), -np.inf
                )
                key = np.where(drawn[over], key / p[over], -np.inf)
            top = np.argsort(-key, axis=1, kind="stable")[:, :MAX_CHALLENGES]
            kept = np.zeros_like(drawn[over])
            np.put_along_axis(kept, top, True, axis=1)
            drawn[over] = kept
        out[rows] = (drawn * _BITS).sum(axis=1, dtype=np.uint32)
    return out


def _mentoring(
    rng: np.random.Generator,
    people: pd.DataFrame,
    mentors_per_county: np.ndarray,
    all_mentees: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """The district's mentoring history (:func:`mentormatch.synth._mentoring_history`),
    vectorised: entry year, and who needs a mentor this cycle, capped per county at
    about MENTEES_PER_MENTOR per mentor (newest appointees first, then the youngest);
    with ``all_mentees``, everyone."""
    first, last = WAVES
    birth = people["birth_year"].to_numpy()
    appointed = people["appointed_year"].to_numpy()
    n = len(people)
    eligible = (birth >= ELIGIBLE_BORN) | (appointed >= ELIGIBLE_APPOINTED)
    # A yearly entry chance from the year after appointment is a geometric waiting time.
    entry = np.maximum(first + 1, appointed + 1) + rng.geometric(ENTRY_RATE, size=n) - 1
    since = np.where(eligible & (entry <= last), entry, 0)
    second_year = (since == last) & (rng.random(n) < SECOND_YEAR_SHARE)
    if all_mentees:
        return since, np.ones(n, dtype=bool)
    needs = eligible & ((since == 0) | second_year)
    county = people["county"].to_numpy()
    places = np.rint(MENTEES_PER_MENTOR * mentors_per_county).astype(np.int64)
    waiting = np.flatnonzero(needs)
    order = waiting[np.lexsort((-birth[waiting], -appointed[waiting], county[waiting]))]
    rank = np.arange(len(order)) - np.searchsorted(county[order], county[order])
    needs[order[rank >= places[county[order]]]] = False
    return since, needs


def _mentors(
    rng: np.random.Generator, people: pd.DataFrame, per_county: np.ndarray
) -> pd.DataFrame:
    """Mentors in non-village communities of their county, with the district's rules for
    known community types, expertise, years in post, capacities and min loads."""
    county = people["county"].to_numpy()
    type_code = people["community_type"].to_numpy()
    village = COMMUNITY_TYPES.codes.index("village")
    urban = np.flatnonzero(type_code != village)
    # Communities are sorted by county: pick uniformly within each county's urban ones.
    first = np.searchsorted(county[urban], np.arange(len(per_county)))
    count = np.diff(np.r_[first, len(urban)])
    mentor_county = np.repeat(np.arange(len(per_county)), per_county)
    home = urban[
        first[mentor_county]
        + (rng.random(len(mentor_county)) * count[mentor_county]).astype(np.int64)
    ]
    home.sort()
    m = len(home)
    own = type_code[home]
    # One or two more types, weighted by affinity to the own type (as the district).
    codes = COMMUNITY_TYPES.codes
    weight = KNOWN_TYPE_WEIGHT + np.array([[type_affinity(a, b) for b in codes] for a in codes])
    extra = rng.integers(EXTRA_KNOWN_TYPES[0], EXTRA_KNOWN_TYPES[1] + 1, size=m)
    key = np.log(weight[own]) - np.log(-np.log(rng.random((m, len(codes)))))  # Gumbel
    key[np.arange(m), own] = -np.inf
    chosen = np.zeros((m, len(codes)), dtype=bool)
    rank = np.argsort(np.argsort(-key, axis=1, kind="stable"), axis=1, kind="stable")
    chosen |= rank < extra[:, None]
    chosen[np.arange(m), own] = True
    types = (chosen * (1 << np.arange(len(codes)))).sum(axis=1).astype(np.uint8)
    # Expertise: a few challenges, weighted by their mean rate over the known types.
    prevalence = (chosen @ CHALLENGE_RATE_TABLE) / chosen.sum(axis=1, keepdims=True)
    k = rng.integers(EXPERTISE_COUNT[0], EXPERTISE_COUNT[1] + 1, size=m)
    with np.errstate(divide="ignore"):
        key = np.log(prevalence) - np.log(-np.log(rng.random(prevalence.shape)))
    rank = np.argsort(np.argsort(-key, axis=1, kind="stable"), axis=1, kind="stable")
    expertise = ((rank < k[:, None]) * _BITS).sum(axis=1, dtype=np.uint32)
    demand = np.bincount(county[people["needs_mentor"].to_numpy()], minlength=len(per_county))
    capacity = np.concatenate(
        [_capacities(rng, int(c), int(d)) for c, d in zip(per_county, demand, strict=True)]
    )
    min_load = _min_loads(rng, capacity)
    return pd.DataFrame(
        {
            "county": county[home],
            "unit": people["unit"].to_numpy()[home],
            "community": home,
            "community_types": types,
            "expertise": expertise,
            "years_as_secretary": rng.integers(MENTOR_YEARS[0], MENTOR_YEARS[1] + 1, size=m),
            "capacity": capacity,
            "min_load": min_load,
        }
    )


def _pick(rng: np.random.Generator, matrix: sparse.csr_array, rows: np.ndarray) -> np.ndarray:
    """One column of each given row of a sparse matrix, uniformly (-1 if the row is empty)."""
    start = matrix.indptr[rows]
    length = matrix.indptr[rows + 1] - start
    at = start + (rng.random(len(rows)) * length).astype(np.int64)
    return np.where(length > 0, matrix.indices[np.minimum(at, max(matrix.nnz - 1, 0))], -1)


def _previous_mentors(
    rng: np.random.Generator, people: pd.DataFrame, mentors: pd.DataFrame, near: sparse.csr_array
) -> np.ndarray:
    """Last cycle's mentor of continuing mentees (mentees who entered the programme in
    the last cycle): one nearby, else one in the county."""
    continuing = np.flatnonzero(
        people["needs_mentor"].to_numpy() & (people["mentored_since"].to_numpy() == WAVES[1])
    )
    previous = np.full(len(people), -1, dtype=np.int64)
    chosen = _pick(rng, near, people["unit"].to_numpy()[continuing])
    county = people["county"].to_numpy()[continuing]
    mentor_county = mentors["county"].to_numpy()
    first = np.searchsorted(mentor_county, county)
    count = np.searchsorted(mentor_county, county, side="right") - first
    fallback = first + (rng.random(len(continuing)) * count).astype(np.int64)
    previous[continuing] = np.where(chosen >= 0, chosen, fallback)
    return previous


def _prior(
    rng: np.random.Generator,
    people: pd.DataFrame,
    unit_size: np.ndarray,
    neighbours: sparse.csr_array,
    mentors: pd.DataFrame,
    near: sparse.csr_array,
) -> sparse.csr_array:
    """Earlier posts: one or two communities in the same or a neighbouring unit, and for
    some mentees a nearby mentor's community (as the seed article's pair)."""
    n = len(people)
    unit = people["unit"].to_numpy()
    own = people["community"].to_numpy()
    around = units_around(neighbours)
    # A uniform community among those of the units around: cumulative sizes over each
    # unit's list of units around it, then one position below the list's total.
    sizes = unit_size[around.indices]
    running = np.cumsum(sizes)
    before = np.r_[0, running][around.indptr[:-1]]
    pool = np.r_[0, running][around.indptr[1:]] - before
    unit_first = np.cumsum(unit_size) - unit_size
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
    mentee = np.flatnonzero(people["needs_mentor"].to_numpy())
    who = mentee[rng.random(len(mentee)) < MENTOR_HISTORY_SHARE]
    mentor = _pick(rng, near, unit[who])
    rows.append(who[mentor >= 0])
    cols.append(mentors["community"].to_numpy()[mentor[mentor >= 0]])
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    keep = cols != own[rows]
    return sparse.csr_array(
        (np.ones(int(keep.sum()), bool), (rows[keep], cols[keep])), shape=(n, n)
    )


def _bases(rng: np.random.Generator, people: pd.DataFrame, per_county: np.ndarray) -> pd.DataFrame:
    """The district's practice bases (:func:`mentormatch.synth._bases`), county by
    county: each built around one of the county's common challenges in turn, with one
    to three themes of its own community, and places for the county's mentees."""
    county = people["county"].to_numpy()
    n_counties = len(per_county)
    base_county = np.repeat(np.arange(n_counties), per_county)
    first = np.searchsorted(county, np.arange(n_counties))
    size = np.diff(np.r_[first, len(county)])
    home = first[base_county] + (rng.random(len(base_county)) * size[base_county]).astype(np.int64)
    home.sort()
    b = len(home)
    challenges = people["challenges"].to_numpy()
    bits = ((challenges[:, None] & _BITS[None, :]) != 0).astype(np.int64)
    prevalence = np.zeros((n_counties, len(CHALLENGES)))
    np.add.at(prevalence, county, bits)
    leading = np.argsort(-(prevalence + 1.0), axis=1, kind="stable")
    rank = np.arange(b) - np.searchsorted(base_county, base_county)
    lead = leading[base_county, rank % len(CHALLENGES)]
    own = bits[home].astype(bool)
    own[np.arange(b), lead] = False
    wanted = rng.integers(BASE_EXTRA_THEMES[0], BASE_EXTRA_THEMES[1] + 1, size=b)
    key = np.where(own, rng.random(own.shape), -1.0)
    order = np.argsort(np.argsort(-key, axis=1, kind="stable"), axis=1, kind="stable")
    extra = own & (order < wanted[:, None])
    extra[np.arange(b), lead] = True
    demand = np.bincount(county[people["needs_mentor"].to_numpy()], minlength=n_counties)
    target = np.ceil(demand * BASE_CAPACITY_SLACK / np.maximum(per_county, 1)).astype(np.int64)
    capacity = _around(rng, target[base_county])
    return pd.DataFrame(
        {
            "county": base_county,
            "unit": people["unit"].to_numpy()[home],
            "community": home,
            "themes": (extra * _BITS).sum(axis=1, dtype=np.uint32),
            "capacity": capacity,
        }
    )


def _constraints(
    rng: np.random.Generator, people: pd.DataFrame, mentors: pd.DataFrame
) -> pd.DataFrame:
    """Pairs a planner keeps (a continuing mentee and last cycle's mentor, within the
    mentor's capacity) and forbids (one mentor of the mentee's county)."""
    previous = people["previous_mentor"].to_numpy()
    continuing = np.flatnonzero(people["needs_mentor"].to_numpy() & (previous >= 0))
    kept = continuing[rng.random(len(continuing)) < KEEP_SHARE]
    # Never more kept pairs than half a mentor's places: the plan keeps room to choose.
    mentor = previous[kept]
    order = np.argsort(mentor, kind="stable")
    rank = np.empty(len(kept), dtype=np.int64)
    rank[order] = np.arange(len(kept)) - np.searchsorted(mentor[order], mentor[order])
    fits = rank < mentors["capacity"].to_numpy()[mentor] // 2
    kept, mentor = kept[fits], mentor[fits]
    mentees = np.flatnonzero(people["needs_mentor"].to_numpy())
    free = np.setdiff1d(mentees, kept)
    barred = free[rng.random(len(free)) < FORBID_SHARE]
    county = people["county"].to_numpy()[barred]
    mentor_county = mentors["county"].to_numpy()
    first = np.searchsorted(mentor_county, county)
    count = np.searchsorted(mentor_county, county, side="right") - first
    other = first + (rng.random(len(barred)) * count).astype(np.int64)
    return pd.DataFrame(
        {
            "secretary": np.r_[kept, barred],
            "mentor": np.r_[mentor, other],
            "rule": ["keep"] * len(kept) + ["forbid"] * len(barred),
        }
    )


# --- Calibration --------------------------------------------------------------------------


def _district_type_mix() -> pd.Series:
    """The community-type mix the synthetic district is drawn from."""
    total = sum(UNIT_COUNTS.values())
    villages = PUBLISHED["villages_in_taopu"]
    mix = dict.fromkeys(COMMUNITY_TYPES.codes, 0.0)
    for unit, count in UNIT_COUNTS.items():
        urban = count - (villages if unit == VILLAGE_UNIT else 0)
        weights = np.array(TYPE_MIX[unit]) / sum(TYPE_MIX[unit])
        for t, w in zip(_TYPE_ORDER, weights, strict=True):
            mix[t] += urban * w / total
    mix["village"] = villages / total
    return pd.Series(mix)


def calibration_table(region: Region) -> pd.DataFrame:
    """The district's calibration targets as shares, against a region's own.

    Columns ``target``, ``expected``, ``region`` and ``met``: born 1980 or later (over
    1/4), university degree (139 of 282), mentees per mentor (about 5), every county
    with places for its mentees, the community-type mix (within 3 points of the
    district's) and each type's challenge rates (within 5 points of the district's
    base rates, within 10 points, where a type has at least 100 communities: the draw
    scales ageing-linked rates and caps the number of challenges, as the district's does).

    >>> r = synthesize_region(seed=3, n_secretaries=3_000, n_mentors=150, n_bases=200)
    >>> bool(calibration_table(r)["met"].all())
    True
    """
    s, m = region.secretaries, region.mentors
    young = float((s["birth_year"] >= 1980).mean())
    university = float(
        s["education"].isin([EDUCATION.codes.index(c) for c in UNIVERSITY_LEVELS]).mean()
    )
    published_university = PUBLISHED["university_degree"] / PUBLISHED["secretaries_in_post"]
    per_mentor = len(region.mentees) / max(len(m), 1)
    places = m.groupby("county")["capacity"].sum()
    demand = s[s["needs_mentor"]].groupby("county").size()
    enough = bool((places.reindex(demand.index, fill_value=0) >= demand).all())
    rows = [
        (
            "born 1980 or later",
            f"> {PUBLISHED['born_1980_or_later_share_min']}",
            round(young, 3),
            young > PUBLISHED["born_1980_or_later_share_min"],
        ),
        (
            "university degree or higher",
            round(published_university, 3),
            round(university, 3),
            abs(university - published_university) < 0.01,
        ),
        ("mentees per mentor", "about 5", round(per_mentor, 2), 4.0 <= per_mentor <= 6.5),
        ("every county has places for its mentees", True, enough, enough),
    ]
    expected_mix = _district_type_mix()
    mix = (
        s["community_type"].value_counts(normalize=True).reindex(range(len(COMMUNITY_TYPES)))
    ).fillna(0.0)
    for j, t in enumerate(COMMUNITY_TYPES.codes):
        rows.append(
            (
                f"share of {t}",
                round(float(expected_mix[t]), 3),
                round(float(mix[j]), 3),
                abs(float(mix[j]) - float(expected_mix[t])) < 0.03,
            )
        )
    # Challenge rates per type: the district's draw (rates scaled by the share aged 60+,
    # at least one, at most MAX_CHALLENGES) gives rates near the base rates; compare the
    # rate of having each type's three most likely challenges.
    masks = s["challenges"].to_numpy()
    for j, t in enumerate(COMMUNITY_TYPES.codes):
        rows_t = (s["community_type"] == j).to_numpy()
        if rows_t.sum() < 100:
            continue
        base = challenge_rates(t)
        for b in np.argsort(-base, kind="stable")[:3]:
            rate = float(((masks[rows_t] >> np.uint32(b)) & 1).mean())
            rows.append(
                (
                    f"{t}: {CHALLENGES.codes[b]}",
                    round(float(base[b]), 3),
                    round(rate, 3),
                    abs(rate - base[b]) < 0.1,
                )
            )
    rows.append(
        (
            "challenges per community",
            f"1..{MAX_CHALLENGES}",
            round(float(popcount(masks).mean()), 2),
            bool(popcount(masks).min() >= 1 and popcount(masks).max() <= MAX_CHALLENGES),
        )
    )
    return pd.DataFrame(rows, columns=["target", "expected", "region", "met"])
