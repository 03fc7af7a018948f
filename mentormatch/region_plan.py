"""Plans for a city or a nation: candidate pairs, then the sparse solve, part by part.

:func:`match_region` is the Region's counterpart of :func:`mentormatch.match`: it makes
each mentee's candidate mentors (:func:`~mentormatch.candidates.candidate_pairs`),
solves the ``total`` objective on them (:func:`~mentormatch.optimize.sparse.solve_edges`:
independent counties apart), and returns a :class:`RegionPlan` with the figures and the
time each step took.

The plan is the proven optimum over the candidate pairs. It is the optimum over every
pair in reach for each mentee whose candidates are all of its reach
(:attr:`Candidates.complete <mentormatch.candidates.Candidates.complete>`; the summary
counts them), and always when ``k=None``. When the candidates alone admit no plan
(too few of them lead to some mentor, say) although the reach might, ``k`` is
multiplied by 4 and the candidates made again, up to every mentor in reach; only then
is the instance infeasible, and the error explains why.

Examples
--------
>>> from mentormatch.region_synth import synthesize_region
>>> r = synthesize_region(seed=1, n_secretaries=2_000, n_mentors=100, n_bases=130)
>>> plan = match_region(r)
>>> plan.summary()[["mentees", "placed", "parts"]].tolist()
[500, 500, 5]
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from mentormatch.candidates import (
    BLOCK_SIZE,
    DEFAULT_K,
    LEVELS,
    Candidates,
    candidate_pairs,
    pair_scores,
    reach_lists,
)
from mentormatch.errors import DataError, InfeasibleError, Problem
from mentormatch.optimize.instance import OBJECTIVES
from mentormatch.optimize.network import integer_costs
from mentormatch.optimize.sparse import SparseSolution, solve_edges
from mentormatch.region import Region
from mentormatch.region_bases import BasePlan, joint_bases, plan_bases

__all__ = ["RegionPlan", "match_region", "WIDEN_FACTOR"]

#: When the candidates admit no plan, ``k`` grows by this factor and they are made again.
WIDEN_FACTOR = 4
#: The distance rules of :data:`mentormatch.matching.DISTANCE_RULES` as a reach: the
#: least proximity 1 (same unit) or 0.5 (a bordering unit).
DISTANCE_REACH = {"same": "unit", "neighbouring": "neighbours"}


@dataclass(frozen=True, eq=False)
class RegionPlan:
    """A plan for a Region and what it took.

    Attributes
    ----------
    mentees : ndarray of int64
        Positions of the mentees in ``region.secretaries``, sorted.
    mentor : ndarray of int64
        Per mentee: the mentor's position in ``region.mentors``, -1 if unplaced.
    score : ndarray of float64
        Per mentee: the pair's score (NaN if unplaced).
    objective : float
        Sum of the scores.
    candidates : Candidates
        The candidate pairs of the final round.
    solution : SparseSolution
        The solve (parts, backend, timings).
    rounds : int
        Rounds of candidates made (more than 1 when ``k`` had to grow).
    timings : dict
        Seconds: ``candidates`` (scoring included), the solve's ``encode``, ``split``,
        ``build`` and ``solve``, and ``total``.
    objective_name : str
        ``"total"``, ``"fair"`` or ``"stable"``.
    distance : str or None
        The distance rule applied.
    bases : BasePlan or None
        The practice base of each mentee (:func:`~mentormatch.region_bases.plan_bases`),
        None when bases were not planned.
    """

    mentees: np.ndarray
    mentor: np.ndarray
    score: np.ndarray
    objective: float
    candidates: Candidates = field(repr=False)
    solution: SparseSolution = field(repr=False)
    rounds: int = 1
    timings: dict = field(default_factory=dict)
    objective_name: str = "total"
    distance: str | None = None
    bases: BasePlan | None = field(default=None, repr=False)

    def summary(self) -> pd.Series:
        """Headline figures: sizes, score, candidates, parts and times."""
        placed = int((self.mentor >= 0).sum())
        c = self.candidates
        return pd.Series(
            {
                "objective": self.objective_name,
                "mentees": len(self.mentees),
                "placed": placed,
                "with_base": int((self.bases.base >= 0).sum()) if self.bases else 0,
                "total_score": round(self.objective, 6),
                "mean_score": round(self.objective / placed, 4) if placed else np.nan,
                "lowest_score": round(float(np.nanmin(self.score)), 4) if placed else np.nan,
                "k": c.k,
                "reach": c.reach,
                "pairs": c.n_pairs,
                "fewer_than_k": c.n_short,
                "all_of_reach": int(c.complete.sum()),
                "parts": self.solution.n_parts,
                "solves": self.solution.n_solves,
                "solver": self.solution.solver,
                "rounds": self.rounds,
                **{f"{k}_s": round(v, 4) for k, v in self.timings.items()},
            },
            name="region plan",
        )

    def to_frame(self, region: Region, *, explain: bool = False) -> pd.DataFrame:
        """One row per mentee: IDs, county, unit, mentor, score, kept by rule, and the
        base with its score and coverage; with ``explain``, also the reasons (Chinese,
        English), two alternates and why a mentee is unplaced
        (:func:`mentormatch.region_explain.explain`)."""
        s = region.secretaries
        placed = self.mentor >= 0
        mentor_ids = pd.Series(region.mentors.index, dtype=object)
        required = np.zeros(len(self.mentees), dtype=bool)
        edges = self.solution.edge[placed]
        required[placed] = self.candidates.required[edges]
        frame = pd.DataFrame(
            {
                "secretary_id": s.index[self.mentees],
                "county": s["county"].to_numpy()[self.mentees],
                "unit": s["unit"].to_numpy()[self.mentees],
                "mentor_id": np.where(
                    placed, mentor_ids.to_numpy()[np.maximum(self.mentor, 0)], None
                ),
                "score": self.score,
                "kept": required,
                **self._base_columns(region),
            }
        )
        if explain:
            from mentormatch.region_explain import explain as words

            frame = pd.concat([frame, words(region, self)], axis=1)
        return frame

    def _base_columns(self, region: Region) -> dict:
        if self.bases is None:
            return {}
        has = self.bases.base >= 0
        ids = pd.Series(region.bases.index, dtype=object).to_numpy()
        return {
            "base_id": np.where(
                has, ids[np.maximum(self.bases.base, 0)] if len(ids) else None, None
            ),
            "base_score": self.bases.score,
            "coverage": self.bases.coverage,
        }


def match_region(
    region: Region,
    objective: str = "total",
    *,
    distance: str | None = None,
    bases: str = "sequential",
    k: int | None = DEFAULT_K,
    reach: str = "county",
    weights: str | Mapping[str, float] | None = None,
    block_size: int = BLOCK_SIZE,
    solver: str = "auto",
    n_jobs: int = 1,
    partial: bool = False,
) -> RegionPlan:
    """A mentor for every mentee of a Region, for any objective.

    Parameters
    ----------
    region : Region
    objective : {"total", "fair", "stable"}
        As for :func:`mentormatch.match`: the maximum sum; the highest lowest score,
        then the maximum sum; or the mentee-optimal stable plan (mentors rank mentees by
        ``mentor_view``), all over the candidate pairs. A stable plan over the candidates
        in which every mentee is placed is stable over every pair in reach too: a mentee
        prefers each of its candidates to any mentor left out.
    distance : {"same", "neighbouring"}, optional
        Allow only mentors in the mentee's own unit (or also the bordering units): the
        reach is cut there. A pair to keep that breaks the rule is an
        :class:`~mentormatch.InfeasibleError`, as for a District.
    bases : {"sequential", "joint", "none"}
        Practice bases after the mentors, as a second flow over each mentee's county
        (:func:`~mentormatch.region_bases.plan_bases`); jointly with the mentors over the
        candidate pairs (:func:`~mentormatch.region_bases.joint_bases`, ``total`` only,
        where the program fits: a city, not a nation); or none.
    k : int or None
        Candidate mentors per mentee (see :func:`~mentormatch.candidates.candidate_pairs`);
        ``None``: every mentor in reach.
    reach : {"unit", "neighbours", "county", "region"}
        How far from a mentee's unit a mentor may be.
    weights : mapping or str, optional
        Score weights (:data:`mentormatch.scoring.MENTOR_WEIGHTS`).
    block_size : int
        Most pairs scored at once.
    solver : {"auto", "networkx", "ortools"}
    n_jobs : int
        Processes solving independent parts.
    partial : bool
        Place as many mentees as possible instead of raising
        :class:`~mentormatch.InfeasibleError`.

    Returns
    -------
    RegionPlan

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> plan = match_region(Region.from_district(d))
    >>> round(plan.objective, 6) == round(mm.match(d, bases="none").objective_value, 6)
    True
    """
    started = time.perf_counter()
    if objective not in OBJECTIVES:
        raise DataError(Problem("objective", None, None, objective, " or ".join(OBJECTIVES)))
    if distance is not None:
        if distance not in DISTANCE_REACH:
            raise DataError(f"distance must be one of {list(DISTANCE_REACH)}, got {distance!r}")
        _check_keep_within(region, distance)
        reach = LEVELS[min(LEVELS.index(_checked(reach)), LEVELS.index(DISTANCE_REACH[distance]))]
    if bases not in ("sequential", "joint", "none"):
        raise DataError(f"bases must be 'sequential', 'joint' or 'none', got {bases!r}")
    if bases == "joint" and objective != "total":
        raise DataError("joint base planning supports the 'total' objective only")
    stable = objective == "stable"
    capacity = region.mentors["capacity"].to_numpy()
    min_load = region.mentors["min_load"].to_numpy()
    mentor_labels = region.mentors.index
    rounds, spent = 0, 0.0
    while True:
        rounds += 1
        t0 = time.perf_counter()
        candidates = candidate_pairs(
            region, k, reach=reach, weights=weights, block_size=block_size, mentor_view=stable
        )
        spent += time.perf_counter() - t0
        mentees = candidates.mentees
        try:
            solution = solve_edges(
                np.searchsorted(mentees, candidates.mentee),
                candidates.mentor,
                candidates.score,
                capacity,
                None if stable else min_load,
                required=candidates.required,
                mentees=region.secretaries.index[mentees],
                mentors=mentor_labels,
                solver=solver,
                n_jobs=n_jobs,
                allow_unassigned=partial,
                objective=objective,
                mentor_score=candidates.mentor_score,
            )
        except InfeasibleError:
            if k is None or candidates.complete.all():
                raise
            k = _wider(k, region, reach)
            continue
        if partial and len(solution.unassigned) and k is not None:
            if not candidates.complete.all():
                k = _wider(k, region, reach)
                continue
        break
    timings = {"candidates": spent}
    timings.update({key: v for key, v in solution.timings.items() if key != "total"})
    base_plan = None
    if bases != "none":
        t0 = time.perf_counter()
        base_plan = plan_bases(region, mentees, solution.mentor, solver=solver)
        timings["bases"] = time.perf_counter() - t0
    if bases == "joint":
        t0 = time.perf_counter()
        mentor, edge, score, base_plan = joint_bases(
            region, candidates, solution, base_plan, partial=partial
        )
        placed = edge >= 0
        solution = replace(
            solution,
            mentor=mentor,
            edge=edge,
            score=score,
            objective=float(score[placed].sum()),
            cost=int(integer_costs(score[placed]).sum()),
            solver="highs-milp",
        )
        timings["joint"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - started
    return RegionPlan(
        mentees=mentees,
        mentor=solution.mentor,
        score=solution.score,
        objective=solution.objective,
        objective_name=objective,
        distance=distance,
        bases=base_plan,
        candidates=candidates,
        solution=solution,
        rounds=rounds,
        timings=timings,
    )


def _wider(k: int, region: Region, reach: str) -> int | None:
    """The next ``k``: larger by WIDEN_FACTOR, or None (all in reach) once that covers
    the largest reach anyway."""
    wider = k * WIDEN_FACTOR
    largest = int(reach_lists(region, None, reach).length.max(initial=0))
    return None if wider >= largest else wider


def _checked(reach: str) -> str:
    if reach not in LEVELS:
        raise DataError(f"reach must be one of {list(LEVELS)}, got {reach!r}")
    return reach


def _check_keep_within(region: Region, distance: str) -> None:
    """Pairs to keep must obey the distance rule: a rule that cannot be met is named,
    never quietly dropped or scored 0."""
    from mentormatch.matching.encode import keep_refused
    from mentormatch.matching.result import DISTANCE_RULES

    who, whom = region.pairs("keep")
    if not len(who):
        return
    near = pair_scores(region, who, whom, components=True)["proximity"].to_numpy()
    outside = near < DISTANCE_RULES[distance]
    if not outside.any():
        return
    sids = region.secretaries.index[who[outside]]
    mids = region.mentors.index[whom[outside]]
    raise keep_refused(list(zip(sids, mids, strict=True)))
