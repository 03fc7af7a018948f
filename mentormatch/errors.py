"""The two error types users see: bad data and infeasible problems; and the warning the
loader gives for every value it had to guess.

Both errors carry structure, not just text, so that programs can act on them and the
command line can print one clear message per problem. A :class:`Problem` says where
(file or sheet, spreadsheet row, column as the roster names it), what was found, what
was expected and how to fix it, and reads as a whole sentence in Chinese or English
(:meth:`Problem.text`). The same record describes a guess the loader made (a
:class:`GuessWarning`): then ``expected`` says what the value was read as.

Importing this module costs nothing (no numpy, no pandas): the command line's
``--version`` and ``--help`` import it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

__all__ = [
    "Problem",
    "DataError",
    "InfeasibleError",
    "MissingDependencyError",
    "GuessWarning",
    "MAX_PROBLEMS",
    "TABLE_NAMES_ZH",
    "place",
    "rows_text",
]

#: At most this many problems are collected before validation stops looking.
MAX_PROBLEMS = 50
#: At most this many row numbers are written out in a message about several rows.
MAX_ROWS_SHOWN = 8

#: The Chinese name of each table (the sheet name a planner uses), for messages about
#: tables built in code (``source`` is then the table's English name).
TABLE_NAMES_ZH = {
    "secretaries": "书记",
    "mentors": "带教老师",
    "bases": "实训基地",
    "assessments": "测评",
    "constraints": "约束",
    "career": "履职",
}

_SHEET = re.compile(r"^(?P<file>.*) \[(?P<sheet>[^\]]*)\]$")


def _where(source: str, lang: str) -> str:
    """The file or sheet in words: ``名册.xlsx 工作表「书记」`` / ``名册.xlsx, sheet 书记``."""
    m = _SHEET.match(source)
    if m:
        if lang == "zh":
            return f"{m['file']} 工作表「{m['sheet']}」"
        return f"{m['file']}, sheet {m['sheet']}"
    if source in TABLE_NAMES_ZH:
        return f"「{TABLE_NAMES_ZH[source]}」表" if lang == "zh" else f"table {source}"
    if source in TABLE_NAMES_ZH.values():
        return f"「{source}」表" if lang == "zh" else f"table {source}"
    if lang == "zh":
        if re.search(r"\.(csv|xlsx|xlsm|xls)$", source, re.IGNORECASE):
            return f"文件 {source} "
        if source and source[-1].isascii() and source[-1].isalnum():
            return f"{source} "
    return source


def place(source: str, lang: str, rows: Sequence[int] = (), column: str | None = None) -> str:
    """Where, in words: ``名册.xlsx 工作表「书记」第 5、9 行「所属街镇」`` or
    ``名册.xlsx, sheet 书记, rows 5, 9, column 所属街镇``.

    >>> place("secretaries.csv", "en", [4], "户数"), place("书记", "zh", [4], "户数")
    ('secretaries.csv, row 4, column 户数', '「书记」表第 4 行「户数」')
    """
    where = _where(source, lang)
    if lang == "zh":
        return where + (rows_text(rows, "zh") if rows else "") + (f"「{column}」" if column else "")
    parts = [where] if where else []
    if rows:
        parts.append(rows_text(rows, "en"))
    if column:
        parts.append(f"column {column}")
    return ", ".join(parts)


def _shown(value: object) -> str:
    if isinstance(value, (tuple, list)):
        return "、".join(map(str, value))
    return str(value)


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip()


def rows_text(rows: Sequence[int], lang: str) -> str:
    """Row numbers for a message: ``第 3、5、9 行`` / ``rows 3, 5, 9`` (a few, then a count).

    >>> rows_text([3, 5, 9], "zh"), rows_text([4], "en")
    ('第 3、5、9 行', 'row 4')
    >>> rows_text(list(range(2, 22)), "en")
    'rows 2, 3, 4, 5, 6, 7, 8, 9 and 12 more'
    """
    rows = list(rows)
    shown, more = rows[:MAX_ROWS_SHOWN], len(rows) - MAX_ROWS_SHOWN
    if lang == "zh":
        text = "第 " + "、".join(map(str, shown)) + " 行"
        return text + (f"等 {len(rows)} 行" if more > 0 else "")
    if len(rows) == 1:
        return f"row {rows[0]}"
    head = ", ".join(map(str, shown))
    return f"rows {head}" + (f" and {more} more" if more > 0 else "")


@dataclass(frozen=True)
class Problem:
    """One problem found in the input, or one value the loader had to guess.

    Attributes
    ----------
    source : str
        The file or sheet, as the user named it (``secretaries.csv``,
        ``名册.xlsx [书记]`` for sheet 书记 of 名册.xlsx).
    row : int or None
        The row as the user sees it in a spreadsheet (the header is row 1 unless title
        rows sit above it); ``None`` when the problem concerns the whole table. When
        several rows share the problem, the first of :attr:`rows`.
    column : str or None
        The column header as written in the file (for a missing column: the header the
        roster should carry).
    value : object
        The offending value as written (``None`` when missing).
    expected : str
        What was expected, in English words a planner understands (for a guess: what
        the value was read as).
    suggestion : str
        How to fix it, as an English sentence (empty when there is nothing to add).
    expected_zh, suggestion_zh : str
        The same in Chinese (empty: the English is shown).
    kind : str
        What sort of problem it is (``""`` for a cell, ``"missing_column"``,
        ``"missing_table"``, ``"guess"``, ``"skipped_row"``...), for programs.
    rows : tuple of int
        Every row concerned, when the same problem or guess is seen on several.
    statement : tuple of str
        ``(english, chinese)`` sentences saying what is wrong, when the general form
        ("row 7, column X: the cell reads Y; it should be Z") does not fit.
    """

    source: str
    row: int | None
    column: str | None
    value: object
    expected: str
    suggestion: str = ""
    expected_zh: str = ""
    suggestion_zh: str = ""
    kind: str = ""
    rows: tuple[int, ...] = field(default=(), repr=False)
    statement: tuple[str, ...] = field(default=(), repr=False)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The problem as one or two whole sentences in ``lang`` ("en" or "zh"): where,
        what was found, what was expected and the fix.

        >>> p = Problem("名册.xlsx [书记]", 7, "出生年份", "一九九零", "a year from 1940 to 2010",
        ...             "Write it in digits.", "1940 到 2010 之间的年份", "请用数字填写。")
        >>> print(p.text("zh"))  # doctest: +NORMALIZE_WHITESPACE
        名册.xlsx 工作表「书记」第 7 行「出生年份」为「一九九零」，应为
        1940 到 2010 之间的年份。请用数字填写。
        >>> print(p.text("en"))  # doctest: +NORMALIZE_WHITESPACE
        名册.xlsx, sheet 书记, row 7, column 出生年份: the cell reads '一九九零';
        it should be a year from 1940 to 2010. Write it in digits.
        """
        zh = lang == "zh"
        if self.statement:
            said = self.statement[1] if zh and len(self.statement) > 1 else self.statement[0]
        else:
            said = self._said_zh() if zh else self._said_en()
        fix = (self.suggestion_zh or self.suggestion) if zh else self.suggestion
        if not fix:
            return said
        return said + fix if zh else f"{said} {fix}"

    def _rows(self, lang: str) -> str:
        rows = self.rows or ((self.row,) if self.row is not None else ())
        return rows_text(rows, lang) if rows else ""

    def _said_en(self) -> str:
        if self.kind == "message":
            return self.expected
        where = _where(self.source, "en")
        parts = [where] if where else []
        if self.row is not None:
            parts.append(self._rows("en"))
        if self.column is not None:
            parts.append(f"column {self.column}")
        loc = ", ".join(parts)
        blank = _blank(self.value)
        if self.row is not None and self.column is not None:
            found = "the cell is empty" if blank else f"the cell reads {_shown_repr(self.value)}"
            return f"{loc}: {found}; it should be {self.expected}."
        if not blank:
            return f"{loc}: {_shown_repr(self.value)} was given; it should be {self.expected}."
        return f"{loc}: it should be {self.expected}." if loc else f"{self.expected}."

    def _said_zh(self) -> str:
        expected = _spaced(self.expected_zh or self.expected)
        if self.kind == "message":
            return expected
        loc = _where(self.source, "zh")
        if self.row is not None:
            loc += self._rows("zh")
        blank = _blank(self.value)
        if self.column is not None:
            if self.row is None:
                return f"{loc}「{self.column}」列应为{expected}。"
            if blank:
                return f"{loc}「{self.column}」为空，应填写{expected}。"
            return f"{loc}「{self.column}」为「{_shown(self.value)}」，应为{expected}。"
        if not blank:
            return f"{loc}为「{_shown(self.value)}」，应为{expected}。"
        return f"{loc}应为{expected}。"

    def fields(self, lang: str = "en") -> dict[str, object]:
        """The problem as one row of a table a planner reads: ``source``, ``row``,
        ``column``, ``value``, ``expected`` and ``suggestion``, in ``lang``, and the
        whole ``message``."""
        zh = lang == "zh"
        return {
            "source": _where(self.source, lang).strip() or self.source,
            "row": self.row,
            "column": self.column or "",
            "value": "" if _blank(self.value) else _shown(self.value),
            "expected": (self.expected_zh or self.expected) if zh else self.expected,
            "suggestion": (self.suggestion_zh or self.suggestion) if zh else self.suggestion,
            "message": self.text(lang),
        }

    def without_value(self, placeholder: str = "…") -> Problem:
        """The same record with the value written in the roster left out (for outputs
        that name no person)."""
        statement = tuple(s.replace(_shown(self.value), placeholder) for s in self.statement)
        if _blank(self.value):
            return self
        return replace(self, value=placeholder, statement=statement)


