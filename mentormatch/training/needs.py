"""How much each secretary needs each elective: the need rule (:class:`NeedRule`).

The rule is an assumption of this project, documented and configurable. For a session
on a **dimension** of the capacity index, the need is how far the secretary's latest
score on that dimension lies below the district mean (the mean of the latest scores of
the secretaries in post), in points, and 0 at or above the mean. For a session on a
**challenge**, it is :attr:`NeedRule.challenge_need` when the secretary names the
challenge among their own, else 0. A **new** secretary (appointed within
:attr:`NeedRule.new_years` years of the plan year) has the need on the foundational
dimensions (:attr:`NeedRule.foundational`: party members well managed, leadership with
method, the basics a new secretary builds first) weighted by :attr:`NeedRule.new_weight`.

"Latest" means the latest wave *before* the plan year (what a planner knows when the
year's plan is made), taken per dimension (a wave without a score on a dimension falls
back to the one before). A secretary never assessed counts as at the district mean:
need 0 on every dimension. A session with no topic, or a topic of neither kind, meets
no need.

A secretary may not attend (NaN) a session of a year before their appointment; and,
when :attr:`NeedRule.repeat_years` is above 0, a session on a topic they attended in
the training log within that many years before the plan year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch.errors import DataError
from mentormatch.vocab import CHALLENGES, DIMENSIONS

__all__ = ["NeedRule", "FOUNDATIONAL", "session_needs", "latest_scores"]

#: The foundational dimensions (an assumption): managing the party members and leading
#: with method come first for a new secretary.
FOUNDATIONAL = ("members_managed", "leads_with_method")


@dataclass(frozen=True)
class NeedRule:
    """The need rule of :func:`mentormatch.plan_training` (see :mod:`.needs`).

    Attributes
    ----------
    challenge_need : float
        The need, in points, of a secretary who names a session's challenge (default 5:
        a little under the typical shortfall of those below the mean on a dimension,
        about 6 points on the synthetic district, where scores spread about 8).
    new_years : int
        A secretary appointed in the plan year or in the ``new_years - 1`` years before
        it is new (default 2: this year or last).
    new_weight : float
        A new secretary's need on a foundational dimension is multiplied by this.
    foundational : tuple of str
        Dimension codes weighted for new secretaries (default :data:`FOUNDATIONAL`).
    repeat_years : int
        When above 0, a secretary may not attend a session on a topic they attended
        within this many years before the plan year (default 0: repeats allowed).

    Examples
    --------
    >>> NeedRule().challenge_need, NeedRule(new_weight=2.0).new_weight
    (5.0, 2.0)
    """

    challenge_need: float = 5.0
    new_years: int = 2
    new_weight: float = 1.5
    foundational: tuple[str, ...] = FOUNDATIONAL
    repeat_years: int = 0

    def __post_init__(self) -> None:
        for name in ("challenge_need", "new_weight"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise DataError.say(
                    f"NeedRule.{name} must be a number >= 0, not {value!r}.",
                    f"需求规则 NeedRule.{name} 应为不小于 0 的数，而不是 {value!r}。",
                )
            object.__setattr__(self, name, float(value))
        for name in ("new_years", "repeat_years"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise DataError.say(
                    f"NeedRule.{name} must be a whole number of years >= 0, not {value!r}.",
                    f"需求规则 NeedRule.{name} 应为不小于 0 的整数年数，而不是 {value!r}。",
                )
        foundational = tuple(self.foundational)
        unknown = [c for c in foundational if c not in DIMENSIONS]
        if unknown:
            raise DataError.say(
                f"NeedRule.foundational names {', '.join(map(str, unknown))}, which are not "
                f"dimensions; use codes of {', '.join(DIMENSIONS.codes)}.",
                f"需求规则 NeedRule.foundational 中的 {'、'.join(map(str, unknown))} 不是测评维度；"
                f"请使用 {'、'.join(DIMENSIONS.codes)} 之一。",
            )
        object.__setattr__(self, "foundational", foundational)


def latest_scores(d, year: int) -> pd.DataFrame:
    """Each in-post secretary's latest score on each dimension before ``year``.

    Index ``secretary_id`` (in roster order), one column per dimension, NaN where the
    secretary has no score on it before that year.

    >>> import mentormatch as mm
    >>> s = latest_scores(mm.synthesize_district(seed=1), 2025)
    >>> list(s.columns) == list(mm.vocab.DIMENSIONS.codes), bool(s.notna().any().all())
    (True, True)
    """
    from mentormatch.assess import capacity_index

    dims = list(DIMENSIONS.codes)
    ids = pd.Index(d.in_post["secretary_id"].to_numpy(), name="secretary_id")
    ci = capacity_index(d)
    ci = ci[ci["wave"].to_numpy() < year]
    if ci.empty:
        return pd.DataFrame(np.nan, index=ids, columns=dims, dtype=float)
    ordered = ci.sort_values(["secretary_id", "wave"], kind="stable")
    last = ordered.groupby("secretary_id", sort=True)[dims].last()
    return last.reindex(ids).astype(float)


def session_needs(
    d, sessions: pd.DataFrame, year: int, rule: NeedRule | None = None
) -> pd.DataFrame:
    """The needs table of ``sessions`` for the secretaries in post (see the module).

    Parameters
    ----------
    d : District
    sessions : DataFrame
        The sessions to plan, with ``session_id`` and ``topic`` (a dimension or
        challenge code, or NaN).
    year : int
        The plan year.
    rule : NeedRule, optional

    Returns
    -------
    DataFrame
        Index ``secretary_id`` (in post, roster order), one column per session (in the
        order given), need >= 0 in points, NaN where the secretary may not attend.

    Examples
    --------
    >>> import mentormatch as mm, pandas as pd
    >>> d = mm.synthesize_district(seed=1)
    >>> s = pd.DataFrame({"session_id": ["E1", "E2"], "topic": ["members_managed", "parking"]})
    >>> n = session_needs(d, s, 2025)
    >>> n.shape == (len(d.in_post), 2), sorted(set(n["E2"].dropna())) == [0.0, 5.0]
    (True, True)
    """
    rule = rule or NeedRule()
    post = d.in_post
    ids = pd.Index(post["secretary_id"].to_numpy(), name="secretary_id")
    appointed = post["appointed_year"].to_numpy(dtype=float)
    scores = latest_scores(d, year)
    mean = scores.mean(axis=0, skipna=True)
    gaps = (mean - scores).clip(lower=0).fillna(0.0)
    new = (appointed > year - rule.new_years) & (appointed <= year)
    named = [set(c) if isinstance(c, (tuple, list)) else set() for c in post["challenges"]]
    columns = {}
    for sid, topic in zip(sessions["session_id"].tolist(), sessions["topic"].tolist(), strict=True):
        if isinstance(topic, str) and topic in DIMENSIONS:
            need = gaps[topic].to_numpy(dtype=float).copy()
            if topic in rule.foundational:
                need[new] *= rule.new_weight
        elif isinstance(topic, str) and topic in CHALLENGES:
            need = np.array([rule.challenge_need if topic in n else 0.0 for n in named])
        else:
            need = np.zeros(len(ids))
        need[appointed > year] = np.nan
        columns[sid] = need
    out = pd.DataFrame(columns, index=ids, columns=sessions["session_id"].tolist(), dtype=float)
    out.columns.name = "session_id"
    if rule.repeat_years > 0 and len(out.columns):
        out = _no_repeats(d, sessions, year, rule.repeat_years, out)
    return out


def _no_repeats(d, sessions: pd.DataFrame, year: int, years: int, out: pd.DataFrame):
    """NaN where a secretary attended the session's topic in the ``years`` before."""
    log, past = d.training_log, d.sessions
    if log.empty or past.empty:
        return out
    when = pd.to_numeric(past["month"].str.slice(0, 4), errors="coerce")
    recent = past[(when >= year - years).to_numpy() & (when < year).to_numpy()]
    seen = log.merge(recent[["session_id", "topic"]], on="session_id").dropna(subset=["topic"])
    done = set(zip(seen["secretary_id"].tolist(), seen["topic"].tolist(), strict=True))
    if not done:
        return out
    position = {s: i for i, s in enumerate(out.index)}
    values = out.to_numpy(copy=True)
    for j, topic in enumerate(sessions["topic"].tolist()):
        for s, t in done:
            if t == topic and s in position:
                values[position[s], j] = np.nan
    return pd.DataFrame(values, index=out.index, columns=out.columns)
