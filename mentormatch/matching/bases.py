"""Practice bases: after the mentors as a second flow, or jointly with them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.matching.result import _text
from mentormatch.optimize import Instance
from mentormatch.optimize.backends import choose_solver
from mentormatch.optimize.joint import solve_joint
from mentormatch.optimize.total import solve_total
from mentormatch.scoring import (
    BASE_WEIGHTS,
    base_coverage,
    code_masks,
    proximity_matrix,
    score_pairs,
)
from mentormatch.vocab import CHALLENGES

#: Joint base planning holds one variable per (pair, base) up to this many: exact; beyond,
#: each mentee's JOINT_MENTORS best pairs with their JOINT_BASES best bases.
JOINT_MAX_VARIABLES = 2_000_000
JOINT_MENTORS = 10
JOINT_BASES = 4


def _sequential_bases(d: District, mentor_of: pd.Series) -> pd.Series:
    """Bases as a second flow: complement each mentee's mentor, under base capacities."""
    mentees = d.mentees[d.mentees["secretary_id"].isin(mentor_of.index)]
    if mentees.empty:
        return pd.Series(dtype="str")
    scores = score_pairs(d, against="bases", mentor_of=mentor_of, mentees=mentees)
    table = scores.pivot(index="secretary_id", columns="base_id", values="total")
    table = table.reindex(index=mentees["secretary_id"], columns=d.bases["base_id"])
    capacity = d.bases.set_index("base_id")["capacity"]
    return assign_bases(table, capacity).rename("base_id")


def assign_bases(table: pd.DataFrame, capacity: pd.Series, *, solver: str = "auto") -> pd.Series:
    """The second flow: a base (column) for each mentee (row) of a base score table,
    as many mentees with a base as the capacities allow, then the highest total.

    The one base assignment: the plan's sequential bases and the evaluation's bases for
    baseline plans (:func:`mentormatch.evaluate.baselines.bases_for`) both use it.
    Returns a Series mentee -> base (NaN: none).
    """
    # optimize.solve's steps for the "total" objective, without its report (blocking
    # pairs, choice ranks), which bases do not need: evaluation calls this a thousand
    # times.
    instance = Instance.from_frames(table, capacity)
    backend = choose_solver(solver, instance.n_mentees + instance.n_edges + instance.n_mentors)
    return instance.to_series(solve_total(instance, solver=backend, allow_unassigned=True))


def _joint(
    d: District,
    total: pd.DataFrame,
    capacity: pd.Series,
    min_load: pd.Series,
    forbidden: list,
    required: list,
    partial: bool,
) -> tuple[pd.Series, pd.Series, str]:
    """Mentors and bases as one program (:func:`mentormatch.optimize.joint.solve_joint`):
    maximise mentor score + base score.

    A mentee may go without a base (score 0) when bases are full; every mentee gets a
    mentor unless ``partial``. The rules are encoded as for every objective
    (:meth:`Instance.from_frames <mentormatch.optimize.Instance.from_frames>`). Where
    every (pair, base) fits in :data:`JOINT_MAX_VARIABLES` variables the program holds
    them all and is exact; beyond, it holds each mentee's :data:`JOINT_MENTORS` best
    pairs with their :data:`JOINT_BASES` best bases, and the sequential plan's own
    triples, so it is never worse than the sequential plan (:func:`joint_candidates`).
    """
    instance = Instance.from_frames(
        total, capacity, min_load=min_load, forbidden=forbidden, required=required
    )
    mentees = d.mentees.set_index("secretary_id").loc[total.index].reset_index()
    nb = len(d.bases)
    if instance.n_edges * (nb + 1) <= JOINT_MAX_VARIABLES:
        options = joint_options(d, instance, mentees)
        solver = "highs-milp"
    else:
        instance, options = joint_candidates(d, instance, mentees, partial)
        solver = "highs-milp (candidates)"
    edge, base = solve_joint(
        instance, *options, d.bases["capacity"].to_numpy(), allow_unassigned=partial
    )
    placed = edge >= 0
    mentor = pd.Series(np.nan, index=total.index, dtype="object")
    mentor[placed] = instance.mentors[instance.edge_mentor[edge[placed]]]
    chosen = pd.Series(np.nan, index=total.index, dtype="object")
    has = base >= 0
    chosen[has] = d.bases["base_id"].to_numpy()[base[has]]
    return _text(mentor), _text(chosen), solver


