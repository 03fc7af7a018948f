"""The training workbook (:func:`write_training_book`).

Sheets, in the chosen language: each secretary's year of training on one row
(培训安排), the electives with their seats (选训课程), the launch class (启航班), the
small classes (小班带训) and the headline figures with the need rule (概要).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mentormatch.export._common import export, pick, write_book
from mentormatch.training.words import say, topic_label
from mentormatch.vocab import DIMENSIONS
from mentormatch.workbook import Gap, Heading, Sheet, Table

__all__ = ["write_training_book", "training_sheets", "SHEETS", "TRAINING_LABELS"]

#: Sheet names: (Chinese, English).
SHEETS = {
    "schedule": ("培训安排", "Schedule"),
    "electives": ("选训课程", "Electives"),
    "launch": ("启航班", "Launch class"),
    "small": ("小班带训", "Small classes"),
    "summary": ("概要", "Summary"),
}
#: Headers of the columns only the training workbook shows: (Chinese, English, kind).
TRAINING_LABELS: dict[str, tuple[str, str, str]] = {
    "session_id": ("课程编号", "Session ID", "text"),
    "capacity": ("名额", "Seats", "int"),
    "mentor_unit": ("带教老师所在街镇", "Mentor's sub-district/town", "vocab:street_town"),
    "launch_class_no": ("启航班班次", "Launch class", "int"),
    "class_no": ("班次", "Class", "int"),
    "small_mentor": ("小班带教老师", "Small-class mentor", "text"),
    "small_base": ("小班带训基地", "Small-class base", "text"),
    "meetings": ("小班活动", "Small-class meetings", "text"),
    "need_met": ("满足需求（分）", "Need met (points)", "float"),
    "month": ("月份", "Month", "text"),
    "topic": ("培训主题", "Topic", "vocab:topic"),
    "filled": ("已安排", "Seats filled", "int"),
    "empty": ("空余名额", "Seats empty", "int"),
    "held_at": ("授课基地", "Held at", "text"),
    "taught_by": ("授课带教老师", "Taught by", "text"),
    "n_mentees": ("学员人数", "Number of mentees", "int"),
    "mentee_names": ("学员", "Mentees", "text"),
    "covered": ("基地覆盖的难题", "Challenges the base covers", "vocabs:challenge"),
    "share_covered": ("难题覆盖率", "Share of challenges covered", "percent"),
    "base_unit": ("基地所在街镇", "Base's sub-district/town", "vocab:street_town"),
}


def write_training_book(d, tp, path, lang: str = "zh") -> Path:
    """Write the training plan: ``.xlsx`` a workbook, ``.csv`` the schedule sheet.

    Parameters
    ----------
    d : District
        The District the plan was made for (names of people, bases, sub-districts).
    tp : TrainingPlan
        From :func:`mentormatch.plan_training`.
    path : path
        ``.xlsx`` or ``.csv``; any other extension is a :class:`~mentormatch.DataError`.
    lang : {"zh", "en"}

    Returns
    -------
    Path
        The file written. The same plan gives the same bytes.

    Examples
    --------
    >>> import mentormatch as mm, tempfile, pathlib
    >>> d = mm.synthesize_district(seed=1)
    >>> tp = mm.plan_training(d, 2025)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "training.xlsx"
    >>> write_training_book(d, tp, out).name
    'training.xlsx'
    """
    return write_book(
        d,
        path,
        ("培训安排", "the training plan"),
        (say("title", "zh", year=tp.year), say("title", "en", year=tp.year)),
        lang,
        lambda lang: training_sheets(d, tp, lang),
    )


def training_sheets(d, tp, lang: str = "zh") -> dict[str, Sheet]:
    """The training workbook's sheets, by sheet name (see :func:`write_training_book`)."""
    i = 0 if lang == "zh" else 1
    return {
        SHEETS["schedule"][i]: _schedule(d, tp, lang),
        SHEETS["electives"][i]: _electives(d, tp, lang),
        SHEETS["launch"][i]: _launch(d, tp, lang),
        SHEETS["small"][i]: _small(d, tp, lang),
        SHEETS["summary"][i]: _summary(d, tp, lang),
    }


def _names(table: pd.DataFrame, key: str) -> pd.Series:
    return table.set_index(key)["name"]


