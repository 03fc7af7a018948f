"""Sentences and small tables that follow the data, in Chinese and English.

Every function returns what a reader sees for one result: a ``(zh, en)`` pair of
sentences, or a table whose columns have labels in
:data:`mentormatch.present.labels.COLUMNS`. Counts, group numbers and "synthetic" come
from the data, never from the notebook's prose.

The sentences live in one module per part of the report:
:mod:`~mentormatch.present.words.roster` (01), :mod:`~mentormatch.present.words.clusters`
(02), :mod:`~mentormatch.present.words.plans` (03),
:mod:`~mentormatch.present.words.groups` (04) and
:mod:`~mentormatch.present.words.evaluation` (05); every name is also importable from
here.
"""

from __future__ import annotations

from mentormatch import lang as _lang
from mentormatch.present.words.clusters import (
    cluster_choice,
    cluster_headline,
    cluster_members,
    cluster_profiles,
)
from mentormatch.present.words.evaluation import (
    DOSE_LABELS,
    QUALITY,
    RARE_LABELS,
    RETENTION_LABELS,
    STRATEGY_LABELS,
    dose,
    dose_people,
    effect,
    effect_table,
    event_study,
    no_effect_headline,
    quality_headline,
    rare_events,
    retention,
    retention_table,
    strategies,
)
from mentormatch.present.words.groups import (
    GROUP_MEMBER_LABELS,
    GROUP_PROFILE_LABELS,
    against_random,
    balance,
    balance_title,
    group_members,
    group_profiles,
    groups_headline,
    starts_sentence,
    topics,
)
from mentormatch.present.words.plans import (
    COMPONENTS,
    FIGURES,
    OBJECTIVES,
    PLAN_FIGURES,
    by_mentor,
    example,
    example_card,
    example_scores,
    placement,
    plan_figures,
    unplaced,
    weights_table,
)
from mentormatch.present.words.roster import glance, published_figures, roster_headline

__all__ = [
    "glance",
    "published_figures",
    "roster_headline",
    "cluster_choice",
    "cluster_headline",
    "cluster_profiles",
    "cluster_members",
    "weights_table",
    "placement",
    "plan_figures",
    "unplaced",
    "by_mentor",
    "example",
    "example_card",
    "example_scores",
    "groups_headline",
    "group_profiles",
    "balance",
    "balance_title",
    "against_random",
    "starts_sentence",
    "topics",
    "group_members",
    "strategies",
    "quality_headline",
    "effect",
    "effect_table",
    "no_effect_headline",
    "event_study",
    "dose",
    "dose_people",
    "retention",
    "retention_table",
    "rare_events",
    "COMPONENTS",
    "OBJECTIVES",
    "GROUP_PROFILE_LABELS",
    "GROUP_MEMBER_LABELS",
    "STRATEGY_LABELS",
    "QUALITY",
    "FIGURES",
    "PLAN_FIGURES",
    "DOSE_LABELS",
    "RETENTION_LABELS",
    "RARE_LABELS",
    "pick",
]

pick = _lang.pick
