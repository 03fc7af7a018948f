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

from mentormatch.errors import MAX_PROBLEMS, Problem, place
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
    "header_key",
    "LIST_SEPARATORS",
]

#: Separators accepted inside a list cell; lists are written back with the first.
LIST_SEPARATORS = ";；、,，"
_LIST_SPLIT = re.compile("[" + re.escape(LIST_SEPARATORS) + "]")


def header_key(text: str) -> str:
    """A header as the loader compares it: NFKC, lower case, without any space or line
    break (offices wrap long headers: ``最多带教\\n人数``, ``基地 名称``).

    >>> header_key(" 最多带教\\n人数 "), header_key("Needs_Mentor")
    ('最多带教人数', 'needs_mentor')
    """
    return re.sub(r"\s+", "", normalize_text(text))


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``kind`` is one of ``id`` (identifier text), ``text``, ``vocab`` (one coded value),
    ``vocab_list`` (several coded values), ``id_list``, ``int``, ``year``, ``float``,
    ``share`` (a fraction in [0, 1]; ``45%`` is read as 0.45) or ``bool``.

    ``aliases`` are other headers that mean the same column; ``loose`` are headers that
    probably mean it (老龄化率 may count from 60 or from 65): they are read, with a
    warning. A column with ``written_if_empty=False`` is left out of saved files when
    no row has a value (so files written before it existed stay the same).
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
    loose: tuple[str, ...] = ()
    written_if_empty: bool = True

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header accepted for this column."""
        return (self.name, self.zh, *self.aliases, *self.loose)

    def headers_for(self, lang: str) -> tuple[str, ...]:
        """Every accepted header, those of ``lang`` first (a Chinese roster is told the
        Chinese headers first)."""
        chinese = (self.zh, *self.aliases, *self.loose)
        return (*chinese, self.name) if lang == "zh" else (self.name, *chinese)

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

    def expected(self, lang: str = "en") -> str:
        """What a valid value looks like, in words.

        >>> col = TABLES["secretaries"].column("birth_year")
        >>> col.expected(), col.expected("zh")
        ('a year (2021, 2021年 or 2021年3月) from 1940 to 2010', '1940 到 2010 之间的年份')
        """
        if lang == "zh":
            return self._expected_zh()
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

    def _expected_zh(self) -> str:
        if self.kind == "vocab":
            return self.vocab.describe(lang="zh")
        if self.kind == "vocab_list":
            return "用、或；分隔的若干项，每项为" + self.vocab.describe(lang="zh")
        if self.kind == "id_list":
            return "用、或；分隔的编号"
        if self.kind == "bool":
            return "“是”或“否”"
        if self.kind == "share":
            return "0 到 1 之间的比例（如 0.45 或 45%）"
        rng = _range_text_zh(self.low, self.high)
        if self.kind == "year":
            return f"{rng}的年份" if rng else "年份"
        if self.kind == "int":
            return f"{rng}的整数" if rng else "整数"
        if self.kind == "float":
            return f"{rng}的数" if rng else "数"
        return self.zh

    def fix(self, lang: str = "en", *, empty: bool = False, unreadable: bool = True) -> str:
        """How to put a bad cell of this column right, as a sentence: fill it in
        (``empty``), write it in the expected form (``unreadable``) or check it."""
        zh = lang == "zh"
        if empty:
            return "请填写这一格。" if zh else "Fill in the cell."
        if not unreadable:
            return "请核对并改正。" if zh else "Check the value and correct it."
        return (_FIXES_ZH if zh else _FIXES).get(self.kind, _FIXES_ZH[""] if zh else _FIXES[""])


_FIXES = {
    "year": "Write the year in digits, e.g. 1990.",
    "int": "Write a whole number in digits, e.g. 5.",
    "float": "Write a number in digits, e.g. 85.5.",
    "share": "Write a share such as 0.37 or 37%.",
    "bool": "Write 是 or 否.",
    "vocab": "Use one of the spellings listed in the data dictionary (data/README.md).",
    "vocab_list": "Use the spellings listed in the data dictionary (data/README.md).",
    "": "Check the value and correct it.",
}
_FIXES_ZH = {
    "year": "请用阿拉伯数字填写年份，如 1990。",
    "int": "请用阿拉伯数字填写整数，如 5。",
    "float": "请用阿拉伯数字填写，如 85.5。",
    "share": "请填写 0.37 或 37% 这样的比例。",
    "bool": "请填写“是”或“否”。",
    "vocab": "请改用数据字典（data/README.md）中列出的写法。",
    "vocab_list": "请改用数据字典（data/README.md）中列出的写法。",
    "": "请核对并改正。",
}


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


def _range_text_zh(low: float | None, high: float | None) -> str:
    def fmt(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    if low is not None and high is not None:
        return f"{fmt(low)} 到 {fmt(high)} 之间"
    if low is not None:
        return f"不小于 {fmt(low)} "
    if high is not None:
        return f"不大于 {fmt(high)} "
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
        """Header key (:func:`header_key`) -> canonical column name."""
        return {header_key(h): c.name for c in self.columns for h in c.headers}

    def loose_headers(self) -> dict[str, str]:
        """Header key of a loose alias -> canonical column name (read with a warning)."""
        return {header_key(h): c.name for c in self.columns for h in c.loose}


def _c(name: str, kind: str, zh: str, *aliases: str, **kw) -> Column:
    return Column(name, kind, zh, tuple(aliases), **kw)


#: The roster's notes (备注: 产假中, 拟调任...), carried as they are into plans.
_NOTE = _c(
    "note",
    "text",
    "备注",
    "说明",
    "备注说明",
    required=False,
    written_if_empty=False,
    doc="the roster's notes, free text (产假中, 拟调任); carried into plans; "
    "left out of saved files when empty",
)

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
        _c("community_type", "vocab", "小区类型", vocab=COMMUNITY_TYPES, loose=("类型",)),
        _c("households", "int", "户数", "居民户数", low=0, high=100_000, unit="households"),
        _c(
            "share_aged_60_plus",
            "share",
            "60岁以上占比",
            "60岁及以上占比",
            loose=("老年人口占比", "老龄化率"),
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
            loose=("原带教老师",),
            required=False,
            doc="mentor in the previous cycle (may have left the programme); empty if none",
        ),
        _NOTE,
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
        _c(
            "community_types",
            "vocab_list",
            "熟悉小区类型",
            vocab=COMMUNITY_TYPES,
            loose=("小区类型",),
        ),
        _c("expertise", "vocab_list", "擅长领域", "专长", vocab=CHALLENGES),
        _c("capacity", "int", "带教名额", "最多带教人数", low=0, unit="mentees"),
        _c("min_load", "int", "最少带教人数", required=False, low=0, unit="mentees"),
        _NOTE,
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
        _c("n_raters", "int", "评价人数", loose=("人数",), low=1, high=100_000, unit="raters"),
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
    r"^(\d{4})(?:\s*年)?(?P<rest>(?:\s*[-/.]?\s*\d{1,2}\s*月?)?(?:\s*[-/.]?\s*\d{1,2}\s*日?)?"
    r"(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?)$"
)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: A number whose commas separate thousands (1,234 or 12,345.5): read without a warning.
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


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


@dataclass(frozen=True)
class _Why:
    """Why a cell could not be read: what was expected and the fix, in both languages."""

    expected: str
    expected_zh: str
    fix: str
    fix_zh: str


@dataclass(frozen=True)
class _Guess:
    """How a cell was read by guessing: ``kind`` (``vocab``, ``date``, ``percent``,
    ``comma``), the value read, and for a vocabulary the term taken."""

    kind: str
    value: object
    term: object = None


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
    return _read_year(text)[0]


def _read_year(text: str) -> tuple[int, bool]:
    """(year, whether a month or day was dropped)."""
    m = _YEAR.match(_clean(text).lower())
    if not m:
        # A whole number written as 2021.0 by a spreadsheet export.
        return _parse_int(text), False
    return int(m.group(1)), bool(m.group("rest").strip())


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
    warnings: list[Problem] | None = None,
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
    warnings : list, optional
        Values read by guessing are reported here (one record per column and written
        value, or per column for dates and percentages, with every row concerned).

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
            raw[col.name],
            col,
            source,
            rows,
            headers.get(col.name, col.name),
            problems,
            warnings,
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
    warnings: list[Problem] | None = None,
) -> pd.Series:
    """Parse one column cell by cell, through a cache of distinct values (rosters repeat)."""
    cache: dict[str, tuple[object, _Why | None, _Guess | None]] = {}
    parsed: list[object] = []
    guessed: dict[tuple, list[tuple[int, str, _Guess]]] = {}
    for i, text in enumerate(values.tolist()):
        text = "" if text is None else str(text)
        if text not in cache:
            cache[text] = _parse_cell(text, col)
        value, why, guess = cache[text]
        if why is not None and len(problems) < MAX_PROBLEMS:
            problems.append(
                Problem(
                    source,
                    int(rows[i]),
                    header,
                    text,
                    why.expected,
                    why.fix,
                    why.expected_zh,
                    why.fix_zh,
                )
            )
        if guess is not None:
            # Dates and percentages: one record per column; other guesses per value.
            key = (guess.kind,) if guess.kind in ("date", "percent") else (guess.kind, text)
            guessed.setdefault(key, []).append((int(rows[i]), text, guess))
        parsed.append(value)
    if warnings is not None:
        for found in guessed.values():
            # A year read off a date (2021年3月) or a share off a percentage (45.7%) is
            # exact, not a guess: an office writes them so, and no warning is due.
            if found[0][2].kind not in _EXACT_FORMS:
                warnings.append(_guess_record(source, header, col, found))
    return _to_series(parsed, col)


#: Forms read exactly (no warning): a date where a year is expected, a percentage share.
_EXACT_FORMS = ("date", "percent")


def _guess_record(
    source: str, header: str, col: Column, found: list[tuple[int, str, _Guess]]
) -> Problem:
    """The warning for the cells of one column read by the same guess."""
    rows = tuple(r for r, _, _ in found)
    _, text, guess = found[0]
    shown = text.strip()
    en, zh = place(source, "en", rows, header), place(source, "zh", rows, header)
    if guess.kind == "vocab":
        terms = guess.term if isinstance(guess.term, tuple) else (guess.term,)
        written = guess.value if isinstance(guess.value, tuple) else (shown,)
        read = "、".join(t.zh for t in terms)
        pairs_en = "; ".join(
            _vocab_guess_text(col, w, t, "en") for w, t in zip(written, terms, strict=True)
        )
        pairs_zh = "；".join(
            _vocab_guess_text(col, w, t, "zh") for w, t in zip(written, terms, strict=True)
        )
        return Problem(
            source,
            rows[0],
            header,
            shown,
            f"read as {read}",
            f"If that is right, write {read} to silence this warning; otherwise correct the cell.",
            f"已按「{read}」读取",
            f"如无误，请改写为「{read}」；否则请改正。",
            kind="guess",
            rows=rows,
            statement=(f"{en}: {pairs_en}.", f"{zh}{pairs_zh}。"),
        )
    value = guess.value
    if guess.kind == "date":
        return Problem(
            source,
            rows[0],
            header,
            shown,
            f"read as the year {value}",
            "If only the year is meant, write the year alone (e.g. "
            f"{value}) to silence this warning.",
            f"已读取年份 {value}",
            f"如只需年份，请只填年份（如 {value}）。",
            kind="guess",
            rows=rows,
            statement=(
                f"{en}: a date is written where a year is expected (e.g. {shown!r}, read "
                f"as {value}); only the year was read.",
                f"{zh}填的是年月或日期（如「{shown}」读作 {value}），只读取了年份。",
            ),
        )
    if guess.kind == "percent":
        return Problem(
            source,
            rows[0],
            header,
            shown,
            f"read as the share {value:g}",
            f"Write the share as a fraction ({value:g}) to silence this warning.",
            f"已按比例 {value:g} 读取",
            f"如无误，可改填小数（如 {value:g}）。",
            kind="guess",
            rows=rows,
            statement=(
                f"{en}: the share is written as a percentage (e.g. {shown!r}, read as "
                f"{value:g}) and was read as a fraction.",
                f"{zh}以百分数填写（如「{shown}」读作 {value:g}），已按小数读取。",
            ),
        )
    # A comma that does not separate thousands.
    number = int(value) if float(value).is_integer() else value
    return Problem(
        source,
        rows[0],
        header,
        shown,
        f"read as {number}",
        f"If one number is meant, write {number}; if several, the cell can hold only one.",
        f"已按 {number} 读取",
        f"如是一个数，请写作 {number}；如是几个数，这一格只能填一个。",
        kind="guess",
        rows=rows,
        statement=(
            f"{en}: {shown!r} holds a comma that does not separate thousands; it was "
            f"read as {number}.",
            f"{zh}为「{shown}」，其中的逗号不是千位分隔符，已按 {number} 读取。",
        ),
    )


def _vocab_guess_text(col: Column, written: str, term, lang: str) -> str:
    """``'长征街道' was read as 长征镇 (a town: Putuo has no sub-district 长征街道)``."""
    if col.vocab.name == "street_town":
        town = term.zh.endswith("镇") and not term.zh.endswith("镇街道")
        if lang == "zh":
            kind = "镇" if town else "街道"
            return f"「{written}」已按「{term.zh}」读取：{term.zh}是{kind}，普陀区没有「{written}」"
        kind, other = ("a town", "sub-district") if town else ("a sub-district", "town")
        return (
            f"{written!r} was read as {term.zh} ({term.code}): {term.zh} is {kind}, and "
            f"Putuo has no {other} called {written}"
        )
    if lang == "zh":
        return f"「{written}」不是规范写法，已按「{term.zh}」读取"
    return f"{written!r} is not an accepted spelling and was read as {term.zh} ({term.code})"


def _parse_cell(text: str, col: Column) -> tuple[object, _Why | None, _Guess | None]:
    """(value, None, guess or None) or (None, why it is unreadable, None)."""
    if col.kind in ("vocab_list", "id_list"):
        items = _split_list(text)
        if col.kind == "id_list":
            return tuple(dict.fromkeys(items)), None, None
        codes, guessed = [], []
        for item in items:
            code, how = col.vocab.read(item)
            if code is None:
                return None, _vocab_why(col, item), None
            if how == "guess":
                guessed.append((item, code))
            codes.append(code)
        guess = None
        if guessed:
            guess = _Guess(
                "vocab",
                tuple(w for w, _ in guessed),
                tuple(col.vocab[c] for _, c in guessed),
            )
        return tuple(dict.fromkeys(codes)), None, guess
    if _is_missing(text, col):
        if col.required:
            return None, _Why(col.expected(), col.expected("zh"), *_fixes(col, empty=True)), None
        return None, None, None
    try:
        if col.kind == "vocab":
            code, how = col.vocab.read(text)
            if code is None:
                return None, _vocab_why(col, text), None
            guess = _Guess("vocab", _clean(text), col.vocab[code]) if how == "guess" else None
            return code, None, guess
        if col.kind == "id":
            return _parse_id(text), None, None
        if col.kind == "text":
            return _parse_text(text), None, None
        if col.kind == "year":
            year, dropped = _read_year(text)
            return year, None, (_Guess("date", year) if dropped else None)
        value = _SCALAR_PARSERS[col.kind](text)
        clean = _clean(text)
        if col.kind == "share" and clean.endswith("%"):
            return value, None, _Guess("percent", value)
        if col.kind in ("int", "float", "share") and "," in clean:
            if not _THOUSANDS.match(clean.replace(" ", "").rstrip("%")):
                return value, None, _Guess("comma", value)
        return value, None, None
    except _Bad:
        return None, _Why(col.expected(), col.expected("zh"), *_fixes(col)), None


def _fixes(col: Column, **kw) -> tuple[str, str]:
    return col.fix("en", **kw), col.fix("zh", **kw)


def _vocab_why(col: Column, text: str) -> _Why:
    guess = col.vocab.suggest(text)
    fix, fix_zh = _fixes(col)
    if guess is not None:
        term = col.vocab[guess]
        fix = f"Did you mean {term.code} ({term.zh})? " + fix
        fix_zh = f"是否应为「{term.zh}」？" + fix_zh
    return _Why(
        f"a known {col.vocab.name}: {col.vocab.describe(limit=8)}",
        col.vocab.describe(limit=8, lang="zh"),
        fix,
        fix_zh,
    )


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
                    statement=(
                        f"The {name} table ({zh}) is missing.",
                        f"缺少「{zh}」表。",
                    ),
                )
            )
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
        source, rownums, hdrs = where(name)
        _check_table(TABLES[name], df, source, rownums, hdrs, add)
        if name in REQUIRED_TABLES and len(df) == 0:
            zh = TABLES[name].zh
            add(
                Problem(
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
            )
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
    # A roster with Chinese headers is told the Chinese headers first.
    lang = "zh" if any(_has_cjk(h) for h in hdrs.values()) else "en"
    for col in missing:
        add(_missing_column(source, col, lang))
    for col in spec.columns:
        if col.name not in df.columns:
            continue
        header = hdrs.get(col.name, col.name)
        series = df[col.name]
        for i in _bad_positions(series, col):
            value = series.iloc[i]
            shown = None if _scalar_missing(value) else _plain(value)
            fix, fix_zh = _fixes(col, empty=shown is None, unreadable=False)
            if shown is not None and col.kind == "vocab":
                fix, fix_zh = _fixes(col)
            add(
                Problem(
                    source,
                    int(rownums[i]),
                    header,
                    shown,
                    col.expected(),
                    fix,
                    col.expected("zh"),
                    fix_zh,
                )
            )
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
                before = int(rownums[first[key]])
                several = len(keys) > 1
                add(
                    Problem(
                        source,
                        int(rownums[i]),
                        hdrs.get(keys[0], keys[0]),
                        shown if several else key[0],
                        f"a unique {'combination' if several else 'ID'} "
                        f"(already used on row {before})",
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
    _check_rows(spec, df, source, rownums, hdrs, add)


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
                        "Check the birth year and the year of appointment.",
                        f"比出生年份（{int(birth[i])}）至少晚 18 年的年份",
                        "请核对出生年份和任职年份。",
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
                        "Lower the minimum load or raise the capacity.",
                        f"不超过带教名额（{int(cap[i])}）的人数",
                        "请降低最少带教人数，或增加带教名额。",
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
                    "Delete all but one of the keep rules for this secretary.",
                    "每名书记至多一条“保留”规则",
                    "请只留下其中一条“保留”规则。",
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
            spec = TABLES[target]
            what_zh = spec.column(target_col).zh
            for value, where_found in first_rows.items():
                more = len(where_found) - 1
                also = f" (also on {more} more row{'s' if more > 1 else ''})" if more else ""
                also_zh = f"（另有 {more} 行也是如此）" if more else ""
                add(
                    Problem(
                        source,
                        int(rownums[where_found[0]]),
                        hdrs.get(column, column),
                        value,
                        f"an existing {target_col} from the {target} table{also}",
                        f"Check the ID, or add the missing row to the {target} table.",
                        f"「{spec.zh}」表中已有的{what_zh}{also_zh}",
                        f"请核对编号，或在「{spec.zh}」表中补上这一行。",
                        kind="reference",
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
            if col.loose:
                headers += " (read with a warning: " + " / ".join(col.loose) + ")"
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
