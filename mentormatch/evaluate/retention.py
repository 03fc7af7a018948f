"""Do secretaries stay? Retention curves, promotions and recruitment as civil servants.

:func:`retention`
    Kaplan-Meier curves of staying in the post, by cohort (born 1980 or later, or
    earlier). Time is whole years since ``appointed_year``; a departure (career events
    ``left`` and ``civil_servant``) ends it, in its year; a secretary still in post is
    censored at ``censor_year``. Departures are only recorded from ``observed_from``
    (the programme's start, 2018): someone appointed earlier is in the data only
    because they were still in post then, so they join the risk set at that point
    (delayed entry, left truncation). Without it the curves would leave out everyone
    who left before 2018 and look better than they are.
:func:`kaplan_meier`
    The estimator itself, with delayed entry, Greenwood standard errors and log-log
    95% intervals.
:func:`rare_events`
    Promotions and recruitment as civil servants: few events, so counts with exact
    (Clopper-Pearson) intervals for the share of secretaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from mentormatch.district import DEPARTURE_EVENTS, District
from mentormatch.evaluate.needs import require

__all__ = [
    "kaplan_meier",
    "retention",
    "Retention",
    "rare_events",
    "RareEvents",
    "clopper_pearson",
    "PROGRAMME_START",
    "COHORTS",
]

#: Year the mentoring programme began; departures are recorded from then on.
PROGRAMME_START = 2018
#: Cohort codes with Chinese and English labels (split at birth year 1980).
COHORTS = {
    "born_1980_or_later": ("80后、90后", "born 1980 or later"),
    "born_before_1980": ("1980年前出生", "born before 1980"),
}
_RARE_EVENTS = ("promoted", "civil_servant")


def kaplan_meier(
    time: np.ndarray,
    event: np.ndarray,
    entry: np.ndarray | None = None,
    *,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Kaplan-Meier estimate of the survival function, with Greenwood intervals.

    A subject is at risk at time ``t`` when ``entry < t <= time``; at each event time
    ``S(t) = S(t-) * (1 - d / n)`` with ``d`` events among ``n`` at risk. The
    standard error is Greenwood's, ``S * sqrt(sum d / (n (n - d)))``; the interval is
    computed on ``log(-log S)`` and transformed back, so it stays within [0, 1].

    Parameters
    ----------
    time : array of float
        Time of the event or of censoring.
    event : array of bool
        True for an event, False for censoring.
    entry : array of float, optional
        Time each subject enters the risk set (default: before any time).
    alpha : float
        1 - confidence level.

    Returns
    -------
    DataFrame
        One row per distinct event time: ``time``, ``at_risk``, ``events``,
        ``survival``, ``se``, ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> km = kaplan_meier(np.array([1, 2, 2, 3, 4]), np.array([1, 1, 0, 1, 0]))
    >>> km[["time", "at_risk", "events", "survival"]].round(3).values.tolist()
    [[1.0, 5.0, 1.0, 0.8], [2.0, 4.0, 1.0, 0.6], [3.0, 2.0, 1.0, 0.3]]
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    entry = np.full(len(time), -np.inf) if entry is None else np.asarray(entry, dtype=float)
    if not (len(time) == len(event) == len(entry)):
        raise ValueError("time, event and entry must have the same length")
    if (entry >= time).any():
        raise ValueError("every subject must enter before its event or censoring time")
    times = np.unique(time[event])
    # Counted with sorted arrays: at risk = entered before t, minus those gone before t.
    entered = np.searchsorted(np.sort(entry), times, side="left")
    gone = np.searchsorted(np.sort(time), times, side="left")
    at_risk = (entered - gone).astype(float)
    events = np.array([np.sum(event & (time == t)) for t in times], dtype=float)
    survival = np.cumprod(1.0 - events / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(events / (at_risk * (at_risk - events)))
        se = survival * np.sqrt(greenwood)
        z = stats.norm.ppf(1 - alpha / 2)
        log_s = np.log(survival)
        spread = z * np.sqrt(greenwood) / np.abs(log_s)
        low = survival ** np.exp(spread)
        high = survival ** np.exp(-spread)
    # S = 1 (no event yet) or S = 0 (everyone gone): the interval is the point itself.
    edge = (survival >= 1.0) | (survival <= 0.0)
    low = np.where(edge, survival, low)
    high = np.where(edge, survival, high)
    return pd.DataFrame(
        {
            "time": times,
            "at_risk": at_risk,
            "events": events,
            "survival": survival,
            "se": se,
            "ci_low": low,
            "ci_high": high,
        }
    )


def survival_at(curve: pd.DataFrame, t: float) -> pd.Series:
    """Survival, its interval and the number at risk at time ``t`` (a step function).

    >>> km = kaplan_meier(np.array([1, 2, 3]), np.array([1, 1, 1]))
    >>> round(float(survival_at(km, 2.5)["survival"]), 4)
    0.3333
    """
    before = curve[curve["time"] <= t]
    if before.empty:
        return pd.Series({"survival": 1.0, "ci_low": 1.0, "ci_high": 1.0})
    return before.iloc[-1][["survival", "ci_low", "ci_high"]].astype(float)


@dataclass(frozen=True, eq=False)
class Retention:
    """Kaplan-Meier retention curves by cohort.

    Attributes
    ----------
    curves : DataFrame
        :func:`kaplan_meier` output with a ``group`` column (codes of :data:`COHORTS`).
    people : DataFrame
        One row per secretary used: ``secretary_id``, ``group``, ``time`` (years in
        post), ``left`` (True if the time ends in a departure), ``entry``.
    logrank_p : float
        p-value of the log-rank test of equal curves (delayed entry respected).
    censor_year, observed_from : int
    dropped : int
        Secretaries who left before ``observed_from`` (outside the observed window).
    synthetic : bool
    """

    curves: pd.DataFrame
    people: pd.DataFrame = field(repr=False)
    logrank_p: float
    censor_year: int
    observed_from: int
    dropped: int = 0
    synthetic: bool = False

    def to_frame(self) -> pd.DataFrame:
        return self.curves.copy()

    def table(self, years: tuple[int, ...] = (3, 5, 10)) -> pd.DataFrame:
        """Share still in post after each of ``years``, with 95% intervals, by group."""
        rows = []
        for group, curve in self.curves.groupby("group", sort=False):
            people = self.people[self.people["group"] == group]
            for t in years:
                at = survival_at(curve, t)
                rows.append(
                    {
                        "group": group,
                        "years_in_post": t,
                        "still_in_post": at["survival"],
                        "ci_low": at["ci_low"],
                        "ci_high": at["ci_high"],
                        "at_risk": int(((people["entry"] < t) & (people["time"] >= t)).sum()),
                    }
                )
        return pd.DataFrame(rows)

    def summary(self) -> str:
        counts = self.people.groupby("group", sort=False)["left"].agg(["size", "sum"])
        parts = [
            f"{COHORTS[g][1]}: {int(r['sum'])} departures among {int(r['size'])}"
            for g, r in counts.iterrows()
        ]
        test = (
            f"log-rank p = {self.logrank_p:.3f}"
            if np.isfinite(self.logrank_p)
            else "log-rank test undefined (too few departures to compare the cohorts)"
        )
        return (
            f"retention (years in post, departures from {self.observed_from}, censored "
            f"{self.censor_year}): " + "; ".join(parts) + f"; {test}"
        )


def retention(
    d: District,
    *,
    censor_year: int | None = None,
    observed_from: int = PROGRAMME_START,
    split_year: int = 1980,
) -> Retention:
    """Kaplan-Meier curves of staying in the post, born ``split_year`` or later vs earlier.

    Parameters
    ----------
    d : District
    censor_year : int, optional
        Year at which secretaries still in post are censored. Default: the latest year
        the data mention (appointments, career events, assessment waves).
    observed_from : int
        First year in which departures are recorded (see the module docstring).
    split_year : int
        Cohort boundary (birth year).

    Returns
    -------
    Retention

    Examples
    --------
    >>> import mentormatch as mm
    >>> r = retention(mm.synthesize_district(seed=1))
    >>> sorted(r.curves["group"].unique())
    ['born_1980_or_later', 'born_before_1980']
    >>> bool(r.curves.groupby("group")["survival"].apply(lambda s: s.is_monotonic_decreasing).all())
    True
    """
    require(d, "retention")
    s = d.secretaries
    career = d.career
    departures = career[career["event"].isin(DEPARTURE_EVENTS)]
    left_year = departures.groupby("secretary_id")["year"].min()
    if censor_year is None:
        years = [s["appointed_year"].max(), career["year"].max()]
        if len(d.assessments):
            years.append(d.assessments["wave"].max())
        censor_year = int(max(years))
    end = s["secretary_id"].map(left_year)
    left = end.notna().to_numpy()
    end_year = end.fillna(censor_year).to_numpy(dtype=float)
    appointed = s["appointed_year"].to_numpy(dtype=float)
    # Whole years; half a year before the first observed year, so a departure in the
    # year observation starts (or in the year of appointment) counts.
    entry = np.maximum(observed_from - appointed, 0.0) - 0.5
    time = end_year - appointed
    inside = time > entry
    people = pd.DataFrame(
        {
            "secretary_id": s["secretary_id"].to_numpy(),
            "group": np.where(
                s["birth_year"].to_numpy() >= split_year,
                "born_1980_or_later",
                "born_before_1980",
            ),
            "time": time,
            "left": left,
            "entry": entry,
        }
    )[inside].reset_index(drop=True)
    people["secretary_id"] = people["secretary_id"].astype("str")
    curves = []
    for group in COHORTS:
        part = people[people["group"] == group]
        if part.empty:
            continue
        curve = kaplan_meier(part["time"], part["left"], part["entry"])
        curve.insert(0, "group", group)
        curves.append(curve)
    return Retention(
        curves=pd.concat(curves, ignore_index=True),
        people=people,
        logrank_p=_logrank(people),
        censor_year=censor_year,
        observed_from=observed_from,
        dropped=int((~inside).sum()),
        synthetic=d.synthetic,
    )


def _logrank(people: pd.DataFrame) -> float:
    if people["group"].nunique() < 2 or not people["left"].any():
        return np.nan
    from statsmodels.duration.survfunc import survdiff

    try:
        _, p = survdiff(
            people["time"].to_numpy(),
            people["left"].to_numpy(dtype=float),
            people["group"].to_numpy(),
            entry=people["entry"].to_numpy(),
        )
    except np.linalg.LinAlgError:
        # No variance to test against (e.g. every departure at a time when only one
        # cohort is at risk): the log-rank test is undefined, not significant.
        return np.nan
    return float(p)


# --- Rare events ----------------------------------------------------------------------------


def clopper_pearson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for a binomial proportion ``k / n``.

    >>> [round(v, 4) for v in clopper_pearson(0, 10)]
    [0.0, 0.3085]
    """
    if n <= 0:
        return (np.nan, np.nan)
    low = 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(stats.beta.ppf(1 - alpha / 2, k + 1, n - k))
    return low, high


