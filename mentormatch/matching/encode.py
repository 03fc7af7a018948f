"""A District as the solver's input: pair scores and rule tables for its mentees."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.errors import DataError, InfeasibleError
from mentormatch.matching.result import DISTANCE_RULES
from mentormatch.matching.rules import constraint_pairs
from mentormatch.scoring import score_pairs


def _inputs(
    d: District, weights: dict, distance: str | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list, list]:
    """Score and rule tables for the mentees of ``d``."""
    scores = score_pairs(d, weights)
    total = scores.pivot(index="secretary_id", columns="mentor_id", values="total")
    view = scores.pivot(index="secretary_id", columns="mentor_id", values="mentor_view")
    order_s = d.mentees["secretary_id"].tolist()
    order_m = d.mentors["mentor_id"].tolist()
    total = total.reindex(index=order_s, columns=order_m)
    view = view.reindex(index=order_s, columns=order_m)
    if distance is not None:
        if distance not in DISTANCE_RULES:
            raise DataError(f"distance must be one of {list(DISTANCE_RULES)}, got {distance!r}")
        near = scores.pivot(index="secretary_id", columns="mentor_id", values="proximity")
        near = near.reindex(index=order_s, columns=order_m)
        total = total.where(near >= DISTANCE_RULES[distance])
        view = view.where(near >= DISTANCE_RULES[distance])
    forbidden, required = constraint_pairs(d, order_s)
    _check_keep_allowed(total, forbidden, required)
    return scores, total, view, forbidden, required


def _check_keep_allowed(total: pd.DataFrame, forbidden: list, required: list) -> None:
    """A pair to keep that the distance rule (or a forbid rule) excludes can be in no
    plan: say so in the planner's words, whatever the objective or base method."""
    banned = set(forbidden)
    outside = [
        (sid, mid)
        for sid, mid in required
        if (sid, mid) in banned or not np.isfinite(total.at[sid, mid])
    ]
    if outside:
        raise keep_refused(outside)


def keep_refused(outside: list) -> InfeasibleError:
    """The error for pairs to keep that no plan may use, in the planner's words (for a
    District's plan and a Region's alike)."""
    shown = ", ".join(f"{sid} with {mid}" for sid, mid in outside[:8])
    return InfeasibleError(
        [
            f"{len(outside)} pair(s) to keep are not allowed (outside the distance rule "
            f"or forbidden): {shown}; drop the keep rule or relax the distance rule"
        ],
        unplaceable=[sid for sid, _ in outside],
        reasons_zh=[
            f"有 {len(outside)} 对须保留的结对超出距离限制或被回避规则排除："
            + "、".join(f"{sid} 与 {mid}" for sid, mid in outside[:8])
            + "；请删去保留规则或放宽距离限制"
        ],
    )
