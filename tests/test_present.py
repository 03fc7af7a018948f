"""Tables and sentences for people (mentormatch.present): labels not codes, digits,
是/否, "—", one language (issue 10)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch import lang
from mentormatch.present import format as fmt
from mentormatch.present import words


@pytest.fixture(autouse=True)
def _chinese_after():
    yield
    lang.set_language("zh")


def test_values_read_as_a_person_writes_them():
    t = pd.DataFrame(
        {
            "street_town": ["caoyang", "taopu"],
            "challenges": [("ageing", "parking"), ()],
            "needs_mentor": [True, False],
            "share_aged_60_plus": [0.4567, np.nan],
            "score": [0.61234, 0.5],
            "households": [1892, 12000],
            "birth_year": [1990, 1985],
            "mentor_name": ["卢鹏", None],
        }
    )
    zh = fmt.for_people(t, lang="zh")
    assert list(zh.columns) == [
        "街镇",
        "主要难题",
        "需要带教",
        "60岁以上占比",
        "匹配分",
        "户数",
        "出生年份",
        "带教老师",
    ]
    assert zh.iloc[0].tolist() == [
        "曹杨新村街道",
        "人口老龄化、停车难",
        "是",
        "46%",
        "0.612",
        "1892",
        "1990",
        "卢鹏",
    ]
    assert zh.iloc[1].tolist() == ["桃浦镇", "—", "否", "—", "0.500", "12,000", "1985", "—"]
    en = fmt.for_people(t, lang="en")
    assert en.iloc[0, 0] == "Caoyang Xincun" and en.iloc[1, 2] == "no"
    assert en.columns[0] == "Sub-district/town"


def test_a_column_without_a_label_or_two_alike_labels_is_an_error():
    with pytest.raises(KeyError, match="no label"):
        fmt.for_people(pd.DataFrame({"mystery": [1]}), lang="zh")
    with pytest.raises(KeyError, match="two columns"):
        fmt.for_people(pd.DataFrame({"score": [1.0], "dose": [2.0]}), lang="zh")


def test_row_numbers_are_dropped_and_a_named_index_is_kept():
    t = pd.DataFrame({"score": [0.5, 0.7]}, index=[4, 9])
    assert list(fmt.for_people(t, lang="en").columns) == ["Score"]
    t.index.name = "secretary_id"
    assert list(fmt.for_people(t, lang="en").columns) == ["Secretary ID", "Score"]


def test_export_keeps_numbers_as_numbers():
    t = pd.DataFrame({"score": [0.61234], "share": [0.25], "needs_mentor": [True]})
    export, kinds = fmt.for_export(t, lang="zh")
    assert export.iloc[0].tolist() == [0.61234, 0.25, "是"]
    assert kinds == {"匹配分": "float", "占比": "percent", "需要带教": "text"}


def test_html_escapes_and_aligns_numbers():
    shown = pd.DataFrame({"名": ["<b>x</b>"], "分": ["0.5"]})
    out = fmt.to_html(shown, ["text", "float"])
    assert "&lt;b&gt;" in out and '<td class="num">0.5</td>' in out


@pytest.fixture(scope="module")
def short():
    """A district with 15% fewer places than mentees."""
    d = mm.synthesize_district(seed=4, n_secretaries=80, n_mentors=5, n_bases=4)
    mentors = d.mentors.assign(capacity=2, min_load=None)
    return d.replace(mentors=mentors)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_placement_sentence_follows_the_data(short, language):
    lang.set_language(language)
    plan = mm.match(short, partial=True)
    zh, en = words.placement(short, plan)
    text = zh if language == "zh" else en
    needing, placed = len(short.mentees), int(plan.figures()["placed"])
    assert placed < needing
    assert str(placed) in text and str(needing) in text and str(needing - placed) in text
    unplaced = words.unplaced(plan)
    assert len(unplaced) == needing - placed
    reasons = unplaced["unplaced_reason"]
    assert reasons.str.contains("名额已满" if language == "zh" else "full").all()
    best = fmt.for_people(unplaced, lang=language)
    assert not best.isin(["nan", "None", ""]).any().any()


def test_headlines_and_tables_of_the_sample(sample):
    lang.set_language("en")
    plan = mm.match(sample, partial=True)
    assert "All 65 secretaries needing a mentor are placed" in words.placement(sample, plan)[1]
    card = words.example_card(sample, plan, words.example(sample, plan))
    assert not card["value"].isin(["nan", "None", "—"]).any()
    figures = words.plan_figures({"a": plan})
    assert "Mentees per mentor" in figures["figure"].tolist()
    glance = words.glance(sample)
    assert glance.loc[glance["item"] == "Secretaries in post", "value"].item() == "282"
