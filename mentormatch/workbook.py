"""Workbooks for people: numbers as numbers, readable widths, a header that stays put.

:func:`write_workbook` writes tables that a planner opens in Excel or WPS: numbers
stored as numbers with number formats (percentages as percentages), booleans as 是/否,
text never taken for a formula (a name or note that starts like one, with = + - or @,
is stored as text as written, with Excel's quote prefix, so that neither opening nor
editing the cell evaluates it), column widths measured in display cells (a Chinese
character takes two), a bold, shaded, frozen header with an autofilter, and print setup
(A4 landscape, header row repeated, fit to the page width, page numbers). The same
tables give the same bytes (fixed time stamps), so outputs can be compared and committed.

A sheet is a table (a DataFrame, or a ``(DataFrame, kinds)`` pair), or a :class:`Sheet`
of blocks for sheets that are read on paper: :class:`Heading` rows, :class:`Table`
blocks (with or without their own header row, boxed for signatures), :class:`Gap` rows
and :class:`PageBreak` marks.
"""

from __future__ import annotations

import io
import math
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mentormatch.io import FORMULA_STARTS, _rewrite_zip_deterministic, atomic_path

__all__ = [
    "write_workbook",
    "display_width",
    "number_kind",
    "NUMBER_FORMATS",
    "Sheet",
    "Table",
    "Heading",
    "Gap",
    "PageBreak",
]

#: Number formats by column kind. A kind may also be a number format itself ("0.00").
NUMBER_FORMATS = {"int": "#,##0", "year": "0", "percent": "0%", "float": "0.000"}
#: The widest a column gets (in display cells); longer text wraps.
MAX_WIDTH = 36
_MAX_WIDTH = MAX_WIDTH
_MIN_WIDTH = 6
_YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}
_LIST_SEP = {"zh": "、", "en": ", "}
_FOOTER = {"zh": "第 &P 页，共 &N 页", "en": "Page &P of &N"}
_RAW_MISSING = {"nan", "NaN", "None", "<NA>", "NaT"}
#: Characters an .xlsx cell cannot hold (control characters pasted from other programs).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHADE = "DDE5F0"
_SHADE_LIGHT = "EEF2F8"


#: The height of one line of wrapped text, in points (the default 11-point font).
LINE_HEIGHT = 15.0


