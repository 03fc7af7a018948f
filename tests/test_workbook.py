"""Workbooks for people (mentormatch.workbook): numbers as numbers with number formats,
是/否, text that stays text, widths in display cells, a bold frozen filtered header, print
setup, the same bytes for the same tables. Read back with openpyxl, as Excel would."""

from __future__ import annotations

import math
import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from mentormatch.workbook import (
    MAX_WIDTH,
    Gap,
    Heading,
    PageBreak,
    Sheet,
    Table,
    display_width,
    number_kind,
    write_workbook,
)

#: Text a person types: Chinese, Latin letters, digits, punctuation of both scripts.
_TEXT = st.text(
    alphabet=st.sampled_from(
        list("曹杨新村街道真如镇桃浦居民区产假中拟调任 abcXYZ0189-=+@、，（）;:'\"")
    ),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip())  # blank text is an empty cell (tested on its own)


def _read(path):
    return load_workbook(path)


def _rows(ws):
    return [list(r) for r in ws.iter_rows()]


# --- Display width --------------------------------------------------------------------


def test_display_width_counts_a_chinese_character_as_two_cells():
    assert display_width("曹杨新村街道") == 12
    assert display_width("Caoyang Xincun") == 14
    assert display_width("（S001，0.58）") == 2 + 4 + 2 + 4 + 2
    assert display_width("") == 0


@given(st.text(max_size=30), st.text(max_size=30))
def test_display_width_adds_up_and_lies_between_one_and_two_per_character(a, b):
    assert display_width(a + b) == display_width(a) + display_width(b)
    assert len(a) <= display_width(a) <= 2 * len(a)


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=20))
def test_display_width_of_chinese_text_is_twice_its_length(text):
    assert display_width(text) == 2 * len(text)


# --- Number kinds ---------------------------------------------------------------------


@given(st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=20))
def test_number_kind_of_integers(values):
    assert number_kind(pd.Series(values)) == "int"
    assert number_kind(pd.Series(values, dtype="Int64")) == "int"


@given(st.lists(st.floats(allow_nan=True, allow_infinity=False), min_size=1, max_size=20))
def test_number_kind_of_floats(values):
    assert number_kind(pd.Series(values, dtype=float)) == "float"


@given(st.lists(st.booleans(), min_size=1, max_size=20))
def test_booleans_are_not_numbers(values):
    assert number_kind(pd.Series(values)) is None


@given(st.lists(_TEXT, min_size=1, max_size=10))
def test_text_is_not_a_number(values):
    assert number_kind(pd.Series(values, dtype=object)) is None


# --- One table --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A table with every kind of value a result holds, written in Chinese and English."""
    df = pd.DataFrame(
        {
            "街镇": ["曹杨新村街道", "桃浦镇", None],
            "人数": pd.array([12, 1234, None], dtype="Int64"),
            "匹配分": [0.8375, 0.475, np.nan],
            "占比": [0.4307692307692308, 1.0, float("nan")],
            "出生年份": [1980, 1975, 1990],
            "需要带教": [True, False, np.bool_(True)],
            "难题": [("人口老龄化", "停车难"), (), None],
            "备注": ["产假中", "nan", "None"],
            "户数": [1892.0, 12000.0, np.inf],
        }
    )
    kinds = {"匹配分": "0.00", "占比": "percent", "出生年份": "year", "需要带教": "text"}
    out = tmp_path_factory.mktemp("workbook")
    zh, en = out / "zh.xlsx", out / "en.xlsx"
    write_workbook({"表": (df, kinds)}, zh)
    write_workbook({"表": (df, kinds)}, en, lang="en")
    return df, kinds, _read(zh)["表"], _read(en)["表"], zh


def test_numbers_stay_numbers_with_their_formats(mixed):
    _, _, ws, _, _ = mixed
    header = [c.value for c in ws[1]]
    first = dict(zip(header, ws[2], strict=True))
    assert first["人数"].data_type == "n" and first["人数"].value == 12
    assert isinstance(first["人数"].value, int) and first["人数"].number_format == "#,##0"
    assert first["匹配分"].value == 0.8375 and first["匹配分"].number_format == "0.00"
    assert first["占比"].data_type == "n" and first["占比"].number_format.endswith("%")
    assert first["出生年份"].value == 1980 and first["出生年份"].number_format == "0"
    assert first["户数"].data_type == "n" and first["户数"].value == 1892


