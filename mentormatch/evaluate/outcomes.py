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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm

from mentormatch.assess import capacity_index
from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.evaluate.needs import require
from mentormatch.plan import Plan
from mentormatch.scoring import score_pairs
from mentormatch.vocab import DIMENSIONS

__all__ = [
    "outcome_panel",
    "did",
    "event_study",
    "dose_response",
    "DiDResult",
    "EventStudy",
    "DoseResponse",
]

#: Relative years shown by :func:`event_study` (the ends collect everything beyond).
EVENT_WINDOW = (-4, 4)
#: Fewest mentored secretaries with a known pair score for a dose-response estimate:
#: clustered intervals of an interaction carried by fewer people are too narrow.
MIN_DOSED = 20


def outcome_panel(d: District, outcome: str = "overall") -> pd.DataFrame:
    """The capacity index as a panel with treatment timing.

    Returns
    -------
    DataFrame
        One row per secretary and assessed wave with the outcome: ``secretary_id``,
        ``wave``, ``y``, ``since`` (``mentored_since``, NaN if never), ``treated`` and
        ``event_time`` (``wave - since``, NaN if never mentored).

    Examples
    --------
    >>> import mentormatch as mm
    >>> p = outcome_panel(mm.synthesize_district(seed=1))
    >>> bool((p["treated"] == (p["wave"] >= p["since"])).all())
    True
    """
    require(d, "capacity")
    if outcome != "overall" and outcome not in DIMENSIONS.codes:
        raise DataError(f"outcome must be 'overall' or a dimension {list(DIMENSIONS.codes)}")
    ci = capacity_index(d)
    panel = ci[["secretary_id", "wave", outcome]].rename(columns={outcome: "y"})
    panel = panel[panel["y"].notna()].reset_index(drop=True)
    since = d.secretaries.set_index("secretary_id")["mentored_since"].astype("Float64")
    panel["since"] = panel["secretary_id"].map(since).astype(float)
    panel["treated"] = (panel["wave"] >= panel["since"]).to_numpy()
    panel["event_time"] = panel["wave"] - panel["since"]
    return panel


# --- The regression ---------------------------------------------------------------------


def _twfe(panel: pd.DataFrame, regressors: pd.DataFrame):
    """OLS of y on regressors with secretary and wave fixed effects, clustered SEs.

    The secretary effects are swept out by demeaning every column within secretary
    (Frisch-Waugh-Lovell); the wave effects are dummies, demeaned too. Secretaries with
    one observation say nothing about changes and are dropped.
    """
    counts = panel.groupby("secretary_id")["y"].transform("size").to_numpy()
    keep = counts > 1
    panel, regressors = panel[keep], regressors[keep]
    waves = pd.get_dummies(panel["wave"], prefix="wave", dtype=float).iloc[:, 1:]
    x = pd.concat([regressors.astype(float), waves], axis=1)
    frame = pd.concat([panel[["y"]].astype(float), x], axis=1)
    within = frame - frame.groupby(panel["secretary_id"].to_numpy()).transform("mean")
    groups = pd.factorize(panel["secretary_id"])[0]
    model = sm.OLS(within["y"], within[x.columns])
    result = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    return result, panel


