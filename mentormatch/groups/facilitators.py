"""Who facilitates a salon group: the top quartile of the capacity index, or of years in post.

:func:`facilitators_by_rule` is the District's rule (:mod:`mentormatch.groups.salon`);
a Region's counties take its ``"tenure"`` rule, county by county
(:func:`mentormatch.groups.region_encode.county_facilitators`). When mentors join a
District's salon as leads, :func:`place_mentors` says which group each joins.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.groups.terms import FACILITATOR_QUANTILE

__all__ = ["facilitators_by_rule", "years_in_post", "place_mentors"]


def facilitators_by_rule(post: pd.DataFrame, capacity: np.ndarray) -> tuple[np.ndarray, float, str]:
    """Who facilitates, the threshold, and the rule used.

    The rule is the top quartile of the capacity index (``"capacity"``: at least its
    75th percentile among those assessed). On a roster with no assessment of anyone in
    post it is the top quartile of **years in post** (``"tenure"``: appointed no later
    than the 25th percentile of the appointment years; the threshold is then a number
    of years in post), the most experienced secretaries, as a district would pick them
    without scores. The plan says which rule it used (:attr:`SalonPlan.facilitator_rule`).
    """
    facilitator, threshold = _top_quartile(capacity)
    if np.isfinite(capacity).any() or not len(post):
        return facilitator, threshold, "capacity"
    years = years_in_post(post)
    known = np.isfinite(years)
    if not known.any():
        return np.zeros(len(post), dtype=bool), float("nan"), "tenure"
    cut = float(np.quantile(years[known], FACILITATOR_QUANTILE))
    return known & (years >= cut), cut, "tenure"


def years_in_post(post: pd.DataFrame) -> np.ndarray:
    """Years each secretary has been in post, counted to the latest appointment year of
    the roster (so it depends on the roster only).

    >>> years_in_post(pd.DataFrame({"appointed_year": [2010, 2020]})).tolist()
    [10.0, 0.0]
    """
    appointed = post["appointed_year"].to_numpy(dtype=float)
    if not np.isfinite(appointed).any():
        return appointed
    return np.nanmax(appointed) - appointed


def _top_quartile(capacity: np.ndarray) -> tuple[np.ndarray, float]:
    """Who is a facilitator (at least the quartile among those assessed), and the
    quartile (NaN when nobody was assessed)."""
    assessed = capacity[np.isfinite(capacity)]
    if not len(assessed):
        return np.zeros(len(capacity), dtype=bool), float("nan")
    threshold = float(np.quantile(assessed, FACILITATOR_QUANTILE))
    return np.isfinite(capacity) & (capacity >= threshold), threshold


def place_mentors(mentors: pd.DataFrame, fac_per_group: np.ndarray) -> dict[str, int]:
    """Mentor -> group (0-based): groups without a facilitator first, then the fewest
    mentors, the fewest facilitators, the lowest number."""
    taken = np.zeros(len(fac_per_group), dtype=np.int64)
    out = {}
    for mentor in mentors["mentor_id"].astype(str):
        g = int(
            np.lexsort((np.arange(len(taken)), fac_per_group, taken, fac_per_group + taken > 0))[0]
        )
        out[mentor] = g
        taken[g] += 1
    return out
