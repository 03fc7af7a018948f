"""The workbooks planners review, approve and print (mentormatch.export), read back with
openpyxl as Excel shows them: the plan (结对方案 … 审核), the salon groups, the clusters.

Built on the sample and on rosters as offices write them (tests/rosters.py): notes in
备注, short capacity, rules on pairs, a re-match. In English, vocabulary values
(sub-districts, community types, challenges) read in their English labels; what the
roster writes in its own words (names of people, communities and bases, 备注) stays as
written.
"""

from __future__ import annotations

import csv
import re
import warnings
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
import rosters
from openpyxl import load_workbook

import mentormatch as mm
from mentormatch.export import NO_PLACE_LEFT, write_clusters, write_groups, write_plan
from mentormatch.groups import salon_plan
from mentormatch.plan import read_previous_plan
from mentormatch.vocab import STREET_TOWNS, VOCABULARIES
from mentormatch.workbook import MAX_WIDTH, display_width

CODES = {t.code for vocabulary in VOCABULARIES.values() for t in vocabulary} | {
    "placed",
    "unplaced",
    "not_needed",
    "departed",
    "total",
    "fair",
    "stable",
    "rematch",
    "neighbouring",
    "sequential",
    "joint",
    "none",
    "kept",
    "changed",
    "new",
    "ended",
}
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
RAW = re.compile(r"\b(?:True|False|true|false|nan|NaN|None|NaT|inf)\b|<NA>")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_-]+")
ID = re.compile(r"^[SMB]\d+$")
#: Proper names a Chinese workbook may show in Latin letters (solvers, a method).
PROPER = {"networkx", "HiGHS", "OR-Tools", "PAM"}
NUMBER_AS_TEXT = re.compile(r"^\s*-?\d+(?:[.,]\d+)*\s*%?\s*$")

PLAN_SHEETS_ZH = ["结对方案", "带教名单", "未结对", "街镇汇总", "概要", "阻塞对"]
PLAN_SHEETS_EN = [
    "Plan",
    "By mentor",
    "Not placed",
    "By sub-district",
    "Summary",
    "Blocking pairs",
]
#: Sheets that are one table with a header row (the others are read on paper).
TABLE_SHEETS = {
    "结对方案", "未结对", "街镇汇总", "阻塞对", "调整", "Plan", "Not placed",
    "By sub-district", "Blocking pairs", "Changes", "分组名单", "各组概况", "议题计划",
    "Members", "Groups", "Topics", "分类名单", "类别概况", "聚类数选择", "Clusters",
    "Choosing k",
}  # fmt: skip


# --- Building the workbooks once --------------------------------------------------------


def _quiet_load(path) -> mm.District:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the loader's guesses about the office's years
        return mm.load_district(path)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("export")


@pytest.fixture(scope="module")
def district(sample):
    """The sample with the notes an office writes in 备注."""
    return rosters.with_notes(sample)


@pytest.fixture(scope="module")
def plan(district):
    return mm.match(district)


@pytest.fixture(scope="module")
def books(district, plan, out):
    """The sample's plan workbook in both languages, opened."""
    paths = {
        lang: write_plan(district, plan, out / f"plan-{lang}.xlsx", lang=lang)
        for lang in ("zh", "en")
    }
    return {lang: load_workbook(p) for lang, p in paths.items()} | {"paths": paths}


@pytest.fixture(scope="module")
def office(out):
    """A roster short of places, written as an office writes it and read back."""
    path = rosters.write_office_roster(rosters.short_capacity(), out / "short-roster.xlsx")
    return _quiet_load(path)


@pytest.fixture(scope="module")
def short(office, out):
    """The short roster's partial plan, its workbooks and the plans under other rules."""
    plans = {
        "total": mm.match(office, partial=True),
        "fair": mm.match(office, objective="fair", partial=True),
        "stable": mm.match(office, objective="stable", partial=True),
        "neighbouring": mm.match(office, distance="neighbouring", partial=True),
    }
    books = {}
    for name, p in plans.items():
        for lang in ("zh", "en"):
            path = write_plan(office, p, out / f"short-{name}-{lang}.xlsx", lang=lang)
            books[name, lang] = load_workbook(path)
    return {"plans": plans, "books": books}


@pytest.fixture(scope="module")
def rematched(district, books, out):
    """A re-match after a mentor left and a rule forbids a kept pair, from the plan
    workbook itself, as a planner reads the plan in force back in."""
    previous = read_previous_plan(books["paths"]["zh"])
    previous = previous[["secretary_id", "mentor_id"]]
    placed = previous.dropna(subset=["mentor_id"])
    gone = "M003"
    kept_pair = placed[placed["mentor_id"] != gone].iloc[0]
    new_mentee = placed[placed["mentor_id"] != gone].iloc[-1]["secretary_id"]
    previous = previous[previous["secretary_id"] != new_mentee]  # newly needs a mentor
    d = district
    secretaries = d.secretaries.assign(
        previous_mentor_id=d.secretaries["previous_mentor_id"].where(
            d.secretaries["previous_mentor_id"] != gone
        )
    )
    forbid = pd.DataFrame(
        {
            "secretary_id": [kept_pair["secretary_id"]],
            "mentor_id": [kept_pair["mentor_id"]],
            "rule": ["forbid"],
        }
    )
    d2 = d.replace(
        mentors=d.mentors[d.mentors["mentor_id"] != gone],
        secretaries=secretaries,
        constraints=pd.concat([d.constraints, forbid], ignore_index=True),
    )
    p = mm.rematch(d2, previous)
    paths = {
        lang: write_plan(d2, p, out / f"rematch-{lang}.xlsx", lang=lang) for lang in ("zh", "en")
    }
    return {
        "district": d2,
        "plan": p,
        "gone": gone,
        "forbidden": (kept_pair["secretary_id"], kept_pair["mentor_id"]),
        "new": new_mentee,
        "books": {lang: load_workbook(path) for lang, path in paths.items()},
    }


