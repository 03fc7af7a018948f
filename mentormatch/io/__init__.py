"""Reading and writing Districts: a folder of CSV files or one Excel workbook.

Reading is forgiving about form (encodings, Chinese or English headers, title rows
above the header, blank rows, vocabulary written as codes or Chinese labels) and strict
about content: every problem is reported with the file or sheet, the spreadsheet row,
the column and what was expected, in one :class:`~mentormatch.DataError`.

Writing is deterministic (same District, same bytes), atomic (a failed write leaves
no partial file) and safe: text that would start a spreadsheet formula is written as
text.

The jobs live in their own modules: :mod:`~mentormatch.io.read` (the cells of a file
as text), :mod:`~mentormatch.io.sheet` (a sheet to a typed table),
:mod:`~mentormatch.io.load` (a whole District), :mod:`~mentormatch.io.write` (safe,
reproducible files) and :mod:`~mentormatch.io.save` (a District to files).
"""

from mentormatch.io.load import load_district
from mentormatch.io.read import read_plain_table
from mentormatch.io.save import SYNTHETIC_MARKER, localize, save_district
from mentormatch.io.sheet import HEADER_SEARCH_ROWS, TABLES_COLUMN_ZH
from mentormatch.io.write import (
    FORMULA_STARTS,
    _cells,
    _rewrite_zip_deterministic,
    atomic_directory,
    atomic_path,
    neutralize,
    write_csv,
    write_xlsx,
)

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
    "FORMULA_STARTS",
    "HEADER_SEARCH_ROWS",
    "SYNTHETIC_MARKER",
    "TABLES_COLUMN_ZH",
    "_cells",
    "_rewrite_zip_deterministic",
]
