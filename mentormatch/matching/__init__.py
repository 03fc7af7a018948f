"""Plans: mentors and practice bases for a District's secretaries, with reasons.

:func:`match` turns a District into the inputs of :func:`mentormatch.optimize.solve`
(scores, capacities, min loads, the constraints table's forbid and keep pairs, an
optional distance rule), solves, adds a practice base per mentee, and returns a
:class:`Plan`: one row per secretary with the mentor, the base, the score and its
components, a reason in Chinese and English, and two alternates with room left.

:func:`rematch` repairs a plan when a mentor leaves or secretaries arrive mid-year: it
keeps as many existing pairs as it can while staying within a stated tolerance of the
best total, and says which pairs changed and why.

One job per module: ``result`` (the :class:`Plan` and the names of its rules),
``rules`` (the constraints table as forbid and keep pairs), ``encode`` (a District as
the solver's input), ``plan`` (the front door, :func:`match`), ``bases`` (practice
bases after the mentors or jointly with them), ``explain`` (the plan table: reasons,
alternates, why a mentee is unplaced), ``shortfall`` (which mentors need more places),
``rematch`` (repairing a plan) and ``export`` (CSV and plain workbooks).
"""

from mentormatch.matching.export import write_plan
from mentormatch.matching.plan import match
from mentormatch.matching.rematch import match_with, read_previous_plan, rematch
from mentormatch.matching.result import BASE_METHODS, DISTANCE_RULES, STATUS, Plan
from mentormatch.matching.rules import constraint_pairs, rule_warnings
from mentormatch.matching.shortfall import places_to_add, shortfall_error

__all__ = [
    "Plan",
    "match",
    "rematch",
    "match_with",
    "read_previous_plan",
    "constraint_pairs",
    "rule_warnings",
    "places_to_add",
    "shortfall_error",
    "write_plan",
    "DISTANCE_RULES",
    "BASE_METHODS",
    "STATUS",
]
