"""Terms of the salon groups: what a plan balances on, and how categories are named.

The cohorts and the facilitator flag are vocabularies of :mod:`mentormatch.vocab`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.vocab import (
    COHORT_YEAR,
    COHORTS,
    COMMUNITY_TYPES,
    EDUCATION,
    FACILITATOR_TERMS,
    GENDERS,
    STREET_TOWNS,
    Vocabulary,
)

__all__ = [
    "COHORT_YEAR",
    "COHORTS",
    "FACILITATOR_TERMS",
    "BALANCE_VARIABLES",
    "BALANCE",
    "FACILITATOR_QUANTILE",
    "LEFT_THE_POST",
    "variable_values",
]

#: Variables a plan can balance on: name -> (vocabulary, Chinese, English label).
BALANCE_VARIABLES: dict[str, tuple[Vocabulary, str, str]] = {
    "street_town": (STREET_TOWNS, "街镇", "Sub-district/town"),
    "community_type": (COMMUNITY_TYPES, "小区类型", "Community type"),
    "cohort": (COHORTS, "出生年代", "Cohort"),
    "gender": (GENDERS, "性别", "Gender"),
    "education": (EDUCATION, "学历", "Education"),
    "facilitator": (FACILITATOR_TERMS, "主持人", "Facilitator"),
}
#: The default balance variables (facilitators are always balanced too).
BALANCE = ("street_town", "community_type", "cohort")
#: Facilitators: at least this quantile of the capacity index among those assessed.
FACILITATOR_QUANTILE = 0.75
#: The reason given for a secretary without a group.
LEFT_THE_POST = "left the post"


def variable_values(post: pd.DataFrame, name: str) -> np.ndarray:
    """The codes of balance variable ``name`` for each secretary (None when missing).

    >>> import pandas as pd
    >>> variable_values(pd.DataFrame({"birth_year": [1979, 1980]}), "cohort").tolist()
    ['born_before_1980', 'born_1980_or_later']
    """
    if name == "cohort":
        born = post["birth_year"].to_numpy(dtype=float, na_value=np.nan)
        cohort = np.where(born >= COHORT_YEAR, "born_1980_or_later", "born_before_1980")
        return np.where(np.isnan(born), None, cohort.astype(object))
    return post[name].astype(object).where(post[name].notna(), None).to_numpy()
