"""Reading cells of a mixed table: which kind a column is, categories, label sets, missing.

The rules :class:`~mentormatch.features.MixedEncoder` reads values by: lists, tuples
and sets are label sets; a missing value (None, NaN, NA) is no category and the empty
set; numpy scalars count as the Python values they hold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.errors import DataError

__all__ = ["KINDS", "is_set", "guess_kinds", "missing", "key", "categories", "as_set", "labels"]

#: The kinds of block, in encoding order.
KINDS = ("categorical", "multilabel", "numeric")


def is_set(v: object) -> bool:
    return isinstance(v, (list, tuple, set, frozenset, np.ndarray))


def guess_kinds(X: pd.DataFrame) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {k: [] for k in KINDS}
    for col in X.columns:
        s = X[col]
        if pd.api.types.is_bool_dtype(s):
            kinds["categorical"].append(col)
        elif pd.api.types.is_numeric_dtype(s):
            kinds["numeric"].append(col)
        elif any(is_set(v) for v in s.tolist()):
            kinds["multilabel"].append(col)
        else:
            kinds["categorical"].append(col)
    return kinds


def missing(v: object) -> bool:
    if is_set(v):
        return False
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def key(v: object) -> object:
    """A hashable key for a category; missing values map to None (no category)."""
    if missing(v):
        return None
    if isinstance(v, (np.generic,)):
        return v.item()
    return v


def categories(s: pd.Series) -> tuple[object, ...]:
    values = {key(v) for v in s.tolist()} - {None}
    return tuple(sorted(values, key=lambda v: (type(v).__name__, str(v))))


def as_set(v: object, column: str) -> set:
    if missing(v):
        return set()
    if isinstance(v, str):
        raise DataError(f"column {column!r} must hold lists of labels, got the text {v!r}")
    if not is_set(v):
        raise DataError(f"column {column!r} must hold lists of labels, got {v!r}")
    return {key(x) for x in v} - {None}


def labels(s: pd.Series) -> tuple[object, ...]:
    values: set = set()
    for v in s.tolist():
        values |= as_set(v, str(s.name))
    return tuple(sorted(values, key=lambda v: (type(v).__name__, str(v))))
