"""What a plan gives and costs, measured from the District alone: the same way for a plan
of :func:`mentormatch.match` and for one a planner changed by hand.

:func:`measure` gives a :class:`PlanCost`: the total pair score, the blocking pairs and
every rule broken (:class:`BrokenRule`). :func:`plan_for` makes a
:class:`~mentormatch.Plan` of a hand-made assignment (bases, reasons, alternates), so
that it can be shown and written as a workbook like any other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from mentormatch.app.words import DISTANCE_WORDS, say
from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.plan import DISTANCE_RULES, Plan, constraint_pairs, match_with
from mentormatch.scoring import parse_weights, score_pairs

__all__ = ["measure", "plan_for", "PlanCost", "BrokenRule", "Grid", "person"]


@dataclass(frozen=True)
class BrokenRule:
    """One rule a plan breaks.

    ``kind`` is ``forbid`` (a forbidden pair is in the plan), ``keep`` (a pair to keep is
    not), ``capacity`` (a mentor has more mentees than places), ``min_load`` (fewer than
    the minimum load) or ``distance`` (a pair outside the distance rule); ``load`` and
    ``limit`` are the mentor's mentees and places (or minimum load).
    """

    kind: str
    secretary_id: str | None = None
    secretary: str | None = None
    mentor_id: str | None = None
    mentor: str | None = None
    load: int | None = None
    limit: int | None = None
    distance: str | None = None

    def text(self, lang: str = "zh") -> str:
        """The broken rule as one line in ``lang``."""
        mentee = person(self.secretary_id, self.secretary, lang)
        mentor = person(self.mentor_id, self.mentor, lang)
        rule = DISTANCE_WORDS.get(self.distance, ("", ""))[0 if lang == "zh" else 1]
        return say(
            f"broken_{self.kind}",
            lang,
            mentee=mentee,
            mentor=mentor,
            load=self.load,
            limit=self.limit,
            rule=rule,
        )


def person(pid: object, name: object, lang: str) -> str:
    """A person as the page names them: ``卢鹏（M001）`` / ``卢鹏 (M001)``."""
    if not isinstance(pid, str):
        return ""
    if not isinstance(name, str):
        return pid
    return f"{name}（{pid}）" if lang == "zh" else f"{name} ({pid})"


@dataclass(frozen=True)
class PlanCost:
    """What a plan gives and what it costs (see :func:`measure`)."""

    mentees: int
    placed: int
    total_score: float
    mean_score: float
    blocking_pairs: int
    broken: tuple[BrokenRule, ...]
    blocking: pd.DataFrame = field(repr=False, compare=False, default=None)


@dataclass(frozen=True, eq=False)
class Grid:
    """A District's pairs as mentee x mentor tables, computed once per District, weights
    and distance rule."""

    d: District
    weights: dict
    distance: str | None
    score: pd.DataFrame
    view: pd.DataFrame
    proximity: pd.DataFrame
    allowed: np.ndarray  # what the rules allow (forbid, keep, distance)
    in_range: np.ndarray  # what the distance rule allows
    forbidden: list
    required: list
    capacity: pd.Series
    min_load: pd.Series

    @classmethod
    def build(cls, d: District, weights: Mapping[str, float] | None, distance: str | None):
        w = parse_weights(dict(weights) if weights is not None else None)
        ids = pd.Index(d.mentees["secretary_id"].to_numpy(dtype=object), name="secretary_id")
        mids = pd.Index(d.mentors["mentor_id"].to_numpy(dtype=object), name="mentor_id")
        scores = score_pairs(d, w)

        def wide(column: str) -> pd.DataFrame:
            table = scores.pivot(index="secretary_id", columns="mentor_id", values=column)
            return table.reindex(index=ids, columns=mids).astype(float)

        score, view, near = wide("total"), wide("mentor_view"), wide("proximity")
        in_range = np.ones(score.shape, dtype=bool)
        if distance is not None:
            if distance not in DISTANCE_RULES:
                raise DataError(f"distance must be one of {list(DISTANCE_RULES)}, got {distance!r}")
            in_range = near.to_numpy() >= DISTANCE_RULES[distance]
        allowed = in_range & np.isfinite(score.to_numpy())
        forbidden, required = constraint_pairs(d, ids)
        for sid, mid in forbidden:
            allowed[ids.get_loc(sid), mids.get_loc(mid)] = False
        for sid, mid in required:
            # A mentee held by a keep rule has that one mentor only (as the solvers see it).
            i, j = ids.get_loc(sid), mids.get_loc(mid)
            allowed[i, :] = False
            allowed[i, j] = True
        mentors = d.mentors.set_index("mentor_id")
        return cls(
            d=d,
            weights=w,
            distance=distance,
            score=score,
            view=view,
            proximity=near,
            allowed=allowed,
            in_range=in_range,
            forbidden=forbidden,
            required=required,
            capacity=mentors["capacity"].astype(int).reindex(mids),
            min_load=mentors["min_load"].fillna(0).astype(int).reindex(mids),
        )

    def positions(self, assignment: pd.Series) -> np.ndarray:
        """Mentor position of each mentee (-1: none) from secretary_id -> mentor_id."""
        a = assignment.reindex(self.score.index)
        j = self.score.columns.get_indexer(pd.Index(a.fillna("").to_numpy(dtype=object)))
        return np.where(a.notna().to_numpy(), j, -1)


def measure(
    d: District,
    assignment: pd.Series,
    *,
    weights: Mapping[str, float] | None = None,
    distance: str | None = None,
    grid: Grid | None = None,
) -> PlanCost:
    """What the plan ``assignment`` (secretary_id -> mentor_id, missing or NaN: no
    mentor) gives and costs under the rules of ``d`` (``grid``: the District's
    :class:`Grid` for these weights and distance rule, when already built).

    * ``total_score``: the sum of the pair scores (:func:`mentormatch.score_pairs` with
      ``weights``) of the placed mentees; ``mean_score`` its mean.
    * ``blocking_pairs``: pairs that would both rather be together, as
      :func:`mentormatch.optimize.blocking_pairs` defines them, among the pairs the rules
      allow (not forbidden, within the distance rule, and for a mentee with a keep rule
      only its kept mentor), every mentee's pair in the plan counted as it is even where
      it breaks a rule. For a plan of :func:`mentormatch.match` this is its own
      ``blocking_pairs``.
    * ``broken``: every rule the plan breaks (:class:`BrokenRule`), in the order forbid,
      keep, distance (by mentee), then places and minimum loads (by mentor).

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> plan = mm.match(d)
    >>> cost = measure(d, plan.assignment)
    >>> round(cost.total_score, 6) == round(plan.objective_value, 6), cost.broken
    (True, ())
    """
    from mentormatch.optimize import blocking_pairs

    g = grid if grid is not None else Grid.build(d, weights, distance)
    ids, mids = g.score.index, g.score.columns
    mentor = g.positions(assignment)
    rows = np.flatnonzero(mentor >= 0)
    cols = mentor[rows]
    score = g.score.to_numpy()
    pair_scores = score[rows, cols]
    # Each mentee's own pair is measured as it is, even where it breaks a rule.
    acceptable = g.allowed.copy()
    acceptable[rows, cols] = True
    plan = pd.Series(
        np.where(mentor >= 0, mids.to_numpy()[np.maximum(mentor, 0)], None), index=ids, dtype=object
    )
    frame = blocking_pairs(
        g.score.where(acceptable),
        g.capacity,
        plan.dropna(),
        g.view.where(acceptable),
    )

    s_names = dict(zip(g.d.mentees["secretary_id"], g.d.mentees["name"], strict=True))
    m_names = dict(zip(g.d.mentors["mentor_id"], g.d.mentors["name"], strict=True))
    current = dict(zip(ids[rows], mids[cols], strict=True))
    broken: list[BrokenRule] = []

    def pair(kind: str, sid: str, mid: str, **more) -> BrokenRule:
        return BrokenRule(kind, sid, s_names.get(sid), mid, m_names.get(mid), **more)

    broken += [pair("forbid", s, m) for s, m in g.forbidden if current.get(s) == m]
    broken += [pair("keep", s, m) for s, m in g.required if current.get(s) != m]
    outside = ~g.in_range[rows, cols]
    broken += [
        pair("distance", ids[i], mids[j], distance=g.distance)
        for i, j in zip(rows[outside], cols[outside], strict=True)
    ]
    load = np.bincount(cols, minlength=len(mids))
    for kind, limit, over in (
        ("capacity", g.capacity.to_numpy(), load > g.capacity.to_numpy()),
        ("min_load", g.min_load.to_numpy(), load < g.min_load.to_numpy()),
    ):
        for j in np.flatnonzero(over):
            mid = mids[j]
            broken.append(
                BrokenRule(kind, None, None, mid, m_names.get(mid), int(load[j]), int(limit[j]))
            )
    return PlanCost(
        mentees=len(ids),
        placed=len(rows),
        total_score=float(pair_scores.sum()),
        mean_score=float(pair_scores.mean()) if len(rows) else math.nan,
        blocking_pairs=len(frame),
        broken=tuple(broken),
        blocking=frame,
    )


def plan_for(g: Grid, d: District, assignment: pd.Series, blocking: pd.DataFrame) -> Plan:
    """A :class:`~mentormatch.Plan` of a hand-made assignment on ``d`` (the District
    with its locks): mentors as given, practice bases added as :func:`mentormatch.match`
    adds them, reasons and alternates, and the blocking pairs of :func:`measure`.

    :func:`mentormatch.plan.match_with` measures blocking pairs over acceptable pairs
    only, so it gets the plan's own pairs allowed (outside the distance rule, or
    forbidden, where the planner put them); its reasons and alternates are those of
    :func:`mentormatch.match`."""
    ids = g.score.index
    a = assignment.reindex(ids)
    mentor = g.positions(a)
    rows = np.flatnonzero(mentor >= 0)
    in_range = g.in_range.copy()
    in_range[rows, mentor[rows]] = True
    total = g.score.where(in_range)
    used = set(a.dropna().items())
    c = d.constraints
    clash = [
        (s, m) in used and r == "forbid"
        for s, m, r in zip(c["secretary_id"], c["mentor_id"], c["rule"], strict=True)
    ]
    if any(clash):
        d = d.replace(constraints=c[~np.array(clash)].reset_index(drop=True))
    capacity = d.mentors.set_index("mentor_id")["capacity"]
    choice = a.astype(object).where(a.notna(), np.nan)
    plan = match_with(d, total, capacity, choice, g.weights, "sequential")
    return replace(
        plan, objective="given", distance=g.distance, partial=True, blocking_pairs=blocking
    )
