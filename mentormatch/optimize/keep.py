"""Re-matching: the plan that keeps the most pairs of an earlier one, within a floor.

When a mentor leaves or secretaries arrive mid-year, the best plan from scratch may
move many mentees who were doing well. Among the plans of an
:class:`~mentormatch.optimize.Instance` whose total score is at least ``floor``, this
solver finds one keeping the most of the ``previous`` edges, and among those the highest
total: a mixed-integer program over the instance's edges (so forbidden pairs, pairs to
keep and loads are handled as by every other objective), solved exactly by HiGHS
(``scipy.optimize.milp``).

Examples
--------
>>> import numpy as np
>>> from mentormatch.optimize import Instance
>>> inst = Instance.from_edges(["a", "b"], ["Wang", "Li"], [0, 0, 1, 1], [0, 1, 0, 1],
...                            [0.9, 0.5, 0.8, 0.6], capacity=1)
>>> keep_most(inst, np.array([False, True, True, False]), floor=1.0).tolist()
[1, 2]
>>> keep_most(inst, np.array([False, True, True, False]), floor=1.4).tolist()
[0, 3]
"""

from __future__ import annotations

import numpy as np

from mentormatch.errors import InfeasibleError
from mentormatch.optimize.instance import Instance

__all__ = ["keep_most"]


def keep_most(instance: Instance, previous: np.ndarray, *, floor: float) -> np.ndarray:
    """Each mentee's chosen edge in a plan with total score >= ``floor`` that keeps the
    most ``previous`` edges (a boolean mask), then has the highest total.

    Every mentee is placed. Raises :class:`~mentormatch.errors.InfeasibleError` when no
    plan meets the loads, rules and floor.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n, m, nv = instance.n_mentees, instance.n_mentors, instance.n_edges
    gain = instance.score
    if nv == 0:
        if n == 0 and not instance.min_load.any() and floor <= 0:
            return np.zeros(0, dtype=np.int64)
        raise _infeasible({"milp_status": 2})
    rows = np.concatenate([instance.edge_mentee, n + instance.edge_mentor, np.full(nv, n + m)])
    cols = np.concatenate([np.arange(nv)] * 3)
    data = np.concatenate([np.ones(nv), np.ones(nv), gain])
    a = coo_matrix((data, (rows, cols)), shape=(n + m + 1, nv)).tocsr()
    lo = np.concatenate([np.ones(n), instance.min_load.astype(float), [floor - 1e-6]])
    hi = np.concatenate([np.ones(n), instance.capacity.astype(float), [np.inf]])
    # Most kept pairs first; among those, the highest total (a weight below one pair).
    objective = -(np.asarray(previous, dtype=float) + gain / (n + 1))
    result = milp(
        objective,
        constraints=LinearConstraint(a, lo, hi),
        integrality=np.ones(nv),
        bounds=Bounds(0, 1),
        options={"presolve": False},  # as in mentormatch.optimize.joint
    )
    if result.status != 0 or result.x is None:
        raise _infeasible({"milp_status": int(result.status)})
    return instance.choice_of(np.flatnonzero(np.round(result.x).astype(bool)))


def _infeasible(details: dict) -> InfeasibleError:
    return InfeasibleError(
        ["no plan meets the rules after the changes"],
        reasons_zh=["调整后没有满足各项规则的方案"],
        details=details,
    )
