"""The encoder: turn a score table and rules into one validated edge list.

Every solver in this package works on an :class:`Instance`: integer positions of mentees
and mentors, one entry per allowed (mentee, mentor) pair, and per-mentor load bounds.
The dense score DataFrame is one front end (:meth:`Instance.from_frames`); a sparse
candidate list is another (:meth:`Instance.from_edges`). Encoding is where bad arguments
become :class:`~mentormatch.errors.DataError` and conflicting rules about required pairs
become :class:`~mentormatch.errors.InfeasibleError`, so the solvers only see clean input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch.errors import DataError, InfeasibleError, Problem

__all__ = ["Instance", "OBJECTIVES", "SOLVERS"]

OBJECTIVES = ("total", "fair", "stable")
SOLVERS = ("auto", "networkx", "ortools")

#: At most this many names are quoted in one message.
_SHOWN = 5


def shown(labels: Iterable[object]) -> str:
    """Quote the first few labels of a list for a message, saying how many were left out."""
    labels = list(labels)
    text = ", ".join(repr(x) for x in labels[:_SHOWN])
    if len(labels) > _SHOWN:
        text += f" and {len(labels) - _SHOWN} more"
    return text


def count(number: int, noun: str) -> str:
    """``"1 place"``, ``"2 places"``: a number with its noun in the right form."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass(frozen=True, eq=False)
