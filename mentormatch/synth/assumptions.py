"""Every figure and assumption the synthetic district and region are drawn from.

The published figures (the seed article and public division pages) are reproduced
exactly by the default district; everything else is an assumption, stated here as a
constant so that a reader can see it and a researcher can change it. The region's own
assumptions (county and unit sizes, pairs kept and forbidden) close the module.
"""

from __future__ import annotations

__all__ = [
    "PUBLISHED",
    "UNIT_COUNTS",
    "VILLAGE_NAMES",
    "VILLAGE_UNIT",
    "MENTORING_EFFECT",
    "TRAINING_EFFECT",
    "ELECTIVE_MONTHS",
    "ELECTIVE_SEAT_SHARE",
    "ELECTIVE_FILL",
    "ELECTIVE_CHALLENGES",
    "TRAINING_FIRST_YEAR",
    "BASE_SCORE",
    "ABILITY_SD",
    "DIMENSION_SD",
    "YEAR_TREND",
    "EXPERIENCE_GAIN",
    "SOURCE_BIAS",
    "NOISE_SD",
    "RESIDENT_RATER_SD",
    "RESIDENT_RATERS_MEAN",
    "WAVES",
    "CURRENT_YEAR",
    "MENTEES_PER_MENTOR",
    "CAPACITY_SLACK",
    "BASE_CAPACITY_SLACK",
    "ELIGIBLE_BORN",
    "ELIGIBLE_APPOINTED",
    "ENTRY_RATE",
    "SECOND_YEAR_SHARE",
    "MEAN_TENURE",
    "DEPARTED_SHARE",
    "YOUNG_SHARE",
    "DEPARTED_YOUNG_SHARE",
    "FEMALE_SHARE",
    "POSTGRADUATE_SHARE_YOUNG",
    "POSTGRADUATE_SHARE_OLDER",
    "JUNIOR_COLLEGE_SHARE",
    "SHARE_60_CONCENTRATION",
    "HOUSEHOLDS_SD",
    "MENTOR_YEARS",
    "EXTRA_KNOWN_TYPES",
    "KNOWN_TYPE_WEIGHT",
    "EXPERTISE_COUNT",
    "MIN_LOAD_SHARE",
    "MIN_LOAD",
    "CAPACITY_JITTER",
    "PRIOR_SHARE",
    "SECOND_PRIOR_SHARE",
    "MENTOR_HISTORY_SHARE",
    "BASE_EXTRA_THEMES",
    "TYPE_ORDER",
    "TYPE_MIX",
    "COMMON_CHALLENGE_RATES",
    "CHALLENGE_RATES",
    "VILLAGE_ONLY_CHALLENGES",
    "AGEING_LINKED_CHALLENGES",
    "MEAN_SHARE_60",
    "MEDIAN_HOUSEHOLDS",
    "MAX_CHALLENGES",
    "SECRETARIES_PER_COUNTY",
    "COUNTY_SIZE_SD",
    "SECRETARIES_PER_UNIT",
    "UNIT_SIZE_SD",
    "KEEP_SHARE",
    "FORBID_SHARE",
    "VILLAGE_SHARE",
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
#: True effect of one bimonthly elective (双月选训) on a capacity-index dimension on the
#: score of that dimension, in points, from the next wave on (each elective adds it).
TRAINING_EFFECT = 2.0
#: Electives run every two months (双月): six a year, in these months.
ELECTIVE_MONTHS = (2, 4, 6, 8, 10, 12)
#: Seats of an elective, as a share of the secretaries in post (about a third).
ELECTIVE_SEAT_SHARE = 1 / 3
#: Share of an elective's seats taken in a past year (the training log).
ELECTIVE_FILL = 0.9
#: Of a year's six electives, this many take a challenge (drawn from the commonest
#: six); the others take the four dimensions of the capacity index.
ELECTIVE_CHALLENGES = 2
#: The first year of sessions and of the training log (the programme's start).
TRAINING_FIRST_YEAR = 2018
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
TYPE_ORDER = (
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
#: the cross-cutting rate in ``COMMON_CHALLENGE_RATES`` or 0.03.
COMMON_CHALLENGE_RATES = {
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
VILLAGE_ONLY_CHALLENGES = ("collective_economy", "land_use")
#: Challenges whose rate rises with the share of residents aged 60+.
AGEING_LINKED_CHALLENGES = ("ageing", "lift_retrofit", "elderly_alone", "elder_care")
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


# --- The region's own assumptions -----------------------------------------------------

#: Secretaries per county-level unit: Shanghai's ~6,000 residential and village
#: secretaries sit in 16 districts. The nation's 600,000 then make 1,600 counties (real
#: China has ~2,850 county-level units; more, smaller counties change nothing here).
SECRETARIES_PER_COUNTY = 375
#: Spread (lognormal sd) of county sizes around that.
COUNTY_SIZE_SD = 0.35
#: Secretaries per unit (sub-district or town): Putuo's 282 in 10 units.
SECRETARIES_PER_UNIT = PUBLISHED["secretaries_in_post"] / PUBLISHED["street_towns"]
UNIT_SIZE_SD = 0.3
#: Share of continuing mentees whose pair a planner keeps by rule (保留).
KEEP_SHARE = 0.2
#: Share of mentees with one mentor they must not have (回避: a relative, a conflict).
FORBID_SHARE = 0.01
#: Villages among the communities of a unit like Putuo's village town (Taopu: 3 of 30).
VILLAGE_SHARE = PUBLISHED["villages_in_taopu"] / UNIT_COUNTS[VILLAGE_UNIT]
