"""The plan module of earlier releases: its names now live in :mod:`mentormatch.matching`.

Kept so that ``from mentormatch.plan import match, Plan, ...`` goes on working.
"""

from mentormatch.matching import (
    BASE_METHODS,
    DISTANCE_RULES,
    STATUS,
    Plan,
    constraint_pairs,
    match,
    match_with,
    places_to_add,
    read_previous_plan,
    rematch,
    rule_warnings,
    shortfall_error,
    write_plan,
)

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
