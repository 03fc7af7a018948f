"""What every sheet of the plan workbook reads: the plan in the order people read it, and
its cells in words (status, proximity, people, scores, alternates)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

import numpy as np
import pandas as pd

from mentormatch.export._common import LABELS, export, roster_notes
from mentormatch.export.plan_book.words import (
    _ALTERNATE,
    _RULED_OUT,
    _STATUS_ORDER,
    NO_PLACE_LEFT,
    PROXIMITY_WORDS,
)
from mentormatch.present.labels import COLUMNS
from mentormatch.workbook import Table


def _two(value: float) -> str:
    """A score with two decimals as Excel shows it in a "0.00" cell (half away from zero,
    on the 15 digits Excel keeps), so that a score in a sentence reads as in its cell:
    0.475 is 0.48 in both, where Python's own rounding would write 0.47."""
    return str(Decimal(f"{float(value):.15g}").quantize(Decimal("0.01"), ROUND_HALF_UP))


def _top(scores: pd.DataFrame, n: int) -> list[tuple[str, float]]:
    """The first ``n`` (mentor, score) of scores sorted best first."""
    head = scores.head(n)
    return [(m, float(v)) for m, v in zip(head["mentor_id"], head["total"], strict=True)]


def _header(code: str, lang: str) -> str:
    spec = LABELS.get(code) or COLUMNS[code]
    return spec[0] if lang == "zh" else spec[1]


def _table(df: pd.DataFrame, lang: str, formats: dict | None = None, **options) -> Table:
    frame, kinds = export(df, lang)
    for code, fmt in (formats or {}).items():
        if code in df.columns:
            kinds[_header(code, lang)] = fmt
    return Table(frame, kinds, **options)


class _Cells:
    """The plan as the sheets read it: sorted by status and mentor, with each cell's
    words."""

    def __init__(self, d, plan, lang: str):
        self.d, self.plan, self.lang = d, plan, lang
        self.zh = lang == "zh"
        t = plan.table
        s = d.secretaries.set_index("secretary_id")
        order = {m: k for k, m in enumerate(d.mentors["mentor_id"])}
        position = pd.Series(np.arange(len(t)), index=t.index)
        key = pd.DataFrame(
            {
                "status": t["status"].map(_STATUS_ORDER),
                "mentor": t["mentor_id"].map(order).fillna(len(order)),
                "position": position,
            }
        )
        self.t = t.loc[key.sort_values(["status", "mentor", "position"], kind="stable").index]
        self.challenges = self.t["secretary_id"].map(s["challenges"])
        notes = roster_notes(d)
        self.notes = (
            self.t["secretary_id"].map(notes)
            if notes is not None
            else pd.Series([None] * len(self.t), index=self.t.index, dtype=object)
        )
        self.mentor_notes = roster_notes(d, "mentors")
        loads = plan.loads.set_index("mentor_id")
        self.room = (loads["capacity"] - loads["load"]).astype(int)
        self.mentor_names = d.mentors.set_index("mentor_id")["name"]

    def say(self, zh: str, en: str) -> str:
        return zh if self.zh else en

    # --- cells ---------------------------------------------------------------------------

    def _status(self, code: str) -> str:
        from mentormatch.plan import STATUS

        # Sentence case in English, like the other labels: "placed" alone reads as a code.
        label = STATUS[code][0 if self.zh else 1]
        return label if self.zh else label[:1].upper() + label[1:]

    def _proximity(self, value: float) -> str | None:
        if not np.isfinite(value):
            return None
        key = "same" if value >= 1.0 else ("near" if value > 0 else "far")
        return PROXIMITY_WORDS[key][0 if self.zh else 1]

    def _person(self, pid: object, name: object) -> str | None:
        if not isinstance(pid, str):
            return None
        if not isinstance(name, str):
            return pid
        return f"{name}（{pid}）" if self.zh else f"{name} ({pid})"

    def _scored(self, pid: str, name: str, score: float) -> str:
        return f"{name}（{pid}，{_two(score)}）" if self.zh else f"{name} ({pid}, {_two(score)})"

    @cached_property
    def scores(self) -> pd.DataFrame:
        """Every (mentee, mentor) pair's score under the plan's weights."""
        from mentormatch.scoring import score_pairs

        return score_pairs(self.d, self.plan.weights or None)

    @cached_property
    def _totals(self) -> dict:
        s = self.scores
        pairs = zip(s["secretary_id"], s["mentor_id"], strict=True)
        return dict(zip(pairs, s["total"], strict=True))

    def _alternates(self, row) -> str | None:
        if row["status"] not in ("placed", "unplaced"):
            return None
        shown = []
        for col in ("alternate_1", "alternate_2"):
            text = row[col]
            if not isinstance(text, str):
                continue
            m = _ALTERNATE.match(text)
            if not m:
                shown.append(text)
                continue
            # The plan's text rounds the score; the exact one rounds as its cell does.
            score = self._totals.get((row["secretary_id"], m["id"]), float(m["score"]))
            shown.append(self._scored(m["id"], m["name"], score))
        if shown:
            return ("；" if self.zh else "; ").join(shown)
        own = row["mentor_id"] if isinstance(row["mentor_id"], str) else None
        others = self.room.drop(own) if own in self.room.index else self.room
        words = NO_PLACE_LEFT if not (others > 0).any() else _RULED_OUT
        return words[0 if self.zh else 1]