def _fit_height(ws, cell) -> None:
    """Make the row of a wrapped cell tall enough for its lines. Excel grows such rows
    by itself, but LibreOffice and print previews of files written by programs do not,
    and would show one line cut off."""
    width = ws.column_dimensions[cell.column_letter].width or 10
    lines = sum(
        max(1, -(-display_width(part) // max(1, int(width) - 2)))
        for part in str(cell.value).split("\n")
    )
    row = ws.row_dimensions[cell.row]
    row.height = max(row.height or 0, LINE_HEIGHT * lines)


def display_width(text: object) -> int:
    """Width of ``text`` in display cells: wide (East Asian) characters count two.

    >>> display_width("曹杨新村街道"), display_width("Caoyang")
    (12, 7)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


# --- Sheets made of blocks ---------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A block of rows: a bold, shaded header row (unless ``header=False``) and the rows.

    ``kinds`` maps a column to ``int``, ``year``, ``float``, ``percent``, ``text`` or a
    number format (``"0.00"``); without one, numeric dtypes are numbers and everything
    else text. ``cell_kinds`` gives a column one kind per row (a column of figures of
    different kinds). ``boxed`` draws thin borders round every cell (a sign-off block),
    ``row_height`` sets the rows' height in points.
    """

    frame: pd.DataFrame
    kinds: Mapping[str, str] = field(default_factory=dict)
    header: bool = True
    cell_kinds: Mapping[str, Sequence[str]] = field(default_factory=dict)
    boxed: bool = False
    row_height: float | None = None


@dataclass(frozen=True)
class Heading:
    """A heading row: ``level`` 1 a sheet title (larger, bold), 2 a block heading (bold,
    shaded across the sheet's width), 3 a note (plain text)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Gap:
    """Empty rows between blocks."""

    rows: int = 1


@dataclass(frozen=True)
class PageBreak:
    """A page break after the rows written so far (one printed page per block)."""


@dataclass(frozen=True)
class Sheet:
    """A sheet of blocks, written top to bottom.

    The first :class:`Table` with a header row is the sheet's header: with ``freeze``
    the rows down to it stay in view, with ``print_header`` they are printed on every
    page, and with ``autofilter`` that table gets a filter (only for a sheet that is one
    table). Columns are as wide as their widest value, up to ``max_width`` (longer
    text wraps), and at least ``min_widths`` (column number from 1 -> width), e.g. room
    to sign.
    """

    blocks: Sequence[Table | Heading | Gap | PageBreak]
    freeze: bool = True
    print_header: bool = True
    autofilter: bool = False
    max_width: int = MAX_WIDTH
    min_widths: Mapping[int, float] = field(default_factory=dict)


def _as_sheet(spec: object) -> Sheet:
    if isinstance(spec, Sheet):
        return spec
    if isinstance(spec, Table):
        return Sheet([spec], autofilter=spec.header)
    df, kinds = spec if isinstance(spec, tuple) else (spec, {})
    return Sheet([Table(df, dict(kinds))], autofilter=True)


# --- Writing -------------------------------------------------------------------------------


def write_workbook(
    sheets: Mapping[str, pd.DataFrame | tuple[pd.DataFrame, Mapping[str, str]] | Sheet | Table],
    path: str | os.PathLike,
    *,
    keywords: str = "",
    lang: str = "zh",
    title: str = "",
) -> None:
    """Write each table as a sheet of one workbook, atomically and reproducibly.

    Parameters
    ----------
    sheets : mapping
        Sheet name -> table, -> (table, kinds), where ``kinds`` maps a column to
        ``int``, ``year``, ``float``, ``percent``, ``text`` or a number format (from
        :func:`mentormatch.present.format.for_export`), or -> a :class:`Sheet` of blocks.
        Without kinds, numeric dtypes are numbers and everything else text.
    path : path
        The ``.xlsx`` file.
    keywords : str
        The document's keywords ("synthetic" for synthetic data).
    lang : {"zh", "en"}
        The language of booleans (是/否, yes/no), list separators and page footers.
    title : str
        The document's title (its properties).
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, spec in sheets.items():
        ws = wb.create_sheet(title=_sheet_title(name))
        _write_sheet(ws, _as_sheet(spec), lang, name)
    if not wb.worksheets:
        wb.create_sheet("-")
    wb.properties.creator = "mentormatch"
    wb.properties.keywords = keywords or None
    wb.properties.title = title or None
    buffer = io.BytesIO()
    wb.save(buffer)
    with atomic_path(path) as tmp:
        _rewrite_zip_deterministic(buffer.getvalue(), tmp)


def _write_sheet(ws, sheet: Sheet, lang: str, name: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    bold = Font(bold=True)
    shade = PatternFill("solid", start_color=_SHADE, end_color=_SHADE)
    light = PatternFill("solid", start_color=_SHADE_LIGHT, end_color=_SHADE_LIGHT)
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_align = Alignment(vertical="center", wrap_text=True)

    tables = [b for b in sheet.blocks if isinstance(b, Table)]
    n_cols = max([len(t.frame.columns) for t in tables] + [1])
    widths = [0] * n_cols
    wrap_cols: set[int] = set()
    header_row = None
    header_table = None
    headings: list[tuple[int, int]] = []
    row = 0
    for block in sheet.blocks:
        if isinstance(block, Gap):
            row += block.rows
        elif isinstance(block, PageBreak):
            if row:
                ws.row_breaks.append(Break(id=row))
        elif isinstance(block, Heading):
            row += 1
            _put_text(ws.cell(row=row, column=1), _clean(str(block.text)))
            headings.append((row, block.level))
        else:
            df = block.frame
            kinds = {c: block.kinds.get(c) or number_kind(df[c]) or "text" for c in df.columns}
            formats = {c: _format(kinds[c], df[c]) for c in df.columns}
            if block.header:
                row += 1
                for j, col in enumerate(df.columns, start=1):
                    cell = ws.cell(row=row, column=j)
                    _put_text(cell, _clean(str(col)))
                    cell.font, cell.fill, cell.alignment = bold, shade, header_align
                    if block.boxed:
                        cell.border = box
                    widths[j - 1] = max(widths[j - 1], display_width(col) + 2)
                if header_row is None:
                    header_row, header_table = row, block
            for i, values in enumerate(df.itertuples(index=False)):
                row += 1
                for j, (col, value) in enumerate(zip(df.columns, values, strict=True), start=1):
                    kind, fmt = kinds[col], formats[col]
                    if col in block.cell_kinds:
                        kind = block.cell_kinds[col][i]
                        fmt = _format(kind, pd.Series([value]))
                    shown = _value(value, kind, lang)
                    cell = ws.cell(row=row, column=j)
                    if isinstance(shown, str):
                        _put_text(cell, shown)
                    elif shown is not None:
                        cell.value = shown
                        if fmt:
                            cell.number_format = fmt
                    if block.boxed:
                        cell.border = box
                    width = display_width(_shown(shown, fmt))
                    if width > sheet.max_width:
                        wrap_cols.add(j - 1)
                    widths[j - 1] = max(widths[j - 1], width)
                if block.row_height:
                    ws.row_dimensions[row].height = block.row_height

    for j, width in enumerate(widths):
        letter = get_column_letter(j + 1)
        width = min(sheet.max_width, max(_MIN_WIDTH, width + 2))
        ws.column_dimensions[letter].width = max(width, sheet.min_widths.get(j + 1, 0))
    if wrap_cols:
        wrap = Alignment(vertical="top", wrap_text=True)
        top = Alignment(vertical="top")
        heading_rows = {r for r, _ in headings}
        for cells in ws.iter_rows(min_row=(header_row or 0) + 1, max_row=row):
            for cell in cells:
                if cell.row in heading_rows:
                    continue
                if cell.column - 1 in wrap_cols and isinstance(cell.value, str):
                    cell.alignment = wrap
                    _fit_height(ws, cell)
                elif cell.value is not None:
                    cell.alignment = top
    title_font = Font(bold=True, size=14)
    for r, level in headings:
        cell = ws.cell(row=r, column=1)
        if level == 1:
            cell.font = title_font
        elif level == 2:
            cell.font = bold
            for j in range(1, n_cols + 1):
                ws.cell(row=r, column=j).fill = light

    if header_row is not None and sheet.freeze:
        ws.freeze_panes = f"A{header_row + 1}"
    if header_row is not None and sheet.print_header:
        ws.print_title_rows = f"1:{header_row}"
    if header_table is not None and sheet.autofilter and len(header_table.frame.columns):
        last = get_column_letter(len(header_table.frame.columns))
        ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(1, len(header_table.frame))}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddHeader.center.text = str(name).replace("&", "&&")
    ws.oddFooter.center.text = _FOOTER.get(lang, _FOOTER["en"])


def _put_text(cell, text: str) -> None:
    """Text as text: never a formula, whatever it starts with. Text that Excel would
    take for a formula when typed (= + - @) gets the quote prefix, the apostrophe Excel
    itself puts before such text; it is not part of the value, so the cell shows the
    text as written and stays text when edited."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _clean(text: str) -> str:
    """``text`` without the control characters an .xlsx cell cannot hold."""
    return _ILLEGAL.sub("", text)


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


def _is_format(kind: str) -> bool:
    return kind not in NUMBER_FORMATS and kind != "text" and bool(re.search(r"[0#]", kind))


def _numeric(kind: str) -> bool:
    return kind in NUMBER_FORMATS or _is_format(kind)


def _format(kind: str, values: pd.Series) -> str | None:
    """The number format of a column of ``kind``."""
    if _is_format(kind):
        return kind
    if kind == "float":
        return _float_format(values)
    return NUMBER_FORMATS.get(kind)


def _float_format(values: pd.Series) -> str:
    finite = pd.to_numeric(values, errors="coerce").dropna().abs()
    finite = finite[finite > 0]
    if finite.empty or (finite == finite.round()).all():
        return "#,##0"
    typical = float(finite.median())
    return "0.000" if typical < 1 else ("0.00" if typical < 10 else "0.0")


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() in _RAW_MISSING | {""}


def _value(value: object, kind: str, lang: str = "zh") -> object:
    """What a cell holds: a number, text (written as text, never a formula), or nothing."""
    if isinstance(value, (tuple, list, np.ndarray)):
        items = [v for v in list(value) if not _missing(v)]
        if not items:
            return None
        value = _LIST_SEP.get(lang, ", ").join(
            _text(v, lang) if not isinstance(v, str) else v for v in items
        )
    if _missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return _YES_NO.get(lang, _YES_NO["en"])[0 if value else 1]
    if _numeric(kind):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return _clean(str(value))
        if not math.isfinite(number):
            return None
        if kind in ("int", "year") and number.is_integer():
            return int(number)
        return number
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    text = _clean(str(value))
    return text if text.strip() else None


def _text(value: object, lang: str) -> str:
    if isinstance(value, (bool, np.bool_)):
        return _YES_NO.get(lang, _YES_NO["en"])[0 if value else 1]
    return str(value)


def _shown(value: object, fmt: str | None) -> str:
    """Roughly what Excel shows for a cell (for column widths)."""
    if value is None:
        return ""
    if isinstance(value, str) or not fmt:
        return max(str(value).split("\n"), key=display_width)
    decimals = len(fmt.split(".", 1)[1].rstrip("%")) if "." in fmt else 0
    number = float(value)
    if fmt.endswith("%"):
        return f"{number * 100:,.{decimals}f}%"
    return f"{number:,.{decimals}f}" if "," in fmt else f"{number:.{decimals}f}"
