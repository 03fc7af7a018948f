"""Clustering secretaries and mixed tables (mentormatch/cluster/)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score, silhouette_score

import mentormatch as mm
from mentormatch.cluster import MixedClusterer, SecretaryClusterer, engine
from mentormatch.cluster.profiles import (
    SHORT_LABELS,
    challenge_table,
    profile_clusters,
    top_challenges,
)
from mentormatch.cluster.selection import (
    bootstrap_indices,
    choose_k,
    cluster_jaccard,
    elbow_scores,
    stability,
)
from mentormatch.features import MixedEncoder, secretary_features
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES

FAST = {"n_bootstrap": 20}


# --- planted clusters ----------------------------------------------------------------------

PLANTED = {
    # community type, its own challenges, age and households around which members sit
    "old_public_housing": (("ageing", "lift_retrofit", "elderly_alone"), 58, 1800),
    "commercial": (("owners_committee", "parking", "facade_repair"), 42, 2500),
    "resettlement": (("hardship", "public_order", "missing_amenities"), 50, 3000),
    "village": (("collective_economy", "land_use", "migrants"), 46, 800),
}


def planted_secretaries(n_per: int = 30, noise: float = 0.1, seed: int = 0):
    """Secretary features in well-separated planted clusters, and the true labels."""
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    others = [c for c in CHALLENGES.codes if all(c not in v[0] for v in PLANTED.values())]
    for label, (ctype, (own, age, households)) in enumerate(PLANTED.items()):
        for _ in range(n_per):
            kept = tuple(c for c in own if rng.random() > noise)
            extra = (str(rng.choice(others)),) if rng.random() < noise else ()
            rows.append(
                {
                    "community_type": ctype if rng.random() > noise / 2 else "mixed",
                    "challenges": kept + extra,
                    "age": age + rng.normal(0, 4),
                    "years_in_post": rng.integers(0, 20),
                    "households": households * np.exp(rng.normal(0, 0.2)),
                    "share_aged_60_plus": rng.uniform(0.2, 0.4),
                    "capacity": rng.normal(78, 5),
                }
            )
            truth.append(label)
    return pd.DataFrame(rows), np.array(truth)


def planted_table(n_per: int = 25, seed: int = 0):
    """A generic mixed table (text, set, number) with three planted clusters."""
    rng = np.random.default_rng(seed)
    frames, truth = [], []
    for label, (colour, tags, centre) in enumerate(
        [("red", ("a", "b"), 0.0), ("green", ("c", "d"), 5.0), ("blue", ("e",), 10.0)]
    ):
        frames.append(
            pd.DataFrame(
                {
                    "colour": [colour] * n_per,
                    "tags": [tags if rng.random() > 0.2 else tags[:1] for _ in range(n_per)],
                    "size": centre + rng.normal(0, 1, n_per),
                }
            )
        )
        truth += [label] * n_per
    return pd.concat(frames, ignore_index=True), np.array(truth)


@pytest.mark.parametrize("method", ["kmedoids", "kmeans", "hierarchical"])
def test_planted_secretary_clusters_are_recovered(method):
    X, truth = planted_secretaries()
    labels = SecretaryClusterer(n_clusters=4, method=method, random_state=0).fit_predict(X)
    assert adjusted_rand_score(truth, labels) >= 0.9


@pytest.mark.parametrize("method", ["kmedoids", "kmeans", "hierarchical"])
def test_planted_clusters_in_any_mixed_table_are_recovered(method):
    X, truth = planted_table()
    labels = MixedClusterer(n_clusters=3, method=method, random_state=0).fit_predict(X)
    assert adjusted_rand_score(truth, labels) >= 0.9


def test_planted_k_is_found_automatically():
    X, truth = planted_secretaries(n_per=25)
    secretaries = _district_from_features(X)
    result = mm.cluster_secretaries(secretaries, k="auto", random_state=1, **FAST)
    assert result.k == 4
    assert adjusted_rand_score(truth, result.labels.to_numpy()) >= 0.9


def _district_from_features(X: pd.DataFrame) -> mm.District:
    """A District whose secretaries have the given features (no assessments)."""
    n = len(X)
    year = 2025
    secretaries = pd.DataFrame(
        {
            "secretary_id": [f"S{i:03d}" for i in range(n)],
            "name": [f"name{i}" for i in range(n)],
            "gender": "female",
            "birth_year": (year - X["age"].round()).astype(int),
            "education": "bachelor",
            "appointed_year": (year - X["years_in_post"]).astype(int),
            "street_town": "caoyang",
            "community_id": [f"C{i:03d}" for i in range(n)],
            "community_name": [f"community{i}" for i in range(n)],
            "community_type": X["community_type"],
            "households": X["households"].round().astype(int),
            "share_aged_60_plus": X["share_aged_60_plus"].round(3),
            "challenges": X["challenges"],
            "needs_mentor": False,
        }
    )
    mentors = pd.DataFrame(
        {
            "mentor_id": ["M001"],
            "name": ["mentor"],
            "street_town": ["caoyang"],
            "community_id": ["C000"],
            "years_as_secretary": [20],
            "community_types": [("commercial",)],
            "expertise": [("parking",)],
            "capacity": [5],
        }
    )
    return mm.District(secretaries=secretaries, mentors=mentors)


# --- the engine --------------------------------------------------------------------------------


def test_pam_finds_the_optimum_of_a_small_problem_by_exhaustive_search():
    rng = np.random.default_rng(3)
    points = rng.random((12, 2))
    D = np.abs(points[:, None, :] - points[None, :, :]).sum(axis=2)
    from itertools import combinations

    best = min(D[:, list(m)].min(axis=1).sum() for m in combinations(range(12), 3))
    assert engine.pam(D, 3).cost == pytest.approx(best)


def test_silhouette_matches_scikit_learn():
    rng = np.random.default_rng(0)
    points = rng.random((40, 3))
    D = np.abs(points[:, None, :] - points[None, :, :]).sum(axis=2)
    labels = engine.pam(D, 4).labels
    assert engine.silhouette(D, labels) == pytest.approx(
        silhouette_score(D, labels, metric="precomputed")
    )


def test_hierarchical_gives_exactly_k_clusters_even_with_identical_rows():
    D = np.zeros((6, 6))
    D[:3, 3:] = D[3:, :3] = 1.0
    assert sorted(set(engine.hierarchical(D, 4).tolist())) == [0, 1, 2, 3]


def test_clusters_are_numbered_from_the_largest():
    X, _ = planted_table(n_per=10)
    X = pd.concat([X, X.iloc[:10]], ignore_index=True)  # first cluster now the largest
    labels = MixedClusterer(n_clusters=3, random_state=0).fit_predict(X)
    sizes = np.bincount(labels)
    assert list(sizes) == sorted(sizes, reverse=True)


# --- the estimator API -------------------------------------------------------------------------


def test_estimator_api():
    X, _ = planted_secretaries(n_per=10)
    model = SecretaryClusterer(n_clusters=4, weights={"numbers": 0.2}, random_state=5)
    params = model.get_params()
    assert params["n_clusters"] == 4 and params["random_state"] == 5
    assert params["weights"] == {"numbers": 0.2}
    copy = clone(model)
    assert copy.get_params() == params
    with pytest.raises(NotFittedError):
        copy.predict(X)
    assert model.fit(X) is model
    assert model.labels_.shape == (len(X),)
    assert model.n_clusters_ == 4 and len(model.medoid_indices_) == 4
    assert np.array_equal(clone(model).fit_predict(X), model.labels_)
    assert not hasattr(copy, "labels_")


def test_nested_encoder_parameters_follow_the_scikit_learn_convention():
    model = MixedClusterer(encoder=MixedEncoder(weights={"categorical": 2.0}))
    assert model.get_params()["encoder__weights"] == {"categorical": 2.0}
    model.set_params(encoder__weights={"categorical": 1.0})
    assert model.encoder.weights == {"categorical": 1.0}


@pytest.mark.parametrize("method", ["kmedoids", "kmeans", "hierarchical"])
def test_predict_on_new_data(method):
    X, truth = planted_secretaries(n_per=20, seed=1)
    new, new_truth = planted_secretaries(n_per=5, seed=2)
    model = SecretaryClusterer(n_clusters=4, method=method, random_state=0).fit(X)
    # Map fitted clusters to planted labels, then check the new rows land right.
    mapping = {c: np.bincount(truth[model.labels_ == c]).argmax() for c in range(4)}
    predicted = np.array([mapping[c] for c in model.predict(new)])
    assert (predicted == new_truth).mean() >= 0.9
    if method == "kmedoids":  # PAM assigns every row to its nearest medoid
        assert np.array_equal(model.predict(X), model.labels_)


def test_fitting_does_not_change_the_given_encoder():
    encoder = MixedEncoder(weights={"categorical": 2.0})
    MixedClusterer(n_clusters=3, encoder=encoder).fit(planted_table()[0])
    assert not hasattr(encoder, "blocks_")


@pytest.mark.parametrize("bad", [{"method": "dbscan"}, {"linkage": "centroid"}])
def test_unknown_methods_are_refused(bad):
    with pytest.raises(ValueError):
        MixedClusterer(n_clusters=2, **bad).fit(planted_table()[0])


# --- choosing k ----------------------------------------------------------------------------------


def test_k_selection_reports_all_three_signals_for_every_k(sample):
    result = mm.cluster_secretaries(sample, k="auto", random_state=0, **FAST)
    table = result.selection
    assert table["k"].tolist() == list(range(2, 11))
    for column in ["silhouette", "cost", "elbow", "stability_min", "stability_mean"]:
        assert table[column].notna().all(), column
    assert table["chosen"].sum() == 1
    assert int(table.loc[table["chosen"], "k"].iloc[0]) == result.k
    text = result.summary()
    assert "silhouette" in text and "elbow" in text and "stability" in text
    assert result.reason in text


def test_the_rule_puts_stability_first():
    t = pd.DataFrame(
        {
            "k": [2, 3, 4],
            "silhouette": [0.30, 0.35, 0.60],
            "elbow": [0.0, 0.3, 0.0],
            "stability_min": [0.9, 0.8, 0.4],
        }
    )
    k, reason = choose_k(t)
    assert k == 3  # k=4 has the best silhouette but an unstable cluster
    assert "unstable" in reason


def test_the_rule_breaks_silhouette_ties_by_the_elbow():
    t = pd.DataFrame(
        {
            "k": [2, 3, 4, 5],
            "silhouette": [0.50, 0.51, 0.40, 0.505],
            "elbow": [0.0, 0.1, 0.2, 0.0],
            "stability_min": [0.9] * 4,
        }
    )
    assert choose_k(t)[0] == 3
    t["elbow"] = [0.0, 0.1, 0.2, 0.3]
    t.loc[3, "elbow"] = 0.5  # elbow at 5, whose silhouette ties the best
    assert choose_k(t)[0] == 5


def test_the_rule_keeps_the_most_stable_when_none_is_stable():
    t = pd.DataFrame(
        {"k": [2, 3], "silhouette": [0.2, 0.5], "elbow": [0.0, 0.0], "stability_min": [0.55, 0.3]}
    )
    k, reason = choose_k(t)
    assert k == 2 and "no k is free of unstable clusters" in reason


def test_elbow_of_a_sharp_bend():
    scores = elbow_scores([2, 3, 4, 5, 6], [100, 20, 15, 12, 10])
    assert int(np.argmax(scores)) == 1
    assert scores[0] == scores[-1] == 0
    assert np.all(elbow_scores([2, 3, 4], [5, 5, 5]) == 0)


def test_jaccard_of_clusters_by_hand():
    # Original cluster 0 = {0, 1, 2}; in the resample {0, 1} and {2, 3}.
    jac = cluster_jaccard(np.array([0, 0, 0, 1]), np.array([0, 0, 1, 1]), 2)
    assert jac[0] == pytest.approx(2 / 3)  # {0,1,2} vs {0,1}
    assert jac[1] == pytest.approx(1 / 2)  # {3} vs {2,3}
    assert np.isnan(cluster_jaccard(np.array([0]), np.array([0]), 2)[1])


def test_separated_clusters_are_perfectly_stable_and_noise_is_not():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(0, 0.1, 20), rng.normal(10, 0.1, 20)])
    D = np.abs(x[:, None] - x[None, :])
    fits = {2: engine.pam(D, 2).labels}
    resamples = bootstrap_indices(len(D), 30, rng)
    result = stability(fits, lambda idx, k: engine.pam(D[np.ix_(idx, idx)], k).labels, resamples)
    assert np.allclose(result[2], 1.0)
    noise = rng.random(40)
    D = np.abs(noise[:, None] - noise[None, :])
    fits = {6: engine.pam(D, 6).labels}
    weak = stability(fits, lambda idx, k: engine.pam(D[np.ix_(idx, idx)], k).labels, resamples)
    assert weak[6].min() < 0.75


def test_the_default_bootstrap_has_100_resamples(small):
    result = mm.cluster_secretaries(small, k=3, random_state=0)
    assert result.n_bootstrap == 100
    assert result.stability.between(0, 1).all()
    assert "100 bootstrap resamples" in result.summary()


def test_without_bootstrap_stability_is_reported_as_not_measured(small):
    result = mm.cluster_secretaries(small, k="auto", n_bootstrap=0, random_state=0)
    assert result.stability.isna().all()
    assert "not measured" in result.summary()
    assert "stability not measured" in result.reason


# --- the result ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_result(sample):
    return mm.cluster_secretaries(sample, k="auto", random_state=2018, **FAST)


def test_every_secretary_is_in_the_frame(sample, sample_result):
    frame = sample_result.to_frame()
    assert frame["secretary_id"].tolist() == sample.secretaries["secretary_id"].tolist()
    assert list(frame.columns) == [
        "secretary_id",
        "name",
        "cluster",
        "cluster_name_zh",
        "cluster_name_en",
        "clustered",
    ]
    assert frame.notna().all().all()
    assert set(frame["cluster"]) == set(range(1, sample_result.k + 1))
    departed = sample.departed.to_numpy()
    assert (frame["clustered"].to_numpy() == ~departed).all()
    assert frame["name"].tolist() == sample.secretaries["name"].tolist()


def test_profiles_describe_each_cluster(sample_result):
    p = sample_result.profiles
    assert list(p.index) == list(range(1, sample_result.k + 1))
    assert p["size"].sum() == int(sample_result.clustered.sum())
    assert p["name_zh"].is_unique and p["name_en"].is_unique
    assert (p["median_age"] > 18).all() and (p["median_years_in_post"] >= 0).all()
    for _, row in p.iterrows():
        assert all(lift > 1 for lift in row["lift"])
        assert row["needs_zh"] and row["needs_en"]
        head = SHORT_LABELS["community_type"][row["types"][0]]
        assert row["name_zh"].startswith(head[0]) and row["name_en"].startswith(head[1])


def test_synthetic_clusters_follow_community_types(sample, sample_result):
    # The synthesizer draws challenges by community type: clusters should find types.
    fitted = sample_result.clustered.to_numpy()
    types = sample.secretaries["community_type"].to_numpy()[fitted]
    assert adjusted_rand_score(types, sample_result.labels.to_numpy()[fitted]) > 0.8


def test_prevalence_table_for_the_heatmap(sample_result):
    wide = sample_result.prevalence()
    assert list(wide.index) == [*range(1, sample_result.k + 1), 0]
    assert wide.to_numpy().min() >= 0 and wide.to_numpy().max() <= 1
    sizes = sample_result.profiles["size"].to_numpy()
    # The district row is the size-weighted mean of the clusters.
    assert np.allclose(wide.loc[0], (wide.iloc[:-1].mul(sizes, axis=0)).sum() / sizes.sum())


def test_lift_by_hand():
    features = pd.DataFrame(
        {
            "community_type": ["old_public_housing"] * 4 + ["commercial"] * 4,
            "challenges": [("ageing", "parking")] * 3
            + [("parking",)]
            + [("owners_committee",)] * 2
            + [("owners_committee", "parking")]
            + [()],
            "age": [50.0] * 8,
            "years_in_post": [4.0, 6.0, 8.0, 10.0, 1.0, 2.0, 3.0, 3.0],
            "capacity": [80.0] * 8,
        }
    )
    labels = np.array([1, 1, 1, 1, 2, 2, 2, 2])
    table = challenge_table(features, labels).set_index(["cluster", "challenge"])
    # ageing: 3 of 4 in cluster 1, 3 of 8 overall -> lift 2
    assert table.loc[(1, "ageing"), "prevalence"] == 0.75
    assert table.loc[(1, "ageing"), "district"] == 0.375
    assert table.loc[(1, "ageing"), "lift"] == pytest.approx(2.0)
    # parking: 4/4 vs 5/8 -> 1.6; in cluster 2 1/4 vs 5/8 -> 0.4
    assert table.loc[(1, "parking"), "lift"] == pytest.approx(1.6)
    assert table.loc[(2, "parking"), "lift"] == pytest.approx(0.4)
    # Nobody names lift retrofit: no row, so no undefined lift.
    assert "lift_retrofit" not in table.index.get_level_values("challenge")
    top = top_challenges(table.reset_index(), 1)
    assert top["challenge"].tolist() == ["ageing", "parking"]  # +37.5 and +37.5 points
    profiles, _ = profile_clusters(features, labels)
    assert profiles.loc[1, "name_zh"] == "老公房·老龄化"
    assert profiles.loc[1, "name_en"] == "old public housing, ageing"
    assert profiles.loc[2, "challenges"] == ("owners_committee",)
    assert profiles.loc[1, "median_years_in_post"] == 7.0
    assert "launch class" in profiles.loc[2, "needs_en"]  # median 2.5 years in post


def test_short_labels_cover_the_vocabulary():
    assert set(SHORT_LABELS["community_type"]) == set(COMMUNITY_TYPES.codes)
    assert set(SHORT_LABELS["challenge"]) == set(CHALLENGES.codes)
    for table in SHORT_LABELS.values():
        zh = [v[0] for v in table.values()]
        en = [v[1] for v in table.values()]
        assert len(set(zh)) == len(zh) and len(set(en)) == len(en)


def test_clashing_names_get_more_challenges_then_numbers():
    features = pd.DataFrame(
        {
            "community_type": ["commercial"] * 6,
            "challenges": [("parking", "ageing")] * 3 + [("parking", "fire_safety")] * 3,
            "age": [50.0] * 6,
            "years_in_post": [9.0] * 6,
            "capacity": [np.nan] * 6,
        }
    )
    profiles, _ = profile_clusters(features, np.array([1, 1, 1, 2, 2, 2]))
    assert profiles["name_zh"].is_unique


def test_same_data_and_seed_give_identical_output(small, tmp_path):
    a = mm.cluster_secretaries(small, random_state=11, **FAST)
    b = mm.cluster_secretaries(small, random_state=11, **FAST)
    a.to_frame().to_csv(tmp_path / "a.csv", index=False)
    b.to_frame().to_csv(tmp_path / "b.csv", index=False)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert a.summary() == b.summary()
    pd.testing.assert_frame_equal(a.selection, b.selection)


def test_kmeans_is_deterministic_for_a_seed(small):
    a = mm.cluster_secretaries(small, k=3, method="kmeans", random_state=4, n_bootstrap=5)
    b = mm.cluster_secretaries(small, k=3, method="kmeans", random_state=4, n_bootstrap=5)
    assert a.labels.equals(b.labels) and a.stability.equals(b.stability)


def test_a_fixed_k_has_one_selection_row(small):
    result = mm.cluster_secretaries(small, k=3, random_state=0, **FAST)
    assert result.k == 3 and len(result.selection) == 1
    assert result.reason.startswith("k = 3 was given")
    assert ("unstable" in result.reason) == bool(result.selection["n_unstable"].iloc[0])


def test_result_model_predicts_like_the_result(sample, sample_result):
    model = sample_result.model
    features = secretary_features(sample)
    assert np.array_equal(model.predict(features) + 1, sample_result.labels.to_numpy())


# --- bad input -----------------------------------------------------------------------------------


def _tiny(n_identical: bool = False) -> mm.District:
    d = mm.synthesize_district(seed=5, n_secretaries=10, n_villages=0, assessments=False)
    s = d.secretaries.copy()
    if n_identical:
        first = s.iloc[0]
        for column in [
            "community_type",
            "birth_year",
            "appointed_year",
            "households",
            "share_aged_60_plus",
        ]:
            s[column] = first[column]
        s["challenges"] = [first["challenges"]] * len(s)
    return d.replace(secretaries=s, career=d.career.iloc[0:0])


def test_too_few_secretaries_for_k_is_a_data_error():
    d = _tiny()
    with pytest.raises(mm.DataError, match="ask for at most"):
        mm.cluster_secretaries(d, k=20, **FAST)


def test_k_typed_as_digits_is_read_as_a_number(small):
    assert mm.cluster_secretaries(small, k="3", **FAST).k == 3


@pytest.mark.parametrize("k", [1, 0, -3, 2.5, "many", True])
def test_a_bad_k_is_a_data_error(small, k):
    with pytest.raises(mm.DataError, match="number of clusters"):
        mm.cluster_secretaries(small, k=k, **FAST)


def test_all_secretaries_identical_is_a_data_error():
    d = _tiny(n_identical=True)
    for k in ("auto", 2):
        with pytest.raises(mm.DataError, match="nothing to cluster"):
            mm.cluster_secretaries(d, k=k, **FAST)
    with pytest.raises(mm.DataError, match="nothing to cluster"):
        SecretaryClusterer(n_clusters=2).fit(d)


def test_auto_k_stops_at_the_number_of_distinct_secretaries():
    d = _tiny(n_identical=True)
    s = d.secretaries.copy()
    s.loc[0, "community_type"] = "village"  # three distinct secretaries in all
    s.loc[1, "community_type"] = "old_lane"
    result = mm.cluster_secretaries(d.replace(secretaries=s), k="auto", **FAST)
    assert result.selection["k"].tolist() == [2, 3]


def test_no_challenges_at_all_is_a_documented_degenerate_result(small):
    s = small.secretaries.copy()
    s["challenges"] = [()] * len(s)
    d = small.replace(secretaries=s)
    result = mm.cluster_secretaries(d, k="auto", random_state=0, **FAST)
    assert result.challenges.empty  # nobody names a challenge: no lift to compute
    assert all(c == () for c in result.profiles["challenges"])
    assert not result.selection[["silhouette", "cost", "elbow"]].isna().any().any()
    for name in result.profiles["name_en"]:
        assert "," not in name  # named by community type alone
    assert "none more common here" in result.summary()
    assert result.prevalence().shape[1] == 0


def test_no_secretary_in_post_is_a_data_error(small):
    everyone_left = pd.DataFrame(
        {"secretary_id": small.secretaries["secretary_id"], "event": "left", "year": 2024}
    )
    with pytest.raises(mm.DataError, match="no secretary is in post"):
        mm.cluster_secretaries(small.replace(career=everyone_left), **FAST)


def test_bad_method_or_bootstrap_is_a_data_error(small):
    with pytest.raises(mm.DataError, match="method"):
        mm.cluster_secretaries(small, method="magic")
    with pytest.raises(mm.DataError, match="n_bootstrap"):
        mm.cluster_secretaries(small, n_bootstrap=-1)
