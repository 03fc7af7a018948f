"""Reading and writing Districts: a folder of CSV files or one Excel workbook.

Reading is forgiving about form (encodings, Chinese or English headers, title rows
above the header, blank rows, vocabulary written as codes or Chinese labels) and strict
about content: every problem is reported with the file or sheet, the spreadsheet row,
the column and what was expected, in one :class:`~mentormatch.DataError`.

Writing is deterministic (same District, same bytes), atomic (a failed write leaves
no partial file) and safe: text that would start a spreadsheet formula is written as
text.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import shutil
import tempfile
import warnings as _warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mentormatch.district import District, _trusted
from mentormatch.errors import MAX_PROBLEMS, DataError, GuessWarning, Problem, place
from mentormatch.schema import (
    REQUIRED_TABLES,
    TABLE_ORDER,
    TABLES,
    header_key,
    parse_table,
    validate_tables,
)
from mentormatch.vocab import STREET_TOWNS, normalize_text

__all__ = [
    "load_district",
    "save_district",
    "atomic_path",
    "atomic_directory",
    "write_csv",
    "write_xlsx",
    "neutralize",
    "localize",
    "read_plain_table",
]

#: Characters that make a spreadsheet treat a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: How many rows at the top of a sheet may hold titles above the header.
HEADER_SEARCH_ROWS = 10
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
#: Beside synthetic tables, a file with this name says so (in a workbook: a keyword).
SYNTHETIC_MARKER = "SYNTHETIC.txt"
_SYNTHETIC_NOTE = (
    "These tables are synthetic (made by mentormatch's synthesizer): no real person.\n"
    "本数据为合成数据，不涉及真实人员。\n"
)


# --- Raw sheets ---------------------------------------------------------------------


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


def _merged_header(rows: list[list[str]], lookup: dict[str, str]) -> list[str]:
    """One header from a block of rows: per column, the lowest cell naming a known column.

    Government sheets often group columns under a merged title cell ("任职情况") with the
    real headers in the row below, while other headers span both rows (a merged cell's
    text sits in its top row only).
    """
    width = max(len(r) for r in rows)
    header = []
    for j in range(width):
        cells = [r[j] if j < len(r) else "" for r in rows]
        known = [c for c in cells if header_key(c) in lookup]
        header.append(known[-1] if known else next((c for c in reversed(cells) if c.strip()), ""))
    return header


def _header_block(rows: list[list[str]], best: int, lookup: dict[str, str]) -> tuple[int, int]:
    """The header row, or two rows when the row above or below adds known columns."""

    def known(block: list[list[str]]) -> int:
        return len(
            {
                lookup[header_key(c)]
                for c in _merged_header(block, lookup)
                if header_key(c) in lookup
            }
        )

    candidates = [(best, best)]
    if best + 1 < len(rows):
        candidates.append((best, best + 1))
    if best > 0:
        candidates.append((best - 1, best))
    scored = [(known(rows[a : b + 1]), -(b - a), a, b) for a, b in candidates]
    _, _, first, last = max(scored)
    return first, last


#: A total row's label (its first cell): 合计, 小计, 总计, 共计, Total.
_TOTAL = re.compile(r"^(合计|小计|总计|共计|总数|total|subtotal|sum)[:：]?$")
#: A footer cell: who filled the form in, when, a contact, a note for the reader.
_FOOTER = re.compile(
    r"^(填表人|填报人|制表人|审核人|审批人|负责人|联系人|经办人|联系电话|电话|填表日期|填报日期"
    r"|制表日期|日期|注|说明|备注|签字|盖章|单位盖章|filledby|contact|note)[:：]"
)
_INTEGER = re.compile(r"^\d+$")


def _is_number_text(text: str) -> bool:
    t = normalize_text(text).replace(",", "").rstrip("%")
    try:
        float(t)
    except ValueError:
        return False
    return True


def _not_data(row: list[str], required: list[int], mapped: set[int]) -> str | None:
    """Why a non-blank row below the header is no data row, or ``None`` if it may be one.

    Conservative: a total row (合计 and numbers only); a footer (every cell a label such
    as 填表人：); a row whose only text is in one or two cells and fills no required
    column (a sub-heading, a lone note); a row holding nothing but a sub-district's
    name (a sub-heading written in the first column). Anything else is data, and an
    incomplete data row is reported as such.
    """
    cells = [(j, c.strip()) for j, c in enumerate(row) if c.strip()]
    texts = [t for _, t in cells]
    if _TOTAL.match(header_key(texts[0])) and all(_is_number_text(t) for t in texts[1:]):
        return "total"
    if all(_FOOTER.match(header_key(t)) for t in texts):
        return "footer"
    if len(cells) > 2:
        return None
    if len(cells) == 1 and STREET_TOWNS.read(texts[0])[1] in ("exact", "suffix"):
        return "subheading"
    if any(j in required for j, _ in cells):
        return None
    if len(cells) == 1 and cells[0][0] not in mapped and _INTEGER.match(texts[0]):
        return "numbered"
    return "other"


_NOT_DATA_TEXT = {
    "total": ("a total row", "是合计行"),
    "footer": ("a footer line", "像是表尾的填表信息"),
    "subheading": ("a sub-heading", "像是分段的小标题"),
    "other": ("not a data row (no required column is filled in)", "没有填写任何必填列，不像数据行"),
}


def _skipped_record(source: str, found: list[tuple[int, list[str]]], why: str) -> Problem:
    """The warning for rows below the header that were not read as data."""
    rows = tuple(n for n, _ in found)
    en_where, zh_where = place(source, "en", rows), place(source, "zh", rows)
    if why == "numbered":
        statement = (
            f"{en_where}: the rows hold nothing but a row number and were skipped.",
            f"{zh_where}只有序号，没有其他内容，已跳过。",
        )
        fix = ("Delete the empty numbered rows to silence this warning.", "如无用可删去这些行。")
        value = None
    else:
        texts = [c.strip() for c in found[0][1] if c.strip()]
        value = " ".join(texts)
        what_en, what_zh = _NOT_DATA_TEXT[why]
        quoted_en = " and ".join(repr(t) for t in texts)
        quoted_zh = "".join(f"「{t}」" for t in texts)
        more_en = f" (and {len(rows) - 1} more such rows)" if len(rows) > 1 else ""
        statement = (
            f"{en_where}: the row holds only {quoted_en}{more_en}; it is {what_en} and was "
            "skipped.",
            f"{zh_where}只有{quoted_zh}{'等内容' if len(rows) > 1 else ''}，{what_zh}，已跳过。",
        )
        fix = (
            "If it holds a person, fill in its required columns and load again.",
            "如这是一条数据，请补全必填列后重新载入。",
        )
    return Problem(
        source,
        rows[0],
        None,
        value,
        "skipped: not a data row",
        fix[0],
        "已跳过：不是数据行",
        fix[1],
        kind="skipped_row",
        rows=rows,
        statement=statement,
    )


def _sheet_to_table(
    sheet: _Sheet, name: str, problems: list[Problem], warnings: list[Problem] | None = None
) -> pd.DataFrame | None:
    """Find the header row, map headers to columns, and parse the rows below it."""
    warnings = [] if warnings is None else warnings
    spec = TABLES[name]
    lookup = spec.header_lookup()
    loose = spec.loose_headers()
    nonblank = [i for i, r in enumerate(sheet.rows) if any(c.strip() for c in r)]
    if not nonblank:
        problems.append(
            _file_problem(
                sheet.source,
                f"a header row and rows of {name}",
                f"表头和{spec.zh}数据",
                f"{place(sheet.source, 'en')} is empty; it should hold a header row and rows "
                f"of {name}.",
                f"{place(sheet.source, 'zh')}是空的，应有表头和{spec.zh}数据。",
                "Fill in the header row and the rows, or remove the file or sheet.",
                "请填写表头和数据，或删去这个文件或工作表。",
            )
        )
        return None
    best, best_hits = nonblank[0], -1
    for i in nonblank[:HEADER_SEARCH_ROWS]:
        hits = len({lookup[k] for k in map(header_key, sheet.rows[i]) if k in lookup})
        if hits > best_hits:
            best, best_hits = i, hits
    if best_hits <= 0:
        examples = [c.zh for c in spec.columns[:4]]
        row = sheet.numbers[best]
        problems.append(
            Problem(
                sheet.source,
                row,
                None,
                None,
                f"a header row naming the columns of {name} (e.g. {', '.join(examples)})",
                "Put the column headers (see data/README.md) in one row above the data.",
                "写明" + "、".join(f"「{e}」" for e in examples) + "等列名的表头",
                "请在数据上方用一行写明列名（见数据字典 data/README.md）。",
                kind="no_header",
                statement=(
                    f"{place(sheet.source, 'en', [row])}: no header row naming the columns of "
                    f"{name} (e.g. {', '.join(examples)}) was found in the first "
                    f"{HEADER_SEARCH_ROWS} rows.",
                    f"{place(sheet.source, 'zh')}前 {HEADER_SEARCH_ROWS} 行中找不到表头（应有"
                    + "、".join(f"「{e}」" for e in examples)
                    + "等列名）。",
                ),
            )
        )
        return None
    first, last = _header_block(sheet.rows, best, lookup)
    header = _merged_header(sheet.rows[first : last + 1], lookup)
    header_row = sheet.numbers[last]
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    notes: list[int] = []  # every column of notes: several are joined, not refused
    for j, text in enumerate(header):
        column = lookup.get(header_key(text))
        if column is None:
            continue
        if column == "note":
            notes.append(j)
        if column in positions:
            if column == "note":
                continue
            problems.append(
                _duplicate_header(sheet.source, header_row, text, column, written, j, positions)
            )
            continue
        positions[column] = j
        written[column] = text.strip()
        if header_key(text) in loose:
            warnings.append(
                _loose_record(sheet.source, header_row, text.strip(), spec.column(column))
            )
    if len(notes) > 1:
        warnings.append(
            _notes_record(sheet.source, header_row, [header[j].strip() for j in notes], notes)
        )
    required = [j for c, j in positions.items() if spec.column(c).required]
    mapped = set(positions.values()) | set(notes)
    body: list[tuple[int, list[str]]] = []
    skipped: dict[str, list[tuple[int, list[str]]]] = {}
    for number, row in zip(sheet.numbers[last + 1 :], sheet.rows[last + 1 :], strict=True):
        if not any(c.strip() for c in row):
            continue
        why = _not_data(row, required, mapped)
        if why is None:
            body.append((number, row))
        elif why in ("numbered",):
            skipped.setdefault(why, []).append((number, row))
        else:
            skipped[f"{why}:{number}"] = [(number, row)]
    for key, found in skipped.items():
        warnings.append(_skipped_record(sheet.source, found, key.split(":")[0]))

    def cell(row: list[str], j: int) -> str:
        return _unneutralize(row[j]) if j < len(row) else ""

    columns = {column: [cell(row, j) for _, row in body] for column, j in positions.items()}
    if len(notes) > 1:
        columns["note"] = [
            "；".join(t for t in (cell(row, j).strip() for j in notes) if t) for _, row in body
        ]
    raw = pd.DataFrame(columns, dtype=object, index=pd.RangeIndex(len(body)))
    numbers = [number for number, _ in body]
    table = parse_table(
        raw,
        name,
        source=sheet.source,
        rows=numbers,
        headers=written,
        problems=problems,
        warnings=warnings,
    )
    table.attrs["rows"] = numbers
    table.attrs["headers"] = written
    table.attrs["source"] = sheet.source
    return table


def _duplicate_header(
    source: str,
    row: int,
    text: str,
    column: str,
    written: dict[str, str],
    j: int,
    positions: dict[str, int],
) -> Problem:
    """Two columns of one sheet mean the same column."""
    a, b = _letter(positions[column]), _letter(j)
    other = written[column]
    zh = TABLES_COLUMN_ZH.get(column, column)
    return Problem(
        source,
        row,
        text.strip(),
        None,
        f"one column for {column}; it also appears as {other!r} (columns {a} and {b})",
        "Delete or rename one of the two columns.",
        f"只有一列「{zh}」（第 {a} 列「{other}」也是这一列）",
        "请删去其中一列，或给它改个表头。",
        kind="duplicate_column",
        statement=(
            f"{place(source, 'en', [row])}: the headers {other!r} (column {a}) and "
            f"{text.strip()!r} (column {b}) both name {column}; there should be one column "
            f"for {column}.",
            f"{place(source, 'zh', [row])}表头「{other}」（{a} 列）和「{text.strip()}」（{b} 列）"
            f"都表示「{zh}」，只能有一列。",
        ),
    )


def _loose_record(source: str, row: int, text: str, col) -> Problem:
    """A header read as a column it probably, not surely, means."""
    return Problem(
        source,
        row,
        text,
        text,
        f"read as the column {col.zh} ({col.name})",
        f"If the column holds {col.zh} ({col.name}), head it {col.zh} to silence this "
        "warning; if not, give it another header and it will not be read.",
        f"已按「{col.zh}」列读取",
        f"如这一列确是「{col.zh}」，请把表头改为「{col.zh}」；如不是，请换个表头，这一列就不会被读取。",
        kind="guess",
        statement=(
            f"{place(source, 'en', [row])}: the header {text!r} was read as the column "
            f"{col.zh} ({col.name}), which it probably means.",
            f"{place(source, 'zh', [row])}表头「{text}」已按「{col.zh}」列读取。",
        ),
    )


def _notes_record(source: str, row: int, headers: list[str], positions: list[int]) -> Problem:
    """Several columns of notes, joined into one."""
    cols = [_letter(j) for j in positions]
    return Problem(
        source,
        row,
        headers[0],
        " / ".join(headers),
        "the notes of every such column, joined",
        "Keep one notes column to silence this warning.",
        "各列备注合并为一条",
        "如只需一列备注，请把其余的删去或改名。",
        kind="merged_columns",
        statement=(
            f"{place(source, 'en', [row])}: {len(headers)} columns hold notes ("
            + ", ".join(f"{h!r} in column {c}" for h, c in zip(headers, cols, strict=True))
            + "); their texts were joined into one note per row.",
            f"{place(source, 'zh', [row])}有 {len(headers)} 列备注（"
            + "、".join(f"{c} 列「{h}」" for h, c in zip(headers, cols, strict=True))
            + "），每行的内容已合并为一条备注。",
        ),
    )


#: Column code -> its Chinese header (the first table that has it), for messages.
TABLES_COLUMN_ZH = {c.name: c.zh for t in reversed(list(TABLES.values())) for c in t.columns}


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


# --- Loading --------------------------------------------------------------------------


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


# --- Writing --------------------------------------------------------------------------


def neutralize(text: str) -> str:
    """Text safe to put in a spreadsheet cell: a formula start is escaped with ``'``.

    >>> neutralize("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralize("王芳")
    '王芳'
    """
    # Text that already starts with quotes before a formula start gets one more, so
    # that reading strips exactly the one added ("'@" is written "''@").
    if isinstance(text, str) and text.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + text
    return text


#: pandas before 3.0 holds text as object (3.0 as str), with NaN for a missing cell.
_TEXT_IS_OBJECT = int(pd.__version__.split(".")[0]) < 3


def _cells(df: pd.DataFrame) -> pd.DataFrame:
    """The table as the text a person should see in each cell."""
    out = {}
    for col in df.columns:
        s = df[col]
        if (
            _TEXT_IS_OBJECT
            and s.dtype == object
            and pd.api.types.infer_dtype(s, skipna=True) == "string"
        ):
            # Text on pandas 2, written as pandas 3 writes its str columns: a missing
            # cell empty (not NaN, which openpyxl writes as a number).
            out[col] = [neutralize(v) if isinstance(v, str) else "" for v in s.tolist()]
        elif s.dtype == object:
            out[col] = [
                ";".join(map(str, v)) if isinstance(v, (tuple, list)) else ("" if v is None else v)
                for v in s.tolist()
            ]
            out[col] = [neutralize(v) if isinstance(v, str) else v for v in out[col]]
        elif s.dtype == bool:
            out[col] = ["true" if v else "false" for v in s.tolist()]
        elif pd.api.types.is_string_dtype(s.dtype):
            out[col] = [neutralize(v) if isinstance(v, str) else "" for v in s.tolist()]
        elif str(s.dtype) == "Int64":
            out[col] = ["" if v is pd.NA else int(v) for v in s.tolist()]
        elif pd.api.types.is_float_dtype(s.dtype):
            out[col] = ["" if np.isnan(v) else _float_text(v) for v in s.tolist()]
        else:
            out[col] = s.tolist()
    return pd.DataFrame(out, columns=df.columns)


def _float_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; it replaces ``path`` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Keep the suffix: some writers (papermill, openpyxl) check it.
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent
    )
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary folder; on success its files move into ``path`` (created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        path.mkdir(exist_ok=True)
        for item in sorted(tmp.iterdir()):
            os.replace(item, path / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_csv(df: pd.DataFrame, path: str | os.PathLike, *, bom: bool = False) -> None:
    """Write a table as CSV, atomically, with formula-like text escaped.

    ``bom=True`` writes UTF-8 with a byte-order mark, which Excel needs to show Chinese.
    """
    with atomic_path(path) as tmp:
        _cells(df).to_csv(
            tmp, index=False, encoding="utf-8-sig" if bom else "utf-8", lineterminator="\n"
        )


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame], path: str | os.PathLike, *, keywords: str = ""
) -> None:
    """Write tables as sheets of one workbook, atomically and byte for byte reproducibly.

    Text is stored as text, never as a formula, and formula-like text is escaped.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for title, df in sheets.items():
        ws = wb.create_sheet(title=title[:31])
        cells = _cells(df)
        ws.append([str(c) for c in cells.columns])
        for row in cells.itertuples(index=False):
            ws.append(list(row))
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula
        for j, col in enumerate(cells.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in cells[col].head(200)])
            ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, width * 1.3))
        ws.freeze_panes = "A2"
    fixed = dt.datetime(*_FIXED_TIME)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "mentormatch"
    wb.properties.keywords = keywords or None
    buffer = io.BytesIO()
    wb.save(buffer)
    with atomic_path(path) as tmp:
        _rewrite_zip_deterministic(buffer.getvalue(), tmp)


