"""Evaluation: pairing quality, strategies against baselines, programme outcomes.

* :mod:`~mentormatch.evaluate.quality`: :func:`evaluate_plan`, the quality figures
  of one plan.
* :mod:`~mentormatch.evaluate.baselines`: :func:`compare_strategies`, the three
  objectives against greedy, nearest and random plans, with bootstrap intervals.
* :mod:`~mentormatch.evaluate.outcomes`: :func:`did` (difference-in-differences of the
  capacity index), :func:`event_study` and :func:`dose_response`.
* :mod:`~mentormatch.evaluate.retention`: :func:`retention` (Kaplan-Meier curves of
  leaving the post), :func:`kaplan_meier` and :func:`rare_events` (promotions and
  recruitment as civil servants, with exact intervals).
* :mod:`~mentormatch.evaluate.needs`: :func:`missing`, what a District lacks for an
  analysis, in a sentence.

Examples
--------
>>> import mentormatch as mm
>>> from mentormatch import evaluate as ev
>>> d = mm.synthesize_district(seed=1)
>>> ev.missing(d.replace(career=None), "retention")
'No career records: departures, promotions and recruitment as civil servants are unknown.'
"""

from mentormatch.evaluate.baselines import STRATEGIES, StrategyComparison, compare_strategies
from mentormatch.evaluate.needs import ANALYSES, missing
from mentormatch.evaluate.outcomes import (
    DiDResult,
    DoseResponse,
    EventStudy,
    TrainingEffect,
    did,
    dose_response,
    event_study,
    outcome_panel,
    training_changes,
    training_effect,
)
from mentormatch.evaluate.quality import QUALITY_FIGURES, evaluate_plan
from mentormatch.evaluate.retention import (
    RareEvents,
    Retention,
    clopper_pearson,
    kaplan_meier,
    rare_events,
    retention,
)

__all__ = [
    "evaluate_plan",
    "QUALITY_FIGURES",
    "compare_strategies",
    "StrategyComparison",
    "STRATEGIES",
    "did",
    "DiDResult",
    "event_study",
    "EventStudy",
    "dose_response",
    "DoseResponse",
    "outcome_panel",
    "training_effect",
    "training_changes",
    "TrainingEffect",
    "retention",
    "Retention",
    "kaplan_meier",
    "rare_events",
    "RareEvents",
    "clopper_pearson",
    "missing",
    "ANALYSES",
]