class Instance:
    """A validated assignment problem as edge arrays.

    Attributes
    ----------
    mentees, mentors : pandas.Index
        The labels, in input order; positions in these indexes are used everywhere else.
    edge_mentee, edge_mentor : numpy.ndarray of int64
        One entry per allowed pair, sorted by mentee then mentor position. Forbidden and
        NaN pairs are absent; a mentee with a required pair has that single edge only.
    score : numpy.ndarray of float64
        The pair's score in [0, 1] (what mentees rank by and what ``total`` maximises).
    mentor_score : numpy.ndarray of float64
        How the mentor ranks the mentee (for ``stable`` and blocking pairs).
    required : numpy.ndarray of bool
        True on the edges that the rules force.
    capacity, min_load : numpy.ndarray of int64
        Per-mentor bounds on the number of mentees, ``0 <= min_load``.
    """

    mentees: pd.Index
    mentors: pd.Index
    edge_mentee: np.ndarray
    edge_mentor: np.ndarray
    score: np.ndarray
    mentor_score: np.ndarray
    required: np.ndarray
    capacity: np.ndarray
    min_load: np.ndarray

    @property
    def n_mentees(self) -> int:
        return len(self.mentees)

    @property
    def n_mentors(self) -> int:
        return len(self.mentors)

    @property
    def n_edges(self) -> int:
        return len(self.edge_mentee)

    def choice_of(self, edges: np.ndarray) -> np.ndarray:
        """Each mentee's chosen edge position (-1 if unplaced) from the plan's edges."""
        choice = np.full(self.n_mentees, -1, dtype=np.int64)
        choice[self.edge_mentee[edges]] = edges
        return choice

    def to_series(self, choice: np.ndarray) -> pd.Series:
        """The plan as a Series mentee -> mentor in input order, NaN where unplaced."""
        placed = choice >= 0
        position = np.zeros(self.n_mentees, dtype=np.int64)
        position[placed] = self.edge_mentor[choice[placed]]
        mentor = pd.Series(
            self.mentors.take(position) if self.n_mentors else [np.nan] * self.n_mentees,
            index=self.mentees,
            name="mentor",
        )
        return mentor if placed.all() else mentor.where(placed)

    def degree(self) -> np.ndarray:
        """Number of allowed mentors of each mentee."""
        return np.bincount(self.edge_mentee, minlength=self.n_mentees)

    # ------------------------------------------------------------------ front ends
    @classmethod
    def from_frames(
        cls,
        scores: pd.DataFrame,
        capacity: pd.Series | Mapping | int,
        *,
        min_load: pd.Series | Mapping | int | None = None,
        forbidden: Iterable = (),
        required: Iterable = (),
        mentor_scores: pd.DataFrame | None = None,
    ) -> Instance:
        """Encode a dense mentee x mentor score table (NaN = pair not allowed)."""
        if not isinstance(scores, pd.DataFrame):
            raise DataError(
                Problem("scores", None, None, type(scores).__name__, "a pandas DataFrame")
            )
        mentees, mentors = scores.index, scores.columns
        check_labels(mentees, "scores", "mentee (row) labels")
        check_labels(mentors, "scores", "mentor (column) labels")
        values = numeric_matrix(scores, "scores")
        outside = ~np.isnan(values) & ((values < 0) | (values > 1))
        if outside.any():
            rows, cols = np.nonzero(outside)
            raise DataError(
                [
                    Problem(
                        "scores",
                        None,
                        f"{mentors[c]!r} x {mentees[r]!r}",
                        values[r, c],
                        "a score between 0 and 1, or NaN for a pair not allowed",
                    )
                    for r, c in zip(rows[:_SHOWN], cols[:_SHOWN], strict=True)
                ]
            )
        if mentor_scores is None:
            mentor_values = values
        else:
            if not isinstance(mentor_scores, pd.DataFrame) or not (
                mentor_scores.index.equals(mentees) and mentor_scores.columns.equals(mentors)
            ):
                raise DataError(
                    Problem(
                        "mentor_scores",
                        None,
                        None,
                        None,
                        "a DataFrame with the same mentees and mentors as scores",
                    )
                )
            mentor_values = numeric_matrix(mentor_scores, "mentor_scores")

        allowed = ~np.isnan(values)
        forbid_i, forbid_j = pair_positions(forbidden, mentees, mentors, "forbidden")
        allowed[forbid_i, forbid_j] = False
        req_i, req_j = pair_positions(required, mentees, mentors, "required")
        _check_required(req_i, req_j, values, (forbid_i, forbid_j), mentees, mentors)
        # A required mentee keeps its one required edge: every solver then honours the
        # rule without knowing about it, and the flow network shows it.
        allowed[req_i] = False
        allowed[req_i, req_j] = True
        is_required = np.zeros_like(allowed)
        is_required[req_i, req_j] = True

        edge_mentee, edge_mentor = np.nonzero(allowed)
        mentor_score = mentor_values[edge_mentee, edge_mentor]
        if np.isnan(mentor_score).any():
            bad = np.flatnonzero(np.isnan(mentor_score))[:_SHOWN]
            raise DataError(
                [
                    Problem(
                        "mentor_scores",
                        None,
                        f"{mentors[edge_mentor[e]]!r} x {mentees[edge_mentee[e]]!r}",
                        None,
                        "a mentor score for every allowed pair",
                    )
                    for e in bad
                ]
            )
        return cls.from_edges(
            mentees,
            mentors,
            edge_mentee,
            edge_mentor,
            values[edge_mentee, edge_mentor],
            capacity,
            min_load=min_load,
            required=is_required[edge_mentee, edge_mentor],
            mentor_score=mentor_score,
        )

    @classmethod
    def from_edges(
        cls,
        mentees: pd.Index,
        mentors: pd.Index,
        edge_mentee: np.ndarray,
        edge_mentor: np.ndarray,
        score: np.ndarray,
        capacity: pd.Series | Mapping | int,
        *,
        min_load: pd.Series | Mapping | int | None = None,
        required: np.ndarray | None = None,
        mentor_score: np.ndarray | None = None,
    ) -> Instance:
        """Encode a sparse candidate list: one entry per allowed pair, by integer position.

        The caller guarantees that a mentee with a required edge has no other edge; this
        front end checks positions, scores, duplicates and load bounds, and sorts.
        """
        mentees, mentors = pd.Index(mentees), pd.Index(mentors)
        edge_mentee = np.asarray(edge_mentee, dtype=np.int64)
        edge_mentor = np.asarray(edge_mentor, dtype=np.int64)
        score = np.asarray(score, dtype=np.float64)
        required = (
            np.zeros(len(score), dtype=bool) if required is None else np.asarray(required, bool)
        )
        mentor_score = score if mentor_score is None else np.asarray(mentor_score, np.float64)
        if (
            not len(edge_mentee)
            == len(edge_mentor)
            == len(score)
            == len(required)
            == len(mentor_score)
        ):
            raise DataError("edge arrays must all have the same length")
        if len(score) and not (
            0 <= edge_mentee.min() <= edge_mentee.max() < len(mentees)
            and 0 <= edge_mentor.min() <= edge_mentor.max() < len(mentors)
        ):
            raise DataError("edge positions must index the mentees and mentors")
        if not ((score >= 0) & (score <= 1)).all() or not np.isfinite(mentor_score).all():
            raise DataError("edge scores must lie in [0, 1] and mentor scores be finite")
        cap = load_bounds(capacity, mentors, "capacity", default=None)
        low = load_bounds(min_load, mentors, "min_load", default=0)
        key = edge_mentee * max(len(mentors), 1) + edge_mentor
        # The dense front end makes sorted edges; sorting again would cost more than all
        # the rest of the encoding.
        order = slice(None) if (np.diff(key) > 0).all() else np.argsort(key, kind="stable")
        if (np.diff(key[order]) == 0).any():
            raise DataError("each (mentee, mentor) pair may appear only once")
        instance = cls(
            mentees=mentees,
            mentors=mentors,
            edge_mentee=edge_mentee[order],
            edge_mentor=edge_mentor[order],
            score=score[order],
            mentor_score=mentor_score[order],
            required=required[order],
            capacity=cap,
            min_load=low,
        )
        instance._check_loads()
        return instance

    def _check_loads(self) -> None:
        """Raise the rule conflicts that no plan can satisfy, found by counting alone."""
        reasons, details = [], {}
        fixed = np.bincount(self.edge_mentor[self.required], minlength=self.n_mentors)
        over = np.flatnonzero(fixed > self.capacity)
        if len(over):
            reasons.append(
                "required pairs exceed the capacity of "
                + ", ".join(
                    f"{self.mentors[j]!r} ({fixed[j]} required, capacity {self.capacity[j]})"
                    for j in over[:_SHOWN]
                )
            )
            details["required_over_capacity"] = list(self.mentors[over])
        above = np.flatnonzero(self.min_load > self.capacity)
        if len(above):
            reasons.append(
                "min load exceeds capacity for "
                + ", ".join(
                    f"{self.mentors[j]!r} (min {self.min_load[j]}, capacity {self.capacity[j]})"
                    for j in above[:_SHOWN]
                )
            )
            details["min_load_above_capacity"] = list(self.mentors[above])
        if reasons:
            raise InfeasibleError(reasons, details=details)