@pytest.fixture(scope="module")
def salon(district):
    return salon_plan(district, 10, seed=1, mentors=True, n_random=100)


@pytest.fixture(scope="module")
def group_books(district, salon, out):
    return {
        lang: load_workbook(write_groups(district, salon, out / f"groups-{lang}.xlsx", lang=lang))
        for lang in ("zh", "en")
    }


@pytest.fixture(scope="module")
def unassessed(out):
    """A roster without assessments (no 测评 sheet), as an office writes it."""
    path = rosters.write_office_roster(
        rosters.no_assessments(), out / "no-assessments.xlsx", omit=("assessments",)
    )
    d = _quiet_load(path)
    books = {}
    for mentors in (False, True):
        p = salon_plan(d, 3, seed=1, mentors=mentors, n_random=50)
        books[mentors] = load_workbook(write_groups(d, p, out / f"groups-na-{mentors}.xlsx"))
    return books


@pytest.fixture(scope="module")
def clusters(district):
    return mm.cluster_secretaries(district, k=6, n_bootstrap=20)


@pytest.fixture(scope="module")
def cluster_books(district, clusters, out):
    return {
        lang: load_workbook(
            write_clusters(district, clusters, out / f"clusters-{lang}.xlsx", lang=lang)
        )
        for lang in ("zh", "en")
    }


@pytest.fixture(scope="module")
def every_book(books, short, rematched, group_books, unassessed, cluster_books):
    """name -> (workbook, language) for every workbook built here."""
    out = {"plan": (books["zh"], "zh"), "plan-en": (books["en"], "en")}
    for (name, lang), wb in short["books"].items():
        out[f"short-{name}-{lang}"] = (wb, lang)
    out |= {f"rematch-{k}": (wb, k) for k, wb in rematched["books"].items()}
    out |= {f"groups-{k}": (wb, k) for k, wb in group_books.items()}
    out |= {f"groups-unassessed-{k}": (wb, "zh") for k, wb in unassessed.items()}
    out |= {f"clusters-{k}": (wb, k) for k, wb in cluster_books.items()}
    return out


# --- Reading a sheet as a planner does --------------------------------------------------


def header(ws) -> list:
    return [c.value for c in ws[1]]


def records(ws) -> list[dict]:
    """The rows of a one-table sheet as {header: cell}, without the note under an empty
    table."""
    head = header(ws)
    rows = []
    for row in ws.iter_rows(min_row=2):
        if (
            all(c.value is None for c in row[1:])
            and row[0].value
            and not ID.match(str(row[0].value))
        ):
            continue  # a note row ("全部结对"), not a record
        if all(c.value is None for c in row):
            continue
        rows.append(dict(zip(head, row, strict=False)))
    return rows


def column(ws, name: str) -> list:
    return [r[name].value for r in records(ws)]


def summary_rows(ws) -> dict[str, object]:
    """概要: column A label -> the cell to its right."""
    return {r[0].value: r[1] for r in ws.iter_rows() if isinstance(r[0].value, str)}


def excel_two(x: float) -> str:
    """What Excel shows for ``x`` under the number format 0.00."""
    return str(Decimal(f"{x:.15g}").quantize(Decimal("0.01"), ROUND_HALF_UP))


def roster_words(d: mm.District) -> re.Pattern:
    """What the roster writes in its own words (names, communities, bases, notes)."""
    words = set()
    for df, cols in (
        (d.secretaries, ("name", "community_name", "note")),
        (d.mentors, ("name", "note")),
        (d.bases, ("name",)),
    ):
        for c in cols:
            if c in df.columns:
                words |= {v for v in df[c].dropna() if isinstance(v, str) and v.strip()}
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


# --- Language: labels, not codes --------------------------------------------------------


def test_plan_sheets_are_named_in_the_language(books, rematched):
    assert books["zh"].sheetnames == PLAN_SHEETS_ZH
    assert books["en"].sheetnames == PLAN_SHEETS_EN
    assert rematched["books"]["zh"].sheetnames == [*PLAN_SHEETS_ZH, "调整"]
    assert rematched["books"]["en"].sheetnames == [*PLAN_SHEETS_EN, "Changes"]


def test_no_cell_of_a_chinese_workbook_is_a_code_or_english(every_book):
    bad = []
    for name, (wb, lang) in every_book.items():
        if lang != "zh":
            continue
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    v = cell.value
                    if isinstance(v, bool):
                        bad.append((name, ws.title, cell.coordinate, v))
                    if not isinstance(v, str):
                        continue
                    latin = {w for w in LATIN_WORD.findall(v) if not ID.match(w)} - PROPER
                    if v.strip() in CODES or SNAKE.search(v) or RAW.search(v) or latin:
                        bad.append((name, ws.title, cell.coordinate, v[:60]))
    assert not bad, bad[:10]


