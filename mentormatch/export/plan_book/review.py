"""The sheets a reviewer checks the plan by: the blocking pairs in words (阻塞对) and, for
a re-match, the changes with their reasons (调整)."""

from __future__ import annotations

import re

import pandas as pd

from mentormatch.export.plan_book.cells import _Cells, _table, _two
from mentormatch.export.plan_book.words import _CHANGES, _WHY
from mentormatch.workbook import Heading, Sheet


class _ReviewSheets(_Cells):
    """The blocking pairs and changes (part of :class:`_View`)."""

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
