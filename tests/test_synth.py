"""The synthetic district: calibration targets, determinism, scale."""

from __future__ import annotations

import filecmp

import numpy as np
import pytest
from conftest import SAMPLE

import mentormatch as mm
from mentormatch.synth import MENTORING_EFFECT, PUBLISHED, challenge_rates
from mentormatch.vocab import CHALLENGES, STREET_TOWNS, UNIVERSITY_LEVELS


@pytest.fixture(scope="module")
def default() -> mm.District:
    return mm.synthesize_district(seed=2018)


def test_sample_regenerates_byte_for_byte(tmp_path, default):
    mm.save_district(default, tmp_path / "sample")
    files = sorted(p.name for p in SAMPLE.iterdir())
    assert files == sorted(p.name for p in (tmp_path / "sample").iterdir())
    match, mismatch, errors = filecmp.cmpfiles(SAMPLE, tmp_path / "sample", files, shallow=False)
    assert mismatch == [] and errors == []


def test_same_seed_same_district_other_seed_other_district(default):
    assert mm.synthesize_district(seed=2018) == default
    assert mm.synthesize_district(seed=2019) != default


# --- Calibration targets (seed article) ------------------------------------------------


def test_published_counts(default):
    post = default.in_post
    assert len(post) == PUBLISHED["secretaries_in_post"] == 282
    assert len(default.mentors) == PUBLISHED["mentors"] == 13
    assert len(default.bases) == PUBLISHED["practice_bases"] == 20
    assert post["street_town"].nunique() == PUBLISHED["street_towns"] == 10
    assert set(post["street_town"]) == set(STREET_TOWNS.codes)


def test_more_than_a_quarter_born_1980_or_later(default):
    assert (default.in_post["birth_year"] >= 1980).mean() > PUBLISHED[
        "born_1980_or_later_share_min"
    ]


def test_exactly_139_with_a_university_degree(default):
    assert default.in_post["education"].isin(UNIVERSITY_LEVELS).sum() == 139


def test_three_villages_all_in_taopu(default):
    villages = default.in_post[default.in_post["community_type"] == "village"]
    assert len(villages) == 3
    assert set(villages["street_town"]) == {"taopu"}


def test_career_events(default):
    counts = default.career["event"].value_counts()
    assert counts["promoted"] == 6
    assert counts["civil_servant"] == 4
    promoted = default.career.loc[default.career["event"] == "promoted", "secretary_id"]
    assert promoted.isin(default.in_post["secretary_id"]).all()


def test_one_secretary_in_post_per_community(default):
    assert default.in_post["community_id"].is_unique


def test_mentor_load_near_five(default):
    demand = len(default.mentees)
    capacity = int(default.mentors["capacity"].sum())
    assert capacity >= demand
    assert 4.0 <= demand / len(default.mentors) <= 6.5
    assert 4.0 <= capacity / len(default.mentors) <= 7.0


def test_mentees_are_new_or_young(default):
    m = default.mentees
    assert ((m["birth_year"] >= 1988) | (m["appointed_year"] >= 2018)).all()


def test_assessment_panel_shape(default):
    a = default.assessments
    assert a["wave"].min() == 2018 and a["wave"].max() == 2024
    per = a.groupby(["secretary_id", "wave"]).size()
    assert (per == 16).all()  # 4 dimensions x 4 sources
    residents = a[a["source"] == "resident_qr"]
    assert residents["n_raters"].min() >= 1
    share_small = (residents["n_raters"] < 5).mean()
    assert 0.01 < share_small < 0.15  # some resident scores must be withheld


def test_challenges_follow_community_type(default):
    s = default.secretaries

    def rate(challenge: str, ctype: str) -> float:
        sub = s[s["community_type"] == ctype]
        return sub["challenges"].map(lambda c: challenge in c).mean()

    assert rate("lift_retrofit", "old_public_housing") > 3 * rate("lift_retrofit", "commercial")
    assert rate("owners_committee", "commercial") > 3 * rate(
        "owners_committee", "old_public_housing"
    )
    assert rate("hardship", "resettlement") > 2 * rate("hardship", "commercial")