def test_no_cell_of_an_english_workbook_is_a_code_or_chinese(
    every_book, district, office, rematched
):
    words = {id(district): roster_words(district)}
    bad = []
    for name, (wb, lang) in every_book.items():
        if lang != "en":
            continue
        d = office if name.startswith("short") else district
        pattern = words.setdefault(id(d), roster_words(d))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    v = cell.value
                    if isinstance(v, bool):
                        bad.append((name, ws.title, cell.coordinate, v))
                    if not isinstance(v, str):
                        continue
                    rest = pattern.sub("", v)
                    if v.strip() in CODES or SNAKE.search(v) or RAW.search(v) or CJK.search(rest):
                        bad.append((name, ws.title, cell.coordinate, v[:60]))
    assert not bad, bad[:10]


def test_headers_are_chinese_in_chinese_and_english_in_english(every_book):
    for name, (wb, lang) in every_book.items():
        for ws in wb.worksheets:
            if ws.title not in TABLE_SHEETS:
                continue
            for h in header(ws):
                assert isinstance(h, str) and h.strip(), (name, ws.title, h)
                if lang == "zh":
                    assert CJK.search(h) and not LATIN_WORD.search(h), (name, ws.title, h)
                else:
                    assert not CJK.search(h), (name, ws.title, h)
                assert not re.fullmatch(r"[a-z_]+", h), (name, ws.title, h)


def test_sub_districts_read_in_the_language(books):
    zh = set(column(books["zh"]["结对方案"], "街镇"))
    en = set(column(books["en"]["Plan"], "Sub-district/town"))
    assert "曹杨新村街道" in zh and zh <= {t.zh for t in STREET_TOWNS}
    assert "Caoyang Xincun" in en and en <= {t.en for t in STREET_TOWNS}
    units = column(books["en"]["By sub-district"], "Sub-district/town")
    assert set(units[:-1]) <= {t.en for t in STREET_TOWNS} and units[-1] == "Total"


def test_reasons_read_in_the_language(books, short):
    zh, en = books["zh"]["结对方案"], books["en"]["Plan"]
    for r in records(zh):
        if r["结对状态"].value == "已结对":
            reason = r["结对理由"].value
            assert (
                reason
                and CJK.search(reason)
                and ("共同难题" in reason or "难题无直接对应" in reason)
            )
    for r in records(en):
        if r["Status"].value == "Placed":
            assert r["Why this pair"].value.startswith(
                ("shared challenges", "no challenge", "kept")
            )
    not_placed = short["books"]["total", "zh"]["未结对"]
    for reason in column(not_placed, "未结对原因"):
        assert reason and CJK.search(reason) and "名额" in reason


# --- Numbers, percentages, 是/否 --------------------------------------------------------


def test_scores_and_shares_are_numbers_with_number_formats(books):
    ws = books["zh"]["结对方案"]
    placed = [r for r in records(ws) if r["结对状态"].value == "已结对"]
    assert placed
    for r in placed:
        for name in ("匹配分", "类型匹配"):
            assert r[name].data_type == "n" and r[name].number_format == "0.00", name
        for name in ("难题匹配", "难题覆盖率"):
            assert r[name].data_type == "n" and r[name].number_format.endswith("%"), name
            assert 0 <= r[name].value <= 1


def test_summary_figures_are_numbers_counts_integers_shares_percentages(books, district, plan):
    for lang in ("zh", "en"):
        ws = books[lang]["概要" if lang == "zh" else "Summary"]
        rows = summary_rows(ws)
        if lang == "zh":
            shares = [
                "难题覆盖率（带教老师）",
                "难题覆盖率（带教老师＋基地）",
                "同一街镇的结对",
                "同街镇或相邻街镇的结对",
            ]
            counts = {
                "需要带教": len(district.mentees),
                "已结对": len(plan.placed),
                "在任书记": len(district.in_post),
            }
            scores = ["平均匹配分", "最低匹配分"]
        else:
            shares = [k for k in rows if k and ("cover" in k.lower() or "same" in k.lower())]
            counts = {}
            scores = [k for k in rows if k and "score" in k.lower() and "mean" in k.lower()]
        assert len(shares) >= 3 and scores
        for key in shares:
            cell = rows[key]
            assert cell.data_type == "n" and "%" in cell.number_format, key
            assert 0 <= cell.value <= 1
        for key, expected in counts.items():
            assert rows[key].value == expected and isinstance(rows[key].value, int), key
            assert "." not in rows[key].number_format
        for key in scores:
            assert rows[key].data_type == "n" and rows[key].number_format == "0.00"
    same = summary_rows(books["zh"]["概要"])["同一街镇的结对"]
    share = (plan.placed["proximity"] >= 1).mean()
    assert same.value == pytest.approx(share)


def test_weights_are_percentages_and_rules_are_words(books):
    rows = summary_rows(books["zh"]["概要"])
    weights = {k: v for k, v in rows.items() if k.startswith("权重：")}
    assert len(weights) == 4
    assert sum(c.value for c in weights.values()) == pytest.approx(1)
    assert all("%" in c.number_format for c in weights.values())
    assert rows["目标"].value == "总分最高" and rows["距离限制"].value == "不限"
    assert rows["部分方案"].value == "否"


