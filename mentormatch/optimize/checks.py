"""Proving a plan right, apart from finding it: validity and blocking pairs.

Both functions take any plan, not only ours, so a planner's hand-edited plan can be
checked against the same rules. :func:`check_validity` reads the rules straight from
the tables rather than through the solvers' encoding, so it is an independent check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from mentormatch.errors import DataError, Problem
from mentormatch.optimize.instance import (
    Instance,
    check_labels,
    count,
    load_bounds,
    numeric_matrix,
    pair_positions,
    shown,
)

__all__ = ["check_validity", "blocking_pairs", "blocking_frame", "mentee_prefers"]


def check_validity(
    scores: pd.DataFrame,
    capacity: pd.Series | Mapping | int,
    assignment: pd.Series,
    *,
    min_load: pd.Series | Mapping | int | None = None,
    forbidden: Iterable = (),
    required: Iterable = (),
    allow_unassigned: bool = False,
) -> list[str]:
    """Every rule a plan breaks, in words; an empty list means the plan is valid.

    A plan (Series mentee -> mentor, NaN = unplaced) is valid when:

    - every mentee in it is a row of ``scores`` and has at most one mentor;
    - every mentee has a mentor, unless ``allow_unassigned``;
    - every pair has a score (not NaN) and is not forbidden;
    - every required pair is in the plan;
    - every mentor has at most ``capacity`` and at least ``min_load`` mentees.

    Parameters
    ----------
    scores, capacity, min_load, forbidden, required
        The rules, as for :func:`mentormatch.optimize.assign`.
    assignment : pandas.Series
        The plan to check.
    allow_unassigned : bool
        Whether mentees may be left without a mentor.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import pandas as pd
    >>> from mentormatch.optimize import check_validity
    >>> scores = pd.DataFrame({"Wang": [0.9, 0.4], "Li": [0.6, None]}, index=["a", "b"])
    >>> check_validity(scores, 1, pd.Series({"a": "Wang", "b": "Li"}))
    ["pair ('b', 'Li') is not allowed (no score)"]
    >>> check_validity(scores, 1, pd.Series({"a": "Li", "b": "Wang"}))
    []
    """
    if not isinstance(scores, pd.DataFrame):
        raise DataError(Problem("scores", None, None, type(scores).__name__, "a DataFrame"))
    mentees, mentors = scores.index, scores.columns
    check_labels(mentees, "scores", "mentee (row) labels")
    check_labels(mentors, "scores", "mentor (column) labels")
    values = numeric_matrix(scores, "scores")
    cap = load_bounds(capacity, mentors, "capacity", default=None)
    low = load_bounds(min_load, mentors, "min_load", default=0)
    forbidden_set = set(zip(*pair_positions(forbidden, mentees, mentors, "forbidden"), strict=True))
    required_pairs = zip(*pair_positions(required, mentees, mentors, "required"), strict=True)

    problems: list[str] = []
    plan = pd.Series(assignment)
    twice = plan.index[plan.index.duplicated()].unique()
    if len(twice):
        problems.append(f"mentees with more than one mentor: {shown(twice)}")
    unknown = plan.index.difference(mentees, sort=False)
    if len(unknown):
        problems.append(f"unknown mentees in the plan: {shown(unknown)}")
    plan = plan[~plan.index.duplicated() & plan.index.isin(mentees)]
    placed = plan.dropna()
    strangers = pd.Index(placed.unique()).difference(mentors, sort=False)
    if len(strangers):
        problems.append(f"unknown mentors in the plan: {shown(strangers)}")
    placed = placed[placed.isin(mentors)]

    i = mentees.get_indexer(placed.index)
    j = mentors.get_indexer(pd.Index(placed.to_numpy()))
    if not allow_unassigned:
        missing = mentees[~np.isin(np.arange(len(mentees)), i)]
        if len(missing):
            problems.append(f"{count(len(missing), 'mentee')} without a mentor: {shown(missing)}")
    for a, b in zip(i.tolist(), j.tolist(), strict=True):
        if np.isnan(values[a, b]):
            problems.append(f"pair {(mentees[a], mentors[b])!r} is not allowed (no score)")
        if (a, b) in forbidden_set:
            problems.append(f"pair {(mentees[a], mentors[b])!r} is forbidden")
    chosen = set(zip(i.tolist(), j.tolist(), strict=True))
    for a, b in required_pairs:
        if (a, b) not in chosen:
            problems.append(f"required pair {(mentees[a], mentors[b])!r} is not in the plan")
    load = np.bincount(j, minlength=len(mentors))
    for b in np.flatnonzero(load > cap):
        problems.append(f"mentor {mentors[b]!r} has {count(load[b], 'mentee')}, capacity {cap[b]}")
    for b in np.flatnonzero(load < low):
        problems.append(f"mentor {mentors[b]!r} has {count(load[b], 'mentee')}, min load {low[b]}")
    return problems


def blocking_pairs(
    scores: pd.DataFrame,
    capacity: pd.Series | Mapping | int,
    assignment: pd.Series,
    mentor_scores: pd.DataFrame | None = None,
    *,
    forbidden: Iterable = (),
) -> pd.DataFrame:
    """The blocking pairs of a plan: pairs that would rather be together.

    Mentees rank mentors by ``scores``, mentors rank mentees by ``mentor_scores``
    (default: ``scores``); higher is better and ties go to the earlier mentor or mentee
    in input order. A blocking pair is a mentee ``i`` and a mentor ``j`` such that
    **all** of the following hold:

    - they are acceptable to each other (the score is not NaN and the pair is not
      forbidden);
    - either ``i`` is unplaced, or ``i`` prefers ``j`` to its current mentor;
    - either ``j`` has fewer mentees than its capacity, or ``j`` prefers ``i`` to the
      mentee it likes least among its current ones.

    A plan without blocking pairs is *stable*.

    Parameters
    ----------
    scores, capacity, forbidden
        As for :func:`mentormatch.optimize.assign`.
    assignment : pandas.Series
        The plan, mentee -> mentor (NaN = unplaced); every pair must be acceptable.
    mentor_scores : pandas.DataFrame, optional
        How mentors rank mentees, same shape as ``scores``.

    Returns
    -------
    pandas.DataFrame
        One row per blocking pair, in input order: ``mentee``, ``mentor``, ``score``,
        ``current_mentor`` and ``current_score`` (NaN if unplaced), and ``displaced``,
        the mentee ``j`` would let go (NaN if ``j`` has room).

    Examples
    --------
    >>> import pandas as pd
    >>> from mentormatch.optimize import blocking_pairs
    >>> scores = pd.DataFrame({"Wang": [0.9, 0.4], "Li": [0.6, 0.8]}, index=["a", "b"])
    >>> blocking_pairs(scores, 1, pd.Series({"a": "Li", "b": "Wang"}))[["mentee", "mentor"]]
      mentee mentor
    0      a   Wang
    1      b     Li
    """
    instance = Instance.from_frames(
        scores, capacity, forbidden=forbidden, mentor_scores=mentor_scores
    )
    return blocking_frame(instance, _choice(instance, assignment))


def _choice(instance: Instance, assignment: pd.Series) -> np.ndarray:
    """Edge positions of a plan given as labels; pairs must be acceptable."""
    plan = pd.Series(assignment)
    if plan.index.has_duplicates:
        raise DataError(
            Problem(
                "assignment",
                None,
                None,
                shown(plan.index[plan.index.duplicated()].unique()),
                "at most one mentor per mentee",
            )
        )
    plan = plan.dropna()
    i = instance.mentees.get_indexer(plan.index)
    j = instance.mentors.get_indexer(pd.Index(plan.to_numpy()))
    # Edges are sorted by (mentee, mentor), so a pair's key finds its edge by bisection.
    m = max(instance.n_mentors, 1)
    keys = instance.edge_mentee * m + instance.edge_mentor
    wanted = i * m + j
    e = np.searchsorted(keys, wanted)
    found = (i >= 0) & (j >= 0) & (e < instance.n_edges)
    found[found] = keys[e[found]] == wanted[found]
    if not found.all():
        bad = ~found
        raise DataError(
            Problem(
                "assignment",
                None,
                None,
                shown(zip(plan.index[bad], plan[bad], strict=True)),
                "pairs of known mentees and mentors that are acceptable to each other"
                " (see check_validity)",
            )
        )
    return instance.choice_of(e)


def blocking_frame(instance: Instance, choice: np.ndarray) -> pd.DataFrame:
    """The blocking pairs of the plan ``choice`` (edge per mentee, -1 = unplaced)."""
    m = instance.n_mentors
    mentee, mentor = instance.edge_mentee, instance.edge_mentor
    chosen = choice[choice >= 0]
    # Each mentor's least preferred mentee: lowest mentor score, then the latest.
    last = chosen[np.lexsort((-mentee[chosen], instance.mentor_score[chosen], mentor[chosen]))]
    last = last[np.r_[True, mentor[last][1:] != mentor[last][:-1]]] if len(last) else last
    least_score = np.full(m, np.inf)
    least_score[mentor[last]] = instance.mentor_score[last]
    least = np.full(m, np.iinfo(np.int64).max)
    least[mentor[last]] = mentee[last]
    has_room = np.bincount(mentor[chosen], minlength=m) < instance.capacity
    block = np.flatnonzero(
        mentee_prefers(instance, choice)
        & (
            has_room[mentor]
            | _better(instance.mentor_score, mentee, least_score[mentor], least[mentor])
        )
    )

    i, j = mentee[block], mentor[block]
    now = choice[i]
    current_score = np.full(len(block), np.nan)
    current_score[now >= 0] = instance.score[now[now >= 0]]
    displaced = np.where(has_room[j], -1, least[j])
    return pd.DataFrame(
        {
            "mentee": instance.mentees.take(i),
            "mentor": instance.mentors.take(j),
            "score": instance.score[block],
            "current_mentor": instance.to_series(choice).to_numpy()[i],
            "current_score": current_score,
            "displaced": pd.Series(instance.mentees.take(np.maximum(displaced, 0)))
            .where(displaced >= 0)
            .to_numpy(),
        }
    )


def mentee_prefers(instance: Instance, choice: np.ndarray) -> np.ndarray:
    """For each edge, whether its mentee prefers that mentor to its current one (any
    mentor beats none). Preferences: higher score, then the earlier mentor."""
    placed = choice >= 0
    score = np.full(instance.n_mentees, -np.inf)
    score[placed] = instance.score[choice[placed]]
    mentor = np.full(instance.n_mentees, np.iinfo(np.int64).max)
    mentor[placed] = instance.edge_mentor[choice[placed]]
    i = instance.edge_mentee
    return _better(instance.score, instance.edge_mentor, score[i], mentor[i])


def _better(key, tie, other_key, other_tie) -> np.ndarray:
    """Whether (key, tie) ranks above (other_key, other_tie): higher key, then lower tie."""
    return (key > other_key) | ((key == other_key) & (tie < other_tie))
