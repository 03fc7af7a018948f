"""What the supervision calendar says to people, in Chinese and English: column headers,
weekdays and months, how often a mentee is visited, and the sentences of its errors."""

from __future__ import annotations

__all__ = [
    "VISIT_LABELS",
    "WEEKDAYS",
    "MONTHS",
    "rhythm",
    "month_name",
    "ids_text",
    "ERRORS",
]

#: Headers of the calendar's columns (and of its workbook's): (Chinese, English, kind).
VISIT_LABELS: dict[str, tuple[str, str, str]] = {
    "mentor_id": ("带教老师编号", "Mentor ID", "text"),
    "secretary_id": ("书记编号", "Secretary ID", "text"),
    "month": ("月份", "Month", "text"),
    "date": ("日期", "Date", "int"),
    "weekday": ("星期", "Weekday", "text"),
    "order": ("当日顺序", "Order in the day", "int"),
    "street_town": ("街镇", "Sub-district/town", "vocab:street_town"),
    "visit_no": ("第几次走访", "Visit no.", "int"),
    "mentor_name": ("带教老师", "Mentor", "text"),
    "secretary_name": ("书记", "Secretary", "text"),
    "community_name": ("居民区", "Community", "text"),
    "visits": ("走访次数", "Visits", "int"),
    "days": ("走访天数", "Visit days", "int"),
    "mentees": ("走访书记", "Secretaries visited", "int"),
    "total": ("合计", "Total", "int"),
}

#: Monday to Sunday.
WEEKDAYS = {
    "zh": ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
#: January to December (Chinese: 1月 ... 12月).
MONTHS = {
    "zh": tuple(f"{m}月" for m in range(1, 13)),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

_RHYTHM = {
    1: ("全年一次", "once a year"),
    2: ("每半年一次", "once every half year"),
    3: ("每四个月一次", "once every four months"),
    4: ("每季度一次", "once a quarter"),
    6: ("每两个月一次", "once every two months"),
    12: ("每月一次", "once a month"),
}


def rhythm(visits: int, lang: str) -> str:
    """How often a mentee is visited, in words.

    >>> rhythm(4, "zh"), rhythm(5, "en")
    ('每季度一次', 'once in each fifth of the year')
    """
    if visits in _RHYTHM:
        return _RHYTHM[visits][0 if lang == "zh" else 1]
    if lang == "zh":
        return f"全年分为 {visits} 段、每段一次"
    ordinal = {5: "fifth", 7: "seventh", 8: "eighth", 9: "ninth", 10: "tenth", 11: "eleventh"}
    return f"once in each {ordinal.get(visits, f'1/{visits}')} of the year"


def month_name(month: str, lang: str) -> str:
    """``"2025-03"`` as a heading: ``2025年3月`` / ``March 2025``.

    >>> month_name("2025-03", "zh"), month_name("2025-03", "en")
    ('2025年3月', 'March 2025')
    """
    year, m = month.split("-")
    if lang == "zh":
        return f"{year}年{int(m)}月"
    return f"{MONTHS['en'][int(m) - 1]} {year}"


def ids_text(ids, lang: str, shown: int = 5) -> str:
    """A few IDs for a message: ``S901、S902 等 7 人`` / ``S901, S902 and 5 more``."""
    ids = [str(i) for i in ids]
    head = ids[:shown]
    if lang == "zh":
        return "、".join(head) + (f" 等 {len(ids)} 人" if len(ids) > shown else "")
    rest = len(ids) - shown
    return ", ".join(head) + (f" and {rest} more" if rest > 0 else "")


#: Error sentences, (English, Chinese), filled with ``str.format``.
ERRORS: dict[str, tuple[str, str]] = {
    "visits": (
        "visits (how often each mentee is visited in the year) must be a whole number from "
        "1 to 12, not {value}; give for example visits=4 (once a quarter).",
        "visits（每名书记每年的走访次数）应为 1 到 12 之间的整数，而不是 {value}；"
        "例如 visits=4（每季度一次）。",
    ),
    "max_per_day": (
        "max_per_day (the most visits a mentor makes in one day) must be a whole number "
        "of at least 1, not {value}; give for example max_per_day=3.",
        "max_per_day（带教老师一天最多走访的次数）应为不小于 1 的整数，而不是 {value}；"
        "例如 max_per_day=3。",
    ),
    "year": (
        "year must be a year from 1900 to 2100, not {value}; give for example year=2025.",
        "year 应为 1900 到 2100 之间的年份，而不是 {value}；例如 year=2025。",
    ),
    "no_year": (
        "No year to plan the visits for: the district has no assessments and no years of "
        "appointment; give it, for example year=2025.",
        "无法确定走访年份：该区既没有组织力评估，也没有任职年份；请指定年份，例如 year=2025。",
    ),
    "closed": (
        "closed must list dates on which no visits are made (for example '2025-01-29'), "
        "not {value}; write each as year-month-day.",
        "closed 应列出不安排走访的日期（例如 '2025-01-29'），而不是 {value}；请按“年-月-日”填写。",
    ),
    "plan": (
        "plan must be a Plan from mm.match(d) or a Series secretary_id -> mentor_id, not "
        "{value}; match the district first.",
        "plan 应为 mm.match(d) 得到的结对方案，或以书记编号为索引、带教老师编号为值的 "
        "Series，而不是 {value}；请先为该区结对。",
    ),
    "twice": (
        "The plan places {ids} more than once; give each secretary one mentor.",
        "结对方案中 {ids} 出现了不止一次；每名书记只应有一位带教老师。",
    ),
    "unknown_secretaries": (
        "The plan places secretaries the district does not have ({ids}); make the plan "
        "from this district (mm.match(d)).",
        "结对方案中有该区名册没有的书记（{ids}）；请用该区的名册结对（mm.match(d)）。",
    ),
    "departed": (
        "The plan places secretaries who have left the post ({ids}); make the plan again "
        "from this district (mm.match(d)).",
        "结对方案中有已离任的书记（{ids}）；请用该区的名册重新结对（mm.match(d)）。",
    ),
    "unknown_mentors": (
        "The plan names mentors the district does not have ({ids}); make the plan from "
        "this district (mm.match(d)).",
        "结对方案中有该区名册没有的带教老师（{ids}）；请用该区的名册结对（mm.match(d)）。",
    ),
    "too_many_days": (
        "Mentor {name} ({mentor}) needs {days} visit days in each of the {visits} parts of "
        "{year} to see {mentees} mentees at most {per_day} a day, but the part from "
        "{start} has only {room} working days; allow more visits a day (max_per_day) or "
        "fewer visits a year (visits).",
        "带教老师{name}（{mentor}）要在 {year} 年的 {visits} 个时段内各走访 {mentees} 名书记、"
        "每天最多 {per_day} 次，每个时段需要 {days} 个走访日，但从 {start} 起的时段只有 "
        "{room} 个工作日；请提高每天走访上限（max_per_day）或减少全年走访次数（visits）。",
    ),
}
