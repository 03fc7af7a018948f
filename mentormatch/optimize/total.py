"""The ``total`` objective: maximise the sum of the plan's scores, as a min-cost flow.

Exact for the scores rounded to ``1 / PRECISION`` (see
:data:`~mentormatch.optimize.network.PRECISION`), so within ``n_mentees / PRECISION`` of
the optimum for the unrounded scores. Min loads, forbidden and required pairs are part
of the network. When not every mentee can be placed, either the instance is explained
(:func:`~mentormatch.optimize.diagnose.explain`) or, with ``allow_unassigned``, as many
mentees as possible are placed first and the sum is maximised among such plans.
"""

from __future__ import annotations

import numpy as np

from mentormatch.optimize.backends import max_placement
from mentormatch.optimize.diagnose import explain
from mentormatch.optimize.instance import Instance
from mentormatch.optimize.network import integer_costs
from mentormatch.optimize.pricing import min_cost_plan

__all__ = ["solve_total", "placeable"]


def solve_total(instance: Instance, *, solver: str, allow_unassigned: bool) -> np.ndarray:
    """Each mentee's chosen edge (-1 if unplaced) in a plan of maximum total score."""
    every = np.ones(instance.n_edges, dtype=bool)
    cost = integer_costs(instance.score)
    chosen = min_cost_plan(instance, every, cost, placed=instance.n_mentees, solver=solver)
    if chosen is None:
        placed = placeable(instance, solver=solver, allow_unassigned=allow_unassigned)
        chosen = min_cost_plan(instance, every, cost, placed=placed, solver=solver)
    return instance.choice_of(chosen)


def placeable(instance: Instance, *, solver: str, allow_unassigned: bool) -> int:
    """The most mentees a plan can place, when that is fewer than all of them.

    Raises the explained :class:`~mentormatch.errors.InfeasibleError` unless
    ``allow_unassigned``, and always when the min loads cannot be met.
    """
    if allow_unassigned:
        best = max_placement(instance, np.arange(instance.n_edges), solver=solver)
        if best is not None:
            return len(best)
    raise explain(instance, solver)
