"""The District object: construction, validation, views."""

from __future__ import annotations

import pandas as pd
import pytest

import mentormatch as mm


def test_construction_fills_optional_columns_and_tables(small):
    s = small.secretaries.drop(
        columns=["prior_communities", "mentored_since", "previous_mentor_id"]
    )
    d = mm.District(secretaries=s, mentors=small.mentors)
    assert d.secretaries["prior_communities"].map(len).eq(0).all()
    assert d.secretaries["mentored_since"].isna().all()
    assert len(d.bases) == len(d.assessments) == 0
    assert list(d.secretaries.columns) == list(small.secretaries.columns)


def test_lists_are_stored_as_tuples(small):
    s = small.secretaries.copy()
    s["challenges"] = s["challenges"].map(list)
    d = small.replace(secretaries=s)
    assert d == small
    assert isinstance(d.secretaries["challenges"].iloc[0], tuple)


def test_missing_required_column_is_reported(small):
    with pytest.raises(mm.DataError, match="birth_year"):
        mm.District(secretaries=small.secretaries.drop(columns="birth_year"), mentors=small.mentors)


def test_not_a_dataframe():
    with pytest.raises(mm.DataError, match="DataFrame"):
        mm.District(secretaries=[1, 2], mentors=pd.DataFrame())


def test_duplicate_ids_in_code(small):
    m = pd.concat([small.mentors, small.mentors.iloc[[0]]], ignore_index=True)
    with pytest.raises(mm.DataError, match="unique"):
        small.replace(mentors=m)


def test_two_keep_rules_for_one_secretary(small):
    c = pd.DataFrame(
        {"secretary_id": ["S001", "S001"], "mentor_id": ["M001", "M002"], "rule": ["keep", "keep"]}
    )
    with pytest.raises(mm.DataError, match="at most one pair to keep"):
        small.replace(constraints=c)


def test_views(small):
    departed = set(
        small.career.loc[small.career["event"].isin(["left", "civil_servant"]), "secretary_id"]
    )
    assert set(small.in_post["secretary_id"]).isdisjoint(departed)
    assert len(small.in_post) + len(departed) == len(small.secretaries)
    assert small.mentees["needs_mentor"].all()
    assert set(small.mentees["secretary_id"]) <= set(small.in_post["secretary_id"])


def test_summary_mentions_counts(sample):
    text = sample.summary()
    assert "282 in post" in text and "mentors: 13" in text and "桃浦镇" in text


def test_not_hashable_but_comparable(small):
    with pytest.raises(TypeError):
        hash(small)
    assert small != "small"


def test_missing_text_stays_missing_on_every_pandas(sample):
    # On pandas 2.2 astype("str") wrote a missing previous mentor as the text 'nan' (or
    # 'None'), which a plan then read as a mentor of that name.
    for name, table in sample.tables.items():
        for col in table.columns:
            if table[col].dtype == object or str(table[col].dtype).startswith(("str", "string")):
                values = table[col].dropna()
                texts = values[values.map(lambda v: isinstance(v, str))]
                assert not texts.isin(["nan", "None", "<NA>"]).any(), (name, col)
    assert sample.secretaries["previous_mentor_id"].isna().sum() > 0
    plan = mm.match(sample)
    assert not plan.table.isin(["nan", "None"]).any().any()