# ---------------------------------------------------------------------- validation
def check_labels(index: pd.Index, source: str, what: str) -> None:
    if index.has_duplicates:
        dup = index[index.duplicated()].unique()
        raise DataError(Problem(source, None, None, shown(dup), f"unique {what}"))


def numeric_matrix(frame: pd.DataFrame, source: str) -> np.ndarray:
    bad = [
        c
        for c, dtype in frame.dtypes.items()
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
    ]
    if bad:
        raise DataError(
            [
                Problem(source, None, str(c), str(frame.dtypes[c]), "numbers (NaN allowed)")
                for c in bad[:_SHOWN]
            ]
        )
    values = frame.to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isinf(values).any():
        raise DataError(Problem(source, None, None, "inf", "finite numbers (NaN allowed)"))
    return values


def load_bounds(value, mentors: pd.Index, source: str, *, default: int | None) -> np.ndarray:
    """Per-mentor whole numbers >= 0 from a Series, mapping, scalar or None."""
    if value is None:
        if default is None:
            raise DataError(Problem(source, None, None, None, "a load for every mentor"))
        return np.full(len(mentors), default, dtype=np.int64)
    if np.isscalar(value):
        series = pd.Series(value, index=mentors)
    else:
        series = pd.Series(value) if isinstance(value, Mapping) else value
        if not isinstance(series, pd.Series):
            raise DataError(
                Problem(
                    source,
                    None,
                    None,
                    type(value).__name__,
                    "a Series (or dict) mentor -> whole number, or one whole number",
                )
            )
        if series.index.has_duplicates:
            raise DataError(
                Problem(
                    source,
                    None,
                    None,
                    shown(series.index[series.index.duplicated()].unique()),
                    "one value per mentor",
                )
            )
        missing = mentors.difference(series.index, sort=False)
        if len(missing):
            raise DataError(Problem(source, None, None, shown(missing), "a value for every mentor"))
        series = series.reindex(mentors)
    numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(numbers) | (numbers < 0) | (numbers != np.round(numbers))
    if pd.api.types.is_bool_dtype(series.dtype):
        bad[:] = True
    if bad.any():
        raise DataError(
            [
                Problem(source, None, repr(mentors[j]), series.iloc[j], "a whole number >= 0")
                for j in np.flatnonzero(bad)[:_SHOWN]
            ]
        )
    return numbers.astype(np.int64)