def _elective_text(tp, lang: str) -> pd.Series:
    """Each session as a reader names it: ``2025-02 引领有章法``."""
    s = tp.sessions
    text = [
        f"{m} {topic_label(t, lang) or sid}"
        for sid, m, t in zip(s["session_id"], s["month"], s["topic"], strict=True)
    ]
    return pd.Series(text, index=s["session_id"].to_numpy(), dtype=object)


def _schedule(d, tp, lang: str) -> Sheet:
    f = tp.to_frame()
    s = d.secretaries.set_index("secretary_id")
    ids = f["secretary_id"]
    named = _elective_text(tp, lang)
    met = tp.attendance.groupby("secretary_id")["need"].sum()
    mentor = f["mentor_id"]
    df = pd.DataFrame(
        {
            "secretary_id": ids,
            "name": ids.map(s["name"]),
            "street_town": ids.map(s["street_town"]),
            "community_name": ids.map(s["community_name"]),
            "appointed_year": ids.map(s["appointed_year"]),
            "launch_class_no": f["class_no"]
            .astype("Float64")
            .to_numpy(dtype=float, na_value=np.nan),
        }
    )
    labels = dict(TRAINING_LABELS)
    for k in range(1, tp.per_secretary + 1):
        df[f"elective_{k}"] = f[f"elective_{k}"].map(named)
        labels[f"elective_{k}"] = (f"选训课程{_ordinal(k)}", f"Elective {k}", "text")
    df["need_met"] = ids.map(met).fillna(0.0).astype(float).to_numpy()
    df["small_mentor"] = mentor.map(_names(d.mentors, "mentor_id"))
    df["small_base"] = f["base_id"].map(_names(d.bases, "base_id"))
    df["meetings"] = np.where(mentor.notna(), say("monthly", lang, year=tp.year), None)
    frame, kinds = export(df, lang, labels)
    kinds[pick("满足需求（分）", "Need met (points)", lang)] = "0.0"
    return Sheet([Table(frame, kinds)], autofilter=True)


def _joined(items: list, lang: str) -> str:
    """``甲、乙`` / ``A and B`` / ``A, B and C``."""
    if lang == "zh" or len(items) < 2:
        return "、".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal(k: int) -> str:
    return "一二三四五六七八九十"[k - 1] if 1 <= k <= 10 else str(k)


def _electives(d, tp, lang: str) -> Sheet:
    s = tp.seats()
    df = pd.DataFrame(
        {
            "session_id": s["session_id"],
            "month": s["month"],
            "topic": s["topic"],
            "capacity": s["capacity"],
            "filled": s["filled"],
            "empty": s["empty"],
            "need_met": s["need_met"],
            "held_at": s["base_id"].map(_names(d.bases, "base_id")),
            "taught_by": s["mentor_id"].map(_names(d.mentors, "mentor_id")),
        }
    )
    df = df.drop(columns=[c for c in ("held_at", "taught_by") if df[c].isna().all()])
    frame, kinds = export(df, lang, TRAINING_LABELS)
    kinds[pick("满足需求（分）", "Need met (points)", lang)] = "0.0"
    return Sheet([Table(frame, kinds)], autofilter=True)


def _launch(d, tp, lang: str) -> Sheet:
    lc = tp.launch_class
    s = d.secretaries.set_index("secretary_id")
    ids = lc["secretary_id"]
    df = pd.DataFrame(
        {
            "class_no": lc["class_no"],
            "secretary_id": ids,
            "name": ids.map(s["name"]),
            "street_town": ids.map(s["street_town"]),
            "community_name": ids.map(s["community_name"]),
            "appointed_year": ids.map(s["appointed_year"]),
        }
    )
    frame, kinds = export(df, lang, TRAINING_LABELS)
    return Sheet([Table(frame, kinds)], autofilter=True)


