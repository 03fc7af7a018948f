"""The ``stable`` objective: mentee-proposing deferred acceptance with capacities.

This is the hospital-residents game with mentees as residents. Mentees rank their
allowed mentors by score, mentors rank mentees by ``mentor_score``; higher is better,
and ties are broken by input order (the earlier mentor or mentee is preferred), so
preferences are strict and the result is unique: the mentee-optimal stable matching,
in which every mentee gets the best mentor it has in any stable matching.

Rules:

- Forbidden and NaN pairs are unacceptable to both sides.
- Required pairs are fixed before the algorithm runs and use their mentor's capacity;
  their mentee does not propose. A mentor may then prefer a proposer to a required
  mentee it cannot drop, so such plans can report blocking pairs caused by the rule.
- Min loads cannot be imposed on deferred acceptance. They are checked afterwards: by
  the rural hospitals theorem every stable matching gives each mentor the same number
  of mentees, so if this plan leaves a mentor below its min load, no stable plan meets
  it, and :class:`~mentormatch.errors.InfeasibleError` says so (the plan is in
  ``details["plan"]``).
- A mentee whose acceptable mentors are all full with mentees they prefer stays
  unplaced, in every stable matching (same theorem). Unless ``allow_unassigned``, that
  raises :class:`~mentormatch.errors.InfeasibleError`, telling apart the instances in
  which no plan at all places everyone from those in which only stability prevents it.
"""

from __future__ import annotations

import heapq

import numpy as np

from mentormatch.errors import InfeasibleError
from mentormatch.optimize.backends import max_placement
from mentormatch.optimize.diagnose import explain
from mentormatch.optimize.instance import Instance, shown

__all__ = ["solve_stable", "deferred_acceptance"]


def solve_stable(instance: Instance, *, solver: str, allow_unassigned: bool) -> np.ndarray:
    """Each mentee's chosen edge (-1 if unplaced) in the mentee-optimal stable plan."""
    choice = deferred_acceptance(instance)
    unplaced = np.flatnonzero(choice < 0)
    if len(unplaced) and not allow_unassigned:
        best = max_placement(instance, np.arange(instance.n_edges), solver=solver)
        if best is None or len(best) < instance.n_mentees:
            raise explain(instance, solver)
        raise InfeasibleError(
            [
                f"no stable plan places every mentee: all acceptable mentors of "
                f"{shown(instance.mentees[unplaced])} are full with mentees they prefer; "
                "a plan placing everyone exists (objective 'total' or 'fair')"
            ],
            unplaceable=list(instance.mentees[unplaced]),
            details={"plan": instance.to_series(choice)},
        )
    load = np.bincount(instance.edge_mentor[choice[choice >= 0]], minlength=instance.n_mentors)
    under = np.flatnonzero(load < instance.min_load)
    if len(under):
        raise InfeasibleError(
            [
                "no stable plan meets the min loads of "
                + ", ".join(
                    f"{instance.mentors[j]!r} ({load[j]} < {instance.min_load[j]})"
                    for j in under[:5]
                )
                + ": every stable plan gives each mentor the same number of mentees"
            ],
            details={
                "plan": instance.to_series(choice),
                "under_min_load": list(instance.mentors[under]),
            },
        )
    return choice


def deferred_acceptance(instance: Instance) -> np.ndarray:
    """Each mentee's edge (-1 if unplaced) in the mentee-optimal stable matching."""
    n = instance.n_mentees
    choice = np.full(n, -1, dtype=np.int64)
    fixed = np.flatnonzero(instance.required)
    choice[instance.edge_mentee[fixed]] = fixed
    room = (
        instance.capacity - np.bincount(instance.edge_mentor[fixed], minlength=instance.n_mentors)
    ).tolist()
    # Edges are sorted by mentee, then mentor: mentee i owns edges bounds[i]:bounds[i+1].
    bounds = np.searchsorted(instance.edge_mentee, np.arange(n + 1)).tolist()
    score, mentor_of, mentor_score = instance.score, instance.edge_mentor, instance.mentor_score

    # A mentee's list is sorted when it first proposes: most mentees stop after a few
    # proposals, so sorting every list up front would cost more than the whole run.
    ranked: dict[int, list[int]] = {}
    proposed = [0] * n
    # Each mentor's held mentees in a min-heap keyed by how the mentor ranks them,
    # so its least preferred one is on top: (mentor score, -position, edge).
    held: list[list[tuple[float, int, int]]] = [[] for _ in range(instance.n_mentors)]
    waiting = [i for i in range(n - 1, -1, -1) if choice[i] < 0 and bounds[i] < bounds[i + 1]]
    while waiting:
        i = waiting.pop()
        if i not in ranked:
            lo, hi = bounds[i], bounds[i + 1]
            # Stable sort keeps the mentor order among equal scores: ties by input order.
            ranked[i] = (lo + np.argsort(-score[lo:hi], kind="stable")).tolist()
        mine = ranked[i]
        while proposed[i] < len(mine):
            e = mine[proposed[i]]
            proposed[i] += 1
            j = int(mentor_of[e])
            key = (float(mentor_score[e]), -i, e)
            if room[j] > 0:
                room[j] -= 1
                heapq.heappush(held[j], key)
                break
            if held[j] and held[j][0] < key:
                _, dropped, _ = heapq.heapreplace(held[j], key)
                waiting.append(-dropped)
                break
    for keys in held:
        for _, i, e in keys:
            choice[-i] = e
    return choice
