"""Small random Regions for the tests of regions, candidates and region plans.

Unlike :func:`mentormatch.region_synth.synthesize_region`, these are not calibrated:
codes, borders (across county lines too), earlier posts, previous mentors, capacities
and rules are drawn at random, to reach the corners a calibrated region avoids.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from mentormatch.region import Region
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES, EDUCATION


def random_region(
    seed: int,
    *,
    n_secretaries: int = 30,
    n_mentors: int = 8,
    n_units: int = 6,
    n_counties: int = 2,
    mentee_share: float = 0.6,
    keep_share: float = 0.1,
    forbid_share: float = 0.1,
    min_loads: bool = True,
    slack: float = 1.3,
) -> Region:
    """A random Region whose mentors have room for every mentee (``slack`` times over)."""
    rng = np.random.default_rng(seed)
    n_units = max(n_units, n_counties)
    unit_county = np.sort(
        np.r_[np.arange(n_counties), rng.integers(0, n_counties, n_units - n_counties)]
    )
    # Random borders, some across county lines.
    a = rng.integers(0, n_units, size=2 * n_units)
    b = rng.integers(0, n_units, size=2 * n_units)
    ok = a != b
    border = sparse.coo_array(
        (np.ones(2 * ok.sum(), bool), (np.r_[a[ok], b[ok]], np.r_[b[ok], a[ok]])),
        shape=(n_units, n_units),
    )
    unit = rng.integers(0, n_units, size=n_secretaries)
    mentor_unit = rng.integers(0, n_units, size=n_mentors)
    n_challenges = len(CHALLENGES)
    needs = rng.random(n_secretaries) < mentee_share
    n_mentees = int(needs.sum())
    capacity = rng.integers(0, 4, size=n_mentors)
    target = int(np.ceil(slack * n_mentees))
    while capacity.sum() < target:
        capacity[rng.integers(n_mentors)] += 1
    min_load = np.minimum(rng.integers(0, 2, size=n_mentors), capacity) if min_loads else 0
    n_communities = n_secretaries + 5
    prior = sparse.random_array(
        (n_secretaries, n_communities), density=0.05, random_state=rng, format="csr"
    )
    secretaries = pd.DataFrame(
        {
            "county": unit_county[unit],
            "unit": unit,
            "community": np.arange(n_secretaries),
            "community_type": rng.integers(0, len(COMMUNITY_TYPES), size=n_secretaries),
            # Few challenges, so that many pairs tie in score.
            "challenges": _masks(rng, n_secretaries, n_challenges, 0.08),
            "birth_year": (birth := rng.integers(1960, 1999, size=n_secretaries)),
            # Appointed in 2000-2024, and not before the age of 18.
            "appointed_year": np.maximum(rng.integers(2000, 2025, size=n_secretaries), birth + 18),
            "education": rng.integers(0, len(EDUCATION), size=n_secretaries),
            "gender": rng.integers(0, 2, size=n_secretaries),
            "households": rng.integers(300, 3000, size=n_secretaries),
            "share_aged_60_plus": rng.random(n_secretaries),
            "needs_mentor": needs,
            "mentored_since": 0,
            "previous_mentor": np.where(
                rng.random(n_secretaries) < 0.3, rng.integers(0, n_mentors, n_secretaries), -1
            ),
        },
        index=[f"S{i:03d}" for i in range(n_secretaries)],
    )
    mentors = pd.DataFrame(
        {
            "county": unit_county[mentor_unit],
            "unit": mentor_unit,
            "community": rng.integers(0, n_communities, size=n_mentors),
            "community_types": rng.integers(1, 1 << len(COMMUNITY_TYPES), size=n_mentors),
            "expertise": _masks(rng, n_mentors, n_challenges, 0.15),
            "years_as_secretary": 20,
            "capacity": capacity,
            "min_load": min_load,
        },
        index=[f"M{j:02d}" for j in range(n_mentors)],
    )
    mentee = np.flatnonzero(needs)
    kept = mentee[rng.random(len(mentee)) < keep_share]
    keep_mentor = rng.integers(0, n_mentors, size=len(kept))
    barred = mentee[rng.random(len(mentee)) < forbid_share]
    forbid_mentor = rng.integers(0, n_mentors, size=len(barred))
    rules = pd.DataFrame(
        {
            "secretary": np.r_[kept, barred],
            "mentor": np.r_[keep_mentor, forbid_mentor],
            "rule": ["keep"] * len(kept) + ["forbid"] * len(barred),
        }
    ).drop_duplicates(["secretary", "mentor"], keep="first")
    return Region(
        secretaries=secretaries,
        mentors=mentors,
        bases=None,
        units=pd.DataFrame({"county": unit_county}),
        neighbours=border,
        prior=prior,
        constraints=rules,
        name=f"random {seed}",
    )


def _masks(rng: np.random.Generator, n: int, bits: int, p: float) -> np.ndarray:
    drawn = rng.random((n, bits)) < p
    return (drawn * (1 << np.arange(bits))).sum(axis=1).astype(np.uint32)
