"""Small classes (小班带训): each mentor's mentees as a class at a fitting practice base.

A mentor's class is the mentees the matching plan gives them. It meets monthly through
the plan year at the practice base whose themes best cover the class's commonest
challenges: a base scores the number of mentees naming each of its themes, summed over
its themes; the highest score wins, ties going to the base nearest the mentor (same
sub-district or town first, then a neighbouring one, then the rest), then to the lower
base ID. A base's capacity (its places for individual mentees) does not bind a class,
which meets there once a month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.scoring import proximity_matrix
from mentormatch.vocab import CHALLENGES

__all__ = ["small_classes", "class_months"]

_CLASS_COLUMNS = ["mentor_id", "n_mentees", "base_id", "challenges", "share_covered", "months"]


def class_months(year: int) -> tuple[str, ...]:
    """The months a small class meets in ``year``: ``"YYYY-01"`` to ``"YYYY-12"``.

    >>> class_months(2025)[:2], len(class_months(2025))
    (('2025-01', '2025-02'), 12)
    """
    return tuple(f"{year}-{m:02d}" for m in range(1, 13))


def small_classes(d, plan, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The small classes of a matching plan in ``year``.

    Parameters
    ----------
    d : District
    plan : Plan
        A plan of :func:`mentormatch.match` on ``d``.
    year : int

    Returns
    -------
    members : DataFrame
        ``mentor_id``, ``secretary_id``: one row per placed mentee, by mentor, then ID.
    classes : DataFrame
        One row per mentor with mentees (roster order): ``mentor_id``, ``n_mentees``,
        ``base_id`` (NaN when the District has no bases), ``challenges`` (the class's
        challenges the base covers, commonest first, as a tuple of codes),
        ``share_covered`` (mentions of the class's challenges the base covers, over all
        mentions; NaN when no mentee names one) and ``months`` (:func:`class_months`).

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> members, classes = small_classes(d, mm.match(d), 2025)
    >>> int(classes["n_mentees"].sum()) == len(members), bool(classes["base_id"].notna().all())
    (True, True)
    """
    # A Plan, or the pairs in force as a Series secretary_id -> mentor_id.
    a = plan if isinstance(plan, pd.Series) else plan.assignment
    a = a.dropna()
    members = pd.DataFrame(
        {"mentor_id": a.to_numpy(dtype=object), "secretary_id": a.index.to_numpy(dtype=object)}
    ).astype("str")
    members = members.sort_values(["mentor_id", "secretary_id"], kind="stable")
    members = members.reset_index(drop=True)
    codes = CHALLENGES.codes
    mentors = d.mentors[d.mentors["mentor_id"].isin(set(members["mentor_id"]))]
    mentor_ids = mentors["mentor_id"].tolist()
    # counts[i, c]: mentees of mentor i naming challenge c.
    named = d.secretaries.set_index("secretary_id")["challenges"]
    row_of = {m: i for i, m in enumerate(mentor_ids)}
    counts = np.zeros((len(mentor_ids), len(codes)), dtype=np.int64)
    rows = members["mentor_id"].map(row_of).to_numpy(dtype=np.int64)
    np.add.at(counts, rows, _indicator(members["secretary_id"].map(named).tolist(), codes))
    n_mentees = np.bincount(rows, minlength=len(mentor_ids))
    bases = d.bases
    best = np.zeros(len(mentor_ids), dtype=np.int64)
    if len(bases):
        themes = _indicator(bases["themes"].tolist(), codes)
        score = counts @ themes.T.astype(np.int64)
        near = proximity_matrix(mentors["street_town"].tolist(), bases["street_town"].tolist())
        base_ids = bases["base_id"].to_numpy(dtype=object)
        id_rank = np.argsort(np.argsort(base_ids.astype(str), kind="stable"), kind="stable")
        # Highest score, then nearest (proximity 1, 0.5, 0), then the lowest base ID.
        key = (score * 3 + np.rint(near * 2).astype(np.int64)) * len(bases)
        best = np.argmax(key + (len(bases) - 1 - id_rank)[None, :], axis=1)
    out = []
    for i, mentor in enumerate(mentor_ids):
        mentions = int(counts[i].sum())
        base, hit = np.nan, np.zeros(0, dtype=np.int64)
        if len(bases):
            base = base_ids[best[i]]
            hit = np.flatnonzero((counts[i] > 0) & themes[best[i]])
            hit = hit[np.argsort(-counts[i][hit], kind="stable")]
        out.append(
            {
                "mentor_id": mentor,
                "n_mentees": int(n_mentees[i]),
                "base_id": base,
                "challenges": tuple(codes[c] for c in hit),
                "share_covered": float(counts[i][hit].sum()) / mentions if mentions else np.nan,
                "months": class_months(year),
            }
        )
    classes = pd.DataFrame(out, columns=_CLASS_COLUMNS)
    classes = classes.astype({"mentor_id": "str", "n_mentees": "int64", "share_covered": "float64"})
    # astype("str") alone writes NaN as 'nan' on pandas 2.
    missing = classes["base_id"].isna()
    classes["base_id"] = classes["base_id"].astype("str").where(~missing, np.nan)
    return members, classes


def _indicator(lists: list, codes: tuple[str, ...]) -> np.ndarray:
    """One row per list of codes, one boolean column per code."""
    position = {c: j for j, c in enumerate(codes)}
    out = np.zeros((len(lists), len(codes)), dtype=bool)
    for i, items in enumerate(lists):
        if isinstance(items, (tuple, list)):
            for c in items:
                if c in position:
                    out[i, position[c]] = True
    return out
