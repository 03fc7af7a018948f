"""Did mentoring raise organizational capacity? Difference-in-differences on the panel.

The outcome is the capacity index (:func:`mentormatch.capacity_index`, column
``overall`` by default) of each secretary in each assessment wave. A secretary is
*treated* from the wave of ``secretaries.mentored_since`` on; secretaries never
mentored, and those not mentored yet, are the comparison.

:func:`did`
    Two-way fixed effects: ``index_it = a_i + l_t + ATT * treated_it + e_it``, with a
    fixed effect per secretary (``a_i``) and per wave (``l_t``), estimated by OLS on
    the within-secretary deviations (exactly the dummy-variable estimate), standard
    errors clustered by secretary (CR1) with a t distribution on G - 1 degrees of
    freedom (G secretaries). With an effect constant over people and time, as in the
    synthetic model (:mod:`mentormatch.synth`), this is unbiased. With effects that
    grow or differ by start year, two-way fixed effects mixes in comparisons with
    already-mentored secretaries and can mislead: :func:`event_study` is the check.
:func:`event_study`
    The same regression with one indicator per year relative to the start
    (``wave - mentored_since``), the year before the start as reference, the ends of
    the window binned. Leads near 0 support parallel trends; lags show how the effect
    builds up.
:func:`dose_response`
    Does a better-fitting pair help more? Historical pair scores are not stored, so a
    mentored secretary's *dose* is the pair score (:func:`mentormatch.score_pairs`,
    today's roster) with the mentor of ``previous_mentor_id`` when that mentor is
    still listed, or else with the mentor of a given plan. Treated secretaries without
    a dose are left out; the model adds ``treated x (dose - mean dose)``.

The synthetic district knows the true effect (:data:`mentormatch.synth.MENTORING_EFFECT`,
the same at every dose): pass it as ``truth`` to see the estimate against it.

:func:`training_effect`
    Did the electives help? The change of a dimension by the next wave for those who
    attended an elective on it, against those of the same year who did not
    (:mod:`~mentormatch.evaluate.outcomes.training`).

The parts: :mod:`~mentormatch.evaluate.outcomes.panel` (the panel and the regression),
:mod:`~mentormatch.evaluate.outcomes.effects` (:func:`did`, :func:`event_study`) and
:mod:`~mentormatch.evaluate.outcomes.dose` (:func:`dose_response`); every name is also
importable from here.
"""

from __future__ import annotations

from mentormatch.evaluate.outcomes.dose import MIN_DOSED as MIN_DOSED
from mentormatch.evaluate.outcomes.dose import DoseResponse, dose_response
from mentormatch.evaluate.outcomes.dose import doses as doses
from mentormatch.evaluate.outcomes.effects import EVENT_WINDOW as EVENT_WINDOW
from mentormatch.evaluate.outcomes.effects import DiDResult, EventStudy, did, event_study
from mentormatch.evaluate.outcomes.panel import outcome_panel
from mentormatch.evaluate.outcomes.training import (
    TrainingEffect,
    training_changes,
    training_effect,
)

__all__ = [
    "outcome_panel",
    "did",
    "event_study",
    "dose_response",
    "DiDResult",
    "EventStudy",
    "DoseResponse",
    "training_changes",
    "training_effect",
    "TrainingEffect",
]
