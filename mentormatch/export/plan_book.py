"""The plan workbook for review and approval (:func:`write_plan`).

Sheets, in the chosen language: the plan grouped by mentor (结对方案), one printable
block per mentor (带教名单), the unplaced with why and whom to give a place (未结对),
the figures per sub-district (街镇汇总), the headline figures, the rules used and a
sign-off block (概要), the blocking pairs in words (阻塞对) and, for a re-match, the
changes (调整).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from mentormatch.export._common import (
    LABELS,
    export,
    roster_notes,
    write_book,
)
from mentormatch.present.labels import COLUMNS
from mentormatch.vocab import CHALLENGES, STREET_TOWNS
from mentormatch.workbook import Gap, Heading, PageBreak, Sheet, Table

__all__ = [
    "write_plan",
    "plan_sheets",
    "SHEETS",
    "OBJECTIVE_WORDS",
    "PROXIMITY_WORDS",
    "NO_PLACE_LEFT",
]

#: Sheet names: (Chinese, English).
SHEETS = {
    "plan": ("结对方案", "Plan"),
    "by_mentor": ("带教名单", "By mentor"),
    "unplaced": ("未结对", "Not placed"),
    "units": ("街镇汇总", "By sub-district"),
    "summary": ("概要", "Summary"),
    "blocking": ("阻塞对", "Blocking pairs"),
    "changes": ("调整", "Changes"),
}
#: What an alternates cell says when no other mentor has a place left.
NO_PLACE_LEFT = ("无空余名额", "no place left")
_RULED_OUT = (
    "有空余名额的老师均不可选（回避规则或距离限制）",
    "mentors with places left are ruled out (forbid rule or distance)",
)
#: Each objective in words: (name, what it does), Chinese and English.
OBJECTIVE_WORDS = {
    "total": (
        ("总分最高", "使全部结对的匹配分之和最高（最小费用流，精确最优）"),
        ("Highest total", "the sum of all pair scores is as high as it can be (min-cost flow)"),
    ),
    "fair": (
        ("兼顾最弱者", "先使最低的匹配分尽量高，再使匹配分之和最高"),
        ("Fairest", "the worst pair score as high as it can be, then the highest sum"),
    ),
    "stable": (
        ("稳定匹配", "书记优先的延迟接受：没有一对书记与带教老师都更愿意彼此结对"),
        (
            "Stable",
            "mentee-proposing deferred acceptance: no mentee and mentor would both "
            "rather be together",
        ),
    ),
    "rematch": (
        ("调整方案", "在总分不低于最优方案容许范围的前提下，尽量保留原有结对"),
        (
            "Re-match",
            "keeps as many pairs of the plan in force as it can within the score tolerance",
        ),
    ),
    "given": (
        ("给定结对", "按给定的结对计算"),
        ("Given pairs", "the pairs as given"),
    ),
}
_DISTANCE_WORDS = {
    None: (("不限", "就近程度计入匹配分"), ("None", "proximity counts in the score")),
    "same": (
        ("仅同一街镇", "只与同一街镇的带教老师结对"),
        ("Same unit only", "only mentors in the same sub-district/town"),
    ),
    "neighbouring": (
        ("同一或相邻街镇", "只与同一或相邻街镇的带教老师结对"),
        ("Same or next unit", "only mentors in the same or a neighbouring unit"),
    ),
}
_BASE_WORDS = {
    "sequential": (
        ("先定老师，再定基地", "按带教老师未覆盖的难题安排实训基地"),
        ("Mentors, then bases", "bases cover what the mentor does not"),
    ),
    "joint": (
        ("老师与基地一并优化", "带教老师与实训基地一起求解（混合整数规划）"),
        ("Mentors and bases together", "mentors and bases solved together (MILP)"),
    ),
    "none": (("不安排基地", "本方案不安排实训基地"), ("No bases", "no practice bases assigned")),
}
_SOLVER_WORDS = {
    "networkx": (
        ("networkx 网络单纯形法", "最小费用流，精确最优"),
        ("networkx network simplex", "min-cost flow, proven optimum"),
    ),
    "ortools": (
        ("OR-Tools 最小费用流", "最小费用流，精确最优"),
        ("OR-Tools min-cost flow", "min-cost flow, proven optimum"),
    ),
    "highs-milp": (
        ("HiGHS 混合整数规划", "精确最优"),
        ("HiGHS mixed-integer programming", "proven optimum"),
    ),
    "deferred-acceptance": (
        ("延迟接受算法", "书记优先的稳定匹配"),
        ("deferred acceptance", "mentee-optimal stable plan"),
    ),
    "given": (
        ("不经求解", "结对按给定的名单（如人工调整），未经优化求解"),
        ("Not solved", "the pairs as given (adjusted by hand), not optimised"),
    ),
}
#: Proximity of a pair in words (the score's component is 1, 0.5 or 0).
PROXIMITY_WORDS = {
    "same": ("同一街镇", "same sub-district/town"),
    "near": ("相邻街镇", "neighbouring unit"),
    "far": ("较远", "far (not neighbouring)"),
}
_CHANGES = {
    "kept": ("保留", "Kept"),
    "changed": ("更换", "Changed"),
    "new": ("新增", "New"),
    "ended": ("结束", "Ended"),
}
_WHY = [
    (r"^$", "延续原结对", "the pair continues"),
    (
        r"^not in the previous plan \(new or newly needing a mentor\)$",
        "上一方案中没有（新任或新需要带教）",
        "not in the previous plan (new, or newly needing a mentor)",
    ),
    (r"^the secretary left the post$", "书记已离任", "the secretary left the post"),
    (
        r"^the secretary no longer needs a mentor$",
        "书记已无需带教",
        "the secretary no longer needs a mentor",
    ),
    (r"^could not be placed$", "未能结对", "could not be placed"),
    (r"^mentor (.+) left the programme$", "带教老师 {0} 已退出带教", "mentor {0} left"),
    (
        r"^the pair with (.+) is now forbidden$",
        "与 {0} 的结对现被回避规则排除",
        "the pair with {0} is now forbidden",
    ),
    (
        r"^moved to keep the plan within the score tolerance or capacities$",
        "为使总分保持在容许范围内或符合名额而调整",
        "moved to keep the plan within the score tolerance or the places",
    ),
]
_ALTERNATE = re.compile(r"^(?P<id>\S+) (?P<name>.+) \((?P<score>[\d.]+)\)$")
_STATUS_ORDER = {"placed": 0, "unplaced": 1, "not_needed": 2, "departed": 3}


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


class _View:
    """The plan's tables as people read them."""

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

    # --- sheets --------------------------------------------------------------------------

    def main(self) -> Sheet:
        t = self.t
        zh = self.zh
        df = pd.DataFrame(
            {
                "status_label": t["status"].map(self._status),
                "mentor_name": t["mentor_name"],
                "secretary_id": t["secretary_id"],
                "name": t["name"],
                "street_town": t["street_town"],
                "community_name": t["community_name"],
                "community_type": t["community_type"],
                "challenges": self.challenges,
                "score": t["score"],
                "challenge_share": t["challenge"],
                "type": t["type"],
                "proximity_label": t["proximity"].map(self._proximity),
                "continuity_flag": [
                    bool(v > 0) if np.isfinite(v) else None for v in t["continuity"]
                ],
                "base_name": t["base_name"],
                "coverage": t["coverage"],
                "reason": t["reason_zh" if zh else "reason_en"],
                "alternates": [self._alternates(r) for _, r in t.iterrows()],
                "unplaced_reason": t["unplaced_reason_zh" if zh else "unplaced_reason"],
                "roster_note": self.notes,
                "mentor_id": t["mentor_id"],
                "base_id": t["base_id"],
            }
        )
        table = _table(df, self.lang, {"score": "0.00", "type": "0.00"})
        return Sheet([table], autofilter=True)

    def by_mentor(self) -> Sheet:
        placed = self.t[self.t["status"] == "placed"]
        columns = {
            "name": placed["name"],
            "secretary_id": placed["secretary_id"],
            "street_town": placed["street_town"],
            "community_name": placed["community_name"],
            "community_type": placed["community_type"],
            "challenges": self.challenges[placed.index],
            "base_name": placed["base_name"],
            "score": placed["score"],
            "coverage": placed["coverage"],
            "reason": placed["reason_zh" if self.zh else "reason_en"],
            "roster_note": self.notes[placed.index],
        }
        whole = _table(pd.DataFrame(columns), self.lang, {"score": "0.00"})
        blocks: list = [Table(whole.frame.iloc[:0], whole.kinds)]
        mentors = self.d.mentors.set_index("mentor_id")
        loads = self.plan.loads.set_index("mentor_id")
        positions = {idx: k for k, idx in enumerate(placed.index)}
        for n, (mid, m) in enumerate(mentors.iterrows()):
            if n:
                blocks.append(PageBreak())
            blocks.append(Heading(self._mentor_heading(mid, m, loads.loc[mid])))
            rows = [positions[i] for i in placed.index[placed["mentor_id"] == mid]]
            if rows:
                blocks.append(Table(whole.frame.iloc[rows], whole.kinds, header=False))
            else:
                blocks.append(Heading(self.say("（暂无带教对象）", "(no mentees)"), level=3))
        return Sheet(blocks, max_width=44)

    def _mentor_heading(self, mid: str, m: pd.Series, load: pd.Series) -> str:
        unit = STREET_TOWNS[m["street_town"]].label(self.lang)
        cap, n = int(load["capacity"]), int(load["load"])
        low = load["min_load"]
        expertise = ("、" if self.zh else ", ").join(
            CHALLENGES[c].label(self.lang) for c in m["expertise"]
        )
        note = self.mentor_notes.get(mid) if self.mentor_notes is not None else None
        if self.zh:
            parts = [f"带教老师：{m['name']}（{mid}）", unit, f"名额 {cap} 人，已带教 {n} 人"]
            if pd.notna(low) and int(low):
                parts[-1] += f"（最少 {int(low)} 人）"
            if expertise:
                parts.append(f"擅长：{expertise}")
            if note:
                parts.append(f"备注：{note}")
            return "　｜　".join(parts)
        parts = [f"Mentor: {m['name']} ({mid})", unit, f"{n} mentees of {cap} places"]
        if pd.notna(low) and int(low):
            parts[-1] += f" (at least {int(low)})"
        if expertise:
            parts.append(f"expertise: {expertise}")
        if note:
            parts.append(f"remarks: {note}")
        return "  |  ".join(parts)

    def unplaced(self) -> Sheet:
        u = self.t[self.t["status"] == "unplaced"]
        df = pd.DataFrame(
            {
                "secretary_id": u["secretary_id"],
                "name": u["name"],
                "street_town": u["street_town"],
                "community_name": u["community_name"],
                "community_type": u["community_type"],
                "challenges": self.challenges[u.index],
                "unplaced_reason": u["unplaced_reason_zh" if self.zh else "unplaced_reason"],
                "fix": self._fixes(u["secretary_id"].tolist()),
                "roster_note": self.notes[u.index],
            }
        )
        blocks: list = [_table(df, self.lang)]
        if u.empty:
            blocks.append(
                Heading(
                    self.say(
                        "需要带教的书记全部结对，无未结对人员。",
                        "Every secretary needing a mentor is placed.",
                    ),
                    level=3,
                )
            )
        return Sheet(blocks, autofilter=True)

    def _fixes(self, ids: list[str], n: int = 3) -> list[str]:
        """For each unplaced secretary, what would place them: one more place with one
        of the best mentors the rules allow; when the distance rule allows none, the
        best mentors beyond it; when forbid rules exclude every mentor, those rules."""
        if not ids:
            return []
        from mentormatch.plan import DISTANCE_RULES, constraint_pairs

        scores = self.scores[self.scores["secretary_id"].isin(ids)]
        distance = getattr(self.plan, "distance", None)
        least = DISTANCE_RULES.get(distance, -np.inf) if distance else -np.inf
        banned = set(constraint_pairs(self.d, ids)[0])
        sep = "；" if self.zh else "; "
        out = []
        for sid in ids:
            mine = scores[scores["secretary_id"] == sid]
            open_ = np.array([(sid, m) not in banned for m in mine["mentor_id"]], dtype=bool)
            mine = mine[open_].sort_values("total", ascending=False, kind="stable")
            near = mine[mine["proximity"].to_numpy(dtype=float) >= least]
            if len(near):
                who = sep.join(self._scored(m, self.mentor_names[m], v) for m, v in _top(near, n))
                out.append(
                    self.say(
                        f"为其中一位增加 1 个名额：{who}", f"one more place with any of: {who}"
                    )
                )
            elif len(mine):
                who = sep.join(self._scored(m, self.mentor_names[m], v) for m, v in _top(mine, n))
                out.append(
                    self.say(
                        f"距离限制内没有可选的带教老师；放宽距离限制后可与其中一位结对：{who}",
                        f"no mentor within the distance rule; without it, any of: {who}",
                    )
                )
            else:
                out.append(
                    self.say(
                        "所有带教老师均被回避规则排除：须修改约束表中的回避规则",
                        "every mentor is forbidden: change a forbid rule in the constraints",
                    )
                )
        return out

    def units(self) -> Sheet:
        d, t = self.d, self.plan.table
        post = d.in_post
        mentees = d.mentees
        placed = t[t["status"] == "placed"]
        present = set(d.secretaries["street_town"]) | set(d.mentors["street_town"])
        codes = [c for c in STREET_TOWNS.codes if c in present]
        rows = []
        for code in [*codes, None]:

            def of(df: pd.DataFrame, col: str = "street_town", code=code) -> pd.DataFrame:
                return df if code is None else df[df[col] == code]

            here = of(placed)
            rows.append(
                {
                    "street_town": code if code else self.say("合计", "Total"),
                    "in_post": len(of(post)),
                    "needing": len(of(mentees)),
                    "placed": len(here),
                    "unplaced": int((of(t)["status"] == "unplaced").sum()),
                    "mean_score": float(here["score"].mean()) if len(here) else np.nan,
                    "same_unit": float((here["proximity"] >= 1.0).mean()) if len(here) else np.nan,
                    "mentors": len(of(d.mentors)),
                    "places": int(of(d.mentors)["capacity"].sum()),
                }
            )
        table = _table(pd.DataFrame(rows), self.lang, {"mean_score": "0.00"})
        return Sheet([table], autofilter=True)

    def summary(self) -> Sheet:
        from mentormatch.present.words import COMPONENTS, FIGURES

        d, plan, lang, i = self.d, self.plan, self.lang, (0 if self.zh else 1)
        f = plan.figures()
        t = plan.table
        placed = t[t["status"] == "placed"]
        needing, n_placed = int(f["mentees"]), int(f["placed"])
        places = int(d.mentors["capacity"].sum())

        def fig(key: str) -> str:
            return FIGURES[key][i]

        figures = [
            (self.say("在任书记", "Secretaries in post"), len(d.in_post), "int"),
            (fig("mentees"), needing, "int"),
            (fig("placed"), n_placed, "int"),
            (self.say("未能结对", "Not placed"), needing - n_placed, "int"),
            (self.say("带教老师", "Mentors"), len(d.mentors), "int"),
            (self.say("带教名额合计", "Places"), places, "int"),
            (self.say("名额缺口", "Places short"), max(0, needing - places), "int"),
            (fig("total_score"), f["total_score"], "0.00"),
            (fig("mean_score"), f["mean_score"], "0.00"),
            (fig("min_score"), f["min_score"], "0.00"),
            (fig("p10_score"), f["p10_score"], "0.00"),
            (fig("coverage_mentor"), f["coverage_mentor"], "0%"),
            (fig("coverage_mentor_and_base"), f["coverage_mentor_and_base"], "0%"),
            (
                fig("same_unit_share"),
                float((placed["proximity"] >= 1).mean()) if len(placed) else np.nan,
                "0%",
            ),
            (
                fig("near_share"),
                float((placed["proximity"] > 0).mean()) if len(placed) else np.nan,
                "0%",
            ),
            (fig("blocking_pairs"), int(f["blocking_pairs"]), "int"),
            (fig("below_min_load"), int(f["below_min_load"]), "int"),
            (self.say("每位老师最少带教", "Fewest mentees per mentor"), int(f["load_min"]), "int"),
            (self.say("每位老师最多带教", "Most mentees per mentor"), int(f["load_max"]), "int"),
        ]
        fig_header = [_header("figure", lang), _header("value", lang)]
        fig_frame = pd.DataFrame([r[:2] for r in figures], columns=fig_header)
        fig_table = Table(
            fig_frame, {fig_header[0]: "text"}, cell_kinds={fig_header[1]: [r[2] for r in figures]}
        )

        objective = OBJECTIVE_WORDS.get(plan.objective, ((plan.objective, ""),) * 2)[i]
        distance = getattr(plan, "distance", None)
        dist = _DISTANCE_WORDS.get(distance, _DISTANCE_WORDS[None])[i]
        base = _BASE_WORDS.get(plan.bases, _BASE_WORDS["none"])[i]
        c = d.constraints
        keep_all, forbid_all = int((c["rule"] == "keep").sum()), int((c["rule"] == "forbid").sum())
        from mentormatch.plan import constraint_pairs

        forbid_used, keep_used = (len(x) for x in constraint_pairs(d))
        partial = bool(getattr(plan, "partial", False))
        # Pairs given by hand (the app) are not solved, whatever computed their bases.
        key = "given" if plan.objective == "given" else plan.solver
        solver = _SOLVER_WORDS.get(key, ((plan.solver, ""),) * 2)[i]
        rules = [
            (self.say("目标", "Objective"), objective[0], "text", objective[1]),
            *(
                (
                    self.say(f"权重：{COMPONENTS[k][0][0]}", f"Weight: {COMPONENTS[k][1][0]}"),
                    float(v),
                    "0%",
                    COMPONENTS[k][i][1],
                )
                for k, v in plan.weights.items()
                if k in COMPONENTS
            ),
            (self.say("距离限制", "Distance rule"), dist[0], "text", dist[1]),
            (self.say("实训基地", "Practice bases"), base[0], "text", base[1]),
            (
                self.say("部分方案", "Partial plan"),
                self.say("是", "yes") if partial else self.say("否", "no"),
                "text",
                self.say(
                    "允许部分书记暂不结对，并说明原因" if partial else "每位需要带教的书记都须结对",
                    "some secretaries may stay without a mentor, each with the reason"
                    if partial
                    else "every secretary needing a mentor must be placed",
                ),
            ),
            (
                self.say("保留的结对（采用）", "Pairs kept (used)"),
                keep_used,
                "int",
                self.say(
                    f"约束表中共 {keep_all} 条保留规则", f"{keep_all} keep rules in the table"
                ),
            ),
            (
                self.say("回避的结对（采用）", "Pairs forbidden (used)"),
                forbid_used,
                "int",
                self.say(
                    f"约束表中共 {forbid_all} 条回避规则", f"{forbid_all} forbid rules in the table"
                ),
            ),
            (self.say("求解方法", "Solver"), solver[0], "text", solver[1]),
        ]
        rule_header = [
            _header("rule_name", lang),
            _header("setting", lang),
            _header("explanation", lang),
        ]
        rule_frame = pd.DataFrame(
            [(r[0], r[1], r[3] or None) for r in rules], columns=rule_header, dtype=object
        )
        rule_table = Table(
            rule_frame,
            {rule_header[0]: "text", rule_header[2]: "text"},
            cell_kinds={rule_header[1]: [r[2] for r in rules]},
        )
        title = self.say("带教结对方案（送审稿）", "Mentoring plan for review and approval")
        blocks: list = [
            Heading(title, level=1),
            Heading(self._headline(needing, n_placed, places), 3),
        ]
        if d.synthetic:
            blocks.append(
                Heading(
                    self.say(
                        "本方案基于合成数据，不涉及真实人员。",
                        "This plan is made from synthetic data: no real person is named.",
                    ),
                    level=3,
                )
            )
        blocks += [
            Gap(),
            Heading(self.say("主要指标", "Headline figures")),
            fig_table,
            Gap(),
            Heading(self.say("方案规则", "Rules used")),
            rule_table,
        ]
        warnings = getattr(plan, "warnings", ())
        if warnings:
            note = _header("explanation", lang)
            blocks += [
                Gap(),
                Heading(self.say("未采用的规则", "Rules not used")),
                Table(pd.DataFrame({note: [w[i] for w in warnings]}), {note: "text"}),
            ]
        sign = [_header(k, lang) for k in ("step", "signature", "opinion", "date")]
        roles = [
            self.say(*r)
            for r in (
                ("拟定人", "Drafted by"),
                ("审核人", "Reviewed by"),
                ("审批人", "Approved by"),
            )
        ]
        sign_frame = pd.DataFrame(
            {sign[0]: roles, **{h: [None] * 3 for h in sign[1:]}}, columns=sign, dtype=object
        )
        blocks += [
            Gap(),
            Heading(self.say("审核", "Sign-off")),
            Table(sign_frame, dict.fromkeys(sign, "text"), boxed=True, row_height=36),
        ]
        return Sheet(blocks, freeze=False, print_header=False, min_widths={2: 24, 3: 40, 4: 16})

    def _headline(self, needing: int, placed: int, places: int) -> str:
        d = self.d
        if needing == 0:
            return self.say("没有在任书记需要带教。", "No secretary in post needs a mentor.")
        if placed == needing:
            return self.say(
                f"需要带教的 {needing} 名书记全部结对（{len(d.mentors)} 位带教老师，"
                f"{places} 个名额）。",
                f"All {needing} secretaries needing a mentor are placed ({len(d.mentors)} "
                f"mentors, {places} places).",
            )
        short = needing - placed
        cause = (
            self.say(f"名额只有 {places} 个", f"there are only {places} places")
            if places < needing
            else self.say("规则排除了部分结对", "the rules exclude some pairs")
        )
        return self.say(
            f"需要带教的 {needing} 名书记中 {placed} 名结对；{short} 名未能结对，因为{cause}"
            "（名单及所需调整见「未结对」工作表）。",
            f"{placed} of {needing} secretaries needing a mentor are placed; {short} are not, "
            f"because {cause} (see the sheet Not placed for who and what would place them).",
        )

    def blocking(self) -> Sheet:
        b = self.plan.blocking_pairs
        names = self.d.secretaries.set_index("secretary_id")["name"]
        mnames = self.mentor_names
        rows = []
        for r in b.itertuples(index=False):
            mentee = self._person(r.mentee, names.get(r.mentee))
            mentor = self._person(r.mentor, mnames.get(r.mentor))
            current = self._person(r.current_mentor, mnames.get(r.current_mentor))
            displaced = self._person(r.displaced, names.get(r.displaced))
            rows.append(
                {
                    "mentee": mentee,
                    "mentor": mentor,
                    "score": r.score,
                    "current_mentor": current or self.say("（未结对）", "(not placed)"),
                    "current_score": r.current_score,
                    "displaced": displaced or self.say("（尚有空余名额）", "(has a place left)"),
                    "explanation": self._blocking_words(r, mentee, mentor, current, displaced),
                }
            )
        columns = ["mentee", "mentor", "score", "current_mentor", "current_score", "displaced"]
        df = pd.DataFrame(rows, columns=[*columns, "explanation"])
        blocks: list = [_table(df, self.lang, {"score": "0.00", "current_score": "0.00"})]
        if b.empty:
            blocks.append(
                Heading(
                    self.say(
                        "无阻塞对：没有一对书记和带教老师都更愿意彼此结对。",
                        "No blocking pairs: no mentee and mentor would both rather be together.",
                    ),
                    level=3,
                )
            )
        return Sheet(blocks, autofilter=True)

    def _blocking_words(self, r, mentee, mentor, current, displaced) -> str:
        score, now = _two(r.score), (_two(r.current_score) if current else "")
        if current and score == now:
            first = self.say(
                f"{mentee}与{mentor}、与现带教老师{current}的匹配分相当（{score}），"
                f"按名册顺序更倾向{mentor}",
                f"{mentee} scores about the same ({score}) with {mentor} as with the "
                f"current mentor {current}, and ties go to {mentor}, earlier in the roster",
            )
        elif current:
            first = self.say(
                f"{mentee}与{mentor}的匹配分 {score}，高于与现带教老师{current}的 {now}",
                f"{mentee} scores {score} with {mentor}, above {now} "
                f"with the current mentor {current}",
            )
        else:
            first = self.say(
                f"{mentee}未结对，与{mentor}的匹配分为 {score}",
                f"{mentee} is not placed and scores {score} with {mentor}",
            )
        second = (
            self.say(
                f"{mentor}也更适合带教{mentee}，胜过现带教对象{displaced}",
                f"{mentor} would also rather mentor {mentee} than {displaced}",
            )
            if displaced
            else self.say(f"{mentor}尚有空余名额", f"{mentor} has a place left")
        )
        return self.say(f"{first}；{second}。", f"{first}; {second}.")

    def changes(self) -> Sheet:
        c = self.plan.changes
        names = self.d.secretaries.set_index("secretary_id")["name"]
        mnames = self.mentor_names
        df = pd.DataFrame(
            {
                "secretary_id": c["secretary_id"],
                "name": c["secretary_id"].map(names),
                "change": c["change"].map(lambda k: _CHANGES.get(k, (k, k))[0 if self.zh else 1]),
                "previous_mentor": [
                    self._person(m, mnames.get(m)) if isinstance(m, str) else None
                    for m in c["previous_mentor"]
                ],
                "new_mentor": [
                    self._person(m, mnames.get(m)) if isinstance(m, str) else None
                    for m in c["mentor"]
                ],
                "why": c["why"].map(self._why),
            }
        )
        return Sheet([_table(df, self.lang)], autofilter=True)

    def _why(self, text: object) -> str:
        text = "" if not isinstance(text, str) else text
        for pattern, zh, en in _WHY:
            m = re.match(pattern, text)
            if m:
                return (zh if self.zh else en).format(*m.groups())
        return text
