"""The project's vocabulary: every coded value with a Chinese and an English label.

This is the only module with Chinese labels of domain values; everything else refers
to the stable English codes. Files may use the codes, the Chinese labels, the English
labels or a listed alias; :func:`Vocabulary.parse` maps all of them to the code.

Sources: the seed article (dimensions, sources, figures), public division codes of
Putuo district (sub-districts and towns) and public pages on Shanghai housing types
(community types and their challenges). See ``../shared/DOMAIN.md``.
"""

from __future__ import annotations

from collections.abc import Iterable

from mentormatch.vocabulary import Term, Vocabulary, normalize_text

__all__ = [
    "Term",
    "Vocabulary",
    "STREET_TOWNS",
    "NEIGHBOURS",
    "COMMUNITY_TYPES",
    "TYPE_AFFINITY",
    "CHALLENGES",
    "DIMENSIONS",
    "SOURCES",
    "EDUCATION",
    "UNIVERSITY_LEVELS",
    "GENDERS",
    "CAREER_EVENTS",
    "CONSTRAINT_RULES",
    "COHORT_YEAR",
    "COHORTS",
    "FACILITATOR_TERMS",
    "SESSION_FORMATS",
    "TOPICS",
    "RECORD_KINDS",
    "VOCABULARIES",
    "normalize_text",
    "label",
]


# --- Sub-districts and towns of Putuo (public division codes, 2023) ------------------

STREET_TOWNS = Vocabulary(
    "street_town",
    (
        Term("caoyang", "曹杨新村街道", "Caoyang Xincun", ("曹杨新村", "曹杨")),
        Term("changfeng", "长风新村街道", "Changfeng Xincun", ("长风新村", "长风")),
        Term("changshou", "长寿路街道", "Changshou Lu", ("长寿路", "长寿")),
        Term("ganquan", "甘泉路街道", "Ganquan Lu", ("甘泉路", "甘泉")),
        Term("shiquan", "石泉路街道", "Shiquan Lu", ("石泉路", "石泉")),
        Term("yichuan", "宜川路街道", "Yichuan Lu", ("宜川路", "宜川")),
        Term("wanli", "万里街道", "Wanli", ("万里",)),
        Term("zhenru", "真如镇街道", "Zhenru Town", ("真如镇", "真如")),
        Term("changzheng", "长征镇", "Changzheng Town", ("长征",)),
        Term("taopu", "桃浦镇", "Taopu Town", ("桃浦",)),
    ),
)

#: Which sub-districts/towns share a border, read off public maps of Putuo (the district
#: runs from Suzhou Creek in the south-east to Taopu in the north-west). Approximate;
#: used only to score proximity as "neighbouring" rather than "far".
NEIGHBOURS: dict[str, frozenset[str]] = {}


def _border(a: str, *others: str) -> None:
    for b in others:
        NEIGHBOURS.setdefault(a, frozenset())
        NEIGHBOURS.setdefault(b, frozenset())
        NEIGHBOURS[a] = NEIGHBOURS[a] | {b}
        NEIGHBOURS[b] = NEIGHBOURS[b] | {a}


_border("changshou", "shiquan", "yichuan", "caoyang", "changfeng")
_border("shiquan", "yichuan", "ganquan", "caoyang")
_border("yichuan", "ganquan")
_border("ganquan", "caoyang", "zhenru")
_border("caoyang", "changfeng", "zhenru")
_border("changfeng", "zhenru", "changzheng")
_border("zhenru", "wanli", "changzheng", "taopu")
_border("wanli", "taopu")
_border("changzheng", "taopu")

# --- Community types and how related they are ----------------------------------------

COMMUNITY_TYPES = Vocabulary(
    "community_type",
    (
        Term(
            "old_public_housing",
            "工人新村/老公房",
            "Workers' village / old public housing",
            ("老公房", "工人新村", "old public housing", "workers' village"),
        ),
        Term(
            "sold_public_housing",
            "售后公房",
            "Former public flats sold to tenants",
            ("sold public housing",),
        ),
        Term(
            "resettlement",
            "动迁安置房",
            "Relocation-resettlement estate",
            ("动迁安置", "动迁房", "安置房", "resettlement estate"),
        ),
        Term("old_lane", "旧里/老式里弄", "Old lane housing", ("旧里", "老式里弄", "里弄")),
        Term("commercial", "商品房", "Commercial housing", ("商品房住宅",)),
        Term("mixed", "混合型", "Mixed estate", ("混合", "mixed estate")),
        Term("village", "村", "Village", ("行政村", "村委会")),
    ),
)

