"""References between tables: every ID (in a Region, every position) that names a row of
another table names an existing one. A rule of :mod:`mentormatch.schema.rules`, checked
once all tables are read."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mentormatch.errors import Problem
from mentormatch.schema.rules import Collector, View, plain
from mentormatch.schema.tables import REQUIRED_TABLES, TABLES

__all__ = ["check_references"]


def check_references(views: Mapping[str, View], add: Collector) -> None:
    """Every ID (in a Region: position) that names a row of another table names an
    existing one: one problem per unknown value, at its first row (a mistyped ID in one
    table often echoes over hundreds of rows in another)."""
    for view in views.values():
        for column, target, target_col in view.table.references:
            if not view.has(column) or target not in views:
                continue
            other = views[target]
            if not other.has(target_col):
                continue
            if target in REQUIRED_TABLES and len(other) == 0:
                continue  # the empty table is reported; every reference would echo it
            values = view.values(column)
            by_position = view.form(column) == "ref"
            if by_position:
                codes = view.numbers(column)
                with np.errstate(invalid="ignore"):
                    inside = (codes >= 0) & (codes < len(other)) & (codes == np.floor(codes))
                unknown = ~inside
            else:
                known = set(other.values(target_col).dropna().tolist())
                present = ~values.isna().to_numpy()
                unknown = present & ~values.isin(known).to_numpy(dtype=bool)
            positions = np.flatnonzero(unknown)
            if not len(positions):
                continue
            # Unknown values in order of first appearance, with their counts.
            codes, _ = pd.factorize(values.iloc[positions])
            _, first, count = np.unique(codes, return_index=True, return_counts=True)
            for j in range(min(len(count), add.room)):
                at = int(positions[first[j]])
                add(_reference_problem(view, column, other, target_col, at, int(count[j]) - 1))


def _reference_problem(
    view: View, column: str, other: View, target_col: str, at: int, more: int
) -> Problem:
    spec = TABLES[other.table.name]
    target = spec.name
    also = f" (also on {more} more row{'s' if more > 1 else ''})" if more else ""
    also_zh = f"（另有 {more} 行也是如此）" if more else ""
    value = plain(view.values(column).iloc[at])
    if view.form(column) == "ref":
        n = len(other)
        expected = f"the position of a row of the {target} table (0 to {n - 1}){also}"
        fix = f"Check the position, or add the missing row to the {target} table."
        expected_zh = f"「{spec.zh}」表中某一行的位置（0 到 {n - 1}）{also_zh}"
        fix_zh = f"请核对位置，或在「{spec.zh}」表中补上这一行。"
    else:
        expected = f"an existing {target_col} from the {target} table{also}"
        fix = f"Check the ID, or add the missing row to the {target} table."
        expected_zh = f"「{spec.zh}」表中已有的{spec.column(target_col).zh}{also_zh}"
        fix_zh = f"请核对编号，或在「{spec.zh}」表中补上这一行。"
    return Problem(
        view.source,
        int(view.rows[at]),
        view.header(column),
        value,
        expected,
        fix,
        expected_zh,
        fix_zh,
        kind="reference",
    )
