"""The year's training plan (:func:`plan_training`, :class:`TrainingPlan`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mentormatch.errors import DataError
from mentormatch.lang import check as check_language
from mentormatch.training.attendance import (
    assign_sessions,
    attendance_total,
    greedy_attendance,
)
from mentormatch.training.launch import launch_class
from mentormatch.training.needs import NeedRule, session_needs
from mentormatch.training.small_classes import small_classes
from mentormatch.training.words import say, topic_label
from mentormatch.vocab import DIMENSIONS

__all__ = ["TrainingPlan", "plan_training", "default_year", "electives_of"]

_SESSION_COLUMNS = ["session_id", "month", "topic", "capacity", "base_id", "mentor_id"]


@dataclass(frozen=True, eq=False)
class TrainingPlan:
    """A year of training: launch class, electives by need, small classes.

    Attributes
    ----------
    year, per_secretary, class_size : int
        The plan year and the rules it was made under.
    rule : NeedRule
        The need rule.
    sessions : DataFrame
        The year's electives: ``session_id``, ``month``, ``topic``, ``capacity``,
        ``base_id``, ``mentor_id`` (by month, then ID).
    launch_class : DataFrame
        ``secretary_id``, ``class_no`` (see :func:`~mentormatch.training.launch_class`).
    needs : DataFrame
        Index ``secretary_id`` (in post), one column per elective: the need, NaN where
        the secretary may not attend (see :mod:`mentormatch.training.needs`).
    attendance : DataFrame
        ``secretary_id``, ``session_id``, ``need``: the seats of maximal total need.
    greedy : DataFrame
        The same by highest need first, the baseline the optimum is measured against.
    small_classes : DataFrame
        One row per mentor with mentees: ``mentor_id``, ``n_mentees``, ``base_id``,
        ``challenges``, ``share_covered``, ``months``.
    small_class_members : DataFrame
        ``mentor_id``, ``secretary_id``.
    """

    year: int
    per_secretary: int
    class_size: int
    rule: NeedRule
    sessions: pd.DataFrame = field(repr=False)
    launch_class: pd.DataFrame = field(repr=False)
    needs: pd.DataFrame = field(repr=False)
    attendance: pd.DataFrame = field(repr=False)
    greedy: pd.DataFrame = field(repr=False)
    small_classes: pd.DataFrame = field(repr=False)
    small_class_members: pd.DataFrame = field(repr=False)

    def seats(self) -> pd.DataFrame:
        """Per elective: the columns of :attr:`sessions`, ``in_need`` (secretaries whose
        need for it is above 0), ``filled``, ``empty`` and ``need_met`` (points), in the
        order of the sessions."""
        a = self.attendance
        filled = a.groupby("session_id").size()
        met = a.groupby("session_id")["need"].sum()
        s = self.sessions.copy()
        ids = s["session_id"]
        s["in_need"] = (self.needs.reindex(columns=ids) > 0).sum().to_numpy(dtype="int64")
        s["filled"] = ids.map(filled).fillna(0).astype("int64").to_numpy()
        s["empty"] = (s["capacity"] - s["filled"]).clip(lower=0).astype("int64")
        s["need_met"] = ids.map(met).fillna(0.0).astype(float).to_numpy()
        return s.reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """Each secretary's year on one row (codes): ``secretary_id``, ``class_no``
        (launch class, missing if none), ``elective_1`` ... ``elective_<per_secretary>``
        (session IDs by month), ``mentor_id`` and ``base_id`` (small class)."""
        ids = self.needs.index
        out = pd.DataFrame({"secretary_id": pd.Series(ids.to_numpy(), dtype="str")})
        launch = self.launch_class.set_index("secretary_id")["class_no"]
        out["class_no"] = pd.array(out["secretary_id"].map(launch), dtype="Int64")
        month = self.sessions.set_index("session_id")["month"]
        a = self.attendance.assign(month=self.attendance["session_id"].map(month))
        a = a.sort_values(["secretary_id", "month", "session_id"], kind="stable")
        a["k"] = a.groupby("secretary_id").cumcount() + 1
        for k in range(1, self.per_secretary + 1):
            chosen = a[a["k"] == k].set_index("secretary_id")["session_id"]
            out[f"elective_{k}"] = out["secretary_id"].map(chosen)
        m = self.small_class_members.set_index("secretary_id")["mentor_id"]
        base = self.small_classes.set_index("mentor_id")["base_id"]
        out["mentor_id"] = out["secretary_id"].map(m)
        out["base_id"] = out["mentor_id"].map(base)
        return out

    def figures(self) -> pd.Series:
        """The headline numbers (see :meth:`summary`), deterministic."""
        seats = self.seats()
        lc = self.launch_class
        sizes = lc["class_no"].value_counts()
        met = attendance_total(self.attendance)
        greedy = attendance_total(self.greedy)
        wanted = _wanted(self.needs, self.sessions, self.per_secretary)
        topic = self.sessions.set_index("session_id")["topic"]
        kind = self.attendance["session_id"].map(topic)
        need = self.attendance["need"]
        by = {f"need_met_{d}": float(need[kind == d].sum()) for d in DIMENSIONS.codes}
        by["need_met_challenges"] = float(need[~kind.isin(DIMENSIONS.codes)].sum())
        return pd.Series(
            {
                "year": self.year,
                "launch_size": len(lc),
                "launch_classes": int(lc["class_no"].nunique()),
                "launch_smallest": int(sizes.min()) if len(sizes) else 0,
                "launch_largest": int(sizes.max()) if len(sizes) else 0,
                "electives": len(seats),
                "seats": int(seats["capacity"].sum()),
                "seats_filled": int(seats["filled"].sum()),
                "seats_empty": int(seats["empty"].sum()),
                "secretaries_attending": int(self.attendance["secretary_id"].nunique()),
                "need_met": round(met, 6),
                "need_wanted": round(wanted, 6),
                "share_met": round(met / wanted, 6) if wanted > 0 else np.nan,
                "greedy_need_met": round(greedy, 6),
                "gain_over_greedy": round(met - greedy, 6) + 0.0,  # never -0.0
                **{k: round(v, 6) for k, v in by.items()},
                "small_classes": len(self.small_classes),
                "small_class_mentees": len(self.small_class_members),
            },
            dtype=object,
        )

    def summary(self, lang: str = "zh") -> str:
        """A few lines in ``lang`` ("zh" or "en"): the launch class, the electives'
        seats, need met against unlimited seats and against the greedy baseline, need
        met per dimension, the small classes."""
        lang = check_language(lang)
        f = self.figures()
        y = self.year
        lines = [say("title", lang, year=y)]
        if f["launch_size"]:
            lines.append(
                say(
                    _launch_words(f),
                    lang,
                    n=f["launch_size"],
                    first=y - 1,
                    year=y,
                    k=f["launch_classes"],
                    low=f["launch_smallest"],
                    high=f["launch_largest"],
                )
            )
        else:
            lines.append(say("launch_none", lang, first=y - 1, year=y))
        if f["electives"]:
            lines.append(
                say(
                    "electives",
                    lang,
                    n=f["electives"],
                    seats=f["seats"],
                    filled=f["seats_filled"],
                    empty=f["seats_empty"],
                    people=f["secretaries_attending"],
                    per=self.per_secretary,
                )
            )
            share = f["share_met"] if np.isfinite(float(f["share_met"])) else 0.0
            lines.append(
                say(
                    "need",
                    lang,
                    met=float(f["need_met"]),
                    wanted=float(f["need_wanted"]),
                    share=share,
                    greedy=float(f["greedy_need_met"]),
                    gain=float(f["gain_over_greedy"]),
                )
            )
            sep = "；" if lang == "zh" else "; "
            parts = [
                f"{topic_label(d, lang)} {float(f[f'need_met_{d}']):.1f}" for d in DIMENSIONS.codes
            ]
            parts.append(f"{say('challenges', lang)} {float(f['need_met_challenges']):.1f}")
            lines.append(say("by_topic", lang, parts=sep.join(parts)))
        else:
            lines.append(say("electives_none", lang, year=y))
        if f["small_classes"]:
            lines.append(say("small", lang, n=f["small_classes"], people=f["small_class_mentees"]))
        else:
            lines.append(say("small_none", lang))
        return "\n".join(lines)


def _launch_words(f: pd.Series) -> str:
    if f["launch_classes"] == 1:
        return "launch_one"
    return "launch" if f["launch_smallest"] != f["launch_largest"] else "launch_even"


def _wanted(needs: pd.DataFrame, sessions: pd.DataFrame, per_secretary: int) -> float:
    """The need met if every session had a seat for everyone: each secretary's
    ``per_secretary`` highest needs on different topics."""
    if needs.empty or per_secretary == 0:
        return 0.0
    values = needs.to_numpy(dtype=float, na_value=np.nan)
    rows, cols = np.nonzero(np.nan_to_num(values, nan=0.0) > 0)
    long = pd.DataFrame(
        {
            "secretary_id": needs.index.to_numpy()[rows],
            "session_id": needs.columns.to_numpy()[cols],
            "need": values[rows, cols],
        }
    )
    topic = sessions.set_index("session_id")["topic"]
    long["topic"] = long["session_id"].map(topic).fillna(long["session_id"])
    best = long.groupby(["secretary_id", "topic"], sort=True)["need"].max().reset_index()
    best = best.sort_values(["secretary_id", "need"], ascending=[True, False], kind="stable")
    return float(best.groupby("secretary_id").head(per_secretary)["need"].sum())


def electives_of(sessions: pd.DataFrame, year: int) -> pd.DataFrame:
    """The elective sessions (format ``elective``) held in ``year``, by month then ID."""
    s = sessions
    chosen = (s["format"] == "elective").to_numpy() & (
        s["month"].str.slice(0, 4) == str(year)
    ).to_numpy(dtype=bool)
    out = s.loc[chosen, _SESSION_COLUMNS].sort_values(["month", "session_id"], kind="stable")
    return out.reset_index(drop=True)


def default_year(d) -> int:
    """The plan year when none is given: the latest year with elective sessions; else the
    year after the latest assessment wave; else the latest year of appointment."""
    s = d.sessions
    years = pd.to_numeric(s.loc[s["format"] == "elective", "month"].str.slice(0, 4))
    if years.notna().any():
        return int(years.max())
    if len(d.assessments):
        return int(d.assessments["wave"].max()) + 1
    if len(d.secretaries):
        return int(d.secretaries["appointed_year"].max())
    raise DataError.say(
        "The roster has no secretaries, so there is no year to plan; load a roster first.",
        "名册中没有书记，无法确定培训年度；请先载入名册。",
    )


def _whole(value, name: str, low: int, zh: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise DataError.say(
            f"{name} must be a whole number >= {low}, not {value!r}.",
            f"{zh}（{name}）应为不小于 {low} 的整数，而不是 {value!r}。",
        )
    return int(value)


def plan_training(
    d,
    year: int | None = None,
    *,
    plan=None,
    per_secretary: int = 2,
    class_size: int = 30,
    need_rule: NeedRule | None = None,
) -> TrainingPlan:
    """Plan a year of training: launch class, electives by need, small classes.

    Parameters
    ----------
    d : District
    year : int, optional
        The plan year. Default: :func:`default_year` (the latest year with electives in
        ``d.sessions``; else the year after the latest assessment wave; else the latest
        year of appointment).
    plan : Plan, optional
        The matching plan whose mentors hold the small classes (default
        ``mm.match(d)``).
    per_secretary : int
        The most electives one secretary attends (default 2).
    class_size : int
        The most secretaries in one launch class (default 30).
    need_rule : NeedRule, optional
        How need is measured (see :mod:`mentormatch.training.needs`); the default rule
        when not given.

    Returns
    -------
    TrainingPlan
        ``attendance`` is the exact optimum (a min-cost flow, see
        :func:`~mentormatch.training.assign_sessions`): every secretary at most
        ``per_secretary`` electives, at most one per topic, no session over its seats,
        total need maximal.

    Raises
    ------
    DataError
        A bad argument (a count below its least value, a rule of the wrong type).
    InfeasibleError
        From the default ``mm.match(d)``, when the mentees cannot all be placed; pass a
        ``plan`` (for example ``mm.match(d, partial=True)``) to plan anyway.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> tp = mm.plan_training(d, 2025)
    >>> bool((tp.attendance.groupby("secretary_id").size() <= 2).all())
    True
    >>> tp.figures()["need_met"] >= tp.figures()["greedy_need_met"]
    True
    """
    per_secretary = _whole(per_secretary, "per_secretary", 0, "每人选训门数")
    class_size = _whole(class_size, "class_size", 1, "启航班每班人数上限")
    year = default_year(d) if year is None else _whole(year, "year", 1, "培训年度")
    rule = need_rule if need_rule is not None else NeedRule()
    if not isinstance(rule, NeedRule):
        raise DataError.say(
            f"need_rule must be a NeedRule, not {type(rule).__name__}.",
            f"需求规则（need_rule）应为 NeedRule，而不是 {type(rule).__name__}。",
        )
    sessions = electives_of(d.sessions, year)
    needs = session_needs(d, sessions, year, rule)
    capacity = sessions.set_index("session_id")["capacity"]
    topic = sessions.set_index("session_id")["topic"]
    attendance = assign_sessions(needs, capacity, topic, per_secretary)
    greedy = greedy_attendance(needs, capacity, topic, per_secretary)
    if plan is None:
        from mentormatch.matching import match

        plan = match(d) if len(d.mentees) and len(d.mentors) else None
    members, classes = small_classes(d, plan if plan is not None else _NoPlan(), year)
    return TrainingPlan(
        year=year,
        per_secretary=per_secretary,
        class_size=class_size,
        rule=rule,
        sessions=sessions,
        launch_class=launch_class(d, year, class_size),
        needs=needs,
        attendance=attendance,
        greedy=greedy,
        small_classes=classes,
        small_class_members=members,
    )


class _NoPlan:
    """A plan with nobody placed (a roster with no mentee or no mentor)."""

    assignment = pd.Series([], dtype="str", index=pd.Index([], dtype="str"))
