"""The training plan's sentences in Chinese and English (domain labels come from vocab)."""

from __future__ import annotations

from mentormatch.vocab import TOPICS

__all__ = ["WORDS", "say", "topic_label"]

#: Sentence templates: key -> (Chinese, English), filled with ``str.format``.
WORDS: dict[str, tuple[str, str]] = {
    "title": ("{year} 年培训安排", "Training plan for {year}"),
    "launch": (
        "启航班：{n} 名新任书记（{first}—{year} 年任职），分 {k} 个班，每班 {low}—{high} 人",
        "Launch class: {n} new secretaries (appointed {first}-{year}) in {k} classes of "
        "{low}-{high}",
    ),
    "launch_even": (
        "启航班：{n} 名新任书记（{first}—{year} 年任职），分 {k} 个班，每班 {low} 人",
        "Launch class: {n} new secretaries (appointed {first}-{year}) in {k} classes of {low}",
    ),
    "launch_one": (
        "启航班：{n} 名新任书记（{first}—{year} 年任职），编为 1 个班",
        "Launch class: {n} new secretaries (appointed {first}-{year}) in one class",
    ),
    "launch_none": (
        "启航班：{first}—{year} 年没有新任书记",
        "Launch class: no secretary was appointed in {first}-{year}",
    ),
    "electives": (
        "双月选训：{n} 门课程，{seats} 个名额，已安排 {filled} 个（空余 {empty} 个），"
        "{people} 名书记参加，每人至多 {per} 门",
        "Electives: {n} sessions, {seats} seats, {filled} filled ({empty} empty), "
        "{people} secretaries attend, at most {per} each",
    ),
    "electives_none": (
        "双月选训：{year} 年没有选训课程",
        "Electives: no elective session in {year}",
    ),
    "need": (
        "满足需求 {met:.1f} 分，占名额不限时可满足需求（{wanted:.1f} 分）的 {share:.0%}；"
        "按需求从高到低依次安排（贪心）为 {greedy:.1f} 分，最优安排多 {gain:.1f} 分",
        "Need met {met:.1f} points, {share:.0%} of what unlimited seats would meet "
        "({wanted:.1f}); highest need first (greedy) meets {greedy:.1f}, the optimum "
        "{gain:.1f} more",
    ),
    "by_topic": ("各维度满足需求：{parts}", "Need met by dimension: {parts}"),
    "challenges": ("难题", "challenges"),
    "small": (
        "小班带训：{n} 个小班，{people} 名书记，每月一次",
        "Small classes: {n} classes, {people} mentees, monthly",
    ),
    "small_none": ("小班带训：没有结对的书记", "Small classes: no mentee is placed"),
    "rule": (
        "需求的算法：维度课程为书记最近一次测评（{year} 年以前）该维度"
        "低于全区在任书记平均分的分差，高于平均为 0，未测评者按平均计；"
        "难题课程为 {challenge:g} 分（书记名列该难题时）；"
        "新任书记（{new_first} 年及以后任职）在{foundational}上的需求乘以 {weight:g}。",
        "How need is measured: for a dimension, how far the secretary's latest score "
        "(before {year}) lies below the mean of the secretaries in post, 0 above it, the "
        "mean for those never assessed; for a challenge, {challenge:g} points if the "
        "secretary names it; new secretaries (appointed {new_first} or later) have their "
        "need on {foundational} multiplied by {weight:g}.",
    ),
    "repeat": (
        "{years} 年内参加过同一主题选训的书记不再安排该主题。",
        "A secretary who attended a topic in the {years} years before is not seated on it again.",
    ),
    "synthetic": ("本安排基于合成数据。", "Made from synthetic data."),
    "monthly": ("{year} 年每月一次（1—12 月）", "monthly in {year} (January to December)"),
}


def say(key: str, lang: str = "zh", **values) -> str:
    """The sentence ``key`` in ``lang``, filled in.

    >>> say("small", "en", n=2, people=9)
    'Small classes: 2 classes, 9 mentees, monthly'
    """
    zh, en = WORDS[key]
    return (zh if lang == "zh" else en).format(**values)


def topic_label(code: object, lang: str = "zh") -> str | None:
    """The label of a topic code (a dimension or a challenge), or None when missing.

    >>> topic_label("members_managed"), topic_label("parking", "en")
    ('党员管得住', 'Parking')
    """
    if isinstance(code, str) and code in TOPICS:
        return TOPICS[code].label(lang)
    return None