def _base_gain(d: District, mentees: pd.DataFrame, i, j, k) -> np.ndarray:
    """Base score of (mentee row i, mentor position j, base position k) triples."""
    codes = CHALLENGES.codes
    need = code_masks(mentees["challenges"].tolist(), codes)
    know = code_masks(d.mentors["expertise"].tolist(), codes)
    themes = code_masks(d.bases["themes"].tolist(), codes)
    coverage = base_coverage(need[i], know[j], themes[k])
    near = proximity_matrix(mentees["street_town"].tolist(), d.bases["street_town"].tolist())
    return BASE_WEIGHTS["coverage"] * coverage + BASE_WEIGHTS["proximity"] * near[i, k]


def joint_options(
    d: District, instance: Instance, mentees: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every base for every allowed pair: (edge, base, gain) arrays, sorted by edge."""
    nb = len(d.bases)
    edge = np.repeat(np.arange(instance.n_edges), nb)
    base = np.tile(np.arange(nb), instance.n_edges)
    gain = _base_gain(d, mentees, instance.edge_mentee[edge], instance.edge_mentor[edge], base)
    return edge, base, gain


def joint_candidates(
    d: District, instance: Instance, mentees: pd.DataFrame, partial: bool
) -> tuple[Instance, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """A smaller joint program for large districts: each mentee's best pairs and their
    best bases, plus the sequential plan's pairs and bases.

    The sequential plan (mentors by the ``total`` flow, then bases by the second flow)
    is a solution of the smaller program, so the joint plan is at least as good; and a
    plan exists whenever the sequential one does.
    """
    sequential = solve_total(instance, solver="auto", allow_unassigned=partial)
    placed = sequential >= 0
    seq_mentor = pd.Series(
        instance.mentors[instance.edge_mentor[sequential[placed]]],
        index=instance.mentees[placed],
    )
    seq_base = _sequential_bases(d, seq_mentor)
    base_position = pd.Index(d.bases["base_id"]).get_indexer(
        seq_base.reindex(instance.mentees).to_numpy()
    )
    # Each mentee's best pairs (by score; ties by mentor order), its sequential pair.
    order = np.lexsort((instance.edge_mentor, -instance.score, instance.edge_mentee))
    ranked = instance.edge_mentee[order]
    rank = np.arange(len(order)) - np.searchsorted(ranked, ranked)
    keep = np.zeros(instance.n_edges, dtype=bool)
    keep[order[rank < JOINT_MENTORS]] = True
    keep[sequential[placed]] = True
    kept = np.flatnonzero(keep)
    smaller = Instance.from_edges(
        instance.mentees,
        instance.mentors,
        instance.edge_mentee[kept],
        instance.edge_mentor[kept],
        instance.score[kept],
        pd.Series(instance.capacity, index=instance.mentors),
        min_load=pd.Series(instance.min_load, index=instance.mentors),
        required=instance.required[kept],
        mentor_score=instance.mentor_score[kept],
    )
    # Every base for each kept pair, in blocks; the best few and the sequential base.
    nb = len(d.bases)
    new_of_old = np.full(instance.n_edges, -1, dtype=np.int64)
    new_of_old[kept] = np.arange(len(kept))
    edges, bases, gains = [], [], []
    step = max(1, (1 << 22) // max(nb, 1))
    for start in range(0, smaller.n_edges, step):
        block = np.arange(start, min(start + step, smaller.n_edges))
        e = np.repeat(block, nb)
        k = np.tile(np.arange(nb), len(block))
        g = _base_gain(d, mentees, smaller.edge_mentee[e], smaller.edge_mentor[e], k)
        g = g.reshape(len(block), nb)
        best = np.argsort(-g, axis=1, kind="stable")[:, :JOINT_BASES]
        choose = np.zeros_like(g, dtype=bool)
        np.put_along_axis(choose, best, True, axis=1)
        edges.append(np.repeat(block, nb)[choose.ravel()])
        bases.append(np.tile(np.arange(nb), len(block))[choose.ravel()])
        gains.append(g.ravel()[choose.ravel()])
    # The sequential plan's own base for its pair.
    seq_edges = new_of_old[sequential[placed]]
    seq_bases = base_position[placed]
    extra = seq_bases >= 0
    e = seq_edges[extra]
    k = seq_bases[extra]
    edges.append(e)
    bases.append(k)
    gains.append(_base_gain(d, mentees, smaller.edge_mentee[e], smaller.edge_mentor[e], k))
    edge, base, gain = (np.concatenate(x) for x in (edges, bases, gains))
    key = edge * max(nb, 1) + base
    key, first = np.unique(key, return_index=True)
    return smaller, (edge[first], base[first], gain[first])
