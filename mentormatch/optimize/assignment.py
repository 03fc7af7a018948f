"""The front door: :func:`solve` and :func:`assign` on a mentee x mentor score table."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mentormatch.errors import DataError, Problem
from mentormatch.optimize.backends import choose_solver
from mentormatch.optimize.checks import blocking_frame, mentee_prefers
from mentormatch.optimize.fair import solve_fair
from mentormatch.optimize.instance import OBJECTIVES, SOLVERS, Instance
from mentormatch.optimize.stable import solve_stable
from mentormatch.optimize.total import solve_total

__all__ = ["Assignment", "solve", "assign"]

_SOLVE = {"total": solve_total, "fair": solve_fair, "stable": solve_stable}


@dataclass(frozen=True, eq=False)
class Assignment:
    """A plan and what it achieves.

    Attributes
    ----------
    mentor : pandas.Series
        Mentee -> mentor in input order, NaN for an unplaced mentee; name ``"mentor"``.
    objective : float
        Sum of the plan's scores.
    min_score : float
        The lowest score in the plan (NaN if nobody is placed).
    objective_name : str
        ``"total"``, ``"fair"`` or ``"stable"``.
    solver : str
        ``"networkx"`` or ``"ortools"`` (the min-cost flow backend), or
        ``"deferred-acceptance"``.
    runtime : float
        Seconds spent encoding and solving.
    blocking_pairs : pandas.DataFrame
        The plan's blocking pairs (see :func:`mentormatch.optimize.blocking_pairs`); a
        mentee held by a required pair is not free to move, so it blocks only as the
        mentee a mentor would rather let go.
    unassigned : tuple
        Mentees left without a mentor (only with ``allow_unassigned``).
    """

    mentor: pd.Series
    objective: float
    min_score: float
    objective_name: str
    solver: str
    runtime: float
    blocking_pairs: pd.DataFrame
    unassigned: tuple = ()
    table: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __repr__(self) -> str:
        placed = len(self.mentor) - len(self.unassigned)
        return (
            f"Assignment({self.objective_name!r}: {placed} of {len(self.mentor)} mentees "
            f"placed, total score {self.objective:.4f}, min {self.min_score:.4f}, "
            f"{len(self.blocking_pairs)} blocking pairs, {self.solver}, {self.runtime:.3f} s)"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per mentee: ``mentor``, ``score``, ``choice`` (rank of the mentor
        among the mentee's allowed mentors, 1 = its favourite; a mentee held by a
        required pair has that one mentor only) and ``required``."""
        return self.table.copy()

    def summary(self) -> pd.Series:
        """Headline figures of the plan."""
        placed = len(self.mentor) - len(self.unassigned)
        return pd.Series(
            {
                "objective": self.objective_name,
                "solver": self.solver,
                "mentees": len(self.mentor),
                "placed": placed,
                "unassigned": len(self.unassigned),
                "total_score": self.objective,
                "mean_score": self.objective / placed if placed else np.nan,
                "min_score": self.min_score,
                "first_choices": int((self.table["choice"] == 1).sum()),
                "blocking_pairs": len(self.blocking_pairs),
                "runtime_s": self.runtime,
            },
            name="assignment",
        )


