"""Workbooks for people: numbers as numbers, readable widths, a header that stays put.

:func:`write_workbook` writes tables that a planner opens in Excel or WPS: numbers
stored as numbers with number formats (percentages as percentages), text never taken
for a formula, column widths measured in display cells (a Chinese character takes
two), a bold, shaded, frozen header with an autofilter, and print setup (A4
landscape, header row repeated, fit to the page width). The same tables give the
same bytes (fixed time stamps), so outputs can be compared and committed.
"""

from __future__ import annotations

import io
import os
import unicodedata
from collections.abc import Mapping

import pandas as pd

from mentormatch.io import _rewrite_zip_deterministic, atomic_path, neutralize

__all__ = ["write_workbook", "display_width", "number_kind", "NUMBER_FORMATS"]

#: Number formats by column kind.
NUMBER_FORMATS = {"int": "#,##0", "year": "0", "percent": "0%", "float": "0.000"}
_MAX_WIDTH = 60


def display_width(text: object) -> int:
    """Width of ``text`` in display cells: wide (East Asian) characters count two.

    >>> display_width("曹杨新村街道"), display_width("Caoyang")
    (12, 7)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _float_format(values: pd.Series) -> str:
    finite = pd.to_numeric(values, errors="coerce").dropna().abs()
    finite = finite[finite > 0]
    if finite.empty or (finite == finite.round()).all():
        return "#,##0"
    typical = float(finite.median())
    return "0.000" if typical < 1 else ("0.00" if typical < 10 else "0.0")


def write_workbook(
    sheets: Mapping[str, pd.DataFrame | tuple[pd.DataFrame, Mapping[str, str]]],
    path: str | os.PathLike,
    *,
    keywords: str = "",
) -> None:
    """Write each table as a sheet of one workbook, atomically and reproducibly.

    Parameters
    ----------
    sheets : mapping
        Sheet name -> table, or -> (table, kinds), where ``kinds`` maps a column to
        ``int``, ``year``, ``float``, ``percent`` or ``text`` (from
        :func:`mentormatch.present.format.for_export`). Without kinds, numeric dtypes
        are numbers and everything else text.
    path : path
        The ``.xlsx`` file.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    shade = PatternFill("solid", start_color="DDE5F0", end_color="DDE5F0")
    wb = Workbook()
    wb.remove(wb.active)
    for title, spec in sheets.items():
        df, kinds = spec if isinstance(spec, tuple) else (spec, {})
        kinds = {c: kinds.get(c) or number_kind(df[c]) or "text" for c in df.columns}
        ws = wb.create_sheet(title=_sheet_title(title))
        ws.append([str(c) for c in df.columns])
        formats = {
            c: (_float_format(df[c]) if k == "float" else NUMBER_FORMATS.get(k))
            for c, k in kinds.items()
        }
        for values in df.itertuples(index=False):
            row = []
            for col, value in zip(df.columns, values, strict=True):
                row.append(_value(value, kinds[col]))
            ws.append(row)
        for j, col in enumerate(df.columns, start=1):
            letter = get_column_letter(j)
            fmt = formats[col]
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, never a formula
                elif fmt and cell.value is not None:
                    cell.number_format = fmt
            shown = [display_width(col) + 2] + [
                display_width(_shown(v, kinds[col])) for v in df[col].head(500).tolist()
            ]
            ws.column_dimensions[letter].width = min(_MAX_WIDTH, max(6, max(shown) + 2))
        for cell in ws[1]:
            cell.font = bold
            cell.fill = shade
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.freeze_panes = "A2"
        if len(df.columns):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{max(1, len(df) + 1)}"
        ws.print_title_rows = "1:1"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if not wb.worksheets:
        wb.create_sheet("-")
    wb.properties.creator = "mentormatch"
    wb.properties.keywords = keywords or None
    buffer = io.BytesIO()
    wb.save(buffer)
    with atomic_path(path) as tmp:
        _rewrite_zip_deterministic(buffer.getvalue(), tmp)


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(title))
    return cleaned[:31] or "-"


def number_kind(s: pd.Series) -> str | None:
    """``int`` or ``float`` for a column of numbers (booleans are not), else ``None``."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return None
    if pd.api.types.is_integer_dtype(s.dtype):
        return "int"
    if pd.api.types.is_float_dtype(s.dtype):
        return "float"
    return None


def _value(value: object, kind: str) -> object:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if kind in NUMBER_FORMATS:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return neutralize(str(value))
        if kind in ("int", "year") and number.is_integer():
            return int(number)
        return number
    if isinstance(value, (tuple, list)):
        value = "、".join(map(str, value))
    return neutralize(str(value)) if not isinstance(value, (int, float)) else value


def _shown(value: object, kind: str) -> str:
    """Roughly what Excel shows for a value (for column widths)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if kind == "percent":
        return "100%"
    if kind in ("int", "float"):
        try:
            return f"{float(value):,.3f}"
        except (TypeError, ValueError):
            return str(value)
    return str(value)
