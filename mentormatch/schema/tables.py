"""The tables of a District, declared once: columns, types, allowed values, ranges,
keys, references and Chinese headers.

A :class:`~mentormatch.region.Region` holds the same tables as integer codes; which
District column each Region column holds, and how, is declared beside these in
:data:`mentormatch.schema.region.REGION_TABLES`.
"""

from __future__ import annotations

import pandas as pd

from mentormatch.schema.columns import Column, Table
from mentormatch.vocab import (
    CAREER_EVENTS,
    CHALLENGES,
    COMMUNITY_TYPES,
    CONSTRAINT_RULES,
    DIMENSIONS,
    EDUCATION,
    GENDERS,
    RECORD_KINDS,
    SESSION_FORMATS,
    SOURCES,
    STREET_TOWNS,
    TOPICS,
)

__all__ = [
    "TABLES",
    "TABLE_ORDER",
    "REQUIRED_TABLES",
    "empty_table",
    "SECRETARIES",
    "MENTORS",
    "BASES",
    "ASSESSMENTS",
    "CONSTRAINTS",
    "CAREER",
    "SESSIONS",
    "FINDINGS",
    "SALON_RECORDS",
    "TRAINING_LOG",
]


def _c(name: str, kind: str, zh: str, *aliases: str, **kw) -> Column:
    return Column(name, kind, zh, tuple(aliases), **kw)


#: The roster's notes (备注: 产假中, 拟调任...), carried as they are into plans.
_NOTE = _c(
    "note",
    "text",
    "备注",
    "说明",
    "备注说明",
    required=False,
    written_if_empty=False,
    doc="the roster's notes, free text (产假中, 拟调任); carried into plans; "
    "left out of saved files when empty",
)

SECRETARIES = Table(
    "secretaries",
    "书记",
    (
        _c("secretary_id", "id", "书记编号", "编号", "工号", doc="unique ID of the secretary"),
        _c("name", "text", "姓名", doc="name (synthetic in the sample)"),
        _c("gender", "vocab", "性别", vocab=GENDERS),
        _c("birth_year", "year", "出生年份", "出生年月", "出生日期", low=1940, high=2010),
        _c("education", "vocab", "学历", "文化程度", vocab=EDUCATION),
        _c(
            "appointed_year",
            "year",
            "任职年份",
            "任职时间",
            "任书记年份",
            low=1980,
            high=2035,
            doc="year appointed secretary of the current community",
        ),
        _c("street_town", "vocab", "街镇", "所属街镇", vocab=STREET_TOWNS),
        _c("community_id", "id", "居民区编号", "居村编号", "社区编号"),
        _c("community_name", "text", "居民区", "居民区名称", "居村", "社区"),
        _c("community_type", "vocab", "小区类型", vocab=COMMUNITY_TYPES, loose=("类型",)),
        _c("households", "int", "户数", "居民户数", low=0, high=100_000, unit="households"),
        _c(
            "share_aged_60_plus",
            "share",
            "60岁以上占比",
            "60岁及以上占比",
            loose=("老年人口占比", "老龄化率"),
            low=0,
            high=1,
            unit="share of residents",
        ),
        _c("challenges", "vocab_list", "主要难题", "难题", vocab=CHALLENGES),
        _c(
            "prior_communities",
            "id_list",
            "曾任职居民区",
            "曾任职居民区编号",
            required=False,
            doc="IDs of communities served earlier (may lie outside the district)",
        ),
        _c("needs_mentor", "bool", "需要带教", "是否需要带教"),
        _c(
            "mentored_since",
            "year",
            "带教起始年份",
            "开始带教年份",
            required=False,
            low=2000,
            high=2035,
            doc="year the secretary first had a mentor; empty if never",
        ),
        _c(
            "previous_mentor_id",
            "id",
            "原带教老师编号",
            loose=("原带教老师",),
            required=False,
            doc="mentor in the previous cycle (may have left the programme); empty if none",
        ),
        _NOTE,
    ),
    key=("secretary_id",),
    doc="one row per secretary (in post or departed: see career)",
)

