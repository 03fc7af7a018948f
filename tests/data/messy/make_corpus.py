"""Write the messy-input corpus from tests/data/small (run once; the files are committed).

Each file is a form real rosters take. It replaces one table of the small district (or
is a whole workbook) and either loads to the same District, loads with a documented
normalisation, or is refused with one clear problem. EXPECTED.csv says which, and for a
file that loads, what the loader had to guess: ``warns`` is a phrase every such file's
warnings must contain (empty: the file loads without any warning).

    python tests/data/messy/make_corpus.py
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

import mentormatch as mm
from mentormatch.io import _rewrite_zip_deterministic, localize
from mentormatch.schema import TABLES

HERE = Path(__file__).resolve().parent
SMALL = mm.load_district(HERE.parent / "small")
EXPECTED: list[dict] = []


def cells(table: str, lang: str = "zh") -> list[list[str]]:
    """The table as text rows (header first), as save_district would write it."""
    from mentormatch.io import _cells

    df = _cells(localize(table, SMALL.tables[table], lang))
    return [list(df.columns)] + [
        ["" if v is None else str(v) for v in r] for r in df.itertuples(index=False)
    ]


def write_csv(
    name: str, rows: list[list[str]], encoding: str = "utf-8", newline: str = "\n"
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    (HERE / name).write_bytes(buffer.getvalue().encode(encoding))


def expect(name, target, outcome, note, row="", column="", contains="", warns=""):
    EXPECTED.append(
        dict(
            file=name,
            target=target,
            outcome=outcome,
            row=row,
            column=column,
            contains=contains,
            note=note,
            warns=warns,
        )
    )


def col(rows, header):
    return rows[0].index(header)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# --- CSV: encodings, line endings, layout -------------------------------------------------
rows = cells("secretaries")
write_csv("gbk.secretaries.csv", rows, "gbk")
expect("gbk.secretaries.csv", "secretaries.csv", "same", "GBK encoding, Chinese headers and labels")
write_csv("utf8_bom.secretaries.csv", rows, "utf-8-sig")
expect("utf8_bom.secretaries.csv", "secretaries.csv", "same", "UTF-8 with BOM")
write_csv("utf8.secretaries.csv", rows, "utf-8")
expect("utf8.secretaries.csv", "secretaries.csv", "same", "UTF-8 without BOM")
write_csv("windows_crlf.secretaries.csv", rows, "gbk", "\r\n")
expect(
    "windows_crlf.secretaries.csv", "secretaries.csv", "same", "Windows line endings (CRLF), GBK"
)
write_csv(
    "title_rows.secretaries.csv", [["普陀区居村党组织书记名册"], ["填报日期：2025年1月"], *rows]
)
expect(
    "title_rows.secretaries.csv",
    "secretaries.csv",
    "same",
    "two title rows above the header are skipped",
)
write_csv(
    "blank_rows.secretaries.csv", [rows[0], *rows[1:6], [""] * len(rows[0]), [], *rows[6:], []]
)
expect(
    "blank_rows.secretaries.csv",
    "secretaries.csv",
    "same",
    "empty rows in the middle and at the end are skipped",
)
phones = ["联系电话", *[f"021-5256{k:04d}" for k in range(len(rows) - 1)]]
extra = [r + [x] for r, x in zip(rows, phones, strict=True)]
write_csv("extra_column.secretaries.csv", extra)
expect(
    "extra_column.secretaries.csv",
    "secretaries.csv",
    "same",
    "an unknown column (联系电话) is ignored",
)
notes = ["备注"] + [
    ("产假中" if k == 2 else "拟调任" if k == 5 else "") for k in range(1, len(rows))
]
write_csv("notes.secretaries.csv", [r + [x] for r, x in zip(rows, notes, strict=True)])
expect(
    "notes.secretaries.csv",
    "secretaries.csv",
    "loads",
    "a 备注 column is read as the secretaries' notes (产假中, 拟调任)",
)
r = [list(x) for x in rows]
wrapped = {"出生年份": "出生\n年份", "60岁以上占比": "60岁以上\n占比", "小区类型": "小区 类型"}
wrapped["主要难题"] = "主要\u3000难题"
r[0] = [wrapped.get(h, h) for h in r[0]]
write_csv("wrapped_headers.secretaries.csv", r)
expect(
    "wrapped_headers.secretaries.csv",
    "secretaries.csv",
    "same",
    "headers with a line break or spaces inside (出生\\n年份, 小区 类型) match their columns",
)
footer = [[""] * len(rows[0]) for _ in range(2)]
footer[0][0] = "填表人：张三\u3000\u3000联系电话：021-52564588"
footer[1][0] = "合计"
footer[1][col(rows, "户数")] = str(sum(int(line[col(rows, "户数")]) for line in rows[1:]))
write_csv("footer_rows.secretaries.csv", [*rows, *footer])
expect(
    "footer_rows.secretaries.csv",
    "secretaries.csv",
    "same",
    "a 填表人 footer and a 合计 row below the data are skipped, with a warning",
    warns="was skipped",
)
blocks, last = [rows[0]], None
for line in rows[1:]:
    town = line[col(rows, "街镇")]
    if town != last:
        blocks.append([town] + [""] * (len(line) - 1))
        last = town
    blocks.append(line)
write_csv("subheadings.secretaries.csv", blocks)
expect(
    "subheadings.secretaries.csv",
    "secretaries.csv",
    "same",
    "a sub-heading row holding only a sub-district's name above each block is skipped, "
    "with a warning",
    warns="a sub-heading and was skipped",
)
r = [list(x) for x in rows]
for line in r[1:]:
    town = line[col(r, "街镇")]
    line[col(r, "街镇")] = {"长征镇": "长征街道", "万里街道": "万里镇"}.get(town, town)
write_csv("guessed_towns.secretaries.csv", r)
expect(
    "guessed_towns.secretaries.csv",
    "secretaries.csv",
    "same",
    "长征街道 (no such sub-district) is read as the town 长征镇 and 万里镇 as 万里街道, "
    "with a warning",
    warns="Putuo has no",
)
r = [list(x) for x in rows]
r[0] = ["老龄化率" if h == "60岁以上占比" else h for h in r[0]]
write_csv("loose_header.secretaries.csv", r)
expect(
    "loose_header.secretaries.csv",
    "secretaries.csv",
    "same",
    "a header that probably means a column (老龄化率 for 60岁以上占比) is read, with a warning",
    warns="which it probably means",
)
dup = [r + [r[col(rows, "姓名")]] for r in rows]
write_csv("duplicate_header.secretaries.csv", dup)
expect(
    "duplicate_header.secretaries.csv",
    "secretaries.csv",
    "refused",
    "two columns named 姓名",
    row=1,
    column="姓名",
    contains="one column for name",
)

# --- CSV: cell contents --------------------------------------------------------------------
r = [list(x) for x in rows]
for line in r[1:]:
    line[0] = fullwidth(line[0])
    line[col(r, "出生年份")] = fullwidth(line[col(r, "出生年份")])
    line[col(r, "户数")] = fullwidth(line[col(r, "户数")])
write_csv("fullwidth.secretaries.csv", r)
expect(
    "fullwidth.secretaries.csv",
    "secretaries.csv",
    "same",
    "full-width letters and digits in IDs and numbers (Ｓ００１, １９８２) read as half-width",
)
r = [list(x) for x in rows]
for line in r[1:]:
    line[1] = f"  {line[1]}\u3000"
    line[col(r, "街镇")] = f" {line[col(r, '街镇')]} "
r[0] = [f" {h} " for h in r[0]]
write_csv("spaces.secretaries.csv", r)
expect(
    "spaces.secretaries.csv",
    "secretaries.csv",
    "same",
    "leading and trailing spaces (also ideographic) in headers and cells are trimmed",
)
r = [list(x) for x in rows]
seps = [";", "；", "、", ",", "，"]
for k, line in enumerate(r[1:]):
    items = line[col(r, "主要难题")].split("、")
    line[col(r, "主要难题")] = seps[k % len(seps)].join(items) + (
        seps[k % len(seps)] if k % 3 == 0 else ""
    )
write_csv("list_separators.secretaries.csv", r)
expect(
    "list_separators.secretaries.csv",
    "secretaries.csv",
    "same",
    "list cells separated by ; ； 、 , or ， (a trailing separator is ignored)",
)
r = [list(x) for x in rows]
forms = ["{}", "{}年", "{}年3月", "{}-03", "{}/3", "{}.0", "{}年03月15日"]
for k, line in enumerate(r[1:]):
    line[col(r, "任职年份")] = forms[k % len(forms)].format(line[col(r, "任职年份")])
write_csv("year_forms.secretaries.csv", r)
expect(
    "year_forms.secretaries.csv",
    "secretaries.csv",
    "same",
    "years as 2021, 2021年, 2021年3月, 2021-03, 2021/3, 2021.0, 2021年03月15日",
)
r = [list(x) for x in rows]
for line in r[1:]:
    v = int(line[col(r, "户数")])
    line[col(r, "户数")] = f"{v:,}"
    line[col(r, "60岁以上占比")] = f"{float(line[col(r, '60岁以上占比')]) * 100:g}%"
write_csv("number_forms.secretaries.csv", r)
expect(
    "number_forms.secretaries.csv",
    "secretaries.csv",
    "same",
    "thousands separators (1,234) and shares as percentages (28.6%)",
)
r = [list(x) for x in rows]
yes_no = {
    "是": ["是", "Y", "√", "需要", "TRUE", "1"],
    "否": ["否", "N", "×", "不需要", "false", "0"],
}
for k, line in enumerate(r[1:]):
    v = line[col(r, "需要带教")]
    line[col(r, "需要带教")] = yes_no[v][k % 6]
write_csv("yes_no_forms.secretaries.csv", r)
expect(
    "yes_no_forms.secretaries.csv",
    "secretaries.csv",
    "same",
    "yes/no as 是/否, Y/N, √/×, 需要/不需要, TRUE/false, 1/0",
)
r = [list(x) for x in rows]
variants = {
    "工人新村/老公房": "老公房小区",
    "商品房": "商品房小区",
    "动迁安置房": "动迁房",
    "售后公房": "售后公房",
    "混合型": "混合",
    "旧里/老式里弄": "老式里弄",
    "村": "行政村",
}
for line in r[1:]:
    line[col(r, "小区类型")] = variants[line[col(r, "小区类型")]]
    line[col(r, "街镇")] = line[col(r, "街镇")].replace("街道", "")
    line[col(r, "学历")] = {"大学本科": "本科", "研究生": "硕士"}.get(
        line[col(r, "学历")], line[col(r, "学历")]
    )
write_csv("label_variants.secretaries.csv", r)
expect(
    "label_variants.secretaries.csv",
    "secretaries.csv",
    "same",
    "variant spellings: 老公房小区, 商品房小区, 动迁房, 混合, 老式里弄; "
    "sub-districts without 街道; 本科",
)
r = [list(x) for x in cells("secretaries", "en")]
write_csv("english_codes.secretaries.csv", r)
expect("english_codes.secretaries.csv", "secretaries.csv", "same", "English headers and codes")
r = [list(x) for x in rows]
r[0] = [h.upper() if h.isascii() else h for h in cells("secretaries", "en")[0]]
write_csv("english_headers_upper.secretaries.csv", r)
expect(
    "english_headers_upper.secretaries.csv",
    "secretaries.csv",
    "same",
    "English headers in capitals over Chinese values",
)
r = [list(x) for x in rows]
r[3][1] = '=HYPERLINK("http://example.com","点我")'
r[4][1] = "@SUM(A1:A2)"
write_csv("formula_text.secretaries.csv", r)
expect(
    "formula_text.secretaries.csv",
    "secretaries.csv",
    "loads",
    "text that looks like a formula is kept as text (and escaped on export)",
)
r = [list(x) for x in rows]
keep = [h for h in r[0] if h not in ("曾任职居民区", "带教起始年份", "原带教老师编号")]
idx = [r[0].index(h) for h in keep]
write_csv("optional_columns_absent.secretaries.csv", [[line[i] for i in idx] for line in r])
expect(
    "optional_columns_absent.secretaries.csv",
    "secretaries.csv",
    "loads",
    "optional columns may be absent: empty lists and missing values",
)
r = [list(x) for x in rows]
r[5][col(r, "街镇")] = "桃埔镇"
write_csv("misspelt_town.secretaries.csv", r)
expect(
    "misspelt_town.secretaries.csv",
    "secretaries.csv",
    "refused",
    "misspelt sub-district, with a suggestion",
    row=6,
    column="街镇",
    contains="Did you mean taopu",
)
r = [list(x) for x in rows]
r[7][col(r, "户数")] = "-120"
write_csv("negative_households.secretaries.csv", r)
expect(
    "negative_households.secretaries.csv",
    "secretaries.csv",
    "refused",
    "a negative household count",
    row=8,
    column="户数",
    contains="from 0 to 100000",
)
r = [list(x) for x in rows]
r[9][col(r, "性别")] = ""
write_csv("empty_required_cell.secretaries.csv", r)
expect(
    "empty_required_cell.secretaries.csv",
    "secretaries.csv",
    "refused",
    "an empty required cell",
    row=10,
    column="性别",
    contains="the cell is empty",
)
r = [list(x) for x in rows]
r[2][col(r, "出生年份")] = "2031年"
write_csv("future_birth_year.secretaries.csv", r)
expect(
    "future_birth_year.secretaries.csv",
    "secretaries.csv",
    "refused",
    "a birth year in the future",
    row=3,
    column="出生年份",
    contains="from 1940 to 2010",
)
r = [list(x) for x in rows]
r[4][col(r, "60岁以上占比")] = "140%"
write_csv("share_over_100.secretaries.csv", r)
expect(
    "share_over_100.secretaries.csv",
    "secretaries.csv",
    "refused",
    "a share above 100%",
    row=5,
    column="60岁以上占比",
    contains="between 0 and 1",
)
r = [list(x) for x in rows]
r[6][col(r, "任职年份")] = "去年"
write_csv("year_in_words.secretaries.csv", r)
expect(
    "year_in_words.secretaries.csv",
    "secretaries.csv",
    "refused",
    "a year written in words",
    row=7,
    column="任职年份",
    contains="a year",
)
m = cells("mentors")
m[2][col(m, "带教名额")] = "五"
write_csv("capacity_in_words.mentors.csv", m)
expect(
    "capacity_in_words.mentors.csv",
    "mentors.csv",
    "refused",
    "a number written in Chinese words",
    row=3,
    column="带教名额",
    contains="whole number",
)
(HERE / "only_header_row.mentors.csv").write_text(",".join(m[0]) + "\n", encoding="utf-8")
expect(
    "only_header_row.mentors.csv",
    "mentors.csv",
    "refused",
    "a required table with a header and no rows",
    contains="at least one row",
)
(HERE / "no_header.mentors.csv").write_text(
    "\n".join(",".join(x) for x in m[1:]) + "\n", encoding="utf-8"
)
expect(
    "no_header.mentors.csv",
    "mentors.csv",
    "refused",
    "rows without a header row",
    row=1,
    contains="header row",
)
(HERE / "binary_garbage.mentors.csv").write_bytes(bytes(range(128, 256)) * 4)
expect(
    "binary_garbage.mentors.csv",
    "mentors.csv",
    "refused",
    "not text in any supported encoding",
    contains="UTF-8 or GBK",
)

# --- Workbooks --------------------------------------------------------------------------------


def workbook(
    name: str,
    note: str,
    outcome: str = "same",
    *,
    title_rows=(),
    merged=False,
    extra_sheets=(),
    drop=(),
    text_numbers=False,
    date_years=False,
    formula=False,
    fullwidth_ids=False,
    contains="",
    row="",
    column="",
    warns="",
    footer=False,
) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in extra_sheets:
        ws = wb.create_sheet(sheet)
        ws.append(["本表为说明，不是数据"])
    for table in TABLES:
        if table in drop:
            continue
        data = cells(table)
        ws = wb.create_sheet(TABLES[table].zh)
        for t in title_rows:
            ws.append([t])
        header = data[0]
        if merged and table == "secretaries":
            # Row 1: group titles merged across columns; headers of ungrouped columns
            # merged down over both rows (their text in row 1 only).
            group = {
                "出生年份": "基本情况",
                "学历": "基本情况",
                "任职年份": "任职情况",
                "街镇": "任职情况",
            }
            top = [group.get(h, h) for h in header]
            bottom = [h if h in group else "" for h in header]
            ws.append(top)
            ws.append(bottom)
            start = len(title_rows) + 1
            for j, h in enumerate(header, start=1):
                if h not in group:
                    ws.merge_cells(start_row=start, start_column=j, end_row=start + 1, end_column=j)
        else:
            ws.append(header)
        for line in data[1:]:
            values = []
            for h, v in zip(header, line, strict=True):
                spec = TABLES[table]
                kind = next((c.kind for c in spec.columns if c.zh == h), "text")
                value: object = v
                if kind in ("int", "year", "float", "share") and v != "" and not text_numbers:
                    value = float(v) if kind in ("float", "share") else int(v)
                if date_years and h == "任职年份" and v:
                    value = pd.Timestamp(int(v), 3, 1).to_pydatetime()
                if fullwidth_ids and kind == "id" and v:
                    value = fullwidth(v)
                values.append(value)
            ws.append(values)
        if formula and table == "secretaries":
            ws.cell(row=ws.max_row, column=header.index("户数") + 1, value="=1000+892")
        if footer and table == "secretaries":
            ws.append([])
            ws.append(["填表人：张三　　审核人：李四　　联系电话：021-52564588"])
            ws.merge_cells(
                start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(header)
            )
        if footer and table == "mentors":
            total = ["合计"] + [None] * (len(header) - 1)
            total[header.index("带教名额")] = int(SMALL.mentors["capacity"].sum())
            ws.append(total)
    buffer = io.BytesIO()
    wb.save(buffer)
    _rewrite_zip_deterministic(buffer.getvalue(), HERE / name)  # same bytes on every run
    expect(name, "workbook", outcome, note, row=row, column=column, contains=contains, warns=warns)


workbook("workbook_zh.xlsx", "a workbook with Chinese sheet names, headers and labels")
workbook(
    "workbook_title_rows.xlsx",
    "two title rows above each header",
    title_rows=("普陀区带教名册", "2025年度"),
)
workbook(
    "workbook_merged_header.xlsx",
    "a two-row header: merged group titles above some headers, other headers merged down",
    merged=True,
)
workbook(
    "workbook_extra_sheets.xlsx",
    "unrelated sheets (说明, 统计) are ignored",
    extra_sheets=("说明", "统计"),
)
workbook("workbook_numbers_as_text.xlsx", "numbers stored as text cells", text_numbers=True)
workbook(
    "workbook_date_cells.xlsx",
    "years stored as date cells (2021-03-01 reads as 2021)",
    date_years=True,
)
workbook(
    "workbook_footer.xlsx",
    "a merged 填表人 footer below the 书记 rows and a 合计 row below the 带教老师 rows are "
    "skipped, with a warning",
    footer=True,
    warns="was skipped",
)
workbook("workbook_fullwidth_ids.xlsx", "full-width IDs (Ｓ００１)", fullwidth_ids=True)
workbook(
    "workbook_missing_sheet.xlsx",
    "the mentors sheet is missing",
    "refused",
    drop=("mentors",),
    contains="has no sheet named 带教老师 (or mentors)",
)
workbook(
    "workbook_uncomputed_formula.xlsx",
    "a formula never computed (no cached value) is shown, not read as empty",
    "refused",
    formula=True,
    row=len(SMALL.secretaries) + 1,
    column="户数",
    contains="=1000+892",
)
(HERE / "not_a_workbook.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip")
expect(
    "not_a_workbook.xlsx", "workbook", "refused", "a damaged .xlsx file", contains="readable .xlsx"
)

with open(HERE / "EXPECTED.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(EXPECTED[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(EXPECTED)
print(f"{len(EXPECTED)} files")