@dataclass(frozen=True, eq=False)
class RareEvents:
    """Counts of promotions and recruitment as civil servants, with exact intervals.

    Attributes
    ----------
    table : DataFrame
        One row per event and group: ``event``, ``group``, ``count`` (secretaries with
        the event), ``n`` (secretaries in the group), ``share``, ``ci_low``,
        ``ci_high`` (Clopper-Pearson 95%).
    synthetic : bool
    """

    table: pd.DataFrame
    synthetic: bool = False

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        rows = self.table[self.table["group"] == "all"]
        return "; ".join(
            f"{r.event}: {r.count} of {r.n} ({r.share:.1%}, 95% CI {r.ci_low:.1%}-{r.ci_high:.1%})"
            for r in rows.itertuples()
        )


#: Groups of :func:`rare_events`, with Chinese and English labels.
GROUPS = {
    "all": ("全部书记", "all secretaries"),
    "mentored": ("曾接受带教", "mentored"),
    "not_mentored": ("未接受带教", "not mentored"),
    **COHORTS,
}


def rare_events(d: District, *, alpha: float = 0.05, split_year: int = 1980) -> RareEvents:
    """Promotions and recruitment as civil servants, by group, with exact intervals.

    The denominator is every secretary in the data (in post, or departed since the
    programme began), in the group; a secretary counts once per event type. Shares
    are of people, not of person-years: groups with longer follow-up have had more
    time for an event, so compare groups with care (mentored secretaries are younger
    and newer in post).

    Examples
    --------
    >>> import mentormatch as mm
    >>> t = rare_events(mm.synthesize_district(seed=2018)).table
    >>> t.loc[t["group"] == "all", ["event", "count"]].values.tolist()
    [['promoted', 6], ['civil_servant', 4]]
    """
    require(d, "rare_events")
    s = d.secretaries
    groups = {
        "all": np.ones(len(s), dtype=bool),
        "mentored": s["mentored_since"].notna().to_numpy(),
        "not_mentored": s["mentored_since"].isna().to_numpy(),
        "born_1980_or_later": (s["birth_year"] >= split_year).to_numpy(),
        "born_before_1980": (s["birth_year"] < split_year).to_numpy(),
    }
    rows = []
    for event in _RARE_EVENTS:
        had = s["secretary_id"].isin(d.career.loc[d.career["event"] == event, "secretary_id"])
        for group, member in groups.items():
            n = int(member.sum())
            k = int(had.to_numpy()[member].sum())
            low, high = clopper_pearson(k, n, alpha)
            rows.append(
                {
                    "event": event,
                    "group": group,
                    "count": k,
                    "n": n,
                    "share": k / n if n else np.nan,
                    "ci_low": low,
                    "ci_high": high,
                }
            )
    table = pd.DataFrame(rows).astype({"event": "str", "group": "str"})
    return RareEvents(table=table, synthetic=d.synthetic)
