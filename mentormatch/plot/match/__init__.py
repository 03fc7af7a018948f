"""Charts of plans: the score matrix, the plan as a graph, objectives side by side.

A district's plan fits on a page whole; a city's does not. :func:`score_matrix` then
shows a random sample of mentors with their mentees, and :func:`plan_graph` the
largest mentor groups; each title says what part of the plan is shown.

The charts live in :mod:`~mentormatch.plot.match.pairs` (one plan's pairs) and
:mod:`~mentormatch.plot.match.compare` (plans side by side, one mentee's components);
every name is also importable from here.
"""

from __future__ import annotations

from mentormatch.plot.match._common import PLAN_NAMES as PLAN_NAMES
from mentormatch.plot.match.compare import (
    base_coverage,
    compare_objectives,
    components,
    score_distribution,
)
from mentormatch.plot.match.pairs import GRAPH_LARGEST as GRAPH_LARGEST
from mentormatch.plot.match.pairs import GRAPH_MENTORS as GRAPH_MENTORS
from mentormatch.plot.match.pairs import MATRIX_MENTEES as MATRIX_MENTEES
from mentormatch.plot.match.pairs import MATRIX_MENTORS as MATRIX_MENTORS
from mentormatch.plot.match.pairs import plan_graph, score_matrix

__all__ = [
    "score_matrix",
    "plan_graph",
    "compare_objectives",
    "base_coverage",
    "components",
    "score_distribution",
]
