"""Reading the cells of a file as text: a CSV file (UTF-8, BOM or GBK) or every sheet of
a workbook, with their spreadsheet row numbers; formula escapes written by this package
are undone."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mentormatch.errors import DataError, Problem
from mentormatch.io.write import FORMULA_STARTS

__all__ = ["read_plain_table"]


@dataclass
class _Sheet:
    """Cells of one file or sheet as text, with their spreadsheet row numbers."""

    source: str
    rows: list[list[str]]
    numbers: list[int]


def _file_problem(
    source: str, expected: str, expected_zh: str, en: str, zh: str, fix: str, fix_zh: str
) -> Problem:
    """A problem with a whole file or sheet, said in both languages."""
    return Problem(source, None, None, None, expected, fix, expected_zh, fix_zh, statement=(en, zh))


def _letter(j: int) -> str:
    """The spreadsheet letter of the 0-based column ``j`` (0 -> A, 26 -> AA)."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _read_csv_sheet(path: Path) -> _Sheet:
    data = path.read_bytes()
    if not data.strip():
        raise DataError(
            _file_problem(
                path.name,
                "a non-empty CSV file",
                "非空的 CSV 文件",
                f"{path.name} is empty; it should be a non-empty CSV file with a header row.",
                f"文件 {path.name} 是空的。",
                "Save the table with its header row and rows.",
                "请保存带表头和数据的表格。",
            )
        )
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise DataError(
            _file_problem(
                path.name,
                "text in UTF-8 or GBK encoding",
                "UTF-8 或 GBK 编码的文本",
                f"{path.name} is not text in UTF-8 or GBK encoding.",
                f"文件 {path.name} 不是 UTF-8 或 GBK 编码的文本。",
                "Save it from Excel as CSV UTF-8, or as an .xlsx workbook.",
                "请在 Excel 中另存为“CSV UTF-8”或 .xlsx 格式。",
            )
        )
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataError(
            _file_problem(
                path.name,
                f"a readable CSV file ({exc})",
                f"可读取的 CSV 文件（{exc}）",
                f"{path.name} cannot be read as CSV ({exc}).",
                f"文件 {path.name} 无法按 CSV 读取（{exc}）。",
                "Save it from Excel as CSV UTF-8, or as an .xlsx workbook.",
                "请在 Excel 中另存为“CSV UTF-8”或 .xlsx 格式。",
            )
        ) from None
    return _Sheet(path.name, records, list(range(1, len(records) + 1)))


def _cell_text(value: object) -> str:
    """What a person reads in a spreadsheet cell, as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_workbook(path: Path) -> tuple[dict[str, _Sheet], bool]:
    """Every sheet's cells as text. A formula cell reads as its last computed value; one
    never computed (a file written by a program, not saved by Excel) reads as its formula
    text, so that validation shows it rather than an empty cell."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DataError(
            _file_problem(
                path.name,
                f"a readable .xlsx workbook ({exc})",
                f"可读取的 .xlsx 工作簿（{exc}）",
                f"{path.name} is not a readable .xlsx workbook ({exc}).",
                f"{path.name} 不是可读取的 .xlsx 工作簿（{exc}）。",
                "Open it in Excel and save it again as an .xlsx workbook.",
                "请用 Excel 打开后重新另存为 .xlsx 工作簿。",
            )
        ) from None
    formulas = _formula_cells(path) if _has_formulas(path) else {}
    sheets = {}
    synthetic = "synthetic" in (wb.properties.keywords or "")
    try:
        for ws in wb.worksheets:
            uncomputed = formulas.get(ws.title, {})
            rows, numbers = [], []
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [_cell_text(v) for v in row]
                for j, v in enumerate(row):
                    if v is None and (number, j) in uncomputed:
                        cells[j] = uncomputed[(number, j)]
                rows.append(cells)
                numbers.append(number)
            sheets[ws.title] = _Sheet(f"{path.name} [{ws.title}]", rows, numbers)
    finally:
        wb.close()
    return sheets, synthetic


def _has_formulas(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name)
                if b"<f>" in xml or b"<f " in xml:
                    return True
    return False


def _formula_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """(row, column index) -> formula text, per sheet, for cells holding a formula."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False)
    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        for ws in wb.worksheets:
            found = {}
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                for j, v in enumerate(row):
                    if isinstance(v, str) and v.startswith("="):
                        found[(number, j)] = v
            out[ws.title] = found
    finally:
        wb.close()
    return out


def _unneutralize(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def read_plain_table(path: str | os.PathLike) -> pd.DataFrame:
    """A CSV file (UTF-8, BOM or GBK) or a workbook's first sheet, as text cells.

    For tables other than a District's (a previous plan, say): the first non-blank row
    is the header; formula escapes written by this package are undone.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(
            _file_problem(
                str(path),
                "an existing CSV or .xlsx file",
                "已有的 CSV 或 .xlsx 文件",
                f"{path} does not exist; it should be an existing CSV or .xlsx file.",
                f"找不到文件「{path}」。",
                "Check the path.",
                "请核对路径。",
            )
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets, _ = _read_workbook(path)
        sheet = next(iter(sheets.values()), None)
    else:
        sheet = _read_csv_sheet(path)
    rows = [r for r in (sheet.rows if sheet else []) if any(c.strip() for c in r)]
    if not rows:
        raise DataError(
            _file_problem(
                path.name,
                "a header row and rows",
                "表头和数据",
                f"{path.name} is empty; it should hold a header row and rows.",
                f"文件 {path.name} 是空的，应有表头和数据。",
                "Check that this is the right file.",
                "请确认文件是否正确。",
            )
        )
    header = [h.strip() for h in rows[0]]
    body = [[_unneutralize(c.strip()) for c in r] + [""] * (len(header) - len(r)) for r in rows[1:]]
    return pd.DataFrame([r[: len(header)] for r in body], columns=header, dtype="str")
