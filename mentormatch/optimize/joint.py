"""Mentors and practice bases together: one mixed-integer program over an Instance.

A mentee's practice base should cover what its mentor does not know, so the best base
depends on the mentor, and the best mentor on the bases left: planning them one after
the other (mentors, then bases as a second flow) can miss a better plan. The joint plan
chooses, for each mentee, one allowed pair of the :class:`~mentormatch.optimize.Instance`
and at most one base among that pair's *options*, maximising the pair's score plus the
base's gain, under mentor loads, base capacities and every rule the Instance encodes
(forbidden pairs are absent, a mentee with a pair to keep has that edge only, so the
rules are handled exactly as for the other objectives).

Variables are one per (edge, option) and one per edge for "no base": the program grows
with the candidate triples given, not with mentees x mentors x bases, so a caller may
pass every base for every pair (exact) or each pair's best few (a restriction, see
:func:`mentormatch.matching.bases.joint_options`). It is solved exactly by HiGHS
(``scipy.optimize.milp``). With ``allow_unassigned`` as many mentees as possible are
placed first (a bonus per placed mentee larger than any score sum), pairs to keep always.

Examples
--------
>>> import numpy as np
>>> from mentormatch.optimize import Instance
>>> inst = Instance.from_edges(["a", "b"], ["Wang", "Li"], [0, 0, 1], [0, 1, 0],
...                            [0.9, 0.8, 0.7], capacity=1)
>>> edge, base = solve_joint(inst, np.array([0, 1, 2]), np.array([0, 0, 0]),
...                          np.array([0.1, 0.5, 0.0]), np.array([1]))
>>> edge.tolist(), base.tolist()
([1, 2], [0, -1])
"""

from __future__ import annotations

import numpy as np

from mentormatch.errors import InfeasibleError
from mentormatch.optimize.instance import Instance

__all__ = ["solve_joint"]


def solve_joint(
    instance: Instance,
    option_edge: np.ndarray,
    option_base: np.ndarray,
    option_gain: np.ndarray,
    base_capacity: np.ndarray,
    *,
    allow_unassigned: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Each mentee's chosen edge and base (-1: unplaced, or no base).

    Parameters
    ----------
    instance : Instance
    option_edge, option_base, option_gain : ndarray
        The base options: edge position in ``instance``, base position, and the gain of
        that base for that pair. Sorted by edge, then base; each pair at most once.
    base_capacity : ndarray of int
        Most mentees per base.
    allow_unassigned : bool
        Place as many mentees as possible instead of raising when not all can be.

    Raises
    ------
    InfeasibleError
        No plan meets the loads and rules (or, without ``allow_unassigned``, none
        places everyone).
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n, m, nb = instance.n_mentees, instance.n_mentors, len(base_capacity)
    option_edge = np.asarray(option_edge, dtype=np.int64)
    per_edge = np.bincount(option_edge, minlength=instance.n_edges) + 1  # and "no base"
    first = np.cumsum(per_edge) - per_edge
    nv = int(per_edge.sum())
    var_edge = np.repeat(np.arange(instance.n_edges), per_edge)
    var_base = np.full(nv, -1, dtype=np.int64)
    # Options fill each edge's block in order; "no base" is the block's last variable.
    slot = first[option_edge] + (
        np.arange(len(option_edge)) - np.searchsorted(option_edge, option_edge)
    )
    var_base[slot] = option_base
    gain = instance.score[var_edge].copy()
    gain[slot] += option_gain
    var_i, var_j = instance.edge_mentee[var_edge], instance.edge_mentor[var_edge]
    must = np.zeros(n, dtype=bool)
    must[instance.edge_mentee[instance.required]] = True

    if nv == 0:  # no allowed pair at all: HiGHS takes no empty program
        if (n == 0 or allow_unassigned) and not instance.min_load.any():
            return np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
        raise _infeasible({"milp_status": 2, "message": "no allowed pair"})
    cols = np.arange(nv)
    has_base = var_base >= 0
    rows = np.concatenate([var_i, n + var_j, n + m + var_base[has_base]])
    columns = np.concatenate([cols, cols, cols[has_base]])
    lo = np.concatenate(
        [
            must.astype(float) if allow_unassigned else np.ones(n),
            instance.min_load.astype(float),
            np.zeros(nb),
        ]
    )
    hi = np.concatenate(
        [np.ones(n), instance.capacity.astype(float), np.asarray(base_capacity, float)]
    )
    a = coo_matrix((np.ones(len(rows)), (rows, columns)), shape=(n + m + nb, nv)).tocsr()
    # Place everyone first when partial: a bonus per placed mentee above any sum of gains.
    bonus = (n + 1) * 2.0 if allow_unassigned else 0.0
    result = milp(
        -(gain + bonus),
        constraints=LinearConstraint(a, lo, hi),
        integrality=np.ones(nv),
        bounds=Bounds(0, 1),
        # HiGHS's presolve spends seconds on clique detection over the many set-packing
        # rows here and reduces nothing; the solve itself takes a fraction of a second.
        options={"presolve": False},
    )
    if result.status != 0 or result.x is None:
        raise _infeasible({"milp_status": int(result.status), "message": result.message})
    x = np.round(result.x).astype(bool)
    edge = np.full(n, -1, dtype=np.int64)
    base = np.full(n, -1, dtype=np.int64)
    edge[var_i[x]] = var_edge[x]
    base[var_i[x]] = var_base[x]
    return edge, base


def _infeasible(details: dict) -> InfeasibleError:
    return InfeasibleError(
        ["no plan meets the capacities, minimum loads and rules (joint base planning)"],
        reasons_zh=["没有满足名额、最低带教人数和各项规则的方案（带教老师与基地联合安排）"],
        details=details,
    )
