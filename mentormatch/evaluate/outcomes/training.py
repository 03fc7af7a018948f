"""Did the electives help? The effect of a bimonthly elective (双月选训) on the dimension
it trained, estimated from the training log.

For each secretary *i*, capacity-index dimension *d* and wave *t* with a score at *t*
and at *t + 1*, the outcome is the change ``y[i, d, t + 1] - y[i, d, t]``; the dose is
the number of electives on *d* that *i* attended in year *t* (by the ``training_log``
and the sessions' months). The model::

    change_idt = a_dt + effect * dose_idt + b * starts_mentoring_it + e_idt

compares, within each dimension and year (the fixed effects ``a_dt``), the change of
those who attended with that of comparable secretaries who did not; a secretary whose
mentoring starts at wave *t + 1* gains from mentoring in that change, so that start is
held fixed too (``starts_mentoring``). Standard errors are clustered by secretary (one
secretary's four dimensions and several years are not independent), with a t
distribution on G - 1 degrees of freedom. Training is chosen by need, and needy
secretaries score lower: levels would mislead, changes do not, as long as need does
not also predict the next year's change (true in the synthetic model, where an
elective adds :data:`~mentormatch.synth.assumptions.TRAINING_EFFECT` points from the
next wave on and nothing else differs). Attendance in the year being planned has no
next wave yet and is not used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from mentormatch.assess import capacity_index
from mentormatch.district import District
from mentormatch.evaluate.needs import require
from mentormatch.vocab import DIMENSIONS

__all__ = ["training_changes", "training_effect", "TrainingEffect"]


def training_changes(d: District) -> pd.DataFrame:
    """One row per secretary, dimension and wave with a score then and at the next
    wave: ``secretary_id``, ``dimension``, ``wave``, ``change`` (points), ``dose``
    (electives on the dimension attended in the year of ``wave``), ``attended`` and
    ``starts_mentoring`` (mentored from the next wave on).

    >>> import mentormatch as mm
    >>> c = training_changes(mm.synthesize_district(seed=1))
    >>> sorted(c["dimension"].unique()) == sorted(mm.vocab.DIMENSIONS.codes)
    True
    """
    require(d, "training")
    ci = capacity_index(d)
    long = ci.melt(
        id_vars=["secretary_id", "wave"],
        value_vars=list(DIMENSIONS.codes),
        var_name="dimension",
        value_name="score",
    ).dropna(subset=["score"])
    later = long.assign(wave=long["wave"] - 1).rename(columns={"score": "next"})
    pairs = long.merge(later, on=["secretary_id", "dimension", "wave"])
    pairs["change"] = pairs["next"] - pairs["score"]
    dose = _doses(d)
    pairs = pairs.merge(dose, on=["secretary_id", "dimension", "wave"], how="left")
    pairs["dose"] = pairs["dose"].fillna(0).astype(np.int64)
    pairs["attended"] = pairs["dose"] > 0
    since = d.secretaries.set_index("secretary_id")["mentored_since"].astype("Float64")
    start = pairs["secretary_id"].map(since).astype(float)
    pairs["starts_mentoring"] = (start == pairs["wave"] + 1).to_numpy()
    order = ["secretary_id", "dimension", "wave"]
    columns = [*order, "change", "dose", "attended", "starts_mentoring"]
    return pairs[columns].sort_values(order, kind="stable").reset_index(drop=True)


def _doses(d: District) -> pd.DataFrame:
    s = d.sessions
    on_dim = s[(s["format"] == "elective") & s["topic"].isin(DIMENSIONS.codes)]
    rows = d.training_log.merge(on_dim[["session_id", "topic", "month"]], on="session_id")
    rows = rows.assign(wave=rows["month"].str[:4].astype(int), dimension=rows["topic"])
    return rows.groupby(["secretary_id", "dimension", "wave"]).size().rename("dose").reset_index()


@dataclass(frozen=True, eq=False)
class TrainingEffect:
    """The estimated effect of one elective on the dimension it trained.

    Attributes
    ----------
    estimate, se, ci_low, ci_high, p_value : float
        Points of the capacity-index dimension per elective, its clustered standard
        error, 95% interval and p-value.
    n_obs : int
        Secretary-dimension-years with a change.
    n_attended : int
        Of those, the ones with an elective on the dimension that year.
    n_secretaries : int
    by_dimension : DataFrame
        The same model per dimension: ``dimension``, ``estimate``, ``ci_low``,
        ``ci_high``, ``n_attended``.
    truth : float or None
        The true effect (synthetic data).
    synthetic : bool
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n_obs: int
    n_attended: int
    n_secretaries: int
    by_dimension: pd.DataFrame
    truth: float | None = None
    synthetic: bool = False

    @property
    def covers_truth(self) -> bool | None:
        """Whether the 95% interval holds the true effect (None when it is unknown)."""
        if self.truth is None:
            return None
        return bool(self.ci_low <= self.truth <= self.ci_high)

    def summary(self, lang: str = "en") -> str:
        """One sentence for a reader."""
        if lang == "zh":
            line = (
                f"参加一次针对某维度的双月选训，该维度下一年度得分变化 {self.estimate:+.2f} 分"
                f"（95% 置信区间 {self.ci_low:+.2f} 至 {self.ci_high:+.2f}；"
                f"{self.n_attended} 人次参训，对照为同年同维度未参训的书记，共 "
                f"{self.n_secretaries} 名书记）"
            )
            if self.truth is not None:
                where = "在区间内" if self.covers_truth else "不在区间内"
                line += f"；合成数据的真实效应为 {self.truth:+.2f} 分，{where}"
            return line + "。"
        line = (
            f"one elective on a dimension changes that dimension by {self.estimate:+.2f} "
            f"points by the next wave (95% CI [{self.ci_low:+.2f}, {self.ci_high:+.2f}]; "
            f"{self.n_attended} attendances against secretaries of the same year and "
            f"dimension who did not attend, {self.n_secretaries} secretaries)"
        )
        if self.truth is not None:
            where = "inside" if self.covers_truth else "outside"
            line += f"; true effect {self.truth:+.2f}, {where} the interval"
        return line


