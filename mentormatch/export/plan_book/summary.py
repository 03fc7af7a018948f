"""The summary sheet (概要): the headline figures, the rules used and a sign-off block."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.export.plan_book.cells import _Cells, _header
from mentormatch.export.plan_book.words import (
    _BASE_WORDS,
    _DISTANCE_WORDS,
    _SOLVER_WORDS,
    OBJECTIVE_WORDS,
)
from mentormatch.workbook import Gap, Heading, Sheet, Table


class _SummarySheet(_Cells):
    """The summary sheet (part of :class:`_View`)."""

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
