"""The salon's topic plan (mentormatch/groups/topics.py)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch import DataError
from mentormatch.assess import capacity_index
from mentormatch.groups.topics import TOPIC_COLUMNS, topic_plan
from mentormatch.vocab import CHALLENGES, DIMENSIONS


def _shares(d: mm.District) -> pd.Series:
    post = d.in_post
    counts = Counter(code for named in post["challenges"] for code in set(named))
    return pd.Series(counts, dtype=float) / len(post)


def _dimension_means(d: mm.District) -> pd.Series:
    ci = capacity_index(d)
    ci = ci[ci["secretary_id"].isin(d.in_post["secretary_id"])]
    latest = ci.sort_values("wave").groupby("secretary_id").tail(1)
    return latest[list(DIMENSIONS.codes)].mean()


@pytest.fixture(scope="module")
def plan(sample):
    return topic_plan(sample)


def test_a_year_of_topics_without_repeats(plan):
    assert list(plan.columns) == TOPIC_COLUMNS
    assert plan["month"].tolist() == list(range(1, 13))
    assert plan["topic"].is_unique
    assert (plan["round"] == 1).all()


def test_every_third_month_takes_a_dimension(plan):
    kinds = plan.set_index("month")["kind"]
    assert kinds[[3, 6, 9, 12]].eq("dimension").all()
    assert kinds.drop([3, 6, 9, 12]).eq("challenge").all()


def test_challenges_follow_frequency(sample, plan):
    shares = _shares(sample)
    ch = plan[plan["kind"] == "challenge"]
    # The most frequent challenges, most frequent first (ties in vocabulary order).
    ranked = sorted(shares.index, key=lambda c: (-shares[c], CHALLENGES.codes.index(c)))
    assert ch["topic"].tolist() == ranked[: len(ch)]
    assert ch["share"].to_numpy() == pytest.approx(shares[ch["topic"]].to_numpy())
    assert (np.diff(ch["share"].to_numpy()) <= 0).all()
    assert ch["rank"].tolist() == list(range(1, len(ch) + 1))
    first = ch.iloc[0]
    assert first["topic"] == "ageing"
    assert first["why_en"].startswith(f"named by {first['share']:.0%} of secretaries in post")


def test_dimensions_weakest_first(sample, plan):
    means = _dimension_means(sample)
    dims = plan[plan["kind"] == "dimension"]
    assert dims["topic"].tolist() == means.sort_values(kind="stable").index.tolist()
    assert dims["mean_score"].to_numpy() == pytest.approx(means[dims["topic"]].to_numpy())
    assert "mean score" in dims["why_en"].iloc[0]


def test_labels_come_from_the_vocabulary(plan):
    for _, row in plan.iterrows():
        vocab = CHALLENGES if row["kind"] == "challenge" else DIMENSIONS
        assert (row["label_zh"], row["label_en"]) == (
            vocab[row["topic"]].zh,
            vocab[row["topic"]].en,
        )


def test_no_repeat_before_the_list_is_used_up(sample):
    # Two dimensions at most and challenges named by a quarter: a short list.
    plan = topic_plan(sample, months=30, min_share=0.25)
    n_challenges = int((_shares(sample) >= 0.25).sum())
    length = n_challenges + len(DIMENSIONS)
    first = plan["topic"].iloc[:length]
    assert first.is_unique
    assert set(first) == set(plan["topic"])
    # Then the list starts again, in the same order.
    assert plan["topic"].iloc[length : 2 * length].tolist() == first.tolist()[: 30 - length]
    assert plan["round"].iloc[length] == 2


def test_challenges_only(sample):
    plan = topic_plan(sample, dimension_every=None)
    assert (plan["kind"] == "challenge").all()
    assert plan["topic"].is_unique


def test_dimensions_first_when_every_month_asks_for_one(sample):
    plan = topic_plan(sample, months=6, dimension_every=1)
    assert plan["kind"].tolist() == ["dimension"] * 4 + ["challenge"] * 2


def test_the_most_frequent_challenge_stays_whatever_the_threshold(sample):
    plan = topic_plan(sample, months=3, min_share=1.0, dimension_every=None)
    assert plan["topic"].tolist() == ["ageing"] * 3
    assert plan["round"].tolist() == [1, 2, 3]


def test_without_assessments_only_challenges(sample):
    bare = sample.replace(assessments=sample.assessments.iloc[0:0])
    plan = topic_plan(bare)
    assert (plan["kind"] == "challenge").all()


def test_nothing_to_discuss_is_a_data_error(sample):
    s = sample.secretaries.assign(challenges=[()] * len(sample.secretaries))
    bare = sample.replace(secretaries=s, assessments=sample.assessments.iloc[0:0])
    with pytest.raises(DataError, match="no topic to plan"):
        topic_plan(bare)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"months": 0}, "months"),
        ({"months": 2.5}, "months"),
        ({"min_share": 1.5}, "min_share"),
        ({"min_share": "x"}, "min_share"),
        ({"dimension_every": -1}, "dimension_every"),
    ],
)
def test_bad_arguments_are_data_errors(sample, kwargs, match):
    with pytest.raises(DataError, match=match):
        topic_plan(sample, **kwargs)


def test_the_salon_plan_carries_the_topics(sample):
    plan = mm.salon_plan(sample, n_random=0, months=6)
    assert plan.topics.equals(topic_plan(sample, 6))
