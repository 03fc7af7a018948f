"""Charts of the evaluation: capacity profiles, strategies, effects, retention, rare events.

Every function takes a District or a result of :mod:`mentormatch.evaluate` and returns
a matplotlib Figure; charts of synthetic data say so. Residents' QR scores appear only
through :func:`mentormatch.capacity_index`, which withholds those behind too few raters.

The charts live in :mod:`~mentormatch.plot.evaluate.capacity` (the capacity index),
:mod:`~mentormatch.plot.evaluate.outcomes` (strategies, effects) and
:mod:`~mentormatch.plot.evaluate.careers` (retention, rare events); every name is also
importable from here.
"""

from __future__ import annotations

from mentormatch.plot.evaluate.capacity import MAX_GROUPS as MAX_GROUPS
from mentormatch.plot.evaluate.capacity import (
    capacity_by_group,
    capacity_profile,
    capacity_secretary,
)
from mentormatch.plot.evaluate.careers import rare_events, retention
from mentormatch.plot.evaluate.outcomes import dose_response, event_time, strategies

__all__ = [
    "capacity_profile",
    "capacity_by_group",
    "capacity_secretary",
    "strategies",
    "event_time",
    "dose_response",
    "retention",
    "rare_events",
]