def _spaced(text: str) -> str:
    """A space before text that starts with a Latin letter or digit, as Chinese typesetting
    puts between 为 and 1940."""
    return f" {text}" if text[:1].isascii() and text[:1].isalnum() else text


def _shown_repr(value: object) -> str:
    return repr(_shown(value)) if isinstance(value, (tuple, list)) else repr(value)


class DataError(ValueError):
    """Bad input data: one or more :class:`Problem` records.

    Examples
    --------
    >>> err = DataError([Problem("mentors.csv", 3, "capacity", "-1", "a whole number >= 0")])
    >>> print(err)
    mentors.csv, row 3, column capacity: the cell reads '-1'; it should be a whole number >= 0.
    >>> err.problems[0].row
    3
    """

    #: Values read by guessing before the problems stopped the loader (see GuessWarning).
    warnings: tuple[Problem, ...] = ()

    def __init__(self, problems: Problem | str | Iterable[Problem]):
        if isinstance(problems, str):
            problems = [Problem("input", None, None, None, problems, kind="message")]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.message("en"))

    @classmethod
    def say(cls, en: str, zh: str) -> DataError:
        """An error of one sentence, given in English and in Chinese.

        >>> print(DataError.say("No rows.", "没有数据行。").message("zh"))
        没有数据行。
        """
        return cls(Problem("input", None, None, None, en, kind="message", statement=(en, zh)))

    def lines(self, lang: str = "en") -> list[str]:
        """One sentence per problem in ``lang``, and a last one if the list was cut short."""
        lines = [p.text(lang) for p in self.problems]
        if len(lines) >= MAX_PROBLEMS:
            lines.append(
                f"已列出前 {MAX_PROBLEMS} 个问题，其余未再查找；请先改正这些再重新载入。"
                if lang == "zh"
                else f"Stopped looking after {MAX_PROBLEMS} problems; fix these and load again."
            )
        return lines

    def message(self, lang: str = "en") -> str:
        """Every problem in ``lang`` ("en" or "zh"): the sentence itself when there is
        one, else a count and one line per problem."""
        lines = [p.text(lang) for p in self.problems]
        if len(lines) == 1:
            return lines[0]
        if lang == "zh":
            more = "（已达上限，未再继续查找）" if len(lines) >= MAX_PROBLEMS else ""
            head = f"输入中有 {len(lines)} 个问题{more}："
        else:
            more = " (stopped looking after this many)" if len(lines) >= MAX_PROBLEMS else ""
            head = f"{len(lines)} problems in the input{more}:"
        return head + "\n" + "\n".join(f"  - {line}" for line in lines)

    def _message(self) -> str:  # kept for code that called it
        return self.message("en")


