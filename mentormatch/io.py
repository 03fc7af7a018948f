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
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mentormatch.district import District, _trusted
from mentormatch.errors import MAX_PROBLEMS, DataError, Problem
from mentormatch.schema import (
    REQUIRED_TABLES,
    TABLE_ORDER,
    TABLES,
    parse_table,
    validate_tables,
)
from mentormatch.vocab import normalize_text

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


def _read_csv_sheet(path: Path) -> _Sheet:
    data = path.read_bytes()
    if not data.strip():
        raise DataError(Problem(path.name, None, None, None, "a non-empty CSV file"))
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise DataError(Problem(path.name, None, None, None, "text in UTF-8 or GBK encoding"))
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataError(
            Problem(path.name, None, None, None, f"a readable CSV file ({exc})")
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
            Problem(path.name, None, None, None, f"a readable .xlsx workbook ({exc})")
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
    if len(text) > 1 and text[0] == "'" and text[1].startswith(FORMULA_STARTS):
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
        known = [c for c in cells if normalize_text(c) in lookup]
        header.append(known[-1] if known else next((c for c in reversed(cells) if c.strip()), ""))
    return header


def _header_block(rows: list[list[str]], best: int, lookup: dict[str, str]) -> tuple[int, int]:
    """The header row, or two rows when the row above or below adds known columns."""

    def known(block: list[list[str]]) -> int:
        return len(
            {
                lookup[normalize_text(c)]
                for c in _merged_header(block, lookup)
                if normalize_text(c) in lookup
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


def _sheet_to_table(sheet: _Sheet, name: str, problems: list[Problem]) -> pd.DataFrame | None:
    """Find the header row, map headers to columns, and parse the rows below it."""
    spec = TABLES[name]
    lookup = spec.header_lookup()
    nonblank = [i for i, r in enumerate(sheet.rows) if any(c.strip() for c in r)]
    if not nonblank:
        problems.append(Problem(sheet.source, None, None, None, f"a header row and rows of {name}"))
        return None
    best, best_hits = nonblank[0], -1
    for i in nonblank[:HEADER_SEARCH_ROWS]:
        hits = len({lookup[k] for k in map(normalize_text, sheet.rows[i]) if k in lookup})
        if hits > best_hits:
            best, best_hits = i, hits
    if best_hits <= 0:
        problems.append(
            Problem(
                sheet.source,
                sheet.numbers[best],
                None,
                None,
                f"a header row naming the columns of {name} "
                f"(e.g. {', '.join(c.zh for c in spec.columns[:4])})",
            )
        )
        return None
    first, last = _header_block(sheet.rows, best, lookup)
    header = _merged_header(sheet.rows[first : last + 1], lookup)
    header_row = sheet.numbers[last]
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    for j, text in enumerate(header):
        column = lookup.get(normalize_text(text))
        if column is None:
            continue
        if column in positions:
            problems.append(
                Problem(
                    sheet.source,
                    header_row,
                    text.strip(),
                    None,
                    f"one column for {column}; it also appears as "
                    f"{written[column]!r} (columns {positions[column] + 1} and {j + 1})",
                )
            )
            continue
        positions[column] = j
        written[column] = text.strip()
    best = last
    body = [
        (number, row)
        for number, row in zip(sheet.numbers[best + 1 :], sheet.rows[best + 1 :], strict=True)
        if any(c.strip() for c in row)
    ]
    raw = pd.DataFrame(
        {
            column: [_unneutralize(row[j]) if j < len(row) else "" for _, row in body]
            for column, j in positions.items()
        },
        dtype=object,
        index=pd.RangeIndex(len(body)),
    )
    numbers = [number for number, _ in body]
    table = parse_table(
        raw, name, source=sheet.source, rows=numbers, headers=written, problems=problems
    )
    table.attrs["rows"] = numbers
    table.attrs["headers"] = written
    table.attrs["source"] = sheet.source
    return table


def read_plain_table(path: str | os.PathLike) -> pd.DataFrame:
    """A CSV file (UTF-8, BOM or GBK) or a workbook's first sheet, as text cells.

    For tables other than a District's (a previous plan, say): the first non-blank row
    is the header; formula escapes written by this package are undone.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(Problem(str(path), None, None, None, "an existing CSV or .xlsx file"))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets, _ = _read_workbook(path)
        sheet = next(iter(sheets.values()), None)
    else:
        sheet = _read_csv_sheet(path)
    rows = [r for r in (sheet.rows if sheet else []) if any(c.strip() for c in r)]
    if not rows:
        raise DataError(Problem(path.name, None, None, None, "a header row and rows"))
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
        Listing every problem found (up to a limit): file or sheet, row, column, value
        and what was expected.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.load_district("data/sample")
    >>> len(d.in_post), len(d.mentors), len(d.bases)
    (282, 13, 20)
    """
    path = Path(path)
    if not path.exists():
        raise DataError(Problem(str(path), None, None, None, "an existing folder or .xlsx file"))
    problems: list[Problem] = []
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
        where = f"folder {path}"
        expected_form = "a file named {table}.csv"
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        by_title, synthetic = _read_workbook(path)
        titles = {normalize_text(t): t for t in by_title}
        for name in TABLE_ORDER:
            for candidate in TABLES[name].sheet_names:
                if normalize_text(candidate) in titles:
                    sheets[name] = by_title[titles[normalize_text(candidate)]]
                    break
        where = f"workbook {path.name}"
        expected_form = "a sheet named {table}"
    else:
        raise DataError(
            Problem(str(path), None, None, None, "a folder of CSV files or an .xlsx workbook")
        )
    for name in REQUIRED_TABLES:
        if name not in sheets and not any(p.source.startswith(f"{name}.") for p in problems):
            form = expected_form.format(table=f"{name} ({TABLES[name].zh})")
            problems.append(Problem(where, None, None, None, form))
    tables: dict[str, pd.DataFrame] = {}
    for name, sheet in sheets.items():
        table = _sheet_to_table(sheet, name, problems)
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
    if problems:
        order = {t.attrs["source"]: i for i, t in enumerate(tables.values())}
        problems.sort(key=lambda p: (order.get(p.source, -1), p.row or 0))
        raise DataError(problems[:MAX_PROBLEMS])
    for table in tables.values():
        table.attrs.clear()
    with _trusted():
        return District(**tables, synthetic=synthetic)


# --- Writing --------------------------------------------------------------------------


def neutralize(text: str) -> str:
    """Text safe to put in a spreadsheet cell: a formula start is escaped with ``'``.

    >>> neutralize("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralize("王芳")
    '王芳'
    """
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _cells(df: pd.DataFrame) -> pd.DataFrame:
    """The table as the text a person should see in each cell."""
    out = {}
    for col in df.columns:
        s = df[col]
        if s.dtype == object:
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


def localize(name: str, df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A table with Chinese headers and values, as a planner would type it.

    Vocabulary codes become Chinese labels (lists joined with 、), booleans 是/否.
    :func:`load_district` reads it back to the same codes. ``lang="en"`` returns ``df``.
    """
    if lang == "en":
        return df
    if lang != "zh":
        raise DataError(f"unknown language {lang!r}; expected 'zh' or 'en'")
    spec = TABLES[name]
    out = {}
    for col in spec.columns:
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
