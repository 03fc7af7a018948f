"""The plan workbook for review and approval (:func:`write_plan`).

Sheets, in the chosen language: the plan grouped by mentor (结对方案), one printable
block per mentor (带教名单), the unplaced with why and whom to give a place (未结对),
the figures per sub-district (街镇汇总), the headline figures, the rules used and a
sign-off block (概要), the blocking pairs in words (阻塞对) and, for a re-match, the
changes (调整).

The sheets are built in :mod:`~mentormatch.export.plan_book.pairs` (the pairs),
:mod:`~mentormatch.export.plan_book.summary` (概要) and
:mod:`~mentormatch.export.plan_book.review` (阻塞对, 调整), over the cells of
:mod:`~mentormatch.export.plan_book.cells`; their words are in
:mod:`~mentormatch.export.plan_book.words`.
"""

from __future__ import annotations

from pathlib import Path

from mentormatch.export._common import write_book
from mentormatch.export.plan_book.pairs import _PairSheets
from mentormatch.export.plan_book.review import _ReviewSheets
from mentormatch.export.plan_book.summary import _SummarySheet
from mentormatch.export.plan_book.words import (
    NO_PLACE_LEFT,
    OBJECTIVE_WORDS,
    PROXIMITY_WORDS,
    SHEETS,
)
from mentormatch.workbook import Sheet

__all__ = [
    "write_plan",
    "plan_sheets",
    "SHEETS",
    "OBJECTIVE_WORDS",
    "PROXIMITY_WORDS",
    "NO_PLACE_LEFT",
]


def write_plan(d, plan, path, *, lang: str = "zh") -> Path:
    """Write a plan for review and approval: ``.xlsx`` a workbook, ``.csv`` its main
    sheet (UTF-8 with a byte-order mark, for Excel).

    Every sheet name, header and value is in ``lang`` ("zh" or "en"): labels, not
    codes; numbers stored as numbers with number formats, percentages as percentages,
    是/否 for yes and no. Any other extension is a :class:`~mentormatch.DataError`.
    The same plan gives the same bytes.

    Returns
    -------
    Path
        The file written.
    """
    return write_book(
        d,
        path,
        ("结对方案", "a plan"),
        ("带教结对方案", "Mentoring plan"),
        lang,
        lambda lang: plan_sheets(d, plan, lang),
    )


def plan_sheets(d, plan, lang: str = "zh") -> dict[str, Sheet]:
    """The plan workbook's sheets, by sheet name (see :func:`write_plan`)."""
    i = 0 if lang == "zh" else 1
    view = _View(d, plan, lang)
    sheets = {
        SHEETS["plan"][i]: view.main(),
        SHEETS["by_mentor"][i]: view.by_mentor(),
        SHEETS["unplaced"][i]: view.unplaced(),
        SHEETS["units"][i]: view.units(),
        SHEETS["summary"][i]: view.summary(),
        SHEETS["blocking"][i]: view.blocking(),
    }
    if plan.changes is not None:
        sheets[SHEETS["changes"][i]] = view.changes()
    return sheets


class _View(_PairSheets, _SummarySheet, _ReviewSheets):
    """The plan's tables as people read them."""