def training_effect(d: District, *, truth: float | None = None) -> TrainingEffect:
    """Estimate the effect of an elective on the dimension it trained (see the module).

    Parameters
    ----------
    d : District
        With assessments, sessions (electives on dimensions) and a training log.
    truth : float, optional
        The true effect, to show beside the estimate (synthetic data:
        :data:`mentormatch.synth.assumptions.TRAINING_EFFECT`).

    Returns
    -------
    TrainingEffect

    Examples
    --------
    >>> import mentormatch as mm
    >>> from mentormatch.synth.assumptions import TRAINING_EFFECT
    >>> r = training_effect(mm.synthesize_district(seed=1), truth=TRAINING_EFFECT)
    >>> r.ci_low < r.estimate < r.ci_high and r.covers_truth
    True
    """
    changes = training_changes(d)
    fit = _fit(changes)
    low, high = fit.conf_int(alpha=0.05).loc["dose"]
    rows = []
    for dim in DIMENSIONS.codes:
        part = changes[changes["dimension"] == dim]
        if part["attended"].any() and (~part["attended"]).any():
            one = _fit(part)
            lo, hi = one.conf_int(alpha=0.05).loc["dose"]
            rows.append((dim, float(one.params["dose"]), float(lo), float(hi)))
        else:
            rows.append((dim, np.nan, np.nan, np.nan))
        rows[-1] += (int(part["attended"].sum()),)
    by_dim = pd.DataFrame(
        rows, columns=["dimension", "estimate", "ci_low", "ci_high", "n_attended"]
    )
    return TrainingEffect(
        estimate=float(fit.params["dose"]),
        se=float(fit.bse["dose"]),
        ci_low=float(low),
        ci_high=float(high),
        p_value=float(fit.pvalues["dose"]),
        n_obs=len(changes),
        n_attended=int(changes["attended"].sum()),
        n_secretaries=changes["secretary_id"].nunique(),
        by_dimension=by_dim,
        truth=truth,
        synthetic=d.synthetic,
    )


def _fit(changes: pd.DataFrame):
    """OLS of the change on the dose and the start of mentoring, within dimension-year
    cells (demeaned: Frisch-Waugh-Lovell), errors clustered by secretary."""
    cell = changes["dimension"] + ":" + changes["wave"].astype(str)
    frame = changes[["change", "dose", "starts_mentoring"]].astype(float)
    within = frame - frame.groupby(cell.to_numpy()).transform("mean")
    x = ["dose"] + (["starts_mentoring"] if within["starts_mentoring"].abs().sum() > 0 else [])
    groups = pd.factorize(changes["secretary_id"])[0]
    model = sm.OLS(within["change"], within[x])
    return model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