def test_booleans_read_yes_or_no_in_the_language(mixed):
    _, _, zh, en, _ = mixed
    assert [zh.cell(row=r, column=6).value for r in (2, 3, 4)] == ["是", "否", "是"]
    assert [en.cell(row=r, column=6).value for r in (2, 3, 4)] == ["yes", "no", "yes"]


def test_nothing_raw_reaches_a_cell(mixed):
    _, _, ws, en, _ = mixed
    for sheet in (ws, en):
        for row in sheet.iter_rows():
            for cell in row:
                assert not isinstance(cell.value, bool), cell.coordinate
                if isinstance(cell.value, float):
                    assert math.isfinite(cell.value), cell.coordinate
                if isinstance(cell.value, str):
                    assert cell.value.strip() not in {"nan", "NaN", "None", "<NA>", "NaT", "()"}
                    assert cell.value not in ("True", "False", "true", "false", "inf")
    # Lists read as lists, empty ones and missing values as empty cells.
    assert ws["G2"].value == "人口老龄化、停车难" and ws["G3"].value is None
    assert ws["A4"].value is None and ws["B4"].value is None and ws["I4"].value is None


def test_header_is_bold_shaded_frozen_filtered_and_printed_on_every_page(mixed):
    df, _, ws, _, _ = mixed
    for cell in ws[1]:
        assert cell.font.b, cell.coordinate
        assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb not in (None, "00000000")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:I{len(df) + 1}"
    assert ws.print_title_rows in ("$1:$1", "1:1")


def test_print_setup_is_a4_landscape_fit_to_width(mixed):
    _, _, ws, en, _ = mixed
    for sheet in (ws, en):
        assert sheet.page_setup.paperSize == 9
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in ws.oddFooter.center.text and "页" in ws.oddFooter.center.text
    assert "Page" in en.oddFooter.center.text


def test_columns_are_as_wide_as_their_widest_value_in_display_cells(mixed):
    _, _, ws, _, _ = mixed
    assert ws.column_dimensions["A"].width >= display_width("曹杨新村街道")
    for col in ws.iter_cols():
        letter = col[0].column_letter
        widest = max(display_width(c.value) for c in col if isinstance(c.value, str))
        assert ws.column_dimensions[letter].width >= min(MAX_WIDTH, widest), letter


def test_same_tables_same_bytes(mixed, tmp_path):
    df, kinds, _, _, first = mixed
    again = tmp_path / "again.xlsx"
    write_workbook({"表": (df, kinds)}, again)
    assert again.read_bytes() == first.read_bytes()


# --- Text that looks like a formula -----------------------------------------------------


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil.example","点我")', "+1 待定", "-产假中", "@SUM(A1:A9)"]
)
def test_formula_like_text_is_stored_as_text_excel_will_not_evaluate(text, tmp_path):
    path = tmp_path / "f.xlsx"
    df = pd.DataFrame({"姓名": [text], "备注": ["正常"]})
    write_workbook({"表": Sheet([Heading(text), Table(df)])}, path)
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    ws = _read(path)["表"]
    for cell in (ws["A1"], ws["A3"]):
        assert cell.data_type == "s"
        # The text as written (no apostrophe in the value), with Excel's quote prefix,
        # so editing the cell does not turn it into a formula either.
        assert cell.value == text and cell.quotePrefix
    assert not ws["B3"].quotePrefix


def test_control_characters_cannot_break_a_workbook(tmp_path):
    path = tmp_path / "c.xlsx"
    df = pd.DataFrame({"备注": ["产假\x0b中", "\x07"], "n": [1, 2]})
    write_workbook({"表": df}, path)
    ws = _read(path)["表"]
    assert ws["A2"].value == "产假中" and ws["A3"].value is None


