"""The tables of a District: their columns, types, allowed values and Chinese headers.

Two jobs live here, kept apart:

* :func:`parse_table` turns the cells a person typed (text) into typed columns,
  collecting a :class:`~mentormatch.errors.Problem` for every cell it cannot read;
* :func:`validate_tables` checks typed tables: required columns, ranges, vocabulary,
  unique IDs and references between tables. Files and frames built in code go through
  the same checks.

Column headers may be the English codes or the Chinese headers a planner types; both
are listed here, so that no Chinese literal is scattered elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mentormatch.errors import MAX_PROBLEMS, Problem
from mentormatch.vocab import (
    CAREER_EVENTS,
    CHALLENGES,
    COMMUNITY_TYPES,
    CONSTRAINT_RULES,
    DIMENSIONS,
    EDUCATION,
    GENDERS,
    SOURCES,
    STREET_TOWNS,
    Vocabulary,
    normalize_text,
)

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "TABLE_ORDER",
    "REQUIRED_TABLES",
    "parse_table",
    "validate_tables",
    "empty_table",
    "LIST_SEPARATORS",
]

#: Separators accepted inside a list cell; lists are written back with the first.
LIST_SEPARATORS = ";；、,，"
_LIST_SPLIT = re.compile("[" + re.escape(LIST_SEPARATORS) + "]")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``kind`` is one of ``id`` (identifier text), ``text``, ``vocab`` (one coded value),
    ``vocab_list`` (several coded values), ``id_list``, ``int``, ``year``, ``float``,
    ``share`` (a fraction in [0, 1]; ``45%`` is read as 0.45) or ``bool``.
    """

    name: str
    kind: str
    zh: str
    aliases: tuple[str, ...] = ()
    vocab: Vocabulary | None = None
    required: bool = True
    low: float | None = None
    high: float | None = None
    unit: str = ""
    doc: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header accepted for this column."""
        return (self.name, self.zh, *self.aliases)

    @property
    def dtype(self) -> object:
        """The pandas dtype of the column in a District."""
        if self.kind in ("int", "year"):
            return "int64" if self.required else "Int64"
        if self.kind in ("float", "share"):
            return "float64"
        if self.kind == "bool":
            return "bool"
        if self.kind in ("vocab_list", "id_list"):
            return object
        return "str"

    def expected(self) -> str:
        """What a valid value looks like, in words."""
        if self.kind == "vocab":
            return self.vocab.describe()
        if self.kind == "vocab_list":
            sep = "; ".join(LIST_SEPARATORS[:3])
            return f"a list separated by {sep}, each " + self.vocab.describe()
        if self.kind == "id_list":
            return "a list of IDs separated by ;"
        if self.kind == "bool":
            return "yes or no (是/否, true/false, 1/0)"
        if self.kind == "share":
            return "a share between 0 and 1 (0.45 or 45%)"
        rng = _range_text(self.low, self.high)
        if self.kind == "year":
            return "a year (2021, 2021年 or 2021年3月)" + rng
        if self.kind == "int":
            return "a whole number" + rng
        if self.kind == "float":
            return "a number" + rng
        return "a non-empty text"


def _range_text(low: float | None, high: float | None) -> str:
    def fmt(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    if low is not None and high is not None:
        return f" from {fmt(low)} to {fmt(high)}"
    if low is not None:
        return f" >= {fmt(low)}"
    if high is not None:
        return f" <= {fmt(high)}"
    return ""


@dataclass(frozen=True)
class Table:
    """A table of the District: its columns, file name, Chinese sheet name and keys."""

    name: str
    zh: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    doc: str = ""
    references: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)
    aliases: tuple[str, ...] = field(default=())

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return (self.name, self.zh, *self.aliases)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def header_lookup(self) -> dict[str, str]:
        """Normalised header -> canonical column name."""
        return {normalize_text(h): c.name for c in self.columns for h in c.headers}


def _c(name: str, kind: str, zh: str, *aliases: str, **kw) -> Column:
    return Column(name, kind, zh, tuple(aliases), **kw)


SECRETARIES = Table(
    "secretaries",
    "书记",
    (
        _c("secretary_id", "id", "书记编号", "编号", "工号", doc="unique ID of the secretary"),
        _c("name", "text", "姓名", doc="name (synthetic in the sample)"),
        _c("gender", "vocab", "性别", vocab=GENDERS),
        _c("birth_year", "year", "出生年份", "出生年月", "出生日期", low=1940, high=2010),
        _c("education", "vocab", "学历", "文化程度", vocab=EDUCATION),
        _c(
            "appointed_year",
            "year",
            "任职年份",
            "任职时间",
            "任书记年份",
            low=1980,
            high=2035,
            doc="year appointed secretary of the current community",
        ),
        _c("street_town", "vocab", "街镇", "所属街镇", vocab=STREET_TOWNS),
        _c("community_id", "id", "居民区编号", "居村编号", "社区编号"),
        _c("community_name", "text", "居民区", "居民区名称", "居村", "社区"),
        _c("community_type", "vocab", "小区类型", "类型", vocab=COMMUNITY_TYPES),
        _c("households", "int", "户数", "居民户数", low=0, high=100_000, unit="households"),
        _c(
            "share_aged_60_plus",
            "share",
            "60岁以上占比",
            "老年人口占比",
            "老龄化率",
            low=0,
            high=1,
            unit="share of residents",
        ),
        _c("challenges", "vocab_list", "主要难题", "难题", vocab=CHALLENGES),
        _c(
            "prior_communities",
            "id_list",
            "曾任职居民区",
            "曾任职居民区编号",
            required=False,
            doc="IDs of communities served earlier (may lie outside the district)",
        ),
        _c("needs_mentor", "bool", "需要带教", "是否需要带教"),
        _c(
            "mentored_since",
            "year",
            "带教起始年份",
            "开始带教年份",
            required=False,
            low=2000,
            high=2035,
            doc="year the secretary first had a mentor; empty if never",
        ),
        _c(
            "previous_mentor_id",
            "id",
            "原带教老师编号",
            "原带教老师",
            required=False,
            doc="mentor in the previous cycle (may have left the programme); empty if none",
        ),
    ),
    key=("secretary_id",),
    doc="one row per secretary (in post or departed: see career)",
)

MENTORS = Table(
    "mentors",
    "带教老师",
    (
        _c("mentor_id", "id", "带教老师编号", "编号"),
        _c("name", "text", "姓名"),
        _c("street_town", "vocab", "街镇", "所属街镇", vocab=STREET_TOWNS),
        _c("community_id", "id", "居民区编号", "居村编号"),
        _c("years_as_secretary", "int", "书记年限", "任书记年限", low=0, high=60, unit="years"),
        _c("community_types", "vocab_list", "熟悉小区类型", "小区类型", vocab=COMMUNITY_TYPES),
        _c("expertise", "vocab_list", "擅长领域", "专长", vocab=CHALLENGES),
        _c("capacity", "int", "带教名额", "最多带教人数", low=0, unit="mentees"),
        _c("min_load", "int", "最少带教人数", required=False, low=0, unit="mentees"),
    ),
    key=("mentor_id",),
    doc="one row per mentor (带教老师)",
)

BASES = Table(
    "bases",
    "实训基地",
    (
        _c("base_id", "id", "基地编号", "编号"),
        _c("name", "text", "基地名称", "名称"),
        _c("community_id", "id", "居民区编号", "居村编号"),
        _c("street_town", "vocab", "街镇", "所属街镇", vocab=STREET_TOWNS),
        _c("themes", "vocab_list", "带教主题", "主题", vocab=CHALLENGES),
        _c("capacity", "int", "容量", "接待名额", low=0, unit="trainees"),
    ),
    key=("base_id",),
    aliases=("实教实训基地", "基地"),
    doc="one row per practice base (实教实训基地)",
)

ASSESSMENTS = Table(
    "assessments",
    "测评",
    (
        _c("secretary_id", "id", "书记编号", "编号"),
        _c("wave", "year", "年度", "年份", low=2000, high=2035),
        _c("dimension", "vocab", "维度", "评估维度", vocab=DIMENSIONS),
        _c("source", "vocab", "来源", "评价来源", vocab=SOURCES),
        _c("score", "float", "得分", "分数", low=0, high=100, unit="points"),
        _c("n_raters", "int", "评价人数", "人数", low=1, high=100_000, unit="raters"),
    ),
    key=("secretary_id", "wave", "dimension", "source"),
    references=(("secretary_id", "secretaries", "secretary_id"),),
    aliases=("组织力评估", "评估"),
    doc="organizational-capacity assessment, long form",
)

CONSTRAINTS = Table(
    "constraints",
    "约束",
    (
        _c("secretary_id", "id", "书记编号"),
        _c("mentor_id", "id", "带教老师编号"),
        _c("rule", "vocab", "规则", vocab=CONSTRAINT_RULES),
    ),
    key=("secretary_id", "mentor_id"),
    references=(
        ("secretary_id", "secretaries", "secretary_id"),
        ("mentor_id", "mentors", "mentor_id"),
    ),
    doc="pairs to forbid or to keep",
)

CAREER = Table(
    "career",
    "履职",
    (
        _c("secretary_id", "id", "书记编号"),
        _c("event", "vocab", "事件", vocab=CAREER_EVENTS),
        _c("year", "year", "年份", low=2000, high=2035),
    ),
    key=("secretary_id", "event", "year"),
    references=(("secretary_id", "secretaries", "secretary_id"),),
    doc="career events: promoted, recruited as civil servant, left",
)

TABLES: dict[str, Table] = {
    t.name: t for t in (SECRETARIES, MENTORS, BASES, ASSESSMENTS, CONSTRAINTS, CAREER)
}
TABLE_ORDER = tuple(TABLES)
#: Tables a District cannot do without; the others may be absent (then empty).
REQUIRED_TABLES = ("secretaries", "mentors")


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the right columns and dtypes."""
    table = TABLES[name]
    return pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in table.columns})


