"""Secretary features, the mixed encoder and its distance (mentormatch/features/)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

import mentormatch as mm
from mentormatch.features import (
    BLOCK_WEIGHTS,
    NUMERIC_FEATURES,
    MixedEncoder,
    SecretaryFeatures,
    coded_features,
    decoded_features,
    jaccard_distances,
    region_year,
    roster_year,
    secretary_features,
)
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES


@pytest.fixture(scope="module")
def district() -> mm.District:
    return mm.synthesize_district(seed=7)


@pytest.fixture(scope="module")
def features(district) -> pd.DataFrame:
    return secretary_features(district)


def _secretaries(rows: list[dict]) -> pd.DataFrame:
    """A hand-made feature table (defaults for the columns a test does not care about)."""
    base = {
        "community_type": "commercial",
        "challenges": (),
        "age": 40.0,
        "years_in_post": 5.0,
        "households": 1000.0,
        "share_aged_60_plus": 0.3,
        "capacity": 80.0,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


# --- secretary_features --------------------------------------------------------------------


def test_one_row_per_secretary_in_roster_order(district, features):
    assert features.index.tolist() == district.secretaries["secretary_id"].tolist()
    assert list(features.columns) == ["community_type", "challenges", *NUMERIC_FEATURES]


def test_ages_and_years_count_to_the_roster_year(district, features):
    year = roster_year(district)
    s = district.secretaries.set_index("secretary_id")
    in_post = district.in_post["secretary_id"]
    assert (features.loc[in_post, "age"] == year - s.loc[in_post, "birth_year"]).all()
    assert (features.loc[in_post, "years_in_post"] == year - s.loc[in_post, "appointed_year"]).all()


def test_departed_years_in_post_end_when_they_left(district, features):
    left = district.career[district.career["event"].isin(["left", "civil_servant"])]
    row = left.iloc[0]
    s = district.secretaries.set_index("secretary_id")
    appointed = s.at[row["secretary_id"], "appointed_year"]
    assert features.at[row["secretary_id"], "years_in_post"] == row["year"] - appointed


def test_capacity_is_the_latest_index_and_missing_when_never_assessed(district, features):
    latest = mm.assess.latest_capacity(district)
    assert np.allclose(features["capacity"], latest.to_numpy(), equal_nan=True)
    never = set(district.secretaries["secretary_id"]) - set(district.assessments["secretary_id"])
    assert never, "the synthetic district has secretaries appointed after the last wave"
    assert features.loc[sorted(never), "capacity"].isna().all()


def test_without_assessments_capacity_is_all_missing():
    d = mm.synthesize_district(seed=3, assessments=False)
    assert secretary_features(d)["capacity"].isna().all()


# --- Jaccard -------------------------------------------------------------------------------


def test_jaccard_of_two_empty_sets_is_zero():
    empty = np.zeros((2, 5))
    assert jaccard_distances(empty).tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_jaccard_by_hand():
    a = np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 0, 1], [0, 0, 0, 0]])
    d = jaccard_distances(a)
    assert d[0, 1] == pytest.approx(1 - 1 / 3)  # {x, y} vs {y, z}
    assert d[0, 2] == 1.0  # disjoint
    assert d[2, 3] == 1.0  # a set against the empty set
    assert d[3, 3] == 0.0


def test_secretaries_without_challenges_are_alike_on_that_block():
    X = _secretaries([{"challenges": ()}, {"challenges": ()}, {"challenges": ("parking",)}])
    enc = SecretaryFeatures(weights={"community_type": 0, "numbers": 0}).fit(X)
    d = enc.distances(X)
    assert d[0, 1] == 0.0
    assert d[0, 2] == 1.0


# --- block weights ---------------------------------------------------------------------------


def test_distance_is_the_weighted_mean_of_block_distances():
    # Rows 0 and 1 differ only in type (1), rows 0 and 2 only in challenges (1/2).
    X = _secretaries(
        [
            {"community_type": "commercial", "challenges": ("parking",)},
            {"community_type": "village", "challenges": ("parking",)},
            {"community_type": "commercial", "challenges": ("parking", "ageing")},
        ]
    )
    for w_type, w_ch in [(1.0, 1.0), (3.0, 1.0), (1.0, 4.0)]:
        enc = SecretaryFeatures(
            weights={"community_type": w_type, "challenges": w_ch, "numbers": 0.0}
        ).fit(X)
        d = enc.distances(X)
        assert d[0, 1] == pytest.approx(w_type / (w_type + w_ch))
        assert d[0, 2] == pytest.approx(0.5 * w_ch / (w_type + w_ch))


def test_a_block_counts_as_its_weight_not_its_number_of_columns():
    # Two rows as far apart as possible on all five numbers, alike otherwise; two rows
    # of different type, alike otherwise. With equal weights both pairs are equally far.
    X = _secretaries(
        [
            {
                "age": 30,
                "years_in_post": 0,
                "households": 100,
                "share_aged_60_plus": 0.1,
                "capacity": 60,
            },
            {
                "age": 60,
                "years_in_post": 30,
                "households": 9000,
                "share_aged_60_plus": 0.6,
                "capacity": 95,
            },
            {
                "age": 30,
                "years_in_post": 0,
                "households": 100,
                "share_aged_60_plus": 0.1,
                "capacity": 60,
                "community_type": "village",
            },
        ]
    )
    enc = SecretaryFeatures(weights={"community_type": 1, "challenges": 1, "numbers": 1}).fit(X)
    d = enc.distances(X)
    assert d[0, 1] == pytest.approx(1 / 3)
    assert d[0, 2] == pytest.approx(1 / 3)


def test_default_weights_are_documented_and_partial_weights_keep_the_rest():
    enc = SecretaryFeatures(weights={"numbers": 2.0}).fit(_secretaries([{}, {}]))
    assert {b.name: b.weight for b in enc.blocks_} == {**BLOCK_WEIGHTS, "numbers": 2.0}


def test_generic_default_is_one_weight_per_column():
    X = pd.DataFrame({"a": ["x", "y"], "b": ["p", "q"], "n": [0.0, 1.0]})
    enc = MixedEncoder().fit(X)
    assert {b.name: b.weight for b in enc.blocks_} == {"categorical": 2.0, "numeric": 1.0}


@pytest.mark.parametrize(
    "weights", [{"nope": 1.0}, {"numbers": -1.0}, {"numbers": float("nan")}, {"numbers": "a"}]
)
def test_bad_weights_are_data_errors(weights):
    with pytest.raises(mm.DataError):
        SecretaryFeatures(weights=weights).fit(_secretaries([{}, {}]))


def test_all_weights_zero_is_a_data_error():
    zero = dict.fromkeys(BLOCK_WEIGHTS, 0.0)
    with pytest.raises(mm.DataError, match="at least one block weight"):
        SecretaryFeatures(weights=zero).fit(_secretaries([{}, {}]))


def test_embedding_gives_each_block_its_share_of_variance(features):
    weights = {"community_type": 2.0, "challenges": 1.0, "numbers": 1.0}
    enc = SecretaryFeatures(weights=weights).fit(features)
    E = enc.transform(features)
    for b in enc.blocks_:
        share = E[:, b.start : b.stop].var(axis=0).sum()
        assert share == pytest.approx(weights[b.name] / 4.0)


# --- missing values and unseen values ------------------------------------------------------


def test_missing_capacity_takes_the_median():
    X = _secretaries(
        [{"capacity": 60.0}, {"capacity": 80.0}, {"capacity": 90.0}, {"capacity": np.nan}]
    )
    enc = SecretaryFeatures().fit(X)
    assert enc.medians_["capacity"] == 80.0
    codes = enc.encode(X)
    column = list(enc.feature_names_out_).index("capacity")
    assert codes[3, column] == codes[1, column]


def test_a_table_without_capacity_column_is_accepted():
    X = _secretaries([{}, {"age": 50}]).drop(columns="capacity")
    assert SecretaryFeatures().fit(X).transform(X).shape[0] == 2


def test_a_table_lacking_columns_says_which():
    with pytest.raises(mm.DataError, match="age"):
        SecretaryFeatures().fit(_secretaries([{}]).drop(columns=["age"]))


def test_missing_categories_are_left_out_as_in_gower():
    X = pd.DataFrame({"a": ["x", "x", None], "b": ["p", "q", "q"]})
    enc = MixedEncoder(categorical=["a", "b"]).fit(X)
    d = enc.distances(X)
    assert d[0, 1] == pytest.approx(0.5)  # differ on b of {a, b}
    assert d[1, 2] == pytest.approx(0.0)  # a unknown for row 2; alike on b
    assert d[0, 2] == pytest.approx(1.0)  # only b observed in both, and it differs


def test_a_row_with_nothing_observed_sits_at_the_mean_distance():
    X = pd.DataFrame({"a": ["x", "y", "x", None], "b": ["p", "p", "q", None]})
    enc = MixedEncoder(categorical=["a", "b"]).fit(X)
    d = enc.distances(X)
    observed = d[:3, :3][np.triu_indices(3, 1)]
    assert enc.fills_["categorical"] == pytest.approx(observed.mean())
    assert np.allclose(d[3, :3], observed.mean())
    assert d[3, 3] == 0.0


def test_new_values_beyond_the_fitted_range_are_clipped():
    X = _secretaries([{"age": 30}, {"age": 50}])
    enc = SecretaryFeatures(weights={"community_type": 0, "challenges": 0}).fit(X)
    far = _secretaries([{"age": 90}])
    assert enc.distances(X, far)[0, 0] <= 1.0


def test_secretary_encoding_follows_the_vocabulary_whatever_the_district():
    a = SecretaryFeatures().fit(_secretaries([{"community_type": "village"}, {}]))
    b = SecretaryFeatures().fit(_secretaries([{"challenges": ("ageing",)}, {}]))
    assert list(a.feature_names_out_) == list(b.feature_names_out_)
    assert len(a.feature_names_out_) == len(COMMUNITY_TYPES) + len(CHALLENGES) + 5


def test_text_in_a_list_column_is_a_data_error():
    X = pd.DataFrame({"tags": [("x",), "x;y"]})
    with pytest.raises(mm.DataError, match="lists of labels"):
        MixedEncoder(multilabel=["tags"]).fit(X)


def test_kinds_are_guessed_from_the_data():
    X = pd.DataFrame({"t": ["a", "b"], "s": [("x",), ()], "n": [1, 2], "f": [True, False]})
    enc = MixedEncoder().fit(X)
    assert {b.kind: b.columns for b in enc.blocks_} == {
        "categorical": ("t", "f"),
        "multilabel": ("s",),
        "numeric": ("n",),
    }


def test_encoder_is_a_scikit_learn_transformer(features):
    enc = SecretaryFeatures(weights={"numbers": 0.25})
    assert enc.get_params() == {"weights": {"numbers": 0.25}}
    copy = clone(enc)
    assert copy.get_params() == enc.get_params() and copy is not enc
    out = enc.fit_transform(features)
    assert out.shape == (len(features), len(enc.get_feature_names_out()))
    assert not hasattr(copy, "blocks_")  # clone is unfitted


def test_a_district_is_accepted_directly(district, features):
    enc = SecretaryFeatures().fit(district)
    assert np.allclose(enc.transform(district), enc.transform(features))


# --- a Region's features, read from its arrays ------------------------------------------------


@pytest.fixture(scope="module")
def region():
    from mentormatch.region_synth import synthesize_region

    return synthesize_region(seed=3, n_secretaries=1_500, n_mentors=80, n_bases=100)


def test_a_regions_features_decode_to_the_district_form(region):
    coded = coded_features(region)
    decoded = secretary_features(region)
    pd.testing.assert_frame_equal(decoded_features(coded), decoded)
    assert list(decoded.columns) == ["community_type", "challenges", *NUMERIC_FEATURES]
    s = region.secretaries
    assert decoded["community_type"].tolist() == [
        COMMUNITY_TYPES.codes[t] for t in s["community_type"]
    ]
    bits = [
        {CHALLENGES.codes[b] for b in range(len(CHALLENGES)) if m >> b & 1} for m in s["challenges"]
    ]
    assert [set(c) for c in decoded["challenges"]] == bits
    # Tuples in vocabulary order, as a District holds them.
    order = {c: i for i, c in enumerate(CHALLENGES.codes)}
    assert all(list(c) == sorted(c, key=order.get) for c in decoded["challenges"])
    year = region_year(region)
    assert (decoded["age"] == year - s["birth_year"].to_numpy(float)).all()
    assert decoded["capacity"].isna().all()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-1, len(COMMUNITY_TYPES) - 1),
            st.integers(0, 2 ** len(CHALLENGES) - 1),
            st.floats(20, 70),
            st.integers(0, 30),
        ),
        min_size=2,
        max_size=30,
    )
)
def test_codes_and_texts_encode_alike(rows):
    types, masks, ages, years = zip(*rows, strict=True)
    coded = pd.DataFrame(
        {
            "community_type": np.array(types, dtype=np.int8),
            "challenges": np.array(masks, dtype=np.uint32),
            "age": ages,
            "years_in_post": np.array(years, dtype=float),
            "households": 1000.0,
            "share_aged_60_plus": 0.3,
            "capacity": np.nan,
        }
    )
    decoded = decoded_features(coded)
    a, b = SecretaryFeatures().fit(coded), SecretaryFeatures().fit(decoded)
    assert np.array_equal(a.encode(coded), b.encode(decoded))
    assert a.fills_ == b.fills_


# --- properties of the distance --------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.just(float("nan")), st.sampled_from(["a", "b", "c"])),
            st.one_of(
                st.none(),
                st.lists(st.sampled_from(["x", "y", "z"]), max_size=3),
                st.lists(st.sampled_from(["x", "y", "z"]), max_size=3).map(tuple),
            ),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_codes_are_one_hot_row_by_row(rows):
    X = pd.DataFrame({"t": [r[0] for r in rows], "s": [r[1] for r in rows]})
    enc = MixedEncoder(categorical=["t"], multilabel=["s"]).fit(X)
    (t_levels,), (s_levels,) = enc.blocks_[0].levels, enc.blocks_[1].levels
    expected = np.zeros((len(X), len(t_levels) + len(s_levels)))
    for i, (t, tags) in enumerate(rows):
        if isinstance(t, str):
            expected[i, t_levels.index(t)] = 1
        for tag in set(tags or ()):
            expected[i, len(t_levels) + s_levels.index(tag)] = 1
    assert np.array_equal(enc.encode(X), expected)


_types = st.sampled_from(["a", "b", "c"])
_sets = st.frozensets(st.sampled_from(["x", "y", "z", "w"]), max_size=4).map(tuple)
_numbers = st.floats(min_value=-5, max_value=5, allow_nan=False)


@st.composite
def _tables(draw):
    n = draw(st.integers(min_value=2, max_value=8))
    return pd.DataFrame(
        {
            "t": draw(st.lists(_types, min_size=n, max_size=n)),
            "s": draw(st.lists(_sets, min_size=n, max_size=n)),
            "n": draw(st.lists(_numbers, min_size=n, max_size=n)),
        }
    )


@settings(max_examples=60, deadline=None)
@given(_tables(), st.floats(min_value=0.1, max_value=5), st.floats(min_value=0, max_value=5))
def test_the_mixed_distance_is_a_bounded_metric(X, w_type, w_num):
    enc = MixedEncoder(weights={"categorical": w_type, "numeric": w_num}).fit(X)
    d = enc.distances(X)
    assert np.allclose(d, d.T)
    assert np.all(np.diag(d) == 0)
    assert d.min() >= 0 and d.max() <= 1
    # Mismatch, Jaccard and range-scaled L1 are metrics, and so is a weighted mean.
    assert np.all(d[:, None, :] <= d[:, :, None] + d[None, :, :] + 1e-12)
