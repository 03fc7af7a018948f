"""The sheets of pairs: the plan (结对方案), one block per mentor (带教名单), the
unplaced with what would place them (未结对) and the figures per sub-district (街镇汇总)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.export.plan_book.cells import _Cells, _table, _top
from mentormatch.vocab import CHALLENGES, STREET_TOWNS
from mentormatch.workbook import Heading, PageBreak, Sheet, Table


class _PairSheets(_Cells):
    """The sheets of pairs (part of :class:`_View`)."""

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
