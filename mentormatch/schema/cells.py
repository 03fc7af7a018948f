"""Reading one cell a person typed: numbers, years, shares, yes/no, codes and lists.

Each reader returns the value, or says why the cell cannot be read (what was expected
and the fix, in both languages), or how it was read by guessing. :func:`parse_cell`
is the one entry point; :mod:`mentormatch.schema.parse` applies it to whole columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mentormatch.schema.columns import _LIST_SPLIT, Column, fixes

__all__ = ["parse_cell", "Why", "Guess"]

_MISSING = {"", "nan", "none", "null", "na", "n/a", "-", "—", "无"}
_TRUE = {"true", "yes", "y", "1", "是", "需要", "√", "✓", "t"}
_FALSE = {"false", "no", "n", "0", "否", "不需要", "×", "✗", "f"}
_YEAR = re.compile(
    r"^(\d{4})(?:\s*年)?(?P<rest>(?:\s*[-/.]?\s*\d{1,2}\s*月?)?(?:\s*[-/.]?\s*\d{1,2}\s*日?)?"
    r"(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?)$"
)
#: A year and month (2024-03, 2024/3, 2024.03, 2024年3月), perhaps with a day and a time
#: (a date cell is read as its month), or six digits (202403).
_MONTH = re.compile(
    r"^(\d{4})(?:\s*年\s*|\s*[-/.]\s*)(\d{1,2})\s*月?(?:\s*[-/.]?\s*\d{1,2}\s*日?)?"
    r"(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?$|^(\d{4})(\d{2})$"
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
class Why:
    """Why a cell could not be read: what was expected and the fix, in both languages."""

    expected: str
    expected_zh: str
    fix: str
    fix_zh: str


@dataclass(frozen=True)
class Guess:
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


def _parse_month(text: str) -> str:
    """``"YYYY-MM"``; a date is read as its month (an office may type the day).

    >>> _parse_month("2024年3月"), _parse_month("2024/03/15"), _parse_month("202411")
    ('2024-03', '2024-03', '2024-11')
    """
    m = _MONTH.match(_clean(text).lower().removesuffix(".0"))
    if not m:
        raise _Bad
    year, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    if not 1 <= int(month) <= 12 or not 1900 <= int(year) <= 2100:
        raise _Bad
    return f"{int(year):04d}-{int(month):02d}"


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
    "month": _parse_month,
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


def parse_cell(text: str, col: Column) -> tuple[object, Why | None, Guess | None]:
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
            guess = Guess(
                "vocab",
                tuple(w for w, _ in guessed),
                tuple(col.vocab[c] for _, c in guessed),
            )
        return tuple(dict.fromkeys(codes)), None, guess
    if _is_missing(text, col):
        if col.required:
            return None, Why(col.expected(), col.expected("zh"), *fixes(col, empty=True)), None
        return None, None, None
    try:
        if col.kind == "vocab":
            code, how = col.vocab.read(text)
            if code is None:
                return None, _vocab_why(col, text), None
            guess = Guess("vocab", _clean(text), col.vocab[code]) if how == "guess" else None
            return code, None, guess
        if col.kind == "id":
            return _parse_id(text), None, None
        if col.kind == "text":
            return _parse_text(text), None, None
        if col.kind == "year":
            year, dropped = _read_year(text)
            return year, None, (Guess("date", year) if dropped else None)
        value = _SCALAR_PARSERS[col.kind](text)
        clean = _clean(text)
        if col.kind == "share" and clean.endswith("%"):
            return value, None, Guess("percent", value)
        if col.kind in ("int", "float", "share") and "," in clean:
            if not _THOUSANDS.match(clean.replace(" ", "").rstrip("%")):
                return value, None, Guess("comma", value)
        return value, None, None
    except _Bad:
        return None, Why(col.expected(), col.expected("zh"), *fixes(col)), None


def _vocab_why(col: Column, text: str) -> Why:
    guess = col.vocab.suggest(text)
    fix, fix_zh = fixes(col)
    if guess is not None:
        term = col.vocab[guess]
        fix = f"Did you mean {term.code} ({term.zh})? " + fix
        fix_zh = f"是否应为「{term.zh}」？" + fix_zh
    return Why(
        f"a known {col.vocab.name}: {col.vocab.describe(limit=8)}",
        col.vocab.describe(limit=8, lang="zh"),
        fix,
        fix_zh,
    )
