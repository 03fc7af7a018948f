"""Pairing quality of a plan: scores, challenge coverage, distance, loads, stability.

:func:`evaluate_plan` measures one plan from the District itself (not from the figures
the plan carries), so a planner's hand-edited plan is measured the same way as ours.
The pieces are reused by :mod:`mentormatch.evaluate.baselines`, which measures
thousands of plans: the District is encoded once as arrays (:class:`Setting`) and each
plan is a vector of mentor positions.

Definitions (per placed mentee; means are over placed mentees):

``score``
    The pair score of :func:`mentormatch.score_pairs` (the plan's own weights).
``coverage_mentor``
    Share of the mentee's challenges in the mentor's expertise.
``coverage_mentor_and_base``
    Share of the mentee's challenges in the mentor's expertise or the practice base's
    themes. Mentees who name no challenge have nothing to cover and are left out of
    both coverage means.
``same_unit_share``, ``near_share``
    Share of pairs in the same sub-district/town; in the same or a neighbouring one.
``load_min``, ``load_max``, ``load_gini``
    Mentees per mentor over *all* mentors (idle ones count as 0); the Gini
    coefficient is 0 when every mentor has the same load and approaches 1 when one
    mentor has them all.
``below_min_load``
    Mentors with fewer mentees than their min load (a stable plan cannot always
    meet min loads).
``blocking_pairs``
    Pairs that would both rather be together
    (:func:`mentormatch.optimize.blocking_pairs`); NaN when the plan uses a pair that
    is not allowed (forbidden, or outside the distance rule), for which the
    definition has no meaning.
``rule_violations``
    Rules the plan breaks (:func:`mentormatch.optimize.check_validity`): capacities,
    min loads, forbidden or required pairs, pairs outside the distance rule.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch import scoring
from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.matching.encode import _inputs
from mentormatch.optimize import Instance, check_validity
from mentormatch.optimize.checks import blocking_frame
from mentormatch.plan import Plan
from mentormatch.scoring import BASE_WEIGHTS, base_coverage, parse_weights, proximity_matrix
from mentormatch.vocab import CHALLENGES

__all__ = ["evaluate_plan", "Setting", "encode", "gini", "QUALITY_FIGURES"]

#: The figures of :func:`evaluate_plan`, in order (without the optional changes).
QUALITY_FIGURES = (
    "mentees",
    "placed",
    "mean_score",
    "min_score",
    "p10_score",
    "coverage_mentor",
    "coverage_mentor_and_base",
    "same_unit_share",
    "near_share",
    "load_min",
    "load_max",
    "load_gini",
    "below_min_load",
    "blocking_pairs",
    "rule_violations",
)


@dataclass(frozen=True, eq=False)
class Setting:
    """A District's matching problem as arrays, encoded once and evaluated many times.

    Rows are ``d.mentees`` in roster order, columns ``d.mentors`` in table order;
    bases are ``d.bases`` in table order.

    Attributes
    ----------
    mentees, mentors : pandas.Index
    score : ndarray (n, m)
        Pair score of every pair.
    total, view : ndarray (n, m)
        Pair score and how the mentor ranks the mentee (``mentor_view``); NaN where
        the pair is not allowed (forbidden, outside the distance rule, or another
        mentor than a required one).
    challenge, proximity : ndarray (n, m)
        The score's challenge and proximity components.
    capacity, min_load : ndarray (m,) of int
    forbidden, required : list of (mentee, mentor) labels
    need : ndarray (n, C) of bool
        Each mentee's challenges.
    know : ndarray (m, C) of bool
        Each mentor's expertise.
    themes : ndarray (b, C) of bool
        Each base's themes.
    base_capacity : ndarray (b,) of int
    base_proximity : ndarray (n, b)
    bases : pandas.Index
    weights : dict
    """

    mentees: pd.Index
    mentors: pd.Index
    score: np.ndarray
    total: np.ndarray
    view: np.ndarray
    challenge: np.ndarray
    proximity: np.ndarray
    capacity: np.ndarray
    min_load: np.ndarray
    forbidden: list
    required: list
    need: np.ndarray
    know: np.ndarray
    themes: np.ndarray
    base_capacity: np.ndarray
    base_proximity: np.ndarray
    bases: pd.Index
    weights: dict

    @property
    def n(self) -> int:
        return len(self.mentees)

    @property
    def m(self) -> int:
        return len(self.mentors)

    @functools.cached_property
    def instance(self) -> Instance:
        """The problem as :class:`mentormatch.optimize.Instance` (for stability checks)."""
        return Instance.from_frames(
            self.frame(self.total),
            pd.Series(self.capacity, index=self.mentors),
            min_load=pd.Series(self.min_load, index=self.mentors),
            forbidden=self.forbidden,
            required=self.required,
            mentor_scores=self.frame(self.view),
        )

    @property
    def allowed(self) -> np.ndarray:
        """(n, m) bool: pairs a plan may use."""
        return np.isfinite(self.total)

    def frame(self, values: np.ndarray) -> pd.DataFrame:
        """An (n, m) array as a mentee x mentor DataFrame."""
        return pd.DataFrame(values, index=self.mentees, columns=self.mentors)

    def positions(self, pairs: pd.Series) -> np.ndarray:
        """Mentor position of each mentee (-1 if unplaced) from secretary_id -> mentor_id.

        Mentees outside the setting are ignored; an unknown mentor raises DataError.
        """
        pairs = pairs.dropna()
        pairs = pairs[pairs.index.isin(self.mentees)]
        j = self.mentors.get_indexer(pd.Index(pairs.to_numpy()))
        if (j < 0).any():
            unknown = sorted(set(pairs.to_numpy()[j < 0]))
            raise DataError(f"the plan names mentors not in the District: {unknown[:5]}")
        out = np.full(self.n, -1, dtype=np.int64)
        out[self.mentees.get_indexer(pairs.index)] = j
        return out

    def base_positions(self, pairs: pd.Series) -> np.ndarray:
        """Base position of each mentee (-1 if none) from secretary_id -> base_id."""
        pairs = pairs.dropna()
        pairs = pairs[pairs.index.isin(self.mentees) & pairs.isin(self.bases)]
        out = np.full(self.n, -1, dtype=np.int64)
        out[self.mentees.get_indexer(pairs.index)] = self.bases.get_indexer(
            pd.Index(pairs.to_numpy())
        )
        return out

    def series(self, mentor: np.ndarray) -> pd.Series:
        """Mentor positions back to a Series secretary_id -> mentor_id (NaN unplaced)."""
        labels = np.where(mentor >= 0, self.mentors.to_numpy()[np.maximum(mentor, 0)], None)
        out = pd.Series(labels, index=self.mentees, name="mentor_id", dtype="object")
        return out.astype("str").where(mentor >= 0)


def encode(
    d: District,
    weights: str | Mapping[str, float] | None = None,
    distance: str | None = None,
) -> Setting:
    """Encode the District's mentees, mentors, bases and rules as a :class:`Setting`.

    Examples
    --------
    >>> import mentormatch as mm
    >>> s = encode(mm.synthesize_district(seed=1))
    >>> s.total.shape == (len(s.mentees), len(s.mentors))
    True
    """
    w = parse_weights(weights)
    mentees = d.mentees
    ids = pd.Index(mentees["secretary_id"].to_numpy(dtype=object), name="secretary_id")
    mids = pd.Index(d.mentors["mentor_id"].to_numpy(dtype=object), name="mentor_id")
    # The plan's own encoding (scores, the distance rule, the constraints table).
    scores, limited, _, forbidden, required = _inputs(d, w, distance)

    def wide(column: str) -> np.ndarray:
        table = scores.pivot(index="secretary_id", columns="mentor_id", values=column)
        return table.reindex(index=ids, columns=mids).to_numpy(dtype=float)

    score, view = wide("total"), wide("mentor_view")
    challenge, proximity = wide("challenge"), wide("proximity")
    allowed = np.isfinite(limited.to_numpy(dtype=float))
    for sid, mid in forbidden:
        allowed[ids.get_loc(sid), mids.get_loc(mid)] = False
    for sid, mid in required:
        i, j = ids.get_loc(sid), mids.get_loc(mid)
        allowed[i, :] = False
        allowed[i, j] = True
    total = np.where(allowed, score, np.nan)
    view = np.where(allowed, view, np.nan)
    codes = CHALLENGES.codes
    bases = d.bases
    return Setting(
        mentees=ids,
        mentors=mids,
        score=score,
        total=total,
        view=view,
        challenge=challenge,
        proximity=proximity,
        capacity=d.mentors["capacity"].to_numpy(dtype=np.int64),
        min_load=d.mentors["min_load"].fillna(0).to_numpy(dtype=np.int64),
        forbidden=forbidden,
        required=required,
        need=_indicator(mentees["challenges"], codes),
        know=_indicator(d.mentors["expertise"], codes),
        themes=_indicator(bases["themes"], codes),
        base_capacity=bases["capacity"].to_numpy(dtype=np.int64),
        base_proximity=proximity_matrix(
            mentees["street_town"].tolist(), bases["street_town"].tolist()
        ),
        bases=pd.Index(bases["base_id"].to_numpy(dtype=object), name="base_id"),
        weights=w,
    )


def _indicator(lists: pd.Series, codes: tuple[str, ...]) -> np.ndarray:
    return scoring._indicator(lists.tolist(), codes).astype(bool)


# --- Per-mentee values and plan figures ---------------------------------------------


def per_mentee(s: Setting, mentor: np.ndarray, base: np.ndarray | None) -> dict[str, np.ndarray]:
    """Score, coverages and proximity of each mentee's pair (NaN where unplaced).

    ``base`` is None when the plan says nothing about bases (coverage by mentor and
    base is then NaN).
    """
    rows = np.arange(s.n)
    placed = mentor >= 0
    j = np.maximum(mentor, 0)
    n_need = s.need.sum(axis=1)
    counted = placed & (n_need > 0)
    nan = np.full(s.n, np.nan)
    covered = s.need & s.know[j]
    cov_mentor = np.where(counted, covered.sum(axis=1) / np.maximum(n_need, 1), nan)
    if base is None:
        cov_both = nan
    else:
        has_base = (base >= 0) & (len(s.bases) > 0)
        themes = np.zeros_like(s.need)
        themes[has_base] = s.themes[base[has_base]]
        both = s.need & (s.know[j] | themes)
        cov_both = np.where(counted, both.sum(axis=1) / np.maximum(n_need, 1), nan)
    return {
        # A hand-made plan may use a pair the rules forbid: it keeps the pair's score.
        "score": np.where(placed, s.score[rows, j], nan),
        "coverage_mentor": cov_mentor,
        "coverage_mentor_and_base": cov_both,
        "proximity": np.where(placed, s.proximity[rows, j], nan),
    }


def figures(
    s: Setting,
    mentor: np.ndarray,
    base: np.ndarray | None,
    *,
    validate: bool = True,
) -> dict[str, float]:
    """The quality figures (:data:`QUALITY_FIGURES`) of one plan given as positions.

    ``validate=False`` skips the rule check, for plans valid by construction.
    """
    values = per_mentee(s, mentor, base)
    placed = mentor >= 0
    score = values["score"][placed]
    proximity = values["proximity"][placed]
    load = np.bincount(mentor[placed], minlength=s.m)
    out = {
        "mentees": s.n,
        "placed": int(placed.sum()),
        "mean_score": _mean(score),
        "min_score": float(score.min()) if len(score) else np.nan,
        "p10_score": float(np.quantile(score, 0.1)) if len(score) else np.nan,
        "coverage_mentor": _mean(values["coverage_mentor"]),
        "coverage_mentor_and_base": _mean(values["coverage_mentor_and_base"]),
        "same_unit_share": _mean(proximity >= 1.0),
        "near_share": _mean(proximity > 0.0),
        "load_min": int(load.min()) if s.m else 0,
        "load_max": int(load.max()) if s.m else 0,
        "load_gini": gini(load),
        "below_min_load": int((load < s.min_load).sum()),
    }
    rows = np.flatnonzero(placed)
    # Blocking pairs are defined over acceptable pairs only.
    acceptable = bool(s.allowed[rows, mentor[rows]].all())
    out["blocking_pairs"] = _blocking(s, mentor) if acceptable else np.nan
    out["rule_violations"] = len(_violations(s, mentor)) if validate else 0
    return out


def _mean(values: np.ndarray) -> float:
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return float(values.mean()) if len(values) else np.nan


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = all equal; NaN if all are 0).

    >>> gini(np.array([5, 5, 5, 5]))
    0.0
    >>> gini(np.array([0, 0, 0, 8]))
    0.75
    """
    x = np.sort(np.asarray(values, dtype=float))
    k = len(x)
    if k == 0 or x.sum() <= 0:
        return np.nan
    # Mean absolute difference over all ordered pairs, by the sorted-rank identity.
    ranks = np.arange(1, k + 1)
    return float(np.sum((2 * ranks - k - 1) * x) / (k * x.sum()))