def _small(d, tp, lang: str) -> Sheet:
    c = tp.small_classes
    m = d.mentors.set_index("mentor_id")
    b = d.bases.set_index("base_id")
    names = d.secretaries.set_index("secretary_id")["name"]
    members = tp.small_class_members.assign(name=tp.small_class_members["secretary_id"].map(names))
    sep = "、" if lang == "zh" else ", "
    who = members.groupby("mentor_id", sort=False)["name"].agg(lambda v: sep.join(v))
    df = pd.DataFrame(
        {
            "mentor_id": c["mentor_id"],
            "mentor_name": c["mentor_id"].map(m["name"]),
            "mentor_unit": c["mentor_id"].map(m["street_town"]),
            "base_id": c["base_id"],
            "base_name": c["base_id"].map(b["name"]),
            "base_unit": c["base_id"].map(b["street_town"]),
            "n_mentees": c["n_mentees"],
            "mentee_names": c["mentor_id"].map(who),
            "covered": c["challenges"],
            "share_covered": c["share_covered"],
            "meetings": [say("monthly", lang, year=tp.year)] * len(c),
        }
    )
    frame, kinds = export(df, lang, TRAINING_LABELS)
    return Sheet([Table(frame, kinds)], autofilter=True)


def _summary(d, tp, lang: str) -> Sheet:
    from mentormatch.present.labels import COLUMNS

    i = 0 if lang == "zh" else 1
    f = tp.figures()
    share = float(f["share_met"])
    rows = [
        (pick("培训年度", "Plan year", lang), int(f["year"]), "year"),
        (pick("启航班人数", "Launch class: secretaries", lang), int(f["launch_size"]), "int"),
        (pick("启航班班数", "Launch class: classes", lang), int(f["launch_classes"]), "int"),
        (pick("选训课程", "Electives", lang), int(f["electives"]), "int"),
        (pick("选训名额", "Seats", lang), int(f["seats"]), "int"),
        (pick("已安排名额", "Seats filled", lang), int(f["seats_filled"]), "int"),
        (pick("空余名额", "Seats empty", lang), int(f["seats_empty"]), "int"),
        (
            pick("参加选训的书记", "Secretaries attending", lang),
            int(f["secretaries_attending"]),
            "int",
        ),
        (pick("满足需求（分）", "Need met (points)", lang), float(f["need_met"]), "0.0"),
        (
            pick("名额不限时可满足需求（分）", "Need unlimited seats would meet", lang),
            float(f["need_wanted"]),
            "0.0",
        ),
        (
            pick("需求满足率", "Share of need met", lang),
            share if np.isfinite(share) else None,
            "0%",
        ),
        (
            pick("按需求从高到低安排（贪心）", "Highest need first (greedy)", lang),
            float(f["greedy_need_met"]),
            "0.0",
        ),
        (pick("最优安排多满足", "Optimum over greedy", lang), float(f["gain_over_greedy"]), "0.0"),
    ]
    for code in DIMENSIONS.codes:
        label = topic_label(code, lang)
        rows.append(
            (
                pick(f"满足需求：{label}", f"Need met: {label}", lang),
                float(f[f"need_met_{code}"]),
                "0.0",
            )
        )
    rows += [
        (
            pick("满足需求：难题", "Need met: challenges", lang),
            float(f["need_met_challenges"]),
            "0.0",
        ),
        (pick("小班数", "Small classes", lang), int(f["small_classes"]), "int"),
        (pick("小班学员", "Small-class mentees", lang), int(f["small_class_mentees"]), "int"),
    ]
    header = [COLUMNS["figure"][i], COLUMNS["value"][i]]
    table = Table(
        pd.DataFrame([r[:2] for r in rows], columns=header, dtype=object),
        {header[0]: "text"},
        cell_kinds={header[1]: [r[2] for r in rows]},
    )
    lines = tp.summary(lang).split("\n")
    rule = tp.rule
    foundational = _joined([topic_label(c, lang) for c in rule.foundational], lang)
    blocks: list = [Heading(lines[0], level=1)]
    blocks += [Heading(line, level=3) for line in lines[1:]]
    blocks.append(
        Heading(
            say(
                "rule",
                lang,
                year=tp.year,
                challenge=rule.challenge_need,
                new_first=tp.year - rule.new_years + 1,
                foundational=foundational or pick("（无）", "(none)", lang),
                weight=rule.new_weight,
            ),
            level=3,
        )
    )
    if rule.repeat_years:
        blocks.append(Heading(say("repeat", lang, years=rule.repeat_years), level=3))
    if d.synthetic:
        blocks.append(Heading(say("synthetic", lang), level=3))
    blocks += [Gap(), Heading(pick("主要指标", "Headline figures", lang)), table]
    return Sheet(blocks, freeze=False, print_header=False)
