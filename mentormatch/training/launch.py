"""The launch class (启航班): the new secretaries in classes balanced across sub-districts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["launch_class"]


def launch_class(d, year: int, class_size: int = 30) -> pd.DataFrame:
    """Every secretary in post appointed in ``year`` or ``year - 1``, in classes.

    There are ``ceil(n / class_size)`` classes, as equal as possible (sizes differ by at
    most one). The secretaries are dealt round-robin over the classes in the order of
    their sub-district or town, then ID: a unit's secretaries come one after another in
    that order, so every class holds a fair share of each unit (its count in any two
    classes differs by at most one).

    Returns
    -------
    DataFrame
        Columns ``secretary_id`` and ``class_no`` (1, 2, ...), sorted by class, then
        sub-district, then ID.

    Examples
    --------
    >>> import mentormatch as mm
    >>> lc = launch_class(mm.synthesize_district(seed=1), 2025, class_size=20)
    >>> sizes = lc["class_no"].value_counts()
    >>> int(sizes.max() - sizes.min()) <= 1, int(sizes.max()) <= 20
    (True, True)
    """
    post = d.in_post
    appointed = post["appointed_year"].to_numpy()
    new = post[(appointed == year) | (appointed == year - 1)]
    new = new.sort_values(["street_town", "secretary_id"], kind="stable")
    n = len(new)
    k = max(1, math.ceil(n / class_size)) if n else 0
    class_no = (np.arange(n) % k + 1) if n else np.zeros(0, dtype=np.int64)
    out = pd.DataFrame(
        {
            "secretary_id": new["secretary_id"].to_numpy(),
            "class_no": class_no.astype(np.int64),
            "street_town": new["street_town"].to_numpy(),
        }
    )
    out = out.sort_values(["class_no", "street_town", "secretary_id"], kind="stable")
    out = out[["secretary_id", "class_no"]].reset_index(drop=True)
    out["secretary_id"] = out["secretary_id"].astype("str")
    return out