# --- Parsing cells ---------------------------------------------------------------------

_MISSING = {"", "nan", "none", "null", "na", "n/a", "-", "—", "无"}
_TRUE = {"true", "yes", "y", "1", "是", "需要", "√", "✓", "t"}
_FALSE = {"false", "no", "n", "0", "否", "不需要", "×", "✗", "f"}
_YEAR = re.compile(
    r"^(\d{4})(?:\s*年)?(?:\s*[-/.]?\s*\d{1,2}\s*月?)?(?:\s*[-/.]?\s*\d{1,2}\s*日?)?"
    r"(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _clean(text: str) -> str:
    """Trim ordinary and full-width spaces; NFKC makes full-width digits and letters ASCII."""
    return unicodedata.normalize("NFKC", text).strip()


def _is_missing(text: str, col: Column) -> bool:
    """Blank, or (except in required names and IDs) a placeholder such as NA or 无."""
    clean = _clean(text).lower()
    if col.kind in ("text", "id") and col.required:
        return clean == ""
    return clean in _MISSING


class _Bad(Exception):
    """A cell could not be read; the message says what was expected."""


def _parse_number(text: str) -> float:
    t = _clean(text).replace(",", "").replace(" ", "")
    if not _NUMBER.match(t):
        raise _Bad
    value = float(t)
    if not np.isfinite(value):
        raise _Bad
    return value


def _parse_int(text: str) -> int:
    value = _parse_number(text)
    if not value.is_integer() or abs(value) > 2**53:
        raise _Bad
    return int(value)


def _parse_year(text: str) -> int:
    m = _YEAR.match(_clean(text).lower())
    if not m:
        # A whole number written as 2021.0 by a spreadsheet export.
        return _parse_int(text)
    return int(m.group(1))


def _parse_share(text: str) -> float:
    t = _clean(text)
    if t.endswith("%"):
        # Rounded so that 28.6% is exactly the 0.286 a person means, not 0.28600000000000003.
        return round(_parse_number(t[:-1]) / 100, 10)
    return _parse_number(t)


def _parse_bool(text: str) -> bool:
    t = _clean(text).lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise _Bad


def _split_list(text: str) -> list[str]:
    return [p for p in (_clean(x) for x in _LIST_SPLIT.split(text)) if p]


_SCALAR_PARSERS: dict[str, Callable[[str], object]] = {
    "int": _parse_int,
    "year": _parse_year,
    "float": _parse_number,
    "share": _parse_share,
    "bool": _parse_bool,
}


def _parse_id(text: str) -> str:
    t = _clean(text)
    if not t:
        raise _Bad
    return t


def _parse_text(text: str) -> str:
    # Names keep their characters (no NFKC, which could alter rare ideographs); only
    # the surrounding ordinary and ideographic spaces go.
    t = text.strip().strip("\u3000").strip()
    if not t:
        raise _Bad
    return t


def parse_table(
    raw: pd.DataFrame,
    table: str,
    *,
    source: str,
    rows: Sequence[int],
    headers: Mapping[str, str],
    problems: list[Problem],
) -> pd.DataFrame:
    """Typed table from cells read as text.

    Parameters
    ----------
    raw : DataFrame
        One column per canonical column name present in the file, all values ``str``.
    table : str
        The table's name (a key of :data:`TABLES`).
    source : str
        The file or sheet name, for messages.
    rows : sequence of int
        The spreadsheet row number of each row of ``raw``.
    headers : mapping
        Canonical column name -> header as written in the file, for messages.
    problems : list
        Problems found are appended here.

    Returns
    -------
    DataFrame
        The typed table; unreadable cells are left missing and reported.
    """
    spec = TABLES[table]
    rows = np.asarray(rows)
    out: dict[str, pd.Series] = {}
    for col in spec.columns:
        if col.name not in raw.columns:
            # A missing required column is left out, for validate_tables to report once.
            if not col.required:
                out[col.name] = _default_column(col, len(raw))
            continue
        out[col.name] = _parse_column(
            raw[col.name], col, source, rows, headers.get(col.name, col.name), problems
        )
    return pd.DataFrame(out, index=pd.RangeIndex(len(raw)))


def _default_column(col: Column, n: int) -> pd.Series:
    """The column as if every cell were empty (a missing column is reported elsewhere)."""
    if col.kind in ("vocab_list", "id_list"):
        return pd.Series([()] * n, dtype=object)
    if col.kind == "bool":
        return pd.Series([False] * n, dtype=bool)
    if col.kind in ("int", "year"):
        return pd.Series([pd.NA] * n, dtype="Int64")
    return pd.Series([np.nan] * n, dtype=col.dtype)


def _parse_column(
    values: pd.Series,
    col: Column,
    source: str,
    rows: np.ndarray,
    header: str,
    problems: list[Problem],
) -> pd.Series:
    """Parse one column cell by cell, through a cache of distinct values (rosters repeat)."""
    cache: dict[str, tuple[object, str | None]] = {}
    parsed: list[object] = []
    for i, text in enumerate(values.tolist()):
        text = "" if text is None else str(text)
        if text not in cache:
            cache[text] = _parse_cell(text, col)
        value, why = cache[text]
        if why is not None and len(problems) < MAX_PROBLEMS:
            problems.append(Problem(source, int(rows[i]), header, text, why))
        parsed.append(value)
    return _to_series(parsed, col)


def _parse_cell(text: str, col: Column) -> tuple[object, str | None]:
    """(value, None) or (None, what was expected)."""
    if col.kind in ("vocab_list", "id_list"):
        items = _split_list(text)
        if col.kind == "id_list":
            return tuple(dict.fromkeys(items)), None
        codes = []
        for item in items:
            code = col.vocab.parse(item)
            if code is None:
                return None, _vocab_expected(col, item)
            codes.append(code)
        return tuple(dict.fromkeys(codes)), None
    if _is_missing(text, col):
        if col.required:
            return None, col.expected() + " (the cell is empty)"
        return None, None
    try:
        if col.kind == "vocab":
            code = col.vocab.parse(text)
            if code is None:
                return None, _vocab_expected(col, text)
            return code, None
        if col.kind == "id":
            return _parse_id(text), None
        if col.kind == "text":
            return _parse_text(text), None
        return _SCALAR_PARSERS[col.kind](text), None
    except _Bad:
        return None, col.expected()


def _vocab_expected(col: Column, text: str) -> str:
    guess = col.vocab.suggest(text)
    hint = ""
    if guess is not None:
        term = col.vocab[guess]
        hint = f"; did you mean {term.code} ({term.zh})?"
    return f"a known {col.vocab.name}: {col.vocab.describe(limit=8)}{hint}"


def _to_series(values: list[object], col: Column) -> pd.Series:
    dtype = col.dtype
    if dtype is object:
        return pd.Series([() if v is None else v for v in values], dtype=object)
    if dtype == "bool":
        return pd.Series([bool(v) for v in values], dtype=bool)
    if dtype in ("int64", "Int64"):
        clean = [pd.NA if v is None else v for v in values]
        series = pd.Series(clean, dtype="Int64")
        # Required ints with unreadable cells stay nullable until the error is raised.
        if dtype == "int64" and not series.isna().any():
            series = series.astype("int64")
        return series
    if dtype == "float64":
        return pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    return pd.Series([np.nan if v is None else v for v in values], dtype="str")


# --- Checking typed tables --------------------------------------------------------------


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
        Table name -> DataFrame, typed as :func:`parse_table` makes them. Missing
        optional tables are allowed.
    sources, rows, headers : mappings, optional
        Per table: the file or sheet name, the spreadsheet row of each row, and the
        header written for each column, for messages. By default the table name, the
        row a saved CSV would have (index + 2) and the canonical column names.
    require_tables : bool
        Report missing required tables (a loader that reported them already says no).

    Returns
    -------
    list of Problem
        Empty when the tables are valid.
    """
    problems = [] if problems is None else problems
    sources = sources or {}
    rows = rows or {}
    headers = headers or {}

    def where(name: str) -> tuple[str, np.ndarray, Mapping[str, str]]:
        df = tables[name]
        return (
            sources.get(name, name),
            np.asarray(rows.get(name, np.arange(len(df)) + 2)),
            headers.get(name, {}),
        )

    def add(p: Problem) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(p)

    for name in REQUIRED_TABLES if require_tables else ():
        if name not in tables:
            add(Problem(f"{name}.csv", None, None, None, f"the {name} table ({TABLES[name].zh})"))
    for name, df in tables.items():
        if name not in TABLES:
            add(Problem(str(name), None, None, None, f"a table named one of {list(TABLES)}"))
            continue
        source, rownums, hdrs = where(name)
        _check_table(TABLES[name], df, source, rownums, hdrs, add)
        if name in REQUIRED_TABLES and len(df) == 0:
            add(Problem(source, None, None, None, f"at least one row of {name}"))
    _check_references(tables, where, add)
    return problems


def _check_table(
    spec: Table,
    df: pd.DataFrame,
    source: str,
    rownums: np.ndarray,
    hdrs: Mapping[str, str],
    add: Callable[[Problem], None],
) -> None:
    missing = [c for c in spec.columns if c.required and c.name not in df.columns]
    for col in missing:
        add(
            Problem(
                source,
                None,
                f"{col.name} ({col.zh})",
                None,
                f"this required column (header {col.name!r} or {col.zh!r})",
            )
        )
    for col in spec.columns:
        if col.name not in df.columns:
            continue
        header = hdrs.get(col.name, col.name)
        series = df[col.name]
        for i in _bad_positions(series, col):
            value = series.iloc[i]
            shown = None if _scalar_missing(value) else _plain(value)
            why = col.expected()
            if shown is None:
                why += " (the cell is empty)"
            add(Problem(source, int(rownums[i]), header, shown, why))
    keys = list(spec.key)
    if all(k in df.columns for k in keys) and len(df):
        # Rows with a missing key part are reported above; they duplicate nothing.
        complete = df[keys].notna().all(axis=1).to_numpy()
        dup = df.duplicated(subset=keys, keep="first").to_numpy() & complete
        if dup.any():
            first: dict[tuple, int] = {}
            for i, key in enumerate(df[keys].itertuples(index=False, name=None)):
                if complete[i]:
                    first.setdefault(key, i)
            for i in np.flatnonzero(dup)[:MAX_PROBLEMS]:
                key = tuple(df[k].iloc[i] for k in keys)
                shown = ", ".join(f"{k}={v}" for k, v in zip(keys, key, strict=True))
                add(
                    Problem(
                        source,
                        int(rownums[i]),
                        hdrs.get(keys[0], keys[0]),
                        shown if len(keys) > 1 else key[0],
                        f"a unique {'combination' if len(keys) > 1 else 'ID'} "
                        f"(already used on row {int(rownums[first[key]])})",
                    )
                )
    _check_rows(spec, df, source, rownums, hdrs, add)


def _plain(value: object) -> object:
    """A numpy scalar as the Python value a message should show."""
    return value.item() if isinstance(value, np.generic) else value


def _scalar_missing(value: object) -> bool:
    if isinstance(value, (tuple, list)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _bad_positions(series: pd.Series, col: Column) -> Iterable[int]:
    """Positions of values that are missing when required, out of range or unknown."""
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
        return np.flatnonzero(bad)
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
    else:
        values = pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()
        bad |= present & ~np.isfinite(values)
        if col.kind in ("int", "year"):
            bad |= present & np.isfinite(values) & (values != np.round(values))
        with np.errstate(invalid="ignore"):
            if col.low is not None:
                bad |= present & (values < col.low)
            if col.high is not None:
                bad |= present & (values > col.high)
    return np.flatnonzero(bad)


def _check_rows(
    spec: Table,
    df: pd.DataFrame,
    source: str,
    rownums: np.ndarray,
    hdrs: Mapping[str, str],
    add: Callable[[Problem], None],
) -> None:
    """Checks that involve two columns of the same row."""
    cols = set(df.columns)
    if spec.name == "secretaries" and {"birth_year", "appointed_year"} <= cols:
        birth = pd.to_numeric(df["birth_year"], errors="coerce").to_numpy(dtype=float)
        appointed = pd.to_numeric(df["appointed_year"], errors="coerce").to_numpy(dtype=float)
        spec_birth = spec.column("birth_year")
        with np.errstate(invalid="ignore"):
            # Only where the birth year itself is plausible: otherwise that is the problem.
            plausible = (birth >= spec_birth.low) & (birth <= spec_birth.high)
            for i in np.flatnonzero(plausible & (appointed < birth + 18)):
                add(
                    Problem(
                        source,
                        int(rownums[i]),
                        hdrs.get("appointed_year", "appointed_year"),
                        int(appointed[i]),
                        f"a year at least 18 years after the birth year ({int(birth[i])})",
                    )
                )
    if spec.name == "mentors" and {"min_load", "capacity"} <= cols:
        low = pd.to_numeric(df["min_load"], errors="coerce").to_numpy(dtype=float)
        cap = pd.to_numeric(df["capacity"], errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            for i in np.flatnonzero(low > cap):
                add(
                    Problem(
                        source,
                        int(rownums[i]),
                        hdrs.get("min_load", "min_load"),
                        int(low[i]),
                        f"a minimum load no larger than the capacity ({int(cap[i])})",
                    )
                )
    if spec.name == "constraints" and {"secretary_id", "rule"} <= cols and len(df):
        keep = df[df["rule"] == "keep"]
        dup = keep.duplicated(subset=["secretary_id"], keep="first")
        for i in keep.index[dup.to_numpy()]:
            add(
                Problem(
                    source,
                    int(rownums[i]),
                    hdrs.get("secretary_id", "secretary_id"),
                    df.at[i, "secretary_id"],
                    "at most one pair to keep per secretary",
                )
            )


def _check_references(
    tables: Mapping[str, pd.DataFrame],
    where: Callable[[str], tuple[str, np.ndarray, Mapping[str, str]]],
    add: Callable[[Problem], None],
) -> None:
    for name, df in tables.items():
        if name not in TABLES:
            continue
        source, rownums, hdrs = where(name)
        for column, target, target_col in TABLES[name].references:
            if column not in df.columns or target not in tables:
                continue
            if target_col not in tables[target].columns:
                continue
            if target in REQUIRED_TABLES and len(tables[target]) == 0:
                continue  # the empty table is reported; every reference would echo it
            known = set(tables[target][target_col].dropna().tolist())
            values = df[column]
            present = ~values.isna().to_numpy()
            unknown = present & ~values.isin(known).to_numpy(dtype=bool)
            # One problem per unknown value (at its first row), not one per row: a
            # mistyped ID in one table often echoes over hundreds of rows in another.
            positions = np.flatnonzero(unknown)
            first_rows: dict[object, list[int]] = {}
            for i in positions:
                first_rows.setdefault(values.iloc[i], []).append(int(i))
            for value, where_found in first_rows.items():
                more = len(where_found) - 1
                also = f" (also on {more} more row{'s' if more > 1 else ''})" if more else ""
                add(
                    Problem(
                        source,
                        int(rownums[where_found[0]]),
                        hdrs.get(column, column),
                        value,
                        f"an existing {target_col} from the {target} table{also}",
                    )
                )


_KIND_TEXT = {
    "id": "text (ID)",
    "text": "text",
    "vocab": "code",
    "vocab_list": "list of codes",
    "id_list": "list of IDs",
    "int": "whole number",
    "year": "year",
    "float": "number",
    "share": "share (0-1)",
    "bool": "yes/no",
}


def data_dictionary() -> str:
    """The data dictionary in Markdown: every table and column (kept in data/README.md)."""
    out = []
    for table in TABLES.values():
        required = "required" if table.name in REQUIRED_TABLES else "optional"
        out.append(f"### `{table.filename}` · {table.zh} ({required})\n")
        out.append(f"{table.doc[0].upper()}{table.doc[1:]}. Key: {', '.join(table.key)}.\n")
        out.append("| column | 中文表头 | type | unit / allowed values | required | notes |")
        out.append("|---|---|---|---|---|---|")
        for col in table.columns:
            if col.vocab is not None:
                allowed = f"`{col.vocab.name}` codes (see Vocabulary)"
            else:
                allowed = " ".join(
                    x for x in (col.unit, _range_text(col.low, col.high).strip()) if x
                )
            headers = " / ".join(dict.fromkeys((col.zh, *col.aliases)))
            out.append(
                f"| `{col.name}` | {headers} | {_KIND_TEXT[col.kind]} | {allowed} | "
                f"{'yes' if col.required else 'no'} | {col.doc} |"
            )
        out.append("")
    return "\n".join(out)


def vocabulary_tables() -> str:
    """Every vocabulary in Markdown: code, Chinese label, English label, other spellings."""
    from mentormatch.vocab import VOCABULARIES

    out = []
    for vocab in VOCABULARIES.values():
        out.append(f"#### `{vocab.name}`\n")
        out.append("| code | 中文 | English | also accepted |")
        out.append("|---|---|---|---|")
        for t in vocab:
            out.append(f"| `{t.code}` | {t.zh} | {t.en} | {', '.join(t.aliases)} |")
        out.append("")
    return "\n".join(out)


def _update_readme(path: str) -> None:
    """Rewrite the generated part of the data README (between its markers)."""
    from pathlib import Path

    start, end = (
        "<!-- generated: python -m mentormatch.schema data/README.md -->\n",
        "<!-- end generated -->",
    )
    text = Path(path).read_text(encoding="utf-8")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    vocab_intro = (
        "\n## Vocabulary\n\nCodes are stable; labels are what charts and Chinese exports show.\n"
        "`mentormatch/vocab.py` is the single place they are defined. Sub-district neighbours\n"
        "(`vocab.NEIGHBOURS`) and the affinity between community types (`vocab.TYPE_AFFINITY`)\n"
        "are assumptions read off public maps and housing descriptions.\n\n"
    )
    body = data_dictionary() + vocab_intro + vocabulary_tables()
    Path(path).write_text(head + start + body + end + tail, encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    import sys

    _update_readme(sys.argv[1])
