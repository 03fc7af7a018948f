"""The fast anticlustering engine (mentormatch/groups/fast.py) and salon plans on it.

Mid-size synthetic districts are forced onto the fast engine (``method="fast"``); the
engine itself is checked on small random instances, where hypothesis is cheap.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.features import SecretaryFeatures, secretary_features
from mentormatch.groups import salon as salon_module
from mentormatch.groups.draws import random_under_rules, shuffle_within_kinds
from mentormatch.groups.fast import (
    _FastState,
    fast_anticluster,
    kmeans_objective,
    kmeans_objectives,
    partners,
)
from mentormatch.groups.problem import _shortage, _violation, check_partition, encode_rules


@pytest.fixture(scope="module")
def mid():
    return mm.synthesize_district(seed=5, n_secretaries=1500, n_mentors=70, n_bases=100)


@pytest.fixture(scope="module")
def plan(mid):
    return mm.salon_plan(mid, 48, method="fast", n_random=20, months=0, progress=False)


def _instance(seed: int, n: int, groups: int, *, cannot: int = 0, must: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    cats = np.column_stack([rng.integers(0, 3, n), rng.integers(0, 2, n)])
    required = rng.random(n) < 0.3
    required[:groups] = True
    pairs = rng.choice(n, size=(cannot + must, 2), replace=False) if cannot + must else []
    pairs = [tuple(p) for p in np.asarray(pairs).reshape(-1, 2)]
    inst = encode_rules(
        n,
        groups,
        categories=cats,
        required=required,
        must_link=pairs[:must],
        cannot_link=pairs[must:],
    )
    return inst, X, pairs[:must], pairs[must:]


# --- Salon plans on the fast engine -------------------------------------------------------


def test_the_fast_plan_keeps_every_rule(mid, plan):
    assert plan.method == "fast"
    assert plan.check() == []
    assert plan.violation == 0
    sizes = plan.sizes
    assert len(sizes) == 48 and sizes.max() - sizes.min() <= 1
    assert len(plan.groups) == len(mid.in_post)
    assert set(plan.facilitators["group"]) == set(range(1, 49))
    assert np.isfinite(plan.objective)


def test_the_fast_plan_beats_random_partitions(plan):
    assert plan.percentiles["same_rules"] == 100.0
    assert plan.percentiles["same_sizes"] == 100.0
    assert plan.mean_within > plan.mean_all


def test_fast_diversity_is_the_sum_of_within_group_distances(mid, plan):
    post = ~mid.departed.to_numpy()
    f = secretary_features(mid)[post]
    enc = SecretaryFeatures().fit(f)
    D = enc.code_distances(enc.encode(f))
    labels = plan.groups.to_numpy() - 1
    same = labels[:, None] == labels[None, :]
    assert plan.diversity == pytest.approx(D[same].sum() / 2, rel=1e-9)
    exact = D[np.triu_indices(len(D), 1)].mean()
    assert plan.mean_all == pytest.approx(exact, abs=0.005)  # sampled at this size
    for g, row in plan.profiles.iterrows():
        m = labels == g - 1
        k = int(m.sum())
        assert row["mean_distance"] == pytest.approx(D[np.ix_(m, m)].sum() / (k * (k - 1)))


def test_same_seed_same_fast_groups(mid, plan):
    again = mm.form_salon_groups(mid, 48, method="fast")
    assert again.equals(plan.groups)
    other = mm.form_salon_groups(mid, 48, method="fast", seed=1)
    assert not other.equals(plan.groups)


def test_fast_plans_keep_links(mid):
    ids = mid.in_post["secretary_id"].astype(str).tolist()
    must = [(ids[0], ids[1]), (ids[1], ids[2]), (ids[10], ids[11])]
    cannot = [(ids[0], ids[20]), (ids[3], ids[4]), (ids[5], ids[6])]
    p = mm.salon_plan(
        mid,
        48,
        method="fast",
        must_link=must,
        cannot_link=cannot,
        n_random=5,
        months=0,
        progress=False,
    )
    assert p.check() == []
    g = p.groups
    assert g[ids[0]] == g[ids[1]] == g[ids[2]] and g[ids[10]] == g[ids[11]]
    assert g[ids[0]] != g[ids[20]] and g[ids[3]] != g[ids[4]] and g[ids[5]] != g[ids[6]]
    assert (p.random["baseline"] == "same_rules").sum() == 5


def test_mentors_join_fast_plans(mid):
    p = mm.salon_plan(mid, 48, method="fast", mentors=True, n_random=0, months=0)
    assert p.check() == []
    assert (p.facilitators["kind"] == "mentor").sum() == len(mid.mentors)
    assert p.facilitators.groupby("group")["lead"].sum().eq(1).all()


def test_the_engine_is_chosen_by_size(monkeypatch):
    d = mm.synthesize_district(seed=1)
    assert mm.salon_plan(d, n_random=0, months=0).method == "exchange"
    monkeypatch.setattr(salon_module, "FAST_FROM", 100)
    p = mm.salon_plan(d, n_random=10, months=0, progress=False)
    assert p.method == "fast" and p.check() == []
    assert "fast method" in p.summary()
    with pytest.raises(mm.DataError, match="method"):
        mm.salon_plan(d, method="quick")


# --- The engine -----------------------------------------------------------------------------


def test_kmeans_objectives_match_one_by_one():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    labels = np.array([rng.permutation(np.arange(30) % 4) for _ in range(5)])
    one = [kmeans_objective(X, row, 4) for row in labels]
    assert kmeans_objectives(X, labels, 4) == pytest.approx(one)
    # The definition: squared distances to each group's centroid.
    row = labels[0]
    direct = sum(((X[row == g] - X[row == g].mean(axis=0)) ** 2).sum() for g in range(4))
    assert one[0] == pytest.approx(direct)


def test_partners_have_the_units_size_and_are_not_itself():
    rng = np.random.default_rng(1)
    Xu = rng.normal(size=(40, 2))
    size = np.array([1] * 36 + [2] * 4)
    W = partners(Xu, size, rng, k=5, n_random=3)
    for u in range(40):
        w = W[u][W[u] >= 0]
        assert u not in w
        assert (size[w] == size[u]).all()


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(40, 160),
    groups=st.integers(2, 8),
    cannot=st.integers(0, 3),
    must=st.integers(0, 3),
)
def test_fast_results_keep_every_rule_and_beat_random_partitions(seed, n, groups, cannot, must):
    inst, X, must_pairs, cannot_pairs = _instance(seed, n, groups, cannot=cannot, must=must)
    res = fast_anticluster(inst, X, seed=seed)
    assert check_partition(inst, res.labels, must_link=must_pairs, cannot_link=cannot_pairs) == []
    assert res.hard == 0 and res.violation == 0
    assert res.diversity == pytest.approx(kmeans_objective(X, res.labels, groups))
    rand = random_under_rules(inst, 30, np.random.default_rng(seed))
    assert len(rand)
    assert res.diversity >= np.median(kmeans_objectives(X, rand, groups))
    # Same seed, same result.
    assert np.array_equal(fast_anticluster(inst, X, seed=seed).labels, res.labels)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(20, 120), groups=st.integers(2, 6))
def test_incremental_sums_equal_a_recomputation(seed, n, groups):
    inst, X, _, _ = _instance(seed, n, groups, cannot=2, must=2)
    rng = np.random.default_rng(seed)
    Xu = np.zeros((inst.m, X.shape[1]))
    np.add.at(Xu, inst.unit_of, X)
    part = partners(Xu, inst.unit_size, rng, k=4, n_random=2)
    lab = rng.permutation(inst.m) % groups  # any start; rules need not hold
    state = _FastState(inst, Xu, part, lab, float((X * X).sum()))
    state.mend(rng, 50)
    for _ in range(30):
        if not state.round():
            break
        labels = state.lab[inst.unit_of]
        S = np.zeros_like(state.S)
        np.add.at(S, labels, X)
        assert state.S == pytest.approx(S, abs=1e-9)
        counts = np.zeros_like(state.counts)
        np.add.at(counts, labels, inst.item_K)
        assert np.array_equal(state.counts, counts)
        assert state.objective == pytest.approx(kmeans_objective(X, labels, groups), abs=1e-9)
        hard, violation, _ = inst.score(labels)
        assert (state.hard, state.violation) == (hard, violation)
        b = inst.n_balance
        assert state.violation == _violation(counts[:, :b], inst.low, inst.high).sum()
        assert state.hard >= _shortage(counts[:, b:], inst.minimum).sum()


def test_the_fast_result_is_a_local_optimum_of_its_partners():
    inst, X, _, _ = _instance(3, 150, 5)
    res = fast_anticluster(inst, X, seed=3)
    Xu = np.zeros((inst.m, X.shape[1]))
    np.add.at(Xu, inst.unit_of, X)
    # The same partners as the run (the same seed stream): no swap among them helps.
    seeds = np.random.SeedSequence(3).spawn(3)
    part = partners(Xu, inst.unit_size, np.random.default_rng(seeds[1]))
    state = _FastState(inst, Xu, part, inst.unit_labels(res.labels), float((X * X).sum()))
    assert state.round() == 0


def test_shuffles_within_kinds_keep_every_count():
    inst, X, _, cannot_pairs = _instance(7, 200, 6, cannot=3)
    base = random_under_rules(inst, 1, np.random.default_rng(0))[0]
    rows = shuffle_within_kinds(inst, inst.unit_labels(base), 10, np.random.default_rng(1))
    counts = np.zeros((6, inst.item_K.shape[1]), dtype=np.int64)
    np.add.at(counts, base, inst.item_K)
    for row in rows:
        c = np.zeros_like(counts)
        np.add.at(c, row, inst.item_K)
        assert np.array_equal(c, counts)
        assert check_partition(inst, row, cannot_link=cannot_pairs) == []
    assert len({tuple(r) for r in rows}) == 10
