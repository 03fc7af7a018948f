"""Plans: mentors and practice bases for a District's secretaries, with reasons.

:func:`match` turns a District into the inputs of :func:`mentormatch.optimize.solve`
(scores, capacities, min loads, the constraints table's forbid and keep pairs, an
optional distance rule), solves, adds a practice base per mentee, and returns a
:class:`Plan`: one row per secretary with the mentor, the base, the score and its
components, a reason in Chinese and English, and two alternates with room left.

:func:`rematch` repairs a plan when a mentor leaves or secretaries arrive mid-year: it
keeps as many existing pairs as it can while staying within a stated tolerance of the
best total, and says which pairs changed and why.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from mentormatch.district import DEPARTURE_EVENTS, District
from mentormatch.errors import DataError, InfeasibleError
from mentormatch.optimize import blocking_pairs, solve
from mentormatch.scoring import parse_weights, proximity_matrix, score_pairs
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES, STREET_TOWNS, type_affinity

__all__ = [
    "Plan",
    "match",
    "rematch",
    "read_previous_plan",
    "constraint_pairs",
    "write_plan",
    "DISTANCE_RULES",
    "BASE_METHODS",
    "STATUS",
]

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
#: Joint base planning builds one variable per (mentee, mentor, base): beyond this many
#: it is refused in favour of the sequential method.
JOINT_MAX_VARIABLES = 2_000_000

# Wording of reasons, in one place (Chinese, English).
_SHARED = ("共同难题：{}", "shared challenges: {}")
_NO_SHARED = ("难题无直接对应", "no challenge in common")
_SAME_UNIT = ("同属{}", "both in {}")
_NEAR_UNIT = ("相邻街镇（{}）", "neighbouring unit ({})")
_FAR_UNIT = ("不相邻的街镇（{}）", "a unit not neighbouring ({})")
_TYPE_EXP = ("有{}经验", "experience with {}")
_RELATED_TYPE = ("有相近小区（{}）经验", "experience with a related kind of estate ({})")
_HISTORY = ("曾在带教老师所在居民区工作", "served earlier in the mentor's community")
_CONTINUED = ("延续上一周期带教关系", "continues last cycle's pairing")
_BASE = ("基地补充：{}", "base adds: {}")
_BASE_NEAR = ("基地就近", "base nearby")
_KEPT = ("按约束保留", "kept by rule")


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


# --- Matching --------------------------------------------------------------------------


def constraint_pairs(d: District, mentees=None) -> tuple[list, list]:
    """The constraints table as (forbidden, required) lists of (secretary, mentor) pairs,
    limited to ``mentees`` (default: the District's mentees)."""
    ids = set(d.mentees["secretary_id"] if mentees is None else mentees)
    c = d.constraints
    rules = c[c["secretary_id"].isin(ids) & c["mentor_id"].isin(d.mentors["mentor_id"])]

    def pairs(rule: str) -> list:
        chosen = rules.loc[rules["rule"] == rule, ["secretary_id", "mentor_id"]]
        return list(chosen.itertuples(index=False, name=None))

    return pairs("forbid"), pairs("keep")


def rule_warnings(d: District) -> tuple[tuple[str, str], ...]:
    """The rules of the constraints table a plan cannot use, each as a (Chinese,
    English) sentence: a rule on a secretary who needs no mentor, who has left the post
    or is not in the roster, or on a mentor not in the roster. Such rules are left out of
    the plan (:func:`constraint_pairs`), and the plan says so (:attr:`Plan.warnings`)."""
    c = d.constraints
    if c.empty:
        return ()
    s = d.secretaries
    names = dict(zip(s["secretary_id"], s["name"], strict=True))
    gone = set(s.loc[d.departed.to_numpy(), "secretary_id"])
    mentees = set(d.mentees["secretary_id"])
    mentor_names = dict(zip(d.mentors["mentor_id"], d.mentors["name"], strict=True))
    rules = {"keep": ("保留", "keep"), "forbid": ("回避", "forbid")}
    out = []
    for sid, mid, rule in c[["secretary_id", "mentor_id", "rule"]].itertuples(index=False):
        zh_rule, en_rule = rules.get(rule, (str(rule), str(rule)))
        who = f"{sid} {names[sid]}" if sid in names else str(sid)
        whom = f"{mid} {mentor_names[mid]}" if mid in mentor_names else str(mid)
        head_zh = f"约束表中书记 {who} 与带教老师 {whom} 的{zh_rule}规则未被采用："
        head_en = f"the rule to {en_rule} {who} with mentor {whom} is not used: "
        if mid not in mentor_names:
            why = (f"带教老师 {mid} 不在带教老师名册中", f"mentor {mid} is not in the roster")
        elif sid not in names:
            why = (f"书记 {sid} 不在书记名册中", f"secretary {sid} is not in the roster")
        elif sid in gone:
            why = (f"书记 {who} 已离任", f"{who} has left the post")
        elif sid not in mentees:
            why = (
                f"书记 {who} 无需带教（名册中「是否需要带教」为否）",
                f"{who} needs no mentor (the roster says no under needs_mentor)",
            )
        else:
            continue
        out.append((head_zh + why[0] + "。", head_en[0].upper() + head_en[1:] + why[1] + "."))
    return tuple(out)


def places_to_add(d: District, plan: Plan) -> pd.Series:
    """For a partial plan: the mentors to give more places, and how many each, so that
    every unplaced mentee who has an allowed mentor can be placed with the one who
    fits them best (the highest score among the mentors not forbidden to them and
    within the plan's distance rule). ``mentor_id`` -> places, most first, then ID.

    One more place with the best fit places each such mentee without moving anyone
    else, so the total is at most the shortfall; mentees with no allowed mentor at all
    need a rule relaxed instead (their unplaced reason says so).
    """
    unplaced = plan.table.loc[plan.table["status"] == "unplaced", "secretary_id"]
    if unplaced.empty:
        return pd.Series(dtype="int64", name="places", index=pd.Index([], name="mentor_id"))
    _, total, _, forbidden, _ = _inputs(d, plan.weights or {}, plan.distance)
    banned = set(forbidden)
    best = []
    for sid in unplaced:
        allowed = total.loc[sid].dropna()
        allowed = allowed[[(sid, m) not in banned for m in allowed.index]]
        if len(allowed):
            best.append(allowed.sort_values(ascending=False, kind="stable").index[0])
    counts = pd.Series(best, dtype="str").value_counts()
    order = sorted(counts.index, key=lambda m: (-int(counts[m]), m))
    out = counts.reindex(order).astype("int64")
    out.index.name, out.name = "mentor_id", "places"
    return out


def shortfall_error(d: District, error: InfeasibleError, **options) -> InfeasibleError:
    """``error`` (a :func:`match` without ``partial`` found no plan) with what would
    fix it, in Chinese and English: when capacity is short, how many places and with
    which mentors (:func:`places_to_add`, from a partial plan under the same rules),
    or a partial plan (``--partial`` on the command line, ``partial=True`` here)."""
    if error.shortfall <= 0 and not error.unplaceable:
        return replace(
            error,
            reasons=[*error.reasons, "use --partial for a plan that places as many as possible"],
        )
    options = {k: v for k, v in options.items() if k in ("weights", "distance")}
    plan = match(d, "total", bases="none", partial=True, **options)
    adds = places_to_add(d, plan)
    names = dict(zip(d.mentors["mentor_id"], d.mentors["name"], strict=True))
    needing, places = len(d.mentees), int(d.mentors["capacity"].sum())
    short = int((plan.table["status"] == "unplaced").sum())
    zh, en = [], []
    if places < needing:
        zh.append(
            f"名额短缺 {needing - places} 个：需要带教的书记 {needing} 名，带教名额共 {places} 个"
        )
        en.append(f"capacity short by {needing - places}: {needing} mentees, {places} places")
    else:
        zh.append(
            f"按现有规则有 {short} 名书记无法结对（名额共 {places} 个，但规则限定了可选老师）"
        )
        en.append(
            f"{short} mentees cannot be placed under these rules ({places} places, but the "
            "rules limit whom they may go to)"
        )
    if len(adds):
        shown = list(adds.items())[:8]
        more_zh = f"等 {len(adds)} 位" if len(adds) > 8 else ""
        more_en = f" and {len(adds) - 8} more" if len(adds) > 8 else ""
        zh.append(
            "可为以下带教老师增加名额："
            + "、".join(f"{names[m]}（{m}）{n} 个" for m, n in shown)
            + more_zh
        )
        en.append(
            "give more places to these mentors: "
            + ", ".join(f"{names[m]} ({m}) {n}" for m, n in shown)
            + more_en
        )
    hopeless = short - int(adds.sum())
    if hopeless > 0:
        zh.append(f"另有 {hopeless} 名书记没有可选的带教老师，须放宽距离限制或回避规则")
        en.append(
            f"{hopeless} more have no allowed mentor at all: relax the distance rule or a "
            "forbid rule"
        )
    zh[-1] += "；或使用 --partial 生成部分方案，未结对的书记会列出原因"
    en[-1] += "; or use --partial for a partial plan that lists the unplaced with their reasons"
    return replace(
        error,
        reasons=en,
        reasons_zh=zh,
        details={**error.details, "places_to_add": adds.to_dict()},
    )


def _inputs(
    d: District, weights: dict, distance: str | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list, list]:
    """Score and rule tables for the mentees of ``d``."""
    scores = score_pairs(d, weights)
    total = scores.pivot(index="secretary_id", columns="mentor_id", values="total")
    view = scores.pivot(index="secretary_id", columns="mentor_id", values="mentor_view")
    order_s = d.mentees["secretary_id"].tolist()
    order_m = d.mentors["mentor_id"].tolist()
    total = total.reindex(index=order_s, columns=order_m)
    view = view.reindex(index=order_s, columns=order_m)
    if distance is not None:
        if distance not in DISTANCE_RULES:
            raise DataError(f"distance must be one of {list(DISTANCE_RULES)}, got {distance!r}")
        near = scores.pivot(index="secretary_id", columns="mentor_id", values="proximity")
        near = near.reindex(index=order_s, columns=order_m)
        total = total.where(near >= DISTANCE_RULES[distance])
        view = view.where(near >= DISTANCE_RULES[distance])
    forbidden, required = constraint_pairs(d, order_s)
    return scores, total, view, forbidden, required


def match(
    d: District,
    objective: str = "total",
    *,
    weights: str | Mapping[str, float] | None = None,
    distance: str | None = None,
    bases: str = "sequential",
    solver: str = "auto",
    partial: bool = False,
) -> Plan:
    """Propose a mentor and a practice base for every secretary who needs one.

    Parameters
    ----------
    d : District
    objective : {"total", "fair", "stable"}
        See :func:`mentormatch.optimize.solve`. A stable plan cannot impose mentors'
        minimum loads (all stable plans give each mentor the same load); shortfalls
        are reported in :meth:`Plan.figures` and :meth:`Plan.summary`.
    weights : mapping or str, optional
        Score weights (:data:`mentormatch.scoring.MENTOR_WEIGHTS`).
    distance : {"same", "neighbouring"}, optional
        Allow only mentors in the same (or a neighbouring) sub-district/town.
    bases : {"sequential", "joint", "none"}
        Practice bases after the mentors as a second flow, jointly with them as one
        mixed-integer program (``scipy.optimize.milp``), or not at all.
    solver : {"auto", "networkx", "ortools"}
    partial : bool
        Place as many as possible and explain the rest, instead of raising
        :class:`~mentormatch.InfeasibleError`.

    Returns
    -------
    Plan

    Examples
    --------
    >>> import mentormatch as mm
    >>> plan = mm.match(mm.synthesize_district(seed=1))
    >>> int(plan.figures()["placed"]) == len(plan.placed)
    True
    >>> print(plan.placed["reason_en"].iloc[0])  # doctest: +ELLIPSIS
    shared challenges: ...
    """
    if bases not in BASE_METHODS:
        raise DataError(f"bases must be one of {list(BASE_METHODS)}, got {bases!r}")
    started = time.perf_counter()
    w = parse_weights(weights)
    scores, total, view, forbidden, required = _inputs(d, w, distance)
    capacity = d.mentors.set_index("mentor_id")["capacity"]
    min_load = d.mentors.set_index("mentor_id")["min_load"].fillna(0).astype(int)
    if bases == "joint" and len(d.bases):
        if objective != "total":
            raise DataError("joint base planning supports the 'total' objective only")
        choice, base_choice, solver_name = _joint(
            d, total, capacity, min_load, forbidden, required, partial
        )
        blocking = blocking_pairs(total, capacity, choice, view, forbidden=forbidden)
    else:
        assignment = solve(
            total,
            capacity,
            # Deferred acceptance cannot impose min loads (every stable plan gives each
            # mentor the same load): the stable plan reports shortfalls instead.
            min_load=None if objective == "stable" else min_load,
            forbidden=forbidden,
            required=required,
            objective=objective,
            solver=solver,
            mentor_scores=view,
            allow_unassigned=partial,
        )
        choice = assignment.mentor
        solver_name = assignment.solver
        blocking = assignment.blocking_pairs
        base_choice = None
        if bases == "sequential" and len(d.bases):
            base_choice = _sequential_bases(d, choice.dropna())
    table = _table(d, scores, total, capacity, choice, base_choice, forbidden, required)
    loads = _loads(d, table)
    return Plan(
        table=table,
        objective=objective,
        objective_value=float(table.loc[table["status"] == "placed", "score"].sum()),
        solver=solver_name,
        runtime=time.perf_counter() - started,
        blocking_pairs=blocking,
        loads=loads,
        coverage=_coverage(table),
        weights=w,
        bases=bases if len(d.bases) else "none",
        distance=distance,
        partial=partial,
        warnings=rule_warnings(d),
    )


def _sequential_bases(d: District, mentor_of: pd.Series) -> pd.Series:
    """Bases as a second flow: complement each mentee's mentor, under base capacities."""
    mentees = d.mentees[d.mentees["secretary_id"].isin(mentor_of.index)]
    if mentees.empty:
        return pd.Series(dtype="str")
    scores = score_pairs(d, against="bases", mentor_of=mentor_of, mentees=mentees)
    table = scores.pivot(index="secretary_id", columns="base_id", values="total")
    table = table.reindex(index=mentees["secretary_id"], columns=d.bases["base_id"])
    capacity = d.bases.set_index("base_id")["capacity"]
    result = solve(table, capacity, allow_unassigned=True)
    return result.mentor.rename("base_id")


def _base_scores_given_mentor(d: District, mentees: pd.DataFrame) -> np.ndarray:
    """Base score for every (mentee, mentor, base): coverage of what the mentor lacks."""
    from mentormatch.scoring import BASE_WEIGHTS, _indicator

    codes = CHALLENGES.codes
    need = _indicator(mentees["challenges"].tolist(), codes)  # n x C
    know = _indicator(d.mentors["expertise"].tolist(), codes)  # m x C
    themes = _indicator(d.bases["themes"].tolist(), codes)  # b x C
    uncovered = need[:, None, :] * (1.0 - know[None, :, :])  # n x m x C
    n_unc = uncovered.sum(axis=2, keepdims=True)
    coverage = np.where(n_unc > 0, (uncovered @ themes.T) / np.maximum(n_unc, 1), 1.0)
    near = proximity_matrix(mentees["street_town"].tolist(), d.bases["street_town"].tolist())
    return BASE_WEIGHTS["coverage"] * coverage + BASE_WEIGHTS["proximity"] * near[:, None, :]


def _joint(
    d: District,
    total: pd.DataFrame,
    capacity: pd.Series,
    min_load: pd.Series,
    forbidden: list,
    required: list,
    partial: bool,
) -> tuple[pd.Series, pd.Series, str]:
    """One MILP over (mentor, base) choices: maximise mentor score + base score.

    A mentee may go without a base (score 0) when bases are full; every mentee gets a
    mentor unless ``partial``. Solved exactly by HiGHS through ``scipy.optimize.milp``.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    mentees = d.mentees.set_index("secretary_id").loc[total.index].reset_index()
    s = total.to_numpy(dtype=float).copy()
    n, m = s.shape
    index_m = {k: j for j, k in enumerate(total.columns)}
    index_s = {k: i for i, k in enumerate(total.index)}
    for sid, mid in forbidden:
        s[index_s[sid], index_m[mid]] = np.nan
    outside = [
        (sid, mid) for sid, mid in required if not np.isfinite(s[index_s[sid], index_m[mid]])
    ]
    if outside:
        shown = ", ".join(f"{sid} with {mid}" for sid, mid in outside[:8])
        raise InfeasibleError(
            [
                f"{len(outside)} pair(s) to keep are not allowed (outside the distance rule "
                f"or forbidden): {shown}; drop the keep rule or relax the distance rule"
            ],
            unplaceable=[sid for sid, _ in outside],
            reasons_zh=[
                f"有 {len(outside)} 对须保留的结对超出距离限制或被回避规则排除："
                + "、".join(f"{sid} 与 {mid}" for sid, mid in outside[:8])
                + "；请删去保留规则或放宽距离限制"
            ],
        )
    must = np.zeros(n, dtype=bool)
    for sid, mid in required:
        keep = s[index_s[sid], index_m[mid]]
        s[index_s[sid], :] = np.nan
        s[index_s[sid], index_m[mid]] = keep
        must[index_s[sid]] = True
    base = _base_scores_given_mentor(d, mentees)  # n x m x b
    nb = base.shape[2]
    # Variables: (i, j, k) for allowed pairs, k = 0..nb-1 a base, k = nb no base.
    ii, jj = np.nonzero(np.isfinite(s))
    if len(ii) * (nb + 1) > JOINT_MAX_VARIABLES:
        raise DataError(
            f"joint base planning would need {len(ii) * (nb + 1):,} variables; "
            f"use bases='sequential' at this size"
        )
    var_i = np.repeat(ii, nb + 1)
    var_j = np.repeat(jj, nb + 1)
    var_k = np.tile(np.arange(nb + 1), len(ii))
    gain = s[var_i, var_j] + np.where(
        var_k < nb, base[var_i, var_j, np.minimum(var_k, nb - 1)], 0.0
    )
    nv = len(gain)
    cols = np.arange(nv)
    lo, hi, data_rows, data_cols = [], [], [], []

    def block(row_of: np.ndarray, mask: np.ndarray, low: np.ndarray, high: np.ndarray) -> None:
        offset = len(lo)
        data_rows.append(row_of[mask] + offset)
        data_cols.append(cols[mask])
        lo.extend(low.tolist())
        hi.extend(high.tolist())

    # Each mentee at most once; at least once unless partial, and always for a pair to keep.
    block(var_i, np.ones(nv, bool), must.astype(float) if partial else np.ones(n), np.ones(n))
    block(
        var_j,
        np.ones(nv, bool),
        min_load.reindex(total.columns).to_numpy(dtype=float),
        capacity.reindex(total.columns).to_numpy(dtype=float),
    )
    base_cap = d.bases["capacity"].to_numpy(dtype=float)
    block(var_k, var_k < nb, np.zeros(nb), base_cap)
    r = np.concatenate(data_rows)
    c = np.concatenate(data_cols)
    a = coo_matrix((np.ones(len(r)), (r, c)), shape=(len(lo), nv)).tocsr()
    # Place everyone first when partial: a large bonus per placed mentee.
    bonus = (n + 1) * 2.0 if partial else 0.0
    result = milp(
        -(gain + bonus),
        constraints=LinearConstraint(a, lo, hi),
        integrality=np.ones(nv),
        bounds=Bounds(0, 1),
        # HiGHS's presolve spends seconds on clique detection over the many set-packing
        # rows here and reduces nothing; the solve itself takes a fraction of a second.
        options={"presolve": False},
    )
    if result.status != 0 or result.x is None:
        raise InfeasibleError(
            ["no plan meets the capacities, minimum loads and rules (joint base planning)"],
            details={"milp_status": int(result.status), "message": result.message},
        )
    x = np.round(result.x).astype(bool)
    mentor = pd.Series(np.nan, index=total.index, dtype="object")
    base = pd.Series(np.nan, index=total.index, dtype="object")
    base_ids = d.bases["base_id"].to_numpy()
    for i, j, k in zip(var_i[x], var_j[x], var_k[x], strict=True):
        mentor.iloc[i] = total.columns[j]
        if k < nb:
            base.iloc[i] = base_ids[k]
    return _text(mentor), _text(base), "highs-milp"


# --- The plan table -------------------------------------------------------------------


def _table(
    d: District,
    scores: pd.DataFrame,
    total: pd.DataFrame,
    capacity: pd.Series,
    choice: pd.Series,
    base_choice: pd.Series | None,
    forbidden: list,
    required: list,
) -> pd.DataFrame:
    s = d.secretaries
    departed = d.departed.to_numpy()
    departed_year = (
        d.career[d.career["event"].isin(DEPARTURE_EVENTS)].groupby("secretary_id")["year"].max()
    )
    mentees = set(total.index)
    mentor_names = d.mentors.set_index("mentor_id")["name"]
    base_names = d.bases.set_index("base_id")["name"]
    by_pair = scores.set_index(["secretary_id", "mentor_id"])
    load = choice.dropna().value_counts().reindex(capacity.index, fill_value=0)
    room = capacity - load
    mentor_rows = d.mentors.set_index("mentor_id")
    base_rows = d.bases.set_index("base_id")
    kept = set(required)
    banned = set(forbidden)
    has_room = {m: bool(r > 0) for m, r in room.items()}
    rows = []
    for i, sec in enumerate(s.itertuples(index=False)):
        sid = sec.secretary_id
        row = {
            "secretary_id": sid,
            "name": sec.name,
            "street_town": sec.street_town,
            "community_name": sec.community_name,
            "community_type": sec.community_type,
            "status": "not_needed",
            "mentor_id": None,
            "mentor_name": None,
            "score": np.nan,
            "challenge": np.nan,
            "type": np.nan,
            "proximity": np.nan,
            "continuity": np.nan,
            "base_id": None,
            "base_name": None,
            "coverage": np.nan,
            "reason_zh": "",
            "reason_en": "",
            "alternate_1": None,
            "alternate_2": None,
            "unplaced_reason": "",
            "unplaced_reason_zh": "",
        }
        if departed[i]:
            row["status"] = "departed"
            year = departed_year.get(sid)
            row["unplaced_reason"] = f"left the post in {year}" if year else "left the post"
            row["unplaced_reason_zh"] = f"已于{year}年离任" if year else "已离任"
        elif sid in mentees:
            mid = choice.get(sid)
            allowed = total.loc[sid]
            if isinstance(mid, str):
                pair = by_pair.loc[(sid, mid)]
                row.update(
                    status="placed",
                    mentor_id=mid,
                    mentor_name=mentor_names[mid],
                    score=float(pair["total"]),
                    challenge=float(pair["challenge"]),
                    type=float(pair["type"]),
                    proximity=float(pair["proximity"]),
                    continuity=float(pair["continuity"]),
                )
                bid = base_choice.get(sid) if base_choice is not None else None
                base = base_rows.loc[bid] if isinstance(bid, str) else None
                if base is not None:
                    row.update(base_id=bid, base_name=base_names[bid])
                row["coverage"] = _covered(sec.challenges, mentor_rows.loc[mid], base)
                zh, en = _reason(sec, mentor_rows.loc[mid], pair, base, (sid, mid) in kept)
                row.update(reason_zh=zh, reason_en=en)
            else:
                row["status"] = "unplaced"
                zh, en = _why_unplaced(sid, allowed, forbidden, room, mentor_names)
                row.update(unplaced_reason=en, unplaced_reason_zh=zh)
            for k, (m, value) in enumerate(_alternates(sid, mid, allowed, has_room, banned), 1):
                row[f"alternate_{k}"] = f"{m} {mentor_names[m]} ({value:.2f})"
        rows.append(row)
    table = pd.DataFrame(rows)
    for col in ("mentor_id", "mentor_name", "base_id", "base_name", "alternate_1", "alternate_2"):
        table[col] = _text(table[col])
    return table


def _text(values: pd.Series) -> pd.Series:
    """A column of text with missing values kept missing.

    ``astype("str")`` alone turns ``None`` and NaN into the text 'None' and 'nan' on
    pandas before 3.0 (3.0 keeps them missing): a workbook would then show 'None', and
    an unplaced mentee would look placed with a mentor called 'nan'."""
    missing = values.isna()
    text = values.astype("str")
    return text.where(~missing, np.nan) if missing.any() else text


def _alternates(
    sid: str, mid: object, allowed: pd.Series, has_room: dict, banned: set, n: int = 2
) -> list[tuple[str, float]]:
    """The ``n`` best other mentors with room left, best first (ties by roster order)."""
    values = allowed.to_numpy(dtype=float)
    out = []
    for j in np.argsort(-np.nan_to_num(values, nan=-np.inf), kind="stable"):
        m = allowed.index[j]
        if np.isnan(values[j]) or len(out) == n:
            break
        if m != mid and has_room[m] and (sid, m) not in banned:
            out.append((m, float(values[j])))
    return out


def _covered(challenges: tuple, mentor: pd.Series, base: pd.Series | None) -> float:
    if not challenges:
        return np.nan
    covered = set(mentor["expertise"]) | (set(base["themes"]) if base is not None else set())
    return round(len(set(challenges) & covered) / len(challenges), 4)


def _challenge_list(codes: list[str]) -> tuple[str, str]:
    """Challenges named in Chinese (joined with 、) and in English (with commas)."""
    return "、".join(CHALLENGES[c].zh for c in codes), ", ".join(
        CHALLENGES[c].en.lower() for c in codes
    )


def _reason(sec, mentor: pd.Series, pair: pd.Series, base: pd.Series | None, kept: bool):
    """Why this pair, in Chinese and English, from the score's components."""
    zh, en = [], []

    def say(template: tuple[str, str], *args: tuple[str, str]) -> None:
        zh.append(template[0].format(*(a[0] for a in args)))
        en.append(template[1].format(*(a[1] for a in args)))

    if kept:
        say(_KEPT)
    shared = [c for c in sec.challenges if c in set(mentor["expertise"])]
    if shared:
        say(_SHARED, _challenge_list(shared))
    else:
        say(_NO_SHARED)
    unit = STREET_TOWNS[sec.street_town]
    mentor_unit = STREET_TOWNS[mentor["street_town"]]
    if pair["proximity"] >= 1.0:
        say(_SAME_UNIT, (unit.zh, unit.en))
    elif pair["proximity"] > 0:
        say(_NEAR_UNIT, (mentor_unit.zh, mentor_unit.en))
    else:
        say(_FAR_UNIT, (mentor_unit.zh, mentor_unit.en))
    ctype = COMMUNITY_TYPES[sec.community_type]
    if sec.community_type in mentor["community_types"]:
        say(_TYPE_EXP, (ctype.zh, ctype.en.lower()))
    elif pair["type"] > 0:
        best = max(mentor["community_types"], key=lambda t: type_affinity(t, sec.community_type))
        say(_RELATED_TYPE, (COMMUNITY_TYPES[best].zh, COMMUNITY_TYPES[best].en.lower()))
    if pair["continuity"] > 0:
        previous = sec.previous_mentor_id
        say(_CONTINUED if isinstance(previous, str) and previous == mentor.name else _HISTORY)
    if base is not None:
        added = [
            c
            for c in sec.challenges
            if c in set(base["themes"]) and c not in set(mentor["expertise"])
        ]
        if added:
            say(_BASE, _challenge_list(added))
        else:
            say(_BASE_NEAR)
    return "；".join(zh), "; ".join(en)


def _why_unplaced(
    sid: str, allowed: pd.Series, forbidden: list, room: pd.Series, names: pd.Series
) -> tuple[str, str]:
    """Why a mentee has no mentor and what would place them (Chinese, English)."""
    banned = {m for s, m in forbidden if s == sid}
    scores = allowed.dropna()
    open_mentors = [
        m for m in scores.sort_values(ascending=False, kind="stable").index if m not in banned
    ]
    if not open_mentors:
        return (
            "所有带教老师均被规则排除或超出距离限制；放宽距离限制或约束表中的回避规则可结对",
            "every mentor is forbidden or out of range for this secretary; relaxing the "
            "distance rule or a forbid rule in the constraints table would place them",
        )
    with_room = [m for m in open_mentors if room.get(m, 0) > 0]
    if with_room:
        who_zh = "、".join(f"{names[m]}（{m}）" for m in with_room[:3])
        who_en = ", ".join(f"{names[m]} ({m})" for m in with_room[:3])
        return (
            f"{who_zh}尚有空余名额，但方案的其他规则（最少带教人数或保留的结对）占用了名额",
            f"{who_en} have places left, but the plan's other rules "
            "(minimum loads or pairs to keep) use them",
        )
    best = open_mentors[:2]
    who_zh = "或".join(f"{names[m]}（{m}）" for m in best)
    who_en = " or ".join(f"{names[m]} ({m})" for m in best)
    return (
        f"可选的 {len(open_mentors)} 位带教老师名额已满；为{who_zh}增加 1 个名额即可结对",
        f"all {len(open_mentors)} allowed mentors are full; one more place with "
        f"{who_en} (the best fits) would place them",
    )


def _loads(d: District, table: pd.DataFrame) -> pd.DataFrame:
    placed = table[table["status"] == "placed"]
    load = placed["mentor_id"].value_counts()
    out = d.mentors[["mentor_id", "name", "street_town", "capacity", "min_load"]].copy()
    out["load"] = out["mentor_id"].map(load).fillna(0).astype(int)
    return out


def _coverage(table: pd.DataFrame) -> dict:
    """Mean coverage over placed mentees who name a challenge (others say nothing)."""
    placed = table[(table["status"] == "placed") & table["coverage"].notna()]
    if placed.empty:
        return {"mentor": np.nan, "mentor_and_base": np.nan}
    return {
        "mentor": round(float(placed["challenge"].mean()), 4),
        "mentor_and_base": round(float(placed["coverage"].mean()), 4),
    }


# --- Re-matching ------------------------------------------------------------------------


def rematch(
    d: District,
    previous: Plan | pd.DataFrame | pd.Series,
    *,
    tolerance: float = 0.05,
    weights: str | Mapping[str, float] | None = None,
    distance: str | None = None,
    bases: str = "sequential",
) -> Plan:
    """Repair a plan after changes, keeping as many existing pairs as possible.

    Among plans whose total score is at least ``(1 - tolerance)`` times the best total,
    choose one that keeps the most pairs of ``previous`` (a mixed-integer program,
    exact, solved by HiGHS). Pairs whose mentor left, whose mentee no longer needs a
    mentor, or which a new rule forbids cannot be kept.

    Parameters
    ----------
    d : District
        The district as it is now (a mentor gone, new secretaries, new rules...).
    previous : Plan, DataFrame with ``secretary_id`` and ``mentor_id``, or Series
        The plan in force.
    tolerance : float
        How much total score may be given up to keep pairs (0.05 = 5%).

    Returns
    -------
    Plan
        With ``changes``: one row per secretary in either plan: ``change`` (kept,
        changed, new, ended) and ``why``.
    """
    if not 0 <= tolerance < 1:
        raise DataError(f"tolerance must be in [0, 1), got {tolerance}")
    before = _previous_pairs(previous)
    best = match(d, weights=weights, distance=distance, bases="none")
    w = parse_weights(weights)
    _, total, _, forbidden, required = _inputs(d, w, distance)
    capacity = d.mentors.set_index("mentor_id")["capacity"]
    min_load = d.mentors.set_index("mentor_id")["min_load"].fillna(0).astype(int)
    choice = _keep_most(
        total,
        capacity,
        min_load,
        forbidden,
        required,
        before,
        floor=(1 - tolerance) * best.objective_value,
    )
    plan = match_with(d, total, capacity, choice, w, bases)
    changes = _changes(d, before, plan)
    return replace(plan, changes=changes, objective="rematch", distance=distance)


def match_with(
    d: District, total: pd.DataFrame, capacity: pd.Series, choice: pd.Series, w: dict, bases: str
) -> Plan:
    """A Plan for a given mentor choice (bases added sequentially)."""
    started = time.perf_counter()
    scores = score_pairs(d, w)
    base_choice = (
        _sequential_bases(d, choice.dropna()) if bases != "none" and len(d.bases) else None
    )
    forbidden, required = constraint_pairs(d, total.index)
    table = _table(d, scores, total, capacity, choice, base_choice, forbidden, required)
    view = scores.pivot(index="secretary_id", columns="mentor_id", values="mentor_view")
    view = view.reindex(index=total.index, columns=total.columns).where(total.notna())
    return Plan(
        table=table,
        objective="given",
        objective_value=float(table.loc[table["status"] == "placed", "score"].sum()),
        solver="highs-milp",
        runtime=time.perf_counter() - started,
        blocking_pairs=blocking_pairs(total, capacity, choice, view, forbidden=forbidden),
        loads=_loads(d, table),
        coverage=_coverage(table),
        weights=w,
        bases=bases if base_choice is not None else "none",
        warnings=rule_warnings(d),
    )


def read_previous_plan(path) -> pd.DataFrame:
    """A plan written by ``mentormatch match`` (CSV or xlsx, English or Chinese headers)."""
    from mentormatch.io import read_plain_table
    from mentormatch.present.labels import COLUMNS

    table = read_plain_table(path)
    english = {zh: en for en, zh in ZH_HEADERS.items()}
    # The plan workbook (mentormatch.export) heads its columns as people read them.
    for key in ("secretary_id", "mentor_id"):
        english[COLUMNS[key].zh] = english[COLUMNS[key].en] = key
    table = table.rename(columns=lambda c: english.get(c, c))
    if not {"secretary_id", "mentor_id"} <= set(table.columns):
        raise DataError(
            f"{path}: a previous plan needs the columns secretary_id (书记编号) and "
            f"mentor_id (带教老师编号)"
        )
    table["mentor_id"] = table["mentor_id"].where(table["mentor_id"].str.strip() != "")
    return table


def _previous_pairs(previous: Plan | pd.DataFrame | pd.Series) -> pd.Series:
    if isinstance(previous, Plan):
        return previous.assignment
    if isinstance(previous, pd.Series):
        return previous.dropna().astype("str")
    if isinstance(previous, pd.DataFrame):
        if not {"secretary_id", "mentor_id"} <= set(previous.columns):
            raise DataError("the previous plan needs columns secretary_id and mentor_id")
        rows = previous.dropna(subset=["mentor_id"])
        rows = rows[rows["mentor_id"].astype(str).str.strip() != ""]
        return pd.Series(
            rows["mentor_id"].astype("str").to_numpy(),
            index=rows["secretary_id"].astype("str"),
            name="mentor_id",
        )
    raise DataError("previous must be a Plan, a DataFrame or a Series")


def _keep_most(
    total: pd.DataFrame,
    capacity: pd.Series,
    min_load: pd.Series,
    forbidden: list,
    required: list,
    before: pd.Series,
    floor: float,
) -> pd.Series:
    """Most kept pairs among plans with total >= floor (MILP over allowed pairs)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    s = total.to_numpy(dtype=float).copy()
    index_m = {k: j for j, k in enumerate(total.columns)}
    index_s = {k: i for i, k in enumerate(total.index)}
    for sid, mid in forbidden:
        if sid in index_s and mid in index_m:
            s[index_s[sid], index_m[mid]] = np.nan
    for sid, mid in required:
        if sid in index_s and mid in index_m:
            keep = s[index_s[sid], index_m[mid]]
            s[index_s[sid], :] = np.nan
            s[index_s[sid], index_m[mid]] = 0.0 if np.isnan(keep) else keep
    ii, jj = np.nonzero(np.isfinite(s))
    gain = s[ii, jj]
    kept = np.array(
        [before.get(total.index[i]) == total.columns[j] for i, j in zip(ii, jj, strict=True)]
    )
    nv = len(ii)
    n, m = s.shape
    rows = np.concatenate([ii, n + jj, np.full(nv, n + m)])
    cols = np.concatenate([np.arange(nv)] * 3)
    data = np.concatenate([np.ones(nv), np.ones(nv), gain])
    a = coo_matrix((data, (rows, cols)), shape=(n + m + 1, nv)).tocsr()
    lo = np.concatenate(
        [np.ones(n), min_load.reindex(total.columns).to_numpy(float), [floor - 1e-6]]
    )
    hi = np.concatenate([np.ones(n), capacity.reindex(total.columns).to_numpy(float), [np.inf]])
    # Most kept pairs first; among those, the highest total (tiny weight breaks ties).
    objective = -(kept.astype(float) + gain / (n + 1))
    result = milp(
        objective,
        constraints=LinearConstraint(a, lo, hi),
        integrality=np.ones(nv),
        bounds=Bounds(0, 1),
        options={"presolve": False},  # see _joint
    )
    if result.status != 0 or result.x is None:
        raise InfeasibleError(
            ["no plan meets the rules after the changes"],
            details={"milp_status": int(result.status)},
        )
    x = np.round(result.x).astype(bool)
    choice = pd.Series(np.nan, index=total.index, dtype="object")
    for i, j in zip(ii[x], jj[x], strict=True):
        choice.iloc[i] = total.columns[j]
    return _text(choice)


def _changes(d: District, before: pd.Series, plan: Plan) -> pd.DataFrame:
    after = plan.assignment
    mentors_now = set(d.mentors["mentor_id"])
    status = plan.table.set_index("secretary_id")["status"]
    forbidden = set(
        map(
            tuple,
            d.constraints.loc[
                d.constraints["rule"] == "forbid", ["secretary_id", "mentor_id"]
            ].to_numpy(),
        )
    )
    rows = []
    for sid in list(dict.fromkeys([*before.index, *after.index])):
        old, new = before.get(sid), after.get(sid)
        if old is not None and old == new:
            change, why = "kept", ""
        elif old is None:
            change, why = "new", "not in the previous plan (new or newly needing a mentor)"
        elif new is None:
            change = "ended"
            why = {
                "departed": "the secretary left the post",
                "not_needed": "the secretary no longer needs a mentor",
            }.get(status.get(sid, ""), "could not be placed")
        else:
            change = "changed"
            if old not in mentors_now:
                why = f"mentor {old} left the programme"
            elif (sid, old) in forbidden:
                why = f"the pair with {old} is now forbidden"
            else:
                why = "moved to keep the plan within the score tolerance or capacities"
        rows.append(
            {
                "secretary_id": sid,
                "previous_mentor": old,
                "mentor": new,
                "change": change,
                "why": why,
            }
        )
    out = pd.DataFrame(rows, columns=["secretary_id", "previous_mentor", "mentor", "change", "why"])
    for col in ("previous_mentor", "mentor"):
        out[col] = _text(out[col])
    return out


def write_plan(plan: Plan, path, *, lang: str = "en") -> None:
    """Write a plan: a CSV table (UTF-8 with BOM, for Excel), or a workbook with the plan,
    mentor loads, blocking pairs, figures and (for a re-match) the changes."""
    from pathlib import Path

    from mentormatch.io import write_csv, write_xlsx

    path = Path(path)
    table = plan.to_frame(lang)
    if path.suffix.lower() != ".xlsx":
        write_csv(table, path, bom=True)
        return
    zh = lang == "zh"
    figures = plan.figures().rename("value").rename_axis("figure").reset_index()
    figures["value"] = figures["value"].astype(str)
    sheets = {
        ("结对方案" if zh else "plan"): table,
        ("带教负荷" if zh else "loads"): plan.loads,
        ("阻塞对" if zh else "blocking_pairs"): plan.blocking_pairs,
        ("概要" if zh else "figures"): figures,
    }
    if plan.changes is not None:
        sheets["调整" if zh else "changes"] = plan.changes
    write_xlsx(sheets, path)
