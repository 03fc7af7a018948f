"""Columns and tables of the schema: what a column holds and how a bad value is told.

A :class:`Column` says what a valid value is (kind, vocabulary, range, required or
not) and how to say so in Chinese and English (:meth:`Column.expected`,
:meth:`Column.fix`); a :class:`Table` groups columns with a key and references. Both
containers are checked against these: a :class:`~mentormatch.District` as typed from a
roster, a :class:`~mentormatch.region.Region` as integer codes (see
:mod:`mentormatch.schema.region`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mentormatch.vocab import Vocabulary, normalize_text

__all__ = ["Column", "Table", "header_key", "LIST_SEPARATORS"]

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
    ``vocab_list`` (several coded values), ``id_list``, ``int``, ``year``, ``month`` (a
    year and month, held as ``"2024-03"``), ``float``, ``share`` (a fraction in [0, 1];
    ``45%`` is read as 0.45) or ``bool``.

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

        >>> from mentormatch.schema import TABLES
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
        if self.kind == "month":
            return "a year and month (2024-03 or 2024年3月)"
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
        if self.kind == "month":
            return "年月（如 2024-03 或 2024年3月）"
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


def fixes(col: Column, **kw) -> tuple[str, str]:
    """:meth:`Column.fix` in English and in Chinese."""
    return col.fix("en", **kw), col.fix("zh", **kw)


_FIXES = {
    "year": "Write the year in digits, e.g. 1990.",
    "month": "Write the year and month, e.g. 2024-03.",
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
    "month": "请填写年月，如 2024-03。",
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
        """Sheet (or file) names that hold the table: its name (``salon_records`` or
        ``salon records``), its Chinese name, its aliases."""
        spaced = self.name.replace("_", " ")
        return tuple(dict.fromkeys((self.name, spaced, self.zh, *self.aliases)))

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
