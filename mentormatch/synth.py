"""A synthetic district calibrated to the published figures of Putuo's programme.

No real roster is public, so the project ships synthetic data. The default district
matches every figure the seed article publishes (282 secretaries in post, over 1/4
born in 1980 or later, exactly 139 with a university degree, 13 mentors, 20 practice
bases, 10 sub-districts/towns with 3 villages in Taopu, 6 rank promotions, 4 recruited
as civil servants) and the domain brief's community types and challenges. Everything
else is an assumption, stated as a module constant below so that a reader can see it
and a researcher can change it.

The assessment panel (waves 2018-2024) is generated from a model with a known
mentoring effect, :data:`MENTORING_EFFECT`, so that the evaluation notebooks can show
an estimator recovering it. Score of secretary *i*, wave *w*, dimension *d*, source *s*::

    score = BASE_SCORE + ability_i + dim_i,d + YEAR_TREND * (w - 2018)
            + EXPERIENCE_GAIN * (w - appointed_i) + SOURCE_BIAS_s
            + effect * [mentored_since_i <= w] + noise_s

(clipped to 0-100). The effect is constant over time and across people, so that a
two-way fixed-effects difference-in-differences is unbiased for it.

Names are synthetic: common surnames and given-name characters drawn at random, never
the names of people in the article.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.vocab import (
    CHALLENGES,
    COMMUNITY_TYPES,
    DIMENSIONS,
    EDUCATION,
    NEIGHBOURS,
    SOURCES,
    STREET_TOWNS,
    type_affinity,
)

__all__ = [
    "synthesize_district",
    "SynthTruth",
    "MENTORING_EFFECT",
    "PUBLISHED",
    "UNIT_COUNTS",
]

# --- Published figures (seed article and public division pages) ----------------------

#: The figures the default synthetic district reproduces exactly.
PUBLISHED = {
    "secretaries_in_post": 282,
    "born_1980_or_later_share_min": 0.25,
    "university_degree": 139,
    "mentors": 13,
    "practice_bases": 20,
    "street_towns": 10,
    "villages_in_taopu": 3,
    "promoted": 6,
    "civil_servant": 4,
    "programme_start": 2018,
}

#: Residents' and village committees per sub-district/town. Known: Shiquan 28, Zhenru 36,
#: Changshou 35, Changfeng ~24, Caoyang ~20 (public pages). The remaining 139 are
#: allocated by us so that the district totals 282 (an assumption).
UNIT_COUNTS = {
    "caoyang": 20,
    "changfeng": 24,
    "changshou": 35,
    "ganquan": 25,
    "shiquan": 28,
    "yichuan": 27,
    "wanli": 30,
    "zhenru": 36,
    "changzheng": 27,
    "taopu": 30,
}
VILLAGE_NAMES = ("金光村", "祁连村", "春光村")
VILLAGE_UNIT = "taopu"

# --- Assumptions --------------------------------------------------------------------

#: True effect of mentoring on every assessment score, in points on the 0-100 scale,
#: from the first wave of mentoring on. Meta-analyses find small effects (r ~ .1-.2);
#: 4 points is about a third of a standard deviation of the capacity index here.
MENTORING_EFFECT = 4.0
BASE_SCORE = 70.0
ABILITY_SD = 6.0
DIMENSION_SD = 3.0
YEAR_TREND = 0.5
EXPERIENCE_GAIN = 0.5
SOURCE_BIAS = {"mentor_visit": 0.0, "resident_qr": 3.0, "party_committee": 1.0, "departments": -2.0}
NOISE_SD = {"mentor_visit": 4.0, "resident_qr": 2.0, "party_committee": 3.0, "departments": 4.0}
#: Residents' scores are averages over raters: their noise shrinks with 1/sqrt(raters).
RESIDENT_RATER_SD = 14.0
RESIDENT_RATERS_MEAN = 16.0
WAVES = (2018, 2024)
CURRENT_YEAR = 2025
#: Mentees per mentor (Putuo's 2018 studio: 6 mentors for 30 young secretaries).
MENTEES_PER_MENTOR = 5.0
#: Total mentor places over demand: a little slack, as planners keep.
CAPACITY_SLACK = 1.1
BASE_CAPACITY_SLACK = 1.25
#: Who is eligible for mentoring: born in or after this year, or appointed in or after.
ELIGIBLE_BORN = 1988
ELIGIBLE_APPOINTED = 2018
#: Yearly chance that an eligible secretary enters the programme.
ENTRY_RATE = 0.45
#: Share of last cycle's mentees who stay on for a second year.
SECOND_YEAR_SHARE = 0.5
#: Mean years in post of a secretary (exponential; one in 11 is new each year).
MEAN_TENURE = 11.0
#: Share of secretaries who have left since 2018, as departed rows (for retention).
DEPARTED_SHARE = 0.12

# Secretaries: assumptions, except where a published figure is named.

#: Share of secretaries in post born 1980 or later (the article: "over 1/4").
YOUNG_SHARE = 0.32
#: The same share among those who left since 2018: young secretaries leave more often
#: (they look for a career), so the departed are a younger mix.
DEPARTED_YOUNG_SHARE = 0.55
#: Share of women among secretaries (an assumption).
FEMALE_SHARE = 0.68
#: Among secretaries with a degree, the share with a postgraduate one: born 1985 or
#: later, and born earlier.
POSTGRADUATE_SHARE_YOUNG = 0.2
POSTGRADUATE_SHARE_OLDER = 0.08
#: Among secretaries without a degree, the share from a junior college (the rest:
#: secondary school).
JUNIOR_COLLEGE_SHARE = 0.65
#: Spread of communities around their type's mean share of residents aged 60+ (the
#: concentration of a beta distribution: larger is narrower) and around its median
#: number of households (lognormal sd).
SHARE_60_CONCENTRATION = 30.0
HOUSEHOLDS_SD = 0.35

# Mentors: experienced secretaries, each knowing a few community types and challenges.

#: Years a mentor has been a secretary, lowest and highest.
MENTOR_YEARS = (12, 30)
#: Community types a mentor knows besides the own community's, fewest and most; a type
#: is picked with weight ``KNOWN_TYPE_WEIGHT + type_affinity(own, type)``.
EXTRA_KNOWN_TYPES = (1, 2)
KNOWN_TYPE_WEIGHT = 0.3
#: Challenges a mentor has expertise in, fewest and most (picked by their prevalence in
#: the types the mentor knows).
EXPERTISE_COUNT = (4, 7)
#: Share of mentors with a min load (the district wants them to take at least
#: ``MIN_LOAD`` mentees, to keep their practice going), and that load.
MIN_LOAD_SHARE = 0.25
MIN_LOAD = 2
#: Capacities (of mentors and of bases) spread around an even share of the places by
#: up to this many, either way.
CAPACITY_JITTER = 1

# Earlier posts (as social worker or deputy), as in the seed article's pair.

#: Share of secretaries who served earlier in another community nearby, and among them
#: the share who served in two.
PRIOR_SHARE = 0.35
SECOND_PRIOR_SHARE = 0.3
#: Share of mentees who served earlier in a nearby mentor's community.
MENTOR_HISTORY_SHARE = 0.2

# Practice bases.

#: Themes a base adds to its leading challenge from its own community's, fewest and most.
BASE_EXTRA_THEMES = (1, 3)

#: Community-type mix per sub-district/town (old public, sold public, resettlement,
#: old lane, commercial, mixed): Caoyang is Shanghai's first workers' village; Taopu and
#: Changzheng hold most resettlement estates; Changshou keeps old lanes. Assumptions.
_TYPE_ORDER = (
    "old_public_housing",
    "sold_public_housing",
    "resettlement",
    "old_lane",
    "commercial",
    "mixed",
)
TYPE_MIX = {
    "caoyang": (0.50, 0.20, 0.05, 0.03, 0.12, 0.10),
    "changfeng": (0.15, 0.15, 0.10, 0.02, 0.40, 0.18),
    "changshou": (0.15, 0.20, 0.05, 0.15, 0.35, 0.10),
    "ganquan": (0.35, 0.25, 0.08, 0.05, 0.15, 0.12),
    "shiquan": (0.30, 0.25, 0.10, 0.08, 0.15, 0.12),
    "yichuan": (0.30, 0.25, 0.10, 0.07, 0.15, 0.13),
    "wanli": (0.05, 0.10, 0.15, 0.00, 0.55, 0.15),
    "zhenru": (0.20, 0.20, 0.15, 0.05, 0.25, 0.15),
    "changzheng": (0.05, 0.10, 0.30, 0.00, 0.40, 0.15),
    "taopu": (0.05, 0.05, 0.40, 0.00, 0.35, 0.15),
}

#: Probability of each challenge by community type (domain brief); unlisted ones take
#: the cross-cutting rate in ``_COMMON`` or 0.03.
_COMMON = {
    "parking": 0.3,
    "waste_sorting": 0.25,
    "elderly_alone": 0.2,
    "elder_care": 0.15,
    "property_management": 0.15,
    "group_renting": 0.1,
    "epidemic_control": 0.08,
}
CHALLENGE_RATES = {
    "old_public_housing": {
        "ageing": 0.7,
        "lift_retrofit": 0.6,
        "old_flat_renovation": 0.35,
        "fire_safety": 0.3,
        "elderly_alone": 0.45,
        "elder_care": 0.35,
        "group_renting": 0.25,
        "refuse_points": 0.2,
        "owners_committee": 0.02,
    },
    "sold_public_housing": {
        "ageing": 0.5,
        "refuse_points": 0.4,
        "repairs_fund": 0.45,
        "lift_retrofit": 0.35,
        "elderly_alone": 0.3,
        "property_management": 0.3,
        "owners_committee": 0.1,
    },
    "resettlement": {
        "hardship": 0.55,
        "public_order": 0.45,
        "missing_amenities": 0.45,
        "relocation_disputes": 0.3,
        "group_renting": 0.25,
        "property_management": 0.3,
        "owners_committee": 0.08,
        "land_use": 0.05,
    },
    "old_lane": {
        "relocation_disputes": 0.55,
        "overcrowding": 0.6,
        "fire_safety": 0.4,
        "dangerous_housing": 0.35,
        "ageing": 0.45,
        "elderly_alone": 0.4,
        "owners_committee": 0.01,
    },
    "commercial": {
        "owners_committee": 0.65,
        "repairs_fund": 0.35,
        "facade_repair": 0.4,
        "parking": 0.5,
        "property_management": 0.45,
        "waste_sorting": 0.35,
        "lift_retrofit": 0.03,
        "ageing": 0.1,
    },
    "mixed": {
        "ageing": 0.35,
        "lift_retrofit": 0.25,
        "owners_committee": 0.25,
        "property_management": 0.3,
        "repairs_fund": 0.2,
        "hardship": 0.15,
        "group_renting": 0.2,
        "facade_repair": 0.15,
    },
    "village": {
        "collective_economy": 0.8,
        "land_use": 0.6,
        "migrants": 0.7,
        "group_renting": 0.35,
        "public_order": 0.3,
        "missing_amenities": 0.3,
        "owners_committee": 0.0,
        "lift_retrofit": 0.0,
    },
}
#: Challenges that urban estates do not have unless listed for their type.
_VILLAGE_ONLY = ("collective_economy", "land_use")
#: Challenges whose rate rises with the share of residents aged 60+.
_AGEING_LINKED = ("ageing", "lift_retrofit", "elderly_alone", "elder_care")
MEAN_SHARE_60 = {
    "old_public_housing": 0.42,
    "sold_public_housing": 0.36,
    "resettlement": 0.28,
    "old_lane": 0.40,
    "commercial": 0.22,
    "mixed": 0.32,
    "village": 0.25,
}
MEDIAN_HOUSEHOLDS = {
    "old_public_housing": 1800,
    "sold_public_housing": 1500,
    "resettlement": 2500,
    "old_lane": 1200,
    "commercial": 2000,
    "mixed": 2200,
    "village": 900,
}
MAX_CHALLENGES = 6

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲"
    "真环雪荣爱妹霞香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡"
    "婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠"
    "柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽浩宇轩然泽文博天辰睿恒志斌俊鹏辉建国峰健良"
)
#: Names of people in the seed article: never generated.
_FORBIDDEN_NAMES = frozenset({"俞浩泉", "梁慧丽", "杨兆顺", "张群丽", "李红珍", "卢礼卿", "郭玥"})
_STEM_CHARS = "安宝长春大丰光广和华嘉金锦康乐丽林龙美明宁平庆仁瑞盛顺泰天祥新兴阳怡永友玉园云兆中志"
_TYPE_SUFFIX = {
    "old_public_housing": ("新村", "一村", "二村", "三村"),
    "sold_public_housing": ("小区", "公房小区", "坊"),
    "resettlement": ("公寓", "家园", "苑"),
    "old_lane": ("里", "坊", "弄"),
    "commercial": ("花园", "苑", "城", "湾"),
    "mixed": ("居民区", "新苑", "社区"),
    "village": ("村",),
}


@dataclass(frozen=True)
class SynthTruth:
    """The parameters a synthetic district was generated with, for checking estimators."""

    seed: int
    mentoring_effect: float
    waves: tuple[int, int]
    current_year: int


def synthesize_district(
    seed: int = 2018,
    *,
    n_secretaries: int = 282,
    n_mentors: int = 13,
    n_bases: int = 20,
    n_university: int | None = None,
    n_villages: int = 3,
    n_promoted: int = 6,
    n_civil_servant: int = 4,
    departed_share: float = DEPARTED_SHARE,
    mentoring_effect: float = MENTORING_EFFECT,
    assessments: bool = True,
) -> District:
    """A synthetic district calibrated to the published figures.

    Parameters
    ----------
    seed : int
        Random seed; the same seed gives the same District, byte for byte once saved.
    n_secretaries : int
        Secretaries in post (one per community). Departed secretaries come on top.
    n_mentors, n_bases : int
        Mentors and practice bases.
    n_university : int, optional
        Secretaries in post with a university degree or higher (bachelor or above).
        Default: the published share, 139 of 282.
    n_villages : int
        Villages (all in Taopu town).
    n_promoted, n_civil_servant : int
        Career events: rank promotions (in post) and recruitment as civil servants
        (who then leave the post).
    departed_share : float
        Secretaries who left since 2018, as a share of ``n_secretaries``.
    mentoring_effect : float
        True effect of mentoring on assessment scores, in points.
    assessments : bool
        Generate the assessment panel (the largest table).

    Returns
    -------
    District

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=2018)
    >>> len(d.in_post), len(d.mentors), len(d.bases)
    (282, 13, 20)
    >>> int(d.in_post["education"].isin(["bachelor", "postgraduate"]).sum())
    139
    """
    _check_sizes(n_secretaries, n_mentors, n_bases, n_villages, n_promoted, n_civil_servant)
    rng = np.random.default_rng(seed)
    if n_university is None:
        n_university = round(PUBLISHED["university_degree"] / 282 * n_secretaries)
    n_university = min(max(0, n_university), n_secretaries)
    names = _NameMaker(rng)
    communities = _communities(rng, n_secretaries, n_villages)
    current = _current_secretaries(rng, communities, n_university, names)
    departed = _departed_secretaries(rng, communities, current, departed_share, names)
    people = pd.concat([current, departed], ignore_index=True)
    _mentoring_history(rng, people, n_mentors)
    mentors = _mentors(rng, n_mentors, communities, people, names)
    _prior_communities(rng, people, communities, mentors)
    bases = _bases(rng, n_bases, communities, people)
    career = _career(rng, people, n_promoted, n_civil_servant)
    panel = _assessments(rng, people, mentoring_effect) if assessments else None
    secretaries = people.drop(columns=["_left_year", "_ability", "_unit_rank"])
    secretaries = secretaries.sort_values("secretary_id", kind="stable").reset_index(drop=True)
    return District(
        secretaries=secretaries,
        mentors=mentors,
        bases=bases,
        assessments=panel,
        constraints=None,
        career=career,
        synthetic=True,
    )


def truth(seed: int = 2018, mentoring_effect: float = MENTORING_EFFECT) -> SynthTruth:
    """The generating parameters of ``synthesize_district(seed, mentoring_effect=...)``."""
    return SynthTruth(seed, mentoring_effect, WAVES, CURRENT_YEAR)


def _check_sizes(n_sec: int, n_men: int, n_bases: int, n_vil: int, n_pro: int, n_cs: int) -> None:
    problems = []
    if n_sec < 10:
        problems.append(f"n_secretaries must be at least 10, got {n_sec}")
    if n_men < 1:
        problems.append(f"n_mentors must be at least 1, got {n_men}")
    if n_bases < 0:
        problems.append(f"n_bases must be >= 0, got {n_bases}")
    if not 0 <= n_vil <= n_sec // 10:
        problems.append(f"n_villages must be between 0 and n_secretaries/10, got {n_vil}")
    if n_pro < 0 or n_cs < 0:
        problems.append("career event counts must be >= 0")
    if problems:
        raise DataError("; ".join(problems))


# --- Names ---------------------------------------------------------------------------


class _NameMaker:
    """Unique synthetic Chinese names (2 or 3 characters)."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.used: set[str] = set(_FORBIDDEN_NAMES)

    def person(self) -> str:
        while True:
            surname = _SURNAMES[self.rng.integers(len(_SURNAMES))]
            k = 1 if self.rng.random() < 0.3 else 2
            given = "".join(_GIVEN[j] for j in self.rng.integers(len(_GIVEN), size=k))
            name = surname + given
            if name not in self.used:
                self.used.add(name)
                return name


