"""The ``fair`` objective: maximise the worst-off mentee's score, then the sum.

The bottleneck is the lowest score among the mentees whose mentor the solver chooses
(a mentee held by a required pair is not a choice, so it does not count). It is found
by binary search over the distinct scores: a threshold ``t`` is achievable when some plan
uses only pairs scoring at least ``t`` (required pairs always allowed) and places as many
mentees as the ``total`` plan does. Among plans at the best threshold the sum is
maximised, exactly as for ``total``. Thresholds compare the unrounded scores, so the
bottleneck is exact; the sum is exact up to the rounding of
:data:`~mentormatch.optimize.network.PRECISION`.
"""

from __future__ import annotations

import numpy as np

from mentormatch.optimize.instance import Instance
from mentormatch.optimize.network import integer_costs
from mentormatch.optimize.pricing import min_cost_plan
from mentormatch.optimize.total import solve_total

__all__ = ["solve_fair"]


def solve_fair(instance: Instance, *, solver: str, allow_unassigned: bool) -> np.ndarray:
    """Each mentee's chosen edge (-1 if unplaced) in a lexicographically fairest plan."""
    best = solve_total(instance, solver=solver, allow_unassigned=allow_unassigned)
    placed = int((best >= 0).sum())
    free = ~instance.required
    chosen_free = best[best >= 0]
    chosen_free = chosen_free[free[chosen_free]]
    if not len(chosen_free):
        return best
    # The total-optimal plan achieves its own minimum, and no plan can beat the
    # weakest best-choice of a mentee that must be placed: search only in between.
    lowest = instance.score[chosen_free].min()
    thresholds = np.unique(instance.score[free])
    thresholds = thresholds[thresholds >= lowest]
    if placed == instance.n_mentees:
        top = np.full(instance.n_mentees, np.inf)
        np.minimum.at(top, instance.edge_mentee[free], -instance.score[free])
        ceiling = -top[np.isfinite(top)].max()
        thresholds = thresholds[thresholds <= ceiling]

    cost = integer_costs(instance.score)
    lo, hi = 0, len(thresholds) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        active = instance.required | (instance.score >= thresholds[mid])
        chosen = min_cost_plan(instance, active, cost, placed=placed, solver=solver)
        if chosen is None:
            hi = mid - 1
        else:
            lo, best = mid, instance.choice_of(chosen)
    return best
