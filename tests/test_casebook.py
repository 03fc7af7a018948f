"""The salon casebook (mentormatch/salon_book/, mentormatch/export/casebook_book.py).

The records are built by hand on the synthetic district: ideas, cases and questions on
a few topics, answers linked by ``reply_to`` (one to an answer, one to nothing), texts
that name the roster's people and communities, and one with markup.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT

import mentormatch as mm
from mentormatch import DataError
from mentormatch.export.casebook_book import count_table
from mentormatch.salon_book import RECORD_COLUMNS, compile_records, name_codes, scrub, topic_order
from mentormatch.vocab import RECORD_KINDS, TOPICS

SHOTS = ROOT / "build" / "screenshots" / "casebook"
LINKS = "() => [...document.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href'))"


@pytest.fixture(scope="module")
def district() -> mm.District:
    d = mm.synthesize_district(seed=3)
    return d.replace(salon_records=_records(d))


def _records(d: mm.District) -> pd.DataFrame:
    s = d.secretaries
    a, b, c = (s.iloc[i] for i in (0, 1, 2))
    mentor = d.mentors.iloc[0]
    base = d.bases.iloc[0]
    rows = [
        # record_id, month, group, topic, secretary, kind, text, reply_to
        (
            "I1",
            "2025-02",
            2,
            "parking",
            a,
            "idea",
            f"{a['community_name']}错峰停车，夜间共享车位。",
            None,
        ),
        ("I2", "2025-02", 1, "parking", b, "idea", f"学习{b['name']}的做法：车位编号上墙。", None),
        (
            "C1",
            "2025-02",
            3,
            "parking",
            c,
            "case",
            f"{mentor['name']}老师带我们去{base['name']}看了。",
            None,
        ),
        ("Q1", "2025-02", 1, "parking", a, "question", "新建车位谁来管？", None),
        (
            "A1",
            "2025-02",
            1,
            "parking",
            b,
            "answer",
            f"可请{c['community_name']}的物业代管。",
            "Q1",
        ),
        ("A2", "2025-03", 2, "parking", None, "answer", "补充：先开居民会议。", "A1"),
        ("Q2", "2025-02", 4, "parking", c, "question", "<script>alert('x')</script>怎么办？", None),
        ("A3", "2025-02", 5, "parking", a, "answer", "没有注明所答疑问的答复。", None),
        ("A4", "2025-02", 5, "parking", a, "answer", "所答疑问不在记录中。", "Q99"),
        ("I3", "2025-04", 6, "ageing", b, "idea", "为独居老人建立每日敲门制度。", None),
        ("Q3", "2025-04", 6, "ageing", c, "question", "助餐点怎样选址？", None),
        ("A5", "2025-04", 6, "elder_care", a, "answer", "看老人步行十分钟的范围。", "Q3"),
        ("C2", "2025-05", 7, "delivers_fast", c, "case", f"{c['name']}：问题不过夜。", None),
    ]
    return pd.DataFrame(
        [
            {
                "record_id": rid,
                "month": month,
                "group": group,
                "topic": topic,
                "secretary_id": None if who is None else who["secretary_id"],
                "kind": kind,
                "text": text,
                "reply_to": reply,
            }
            for rid, month, group, topic, who, kind, text, reply in rows
        ]
    )


@pytest.fixture(scope="module")
def books(district, tmp_path_factory) -> dict:
    """The book in both languages, plain and pseudonymised: (lang, coded) -> html path."""
    root = tmp_path_factory.mktemp("casebook")
    return {
        (lang, coded): mm.casebook(
            district, root / f"{lang}-{int(coded)}", lang=lang, pseudonymize=coded
        )
        for lang in ("zh", "en")
        for coded in (False, True)
    }


class _Page(HTMLParser):
    """The page's elements as (tag, attributes) and its visible text."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:
            self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _cells(path: Path) -> list[object]:
    wb = openpyxl.load_workbook(path)
    return [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]


# --- The records in the book's order ---------------------------------------------------


