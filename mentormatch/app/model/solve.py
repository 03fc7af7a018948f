"""Step 4 of the workbench: solve under the rules, say why when no plan exists, show the
plan by mentor and compare it with random plans (:class:`Comparison`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch.app.cost import person
from mentormatch.app.model._common import SEED
from mentormatch.app.words import say
from mentormatch.district import District
from mentormatch.errors import DataError, InfeasibleError
from mentormatch.plan import Plan, match
from mentormatch.present.format import MISSING, for_people, resolve_columns
from mentormatch.vocab import STREET_TOWNS

#: Mentors whose mentees are shown at once when the whole plan is shown.
MAX_MENTORS_SHOWN = 40


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


class _SolveActions:
    """Part of :class:`~mentormatch.app.model.Workbench`: step 4, solving and review."""

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


def _mean(values: np.ndarray) -> float:
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return float(values.mean()) if len(values) else math.nan