def _violations(s: Setting, mentor: np.ndarray) -> list[str]:
    return check_validity(
        s.frame(s.total),
        pd.Series(s.capacity, index=s.mentors),
        s.series(mentor),
        min_load=pd.Series(s.min_load, index=s.mentors),
        forbidden=s.forbidden,
        required=s.required,
        allow_unassigned=True,
    )


def _blocking(s: Setting, mentor: np.ndarray) -> int:
    inst = s.instance
    # Edges are sorted by (mentee, mentor) position, so a pair finds its edge by bisection.
    rows = np.flatnonzero(mentor >= 0)
    keys = inst.edge_mentee * max(s.m, 1) + inst.edge_mentor
    edges = np.searchsorted(keys, rows * max(s.m, 1) + mentor[rows])
    return len(blocking_frame(inst, inst.choice_of(edges)))


# --- The public measure ---------------------------------------------------------------


def evaluate_plan(
    d: District,
    plan: Plan | pd.DataFrame | pd.Series,
    *,
    previous: Plan | pd.DataFrame | pd.Series | None = None,
    weights: str | Mapping[str, float] | None = None,
    distance: str | None = None,
) -> pd.Series:
    """Quality figures of a mentoring plan, measured from the District.

    Parameters
    ----------
    d : District
    plan : Plan, DataFrame or Series
        A :class:`~mentormatch.Plan`; a table with ``secretary_id``, ``mentor_id`` and
        optionally ``base_id``; or a Series secretary_id -> mentor_id. Mentees of ``d``
        missing from it count as unplaced.
    previous : Plan, DataFrame or Series, optional
        The plan in force before: adds ``kept``, ``changed`` (another mentor), ``new``
        (placed now, not before), ``ended`` (placed before, not now) and
        ``kept_share`` (kept over mentees placed in both).
    weights : mapping or str, optional
        Score weights; default the plan's own (a Plan) or
        :data:`~mentormatch.scoring.MENTOR_WEIGHTS`.
    distance : {"same", "neighbouring"}, optional
        The distance rule the plan was made under (pairs beyond it count as violations).

    Returns
    -------
    pandas.Series
        The figures of :data:`QUALITY_FIGURES` (see the module docstring), then the
        changes when ``previous`` is given. Coverage by mentor and base is NaN when
        the plan names no bases.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> plan = mm.match(d)
    >>> q = mm.evaluate_plan(d, plan)
    >>> bool(abs(q["mean_score"] - plan.figures()["mean_score"]) < 1e-4)
    True
    >>> int(mm.evaluate_plan(d, plan, previous=plan)["changed"])
    0
    """
    if weights is None and isinstance(plan, Plan):
        weights = plan.weights
    s = encode(d, weights, distance)
    mentor_of, base_of = _pairs(plan)
    mentor = s.positions(mentor_of)
    base = s.base_positions(base_of) if base_of is not None else None
    out = figures(s, mentor, base)
    if previous is not None:
        out.update(changes(mentor_of, _pairs(previous)[0], s.mentees))
    name = plan.objective if isinstance(plan, Plan) else "plan"
    return pd.Series(out, name=name, dtype=object).infer_objects()