def pair_positions(
    pairs: Iterable, mentees: pd.Index, mentors: pd.Index, source: str
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of (mentee, mentor) pairs; unknown labels are a DataError."""
    if isinstance(pairs, pd.DataFrame):
        pairs = pairs.iloc[:, :2].itertuples(index=False, name=None)
    items = []
    for pair in pairs:
        if isinstance(pair, str) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise DataError(Problem(source, None, None, pair, "a (mentee, mentor) pair"))
        items.append(tuple(pair))
    if not items:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    who, whom = zip(*items, strict=True)
    i = mentees.get_indexer(pd.Index(list(who), dtype=object))
    j = mentors.get_indexer(pd.Index(list(whom), dtype=object))
    problems = [
        Problem(source, None, "mentee", who[k], "a mentee (a row label of scores)")
        for k in np.flatnonzero(i < 0)[:_SHOWN]
    ] + [
        Problem(source, None, "mentor", whom[k], "a mentor (a column label of scores)")
        for k in np.flatnonzero(j < 0)[:_SHOWN]
    ]
    if problems:
        raise DataError(problems)
    return i.astype(np.int64), j.astype(np.int64)


def _check_required(req_i, req_j, values, forbidden, mentees, mentors) -> None:
    """Raise InfeasibleError for required pairs that contradict each other or the rules."""
    reasons, details = [], {}
    pairs = pd.DataFrame({"i": req_i, "j": req_j}).drop_duplicates()
    twice = pairs["i"][pairs["i"].duplicated()].unique()
    if len(twice):
        reasons.append(f"mentees required with two or more mentors: {shown(mentees[twice])}")
        details["required_twice"] = list(mentees[twice])
    forbidden_set = set(zip(*forbidden, strict=True))
    clash = [(i, j) for i, j in pairs.itertuples(index=False) if (i, j) in forbidden_set]
    if clash:
        shown_pairs = shown((mentees[i], mentors[j]) for i, j in clash)
        reasons.append(f"pairs both required and forbidden: {shown_pairs}")
        details["required_forbidden"] = [(mentees[i], mentors[j]) for i, j in clash]
    nan = [(i, j) for i, j in pairs.itertuples(index=False) if np.isnan(values[i, j])]
    if nan:
        reasons.append(
            f"required pairs that are not allowed (score NaN): "
            f"{shown((mentees[i], mentors[j]) for i, j in nan)}"
        )
        details["required_not_allowed"] = [(mentees[i], mentors[j]) for i, j in nan]
    if reasons:
        unplaceable = sorted(set(twice.tolist()) | {i for i, _ in clash} | {i for i, _ in nan})
        raise InfeasibleError(reasons, unplaceable=list(mentees[unplaceable]), details=details)