def test_no_number_is_stored_as_text(every_book):
    bad = []
    for name, (wb, _) in every_book.items():
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and NUMBER_AS_TEXT.match(cell.value):
                        bad.append((name, ws.title, cell.coordinate, cell.value))
    assert not bad, bad[:10]


def test_counts_by_sub_district_are_integers_that_add_up(books, district, plan):
    ws = books["zh"]["街镇汇总"]
    rows = records(ws)
    total = rows[-1]
    assert total["街镇"].value == "合计"
    for name in ("在任书记", "需要带教", "已结对", "未能结对", "带教老师", "名额"):
        values = [r[name].value for r in rows[:-1]]
        assert all(isinstance(v, int) for v in values), name
        assert sum(values) == total[name].value, name
        assert "." not in total[name].number_format
    by_unit = district.mentees["street_town"].map(lambda c: STREET_TOWNS[c].zh).value_counts()
    for r in rows[:-1]:
        assert r["需要带教"].value == by_unit.get(r["街镇"].value, 0)
        if r["已结对"].value:
            assert r["平均匹配分"].number_format == "0.00" and 0 < r["平均匹配分"].value <= 1
            assert "%" in r["同街镇结对"].number_format
    assert total["已结对"].value == len(plan.placed)


def test_booleans_read_yes_or_no(books):
    assert set(column(books["zh"]["结对方案"], "延续关系")) == {"是", "否", None}
    assert set(column(books["en"]["Plan"], "Continuity")) == {"yes", "no", None}


def test_proximity_is_named_not_a_number(books, plan):
    words = {1.0: "同一街镇", 0.5: "相邻街镇", 0.0: "较远"}
    by_id = plan.table.set_index("secretary_id")["proximity"]
    seen = set()
    for r in records(books["zh"]["结对方案"]):
        value = r["就近程度"].value
        if r["结对状态"].value != "已结对":
            assert value is None
            continue
        assert value == words[by_id[r["书记编号"].value]]
        seen.add(value)
    assert seen == set(words.values())
    en = set(column(books["en"]["Plan"], "Proximity")) - {None}
    assert en == {"same sub-district/town", "neighbouring unit", "far (not neighbouring)"}


# --- Layout: widths, header, print setup -------------------------------------------------


def test_columns_fit_their_widest_value_in_display_cells(every_book):
    for name, (wb, _) in every_book.items():
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                # A heading or a note runs across its row: only table rows set widths.
                if sum(c.value is not None for c in row) == 1 and row[0].value:
                    continue
                for cell in row:
                    if not isinstance(cell.value, str):
                        continue
                    width = ws.column_dimensions[cell.column_letter].width
                    cap = 44 if ws.title in ("带教名单", "By mentor") else MAX_WIDTH
                    assert width >= min(cap, display_width(cell.value)), (
                        name, ws.title, cell.coordinate, cell.value, width,
                    )  # fmt: skip


def test_a_sub_district_name_fits_its_column(books):
    ws = books["zh"]["结对方案"]
    letter = ws.cell(row=1, column=header(ws).index("街镇") + 1).column_letter
    assert ws.column_dimensions[letter].width >= display_width("曹杨新村街道")


def test_table_headers_are_bold_shaded_frozen_and_filtered(every_book):
    for name, (wb, _) in every_book.items():
        for ws in wb.worksheets:
            if ws.title not in TABLE_SHEETS:
                continue
            for cell in ws[1]:
                assert cell.font.b, (name, ws.title, cell.coordinate)
                assert cell.fill.fill_type == "solid", (name, ws.title, cell.coordinate)
            assert ws.freeze_panes == "A2", (name, ws.title)
            last = ws.cell(row=1, column=len(header(ws))).column_letter
            assert ws.auto_filter.ref == f"A1:{last}{max(ws.max_row, 2)}", (name, ws.title)
            assert ws.print_title_rows in ("$1:$1", "1:1"), (name, ws.title)


def test_every_sheet_prints_on_a4_landscape_fit_to_width(every_book):
    for name, (wb, _) in every_book.items():
        for ws in wb.worksheets:
            where = (name, ws.title)
            assert ws.page_setup.paperSize == 9, where
            assert ws.page_setup.orientation == "landscape", where
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, where
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert ws.title in ws.oddHeader.center.text, where


# --- The sheets ---------------------------------------------------------------------------


def test_plan_lists_placed_by_mentor_then_unplaced_then_not_needed(short, office):
    for name in ("total", "fair", "stable", "neighbouring"):
        ws = short["books"][name, "zh"]["结对方案"]
        rows = records(ws)
        status = [r["结对状态"].value for r in rows]
        order = ["已结对", "未能结对", "无需带教", "已离任"]
        assert status == sorted(status, key=order.index), name
        assert {"已结对", "未能结对", "无需带教"} <= set(status), name
        assert len(rows) == len(office.secretaries)
        mentors = [r["带教老师编号"].value for r in rows if r["结对状态"].value == "已结对"]
        roster = list(office.mentors["mentor_id"])
        assert mentors == sorted(mentors, key=roster.index), name