def changes(now: pd.Series, before: pd.Series, mentees: pd.Index | None = None) -> dict:
    """Counts of kept, changed, new and ended pairs between two plans (labels).

    >>> before = pd.Series({"a": "M1", "b": "M2", "c": "M1"})
    >>> now = pd.Series({"a": "M1", "b": "M1", "d": "M2"})
    >>> changes(now, before)
    {'kept': 1, 'changed': 1, 'new': 1, 'ended': 1, 'kept_share': 0.5}
    """
    now, before = now.dropna(), before.dropna()
    if mentees is not None:
        # A mentee no longer needing a mentor has ended, whatever ``now`` says of it.
        now = now[now.index.isin(mentees)]
    both = now.index.intersection(before.index)
    kept = int((now.loc[both].to_numpy() == before.loc[both].to_numpy()).sum())
    return {
        "kept": kept,
        "changed": len(both) - kept,
        "new": len(now.index.difference(before.index)),
        "ended": len(before.index.difference(now.index)),
        "kept_share": kept / len(both) if len(both) else np.nan,
    }


def _pairs(plan: Plan | pd.DataFrame | pd.Series) -> tuple[pd.Series, pd.Series | None]:
    """secretary_id -> mentor_id, and secretary_id -> base_id when the plan has bases."""
    if isinstance(plan, Plan):
        placed = plan.placed
        index = pd.Index(placed["secretary_id"].to_numpy(dtype=object))
        mentor = pd.Series(placed["mentor_id"].to_numpy(dtype=object), index=index)
        # A plan made without bases covers by its mentors alone, as the Plan reports.
        return mentor, pd.Series(placed["base_id"].to_numpy(dtype=object), index=index)
    if isinstance(plan, pd.Series):
        return plan.astype(object).where(plan.notna()), None
    if isinstance(plan, pd.DataFrame):
        if not {"secretary_id", "mentor_id"} <= set(plan.columns):
            raise DataError("a plan table needs the columns secretary_id and mentor_id")
        index = pd.Index(plan["secretary_id"].to_numpy(dtype=object))
        mentor = pd.Series(plan["mentor_id"].to_numpy(dtype=object), index=index)
        mentor = mentor.where(mentor.notna() & (mentor.astype(str).str.strip() != ""))
        base = None
        if "base_id" in plan.columns:
            base = pd.Series(plan["base_id"].to_numpy(dtype=object), index=index)
        return mentor, base
    raise DataError(f"a plan must be a Plan, a DataFrame or a Series, not {type(plan).__name__}")


def base_scores(s: Setting, mentor: np.ndarray) -> np.ndarray:
    """(n, b) base score of each base for each mentee, given the mentee's mentor.

    As :func:`mentormatch.score_pairs` with ``against="bases"``: coverage of the
    challenges the mentor does not cover, and proximity, with
    :data:`~mentormatch.scoring.BASE_WEIGHTS`.
    """
    bit = np.uint32(1) << np.arange(s.need.shape[1], dtype=np.uint32)
    need, know, themes = (
        (x.astype(np.uint32) * bit).sum(axis=1).astype(np.uint32)
        for x in (s.need, s.know, s.themes)
    )
    j = np.maximum(mentor, 0)
    knows = np.where(mentor >= 0, know[j] if len(know) else 0, 0).astype(np.uint32)
    coverage = base_coverage(need[:, None], knows[:, None], themes[None, :])
    w = BASE_WEIGHTS
    return np.clip(w["coverage"] * coverage + w["proximity"] * s.base_proximity, 0.0, 1.0)