def test_topics_by_number_of_records(district):
    records = compile_records(district)
    # A5 names elder_care but answers Q3 (ageing): it counts under ageing, so elder_care
    # has no section of its own.
    assert topic_order(records) == ["parking", "ageing", "delivers_fast"]
    assert records.set_index("record_id").loc["A5", ["topic", "section"]].tolist() == [
        "elder_care",
        "ageing",
    ]
    # Ties in vocabulary order.
    tied = pd.DataFrame({"topic": ["elder_care", "delivers_fast", "ageing", "ageing"]})
    assert topic_order(tied) == ["ageing", "delivers_fast", "elder_care"]


def test_ideas_cases_questions_each_with_its_answers(district):
    r = compile_records(district)
    parking = r[r["topic"] == "parking"]["record_id"].tolist()
    # Ideas by month and group, then cases, then each question with its thread, then
    # answers that answer nothing in the records.
    assert parking == ["I2", "I1", "C1", "Q1", "A1", "A2", "Q2", "A3", "A4"]
    thread = r.set_index("record_id")["thread"]
    assert thread["A1"] == "Q1" and thread["A2"] == "Q1"  # an answer to an answer
    assert thread[["A3", "A4"]].isna().all()
    # An answer follows its question even when it names another topic.
    ids = r["record_id"].tolist()
    assert ids[ids.index("Q3") + 1] == "A5"
    assert list(r.columns) == RECORD_COLUMNS


def test_contributors_named_with_their_community(district):
    r = compile_records(district).set_index("record_id")
    s = district.secretaries.set_index("secretary_id")
    sid = district.salon_records.set_index("record_id")["secretary_id"]
    assert r.loc["I1", "contributor"] == s.loc[sid["I1"], "name"]
    assert r.loc["I1", "community"] == s.loc[sid["I1"], "community_name"]
    assert pd.isna(r.loc["A2", "contributor"])


# --- The book ----------------------------------------------------------------------------


def test_one_section_per_topic_with_a_table_of_contents(books, district):
    path = books[("zh", False)]
    page = _parse(path)
    toc = [a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("#t-")]
    sections = [a["id"] for t, a in page.tags if t == "section"]
    assert toc == [f"#{s}" for s in sections]
    assert sections == [f"t-{c}" for c in ["parking", "ageing", "delivers_fast"]]
    text = "".join(page.text)
    for code in ("parking", "ageing", "delivers_fast"):
        assert TOPICS[code].zh in text
    for kind in ("idea", "case", "question"):
        assert f"<h3>{RECORD_KINDS[kind].zh}（" in path.read_text(encoding="utf-8")
    assert "一午一时沙龙案例集" in text
    assert "共 13 条记录，3 个议题，7 个小组，2025 年 2 月至 2025 年 5 月。" in text
    assert "合成数据" in text
    # No section is empty.
    source = path.read_text(encoding="utf-8")
    bodies = source.split('<section class="cb-topic"')[1:]
    assert len(bodies) == 3 and all('class="cb-record' in b for b in bodies)


def test_answers_sit_under_their_question(books):
    source = books[("zh", False)].read_text(encoding="utf-8")
    q1 = source.index("新建车位谁来管？")
    q2 = source.index("怎么办？")
    a1 = source.index("物业代管")
    a2 = source.index("补充：先开居民会议。")
    assert q1 < a1 < a2 < q2
    between = source[q1:q2]
    assert between.count('class="cb-answers"') == 1
    # Answers that answer nothing come last, under their own heading.
    loose = source.index("其他答复")
    assert source.index("没有注明所答疑问的答复。") > loose > q2


def test_english_labels_and_texts_as_written(books):
    source = books[("en", False)].read_text(encoding="utf-8")
    text = "".join(_parse(books[("en", False)]).text)
    assert '<html lang="en">' in source
    assert "Salon casebook" in text and "Contents" in text
    assert TOPICS["parking"].en in text and "Ideas (2)" in text and "Questions (2)" in text
    assert "新建车位谁来管？" in text  # the record as written
    assert "13 records on 3 topics from 7 groups, 2025-02 to 2025-05." in text
    assert "Synthetic data" in text
    for code in ("parking", "ageing"):
        assert TOPICS[code].zh not in text.replace("一午一时", "")


def test_markup_in_a_record_is_shown_not_run(books):
    for path in books.values():
        source = path.read_text(encoding="utf-8")
        assert "<script" not in source.lower()
        assert html.escape("<script>alert('x')</script>") in source


