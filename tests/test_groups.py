"""Salon groups of a District (mentormatch/groups/salon.py).

The guarantees tested, each recomputed here from the District's own tables (not from
the plan's tables):

* every secretary in post is in exactly one of ``n_groups`` groups; sizes differ by at
  most one; those who left have no group and the reason "left the post";
* balance: without must-link pairs, every group holds ``floor(n_c / G)`` or
  ``ceil(n_c / G)`` of the ``n_c`` secretaries of every sub-district/town, community
  type, cohort and of the facilitators (tested on the sample for several numbers of
  groups, with and without cannot-link pairs, and on the small district);
* every group has a facilitator in the top quartile of the capacity index;
* must-link pairs share a group, cannot-link pairs do not;
* on the sample, the plan is more diverse than each of 1,000 random partitions of
  either kind;
* same data and seed, same plan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch import DataError, InfeasibleError
from mentormatch.assess import latest_capacity
from mentormatch.features import SecretaryFeatures, secretary_features
from mentormatch.groups.salon import default_starts
from mentormatch.groups.terms import COHORT_YEAR, LEFT_THE_POST

SEED = 2018


@pytest.fixture(scope="module")
def plan(sample):
    return mm.salon_plan(sample, n_groups=10, seed=SEED, progress=False)


def _top_quartile(d: mm.District) -> set[str]:
    cap = latest_capacity(d).reindex(d.in_post["secretary_id"])
    threshold = np.nanquantile(cap.to_numpy(dtype=float), 0.75)
    return set(cap.index[cap.to_numpy() >= threshold])


def _assert_balanced(d: mm.District, groups: pd.Series, n_groups: int) -> None:
    post = d.in_post.set_index("secretary_id")
    table = pd.DataFrame(
        {
            "street_town": post["street_town"],
            "community_type": post["community_type"],
            "cohort": post["birth_year"] >= COHORT_YEAR,
            "facilitator": post.index.isin(_top_quartile(d)),
        }
    )
    table["group"] = groups.reindex(post.index)
    for variable in ("street_town", "community_type", "cohort", "facilitator"):
        counts = pd.crosstab(table["group"], table[variable]).reindex(
            range(1, n_groups + 1), fill_value=0
        )
        total = counts.sum(axis=0)
        low, high = total // n_groups, -(-total // n_groups)
        assert (counts >= low).all().all() and (counts <= high).all().all(), (
            f"{variable} is not balanced:\n{counts}"
        )


def _assert_groups(d: mm.District, groups: pd.Series, n_groups: int) -> None:
    assert list(groups.index) == d.in_post["secretary_id"].tolist()
    assert sorted(groups.unique()) == list(range(1, n_groups + 1))
    sizes = groups.value_counts()
    assert sizes.max() - sizes.min() <= 1
    fac = _top_quartile(d)
    for g in range(1, n_groups + 1):
        assert fac & set(groups.index[groups == g]), f"group {g} has no facilitator"


# --- the sample district ---------------------------------------------------------------


def test_sizes_differ_by_at_most_one(sample, plan):
    _assert_groups(sample, plan.groups, 10)
    assert sorted(plan.sizes.tolist()) == [28] * 8 + [29] * 2


def test_each_group_is_balanced_on_the_sample(sample, plan):
    _assert_balanced(sample, plan.groups, 10)
    assert plan.violation == 0
    assert plan.check() == []


def test_every_group_has_facilitators_and_one_lead(sample, plan):
    fac = plan.facilitators
    assert set(fac["group"]) == set(range(1, 11))
    assert set(fac["id"]) == _top_quartile(sample)
    leads = fac[fac["lead"]]
    assert sorted(leads["group"]) == list(range(1, 11))
    # The lead is the facilitator with the highest capacity index of the group.
    assert (leads.set_index("group")["capacity"] == fac.groupby("group")["capacity"].max()).all()
    frame = plan.to_frame().set_index("secretary_id")
    assert frame.loc[leads["id"], "lead"].all()
    assert int(frame["lead"].sum()) == 10


def test_diversity_is_the_sum_of_within_group_distances(sample, plan):
    post = ~sample.departed.to_numpy()
    features = secretary_features(sample)[post]
    encoder = SecretaryFeatures().fit(features)
    D = encoder.distances(features)
    labels = plan.groups.to_numpy()
    same = labels[:, None] == labels[None, :]
    assert plan.diversity == pytest.approx(D[same].sum() / 2)
    assert plan.mean_within > plan.mean_all


def test_beats_every_random_partition_on_the_sample(plan):
    r = plan.random
    assert r["baseline"].value_counts().to_dict() == {"same_rules": 1000, "same_sizes": 1000}
    assert plan.diversity > r["diversity"].max()
    assert plan.percentiles == {"same_rules": 100.0, "same_sizes": 100.0}
    assert plan.random_percentile == 100.0
    # Balance alone already raises diversity (community type is part of the distance):
    # the stricter baseline is the one under the same rules.
    means = r.groupby("baseline")["diversity"].mean()
    assert means["same_rules"] > means["same_sizes"]


def test_the_exchange_improves_on_every_start(plan):
    starts = plan.starts
    assert len(starts) == default_starts(282) == 5
    assert (starts["diversity"] > starts["start_diversity"]).all()
    assert (starts[["start_hard", "start_violation", "hard", "violation"]] == 0).all().all()
    for _, t in plan.trace.groupby("start"):
        assert (np.diff(t["diversity"].to_numpy()) > 0).all()


def test_to_frame_lists_every_secretary(sample, plan):
    frame = plan.to_frame()
    assert frame["secretary_id"].tolist() == sample.secretaries["secretary_id"].tolist()
    gone = sample.departed.to_numpy()
    assert frame.loc[gone, "group"].isna().all()
    assert (frame.loc[gone, "reason"] == LEFT_THE_POST).all()
    assert frame.loc[~gone, "group"].notna().all()
    assert (frame.loc[~gone, "reason"] == "").all()
    assert frame.loc[~gone, "group"].astype(int).tolist() == plan.groups.tolist()
    assert not frame.loc[gone, "facilitator"].any()


def test_balance_tables_show_each_variable(plan):
    table = plan.balance_table("community_type", lang="code")
    assert list(table.index) == [*range(1, 11), "range"]
    assert table.loc["range", "village"] == "0-1"
    zh = plan.balance_table("street_town", lang="zh")
    assert "桃浦镇" in zh.columns
    with pytest.raises(DataError, match="not balanced"):
        plan.balance_table("gender")


def test_summary_says_what_was_done(plan):
    text = plan.summary()
    assert "10 groups of 28 or 29" in text
    assert "more diverse than all" in text
    assert "month 12" in text
    assert "34 secretaries who left the post have no group" in text


def test_same_data_and_seed_same_plan(sample, plan):
    again = mm.salon_plan(sample, n_groups=10, seed=SEED, n_random=50, progress=False)
    assert again.groups.equals(plan.groups)
    assert again.starts.equals(plan.starts)
    assert again.topics.equals(plan.topics)
    twice = mm.salon_plan(sample, n_groups=10, seed=SEED, n_random=50, progress=False)
    assert twice.random.equals(again.random)
    assert twice.to_frame().equals(again.to_frame())
    # The contract function gives the same groups, and names do not matter.
    assert mm.form_salon_groups(sample, 10, seed=SEED).equals(plan.groups)
    assert mm.form_salon_groups(sample.pseudonymized(), 10, seed=SEED).equals(plan.groups)


def test_another_seed_keeps_the_guarantees(sample):
    groups = mm.form_salon_groups(sample, 10, seed=7)
    _assert_groups(sample, groups, 10)
    _assert_balanced(sample, groups, 10)


@pytest.mark.parametrize("n_groups", [4, 7, 13])
def test_balanced_for_other_numbers_of_groups(sample, n_groups):
    groups = mm.form_salon_groups(sample, n_groups, seed=1)
    _assert_groups(sample, groups, n_groups)
    _assert_balanced(sample, groups, n_groups)


def test_one_group_holds_everyone(sample):
    groups = mm.form_salon_groups(sample, 1)
    assert (groups == 1).all() and len(groups) == len(sample.in_post)


def test_the_small_district(small):
    plan = mm.salon_plan(small, n_groups=3, seed=0, n_random=200, progress=False)
    _assert_groups(small, plan.groups, 3)
    _assert_balanced(small, plan.groups, 3)
    # Few secretaries, few partitions that meet every bound: random draws can reach the
    # best one too, but none does better.
    sample = plan.random.loc[plan.random["baseline"] == "same_rules", "diversity"]
    assert plan.diversity >= sample.max() - 1e-9


# --- rules -------------------------------------------------------------------------------


def _pairs(d: mm.District, n: int, seed: int) -> list[tuple[str, str]]:
    ids = d.in_post["secretary_id"].to_numpy()
    rng = np.random.default_rng(seed)
    return [tuple(rng.choice(ids, 2, replace=False)) for _ in range(n)]


def test_must_link_and_cannot_link_pairs_are_kept(sample):
    must, cannot = _pairs(sample, 12, 1), _pairs(sample, 40, 2)
    plan = mm.salon_plan(
        sample, 10, seed=3, must_link=must, cannot_link=cannot, n_random=100, progress=False
    )
    g = plan.groups
    assert all(g[a] == g[b] for a, b in must)
    assert all(g[a] != g[b] for a, b in cannot)
    _assert_groups(sample, g, 10)
    assert plan.check() == []
    assert plan.must_link == tuple(must) and plan.cannot_link == tuple(cannot)
    # The random partitions compared with keep the same pairs (they meet the rules).
    assert plan.random_percentile == 100.0


def test_cannot_link_pairs_alone_keep_full_balance(sample):
    groups = mm.form_salon_groups(sample, 10, seed=4, cannot_link=_pairs(sample, 60, 5))
    _assert_balanced(sample, groups, 10)


def test_pairs_may_come_as_a_table(sample):
    table = pd.DataFrame({"a": ["S001", "S002"], "b": ["S003", "S004"]})
    groups = mm.form_salon_groups(sample, 10, must_link=table)
    assert groups["S001"] == groups["S003"] and groups["S002"] == groups["S004"]


def test_a_cannot_link_clique_larger_than_the_groups_is_infeasible(sample):
    ids = sample.in_post["secretary_id"].tolist()[:11]
    clique = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    with pytest.raises(InfeasibleError, match="11 members must all sit in different groups") as e:
        mm.form_salon_groups(sample, 10, cannot_link=clique)
    assert e.value.details["clique"] == sorted(ids)


def test_contradictory_pairs_are_infeasible(sample):
    with pytest.raises(InfeasibleError, match="cannot sit together, but must-link"):
        mm.form_salon_groups(
            sample,
            10,
            must_link=[("S001", "S002"), ("S002", "S003")],
            cannot_link=[("S003", "S001")],
        )


def test_a_must_link_chain_larger_than_a_group_is_infeasible(sample):
    ids = sample.in_post["secretary_id"].tolist()
    chain = [(ids[i], ids[i + 1]) for i in range(30)]
    with pytest.raises(InfeasibleError, match="31 members in one group.*at most 29"):
        mm.form_salon_groups(sample, 10, must_link=chain)


def test_too_few_facilitators_for_the_groups_is_infeasible(sample):
    n_fac = len(_top_quartile(sample))
    with pytest.raises(InfeasibleError, match=f"only {n_fac} secretaries .* top quartile"):
        mm.form_salon_groups(sample, n_fac + 1)


@pytest.mark.parametrize(
    ("pairs", "match"),
    [
        ([("S001", "S999")], "S999 in a must-link pair is not a secretary on the roster"),
        ([("S001", "S001")], "names S001 twice"),
        ([("S001",)], "must be a pair"),
        (["S001S002"], "must be a pair"),
    ],
)
def test_bad_pairs_are_data_errors(sample, pairs, match):
    with pytest.raises(DataError, match=match):
        mm.form_salon_groups(sample, 10, must_link=pairs)


def test_a_departed_secretary_in_a_pair_is_a_data_error(sample):
    gone = sample.secretaries.loc[sample.departed.to_numpy(), "secretary_id"].iloc[0]
    with pytest.raises(DataError, match=f"{gone} in a cannot-link pair has left the post"):
        mm.form_salon_groups(sample, 10, cannot_link=[("S001", gone)])


@pytest.mark.parametrize(
    ("n_groups", "match"),
    [
        (0, "at least 1, got 0"),
        (-3, "at least 1"),
        (283, "283 salon groups were asked for, but only 282 secretaries are in post"),
        (2.5, "whole number"),
        ("ten", "whole number"),
        (True, "whole number"),
    ],
)
def test_bad_numbers_of_groups_are_data_errors(sample, n_groups, match):
    with pytest.raises(DataError, match=match):
        mm.salon_plan(sample, n_groups=n_groups, n_random=0)


def test_bad_options_are_data_errors(sample):
    with pytest.raises(DataError, match="cannot balance on 'age'"):
        mm.salon_plan(sample, balance=("age",), n_random=0)
    with pytest.raises(DataError, match="n_random"):
        mm.salon_plan(sample, n_random=-1)
    with pytest.raises(DataError, match="n_starts"):
        mm.salon_plan(sample, n_starts=0, n_random=0)


def test_other_balance_variables(sample):
    plan = mm.salon_plan(sample, 10, balance=("gender", "education"), n_random=0, months=0)
    assert plan.balance_variables == ("gender", "education", "facilitator")
    assert plan.violation == 0
    assert plan.topics.empty


# --- mentors as facilitators -------------------------------------------------------------


def test_mentors_can_join_as_leads(sample):
    plan = mm.salon_plan(sample, 10, seed=1, mentors=True, n_random=0)
    men = plan.facilitators[plan.facilitators["kind"] == "mentor"]
    assert sorted(men["id"]) == sorted(sample.mentors["mentor_id"])
    per_group = men.groupby("group").size()
    assert per_group.max() - per_group.min() <= 1 and len(per_group) == 10
    leads = plan.facilitators[plan.facilitators["lead"]]
    assert (leads["kind"] == "mentor").all()
    _assert_balanced(sample, plan.groups, 10)


def test_mentors_cover_groups_the_top_quartile_cannot(sample):
    n_fac = len(_top_quartile(sample))
    n_groups = n_fac + 5  # more groups than top-quartile secretaries, mentors fill in
    with pytest.raises(InfeasibleError):
        mm.form_salon_groups(sample, n_groups)
    plan = mm.salon_plan(sample, n_groups, mentors=True, n_random=0, months=0, n_starts=1)
    assert set(plan.facilitators["group"]) == set(range(1, n_groups + 1))
    assert plan.check() == []
