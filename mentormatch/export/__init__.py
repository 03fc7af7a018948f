"""Workbooks for people: the plan for review and approval, the salon groups, the clusters.

* :func:`write_plan` (``plan_book``): the plan by mentor, per mentor for printing, the
  unplaced with whom to give a place, per sub-district, the figures and rules with a
  sign-off block, blocking pairs and changes.
* :func:`write_groups` (``groups_book``): every secretary's group, the groups' profiles,
  the balance counts and the topic plan.
* :func:`write_clusters` (``clusters_book``): every secretary's cluster and the
  clusters' profiles.

Each writes ``.xlsx`` (or ``.csv``, its main sheet) in one language, through
:func:`mentormatch.workbook.write_workbook`: labels not codes, numbers as numbers with
number formats, 是/否, measured widths, a frozen, filtered header and print setup.

In English, every value from the vocabulary (sub-districts and towns, community types,
challenges) reads in its English label ("Caoyang Xincun", not 曹杨新村街道), as in the
English report; what the roster writes in its own words (names of people, communities
and bases, the 备注 column) stays as the roster writes it.
"""

from mentormatch.export._common import LABELS
from mentormatch.export.clusters_book import write_clusters
from mentormatch.export.groups_book import write_groups
from mentormatch.export.plan_book import NO_PLACE_LEFT, write_plan

__all__ = ["write_plan", "write_groups", "write_clusters", "LABELS", "NO_PLACE_LEFT"]
