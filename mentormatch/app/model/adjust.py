"""Step 5 of the workbench: adjust by hand (lock, move, unlock, solve again, undo) and
what the plan then gives and costs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.app.cost import PlanCost, measure, person, plan_for
from mentormatch.app.model._common import _label
from mentormatch.app.words import say
from mentormatch.errors import DataError, InfeasibleError
from mentormatch.present.format import MISSING


class _AdjustActions:
    """Part of :class:`~mentormatch.app.model.Workbench`: step 5, adjusting by hand."""

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
