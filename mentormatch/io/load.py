"""Loading a District from a folder of CSV files or one workbook: every file and sheet
read, every problem collected in one :class:`~mentormatch.DataError`, every guess kept
as a warning."""

from __future__ import annotations

import os
import warnings as _warnings
from pathlib import Path

import pandas as pd

from mentormatch.district import District, _trusted
from mentormatch.errors import MAX_PROBLEMS, DataError, GuessWarning, Problem
from mentormatch.io.read import _file_problem, _read_csv_sheet, _read_workbook, _Sheet
from mentormatch.io.save import SYNTHETIC_MARKER
from mentormatch.io.sheet import _sheet_to_table
from mentormatch.schema import (
    REQUIRED_TABLES,
    TABLE_ORDER,
    TABLES,
    validate_tables,
)
from mentormatch.vocab import normalize_text

__all__ = ["load_district"]


def _find_csv(folder: Path, name: str) -> Path | None:
    wanted = {normalize_text(f"{s}.csv") for s in TABLES[name].sheet_names}
    matches = sorted(p for p in folder.iterdir() if normalize_text(p.name) in wanted)
    return matches[0] if matches else None


def load_district(path: str | os.PathLike) -> District:
    """Read and validate a District from a folder of CSV files or one .xlsx workbook.

    Files are named after their tables (``secretaries.csv``, ``mentors.csv``,
    ``bases.csv``, ``assessments.csv``, ``constraints.csv``, ``career.csv``; or
    ``书记``, ``带教老师``, ``实训基地``, ``测评``, ``约束``, ``履职``); in a workbook,
    sheets carry those names. Only ``secretaries`` and ``mentors`` are required. CSV
    may be UTF-8 (with or without BOM) or GBK. Headers may be English codes or Chinese.

    Every value read by guessing (a spelling taken for another term, a date read as its
    year, a header read as the column it probably means, a row skipped as a footer...)
    is a warning: kept in ``District.warnings`` (:class:`~mentormatch.Problem` records,
    in Chinese or English with ``text(lang)``) and issued as a
    :class:`~mentormatch.GuessWarning`.

    Parameters
    ----------
    path : str or path-like
        A folder of CSV files or an ``.xlsx`` file.

    Returns
    -------
    District

    Raises
    ------
    DataError
        Listing every problem found (up to a limit): file or sheet, row, column, value,
        what was expected and the fix (its ``warnings`` holds the guesses made so far).

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.load_district("data/sample")
    >>> len(d.in_post), len(d.mentors), len(d.bases), d.warnings
    (282, 13, 20, ())
    """
    path = Path(path)
    if not path.exists():
        raise DataError(
            _file_problem(
                str(path),
                "an existing folder or .xlsx file",
                "已有的文件夹或 .xlsx 文件",
                f"{path} does not exist; it should be an existing folder or .xlsx file.",
                f"找不到「{path}」。",
                "Give the folder of CSV files or the .xlsx workbook of the roster.",
                "请给出名册所在的文件夹或 .xlsx 工作簿。",
            )
        )
    problems: list[Problem] = []
    warnings: list[Problem] = []
    sheets: dict[str, _Sheet] = {}
    if path.is_dir():
        for name in TABLE_ORDER:
            file = _find_csv(path, name)
            if file is not None:
                try:
                    sheets[name] = _read_csv_sheet(file)
                except DataError as err:
                    problems.extend(err.problems)
        synthetic = (path / SYNTHETIC_MARKER).exists()
        found = sorted(p.name for p in path.iterdir() if not p.name.startswith("."))
        folder = True
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        by_title, synthetic = _read_workbook(path)
        titles = {normalize_text(t): t for t in by_title}
        for name in TABLE_ORDER:
            for candidate in TABLES[name].sheet_names:
                if normalize_text(candidate) in titles:
                    sheets[name] = by_title[titles[normalize_text(candidate)]]
                    break
        found = list(by_title)
        folder = False
    else:
        raise DataError(
            _file_problem(
                str(path),
                "a folder of CSV files or an .xlsx workbook",
                "CSV 文件所在的文件夹或 .xlsx 工作簿",
                f"{path.name} is neither a folder of CSV files nor an .xlsx workbook "
                "(expected a folder of CSV files or an .xlsx workbook).",
                f"「{path.name}」既不是 CSV 文件所在的文件夹，也不是 .xlsx 工作簿。",
                "Save the roster as an .xlsx workbook (an .xls one: open it in Excel and "
                "save it as .xlsx) or as CSV files in one folder.",
                "请把名册保存为 .xlsx 工作簿（.xls 文件请用 Excel 另存为 .xlsx），"
                "或把各表保存为同一文件夹中的 CSV 文件。",
            )
        )
    for name in REQUIRED_TABLES:
        if name not in sheets and not any(p.source.startswith(f"{name}.") for p in problems):
            problems.append(_missing_table(path, name, found, folder))
    tables: dict[str, pd.DataFrame] = {}
    for name, sheet in sheets.items():
        table = _sheet_to_table(sheet, name, problems, warnings)
        if table is not None:
            tables[name] = table
    # Check values even when some cells were unreadable, so that one run lists every
    # problem; a cell already reported is not reported again as empty.
    checked = validate_tables(
        tables,
        sources={n: t.attrs["source"] for n, t in tables.items()},
        rows={n: t.attrs["rows"] for n, t in tables.items()},
        headers={n: t.attrs["headers"] for n, t in tables.items()},
        require_tables=False,
    )
    seen = {(p.source, p.row, p.column) for p in problems}
    problems += [p for p in checked if (p.source, p.row, p.column) not in seen]
    order = {s.source: i for i, s in enumerate(sheets.values())}
    warnings.sort(key=lambda p: (order.get(p.source, -1), p.row or 0))
    if problems:
        order = {t.attrs["source"]: i for i, t in enumerate(tables.values())}
        problems.sort(key=lambda p: (order.get(p.source, -1), p.row or 0))
        err = DataError(problems[:MAX_PROBLEMS])
        err.warnings = tuple(warnings)
        raise err
    for table in tables.values():
        table.attrs.clear()
    with _trusted():
        d = District(**tables, synthetic=synthetic, warnings=tuple(warnings))
    for record in warnings:
        _warnings.warn(GuessWarning(record), stacklevel=2)
    return d