def _ids(prefix: str, n: int) -> list[str]:
    width = max(3, len(str(n)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def _allocate(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights`` by largest remainders."""
    keys = list(weights)
    w = np.array([weights[k] for k in keys], dtype=float)
    raw = total * w / w.sum()
    counts = np.floor(raw).astype(int)
    for j in np.argsort(-(raw - counts), kind="stable")[: total - counts.sum()]:
        counts[j] += 1
    return dict(zip(keys, counts.tolist(), strict=True))


# --- Communities --------------------------------------------------------------------


def _communities(rng: np.random.Generator, n: int, n_villages: int) -> pd.DataFrame:
    counts = _allocate(n, UNIT_COUNTS)
    if counts[VILLAGE_UNIT] < n_villages:
        raise DataError(f"too few communities in {VILLAGE_UNIT} for {n_villages} villages")
    unit, ctype = [], []
    for code in STREET_TOWNS.codes:
        k = counts[code]
        villages = n_villages if code == VILLAGE_UNIT else 0
        mix = np.array(TYPE_MIX[code])
        drawn = rng.choice(len(_TYPE_ORDER), size=k - villages, p=mix / mix.sum())
        unit += [code] * k
        ctype += ["village"] * villages + [_TYPE_ORDER[j] for j in drawn]
    type_index = pd.Index(COMMUNITY_TYPES.codes).get_indexer(ctype)
    share60, households = _ages_and_households(rng, type_index)
    names: list[str] = []
    taken: set[str] = set()
    village_names = iter(VILLAGE_NAMES)
    for t in ctype:
        if t == "village":
            name = next(village_names, None)
            if name is None or name in taken:
                name = _place_name(rng, _TYPE_SUFFIX["village"], taken)
        else:
            name = _place_name(rng, _TYPE_SUFFIX[t], taken)
        taken.add(name)
        names.append(name)
    challenges = _challenges(rng, type_index, share60)
    return pd.DataFrame(
        {
            "community_id": _ids("C", n),
            "community_name": names,
            "street_town": unit,
            "community_type": ctype,
            "households": households,
            "share_aged_60_plus": share60,
            "challenges": challenges,
        }
    )


def _place_name(rng: np.random.Generator, suffixes: tuple[str, ...], taken: set[str]) -> str:
    for _ in range(10_000):
        a, b = rng.integers(len(_STEM_CHARS), size=2)
        if a == b:
            continue
        name = _STEM_CHARS[a] + _STEM_CHARS[b] + suffixes[rng.integers(len(suffixes))]
        if name not in taken:
            return name
    # Beyond a few thousand communities the stems run out: number them.
    return f"{_STEM_CHARS[rng.integers(len(_STEM_CHARS))]}{len(taken) + 1}{suffixes[0]}"


def challenge_rates(community_type: str) -> np.ndarray:
    """Base probability of each challenge (in :data:`CHALLENGES` order) for a type."""
    rates = CHALLENGE_RATES[community_type]
    return np.array(
        [
            rates.get(c, _COMMON.get(c, 0.0 if c in _VILLAGE_ONLY else 0.03))
            for c in CHALLENGES.codes
        ]
    )


#: Base rate of each challenge (columns, :data:`CHALLENGES` order) for each community
#: type (rows, :data:`COMMUNITY_TYPES` order).
CHALLENGE_RATE_TABLE = np.stack([challenge_rates(t) for t in COMMUNITY_TYPES.codes])
_MEAN_SHARE_60 = np.array([MEAN_SHARE_60[t] for t in COMMUNITY_TYPES.codes])
_MEDIAN_HOUSEHOLDS = np.array([MEDIAN_HOUSEHOLDS[t] for t in COMMUNITY_TYPES.codes], dtype=float)
_AGEING_COLUMNS = np.array([c in _AGEING_LINKED for c in CHALLENGES.codes])
#: Tiny random noise that breaks ties between equally likely challenges.
_TIE_JITTER = 1e-3


def _ages_and_households(
    rng: np.random.Generator, type_index: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Share of residents aged 60+ and households of communities of the given types
    (positions in :data:`COMMUNITY_TYPES`), spread around their type's mean and median."""
    share = _MEAN_SHARE_60[type_index]
    concentration = SHARE_60_CONCENTRATION
    share60 = np.round(rng.beta(share * concentration, (1 - share) * concentration), 3)
    median = _MEDIAN_HOUSEHOLDS[type_index]
    noise = np.exp(rng.normal(0, HOUSEHOLDS_SD, size=len(type_index)))
    return share60, np.round(median * noise).astype(np.int64)


def challenge_probabilities(type_index: np.ndarray, share60: np.ndarray) -> np.ndarray:
    """Probability of each challenge (columns) for each community (rows).

    The type's base rates (:func:`challenge_rates`), the ageing-linked ones scaled by the
    community's share of residents aged 60+ over its type's mean (at most 0.95).

    >>> from mentormatch.vocab import COMMUNITY_TYPES
    >>> lane = COMMUNITY_TYPES.codes.index("old_lane")
    >>> p = challenge_probabilities(np.array([lane, lane]), np.array([0.40, 0.60]))
    >>> ageing = CHALLENGES.codes.index("ageing")
    >>> p[:, ageing].round(3).tolist()
    [0.45, 0.675]
    """
    type_index = np.asarray(type_index)
    p = CHALLENGE_RATE_TABLE[type_index]
    ratio = share60 / _MEAN_SHARE_60[type_index]
    p[:, _AGEING_COLUMNS] = np.clip(p[:, _AGEING_COLUMNS] * ratio[:, None], 0, 0.95)
    return p


def _challenges(
    rng: np.random.Generator, type_index: np.ndarray, share60: np.ndarray
) -> list[tuple[str, ...]]:
    """Each challenge with its probability; at least one (the most likely), at most
    MAX_CHALLENGES (kept with probability proportional to their rates). Drawn row by
    row; :mod:`mentormatch.region_synth` draws the same rule as whole arrays."""
    codes = CHALLENGES.codes
    p = challenge_probabilities(type_index, share60)
    draws = rng.random(p.shape) < p
    out = []
    for i in range(len(type_index)):
        chosen = np.flatnonzero(draws[i])
        if len(chosen) == 0:
            chosen = np.array([int(np.argmax(p[i] + rng.random(len(codes)) * _TIE_JITTER))])
        if len(chosen) > MAX_CHALLENGES:
            keep = rng.choice(
                chosen, size=MAX_CHALLENGES, replace=False, p=p[i, chosen] / p[i, chosen].sum()
            )
            chosen = np.sort(keep)
        out.append(tuple(codes[j] for j in chosen))
    return out


# --- Secretaries --------------------------------------------------------------------


def _birth_years(rng: np.random.Generator, n: int, young_share: float) -> np.ndarray:
    young = rng.random(n) < young_share
    older = np.clip(np.round(rng.normal(1970, 5.5, size=n)), 1960, 1979)
    younger = rng.integers(1980, 1999, size=n)
    return np.where(young, younger, older).astype(int)


def _appointed(rng: np.random.Generator, birth: np.ndarray, mean_tenure: float) -> np.ndarray:
    tenure = np.round(rng.exponential(mean_tenure, size=len(birth))).astype(int)
    earliest = birth + 26
    return np.clip(CURRENT_YEAR - tenure, np.minimum(earliest, CURRENT_YEAR), CURRENT_YEAR)


def _education(rng: np.random.Generator, birth: np.ndarray, n_university: int) -> np.ndarray:
    """Education levels (positions in :data:`EDUCATION`): younger secretaries more often
    hold degrees, and exactly ``n_university`` of them do."""
    latent = 0.18 * (birth - 1975) + rng.logistic(size=len(birth))
    order = np.argsort(-latent, kind="stable")
    university = np.zeros(len(birth), dtype=bool)
    university[order[:n_university]] = True
    # One uniform per person, in order: postgraduate or bachelor for the degree holders,
    # junior college or secondary for the others.
    u = rng.random(len(birth))
    postgraduate = u < np.where(birth >= 1985, POSTGRADUATE_SHARE_YOUNG, POSTGRADUATE_SHARE_OLDER)
    level = np.where(
        university,
        np.where(postgraduate, "postgraduate", "bachelor"),
        np.where(u < JUNIOR_COLLEGE_SHARE, "junior_college", "secondary"),
    )
    return pd.Index(EDUCATION.codes).get_indexer(level).astype(np.int8)


def _current_secretaries(
    rng: np.random.Generator, communities: pd.DataFrame, n_university: int, names: _NameMaker
) -> pd.DataFrame:
    n = len(communities)
    birth = _birth_years(rng, n, young_share=YOUNG_SHARE)
    appointed = _appointed(rng, birth, mean_tenure=MEAN_TENURE)
    df = communities.copy()
    df.insert(0, "secretary_id", "")
    df.insert(1, "name", [names.person() for _ in range(n)])
    df.insert(2, "gender", np.where(rng.random(n) < FEMALE_SHARE, "female", "male"))
    df.insert(3, "birth_year", birth)
    education = _education(rng, birth, n_university)
    df.insert(4, "education", [EDUCATION.codes[e] for e in education])
    df.insert(5, "appointed_year", appointed)
    df["_left_year"] = 0
    return df


def _departed_secretaries(
    rng: np.random.Generator,
    communities: pd.DataFrame,
    current: pd.DataFrame,
    share: float,
    names: _NameMaker,
) -> pd.DataFrame:
    """Secretaries who left since 2018: predecessors in communities with a newer secretary."""
    start = PUBLISHED["programme_start"]
    candidates = np.flatnonzero(current["appointed_year"].to_numpy() > start)
    k = min(len(candidates), round(share * len(current)))
    chosen = np.sort(rng.choice(candidates, size=k, replace=False)) if k else np.array([], int)
    rows = current.iloc[chosen].copy()
    left = rows["appointed_year"].to_numpy()
    birth = _birth_years(rng, k, young_share=DEPARTED_YOUNG_SHARE)
    earliest = np.maximum(birth + 26, 1995)
    span = np.maximum(left - earliest, 1)
    appointed = left - 1 - np.floor(rng.random(k) * np.minimum(span, 12)).astype(int)
    appointed = np.maximum(appointed, birth + 26)
    appointed = np.minimum(appointed, left - 1)
    rows["name"] = [names.person() for _ in range(k)]
    rows["gender"] = np.where(rng.random(k) < FEMALE_SHARE, "female", "male")
    rows["birth_year"] = birth
    rows["appointed_year"] = appointed
    rows["education"] = [
        ("bachelor" if rng.random() < 0.75 else "junior_college")
        if b >= 1980
        else ("bachelor" if rng.random() < 0.35 else "junior_college")
        for b in birth
    ]
    rows["_left_year"] = left
    return rows.reset_index(drop=True)


def _mentoring_history(rng: np.random.Generator, people: pd.DataFrame, n_mentors: int) -> None:
    """Who entered the programme when, who needs a mentor now, who had which mentor."""
    first, last = WAVES
    n = len(people)
    birth = people["birth_year"].to_numpy()
    appointed = people["appointed_year"].to_numpy()
    left = people["_left_year"].to_numpy()
    eligible = (birth >= ELIGIBLE_BORN) | (appointed >= ELIGIBLE_APPOINTED)
    since = np.full(n, -1)
    for i in np.flatnonzero(eligible):
        # Entry needs one assessed wave before it (for a before/after comparison).
        year = max(first + 1, appointed[i] + 1)
        end = last if left[i] == 0 else min(last, left[i] - 1)
        while year <= end:
            if rng.random() < ENTRY_RATE:
                since[i] = year
                break
            year += 1
    in_post = left == 0
    # This cycle's mentees: eligible secretaries in post not yet mentored, and half of
    # last cycle's mentees, who asked for a second year.
    second_year = (since == last) & (rng.random(n) < SECOND_YEAR_SHARE)
    needs = in_post & eligible & ((since < 0) | second_year)
    # The cycle takes about MENTEES_PER_MENTOR per mentor: newest appointees first, then
    # the youngest; the others wait for the next cycle.
    places = round(MENTEES_PER_MENTOR * n_mentors)
    if needs.sum() > places:
        waiting = np.flatnonzero(needs)
        priority = np.lexsort((-birth[waiting], -appointed[waiting]))
        needs[waiting[priority[places:]]] = False
    people["needs_mentor"] = needs
    people["mentored_since"] = pd.array(np.where(since > 0, since, None), dtype="Int64")
    people["_ability"] = rng.normal(0, ABILITY_SD, size=n)
    ids = _ids("S", n)
    # Secretary IDs in sub-district order, current before departed, as a roster lists them.
    unit_rank = people["street_town"].map({c: i for i, c in enumerate(STREET_TOWNS.codes)})
    people["_unit_rank"] = unit_rank
    order = np.lexsort((np.arange(n), left > 0, unit_rank.to_numpy()))
    id_col = np.empty(n, dtype=object)
    id_col[order] = ids
    people["secretary_id"] = id_col


def _mentors(
    rng: np.random.Generator,
    n_mentors: int,
    communities: pd.DataFrame,
    people: pd.DataFrame,
    names: _NameMaker,
) -> pd.DataFrame:
    counts = _allocate(n_mentors, UNIT_COUNTS)
    rows = []
    demand = int(people["needs_mentor"].sum())
    capacities = _capacities(rng, n_mentors, demand)
    codes = CHALLENGES.codes
    for unit in STREET_TOWNS.codes:
        pool = communities.index[communities["street_town"] == unit].to_numpy()
        pool = pool[communities.loc[pool, "community_type"].to_numpy() != "village"]
        for j in rng.choice(pool, size=counts[unit], replace=counts[unit] > len(pool)):
            own = communities.at[j, "community_type"]
            others = [t for t in COMMUNITY_TYPES.codes if t != own]
            weight = np.array([KNOWN_TYPE_WEIGHT + type_affinity(own, t) for t in others])
            n_extra = int(rng.integers(EXTRA_KNOWN_TYPES[0], EXTRA_KNOWN_TYPES[1] + 1))
            extra = rng.choice(others, size=n_extra, replace=False, p=weight / weight.sum())
            types = tuple(t for t in COMMUNITY_TYPES.codes if t == own or t in extra)
            prevalence = np.mean([challenge_rates(t) for t in types], axis=0)
            k = int(rng.integers(EXPERTISE_COUNT[0], EXPERTISE_COUNT[1] + 1))
            expertise = rng.choice(
                len(codes), size=k, replace=False, p=prevalence / prevalence.sum()
            )
            rows.append(
                {
                    "name": names.person(),
                    "street_town": unit,
                    "community_id": communities.at[j, "community_id"],
                    "years_as_secretary": int(rng.integers(MENTOR_YEARS[0], MENTOR_YEARS[1] + 1)),
                    "community_types": types,
                    "expertise": tuple(codes[e] for e in sorted(expertise)),
                }
            )
    mentors = pd.DataFrame(rows)
    mentors.insert(0, "mentor_id", _ids("M", n_mentors))
    mentors["capacity"] = capacities
    min_load = _min_loads(rng, capacities)
    mentors["min_load"] = pd.array(np.where(min_load > 0, min_load, None), dtype="Int64")
    # The mentor of last cycle, for continuing mentees: one nearby, as planners pair.
    continuing = np.flatnonzero(
        people["needs_mentor"].to_numpy() & (people["mentored_since"].fillna(0).to_numpy() > 0)
    )
    previous = np.full(len(people), None, dtype=object)
    for i in continuing:
        near = _near_mentors(people.at[i, "street_town"], mentors)
        previous[i] = mentors.at[int(rng.choice(near)), "mentor_id"]
    # Missing as NaN: on pandas 2, pd.array(..., dtype="str") writes None as the text 'None'.
    people["previous_mentor_id"] = pd.Series(
        [np.nan if v is None else v for v in previous], dtype="str", index=people.index
    )
    return mentors


def _min_loads(rng: np.random.Generator, capacity: np.ndarray) -> np.ndarray:
    """MIN_LOAD for a MIN_LOAD_SHARE of the mentors (at most their capacity), else 0."""
    wanted = np.where(rng.random(len(capacity)) < MIN_LOAD_SHARE, MIN_LOAD, 0)
    return np.minimum(wanted, capacity)


def _around(rng: np.random.Generator, target: np.ndarray) -> np.ndarray:
    """Each target moved by up to CAPACITY_JITTER either way, at least 1."""
    jitter = rng.integers(-CAPACITY_JITTER, CAPACITY_JITTER + 1, size=len(target))
    return np.clip(target + jitter, 1, None)


def _capacities(rng: np.random.Generator, n_mentors: int, demand: int) -> np.ndarray:
    """Mentor capacities adding up to about ``demand * CAPACITY_SLACK``."""
    target = max(n_mentors, math.ceil(demand * CAPACITY_SLACK))
    base = max(1, round(target / n_mentors))
    caps = _around(rng, np.full(n_mentors, base))
    while caps.sum() < target:
        caps[int(np.argmin(caps))] += 1
    while caps.sum() > target + n_mentors // 2 and caps.max() > 1:
        caps[int(np.argmax(caps))] -= 1
    return caps


def _near_mentors(unit: str, mentors: pd.DataFrame) -> np.ndarray:
    near = {unit, *NEIGHBOURS[unit]}
    idx = np.flatnonzero(mentors["street_town"].isin(sorted(near)).to_numpy())
    return idx if len(idx) else np.arange(len(mentors))


def _prior_communities(
    rng: np.random.Generator, people: pd.DataFrame, communities: pd.DataFrame, mentors: pd.DataFrame
) -> None:
    """Earlier posts (as social worker or deputy) in the same or a neighbouring unit.

    Some mentees earlier served in a mentor's community, as in the seed article's pair.
    """
    by_unit = {
        u: communities.loc[communities["street_town"] == u, "community_id"].to_numpy()
        for u in STREET_TOWNS.codes
    }
    mentor_communities = mentors.groupby("street_town")["community_id"].apply(list).to_dict()
    prior = []
    for unit, own, needs in zip(
        people["street_town"], people["community_id"], people["needs_mentor"], strict=True
    ):
        items: list[str] = []
        if rng.random() < PRIOR_SHARE:
            near = [unit, *sorted(NEIGHBOURS[unit])]
            pool = np.concatenate([by_unit[u] for u in near])
            pool = pool[pool != own]
            k = 1 if rng.random() < 1 - SECOND_PRIOR_SHARE else 2
            items = sorted(rng.choice(pool, size=min(k, len(pool)), replace=False).tolist())
        if needs and rng.random() < MENTOR_HISTORY_SHARE:
            near_mentor = [
                c for u in [unit, *sorted(NEIGHBOURS[unit])] for c in mentor_communities.get(u, [])
            ]
            if near_mentor:
                items = sorted({*items, str(rng.choice(near_mentor))} - {own})
        prior.append(tuple(items))
    people["prior_communities"] = prior


def _bases(
    rng: np.random.Generator, n_bases: int, communities: pd.DataFrame, people: pd.DataFrame
) -> pd.DataFrame:
    if n_bases == 0:
        return None
    codes = CHALLENGES.codes
    demand = int(people["needs_mentor"].sum())
    prevalence = (
        np.array([sum(c in ch for ch in communities["challenges"]) for c in codes], dtype=float)
        + 1.0
    )
    chosen = np.sort(
        rng.choice(len(communities), size=min(n_bases, len(communities)), replace=False)
    )
    rows = []
    # Each base is built around one challenge, most common first, so that together the
    # bases cover the district's common challenges; it adds 1-3 themes of its community.
    leading = np.argsort(-prevalence, kind="stable")
    for k, j in enumerate(chosen):
        lead = codes[leading[k % len(codes)]]
        own = [c for c in communities.at[j, "challenges"] if c != lead]
        extra = []
        if own:
            wanted = int(rng.integers(BASE_EXTRA_THEMES[0], BASE_EXTRA_THEMES[1] + 1))
            extra = rng.choice(own, size=min(len(own), wanted), replace=False)
        themes = tuple(c for c in codes if c == lead or c in set(extra))
        rows.append(
            {
                "name": f"{communities.at[j, 'community_name']}实训基地",
                "community_id": communities.at[j, "community_id"],
                "street_town": communities.at[j, "street_town"],
                "themes": themes,
            }
        )
    bases = pd.DataFrame(rows)
    bases.insert(0, "base_id", _ids("B", len(bases)))
    target = math.ceil(demand * BASE_CAPACITY_SLACK / max(len(bases), 1))
    bases["capacity"] = _around(rng, np.full(len(bases), target))
    return bases


def _career(
    rng: np.random.Generator, people: pd.DataFrame, n_promoted: int, n_civil: int
) -> pd.DataFrame:
    first, last = WAVES
    left = people["_left_year"].to_numpy()
    ability = people["_ability"].to_numpy()
    appointed = people["appointed_year"].to_numpy()
    events = []
    # Recruitment as civil servant: the most able among those who left.
    departed = np.flatnonzero(left > 0)
    civil = departed[np.argsort(-ability[departed], kind="stable")][:n_civil]
    for i in departed:
        event = "civil_servant" if i in civil else "left"
        events.append((people.at[i, "secretary_id"], event, int(left[i])))
    # Rank promotion: able secretaries in post with some years behind them.
    in_post = np.flatnonzero((left == 0) & (appointed <= last - 3))
    promoted = in_post[
        np.argsort(-(ability[in_post] + 0.3 * (last - appointed[in_post])), kind="stable")
    ][:n_promoted]
    for i in promoted:
        year = int(rng.integers(max(first + 1, appointed[i] + 3), last + 1))
        events.append((people.at[i, "secretary_id"], "promoted", year))
    career = pd.DataFrame(events, columns=["secretary_id", "event", "year"])
    return career.sort_values(["secretary_id", "year", "event"], kind="stable").reset_index(
        drop=True
    )


def _assessments(rng: np.random.Generator, people: pd.DataFrame, effect: float) -> pd.DataFrame:
    first, last = WAVES
    dims = DIMENSIONS.codes
    sources = SOURCES.codes
    appointed = people["appointed_year"].to_numpy()
    left = people["_left_year"].to_numpy()
    since = people["mentored_since"].fillna(0).to_numpy(dtype=int)
    ability = people["_ability"].to_numpy()
    n = len(people)
    dim_effect = rng.normal(0, DIMENSION_SD, size=(n, len(dims)))
    waves = np.arange(first, last + 1)
    # One record per (person, wave in post, dimension, source), built as arrays.
    person, wave = np.meshgrid(np.arange(n), waves, indexing="ij")
    person, wave = person.ravel(), wave.ravel()
    keep = (appointed[person] <= wave) & ((left[person] == 0) | (wave < left[person]))
    person, wave = person[keep], wave[keep]
    m = len(person)
    nd, ns = len(dims), len(sources)
    person = np.repeat(person, nd * ns)
    wave = np.repeat(wave, nd * ns)
    dim = np.tile(np.repeat(np.arange(nd), ns), m)
    src = np.tile(np.arange(ns), m * nd)
    treated = (since[person] > 0) & (since[person] <= wave)
    bias = np.array([SOURCE_BIAS[s] for s in sources])[src]
    resident = np.array([s == "resident_qr" for s in sources])[src]
    raters = np.ones(len(person), dtype=int)
    n_res = int(resident.sum())
    raters[resident] = np.maximum(
        1, rng.poisson(RESIDENT_RATERS_MEAN * np.exp(rng.normal(0, 0.6, size=n_res)))
    )
    departments = np.array([s == "departments" for s in sources])[src]
    raters[departments] = rng.integers(1, 4, size=int(departments.sum()))
    sd = np.array([NOISE_SD[s] for s in sources])[src].astype(float)
    sd[resident] = np.hypot(sd[resident], RESIDENT_RATER_SD / np.sqrt(raters[resident]))
    score = (
        BASE_SCORE
        + ability[person]
        + dim_effect[person, dim]
        + YEAR_TREND * (wave - first)
        + EXPERIENCE_GAIN * (wave - appointed[person])
        + bias
        + effect * treated
        + rng.normal(0, 1, size=len(person)) * sd
    )
    ids = people["secretary_id"].to_numpy()
    panel = pd.DataFrame(
        {
            "secretary_id": ids[person],
            "wave": wave,
            "dimension": np.array(dims)[dim],
            "source": np.array(sources)[src],
            "score": np.round(np.clip(score, 0, 100), 1),
            "n_raters": raters,
        }
    )
    order = np.lexsort((src, dim, wave, ids[person]))
    return panel.iloc[order].reset_index(drop=True)


def calibration_table(d: District) -> pd.DataFrame:
    """Published figures against a district's own: one row per target.

    Columns ``target`` (English), ``target_zh``, ``published``, ``district`` and ``met``.

    >>> import mentormatch as mm
    >>> t = calibration_table(mm.synthesize_district())
    >>> bool(t["met"].all())
    True
    """
    from mentormatch.vocab import UNIVERSITY_LEVELS

    post = d.in_post
    events = d.career["event"].value_counts()
    villages = post[post["community_type"] == "village"]
    young = float((post["birth_year"] >= 1980).mean()) if len(post) else 0.0
    rows = [
        ("Secretaries in post", "居村党组织书记", 282, len(post), len(post) == 282),
        (
            "Born 1980 or later",
            "80后、90后占比",
            "> 1/4",
            f"{young:.1%}",
            young > PUBLISHED["born_1980_or_later_share_min"],
        ),
        (
            "University degree or higher",
            "大学及以上学历",
            139,
            int(post["education"].isin(UNIVERSITY_LEVELS).sum()),
            int(post["education"].isin(UNIVERSITY_LEVELS).sum()) == 139,
        ),
        ("Mentors", "带教老师", 13, len(d.mentors), len(d.mentors) == 13),
        ("Practice bases", "实教实训基地", 20, len(d.bases), len(d.bases) == 20),
        (
            "Sub-districts and towns",
            "街镇",
            10,
            post["street_town"].nunique(),
            post["street_town"].nunique() == 10,
        ),
        (
            "Villages (all in Taopu)",
            "村（桃浦镇）",
            3,
            len(villages),
            len(villages) == 3 and set(villages["street_town"]) <= {VILLAGE_UNIT},
        ),
        (
            "Rank promotions",
            "岗位等级晋升",
            6,
            int(events.get("promoted", 0)),
            int(events.get("promoted", 0)) == 6,
        ),
        (
            "Recruited as civil servants",
            "定向招录公务员",
            4,
            int(events.get("civil_servant", 0)),
            int(events.get("civil_servant", 0)) == 4,
        ),
        (
            "Mentees per mentor",
            "每名带教老师带教人数",
            "about 5",
            f"{len(d.mentees) / max(len(d.mentors), 1):.1f}",
            4.0 <= len(d.mentees) / max(len(d.mentors), 1) <= 6.5,
        ),
    ]
    return pd.DataFrame(rows, columns=["target", "target_zh", "published", "district", "met"])
