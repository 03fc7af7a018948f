"""The Region form of the tables, and its checks: the District's rules, vectorised.

A :class:`~mentormatch.region.Region` holds the District's tables as integer codes, so
that a nation of 600,000 secretaries fits in memory and scores in blocks.
:data:`REGION_TABLES` declares, column by column, which District column each Region
column holds and in which form:

=============  =========================================================================
form           what the Region holds
=============  =========================================================================
``same``       the District's value (years, counts, shares, yes/no, a rule's code)
``zero_none``  the District's value, 0 where the District's cell is empty
``position``   the position of the code in its vocabulary (``vocab.codes``)
``mask``       a bitmask over the vocabulary: bit ``b`` stands for ``vocab.codes[b]``
``unit``       the row of ``units`` (a District's units: its sub-districts, in order)
``community``  the column of ``prior`` (communities numbered in order of appearance)
``mentor``     the position of a mentor, -1 for none
``ref``        the position of a row of the referenced table
``own``        the Region's own (a county number; a District is one county)
=============  =========================================================================

:func:`region_problems` checks a Region by the rules of :mod:`mentormatch.schema.rules`
(the very functions a District is checked by), reading each column in its form, and
adds what only a Region has: counties, borders, the prior matrix and the dtypes.
Rows in messages are numbered as for a District built in code: the row the table
would have in a saved CSV file (its position + 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from mentormatch.errors import Problem, place
from mentormatch.schema.references import check_references
from mentormatch.schema.rules import Collector, View, check_table, plain
from mentormatch.schema.tables import TABLES

__all__ = [
    "RegionColumn",
    "RegionTable",
    "REGION_TABLES",
    "REGION_MATRICES",
    "check_region",
    "region_problems",
]


@dataclass(frozen=True)
class RegionColumn:
    """A column of a Region table: its dtype, and the District column it holds."""

    name: str
    dtype: str
    holds: str | None
    form: str
    doc: str = ""


@dataclass(frozen=True)
class RegionTable:
    """A Region table: its columns, and the District column its index holds (the IDs)."""

    name: str
    columns: tuple[RegionColumn, ...]
    index: str | None = None

    @property
    def dtypes(self) -> dict[str, str]:
        return {c.name: c.dtype for c in self.columns}


def _r(name: str, dtype: str, holds: str | None, form: str, doc: str = "") -> RegionColumn:
    return RegionColumn(name, dtype, holds, form, doc)


_PLACE = (
    _r("county", "int32", None, "own", "county number: that of the unit"),
    _r("unit", "int32", "street_town", "unit"),
    _r("community", "int32", "community_id", "community"),
)

#: Every Region table, column by column, with the District column it holds.
REGION_TABLES: dict[str, RegionTable] = {
    t.name: t
    for t in (
        RegionTable(
            "secretaries",
            (
                *_PLACE,
                _r("community_type", "int8", "community_type", "position"),
                _r("challenges", "uint32", "challenges", "mask"),
                _r("birth_year", "int16", "birth_year", "same"),
                _r("appointed_year", "int16", "appointed_year", "same"),
                _r("education", "int8", "education", "position"),
                _r("gender", "int8", "gender", "position"),
                _r("households", "int32", "households", "same"),
                _r("share_aged_60_plus", "float64", "share_aged_60_plus", "same"),
                _r("needs_mentor", "bool", "needs_mentor", "same"),
                _r("mentored_since", "int16", "mentored_since", "zero_none", "0: never"),
                _r("previous_mentor", "int32", "previous_mentor_id", "mentor", "-1: none"),
            ),
            index="secretary_id",
        ),
        RegionTable(
            "mentors",
            (
                *_PLACE,
                _r("community_types", "uint8", "community_types", "mask"),
                _r("expertise", "uint32", "expertise", "mask"),
                _r("years_as_secretary", "int16", "years_as_secretary", "same"),
                _r("capacity", "int32", "capacity", "same"),
                _r("min_load", "int32", "min_load", "zero_none", "0: none"),
            ),
            index="mentor_id",
        ),
        RegionTable(
            "bases",
            (
                *_PLACE,
                _r("themes", "uint32", "themes", "mask"),
                _r("capacity", "int32", "capacity", "same"),
            ),
            index="base_id",
        ),
        RegionTable("units", (_r("county", "int32", None, "own", "county number"),)),
        RegionTable(
            "constraints",
            (
                _r("secretary", "int64", "secretary_id", "ref"),
                _r("mentor", "int64", "mentor_id", "ref"),
                _r("rule", "str", "rule", "same"),
            ),
        ),
    )
}

#: What a Region holds outside its tables' columns: District column -> (where, how).
REGION_MATRICES = {
    ("secretaries", "prior_communities"): (
        "prior",
        "sparse secretaries x communities matrix, nonzero where a secretary served earlier",
    ),
    ("units", "(vocab.NEIGHBOURS)"): (
        "neighbours",
        "sparse units x units matrix, nonzero where two units share a border",
    ),
}


def check_region(
    tables: Mapping[str, object], neighbours: sparse.csr_array, prior: sparse.csr_array
) -> tuple[dict[str, pd.DataFrame] | None, list[Problem]]:
    """The Region's tables in their dtypes, or every problem that prevents it.

    First the form (DataFrames with every column), then every rule
    (:func:`region_problems`), then that each value fits its dtype: values are judged
    before they are narrowed (a year of 70,000 would wrap round in ``int16``).

    Examples
    --------
    >>> from mentormatch.region_synth import synthesize_region
    >>> r = synthesize_region(seed=1, n_secretaries=400, n_mentors=20, n_bases=20)
    >>> tables = {t: getattr(r, t) for t in REGION_TABLES}
    >>> typed, problems = check_region(tables, r.neighbours, r.prior)
    >>> str(typed["secretaries"]["birth_year"].dtype), problems
    ('int16', [])
    >>> loose = tables["mentors"].assign(capacity=2**40)
    >>> print(check_region({**tables, "mentors": loose}, r.neighbours, r.prior)[1][0].expected)
    a whole number from -2147483648 to 2147483647 (int32)
    """
    problems = []
    for table in REGION_TABLES:
        problems += _form_problems(table, tables[table])
    if problems:
        return None, problems
    problems = region_problems(tables, neighbours, prior)
    if problems:
        return None, problems
    typed = {}
    for table, spec in REGION_TABLES.items():
        frame = tables[table]
        for col in spec.columns:
            if col.dtype in ("str", "bool", "float64"):
                continue
            values = pd.to_numeric(frame[col.name], errors="coerce").to_numpy(dtype=float)
            info = np.iinfo(col.dtype)
            with np.errstate(invalid="ignore"):
                fits = (values >= info.min) & (values <= info.max) & (values == np.round(values))
            if not fits.all():
                i = int(np.argmin(fits))
                problems.append(
                    Problem(
                        table,
                        i + 2,
                        col.name,
                        plain(frame[col.name].iloc[i]),
                        f"a whole number from {info.min} to {info.max} ({col.dtype})",
                        "Check the value and correct it.",
                        f"{info.min} 到 {info.max} 之间的整数（{col.dtype}）",
                        "请核对并改正。",
                    )
                )
        typed[table] = frame.astype(spec.dtypes) if not problems else frame
    return (None, problems) if problems else (typed, [])


def _form_problems(table: str, frame: object) -> list[Problem]:
    if not isinstance(frame, pd.DataFrame):
        kind = type(frame).__name__
        return [
            _whole(
                table,
                f"a pandas DataFrame, not {kind}",
                f"pandas DataFrame（而不是 {kind}）",
                f"Table {table} should be a pandas DataFrame, not {kind}.",
                f"「{table}」表应为 pandas DataFrame，而不是 {kind}。",
            )
        ]
    return [_missing(table, c.name) for c in REGION_TABLES[table].columns if c.name not in frame]


def _missing(table: str, column: str) -> Problem:
    return Problem(
        table,
        None,
        column,
        None,
        f"a required column {column}",
        "Add the column.",
        f"必填列「{column}」",
        "请加上这一列。",
        kind="missing_column",
        statement=(
            f"{place(table, 'en')}: the required column {column} is missing.",
            f"{place(table, 'zh')}缺少必填列「{column}」。",
        ),
    )


def _whole(source: str, expected: str, expected_zh: str, en: str, zh: str) -> Problem:
    """A problem with a whole table or matrix."""
    return Problem(source, None, None, None, expected, "", expected_zh, statement=(en, zh))


def view(table: str, frame: pd.DataFrame, sizes: Mapping[str, int]) -> View:
    """The Region table as the rules see it: District column names mapped to its own."""
    spec = REGION_TABLES[table]
    held = {c.holds: c for c in spec.columns if c.holds is not None}
    return View(
        TABLES[table],
        frame,
        table,
        np.arange(len(frame)) + 2,
        names={d: c.name for d, c in held.items()},
        forms={d: c.form for d, c in held.items()} | ({spec.index: "index"} if spec.index else {}),
        index=spec.index,
        sizes=sizes,
        carried=frozenset(held) | ({spec.index} if spec.index else set()),
        region=True,
    )


def region_problems(
    tables: Mapping[str, pd.DataFrame], neighbours: sparse.csr_array, prior: sparse.csr_array
) -> list[Problem]:
    """Every problem of a Region's tables and matrices, by the District's rules and the
    Region's own.

    Parameters
    ----------
    tables : mapping
        ``secretaries``, ``mentors``, ``bases``, ``units`` and ``constraints``: DataFrames
        with every column of :data:`REGION_TABLES` (values are read as numbers, so they
        need not have their dtypes yet).
    neighbours, prior : sparse arrays
        Borders (units x units) and earlier posts (secretaries x communities).

    Returns
    -------
    list of Problem
        Empty when the Region is valid.

    Examples
    --------
    >>> from mentormatch.region_synth import synthesize_region
    >>> r = synthesize_region(seed=1, n_secretaries=400, n_mentors=20, n_bases=20)
    >>> tables = {t: getattr(r, t) for t in REGION_TABLES}
    >>> old = tables["secretaries"].assign(birth_year=1930)
    >>> p = region_problems({**tables, "secretaries": old}, r.neighbours, r.prior)[0]
    >>> print(p.text("en"))  # doctest: +NORMALIZE_WHITESPACE
    table secretaries, row 2, column birth_year: the cell reads 1930; it should be a year
    (2021, 2021年 or 2021年3月) from 1940 to 2010. Check the value and correct it.
    """
    add = Collector()
    units = tables["units"]
    n_units, n_comm = len(units), prior.shape[1]
    county_of = pd.to_numeric(units["county"], errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        no_county = ~((county_of >= 0) & (county_of == np.floor(county_of)))
    if no_county.any():
        i = int(np.argmax(no_county))
        add(
            Problem(
                "units",
                i + 2,
                "county",
                plain(units["county"].iloc[i]),
                "a county number >= 0",
                "Check the value and correct it.",
                "不小于 0 的区县编号",
                "请核对并改正。",
            )
        )
    if neighbours.shape != (n_units, n_units):
        add(
            _whole(
                "neighbours",
                f"a {n_units} x {n_units} matrix, not {neighbours.shape}",
                f"{n_units} x {n_units} 的矩阵（而不是 {neighbours.shape}）",
                f"neighbours should be a {n_units} x {n_units} matrix (one row and one "
                f"column per unit), not {neighbours.shape}.",
                f"neighbours 应为 {n_units} x {n_units} 的矩阵（每个街镇一行一列），"
                f"而不是 {neighbours.shape}。",
            )
        )
    elif (neighbours != neighbours.T).nnz:
        add(
            _whole(
                "neighbours",
                "a symmetric matrix",
                "对称矩阵",
                "neighbours should be a symmetric matrix (a border is shared by both units).",
                "neighbours 应为对称矩阵（边界为两个街镇共有）。",
            )
        )
    n_sec = len(tables["secretaries"])
    if prior.shape[0] != n_sec:
        add(
            _whole(
                "prior",
                f"one row per secretary ({n_sec}), not {prior.shape[0]}",
                f"每名书记一行（{n_sec} 行），而不是 {prior.shape[0]} 行",
                f"prior should have one row per secretary ({n_sec}), not {prior.shape[0]}.",
                f"prior 应为每名书记一行（{n_sec} 行），而不是 {prior.shape[0]} 行。",
            )
        )
    sizes = {"unit": n_units, "community": n_comm, "mentor": len(tables["mentors"])}
    views = {t: view(t, tables[t], sizes) for t in ("secretaries", "mentors", "bases")}
    views["constraints"] = view("constraints", tables["constraints"], sizes)
    for v in views.values():
        check_table(v, add)
        if "county" in v.frame.columns and not no_county.any():
            _check_county(v, county_of, add)
    check_references(views, add)
    return add.problems


def _check_county(v: View, county_of: np.ndarray, add: Collector) -> None:
    """Each row lies in the county of its unit (where the units are known ones)."""
    unit = v.numbers("street_town")
    with np.errstate(invalid="ignore"):
        known = (unit >= 0) & (unit < len(county_of)) & (unit == np.floor(unit))
    if not len(unit) or not known.all():
        return  # the unknown unit is the problem, reported as such
    unit = unit.astype(np.int64)
    county = pd.to_numeric(v.frame["county"], errors="coerce").to_numpy(dtype=float)
    differs = county != county_of[unit]
    for i in np.flatnonzero(differs)[: add.room]:
        add(
            Problem(
                v.source,
                int(v.rows[i]),
                "county",
                plain(v.frame["county"].iat[i]),
                f"the county of the row's unit ({int(county_of[unit[i]])})",
                "Check the county and the unit.",
                f"该行所在街镇的区县（{int(county_of[unit[i]])}）",
                "请核对区县和街镇。",
            )
        )
