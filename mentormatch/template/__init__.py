"""A blank roster workbook that a district office fills in (``mentormatch template``).

:func:`write_template` writes one sheet per table of :data:`mentormatch.schema.TABLES`,
with the headers :func:`mentormatch.load_district` reads (Chinese, or the English
column codes under ``lang="en"``), an instructions sheet first, and Excel data
validation so that typos cannot happen at entry:

* every vocabulary column (sub-district/town, community type, education, gender,
  dimension, source, career event, rule) gets a drop-down of the vocabulary's labels,
  kept on a hidden sheet of lists (Excel allows 255 characters in an inline list);
* a list column (several challenges) gets the same drop-down with a *warning* rather
  than a refusal, since a cell of several values separated by 、 is not one item of
  the list, and an input message listing the accepted labels;
* yes/no columns a 是/否 drop-down; whole numbers, years, numbers and shares numeric
  validation with the schema's bounds; an ID that is a table's key must be unique in
  its column; an ID that refers to another table offers that table's IDs.

Required columns have a red header; every header carries a comment saying what the
column holds, how to write it and an example. The same call gives the same bytes.
Everything is built from the schema, so a column added there appears here.

The parts: :mod:`~mentormatch.template.names` (sheet names and headers the loader
reads), :mod:`~mentormatch.template.columns` (what each column holds, with examples),
:mod:`~mentormatch.template.validation` (drop-downs and checks),
:mod:`~mentormatch.template.sheets` (the data sheets) and
:mod:`~mentormatch.template.instructions` (the instructions sheet).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from mentormatch import lang as _lang
from mentormatch.errors import DataError, Problem
from mentormatch.io import _rewrite_zip_deterministic, atomic_path
from mentormatch.schema import TABLE_ORDER, TABLES
from mentormatch.template.instructions import _instructions
from mentormatch.template.names import (
    _AUTHOR,
    FIRST_ROW,
    LAST_ROW,
    _t,
    header,
    instructions_title,
    lists_title,
    sheet_title,
)
from mentormatch.template.sheets import _table_sheet
from mentormatch.template.validation import _Lists

__all__ = [
    "write_template",
    "sheet_title",
    "header",
    "instructions_title",
    "lists_title",
    "FIRST_ROW",
    "LAST_ROW",
]


def write_template(path: str | os.PathLike, *, lang: str = "zh") -> Path:
    """Write a blank roster workbook for a district office to fill in.

    Parameters
    ----------
    path : path
        The ``.xlsx`` file to write (atomically; the same call gives the same bytes).
    lang : {"zh", "en"}
        Chinese sheets, headers, drop-down labels and messages (the default), or
        English ones (headers are then the English column codes).

    Returns
    -------
    Path
        Where the template was written.

    Raises
    ------
    DataError
        For an unknown language or a file name not ending in ``.xlsx``.

    Examples
    --------
    >>> import mentormatch as mm, tempfile, os
    >>> from mentormatch.template import write_template
    >>> out = write_template(os.path.join(tempfile.mkdtemp(), "名册模板.xlsx"))
    >>> try:
    ...     mm.load_district(out)
    ... except mm.DataError as err:
    ...     print("refused")
    refused
    """
    from openpyxl import Workbook

    _lang.check(lang)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise DataError(
            Problem(str(path), None, None, None, "a file name ending in .xlsx for the template")
        )
    lists = _Lists(lang)
    wb = Workbook()
    ws = wb.active
    ws.title = instructions_title(lang)
    _instructions(ws, lists, lang)
    for name in TABLE_ORDER:
        _table_sheet(wb.create_sheet(sheet_title(name, lang)), TABLES[name], lists, lang)
    lists.write(wb.create_sheet(lists_title(lang)))
    wb.active = 0
    wb.properties.creator = _AUTHOR
    wb.properties.title = _t("书记带教名册模板", "Mentoring roster template", lang)
    buffer = io.BytesIO()
    wb.save(buffer)
    with atomic_path(path) as tmp:
        _rewrite_zip_deterministic(buffer.getvalue(), tmp)
    return path