def test_by_mentor_prints_one_block_per_mentor(books, district, plan):
    ws = books["zh"]["带教名单"]
    headings = [
        r[0].row for r in ws.iter_rows(min_row=2) if str(r[0].value or "").startswith("带教老师：")
    ]
    assert len(headings) == len(district.mentors)
    names = [ws.cell(row=r, column=1).value for r in headings]
    for mid, name, text in zip(
        district.mentors["mentor_id"], district.mentors["name"], names, strict=True
    ):
        assert text.startswith(f"带教老师：{name}（{mid}）") and "名额" in text
    # A page break before every mentor but the first, so each prints on its own.
    assert [b.id for b in ws.row_breaks.brk] == [r - 1 for r in headings[1:]]
    head = header(ws)
    assert {"姓名", "书记编号", "居民区", "实训基地", "结对理由"} <= set(head)
    ids = head.index("书记编号")
    for k, (start, mid) in enumerate(zip(headings, district.mentors["mentor_id"], strict=True)):
        end = headings[k + 1] if k + 1 < len(headings) else ws.max_row + 1
        shown = {
            ws.cell(row=r, column=ids + 1).value
            for r in range(start + 1, end)
            if ws.cell(row=r, column=ids + 1).value
        }
        expected = set(plan.placed.loc[plan.placed["mentor_id"] == mid, "secretary_id"])
        assert shown == expected, mid
    assert ws.freeze_panes == "A2" and ws.print_title_rows in ("$1:$1", "1:1")


def test_mentor_notes_are_in_their_heading(office, short):
    ws = short["books"]["total", "zh"]["带教名单"]
    text = "\n".join(str(r[0].value) for r in ws.iter_rows() if r[0].value)
    notes = office.mentors.dropna(subset=["note"])
    assert len(notes)
    for name, note in zip(notes["name"], notes["note"], strict=True):
        assert re.search(rf"带教老师：{re.escape(name)}（.*备注：{re.escape(note)}", text)


def test_unplaced_sheet_says_who_why_and_what_would_place_them(short, office):
    plan = short["plans"]["total"]
    unplaced = plan.table[plan.table["status"] == "unplaced"]
    assert len(unplaced) == len(office.mentees) - int(office.mentors["capacity"].sum())
    ws = short["books"]["total", "zh"]["未结对"]
    rows = records(ws)
    assert [r["书记编号"].value for r in rows] == list(unplaced["secretary_id"])
    forbidden = set(
        map(
            tuple,
            office.constraints.loc[
                office.constraints["rule"] == "forbid", ["secretary_id", "mentor_id"]
            ].to_numpy(),
        )
    )
    mentor_ids = set(office.mentors["mentor_id"])
    for r in rows:
        assert CJK.search(r["未结对原因"].value)
        fix = r["如何结对（带教老师，匹配分）"].value
        assert fix.startswith("为其中一位增加 1 个名额："), fix
        named = re.findall(r"（(M\d+)，(\d\.\d\d)）", fix)
        assert named and {m for m, _ in named} <= mentor_ids
        assert not {(r["书记编号"].value, m) for m, _ in named} & forbidden
    en = records(short["books"]["total", "en"]["Not placed"])
    assert all(
        r["What would place them (mentor, score)"].value.startswith("one more place") for r in en
    )


def test_unplaced_beyond_the_distance_rule_are_told_to_relax_it(short):
    plan = short["plans"]["neighbouring"]
    ws = short["books"]["neighbouring", "zh"]["未结对"]
    rows = records(ws)
    assert len(rows) == int((plan.table["status"] == "unplaced").sum()) > 0
    for r in rows:
        fix = r["如何结对（带教老师，匹配分）"].value
        assert fix and ("放宽距离限制" in fix or "增加 1 个名额" in fix), fix


def test_unplaced_with_no_mentor_in_range_are_given_the_mentors_beyond_it(out):
    path = rosters.write_office_roster(
        rosters.no_constraints(), out / "no-rules.xlsx", omit=("constraints",)
    )
    d = _quiet_load(path)
    plan = mm.match(d, distance="same", partial=True)
    wb = load_workbook(write_plan(d, plan, out / "same-unit.xlsx"))
    unplaced = plan.table[plan.table["status"] == "unplaced"]
    rows = records(wb["未结对"])
    assert [r["书记编号"].value for r in rows] == list(unplaced["secretary_id"]) and rows
    units = d.mentors.set_index("mentor_id")["street_town"]
    for r, unit in zip(rows, unplaced["street_town"], strict=True):
        fix = r["如何结对（带教老师，匹配分）"].value
        named = re.findall(r"（(M\d+)，\d\.\d\d）", fix)
        if unit in set(units):
            assert fix.startswith("为其中一位增加 1 个名额"), fix
        else:  # nobody in their unit: the distance rule keeps them apart
            assert fix.startswith("距离限制内没有可选的带教老师；放宽距离限制后"), fix
            assert named and all(units[m] != unit for m in named)
    rules = summary_rows(wb["概要"])
    assert rules["距离限制"].value == "仅同一街镇" and rules["部分方案"].value == "是"


def test_nobody_unplaced_is_said_in_words(books):
    ws = books["zh"]["未结对"]
    assert ws.max_row == 2 and "全部结对" in ws["A2"].value
    assert "Every secretary" in books["en"]["Not placed"]["A2"].value


