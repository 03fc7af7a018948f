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