@pytest.mark.parametrize("n", [1, 3, 7])
def test_long_text_wraps_in_a_row_tall_enough_for_its_lines(n, tmp_path):
    # LibreOffice and print previews do not grow rows by themselves: the row must be set
    # tall enough, or a wrapped reason shows as one cut line.
    path = tmp_path / "w.xlsx"
    reason = "共同难题：人口老龄化、独居老人；同属曹杨新村街道" * n
    write_workbook({"表": pd.DataFrame({"理由": [reason, "短"], "n": [1, 2]})}, path)
    ws = _read(path)["表"]
    width = ws.column_dimensions["A"].width
    lines = math.ceil(display_width(reason) / width)
    assert ws["A2"].alignment.wrap_text
    assert (ws.row_dimensions[2].height or 15) >= 15 * lines
    assert ws.row_dimensions[3].height in (None, 15)


def test_blank_text_is_an_empty_cell(tmp_path):
    path = tmp_path / "b.xlsx"
    write_workbook({"表": pd.DataFrame({"备注": ["  ", "", "　产假中"]})}, path)
    ws = _read(path)["表"]
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == [None, None, "　产假中"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(_TEXT, st.floats(-1e6, 1e6, allow_nan=False), st.integers(-(10**6), 10**6)),
        min_size=1,
        max_size=8,
    )
)
def test_any_text_and_numbers_read_back_as_written(tmp_path, rows):
    path = tmp_path / "h.xlsx"
    df = pd.DataFrame(rows, columns=["文字", "小数", "整数"])
    write_workbook({"表": df}, path)
    ws = _read(path)["表"]
    for i, (text, x, n) in enumerate(rows, start=2):
        cell = ws.cell(row=i, column=1)
        assert cell.data_type == "s" and cell.value == text
        assert ws.cell(row=i, column=2).data_type == "n"
        assert ws.cell(row=i, column=2).value == pytest.approx(x)
        assert ws.cell(row=i, column=3).value == n and ws.cell(row=i, column=3).data_type == "n"
    widest = max(display_width(t) for t, _, _ in rows)
    assert ws.column_dimensions["A"].width >= min(MAX_WIDTH, widest)


# --- Sheets of blocks -----------------------------------------------------------------


@pytest.fixture(scope="module")
def blocks(tmp_path_factory):
    people = pd.DataFrame({"姓名": ["王芳", "李强"], "匹配分": [0.5, 0.75]})
    sign = pd.DataFrame({"环节": ["审核人"], "签名": [None], "日期": [None]}, dtype=object)
    sheet = Sheet(
        [
            Heading("带教名单", level=1),
            Table(people.iloc[:0]),
            Heading("带教老师：卢鹏（M001）　｜　曹杨新村街道　｜　名额 6 人，已带教 2 人"),
            Table(people, {"匹配分": "0.00"}, header=False),
            PageBreak(),
            Heading("带教老师：林颖（M008）"),
            Heading("（暂无带教对象）", level=3),
            Gap(2),
            Table(sign, dict.fromkeys(sign.columns, "text"), boxed=True, row_height=36),
        ],
        min_widths={2: 24},
    )
    path = tmp_path_factory.mktemp("blocks") / "b.xlsx"
    write_workbook({"名单": sheet}, path, lang="zh")
    return _read(path)["名单"]


def test_a_sheet_of_blocks_keeps_its_order(blocks):
    column_a = [blocks.cell(row=r, column=1).value for r in range(1, 12)]
    assert column_a == [
        "带教名单",
        "姓名",
        "带教老师：卢鹏（M001）　｜　曹杨新村街道　｜　名额 6 人，已带教 2 人",
        "王芳",
        "李强",
        "带教老师：林颖（M008）",
        "（暂无带教对象）",
        None,
        None,
        "环节",
        "审核人",
    ]
    assert blocks["B4"].number_format == "0.00" and blocks["B4"].value == 0.5


def test_the_first_header_is_frozen_and_printed_a_page_break_between_blocks(blocks):
    assert blocks.freeze_panes == "A3"
    assert blocks.print_title_rows in ("$1:$2", "1:2")
    assert [b.id for b in blocks.row_breaks.brk] == [5]
    assert blocks["A1"].font.sz == 14 and blocks["A3"].font.b


def test_headings_do_not_widen_columns_but_min_widths_do(blocks):
    # The heading runs across the row: column A stays as wide as the names.
    assert blocks.column_dimensions["A"].width < display_width(blocks["A3"].value)
    assert blocks.column_dimensions["B"].width >= 24


def test_a_boxed_block_has_borders_and_room_to_sign(blocks):
    for cell in blocks[11]:
        assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
    assert blocks.row_dimensions[11].height == 36
