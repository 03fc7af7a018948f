"""Does a better-fitting pair help more? :func:`doses` (each mentored secretary's pair
score) and :func:`dose_response` (the effect against it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.evaluate.needs import require
from mentormatch.evaluate.outcomes.panel import _twfe, outcome_panel
from mentormatch.plan import Plan
from mentormatch.scoring import score_pairs

#: Fewest mentored secretaries with a known pair score for a dose-response estimate:
#: clustered intervals of an interaction carried by fewer people are too narrow.
MIN_DOSED = 20

# --- Dose-response ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DoseResponse:
    """The effect of mentoring against the pair score of the mentored secretary.

    Attributes
    ----------
    effect, effect_low, effect_high : float
        The effect at the mean dose, with its 95% interval.
    slope, slope_low, slope_high : float
        Change of the effect per 0.1 of pair score, with its 95% interval.
    mean_dose : float
    people : DataFrame
        One row per mentored secretary with a dose: ``secretary_id``, ``mentor_id``,
        ``dose``, ``dose_source`` (``previous_mentor`` or ``plan``) and
        ``own_effect``: that secretary's average gap between the index and its
        prediction without mentoring (from a fixed-effects model fitted on
        observations before mentoring and on the never-mentored), NaN when it has
        no wave before mentoring. Individual gaps are noisy: read the slope.
    n_mentored, n_with_dose : int
        Mentored secretaries in the panel, and those with a dose.
    truth, truth_slope : float or None
        The true effect and slope (0 for the synthetic model) when known.
    synthetic : bool
    note : str
        Why there is no estimate (too few secretaries with a dose), else empty.
    """

    effect: float
    effect_low: float
    effect_high: float
    slope: float
    slope_low: float
    slope_high: float
    mean_dose: float
    people: pd.DataFrame = field(repr=False)
    n_mentored: int = 0
    n_with_dose: int = 0
    truth: float | None = None
    truth_slope: float | None = None
    synthetic: bool = False
    note: str = ""

    def to_frame(self) -> pd.DataFrame:
        """The two coefficients with intervals (and the truth when known)."""
        return pd.DataFrame(
            {
                "estimate": [self.effect, self.slope],
                "ci_low": [self.effect_low, self.slope_low],
                "ci_high": [self.effect_high, self.slope_high],
                "truth": [self.truth, self.truth_slope],
            },
            index=["effect at mean dose", "change per 0.1 of pair score"],
        )

    def summary(self) -> str:
        if self.note:
            return self.note
        line = (
            f"dose known for {self.n_with_dose} of {self.n_mentored} mentored secretaries "
            f"(mean pair score {self.mean_dose:.2f}); effect at the mean dose "
            f"{self.effect:+.2f} [{self.effect_low:+.2f}, {self.effect_high:+.2f}]; "
            f"per 0.1 of pair score {self.slope:+.2f} [{self.slope_low:+.2f}, "
            f"{self.slope_high:+.2f}]"
        )
        if self.truth is not None:
            inside = self.effect_low <= self.truth <= self.effect_high
            flat = self.slope_low <= self.truth_slope <= self.slope_high
            line += (
                f"; true effect {self.truth:+.2f} ({'inside' if inside else 'outside'} its "
                f"interval), true slope {self.truth_slope:+.2f} "
                f"({'inside' if flat else 'outside'} its interval)"
            )
        return line


def doses(
    d: District,
    plan: Plan | pd.Series | None = None,
    *,
    weights: str | Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Pair score of each mentored secretary with a known mentor.

    The mentor is ``previous_mentor_id`` when it is still in ``d.mentors``, else the
    secretary's mentor in ``plan`` (a Plan or a Series secretary_id -> mentor_id).

    Returns
    -------
    DataFrame
        ``secretary_id``, ``mentor_id``, ``dose``, ``dose_source``.
    """
    s = d.secretaries
    mentored = s[s["mentored_since"].notna()]
    mentor = mentored["previous_mentor_id"].where(
        mentored["previous_mentor_id"].isin(d.mentors["mentor_id"])
    )
    source = pd.Series(np.where(mentor.notna(), "previous_mentor", ""), index=mentored.index)
    if plan is not None:
        assignment = plan.assignment if isinstance(plan, Plan) else plan.dropna()
        planned = mentored["secretary_id"].map(assignment)
        use = mentor.isna() & planned.notna() & planned.isin(d.mentors["mentor_id"])
        mentor = mentor.where(~use, planned)
        source = source.where(~use, "plan")
    known = mentor.notna()
    people = mentored[known.to_numpy()]
    columns = ["secretary_id", "mentor_id", "dose", "dose_source"]
    if people.empty:
        return pd.DataFrame({c: pd.Series(dtype="str" if c != "dose" else float) for c in columns})
    scores = score_pairs(d, weights, mentees=people).set_index(["secretary_id", "mentor_id"])
    pairs = list(zip(people["secretary_id"], mentor[known], strict=True))
    return pd.DataFrame(
        {
            "secretary_id": people["secretary_id"].to_numpy(),
            "mentor_id": mentor[known].to_numpy(),
            "dose": scores.loc[pairs, "total"].to_numpy(dtype=float),
            "dose_source": source[known].to_numpy(),
        }
    ).astype({"secretary_id": "str", "mentor_id": "str", "dose_source": "str"})


