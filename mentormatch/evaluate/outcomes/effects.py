"""The effect of mentoring: :func:`did` (two-way fixed effects, one pooled estimate) and
:func:`event_study` (the effect by year relative to the start, and the test of
parallel trends)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.evaluate.needs import require
from mentormatch.evaluate.outcomes.panel import _twfe, outcome_panel

#: Relative years shown by :func:`event_study` (the ends collect everything beyond).
EVENT_WINDOW = (-4, 4)


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
    >>> float(es.table.set_index("event_time").loc[-1, "estimate"])
    0.0
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