def _rewrite_zip_deterministic(data: bytes, target: Path) -> None:
    """Copy a zip with fixed entry times and fixed "created"/"modified" properties
    (openpyxl stamps the time of saving), so the same content gives the same bytes."""
    fixed_stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*_FIXED_TIME)
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + fixed_stamp.encode() + rb"\g<2>",
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)


def _written(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The table as saved: without the columns written only when some row has a value
    (the notes), when none has."""
    empty = [
        c.name
        for c in TABLES[name].columns
        if not c.written_if_empty
        and c.name in df.columns
        and not df[c.name].map(lambda v: isinstance(v, str) and v.strip() != "").any()
    ]
    return df.drop(columns=empty) if empty else df


def localize(name: str, df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A table with Chinese headers and values, as a planner would type it.

    Vocabulary codes become Chinese labels (lists joined with 、), booleans 是/否; an
    empty notes column is left out. :func:`load_district` reads it back to the same
    codes. ``lang="en"`` returns ``df`` (without an empty notes column).
    """
    if lang not in ("zh", "en"):
        raise DataError(f"unknown language {lang!r}; expected 'zh' or 'en'")
    df = _written(name, df)
    if lang == "en":
        return df
    spec = TABLES[name]
    out = {}
    for col in spec.columns:
        if col.name not in df.columns:
            continue
        s = df[col.name]
        if col.kind == "vocab":
            labels = col.vocab.labels("zh")
            s = s.map(lambda v, labels=labels: labels.get(v, v) if isinstance(v, str) else v)
        elif col.kind == "vocab_list":
            labels = col.vocab.labels("zh")
            s = s.map(lambda v, labels=labels: "、".join(labels[x] for x in v))
        elif col.kind == "id_list":
            s = s.map("、".join)
        elif col.kind == "bool":
            s = s.map({True: "是", False: "否"})
        out[col.zh] = s
    return pd.DataFrame(out)


def save_district(
    d: District, path: str | os.PathLike, *, lang: str = "en", bom: bool = False
) -> Path:
    """Write a District as a folder of CSV files, or as one workbook if ``path`` ends in .xlsx.

    With ``lang="en"`` headers are the English codes and lists are joined with ``;``;
    with ``lang="zh"`` files or sheets, headers and vocabulary are Chinese, as a planner
    types them. Either way :func:`load_district` gives back an equal District. The write
    is atomic: on failure nothing is left half-written.

    Returns
    -------
    Path
        Where the District was written.
    """
    path = Path(path)
    names = {n: (TABLES[n].zh if lang == "zh" else n) for n in TABLE_ORDER}
    tables = {names[n]: localize(n, df, lang) for n, df in d.tables.items()}
    if path.suffix.lower() == ".xlsx":
        write_xlsx(tables, path, keywords="synthetic" if d.synthetic else "")
        return path
    with atomic_directory(path) as tmp:
        for name, df in tables.items():
            write_csv(df, tmp / f"{name}.csv", bom=bom)
        if d.synthetic:
            (tmp / SYNTHETIC_MARKER).write_text(_SYNTHETIC_NOTE, encoding="utf-8")
    if not d.synthetic and (path / SYNTHETIC_MARKER).exists():
        (path / SYNTHETIC_MARKER).unlink()
    return path