def dose_response(
    d: District,
    plan: Plan | pd.Series | None = None,
    *,
    weights: str | Mapping[str, float] | None = None,
    outcome: str = "overall",
    truth: float | None = None,
    min_people: int = MIN_DOSED,
) -> DoseResponse:
    """The effect of mentoring against the mentor-mentee pair score.

    Two-way fixed effects with ``treated`` and ``treated x (dose - mean dose)``, on the
    never- and not-yet-mentored secretaries and the mentored ones with a dose (see
    :func:`doses`); standard errors clustered by secretary. With fewer than
    ``min_people`` mentored secretaries with a dose in the panel, the slope rests on
    a handful of people and clustered intervals are far too narrow (they need many
    treated clusters): the result then has no estimate, only ``people`` and a
    ``note``.

    Parameters
    ----------
    d : District
    plan : Plan or Series, optional
        This cycle's plan, for mentored secretaries with no listed previous mentor.
    weights : mapping or str, optional
        Score weights.
    outcome : str
    truth : float, optional
        The true effect; the true slope is then taken as 0 (the synthetic model has
        one effect for every pair).
    min_people : int
        Fewest mentored secretaries with a dose for an estimate.

    Returns
    -------
    DoseResponse

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> print(dose_response(d, mm.match(d)).note)  # doctest: +ELLIPSIS
    The pair score (dose) is known for ... too few to estimate how the effect varies with it.
    >>> big = mm.synthesize_district(seed=1, n_secretaries=1410, n_mentors=65, n_bases=100)
    >>> r = dose_response(big)
    >>> r.n_with_dose >= 20 and r.slope_low < r.slope < r.slope_high
    True
    """
    require(d, "did")
    dose = doses(d, plan, weights=weights).set_index("secretary_id")
    panel = outcome_panel(d, outcome)
    mentored_ids = panel.loc[panel["treated"], "secretary_id"].unique()
    n_with_dose = int(dose.index.isin(mentored_ids).sum())
    common = {
        "n_mentored": len(mentored_ids),
        "n_with_dose": n_with_dose,
        "truth": truth,
        "truth_slope": 0.0 if truth is not None else None,
        "synthetic": d.synthetic,
    }
    if n_with_dose < max(min_people, 3) or dose["dose"].nunique() < 2:
        people = dose.reset_index()
        people["own_effect"] = people["secretary_id"].map(_own_effects(panel))
        return DoseResponse(
            *(np.nan,) * 6,  # effect and slope, with their intervals: none
            mean_dose=float(dose["dose"].mean()) if len(dose) else np.nan,
            people=people,
            note=(
                f"The pair score (dose) is known for {n_with_dose} of {len(mentored_ids)} "
                f"mentored secretaries (previous_mentor_id or this cycle's plan): fewer "
                f"than {min_people}, too few to estimate how the effect varies with it."
            ),
            **common,
        )
    keep = panel["since"].isna() | panel["secretary_id"].isin(dose.index)
    panel = panel[keep.to_numpy()].reset_index(drop=True)
    centre = float(dose["dose"].mean())
    centred = panel["secretary_id"].map(dose["dose"]).fillna(centre).to_numpy() - centre
    treated = panel["treated"].to_numpy(dtype=float)
    x = pd.DataFrame({"treated": treated, "treated_x_dose": treated * centred / 0.1})
    result, _ = _twfe(panel, x)
    ci = result.conf_int(alpha=0.05)
    people = dose.reset_index()
    people["own_effect"] = people["secretary_id"].map(_own_effects(panel))
    return DoseResponse(
        effect=float(result.params["treated"]),
        effect_low=float(ci.loc["treated", 0]),
        effect_high=float(ci.loc["treated", 1]),
        slope=float(result.params["treated_x_dose"]),
        slope_low=float(ci.loc["treated_x_dose", 0]),
        slope_high=float(ci.loc["treated_x_dose", 1]),
        mean_dose=centre,
        people=people,
        **common,
    )


def _own_effects(panel: pd.DataFrame) -> pd.Series:
    """Per mentored secretary: mean of index minus its prediction without mentoring.

    Secretary and wave effects are fitted on untreated observations only (imputation,
    as in Borusyak, Jaravel and Spiess), then treated observations are compared with
    the imputed untreated index.
    """
    untreated = panel[~panel["treated"].to_numpy()]
    unit, n_units = pd.factorize(untreated["secretary_id"])
    wave, waves = pd.factorize(untreated["wave"])
    y = untreated["y"].to_numpy(dtype=float)
    a, b = _two_way_means(y, unit, len(n_units), wave, len(waves))
    unit_effect = pd.Series(a, index=n_units)
    wave_effect = pd.Series(b, index=waves)
    treated = panel[panel["treated"].to_numpy()]
    predicted = treated["secretary_id"].map(unit_effect) + treated["wave"].map(wave_effect)
    gap = treated["y"] - predicted
    return gap.groupby(treated["secretary_id"]).mean().dropna()


def _two_way_means(
    y: np.ndarray, unit: np.ndarray, n_units: int, wave: np.ndarray, n_waves: int
) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares unit and wave effects of y (additive), by alternating projections."""
    unit_n = np.bincount(unit, minlength=n_units)
    wave_n = np.bincount(wave, minlength=n_waves)
    a = np.zeros(n_units)
    b = np.zeros(n_waves)
    for _ in range(10_000):
        a = np.bincount(unit, weights=y - b[wave], minlength=n_units) / np.maximum(unit_n, 1)
        new_b = np.bincount(wave, weights=y - a[unit], minlength=n_waves) / np.maximum(wave_n, 1)
        if np.max(np.abs(new_b - b), initial=0.0) < 1e-10:
            b = new_b
            break
        b = new_b
    return a, b