def test_every_secretary_has_a_challenge(default):
    assert default.secretaries["challenges"].map(len).min() >= 1


def test_challenge_rates_cover_vocabulary():
    assert challenge_rates("village").shape == (len(CHALLENGES),)


def test_names_are_synthetic_and_unique(default):
    names = list(default.secretaries["name"]) + list(default.mentors["name"])
    assert len(set(names)) == len(names)
    assert not {"俞浩泉", "梁慧丽", "杨兆顺"} & set(names)


def test_mentoring_effect_is_visible_in_raw_means(default):
    # Treated secretaries gain about the true effect relative to controls (rough check;
    # the evaluation module estimates it properly).
    ci = mm.capacity_index(default)
    since = default.secretaries.set_index("secretary_id")["mentored_since"]
    ci["since"] = ci["secretary_id"].map(since)
    treated = ci[ci["since"].notna()]
    after = treated[treated["wave"] >= treated["since"]]["overall"].mean()
    before = treated[treated["wave"] < treated["since"]]["overall"].mean()
    assert after - before > 0.5 * MENTORING_EFFECT


def test_no_effect_when_effect_is_zero():
    a = mm.synthesize_district(seed=5, mentoring_effect=0.0).assessments
    b = mm.synthesize_district(seed=5, mentoring_effect=10.0).assessments
    assert (b["score"] >= a["score"]).all() and (b["score"] > a["score"]).any()


def test_city_scale(tmp_path):
    d = mm.synthesize_district(seed=1, n_secretaries=6000, n_mentors=300, n_bases=400)
    assert len(d.in_post) == 6000 and len(d.mentors) == 300 and len(d.bases) == 400
    assert d.in_post["education"].isin(UNIVERSITY_LEVELS).sum() == round(139 / 282 * 6000)
    assert int(d.mentors["capacity"].sum()) >= len(d.mentees)


@pytest.mark.parametrize(
    "kwargs", [{"n_secretaries": 3}, {"n_mentors": 0}, {"n_villages": 50}, {"n_bases": -1}]
)
def test_impossible_sizes_are_data_errors(kwargs):
    with pytest.raises(mm.DataError):
        mm.synthesize_district(**kwargs)


def test_small_sizes_work():
    d = mm.synthesize_district(seed=3, n_secretaries=10, n_mentors=1, n_bases=0, n_villages=0)
    assert len(d.in_post) == 10 and len(d.bases) == 0
    assert np.isfinite(d.assessments["score"]).all()


# --- One set of generators: the district's row-by-row order and the region's arrays ----
# The district draws some rules one row at a time (data/sample pins those draws), the
# region the same rules as whole arrays: both orders must give the same distribution.


def _rates(masks: np.ndarray, bits: int) -> np.ndarray:
    return ((masks[:, None] >> np.arange(bits, dtype=np.uint32)) & 1).mean(axis=0)


def test_both_orders_of_the_challenge_draw_follow_one_rule():
    from mentormatch.scoring import popcount
    from mentormatch.synth.assumptions import MAX_CHALLENGES
    from mentormatch.synth.communities import ages_and_households, challenge_masks

    n = 20_000
    rng = np.random.default_rng(0)
    types = rng.integers(0, 7, size=n)
    share60, _ = ages_and_households(rng, types)
    rows = challenge_masks(np.random.default_rng(1), types, share60, rowwise=True)
    arrays = challenge_masks(np.random.default_rng(2), types, share60)
    for masks in (rows, arrays):
        assert popcount(masks).min() >= 1 and popcount(masks).max() <= MAX_CHALLENGES
    assert np.abs(_rates(rows, len(CHALLENGES)) - _rates(arrays, len(CHALLENGES))).max() < 0.02
    assert popcount(rows).mean() == pytest.approx(popcount(arrays).mean(), abs=0.05)


