"""The capacity index as a panel with treatment timing (:func:`outcome_panel`), and the
two-way fixed-effects regression with clustered errors every estimate here rests on."""

from __future__ import annotations

import pandas as pd
import statsmodels.api as sm

from mentormatch.assess import capacity_index
from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.evaluate.needs import require
from mentormatch.vocab import DIMENSIONS


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
