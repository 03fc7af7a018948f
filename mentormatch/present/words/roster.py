"""Part 01 of the report, the roster: the district at a glance, the published figures
against this roster's, and who is in it."""

from __future__ import annotations

import pandas as pd

from mentormatch import lang as _lang
from mentormatch.present.words._common import _n


def glance(d) -> pd.DataFrame:
    """The roster at a glance: one row per figure (``item``, ``value``), in the
    current language."""
    pick = _lang.pick
    post, mentees = d.in_post, d.mentees
    gone = len(d.secretaries) - len(post)
    capacity = int(d.mentors["capacity"].sum())
    waves = d.assessments["wave"]
    rows = [
        (pick("在任书记", "Secretaries in post"), _n(len(post))),
        (pick("已离任（名册中保留）", "Left the post (kept in the roster)"), _n(gone)),
        (pick("需要带教", "Need a mentor"), _n(len(mentees))),
        (
            pick("带教老师（名额）", "Mentors (places)"),
            f"{_n(len(d.mentors))}（{_n(capacity)}）"
            if _lang.current() == "zh"
            else f"{_n(len(d.mentors))} ({_n(capacity)})",
        ),
        (
            pick("实训基地（名额）", "Practice bases (places)"),
            f"{_n(len(d.bases))}（{_n(int(d.bases['capacity'].sum()))}）"
            if _lang.current() == "zh"
            else f"{_n(len(d.bases))} ({_n(int(d.bases['capacity'].sum()))})",
        ),
        (pick("街镇", "Sub-districts and towns"), _n(post["street_town"].nunique())),
        (
            pick("组织力测评", "Capacity assessments"),
            pick(
                f"{int(waves.min())}—{int(waves.max())} 年，{_n(len(waves))} 条",
                f"{int(waves.min())}-{int(waves.max())}, {_n(len(waves))} rows",
            )
            if len(waves)
            else pick("无", "none"),
        ),
        (
            pick("结对约束", "Pair rules"),
            _n(len(d.constraints)) if len(d.constraints) else pick("无", "none"),
        ),
        (
            pick("履职记录", "Career records"),
            _n(len(d.career)) if len(d.career) else pick("无", "none"),
        ),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])


_PUBLISHED_ZH = {"> 1/4": "超过 1/4", "about 5": "约 5"}


def published_figures(d) -> pd.DataFrame:
    """The seed article's figures for Putuo against this roster's (``item``,
    ``published``, ``this_roster``, ``met``)."""
    from mentormatch.synth import calibration_table

    t = calibration_table(d)
    zh = _lang.current() == "zh"
    published = t["published"].map(lambda v: _PUBLISHED_ZH.get(v, v) if zh else v).map(str)
    return pd.DataFrame(
        {
            "item": t["target_zh"] if zh else t["target"],
            "published": published,
            "this_roster": t["district"].map(str),
            "met": t["met"].astype(bool),
        }
    )


def roster_headline(d) -> tuple[str, str]:
    """Who is in the roster, in one sentence."""
    post = d.in_post
    units = post["street_town"].nunique()
    capacity = int(d.mentors["capacity"].sum())
    return (
        f"{units} 个街镇的在任书记 {_n(len(post))} 名，其中 {_n(len(d.mentees))} 名需要带教；"
        f"带教老师 {_n(len(d.mentors))} 名，共 {_n(capacity)} 个名额；"
        f"实训基地 {_n(len(d.bases))} 个。",
        f"{_n(len(post))} secretaries in post in "
        + ("1 sub-district or town" if units == 1 else f"{units} sub-districts and towns")
        + f", {_n(len(d.mentees))} of them needing a mentor; {_n(len(d.mentors))} mentors "
        f"with {_n(capacity)} places; {_n(len(d.bases))} practice bases.",
    )