def _missing_table(path: Path, name: str, found: list[str], folder: bool) -> Problem:
    """A required table with no file or sheet: what it should be called, what there is."""
    spec = TABLES[name]
    others = [n for n in spec.sheet_names if n != spec.zh]
    # A sheet or file whose name holds the table's name is probably it.
    close = [
        f
        for f in found
        if normalize_text(spec.zh) in normalize_text(f) or name in normalize_text(f)
    ]
    if folder:
        files = [f for f in found if f.lower().endswith(".csv")] or found
        listed_en = ", ".join(files) if files else "no files"
        listed_zh = "、".join(files) if files else "没有任何文件"
        en = (
            f"Folder {path} has no file named {spec.zh}.csv (or "
            + " or ".join(f"{n}.csv" for n in others)
            + f"); it holds: {listed_en}."
        )
        zh = (
            f"文件夹 {path} 中找不到文件「{spec.zh}.csv」（也可命名为"
            + "或".join(f"「{n}.csv」" for n in others)
            + f"），文件夹中有：{listed_zh}。"
        )
        fix = f"Save the {name} table as {spec.zh}.csv in that folder."
        fix_zh = f"请把{spec.zh}名单保存为「{spec.zh}.csv」。"
        if close:
            fix = f"If {close[0]} holds the {name}, rename it {spec.zh}.csv."
            fix_zh = f"如果「{close[0]}」就是{spec.zh}名单，请把它改名为「{spec.zh}.csv」。"
        source, expected = str(path), f"a file named {spec.zh}.csv or {name}.csv"
        expected_zh = f"名为「{spec.zh}.csv」的文件"
    else:
        listed_en = ", ".join(found) if found else "no sheets"
        listed_zh = "、".join(found) if found else "没有任何工作表"
        en = (
            f"Workbook {path.name} has no sheet named {spec.zh} (or "
            + " or ".join(others)
            + f"); its sheets are: {listed_en}."
        )
        zh = (
            f"找不到工作表「{spec.zh}」（也可命名为"
            + "或".join(f"「{n}」" for n in others)
            + f"），工作簿 {path.name} 中有：{listed_zh}。"
        )
        fix = f"Name the sheet that holds the {name} {spec.zh}."
        fix_zh = f"请把{spec.zh}名单所在的工作表命名为「{spec.zh}」。"
        if close:
            fix = f"If sheet {close[0]} holds the {name}, rename it {spec.zh}."
            fix_zh = f"如果工作表「{close[0]}」就是{spec.zh}名单，请把它改名为「{spec.zh}」。"
        source, expected = path.name, f"a sheet named {spec.zh} or {name}"
        expected_zh = f"名为「{spec.zh}」的工作表"
    return Problem(
        source,
        None,
        None,
        tuple(found),
        expected,
        fix,
        expected_zh,
        fix_zh,
        kind="missing_table",
        statement=(en, zh),
    )
