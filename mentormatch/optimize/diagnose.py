"""Why no plan exists: infeasibility explained in terms a planner can act on.

Called only after a solver found no feasible flow. Every reason names mentees and
mentors and says by how much the rules fall short:

- mentees with no allowed mentor at all;
- total capacity against the number of mentees ("capacity short by N");
- deficient groups by Hall's condition: a group of mentees whose allowed mentors have
  fewer places between them than the group has members. They are read off a minimum
  cut of the max-flow network: the nodes still reachable from the source in the residual
  graph of a maximum flow form the smallest source side of a minimum cut, so each of its
  connected parts is a smallest group with a shortfall;
- min loads that cannot be met: in total, or a group of mentors whose min loads add up
  to more than the mentees allowed to any of them (Hall's condition seen from the
  mentors, read off the same way from the sink side).

In the error, ``unplaceable`` lists the mentees of the deficient groups (not all of them
can be placed at once; a mentee with no allowed mentor is a group of its own),
``shortfall`` is how many mentees no plan can place (the groups' shortfalls added up:
the extra places the groups' mentors would need), and ``details`` holds the groups
(``"groups"``, ``"min_load_groups"``) as lists of labels with their numbers.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import breadth_first_order, connected_components

from mentormatch.errors import InfeasibleError
from mentormatch.optimize.backends import max_placement
from mentormatch.optimize.instance import Instance, count, shown

__all__ = ["explain"]


def explain(instance: Instance, solver: str) -> InfeasibleError:
    """The error to raise for an instance in which not every mentee can be placed
    within the capacities and min loads (the caller has established that)."""
    n = instance.n_mentees
    reasons: list[str] = []
    details: dict = {}
    unplaceable: set[int] = set()

    alone = np.flatnonzero(instance.degree() == 0)
    if len(alone):
        reasons.append(
            f"no allowed mentor (every mentor forbidden or without a score) for "
            f"{count(len(alone), 'mentee')}: {shown(instance.mentees[alone])}"
        )
        details["no_allowed_mentor"] = list(instance.mentees[alone])
        unplaceable.update(alone.tolist())
    places = int(instance.capacity.sum())
    if places < n:
        reasons.append(
            f"capacity short by {n - places}: {count(n, 'mentee')}, {count(places, 'place')}"
        )

    # Capacity alone, min loads aside: which groups of mentees cannot all be placed.
    everything = np.arange(instance.n_edges)
    best = max_placement(instance, everything, solver=solver, min_load=False)
    shortfall = n - len(best)
    if shortfall > 0:
        groups = _mentee_groups(instance, instance.choice_of(best))
        for group in groups:
            everyone = len(group["mentors"]) == instance.n_mentors
            if not group["mentors"] or (places < n and everyone):
                continue  # already said above: no allowed mentor / capacity short
            reasons.append(
                f"{count(len(group['mentees']), 'mentee')} ({shown(group['mentees'])}) can "
                f"only go to {count(len(group['mentors']), 'mentor')} "
                f"({shown(group['mentors'])}) with {count(group['places'], 'place')}: "
                f"short by {group['shortfall']}"
            )
        details["groups"] = groups
        details["max_placed"] = len(best)
        unplaceable.update(
            instance.mentees.get_indexer([x for g in groups for x in g["mentees"]]).tolist()
        )

    if instance.min_load.any():
        reasons.extend(_min_load_reasons(instance, solver, details))
    if not reasons:
        # Not expected: by the linking theorem (Mendelsohn-Dulmage, for flows), if every
        # mentee can be placed within capacities and every min load can be filled, both
        # can be done at once. A safeguard, so the error never comes without a reason.
        busy = np.flatnonzero(instance.min_load > 0)
        reasons.append(
            "the min loads and the capacities cannot be met together; lower the min loads "
            f"of {shown(instance.mentors[busy])} or raise capacities"
        )
    return InfeasibleError(
        reasons,
        unplaceable=list(instance.mentees[sorted(unplaceable)]),
        shortfall=max(shortfall, 0),
        details=details,
    )


def _min_load_reasons(instance: Instance, solver: str, details: dict) -> list[str]:
    n, need = instance.n_mentees, int(instance.min_load.sum())
    reasons = []
    if need > n:
        reasons.append(f"min loads need {count(need, 'mentee')} in all but there are only {n}")
    # A max flow in which each mentor can take only its min load shows which min loads
    # the allowed pairs can fill at all (a required mentee still has its one pair only).
    lows = dataclasses.replace(
        instance,
        capacity=instance.min_load,
        min_load=np.zeros_like(instance.min_load),
        required=np.zeros_like(instance.required),
    )
    filled = max_placement(lows, np.arange(instance.n_edges), solver=solver)
    if len(filled) < need:
        groups = _mentor_groups(lows, lows.choice_of(filled))
        for group in groups:
            if need > n and len(group["mentors"]) == instance.n_mentors:
                continue
            if len(group["mentors"]) == 1:
                reasons.append(
                    f"mentor {group['mentors'][0]!r} needs at least "
                    f"{count(group['need'], 'mentee')} but only {len(group['mentees'])} "
                    "can go to it"
                )
            else:
                reasons.append(
                    f"mentors {shown(group['mentors'])} need at least "
                    f"{count(group['need'], 'mentee')} between them but only "
                    f"{len(group['mentees'])} can go to them: short by {group['shortfall']}"
                )
        details["min_load_groups"] = groups
        details["min_load_shortfall"] = need - len(filled)
    return reasons


def _mentee_groups(instance: Instance, choice: np.ndarray) -> list[dict]:
    """Deficient mentee groups from a maximum placement ``choice``."""
    n = instance.n_mentees
    reached = _reach(instance, choice, starts=np.flatnonzero(choice < 0), from_source=True)
    groups = []
    for mentees, mentors in _parts(instance, reached[:n], reached[n:]):
        places = int(instance.capacity[mentors].sum())
        groups.append(
            {
                "mentees": list(instance.mentees[mentees]),
                "mentors": list(instance.mentors[mentors]),
                "places": places,
                "shortfall": len(mentees) - places,
            }
        )
    return _ranked(g for g in groups if g["shortfall"] > 0)


def _mentor_groups(lows: Instance, choice: np.ndarray) -> list[dict]:
    """Deficient mentor groups from a maximum flow of the min-load network ``lows``."""
    n = lows.n_mentees
    load = np.bincount(lows.edge_mentor[choice[choice >= 0]], minlength=lows.n_mentors)
    short = n + np.flatnonzero(load < lows.capacity)
    reached = _reach(lows, choice, starts=short, from_source=False)
    mentors = reached[n:]
    # The mentees that count are all those allowed to a reached mentor.
    mentees = np.zeros(n, dtype=bool)
    mentees[lows.edge_mentee[mentors[lows.edge_mentor]]] = True
    groups = []
    for who, whom in _parts(lows, mentees, mentors):
        need = int(lows.capacity[whom].sum())
        groups.append(
            {
                "mentors": list(lows.mentors[whom]),
                "mentees": list(lows.mentees[who]),
                "need": need,
                "shortfall": need - len(who),
            }
        )
    return _ranked(g for g in groups if g["shortfall"] > 0)


def _ranked(groups) -> list[dict]:
    return sorted(groups, key=lambda g: -g["shortfall"])


def _reach(
    instance: Instance, choice: np.ndarray, *, starts: np.ndarray, from_source: bool
) -> np.ndarray:
    """Nodes (mentees ``0..n-1``, then mentors) reachable in the residual graph of the
    placement ``choice`` from ``starts`` (``from_source``), or that reach ``starts``.

    Residual arcs: mentee -> mentor on an unused pair, mentor -> mentee on a used pair.
    """
    n, m = instance.n_mentees, instance.n_mentors
    used = choice[instance.edge_mentee] == np.arange(instance.n_edges)
    mentee, mentor = instance.edge_mentee, n + instance.edge_mentor
    tail = np.where(used, mentor, mentee)
    head = np.where(used, mentee, mentor)
    if not from_source:
        tail, head = head, tail
    # One extra node that points at every start, so one search covers them all.
    root = n + m
    tail = np.concatenate([tail, np.full(len(starts), root)])
    head = np.concatenate([head, starts])
    graph = coo_array(
        (np.ones(len(tail), dtype=np.int8), (tail, head)), shape=(root + 1, root + 1)
    ).tocsr()
    order = breadth_first_order(graph, root, directed=True, return_predecessors=False)
    reached = np.zeros(root + 1, dtype=bool)
    reached[order] = True
    return reached[:root]


def _parts(instance: Instance, mentees: np.ndarray, mentors: np.ndarray):
    """Connected parts (mentee positions, mentor positions) of the selected nodes,
    linked by the allowed pairs between them, in order of their first mentee."""
    n, m = instance.n_mentees, instance.n_mentors
    keep = mentees[instance.edge_mentee] & mentors[instance.edge_mentor]
    graph = coo_array(
        (
            np.ones(keep.sum(), dtype=np.int8),
            (instance.edge_mentee[keep], n + instance.edge_mentor[keep]),
        ),
        shape=(n + m, n + m),
    )
    _, label = connected_components(graph, directed=False)
    selected = np.concatenate([mentees, mentors])
    for part in dict.fromkeys(label[selected].tolist()):
        nodes = np.flatnonzero(selected & (label == part))
        yield nodes[nodes < n], nodes[nodes >= n] - n
