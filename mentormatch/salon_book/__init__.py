"""The salon's casebook (教、查并举): the monthly salon's records compiled by topic.

:func:`casebook` writes one self-contained HTML book (a table of contents and one
section per topic: ideas 金点子, cases 好案例, questions 疑问 with their answers 答复)
and a workbook beside it, in Chinese or English, with names as codes when asked.

* :func:`compile_records`: the records in the book's order with their contributors
  (the one table both the book and the workbook show);
* :func:`scrub`: names of the roster's people and communities in a text replaced by
  the codes of :meth:`mentormatch.District.pseudonymized`;
* :func:`render`: the page itself, as text.

``mm.casebook`` is :func:`casebook` (the package is named otherwise, so that importing
it does not hide the function).
"""

from __future__ import annotations

from mentormatch.salon_book.book import FILE_NAME, casebook, casebook_paths
from mentormatch.salon_book.compile import (
    RECORD_COLUMNS,
    compile_records,
    name_codes,
    scrub,
    topic_order,
)
from mentormatch.salon_book.html import render

__all__ = [
    "casebook",
    "casebook_paths",
    "compile_records",
    "scrub",
    "name_codes",
    "topic_order",
    "render",
    "RECORD_COLUMNS",
    "FILE_NAME",
]
