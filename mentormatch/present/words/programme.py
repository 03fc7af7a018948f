"""Tables and sentences of the training-and-supervision part (notebook 07): the launch
class by sub-district, the electives' seats, the small classes, the visits per mentor
and month, what inspection found and what the salon made of it.

Each table function returns codes and numbers; its ``*_LABELS`` say how people read
them (:func:`mentormatch.present.table`)."""

from __future__ import annotations

import calendar

import pandas as pd

from mentormatch import lang as _lang
from mentormatch.vocab import DIMENSIONS, STREET_TOWNS

__all__ = [
    "launch_by_unit",
    "electives",
    "ELECTIVE_LABELS",
    "small_classes",
    "SMALL_CLASS_LABELS",
    "visits_by_month",
    "findings_by_issue",
    "FINDING_LABELS",
    "salon_by_topic",
    "SALON_LABELS",
    "training_headline",
    "visits_headline",
    "TRAINING_FIGURES",
]


def launch_by_unit(d, tp) -> tuple[pd.DataFrame, dict]:
    """Launch-class members per class (rows) and sub-district (columns), and the labels
    of the columns."""
    lc = tp.launch_class
    if lc.empty:
        return pd.DataFrame(), {}
    unit = lc["secretary_id"].map(d.secretaries.set_index("secretary_id")["street_town"])
    counts = pd.crosstab(lc["class_no"], unit)
    order = [c for c in STREET_TOWNS.codes if c in counts.columns]
    out = pd.DataFrame({"class_no": counts.index.to_numpy()})
    labels = {"class_no": ("班次", "Class", "int")}
    for c in order:
        out[c] = counts[c].to_numpy()
        labels[c] = (STREET_TOWNS[c].zh, STREET_TOWNS[c].en, "int")
    out["total"] = counts[order].sum(axis=1).to_numpy()
    labels["total"] = ("合计", "Total", "int")
    return out, labels


def electives(tp) -> pd.DataFrame:
    """Per elective: month, topic, seats, secretaries in need, seats filled, need met."""
    s = tp.seats()
    return pd.DataFrame(
        {
            "month": s["month"],
            "topic": s["topic"],
            "capacity": s["capacity"].astype("int64"),
            "in_need": s["in_need"].astype("int64"),
            "filled": s["filled"].astype("int64"),
            "fill_share": (s["filled"] / s["capacity"].where(s["capacity"] > 0)).astype(float),
            "need_met": s["need_met"].astype(float),
        }
    )


ELECTIVE_LABELS = {
    "month": ("月份", "Month"),
    "topic": ("主题", "Topic", "vocab:topic"),
    "capacity": ("名额", "Seats", "int"),
    "in_need": ("有需求的书记", "Secretaries in need", "int"),
    "filled": ("已安排", "Filled", "int"),
    "fill_share": ("名额使用率", "Seats filled", "percent"),
    "need_met": ("满足需求（分）", "Need met (points)", "float"),
}


def small_classes(d, tp) -> pd.DataFrame:
    """Per small class: mentor, mentees, the practice base and the challenges it covers."""
    sc = tp.small_classes
    mentors = d.mentors.set_index("mentor_id")["name"]
    bases = d.bases.set_index("base_id")["name"] if len(d.bases) else pd.Series(dtype="str")
    return pd.DataFrame(
        {
            "mentor": sc["mentor_id"].map(mentors),
            "n_mentees": sc["n_mentees"].astype("int64"),
            "base": sc["base_id"].map(bases),
            "challenges": sc["challenges"],
            "share_covered": sc["share_covered"].astype(float),
        }
    )


SMALL_CLASS_LABELS = {
    "mentor": ("带教老师", "Mentor"),
    "n_mentees": ("学员人数", "Mentees", "int"),
    "base": ("实训基地", "Practice base"),
    "challenges": ("基地覆盖的共同难题", "Common challenges the base covers", "vocabs:challenge"),
    "share_covered": ("覆盖学员难题的比例", "Share of mentees' challenges covered", "percent"),
}