def test_both_orders_of_the_mentor_profiles_follow_one_rule():
    from mentormatch.scoring import code_masks
    from mentormatch.synth.mentors import mentor_profile, mentor_profiles

    own = np.random.default_rng(0).integers(0, 6, size=4_000)
    rng = np.random.default_rng(1)
    drawn = [mentor_profile(rng, int(t)) for t in own]
    rows_types = code_masks([t for t, _ in drawn], range(7))
    rows_expertise = code_masks([e for _, e in drawn], range(len(CHALLENGES)))
    types, expertise = mentor_profiles(np.random.default_rng(2), own)
    assert ((rows_types >> own) & 1).all() and ((types >> own) & 1).all()
    assert np.abs(_rates(rows_types, 7) - _rates(types, 7)).max() < 0.04
    assert np.abs(_rates(rows_expertise, 24) - _rates(expertise, 24)).max() < 0.04


def test_both_orders_of_the_entry_years_follow_one_rule():
    from mentormatch.synth.history import entry_years

    n = 20_000
    rng = np.random.default_rng(0)
    can = rng.random(n) < 0.6
    appointed = rng.integers(2010, 2025, size=n)
    end = np.where(rng.random(n) < 0.2, rng.integers(2019, 2025, size=n), 2024)
    rows = entry_years(np.random.default_rng(1), can, appointed, end, rowwise=True)
    arrays = entry_years(np.random.default_rng(2), can, appointed, end)
    for since in (rows, arrays):
        entered = since > 0
        assert not (entered & ~can).any()
        assert (since[entered] > np.maximum(2018, appointed[entered])).all()
        assert (since[entered] <= end[entered]).all()
    years = np.arange(2019, 2025)
    share = [np.mean(rows == y) - np.mean(arrays == y) for y in years]
    assert np.abs(share).max() < 0.015


def test_both_orders_of_the_base_themes_follow_one_rule():
    from mentormatch.scoring import popcount
    from mentormatch.synth.bases import base_themes

    rng = np.random.default_rng(0)
    own = rng.integers(0, 1 << 24, size=5_000).astype(np.uint32)
    lead = rng.integers(0, 24, size=5_000)
    rows = base_themes(np.random.default_rng(1), lead, own, rowwise=True)
    arrays = base_themes(np.random.default_rng(2), lead, own)
    for themes in (rows, arrays):
        assert ((themes >> lead.astype(np.uint32)) & 1).all()
        extra = themes & ~np.left_shift(np.uint32(1), lead.astype(np.uint32))
        assert (extra & ~own == 0).all() and set(popcount(extra).tolist()) <= {0, 1, 2, 3}
    assert popcount(rows).mean() == pytest.approx(popcount(arrays).mean(), abs=0.05)


def test_both_orders_of_the_earlier_posts_follow_one_rule():
    from scipy import sparse

    from mentormatch.region import units_around
    from mentormatch.synth.assumptions import PRIOR_SHARE
    from mentormatch.synth.history import prior_posts

    rng = np.random.default_rng(0)
    unit_size = rng.integers(20, 40, size=12)
    n = int(unit_size.sum())
    unit = np.repeat(np.arange(12), unit_size)
    border = np.zeros((12, 12), dtype=bool)
    border[np.arange(11), np.arange(1, 12)] = True
    around = units_around(sparse.csr_array(border | border.T))
    mentor_unit = rng.integers(0, 12, size=15)
    mentor_community = (np.cumsum(unit_size) - unit_size)[mentor_unit]  # in its unit
    needs = rng.random(n) < 0.3
    args = (unit, np.arange(n), needs, unit_size, around, mentor_unit, mentor_community)
    rows = prior_posts(np.random.default_rng(1), *args, rowwise=True)
    arrays = prior_posts(np.random.default_rng(2), *args)
    arrays.sum_duplicates()
    near = units_around(sparse.csr_array(border | border.T)).toarray()
    for prior in (rows, arrays):
        who, where = prior.nonzero()
        assert (where != who).all()  # never the own community
        # ... and within the unit or a bordering one (a mentor's community likewise).
        assert near[unit[who], unit[where]].all()
        has = np.diff(prior.indptr) > 0
        assert has[~needs].mean() == pytest.approx(PRIOR_SHARE, abs=0.04)
    assert np.diff(rows.indptr).mean() == pytest.approx(np.diff(arrays.indptr).mean(), abs=0.06)
