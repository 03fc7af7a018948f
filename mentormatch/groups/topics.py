"""The salon's topic plan: one common problem a month for all groups (一午一时).

The seed article says the salon takes "one common problem" each session, fed by what
inspection finds (教、查并举). The plan draws on two lists:

* **challenges**, ranked by the share of secretaries in post who name them (most
  first); a challenge enters the list when at least ``min_share`` of them name it;
* **capacity-index dimensions** (组织力评估), ranked by the mean score of the
  secretaries in post at their latest assessed wave (weakest first).

The two lists are merged in a fixed rhythm: every ``dimension_every``-th place (by
default months 3, 6, 9, 12) is the next dimension, the others the next challenge;
when one list runs out, the other fills the remaining places. Month ``m`` takes place
``m`` of the merged list; when the months outnumber the list, it starts again from
the top (round 2), so no topic repeats before every topic has had its month.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from mentormatch.assess import capacity_index
from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.vocab import CHALLENGES, DIMENSIONS

__all__ = ["topic_plan", "MIN_SHARE", "DIMENSION_EVERY", "MONTHS", "TOPIC_COLUMNS"]

#: A challenge is a candidate topic when at least this share of secretaries name it.
MIN_SHARE = 0.10
#: Every this-many-th month takes a dimension of the capacity index.
DIMENSION_EVERY = 3
#: Months in a plan (one salon a month for a year).
MONTHS = 12
TOPIC_COLUMNS = [
    "month",
    "round",
    "topic",
    "kind",
    "label_zh",
    "label_en",
    "share",
    "n_naming",
    "mean_score",
    "rank",
    "why_en",
    "why_zh",
]


def topic_plan(
    d: District,
    months: int = MONTHS,
    *,
    min_share: float = MIN_SHARE,
    dimension_every: int | None = DIMENSION_EVERY,
) -> pd.DataFrame:
    """A monthly topic plan for the salon: one common problem per month.

    Parameters
    ----------
    d : District
    months : int
        Length of the plan (>= 1).
    min_share : float
        Challenges named by fewer secretaries in post than this share are left out
        (the most frequent challenge is always kept).
    dimension_every : int or None
        Every this-many-th month takes a capacity-index dimension (``None`` or 0:
        challenges only; 1: dimensions first, then challenges).

    Returns
    -------
    DataFrame
        One row per month (see :data:`TOPIC_COLUMNS`): ``month`` (1, 2, ...),
        ``round`` (1 until the list is used up, then 2, ...), ``topic`` (the code),
        ``kind`` ("challenge" or "dimension"), labels, ``share`` and ``n_naming``
        (challenges: the share and number of secretaries in post naming it),
        ``mean_score`` (dimensions: the mean at the latest assessed wave), ``rank``
        within its kind, and why it was chosen in English and Chinese.

    Raises
    ------
    DataError
        Bad arguments, or nothing to discuss (no challenge named, no assessment).

    Examples
    --------
    >>> import mentormatch as mm
    >>> plan = topic_plan(mm.synthesize_district(seed=1))
    >>> len(plan), plan["topic"].is_unique
    (12, True)
    >>> plan["kind"].tolist()[:3]
    ['challenge', 'challenge', 'dimension']
    """
    if isinstance(months, bool) or not isinstance(months, numbers.Integral) or months < 1:
        raise DataError(f"the plan needs a whole number of months >= 1, got {months!r}")
    try:
        min_share = float(min_share)
    except (TypeError, ValueError):
        min_share = float("nan")
    if not 0 <= min_share <= 1:
        raise DataError(f"min_share must be a share between 0 and 1, got {min_share!r}")
    every = 0 if dimension_every is None else dimension_every
    if isinstance(every, bool) or not isinstance(every, numbers.Integral) or every < 0:
        raise DataError(f"dimension_every must be a whole number >= 0, got {dimension_every!r}")
    challenges = _challenges(d, min_share)
    dimensions = _dimensions(d) if every else []
    merged = _merge(challenges, dimensions, int(every))
    if not merged:
        raise DataError(
            "no topic to plan: no secretary in post names a challenge and there are no "
            "assessments to find weak dimensions"
        )
    rows = []
    for month in range(1, int(months) + 1):
        place, done = (month - 1) % len(merged), (month - 1) // len(merged)
        rows.append({"month": month, "round": done + 1, **merged[place]})
    out = pd.DataFrame(rows, columns=TOPIC_COLUMNS)
    return out.astype(
        {
            "month": "int64",
            "round": "int64",
            "topic": "str",
            "kind": "str",
            "label_zh": "str",
            "label_en": "str",
            "share": "float64",
            "n_naming": "Int64",
            "mean_score": "float64",
            "rank": "int64",
            "why_en": "str",
            "why_zh": "str",
        }
    )


def _challenges(d: District, min_share: float) -> list[dict]:
    post = d.in_post
    n = len(post)
    counts = dict.fromkeys(CHALLENGES.codes, 0)
    for named in post["challenges"]:
        for code in set(named):
            if code in counts:
                counts[code] += 1
    ranked = sorted(
        (c for c in CHALLENGES.codes if counts[c] > 0),
        key=lambda c: (-counts[c], CHALLENGES.codes.index(c)),
    )
    kept = [c for c in ranked if counts[c] >= min_share * n] or ranked[:1]
    out = []
    for rank, code in enumerate(kept, start=1):
        term = CHALLENGES[code]
        share = counts[code] / n
        out.append(
            {
                "topic": code,
                "kind": "challenge",
                "label_zh": term.zh,
                "label_en": term.en,
                "share": share,
                "n_naming": counts[code],
                "mean_score": np.nan,
                "rank": rank,
                "why_en": (
                    f"named by {share:.0%} of secretaries in post ({counts[code]} of {n}); "
                    f"challenge {rank} of {len(kept)} by frequency"
                ),
                "why_zh": (
                    f"{counts[code]}/{n}名在岗书记提出（{share:.0%}），"
                    f"出现频次第{rank}位（共{len(kept)}项）"
                ),
            }
        )
    return out


def _dimensions(d: District) -> list[dict]:
    ci = capacity_index(d)
    post = set(d.in_post["secretary_id"])
    ci = ci[ci["secretary_id"].isin(post)]
    if ci.empty:
        return []
    latest = ci.sort_values(["secretary_id", "wave"]).groupby("secretary_id").tail(1)
    means = latest[list(DIMENSIONS.codes)].mean()
    ranked = sorted(
        (c for c in DIMENSIONS.codes if np.isfinite(means[c])),
        key=lambda c: (means[c], DIMENSIONS.codes.index(c)),
    )
    out = []
    for rank, code in enumerate(ranked, start=1):
        term = DIMENSIONS[code]
        out.append(
            {
                "topic": code,
                "kind": "dimension",
                "label_zh": term.zh,
                "label_en": term.en,
                "share": np.nan,
                "n_naming": pd.NA,
                "mean_score": float(means[code]),
                "rank": rank,
                "why_en": (
                    f"mean score {means[code]:.1f} at the latest assessment "
                    f"({len(latest)} secretaries); weakest dimension {rank} of {len(ranked)}"
                ),
                "why_zh": (
                    f"最新一轮组织力评估均分{means[code]:.1f}（{len(latest)}名书记），"
                    f"{len(ranked)}个维度中第{rank}弱"
                ),
            }
        )
    return out


def _merge(challenges: list[dict], dimensions: list[dict], every: int) -> list[dict]:
    """Every ``every``-th place a dimension, the others challenges; then the rest."""
    out: list[dict] = []
    ch, dim = iter(challenges), iter(dimensions)
    left_ch, left_dim = len(challenges), len(dimensions)
    while left_ch or left_dim:
        want_dim = every > 0 and (len(out) + 1) % every == 0
        if (want_dim and left_dim) or not left_ch:
            out.append(next(dim))
            left_dim -= 1
        else:
            out.append(next(ch))
            left_ch -= 1
    return out