def test_alternates_are_never_blank(short, books):
    for lang, status, alt in (
        ("zh", "结对状态", "备选带教老师（匹配分）"),
        ("en", "Status", "Next-best mentors (score)"),
    ):
        rows = records(short["books"]["total", lang]["结对方案" if lang == "zh" else "Plan"])
        needing = [
            r for r in rows if r[status].value in ("已结对", "未能结对", "Placed", "Not placed")
        ]
        assert needing
        # Every mentor's places are taken: nobody has room for another mentee.
        word = NO_PLACE_LEFT[0 if lang == "zh" else 1]
        assert all(r[alt].value == word for r in needing), lang
    sample = records(books["zh"]["结对方案"])
    assert all(r["备选带教老师（匹配分）"].value for r in sample if r["结对状态"].value == "已结对")


def test_scores_in_words_read_as_their_cells(books, district, plan):
    """A score in a sentence reads as Excel shows it in its cell (0.475 is 0.48)."""
    scores = mm.score_pairs(district, plan.weights).set_index(["secretary_id", "mentor_id"])[
        "total"
    ]
    checked = 0
    for r in records(books["zh"]["结对方案"]):
        text = r["备选带教老师（匹配分）"].value
        for mid, shown in re.findall(r"（(M\d+)，(\d\.\d\d)）", text or ""):
            assert shown == excel_two(scores[r["书记编号"].value, mid]), text
            checked += 1
    assert checked > 50
    halves = 0
    for r in records(books["zh"]["阻塞对"]):
        words = r["说明"].value
        assert excel_two(r["匹配分"].value) in words, words
        if r["现匹配分"].value is not None:
            assert excel_two(r["现匹配分"].value) in words, words
        halves += f"{r['匹配分'].value:.2f}" != excel_two(r["匹配分"].value)
    assert halves  # the sample has scores such as 0.575 that Python rounds down


def test_units_sheet_counts_needing_placed_and_mean_score(short, office):
    plan = short["plans"]["total"]
    rows = {r["街镇"].value: r for r in records(short["books"]["total", "zh"]["街镇汇总"])}
    placed = plan.placed.assign(unit=plan.placed["street_town"].map(lambda c: STREET_TOWNS[c].zh))
    for unit, group in placed.groupby("unit"):
        assert rows[unit]["已结对"].value == len(group)
        assert rows[unit]["平均匹配分"].value == pytest.approx(group["score"].mean())
    assert rows["合计"]["未能结对"].value == int((plan.table["status"] == "unplaced").sum())


def test_summary_has_headline_rules_and_a_sign_off_block(books, short):
    ws = books["zh"]["概要"]
    a = [r[0].value for r in ws.iter_rows()]
    assert a[0] == "带教结对方案（送审稿）" and "全部结对" in a[1]
    for heading in ("主要指标", "方案规则", "审核"):
        assert heading in a
    sign = a.index("审核")
    head = [c.value for c in ws[sign + 2]]
    assert head[0] == "环节" and "签名" in head and "日期" in head
    roles = [ws.cell(row=sign + 2 + k, column=1).value for k in (1, 2, 3)]
    assert roles == ["拟定人", "审核人", "审批人"]
    for k in (1, 2, 3):
        row = ws[sign + 2 + k]
        assert all(c.border.left.style == "thin" for c in row[: len(head)])
        assert all(c.value is None for c in row[1 : len(head)])  # room to sign
    assert ws.column_dimensions["B"].width >= 20
    en = [r[0].value for r in books["en"]["Summary"].iter_rows()]
    assert "Sign-off" in en and {"Drafted by", "Reviewed by", "Approved by"} <= set(en)
    short_headline = short["books"]["total", "zh"]["概要"]["A2"].value
    assert "17 名结对" in short_headline and "3 名未能结对" in short_headline
    assert "名额只有 17 个" in short_headline


@pytest.mark.parametrize(
    ("name", "objective", "distance", "objective_en"),
    [
        ("total", "总分最高", "不限", "Highest total"),
        ("fair", "兼顾最弱者", "不限", "Fairest"),
        ("stable", "稳定匹配", "不限", "Stable"),
        ("neighbouring", "总分最高", "同一或相邻街镇", "Highest total"),
    ],
)
def test_summary_names_the_rules_used_in_words(short, name, objective, distance, objective_en):
    zh = summary_rows(short["books"][name, "zh"]["概要"])
    assert zh["目标"].value == objective and zh["距离限制"].value == distance
    assert zh["部分方案"].value == "是"
    assert zh["求解方法"].value in ("networkx 网络单纯形法", "延迟接受算法", "OR-Tools 最小费用流")
    assert isinstance(zh["回避的结对（采用）"].value, int) and zh["回避的结对（采用）"].value >= 1
    en = summary_rows(short["books"][name, "en"]["Summary"])
    assert en["Objective"].value == objective_en
    assert en["Partial plan"].value == "yes"


def test_a_plan_adjusted_by_hand_says_it_was_not_solved(office, short, tmp_path):
    from dataclasses import replace

    plan = replace(short["plans"]["total"], objective="given", solver="highs-milp")
    wb = load_workbook(write_plan(office, plan, tmp_path / "given.xlsx"))
    rules = summary_rows(wb["概要"])
    assert rules["目标"].value == "给定结对" and rules["求解方法"].value == "不经求解"


