"""The synthetic city or nation: counties of units, laid out and drawn by the shared
generators.

The layout is the region's own (county and unit sizes, borders on a grid, mentors and
bases spread over counties, pairs kept and forbidden); every attribute is drawn by the
generators the district uses too (:mod:`~mentormatch.synth.people`,
:mod:`~mentormatch.synth.communities`, :mod:`~mentormatch.synth.history`,
:mod:`~mentormatch.synth.mentors`, :mod:`~mentormatch.synth.bases`), as whole arrays,
so that a nation of 600,000 secretaries takes seconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from mentormatch.errors import DataError
from mentormatch.region import Region, mentors_around, units_around
from mentormatch.synth.assumptions import (
    COUNTY_SIZE_SD,
    FORBID_SHARE,
    KEEP_SHARE,
    MEAN_TENURE,
    MENTEES_PER_MENTOR,
    MENTOR_YEARS,
    PUBLISHED,
    SECRETARIES_PER_COUNTY,
    SECRETARIES_PER_UNIT,
    UNIT_COUNTS,
    UNIT_SIZE_SD,
    VILLAGE_SHARE,
    VILLAGE_UNIT,
    WAVES,
    YOUNG_SHARE,
)
from mentormatch.synth.bases import base_capacities, base_leads, base_themes, challenge_counts
from mentormatch.synth.communities import (
    PROFILES,
    ages_and_households,
    challenge_masks,
    urban_types,
)
from mentormatch.synth.counts import at_least_one, largest_remainders, split, spread, spread_counts
from mentormatch.synth.history import (
    cap_mentees,
    continuing,
    eligible,
    entry_years,
    previous_mentors,
    prior_posts,
    this_cycle,
)
from mentormatch.synth.mentors import capacities, mentor_profiles, min_loads
from mentormatch.synth.people import appointed_years, birth_years, education, genders
from mentormatch.vocab import COMMUNITY_TYPES

__all__ = ["synthesize_region"]


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

    Counties (lognormal sizes around ``SECRETARIES_PER_COUNTY``) are split into units
    of about ``SECRETARIES_PER_UNIT`` secretaries, laid out on a triangulated grid
    (so that a unit has up to six neighbours, as Putuo's do); borders stay inside a
    county. Units take the community-type mixes of Putuo's units in proportion to those
    units' sizes, so that the region has the district's mix; challenges, ages,
    education, mentoring history, mentors, capacities and bases are drawn by the
    district's generators, county by county: each county has about
    ``MENTEES_PER_MENTOR`` mentees per mentor and mentor places for all of them
    (``CAPACITY_SLACK`` over the demand). ``KEEP_SHARE`` of the continuing mentees
    (last cycle's, with last cycle's mentor) keep their mentor by rule and
    ``FORBID_SHARE`` of the mentees have a forbidden mentor (the constants of
    :mod:`mentormatch.synth.assumptions`).

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

    county_size = spread(rng, n_secretaries, n_counties, COUNTY_SIZE_SD, minimum=10)
    units_per_county = np.maximum(1, np.rint(county_size / SECRETARIES_PER_UNIT)).astype(int)
    unit_county = np.repeat(np.arange(n_counties), units_per_county)
    unit_size = split(rng, county_size, unit_county, UNIT_SIZE_SD)
    neighbours = _grid_borders(units_per_county)

    people = _communities(rng, unit_size, unit_county)
    n = len(people)
    birth = birth_years(rng, n, young_share=YOUNG_SHARE)
    appointed = appointed_years(rng, birth, MEAN_TENURE)
    people["birth_year"] = birth
    people["appointed_year"] = appointed
    n_university = round(PUBLISHED["university_degree"] / PUBLISHED["secretaries_in_post"] * n)
    people["education"] = education(rng, birth, n_university)
    people["gender"] = genders(rng, n)
    mentors_per_county = at_least_one(n_mentors, county_size)
    county = people["county"].to_numpy()
    can = eligible(birth, appointed)
    since = entry_years(rng, can, appointed, np.full(n, WAVES[1]))
    needs = this_cycle(rng, since, can, in_post=np.ones(n, dtype=bool))
    if all_mentees:
        needs = np.ones(n, dtype=bool)
    else:
        places = np.rint(MENTEES_PER_MENTOR * mentors_per_county).astype(np.int64)
        needs = cap_mentees(needs, birth, appointed, county, places)
    people["mentored_since"] = since
    people["needs_mentor"] = needs

    mentors = _mentors(rng, people, mentors_per_county)
    near = mentors_around(neighbours, mentors["unit"].to_numpy())
    unit = people["unit"].to_numpy()
    people["previous_mentor"] = previous_mentors(
        rng, continuing(needs, since), unit, county, near, mentors["county"].to_numpy()
    )
    prior = prior_posts(
        rng,
        unit,
        people["community"].to_numpy(),
        needs,
        unit_size,
        units_around(neighbours),
        mentors["unit"].to_numpy(),
        mentors["community"].to_numpy(),
        near=near,
    )
    bases = _bases(rng, people, spread_counts(n_bases, county_size))
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
    per_profile = largest_remainders(len(unit_size), np.array(list(UNIT_COUNTS.values())))
    profile = rng.permutation(np.repeat(np.arange(len(PROFILES)), per_profile))[unit]
    type_code = urban_types(rng, profile)
    village = (profile == PROFILES.index(VILLAGE_UNIT)) & (rng.random(n) < VILLAGE_SHARE)
    type_code[village] = COMMUNITY_TYPES.codes.index("village")
    share60, households = ages_and_households(rng, type_code)
    return pd.DataFrame(
        {
            "county": unit_county[unit],
            "unit": unit,
            "community": np.arange(n),
            "community_type": type_code,
            "challenges": challenge_masks(rng, type_code, share60),
            "households": households,
            "share_aged_60_plus": share60,
        }
    )


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
    types, expertise = mentor_profiles(rng, type_code[home])
    demand = np.bincount(county[people["needs_mentor"].to_numpy()], minlength=len(per_county))
    capacity = np.concatenate(
        [capacities(rng, int(c), int(d)) for c, d in zip(per_county, demand, strict=True)]
    )
    min_load = min_loads(rng, capacity)
    return pd.DataFrame(
        {
            "county": county[home],
            "unit": people["unit"].to_numpy()[home],
            "community": home,
            "community_types": types,
            "expertise": expertise,
            "years_as_secretary": rng.integers(
                MENTOR_YEARS[0], MENTOR_YEARS[1] + 1, size=len(home)
            ),
            "capacity": capacity,
            "min_load": min_load,
        }
    )


def _bases(rng: np.random.Generator, people: pd.DataFrame, per_county: np.ndarray) -> pd.DataFrame:
    """Practice bases county by county, each in a community of its county, built around
    the county's common challenges in turn, with places for the county's mentees."""
    county = people["county"].to_numpy()
    n_counties = len(per_county)
    base_county = np.repeat(np.arange(n_counties), per_county)
    first = np.searchsorted(county, np.arange(n_counties))
    size = np.diff(np.r_[first, len(county)])
    home = first[base_county] + (rng.random(len(base_county)) * size[base_county]).astype(np.int64)
    home.sort()
    masks = people["challenges"].to_numpy()
    lead = base_leads(challenge_counts(masks, county, n_counties), base_county)
    themes = base_themes(rng, lead, masks[home])
    demand = np.bincount(county[people["needs_mentor"].to_numpy()], minlength=n_counties)
    return pd.DataFrame(
        {
            "county": base_county,
            "unit": people["unit"].to_numpy()[home],
            "community": home,
            "themes": themes,
            "capacity": base_capacities(rng, demand, per_county, base_county),
        }
    )


def _constraints(
    rng: np.random.Generator, people: pd.DataFrame, mentors: pd.DataFrame
) -> pd.DataFrame:
    """Pairs a planner keeps (a continuing mentee and last cycle's mentor, within the
    mentor's capacity) and forbids (one mentor of the mentee's county)."""
    previous = people["previous_mentor"].to_numpy()
    kept = np.flatnonzero(people["needs_mentor"].to_numpy() & (previous >= 0))
    kept = kept[rng.random(len(kept)) < KEEP_SHARE]
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
