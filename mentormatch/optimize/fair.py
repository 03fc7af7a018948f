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

from mentormatch.errors import InfeasibleError
from mentormatch.optimize.instance import Instance
from mentormatch.optimize.network import integer_costs
from mentormatch.optimize.pricing import min_cost_plan
from mentormatch.optimize.total import solve_total

__all__ = ["solve_fair", "solve_fair_chunks"]


def solve_fair(instance: Instance, *, solver: str, allow_unassigned: bool) -> np.ndarray:
    """Each mentee's chosen edge (-1 if unplaced) in a lexicographically fairest plan."""
    best = solve_total(instance, solver=solver, allow_unassigned=allow_unassigned)
    chosen_free = best[best >= 0]
    chosen_free = chosen_free[~instance.required[chosen_free]]
    if not len(chosen_free):
        return best
    # The total-optimal plan achieves its own minimum, and no plan can beat the
    # weakest best-choice of a mentee that must be placed: search only in between.
    lowest = instance.score[chosen_free].min()
    return _search(instance, best, lowest, np.inf, solver)[1]


def solve_fair_chunks(
    subs: list[Instance], *, solver: str, allow_unassigned: bool
) -> list[np.ndarray | InfeasibleError]:
    """The fair plan of independent sub-instances taken together, one at a time.

    The whole's bottleneck is the lowest of the parts' bottlenecks, and among plans
    reaching it each part maximises its own sum: so every part is solved for ``total``
    first, the parts whose ``total`` plan falls below the running bottleneck are
    searched (lowest first, each search capped by the bottleneck found so far, so most
    parts need no search at all), and each part below the final bottleneck is solved
    once more above it. A single part gives exactly :func:`solve_fair`'s plan.

    Returns, per sub-instance, its chosen local edges (the edge positions of placed
    mentees) or the :class:`~mentormatch.errors.InfeasibleError` of that part.
    """
    firsts: list = []
    for sub in subs:
        try:
            firsts.append(solve_total(sub, solver=solver, allow_unassigned=allow_unassigned))
        except InfeasibleError as error:
            firsts.append(error)
    lowest = np.full(len(subs), np.inf)
    for c, (sub, first) in enumerate(zip(subs, firsts, strict=True)):
        if not isinstance(first, InfeasibleError):
            chosen = first[first >= 0]
            chosen = chosen[~sub.required[chosen]]
            if len(chosen):
                lowest[c] = sub.score[chosen].min()
    bottleneck, searched = np.inf, {}
    for c in np.argsort(lowest, kind="stable").tolist():
        if not lowest[c] < bottleneck:
            break  # this part's plan, and every later one's, already clears it
        found, choice = _search(subs[c], firsts[c], lowest[c], bottleneck, solver)
        searched[c] = (found, choice)
        bottleneck = min(bottleneck, found)
    out: list = []
    for c, (sub, first) in enumerate(zip(subs, firsts, strict=True)):
        if isinstance(first, InfeasibleError) or lowest[c] >= bottleneck:
            out.append(first if isinstance(first, InfeasibleError) else first[first >= 0])
            continue
        found, choice = searched.get(c, (None, None))
        if found != bottleneck:
            active = sub.required | (sub.score >= bottleneck)
            placed = int((first >= 0).sum())
            edges = min_cost_plan(
                sub, active, integer_costs(sub.score), placed=placed, solver=solver
            )
            choice = sub.choice_of(edges)
        out.append(choice[choice >= 0])
    return out


def _search(
    instance: Instance, first: np.ndarray, lowest: float, cap: float, solver: str
) -> tuple[float, np.ndarray]:
    """The highest threshold up to ``cap`` that a plan placing as many as ``first`` can
    clear, and the best such plan: a binary search over the distinct scores."""
    placed = int((first >= 0).sum())
    free = ~instance.required
    thresholds = np.unique(instance.score[free])
    thresholds = thresholds[(thresholds >= lowest) & (thresholds <= cap)]
    if np.isfinite(cap):
        # The part may clear the cap itself (a score of another part): then it does
        # not lower the whole's bottleneck, whatever its own scores below the cap.
        thresholds = np.union1d(thresholds, [cap])
    if placed == instance.n_mentees:
        top = np.full(instance.n_mentees, np.inf)
        np.minimum.at(top, instance.edge_mentee[free], -instance.score[free])
        ceiling = -top[np.isfinite(top)].max()
        thresholds = thresholds[thresholds <= ceiling]
    cost = integer_costs(instance.score)
    best, lo, hi = first, 0, len(thresholds) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        active = instance.required | (instance.score >= thresholds[mid])
        chosen = min_cost_plan(instance, active, cost, placed=placed, solver=solver)
        if chosen is None:
            hi = mid - 1
        else:
            lo, best = mid, instance.choice_of(chosen)
    return (float(thresholds[lo]) if len(thresholds) else lowest), best