def visits_by_month(d, schedule: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Visits per mentor (rows, by name) and month (columns), with the year's total,
    and the labels of the columns."""
    from mentormatch.supervision import summary_frame

    table = summary_frame(schedule)
    if table.empty:
        return table, {}
    names = d.mentors.set_index("mentor_id")["name"]
    out = pd.DataFrame({"mentor": table.index.map(names).to_numpy()})
    labels = {"mentor": ("带教老师", "Mentor")}
    for m in table.columns:
        k = int(str(m)[-2:])
        out[f"m{k:02d}"] = table[m].to_numpy()
        labels[f"m{k:02d}"] = (f"{k}月", calendar.month_abbr[k], "int")
    out["year"] = table.sum(axis=1).to_numpy()
    labels["year"] = ("全年", "Year", "int")
    return out, labels


def findings_by_issue(d) -> pd.DataFrame:
    """What on-site supervision found, by issue (most found first)."""
    f = d.findings
    counts = f.groupby("issue").agg(
        n=("finding_id", "size"), secretaries=("secretary_id", "nunique")
    )
    counts = counts.sort_values(["n", "secretaries"], ascending=False, kind="stable")
    kind = ["dimension" if c in DIMENSIONS.codes else "challenge" for c in counts.index]
    return pd.DataFrame(
        {
            "issue": counts.index,
            "kind": [
                _lang.pick("组织力维度", "capacity dimension")
                if k == "dimension"
                else _lang.pick("难题", "challenge")
                for k in kind
            ],
            "n": counts["n"].to_numpy(),
            "secretaries": counts["secretaries"].to_numpy(),
        }
    )


FINDING_LABELS = {
    "issue": ("问题", "Issue", "vocab:topic"),
    "kind": ("类别", "Kind"),
    "n": ("发现次数", "Times found", "int"),
    "secretaries": ("涉及书记", "Secretaries", "int"),
}


def salon_by_topic(d) -> pd.DataFrame:
    """The salon's records per topic and kind (the casebook's table of contents)."""
    r = d.salon_records
    counts = pd.crosstab(r["topic"], r["kind"])
    for k in ("idea", "case", "question", "answer"):
        if k not in counts.columns:
            counts[k] = 0
    counts = counts[["idea", "case", "question", "answer"]]
    counts["total"] = counts.sum(axis=1)
    counts = counts.sort_values("total", ascending=False, kind="stable")
    return counts.rename_axis("topic").reset_index()


SALON_LABELS = {
    "topic": ("主题", "Topic", "vocab:topic"),
    "idea": ("金点子", "Ideas", "int"),
    "case": ("好案例", "Cases", "int"),
    "question": ("疑问", "Questions", "int"),
    "answer": ("答复", "Answers", "int"),
    "total": ("合计", "Total", "int"),
}

#: The training plan's headline figures (keys of TrainingPlan.figures()).
TRAINING_FIGURES = {
    "launch_size": ("启航班人数", "Launch class", "int"),
    "launch_classes": ("启航班班数", "Launch classes", "int"),
    "electives": ("双月选训课程", "Electives", "int"),
    "seats": ("选训名额", "Elective seats", "int"),
    "seats_filled": ("已安排名额", "Seats filled", "int"),
    "secretaries_attending": ("参训书记", "Secretaries attending", "int"),
    "need_met": ("满足需求（分）", "Need met (points)", "float"),
    "share_met": ("占可满足需求的比例", "Share of the need that can be met", "percent"),
    "greedy_need_met": ("贪心分配满足需求（分）", "Need met by greedy (points)", "float"),
    "small_classes": ("小班数", "Small classes", "int"),
}


def training_headline(tp) -> tuple[str, str]:
    f = tp.figures()
    return (
        f"{tp.year} 年启航班 {f['launch_size']} 人；双月选训 {f['electives']} 门、名额 "
        f"{f['seats']} 个，按需安排 {f['seats_filled']} 个，满足需求 {float(f['need_met']):.0f} 分"
        f"（贪心分配 {float(f['greedy_need_met']):.0f} 分）。",
        f"{tp.year}: a launch class of {f['launch_size']}; {f['electives']} electives with "
        f"{f['seats']} seats, {f['seats_filled']} allocated by need, meeting "
        f"{float(f['need_met']):.0f} points of need (greedy: {float(f['greedy_need_met']):.0f}).",
    )


def visits_headline(schedule: pd.DataFrame) -> tuple[str, str]:
    from mentormatch.supervision import visit_figures

    f = visit_figures(schedule)
    return (
        f"实地督训：{int(f['mentors'])} 位带教老师全年走访 {int(f['visits'])} 次，每位每月平均 "
        f"{float(f['per_month_mean']):.1f} 次，一天最多 {int(f['per_day_max'])} 次。",
        f"On-site supervision: {int(f['mentors'])} mentors make {int(f['visits'])} visits in "
        f"the year, {float(f['per_month_mean']):.1f} a month each on average, at most "
        f"{int(f['per_day_max'])} a day.",
    )
