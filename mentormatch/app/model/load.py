"""Steps 1 and 2 of the workbench: load a roster (a refused one leaves its problems), and
the district at a glance."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from mentormatch.app.model.rules import Rules
from mentormatch.app.upload import load_sample, read_path, read_upload, upload_name
from mentormatch.app.words import say
from mentormatch.district import District
from mentormatch.errors import MAX_PROBLEMS, DataError
from mentormatch.present.format import MISSING


class _LoadActions:
    """Part of :class:`~mentormatch.app.model.Workbench`: steps 1 and 2, loading and the
    district at a glance."""

    # --- 1. loading ----------------------------------------------------------------------

    def load(self, path: str | Path, *, source: str | None = None) -> bool:
        """Load the roster at ``path`` (a workbook or a folder of CSV files)."""
        return self._load(lambda: read_path(path), source or Path(path).name)

    def load_upload(self, name: str, content: bytes) -> bool:
        """Load an uploaded workbook or zip of CSV files (see :func:`read_upload`)."""
        return self._load(lambda: read_upload(name, bytes(content)), upload_name(name))

    def load_sample(self) -> bool:
        """Load the bundled sample roster (:func:`load_sample`)."""
        return self._load(load_sample, None)

    def _load(self, read: Callable[[], District], source: str | None) -> bool:
        self.clear()
        self.source = source
        try:
            d = read()
        except DataError as error:
            self.problems = tuple(error.problems)
            self.warnings = tuple(getattr(error, "warnings", ()) or ())
            return False
        self.roster = d
        self.warnings = tuple(d.warnings)
        c = d.constraints
        self.rules = Rules(
            pairs=tuple(
                zip(
                    c["secretary_id"].tolist(),
                    c["mentor_id"].tolist(),
                    c["rule"].tolist(),
                    strict=True,
                )
            )
        )
        return True

    @property
    def source_name(self) -> str:
        """The roster's name as the page says it."""
        return self.source if self.source else say("sample_name", self.lang)

    def problem_table(self) -> pd.DataFrame:
        """The roster's problems as a table a planner reads: sheet or file, Excel row,
        column, value, what is expected, suggestion (headers in the language)."""
        keys = ("source", "row", "column", "value", "expected", "suggestion")
        headers = [say(f"col_{k}", self.lang) for k in keys]
        rows = []
        for problem in self.problems:
            f = problem.fields(self.lang)
            row = ["" if f[k] is None else str(f[k]) for k in keys]
            if problem.kind == "message" or (not row[4] and not row[2]):
                row[4] = row[4] or f["message"]
            rows.append([value if value.strip() else MISSING for value in row])
        return pd.DataFrame(rows, columns=headers)

    def problems_cut_short(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS

    def warning_lines(self) -> list[str]:
        """The values the loader guessed, one sentence each."""
        return [w.text(self.lang) for w in self.warnings]

    # --- 2. at a glance ------------------------------------------------------------------

    def glance(self) -> dict[str, int]:
        """The district at a glance: secretaries in post, mentees, mentors, places (in
        all, fewest and most per mentor), shortfall and places to spare."""
        d = self.district
        places = d.mentors["capacity"].astype(int)
        mentees = len(d.mentees)
        return {
            "in_post": len(d.in_post),
            "mentees": mentees,
            "mentors": len(d.mentors),
            "places": int(places.sum()),
            "places_min": int(places.min()) if len(places) else 0,
            "places_max": int(places.max()) if len(places) else 0,
            "shortfall": max(0, mentees - int(places.sum())),
            "spare": max(0, int(places.sum()) - mentees),
            "bases": len(d.bases),
        }
