"""Typed tables from the cells a person typed: one column at a time, every unreadable
cell reported as a :class:`~mentormatch.errors.Problem`, every guess as a warning."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mentormatch.errors import MAX_PROBLEMS, Problem, place
from mentormatch.schema.cells import Guess, Why, parse_cell
from mentormatch.schema.columns import Column
from mentormatch.schema.tables import TABLES

__all__ = ["parse_table"]


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
    cache: dict[str, tuple[object, Why | None, Guess | None]] = {}
    parsed: list[object] = []
    guessed: dict[tuple, list[tuple[int, str, Guess]]] = {}
    for i, text in enumerate(values.tolist()):
        text = "" if text is None else str(text)
        if text not in cache:
            cache[text] = parse_cell(text, col)
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
    source: str, header: str, col: Column, found: list[tuple[int, str, Guess]]
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
