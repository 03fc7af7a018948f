"""The on-site supervision workbook (mentormatch.export.visits_book), read back with
openpyxl as Excel shows it: dates as dates, numbers as numbers, labels not codes, one
calendar per mentor under a valid, unique sheet name, in Chinese or English."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

import mentormatch as mm
from mentormatch.export.visits_book import write_visits_book
from mentormatch.supervision import summary_frame, visit_schedule
from mentormatch.vocab import STREET_TOWNS, VOCABULARIES

WEEKDAYS = {
    "zh": ["星期一", "星期二", "星期三", "星期四", "星期五"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
}
RAW = re.compile(r"\b(?:True|False|nan|NaN|None|NaT)\b|<NA>")
CODES = {t.code for v in VOCABULARIES.values() for t in v}
CJK = re.compile(r"[\u3400-\u9fff]")
FIXED = {"zh": ["走访安排", "月度汇总", "概要"], "en": ["Visits", "By month", "Summary"]}


@pytest.fixture(scope="module")
def schedule(sample):
    return visit_schedule(sample, mm.match(sample))


@pytest.fixture(scope="module")
def books(sample, schedule, tmp_path_factory):
    out = tmp_path_factory.mktemp("visits")
    paths = {
        lang: write_visits_book(sample, schedule, out / f"visits-{lang}.xlsx", lang=lang)
        for lang in ("zh", "en")
    }
    return {lang: load_workbook(p) for lang, p in paths.items()} | {"paths": paths}


def _records(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell


def _roster_words(d) -> set[str]:
    """What the roster writes in its own words (kept as written in English)."""
    s, m = d.secretaries, d.mentors
    return set(s["name"]) | set(s["community_name"]) | set(m["name"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheets_are_named_in_the_language_and_by_mentor(books, sample, schedule, lang):
    names = books[lang].sheetnames
    assert names[:3] == FIXED[lang]
    mentors = sample.mentors.set_index("mentor_id")["name"]
    order = [m for m in sample.mentors["mentor_id"] if m in set(schedule["mentor_id"])]
    assert names[3:] == [mentors[m] for m in order]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_visits_sheet_has_every_visit_with_dates_as_dates(books, sample, schedule, lang):
    ws = books[lang][FIXED[lang][0]]
    header = [c.value for c in ws[1]]
    date_header = header[0]
    assert date_header == ("日期" if lang == "zh" else "Date")
    records = _records(ws)
    assert len(records) == len(schedule)
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert all(c.is_date and c.number_format.endswith("yyyy-mm-dd") for c in cells)
    shown = sorted(c.value.date() for c in cells)
    assert shown == sorted(pd.Timestamp(x).date() for x in schedule["date"])
    assert shown == [c.value.date() for c in cells]  # by date
    for r in records:
        assert r[header[1]] == WEEKDAYS[lang][r[date_header].weekday()]
    units = {t.label(lang) for t in STREET_TOWNS}
    unit_header = "街镇" if lang == "zh" else "Sub-district/town"
    assert {r[unit_header] for r in records} <= units
    for column in (header[6], header[7]):  # order in the day, visit number
        assert all(isinstance(r[column], int) for r in records)
    # the mentor's name and the secretary's, as the roster writes them
    s = sample.secretaries.set_index("secretary_id")
    id_header = "书记编号" if lang == "zh" else "Secretary ID"
    name_header = "书记" if lang == "zh" else "Secretary"
    assert all(s.loc[r[id_header], "name"] == r[name_header] for r in records)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert ws.column_dimensions["A"].width >= 12


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_cell_is_a_code_or_a_raw_value(books, sample, lang):
    words = _roster_words(sample)
    for title, cell in _cells(books[lang]):
        text = str(cell.value)
        assert not RAW.search(text), (title, cell.coordinate, text)
        assert text not in CODES, (title, cell.coordinate, text)
        if lang == "en" and isinstance(cell.value, str):
            rest = text
            for word in sorted((w for w in words if w in text), key=len, reverse=True):
                rest = rest.replace(word, "")
            assert not CJK.search(rest), (title, cell.coordinate, text)
        if isinstance(cell.value, str):
            assert not re.fullmatch(r"-?\d+(\.\d+)?", text.strip()), (title, text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_mentor_calendar_lists_the_mentors_visits_by_month(books, sample, schedule, lang):
    wb = books[lang]
    mentors = sample.mentors.set_index("mentor_id")["name"]
    for mid, mine in schedule.groupby("mentor_id"):
        ws = wb[mentors[mid]]
        assert mentors[mid] in ws["A1"].value and "2025" in ws["A1"].value
        dates = [c.value.date() for c in ws["A"] if c.is_date]
        assert dates == sorted(pd.Timestamp(x).date() for x in mine["date"])
        headings = [c.value for c in ws["A"] if isinstance(c.value, str)]
        months = [f"2025年{m}月" for m in range(1, 13)] if lang == "zh" else None
        if months:
            assert sum(any(h.startswith(m) for h in headings) for m in months) == 12
        else:
            assert sum("2025" in h and not h.startswith(mentors[mid]) for h in headings) == 12
        assert ws.page_setup.orientation == "landscape"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_by_month_counts_match_the_schedule_and_add_up(books, schedule, lang):
    ws = books[lang][FIXED[lang][1]]
    rows = list(ws.iter_rows(values_only=True))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    t = summary_frame(schedule)
    assert len(body) == len(t)
    for row in body:
        counts = list(row[4:16])
        assert counts == t.loc[row[1]].tolist()
        assert row[16] == sum(counts)
        assert all(isinstance(v, int) for v in row[2:])
    assert total[0] == ("合计" if lang == "zh" else "Total")
    assert total[16] == len(schedule)
    assert header[4] == ("1月" if lang == "zh" else "January")
    # the totals row sits outside the filter
    assert ws.auto_filter.ref.endswith(str(len(body) + 1))


def test_summary_gives_figures_as_numbers(books, schedule):
    ws = books["zh"]["概要"]
    figures = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[1] is not None}
    assert figures["年份"] == 2025 and figures["走访次数合计"] == len(schedule)
    assert isinstance(figures["每位老师每月平均走访"], float)
    assert figures["单日最多走访"] <= 3
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any("合成数据" in t for t in texts) and any("国庆节" in t for t in texts)


def test_same_schedule_same_bytes(sample, schedule, books, tmp_path):
    again = write_visits_book(sample, schedule, tmp_path / "again.xlsx", lang="zh")
    assert again.read_bytes() == books["paths"]["zh"].read_bytes()


def test_csv_is_the_visits_sheet_with_dates_as_text(sample, schedule, tmp_path):
    path = write_visits_book(sample, schedule, tmp_path / "visits.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["日期", "星期"] and len(rows) == len(schedule) + 1
    assert all(dt.date.fromisoformat(r[0]) for r in rows[1:])


def test_another_extension_or_district_is_refused(sample, schedule, tmp_path):
    with pytest.raises(mm.DataError, match="visits.pdf"):
        write_visits_book(sample, schedule, tmp_path / "visits.pdf")
    other = schedule.assign(secretary_id="S999")
    with pytest.raises(mm.DataError, match="S999"):
        write_visits_book(sample, other, tmp_path / "v.xlsx")


def test_mentor_sheet_names_are_valid_and_unique(sample, tmp_path):
    m = sample.mentors.copy()
    m.loc[0, "name"] = "概要"  # a fixed sheet's name
    m.loc[1, "name"] = "王/老师[一]:*?"
    m.loc[2, "name"] = "一" * 40
    m.loc[3, "name"] = m.loc[4, "name"]  # two mentors of one name
    d = sample.replace(mentors=m)
    s = visit_schedule(d, mm.match(d))
    wb = load_workbook(write_visits_book(d, s, tmp_path / "names.xlsx"))
    names = wb.sheetnames
    assert len({n.casefold() for n in names}) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len(names) == 3 + s["mentor_id"].nunique()
    assert "概要（M001）" in names and "王_老师_一____" in names


def test_a_calendar_without_visits_writes_a_book_that_says_so(sample, tmp_path):
    s = visit_schedule(sample, pd.Series([], dtype=object))
    wb = load_workbook(write_visits_book(sample, s, tmp_path / "empty.xlsx", lang="en"))
    assert wb.sheetnames == FIXED["en"]
    texts = [c.value for c in wb["Summary"]["A"] if isinstance(c.value, str)]
    assert any("No on-site visits" in t for t in texts)
