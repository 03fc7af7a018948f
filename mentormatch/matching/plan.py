"""The front door: :func:`match` proposes a mentor and a practice base for every mentee."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.matching.bases import _joint, _sequential_bases
from mentormatch.matching.encode import _inputs
from mentormatch.matching.explain import _coverage, _loads, _table
from mentormatch.matching.result import BASE_METHODS, Plan
from mentormatch.matching.rules import rule_warnings
from mentormatch.optimize import blocking_pairs, solve
from mentormatch.region import Region
from mentormatch.scoring import parse_weights

if TYPE_CHECKING:
    from mentormatch.region_plan import RegionPlan


def match(
    d: District | Region,
    objective: str = "total",
    *,
    weights: str | Mapping[str, float] | None = None,
    distance: str | None = None,
    bases: str = "sequential",
    solver: str = "auto",
    partial: bool = False,
    **scale,
) -> Plan | RegionPlan:
    """Propose a mentor and a practice base for every secretary who needs one.

    Parameters
    ----------
    d : District or Region
        A Region (a city or a nation) is planned over each mentee's candidate mentors by
        :func:`mentormatch.region_plan.match_region`, with every objective, the distance
        rule, the rules of its constraints and sequential bases; it returns a
        :class:`~mentormatch.region_plan.RegionPlan`.
    objective : {"total", "fair", "stable"}
        See :func:`mentormatch.optimize.solve`. A stable plan cannot impose mentors'
        minimum loads (all stable plans give each mentor the same load); shortfalls
        are reported in :meth:`Plan.figures` and :meth:`Plan.summary`.
    weights : mapping or str, optional
        Score weights (:data:`mentormatch.scoring.MENTOR_WEIGHTS`).
    distance : {"same", "neighbouring"}, optional
        Allow only mentors in the same (or a neighbouring) sub-district/town.
    bases : {"sequential", "joint", "none"}
        Practice bases after the mentors as a second flow, jointly with them as one
        mixed-integer program (``scipy.optimize.milp``), or not at all.
    solver : {"auto", "networkx", "ortools"}
    partial : bool
        Place as many as possible and explain the rest, instead of raising
        :class:`~mentormatch.InfeasibleError`.
    **scale
        For a Region only: ``k``, ``reach``, ``block_size`` and ``n_jobs`` of
        :func:`~mentormatch.region_plan.match_region`.

    Returns
    -------
    Plan or RegionPlan

    Examples
    --------
    >>> import mentormatch as mm
    >>> plan = mm.match(mm.synthesize_district(seed=1))
    >>> int(plan.figures()["placed"]) == len(plan.placed)
    True
    >>> print(plan.placed["reason_en"].iloc[0])  # doctest: +ELLIPSIS
    shared challenges: ...
    """
    if isinstance(d, Region):
        from mentormatch.region_plan import match_region

        return match_region(
            d,
            objective,
            weights=weights,
            distance=distance,
            bases=bases,
            solver=solver,
            partial=partial,
            **scale,
        )
    if scale:
        raise DataError(
            f"{', '.join(sorted(scale))}: options for a Region (a city or a nation), "
            "not for a District, whose plan considers every pair"
        )
    if bases not in BASE_METHODS:
        raise DataError(f"bases must be one of {list(BASE_METHODS)}, got {bases!r}")
    started = time.perf_counter()
    w = parse_weights(weights)
    scores, total, view, forbidden, required = _inputs(d, w, distance)
    capacity = d.mentors.set_index("mentor_id")["capacity"]
    min_load = d.mentors.set_index("mentor_id")["min_load"].fillna(0).astype(int)
    if bases == "joint" and len(d.bases):
        if objective != "total":
            raise DataError("joint base planning supports the 'total' objective only")
        choice, base_choice, solver_name = _joint(
            d, total, capacity, min_load, forbidden, required, partial
        )
        blocking = blocking_pairs(total, capacity, choice, view, forbidden=forbidden)
    else:
        assignment = solve(
            total,
            capacity,
            # Deferred acceptance cannot impose min loads (every stable plan gives each
            # mentor the same load): the stable plan reports shortfalls instead.
            min_load=None if objective == "stable" else min_load,
            forbidden=forbidden,
            required=required,
            objective=objective,
            solver=solver,
            mentor_scores=view,
            allow_unassigned=partial,
        )
        choice = assignment.mentor
        solver_name = assignment.solver
        blocking = assignment.blocking_pairs
        base_choice = None
        if bases == "sequential" and len(d.bases):
            base_choice = _sequential_bases(d, choice.dropna())
    table = _table(d, scores, total, capacity, choice, base_choice, forbidden, required)
    loads = _loads(d, table)
    return Plan(
        table=table,
        objective=objective,
        objective_value=float(table.loc[table["status"] == "placed", "score"].sum()),
        solver=solver_name,
        runtime=time.perf_counter() - started,
        blocking_pairs=blocking,
        loads=loads,
        coverage=_coverage(table),
        weights=w,
        bases=bases if len(d.bases) else "none",
        distance=distance,
        partial=partial,
        warnings=rule_warnings(d),
    )
