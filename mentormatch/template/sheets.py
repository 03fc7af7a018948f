"""One data sheet per table: headers (red when required) with their comments, data
validation, number formats, widths and print setup."""

from __future__ import annotations

from mentormatch.schema import REQUIRED_TABLES, Column, Table
from mentormatch.template.columns import _comment_text, _example
from mentormatch.template.names import (
    _AUTHOR,
    _OPTIONAL_FILL,
    _RED,
    _REQUIRED_FILL,
    _labels,
    header,
)
from mentormatch.template.validation import _Lists, _validation
from mentormatch.workbook import NUMBER_FORMATS, display_width

# --- Sheets ----------------------------------------------------------------------------


def _column_format(col: Column) -> str | None:
    if col.kind in ("id", "id_list", "month"):
        return "@"  # IDs stay text: 001 is not the number 1, 2024-03 is not a date
    if col.kind == "share":
        return "0.0%"
    if col.kind in ("int", "year"):
        return NUMBER_FORMATS[col.kind]
    return None


def _print_setup(ws) -> None:
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _table_sheet(ws, table: Table, lists: _Lists, lang: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for j, col in enumerate(table.columns, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j, value=header(col, lang))
        cell.data_type = "s"
        fill = _REQUIRED_FILL if col.required else _OPTIONAL_FILL
        cell.font = Font(bold=True, color=_RED if col.required else None)
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
        cell.alignment = Alignment(vertical="center")
        text = _comment_text(table, col, lang)
        comment = Comment(text, _AUTHOR)
        comment.width = 320
        comment.height = 26 + 17 * sum(1 + display_width(x) // 48 for x in text.split("\n"))
        cell.comment = comment
        dv = _validation(table, col, j, lists, lang)
        if dv is not None:
            ws.add_data_validation(dv)
        fmt = _column_format(col)
        if fmt:
            ws.column_dimensions[letter].number_format = fmt
        shown = [display_width(header(col, lang)) + 4, display_width(_example(table, col, lang))]
        if col.kind == "vocab":
            shown += [display_width(x) for x in _labels(col.vocab, lang)]
        elif col.kind == "vocab_list":
            shown.append(28)  # room for two or three items
        ws.column_dimensions[letter].width = min(40, max(8, max(shown) + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}1"
    if table.name in REQUIRED_TABLES:
        ws.sheet_properties.tabColor = _RED
    _print_setup(ws)
