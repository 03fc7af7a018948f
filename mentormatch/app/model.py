"""The workbench's state and actions, without widgets: load, check, set rules, solve,
adjust by hand, measure, download.

:class:`Workbench` holds one planner's session. Every action is a method that changes
the state and returns; the page (:mod:`mentormatch.app.view`) only shows the state and
calls the actions, so everything a planner can do is tested here without a browser.

What the workbench computes, and how:

* **Loading** reads a workbook or a zip of CSV files (:mod:`mentormatch.app.upload`);
  a refused roster leaves its problems (:class:`~mentormatch.Problem` records) and
  nothing else.
* **Rules** are applied to the roster as a new District (:meth:`District.replace`):
  places per mentor in the mentors table, pairs to keep or forbid as rows of the
  constraints table (the roster's own rows first, then the planner's, a later rule on the
  same pair replacing an earlier one, and one keep rule per secretary).
* **Solving** is :func:`mentormatch.match`; **re-solving** is the same with every locked
  pair added as a keep rule, so that the locked pairs stay and the rest is optimised
  again. A pair moved by hand is locked.
* **What a plan costs** (:func:`mentormatch.app.cost.measure`) is computed from the
  District alone, the same way for the solved plan and for a hand-made one: the total
  pair score, the blocking pairs, and the rules broken (forbid and keep rules, places
  per mentor, minimum loads, the distance rule).
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from mentormatch import lang as _lang
from mentormatch.app.cost import BrokenRule, Grid, PlanCost, measure, person, plan_for
from mentormatch.app.upload import load_sample, read_path, read_upload, upload_name
from mentormatch.app.words import RULE_WORDS, WEIGHT_WORDS, say
from mentormatch.district import District
from mentormatch.errors import MAX_PROBLEMS, DataError, InfeasibleError, Problem
from mentormatch.plan import DISTANCE_RULES, Plan, match
from mentormatch.present.format import MISSING, for_people, resolve_columns
from mentormatch.scoring import MENTOR_WEIGHTS, parse_weights
from mentormatch.vocab import STREET_TOWNS

__all__ = [
    "Workbench",
    "Rules",
    "PlanCost",
    "BrokenRule",
    "Download",
    "Comparison",
    "measure",
    "merge_pairs",
    "random_plans_for",
    "SEED",
    "OBJECTIVES",
]

#: The seed of every random choice (salon groups, the report, random plans), as the
#: report's default: same roster, same results.
SEED = 2018
#: The objectives a planner can choose, in the order shown.
OBJECTIVES = ("total", "fair", "stable")
#: Mentors whose mentees are shown at once when the whole plan is shown.
MAX_MENTORS_SHOWN = 40


# --- Rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """What the planner has set.

    Attributes
    ----------
    objective : {"total", "fair", "stable"}
    weights : dict
        Score weights as set (any scale; :func:`mentormatch.scoring.parse_weights`
        normalises them).
    distance : {None, "same", "neighbouring"}
    partial : bool or None
        Allow a partial plan; ``None`` follows the places (on when they are short).
    capacity : dict
        mentor_id -> places, where the planner changed the roster's.
    pairs : tuple of (secretary_id, mentor_id, rule)
        Every rule on pairs in force: the roster's constraints table as loaded, then the
        planner's changes.
    """

    objective: str = "total"
    weights: Mapping[str, float] = field(default_factory=lambda: dict(MENTOR_WEIGHTS))
    distance: str | None = None
    partial: bool | None = None
    capacity: Mapping[str, int] = field(default_factory=dict)
    pairs: tuple[tuple[str, str, str], ...] = ()


def merge_pairs(
    pairs: tuple[tuple[str, str, str], ...], added: tuple[tuple[str, str, str], ...]
) -> tuple[tuple[str, str, str], ...]:
    """``pairs`` with the rules ``added``, in order: a rule on a pair replaces an earlier
    one on the same pair, and a keep rule replaces the secretary's other keep rule (the
    constraints table allows one per secretary).

    >>> merge_pairs((("S1", "M1", "keep"), ("S2", "M1", "forbid")), (("S1", "M2", "keep"),))
    (('S2', 'M1', 'forbid'), ('S1', 'M2', 'keep'))
    """
    out = list(pairs)
    for sid, mid, rule in added:
        out = [
            (s, m, r)
            for s, m, r in out
            if not ((s, m) == (sid, mid) or (rule == "keep" and r == "keep" and s == sid))
        ]
        out.append((sid, mid, rule))
    return tuple(out)


# --- Results for people --------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    """A file to download: its name, its bytes and its MIME type."""

    name: str
    content: bytes
    mime: str

    @property
    def size_text(self) -> str:
        """The size as a person reads it (``48 KB``, ``2.3 MB``)."""
        n = len(self.content)
        if n < 1024 * 1024:
            return f"{max(1, round(n / 1024))} KB"
        return f"{n / 1024 / 1024:.1f} MB"


@dataclass(frozen=True)
class Comparison:
    """The plan's mean pair score and challenge coverage (mentor and base) against
    ``len(random)`` random feasible plans under the same rules
    (:func:`mentormatch.evaluate.baselines.random_plan`, with bases chosen as
    :func:`mentormatch.match` chooses them)."""

    plans: dict  # name -> {"mean_score": ..., "coverage": ...}
    random: pd.DataFrame  # one row per random plan: mean_score, coverage
    synthetic: bool

    def percentile(self, name: str, figure: str) -> float:
        """Share of random plans the plan ``name`` beats on ``figure`` (ties count half)."""
        values = self.random[figure].dropna().to_numpy()
        mine = self.plans[name][figure]
        if not len(values) or not np.isfinite(mine):
            return math.nan
        return float(((values < mine).sum() + 0.5 * (values == mine).sum()) / len(values))


def random_plans_for(n: int, places: int) -> int:
    """How many random plans to compare with: 200 for a district, fewer for a city
    (each costs an assignment problem of mentees x places), at least 20.

    >>> random_plans_for(65, 78), random_plans_for(1360, 1633)
    (200, 20)
    """
    return int(max(20, min(200, 4e7 // max(1, n * places))))


# --- The session ---------------------------------------------------------------------------


class Workbench:
    """One planner's session: the roster, the rules, the plans, the downloads.

    Parameters
    ----------
    lang : {"zh", "en"}
        The language of every table, sentence and download.

    Examples
    --------
    >>> wb = Workbench(lang="en")
    >>> wb.load_sample()
    True
    >>> wb.solve()
    True
    >>> wb.cost()[1].placed == len(wb.district.mentees)
    True
    """

    def __init__(self, lang: str = "zh"):
        self.lang = _lang.check(lang)
        self._grids: dict = {}
        self._districts: dict = {}
        self._random: dict = {}
        self.clear()

    # --- state ----------------------------------------------------------------------------

    def clear(self) -> None:
        """Forget the roster and everything made from it."""
        self.source: str | None = None
        self.roster: District | None = None
        self.problems: tuple[Problem, ...] = ()
        self.warnings: tuple[Problem, ...] = ()
        self.rules = Rules()
        self.error: Exception | None = None
        self.rule_error: str | None = None
        self.reference: Plan | None = None
        self.current: Plan | None = None
        self.current_district: District | None = None
        self.assignment: pd.Series | None = None
        self.locks: dict[str, str] = {}
        self.moved: set[str] = set()
        self.stale = False
        self._reference_cost: PlanCost | None = None
        self._current_cost: PlanCost | None = None
        self._comparison: Comparison | None = None
        self._grids.clear()
        self._districts.clear()
        self._random = {}

    @property
    def ready(self) -> bool:
        """A roster is loaded and has no problems: every other step may run."""
        return self.roster is not None and not self.problems

    @property
    def solved(self) -> bool:
        return self.current is not None

    def set_language(self, lang: str) -> None:
        self.lang = _lang.check(lang)

    # --- 1. loading ----------------------------------------------------------------------

    def load(self, path: str | Path, *, source: str | None = None) -> bool:
        """Load the roster at ``path`` (a workbook or a folder of CSV files)."""
        return self._load(lambda: read_path(path), source or Path(path).name)

    def load_upload(self, name: str, content: bytes) -> bool:
        """Load an uploaded workbook or zip of CSV files (see :func:`read_upload`)."""
        return self._load(lambda: read_upload(name, bytes(content)), upload_name(name))

    def load_sample(self) -> bool:
        """Load the bundled sample roster (:func:`load_sample`)."""
        return self._load(load_sample, None)

    def _load(self, read: Callable[[], District], source: str | None) -> bool:
        self.clear()
        self.source = source
        try:
            d = read()
        except DataError as error:
            self.problems = tuple(error.problems)
            self.warnings = tuple(getattr(error, "warnings", ()) or ())
            return False
        self.roster = d
        self.warnings = tuple(d.warnings)
        c = d.constraints
        self.rules = Rules(
            pairs=tuple(
                zip(
                    c["secretary_id"].tolist(),
                    c["mentor_id"].tolist(),
                    c["rule"].tolist(),
                    strict=True,
                )
            )
        )
        return True

    @property
    def source_name(self) -> str:
        """The roster's name as the page says it."""
        return self.source if self.source else say("sample_name", self.lang)

    def problem_table(self) -> pd.DataFrame:
        """The roster's problems as a table a planner reads: sheet or file, Excel row,
        column, value, what is expected, suggestion (headers in the language)."""
        keys = ("source", "row", "column", "value", "expected", "suggestion")
        headers = [say(f"col_{k}", self.lang) for k in keys]
        rows = []
        for problem in self.problems:
            f = problem.fields(self.lang)
            row = ["" if f[k] is None else str(f[k]) for k in keys]
            if problem.kind == "message" or (not row[4] and not row[2]):
                row[4] = row[4] or f["message"]
            rows.append([value if value.strip() else MISSING for value in row])
        return pd.DataFrame(rows, columns=headers)

    def problems_cut_short(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS

    def warning_lines(self) -> list[str]:
        """The values the loader guessed, one sentence each."""
        return [w.text(self.lang) for w in self.warnings]

    # --- 2. at a glance ------------------------------------------------------------------

    def glance(self) -> dict[str, int]:
        """The district at a glance: secretaries in post, mentees, mentors, places (in
        all, fewest and most per mentor), shortfall and places to spare."""
        d = self.district
        places = d.mentors["capacity"].astype(int)
        mentees = len(d.mentees)
        return {
            "in_post": len(d.in_post),
            "mentees": mentees,
            "mentors": len(d.mentors),
            "places": int(places.sum()),
            "places_min": int(places.min()) if len(places) else 0,
            "places_max": int(places.max()) if len(places) else 0,
            "shortfall": max(0, mentees - int(places.sum())),
            "spare": max(0, int(places.sum()) - mentees),
            "bases": len(d.bases),
        }

    # --- 3. rules ------------------------------------------------------------------------

    @property
    def district(self) -> District:
        """The roster with the rules applied (places per mentor and rules on pairs), and
        without the locks."""
        return self._district(self.rules.capacity, self.rules.pairs)

    @property
    def district_with_locks(self) -> District:
        """:attr:`district` with every locked pair as a keep rule."""
        locks = tuple((s, m, "keep") for s, m in self.locks.items())
        return self._district(self.rules.capacity, merge_pairs(self.rules.pairs, locks))

    def _district(self, capacity: Mapping[str, int], pairs: tuple) -> District:
        if self.roster is None:
            raise DataError("no roster is loaded")
        key = (tuple(sorted(capacity.items())), pairs)
        if key not in self._districts:
            d = self.roster
            tables = {}
            if capacity:
                mentors = d.mentors.copy()
                mentors["capacity"] = [
                    int(capacity.get(m, c))
                    for m, c in zip(mentors["mentor_id"], mentors["capacity"], strict=True)
                ]
                tables["mentors"] = mentors
            c = d.constraints
            if pairs != tuple(zip(c["secretary_id"], c["mentor_id"], c["rule"], strict=True)):
                tables["constraints"] = pd.DataFrame(
                    list(pairs), columns=["secretary_id", "mentor_id", "rule"]
                )
            _remember(self._districts, key, d.replace(**tables) if tables else d)
        return self._districts[key]

    def _grid(self, d: District) -> Grid:
        r = self.rules
        key = (id(d), tuple(sorted(r.weights.items())), r.distance)
        if key not in self._grids:
            # The District is kept with its grid, so that its id is not reused.
            _remember(self._grids, key, (d, Grid.build(d, r.weights, r.distance)))
        return self._grids[key][1]

    @property
    def partial(self) -> bool:
        """Whether the plan may leave mentees out: as set, or on when places are short."""
        if self.rules.partial is not None:
            return self.rules.partial
        return self.glance()["shortfall"] > 0 if self.ready else False

    @property
    def weights(self) -> dict[str, float]:
        """The weights as used (normalised to sum to 1)."""
        return parse_weights(dict(self.rules.weights))

    def _set_rules(self, **changes) -> None:
        self.rules = replace(self.rules, **changes)
        self.rule_error = None
        if self.solved:
            self.stale = True

    def set_objective(self, objective: str) -> None:
        if objective not in OBJECTIVES:
            raise DataError(f"objective must be one of {list(OBJECTIVES)}, got {objective!r}")
        self._set_rules(objective=objective)

    def set_weight(self, component: str, value: float) -> None:
        """Set one score weight (any scale, at least one above 0)."""
        weights = {**self.rules.weights, component: float(value)}
        try:
            parse_weights(weights)
        except DataError as error:
            self.rule_error = say("rule_error", self.lang, message=_first_line(error))
            return
        self._set_rules(weights=weights)

    def set_distance(self, distance: str | None) -> None:
        if distance is not None and distance not in DISTANCE_RULES:
            raise DataError(f"distance must be one of {list(DISTANCE_RULES)}, got {distance!r}")
        self._set_rules(distance=distance)

    def set_partial(self, partial: bool | None) -> None:
        self._set_rules(partial=partial)

    def set_capacity(self, mentor_id: str, places: int) -> bool:
        """Give a mentor ``places`` places; refused (with :attr:`rule_error`) below the
        mentor's minimum load or below 0."""
        mentors = self.roster.mentors.set_index("mentor_id")
        places = int(places)
        low = mentors.at[mentor_id, "min_load"]
        low = 0 if pd.isna(low) else int(low)
        if places < max(0, low):
            zh = f"名额不能少于 {max(0, low)} 个（该老师的最少带教人数）"
            en = f"places cannot be fewer than {max(0, low)} (the mentor's minimum load)"
            if places < 0:
                zh, en = "名额不能为负数", "places cannot be negative"
            self.rule_error = say("rule_error", self.lang, message=zh if self.lang == "zh" else en)
            return False
        capacity = dict(self.rules.capacity)
        if places == int(mentors.at[mentor_id, "capacity"]):
            capacity.pop(mentor_id, None)
        else:
            capacity[mentor_id] = places
        self._set_rules(capacity=capacity)
        return True

    def add_pair(self, secretary_id: str, mentor_id: str, rule: str) -> None:
        """Add a rule to keep or forbid a pair (replacing one on the same pair, and the
        secretary's other keep rule)."""
        if rule not in RULE_WORDS:
            raise DataError(f"rule must be keep or forbid, got {rule!r}")
        self._set_rules(pairs=merge_pairs(self.rules.pairs, ((secretary_id, mentor_id, rule),)))

    def remove_pairs(self, pairs) -> None:
        """Remove the rules on these (secretary_id, mentor_id) pairs."""
        gone = {tuple(p[:2]) for p in pairs}
        self._set_rules(pairs=tuple(p for p in self.rules.pairs if (p[0], p[1]) not in gone))

    def pair_lines(self) -> list[tuple[str, tuple[str, str]]]:
        """The rules on pairs as (line, (secretary_id, mentor_id)), for a list."""
        d = self.roster
        s_names = dict(zip(d.secretaries["secretary_id"], d.secretaries["name"], strict=True))
        m_names = dict(zip(d.mentors["mentor_id"], d.mentors["name"], strict=True))
        c = d.constraints
        roster = set(zip(c["secretary_id"], c["mentor_id"], c["rule"], strict=True))
        out = []
        for sid, mid, rule in self.rules.pairs:
            origin = say("from_roster", self.lang) if (sid, mid, rule) in roster else ""
            line = say(
                "pair_line",
                self.lang,
                rule=RULE_WORDS[rule][0 if self.lang == "zh" else 1],
                mentee=person(sid, s_names.get(sid), self.lang),
                mentor=person(mid, m_names.get(mid), self.lang),
                origin=origin,
            )
            out.append((line, (sid, mid)))
        return out

    def mentor_places(self) -> pd.DataFrame:
        """Each mentor's places as set, for people (name, sub-district, places, minimum
        load), with the roster's where the planner changed them."""
        d = self.district
        original = self.roster.mentors.set_index("mentor_id")["capacity"]
        m = d.mentors
        places = [
            f"{c}{say('places_changed', self.lang, old=int(original[i]))}"
            if i in self.rules.capacity
            else str(c)
            for i, c in zip(m["mentor_id"], m["capacity"], strict=True)
        ]
        frame = pd.DataFrame(
            {
                "mentor_id": m["mentor_id"],
                "name": m["name"],
                "street_town": m["street_town"],
                "capacity": places,
                "min_load": m["min_load"],
            }
        )
        return for_people(frame, lang=self.lang, labels={"capacity": _label("capacity", "text")})

    def weight_shares(self) -> str:
        """The weights as used, in words (``难题匹配 45%、小区类型 25%…``)."""
        sep = "、" if self.lang == "zh" else ", "
        i = 0 if self.lang == "zh" else 1
        return sep.join(f"{WEIGHT_WORDS[k][i]} {v:.0%}" for k, v in self.weights.items())

    # --- 4. solving ----------------------------------------------------------------------

    def solve(self) -> bool:
        """Solve under the rules (clearing locks and moves). On failure :attr:`error`
        holds the :class:`~mentormatch.InfeasibleError` (or DataError) and there is no
        plan."""
        self.locks, self.moved = {}, set()
        d = self.district
        try:
            plan = self._match(d)
        except (InfeasibleError, DataError) as error:
            self.error = error
            self.reference = self.current = self.current_district = self.assignment = None
            self._reference_cost = self._current_cost = self._comparison = None
            return False
        self.error = None
        self.stale = False
        self.reference = plan
        self._reference_cost = None
        self._set_current(plan, d)
        return True

    def _match(self, d: District) -> Plan:
        r = self.rules
        return match(
            d,
            r.objective,
            weights=dict(r.weights),
            distance=r.distance,
            partial=self.partial,
        )

    def _set_current(self, plan: Plan, d: District) -> None:
        self.current, self.current_district = plan, d
        ids = pd.Index(d.mentees["secretary_id"].to_numpy(dtype=object))
        self.assignment = plan.assignment.astype(object).reindex(ids)
        self._current_cost = None
        self._comparison = None

    def error_text(self) -> str:
        """Why the last solve found no plan, and what to do, in the language."""
        error = self.error
        if error is None:
            return ""
        if isinstance(error, InfeasibleError):
            space = " " if self.lang == "en" else ""
            words = self._shortfall_words(error)
            if not words:
                words = error.message(self.lang) if hasattr(error, "message") else str(error)
            hint = say("infeasible_hint", self.lang) if not self.partial else ""
            return say("infeasible", self.lang) + words + space + hint
        if isinstance(error, DataError):
            return error.message(self.lang)
        return str(error)

    def _shortfall_words(self, error: InfeasibleError) -> str:
        """When places are short: by how many, and with whom to add them (from a partial
        plan under the same rules, :func:`mentormatch.plan.places_to_add`)."""
        d = self.district
        g = self.glance()
        if g["shortfall"] <= 0:
            return ""
        words = say(
            "infeasible_short",
            self.lang,
            n=g["shortfall"],
            mentees=g["mentees"],
            places=g["places"],
        )
        from mentormatch import plan as plans

        places_to_add = getattr(plans, "places_to_add", None)
        if places_to_add is None:
            return words
        try:
            partial = match(
                d,
                "total",
                weights=dict(self.rules.weights),
                distance=self.rules.distance,
                bases="none",
                partial=True,
            )
            adds = places_to_add(d, partial)
        except (InfeasibleError, DataError):
            return words
        names = d.mentors.set_index("mentor_id")["name"]
        sep = "、" if self.lang == "zh" else ", "
        who = sep.join(
            say("infeasible_add_one", self.lang, mentor=person(m, names.get(m), self.lang), n=n)
            for m, n in list(adds.items())[:8]
        )
        if who:
            words += (" " if self.lang == "en" else "") + say("infeasible_add", self.lang, who=who)
        return words

    def headline(self) -> str:
        """The plan in one sentence."""
        cost = self.cost()[1]
        f = self.current.figures()
        coverage = f["coverage_mentor_and_base"]
        return say(
            "solved",
            self.lang,
            placed=cost.placed,
            mentees=cost.mentees,
            total=cost.total_score,
            mean=cost.mean_score if cost.placed else 0.0,
            low=f["min_score"] if cost.placed else 0.0,
            blocking=cost.blocking_pairs,
            coverage=MISSING if not np.isfinite(coverage) else f"{coverage:.0%}",
        )

    def mentor_ids(self) -> list[str]:
        return self.district.mentors["mentor_id"].tolist()

    def by_mentor(self, mentor_id: str | None = None) -> list[tuple[str, pd.DataFrame]]:
        """The plan by mentor: (heading, table for people) per mentor, all mentors or
        one; at most :data:`MAX_MENTORS_SHOWN` when all are asked for (see
        :meth:`mentors_cut_short`)."""
        plan = self.current
        t = plan.table[plan.table["status"] == "placed"]
        zh = self.lang == "zh"
        marks = self._marks(t["secretary_id"])
        frame = pd.DataFrame(
            {
                "name": t["name"].to_numpy(),
                "secretary_id": t["secretary_id"].to_numpy(),
                "street_town": t["street_town"].to_numpy(),
                "community_name": t["community_name"].to_numpy(),
                "base_name": t["base_name"].to_numpy(),
                "score": t["score"].to_numpy(),
                "coverage": t["coverage"].to_numpy(),
                "reason": t["reason_zh" if zh else "reason_en"].to_numpy(),
                "note": marks,
            }
        )
        if frame["note"].isna().all():
            frame = frame.drop(columns="note")  # nothing locked or moved: nothing to note
        shown = for_people(frame, lang=self.lang, decimals={"score": 2})
        loads = plan.loads.set_index("mentor_id")
        mentors = [mentor_id] if mentor_id else self.mentor_ids()[:MAX_MENTORS_SHOWN]
        of = t["mentor_id"].to_numpy()
        out = []
        for mid in mentors:
            row = loads.loc[mid]
            unit = STREET_TOWNS[row["street_town"]].label(self.lang)
            heading = say(
                "mentor_head",
                self.lang,
                name=row["name"],
                id=mid,
                unit=unit,
                load=int(row["load"]),
                capacity=int(row["capacity"]),
            )
            out.append((heading, shown[of == mid].reset_index(drop=True)))
        return out

    def mentors_cut_short(self) -> bool:
        return len(self.mentor_ids()) > MAX_MENTORS_SHOWN

    def _marks(self, ids) -> list[str | None]:
        """Moved by hand, locked, or nothing, for each placed mentee."""
        out = []
        for sid in ids:
            if sid in self.moved:
                out.append(say("moved_mark", self.lang))
            elif sid in self.locks:
                out.append(say("locked_mark", self.lang))
            else:
                out.append(None)
        return out

    def plan_kinds(self) -> list[str]:
        """The kind of each column of :meth:`by_mentor`'s tables (numbers align right)."""
        t = self.current.table
        marked = any(
            m is not None for m in self._marks(t.loc[t["status"] == "placed", "secretary_id"])
        )
        columns = _PLAN_COLUMNS if marked else _PLAN_COLUMNS[:-1]
        return [c.kind for c in resolve_columns(pd.DataFrame(columns=columns), self.lang)]

    def unplaced(self) -> pd.DataFrame:
        """The mentees without a mentor, with the reason and the smallest fix."""
        t = self.current.table
        t = t[t["status"] == "unplaced"]
        zh = self.lang == "zh"
        frame = pd.DataFrame(
            {
                "secretary_id": t["secretary_id"].to_numpy(),
                "name": t["name"].to_numpy(),
                "street_town": t["street_town"].to_numpy(),
                "community_name": t["community_name"].to_numpy(),
                "unplaced_reason": t["unplaced_reason_zh" if zh else "unplaced_reason"].to_numpy(),
            }
        )
        return for_people(frame, lang=self.lang)

    def comparison(self, n_random: int | None = None) -> Comparison:
        """The plan (and the solved plan, when it differs) against random plans."""
        if self._comparison is not None and n_random is None:
            return self._comparison
        from mentormatch.evaluate.baselines import bases_for, random_plan
        from mentormatch.evaluate.quality import encode, per_mentee

        d = self.district
        key = (id(d), tuple(sorted(self.rules.weights.items())), self.rules.distance, n_random)
        cached = self._random.get(key)
        s = cached[1] if cached else encode(d, dict(self.rules.weights), self.rules.distance)
        n = n_random if n_random is not None else random_plans_for(s.n, int(s.capacity.sum()))

        def figures(mentor: np.ndarray, base: np.ndarray) -> dict[str, float]:
            values = per_mentee(s, mentor, base)
            placed = mentor >= 0
            return {
                "mean_score": _mean(values["score"][placed]),
                "coverage": _mean(values["coverage_mentor_and_base"][placed]),
            }

        if cached:
            random = cached[2]
        else:
            # The random plans depend on the rules only: drawn once per set of rules.
            rng = np.random.default_rng(SEED)
            rows = []
            for _ in range(n):
                mentor = random_plan(s, rng)
                rows.append(figures(mentor, bases_for(s, mentor)))
            random = pd.DataFrame(rows, columns=["mean_score", "coverage"])
            self._random = {key: (d, s, random)}
        plans = {}
        named = [("solved", self.reference), ("current", self.current)]
        for name, plan in named:
            if plan is None:
                continue
            placed = plan.placed.set_index("secretary_id")
            mentor = s.positions(placed["mentor_id"].astype(object))
            base = s.base_positions(placed["base_id"].astype(object))
            plans[name] = figures(mentor, base)
        result = Comparison(plans=plans, random=random, synthetic=d.synthetic)
        if n_random is None:
            self._comparison = result
        return result

    # --- 5. adjusting --------------------------------------------------------------------

    def lock(self, secretary_id: str) -> bool:
        """Lock the mentee's pair in the plan (nothing to lock when unplaced)."""
        mid = self.assignment.get(secretary_id)
        if not isinstance(mid, str):
            return False
        self.locks[secretary_id] = mid
        return True

    def unlock(self, secretary_id: str) -> None:
        self.locks.pop(secretary_id, None)

    def move(self, secretary_id: str, mentor_id: str | None) -> None:
        """Give the mentee another mentor (``None``: none) by hand, lock the new pair and
        rebuild the plan around it; nothing else moves."""
        a = self.assignment.copy()
        a[secretary_id] = mentor_id if mentor_id else np.nan
        if mentor_id:
            self.locks[secretary_id] = mentor_id
        else:
            self.locks.pop(secretary_id, None)
        self.moved.add(secretary_id)
        self._given(a)

    def undo(self) -> None:
        """Back to the solved plan: no locks, no moves."""
        if self.reference is not None:
            self.locks, self.moved = {}, set()
            self._set_current(self.reference, self.district)

    def _given(self, assignment: pd.Series) -> None:
        d = self.district_with_locks
        # One grid serves both: scores and the distance rule do not depend on the rules
        # on pairs, which alone differ between the District and its locked copy.
        g = self._grid(self.district)
        cost = measure(self.district, assignment, grid=g)
        plan = plan_for(g, d, assignment, cost.blocking)
        self._set_current(plan, d)
        self._current_cost = cost

    def resolve(self) -> bool:
        """Solve again with every locked pair kept (as keep rules); the rest is optimised
        again. On failure :attr:`error` says why and the plan stays as it was."""
        d = self.district_with_locks
        try:
            plan = self._match(d)
        except (InfeasibleError, DataError) as error:
            self.error = error
            return False
        self.error = None
        self.moved = set()
        self._set_current(plan, d)
        return True

    def cost(self) -> tuple[PlanCost, PlanCost]:
        """What the solved plan and the current plan give and cost, measured the same way
        under the rules (without the locks: a lock is the planner's own choice)."""
        if self.current is None:
            raise DataError("no plan yet: solve first")
        g = self._grid(self.district)
        if self._reference_cost is None:
            self._reference_cost = measure(self.district, self.reference.assignment, grid=g)
        if self._current_cost is None:
            same = self.current is self.reference
            self._current_cost = (
                self._reference_cost if same else measure(self.district, self.assignment, grid=g)
            )
        return self._reference_cost, self._current_cost

    def cost_table(self) -> pd.DataFrame:
        """The solved plan and the current plan side by side, with the change."""
        before, now = self.cost()
        rows = [
            ("fig_placed", before.placed, now.placed, "{:d}"),
            ("fig_total", before.total_score, now.total_score, "{:.3f}"),
            ("fig_mean", before.mean_score, now.mean_score, "{:.4f}"),
            ("fig_blocking", before.blocking_pairs, now.blocking_pairs, "{:d}"),
            ("fig_broken", len(before.broken), len(now.broken), "{:d}"),
        ]

        def shown(value: float, fmt: str) -> str:
            if value is None or (isinstance(value, float) and not np.isfinite(value)):
                return MISSING
            return fmt.format(value)

        out = []
        for key, a, b, fmt in rows:
            if isinstance(a, float) and isinstance(b, float) and np.isfinite(a) and np.isfinite(b):
                change = b - a
                size = fmt.format(abs(change))
                # No change where the digits shown see none.
                text = "0" if float(size) == 0 else ("+" if change > 0 else "−") + size
            elif isinstance(a, int) and isinstance(b, int):
                change = b - a
                text = "0" if change == 0 else ("+" if change > 0 else "−") + str(abs(change))
            else:
                text = MISSING
            out.append([say(key, self.lang), shown(a, fmt), shown(b, fmt), text])
        headers = [
            _label("figure", "text").zh if self.lang == "zh" else _label("figure", "text").en,
            say("col_solved", self.lang),
            say("col_current", self.lang),
            say("col_change", self.lang),
        ]
        return pd.DataFrame(out, columns=headers)

    def broken_lines(self) -> list[str]:
        return [b.text(self.lang) for b in self.cost()[1].broken]

    def mentee_options(self) -> list[tuple[str, str]]:
        """(label, secretary_id) of every mentee, with the current mentor."""
        d = self.district
        names = d.mentors.set_index("mentor_id")["name"]
        out = []
        for sid, name in zip(d.mentees["secretary_id"], d.mentees["name"], strict=True):
            mid = self.assignment.get(sid) if self.assignment is not None else None
            now = (
                person(mid, names.get(mid), self.lang)
                if isinstance(mid, str)
                else say("unplaced_now", self.lang)
            )
            out.append((say("mentee_option", self.lang, name=name, id=sid, now=now), sid))
        return out

    def mentor_options(self) -> list[tuple[str, str]]:
        """(label, mentor_id) of every mentor, with the load and places in the plan."""
        d = self.district
        if self.current is not None:
            loads = self.current.loads.set_index("mentor_id")["load"]
        else:
            loads = pd.Series(0, index=d.mentors["mentor_id"])
        return [
            (
                say(
                    "mentor_option", self.lang, name=n, id=m, load=int(loads.get(m, 0)), capacity=c
                ),
                m,
            )
            for m, n, c in zip(
                d.mentors["mentor_id"], d.mentors["name"], d.mentors["capacity"], strict=True
            )
        ]

    def lock_lines(self) -> list[str]:
        d = self.district
        s_names = dict(zip(d.mentees["secretary_id"], d.mentees["name"], strict=True))
        m_names = dict(zip(d.mentors["mentor_id"], d.mentors["name"], strict=True))
        return [
            f"{person(s, s_names.get(s), self.lang)} — {person(m, m_names.get(m), self.lang)}"
            for s, m in self.locks.items()
        ]

    # --- 6. downloads --------------------------------------------------------------------

    def plan_workbook(self) -> Download:
        """The plan workbook (:func:`mentormatch.export.write_plan`) of the current plan."""
        from mentormatch.export import write_plan

        name = say("plan_file", self.lang)
        with tempfile.TemporaryDirectory(prefix="mentormatch-app-") as tmp:
            path = write_plan(self.current_district, self.current, Path(tmp) / name, lang=self.lang)
            return Download(name, Path(path).read_bytes(), _XLSX)

    def groups_size(self) -> int:
        """The report's number of salon groups for this roster
        (:func:`mentormatch.groups.standard_size`)."""
        from mentormatch.groups import standard_size

        return standard_size(self.district)[0]

    def groups_workbook(self, n_groups: int | None = None) -> Download:
        """The salon groups workbook (:func:`mentormatch.export.write_groups`), with
        ``n_groups`` groups (default: as the report); mentors join as leads when the
        secretaries who can lead are too few, as in the report."""
        from mentormatch.export import write_groups
        from mentormatch.groups import max_groups, salon_plan, standard_size

        d = self.district
        wanted, with_mentors = standard_size(d)
        n = int(n_groups) if n_groups else wanted
        if n != wanted:
            with_mentors = max_groups(d) < n
        plan = salon_plan(d, n, seed=SEED, mentors=with_mentors, progress=False)
        name = say("groups_file", self.lang)
        with tempfile.TemporaryDirectory(prefix="mentormatch-app-") as tmp:
            path = write_groups(d, plan, Path(tmp) / name, lang=self.lang)
            return Download(name, Path(path).read_bytes(), _XLSX)

    def report(self, on_progress: Callable[[int, int], None] | None = None) -> Download:
        """The whole report (:func:`mentormatch.report.build_report`) on the roster with
        the rules applied, as one self-contained HTML page. ``on_progress(done, n)`` is
        called as each notebook finishes."""
        from mentormatch.io import save_district
        from mentormatch.report import build_report, notebook_dir

        n = len(list(notebook_dir().glob("[0-9][0-9]_*.ipynb")))
        stem = Path(self.source).stem if self.source else "sample"
        stem = re.sub(r"[^\w\-]+", "_", stem).strip("_") or "roster"
        with tempfile.TemporaryDirectory(prefix="mentormatch-app-") as tmp:
            data = save_district(self.district, Path(tmp) / stem)
            counter = _NotebookCounter(n, on_progress)
            with contextlib.redirect_stdout(counter):
                page = build_report(data, Path(tmp) / "report", seed=SEED, lang=self.lang)
            return Download(say("report_file", self.lang), page.read_bytes(), "text/html")


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The columns of the plan by mentor (the last only when a pair is locked or moved).
_PLAN_COLUMNS = [
    "name",
    "secretary_id",
    "street_town",
    "community_name",
    "base_name",
    "score",
    "coverage",
    "reason",
    "note",
]


class _NotebookCounter(io.TextIOBase):
    """Stands in for stdout while the report runs: counts the notebooks it says are done
    (``ran NN_name.ipynb in S s``) and passes the count on."""

    def __init__(self, n: int, on_progress: Callable[[int, int], None] | None):
        self.n, self.done, self.on_progress = n, 0, on_progress

    def write(self, text: str) -> int:
        ran = len(re.findall(r"\bran \S+\.ipynb", text))
        if ran:
            self.done += ran
            if self.on_progress is not None:
                self.on_progress(self.done, self.n)
        return len(text)


#: Districts and grids kept per session (the current rules, the rules with locks, and a
#: few before them): each holds the roster's tables.
CACHE_SIZE = 4


def _remember(cache: dict, key, value) -> None:
    cache[key] = value
    while len(cache) > CACHE_SIZE:
        cache.pop(next(iter(cache)))


def _mean(values: np.ndarray) -> float:
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return float(values.mean()) if len(values) else math.nan


def _label(code: str, kind: str):
    from mentormatch.present.labels import COLUMNS, Column

    spec = COLUMNS[code]
    return Column(spec.zh, spec.en, kind)


def _first_line(error: DataError) -> str:
    return str(error).splitlines()[0]
