"""The programme's tables: sessions, training log, findings and salon records, as the
synthesizer draws them, as rosters write them and as the loader reads them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.schema import TABLES
from mentormatch.schema.cells import parse_cell
from mentormatch.synth.assumptions import ELECTIVE_MONTHS, TRAINING_FIRST_YEAR, WAVES
from mentormatch.synth.training import trained_counts
from mentormatch.vocab import CHALLENGES, DIMENSIONS


@pytest.fixture(scope="module")
def d():
    return mm.synthesize_district(seed=2018)


def test_six_electives_a_year_every_two_months_with_a_third_of_the_seats(d):
    s = d.sessions
    electives = s[s["format"] == "elective"]
    years = electives["month"].str[:4].astype(int)
    assert sorted(years.unique()) == list(range(TRAINING_FIRST_YEAR, 2026))
    assert (years.value_counts() == 6).all()
    months = electives["month"].str[5:].astype(int)
    assert set(months) == set(ELECTIVE_MONTHS)
    plan_year = electives[years == 2025]
    # A third of the 282 secretaries in post.
    assert (plan_year["capacity"] == round(282 / 3)).all()
    # Topics: the four dimensions and two challenges, distinct within the year.
    for _, topics in electives.groupby(years)["topic"]:
        assert topics.is_unique
        assert set(DIMENSIONS.codes) <= set(topics)
        assert sum(t in CHALLENGES for t in topics) == 2
    # One launch class and one centralized rotation a year.
    other = s[s["format"] != "elective"]
    for _, formats in other.groupby(other["month"].str[:4])["format"]:
        assert sorted(formats) == ["centralized", "launch_class"]


def test_the_log_covers_the_past_years_within_the_rules(d):
    log = d.training_log.merge(d.sessions, on="session_id")
    years = log["month"].str[:4].astype(int)
    assert years.min() == TRAINING_FIRST_YEAR and years.max() == WAVES[1]
    electives = log[log["format"] == "elective"]
    per_year = electives.groupby(["secretary_id", electives["month"].str[:4]]).size()
    assert per_year.max() <= 2
    year = electives["month"].str[:4]
    assert not electives.assign(year=year).duplicated(["secretary_id", "year", "topic"]).any()
    filled = electives.groupby("session_id").size()
    seats = d.sessions.set_index("session_id")["capacity"]
    assert (filled <= seats.reindex(filled.index)).all()
    # Attendees were in post in the session's year.
    appointed = d.secretaries.set_index("secretary_id")["appointed_year"]
    assert (appointed.reindex(log["secretary_id"]).to_numpy() <= years.to_numpy()).all()
    assert d.training_log.duplicated().sum() == 0


def test_a_dimension_elective_is_weighed_by_the_dose_before_each_wave(d):
    counts = trained_counts(d.secretaries.assign(_x=0), d.sessions, d.training_log)
    first = WAVES[0]
    log = d.training_log.merge(d.sessions, on="session_id")
    log = log[(log["format"] == "elective") & log["topic"].isin(DIMENSIONS.codes)]
    i = d.secretaries.index[d.secretaries["secretary_id"] == log["secretary_id"].iat[0]][0]
    mine = log[log["secretary_id"] == log["secretary_id"].iat[0]]
    dim = DIMENSIONS.codes.index(mine["topic"].iat[0])
    year = int(mine["month"].iat[0][:4])
    same = mine[mine["topic"] == mine["topic"].iat[0]]
    expected = (same["month"].str[:4].astype(int) < year + 1).sum()
    assert counts[i, dim, year + 1 - first] == expected
    assert counts[:, :, 0].sum() == 0  # nothing before the first wave


def test_findings_and_salon_records_refer_to_the_roster(d):
    f, r = d.findings, d.salon_records
    assert len(f) > 20 and f["month"].str.startswith(str(WAVES[1])).all()
    assert set(f["secretary_id"]) <= set(d.in_post["secretary_id"])
    assert set(f["mentor_id"]) <= set(d.mentors["mentor_id"])
    assert set(r["group"]) == set(range(1, 11))
    answers = r[r["kind"] == "answer"]
    questions = r.set_index("record_id")["kind"]
    assert (questions.reindex(answers["reply_to"]).to_numpy() == "question").all()
    assert r.loc[r["kind"] != "answer", "reply_to"].isna().all()
    # The most found issue leads the salon's year.
    assert r["topic"].iat[0] == f["issue"].value_counts().index[0]


def test_the_other_tables_are_those_of_a_district_without_training(d):
    no_effect = mm.synthesize_district(seed=2018, training_effect=0.0)
    for name in ("secretaries", "mentors", "bases", "career", "sessions", "training_log"):
        pd.testing.assert_frame_equal(getattr(d, name), getattr(no_effect, name))
    diff = d.assessments["score"] - no_effect.assessments["score"]
    assert (diff >= -0.11).all() and diff.max() > 1.5


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2024-03", "2024-03"),
        ("2024-3", "2024-03"),
        ("2024年3月", "2024-03"),
        ("2024 年 11 月", "2024-11"),
        ("2024/03", "2024-03"),
        ("2024.03", "2024-03"),
        ("２０２４－０３", "2024-03"),
        ("2024-03-01", "2024-03"),
        ("2024-03-01 00:00:00", "2024-03"),
        ("202403", "2024-03"),
    ],
)
def test_months_are_read_as_offices_write_them(text, month):
    col = TABLES["sessions"].column("month")
    value, why, _ = parse_cell(text, col)
    assert why is None and value == month


@pytest.mark.parametrize("text", ["2024-13", "三月", "2024", "24-03", "2024-00"])
def test_a_month_that_is_none_is_refused_with_the_form_expected(text):
    value, why, _ = parse_cell(text, TABLES["sessions"].column("month"))
    assert value is None and "2024-03" in why.expected and "2024-03" in why.fix_zh


def test_bad_programme_rows_are_told_by_table_row_and_column(tmp_path, d):
    mm.save_district(d, tmp_path)
    sessions = pd.read_csv(tmp_path / "sessions.csv", dtype=str)
    sessions.loc[3, "month"] = "2024-13"
    sessions.loc[5, "topic"] = "不存在的主题"
    sessions.to_csv(tmp_path / "sessions.csv", index=False)
    log = pd.read_csv(tmp_path / "training_log.csv", dtype=str)
    log.loc[0, "session_id"] = "T999999"
    log.to_csv(tmp_path / "training_log.csv", index=False)
    with pytest.raises(mm.DataError) as err:
        mm.load_district(tmp_path)
    zh = err.value.message("zh")
    text = err.value.message("en")
    assert "sessions" in text and "row 5" in text and "month" in text
    assert "row 7" in text and "topic" in text
    assert "T999999" in text
    assert "第 5 行" in zh and "应为年月" in zh and "「培训课程」表中已有的课程编号" in zh


def test_the_programme_tables_survive_save_and_load(tmp_path, d):
    mm.save_district(d, tmp_path)
    back = mm.load_district(tmp_path)
    for name in ("sessions", "training_log", "findings", "salon_records"):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(d, name))


def test_a_roster_without_the_programme_tables_loads_with_them_empty(tmp_path, d):
    mm.save_district(d, tmp_path)
    for name in ("sessions", "training_log", "findings", "salon_records"):
        (tmp_path / f"{name}.csv").unlink()
    back = mm.load_district(tmp_path)
    for name in ("sessions", "training_log", "findings", "salon_records"):
        assert getattr(back, name).empty
        assert list(getattr(back, name).columns) == TABLES[name].names


def test_the_calibration_holds_at_city_scale():
    big = mm.synthesize_district(seed=3, n_secretaries=1500, n_mentors=70, n_bases=100)
    e = big.sessions[
        (big.sessions["format"] == "elective") & big.sessions["month"].str.startswith("2025")
    ]
    assert len(e) == 6 and (e["capacity"] == 500).all()
    assert np.isin(big.findings["secretary_id"], big.in_post["secretary_id"]).all()


def test_pseudonymised_records_name_no_person_and_no_community(d):
    p = d.pseudonymized()
    names = set(d.secretaries["name"]) | set(d.mentors["name"])
    names |= set(d.secretaries["community_name"]) | set(d.bases["name"])
    texts = p.salon_records["text"].tolist()
    assert not [t for t in texts if any(n in t for n in names)]
    # The texts did name them before, and the codes are those of the roster's pseudonyms.
    assert sum(any(n in t for n in names) for t in d.salon_records["text"]) > 100
    codes = set(p.secretaries["community_name"]) | set(p.mentors["name"])
    assert sum(any(c in t for c in codes) for t in texts) > 100
    assert p.findings["note"].isna().all() and d.findings["note"].notna().all()
    assert len(p.salon_records) == len(d.salon_records)
