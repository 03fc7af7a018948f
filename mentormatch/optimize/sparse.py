"""Sparse solve: the ``total`` plan straight from edge arrays, one independent part at a time.

The dense front door (:func:`~mentormatch.optimize.solve`) starts from a mentee x mentor
table; a city or a nation starts from candidate pairs (:mod:`mentormatch.candidates`):
three arrays, mentee, mentor and score, one entry per allowed pair. :func:`solve_edges`
encodes them with :meth:`Instance.from_edges <mentormatch.optimize.Instance.from_edges>`
and builds the same flow network (:mod:`~mentormatch.optimize.network`) as whole arrays,
handed to OR-Tools' ``SimpleMinCostFlow`` in one call per part: no Python loop per arc.

Counties that share no mentor are independent problems: the candidate graph falls into
connected components (``scipy.sparse.csgraph.connected_components``), and the optimum
of the whole is the optimum of each part put together. Solving them apart is also much
faster: for a nation's 1,600 counties (2.6 million pairs), OR-Tools' cost scaling takes
about 5 s on the one network and well under 1 s on the parts one by one (see
``benchmarks/README.md``). Tiny parts are grouped (at least :data:`MIN_PART_ARCS` arcs
per solve) so that Python's overhead per solve does not dominate; the grouping depends
on the data only, so the plan is the same for any ``n_jobs``. With ``n_jobs > 1`` the
groups are solved in parallel processes (joblib): OR-Tools holds Python's lock while it
solves, so threads would not help.

Small problems and anyone who asks get the network as a ``networkx.DiGraph``
(:func:`sparse_flow_network`), and ``solver="networkx"`` solves it with networkx's
network simplex: the same optimum.

Examples
--------
>>> from mentormatch.optimize.sparse import solve_edges
>>> plan = solve_edges([0, 0, 1, 2], [0, 1, 1, 2], [0.9, 0.5, 0.8, 0.3], capacity=[1, 1, 1])
>>> plan.mentor.tolist(), plan.objective, plan.n_parts
([0, 1, 2], 2.0, 2)
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from mentormatch.errors import DataError, InfeasibleError, Problem
from mentormatch.optimize.backends import choose_solver, solve_flow
from mentormatch.optimize.fair import solve_fair_chunks
from mentormatch.optimize.instance import OBJECTIVES, SOLVERS, Instance, shown
from mentormatch.optimize.network import build_network, integer_costs, node_names, to_digraph
from mentormatch.optimize.parts import (
    MIN_PART_ARCS,
    _in_part,
    _merged,
    independent_parts,
    split_parts,
    sub_instance,
)
from mentormatch.optimize.stable import solve_stable
from mentormatch.optimize.total import placeable

__all__ = [
    "SparseSolution",
    "solve_edges",
    "independent_parts",
    "sparse_flow_network",
    "MIN_PART_ARCS",
]

#: Positions, scores or flags: one per pair (or per mentor), as a sequence or an array.
Ints = Sequence[int] | np.ndarray
Floats = Sequence[float] | np.ndarray
Flags = Sequence[bool] | np.ndarray
#: Mentor loads: one per mentor position, labelled, or one number for all.
Loads = Sequence[int] | np.ndarray | pd.Series | int
Labels = Sequence | pd.Index


@dataclass(frozen=True, eq=False)
class SparseSolution:
    """A plan found by :func:`solve_edges`, and what it took.

    Attributes
    ----------
    mentor : ndarray of int64
        Per mentee: the mentor's position, -1 if unplaced.
    edge : ndarray of int64
        Per mentee: the position of its pair in the input arrays, -1 if unplaced.
    score : ndarray of float64
        Per mentee: the pair's score, NaN if unplaced.
    objective : float
        Sum of the plan's scores.
    cost : int
        The plan's integer cost in the flow network (``PRECISION`` minus the rounded
        score, summed): what every backend minimises, to compare optima exactly.
    n_parts, n_solves : int
        Independent parts of the candidate graph, and flow problems solved (small
        parts are grouped).
    solver : str
        ``"ortools"`` or ``"networkx"``.
    timings : dict
        Seconds: ``encode`` (checks and sorting), ``split`` (parts), ``build``
        (network arrays), ``solve`` (the backend, loading arcs included; summed over
        the processes when parallel) and ``total`` (wall clock).
    """

    mentor: np.ndarray
    edge: np.ndarray
    score: np.ndarray
    objective: float
    cost: int
    n_parts: int
    n_solves: int
    solver: str
    timings: dict = field(default_factory=dict)

    @property
    def unassigned(self) -> np.ndarray:
        """Positions of the mentees left without a mentor."""
        return np.flatnonzero(self.mentor < 0)

    def summary(self) -> pd.Series:
        """Headline figures of the plan and the solve."""
        placed = int((self.mentor >= 0).sum())
        return pd.Series(
            {
                "mentees": len(self.mentor),
                "placed": placed,
                "total_score": self.objective,
                "mean_score": self.objective / placed if placed else np.nan,
                "parts": self.n_parts,
                "solves": self.n_solves,
                "solver": self.solver,
                **{f"{k}_s": round(v, 4) for k, v in self.timings.items()},
            },
            name="sparse solution",
        )


def solve_edges(
    mentee_idx: Ints,
    mentor_idx: Ints,
    score: Floats,
    capacity: Loads,
    min_load: Loads | None = None,
    *,
    required: Flags | None = None,
    n_mentees: int | None = None,
    mentees: Labels | None = None,
    mentors: Labels | None = None,
    split: bool = True,
    n_jobs: int = 1,
    solver: str = "auto",
    allow_unassigned: bool = False,
    objective: str = "total",
    mentor_score: Floats | None = None,
) -> SparseSolution:
    """The best plan over the given pairs, for any objective, one part at a time.

    Each mentee gets exactly one mentor among its pairs, within mentor capacities and
    min loads; a mentee with a required pair gets that mentor (its other pairs are
    dropped, as the dense front door does). The objectives are those of
    :func:`mentormatch.optimize.solve`, which gives the same plan on the same pairs:

    - ``"total"``: the maximum sum, exact for the scores rounded to ``1 / PRECISION``,
      each part solved apart;
    - ``"fair"``: the highest lowest score, then the maximum sum. Parts are searched
      apart: the whole's bottleneck is the lowest of the parts' bottlenecks, and each
      part then maximises its sum above it (:func:`~mentormatch.optimize.fair.solve_fair_chunks`);
    - ``"stable"``: mentee-proposing deferred acceptance on the whole (it never looks
      beyond a mentee's own pairs, so parts need no special care), mentors ranking by
      ``mentor_score``; min loads are checked, not imposed.

    Parameters
    ----------
    mentee_idx, mentor_idx : array of int
        Positions of the pairs' mentee and mentor. Each pair at most once.
    score : array of float
        The pairs' scores, in [0, 1].
    capacity : array of int, Series or int
        Most mentees per mentor, one per mentor position (or one number for all, when
        ``mentors`` says how many there are).
    min_load : array of int, Series or int, optional
        Fewest mentees per mentor.
    required : array of bool, optional
        Pairs that must be in the plan (at most one per mentee).
    n_mentees : int, optional
        Number of mentees (default: ``len(mentees)`` or the largest position + 1).
    mentees, mentors : sequence, optional
        Labels for messages (default: the positions).
    split : bool
        Solve independent parts apart (faster; the same optimum).
    n_jobs : int
        Processes for the parts (joblib; 1: in this process).
    solver : {"auto", "networkx", "ortools"}
        ``"auto"`` chooses by the size of the whole network, as the dense solve does.
    allow_unassigned : bool
        Place as many mentees as possible, then optimise; otherwise an infeasible part
        raises.
    objective : {"total", "fair", "stable"}
    mentor_score : array of float, optional
        How each pair's mentor ranks its mentee (``"stable"`` and blocking pairs;
        default: ``score``).

    Returns
    -------
    SparseSolution

    Raises
    ------
    DataError
        Inconsistent arrays, scores outside [0, 1], duplicate pairs, bad loads.
    InfeasibleError
        No plan meets the rules, with every infeasible part explained (by the mentees
        and mentors involved and how many places are missing).

    Examples
    --------
    >>> plan = solve_edges([0, 1, 1], [0, 0, 1], [0.9, 0.8, 0.1], capacity=[1, 1],
    ...                    mentees=["a", "b"], mentors=["Wang", "Li"])
    >>> plan.mentor.tolist(), round(plan.objective, 6)
    ([0, 1], 1.0)
    >>> solve_edges([0, 1], [0, 0], [0.9, 0.8], capacity=[1])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mentormatch.errors.InfeasibleError: infeasible: capacity short by 1: ...
    """
    started = time.perf_counter()
    if solver not in SOLVERS:
        raise DataError(Problem("solver", None, None, solver, " or ".join(SOLVERS)))
    if objective not in OBJECTIVES:
        raise DataError(Problem("objective", None, None, objective, " or ".join(OBJECTIVES)))
    instance, positions = _encode(
        mentee_idx,
        mentor_idx,
        score,
        capacity,
        min_load,
        required,
        n_mentees,
        mentees,
        mentors,
        mentor_score,
    )
    n, m = instance.n_mentees, instance.n_mentors
    backend = choose_solver(solver, n + instance.n_edges + m)
    encoded = time.perf_counter()
    if objective == "stable":
        split_done = encoded  # deferred acceptance needs no parts
        choice = solve_stable(instance, solver=backend, allow_unassigned=allow_unassigned)
        n_parts = n_chunks = 1
        build, solve = 0.0, time.perf_counter() - encoded
    else:
        parts = split_parts(instance, split)
        subs = [sub_instance(instance, parts, c) for c in range(parts.n_chunks)]
        split_done = time.perf_counter()
        if objective == "fair":
            fair = solve_fair_chunks(subs, solver=backend, allow_unassigned=allow_unassigned)
            named = len(subs) > 1  # as in _run: an error names its part among several
            results = [
                (_in_part(r, sub) if named else r) if isinstance(r, InfeasibleError) else (r, 0, 0)
                for r, sub in zip(fair, subs, strict=True)
            ]
        else:
            results = _run(subs, backend, allow_unassigned, n_jobs)
        errors = [r for r in results if isinstance(r, InfeasibleError)]
        if errors:
            raise _merged(errors)
        if objective == "total":
            build, solve = sum(r[1] for r in results), sum(r[2] for r in results)
        else:  # the fair search interleaves building and solving: all of it is solving
            build, solve = 0.0, time.perf_counter() - split_done
        choice = np.full(n, -1, dtype=np.int64)
        for c, (chosen, _, _) in enumerate(results):
            edges = parts.edge_order[parts.edge_start[c] : parts.edge_start[c + 1]][chosen]
            choice[instance.edge_mentee[edges]] = edges
        n_parts, n_chunks = parts.n_parts, parts.n_chunks
    placed = choice >= 0
    chosen_all = choice[placed]
    mentor = np.full(n, -1, dtype=np.int64)
    mentor[placed] = instance.edge_mentor[chosen_all]
    scores = np.full(n, np.nan)
    scores[placed] = instance.score[chosen_all]
    edge = np.full(n, -1, dtype=np.int64)
    edge[placed] = positions[chosen_all]  # (indexing by choice would fail with no pairs)
    return SparseSolution(
        mentor=mentor,
        edge=edge,
        score=scores,
        objective=float(instance.score[chosen_all].sum()),
        cost=int(integer_costs(instance.score[chosen_all]).sum()),
        n_parts=n_parts,
        n_solves=n_chunks,
        solver=backend,
        timings={
            "encode": encoded - started,
            "split": split_done - encoded,
            "build": build,
            "solve": solve,
            "total": time.perf_counter() - started,
        },
    )


def _encode(
    mentee_idx,
    mentor_idx,
    score,
    capacity,
    min_load,
    required,
    n_mentees,
    mentees,
    mentors,
    mentor_score=None,
):
    """The validated Instance (pairs sorted by mentee, then mentor; a required mentee
    keeps its required pair only) and the input position of each of its edges."""
    mentee_idx = np.asarray(mentee_idx, dtype=np.int64)
    mentor_idx = np.asarray(mentor_idx, dtype=np.int64)
    score = np.asarray(score, dtype=np.float64)
    n_edges = len(mentee_idx)
    required = np.zeros(n_edges, bool) if required is None else np.asarray(required, bool)
    if not len(mentor_idx) == len(score) == len(required) == n_edges:
        raise DataError("mentee_idx, mentor_idx, score and required must have the same length")
    if n_mentees is None:
        n_mentees = len(mentees) if mentees is not None else int(mentee_idx.max(initial=-1)) + 1
    if mentors is None:
        if np.isscalar(capacity):
            mentors = pd.RangeIndex(int(mentor_idx.max(initial=-1)) + 1)
        else:
            mentors = pd.RangeIndex(len(capacity))
    mentees = pd.RangeIndex(n_mentees) if mentees is None else pd.Index(mentees)
    mentors = pd.Index(mentors)
    if len(mentees) != n_mentees:
        raise DataError(f"{n_mentees} mentees but {len(mentees)} labels")
    capacity = _by_position(capacity, mentors)
    min_load = _by_position(min_load, mentors)

    positions = np.arange(n_edges)
    if required.any():
        req_mentee = mentee_idx[required]
        if len(req_mentee) and (0 <= req_mentee.min()) and req_mentee.max() < n_mentees:
            twice = np.flatnonzero(np.bincount(req_mentee, minlength=n_mentees) > 1)
            if len(twice):
                raise InfeasibleError(
                    [f"mentees required with two or more mentors: {shown(mentees[twice])}"],
                    unplaceable=list(mentees[twice]),
                    details={"required_twice": list(mentees[twice])},
                )
            fixed = np.zeros(n_mentees, dtype=bool)
            fixed[req_mentee] = True
            inside = (mentee_idx >= 0) & (mentee_idx < n_mentees)
            drop = inside & fixed[np.where(inside, mentee_idx, 0)] & ~required
            positions = positions[~drop]
    key = mentee_idx[positions] * max(len(mentors), 1) + mentor_idx[positions]
    if len(key) and not (np.diff(key) > 0).all():
        positions = positions[np.argsort(key, kind="stable")]
    instance = Instance.from_edges(
        mentees,
        mentors,
        mentee_idx[positions],
        mentor_idx[positions],
        score[positions],
        capacity,
        min_load=min_load,
        required=required[positions],
        mentor_score=None if mentor_score is None else np.asarray(mentor_score)[positions],
    )
    return instance, positions


def _by_position(loads, mentors: pd.Index):
    """Loads given as a plain sequence are per mentor position; label them."""
    if loads is None or np.isscalar(loads) or isinstance(loads, pd.Series | Mapping):
        return loads
    values = np.asarray(loads)
    if len(values) != len(mentors):
        raise DataError(f"one load per mentor: {len(mentors)} mentors, {len(values)} loads")
    return pd.Series(values, index=mentors)


def _solve_one(sub: Instance, backend: str, allow_unassigned: bool, name_part: bool):
    """(chosen local edges, build seconds, solve seconds), or the InfeasibleError."""
    cost = integer_costs(sub.score)
    edges = np.arange(sub.n_edges)
    t0 = time.perf_counter()
    net = build_network(sub, edges, cost, placed=sub.n_mentees)
    t1 = time.perf_counter()
    flow = solve_flow(net, backend)
    t2 = time.perf_counter()
    build, solve = t1 - t0, t2 - t1
    if flow is None:
        try:
            placed = placeable(sub, solver=backend, allow_unassigned=allow_unassigned)
        except InfeasibleError as error:
            return _in_part(error, sub) if name_part else error
        net = build_network(sub, edges, cost, placed=placed)
        flow = solve_flow(net, backend)
        solve += time.perf_counter() - t2
    return net.chosen_edges(flow), build, solve


def _solve_batch(subs: list[Instance], backend: str, allow_unassigned: bool, named: bool) -> list:
    return [_solve_one(sub, backend, allow_unassigned, named) for sub in subs]


def _run(subs: list[Instance], backend: str, allow_unassigned: bool, n_jobs: int) -> list:
    named = len(subs) > 1  # an error names its part only when there are several
    if n_jobs == 1 or len(subs) < 2:
        return _solve_batch(subs, backend, allow_unassigned, named)
    from joblib import Parallel, delayed, effective_n_jobs

    workers = effective_n_jobs(n_jobs)
    # A few batches per worker, of about equal size in arcs, so that one large part
    # does not leave the other workers idle and batches are not pickled one by one.
    size = np.array([s.n_edges + s.n_mentees + s.n_mentors for s in subs], dtype=float)
    cuts = np.searchsorted(np.cumsum(size), np.linspace(0, size.sum(), 4 * workers + 1)[1:-1])
    batches = [b.tolist() for b in np.split(np.arange(len(subs)), cuts) if len(b)]
    done = Parallel(n_jobs=n_jobs)(
        delayed(_solve_batch)([subs[i] for i in b], backend, allow_unassigned, named)
        for b in batches
    )
    return [r for batch in done for r in batch]


def sparse_flow_network(
    mentee_idx: Ints,
    mentor_idx: Ints,
    score: Floats,
    capacity: Loads,
    min_load: Loads | None = None,
    *,
    required: Flags | None = None,
    mentees: Labels | None = None,
    mentors: Labels | None = None,
) -> nx.DiGraph:
    """The flow network of :func:`solve_edges` as a ``networkx.DiGraph``.

    The same graph as :func:`mentormatch.optimize.flow_network` makes from a dense table
    (nodes ``"source"``, ``("mentee", label)``, ``("mentor", label)``, ``"sink"``; arcs
    with ``capacity``, ``weight`` and, on pair arcs, ``score``), built from the pairs.
    Meant for small problems: a DiGraph holds about a kilobyte per arc.

    Examples
    --------
    >>> import networkx as nx
    >>> G = sparse_flow_network([0, 1, 1], [0, 0, 1], [0.9, 0.8, 0.1], [1, 1],
    ...                         mentees=["a", "b"], mentors=["Wang", "Li"])
    >>> G.edges[("mentee", "a"), ("mentor", "Wang")]
    {'capacity': 1, 'weight': 100000, 'score': 0.9}
    >>> nx.min_cost_flow_cost(G)
    1000000
    """
    instance, _ = _encode(
        mentee_idx, mentor_idx, score, capacity, min_load, required, None, mentees, mentors
    )
    net = build_network(
        instance,
        np.arange(instance.n_edges),
        integer_costs(instance.score),
        placed=instance.n_mentees,
    )
    names = node_names(instance)
    graph = to_digraph(net, names)
    n = instance.n_mentees
    kind = {"source": "source", "sink": "sink"}
    kind.update({names[1 + i]: "mentee" for i in range(n)})
    kind.update({names[1 + n + j]: "mentor" for j in range(instance.n_mentors)})
    nx.set_node_attributes(graph, kind, "kind")
    mentor_nodes = names[1 + n : 1 + n + instance.n_mentors]
    nx.set_node_attributes(
        graph, dict(zip(mentor_nodes, instance.min_load.tolist(), strict=True)), "min_load"
    )
    nx.set_node_attributes(
        graph, dict(zip(mentor_nodes, instance.capacity.tolist(), strict=True)), "max_load"
    )
    pair_arcs = zip(
        (names[1 + i] for i in instance.edge_mentee.tolist()),
        (names[1 + n + j] for j in instance.edge_mentor.tolist()),
        strict=True,
    )
    nx.set_edge_attributes(
        graph, dict(zip(pair_arcs, instance.score.tolist(), strict=True)), "score"
    )
    return graph