@dataclass(frozen=True, eq=False)
class DiDResult:
    """A difference-in-differences estimate of the effect of mentoring.

    Attributes
    ----------
    estimate, se, ci_low, ci_high, p_value : float
        The ATT (index points), its clustered standard error, 95% interval and p-value.
    n_obs, n_secretaries, n_treated : int
        Observations and secretaries used (those with at least two waves), and the
        secretaries among them mentored within the panel.
    truth : float or None
        The true effect, when known (synthetic data).
    outcome : str
    synthetic : bool
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n_obs: int
    n_secretaries: int
    n_treated: int
    truth: float | None = None
    outcome: str = "overall"
    synthetic: bool = False

    @property
    def covers_truth(self) -> bool | None:
        """Whether the 95% interval holds the true effect (None when it is unknown)."""
        if self.truth is None:
            return None
        return bool(self.ci_low <= self.truth <= self.ci_high)

    def to_frame(self) -> pd.DataFrame:
        """One row: the estimate, interval, counts and the truth."""
        return pd.DataFrame([self.__dict__]).rename(index={0: "ATT"})

    def summary(self) -> str:
        """One line for a reader."""
        line = (
            f"effect of mentoring on the capacity index ({self.outcome}): "
            f"{self.estimate:+.2f} points, 95% CI [{self.ci_low:+.2f}, {self.ci_high:+.2f}] "
            f"(SE {self.se:.2f}, clustered by secretary; {self.n_treated} mentored of "
            f"{self.n_secretaries} secretaries, {self.n_obs} secretary-waves)"
        )
        if self.truth is not None:
            line += (
                f"; true effect {self.truth:+.2f}, "
                f"{'inside' if self.covers_truth else 'outside'} the interval"
            )
        return line


def did(d: District, *, outcome: str = "overall", truth: float | None = None) -> DiDResult:
    """Two-way fixed-effects difference-in-differences of the capacity index.

    Parameters
    ----------
    d : District
    outcome : str
        ``"overall"`` or a dimension code.
    truth : float, optional
        The true effect, to show beside the estimate (synthetic data:
        :data:`mentormatch.synth.MENTORING_EFFECT`).

    Returns
    -------
    DiDResult

    Examples
    --------
    >>> import mentormatch as mm
    >>> from mentormatch.synth import MENTORING_EFFECT
    >>> r = did(mm.synthesize_district(seed=1), truth=MENTORING_EFFECT)
    >>> r.ci_low < r.estimate < r.ci_high
    True
    >>> 2 < r.estimate < 6
    True
    """
    require(d, "did")
    panel = outcome_panel(d, outcome)
    result, used = _twfe(panel, panel[["treated"]])
    low, high = result.conf_int(alpha=0.05).loc["treated"]
    treated_ids = used.loc[used["treated"], "secretary_id"].unique()
    return DiDResult(
        estimate=float(result.params["treated"]),
        se=float(result.bse["treated"]),
        ci_low=float(low),
        ci_high=float(high),
        p_value=float(result.pvalues["treated"]),
        n_obs=len(used),
        n_secretaries=used["secretary_id"].nunique(),
        n_treated=len(treated_ids),
        truth=truth,
        outcome=outcome,
        synthetic=d.synthetic,
    )


@dataclass(frozen=True, eq=False)
class EventStudy:
    """Effect by year relative to the start of mentoring.

    Attributes
    ----------
    table : DataFrame
        One row per relative year: ``event_time``, ``label`` (``"<=-4"`` for a binned
        end), ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``n_obs`` (treated
        observations at that relative year) and ``truth`` (when known). The reference
        year (-1) has estimate 0 and no interval.
    pretrend_p : float
        p-value of the joint test that all leads (years before the start) are 0.
    att : DiDResult
        The pooled estimate, for reference lines.
    truth : float or None
    synthetic : bool
    """

    table: pd.DataFrame
    pretrend_p: float
    att: DiDResult
    truth: float | None = None
    synthetic: bool = False

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        t = self.table
        lags = t[t["event_time"] >= 0]
        return (
            f"event study: leads jointly 0 (parallel trends) p = {self.pretrend_p:.2f}; "
            f"effects from the start year on: "
            + ", ".join(f"{r.label}: {r.estimate:+.1f}" for r in lags.itertuples())
        )


def event_study(
    d: District,
    *,
    window: tuple[int, int] = EVENT_WINDOW,
    outcome: str = "overall",
    truth: float | None = None,
) -> EventStudy:
    """Event-time (dynamic) difference-in-differences, with clustered 95% intervals.

    Parameters
    ----------
    d : District
    window : (int, int)
        First and last relative year shown; earlier and later years are binned into
        the ends. The first must be below -1, the last at least 0.
    outcome, truth
        As for :func:`did`.

    Returns
    -------
    EventStudy

    Examples
    --------
    >>> import mentormatch as mm
    >>> es = event_study(mm.synthesize_district(seed=1))
    >>> es.table.set_index("event_time").loc[-1, "estimate"]
    np.float64(0.0)
    """
    require(d, "did")
    first, last = window
    if not first < -1 <= last - 1:
        raise DataError(f"window must run from below -1 to 0 or later, got {window}")
    panel = outcome_panel(d, outcome)
    rel = panel["event_time"].clip(first, last)
    years = [k for k in range(first, last + 1) if k != -1]
    dummies = pd.DataFrame(
        {f"rel_{k}": (rel == k).to_numpy(dtype=float) for k in years}, index=panel.index
    )
    # Relative years nobody reaches cannot be estimated: leave them out.
    dummies = dummies.loc[:, dummies.sum() > 0]
    result, used = _twfe(panel, dummies)
    att = did(d, outcome=outcome, truth=truth)
    ci = result.conf_int(alpha=0.05)
    rows = []
    used_rel = used["event_time"].clip(first, last)
    for k in range(first, last + 1):
        name = f"rel_{k}"
        label = f"<={k}" if k == first else (f">={k}" if k == last else str(k))
        n_obs = int((used_rel == k).sum())
        if k == -1:
            rows.append((k, label, 0.0, np.nan, np.nan, np.nan, n_obs))
        elif name in result.params.index:
            rows.append(
                (
                    k,
                    label,
                    float(result.params[name]),
                    float(result.bse[name]),
                    float(ci.loc[name, 0]),
                    float(ci.loc[name, 1]),
                    n_obs,
                )
            )
    table = pd.DataFrame(
        rows, columns=["event_time", "label", "estimate", "se", "ci_low", "ci_high", "n_obs"]
    )
    if truth is not None:
        table["truth"] = np.where(table["event_time"] >= 0, truth, 0.0)
    leads = [f"rel_{k}" for k in years if k < -1 and f"rel_{k}" in result.params.index]
    pretrend = np.nan
    if leads:
        restriction = np.zeros((len(leads), len(result.params)))
        for r, name in enumerate(leads):
            restriction[r, result.params.index.get_loc(name)] = 1.0
        pretrend = float(result.f_test(restriction).pvalue)
    return EventStudy(table=table, pretrend_p=pretrend, att=att, truth=truth, synthetic=d.synthetic)


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
