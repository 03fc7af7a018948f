"""Checking a District's typed tables: the tables and columns present, then every rule
of :mod:`mentormatch.schema.rules` (the same rules a Region is checked by)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mentormatch.errors import Problem, place
from mentormatch.schema.columns import Column
from mentormatch.schema.references import check_references
from mentormatch.schema.rules import Collector, View, check_table
from mentormatch.schema.tables import REQUIRED_TABLES, TABLES

__all__ = ["validate_tables"]


def validate_tables(
    tables: Mapping[str, pd.DataFrame],
    *,
    sources: Mapping[str, str] | None = None,
    rows: Mapping[str, Sequence[int]] | None = None,
    headers: Mapping[str, Mapping[str, str]] | None = None,
    problems: list[Problem] | None = None,
    require_tables: bool = True,
) -> list[Problem]:
    """Every problem in typed tables: columns, types, values, ranges, keys, references.

    Parameters
    ----------
    tables : mapping
        Table name -> DataFrame, typed as :func:`~mentormatch.schema.parse_table` makes
        them. Missing optional tables are allowed.
    sources, rows, headers : mappings, optional
        Per table: the file or sheet name, the spreadsheet row of each row, and the
        header written for each column, for messages. By default the table name, the
        row a saved CSV would have (index + 2) and the canonical column names.
    problems : list, optional
        Problems found are appended here (and returned).
    require_tables : bool
        Report missing required tables (a loader that reported them already says no).

    Returns
    -------
    list of Problem
        Empty when the tables are valid.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1, assessments=False)
    >>> mentors = d.mentors.assign(capacity=-1)
    >>> found = validate_tables({**d.tables, "mentors": mentors})
    >>> len(found), found[0].column, found[0].row, found[0].expected
    (16, 'capacity', 2, 'a whole number >= 0')
    """
    problems = [] if problems is None else problems
    sources = sources or {}
    rows = rows or {}
    headers = headers or {}
    add = Collector(problems)

    for name in REQUIRED_TABLES if require_tables else ():
        if name not in tables:
            zh = TABLES[name].zh
            add(
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"the {name} table ({zh})",
                    f"Give the {name} table.",
                    f"「{zh}」表",
                    f"请提供「{zh}」表。",
                    kind="missing_table",
                    statement=(f"The {name} table ({zh}) is missing.", f"缺少「{zh}」表。"),
                )
            )
    views: dict[str, View] = {}
    for name, df in tables.items():
        if name not in TABLES:
            add(
                Problem(
                    str(name),
                    None,
                    None,
                    None,
                    f"a table named one of {list(TABLES)}",
                    expected_zh="以下表名之一：" + "、".join(t.zh for t in TABLES.values()),
                )
            )
            continue
        view = View(
            TABLES[name],
            df,
            sources.get(name, name),
            np.asarray(rows.get(name, np.arange(len(df)) + 2)),
            headers.get(name, {}),
        )
        views[name] = view
        _check_columns(view, add)
        check_table(view, add)
        if name in REQUIRED_TABLES and len(df) == 0:
            add(_no_rows(view))
    check_references(views, add)
    return problems


def _check_columns(view: View, add: Collector) -> None:
    """Every required column is present; a roster with Chinese headers is told the
    Chinese headers first."""
    lang = "zh" if any(_has_cjk(h) for h in view.headers.values()) else "en"
    for col in view.table.columns:
        if col.required and col.name not in view.frame.columns:
            add(_missing_column(view.source, col, lang))


def _no_rows(view: View) -> Problem:
    name, zh, source = view.table.name, view.table.zh, view.source
    return Problem(
        source,
        None,
        None,
        None,
        f"at least one row of {name}",
        "Add at least one row below the header.",
        f"至少一行{zh}",
        "请在表头下面至少填写一行。",
        kind="no_rows",
        statement=(
            f"{place(source, 'en')}: the table has no rows; it should hold at least "
            f"one row of {name}.",
            f"{place(source, 'zh')}没有数据行（表头下面是空的）。",
        ),
    )


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


def _missing_column(source: str, col: Column, lang: str) -> Problem:
    """A required column absent from the header: named by every header it may carry."""
    first, *others = col.headers_for(lang)
    en_others = " or ".join(others)
    zh_others = "或".join(f"「{h}」" for h in others)
    return Problem(
        source,
        None,
        first,
        None,
        f"a required column headed {first} (or {en_others})",
        "Add the column to the header row.",
        f"必填列「{first}」（也可写作{zh_others}）",
        "请在表头加上这一列。",
        kind="missing_column",
        statement=(
            f"{place(source, 'en')}: the required column {first} is missing (it may also be "
            f"headed {en_others}).",
            f"{place(source, 'zh')}缺少必填列「{first}」（也可写作{zh_others}）；",
        ),
    )