#: How much experience of one community type carries over to another, in [0, 1]
#: (1 on the diagonal). An assumption of this project, documented in data/README.md:
#: old public and sold public housing share their stock and residents; lane housing
#: and old public housing share ageing and renovation; a mixed estate shares half of
#: everything; a village shares little with urban estates except resettlement.
TYPE_AFFINITY: dict[tuple[str, str], float] = {}


def _affinity(a: str, b: str, value: float) -> None:
    TYPE_AFFINITY[(a, b)] = TYPE_AFFINITY[(b, a)] = value


for _t in COMMUNITY_TYPES.codes:
    _affinity(_t, _t, 1.0)
    if _t not in ("mixed",):
        _affinity(_t, "mixed", 0.5)
_affinity("mixed", "mixed", 1.0)
_affinity("village", "mixed", 0.25)
_affinity("old_public_housing", "sold_public_housing", 0.75)
_affinity("old_public_housing", "old_lane", 0.5)
_affinity("sold_public_housing", "old_lane", 0.25)
_affinity("resettlement", "old_public_housing", 0.25)
_affinity("resettlement", "sold_public_housing", 0.25)
_affinity("resettlement", "commercial", 0.25)
_affinity("resettlement", "village", 0.5)
_affinity("commercial", "sold_public_housing", 0.25)


def type_affinity(a: str, b: str) -> float:
    """How much experience of community type ``a`` counts for type ``b``.

    >>> type_affinity("old_public_housing", "sold_public_housing")
    0.75
    >>> type_affinity("commercial", "village")
    0.0
    """
    return TYPE_AFFINITY.get((a, b), 0.0)


# --- Challenges ------------------------------------------------------------------------

CHALLENGES = Vocabulary(
    "challenge",
    (
        Term("ageing", "人口老龄化", "Ageing population", ("老龄化",)),
        Term("lift_retrofit", "加装电梯", "Lift retrofit", ("加梯",)),
        Term("old_flat_renovation", "旧房成套改造", "Old-flat renovation", ("成套改造",)),
        Term("fire_safety", "消防安全", "Fire safety in rented flats", ("消防",)),
        Term("refuse_points", "垃圾厢房与环境", "Refuse points and environment"),
        Term("repairs_fund", "维修资金", "Repairs and maintenance fund", ("维修基金",)),
        Term("hardship", "困难群体帮扶", "Concentrated hardship", ("低保", "困难群体")),
        Term("public_order", "治安秩序", "Public order", ("治安",)),
        Term("missing_amenities", "配套设施不足", "Missing amenities", ("配套不足",)),
        Term(
            "relocation_disputes",
            "征收动迁矛盾",
            "Relocation and compensation disputes",
            ("动迁矛盾", "旧区改造", "征收"),
        ),
        Term("overcrowding", "居住拥挤", "Overcrowding"),
        Term(
            "owners_committee",
            "业委会与物业纠纷",
            "Owners' committee and property disputes",
            ("三驾马车", "业委会", "物业纠纷"),
        ),
        Term("facade_repair", "外墙修缮", "Facade repair", ("外墙脱落",)),
        Term("parking", "停车难", "Parking", ("停车",)),
        Term("elder_care", "养老服务", "Elder care", ("养老难", "养老")),
        Term("property_management", "物业管理难", "Property management", ("物业管理",)),
        Term("waste_sorting", "垃圾分类", "Waste sorting"),
        Term("elderly_alone", "独居老人", "Elderly living alone"),
        Term("group_renting", "群租", "Group renting", ("群租房",)),
        Term("dangerous_housing", "危房搬迁", "Dangerous-housing relocation", ("危房",)),
        Term("epidemic_control", "疫情防控", "Epidemic control"),
        Term("migrants", "外来人口管理", "Migrants", ("外来人口", "流动人口")),
        Term("collective_economy", "集体经济", "Collective economy (villages)"),
        Term("land_use", "土地与城镇化", "Land use and urbanisation", ("城镇化",)),
    ),
)

# --- Assessment ------------------------------------------------------------------------

DIMENSIONS = Vocabulary(
    "dimension",
    (
        Term("members_managed", "党员管得住", "Party members well managed"),
        Term("residents_follow", "群众愿意跟", "Residents willing to follow"),
        Term("leads_with_method", "引领有章法", "Leadership with method"),
        Term("delivers_fast", "工作落地快", "Work lands fast"),
    ),
)

SOURCES = Vocabulary(
    "source",
    (
        Term(
            "mentor_visit",
            "带教老师实地走访",
            "Mentor field visits, interviews and ledger checks",
            ("带教老师", "实地走访"),
        ),
        Term(
            "resident_qr",
            "居民无记名扫码打分",
            "Residents' anonymous QR scoring",
            ("居民扫码", "居民"),
        ),
        Term(
            "party_committee",
            "街镇党工委综合评分",
            "Sub-district/town Party committee score",
            ("街镇党工委", "街镇"),
        ),
        Term(
            "departments",
            "职能部门专业打分",
            "Functional departments' professional score",
            ("职能部门",),
        ),
    ),
)

