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

import pandas as pd

from mentormatch import lang as _lang
from mentormatch.app.cost import BrokenRule, PlanCost, measure
from mentormatch.app.model._common import OBJECTIVES, SEED
from mentormatch.app.model.adjust import _AdjustActions
from mentormatch.app.model.download import Download, _DownloadActions
from mentormatch.app.model.load import _LoadActions
from mentormatch.app.model.rules import CACHE_SIZE as CACHE_SIZE
from mentormatch.app.model.rules import Rules, _RuleActions, merge_pairs
from mentormatch.app.model.solve import MAX_MENTORS_SHOWN as MAX_MENTORS_SHOWN
from mentormatch.app.model.solve import Comparison, _SolveActions, random_plans_for
from mentormatch.district import District
from mentormatch.errors import Problem
from mentormatch.plan import Plan

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


# --- The session ---------------------------------------------------------------------------


class Workbench(_LoadActions, _RuleActions, _SolveActions, _AdjustActions, _DownloadActions):
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
