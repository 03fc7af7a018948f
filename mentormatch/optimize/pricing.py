"""Pricing: solve on each mentee's best pairs, then prove the plan optimal on all pairs.

In a dense instance almost every pair is allowed, yet an optimal plan uses pairs near
the top of each mentee's list. So the network is first built from each mentee's ``k``
cheapest pairs only (a twentieth of the arcs for a 6,000 x 300 city, twenty times
faster). The plan is then checked against *all* pairs: a min-cost flow is optimal if
and only if its residual graph has no negative cycle. Every such cycle passes through
mentors, so it is enough to look for one in a small graph on the mentors (plus source
and sink) whose arc ``j -> j'`` costs the cheapest move of one of ``j``'s mentees to
``j'``. If a cycle exists, ``k`` grows and the solve is repeated; at worst the full
network is solved. The result is the proven optimum either way.
"""

from __future__ import annotations

import numpy as np

from mentormatch.optimize.backends import min_cost_edges
from mentormatch.optimize.instance import Instance

__all__ = ["min_cost_plan", "PRICING_MIN_EDGES", "PRICING_MAX_CELLS", "FIRST_CANDIDATES"]

#: Instances with fewer allowed pairs are solved whole: pricing would not pay.
PRICING_MIN_EDGES = 50_000
#: Pricing works on dense mentee x mentor matrices; above this many cells it is skipped.
PRICING_MAX_CELLS = 5_000_000
#: How many of its cheapest pairs each mentee starts with (multiplied by 4 per round).
FIRST_CANDIDATES = 16


def min_cost_plan(
    instance: Instance, active: np.ndarray, cost: np.ndarray, *, placed: int, solver: str
) -> np.ndarray | None:
    """Instance edges of a cheapest plan placing exactly ``placed`` mentees over the
    ``active`` edges (boolean mask), with integer ``cost`` per edge; None if none."""
    n, m = instance.n_mentees, instance.n_mentors
    edges = np.flatnonzero(active)
    if len(edges) < PRICING_MIN_EDGES or n * m > PRICING_MAX_CELLS:
        return min_cost_edges(instance, edges, cost[edges], placed=placed, solver=solver)
    matrix = np.full((n, m), np.inf)
    matrix[instance.edge_mentee[edges], instance.edge_mentor[edges]] = cost[edges]
    edge_id = np.full((n, m), -1, dtype=np.int64)
    edge_id[instance.edge_mentee, instance.edge_mentor] = np.arange(instance.n_edges)
    k = FIRST_CANDIDATES
    while k < m:
        best = np.argpartition(matrix, k - 1, axis=1)[:, :k]
        rows = np.arange(n)[:, None]
        candidates = np.sort(edge_id[rows, best][np.isfinite(matrix[rows, best])])
        chosen = min_cost_edges(
            instance, candidates, cost[candidates], placed=placed, solver=solver
        )
        if chosen is not None and proven_optimal(instance, matrix, chosen):
            return chosen
        k *= 4
    return min_cost_edges(instance, edges, cost[edges], placed=placed, solver=solver)


def proven_optimal(instance: Instance, matrix: np.ndarray, chosen: np.ndarray) -> bool:
    """Whether the plan ``chosen`` is a min-cost flow for the costs ``matrix`` (mentee x
    mentor, inf = no arc), with the same number of mentees placed.

    The residual graph of the plan has arcs mentee -> mentor for unused pairs (cost
    ``c``), mentor -> mentee for used ones (``-c``), source -> unplaced mentee and
    placed mentee -> source (0), mentor -> sink while below capacity and sink -> mentor
    while above min load (0). A required mentee has no way out but back to its mentor,
    so it lies on no cycle. Contracting the free mentees leaves a graph on the mentors,
    the source and the sink that has a negative cycle exactly when the residual does.
    """
    n, m = instance.n_mentees, instance.n_mentors
    source, sink = m, m + 1
    choice = instance.choice_of(chosen)
    mentor = np.full(n, -1, dtype=np.int64)
    mentor[instance.edge_mentee[chosen]] = instance.edge_mentor[chosen]
    free = np.ones(n, dtype=bool)
    free[instance.edge_mentee[instance.required]] = False
    placed = np.flatnonzero(free & (choice >= 0))
    unplaced = np.flatnonzero(free & (choice < 0))

    arc = np.full((m + 2, m + 2), np.inf)
    if len(placed):
        # Move one mentee of j to j': leave j (-c_ij), join j' (+c_ij').
        order = placed[np.argsort(mentor[placed], kind="stable")]
        home = mentor[order]
        own = matrix[order, home]
        starts = np.flatnonzero(np.r_[True, home[1:] != home[:-1]])
        arc[home[starts], :m] = np.minimum.reduceat(matrix[order] - own[:, None], starts)
        if len(unplaced):
            arc[home[starts], source] = np.minimum.reduceat(-own, starts)
    if len(unplaced):
        arc[source, :m] = matrix[unplaced].min(axis=0)
    load = np.bincount(mentor[choice >= 0], minlength=m)
    arc[np.flatnonzero(load < instance.capacity), sink] = 0
    arc[sink, np.flatnonzero(load > instance.min_load)] = 0
    np.fill_diagonal(arc, np.inf)
    return not _has_negative_cycle(arc)


def _has_negative_cycle(arc: np.ndarray) -> bool:
    """Bellman-Ford from a virtual root joined to every node at cost 0."""
    distance = np.zeros(len(arc))
    for _ in range(len(arc)):
        relaxed = np.minimum(distance, (distance[:, None] + arc).min(axis=0))
        if (relaxed == distance).all():
            return False
        distance = relaxed
    return True