def test_no_synthetic_line_for_real_data(district, tmp_path):
    real = mm.District(**district.tables)
    assert not real.synthetic
    path = mm.casebook(real, tmp_path / "book.html")
    assert "合成数据" not in path.read_text(encoding="utf-8")
    assert "合成数据" not in "".join(str(v) for v in _cells(tmp_path / "book.xlsx"))


def test_the_same_data_give_the_same_bytes(district, books, tmp_path):
    again = mm.casebook(district, tmp_path / "again", lang="en", pseudonymize=True)
    first = books[("en", True)]
    assert again.read_bytes() == first.read_bytes()
    assert again.with_suffix(".xlsx").read_bytes() == first.with_suffix(".xlsx").read_bytes()


# --- Names as codes ----------------------------------------------------------------------


def _roster_names(d: mm.District) -> set[str]:
    names = set(d.secretaries["name"]) | set(d.secretaries["community_name"])
    return names | set(d.mentors["name"]) | set(d.bases["name"])


def test_pseudonymised_book_and_workbook_name_nobody(district, books):
    plain = books[("zh", False)].read_text(encoding="utf-8")
    mentioned = {n for n in _roster_names(district) if n in plain}
    assert len(mentioned) >= 6  # the plain book names people and communities
    for lang in ("zh", "en"):
        path = books[(lang, True)]
        source = path.read_text(encoding="utf-8")
        cells = "\n".join(str(v) for v in _cells(path.with_suffix(".xlsx")) if v is not None)
        for name in _roster_names(district):
            assert name not in source, name
            assert name not in cells, name
        coded = district.pseudonymized()
        assert coded.mentors["name"].iloc[0] in source  # named in C1's text, as its code
        assert coded.secretaries["name"].iloc[0] in cells


def test_scrub_uses_the_codes_of_pseudonymized(district):
    coded = district.pseudonymized()
    s, p = district.secretaries.iloc[5], coded.secretaries.iloc[5]
    m, q = district.mentors.iloc[1], coded.mentors.iloc[1]
    text = pd.Series([f"{s['name']}和{m['name']}在{s['community_name']}", None])
    out = scrub(text, district)
    assert out.iloc[0] == f"{p['name']}和{q['name']}在{p['community_name']}"
    assert pd.isna(out.iloc[1])
    codes = name_codes(district)
    assert codes[s["community_name"]] == p["community_name"]
    assert all(re.fullmatch(r"[SMCB]-[0-9A-F]{6}", c) for c in codes.values())


def test_the_longest_name_wins(district):
    # A community whose name holds another's: the longer is replaced whole.
    s = district.secretaries.copy()
    s.loc[0, "community_name"] = "莲花公寓"
    s.loc[1, "community_name"] = "莲花公寓二村"
    d = district.replace(secretaries=s)
    coded = d.pseudonymized().secretaries
    out = scrub(pd.Series(["莲花公寓二村与莲花公寓"]), d).iloc[0]
    assert out == f"{coded['community_name'].iloc[1]}与{coded['community_name'].iloc[0]}"


# --- The workbook ------------------------------------------------------------------------


def test_workbook_records_and_counts(district, books):
    wb = openpyxl.load_workbook(books[("zh", False)].with_suffix(".xlsx"))
    assert wb.sheetnames == ["沙龙记录", "分类统计"]
    rows = list(wb["沙龙记录"].iter_rows(values_only=True))
    assert rows[0] == (
        "记录编号",
        "议题",
        "类别",
        "月份",
        "小组",
        "书记",
        "居民区",
        "内容",
        "所答疑问编号",
    )
    assert len(rows) == 1 + len(district.salon_records)
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["A1"][1:3] == (TOPICS["parking"].zh, RECORD_KINDS["answer"].zh)
    assert by_id["A1"][4] == 1 and isinstance(by_id["A1"][4], int)
    assert by_id["A1"][8] == "Q1"
    assert by_id["A2"][5] == "未署名"
    assert by_id["I1"][8] is None
    counts = list(wb["分类统计"].iter_rows(values_only=True))
    header = counts.index(("议题", "金点子", "好案例", "疑问", "答复", "合计"))
    table = {r[0]: r[1:] for r in counts[header + 1 :]}
    assert table[TOPICS["parking"].zh] == (2, 1, 2, 4, 9)
    assert table[TOPICS["ageing"].zh] == (1, 0, 1, 1, 3)
    assert TOPICS["elder_care"].zh not in table
    # The records sheet keeps each record's topic as written.
    assert by_id["A5"][1] == TOPICS["elder_care"].zh
    assert table["合计"] == (3, 2, 3, 5, 13)
    assert all(isinstance(v, int) for v in table["合计"])