def test_roster_notes_are_carried_into_the_plan(office, short, district, books):
    for d, ws in (
        (office, short["books"]["total", "zh"]["结对方案"]),
        (district, books["zh"]["结对方案"]),
    ):
        notes = d.secretaries.set_index("secretary_id")["note"]
        assert notes.notna().sum() >= 3
        assert "备注" in header(ws)
        for r in records(ws):
            expected = notes[r["书记编号"].value]
            assert r["备注"].value == (expected if isinstance(expected, str) and expected else None)
    assert "Remarks" in header(short["books"]["total", "en"]["Plan"])


def test_blocking_pairs_are_explained_in_words(books, plan):
    ws = books["zh"]["阻塞对"]
    rows = records(ws)
    assert len(rows) == len(plan.blocking_pairs) > 0
    for r in rows:
        assert re.fullmatch(r".+（S\d+）", r["书记"].value) and re.fullmatch(
            r".+（M\d+）", r["带教老师"].value
        )
        assert r["匹配分"].data_type == "n" and r["说明"].value.endswith("。")


def test_rematch_changes_sheet_in_words(rematched):
    ws = rematched["books"]["zh"]["调整"]
    rows = records(ws)
    changes = rematched["plan"].changes
    assert len(rows) == len(changes)
    assert {r["调整"].value for r in rows} <= {"保留", "更换", "新增", "结束"}
    by_id = {r["书记编号"].value: r for r in rows}
    gone = rematched["gone"]
    moved = changes.loc[changes["previous_mentor"] == gone, "secretary_id"]
    assert len(moved)
    for sid in moved:
        assert by_id[sid]["原因"].value == f"带教老师 {gone} 已退出带教"
        assert by_id[sid]["原带教老师"].value == gone
    sid, mid = rematched["forbidden"]
    assert by_id[sid]["调整"].value == "更换" and "回避规则" in by_id[sid]["原因"].value
    assert by_id[rematched["new"]]["调整"].value == "新增"
    kept = [r for r in rows if r["调整"].value == "保留"]
    assert kept and all(r["原因"].value == "延续原结对" for r in kept)
    assert all(re.fullmatch(r".+（M\d+）", r["现带教老师"].value) for r in kept)
    rules = summary_rows(rematched["books"]["zh"]["概要"])
    assert rules["目标"].value == "调整方案" and rules["求解方法"].value == "HiGHS 混合整数规划"
    en = records(rematched["books"]["en"]["Changes"])
    assert {r["Change"].value for r in en} <= {"Kept", "Changed", "New", "Ended"}


def test_plan_workbook_reads_back_as_the_plan_in_force(books, plan):
    back = read_previous_plan(books["paths"]["en"])
    mine = back.dropna(subset=["mentor_id"]).set_index("secretary_id")["mentor_id"]
    assert mine.sort_index().to_dict() == plan.assignment.sort_index().to_dict()


# --- Text that looks like a formula, bytes, formats -------------------------------------


@pytest.fixture(scope="module")
def evil(office):
    s = office.secretaries.copy()
    first = office.mentees["secretary_id"].iloc[0]
    s.loc[s["secretary_id"] == first, "name"] = '=HYPERLINK("http://evil.example","点我")'
    s.loc[s["secretary_id"] == first, "note"] = "+1 待定"
    second = office.mentees["secretary_id"].iloc[1]
    s.loc[s["secretary_id"] == second, "note"] = "-产假中"
    m = office.mentors.copy()
    m.loc[0, "name"] = "@SUM(A1:A9)"
    return office.replace(secretaries=s, mentors=m)


def test_formula_like_names_and_notes_stay_text(evil, tmp_path):
    plan = mm.match(evil, partial=True)
    path = write_plan(evil, plan, tmp_path / "evil.xlsx")
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in x or "<f " in x for x in sheets)
    ws = load_workbook(path)["结对方案"]
    seen = set()
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                seen.add(cell.value)
    assert {'=HYPERLINK("http://evil.example","点我")', "+1 待定", "-产假中", "@SUM(A1:A9)"} <= seen
    csv_path = write_plan(evil, plan, tmp_path / "evil.csv")
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1 待定" in text and "'@SUM" in text
    assert not re.search(r"(^|,)[=+@]", text, flags=re.M)


def test_same_plan_same_bytes(district, plan, salon, clusters, tmp_path):
    for lang in ("zh", "en"):
        for ext in ("xlsx", "csv"):
            a = write_plan(district, plan, tmp_path / f"a-{lang}.{ext}", lang=lang)
            b = write_plan(district, plan, tmp_path / f"b-{lang}.{ext}", lang=lang)
            assert a.read_bytes() == b.read_bytes(), (lang, ext)
    g1 = write_groups(district, salon, tmp_path / "g1.xlsx")
    g2 = write_groups(district, salon, tmp_path / "g2.xlsx")
    assert g1.read_bytes() == g2.read_bytes()
    c1 = write_clusters(district, clusters, tmp_path / "c1.xlsx")
    c2 = write_clusters(district, clusters, tmp_path / "c2.xlsx")
    assert c1.read_bytes() == c2.read_bytes()