def solve(
    scores: pd.DataFrame,
    capacity: pd.Series | Mapping | int,
    *,
    min_load: pd.Series | Mapping | int | None = None,
    forbidden: Iterable = (),
    required: Iterable = (),
    objective: str = "total",
    solver: str = "auto",
    mentor_scores: pd.DataFrame | None = None,
    allow_unassigned: bool = False,
) -> Assignment:
    """Assign each mentee one mentor under capacities and rules, with a report.

    Objectives:

    - ``"total"``: maximise the sum of scores, exactly, as a min-cost flow. Scores are
      rounded to multiples of ``1e-6`` for the integer solvers, so the plan is optimal
      for the rounded scores and within ``n_mentees * 1e-6`` of the true optimum. Large
      dense tables are first solved on each mentee's best pairs, then the plan is proven
      optimal on all pairs (see :mod:`mentormatch.optimize.pricing`).
    - ``"fair"``: maximise the lowest score among the mentees the solver places (those
      held by a required pair do not count), then the sum among such plans.
    - ``"stable"``: mentee-proposing deferred acceptance with capacities: the
      mentee-optimal stable plan (mentees rank by ``scores``, mentors by
      ``mentor_scores``, ties by input order). Min loads are checked, not imposed: if
      the stable plan misses one, no stable plan meets it, and InfeasibleError says so.

    Every plan is deterministic (no randomness; ties go by input order or, between
    equally good flow plans, to the solver's deterministic choice) and reports its
    blocking pairs.

    Parameters
    ----------
    scores : pandas.DataFrame
        Index = mentees, columns = mentors, values in [0, 1]; NaN = pair not allowed.
    capacity : pandas.Series, dict or int
        Most mentees per mentor (one number for all, or one per mentor).
    min_load : pandas.Series, dict or int, optional
        Fewest mentees per mentor.
    forbidden, required : iterable of (mentee, mentor)
        Pairs that must not / must be in the plan.
    objective : {"total", "fair", "stable"}
    solver : {"auto", "networkx", "ortools"}
        Min-cost flow backend; ``"auto"`` uses networkx up to
        :data:`~mentormatch.optimize.backends.NETWORKX_MAX_ARCS` arcs, OR-Tools above.
    mentor_scores : pandas.DataFrame, optional
        How mentors rank mentees (same shape as ``scores``; default ``scores``); used by
        ``"stable"`` and for blocking pairs. Needs a value for every allowed pair.
    allow_unassigned : bool
        If True, place as many mentees as possible, then optimise; the rest get NaN. If
        False, a plan that cannot place everyone raises InfeasibleError.

    Returns
    -------
    Assignment

    Raises
    ------
    DataError
        Bad arguments: non-numeric or out-of-range scores, bad loads, unknown labels.
    InfeasibleError
        No plan meets the rules; the error says which mentees, mentors and by how much.

    Examples
    --------
    >>> import pandas as pd
    >>> from mentormatch.optimize import solve
    >>> scores = pd.DataFrame({"Wang": [1.0, 0.5], "Li": [0.45, 0.0]}, index=["a", "b"])
    >>> best = solve(scores, capacity=1)
    >>> best.mentor.tolist(), best.objective, best.min_score
    (['Wang', 'Li'], 1.0, 0.0)
    >>> fair = solve(scores, capacity=1, objective="fair")
    >>> fair.mentor.tolist(), fair.objective, fair.min_score
    (['Li', 'Wang'], 0.95, 0.45)
    >>> fair.summary()[["placed", "first_choices", "blocking_pairs"]].tolist()
    [2, 1, 1]
    """
    started = time.perf_counter()
    if objective not in OBJECTIVES:
        raise DataError(Problem("objective", None, None, objective, " or ".join(OBJECTIVES)))
    if solver not in SOLVERS:
        raise DataError(Problem("solver", None, None, solver, " or ".join(SOLVERS)))
    instance = Instance.from_frames(
        scores,
        capacity,
        min_load=min_load,
        forbidden=forbidden,
        required=required,
        mentor_scores=mentor_scores,
    )
    # One backend for every flow of this solve, chosen from the size of the full network.
    backend = choose_solver(solver, instance.n_mentees + instance.n_edges + instance.n_mentors)
    choice = _SOLVE[objective](instance, solver=backend, allow_unassigned=allow_unassigned)
    runtime = time.perf_counter() - started

    mentor = instance.to_series(choice)
    placed = choice >= 0
    chosen = choice[placed]
    scored = instance.score[chosen]
    # A mentee's choice number: 1 + how many allowed mentors it prefers to its own.
    ahead = np.bincount(
        instance.edge_mentee[mentee_prefers(instance, choice)], minlength=instance.n_mentees
    )
    table = pd.DataFrame(
        {
            "mentor": mentor,
            "score": _by_mentee(instance, choice, instance.score),
            "choice": pd.Series(ahead + 1, index=instance.mentees).where(placed).astype("Int64"),
            "required": _by_mentee(instance, choice, instance.required).astype("boolean"),
        },
        index=instance.mentees,
    )
    return Assignment(
        mentor=mentor,
        objective=float(scored.sum()),
        min_score=float(scored.min()) if len(scored) else np.nan,
        objective_name=objective,
        solver="deferred-acceptance" if objective == "stable" else backend,
        runtime=runtime,
        blocking_pairs=blocking_frame(instance, choice),
        unassigned=tuple(instance.mentees[~placed]),
        table=table,
    )


def _by_mentee(instance: Instance, choice: np.ndarray, values: np.ndarray) -> pd.Series:
    """Per-edge ``values`` at each mentee's chosen edge (missing where unplaced)."""
    series = pd.Series(
        values[np.maximum(choice, 0)] if len(values) else np.zeros(len(choice), dtype=values.dtype),
        index=instance.mentees,
    )
    return series.where(choice >= 0) if (choice < 0).any() else series


def assign(
    scores: pd.DataFrame,
    capacity: pd.Series | Mapping | int,
    *,
    min_load: pd.Series | Mapping | int | None = None,
    forbidden: Iterable = (),
    required: Iterable = (),
    objective: str = "total",
    solver: str = "auto",
    mentor_scores: pd.DataFrame | None = None,
    allow_unassigned: bool = False,
) -> pd.Series:
    """Assign each mentee one mentor: :func:`solve` without the report.

    Parameters and errors are those of :func:`solve`.

    Returns
    -------
    pandas.Series
        Mentee -> mentor in the input order of ``scores``, name ``"mentor"``; NaN for a
        mentee left unplaced (only with ``allow_unassigned``). Its dtype is ``str`` on
        pandas 3 and ``object`` on pandas 2.

    Examples
    --------
    >>> import pandas as pd
    >>> from mentormatch.optimize import assign
    >>> scores = pd.DataFrame({"Wang": [0.9, 0.8, 0.2], "Li": [0.7, 0.1, 0.5]},
    ...                       index=["a", "b", "c"])
    >>> assign(scores, capacity=2)  # doctest: +ELLIPSIS
    a    Wang
    b    Wang
    c      Li
    Name: mentor, dtype: ...
    >>> assign(scores, capacity=1, forbidden=[("b", "Li")], allow_unassigned=True)
    ... # doctest: +ELLIPSIS
    a      Li
    b    Wang
    c     NaN
    Name: mentor, dtype: ...
    """
    return solve(
        scores,
        capacity,
        min_load=min_load,
        forbidden=forbidden,
        required=required,
        objective=objective,
        solver=solver,
        mentor_scores=mentor_scores,
        allow_unassigned=allow_unassigned,
    ).mentor
