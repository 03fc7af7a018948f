"""The training workbook (mentormatch.export.training_book), read back with openpyxl as
Excel shows it: each secretary's year on one row, the electives, the launch class, the
small classes and the figures, in Chinese by default and in English."""

from __future__ import annotations

import csv
import re

import pytest
from openpyxl import load_workbook

import mentormatch as mm
from mentormatch.export.training_book import SHEETS, write_training_book
from mentormatch.training import plan_training
from mentormatch.vocab import TOPICS, VOCABULARIES

CODES = {t.code for vocabulary in VOCABULARIES.values() for t in vocabulary}
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
RAW = re.compile(r"\b(?:True|False|true|false|nan|NaN|None|NaT|inf)\b|<NA>|\(\'|\[\'")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_-]+")
NUMBER_AS_TEXT = re.compile(r"^\s*-?\d+(?:[.,]\d+)*\s*%?\s*$")


@pytest.fixture(scope="module")
def d():
    return mm.synthesize_district(seed=1)


@pytest.fixture(scope="module")
def tp(d):
    return plan_training(d, 2025)


@pytest.fixture(scope="module")
def books(d, tp, tmp_path_factory):
    out = tmp_path_factory.mktemp("training")
    paths = {
        lang: write_training_book(d, tp, out / f"t_{lang}.xlsx", lang) for lang in ("zh", "en")
    }
    return {lang: load_workbook(p) for lang, p in paths.items()} | {"paths": paths}


def records(ws) -> list[dict]:
    head = [c.value for c in ws[1]]
    return [dict(zip(head, row, strict=False)) for row in ws.iter_rows(min_row=2, values_only=True)]


def roster_words(d) -> re.Pattern:
    words = set()
    for df, cols in (
        (d.secretaries, ("name", "community_name")),
        (d.mentors, ("name",)),
        (d.bases, ("name",)),
    ):
        for c in cols:
            words |= {v for v in df[c].dropna() if isinstance(v, str) and v.strip()}
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def test_sheets_are_named_in_the_language(books):
    assert books["zh"].sheetnames == [zh for zh, _ in SHEETS.values()]
    assert books["en"].sheetnames == [en for _, en in SHEETS.values()]
    assert books["zh"].sheetnames[:4] == ["培训安排", "选训课程", "启航班", "小班带训"]


def test_the_schedule_has_each_secretarys_year_on_one_row(books, tp, d):
    rows = records(books["zh"]["培训安排"])
    assert [r["书记编号"] for r in rows] == d.in_post["secretary_id"].tolist()
    by_id = {r["书记编号"]: r for r in rows}
    month = tp.sessions.set_index("session_id")["month"]
    topic = tp.sessions.set_index("session_id")["topic"]
    for a in tp.attendance.itertuples():
        shown = f"{month[a.session_id]} {TOPICS[topic[a.session_id]].zh}"
        assert shown in (by_id[a.secretary_id]["选训课程一"], by_id[a.secretary_id]["选训课程二"])
    launch = dict(zip(tp.launch_class["secretary_id"], tp.launch_class["class_no"], strict=True))
    assert {k: v["启航班班次"] for k, v in by_id.items() if v["启航班班次"] is not None} == launch
    mentors = d.mentors.set_index("mentor_id")["name"]
    for m in tp.small_class_members.itertuples():
        assert by_id[m.secretary_id]["小班带教老师"] == mentors[m.mentor_id]
    met = tp.attendance.groupby("secretary_id")["need"].sum()
    for sid, value in met.items():
        assert by_id[sid]["满足需求（分）"] == pytest.approx(value)


def test_electives_sheet_counts_seats(books, tp):
    rows = records(books["zh"]["选训课程"])
    assert [r["课程编号"] for r in rows] == tp.sessions["session_id"].tolist()
    filled = tp.attendance["session_id"].value_counts()
    for r in rows:
        assert isinstance(r["名额"], int) and isinstance(r["已安排"], int)
        assert r["已安排"] == filled.get(r["课程编号"], 0)
        assert r["空余名额"] == r["名额"] - r["已安排"]
    assert [r["Topic"] for r in records(books["en"]["Electives"])] == [
        TOPICS[t].en for t in tp.sessions["topic"]
    ]


def test_launch_and_small_class_sheets(books, tp):
    launch = records(books["zh"]["启航班"])
    assert len(launch) == len(tp.launch_class)
    assert {r["班次"] for r in launch} == set(tp.launch_class["class_no"])
    small = records(books["zh"]["小班带训"])
    assert [r["带教老师编号"] for r in small] == tp.small_classes["mentor_id"].tolist()
    assert sum(r["学员人数"] for r in small) == len(tp.small_class_members)
    assert all(0 <= r["难题覆盖率"] <= 1 for r in small)
    assert all(r["小班活动"] == "2025 年每月一次（1—12 月）" for r in small)


def test_summary_figures_are_numbers(books, tp):
    ws = books["zh"]["概要"]
    figures = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] and r[1] is not None}
    f = tp.figures()
    assert figures["已安排名额"] == f["seats_filled"]
    assert figures["满足需求（分）"] == pytest.approx(f["need_met"])
    assert figures["按需求从高到低安排（贪心）"] == pytest.approx(f["greedy_need_met"])
    assert figures["需求满足率"] == pytest.approx(f["share_met"])
    assert ws["A1"].value == "2025 年培训安排"


def test_no_cell_is_a_code_a_raw_value_or_the_other_language(books, d):
    names = roster_words(d)
    bad = []
    for lang in ("zh", "en"):
        for ws in books[lang].worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    v = cell.value
                    if isinstance(v, bool):
                        bad.append((lang, ws.title, cell.coordinate, v))
                    if not isinstance(v, str):
                        continue
                    if v.strip() in CODES or SNAKE.search(v) or RAW.search(v):
                        bad.append((lang, ws.title, cell.coordinate, v[:60]))
                    if NUMBER_AS_TEXT.match(v):
                        bad.append((lang, ws.title, cell.coordinate, v))
                    if lang == "zh":
                        latin = [w for w in LATIN_WORD.findall(v)]
                        if latin:
                            bad.append((lang, ws.title, cell.coordinate, v[:60]))
                    elif CJK.search(names.sub("", v)):
                        bad.append((lang, ws.title, cell.coordinate, v[:60]))
    assert not bad, bad[:10]


def test_same_plan_same_bytes_and_csv_is_the_schedule(d, tp, books, tmp_path):
    again = write_training_book(d, tp, tmp_path / "again.xlsx")
    assert again.read_bytes() == books["paths"]["zh"].read_bytes()
    path = write_training_book(d, tp, tmp_path / "schedule.csv", lang="en")
    with path.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["Secretary ID", "Name"] and len(rows) == len(d.in_post) + 1


def test_another_extension_is_a_data_error(d, tp, tmp_path):
    with pytest.raises(mm.DataError) as caught:
        write_training_book(d, tp, tmp_path / "plan.pdf")
    assert "培训安排" in caught.value.message("zh")
