"""On-site supervision (实地督训): the year's calendar of mentors' visits to their
mentees' communities.

* :func:`visit_schedule` makes the calendar (:mod:`.visits`: days within one
  sub-district and its neighbours, spread through the year and its months);
* :func:`summary_frame`, :func:`visit_figures` and :func:`describe` read it at a glance
  (:mod:`.summary`); :func:`check_schedule` proves its rules (:mod:`.checks`);
* :mod:`.days` holds the calendar of working days, :mod:`.words` what it says.

The workbook is :func:`mentormatch.export.visits_book.write_visits_book`.
"""

from mentormatch.supervision.checks import check_schedule
from mentormatch.supervision.days import FIXED_HOLIDAYS, Calendar
from mentormatch.supervision.summary import describe, summary_frame, visit_figures
from mentormatch.supervision.visits import (
    SCHEDULE_COLUMNS,
    default_year,
    group_days,
    visit_schedule,
)

__all__ = [
    "visit_schedule",
    "summary_frame",
    "visit_figures",
    "describe",
    "check_schedule",
    "default_year",
    "group_days",
    "SCHEDULE_COLUMNS",
    "FIXED_HOLIDAYS",
    "Calendar",
]