MENTORS = Table(
    "mentors",
    "带教老师",
    (
        _c("mentor_id", "id", "带教老师编号", "编号"),
        _c("name", "text", "姓名"),
        _c("street_town", "vocab", "街镇", "所属街镇", vocab=STREET_TOWNS),
        _c("community_id", "id", "居民区编号", "居村编号"),
        _c("years_as_secretary", "int", "书记年限", "任书记年限", low=0, high=60, unit="years"),
        _c(
            "community_types",
            "vocab_list",
            "熟悉小区类型",
            vocab=COMMUNITY_TYPES,
            loose=("小区类型",),
        ),
        _c("expertise", "vocab_list", "擅长领域", "专长", vocab=CHALLENGES),
        _c("capacity", "int", "带教名额", "最多带教人数", low=0, unit="mentees"),
        _c("min_load", "int", "最少带教人数", required=False, low=0, unit="mentees"),
        _NOTE,
    ),
    key=("mentor_id",),
    doc="one row per mentor (带教老师)",
)

BASES = Table(
    "bases",
    "实训基地",
    (
        _c("base_id", "id", "基地编号", "编号"),
        _c("name", "text", "基地名称", "名称"),
        _c("community_id", "id", "居民区编号", "居村编号"),
        _c("street_town", "vocab", "街镇", "所属街镇", vocab=STREET_TOWNS),
        _c("themes", "vocab_list", "带教主题", "主题", vocab=CHALLENGES),
        _c("capacity", "int", "容量", "接待名额", low=0, unit="trainees"),
    ),
    key=("base_id",),
    aliases=("实教实训基地", "基地"),
    doc="one row per practice base (实教实训基地)",
)

ASSESSMENTS = Table(
    "assessments",
    "测评",
    (
        _c("secretary_id", "id", "书记编号", "编号"),
        _c("wave", "year", "年度", "年份", low=2000, high=2035),
        _c("dimension", "vocab", "维度", "评估维度", vocab=DIMENSIONS),
        _c("source", "vocab", "来源", "评价来源", vocab=SOURCES),
        _c("score", "float", "得分", "分数", low=0, high=100, unit="points"),
        _c("n_raters", "int", "评价人数", loose=("人数",), low=1, high=100_000, unit="raters"),
    ),
    key=("secretary_id", "wave", "dimension", "source"),
    references=(("secretary_id", "secretaries", "secretary_id"),),
    aliases=("组织力评估", "评估"),
    doc="organizational-capacity assessment, long form",
)

CONSTRAINTS = Table(
    "constraints",
    "约束",
    (
        _c("secretary_id", "id", "书记编号"),
        _c("mentor_id", "id", "带教老师编号"),
        _c("rule", "vocab", "规则", vocab=CONSTRAINT_RULES),
    ),
    key=("secretary_id", "mentor_id"),
    references=(
        ("secretary_id", "secretaries", "secretary_id"),
        ("mentor_id", "mentors", "mentor_id"),
    ),
    doc="pairs to forbid or to keep",
)

CAREER = Table(
    "career",
    "履职",
    (
        _c("secretary_id", "id", "书记编号"),
        _c("event", "vocab", "事件", vocab=CAREER_EVENTS),
        _c("year", "year", "年份", low=2000, high=2035),
    ),
    key=("secretary_id", "event", "year"),
    references=(("secretary_id", "secretaries", "secretary_id"),),
    doc="career events: promoted, recruited as civil servant, left",
)