class GuessWarning(UserWarning):
    """A value the loader read by guessing (a close spelling taken for a vocabulary
    term, a header matched by a loose alias, a year taken from a date, a row skipped
    as a footer...). ``record`` is the :class:`Problem` describing it; the message is
    its English text. :func:`mentormatch.load_district` also keeps every record in
    ``District.warnings``."""

    def __init__(self, record: Problem | str):
        if isinstance(record, str):
            record = Problem("input", None, None, None, record, kind="message")
        self.record = record
        super().__init__(record.text("en"))

    def text(self, lang: str = "en") -> str:
        """The warning in ``lang``."""
        return self.record.text(lang)


@dataclass(eq=False)
class InfeasibleError(ValueError):
    """The problem has no solution under the given rules, and why.

    Attributes
    ----------
    reasons : list of str
        Sentences a planner can act on (capacity short by N, all mentors forbidden...).
    unplaceable : list
        Mentees that cannot be placed under any plan.
    shortfall : int
        The smallest number of extra places that would make the problem feasible
        (0 when the cause is not capacity).
    details : dict
        Anything else a program may want (the violating mentee group, its mentors...).
    """

    reasons: Sequence[str]
    unplaceable: Sequence[object] = ()
    shortfall: int = 0
    details: dict = field(default_factory=dict)
    #: The reasons and the fix as Chinese sentences, when known (else the English shows).
    reasons_zh: Sequence[str] = ()

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "infeasible: " + "; ".join(self.reasons)

    def message(self, lang: str = "en") -> str:
        """The reasons in ``lang`` as sentences a planner reads ("zh": the Chinese
        reasons when known, after a Chinese lead)."""
        if lang == "zh":
            if self.reasons_zh:
                return "".join(_sentence_zh(r) for r in self.reasons_zh)
            return "无法满足全部规则：" + "；".join(self.reasons) + "。"
        return " ".join(_sentence_en(r) for r in self.reasons)


def _sentence_zh(text: str) -> str:
    return text if text.endswith(("。", "！", "？")) else text + "。"


def _sentence_en(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


class MissingDependencyError(ImportError):
    """An optional package a command needs is not installed; the message names the
    command that installs it (the command line exits 2, as for bad input).

    >>> error = MissingDependencyError("needs X: pip install x", zh="需要 X：运行 pip install x")
    >>> error.message("zh"), str(error)
    ('需要 X：运行 pip install x', 'needs X: pip install x')
    """

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"zh"`` or ``"en"``; English when no Chinese)."""
        return self.zh if lang == "zh" and self.zh else str(self)