# --- People ----------------------------------------------------------------------------

EDUCATION = Vocabulary(
    "education",
    (
        Term(
            "secondary",
            "高中/中专及以下",
            "Secondary or below",
            ("高中", "中专", "初中", "高中及以下"),
        ),
        Term("junior_college", "大专", "Junior college", ("专科", "大学专科")),
        Term("bachelor", "大学本科", "Bachelor's degree", ("本科", "学士")),
        Term("postgraduate", "研究生", "Postgraduate", ("硕士", "博士", "研究生及以上")),
    ),
)

#: "University degree or higher" (大学及以上学历) as the seed article counts it: we read
#: it as a bachelor's degree or above (本科及以上). An assumption.
UNIVERSITY_LEVELS = frozenset({"bachelor", "postgraduate"})

GENDERS = Vocabulary(
    "gender",
    (
        Term("female", "女", "Female", ("f", "女性")),
        Term("male", "男", "Male", ("m", "男性")),
    ),
)

CAREER_EVENTS = Vocabulary(
    "career_event",
    (
        Term("promoted", "职级晋升", "Rank promotion", ("岗位等级晋升", "晋升")),
        Term(
            "civil_servant",
            "定向招录公务员",
            "Recruited as civil servant",
            ("公务员", "招录公务员"),
        ),
        Term("left", "离任", "Left the post", ("离职", "调离")),
    ),
)

CONSTRAINT_RULES = Vocabulary(
    "rule",
    (
        Term("forbid", "禁止", "Forbid", ("回避", "不得", "no")),
        Term("keep", "保留", "Keep", ("保持", "必须", "yes")),
    ),
)

#: Secretaries born in this year or later form the young cohort (the seed article
#: counts those "born in the 1980s or 1990s").
COHORT_YEAR = 1980
#: The young and the older cohort.
COHORTS = Vocabulary(
    "cohort",
    (
        Term("born_1980_or_later", "1980年及以后出生", "Born 1980 or later", ("80后", "90后")),
        Term("born_before_1980", "1980年以前出生", "Born before 1980"),
    ),
)
#: Facilitator or not, as a balance variable.
FACILITATOR_TERMS = Vocabulary(
    "facilitator",
    (
        Term("facilitator", "主持人", "Facilitator"),
        Term("other", "其他成员", "Other member"),
    ),
)
# --- Training, inspection and the salon ----------------------------------------------

#: The programme's training formats (seed): the launch class for new secretaries,
#: centralized rotation training, bimonthly selected training chosen by need, and a
#: mentor's small class.
SESSION_FORMATS = Vocabulary(
    "session_format",
    (
        Term("launch_class", "启航班", "Launch class", ("启航",)),
        Term("centralized", "集中轮训", "Centralized rotation training", ("轮训",)),
        Term("elective", "双月选训", "Bimonthly selected training", ("选训",)),
        Term("small_class", "小班带训", "Small-class mentoring", ("小班",)),
    ),
)
#: What a session teaches, an inspection finds or a salon discusses: a dimension of the
#: capacity index or a challenge (the same codes and labels as theirs).
TOPICS = Vocabulary("topic", DIMENSIONS.terms + CHALLENGES.terms)
#: What a salon record is: an idea, a case, a question or the answer to one.
RECORD_KINDS = Vocabulary(
    "record_kind",
    (
        Term("idea", "金点子", "Idea"),
        Term("case", "好案例", "Case", ("案例",)),
        Term("question", "疑问", "Question", ("问题",)),
        Term("answer", "答复", "Answer", ("解答", "回答")),
    ),
)
VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v
    for v in (
        STREET_TOWNS,
        COMMUNITY_TYPES,
        CHALLENGES,
        DIMENSIONS,
        SOURCES,
        EDUCATION,
        GENDERS,
        CAREER_EVENTS,
        CONSTRAINT_RULES,
        COHORTS,
        FACILITATOR_TERMS,
        SESSION_FORMATS,
        TOPICS,
        RECORD_KINDS,
    )
}


def label(vocabulary: str, code: str, lang: str = "zh") -> str:
    """The label of ``code`` in the named vocabulary.

    >>> label("challenge", "lift_retrofit"), label("challenge", "lift_retrofit", "en")
    ('加装电梯', 'Lift retrofit')
    """
    return VOCABULARIES[vocabulary][code].label(lang)


def labels(vocabulary: str, codes: Iterable[str], lang: str = "zh", sep: str = "、") -> str:
    """Labels of several codes joined for display."""
    return sep.join(label(vocabulary, c, lang) for c in codes)