SESSIONS = Table(
    "sessions",
    "培训课程",
    (
        _c("session_id", "id", "课程编号", "编号", doc="unique ID of the session"),
        _c("format", "vocab", "培训形式", "形式", "类别", vocab=SESSION_FORMATS),
        _c("month", "month", "月份", "培训月份", "时间", doc="year and month of the session"),
        _c(
            "topic",
            "vocab",
            "主题",
            "培训主题",
            vocab=TOPICS,
            required=False,
            doc="what it teaches: a capacity-index dimension or a challenge; empty for a "
            "general session (a launch class, centralized training)",
        ),
        _c("capacity", "int", "名额", "座位数", "人数上限", low=0, unit="seats"),
        _c(
            "base_id",
            "id",
            "基地编号",
            required=False,
            doc="the practice base it is held at (a past session's base may have closed)",
        ),
        _c(
            "mentor_id",
            "id",
            "带教老师编号",
            required=False,
            doc="the mentor who teaches it (a past session's mentor may have left the programme)",
        ),
    ),
    key=("session_id",),
    aliases=("课程", "培训"),
    doc="training sessions, past and planned: launch class (启航班), centralized rotation "
    "training (集中轮训), bimonthly electives (双月选训), small classes (小班带训)",
)

FINDINGS = Table(
    "findings",
    "督查发现",
    (
        _c("finding_id", "id", "发现编号", "编号"),
        _c("secretary_id", "id", "书记编号"),
        _c(
            "mentor_id",
            "id",
            "带教老师编号",
            required=False,
            doc="who found it (may have left the programme since)",
        ),
        _c("month", "month", "月份", "督查月份", "时间"),
        _c("issue", "vocab", "问题类别", "问题", vocab=TOPICS, doc="a dimension or a challenge"),
        _c("note", "text", "情况说明", "备注", "说明", required=False),
    ),
    key=("finding_id",),
    references=(("secretary_id", "secretaries", "secretary_id"),),
    aliases=("督查", "实地督训发现"),
    doc="problems found on on-site supervision (实地督训): they steer the salon's topics",
)

SALON_RECORDS = Table(
    "salon_records",
    "沙龙记录",
    (
        _c("record_id", "id", "记录编号", "编号"),
        _c("month", "month", "月份", "时间"),
        _c("group", "int", "小组", "组别", "组号", low=1, unit="group number"),
        _c("topic", "vocab", "主题", "议题", vocab=TOPICS),
        _c("secretary_id", "id", "书记编号", required=False, doc="who contributed it"),
        _c("kind", "vocab", "类别", "记录类别", vocab=RECORD_KINDS),
        _c("text", "text", "内容", "记录内容"),
        _c(
            "reply_to",
            "id",
            "答复对象",
            "所答疑问编号",
            required=False,
            doc="for an answer: the record_id of the question it answers",
        ),
    ),
    key=("record_id",),
    references=(("secretary_id", "secretaries", "secretary_id"),),
    aliases=("沙龙", "一午一时"),
    doc="what the monthly salon (一午一时) produced: ideas (金点子), cases (好案例), "
    "questions (疑问) and their answers (答复); compiled into the casebook",
)

TRAINING_LOG = Table(
    "training_log",
    "培训签到",
    (
        _c("secretary_id", "id", "书记编号"),
        _c("session_id", "id", "课程编号"),
    ),
    key=("secretary_id", "session_id"),
    references=(
        ("secretary_id", "secretaries", "secretary_id"),
        ("session_id", "sessions", "session_id"),
    ),
    aliases=("签到", "培训记录"),
    doc="who attended which past session",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        SECRETARIES,
        MENTORS,
        BASES,
        ASSESSMENTS,
        CONSTRAINTS,
        CAREER,
        SESSIONS,
        FINDINGS,
        SALON_RECORDS,
        TRAINING_LOG,
    )
}
TABLE_ORDER = tuple(TABLES)
#: Tables a District cannot do without; the others may be absent (then empty).
REQUIRED_TABLES = ("secretaries", "mentors")


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the right columns and dtypes."""
    table = TABLES[name]
    return pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in table.columns})