def test_count_table_adds_up(district):
    records = compile_records(district)
    t = count_table(records, "en")
    assert list(t.columns) == ["Topic", "Ideas", "Cases", "Questions", "Answers", "Total"]
    assert t["Total"].iloc[:-1].sum() == len(records) == t["Total"].iloc[-1]
    assert (t.iloc[:-1, 1:5].sum(axis=1) == t["Total"].iloc[:-1]).all()


def test_english_workbook(books):
    wb = openpyxl.load_workbook(books[("en", True)].with_suffix(".xlsx"))
    assert wb.sheetnames == ["Records", "Counts"]
    first = next(wb["Records"].iter_rows(values_only=True))
    assert first[:3] == ("Record ID", "Topic", "Kind")


# --- Where it goes, and what it refuses ----------------------------------------------------


def test_a_file_name_or_a_folder(district, tmp_path):
    book = mm.casebook(district, tmp_path / "salon.html")
    assert book == tmp_path / "salon.html" and (tmp_path / "salon.xlsx").is_file()
    folder = tmp_path / "made" / "here"
    book = mm.casebook(district, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["casebook.html", "casebook.xlsx"]
    assert 'href="casebook.xlsx"' in book.read_text(encoding="utf-8")


def test_other_names_are_refused_and_nothing_written(district, tmp_path):
    with pytest.raises(DataError) as err:
        mm.casebook(district, tmp_path / "salon.pdf")
    assert "salon.html" in err.value.message("en") and "salon.html" in err.value.message("zh")
    assert list(tmp_path.iterdir()) == []


def test_no_salon_records_is_a_data_error_and_nothing_is_written(district, tmp_path):
    bare = district.replace(salon_records=district.salon_records.iloc[0:0])
    with pytest.raises(DataError) as err:
        mm.casebook(bare, tmp_path / "out")
    zh, en = err.value.message("zh"), err.value.message("en")
    assert "沙龙记录" in zh and "salon_records" in zh and "工作表" in zh
    assert "salon_records" in en and "沙龙记录" in en and "add a sheet" in en
    assert not (tmp_path / "out").exists()
    assert err.value.problems[0].kind == "missing_table"


def test_unknown_language_is_a_data_error(district, tmp_path):
    with pytest.raises(DataError, match="language"):
        mm.casebook(district, tmp_path / "out", lang="fr")
    assert not (tmp_path / "out").exists()


def test_mm_casebook_is_the_function_after_any_import(district, tmp_path):
    import mentormatch.salon_book.compile  # noqa: F401

    assert callable(mm.casebook)
    book = mm.casebook(district, tmp_path / "b.html", lang="en")
    assert book.is_file()


# --- As a reader sees it -------------------------------------------------------------------


def test_the_book_in_a_browser(books):
    from browser import VIEWPORT, launch, open_page, screenshots

    with launch() as browser:
        for lang in ("zh", "en"):
            path = books[(lang, True)]
            visit = open_page(browser, path)
            page = visit.page
            assert visit.console_errors == [] and visit.page_errors == []
            assert all(u.startswith("file:") for u in visit.requests), visit.requests
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= VIEWPORT["width"], "the page is wider than the window"
            ids = set(page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
            links = page.evaluate(LINKS)
            assert links and all(link[1:] in ids for link in links)
            # Every record's text is shown, none overflows its box.
            wide = page.evaluate(
                """() => [...document.querySelectorAll('.cb-record')].filter(
                    e => e.scrollWidth > e.clientWidth + 1).length"""
            )
            assert wide == 0
            assert page.evaluate("() => document.documentElement.lang") == (
                "zh-CN" if lang == "zh" else "en"
            )
            shots = screenshots(page, SHOTS, f"casebook_{lang}")
            assert shots and all(p.stat().st_size > 0 for p in shots)
