"""What the parts of the workbench share: the seed, the objectives, column labels."""

from __future__ import annotations

#: The seed of every random choice (salon groups, the report, random plans), as the
#: report's default: same roster, same results.
SEED = 2018
#: The objectives a planner can choose, in the order shown.
OBJECTIVES = ("total", "fair", "stable")


def _label(code: str, kind: str):
    from mentormatch.present.labels import COLUMNS, Column

    spec = COLUMNS[code]
    return Column(spec.zh, spec.en, kind)
