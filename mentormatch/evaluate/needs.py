"""What each evaluation needs from a District, and what to say when it is missing.

Reports and notebooks run on any roster; a roster without an assessment panel or
career records must yield a sentence saying what is missing, not a traceback.
:func:`missing` says it; :func:`require` raises it as a :class:`~mentormatch.DataError`
for callers of the estimators.
"""

from __future__ import annotations

from mentormatch.district import DEPARTURE_EVENTS, District
from mentormatch.errors import DataError

__all__ = ["missing", "require", "ANALYSES"]

#: The analyses :func:`missing` knows, with what each needs (in words).
ANALYSES = {
    "matching": "secretaries who need a mentor, and mentors",
    "capacity": "an assessment panel (assessments table)",
    "did": "an assessment panel and secretaries with and without mentoring (mentored_since)",
    "dose": "the above, and mentored secretaries whose mentor is known",
    "retention": "career records (career table) with departures",
    "rare_events": "career records (career table)",
}


def missing(d: District, analysis: str) -> str | None:
    """Why ``analysis`` cannot run on ``d``, in one sentence; ``None`` if it can.

    Parameters
    ----------
    d : District
    analysis : str
        One of :data:`ANALYSES`.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> missing(d, "did") is None
    True
    >>> print(missing(d.replace(assessments=None), "did"))
    No assessment panel: the capacity index and its change under mentoring cannot be estimated.
    """
    if analysis not in ANALYSES:
        raise DataError(f"unknown analysis {analysis!r}; expected one of {list(ANALYSES)}")
    if analysis == "matching":
        if d.mentees.empty:
            return "No secretary in post needs a mentor: there is nothing to match."
        if d.mentors.empty:
            return "No mentors: there is nothing to match."
        return None
    if analysis in ("capacity", "did", "dose") and d.assessments.empty:
        return (
            "No assessment panel: the capacity index and its change under mentoring "
            "cannot be estimated."
        )
    if analysis in ("did", "dose"):
        since = d.secretaries["mentored_since"]
        assessed = d.secretaries["secretary_id"].isin(d.assessments["secretary_id"])
        if not (since.notna() & assessed).any():
            return (
                "No assessed secretary has a mentoring start year (mentored_since): "
                "there is no treated group."
            )
        if not (since.isna() & assessed).any() and since.nunique() < 2:
            return (
                "Every assessed secretary started mentoring in the same year: "
                "there is no comparison group."
            )
    if analysis == "dose":
        s = d.secretaries
        known = s["previous_mentor_id"].isin(d.mentors["mentor_id"])
        in_plan = s["secretary_id"].isin(d.mentees["secretary_id"])
        if not ((known | in_plan) & s["mentored_since"].notna()).any():
            return (
                "No mentored secretary has a known mentor (previous_mentor_id) or is in "
                "this cycle's plan: pair scores cannot be linked to outcomes."
            )
    if analysis in ("retention", "rare_events") and d.career.empty:
        return (
            "No career records: departures, promotions and recruitment as civil "
            "servants are unknown."
        )
    if analysis == "retention" and not d.career["event"].isin(DEPARTURE_EVENTS).any():
        return "The career records hold no departure: retention cannot be estimated."
    return None


def require(d: District, analysis: str) -> None:
    """Raise :class:`~mentormatch.DataError` when ``analysis`` cannot run on ``d``."""
    why = missing(d, analysis)
    if why is not None:
        raise DataError(why)
