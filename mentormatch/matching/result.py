"""The result of matching: :class:`Plan`, one row per secretary, and the names of its rules."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mentormatch.errors import DataError
from mentormatch.vocab import COMMUNITY_TYPES, STREET_TOWNS

#: Distance rules: the least proximity a pair needs (same unit 1, neighbouring 0.5).
DISTANCE_RULES = {"same": 1.0, "neighbouring": 0.5}

BASE_METHODS = ("sequential", "joint", "none")

#: Status of each secretary in a plan, with Chinese and English labels.
STATUS = {
    "placed": ("已结对", "placed"),
    "unplaced": ("未能结对", "not placed"),
    "not_needed": ("无需带教", "no mentor needed"),
    "departed": ("已离任", "left the post"),
}


@dataclass(frozen=True, eq=False)
class Plan:
    """A mentoring plan for a District and the figures a planner reads.

    Attributes
    ----------
    table : DataFrame
        One row per secretary of the District (none dropped): ``status`` (see
        :data:`STATUS`), the mentor and base with names, ``score`` and its components,
        ``coverage`` (share of the mentee's challenges covered by mentor and base),
        ``reason_zh``/``reason_en``, ``alternate_1``/``alternate_2`` (next-best
        mentors with room left) and ``unplaced_reason`` (English) /
        ``unplaced_reason_zh``: why a mentee is not placed and what would place them.
    objective, solver : str
    objective_value : float
        Sum of the mentor scores of placed mentees.
    runtime : float
        Seconds to score, solve and explain.
    blocking_pairs : DataFrame
        Pairs that would both rather be together (see :mod:`mentormatch.optimize`).
    loads : DataFrame
        Per mentor: capacity, min load, load.
    coverage : dict
        Mean challenge coverage by the mentor alone and by mentor plus base.
    weights : dict
        The score weights used.
    changes : DataFrame
        For a re-match: pairs kept, changed, added or ended, each with a reason.
    distance : str or None
        The distance rule used (:data:`DISTANCE_RULES`), or ``None``.
    partial : bool
        The plan was allowed to leave mentees without a mentor.
    warnings : tuple of (str, str)
        Rules of the constraints table the plan could not use, as (Chinese, English)
        sentences: a rule on a secretary who needs no mentor or has left, or on a mentor
        not in the roster.
    """

    table: pd.DataFrame
    objective: str
    objective_value: float
    solver: str
    runtime: float
    blocking_pairs: pd.DataFrame = field(repr=False)
    loads: pd.DataFrame = field(repr=False)
    coverage: dict = field(default_factory=dict)
    weights: dict = field(default_factory=dict)
    bases: str = "sequential"
    changes: pd.DataFrame | None = field(default=None, repr=False)
    distance: str | None = None
    partial: bool = False
    warnings: tuple[tuple[str, str], ...] = ()

    @property
    def placed(self) -> pd.DataFrame:
        """Rows of mentees with a mentor."""
        return self.table[self.table["status"] == "placed"]

    @property
    def assignment(self) -> pd.Series:
        """secretary_id -> mentor_id for placed mentees."""
        p = self.placed
        return pd.Series(p["mentor_id"].to_numpy(), index=p["secretary_id"], name="mentor_id")

    def figures(self) -> pd.Series:
        """Headline figures: objective, mean, worst and 10th-percentile score, ...

        Deterministic (the run time is in :attr:`runtime`, not here), so reports that
        show these figures are the same on every run."""
        scores = self.placed["score"].astype(float)
        needing = self.table["status"].isin(["placed", "unplaced"]).sum()
        return pd.Series(
            {
                "objective": self.objective,
                "solver": self.solver,
                "mentees": int(needing),
                "placed": len(scores),
                "total_score": round(self.objective_value, 4),
                "mean_score": round(float(scores.mean()), 4) if len(scores) else np.nan,
                "min_score": round(float(scores.min()), 4) if len(scores) else np.nan,
                "p10_score": round(float(scores.quantile(0.1)), 4) if len(scores) else np.nan,
                "blocking_pairs": len(self.blocking_pairs),
                "below_min_load": int(
                    (self.loads["load"] < self.loads["min_load"].fillna(0)).sum()
                ),
                "load_min": int(self.loads["load"].min()) if len(self.loads) else 0,
                "load_max": int(self.loads["load"].max()) if len(self.loads) else 0,
                "coverage_mentor": self.coverage.get("mentor", np.nan),
                "coverage_mentor_and_base": self.coverage.get("mentor_and_base", np.nan),
            },
            name=self.objective,
        )

    def summary(self) -> str:
        """A few lines for the command line."""
        f = self.figures()
        lines = [
            f"objective {f['objective']} ({f['solver']}): {f['placed']} of {f['mentees']} "
            f"mentees placed, total score {f['total_score']:.3f}",
            f"score mean {f['mean_score']:.3f}, worst {f['min_score']:.3f}, "
            f"10th percentile {f['p10_score']:.3f}; blocking pairs {f['blocking_pairs']}",
            f"mentor loads {f['load_min']}-{f['load_max']}; challenge coverage: mentor "
            f"{f['coverage_mentor']:.0%}, mentor + base {f['coverage_mentor_and_base']:.0%} "
            f"(bases: {self.bases})",
        ]
        short = self.loads[self.loads["load"] < self.loads["min_load"].fillna(0)]
        for _, row in short.iterrows():
            lines.append(
                f"  below min load: {row['mentor_id']} {row['name']} has {row['load']} "
                f"(min {int(row['min_load'])}): no stable plan can meet it"
            )
        unplaced = self.table[self.table["status"] == "unplaced"]
        for _, row in unplaced.iterrows():
            lines.append(
                f"  not placed: {row['secretary_id']} {row['name']}: {row['unplaced_reason']}"
            )
        for _, en in self.warnings:
            lines.append(f"  warning: {en}")
        if self.changes is not None:
            counts = self.changes["change"].value_counts()
            lines.append(
                "changes against the previous plan: "
                + ", ".join(f"{k} {v}" for k, v in counts.items())
            )
        return "\n".join(lines)

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """The plan as a planner's table; ``lang="zh"`` gives Chinese headers and labels."""
        out = self.table.copy()
        if lang == "en":
            return out
        if lang != "zh":
            raise DataError(f"unknown language {lang!r}; expected 'zh' or 'en'")
        out["status"] = out["status"].map(lambda s: STATUS[s][0])
        out["street_town"] = out["street_town"].map(lambda c: STREET_TOWNS[c].zh)
        out["community_type"] = out["community_type"].map(lambda c: COMMUNITY_TYPES[c].zh)
        out = out.drop(columns=["reason_en", "unplaced_reason"])
        return out.rename(columns=ZH_HEADERS)


#: Chinese headers of the plan table.
ZH_HEADERS = {
    "secretary_id": "书记编号",
    "name": "姓名",
    "street_town": "街镇",
    "community_name": "居民区",
    "community_type": "小区类型",
    "status": "结对状态",
    "mentor_id": "带教老师编号",
    "mentor_name": "带教老师",
    "score": "匹配分",
    "challenge": "难题匹配",
    "type": "类型匹配",
    "proximity": "距离",
    "continuity": "延续性",
    "base_id": "实训基地编号",
    "base_name": "实训基地",
    "coverage": "难题覆盖率",
    "reason_zh": "结对理由",
    "alternate_1": "备选老师1",
    "alternate_2": "备选老师2",
    "unplaced_reason_zh": "未结对原因",
}


def _text(values: pd.Series) -> pd.Series:
    """A column of text with missing values kept missing.

    ``astype("str")`` alone turns ``None`` and NaN into the text 'None' and 'nan' on
    pandas before 3.0 (3.0 keeps them missing): a workbook would then show 'None', and
    an unplaced mentee would look placed with a mentor called 'nan'."""
    missing = values.isna()
    text = values.astype("str")
    return text.where(~missing, np.nan) if missing.any() else text