def test_csv_is_the_main_sheet(district, plan, books, tmp_path):
    path = write_plan(district, plan, tmp_path / "plan.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read Chinese
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == header(books["zh"]["结对方案"])
    assert len(rows) - 1 == len(district.secretaries)
    first = dict(zip(rows[0], rows[1], strict=True))
    score = plan.table.set_index("secretary_id").loc[first["书记编号"], "score"]
    assert float(first["匹配分"]) == pytest.approx(score, abs=1e-4)
    assert first["难题匹配"].endswith("%") and first["延续关系"] in ("是", "否")
    assert not any(v in ("nan", "None", "True", "False") for r in rows for v in r)


@pytest.mark.parametrize("name", ["plan.xls", "plan.pdf", "plan", "plan.json"])
def test_other_extensions_are_refused_in_a_sentence(
    district, plan, salon, clusters, tmp_path, name
):
    calls = [
        lambda p: write_plan(district, plan, p),
        lambda p: write_groups(district, salon, p),
        lambda p: write_clusters(district, clusters, p),
    ]
    for call in calls:
        with pytest.raises(mm.DataError) as info:
            call(tmp_path / name)
        stem = name.split(".")[0]
        assert f"{stem}.xlsx" in str(info.value) and "\n" not in str(info.value)
        zh = info.value.message("zh")
        assert f"{stem}.xlsx" in zh and "只能写成" in zh
    assert not any(tmp_path.iterdir())


# --- Salon groups -----------------------------------------------------------------------


def test_groups_say_which_mentor_leads_which_group(group_books, salon, district):
    ws = group_books["zh"]["分组名单"]
    assert group_books["zh"].sheetnames == ["分组名单", "各组概况", "各组构成", "议题计划", "概要"]
    fac = salon.facilitators
    leads = fac[fac["lead"]].set_index("group")
    assert set(leads["kind"]) == {"mentor"}
    by_group: dict[int, set] = {}
    for r in records(ws):
        group = r["组别"].value
        if group is None:
            assert r["说明"].value == "已离任"
            continue
        assert isinstance(group, int) and r["组别"].data_type == "n"
        by_group.setdefault(group, set()).add(r["本组带教老师（组长）"].value)
    assert sorted(by_group) == list(range(1, 11))
    mentors = set(district.mentors["name"])
    for group, names in by_group.items():
        assert names == {leads.loc[group, "name"]} and names <= mentors
    profiles = records(group_books["zh"]["各组概况"])
    for r in profiles:
        joined = set(r["本组带教老师"].value.split("、"))
        expected = set(fac[(fac["group"] == r["组别"].value) & (fac["kind"] == "mentor")]["name"])
        assert joined == expected and r["组长"].value == leads.loc[r["组别"].value, "name"]
    assert "带教老师任组长" in group_books["zh"]["概要"]["A3"].value
    en = records(group_books["en"]["Members"])
    assert "Group's mentor (lead)" in en[0]


def test_group_booleans_and_numbers(group_books):
    for lang, yes_no, (fac, lead, index) in (
        ("zh", {"是", "否"}, ("主持人", "组长", "组织力指数")),
        ("en", {"yes", "no"}, ("Facilitator", "Lead", "Capacity index")),
    ):
        ws = group_books[lang]["分组名单" if lang == "zh" else "Members"]
        rows = records(ws)
        assert {r[fac].value for r in rows} == yes_no
        assert {r[lead].value for r in rows} <= yes_no
        values = [r[index] for r in rows if r[index].value is not None]
        assert values and all(c.data_type == "n" and c.number_format == "0.0" for c in values)
    summary = summary_rows(group_books["zh"]["概要"])
    assert summary["组数"].value == 10 and isinstance(summary["在任书记"].value, int)
    assert "%" in summary["多样性高于同规则随机分组的比例"].number_format
    for r in records(group_books["zh"]["各组概况"]):
        assert isinstance(r["人数"].value, int) and r["组内平均距离"].number_format == "0.000"


def test_groups_without_assessments_say_how_facilitators_were_chosen(unassessed):
    for mentors, wb in unassessed.items():
        rule = wb["概要"]["A3"].value
        assert "任职年限" in rule and "没有组织力评估" in rule, rule
        assert ("带教老师任组长" in rule) == mentors
        for title in ("分组名单", "各组概况"):
            ws = wb[title]
            for j, name in enumerate(header(ws), start=1):
                values = [ws.cell(row=r, column=j).value for r in range(2, ws.max_row + 1)]
                assert any(v is not None for v in values), (mentors, title, name)


# --- Clusters -----------------------------------------------------------------------------


def test_clusters_have_chinese_names_and_numeric_profiles(cluster_books, clusters):
    wb = cluster_books["zh"]
    assert wb.sheetnames == ["分类名单", "类别概况", "聚类数选择", "概要"]
    profiles = records(wb["类别概况"])
    assert len(profiles) == clusters.k == 6
    names = [r["类别"].value for r in profiles]
    assert len(set(names)) == 6
    assert all(CJK.search(n) and not LATIN_WORD.search(n) for n in names)
    for r in profiles:
        assert isinstance(r["人数"].value, int) and "%" in r["占比"].number_format
        assert CJK.search(r["带教建议"].value)
    assert sum(r["人数"].value for r in profiles) == int(clusters.clustered.sum())
    members = records(wb["分类名单"])
    assert {r["类别"].value for r in members} == set(names)
    assert {r["参与聚类（在任）"].value for r in members} == {"是", "否"}
    en = [r["Cluster"].value for r in records(cluster_books["en"]["Clusters"])]
    assert all(not CJK.search(n) for n in en) and len(set(en)) == 6
