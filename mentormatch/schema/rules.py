"""The rules a table must meet, implemented once for both containers.

A :class:`View` shows one table to the rules: a District's table as typed from a
roster (text codes, lists as tuples, missing cells as NaN), or a Region's (integer
codes, bitmasks, positions; see :data:`mentormatch.schema.region.REGION_TABLES`). The
rules ask the view for a column by its District name and check it in the form the
view holds it:

* every cell: missing where required, out of range (years, counts, shares), not a
  code of the vocabulary (a code, or in a Region its position or bitmask);
* keys: no two rows with the same ID (or the same combination, for rules and panels);
* rows: appointed at least 18 years after birth, a minimum load no larger than the
  capacity, at most one pair to keep per secretary;
* references between tables: an ID (in a Region a position) of an existing row
  (:mod:`mentormatch.schema.references`).

Every problem is a :class:`~mentormatch.errors.Problem` with the same wording in both
containers: table, row, column, value, what was expected and the fix, in Chinese and
English. Checks are whole-array operations; only the problems reported (at most
:data:`~mentormatch.errors.MAX_PROBLEMS`) are built one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mentormatch.errors import MAX_PROBLEMS, Problem
from mentormatch.schema.columns import Column, Table, fixes

__all__ = ["View", "Collector", "check_table", "check_key", "check_rows", "ROW_RULES"]


@dataclass
class Collector:
    """Problems found, up to :data:`~mentormatch.errors.MAX_PROBLEMS`."""

    problems: list[Problem] = field(default_factory=list)

    def __call__(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    @property
    def room(self) -> int:
        return MAX_PROBLEMS - len(self.problems)


@dataclass(frozen=True)
class View:
    """One table as the rules see it.

    Attributes
    ----------
    table : Table
        The table's declaration (columns by their District names).
    frame : DataFrame
        The table as the container holds it.
    source : str
        The file, sheet or table name, for messages.
    rows : ndarray
        The row number of each row in messages: the spreadsheet's, or for a table
        built in code the row a saved CSV would have (position + 2).
    headers : mapping
        District column name -> header as the table names it (the roster's header, or
        the Region's column name).
    names : mapping
        District column name -> column of ``frame`` holding it (missing: the same name).
    forms : mapping
        District column name -> the form ``frame`` holds it in (missing: ``"text"``).
    index : str or None
        The District column the index of ``frame`` holds (a Region's IDs).
    sizes : mapping
        Rows of the tables positions point into (``"unit"``, ``"community"``,
        ``"mentor"``, and the referenced tables by name).
    carried : frozenset or None
        District columns the container holds at all (None: every one).
    """

    table: Table
    frame: pd.DataFrame
    source: str
    rows: np.ndarray
    headers: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    forms: Mapping[str, str] = field(default_factory=dict)
    index: str | None = None
    sizes: Mapping[str, int] = field(default_factory=dict)
    carried: frozenset[str] | None = None
    #: A Region's table (a RowRule may leave it out: ``RowRule.region``).
    region: bool = False
    _numbers: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.frame)

    def form(self, name: str) -> str:
        return self.forms.get(name, "text")

    def carries(self, name: str) -> bool:
        return self.carried is None or name in self.carried

    def has(self, name: str) -> bool:
        return name == self.index or self.names.get(name, name) in self.frame.columns

    def values(self, name: str) -> pd.Series:
        if name == self.index:
            return pd.Series(self.frame.index, index=pd.RangeIndex(len(self.frame)))
        return self.frame[self.names.get(name, name)]

    def numbers(self, name: str) -> np.ndarray:
        """The column as floats, NaN where missing or no number (0 in a ``zero_none``
        column)."""
        if name not in self._numbers:
            values = pd.to_numeric(self.values(name), errors="coerce").to_numpy(dtype=float)
            if self.form(name) == "zero_none":
                values = np.where(values == 0, np.nan, values)
            self._numbers[name] = values
        return self._numbers[name]

    def header(self, name: str) -> str:
        return self.headers.get(name, self.names.get(name, name))

    def key_name(self, name: str) -> str:
        """How a part of a key is named when a message spells the key out."""
        return self.names.get(name, name)


# --- Cells ------------------------------------------------------------------------------


def plain(value: object) -> object:
    """A numpy scalar as the Python value a message should show."""
    return value.item() if isinstance(value, np.generic) else value


def scalar_missing(value: object) -> bool:
    if isinstance(value, (tuple, list)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _numbers_bad(values: np.ndarray, present: np.ndarray, col: Column) -> np.ndarray:
    """Present values that are no finite number, no whole one where one is due, or out
    of the column's range."""
    bad = present & ~np.isfinite(values)
    if col.kind in ("int", "year"):
        bad |= present & np.isfinite(values) & (values != np.round(values))
    with np.errstate(invalid="ignore"):
        if col.low is not None:
            bad |= present & (values < col.low)
        if col.high is not None:
            bad |= present & (values > col.high)
    return bad


def _text_bad(series: pd.Series, col: Column) -> np.ndarray:
    """A District's cells: missing when required, out of range or unknown."""
    n = len(series)
    bad = np.zeros(n, dtype=bool)
    if col.kind in ("vocab_list", "id_list"):
        for i, v in enumerate(series.tolist()):
            if not isinstance(v, (tuple, list)):
                bad[i] = True
            elif col.kind == "vocab_list" and any(x not in col.vocab for x in v):
                bad[i] = True
            elif col.kind == "id_list" and any(not isinstance(x, str) or not x for x in v):
                bad[i] = True
        return bad
    missing = series.isna().to_numpy()
    if col.required:
        bad |= missing
    present = ~missing
    if col.kind == "vocab":
        allowed = set(col.vocab.codes)
        bad |= present & ~series.map(lambda v: v in allowed).to_numpy(dtype=bool)
    elif col.kind in ("id", "text"):
        bad |= present & ~series.map(lambda v: isinstance(v, str) and v.strip() != "").to_numpy(
            dtype=bool
        )
    elif col.kind == "bool":
        bad |= ~series.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    elif col.kind == "month":
        bad |= present & ~series.map(_is_month).to_numpy(dtype=bool)
    else:
        values = pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()
        bad |= _numbers_bad(values, present, col)
    return bad


def _is_month(value: object) -> bool:
    """``"YYYY-MM"`` with a month from 01 to 12."""
    return (
        isinstance(value, str)
        and len(value) == 7
        and value[4] == "-"
        and value[:4].isdigit()
        and value[5:].isdigit()
        and 1 <= int(value[5:]) <= 12
    )


def bad_cells(view: View, col: Column) -> np.ndarray:
    """Rows whose value of ``col`` breaks its rules, in the form the view holds it."""
    form = view.form(col.name)
    if form == "text" or (form == "same" and col.kind in ("vocab", "id", "text", "month")):
        return _text_bad(view.values(col.name), col)
    if (form == "same" and col.kind == "bool") or form in ("ref", "index"):
        # Positions in another table are checked with the references; a Region's IDs
        # (its index) may be any labels, so long as they are unique (the key).
        return np.zeros(len(view), dtype=bool)
    # A Region's numbers are read as floats (exact for every code and mask), so that a
    # value is judged before it is narrowed to its dtype.
    numbers = view.numbers(col.name)
    if form in ("same", "zero_none"):
        present = ~np.isnan(numbers)
        bad = _numbers_bad(numbers, present, col)
        return bad | ~present if col.required else bad
    low, high = {
        "position": (0, len(col.vocab or ())),
        "mask": (0, 2.0 ** len(col.vocab or ())),
        "mentor": (-1, view.sizes.get("mentor", 0)),
    }.get(form, (0, view.sizes.get(form, 0)))
    with np.errstate(invalid="ignore"):
        return ~((numbers >= low) & (numbers < high) & (numbers == np.floor(numbers)))


def _encoded_wording(col: Column, form: str, n: int) -> tuple[str, str, str, str]:
    """(expected, fix, expected_zh, fix_zh) for a value a Region holds as a number."""
    if form == "position":
        k = len(col.vocab)
        return (
            f"a position in the {col.vocab.name} codes (0 to {k - 1}: {col.vocab.describe()})",
            "Use the position of the code in mentormatch.vocab.",
            f"「{col.zh}」代码的序号（0 到 {k - 1}：{col.vocab.describe(lang='zh')}）",
            "请填写代码在词表中的序号。",
        )
    if form == "mask":
        k = len(col.vocab)
        return (
            f"a bitmask of the {k} {col.vocab.name} codes (bits 0 to {k - 1})",
            "Set only the bits of known codes.",
            f"{k} 项「{col.zh}」代码的位掩码（第 0 到 {k - 1} 位）",
            "请只使用已有代码对应的位。",
        )
    if form == "unit":
        return (
            f"a unit number from 0 to {n - 1}",
            "Check the unit, or add it to the units table.",
            f"0 到 {n - 1} 之间的街镇编号",
            "请核对街镇编号，或在 units 表中补上这一街镇。",
        )
    if form == "community":
        return (
            f"a community number from 0 to {n - 1}",
            "Check the community (the columns of prior number the communities).",
            f"0 到 {n - 1} 之间的居民区编号",
            "请核对居民区编号（prior 的各列即各居民区）。",
        )
    return (
        f"a mentor position from 0 to {n - 1}, or -1 for none",
        "Check the mentor, or write -1 when there was none.",
        f"0 到 {n - 1} 之间的带教老师位置，没有则为 -1",
        "请核对带教老师；没有则填 -1。",
    )


def cell_problem(view: View, col: Column, i: int) -> Problem:
    """The problem with row ``i`` of column ``col``."""
    value = view.values(col.name).iloc[i]
    shown = None if scalar_missing(value) else plain(value)
    form = view.form(col.name)
    if form in ("position", "mask", "unit", "community", "mentor"):
        expected, fix, expected_zh, fix_zh = _encoded_wording(col, form, view.sizes.get(form, 0))
    else:
        expected, expected_zh = col.expected(), col.expected("zh")
        fix, fix_zh = fixes(col, empty=shown is None, unreadable=False)
        if shown is not None and col.kind == "vocab":
            fix, fix_zh = fixes(col)
    header = view.header(col.name)
    return Problem(
        view.source, int(view.rows[i]), header, shown, expected, fix, expected_zh, fix_zh
    )


# --- Tables -----------------------------------------------------------------------------


def check_table(view: View, add: Collector) -> None:
    """Every cell, the key and the rules between columns of one row.

    Examples
    --------
    >>> import mentormatch as mm
    >>> from mentormatch.schema import TABLES
    >>> mentors = mm.synthesize_district(seed=1).mentors.assign(years_as_secretary=70)
    >>> add = Collector()
    >>> check_table(View(TABLES["mentors"], mentors, "mentors.csv", np.arange(13) + 2), add)
    >>> print(add.problems[0].text("en"))  # doctest: +NORMALIZE_WHITESPACE
    mentors.csv, row 2, column years_as_secretary: the cell reads 70; it should be a whole
    number from 0 to 60. Check the value and correct it.
    """
    spec = view.table
    for col in spec.columns:
        if not view.carries(col.name) or not view.has(col.name):
            continue
        bad = bad_cells(view, col)
        for i in np.flatnonzero(bad)[: add.room]:
            add(cell_problem(view, col, int(i)))
    check_key(view, add)
    check_rows(view, add)


def check_key(view: View, add: Collector) -> None:
    """No two rows with the same key (rows with a missing key part are reported as
    cells, and duplicate nothing)."""
    keys = list(view.table.key)
    if not all(view.has(k) for k in keys) or not len(view):
        return
    if keys == [view.index] and view.frame.index.is_unique:
        return
    frame = pd.DataFrame({k: view.values(k) for k in keys})
    complete = frame.notna().all(axis=1).to_numpy()
    dup = frame.duplicated(keep="first").to_numpy() & complete
    if not dup.any():
        return
    first: dict[tuple, int] = {}
    for i, key in enumerate(frame.itertuples(index=False, name=None)):
        if complete[i]:
            first.setdefault(key, i)
    several = len(keys) > 1
    for i in np.flatnonzero(dup)[: add.room]:
        key = tuple(plain(frame[k].iloc[i]) for k in keys)
        shown = ", ".join(f"{view.key_name(k)}={v}" for k, v in zip(keys, key, strict=True))
        before = int(view.rows[first[key]])
        add(
            Problem(
                view.source,
                int(view.rows[i]),
                view.header(keys[0]),
                shown if several else key[0],
                f"a unique {'combination' if several else 'ID'} (already used on row {before})",
                "Give each row its own ID, or delete the repeated row."
                if not several
                else "Delete the repeated row.",
                f"不重复的{'组合' if several else '编号'}（第 {before} 行已用过）",
                "请为每一行使用不同的编号，或删去重复的一行。"
                if not several
                else "请删去重复的一行。",
                kind="duplicate",
            )
        )


@dataclass(frozen=True)
class RowRule:
    """A rule between columns of one row: the rows breaking it, and their problem."""

    table: str
    columns: tuple[str, ...]
    bad: Callable[[View], np.ndarray]
    problem: Callable[[View, int], Problem]
    #: Checked in a Region too.
    region: bool = True


def _too_young(view: View) -> np.ndarray:
    birth, appointed = view.numbers("birth_year"), view.numbers("appointed_year")
    spec = view.table.column("birth_year")
    with np.errstate(invalid="ignore"):
        # Only where the birth year itself is plausible: otherwise that is the problem.
        plausible = (birth >= spec.low) & (birth <= spec.high)
        return plausible & (appointed < birth + 18)


def _too_young_problem(view: View, i: int) -> Problem:
    birth = int(view.numbers("birth_year")[i])
    return Problem(
        view.source,
        int(view.rows[i]),
        view.header("appointed_year"),
        int(view.numbers("appointed_year")[i]),
        f"a year at least 18 years after the birth year ({birth})",
        "Check the birth year and the year of appointment.",
        f"比出生年份（{birth}）至少晚 18 年的年份",
        "请核对出生年份和任职年份。",
    )


def _over_capacity(view: View) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return view.numbers("min_load") > view.numbers("capacity")


def _over_capacity_problem(view: View, i: int) -> Problem:
    cap = int(view.numbers("capacity")[i])
    return Problem(
        view.source,
        int(view.rows[i]),
        view.header("min_load"),
        int(view.numbers("min_load")[i]),
        f"a minimum load no larger than the capacity ({cap})",
        "Lower the minimum load or raise the capacity.",
        f"不超过带教名额（{cap}）的人数",
        "请降低最少带教人数，或增加带教名额。",
    )


def _kept_twice(view: View) -> np.ndarray:
    keep = (view.values("rule") == "keep").to_numpy(dtype=bool)
    twice = np.zeros(len(view), dtype=bool)
    twice[keep] = view.values("secretary_id")[keep].duplicated(keep="first").to_numpy()
    return twice


def _kept_twice_problem(view: View, i: int) -> Problem:
    return Problem(
        view.source,
        int(view.rows[i]),
        view.header("secretary_id"),
        plain(view.values("secretary_id").iloc[i]),
        "at most one pair to keep per secretary",
        "Delete all but one of the keep rules for this secretary.",
        "每名书记至多一条“保留”规则",
        "请只留下其中一条“保留”规则。",
    )


#: Rules between columns of one row, each declared once for both containers.
ROW_RULES = (
    RowRule("secretaries", ("birth_year", "appointed_year"), _too_young, _too_young_problem),
    RowRule("mentors", ("min_load", "capacity"), _over_capacity, _over_capacity_problem),
    RowRule("constraints", ("secretary_id", "rule"), _kept_twice, _kept_twice_problem),
)


def check_rows(view: View, add: Collector) -> None:
    """The rules between columns of one row that apply to the view's table."""
    for rule in ROW_RULES:
        if rule.table != view.table.name or (view.region and not rule.region):
            continue
        if not all(view.has(c) for c in rule.columns) or not len(view):
            continue
        for i in np.flatnonzero(rule.bad(view))[: add.room]:
            add(rule.problem(view, int(i)))
