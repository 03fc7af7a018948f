"""Training (issue 13): the launch class, the bimonthly electives by need, small classes.

* :func:`plan_training` -> :class:`TrainingPlan`: a year of training for a District.
* :class:`NeedRule`: how need is measured (:mod:`.needs`).
* :func:`assign_sessions`, :func:`session_network`, :func:`check_attendance`,
  :func:`greedy_attendance`: the generic electives problem on a needs table
  (:mod:`.attendance`), its flow network, its check and its baseline.
* :func:`launch_class`, :func:`small_classes`: the two other parts.

The workbook is :func:`mentormatch.export.training_book.write_training_book`.
"""

from mentormatch.training.attendance import (
    RESOLUTION,
    assign_sessions,
    check_attendance,
    greedy_attendance,
    session_network,
)
from mentormatch.training.launch import launch_class
from mentormatch.training.needs import FOUNDATIONAL, NeedRule, session_needs
from mentormatch.training.plan import TrainingPlan, default_year, plan_training
from mentormatch.training.small_classes import small_classes

__all__ = [
    "plan_training",
    "TrainingPlan",
    "NeedRule",
    "FOUNDATIONAL",
    "RESOLUTION",
    "assign_sessions",
    "session_network",
    "check_attendance",
    "greedy_attendance",
    "launch_class",
    "small_classes",
    "session_needs",
    "default_year",
]
